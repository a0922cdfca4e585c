/* link.c — cross-links between articles and references to asset
 * files, resolved while an article renders; anchors checked after. */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

/* ---- cross-links ---------------------------------------------------------- */

/* The folder of a source file under content/articles/, "" or "2024/"
 * (articles may sit in folders; an asset folder sits beside its article). */
static size_t
source_folder(const struct site *s, const char *p, const char **start)
{
	*start = "";
	if (s->content_dir == NULL || p == NULL)
		return 0;
	size_t cl = strlen(s->content_dir);
	if (strncmp(p, s->content_dir, cl) != 0 || strncmp(p + cl, "/articles/", 10) != 0)
		return 0;
	p += cl + 10;
	const char *slash = strrchr(p, '/');
	*start = p;
	return slash ? (size_t)(slash - p) + 1 : 0;
}

static size_t
article_folder(const struct site *s, const struct article *a, const char **start)
{
	return source_folder(s, a->zh.path, start);
}

/* The folder `base` (blen bytes, "" or ending in '/') and then `rel`
 * (rlen bytes) with "." and ".." resolved, into out; false when ".."
 * climbs out of content/articles/. */
static bool
resolve_folder(const char *base, size_t blen, const char *rel, size_t rlen,
    struct buf *out)
{
	buf_reset(out);
	buf_add(out, base, blen);
	const char *p = rel, *end = rel + rlen;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (out->len == 0)
				return false;
			size_t k = out->len - 1;   /* out ends with '/' */
			while (k > 0 && out->data[k - 1] != '/')
				k--;
			out->len = k;
			out->data[k] = '\0';
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			buf_add(out, p, n);
			buf_putc(out, '/');
		}
		p += n + (slash != NULL);
	}
	return true;
}

/* True when the folder part of a cross-link, read from the linking file's
 * folder, is the folder of the target's file. */
static bool
folder_matches(struct walk *w, const char *dir, size_t dir_len,
    const struct article *target, int lang)
{
	if (dir_len == 0)
		return true;   /* by slug alone, wherever the article sits */
	const struct site *s = w->ctx->site;
	const char *from, *to;
	size_t flen = source_folder(s, w->version->path, &from);
	const char *file = lang == LANG_EN ? target->en->path : target->zh.path;
	size_t tlen = source_folder(s, file, &to);
	struct buf b = BUF_INIT;
	bool ok = resolve_folder(from, flen, dir, dir_len, &b) && b.len == tlen &&
	    (tlen == 0 || memcmp(b.data, to, tlen) == 0);
	buf_release(&b);
	return ok;
}

/* Splits "slug.zh.md#anchor" (optionally "./"-prefixed, or a path from
 * the linking file's folder, "../2024/slug.zh.md", as a Markdown editor
 * writes it: *dir_len is the length of its folder part); false when the
 * URL is not a cross-link. */
static bool
parse_cross_link(const char *url, char *slug, size_t slug_cap, int *lang,
    const char **anchor, const char **dir, size_t *dir_len)
{
	size_t scheme = strcspn(url, ":/?#");
	if (url[scheme] == ':' || url[0] == '/' || strchr(url, '?'))
		return false;   /* https:, mailto:, a root path, a query */
	if (strncmp(url, "./", 2) == 0)
		url += 2;
	const char *hash = strchr(url, '#');
	size_t len = hash ? (size_t)(hash - url) : strlen(url);
	*anchor = hash ? hash + 1 : NULL;
	const char *base = url;
	for (const char *p = url; p < url + len; p++)
		if (*p == '/')
			base = p + 1;
	*dir = url;
	*dir_len = (size_t)(base - url);
	len -= *dir_len;
	for (int l = 0; l < LANG_COUNT; l++) {
		char suffix[8];
		snprintf(suffix, sizeof(suffix), ".%s.md", lang_code[l]);
		if (len > 6 && memcmp(base + len - 6, suffix, 6) == 0 &&
		    len - 6 < slug_cap) {
			memcpy(slug, base, len - 6);
			slug[len - 6] = '\0';
			*lang = l;
			return true;
		}
	}
	return false;
}

static void
record_link(struct walk *w, struct article *target)
{
	if (target == w->article)
		return;
	for (size_t i = 0; i < w->n_links; i++)
		if (w->links[i] == target)
			return;
	if (w->n_links == w->cap_links) {
		w->cap_links = w->cap_links ? w->cap_links * 2 : 8;
		w->links = xrealloc(w->links, w->cap_links * sizeof(*w->links));
	}
	w->links[w->n_links++] = target;
}

/* Rewrites a link to another article's source; false when `link` is not
 * one. */
bool
link_rewrite_cross(struct walk *w, cmark_node *link)
{
	const char *url = cmark_node_get_url(link);
	char slug[256];
	int lang;
	const char *anchor, *dir;
	size_t dir_len;
	if (url == NULL || !parse_cross_link(url, slug, sizeof(slug), &lang, &anchor,
	    &dir, &dir_len))
		return false;
	const struct site *s = w->ctx->site;
	struct article *target = site_find_article(s, slug);
	if (target == NULL && site_draft_left_out(s, slug)) {
		struct pos p = walk_source_pos(w, link, url);
		diag(w->ctx->diags, &p, D_XLINK_DRAFT,
		    arena_printf(w->ctx->arena, "%s.%s.md", slug, lang_code[lang]));
		return true;
	}
	if (target != NULL && (lang != LANG_EN || target->en != NULL) &&
	    !folder_matches(w, dir, dir_len, target, lang)) {
		struct pos p = walk_source_pos(w, link, url);
		diag(w->ctx->diags, &p, D_XLINK_MISSING,
		    arena_strndup(w->ctx->arena, dir, dir_len + strlen(slug) + 6));
		return true;
	}
	if (target == NULL || (lang == LANG_EN && target->en == NULL)) {
		/* A file that exists but failed to load has its own errors;
		 * a link to it is not one more. */
		const char *file = arena_printf(w->ctx->arena, "%s/articles/%s.%s.md",
		    s->content_dir, slug, lang_code[lang]);
		if (s->content_dir && access(file, F_OK) == 0)
			return true;
		struct pos p = walk_source_pos(w, link, url);
		diag(w->ctx->diags, &p, D_XLINK_MISSING,
		    arena_printf(w->ctx->arena, "%s.%s.md", slug, lang_code[lang]));
		return true;
	}
	struct pos at = walk_source_pos(w, link, url);
	if (w->n_xrefs == w->cap_xrefs) {
		w->cap_xrefs = w->cap_xrefs ? w->cap_xrefs * 2 : 8;
		w->xrefs = xrealloc(w->xrefs, w->cap_xrefs * sizeof(*w->xrefs));
	}
	w->xrefs[w->n_xrefs++] = (struct xref){ target->slug, (enum lang)lang,
		anchor && *anchor ? arena_strdup(w->ctx->arena, anchor) : NULL,
		at.line, at.col };
	if (anchor != NULL && *anchor != '\0')
		render_expect_anchor(w->ctx, target, (enum lang)lang,
		    w->xrefs[w->n_xrefs - 1].anchor, &at);
	record_link(w, target);
	/* The file name says which language version the link leads to.
	 * Article pages sit three folders below the root on both sides, so
	 * one URL serves the zh and the en page alike. */
	buf_reset(&w->scratch);
	buf_printf(&w->scratch, "../../../%s/articles/%s/index.html",
	    lang_code[lang], slug);
	if (anchor != NULL && *anchor != '\0')
		buf_printf(&w->scratch, "#%s", anchor);
	cmark_node_set_url(link, w->scratch.data);
	return true;
}

/* True when content/articles/<rel> is a regular file that really lies in
 * content/articles: no symbolic link may lead a page to /etc/passwd. */
bool
link_asset_exists(const struct site *s, const char *rel)
{
	if (s->content_dir == NULL || s->articles_real == NULL)
		return false;
	struct buf file = BUF_INIT;
	buf_printf(&file, "%s/articles/%s", s->content_dir, rel);
	struct stat st;
	bool inside = false;
	if (lstat(file.data, &st) == 0 && S_ISREG(st.st_mode)) {
		char *real = realpath(file.data, NULL);
		size_t n = strlen(s->articles_real);
		inside = real != NULL && strncmp(real, s->articles_real, n) == 0 &&
		    real[n] == '/';
		free(real);
	}
	buf_release(&file);
	return inside;
}

static int
hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The file name a URL path names: %XX escapes decoded (`my%20chart.png`
 * is `my chart.png`).  NULL when an escape makes a NUL or a '/'. */
static char *
url_path_decode(struct arena *a, const char *s, size_t len)
{
	char *out = arena_strndup(a, s, len);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int hi = i + 2 < len && s[i] == '%' ? hex_value(s[i + 1]) : -1;
		int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
		if (lo < 0) {
			out[o++] = s[i];
			continue;
		}
		char ch = (char)(hi * 16 + lo);
		if (ch == '\0' || ch == '/')
			return NULL;
		out[o++] = ch;
		i += 2;
	}
	out[o] = '\0';
	return out;
}

/* A file path as a URL path: the bytes a URL cannot hold as they are
 * (space, '%', '#', '?', quotes, controls) percent-encoded; UTF-8 stays,
 * as in any IRI. */
static void
url_path_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7F || strchr("\"%#<>?[\\]^`{|}", *p)) {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

/* The file a reference names, relative to content/articles/ (the
 * article's folder + the path as written, decoded; failing that, as
 * written, for a file whose name holds a literal "%20"); NULL when there
 * is none. */
static const char *
asset_file(struct walk *w, const char *path, size_t len, const char **rel)
{
	const struct site *s = w->ctx->site;
	struct arena *a = w->ctx->arena;
	const char *folder;
	size_t flen = article_folder(s, w->article, &folder);
	const char *tries[2] = { url_path_decode(a, path, len), arena_strndup(a, path, len) };
	for (int i = 0; i < 2; i++) {
		*rel = tries[i];
		if (tries[i] == NULL || strstr(tries[i], "..") || !strchr(tries[i], '/'))
			continue;
		const char *file = arena_printf(a, "%.*s%s", (int)flen, folder, tries[i]);
		if (s->content_dir == NULL || link_asset_exists(s, file))
			return file;
	}
	*rel = tries[1];
	return NULL;
}

/* A relative reference that is not a cross-link names a file in an
 * article's asset folder, written as the Markdown file sees it
 * ("my-slug/chart.png", beside my-slug.zh.md).  Pages sit at
 * <lang>/articles/<slug>/ with their assets beside them, so the URL drops
 * the own slug, or climbs one level for another article's files. */
void
link_rewrite_asset(struct walk *w, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	if (url == NULL || *url == '\0' || *url == '#' || *url == '/' || *url == '?')
		return;
	size_t scheme = strcspn(url, ":/?#");
	if (url[scheme] == ':')
		return;   /* https:, mailto: and the like */
	size_t len = strcspn(url, "?#");
	const char *path = url;
	if (strncmp(path, "./", 2) == 0) {
		path += 2;
		len -= 2;
	}
	const char *rel;
	const char *file = asset_file(w, path, len, &rel);
	if (file == NULL) {
		struct pos p = walk_source_pos(w, node, url);
		diag(w->ctx->diags, &p, D_ASSET_MISSING, rel);
		return;
	}
	if (w->n_assets == w->cap_assets) {
		w->cap_assets = w->cap_assets ? w->cap_assets * 2 : 8;
		w->assets = xrealloc(w->assets, w->cap_assets * sizeof(*w->assets));
	}
	w->assets[w->n_assets++] = file;
	size_t own = strlen(w->article->slug);
	buf_reset(&w->scratch);
	if (strncmp(rel, w->article->slug, own) == 0 && rel[own] == '/') {
		url_path_encode(&w->scratch, rel + own + 1);
	} else {
		buf_puts(&w->scratch, "../");
		url_path_encode(&w->scratch, rel);
	}
	buf_puts(&w->scratch, url + (path - url) + len);
	cmark_node_set_url(node, w->scratch.data);
}

void
render_expect_anchor(struct render_ctx *ctx, struct article *target,
    enum lang lang, const char *anchor, const struct pos *at)
{
	struct anchor_check *c = ARENA_NEW(ctx->arena, struct anchor_check);
	c->target = target;
	c->lang = lang;
	c->anchor = anchor;
	c->pos = *at;
	c->next = ctx->anchors;
	ctx->anchors = c;
}

void
render_check_anchors(const struct anchor_check *c, struct diags *d)
{
	for (; c != NULL; c = c->next) {
		bool found = false;
		const struct version *v = c->lang == LANG_EN && c->target->en
		    ? c->target->en : &c->target->zh;
		for (size_t i = 0; i < v->n_ids && !found; i++)
			found = strcmp(v->ids[i], c->anchor) == 0;
		if (!found)
			diag(d, &c->pos, D_XLINK_ANCHOR, c->anchor,
			    c->lang == LANG_EN ? c->target->en->path : c->target->zh.path);
	}
}
