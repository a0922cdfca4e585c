/* test_template.c — unit tests for XHTML page templates
 * (generator/template.c with view.c): compiling, checking names against
 * the view table, escaping and running. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "template.h"
#include "view.h"

#define NS "xmlns:h=\"urn:haichao:template\""

static struct arena A;
static struct strings *STR;
static struct template *TPL;
static struct buf OUT;

static const char STRINGS_YAML[] =
    "hello: {zh: 你好 & 欢迎, en: \"Hello & <welcome>\"}\n"
    "quote: {zh: 说“好”, en: 'say \"yes\"'}\n";

static int
setup(void **state)
{
	(void)state;
	if (fixture_begin() != 0)
		return -1;
	arena_init(&A);
	buf_init(&OUT);
	put("strings.yaml", STRINGS_YAML);
	STR = strings_load(ROOT, &D);
	TPL = NULL;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	template_free(TPL);
	TPL = NULL;
	strings_free(STR);
	buf_release(&OUT);
	arena_free(&A);
	fixture_end();
	return 0;
}


/* Writes and compiles a template, which must compile cleanly. */
static struct template *
compile(const char *name, const char *xml)
{
	put(name, xml);
	template_free(TPL);
	TPL = template_load(ROOT, name, STR, &D);
	ASSERT_DIAGS("");
	assert_non_null(TPL);
	return TPL;
}

/* Writes a template that must fail with exactly `diags`. */
static void
compile_fails(const char *name, const char *xml, const char *diags)
{
	put(name, xml);
	diags_free(&D);
	diags_init(&D);
	struct template *t = template_load(ROOT, name, STR, &D);
	template_free(t);
	assert_null(t);
	ASSERT_DIAGS(diags);
}

static const char *
run(const struct scope *sc, enum lang lang)
{
	buf_reset(&OUT);
	template_render(TPL, sc, lang, STR, NULL, &OUT);
	return OUT.data ? OUT.data : "";
}

static struct scope *
page(void)
{
	return scope_new(&A, NULL);
}

/* ---- view table ----------------------------------------------------------------- */

static void
test_view_table(void **state)
{
	(void)state;
	assert_int_equal(view_var("title", 5), VAR_TITLE);
	assert_int_equal(view_var("titles", 5), VAR_TITLE);
	assert_int_equal(view_var("body", 4), VAR_BODY);
	assert_int_equal(view_var("nosuch", 6), -1);
	assert_int_equal(view_var("titl", 4), -1);
	assert_string_equal(view_var_name(VAR_TAGS), "tags");
	assert_int_equal(view_var_kind(VAR_TAGS), VK_LIST);
	assert_int_equal(view_var_kind(VAR_BODY), VK_RAW);
	assert_int_equal(view_var_kind(VAR_TITLE), VK_TEXT);
}

static void
test_scopes(void **state)
{
	(void)state;
	struct scope *s = page();
	scope_text(s, VAR_TITLE, "T");
	scope_text(s, VAR_AUTHOR, "");
	scope_text(s, VAR_SOURCE, NULL);
	scope_textf(s, VAR_N, "%d items", 3);
	assert_string_equal(scope_get(s, VAR_TITLE)->s, "T");
	assert_null(scope_get(s, VAR_AUTHOR));
	assert_null(scope_get(s, VAR_SOURCE));
	assert_string_equal(scope_get(s, VAR_N)->s, "3 items");
	assert_int_equal(scope_get(s, VAR_N)->len, 7);
	scope_text(s, VAR_TITLE, "U");     /* rebinding replaces */
	assert_string_equal(scope_get(s, VAR_TITLE)->s, "U");
	struct scope *child = scope_new(&A, s);
	assert_string_equal(scope_get(child, VAR_TITLE)->s, "U");
	assert_int_equal(scope_list(s, VAR_TAGS, 0) != NULL, 1);
	assert_null(scope_get(s, VAR_TAGS));
}

/* ---- output ----------------------------------------------------------------------- */

static void
test_text_escaping(void **state)
{
	(void)state;
	compile("t.html", "<p " NS "><h:text select=\"title\"/></p>");
	struct scope *s = page();
	scope_text(s, VAR_TITLE, "<script>&\"'");
	assert_string_equal(run(s, LANG_ZH), "<p>&lt;script&gt;&amp;\"'</p>\n");
	/* absent: nothing */
	assert_string_equal(run(page(), LANG_ZH), "<p></p>\n");
}

static void
test_attribute_interpolation(void **state)
{
	(void)state;
	compile("t.html",
	    "<a " NS " href=\"{url}\" title=\"Go to {title}!\">x</a>");
	struct scope *s = page();
	scope_text(s, VAR_URL, "a\"b<c&d");
	scope_text(s, VAR_TITLE, "<script>&\"'");
	assert_string_equal(run(s, LANG_ZH),
	    "<a href=\"a&quot;b&lt;c&amp;d\" title=\"Go to &lt;script&gt;&amp;&quot;'!\">x</a>\n");
}

static void
test_optional_attribute_omitted(void **state)
{
	(void)state;
	compile("t.html",
	    "<a " NS " href=\"{url}\" class=\"k\" title=\"T: {title}\">x</a>");
	assert_string_equal(run(page(), LANG_ZH), "<a class=\"k\" title=\"T: \">x</a>\n");
	struct scope *s = page();
	scope_text(s, VAR_URL, "/a/");
	assert_string_equal(run(s, LANG_ZH),
	    "<a href=\"/a/\" class=\"k\" title=\"T: \">x</a>\n");
}

static void
test_static_attributes(void **state)
{
	(void)state;
	compile("t.html",
	    "<p " NS " class=\"a &amp; b\" data-q='say \"hi\"' data-lt=\"&lt;\">x</p>");
	assert_string_equal(run(page(), LANG_ZH),
	    "<p class=\"a &amp; b\" data-q=\"say &quot;hi&quot;\" data-lt=\"&lt;\">x</p>\n");
}

/* "{{" and "}}" stand for literal braces, whether or not the attribute
 * also holds a value. */
static void
test_attribute_brace_escapes(void **state)
{
	(void)state;
	compile("t.html",
	    "<p " NS " data-a=\"{{a}} {title}\" data-b=\"{{b}}\">x</p>");
	struct scope *s = page();
	scope_text(s, VAR_TITLE, "T");
	assert_string_equal(run(s, LANG_ZH),
	    "<p data-a=\"{a} T\" data-b=\"{b}\">x</p>\n");
}

static void
test_if_unless(void **state)
{
	(void)state;
	compile("t.html",
	    "<div " NS "><h:if test=\"author\">by <h:text select=\"author\"/></h:if>"
	    "<h:unless test=\"author\">anonymous</h:unless>"
	    "<h:if test=\"tags\">[tags]</h:if></div>");
	struct scope *s = page();
	scope_text(s, VAR_AUTHOR, "王 & 李");
	assert_string_equal(run(s, LANG_ZH), "<div>by 王 &amp; 李</div>\n");
	assert_string_equal(run(page(), LANG_ZH), "<div>anonymous</div>\n");
	/* an empty text is absent, an empty list is false */
	s = page();
	scope_text(s, VAR_AUTHOR, "");
	scope_list(s, VAR_TAGS, 0);
	assert_string_equal(run(s, LANG_ZH), "<div>anonymous</div>\n");
	s = page();
	scope_list(s, VAR_TAGS, 1);
	assert_string_equal(run(s, LANG_ZH), "<div>anonymous[tags]</div>\n");
}

static void
test_each(void **state)
{
	(void)state;
	compile("t.html",
	    "<ul " NS "><h:each select=\"tags\"><li class=\"tag-{kind}\">"
	    "<a href=\"{url}\"><h:text select=\"name\"/></a></li></h:each></ul>");
	struct scope *s = page();
	struct scope **items = scope_list(s, VAR_TAGS, 3);
	scope_text(items[0], VAR_KIND, "company");
	scope_text(items[0], VAR_URL, "../c/");
	scope_text(items[0], VAR_NAME, "A&B");
	scope_text(items[1], VAR_KIND, "app");
	scope_text(items[1], VAR_NAME, "火箭");
	scope_text(items[2], VAR_NAME, "<none>");
	assert_string_equal(run(s, LANG_ZH),
	    "<ul><li class=\"tag-company\"><a href=\"../c/\">A&amp;B</a></li>"
	    "<li class=\"tag-app\"><a>火箭</a></li>"
	    "<li class=\"tag-\"><a>&lt;none&gt;</a></li></ul>\n");
	assert_string_equal(run(page(), LANG_ZH), "<ul></ul>\n");
}

/* view.h: "Items have no parent: inside h:each only the item's own values
 * are visible." */
static void
test_each_items_see_only_their_values(void **state)
{
	(void)state;
	compile("t.html",
	    "<ul " NS "><h:each select=\"articles\"><li><h:text select=\"title\"/>|"
	    "<h:text select=\"summary\"/></li></h:each></ul>");
	struct scope *s = page();
	scope_text(s, VAR_SUMMARY, "page summary");
	scope_text(s, VAR_TITLE, "page title");
	struct scope **items = scope_list(s, VAR_ARTICLES, 2);
	scope_text(items[0], VAR_TITLE, "one");
	scope_text(items[0], VAR_SUMMARY, "s1");
	scope_text(items[1], VAR_TITLE, "two");
	assert_string_equal(run(s, LANG_ZH),
	    "<ul><li>one|s1</li><li>two|</li></ul>\n");
}

/* A lazy list: items bound on demand; with a memo, an item whose key was
 * seen is copied, not bound again, in this page and the next. */
struct names {
	const char *const *name;
	const uint64_t *key;
	int binds;
};

static uint64_t
names_key(const void *ctx, size_t i)
{
	return ((const struct names *)ctx)->key[i];
}

static void
names_bind(void *ctx, size_t i, struct scope *item)
{
	struct names *n = ctx;
	n->binds++;
	scope_text(item, VAR_NAME, n->name[i]);
}

static void
test_each_lazy_list_and_memo(void **state)
{
	(void)state;
	/* Two h:each over one list: the same keys are other items in each. */
	compile("t.html",
	    "<div " NS "><ul><h:each select=\"tags\"><li><h:text select=\"name\"/>"
	    "</li></h:each></ul><p><h:each select=\"tags\"><h:text select=\"name\"/>,"
	    "</h:each></p></div>");
	const char *name[] = { "a&b", "c", "a&b", "c", "d" };
	/* key 0 is never shared, and keys past the memo's bound are not
	 * remembered: both are bound every time they are shown */
	const uint64_t key[] = { 5000, 0, 5000, 0, (uint64_t)1 << 27 };
	struct names n = { name, key, 0 };
	struct list_source src = { &n, names_key, names_bind };
	const char *want = "<div><ul><li>a&amp;b</li><li>c</li><li>a&amp;b</li>"
	    "<li>c</li><li>d</li></ul><p>a&amp;b,c,a&amp;b,c,d,</p></div>\n";
	struct scope *s = page();
	scope_lazy_list(s, VAR_TAGS, 5, &src);
	/* without a memo every item is bound, in each list */
	assert_string_equal(run(s, LANG_ZH), want);
	assert_int_equal(n.binds, 10);
	/* with one, each key once per h:each, and none again on the next page
	 * (but for those two kinds) */
	struct template_memo *memo = template_memo_new();
	for (int pass = 0; pass < 2; pass++) {
		n.binds = 0;
		buf_reset(&OUT);
		template_render(TPL, s, LANG_ZH, STR, memo, &OUT);
		assert_string_equal(OUT.data, want);
		assert_int_equal(n.binds, pass == 0 ? 8 : 6);
	}
	template_memo_free(memo);
	/* its hash is that of the same items bound eagerly */
	struct scope *eager = page();
	struct scope **items = scope_list(eager, VAR_TAGS, 5);
	for (size_t i = 0; i < 5; i++)
		scope_text(items[i], VAR_NAME, name[i]);
	assert_true(scope_hash(s, 1) == scope_hash(eager, 1));
	/* an empty lazy list is absent */
	struct scope *none = page();
	scope_lazy_list(none, VAR_TAGS, 0, &src);
	assert_null(scope_get(none, VAR_TAGS));
}

/* A lazy list inside a lazy list: the inner h:each is met for the first
 * time while an outer item is being rendered and remembered. */
static struct names inner_names;
static const struct list_source inner_src = { &inner_names, names_key, names_bind };

static void
outer_bind(void *ctx, size_t i, struct scope *item)
{
	names_bind(ctx, i, item);
	scope_lazy_list(item, VAR_TAGS, 2, &inner_src);
}

static void
test_lazy_list_inside_lazy_list(void **state)
{
	(void)state;
	compile("t.html",
	    "<ul " NS "><h:each select=\"apps\"><li><h:text select=\"name\"/>:"
	    "<h:each select=\"tags\"><h:text select=\"name\"/>,</h:each></li>"
	    "</h:each></ul>");
	const char *outer_name[] = { "a", "b", "a" }, *inner_name[] = { "x", "y" };
	const uint64_t outer_key[] = { 1, 2, 1 }, inner_key[] = { 5, 6 };
	struct names outer = { outer_name, outer_key, 0 };
	inner_names = (struct names){ inner_name, inner_key, 0 };
	struct list_source src = { &outer, names_key, outer_bind };
	struct scope *s = page();
	scope_lazy_list(s, VAR_APPS, 3, &src);
	struct template_memo *memo = template_memo_new();
	for (int pass = 0; pass < 2; pass++) {
		buf_reset(&OUT);
		template_render(TPL, s, LANG_ZH, STR, memo, &OUT);
		assert_string_equal(OUT.data,
		    "<ul><li>a:x,y,</li><li>b:x,y,</li><li>a:x,y,</li></ul>\n");
	}
	assert_int_equal(outer.binds, 2);
	assert_int_equal(inner_names.binds, 2);
	template_memo_free(memo);
}

static void
test_raw_markup(void **state)
{
	(void)state;
	compile("t.html", "<div " NS "><h:html select=\"body\"/></div>");
	struct scope *s = page();
	const char *html = "<p>x &amp; <b>y</b></p>";
	scope_raw(s, VAR_BODY, html, strlen(html));
	assert_string_equal(run(s, LANG_ZH), "<div><p>x &amp; <b>y</b></p></div>\n");
}

static void
test_void_elements(void **state)
{
	(void)state;
	compile("t.html",
	    "<p " NS ">a<br/>b<img src=\"x.png\" alt=\"\"/><hr></hr>"
	    "<meta charset=\"utf-8\"/><input type=\"text\"/><span/></p>");
	assert_string_equal(run(page(), LANG_ZH),
	    "<p>a<br>b<img src=\"x.png\" alt=\"\"><hr><meta charset=\"utf-8\">"
	    "<input type=\"text\"><span></span></p>\n");
}

static void
test_script_and_style_raw(void **state)
{
	(void)state;
	compile("t.html",
	    "<div " NS "><script src=\"a.js\"/><script>if (a &lt; b &amp;&amp; c) {}</script>"
	    "<style><![CDATA[a > b { color: red }]]></style></div>");
	assert_string_equal(run(page(), LANG_ZH),
	    "<div><script src=\"a.js\"></script><script>if (a < b && c) {}</script>"
	    "<style>a > b { color: red }</style></div>\n");
}

static void
test_text_and_comments(void **state)
{
	(void)state;
	compile("t.html",
	    "<p " NS "><!-- a comment -->a &amp; b &lt; c \"q\" &#20013;<?pi x?></p>");
	assert_string_equal(run(page(), LANG_ZH), "<p>a &amp; b &lt; c \"q\" 中</p>\n");
}

/* Indentation between elements becomes one newline; a space alone and
 * text inside <pre> are kept. */
static void
test_whitespace_between_elements(void **state)
{
	(void)state;
	compile("t.html",
	    "<div " NS ">\n"
	    "    <ul>\n"
	    "        <li>a</li>\n"
	    "\n"
	    "        <li><b>b</b> <i>c</i></li>\n"
	    "    </ul>\n"
	    "    <pre>\n  x\n    </pre>\n"
	    "</div>\n");
	assert_string_equal(run(page(), LANG_ZH),
	    "<div>\n"
	    "<ul>\n"
	    "<li>a</li>\n"
	    "<li><b>b</b> <i>c</i></li>\n"
	    "</ul>\n"
	    "<pre>\n  x\n    </pre>\n"
	    "</div>\n");
}

static void
test_doctype_for_html_root(void **state)
{
	(void)state;
	compile("page.html",
	    "<!DOCTYPE html>\n"
	    "<html " NS " lang=\"{lang_tag}\">\n"
	    "<head><title><h:text select=\"page_title\"/></title></head>\n"
	    "<body/>\n"
	    "</html>\n");
	struct scope *s = page();
	scope_text(s, VAR_LANG_TAG, "zh-Hans");
	scope_text(s, VAR_PAGE_TITLE, "标题");
	assert_string_equal(run(s, LANG_ZH),
	    "<!DOCTYPE html>\n"
	    "<html lang=\"zh-Hans\">\n"
	    "<head><title>标题</title></head>\n"
	    "<body></body>\n"
	    "</html>\n");
	compile("frag.html", "<div " NS ">x</div>");
	assert_string_equal(run(s, LANG_ZH), "<div>x</div>\n");
}

static void
test_ui_strings(void **state)
{
	(void)state;
	assert_string_equal(strings_get(STR, LANG_ZH, "hello"), "你好 & 欢迎");
	assert_string_equal(strings_get(STR, LANG_EN, "hello"), "Hello & <welcome>");
	assert_null(strings_get(STR, LANG_EN, "nope"));
	compile("t.html",
	    "<p " NS " title=\"{ui.quote}\" data-x=\"[{ui.hello}]\"><h:text select=\"ui.hello\"/></p>");
	assert_string_equal(run(page(), LANG_ZH),
	    "<p title=\"说“好”\" data-x=\"[你好 &amp; 欢迎]\">你好 &amp; 欢迎</p>\n");
	assert_string_equal(run(page(), LANG_EN),
	    "<p title=\"say &quot;yes&quot;\" data-x=\"[Hello &amp; &lt;welcome&gt;]\">"
	    "Hello &amp; &lt;welcome&gt;</p>\n");
}

static void
test_strings_missing_language(void **state)
{
	(void)state;
	put("strings.yaml", "hello: {zh: 你好, en: Hello}\nbye:\n  zh: 再见\n");
	struct strings *s = strings_load(ROOT, &D);
	ASSERT_DIAGS(
	    "$/strings.yaml:3:3: error: missing required field 'en'\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_string_equal(strings_get(s, LANG_ZH, "bye"), "再见");
	assert_string_equal(strings_get(s, LANG_EN, "bye"), "bye");
	strings_free(s);
}

static void
test_strings_file_missing(void **state)
{
	(void)state;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/none", ROOT);
	struct strings *s = strings_load(sub, &D);
	ASSERT_DIAGS(
	    "$/none/strings.yaml: error: cannot open the UI strings file\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_null(strings_get(s, LANG_ZH, "hello"));
	strings_free(s);
}

static void
test_include(void **state)
{
	(void)state;
	put("partials/part.html",
	    "<h:fragment " NS "><b><h:text select=\"title\"/></b> <i>{x}</i></h:fragment>");
	compile("t.html", "<div " NS "><h:include file=\"partials/part.html\"/></div>");
	struct scope *s = page();
	scope_text(s, VAR_TITLE, "T&");
	assert_string_equal(run(s, LANG_ZH), "<div><b>T&amp;</b> <i>{x}</i></div>\n");
}

/* ---- errors ----------------------------------------------------------------------- */

static void
test_unknown_value(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n"
	    "<p>\n"
	    "<h:text select=\"nosuch\"/>\n"
	    "</p>\n"
	    "</div>\n",
	    "$/bad.html:3:17: error: unknown value 'nosuch'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_unknown_value_in_attribute(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n\n<a href=\"{nosuch}\">x</a></div>\n",
	    "$/bad.html:3:11: error: unknown value 'nosuch'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_wrong_value_kinds(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n"
	    "<h:html select=\"title\"/>\n"
	    "<h:text select=\"body\"/>\n"
	    "<h:each select=\"title\"/>\n"
	    "<h:text select=\"tags\"/>\n"
	    "<a href=\"{tags}\"/>\n"
	    "<h:html select=\"ui.hello\"/>\n"
	    "</div>\n",
	    "$/bad.html:2:17: error: 'title' is text and cannot be used here\n"
	    "$/bad.html:3:17: error: 'body' is markup and cannot be used here\n"
	    "$/bad.html:4:17: error: 'title' is text and cannot be used here\n"
	    "$/bad.html:5:17: error: 'tags' is a list and cannot be used here\n"
	    "$/bad.html:6:11: error: 'tags' is a list and cannot be used here\n"
	    "$/bad.html:7:17: error: unknown value 'ui.hello'\n"
	    "haichao: 6 errors, 0 warnings\n");
}

static void
test_unknown_ui_string(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n<h:text select=\"ui.nope\"/><p title=\"{ui.gone}\"/></div>\n",
	    "$/bad.html:2:17: error: unknown UI string 'nope' (not in strings.yaml)\n"
	    "$/bad.html:2:38: error: unknown UI string 'gone' (not in strings.yaml)\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_bad_directives(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n"
	    "<h:loop/>\n"
	    "<h:text/>\n"
	    "<h:if>x</h:if>\n"
	    "<h:each/>\n"
	    "<h:include file=\"../secret.html\"/>\n"
	    "<p h:foo=\"x\"/>\n"
	    "<br>x</br>\n"
	    "</div>\n",
	    "$/bad.html:2:1: error: unknown directive <h:loop>\n"
	    "$/bad.html:3:1: error: <h:text> needs a select attribute\n"
	    "$/bad.html:4:1: error: <h:if> needs a test attribute\n"
	    "$/bad.html:5:1: error: <h:each> needs a select attribute\n"
	    "$/bad.html:6:1: error: <h:include> needs a file inside templates/\n"
	    "$/bad.html:7:1: error: attribute 'foo' has a namespace prefix\n"
	    "$/bad.html:8:1: error: <br> must be empty\n"
	    "haichao: 7 errors, 0 warnings\n");
}

static void
test_error_in_included_file(void **state)
{
	(void)state;
	put("part.html", "<h:fragment " NS ">\n\n<h:text select=\"oops\"/></h:fragment>");
	compile_fails("bad.html",
	    "<div " NS ">\n<h:include file=\"part.html\"/>\n<h:text select=\"nope\"/></div>\n",
	    "$/bad.html:3:17: error: unknown value 'nope'\n"
	    "$/part.html:3:17: error: unknown value 'oops'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

/* A partial included twice is compiled twice; its errors are said once
 * (diag.c: "the same message at the same place ... is said once"). */
static void
test_partial_included_twice_reported_once(void **state)
{
	(void)state;
	put("part.html",
	    "<h:fragment " NS "><h:text select=\"x\"/><h:text select=\"y\"/></h:fragment>");
	compile_fails("bad.html",
	    "<div " NS ">\n<h:include file=\"part.html\"/>\n<h:include file=\"part.html\"/></div>\n",
	    "$/part.html:1:60: error: unknown value 'x'\n"
	    "$/part.html:1:80: error: unknown value 'y'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

/* Names by page kind: a name the kind does not bind is an error at its
 * line and column, inside h:each only the items' names are visible, and
 * the column counts characters, not bytes. */
static void
test_names_of_a_page_kind(void **state)
{
	(void)state;
	char why[128];
	const struct view_names *names = view_names_parse(&A,
	    "title articles{url tags{name}} pagination{number}", why);
	assert_non_null(names);
	put("kind.html",
	    "<div " NS ">\n"
	    "<h1><h:text select=\"title\"/></h1><p>标题 <a href=\"{url}\">x</a></p>\n"
	    "<h:each select=\"articles\"><a href=\"{url}\" title=\"{title}\">"
	    "<h:each select=\"tags\"><h:text select=\"name\"/><h:if test=\"backlinks\">y</h:if></h:each></a></h:each>\n"
	    "</div>\n");
	diags_free(&D);
	diags_init(&D);
	struct template *t = template_load_checked(ROOT, "kind.html", names, STR, &D);
	template_free(t);
	assert_null(t);
	ASSERT_DIAGS(
	    "$/kind.html:2:50: error: 'url' is not a name of kind.html's pages\n"
	    "$/kind.html:3:51: error: 'title' is not a name of the items of 'articles' in kind.html\n"
	    "$/kind.html:3:116: error: 'backlinks' is not a name of the items of 'tags' in kind.html\n"
	    "haichao: 3 errors, 0 warnings\n");
}

static void
test_names_spec_errors(void **state)
{
	(void)state;
	char why[128];
	assert_null(view_names_parse(&A, "title nosuch", why));
	assert_string_equal(why, "unknown name 'nosuch'");
	assert_null(view_names_parse(&A, "title{url}", why));
	assert_string_equal(why, "'title' is not a list");
	assert_null(view_names_parse(&A, "articles{url", why));
	assert_string_equal(why, "unbalanced braces");
	assert_null(view_names_parse(&A, "url}", why));
	assert_string_equal(why, "unbalanced braces");
}

/* A theme's partials/note-mark.html makes a note's markup: cut at the
 * word, values escaped, a translation's variant with term_lang, ui
 * strings in the version's language; the default matches the bundled
 * partial's markup. */
static void
test_note_mark_from_partial(void **state)
{
	(void)state;
	put("partials/note-mark.html",
	    "<h:fragment " NS "><span class=\"n\" title=\"{en}\" lang=\"{term_lang}\">"
	    "<h:html select=\"word\"/><h:if test=\"pinyin\">(<h:text select=\"pinyin\"/>)</h:if>"
	    "[<h:text select=\"number\"/>, <h:text select=\"ui.hello\"/>]</span></h:fragment>\n");
	struct note_mark *m = note_mark_load(ROOT, &D);
	ASSERT_DIAGS("");
	assert_non_null(m);
	struct note_fields f = { "12", "chūhǎi", "出海", "going \"out\" & <abroad>" };
	buf_reset(&OUT);
	note_mark_write(m, false, false, &f, &OUT);
	buf_puts(&OUT, "WORD");
	note_mark_write(m, false, true, &f, &OUT);
	buf_putc(&OUT, '\0');
	assert_string_equal(OUT.data,
	    "<span class=\"n\" title=\"going &quot;out&quot; &amp; &lt;abroad&gt;\">"
	    "WORD(chūhǎi)[12, 你好 &amp; 欢迎]</span>");
	f.pinyin = NULL;
	buf_reset(&OUT);
	note_mark_write(m, true, false, &f, &OUT);
	buf_puts(&OUT, "WORD");
	note_mark_write(m, true, true, &f, &OUT);
	buf_putc(&OUT, '\0');
	assert_string_equal(OUT.data,
	    "<span class=\"n\" title=\"going &quot;out&quot; &amp; &lt;abroad&gt;\" "
	    "lang=\"zh-Hans\">WORD[12, Hello &amp; &lt;welcome&gt;]</span>");
	note_mark_free(m);

	const struct note_mark *d = note_mark_default();
	f.pinyin = "chūhǎi";
	buf_reset(&OUT);
	note_mark_write(d, true, false, &f, &OUT);
	buf_puts(&OUT, "出海");
	note_mark_write(d, true, true, &f, &OUT);
	buf_putc(&OUT, '\0');
	assert_string_equal(OUT.data, "<a class=\"gl\" id=\"r_12\" href=\"#n_12\" "
	    "lang=\"zh-Hans\"><ruby>出海<rt>chūhǎi</rt></ruby><sup>12</sup></a>");
}

/* The word must be shown exactly once; a name a note does not have is
 * an error at its column. */
static void
test_note_mark_errors(void **state)
{
	(void)state;
	put("partials/note-mark.html",
	    "<h:fragment " NS "><b><h:if test=\"pinyin\"><h:html select=\"word\"/></h:if></b></h:fragment>\n");
	assert_null(note_mark_load(ROOT, &D));
	ASSERT_DIAGS("$/partials/note-mark.html: error: a note's markup must show 'word' "
	    "exactly once, with pinyin and without\n"
	    "haichao: 1 error, 0 warnings\n");
	diags_free(&D);
	diags_init(&D);
	put("partials/note-mark.html",
	    "<h:fragment " NS "><b title=\"{url}\"><h:html select=\"word\"/></b></h:fragment>\n");
	assert_null(note_mark_load(ROOT, &D));
	ASSERT_DIAGS("$/partials/note-mark.html:1:55: error: 'url' is not a name of "
	    "partials/note-mark.html's pages\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_malformed_xml(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div>\n<p>\n<b>\n</p>\n</div>\n",
	    "$/bad.html:4:5: error: Opening and ending tag mismatch: b line 3 and p\n"
	    "$/bad.html:5:7: error: Opening and ending tag mismatch: p line 2 and div\n"
	    "$/bad.html:6:1: error: Premature end of data in tag div line 1\n"
	    "haichao: 3 errors, 0 warnings\n");
	compile_fails("bad2.html",
	    "<div>\n\n<p a=\"1\" a=\"2\"/>\n</div>\n",
	    "$/bad2.html:3:15: error: Attribute a redefined\n"
	    "haichao: 1 error, 0 warnings\n");
	compile_fails("bad3.html", "<div>\n&nbsp;</div>\n",
	    "$/bad3.html:2:7: error: Entity 'nbsp' not defined\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_missing_template(void **state)
{
	(void)state;
	diags_free(&D);
	diags_init(&D);
	struct template *t = template_load(ROOT, "nope.html", STR, &D);
	assert_null(t);
	ASSERT_DIAGS(
	    "$/nope.html: error: cannot read the template\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_missing_include(void **state)
{
	(void)state;
	compile_fails("bad.html",
	    "<div " NS ">\n<h:include file=\"gone.html\"/></div>\n",
	    "$/gone.html: error: cannot read the template\n"
	    "haichao: 1 error, 0 warnings\n");
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_view_table),
		T(test_scopes),
		T(test_text_escaping),
		T(test_attribute_interpolation),
		T(test_optional_attribute_omitted),
		T(test_static_attributes),
		T(test_attribute_brace_escapes),
		T(test_if_unless),
		T(test_each),
		T(test_each_items_see_only_their_values),
		T(test_each_lazy_list_and_memo),
		T(test_lazy_list_inside_lazy_list),
		T(test_raw_markup),
		T(test_void_elements),
		T(test_script_and_style_raw),
		T(test_text_and_comments),
		T(test_whitespace_between_elements),
		T(test_doctype_for_html_root),
		T(test_ui_strings),
		T(test_strings_missing_language),
		T(test_strings_file_missing),
		T(test_include),
		T(test_unknown_value),
		T(test_unknown_value_in_attribute),
		T(test_wrong_value_kinds),
		T(test_unknown_ui_string),
		T(test_bad_directives),
		T(test_error_in_included_file),
		T(test_partial_included_twice_reported_once),
		T(test_names_of_a_page_kind),
		T(test_names_spec_errors),
		T(test_note_mark_from_partial),
		T(test_note_mark_errors),
		T(test_malformed_xml),
		T(test_missing_template),
		T(test_missing_include),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
