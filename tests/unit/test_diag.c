/* test_diag.c — unit tests for diagnostics collection and printing
 * (generator/diag.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Everything diags_print writes, as one string (caller frees). */
static char *
print_all(struct diags *d, int *errors)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	int e = diags_print(d, f);
	if (errors != NULL)
		*errors = e;
	fclose(f);
	return text;
}

/* The same, in a static buffer, so that a failed comparison leaks
 * nothing under ASan. */
static const char *
printed(struct diags *d, int *errors)
{
	static char out[1 << 20];
	char *text = print_all(d, errors);
	snprintf(out, sizeof(out), "%s", text);
	free(text);
	return out;
}

/* Each test's diagnostics, freed by the fixture even when an assertion
 * fails. */
static int
setup(void **state)
{
	struct diags *d = malloc(sizeof(*d));
	if (d == NULL)
		return -1;
	diags_init(d);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	diags_free(*state);
	free(*state);
	return 0;
}

#define ASSERT_DIAGS(d, expected) assert_string_equal(printed((d), NULL), (expected))

static void
test_empty_prints_nothing(void **state)
{
	struct diags *d = *state;
	int errors = -1;
	const char *text = printed(d, &errors);
	assert_string_equal(text, "");
	assert_int_equal(errors, 0);
	assert_false(diags_failed(d));
	diags_free(d);
}

static void
test_single_error_with_position(void **state)
{
	struct diags *d = *state;
	struct pos at = { "content/site.yaml", 3, 8 };
	diag(d, &at, D_YAML_TYPE, "title", "a map with zh and en");
	int errors = -1;
	const char *text = printed(d, &errors);
	assert_string_equal(text,
	    "content/site.yaml:3:8: error: 'title' must be a map with zh and en\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_int_equal(errors, 1);
	assert_true(diags_failed(d));
	assert_int_equal(d->errors, 1);
	assert_int_equal(d->warnings, 0);
	diags_free(d);
}

static void
test_warning_only_does_not_fail(void **state)
{
	struct diags *d = *state;
	struct pos at = { "content/articles/a.zh.md", 4, 1 };
	diag(d, &at, D_YAML_UNKNOWN_KEY, "colour");
	int errors = -1;
	const char *text = printed(d, &errors);
	assert_string_equal(text,
	    "content/articles/a.zh.md:4:1: warning: unknown key 'colour' ignored\n"
	    "haichao: 0 errors, 1 warning\n");
	assert_int_equal(errors, 0);
	assert_false(diags_failed(d));
	diags_free(d);
}

static void
test_sorted_by_path_line_col(void **state)
{
	struct diags *d = *state;
	struct pos p1 = { "b.yaml", 3, 1 };
	struct pos p2 = { "a.yaml", 10, 2 };
	struct pos p3 = { "a.yaml", 2, 5 };
	struct pos p4 = { "a.yaml", 2, 1 };
	struct pos p5 = { "a.yaml", 9, 40 };
	diag(d, &p1, D_EMPTY_FILE);
	diag(d, &p2, D_DATE, "2023-02-29");
	diag(d, &p3, D_YAML_UNKNOWN_KEY, "x");
	diag(d, &p4, D_REQUIRED, "title");
	diag(d, &p5, D_STATUS, "dead");
	ASSERT_DIAGS(d,
	    "a.yaml:2:1: error: missing required field 'title'\n"
	    "a.yaml:2:5: warning: unknown key 'x' ignored\n"
	    "a.yaml:9:40: error: status 'dead' must be one of: active, closed, suspended\n"
	    "a.yaml:10:2: error: '2023-02-29' is not a valid date (YYYY-MM-DD)\n"
	    "b.yaml:3:1: error: empty file\n"
	    "haichao: 4 errors, 1 warning\n");
	diags_free(d);
}

static void
test_same_position_keeps_report_order(void **state)
{
	struct diags *d = *state;
	struct pos at = { "x.md", 5, 3 };
	diag(d, &at, D_REQUIRED, "title");
	diag(d, &at, D_REQUIRED, "date");
	diag(d, &at, D_REQUIRED, "author");
	ASSERT_DIAGS(d,
	    "x.md:5:3: error: missing required field 'title'\n"
	    "x.md:5:3: error: missing required field 'date'\n"
	    "x.md:5:3: error: missing required field 'author'\n"
	    "haichao: 3 errors, 0 warnings\n");
	diags_free(d);
}

static void
test_closing_count_plurals(void **state)
{
	struct diags *d = *state;
	struct pos a = { "a", 1, 1 }, b = { "b", 1, 1 };
	diag(d, &a, D_EMPTY_FILE);
	diag(d, &b, D_EMPTY_FILE);
	diag(d, &a, D_YAML_UNKNOWN_KEY, "k");
	int errors = -1;
	const char *text = printed(d, &errors);
	assert_string_equal(text,
	    "a:1:1: error: empty file\n"
	    "a:1:1: warning: unknown key 'k' ignored\n"
	    "b:1:1: error: empty file\n"
	    "haichao: 2 errors, 1 warning\n");
	assert_int_equal(errors, 2);
	diags_free(d);

	diags_init(d);
	diag(d, &a, D_YAML_UNKNOWN_KEY, "k");
	diag(d, &a, D_YAML_UNKNOWN_KEY, "l");
	ASSERT_DIAGS(d,
	    "a:1:1: warning: unknown key 'k' ignored\n"
	    "a:1:1: warning: unknown key 'l' ignored\n"
	    "haichao: 0 errors, 2 warnings\n");
	diags_free(d);
}

/* The same message at the same place (a partial included by several
 * templates) is said once and counted once. */
static void
test_identical_messages_said_once(void **state)
{
	struct diags *d = *state;
	struct pos at = { "templates/partials/head.html", 3, 1 };
	struct pos other = { "templates/partials/head.html", 3, 2 };
	diag(d, &at, D_TEMPLATE_VALUE_UNKNOWN, "x");
	diag(d, &other, D_TEMPLATE_VALUE_UNKNOWN, "x");
	diag(d, &at, D_TEMPLATE_VALUE_UNKNOWN, "x");
	diag(d, &at, D_TEMPLATE_VALUE_UNKNOWN, "y");
	diag(d, &at, D_TEMPLATE_VALUE_UNKNOWN, "x");
	diag(d, NULL, D_WRITE, "disk full");
	diag(d, NULL, D_WRITE, "disk full");
	int errors = -1;
	const char *text = printed(d, &errors);
	assert_string_equal(text,
	    "templates/partials/head.html:3:1: error: unknown value 'x'\n"
	    "templates/partials/head.html:3:1: error: unknown value 'y'\n"
	    "templates/partials/head.html:3:2: error: unknown value 'x'\n"
	    "haichao: error: cannot write: disk full\n"
	    "haichao: 4 errors, 0 warnings\n");
	assert_int_equal(errors, 4);
	diags_free(d);
}

static void
test_run_wide_messages_last(void **state)
{
	struct diags *d = *state;
	diag(d, NULL, D_BASE_URL, "example.org");
	struct pos at = { "z.yaml", 1, 1 };
	diag(d, &at, D_EMPTY_FILE);
	struct pos nopath = { NULL, 7, 7 };
	diag(d, &nopath, D_YAML_INIT);
	ASSERT_DIAGS(d,
	    "z.yaml:1:1: error: empty file\n"
	    "haichao: error: base_url 'example.org' must be an absolute http(s) URL\n"
	    "haichao: error: cannot initialise the YAML parser\n"
	    "haichao: 3 errors, 0 warnings\n");
	diags_free(d);
}

static void
test_path_without_line(void **state)
{
	struct diags *d = *state;
	struct pos file = { "content/articles/Bad Name.zh.md", 0, 0 };
	diag(d, &file, D_FILE_NAME, "Bad Name.zh.md");
	struct pos nocol = { "content/site.yaml", 4, 0 };
	diag(d, &nocol, D_PER_PAGE);
	ASSERT_DIAGS(d,
	    "content/articles/Bad Name.zh.md: error: 'Bad Name.zh.md' is not a "
	    "valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "content/site.yaml:4:1: error: per_page must be a whole number from 1 to 10000\n"
	    "haichao: 2 errors, 0 warnings\n");
	diags_free(d);
}

static void
test_whole_file_sorts_before_its_lines(void **state)
{
	struct diags *d = *state;
	struct pos line = { "a.md", 2, 1 };
	struct pos file = { "a.md", 0, 0 };
	diag(d, &line, D_REQUIRED, "date");
	diag(d, &file, D_READ, "Permission denied");
	ASSERT_DIAGS(d,
	    "a.md: error: cannot read: Permission denied\n"
	    "a.md:2:1: error: missing required field 'date'\n"
	    "haichao: 2 errors, 0 warnings\n");
	diags_free(d);
}

static void
test_path_is_copied(void **state)
{
	struct diags *d = *state;
	char path[32];
	strcpy(path, "first.md");
	struct pos at = { path, 1, 2 };
	diag(d, &at, D_NUL_BYTE);
	strcpy(path, "XXXXXXXX");
	ASSERT_DIAGS(d,
	    "first.md:1:2: error: NUL byte in text file\n"
	    "haichao: 1 error, 0 warnings\n");
	diags_free(d);
}

static void
test_formats_with_several_arguments(void **state)
{
	struct diags *d = *state;
	struct pos at = { "content/articles/a.zh.md", 5, 5 };
	diag(d, &at, D_GLOSS_CONFLICT, "出海", "going abroad", "going overseas",
	    "content/glossary.yaml:1:3");
	diag(d, &at, D_GLOSS_EMPTY, "", "");
	diag(d, &at, D_UNKNOWN_REF, "app", "x");
	ASSERT_DIAGS(d,
	    "content/articles/a.zh.md:5:5: error: term '出海' means 'going abroad' "
	    "here but 'going overseas' at content/glossary.yaml:1:3\n"
	    "content/articles/a.zh.md:5:5: error: gloss note for '' has no English: "
	    "write [](gloss: \"meaning\")\n"
	    "content/articles/a.zh.md:5:5: error: unknown app 'x' (not in "
	    "taxonomy.yaml)\n"
	    "haichao: 3 errors, 0 warnings\n");
	diags_free(d);
}

static void
test_long_message(void **state)
{
	struct diags *d = *state;
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	diag(d, NULL, D_TEMPLATE_XML, big);
	const char *text = printed(d, NULL);
	char *expected = malloc(sizeof(big) + 100);
	assert_non_null(expected);
	sprintf(expected, "haichao: error: %s\nhaichao: 1 error, 0 warnings\n", big);
	assert_string_equal(text, expected);
	free(expected);
	diags_free(d);
}

static void
test_diag_format_table(void **state)
{
	(void)state;
	assert_string_equal(diag_format(D_DATE), "'%s' is not a valid date (YYYY-MM-DD)");
	assert_string_equal(diag_format(D_YAML_ALIAS),
	    "YAML anchors and aliases are not supported");
	assert_string_equal(diag_format(D_NO_ARTICLES), "no articles in %s");
	for (int c = 0; c < D_DIAG_COUNT; c++) {
		assert_non_null(diag_format((enum diag_code)c));
		/* Only libxml2's messages pass through as they are: every
		 * other message is written out in the table. */
		if (c != D_TEMPLATE_XML)
			assert_string_not_equal(diag_format((enum diag_code)c), "%s");
	}
}

/* The exit status: a system error (2) outweighs a content error (1),
 * which outweighs warnings (0); a system error prints as an error. */
static void
test_status_by_level(void **state)
{
	struct diags *d = *state;
	struct pos p = { "content/site.yaml", 0, 0 };
	diag(d, &p, D_NO_BASE_URL);
	assert_int_equal(diags_status(d), 0);
	diag(d, &p, D_EMPTY_FILE);
	assert_int_equal(diags_status(d), 1);
	diag_errno(d, &p, D_READ, 2);
	assert_int_equal(diags_status(d), 2);
	diag(d, &p, D_SYMLINK);
	assert_int_equal(diags_status(d), 2);
	ASSERT_DIAGS(d, "content/site.yaml: warning: no base_url in site.yaml: "
	    "feeds, sitemap.xml and canonical links are left out\n"
	    "content/site.yaml: error: empty file\n"
	    "content/site.yaml: error: cannot read: No such file or directory\n"
	    "content/site.yaml: error: symbolic links are not followed in content/\n"
	    "haichao: 3 errors, 1 warning\n");
}

static void
test_print_twice_is_stable(void **state)
{
	struct diags *d = *state;
	struct pos b = { "b", 1, 1 }, a = { "a", 1, 1 };
	diag(d, &b, D_EMPTY_FILE);
	diag(d, &a, D_EMPTY_FILE);
	const char *want = "a:1:1: error: empty file\nb:1:1: error: empty file\n"
	    "haichao: 2 errors, 0 warnings\n";
	ASSERT_DIAGS(d, want);
	ASSERT_DIAGS(d, want);
	diags_free(d);
}

struct thread_arg {
	struct diags *d;
	int id;
};

static void *
reporter(void *p)
{
	struct thread_arg *t = p;
	char path[16];
	snprintf(path, sizeof(path), "t%d.md", t->id);
	for (int i = 0; i < 500; i++) {
		struct pos at = { path, i + 1, 1 };
		diag(t->d, &at, i % 5 == 0 ? D_YAML_UNKNOWN_KEY : D_REQUIRED, "k");
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct diags *d = *state;
	pthread_t th[4];
	struct thread_arg args[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ d, i };
		assert_int_equal(pthread_create(&th[i], NULL, reporter, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(d->len, 2000);
	assert_int_equal(d->errors, 1600);
	assert_int_equal(d->warnings, 400);
	const char *text = printed(d, NULL);
	/* sorted: t0.md:1:1 first, the count last */
	assert_memory_equal(text, "t0.md:1:1: warning: unknown key 'k' ignored\n"
	    "t0.md:2:1: error:", 61);
	assert_non_null(strstr(text, "t3.md:500:1: error: missing required field 'k'\n"
	    "haichao: 1600 errors, 400 warnings\n"));
	diags_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_single_error_with_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning_only_does_not_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted_by_path_line_col, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_position_keeps_report_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closing_count_plurals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identical_messages_said_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_wide_messages_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_without_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_file_sorts_before_its_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_is_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats_with_several_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_format_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_twice_is_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_by_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		/* Last: it once aborted the binary under UBSan (qsort of a
		 * NULL array), so the others run before it. */
		cmocka_unit_test_setup_teardown(test_empty_prints_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
