/* postings.h — the articles that hold an n-gram, as the search index keeps
 * and writes them (search.c).
 *
 * A list is built in increasing article order.  It is held as the gaps
 * between its articles' numbers, in characters of the 64 that a script
 * string needs no escape for (5 bits each, low first, each but the last
 * of a gap with 32 added), until that text would take more bytes than a
 * bitmap (a bit an article); from then on it is held as the bitmap.  It is
 * written as whichever text is shorter: the gaps, or '~' and the bitmap at
 * six articles a character.  `len` always counts the gaps' characters, so
 * the choice is the same whichever way the list is held.
 *
 * A list read back from a shard keeps the shard's text as it is
 * (postings_take_text) and is written back the same.
 *
 * Memory: a struct postings owns its buffer (postings_free); zero is an
 * empty list. */
#ifndef HAICHAO_POSTINGS_H
#define HAICHAO_POSTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct postings {
	char *data;              /* the gaps, or the bitmap when `dense` */
	uint32_t last;           /* the last article added */
	uint32_t n;              /* how many */
	uint32_t len;            /* characters of the gaps, held or not */
	uint32_t cap;            /* bytes at data */
	bool dense;
};

/* Article `doc`, greater than any before. */
void postings_add(struct postings *p, uint32_t doc);

/* Articles first + i for each bit i of `mask` (first a multiple of 8, all
 * greater than any before). */
void postings_add_mask(struct postings *p, uint32_t first, uint64_t mask);

/* The list made docs[0..n) (ascending), held as gaps. */
void postings_set(struct postings *p, const uint32_t *docs, size_t n);

/* The list made a shard's text of it (gaps or '~' bitmap, as
 * postings_write wrote it) whose articles are docs[0..n), n > 0. */
void postings_take_text(struct postings *p, const char *text, size_t len,
    const uint32_t *docs, size_t n);

/* Characters postings_write writes. */
size_t postings_text_len(const struct postings *p);

/* The list's text appended to `b`. */
void postings_write(struct buf *b, const struct postings *p);

/* The articles of a list's text (gaps or '~' bitmap), appended to *docs
 * (a heap array of *cap, grown as needed); false when the text is not one
 * (a damaged shard). */
bool postings_decode(const char *s, size_t len, uint32_t **docs, size_t *n,
    size_t *cap);

/* The list's articles, appended to *docs as postings_decode does. */
void postings_docs(const struct postings *p, uint32_t **docs, size_t *n,
    size_t *cap);

void postings_free(struct postings *p);

#endif
