/* utf8.h — decoding and classifying code points, for CJK-aware text rules
 * (line joining, counting, summaries, heading ids). */
#ifndef HAICHAO_UTF8_H
#define HAICHAO_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*i] and advances *i; invalid bytes decode as
 * U+FFFD one byte at a time. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);
/* The code point that ends at s[len-1] (0 for empty text). */
uint32_t utf8_last(const char *s, size_t len);
/* Ideographs, kana and full-width punctuation: text that needs no spaces. */
bool is_cjk(uint32_t c);
bool is_han(uint32_t c);
/* is_han for the three-byte sequence that starts with bytes b0 b1 (and a
 * continuation byte), without decoding it: the two bytes give the code
 * point's 64-character block, and the BMP's Han characters fill whole
 * blocks (U+3400..U+9FFF but the Yijing hexagrams U+4DC0..U+4DFF, and
 * U+F900..U+FAFF).  For counting CJK text a character at a time. */
static inline bool
is_han3(unsigned b0, unsigned b1)
{
	unsigned k = (b0 & 0x0Fu) << 6 | (b1 & 0x3Fu);
	return ((k - 0xD0u < 0x1B0u) & (k != 0x137u)) | (k - 0x3E4u < 8u);
}
/* Byte length of the longest prefix of s of at most `max_chars` code points. */
size_t utf8_prefix_chars(const char *s, size_t len, size_t max_chars);

/* Code points that HTML forbids in text and XML 1.0 cannot carry: C0
 * controls other than tab, line feed and carriage return; DEL and the C1
 * controls; noncharacters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF). */
bool utf8_forbidden(uint32_t c);
/* Copies s[0..len) into `out` with each forbidden code point, and each
 * byte that is not valid UTF-8, replaced by U+FFFD.  Returns false, without touching
 * `out`, when there is nothing to replace: the common case costs one scan. */
struct buf;
bool utf8_scrub(const char *s, size_t len, struct buf *out);
/* False when no text cmark makes of the valid UTF-8 source s[0..len)
 * can need utf8_scrub: s has no forbidden code point and no '&' (cmark
 * makes code points of character references only).  One scan per
 * document instead of one per text node. */
bool utf8_scrub_needed(const char *s, size_t len);

#endif
