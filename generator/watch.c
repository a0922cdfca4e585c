/* watch.c — inotify on content/ and templates/, folder by folder; see
 * watch.h. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "input.h"

/* What changes a file as the build sees it.  IN_MODIFY is left out on
 * purpose: a save is one IN_CLOSE_WRITE, not one event per write(). */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
	IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct watch {
	int fd;
	char **roots;
	size_t n_roots;
	int *parent_wd;          /* per root: the watch on its parent folder, or -1 */
	char **paths;            /* by watch descriptor; NULL where none */
	size_t cap;
	char problem[512];
	char said[512];          /* the problem as last handed out */
};

bool
watch_ignored(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return true;
	if (name[0] == '.')      /* hidden, swap and lock files, .goutputstream */
		return name[1] == '#' || !(len > 3 && strcmp(name + len - 3, ".md") == 0);
	return input_is_scratch(name);
}

static void
remember(struct watch *w, int wd, const char *path)
{
	if ((size_t)wd >= w->cap) {
		size_t cap = w->cap == 0 ? 64 : w->cap;
		while (cap <= (size_t)wd)
			cap *= 2;
		w->paths = xrealloc(w->paths, cap * sizeof(*w->paths));
		memset(w->paths + w->cap, 0, (cap - w->cap) * sizeof(*w->paths));
		w->cap = cap;
	}
	free(w->paths[wd]);
	w->paths[wd] = xstrdup(path);
}

static void
forget_all(struct watch *w)
{
	for (size_t i = 0; i < w->cap; i++) {
		if (w->paths[i] != NULL)
			inotify_rm_watch(w->fd, (int)i);
		free(w->paths[i]);
		w->paths[i] = NULL;
	}
}

/* Watches `path` and every folder below it.  A root given as a symbolic
 * link (-C pointing elsewhere) is followed; nothing below it is. */
static void
add_tree(struct watch *w, struct buf *path, bool root)
{
	int wd = inotify_add_watch(w->fd, path->data, WATCH_MASK |
	    (root ? 0 : IN_DONT_FOLLOW));
	if (wd < 0) {
		if (root || (errno != ENOENT && errno != ENOTDIR))
			snprintf(w->problem, sizeof(w->problem), "%s: cannot watch: %s%s",
			    path->data, strerror(errno), errno == ENOSPC ?
			    " (raise fs.inotify.max_user_watches)" : "");
		return;
	}
	remember(w, wd, path->data);
	DIR *dir = opendir(path->data);
	if (dir == NULL)
		return;
	size_t len = path->len;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		path->len = len;
		buf_putc(path, '/');
		buf_puts(path, e->d_name);
		struct stat st;
		if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN &&
		    lstat(path->data, &st) == 0 && S_ISDIR(st.st_mode)))
			add_tree(w, path, false);
	}
	path->len = len;
	path->data[len] = '\0';
	closedir(dir);
}

/* The last part of a root's path (trailing slashes aside) into `name`,
 * the folder holding it into `parent`; false for "/". */
static bool
split_root(const char *root, struct buf *parent, struct buf *name)
{
	size_t len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	size_t cut = len;
	while (cut > 0 && root[cut - 1] != '/')
		cut--;
	buf_reset(parent);
	buf_reset(name);
	buf_add(name, root + cut, len - cut);
	if (cut == 0)
		buf_puts(parent, ".");
	else
		buf_add(parent, root, cut > 1 ? cut - 1 : 1);
	return name->len > 0 && strcmp(name->data, "/") != 0;
}

/* Each root's folder and what is below it; and the folder holding the
 * root, for that name alone: a root moved away and back (or replaced by
 * a copy) is watched again when it reappears. */
static void
add_roots(struct watch *w)
{
	struct buf path = BUF_INIT, parent = BUF_INIT, name = BUF_INIT;
	for (size_t i = 0; i < w->n_roots; i++) {
		buf_reset(&path);
		buf_puts(&path, w->roots[i]);
		add_tree(w, &path, true);
		w->parent_wd[i] = split_root(w->roots[i], &parent, &name) ?
		    inotify_add_watch(w->fd, parent.data, IN_CREATE | IN_MOVED_TO |
		    IN_ONLYDIR | IN_MASK_ADD) : -1;
	}
	buf_release(&path);
	buf_release(&parent);
	buf_release(&name);
}

/* Whether `ev` is a root appearing in the folder that holds it (*parent:
 * whether it came from such a folder at all). */
static bool
root_appears(const struct watch *w, const struct inotify_event *ev, bool *parent)
{
	struct buf dir = BUF_INIT, name = BUF_INIT;
	bool back = false;
	*parent = false;
	for (size_t i = 0; i < w->n_roots && !back; i++) {
		if (w->parent_wd[i] < 0 || ev->wd != w->parent_wd[i])
			continue;
		*parent = true;
		back = ev->len > 0 && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
		    split_root(w->roots[i], &dir, &name) && strcmp(ev->name, name.data) == 0;
	}
	buf_release(&dir);
	buf_release(&name);
	return back;
}

struct watch *
watch_open(const char *const *roots, size_t n)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct watch *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	w->roots = xcalloc(n, sizeof(*w->roots));
	w->parent_wd = xcalloc(n, sizeof(*w->parent_wd));
	w->n_roots = n;
	for (size_t i = 0; i < n; i++)
		w->roots[i] = xstrdup(roots[i]);
	add_roots(w);
	return w;
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

/* One event: true when it may change the site.  *reset is set when every
 * watch must be set up again. */
static bool
on_event(struct watch *w, const struct inotify_event *ev, bool *reset)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		*reset = true;               /* events were lost */
		return true;
	}
	const char *dir = ev->wd >= 0 && (size_t)ev->wd < w->cap ?
	    w->paths[ev->wd] : NULL;
	bool parent;
	if (root_appears(w, ev, &parent)) {
		*reset = true;
		return true;
	}
	if (parent && dir == NULL)       /* anything else beside a root */
		return false;
	if (ev->mask & IN_IGNORED) {     /* the folder is gone */
		if (dir != NULL) {
			free(w->paths[ev->wd]);
			w->paths[ev->wd] = NULL;
		}
		return false;
	}
	if (ev->mask & (IN_MOVE_SELF | IN_DELETE_SELF)) {
		*reset = true;
		return true;
	}
	if (ev->len == 0 || watch_ignored(ev->name))
		return false;
	if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM))
		*reset = true;               /* paths below it changed */
	else if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
	    dir != NULL) {
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", dir, ev->name);
		add_tree(w, &path, false);
		buf_release(&path);
	}
	return true;
}

bool
watch_read(struct watch *w)
{
	alignas(struct inotify_event) char events[16384];
	bool change = false, reset = false;
	for (;;) {
		ssize_t n = read(w->fd, events, sizeof(events));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (char *p = events; p < events + n;) {
			const struct inotify_event *ev = (const void *)p;
			if (on_event(w, ev, &reset))
				change = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (reset) {
		forget_all(w);
		add_roots(w);
	}
	return change;
}

const char *
watch_problem(struct watch *w)
{
	if (w->problem[0] == '\0')
		return NULL;
	memcpy(w->said, w->problem, sizeof(w->said));
	w->problem[0] = '\0';
	return w->said;
}

void
watch_close(struct watch *w)
{
	if (w == NULL)
		return;
	close(w->fd);
	for (size_t i = 0; i < w->cap; i++)
		free(w->paths[i]);
	free(w->paths);
	for (size_t i = 0; i < w->n_roots; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->parent_wd);
	free(w);
}
