/* escape.h — the one place where user text becomes markup.  Every value
 * that reaches HTML, XML or TSV output passes through one of these. */
#ifndef HAICHAO_ESCAPE_H
#define HAICHAO_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Text content: & < > escaped. */
void escape_text(struct buf *out, const char *s, size_t len);
/* Attribute values (always written in double quotes): & < > " escaped. */
void escape_attr(struct buf *out, const char *s, size_t len);
/* A TSV field: tabs, newlines and carriage returns become spaces. */
void escape_tsv(struct buf *out, const char *s, size_t len);

/* A field of haichao's own line-based files (the build cache): backslash
 * and control bytes become \xHH, so the text holds no tab or newline. */
void escape_field(struct buf *out, const char *s);
/* The value of a hexadecimal digit, or -1. */
int hex_digit(char c);
/* Undoes escape_field on [s, s + len) into `out` (reset first); false
 * when the text is malformed or would hold a NUL. */
bool unescape_field(const char *s, size_t len, struct buf *out);

#endif
