/* link.h — the model's cross-references, resolved once after loading:
 * article order, each term's articles, each company's apps, glossary
 * consistency. */
#ifndef HAICHAO_LINK_H
#define HAICHAO_LINK_H

#include "diag.h"
#include "site.h"

/* Sorts site->articles newest first (ties by slug) and fills by_slug. */
void link_sort_articles(struct site *s);

/* Resolves everything else; reports dangling references. */
void link_site(struct site *s, struct diags *d);

#endif
