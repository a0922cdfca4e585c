/* fuzz_yaml.c — libFuzzer target: yaml_load() on arbitrary bytes.
 *
 * The first input byte picks the line the text starts on (1 for a data
 * file, 2 for front matter, or a large value to catch overflow); the rest is
 * the YAML text.  Besides "no crash, leak or hang", it checks the tree's
 * promises: NULL exactly when an error was reported, maps hold key/value
 * pairs with unique scalar keys, scalars are NUL-terminated at their
 * length, positions are 1-based and not before the first line, nesting
 * never goes past the depth limit (64 below the root), and anchors or
 * aliases never come back as nodes.  The tree written with ynode_write
 * reads back (ynode_read) as the same tree; and ynode_read on the raw
 * bytes themselves never crashes and, when it gives a tree, a sound one. */
#include "fuzz_util.h"

#include "arena.h"
#include "diag.h"
#include "yamlnode.h"

enum { DEPTH_LIMIT = 64 };

static void
check_tree(const struct ynode *n, int depth, int first_line)
{
	CHECK(n != NULL);
	CHECK(depth <= DEPTH_LIMIT);
	CHECK(n->pos.line >= first_line);
	CHECK(n->pos.col >= 1);
	switch (n->kind) {
	case Y_SCALAR:
		CHECK(n->str != NULL);
		CHECK(n->str[n->len] == '\0');
		CHECK(n->n == 0);
		break;
	case Y_SEQ:
		for (size_t i = 0; i < n->n; i++)
			check_tree(n->items[i], depth + 1, first_line);
		break;
	case Y_MAP:
		CHECK(n->n % 2 == 0);
		for (size_t i = 0; i < n->n; i += 2) {
			const struct ynode *k = n->items[i];
			CHECK(k->kind == Y_SCALAR);
			for (size_t j = 0; j < i; j += 2)
				CHECK(strcmp(n->items[j]->str, k->str) != 0);
			/* ynode_get finds every key, and finds its own value
			 * (keys are unique). */
			CHECK(ynode_get(n, k->str) == n->items[i + 1]);
		}
		for (size_t i = 0; i < n->n; i++)
			check_tree(n->items[i], depth + 1, first_line);
		break;
	default:
		CHECK(!"unknown node kind");
	}
	(void)ynode_is_null(n);
}

static bool
same_tree(const struct ynode *x, const struct ynode *y)
{
	if (x->kind != y->kind || x->pos.line != y->pos.line ||
	    x->pos.col != y->pos.col || x->n != y->n)
		return false;
	if (x->kind == Y_SCALAR)
		return x->quoted == y->quoted && x->len == y->len &&
		    memcmp(x->str, y->str, x->len) == 0;
	for (size_t i = 0; i < x->n; i++)
		if (!same_tree(x->items[i], y->items[i]))
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const int lines[] = { 1, 2, 7, 1000000 };
	int first_line = lines[data[0] % 4];
	/* yaml_load gets exactly `len` bytes; copy them to their own
	 * allocation so ASan sees any read past the end. */
	size_t len = size - 1;
	char *text = malloc(len ? len : 1);
	CHECK(text != NULL);
	memcpy(text, data + 1, len);

	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d);
	struct ynode *root = yaml_load(&a, &d, "fuzz.yaml", first_line, text, len);
	if (root == NULL) {
		CHECK(diags_failed(&d));
	} else {
		CHECK(!diags_failed(&d));
		CHECK(root->kind == Y_MAP || root->kind == Y_SEQ ||
		    root->kind == Y_SCALAR);
		check_tree(root, 0, first_line);
		(void)ynode_get(root, "title");
		(void)ynode_get(NULL, "title");
		struct buf w = BUF_INIT;
		ynode_write(&w, root);
		struct ynode *back = ynode_read(&a, "fuzz.yaml", w.data, w.len);
		CHECK(back != NULL && same_tree(root, back));
		buf_release(&w);
	}
	/* The bytes as a damaged cache record. */
	struct ynode *raw = ynode_read(&a, "fuzz.yaml", text, len);
	if (raw != NULL && raw->kind != Y_SCALAR)
		(void)ynode_get(raw, "title");
	diags_print(&d, fuzz_devnull());
	diags_free(&d);
	arena_free(&a);
	free(text);
	return 0;
}
