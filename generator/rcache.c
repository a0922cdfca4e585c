/* rcache.c — render records: writing, reading, checking (see rcache.h).
 *
 * A record, one line of fields separated by tabs:
 *   slug key versions
 * then per version (zh, then en when there is one):
 *   html-hash han-chars latin-words summary
 *   n-ids id...
 *   n-notes (s ID | l INDEX | a ZH EN)...
 *   n-xrefs (slug z|e anchor line col)...
 *   n-assets rel...
 * Text fields escape backslash, tab, newline and other control bytes as
 * \xHH; a string that may be missing is "" when it is and "=" + text when
 * it is not.  Numbers are decimal, hashes 16 hex digits. */
#include "rcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "hash.h"

/* ---- writing -------------------------------------------------------------------- */

static void
put_text(struct buf *out, const char *s)
{
	buf_putc(out, '\t');
	escape_field(out, s);
}

static void
put_maybe(struct buf *out, const char *s)
{
	buf_putc(out, '\t');
	if (s != NULL) {
		buf_putc(out, '=');
		escape_field(out, s);
	}
}

/* Numbers without printf: a record has hundreds, the cache thousands of
 * records. */
static void
put_num(struct buf *out, unsigned long long n)
{
	char tmp[24];
	size_t len = 0;
	do {
		tmp[sizeof(tmp) - 1 - len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	tmp[sizeof(tmp) - 1 - len] = '\t';
	buf_add(out, tmp + sizeof(tmp) - 1 - len, len + 1);
}

static void
put_hash(struct buf *out, uint64_t h)
{
	char tmp[17];
	tmp[0] = '\t';
	for (int i = 16; i > 0; i--, h >>= 4)
		tmp[i] = "0123456789abcdef"[h & 15];
	buf_add(out, tmp, sizeof(tmp));
}

static void
put_version(struct buf *out, const struct article *a, const struct version *v)
{
	put_hash(out, v->html_hash);
	put_num(out, v->han_chars);
	put_num(out, v->latin_words);
	put_maybe(out, v->auto_summary);
	put_num(out, v->n_ids);
	for (size_t i = 0; i < v->n_ids; i++)
		put_text(out, v->ids[i]);
	put_num(out, v->n_glossary_used);
	for (size_t i = 0; i < v->n_glossary_used; i++) {
		const struct gloss_term *t = v->glossary_used[i];
		if (!t->local) {
			buf_puts(out, "\ts");
			put_num(out, (unsigned long long)t->id);
			continue;
		}
		size_t local = a->n_local_glossary;
		for (size_t k = 0; !t->adhoc && k < a->n_local_glossary; k++)
			if (a->local_glossary[k] == t)
				local = k;
		if (local < a->n_local_glossary) {
			buf_puts(out, "\tl");
			put_num(out, local);
		} else {
			buf_puts(out, "\ta");
			put_text(out, t->zh);
			put_text(out, t->en);
			put_maybe(out, t->pinyin);
		}
	}
	put_num(out, v->n_xrefs);
	for (size_t i = 0; i < v->n_xrefs; i++) {
		const struct xref *x = &v->xrefs[i];
		put_text(out, x->slug);
		buf_puts(out, x->lang == LANG_EN ? "\te" : "\tz");
		put_maybe(out, x->anchor);
		put_num(out, (unsigned long long)x->line);
		put_num(out, (unsigned long long)x->col);
	}
	put_num(out, v->n_assets);
	for (size_t i = 0; i < v->n_assets; i++)
		put_text(out, v->assets[i]);
}

uint64_t
rcache_key(const struct site *s, const struct article *a)
{
	uint64_t h = hash_u64(HASH_SEED, s->data_hash);
	h = hash_str(h, a->slug);
	h = hash_u64(h, a->zh.source_hash);
	return hash_u64(h, a->en ? a->en->source_hash : 0);
}

void
rcache_put(struct buf *out, const struct site *s, const struct article *a)
{
	escape_field(out, a->slug);
	put_hash(out, rcache_key(s, a));
	put_num(out, a->en ? 2 : 1);
	put_version(out, a, &a->zh);
	if (a->en)
		put_version(out, a, a->en);
	buf_putc(out, '\n');
}

/* ---- reading -------------------------------------------------------------------- */

struct reader {
	const char *p, *end;
	bool ok;
	struct arena *arena;
};

/* The next raw field: [*start, *start + *len). */
static bool
field(struct reader *r, const char **start, size_t *len)
{
	if (!r->ok || r->p > r->end) {
		r->ok = false;
		return false;
	}
	const char *tab = memchr(r->p, '\t', (size_t)(r->end - r->p));
	const char *stop = tab ? tab : r->end;
	*start = r->p;
	*len = (size_t)(stop - r->p);
	r->p = stop + 1;      /* past the end when this was the last field */
	return true;
}

static const char *
unescape(struct reader *r, const char *s, size_t len)
{
	/* Most fields have nothing escaped: copied as they are. */
	if (memchr(s, '\\', len) == NULL)
		return arena_strndup(r->arena, s, len);
	struct buf b = BUF_INIT;
	const char *out = "";
	if (unescape_field(s, len, &b))
		out = arena_strndup(r->arena, b.data, b.len);
	else
		r->ok = false;
	buf_release(&b);
	return out;
}

static const char *
get_text(struct reader *r)
{
	const char *s;
	size_t len;
	if (!field(r, &s, &len))
		return "";
	return unescape(r, s, len);
}

/* A one-letter field, compared where it lies; 0 when it is not one. */
static char
get_letter(struct reader *r)
{
	const char *s;
	size_t len;
	if (!field(r, &s, &len))
		return 0;
	return len == 1 ? s[0] : 0;
}

static const char *
get_maybe(struct reader *r)
{
	const char *s;
	size_t len;
	if (!field(r, &s, &len))
		return NULL;
	if (len == 0)
		return NULL;
	if (s[0] != '=') {
		r->ok = false;
		return NULL;
	}
	return unescape(r, s + 1, len - 1);
}

static unsigned long long
get_num(struct reader *r, int base, unsigned long long max)
{
	const char *s;
	size_t len;
	if (!field(r, &s, &len))
		return 0;
	unsigned long long v = 0;
	if (len == 0 || len > 20)
		r->ok = false;
	for (size_t i = 0; i < len && r->ok; i++) {
		int d = hex_digit(s[i]);
		if (d < 0 || d >= base || (unsigned)d > max ||
		    v > (max - (unsigned)d) / (unsigned)base)
			r->ok = false;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	return r->ok ? v : 0;
}

/* A count of items that follow, each at least `min_bytes` long: bounded
 * by what is left, so a damaged count cannot ask for a huge array. */
static size_t
get_count(struct reader *r, size_t min_bytes)
{
	size_t left = r->p < r->end ? (size_t)(r->end - r->p) : 0;
	return (size_t)get_num(r, 10, left / min_bytes + 1);
}

static bool
get_version(struct reader *r, const struct site *s, const struct article *a,
    struct version *v, bool (*asset_ok)(const struct site *, const char *))
{
	v->html_hash = get_num(r, 16, UINT64_MAX);
	v->han_chars = (size_t)get_num(r, 10, SIZE_MAX);
	v->latin_words = (size_t)get_num(r, 10, SIZE_MAX);
	v->auto_summary = get_maybe(r);
	v->n_ids = get_count(r, 1);
	v->ids = ARENA_ARRAY(r->arena, const char *, v->n_ids ? v->n_ids : 1);
	for (size_t i = 0; i < v->n_ids && r->ok; i++)
		v->ids[i] = get_text(r);
	v->n_glossary_used = get_count(r, 3);
	v->glossary_used = ARENA_ARRAY(r->arena, const struct gloss_term *,
	    v->n_glossary_used ? v->n_glossary_used : 1);
	for (size_t i = 0; i < v->n_glossary_used && r->ok; i++) {
		char kind = get_letter(r);
		if (kind == 's') {
			size_t id = (size_t)get_num(r, 10, SIZE_MAX);
			if (!r->ok || id >= s->n_site_glossary)
				return r->ok = false;
			v->glossary_used[i] = s->glossary[id];
		} else if (kind == 'l') {
			size_t k = (size_t)get_num(r, 10, SIZE_MAX);
			if (!r->ok || k >= a->n_local_glossary)
				return r->ok = false;
			v->glossary_used[i] = a->local_glossary[k];
		} else if (kind == 'a') {
			const char *zh = get_text(r);
			const char *en = get_text(r);
			const char *pinyin = get_maybe(r);
			v->glossary_used[i] = gloss_adhoc(r->arena, zh, pinyin, en);
		} else {
			return r->ok = false;
		}
	}
	v->n_xrefs = get_count(r, 7);
	v->xrefs = ARENA_ARRAY(r->arena, struct xref, v->n_xrefs ? v->n_xrefs : 1);
	v->links = ARENA_ARRAY(r->arena, struct article *, v->n_xrefs ? v->n_xrefs : 1);
	v->n_links = 0;
	for (size_t i = 0; i < v->n_xrefs && r->ok; i++) {
		struct xref *x = &v->xrefs[i];
		const char *slug = get_text(r);
		char lang = get_letter(r);
		x->anchor = get_maybe(r);
		x->line = (int)get_num(r, 10, 1u << 30);
		x->col = (int)get_num(r, 10, 1u << 30);
		struct article *t = r->ok ? site_find_article(s, slug) : NULL;
		x->lang = lang == 'e' ? LANG_EN : LANG_ZH;
		/* The link was to an article that existed: it must still,
		 * in the version named, or rendering must say it does not. */
		if (t == NULL || (x->lang == LANG_EN && t->en == NULL))
			return r->ok = false;
		x->slug = t->slug;
		bool seen = t == a;
		for (size_t k = 0; k < v->n_links && !seen; k++)
			seen = v->links[k] == t;
		if (!seen)
			v->links[v->n_links++] = t;
	}
	v->n_assets = get_count(r, 1);
	v->assets = ARENA_ARRAY(r->arena, const char *, v->n_assets ? v->n_assets : 1);
	for (size_t i = 0; i < v->n_assets && r->ok; i++) {
		v->assets[i] = get_text(r);
		if (r->ok && !asset_ok(s, v->assets[i]))
			return r->ok = false;
	}
	return r->ok;
}

const char *
rcache_slug(const char *record, size_t len, size_t *slug_len)
{
	const char *tab = memchr(record, '\t', len);
	*slug_len = tab ? (size_t)(tab - record) : len;
	return record;
}

bool
rcache_restore(const char *record, size_t len, const struct site *s,
    struct article *a, struct arena *arena,
    bool (*asset_ok)(const struct site *s, const char *rel))
{
	struct reader r = { record, record + len, true, arena };
	const char *slug = get_text(&r);
	uint64_t key = get_num(&r, 16, UINT64_MAX);
	size_t versions = (size_t)get_num(&r, 10, 2);
	if (!r.ok || strcmp(slug, a->slug) != 0 || key != rcache_key(s, a) ||
	    versions != (a->en ? 2u : 1u))
		return false;
	struct version zh = a->zh, en = a->en ? *a->en : a->zh;
	if (!get_version(&r, s, a, &zh, asset_ok) ||
	    (a->en && !get_version(&r, s, a, &en, asset_ok)) || r.p <= r.end)
		return false;
	zh.html = NULL;
	zh.html_len = 0;
	a->zh = zh;
	if (a->en) {
		en.html = NULL;
		en.html_len = 0;
		*a->en = en;
	}
	return true;
}
