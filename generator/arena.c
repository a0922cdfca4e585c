/* arena.c — bump allocation in growing blocks (see arena.h for the rule). */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

/* Blocks start at 64 KiB and grow with the arena, each as big as all
 * before it, up to 4 MiB: a page's scratch stays small, and the model's
 * hundreds of MB come in blocks of whole huge pages (xmalloc_huge). */
enum { ARENA_BLOCK = 64 * 1024, ARENA_BLOCK_MAX = 4 << 20 };

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->block = 0;
	a->grown = 0;
}

void
arena_init_blocks(struct arena *a, size_t block)
{
	a->head = NULL;
	a->block = block;
	a->grown = 0;
}

static struct arena_block *
new_block(size_t at_least, size_t block)
{
	size_t size = at_least > block ? at_least : block;
	size_t total = sizeof(struct arena_block) + size;
	if (total < size)
		abort();   /* size near SIZE_MAX */
	struct arena_block *b = total >= HUGE_PAGE_SIZE ? xmalloc_huge(&total) :
	    xmalloc(total);
	b->used = 0;
	b->size = total - sizeof(struct arena_block);
	b->next = NULL;
	return b;
}

static size_t
block_size(const struct arena *a)
{
	if (a->block)
		return a->block;
	if (a->grown < ARENA_BLOCK)
		return ARENA_BLOCK;
	return a->grown < ARENA_BLOCK_MAX ? a->grown : ARENA_BLOCK_MAX;
}

/* Room for `size` bytes, not cleared. */
static void *
bump(struct arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct arena_block *b = a->head;
	if (b == NULL || b->size - b->used < size) {
		size_t block = block_size(a);
		struct arena_block *nb = new_block(size, block);
		a->grown += nb->size;
		if (b != NULL && size > block / 4) {
			/* A big request gets its own block behind the current
			 * one, so the rest of the current block is not wasted. */
			nb->next = b->next;
			b->next = nb;
			b = nb;
		} else {
			nb->next = b;
			a->head = b = nb;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	void *p = bump(a, size);
	memset(p, 0, size);
	return p;
}

void *
arena_alloc_uninit(struct arena *a, size_t size)
{
	return bump(a, size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	/* Every byte is written: no clearing first (bodies are megabytes). */
	char *p = bump(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
arena_copy(struct arena *a, const void *items, size_t n, size_t size)
{
	void *p = bump(a, n ? n * size : 1);
	if (n)
		memcpy(p, items, n * size);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *
arena_concat(struct arena *a, const char *x, const char *y, const char *z)
{
	size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
	char *p = arena_alloc(a, lx + ly + lz + 1);
	memcpy(p, x, lx);
	memcpy(p + lx, y, ly);
	memcpy(p + lx + ly, z, lz);
	p[lx + ly + lz] = '\0';
	return p;
}

char *
arena_number(struct arena *a, long n)
{
	char tmp[24];
	int i = (int)sizeof(tmp);
	unsigned long u = n < 0 ? (unsigned long)-(n + 1) + 1 : (unsigned long)n;
	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		tmp[--i] = '-';
	return arena_strdup(a, tmp + i);
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
	if (src->head == NULL)
		return;
	dst->grown += src->grown;
	src->grown = 0;
	if (dst->head == NULL) {
		dst->head = src->head;
	} else {
		/* Behind dst's current block, which keeps serving requests. */
		struct arena_block *tail = src->head;
		while (tail->next != NULL)
			tail = tail->next;
		tail->next = dst->head->next;
		dst->head->next = src->head;
	}
	src->head = NULL;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	if (b == NULL)
		return;
	struct arena_block *rest = b->next;
	while (rest != NULL) {
		struct arena_block *next = rest->next;
		free(rest);
		rest = next;
	}
	b->next = NULL;
	b->used = 0;
	a->grown = b->size;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->grown = 0;
}
