/* fuzz_state.c — libFuzzer target: the build state file (state.h), which
 * a build reads back from beside public/ and which anyone (or a full
 * disk, or a kill) may have damaged.
 *
 * Byte 0 chooses the layout of the rest:
 *   bit 0 clear: the rest is the whole file, as found on disk;
 *   bit 0 set:   the rest is the sections' contents separated by "\n@@\n"
 *                (inputs, said, files, renders, sources, related); the
 *                target makes a sound file of them (state_format: right
 *                lengths and checksums), so mutations reach the records;
 *   bit 1 set:   (with bit 0) the inputs section starts with this
 *                process's real fingerprint, so the records are indexed
 *                as the same environment's and every lookup runs.
 * The file is written where a build would find it and read by
 * state_up_to_date, then indexed by state_prev_load, then every record
 * named in it is looked up (state_render_record, state_source,
 * state_related).
 *
 * Checked: never a crash, leak or hang; a file that is not sound yields
 * nothing (no files, keys or records); every record handed out lies
 * inside the file as read and holds no newline; a source record's numbers
 * are in range, and written afresh (state_put_source) it reads back and
 * writes the same bytes again; an up-to-date answer comes with what the
 * build said and hands nothing on (only the file's head was read).  This
 * is the target for the state's one record format (record.h): every
 * section but `said` is records, render records included (fuzz_rcache
 * goes further into what a render record means). */
#include "fuzz_util.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "state.h"
#include "strset.h"

static struct state_options opt;
static char *real_inputs;
static char cache_path[4096];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = fuzz_tmpdir();
	static char content[4096], templates[4096], public_dir[4096];
	snprintf(content, sizeof(content), "%s/content", dir);
	snprintf(templates, sizeof(templates), "%s/templates", dir);
	snprintf(public_dir, sizeof(public_dir), "%s/public", dir);
	snprintf(cache_path, sizeof(cache_path), "%s/public.haichao-cache", dir);
	fuzz_mkdir(dir, "content");
	fuzz_mkdir(dir, "templates");
	fuzz_mkdir(dir, "public");
	fuzz_mkdir(dir, "public/zh");
	fuzz_write_str(dir, "content/site.yaml", "title: t\n");
	fuzz_write_str(dir, "templates/home.html", "<html/>");
	fuzz_write_str(dir, "public/index.html", "<p/>");
	fuzz_write_str(dir, "public/zh/index.html", "<p>zh</p>");
	opt = (struct state_options){ content, templates, public_dir, NULL, false, 1 };
	struct diags d;
	diags_init(&d);
	char *said;
	struct state_text t;
	unlink(cache_path);
	CHECK(!state_up_to_date(&opt, &d, &said, &real_inputs, &t));
	CHECK(d.len == 0);
	state_text_free(&t);
	diags_free(&d);
	return 0;
}

/* The layout of bit 0: sections split on "\n@@\n", made sound. */
static void
make_sound(const uint8_t *data, size_t size, bool real_env, struct buf *file)
{
	struct buf inputs = BUF_INIT;
	if (real_env)
		buf_puts(&inputs, real_inputs);
	struct state_span sec[ST_COUNT];
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < ST_COUNT; i++) {
		const char *cut = p < end ? memmem(p, (size_t)(end - p), "\n@@\n", 4) : NULL;
		const char *stop = i == ST_COUNT - 1 || cut == NULL ? end : cut + 1;
		sec[i] = (struct state_span){ p, (size_t)(stop - p) };
		p = stop == end ? end : cut + 4;
	}
	if (real_env) {
		buf_add(&inputs, sec[ST_INPUTS].p, sec[ST_INPUTS].len);
		sec[ST_INPUTS] = (struct state_span){ inputs.data ? inputs.data : "",
			inputs.len };
	}
	state_format(sec, file);
	buf_release(&inputs);
}

static bool
inside(const struct state_text *t, const char *p, size_t len)
{
	return p >= t->data && len <= t->len && p - t->data <= (ptrdiff_t)(t->len - len);
}

/* Every record the state names, looked up. */
static void
look_up_everything(struct state_prev *prev)
{
	const struct state_text *t = &prev->text;
	for (size_t i = 0; i < prev->renders.cap; i++) {
		const char *slug = prev->renders.slots[i], *rec;
		size_t len;
		if (slug == NULL)
			continue;
		CHECK(state_render_record(prev, slug, &rec, &len));
		CHECK(inside(t, rec, len));
		CHECK(memchr(rec, '\n', len) == NULL);
	}
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < prev->sources.cap; i++) {
		const char *name = prev->sources.slots[i];
		struct source_record r;
		if (name == NULL || !state_source(prev, name, "p.md", &r, &a))
			continue;
		CHECK(r.body_line >= 2);
		CHECK(r.stamp.mtime_s >= 0 && r.stamp.ctime_s >= 0 && r.stamp.size >= 0);
		CHECK(r.fm != NULL && r.fm->pos.path != NULL);
		CHECK(inside(t, r.line, r.line_len));
		struct buf again = BUF_INIT, fresh = BUF_INIT, twice = BUF_INIT;
		state_put_source(&again, &r);   /* the same line, as it was */
		CHECK(again.len == r.line_len + 1 &&
		    memcmp(again.data, r.line, r.line_len) == 0);
		/* Written from what was read, it reads back as the same. */
		r.line = NULL;
		state_put_source(&fresh, &r);
		struct source_record back;
		CHECK(state_read_source(fresh.data, fresh.len - 1, "p.md", &back, &a));
		back.line = NULL;
		state_put_source(&twice, &back);
		CHECK(twice.len == fresh.len &&
		    memcmp(twice.data, fresh.data, fresh.len) == 0);
		buf_release(&again);
		buf_release(&fresh);
		buf_release(&twice);
	}
	arena_free(&a);
	size_t len;
	const char *rel = state_related(prev, prev->related_key, &len);
	if (rel != NULL)
		CHECK(inside(t, rel, len));
	for (size_t i = 0; i < prev->keys.cap; i++)
		if (prev->keys.slots[i] != NULL)
			CHECK(prev->keys.values[i] >= 0 &&
			    strset_value(&prev->files, prev->keys.slots[i]) >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	struct buf file = BUF_INIT;
	if (data[0] & 1)
		make_sound(data + 1, size - 1, data[0] & 2, &file);
	else
		buf_add(&file, data + 1, size - 1);
	FILE *f = fopen(cache_path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(file.data ? file.data : "", 1, file.len, f) == file.len);
	CHECK(fclose(f) == 0);
	buf_release(&file);

	struct diags d;
	diags_init(&d);
	char *said, *inputs;
	struct state_text t;
	bool fresh = state_up_to_date(&opt, &d, &said, &inputs, &t);
	CHECK(fresh == (said != NULL));
	/* Fresh: only the head was read, nothing is handed on.  Else a
	 * file not sound is said once, and a sound one not at all. */
	CHECK(!fresh || (t.data == NULL && d.len == 0));
	CHECK(fresh || t.sound == (d.len == 0));
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	if (!prev.text.sound)
		CHECK(!prev.have_files && prev.files.len == 0 && prev.keys.len == 0 &&
		    prev.renders.len == 0 && prev.sources.len == 0 &&
		    prev.related == NULL);
	look_up_everything(&prev);
	state_prev_free(&prev);
	diags_print(&d, fuzz_devnull());
	diags_free(&d);
	free(said);
	free(inputs);
	return 0;
}
