/* feeds.h — Atom feeds (RFC 4287): one per language, one per taxonomy
 * term and language, and one per glossary.yaml term and language.  They need absolute URLs, so they are written only
 * when the site has a base_url. */
#ifndef HAICHAO_FEEDS_H
#define HAICHAO_FEEDS_H

#include <stdbool.h>

#include "buf.h"
#include "output.h"
#include "site.h"

/* One feed: where it goes, the page it mirrors, its title, its articles
 * (newest first; the first FEED_ENTRIES become entries).  A glossary
 * term's articles are indices, not a list of articles: its entries are
 * gathered into `own`, and `list` points there. */
enum { FEED_ENTRIES = 20 };
struct feed {
	enum lang lang;
	const char *path, *page, *title;
	struct article *const *list;
	size_t n;
	struct article *own[FEED_ENTRIES];
};

/* How many feeds the site has (none without a base_url); feed i of them,
 * its strings in `names` (released by the caller), so that feeds can be
 * written on several threads. */
size_t feeds_count(const struct site *s);
void feeds_nth(const struct site *s, size_t i, struct buf names[3],
    struct feed *out);
/* Entries written once and shared by the feeds (and threads) that show
 * them; feed_entries_free after the last feed is written. */
struct feed_entries;
struct feed_entries *feed_entries_new(const struct site *s);
void feed_entries_free(struct feed_entries *e);
/* One feed, its entries taken from (or first written into) `entries`. */
bool feeds_write_one(const struct site *s, struct output *o, const struct feed *f,
    struct feed_entries *entries);

#endif
