/* tsv.c — index.tsv and glossary.tsv, sorted as SPEC.md says. */
#include "tsv.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "escape.h"

static void
field(struct buf *out, const char *s)
{
	if (s)
		escape_tsv(out, s, strlen(s));
}

static void
term_list(struct buf *out, const struct article *a, enum term_kind k)
{
	for (size_t i = 0; i < a->n_terms[k]; i++) {
		if (i)
			buf_putc(out, ',');
		field(out, a->terms[k][i]->slug);
	}
}

static int
oldest_first(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa;
	const struct article *b = *(struct article *const *)pb;
	int c = date_compare(&a->date, &b->date);
	return c ? c : strcmp(a->slug, b->slug);
}

void
tsv_index(const struct site *s, struct buf *out)
{
	buf_puts(out, TSV_INDEX_HEADER);
	struct article **sorted = xmalloc((s->n_articles ? s->n_articles : 1) * sizeof(*sorted));
	if (s->n_articles)
		memcpy(sorted, s->articles, s->n_articles * sizeof(*sorted));
	qsort(sorted, s->n_articles, sizeof(*sorted), oldest_first);
	/* Rows sort by date, slug, then lang: "en" before "zh". */
	static const enum lang order[] = { LANG_EN, LANG_ZH };
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = sorted[i];
		for (int j = 0; j < LANG_COUNT; j++) {
			enum lang l = order[j];
			buf_printf(out, "%04d-%02d-%02d\t%s\t", a->date.year,
			    a->date.month, a->date.day, lang_code[l]);
			field(out, a->slug);
			buf_printf(out, "\t%s/articles/%s/\t", lang_code[l], a->slug);
			field(out, a->title[l] ? a->title[l] : a->title[LANG_ZH]);
			for (int k = 0; k < KIND_COUNT; k++) {
				buf_putc(out, '\t');
				term_list(out, a, (enum term_kind)k);
			}
			buf_putc(out, '\n');
		}
	}
	free(sorted);
}

void
tsv_glossary(const struct site *s, const size_t *uses, struct buf *out)
{
	buf_puts(out, "zh\tpinyin\ten\tarticles\turl\n");
	for (size_t i = 0; i < s->n_site_glossary; i++) {
		const struct gloss_term *g = s->glossary[i];
		field(out, g->zh);
		buf_putc(out, '\t');
		field(out, g->pinyin);
		buf_putc(out, '\t');
		field(out, g->en);
		buf_printf(out, "\t%zu\tzh/glossary/%s/\n", uses[i], g->slug);
	}
}
