/* output.h — the publish stage.
 *
 * Nothing in public/ changes until the whole build has succeeded.  Pages are
 * compared with what public/ already holds: identical files are left alone
 * (their mtime stays, so rsync and hosts upload only what changed); new or
 * changed files are written into a staging folder beside public/.  On
 * commit the staged files are renamed into place and files that the build
 * no longer produces are deleted.  On abort the staging folder is removed
 * and public/ is exactly as it was.  When public/ does not exist yet, the
 * staging folder simply becomes public/. */
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
	bool fresh;                 /* public/ did not exist */
	struct diags *diags;
	pthread_mutex_t lock;       /* guards the two sets */
	struct strset all;          /* every path this build produces */
	struct strset changed;      /* the ones staged */
	atomic_size_t written, unchanged, removed;
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
/* Creates the staging folder.  False after reporting why not. */
bool output_begin(struct output *o, const char *public_dir,
    const struct output_guard *guard, struct diags *d);
/* Publishes `rel` (a '/'-separated path inside public/).  Thread-safe. */
bool output_write(struct output *o, const char *rel, const void *data, size_t len);
/* Publishes `rel` as it already is in public/, when it is there (the
 * caller knows its content has not changed); false when it is not, and
 * the caller must write it.  Thread-safe. */
bool output_keep(struct output *o, const char *rel);
/* True when public/ holds `rel` as a regular file (nothing is recorded). */
bool output_has(const struct output *o, const char *rel);
/* Copies the files under `src` (recursively) to `rel`. */
bool output_copy_tree(struct output *o, const char *src, const char *rel);
/* Moves the staged files into public/ and deletes stale ones: those in
 * `previous` (the files the last build published) that this build did
 * not produce or, when `previous` is NULL, every file in public/ that it
 * did not produce (dot files excepted).  On success `published` (when not
 * NULL) receives the set of files this build published; caller frees. */
bool output_commit(struct output *o, const struct strset *previous,
    struct strset *published);
/* Removes the staging folder; public/ stays as it was. */
void output_abort(struct output *o);

/* Removes a folder and everything in it (no symlinks followed). */
bool remove_tree(const char *path);

#endif
