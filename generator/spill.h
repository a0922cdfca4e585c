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

struct spill {
	int fd;
	unsigned long long block;   /* the file system's block size */
	atomic_ullong end;     /* bytes reserved so far */
	atomic_bool failed;    /* a write failed: callers keep HTML in memory */
};

/* Opens an anonymous file in the folder of `near` (a path); false when it
 * cannot, and HTML then simply stays in memory. */
bool spill_open(struct spill *sp, const char *near);
/* Stores len bytes; their offset, or -1 after a failure. */
long long spill_put(struct spill *sp, const char *data, size_t len);
/* Reads back what spill_put stored, NUL-terminated, into the arena; NULL
 * when the read fails. */
char *spill_get(struct spill *sp, long long off, size_t len, struct arena *a);
/* Says that the bytes at [off, off + len) will not be read again: the
 * file's memory for them goes back to the system at once (a hole is
 * punched, where the system can), so the pages written next reuse it.
 * On a virtual machine, memory the system has not touched lately costs
 * far more to fill than memory it just freed. */
void spill_drop(struct spill *sp, long long off, size_t len);
void spill_close(struct spill *sp);

#endif
