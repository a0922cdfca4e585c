/* pages.h — the output stage for HTML: the table of page kinds, the list of
 * pages a site has, and each page bound to its template and written. */
#ifndef HAICHAO_PAGES_H
#define HAICHAO_PAGES_H

#include "diag.h"
#include "output.h"
#include "site.h"

struct pages_options {
	const char *templates_dir;
	int threads;
};

/* Loads the templates; false after reporting problems. */
struct page_set;
struct page_set *pages_prepare(const struct site *s,
    const struct pages_options *opt, struct diags *d);
/* Renders every page into `out`, on opt->threads threads. */
bool pages_write(struct page_set *ps, struct output *out);
void pages_free(struct page_set *ps);
/* Writes sitemap.xml (only when the site has a base_url). */
bool pages_write_sitemap(struct page_set *ps, struct output *out);
/* How many articles use glossary.yaml term `id`. */
size_t pages_term_uses(const struct page_set *ps, size_t id);
/* How many HTML pages the site has. */
size_t pages_count(const struct page_set *ps);

/* Relative path of an article's page from the site root. */
const char *pages_article_path(struct arena *a, const struct article *art,
    enum lang lang);

#endif
