/* test_search.c — unit tests for search folding (generator/fold.c) and the
 * text search takes from rendered HTML (generator/search.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "fold.h"
#include "search.h"

static void
test_fold_case_and_width(void **state)
{
	(void)state;
	assert_int_equal(fold_char('A'), 'a');
	assert_int_equal(fold_char('z'), 'z');
	assert_int_equal(fold_char(0xFF34), 't');      /* Ｔ */
	assert_int_equal(fold_char(0xFF10), '0');      /* ０ */
	assert_int_equal(fold_char(0xFF0C), ',');      /* ， */
	assert_int_equal(fold_char(0xC9), 0xE9);       /* É */
	assert_int_equal(fold_char(0xD7), 0xD7);       /* × stays */
	assert_int_equal(fold_char(0x2019), '\'');     /* ’ */
	assert_int_equal(fold_char(0x201C), '"');      /* “ */
	assert_int_equal(fold_char(0x201A), 0x201A);   /* ‚ stays */
	assert_int_equal(fold_char(0xFF61), 0x3002);   /* half-width 。 */
	assert_int_equal(fold_char(0x3002), 0x3002);
}

static void
test_fold_space(void **state)
{
	(void)state;
	assert_int_equal(fold_char('\t'), ' ');
	assert_int_equal(fold_char('\n'), ' ');
	assert_int_equal(fold_char(0xA0), ' ');
	assert_int_equal(fold_char(0x3000), ' ');
	assert_int_equal(fold_char(0x2003), 0x2003);   /* other spaces are text */
}

static void
test_fold_traditional(void **state)
{
	(void)state;
	assert_int_equal(fold_char(0x7D05), 0x7EA2);   /* 紅 → 红 */
	assert_int_equal(fold_char(0x66F8), 0x4E66);   /* 書 → 书 */
	assert_int_equal(fold_char(0x570B), 0x56FD);   /* 國 → 国 */
	assert_int_equal(fold_char(0x7EA2), 0x7EA2);   /* 红 stays */
	/* Folding twice changes nothing: the table's chains are resolved. */
	size_t n;
	const struct fold_pair *t = fold_table(&n);
	assert_true(n > 3000);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(fold_char(t[i].to), t[i].to);
		if (i > 0)
			assert_true(t[i - 1].from < t[i].from);
	}
}

static void
check_text(const char *html, const char *want)
{
	struct buf raw = BUF_INIT, out = BUF_INIT;
	search_html_text(html, strlen(html), &raw);
	search_squeeze(raw.data ? raw.data : "", raw.len, &out);
	assert_string_equal(out.data ? out.data : "", want);
	buf_release(&raw);
	buf_release(&out);
}

static void
test_html_text(void **state)
{
	(void)state;
	/* Pinyin and note numbers are not text; the annotated word is. */
	check_text("<p>传统意义上的<a class=\"gl\" id=\"r_1\" href=\"#n_1\"><ruby>出海"
	    "<rt>chūhǎi</rt></ruby><sup>1</sup></a>，是企业</p>",
	    "传统意义上的出海，是企业");
	/* Blocks are separated, inline elements are not. */
	check_text("<h2 id=\"a\">标题</h2>\n<p>一<strong>二</strong>三</p><ul><li>甲</li><li>乙</li></ul>",
	    "标题 一二三 甲 乙");
	check_text("<p>a &amp; b &lt;c&gt; &quot;d&quot; &#20013;&#x6587; &bogus; &#0;</p>",
	    "a & b <c> \"d\" 中文 &bogus; &#0;");
	/* Quoted '>' inside a tag does not end it; comments are dropped. */
	check_text("<p title=\"x>y\">ok<!-- no --></p>", "ok");
	check_text("", "");
	check_text("<p> \n </p>", "");
}

static void
test_squeeze(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *in = " \t a\u3000\u3000b\n\nc \u00a0";
	search_squeeze(in, strlen(in), &out);
	assert_string_equal(out.data, "a b c");
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_case_and_width),
		cmocka_unit_test(test_fold_space),
		cmocka_unit_test(test_fold_traditional),
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_squeeze),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
