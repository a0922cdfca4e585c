/* watch.h — `haichao serve` learns of every change to content/ and
 * templates/ from inotify: new, edited, renamed and deleted files and
 * folders, at any depth.
 *
 * Folders are watched one by one (inotify is not recursive): a folder
 * that appears is watched at once (and the build that follows sees what
 * was written into it before that); a folder renamed or moved away
 * sets every watch up again, since the paths of the folders below it
 * changed.  The folder holding each root is watched for the root's name
 * alone, so that a root moved away and back, or replaced by a copy
 * (`git checkout` of another tree, a restore), is watched again when it
 * reappears.  Symbolic links below the roots are not followed (the build
 * refuses them; a root may be one), and folders whose names start with
 * '.' (.git) are not watched.  Names that
 * editors use for swap, lock and backup files (".x.swp", "#x#", "x~",
 * vim's "4913": input_is_scratch) are not changes; an editor that saves by writing a
 * temporary file and renaming it over the article is seen by the rename.
 *
 * Memory: struct watch owns its paths; watch_close frees everything. */
#ifndef HAICHAO_WATCH_H
#define HAICHAO_WATCH_H

#include <stdbool.h>
#include <stddef.h>

struct watch;

/* Watches the n folders `roots` (which the watch copies) and everything
 * below them.  NULL, errno set, when inotify is unavailable. */
struct watch *watch_open(const char *const *roots, size_t n);

/* The descriptor to poll for input. */
int watch_fd(const struct watch *w);

/* Reads every waiting event.  True when one of them may change the site. */
bool watch_read(struct watch *w);

/* A folder that could not be watched since the last call ("path: reason",
 * e.g. the inotify watch limit), or NULL.  The text lives until the next
 * call. */
const char *watch_problem(struct watch *w);

/* True for a file name that editors write and the site never reads. */
bool watch_ignored(const char *name);

void watch_close(struct watch *w);

#endif
