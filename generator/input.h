/* input.h — the first pipeline stage: a file's bytes become clean UTF-8 text.
 *
 * Legacy encodings (GB18030, GBK, Big5, UTF-16...) are converted with
 * iconv(3); a UTF-8 BOM is dropped; CRLF and lone CR become LF, which keeps
 * line numbers equal to the original file's.  Invalid bytes are an error at
 * the first bad byte, never a guess. */
#ifndef HAICHAO_INPUT_H
#define HAICHAO_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Reads a whole file.  On success *data (caller frees, NUL-terminated) and
 * *len are set; on failure the error is reported and false returned. */
bool read_file(const char *path, char **data, size_t *len, struct diags *d);
/* The same into `a` (then nothing to free): an article's bytes go
 * straight to where its text will live. */
struct arena;
bool read_file_arena(const char *path, struct arena *a, char **data,
    size_t *len, struct diags *d);

/* A whole file, read only.  A big file the system already holds (the
 * build cache, tens of MB, written by the last build) is mapped rather
 * than read: no copy, and no new memory to fill, which on a virtual
 * machine costs more than reading.  A file that cannot be mapped with a
 * NUL byte after its end (its size a multiple of the page size) is read.
 * data[len] is '\0'.  Close with file_view_close (also an empty view). */
struct file_view {
	const char *data;
	size_t len;
	size_t mapped;   /* bytes mapped; 0 when read into the heap */
};
bool file_view_open(const char *path, struct file_view *v, struct diags *d);
void file_view_close(struct file_view *v);

/* Converts raw file bytes to normalised UTF-8.  `encoding` is the declared
 * encoding (NULL: UTF-8 unless a BOM says otherwise) and `encoding_pos`
 * where it was declared.  Returns the text (caller frees) or NULL after
 * reporting the problem. */
char *text_decode(const char *path, const char *raw, size_t len,
    const char *encoding, const struct pos *encoding_pos, size_t *out_len,
    struct diags *d);
/* The same, but UTF-8 input (the usual case) is checked and normalised
 * in `raw` itself (len + 1 bytes), which is returned; only a conversion
 * returns a new buffer (caller frees it, telling by the pointer). */
char *text_decode_in_place(const char *path, char *raw, size_t len,
    const char *encoding, const struct pos *encoding_pos, size_t *out_len,
    struct diags *d);

/* Finds `encoding: NAME` in a front matter block of raw bytes, which is
 * ASCII in every encoding we accept except UTF-16.  Returns the name
 * (caller frees) and its line and column, or NULL. */
char *sniff_encoding(const char *raw, size_t len, int *line, int *col);

/* Position (1-based line and column in characters) of byte `offset`. */
struct pos text_pos(const char *path, const char *text, size_t offset);

/* Length of the valid UTF-8 prefix of s. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* True when iconv converts from this plainly spelled encoding name. */
bool encoding_known(const char *name);

/* True for text with bytes above 0x7F that is valid UTF-8: a file that
 * is practically never GB18030 or Big5. */
bool text_is_utf8(const char *s, size_t len);

/* True for the name of a file an editor or a merge leaves beside the one
 * being edited (backups `x~`, `#x#`, vim's `4913` probe, JetBrains'
 * `x___jb_tmp___`, swap files, `.orig`, `.rej`, `.bak`): no content of
 * ours, passed over by the build and by serve's watcher alike. */
bool input_is_scratch(const char *name);

#endif
