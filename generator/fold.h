/* fold.h — the character folding of search: what a query and the text it
 * is looked for in are both reduced to before they are compared.  Case
 * (ASCII and Latin-1 letters), full-width and half-width forms, white
 * space (any of it becomes one space), curly quotes (to straight ones: as
 * typed on a keyboard) and traditional Chinese characters (to
 * simplified, by OpenCC's character table: foldtab.inc).
 *
 * Each code point folds to exactly one code point, so a position in the
 * folded text is the same position in the original, and a match can be
 * highlighted where it is.  The search script (templates/assets/search.js)
 * folds queries the same way: it gets the rules below as code and the
 * table as data the build writes (search.c), so both sides cannot drift.
 *
 * Memory: no state; the table is static. */
#ifndef HAICHAO_FOLD_H
#define HAICHAO_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* The folded form of code point c. */
uint32_t fold_char(uint32_t c);

/* fold_char of every code point of the BMP, as a table of 0x10000: for
 * loops over long texts, which look a character up without a call. */
const uint32_t *fold_bmp(void);

/* The traditional-to-simplified table, sorted by its first column. */
struct fold_pair {
	uint32_t from, to;
};
const struct fold_pair *fold_table(size_t *n);

#endif
