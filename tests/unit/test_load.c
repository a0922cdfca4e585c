/* test_load.c — unit tests for loading content/ into the site model
 * (generator/load.c, with link.c): model fields and every validation
 * message, with its exact position.  Each test builds a small content
 * tree in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fixture.h"
#include "load.h"
#include "site.h"

/* ---- fixture: a temporary content folder -------------------------------------- */

static struct site *S;

static int
setup(void **state)
{
	(void)state;
	if (fixture_begin() != 0)
		return -1;
	S = NULL;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	site_free(S);
	S = NULL;
	fixture_end();
	return 0;
}


static struct site *
load_with(bool drafts, const char *base_url)
{
	site_free(S);
	diags_free(&D);
	diags_init(&D);
	struct load_options opt = { ROOT, drafts, base_url, 1, NULL, NULL, NULL };
	S = site_load(&opt, &D);
	assert_non_null(S);
	return S;
}

static struct site *
load(void)
{
	return load_with(false, NULL);
}

static const char SITE_YAML[] =
    "title:\n"
    "  zh: 测试站\n"
    "  en: Test Site\n"
    "base_url: https://example.org/\n";

static const char OK_ARTICLE[] =
    "---\n"
    "title: 好\n"
    "date: 2024-01-01\n"
    "---\n"
    "正文。\n";

/* site.yaml and one good article */
static void
base(void)
{
	put("site.yaml", SITE_YAML);
	put("articles/ok.zh.md", OK_ARTICLE);
}

/* UTF-8 text converted to `enc` (caller frees). */
static char *
encode(const char *enc, const char *utf8, size_t *out_len)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t in_left = strlen(utf8), cap = in_left * 4 + 16, out_left = cap;
	char *out = malloc(cap);
	assert_non_null(out);
	char *in = (char *)utf8, *o = out;
	assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
	iconv_close(cd);
	*out_len = (size_t)(o - out);
	return out;
}

static void
assert_pos(struct pos p, const char *path, int line, int col)
{
	assert_string_equal(p.path, X(path));
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

/* ---- the model ---------------------------------------------------------------- */

static void
write_full_tree(void)
{
	put("site.yaml",
	    "title:\n"
	    "  zh: 海潮\n"
	    "  en: \"The Tide\"\n"
	    "base_url: https://example.org/haichao\n"
	    "languages: [en, zh]\n"
	    "per_page: 7\n"
	    "unsafe_html: true\n");
	put("taxonomy.yaml",
	    "companies:\n"
	    "  acme:\n"
	    "    zh: 极致\n"
	    "    en: Acme\n"
	    "  beta-co:\n"
	    "    zh: 贝塔\n"
	    "    en: Beta\n"
	    "apps:\n"
	    "  rocket:\n"
	    "    zh: 火箭\n"
	    "    en: Rocket\n"
	    "    company: acme\n"
	    "    market: US\n"
	    "    launched: 2019\n"
	    "    status: active\n"
	    "  comet:\n"
	    "    zh: 彗星\n"
	    "    en: Comet\n"
	    "    company: acme\n"
	    "    launched: 2015\n"
	    "    closed: 2020\n"
	    "    status: closed\n"
	    "themes:\n"
	    "  growth:\n"
	    "    zh: 增长\n"
	    "    en: Growth\n"
	    "    summary_zh: 关于增长\n"
	    "    summary_en: About growth\n");
	put("glossary.yaml",
	    "- zh: 出海\n"
	    "  pinyin: chūhǎi\n"
	    "  en: going overseas\n"
	    "  note_zh: 注释\n"
	    "  note_en: A note\n");
	put("articles/a.zh.md",
	    "---\n"
	    "title: 甲文\n"
	    "title_en: A en\n"
	    "date: 2024-01-02\n"
	    "summary_zh: 摘要\n"
	    "author: 王\n"
	    "source: 新闻\n"
	    "source_url: https://news.example/1\n"
	    "companies: [acme, acme]\n"
	    "apps: rocket\n"
	    "themes: [growth]\n"
	    "glossary:\n"
	    "  - zh: 本地\n"
	    "    en: local\n"
	    "---\n"
	    "\n"
	    "正文第一段。\n");
	put("articles/a.en.md",
	    "---\n"
	    "title: A in English\n"
	    "summary: Summary EN\n"
	    "updated: 2024-02-03\n"
	    "---\n"
	    "Body.\n");
	put("articles/b.zh.md", "---\ntitle: 乙\ndate: 2024-03-01\n---\n乙。\n");
	put("articles/c.zh.md", "---\ntitle: 丙\ndate: 2024-03-01\n---\n丙。\n");
	put("articles/d.zh.md",
	    "---\ntitle: 丁\ndate: 2025-01-01\ndraft: true\n---\n丁。\n");
	put("articles/d.en.md", "---\ntitle: D\n---\nD.\n");
	make_dir("articles/a");   /* a's asset folder */
}

static void
test_model_site_settings(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_string_equal(s->content_dir, ROOT);
	assert_string_equal(s->title[LANG_ZH], "海潮");
	assert_string_equal(s->title[LANG_EN], "The Tide");
	assert_string_equal(s->base_url, "https://example.org/haichao/");
	assert_int_equal(s->languages[0], LANG_EN);
	assert_int_equal(s->languages[1], LANG_ZH);
	assert_int_equal(s->per_page, 7);
	assert_true(s->unsafe_html);
	assert_null(s->encoding);
}

static void
test_model_taxonomy(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_int_equal(s->n_terms[KIND_COMPANY], 2);
	assert_int_equal(s->n_terms[KIND_APP], 2);
	assert_int_equal(s->n_terms[KIND_THEME], 1);
	/* sorted by slug */
	assert_string_equal(s->terms[KIND_COMPANY][0].slug, "acme");
	assert_string_equal(s->terms[KIND_COMPANY][1].slug, "beta-co");
	assert_string_equal(s->terms[KIND_APP][0].slug, "comet");
	assert_string_equal(s->terms[KIND_APP][1].slug, "rocket");

	struct term *acme = site_find_term(s, KIND_COMPANY, "acme");
	assert_non_null(acme);
	assert_int_equal(acme->kind, KIND_COMPANY);
	assert_string_equal(acme->name[LANG_ZH], "极致");
	assert_string_equal(acme->name[LANG_EN], "Acme");
	assert_null(acme->summary[LANG_ZH]);
	assert_pos(acme->pos, "$/taxonomy.yaml", 2, 3);

	struct term *rocket = site_find_term(s, KIND_APP, "rocket");
	struct term *comet = site_find_term(s, KIND_APP, "comet");
	assert_non_null(rocket);
	assert_non_null(comet);
	assert_ptr_equal(rocket->company, acme);
	assert_string_equal(rocket->company_slug, "acme");
	assert_pos(rocket->company_pos, "$/taxonomy.yaml", 12, 14);
	assert_string_equal(rocket->market, "US");
	assert_int_equal(rocket->launched, 2019);
	assert_int_equal(rocket->closed, 0);
	assert_int_equal(rocket->status, STATUS_ACTIVE);
	assert_int_equal(comet->launched, 2015);
	assert_int_equal(comet->closed, 2020);
	assert_int_equal(comet->status, STATUS_CLOSED);
	/* the company's apps in launch order */
	assert_int_equal(acme->n_apps, 2);
	assert_ptr_equal(acme->apps[0], comet);
	assert_ptr_equal(acme->apps[1], rocket);
	struct term *beta = site_find_term(s, KIND_COMPANY, "beta-co");
	assert_int_equal(beta->n_apps, 0);

	struct term *growth = site_find_term(s, KIND_THEME, "growth");
	assert_string_equal(growth->summary[LANG_ZH], "关于增长");
	assert_string_equal(growth->summary[LANG_EN], "About growth");
	assert_int_equal(growth->status, STATUS_NONE);
}

static void
test_model_articles(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load();
	ASSERT_DIAGS("");
	/* newest first, equal dates by slug; the draft left out */
	assert_int_equal(s->n_articles, 3);
	assert_string_equal(s->articles[0]->slug, "b");
	assert_string_equal(s->articles[1]->slug, "c");
	assert_string_equal(s->articles[2]->slug, "a");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(s->articles[i]->index, i);
	assert_string_equal(s->by_slug[0]->slug, "a");
	assert_string_equal(s->by_slug[1]->slug, "b");
	assert_string_equal(s->by_slug[2]->slug, "c");
	assert_null(site_find_article(s, "d"));

	struct article *a = site_find_article(s, "a");
	assert_non_null(a);
	assert_pos(a->pos, "$/articles/a.zh.md", 1, 1);
	assert_int_equal(a->date.year, 2024);
	assert_int_equal(a->date.month, 1);
	assert_int_equal(a->date.day, 2);
	assert_string_equal(a->title[LANG_ZH], "甲文");
	/* the translation's title wins over title_en */
	assert_string_equal(a->title[LANG_EN], "A in English");
	assert_string_equal(a->summary[LANG_ZH], "摘要");
	assert_string_equal(a->summary[LANG_EN], "Summary EN");
	assert_string_equal(a->author, "王");
	assert_string_equal(a->source, "新闻");
	assert_string_equal(a->source_url, "https://news.example/1");
	assert_false(a->draft);

	/* term references resolved, duplicates dropped, a scalar is a list */
	assert_int_equal(a->n_terms[KIND_COMPANY], 1);
	assert_ptr_equal(a->terms[KIND_COMPANY][0], site_find_term(s, KIND_COMPANY, "acme"));
	assert_int_equal(a->n_terms[KIND_APP], 1);
	assert_ptr_equal(a->terms[KIND_APP][0], site_find_term(s, KIND_APP, "rocket"));
	assert_int_equal(a->n_terms[KIND_THEME], 1);
	struct term *acme = site_find_term(s, KIND_COMPANY, "acme");
	assert_int_equal(acme->n_articles, 1);
	assert_ptr_equal(acme->articles[0], a);
	assert_int_equal(site_find_term(s, KIND_COMPANY, "beta-co")->n_articles, 0);

	/* the zh body */
	assert_string_equal(a->zh.path, X("$/articles/a.zh.md"));
	assert_string_equal(a->zh.body, "\n正文第一段。\n");
	assert_int_equal(a->zh.body_len, strlen("\n正文第一段。\n"));
	assert_int_equal(a->zh.body_line, 16);
	assert_int_equal(a->zh.updated.year, 0);

	/* the translation */
	assert_non_null(a->en);
	assert_string_equal(a->en->path, X("$/articles/a.en.md"));
	assert_string_equal(a->en->body, "Body.\n");
	assert_int_equal(a->en->body_line, 6);
	assert_int_equal(a->en->updated.year, 2024);
	assert_int_equal(a->en->updated.month, 2);
	assert_int_equal(a->en->updated.day, 3);
	assert_null(site_find_article(s, "b")->en);
	assert_null(site_find_article(s, "b")->title[LANG_EN]);
}

static void
test_model_glossary(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_int_equal(s->n_site_glossary, 1);
	assert_int_equal(s->n_glossary, 2);
	struct gloss_term *g = s->glossary[0];
	assert_string_equal(g->zh, "出海");
	assert_string_equal(g->pinyin, "chūhǎi");
	assert_string_equal(g->en, "going overseas");
	assert_string_equal(g->note[LANG_ZH], "注释");
	assert_string_equal(g->note[LANG_EN], "A note");
	assert_false(g->local);
	assert_int_equal(g->id, 0);
	assert_pos(g->pos, "$/glossary.yaml", 1, 3);

	struct gloss_term *l = s->glossary[1];
	assert_string_equal(l->zh, "本地");
	assert_string_equal(l->en, "local");
	assert_null(l->pinyin);
	assert_true(l->local);
	assert_int_equal(l->id, 1);
	assert_pos(l->pos, "$/articles/a.zh.md", 13, 5);
	struct article *a = site_find_article(s, "a");
	assert_int_equal(a->n_local_glossary, 1);
	assert_ptr_equal(a->local_glossary[0], l);
}

static void
test_drafts_kept_with_option(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load_with(true, NULL);
	ASSERT_DIAGS("");
	assert_int_equal(s->n_articles, 4);
	assert_string_equal(s->articles[0]->slug, "d");
	assert_true(s->articles[0]->draft);
	assert_non_null(s->articles[0]->en);
	assert_string_equal(s->articles[0]->title[LANG_EN], "D");
	assert_string_equal(s->articles[3]->slug, "a");
}

static void
test_base_url_option_overrides(void **state)
{
	(void)state;
	write_full_tree();
	struct site *s = load_with(false, "http://localhost:8000");
	ASSERT_DIAGS("");
	assert_string_equal(s->base_url, "http://localhost:8000/");
	s = load_with(false, "https://x.org/a/");
	assert_string_equal(s->base_url, "https://x.org/a/");
}

static void
test_defaults_without_optional_files(void **state)
{
	(void)state;
	base();
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_string_equal(s->base_url, "https://example.org/");
	assert_int_equal(s->per_page, 20);
	assert_int_equal(s->languages[0], LANG_ZH);
	assert_int_equal(s->languages[1], LANG_EN);
	assert_false(s->unsafe_html);
	assert_int_equal(s->n_terms[KIND_COMPANY], 0);
	assert_int_equal(s->n_glossary, 0);
	assert_int_equal(s->n_articles, 1);
	struct article *a = s->articles[0];
	assert_string_equal(a->slug, "ok");
	assert_string_equal(a->zh.body, "正文。\n");
	assert_int_equal(a->zh.body_line, 5);
	assert_null(a->en);
	assert_null(a->title[LANG_EN]);
	assert_null(a->summary[LANG_ZH]);
}

static void
test_bom_crlf_article(void **state)
{
	(void)state;
	put("site.yaml", SITE_YAML);
	put("articles/w.zh.md",
	    "\xEF\xBB\xBF---\r\ntitle: 视窗\r\ndate: 2024-05-06\r\n---\r\n\r\n正文\r\n");
	struct site *s = load();
	ASSERT_DIAGS("");
	struct article *a = site_find_article(s, "w");
	assert_non_null(a);
	assert_string_equal(a->title[LANG_ZH], "视窗");
	assert_string_equal(a->zh.body, "\n正文\n");
	assert_int_equal(a->zh.body_line, 5);
}

static void
test_dots_close_front_matter(void **state)
{
	(void)state;
	put("site.yaml", SITE_YAML);
	put("articles/p.zh.md", "---\ntitle: 点\ndate: 2024-05-06\n...\nbody\n");
	put("articles/q.zh.md", "---\ntitle: 末\ndate: 2024-05-07\n---");
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_string_equal(site_find_article(s, "p")->zh.body, "body\n");
	assert_string_equal(site_find_article(s, "q")->zh.body, "");
	assert_int_equal(site_find_article(s, "q")->zh.body_len, 0);
}

/* ---- articles: validation ---------------------------------------------------- */

static void
test_missing_title(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ndate: 2024-01-01\n---\nbody\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:2:1: error: missing required field 'title'\n"
	    "haichao: 1 error, 0 warnings\n");
	/* loading goes on: the slug stands in for the title */
	struct article *a = site_find_article(s, "x");
	assert_non_null(a);
	assert_string_equal(a->title[LANG_ZH], "x");
}

static void
test_missing_date(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ntitle: 标题\n---\nbody\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:2:1: error: missing required field 'date'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_empty_front_matter(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\n---\nbody\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:1:1: error: missing required field 'title'\n"
	    "$/articles/x.zh.md:1:1: error: missing required field 'date'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_empty_and_null_title(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ndate: 2024-01-01\ntitle: \"\"\n---\n");
	put("articles/y.zh.md", "---\ndate: 2024-01-01\ntitle:\n---\n");
	put("articles/z.zh.md", "---\ndate: 2024-01-01\ntitle: [a, b]\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:3:8: error: missing required field 'title'\n"
	    "$/articles/y.zh.md:2:1: error: missing required field 'title'\n"
	    "$/articles/z.zh.md:3:8: error: 'title' must be a string\n"
	    "haichao: 3 errors, 0 warnings\n");
}

static void
test_bad_dates(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ntitle: T\ndate: 2023-02-29\n---\n");
	put("articles/y.zh.md", "---\ntitle: T\ndate: 2024/01/02\nupdated: 2024-13-01\n---\n");
	put("articles/z.zh.md", "---\ntitle: T\ndate: [2024]\n---\n");
	put("articles/leap.zh.md", "---\ntitle: T\ndate: 2024-02-29\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:3:7: error: '2023-02-29' is not a valid date (YYYY-MM-DD)\n"
	    "$/articles/y.zh.md:3:7: error: '2024/01/02' is not a valid date (YYYY-MM-DD)\n"
	    "$/articles/y.zh.md:4:10: error: '2024-13-01' is not a valid date (YYYY-MM-DD)\n"
	    "$/articles/z.zh.md:3:7: error: 'date' is not a valid date (YYYY-MM-DD)\n"
	    "haichao: 4 errors, 0 warnings\n");
	assert_int_equal(site_find_article(s, "leap")->date.day, 29);
}

static void
test_unknown_taxonomy_slug(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml",
	    "companies:\n  acme:\n    zh: 极致\n    en: Acme\n");
	put("articles/x.zh.md",
	    "---\n"
	    "title: T\n"
	    "date: 2024-01-01\n"
	    "companies: [acme, nope]\n"
	    "themes: missing-theme\n"
	    "apps:\n"
	    "  - 火箭\n"
	    "---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:19: error: unknown company 'nope' (not in taxonomy.yaml)\n"
	    "$/articles/x.zh.md:5:9: error: unknown theme 'missing-theme' (not in taxonomy.yaml)\n"
	    "$/articles/x.zh.md:7:5: error: unknown app '火箭' (not in taxonomy.yaml)\n"
	    "haichao: 3 errors, 0 warnings\n");
	struct article *a = site_find_article(s, "x");
	assert_int_equal(a->n_terms[KIND_COMPANY], 1);
	assert_int_equal(a->n_terms[KIND_THEME], 0);
}

static void
test_term_list_wrong_shape(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\ncompanies: {a: 1}\nthemes: [[a]]\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:12: error: 'companies' must be a list\n"
	    "$/articles/x.zh.md:5:10: error: 'themes' must be a list of strings\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_bad_file_names(void **state)
{
	(void)state;
	base();
	put("articles/Bad Name.zh.md", OK_ARTICLE);
	put("articles/文章.zh.md", OK_ARTICLE);
	put("articles/.hidden.zh.md", OK_ARTICLE);
	put("articles/-lead.zh.md", OK_ARTICLE);
	put("articles/x.fr.md", OK_ARTICLE);
	put("articles/notes.txt", "notes\n");
	put("articles/a.zh.md.bak", OK_ARTICLE);   /* an editor's: passed over */
	put("articles/.zh.md", OK_ARTICLE);
	put("articles/.DS_Store", "junk");
	put("articles/.ok.zh.md.swp", "swap");
	put("articles/.gitkeep", "");
	make_dir("articles/.git");
	make_dir("articles/Bad Dir");
	make_dir("articles/images");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/-lead.zh.md: error: '-lead.zh.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/.hidden.zh.md: error: '.hidden.zh.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/.zh.md: error: '.zh.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/Bad Dir: error: 'Bad Dir' is not a valid slug (1 to 200 lower-case ASCII letters, digits and '-', not starting with '-')\n"
	    "$/articles/Bad Name.zh.md: error: 'Bad Name.zh.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/images: warning: asset folder 'images' belongs to no article (name it after an article's slug, beside its .zh.md file)\n"
	    "$/articles/notes.txt: error: 'notes.txt' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/x.fr.md: error: 'x.fr.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "$/articles/文章.zh.md: error: '文章.zh.md' is not a valid article file name (<slug>.zh.md or <slug>.en.md)\n"
	    "haichao: 8 errors, 1 warning\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_symlink_refused(void **state)
{
	(void)state;
	base();
	char target[4096], link[4096];
	snprintf(target, sizeof(target), "%s/articles/ok.zh.md", ROOT);
	snprintf(link, sizeof(link), "%s/articles/link.zh.md", ROOT);
	assert_int_equal(symlink(target, link), 0);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/link.zh.md: error: symbolic links are not followed in content/\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_translation_without_original(void **state)
{
	(void)state;
	base();
	put("articles/ghost.en.md", "---\ntitle: Ghost\n---\nBoo.\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/ghost.en.md:1:1: error: translation without an original: ghost.zh.md does not exist\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
	assert_null(site_find_article(s, "ghost"));
}

static void
test_translation_missing_title(void **state)
{
	(void)state;
	base();
	put("articles/ok.en.md", "---\ndate: 2024-01-01\n---\nText.\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/ok.en.md:2:1: error: missing required field 'title'\n"
	    "haichao: 1 error, 0 warnings\n");
	struct article *a = site_find_article(s, "ok");
	assert_non_null(a->en);
	assert_null(a->title[LANG_EN]);
}

static void
test_front_matter_missing(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "title: x\ndate: 2024-01-01\n");
	put("articles/y.zh.md", " ---\ntitle: x\n---\n");
	put("articles/z.zh.md", "---title: x\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:1:1: error: missing front matter: the file must start with a '---' line\n"
	    "$/articles/y.zh.md:1:1: error: missing front matter: the file must start with a '---' line\n"
	    "$/articles/z.zh.md:1:1: error: missing front matter: the file must start with a '---' line\n"
	    "haichao: 3 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_front_matter_unterminated(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ntitle: x\ndate: 2024-01-01\n\nbody\n");
	put("articles/y.zh.md", "---");
	put("articles/z.zh.md", "---\ntitle: x\n----\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:1:1: error: front matter is not closed by a '---' line\n"
	    "$/articles/y.zh.md:1:1: error: front matter is not closed by a '---' line\n"
	    "$/articles/z.zh.md:1:1: error: front matter is not closed by a '---' line\n"
	    "haichao: 3 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_front_matter_not_a_map(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\n- a\n- b\n---\nbody\n");
	put("articles/y.zh.md", "---\n\njust text\n---\nbody\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:2:1: error: 'front matter' must be a map\n"
	    "$/articles/y.zh.md:3:1: error: 'front matter' must be a map\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_front_matter_yaml_error(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ntitle: T\ndate: 2024-01-01\nbad: a: b\n---\n");
	put("articles/y.zh.md", "---\ntitle: T\ntitle: U\ndate: 2024-01-01\n---\n");
	put("articles/z.zh.md", "---\ntitle: &t T\ndate: 2024-01-01\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:7: error: YAML: mapping values are not allowed in this context\n"
	    "$/articles/y.zh.md:3:1: error: duplicate key 'title'\n"
	    "$/articles/z.zh.md:2:8: error: YAML anchors and aliases are not supported\n"
	    "haichao: 3 errors, 0 warnings\n");
	/* y's first title counts, so the rest of it is checked too. */
	assert_int_equal(s->n_articles, 2);
}

static void
test_empty_file(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "");
	put_bytes("articles/y.zh.md", "\xEF\xBB\xBF", 3);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:1:1: error: empty file\n"
	    "$/articles/y.zh.md:1:1: error: empty file\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_unknown_key_warning(void **state)
{
	(void)state;
	put("site.yaml",
	    "title:\n  zh: 站\n  en: Site\nbase_url: https://x.org/\ntheme: dark\n");
	put("taxonomy.yaml",
	    "companies:\n  acme:\n    zh: 极致\n    en: Acme\n    website: x\nplaces: {}\n");
	put("glossary.yaml", "- zh: 词\n  pinyin: cí\n  en: word\n  see: x\n");
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\ncolour: red\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:1: warning: unknown key 'colour' ignored\n"
	    "$/glossary.yaml:4:3: warning: unknown key 'see' ignored\n"
	    "$/site.yaml:5:1: warning: unknown key 'theme' ignored\n"
	    "$/taxonomy.yaml:5:5: warning: unknown key 'website' ignored\n"
	    "$/taxonomy.yaml:6:1: warning: unknown key 'places' ignored\n"
	    "haichao: 0 errors, 5 warnings\n");
	assert_false(diags_failed(&D));
	assert_int_equal(s->n_articles, 1);
}

static void
test_bad_unsafe_html_and_draft(void **state)
{
	(void)state;
	put("site.yaml", "title:\n  zh: 站\n  en: Site\nbase_url: ~\nunsafe_html: maybe\n");
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\ndraft: \"true\"\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:8: error: 'draft' must be true or false\n"
	    "$/site.yaml:5:14: error: 'unsafe_html' must be true or false\n"
	    "haichao: 2 errors, 0 warnings\n");
}

/* ---- encodings ------------------------------------------------------------------ */

static void
test_declared_legacy_encoding(void **state)
{
	(void)state;
	base();
	size_t len;
	char *raw = encode("GB18030",
	    "---\ntitle: 国标文章\nencoding: gb18030\ndate: 2024-02-02\n---\n正文。\n",
	    &len);
	put_bytes("articles/gb.zh.md", raw, len);
	free(raw);
	struct site *s = load();
	ASSERT_DIAGS("");
	struct article *a = site_find_article(s, "gb");
	assert_non_null(a);
	assert_string_equal(a->title[LANG_ZH], "国标文章");
	assert_string_equal(a->zh.body, "正文。\n");
}

static void
test_site_default_encoding(void **state)
{
	(void)state;
	put("site.yaml", "title:\n  zh: 站\n  en: Site\nbase_url: ~\nencoding: big5\n");
	size_t len;
	char *raw = encode("BIG5", "---\ntitle: 臺灣\ndate: 2024-02-02\n---\n內容。\n", &len);
	put_bytes("articles/tw.zh.md", raw, len);
	free(raw);
	/* a UTF-8 file with a BOM is still UTF-8 */
	put("articles/u.zh.md", "\xEF\xBB\xBF---\ntitle: 统一\ndate: 2024-02-03\n---\n");
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_string_equal(s->encoding, "big5");
	assert_string_equal(site_find_article(s, "tw")->title[LANG_ZH], "臺灣");
	assert_string_equal(site_find_article(s, "tw")->zh.body, "內容。\n");
	assert_string_equal(site_find_article(s, "u")->title[LANG_ZH], "统一");
}

static void
test_unknown_encoding(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\nencoding: klingon\ntitle: T\ndate: 2024-01-01\n---\n");
	put("articles/y.zh.md", "---\ntitle: T\nencoding: \"no-such\"\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:2:11: error: unknown encoding 'klingon'\n"
	    "$/articles/y.zh.md:3:12: error: unknown encoding 'no-such'\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_invalid_utf8_article(void **state)
{
	(void)state;
	base();
	put("articles/x.zh.md", "---\ntitle: 中\xD6\xD0\ndate: 2024-01-01\n---\n");
	put_bytes("articles/y.zh.md", "---\ntitle: T\ndate: 2024-01-01\n---\nab\0c\n", 37);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:2:9: error: not valid UTF-8; an article in another encoding declares it in its front matter (e.g. 'encoding: gb18030'); data files must be UTF-8\n"
	    "$/articles/y.zh.md:5:3: error: NUL byte in text file\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_data_file_problems(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml", "companies:\n  acme:\n    zh: \xD6\xD0\n");
	put("glossary.yaml", "- zh: 出海\n  en: [going\n");
	load();
	ASSERT_DIAGS(
	    "$/glossary.yaml:2:7: error: YAML: while parsing a flow sequence: did not find expected ',' or ']'\n"
	    "$/taxonomy.yaml:3:9: error: not valid UTF-8; an article in another encoding declares it in its front matter (e.g. 'encoding: gb18030'); data files must be UTF-8\n"
	    "haichao: 2 errors, 0 warnings\n");
}

/* ---- site.yaml ------------------------------------------------------------------- */

static void
test_no_base_url_warning(void **state)
{
	(void)state;
	put("site.yaml", "title:\n  zh: 站\n  en: Site\n");
	put("articles/ok.zh.md", OK_ARTICLE);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/site.yaml: warning: no base_url in site.yaml: feeds, sitemap.xml and canonical links are left out\n"
	    "haichao: 0 errors, 1 warning\n");
	assert_null(s->base_url);
	/* the --base-url option stands in */
	s = load_with(false, "https://x.org");
	ASSERT_DIAGS("");
	assert_string_equal(s->base_url, "https://x.org/");
}

static void
test_missing_site_yaml(void **state)
{
	(void)state;
	put("articles/ok.zh.md", OK_ARTICLE);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/site.yaml: error: cannot read: No such file or directory\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_int_equal(s->n_articles, 1);
}

static void
test_missing_articles_folder(void **state)
{
	(void)state;
	put("site.yaml", SITE_YAML);
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles: error: cannot read: No such file or directory\n"
	    "$/articles: warning: no articles in $/articles\n"
	    "haichao: 1 error, 1 warning\n");
	assert_int_equal(s->n_articles, 0);
}

static void
test_empty_articles_folder(void **state)
{
	(void)state;
	put("site.yaml", SITE_YAML);
	make_dir("articles");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles: warning: no articles in $/articles\n"
	    "haichao: 0 errors, 1 warning\n");
	assert_int_equal(s->n_articles, 0);
}

static void
test_site_title_problems(void **state)
{
	(void)state;
	put("articles/ok.zh.md", OK_ARTICLE);
	put("site.yaml", "per_page: 5\nbase_url: ~\n");
	load();
	ASSERT_DIAGS(
	    "$/site.yaml:1:1: error: missing required field 'title'\n"
	    "haichao: 1 error, 0 warnings\n");
	put("site.yaml", "title: Foo\nbase_url: ~\n");
	load();
	ASSERT_DIAGS(
	    "$/site.yaml:1:8: error: 'title' must be a map with zh and en\n"
	    "haichao: 1 error, 0 warnings\n");
	put("site.yaml", "title:\n  zh: 站\nbase_url: ~\n");
	load();
	ASSERT_DIAGS(
	    "$/site.yaml:2:3: error: missing required field 'en'\n"
	    "haichao: 1 error, 0 warnings\n");
	put("site.yaml", "- a\n- b\n");
	load();
	ASSERT_DIAGS(
	    "$/site.yaml:1:1: error: 'site.yaml' must be a map\n"
	    "haichao: 1 error, 0 warnings\n");
	put("site.yaml", "just a string\n");
	load();
	ASSERT_DIAGS(
	    "$/site.yaml:1:1: error: 'the document' must be a map or a list\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
expect_per_page(const char *value, int want, const char *diags)
{
	char yaml[256];
	snprintf(yaml, sizeof(yaml), "%sper_page: %s\n", SITE_YAML, value);
	put("site.yaml", yaml);
	struct site *s = load();
	ASSERT_DIAGS(diags);
	assert_int_equal(s->per_page, want);
}

static void
test_per_page(void **state)
{
	(void)state;
	put("articles/ok.zh.md", OK_ARTICLE);
	static const char bad[] =
	    "$/site.yaml:5:11: error: per_page must be a whole number from 1 to 10000\n"
	    "haichao: 1 error, 0 warnings\n";
	expect_per_page("1", 1, "");
	expect_per_page("10000", 10000, "");
	expect_per_page("0", 20, bad);
	expect_per_page("-3", 20, bad);
	expect_per_page("10001", 20, bad);
	expect_per_page("ten", 20, bad);
	expect_per_page("5x", 20, bad);
	expect_per_page("2.5", 20, bad);
	expect_per_page("[5]", 20, bad);
	expect_per_page("", 20,
	    "$/site.yaml:5:10: error: per_page must be a whole number from 1 to 10000\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
expect_base_url(const char *value, const char *want, const char *diags)
{
	char yaml[256];
	snprintf(yaml, sizeof(yaml), "title:\n  zh: 测试站\n  en: Test Site\n"
	    "base_url: %s\n", value);
	put("site.yaml", yaml);
	struct site *s = load();
	ASSERT_DIAGS(diags);
	if (want == NULL)
		assert_null(s->base_url);
	else
		assert_string_equal(s->base_url, want);
}

static void
test_base_url(void **state)
{
	(void)state;
	put("articles/ok.zh.md", OK_ARTICLE);
	expect_base_url("https://example.org", "https://example.org/", "");
	expect_base_url("http://example.org/x/", "http://example.org/x/", "");
	expect_base_url("~", NULL, "");
	expect_base_url("ftp://example.org", NULL,
	    "$/site.yaml:4:11: error: base_url 'ftp://example.org' must be an absolute http(s) URL\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_base_url("example.org", NULL,
	    "$/site.yaml:4:11: error: base_url 'example.org' must be an absolute http(s) URL\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_base_url("https://", NULL,
	    "$/site.yaml:4:11: error: base_url 'https://' must be an absolute http(s) URL\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_base_url("\"https://exa mple.org/\"", NULL,
	    "$/site.yaml:4:11: error: base_url 'https://exa mple.org/' must be an absolute http(s) URL\n"
	    "haichao: 1 error, 0 warnings\n");
	expect_base_url("[https://x.org]", NULL,
	    "$/site.yaml:4:11: error: 'base_url' must be a string\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_base_url_bad_option(void **state)
{
	(void)state;
	base();
	struct site *s = load_with(false, "example.org");
	ASSERT_DIAGS(
	    "haichao: error: base_url 'example.org' must be an absolute http(s) URL\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_null(s->base_url);
}

static void
test_languages(void **state)
{
	(void)state;
	put("articles/ok.zh.md", OK_ARTICLE);
	put("site.yaml", "title:\n  zh: 站\n  en: Site\nbase_url: ~\nlanguages: [en, fr, en]\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/site.yaml:5:17: error: unsupported language 'fr' (haichao builds zh and en)\n"
	    "$/site.yaml:5:21: error: language 'en' listed twice\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->languages[0], LANG_EN);
	assert_int_equal(s->languages[1], LANG_ZH);
	put("site.yaml", "title:\n  zh: 站\n  en: Site\nbase_url: ~\nlanguages: en\n");
	s = load();
	ASSERT_DIAGS("");
	assert_int_equal(s->languages[0], LANG_EN);
	assert_int_equal(s->languages[1], LANG_ZH);
}

/* ---- taxonomy.yaml ------------------------------------------------------------- */

static void
test_app_unknown_company(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml",
	    "apps:\n"
	    "  rocket:\n"
	    "    zh: 火箭\n"
	    "    en: Rocket\n"
	    "    company: nobody\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/taxonomy.yaml:5:14: error: app 'rocket' names unknown company 'nobody'\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_null(site_find_term(s, KIND_APP, "rocket")->company);
}

static void
test_bad_status_and_years(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml",
	    "apps:\n"
	    "  rocket:\n"
	    "    zh: 火箭\n"
	    "    en: Rocket\n"
	    "    status: dead\n"
	    "    launched: 19\n"
	    "    closed: 0999\n"
	    "  comet:\n"
	    "    zh: 彗星\n"
	    "    en: Comet\n"
	    "    status: Active\n"
	    "    launched: [2019]\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/taxonomy.yaml:5:13: error: status 'dead' must be one of: active, closed, suspended\n"
	    "$/taxonomy.yaml:6:15: error: '19' is not a valid year (YYYY)\n"
	    "$/taxonomy.yaml:7:13: error: '0999' is not a valid year (YYYY)\n"
	    "$/taxonomy.yaml:11:13: error: status 'Active' must be one of: active, closed, suspended\n"
	    "$/taxonomy.yaml:12:15: error: 'launched' is not a valid year (YYYY)\n"
	    "haichao: 5 errors, 0 warnings\n");
	struct term *r = site_find_term(s, KIND_APP, "rocket");
	assert_int_equal(r->status, STATUS_NONE);
	assert_int_equal(r->launched, 0);
	assert_int_equal(r->closed, 0);
}

static void
test_taxonomy_bad_slug_and_names(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml",
	    "companies:\n"
	    "  Big Co:\n"
	    "    zh: 大\n"
	    "    en: Big\n"
	    "  small:\n"
	    "    zh: 小\n"
	    "  plain: just a name\n"
	    "themes: [a, b]\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/taxonomy.yaml:2:3: error: 'Big Co' is not a valid slug (1 to 200 lower-case ASCII letters, digits and '-', not starting with '-')\n"
	    "$/taxonomy.yaml:6:5: error: missing required field 'en'\n"
	    "$/taxonomy.yaml:7:10: error: 'plain' must be a map\n"
	    "$/taxonomy.yaml:8:9: error: 'themes' must be a map keyed by slug\n"
	    "haichao: 4 errors, 0 warnings\n");
	struct term *small = site_find_term(s, KIND_COMPANY, "small");
	assert_non_null(small);
	assert_string_equal(small->name[LANG_ZH], "小");
	assert_string_equal(small->name[LANG_EN], "small");
	struct term *plain = site_find_term(s, KIND_COMPANY, "plain");
	assert_string_equal(plain->name[LANG_ZH], "plain");
}

static void
test_taxonomy_duplicate_slug(void **state)
{
	(void)state;
	base();
	put("taxonomy.yaml",
	    "companies:\n"
	    "  acme:\n"
	    "    zh: 甲\n"
	    "    en: A\n"
	    "  acme:\n"
	    "    zh: 乙\n"
	    "    en: B\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/taxonomy.yaml:5:3: error: duplicate key 'acme'\n"
	    "haichao: 1 error, 0 warnings\n");
	assert_int_equal(s->n_terms[KIND_COMPANY], 1);   /* the first counts */
}

/* ---- glossary ------------------------------------------------------------------- */

static const char GLOSSARY[] =
    "- zh: 出海\n"
    "  pinyin: chūhǎi\n"
    "  en: going overseas\n";

static void
test_glossary_conflict(void **state)
{
	(void)state;
	base();
	put("glossary.yaml", GLOSSARY);
	put("articles/x.zh.md",
	    "---\n"
	    "title: T\n"
	    "date: 2024-01-01\n"
	    "glossary:\n"
	    "  - zh: 出海\n"
	    "    en: going abroad\n"
	    "---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:5:5: error: term '出海' means 'going abroad' here but 'going overseas' at $/glossary.yaml:1:3\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_glossary_same_meaning_is_fine(void **state)
{
	(void)state;
	base();
	put("glossary.yaml", GLOSSARY);
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary:\n"
	    "  - zh: 出海\n    en: going overseas\n"
	    "  - {zh: 内卷, en: involution}\n---\n");
	put("articles/y.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary:\n"
	    "  - {zh: 内卷, en: involution}\n---\n");
	struct site *s = load();
	ASSERT_DIAGS("");
	assert_int_equal(s->n_site_glossary, 1);
	assert_int_equal(s->n_glossary, 4);
}

static void
test_glossary_conflict_between_articles(void **state)
{
	(void)state;
	base();
	put("articles/a.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary:\n"
	    "  - {zh: 内卷, en: involution}\n---\n");
	put("articles/b.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary:\n"
	    "  - {zh: 内卷, en: rat race}\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/b.zh.md:5:5: error: term '内卷' means 'rat race' here but 'involution' at $/articles/a.zh.md:5:5\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_glossary_duplicates_in_file(void **state)
{
	(void)state;
	base();
	put("glossary.yaml",
	    "- zh: 出海\n"
	    "  pinyin: chūhǎi\n"
	    "  en: going overseas\n"
	    "- zh: 躺赢\n"
	    "  pinyin: tǎngyíng\n"
	    "  en: winning\n"
	    "- zh: 出海\n"
	    "  pinyin: chūhǎi\n"
	    "  en: going overseas\n"
	    "- zh: 出海\n"
	    "  pinyin: chūhǎi\n"
	    "  en: going out\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/glossary.yaml:7:3: error: glossary term '出海' defined twice (first at $/glossary.yaml:1:3)\n"
	    "$/glossary.yaml:10:3: error: term '出海' means 'going out' here but 'going overseas' at $/glossary.yaml:1:3\n"
	    "haichao: 2 errors, 0 warnings\n");
	assert_int_equal(s->n_site_glossary, 4);
}

static void
test_glossary_missing_fields(void **state)
{
	(void)state;
	base();
	put("glossary.yaml",
	    "- zh: 出海\n"
	    "  en: going overseas\n"
	    "- pinyin: x\n"
	    "  en: y\n"
	    "- just a string\n");
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary:\n  - zh: 词\n---\n");
	struct site *s = load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:5:5: error: missing required field 'en'\n"
	    "$/glossary.yaml:1:3: error: missing required field 'pinyin'\n"
	    "$/glossary.yaml:3:3: error: missing required field 'zh'\n"
	    "$/glossary.yaml:5:3: error: 'glossary entry' must be a map\n"
	    "haichao: 4 errors, 0 warnings\n");
	assert_int_equal(s->n_glossary, 0);
}

static void
test_glossary_not_a_list(void **state)
{
	(void)state;
	base();
	put("glossary.yaml", "出海: going overseas\n");
	put("articles/x.zh.md",
	    "---\ntitle: T\ndate: 2024-01-01\nglossary: 出海\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/x.zh.md:4:11: error: 'glossary' must be a list of {zh, en, pinyin}\n"
	    "$/glossary.yaml:1:1: error: 'glossary.yaml' must be a list of terms\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_errors_from_several_files_sorted(void **state)
{
	(void)state;
	put("site.yaml", "title:\n  zh: 站\n  en: Site\nbase_url: ~\nper_page: 0\n");
	put("taxonomy.yaml", "themes:\n  t:\n    zh: 题\n");
	put("articles/b.zh.md", "---\ntitle: B\n---\n");
	put("articles/a.zh.md", "---\ndate: 2024-01-01\nthemes: [t, u]\n---\n");
	load();
	ASSERT_DIAGS(
	    "$/articles/a.zh.md:2:1: error: missing required field 'title'\n"
	    "$/articles/a.zh.md:3:13: error: unknown theme 'u' (not in taxonomy.yaml)\n"
	    "$/articles/b.zh.md:2:1: error: missing required field 'date'\n"
	    "$/site.yaml:5:11: error: per_page must be a whole number from 1 to 10000\n"
	    "$/taxonomy.yaml:3:5: error: missing required field 'en'\n"
	    "haichao: 5 errors, 0 warnings\n");
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_model_site_settings),
		T(test_model_taxonomy),
		T(test_model_articles),
		T(test_model_glossary),
		T(test_drafts_kept_with_option),
		T(test_base_url_option_overrides),
		T(test_defaults_without_optional_files),
		T(test_bom_crlf_article),
		T(test_dots_close_front_matter),
		T(test_missing_title),
		T(test_missing_date),
		T(test_empty_front_matter),
		T(test_empty_and_null_title),
		T(test_bad_dates),
		T(test_unknown_taxonomy_slug),
		T(test_term_list_wrong_shape),
		T(test_bad_file_names),
		T(test_symlink_refused),
		T(test_translation_without_original),
		T(test_translation_missing_title),
		T(test_front_matter_missing),
		T(test_front_matter_unterminated),
		T(test_front_matter_not_a_map),
		T(test_front_matter_yaml_error),
		T(test_empty_file),
		T(test_unknown_key_warning),
		T(test_bad_unsafe_html_and_draft),
		T(test_declared_legacy_encoding),
		T(test_site_default_encoding),
		T(test_unknown_encoding),
		T(test_invalid_utf8_article),
		T(test_no_base_url_warning),
		T(test_data_file_problems),
		T(test_missing_site_yaml),
		T(test_missing_articles_folder),
		T(test_site_title_problems),
		T(test_per_page),
		T(test_base_url),
		T(test_base_url_bad_option),
		T(test_languages),
		T(test_app_unknown_company),
		T(test_bad_status_and_years),
		T(test_taxonomy_bad_slug_and_names),
		T(test_taxonomy_duplicate_slug),
		T(test_glossary_conflict),
		T(test_glossary_same_meaning_is_fine),
		T(test_glossary_conflict_between_articles),
		T(test_glossary_duplicates_in_file),
		T(test_glossary_missing_fields),
		T(test_glossary_not_a_list),
		T(test_errors_from_several_files_sorted),
		/* Last: it once aborted the binary under UBSan (qsort of a
		 * NULL array in list_articles_dir), so the others run first. */
		T(test_empty_articles_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
