/* fuzz_match.c — libFuzzer target: the matcher against a naive reference.
 *
 * Input: terms separated by '\n', then a NUL, then the text (which may hold
 * anything, NULs included). Without a NUL the whole input is both the term
 * list and the text, so matches are common. Term i gets id i.
 *
 * Fuzz inputs are small, so they never leave the matcher's dense tables
 * nor cross a scan block. Also fuzz a build with
 * -DDENSE_MAX_BYTES=64 -DSCAN_BLOCK=16, where nearly every state is
 * sparse and blocks are short. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

struct term {
	const uint8_t *s;
	size_t len;
};

struct hit {
	size_t start, end;
	int id;
};

struct hits {
	struct hit *h;
	size_t n, cap;
	size_t stop_after; /* 0 = never stop */
};

#define CHECK(cond)                     \
	do {                            \
		if (!(cond))            \
			__builtin_trap(); \
	} while (0)

static bool
collect(void *ctx, size_t start, size_t end, int id)
{
	struct hits *hs = ctx;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? 2 * hs->cap : 16;
		hs->h = realloc(hs->h, hs->cap * sizeof *hs->h);
		CHECK(hs->h != NULL);
	}
	hs->h[hs->n++] = (struct hit){ start, end, id };
	return hs->stop_after == 0 || hs->n < hs->stop_after;
}

static bool
alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool
boundary_ok(const uint8_t *text, size_t len, size_t s, size_t e)
{
	if (alnum(text[s]) && s > 0 && alnum(text[s - 1]))
		return false;
	if (alnum(text[e - 1]) && e < len && alnum(text[e]))
		return false;
	return true;
}

/* Longest valid term at each position, first-listed among equals. */
static void
naive_scan(const struct term *terms, size_t nterms, const uint8_t *text,
           size_t len, struct hits *out)
{
	size_t i = 0;
	while (i < len) {
		size_t best = nterms;
		for (size_t j = 0; j < nterms; j++) {
			const struct term *t = &terms[j];
			if (t->len == 0 || t->len > len - i ||
			    (best < nterms && t->len <= terms[best].len) ||
			    memcmp(text + i, t->s, t->len) != 0 ||
			    !boundary_ok(text, len, i, i + t->len))
				continue;
			best = j;
		}
		if (best == nterms) {
			i++;
			continue;
		}
		collect(out, i, i + terms[best].len, (int)best);
		i += terms[best].len;
	}
}

static size_t
split_terms(const uint8_t *data, size_t size, struct term *terms)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			terms[n++] = (struct term){ data + start, i - start };
			start = i + 1;
		}
	}
	return n;
}

/* Invariants that hold whatever the reference says. */
static void
check_hits(const struct hits *hs, const struct term *terms, size_t nterms,
           const uint8_t *text, size_t len)
{
	size_t prev_end = 0;
	for (size_t i = 0; i < hs->n; i++) {
		const struct hit *h = &hs->h[i];
		CHECK(h->start >= prev_end && h->start < h->end && h->end <= len);
		CHECK(h->id >= 0 && (size_t)h->id < nterms);
		const struct term *t = &terms[h->id];
		CHECK(t->len == h->end - h->start);
		CHECK(memcmp(text + h->start, t->s, t->len) == 0);
		CHECK(boundary_ok(text, len, h->start, h->end));
		for (int j = 0; j < h->id; j++) /* duplicates keep the first id */
			CHECK(terms[j].len != t->len ||
			      memcmp(terms[j].s, t->s, t->len) != 0);
		prev_end = h->end;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tsize = nul ? (size_t)(nul - data) : size;
	const uint8_t *text = nul ? nul + 1 : data;
	size_t len = nul ? size - tsize - 1 : size;

	struct term *terms = malloc((tsize + 1) * sizeof *terms);
	CHECK(terms != NULL);
	size_t nterms = split_terms(data, tsize, terms);
	struct matcher *m = matcher_new();
	for (size_t i = 0; i < nterms; i++)
		matcher_add(m, (const char *)terms[i].s, terms[i].len, (int)i);
	matcher_compile(m);

	struct hits got = { 0 }, want = { 0 };
	matcher_scan(m, (const char *)text, len, collect, &got);
	check_hits(&got, terms, nterms, text, len);
	naive_scan(terms, nterms, text, len, &want);
	CHECK(got.n == want.n);
	for (size_t i = 0; i < want.n; i++)
		CHECK(got.h[i].start == want.h[i].start &&
		      got.h[i].end == want.h[i].end && got.h[i].id == want.h[i].id);

	/* Stopping early must yield a prefix of the full answer. */
	if (got.n > 1) {
		struct hits part = { .stop_after = got.n / 2 };
		matcher_scan(m, (const char *)text, len, collect, &part);
		CHECK(part.n == got.n / 2);
		for (size_t i = 0; i < part.n; i++)
			CHECK(part.h[i].start == got.h[i].start &&
			      part.h[i].end == got.h[i].end &&
			      part.h[i].id == got.h[i].id);
		free(part.h);
	}

	free(got.h);
	free(want.h);
	matcher_free(m);
	free(terms);
	return 0;
}
