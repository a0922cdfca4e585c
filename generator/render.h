/* render.h — the transform stage: an article's Markdown becomes HTML with
 * cmark, after haichao's conventions are applied to the syntax tree:
 * CJK line joining, glossary notes and annotation, cross-links, heading ids.
 * This header is the whole stage's interface: render.c walks the tree,
 * annotate.c makes the glossary notes, link.c resolves cross-links and
 * asset references (walk.h is what they share).
 *
 * Memory: the HTML and the lists filled into the article live in the
 * worker's arena, which outlives the page-writing stage.  One thread renders
 * one article at a time; the site and matcher are only read. */
#ifndef HAICHAO_RENDER_H
#define HAICHAO_RENDER_H

#include "arena.h"
#include "diag.h"
#include "site.h"
#include "spill.h"

struct matcher;

/* A link to `#anchor` in another article, checked once every article's
 * heading ids are known. */
struct anchor_check {
	struct article *target;
	enum lang lang;             /* the version the link names */
	const char *anchor;
	struct pos pos;
	struct anchor_check *next;
};

struct render_ctx {
	const struct site *site;
	const struct matcher *glossary;   /* glossary.yaml terms, may be NULL */
	struct diags *diags;
	struct arena *arena;              /* this worker's */
	struct anchor_check *anchors;     /* this worker's pending checks */
	struct spill *spill;              /* HTML goes here when not NULL */
	bool drop_html;                   /* no HTML kept (`check` writes no
	                                     pages): its hash and length only */
	struct md_heap *md;               /* this worker's, for cmark; may be NULL */
	const struct note_mark *mark;     /* a note's markup (template.h); NULL:
	                                     note_mark_default() */
};

/* Renders the zh body and, if present, the en translation of `a`. */
void render_article(struct render_ctx *ctx, struct article *a);

/* Takes a's render results from a record of the last build (rcache.h)
 * instead of rendering: everything but the HTML, which stays NULL until
 * render_article is called.  False when the record cannot be used. */
bool render_reuse(struct render_ctx *ctx, struct article *a, const char *record,
    size_t len);

/* (annotate.c) Builds the matcher over the site's glossary.yaml terms (caller frees
 * with matcher_free). */
struct matcher *render_glossary_matcher(const struct site *s);

/* (link.c) Queues the check that `anchor` exists in the target's version. */
void render_expect_anchor(struct render_ctx *ctx, struct article *target,
    enum lang lang, const char *anchor, const struct pos *at);

/* (link.c) Reports the links whose #anchor does not exist in the target. */
void render_check_anchors(const struct anchor_check *list, struct diags *d);

/* For tests: Markdown to HTML with only the CJK line joining applied, as
 * cmark-gfm renders it (in no language: footnote labels as it has them). */
char *render_markdown_plain(const char *md, size_t len, bool unsafe_html);

#endif
