/* relate.h — the transform stage that connects articles after rendering:
 * backlinks (who links here) and related reading (shared tags).  Both are
 * computed in time near-linear in the archive's size. */
#ifndef HAICHAO_RELATE_H
#define HAICHAO_RELATE_H

#include "site.h"

/* Fills every article's backlinks and related lists, the latter on
 * `threads` threads.  Needs the rendered versions' link lists; allocates
 * in the site's arena. */
void relate_site(struct site *s, int threads);

#endif
