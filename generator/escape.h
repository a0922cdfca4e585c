/* escape.h — the one place where user text becomes markup.  Every value
 * that reaches HTML, XML or TSV output passes through one of these. */
#ifndef HAICHAO_ESCAPE_H
#define HAICHAO_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* Text content: & < > escaped. */
void escape_text(struct buf *out, const char *s, size_t len);
/* Attribute values (always written in double quotes): & < > " escaped. */
void escape_attr(struct buf *out, const char *s, size_t len);
/* A TSV field: tabs, newlines and carriage returns become spaces. */
void escape_tsv(struct buf *out, const char *s, size_t len);

#endif
