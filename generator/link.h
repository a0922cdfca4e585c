/* link.h — the render stage's links out of an article: links to another
 * article's source (`slug.zh.md#anchor`) become links to its page, with
 * the anchor checked once every page's heading ids are known, and
 * relative references to files in an asset folder are checked and
 * rewritten for the page's place in the output.
 *
 * Memory: the rewritten URLs are set on the cmark nodes (the document's
 * allocator); the link lists are gathered on the heap in the walk and
 * moved into the worker's arena by render.c; anchor checks and asset
 * paths are made in the worker's arena. */
#ifndef HAICHAO_LINK_H
#define HAICHAO_LINK_H

#include "walk.h"

/* Rewrites a link to another article's source; false when `link` is not
 * one. */
bool link_rewrite_cross(struct walk *w, cmark_node *link);

/* Checks and rewrites a relative reference to an asset file; leaves
 * absolute URLs, anchors and schemes alone. */
void link_rewrite_asset(struct walk *w, cmark_node *node);

/* True when content/articles/<rel> is a regular file inside
 * content/articles (no symbolic link out of it). */
bool link_asset_exists(const struct site *s, const char *rel);

#endif
