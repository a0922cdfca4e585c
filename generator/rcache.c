/* rcache.c — render records: what they hold and how it is checked (see
 * rcache.h); their layout is the renders section's in state.h, written and
 * read with the state's record format (record.h). */
#include "rcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "record.h"

/* ---- writing -------------------------------------------------------------------- */

static void
put_version(struct buf *out, const struct article *a, const struct version *v)
{
	rec_put_hex(out, v->html_hash);
	rec_put_num(out, v->han_chars);
	rec_put_num(out, v->latin_words);
	rec_put_maybe(out, v->auto_summary);
	rec_put_num(out, v->n_ids);
	for (size_t i = 0; i < v->n_ids; i++)
		rec_put_text(out, v->ids[i]);
	rec_put_num(out, v->n_glossary_used);
	for (size_t i = 0; i < v->n_glossary_used; i++) {
		const struct gloss_term *t = v->glossary_used[i];
		if (!t->local) {
			rec_put_letter(out, 's');
			rec_put_num(out, (unsigned long long)t->id);
			continue;
		}
		size_t local = a->n_local_glossary;
		for (size_t k = 0; !t->adhoc && k < a->n_local_glossary; k++)
			if (a->local_glossary[k] == t)
				local = k;
		if (local < a->n_local_glossary) {
			rec_put_letter(out, 'l');
			rec_put_num(out, local);
		} else {
			rec_put_letter(out, 'a');
			rec_put_text(out, t->zh);
			rec_put_text(out, t->en);
			rec_put_maybe(out, t->pinyin);
		}
	}
	rec_put_num(out, v->n_xrefs);
	for (size_t i = 0; i < v->n_xrefs; i++) {
		const struct xref *x = &v->xrefs[i];
		rec_put_text(out, x->slug);
		rec_put_letter(out, x->lang == LANG_EN ? 'e' : 'z');
		rec_put_maybe(out, x->anchor);
		rec_put_num(out, (unsigned long long)x->line);
		rec_put_num(out, (unsigned long long)x->col);
	}
	rec_put_num(out, v->n_assets);
	for (size_t i = 0; i < v->n_assets; i++)
		rec_put_text(out, v->assets[i]);
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
	rec_put_text(out, a->slug);
	rec_put_hex(out, rcache_key(s, a));
	rec_put_num(out, a->en ? 2 : 1);
	put_version(out, a, &a->zh);
	if (a->en)
		put_version(out, a, a->en);
	rec_end(out);
}

/* ---- reading -------------------------------------------------------------------- */

/* A glossary use: a site term by number ('s'), an article's own term by
 * number ('l'), or an ad-hoc note written out ('a'); NULL when it does
 * not read or names no term. */
static const struct gloss_term *
get_gloss_use(struct rec *r, const struct site *s, const struct article *a)
{
	char kind = rec_get_letter(r);
	if (kind == 's') {
		size_t id = (size_t)rec_get_num(r, SIZE_MAX);
		return r->ok && id < s->n_site_glossary ? s->glossary[id] : NULL;
	}
	if (kind == 'l') {
		size_t k = (size_t)rec_get_num(r, SIZE_MAX);
		return r->ok && k < a->n_local_glossary ? a->local_glossary[k] : NULL;
	}
	if (kind == 'a') {
		const char *zh = rec_get_text(r, NULL);
		const char *en = rec_get_text(r, NULL);
		const char *pinyin = rec_get_maybe(r);
		return r->ok ? gloss_adhoc(r->arena, zh, pinyin, en) : NULL;
	}
	return NULL;
}

/* A cross-reference to another article, also added to v's links once;
 * false when it does not read or its target is gone. */
static bool
get_xref(struct rec *r, const struct site *s, const struct article *a,
    struct version *v, struct xref *x)
{
	const char *slug = rec_get_text(r, NULL);
	char lang = rec_get_letter(r);
	x->anchor = rec_get_maybe(r);
	x->line = (int)rec_get_num(r, 1u << 30);
	x->col = (int)rec_get_num(r, 1u << 30);
	struct article *t = r->ok ? site_find_article(s, slug) : NULL;
	x->lang = lang == 'e' ? LANG_EN : LANG_ZH;
	/* The link was to an article that existed: it must still, in the
	 * version named, or rendering must say it does not. */
	if (t == NULL || (x->lang == LANG_EN && t->en == NULL))
		return false;
	x->slug = t->slug;
	bool seen = t == a;
	for (size_t k = 0; k < v->n_links && !seen; k++)
		seen = v->links[k] == t;
	if (!seen)
		v->links[v->n_links++] = t;
	return true;
}

static bool
get_version(struct rec *r, const struct site *s, const struct article *a,
    struct version *v, bool (*asset_ok)(const struct site *, const char *))
{
	v->html_hash = rec_get_hex(r);
	v->han_chars = (size_t)rec_get_num(r, SIZE_MAX);
	v->latin_words = (size_t)rec_get_num(r, SIZE_MAX);
	v->auto_summary = rec_get_maybe(r);
	v->n_ids = rec_get_count(r, 1);
	v->ids = ARENA_ARRAY(r->arena, const char *, v->n_ids ? v->n_ids : 1);
	for (size_t i = 0; i < v->n_ids && r->ok; i++)
		v->ids[i] = rec_get_text(r, NULL);
	v->n_glossary_used = rec_get_count(r, 3);
	v->glossary_used = ARENA_ARRAY(r->arena, const struct gloss_term *,
	    v->n_glossary_used ? v->n_glossary_used : 1);
	for (size_t i = 0; i < v->n_glossary_used && r->ok; i++)
		if ((v->glossary_used[i] = get_gloss_use(r, s, a)) == NULL)
			return r->ok = false;
	v->n_xrefs = rec_get_count(r, 7);
	v->xrefs = ARENA_ARRAY(r->arena, struct xref, v->n_xrefs ? v->n_xrefs : 1);
	v->links = ARENA_ARRAY(r->arena, struct article *, v->n_xrefs ? v->n_xrefs : 1);
	v->n_links = 0;
	for (size_t i = 0; i < v->n_xrefs && r->ok; i++)
		if (!get_xref(r, s, a, v, &v->xrefs[i]))
			return r->ok = false;
	v->n_assets = rec_get_count(r, 1);
	v->assets = ARENA_ARRAY(r->arena, const char *, v->n_assets ? v->n_assets : 1);
	for (size_t i = 0; i < v->n_assets && r->ok; i++) {
		v->assets[i] = rec_get_text(r, NULL);
		if (r->ok && !asset_ok(s, v->assets[i]))
			return r->ok = false;
	}
	return r->ok;
}

bool
rcache_restore(const char *record, size_t len, const struct site *s,
    struct article *a, struct arena *arena,
    bool (*asset_ok)(const struct site *s, const char *rel))
{
	struct rec r;
	rec_open(&r, record, len, arena);
	const char *slug = rec_get_text(&r, NULL);
	uint64_t key = rec_get_hex(&r);
	size_t versions = (size_t)rec_get_num(&r, 2);
	if (!r.ok || strcmp(slug, a->slug) != 0 || key != rcache_key(s, a) ||
	    versions != (a->en ? 2u : 1u))
		return false;
	struct version zh = a->zh, en = a->en ? *a->en : a->zh;
	if (!get_version(&r, s, a, &zh, asset_ok) ||
	    (a->en && !get_version(&r, s, a, &en, asset_ok)) || !rec_done(&r))
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
