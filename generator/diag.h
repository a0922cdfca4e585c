/* diag.h — every message haichao prints about content goes through here.
 *
 * A diagnostic has a code from one table (diag.c), a level and a source
 * position.  They are collected, not printed, so a run reports every problem
 * at once, sorted by path and line; the worst level decides the exit status.
 * A struct diags is safe to use from several threads. */
#ifndef HAICHAO_DIAG_H
#define HAICHAO_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <pthread.h>

/* Where something came from: 1-based line and column (in characters). */
struct pos {
	const char *path;  /* not owned; outlives the diags (model arena) */
	int line;
	int col;
};

/* A system error (the system refused: a file or folder that cannot be
 * read or written) prints as an error but makes the exit status 2; a
 * content error makes it 1. */
enum diag_level { DIAG_WARNING, DIAG_ERROR, DIAG_SYSTEM };

enum diag_code {
	/* Things the system refused (DIAG_SYSTEM): each takes strerror's
	 * text, through diag_errno. */
	D_READ,
	D_OPEN,
	D_WRITE,
	D_CREATE,
	D_LINK,
	D_SWAP,
	D_LOCK,
	D_REPLACE_DOT_FILES,
	D_PUBLISH_HERE,
	D_STAGING,
	D_MAKE_PARENTS,
	D_MAKE_FOLDER,
	D_READ_SPILL,
	D_NO_CONTENT_DIR,
	D_YAML_INIT,          /* libyaml could not start (no errno) */
	D_ENCODING,           /* a byte invalid in the file's encoding */
	D_ENCODING_UTF8,      /* not UTF-8, and no encoding declared */
	D_ENCODING_DECLARED,  /* declared legacy, but the file is UTF-8 */
	D_ENCODING_SITE,      /* site.yaml's default, but the file is UTF-8 */
	D_ENCODING_CONVERTED, /* iconv's output is not UTF-8 */
	D_ENCODING_UNKNOWN,
	D_NUL_BYTE,
	D_CONTROL_CHAR,
	D_YAML_SYNTAX,        /* libyaml's own message */
	D_YAML_SYNTAX_IN,     /* libyaml's context and message */
	D_YAML_DEPTH,
	D_YAML_NUL,
	D_YAML_EVENT,
	D_YAML_DOCUMENTS,
	D_YAML_ALIAS,
	D_YAML_TYPE,          /* a value has the wrong shape */
	D_YAML_DUPKEY,
	D_YAML_UNKNOWN_KEY,
	D_FM_MISSING,
	D_FM_UNTERMINATED,
	D_REQUIRED,
	D_DATE,
	D_YEAR,
	D_SLUG,
	D_FILE_NAME,
	D_DUP_TERM,
	D_UNKNOWN_REF,        /* a taxonomy slug that does not exist */
	D_UNKNOWN_COMPANY,
	D_STATUS,
	D_LANGUAGE,
	D_LANG_DUP,
	D_BASE_URL,
	D_PER_PAGE,
	D_TRANSLATION_ORPHAN,
	D_SLUG_TWICE,
	D_XLINK_MISSING,
	D_XLINK_ANCHOR,
	D_XLINK_DRAFT,
	D_GLOSS_UNKNOWN,
	D_GLOSS_EMPTY,
	D_GLOSS_NO_TEXT,
	D_MD_UNCLOSED_HTML,
	D_GLOSS_CONFLICT,
	D_GLOSS_UNUSED,
	D_GLOSS_LOCAL_UNUSED,
	D_TEMPLATE_XML,       /* libxml2's own message */
	D_TEMPLATE_UI_UNKNOWN,
	D_TEMPLATE_VALUE_UNKNOWN,
	D_TEMPLATE_VALUE_KIND,
	D_TEMPLATE_NEEDS_SELECT,
	D_TEMPLATE_NEEDS_TEST,
	D_TEMPLATE_INCLUDE_FILE,
	D_TEMPLATE_INCLUDE_DEPTH,
	D_TEMPLATE_INCLUDE_COUNT,
	D_TEMPLATE_DIRECTIVE,
	D_TEMPLATE_ATTR_NS,
	D_TEMPLATE_VOID,
	D_TEMPLATE_ATTR_SCRIPT,   /* a value in an attribute that runs or styles */
	D_TEMPLATE_RAW_TEXT,      /* an element inside <script> or <style> */
	D_TEMPLATE_NAME_PAGE,     /* a name the page kind does not bind */
	D_TEMPLATE_NAME_ITEMS,    /* ... or that the list's items do not have */
	D_TEMPLATE_NAMES_SPEC,    /* haichao's own list of a kind's names is wrong */
	D_TEMPLATE_MARK_WORD,     /* note-mark.html shows `word` not exactly once */
	D_EMPTY_FILE,
	D_NO_ARTICLES,
	D_NO_BASE_URL,
	D_ASSET_ORPHAN,
	D_ASSET_PAGE,             /* an asset folder's index.html: the page's path */
	D_CONTENT_UNUSED,
	D_ASSET_MISSING,
	D_CACHE_DAMAGED,
	D_CACHE_FORMAT,       /* the build cache is of another format */
	D_SOURCE_URL,
	D_OUTPUT_OVERLAP,     /* public/ would overlap content/ or templates/ */
	D_OUTPUT_FOREIGN,     /* public/ holds files haichao did not publish */
	D_SYMLINK,            /* content/ holds a symbolic link */
	D_OUTPUT_CLASH,       /* two outputs would be one file */
	D_TEMPLATE_READ,      /* a template file cannot be read (system) */
	D_STRINGS_OPEN,       /* strings.yaml cannot be opened (system) */
	D_STRINGS_REQUIRED,       /* strings.yaml lacks a key haichao itself uses */
	D_NEW_EXISTS,         /* haichao new: the file is there already */
	D_NEW_NOT_EMPTY,      /* haichao new site: the folder holds files */
	D_NEW_TITLE,          /* haichao new article: a title with a newline */
	D_DIAG_COUNT
};

struct diag_entry;

struct diags {
	pthread_mutex_t lock;
	struct diag_entry *items;
	size_t len, cap;
	int errors, warnings;
	int system_errors;    /* among the errors */
};

void diags_init(struct diags *d);
void diags_free(struct diags *d);

/* Records diagnostic `code` at `at` (which may be NULL for a message about
 * the whole run); the arguments fill the code's printf format. */
void diag(struct diags *d, const struct pos *at, enum diag_code code, ...);
void vdiag(struct diags *d, const struct pos *at, enum diag_code code,
    va_list ap);

/* Prints every diagnostic, sorted by path, line and column, then a closing
 * count when there was anything to say.  Returns the number of errors. */
int diags_print(struct diags *d, FILE *out);

bool diags_failed(const struct diags *d);

/* The exit status the diagnostics call for: 2 after a system error, 1
 * after any other error, else 0. */
int diags_status(const struct diags *d);

/* Reports a failed system call on `at` with `code`, whose one "%s" is
 * strerror(err), made with the thread-safe strerror_r (pages are written
 * on several threads). */
void diag_errno(struct diags *d, const struct pos *at, enum diag_code code, int err);

/* The code's message format, for tests. */
const char *diag_format(enum diag_code code);

#endif
