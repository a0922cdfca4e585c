/* test_mdheap.c — unit tests for cmark's per-document heap
 * (generator/mdheap.c): what cmark allocates reads back intact however it
 * grows, memory is reused after md_heap_end, and a document rendered with
 * the heap is the same as with cmark's own allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mdheap.h"

/* Sanitizer builds have no heap (md_heap_new says NULL): cmark's own
 * allocator is checked by AddressSanitizer there instead. */
static struct md_heap *
heap_or_skip(void)
{
	struct md_heap *h = md_heap_new();
	if (h == NULL)
		skip();
	return h;
}

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void
assert_filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			fail_msg("byte %zu of block %u changed", i, seed);
}

static void
test_blocks_keep_their_bytes(void **state)
{
	(void)state;
	struct md_heap *h = heap_or_skip();
	cmark_mem *m = md_heap_begin(h);
	/* calloc zeroes; blocks are 16-aligned and do not overlap */
	unsigned char *z = m->calloc(100, 3);
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	enum { N = 300 };
	unsigned char *b[N];
	size_t len[N];
	for (unsigned i = 0; i < N; i++) {
		len[i] = 1 + (i * 37) % 5000;
		b[i] = m->calloc(1, len[i]);
		assert_int_equal((uintptr_t)b[i] % 16, 0);
		fill(b[i], len[i], i);
	}
	/* growing: the newest block in place, older ones by copying, one
	 * past the chunk size into a chunk of its own */
	for (unsigned i = N - 10; i < N; i++) {
		size_t grown = len[i] * 3 + (i == N - 1 ? (2u << 20) : 0);
		b[i] = m->realloc(b[i], grown);
		assert_filled(b[i], len[i], i);
		fill(b[i], grown, i);
		len[i] = grown;
	}
	unsigned char *s = m->realloc(NULL, 10);   /* realloc(NULL) allocates */
	fill(s, 10, 999);
	for (int k = 0; k < 20; k++) {             /* a string doubling */
		s = m->realloc(s, (size_t)10 << k);
		assert_filled(s, 10, 999);
	}
	m->free(b[3]);                             /* free does nothing */
	for (unsigned i = 0; i < N; i++)
		assert_filled(b[i], len[i], i);
	md_heap_end(h);
	/* rewound: the next document gets the same memory */
	m = md_heap_begin(h);
	assert_ptr_equal(m->calloc(1, 300), z);
	md_heap_end(h);
	md_heap_free(h);
}

static char *
render(const char *md, cmark_mem *mem)
{
	cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem);
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	cmark_node *extra = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mem);
	cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
	cmark_node_set_literal(t, "added & kept");
	cmark_node_append_child(extra, t);
	cmark_node_append_child(doc, extra);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	char *copy = strdup(html);
	mem->free(html);
	cmark_node_free(doc);
	return copy;
}

static void
test_cmark_renders_the_same(void **state)
{
	(void)state;
	struct md_heap *h = heap_or_skip();
	/* long enough to need several chunks' worth of strings and nodes */
	size_t n = 0, cap = 1u << 22;
	char *md = malloc(cap);
	while (n + 200 < cap)
		n += (size_t)snprintf(md + n, cap - n,
		    "## 第%zu节\n\n出海的*公司* [链接](x-%zu.md \"t\") `code` &amp; **粗**。\n\n- a\n- b\n\n",
		    n, n);
	for (int round = 0; round < 3; round++) {
		char *want = render(md, cmark_get_default_mem_allocator());
		char *got = render(md, md_heap_begin(h));
		md_heap_end(h);
		assert_string_equal(got, want);
		free(want);
		free(got);
	}
	free(md);
	md_heap_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_keep_their_bytes),
		cmocka_unit_test(test_cmark_renders_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
