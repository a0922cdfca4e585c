/* annotate.c — glossary notes: explicit gloss links and automatic
 * first-occurrence annotation, wrapped in note markup and numbered. */
#include "annotate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "escape.h"
#include "match.h"
#include "template.h"

/* ---- glossary notes -------------------------------------------------------- */

/* Gives `term` the next note number, which it returns. */
static int
add_use(struct walk *w, const struct gloss_term *term)
{
	if (w->n_uses == w->cap_uses) {
		w->cap_uses = w->cap_uses ? w->cap_uses * 2 : 16;
		w->uses = xrealloc(w->uses, w->cap_uses * sizeof(*w->uses));
	}
	w->uses[w->n_uses++] = term;
	return (int)w->n_uses;
}

/* Decimal digits of n >= 0 into out (at least 12 bytes); returns the length. */
static size_t
format_number(char *out, int n)
{
	char tmp[12];
	size_t len = 0;
	do {
		tmp[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && len < sizeof(tmp));
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	out[len] = '\0';
	return len;
}

/* The markup around note `number`, of term `t`, written into `wrap`:
 * from partials/note-mark.html (template.h's note_mark), by default the
 * term with its pinyin above it and the note's number, all one link to
 * the note (a tap target the size of the word).  A hundred of these in
 * an article: every byte here is paid a million times in a big archive. */
static void
set_gloss_markup(struct walk *w, cmark_node *wrap, const struct gloss_term *t,
    int number)
{
	struct buf *b = &w->scratch;
	const struct note_mark *m = w->ctx->mark ? w->ctx->mark : note_mark_default();
	/* Hundreds of notes per article: no printf here. */
	char num[16];
	format_number(num, number);
	struct note_fields f = { num, t->pinyin, t->zh, t->en };
	/* In a Chinese text the term needs no language of its own; in a
	 * translation it does. */
	bool translation = w->version != &w->article->zh;
	for (int after = 0; after < 2; after++) {
		buf_reset(b);
		note_mark_write(m, translation, after, &f, b);
		buf_putc(b, '\0');   /* cmark copies a C string */
		(after ? cmark_node_set_on_exit : cmark_node_set_on_enter)(wrap, b->data);
	}
}

/* A note waiting for its number, which comes from its place in the text
 * once every note is known.  The node holds the term (cmark's user data is
 * not const; the term is only read). */
static cmark_node *
pending_wrapper(struct walk *w, const struct gloss_term *term)
{
	cmark_node *wrap = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, w->mem);
	cmark_node_set_user_data(wrap, (void *)term);
	return wrap;
}

/* Numbers the notes in text order and gives them their markup. */
static void
number_notes(struct walk *w, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CUSTOM_INLINE)
			continue;
		const struct gloss_term *t = cmark_node_get_user_data(n);
		if (t == NULL)
			continue;
		set_gloss_markup(w, n, t, add_use(w, t));
		cmark_node_set_user_data(n, NULL);
	}
	cmark_iter_free(it);
}

/* True the first time a note of this kind is seen for `zh`. */
static bool
note_once(struct walk *w, char kind, const char *zh)
{
	struct buf key = BUF_INIT;
	buf_putc(&key, kind);
	buf_puts(&key, zh);
	bool first = strset_add(&w->noted, key.data);
	buf_release(&key);
	return first;
}

static const struct gloss_term *
find_term(struct walk *w, const char *zh)
{
	const struct site *s = w->ctx->site;
	for (size_t i = 0; i < w->article->n_local_glossary; i++)
		if (strcmp(w->article->local_glossary[i]->zh, zh) == 0)
			return w->article->local_glossary[i];
	return site_find_gloss(s, zh);
}

static void unwrap(cmark_node *link);

/* The link replaced by `wrap` holding its children.  Where the parent
 * cannot hold a note (render.c lets a table cell hold one) the link's
 * text stays, without it. */
static void
replace_with_children(cmark_node *link, cmark_node *wrap)
{
	if (!cmark_node_insert_before(link, wrap)) {
		cmark_node_free(wrap);
		unwrap(link);
		return;
	}
	cmark_node *c;
	while ((c = cmark_node_first_child(link)) != NULL)
		cmark_node_append_child(wrap, c);
	cmark_node_free(link);
}

static void
unwrap(cmark_node *link)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(link)) != NULL)
		cmark_node_insert_before(link, c);
	cmark_node_free(link);
}

/* Where the link `[...](gloss: ...)` starts in the source, and whether an
 * explicitly empty title ends it: cmark reports "" for both `(gloss:)` and
 * `(gloss: "")`, but only the second is a note with no English.  The
 * link's last byte is its ')': a title ends just before it with '"',
 * '\'' or ')', a bare destination with ':' or '>'. */
static struct pos
gloss_source(struct walk *w, cmark_node *link, bool *empty_title)
{
	struct pos p = walk_source_find(w, link, NULL, NULL);
	*empty_title = false;
	int last = cmark_node_get_end_line(link);
	int end_col = cmark_node_get_end_column(link);
	const struct version *v = w->version;
	if (last <= 0 || end_col <= 0)
		return p;
	const char *end = v->body + v->body_len;
	const char *close = walk_at_column(walk_line_start(w, last), end, end_col);
	if (close >= end || *close != ')')
		return p;
	const char *b = close;
	while (b > v->body && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n'))
		b--;
	*empty_title = b > v->body && (b[-1] == '"' || b[-1] == '\'' || b[-1] == ')');
	return p;
}

/* An ad-hoc note's title, "meaning" or "pinyin | meaning", split.  The
 * part before the first '|' is pinyin only if it is nothing but Latin
 * letters (with tone marks: two-byte UTF-8), digits, spaces, apostrophes
 * and hyphens, so a meaning that happens to hold a '|' stays whole. */
static void
split_adhoc_title(struct arena *a, const char *title, const char **pinyin,
    const char **en)
{
	*pinyin = NULL;
	*en = title;
	const char *bar = strchr(title, '|');
	if (bar == NULL)
		return;
	for (const unsigned char *c = (const unsigned char *)title;
	    c < (const unsigned char *)bar; c++) {
		if (*c >= 0xc0 && *c < 0xe0 && c + 1 < (const unsigned char *)bar) {
			c++;   /* a two-byte sequence: Latin with a diacritic */
			continue;
		}
		if (!isalnum(*c) && *c != ' ' && *c != '\'' && *c != '-')
			return;
	}
	const char *from = title, *to = bar;
	while (from < to && from[0] == ' ')
		from++;
	while (to > from && to[-1] == ' ')
		to--;
	if (from == to)
		return;
	*pinyin = arena_strndup(a, from, (size_t)(to - from));
	for (bar++; *bar == ' '; bar++)
		;
	*en = bar;
}

static void
apply_gloss_link(struct walk *w, cmark_node *link)
{
	buf_reset(&w->scratch);
	walk_plain_text(link, &w->scratch);
	const char *zh = arena_strdup(w->ctx->arena, w->scratch.data ? w->scratch.data : "");
	const char *title = cmark_node_get_title(link), *pinyin = NULL;
	if (*zh == '\0') {   /* [](gloss: "…"): a note on nothing */
		bool empty;
		struct pos p = gloss_source(w, link, &empty);
		diag(w->ctx->diags, &p, D_GLOSS_NO_TEXT);
		unwrap(link);
		return;
	}
	const struct gloss_term *term = find_term(w, zh);
	if (title != NULL && *title != '\0')
		split_adhoc_title(w->ctx->arena, title, &pinyin, &title);
	if (title != NULL && *title != '\0') {
		if (term != NULL && strcmp(term->en, title) != 0) {
			bool empty;
			struct pos p = gloss_source(w, link, &empty);
			char where[512];
			snprintf(where, sizeof(where), "%s:%d:%d", term->pos.path,
			    term->pos.line, term->pos.col);
			diag(w->ctx->diags, &p, D_GLOSS_CONFLICT, zh, title,
			    term->en, where);
		}
		if (!note_once(w, 'a', zh)) {
			unwrap(link);
			return;
		}
		replace_with_children(link, pending_wrapper(w, gloss_adhoc(w->ctx->arena,
		    zh, pinyin, arena_strdup(w->ctx->arena, title))));
		return;
	}
	bool empty_title = false;
	struct pos p = gloss_source(w, link, &empty_title);
	if (empty_title || pinyin != NULL) {   /* "" or "pinyin |" */
		diag(w->ctx->diags, &p, D_GLOSS_EMPTY, zh, zh);
		unwrap(link);
		return;
	}
	if (term == NULL) {
		diag(w->ctx->diags, &p, D_GLOSS_UNKNOWN, zh);
		unwrap(link);
		return;
	}
	if (!term->local && w->annotated[term->id]) {
		unwrap(link);
		return;
	}
	if (!term->local)
		w->annotated[term->id] = true;
	if (term->local && !note_once(w, 'l', term->zh)) {
		unwrap(link);
		return;
	}
	replace_with_children(link, pending_wrapper(w, term));
}

/* ---- automatic annotation --------------------------------------------------- */

struct found {
	size_t start, end;
	const struct gloss_term *term;   /* NULL: an occurrence not annotated */
};

/* One set of terms being looked for: glossary.yaml's (the site matcher)
 * or the article's own (front matter `glossary:`, a matcher of its own). */
struct term_set {
	const struct matcher *m;
	struct gloss_term *const *terms;   /* by matcher id */
	bool *done;                        /* annotated already */
	bool *skip;                        /* referenced explicitly */
};

struct scan_state {
	const struct term_set *set;
	struct found *found;   /* grows: a paragraph may hold any number */
	size_t n, cap;
	bool keep_all;         /* also the occurrences not annotated */
	const struct scan_state *block;   /* matches to give way to */
	size_t next_block;
};

static void
push_found(struct scan_state *st, struct found f)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->found = xrealloc(st->found, st->cap * sizeof(*st->found));
	}
	st->found[st->n++] = f;
}

/* True when [start, end) overlaps one of st->block's matches; both come
 * in text order, so a cursor finds it. */
static bool
blocked(struct scan_state *st, size_t start, size_t end)
{
	const struct scan_state *b = st->block;
	if (b == NULL)
		return false;
	while (st->next_block < b->n && b->found[st->next_block].end <= start)
		st->next_block++;
	return st->next_block < b->n && b->found[st->next_block].start < end;
}

static bool
on_match(void *ctx, size_t start, size_t end, int id)
{
	struct scan_state *st = ctx;
	const struct term_set *set = st->set;
	if (blocked(st, start, end))
		return true;
	bool first = !set->done[id] && !set->skip[id];
	if (first)
		set->done[id] = true;   /* only the first occurrence */
	if (first || st->keep_all)
		push_found(st, (struct found){ start, end, first ? set->terms[id] : NULL });
	return true;
}

/* The annotated matches of both sets, in text order (they never overlap:
 * the site's gave way to the article's). */
static void
merge_found(struct scan_state *site, const struct scan_state *local)
{
	struct scan_state out = { 0 };
	size_t i = 0, j = 0;
	while (i < site->n || j < local->n) {
		bool take_local = i == site->n ||
		    (j < local->n && local->found[j].start < site->found[i].start);
		const struct found *f = take_local ? &local->found[j++] : &site->found[i++];
		if (f->term != NULL)
			push_found(&out, *f);
	}
	free(site->found);
	*site = out;
}

/* Splits a text node around each match, last match first so earlier
 * offsets stay valid. */
static void
annotate_text(struct walk *w, cmark_node *text, const struct scan_state *st)
{
	/* Where the parent cannot hold a note (render.c lets a table cell
	 * hold one), the text stays as it is rather than lose its tail. */
	cmark_node *probe = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, w->mem);
	bool fits = cmark_node_insert_after(text, probe);
	cmark_node_free(probe);   /* unlinks it */
	if (!fits)
		return;
	const char *lit = cmark_node_get_literal(text);
	char *copy = xstrdup(lit);
	size_t len = strlen(copy);
	size_t tail = len;
	for (size_t k = st->n; k-- > 0;) {
		const struct found *f = &st->found[k];
		if (f->end < tail) {
			cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, w->mem);
			copy[tail] = '\0';
			cmark_node_set_literal(t, copy + f->end);
			cmark_node_insert_after(text, t);
		}
		cmark_node *inner = cmark_node_new_with_mem(CMARK_NODE_TEXT, w->mem);
		copy[f->end] = '\0';
		cmark_node_set_literal(inner, copy + f->start);
		cmark_node *wrap = pending_wrapper(w, f->term);
		cmark_node_append_child(wrap, inner);
		cmark_node_insert_after(text, wrap);
		tail = f->start;
	}
	copy[tail] = '\0';
	cmark_node_set_literal(text, copy);
	free(copy);
}

static void
annotate_all(struct walk *w, const struct term_set *site,
    const struct term_set *local)
{
	for (size_t i = 0; i < w->n_texts; i++) {
		if (!w->texts[i].annotatable)
			continue;
		cmark_node *t = w->texts[i].node;
		const char *lit = cmark_node_get_literal(t);
		size_t len = strlen(lit);
		/* An article's own term wins where it overlaps a glossary.yaml
		 * term, at every occurrence, as if both were one set. */
		struct scan_state lst = { .set = local, .keep_all = true };
		if (local->m != NULL)
			matcher_scan(local->m, lit, len, on_match, &lst);
		struct scan_state st = { .set = site, .block = lst.n ? &lst : NULL };
		if (site->m != NULL)
			matcher_scan(site->m, lit, len, on_match, &st);
		if (lst.n > 0)
			merge_found(&st, &lst);
		if (st.n > 0)
			annotate_text(w, t, &st);
		free(st.found);
		free(lst.found);
	}
}

/* The article's own terms, found like glossary.yaml's: a matcher over
 * them (NULL when it has none) and their flags.  A term of its own with
 * the zh of a glossary.yaml term replaces that term in this article. */
static struct matcher *
local_set(struct walk *w, struct term_set *set)
{
	const struct article *a = w->article;
	size_t n = a->n_local_glossary;
	bool *flags = xcalloc(2 * (n ? n : 1), 1);
	*set = (struct term_set){ NULL, a->local_glossary, flags, flags + (n ? n : 1) };
	if (n == 0)
		return NULL;
	struct matcher *m = matcher_new();
	for (size_t k = 0; k < n; k++) {
		const char *zh = a->local_glossary[k]->zh;
		matcher_add(m, zh, strlen(zh), (int)k);
		const struct gloss_term *g = site_find_gloss(w->ctx->site, zh);
		if (g != NULL && !g->local)
			w->referenced[g->id] = true;
	}
	matcher_compile(m);
	set->m = m;
	return m;
}

/* Marks the terms named by an explicit reference anywhere in the text:
 * the reference takes the annotation from the first occurrence. */
static void
mark_referenced(struct walk *w, struct term_set *local)
{
	for (size_t i = 0; i < w->gloss_links.n; i++) {
		const char *title = cmark_node_get_title(w->gloss_links.items[i]);
		if (title && *title)
			continue;
		buf_reset(&w->scratch);
		walk_plain_text(w->gloss_links.items[i], &w->scratch);
		const struct gloss_term *t = find_term(w, w->scratch.data ? w->scratch.data : "");
		if (t && !t->local)
			w->referenced[t->id] = true;
		for (size_t k = 0; t && t->local && k < w->article->n_local_glossary; k++)
			if (w->article->local_glossary[k] == t)
				local->skip[k] = true;
	}
}

void
annotate_strip_alt(struct walk *w)
{
	for (size_t i = 0; i < w->alt_glosses.n; i++)
		unwrap(w->alt_glosses.items[i]);
}

void
annotate_glossary(struct walk *w, cmark_node *doc)
{
	struct term_set local;
	struct matcher *lm = local_set(w, &local);
	mark_referenced(w, &local);
	w->seen_line = 0;
	w->col_block = w->col_ptr = NULL;
	for (size_t i = 0; i < w->gloss_links.n; i++)
		apply_gloss_link(w, w->gloss_links.items[i]);
	struct term_set site = { w->ctx->glossary, w->ctx->site->glossary,
		w->annotated, w->referenced };
	annotate_all(w, &site, &local);
	number_notes(w, doc);
	if (lm != NULL)
		matcher_free(lm);
	free(local.done);
}

struct matcher *
render_glossary_matcher(const struct site *s)
{
	struct matcher *m = matcher_new();
	for (size_t i = 0; i < s->n_site_glossary; i++) {
		const char *zh = s->glossary[i]->zh;
		matcher_add(m, zh, strlen(zh), (int)i);
	}
	matcher_compile(m);
	return m;
}
