/* test_site.c — unit tests for the model helpers (generator/site.c):
 * slugs, dates and look-ups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "site.h"

static bool
slug(const char *s)
{
	return slug_valid(s, strlen(s));
}

static void
test_slug_good(void **state)
{
	(void)state;
	assert_true(slug("a"));
	assert_true(slug("abc"));
	assert_true(slug("rednote-tops-us-app-store"));
	assert_true(slug("2024-report"));
	assert_true(slug("0"));
	assert_true(slug("a--b"));
	assert_true(slug("lemon8"));
}

static void
test_slug_bad(void **state)
{
	(void)state;
	assert_false(slug(""));
	assert_false(slug("ABC"));
	assert_false(slug("Abc"));
	assert_false(slug("abC"));
	assert_false(slug("a b"));
	assert_false(slug(" ab"));
	assert_false(slug("中文"));
	assert_false(slug("café"));
	assert_false(slug(".."));
	assert_false(slug("."));
	assert_false(slug("a.b"));
	assert_false(slug("a/b"));
	assert_false(slug("a_b"));
	assert_false(slug("-abc"));
	assert_false(slug("-"));
	assert_false(slug("a\tb"));
	assert_false(slug("a\nb"));
}

static void
test_slug_length_limit(void **state)
{
	(void)state;
	char s[202];
	memset(s, 'a', sizeof(s));
	assert_true(slug_valid(s, 200));
	assert_false(slug_valid(s, 201));
	assert_false(slug_valid(s, 202));
}

static void
test_slug_uses_len_only(void **state)
{
	(void)state;
	assert_true(slug_valid("first.zh.md", 5));
	assert_false(slug_valid("first.zh.md", 6));
	assert_false(slug_valid("abc", 0));
	/* an embedded NUL inside len is not a slug character */
	assert_false(slug_valid("ab\0cd", 5));
}

static void
expect_date(const char *s, int y, int m, int d)
{
	struct date out = { -1, -1, -1 };
	assert_true(date_parse(s, &out));
	assert_int_equal(out.year, y);
	assert_int_equal(out.month, m);
	assert_int_equal(out.day, d);
}

static void
expect_bad_date(const char *s)
{
	struct date out = { 7, 7, 7 };
	if (date_parse(s, &out))
		fail_msg("date_parse accepted '%s'", s);
	/* a failed parse leaves *out alone */
	assert_int_equal(out.year, 7);
	assert_int_equal(out.month, 7);
	assert_int_equal(out.day, 7);
}

static void
test_date_valid(void **state)
{
	(void)state;
	expect_date("2024-01-02", 2024, 1, 2);
	expect_date("2024-12-31", 2024, 12, 31);
	expect_date("1999-07-04", 1999, 7, 4);
	expect_date("1000-01-01", 1000, 1, 1);
	expect_date("9999-12-31", 9999, 12, 31);
	expect_date("2024-04-30", 2024, 4, 30);
	expect_date("2024-01-31", 2024, 1, 31);
}

static void
test_date_leap_years(void **state)
{
	(void)state;
	expect_date("2024-02-29", 2024, 2, 29);
	expect_bad_date("2023-02-29");
	expect_date("2023-02-28", 2023, 2, 28);
	expect_date("2000-02-29", 2000, 2, 29);   /* divisible by 400 */
	expect_bad_date("1900-02-29");            /* by 100, not 400 */
	expect_bad_date("2100-02-29");
	expect_bad_date("2024-02-30");
}

static void
test_date_out_of_range(void **state)
{
	(void)state;
	expect_bad_date("2024-04-31");
	expect_bad_date("2024-06-31");
	expect_bad_date("2024-09-31");
	expect_bad_date("2024-11-31");
	expect_bad_date("2024-01-32");
	expect_bad_date("2024-13-01");
	expect_bad_date("2024-00-10");
	expect_bad_date("2024-01-00");
	expect_bad_date("0999-12-31");
	expect_bad_date("0000-01-01");
}

static void
test_date_bad_formats(void **state)
{
	(void)state;
	expect_bad_date("");
	expect_bad_date("2024");
	expect_bad_date("2024-1-01");
	expect_bad_date("2024-01-1");
	expect_bad_date("24-01-01");
	expect_bad_date("2024/01/01");
	expect_bad_date("2024.01.01");
	expect_bad_date("20240101");
	expect_bad_date("2024-01-01T10:00");
	expect_bad_date("2024-01-01 ");
	expect_bad_date(" 2024-01-01");
	expect_bad_date("2024-0a-01");
	expect_bad_date("2024-01-0x");
	expect_bad_date("+024-01-01");
	expect_bad_date("-024-01-01");
	expect_bad_date("2024--1-01");
	expect_bad_date("２０２４-01-01");
	expect_bad_date("abcd-ef-gh");
	expect_bad_date("2024年1月1日");
}

static void
test_date_compare(void **state)
{
	(void)state;
	struct date a = { 2024, 3, 1 }, b = { 2024, 3, 1 };
	assert_int_equal(date_compare(&a, &b), 0);
	struct date y = { 2023, 12, 31 };
	assert_int_equal(date_compare(&y, &a), -1);
	assert_int_equal(date_compare(&a, &y), 1);
	struct date m = { 2024, 2, 29 };
	assert_int_equal(date_compare(&m, &a), -1);
	assert_int_equal(date_compare(&a, &m), 1);
	struct date d = { 2024, 3, 2 };
	assert_int_equal(date_compare(&a, &d), -1);
	assert_int_equal(date_compare(&d, &a), 1);
	struct date none = { 0, 0, 0 };
	assert_int_equal(date_compare(&none, &a), -1);
	assert_int_equal(date_compare(&none, &none), 0);
	/* the year decides before the month and day */
	struct date late_month = { 2023, 12, 31 }, early = { 2024, 1, 1 };
	assert_int_equal(date_compare(&late_month, &early), -1);
}

static void
test_tables(void **state)
{
	(void)state;
	assert_string_equal(lang_code[LANG_ZH], "zh");
	assert_string_equal(lang_code[LANG_EN], "en");
	assert_string_equal(lang_tag[LANG_ZH], "zh-Hans");
	assert_string_equal(lang_tag[LANG_EN], "en");
	assert_string_equal(kind_plural[KIND_COMPANY], "companies");
	assert_string_equal(kind_plural[KIND_APP], "apps");
	assert_string_equal(kind_plural[KIND_THEME], "themes");
	assert_string_equal(kind_singular[KIND_COMPANY], "company");
	assert_string_equal(kind_singular[KIND_APP], "app");
	assert_string_equal(kind_singular[KIND_THEME], "theme");
	assert_string_equal(status_name[STATUS_NONE], "");
	assert_string_equal(status_name[STATUS_ACTIVE], "active");
	assert_string_equal(status_name[STATUS_CLOSED], "closed");
	assert_string_equal(status_name[STATUS_SUSPENDED], "suspended");
}

static void
test_site_new_defaults(void **state)
{
	(void)state;
	struct site *s = site_new();
	assert_non_null(s);
	assert_int_equal(s->languages[0], LANG_ZH);
	assert_int_equal(s->languages[1], LANG_EN);
	assert_int_equal(s->per_page, 20);
	assert_null(s->base_url);
	assert_false(s->unsafe_html);
	assert_int_equal(s->n_articles, 0);
	assert_null(site_find_term(s, KIND_APP, "anything"));
	site_free(s);
	site_free(NULL);
}

/* A site that has not been linked has no by_slug array yet; looking an
 * article up must still just say "not found". */
static void
test_find_article_on_empty_site(void **state)
{
	(void)state;
	struct site *s = site_new();
	assert_null(site_find_article(s, "anything"));
	site_free(s);
}

static void
test_find_term_and_article(void **state)
{
	(void)state;
	struct site *s = site_new();
	static const char *const slugs[] = { "alpha", "beta", "delta", "gamma" };
	struct term *t = ARENA_ARRAY(&s->arena, struct term, 4);
	for (int i = 0; i < 4; i++) {
		t[i].kind = KIND_THEME;
		t[i].slug = slugs[i];
	}
	s->terms[KIND_THEME] = t;
	s->n_terms[KIND_THEME] = 4;
	for (int i = 0; i < 4; i++)
		assert_ptr_equal(site_find_term(s, KIND_THEME, slugs[i]), &t[i]);
	assert_null(site_find_term(s, KIND_THEME, "epsilon"));
	assert_null(site_find_term(s, KIND_THEME, "a"));
	assert_null(site_find_term(s, KIND_COMPANY, "alpha"));

	struct article *arts = ARENA_ARRAY(&s->arena, struct article, 3);
	struct article **by = ARENA_ARRAY(&s->arena, struct article *, 3);
	arts[0].slug = "a";
	arts[1].slug = "m";
	arts[2].slug = "z";
	for (int i = 0; i < 3; i++)
		by[i] = &arts[i];
	s->articles = by;
	s->by_slug = by;
	s->n_articles = 3;
	assert_ptr_equal(site_find_article(s, "a"), &arts[0]);
	assert_ptr_equal(site_find_article(s, "m"), &arts[1]);
	assert_ptr_equal(site_find_article(s, "z"), &arts[2]);
	assert_null(site_find_article(s, "b"));
	assert_null(site_find_article(s, ""));
	site_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slug_good),
		cmocka_unit_test(test_slug_bad),
		cmocka_unit_test(test_slug_length_limit),
		cmocka_unit_test(test_slug_uses_len_only),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_date_leap_years),
		cmocka_unit_test(test_date_out_of_range),
		cmocka_unit_test(test_date_bad_formats),
		cmocka_unit_test(test_date_compare),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_site_new_defaults),
		cmocka_unit_test(test_find_term_and_article),
		/* Last: it once aborted the binary under UBSan (bsearch on
		 * NULL). */
		cmocka_unit_test(test_find_article_on_empty_site),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
