/* record.h — the state module's one record format (state.h): how every
 * record the build state keeps is written and read, whatever it holds
 * (published files, article files with their front matter, render
 * records, related lists, the table of sections).
 *
 * A record is one line of fields separated by tabs.  A field is one of:
 *   text    escape_field's (escape.h): backslash and control bytes as
 *           \xHH, so it holds no tab or newline; read back, it holds no
 *           NUL either;
 *   maybe   a text that may be missing: "" when it is, "=" + text else;
 *   number  decimal digits (at most 20, bounded by the reader's maximum);
 *   hash    hexadecimal digits (16 as written, at most 16 read);
 *   letter  one byte naming a kind.
 * A count of items that follow is a number bounded by the bytes left in
 * the record, so no damaged count can ask for a large array.
 *
 * Writing: each rec_put_* appends its field and a tab; rec_end turns the
 * record's last tab into its newline (a record of no fields is an empty
 * line).  Reading: rec_open over one line (without its newline); each
 * rec_get_* takes the next field.  A field that is missing or does not
 * read clears r->ok and every later one reads as empty, so a reader
 * checks r->ok (or rec_done) once at the end.  Readers never read outside
 * [line, line + len).
 *
 * Memory: text fields are copied into the arena given to rec_open (or
 * into the caller's buf); nothing else is allocated. */
#ifndef HAICHAO_RECORD_H
#define HAICHAO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

void rec_put_text(struct buf *out, const char *s);
void rec_put_maybe(struct buf *out, const char *s);
void rec_put_num(struct buf *out, unsigned long long v);
void rec_put_hex(struct buf *out, uint64_t v);
void rec_put_letter(struct buf *out, char c);
void rec_end(struct buf *out);

struct rec {
	const char *p, *end;
	bool ok;
	struct arena *arena;      /* for text fields; may be NULL if none */
};

void rec_open(struct rec *r, const char *line, size_t len, struct arena *a);
/* The next field as it lies in the line. */
bool rec_get_raw(struct rec *r, const char **s, size_t *len);
/* A text field, in the arena, NUL-terminated; *len (may be NULL) is its
 * length.  "" when it does not read. */
const char *rec_get_text(struct rec *r, size_t *len);
/* A text field into `out` (reset first, NUL-terminated). */
bool rec_get_text_into(struct rec *r, struct buf *out);
/* NULL for a missing text. */
const char *rec_get_maybe(struct rec *r);
unsigned long long rec_get_num(struct rec *r, unsigned long long max);
uint64_t rec_get_hex(struct rec *r);
/* A count of items each at least `min_bytes` long (tabs included). */
size_t rec_get_count(struct rec *r, size_t min_bytes);
/* 0 when the field is not one byte. */
char rec_get_letter(struct rec *r);
/* Whether a field is left to read. */
bool rec_more(const struct rec *r);
/* True when every field read and none is left. */
bool rec_done(const struct rec *r);

/* The line at *p in [*p, end), without its newline; moves *p past it.
 * False at the end. */
bool rec_next_line(const char **p, const char *end, const char **line,
    size_t *len);

#endif
