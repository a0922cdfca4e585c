/* resolve.c — resolves the references between model objects once after
 * loading: article order, each taxonomy term's articles, each company's
 * apps, glossary duplicates and slugs.  (Named for that job: link.c is
 * the render stage's links out of an article's Markdown.) */
#include "resolve.h"

#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static int
newest_first(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa;
	const struct article *b = *(struct article *const *)pb;
	int c = date_compare(&b->date, &a->date);
	return c != 0 ? c : strcmp(a->slug, b->slug);
}

static int
by_slug(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa;
	const struct article *b = *(struct article *const *)pb;
	return strcmp(a->slug, b->slug);
}

void
resolve_sort_articles(struct site *s)
{
	qsort(s->articles, s->n_articles, sizeof(*s->articles), newest_first);
	for (size_t i = 0; i < s->n_articles; i++)
		s->articles[i]->index = i;
	s->by_slug = ARENA_ARRAY(&s->arena, struct article *,
	    s->n_articles ? s->n_articles : 1);
	if (s->n_articles)
		memcpy(s->by_slug, s->articles, s->n_articles * sizeof(*s->articles));
	qsort(s->by_slug, s->n_articles, sizeof(*s->by_slug), by_slug);
}

/* Each term's articles, newest first: one counting pass, one filling pass,
 * so the cost is linear in the number of tags. */
static void
resolve_term_articles(struct site *s)
{
	for (int k = 0; k < KIND_COUNT; k++)
		for (size_t i = 0; i < s->n_terms[k]; i++)
			s->terms[k][i].n_articles = 0;
	for (size_t i = 0; i < s->n_articles; i++)
		for (int k = 0; k < KIND_COUNT; k++)
			for (size_t j = 0; j < s->articles[i]->n_terms[k]; j++)
				s->articles[i]->terms[k][j]->n_articles++;
	for (int k = 0; k < KIND_COUNT; k++)
		for (size_t i = 0; i < s->n_terms[k]; i++) {
			struct term *t = &s->terms[k][i];
			t->articles = ARENA_ARRAY(&s->arena, struct article *,
			    t->n_articles ? t->n_articles : 1);
			t->n_articles = 0;
		}
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		for (int k = 0; k < KIND_COUNT; k++)
			for (size_t j = 0; j < a->n_terms[k]; j++) {
				struct term *t = a->terms[k][j];
				t->articles[t->n_articles++] = a;
			}
	}
}

static int
by_launch(const void *pa, const void *pb)
{
	const struct term *a = *(struct term *const *)pa;
	const struct term *b = *(struct term *const *)pb;
	if (a->launched != b->launched)
		return a->launched < b->launched ? -1 : 1;
	return strcmp(a->slug, b->slug);
}

static void
resolve_companies(struct site *s, struct diags *d)
{
	struct term *apps = s->terms[KIND_APP];
	size_t n_apps = s->n_terms[KIND_APP];
	for (size_t i = 0; i < n_apps; i++) {
		struct term *app = &apps[i];
		if (app->company_slug == NULL)
			continue;
		app->company = site_find_term(s, KIND_COMPANY, app->company_slug);
		if (app->company == NULL)
			diag(d, &app->company_pos, D_UNKNOWN_COMPANY, app->slug,
			    app->company_slug);
		else
			app->company->n_apps++;
	}
	for (size_t i = 0; i < s->n_terms[KIND_COMPANY]; i++) {
		struct term *c = &s->terms[KIND_COMPANY][i];
		c->apps = ARENA_ARRAY(&s->arena, struct term *, c->n_apps ? c->n_apps : 1);
		c->n_apps = 0;
	}
	for (size_t i = 0; i < n_apps; i++)
		if (apps[i].company)
			apps[i].company->apps[apps[i].company->n_apps++] = &apps[i];
	for (size_t i = 0; i < s->n_terms[KIND_COMPANY]; i++) {
		struct term *c = &s->terms[KIND_COMPANY][i];
		qsort(c->apps, c->n_apps, sizeof(*c->apps), by_launch);
	}
}

static int
gloss_by_zh(const void *pa, const void *pb)
{
	const struct gloss_term *a = *(struct gloss_term *const *)pa;
	const struct gloss_term *b = *(struct gloss_term *const *)pb;
	int c = strcmp(a->zh, b->zh);
	return c != 0 ? c : a->id - b->id;
}

/* The same term defined twice: an error naming both places, unless the two
 * agree on the English (an article may repeat a site term harmlessly). */
static void
resolve_glossary(struct site *s, struct diags *d)
{
	size_t n = s->n_glossary;
	for (size_t i = 0; i < n; i++)
		s->glossary[i]->id = (int)i;
	struct gloss_term **sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	if (n)
		memcpy(sorted, s->glossary, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), gloss_by_zh);
	/* The glossary.yaml terms alone, in the same order, for lookups. */
	size_t ns = s->n_site_glossary;
	s->gloss_by_zh = ARENA_ARRAY(&s->arena, struct gloss_term *, ns ? ns : 1);
	for (size_t i = 0, k = 0; i < n; i++)
		if (!sorted[i]->local && k < ns)
			s->gloss_by_zh[k++] = sorted[i];
	/* Each group of equal zh is compared with its first (its earliest
	 * definition: ties sort by id). */
	size_t start = 0;
	for (size_t i = 1; i < n; i++) {
		struct gloss_term *first = sorted[start], *g = sorted[i];
		if (strcmp(first->zh, g->zh) != 0) {
			start = i;
			continue;
		}
		char where[512];
		snprintf(where, sizeof(where), "%s:%d:%d", first->pos.path,
		    first->pos.line, first->pos.col);
		g->duplicate = true;
		if (strcmp(first->en, g->en) != 0)
			diag(d, &g->pos, D_GLOSS_CONFLICT, g->zh, g->en, first->en,
			    where);
		else if (!first->local && !g->local)
			diag(d, &g->pos, D_DUP_TERM, g->zh, where);
	}
	free(sorted);
}

/* Tone-marked pinyin vowels and ü, as UTF-8, with their plain letter. */
static const struct { const char *from; char to; } toneless[] = {
	{ "ā", 'a' }, { "á", 'a' }, { "ǎ", 'a' }, { "à", 'a' },
	{ "ē", 'e' }, { "é", 'e' }, { "ě", 'e' }, { "è", 'e' },
	{ "ī", 'i' }, { "í", 'i' }, { "ǐ", 'i' }, { "ì", 'i' },
	{ "ō", 'o' }, { "ó", 'o' }, { "ǒ", 'o' }, { "ò", 'o' },
	{ "ū", 'u' }, { "ú", 'u' }, { "ǔ", 'u' }, { "ù", 'u' },
	{ "ǖ", 'v' }, { "ǘ", 'v' }, { "ǚ", 'v' }, { "ǜ", 'v' }, { "ü", 'v' },
	{ "Ā", 'a' }, { "Á", 'a' }, { "Ǎ", 'a' }, { "À", 'a' },
	{ "Ē", 'e' }, { "É", 'e' }, { "Ě", 'e' }, { "È", 'e' },
	{ "Ō", 'o' }, { "Ó", 'o' }, { "Ǒ", 'o' }, { "Ò", 'o' },
};

/* "chūhǎi" -> "chuhai", "App Store" -> "app-store": an ASCII slug that
 * stays the same while the term's pinyin does. */
static void
pinyin_slug(const char *py, struct buf *out)
{
	bool dash = false;
	for (const char *p = py; *p;) {
		char c = *p;
		size_t adv = 1;
		if ((unsigned char)c >= 0x80) {
			c = 0;
			for (size_t i = 0; i < sizeof(toneless) / sizeof(toneless[0]); i++) {
				size_t len = strlen(toneless[i].from);
				if (strncmp(p, toneless[i].from, len) == 0) {
					c = toneless[i].to;
					adv = len;
					break;
				}
			}
			if (c == 0)
				while ((unsigned char)p[adv] >= 0x80 &&
				    ((unsigned char)p[adv] & 0xC0) == 0x80)
					adv++;
		}
		p += adv;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && out->len > 0)
				buf_putc(out, '-');
			dash = false;
			buf_putc(out, c);
		} else {
			dash = true;
		}
	}
}

/* Slugs for glossary.yaml terms, unique in file order: a later term whose
 * pinyin gives a taken slug gets -2, -3... */
static void
resolve_glossary_slugs(struct site *s)
{
	size_t n = s->n_site_glossary;
	struct strset taken;
	strset_init(&taken);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct gloss_term *g = s->glossary[i];
		buf_reset(&b);
		pinyin_slug(g->pinyin ? g->pinyin : g->zh, &b);
		if (b.len == 0)
			buf_printf(&b, "term-%zu", i + 1);
		strset_unique(&taken, &b);
		g->slug = arena_strdup(&s->arena, b.data);
	}
	buf_release(&b);
	strset_free(&taken);
}

void
resolve_site(struct site *s, struct diags *d)
{
	resolve_glossary_slugs(s);
	resolve_term_articles(s);
	resolve_companies(s, d);
	resolve_glossary(s, d);
}
