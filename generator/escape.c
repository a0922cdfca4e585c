/* escape.c — escaping for HTML/XML text and attributes, and TSV fields. */
#include "escape.h"

static void
escape(struct buf *out, const char *s, size_t len, int quote)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = quote ? "&quot;" : NULL; break;
		default: rep = NULL; break;
		}
		if (rep == NULL)
			continue;
		buf_add(out, s + start, i - start);
		buf_puts(out, rep);
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
