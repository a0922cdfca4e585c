/* mdheap.c — bump allocation for cmark, rewound per document. */
#include "mdheap.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define CHUNK_SIZE (1u << 20)
#define ALIGN 16u

/* Each block starts with its size, so realloc knows what to copy. */
struct header {
	alignas(ALIGN) size_t size;
};

struct chunk {
	struct chunk *next;
	size_t cap, used;
	alignas(ALIGN) unsigned char data[];
};

struct md_heap {
	struct chunk *first, *cur;
	unsigned char *last;     /* the newest block's header, or NULL */
};

/* cmark's allocator functions take no context: the heap of the thread. */
static _Thread_local struct md_heap *current;

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

struct md_heap *
md_heap_new(void)
{
#ifdef SANITIZED
	return NULL;
#else
	return xcalloc(1, sizeof(struct md_heap));
#endif
}

void
md_heap_free(struct md_heap *h)
{
	if (h == NULL)
		return;
	for (struct chunk *c = h->first, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(h);
}

static size_t
round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* Room for `need` bytes: the current chunk, a later one (rewound), or a
 * new one linked in after the current. */
static struct chunk *
chunk_with_room(struct md_heap *h, size_t need)
{
	struct chunk *c = h->cur;
	if (c && c->cap - c->used >= need)
		return c;
	if (c && c->next && c->next->cap >= need) {
		h->cur = c->next;
		h->cur->used = 0;
		return h->cur;
	}
	size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
	struct chunk *n = xmalloc(sizeof(*n) + cap);
	n->cap = cap;
	n->used = 0;
	n->next = c ? c->next : NULL;
	if (c)
		c->next = n;
	else
		h->first = n;
	h->cur = n;
	return n;
}

static void *
heap_alloc(size_t size)
{
	struct md_heap *h = current;
	size_t need = sizeof(struct header) + round_up(size ? size : 1);
	if (need < size)
		abort();   /* size near SIZE_MAX: cmark would abort too */
	struct chunk *c = chunk_with_room(h, need);
	unsigned char *p = c->data + c->used;
	c->used += need;
	((struct header *)p)->size = need - sizeof(struct header);
	h->last = p;
	return p + sizeof(struct header);
}

static void *
heap_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		abort();
	void *p = heap_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *
heap_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return heap_alloc(size);
	struct md_heap *h = current;
	unsigned char *hdr = (unsigned char *)ptr - sizeof(struct header);
	size_t old = ((struct header *)hdr)->size;
	if (size <= old)
		return ptr;
	/* The newest block grows where it is when its chunk has room:
	 * cmark's strings grow this way over and over. */
	struct chunk *c = h->cur;
	size_t more = round_up(size) - old;
	if (hdr == h->last && c->cap - c->used >= more) {
		c->used += more;
		((struct header *)hdr)->size += more;
		return ptr;
	}
	void *p = heap_alloc(size);
	memcpy(p, ptr, old);
	return p;
}

static void
heap_free(void *ptr)
{
	(void)ptr;   /* all of it goes at md_heap_end */
}

static cmark_mem heap_mem = { heap_calloc, heap_realloc, heap_free };

cmark_mem *
md_heap_begin(struct md_heap *h)
{
	current = h;
	h->cur = h->first;
	if (h->cur)
		h->cur->used = 0;
	h->last = NULL;
	return &heap_mem;
}

void
md_heap_end(struct md_heap *h)
{
	h->cur = h->first;
	if (h->cur)
		h->cur->used = 0;
	h->last = NULL;
	current = NULL;
}
