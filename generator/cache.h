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

/* True when public/ is already what a build would write; *said is then
 * what that build printed (its warnings; caller frees). */
bool cache_up_to_date(const struct build_options *opt, struct diags *d,
    char **said);
/* Records the current state after a successful build, with what the build
 * printed so an up-to-date run can say it again. */
void cache_save(const struct build_options *opt, const char *said);
/* Removes the state (before a build that may change public/). */
void cache_forget(const struct build_options *opt);

#endif
