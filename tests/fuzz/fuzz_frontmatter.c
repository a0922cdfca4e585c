/* fuzz_frontmatter.c — libFuzzer target: an article file, front matter and
 * all, through site_load() and, when it loads cleanly, render_article().
 *
 * The input is written as content/articles/x.zh.md in a small archive (see
 * fuzz_util.h: site.yaml, taxonomy.yaml, glossary.yaml and an article y
 * with a translation) kept on tmpfs, created once per process and reused;
 * only x.zh.md is rewritten for each input.
 *
 * Why a file and not memory: load.c reads articles only by path
 * (read_article_file() is static and calls read_file()), so the whole
 * path -- sniffing the encoding, decoding, splitting the front matter,
 * YAML, typed fields, taxonomy references, local glossary, linking -- is
 * reachable only through site_load().  Doing it in memory would need a new
 * entry point in load.c (e.g. a load_options field with a callback that
 * supplies a file's bytes); writing one file to tmpfs costs a few
 * microseconds and tests the code exactly as it runs.
 *
 * Checked: site_load() always returns a site; a loaded article has a title,
 * a valid date and a body inside the file; rendering a clean site gives HTML
 * for every version. */
#include "fuzz_util.h"

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "match.h"
#include "render.h"
#include "site.h"

static const char *content_dir;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	content_dir = fuzz_make_site(fuzz_tmpdir());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write(content_dir, "articles/x.zh.md", data, size);

	struct diags d;
	diags_init(&d);
	struct load_options opt = { .content_dir = content_dir, .drafts = true,
		.base_url = NULL };
	struct site *s = site_load(&opt, &d);
	CHECK(s != NULL);
	CHECK(s->n_articles <= 2);
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		CHECK(a->slug != NULL && a->title[LANG_ZH] != NULL);
		CHECK(a->zh.body != NULL);
		/* decoding may grow text: GB18030 and UTF-16 take 2 bytes for
		 * what UTF-8 writes in 3 */
		if (strcmp(a->slug, "x") == 0)
			CHECK(a->zh.body_len <= size * 2);
		CHECK(strlen(a->zh.body) == a->zh.body_len);
		CHECK(a->zh.body_line >= 2);
		CHECK(site_find_article(s, a->slug) == a);
		for (int k = 0; k < KIND_COUNT; k++)
			for (size_t j = 0; j < a->n_terms[k]; j++)
				CHECK(a->terms[k][j] != NULL);
	}

	if (!diags_failed(&d)) {
		struct matcher *m = render_glossary_matcher(s);
		struct arena ra;
		arena_init(&ra);
		struct render_ctx ctx = { .site = s, .glossary = m, .diags = &d, .arena = &ra };
		for (size_t i = 0; i < s->n_articles; i++) {
			struct article *a = s->articles[i];
			render_article(&ctx, a);
			CHECK(a->zh.html != NULL);
			CHECK(strlen(a->zh.html) == a->zh.html_len);
			if (a->en != NULL)
				CHECK(a->en->html != NULL);
		}
		render_check_anchors(ctx.anchors, &d);
		arena_free(&ra);
		matcher_free(m);
	}
	diags_print(&d, fuzz_devnull());
	diags_free(&d);
	site_free(s);
	return 0;
}
