/* test_yamlnode.c — unit tests for YAML loading into position-carrying
 * nodes (generator/yamlnode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "yamlnode.h"

struct fixture {
	struct arena arena;
	struct diags diags;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -1;
	arena_init(&f->arena);
	diags_init(&f->diags);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->arena);
	diags_free(&f->diags);
	free(f);
	return 0;
}

/* The printed diagnostics, in a static buffer.  An empty set is ""
 * without calling diags_print, whose empty case test_diag.c covers. */
static char diag_buf[1 << 16];

static const char *
diag_text(struct diags *d)
{
	if (d->len == 0)
		return "";
	FILE *f = fmemopen(diag_buf, sizeof(diag_buf), "w");
	assert_non_null(f);
	diags_print(d, f);
	fclose(f);
	return diag_buf;
}

#define ASSERT_DIAGS(d, expected) assert_string_equal(diag_text(d), (expected))

static struct ynode *
load(struct fixture *f, int first_line, const char *text)
{
	return yaml_load(&f->arena, &f->diags, "x.yaml", first_line, text,
	    strlen(text));
}

static void
assert_pos(const struct ynode *n, int line, int col)
{
	assert_non_null(n);
	assert_string_equal(n->pos.path, "x.yaml");
	assert_int_equal(n->pos.line, line);
	assert_int_equal(n->pos.col, col);
}

static void
assert_scalar(const struct ynode *n, const char *s, int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->kind, Y_SCALAR);
	assert_string_equal(n->str, s);
	assert_int_equal(n->len, strlen(s));
	assert_pos(n, line, col);
}

/* ---- shapes and positions ------------------------------------------------ */

static void
test_map_of_scalars(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1,
	    "title: hello\n"
	    "date: 2024-01-02\n"
	    "  # comment\n"
	    "author:   Wang\n");
	assert_non_null(root);
	assert_int_equal(root->kind, Y_MAP);
	assert_pos(root, 1, 1);
	assert_int_equal(root->n, 6);
	assert_scalar(root->items[0], "title", 1, 1);
	assert_scalar(root->items[1], "hello", 1, 8);
	assert_scalar(root->items[2], "date", 2, 1);
	assert_scalar(root->items[3], "2024-01-02", 2, 7);
	assert_scalar(root->items[4], "author", 4, 1);
	assert_scalar(root->items[5], "Wang", 4, 11);
	assert_ptr_equal(ynode_get(root, "date"), root->items[3]);
	assert_null(ynode_get(root, "missing"));
	assert_false(root->items[1]->quoted);
	ASSERT_DIAGS(&f->diags, "");
}

static void
test_first_line_offset(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 2, "title: hello\n\ndate: 2024-01-02\n");
	assert_non_null(root);
	assert_pos(root, 2, 1);
	assert_scalar(root->items[0], "title", 2, 1);
	assert_scalar(root->items[1], "hello", 2, 8);
	assert_scalar(root->items[2], "date", 4, 1);
	assert_scalar(root->items[3], "2024-01-02", 4, 7);
}

static void
test_columns_count_characters(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "标题: 中文值\n作者: 「王」 \nx: [甲, 乙]\n");
	assert_non_null(root);
	assert_scalar(root->items[0], "标题", 1, 1);
	assert_scalar(root->items[1], "中文值", 1, 5);
	assert_scalar(root->items[3], "「王」", 2, 5);
	struct ynode *seq = root->items[5];
	assert_int_equal(seq->kind, Y_SEQ);
	assert_pos(seq, 3, 4);
	assert_scalar(seq->items[0], "甲", 3, 5);
	assert_scalar(seq->items[1], "乙", 3, 8);
}

static void
test_sequences(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1,
	    "tags: [a, bc]\n"
	    "list:\n"
	    "  - x\n"
	    "  - y: 1\n"
	    "    z: 2\n");
	assert_non_null(root);
	struct ynode *tags = ynode_get(root, "tags");
	assert_int_equal(tags->kind, Y_SEQ);
	assert_pos(tags, 1, 7);
	assert_int_equal(tags->n, 2);
	assert_scalar(tags->items[0], "a", 1, 8);
	assert_scalar(tags->items[1], "bc", 1, 11);
	struct ynode *list = ynode_get(root, "list");
	assert_int_equal(list->kind, Y_SEQ);
	assert_pos(list, 3, 3);
	assert_int_equal(list->n, 2);
	assert_scalar(list->items[0], "x", 3, 5);
	struct ynode *m = list->items[1];
	assert_int_equal(m->kind, Y_MAP);
	assert_pos(m, 4, 5);
	assert_int_equal(m->n, 4);
	assert_scalar(ynode_get(m, "z"), "2", 5, 8);
}

static void
test_top_level_sequence(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "- zh: 出海\n  en: going overseas\n- zh: 躺赢\n");
	assert_non_null(root);
	assert_int_equal(root->kind, Y_SEQ);
	assert_pos(root, 1, 1);
	assert_int_equal(root->n, 2);
	assert_int_equal(root->items[0]->kind, Y_MAP);
	assert_pos(root->items[0], 1, 3);
	assert_scalar(ynode_get(root->items[0], "en"), "going overseas", 2, 7);
	assert_pos(root->items[1], 3, 3);
	/* ynode_get on a non-map */
	assert_null(ynode_get(root, "zh"));
	assert_null(ynode_get(NULL, "zh"));
	assert_null(ynode_get(ynode_get(root->items[0], "zh"), "zh"));
}

static void
test_flow_map(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "home: {zh: 文章, en: Articles}\n");
	assert_non_null(root);
	struct ynode *home = ynode_get(root, "home");
	assert_int_equal(home->kind, Y_MAP);
	assert_pos(home, 1, 7);
	assert_scalar(ynode_get(home, "zh"), "文章", 1, 12);
	assert_scalar(ynode_get(home, "en"), "Articles", 1, 20);
}

static void
test_quoted_and_block_scalars(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1,
	    "a: \"quoted \\\"x\\\"\"\n"
	    "b: 'single'\n"
	    "c: plain\n"
	    "d: |\n"
	    "  line one\n"
	    "  line two\n"
	    "e: \"\"\n");
	assert_non_null(root);
	struct ynode *a = ynode_get(root, "a");
	assert_string_equal(a->str, "quoted \"x\"");
	assert_true(a->quoted);
	assert_pos(a, 1, 4);
	assert_true(ynode_get(root, "b")->quoted);
	assert_false(ynode_get(root, "c")->quoted);
	struct ynode *d = ynode_get(root, "d");
	assert_string_equal(d->str, "line one\nline two\n");
	assert_true(d->quoted);
	assert_pos(d, 4, 4);
	struct ynode *e = ynode_get(root, "e");
	assert_int_equal(e->len, 0);
	assert_true(e->quoted);
}

static void
test_is_null(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1,
	    "a: ~\n"
	    "b: null\n"
	    "c: Null\n"
	    "d: NULL\n"
	    "e:\n"
	    "f: \"null\"\n"
	    "g: '~'\n"
	    "h: nULL\n"
	    "i: none\n"
	    "j: []\n"
	    "k: {}\n"
	    "l: \"\"\n"
	    "m: 0\n");
	assert_non_null(root);
	assert_true(ynode_is_null(NULL));
	assert_true(ynode_is_null(ynode_get(root, "a")));
	assert_true(ynode_is_null(ynode_get(root, "b")));
	assert_true(ynode_is_null(ynode_get(root, "c")));
	assert_true(ynode_is_null(ynode_get(root, "d")));
	assert_true(ynode_is_null(ynode_get(root, "e")));
	assert_false(ynode_is_null(ynode_get(root, "f")));
	assert_false(ynode_is_null(ynode_get(root, "g")));
	assert_false(ynode_is_null(ynode_get(root, "h")));
	assert_false(ynode_is_null(ynode_get(root, "i")));
	assert_false(ynode_is_null(ynode_get(root, "j")));
	assert_false(ynode_is_null(ynode_get(root, "k")));
	assert_false(ynode_is_null(ynode_get(root, "l")));
	assert_false(ynode_is_null(ynode_get(root, "m")));
	assert_false(ynode_is_null(root));
}

static void
test_empty_document_is_empty_map(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "");
	assert_non_null(root);
	assert_int_equal(root->kind, Y_MAP);
	assert_int_equal(root->n, 0);
	assert_pos(root, 1, 1);

	root = load(f, 2, "# only a comment\n\n");
	assert_non_null(root);
	assert_int_equal(root->kind, Y_MAP);
	assert_int_equal(root->n, 0);
	assert_pos(root, 2, 1);

	root = yaml_load(&f->arena, &f->diags, "x.yaml", 7, "", 0);
	assert_non_null(root);
	assert_int_equal(root->kind, Y_MAP);
	assert_pos(root, 7, 1);
	assert_null(ynode_get(root, "title"));
	ASSERT_DIAGS(&f->diags, "");
}

static void
test_scalar_document(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 3, "just text\n");
	assert_scalar(root, "just text", 3, 1);
}

static void
test_length_bounds_the_text(void **state)
{
	struct fixture *f = *state;
	const char *text = "a: 1\nb: [unterminated";
	struct ynode *root = yaml_load(&f->arena, &f->diags, "x.yaml", 1, text, 5);
	assert_non_null(root);
	assert_int_equal(root->n, 2);
	assert_null(ynode_get(root, "b"));
	ASSERT_DIAGS(&f->diags, "");
}

/* ---- errors ---------------------------------------------------------------- */

static void
test_duplicate_key(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "a: 1\nb: 2\na: 3\nb: 4\n");
	/* Every key said twice is reported; the first value counts. */
	assert_non_null(root);
	assert_string_equal(ynode_get(root, "a")->str, "1");
	assert_string_equal(ynode_get(root, "b")->str, "2");
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:1: error: duplicate key 'a'\n"
	    "x.yaml:4:1: error: duplicate key 'b'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_duplicate_key_nested_with_offset(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 2, "title:\n  zh: 甲\n  en: A\n  zh: 乙\n");
	assert_non_null(root);
	assert_string_equal(ynode_get(ynode_get(root, "title"), "zh")->str, "甲");
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:5:3: error: duplicate key 'zh'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_same_key_in_different_maps(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "a: {x: 1}\nb: {x: 2}\n");
	assert_non_null(root);
	ASSERT_DIAGS(&f->diags, "");
}

static void
test_non_scalar_key(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "ok: 1\n? [a, b]\n: 1\n");
	assert_null(root);
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:2:3: error: 'key' must be a plain string\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_alias_refused(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1, "a: &x 1\nb: *x\n");
	assert_null(root);
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:4: error: YAML anchors and aliases are not supported\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_alias_alone_refused(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 2, "a: 1\nb: *x\n");
	assert_null(root);
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:4: error: YAML anchors and aliases are not supported\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_anchor_on_collections_refused(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 1, "base: &b\n  x: 1\n"));
	const char *flow = "list: &l [1, 2]\n";
	assert_null(yaml_load(&f->arena, &f->diags, "y.yaml", 1, flow, strlen(flow)));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:7: error: YAML anchors and aliases are not supported\n"
	    "y.yaml:1:7: error: YAML anchors and aliases are not supported\n"
	    "haichao: 2 errors, 0 warnings\n");
}

static void
test_billion_laughs_refused(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 1,
	    "a: &a [\"lol\", \"lol\", \"lol\"]\n"
	    "b: &b [*a, *a, *a]\n"
	    "c: &c [*b, *b, *b]\n");
	assert_null(root);
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:4: error: YAML anchors and aliases are not supported\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_syntax_error_position(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 1, "a: b: c\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:5: error: YAML: mapping values are not allowed in this context\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* An error inside a construct points at where the construct began (the
 * unclosed '['), with libyaml's context before its problem. */
static void
test_syntax_error_position_with_offset(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 2, "title: ok\ntags: [a, b\ndate: 2024-01-01\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:7: error: YAML: while parsing a flow sequence: did not find expected ',' or ']'\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_syntax_error_unclosed_quote(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 2, "title: ok\nsummary: \"never closed\ndate: 2024-01-01\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:10: error: YAML: while scanning a quoted scalar: found unexpected end of stream\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* A block collection is the whole file: the error is where it breaks,
 * not on its first line. */
static void
test_syntax_error_in_long_block(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 1, "- zh: 甲\n  en: a\n- zh: 乙\n  en: b\nfoo: [\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:5:1: error: YAML: while parsing a block collection: did not find expected '-' indicator\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_syntax_error_tab_indent(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 1, "a:\n\tb: 1\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:2:1: error: YAML: while scanning for the next token: found character that cannot start any token\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_syntax_error_after_cjk(void **state)
{
	struct fixture *f = *state;
	/* the column counts characters, not bytes */
	assert_null(load(f, 1, "标题: 中文: 值\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:7: error: YAML: mapping values are not allowed in this context\n"
	    "haichao: 1 error, 0 warnings\n");
}

/* libyaml reports bad characters as "reader" errors, which carry a byte
 * offset instead of a mark; the position must still be the character's. */
static void
test_control_character_position(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 2, "a: 1\nb: x\x01y\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:5: error: YAML: control characters are not allowed\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_more_than_one_document(void **state)
{
	struct fixture *f = *state;
	assert_null(load(f, 1, "a: 1\n---\nb: 2\n"));
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:3:1: error: YAML: more than one document\n"
	    "haichao: 1 error, 0 warnings\n");
}

static char *
nested(int depth, const char *inner)
{
	size_t n = strlen(inner);
	char *s = malloc(2 * (size_t)depth + n + 2);
	assert_non_null(s);
	memset(s, '[', (size_t)depth);
	memcpy(s + depth, inner, n);
	memset(s + depth + n, ']', (size_t)depth);
	s[2 * depth + n] = '\n';
	s[2 * depth + n + 1] = '\0';
	return s;
}

static void
test_nesting_within_limit(void **state)
{
	struct fixture *f = *state;
	/* 64 lists deep, the scalar at depth 64 */
	char *text = nested(64, "1");
	struct ynode *n = load(f, 1, text);
	free(text);
	assert_non_null(n);
	int depth = 0;
	while (n->kind == Y_SEQ) {
		assert_int_equal(n->n, 1);
		n = n->items[0];
		depth++;
	}
	assert_int_equal(depth, 64);
	assert_scalar(n, "1", 1, 65);
	ASSERT_DIAGS(&f->diags, "");
}

static void
test_nesting_too_deep(void **state)
{
	struct fixture *f = *state;
	char *text = nested(1000, "1");
	struct ynode *root = load(f, 1, text);
	free(text);
	assert_null(root);
	/* the root is depth 0: the node at depth 65 is refused */
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:1:66: error: YAML: nesting too deep\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_nesting_too_deep_block_maps(void **state)
{
	struct fixture *f = *state;
	char *text = malloc(100 * 80);
	assert_non_null(text);
	size_t len = 0;
	for (int i = 0; i < 70; i++) {
		for (int k = 0; k < i; k++)
			text[len++] = ' ';
		len += (size_t)sprintf(text + len, "k%d:\n", i);
	}
	text[len] = '\0';
	struct ynode *root = load(f, 1, text);
	free(text);
	assert_null(root);
	/* the map holding key k<d> is at depth d, its keys at depth d + 1:
	 * key k64 (line 65, column 65) is the first node at depth 65 */
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:65:65: error: YAML: nesting too deep\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_type_error(void **state)
{
	struct fixture *f = *state;
	struct ynode *root = load(f, 2, "title: [a]\n");
	assert_non_null(root);
	ynode_type_error(&f->diags, ynode_get(root, "title"), "title", "a string");
	ASSERT_DIAGS(&f->diags,
	    "x.yaml:2:8: error: 'title' must be a string\n"
	    "haichao: 1 error, 0 warnings\n");
}

static void
test_errors_accumulate_across_loads(void **state)
{
	struct fixture *f = *state;
	assert_non_null(yaml_load(&f->arena, &f->diags, "b.yaml", 1, "x: 1\nx: 2\n", 10));
	assert_null(yaml_load(&f->arena, &f->diags, "a.yaml", 1, "a: *z\n", 6));
	assert_non_null(yaml_load(&f->arena, &f->diags, "c.yaml", 1, "ok: 1\n", 6));
	ASSERT_DIAGS(&f->diags,
	    "a.yaml:1:4: error: YAML anchors and aliases are not supported\n"
	    "b.yaml:2:1: error: duplicate key 'x'\n"
	    "haichao: 2 errors, 0 warnings\n");
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_map_of_scalars),
		T(test_first_line_offset),
		T(test_columns_count_characters),
		T(test_sequences),
		T(test_top_level_sequence),
		T(test_flow_map),
		T(test_quoted_and_block_scalars),
		T(test_is_null),
		T(test_empty_document_is_empty_map),
		T(test_scalar_document),
		T(test_length_bounds_the_text),
		T(test_duplicate_key),
		T(test_duplicate_key_nested_with_offset),
		T(test_same_key_in_different_maps),
		T(test_non_scalar_key),
		T(test_alias_refused),
		T(test_alias_alone_refused),
		T(test_anchor_on_collections_refused),
		T(test_billion_laughs_refused),
		T(test_syntax_error_position),
		T(test_syntax_error_position_with_offset),
		T(test_syntax_error_unclosed_quote),
		T(test_syntax_error_in_long_block),
		T(test_syntax_error_tab_indent),
		T(test_syntax_error_after_cjk),
		T(test_control_character_position),
		T(test_more_than_one_document),
		T(test_nesting_within_limit),
		T(test_nesting_too_deep),
		T(test_nesting_too_deep_block_maps),
		T(test_type_error),
		T(test_errors_accumulate_across_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
