/* cache.c — the no-op rebuild check: a fingerprint of every input. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "strset.h"

#define CACHE_MAGIC "haichao-cache 1"

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

static void
stamp(struct buf *out, const char *tag, const char *path, const struct stat *st)
{
	buf_printf(out, "%s %lld.%09ld %lld %llu %s\n", tag,
	    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	    (long long)st->st_size, (unsigned long long)st->st_ino, path);
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
		buf_printf(out, "missing %s\n", dir);
		return;
	}
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
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), compare_names);
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(path.data, &st) != 0)
			buf_printf(out, "gone %s\n", path.data);
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
			buf_printf(out, "dangling %s\n", path.data);
		free(names[i]);
	}
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
	buf_printf(out, "options %s|%s|%s|%d\n", opt->content_dir,
	    opt->templates_dir, opt->base_url ? opt->base_url : "",
	    opt->drafts);
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

/* The cache file: fingerprint, "said LEN", what was said, "pages N", then
 * a line "HASH PATH" per page. */
static bool
read_cache(const struct build_options *opt, struct buf *saved)
{
	char *path = cache_path(opt);
	FILE *f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return false;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(saved, chunk, n);
	fclose(f);
	return true;
}

/* Finds the "said" record after the fingerprint `now`; NULL when the
 * saved state does not start with it. */
static const char *
after_prefix(const struct buf *saved, const struct buf *now)
{
	if (saved->len < now->len || memcmp(saved->data, now->data, now->len) != 0)
		return NULL;
	return saved->data + now->len;
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
cache_up_to_date(const struct build_options *opt, struct diags *d, char **said)
{
	*said = NULL;
	struct buf saved = BUF_INIT, now = BUF_INIT;
	if (!read_cache(opt, &saved))
		return false;
	bool fresh = false;
	if (saved.len < sizeof(CACHE_MAGIC) ||
	    memcmp(saved.data, CACHE_MAGIC " ", sizeof(CACHE_MAGIC)) != 0) {
		damaged(opt, d);
		goto out;
	}
	char *inputs = cache_inputs(opt);
	buf_puts(&now, inputs);
	free(inputs);
	output_stamp(opt, &now);
	const char *rest = after_prefix(&saved, &now);
	if (rest == NULL)
		goto out;   /* stale: something changed */
	size_t len, left = (size_t)(saved.data + saved.len - rest);
	int used = 0;
	/* A damaged length must not read past the end. */
	if (sscanf(rest, "said %zu\n%n", &len, &used) == 1 && used > 0 &&
	    (size_t)used <= left && len <= left - (size_t)used) {
		*said = xstrndup(rest + used, len);
		fresh = true;
	} else {
		damaged(opt, d);
	}
out:
	buf_release(&saved);
	buf_release(&now);
	return fresh;
}

struct strset *
cache_page_hashes(const struct build_options *opt)
{
	struct buf saved = BUF_INIT, env = BUF_INIT;
	struct strset *set = NULL;
	if (!read_cache(opt, &saved))
		goto out;
	environment(opt, &env);
	if (after_prefix(&saved, &env) == NULL)
		goto out;   /* other templates, options or generator */
	const char *pages = strstr(saved.data + env.len, "\npages ");
	if (pages == NULL)
		goto out;
	set = xcalloc(1, sizeof(*set));
	strset_init(set);
	const char *p = strchr(pages + 1, '\n');
	const char *end = saved.data + saved.len;
	while (p != NULL && p + 1 < end) {
		p++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			break;
		unsigned long long h;
		int used = 0;
		if (sscanf(p, "%16llx %n", &h, &used) == 1 && used > 0 && p + used < eol) {
			char *rel = xstrndup(p + used, (size_t)(eol - p - used));
			strset_put(set, rel, (long)h);
			free(rel);
		}
		p = eol;
	}
out:
	buf_release(&saved);
	buf_release(&env);
	return set;
}

void
cache_save(const struct build_options *opt, const char *inputs,
    const char *said, const struct strset *pages)
{
	char *path = cache_path(opt);
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	buf_puts(&b, inputs);
	output_stamp(opt, &b);
	buf_printf(&b, "said %zu\n", strlen(said));
	buf_puts(&b, said);
	buf_printf(&b, "\npages %zu\n", pages ? pages->len : 0);
	for (size_t i = 0; pages && i < pages->cap; i++)
		if (pages->slots[i])
			buf_printf(&b, "%016llx %s\n",
			    (unsigned long long)pages->values[i], pages->slots[i]);
	buf_printf(&tmp, "%s.tmp", path);
	FILE *f = fopen(tmp.data, "wb");
	if (f != NULL) {
		bool ok = fwrite(b.data, 1, b.len, f) == b.len;
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
