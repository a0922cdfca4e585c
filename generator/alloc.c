/* alloc.c — the only place that decides what happens when memory runs out. */
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void
out_of_memory(void)
{
	fputs("haichao: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

char *
xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void *
xmalloc_huge(size_t *size)
{
	size_t want = (*size + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
	void *p = NULL;
	if (want < *size || posix_memalign(&p, HUGE_PAGE_SIZE, want) != 0)
		out_of_memory();
#ifdef MADV_HUGEPAGE
	(void)madvise(p, want, MADV_HUGEPAGE);   /* only a hint */
#endif
	*size = want;
	return p;
}
