/* state.c — the build state kept between runs (see state.h): the file's
 * container (table, checksums), the fingerprint of the inputs, the
 * published files' stamps, and the indexes over the other sections. */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "hash.h"
#include "pool.h"
#include "record.h"
#include "yamlnode.h"

#define STATE_FAMILY "haichao-cache "
#define STATE_MAGIC STATE_FAMILY "8\n"
/* The largest state read: 10,000 articles make 31 MB, so 1 GiB is some
 * 300,000; a larger file is not one we wrote. */
#define STATE_MAX_BYTES ((uint64_t)1 << 30)

static const char *const section_name[ST_COUNT] = {
	[ST_INPUTS] = "inputs", [ST_SAID] = "said", [ST_FILES] = "files",
	[ST_RENDERS] = "renders", [ST_SOURCES] = "sources",
	[ST_RELATED] = "related",
};

static char *
state_path(const struct state_options *opt)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(opt->public_dir);
	while (len > 1 && opt->public_dir[len - 1] == '/')
		len--;
	buf_add(&b, opt->public_dir, len);
	buf_puts(&b, ".haichao-cache");
	return buf_detach(&b);
}

/* ---- the container ---------------------------------------------------------- */

static uint64_t
section_sum(enum state_section i, const char *p, size_t len)
{
	return hash_bytes(hash_str(HASH_SEED, section_name[i]), p, len);
}

/* The table: a line "NAME\tLENGTH\tCHECKSUM" per section, in order; the
 * sections follow, back to back, to the end of the file.  Reads it from
 * the head of [data, data + len); *at is where the sections begin. */
static bool
parse_table(const char *data, size_t len, size_t lens[ST_COUNT],
    uint64_t sums[ST_COUNT], size_t *at, int *why)
{
	size_t ml = sizeof(STATE_MAGIC) - 1, fl = sizeof(STATE_FAMILY) - 1;
	*why = D_CACHE_DAMAGED;
	if (len < ml || memcmp(data, STATE_MAGIC, ml) != 0) {
		/* Ours, of another format: worth saying so in its words. */
		if (len > fl && memcmp(data, STATE_FAMILY, fl) == 0 &&
		    memcmp(data, STATE_MAGIC, len < ml ? len : ml) != 0)
			*why = D_CACHE_FORMAT;
		return false;
	}
	const char *p = data + ml, *end = data + len, *line;
	size_t line_len;
	for (int i = 0; i < ST_COUNT; i++) {
		struct rec r;
		const char *name;
		size_t nl;
		if (!rec_next_line(&p, end, &line, &line_len) || line + line_len == end)
			return false;   /* the table's lines end in newlines */
		rec_open(&r, line, line_len, NULL);
		rec_get_raw(&r, &name, &nl);
		lens[i] = (size_t)rec_get_num(&r, SIZE_MAX);
		sums[i] = rec_get_hex(&r);
		if (!rec_done(&r) || nl != strlen(section_name[i]) ||
		    memcmp(name, section_name[i], nl) != 0)
			return false;
	}
	*at = (size_t)(p - data);
	return true;
}

/* Sections [0, upto) of a file whose table parse_table read: each must
 * be there whole with its checksum. */
static bool
check_sections(const char *data, size_t len, const size_t lens[ST_COUNT],
    const uint64_t sums[ST_COUNT], size_t at, int upto,
    struct state_span sec[ST_COUNT])
{
	const char *p = data + at, *end = data + len;
	for (int i = 0; i < upto; i++) {
		if (lens[i] > (size_t)(end - p) ||
		    section_sum((enum state_section)i, p, lens[i]) != sums[i])
			return false;
		sec[i] = (struct state_span){ p, lens[i] };
		p += lens[i];
	}
	return true;
}

bool
state_parse(char *data, size_t len, struct state_text *t, int *why)
{
	*t = (struct state_text){ data, len, false, { { NULL, 0 } } };
	size_t lens[ST_COUNT], at, total;
	uint64_t sums[ST_COUNT];
	if (!parse_table(data, len, lens, sums, &at, why))
		return false;
	total = at;
	for (int i = 0; i < ST_COUNT; i++)
		total = lens[i] <= len ? total + lens[i] : len + 1;
	t->sound = total == len &&
	    check_sections(data, len, lens, sums, at, ST_COUNT, t->sec);
	return t->sound;
}

void
state_text_free(struct state_text *t)
{
	free(t->data);
	*t = (struct state_text){ NULL, 0, false, { { NULL, 0 } } };
}

/* The state file, read (not mapped: a file cut short while we read it
 * is just short, where a mapping would fault), as far as it is needed:
 * an up-to-date check reads only its head (the table and the first
 * three sections, a tenth of it). */
struct reading {
	int fd;
	char *data;       /* NUL-terminated at n */
	size_t n, cap;
	size_t size;      /* as fstat said when it was opened */
};

/* False when there is no file or it cannot be read: no state, nothing
 * to say. */
static bool
open_state(const struct state_options *opt, struct reading *r)
{
	char *path = state_path(opt);
	struct stat st;
	/* Not blocking: a FIFO by that name would wait for a writer
	 * forever (it is refused just below). */
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (r->fd < 0)
		return false;
	/* Ours are tens of MB (31 MB for 10,000 articles); one far larger
	 * is damaged, and reading it whole could exhaust the memory. */
	if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > STATE_MAX_BYTES) {
		close(r->fd);
		return false;
	}
	r->size = (size_t)st.st_size;
	r->cap = r->size + 1;
	/* Tens of MB for a big archive: in huge pages (alloc.h). */
	size_t bytes = r->cap + 1;
	r->data = bytes >= HUGE_PAGE_SIZE ? xmalloc_huge(&bytes) : xmalloc(bytes);
	r->n = 0;
	r->data[0] = '\0';
	return true;
}

/* Reads on until `upto` bytes are in (SIZE_MAX: to the end, however long
 * it has grown); false after a read error. */
static bool
read_upto(struct reading *r, size_t upto)
{
	while (r->n < upto) {
		if (r->n == r->cap) {   /* it grew while we read: take it all */
			r->cap *= 2;
			r->data = xrealloc(r->data, r->cap + 1);
		}
		size_t want = r->cap - r->n;
		if (upto != SIZE_MAX && upto - r->n < want)
			want = upto - r->n;
		ssize_t got = read(r->fd, r->data + r->n, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return false;
		if (got == 0)
			break;
		r->n += (size_t)got;
	}
	r->data[r->n] = '\0';
	return true;
}

/* ---- the fingerprint -------------------------------------------------------- */

/* A file's stamp: mtime, ctime, size and inode, then its path.  The
 * change time counts because an edit that keeps the size and sets the
 * modification time back (touch -r, cp -p) still moves it.  Times
 * before 1970 are written as 0, which only makes a rebuild. */
static void
stamp(struct buf *out, const char *tag, const char *path, const struct stat *st)
{
	rec_put_text(out, tag);
	rec_put_num(out, st->st_mtim.tv_sec > 0 ? (unsigned long long)st->st_mtim.tv_sec : 0);
	rec_put_num(out, (unsigned long long)st->st_mtim.tv_nsec);
	rec_put_num(out, st->st_ctim.tv_sec > 0 ? (unsigned long long)st->st_ctim.tv_sec : 0);
	rec_put_num(out, (unsigned long long)st->st_ctim.tv_nsec);
	rec_put_num(out, (unsigned long long)st->st_size);
	rec_put_num(out, (unsigned long long)st->st_ino);
	rec_put_text(out, path);
	rec_end(out);
}

static void
tagged_path(struct buf *out, const char *tag, const char *path)
{
	rec_put_text(out, tag);
	rec_put_text(out, path);
	rec_end(out);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in an open folder, sorted; caller frees each and the list. */
static char **
folder_names(DIR *d, size_t *n_out)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), compare_names);
	*n_out = n;
	return names;
}

/* Every file under `dir`, in name order, with its stat. */
static void
stamp_tree(struct buf *out, const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		tagged_path(out, "missing", dir);
		return;
	}
	/* Entries are looked at from the open folder: a step each, not a
	 * walk from the top (12,918 of them in a 10,000-article archive). */
	int dfd = dirfd(d);
	size_t n;
	char **names = folder_names(d, &n);
	struct buf path = BUF_INIT;
	buf_puts(&path, dir);
	buf_putc(&path, '/');
	size_t base = path.len;
	for (size_t i = 0; i < n; i++) {
		path.len = base;
		buf_puts(&path, names[i]);
		struct stat st;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			tagged_path(out, "gone", path.data);
		else if (S_ISDIR(st.st_mode))
			stamp_tree(out, path.data);
		else if (!S_ISLNK(st.st_mode))
			stamp(out, "f", path.data, &st);
		else if (stat(path.data, &st) == 0)
			/* The loader may follow a link (in templates/): what
			 * counts is the file it leads to.  Folders behind
			 * links are not walked, so a loop cannot trap us. */
			stamp(out, "link", path.data, &st);
		else
			tagged_path(out, "dangling", path.data);
		free(names[i]);
	}
	closedir(d);
	free(names);
	buf_release(&path);
}

/* What decides how pages look, apart from the content: the generator,
 * the options and the templates.  The head of the inputs section. */
static void
environment(const struct state_options *opt, struct buf *out)
{
	buf_puts(out, "haichao\t" HAICHAO_VERSION "\n");
	struct stat st;
	/* A rebuilt generator may write different pages. */
	if (stat("/proc/self/exe", &st) == 0)
		stamp(out, "exe", "-", &st);
	tagged_path(out, "content-dir", opt->content_dir);
	tagged_path(out, "templates-dir", opt->templates_dir);
	tagged_path(out, "base-url", opt->base_url ? opt->base_url : "-");
	buf_puts(out, opt->drafts ? "drafts\t1\n" : "drafts\t0\n");
	stamp_tree(out, opt->templates_dir);
	buf_puts(out, "content\n");
}

/* The fingerprint of every input, taken before the build reads them (so
 * that a file edited while it runs makes the next build a full one). */
static char *
fingerprint(const struct state_options *opt)
{
	struct buf b = BUF_INIT;
	environment(opt, &b);
	stamp_tree(&b, opt->content_dir);
	return buf_detach(&b);
}

/* ---- published files ---------------------------------------------------------- */

/* A record of the files section: SIZE, MTIME seconds, MTIME nanoseconds,
 * PATH, then KEY (a hash) for a file made from known things. */
struct file_line {
	bool has_key;
	unsigned long long key, size, mtime_s, mtime_ns;
	struct buf path;
};

static bool
parse_file_line(const char *line, size_t len, struct file_line *f)
{
	struct rec r;
	rec_open(&r, line, len, NULL);
	f->size = rec_get_num(&r, LLONG_MAX);
	f->mtime_s = rec_get_num(&r, LLONG_MAX);
	f->mtime_ns = rec_get_num(&r, 999999999);
	rec_get_text_into(&r, &f->path);
	f->has_key = rec_more(&r);
	f->key = f->has_key ? rec_get_hex(&r) : 0;
	return rec_done(&r) && f->key <= LONG_MAX && f->path.len > 0;
}

/* True when a stat of the file (ok: it worked) is the file as
 * published. */
static bool
same_file(const struct file_line *f, bool ok, const struct stat *st)
{
	return ok && (unsigned long long)st->st_size == f->size &&
	    (unsigned long long)st->st_mtim.tv_sec == f->mtime_s &&
	    (unsigned long long)st->st_mtim.tv_nsec == f->mtime_ns;
}

static int
open_public(const struct state_options *opt)
{
	return open(opt->public_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Stats of many files in public/, on the pool: a path walk for each of
 * 25,000 files is most of what checking them costs.  ok[i]: a regular
 * file with a time after 1970 (the only ones recorded). */
struct stat_job {
	int dfd;
	char *const *paths;
	struct stat *st;
	bool *ok;
};

static void
stat_one(void *ctx, size_t i, int worker)
{
	(void)worker;
	struct stat_job *j = ctx;
	j->ok[i] = j->dfd >= 0 && j->paths[i] != NULL &&
	    fstatat(j->dfd, j->paths[i], &j->st[i], AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(j->st[i].st_mode) && j->st[i].st_mtim.tv_sec >= 0;
}

static void
stat_all(const struct state_options *opt, char *const *paths, size_t n,
    struct stat *st, bool *ok)
{
	struct stat_job j = { open_public(opt), paths, st, ok };
	pool_run(opt->threads > 0 ? opt->threads : 1, n, stat_one, &j);
	if (j.dfd >= 0)
		close(j.dfd);
}

/* The files section read into lines (paths copied); false when a line
 * does not read. */
struct file_lines {
	struct file_line *v;
	char **paths;
	size_t n;
};

static bool
read_file_lines(const struct state_span *s, struct file_lines *fl)
{
	size_t cap = 0;
	*fl = (struct file_lines){ NULL, NULL, 0 };
	struct file_line f = { .path = BUF_INIT };
	const char *p = s->p, *end = s->p + s->len, *line;
	size_t len;
	bool ok = true;
	while (ok && rec_next_line(&p, end, &line, &len)) {
		if (!(ok = parse_file_line(line, len, &f)))
			break;
		if (fl->n == cap) {
			cap = cap ? cap * 2 : 1024;
			fl->v = xrealloc(fl->v, cap * sizeof(*fl->v));
			fl->paths = xrealloc(fl->paths, cap * sizeof(*fl->paths));
		}
		fl->v[fl->n] = f;
		fl->v[fl->n].path = (struct buf)BUF_INIT;
		fl->paths[fl->n++] = xstrdup(f.path.data);
	}
	buf_release(&f.path);
	return ok;
}

static void
free_file_lines(struct file_lines *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->paths[i]);
	free(fl->paths);
	free(fl->v);
}

/* Every published file as it was written: what makes an up-to-date
 * public/ (a restored or edited file is not). */
static bool
files_intact(const struct state_options *opt, const struct state_span *files)
{
	struct file_lines fl;
	bool ok = read_file_lines(files, &fl);
	struct stat *st = xmalloc((fl.n + 1) * sizeof(*st));
	bool *there = xmalloc(fl.n + 1);
	if (ok)
		stat_all(opt, fl.paths, fl.n, st, there);
	for (size_t i = 0; ok && i < fl.n; i++)
		ok = same_file(&fl.v[i], there[i], &st[i]);
	free(st);
	free(there);
	free_file_lines(&fl);
	return ok;
}

/* ---- the up-to-date check ------------------------------------------------------ */

static void
complain(const struct state_options *opt, struct diags *d, int why)
{
	char *path = state_path(opt);
	struct pos at = { path, 0, 0 };
	diag(d, &at, why);
	free(path);
}

/* The up-to-date check on the head of the file: the inputs exactly as
 * recorded and every published file as written.  What the build said
 * goes to *said. */
static bool
fresh_from_head(const struct state_options *opt, struct reading *r,
    const char *inputs, char **said)
{
	size_t lens[ST_COUNT], at, head, total;
	uint64_t sums[ST_COUNT];
	int why;
	if (!read_upto(r, 4096) || !parse_table(r->data, r->n, lens, sums, &at, &why))
		return false;
	head = at + lens[ST_INPUTS] + lens[ST_SAID] + lens[ST_FILES];
	total = at;
	for (int i = 0; i < ST_COUNT; i++)
		total += lens[i] < r->size ? lens[i] : r->size + 1;
	struct state_span sec[ST_COUNT];
	if (total != r->size || head > r->size || !read_upto(r, head) ||
	    !check_sections(r->data, r->n, lens, sums, at, ST_FILES + 1, sec))
		return false;
	size_t now = strlen(inputs);
	if (sec[ST_INPUTS].len != now || memcmp(sec[ST_INPUTS].p, inputs, now) != 0 ||
	    !files_intact(opt, &sec[ST_FILES]))
		return false;
	*said = xstrndup(sec[ST_SAID].p, sec[ST_SAID].len);
	return true;
}

bool
state_up_to_date(const struct state_options *opt, struct diags *d,
    char **said, char **inputs, struct state_text *text)
{
	*said = NULL;
	*inputs = fingerprint(opt);
	*text = (struct state_text){ NULL, 0, false, { { NULL, 0 } } };
	struct reading r;
	if (!open_state(opt, &r))
		return false;
	bool fresh = fresh_from_head(opt, &r, *inputs, said);
	/* Not fresh: the build needs all of it, read and checked whole. */
	bool read = fresh || read_upto(&r, SIZE_MAX);
	close(r.fd);
	int why;
	if (fresh || !read) {
		free(r.data);
		return fresh;
	}
	if (!state_parse(r.data, r.n, text, &why))
		complain(opt, d, why);
	return false;
}

/* ---- the last build's state, indexed ------------------------------------------- */

/* The files: all of them listed (for pruning); a key kept only while
 * the file is as it was published.  Any line that does not read makes
 * the whole list unusable: the section's checksum held, so it was
 * written to mislead. */
static void
index_files(const struct state_options *opt, struct state_prev *prev,
    bool same_env)
{
	struct file_lines fl;
	bool ok = read_file_lines(&prev->text.sec[ST_FILES], &fl);
	struct stat *st = xmalloc((fl.n + 1) * sizeof(*st));
	bool *there = xcalloc(fl.n + 1, 1);
	/* Only files with a key need looking at (and only when keys are
	 * of use at all). */
	char **keyed = xcalloc(fl.n + 1, sizeof(*keyed));
	for (size_t i = 0; ok && same_env && i < fl.n; i++)
		keyed[i] = fl.v[i].has_key ? fl.paths[i] : NULL;
	if (ok && same_env)
		stat_all(opt, keyed, fl.n, st, there);
	prev->stamps = xmalloc((fl.n + 1) * sizeof(*prev->stamps));
	size_t n_stamps = 0;
	for (size_t i = 0; ok && i < fl.n; i++) {
		strset_add(&prev->files, fl.paths[i]);
		if (!keyed[i] || !same_file(&fl.v[i], there[i], &st[i]))
			continue;
		strset_put(&prev->keys, fl.paths[i], (long)fl.v[i].key);
		prev->stamps[n_stamps] = (struct state_stamp){ fl.v[i].size,
			fl.v[i].mtime_s, fl.v[i].mtime_ns };
		strset_put(&prev->stamped, fl.paths[i], (long)n_stamps++);
	}
	free(keyed);
	free(st);
	free(there);
	free_file_lines(&fl);
	prev->have_files = ok;
	if (!ok) {
		strset_free(&prev->files);
		strset_free(&prev->keys);
		strset_free(&prev->stamped);
		strset_init(&prev->files);
		strset_init(&prev->keys);
		strset_init(&prev->stamped);
	}
}

/* A section of records whose first field names them: name -> offset of
 * its line. */
static void
index_records(const struct state_span *s, struct strset *set)
{
	struct buf name = BUF_INIT;
	const char *p = s->p, *end = s->p + s->len, *line;
	size_t len;
	while (rec_next_line(&p, end, &line, &len)) {
		struct rec r;
		rec_open(&r, line, len, NULL);
		if (rec_get_text_into(&r, &name) && rec_more(&r) && name.len > 0)
			strset_put(set, name.data, (long)(line - s->p));
	}
	buf_release(&name);
}

void
state_prev_load(const struct state_options *opt, struct state_text *text,
    struct state_prev *prev)
{
	strset_init(&prev->keys);
	strset_init(&prev->stamped);
	prev->stamps = NULL;
	strset_init(&prev->files);
	strset_init(&prev->renders);
	strset_init(&prev->sources);
	prev->have_files = false;
	prev->related_key = 0;
	prev->related = NULL;
	prev->related_len = 0;
	prev->text = *text;
	*text = (struct state_text){ NULL, 0, false, { { NULL, 0 } } };
	if (!prev->text.sound)
		return;
	/* Keys, renders, sources and related lists only mean something for
	 * the same generator, options and templates; the list of files
	 * always does. */
	struct buf env = BUF_INIT;
	environment(opt, &env);
	const struct state_span *in = &prev->text.sec[ST_INPUTS];
	bool same_env = in->len >= env.len && memcmp(in->p, env.data, env.len) == 0;
	buf_release(&env);
	index_files(opt, prev, same_env);
	if (!same_env)
		return;
	index_records(&prev->text.sec[ST_RENDERS], &prev->renders);
	index_records(&prev->text.sec[ST_SOURCES], &prev->sources);
	/* Related lists: a record of their key, then one per article. */
	const struct state_span *r = &prev->text.sec[ST_RELATED];
	const char *p = r->p, *line;
	size_t len;
	struct rec k;
	if (rec_next_line(&p, r->p + r->len, &line, &len) && p[-1] == '\n') {
		rec_open(&k, line, len, NULL);
		uint64_t key = rec_get_hex(&k);
		if (rec_done(&k)) {
			prev->related_key = key;
			prev->related = p;
			prev->related_len = (size_t)(r->p + r->len - p);
		}
	}
}

void
state_prev_free(struct state_prev *prev)
{
	strset_free(&prev->keys);
	strset_free(&prev->stamped);
	free(prev->stamps);
	strset_free(&prev->files);
	strset_free(&prev->renders);
	strset_free(&prev->sources);
	state_text_free(&prev->text);
}

/* The line `key` points to in section s (`set` maps keys to offsets
 * into it), without its newline. */
static bool
line_of(const struct strset *set, const struct state_span *s, const char *key,
    const char **line, size_t *line_len)
{
	long at = strset_value(set, key);
	if (at < 0 || s->p == NULL || (size_t)at >= s->len)
		return false;
	const char *p = s->p + at;
	const char *eol = memchr(p, '\n', s->len - (size_t)at);
	*line = p;
	*line_len = eol ? (size_t)(eol - p) : s->len - (size_t)at;
	return true;
}

bool
state_render_record(const struct state_prev *prev, const char *slug,
    const char **record, size_t *len)
{
	return line_of(&prev->renders, &prev->text.sec[ST_RENDERS], slug, record,
	    len);
}

const char *
state_related(const struct state_prev *prev, uint64_t key, size_t *len)
{
	if (prev->related == NULL || prev->related_key != key)
		return NULL;
	*len = prev->related_len;
	return prev->related;
}

/* ---- article files ------------------------------------------------------------ */

/* A front-matter tree, node by node, depth first: KIND (a letter: s a
 * scalar, S a quoted scalar, q a sequence, m a map), LINE, COL, then a
 * scalar's TEXT or a collection's COUNT of items (a map's keys and
 * values alternate). */
static void
put_tree(struct buf *out, const struct ynode *n)
{
	static const char kinds[] = { [Y_SCALAR] = 's', [Y_SEQ] = 'q', [Y_MAP] = 'm' };
	rec_put_letter(out, n->kind == Y_SCALAR && n->quoted ? 'S' : kinds[n->kind]);
	rec_put_num(out, (unsigned long long)(n->pos.line > 0 ? n->pos.line : 0));
	rec_put_num(out, (unsigned long long)(n->pos.col > 0 ? n->pos.col : 0));
	if (n->kind == Y_SCALAR) {
		rec_put_text(out, n->str);
		return;
	}
	rec_put_num(out, n->n);
	for (size_t i = 0; i < n->n; i++)
		put_tree(out, n->items[i]);
}

/* The tree put_tree wrote, with `path` in every position; NULL when it
 * does not read.  A node takes at least six bytes ("s\t0\t0\t"), which
 * bounds every count by what is left. */
static struct ynode *
get_tree(struct rec *r, const char *path, int depth)
{
	char kind = rec_get_letter(r);
	size_t line = (size_t)rec_get_num(r, INT_MAX);
	size_t col = (size_t)rec_get_num(r, INT_MAX);
	if (!r->ok || depth > YNODE_MAX_DEPTH ||
	    (kind != 's' && kind != 'S' && kind != 'q' && kind != 'm'))
		return NULL;
	struct ynode *y = ARENA_NEW(r->arena, struct ynode);
	*y = (struct ynode){ .pos = { path, (int)line, (int)col } };
	if (kind == 's' || kind == 'S') {
		y->kind = Y_SCALAR;
		y->quoted = kind == 'S';
		y->str = rec_get_text(r, &y->len);
		return r->ok ? y : NULL;
	}
	y->kind = kind == 'q' ? Y_SEQ : Y_MAP;
	y->n = rec_get_count(r, 6);
	if (!r->ok || (kind == 'm' && y->n % 2 != 0))
		return NULL;
	y->items = ARENA_ARRAY(r->arena, struct ynode *, y->n ? y->n : 1);
	/* A map's keys are scalars (ynode_get compares their text). */
	for (size_t i = 0; i < y->n; i++)
		if ((y->items[i] = get_tree(r, path, depth + 1)) == NULL ||
		    (kind == 'm' && i % 2 == 0 && y->items[i]->kind != Y_SCALAR))
			return NULL;
	return y;
}

/* A sources record: NAME, the stamp (MTIME seconds and nanoseconds,
 * CTIME seconds and nanoseconds, SIZE, INODE), the text's HASH, the
 * body's first LINE, then the front matter's tree (put_tree). */
void
state_put_source(struct buf *out, const struct source_record *r)
{
	if (r->line) {   /* taken from the last state as it was */
		buf_add(out, r->line, r->line_len);
		buf_putc(out, '\n');
		return;
	}
	const struct file_stamp *st = &r->stamp;
	long long v[] = { st->mtime_s, st->mtime_ns, st->ctime_s, st->ctime_ns,
		st->size };
	rec_put_text(out, r->name);
	/* Before 1970 (or damaged): 0, which matches no stamp of such a
	 * file, so it is read again. */
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		rec_put_num(out, v[i] > 0 ? (unsigned long long)v[i] : 0);
	rec_put_num(out, st->ino);
	rec_put_hex(out, r->source_hash);
	rec_put_num(out, (unsigned long long)(r->body_line > 0 ? r->body_line : 0));
	put_tree(out, r->fm);
	rec_end(out);
}

bool
state_read_source(const char *line, size_t len, const char *path,
    struct source_record *out, struct arena *a)
{
	struct rec r;
	rec_open(&r, line, len, a);
	struct source_record s = { .line = line, .line_len = len };
	s.name = rec_get_text(&r, NULL);
	long long *v[] = { &s.stamp.mtime_s, &s.stamp.mtime_ns, &s.stamp.ctime_s,
		&s.stamp.ctime_ns, &s.stamp.size };
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		*v[i] = (long long)rec_get_num(&r, LLONG_MAX);
	s.stamp.ino = rec_get_num(&r, ULLONG_MAX);
	s.source_hash = rec_get_hex(&r);
	s.body_line = (int)rec_get_num(&r, INT_MAX - 1);
	s.fm = get_tree(&r, path, 0);
	if (s.fm == NULL || !rec_done(&r) || s.body_line < 2)
		return false;
	*out = s;
	return true;
}

bool
state_source(const void *ctx, const char *name, const char *path,
    struct source_record *out, struct arena *a)
{
	const struct state_prev *prev = ctx;
	const char *line;
	size_t line_len;
	return line_of(&prev->sources, &prev->text.sec[ST_SOURCES], name, &line,
	    &line_len) && state_read_source(line, line_len, path, out, a);
}

/* ---- saving -------------------------------------------------------------------- */

/* The files section: each published file with its key, if any, and its
 * size and mtime now, just after the commit. */
/* The stamp the last build verified `path` with, when this build kept
 * it (the same key), else NULL. */
static const struct state_stamp *
kept_stamp(const struct state_next *s, const char *path, long key)
{
	const struct state_prev *prev = s->prev;
	if (prev == NULL || key < 0 || strset_value(&prev->keys, path) != key)
		return NULL;
	long at = strset_value(&prev->stamped, path);
	return at >= 0 ? &prev->stamps[at] : NULL;
}

static void
put_files(const struct state_options *opt, const struct state_next *s,
    struct buf *out)
{
	size_t n = s->files ? s->files->cap : 0;
	char **look = xcalloc(n + 1, sizeof(*look));
	const struct state_stamp **kept = xcalloc(n + 1, sizeof(*kept));
	long *keys = xmalloc((n + 1) * sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		const char *path = s->files->slots[i];
		keys[i] = path && s->keys ? strset_value(s->keys, path) : -1;
		kept[i] = path ? kept_stamp(s, path, keys[i]) : NULL;
		look[i] = kept[i] ? NULL : s->files->slots[i];
	}
	struct stat *st = xmalloc((n + 1) * sizeof(*st));
	bool *there = xmalloc(n + 1);
	stat_all(opt, look, n, st, there);
	for (size_t i = 0; i < n; i++) {
		/* A file gone or changed already is left out: the next
		 * build will not trust or prune what it cannot vouch for. */
		if (!there[i] && !kept[i])
			continue;
		struct state_stamp now = kept[i] ? *kept[i] :
		    (struct state_stamp){ (unsigned long long)st[i].st_size,
			(unsigned long long)st[i].st_mtim.tv_sec,
			(unsigned long long)st[i].st_mtim.tv_nsec };
		rec_put_num(out, now.size);
		rec_put_num(out, now.mtime_s);
		rec_put_num(out, now.mtime_ns);
		rec_put_text(out, s->files->slots[i]);
		if (keys[i] >= 0)
			rec_put_hex(out, (uint64_t)keys[i]);
		rec_end(out);
	}
	free(look);
	free(kept);
	free(keys);
	free(st);
	free(there);
}

/* The head of the file: the magic and the table of the sections. */
static void
put_table(const struct state_span sec[ST_COUNT], struct buf *out)
{
	buf_puts(out, STATE_MAGIC);
	for (int i = 0; i < ST_COUNT; i++) {
		rec_put_text(out, section_name[i]);
		rec_put_num(out, sec[i].len);
		rec_put_hex(out, section_sum((enum state_section)i, sec[i].p,
		    sec[i].len));
		rec_end(out);
	}
}

void
state_format(const struct state_span sec[ST_COUNT], struct buf *out)
{
	put_table(sec, out);
	for (int i = 0; i < ST_COUNT; i++)
		buf_add(out, sec[i].p, sec[i].len);
}

void
state_save(const struct state_options *opt, const struct state_next *s)
{
	struct buf files = BUF_INIT, related = BUF_INIT, head = BUF_INIT,
	    tmp = BUF_INIT;
	put_files(opt, s, &files);
	rec_put_hex(&related, s->related_key);
	rec_end(&related);
	if (s->related && s->related->len)
		buf_add(&related, s->related->data, s->related->len);
	struct state_span sec[ST_COUNT] = {
		[ST_INPUTS] = { s->inputs, strlen(s->inputs) },
		[ST_SAID] = { s->said, strlen(s->said) },
		[ST_FILES] = { files.data ? files.data : "", files.len },
		[ST_RENDERS] = { s->renders && s->renders->data ? s->renders->data : "",
		    s->renders ? s->renders->len : 0 },
		[ST_SOURCES] = { s->sources && s->sources->data ? s->sources->data : "",
		    s->sources ? s->sources->len : 0 },
		[ST_RELATED] = { related.data, related.len },
	};
	put_table(sec, &head);
	/* Written to a new file, straight from the sections' buffers (tens
	 * of MB: no copy), then renamed into place: a build killed
	 * meanwhile leaves the old state or none. */
	char *path = state_path(opt);
	buf_printf(&tmp, "%s.tmp", path);
	FILE *f = fopen(tmp.data, "wb");
	if (f != NULL) {
		bool ok = fwrite(head.data, 1, head.len, f) == head.len;
		for (int i = 0; i < ST_COUNT; i++)
			ok = ok && fwrite(sec[i].p, 1, sec[i].len, f) == sec[i].len;
		ok = fclose(f) == 0 && ok;
		if (!ok || rename(tmp.data, path) != 0)
			unlink(tmp.data);
	}
	free(path);
	buf_release(&files);
	buf_release(&related);
	buf_release(&head);
	buf_release(&tmp);
}

void
state_forget(const struct state_options *opt)
{
	char *path = state_path(opt);
	unlink(path);
	free(path);
}
