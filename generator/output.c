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
io_error(struct output *o, const char *path, enum diag_code code)
{
	struct pos at = { path, 0, 0 };
	diag_errno(o->diags, &at, code, errno);
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

/* The canonical form of `path`, which need not exist yet: the nearest
 * folder above it that exists, resolved, then the rest as written.  The
 * folders still to be made cannot be symbolic links, so a '..' among
 * them is taken lexically.  NULL when nothing can be resolved. */
static char *
resolve(const char *path)
{
	char *real = realpath(path, NULL);
	if (real != NULL || errno != ENOENT)
		return real;
	char *head = xstrdup(path);
	char *rest = NULL;              /* the missing part, in head's memory */
	char *slash;
	while (real == NULL && errno == ENOENT && (slash = strrchr(head, '/'))) {
		if (rest != NULL)
			rest[-1] = '/';
		*slash = '\0';
		rest = slash + 1;
		real = realpath(*head ? head : "/", NULL);
	}
	if (real == NULL && errno == ENOENT && rest == NULL) {
		rest = head;            /* a bare name: below the current folder */
		real = realpath(".", NULL);
	}
	struct buf b = BUF_INIT;
	if (real != NULL) {
		buf_puts(&b, strcmp(real, "/") ? real : "");
		for (char *part = strtok(rest, "/"); part; part = strtok(NULL, "/")) {
			if (strcmp(part, "..") == 0) {
				char *up = strrchr(b.data, '/');
				b.len = up ? (size_t)(up - b.data) : 0;
				b.data[b.len] = '\0';
			} else if (strcmp(part, ".") != 0) {
				buf_printf(&b, "/%s", part);
			}
		}
		if (b.len == 0)
			buf_puts(&b, "/");
	}
	free(real);
	free(head);
	return real ? buf_detach(&b) : NULL;
}

/* True when `inner` is `outer` or lies inside it (both canonical). */
static bool
within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (n == 1 && outer[0] == '/')
		return true;
	return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

static bool
overlaps_sources(const char *public_dir, const struct output_guard *g,
    struct diags *d)
{
	char *pub = resolve(public_dir);
	if (pub == NULL)
		return false;   /* output_begin's mkdir will say why */
	bool overlap = false;
	for (size_t i = 0; i < g->n_sources && !overlap; i++) {
		char *src = realpath(g->sources[i], NULL);
		if (src != NULL && (within(src, pub) || within(pub, src))) {
			struct pos at = { public_dir, 0, 0 };
			if (d != NULL)
				diag(d, &at, D_OUTPUT_OVERLAP, g->sources[i]);
			overlap = true;
		}
		free(src);
	}
	free(pub);
	return overlap;
}

/* True when the existing folder holds only dot files, or carries the mark
 * of an earlier build. */
static bool
ours_to_update(const char *public_dir, const struct output_guard *g)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", public_dir, g->mark_file);
	char head[256];
	size_t want = strlen(g->mark_prefix);
	FILE *f = want < sizeof(head) ? fopen(path.data, "rb") : NULL;
	buf_release(&path);
	if (f != NULL) {
		bool marked = fread(head, 1, want, f) == want &&
		    memcmp(head, g->mark_prefix, want) == 0;
		fclose(f);
		if (marked)
			return true;
	}
	DIR *dir = opendir(public_dir);
	if (dir == NULL)
		return false;
	bool empty = true;
	struct dirent *de;
	while (empty && (de = readdir(dir)) != NULL)
		empty = de->d_name[0] == '.';
	closedir(dir);
	return empty;
}

bool
output_begin(struct output *o, const char *public_dir,
    const struct output_guard *guard, struct diags *d)
{
	memset(o, 0, sizeof(*o));
	o->public_fd = o->staging_fd = -1;
	o->diags = d;
	pthread_mutex_init(&o->lock, NULL);
	strset_init(&o->all);
	strset_init(&o->changed);
	size_t len = strlen(public_dir);
	while (len > 1 && public_dir[len - 1] == '/')
		len--;
	o->public_dir = xstrndup(public_dir, len);
	if (overlaps_sources(o->public_dir, guard, d))
		return false;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s.staging-%ld", o->public_dir, (long)getpid());
	o->staging = buf_detach(&b);
	struct stat st;
	if (stat(o->public_dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			io_error(o, o->public_dir, D_PUBLISH_HERE);
			return false;
		}
		if (!ours_to_update(o->public_dir, guard)) {
			struct pos at = { o->public_dir, 0, 0 };
			diag(d, &at, D_OUTPUT_FOREIGN, guard->mark_file);
			return false;
		}
		o->public_fd = open(o->public_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (o->public_fd < 0) {
			io_error(o, o->public_dir, D_OPEN);
			return false;
		}
	} else {
		o->fresh = true;
	}
	remove_tree(o->staging);
	if (mkdir(o->staging, 0755) != 0 ||
	    (o->staging_fd = open(o->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		io_error(o, o->staging, D_STAGING);
		return false;
	}
	return true;
}

/* mkdir -p, below the folder `at`, for the folder part of `rel`. */
static bool
make_parents_at(int at, char *rel)
{
	char *slash = strrchr(rel, '/');
	if (slash == NULL)
		return true;
	*slash = '\0';
	bool ok = mkdirat(at, rel, 0755) == 0 || errno == EEXIST;
	if (!ok && errno == ENOENT)
		ok = make_parents_at(at, rel) && (mkdirat(at, rel, 0755) == 0 || errno == EEXIST);
	*slash = '/';
	return ok;
}

bool
output_make_parents(const char *public_dir, const struct output_guard *g,
    struct diags *d)
{
	if (overlaps_sources(public_dir, g, NULL))
		return true;
	char *path = xstrdup(public_dir);
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	bool ok = make_parents_at(AT_FDCWD, path);
	if (!ok) {
		struct pos at = { path, 0, 0 };
		diag_errno(d, &at, D_MAKE_PARENTS, errno);
	}
	free(path);
	return ok;
}

/* True when public/ already has exactly these bytes at `rel`. */
static bool
same_as_old(const struct output *o, const char *rel, const void *data, size_t len)
{
	int fd = openat(o->public_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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
write_all(int at, const char *rel, const void *data, size_t len)
{
	int fd = openat(at, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
		diag(o->diags, &at, D_OUTPUT_CLASH);
		return false;
	}
	if (!o->fresh && same_as_old(o, rel, data, len)) {
		atomic_fetch_add(&o->unchanged, 1);
		return true;
	}
	struct buf path = BUF_INIT;
	buf_puts(&path, rel);
	bool ok = make_parents_at(o->staging_fd, path.data) &&
	    write_all(o->staging_fd, rel, data, len);
	if (!ok) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->staging, rel);
		io_error(o, path.data, D_WRITE);
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
output_has(const struct output *o, const char *rel)
{
	if (o->fresh)
		return false;
	struct stat st;
	return fstatat(o->public_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode);
}

bool
output_keep(struct output *o, const char *rel)
{
	if (!output_has(o, rel))
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
				io_error(o, s.data, D_READ);
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

static int
dot_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level > 0 && path[ftw->base] == '.';
}

/* What in public/ stands where staged file `rel` must go: a stale file
 * (or symlink) where a folder is needed, or a stale folder where the file
 * is.  Obstacles are collected in `in_the_way`; false when one cannot be
 * cleared without losing something the build does not own (a dot file). */
static bool
find_obstacles(struct output *o, const char *rel, struct strset *in_the_way)
{
	struct buf path = BUF_INIT;
	buf_puts(&path, o->public_dir);
	size_t base = path.len + 1;
	buf_printf(&path, "/%s", rel);
	bool ok = true;
	for (char *p = path.data + base; ok; p++) {
		char *slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		struct stat st;
		bool exists = lstat(path.data, &st) == 0;
		if (exists && slash == NULL && S_ISDIR(st.st_mode) &&
		    nftw(path.data, dot_entry, 32, FTW_PHYS) != 0) {
			errno = ENOTEMPTY;
			io_error(o, path.data, D_REPLACE_DOT_FILES);
			ok = false;
		} else if (exists && (slash == NULL ? !S_ISREG(st.st_mode)
		    : !S_ISDIR(st.st_mode))) {
			strset_add(in_the_way, path.data);
		}
		if (slash == NULL || !exists)
			break;
		*slash = '/';
		p = slash;
	}
	buf_release(&path);
	return ok;
}

/* Moves every staged file into place.  Clashes are found before anything
 * moves, so one the build cannot clear fails with public/ unchanged. */
static bool
move_changed(struct output *o)
{
	struct strset in_the_way;
	strset_init(&in_the_way);
	bool ok = true;
	for (size_t i = 0; i < o->changed.cap && ok; i++)
		if (o->changed.slots[i] != NULL)
			ok = find_obstacles(o, o->changed.slots[i], &in_the_way);
	for (size_t i = 0; i < in_the_way.cap && ok; i++) {
		const char *p = in_the_way.slots[i];
		if (p != NULL && !remove_tree(p)) {
			io_error(o, p, D_REMOVE_IN_WAY);
			ok = false;
		}
	}
	strset_free(&in_the_way);
	struct buf to = BUF_INIT;
	for (size_t i = 0; i < o->changed.cap && ok; i++) {
		const char *rel = o->changed.slots[i];
		if (rel == NULL)
			continue;
		buf_reset(&to);
		buf_puts(&to, rel);
		ok = make_parents_at(o->public_fd, to.data) &&
		    renameat(o->staging_fd, rel, o->public_fd, rel) == 0;
		if (!ok) {
			buf_reset(&to);
			buf_printf(&to, "%s/%s", o->public_dir, rel);
			io_error(o, to.data, D_REPLACE);
		}
	}
	buf_release(&to);
	return ok;
}

static void
output_release(struct output *o)
{
	/* o->removed stays readable after commit, for the summary line. */
	if (o->public_fd >= 0)
		close(o->public_fd);
	if (o->staging_fd >= 0)
		close(o->staging_fd);
	o->public_fd = o->staging_fd = -1;
	free(o->staging);
	free(o->public_dir);
	o->staging = o->public_dir = NULL;
	strset_free(&o->all);
	strset_free(&o->changed);
	pthread_mutex_destroy(&o->lock);
}

/* True when `rel` is a plain relative path: no empty, "." or ".."
 * component, no dot file (the host's), nothing absolute. */
static bool
plain_relative(const char *rel)
{
	if (*rel == '\0' || *rel == '/')
		return false;
	for (const char *c = rel; c; c = strchr(c, '/'), c = c ? c + 1 : NULL)
		if (*c == '.' || *c == '/' || *c == '\0')
			return false;
	return true;
}

/* Deletes what the last build published and this one did not, from its
 * list: no walk over public/.  A listed path is only trusted when it is
 * plain and no folder on the way is a symbolic link (the list lives in a
 * file anyone could edit); folders left empty are removed. */
static void
prune_listed(struct output *o, const struct strset *previous)
{
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < previous->cap; i++) {
		const char *rel = previous->slots[i];
		if (rel == NULL || strset_has(&o->all, rel) || !plain_relative(rel))
			continue;
		buf_reset(&path);
		buf_puts(&path, o->public_dir);
		size_t base = path.len;
		buf_printf(&path, "/%s", rel);
		bool safe = true;
		struct stat st;
		for (char *s = strchr(path.data + base + 1, '/'); s && safe; s = strchr(s + 1, '/')) {
			*s = '\0';
			safe = lstat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
			*s = '/';
		}
		if (!safe || lstat(path.data, &st) != 0 || S_ISDIR(st.st_mode) ||
		    unlink(path.data) != 0)
			continue;
		atomic_fetch_add(&o->removed, 1);
		for (char *s = strrchr(path.data, '/'); s && s > path.data + base;
		    s = strrchr(path.data, '/')) {
			*s = '\0';
			if (rmdir(path.data) != 0)
				break;
		}
	}
	buf_release(&path);
}

bool
output_commit(struct output *o, const struct strset *previous,
    struct strset *published)
{
	bool ok;
	if (o->fresh) {
		ok = rename(o->staging, o->public_dir) == 0;
		if (!ok)
			io_error(o, o->public_dir, D_CREATE);
	} else {
		ok = move_changed(o);
		if (ok && previous != NULL) {
			prune_listed(o, previous);
		} else if (ok) {
			struct buf rel = BUF_INIT;
			prune(o, o->public_dir, &rel);
			buf_release(&rel);
		}
		remove_tree(o->staging);
	}
	if (ok && published != NULL) {
		*published = o->all;
		strset_init(&o->all);
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
