/* fuzz_decode.c — libFuzzer target: sniff_encoding() and text_decode().
 *
 * The first byte chooses the declared encoding: NULL (UTF-8 unless a BOM
 * says otherwise), "gb18030", "big5", "utf-16", "bogus" (which iconv does
 * not know), or whatever sniff_encoding() finds in the bytes themselves.
 * The rest is the raw file.
 *
 * Checked: the decoded text is valid UTF-8, NUL-terminated at its length,
 * holds no NUL and no '\r'; text_decode returns NULL exactly when it
 * reported an error; and for encodings in which '\n' and '\r' are plain
 * ASCII (everything but UTF-16), the text has exactly as many lines as the
 * file (LF, CRLF and a lone CR each end one), so diagnostics keep the
 * file's line numbers.  An error's position is inside the file.
 * text_decode_in_place gives the same text, or the same failure. */
#include "fuzz_util.h"

#include "diag.h"
#include "input.h"

/* Lines ended in raw bytes: LF, CRLF or a lone CR. */
static size_t
count_line_ends(const unsigned char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			n++;
		else if (s[i] == '\r' && !(i + 1 < len && s[i + 1] == '\n'))
			n++;
	}
	return n;
}

/* Every diagnostic line "fuzz.md:LINE:COL: ..." printed has
 * 1 <= LINE <= max_line and COL >= 1. */
static void
check_positions(struct diags *d, long max_line)
{
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	CHECK(f != NULL);
	diags_print(d, f);
	fclose(f);
	for (const char *p = out; p != NULL && *p != '\0';
	    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, "fuzz.md:", 8) != 0)
			continue;
		p += strlen("fuzz.md:");
		char *end;
		long line = strtol(p, &end, 10);
		if (*end != ':')
			continue;
		long col = strtol(end + 1, &end, 10);
		if (*end != ':')
			continue;
		CHECK(line >= 1 && col >= 1);
		if (max_line > 0)
			CHECK(line <= max_line);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const char *const encodings[] = { NULL, "gb18030", "big5",
		"utf-16", "bogus", "sniffed" };
	const char *encoding = encodings[data[0] % 6];
	size_t len = size - 1;
	char *raw = malloc(len ? len : 1);
	CHECK(raw != NULL);
	memcpy(raw, data + 1, len);

	int line = 0, col = 0;
	char *sniffed = sniff_encoding(raw, len, &line, &col);
	if (sniffed != NULL) {
		CHECK(line >= 2 && col >= 10);
		CHECK(strlen(sniffed) <= len);
	}
	struct pos enc_pos = { "fuzz.md", line ? line : 1, col ? col : 1 };
	if (encoding != NULL && strcmp(encoding, "sniffed") == 0)
		encoding = sniffed;

	struct diags d;
	diags_init(&d);
	size_t out_len = (size_t)-1;
	char *text = text_decode("fuzz.md", raw, len, encoding, &enc_pos,
	    &out_len, &d);

	const unsigned char *u = (const unsigned char *)raw;
	bool utf16 = (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	    (u[0] == 0xFE && u[1] == 0xFF))) ||
	    (encoding != NULL && strncasecmp(encoding, "utf-16", 6) == 0) ||
	    (encoding != NULL && strncasecmp(encoding, "utf16", 5) == 0) ||
	    (encoding != NULL && strncasecmp(encoding, "ucs", 3) == 0) ||
	    (encoding != NULL && strncasecmp(encoding, "utf-32", 6) == 0) ||
	    (encoding != NULL && strncasecmp(encoding, "utf32", 5) == 0) ||
	    sniffed != NULL; /* a sniffed name may be any iconv encoding */
	bool utf8_bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
	size_t raw_lines = utf8_bom ? count_line_ends(u + 3, len - 3)
	    : count_line_ends(u, len);

	if (text == NULL) {
		CHECK(diags_failed(&d));
		check_positions(&d, utf16 ? 0 : (long)raw_lines + 1);
	} else {
		CHECK(!diags_failed(&d));
		CHECK(out_len != (size_t)-1);
		CHECK(text[out_len] == '\0');
		CHECK(utf8_valid_prefix(text, out_len) == out_len);
		CHECK(memchr(text, '\r', out_len) == NULL);
		CHECK(memchr(text, '\0', out_len) == NULL);
		/* One UTF-8 BOM is dropped; the text is the rest. */
		if (utf8_bom && !utf16 && encoding == NULL)
			CHECK(out_len <= len - 3);
		if (!utf16) {
			size_t lines = 0;
			for (size_t i = 0; i < out_len; i++)
				lines += text[i] == '\n';
			CHECK(lines == raw_lines);
		}
		/* Plain UTF-8 without a BOM comes back unchanged but for
		 * line ends. */
		if (encoding == NULL && !utf8_bom && !utf16)
			CHECK(out_len <= len);
		/* text_pos agrees with itself at the end of the text. */
		struct pos p = text_pos("fuzz.md", text, out_len);
		CHECK(p.line >= 1 && p.col >= 1);
		if (!utf16)
			CHECK((size_t)p.line == raw_lines + 1);
	}
	/* Decoding in place gives the same text, or fails the same way. */
	struct diags d2;
	diags_init(&d2);
	char *buf = malloc(len + 1);
	memcpy(buf, raw, len);
	size_t out_len2 = (size_t)-1;
	char *text2 = text_decode_in_place("fuzz.md", buf, len, encoding,
	    &enc_pos, &out_len2, &d2);
	CHECK((text == NULL) == (text2 == NULL));
	CHECK(diags_failed(&d2) == diags_failed(&d));
	if (text != NULL && text2 != NULL) {
		CHECK(out_len2 == out_len);
		CHECK(memcmp(text, text2, out_len) == 0 && text2[out_len2] == '\0');
	}
	if (text2 != buf)
		free(text2);
	free(buf);
	free(text);
	diags_free(&d2);
	diags_free(&d);
	free(sniffed);
	free(raw);
	return 0;
}
