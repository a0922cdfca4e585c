/* search.h — the output stage for search: every article's plain text in
 * each language, folded (fold.h), becomes an index of n-grams that the
 * search page's script (templates/assets/search.js) loads a few small
 * files of per query.
 *
 * What it writes under public/<lang>/search/ (all of it scripts that call
 * a global function, so that they load from file:// as over HTTP):
 *   meta.js        how many articles and shards, the lists' total size,
 *                  which fold blocks exist
 *   s/<n>.js       shard n: for each n-gram that hashes to n, the list of
 *                  articles holding it (n-grams: every character and
 *                  every run of two and of three, none across a space)
 *   d/<k>.js       articles 16k..16k+15 (newest first): slug, title, date
 *   t/<slug>.js    an article's text: to verify longer queries and to
 *                  show the snippet around a match (UTF-16 with a byte
 *                  order mark when that is shorter: Chinese text), and
 *                  the fold blocks its traditional characters are in
 * and public/search/fold/<hex>.js, the traditional-to-simplified table in
 * blocks of 1,024 code points.  A query of one to three characters is
 * answered exactly by its n-gram's list; a longer one intersects the
 * lists of its runs of three and checks the candidates' text, so no false
 * hit survives and no true one is missed.
 *
 * Incremental: when the articles are those of the last build, in the same
 * order, and few were rendered again, only the last build's shards that
 * hold an n-gram those articles gained or lost (their old text from their
 * text files) are read, patched and rewritten; the other shards and text
 * files are kept unread, unless the lists' new total size (meta.js keeps
 * it) calls for another number of shards.  Else
 * every article's text is collected: from its HTML, or from the last
 * build's text file when its render was reused.  Files whose content is
 * as last time are kept (pages_keep_file).
 *
 * How a full build makes the lists: articles are collected CHUNK at a
 * time on the pool (their text files written, their folded text kept
 * for the chunk); then each block of 64 articles is read for n-grams
 * into a small set holding, for each n-gram, a mask of the block's
 * articles that have it (a word said again in the block is read once);
 * then the blocks are merged into the lists in order, each n-gram once
 * per block.  Cheap because the block's set stays in the cache and the
 * large lists are touched about a seventh as often as there are
 * postings.
 *
 * Memory: a struct search owns its n-gram lists (heap, freed by
 * search_free), each held as the gaps between article numbers or, once
 * shorter, a bitmap (postings.h), so a posting costs at most a byte or
 * two.  Only a chunk's texts are held at once.
 * The site, the output and the page set must outlive the struct search;
 * write the index (search_write) and free it before writing the pages,
 * the build's peak of memory. */
#ifndef HAICHAO_SEARCH_H
#define HAICHAO_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "output.h"
#include "pages.h"
#include "site.h"
#include "spill.h"

/* Renders articles whose render was reused, for their HTML. */
typedef void (*search_render_fn)(void *ctx, struct article **list, size_t n);

struct search_source {
	struct spill *spill;          /* rendered HTML, or NULL */
	const char *public_dir;       /* the last build's text files */
	const bool *reused;           /* per article: its render was reused
	                                 (not rendered in this build) */
	search_render_fn render;      /* for those whose text file is missing */
	void *render_ctx;
	int threads;
};
/* Extracts every article's text in both languages, from its rendered
 * HTML, or from the last build's text file when its render was reused
 * (rendering it now if that file is missing), writes the text files into
 * `o` and folds the text into n-gram lists.  Call after the render stage
 * and before pages_write, which gives the spilled HTML back.  The caller
 * frees with search_free; `o` and `ps` must outlive it. */
struct search *search_collect(const struct site *s,
    const struct search_source *src, struct output *o, struct page_set *ps);

/* Writes the index, metadata and fold files; false when something could
 * not be written (here or in search_collect; the output layer said why). */
bool search_write(struct search *se);

/* True when search_collect patched the last build's index (a few
 * articles edited) instead of collecting every article. */
bool search_patched(const struct search *se);

void search_free(struct search *se);

/* The text a reader sees in rendered article HTML, appended to `out`:
 * tags dropped (block elements become spaces), pinyin (<rt>) and note
 * numbers (<sup>) left out, character references decoded.  For tests
 * and search_collect. */
void search_html_text(const char *html, size_t len, struct buf *out);

/* `text` with every run of white space (what folds to a space) made one
 * space, and none at either end, appended to `out`. */
void search_squeeze(const char *text, size_t len, struct buf *out);

#endif
