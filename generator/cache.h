/* cache.h — the build state kept between runs, so that a rebuild with
 * nothing changed does nothing at all.
 *
 * The state is a small text file beside public/ (public.haichao-cache): the
 * generator's identity, the build options, and the size, modification time
 * and inode of every input file (content/ and templates/) and of the
 * published index.html.  It is safe to delete; a stale one (anything
 * changed) just means a full build, and a damaged one is reported with a
 * warning and then ignored. */
#ifndef HAICHAO_CACHE_H
#define HAICHAO_CACHE_H

#include <stdbool.h>

#include "build.h"
#include "diag.h"
#include "strset.h"

/* True when public/ is already what a build would write; *said is then
 * what that build printed (its warnings; caller frees). */
bool cache_up_to_date(const struct build_options *opt, struct diags *d,
    char **said);
/* The hash of every page the last build wrote (strset values), when the
 * generator, options and templates are unchanged: a page whose bound
 * values hash the same need not be rendered again.  NULL otherwise;
 * caller frees with strset_free and free. */
struct strset *cache_page_hashes(const struct build_options *opt);
/* The fingerprint of every input, taken before the build reads them (so
 * that a file edited while it runs makes the next build a full one).
 * Caller frees. */
char *cache_inputs(const struct build_options *opt);
/* Records the state after a successful build: the inputs as they were
 * when it began, what it printed (so an up-to-date run can say it again)
 * and the page hashes. */
void cache_save(const struct build_options *opt, const char *inputs,
    const char *said, const struct strset *pages);
/* Removes the state (before a build that may change public/). */
void cache_forget(const struct build_options *opt);

#endif
