/* search.c — the search index: articles' text, folded, as n-gram lists in
 * small script files (see search.h for what is written and why). */
#include "search.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "fold.h"
#include "hash.h"
#include "pool.h"
#include "postings.h"
#include "utf8.h"

/* Articles per metadata file.  A first page of hits of a common query
 * needs one or two; a rare query's ten hits are in ten files, so they are
 * kept small: 16 articles, about 1.5 KB (64 cost such a query 40-60 KB). */
enum { DOC_BLOCK = 16 };
/* About this many bytes of lists per shard: a query of four characters
 * loads three shards. */
enum { SHARD_TARGET = 6144 };

/* The script functions the files call (defined by search.js). */
#define CB_META "__hs.m"
#define CB_SHARD "__hs.s"
#define CB_DOCS "__hs.d"
#define CB_TEXT "__hs.t"
#define CB_FOLD "__hs.f"

/* One article in one language, from collecting to merging: its folded
 * characters (a full build), or its distinct n-grams (a patch). */
struct doc {
	uint64_t *keys;          /* distinct, in order of first use; heap */
	size_t n_keys;
	uint32_t *folded;        /* heap */
	size_t n_chars;
};

/* An n-gram and the articles that hold it. */
struct gram {
	uint64_t key;
	struct postings list;
	uint32_t shard;
};

struct slot {
	uint64_t key;
	uint32_t gram;           /* index + 1; 0: empty */
};

struct lang_index {
	struct gram *grams;
	size_t n_grams, cap_grams;
	struct slot *slots;
	size_t n_slots;
	uint32_t *order;         /* grams by shard, then key */
	size_t *shard_start;     /* n_shards + 1 offsets into order */
	size_t n_shards;
	size_t total;            /* the shards' size, about (entry_size) */
	/* Patched: the shards read back and rewritten; the others are the
	 * last build's, kept unread.  NULL: every shard is written. */
	bool *touched;
};

struct search {
	const struct site *site;
	struct lang_index idx[LANG_COUNT];
	int threads;
	struct output *out;
	struct page_set *ps;
	atomic_bool failed;
	bool patched;            /* try_patch succeeded */
};

/* ---- text -------------------------------------------------------------- */

static void
put_utf8(struct buf *b, uint32_t c)
{
	char s[4];
	size_t n;
	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | c >> 12);
		s[1] = (char)(0x80 | (c >> 6 & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | c >> 18);
		s[1] = (char)(0x80 | (c >> 12 & 0x3F));
		s[2] = (char)(0x80 | (c >> 6 & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, s, n);
}

/* Element names, with their lengths: compared for every tag of every
 * article. */
struct tag_name {
	const char *name;
	size_t len;
};
#define TAG(s) { s, sizeof(s) - 1 }

/* Elements whose text a reader does not read as text: pinyin above the
 * characters, note and footnote numbers, scripts. */
static const struct tag_name skipped[] = {
	TAG("rt"), TAG("rp"), TAG("sup"), TAG("script"), TAG("style"),
};
/* Elements inside a line: no space where they start or end. */
static const struct tag_name inline_tags[] = {
	TAG("a"), TAG("abbr"), TAG("b"), TAG("bdi"), TAG("bdo"), TAG("cite"),
	TAG("code"), TAG("del"), TAG("dfn"), TAG("em"), TAG("i"), TAG("img"),
	TAG("ins"), TAG("kbd"), TAG("mark"), TAG("q"), TAG("ruby"), TAG("s"),
	TAG("samp"), TAG("small"), TAG("span"), TAG("strong"), TAG("sub"),
	TAG("time"), TAG("u"), TAG("var"), TAG("wbr"),
};

static bool
tag_in(const char *name, size_t len, const struct tag_name *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].len == len && memcmp(set[i].name, name, len) == 0)
			return true;
	return false;
}

/* The end of the tag that starts at html[i] ('<'), quoted values
 * skipped; its name and whether it closes are returned through the
 * pointers. */
static size_t
scan_tag(const char *html, size_t len, size_t i, const char **name,
    size_t *name_len, bool *closing)
{
	size_t j = i + 1;
	*closing = j < len && html[j] == '/';
	j += *closing;
	*name = html + j;
	while (j < len && ((html[j] >= 'a' && html[j] <= 'z') ||
	    (html[j] >= '0' && html[j] <= '9') || (html[j] >= 'A' && html[j] <= 'Z')))
		j++;
	*name_len = (size_t)(html + j - *name);
	char quote = 0;
	for (; j < len; j++) {
		if (quote) {
			quote = html[j] == quote ? 0 : quote;
		} else if (html[j] == '"' || html[j] == '\'') {
			quote = html[j];
		} else if (html[j] == '>') {
			return j + 1;
		}
	}
	return len;
}

/* Decodes the character reference at html[i] ('&'); its length, or 0
 * when it is not one (the '&' is then text). */
static size_t
entity(const char *html, size_t len, size_t i, uint32_t *c)
{
	static const struct {
		const char *name;
		uint32_t c;
	} named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' },
		{ "apos;", '\'' }, { "nbsp;", 0xA0 },
	};
	const char *s = html + i + 1;
	size_t left = len - i - 1;
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		size_t n = strlen(named[k].name);
		if (left >= n && memcmp(s, named[k].name, n) == 0) {
			*c = named[k].c;
			return n + 1;
		}
	}
	if (left < 3 || s[0] != '#')
		return 0;
	bool hex = s[1] == 'x' || s[1] == 'X';
	size_t j = hex ? 2 : 1;
	uint32_t v = 0;
	size_t digits = 0;
	for (; j < left && digits < 8; j++, digits++) {
		char d = s[j];
		int x = d >= '0' && d <= '9' ? d - '0' : !hex ? -1 :
		    d >= 'a' && d <= 'f' ? d - 'a' + 10 : d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
		if (x < 0)
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)x;
	}
	if (digits == 0 || j >= left || s[j] != ';' || v == 0 || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*c = v;
	return j + 2;
}

void
search_html_text(const char *html, size_t len, struct buf *out)
{
	int skip = 0;   /* depth inside skipped elements */
	size_t i = 0;
	while (i < len) {
		if (html[i] == '<') {
			if (len - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
				const char *end = strstr(html + i + 4, "-->");
				i = end ? (size_t)(end - html) + 3 : len;
				continue;
			}
			const char *name;
			size_t name_len;
			bool closing;
			size_t end = scan_tag(html, len, i, &name, &name_len, &closing);
			if (tag_in(name, name_len, skipped, sizeof(skipped) / sizeof(skipped[0])))
				skip += closing ? (skip > 0 ? -1 : 0) : 1;
			else if (skip == 0 && !tag_in(name, name_len, inline_tags,
			    sizeof(inline_tags) / sizeof(inline_tags[0])))
				buf_putc(out, ' ');
			i = end;
			continue;
		}
		if (html[i] == '&') {
			uint32_t c;
			size_t n = entity(html, len, i, &c);
			if (skip == 0 && n)
				put_utf8(out, c);
			else if (skip == 0)
				buf_putc(out, '&');
			i += n ? n : 1;
			continue;
		}
		/* A run of text, found by memchr and copied at once. */
		const char *lt = memchr(html + i, '<', len - i);
		size_t run = lt ? (size_t)(lt - html) : len;
		const char *amp = memchr(html + i, '&', run - i);
		run = amp ? (size_t)(amp - html) : run;
		if (skip == 0)
			buf_add(out, html + i, run - i);
		i = run;
	}
}

/* What squeeze_fold makes of a text besides its squeezed UTF-8: each
 * kept character folded, the squeezed text in UTF-16 and the characters
 * its JavaScript string form adds (text_file), and the blocks of the fold
 * table it needs.  The arrays have room for as many entries as the text
 * has bytes, or are NULL. */
struct squeezed {
	uint32_t *folded;
	uint16_t *units;
	size_t n_chars, n_units, extra;
	/* Bit b: the text has a character of code points b * 1024 to
	 * b * 1024 + 1023 that the traditional-to-simplified table folds.
	 * The search page loads that table a block at a time (fold_file), so
	 * it must load these before it folds the text to check a query in it:
	 * a query in simplified characters loads none of them itself. */
	uint64_t fold_blocks;
};

/* A code point after a UTF-8 lead byte of 0x80 or more: inline for the
 * two- and three-byte sequences that make up Chinese text. */
static inline uint32_t
next_wide(const char *text, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)text + *i;
	if ((s[0] & 0xF0) == 0xE0 && *i + 2 < len && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
		    (s[2] & 0x3F);
		if (c >= 0x800) {
			*i += 3;
			return c;
		}
	}
	return utf8_next(text, len, i);
}

/* search_squeeze, and what `sq` asks for, in one pass that decodes each
 * character once (the index reads every article's text this way). */
static void
squeeze_fold(const char *text, size_t len, struct buf *out, struct squeezed *sq)
{
	const uint32_t *bmp = fold_bmp();
	buf_grow(out, len);
	char *o = out->data + out->len;
	size_t n = 0, u = 0, extra = 0;
	bool space = false, any = false;
	if (sq)
		sq->fold_blocks = 0;
	for (size_t i = 0; i < len;) {
		size_t at = i;
		uint32_t c = (unsigned char)text[i] < 0x80 ? (unsigned char)text[i++] :
		    next_wide(text, len, &i);
		uint32_t f = c < 0x10000 ? bmp[c] : fold_char(c);
		if (f == ' ') {
			space = true;
			continue;
		}
		if (space && any) {
			*o++ = ' ';
			if (sq) {
				sq->folded[n] = ' ';
				sq->units[u++] = ' ';
			}
			n++;
		}
		space = false;
		any = true;
		/* One to four bytes: a call to memcpy costs more than them. */
		for (size_t k = at; k < i; k++)
			*o++ = text[k];
		if (sq == NULL)
			continue;
		sq->folded[n++] = f;
		/* Folded by the table (fold.c's rules: from U+3400 up to the
		 * full-width forms; nothing else there changes). */
		if (f != c && c >= 0x3400 && c < 0xFF01)
			sq->fold_blocks |= 1ULL << (c >> 10);
		if (c < 0x80)
			extra += c == '"' || c == '\\' ? 1 : c < 0x20 ? 5 : 0;
		else if ((c | 1) == 0x2029)
			extra += 5;
		if (c < 0x10000) {
			sq->units[u++] = (uint16_t)c;
		} else {
			sq->units[u++] = (uint16_t)(0xD800 | (c - 0x10000) >> 10);
			sq->units[u++] = (uint16_t)(0xDC00 | ((c - 0x10000) & 0x3FF));
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	if (sq) {
		sq->n_chars = n;
		sq->n_units = u;
		sq->extra = extra;
	}
}

void
search_squeeze(const char *text, size_t len, struct buf *out)
{
	squeeze_fold(text, len, out, NULL);
}

/* ---- n-grams ----------------------------------------------------------- */

/* A key holds an n-gram: one character (c << 21), two (a << 21 | b), or
 * three (the top bit set, a << 42 | b << 21 | c); a code point takes 21
 * bits, and no key is 0. */
#define TRI_BIT (1ULL << 63)

/* The characters of a key; how many. */
static int
key_chars(uint64_t key, uint32_t c[3])
{
	if (key & TRI_BIT) {
		c[0] = (uint32_t)(key >> 42 & 0x1FFFFF);
		c[1] = (uint32_t)(key >> 21 & 0x1FFFFF);
		c[2] = (uint32_t)(key & 0x1FFFFF);
		return 3;
	}
	c[0] = (uint32_t)(key >> 21);
	c[1] = (uint32_t)(key & 0x1FFFFF);
	return c[1] ? 2 : 1;
}

/* FNV-1a over code points, as search.js computes it. */
static uint32_t
key_hash(uint64_t key)
{
	uint32_t c[3], h = 2166136261u;
	int n = key_chars(key, c);
	for (int i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

static uint64_t
mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	return k ^ k >> 33;
}

/* Which part of the lists a key belongs to (split_parts asks it of every
 * n-gram of every block): a multiplicative hash scaled to n_parts by a
 * multiplication, not a division (nor the slots' mix()). */
static inline size_t
part_of(uint64_t key, size_t n_parts)
{
	uint64_t h = (key * 0x9E3779B97F4A7C15ULL) >> 32;
	return (size_t)((h * n_parts) >> 32);
}

/* A full build reads the n-grams of a block of BLOCK articles at a time
 * into a small set, with the block's articles that hold each as the bits
 * of a mask, and merges each n-gram into its list once per block, not
 * once per article: an n-gram is in 7 of a block's articles on average
 * (10,000 bench articles: 61 M postings, 8.7 M look-ups), the lists are
 * large and their look-ups miss the cache, while the block's set stays
 * in it.  The set also keeps each n-gram once per article, so there is
 * no set per article. */
enum { BLOCK = 64 };

struct block_entry {
	uint64_t key;
	uint64_t mask;           /* bit i: the block's article i holds it */
};

/* Words: the n-grams of a text lie within its runs of characters between
 * spaces (each_key), so a word found again in the block adds nothing but
 * its article's bit.  English text is mostly words said again; they are
 * kept once each, with their articles' mask, and read for n-grams once
 * (word_keys).  Longer runs (Chinese text has few spaces) are read at
 * once. */
enum { WORD_MAX = 24 };

struct word {
	uint32_t hash, len;      /* len 0: an empty slot */
	size_t at;               /* in chars */
	uint64_t mask;
};

struct word_set {
	struct word *slots;
	size_t n_slots, n;
	uint32_t *used;          /* slots taken, in order of first use */
	uint32_t *chars;         /* the words' characters */
	size_t n_chars, cap_chars;
};

/* The block's set: open addressing, the slots holding an entry's number
 * + 1 (0: empty), emptied by memset for each block. */
struct block_set {
	uint32_t *slots;
	size_t n_slots;
	struct block_entry *entries;   /* in order of first use */
	size_t n, cap;
	uint64_t holders;        /* the articles being added, as a mask */
	struct word_set words;
};

static void
block_grow(struct block_set *bs)
{
	size_t n = bs->n_slots ? bs->n_slots * 2 : 1 << 14;
	free(bs->slots);
	bs->slots = xcalloc(n, sizeof(*bs->slots));
	bs->n_slots = n;
	for (size_t e = 0; e < bs->n; e++) {
		size_t i = mix(bs->entries[e].key) & (n - 1);
		while (bs->slots[i])
			i = (i + 1) & (n - 1);
		bs->slots[i] = (uint32_t)e + 1;
	}
	bs->cap = n / 2;
	bs->entries = xrealloc(bs->entries, bs->cap * sizeof(*bs->entries));
}

/* The block's n-grams copied to `out` (n entries) unless it is NULL; the
 * set emptied for the next block. */
static void
block_take(struct block_set *bs, struct block_entry *out)
{
	if (out)
		memcpy(out, bs->entries, bs->n * sizeof(*out));
	if (bs->n)
		memset(bs->slots, 0, bs->n_slots * sizeof(*bs->slots));
	bs->n = 0;
}

/* The block's articles in bs->holders hold `key`. */
static inline void
block_add(struct block_set *bs, uint64_t key)
{
	if (bs->n == bs->cap)
		block_grow(bs);
	size_t mask = bs->n_slots - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		uint32_t slot = bs->slots[i];
		if (slot == 0) {
			bs->entries[bs->n] = (struct block_entry){ key, bs->holders };
			bs->slots[i] = (uint32_t)++bs->n;
			return;
		}
		struct block_entry *e = &bs->entries[slot - 1];
		if (e->key == key) {
			e->mask |= bs->holders;
			return;
		}
	}
}

static void
words_grow(struct word_set *ws)
{
	size_t n = ws->n_slots ? ws->n_slots * 2 : 1 << 12;
	struct word *slots = xcalloc(n, sizeof(*slots));
	for (size_t u = 0; u < ws->n; u++) {
		struct word w = ws->slots[ws->used[u]];
		size_t i = w.hash & (n - 1);
		while (slots[i].len)
			i = (i + 1) & (n - 1);
		slots[i] = w;
		ws->used[u] = (uint32_t)i;
	}
	free(ws->slots);
	ws->slots = slots;
	ws->n_slots = n;
	ws->used = xrealloc(ws->used, n / 2 * sizeof(*ws->used));
}

/* The article of mask `holder` holds the word c[0..len). */
static void
word_add(struct word_set *ws, const uint32_t *c, uint32_t len, uint64_t holder)
{
	uint32_t h = 2166136261u;
	for (uint32_t k = 0; k < len; k++)
		h = (h ^ c[k]) * 16777619u;
	if (ws->n + 1 > ws->n_slots / 2)
		words_grow(ws);
	size_t mask = ws->n_slots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct word *w = &ws->slots[i];
		if (w->len == 0) {
			if (ws->n_chars + len > ws->cap_chars) {
				ws->cap_chars = (ws->n_chars + len) * 2;
				ws->chars = xrealloc(ws->chars, ws->cap_chars * sizeof(*ws->chars));
			}
			memcpy(ws->chars + ws->n_chars, c, len * sizeof(*c));
			*w = (struct word){ h, len, ws->n_chars, holder };
			ws->n_chars += len;
			ws->used[ws->n++] = (uint32_t)i;
			return;
		}
		if (w->hash == h && w->len == len &&
		    memcmp(ws->chars + w->at, c, len * sizeof(*c)) == 0) {
			w->mask |= holder;
			return;
		}
	}
}

static void
block_free(struct block_set *bs)
{
	free(bs->slots);
	free(bs->entries);
	free(bs->words.slots);
	free(bs->words.used);
	free(bs->words.chars);
}

/* A worker's scratch: the folded characters of one text, and the sets
 * its n-grams are kept once in. */
struct scratch {
	struct squeezed sq;      /* of w->b: folded, in UTF-16 */
	size_t cap;              /* entries sq's arrays have room for */
	struct arena arena;
	struct buf a, b, file;
	struct buf out[LANG_COUNT];   /* an article's text files, to write */
	struct block_set block;
};

static void
scratch_chars(struct scratch *w, size_t chars)
{
	if (chars > w->cap || w->sq.folded == NULL) {
		w->cap = chars * 2;
		w->sq.folded = xrealloc(w->sq.folded, w->cap * sizeof(*w->sq.folded));
		w->sq.units = xrealloc(w->sq.units, w->cap * sizeof(*w->sq.units));
	}
}

/* w->a squeezed into w->b, and w->sq: the text folded and in UTF-16. */
static void
squeeze_raw(struct scratch *w)
{
	buf_reset(&w->b);
	scratch_chars(w, w->a.len + 1);
	squeeze_fold(w->a.data ? w->a.data : "", w->a.len, &w->b, &w->sq);
}

static inline bool
is_gap(uint32_t c)
{
	return c == ' ' || c == 0;
}

/* The n-grams of the folded characters c[0..n) that no other n-gram
 * implies, into the block's set: each run of three where it occurs, a
 * pair only where it ends a run of characters (none crosses a space),
 * a character only where it ends one.  derive_keys adds the rest from
 * them: one look-up a character, where adding every pair and run of
 * three took two. */
static inline void
each_key(struct block_set *bs, const uint32_t *c, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		if (is_gap(c[j]))
			continue;
		uint64_t key = (uint64_t)c[j] << 21;
		if (j + 1 == n || is_gap(c[j + 1])) {
			block_add(bs, key);
			continue;
		}
		key |= c[j + 1];
		if (j + 2 == n || is_gap(c[j + 2]))
			block_add(bs, key);
		else
			block_add(bs, TRI_BIT | key << 21 | c[j + 2]);
	}
}

/* The pairs and characters each_key left out, with their articles: a
 * pair is held where a run of three it starts is, or where each_key
 * added it; a character likewise from its pairs.  Once per block, after
 * all of its text: a look-up per distinct n-gram, not per character. */
static void
derive_keys(struct block_set *bs)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t n = bs->n;                /* what is added is not read */
		for (size_t e = 0; e < n; e++) {
			uint64_t key = bs->entries[e].key;
			bool tri = key & TRI_BIT, pair = !tri && (key & 0x1FFFFF);
			if (pass == 0 ? !tri : !pair)
				continue;
			bs->holders = bs->entries[e].mask;
			block_add(bs, pass == 0 ? (key & ~TRI_BIT) >> 21 : key >> 21 << 21);
		}
	}
}

static void block_init(struct block_set *bs);
static void block_take(struct block_set *bs, struct block_entry *out);

/* The distinct n-grams of w->sq.folded, in order of first use: through
 * the block's set, as a block of one article. */
static void
doc_keys(struct scratch *w, struct doc *d)
{
	struct block_set *bs = &w->block;
	block_init(bs);
	bs->holders = 1;
	each_key(bs, w->sq.folded, w->sq.n_chars);
	derive_keys(bs);
	d->n_keys = bs->n;
	d->keys = xmalloc((d->n_keys ? d->n_keys : 1) * sizeof(*d->keys));
	for (size_t k = 0; k < d->n_keys; k++)
		d->keys[k] = bs->entries[k].key;
	block_take(bs, NULL);
}

/* ---- collecting texts -------------------------------------------------- */

/* The English a reader of the English page sees in its glossary notes. */
static void
glossary_english(const struct version *v, struct buf *out)
{
	for (size_t i = 0; i < v->n_glossary_used; i++) {
		const struct gloss_term *t = v->glossary_used[i];
		buf_putc(out, ' ');
		if (t->en)
			buf_puts(out, t->en);
		buf_putc(out, ' ');
		if (t->note[LANG_EN])
			buf_puts(out, t->note[LANG_EN]);
	}
}

/* The version a language's page shows, and whether its body is in that
 * language (an untranslated article's English page shows Chinese). */
static const struct version *
shown(const struct article *a, enum lang l, bool *body_searched)
{
	*body_searched = l == LANG_ZH || a->en != NULL;
	return l == LANG_EN && a->en ? a->en : &a->zh;
}

/* An article's text in language l, into w->b, from its rendered HTML,
 * or false when that is not at hand (its render was reused). */
static bool
text_from_html(struct scratch *w, const struct search_source *src,
    const struct article *a, enum lang l)
{
	bool body;
	const struct version *v = shown(a, l, &body);
	struct buf *raw = &w->a;
	buf_reset(raw);
	const char *html = v->html;
	size_t html_len = v->html_len;
	if (body && html == NULL) {
		size_t slot = spill_slot(a->index, v == &a->zh ? LANG_ZH : LANG_EN);
		arena_reset(&w->arena);
		if (src->spill == NULL || !spill_has(src->spill, slot) ||
		    (html = spill_get(src->spill, slot, &w->arena)) == NULL)
			return false;
		html_len = src->spill->slots[slot].len;
	}
	buf_puts(raw, a->title[l] ? a->title[l] : a->title[LANG_ZH]);
	buf_putc(raw, '\n');
	if (a->summary[l])
		buf_puts(raw, a->summary[l]);
	buf_putc(raw, '\n');
	if (body)
		search_html_text(html, html_len, raw);
	if (l == LANG_EN)
		glossary_english(v, raw);
	squeeze_raw(w);
	return true;
}

/* The path of an article's text file, relative to public/. */
static void
text_path(struct buf *b, enum lang l, const char *slug)
{
	buf_printf(b, "%s/search/t/%s.js", lang_code[l], slug);
}

/* The paths of a language's meta file and of its shard s. */
static void
meta_path(struct buf *b, enum lang l)
{
	buf_printf(b, "%s/search/meta.js", lang_code[l]);
}

static void
shard_path(struct buf *b, enum lang l, size_t s)
{
	buf_printf(b, "%s/search/s/%zu.js", lang_code[l], s);
}

static void
js_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* U+2028 and U+2029 end a line in older JavaScript. */
		bool sep = c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9);
		if (c >= 0x20 && c != '"' && c != '\\' && !sep)
			continue;
		buf_add(b, s + start, i - start);
		if (sep) {
			buf_puts(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else {
			char e[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			buf_puts(b, e);
		}
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
	buf_putc(b, '"');
}

/* ASCII text as UTF-16LE units. */
static char *
put16_ascii(char *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*p++ = s[i];
		*p++ = 0;
	}
	return p;
}

/* The string form of js_string, in UTF-16LE, of a text's UTF-16 units. */
static char *
js_units16(char *p, const uint16_t *units, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	p = put16_ascii(p, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		uint16_t c = units[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			p = put16_ascii(p, e, 2);
		} else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
			char e[6] = { '\\', 'u', hex[c >> 12], hex[c >> 8 & 15],
				hex[c >> 4 & 15], hex[c & 15] };
			p = put16_ascii(p, e, 6);
		} else {
			*p++ = (char)(c & 0xFF);
			*p++ = (char)(c >> 8);
		}
	}
	return put16_ascii(p, "\"", 1);
}

/* What follows a text file's string: the fold blocks its text needs
 * (struct squeezed), if any, and the call's end; its length.  Room for
 * all 64 blocks and the end. */
enum { TAIL_MAX = 3 * 64 + 8 };

static size_t
text_tail(char *out, uint64_t fold_blocks)
{
	size_t n = 0;
	for (unsigned blk = 0; blk < 64; blk++)
		if (fold_blocks >> blk & 1)
			n += (size_t)sprintf(out + n, "%s%u", n ? "," : ",[", blk);
	if (n)
		out[n++] = ']';
	memcpy(out + n, ");\n", 4);
	return n + 3;
}

/* The text file's content for a squeezed text (`sq` is its UTF-16 and
 * escapes): UTF-8, or UTF-16LE with a byte order mark when that is
 * shorter (Chinese text: two bytes a character instead of three).  A
 * script file with a BOM is decoded by it, over HTTP and from file://
 * alike. */
static void
text_file(struct buf *b, enum lang l, const char *slug, const char *text,
    size_t len, const struct squeezed *sq)
{
	char head[512];
	int hn = snprintf(head, sizeof(head), CB_TEXT "(\"%s\",\"%s\",",
	    lang_code[l], slug);
	char tail[TAIL_MAX];     /* the fold blocks, if any: ",[28,29]);\n" */
	size_t tn = text_tail(tail, sq->fold_blocks);
	size_t ascii = (size_t)hn + 2 + tn + sq->extra;   /* quotes, tail */
	size_t utf16 = 2 + 2 * (ascii + sq->n_units);
	if (hn < 0 || (size_t)hn >= sizeof(head) || utf16 >= ascii + len) {
		buf_add(b, head, hn < 0 ? 0 : strlen(head));
		js_string(b, text, len);
		buf_add(b, tail, tn);
		return;
	}
	buf_grow(b, utf16);
	char *p = b->data + b->len;
	*p++ = (char)0xFF;
	*p++ = (char)0xFE;
	p = put16_ascii(p, head, (size_t)hn);
	p = js_units16(p, sq->units, sq->n_units);
	p = put16_ascii(p, tail, tn);
	b->len = (size_t)(p - b->data);
	b->data[b->len] = '\0';
}

/* A UTF-16LE file with its BOM back to UTF-8. */
static void
utf16_to_utf8(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 2; i + 1 < len; i += 2) {
		uint32_t c = (unsigned char)s[i] | (uint32_t)(unsigned char)s[i + 1] << 8;
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
			uint32_t lo = (unsigned char)s[i + 2] | (uint32_t)(unsigned char)s[i + 3] << 8;
			c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		}
		put_utf8(out, c);
	}
}

static int
hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether s[0..len) is a tail text_tail writes. */
static bool
tail_sound(const char *s, size_t len)
{
	uint64_t blocks = 0;
	for (size_t i = 1; len > 2 && s[0] == ',' && s[1] == '[' && i < len &&
	    s[i] != ']';) {
		i++;                                   /* past '[' or ',' */
		unsigned v = 0, digits = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9' && digits < 3; i++, digits++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (digits == 0 || v >= 64 || i >= len || (s[i] != ',' && s[i] != ']'))
			return false;
		blocks |= 1ULL << v;
	}
	char want[TAIL_MAX];
	size_t n = text_tail(want, blocks);
	return len == n && memcmp(s, want, n) == 0;
}

/* The text of a text file this module wrote (text_file), or false. */
static bool
text_unfile(const char *file, size_t len, enum lang l, const char *slug, struct buf *out)
{
	struct buf utf8 = BUF_INIT, head = BUF_INIT;
	if (len >= 2 && (unsigned char)file[0] == 0xFF && (unsigned char)file[1] == 0xFE) {
		utf16_to_utf8(file, len, &utf8);
		file = utf8.data ? utf8.data : "";
		len = utf8.len;
	}
	buf_printf(&head, CB_TEXT "(\"%s\",\"%s\",\"", lang_code[l], slug);
	/* The string ends at the file's last quote: what follows is text_tail's,
	 * checked by writing it again for the blocks it names. */
	size_t end = len;
	while (end > head.len && file[end - 1] != '"')
		end--;
	bool ok = end-- > head.len && memcmp(file, head.data, head.len) == 0 &&
	    tail_sound(file + end + 1, len - end - 1);
	size_t i = head.len;
	buf_release(&head);
	while (ok && i < end) {
		char c = file[i++];
		if (c != '\\') {
			ok = c != '"';
			buf_putc(out, c);
		} else if (i < end && (file[i] == '"' || file[i] == '\\')) {
			buf_putc(out, file[i++]);
		} else if (end - i >= 5 && file[i] == 'u') {
			uint32_t v = 0;
			for (int k = 1; k <= 4; k++) {
				int x = hex_value(file[i + k]);
				ok = ok && x >= 0;
				v = v << 4 | (uint32_t)(x < 0 ? 0 : x);
			}
			put_utf8(out, v);
			i += 5;
		} else {
			ok = false;
		}
	}
	buf_release(&utf8);
	return ok;
}

/* A file of the last build, from public/. */
static bool
read_previous(const char *public_dir, const char *rel, struct buf *out)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", public_dir, rel);
	int fd = open(path.data, O_RDONLY | O_CLOEXEC);
	buf_release(&path);
	buf_reset(out);
	if (fd < 0)
		return false;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	close(fd);
	return n == 0 && out->len > 0;
}

/* The last build's text of an article, into w->b, from its text file in
 * public/; false when there is none. */
static bool
text_from_file(struct scratch *w, const struct search_source *src,
    const struct article *a, enum lang l)
{
	struct buf *path = &w->a, *file = &w->file;
	buf_reset(path);
	text_path(path, l, a->slug);
	if (!read_previous(src->public_dir, path->data, file))
		return false;
	/* The text was squeezed when written: squeezing it again only folds. */
	buf_reset(&w->a);
	if (!text_unfile(file->data, file->len, l, a->slug, &w->a))
		return false;
	squeeze_raw(w);
	return true;
}

/* Writes `b` as `path`, or keeps the last build's file when its content
 * hash is the same. */
static bool
put_file(struct search *se, const char *path, const struct buf *b)
{
	const char *data = b->data ? b->data : "";
	uint64_t key = hash_bytes(HASH_SEED, data, b->len);
	if (pages_keep_file(se->ps, path, key))
		return true;
	pages_remember(se->ps, path, key);
	return output_write(se->out, path, data, b->len);
}

/* Articles are collected a chunk at a time on the pool, then merged into
 * the lists in order, so that only a chunk's n-grams are ever held. */
enum { CHUNK = 256 };

struct collect_job {
	struct search *se;
	const struct search_source *src;
	struct scratch *workers;
	struct doc *docs[LANG_COUNT];       /* the chunk's */
	size_t first;                       /* its first article */
	const struct article **late;        /* reused and without a text file */
	atomic_size_t n_late;
	bool second;                        /* the late ones, now rendered */
	/* The lists, cut by the hash of their n-gram into as many parts
	 * as threads, so that merging runs on them all at once. */
	struct lang_index *parts[LANG_COUNT];
	size_t n_parts, n_chunk;
	/* Each block's n-grams with their masks, as block_keys leaves them,
	 * by part: block b's of part p at [b * n_parts + p]. */
	struct block_out {
		struct block_entry *entries;   /* heap */
		size_t n;
	} *blocks[LANG_COUNT];
};

/* An article's text in both languages: its n-grams into cj->docs, its
 * text files written once both are at hand.  One whose text is not at
 * hand in a language (reused render, no text file) is left for the late
 * pass with nothing written: that pass writes both (a file written now
 * would be written twice). */
static void
collect_one(void *ctx, size_t job, int worker)
{
	struct collect_job *cj = ctx;
	struct search *se = cj->se;
	const struct article *a = cj->second ? cj->late[job] :
	    se->site->articles[cj->first + job];
	struct scratch *w = &cj->workers[worker];
	for (int l = 0; l < LANG_COUNT; l++) {
		enum lang lang = (enum lang)l;
		bool have = text_from_html(w, cj->src, a, lang) ||
		    (!cj->second && text_from_file(w, cj->src, a, lang));
		if (!have && !cj->second) {
			cj->late[atomic_fetch_add(&cj->n_late, 1)] = a;
			return;
		}
		buf_reset(&w->out[l]);
		text_file(&w->out[l], lang, a->slug, w->b.data ? w->b.data : "", w->b.len, &w->sq);
		struct doc *d = &cj->docs[l][a->index - cj->first];
		free(d->folded);
		d->n_chars = w->sq.n_chars;
		d->folded = xmalloc((d->n_chars ? d->n_chars : 1) * sizeof(*d->folded));
		memcpy(d->folded, w->sq.folded, d->n_chars * sizeof(*d->folded));
	}
	struct buf path = BUF_INIT;
	for (int l = 0; l < LANG_COUNT; l++) {
		buf_reset(&path);
		text_path(&path, (enum lang)l, a->slug);
		if (!put_file(se, path.data, &w->out[l]))
			se->failed = true;
	}
	buf_release(&path);
}

static int
by_index(const void *x, const void *y)
{
	size_t a = (*(const struct article *const *)x)->index;
	size_t b = (*(const struct article *const *)y)->index;
	return a < b ? -1 : a > b;
}

static struct gram *find_gram(struct lang_index *ix, uint64_t key);
static void build_index(struct search *se, enum lang l);
static bool try_patch(struct search *se, const struct search_source *src,
    struct scratch *workers);

/* The block's sets made, the first time. */
static void
block_init(struct block_set *bs)
{
	if (bs->slots == NULL) {
		block_grow(bs);
		words_grow(&bs->words);
	}
}

/* An article's folded text into the block: its words into the word
 * set, its longer runs' n-grams into the block's set. */
static void
text_keys(struct scratch *w, const uint32_t *c, size_t n, uint64_t holder)
{
	struct block_set *bs = &w->block;
	bs->holders = holder;
	for (size_t j = 0; j < n;) {
		if (c[j] == ' ' || c[j] == 0) {
			j++;
			continue;
		}
		size_t end = j + 1;
		while (end < n && c[end] != ' ' && c[end] != 0)
			end++;
		if (end - j <= WORD_MAX)
			word_add(&bs->words, c + j, (uint32_t)(end - j), holder);
		else
			each_key(bs, c + j, end - j);
		j = end;
	}
}

/* The words' n-grams into the block's set, with their masks; the word
 * set emptied. */
static void
word_keys(struct scratch *w)
{
	struct block_set *bs = &w->block;
	struct word_set *ws = &bs->words;
	for (size_t u = 0; u < ws->n; u++) {
		struct word *wd = &ws->slots[ws->used[u]];
		bs->holders = wd->mask;
		each_key(bs, ws->chars + wd->at, wd->len);
		wd->len = 0;
	}
	ws->n = ws->n_chars = 0;
}

/* The block's n-grams into out[0..n_parts), each in its part's; the set
 * emptied. */
static void
split_parts(struct collect_job *cj, struct block_set *bs, struct block_out *out)
{
	size_t n = bs->n, parts = cj->n_parts;
	struct block_entry *all = xmalloc((n ? n : 1) * sizeof(*all));
	block_take(bs, all);
	if (parts == 1) {
		out[0] = (struct block_out){ all, n };
		return;
	}
	uint32_t *part = xmalloc((n ? n : 1) * sizeof(*part));
	for (size_t p = 0; p < parts; p++)
		out[p] = (struct block_out){ NULL, 0 };
	for (size_t e = 0; e < n; e++)
		out[part[e] = (uint32_t)part_of(all[e].key, parts)].n++;
	for (size_t p = 0; p < parts; p++) {
		out[p].entries = xmalloc((out[p].n ? out[p].n : 1) * sizeof(*all));
		out[p].n = 0;
	}
	for (size_t e = 0; e < n; e++)
		out[part[e]].entries[out[part[e]].n++] = all[e];
	free(part);
	free(all);
}

/* The n-grams of block `job` of the chunk, each with its articles'
 * mask, into cj->blocks; the articles' folded text freed. */
static void
block_keys(void *ctx, size_t job, int worker)
{
	struct collect_job *cj = ctx;
	struct scratch *w = &cj->workers[worker];
	struct block_set *bs = &w->block;
	block_init(bs);
	size_t first = job * BLOCK, n = cj->n_chunk - first < BLOCK ? cj->n_chunk - first : BLOCK;
	for (int l = 0; l < LANG_COUNT; l++) {
		for (size_t i = 0; i < n; i++) {
			struct doc *d = &cj->docs[l][first + i];
			text_keys(w, d->folded, d->n_chars, 1ULL << i);
			free(d->folded);
			*d = (struct doc){ 0 };
		}
		word_keys(w);
		derive_keys(bs);
		split_parts(cj, bs, &cj->blocks[l][job * cj->n_parts]);
	}
}

/* Part `part` of the lists takes the chunk's blocks, in order: each of
 * their n-grams that is this part's. */
static void
merge_part(void *ctx, size_t part, int worker)
{
	(void)worker;
	struct collect_job *cj = ctx;
	size_t n_blocks = (cj->n_chunk + BLOCK - 1) / BLOCK;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct lang_index *ix = &cj->parts[l][part];
		for (size_t b = 0; b < n_blocks; b++) {
			const struct block_out *out = &cj->blocks[l][b * cj->n_parts + part];
			uint32_t first = (uint32_t)(cj->first + b * BLOCK);
			for (size_t e = 0; e < out->n; e++)
				postings_add_mask(&find_gram(ix, out->entries[e].key)->list,
				    first, out->entries[e].mask);
		}
	}
}

static void
collect_chunk(struct collect_job *cj, size_t n)
{
	const struct search_source *src = cj->src;
	atomic_store(&cj->n_late, 0);
	cj->second = false;
	pool_run(cj->se->threads, n, collect_one, cj);
	size_t n_late = atomic_load(&cj->n_late);
	if (n_late > 0) {
		/* In article order, so that rendering them is as in a full build. */
		qsort(cj->late, n_late, sizeof(*cj->late), by_index);
		src->render(src->render_ctx, (struct article **)cj->late, n_late);
		cj->second = true;
		pool_run(cj->se->threads, n_late, collect_one, cj);
	}
	cj->n_chunk = n;
	size_t n_blocks = (n + BLOCK - 1) / BLOCK;
	pool_run(cj->se->threads, n_blocks, block_keys, cj);
	pool_run(cj->se->threads, cj->n_parts, merge_part, cj);
	for (int l = 0; l < LANG_COUNT; l++)
		for (size_t b = 0; b < n_blocks * cj->n_parts; b++)
			free(cj->blocks[l][b].entries);
}

/* The parts' lists into the one index of the language (each n-gram is
 * in one part only); its slot table is made again when it is next
 * needed. */
static void
join_parts(struct lang_index *ix, struct lang_index *parts, size_t n_parts)
{
	for (size_t p = 0; p < n_parts; p++) {
		struct lang_index *part = &parts[p];
		if (ix->n_grams + part->n_grams > ix->cap_grams) {
			ix->cap_grams = ix->n_grams + part->n_grams;
			ix->grams = xrealloc(ix->grams, (ix->cap_grams + 1) * sizeof(*ix->grams));
		}
		if (part->n_grams)
			memcpy(ix->grams + ix->n_grams, part->grams,
			    part->n_grams * sizeof(*part->grams));
		ix->n_grams += part->n_grams;
		free(part->grams);
		free(part->slots);
	}
	free(ix->slots);
	ix->slots = NULL;
	ix->n_slots = 0;
}

/* Every article, a chunk at a time: collected on the pool, then merged
 * in article order by every part at once. */
static void
collect_all(struct collect_job *cj)
{
	const struct site *s = cj->se->site;
	cj->n_parts = (size_t)cj->se->threads;
	for (int l = 0; l < LANG_COUNT; l++) {
		cj->docs[l] = xcalloc(CHUNK, sizeof(struct doc));
		cj->blocks[l] = xcalloc(CHUNK / BLOCK * cj->n_parts, sizeof(struct block_out));
		cj->parts[l] = xcalloc(cj->n_parts, sizeof(struct lang_index));
	}
	for (size_t first = 0; first < s->n_articles; first += CHUNK) {
		cj->first = first;
		collect_chunk(cj, s->n_articles - first < CHUNK ? s->n_articles - first : CHUNK);
	}
	for (int l = 0; l < LANG_COUNT; l++) {
		join_parts(&cj->se->idx[l], cj->parts[l], cj->n_parts);
		free(cj->parts[l]);
		free(cj->docs[l]);
		free(cj->blocks[l]);
	}
}

struct search *
search_collect(const struct site *s, const struct search_source *src,
    struct output *o, struct page_set *ps)
{
	struct search *se = xcalloc(1, sizeof(*se));
	se->site = s;
	se->out = o;
	se->ps = ps;
	se->threads = src->threads > 0 ? src->threads : 1;
	struct collect_job cj = { .se = se, .src = src };
	cj.workers = xcalloc((size_t)se->threads, sizeof(struct scratch));
	cj.late = xcalloc(CHUNK, sizeof(void *));
	for (int i = 0; i < se->threads; i++)
		arena_init(&cj.workers[i].arena);
	/* A few articles edited: their changes patched into the last
	 * build's lists.  Otherwise every article. */
	se->patched = try_patch(se, src, cj.workers);
	if (!se->patched)
		collect_all(&cj);
	for (int i = 0; i < se->threads; i++) {
		struct scratch *w = &cj.workers[i];
		free(w->sq.folded);
		free(w->sq.units);
		block_free(&w->block);
		arena_free(&w->arena);
		buf_release(&w->a);
		buf_release(&w->b);
		buf_release(&w->file);
		for (int l = 0; l < LANG_COUNT; l++)
			buf_release(&w->out[l]);
	}
	free(cj.workers);
	free(cj.late);
	for (int l = 0; l < LANG_COUNT; l++)
		build_index(se, (enum lang)l);
	return se;
}

/* ---- the index ----------------------------------------------------------- */

static struct gram *
find_gram(struct lang_index *ix, uint64_t key)
{
	if (ix->n_grams * 2 >= ix->n_slots) {   /* grow and rehash */
		size_t n = ix->n_slots ? ix->n_slots * 2 : 4096;
		struct slot *slots = xcalloc(n, sizeof(*slots));
		for (size_t j = 0; j < ix->n_grams; j++) {
			size_t s = mix(ix->grams[j].key) & (n - 1);
			while (slots[s].gram)
				s = (s + 1) & (n - 1);
			slots[s] = (struct slot){ ix->grams[j].key, (uint32_t)j + 1 };
		}
		free(ix->slots);
		ix->slots = slots;
		ix->n_slots = n;
	}
	size_t mask = ix->n_slots - 1, i = mix(key) & mask;
	while (ix->slots[i].gram && ix->slots[i].key != key)
		i = (i + 1) & mask;
	if (ix->slots[i].gram)
		return &ix->grams[ix->slots[i].gram - 1];
	if (ix->n_grams == ix->cap_grams) {
		ix->cap_grams = ix->cap_grams ? ix->cap_grams * 2 : 4096;
		ix->grams = xrealloc(ix->grams, ix->cap_grams * sizeof(*ix->grams));
	}
	ix->grams[ix->n_grams] = (struct gram){ .key = key };
	ix->slots[i] = (struct slot){ key, (uint32_t)++ix->n_grams };
	return &ix->grams[ix->n_grams - 1];
}

/* Bytes a gram's entry takes in its shard, about: for choosing the
 * number of shards. */
static size_t
entry_size(const struct gram *g)
{
	return postings_text_len(&g->list) + 12;
}

static const struct gram *sort_grams;

static int
by_shard_key(const void *x, const void *y)
{
	const struct gram *a = &sort_grams[*(const uint32_t *)x];
	const struct gram *b = &sort_grams[*(const uint32_t *)y];
	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* ---- a few articles changed: the last build's index, patched ---------------- */

/* What identifies the articles' numbering: their slugs in order.  The
 * last build's lists can be patched only while it is the same. */
static uint64_t
order_hash(const struct site *s)
{
	uint64_t h = hash_u64(HASH_SEED, s->n_articles);
	for (size_t i = 0; i < s->n_articles; i++)
		h = hash_str(h, s->articles[i]->slug);
	return h;
}

/* A JavaScript string as js_string wrote it, at s[*i] (its opening
 * quote), into `out`; false when it is not one. */
static bool
js_unstring(const char *s, size_t len, size_t *i, struct buf *out)
{
	if (*i >= len || s[*i] != '"')
		return false;
	for (size_t j = *i + 1; j < len; j++) {
		if (s[j] == '"') {
			*i = j + 1;
			return true;
		}
		if (s[j] != '\\') {
			buf_putc(out, s[j]);
		} else if (j + 1 < len && (s[j + 1] == '"' || s[j + 1] == '\\')) {
			buf_putc(out, s[++j]);
		} else if (j + 5 < len && s[j + 1] == 'u') {
			uint32_t v = 0;
			for (int k = 2; k <= 5; k++) {
				int x = hex_value(s[j + k]);
				if (x < 0)
					return false;
				v = v << 4 | (uint32_t)x;
			}
			put_utf8(out, v);
			j += 5;
		} else {
			return false;
		}
	}
	return false;
}

/* The key of an n-gram's characters (as doc_keys makes it), or 0. */
static uint64_t
text_key(const char *s, size_t len)
{
	uint32_t c[4];
	size_t n = 0, i = 0;
	while (i < len && n < 4)
		c[n++] = utf8_next(s, len, &i);
	if (n == 1)
		return (uint64_t)c[0] << 21;
	if (n == 2)
		return (uint64_t)c[0] << 21 | c[1];
	if (n == 3)
		return TRI_BIT | (uint64_t)c[0] << 42 | (uint64_t)c[1] << 21 | c[2];
	return 0;
}

/* Shard `n` of the last build into ix; false when it is not as
 * shard_file writes it for n_articles articles. */
static bool
parse_shard(struct lang_index *ix, enum lang l, size_t n, size_t n_articles,
    const char *s, size_t len)
{
	struct buf head = BUF_INIT, gram = BUF_INIT;
	buf_printf(&head, CB_SHARD "(\"%s\",%zu,{", lang_code[l], n);
	bool ok = len >= head.len + 4 && memcmp(s, head.data, head.len) == 0 &&
	    memcmp(s + len - 4, "});\n", 4) == 0;
	size_t i = head.len, end = len - 4;
	buf_release(&head);
	uint32_t *docs = NULL;
	size_t cap = 0;
	while (ok && i < end) {
		buf_reset(&gram);
		uint64_t key;
		ok = js_unstring(s, end, &i, &gram) && i + 1 < end && s[i] == ':' &&
		    s[i + 1] == '"' && (key = text_key(gram.data ? gram.data : "", gram.len)) != 0;
		const char *v = s + i + 2, *q = ok ? memchr(v, '"', (size_t)(s + end - v)) : NULL;
		size_t nd = 0;
		ok = ok && q != NULL && q > v &&
		    postings_decode(v, (size_t)(q - v), &docs, &nd, &cap) && nd > 0 &&
		    docs[nd - 1] < n_articles;        /* ascending: the last is the most */
		if (!ok)
			break;
		size_t before = ix->n_grams;
		struct gram *g = find_gram(ix, key);
		ok = ix->n_grams == before + 1;   /* each gram once */
		postings_take_text(&g->list, v, (size_t)(q - v), docs, nd);
		i = (size_t)(q - s) + 1;
		if (i < end)
			ok = ok && s[i++] == ',';
	}
	free(docs);
	buf_release(&gram);
	return ok;
}

/* The shard count and total size of the last build's index of language
 * l, from its meta.js, when it numbers the articles as this build does. */
static bool
read_meta(struct search *se, enum lang l, const char *public_dir)
{
	struct buf b = BUF_INIT, rel = BUF_INIT;
	meta_path(&rel, l);
	char want[40];
	snprintf(want, sizeof(want), "\"o\":\"%016llx\"",
	    (unsigned long long)order_hash(se->site));
	const char *at;
	unsigned long long shards = 0, total = 0;
	bool ok = read_previous(public_dir, rel.data, &b) && strstr(b.data, want) &&
	    (at = strstr(b.data, "\"s\":")) && sscanf(at + 4, "%llu", &shards) == 1 &&
	    shards > 0 && shards <= (1u << 24) && (shards & (shards - 1)) == 0 &&
	    (at = strstr(b.data, "\"z\":")) && sscanf(at + 4, "%llu", &total) == 1;
	se->idx[l].n_shards = ok ? (size_t)shards : 0;
	se->idx[l].total = ok ? (size_t)total : 0;
	buf_release(&b);
	buf_release(&rel);
	return ok;
}

/* The last build's shards that hold any of keys[0..n) into ix, marked as
 * touched; false when one is missing or not as shard_file wrote it. */
static bool
load_shards(struct lang_index *ix, enum lang l, const char *public_dir,
    size_t n_articles, const uint64_t *keys, size_t n)
{
	struct buf b = BUF_INIT, rel = BUF_INIT;
	ix->touched = xcalloc(ix->n_shards, sizeof(*ix->touched));
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		size_t shard = key_hash(keys[i]) % (uint32_t)ix->n_shards;
		if (ix->touched[shard])
			continue;
		ix->touched[shard] = true;
		buf_reset(&rel);
		shard_path(&rel, l, shard);
		ok = read_previous(public_dir, rel.data, &b) &&
		    parse_shard(ix, l, shard, n_articles, b.data, b.len);
	}
	buf_release(&b);
	buf_release(&rel);
	return ok;
}

/* An n-gram an article gained or lost. */
struct key_change {
	uint64_t key;
	bool added;
};

/* An article rendered now, patched in: the n-grams it gained and lost in
 * each language, and its new text files to write. */
struct change {
	const struct article *a;
	struct key_change *diff[LANG_COUNT];
	size_t n_diff[LANG_COUNT];
	struct buf file[LANG_COUNT];
	bool ok;
};

struct patch_job {
	const struct search_source *src;
	struct scratch *workers;
	struct change *changes;
};

static int
by_key(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* The keys in one of old and now but not both, into c->diff[l]. */
static void
diff_keys(struct change *c, enum lang l, struct doc *old, struct doc *now)
{
	qsort(old->keys, old->n_keys, sizeof(uint64_t), by_key);
	qsort(now->keys, now->n_keys, sizeof(uint64_t), by_key);
	struct key_change *d = xmalloc((old->n_keys + now->n_keys + 1) * sizeof(*d));
	size_t i = 0, j = 0, n = 0;
	while (i < old->n_keys || j < now->n_keys) {
		if (j == now->n_keys || (i < old->n_keys && old->keys[i] < now->keys[j]))
			d[n++] = (struct key_change){ old->keys[i++], false };
		else if (i == old->n_keys || now->keys[j] < old->keys[i])
			d[n++] = (struct key_change){ now->keys[j++], true };
		else
			i++, j++;
	}
	c->diff[l] = d;
	c->n_diff[l] = n;
}

/* An article's old text (its text file) and new one (its HTML): their
 * n-grams' difference and the new text. */
static void
patch_one(void *ctx, size_t job, int worker)
{
	struct patch_job *pj = ctx;
	struct change *c = &pj->changes[job];
	struct scratch *w = &pj->workers[worker];
	c->ok = true;
	for (int l = 0; l < LANG_COUNT && c->ok; l++) {
		enum lang lang = (enum lang)l;
		struct doc old = { 0 }, now = { 0 };
		c->ok = text_from_file(w, pj->src, c->a, lang);
		if (c->ok)
			doc_keys(w, &old);
		c->ok = c->ok && text_from_html(w, pj->src, c->a, lang);
		if (c->ok) {
			doc_keys(w, &now);
			diff_keys(c, lang, &old, &now);
			text_file(&c->file[l], lang, c->a->slug, w->b.data ? w->b.data : "",
			    w->b.len, &w->sq);
		}
		free(old.keys);
		free(now.keys);
	}
}

/* Article `doc` leaves the lists of the n-grams it lost and joins those
 * of the ones it gained. */
static void
patch_lists(struct lang_index *ix, const struct key_change *diff, size_t n_diff,
    uint32_t doc)
{
	uint32_t *docs = NULL;
	size_t cap = 0;
	for (size_t k = 0; k < n_diff; k++) {
		struct gram *g = find_gram(ix, diff[k].key);
		size_t n = 0;
		postings_docs(&g->list, &docs, &n, &cap);
		size_t at = 0;
		while (at < n && docs[at] < doc)
			at++;
		bool has = at < n && docs[at] == doc;
		if (!diff[k].added && has) {
			memmove(docs + at, docs + at + 1, (n - at - 1) * sizeof(*docs));
			n--;
		} else if (diff[k].added && !has) {
			if (n == cap)
				docs = xrealloc(docs, (cap = cap ? cap * 2 : 64) * sizeof(*docs));
			memmove(docs + at + 1, docs + at, (n - at) * sizeof(*docs));
			docs[at] = doc;
			n++;
		}
		postings_set(&g->list, docs, n);
	}
	free(docs);
}

/* Grams left with no article are dropped (a full build would not have
 * them). */
static void
drop_empty(struct lang_index *ix)
{
	size_t k = 0;
	for (size_t i = 0; i < ix->n_grams; i++) {
		if (ix->grams[i].list.n == 0)
			postings_free(&ix->grams[i].list);
		else
			ix->grams[k++] = ix->grams[i];
	}
	ix->n_grams = k;
}

static size_t
grams_size(const struct lang_index *ix)
{
	size_t total = 0;
	for (size_t i = 0; i < ix->n_grams; i++)
		total += entry_size(&ix->grams[i]);
	return total;
}

/* The shard count for lists of about `total` bytes: a power of two. */
static size_t
shards_for(size_t total)
{
	size_t shards = 1;
	while (shards * SHARD_TARGET < total)
		shards *= 2;
	return shards;
}

/* Language l's index patched with the changes: only the shards that hold
 * a changed n-gram are read and will be written.  False when they cannot
 * be read, or when the patched index would be cut into another number
 * of shards (a full build then numbers them afresh). */
static bool
patch_index(struct search *se, enum lang l, const char *public_dir,
    const struct change *changes, size_t n_changes)
{
	struct lang_index *ix = &se->idx[l];
	size_t n_keys = 0;
	for (size_t i = 0; i < n_changes; i++)
		n_keys += changes[i].n_diff[l];
	uint64_t *keys = xmalloc((n_keys + 1) * sizeof(*keys));
	n_keys = 0;
	for (size_t i = 0; i < n_changes; i++)
		for (size_t k = 0; k < changes[i].n_diff[l]; k++)
			keys[n_keys++] = changes[i].diff[l][k].key;
	bool ok = load_shards(ix, l, public_dir, se->site->n_articles, keys, n_keys);
	free(keys);
	if (!ok)
		return false;
	size_t before = grams_size(ix);
	for (size_t i = 0; i < n_changes; i++)
		patch_lists(ix, changes[i].diff[l], changes[i].n_diff[l],
		    (uint32_t)changes[i].a->index);
	drop_empty(ix);
	if (ix->total < before)
		return false;
	ix->total = ix->total - before + grams_size(ix);
	return shards_for(ix->total) == ix->n_shards;
}

/* Whether the last build's index can be patched: every article's text
 * files are there (pages_had: the state found them as published, so
 * they are not looked at again), at most a quarter were rendered again
 * (else patching costs more than collecting), and both languages' meta
 * files agree.  The meta files and every shard must be as published
 * too: the patch reads some shards and keeps the others as they are, so
 * one edited by hand since (even into a well-formed one) would be
 * trusted or kept, where a full collection writes it again. */
static bool
patch_ready(struct search *se, const struct search_source *src, size_t *n_changed)
{
	const struct site *s = se->site;
	struct buf path = BUF_INIT;
	bool ok = src->public_dir != NULL;
	*n_changed = 0;
	for (size_t i = 0; ok && i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		*n_changed += !src->reused[a->index];
		for (int l = 0; ok && l < LANG_COUNT; l++) {
			buf_reset(&path);
			text_path(&path, (enum lang)l, a->slug);
			ok = pages_had(se->ps, path.data);
		}
	}
	ok = ok && *n_changed * 4 <= s->n_articles;
	for (int l = 0; ok && l < LANG_COUNT; l++) {
		enum lang lang = (enum lang)l;
		buf_reset(&path);
		meta_path(&path, lang);
		ok = pages_had(se->ps, path.data) && read_meta(se, lang, src->public_dir);
		for (size_t j = 0; ok && j < se->idx[l].n_shards; j++) {
			buf_reset(&path);
			shard_path(&path, lang, j);
			ok = pages_had(se->ps, path.data);
		}
	}
	buf_release(&path);
	return ok;
}

/* The text files: the changed articles' written, the others kept. */
static void
patch_texts(struct search *se, const struct search_source *src,
    const struct change *changes, size_t n_changes)
{
	const struct site *s = se->site;
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		for (int l = 0; src->reused[a->index] && l < LANG_COUNT; l++) {
			buf_reset(&path);
			text_path(&path, (enum lang)l, a->slug);
			if (!pages_keep_previous(se->ps, path.data))
				se->failed = true;
		}
	}
	for (size_t i = 0; i < n_changes; i++) {
		for (int l = 0; l < LANG_COUNT; l++) {
			const struct change *c = &changes[i];
			buf_reset(&path);
			text_path(&path, (enum lang)l, c->a->slug);
			if (!put_file(se, path.data, &c->file[l]))
				se->failed = true;
		}
	}
	buf_release(&path);
}

static void
reset_index(struct lang_index *ix)
{
	for (size_t i = 0; i < ix->n_grams; i++)
		postings_free(&ix->grams[i].list);
	free(ix->grams);
	free(ix->slots);
	free(ix->touched);
	*ix = (struct lang_index){ 0 };
}

/* Patches the last build's index with the articles rendered now, when
 * they are few and everything else is as the last build left it; false
 * (nothing written, nothing to free) when a full collection is needed. */
static bool
try_patch(struct search *se, const struct search_source *src, struct scratch *workers)
{
	const struct site *s = se->site;
	size_t n_changed;
	bool ok = patch_ready(se, src, &n_changed);
	struct change *changes = xcalloc(n_changed + 1, sizeof(*changes));
	size_t k = 0;
	for (size_t i = 0; ok && i < s->n_articles; i++)
		if (!src->reused[i])
			changes[k++].a = s->articles[i];
	struct patch_job pj = { src, workers, changes };
	if (ok)
		pool_run(se->threads, n_changed, patch_one, &pj);
	for (size_t i = 0; ok && i < n_changed; i++)
		ok = changes[i].ok;
	for (int l = 0; ok && l < LANG_COUNT; l++)
		ok = patch_index(se, (enum lang)l, src->public_dir, changes, n_changed);
	if (ok)
		patch_texts(se, src, changes, n_changed);
	for (size_t i = 0; i < n_changed; i++) {
		for (int l = 0; l < LANG_COUNT; l++) {
			free(changes[i].diff[l]);
			buf_release(&changes[i].file[l]);
		}
	}
	free(changes);
	for (int l = 0; !ok && l < LANG_COUNT; l++)
		reset_index(&se->idx[l]);
	return ok;
}

/* Each gram's shard from the hash of its characters, as search.js finds
 * it; shards enough for about SHARD_TARGET bytes each (a patched index
 * keeps the last build's count, which patch_index checked). */
static void
build_index(struct search *se, enum lang l)
{
	struct lang_index *ix = &se->idx[l];
	free(ix->slots);
	ix->slots = NULL;
	if (ix->touched == NULL) {
		ix->total = grams_size(ix);
		ix->n_shards = shards_for(ix->total);
	}
	size_t shards = ix->n_shards;
	ix->order = xmalloc((ix->n_grams + 1) * sizeof(*ix->order));
	for (size_t i = 0; i < ix->n_grams; i++) {
		ix->grams[i].shard = key_hash(ix->grams[i].key) % (uint32_t)shards;
		ix->order[i] = (uint32_t)i;
	}
	/* Single-threaded here, so the file-scope comparison context is safe. */
	sort_grams = ix->grams;
	qsort(ix->order, ix->n_grams, sizeof(*ix->order), by_shard_key);
	ix->shard_start = xcalloc(shards + 1, sizeof(size_t));
	size_t g = 0;
	for (size_t s = 0; s <= shards; s++) {
		while (g < ix->n_grams && ix->grams[ix->order[g]].shard < s)
			g++;
		ix->shard_start[s] = g;
	}
}

/* ---- writing ----------------------------------------------------------- */

static void
gram_text(struct buf *b, uint64_t key)
{
	uint32_t c[3];
	int n = key_chars(key, c);
	struct buf t = BUF_INIT;
	for (int i = 0; i < n; i++)
		put_utf8(&t, c[i]);
	js_string(b, t.data, t.len);
	buf_release(&t);
}

static void
shard_file(struct search *se, enum lang l, size_t s, struct buf *b)
{
	const struct lang_index *ix = &se->idx[l];
	buf_printf(b, CB_SHARD "(\"%s\",%zu,{", lang_code[l], s);
	for (size_t i = ix->shard_start[s]; i < ix->shard_start[s + 1]; i++) {
		const struct gram *g = &ix->grams[ix->order[i]];
		if (i > ix->shard_start[s])
			buf_putc(b, ',');
		gram_text(b, g->key);
		buf_puts(b, ":\"");
		postings_write(b, &g->list);
		buf_putc(b, '"');
	}
	buf_puts(b, "});\n");
}

static void
docs_file(struct search *se, enum lang l, size_t k, struct buf *b)
{
	const struct site *s = se->site;
	buf_printf(b, CB_DOCS "(\"%s\",%zu,[", lang_code[l], k);
	for (size_t i = k * DOC_BLOCK; i < s->n_articles && i < (k + 1) * DOC_BLOCK; i++) {
		const struct article *a = s->articles[i];
		const char *title = a->title[l] ? a->title[l] : a->title[LANG_ZH];
		if (i > k * DOC_BLOCK)
			buf_putc(b, ',');
		buf_printf(b, "[\"%s\",", a->slug);
		js_string(b, title, strlen(title));
		buf_printf(b, ",\"%04d-%02d-%02d\"]", a->date.year, a->date.month,
		    a->date.day);
	}
	buf_puts(b, "]);\n");
}

/* The fold table's blocks of 1,024 code points that have entries. */
static size_t
fold_blocks(uint32_t *blocks, size_t max)
{
	size_t n_pairs, n = 0;
	const struct fold_pair *t = fold_table(&n_pairs);
	for (size_t i = 0; i < n_pairs; i++) {
		uint32_t blk = t[i].from >> 10;
		if ((n == 0 || blocks[n - 1] != blk) && n < max)
			blocks[n++] = blk;
	}
	return n;
}

static void
fold_file(uint32_t block, struct buf *b)
{
	size_t n_pairs;
	const struct fold_pair *t = fold_table(&n_pairs);
	struct buf pairs = BUF_INIT;
	for (size_t i = 0; i < n_pairs; i++) {
		if (t[i].from >> 10 != block)
			continue;
		put_utf8(&pairs, t[i].from);
		put_utf8(&pairs, t[i].to);
	}
	buf_printf(b, CB_FOLD "(%u,", (unsigned)block);
	js_string(b, pairs.data, pairs.len);
	buf_puts(b, ");\n");
	buf_release(&pairs);
}

static void
meta_file(struct search *se, enum lang l, struct buf *b)
{
	uint32_t blocks[4352];
	size_t n = fold_blocks(blocks, sizeof(blocks) / sizeof(blocks[0]));
	buf_printf(b, CB_META "(\"%s\",{\"n\":%zu,\"s\":%zu,\"z\":%zu,\"b\":%d,"
	    "\"o\":\"%016llx\",\"f\":[", lang_code[l], se->site->n_articles,
	    se->idx[l].n_shards, se->idx[l].total, DOC_BLOCK,
	    (unsigned long long)order_hash(se->site));
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%u", i ? "," : "", (unsigned)blocks[i]);
	buf_puts(b, "]});\n");
}

/* The files, numbered for the pool: per language the meta file, the
 * shards and the metadata blocks; then the fold blocks.  (The text files
 * were written as the texts were collected.) */
struct write_job {
	struct search *se;
	size_t first[LANG_COUNT + 1];   /* each language's first job */
	uint32_t blocks[4352];
	size_t n_blocks;
};

static size_t
docs_blocks(const struct search *se)
{
	return (se->site->n_articles + DOC_BLOCK - 1) / DOC_BLOCK;
}

static void
write_one(void *ctx, size_t job, int worker)
{
	(void)worker;
	struct write_job *wj = ctx;
	struct search *se = wj->se;
	struct buf path = BUF_INIT, b = BUF_INIT;
	int l = 0;
	while (l < LANG_COUNT && job >= wj->first[l + 1])
		l++;
	if (l == LANG_COUNT) {
		uint32_t blk = wj->blocks[job - wj->first[LANG_COUNT]];
		buf_printf(&path, "search/fold/%x.js", (unsigned)blk);
		fold_file(blk, &b);
	} else {
		size_t j = job - wj->first[l], shards = se->idx[l].n_shards;
		const char *lc = lang_code[l];
		if (j == 0) {
			meta_path(&path, (enum lang)l);
			meta_file(se, (enum lang)l, &b);
		} else if (--j < shards) {
			shard_path(&path, (enum lang)l, j);
			if (se->idx[l].touched && !se->idx[l].touched[j]) {
				if (!pages_keep_previous(se->ps, path.data))
					se->failed = true;
				buf_release(&path);
				return;
			}
			shard_file(se, (enum lang)l, j, &b);
		} else {
			j -= shards;
			buf_printf(&path, "%s/search/d/%zu.js", lc, j);
			docs_file(se, (enum lang)l, j, &b);
		}
	}
	if (!put_file(se, path.data, &b))
		se->failed = true;
	buf_release(&path);
	buf_release(&b);
}

bool
search_write(struct search *se)
{
	struct write_job *wj = xcalloc(1, sizeof(*wj));
	wj->se = se;
	size_t at = 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		wj->first[l] = at;
		at += 1 + se->idx[l].n_shards + docs_blocks(se);
	}
	wj->first[LANG_COUNT] = at;
	wj->n_blocks = fold_blocks(wj->blocks, sizeof(wj->blocks) / sizeof(wj->blocks[0]));
	pool_run(se->threads, at + wj->n_blocks, write_one, wj);
	free(wj);
	return !se->failed;
}

bool
search_patched(const struct search *se)
{
	return se != NULL && se->patched;
}

void
search_free(struct search *se)
{
	if (se == NULL)
		return;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct lang_index *ix = &se->idx[l];
		for (size_t i = 0; i < ix->n_grams; i++)
			postings_free(&ix->grams[i].list);
		free(ix->grams);
		free(ix->slots);
		free(ix->order);
		free(ix->shard_start);
		free(ix->touched);
	}
	free(se);
}
