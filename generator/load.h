/* load.h — reads content/ (site.yaml, taxonomy.yaml, glossary.yaml and the
 * articles) into the site model, checking every value it reads.  Problems
 * are reported through diags and loading goes on, so one run finds them
 * all; the caller checks diags_failed() afterwards. */
#ifndef HAICHAO_LOAD_H
#define HAICHAO_LOAD_H

#include <stdbool.h>

#include "diag.h"
#include "site.h"
#include "yamlnode.h"

/* What identifies a file's contents without reading it: a write changes
 * its ctime, which nothing can set back. */
struct file_stamp {
	long long mtime_s, mtime_ns, ctime_s, ctime_ns, size;
	unsigned long long ino;
};

/* What loading takes from an article file that a later build can use
 * while the file's stamp is the same: its front matter as parsed (the
 * tree, with positions), where its body starts and the hash of its text.
 * The body is read only if something renders it. */
struct source_record {
	const char *name;                    /* in articles/ */
	struct file_stamp stamp;
	uint64_t source_hash;
	int body_line;
	struct ynode *fm;                    /* the front matter as parsed */
	const char *line;                    /* its line in the last state, when */
	size_t line_len;                     /* taken from there, else NULL */
};

/* Every article file loading read or took from the last build, for the
 * next build's state; in the site's arena. */
struct source_records {
	struct source_record *list;
	size_t n;
};

/* The last build's record of article file `name` (state.h), copied into
 * `a`, its tree's positions naming `path`; false when there is none.
 * Called from several threads at once. */
typedef bool (*known_source_fn)(const void *ctx, const char *name,
    const char *path, struct source_record *out, struct arena *a);

struct load_options {
	const char *content_dir;
	bool drafts;              /* keep articles marked draft: true */
	const char *base_url;     /* overrides site.yaml when not NULL */
	int threads;              /* reading and parsing articles; 0 means 1 */
	known_source_fn known;    /* may be NULL: every file is read */
	const void *known_ctx;
	struct source_records *records;   /* filled when not NULL */
};

/* Loads and links the whole archive.  Always returns a site (caller frees
 * with site_free), complete as far as the content allowed. */
struct site *site_load(const struct load_options *opt, struct diags *d);

/* Reads the body of version `v`, which loading took from the last build
 * without reading its file, into `a`.  False after reporting why not (the
 * body is then empty). */
bool load_body(const struct site *s, struct version *v, struct arena *a,
    struct diags *d);

#endif
