/* output.c — staging folder, unchanged-file detection, atomic swap. */
#define _GNU_SOURCE
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
	size_t len = strlen(public_dir);
	while (len > 1 && public_dir[len - 1] == '/')
		len--;
	o->public_dir = xstrndup(public_dir, len);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s.staging-%ld", o->public_dir, (long)getpid());
	o->staging = buf_detach(&b);
	struct stat st;
	if (stat(o->public_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		io_error(o, o->public_dir, "cannot publish here");
		return false;
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

/* True when the previous public/ has exactly these bytes at `old`. */
static bool
same_as_old(const char *old, const void *data, size_t len)
{
	int fd = open(old, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len;
	if (same) {
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
	struct buf path = BUF_INIT, old = BUF_INIT;
	buf_printf(&path, "%s/%s", o->staging, rel);
	buf_printf(&old, "%s/%s", o->public_dir, rel);
	bool ok = make_parents(path.data);
	if (ok && same_as_old(old.data, data, len) && link(old.data, path.data) == 0) {
		atomic_fetch_add(&o->unchanged, 1);
	} else if (ok) {
		ok = write_all(path.data, data, len);
		atomic_fetch_add(&o->written, 1);
	}
	if (!ok)
		io_error(o, path.data, "cannot write");
	buf_release(&path);
	buf_release(&old);
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
	struct buf s = BUF_INIT, r = BUF_INIT;
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
			char *data = NULL;
			size_t len = 0;
			FILE *f = fopen(s.data, "rb");
			if (f == NULL) {
				io_error(o, s.data, "cannot read");
				ok = false;
				continue;
			}
			struct buf b = BUF_INIT;
			char chunk[65536];
			size_t n;
			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				buf_add(&b, chunk, n);
			fclose(f);
			len = b.len;
			data = buf_detach(&b);
			ok = output_write(o, r.data, data, len) && ok;
			free(data);
		}
	}
	closedir(d);
	buf_release(&s);
	buf_release(&r);
	return ok;
}

bool
output_commit(struct output *o)
{
	struct stat st;
	bool ok;
	if (stat(o->public_dir, &st) == 0) {
		/* Atomic exchange: readers never see a missing public/. */
		ok = renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->public_dir,
		    RENAME_EXCHANGE) == 0;
		if (!ok && (errno == EINVAL || errno == ENOSYS)) {
			struct buf old = BUF_INIT;
			buf_printf(&old, "%s.old-%ld", o->public_dir, (long)getpid());
			ok = rename(o->public_dir, old.data) == 0 &&
			    rename(o->staging, o->public_dir) == 0;
			if (ok)
				remove_tree(old.data);
			buf_release(&old);
		} else if (ok) {
			remove_tree(o->staging);
		}
	} else {
		ok = rename(o->staging, o->public_dir) == 0;
	}
	if (!ok)
		io_error(o, o->public_dir, "cannot replace");
	free(o->staging);
	free(o->public_dir);
	o->staging = o->public_dir = NULL;
	return ok;
}

void
output_abort(struct output *o)
{
	if (o->staging)
		remove_tree(o->staging);
	free(o->staging);
	free(o->public_dir);
	o->staging = o->public_dir = NULL;
}
