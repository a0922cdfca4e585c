/* relate.c — backlinks by inverting the link lists; related articles by
 * scoring shared tags through each tag's article list (an inverted index),
 * never by comparing all pairs. */
#include "relate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hash.h"
#include "pool.h"
#include "record.h"

/* A shared app says more than a shared company, which says more than a
 * shared theme. */
static const int kind_weight[KIND_COUNT] = { 2, 3, 1 };

/* How far along a tag's article list (sorted by date) to look on each
 * side of the article: keeps huge tags from making the cost quadratic,
 * and prefers related articles from around the same time. */
enum { WINDOW = 200 };

/* Two passes over every link (count, then fill), sources newest first so
 * each list comes out newest first.  A source's zh and en versions may
 * both link to a target: it is listed once. */
static void
add_backlinks(struct site *s)
{
	size_t n = s->n_articles;
	size_t *count = xcalloc(n ? n : 1, sizeof(*count));
	size_t *last = xcalloc(n ? n : 1, sizeof(*last));   /* source index + 1 */
	for (int pass = 0; pass < 2; pass++) {
		memset(last, 0, (n ? n : 1) * sizeof(*last));
		for (size_t i = 0; i < n; i++) {
			struct article *a = s->articles[i];
			const struct version *vs[2] = { &a->zh, a->en };
			for (int k = 0; k < 2; k++)
				for (size_t j = 0; vs[k] && j < vs[k]->n_links; j++) {
					struct article *t = vs[k]->links[j];
					if (last[t->index] == i + 1)
						continue;
					last[t->index] = i + 1;
					if (pass == 0)
						count[t->index]++;
					else
						t->backlinks[t->n_backlinks++] = a;
				}
		}
		for (size_t i = 0; pass == 0 && i < n; i++) {
			s->articles[i]->backlinks = ARENA_ARRAY(&s->arena,
			    struct article *, count[i] ? count[i] : 1);
			s->articles[i]->n_backlinks = 0;
		}
	}
	free(last);
	free(count);
}

/* Which articles use each glossary.yaml term, the same way: two passes
 * (count, then fill), articles newest first, each listed once however
 * many notes of its versions use the term.  Indices, not pointers: a
 * term's page and key walk thousands of these without touching each
 * article. */
static void
add_gloss_backlinks(struct site *s)
{
	size_t n = s->n_site_glossary;
	size_t *last = xcalloc(n ? n : 1, sizeof(size_t));   /* article index + 1 */
	for (int pass = 0; pass < 2; pass++) {
		memset(last, 0, (n ? n : 1) * sizeof(*last));
		for (size_t i = 0; i < s->n_articles; i++) {
			const struct article *art = s->articles[i];
			const struct version *vs[2] = { &art->zh, art->en };
			for (int k = 0; k < 2; k++)
				for (size_t u = 0; vs[k] && u < vs[k]->n_glossary_used; u++) {
					const struct gloss_term *t = vs[k]->glossary_used[u];
					if (t->local || last[t->id] == i + 1)
						continue;
					last[t->id] = i + 1;
					struct gloss_term *g = s->glossary[t->id];
					if (pass == 1)
						g->used_by[g->n_used_by] = (uint32_t)i;
					g->n_used_by++;
				}
		}
		for (size_t i = 0; pass == 0 && i < n; i++) {
			struct gloss_term *g = s->glossary[i];
			g->used_by = ARENA_ARRAY(&s->arena, uint32_t,
			    g->n_used_by ? g->n_used_by : 1);
			g->n_used_by = 0;
		}
	}
	free(last);
}

struct candidate {
	struct article *a;
	int score;
};

/* Better first: higher score, then newer, then slug. */
static bool
better(const struct candidate *x, const struct candidate *y)
{
	if (x->score != y->score)
		return x->score > y->score;
	int c = date_compare(&x->a->date, &y->a->date);
	if (c != 0)
		return c > 0;
	return strcmp(x->a->slug, y->a->slug) < 0;
}

static size_t
position_in(struct article *const *list, size_t n, const struct article *a)
{
	/* Lists are newest first, ties by slug: the same order as
	 * site->articles, so compare indexes. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (list[mid]->index < a->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
relate_one(struct site *s, struct article *a, int *score, struct article **touched)
{
	size_t n_touched = 0;
	for (int k = 0; k < KIND_COUNT; k++)
		for (size_t j = 0; j < a->n_terms[k]; j++) {
			const struct term *t = a->terms[k][j];
			size_t at = position_in(t->articles, t->n_articles, a);
			size_t from = at > WINDOW ? at - WINDOW : 0;
			size_t to = at + WINDOW + 1 < t->n_articles ? at + WINDOW + 1 : t->n_articles;
			for (size_t i = from; i < to; i++) {
				struct article *b = t->articles[i];
				if (b == a)
					continue;
				if (score[b->index] == 0)
					touched[n_touched++] = b;
				score[b->index] += kind_weight[k];
			}
		}
	struct candidate best[5];
	size_t n_best = 0;
	for (size_t i = 0; i < n_touched; i++) {
		struct candidate c = { touched[i], score[touched[i]->index] };
		score[touched[i]->index] = 0;
		size_t at = n_best;
		while (at > 0 && better(&c, &best[at - 1]))
			at--;
		if (at >= 5)
			continue;
		size_t end = n_best < 5 ? n_best : 4;
		memmove(&best[at + 1], &best[at], (end - at) * sizeof(best[0]));
		best[at] = c;
		if (n_best < 5)
			n_best++;
	}
	for (size_t i = 0; i < n_best; i++)
		a->related[i] = best[i].a;
	a->n_related = n_best;
	(void)s;
}

struct relate_job {
	struct site *site;
	int **score;               /* per worker: a score per article */
	struct article ***touched; /* per worker: the articles scored */
};

static void
relate_job(void *ctx, size_t i, int worker)
{
	struct relate_job *rj = ctx;
	relate_one(rj->site, rj->site->articles[i], rj->score[worker],
	    rj->touched[worker]);
}

uint64_t
relate_key(const struct site *s)
{
	uint64_t h = hash_u64(HASH_SEED, s->n_articles);
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		h = hash_str(h, a->slug);
		h = hash_u64(h, (uint64_t)a->date.year << 16 |
		    (uint64_t)a->date.month << 8 | (uint64_t)a->date.day);
		for (int k = 0; k < KIND_COUNT; k++) {
			h = hash_u64(h, a->n_terms[k]);
			for (size_t j = 0; j < a->n_terms[k]; j++)
				h = hash_str(h, a->terms[k][j]->slug);
		}
	}
	return h;
}

void
relate_put(struct buf *out, const struct site *s)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		for (size_t j = 0; j < a->n_related; j++)
			rec_put_num(out, a->related[j]->index);
		rec_end(out);
	}
}

/* The related lists from relate_put's records; false, with nothing set,
 * when they do not fit (a count, an index out of range). */
static bool
take_related(struct site *s, const char *p, size_t len)
{
	const char *end = p + len, *line = p;
	size_t n = s->n_articles, line_len = 0;
	size_t *all = xmalloc((n ? n : 1) * 5 * sizeof(*all));
	size_t *count = xcalloc(n ? n : 1, sizeof(*count));
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		ok = rec_next_line(&p, end, &line, &line_len) && p[-1] == '\n';
		struct rec r;
		rec_open(&r, line, line_len, NULL);
		while (ok && line_len > 0 && rec_more(&r)) {
			size_t v = (size_t)rec_get_num(&r, n ? n - 1 : 0);
			ok = r.ok && v != i && count[i] < 5;
			if (ok)
				all[i * 5 + count[i]++] = v;
		}
	}
	ok = ok && p == end;
	for (size_t i = 0; ok && i < n; i++) {
		struct article *a = s->articles[i];
		for (size_t j = 0; j < count[i]; j++)
			a->related[j] = s->articles[all[i * 5 + j]];
		a->n_related = count[i];
	}
	free(all);
	free(count);
	return ok;
}

void
relate_site(struct site *s, int threads, const char *known, size_t known_len)
{
	add_backlinks(s);
	add_gloss_backlinks(s);
	/* Nothing they are made from has changed: last build's lists. */
	if (known && take_related(s, known, known_len))
		return;
	if (threads < 1)
		threads = 1;
	size_t n = s->n_articles ? s->n_articles : 1;
	/* Each article touches at most (2 * WINDOW + 1) per tag. */
	size_t max_tags = 0;
	for (size_t i = 0; i < s->n_articles; i++) {
		size_t t = 0;
		for (int k = 0; k < KIND_COUNT; k++)
			t += s->articles[i]->n_terms[k];
		if (t > max_tags)
			max_tags = t;
	}
	/* Every article's list is its own: they are found on the pool, each
	 * worker with its own scores (left all zero after each article). */
	struct relate_job rj = { s, xcalloc((size_t)threads, sizeof(int *)),
		xcalloc((size_t)threads, sizeof(struct article **)) };
	for (int w = 0; w < threads; w++) {
		rj.score[w] = xcalloc(n, sizeof(int));
		rj.touched[w] = xmalloc((max_tags * (2 * WINDOW + 1) + 1) *
		    sizeof(struct article *));
	}
	pool_run(threads, s->n_articles, relate_job, &rj);
	for (int w = 0; w < threads; w++) {
		free(rj.score[w]);
		free(rj.touched[w]);
	}
	free(rj.score);
	free(rj.touched);
}
