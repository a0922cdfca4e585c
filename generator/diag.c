/* diag.c — the table of diagnostics, their collection and their printing. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

struct diag_entry {
	char *path;        /* owned copy: positions may die before printing */
	int line, col;
	size_t seq;        /* keeps equal positions in the order reported */
	enum diag_level level;
	char *message;
};

static const struct {
	enum diag_code code;
	enum diag_level level;
	const char *format;
} table[] = {
	[D_READ] = { D_READ, DIAG_SYSTEM, "cannot read: %s" },
	[D_OPEN] = { D_OPEN, DIAG_SYSTEM, "cannot open: %s" },
	[D_WRITE] = { D_WRITE, DIAG_SYSTEM, "cannot write: %s" },
	[D_CREATE] = { D_CREATE, DIAG_SYSTEM, "cannot create: %s" },
	[D_LINK] = { D_LINK, DIAG_SYSTEM, "cannot link the unchanged file: %s" },
	[D_SWAP] = { D_SWAP, DIAG_SYSTEM, "cannot swap in the new output: %s" },
	[D_LOCK] = { D_LOCK, DIAG_SYSTEM, "cannot lock the output folder: %s" },
	[D_REPLACE_DOT_FILES] = { D_REPLACE_DOT_FILES, DIAG_SYSTEM, "cannot replace this folder with a file: it holds dot files: %s" },
	[D_PUBLISH_HERE] = { D_PUBLISH_HERE, DIAG_SYSTEM, "cannot publish here: %s" },
	[D_STAGING] = { D_STAGING, DIAG_SYSTEM, "cannot create the staging folder: %s" },
	[D_MAKE_PARENTS] = { D_MAKE_PARENTS, DIAG_SYSTEM, "cannot make the folders above it: %s" },
	[D_MAKE_FOLDER] = { D_MAKE_FOLDER, DIAG_SYSTEM, "cannot make its folder: %s" },
	[D_READ_SPILL] = { D_READ_SPILL, DIAG_SYSTEM, "cannot read back its rendered HTML: %s" },
	[D_NO_CONTENT_DIR] = { D_NO_CONTENT_DIR, DIAG_SYSTEM, "cannot find the content folder: %s" },
	[D_YAML_INIT] = { D_YAML_INIT, DIAG_SYSTEM, "cannot initialise the YAML parser" },
	[D_ENCODING] = { D_ENCODING, DIAG_ERROR, "byte 0x%02X is not valid %s" },
	[D_ENCODING_UTF8] = { D_ENCODING_UTF8, DIAG_ERROR, "not valid UTF-8; an article in another encoding declares it in its front matter (e.g. 'encoding: gb18030'); data files must be UTF-8" },
	[D_ENCODING_DECLARED] = { D_ENCODING_DECLARED, DIAG_ERROR, "declared as %s, but the file is UTF-8; remove the 'encoding:' line" },
	[D_ENCODING_SITE] = { D_ENCODING_SITE, DIAG_ERROR, "site.yaml (line %d) says articles are in %s, but this file is UTF-8; add 'encoding: utf-8' to its front matter" },
	[D_ENCODING_CONVERTED] = { D_ENCODING_CONVERTED, DIAG_ERROR, "not valid UTF-8 after conversion" },
	[D_ENCODING_UNKNOWN] = { D_ENCODING_UNKNOWN, DIAG_ERROR, "unknown encoding '%s'" },
	[D_CONTROL_CHAR] = { D_CONTROL_CHAR, DIAG_ERROR, "control character U+%04X in text file" },
	[D_NUL_BYTE] = { D_NUL_BYTE, DIAG_ERROR, "NUL byte in text file" },
	[D_YAML_SYNTAX] = { D_YAML_SYNTAX, DIAG_ERROR, "YAML: %s" },
	[D_YAML_SYNTAX_IN] = { D_YAML_SYNTAX_IN, DIAG_ERROR, "YAML: %s: %s" },
	[D_YAML_DEPTH] = { D_YAML_DEPTH, DIAG_ERROR, "YAML: nesting too deep" },
	[D_YAML_NUL] = { D_YAML_NUL, DIAG_ERROR, "YAML: a value may not contain the NUL character (\"\\0\")" },
	[D_YAML_EVENT] = { D_YAML_EVENT, DIAG_ERROR, "YAML: unexpected event" },
	[D_YAML_DOCUMENTS] = { D_YAML_DOCUMENTS, DIAG_ERROR, "YAML: more than one document" },
	[D_YAML_ALIAS] = { D_YAML_ALIAS, DIAG_ERROR, "YAML anchors and aliases are not supported" },
	[D_YAML_TYPE] = { D_YAML_TYPE, DIAG_ERROR, "'%s' must be %s" },
	[D_YAML_DUPKEY] = { D_YAML_DUPKEY, DIAG_ERROR, "duplicate key '%s'" },
	[D_YAML_UNKNOWN_KEY] = { D_YAML_UNKNOWN_KEY, DIAG_WARNING, "unknown key '%s' ignored" },
	[D_FM_MISSING] = { D_FM_MISSING, DIAG_ERROR, "missing front matter: the file must start with a '---' line" },
	[D_FM_UNTERMINATED] = { D_FM_UNTERMINATED, DIAG_ERROR, "front matter is not closed by a '---' line" },
	[D_REQUIRED] = { D_REQUIRED, DIAG_ERROR, "missing required field '%s'" },
	[D_DATE] = { D_DATE, DIAG_ERROR, "'%s' is not a valid date (YYYY-MM-DD)" },
	[D_YEAR] = { D_YEAR, DIAG_ERROR, "'%s' is not a valid year (YYYY)" },
	[D_SLUG] = { D_SLUG, DIAG_ERROR, "'%s' is not a valid slug (1 to 200 lower-case ASCII letters, digits and '-', not starting with '-')" },
	[D_FILE_NAME] = { D_FILE_NAME, DIAG_ERROR, "'%s' is not a valid article file name (<slug>.zh.md or <slug>.en.md)" },
	[D_DUP_TERM] = { D_DUP_TERM, DIAG_ERROR, "glossary term '%s' defined twice (first at %s)" },
	[D_UNKNOWN_REF] = { D_UNKNOWN_REF, DIAG_ERROR, "unknown %s '%s' (not in taxonomy.yaml)" },
	[D_UNKNOWN_COMPANY] = { D_UNKNOWN_COMPANY, DIAG_ERROR, "app '%s' names unknown company '%s'" },
	[D_STATUS] = { D_STATUS, DIAG_ERROR, "status '%s' must be one of: active, closed, suspended" },
	[D_LANGUAGE] = { D_LANGUAGE, DIAG_ERROR, "unsupported language '%s' (haichao builds zh and en)" },
	[D_LANG_DUP] = { D_LANG_DUP, DIAG_ERROR, "language '%s' listed twice" },
	[D_BASE_URL] = { D_BASE_URL, DIAG_ERROR, "base_url '%s' must be an absolute http(s) URL" },
	[D_PER_PAGE] = { D_PER_PAGE, DIAG_ERROR, "per_page must be a whole number from 1 to 10000" },
	[D_SLUG_TWICE] = { D_SLUG_TWICE, DIAG_ERROR, "two articles with the slug '%s': this file and %s (the folder is not part of the URL)" },
	[D_TRANSLATION_ORPHAN] = { D_TRANSLATION_ORPHAN, DIAG_ERROR, "translation without an original: %s does not exist" },
	[D_XLINK_MISSING] = { D_XLINK_MISSING, DIAG_ERROR, "link to missing article '%s'" },
	[D_XLINK_ANCHOR] = { D_XLINK_ANCHOR, DIAG_ERROR, "link to missing anchor '#%s' in '%s'" },
	[D_XLINK_DRAFT] = { D_XLINK_DRAFT, DIAG_ERROR, "link to '%s', a draft this build leaves out (publish it, or build with --drafts)" },
	[D_GLOSS_UNKNOWN] = { D_GLOSS_UNKNOWN, DIAG_ERROR, "'%s' is not a glossary.yaml term" },
	[D_MD_UNCLOSED_HTML] = { D_MD_UNCLOSED_HTML, DIAG_ERROR, "this paragraph opens so many inline HTML comments, '<?', '<!' or CDATA sections that it never closes that parsing it would take too long: close them, or write \\< for a literal '<'" },
	[D_GLOSS_NO_TEXT] = { D_GLOSS_NO_TEXT, DIAG_ERROR, "gloss note without a term: write the term as the link text, [词](gloss: \"meaning\")" },
	[D_GLOSS_EMPTY] = { D_GLOSS_EMPTY, DIAG_ERROR, "gloss note for '%s' has no English: write [%s](gloss: \"meaning\")" },
	[D_GLOSS_CONFLICT] = { D_GLOSS_CONFLICT, DIAG_ERROR, "term '%s' means '%s' here but '%s' at %s" },
	[D_GLOSS_UNUSED] = { D_GLOSS_UNUSED, DIAG_WARNING, "glossary term '%s' is used by no article" },
	[D_GLOSS_LOCAL_UNUSED] = { D_GLOSS_LOCAL_UNUSED, DIAG_WARNING, "term '%s' is declared in the front matter but the article never uses it" },
	[D_TEMPLATE_XML] = { D_TEMPLATE_XML, DIAG_ERROR, "%s" },
	[D_TEMPLATE_UI_UNKNOWN] = { D_TEMPLATE_UI_UNKNOWN, DIAG_ERROR, "unknown UI string '%s' (not in strings.yaml)" },
	[D_TEMPLATE_VALUE_UNKNOWN] = { D_TEMPLATE_VALUE_UNKNOWN, DIAG_ERROR, "unknown value '%s'" },
	[D_TEMPLATE_VALUE_KIND] = { D_TEMPLATE_VALUE_KIND, DIAG_ERROR, "'%s' is %s and cannot be used here" },
	[D_TEMPLATE_NEEDS_SELECT] = { D_TEMPLATE_NEEDS_SELECT, DIAG_ERROR, "<h:%s> needs a select attribute" },
	[D_TEMPLATE_NEEDS_TEST] = { D_TEMPLATE_NEEDS_TEST, DIAG_ERROR, "<h:%s> needs a test attribute" },
	[D_TEMPLATE_INCLUDE_FILE] = { D_TEMPLATE_INCLUDE_FILE, DIAG_ERROR, "<h:include> needs a file inside templates/" },
	[D_TEMPLATE_INCLUDE_DEPTH] = { D_TEMPLATE_INCLUDE_DEPTH, DIAG_ERROR, "includes nested too deep at '%s'" },
	[D_TEMPLATE_INCLUDE_COUNT] = { D_TEMPLATE_INCLUDE_COUNT, DIAG_ERROR, "more than %d includes in one template: partials that include each other over and over?" },
	[D_TEMPLATE_DIRECTIVE] = { D_TEMPLATE_DIRECTIVE, DIAG_ERROR, "unknown directive <h:%s>" },
	[D_TEMPLATE_ATTR_NS] = { D_TEMPLATE_ATTR_NS, DIAG_ERROR, "attribute '%s' has a namespace prefix" },
	[D_TEMPLATE_VOID] = { D_TEMPLATE_VOID, DIAG_ERROR, "<%s> must be empty" },
	[D_TEMPLATE_ATTR_SCRIPT] = { D_TEMPLATE_ATTR_SCRIPT, DIAG_ERROR, "no value may go into the '%s' attribute: it would run as script or style (put the value in a data- attribute)" },
	[D_TEMPLATE_RAW_TEXT] = { D_TEMPLATE_RAW_TEXT, DIAG_ERROR, "<%s> holds text only: a template directive or element in it would be dropped (load a file, or put the value in a data- attribute)" },
	[D_TEMPLATE_NAME_PAGE] = { D_TEMPLATE_NAME_PAGE, DIAG_ERROR, "'%s' is not a name of %s's pages" },
	[D_TEMPLATE_NAME_ITEMS] = { D_TEMPLATE_NAME_ITEMS, DIAG_ERROR, "'%s' is not a name of the items of '%s' in %s" },
	[D_TEMPLATE_MARK_WORD] = { D_TEMPLATE_MARK_WORD, DIAG_ERROR, "a note's markup must show 'word' exactly once, with pinyin and without" },
	[D_TEMPLATE_NAMES_SPEC] = { D_TEMPLATE_NAMES_SPEC, DIAG_ERROR, "haichao's list of this page kind's names is wrong (a bug): %s" },
	[D_EMPTY_FILE] = { D_EMPTY_FILE, DIAG_ERROR, "empty file" },
	[D_NO_ARTICLES] = { D_NO_ARTICLES, DIAG_WARNING, "no articles in %s" },
	[D_CONTENT_UNUSED] = { D_CONTENT_UNUSED, DIAG_WARNING, "not used: %s that is none of site.yaml, taxonomy.yaml, glossary.yaml, articles/ (an article's files go in articles/<slug>/)" },
	[D_ASSET_ORPHAN] = { D_ASSET_ORPHAN, DIAG_WARNING, "asset folder '%s' belongs to no article (name it after an article's slug, beside its .zh.md file)" },
	[D_ASSET_PAGE] = { D_ASSET_PAGE, DIAG_ERROR, "an article's folder cannot hold index.html: that is the path of its page (rename the file)" },
	[D_ASSET_MISSING] = { D_ASSET_MISSING, DIAG_ERROR, "'%s' not found (an article's files go in content/articles/<slug>/)" },
	[D_SOURCE_URL] = { D_SOURCE_URL, DIAG_ERROR, "source_url '%s' must be an absolute http(s) URL" },
	[D_OUTPUT_OVERLAP] = { D_OUTPUT_OVERLAP, DIAG_ERROR, "refusing to publish here: it overlaps the source folder %s" },
	[D_OUTPUT_FOREIGN] = { D_OUTPUT_FOREIGN, DIAG_ERROR, "refusing to publish here: the folder has files and no %s from an earlier build, so updating it would delete them (choose an empty or new folder)" },
	[D_CACHE_DAMAGED] = { D_CACHE_DAMAGED, DIAG_WARNING, "the build cache is damaged; building everything" },
	[D_SYMLINK] = { D_SYMLINK, DIAG_ERROR, "symbolic links are not followed in content/" },
	[D_OUTPUT_CLASH] = { D_OUTPUT_CLASH, DIAG_ERROR, "two outputs have the same path" },
	[D_TEMPLATE_READ] = { D_TEMPLATE_READ, DIAG_SYSTEM, "cannot read the template" },
	[D_STRINGS_OPEN] = { D_STRINGS_OPEN, DIAG_SYSTEM, "cannot open the UI strings file" },
	[D_STRINGS_REQUIRED] = { D_STRINGS_REQUIRED, DIAG_ERROR, "no '%s' string in %s: haichao itself uses it (dates, counts, page titles)" },
	[D_NEW_EXISTS] = { D_NEW_EXISTS, DIAG_ERROR, "already exists; haichao new never overwrites a file" },
	[D_NEW_NOT_EMPTY] = { D_NEW_NOT_EMPTY, DIAG_ERROR, "not a new or empty folder; haichao new site starts an archive only there" },
	[D_NEW_TITLE] = { D_NEW_TITLE, DIAG_ERROR, "a title is one line of UTF-8 text, not empty, without control characters" },
	[D_CACHE_FORMAT] = { D_CACHE_FORMAT, DIAG_WARNING, "the build cache was written in another format; building everything" },
	[D_NO_BASE_URL] = { D_NO_BASE_URL, DIAG_WARNING, "no base_url in site.yaml: feeds, sitemap.xml and canonical links are left out" },
};

_Static_assert(sizeof(table) / sizeof(table[0]) == D_DIAG_COUNT,
    "every diagnostic code has a row in the table");
/* Rows are indexed by code (designated initialisers), so their order in
 * the table does not matter; diag() checks a row is filled. */

void
diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
}

void
diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	pthread_mutex_destroy(&d->lock);
	memset(d, 0, sizeof(*d));
}

const char *
diag_format(enum diag_code code)
{
	return table[code].format;
}

void
diag(struct diags *d, const struct pos *at, enum diag_code code, ...)
{
	va_list ap;
	va_start(ap, code);
	vdiag(d, at, code, ap);
	va_end(ap);
}

void
vdiag(struct diags *d, const struct pos *at, enum diag_code code, va_list ap)
{
	if (table[code].format == NULL)
		abort();   /* a code without a row: a programming error */
	struct buf msg = BUF_INIT;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, table[code].format, ap);
	buf_grow(&msg, n > 0 ? (size_t)n : 0);
	vsnprintf(msg.data, (size_t)n + 1, table[code].format, again);
	va_end(again);
	msg.len = (size_t)n;

	struct diag_entry e = {
		.path = at && at->path ? xstrdup(at->path) : NULL,
		.line = at ? at->line : 0,
		.col = at ? at->col : 0,
		.level = table[code].level,
		.message = buf_detach(&msg),
	};
	pthread_mutex_lock(&d->lock);
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	e.seq = d->len;
	d->items[d->len++] = e;
	if (e.level == DIAG_WARNING)
		d->warnings++;
	else
		d->errors++;
	if (e.level == DIAG_SYSTEM)
		d->system_errors++;
	pthread_mutex_unlock(&d->lock);
}

static int
compare_entries(const void *pa, const void *pb)
{
	const struct diag_entry *a = pa, *b = pb;
	if ((a->path == NULL) != (b->path == NULL))
		return a->path == NULL ? 1 : -1;   /* run-wide messages last */
	if (a->path != NULL) {
		int c = strcmp(a->path, b->path);
		if (c != 0)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Writes s with control characters made visible, so that a file name or
 * value holding a newline cannot forge a line of output. */
static void
put_clean(const char *s, FILE *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			fputs("\\n", out);
		else if ((c < 0x20 && c != '\t') || c == 0x7F)
			fprintf(out, "\\x%02X", c);
		else
			fputc(c, out);
	}
}

static void
print_entry(const struct diag_entry *e, FILE *out)
{
	const char *level = e->level == DIAG_WARNING ? "warning" : "error";
	if (e->path == NULL) {
		fputs("haichao", out);
	} else {
		put_clean(e->path, out);
		if (e->line > 0)
			fprintf(out, ":%d:%d", e->line, e->col > 0 ? e->col : 1);
	}
	fprintf(out, ": %s: ", level);
	put_clean(e->message, out);
	fputc('\n', out);
}

int
diags_print(struct diags *d, FILE *out)
{
	pthread_mutex_lock(&d->lock);
	if (d->len > 1)
		qsort(d->items, d->len, sizeof(*d->items), compare_entries);
	/* The same message at the same place (a partial included by several
	 * templates, say) is said once and counted once. */
	int errors = 0, warnings = 0;
	for (size_t i = 0; i < d->len; i++) {
		const struct diag_entry *e = &d->items[i];
		bool seen = false;
		for (size_t j = i; j-- > 0 && !seen;) {
			const struct diag_entry *p = &d->items[j];
			if (p->line != e->line || p->col != e->col ||
			    !(p->path == e->path || (p->path && e->path &&
			    strcmp(p->path, e->path) == 0)))
				break;   /* sorted: the group at this place ended */
			seen = p->level == e->level && strcmp(p->message, e->message) == 0;
		}
		if (seen)
			continue;
		print_entry(e, out);
		if (e->level == DIAG_WARNING)
			warnings++;
		else
			errors++;
	}
	if (errors > 0 || warnings > 0)
		fprintf(out, "haichao: %d error%s, %d warning%s\n", errors,
		    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	pthread_mutex_unlock(&d->lock);
	return errors;
}

bool
diags_failed(const struct diags *d)
{
	return d->errors > 0;
}

int
diags_status(const struct diags *d)
{
	return d->system_errors > 0 ? 2 : d->errors > 0;
}

void
diag_errno(struct diags *d, const struct pos *at, enum diag_code code, int err)
{
	char reason[256];
	if (strerror_r(err, reason, sizeof(reason)) != 0)
		snprintf(reason, sizeof(reason), "error %d", err);
	diag(d, at, code, reason);
}
