/* test_state.c — unit tests for the build state (generator/state.c): a
 * saved state reads back; damaged, truncated, foreign and older files are
 * reported and never used; published files are vouched for by size and
 * mtime; records that do not read are not used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "alloc.h"
#include "buf.h"
#include "output.h"
#include "state.h"
#include "strset.h"
#include "yamlnode.h"

static struct state_options opt;
static char content[128], templates[128], public_dir[128], cache[160];

static int
setup(void **unused)
{
	(void)unused;
	if (fixture_begin() != 0)
		return -1;
	snprintf(content, sizeof(content), "%s/content", ROOT);
	snprintf(templates, sizeof(templates), "%s/templates", ROOT);
	snprintf(public_dir, sizeof(public_dir), "%s/public", ROOT);
	snprintf(cache, sizeof(cache), "%s/public.haichao-cache", ROOT);
	put("content/site.yaml", "title: t\n");
	put("content/articles/a.zh.md", "---\ntitle: a\n---\n");
	put("templates/home.html", "<html/>");
	put("public/index.html", "<p>index</p>");
	put("public/zh/index.html", "<p>zh</p>");
	opt = (struct state_options){ content, templates, public_dir, NULL, false, 1 };
	return 0;
}

static int
teardown(void **unused)
{
	(void)unused;
	fixture_end();
	return 0;
}

/* A state as a build would leave it: two published files, one with a
 * key, a render record, a source record and related lists. */
static void
save_state(const char *inputs)
{
	struct strset keys, files;
	strset_init(&keys);
	strset_init(&files);
	strset_put(&keys, "zh/index.html", 0x1234);
	strset_add(&files, "zh/index.html");
	strset_add(&files, "index.html");
	struct buf renders = BUF_INIT, sources = BUF_INIT, related = BUF_INIT;
	buf_puts(&renders, "a\tRECORD-A\nb\tRECORD-B\n");
	struct ynode key = { Y_SCALAR, { "x", 2, 1 }, "title", 5, false, NULL, 0 };
	struct ynode value = { Y_SCALAR, { "x", 2, 8 }, "a\tb", 3, true, NULL, 0 };
	struct ynode *pair[] = { &key, &value };
	struct ynode fm = { Y_MAP, { "x", 2, 1 }, NULL, 0, false, pair, 2 };
	struct source_record src = { "a.zh.md", { 1, 2, 3, 4, 5, 6 }, 0xabc, 4,
		&fm, NULL, 0 };
	state_put_source(&sources, &src);
	buf_puts(&related, "1\n0\n");
	struct state_next next = { inputs, "said this\n", &keys, &files,
		&renders, &sources, &related, 0x77, NULL };
	state_save(&opt, &next);
	strset_free(&keys);
	strset_free(&files);
	buf_release(&renders);
	buf_release(&sources);
	buf_release(&related);
}

/* The fingerprint now, from an up-to-date check (which must say nothing
 * when there is no state yet). */
static char *
inputs_now(void)
{
	char *said, *inputs;
	struct state_text t;
	unlink(cache);
	assert_false(state_up_to_date(&opt, &D, &said, &inputs, &t));
	assert_null(said);
	ASSERT_DIAGS("");
	state_text_free(&t);
	return inputs;
}

static bool
up_to_date(struct state_text *t)
{
	char *said, *inputs;
	bool fresh = state_up_to_date(&opt, &D, &said, &inputs, t);
	assert_true(fresh == (said != NULL));
	free(said);
	free(inputs);
	return fresh;
}

static void
test_round_trip(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	struct state_text t;
	char *said, *now;
	assert_true(state_up_to_date(&opt, &D, &said, &now, &t));
	assert_string_equal(said, "said this\n");
	assert_string_equal(now, inputs);
	free(said);
	free(now);
	ASSERT_DIAGS("");
	/* Up to date, only the head of the file was read: nothing to load.
	 * An input touched, all of it is. */
	assert_null(t.data);
	put("content/extra.txt", "x");
	assert_false(up_to_date(&t));
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_true(prev.have_files);
	assert_int_equal(prev.files.len, 2);
	assert_int_equal(strset_value(&prev.keys, "zh/index.html"), 0x1234);
	assert_int_equal(strset_value(&prev.keys, "index.html"), -1);
	const char *rec;
	size_t len;
	assert_true(state_render_record(&prev, "b", &rec, &len));
	assert_int_equal(len, 10);
	assert_memory_equal(rec, "b\tRECORD-B", 10);
	assert_false(state_render_record(&prev, "c", &rec, &len));
	struct arena a;
	arena_init(&a);
	struct source_record r;
	assert_true(state_source(&prev, "a.zh.md", "content/articles/a.zh.md", &r,
	    &a));
	assert_int_equal(r.stamp.mtime_s, 1);
	assert_int_equal(r.stamp.ino, 6);
	assert_int_equal(r.source_hash, 0xabc);
	assert_int_equal(r.body_line, 4);
	assert_int_equal(r.fm->kind, Y_MAP);
	const struct ynode *title = ynode_get(r.fm, "title");
	assert_non_null(title);
	assert_string_equal(title->str, "a\tb");
	assert_int_equal(title->len, 3);
	assert_true(title->quoted);
	assert_string_equal(title->pos.path, "content/articles/a.zh.md");
	assert_int_equal(title->pos.line, 2);
	assert_int_equal(title->pos.col, 8);
	assert_false(state_source(&prev, "b.zh.md", "b", &r, &a));
	arena_free(&a);
	size_t rl;
	assert_null(state_related(&prev, 0x76, &rl));
	const char *rel = state_related(&prev, 0x77, &rl);
	assert_non_null(rel);
	assert_int_equal(rl, 4);
	assert_memory_equal(rel, "1\n0\n", 4);
	state_prev_free(&prev);
	free(inputs);
}

/* Reads the state file into a malloc'd buffer. */
static char *
slurp(size_t *len)
{
	FILE *f = fopen(cache, "rb");
	assert_non_null(f);
	char *b = xmalloc(1 << 20);
	*len = fread(b, 1, (1 << 20) - 1, f);
	fclose(f);
	return b;
}

static void
spit(const char *data, size_t len)
{
	FILE *f = fopen(cache, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A state that is not sound gives its warning, no freshness and nothing
 * to reuse (not even the list of files). */
static void
assert_refused(const char *expected)
{
	struct state_text t;
	assert_false(up_to_date(&t));
	ASSERT_DIAGS(expected);
	diags_free(&D);
	diags_init(&D);
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_false(prev.have_files);
	assert_int_equal(prev.keys.len + prev.files.len + prev.renders.len +
	    prev.sources.len, 0);
	assert_null(prev.related);
	state_prev_free(&prev);
}

static const char damaged_msg[] = "$/public.haichao-cache: warning: the "
    "build cache is damaged; building everything\n"
    "haichao: 0 errors, 1 warning\n";

static void
test_every_flipped_byte_is_refused(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	size_t len;
	char *good = slurp(&len);
	/* Every byte of a small state, each flipped in turn (the low bit:
	 * a hex digit flipped in case would read the same). */
	for (size_t i = 0; i < len; i++) {
		char *data = xmalloc(len + 1);
		memcpy(data, good, len);
		data[i] ^= 0x01;
		struct state_text t;
		int why;
		assert_false(state_parse(data, len, &t, &why));
		state_text_free(&t);
	}
	spit(good, len);
	struct state_text t;
	assert_true(up_to_date(&t));
	state_text_free(&t);
	free(good);
	free(inputs);
}

static void
test_truncated_is_refused(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	size_t len;
	char *good = slurp(&len);
	for (size_t cut = 1; cut < len; cut += 7) {
		spit(good, cut);
		assert_refused(damaged_msg);
	}
	/* Grown at the end is as bad as cut short. */
	good[len] = '\n';
	spit(good, len + 1);
	assert_refused(damaged_msg);
	free(good);
	free(inputs);
}

static void
test_foreign_and_older_are_refused(void **unused)
{
	(void)unused;
	spit("<html>not a cache</html>\n", 25);
	assert_refused(damaged_msg);
	spit("", 0);
	assert_refused(damaged_msg);
	/* The format before this one, as it began. */
	static const char old[] = "haichao-cache 6 0.1.0\nexe 1.0 1.0 1 1 -\n";
	spit(old, sizeof(old) - 1);
	assert_refused("$/public.haichao-cache: warning: the build cache was "
	    "written in another format; building everything\n"
	    "haichao: 0 errors, 1 warning\n");
	/* A folder where the file should be is no state, and no crash. */
	unlink(cache);
	assert_int_equal(mkdir(cache, 0755), 0);
	struct state_text t;
	assert_false(up_to_date(&t));
	ASSERT_DIAGS("");
	state_text_free(&t);
	rmdir(cache);
}

/* A published file edited or restored (other size or mtime) makes the
 * state stale, and its key is not used; the others' keys still are. */
static void
test_published_files_are_vouched_for(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	struct state_text t;
	assert_true(up_to_date(&t));
	state_text_free(&t);
	/* Same size, mtime moved (git checkout, a restore from backup). */
	char path[256];
	snprintf(path, sizeof(path), "%s/zh/index.html", public_dir);
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	assert_int_equal(utimes(path, tv), 0);
	assert_false(up_to_date(&t));
	ASSERT_DIAGS("");
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_true(prev.have_files);
	assert_int_equal(prev.files.len, 2);
	assert_int_equal(strset_value(&prev.keys, "zh/index.html"), -1);
	state_prev_free(&prev);
	/* Saved again, then a file removed: stale. */
	save_state(inputs);
	assert_true(up_to_date(&t));
	state_text_free(&t);
	snprintf(path, sizeof(path), "%s/index.html", public_dir);
	unlink(path);
	assert_false(up_to_date(&t));
	ASSERT_DIAGS("");
	state_text_free(&t);
	free(inputs);
}

/* A file kept with its key is recorded with the stamp it was verified
 * with, without looking at it again; one whose key changed is looked at
 * now. */
static void
test_kept_files_keep_their_stamps(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	put("content/extra.txt", "x");   /* not up to date: read whole */
	struct state_text t;
	assert_false(up_to_date(&t));
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_int_equal(strset_value(&prev.keys, "zh/index.html"), 0x1234);
	/* Both files rewritten behind the state's back (same sizes). */
	char path[256];
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	snprintf(path, sizeof(path), "%s/zh/index.html", public_dir);
	assert_int_equal(utimes(path, tv), 0);
	snprintf(path, sizeof(path), "%s/index.html", public_dir);
	assert_int_equal(utimes(path, tv), 0);
	struct strset keys, files;
	strset_init(&keys);
	strset_init(&files);
	strset_put(&keys, "zh/index.html", 0x1234);   /* kept: same key */
	strset_add(&files, "zh/index.html");
	strset_add(&files, "index.html");             /* no key: looked at */
	char *now = inputs_now();
	struct state_next next = { now, "", &keys, &files, NULL, NULL, NULL, 0,
		&prev };
	state_save(&opt, &next);
	state_prev_free(&prev);
	/* The kept file's old stamp was recorded: it no longer matches, so
	 * the state is stale and that file's key is not trusted. */
	assert_false(up_to_date(&t));
	state_text_free(&t);
	put("content/extra.txt", "y");
	assert_false(up_to_date(&t));
	state_prev_load(&opt, &t, &prev);
	assert_int_equal(strset_value(&prev.keys, "zh/index.html"), -1);
	assert_int_equal(prev.files.len, 2);
	state_prev_free(&prev);
	strset_free(&keys);
	strset_free(&files);
	free(now);
	free(inputs);
}

/* An input touched since: not up to date, but the state is still good
 * for reuse (same environment). */
static void
test_changed_input_is_stale(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	save_state(inputs);
	put("content/articles/a.zh.md", "---\ntitle: changed\n---\n");
	struct state_text t;
	assert_false(up_to_date(&t));
	ASSERT_DIAGS("");
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_int_equal(strset_value(&prev.keys, "zh/index.html"), 0x1234);
	assert_int_equal(prev.renders.len, 2);
	state_prev_free(&prev);
	/* Another template: keys and records are of no use, the list of
	 * files still is. */
	put("templates/home.html", "<html><body/></html>");
	assert_false(up_to_date(&t));
	state_prev_load(&opt, &t, &prev);
	assert_true(prev.have_files);
	assert_int_equal(prev.keys.len + prev.renders.len + prev.sources.len, 0);
	state_prev_free(&prev);
	free(inputs);
}

/* A sound container (checksums right) whose records are nonsense: no
 * record is used, nothing crashes, and a files list that does not read
 * is not used at all. */
static void
test_forged_records_are_not_used(void **unused)
{
	(void)unused;
	char *inputs = inputs_now();
	struct strset keys, files;
	strset_init(&keys);
	strset_init(&files);
	struct buf renders = BUF_INIT, sources = BUF_INIT, related = BUF_INIT;
	buf_puts(&renders, "\tno-slug\nnotab\n");
	/* a: a hash that is not one; b: a body on line 1; c: a number too
	 * big; d: fewer items than counted; e: a map key that is a
	 * sequence; f: a field after the tree; g: a map of odd count. */
	buf_puts(&sources, "a.zh.md\t1\t2\t3\t4\t5\t6\tzz\t4\tm\t1\t1\t0\n"
	    "b.zh.md\t1\t2\t3\t4\t5\t6\t0\t1\tm\t1\t1\t0\n"
	    "c.zh.md\t99999999999999999999\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t0\n"
	    "d.zh.md\t1\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t2\ts\t1\t1\ta\n"
	    "e.zh.md\t1\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t2\tq\t1\t1\t0\ts\t1\t1\tb\n"
	    "f.zh.md\t1\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t0\tx\n"
	    "g.zh.md\t1\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t1\ts\t1\t1\ta\n"
	    "ok.zh.md\t1\t2\t3\t4\t5\t6\t0\t4\tm\t1\t1\t2\ts\t1\t1\ta\tS\t1\t4\t\n");
	struct state_next next = { inputs, "", &keys, &files, &renders,
		&sources, &related, 0, NULL };
	state_save(&opt, &next);
	put("content/extra.txt", "x");   /* not up to date: read whole */
	struct state_text t;
	assert_false(up_to_date(&t));
	ASSERT_DIAGS("");
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_true(t.data == NULL && prev.text.sound);
	assert_int_equal(prev.renders.len, 0);
	struct arena a;
	arena_init(&a);
	struct source_record r;
	static const char *const bad[] = { "a", "b", "c", "d", "e", "f", "g" };
	char name[16];
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(name, sizeof(name), "%s.zh.md", bad[i]);
		assert_false(state_source(&prev, name, name, &r, &a));
	}
	/* the well-formed one beside them is read */
	assert_true(state_source(&prev, "ok.zh.md", "ok", &r, &a));
	assert_string_equal(ynode_get(r.fm, "a")->str, "");
	arena_free(&a);
	state_prev_free(&prev);
	strset_free(&keys);
	strset_free(&files);
	buf_release(&renders);
	buf_release(&sources);
	buf_release(&related);
	free(inputs);
}

/* The list of files a state names is what the commit prunes: a path
 * leading outside public/ must delete nothing there (output.c's guard),
 * even in a state that reads as sound. */
static void
test_listed_path_outside_deletes_nothing(void **unused)
{
	(void)unused;
	put("outside.txt", "mine");
	char *inputs = inputs_now();
	struct strset keys, files;
	strset_init(&keys);
	strset_init(&files);
	strset_add(&files, "../outside.txt");
	strset_add(&files, "index.html");
	struct state_next next = { inputs, "", &keys, &files, NULL, NULL, NULL, 0,
		NULL };
	state_save(&opt, &next);
	put("content/extra.txt", "x");   /* not up to date: read whole */
	struct state_text t;
	assert_false(up_to_date(&t));
	struct state_prev prev;
	state_prev_load(&opt, &t, &prev);
	assert_true(prev.have_files);
	assert_int_equal(strset_value(&prev.files, "../outside.txt"), 0);
	put("public/mark.txt", "ours");
	const char *sources[] = { content, templates };
	struct output_guard guard = { sources, 2, "mark.txt", "ours" };
	struct output o;
	assert_true(output_begin(&o, public_dir, &guard, &D));
	assert_true(output_write(&o, "index.html", "x", 1));
	struct strset published;
	strset_init(&published);
	assert_true(output_commit(&o, &prev.files, &published));
	char path[256];
	snprintf(path, sizeof(path), "%s/outside.txt", ROOT);
	assert_int_equal(access(path, F_OK), 0);
	strset_free(&published);
	state_prev_free(&prev);
	strset_free(&keys);
	strset_free(&files);
	free(inputs);
}

/* Front matter as parsed comes back from its record as the same tree,
 * positions and quoting included, and a record missing any field of it
 * is not read. */
static void
test_tree_round_trip(void **unused)
{
	(void)unused;
	struct arena a;
	arena_init(&a);
	const char *text = "title: \"引号\\t和换行\"\n"
	    "tags: [a, 'b c', \"\"]\n"
	    "glossary:\n  - {zh: 出海, en: going overseas}\n"
	    "block: |\n  line one\n  line\\two\n"
	    "empty:\n";
	struct ynode *fm = yaml_load(&a, &D, "x.md", 2, text, strlen(text));
	assert_non_null(fm);
	struct source_record src = { "x.zh.md", { 1, 2, 3, 4, 5, 6 }, 0xabc, 9,
		fm, NULL, 0 };
	struct buf w = BUF_INIT, again = BUF_INIT;
	state_put_source(&w, &src);
	assert_int_equal(w.data[w.len - 1], '\n');
	assert_null(memchr(w.data, '\n', w.len - 1));
	struct source_record back;
	assert_true(state_read_source(w.data, w.len - 1, "y.md", &back, &a));
	back.line = NULL;
	state_put_source(&again, &back);
	assert_int_equal(again.len, w.len);
	assert_memory_equal(again.data, w.data, w.len);
	const struct ynode *title = ynode_get(back.fm, "title");
	assert_string_equal(title->str, "引号\t和换行");
	assert_true(title->quoted);
	assert_int_equal(title->pos.line, 2);
	assert_int_equal(title->pos.col, 8);
	assert_string_equal(title->pos.path, "y.md");
	assert_int_equal(ynode_get(back.fm, "tags")->n, 3);
	assert_string_equal(ynode_get(back.fm, "block")->str,
	    "line one\nline\\two\n");
	assert_true(ynode_is_null(ynode_get(back.fm, "empty")));
	/* cut before its last field: never a partial tree */
	const char *last = w.data + w.len;
	while (last[-1] != '\t')
		last--;
	for (size_t cut = 0; w.data + cut < last; cut++)
		assert_false(state_read_source(w.data, cut, "y.md", &back, &a));
	buf_release(&w);
	buf_release(&again);
	arena_free(&a);
	ASSERT_DIAGS("");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_tree_round_trip),
		T(test_every_flipped_byte_is_refused),
		T(test_truncated_is_refused),
		T(test_foreign_and_older_are_refused),
		T(test_published_files_are_vouched_for),
		T(test_changed_input_is_stale),
		T(test_kept_files_keep_their_stamps),
		T(test_forged_records_are_not_used),
		T(test_listed_path_outside_deletes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
