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
		else
			stamp(out, "f", path.data, &st);
		free(names[i]);
	}
	free(names);
	buf_release(&path);
}

/* The fingerprint of everything a build reads, and of what it wrote. */
static void
fingerprint(const struct build_options *opt, struct buf *out)
{
	buf_printf(out, "%s %s\n", CACHE_MAGIC, HAICHAO_VERSION);
	struct stat st;
	/* A rebuilt generator may write different pages. */
	if (stat("/proc/self/exe", &st) == 0)
		stamp(out, "exe", "-", &st);
	buf_printf(out, "options %s|%s|%s|%d\n", opt->content_dir,
	    opt->templates_dir, opt->base_url ? opt->base_url : "",
	    opt->drafts);
	stamp_tree(out, opt->content_dir);
	stamp_tree(out, opt->templates_dir);
	struct buf index = BUF_INIT;
	buf_printf(&index, "%s/index.html", opt->public_dir);
	if (stat(index.data, &st) == 0)
		stamp(out, "out", "index.html", &st);
	else
		buf_puts(out, "out missing\n");
	buf_release(&index);
}

#define SAID_MARK "said\n"

bool
cache_up_to_date(const struct build_options *opt, struct diags *d, char **said)
{
	*said = NULL;
	char *path = cache_path(opt);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		free(path);
		return false;
	}
	struct buf saved = BUF_INIT, now = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&saved, chunk, n);
	fclose(f);
	bool fresh = false;
	if (saved.len < sizeof(CACHE_MAGIC) ||
	    memcmp(saved.data, CACHE_MAGIC " ", sizeof(CACHE_MAGIC)) != 0) {
		struct pos at = { path, 0, 0 };
		diag(d, &at, D_CACHE_DAMAGED);
	} else {
		fingerprint(opt, &now);
		buf_puts(&now, SAID_MARK);
		fresh = saved.len >= now.len && memcmp(now.data, saved.data, now.len) == 0;
		if (fresh)
			*said = xstrndup(saved.data + now.len, saved.len - now.len);
	}
	buf_release(&saved);
	buf_release(&now);
	free(path);
	return fresh;
}

void
cache_save(const struct build_options *opt, const char *said)
{
	char *path = cache_path(opt);
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	fingerprint(opt, &b);
	buf_puts(&b, SAID_MARK);
	buf_puts(&b, said);
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
