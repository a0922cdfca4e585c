/* yamlnode.c — libyaml events folded into ynode trees with positions. */
#include "yamlnode.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "input.h"
#include "strset.h"

struct loader {
	struct arena *a;
	struct diags *d;
	const char *path;
	int first_line;
	const char *text;
	size_t len;
	yaml_parser_t parser;
	bool failed;
};

static struct pos
mark_pos(const struct loader *l, yaml_mark_t m)
{
	struct pos p = { l->path, (int)m.line + l->first_line, (int)m.column + 1 };
	return p;
}

static void
parser_error(struct loader *l)
{
	if (l->failed)
		return;
	l->failed = true;
	const char *problem = l->parser.problem ? l->parser.problem : "syntax error";
	if (l->parser.error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		struct pos p = text_pos(l->path, l->text,
		    l->parser.problem_offset < l->len ? l->parser.problem_offset : l->len);
		p.line += l->first_line - 1;
		diag(l->d, &p, D_YAML_SYNTAX, problem);
	} else if (l->parser.context != NULL) {
		/* Point at where the broken construct began (an unclosed
		 * quote, say), not where the parser gave up; but a block
		 * collection or mapping may be the whole file, whose first
		 * line says nothing: there, where it gave up. */
		bool block = strstr(l->parser.context, "block") != NULL;
		struct pos p = mark_pos(l, block ? l->parser.problem_mark :
		    l->parser.context_mark);
		diag(l->d, &p, D_YAML_SYNTAX_IN, l->parser.context, problem);
	} else {
		struct pos p = mark_pos(l, l->parser.problem_mark);
		diag(l->d, &p, D_YAML_SYNTAX, problem);
	}
}

static bool
next_event(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev)) {
		parser_error(l);
		return false;
	}
	return true;
}

static struct ynode *parse_node(struct loader *l, yaml_event_t *ev, int depth);

/* Collects the children of a sequence or mapping until its end event. */
static bool
parse_children(struct loader *l, struct ynode *n, yaml_event_type_t end,
    int depth)
{
	size_t cap = 0;
	for (;;) {
		yaml_event_t ev;
		if (!next_event(l, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return true;
		}
		struct ynode *child = parse_node(l, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (child == NULL)
			return false;
		if (n->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct ynode **items = ARENA_ARRAY(l->a, struct ynode *, cap);
			if (n->n)
				memcpy(items, n->items, n->n * sizeof(*items));
			n->items = items;
		}
		n->items[n->n++] = child;
	}
}

/* Keys are plain strings, each once: a set keeps this linear even for a
 * map of 100,000 keys.  Every bad key is reported.  A key said again is
 * an error, and its pair is dropped: the map stays, with the first value
 * of each key, so that the rest of the file is still checked in the same
 * run.  A key that is not a string leaves no map. */
static bool
check_map_keys(struct loader *l, struct ynode *n)
{
	struct strset seen;
	strset_init(&seen);
	bool ok = true;
	size_t kept = 0;
	for (size_t i = 0; i < n->n; i += 2) {
		struct ynode *k = n->items[i];
		if (k->kind != Y_SCALAR) {
			diag(l->d, &k->pos, D_YAML_TYPE, "key", "a plain string");
			ok = false;
		} else if (!strset_add(&seen, k->str)) {
			diag(l->d, &k->pos, D_YAML_DUPKEY, k->str);
			continue;
		}
		n->items[kept++] = k;
		n->items[kept++] = n->items[i + 1];
	}
	n->n = kept;
	strset_free(&seen);
	return ok;
}


static struct ynode *
parse_node(struct loader *l, yaml_event_t *ev, int depth)
{
	if (ev->type == YAML_ALIAS_EVENT ||
	    (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor) ||
	    (ev->type == YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.anchor) ||
	    (ev->type == YAML_MAPPING_START_EVENT && ev->data.mapping_start.anchor)) {
		struct pos p = mark_pos(l, ev->start_mark);
		diag(l->d, &p, D_YAML_ALIAS);
		l->failed = true;
		return NULL;
	}
	struct ynode *n = ARENA_NEW(l->a, struct ynode);
	n->pos = mark_pos(l, ev->start_mark);
	if (depth > YNODE_MAX_DEPTH) {
		diag(l->d, &n->pos, D_YAML_DEPTH);
		l->failed = true;
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		/* "\0" would cut every C string made from the value short
		 * ("2025-01-01\0junk" read as a date): refused here, once. */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
			diag(l->d, &n->pos, D_YAML_NUL);
			l->failed = true;
			return NULL;
		}
		n->kind = Y_SCALAR;
		n->len = ev->data.scalar.length;
		n->str = arena_strndup(l->a, (const char *)ev->data.scalar.value, n->len);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		return n;
	case YAML_SEQUENCE_START_EVENT:
		n->kind = Y_SEQ;
		return parse_children(l, n, YAML_SEQUENCE_END_EVENT, depth) ? n : NULL;
	case YAML_MAPPING_START_EVENT:
		n->kind = Y_MAP;
		if (!parse_children(l, n, YAML_MAPPING_END_EVENT, depth))
			return NULL;
		return check_map_keys(l, n) ? n : NULL;
	default:
		diag(l->d, &n->pos, D_YAML_EVENT);
		l->failed = true;
		return NULL;
	}
}

/* Skips events up to the document's root node and parses it. */
static struct ynode *
parse_stream(struct loader *l)
{
	struct ynode *root = NULL;
	yaml_event_t ev;
	for (;;) {
		if (!next_event(l, &ev))
			return NULL;
		yaml_event_type_t type = ev.type;
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_STREAM_START_EVENT ||
		    type == YAML_DOCUMENT_START_EVENT ||
		    type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (root != NULL) {
			struct pos p = mark_pos(l, ev.start_mark);
			yaml_event_delete(&ev);
			diag(l->d, &p, D_YAML_DOCUMENTS);
			return NULL;
		}
		root = parse_node(l, &ev, 0);
		yaml_event_delete(&ev);
		if (root == NULL)
			return NULL;
	}
	if (root == NULL) {
		root = ARENA_NEW(l->a, struct ynode);
		root->kind = Y_MAP;
		root->pos = (struct pos){ l->path, l->first_line, 1 };
	}
	return root;
}

struct ynode *
yaml_load(struct arena *a, struct diags *d, const char *path, int first_line,
    const char *text, size_t len)
{
	struct loader l = { .a = a, .d = d, .path = path, .first_line = first_line,
		.text = text, .len = len };
	if (!yaml_parser_initialize(&l.parser)) {
		diag(d, NULL, D_YAML_INIT);
		return NULL;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&l.parser, YAML_UTF8_ENCODING);
	struct ynode *root = parse_stream(&l);
	yaml_parser_delete(&l.parser);
	return l.failed ? NULL : root;
}

struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->items[i]->str, key) == 0)
			return map->items[i + 1];
	return NULL;
}

bool
ynode_is_null(const struct ynode *n)
{
	if (n == NULL)
		return true;
	if (n->kind != Y_SCALAR || n->quoted)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

void
ynode_type_error(struct diags *d, const struct ynode *n, const char *key,
    const char *what)
{
	diag(d, &n->pos, D_YAML_TYPE, key, what);
}
