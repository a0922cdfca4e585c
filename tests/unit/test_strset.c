/* test_strset.c — unit tests for the string set (generator/strset.c):
 * every string added is found with its value through many growths, a
 * second add is refused, put overwrites, moving a set by value keeps it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "strset.h"

enum { N = 50000 };

static void
name(char *out, size_t cap, int i)
{
	snprintf(out, cap, "zh/articles/article-%d/index.html", i);
}

static void
test_add_find_and_values(void **state)
{
	(void)state;
	struct strset s;
	strset_init(&s);
	char key[64];
	for (int i = 0; i < N; i++) {
		name(key, sizeof(key), i);
		if (i % 2)
			assert_true(strset_add(&s, key));
		else
			strset_put(&s, key, i);
	}
	assert_int_equal(s.len, N);
	for (int i = 0; i < N; i++) {
		name(key, sizeof(key), i);
		assert_true(strset_has(&s, key));
		assert_int_equal(strset_value(&s, key), i % 2 ? 0 : i);
		assert_false(strset_add(&s, key));
	}
	assert_false(strset_has(&s, "zh/articles/article-50000/index.html"));
	assert_int_equal(strset_value(&s, "nope"), -1);
	strset_put(&s, "zh/articles/article-1/index.html", 77);
	assert_int_equal(strset_value(&s, "zh/articles/article-1/index.html"), 77);
	assert_int_equal(s.len, N);
	/* the empty string is a string like any */
	assert_true(strset_add(&s, ""));
	assert_true(strset_has(&s, ""));
	/* iteration sees every string once */
	size_t seen = 0;
	for (size_t i = 0; i < s.cap; i++)
		seen += s.slots[i] != NULL;
	assert_int_equal(seen, N + 1);
	/* moved by value, the set is the same */
	struct strset moved = s;
	strset_init(&s);
	assert_true(strset_has(&moved, "zh/articles/article-4242/index.html"));
	assert_false(strset_has(&s, "zh/articles/article-4242/index.html"));
	strset_free(&moved);
	strset_free(&s);
}

static void
test_empty_set(void **state)
{
	(void)state;
	struct strset s;
	strset_init(&s);
	assert_false(strset_has(&s, "a"));
	assert_int_equal(strset_value(&s, "a"), -1);
	strset_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_and_values),
		cmocka_unit_test(test_empty_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
