/* spill.h — a temporary file for rendered HTML, so that it need not stay
 * in memory from the render stage to the page stage.
 *
 * Every article's HTML is rendered before any page is written (pages need
 * what all renders found: backlinks, glossary uses), and together it is
 * most of a build's memory: 240 MB for 10,000 articles.  Written here
 * instead, it costs one copy into the page cache and one back; the kernel
 * may keep it in memory or not, as it needs.  The file is created beside
 * the output and unlinked at once, so nothing is left behind, even after
 * a crash.  Safe to use from several threads. */
#ifndef HAICHAO_SPILL_H
#define HAICHAO_SPILL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* What is stored is found by slot, a number the caller chooses below
 * n_slots (the build: spill_slot), so that the model does not keep file
 * offsets.  Each slot is written once, by one thread. */
struct spill {
	int fd;
	unsigned long long block;   /* the file system's block size */
	atomic_ullong end;     /* bytes reserved so far */
	atomic_bool failed;    /* a write failed: callers keep HTML in memory */
	struct spill_range {
		long long off;     /* -1: nothing stored */
		size_t len;
	} *slots;
	size_t n_slots;
};

/* A version's slot: the article's place in site->articles and the
 * version's language. */
static inline size_t
spill_slot(size_t article, int lang)
{
	return article * 2 + (size_t)lang;
}

/* Opens an anonymous file in the folder of `near` (a path), for slots
 * 0 .. n_slots - 1; false when it cannot, and HTML then simply stays in
 * memory. */
bool spill_open(struct spill *sp, const char *near, size_t n_slots);
/* Stores len bytes in `slot`; false after a failure (the caller keeps
 * them). */
bool spill_put(struct spill *sp, size_t slot, const char *data, size_t len);
/* True when `slot` holds stored bytes. */
bool spill_has(const struct spill *sp, size_t slot);
/* Reads back what `slot` holds, NUL-terminated, into the arena; NULL
 * when the read fails. */
char *spill_get(struct spill *sp, size_t slot, struct arena *a);
/* Says that `slot` will not be read again: the file's memory for it
 * goes back to the system at once (a hole is punched, where the system
 * can), so the pages written next reuse it.  On a virtual machine,
 * memory the system has not touched lately costs far more to fill than
 * memory it just freed. */
void spill_drop(struct spill *sp, size_t slot);
void spill_close(struct spill *sp);

#endif
