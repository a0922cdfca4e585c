/* test_match.c — unit tests for the glossary matcher (generator/match.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

struct hit {
	size_t start, end;
	int id;
};

struct hits {
	struct hit *h;
	size_t n, cap;
	size_t stop_after; /* return false from the callback at this many; 0 = never */
};

static bool
collect(void *ctx, size_t start, size_t end, int id)
{
	struct hits *hs = ctx;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? 2 * hs->cap : 16;
		hs->h = realloc(hs->h, hs->cap * sizeof *hs->h);
		assert_non_null(hs->h);
	}
	hs->h[hs->n++] = (struct hit){ start, end, id };
	return hs->stop_after == 0 || hs->n < hs->stop_after;
}

/* Terms get their index as id; NULL ends the list. */
static struct matcher *
build(const char *const *terms)
{
	struct matcher *m = matcher_new();
	for (int i = 0; terms[i] != NULL; i++)
		matcher_add(m, terms[i], strlen(terms[i]), i);
	matcher_compile(m);
	return m;
}

static struct hits
scan_n(const struct matcher *m, const char *text, size_t len)
{
	struct hits hs = { 0 };
	matcher_scan(m, text, len, collect, &hs);
	return hs;
}

static void
expect_n(const struct matcher *m, const char *text, size_t len,
         const struct hit *want, size_t nwant)
{
	struct hits hs = scan_n(m, text, len);
	assert_int_equal(hs.n, nwant);
	for (size_t i = 0; i < nwant; i++) {
		assert_int_equal(hs.h[i].start, want[i].start);
		assert_int_equal(hs.h[i].end, want[i].end);
		assert_int_equal(hs.h[i].id, want[i].id);
	}
	free(hs.h);
}

#define EXPECT(m, text, ...)                                                  \
	do {                                                                  \
		const struct hit want_[] = { { 0, 0, -1 }, __VA_ARGS__ };     \
		expect_n((m), (text), strlen(text), want_ + 1,                \
		         sizeof want_ / sizeof want_[0] - 1);                 \
	} while (0)
#define EXPECT_NONE(m, text) expect_n((m), (text), strlen(text), NULL, 0)

static void
test_overlaps(void **state)
{
	(void)state;
	const char *terms[] = { "出海", "反向出海", "海外", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "反向出海到海外", { 0, 12, 1 }, { 15, 21, 2 });
	EXPECT(m, "出海外", { 0, 6, 0 });   /* leftmost wins over longer */
	EXPECT(m, "向出海外", { 3, 9, 0 });
	EXPECT(m, "出出海海外", { 3, 9, 0 }, { 9, 15, 2 });
	matcher_free(m);
}

static void
test_longest(void **state)
{
	(void)state;
	const char *terms[] = { "人工", "人工智能体", "人工智能", "智能", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "人工智能体验", { 0, 15, 1 });
	EXPECT(m, "人工智能", { 0, 12, 2 });
	EXPECT(m, "人工智", { 0, 6, 0 });
	EXPECT(m, "工智能", { 3, 9, 3 });
	matcher_free(m);
}

static void
test_leftmost(void **state)
{
	(void)state;
	/* The long term starts later; the short one earlier must win. */
	const char *terms[] = { "ab中", "b中文字", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "-ab中文字", { 1, 6, 0 });
	EXPECT_NONE(m, "xab中文字"); /* neither starts at a word boundary */
	matcher_free(m);
	const char *terms2[] = { "中文", "文字游戏", NULL };
	m = build(terms2);
	EXPECT(m, "中文字游戏", { 0, 6, 0 });
	EXPECT(m, "文字游戏中文", { 0, 12, 1 }, { 12, 18, 0 });
	matcher_free(m);
}

static void
test_kol_boundaries(void **state)
{
	(void)state;
	const char *terms[] = { "KOL", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "找KOL带货", { 3, 6, 0 });
	EXPECT(m, "KOL, fans", { 0, 3, 0 });
	EXPECT(m, "KOL", { 0, 3, 0 });
	EXPECT(m, "(KOL)", { 1, 4, 0 });
	EXPECT(m, "KOL KOL", { 0, 3, 0 }, { 4, 7, 0 });
	EXPECT_NONE(m, "KOLs");
	EXPECT_NONE(m, "aKOL");
	EXPECT_NONE(m, "KOLKOL");
	EXPECT_NONE(m, "1KOL");
	EXPECT_NONE(m, "kol"); /* case-sensitive */
	EXPECT(m, "KOLs KOL", { 5, 8, 0 });
	matcher_free(m);
}

static void
test_app_store(void **state)
{
	(void)state;
	const char *terms[] = { "App Store", "App", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "the App Store.", { 4, 13, 0 });
	EXPECT(m, "上架App Store了", { 6, 15, 0 });
	/* Longest fails its end boundary: the shorter valid one is used. */
	EXPECT(m, "App Storefront", { 0, 3, 1 });
	EXPECT_NONE(m, "AppStore");
	EXPECT_NONE(m, "Apps Store");
	EXPECT(m, "App  Store", { 0, 3, 1 });
	matcher_free(m);
}

static void
test_digits(void **state)
{
	(void)state;
	const char *terms[] = { "5G", "iPhone 15", "3D打印", "618", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "5G手机", { 0, 2, 0 });
	EXPECT_NONE(m, "15G");
	EXPECT_NONE(m, "5GB");
	EXPECT(m, "iPhone 15 Pro", { 0, 9, 1 });
	EXPECT_NONE(m, "iPhone 150");
	EXPECT_NONE(m, "xiPhone 15");
	EXPECT(m, "做3D打印机", { 3, 11, 2 });
	EXPECT_NONE(m, "a3D打印");
	EXPECT(m, "3D打印a", { 0, 8, 2 }); /* ends in CJK: no end boundary needed */
	EXPECT(m, "618大促", { 0, 3, 3 });
	EXPECT_NONE(m, "6180");
	matcher_free(m);
}

static void
test_mixed(void **state)
{
	(void)state;
	const char *terms[] = { "SEO优化", "SEO", "优化", "TikTok店", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "做SEO优化和SEO", { 3, 12, 0 }, { 15, 18, 1 });
	EXPECT(m, "SEOs优化", { 4, 10, 2 });
	EXPECT(m, "开TikTok店铺", { 3, 12, 3 });
	EXPECT_NONE(m, "aTikTok店");
	EXPECT(m, "xSEO优化", { 4, 10, 2 });
	matcher_free(m);
}

static void
test_utf8_edges(void **state)
{
	(void)state;
	const char *terms[] = { "出海", "😀", "𠀀𠀁", "外", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "出海", { 0, 6, 0 });
	EXPECT(m, "出海出海", { 0, 6, 0 }, { 6, 12, 0 });
	EXPECT(m, "去出海", { 3, 9, 0 });
	EXPECT_NONE(m, "出");
	EXPECT_NONE(m, "出\xe6"); /* text ends inside the term's second char */
	EXPECT(m, "😀😀", { 0, 4, 1 }, { 4, 8, 1 });
	EXPECT(m, "a𠀀𠀁b", { 1, 9, 2 });
	EXPECT(m, "𠀀𠀀𠀁外", { 4, 12, 2 }, { 12, 15, 3 });
	matcher_free(m);
}

static void
test_empty_input(void **state)
{
	(void)state;
	const char *terms[] = { "出海", NULL };
	struct matcher *m = build(terms);
	expect_n(m, NULL, 0, NULL, 0);
	expect_n(m, "出海", 0, NULL, 0);
	matcher_free(m);

	const char *none[] = { NULL };
	m = build(none);
	EXPECT_NONE(m, "anything 出海");
	matcher_free(m);
	matcher_free(NULL);
}

static void
test_empty_term_ignored(void **state)
{
	(void)state;
	struct matcher *m = matcher_new();
	matcher_add(m, "", 0, 7);
	matcher_add(m, NULL, 0, 8);
	matcher_add(m, "海", 3, 9);
	matcher_compile(m);
	matcher_compile(m); /* idempotent */
	EXPECT(m, "a海b", { 1, 4, 9 });
	matcher_free(m);
}

static void
test_duplicate_keeps_first(void **state)
{
	(void)state;
	struct matcher *m = matcher_new();
	matcher_add(m, "KOL", 3, 5);
	matcher_add(m, "出海", 6, 1);
	matcher_add(m, "KOL", 3, 2);
	matcher_add(m, "出海", 6, 0);
	matcher_add(m, "出海xyz", 6, 3); /* same bytes after truncation */
	matcher_compile(m);
	EXPECT(m, "KOL出海", { 0, 3, 5 }, { 3, 9, 1 });
	matcher_free(m);
}

static void
test_stop_early(void **state)
{
	(void)state;
	const char *terms[] = { "中", NULL };
	struct matcher *m = build(terms);
	struct hits hs = { .stop_after = 1 };
	matcher_scan(m, "中中中", 9, collect, &hs);
	assert_int_equal(hs.n, 1);
	hs.n = 0;
	hs.stop_after = 2;
	matcher_scan(m, "中中中", 9, collect, &hs);
	assert_int_equal(hs.n, 2);
	assert_int_equal(hs.h[1].start, 3);

	/* Stopping must also hold across scan blocks. */
	size_t len = 3 * 3000;
	char *text = malloc(len);
	assert_non_null(text);
	for (size_t i = 0; i < len; i += 3)
		memcpy(text + i, "中", 3);
	hs.n = 0;
	hs.stop_after = 1500;
	matcher_scan(m, text, len, collect, &hs);
	assert_int_equal(hs.n, 1500);
	hs.n = 0;
	hs.stop_after = 0;
	matcher_scan(m, text, len, collect, &hs);
	assert_int_equal(hs.n, 3000);
	free(text);
	free(hs.h);
	matcher_free(m);
}

static void
test_invalid_utf8_and_nul(void **state)
{
	(void)state;
	struct matcher *m = matcher_new();
	matcher_add(m, "KOL", 3, 0);
	matcher_add(m, "a\0b", 3, 1);
	matcher_add(m, "\xe5\x87", 2, 2); /* first two bytes of 出 */
	matcher_add(m, "\xff\xfe", 2, 3);
	matcher_compile(m);
	static const char text[] = "\xff\x00KOL\x00\xe4 a\0b \xe5\x87\xba\xff\xfe\xff";
	const struct hit want[] = {
		{ 2, 5, 0 }, { 8, 11, 1 }, { 12, 14, 2 }, { 15, 17, 3 },
	};
	expect_n(m, text, sizeof text - 1, want, 4);
	/* Lone continuation bytes and truncated sequences only. */
	static const char junk[] = "\x80\x80\xbf\xe5\xe5\x87";
	const struct hit want2[] = { { 4, 6, 2 } };
	expect_n(m, junk, sizeof junk - 1, want2, 1);
	matcher_free(m);
}

/* Terms a, aa, …, 200 a's over long runs: every position has 200
 * candidates, which must not cost 200 steps each. */
static void
test_adversarial(void **state)
{
	(void)state;
	char term[601];
	struct matcher *m = matcher_new();
	memset(term, 'a', 200);
	for (int k = 1; k <= 200; k++)
		matcher_add(m, term, (size_t)k, k);
	for (int k = 1; k <= 200; k++) {
		for (int i = 0; i < k; i++)
			memcpy(term + 3 * i, "啊", 3);
		matcher_add(m, term, 3 * (size_t)k, 1000 + k);
	}
	/* One short term plus one that almost matches everywhere. */
	for (int i = 0; i < 199; i++)
		memcpy(term + 3 * i, "嗯", 3);
	memcpy(term + 3 * 199, "哦", 3);
	matcher_add(m, term, 600, 2000);
	matcher_add(m, "嗯", 3, 2001);
	matcher_compile(m);

	size_t len = 1 << 20;
	char *text = malloc(len);
	assert_non_null(text);
	memset(text, 'a', len);
	struct hits hs = scan_n(m, text, len);
	assert_int_equal(hs.n, 0); /* no word boundary inside a run */
	free(hs.h);

	for (size_t i = 0; i < len; i++)
		text[i] = i % 151 == 150 ? ' ' : 'a';
	hs = scan_n(m, text, len);
	assert_int_equal(hs.n, len / 151 + 1);
	assert_int_equal(hs.h[0].end, 150);
	assert_int_equal(hs.h[0].id, 150);
	free(hs.h);

	size_t clen = len / 3 * 3;
	for (size_t i = 0; i < clen; i += 3)
		memcpy(text + i, "啊", 3);
	hs = scan_n(m, text, clen);
	assert_int_equal(hs.n, (clen / 3 + 199) / 200);
	assert_int_equal(hs.h[0].id, 1200);
	free(hs.h);

	for (size_t i = 0; i < clen; i += 3)
		memcpy(text + i, "嗯", 3);
	hs = scan_n(m, text, clen);
	assert_int_equal(hs.n, clen / 3);
	assert_int_equal(hs.h[hs.n - 1].id, 2001);
	free(hs.h);
	free(text);
	matcher_free(m);
}

/* Reference: at each position try every term, keep the longest valid one
 * (the first added among equals), jump past it. Quadratic but obvious. */
struct term {
	const char *s;
	size_t len;
};

static bool
alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool
valid_at(const char *text, size_t len, size_t s, const struct term *t)
{
	const unsigned char *u = (const unsigned char *)text;
	if (t->len == 0 || t->len > len - s || memcmp(text + s, t->s, t->len))
		return false;
	size_t e = s + t->len;
	if (alnum(u[s]) && s > 0 && alnum(u[s - 1]))
		return false;
	if (alnum(u[e - 1]) && e < len && alnum(u[e]))
		return false;
	return true;
}

static struct hits
naive_scan(const struct term *terms, size_t nterms, const char *text,
           size_t len)
{
	struct hits hs = { 0 };
	size_t i = 0;
	while (i < len) {
		size_t best = nterms;
		for (size_t j = 0; j < nterms; j++) {
			if (terms[j].s[0] != text[i] || !valid_at(text, len, i, &terms[j]))
				continue;
			if (best == nterms || terms[j].len > terms[best].len)
				best = j;
		}
		if (best == nterms) {
			i++;
			continue;
		}
		collect(&hs, i, i + terms[best].len, (int)best);
		i += terms[best].len;
	}
	return hs;
}

static uint32_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift32: deterministic across libcs, unlike rand(). */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

struct unit {
	const char *s;
	size_t len;
};

static size_t
random_string(char *out, const struct unit *units, size_t nunits,
              size_t count)
{
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		const struct unit *u = &units[rng() % nunits];
		memcpy(out + n, u->s, u->len);
		n += u->len;
	}
	return n;
}

/* Returns the longest match length, so callers can check what was hit. */
static size_t
compare_with_naive(const struct unit *units, size_t nunits, size_t nterms,
                   size_t max_units, size_t text_pieces, uint32_t seed)
{
	size_t unit_max = 0;
	for (size_t i = 0; i < nunits; i++)
		unit_max = units[i].len > unit_max ? units[i].len : unit_max;
	rng_state = seed;
	struct term *terms = calloc(nterms, sizeof *terms);
	char *store = malloc(nterms * max_units * unit_max);
	assert_true(terms && store);
	struct matcher *m = matcher_new();
	size_t used = 0;
	for (size_t j = 0; j < nterms; j++) {
		size_t n = random_string(store + used, units, nunits,
		                         1 + rng() % max_units);
		terms[j] = (struct term){ store + used, n };
		matcher_add(m, store + used, n, (int)j);
		used += n;
	}
	matcher_compile(m);
	/* Half the pieces are whole terms, so long and nested matches occur. */
	char *text = malloc(text_pieces * max_units * unit_max);
	assert_non_null(text);
	size_t len = 0;
	for (size_t i = 0; i < text_pieces; i++) {
		if (rng() % 2) {
			len += random_string(text + len, units, nunits, 1);
			continue;
		}
		const struct term *t = &terms[rng() % nterms];
		memcpy(text + len, t->s, t->len);
		len += t->len;
	}

	struct hits got = scan_n(m, text, len);
	struct hits want = naive_scan(terms, nterms, text, len);
	assert_true(want.n > 0);
	assert_int_equal(got.n, want.n);
	size_t longest = 0;
	for (size_t i = 0; i < want.n; i++) {
		assert_int_equal(got.h[i].start, want.h[i].start);
		assert_int_equal(got.h[i].end, want.h[i].end);
		assert_int_equal(got.h[i].id, want.h[i].id);
		if (want.h[i].end - want.h[i].start > longest)
			longest = want.h[i].end - want.h[i].start;
	}
	free(got.h);
	free(want.h);
	free(text);
	free(store);
	free(terms);
	matcher_free(m);
	return longest;
}

static const struct unit mixed_units[] = {
	{ "中", 3 }, { "文", 3 }, { "海", 3 }, { "外", 3 }, { "a", 1 },
	{ "b", 1 },  { "K", 1 },  { " ", 1 },  { "1", 1 },  { "😀", 4 },
	{ ",", 1 },  { "\xff", 1 }, { "\0", 1 },
};

static void
test_random_5000(void **state)
{
	(void)state;
	compare_with_naive(mixed_units, sizeof mixed_units / sizeof *mixed_units,
	                   5000, 6, 3000, 12345);
}

static void
test_random_bytes(void **state)
{
	(void)state;
	/* Partial UTF-8 units make terms start and end mid-character. */
	static const struct unit bytes[] = {
		{ "a", 1 }, { "B", 1 }, { "7", 1 }, { " ", 1 },
		{ "\xe4", 1 }, { "\xb8", 1 }, { "\0", 1 },
	};
	compare_with_naive(bytes, sizeof bytes / sizeof *bytes, 3000, 8, 6000, 777);
}

static void
test_random_long_terms(void **state)
{
	(void)state;
	/* Terms over 256 bytes switch scanning to larger, heap blocks. */
	static const struct unit units[] = {
		{ "中文", 6 }, { "中文", 6 }, { "中文", 6 }, { "中文", 6 },
		{ "中文", 6 }, { "中文", 6 }, { "中文", 6 }, { "中文", 6 },
		{ "中文", 6 }, { "中文", 6 }, { "中文", 6 }, { "中文", 6 },
		{ "中文", 6 }, { "中文", 6 }, { "x", 1 }, { " ", 1 },
	};
	size_t longest = compare_with_naive(units, sizeof units / sizeof *units,
	                                    300, 80, 600, 99);
	assert_true(longest > 256);
}

static void
test_random_sparse(void **state)
{
	(void)state;
	/* Every byte value is its own class, so table rows are wide and most
	 * of the many states get none: scanning goes through the sparse
	 * states and their failure chains, across block seams. */
	struct unit units[256];
	static char bytes[256];
	for (int i = 0; i < 256; i++) {
		bytes[i] = (char)i;
		units[i] = (struct unit){ &bytes[i], 1 };
	}
	compare_with_naive(units, 256, 4000, 10, 4000, 4242);
	/* Long terms: deep chains of sparse states. */
	compare_with_naive(units, 256, 2000, 40, 3000, 99);
}

/* Sparse states that are leaves (no edges of their own) must fall back
 * to their failure state, not read another state's edges. The 128 × 128
 * two-byte terms fill the table rows, so the later leaves, such as
 * "\xff\xff", are sparse; the two terms ending in "\x04\x04\x04" make
 * a deeper sparse state with two edges, the second one on 0x06. */
static void
test_sparse_leaves(void **state)
{
	(void)state;
	struct matcher *m = matcher_new();
	char pair[2];
	for (int a = 0x80; a <= 0xff; a++) {
		for (int b = 0x80; b <= 0xff; b++) {
			pair[0] = (char)a;
			pair[1] = (char)b;
			matcher_add(m, pair, 2, (a - 0x80) * 128 + (b - 0x80));
		}
	}
	matcher_add(m, "\x05\x04\x04\x04", 4, 19995);
	matcher_add(m, "\x06\x04\x04\x04", 4, 19994);
	matcher_compile(m);
	EXPECT(m, "\x06\xff\xff", { 1, 3, 16383 });
	EXPECT(m, "\x05\xff\xff\x06", { 1, 3, 16383 });
	EXPECT(m, "\x06\x04\x04\x04\xff\xff", { 0, 4, 19994 }, { 4, 6, 16383 });
	EXPECT(m, "\xff\xff\x05\x04\x04\x04", { 0, 2, 16383 }, { 2, 6, 19995 });
	EXPECT(m, "\x06\x04\x04\xff\x80\x04", { 3, 5, 16256 });
	matcher_free(m);
}

/* Terms that start or end with alnum on one side only, next to the text
 * ends and to CJK, and terms that are all punctuation. */
static void
test_boundary_sides(void **state)
{
	(void)state;
	const char *terms[] = { "#1", "1#", "出a", "b出", "--", "-", "a", NULL };
	struct matcher *m = build(terms);
	EXPECT(m, "x#1", { 1, 3, 0 });   /* no boundary needed before '#' */
	EXPECT_NONE(m, "#12");           /* but one after '1' */
	EXPECT(m, "#1-", { 0, 2, 0 }, { 2, 3, 5 });
	EXPECT(m, "1#x", { 0, 2, 1 });
	EXPECT_NONE(m, "21#");
	EXPECT(m, "出a", { 0, 4, 2 });
	EXPECT_NONE(m, "出ab");
	EXPECT(m, "b出", { 0, 4, 3 });
	EXPECT(m, "出b出", { 3, 7, 3 });
	EXPECT(m, "ab出a", { 2, 6, 2 }); /* "ab" is one word: no "a", no "b出" */
	EXPECT(m, "---", { 0, 2, 4 }, { 2, 3, 5 });
	EXPECT(m, "a-a", { 0, 1, 6 }, { 1, 2, 5 }, { 2, 3, 6 });
	EXPECT(m, "中a中", { 3, 4, 6 });
	EXPECT_NONE(m, "aa");
	matcher_free(m);
}

struct thread_job {
	const struct matcher *m;
	const char *text;
	size_t len;
	size_t nwant;
	int ok;
};

/* pthreads, not C11 threads: sanitizers intercept only pthread_create. */
static void *
scan_thread(void *arg)
{
	struct thread_job *job = arg;
	job->ok = 1;
	for (int round = 0; round < 20; round++) {
		struct hits hs = { 0 };
		matcher_scan(job->m, job->text, job->len, collect, &hs);
		if (hs.n != job->nwant)
			job->ok = 0;
		free(hs.h);
	}
	return NULL;
}

static void
test_concurrent_scans(void **state)
{
	(void)state;
	const char *terms[] = { "出海", "反向出海", "海外", "KOL", NULL };
	struct matcher *m = build(terms);
	static const char unit[] = "反向出海到海外找KOL，KOLs出海外";
	size_t ulen = sizeof unit - 1, reps = 500;
	char *text = malloc(ulen * reps);
	assert_non_null(text);
	for (size_t i = 0; i < reps; i++)
		memcpy(text + i * ulen, unit, ulen);
	struct thread_job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){ m, text, ulen * reps, 4 * reps, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, scan_thread, &jobs[i]),
		                 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_true(jobs[i].ok);
	}
	free(text);
	matcher_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_leftmost),
		cmocka_unit_test(test_kol_boundaries),
		cmocka_unit_test(test_app_store),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_utf8_edges),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_empty_term_ignored),
		cmocka_unit_test(test_duplicate_keeps_first),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_adversarial),
		cmocka_unit_test(test_random_5000),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_random_long_terms),
		cmocka_unit_test(test_random_sparse),
		cmocka_unit_test(test_sparse_leaves),
		cmocka_unit_test(test_boundary_sides),
		cmocka_unit_test(test_concurrent_scans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
