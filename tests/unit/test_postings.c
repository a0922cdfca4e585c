/* test_postings.c — unit tests for the search index's lists
 * (generator/postings.c): however a list is built (an article at a time,
 * a block's mask at a time, or set at once) and however it is held (gaps
 * or a bitmap), it is written the same, as the shorter text, and reads
 * back as the same articles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "postings.h"

/* A small deterministic generator (xorshift), so that failures repeat. */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Articles 0..n-1, each in the list with a chance that changes along it:
 * dense at first, then `thin` (out of 1,000) per article, so that a list
 * becomes a bitmap and may end up shorter as gaps again. */
static size_t
make_docs(uint32_t *docs, uint32_t n, unsigned dense_until, unsigned thin,
    uint64_t *seed)
{
	size_t k = 0;
	for (uint32_t d = 0; d < n; d++) {
		unsigned per_mille = d < dense_until ? 600 : thin;
		if (next_random(seed) % 1000 < per_mille)
			docs[k++] = d;
	}
	return k;
}

/* The text of docs[0..n) when built each way; all must be the same, and
 * read back as docs. */
static void
check_ways(const uint32_t *docs, size_t n)
{
	struct postings one = { 0 }, masks = { 0 }, set = { 0 };
	for (size_t i = 0; i < n; i++)
		postings_add(&one, docs[i]);
	for (size_t i = 0; i < n;) {
		uint32_t first = docs[i] / 64 * 64;
		uint64_t mask = 0;
		for (; i < n && docs[i] < first + 64; i++)
			mask |= 1ULL << (docs[i] - first);
		postings_add_mask(&masks, first, mask);
	}
	postings_set(&set, docs, n);
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	postings_write(&a, &one);
	postings_write(&b, &masks);
	postings_write(&c, &set);
	assert_int_equal(a.len, b.len);
	assert_int_equal(a.len, c.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_memory_equal(a.data, c.data, a.len);
	assert_int_equal(a.len, postings_text_len(&one));
	assert_int_equal(one.n, n);
	assert_int_equal(masks.n, n);
	assert_int_equal(one.len, set.len);   /* the gaps' length, held or not */

	uint32_t *back = NULL;
	size_t nb = 0, cap = 0;
	assert_true(postings_decode(a.data, a.len, &back, &nb, &cap));
	assert_int_equal(nb, n);
	assert_memory_equal(back, docs, n * sizeof(*docs));
	nb = 0;
	postings_docs(&one, &back, &nb, &cap);   /* from the bitmap, if held so */
	assert_int_equal(nb, n);
	assert_memory_equal(back, docs, n * sizeof(*docs));

	/* A shard's text taken back is written as it was. */
	struct postings taken = { 0 };
	postings_take_text(&taken, a.data, a.len, docs, n);
	struct buf d = BUF_INIT;
	postings_write(&d, &taken);
	assert_int_equal(d.len, a.len);
	assert_memory_equal(d.data, a.data, a.len);

	free(back);
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	buf_release(&d);
	postings_free(&one);
	postings_free(&masks);
	postings_free(&set);
	postings_free(&taken);
}

static void
test_lists_every_way_alike(void **state)
{
	(void)state;
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	static uint32_t docs[20000];
	bool saw_dense = false, saw_dense_as_gaps = false, saw_bitmap = false;
	for (int round = 0; round < 200; round++) {
		uint32_t n = 1 + (uint32_t)(next_random(&seed) % 20000);
		unsigned dense_until = (unsigned)(next_random(&seed) % (n + 1));
		unsigned thin = (unsigned)(next_random(&seed) % 40);
		size_t k = make_docs(docs, n, dense_until, thin, &seed);
		if (k == 0)
			continue;
		check_ways(docs, k);
		struct postings p = { 0 };
		for (size_t i = 0; i < k; i++)
			postings_add(&p, docs[i]);
		struct buf t = BUF_INIT;
		postings_write(&t, &p);
		saw_dense = saw_dense || p.dense;
		saw_dense_as_gaps = saw_dense_as_gaps || (p.dense && t.data[0] != '~');
		saw_bitmap = saw_bitmap || t.data[0] == '~';
		buf_release(&t);
		postings_free(&p);
	}
	/* The cases that matter were all made. */
	assert_true(saw_dense);
	assert_true(saw_dense_as_gaps);
	assert_true(saw_bitmap);
}

static void
test_gaps_text(void **state)
{
	(void)state;
	struct postings p = { 0 };
	postings_add(&p, 0);
	postings_add(&p, 1);
	postings_add(&p, 40);      /* gap 38: two characters */
	struct buf b = BUF_INIT;
	postings_write(&b, &p);
	/* 0; then a gap of 0; then 38, low five bits first: 6 with 32 added
	 * (digit 38, 'c'), then 1. */
	assert_string_equal(b.data, "00c1");
	buf_release(&b);
	postings_free(&p);
}

static void
test_damaged_text_refused(void **state)
{
	(void)state;
	uint32_t *docs = NULL;
	size_t n = 0, cap = 0;
	assert_false(postings_decode("0\"1", 3, &docs, &n, &cap));
	n = 0;
	assert_false(postings_decode("zzzzzz", 6, &docs, &n, &cap));   /* unending gap */
	n = 0;
	assert_false(postings_decode("~0!", 3, &docs, &n, &cap));
	free(docs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gaps_text),
		cmocka_unit_test(test_lists_every_way_alike),
		cmocka_unit_test(test_damaged_text_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
