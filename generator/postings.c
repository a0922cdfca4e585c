/* postings.c — see postings.h. */
#include "postings.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* The alphabet of the lists' text: 64 characters that need no escaping. */
static const char digits64[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/* A digit's value, or -1 for a character outside the alphabet (a damaged
 * list read back from the last build). */
static int
digit_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 :
	    c >= 'a' && c <= 'z' ? c - 'a' + 36 : c == '-' ? 62 : c == '_' ? 63 : -1;
}

/* The gap v in its characters at q; how many. */
static inline size_t
put_gap(char *q, uint32_t v)
{
	size_t k = 0;
	for (; v >= 32; v >>= 5)
		q[k++] = digits64[32 | (v & 31)];
	q[k++] = digits64[v];
	return k;
}

static inline size_t
gap_chars(uint32_t v)
{
	size_t k = 1;
	for (; v >= 32; v >>= 5)
		k++;
	return k;
}

/* Characters of the bitmap form: '~' and 6 articles a character, up to
 * the last. */
static size_t
bitmap_len(const struct postings *p)
{
	return 1 + p->last / 6 + 1;
}

static void
gaps_add(struct postings *p, uint32_t doc)
{
	uint32_t v = doc - (p->n ? p->last + 1 : 0);
	if (p->len + 8 > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->data = xrealloc(p->data, p->cap);
	}
	p->len += (uint32_t)put_gap(p->data + p->len, v);
	p->last = doc;
	p->n++;
}

/* Room for `bytes` in a bitmap, the new ones 0. */
static void
bits_room(struct postings *p, size_t bytes)
{
	if (bytes > p->cap) {
		size_t cap = bytes * 2;
		p->data = xrealloc(p->data, cap);
		memset(p->data + p->cap, 0, cap - p->cap);
		p->cap = (uint32_t)cap;
	}
}

static void
bits_set(struct postings *p, uint32_t doc)
{
	bits_room(p, doc / 8 + 1);
	p->data[doc / 8] |= (char)(1 << (doc % 8));
}

/* A reader of gaps, an article at a time (trusting them: ours). */
struct gap_cursor {
	const char *s;
	size_t len, i;
	uint32_t doc;
	bool started;
};

/* The next article into c->doc; false at the end. */
static bool
gap_next(struct gap_cursor *c)
{
	uint32_t v = 0, shift = 0;
	while (c->i < c->len) {
		int x = digit_value(c->s[c->i++]);
		v |= (uint32_t)(x & 31) << shift;
		if (x & 32) {
			shift += 5;
			continue;
		}
		c->doc = c->started ? c->doc + v + 1 : v;
		c->started = true;
		return true;
	}
	return false;
}

/* The gaps made a bitmap. */
static void
make_dense(struct postings *p)
{
	char *gaps = p->data;
	uint32_t len = p->len;
	p->data = NULL;
	p->cap = 0;
	struct gap_cursor c = { gaps, len, 0, 0, false };
	while (gap_next(&c))
		bits_set(p, c.doc);
	free(gaps);
	p->dense = true;
}

void
postings_add(struct postings *p, uint32_t doc)
{
	/* When the gaps must grow and already take more bytes than a bitmap
	 * would (with some to spare, so that short lists stay gaps). */
	if (!p->dense && p->len + 8 > p->cap && p->len > doc / 8 + 64)
		make_dense(p);
	if (!p->dense) {
		gaps_add(p, doc);
		return;
	}
	bits_set(p, doc);
	p->len += (uint32_t)gap_chars(doc - p->last - 1);
	p->last = doc;
	p->n++;
}

void
postings_add_mask(struct postings *p, uint32_t first, uint64_t mask)
{
	if (!p->dense) {
		for (; mask; mask &= mask - 1)
			postings_add(p, first + (uint32_t)__builtin_ctzll(mask));
		return;
	}
	/* A bitmap takes the mask whole. */
	bits_room(p, first / 8 + 8);
	for (unsigned k = 0; k < 8; k++)
		p->data[first / 8 + k] |= (char)(mask >> (8 * k) & 0xFF);
	uint32_t prev = p->last;
	for (uint64_t m = mask; m; m &= m - 1) {
		uint32_t doc = first + (uint32_t)__builtin_ctzll(m);
		p->len += (uint32_t)gap_chars(doc - prev - 1);
		prev = doc;
	}
	p->n += (uint32_t)__builtin_popcountll(mask);
	p->last = prev;
}

void
postings_set(struct postings *p, const uint32_t *docs, size_t n)
{
	if (p->dense) {
		free(p->data);
		*p = (struct postings){ 0 };
	}
	p->len = p->n = 0;
	for (size_t i = 0; i < n; i++)
		gaps_add(p, docs[i]);
}

void
postings_take_text(struct postings *p, const char *text, size_t len,
    const uint32_t *docs, size_t n)
{
	free(p->data);
	*p = (struct postings){ .len = (uint32_t)len, .cap = (uint32_t)len,
	    .n = (uint32_t)n, .last = docs[n - 1] };
	p->data = xmalloc(len ? len : 1);
	memcpy(p->data, text, len);
}

size_t
postings_text_len(const struct postings *p)
{
	size_t bits = bitmap_len(p);
	return bits < p->len ? bits : p->len;
}

/* postings_write of a dense list, from its bits. */
static void
write_bits(struct buf *b, const struct postings *p)
{
	const unsigned char *bits = (const unsigned char *)p->data;
	size_t bytes = p->last / 8 + 1;
	if (bitmap_len(p) >= p->len) {
		buf_grow(b, p->len);
		char *q = b->data + b->len;
		uint32_t prev = 0;
		bool first = true;
		for (size_t i = 0; i < bytes; i++) {
			for (unsigned x = bits[i]; x; x &= x - 1) {
				uint32_t doc = (uint32_t)(i * 8 + (size_t)__builtin_ctz(x));
				q += put_gap(q, first ? doc : doc - prev - 1);
				prev = doc;
				first = false;
			}
		}
		b->len = (size_t)(q - b->data);
		b->data[b->len] = '\0';
		return;
	}
	/* Six articles a character: three bytes of bits make four. */
	size_t chars = bitmap_len(p) - 1;
	buf_putc(b, '~');
	buf_grow(b, chars + 4);
	char *q = b->data + b->len;
	for (size_t i = 0; i < chars; i += 4) {
		size_t at = i / 4 * 3;
		uint32_t w = (uint32_t)(at < bytes ? bits[at] : 0) |
		    (uint32_t)(at + 1 < bytes ? bits[at + 1] : 0) << 8 |
		    (uint32_t)(at + 2 < bytes ? bits[at + 2] : 0) << 16;
		for (size_t k = 0; k < 4; k++)
			q[i + k] = digits64[w >> (6 * k) & 63];
	}
	b->len += chars;
	b->data[b->len] = '\0';
}

void
postings_write(struct buf *b, const struct postings *p)
{
	if (p->dense) {
		write_bits(b, p);
		return;
	}
	if (bitmap_len(p) >= p->len) {   /* gaps, or a shard's text as it is */
		buf_add(b, p->data, p->len);
		return;
	}
	size_t chars = bitmap_len(p) - 1;
	buf_putc(b, '~');
	size_t at = b->len;
	buf_grow(b, chars);
	memset(b->data + at, 0, chars);
	struct gap_cursor c = { p->data, p->len, 0, 0, false };
	while (gap_next(&c))
		b->data[at + c.doc / 6] |= (char)(1 << (c.doc % 6));
	for (size_t i = 0; i < chars; i++)
		b->data[at + i] = digits64[(unsigned char)b->data[at + i]];
	b->len += chars;
	b->data[b->len] = '\0';
}

static void
push_doc(uint32_t **docs, size_t *n, size_t *cap, uint32_t doc)
{
	if (*n == *cap)
		*docs = xrealloc(*docs, (*cap = *cap ? *cap * 2 : 64) * sizeof(**docs));
	(*docs)[(*n)++] = doc;
}

bool
postings_decode(const char *s, size_t len, uint32_t **docs, size_t *n, size_t *cap)
{
	bool bitmap = len > 0 && s[0] == '~';
	uint32_t doc = 0, v = 0, shift = 0;
	bool first = true;
	for (size_t i = bitmap; i < len; i++) {
		/* Not memchr over the alphabet: this loop reads every list of
		 * the last build's index when a few articles are patched in. */
		int d = digit_value(s[i]);
		if (d < 0 || shift > 25)
			return false;
		uint32_t x = (uint32_t)d;
		for (int b = 0; bitmap && b < 6; b++)
			if (x >> b & 1)
				push_doc(docs, n, cap, (uint32_t)((i - 1) * 6 + (size_t)b));
		if (bitmap)
			continue;
		v |= (x & 31) << shift;
		if (x & 32) {
			shift += 5;
			continue;
		}
		doc = first ? v : doc + v + 1;
		first = false;
		push_doc(docs, n, cap, doc);
		v = shift = 0;
	}
	return shift == 0;
}

void
postings_docs(const struct postings *p, uint32_t **docs, size_t *n, size_t *cap)
{
	if (!p->dense) {
		postings_decode(p->data, p->len, docs, n, cap);
		return;
	}
	const unsigned char *bits = (const unsigned char *)p->data;
	for (size_t i = 0; i <= p->last / 8; i++)
		for (unsigned x = bits[i]; x; x &= x - 1)
			push_doc(docs, n, cap, (uint32_t)(i * 8 + (size_t)__builtin_ctz(x)));
}

void
postings_free(struct postings *p)
{
	free(p->data);
	*p = (struct postings){ 0 };
}
