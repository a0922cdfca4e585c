/* record.c — writing and reading the state's records (see record.h). */
#include "record.h"

#include <string.h>

#include "escape.h"

/* ---- writing -------------------------------------------------------------------- */

void
rec_put_text(struct buf *out, const char *s)
{
	escape_field(out, s);
	buf_putc(out, '\t');
}

void
rec_put_maybe(struct buf *out, const char *s)
{
	if (s != NULL) {
		buf_putc(out, '=');
		escape_field(out, s);
	}
	buf_putc(out, '\t');
}

/* Numbers without printf: a state file holds hundreds of thousands. */
void
rec_put_num(struct buf *out, unsigned long long v)
{
	char tmp[24];
	size_t at = sizeof(tmp);
	tmp[--at] = '\t';
	do {
		tmp[--at] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	buf_add(out, tmp + at, sizeof(tmp) - at);
}

void
rec_put_hex(struct buf *out, uint64_t v)
{
	char hex[17];
	for (int k = 15; k >= 0; k--, v >>= 4)
		hex[k] = "0123456789abcdef"[v & 15];
	hex[16] = '\t';
	buf_add(out, hex, 17);
}

void
rec_put_letter(struct buf *out, char c)
{
	char f[2] = { c, '\t' };
	buf_add(out, f, 2);
}

void
rec_end(struct buf *out)
{
	if (out->len > 0 && out->data[out->len - 1] == '\t')
		out->data[out->len - 1] = '\n';
	else
		buf_putc(out, '\n');
}

/* ---- reading -------------------------------------------------------------------- */

void
rec_open(struct rec *r, const char *line, size_t len, struct arena *a)
{
	*r = (struct rec){ line, line + len, true, a };
}

bool
rec_get_raw(struct rec *r, const char **s, size_t *len)
{
	if (!r->ok || r->p > r->end) {
		r->ok = false;
		*s = "";
		*len = 0;
		return false;
	}
	const char *tab = memchr(r->p, '\t', (size_t)(r->end - r->p));
	const char *stop = tab ? tab : r->end;
	*s = r->p;
	*len = (size_t)(stop - r->p);
	r->p = stop + 1;      /* past the end when this was the last field */
	return true;
}

bool
rec_get_text_into(struct rec *r, struct buf *out)
{
	const char *s;
	size_t len;
	if (!rec_get_raw(r, &s, &len) || memchr(s, '\0', len) != NULL ||
	    !unescape_field(s, len, out)) {
		r->ok = false;
		buf_reset(out);
		buf_puts(out, "");
	}
	return r->ok;
}

static const char *
text_of(struct rec *r, const char *s, size_t len, size_t *out_len)
{
	const char *text = "";
	size_t n = 0;
	if (memchr(s, '\0', len) != NULL) {
		r->ok = false;
	} else if (memchr(s, '\\', len) == NULL) {
		/* Most fields have nothing escaped: copied as they are. */
		text = arena_strndup(r->arena, s, len);
		n = len;
	} else {
		struct buf b = BUF_INIT;
		if (unescape_field(s, len, &b)) {
			text = arena_strndup(r->arena, b.data, b.len);
			n = b.len;
		} else {
			r->ok = false;
		}
		buf_release(&b);
	}
	if (out_len)
		*out_len = n;
	return text;
}

const char *
rec_get_text(struct rec *r, size_t *len)
{
	const char *s;
	size_t n;
	if (!rec_get_raw(r, &s, &n)) {
		if (len)
			*len = 0;
		return "";
	}
	return text_of(r, s, n, len);
}

const char *
rec_get_maybe(struct rec *r)
{
	const char *s;
	size_t len;
	if (!rec_get_raw(r, &s, &len) || len == 0)
		return NULL;
	if (s[0] != '=') {
		r->ok = false;
		return NULL;
	}
	return text_of(r, s + 1, len - 1, NULL);
}

static unsigned long long
digits(struct rec *r, int base, size_t most, unsigned long long max)
{
	const char *s;
	size_t len;
	unsigned long long v = 0;
	if (!rec_get_raw(r, &s, &len))
		return 0;
	if (len == 0 || len > most)
		r->ok = false;
	for (size_t i = 0; i < len && r->ok; i++) {
		int d = hex_digit(s[i]);
		if (d < 0 || d >= base || (unsigned)d > max ||
		    v > (max - (unsigned)d) / (unsigned)base)
			r->ok = false;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	return r->ok ? v : 0;
}

unsigned long long
rec_get_num(struct rec *r, unsigned long long max)
{
	return digits(r, 10, 20, max);
}

uint64_t
rec_get_hex(struct rec *r)
{
	return digits(r, 16, 16, UINT64_MAX);
}

size_t
rec_get_count(struct rec *r, size_t min_bytes)
{
	size_t left = r->p < r->end ? (size_t)(r->end - r->p) : 0;
	return (size_t)rec_get_num(r, left / (min_bytes ? min_bytes : 1) + 1);
}

char
rec_get_letter(struct rec *r)
{
	const char *s;
	size_t len;
	if (!rec_get_raw(r, &s, &len))
		return 0;
	if (len != 1) {
		r->ok = false;
		return 0;
	}
	return s[0];
}

bool
rec_more(const struct rec *r)
{
	return r->ok && r->p <= r->end;
}

bool
rec_done(const struct rec *r)
{
	return r->ok && r->p > r->end;
}

bool
rec_next_line(const char **p, const char *end, const char **line, size_t *len)
{
	if (*p >= end)
		return false;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *eol = nl ? nl : end;
	*line = *p;
	*len = (size_t)(eol - *p);
	*p = nl ? nl + 1 : end;
	return true;
}
