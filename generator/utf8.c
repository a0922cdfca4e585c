/* utf8.c — code point decoding and CJK classification. */
#include "utf8.h"

#include <string.h>

#include "buf.h"

uint32_t
utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[*i];
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
	    : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0 || *i + n > len) {
		(*i)++;
		return c < 0x80 ? c : 0xFFFD;
	}
	uint32_t cp = n == 1 ? c : c & (0x7F >> n);
	for (size_t k = 1; k < n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	*i += n;
	return cp;
}

uint32_t
utf8_last(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	size_t start = len - 1;
	while (start > 0 && len - start < 4 &&
	    ((unsigned char)s[start] & 0xC0) == 0x80)
		start--;
	size_t i = start;
	return utf8_next(s, len, &i);
}

bool
is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF);
}

bool
is_cjk(uint32_t c)
{
	return is_han(c) ||
	    (c >= 0x3000 && c <= 0x303F) ||    /* CJK symbols and punctuation */
	    (c >= 0x3040 && c <= 0x30FF) ||    /* kana */
	    (c >= 0xFF00 && c <= 0xFFEF) ||    /* full-width forms */
	    (c >= 0x2E80 && c <= 0x2FDF) ||    /* radicals */
	    (c >= 0xFE30 && c <= 0xFE4F) ||    /* compatibility forms */
	    c == 0x2014 || c == 0x2026 ||      /* — … as used in Chinese */
	    c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
	    c == 0x00B7;
}

size_t
utf8_prefix_chars(const char *s, size_t len, size_t max_chars)
{
	size_t i = 0, n = 0;
	while (i < len && n < max_chars) {
		utf8_next(s, len, &i);
		n++;
	}
	return i;
}

bool
utf8_forbidden(uint32_t c)
{
	if (c < 0x20)
		return c != '\t' && c != '\n' && c != '\r';
	return (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
	    (c & 0xFFFE) == 0xFFFE;
}

bool
utf8_scrub(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, clean = 0;
	bool changed = false;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		/* Lead bytes of two- and three-byte sequences that cannot
		 * spell a forbidden code point (CJK is E3..E9): skipped whole.
		 * Invalid text never gets here but as cmark's bare FE and FF,
		 * which are looked at below. */
		size_t skip = (c >= 0xC3 && c <= 0xDF) ? 2 :
		    (c >= 0xE0 && c <= 0xEE) ? 3 : 0;
		if (skip && i + skip <= len && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
		    (skip == 2 || ((unsigned char)s[i + 2] & 0xC0) == 0x80)) {
			i += skip;
			continue;
		}
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);
		/* utf8_next says U+FFFD for a byte that starts nothing valid
		 * (cmark writes U+FFFE and U+FFFF as the bare bytes FE, FF). */
		bool invalid = cp == 0xFFFD &&
		    (i - at != 3 || memcmp(s + at, "\xEF\xBF\xBD", 3) != 0);
		if (!invalid && !utf8_forbidden(cp))
			continue;
		if (!changed)
			buf_grow(out, len + 16);
		changed = true;
		buf_add(out, s + clean, at - clean);
		buf_puts(out, "\xEF\xBF\xBD");
		clean = i;
	}
	if (changed)
		buf_add(out, s + clean, len - clean);
	return changed;
}

/* Bytes utf8_scrub_needed must look at: '&', controls but tab, LF and
 * CR, DEL, and the lead bytes that can start a forbidden code point (C2:
 * C1 controls; EF: U+FDD0.., U+FFFE; F0..F4: U+xxFFFE) or nothing valid.
 * Everything else, CJK and continuation bytes included, is skipped a
 * byte at a time without decoding: in valid UTF-8 a lead byte cannot be
 * mistaken for anything else, so no alignment needs to be kept. */
static const unsigned char scrub_lead[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
	[0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1,
	[0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
	[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1,
	[0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
	['&'] = 1, [0x7F] = 1, [0xC0] = 1, [0xC1] = 1, [0xC2] = 1, [0xEF] = 1,
	[0xF0] = 1, [0xF1] = 1, [0xF2] = 1, [0xF3] = 1, [0xF4] = 1, [0xF5] = 1,
	[0xF6] = 1, [0xF7] = 1, [0xF8] = 1, [0xF9] = 1, [0xFA] = 1, [0xFB] = 1,
	[0xFC] = 1, [0xFD] = 1, [0xFE] = 1, [0xFF] = 1,
};

bool
utf8_scrub_needed(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		while (i + 4 <= len && !(scrub_lead[p[i]] | scrub_lead[p[i + 1]] |
		    scrub_lead[p[i + 2]] | scrub_lead[p[i + 3]]))
			i += 4;
		while (i < len && !scrub_lead[p[i]])
			i++;
		if (i >= len)
			return false;
		unsigned char c = p[i];
		if (c < 0xC2 || c > 0xF4)
			return true;   /* '&', a control, DEL or an invalid lead */
		/* Two common leads settled by their next byte: C2 A0..BF is
		 * Latin-1 punctuation (·), not a C1 control; EF but for B7
		 * (U+FDD0..) and BF (U+FFFE, U+FFFF) is full-width
		 * punctuation (，：) and the like. */
		if (i + 1 < len && ((c == 0xC2 && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF) ||
		    (c == 0xEF && i + 2 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0xBF &&
		    p[i + 1] != 0xB7 && p[i + 1] != 0xBF &&
		    p[i + 2] >= 0x80 && p[i + 2] <= 0xBF))) {
			i++;
			continue;
		}
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &at);
		if (utf8_forbidden(cp) || (cp == 0xFFFD && at == i + 1))
			return true;
		i++;   /* its continuation bytes are skipped like any */
	}
}
