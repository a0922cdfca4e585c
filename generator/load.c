/* load.c — content files into the typed model, with every value checked. */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "alloc.h"
#include "buf.h"
#include "hash.h"
#include "input.h"
#include "resolve.h"
#include "pool.h"
#include "utf8.h"
#include "yamlnode.h"

struct loader {
	struct site *s;
	struct diags *d;
	struct arena *a;
	struct arena *bodies;   /* for Markdown bodies (site->bodies); NULL: a */
	known_source_fn known;  /* the last build's article files, or NULL */
	const void *known_ctx;
};

/* ---- typed field access ------------------------------------------------ */

static bool
warn_unknown_keys(struct loader *l, const struct ynode *map,
    const char *const *known)
{
	for (size_t i = 0; i < map->n; i += 2) {
		const char *key = map->items[i]->str;
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (strcmp(*k, key) == 0)
				ok = true;
		if (!ok)
			diag(l->d, &map->items[i]->pos, D_YAML_UNKNOWN_KEY, key);
	}
	return true;
}

/* A string field: NULL when absent (reported when required). */
static const char *
get_string(struct loader *l, const struct ynode *map, const char *key,
    bool required)
{
	struct ynode *n = ynode_get(map, key);
	if (n == NULL || ynode_is_null(n)) {
		if (required)
			diag(l->d, &map->pos, D_REQUIRED, key);
		return NULL;
	}
	if (n->kind != Y_SCALAR) {
		ynode_type_error(l->d, n, key, "a string");
		return NULL;
	}
	/* YAML escapes ("\x01", "\uFFFE", "\0") can spell what a file
	 * may not hold, and what HTML and XML cannot carry. */
	for (size_t i = 0; i < n->len;) {
		uint32_t c = utf8_next(n->str, n->len, &i);
		if (c == 0 || utf8_forbidden(c)) {
			ynode_type_error(l->d, n, key, "a string without control "
			    "characters or noncharacters");
			return NULL;
		}
	}
	if (required && n->len == 0) {
		diag(l->d, &n->pos, D_REQUIRED, key);
		return NULL;
	}
	return n->str;
}

static bool
get_bool(struct loader *l, const struct ynode *map, const char *key)
{
	struct ynode *n = ynode_get(map, key);
	if (n == NULL || ynode_is_null(n))
		return false;
	if (n->kind == Y_SCALAR && !n->quoted) {
		if (strcmp(n->str, "true") == 0 || strcmp(n->str, "yes") == 0)
			return true;
		if (strcmp(n->str, "false") == 0 || strcmp(n->str, "no") == 0)
			return false;
	}
	ynode_type_error(l->d, n, key, "true or false");
	return false;
}

static bool
get_date(struct loader *l, const struct ynode *map, const char *key,
    bool required, struct date *out)
{
	struct ynode *n = ynode_get(map, key);
	memset(out, 0, sizeof(*out));
	if (n == NULL || ynode_is_null(n)) {
		if (required)
			diag(l->d, &map->pos, D_REQUIRED, key);
		return !required;
	}
	if (n->kind != Y_SCALAR || !date_parse(n->str, out)) {
		diag(l->d, &n->pos, D_DATE, n->kind == Y_SCALAR ? n->str : key);
		return false;
	}
	return true;
}

static int
get_year(struct loader *l, const struct ynode *map, const char *key)
{
	struct ynode *n = ynode_get(map, key);
	if (n == NULL || ynode_is_null(n))
		return 0;
	const char *s = n->kind == Y_SCALAR ? n->str : "";
	bool ok = n->kind == Y_SCALAR && n->len == 4;
	for (size_t i = 0; ok && i < 4; i++)
		ok = s[i] >= '0' && s[i] <= '9';
	if (!ok || atoi(s) < 1000) {
		diag(l->d, &n->pos, D_YEAR, n->kind == Y_SCALAR ? s : key);
		return 0;
	}
	return atoi(s);
}

/* A {zh, en} map of strings. */
static void
get_localized(struct loader *l, const struct ynode *map, const char *key,
    bool required, const char *out[LANG_COUNT])
{
	struct ynode *n = ynode_get(map, key);
	if (n == NULL) {
		if (required)
			diag(l->d, &map->pos, D_REQUIRED, key);
		return;
	}
	if (n->kind != Y_MAP) {
		ynode_type_error(l->d, n, key, "a map with zh and en");
		return;
	}
	for (int lang = 0; lang < LANG_COUNT; lang++)
		out[lang] = get_string(l, n, lang_code[lang], required);
}

/* A list of scalars (a lone scalar counts as a list of one). */
static struct ynode **
get_scalar_list(struct loader *l, const struct ynode *map, const char *key,
    size_t *n_out)
{
	struct ynode *n = ynode_get(map, key);
	*n_out = 0;
	if (n == NULL || ynode_is_null(n))
		return NULL;
	if (n->kind == Y_SCALAR) {
		struct ynode **one = ARENA_ARRAY(l->a, struct ynode *, 1);
		one[0] = n;
		*n_out = 1;
		return one;
	}
	if (n->kind != Y_SEQ) {
		ynode_type_error(l->d, n, key, "a list");
		return NULL;
	}
	for (size_t i = 0; i < n->n; i++)
		if (n->items[i]->kind != Y_SCALAR) {
			ynode_type_error(l->d, n->items[i], key, "a list of strings");
			return NULL;
		}
	*n_out = n->n;
	return n->items;
}

/* ---- files --------------------------------------------------------------- */

/* The file name without its folders: what the render cache's keys hash,
 * so that they survive a moved content/ folder. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static const char *
content_path(struct loader *l, const char *name)
{
	return arena_printf(l->a, "%s/%s", l->s->content_dir, name);
}

/* Reads and decodes a data file; NULL when it does not exist and is
 * optional, or after reporting a problem. */
static struct ynode *
load_yaml_file(struct loader *l, const char *path, bool required)
{
	struct stat st;
	if (lstat(path, &st) != 0 && errno == ENOENT && !required)
		return NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		struct pos at = { path, 0, 0 };
		diag(l->d, &at, D_SYMLINK);
		return NULL;
	}
	char *raw;
	size_t len;
	if (!read_file(path, &raw, &len, l->d))
		return NULL;
	/* Data files are UTF-8 (a BOM may say UTF-16): a YAML document
	 * starting with '---' is not front matter, and an `encoding:` key
	 * in it means nothing. */
	size_t text_len;
	struct pos enc_pos = { path, 0, 0 };
	char *text = text_decode(path, raw, len, NULL, &enc_pos, &text_len, l->d);
	free(raw);
	if (text == NULL)
		return NULL;
	/* Pages that show the taxonomy, glossary or settings change when
	 * these files do (see pages.c, page keys). */
	l->s->data_hash = hash_bytes(hash_str(l->s->data_hash, base_name(path)),
	    text, text_len);
	struct ynode *root = yaml_load(l->a, l->d, path, 1, text, text_len);
	free(text);
	if (root != NULL && root->kind != Y_MAP && root->kind != Y_SEQ) {
		ynode_type_error(l->d, root, "the document", "a map or a list");
		return NULL;
	}
	return root;
}

/* ---- site.yaml ------------------------------------------------------------ */

static void
load_languages(struct loader *l, const struct ynode *root)
{
	size_t n;
	struct ynode **items = get_scalar_list(l, root, "languages", &n);
	if (items == NULL)
		return;
	bool seen[LANG_COUNT] = { false };
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int lang = -1;
		for (int j = 0; j < LANG_COUNT; j++)
			if (strcmp(items[i]->str, lang_code[j]) == 0)
				lang = j;
		if (lang < 0) {
			diag(l->d, &items[i]->pos, D_LANGUAGE, items[i]->str);
		} else if (seen[lang]) {
			diag(l->d, &items[i]->pos, D_LANG_DUP, items[i]->str);
		} else {
			seen[lang] = true;
			l->s->languages[k++] = (enum lang)lang;
		}
	}
	/* Both languages are always built; the list sets their order. */
	for (int j = 0; j < LANG_COUNT; j++)
		if (!seen[j] && k < LANG_COUNT)
			l->s->languages[k++] = (enum lang)j;
}

static void
load_base_url(struct loader *l, const struct ynode *root, const char *override)
{
	const char *url = override;
	struct pos at = { content_path(l, "site.yaml"), 0, 0 };
	if (url == NULL) {
		struct ynode *n = ynode_get(root, "base_url");
		if (n == NULL || ynode_is_null(n))
			return;
		if (n->kind != Y_SCALAR) {
			ynode_type_error(l->d, n, "base_url", "a string");
			return;
		}
		url = n->str;
		at = n->pos;
	}
	bool ok = strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
	ok = ok && strlen(url) > 8 && !strpbrk(url, " \t\n\"<>");
	if (!ok) {
		diag(l->d, at.line ? &at : NULL, D_BASE_URL, url);
		return;
	}
	size_t len = strlen(url);
	l->s->base_url = url[len - 1] == '/'
	    ? arena_strdup(l->a, url) : arena_printf(l->a, "%s/", url);
}

static void
load_site_yaml(struct loader *l, const struct load_options *opt)
{
	static const char *const known[] = { "title", "description",
		"base_url", "languages", "encoding", "per_page", "unsafe_html",
		NULL };
	const char *path = content_path(l, "site.yaml");
	struct ynode *root = load_yaml_file(l, path, true);
	if (root == NULL || root->kind != Y_MAP) {
		if (root)
			ynode_type_error(l->d, root, "site.yaml", "a map");
		load_base_url(l, NULL, opt->base_url);
		return;
	}
	warn_unknown_keys(l, root, known);
	get_localized(l, root, "title", true, l->s->title);
	get_localized(l, root, "description", false, l->s->description);
	load_base_url(l, root, opt->base_url);
	if (l->s->base_url == NULL && ynode_get(root, "base_url") == NULL) {
		struct pos at = { path, 0, 0 };
		diag(l->d, &at, D_NO_BASE_URL);
	}
	load_languages(l, root);
	l->s->encoding = get_string(l, root, "encoding", false);
	if (l->s->encoding) {
		l->s->encoding_pos = ynode_get(root, "encoding")->pos;
		if (!encoding_known(l->s->encoding)) {
			diag(l->d, &l->s->encoding_pos, D_ENCODING_UNKNOWN,
			    l->s->encoding);
			l->s->encoding = NULL;
		}
	}
	l->s->unsafe_html = get_bool(l, root, "unsafe_html");
	struct ynode *pp = ynode_get(root, "per_page");
	if (pp != NULL) {
		char *end = NULL;
		long v = pp->kind == Y_SCALAR ? strtol(pp->str, &end, 10) : 0;
		if (pp->kind != Y_SCALAR || *end != '\0' || v < 1 || v > 10000)
			diag(l->d, &pp->pos, D_PER_PAGE);
		else
			l->s->per_page = (int)v;
	}
}

/* ---- taxonomy.yaml ------------------------------------------------------- */

static enum app_status
parse_status(struct loader *l, const struct ynode *map)
{
	const char *s = get_string(l, map, "status", false);
	if (s == NULL)
		return STATUS_NONE;
	for (int i = STATUS_ACTIVE; i <= STATUS_SUSPENDED; i++)
		if (strcmp(s, status_name[i]) == 0)
			return (enum app_status)i;
	diag(l->d, &ynode_get(map, "status")->pos, D_STATUS, s);
	return STATUS_NONE;
}

static void
load_term(struct loader *l, struct term *t, const struct ynode *key,
    const struct ynode *v)
{
	static const char *const known[] = { "zh", "en", "summary_zh",
		"summary_en", "company", "market", "launched", "closed",
		"status", NULL };
	t->slug = key->str;
	t->pos = key->pos;
	if (!slug_valid(key->str, key->len))
		diag(l->d, &key->pos, D_SLUG, key->str);
	if (v->kind != Y_MAP) {
		ynode_type_error(l->d, v, key->str, "a map");
		t->name[LANG_ZH] = t->name[LANG_EN] = t->slug;
		return;
	}
	warn_unknown_keys(l, v, known);
	for (int lang = 0; lang < LANG_COUNT; lang++) {
		t->name[lang] = get_string(l, v, lang_code[lang], true);
		if (t->name[lang] == NULL)
			t->name[lang] = t->slug;
	}
	t->summary[LANG_ZH] = get_string(l, v, "summary_zh", false);
	t->summary[LANG_EN] = get_string(l, v, "summary_en", false);
	t->company_slug = get_string(l, v, "company", false);
	if (t->company_slug)
		t->company_pos = ynode_get(v, "company")->pos;
	t->market = get_string(l, v, "market", false);
	t->launched = get_year(l, v, "launched");
	t->closed = get_year(l, v, "closed");
	t->status = parse_status(l, v);
}

static int
compare_terms(const void *a, const void *b)
{
	return strcmp(((const struct term *)a)->slug, ((const struct term *)b)->slug);
}

static void
load_taxonomy(struct loader *l)
{
	static const char *const known[] = { "companies", "apps", "themes", NULL };
	const char *path = content_path(l, "taxonomy.yaml");
	struct ynode *root = load_yaml_file(l, path, false);
	if (root == NULL)
		return;
	if (root->kind != Y_MAP) {
		ynode_type_error(l->d, root, "taxonomy.yaml", "a map");
		return;
	}
	warn_unknown_keys(l, root, known);
	for (int k = 0; k < KIND_COUNT; k++) {
		struct ynode *m = ynode_get(root, kind_plural[k]);
		if (m == NULL || ynode_is_null(m))
			continue;
		if (m->kind != Y_MAP) {
			ynode_type_error(l->d, m, kind_plural[k], "a map keyed by slug");
			continue;
		}
		size_t n = m->n / 2;
		struct term *terms = ARENA_ARRAY(l->a, struct term, n);
		for (size_t i = 0; i < n; i++) {
			terms[i].kind = (enum term_kind)k;
			load_term(l, &terms[i], m->items[2 * i], m->items[2 * i + 1]);
		}
		qsort(terms, n, sizeof(*terms), compare_terms);
		l->s->terms[k] = terms;
		l->s->n_terms[k] = n;
	}
}

/* ---- glossary.yaml ------------------------------------------------------- */

static struct gloss_term *
load_gloss_entry(struct loader *l, const struct ynode *v, bool local)
{
	static const char *const known[] = { "zh", "pinyin", "en", "note_zh",
		"note_en", NULL };
	if (v->kind != Y_MAP) {
		ynode_type_error(l->d, v, "glossary entry", "a map");
		return NULL;
	}
	warn_unknown_keys(l, v, known);
	struct gloss_term *g = ARENA_NEW(l->a, struct gloss_term);
	g->pos = v->pos;
	g->local = local;
	g->zh = get_string(l, v, "zh", true);
	g->en = get_string(l, v, "en", true);
	g->pinyin = get_string(l, v, "pinyin", !local);
	g->note[LANG_ZH] = get_string(l, v, "note_zh", false);
	g->note[LANG_EN] = get_string(l, v, "note_en", false);
	if (g->zh == NULL || g->en == NULL || (!local && g->pinyin == NULL))
		return NULL;
	/* A Latin term (KOL) has no pinyin worth showing above itself. */
	if (g->pinyin != NULL && strcmp(g->pinyin, g->zh) == 0)
		g->pinyin = NULL;
	return g;
}

struct gloss_list {
	struct gloss_term **items;
	size_t n, cap;
};

static void
gloss_push(struct gloss_list *gl, struct gloss_term *g)
{
	if (gl->n == gl->cap) {
		gl->cap = gl->cap ? gl->cap * 2 : 64;
		gl->items = xrealloc(gl->items, gl->cap * sizeof(*gl->items));
	}
	gl->items[gl->n++] = g;
}

static void
load_glossary(struct loader *l, struct gloss_list *gl)
{
	const char *path = content_path(l, "glossary.yaml");
	struct ynode *root = load_yaml_file(l, path, false);
	if (root == NULL)
		return;
	if (root->kind == Y_MAP && root->n == 0)
		return;   /* an empty file: no terms */
	if (root->kind != Y_SEQ) {
		ynode_type_error(l->d, root, "glossary.yaml", "a list of terms");
		return;
	}
	for (size_t i = 0; i < root->n; i++) {
		struct gloss_term *g = load_gloss_entry(l, root->items[i], false);
		if (g != NULL)
			gloss_push(gl, g);
	}
}

/* ---- articles ------------------------------------------------------------ */

/* A front matter fence: the marker, then only spaces or tabs (editors
 * leave trailing blanks). */
static bool
is_fence(const char *p, size_t n, const char *marker)
{
	if (n < 3 || memcmp(p, marker, 3) != 0)
		return false;
	for (size_t i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* Splits "---\n yaml ---\n body" in place.  On success sets the YAML span
 * and the body, which starts on file line *body_line. */
static bool
split_front_matter(struct loader *l, const char *path, char *text, size_t len,
    char **yaml, size_t *yaml_len, char **body, int *body_line)
{
	struct pos at = { path, 1, 1 };
	if (len == 0) {
		diag(l->d, &at, D_EMPTY_FILE);
		return false;
	}
	char *first_eol = memchr(text, '\n', len);
	size_t first_len = first_eol ? (size_t)(first_eol - text) : len;
	if (!is_fence(text, first_len, "---")) {
		diag(l->d, &at, D_FM_MISSING);
		return false;
	}
	*yaml = first_eol ? first_eol + 1 : text + len;
	int line = 2;
	for (char *p = *yaml; p < text + len;) {
		char *eol = memchr(p, '\n', (size_t)(text + len - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(text + len - p);
		bool closing = is_fence(p, n, "---") || is_fence(p, n, "...");
		if (closing) {
			*yaml_len = (size_t)(p - *yaml);
			*body = eol ? eol + 1 : p + n;
			*body_line = line + 1;
			return true;
		}
		if (eol == NULL)
			break;
		p = eol + 1;
		line++;
	}
	diag(l->d, &at, D_FM_UNTERMINATED);
	return false;
}

/* An article file's bytes, decoded: in `where` (UTF-8, the usual case:
 * *raw is then the text) or in a buffer of its own (converted from a
 * legacy encoding; caller frees it when it is not *raw).  NULL after
 * reporting the problem. */
static char *
read_decoded(struct loader *l, const char *path, struct arena *where,
    char **raw_out, size_t *text_len)
{
	char *raw;
	size_t len;
	if (!read_file_arena(path, where, &raw, &len, l->d))
		return NULL;
	*raw_out = raw;
	int line = 0, col = 0;
	char *enc = sniff_encoding(raw, len, &line, &col);
	struct pos enc_pos = { path, line, col };
	const char *encoding = enc ? enc : l->s->encoding;
	if (enc == NULL && l->s->encoding != NULL) {
		/* The site-wide default: a bad name is reported at site.yaml
		 * (once), and a UTF-8 file here names itself and the fix. */
		enc_pos = l->s->encoding_pos;
		const unsigned char *u = (const unsigned char *)raw;
		bool bom = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ||
		    (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
		    (u[0] == 0xFE && u[1] == 0xFF)));
		if (!bom && strcasecmp(encoding, "utf-8") != 0 &&
		    strcasecmp(encoding, "utf8") != 0 && text_is_utf8(raw, len)) {
			struct pos at = { path, 1, 1 };
			diag(l->d, &at, D_ENCODING_SITE, enc_pos.line, encoding);
			free(enc);
			return NULL;
		}
	}
	char *text = text_decode_in_place(path, raw, len, encoding, &enc_pos,
	    text_len, l->d);
	free(enc);
	return text;
}

/* The front matter (file line 2 on) as a map, or NULL after reporting. */
static struct ynode *
parse_front_matter(struct loader *l, const char *path, const char *yaml,
    size_t yaml_len)
{
	struct ynode *fm = yaml_load(l->a, l->d, path, 2, yaml, yaml_len);
	if (fm != NULL && fm->kind != Y_MAP) {
		ynode_type_error(l->d, fm, "front matter", "a map");
		fm = NULL;
	}
	if (fm != NULL && fm->n == 0)
		fm->pos = (struct pos){ path, 1, 1 };
	return fm;
}

/* The body after the front matter: where it lies when the text is still
 * in `where` (it is `raw`), else a copy there. */
static void
set_body(struct version *v, const char *text, const char *raw, size_t text_len,
    char *body, int body_line, struct arena *where)
{
	v->body_len = text_len - (size_t)(body - text);
	v->body = text == raw ? body : arena_strndup(where, body, v->body_len);
	v->body_line = body_line;
}

/* Reads one article file into its decoded text and front matter, and
 * what a later build may take instead of reading it (rec; *recorded is
 * set when the front matter was found). */
static struct ynode *
read_article_file(struct loader *l, const char *path, struct version *v,
    struct source_record *rec, bool *recorded)
{
	/* The file goes straight into the bodies' arena, is decoded there
	 * and its body is used where it lies. */
	struct arena *where = l->bodies ? l->bodies : l->a;
	char *raw, *yaml, *body;
	size_t text_len, yaml_len;
	int body_line;
	char *text = read_decoded(l, path, where, &raw, &text_len);
	if (text == NULL)
		return NULL;
	struct ynode *fm = NULL;
	v->source_hash = hash_bytes(hash_str(HASH_SEED, base_name(path)), text,
	    text_len);
	if (split_front_matter(l, path, text, text_len, &yaml, &yaml_len, &body,
	    &body_line)) {
		fm = parse_front_matter(l, path, yaml, yaml_len);
		v->path = path;
		if (fm != NULL) {   /* kept as parsed: no YAML next time */
			rec->fm = fm;
			*recorded = true;
		}
		set_body(v, text, raw, text_len, body, body_line, where);
		rec->source_hash = v->source_hash;
		rec->body_line = body_line;
	}
	if (text != raw)
		free(text);   /* converted from a legacy encoding */
	return fm;
}

bool
load_body(const struct site *s, struct version *v, struct arena *a,
    struct diags *d)
{
	struct loader l = { (struct site *)s, d, a, a, NULL, NULL };
	char *raw, *yaml, *body;
	size_t text_len, yaml_len;
	int body_line;
	v->body = "";
	v->body_len = 0;
	char *text = read_decoded(&l, v->path, a, &raw, &text_len);
	if (text == NULL)
		return false;
	bool ok = split_front_matter(&l, v->path, text, text_len, &yaml, &yaml_len,
	    &body, &body_line);
	if (ok)
		set_body(v, text, raw, text_len, body, body_line, a);
	if (text != raw)
		free(text);
	return ok;
}

static struct term **
load_term_refs(struct loader *l, const struct ynode *fm, enum term_kind k,
    size_t *n_out)
{
	size_t n;
	struct ynode **items = get_scalar_list(l, fm, kind_plural[k], &n);
	*n_out = 0;
	if (items == NULL)
		return NULL;
	struct term **out = ARENA_ARRAY(l->a, struct term *, n);
	for (size_t i = 0; i < n; i++) {
		struct term *t = site_find_term(l->s, k, items[i]->str);
		if (t == NULL) {
			diag(l->d, &items[i]->pos, D_UNKNOWN_REF, kind_singular[k],
			    items[i]->str);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < *n_out; j++)
			dup |= out[j] == t;
		if (!dup)
			out[(*n_out)++] = t;
	}
	return out;
}

/* The article's own terms; they join the site's list later, in file
 * order (articles are typed on several threads). */
static void
load_local_glossary(struct loader *l, struct article *a, const struct ynode *fm)
{
	struct ynode *n = ynode_get(fm, "glossary");
	if (n == NULL || ynode_is_null(n))
		return;
	if (n->kind != Y_SEQ) {
		ynode_type_error(l->d, n, "glossary", "a list of {zh, en, pinyin}");
		return;
	}
	a->local_glossary = ARENA_ARRAY(l->a, struct gloss_term *, n->n);
	for (size_t i = 0; i < n->n; i++) {
		struct gloss_term *g = load_gloss_entry(l, n->items[i], true);
		if (g == NULL)
			continue;
		a->local_glossary[a->n_local_glossary++] = g;
	}
}

/* An absolute http(s) URL with a host and nothing a URL cannot hold
 * unencoded (spaces, quotes, angle brackets, control characters). */
static bool
web_url(const char *u)
{
	const char *rest = strncmp(u, "https://", 8) == 0 ? u + 8
	    : strncmp(u, "http://", 7) == 0 ? u + 7 : NULL;
	if (rest == NULL || *rest == '\0' || *rest == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr("\"<>`\\{}|^", *p))
			return false;
	return true;
}

/* An article file read, decoded and its front matter parsed: done for all
 * files at once on several threads (read_all), then typed one by one. */
struct parsed {
	const char *path;
	struct ynode *fm;      /* NULL after a reported problem */
	struct version v;
	struct source_record src;   /* for the next build, when recorded */
	bool recorded;
	struct article *article;    /* a .zh.md file's, typed; or NULL */
	struct version *en;         /* a .en.md file's, typed; or NULL */
	const char *en_title, *en_summary;
};

static struct article *
load_zh_article(struct loader *l, struct parsed *pf, const char *slug)
{
	static const char *const known[] = { "title", "title_en", "date",
		"updated", "summary_zh", "summary_en", "author", "author_en",
		"source", "source_url", "draft", "companies", "apps", "themes",
		"glossary", "encoding", NULL };
	struct article *a = ARENA_NEW(l->a, struct article);
	a->slug = slug;
	a->pos = (struct pos){ pf->path, 1, 1 };
	a->zh = pf->v;
	struct ynode *fm = pf->fm;
	if (fm == NULL)
		return NULL;
	warn_unknown_keys(l, fm, known);
	a->title[LANG_ZH] = get_string(l, fm, "title", true);
	a->title[LANG_EN] = get_string(l, fm, "title_en", false);
	get_date(l, fm, "date", true, &a->date);
	get_date(l, fm, "updated", false, &a->zh.updated);
	a->summary[LANG_ZH] = get_string(l, fm, "summary_zh", false);
	a->summary[LANG_EN] = get_string(l, fm, "summary_en", false);
	a->author = get_string(l, fm, "author", false);
	a->author_en = get_string(l, fm, "author_en", false);
	a->source = get_string(l, fm, "source", false);
	a->source_url = get_string(l, fm, "source_url", false);
	/* It becomes an href: only web addresses, never javascript: and
	 * the like. */
	if (a->source_url && !web_url(a->source_url)) {
		diag(l->d, &ynode_get(fm, "source_url")->pos, D_SOURCE_URL, a->source_url);
		a->source_url = NULL;
	}
	a->draft = get_bool(l, fm, "draft");
	for (int k = 0; k < KIND_COUNT; k++)
		a->terms[k] = load_term_refs(l, fm, (enum term_kind)k, &a->n_terms[k]);
	load_local_glossary(l, a, fm);
	if (a->title[LANG_ZH] == NULL)
		a->title[LANG_ZH] = slug;
	return a;
}

/* Types a translation's front matter; load_articles attaches it to its
 * original once all are loaded. */
static void
load_en_version(struct loader *l, struct parsed *pf)
{
	/* A translation may repeat the original's keys (tags, source...);
	 * the original's values are the ones used. */
	static const char *const known[] = { "title", "title_en", "date",
		"updated", "summary", "summary_zh", "summary_en", "author",
		"author_en", "source", "source_url", "draft", "companies", "apps", "themes",
		"glossary", "encoding", NULL };
	struct ynode *fm = pf->fm;
	if (fm == NULL)
		return;
	struct version *v = ARENA_NEW(l->a, struct version);
	*v = pf->v;
	warn_unknown_keys(l, fm, known);
	pf->en_title = get_string(l, fm, "title", true);
	struct date date;
	get_date(l, fm, "date", false, &date);
	get_date(l, fm, "updated", false, &v->updated);
	pf->en_summary = get_string(l, fm, "summary_en", false);
	if (pf->en_summary == NULL)
		pf->en_summary = get_string(l, fm, "summary", false);
	pf->en = v;
}

static void
attach_en_version(const struct parsed *pf, struct article *a)
{
	if (a == NULL || pf->en == NULL)
		return;
	if (pf->en_title != NULL)
		a->title[LANG_EN] = pf->en_title;
	if (pf->en_summary != NULL)
		a->summary[LANG_EN] = pf->en_summary;
	a->en = pf->en;
}

/* One directory entry of content/articles. */
struct entry {
	char *name;
	char *slug;          /* the part before .zh.md / .en.md */
	int lang;            /* LANG_ZH, LANG_EN, or -1 for a folder */
	unsigned char type;  /* readdir's d_type: DT_UNKNOWN means lstat */
	bool walked;         /* a folder of articles, walked: no entry */
};

static int
compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static bool
classify_entry(struct loader *l, const char *dir, struct entry *e)
{
	const char *path = arena_printf(l->a, "%s/%s", dir, e->name);
	struct pos at = { path, 0, 0 };
	struct stat st;
	/* readdir usually says what an entry is: 13,000 lstat calls saved
	 * for a big archive.  Some file systems do not say; then ask. */
	if (e->type == DT_REG || e->type == DT_DIR || e->type == DT_LNK) {
		st.st_mode = e->type == DT_REG ? S_IFREG : e->type == DT_DIR ?
		    S_IFDIR : S_IFLNK;
	} else if (lstat(path, &st) != 0) {
		diag_errno(l->d, &at, D_READ, errno);
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		diag(l->d, &at, D_SYMLINK);
		return false;
	}
	/* In a folder of articles, the file name alone is the slug. */
	const char *base = strrchr(e->name, '/');
	base = base ? base + 1 : e->name;
	size_t len = strlen(base);
	e->lang = -1;
	if (S_ISDIR(st.st_mode)) {
		e->slug = xstrdup(base);
		if (!slug_valid(base, len)) {
			diag(l->d, &at, D_SLUG, base);
			return false;
		}
		return true;
	}
	for (int lang = 0; lang < LANG_COUNT; lang++) {
		char suffix[8];
		snprintf(suffix, sizeof(suffix), ".%s.md", lang_code[lang]);
		if (len > 6 && strcmp(base + len - 6, suffix) == 0 &&
		    slug_valid(base, len - 6)) {
			if (!S_ISREG(st.st_mode)) {   /* a FIFO, a device: the name is fine */
				diag(l->d, &at, D_READ, "not a regular file");
				return false;
			}
			e->lang = lang;
			e->slug = xstrndup(base, len - 6);
			return true;
		}
	}
	diag(l->d, &at, D_FILE_NAME, base);
	return false;
}

struct listing {
	struct entry *v;
	size_t n, cap;
};

static void
listing_push(struct listing *ls, struct entry e)
{
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 256;
		ls->v = xrealloc(ls->v, ls->cap * sizeof(*ls->v));
	}
	ls->v[ls->n++] = e;
}

static bool
has_md_suffix(const char *name)
{
	size_t nl = strlen(name);
	return nl >= 3 && strcmp(name + nl - 3, ".md") == 0;
}

/* True when the listing [from, to) of one folder, sorted, holds
 * <name>.zh.md or <name>.en.md: then the folder <name> is that article's
 * asset folder. */
static bool
article_beside(const struct listing *ls, size_t from, size_t to,
    const char *prefix, const char *name)
{
	bool found = false;
	for (int lang = 0; lang < LANG_COUNT && !found && to > from; lang++) {
		size_t len = strlen(prefix) + strlen(name) + 8;
		struct entry key = { xmalloc(len), NULL, -1, 0, false };
		snprintf(key.name, len, "%s%s.%s.md", prefix, name, lang_code[lang]);
		found = bsearch(&key, ls->v + from, to - from, sizeof(key),
		    compare_entries) != NULL;
		free(key.name);
	}
	return found;
}

static bool
is_folder(const char *root, const struct entry *e)
{
	if (e->type != DT_UNKNOWN)
		return e->type == DT_DIR;
	size_t len = strlen(root) + strlen(e->name) + 2;
	char *path = xmalloc(len);
	snprintf(path, len, "%s/%s", root, e->name);
	struct stat st;
	bool dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return dir;
}

enum { MAX_DEPTH = 16 };   /* folders inside articles/, at most */

static size_t list_folder(struct loader *l, const char *root, const char *prefix,
    struct listing *ls, int depth);

/* A folder met in the walk: an article's asset folder (beside
 * <name>.zh.md), a folder of articles (by year, by company: walked), or,
 * holding no Markdown file at all, an asset folder by its name, which
 * attach_assets reports if it belongs to no article. */
static size_t
list_subfolder(struct loader *l, const char *root, const char *prefix,
    struct listing *ls, size_t from, size_t to, size_t i, int depth)
{
	struct entry *e = &ls->v[i];
	if (!is_folder(root, e))
		return 0;
	const char *base = e->name + strlen(prefix);
	if (article_beside(ls, from, to, prefix, base) || depth >= MAX_DEPTH)
		return 0;
	char *sub = xmalloc(strlen(e->name) + 2);
	sprintf(sub, "%s/", e->name);
	size_t mark = ls->n;
	size_t found = list_folder(l, root, sub, ls, depth + 1);
	free(sub);
	e = &ls->v[i];   /* the walk may have moved the listing */
	if (found == 0) {
		for (size_t k = mark; k < ls->n; k++)
			free(ls->v[k].name);
		ls->n = mark;
		return 0;
	}
	e->walked = true;
	return found;
}

/* Lists root/prefix (prefix "" or "2024/"), then walks its sub-folders;
 * entries are named by their path under root.  Returns how many
 * Markdown files it found. */
static size_t
list_folder(struct loader *l, const char *root, const char *prefix,
    struct listing *ls, int depth)
{
	size_t plen = strlen(root) + strlen(prefix) + 2;
	char *dir = xmalloc(plen);
	snprintf(dir, plen, "%s%s%.*s", root, *prefix ? "/" : "",
	    (int)(*prefix ? strlen(prefix) - 1 : 0), prefix);
	DIR *dh = opendir(dir);
	if (dh == NULL) {
		struct pos at = { arena_strdup(l->a, dir), 0, 0 };
		diag_errno(l->d, &at, D_READ, errno);
		free(dir);
		return 0;
	}
	free(dir);
	size_t from = ls->n, found = 0;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		/* Dot files that are not articles (.DS_Store, .gitkeep, editor
		 * swap files) and editors' leftovers are not ours; a hidden
		 * article is an error. */
		if ((de->d_name[0] == '.' && !has_md_suffix(de->d_name)) ||
		    input_is_scratch(de->d_name))
			continue;
		size_t len = strlen(prefix) + strlen(de->d_name) + 1;
		char *name = xmalloc(len);
		snprintf(name, len, "%s%s", prefix, de->d_name);
		found += has_md_suffix(de->d_name);
		listing_push(ls, (struct entry){ name, NULL, -1, de->d_type, false });
	}
	closedir(dh);
	size_t to = ls->n;
	if (to - from > 1)
		qsort(ls->v + from, to - from, sizeof(*ls->v), compare_entries);
	for (size_t i = from; i < to; i++)
		found += list_subfolder(l, root, prefix, ls, from, to, i, depth);
	return found;
}

/* Every entry of content/articles and of its folders of articles, sorted
 * by path; the folders walked are left out. */
static struct entry *
list_articles_dir(struct loader *l, const char *dir, size_t *n_out)
{
	struct listing ls = { NULL, 0, 0 };
	list_folder(l, dir, "", &ls, 0);
	size_t n = 0;
	for (size_t i = 0; i < ls.n; i++) {
		if (ls.v[i].walked)
			free(ls.v[i].name);
		else
			ls.v[n++] = ls.v[i];
	}
	if (n > 1)
		qsort(ls.v, n, sizeof(*ls.v), compare_entries);
	*n_out = n;
	return ls.v;
}

static void
free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].slug);
		free(v[i].name);
	}
	free(v);
}

/* A folder articles/<slug>/ holds that article's images and files. */
static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
attach_assets(struct loader *l, const char *dir, const struct entry *v,
    size_t n, const bool *ok)
{
	for (size_t i = 0; i < n; i++) {
		if (!ok[i] || v[i].lang != -1)
			continue;
		const char *path = arena_printf(l->a, "%s/%s", dir, v[i].name);
		struct article *a = site_find_article(l->s, v[i].slug);
		if (a == NULL && site_draft_left_out(l->s, v[i].slug))
			continue;   /* unpublished, like its draft */
		/* beside the article: articles/2024/x/ for articles/2024/x.zh.md */
		size_t folder = strlen(dir) + 1 + (size_t)(strrchr(path, '/') - path - strlen(dir));
		if (a != NULL && (strncmp(a->zh.path, path, folder) != 0 ||
		    strchr(a->zh.path + folder, '/') != NULL))
			a = NULL;
		if (a == NULL) {
			struct pos at = { path, 0, 0 };
			diag(l->d, &at, D_ASSET_ORPHAN, v[i].slug);
			continue;
		}
		/* Its files are published beside the page, which is index.html. */
		const char *page = arena_printf(l->a, "%s/index.html", path);
		struct stat st;
		if (lstat(page, &st) == 0) {
			struct pos at = { page, 0, 0 };
			diag(l->d, &at, D_ASSET_PAGE);
		}
		a->asset_dir = path;
	}
}

struct read_job {
	struct site *s;
	struct diags *d;
	struct arena *arenas;      /* two per worker, adopted by the site: */
	struct arena *bodies;      /* the model's, and the bodies' */
	const char *dir;
	const struct entry *v;
	const bool *ok;
	struct parsed *out;
	known_source_fn known;     /* the last build's records, or NULL */
	const void *known_ctx;
	time_t started;
};

static struct file_stamp
stamp_of(const struct stat *st)
{
	return (struct file_stamp){ st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		st->st_ctim.tv_sec, st->st_ctim.tv_nsec, st->st_size, st->st_ino };
}

static bool
same_stamp(const struct file_stamp *x, const struct file_stamp *y)
{
	return x->mtime_s == y->mtime_s && x->mtime_ns == y->mtime_ns &&
	    x->ctime_s == y->ctime_s && x->ctime_ns == y->ctime_ns &&
	    x->size == y->size && x->ino == y->ino;
}

/* A file written in the last two seconds may be written again with the
 * same stamp (timestamps have a granularity): it is read every time
 * until it is older, like git's "racily clean" entries. */
static bool
settled(const struct file_stamp *st, time_t now)
{
	return st->mtime_s < (long long)now - 2 && st->ctime_s < (long long)now - 2;
}

static void
read_one(void *ctx, size_t i, int worker)
{
	struct read_job *rj = ctx;
	if (!rj->ok[i] || rj->v[i].lang < 0)
		return;
	struct loader wl = { rj->s, rj->d, &rj->arenas[worker], &rj->bodies[worker],
		NULL, NULL };
	struct parsed *pf = &rj->out[i];
	pf->path = arena_printf(wl.a, "%s/%s", rj->dir, rj->v[i].name);
	/* Stamped before it is read: a file changed meanwhile has another
	 * stamp next time, and is read again then. */
	struct stat st;
	bool stamped = stat(pf->path, &st) == 0;
	struct file_stamp now = stamped ? stamp_of(&st) : (struct file_stamp){ 0 };
	bool trusted = stamped && settled(&now, rj->started);
	struct source_record known;
	if (trusted && rj->known &&
	    rj->known(rj->known_ctx, rj->v[i].name, pf->path, &known, wl.a) &&
	    same_stamp(&known.stamp, &now)) {
		/* As last time: its front matter from the cache (as it was
		 * parsed, checked again below like any), its body only if it
		 * is rendered (load_body).  A damaged record is read anew. */
		pf->fm = known.fm;
		pf->v.path = pf->path;
		pf->v.source_hash = known.source_hash;
		pf->v.body_line = known.body_line;
		pf->src = known;
		pf->recorded = true;
	} else {
		pf->fm = read_article_file(&wl, pf->path, &pf->v, &pf->src,
		    &pf->recorded);
		pf->recorded = pf->recorded && trusted;
	}
	pf->src.name = arena_strdup(wl.a, rj->v[i].name);
	pf->src.stamp = now;
	if (rj->v[i].lang == LANG_ZH)
		pf->article = load_zh_article(&wl, pf, arena_strdup(wl.a, rj->v[i].slug));
	else
		load_en_version(&wl, pf);
}

/* Reading, decoding and parsing the front matter of every article file,
 * and typing an original's, is most of loading, and each file is on its
 * own: all are done first, on `threads` threads, each into its own
 * arena.  Diagnostics are sorted when printed, so the thread count
 * changes nothing. */
static struct parsed *
read_all(struct loader *l, const char *dir, const struct entry *v,
    const bool *ok, size_t n, int threads)
{
	if (threads < 1)
		threads = 1;
	struct parsed *out = xcalloc(n ? n : 1, sizeof(*out));
	struct arena *arenas = xcalloc((size_t)threads, sizeof(*arenas));
	struct arena *bodies = xcalloc((size_t)threads, sizeof(*bodies));
	for (int i = 0; i < threads; i++) {
		arena_init(&arenas[i]);
		arena_init_blocks(&bodies[i], 4u << 20);
	}
	struct read_job rj = { l->s, l->d, arenas, bodies, dir, v, ok, out,
		l->known, l->known_ctx, time(NULL) };
	pool_run(threads, n, read_one, &rj);
	for (int i = 0; i < threads; i++) {
		arena_adopt(l->a, &arenas[i]);
		arena_adopt(&l->s->bodies, &bodies[i]);
	}
	free(arenas);
	free(bodies);
	return out;
}

/* Two files of one language with one slug, in different folders: an
 * error naming both, and only the first (by path) is read. */
static const struct entry *sort_entries_base;

static int
by_lang_slug(const void *pa, const void *pb)
{
	const struct entry *a = &sort_entries_base[*(const size_t *)pa];
	const struct entry *b = &sort_entries_base[*(const size_t *)pb];
	if (a->lang != b->lang)
		return a->lang - b->lang;
	int c = strcmp(a->slug, b->slug);
	return c != 0 ? c : strcmp(a->name, b->name);
}

static size_t *
check_duplicate_slugs(struct loader *l, const char *dir, const struct entry *v,
    bool *ok, size_t n, size_t *n_files)
{
	size_t *idx = xcalloc(n ? n : 1, sizeof(*idx));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (ok[i] && v[i].lang >= 0)
			idx[k++] = i;
	sort_entries_base = v;   /* loading is single-threaded here */
	qsort(idx, k, sizeof(*idx), by_lang_slug);
	for (size_t j = 1; j < k; j++) {
		const struct entry *a = &v[idx[j - 1]], *b = &v[idx[j]];
		if (a->lang != b->lang || strcmp(a->slug, b->slug) != 0)
			continue;
		struct pos at = { arena_printf(l->a, "%s/%s", dir, b->name), 0, 0 };
		diag(l->d, &at, D_SLUG_TWICE, b->slug,
		    arena_printf(l->a, "%s/%s", dir, a->name));
		ok[idx[j]] = false;
	}
	*n_files = k;
	return idx;
}

/* True when a zh file with this slug was found (loaded or not).  idx is
 * sorted by language, then slug (check_duplicate_slugs): a binary search,
 * so that checking every translation is not quadratic in the archive. */
static bool
has_original(const struct entry *v, const size_t *idx, size_t k, const char *slug)
{
	size_t lo = 0, hi = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct entry *e = &v[idx[mid]];
		int c = e->lang != LANG_ZH ? (e->lang < LANG_ZH ? -1 : 1) :
		    strcmp(e->slug, slug);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The zh originals read become the site's articles, sorted (drafts left
 * out unless asked for, and named), their local terms the glossary's. */
static void
keep_originals(struct loader *l, const struct load_options *opt,
    struct gloss_list *gl, const struct entry *v, const bool *ok,
    const struct parsed *pf, size_t n)
{
	struct article **list = ARENA_ARRAY(l->a, struct article *, n ? n : 1);
	const char **drafts = ARENA_ARRAY(l->a, const char *, n ? n : 1);
	size_t count = 0, n_drafts = 0;
	for (size_t i = 0; i < n; i++) {
		struct article *a = ok[i] && v[i].lang == LANG_ZH ? pf[i].article : NULL;
		if (a == NULL)
			continue;
		for (size_t k = 0; k < a->n_local_glossary; k++)
			gloss_push(gl, a->local_glossary[k]);
		if (!a->draft || opt->drafts)
			list[count++] = a;
		else
			drafts[n_drafts++] = a->slug;
	}
	qsort(drafts, n_drafts, sizeof(*drafts), compare_strings);
	l->s->drafts_left_out = drafts;
	l->s->n_drafts_left_out = n_drafts;
	l->s->articles = list;
	l->s->n_articles = count;
	resolve_sort_articles(l->s);
}

/* Loads the zh originals first, then attaches translations to them. */
static void
load_articles(struct loader *l, const struct load_options *opt,
    struct gloss_list *gl)
{
	const char *dir = content_path(l, "articles");
	char *real = realpath(dir, NULL);
	if (real != NULL) {
		l->s->articles_real = arena_strdup(l->a, real);
		free(real);
	}
	size_t n;
	struct entry *v = list_articles_dir(l, dir, &n);
	bool *ok = xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		ok[i] = classify_entry(l, dir, &v[i]);
	size_t n_files;
	size_t *by_slug = check_duplicate_slugs(l, dir, v, ok, n, &n_files);
	struct parsed *pf = read_all(l, dir, v, ok, n, opt->threads);
	struct source_records *rec = opt->records;
	if (rec != NULL) {
		rec->list = ARENA_ARRAY(l->a, struct source_record, n ? n : 1);
		rec->n = 0;
		for (size_t i = 0; i < n; i++)
			if (pf[i].recorded)
				rec->list[rec->n++] = pf[i].src;
	}
	keep_originals(l, opt, gl, v, ok, pf, n);
	for (size_t i = 0; i < n; i++) {
		if (!ok[i] || v[i].lang != LANG_EN)
			continue;
		struct article *a = site_find_article(l->s, v[i].slug);
		if (!has_original(v, by_slug, n_files, v[i].slug)) {
			struct pos at = { pf[i].path, 1, 1 };
			diag(l->d, &at, D_TRANSLATION_ORPHAN,
			    arena_printf(l->a, "%s.zh.md", v[i].slug));
		}
		attach_en_version(&pf[i], a);
	}
	free(by_slug);
	free(pf);
	attach_assets(l, dir, v, n, ok);
	if (n == 0) {
		struct pos at = { dir, 0, 0 };
		diag(l->d, &at, D_NO_ARTICLES, dir);
	}
	free(ok);
	free_entries(v, n);
}

/* What haichao reads in content/: anything else there is a warning, so
 * that nothing is left out without a word (a symbolic link to a folder,
 * an images/ folder that belongs in an article's asset folder). */
static const char *const content_known[] = {
	"site.yaml", "taxonomy.yaml", "glossary.yaml", "articles",
};

static void
warn_unused_content(struct loader *l)
{
	DIR *dh = opendir(l->s->content_dir);
	if (dh == NULL)
		return;   /* site.yaml's error says so */
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.' || input_is_scratch(de->d_name))
			continue;
		bool known = false;
		for (size_t i = 0; i < sizeof(content_known) / sizeof(*content_known); i++)
			known = known || strcmp(de->d_name, content_known[i]) == 0;
		if (known)
			continue;
		const char *path = content_path(l, de->d_name);
		struct stat st;
		const char *what = lstat(path, &st) != 0 ? "a file" :
		    S_ISLNK(st.st_mode) ? "a symbolic link (not followed)" :
		    S_ISDIR(st.st_mode) ? "a folder" : "a file";
		struct pos at = { path, 0, 0 };
		diag(l->d, &at, D_CONTENT_UNUSED, what);
	}
	closedir(dh);
}

struct site *
site_load(const struct load_options *opt, struct diags *d)
{
	struct site *s = site_new();
	struct loader l = { s, d, &s->arena, NULL, opt->known, opt->known_ctx };
	s->content_dir = arena_strdup(&s->arena, opt->content_dir);
	struct gloss_list gl = { NULL, 0, 0 };
	load_site_yaml(&l, opt);
	load_taxonomy(&l);
	load_glossary(&l, &gl);
	warn_unused_content(&l);
	s->n_site_glossary = gl.n;
	load_articles(&l, opt, &gl);
	s->glossary = ARENA_ARRAY(&s->arena, struct gloss_term *, gl.n ? gl.n : 1);
	if (gl.n)
		memcpy(s->glossary, gl.items, gl.n * sizeof(*gl.items));
	s->n_glossary = gl.n;
	free(gl.items);
	resolve_site(s, d);
	return s;
}
