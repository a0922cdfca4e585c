/* fuzz_yaml.c — libFuzzer target: yaml_load() on arbitrary bytes.
 *
 * The first input byte picks the line the text starts on (1 for a data
 * file, 2 for front matter, or a large value to catch overflow); the rest is
 * the YAML text.  Besides "no crash, leak or hang", it checks the tree's
 * promises: NULL only when an error was reported, and a tree that comes
 * with errors only when they are keys said twice (the tree then keeps
 * the first of each); maps hold key/value pairs with unique scalar keys;
 * scalars are NUL-terminated at their
 * length, positions are 1-based and not before the first line, nesting
 * never goes past the depth limit (64 below the root), and anchors or
 * aliases never come back as nodes.  The tree kept in the build state
 * (state_put_source, the sources record that carries an article's front
 * matter) reads back (state_read_source) as the same tree; and
 * state_read_source on the raw bytes themselves never crashes and, when
 * it gives a tree, a sound one (fuzz_state reaches the same reader
 * through a whole state file). */
#include "fuzz_util.h"

#include "arena.h"
#include "diag.h"
#include "state.h"
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

/* What a tree read from a record promises (less than yaml_load's: a
 * record may repeat a key, and nothing checks its positions). */
static void
check_record_tree(const struct ynode *n, int depth)
{
	CHECK(n != NULL && depth <= DEPTH_LIMIT);
	if (n->kind == Y_SCALAR) {
		CHECK(n->str != NULL && n->str[n->len] == '\0' &&
		    strlen(n->str) == n->len);
		return;
	}
	CHECK(n->kind == Y_SEQ || n->kind == Y_MAP);
	CHECK(n->kind == Y_SEQ || n->n % 2 == 0);
	for (size_t i = 0; i < n->n; i++) {
		CHECK(n->kind == Y_SEQ || i % 2 == 1 || n->items[i]->kind == Y_SCALAR);
		check_record_tree(n->items[i], depth + 1);
	}
	if (n->kind == Y_MAP && n->n > 0)
		(void)ynode_get(n, n->items[0]->str);
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
		bool failed = diags_failed(&d);
		if (failed) {   /* only keys said twice leave a tree */
			char *said = NULL;
			size_t said_len = 0;
			FILE *f = open_memstream(&said, &said_len);
			CHECK(f != NULL);
			diags_print(&d, f);
			fclose(f);
			for (char *line = strtok(said, "\n"); line; line = strtok(NULL, "\n"))
				CHECK(strstr(line, "duplicate key") || strncmp(line, "haichao: ", 9) == 0);
			free(said);
		}
		CHECK(root->kind == Y_MAP || root->kind == Y_SEQ ||
		    root->kind == Y_SCALAR);
		check_tree(root, 0, first_line);
		(void)ynode_get(root, "title");
		(void)ynode_get(NULL, "title");
		struct source_record src = { "x.zh.md", { 1, 2, 3, 4, 5, 6 }, 7, 8,
			root, NULL, 0 };
		struct buf w = BUF_INIT;
		state_put_source(&w, &src);
		CHECK(w.len > 0 && w.data[w.len - 1] == '\n' &&
		    memchr(w.data, '\n', w.len - 1) == NULL);
		struct source_record back;
		CHECK(state_read_source(w.data, w.len - 1, "fuzz.yaml", &back, &a));
		CHECK(same_tree(root, back.fm));
		CHECK(back.source_hash == 7 && back.body_line == 8);
		buf_release(&w);
	}
	/* The bytes as a damaged sources record. */
	struct source_record raw;
	if (state_read_source(text, len, "fuzz.yaml", &raw, &a))
		check_record_tree(raw.fm, 0);
	diags_print(&d, fuzz_devnull());
	diags_free(&d);
	arena_free(&a);
	free(text);
	return 0;
}
