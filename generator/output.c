/* output.c — staging, unchanged-file detection and commit (see output.h). */
#define _GNU_SOURCE 1   /* renameat2, RENAME_EXCHANGE */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "pool.h"

static void
io_error(struct output *o, const char *path, enum diag_code code)
{
	struct pos at = { path, 0, 0 };
	diag_errno(o->diags, &at, code, errno);
	atomic_store(&o->failed, true);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT;
}

static int
open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | S_IRWXU);
	return 0;
}

bool
remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS) == 0)
		return true;
	/* A folder without write permission (made so by hand, or copied
	 * that way from public/ into the mirror) is opened up first: the
	 * tree is ours to remove. */
	nftw(path, open_up, 32, FTW_PHYS);
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

int
output_lock(const char *public_dir, const struct output_guard *guard,
    struct diags *d)
{
	struct buf path = BUF_INIT;
	size_t len = strlen(public_dir);
	while (len > 1 && public_dir[len - 1] == '/')
		len--;
	buf_add(&path, public_dir, len);
	/* The lock file goes beside public/: not among the sources. */
	if (overlaps_sources(path.data, guard, d)) {
		buf_release(&path);
		return -1;
	}
	buf_puts(&path, ".haichao-lock");
	int fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	bool ok = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (!ok && fd >= 0 && errno == EWOULDBLOCK) {
		char pid[24] = "";
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? strcspn(pid, "\n") : 0] = '\0';
		fprintf(stderr, "haichao: another build (pid %s) is publishing %.*s/; "
		    "waiting for it to finish\n", *pid ? pid : "?", (int)len, public_dir);
		while (!(ok = flock(fd, LOCK_EX) == 0) && errno == EINTR)
			;
	}
	if (!ok) {
		struct pos at = { path.data, 0, 0 };
		diag_errno(d, &at, D_LOCK, errno);
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else {
		char pid[24];
		int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		/* The pid is only for the message above: no error if not. */
		bool said = ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) == n;
		(void)said;
	}
	buf_release(&path);
	return fd;
}

/* True when `name` is a dot entry other than "." and "..". */
static bool
is_dot_file(const char *name)
{
	return name[0] == '.' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* A listing of the open folder `fd` with an offset of its own (fd's is
 * left alone); NULL when it cannot be opened. */
static DIR *
open_dir_at(int fd)
{
	int own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = own >= 0 ? fdopendir(own) : NULL;
	if (d == NULL && own >= 0)
		close(own);
	return d;
}

/* Moves the dot entries at the top of folder `from` (public/'s .git,
 * .well-known...: they belong to whatever tree is public/) into `to`.
 * False when one could not be moved (one of the same name is there). */
static bool
move_dots(int from, int to)
{
	DIR *d = open_dir_at(from);
	if (d == NULL)
		return false;
	bool ok = true;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_dot_file(de->d_name))
			continue;
		struct stat st;
		if (fstatat(to, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    renameat(from, de->d_name, to, de->d_name) != 0)
			ok = false;
	}
	closedir(d);
	return ok;
}

/* True when folder `fd` has a dot entry at its top. */
static bool
has_dots(int fd)
{
	DIR *d = open_dir_at(fd);
	if (d == NULL)
		return true;   /* cannot tell: keep it */
	bool dots = false;
	struct dirent *de;
	while (!dots && (de = readdir(d)) != NULL)
		dots = is_dot_file(de->d_name);
	closedir(d);
	return dots;
}

/* The folder that holds public/, and public/'s own name in it. */
static char *
parent_of(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* A build stopped between the two renames of exchange's fallback left
 * no public/, the old tree aside as STAGING-old and the new one, whole,
 * as STAGING: the new tree becomes public/ (as the swap would have made
 * it); the old one is then a leftover like any.  True when it did. */
static bool
finish_half_swap(const char *public_dir)
{
	const char *base;
	char *parent = parent_of(public_dir, &base);
	struct buf prefix = BUF_INIT, aside = BUF_INIT, staging = BUF_INIT;
	buf_printf(&prefix, "%s.staging-", base);
	DIR *d = opendir(parent);
	struct dirent *de;
	bool done = false;
	while (!done && d != NULL && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (strncmp(de->d_name, prefix.data, prefix.len) != 0 || len < 4 ||
		    strcmp(de->d_name + len - 4, "-old") != 0)
			continue;
		buf_reset(&aside);
		buf_reset(&staging);
		buf_printf(&aside, "%s/%s", parent, de->d_name);
		buf_add(&staging, aside.data, aside.len - 4);
		struct stat st;
		done = lstat(staging.data, &st) == 0 && S_ISDIR(st.st_mode) &&
		    rename(staging.data, public_dir) == 0;
		if (done)
			fprintf(stderr, "haichao: %s/, left whole by a build stopped "
			    "while it became %s/, is %s/ now\n", staging.data,
			    public_dir, public_dir);
	}
	if (d != NULL)
		closedir(d);
	buf_release(&prefix);
	buf_release(&aside);
	buf_release(&staging);
	free(parent);
	return done;
}

/* Removes the staging folders that builds stopped by a kill or a crash
 * left beside public/ (the lock says no other build is using one).  Dot
 * entries at the top of one were public/'s, moved there for a swap that
 * did not happen: they go back first, and a folder whose dot files cannot
 * go back stays, with a word. */
static void
remove_leftovers(struct output *o)
{
	const char *base;
	char *parent = parent_of(o->public_dir, &base);
	struct buf prefix = BUF_INIT, path = BUF_INIT;
	buf_printf(&prefix, "%s.staging-", base);
	DIR *d = opendir(parent);
	struct dirent *de;
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix.data, prefix.len) != 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", parent, de->d_name);
		int fd = open(path.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		bool clear = fd < 0 || (o->public_fd >= 0 ? move_dots(fd, o->public_fd)
		    : !has_dots(fd));
		if (fd >= 0)
			close(fd);
		if (!clear)
			fprintf(stderr, "haichao: %s/, left by a build that was "
			    "stopped, holds dot files that cannot go back into %s/: "
			    "left as it is\n", path.data, o->public_dir);
		else if (remove_tree(path.data))
			fprintf(stderr, "haichao: removed %s/, left by a build that "
			    "was stopped\n", path.data);
		else
			fprintf(stderr, "haichao: cannot remove %s/, left by a build "
			    "that was stopped: %s\n", path.data, strerror(errno));
	}
	if (d != NULL)
		closedir(d);
	buf_release(&prefix);
	buf_release(&path);
	free(parent);
}

/* True when folder `path` got its name before the machine last started:
 * a mirror's own updates (after the swap) are not waited for, so a power
 * cut may have lost some of them. */
static bool
made_before_boot(const char *path)
{
	struct stat st;
	struct timespec now, up;
	if (lstat(path, &st) != 0 || clock_gettime(CLOCK_REALTIME, &now) != 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &up) != 0)
		return false;
	return st.st_ctim.tv_sec < now.tv_sec - up.tv_sec;
}

/* The staging folder: the mirror of public/ the last build left (a tree
 * of hard links to public/'s files) when there is one, else a new
 * folder.  A mirror without public/ beside it is stale. */
static bool
open_staging(struct output *o)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s.staging-%ld", o->public_dir, (long)getpid());
	o->staging = buf_detach(&b);
	buf_printf(&b, "%s.haichao-mirror", o->public_dir);
	o->mirror = buf_detach(&b);
	remove_tree(o->staging);
	/* Only a real folder is a mirror: the staging writes would go
	 * through a link to wherever it points (public/ itself, say). */
	struct stat st;
	o->mirrored = !o->fresh && lstat(o->mirror, &st) == 0 && S_ISDIR(st.st_mode) &&
	    !made_before_boot(o->mirror) && rename(o->mirror, o->staging) == 0;
	if (!o->mirrored) {
		/* A mirror this build does not take is no longer level with
		 * public/ once it publishes: it goes, whole.  Renamed away
		 * first, since emptying it in place can fail half way (its
		 * folder not removable) and leave what would pass for the mirror
		 * of an empty tree; when even that cannot be done, nothing is
		 * published. */
		if (rename(o->mirror, o->staging) != 0 && errno != ENOENT) {
			io_error(o, o->mirror, D_STAGING);
			return false;
		}
		remove_tree(o->staging);
		if (mkdir(o->staging, 0755) != 0) {
			io_error(o, o->staging, D_STAGING);
			return false;
		}
	}
	o->staging_fd = open(o->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->staging_fd < 0) {
		io_error(o, o->staging, D_STAGING);
		return false;
	}
	return true;
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
	strset_init(&o->gone);
	size_t len = strlen(public_dir);
	while (len > 1 && public_dir[len - 1] == '/')
		len--;
	o->public_dir = xstrndup(public_dir, len);
	if (overlaps_sources(o->public_dir, guard, d))
		return false;
	struct stat st;
	/* A public/ that is a symbolic link (to /var/www/site, say): the
	 * folder it names is what is swapped, the link stays. */
	char *real = lstat(o->public_dir, &st) == 0 && S_ISLNK(st.st_mode)
	    ? realpath(o->public_dir, NULL) : NULL;
	if (real != NULL) {
		free(o->public_dir);
		o->public_dir = xstrdup(real);
		free(real);
	}
	if (lstat(o->public_dir, &st) != 0 && errno == ENOENT)
		finish_half_swap(o->public_dir);
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
	remove_leftovers(o);
	return open_staging(o);
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

/* Removes whatever stands at `rel` below `at` (the folder `base`): a
 * file, a link or a whole folder.  Only for trees of our own. */
static bool
clear_at(int at, const char *base, const char *rel)
{
	if (unlinkat(at, rel, 0) == 0 || errno == ENOENT || errno == ENOTDIR)
		return true;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", base, rel);
	bool ok = remove_tree(path.data);
	buf_release(&path);
	return ok;
}

/* make_parents_at for a tree of our own that may hold stale things: a
 * file (or link) where a folder must go is removed first. */
static bool
make_parents_clearing(int at, const char *rel)
{
	struct buf p = BUF_INIT;
	buf_puts(&p, rel);
	bool ok = true;
	for (char *s = strchr(p.data, '/'); s && ok; s = strchr(s + 1, '/')) {
		*s = '\0';
		struct stat st;
		if (fstatat(at, p.data, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
			ok = unlinkat(at, p.data, 0) == 0;
		ok = ok && (mkdirat(at, p.data, 0755) == 0 || errno == EEXIST);
		*s = '/';
	}
	buf_release(&p);
	return ok;
}

/* True when public/ already has exactly these bytes at `rel`; `st`
 * receives the file's status. */
static bool
same_as_old(const struct output *o, const char *rel, const void *data, size_t len,
    struct stat *st)
{
	int fd = openat(o->public_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	bool same = fstat(fd, st) == 0 && S_ISREG(st->st_mode) &&
	    (size_t)st->st_size == len;
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

/* Creates `rel` (which must not exist: a file of the mirror is public/'s
 * too, and must never be written through). */
static bool
write_all(int at, const char *rel, const void *data, size_t len)
{
	int fd = openat(at, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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

/* Marks `rel` (in `all`) as found in the mirror, as the last build
 * published it: see mirror_listed. */
static void
note_in_mirror(struct output *o, const char *rel)
{
	pthread_mutex_lock(&o->lock);
	strset_put(&o->all, rel, 1);
	pthread_mutex_unlock(&o->lock);
}

static void
note_changed(struct output *o, const char *rel)
{
	pthread_mutex_lock(&o->lock);
	strset_add(&o->changed, rel);
	pthread_mutex_unlock(&o->lock);
}

/* Puts new bytes at `rel` in the staging folder. */
static bool
stage_new(struct output *o, const char *rel, const void *data, size_t len)
{
	struct buf path = BUF_INIT;
	buf_puts(&path, rel);
	if (o->mirrored)
		clear_at(o->staging_fd, o->staging, rel);
	bool ok = make_parents_at(o->staging_fd, path.data) &&
	    write_all(o->staging_fd, rel, data, len);
	if (!ok && o->mirrored)
		ok = make_parents_clearing(o->staging_fd, rel) &&
		    clear_at(o->staging_fd, o->staging, rel) &&
		    write_all(o->staging_fd, rel, data, len);
	if (!ok) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->staging, rel);
		io_error(o, path.data, D_WRITE);
	} else {
		atomic_fetch_add(&o->written, 1);
		note_changed(o, rel);
	}
	buf_release(&path);
	return ok;
}

/* Puts public/'s file `rel` in the staging folder as a hard link: the
 * same bytes, mtime and inode, so rsync and hosts see it unchanged. */
static bool
link_unchanged(struct output *o, const char *rel)
{
	struct buf path = BUF_INIT;
	buf_puts(&path, rel);
	if (o->mirrored)
		clear_at(o->staging_fd, o->staging, rel);
	bool ok = make_parents_at(o->staging_fd, path.data) &&
	    linkat(o->public_fd, rel, o->staging_fd, rel, 0) == 0;
	if (!ok && o->mirrored)
		ok = make_parents_clearing(o->staging_fd, rel) &&
		    clear_at(o->staging_fd, o->staging, rel) &&
		    linkat(o->public_fd, rel, o->staging_fd, rel, 0) == 0;
	if (!ok) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->staging, rel);
		io_error(o, path.data, D_LINK);
	} else if (o->mirrored) {
		note_changed(o, rel);
	}
	buf_release(&path);
	return ok;
}

/* public/'s file `rel` (status `old`), unchanged, into the staging
 * folder.  A mirror usually has it already. */
static bool
stage_unchanged(struct output *o, const char *rel, const struct stat *old)
{
	struct stat st;
	if (o->mirrored && fstatat(o->staging_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_ino == old->st_ino && st.st_dev == old->st_dev) {
		note_in_mirror(o, rel);
		return true;
	}
	return link_unchanged(o, rel);
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
		atomic_store(&o->failed, true);
		return false;
	}
	struct stat old;
	if (!o->fresh && same_as_old(o, rel, data, len, &old)) {
		atomic_fetch_add(&o->unchanged, 1);
		return stage_unchanged(o, rel, &old);
	}
	return stage_new(o, rel, data, len);
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

/* The caller vouches for public/'s file (output.h), so it is not looked
 * at again.  In a mirror the file is already where it goes: the mirror is
 * the tree the last build published, as hard links to the same files
 * (it only takes its name once brought level with public/, after a
 * commit; a build stopped before that leaves a staging folder, which the
 * next one removes).  Otherwise it is linked from public/. */
bool
output_keep(struct output *o, const char *rel)
{
	if (o->fresh)
		return false;
	/* One look under the lock: in a mirror the file is marked there
	 * (note_in_mirror's value) as it is added. */
	pthread_mutex_lock(&o->lock);
	bool first = strset_value(&o->all, rel) == -1;
	if (first)
		strset_put(&o->all, rel, o->mirrored ? 1 : 0);
	pthread_mutex_unlock(&o->lock);
	if (!first)
		return false;
	atomic_fetch_add(&o->unchanged, 1);
	/* A failure is reported and fails the commit; the page is kept
	 * either way, so the caller does not write it a second time. */
	if (!o->mirrored)
		link_unchanged(o, rel);
	return true;
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

/* Deletes files under the staging folder (a mirror of public/) that this
 * build did not produce, and the folders that leaves empty, noting each
 * in `gone`.  Dot files stay. */
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
			empty = empty && !is_dot_file(de->d_name);
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
			if (unlink(path.data) == 0) {
				atomic_fetch_add(&o->removed, 1);
				strset_add(&o->gone, rel->data);
			}
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

/* Removes `rel` below `at` and then the folders that leaves empty
 * (`rel` is cut short on the way). */
static bool
unlink_and_parents(int at, char *rel)
{
	if (unlinkat(at, rel, 0) != 0)
		return false;
	char *s;
	while ((s = strrchr(rel, '/')) != NULL) {
		*s = '\0';
		if (unlinkat(at, rel, AT_REMOVEDIR) != 0)
			break;
	}
	return true;
}

/* Deletes from the mirror what the last build published (its list
 * says: no walk) and this one did not.  A listed path is only trusted
 * when it is plain and no folder on the way is a symbolic link (the list
 * lives in a file anyone could edit). */
static void
prune_listed(struct output *o, const struct strset *previous)
{
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < previous->cap; i++) {
		const char *rel = previous->slots[i];
		if (rel == NULL || strset_has(&o->all, rel) || !plain_relative(rel))
			continue;
		buf_reset(&path);
		buf_puts(&path, rel);
		bool safe = true;
		struct stat st;
		for (char *s = strchr(path.data, '/'); s && safe; s = strchr(s + 1, '/')) {
			*s = '\0';
			safe = fstatat(o->staging_fd, path.data, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode);
			*s = '/';
		}
		if (!safe || fstatat(o->staging_fd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    S_ISDIR(st.st_mode) || !unlink_and_parents(o->staging_fd, path.data))
			continue;
		atomic_fetch_add(&o->removed, 1);
		strset_add(&o->gone, rel);
	}
	buf_release(&path);
}

static int
dot_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level > 0 && path[ftw->base] == '.';
}

/* A new file whose place in public/ is a folder holding dot files (the
 * host's, which the swap would drop): refused before anything moves. */
static bool
no_dot_files_in_the_way(struct output *o)
{
	bool ok = true;
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < o->changed.cap && ok; i++) {
		const char *rel = o->changed.slots[i];
		struct stat st;
		if (rel == NULL || fstatat(o->public_fd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->public_dir, rel);
		if (nftw(path.data, dot_entry, 32, FTW_PHYS) != 0) {
			errno = ENOTEMPTY;
			io_error(o, path.data, D_REPLACE_DOT_FILES);
			ok = false;
		}
	}
	buf_release(&path);
	return ok;
}

/* Links `rel` of the tree `from` into the tree `to` (at path `base`),
 * replacing what stands there. */
static bool
relink(int from, int to, const char *base, const char *rel)
{
	struct stat a, b;
	if (fstatat(from, rel, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	    fstatat(to, rel, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return true;
	return clear_at(to, base, rel) && make_parents_clearing(to, rel) &&
	    linkat(from, rel, to, rel, 0) == 0;
}

/* After the swap: the old tree (at the staging path, o->public_fd)
 * becomes a mirror of the new public/ (o->staging_fd) again, by the
 * files this build changed and removed: the cost of a build stays that
 * of what it changed. */
static bool
sync_mirror(struct output *o)
{
	bool ok = true;
	for (size_t i = 0; i < o->changed.cap && ok; i++)
		if (o->changed.slots[i] != NULL)
			ok = relink(o->staging_fd, o->public_fd, o->staging, o->changed.slots[i]);
	struct buf p = BUF_INIT;
	for (size_t i = 0; i < o->gone.cap && ok; i++) {
		if (o->gone.slots[i] == NULL)
			continue;
		buf_reset(&p);
		buf_puts(&p, o->gone.slots[i]);
		ok = unlink_and_parents(o->public_fd, p.data) || errno == ENOENT;
	}
	buf_release(&p);
	return ok;
}

/* The old tree's folder `dir` (path `rel` in it), made part of a mirror
 * of the new public/: files the new tree lacks are deleted (and counted
 * as removed), files that differ from it are linked to its file; `seen`
 * counts the new tree's files met. */
static bool
convert_dir(struct output *o, int dir, struct buf *rel, size_t *seen)
{
	DIR *d = open_dir_at(dir);
	if (d == NULL)
		return false;
	bool ok = true;
	size_t base = rel->len;
	struct dirent *de;
	while (ok && (de = readdir(d)) != NULL) {
		if (!is_dot_file(de->d_name) ? de->d_name[0] == '.' : base == 0)
			continue;   /* ., .., and the host's dot entries at the top
				     * (below it, a dot file is a stray like any) */
		rel->len = base;
		buf_printf(rel, "%s%s", base ? "/" : "", de->d_name);
		struct stat st, now;
		if (fstatat(dir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dir, de->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			ok = sub >= 0 && convert_dir(o, sub, rel, seen);
			if (sub >= 0)
				close(sub);
			unlinkat(dir, de->d_name, AT_REMOVEDIR);   /* when empty */
		} else if (!strset_has(&o->all, rel->data)) {
			if (unlinkat(dir, de->d_name, 0) == 0)
				atomic_fetch_add(&o->removed, 1);
		} else {
			(*seen)++;
			if (fstatat(o->staging_fd, rel->data, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
			    now.st_ino != st.st_ino || now.st_dev != st.st_dev)
				ok = unlinkat(dir, de->d_name, 0) == 0 &&
				    linkat(o->staging_fd, rel->data, dir, de->d_name, 0) == 0;
		}
	}
	closedir(d);
	rel->len = base;
	if (rel->data)
		rel->data[base] = '\0';
	return ok;
}

/* After the swap, when the staging folder was not a mirror: the old tree
 * becomes one by a walk over it, then the files it lacks are linked. */
static bool
convert_to_mirror(struct output *o)
{
	struct buf rel = BUF_INIT;
	size_t seen = 0;
	bool ok = convert_dir(o, o->public_fd, &rel, &seen);
	buf_release(&rel);
	struct stat st;
	for (size_t i = 0; i < o->all.cap && ok && seen < o->all.len; i++) {
		const char *r = o->all.slots[i];
		if (r != NULL && fstatat(o->public_fd, r, &st, AT_SYMLINK_NOFOLLOW) != 0)
			ok = relink(o->staging_fd, o->public_fd, o->staging, r);
	}
	return ok;
}

/* public/ and the staging folder trade places in one step.  Where the
 * file system cannot exchange two names (or HAICHAO_NO_EXCHANGE says to
 * act as if, output.h), the old tree is renamed away first: a build
 * killed between the two renames leaves no public/ until the next build,
 * which makes the new tree public/ (finish_half_swap). */
static bool
exchange(struct output *o)
{
	const char *no = getenv("HAICHAO_NO_EXCHANGE");
	if (no != NULL && *no != '\0' && strcmp(no, "0") != 0)
		errno = EINVAL;   /* as such a file system would say */
	else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->public_dir,
	    RENAME_EXCHANGE) == 0)
		return true;
	if (errno != EINVAL && errno != ENOSYS)
		return false;
	struct buf aside = BUF_INIT;
	buf_printf(&aside, "%s-old", o->staging);
	bool ok = rename(o->public_dir, aside.data) == 0;
	if (ok && rename(o->staging, o->public_dir) != 0) {
		int e = errno;
		rename(aside.data, o->public_dir);
		errno = e;
		ok = false;
	}
	ok = ok && rename(aside.data, o->staging) == 0;
	buf_release(&aside);
	return ok;
}

/* ---- durability -------------------------------------------------------------- */

/* fsync of many files or folders below `dfd`, on the pool: a disk
 * answers several at once. */
enum { SYNC_THREADS = 8 };

struct sync_job {
	int dfd;
	const char *const *paths;
	atomic_int err;           /* the first failure's errno, or 0 */
};

static void
sync_one(void *ctx, size_t i, int worker)
{
	(void)worker;
	struct sync_job *j = ctx;
	int fd = openat(j->dfd, j->paths[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	/* A folder the prune emptied is gone: its parent says so. */
	if ((fd < 0 && errno != ENOENT) || (fd >= 0 && fsync(fd) != 0)) {
		int none = 0;
		atomic_compare_exchange_strong(&j->err, &none, errno ? errno : EIO);
	}
	if (fd >= 0)
		close(fd);
}

static bool
sync_all(int dfd, const char *const *paths, size_t n)
{
	struct sync_job j = { dfd, paths, 0 };
	pool_run(SYNC_THREADS, n, sync_one, &j);
	errno = atomic_load(&j.err);
	return errno == 0;
}

/* Adds `rel`'s folder and every folder above it (below the top) to
 * `dirs`. */
static void
add_parents(struct strset *dirs, const char *rel, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, rel);
	char *s;
	while ((s = strrchr(b->data, '/')) != NULL) {
		*s = '\0';
		if (!strset_add(dirs, b->data))
			break;   /* and so its parents */
	}
}

static size_t
slots_of(const struct strset *set, const char **out, size_t at)
{
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i] != NULL)
			out[at++] = set->slots[i];
	return at;
}

/* Before the swap: the files this build wrote and the folders whose
 * entries changed (every folder, when the staging folder is new; its top
 * always, which the dot entries moved into) are on the disk, so that a
 * power cut after the swap finds the new tree whole (the swap itself is
 * made durable by sync_parent).  Without a mirror every file of the new
 * tree is new to its folder.  False, with errno, when one could not be
 * written. */
static bool
sync_staging(struct output *o)
{
	if (!o->durable)
		return true;
	const struct strset *touched = o->mirrored ? &o->changed : &o->all;
	struct strset dirs;
	strset_init(&dirs);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < touched->cap; i++)
		if (touched->slots[i] != NULL)
			add_parents(&dirs, touched->slots[i], &b);
	for (size_t i = 0; i < o->gone.cap; i++)
		if (o->gone.slots[i] != NULL)
			add_parents(&dirs, o->gone.slots[i], &b);
	buf_release(&b);
	size_t nf = o->changed.len, n = nf + dirs.len;
	const char **paths = xmalloc((n + 2) * sizeof(*paths));
	slots_of(&o->changed, paths, 0);
	slots_of(&dirs, paths, nf);
	paths[n] = ".";
	bool ok = sync_all(o->staging_fd, paths, nf) &&
	    sync_all(o->staging_fd, paths + nf, dirs.len + 1);
	free(paths);
	strset_free(&dirs);
	return ok;
}

/* After the swap (or the rename of a first build): the folder holding
 * public/ on the disk, with its new entries. */
static void
sync_parent(const struct output *o)
{
	if (!o->durable)
		return;
	const char *name;
	char *parent = parent_of(o->public_dir, &name);
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(parent);
}

/* True when `previous` can be the mirror's list: every file this build
 * found in the mirror is on it.  A list from another build (a cache
 * copied from another site) is not, and pruning by it would leave that
 * build's strays in the new tree: the mirror is walked instead. */
static bool
mirror_listed(const struct output *o, const struct strset *previous)
{
	for (size_t i = 0; i < o->all.cap; i++)
		if (o->all.slots[i] != NULL && o->all.values[i] == 1 &&
		    !strset_has(previous, o->all.slots[i]))
			return false;
	return true;
}

/* Completes the staging folder into the whole new tree, swaps it with
 * public/ and keeps the old tree as the next build's mirror. */
static bool
swap_in(struct output *o, const struct strset *previous)
{
	if (previous != NULL && o->mirrored && !mirror_listed(o, previous))
		previous = NULL;
	if (o->mirrored && previous != NULL) {
		prune_listed(o, previous);
	} else if (o->mirrored) {
		struct buf rel = BUF_INIT;
		prune(o, o->staging, &rel);
		buf_release(&rel);
	}
	if (!no_dot_files_in_the_way(o))
		return false;
	/* The dot entries first, so that their move is on the disk with
	 * the rest before the swap. */
	if (!move_dots(o->public_fd, o->staging_fd) || !sync_staging(o) ||
	    !exchange(o)) {
		int e = errno;
		move_dots(o->staging_fd, o->public_fd);
		errno = e;
		io_error(o, o->public_dir, D_SWAP);
		return false;
	}
	sync_parent(o);
	/* Done: public/ is the new tree.  What follows only saves the
	 * next build work; a failure costs that build a walk. */
	bool mirror = o->mirrored ? sync_mirror(o) : convert_to_mirror(o);
	if (!mirror || rename(o->staging, o->mirror) != 0)
		remove_tree(o->staging);
	return true;
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
	free(o->mirror);
	free(o->public_dir);
	o->staging = o->mirror = o->public_dir = NULL;
	strset_free(&o->all);
	strset_free(&o->changed);
	strset_free(&o->gone);
	pthread_mutex_destroy(&o->lock);
}

bool
output_commit(struct output *o, const struct strset *previous,
    struct strset *published)
{
	bool ok = !atomic_load(&o->failed);
	if (ok && o->fresh) {
		ok = sync_staging(o) && rename(o->staging, o->public_dir) == 0;
		if (!ok)
			io_error(o, o->public_dir, D_CREATE);
		else
			sync_parent(o);
	} else if (ok) {
		ok = swap_in(o, previous);
	}
	if (!ok)
		remove_tree(o->staging);
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
