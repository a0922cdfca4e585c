/* buf.h — growable byte buffers for per-page scratch output.
 *
 * Invariants: after buf_init, b->data is either NULL (len 0) or points to
 * b->cap bytes of which the first b->len are in use and b->data[b->len] is
 * '\0', so the contents can always be used as a C string.  A buf owns its
 * data; ownership leaves only through buf_detach (the caller then frees the
 * returned pointer) and ends with buf_release. */
#ifndef HAICHAO_BUF_H
#define HAICHAO_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_puts(struct buf *b, const char *s);

/* Pages are built from millions of small pieces: adding one is inline,
 * and calls out only when the buffer must grow. */
static inline void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len >= b->cap)
		buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);         /* empty it, keep the memory */
char *buf_detach(struct buf *b);       /* caller frees; b is empty afterwards */
void buf_release(struct buf *b);

#endif
