/* load.h — reads content/ (site.yaml, taxonomy.yaml, glossary.yaml and the
 * articles) into the site model, checking every value it reads.  Problems
 * are reported through diags and loading goes on, so one run finds them
 * all; the caller checks diags_failed() afterwards. */
#ifndef HAICHAO_LOAD_H
#define HAICHAO_LOAD_H

#include <stdbool.h>

#include "diag.h"
#include "site.h"

struct load_options {
	const char *content_dir;
	bool drafts;              /* keep articles marked draft: true */
	const char *base_url;     /* overrides site.yaml when not NULL */
	int threads;              /* reading and parsing articles; 0 means 1 */
};

/* Loads and links the whole archive.  Always returns a site (caller frees
 * with site_free), complete as far as the content allowed. */
struct site *site_load(const struct load_options *opt, struct diags *d);

#endif
