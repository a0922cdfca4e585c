/* fuzz_rcache.c — libFuzzer target: render-cache records (rcache.h), which
 * are read back from a file beside public/ that anyone can edit.  Their
 * fields are the state's record format (record.h, also reached whole by
 * fuzz_state); this target goes into what the fields mean.
 *
 * The shared archive (fuzz_util.h) gets an article x with a local
 * glossary, an asset x/chart.png and links to y and to y's English
 * headings.  Both articles are rendered once; their real records are the
 * model: restoring one must give back exactly what rendering found, and
 * writing it again must give the same line.
 *
 * Input: one record line.  Its first field names the article (x or y:
 * anything else is tried on y); every "@KEY@" in it becomes that
 * article's real key, so that mutations get past the key check and reach
 * the rest of the parser.  Set FUZZ_RCACHE_DUMP=1 to print the real
 * records in that form (how the seeds in corpus/rcache/ were made).
 *
 * Checked: restoring never crashes or leaks; when it succeeds, every
 * array is complete, notes are numbered 1..n with a term or text, links
 * point at articles of the site, and the HTML is left to be rendered. */
#include "fuzz_util.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "load.h"
#include "match.h"
#include "rcache.h"
#include "render.h"
#include "site.h"

static const char x_zh[] =
    "---\ntitle: 测试\ndate: 2024-01-01\n"
    "glossary:\n"
    "  - zh: 本地词\n    en: local term\n    pinyin: běndìcí\n"
    "---\n\n## 开头\n\n出海和[本地词](gloss:)，[躺赢](gloss:)，[独特](gloss: \"unique\")。\n"
    "见[另一篇](y.zh.md#背景)和[英文](y.en.md#background)。\n\n"
    "![图](x/chart.png)\n";

static struct site *site;
static struct arena render_arena;

static bool
asset_ok(const struct site *s, const char *rel)
{
	(void)s;
	return strcmp(rel, "x/chart.png") == 0;
}

static char *
record_of(struct article *a)
{
	struct buf b = BUF_INIT;
	rcache_put(&b, site, a);
	return buf_detach(&b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	site = fuzz_load_with_x(x_zh, "fuzz_rcache");
	struct diags d;
	diags_init(&d);
	struct matcher *m = render_glossary_matcher(site);
	arena_init(&render_arena);
	struct render_ctx ctx = { .site = site, .glossary = m, .diags = &d, .arena = &render_arena };
	for (size_t i = 0; i < site->n_articles; i++)
		render_article(&ctx, site->articles[i]);
	render_check_anchors(ctx.anchors, &d);
	if (diags_failed(&d)) {
		diags_print(&d, stderr);
		fprintf(stderr, "fuzz_rcache: the fixed archive does not render\n");
		abort();
	}
	diags_free(&d);
	matcher_free(m);
	/* The model: a real record restores and writes back unchanged. */
	for (size_t i = 0; i < site->n_articles; i++) {
		struct article *a = site->articles[i];
		char *line = record_of(a);
		struct article copy = *a;
		struct version en = a->en ? *a->en : a->zh;
		copy.en = a->en ? &en : NULL;
		struct arena arena;
		arena_init(&arena);
		CHECK(rcache_restore(line, strlen(line) - 1, site, &copy, &arena, asset_ok));
		CHECK(copy.zh.html == NULL);
		CHECK(copy.zh.n_glossary_used == a->zh.n_glossary_used);
		CHECK(copy.zh.n_ids == a->zh.n_ids && copy.zh.n_links == a->zh.n_links);
		char *again = record_of(&copy);
		CHECK(strcmp(line, again) == 0);
		if (getenv("FUZZ_RCACHE_DUMP")) {
			char key[17];
			snprintf(key, sizeof(key), "%016llx",
			    (unsigned long long)rcache_key(site, a));
			for (const char *p = line; *p; p++) {
				if (strncmp(p, key, 16) == 0) {
					fputs("@KEY@", stdout);
					p += 15;
				} else {
					putchar(*p);
				}
			}
		}
		free(again);
		free(line);
		arena_free(&arena);
	}
	return 0;
}

static void
check_version(const struct version *v)
{
	CHECK(v->html == NULL);
	for (size_t i = 0; i < v->n_ids; i++)
		CHECK(v->ids[i] != NULL);
	for (size_t i = 0; i < v->n_glossary_used; i++) {
		const struct gloss_term *t = v->glossary_used[i];
		CHECK(t != NULL && t->zh != NULL && t->en != NULL);
	}
	for (size_t i = 0; i < v->n_links; i++)
		CHECK(site_find_article(site, v->links[i]->slug) == v->links[i]);
	for (size_t i = 0; i < v->n_xrefs; i++)
		CHECK(site_find_article(site, v->xrefs[i].slug) != NULL);
	for (size_t i = 0; i < v->n_assets; i++)
		CHECK(v->assets[i] != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct article *a = site_find_article(site,
	    size >= 2 && data[0] == 'x' && data[1] == '\t' ? "x" : "y");
	char key[17];
	snprintf(key, sizeof(key), "%016llx", (unsigned long long)rcache_key(site, a));
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < size; i++) {
		if (size - i >= 5 && memcmp(data + i, "@KEY@", 5) == 0) {
			buf_puts(&line, key);
			i += 4;
		} else {
			buf_putc(&line, (char)data[i]);
		}
	}
	struct article copy = *a;
	struct version en = a->en ? *a->en : a->zh;
	copy.en = a->en ? &en : NULL;
	struct arena arena;
	arena_init(&arena);
	if (rcache_restore(line.data ? line.data : "", line.len, site, &copy,
	    &arena, asset_ok)) {
		check_version(&copy.zh);
		if (copy.en)
			check_version(copy.en);
	}
	arena_free(&arena);
	buf_release(&line);
	return 0;
}
