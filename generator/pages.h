/* pages.h — the output stage for HTML: the table of page kinds, the list of
 * pages a site has, and each page bound to its template and written. */
#ifndef HAICHAO_PAGES_H
#define HAICHAO_PAGES_H

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "site.h"
#include "spill.h"
#include "strset.h"

struct pages_options {
	const char *templates_dir;
	int threads;
};

/* Loads the templates; false after reporting problems. */
struct page_set;
struct page_set *pages_prepare(const struct site *s,
    const struct pages_options *opt, struct diags *d);
/* Writing is two steps, so that calls go one way (the build renders what
 * the pages need between them; pages never call back into rendering).
 * pages_decide keeps every page whose key, or bound values' hash, is as
 * in `previous` (the last build's keys, may be NULL) and public/ still
 * holds, marks the others, and gives the articles those show whose HTML
 * was not rendered (their render was reused from the last build): the
 * caller renders them (caller frees the list).  False when the
 * templates did not load. */
bool pages_decide(struct page_set *ps, struct output *out,
    const struct strset *previous, struct spill *spill,
    struct article ***need_html, size_t *n);
/* Binds, renders and writes the pages marked, on opt->threads threads;
 * HTML that the render stage spilled is read back from `spill` (as
 * given to pages_decide; may be NULL). */
bool pages_write(struct page_set *ps);
/* Keys for the other files (feeds, sitemap, indexes), like page keys:
 * what they are made from.  A list of articles hashed by what lists show
 * of them, or (full) by everything about them. */
uint64_t pages_key_articles(const struct page_set *ps, const char *what,
    struct article *const *list, size_t n, bool full);
/* Every page's place and every article's date: what the sitemap shows. */
uint64_t pages_key_sitemap(const struct page_set *ps);
/* Keeps `path` (true) when its key is as in the last build and public/
 * still has it; it is then remembered for the next build.  Call during
 * or after pages_write. */
bool pages_keep_file(struct page_set *ps, const char *path, uint64_t key);
/* Remembers the key of a file written now, for the next build. */
void pages_remember(struct page_set *ps, const char *path, uint64_t key);
/* Keeps `path` as the last build wrote it, whatever its key, when the
 * caller knows it has not changed (a search text file of an article not
 * rendered again); false when the last build did not write it or public/
 * no longer has it.  pages_had asks the first half without keeping. */
bool pages_keep_previous(struct page_set *ps, const char *path);
bool pages_had(const struct page_set *ps, const char *path);

/* The hash of every page written, for the next build (owned by ps). */
const struct strset *pages_hashes(const struct page_set *ps);
void pages_free(struct page_set *ps);
/* What the sitemap (sitemap.h) needs of page i, 0 <= i < pages_count:
 * its place in `lang` (appended to b), and the rest below; false for a
 * page the sitemap leaves out (404.html). */
struct page_place {
	enum lang lang;              /* the page's own */
	bool root;                   /* the language chooser: no alternates */
	const struct date *updated;  /* an article's last change, else NULL */
};
void pages_path(const struct page_set *ps, size_t i, enum lang lang,
    struct buf *b);
bool pages_place(const struct page_set *ps, size_t i, struct page_place *pl);
/* True when the last build gave `path` this key (pages_keep_file without
 * keeping it). */
bool pages_same_key(const struct page_set *ps, const char *path, uint64_t key);
/* How many HTML pages the site has. */
size_t pages_count(const struct page_set *ps);

/* Relative path of an article's page from the site root. */
const char *pages_article_path(struct arena *a, const struct article *art,
    enum lang lang);

#endif
