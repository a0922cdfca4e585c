/* test_record.c — unit tests for the state's one record format
 * (generator/record.c): every kind of field reads back as written, and a
 * field that is missing, malformed or out of bounds fails the record
 * without reading outside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "record.h"

static void
test_fields_round_trip(void **unused)
{
	(void)unused;
	struct buf b = BUF_INIT;
	rec_put_text(&b, "tab\there, line\nthere, back\\slash, 中文");
	rec_put_maybe(&b, NULL);
	rec_put_maybe(&b, "");
	rec_put_maybe(&b, "=x");
	rec_put_num(&b, 0);
	rec_put_num(&b, UINT64_MAX);
	rec_put_hex(&b, 0x0123456789abcdefULL);
	rec_put_letter(&b, 'q');
	rec_put_text(&b, "");
	rec_end(&b);
	/* one line, the last tab its newline */
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_null(memchr(b.data, '\n', b.len - 1));
	assert_int_equal(b.data[b.len - 2], '\t');   /* the empty last text */
	struct arena a;
	arena_init(&a);
	struct rec r;
	rec_open(&r, b.data, b.len - 1, &a);
	size_t len;
	assert_string_equal(rec_get_text(&r, &len),
	    "tab\there, line\nthere, back\\slash, 中文");
	assert_int_equal(len, strlen("tab\there, line\nthere, back\\slash, 中文"));
	assert_null(rec_get_maybe(&r));
	assert_string_equal(rec_get_maybe(&r), "");
	assert_string_equal(rec_get_maybe(&r), "=x");
	assert_int_equal(rec_get_num(&r, 0), 0);
	assert_true(rec_get_num(&r, UINT64_MAX) == UINT64_MAX);
	assert_true(rec_get_hex(&r) == 0x0123456789abcdefULL);
	assert_int_equal(rec_get_letter(&r), 'q');
	assert_true(rec_more(&r));
	assert_string_equal(rec_get_text(&r, NULL), "");
	assert_false(rec_more(&r));
	assert_true(rec_done(&r));
	/* one field more than there is fails the record */
	assert_string_equal(rec_get_text(&r, NULL), "");
	assert_false(r.ok);
	assert_false(rec_done(&r));
	buf_release(&b);
	arena_free(&a);
}

static void
test_empty_record(void **unused)
{
	(void)unused;
	struct buf b = BUF_INIT;
	rec_put_num(&b, 7);
	rec_end(&b);
	rec_end(&b);   /* a record of no fields: an empty line */
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "7\n\n", 3);
	buf_release(&b);
	const char *p = "a\n\nb", *end = p + 4, *line;
	size_t len;
	assert_true(rec_next_line(&p, end, &line, &len));
	assert_int_equal(len, 1);
	assert_true(rec_next_line(&p, end, &line, &len));
	assert_int_equal(len, 0);
	assert_true(rec_next_line(&p, end, &line, &len));
	assert_int_equal(len, 1);
	assert_true(p == end);
	assert_false(rec_next_line(&p, end, &line, &len));
}

/* Reads `text` as one record of one number up to `max`: whether it read. */
static bool
reads(const char *text, unsigned long long max)
{
	struct rec r;
	/* its own allocation, so a read past it is ASan's to see */
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	rec_open(&r, copy, len, NULL);
	(void)rec_get_num(&r, max);
	bool ok = rec_done(&r);
	free(copy);
	return ok;
}

static void
test_numbers_are_bounded(void **unused)
{
	(void)unused;
	assert_true(reads("42", 42));
	assert_false(reads("43", 42));
	assert_false(reads("5", 2));      /* a digit above the bound */
	assert_false(reads("", 9));
	assert_false(reads("-1", 9));
	assert_false(reads("1a", 99));
	assert_false(reads("1 ", 99));
	assert_true(reads("18446744073709551615", UINT64_MAX));
	assert_false(reads("18446744073709551616", UINT64_MAX));
	assert_false(reads("000000000000000000001", UINT64_MAX));   /* 21 digits */
	assert_false(reads("42\t", 99));  /* a field left over */
	struct rec r;
	rec_open(&r, "fffffffffffffffff", 17, NULL);   /* 17 hex digits */
	(void)rec_get_hex(&r);
	assert_false(r.ok);
}

static void
test_counts_are_bounded_by_what_is_left(void **unused)
{
	(void)unused;
	/* "3" then three items of at least 2 bytes: 6 bytes left; a count
	 * of 1000 cannot ask for 1000 items. */
	struct rec r;
	rec_open(&r, "3\ta\tb\tc", 7, NULL);
	assert_int_equal(rec_get_count(&r, 2), 3);
	assert_true(r.ok);
	rec_open(&r, "1000\ta\tb\tc", 10, NULL);
	(void)rec_get_count(&r, 2);
	assert_false(r.ok);
}

static void
test_bad_text_fails(void **unused)
{
	(void)unused;
	struct arena a;
	arena_init(&a);
	static const char *const bad[] = { "\\x00", "\\x4", "\\q", "\\", "\\xZZ" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct rec r;
		rec_open(&r, bad[i], strlen(bad[i]), &a);
		(void)rec_get_text(&r, NULL);
		assert_false(r.ok);
	}
	/* a raw NUL inside a field */
	struct rec r;
	rec_open(&r, "a\0b", 3, &a);
	(void)rec_get_text(&r, NULL);
	assert_false(r.ok);
	/* a maybe without its "=" */
	rec_open(&r, "x", 1, &a);
	assert_null(rec_get_maybe(&r));
	assert_false(r.ok);
	/* a letter of two bytes */
	rec_open(&r, "ab", 2, &a);
	assert_int_equal(rec_get_letter(&r), 0);
	assert_false(r.ok);
	struct buf b = BUF_INIT;
	rec_open(&r, "\\x09ok", 6, NULL);
	assert_true(rec_get_text_into(&r, &b));
	assert_string_equal(b.data, "\tok");
	buf_release(&b);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_round_trip),
		cmocka_unit_test(test_empty_record),
		cmocka_unit_test(test_numbers_are_bounded),
		cmocka_unit_test(test_counts_are_bounded_by_what_is_left),
		cmocka_unit_test(test_bad_text_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
