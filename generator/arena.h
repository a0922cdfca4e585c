/* arena.h — bump allocation for the site model.
 *
 * Memory rule: everything the model holds (strings, arrays, records) lives in
 * one arena owned by the site and is freed once, by arena_free, at the end of
 * the run.  Nothing allocated from an arena is freed on its own.  An arena is
 * not thread-safe: the render threads each use their own scratch arena. */
#ifndef HAICHAO_ARENA_H
#define HAICHAO_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t block;            /* bytes per block; 0: growing (see arena.c) */
	size_t grown;            /* bytes of the blocks it holds */
};

void arena_init(struct arena *a);
/* An arena of big blocks, for bulk data freed early: blocks that size
 * come straight from mmap, so freeing them gives the memory back. */
void arena_init_blocks(struct arena *a, size_t block);
void *arena_alloc(struct arena *a, size_t size);          /* zeroed, aligned */
/* Not zeroed: for bytes about to be overwritten (a file read into it). */
void *arena_alloc_uninit(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* A copy of n items of `size` bytes (a valid pointer even for n == 0). */
void *arena_copy(struct arena *a, const void *items, size_t n, size_t size);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The three strings joined, and a decimal number, without printf. */
char *arena_concat(struct arena *a, const char *x, const char *y, const char *z);
char *arena_number(struct arena *a, long n);
/* Moves every block of `src` into `dst` (src is left empty): what
 * several threads built in their own arenas joins one owner. */
void arena_adopt(struct arena *dst, struct arena *src);
void arena_reset(struct arena *a);   /* free all but keep the newest block */
void arena_free(struct arena *a);

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (n)))

#endif
