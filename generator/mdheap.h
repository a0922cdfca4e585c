/* mdheap.h — the memory cmark uses while one document is parsed and
 * rendered, taken from chunks that are rewound, not freed, when the
 * document is done.
 *
 * cmark allocates every node and grows every string with malloc,
 * realloc and free: about a third of a million calls for a thousand
 * articles, and a tree walk to free each document.  A heap here hands
 * out memory by bumping a pointer, grows the newest block in place, and
 * frees nothing until md_heap_end rewinds it all at once.
 *
 * One heap per thread; between md_heap_begin and md_heap_end, every
 * cmark call of that thread on nodes made with the returned allocator
 * uses it.  Nothing made with it may be used after md_heap_end. */
#ifndef HAICHAO_MDHEAP_H
#define HAICHAO_MDHEAP_H

#include <cmark-gfm.h>

struct md_heap;

/* NULL in sanitizer builds, so that AddressSanitizer sees cmark's own
 * allocations; callers then use cmark's default allocator. */
struct md_heap *md_heap_new(void);
void md_heap_free(struct md_heap *h);
/* The allocator for this thread's next document. */
cmark_mem *md_heap_begin(struct md_heap *h);
/* Everything allocated since md_heap_begin is gone; the chunks stay. */
void md_heap_end(struct md_heap *h);

#endif
