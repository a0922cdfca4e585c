/* fuzz_render.c — libFuzzer target: one whole article through
 * render_article(), with haichao's conventions in play.
 *
 * The site is loaded once per process from a small archive on tmpfs (see
 * fuzz_util.h): glossary.yaml terms 出海, 躺赢 and KOL, an article y with a
 * translation and headings (targets for `y.zh.md#背景`, `y.zh.md#data-2024`
 * and `y.en.md#background`), and the article x whose body each input
 * replaces; x has two local glossary terms and an asset folder with
 * x/chart.png.  The glossary matcher is built once with
 * render_glossary_matcher().
 *
 * Input: the first byte holds flags (bit 0: unsafe_html; bit 1: x also has
 * an English version with the same body), the rest is the Markdown body.
 * Bodies reach the renderer only after text_decode(), so the input is
 * first made what text_decode() guarantees: valid UTF-8 ('?' for a bad
 * byte), no NUL (' '), no CR ('\n').
 *
 * Checked: HTML for every version, of the length reported; unique,
 * non-empty heading ids; glossary notes numbered 1..n; in safe mode no
 * <script and no javascript:/vbscript: URL in an attribute. */
#include "fuzz_util.h"

#include <ctype.h>

#include "arena.h"
#include "diag.h"
#include "input.h"
#include "load.h"
#include "match.h"
#include "render.h"
#include "site.h"

static const char x_zh[] =
    "---\ntitle: 测试\ndate: 2024-01-01\n"
    "glossary:\n"
    "  - zh: 本地词\n    en: local term\n    pinyin: běndìcí\n"
    "  - zh: 独角兽\n    en: unicorn\n"
    "---\n\nplaceholder\n";

static struct site *site;
static struct matcher *matcher;
static struct article *x;
static struct version x_zh_saved, x_en;
static struct arena y_arena;   /* y's rendering, for its heading ids */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	site = fuzz_load_with_x(x_zh, "fuzz_render");
	struct diags d;
	diags_init(&d);
	x = site_find_article(site, "x");
	struct article *y = site_find_article(site, "y");
	CHECK(x != NULL && y != NULL && y->en != NULL);
	CHECK(x->n_local_glossary == 2);
	matcher = render_glossary_matcher(site);
	arena_init(&y_arena);
	struct render_ctx ctx = { .site = site, .glossary = matcher, .diags = &d, .arena = &y_arena };
	render_article(&ctx, y);
	render_check_anchors(ctx.anchors, &d);
	if (diags_failed(&d)) {
		diags_print(&d, stderr);
		fprintf(stderr, "fuzz_render: article y does not render cleanly\n");
		abort();
	}
	diags_free(&d);
	x_zh_saved = x->zh;
	return 0;
}

/* What text_decode() would have made of the bytes. */
static char *
sanitize(const uint8_t *data, size_t size, size_t *out_len)
{
	char *out = malloc(size + 1);
	CHECK(out != NULL);
	size_t i = 0, j = 0;
	while (i < size) {
		size_t ok = utf8_valid_prefix((const char *)data + i, size - i);
		for (size_t k = 0; k < ok; k++) {
			char c = (char)data[i + k];
			out[j++] = c == '\0' ? ' ' : c == '\r' ? '\n' : c;
		}
		i += ok;
		if (i < size) {
			out[j++] = '?';
			i++;
		}
	}
	out[j] = '\0';
	*out_len = j;
	return out;
}

static const char *
find_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static void
check_version(const struct version *v, bool safe)
{
	CHECK(v->html != NULL);
	CHECK(strlen(v->html) == v->html_len);
	CHECK(v->auto_summary != NULL);
	for (size_t i = 0; i < v->n_ids; i++) {
		CHECK(v->ids[i] != NULL && v->ids[i][0] != '\0');
		for (size_t j = 0; j < i && v->n_ids < 300; j++)
			CHECK(strcmp(v->ids[i], v->ids[j]) != 0);
	}
	for (size_t i = 0; i < v->n_glossary_used; i++) {
		CHECK(v->glossary_used[i] != NULL);
		CHECK(v->glossary_used[i]->zh != NULL);
	}
	if (safe) {
		CHECK(find_nocase(v->html, "<script") == NULL);
		/* In a URL attribute: a title may say "javascript:" as text
		 * (the fuzzer found one, from an image's title). */
		CHECK(find_nocase(v->html, "href=\"javascript:") == NULL);
		CHECK(find_nocase(v->html, "src=\"javascript:") == NULL);
		CHECK(find_nocase(v->html, "href=\"vbscript:") == NULL);
		CHECK(find_nocase(v->html, "src=\"vbscript:") == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned flags = data[0];
	size_t len;
	char *body = sanitize(data + 1, size - 1, &len);

	site->unsafe_html = (flags & 1) != 0;
	x->zh = x_zh_saved;
	x->zh.body = body;
	x->zh.body_len = len;
	x->en = NULL;
	if (flags & 2) {
		x_en = x_zh_saved;
		x_en.path = "x.en.md";
		x_en.body = body;
		x_en.body_len = len;
		x->en = &x_en;
	}

	struct diags d;
	diags_init(&d);
	struct arena a;
	arena_init(&a);
	struct render_ctx ctx = { .site = site, .glossary = matcher, .diags = &d, .arena = &a };
	render_article(&ctx, x);
	check_version(&x->zh, !site->unsafe_html);
	if (x->en != NULL)
		check_version(x->en, !site->unsafe_html);
	render_check_anchors(ctx.anchors, &d);
	diags_print(&d, fuzz_devnull());
	diags_free(&d);

	/* Nothing of this run may outlive its arena. */
	x->zh = x_zh_saved;
	x->en = NULL;
	arena_free(&a);
	free(body);
	return 0;
}
