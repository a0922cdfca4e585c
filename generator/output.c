/* output.c — staging, unchanged-file detection and commit (see output.h). */
#define _XOPEN_SOURCE 700
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"

static void
io_error(struct output *o, const char *path, const char *what)
{
	struct pos at = { path, 0, 0 };
	char msg[512];
	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));
	diag(o->diags, &at, D_IO, msg);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT;
}

bool
remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS) == 0;
}

bool
output_begin(struct output *o, const char *public_dir, struct diags *d)
{
	memset(o, 0, sizeof(*o));
	o->diags = d;
	pthread_mutex_init(&o->lock, NULL);
	strset_init(&o->all);
	strset_init(&o->changed);
	size_t len = strlen(public_dir);
	while (len > 1 && public_dir[len - 1] == '/')
		len--;
	o->public_dir = xstrndup(public_dir, len);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s.staging-%ld", o->public_dir, (long)getpid());
	o->staging = buf_detach(&b);
	struct stat st;
	if (stat(o->public_dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			io_error(o, o->public_dir, "cannot publish here");
			return false;
		}
	} else {
		o->fresh = true;
	}
	remove_tree(o->staging);
	if (mkdir(o->staging, 0755) != 0) {
		io_error(o, o->staging, "cannot create the staging folder");
		return false;
	}
	return true;
}

/* mkdir -p for the folder part of `path`. */
static bool
make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	if (slash == NULL)
		return true;
	*slash = '\0';
	bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
	if (!ok && errno == ENOENT)
		ok = make_parents(path) && (mkdir(path, 0755) == 0 || errno == EEXIST);
	*slash = '/';
	return ok;
}

/* True when public/ already has exactly these bytes at `old`. */
static bool
same_as_old(const char *old, const void *data, size_t len)
{
	int fd = open(old, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len;
	char chunk[65536];
	size_t off = 0;
	while (same && off < len) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n <= 0 || off + (size_t)n > len)
			same = false;
		else
			same = memcmp(chunk, (const char *)data + off, (size_t)n) == 0;
		off += n > 0 ? (size_t)n : 0;
	}
	close(fd);
	return same;
}

static bool
write_all(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd) == 0;
}

bool
output_write(struct output *o, const char *rel, const void *data, size_t len)
{
	pthread_mutex_lock(&o->lock);
	bool first = strset_add(&o->all, rel);
	pthread_mutex_unlock(&o->lock);
	if (!first) {
		struct pos at = { rel, 0, 0 };
		diag(o->diags, &at, D_IO, "two outputs have the same path");
		return false;
	}
	struct buf path = BUF_INIT;
	bool ok = true;
	if (!o->fresh) {
		buf_printf(&path, "%s/%s", o->public_dir, rel);
		if (same_as_old(path.data, data, len)) {
			atomic_fetch_add(&o->unchanged, 1);
			buf_release(&path);
			return true;
		}
		buf_reset(&path);
	}
	buf_printf(&path, "%s/%s", o->staging, rel);
	ok = make_parents(path.data) && write_all(path.data, data, len);
	if (!ok) {
		io_error(o, path.data, "cannot write");
	} else {
		atomic_fetch_add(&o->written, 1);
		pthread_mutex_lock(&o->lock);
		strset_add(&o->changed, rel);
		pthread_mutex_unlock(&o->lock);
	}
	buf_release(&path);
	return ok;
}

bool
output_keep(struct output *o, const char *rel)
{
	if (o->fresh)
		return false;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->public_dir, rel);
	struct stat st;
	bool there = stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
	buf_release(&path);
	if (!there)
		return false;
	pthread_mutex_lock(&o->lock);
	bool first = strset_add(&o->all, rel);
	pthread_mutex_unlock(&o->lock);
	if (first)
		atomic_fetch_add(&o->unchanged, 1);
	return first;
}

static bool
read_whole(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}

bool
output_copy_tree(struct output *o, const char *src, const char *rel)
{
	DIR *d = opendir(src);
	if (d == NULL)
		return errno == ENOENT;
	bool ok = true;
	struct dirent *de;
	struct buf s = BUF_INIT, r = BUF_INIT, data = BUF_INIT;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;   /* ., .., and hidden files stay private */
		buf_reset(&s);
		buf_reset(&r);
		buf_printf(&s, "%s/%s", src, de->d_name);
		buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		struct stat st;
		if (lstat(s.data, &st) != 0 || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode)) {
			ok = output_copy_tree(o, s.data, r.data) && ok;
		} else if (S_ISREG(st.st_mode)) {
			buf_reset(&data);
			if (!read_whole(s.data, &data)) {
				io_error(o, s.data, "cannot read");
				ok = false;
				continue;
			}
			ok = output_write(o, r.data, data.data ? data.data : "", data.len) && ok;
		}
	}
	closedir(d);
	buf_release(&s);
	buf_release(&r);
	buf_release(&data);
	return ok;
}

/* Deletes files under public/ that this build did not produce, and the
 * folders that leaves empty.  Dot files (.git, .well-known...) are the
 * host's business and stay. */
static bool
prune(struct output *o, const char *dir, struct buf *rel)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return false;
	bool empty = true;
	size_t base = rel->len;
	struct buf path = BUF_INIT;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.') {
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				empty = false;
			continue;
		}
		rel->len = base;
		buf_printf(rel, "%s%s", base ? "/" : "", de->d_name);
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(path.data, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (prune(o, path.data, rel) && rmdir(path.data) == 0)
				continue;
			empty = false;
		} else if (!strset_has(&o->all, rel->data)) {
			if (unlink(path.data) == 0)
				atomic_fetch_add(&o->removed, 1);
		} else {
			empty = false;
		}
	}
	closedir(d);
	rel->len = base;
	if (rel->data)
		rel->data[base] = '\0';
	buf_release(&path);
	return empty;
}

static bool
move_changed(struct output *o)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	bool ok = true;
	for (size_t i = 0; i < o->changed.cap && ok; i++) {
		const char *rel = o->changed.slots[i];
		if (rel == NULL)
			continue;
		buf_reset(&from);
		buf_reset(&to);
		buf_printf(&from, "%s/%s", o->staging, rel);
		buf_printf(&to, "%s/%s", o->public_dir, rel);
		ok = make_parents(to.data) && rename(from.data, to.data) == 0;
		if (!ok)
			io_error(o, to.data, "cannot replace");
	}
	buf_release(&from);
	buf_release(&to);
	return ok;
}

static void
output_release(struct output *o)
{
	/* o->removed stays readable after commit, for the summary line. */
	free(o->staging);
	free(o->public_dir);
	o->staging = o->public_dir = NULL;
	strset_free(&o->all);
	strset_free(&o->changed);
	pthread_mutex_destroy(&o->lock);
}

bool
output_commit(struct output *o)
{
	bool ok;
	if (o->fresh) {
		ok = rename(o->staging, o->public_dir) == 0;
		if (!ok)
			io_error(o, o->public_dir, "cannot create");
	} else {
		ok = move_changed(o);
		if (ok) {
			struct buf rel = BUF_INIT;
			prune(o, o->public_dir, &rel);
			buf_release(&rel);
		}
		remove_tree(o->staging);
	}
	output_release(o);
	return ok;
}

void
output_abort(struct output *o)
{
	if (o->staging)
		remove_tree(o->staging);
	output_release(o);
}
