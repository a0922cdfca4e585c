/* escape.c — escaping for HTML/XML text and attributes, and TSV fields. */
#include "escape.h"

/* Which bytes need escaping: 1 in text and attributes, 2 in attributes
 * only.  Scanning for runs of plain bytes keeps this fast on long text. */
static const unsigned char special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 2,
};

static void
escape(struct buf *out, const char *s, size_t len, int quote)
{
	const unsigned char limit = quote ? 2 : 1;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char k = special[(unsigned char)s[i]];
		if (k == 0 || k > limit)
			continue;
		buf_add(out, s + start, i - start);
		switch (s[i]) {
		case '&': buf_add(out, "&amp;", 5); break;
		case '<': buf_add(out, "&lt;", 4); break;
		case '>': buf_add(out, "&gt;", 4); break;
		default: buf_add(out, "&quot;", 6); break;
		}
		start = i + 1;
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
