/* test_utf8.c — unit tests for code point classes (generator/utf8.c,
 * utf8.h): is_han3, which classifies a three-byte sequence from its
 * first two bytes, agrees with is_han on every code point it can see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "utf8.h"

static void
test_is_han3_matches_is_han(void **state)
{
	(void)state;
	size_t han = 0;
	for (uint32_t cp = 0x800; cp <= 0xFFFF; cp++) {
		unsigned b0 = 0xE0 | (cp >> 12), b1 = 0x80 | ((cp >> 6) & 0x3F);
		if (is_han3(b0, b1) != is_han(cp))
			fail_msg("U+%04X: is_han3 %d, is_han %d", (unsigned)cp,
			    is_han3(b0, b1), is_han(cp));
		han += is_han(cp);
	}
	/* Extension A, the unified block and the compatibility block */
	assert_int_equal(han, (0x4DC0 - 0x3400) + (0xA000 - 0x4E00) + (0xFB00 - 0xF900));
}

static void
test_is_han3_edges(void **state)
{
	(void)state;
	assert_true(is_han3(0xE4, 0xB8));    /* 一 U+4E00 */
	assert_true(is_han3(0xE9, 0xBF));    /* U+9FC0.. */
	assert_true(is_han3(0xE3, 0x90));    /* U+3400 */
	assert_false(is_han3(0xE3, 0x80));   /* 、 U+3001 */
	assert_false(is_han3(0xE4, 0xB7));   /* ䷀ U+4DC0 (hexagram) */
	assert_true(is_han3(0xE4, 0xB6));    /* U+4D80.. */
	assert_true(is_han3(0xEF, 0xA4));    /* U+F900 */
	assert_false(is_han3(0xEF, 0xAC));   /* U+FB00 */
	assert_false(is_han3(0xEF, 0xBC));   /* ， U+FF0C */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_han3_matches_is_han),
		cmocka_unit_test(test_is_han3_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
