/* feeds.h — Atom feeds (RFC 4287): one per language and one per taxonomy
 * term and language.  They need absolute URLs, so they are written only
 * when the site has a base_url. */
#ifndef HAICHAO_FEEDS_H
#define HAICHAO_FEEDS_H

#include <stdbool.h>

#include "output.h"
#include "site.h"

/* One feed: where it goes, the page it mirrors, its title, its articles
 * (newest first; the first FEED_ENTRIES become entries). */
enum { FEED_ENTRIES = 20 };
struct feed {
	enum lang lang;
	const char *path, *page, *title;
	struct article *const *list;
	size_t n;
};

/* Calls fn for every feed of the site (none without a base_url); the
 * feed's strings last only for the call.  False when any call was. */
bool feeds_each(const struct site *s, bool (*fn)(void *ctx, const struct feed *f),
    void *ctx);
bool feeds_write_one(const struct site *s, struct output *o, const struct feed *f);

#endif
