/* template.h — page templates: XHTML files in templates/, parsed once with
 * libxml2 and compiled into a small program of literal markup and escaped
 * values, then run for every page.
 *
 * Directives live in the namespace urn:haichao:template (prefix h:):
 *   <h:text select="name"/>          a text value, escaped
 *   <h:html select="name"/>          generated markup (only raw values)
 *   <h:if test="name"> <h:unless test="name">   a value is present / absent
 *   <h:each select="name">           once per item of a list
 *   <h:include file="partial.html"/> another template's content
 *   attribute="..{name}.."           values inside attributes, escaped;
 *                                    an attribute that is only "{name}" is
 *                                    left out when the value is absent
 *   {ui.key} / <h:text select="ui.key"/>   a string from strings.yaml
 * Output is HTML5: void elements have no end tag, the doctype is written
 * for an <html> root. */
#ifndef HAICHAO_TEMPLATE_H
#define HAICHAO_TEMPLATE_H

#include <stdbool.h>

#include "buf.h"
#include "diag.h"
#include "site.h"
#include "view.h"

struct template;
struct strings;

/* Loads templates/strings.yaml: UI strings per language. */
struct strings *strings_load(const char *dir, struct diags *d);
void strings_free(struct strings *s);
/* The string `key` in `lang`, or NULL. */
const char *strings_get(const struct strings *s, enum lang lang, const char *key);

/* Compiles dir/name, checking every name against the view table and every
 * ui.key against `strings`.  NULL after reporting problems, each at its
 * line and column. */
struct template *template_load(const char *dir, const char *name,
    const struct strings *strings, struct diags *d);
/* The same, and every name must also be one `names` declares (the page
 * kind's names; see struct view_names): a name a kind does not bind is
 * an error at its line and column. */
struct template *template_load_checked(const char *dir, const char *name,
    const struct view_names *names, const struct strings *strings,
    struct diags *d);
void template_free(struct template *t);

/* Markup of list items rendered once and reused (see struct list_source
 * in view.h); one per thread, kept across the pages of a build.  Entries
 * are keyed by the template's own instructions: free a memo before the
 * templates it was used with. */
struct template_memo;
struct template_memo *template_memo_new(void);
void template_memo_free(struct template_memo *m);

/* Appends the page to `out`.  Thread-safe: a template is read-only, and
 * `memo` (may be NULL) belongs to the calling thread. */
void template_render(const struct template *t, const struct scope *scope,
    enum lang lang, const struct strings *strings, struct template_memo *memo,
    struct buf *out);

/* A glossary note's markup in an article's text, from the partial
 * partials/note-mark.html, so that a theme can change it.  Its names:
 * number, pinyin, zh, en, term_lang ("zh-Hans" in a translation) and
 * word, the annotated text's own markup, which it must show exactly
 * once.  The partial is rendered once per language and with and without
 * pinyin, with stand-ins for the note's values, and cut at the word:
 * writing a note's markup then copies those pieces and the note's values
 * (escaped for attributes, which is safe in text too).  An article has
 * about a hundred notes, a big archive a million: no template is run per
 * note. */
struct note_mark;
struct note_fields {
	const char *number;      /* digits */
	const char *pinyin;      /* may be NULL */
	const char *zh, *en;
};
/* NULL after reporting problems (including those of strings.yaml). */
struct note_mark *note_mark_load(const char *dir, struct diags *d);
void note_mark_free(struct note_mark *m);
/* The built-in markup, for callers without templates (tests, fuzzers). */
const struct note_mark *note_mark_default(void);
/* Appends the markup before the word (after = false) or after it, for a
 * note in a Chinese text or in a translation. */
void note_mark_write(const struct note_mark *m, bool translation, bool after,
    const struct note_fields *f, struct buf *out);

#endif
