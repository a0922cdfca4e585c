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

#endif
