/* escape.c — escaping for HTML/XML text and attributes, and TSV fields. */
#include "escape.h"

#include <stdbool.h>

#include <stdint.h>
#include <string.h>

/* Eight bytes at a time: a word has a byte equal to c when
 * has_zero(word ^ (c * ONES)) is non-zero (the classic SWAR test).  Text
 * is overwhelmingly plain, so most words are copied through untouched. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t
has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

static inline bool
word_is_plain(uint64_t w, int quote)
{
	uint64_t hit = has_zero(w ^ ('&' * ONES)) | has_zero(w ^ ('<' * ONES)) |
	    has_zero(w ^ ('>' * ONES));
	if (quote)
		hit |= has_zero(w ^ ('"' * ONES));
	return hit == 0;
}

static void
escape(struct buf *out, const char *s, size_t len, int quote)
{
	buf_grow(out, len);
	size_t start = 0, i = 0;
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (word_is_plain(w, quote)) {
				i += 8;
				continue;
			}
		}
		const char *rep = NULL;
		size_t rlen = 0;
		switch (s[i]) {
		case '&': rep = "&amp;"; rlen = 5; break;
		case '<': rep = "&lt;"; rlen = 4; break;
		case '>': rep = "&gt;"; rlen = 4; break;
		case '"':
			if (quote) {
				rep = "&quot;";
				rlen = 6;
			}
			break;
		default: break;
		}
		if (rep != NULL) {
			buf_add(out, s + start, i - start);
			buf_add(out, rep, rlen);
			start = i + 1;
		}
		i++;
	}
	buf_add(out, s + start, len - start);
}

void
escape_text(struct buf *out, const char *s, size_t len)
{
	escape(out, s, len, 0);
}

void
escape_attr(struct buf *out, const char *s, size_t len)
{
	escape(out, s, len, 1);
}

void
escape_tsv(struct buf *out, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			buf_add(out, s + start, i - start);
			buf_putc(out, ' ');
			start = i + 1;
		}
	buf_add(out, s + start, len - start);
}

void
escape_field(struct buf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F || c == '\\')
			buf_printf(out, "\\x%02X", c);
		else
			buf_putc(out, (char)c);
	}
}

int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool
unescape_field(const char *s, size_t len, struct buf *out)
{
	buf_reset(out);
	buf_grow(out, len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\') {
			/* the run up to the next escape (usually the rest) at once */
			const char *esc = memchr(s + i, '\\', len - i);
			size_t run = esc ? (size_t)(esc - (s + i)) : len - i;
			buf_add(out, s + i, run);
			i += run - 1;
			continue;
		}
		int hi = i + 3 < len && s[i + 1] == 'x' ? hex_digit(s[i + 2]) : -1;
		int lo = hi >= 0 ? hex_digit(s[i + 3]) : -1;
		if (lo < 0 || (hi == 0 && lo == 0))
			return false;
		buf_putc(out, (char)(hi << 4 | lo));
		i += 3;
	}
	if (out->data == NULL)
		buf_puts(out, "");
	return true;
}
