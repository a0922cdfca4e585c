/* sitemap.h — the output stage for sitemap.xml: every page of the site
 * (pages.h lists them) with its language alternates and, for articles,
 * the date of last change.  Written only when the site has a base_url.
 *
 * Memory: nothing outlives a call; the XML is built in a libxml2 buffer
 * and handed to output_write. */
#ifndef HAICHAO_SITEMAP_H
#define HAICHAO_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "output.h"
#include "pages.h"

/* In two steps so that its files can be written on several threads:
 * sitemap_begin keeps the sitemap when it is made from the same things
 * as last time, else writes the index of a large site's parts, and says
 * how many urlset files are to be written (0: none); *ok is false when
 * a write failed.  sitemap_write(i, n) writes file i of those n, on any
 * thread. */
size_t sitemap_begin(struct page_set *ps, const struct site *s,
    struct output *out, bool *ok);
bool sitemap_write(struct page_set *ps, const struct site *s,
    struct output *out, size_t i, size_t n);

#endif
