/* site.c — the model's name tables and small helpers shared by all stages. */
#include "site.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const char *const lang_code[LANG_COUNT] = { "zh", "en" };
const char *const lang_tag[LANG_COUNT] = { "zh-Hans", "en" };
const char *const kind_plural[KIND_COUNT] = { "companies", "apps", "themes" };
const char *const kind_singular[KIND_COUNT] = { "company", "app", "theme" };
const char *const status_name[] = { "", "active", "closed", "suspended" };

struct site *
site_new(void)
{
	struct site *s = xcalloc(1, sizeof(*s));
	arena_init(&s->arena);
	arena_init(&s->bodies);
	s->languages[0] = LANG_ZH;
	s->languages[1] = LANG_EN;
	s->per_page = 20;
	return s;
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	arena_free(&s->arena);
	arena_free(&s->bodies);
	free(s);
}

void
site_drop_bodies(struct site *s)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		a->zh.body = NULL;
		if (a->en)
			a->en->body = NULL;
	}
	arena_free(&s->bodies);
}

bool
slug_valid(const char *s, size_t len)
{
	if (len == 0 || len > 200 || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
date_parse(const char *s, struct date *out)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1000 || m < 1 || m > 12 || d < 1)
		return false;
	int max = days[m - 1] + (m == 2 && leap(y));
	if (d > max)
		return false;
	out->year = y;
	out->month = m;
	out->day = d;
	return true;
}

int
date_compare(const struct date *a, const struct date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

struct term *
site_find_term(const struct site *s, enum term_kind k, const char *slug)
{
	size_t lo = 0, hi = s->n_terms[k];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->terms[k][mid].slug, slug);
		if (c == 0)
			return &s->terms[k][mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
compare_slug(const void *key, const void *elem)
{
	const struct article *a = *(struct article *const *)elem;
	return strcmp((const char *)key, a->slug);
}

static int
compare_strings(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

bool
site_draft_left_out(const struct site *s, const char *slug)
{
	return s->n_drafts_left_out > 0 && bsearch(slug, s->drafts_left_out,
	    s->n_drafts_left_out, sizeof(*s->drafts_left_out),
	    compare_strings) != NULL;
}

struct article *
site_find_article(const struct site *s, const char *slug)
{
	/* site->by_slug is sorted by slug after linking. */
	if (s->n_articles == 0)
		return NULL;
	struct article **hit = bsearch(slug, s->by_slug, s->n_articles,
	    sizeof(*s->by_slug), compare_slug);
	return hit ? *hit : NULL;
}

static int
compare_gloss_zh(const void *key, const void *elem)
{
	return strcmp((const char *)key, (*(struct gloss_term *const *)elem)->zh);
}

const struct gloss_term *
site_find_gloss(const struct site *s, const char *zh)
{
	if (s->gloss_by_zh == NULL || s->n_site_glossary == 0)
		return NULL;
	struct gloss_term **hit = bsearch(zh, s->gloss_by_zh, s->n_site_glossary,
	    sizeof(*s->gloss_by_zh), compare_gloss_zh);
	/* Equal terms sort by id: the first definition is the one used. */
	while (hit != NULL && hit > s->gloss_by_zh && strcmp(hit[-1]->zh, zh) == 0)
		hit--;
	return hit ? *hit : NULL;
}

struct gloss_term *
gloss_adhoc(struct arena *a, const char *zh, const char *pinyin, const char *en)
{
	struct gloss_term *t = ARENA_NEW(a, struct gloss_term);
	t->zh = zh;
	t->pinyin = pinyin;
	t->en = en;
	t->local = t->adhoc = true;
	t->id = -1;
	return t;
}
