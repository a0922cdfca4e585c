/* annotate.h — the render stage's glossary notes: `[x](gloss: …)` links
 * and the automatic annotation of each glossary term's first occurrence,
 * numbered in text order into the version's notes.
 *
 * Memory: the notes (term pointers) are gathered on the heap in the walk
 * and moved into the worker's arena by render.c; ad-hoc terms are made in
 * the arena; new nodes come from the document's allocator. */
#ifndef HAICHAO_ANNOTATE_H
#define HAICHAO_ANNOTATE_H

#include "walk.h"

/* An image's text becomes its alt attribute, where a note has no marker
 * to link back to: its gloss links become plain text. */
void annotate_strip_alt(struct walk *w);

/* Applies the gloss links, annotates the first occurrence of every other
 * glossary term in annotatable text, and numbers the notes. */
void annotate_glossary(struct walk *w, cmark_node *doc);

#endif
