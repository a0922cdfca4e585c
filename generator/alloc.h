/* alloc.h — allocation that never returns NULL: haichao is a program, so
 * running out of memory aborts with a message instead of being handled. */
#ifndef HAICHAO_ALLOC_H
#define HAICHAO_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrndup(const char *s, size_t len); /* always NUL-terminated */
char *xstrdup(const char *s);
/* At least *size bytes in whole huge pages (2 MiB, aligned), which the
 * kernel may back with transparent huge pages: bulk memory then faults
 * in 2 MiB at a time instead of 4 KiB.  *size becomes what was given;
 * release with free(). */
#define HUGE_PAGE_SIZE ((size_t)2 << 20)
void *xmalloc_huge(size_t *size);

#endif
