/* test_escape.c — unit tests for HTML/attribute/TSV escaping and cache
 * fields (generator/escape.c), and unique names (strset_unique). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "strset.h"

typedef void (*escape_fn)(struct buf *, const char *, size_t);

static void
check(escape_fn fn, const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	fn(&b, in, strlen(in));
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
}

static void
test_text_script(void **state)
{
	(void)state;
	check(escape_text, "<script>alert(\"x\") && 'y'</script>",
	    "&lt;script&gt;alert(\"x\") &amp;&amp; 'y'&lt;/script&gt;");
}

static void
test_text_plain_and_empty(void **state)
{
	(void)state;
	check(escape_text, "", "");
	check(escape_text, "plain text 中文", "plain text 中文");
	check(escape_text, "&", "&amp;");
	check(escape_text, "&amp;", "&amp;amp;");
	check(escape_text, "<<>>", "&lt;&lt;&gt;&gt;");
	check(escape_text, "tab\there\nnewline", "tab\there\nnewline");
}

static void
test_attr_quotes(void **state)
{
	(void)state;
	check(escape_attr, "<script>alert(\"x\") && 'y'</script>",
	    "&lt;script&gt;alert(&quot;x&quot;) &amp;&amp; 'y'&lt;/script&gt;");
	check(escape_attr, "\"", "&quot;");
	check(escape_attr, "a\"b\"c", "a&quot;b&quot;c");
	check(escape_attr, "it's", "it's");
	check(escape_attr, "", "");
	check(escape_attr, "a\tb\nc", "a\tb\nc");
}

static void
test_tsv(void **state)
{
	(void)state;
	check(escape_tsv, "a\tb", "a b");
	check(escape_tsv, "line1\nline2", "line1 line2");
	check(escape_tsv, "crlf\r\nend", "crlf  end");
	check(escape_tsv, "\t\t", "  ");
	check(escape_tsv, "<script>&\"'", "<script>&\"'");
	check(escape_tsv, "标题\t作者\n", "标题 作者 ");
	check(escape_tsv, "", "");
}

static void
test_length_is_respected(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	escape_text(&b, "<a>&<b>", 3);
	assert_string_equal(b.data, "&lt;a&gt;");
	buf_reset(&b);
	escape_attr(&b, "\"x\"y", 2);
	assert_string_equal(b.data, "&quot;x");
	buf_reset(&b);
	escape_tsv(&b, "a\tb\tc", 3);
	assert_string_equal(b.data, "a b");
	buf_reset(&b);
	/* an embedded NUL is copied, not an end */
	escape_text(&b, "a\0<", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0&lt;", 6);
	buf_release(&b);
}

static void
test_appends(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "<p title=\"");
	escape_attr(&b, "x<y", 3);
	buf_puts(&b, "\">");
	escape_text(&b, "a&b", 3);
	buf_puts(&b, "</p>\t");
	escape_tsv(&b, "c\td", 3);
	assert_string_equal(b.data, "<p title=\"x&lt;y\">a&amp;b</p>\tc d");
	buf_release(&b);
}

static void
test_long_input(void **state)
{
	(void)state;
	size_t n = 100000;
	char *in = malloc(n + 1);
	assert_non_null(in);
	for (size_t i = 0; i < n; i++)
		in[i] = i % 2 ? '<' : 'a';
	in[n] = '\0';
	struct buf b = BUF_INIT;
	escape_text(&b, in, n);
	assert_int_equal(b.len, n / 2 + (n / 2) * 4);
	assert_memory_equal(b.data, "a&lt;a&lt;", 10);
	assert_memory_equal(b.data + b.len - 5, "a&lt;", 5);
	buf_release(&b);
	free(in);
}

/* escape_field keeps a field on one line; unescape_field gives it back. */
static void
test_field_round_trip(void **state)
{
	(void)state;
	const char *cases[] = { "plain", "tab\there", "line\nbreak", "back\\slash",
		"\x01\x7F", "中文\r\n", "" };
	struct buf e = BUF_INIT, u = BUF_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&e);
		escape_field(&e, cases[i]);
		assert_null(memchr(e.data ? e.data : "", '\n', e.len));
		assert_null(memchr(e.data ? e.data : "", '\t', e.len));
		assert_true(unescape_field(e.data ? e.data : "", e.len, &u));
		assert_string_equal(u.data, cases[i]);
	}
	buf_reset(&e);
	escape_field(&e, "a\tb\\");
	assert_string_equal(e.data, "a\\x09b\\x5C");
	buf_release(&e);
	buf_release(&u);
}

static void
test_field_malformed(void **state)
{
	(void)state;
	const char *bad[] = { "\\", "\\x", "\\x4", "\\y41", "\\xZZ", "a\\x00b" };
	struct buf u = BUF_INIT;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(unescape_field(bad[i], strlen(bad[i]), &u));
	buf_release(&u);
}

/* strset_unique: -2, -3... for repeats, also when a suffixed name was
 * itself asked for. */
static void
test_unique_names(void **state)
{
	(void)state;
	const char *asked[] = { "a", "a", "a-2", "a", "b", "a-2" };
	const char *want[] = { "a", "a-2", "a-2-2", "a-3", "b", "a-2-3" };
	struct strset taken;
	strset_init(&taken);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, asked[i]);
		strset_unique(&taken, &b);
		assert_string_equal(b.data, want[i]);
	}
	buf_release(&b);
	strset_free(&taken);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_script),
		cmocka_unit_test(test_text_plain_and_empty),
		cmocka_unit_test(test_attr_quotes),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_length_is_respected),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_long_input),
		cmocka_unit_test(test_field_round_trip),
		cmocka_unit_test(test_field_malformed),
		cmocka_unit_test(test_unique_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
