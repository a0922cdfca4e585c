/* test_render.c — unit tests for Markdown rendering (generator/render.c):
 * CJK line joining, safe HTML, heading ids, glossary notes and
 * cross-links, the last through site_load on a temporary content tree. */
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
#include "diag.h"
#include "fixture.h"
#include "load.h"
#include "match.h"
#include "render.h"
#include "site.h"
#include "utf8.h"

/* ---- render_markdown_plain ------------------------------------------------------ */

static void
expect_md(const char *md, bool unsafe, const char *want)
{
	char *html = render_markdown_plain(md, strlen(md), unsafe);
	assert_non_null(html);
	bool same = strcmp(html, want) == 0;
	if (!same)
		print_error("markdown \"%s\"\n  got  \"%s\"\n  want \"%s\"\n", md,
		    html, want);
	free(html);
	assert_true(same);
}

#define MD(md, want) expect_md((md), false, (want))

static void
test_cjk_soft_break_removed(void **state)
{
	(void)state;
	MD("中文\n继续\n", "<p>中文继续</p>\n");
	MD("第一行\n第二行\n第三行\n", "<p>第一行第二行第三行</p>\n");
	MD("你好，\n世界。\n", "<p>你好，世界。</p>\n");
	MD("日本語\nかな\n", "<p>日本語かな</p>\n");
	MD("“引号”\n继续\n", "<p>“引号”继续</p>\n");
}

/* Character references that decode to what HTML forbids and XML cannot
 * carry become U+FFFD; everything else, tab and CR included, stays. */
static void
test_forbidden_code_points_replaced(void **state)
{
	(void)state;
	MD("a&#1;b\n", "<p>a\xEF\xBF\xBD" "b</p>\n");
	MD("&#xFFFE;&#xFFFF;&#x1FFFE;\n",
	    "<p>\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD</p>\n");
	MD("&#x85;&#x7F;&#xFDD0;\n",
	    "<p>\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD</p>\n");
	MD("[x](http://a.org/ \"t&#2;\")\n",
	    "<p><a href=\"http://a.org/\" title=\"t\xEF\xBF\xBD\">x</a></p>\n");
	MD("```&#1;\ncode\n```\n",
	    "<div class=\"code\" tabindex=\"0\">\n<pre><code class=\"language-\xEF\xBF\xBD\">code\n</code></pre>\n</div>\n");
	MD("&#9;&#x1F600;&#xFFFD;，\n", "<p>\t\xF0\x9F\x98\x80\xEF\xBF\xBD，</p>\n");
	/* written as they are, without any '&' in the document */
	MD("C1\xC2\x85 \xEF\xB7\x90 \xEF\xBF\xBE \xF0\x9F\xBF\xBE，\n",
	    "<p>C1\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD，</p>\n");
	/* what needs no scrubbing is told apart in one scan */
	assert_false(utf8_scrub_needed("中文，English\t\n\xC2\xA9", 20));
	assert_true(utf8_scrub_needed("a&b", 3));
	assert_true(utf8_scrub_needed("\xC2\x85", 2));
	assert_true(utf8_scrub_needed("\xEF\xBF\xBF", 3));
	assert_true(utf8_scrub_needed("\x01", 1));
	assert_true(utf8_scrub_needed("\xE4\x26", 2));   /* broken, hiding a '&' */
	/* the leads settled by their next byte, each way */
	assert_false(utf8_scrub_needed("小红书·Uniik，（测试）：", 34));
	assert_true(utf8_scrub_needed("，\xEF\xB7\x90", 6));        /* U+FDD0 */
	assert_true(utf8_scrub_needed("，\xEF\xBF\xBE", 6));        /* U+FFFE */
	assert_false(utf8_scrub_needed("，\xEF\xBF\xBD", 6));       /* U+FFFD */
	assert_true(utf8_scrub_needed("，\xEF\xBC" "A", 6));          /* broken */
	assert_true(utf8_scrub_needed("\xEF\xBC", 2));                /* cut short */
	assert_true(utf8_scrub_needed("·\xC2\x9F", 4));               /* C1 control */
}

static void
test_latin_soft_break_kept(void **state)
{
	(void)state;
	MD("hello\nworld\n", "<p>hello\nworld</p>\n");
	MD("end.\nNext\n", "<p>end.\nNext</p>\n");
}

static void
test_mixed_soft_break_kept(void **state)
{
	(void)state;
	MD("中文\nEnglish\n", "<p>中文\nEnglish</p>\n");
	MD("English\n中文\n", "<p>English\n中文</p>\n");
	MD("2024\n年\n", "<p>2024\n年</p>\n");
	MD("中文\n`code`\n", "<p>中文\n<code>code</code></p>\n");
}

static void
test_soft_break_inside_inlines(void **state)
{
	(void)state;
	MD("*强调*\n继续\n", "<p><em>强调</em>继续</p>\n");
	MD("中文\n**加粗**\n", "<p>中文<strong>加粗</strong></p>\n");
	MD("中文\n[链接](https://x.org/)\n",
	    "<p>中文<a href=\"https://x.org/\">链接</a></p>\n");
	MD("*a*\n继续\n", "<p><em>a</em>\n继续</p>\n");
}

static void
test_hard_break_and_paragraphs_kept(void **state)
{
	(void)state;
	MD("中文  \n继续\n", "<p>中文<br />\n继续</p>\n");
	MD("中文\\\n继续\n", "<p>中文<br />\n继续</p>\n");
	MD("中文\n\n继续\n", "<p>中文</p>\n<p>继续</p>\n");
}

static void
test_raw_html_omitted_by_default(void **state)
{
	(void)state;
	MD("<div>x</div>\n", "<!-- raw HTML omitted -->\n");
	MD("<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n");
	MD("a <b>x</b> c\n",
	    "<p>a <!-- raw HTML omitted -->x<!-- raw HTML omitted --> c</p>\n");
}

static void
test_raw_html_kept_when_unsafe(void **state)
{
	(void)state;
	expect_md("<div>x</div>\n", true, "<div>x</div>\n");
	expect_md("a <b>x</b> c\n", true, "<p>a <b>x</b> c</p>\n");
	expect_md("中文\n<span>继续</span>\n", true,
	    "<p>中文\n<span>继续</span></p>\n");
}

static void
test_dangerous_links_dropped_in_safe_mode(void **state)
{
	(void)state;
	MD("[x](javascript:alert(1))\n", "<p><a href=\"\">x</a></p>\n");
	MD("[x](JavaScript:alert(1))\n", "<p><a href=\"\">x</a></p>\n");
	MD("[x](vbscript:msgbox)\n", "<p><a href=\"\">x</a></p>\n");
	MD("[x](data:text/html,hi)\n", "<p><a href=\"\">x</a></p>\n");
	MD("![i](javascript:alert(1))\n", "<p><img src=\"\" alt=\"i\" /></p>\n");
	MD("[ok](https://example.org/?a=1&b=2)\n",
	    "<p><a href=\"https://example.org/?a=1&amp;b=2\">ok</a></p>\n");
	expect_md("[x](javascript:alert(1))\n", true,
	    "<p><a href=\"javascript:alert(1)\">x</a></p>\n");
}

static void
test_text_escaped(void **state)
{
	(void)state;
	MD("a < b & \"c\"\n", "<p>a &lt; b &amp; &quot;c&quot;</p>\n");
	MD("", "");
}

/* A heading with its id, around the same inlines. */
#define H(n, id, inner) "<h" #n " id=\"" id "\">" inner "</h" #n ">\n"

static void
test_heading_ids_ascii(void **state)
{
	(void)state;
	MD("# Hello, World!\n", H(1, "hello-world", "Hello, World!"));
	MD("## API Usage\n", H(2, "api-usage", "API Usage"));
	MD("### (Intro)\n", H(3, "intro", "(Intro)"));
	MD("# A & B \"C\"\n", H(1, "a-b-c", "A &amp; B &quot;C&quot;"));
	MD("# The `x` *y*\n", H(1, "the-x-y", "The <code>x</code> <em>y</em>"));
	MD("Title\n=====\n", H(1, "title", "Title"));
	MD("###### Deep\n", H(6, "deep", "Deep"));
	MD("# 中文\n继续\n", H(1, "中文", "中文") "<p>继续</p>\n");
}

static void
test_heading_ids_cjk(void **state)
{
	(void)state;
	MD("## 市场概况\n", H(2, "市场概况", "市场概况"));
	MD("# API 与 SDK 2024\n", H(1, "api-与-sdk-2024", "API 与 SDK 2024"));
	MD("# 2024年《报告》\n", H(1, "2024年-报告", "2024年《报告》"));
	MD("# 出海、反向出海\n", H(1, "出海-反向出海", "出海、反向出海"));
	MD("# 小红书（RedNote）\n", H(1, "小红书-rednote", "小红书（RedNote）"));
	MD("# “引号”·标题\n", H(1, "引号-标题", "“引号”·标题"));
	MD("# 中文，English！\n", H(1, "中文-english", "中文，English！"));
}

/* Full-width punctuation is punctuation: "：", "；" and "？" become '-'
 * (or vanish at the end) like "，", "！" and "（" do. */
static void
test_heading_ids_fullwidth_punctuation(void **state)
{
	(void)state;
	MD("# 案例：小红书\n", H(1, "案例-小红书", "案例：小红书"));
	MD("# 为什么？\n", H(1, "为什么", "为什么？"));
	MD("# 甲；乙\n", H(1, "甲-乙", "甲；乙"));
	MD("# ？\n", H(1, "section", "？"));
}

static void
test_heading_ids_duplicates(void **state)
{
	(void)state;
	MD("# 概述\n\n## 概述\n\n### 概述\n",
	    H(1, "概述", "概述") H(2, "概述-2", "概述") H(3, "概述-3", "概述"));
	MD("# A\n# a\n# A-2\n",
	    H(1, "a", "A") H(1, "a-2", "a") H(1, "a-2-2", "A-2"));
}

static void
test_heading_ids_empty(void **state)
{
	(void)state;
	MD("# !!!\n\n# （）\n",
	    H(1, "section", "!!!") H(1, "section-2", "（）"));
	MD("#\n", H(1, "section", ""));
}

/* ---- full render through the model ------------------------------------------------ */

static struct site *S;
static struct arena A;
static struct matcher *M;

static int
setup(void **state)
{
	(void)state;
	if (fixture_begin() != 0)
		return -1;
	arena_init(&A);
	S = NULL;
	M = NULL;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (M != NULL)
		matcher_free(M);
	site_free(S);
	arena_free(&A);
	fixture_end();
	return 0;
}


static const char GLOSSARY[] =
    "- zh: 出海\n"
    "  pinyin: chūhǎi\n"
    "  en: going overseas\n"
    "- zh: 躺赢\n"
    "  pinyin: tǎngyíng\n"
    "  en: winning without effort\n"
    "- zh: 反向出海\n"
    "  pinyin: fǎnxiàng chūhǎi\n"
    "  en: reverse going abroad\n";

/* Loads ROOT (which must load cleanly), renders every article and checks
 * the cross-link anchors. */
static void
load_and_render(void)
{
	put("site.yaml", "title:\n  zh: 测试站\n  en: Test Site\nbase_url: https://example.org/\n");
	put("glossary.yaml", GLOSSARY);
	struct load_options opt = { ROOT, false, NULL, 1, NULL, NULL, NULL };
	S = site_load(&opt, &D);
	assert_non_null(S);
	ASSERT_DIAGS("");
	M = render_glossary_matcher(S);
	struct render_ctx ctx = { .site = S, .glossary = M, .diags = &D, .arena = &A };
	for (size_t i = 0; i < S->n_articles; i++)
		render_article(&ctx, S->articles[i]);
	render_check_anchors(ctx.anchors, &D);
}

static struct article *
article(const char *slug)
{
	struct article *a = site_find_article(S, slug);
	assert_non_null(a);
	return a;
}

#define NOTE(n, zh, pinyin)                                                   \
	"<a class=\"gl\" id=\"r_" #n "\" href=\"#n_" #n "\"><ruby>" zh        \
	"<rt>" pinyin "</rt></ruby><sup>" #n "</sup></a>"
#define ADHOC(n, zh)                                                          \
	"<a class=\"gl\" id=\"r_" #n "\" href=\"#n_" #n "\"><dfn>" zh         \
	"</dfn><sup>" #n "</sup></a>"

static void
test_auto_annotation_first_occurrence_only(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "## 出海的背景\n"
	    "\n"
	    "出海是趋势。出海很难。\n"
	    "\n"
	    "又说出海。[出海](https://x.org/)\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	assert_string_equal(a->zh.html,
	    H(2, "出海的背景", "出海的背景")
	    "<p>" NOTE(1, "出海", "chūhǎi") "是趋势。出海很难。</p>\n"
	    "<p>又说出海。<a href=\"https://x.org/\">出海</a></p>\n");
	assert_int_equal(a->zh.n_glossary_used, 1);
	const struct gloss_term *t = a->zh.glossary_used[0];
	assert_ptr_equal(t, S->glossary[0]);
	assert_string_equal(t->zh, "出海");
	assert_string_equal(t->pinyin, "chūhǎi");
	assert_string_equal(t->en, "going overseas");
	assert_int_equal(a->zh.n_ids, 1);
	assert_string_equal(a->zh.ids[0], "出海的背景");
}

static void
test_auto_annotation_longest_match(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "反向出海不是出海。\n");
	load_and_render();
	ASSERT_DIAGS("");
	assert_string_equal(article("a")->zh.html,
	    "<p>" NOTE(1, "反向出海", "fǎnxiàng chūhǎi") "不是"
	    NOTE(2, "出海", "chūhǎi") "。</p>\n");
}

static void
test_gloss_reference(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "躺赢者很多。[躺赢](gloss:)是一个说法，[躺赢](gloss:)再说。\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	/* the explicit reference takes the note from the first occurrence;
	 * a second reference is plain text */
	assert_string_equal(a->zh.html,
	    "<p>躺赢者很多。" NOTE(1, "躺赢", "tǎngyíng")
	    "是一个说法，躺赢再说。</p>\n");
	assert_int_equal(a->zh.n_glossary_used, 1);
	assert_ptr_equal(a->zh.glossary_used[0], S->glossary[1]);
}

static void
test_gloss_adhoc_note(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "[内卷](gloss: \"involution\")来了，[内卷](gloss: \"involution\")又来了。\n"
	    "\n"
	    "出海。\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	assert_string_equal(a->zh.html,
	    "<p>" ADHOC(1, "内卷") "来了，内卷又来了。</p>\n"
	    "<p>" NOTE(2, "出海", "chūhǎi") "。</p>\n");
	assert_int_equal(a->zh.n_glossary_used, 2);
	const struct gloss_term *t = a->zh.glossary_used[0];
	assert_string_equal(t->zh, "内卷");
	assert_null(t->pinyin);
	assert_string_equal(t->en, "involution");
	assert_true(t->adhoc && t->local);
	assert_null(t->slug);
	assert_ptr_equal(a->zh.glossary_used[1], S->glossary[0]);
}

/* "pinyin | meaning": the note gets pinyin like a glossary term; a '|'
 * after anything that cannot be pinyin (here a comma) stays part of the
 * meaning; "pinyin |" alone has no meaning, an error. */
static void
test_gloss_adhoc_pinyin(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "[稀里糊涂](gloss: \"xīlihútú | muddle-headed\")，"
	    "[内卷](gloss: \"in, out | 内卷\")，[空](gloss: \" kōng |\")。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:5:71: error: gloss note for '空' has no English: write [空](gloss: \"meaning\")\n"
	    "haichao: 1 error, 0 warnings\n");
	struct article *a = article("a");
	assert_string_equal(a->zh.html,
	    "<p>" NOTE(1, "稀里糊涂", "xīlihútú") "，" ADHOC(2, "内卷") "，空。</p>\n");
	const struct gloss_term *t = a->zh.glossary_used[0];
	assert_string_equal(t->pinyin, "xīlihútú");
	assert_string_equal(t->en, "muddle-headed");
	t = a->zh.glossary_used[1];
	assert_null(t->pinyin);
	assert_string_equal(t->en, "in, out | 内卷");
}

static void
test_gloss_notes_numbered_in_text_order(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "出海，然后[内卷](gloss: \"involution\")，再[躺赢](gloss:)。\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	assert_string_equal(a->zh.html,
	    "<p>" NOTE(1, "出海", "chūhǎi") "，然后" ADHOC(2, "内卷") "，再"
	    NOTE(3, "躺赢", "tǎngyíng") "。</p>\n");
	assert_int_equal(a->zh.n_glossary_used, 3);
	assert_string_equal(a->zh.glossary_used[0]->zh, "出海");
	assert_string_equal(a->zh.glossary_used[1]->zh, "内卷");
	assert_string_equal(a->zh.glossary_used[2]->zh, "躺赢");
}

static void
test_gloss_local_term(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\nglossary:\n"
	    "  - {zh: 内卷, en: involution}\n---\n"
	    "内卷。[内卷](gloss:)\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	/* local terms are not annotated automatically */
	assert_string_equal(a->zh.html, "<p>内卷。" ADHOC(1, "内卷") "</p>\n");
	assert_int_equal(a->zh.n_glossary_used, 1);
	assert_ptr_equal(a->zh.glossary_used[0], a->local_glossary[0]);
	assert_false(a->zh.glossary_used[0]->adhoc);
	assert_string_equal(a->zh.glossary_used[0]->en, "involution");
}

/* Notes are "numbered in order of first use" (site.h): a local term
 * referenced twice gets one note, as a glossary.yaml term does. */
static void
test_gloss_local_term_referenced_twice(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\nglossary:\n"
	    "  - {zh: 内卷, en: involution}\n---\n"
	    "[内卷](gloss:)和[内卷](gloss:)\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	assert_string_equal(a->zh.html, "<p>" ADHOC(1, "内卷") "和内卷</p>\n");
	assert_int_equal(a->zh.n_glossary_used, 1);
}

static void
test_gloss_unknown_reference(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "第一段。\n"
	    "\n"
	    "前文，[未知词](gloss:)后文。\n"
	    "\n"
	    "续行\n"
	    "又[空白](gloss: \"\")。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:7:4: error: '未知词' is not a glossary.yaml term\n"
	    "$/articles/a.zh.md:10:2: error: gloss note for '空白' has no English: write [空白](gloss: \"meaning\")\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_string_equal(article("a")->zh.html,
	    "<p>第一段。</p>\n<p>前文，未知词后文。</p>\n<p>续行又空白。</p>\n");
}

/* Each error is at its own link's '['. */
static void
test_gloss_error_position_second_link(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "又[空](gloss:)与[虚](gloss:)。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:5:2: error: '空' is not a glossary.yaml term\n"
	    "$/articles/a.zh.md:5:14: error: '虚' is not a glossary.yaml term\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_gloss_adhoc_conflict(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "\n"
	    "所谓[出海](gloss: \"go out\")。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:6:3: error: term '出海' means 'go out' here but 'going overseas' at $/glossary.yaml:1:3\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_cross_links(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "## Overview\n"
	    "\n"
	    "参见[另一篇](b.zh.md)、[英文](./b.en.md)和[章节](b.zh.md#details)。\n");
	put("articles/b.zh.md",
	    "---\ntitle: 乙\ndate: 2024-01-01\n---\n"
	    "## Details\n\n回看[甲](a.zh.md#overview)。\n");
	put("articles/b.en.md", "---\ntitle: B\n---\nSee [A](a.zh.md).\n");
	load_and_render();
	ASSERT_DIAGS("");
	assert_string_equal(article("a")->zh.html,
	    H(2, "overview", "Overview")
	    "<p>参见<a href=\"../../../zh/articles/b/index.html\">另一篇</a>、"
	    "<a href=\"../../../en/articles/b/index.html\">英文</a>和"
	    "<a href=\"../../../zh/articles/b/index.html#details\">章节</a>。</p>\n");
	assert_string_equal(article("b")->zh.html,
	    H(2, "details", "Details")
	    "<p>回看<a href=\"../../../zh/articles/a/index.html#overview\">甲</a>。</p>\n");
	assert_string_equal(article("b")->en->html,
	    "<p>See <a href=\"../../../zh/articles/a/index.html\">A</a>.</p>\n");
}

static void
test_cross_link_missing(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "参见[另一篇](b.zh.md)和[缺失](missing.zh.md)。\n"
	    "\n"
	    "- 列表\n"
	    "- 项目[英文](b.en.md)\n");
	put("articles/b.zh.md", "---\ntitle: 乙\ndate: 2024-01-01\n---\n乙。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:5:23: error: link to missing article 'missing.zh.md'\n"
	    "$/articles/a.zh.md:8:10: error: link to missing article 'b.en.md'\n"
	    "haichao: 2 errors, 0 warnings\n");
	/* the link is left as written */
	assert_string_equal(article("a")->zh.html,
	    "<p>参见<a href=\"../../../zh/articles/b/index.html\">另一篇</a>和"
	    "<a href=\"missing.zh.md\">缺失</a>。</p>\n"
	    "<ul>\n<li>列表</li>\n<li>项目<a href=\"b.en.md\">英文</a></li>\n</ul>\n");
}

/* Two links to the same missing file on one line: each is reported at
 * its own URL (not both at the first, where they would merge into one
 * message). */
static void
test_cross_link_missing_twice_on_one_line(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "参见[甲](gone.zh.md)与[乙](gone.zh.md)。\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:5:7: error: link to missing article 'gone.zh.md'\n"
	    "$/articles/a.zh.md:5:23: error: link to missing article 'gone.zh.md'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_cross_link_missing_anchor(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "## 出海的背景\n");
	put("articles/b.zh.md",
	    "---\ntitle: 乙\ndate: 2024-01-01\n---\n"
	    "[好](a.zh.md#出海的背景) [坏](a.zh.md#nope)\n");
	load_and_render();
	ASSERT_DIAGS(
	    "$/articles/b.zh.md:5:24: error: link to missing anchor '#nope' in '$/articles/a.zh.md'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_not_cross_links(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "[x](https://x.org/a.zh.md) [y](dir/a.zh.md) [z](a.md) [w](#top)\n");
	load_and_render();
	/* A path to an article's file must lead to it (dir/a.zh.md does
	 * not); relative paths that are not cross-links name asset files,
	 * which must exist. */
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:5:32: error: link to missing article 'dir/a.zh.md'\n"
	    "$/articles/a.zh.md:5:49: error: 'a.md' not found (an article's files go in content/articles/<slug>/)\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_string_equal(article("a")->zh.html,
	    "<p><a href=\"https://x.org/a.zh.md\">x</a> <a href=\"dir/a.zh.md\">y</a> "
	    "<a href=\"a.md\">z</a> <a href=\"#top\">w</a></p>\n");
}

static void
test_body_line_joining_and_counts(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "小红书在美国\n登顶 App Store。\n");
	put("articles/a.en.md", "---\ntitle: A\n---\nRedNote tops\nthe chart.\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	assert_string_equal(a->zh.html, "<p>小红书在美国登顶 App Store。</p>\n");
	assert_int_equal(a->zh.han_chars, 8);
	assert_int_equal(a->zh.latin_words, 2);
	assert_string_equal(a->en->html, "<p>RedNote tops\nthe chart.</p>\n");
	assert_int_equal(a->en->latin_words, 4);
	assert_int_equal(a->en->han_chars, 0);
}

/* The reading time's counts: Han characters of every block (but the
 * hexagrams beside them), none of the punctuation, kana or full-width
 * forms; Latin words across runs of CJK. */
static void
test_counts_by_block(void **state)
{
	(void)state;
	put("articles/a.zh.md",
	    "---\ntitle: 甲\ndate: 2024-01-02\n---\n"
	    "㐀䶵一龥豈﫿䷀，。、あア１\U00020000 TikTok在美国2024年re-entry's\n");
	load_and_render();
	ASSERT_DIAGS("");
	struct article *a = article("a");
	/* 㐀 䶵 一 龥 豈 﫿 𠀀 在 美 国 年 */
	assert_int_equal(a->zh.han_chars, 11);
	/* TikTok, 2024, re-entry's */
	assert_int_equal(a->zh.latin_words, 3);
}

/* Last: render_markdown_plain's site has no article index; the look-up
 * for a cross-link once aborted the binary under UBSan (bsearch on
 * NULL). */
static void
test_plain_cross_link_left_alone(void **state)
{
	(void)state;
	MD("[x](other.zh.md)\n", "<p><a href=\"other.zh.md\">x</a></p>\n");
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cjk_soft_break_removed),
		cmocka_unit_test(test_latin_soft_break_kept),
		cmocka_unit_test(test_mixed_soft_break_kept),
		cmocka_unit_test(test_soft_break_inside_inlines),
		cmocka_unit_test(test_hard_break_and_paragraphs_kept),
		cmocka_unit_test(test_raw_html_omitted_by_default),
		cmocka_unit_test(test_raw_html_kept_when_unsafe),
		cmocka_unit_test(test_dangerous_links_dropped_in_safe_mode),
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_heading_ids_ascii),
		cmocka_unit_test(test_heading_ids_cjk),
		cmocka_unit_test(test_heading_ids_fullwidth_punctuation),
		cmocka_unit_test(test_forbidden_code_points_replaced),
		cmocka_unit_test(test_heading_ids_duplicates),
		cmocka_unit_test(test_heading_ids_empty),
		T(test_auto_annotation_first_occurrence_only),
		T(test_auto_annotation_longest_match),
		T(test_gloss_reference),
		T(test_gloss_adhoc_note),
		T(test_gloss_adhoc_pinyin),
		T(test_gloss_notes_numbered_in_text_order),
		T(test_gloss_local_term),
		T(test_gloss_local_term_referenced_twice),
		T(test_gloss_unknown_reference),
		T(test_gloss_error_position_second_link),
		T(test_gloss_adhoc_conflict),
		T(test_cross_links),
		T(test_cross_link_missing),
		T(test_cross_link_missing_twice_on_one_line),
		T(test_cross_link_missing_anchor),
		T(test_not_cross_links),
		T(test_body_line_joining_and_counts),
		T(test_counts_by_block),
		cmocka_unit_test(test_plain_cross_link_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
