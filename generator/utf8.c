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

bool
utf8_scrub_needed(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7F) {
			if (c == '&')
				return true;
			i++;
			continue;
		}
		/* As in utf8_scrub: these lead bytes cannot spell a forbidden
		 * code point. */
		size_t skip = (c >= 0xC3 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEE) ? 3 : 0;
		if (skip && i + skip <= len && (p[i + 1] & 0xC0) == 0x80 &&
		    (skip == 2 || (p[i + 2] & 0xC0) == 0x80)) {
			i += skip;
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);
		/* a byte that starts nothing valid: let utf8_scrub see it */
		if (utf8_forbidden(cp) || (cp == 0xFFFD && i == at + 1))
			return true;
	}
	return false;
}
