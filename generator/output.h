/* output.h — the publish stage: public/ is replaced all at once.
 *
 * The new tree is made whole in a staging folder beside public/, then the
 * two trade places in one renameat2(RENAME_EXCHANGE): whatever stops the
 * build, public/ is the old tree or the new one, never a mix.  Pages are
 * compared with what public/ holds: an identical file goes into the new
 * tree as a hard link to the old one (same bytes, mtime and inode, so
 * rsync and hosts upload only what changed); new or changed files are
 * written.  Making 24,000 folders and 25,000 links every build would cost
 * more than a one-article rebuild, so the old tree is kept after the swap
 * as public.haichao-mirror/, brought level with the new one (hard links,
 * by the files this build changed), and becomes the next build's staging
 * folder: a build costs what it changes.  The dot entries at the top of
 * public/ (.git, .well-known) are the host's: they move into the new tree
 * just before the swap (a build stopped in between leaves them in its
 * staging folder, and the next build moves them back).  Staging folders
 * left by stopped builds are removed by the next one, which says so.
 * When public/ does not exist yet, the staging folder becomes public/.
 * That covers errors and kills.  A power cut is covered when `durable`
 * is set: the files written and the folders whose entries changed are
 * fsync'ed before the swap, and public/'s folder after it; a mirror
 * made before the machine last started is not trusted (its own updates
 * were not waited for) and the old tree is walked instead.
 * Where the file system cannot exchange two names (renameat2 says EINVAL
 * or ENOSYS), the old tree is renamed aside, then the new one into
 * place: a build killed between those two renames leaves no public/
 * until the next build starts, which makes the new tree (whole by then)
 * public/.  HAICHAO_NO_EXCHANGE=1 in the environment takes that path on
 * any file system (read only here, for the fault suite: make faults).
 * Memory: the sets below are the struct's own; output_commit hands `all`
 * over. */
#ifndef HAICHAO_OUTPUT_H
#define HAICHAO_OUTPUT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strset.h"

struct output {
	char *public_dir;
	char *staging;
	/* Both folders open while the build runs: a file is found from
	 * them in a step or two, not from the root (25,000 files a build). */
	int public_fd;              /* -1 when fresh */
	int staging_fd;
	char *mirror;               /* public.haichao-mirror */
	bool fresh;                 /* public/ did not exist */
	bool mirrored;              /* staging started as the mirror */
	/* Set by the caller after output_begin: what the commit writes is on
	 * the disk before public/ is swapped, and the swap after it. */
	bool durable;
	struct diags *diags;
	pthread_mutex_t lock;       /* guards the sets */
	struct strset all;          /* every path this build produces */
	struct strset changed;      /* written, or relinked in a mirror */
	struct strset gone;         /* removed from the mirror */
	atomic_size_t written, unchanged, removed;
	atomic_bool failed;         /* an error was reported: no commit */
};

/* What output_begin checks before it touches anything: publishing must
 * not overlap the build's own sources (`-o .` would prune them), and an
 * existing folder with files in it must be one haichao published before,
 * known by `mark_file` starting with `mark_prefix`; anything else is
 * someone's folder, whose files the prune step would delete. */
struct output_guard {
	const char *const *sources;  /* folders public/ may not overlap */
	size_t n_sources;
	const char *mark_file;       /* relative to public/ */
	const char *mark_prefix;
};

/* Makes the missing folders above public/ (`-o a/b/public`: a and b),
 * early, since the spill file and the cache live beside public/.  When
 * public/ would overlap the sources it makes nothing and leaves the
 * report to output_begin.  False after reporting why it could not. */
bool output_make_parents(const char *public_dir,
    const struct output_guard *guard, struct diags *d);

/* Takes the lock of the output folder, a lock file beside it
 * (public.haichao-lock: flock, so it dies with its process): while
 * another build holds it, says so and waits.  The descriptor to keep
 * open for the rest of the build, or -1 after reporting why not. */
int output_lock(const char *public_dir, const struct output_guard *guard,
    struct diags *d);

/* Creates the staging folder (removing those stopped builds left).
 * False after reporting why not. */
bool output_begin(struct output *o, const char *public_dir,
    const struct output_guard *guard, struct diags *d);
/* Publishes `rel` (a '/'-separated path inside public/).  Thread-safe. */
bool output_write(struct output *o, const char *rel, const void *data, size_t len);
/* Publishes `rel` as the last build published it.  The caller vouches
 * for it: it saw public/'s `rel` as a regular file with the size and
 * mtime it was published with (the state's check, state.h), so it is not
 * looked at again; a kept file costs that one look.  (A file deleted by
 * hand from the mirror, public.haichao-mirror/, is not noticed: the
 * mirror is the build's own.)  False when public/ is new (nothing to
 * keep) or `rel` is published already, and the caller must write it.
 * Thread-safe. */
bool output_keep(struct output *o, const char *rel);
/* True when public/ holds `rel` as a regular file (nothing is recorded). */
bool output_has(const struct output *o, const char *rel);
/* Copies the files under `src` (recursively) to `rel`. */
bool output_copy_tree(struct output *o, const char *src, const char *rel);
/* Completes the new tree and swaps it in.  Files of the mirror this
 * build did not produce are deleted from it first: those in `previous`
 * (the files the last build published) or, when `previous` is NULL, all
 * found by a walk.  On success `published` (when not NULL) receives the
 * set of files this build published; caller frees. */
bool output_commit(struct output *o, const struct strset *previous,
    struct strset *published);
/* Removes the staging folder; public/ stays as it was. */
void output_abort(struct output *o);

/* Removes a folder and everything in it (no symlinks followed). */
bool remove_tree(const char *path);

#endif
