/* load.h — reads content/ (site.yaml, taxonomy.yaml, glossary.yaml and the
 * articles) into the site model, checking every value it reads.  Problems
 * are reported through diags and loading goes on, so one run finds them
 * all; the caller checks diags_failed() afterwards. */
#ifndef HAICHAO_LOAD_H
#define HAICHAO_LOAD_H

#include <stdbool.h>

#include "diag.h"
#include "site.h"

/* The last build's record of article file `name` (state.h), copied into
 * `a`; false when there is none.  Called from several threads at once. */
typedef bool (*known_source_fn)(const void *ctx, const char *name,
    struct source_record *out, struct arena *a);

struct load_options {
	const char *content_dir;
	bool drafts;              /* keep articles marked draft: true */
	const char *base_url;     /* overrides site.yaml when not NULL */
	int threads;              /* reading and parsing articles; 0 means 1 */
	known_source_fn known;    /* may be NULL: every file is read */
	const void *known_ctx;
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
