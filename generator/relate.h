/* relate.h — the transform stage that connects articles after rendering:
 * backlinks (who links here, which articles use a glossary term) and
 * related reading (shared tags).  Both are
 * computed in time near-linear in the archive's size. */
#ifndef HAICHAO_RELATE_H
#define HAICHAO_RELATE_H

#include "site.h"

#include "buf.h"

/* Fills every article's backlinks, every glossary.yaml term's list of
 * articles using it (used_by) and every article's related lists, the latter on
 * `threads` threads, or from `known` (relate_put's records from the last
 * build, with the same relate_key) when it fits.  Needs the rendered
 * versions' link lists; allocates in the site's arena. */
void relate_site(struct site *s, int threads, const char *known,
    size_t known_len);

/* A hash of all that related lists are made from: the articles in order,
 * with their dates and tags. */
uint64_t relate_key(const struct site *s);
/* The related lists, one line per article (the indexes of its related
 * articles, tab-separated: state.h's record format), for the next
 * build. */
void relate_put(struct buf *out, const struct site *s);

#endif
