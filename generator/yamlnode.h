/* yamlnode.h — YAML (via libyaml) read into a small tree that remembers the
 * line and column of every node, so later stages can point at a value.
 *
 * Anchors and aliases are refused: content files never need them, and
 * refusing them rules out "billion laughs" expansion.  Nodes live in the
 * arena passed to yaml_load; nothing is freed on its own. */
#ifndef HAICHAO_YAMLNODE_H
#define HAICHAO_YAMLNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

/* How deep below the root a tree may nest: deeply nested flow
 * collections cost stack, and content never needs them.  (The state
 * module keeps trees between builds, state.h, and reads them back with
 * the same bound.) */
#define YNODE_MAX_DEPTH 64

struct ynode {
	enum ynode_kind kind;
	struct pos pos;
	const char *str;          /* Y_SCALAR: NUL-terminated UTF-8 */
	size_t len;
	bool quoted;              /* scalar was quoted: never null/bool */
	struct ynode **items;     /* Y_SEQ: items; Y_MAP: key, value, key, value... */
	size_t n;                 /* number of items (pairs * 2 for maps) */
};

/* Parses `len` bytes of UTF-8 text as one YAML document.  `path` names the
 * file in diagnostics and `first_line` is the file line the text starts on
 * (front matter starts on line 2).  Returns the root node, an empty map for
 * an empty document, or NULL after reporting the error.  A key said twice
 * in a map is reported as an error, but the tree still comes back, the
 * map holding the key's first value only, so that the caller can check
 * the rest in the same run. */
struct ynode *yaml_load(struct arena *a, struct diags *d, const char *path,
    int first_line, const char *text, size_t len);

/* Map lookup; NULL when absent or when `map` is not a map. */
struct ynode *ynode_get(const struct ynode *map, const char *key);

/* True for a scalar that YAML would read as null (~, null, empty). */
bool ynode_is_null(const struct ynode *n);

/* Reports `key` at n's position as not being `what` ("a string", ...). */
void ynode_type_error(struct diags *d, const struct ynode *n, const char *key,
    const char *what);

#endif
