/* strset.h — a set of strings (open addressing), for output paths, page
 * keys and the cache's indexes: tens of thousands of entries per build.
 * The set copies what it stores (into an arena of its own) and frees it in
 * strset_free; a set may be moved by value, after which the original is
 * strset_init'ed.  Not thread-safe: callers lock. */
#ifndef HAICHAO_STRSET_H
#define HAICHAO_STRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct strset {
	char **slots;                /* NULL: a free slot */
	long *values;
	uint64_t *hashes;            /* each slot's, so probing and growing
	                                compare and move without rehashing */
	size_t cap, len;
	struct arena strings;
};

void strset_init(struct strset *s);
/* A number kept with each string (0 for a string added by strset_add):
 * strset_value returns it, or -1 when the string is absent. */
long strset_value(const struct strset *s, const char *str);
void strset_put(struct strset *s, const char *str, long value);
/* Adds `str`; false when it was already there. */
bool strset_add(struct strset *s, const char *str);
bool strset_has(const struct strset *s, const char *str);
void strset_free(struct strset *s);

struct buf;
/* Makes `name` unique among the names given so far, by appending -2,
 * -3... when it is taken, and records it.  `taken` also remembers, for
 * each name asked for, the next number worth trying, so a thousand equal
 * names cost a thousand steps, not half a million (heading ids, glossary
 * slugs). */
void strset_unique(struct strset *taken, struct buf *name);

#endif
