/* test_input.c — unit tests for reading and decoding text files
 * (generator/input.c): UTF-8 validation, BOMs, newlines, legacy encodings
 * and the encoding declaration sniffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "arena.h"
#include "input.h"

static const char UTF8_HINT[] =
    "not valid UTF-8; an article in another encoding declares it in its "
    "front matter (e.g. 'encoding: gb18030'); data files must be UTF-8";

/* Every test's diagnostics go here; the fixture frees them even when an
 * assertion fails, so a failing test leaks nothing under ASan. */
static struct diags D;

static int
setup(void **state)
{
	(void)state;
	diags_init(&D);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	diags_free(&D);
	return 0;
}

static void
reset_diags(void)
{
	diags_free(&D);
	diags_init(&D);
}

/* The printed diagnostics, in a static buffer.  An empty set is ""
 * without calling diags_print, whose empty case test_diag.c covers. */
static char diag_buf[1 << 16];

static const char *
diag_text(struct diags *d)
{
	if (d->len == 0)
		return "";
	FILE *f = fmemopen(diag_buf, sizeof(diag_buf), "w");
	assert_non_null(f);
	diags_print(d, f);
	fclose(f);
	return diag_buf;
}

#define ASSERT_DIAGS(d, expected) assert_string_equal(diag_text(d), (expected))

/* UTF-8 text converted to `enc` with iconv(3) (caller frees). */
static char *
encode(const char *enc, const char *utf8, size_t *out_len)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t in_left = strlen(utf8), cap = in_left * 4 + 16, out_left = cap;
	char *out = malloc(cap);
	assert_non_null(out);
	char *in = (char *)utf8, *o = out;
	assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
	assert_int_equal(in_left, 0);
	iconv_close(cd);
	*out_len = (size_t)(o - out);
	return out;
}

/* Decodes and expects success with exactly `want` as the text. */
static void
expect_decoded(const char *raw, size_t len, const char *encoding,
    const char *want)
{
	reset_diags();
	struct pos at = { "f.md", 2, 11 };
	size_t out_len = 12345;
	char *text = text_decode("f.md", raw, len, encoding, &at, &out_len, &D);
	ASSERT_DIAGS(&D, "");
	assert_non_null(text);
	bool same = out_len == strlen(want) && strcmp(text, want) == 0 &&
	    text[out_len] == '\0';
	if (!same)
		print_error("decoded %zu bytes \"%s\", want \"%s\"\n", out_len,
		    text, want);
	free(text);
	assert_true(same);
	/* in place: the same text, in the caller's buffer unless converted */
	reset_diags();
	char *buf = malloc(len + 1);
	memcpy(buf, raw, len);
	buf[len] = 'X';
	text = text_decode_in_place("f.md", buf, len, encoding, &at, &out_len, &D);
	ASSERT_DIAGS(&D, "");
	assert_non_null(text);
	same = out_len == strlen(want) && strcmp(text, want) == 0;
	bool converted = encoding && strcasecmp(encoding, "utf-8") != 0;
	bool bom16 = len >= 2 && ((unsigned char)raw[0] >= 0xFE);
	if (!converted && !bom16)
		assert_ptr_equal(text, buf);
	if (text != buf)
		free(text);
	free(buf);
	assert_true(same);
}

/* Decodes and expects failure with exactly `want` as the diagnostics. */
static void
expect_failure(const char *raw, size_t len, const char *encoding,
    const char *want)
{
	reset_diags();
	struct pos at = { "f.md", 2, 11 };
	size_t out_len = 0;
	char *text = text_decode("f.md", raw, len, encoding, &at, &out_len, &D);
	free(text);
	assert_null(text);
	ASSERT_DIAGS(&D, want);
	/* in place: the same diagnostics */
	reset_diags();
	char *buf = malloc(len + 1);
	memcpy(buf, raw, len);
	text = text_decode_in_place("f.md", buf, len, encoding, &at, &out_len, &D);
	assert_null(text);
	free(buf);
	ASSERT_DIAGS(&D, want);
}

/* ---- utf8_valid_prefix ----------------------------------------------------- */

static size_t
vp(const char *s)
{
	return utf8_valid_prefix(s, strlen(s));
}

static void
test_valid_prefix_good(void **state)
{
	(void)state;
	assert_int_equal(vp(""), 0);
	assert_int_equal(vp("abc"), 3);
	assert_int_equal(vp("中文"), 6);
	assert_int_equal(vp("é"), 2);
	assert_int_equal(vp("😀"), 4);
	assert_int_equal(vp("\xC2\x80"), 2);           /* U+0080, smallest 2-byte */
	assert_int_equal(vp("\xE0\xA0\x80"), 3);       /* U+0800 */
	assert_int_equal(vp("\xEF\xBF\xBF"), 3);       /* U+FFFF */
	assert_int_equal(vp("\xF0\x90\x80\x80"), 4);   /* U+10000 */
	assert_int_equal(vp("\xF4\x8F\xBF\xBF"), 4);   /* U+10FFFF */
	assert_int_equal(vp("\xED\x9F\xBF"), 3);       /* U+D7FF */
	assert_int_equal(vp("\xEE\x80\x80"), 3);       /* U+E000 */
	assert_int_equal(utf8_valid_prefix("a\0b", 3), 3);
}

static void
test_valid_prefix_overlong(void **state)
{
	(void)state;
	assert_int_equal(vp("\xC0\xAF"), 0);
	assert_int_equal(vp("a\xC1\xBF"), 1);
	assert_int_equal(vp("ab\xC0\x80"), 2);          /* overlong NUL */
	assert_int_equal(vp("\xE0\x80\xAF"), 0);
	assert_int_equal(vp("\xE0\x9F\xBF"), 0);        /* U+07FF in 3 bytes */
	assert_int_equal(vp("中\xF0\x80\x80\xAF"), 3);
	assert_int_equal(vp("\xF0\x8F\xBF\xBF"), 0);    /* U+FFFF in 4 bytes */
}

static void
test_valid_prefix_surrogates_and_range(void **state)
{
	(void)state;
	assert_int_equal(vp("\xED\xA0\x80"), 0);        /* U+D800 */
	assert_int_equal(vp("x\xED\xBF\xBF"), 1);       /* U+DFFF */
	assert_int_equal(vp("ok\xED\xB0\x80"), 2);      /* U+DC00 */
	assert_int_equal(vp("\xF4\x90\x80\x80"), 0);    /* U+110000 */
	assert_int_equal(vp("\xF7\xBF\xBF\xBF"), 0);
	assert_int_equal(vp("\xF8\x88\x80\x80\x80"), 0);
	assert_int_equal(vp("\xFC\x84\x80\x80\x80\x80"), 0);
	assert_int_equal(vp("\xFE"), 0);
	assert_int_equal(vp("abc\xFF"), 3);
}

static void
test_valid_prefix_truncated(void **state)
{
	(void)state;
	assert_int_equal(vp("ab\xE4\xB8"), 2);
	assert_int_equal(vp("\xF0\x9F\x98"), 0);
	assert_int_equal(vp("\xC3"), 0);
	assert_int_equal(utf8_valid_prefix("中文", 5), 3);
	assert_int_equal(utf8_valid_prefix("中文", 4), 3);
	assert_int_equal(utf8_valid_prefix("中文", 3), 3);
	assert_int_equal(utf8_valid_prefix("中文", 2), 0);
	/* the end of a run of CJK, each way it can go wrong */
	assert_int_equal(vp("中文\xE4\xB8"), 6);
	assert_int_equal(vp("中文\xED\xA0\x80"), 6);      /* surrogate */
	assert_int_equal(vp("中文\xE0\x80\x80"), 6);      /* overlong */
	assert_int_equal(vp("中文\xE0\xA0\x80x"), 10);    /* U+0800 */
	assert_int_equal(vp("中\xE4\xB8" "A文"), 3);       /* bad continuation */
	assert_int_equal(vp("中文\xEF\xBF\xBF中"), 12);   /* U+FFFF is valid UTF-8 */
}

static void
test_valid_prefix_bad_continuation(void **state)
{
	(void)state;
	assert_int_equal(vp("\x80"), 0);
	assert_int_equal(vp("a\xBF"), 1);
	assert_int_equal(vp("\xE4\x41\x80"), 0);
	assert_int_equal(vp("\xE4\xB8\x41"), 0);
	assert_int_equal(vp("\xC3\xC3\xA9"), 0);
	assert_int_equal(vp("é\xA9"), 2);
	assert_int_equal(vp("\xF0\x9F\x98\x41"), 0);
}

/* ---- text_pos -------------------------------------------------------------- */

static void
test_text_pos(void **state)
{
	(void)state;
	const char *t = "ab\n中文x\n\nz";
	struct pos p = text_pos("t.md", t, 0);
	assert_string_equal(p.path, "t.md");
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 1);
	p = text_pos("t.md", t, 2);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 3);
	p = text_pos("t.md", t, 3);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.col, 1);
	p = text_pos("t.md", t, 9);   /* the x after two 3-byte characters */
	assert_int_equal(p.line, 2);
	assert_int_equal(p.col, 3);
	p = text_pos("t.md", t, 12);  /* z */
	assert_int_equal(p.line, 4);
	assert_int_equal(p.col, 1);
}

/* ---- text_decode: UTF-8 ----------------------------------------------------- */

static void
test_decode_plain_utf8(void **state)
{
	(void)state;
	expect_decoded("title: 标题\nbody\n", 19, NULL, "title: 标题\nbody\n");
	expect_decoded("", 0, NULL, "");
	expect_decoded("x", 1, "UTF-8", "x");
	expect_decoded("中", 3, "utf8", "中");
	expect_decoded("中", 3, "Utf-8", "中");
}

static void
test_decode_bom_dropped(void **state)
{
	(void)state;
	expect_decoded("\xEF\xBB\xBF---\ntitle: x\n", 16, NULL, "---\ntitle: x\n");
	expect_decoded("\xEF\xBB\xBF", 3, NULL, "");
	/* the BOM wins over a declaration */
	expect_decoded("\xEF\xBB\xBF中文", 9, "gb18030", "中文");
	/* a BOM elsewhere is just a character (U+FEFF) */
	expect_decoded("a\xEF\xBB\xBF", 4, NULL, "a\xEF\xBB\xBF");
}

static void
test_decode_newlines(void **state)
{
	(void)state;
	expect_decoded("a\r\nb\r\n", 6, NULL, "a\nb\n");
	expect_decoded("a\rb\rc", 5, NULL, "a\nb\nc");
	expect_decoded("a\r\r\nb", 5, NULL, "a\n\nb");      /* CR, then CRLF */
	expect_decoded("a\n\rb", 4, NULL, "a\n\nb");        /* LF, then CR */
	expect_decoded("\r", 1, NULL, "\n");
	expect_decoded("x\r\n\r\n\ry", 7, NULL, "x\n\n\ny");
	expect_decoded("\xEF\xBB\xBF" "a\r\nb", 7, NULL, "a\nb");
}

static void
test_decode_invalid_utf8_position(void **state)
{
	(void)state;
	char want[300];
	snprintf(want, sizeof(want), "f.md:2:3: error: %s\n"
	    "haichao: 1 error, 0 warnings\n", UTF8_HINT);
	expect_failure("line1\nab\xFF" "c\n", 11, NULL, want);
	snprintf(want, sizeof(want), "f.md:1:3: error: %s\n"
	    "haichao: 1 error, 0 warnings\n", UTF8_HINT);
	expect_failure("中文\xFF", 7, NULL, want);
	/* a truncated sequence at the very end */
	expect_failure("中文\xE4\xB8", 8, "utf-8", want);
	/* after a BOM, which is not a column */
	expect_failure("\xEF\xBB\xBF" "ab\xC0\x80", 7, NULL, want);
	/* CRLF counts as one line break */
	snprintf(want, sizeof(want), "f.md:3:2: error: %s\n"
	    "haichao: 1 error, 0 warnings\n", UTF8_HINT);
	expect_failure("a\r\n\r\nb\xED\xA0\x80", 9, NULL, want);
}

/* "CRLF and lone CR become LF, which keeps line numbers equal to the
 * original file's": an error after lone CRs is on the line the later
 * stages (and an editor) count. */
static void
test_decode_invalid_utf8_after_lone_cr(void **state)
{
	(void)state;
	char want[300];
	snprintf(want, sizeof(want), "f.md:3:2: error: %s\n"
	    "haichao: 1 error, 0 warnings\n", UTF8_HINT);
	expect_failure("a\rb\rc\xFF", 6, NULL, want);
}

static void
test_decode_nul_byte(void **state)
{
	(void)state;
	expect_failure("ab\n\0c", 5, NULL,
	    "f.md:2:1: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_failure("中文\0", 7, NULL,
	    "f.md:1:3: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_failure("\xEF\xBB\xBFx\0", 5, NULL,
	    "f.md:1:2: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_decode_nul_byte_after_lone_cr(void **state)
{
	(void)state;
	expect_failure("a\rb\0", 4, NULL,
	    "f.md:2:2: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* ---- text_decode: legacy encodings ---------------------------------------- */

static const char CHINESE[] =
    "---\ntitle: 海潮：出海观察\nencoding: gb18030\n---\n\n"
    "小红书国际版在美国登顶。€ 与 😀 也能往返。\n";

static void
test_decode_gb18030(void **state)
{
	(void)state;
	size_t len;
	char *raw = encode("GB18030", CHINESE, &len);
	assert_true(len != strlen(CHINESE));
	expect_decoded(raw, len, "gb18030", CHINESE);
	expect_decoded(raw, len, "GB18030", CHINESE);
	free(raw);
}

static void
test_decode_gb18030_crlf(void **state)
{
	(void)state;
	size_t len;
	char *raw = encode("GB18030", "标题\r\n正文\r结束", &len);
	expect_decoded(raw, len, "gb18030", "标题\n正文\n结束");
	free(raw);
}

static void
test_decode_gbk(void **state)
{
	(void)state;
	size_t len;
	char *raw = encode("GBK", "出海是趋势。\n", &len);
	assert_int_equal(len, 13);
	expect_decoded(raw, len, "gbk", "出海是趋势。\n");
	free(raw);
}

static void
test_decode_big5(void **state)
{
	(void)state;
	const char *text = "---\ntitle: 臺灣資料\n---\n繁體中文的內容。\n";
	size_t len;
	char *raw = encode("BIG5", text, &len);
	expect_decoded(raw, len, "big5", text);
	expect_decoded(raw, len, "BIG5", text);
	free(raw);
}

static void
test_decode_legacy_invalid_byte(void **state)
{
	(void)state;
	/* 0xFF is never valid in GB18030 */
	expect_failure("ab\ncd\xFF", 6, "gb18030",
	    "f.md:2:3: error: byte 0xFF is not valid gb18030\n"
	    "haichao: 1 error, 0 warnings\n");
	/* a truncated two-byte character at the end */
	expect_failure("ab\xD6", 3, "gb18030",
	    "f.md:1:3: error: byte 0xD6 is not valid gb18030\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* Columns are characters (diag.h), in legacy encodings too: the bad byte
 * after two two-byte GB18030 characters is in column 3, not 5. */
static void
test_decode_legacy_invalid_byte_column_in_characters(void **state)
{
	(void)state;
	size_t len;
	char *good = encode("GB18030", "x\n中文", &len);
	static char raw[16];
	assert_true(len < sizeof(raw));
	memcpy(raw, good, len);
	free(good);
	raw[len] = '\xFF';
	expect_failure(raw, len + 1, "gb18030",
	    "f.md:2:3: error: byte 0xFF is not valid gb18030\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_decode_legacy_nul(void **state)
{
	(void)state;
	expect_failure("ok\n\0", 4, "gb18030",
	    "f.md:2:1: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_decode_utf16le_bom(void **state)
{
	(void)state;
	size_t len;
	char *body = encode("UTF-16LE", "---\r\ntitle: 中文\r\n---\r\n正文😀\n", &len);
	char *raw = malloc(len + 2);
	assert_non_null(raw);
	raw[0] = '\xFF';
	raw[1] = '\xFE';
	memcpy(raw + 2, body, len);
	expect_decoded(raw, len + 2, NULL, "---\ntitle: 中文\n---\n正文😀\n");
	/* the BOM wins over a declaration */
	expect_decoded(raw, len + 2, "gb18030", "---\ntitle: 中文\n---\n正文😀\n");
	free(raw);
	free(body);
}

static void
test_decode_utf16be_bom(void **state)
{
	(void)state;
	size_t len;
	char *body = encode("UTF-16BE", "a\rb 海潮", &len);
	char *raw = malloc(len + 2);
	assert_non_null(raw);
	raw[0] = '\xFE';
	raw[1] = '\xFF';
	memcpy(raw + 2, body, len);
	expect_decoded(raw, len + 2, NULL, "a\nb 海潮");
	free(raw);
	free(body);
}

static void
test_decode_utf16_nul(void **state)
{
	(void)state;
	/* "a\nb" then U+0000 */
	static const char raw[] = "\xFF\xFE" "a\0\n\0b\0\0\0";
	expect_failure(raw, sizeof(raw) - 1, NULL,
	    "f.md:2:2: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* A lone low surrogate after "a\nb": line 2, column 2 in characters. */
static void
test_decode_utf16_invalid_position(void **state)
{
	(void)state;
	static const char raw[] = "\xFF\xFE" "a\0\n\0b\0\x00\xDC";
	expect_failure(raw, sizeof(raw) - 1, NULL,
	    "f.md:2:2: error: byte 0x00 is not valid UTF-16LE\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* In UTF-16LE "上" (U+4E0A) is the bytes 0A 4E: the 0x0A byte is not a
 * line break, so the bad unit after it is still on line 1. */
static void
test_decode_utf16_invalid_position_after_0a_byte(void **state)
{
	(void)state;
	static const char raw[] = "\xFF\xFE" "\x0A\x4E" "\x00\xDC";
	expect_failure(raw, sizeof(raw) - 1, NULL,
	    "f.md:1:2: error: byte 0x00 is not valid UTF-16LE\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* A lone CR is a line break in legacy encodings too. */
static void
test_decode_legacy_invalid_byte_after_lone_cr(void **state)
{
	(void)state;
	expect_failure("a\rbc\xFF", 5, "gb18030",
	    "f.md:2:3: error: byte 0xFF is not valid gb18030\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_decode_unknown_encoding(void **state)
{
	(void)state;
	expect_failure("abc", 3, "klingon",
	    "f.md:2:11: error: unknown encoding 'klingon'\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* ---- sniff_encoding ---------------------------------------------------------- */

static void
expect_sniff(const char *raw, const char *want, int want_line, int want_col)
{
	int line = -1, col = -1;
	char *enc = sniff_encoding(raw, strlen(raw), &line, &col);
	if (want == NULL) {
		assert_null(enc);
		return;
	}
	assert_non_null(enc);
	assert_string_equal(enc, want);
	assert_int_equal(line, want_line);
	assert_int_equal(col, want_col);
	free(enc);
}

static void
test_sniff_found(void **state)
{
	(void)state;
	expect_sniff("---\ntitle: x\nencoding: gb18030\n---\nbody\n", "gb18030", 3, 11);
	expect_sniff("---\nencoding: big5\n---\n", "big5", 2, 11);
	expect_sniff("---\nencoding:gbk\n---\n", "gbk", 2, 10);
	expect_sniff("---\nencoding:   gbk  \t\n---\n", "gbk", 2, 13);
	expect_sniff("---\r\nencoding: gbk\r\n---\r\n", "gbk", 2, 11);
	expect_sniff("---\nencoding: \"big5\"\n---\n", "big5", 2, 12);
	expect_sniff("---\nencoding: 'GB18030'\n---\n", "GB18030", 2, 12);
	expect_sniff("---\nencoding: gbk", "gbk", 2, 11);
}

static void
test_sniff_found_in_legacy_bytes(void **state)
{
	(void)state;
	size_t len;
	char *raw = encode("GB18030", CHINESE, &len);
	int line = 0, col = 0;
	char *enc = sniff_encoding(raw, len, &line, &col);
	assert_non_null(enc);
	assert_string_equal(enc, "gb18030");
	assert_int_equal(line, 3);
	assert_int_equal(col, 11);
	free(enc);
	free(raw);
}

static void
test_sniff_not_found(void **state)
{
	(void)state;
	expect_sniff("", NULL, 0, 0);
	expect_sniff("---", NULL, 0, 0);
	expect_sniff("title: x\nencoding: gbk\n", NULL, 0, 0);
	expect_sniff("---\ntitle: x\n---\nencoding: gbk\n", NULL, 0, 0);
	expect_sniff("---\n  encoding: gbk\n---\n", NULL, 0, 0);
	expect_sniff("---\nEncoding: gbk\n---\n", NULL, 0, 0);
	expect_sniff("---\nencoding:\n---\n", NULL, 0, 0);
	expect_sniff("---\nencodings: gbk\n---\n", NULL, 0, 0);
	expect_sniff("\xEF\xBB\xBF---\nencoding: gbk\n---\n", NULL, 0, 0);
}

/* sniff_encoding takes (raw, len): it must not look at raw[len].  The text
 * ends on the last byte of a page whose next page is unreadable. */
static void
test_sniff_stays_within_len(void **state)
{
	(void)state;
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	assert_int_equal(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
	static const char text[] = "---\nencoding: ";
	size_t len = sizeof(text) - 1;
	char *raw = mem + page - len;
	memcpy(raw, text, len);
	int line = 0, col = 0;
	char *enc = sniff_encoding(raw, len, &line, &col);
	/* an empty value: nothing or "" are both acceptable answers */
	if (enc != NULL) {
		assert_string_equal(enc, "");
		free(enc);
	}
	munmap(mem, (size_t)page * 2);
}

/* ---- read_file ----------------------------------------------------------------- */

/* A new temporary folder in dir (a "/tmp/haichao-unit-XXXXXX" array) and
 * the path of a file f.txt in it, not yet made. */
static void
temp_file_path(char *dir, char *path, size_t path_size)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, path_size, "%s/f.txt", dir);
}

static void
test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/haichao-unit-XXXXXX", path[64];
	temp_file_path(dir, path, sizeof(path));
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("a\0b\r\n", 1, 5, f);
	fclose(f);
	struct diags *d = &D;
	char *data = NULL;
	size_t len = 0;
	assert_true(read_file(path, &data, &len, d));
	assert_int_equal(len, 5);
	assert_memory_equal(data, "a\0b\r\n", 5);
	assert_int_equal(data[5], '\0');
	free(data);
	ASSERT_DIAGS(d, "");

	/* into an arena: the same bytes; a file bigger than one block */
	struct arena a;
	arena_init(&a);
	assert_true(read_file_arena(path, &a, &data, &len, d));
	assert_int_equal(len, 5);
	assert_memory_equal(data, "a\0b\r\n", 5);
	assert_int_equal(data[5], '\0');
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 100000; i++)
		fputs("出海", f);
	fclose(f);
	assert_true(read_file_arena(path, &a, &data, &len, d));
	assert_int_equal(len, 600000);
	assert_memory_equal(data + 599994, "出海", 6);
	assert_int_equal(data[len], '\0');
	arena_free(&a);
	ASSERT_DIAGS(d, "");

	/* empty file */
	f = fopen(path, "wb");
	assert_non_null(f);
	fclose(f);
	data = NULL;
	assert_true(read_file(path, &data, &len, d));
	assert_int_equal(len, 0);
	assert_non_null(data);
	assert_string_equal(data, "");
	free(data);
	unlink(path);

	char want[200];
	snprintf(want, sizeof(want), "%s: error: cannot read: No such file or directory\n"
	    "haichao: 1 error, 0 warnings\n", path);
	assert_false(read_file(path, &data, &len, d));
	rmdir(dir);
	ASSERT_DIAGS(d, want);
}

/* ---- file_view ---------------------------------------------------------------- */

/* Writes `size` bytes of a repeating pattern to path. */
static void
write_pattern(const char *path, size_t size)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < size; i++)
		fputc('a' + (int)(i % 26), f);
	fclose(f);
}

static void
check_view(const char *path, size_t size, bool mapped)
{
	struct file_view v;
	assert_true(file_view_open(path, &v, &D));
	assert_int_equal(v.len, size);
	assert_int_equal(v.mapped != 0, mapped);
	for (size_t i = 0; i < size; i += 4099)
		assert_int_equal(v.data[i], 'a' + (int)(i % 26));
	assert_int_equal(v.data[size - 1], 'a' + (int)((size - 1) % 26));
	assert_int_equal(v.data[size], '\0');
	file_view_close(&v);
	assert_null(v.data);
	file_view_close(&v);   /* an empty view closes too */
}

/* Editors' and merges' leftovers are told from content by name. */
static void
test_scratch_names(void **state)
{
	(void)state;
	const char *scratch[] = { "x.zh.md~", "#x.zh.md#", "4913", "x.zh.md___jb_tmp___",
		"x.zh.md___jb_old___", "x.zh.md.swp", "x.zh.md.kate-swp", "x.zh.md.orig",
		"x.zh.md.rej", "site.yaml.bak" };
	const char *content[] = { "x.zh.md", "x.en.md", "site.yaml", "notes.txt", "#",
		"~x.zh.md", "4913.zh.md", "orig", "" };
	for (size_t i = 0; i < sizeof(scratch) / sizeof(*scratch); i++)
		assert_true(input_is_scratch(scratch[i]));
	for (size_t i = 0; i < sizeof(content) / sizeof(*content); i++)
		assert_false(input_is_scratch(content[i]));
}

/* A big file is mapped, a small one read; one whose size is a multiple
 * of the page size is read, as its mapping would have no NUL after it. */
static void
test_file_view(void **state)
{
	(void)state;
	char dir[] = "/tmp/haichao-unit-XXXXXX", path[64];
	temp_file_path(dir, path, sizeof(path));
	long page = sysconf(_SC_PAGESIZE);
	size_t big = (size_t)(2 << 20) + 5, aligned = (size_t)page * 600;
	write_pattern(path, big);
	check_view(path, big, true);
	write_pattern(path, 100);
	check_view(path, 100, false);
	write_pattern(path, aligned);
	check_view(path, aligned, false);
	ASSERT_DIAGS(&D, "");
	unlink(path);
	struct file_view v;
	assert_false(file_view_open(path, &v, &D));
	assert_null(v.data);
	rmdir(dir);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_prefix_good),
		T(test_valid_prefix_overlong),
		T(test_valid_prefix_surrogates_and_range),
		T(test_valid_prefix_truncated),
		T(test_valid_prefix_bad_continuation),
		T(test_text_pos),
		T(test_decode_plain_utf8),
		T(test_decode_bom_dropped),
		T(test_decode_newlines),
		T(test_decode_invalid_utf8_position),
		T(test_decode_invalid_utf8_after_lone_cr),
		T(test_decode_nul_byte),
		T(test_decode_nul_byte_after_lone_cr),
		T(test_decode_gb18030),
		T(test_decode_gb18030_crlf),
		T(test_decode_gbk),
		T(test_decode_big5),
		T(test_decode_legacy_invalid_byte),
		T(test_decode_legacy_invalid_byte_column_in_characters),
		T(test_decode_legacy_nul),
		T(test_decode_utf16le_bom),
		T(test_decode_utf16be_bom),
		T(test_decode_utf16_nul),
		T(test_decode_utf16_invalid_position),
		T(test_decode_utf16_invalid_position_after_0a_byte),
		T(test_decode_legacy_invalid_byte_after_lone_cr),
		T(test_decode_unknown_encoding),
		T(test_sniff_found),
		T(test_sniff_found_in_legacy_bytes),
		T(test_sniff_not_found),
		T(test_read_file),
		T(test_file_view),
		T(test_scratch_names),
		T(test_sniff_stays_within_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
