/* fuzz_template.c — libFuzzer target: template_load() and
 * template_render() on arbitrary template files.
 *
 * The input up to its first NUL byte is the template t.html; the rest is
 * a partial, written under every name the real templates include
 * (partials/head.html, header.html, footer.html, article-list.html,
 * app-facts.html) and as p.html, so the real templates are useful seeds
 * and includes, nested includes and include cycles are all reachable.
 * strings.yaml is fixed.  Besides "no crash, leak or hang" it checks:
 * NULL exactly when an error was reported; a compiled template renders
 * in both languages, the same bytes with and without a memo and on a
 * second run; and no text value comes out unescaped: every value bound
 * carries a marker (\x01 followed by < or &) that may only appear
 * escaped, since no template byte can be \x01 (XML forbids it).  (A
 * quote needs escaping only inside attributes, which this check cannot
 * tell apart from text.) */
#include "fuzz_util.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "template.h"
#include "view.h"

static const char strings_yaml[] =
    "hello: {zh: \"你好\x01<\", en: \"Hi \x01& there\"}\n"
    "more: {zh: \"还有 {n} 个\", en: \"and {n} more\"}\n";

static const char *const partial_names[] = {
	"p.html", "partials/head.html", "partials/header.html",
	"partials/footer.html", "partials/article-list.html",
	"partials/app-facts.html",
};

static struct strings *strings;
static const char *dir;

static void
setup(void)
{
	dir = fuzz_tmpdir();
	fuzz_mkdir(dir, "partials");
	fuzz_write_str(dir, "strings.yaml", strings_yaml);
	struct diags d;
	diags_init(&d);
	strings = strings_load(dir, &d);
	if (strings == NULL) {
		diags_print(&d, stderr);
		abort();
	}
	diags_free(&d);
}

/* Binds every name of the view table: text values with the marker, the
 * body as safe markup, each list with two items that bind everything
 * again (one level down), plus one lazily bound list. */
static void
bind_all(struct arena *a, struct scope *s, int depth)
{
	for (int v = 0; v < VAR_COUNT; v++) {
		switch (view_var_kind(v)) {
		case VK_TEXT:
			scope_textf(s, v, "%s\x01<\x01\"\x01&'%d", view_var_name(v), depth);
			break;
		case VK_RAW:
			scope_raw(s, v, "<p>safe</p>", 11);
			break;
		case VK_LIST:
			if (depth < 2) {
				struct scope **items = scope_list(s, v, 2);
				for (size_t i = 0; i < 2; i++) {
					items[i] = scope_new(a, NULL);
					bind_all(a, items[i], depth + 1);
				}
			}
			break;
		}
	}
}

static uint64_t
lazy_key(const void *ctx, size_t i)
{
	(void)ctx;
	return i + 1;
}

static void
lazy_bind(void *ctx, size_t i, struct scope *item)
{
	scope_textf(item, VAR_TITLE, "lazy\x01<%zu", i);
	scope_text(item, VAR_URL, ctx);
}

static const struct list_source lazy = { "u\x01\"rl", lazy_key, lazy_bind };

/* No marker followed by '<', nor by '&' that does not start an entity
 * (an escaped '<' reads "\x01&lt;", an unescaped '&' "\x01&'"). */
static void
check_escaped(const struct buf *out)
{
	for (size_t i = 0; i + 1 < out->len; i++) {
		if (out->data[i] != '\x01')
			continue;
		CHECK(out->data[i + 1] != '<');
		if (out->data[i + 1] == '&') {
			size_t j = i + 2;
			while (j < out->len && out->data[j] >= 'a' && out->data[j] <= 'z')
				j++;
			CHECK(j > i + 2 && j < out->len && out->data[j] == ';');
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (strings == NULL)
		setup();
	const uint8_t *nul = memchr(data, 0, size);
	size_t main_len = nul ? (size_t)(nul - data) : size;
	fuzz_write(dir, "t.html", data, main_len);
	const uint8_t *part = nul ? nul + 1 : data + size;
	for (size_t i = 0; i < sizeof(partial_names) / sizeof(*partial_names); i++)
		fuzz_write(dir, partial_names[i], part, (size_t)(data + size - part));

	struct diags d;
	diags_init(&d);
	struct template *t = template_load(dir, "t.html", strings, &d);
	CHECK((t == NULL) == diags_failed(&d));
	if (t != NULL) {
		struct arena a;
		arena_init(&a);
		struct scope *page = scope_new(&a, NULL);
		bind_all(&a, page, 0);
		scope_lazy_list(page, VAR_ARTICLES, 3, &lazy);
		struct template_memo *memo = template_memo_new();
		struct buf plain = BUF_INIT, memoised = BUF_INIT;
		for (int lang = 0; lang < 2; lang++) {
			buf_reset(&plain);
			template_render(t, page, (enum lang)lang, strings, NULL, &plain);
			check_escaped(&plain);
			for (int round = 0; round < 2; round++) {
				buf_reset(&memoised);
				template_render(t, page, (enum lang)lang, strings, memo, &memoised);
				CHECK(memoised.len == plain.len &&
				    memcmp(memoised.data, plain.data, plain.len) == 0);
			}
		}
		buf_release(&plain);
		buf_release(&memoised);
		template_memo_free(memo);
		arena_free(&a);
		template_free(t);
	}
	diags_print(&d, fuzz_devnull());
	diags_free(&d);
	return 0;
}
