/* cache.c — the no-op rebuild check: a fingerprint of every input. */
#include "cache.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "escape.h"
#include "input.h"
#include "strset.h"

#define CACHE_PREFIX "haichao-cache "
#define CACHE_MAGIC CACHE_PREFIX "6"

static char *
cache_path(const struct build_options *opt)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(opt->public_dir);
	while (len > 1 && opt->public_dir[len - 1] == '/')
		len--;
	buf_add(&b, opt->public_dir, len);
	buf_puts(&b, ".haichao-cache");
	return buf_detach(&b);
}

/* A path on one line: a file name may hold a newline, which would let
 * it forge a record. */
static void
put_path(struct buf *out, const char *path)
{
	escape_field(out, path);
}

/* Undoes put_path on [p, end); false when it is not put_path's. */
static bool
get_path(const char *p, const char *end, struct buf *out)
{
	return unescape_field(p, (size_t)(end - p), out) && out->len > 0;
}

/* A decimal (or, with base 16, hexadecimal) number ending at `stop`;
 * moves *p past the stop character. */
static bool
get_number(const char **p, const char *end, int base, char stop,
    unsigned long long *out)
{
	const char *q = *p;
	unsigned long long v = 0;
	int digits = 0;
	for (; q < end && *q != stop; q++, digits++) {
		int d = base == 16 ? hex_digit(*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
		if (d < 0 || digits >= (base == 16 ? 16 : 19))
			return false;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (digits == 0 || q >= end)
		return false;
	*out = v;
	*p = q + 1;
	return true;
}

/* A file's stamp: mtime, ctime, size and inode.  The change time counts
 * because an edit that keeps the size and sets the modification time
 * back (touch -r, cp -p, some editors and tools) still moves it. */
/* A decimal number, zero-padded to `width` digits (0: as long as it
 * needs), then `after`; without printf, which is most of stamping
 * tens of thousands of files. */
static void
put_decimal(struct buf *out, unsigned long long v, int width, char after)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < 20);
	while (n < width)
		tmp[n++] = '0';
	char text[25];
	for (int i = 0; i < n; i++)
		text[i] = tmp[n - 1 - i];
	text[n] = after;
	buf_add(out, text, (size_t)n + 1);
}

static void
stamp(struct buf *out, const char *tag, const char *path, const struct stat *st)
{
	/* "%s %lld.%09ld %lld.%09ld %lld %llu ", by hand; times before
	 * 1970 (negative) are written as 0, which only makes a rebuild. */
	buf_puts(out, tag);
	buf_putc(out, ' ');
	put_decimal(out, st->st_mtim.tv_sec > 0 ? (unsigned long long)st->st_mtim.tv_sec : 0, 0, '.');
	put_decimal(out, (unsigned long long)st->st_mtim.tv_nsec, 9, ' ');
	put_decimal(out, st->st_ctim.tv_sec > 0 ? (unsigned long long)st->st_ctim.tv_sec : 0, 0, '.');
	put_decimal(out, (unsigned long long)st->st_ctim.tv_nsec, 9, ' ');
	put_decimal(out, (unsigned long long)st->st_size, 0, ' ');
	put_decimal(out, (unsigned long long)st->st_ino, 0, ' ');
	put_path(out, path);
	buf_putc(out, '\n');
}

static void
tagged_path(struct buf *out, const char *tag, const char *path)
{
	buf_printf(out, "%s ", tag);
	put_path(out, path);
	buf_putc(out, '\n');
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
 * the options and the templates. */
static void
environment(const struct build_options *opt, struct buf *out)
{
	buf_printf(out, "%s %s\n", CACHE_MAGIC, HAICHAO_VERSION);
	struct stat st;
	/* A rebuilt generator may write different pages. */
	if (stat("/proc/self/exe", &st) == 0)
		stamp(out, "exe", "-", &st);
	tagged_path(out, "content-dir", opt->content_dir);
	tagged_path(out, "templates-dir", opt->templates_dir);
	tagged_path(out, "base-url", opt->base_url ? opt->base_url : "-");
	buf_printf(out, "drafts %d\n", opt->drafts);
	stamp_tree(out, opt->templates_dir);
	buf_puts(out, "content\n");
}

char *
cache_inputs(const struct build_options *opt)
{
	struct buf b = BUF_INIT;
	environment(opt, &b);
	stamp_tree(&b, opt->content_dir);
	return buf_detach(&b);
}

/* The page a build writes first: public/ as the last build left it. */
static void
output_stamp(const struct build_options *opt, struct buf *out)
{
	struct buf index = BUF_INIT;
	struct stat st;
	buf_printf(&index, "%s/index.html", opt->public_dir);
	if (stat(index.data, &st) == 0)
		stamp(out, "out", "index.html", &st);
	else
		buf_puts(out, "out missing\n");
	buf_release(&index);
}

/* The cache file: the fingerprint (one record per line), "said LEN" and
 * what the build said, then "pages N" and a line "HASH PATH" per page,
 * then "files N" and a line per file it published. */
static bool
read_cache(const struct build_options *opt, struct file_view *saved)
{
	/* Tens of megabytes for a big archive, mapped (see file_view).
	 * A cache that cannot be read is no cache (nothing to say). */
	char *path = cache_path(opt);
	struct diags quiet;
	diags_init(&quiet);
	bool ok = file_view_open(path, saved, &quiet);
	diags_free(&quiet);
	free(path);
	return ok;
}

struct records {
	const char *said;
	size_t said_len;
	const char *pages, *files, *renders, *sources, *related;   /* each section's first line */
	size_t n_pages, n_files, n_renders, n_sources, n_related;
	const char *end;
};

/* Reads "WORD N\n" at *p; false when something else is there. */
static bool
read_count(const char **p, const char *end, const char *word, size_t *n)
{
	size_t wl = strlen(word);
	const char *q = *p;
	if ((size_t)(end - q) < wl + 2 || memcmp(q, word, wl) != 0 || q[wl] != ' ')
		return false;
	q += wl + 1;
	size_t v = 0;
	const char *digits = q;
	while (q < end && *q >= '0' && *q <= '9' && q - digits < 18)
		v = v * 10 + (size_t)(*q++ - '0');
	if (q == digits || q >= end || *q != '\n')
		return false;
	*n = v;
	*p = q + 1;
	return true;
}

/* Skips n lines; NULL when the text ends first. */
static const char *
skip_lines(const char *p, const char *end, size_t n)
{
	for (; n > 0; n--) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return NULL;
		p = nl + 1;
	}
	return p;
}

/* Splits a cache file into its records, starting at `from` (the line
 * after the fingerprint, or anywhere before it: fingerprint lines never
 * start with "said ").  False when the file is damaged. */
static bool
split_records(const struct file_view *saved, const char *from, struct records *r)
{
	const char *p = from, *end = saved->data + saved->len;
	while (p < end && strncmp(p, "said ", 5) != 0)
		if ((p = skip_lines(p, end, 1)) == NULL)
			return false;
	if (!read_count(&p, end, "said", &r->said_len) ||
	    r->said_len > (size_t)(end - p))
		return false;
	r->said = p;
	p += r->said_len;
	if (p >= end || *p++ != '\n')
		return false;
	/* Then the sections, in this order, each "NAME N" and N lines. */
	const struct {
		const char *name;
		const char **start;
		size_t *n;
	} sections[] = {
		{ "pages", &r->pages, &r->n_pages },
		{ "files", &r->files, &r->n_files },
		{ "renders", &r->renders, &r->n_renders },
		{ "sources", &r->sources, &r->n_sources },
		{ "related", &r->related, &r->n_related },
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (!read_count(&p, end, sections[i].name, sections[i].n))
			return false;
		*sections[i].start = p;
		if ((p = skip_lines(p, end, *sections[i].n)) == NULL)
			return false;
	}
	r->end = end;
	return true;
}

static void
damaged(const struct build_options *opt, struct diags *d)
{
	char *path = cache_path(opt);
	struct pos at = { path, 0, 0 };
	diag(d, &at, D_CACHE_DAMAGED);
	free(path);
}

bool
cache_up_to_date(const struct build_options *opt, struct diags *d, char **said,
    char **inputs, struct file_view *text)
{
	*said = NULL;
	*inputs = cache_inputs(opt);
	struct file_view saved = { NULL, 0, 0 };
	struct buf now = BUF_INIT;
	if (!read_cache(opt, &saved))
		return false;
	bool fresh = false;
	struct records r;
	if (saved.len < sizeof(CACHE_MAGIC) ||
	    memcmp(saved.data, CACHE_MAGIC " ", sizeof(CACHE_MAGIC)) != 0) {
		/* Another version's cache is simply not used; anything else
		 * is worth a word. */
		if (saved.len < sizeof(CACHE_PREFIX) - 1 ||
		    memcmp(saved.data, CACHE_PREFIX, sizeof(CACHE_PREFIX) - 1) != 0)
			damaged(opt, d);
		file_view_close(&saved);
		goto out;
	}
	if (!split_records(&saved, saved.data, &r)) {
		damaged(opt, d);
		goto out;
	}
	buf_puts(&now, *inputs);
	output_stamp(opt, &now);
	/* Up to date when the fingerprint is exactly what precedes "said". */
	if ((size_t)(r.said - saved.data) > now.len &&
	    memcmp(saved.data, now.data, now.len) == 0 &&
	    strncmp(saved.data + now.len, "said ", 5) == 0) {
		*said = xstrndup(r.said, r.said_len);
		fresh = true;
	}
out:
	/* Handed on, so that the rest of the build does not read it again. */
	*text = saved;
	buf_release(&now);
	return fresh;
}

void
cache_previous_load(const struct build_options *opt, struct file_view *text,
    struct cache_previous *prev)
{
	strset_init(&prev->pages);
	strset_init(&prev->files);
	strset_init(&prev->renders);
	strset_init(&prev->sources);
	prev->sources_text = NULL;
	prev->sources_len = 0;
	prev->related_text = NULL;
	prev->related_len = 0;
	prev->related_key = 0;
	prev->text = *text;
	*text = (struct file_view){ NULL, 0, 0 };
	prev->renders_text = NULL;
	prev->renders_len = 0;
	prev->have_files = false;
	const struct file_view saved = prev->text;
	struct buf env = BUF_INIT, path = BUF_INIT;
	struct records r;
	if (saved.data == NULL || !split_records(&saved, saved.data, &r))
		goto out;
	/* Hashes of pages only mean something for the same generator,
	 * options and templates; the list of files always does. */
	environment(opt, &env);
	bool same_env = saved.len >= env.len &&
	    memcmp(saved.data, env.data, env.len) == 0;
	const char *p = r.pages;
	for (size_t i = 0; same_env && i < r.n_pages; i++) {
		const char *eol = memchr(p, '\n', (size_t)(r.end - p));
		/* Parsed by hand: sscanf measures the rest of the file on
		 * every call, which made this loop quadratic. */
		unsigned long long h = 0;
		int used = 0;
		while (used < 16 && p + used < eol && isxdigit((unsigned char)p[used])) {
			char c = p[used++];
			h = h << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		if (used == 16 && p + 16 < eol && p[16] == ' ' &&
		    get_path(p + 17, eol, &path))
			strset_put(&prev->pages, path.data, (long)h);
		p = eol + 1;
	}
	p = r.files;
	for (size_t i = 0; i < r.n_files; i++) {
		const char *eol = memchr(p, '\n', (size_t)(r.end - p));
		if (get_path(p, eol, &path))
			strset_add(&prev->files, path.data);
		p = eol + 1;
	}
	prev->have_files = true;
	/* Render records, like page hashes, are only good for the same
	 * generator: kept as text, looked up by slug. */
	p = r.renders;
	const char *first = p;
	for (size_t i = 0; same_env && i < r.n_renders; i++) {
		const char *eol = memchr(p, '\n', (size_t)(r.end - p));
		const char *tab = memchr(p, '\t', (size_t)(eol - p));
		if (tab != NULL && tab > p) {
			char *slug = xstrndup(p, (size_t)(tab - p));
			strset_put(&prev->renders, slug, (long)(p - first));
			free(slug);
		}
		p = eol + 1;
	}
	if (same_env && r.n_renders > 0) {
		prev->renders_len = (size_t)(p - first);
		prev->renders_text = first;
	}
	/* Article files as the last build found them, by name: their
	 * front matter is taken from here while their stamp is the same. */
	p = first = r.sources;
	for (size_t i = 0; same_env && i < r.n_sources; i++) {
		const char *eol = memchr(p, '\n', (size_t)(r.end - p));
		const char *tab = memchr(p, '\t', (size_t)(eol - p));
		if (tab != NULL && get_path(p, tab, &path))
			strset_put(&prev->sources, path.data, (long)(p - first));
		p = eol + 1;
	}
	if (same_env && r.n_sources > 0) {
		prev->sources_len = (size_t)(p - first);
		prev->sources_text = first;
	}
	/* Related lists: "KEY\n", then a line per article. */
	unsigned long long key;
	p = r.related;
	if (same_env && r.n_related > 0 && get_number(&p, r.end, 16, '\n', &key)) {
		const char *last = skip_lines(p, r.end, r.n_related - 1);
		prev->related_key = key;
		prev->related_text = p;
		prev->related_len = (size_t)(last - p);
	}
out:
	buf_release(&env);
	buf_release(&path);
}

void
cache_previous_free(struct cache_previous *prev)
{
	strset_free(&prev->pages);
	strset_free(&prev->files);
	strset_free(&prev->renders);
	strset_free(&prev->sources);
	file_view_close(&prev->text);
}

/* The line `key` points to in a section kept as text (`set` maps keys to
 * offsets into [text, text + len)), without its newline. */
static bool
line_of(const struct strset *set, const char *text, size_t len,
    const char *key, const char **line, size_t *line_len)
{
	long at = strset_value(set, key);
	if (at < 0 || text == NULL || (size_t)at >= len)
		return false;
	const char *p = text + at;
	const char *eol = memchr(p, '\n', len - (size_t)at);
	*line = p;
	*line_len = eol ? (size_t)(eol - p) : len - (size_t)at;
	return true;
}

bool
cache_render_record(const struct cache_previous *prev, const char *slug,
    const char **record, size_t *len)
{
	return line_of(&prev->renders, prev->renders_text, prev->renders_len,
	    slug, record, len);
}

/* A source record's line: NAME, the stamp (mtime, ctime, size, inode),
 * the text's hash, the body's first line and the front matter, tab-
 * separated. */
void
cache_put_source(struct buf *out, const struct source_record *r)
{
	if (r->line) {   /* taken from the last cache as it was */
		buf_add(out, r->line, r->line_len);
		buf_putc(out, '\n');
		return;
	}
	const struct file_stamp *st = &r->stamp;
	put_path(out, r->name);
	buf_printf(out, "\t%lld.%09lld\t%lld.%09lld\t%lld\t%llu\t%016llx\t%d\t",
	    st->mtime_s, st->mtime_ns, st->ctime_s, st->ctime_ns, st->size, st->ino,
	    (unsigned long long)r->source_hash, r->body_line);
	escape_field(out, r->fm);
	buf_putc(out, '\n');
}

const char *
cache_related(const struct cache_previous *prev, uint64_t key, size_t *len)
{
	if (prev->related_text == NULL || prev->related_key != key)
		return NULL;
	*len = prev->related_len;
	return prev->related_text;
}

bool
cache_source(const void *ctx, const char *name, struct source_record *out,
    struct arena *a)
{
	const struct cache_previous *prev = ctx;
	const char *line, *p;
	size_t line_len;
	if (!line_of(&prev->sources, prev->sources_text, prev->sources_len, name,
	    &line, &line_len))
		return false;
	const char *eol = line + line_len;
	if ((p = memchr(line, '\t', line_len)) == NULL)
		return false;
	p++;
	unsigned long long v[8];
	static const char stops[] = ".\t.\t\t\t\t\t";
	static const int bases[] = { 10, 10, 10, 10, 10, 10, 16, 10 };
	for (int i = 0; i < 8; i++)
		if (!get_number(&p, eol, bases[i], stops[i], &v[i]))
			return false;
	struct buf fm = BUF_INIT;
	if (!unescape_field(p, (size_t)(eol - p), &fm)) {
		buf_release(&fm);
		return false;
	}
	*out = (struct source_record){ NULL,
		{ (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3],
		  (long long)v[4], v[5] }, v[6], (int)v[7],
		arena_strndup(a, fm.data ? fm.data : "", fm.len), fm.len,
		line, (size_t)(eol - line) };
	buf_release(&fm);
	return v[7] >= 2 && v[7] < INT_MAX;
}

static void
put_set(struct buf *b, const char *section, const struct strset *set,
    bool with_values)
{
	buf_printf(b, "%s %zu\n", section, set ? set->len : 0);
	for (size_t i = 0; set && i < set->cap; i++) {
		if (set->slots[i] == NULL)
			continue;
		if (with_values) {   /* "%016llx ", without printf per line */
			char hex[17];
			unsigned long long v = (unsigned long long)set->values[i];
			for (int k = 15; k >= 0; k--, v >>= 4)
				hex[k] = "0123456789abcdef"[v & 15];
			hex[16] = ' ';
			buf_add(b, hex, 17);
		}
		put_path(b, set->slots[i]);
		buf_putc(b, '\n');
	}
}

static size_t
count_lines(const struct buf *lines)
{
	size_t n = 0;
	const char *p = lines ? lines->data : NULL, *end = p ? p + lines->len : NULL;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* A section of whole lines: "NAME N", then `head` (one line, counted,
 * when not NULL) and the lines, written straight from their buffer (the
 * render and source records are most of the cache's megabytes). */
static bool
put_section(FILE *f, const char *name, const char *head,
    const struct buf *lines)
{
	size_t n = (head != NULL) + count_lines(lines);
	bool ok = fprintf(f, "%s %zu\n", name, n) > 0;
	if (head)
		ok = fprintf(f, "%s\n", head) > 0 && ok;
	if (lines && lines->len)
		ok = fwrite(lines->data, 1, lines->len, f) == lines->len && ok;
	return ok;
}

void
cache_save(const struct build_options *opt, const char *inputs,
    const char *said, const struct strset *pages, const struct strset *files,
    const struct buf *renders, const struct buf *sources, uint64_t related_key,
    const struct buf *related)
{
	char *path = cache_path(opt);
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	buf_puts(&b, inputs);
	output_stamp(opt, &b);
	buf_printf(&b, "said %zu\n", strlen(said));
	buf_puts(&b, said);
	buf_putc(&b, '\n');
	put_set(&b, "pages", pages, true);
	put_set(&b, "files", files, false);
	char key[24];
	snprintf(key, sizeof(key), "%016llx", (unsigned long long)related_key);
	buf_printf(&tmp, "%s.tmp", path);
	FILE *f = fopen(tmp.data, "wb");
	if (f != NULL) {
		bool ok = fwrite(b.data, 1, b.len, f) == b.len;
		ok = put_section(f, "renders", NULL, renders) && ok;
		ok = put_section(f, "sources", NULL, sources) && ok;
		ok = put_section(f, "related", key, related) && ok;
		ok = fclose(f) == 0 && ok;
		/* A cache that cannot be written only costs speed. */
		if (!ok || rename(tmp.data, path) != 0)
			unlink(tmp.data);
	}
	buf_release(&b);
	buf_release(&tmp);
	free(path);
}

void
cache_forget(const struct build_options *opt)
{
	char *path = cache_path(opt);
	unlink(path);
	free(path);
}
