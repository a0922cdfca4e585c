/* walk.h — the render stage's shared state, internal to render.c (the
 * Markdown walk), annotate.c (glossary notes) and link.c (cross-links and
 * asset references): one `struct walk` per version being rendered, and
 * the position helpers all three report diagnostics with.
 *
 * Memory: a walk lives on render_version's stack; its lists are on the
 * heap and freed there, everything kept (ids, notes, links) goes into the
 * worker's arena, and new cmark nodes come from the document's allocator
 * (`mem`), freed with the tree. */
#ifndef HAICHAO_WALK_H
#define HAICHAO_WALK_H

#include <cmark-gfm.h>

#include "buf.h"
#include "render.h"
#include "strset.h"

/* Nodes gathered in one pass over the tree, processed after it, because
 * cmark's iterator does not allow restructuring while it runs. */
struct node_list {
	cmark_node **items;
	size_t n, cap;
};

struct text_node {
	cmark_node *node;
	bool annotatable;   /* not inside a link, image or heading */
};

struct walk {
	struct render_ctx *ctx;
	cmark_mem *mem;             /* the document's allocator, for new nodes */
	struct article *article;
	struct version *version;
	struct node_list softbreaks, headings, gloss_links, tables, code_blocks;
	struct node_list alt_glosses;   /* gloss links in an image's text */
	struct text_node *texts;
	size_t n_texts, cap_texts;
	struct buf scratch;
	bool scrub;                 /* text nodes may need utf8_scrub */
	/* glossary state for this text */
	bool *referenced;           /* site terms named by [x](gloss:) */
	bool *annotated;            /* site terms already annotated */
	const struct gloss_term **uses;   /* the notes, numbered: uses[k - 1] */
	size_t n_uses, cap_uses;
	int seen_line;              /* line_start's place in the text */
	const char *seen_ptr;
	const char *col_block, *col_ptr;   /* and its last column count */
	int col_extra, col;
	struct strset noted;        /* ad-hoc notes ("a" + zh) and local
	                               terms ("l" + zh) noted, each once */
	struct article **links;     /* cross-link targets, once each */
	size_t n_links, cap_links;
	struct xref *xrefs;         /* every cross-link, for the render cache */
	size_t n_xrefs, cap_xrefs;
	const char **assets;        /* every asset reference, likewise */
	size_t n_assets, cap_assets;
};

/* The start of body line `line` (1-based), going on from the last one
 * found: nodes come in text order. */
const char *walk_line_start(struct walk *w, int line);

/* The byte at 1-based byte column `col` of the line at p (or end). */
const char *walk_at_column(const char *p, const char *end, int col);

/* The source position of `node`, refined to where `needle` occurs inside
 * it when it does; *found (may be NULL) is that spot or NULL. */
struct pos walk_source_find(struct walk *w, cmark_node *node,
    const char *needle, const char **found);
struct pos walk_source_pos(struct walk *w, cmark_node *node,
    const char *needle);

/* Appends the text of n's inlines to out (soft and hard breaks as ' '). */
void walk_plain_text(cmark_node *n, struct buf *out);

#endif
