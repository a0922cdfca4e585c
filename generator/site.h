/* site.h — the typed model of an archive: site settings, taxonomy, glossary
 * and articles, each remembering where in the content it came from.
 *
 * Memory rule: a struct site owns one arena; every string, array and record
 * reachable from it lives there and is freed once by site_free.  The
 * Markdown bodies, the bulk of it, live in a second arena that can go
 * early (site_drop_bodies).  Stages
 * after loading only read the model, except for the fields marked "filled
 * by link" (link.c) and "filled by render" (one writer per article). */
#ifndef HAICHAO_SITE_H
#define HAICHAO_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

enum lang { LANG_ZH, LANG_EN, LANG_COUNT };

enum term_kind { KIND_COMPANY, KIND_APP, KIND_THEME, KIND_COUNT };

enum app_status { STATUS_NONE, STATUS_ACTIVE, STATUS_CLOSED, STATUS_SUSPENDED };

struct date {
	int year, month, day;   /* all 0 when absent */
};

struct article;

struct term {
	enum term_kind kind;
	const char *slug;
	struct pos pos;
	const char *name[LANG_COUNT];
	const char *summary[LANG_COUNT];     /* NULL when absent */
	/* apps only */
	const char *company_slug;
	struct pos company_pos;
	struct term *company;                /* filled by link */
	const char *market;
	int launched, closed;                /* years, 0 when absent */
	enum app_status status;
	/* filled by link: articles tagged with this term, newest first */
	struct article **articles;
	size_t n_articles;
	/* filled by link, companies only: their apps in launch order */
	struct term **apps;
	size_t n_apps;
};

struct gloss_term {
	const char *zh, *pinyin, *en;
	const char *slug;                    /* from the pinyin; filled by link */
	const char *note[LANG_COUNT];
	struct pos pos;
	bool local;                          /* not in glossary.yaml: from an
	                                        article's front matter, or adhoc */
	bool adhoc;                          /* an ad-hoc note [词](gloss: "[pinyin |] meaning") */
	bool duplicate;                      /* repeats an earlier term; filled by link */
	int id;                              /* index in site->glossary */
	/* glossary.yaml terms: the articles whose notes use it (indices into
	 * site->articles, newest first); filled by relate, like an
	 * article's backlinks. */
	uint32_t *used_by;
	size_t n_used_by;
};

/* The term of an ad-hoc note: zh, en and pinyin (may be NULL), no
 * glossary page. */
struct gloss_term *gloss_adhoc(struct arena *a, const char *zh,
    const char *pinyin, const char *en);

/* One language version of an article's text. */
struct version {
	const char *path;                    /* source file */
	const char *body;                    /* Markdown after the front matter */
	size_t body_len;
	int body_line;                       /* file line where the body starts */
	struct date updated;
	const char *html;                    /* filled by render; NULL when it */
	size_t html_len;                     /* waits in the spill file (spill.h,
	                                        spill_slot) or was not rendered */
	/* filled by render: */
	/* Its glossary notes in order of first use: the note numbered k is
	 * glossary_used[k - 1].  A million of them in a big archive, so a
	 * note is just its term. */
	const struct gloss_term **glossary_used;
	size_t n_glossary_used;
	const char **ids;                    /* heading ids */
	size_t n_ids;
	const char *auto_summary;            /* from the first paragraphs */
	struct article **links;              /* articles it links to, once each */
	size_t n_links;
	size_t han_chars, latin_words;
	/* What a later build needs to reuse this render (rcache.h): */
	uint64_t source_hash;                /* of the decoded file; filled by load */
	uint64_t html_hash;                  /* filled by render */
	struct xref *xrefs;                  /* every cross-link, in text order */
	size_t n_xrefs;
	const char **assets;                 /* asset files referenced */
	size_t n_assets;
};

/* A cross-link as written: the article and version it names, the anchor
 * (NULL for none) and where it is. */
struct xref {
	const char *slug;
	enum lang lang;
	const char *anchor;
	int line, col;
};

struct article {
	const char *slug;
	struct pos pos;                      /* the zh file, line 1 */
	struct date date;
	const char *title[LANG_COUNT];       /* title_en may be NULL */
	const char *summary[LANG_COUNT];     /* NULL when absent */
	const char *author, *source, *source_url;
	const char *author_en;               /* the author's name on English pages */
	bool draft;
	struct term **terms[KIND_COUNT];
	size_t n_terms[KIND_COUNT];
	struct gloss_term **local_glossary;
	size_t n_local_glossary;
	struct version zh;
	struct version *en;                  /* NULL: no translation */
	const char *asset_dir;               /* content/articles/<slug>/, or NULL */
	/* filled by relate: */
	struct article **backlinks;          /* articles linking here, newest first */
	size_t n_backlinks;
	struct article *related[5];          /* best first */
	size_t n_related;
	size_t index;                        /* position in site->articles */
};

struct site {
	struct arena arena;
	struct arena bodies;                 /* the Markdown bodies alone */
	const char *content_dir;
	const char *articles_real;           /* realpath of content/articles */
	const char *title[LANG_COUNT];
	const char *description[LANG_COUNT]; /* optional */
	const char *base_url;                /* ends in '/', or NULL */
	enum lang languages[LANG_COUNT];     /* languages[0] is the default */
	int per_page;
	bool unsafe_html;
	const char *encoding;                /* default for legacy files */
	struct pos encoding_pos;             /* of that value in site.yaml */

	struct term *terms[KIND_COUNT];      /* sorted by slug */
	size_t n_terms[KIND_COUNT];
	struct gloss_term **glossary;        /* glossary.yaml, then local terms */
	size_t n_glossary;
	size_t n_site_glossary;              /* how many came from glossary.yaml */
	struct gloss_term **gloss_by_zh;     /* those, by zh then id; filled by link */

	struct article **articles;           /* newest first, then slug */
	struct article **by_slug;            /* the same, sorted by slug */
	size_t n_articles;
	uint64_t data_hash;                  /* of site.yaml, taxonomy.yaml, glossary.yaml */
	const char **drafts_left_out;        /* slugs of unpublished drafts, sorted */
	size_t n_drafts_left_out;
};

/* Tables of names, indexed by the enums above. */
extern const char *const lang_code[LANG_COUNT];      /* "zh", "en" */
extern const char *const lang_tag[LANG_COUNT];       /* "zh-Hans", "en" */
extern const char *const kind_plural[KIND_COUNT];    /* "companies", ... */
extern const char *const kind_singular[KIND_COUNT];  /* "company", ... */
extern const char *const status_name[];              /* "", "active", ... */

struct site *site_new(void);
void site_free(struct site *s);
/* Frees the Markdown bodies (every version's body becomes NULL): once
 * every article is rendered, nothing reads them again. */
void site_drop_bodies(struct site *s);

bool slug_valid(const char *s, size_t len);
/* Parses YYYY-MM-DD into *out; false when malformed or not a calendar day. */
bool date_parse(const char *s, struct date *out);
int date_compare(const struct date *a, const struct date *b);

struct term *site_find_term(const struct site *s, enum term_kind k,
    const char *slug);
/* True when `slug` is a draft this build leaves out. */
bool site_draft_left_out(const struct site *s, const char *slug);
struct article *site_find_article(const struct site *s, const char *slug);
/* The glossary.yaml term for `zh` (its first definition), or NULL. */
const struct gloss_term *site_find_gloss(const struct site *s, const char *zh);

#endif
