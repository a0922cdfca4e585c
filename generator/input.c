/* input.c — reading files and turning their bytes into clean UTF-8. */
#include "input.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "buf.h"

/* The whole of an open file into `buf` (cap bytes), growing it with
 * `grow` when the file is longer than fstat said (it was being written). */
static bool
read_fd(int fd, char **buf, size_t *cap, size_t *len,
    char *(*grow)(void *ctx, char *old, size_t used, size_t cap), void *ctx)
{
	size_t n = 0;
	for (;;) {
		if (n + 1 >= *cap) {
			*buf = grow(ctx, *buf, n, *cap * 2 + 4096);
			*cap = *cap * 2 + 4096;
		}
		ssize_t r = read(fd, *buf + n, *cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	(*buf)[n] = '\0';
	*len = n;
	return true;
}

static char *
grow_heap(void *ctx, char *old, size_t used, size_t cap)
{
	(void)ctx;
	(void)used;
	return xrealloc(old, cap);
}

static char *
grow_arena(void *ctx, char *old, size_t used, size_t cap)
{
	char *p = arena_alloc_uninit(ctx, cap);
	memcpy(p, old, used);
	return p;
}

/* Opens `path`, a regular file, for reading; -1 after reporting that it
 * cannot.  Not blocking: a FIFO by that name would wait for a writer
 * forever (and is refused with anything else that is not a file). */
static int
open_input(const char *path, struct diags *d)
{
	struct pos at = { path, 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		diag_errno(d, &at, D_READ, errno);
		return -1;
	}
	struct stat st;
	bool stated = fstat(fd, &st) == 0;
	if (!stated || !S_ISREG(st.st_mode)) {
		if (!stated || S_ISDIR(st.st_mode))
			diag_errno(d, &at, D_READ, stated ? EISDIR : errno);
		else
			diag(d, &at, D_READ, "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads open file `fd` (its stat in st, or NULL) with one read(2) for its
 * size (plus one to see the end), no stdio buffer between, and closes it. */
static bool
read_open(int fd, const struct stat *st, const char *path, char **data,
    size_t *len, struct arena *a, struct diags *d)
{
	size_t cap = st != NULL && st->st_size > 0 ? (size_t)st->st_size + 2 : 4096;
	/* A big file (the build cache: tens of MB) goes into huge pages,
	 * which fault in 2 MiB at a time as it is read. */
	char *buf = a ? arena_alloc_uninit(a, cap) :
	    cap >= HUGE_PAGE_SIZE ? xmalloc_huge(&cap) : xmalloc(cap);
	bool ok = read_fd(fd, &buf, &cap, len, a ? grow_arena : grow_heap, a);
	if (!ok) {
		struct pos at = { path, 0, 0 };
		diag_errno(d, &at, D_READ, errno);
	}
	close(fd);
	if (!ok) {
		if (a == NULL)
			free(buf);
		return false;
	}
	*data = buf;
	return true;
}

static bool
read_whole(const char *path, char **data, size_t *len, struct arena *a,
    struct diags *d)
{
	int fd = open_input(path, d);
	if (fd < 0)
		return false;
	struct stat st;
	return read_open(fd, fstat(fd, &st) == 0 ? &st : NULL, path, data, len,
	    a, d);
}

/* Below this a file is simply read: mapping costs system calls too. */
enum { MAP_AT_LEAST = 1 << 20 };

bool
file_view_open(const char *path, struct file_view *v, struct diags *d)
{
	*v = (struct file_view){ NULL, 0, 0 };
	int fd = open_input(path, d);
	if (fd < 0)
		return false;
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	bool stated = fstat(fd, &st) == 0;
	if (stated && page > 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= MAP_AT_LEAST && st.st_size % page != 0) {
		/* The rest of the last page reads as zeros: the NUL. */
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			close(fd);
			*v = (struct file_view){ p, (size_t)st.st_size, (size_t)st.st_size };
			return true;
		}
	}
	char *data;
	size_t len;
	if (!read_open(fd, stated ? &st : NULL, path, &data, &len, NULL, d))
		return false;
	*v = (struct file_view){ data, len, 0 };
	return true;
}

void
file_view_close(struct file_view *v)
{
	if (v->mapped)
		munmap((void *)v->data, v->mapped);
	else
		free((void *)v->data);
	*v = (struct file_view){ NULL, 0, 0 };
}

bool
read_file(const char *path, char **data, size_t *len, struct diags *d)
{
	return read_whole(path, data, len, NULL, d);
}

bool
read_file_arena(const char *path, struct arena *a, char **data, size_t *len,
    struct diags *d)
{
	return read_whole(path, data, len, a, d);
}

size_t
utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned min;
		if (c < 0x80) {
			i++;
			/* and the rest of an ASCII run, eight bytes at a time */
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, s + i, 8),
			    (w & 0x8080808080808080ULL) == 0))
				i += 8;
			continue;
		}
		/* Most of an article is three-byte CJK, in runs: a lead
		 * from E1 to EF but ED (which cannot start an overlong form
		 * or a surrogate) and two continuation bytes need no more. */
		while (c - 0xE1u < 0x0Fu && c != 0xED && i + 2 < len &&
		    ((s[i + 1] ^ 0x80u) | (s[i + 2] ^ 0x80u)) < 0x40u) {
			i += 3;
			if (i == len)
				return len;
			c = s[i];
		}
		if (c < 0x80)
			continue;
		if ((c & 0xF0) == 0xE0 && i + 2 < len &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			unsigned cp = (c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 |
			    (s[i + 2] & 0x3Fu);
			if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
				return i;
			i += 3;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			n = 2; min = 0x80; c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3; min = 0x800; c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4; min = 0x10000; c &= 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

struct pos
text_pos(const char *path, const char *text, size_t offset)
{
	/* LF, CRLF and a lone CR each end a line, as they will once the
	 * text is normalised. */
	struct pos p = { path, 1, 1 };
	for (size_t i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= offset || text[i + 1] != '\n'))) {
			p.line++;
			p.col = 1;
		} else if (c != '\r' && (c & 0xC0) != 0x80) {
			p.col++;
		}
	}
	return p;
}

static bool
has_high_bytes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

bool
encoding_known(const char *enc)
{
	/* iconv reads "//IGNORE" and "//TRANSLIT" suffixes, which would
	 * drop or guess characters, and forgives odd characters in names:
	 * only plain names are accepted. */
	for (const char *p = enc; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._:-", *p)))
			return false;
	if (*enc == '\0')
		return false;
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

static bool
is_utf16_name(const char *enc)
{
	return strncasecmp(enc, "utf-16", 6) == 0 || strncasecmp(enc, "utf16", 5) == 0;
}

static bool
is_utf8_name(const char *enc)
{
	return strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0;
}

/* Converts with iconv; on invalid input reports the offending byte's
 * position counted in the original bytes' lines. */
static char *
convert(const char *path, const char *raw, size_t len, const char *encoding,
    const struct pos *encoding_pos, size_t *out_len, struct diags *d)
{
	iconv_t cd = encoding_known(encoding) ? iconv_open("UTF-8", encoding)
	    : (iconv_t)-1;
	if (cd == (iconv_t)-1) {
		diag(d, encoding_pos, D_ENCODING_UNKNOWN, encoding);
		return NULL;
	}
	size_t cap = len * 2 + 16;
	char *out = xmalloc(cap + 1);
	char *in = (char *)raw;
	size_t in_left = len;
	char *o = out;
	size_t o_left = cap;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - out);
			cap *= 2;
			out = xrealloc(out, cap + 1);
			o = out + used;
			o_left = cap - used;
			continue;
		}
		/* EILSEQ or EINVAL: count the line in the raw bytes, which
		 * share '\n' with ASCII in every encoding but UTF-16. */
		/* Count lines and columns in what iconv produced so far: the
		 * raw bytes cannot be trusted to mean '\n' (UTF-16). */
		size_t bad = (size_t)(in - raw);
		struct pos p = text_pos(path, out, (size_t)(o - out));
		diag(d, &p, D_ENCODING, (unsigned char)raw[bad], encoding);
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*out_len = (size_t)(o - out);
	out[*out_len] = '\0';
	return out;
}

/* Valid UTF-8 is taken as it is: in `raw` itself when `in_place` (the
 * caller's buffer, len + 1 bytes from `raw`'s start), else copied. */
static char *
check_utf8(const char *path, char *raw, size_t len, size_t *out_len,
    bool in_place, struct diags *d)
{
	size_t ok = utf8_valid_prefix(raw, len);
	if (ok < len) {
		struct pos p = text_pos(path, raw, ok);
		diag(d, &p, D_ENCODING_UTF8);
		return NULL;
	}
	*out_len = len;
	return in_place ? raw : xstrndup(raw, len);
}

bool
text_is_utf8(const char *s, size_t len)
{
	return has_high_bytes(s, len) && utf8_valid_prefix(s, len) == len;
}

/* A text decode made for the caller, which frees it unless it is `raw`
 * (in place). */
static void
drop(char *text, const char *raw)
{
	if (text != raw)
		free(text);
}

/* One pass over decoded text: the first NUL byte, else the first
 * control character, is an error (terminal escapes and the like have no
 * place in an article; tab and line endings are fine), while CRLF and CR
 * become LF.  The normalised prefix has the same lines and columns as the
 * original, so positions are counted in it.  False after the error. */
static bool
normalise(const char *path, char *text, size_t *len, struct diags *d)
{
	size_t j = 0, control_at = 0;
	unsigned control = 0;
	for (size_t i = 0; i < *len; i++) {
		/* Eight bytes at a time while none is below 0x20 or 0x7F (most
		 * of a text; the classic "has less than" word test). */
		while (i + 8 <= *len) {
			uint64_t w;
			memcpy(&w, text + i, 8);
			uint64_t del = w ^ 0x7F7F7F7F7F7F7F7FULL;
			if (((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL) |
			    ((del - 0x0101010101010101ULL) & ~del & 0x8080808080808080ULL))
				break;
			if (j != i)
				memmove(text + j, text + i, 8);
			i += 8;
			j += 8;
		}
		if (i >= *len)
			break;
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c != 0x7F) {
			text[j++] = (char)c;
			continue;
		}
		if (c == '\0') {
			struct pos p = text_pos(path, text, j);
			diag(d, &p, D_NUL_BYTE);
			return false;
		}
		if (c == '\r') {
			text[j++] = '\n';
			if (i + 1 < *len && text[i + 1] == '\n')
				i++;
			continue;
		}
		if (c != '\t' && c != '\n' && control == 0) {
			control = c;
			control_at = j;
		}
		text[j++] = (char)c;
	}
	text[j] = '\0';
	if (control != 0) {
		struct pos p = text_pos(path, text, control_at);
		diag(d, &p, D_CONTROL_CHAR, control);
		return false;
	}
	*len = j;
	return true;
}

static char *
decode(const char *path, char *raw, size_t len, const char *encoding,
    const struct pos *encoding_pos, size_t *out_len, bool in_place,
    struct diags *d)
{
	const unsigned char *u = (const unsigned char *)raw;
	char *text;
	bool converted = false;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		if (in_place)   /* the BOM goes; the text moves up to raw */
			memmove(raw, raw + 3, len - 3);
		text = check_utf8(path, in_place ? raw : raw + 3, len - 3, out_len,
		    in_place, d);
	} else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	    (u[0] == 0xFE && u[1] == 0xFF))) {
		const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		text = convert(path, raw + 2, len - 2, enc, encoding_pos,
		    out_len, d);
		converted = true;
	} else if (encoding == NULL || is_utf8_name(encoding)) {
		text = check_utf8(path, raw, len, out_len, in_place, d);
	} else if (encoding_known(encoding) && !is_utf16_name(encoding) &&
	    has_high_bytes(raw, len) && utf8_valid_prefix(raw, len) == len) {
		/* Chinese text in GB18030 or Big5 is practically never valid
		 * UTF-8, so a "legacy" file that is means a stale or wrong
		 * declaration: converting it would produce mojibake. */
		struct pos whole = { path, 0, 0 };
		diag(d, encoding_pos && encoding_pos->line ? encoding_pos : &whole,
		    D_ENCODING_DECLARED, encoding);
		return NULL;
	} else {
		text = convert(path, raw, len, encoding, encoding_pos, out_len, d);
		converted = true;
	}
	if (text == NULL)
		return NULL;
	/* glibc's iconv passes some invalid sequences through for UTF-8-like
	 * names (and UCS-4): the promise of valid UTF-8 is kept here. */
	size_t valid = converted ? utf8_valid_prefix(text, *out_len) : *out_len;
	if (valid < *out_len) {
		struct pos p = text_pos(path, text, valid);
		diag(d, &p, D_ENCODING_CONVERTED);
		drop(text, raw);
		return NULL;
	}
	if (!normalise(path, text, out_len, d)) {
		drop(text, raw);
		return NULL;
	}
	return text;
}

char *
text_decode(const char *path, const char *raw, size_t len,
    const char *encoding, const struct pos *encoding_pos, size_t *out_len,
    struct diags *d)
{
	/* Not in place: raw is only read. */
	return decode(path, (char *)raw, len, encoding, encoding_pos, out_len,
	    false, d);
}

char *
text_decode_in_place(const char *path, char *raw, size_t len,
    const char *encoding, const struct pos *encoding_pos, size_t *out_len,
    struct diags *d)
{
	return decode(path, raw, len, encoding, encoding_pos, out_len, true, d);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

char *
sniff_encoding(const char *raw, size_t len, int *line, int *col)
{
	if (len < 4 || memcmp(raw, "---", 3) != 0)
		return NULL;
	size_t i = 0;
	int ln = 1;
	while (i < len) {
		size_t end = i;
		while (end < len && raw[end] != '\n')
			end++;
		if (ln > 1 && end - i >= 3 && memcmp(raw + i, "---", 3) == 0)
			return NULL;
		if (end - i > 9 && memcmp(raw + i, "encoding:", 9) == 0) {
			size_t v = i + 9;
			while (v < end && is_space(raw[v]))
				v++;
			size_t e = end;
			while (e > v && (is_space(raw[e - 1]) || raw[e - 1] == '\r'))
				e--;
			if (e - v >= 2 && (raw[v] == '"' || raw[v] == '\'')) {
				v++;
				e--;
			}
			*line = ln;
			*col = (int)(v - i) + 1;
			return xstrndup(raw + v, e - v);
		}
		i = end + 1;
		ln++;
	}
	return NULL;
}

bool
input_is_scratch(const char *name)
{
	static const char *const endings[] = { "~", "___jb_tmp___",
		"___jb_old___", ".swp", ".swx", ".kate-swp", ".orig", ".rej", ".bak" };
	size_t len = strlen(name);
	if ((len > 1 && name[0] == '#' && name[len - 1] == '#') ||
	    strcmp(name, "4913") == 0)
		return true;
	for (size_t i = 0; i < sizeof(endings) / sizeof(*endings); i++) {
		size_t n = strlen(endings[i]);
		if (len > n && strcmp(name + len - n, endings[i]) == 0)
			return true;
	}
	return false;
}
