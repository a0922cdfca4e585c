/* test_arena.c — unit tests for the bump allocator (generator/arena.c):
 * what is allocated reads back intact however the arena grows, blocks
 * grow with the arena, big blocks are whole aligned huge pages, reset
 * keeps one block for reuse, and adopt hands blocks to another arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"

/* Many small strings, each checked after all are made: no allocation
 * overlaps another, across blocks from 64 KiB to several MiB. */
static void
test_many_allocations_stay_intact(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	enum { N = 200000 };
	char **s = calloc(N, sizeof(*s));
	assert_non_null(s);
	for (size_t i = 0; i < N; i++)
		s[i] = arena_number(&a, (long)i * 7919);
	for (size_t i = 0; i < N; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%ld", (long)i * 7919);
		assert_string_equal(s[i], want);
	}
	/* 200,000 numbers of ~8 bytes, 16-byte aligned: a few MB */
	assert_true(a.grown >= (size_t)N * 16);
	free(s);
	arena_free(&a);
	assert_int_equal(a.grown, 0);
}

/* The zeroed allocation is zero, and aligned for any type. */
static void
test_alloc_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t size = 1; size < 100000; size = size * 3 + 1) {
		unsigned char *p = arena_alloc(&a, size);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, size);
	}
	arena_free(&a);
}

/* Blocks grow with the arena: after some megabytes a block is whole huge
 * pages, and a request bigger than any block gets its own. */
static void
test_blocks_grow_to_huge_pages(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	size_t blocks = 0, last = 0;
	while (a.grown < (size_t)32 << 20) {
		size_t before = a.grown;
		(void)arena_alloc_uninit(&a, 1000);
		if (a.grown != before) {
			blocks++;
			last = a.grown - before;
		}
	}
	/* growing, not 512 blocks of 64 KiB */
	assert_true(blocks < 30);
	/* whole huge pages, but for the block's small header */
	assert_true(last >= HUGE_PAGE_SIZE &&
	    last % HUGE_PAGE_SIZE > HUGE_PAGE_SIZE - 256);
	size_t before = a.grown;
	char *big = arena_alloc_uninit(&a, (size_t)9 << 20);
	memset(big, 1, (size_t)9 << 20);
	assert_true(a.grown - before >= ((size_t)9 << 20));
	arena_free(&a);
}

static void
test_huge_allocation_rounds_and_aligns(void **state)
{
	(void)state;
	size_t size = HUGE_PAGE_SIZE + 1;
	unsigned char *p = xmalloc_huge(&size);
	assert_int_equal(size, 2 * HUGE_PAGE_SIZE);
	assert_int_equal((uintptr_t)p % HUGE_PAGE_SIZE, 0);
	p[0] = 1;
	p[size - 1] = 2;
	free(p);
}

/* Reset keeps the newest block: the next page's scratch reuses it. */
static void
test_reset_keeps_one_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int i = 0; i < 1000; i++)
		(void)arena_alloc(&a, 500);
	arena_reset(&a);
	size_t kept = a.grown;
	assert_true(kept > 0);
	char *p = arena_strdup(&a, "again");
	assert_string_equal(p, "again");
	assert_int_equal(a.grown, kept);
	arena_free(&a);
}

/* Adopted blocks stay valid and count in their new owner. */
static void
test_adopt_moves_blocks(void **state)
{
	(void)state;
	struct arena dst, src;
	arena_init(&dst);
	arena_init(&src);
	char *d = arena_strdup(&dst, "kept");
	char *s = arena_strdup(&src, "moved");
	size_t total = dst.grown + src.grown;
	arena_adopt(&dst, &src);
	assert_int_equal(src.grown, 0);
	assert_int_equal(dst.grown, total);
	assert_string_equal(d, "kept");
	assert_string_equal(s, "moved");
	assert_string_equal(arena_strdup(&dst, "more"), "more");
	arena_free(&src);
	arena_free(&dst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_allocations_stay_intact),
		cmocka_unit_test(test_alloc_zeroed_and_aligned),
		cmocka_unit_test(test_blocks_grow_to_huge_pages),
		cmocka_unit_test(test_huge_allocation_rounds_and_aligns),
		cmocka_unit_test(test_reset_keeps_one_block),
		cmocka_unit_test(test_adopt_moves_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
