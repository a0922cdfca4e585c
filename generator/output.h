/* output.h — the publish stage: pages are written into a staging folder
 * beside public/, which replaces public/ only when the whole build has
 * succeeded.  A file whose bytes did not change is hard-linked from the
 * previous public/ instead of written, so it keeps its mtime and hosts
 * that sync by time or checksum upload only what changed. */
#ifndef HAICHAO_OUTPUT_H
#define HAICHAO_OUTPUT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct output {
	char *public_dir;
	char *staging;
	struct diags *diags;
	atomic_size_t written, unchanged;
};

/* Creates the staging folder.  False after reporting why not. */
bool output_begin(struct output *o, const char *public_dir, struct diags *d);
/* Writes `rel` (a path inside public/, '/'-separated).  Thread-safe. */
bool output_write(struct output *o, const char *rel, const void *data, size_t len);
/* Copies the files of `src` (recursively) to `rel` inside the staging tree. */
bool output_copy_tree(struct output *o, const char *src, const char *rel);
/* Swaps the staging folder in as public/ and removes the old one. */
bool output_commit(struct output *o);
/* Removes the staging folder; public/ stays as it was. */
void output_abort(struct output *o);

/* Removes a folder and everything in it (no symlinks followed). */
bool remove_tree(const char *path);

#endif
