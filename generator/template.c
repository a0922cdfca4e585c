/* template.c — compiling XHTML templates with libxml2 and running them. */
#include "template.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "arena.h"
#include "escape.h"
#include "yamlnode.h"

#define TEMPLATE_NS "urn:haichao:template"

enum op_kind { OP_LIT, OP_TEXT, OP_RAW, OP_UI, OP_IF, OP_UNLESS, OP_EACH, OP_ATTR };

/* A ui string, escaped once per language when the template is compiled. */
struct ui_text {
	const char *s[LANG_COUNT];
	size_t len[LANG_COUNT];
};

/* One piece of an attribute value: literal text or a value. */
struct part {
	const char *lit;          /* NULL for a value; else escaped already */
	size_t len;
	int var;                  /* value id, or -1 for a ui string */
	const char *ui;           /* ui key when var == -1 */
	struct ui_text ui_text;   /* ... and its text, escaped for attributes */
	struct part *next;
};

struct op {
	enum op_kind kind;
	const char *lit;          /* OP_LIT: escaped markup; OP_ATTR: the name */
	size_t len;
	int var;
	const char *ui;           /* OP_UI */
	struct ui_text ui_text;   /* OP_UI: its text, escaped */
	bool optional;            /* OP_ATTR: drop when its one value is absent */
	bool url;                 /* OP_ATTR: a URL whose scheme a value decides */
	struct part *parts;       /* OP_ATTR */
	struct op *body;          /* OP_IF, OP_UNLESS, OP_EACH */
	struct op *next;
};

struct template {
	struct arena arena;
	struct op *ops;
};

struct strings {
	struct arena arena;
	size_t n;
	const char **keys;
	const char **values[LANG_COUNT];
};

static void sort_strings(struct strings *s);

/* The whole file at `path`, into `a` (NUL-terminated); NULL when it
 * cannot be read. */
static char *
read_into(struct arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	bool ok = !ferror(f);
	fclose(f);
	char *text = ok ? arena_strndup(a, b.data ? b.data : "", b.len) : NULL;
	*len = b.len;
	buf_release(&b);
	return text;
}

/* ---- strings.yaml ---------------------------------------------------------- */

struct strings *
strings_load(const char *dir, struct diags *d)
{
	struct strings *s = xcalloc(1, sizeof(*s));
	arena_init(&s->arena);
	char *path = arena_printf(&s->arena, "%s/strings.yaml", dir);
	size_t len = 0;
	const char *text = read_into(&s->arena, path, &len);
	if (text == NULL) {
		struct pos at = { path, 0, 0 };
		diag(d, &at, D_STRINGS_OPEN);
		return s;
	}
	struct ynode *root = yaml_load(&s->arena, d, path, 1, text, len);
	if (root == NULL)
		return s;
	if (root->kind != Y_MAP) {
		ynode_type_error(d, root, "strings.yaml", "a map of {zh, en}");
		return s;
	}
	s->n = root->n / 2;
	s->keys = ARENA_ARRAY(&s->arena, const char *, s->n + 1);
	for (int l = 0; l < LANG_COUNT; l++)
		s->values[l] = ARENA_ARRAY(&s->arena, const char *, s->n + 1);
	for (size_t i = 0; i < s->n; i++) {
		struct ynode *k = root->items[2 * i], *v = root->items[2 * i + 1];
		s->keys[i] = k->str;
		for (int l = 0; l < LANG_COUNT; l++) {
			struct ynode *x = ynode_get(v, lang_code[l]);
			if (x == NULL || x->kind != Y_SCALAR) {
				diag(d, &v->pos, D_REQUIRED, lang_code[l]);
				s->values[l][i] = k->str;
			} else {
				s->values[l][i] = x->str;
			}
		}
	}
	sort_strings(s);
	return s;
}

void
strings_free(struct strings *s)
{
	if (s == NULL)
		return;
	arena_free(&s->arena);
	free(s);
}

/* Keys are sorted at load time, so a lookup is a binary search. */
static long
strings_index(const struct strings *s, const char *key)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->keys[mid], key);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const char *
strings_get(const struct strings *s, enum lang lang, const char *key)
{
	long i = strings_index(s, key);
	return i < 0 ? NULL : s->values[lang][i];
}

static void
sort_strings(struct strings *s)
{
	/* insertion sort of a few hundred keys, moving values along */
	for (size_t i = 1; i < s->n; i++)
		for (size_t j = i; j > 0 && strcmp(s->keys[j - 1], s->keys[j]) > 0; j--) {
			const char *k = s->keys[j];
			s->keys[j] = s->keys[j - 1];
			s->keys[j - 1] = k;
			for (int l = 0; l < LANG_COUNT; l++) {
				const char *v = s->values[l][j];
				s->values[l][j] = s->values[l][j - 1];
				s->values[l][j - 1] = v;
			}
		}
}

/* ---- compiling --------------------------------------------------------------- */

/* Includes one template may compile in all (the real ones need a dozen). */
enum { MAX_INCLUDES = 200 };

/* The text of the file being compiled, to give diagnostics a column:
 * libxml2 keeps a line for each node, not where on the line it starts.
 * Elements are met in document order, so each is found by searching
 * onwards from the one before (`cursor`). */
struct source {
	const char *text, *end;
	const char *cursor;       /* just after the last element found */
	xmlNode *located;         /* that element ... */
	const char *at;           /* ... and its '<' */
};

struct compiler {
	struct template *t;
	const struct strings *strings;
	struct diags *d;
	const char *dir;
	const char *path;
	const char *name;         /* the page's template, for messages */
	struct source src;
	const struct view_names *names;   /* visible here; NULL: unchecked */
	const char *list;         /* the h:each list we are in, or NULL */
	struct buf lit;           /* literal markup not yet emitted */
	struct op **tail;         /* where the next op goes */
	int depth;                /* include depth */
	int includes;             /* includes compiled, all told */
	bool failed;
};

/* The start of line `line` (1-based) in the source, or NULL. */
static const char *
line_start(const struct source *src, long line)
{
	const char *p = src->text;
	for (long l = 1; l < line && p; l++) {
		p = memchr(p, '\n', (size_t)(src->end - p));
		p = p ? p + 1 : NULL;
	}
	return p;
}

/* Finds element n's start tag ("<name" or "<h:name"), from its line on
 * and after the element found before it. */
static const char *
locate(struct compiler *c, xmlNode *n)
{
	struct source *src = &c->src;
	if (src->text == NULL || n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	if (src->located == n)
		return src->at;
	const char *from = line_start(src, xmlGetLineNo(n));
	if (from == NULL)
		return NULL;
	if (from < src->cursor)
		from = src->cursor;
	char tag[128];
	snprintf(tag, sizeof(tag), "<%s%s%s", n->ns && n->ns->prefix ?
	    (const char *)n->ns->prefix : "", n->ns && n->ns->prefix ? ":" : "",
	    (const char *)n->name);
	size_t len = strlen(tag);
	for (const char *p = from; p + len < src->end; p++) {
		p = memchr(p, '<', (size_t)(src->end - p));
		if (p == NULL || p + len >= src->end)
			break;
		if (memcmp(p, tag, len) == 0 && strchr(" \t\r\n/>", p[len])) {
			src->located = n;
			src->at = p;
			src->cursor = p + 1;
			return p;
		}
	}
	return NULL;
}

/* Where `needle` is written in element n's start tag (as an attribute's
 * value or a {name} in one), else the tag itself. */
static const char *
locate_name(struct compiler *c, xmlNode *n, const char *needle, size_t len)
{
	const char *tag = locate(c, n);
	if (tag == NULL || needle == NULL || len == 0)
		return tag;
	char quote = 0;
	for (const char *p = tag + 1; p < c->src.end && (quote || *p != '>'); p++) {
		if (quote == 0 && (*p == '"' || *p == '\''))
			quote = *p;
		else if (*p == quote)
			quote = 0;
		if (quote && (p[-1] == quote || p[-1] == '{') &&
		    p + len < c->src.end && memcmp(p, needle, len) == 0 &&
		    strchr("\"'}", p[len]))
			return p;
	}
	return tag;
}

/* Diagnostic `code` at element n; `needle` (may be NULL) is the name to
 * point at in its start tag.  The column counts characters, as for the
 * content's diagnostics. */
static void
vreport_at(struct compiler *c, xmlNode *n, const char *needle, size_t len,
    enum diag_code code, va_list ap)
{
	struct pos at = { c->path, n ? (int)xmlGetLineNo(n) : 0, 1 };
	const char *p = n ? locate_name(c, n, needle, len) : NULL;
	if (p != NULL) {
		const char *bol = p;
		while (bol > c->src.text && bol[-1] != '\n')
			bol--;
		at.line = 1;
		for (const char *q = c->src.text; q < bol; q++)
			at.line += *q == '\n';
		at.col = 1;
		for (const char *q = bol; q < p; q++)
			at.col += ((unsigned char)*q & 0xc0) != 0x80;
	}
	vdiag(c->d, &at, code, ap);
	c->failed = true;
}

static void
report_at(struct compiler *c, xmlNode *n, const char *needle, size_t len,
    enum diag_code code, ...)
{
	va_list ap;
	va_start(ap, code);
	vreport_at(c, n, needle, len, code, ap);
	va_end(ap);
}

/* Diagnostic `code` at element n's start tag; the arguments fill its
 * format. */
static void
report(struct compiler *c, xmlNode *n, enum diag_code code, ...)
{
	va_list ap;
	va_start(ap, code);
	vreport_at(c, n, NULL, 0, code, ap);
	va_end(ap);
}

static struct op *
emit(struct compiler *c, enum op_kind kind)
{
	if (kind != OP_LIT && c->lit.len > 0) {
		struct op *l = emit(c, OP_LIT);
		l->len = c->lit.len;
		l->lit = arena_strndup(&c->t->arena, c->lit.data, c->lit.len);
		buf_reset(&c->lit);
	}
	struct op *op = ARENA_NEW(&c->t->arena, struct op);
	op->kind = kind;
	*c->tail = op;
	c->tail = &op->next;
	return op;
}

static void
flush(struct compiler *c)
{
	if (c->lit.len == 0)
		return;
	struct op *l = ARENA_NEW(&c->t->arena, struct op);
	l->kind = OP_LIT;
	l->len = c->lit.len;
	l->lit = arena_strndup(&c->t->arena, c->lit.data, c->lit.len);
	buf_reset(&c->lit);
	*c->tail = l;
	c->tail = &l->next;
}

static bool
is_void(const char *name)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed",
		"hr", "img", "input", "link", "meta", "source", "track", "wbr", NULL };
	for (const char *const *p = v; *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

/* Resolves a name to a value id of `kind` (or a ui key when allowed). */
static bool
resolve(struct compiler *c, xmlNode *n, const char *name, size_t len,
    int want, bool ui_ok, int *var, const char **ui)
{
	*ui = NULL;
	if (ui_ok && len > 3 && memcmp(name, "ui.", 3) == 0) {
		char *key = arena_strndup(&c->t->arena, name + 3, len - 3);
		if (strings_get(c->strings, LANG_ZH, key) == NULL) {
			report_at(c, n, name, len, D_TEMPLATE_UI_UNKNOWN, key);
			return false;
		}
		*var = -1;
		*ui = key;
		return true;
	}
	char tmp[128];
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 100 ? len : 100), name);
	int id = view_var(name, len);
	if (id < 0) {
		report_at(c, n, name, len, D_TEMPLATE_VALUE_UNKNOWN, tmp);
		return false;
	}
	if (want >= 0 && (int)view_var_kind(id) != want) {
		static const char *const kinds[] = { "text", "markup", "a list" };
		report_at(c, n, name, len, D_TEMPLATE_VALUE_KIND, tmp, kinds[view_var_kind(id)]);
		return false;
	}
	if (c->names != NULL && !view_names_has(c->names, id)) {
		if (c->list)
			report_at(c, n, name, len, D_TEMPLATE_NAME_ITEMS, tmp, c->list, c->name);
		else
			report_at(c, n, name, len, D_TEMPLATE_NAME_PAGE, tmp, c->name);
		return false;
	}
	*var = id;
	return true;
}

/* The ui string `key` in every language, escaped as text or attribute. */
static void
set_ui_text(struct compiler *c, const char *key, bool attribute, struct ui_text *out)
{
	struct buf b = BUF_INIT;
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *u = strings_get(c->strings, (enum lang)l, key);
		buf_reset(&b);
		if (u && attribute)
			escape_attr(&b, u, strlen(u));
		else if (u)
			escape_text(&b, u, strlen(u));
		out->s[l] = arena_strndup(&c->t->arena, b.data ? b.data : "", b.len);
		out->len[l] = b.len;
	}
	buf_release(&b);
}

/* A literal piece of an attribute, escaped now. */
static struct part *
literal_part(struct compiler *c, const struct buf *lit)
{
	struct part *l = ARENA_NEW(&c->t->arena, struct part);
	struct buf e = BUF_INIT;
	escape_attr(&e, lit->data, lit->len);
	l->lit = arena_strndup(&c->t->arena, e.data, e.len);
	l->len = e.len;
	buf_release(&e);
	return l;
}

/* Splits an attribute value at {name} references. */
static struct part *
parse_parts(struct compiler *c, xmlNode *n, const char *v, bool *dynamic)
{
	struct part *head = NULL, **tail = &head;
	struct buf lit = BUF_INIT;
	*dynamic = false;
	for (const char *p = v; *p;) {
		if (p[0] == '{' && p[1] == '{') {
			buf_putc(&lit, '{');
			p += 2;
			continue;
		}
		if (p[0] == '}' && p[1] == '}') {
			buf_putc(&lit, '}');
			p += 2;
			continue;
		}
		const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
		if (end == NULL) {
			buf_putc(&lit, *p++);
			continue;
		}
		if (lit.len) {
			struct part *l = literal_part(c, &lit);
			*tail = l;
			tail = &l->next;
			buf_reset(&lit);
		}
		struct part *vp = ARENA_NEW(&c->t->arena, struct part);
		if (resolve(c, n, p + 1, (size_t)(end - p - 1), VK_TEXT, true, &vp->var, &vp->ui) &&
		    vp->ui)
			set_ui_text(c, vp->ui, true, &vp->ui_text);
		*tail = vp;
		tail = &vp->next;
		*dynamic = true;
		p = end + 1;
	}
	if (lit.len)
		*tail = literal_part(c, &lit);
	buf_release(&lit);
	return head;
}

static void compile_children(struct compiler *c, xmlNode *first);
static bool compile_file(struct compiler *c, const char *name, bool fragment);

static const char *
attr(xmlNode *n, const char *name)
{
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children)
			return (const char *)a->children->content;
	return NULL;
}

/* <h:if>, <h:unless> or <h:each> (each) on `what`, and its body; inside
 * an h:each only the names of the list's items are visible. */
static void
compile_block(struct compiler *c, xmlNode *n, bool each, const char *what)
{
	int var = -1;
	const char *ui = NULL;
	/* A bad name still has its body checked: one run reports
	 * everything (the template is not kept then). */
	bool ok = resolve(c, n, what, strlen(what), each ? VK_LIST : -1,
	    false, &var, &ui);
	struct op *op = emit(c, each ? OP_EACH : n->name[0] == 'i' ? OP_IF : OP_UNLESS);
	op->var = var;
	struct op **saved = c->tail;
	const struct view_names *names = c->names;
	const char *list = c->list;
	if (each && c->names) {
		c->names = ok ? c->names->items[var] : NULL;
		c->list = ok ? view_var_name(var) : NULL;
	}
	c->tail = &op->body;
	compile_children(c, n->children);
	flush(c);
	c->tail = saved;
	c->names = names;
	c->list = list;
}

static void
compile_directive(struct compiler *c, xmlNode *n)
{
	const char *name = (const char *)n->name;
	const char *sel = attr(n, "select");
	const char *test = attr(n, "test");
	int var = -1;
	const char *ui = NULL;
	if (strcmp(name, "text") == 0 || strcmp(name, "html") == 0) {
		bool text = name[0] == 't';
		if (sel == NULL) {
			report(c, n, D_TEMPLATE_NEEDS_SELECT, name);
			return;
		}
		if (!resolve(c, n, sel, strlen(sel), text ? VK_TEXT : VK_RAW, text, &var, &ui))
			return;
		struct op *op = emit(c, ui ? OP_UI : text ? OP_TEXT : OP_RAW);
		op->var = var;
		op->ui = ui;
		if (ui)
			set_ui_text(c, ui, false, &op->ui_text);
	} else if (strcmp(name, "if") == 0 || strcmp(name, "unless") == 0 ||
	    strcmp(name, "each") == 0) {
		bool each = name[0] == 'e';
		const char *what = each ? sel : test;
		if (what == NULL)
			report(c, n, each ? D_TEMPLATE_NEEDS_SELECT
			    : D_TEMPLATE_NEEDS_TEST, name);
		else
			compile_block(c, n, each, what);
	} else if (strcmp(name, "include") == 0) {
		const char *file = attr(n, "file");
		if (file == NULL || strstr(file, "..") || file[0] == '/') {
			report(c, n, D_TEMPLATE_INCLUDE_FILE);
			return;
		}
		if (c->depth > 8) {
			report(c, n, D_TEMPLATE_INCLUDE_DEPTH, file);
			return;
		}
		/* Each include is compiled where it stands: partials that
		 * include each other several times each would otherwise
		 * make a template of 6^9 copies (found by fuzz_template).
		 * Said once; the includes after that are left out. */
		if (++c->includes > MAX_INCLUDES) {
			if (c->includes == MAX_INCLUDES + 1)
				report(c, n, D_TEMPLATE_INCLUDE_COUNT, MAX_INCLUDES);
			return;
		}
		const char *saved_path = c->path;
		struct source saved_src = c->src;
		c->depth++;
		compile_file(c, file, true);
		c->depth--;
		c->path = saved_path;
		c->src = saved_src;
	} else if (strcmp(name, "fragment") == 0) {
		compile_children(c, n->children);
	} else {
		report(c, n, D_TEMPLATE_DIRECTIVE, name);
	}
}

/* Attributes whose value is run or styled (on…, style, srcdoc): no value
 * goes into them, escaped or not, since escaping does not make script
 * safe.  Attributes that hold a URL: where a value comes first, and so
 * decides the scheme, the URL is checked as it is written (safe_url). */
static bool
runs_script(const char *name)
{
	return (tolower((unsigned char)name[0]) == 'o' &&
	    tolower((unsigned char)name[1]) == 'n') ||
	    strcasecmp(name, "style") == 0 || strcasecmp(name, "srcdoc") == 0;
}

static bool
holds_url(const char *name)
{
	static const char *const urls[] = { "href", "src", "action", "formaction",
		"poster", "cite", "data", "srcset", "ping", "background", "manifest",
		"icon", "longdesc", "usemap", "codebase", "xmlns" };
	for (size_t i = 0; i < sizeof(urls) / sizeof(*urls); i++)
		if (strcasecmp(name, urls[i]) == 0)
			return true;
	return false;
}

static void
compile_attributes(struct compiler *c, xmlNode *n)
{
	for (xmlAttr *a = n->properties; a; a = a->next) {
		const char *v = a->children ? (const char *)a->children->content : "";
		bool dynamic;
		struct part *parts = parse_parts(c, n, v, &dynamic);
		if (a->ns != NULL) {
			report(c, n, D_TEMPLATE_ATTR_NS, (const char *)a->name);
			continue;
		}
		if (dynamic && runs_script((const char *)a->name)) {
			report(c, n, D_TEMPLATE_ATTR_SCRIPT, (const char *)a->name);
			continue;
		}
		if (!dynamic) {
			buf_printf(&c->lit, " %s=\"", (const char *)a->name);
			for (struct part *p = parts; p; p = p->next)
				buf_add(&c->lit, p->lit, p->len);
			buf_putc(&c->lit, '"');
			continue;
		}
		struct op *op = emit(c, OP_ATTR);
		op->lit = arena_strdup(&c->t->arena, (const char *)a->name);
		op->len = strlen(op->lit);
		op->parts = parts;
		op->optional = parts && parts->lit == NULL && parts->next == NULL;
		op->url = parts && parts->lit == NULL && holds_url(op->lit);
	}
}

static void
compile_element(struct compiler *c, xmlNode *n)
{
	locate(c, n);   /* keeps the search for later elements in order */
	if (n->ns && strcmp((const char *)n->ns->href, TEMPLATE_NS) == 0) {
		compile_directive(c, n);
		return;
	}
	const char *name = (const char *)n->name;
	buf_printf(&c->lit, "<%s", name);
	compile_attributes(c, n);
	buf_putc(&c->lit, '>');
	if (is_void(name)) {
		if (n->children)
			report(c, n, D_TEMPLATE_VOID, name);
		return;
	}
	bool raw_text = strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
	if (raw_text) {
		for (xmlNode *k = n->children; k; k = k->next)
			if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
				buf_puts(&c->lit, (const char *)k->content);
			else if (k->type == XML_ELEMENT_NODE)
				report(c, k, D_TEMPLATE_RAW_TEXT, name);
	} else {
		compile_children(c, n->children);
	}
	buf_printf(&c->lit, "</%s>", name);
}

static bool
in_pre(xmlNode *n)
{
	for (xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (strcmp((const char *)p->name, "pre") == 0 ||
		    strcmp((const char *)p->name, "textarea") == 0)
			return true;
	return false;
}

static void
compile_children(struct compiler *c, xmlNode *first)
{
	for (xmlNode *n = first; n; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			compile_element(c, n);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE: {
			const char *s = (const char *)n->content;
			/* Indentation between elements becomes one newline:
			 * pages stay readable without carrying the template's
			 * layout (a 100-item list costs no kilobytes of spaces). */
			if (s[strspn(s, " \t\r\n")] == '\0' && strchr(s, '\n') &&
			    !in_pre(n)) {
				if (c->lit.len == 0 || c->lit.data[c->lit.len - 1] != '\n')
					buf_putc(&c->lit, '\n');
				break;
			}
			escape_text(&c->lit, s, strlen(s));
			break;
		}
		default:
			break;   /* comments and processing instructions vanish */
		}
	}
}

static void
xml_error(void *ctx, xmlErrorPtr e)
{
	struct compiler *c = ctx;
	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	size_t len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';
	struct pos at = { c->path, e->line, e->int2 > 0 ? e->int2 : 1 };
	diag(c->d, &at, D_TEMPLATE_XML, msg);
	c->failed = true;
}

static bool
compile_file(struct compiler *c, const char *name, bool fragment)
{
	char *path = arena_printf(&c->t->arena, "%s/%s", c->dir, name);
	c->path = path;
	size_t len = 0;
	char *text = read_into(&c->t->arena, path, &len);
	xmlParserCtxtPtr ctxt = text ? xmlNewParserCtxt() : NULL;
	if (ctxt == NULL) {
		struct pos at = { path, 0, 0 };
		diag(c->d, &at, D_TEMPLATE_READ);
		c->failed = true;
		return false;
	}
	/* Parsed from the text we keep, which gives diagnostics a column. */
	c->src = (struct source){ text, text + len, text, NULL, NULL };
	xmlSetStructuredErrorFunc(c, xml_error);
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL) {
		if (!c->failed) {   /* libxml2 said nothing */
			struct pos at = { path, 0, 0 };
			diag(c->d, &at, D_TEMPLATE_READ);
			c->failed = true;
		}
		xmlFreeParserCtxt(ctxt);
		return false;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!fragment && root && strcmp((const char *)root->name, "html") == 0)
		buf_puts(&c->lit, "<!DOCTYPE html>\n");
	compile_children(c, root);
	if (!fragment)
		buf_putc(&c->lit, '\n');
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return !c->failed;
}

struct template *
template_load(const char *dir, const char *name, const struct strings *strings,
    struct diags *d)
{
	return template_load_checked(dir, name, NULL, strings, d);
}

struct template *
template_load_checked(const char *dir, const char *name,
    const struct view_names *names, const struct strings *strings,
    struct diags *d)
{
	struct template *t = xcalloc(1, sizeof(*t));
	arena_init(&t->arena);
	struct compiler c = { .t = t, .strings = strings, .d = d, .dir = dir,
		.name = name, .names = names };
	c.tail = &t->ops;
	bool ok = compile_file(&c, name, false);
	flush(&c);
	buf_release(&c.lit);
	if (!ok) {
		template_free(t);
		return NULL;
	}
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	arena_free(&t->arena);
	free(t);
}

/* ---- the memo of list items ---------------------------------------------------- */

/* Markup rendered for items of lazy lists, by h:each op and item key.
 * Keys are small numbers (an article's or a term's index with the
 * language), so each op has an array indexed by key: a term's page walks
 * its thousands of items, oldest index last, through memory in one
 * direction, with no hashing.  The markup lives in one buffer; entries
 * hold offsets into it (the buffer moves as it grows). */
#define MEMO_MAX_KEY (1u << 26)   /* larger keys are not remembered */

struct memo_entry {
	size_t off;
	uint32_t len;
	bool set;
};

struct memo_table {
	const struct op *op;
	struct memo_entry *entries;
	size_t cap;
};

struct template_memo {
	/* One per h:each op that used it, each allocated on its own: an
	 * item being rendered may meet a new op (a lazy list inside a lazy
	 * list) while its own table is in use. */
	struct memo_table **tables;
	size_t n_tables;
	struct buf text;
};

struct template_memo *
template_memo_new(void)
{
	return xcalloc(1, sizeof(struct template_memo));
}

void
template_memo_free(struct template_memo *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_tables; i++) {
		free(m->tables[i]->entries);
		free(m->tables[i]);
	}
	free(m->tables);
	buf_release(&m->text);
	free(m);
}

/* The op's table; a handful of ops use a memo, so a short search. */
static struct memo_table *
memo_table(struct template_memo *m, const struct op *op)
{
	for (size_t i = 0; i < m->n_tables; i++)
		if (m->tables[i]->op == op)
			return m->tables[i];
	struct memo_table *t = xcalloc(1, sizeof(*t));
	t->op = op;
	m->tables = xrealloc(m->tables, (m->n_tables + 1) * sizeof(*m->tables));
	m->tables[m->n_tables++] = t;
	return t;
}

static const struct memo_entry *
memo_find(const struct memo_table *t, uint64_t key)
{
	return key < t->cap && t->entries[key].set ? &t->entries[key] : NULL;
}

static void
memo_put(struct template_memo *m, struct memo_table *t, uint64_t key,
    const char *text, size_t len)
{
	if (key >= MEMO_MAX_KEY || len > UINT32_MAX)
		return;
	if (key >= t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap <= key)
			cap *= 2;
		t->entries = xrealloc(t->entries, cap * sizeof(*t->entries));
		memset(t->entries + t->cap, 0, (cap - t->cap) * sizeof(*t->entries));
		t->cap = cap;
	}
	t->entries[key] = (struct memo_entry){ m->text.len, (uint32_t)len, true };
	buf_add(&m->text, text, len);
}

/* ---- running -------------------------------------------------------------------- */

struct run {
	const struct strings *strings;
	enum lang lang;
	struct buf *out;
	struct template_memo *memo;   /* may be NULL */
};

static bool
present(const struct value *v)
{
	return v != NULL && (v->kind == VK_LIST ? v->n > 0 : v->len > 0);
}

/* The URL written at out->data[at..] made "#" when its scheme is one
 * that runs or embeds rather than leads somewhere (javascript:, data:,
 * vbscript:…): a value put first in href or src, from content, decides
 * it.  The scheme is read as a browser reads it: spaces and controls
 * before it skipped, tabs and newlines in it dropped. */
static void
safe_url(struct buf *out, size_t at)
{
	static const char *const allowed[] = { "http", "https", "mailto", "tel" };
	const char *u = out->data + at, *end = out->data + out->len;
	while (u < end && (unsigned char)*u <= ' ')
		u++;
	char scheme[16];
	size_t n = 0;
	for (; u < end && *u != ':'; u++) {
		if (*u == '\t' || *u == '\n' || *u == '\r')
			continue;
		if (!isalnum((unsigned char)*u) && *u != '+' && *u != '-' && *u != '.')
			return;   /* a path, query or fragment first: no scheme */
		if (n + 1 < sizeof(scheme))
			scheme[n] = (char)tolower((unsigned char)*u);
		n++;
	}
	if (u == end || n == 0)
		return;
	scheme[n < sizeof(scheme) ? n : sizeof(scheme) - 1] = '\0';
	for (size_t i = 0; i < sizeof(allowed) / sizeof(*allowed); i++)
		if (n < sizeof(scheme) && strcmp(scheme, allowed[i]) == 0)
			return;
	out->len = at;
	buf_putc(out, '#');
}

static void
run_parts(const struct run *r, const struct part *p, const struct scope *s)
{
	for (; p; p = p->next) {
		if (p->lit) {
			buf_add(r->out, p->lit, p->len);
		} else if (p->ui) {
			buf_add(r->out, p->ui_text.s[r->lang], p->ui_text.len[r->lang]);
		} else {
			const struct value *v = scope_get(s, p->var);
			if (v)
				escape_attr(r->out, v->s, v->len);
		}
	}
}

static void run_ops(const struct run *r, const struct op *op,
    const struct scope *s);

/* An item of a lazy list whose key was seen is copied from the memo;
 * any other is bound, rendered and (if keyed) remembered. */
static void
run_each(const struct run *r, const struct op *op, const struct scope *s,
    const struct value *list)
{
	struct memo_table *t = list->src && r->memo ? memo_table(r->memo, op) : NULL;
	for (size_t i = 0; i < list->n; i++) {
		uint64_t key = t ? list->src->key(list->src->ctx, i) : 0;
		const struct memo_entry *e = key ? memo_find(t, key) : NULL;
		if (e) {
			buf_add(r->out, r->memo->text.data + e->off, e->len);
			continue;
		}
		size_t start = r->out->len;
		run_ops(r, op->body, scope_item(s, list, i));
		if (key != 0)
			memo_put(r->memo, t, key, r->out->data + start,
			    r->out->len - start);
	}
}

static void
run_ops(const struct run *r, const struct op *op, const struct scope *s)
{
	for (; op; op = op->next) {
		const struct value *v = op->kind == OP_LIT || op->kind == OP_UI ||
		    op->kind == OP_ATTR ? NULL : scope_get(s, op->var);
		switch (op->kind) {
		case OP_LIT:
			buf_add(r->out, op->lit, op->len);
			break;
		case OP_TEXT:
			if (v)
				escape_text(r->out, v->s, v->len);
			break;
		case OP_RAW:
			if (v)
				buf_add(r->out, v->s, v->len);
			break;
		case OP_UI:
			buf_add(r->out, op->ui_text.s[r->lang], op->ui_text.len[r->lang]);
			break;
		case OP_IF:
		case OP_UNLESS:
			if (present(v) == (op->kind == OP_IF))
				run_ops(r, op->body, s);
			break;
		case OP_EACH:
			if (v && v->kind == VK_LIST)
				run_each(r, op, s, v);
			break;
		case OP_ATTR:
			if (op->optional && !op->parts->ui &&
			    !present(scope_get(s, op->parts->var)))
				break;
			buf_putc(r->out, ' ');
			buf_add(r->out, op->lit, op->len);
			buf_add(r->out, "=\"", 2);
			size_t at = r->out->len;
			run_parts(r, op->parts, s);
			if (op->url)
				safe_url(r->out, at);
			buf_putc(r->out, '"');
			break;
		}
	}
}

void
template_render(const struct template *t, const struct scope *scope,
    enum lang lang, const struct strings *strings, struct template_memo *memo,
    struct buf *out)
{
	struct run r = { strings, lang, out, memo };
	run_ops(&r, t->ops, scope);
}

/* ---- the markup of a glossary note ---------------------------------------------- */

/* Stand-ins for a note's values while the partial is rendered: control
 * characters, which no value of ours holds and escaping leaves alone. */
enum { SLOT_WORD = 1, SLOT_NUMBER, SLOT_PINYIN, SLOT_ZH, SLOT_EN };

/* A piece of a note's markup: literal text, then a value (slot 0: none). */
struct mark_piece {
	const char *lit;
	size_t len;
	int slot;
};

struct mark_part {
	struct mark_piece *pieces;
	size_t n;
};

struct note_mark {
	struct arena arena;
	/* [translation][with pinyin][after the word] */
	struct mark_part parts[2][2][2];
};

/* Cuts a rendered variant into its part before the word and after it;
 * false unless the word is in it exactly once. */
static bool
cut_variant(struct note_mark *m, const char *text, size_t len,
    struct mark_part out[2])
{
	const char *word = memchr(text, SLOT_WORD, len);
	if (word == NULL || memchr(word + 1, SLOT_WORD, len - (size_t)(word + 1 - text)))
		return false;
	const char *from[2] = { text, word + 1 }, *to[2] = { word, text + len };
	for (int k = 0; k < 2; k++) {
		size_t n = 1;
		for (const char *p = from[k]; p < to[k]; p++)
			n += *p >= SLOT_NUMBER && *p <= SLOT_EN;
		out[k].pieces = ARENA_ARRAY(&m->arena, struct mark_piece, n);
		out[k].n = 0;
		const char *lit = from[k];
		for (const char *p = from[k]; p <= to[k]; p++) {
			bool slot = p < to[k] && *p >= SLOT_NUMBER && *p <= SLOT_EN;
			if (!slot && p < to[k])
				continue;
			struct mark_piece *pc = &out[k].pieces[out[k].n++];
			pc->lit = arena_strndup(&m->arena, lit, (size_t)(p - lit));
			pc->len = (size_t)(p - lit);
			pc->slot = slot ? *p : 0;
			lit = p + 1;
		}
	}
	return true;
}

/* Renders the four variants of the partial `t` (NULL: `fallback[]`, one
 * text per variant, the stand-ins written in) into `m`. */
static bool
make_variants(struct note_mark *m, const struct template *t,
    const struct strings *strings, const char *const fallback[4])
{
	static const char stand_in[][2] = { "\1", "\2", "\3", "\4", "\5" };
	struct arena a;
	arena_init(&a);
	struct buf out = BUF_INIT;
	bool ok = true;
	for (int tr = 0; tr < 2; tr++)
		for (int py = 0; py < 2; py++) {
			buf_reset(&out);
			if (t) {
				struct scope *sc = scope_new(&a, NULL);
				scope_raw(sc, VAR_WORD, stand_in[0], 1);
				scope_text(sc, VAR_NUMBER, stand_in[1]);
				scope_text(sc, VAR_PINYIN, py ? stand_in[2] : NULL);
				scope_text(sc, VAR_ZH, stand_in[3]);
				scope_text(sc, VAR_EN, stand_in[4]);
				scope_text(sc, VAR_TERM_LANG, tr ? "zh-Hans" : NULL);
				template_render(t, sc, tr ? LANG_EN : LANG_ZH, strings, NULL, &out);
				/* a template ends its file with a newline: here it
				 * would be a space in the text */
				if (out.len > 0 && out.data[out.len - 1] == '\n')
					out.len--;
			} else {
				buf_puts(&out, fallback[tr * 2 + py]);
			}
			ok = ok && cut_variant(m, out.data ? out.data : "", out.len,
			    m->parts[tr][py]);
		}
	buf_release(&out);
	arena_free(&a);
	return ok;
}

struct note_mark *
note_mark_load(const char *dir, struct diags *d)
{
	static const char file[] = "partials/note-mark.html";
	int errors = d->errors;
	struct strings *strings = strings_load(dir, d);
	struct arena a;
	arena_init(&a);
	char why[128];
	const struct view_names *names = view_names_parse(&a,
	    "number pinyin zh en term_lang word", why);
	struct template *t = d->errors == errors ?
	    template_load_checked(dir, file, names, strings, d) : NULL;
	struct note_mark *m = NULL;
	if (t != NULL) {
		m = xcalloc(1, sizeof(*m));
		arena_init(&m->arena);
		if (!make_variants(m, t, strings, NULL)) {
			struct pos at = { arena_printf(&a, "%s/%s", dir, file), 0, 0 };
			diag(d, &at, D_TEMPLATE_MARK_WORD);
			note_mark_free(m);
			m = NULL;
		}
	}
	template_free(t);
	strings_free(strings);
	arena_free(&a);
	return m;
}

void
note_mark_free(struct note_mark *m)
{
	if (m == NULL)
		return;
	arena_free(&m->arena);
	free(m);
}

/* What templates/partials/note-mark.html makes, for callers without
 * templates: the stand-ins written in (\1 the word, \2 the number, \3
 * the pinyin). */
static const char *const default_variants[4] = {
	"<a class=\"gl\" id=\"r_\2\" href=\"#n_\2\"><dfn>\1</dfn><sup>\2</sup></a>",
	"<a class=\"gl\" id=\"r_\2\" href=\"#n_\2\"><ruby>\1<rt>\3</rt></ruby><sup>\2</sup></a>",
	"<a class=\"gl\" id=\"r_\2\" href=\"#n_\2\" lang=\"zh-Hans\"><dfn>\1</dfn><sup>\2</sup></a>",
	"<a class=\"gl\" id=\"r_\2\" href=\"#n_\2\" lang=\"zh-Hans\"><ruby>\1<rt>\3</rt></ruby><sup>\2</sup></a>",
};
static struct note_mark default_mark;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void
make_default(void)
{
	arena_init(&default_mark.arena);
	make_variants(&default_mark, NULL, NULL, default_variants);
}

const struct note_mark *
note_mark_default(void)
{
	pthread_once(&default_once, make_default);
	return &default_mark;
}

void
note_mark_write(const struct note_mark *m, bool translation, bool after,
    const struct note_fields *f, struct buf *out)
{
	const struct mark_part *part = &m->parts[translation][f->pinyin != NULL][after];
	for (size_t i = 0; i < part->n; i++) {
		const struct mark_piece *pc = &part->pieces[i];
		buf_add(out, pc->lit, pc->len);
		const char *v = pc->slot == SLOT_NUMBER ? f->number
		    : pc->slot == SLOT_PINYIN ? f->pinyin
		    : pc->slot == SLOT_ZH ? f->zh : pc->slot == SLOT_EN ? f->en : NULL;
		if (pc->slot == SLOT_NUMBER)
			buf_puts(out, v);   /* digits */
		else if (v != NULL)
			escape_attr(out, v, strlen(v));
	}
}
