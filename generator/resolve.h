/* resolve.h — the model's cross-references, resolved once after loading:
 * article order, each term's articles, each company's apps, glossary
 * consistency and slugs.
 *
 * Memory: every list it makes lives in the site's arena. */
#ifndef HAICHAO_RESOLVE_H
#define HAICHAO_RESOLVE_H

#include "diag.h"
#include "site.h"

/* Sorts site->articles newest first (ties by slug) and fills by_slug. */
void resolve_sort_articles(struct site *s);

/* Resolves everything else; reports dangling references. */
void resolve_site(struct site *s, struct diags *d);

#endif
