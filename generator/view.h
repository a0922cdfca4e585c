/* view.h — the values a template can show, by name.
 *
 * The model is typed; templates need names.  This table is the one bridge:
 * each name has a kind, templates are checked against it when they are
 * loaded, and pages bind values to names in scopes (per-page arena). */
#ifndef HAICHAO_VIEW_H
#define HAICHAO_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum var_kind { VK_TEXT, VK_RAW, VK_LIST };

#define VIEW_VARS(X) \
	X(LANG, "lang", VK_TEXT) \
	X(LANG_TAG, "lang_tag", VK_TEXT) \
	X(OTHER_LANG, "other_lang", VK_TEXT) \
	X(OTHER_LANG_TAG, "other_lang_tag", VK_TEXT) \
	X(ROOT, "root", VK_TEXT) \
	X(HOME, "home", VK_TEXT) \
	X(SITE_TITLE, "site_title", VK_TEXT) \
	X(SITE_DESCRIPTION, "site_description", VK_TEXT) \
	X(PAGE_TITLE, "page_title", VK_TEXT) \
	X(DESCRIPTION, "description", VK_TEXT) \
	X(CANONICAL, "canonical", VK_TEXT) \
	X(LOCALE, "locale", VK_TEXT) \
	X(PAGE_TYPE, "page_type", VK_TEXT) \
	X(ALT_URL, "alt_url", VK_TEXT) \
	X(ALTERNATES, "alternates", VK_LIST) \
	X(HREFLANG, "hreflang", VK_TEXT) \
	X(HREF, "href", VK_TEXT) \
	X(LANGUAGES, "languages", VK_LIST) \
	X(NAV, "nav", VK_LIST) \
	X(CURRENT, "current", VK_TEXT) \
	X(TITLE, "title", VK_TEXT) \
	X(TITLE_LANG, "title_lang", VK_TEXT) \
	X(TITLE_OTHER, "title_other", VK_TEXT) \
	X(TITLE_OTHER_LANG, "title_other_lang", VK_TEXT) \
	X(URL, "url", VK_TEXT) \
	X(DATE, "date", VK_TEXT) \
	X(DATE_ISO, "date_iso", VK_TEXT) \
	X(UPDATED, "updated", VK_TEXT) \
	X(UPDATED_ISO, "updated_iso", VK_TEXT) \
	X(SUMMARY, "summary", VK_TEXT) \
	X(SUMMARY_LANG, "summary_lang", VK_TEXT) \
	X(AUTHOR, "author", VK_TEXT) \
	X(AUTHOR_LANG, "author_lang", VK_TEXT) \
	X(SOURCE_LANG, "source_lang", VK_TEXT) \
	X(SOURCE, "source", VK_TEXT) \
	X(SOURCE_URL, "source_url", VK_TEXT) \
	X(BODY, "body", VK_RAW) \
	X(WORD, "word", VK_RAW) \
	X(TERM_LANG, "term_lang", VK_TEXT) \
	X(BODY_LANG, "body_lang", VK_TEXT) \
	X(UNTRANSLATED, "untranslated", VK_TEXT) \
	X(READING, "reading", VK_TEXT) \
	X(TAGS, "tags", VK_LIST) \
	X(MORE, "more_tags", VK_TEXT) \
	X(KIND, "kind", VK_TEXT) \
	X(KIND_NAME, "kind_name", VK_TEXT) \
	X(NAME, "name", VK_TEXT) \
	X(NAME_LANG, "name_lang", VK_TEXT) \
	X(N, "count", VK_TEXT) \
	X(GLOSSARY, "glossary", VK_LIST) \
	X(NUMBER, "number", VK_TEXT) \
	X(TERM, "term", VK_LIST) \
	X(ZH, "zh", VK_TEXT) \
	X(PINYIN, "pinyin", VK_TEXT) \
	X(EN, "en", VK_TEXT) \
	X(NOTE, "note", VK_TEXT) \
	X(ANCHOR, "anchor", VK_TEXT) \
	X(ARTICLES, "articles", VK_LIST) \
	X(PAGE, "page", VK_TEXT) \
	X(PAGES, "pages", VK_TEXT) \
	X(PREV_URL, "prev_url", VK_TEXT) \
	X(NEXT_URL, "next_url", VK_TEXT) \
	X(PREV_TITLE, "prev_title", VK_TEXT) \
	X(NEXT_TITLE, "next_title", VK_TEXT) \
	X(PAGINATION, "pagination", VK_LIST) \
	X(GAP, "gap", VK_TEXT) \
	X(TERMS, "terms", VK_LIST) \
	X(GROUPS, "groups", VK_LIST) \
	X(LETTER, "letter", VK_TEXT) \
	X(COMPANY_NAME, "company_name", VK_TEXT) \
	X(COMPANY_URL, "company_url", VK_TEXT) \
	X(MARKET, "market", VK_TEXT) \
	X(LAUNCHED, "launched", VK_TEXT) \
	X(CLOSED, "closed", VK_TEXT) \
	X(STATUS, "status", VK_TEXT) \
	X(STATUS_CLASS, "status_class", VK_TEXT) \
	X(APPS, "apps", VK_LIST) \
	X(YEARS, "years", VK_LIST) \
	X(YEAR, "year", VK_TEXT) \
	X(YEARS_SPAN, "years_span", VK_TEXT) \
	X(FACTS, "facts", VK_TEXT) \
	X(BACKLINKS, "backlinks", VK_LIST) \
	X(RELATED, "related", VK_LIST) \
	X(FEED_URL, "feed_url", VK_TEXT) \
	X(FEED_TITLE, "feed_title", VK_TEXT) \
	X(GENERATOR, "generator", VK_TEXT) \
	X(SEARCH_URL, "search_url", VK_TEXT)

enum var_id {
#define X(id, name, kind) VAR_##id,
	VIEW_VARS(X)
#undef X
	VAR_COUNT
};

/* Looks a name up; -1 when unknown. */
int view_var(const char *name, size_t len);
const char *view_var_name(int id);
enum var_kind view_var_kind(int id);

/* The names a kind of page binds, declared as text: names separated by
 * spaces, a list's item names in braces after it, items of items alike:
 *     "page_title articles{title url tags{name url}} pagination{number}"
 * Templates are checked against it when they load: a name a page kind
 * does not bind is an error where it is used, and inside h:each only the
 * names of the list's items are visible. */
struct view_names {
	uint64_t set[2];                            /* bit v: name v is here */
	const struct view_names *items[VAR_COUNT];  /* a list's items' names */
};

/* Parses `spec` into `a`; a spec that does not parse (an unknown name,
 * unbalanced braces) is the program's own mistake: NULL, and the reason
 * in `why` (at least 128 bytes). */
const struct view_names *view_names_parse(struct arena *a, const char *spec,
    char *why);
bool view_names_has(const struct view_names *n, int var);

struct scope;
struct list_source;

struct value {
	enum var_kind kind;
	const char *s;               /* VK_TEXT, VK_RAW */
	size_t len;
	struct scope **items;        /* VK_LIST: bound items, or NULL ... */
	const struct list_source *src;   /* ... when they are bound on demand */
	size_t n;
};

/* A list whose items are bound only when a template shows them.  `bind`
 * fills item i (an empty scope without parent).  Two items with the same
 * `key` show the same values, so a template may render the markup of
 * such an item once and copy it wherever that key appears again: a list
 * of thousands of dated titles costs a lookup per item.  A key must tell
 * apart every item that the same h:each may show in one build (an
 * article's item in a given language and folder depth), and be a small
 * number (an index with the language: the memo is an array by key, and
 * keys from 2^26 on are not remembered); key 0 says "not shared": such
 * an item is rendered every time. */
struct list_source {
	void *ctx;
	uint64_t (*key)(const void *ctx, size_t i);
	void (*bind)(void *ctx, size_t i, struct scope *item);
};

struct binding {
	int var;
	struct value v;
};

/* Names bound for one page, or for one item of a list; lookups fall back
 * to the parent.  Scopes live in the page's arena. */
struct scope {
	const struct scope *parent;
	struct binding *b;
	size_t n, cap;
	uint64_t bound[2];           /* bit v: var v is in b (lookups skip) */
	struct arena *arena;
};

struct scope *scope_new(struct arena *a, const struct scope *parent);
/* Binds text; NULL or "" leaves the name unbound (false in h:if). */
void scope_text(struct scope *s, int var, const char *text);
void scope_textf(struct scope *s, int var, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void scope_raw(struct scope *s, int var, const char *html, size_t len);
/* A list of `n` item scopes.  Items have no parent: inside h:each only
 * the item's own values are visible. */
struct scope **scope_list(struct scope *s, int var, size_t n);
/* A list of `n` items bound on demand from `src` (which must live as
 * long as the scope). */
void scope_lazy_list(struct scope *s, int var, size_t n,
    const struct list_source *src);
/* Item i of a list: bound now, into s's arena, when the list is lazy. */
const struct scope *scope_item(const struct scope *s, const struct value *list,
    size_t i);
const struct value *scope_get(const struct scope *s, int var);
/* A 64-bit hash of everything bound in s and its items, in
 * binding order: equal hashes mean a template shows the same page. */
uint64_t scope_hash(const struct scope *s, uint64_t seed);

#endif
