/* match.h — find glossary terms in text: leftmost-longest, non-overlapping,
 * Latin terms only at word boundaries. Build once, scan from any thread.
 *
 * A term whose first byte is an ASCII letter or digit matches only where the
 * text byte before it is not one (or at the start of the text); likewise at
 * its end. Other terms (CJK, punctuation) match anywhere. Matching compares
 * bytes exactly, so invalid UTF-8 and NUL bytes are harmless. Scanning costs
 * O(text length + matches) whatever the terms are, and does not allocate
 * unless a term is longer than 256 bytes and the text longer than 1 KiB. */
#ifndef HAICHAO_MATCH_H
#define HAICHAO_MATCH_H

#include <stdbool.h>
#include <stddef.h>

struct matcher;

struct matcher *matcher_new(void); /* caller frees with matcher_free */

/* Adds a term (UTF-8, len bytes) with a caller id >= 0. Empty terms are
 * ignored. Adding the same term twice keeps the first id. Must be called
 * before matcher_compile (afterwards it aborts: the term would be lost). */
void matcher_add(struct matcher *m, const char *term, size_t len, int id);

/* After this, m is read-only. Calling it again does nothing. */
void matcher_compile(struct matcher *m);

/* Calls found(ctx, start, end, id) for each match, in text order, byte
 * offsets [start,end). If found returns false, scanning stops. Thread-safe
 * for concurrent scans of one matcher. Aborts if m is not compiled. */
typedef bool (*matcher_found_fn)(void *ctx, size_t start, size_t end, int id);
void matcher_scan(const struct matcher *m, const char *text, size_t len,
                  matcher_found_fn found, void *ctx);

void matcher_free(struct matcher *m);

#endif
