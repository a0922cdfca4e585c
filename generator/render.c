/* render.c — Markdown to HTML: cmark's tree, adjusted for haichao's
 * conventions, rendered safely. */
#include "render.h"

#include "annotate.h"
#include "link.h"
#include "walk.h"

#include "mdheap.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "escape.h"
#include "hash.h"
#include "strset.h"
#include "rcache.h"
#include "utf8.h"

static void
list_push(struct node_list *l, cmark_node *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->n++] = n;
}


/* ---- positions ----------------------------------------------------------- */

/* The first occurrence of needle in [p, p + len), or NULL (memmem is not
 * in C11 or POSIX). */
static const char *
find_bytes(const char *p, size_t len, const char *needle, size_t nlen)
{
	if (nlen == 0)
		return p;
	const char *end = p + len;
	while ((size_t)(end - p) >= nlen) {
		const char *c = memchr(p, needle[0], (size_t)(end - p) - nlen + 1);
		if (c == NULL)
			return NULL;
		if (memcmp(c, needle, nlen) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}

/* Start of the line after the one at p (or end). */
static const char *
next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl + 1 : end;
}

/* The start of body line `line` (1-based).  Nodes come in text order, so
 * the walk goes on from the line found last time: all the nodes of a
 * pass cost one pass over the text. */
const char *
walk_line_start(struct walk *w, int line)
{
	struct version *v = w->version;
	const char *end = v->body + v->body_len;
	const char *p = v->body;
	int l = 1;
	if (w->seen_line > 0 && w->seen_line <= line) {
		p = w->seen_ptr;
		l = w->seen_line;
	}
	for (; l < line && p < end; l++)
		p = next_line(p, end);
	w->seen_line = l;
	w->seen_ptr = p;
	return p;
}

/* The byte at 1-based byte column `col` of the line at p.  cmark's
 * columns are trusted, not checked against the line's end (that would
 * cost the line's length per node: quadratic on one long line); a wrong
 * one only moves the position, which is computed from where it lands. */
const char *
walk_at_column(const char *p, const char *end, int col)
{
	size_t want = col > 1 ? (size_t)(col - 1) : 0;
	return want < (size_t)(end - p) ? p + want : end;
}

/* The source position of `node` (cmark records where every inline and
 * block starts and ends), refined to where `needle` (a link's URL, say)
 * occurs inside the node when it does; *found is that spot or NULL.  The
 * cost is the node's own length, never the rest of the text. */
struct pos
walk_source_find(struct walk *w, cmark_node *node, const char *needle,
    const char **found)
{
	struct version *v = w->version;
	cmark_node *n = node;
	while (n && cmark_node_get_start_line(n) == 0)
		n = cmark_node_parent(n);
	int line = n ? cmark_node_get_start_line(n) : 1;
	int col = n ? cmark_node_get_start_column(n) : 1;
	int last = n ? cmark_node_get_end_line(n) : line;
	const char *end = v->body + v->body_len;
	const char *p = walk_line_start(w, line);
	const char *at = walk_at_column(p, end, col);
	/* Where the node ends: its last line's end column, or, when cmark
	 * gives none, the end of that line. */
	int end_col = n ? cmark_node_get_end_column(n) : 0;
	const char *stop = p;
	for (int k = line; k < last && stop < end; k++)
		stop = next_line(stop, end);
	stop = end_col > 0 ? walk_at_column(stop, end, end_col + 1) : next_line(stop, end);
	if (stop < at)
		stop = at;
	const char *hit = needle ?
	    find_bytes(at, (size_t)(stop - at), needle, strlen(needle)) : NULL;
	if (found)
		*found = hit;
	if (hit)
		at = hit;
	/* Line and column of `at`, counting on from the last position
	 * computed when it lies further on from the same line start. */
	const char *q = p;
	int extra = 0, chars = 1;
	if (w->col_block == p && w->col_ptr >= p && w->col_ptr <= at) {
		q = w->col_ptr;
		extra = w->col_extra;
		chars = w->col;
	}
	for (; q < at; q++) {
		if (*q == '\n') {
			extra++;
			chars = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			chars++;
		}
	}
	w->col_block = p;
	w->col_ptr = at;
	w->col_extra = extra;
	w->col = chars;
	struct pos pos = { v->path, v->body_line + line - 1 + extra, chars };
	return pos;
}

struct pos
walk_source_pos(struct walk *w, cmark_node *node, const char *needle)
{
	return walk_source_find(w, node, needle, NULL);
}

/* ---- the dialect ---------------------------------------------------------------- */

/* GitHub's Markdown: tables, ~~strikethrough~~ and bare-URL autolinks are
 * syntax extensions attached to each parser; footnotes are a parser
 * option (CMARK_OPT_FOOTNOTES).  Table cells align with a style attribute,
 * since HTML5 made `align` obsolete.  The extensions are registered once
 * per process: cmark-gfm's registry is global and not thread-safe. */
static const char *const gfm_names[] = { "table", "strikethrough", "autolink" };
enum { GFM_TABLE = 0, GFM_STRIKE = 1, N_GFM = sizeof(gfm_names) / sizeof(*gfm_names) };
static cmark_syntax_extension *gfm_exts[N_GFM];
static pthread_once_t gfm_once = PTHREAD_ONCE_INIT;

/* The table extension's node types and strikethrough's, learnt from a
 * parse (its headers do not export them); 0 until then. */
static cmark_node_type table_type, row_type, cell_type, strike_type;

/* The table extension's rule for what its nodes hold (cmark-gfm's
 * extensions/table.c, can_contain), with one inline more in a cell: a
 * custom one, which is how a glossary note wraps its term (annotate.c).
 * Under the extension's own rule a note could not go into a cell, and
 * the term went with the rest of the cell's text. */
static int
table_can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child)
{
	(void)ext;
	cmark_node_type t = cmark_node_get_type(node);
	if (t == table_type)
		return child == row_type;
	if (t == row_type)
		return child == cell_type;
	if (t != cell_type)
		return 0;
	static const cmark_node_type inlines[] = { CMARK_NODE_TEXT, CMARK_NODE_CODE,
		CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_IMAGE,
		CMARK_NODE_HTML_INLINE, CMARK_NODE_FOOTNOTE_REFERENCE,
		CMARK_NODE_CUSTOM_INLINE };
	for (size_t i = 0; i < sizeof(inlines) / sizeof(*inlines); i++)
		if (child == inlines[i])
			return 1;
	return child == strike_type;
}

/* The types table_can_contain needs, from a small table; true when all
 * were found. */
static bool
learn_table_types(void)
{
	static const char probe[] = "| a |\n|---|\n| ~~b~~ |\n";
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p, gfm_exts[GFM_TABLE]);
	cmark_parser_attach_syntax_extension(p, gfm_exts[GFM_STRIKE]);
	cmark_parser_feed(p, probe, sizeof(probe) - 1);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_iter *it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *name = cmark_node_get_type_string(n);
		cmark_node_type *slot = strcmp(name, "table") == 0 ? &table_type :
		    strcmp(name, "table_header") == 0 || strcmp(name, "table_row") == 0 ? &row_type :
		    strcmp(name, "table_cell") == 0 ? &cell_type :
		    strcmp(name, "strikethrough") == 0 ? &strike_type : NULL;
		if (slot != NULL)
			*slot = cmark_node_get_type(n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return table_type && row_type && cell_type && strike_type;
}

static void
gfm_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	for (size_t i = 0; i < N_GFM; i++)
		gfm_exts[i] = cmark_find_syntax_extension(gfm_names[i]);
	/* Only with every type known: otherwise the extension's own rule
	 * stays, and annotate.c leaves a cell's terms without notes. */
	if (gfm_exts[GFM_TABLE] != NULL && gfm_exts[GFM_STRIKE] != NULL &&
	    learn_table_types())
		cmark_syntax_extension_set_can_contain_func(gfm_exts[GFM_TABLE],
		    table_can_contain);
}

static int
gfm_options(bool unsafe_html)
{
	return CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES |
	    CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES |
	    (unsafe_html ? CMARK_OPT_UNSAFE : 0);
}

/* cmark-gfm keeps the table of characters that start an inline (the
 * extensions' `~`, `w`, `:`) in one global array, which every parse fills
 * when its inlines start and clears when they end: two threads parsing at
 * once clear each other's, and `~~x~~` or a bare URL then stays text.  So
 * the inline pass (cmark_parser_finish) runs one thread at a time; block
 * parsing, the tree walk and the HTML still run in parallel. */
static pthread_mutex_t gfm_inline_lock = PTHREAD_MUTEX_INITIALIZER;

static cmark_node *
gfm_finish(cmark_parser *p)
{
	pthread_mutex_lock(&gfm_inline_lock);
	cmark_node *doc = cmark_parser_finish(p);
	pthread_mutex_unlock(&gfm_inline_lock);
	return doc;
}

/* A parser with the extensions attached.  The HTML renderer takes the
 * parser's list of them, so the parser lives until the document is
 * rendered. */
static cmark_parser *
gfm_parser(int opts, cmark_mem *mem)
{
	pthread_once(&gfm_once, gfm_register);
	cmark_parser *p = cmark_parser_new_with_mem(opts, mem);
	for (size_t i = 0; i < N_GFM; i++)
		if (gfm_exts[i] != NULL)
			cmark_parser_attach_syntax_extension(p, gfm_exts[i]);
	return p;
}

/* True for a GFM table (whose node type the extension makes at run
 * time, so it cannot be a case label). */
static bool
is_table(cmark_node *n)
{
	return gfm_exts[GFM_TABLE] != NULL &&
	    cmark_node_get_syntax_extension(n) == gfm_exts[GFM_TABLE] &&
	    strcmp(cmark_node_get_type_string(n), "table") == 0;
}

/* A table or a code block wider than the text scrolls sideways in a box
 * of its own, so a phone's page never widens (and the text's clip cuts
 * nothing); the box takes the keyboard focus, so that it can be scrolled
 * without a pointer.  `open` is the box's start tag. */
static void
wrap_in_boxes(struct walk *w, const struct node_list *nodes, const char *open)
{
	for (size_t i = 0; i < nodes->n; i++) {
		cmark_node *n = nodes->items[i];
		cmark_node *box = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, w->mem);
		cmark_node_set_on_enter(box, open);
		cmark_node_set_on_exit(box, "</div>");
		cmark_node_insert_before(n, box);
		cmark_node_append_child(box, n);
	}
}

/* ---- gathering ----------------------------------------------------------- */

static bool
is_gloss_url(const char *url)
{
	return url != NULL && strncmp(url, "gloss:", 6) == 0;
}

static void
add_text(struct walk *w, cmark_node *node, bool annotatable)
{
	if (w->n_texts == w->cap_texts) {
		w->cap_texts = w->cap_texts ? w->cap_texts * 2 : 64;
		w->texts = xrealloc(w->texts, w->cap_texts * sizeof(*w->texts));
	}
	w->texts[w->n_texts++] = (struct text_node){ node, annotatable };
}

/* What an ASCII byte does to a word count: starts or continues a Latin
 * word (letters, digits), joins one (' and -), or ends it. */
enum { ASCII_OTHER, ASCII_WORD, ASCII_JOIN };
static const unsigned char ascii_class[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['\''] = 2, ['-'] = 2,
};

/* Han characters and Latin words, for the reading time.  Runs over every
 * character of every article, so the common cases take a few operations
 * each: runs of three-byte sequences (all of the BMP's CJK) and ASCII
 * bytes; anything else goes through utf8_next and is_han. */
static void
count_words(struct version *v, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, han = 0, words = 0;
	bool in_word = false;
	while (i < len) {
		uint32_t c = u[i];
		if (c < 0x80) {
			unsigned k = ascii_class[c];
			words += k == ASCII_WORD && !in_word;
			in_word = k == ASCII_WORD || (in_word && k == ASCII_JOIN);
			i++;
			continue;
		}
		if ((c & 0xF0) == 0xE0 && i + 2 < len &&
		    ((u[i + 1] ^ 0x80u) | (u[i + 2] ^ 0x80u)) < 0x40u) {
			/* nothing from U+0800 on is Latin: the word ends */
			in_word = false;
			do {
				han += is_han3(c, u[i + 1]);
				i += 3;
			} while (i + 2 < len && ((c = u[i]) & 0xF0) == 0xE0 &&
			    ((u[i + 1] ^ 0x80u) | (u[i + 2] ^ 0x80u)) < 0x40u);
			continue;
		}
		c = utf8_next(s, len, &i);
		bool latin = c >= 0xC0 && c < 0x250;
		if (c >= 0x3400 && is_han(c))
			han++;
		words += latin && !in_word;
		in_word = latin;   /* ' and - are ASCII */
	}
	v->han_chars += han;
	v->latin_words += words;
}

/* cmark decodes character references, so `&#1;` or `&#xFFFE;` in the
 * text becomes a code point that HTML forbids and XML (the feeds) cannot
 * carry; each becomes U+FFFD before anything reads the tree. */
static void
scrub_node(struct walk *w, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	buf_reset(&w->scratch);
	if (lit && utf8_scrub(lit, strlen(lit), &w->scratch))
		cmark_node_set_literal(n, w->scratch.data);
	cmark_node_type t = cmark_node_get_type(n);
	const char *title = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE ?
	    cmark_node_get_title(n) : NULL;
	buf_reset(&w->scratch);
	if (title && utf8_scrub(title, strlen(title), &w->scratch))
		cmark_node_set_title(n, w->scratch.data);
	const char *info = t == CMARK_NODE_CODE_BLOCK ?
	    cmark_node_get_fence_info(n) : NULL;
	buf_reset(&w->scratch);
	if (info && utf8_scrub(info, strlen(info), &w->scratch))
		cmark_node_set_fence_info(n, w->scratch.data);
}

/* Raw inline HTML elements whose text is never annotated (unsafe_html):
 * a note's link inside a link, a button or another note's markup would be
 * invalid, and inside a script, style or textarea it would be code. */
static const char *const raw_closed[] = {
	"a", "button", "code", "dfn", "kbd", "label", "math", "noscript",
	"option", "pre", "ruby", "samp", "script", "select", "style", "svg",
	"textarea", "title",
};

/* +1 for an opening tag of a raw_closed element, -1 for its closing
 * tag, 0 for anything else (other tags, comments, `<x/>`). */
static int
raw_element_step(const char *html)
{
	if (html == NULL || html[0] != '<')
		return 0;
	bool closing = html[1] == '/';
	const char *name = html + 1 + closing;
	size_t len = 0;
	while ((name[len] >= 'a' && name[len] <= 'z') ||
	    (name[len] >= 'A' && name[len] <= 'Z') || (len > 0 &&
	    name[len] >= '0' && name[len] <= '9'))
		len++;
	size_t end = strlen(html);
	if (len == 0 || (!closing && end >= 2 && html[end - 2] == '/'))
		return 0;
	for (size_t i = 0; i < sizeof(raw_closed) / sizeof(*raw_closed); i++)
		if (strlen(raw_closed[i]) == len &&
		    strncasecmp(name, raw_closed[i], len) == 0)
			return closing ? -1 : 1;
	return 0;
}

static void
gather(struct walk *w, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	int in_link = 0, in_heading = 0, in_image = 0, in_raw = 0;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int delta = ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (ev == CMARK_EVENT_ENTER && w->scrub)
			scrub_node(w, n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
			in_link += delta;
			if (ev != CMARK_EVENT_ENTER)
				break;
			/* An image's text becomes its alt attribute, where a
			 * note has no marker to link back to: plain text. */
			if (is_gloss_url(cmark_node_get_url(n)))
				list_push(in_image ? &w->alt_glosses : &w->gloss_links, n);
			else if (!link_rewrite_cross(w, n))
				link_rewrite_asset(w, n);
			break;
		case CMARK_NODE_IMAGE:
			in_link += delta;
			in_image += delta;
			if (ev == CMARK_EVENT_ENTER)
				link_rewrite_asset(w, n);
			break;
		case CMARK_NODE_HEADING:
			in_heading += delta;
			if (ev == CMARK_EVENT_ENTER)
				list_push(&w->headings, n);
			break;
		case CMARK_NODE_SOFTBREAK:
			list_push(&w->softbreaks, n);
			break;
		case CMARK_NODE_TEXT: {
			const char *lit = cmark_node_get_literal(n);
			count_words(w->version, lit, strlen(lit));
			add_text(w, n, in_link == 0 && in_heading == 0 && in_raw == 0);
			break;
		}
		case CMARK_NODE_HTML_INLINE:
			in_raw += raw_element_step(cmark_node_get_literal(n));
			if (in_raw < 0)
				in_raw = 0;   /* a closing tag without its opening one */
			break;
		case CMARK_NODE_PARAGRAPH:
			in_raw = 0;   /* inline HTML does not span paragraphs */
			break;
		case CMARK_NODE_CODE_BLOCK:
			list_push(&w->code_blocks, n);
			break;
		default:
			if (ev == CMARK_EVENT_ENTER && is_table(n))
				list_push(&w->tables, n);
			break;
		}
	}
	cmark_iter_free(it);
}

/* ---- CJK line joining ---------------------------------------------------- */

/* The first or last character of the text a node shows, looking into
 * emphasis and links; 0 when it is not text. */
static uint32_t
edge_char(cmark_node *n, bool last)
{
	while (n != NULL) {
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			const char *s = cmark_node_get_literal(n);
			size_t len = strlen(s), i = 0;
			if (len == 0)
				return 0;
			return last ? utf8_last(s, len) : utf8_next(s, len, &i);
		}
		if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
		    t == CMARK_NODE_LINK)
			n = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
		else if (t == CMARK_NODE_FOOTNOTE_REFERENCE)
			/* a footnote's number sits on the text before it */
			n = last ? cmark_node_previous(n) : cmark_node_next(n);
		else
			return 0;
	}
	return 0;
}

/* A line break inside Chinese text is not a space: browsers would show
 * one, so a soft break between two CJK characters is dropped. */
static void
join_cjk_lines(struct walk *w)
{
	for (size_t i = 0; i < w->softbreaks.n; i++) {
		cmark_node *br = w->softbreaks.items[i];
		uint32_t before = edge_char(cmark_node_previous(br), true);
		uint32_t after = edge_char(cmark_node_next(br), false);
		if (is_cjk(before) && is_cjk(after))
			cmark_node_free(br);
	}
}

/* Text cut in two nodes, by a joined line break or a character reference
 * (cmark makes `&amp;` a node of its own), becomes one node again, so that
 * a glossary term across the cut (`出` at the end of one line, `海` at
 * the start of the next) is found like any other.  The HTML is the same. */
static void
merge_texts(struct walk *w)
{
	size_t out = 0;
	for (size_t i = 0; i < w->n_texts;) {
		cmark_node *t = w->texts[i].node;
		size_t j = i + 1;
		if (j < w->n_texts && cmark_node_next(t) == w->texts[j].node) {
			buf_reset(&w->scratch);
			buf_puts(&w->scratch, cmark_node_get_literal(t));
			for (; j < w->n_texts && cmark_node_next(t) == w->texts[j].node; j++) {
				buf_puts(&w->scratch, cmark_node_get_literal(w->texts[j].node));
				cmark_node_free(w->texts[j].node);
			}
			cmark_node_set_literal(t, w->scratch.data);
		}
		w->texts[out++] = w->texts[i];
		i = j;
	}
	w->n_texts = out;
}

/* ---- heading ids ---------------------------------------------------------- */

/* The text of n's inlines.  Iterative: a hostile document nests
 * emphasis hundreds of thousands deep. */
void
walk_plain_text(cmark_node *n, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || c == n)
			continue;
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(out, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(out, ' ');
	}
	cmark_iter_free(it);
}

/* An id keeps CJK characters, lower-cases ASCII letters, turns runs of
 * anything else into one '-'.  It never holds '_' or an upper-case
 * letter, so the ids of templates and notes (main_, n_1, r_1,
 * notes_title), which all do, cannot clash with a heading's. */
static void
make_id(const char *text, struct buf *out)
{
	size_t len = strlen(text), i = 0;
	bool dash = false;
	while (i < len) {
		size_t start = i;
		uint32_t c = utf8_next(text, len, &i);
		bool fullwidth_alnum = (c >= 0xFF10 && c <= 0xFF19) ||
		    (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
		bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z') || fullwidth_alnum ||
		    (is_cjk(c) && c > 0x303F && !(c >= 0xFE30 && c <= 0xFE4F) &&
		    !(c >= 0xFF00 && c <= 0xFFEF));
		if (!keep) {
			dash = out->len > 0;
			continue;
		}
		if (dash)
			buf_putc(out, '-');
		dash = false;
		if (c >= 'A' && c <= 'Z')
			buf_putc(out, (char)(c - 'A' + 'a'));
		else
			buf_add(out, text + start, i - start);
	}
	if (out->len == 0)
		buf_puts(out, "section");
}

/* cmark-gfm's footnotes take the ids "fn-<label>" and "fnref-<label>"
 * (their labels may be ASCII words, as a heading's id is): a heading id of
 * that form gets "h-" in front, so no page holds one id twice. */
static void
footnote_safe_id(struct buf *id)
{
	if (strncmp(id->data, "fn-", 3) != 0 && strncmp(id->data, "fnref-", 6) != 0)
		return;
	char *old = xstrdup(id->data);
	buf_reset(id);
	buf_puts(id, "h-");
	buf_puts(id, old);
	free(old);
}

static void
add_heading_ids(struct walk *w)
{
	struct version *v = w->version;
	v->ids = ARENA_ARRAY(w->ctx->arena, const char *, w->headings.n ? w->headings.n : 1);
	struct buf text = BUF_INIT, id = BUF_INIT;
	struct strset taken;
	strset_init(&taken);
	for (size_t i = 0; i < w->headings.n; i++) {
		cmark_node *h = w->headings.items[i];
		buf_reset(&text);
		buf_reset(&id);
		walk_plain_text(h, &text);
		make_id(text.data ? text.data : "", &id);
		footnote_safe_id(&id);
		strset_unique(&taken, &id);   /* a repeated id gets -2, -3... */
		v->ids[v->n_ids++] = arena_strdup(w->ctx->arena, id.data);
		/* cmark cannot give a heading an id, so the heading becomes a
		 * custom block that writes its own tags around the same inlines. */
		/* An empty custom block keeps the heading a block; the tags
		 * go on a custom inline inside it, so no newlines creep in
		 * between them and the text. */
		int level = cmark_node_get_heading_level(h);
		cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, w->mem);
		cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, w->mem);
		cmark_node_set_on_enter(blk, "");
		cmark_node_set_on_exit(blk, "");
		char digit = (char)('0' + level);   /* cmark's levels are 1 to 6 */
		buf_reset(&text);
		buf_puts(&text, "<h");
		buf_putc(&text, digit);
		buf_puts(&text, " id=\"");
		escape_attr(&text, id.data, id.len);
		buf_puts(&text, "\">");
		cmark_node_set_on_enter(tag, text.data);
		buf_reset(&text);
		buf_puts(&text, "</h");
		buf_putc(&text, digit);
		buf_putc(&text, '>');
		cmark_node_set_on_exit(tag, text.data);
		cmark_node *c;
		while ((c = cmark_node_first_child(h)) != NULL)
			cmark_node_append_child(tag, c);
		cmark_node_append_child(blk, tag);
		cmark_node_replace(h, blk);
		cmark_node_free(h);
	}
	buf_release(&text);
	buf_release(&id);
	strset_free(&taken);
}

/* ---- summary ------------------------------------------------------------------ */

enum { SUMMARY_CHARS = 120 };

/* The opening of the text, cut at a sentence end within the budget (or at
 * the paragraph's end), never inside a UTF-8 sequence. */
static const char *
auto_summary(struct walk *w, cmark_node *doc)
{
	struct buf text = BUF_INIT;
	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		walk_plain_text(n, &text);
		break;
	}
	const char *s = text.data ? text.data : "";
	size_t len = text.len, i = 0, chars = 0, cut = 0;
	while (i < len && chars < SUMMARY_CHARS) {
		uint32_t c = utf8_next(s, len, &i);
		chars++;
		if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '.' ||
		    c == '!' || c == '?')
			cut = i;
	}
	if (i >= len)
		cut = len;
	else if (cut == 0)
		cut = i;
	const char *out = arena_strndup(w->ctx->arena, s, cut);
	if (cut < len && i < len) {
		/* cut mid-sentence: mark it */
		if (cut == i)
			out = arena_printf(w->ctx->arena, "%s…", out);
	}
	buf_release(&text);
	return out;
}

/* ---- a guard for the parser -------------------------------------------------- */

/* cmark-gfm 0.29.0.gfm.6 (Debian's) looks for the end of an inline HTML
 * comment, processing instruction, CDATA section or declaration from
 * every place one opens to the end of the paragraph (later releases
 * remember that there is none): a paragraph that opens many and closes
 * none takes the square of its length, minutes for a few hundred KB.
 * Such a paragraph is refused before anything is parsed. */
static const struct { const char *open, *close; bool letter; } html_openers[] = {
	{ "<!--", "-->", false },
	{ "<?", "?>", false },
	{ "<![CDATA[", "]]>", false },
	{ "<!", ">", true },   /* a declaration: <! and a letter */
};
enum { N_OPENERS = sizeof(html_openers) / sizeof(*html_openers) };

/* Byte steps the scans for closers would take, at most (2^26: some tens
 * of milliseconds; a real article needs a few thousand). */
#define SCAN_BUDGET ((double)(1 << 26))

/* The first line of a paragraph whose open-and-unclosed HTML openers
 * would cost more than the budget, or 0 when there is none. */
static int
unclosed_html_line(const char *s, size_t len)
{
	double cnt[N_OPENERS] = { 0 }, sum[N_OPENERS] = { 0 };
	int line = 1, para_line = 1;
	for (size_t i = 0; i <= len; i++) {
		size_t j = i + 1;
		while (i < len && s[i] == '\n' && j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		bool blank = i == len || (s[i] == '\n' && j < len && s[j] == '\n');
		if (blank) {   /* the paragraph ends: what its scans cost */
			for (int k = 0; k < N_OPENERS; k++)
				if (cnt[k] * (double)i - sum[k] > SCAN_BUDGET)
					return para_line;
			memset(cnt, 0, sizeof(cnt));
			memset(sum, 0, sizeof(sum));
			para_line = line + 1;
		}
		if (i == len)
			break;
		if (s[i] == '\n')
			line++;
		if (s[i] != '<' && s[i] != '>' && s[i] != ']' && s[i] != '-' && s[i] != '?')
			continue;
		for (int k = 0; k < N_OPENERS; k++) {
			const char *o = html_openers[k].open, *cl = html_openers[k].close;
			size_t ol = strlen(o), cll = strlen(cl);
			if (len - i >= cll && memcmp(s + i, cl, cll) == 0)
				cnt[k] = sum[k] = 0;   /* the scans stop here */
			else if (len - i > ol && memcmp(s + i, o, ol) == 0 &&
			    (!html_openers[k].letter || ((s[i + ol] | 0x20) >= 'a' &&
			    (s[i + ol] | 0x20) <= 'z'))) {
				cnt[k]++;
				sum[k] += (double)i;
			}
		}
	}
	return 0;
}

/* Most articles hold no "<!" or "<?" at all: memchr finds that fast. */
static bool
has_html_opener(const char *s, size_t len)
{
	if (len == 0)
		return false;
	const char *end = s + len;
	for (const char *p = s; p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++)
		if (p + 1 < end && (p[1] == '!' || p[1] == '?'))
			return true;
	return false;
}

/* cmark-gfm labels a footnote's way back in English ("Back to
 * content"); a Chinese text's says it in Chinese.  In place (the label is
 * shorter) in `html`, a C string of `len` bytes; the new length. */
static size_t
localise_backrefs(char *html, size_t len)
{
	static const char en[] = " aria-label=\"Back to content\"";
	static const char zh[] = " aria-label=\"返回正文\"";
	size_t from = 0, to = 0;
	const char *hit;
	while ((hit = strstr(html + from, en)) != NULL) {
		size_t at = (size_t)(hit - html);
		memmove(html + to, html + from, at - from);
		to += at - from;
		memcpy(html + to, zh, sizeof(zh) - 1);
		to += sizeof(zh) - 1;
		from = at + sizeof(en) - 1;
	}
	if (to == 0)
		return len;
	memmove(html + to, html + from, len - from);
	to += len - from;
	html[to] = '\0';
	return to;
}

/* ---- the whole ------------------------------------------------------------------ */

/* Over 60 lines: the passes in their order, then every list moved into
 * the arena and freed, in one place so nothing is missed. */
static void
render_version(struct render_ctx *ctx, struct article *a, struct version *v)
{
	const struct site *s = ctx->site;
	int opts = gfm_options(s->unsafe_html);
	/* Everything below is filled afresh, also when this version was
	 * restored from the render cache and its HTML is now needed. */
	v->n_ids = v->n_glossary_used = v->n_links = v->n_xrefs = v->n_assets = 0;
	v->han_chars = v->latin_words = 0;
	/* A body never read (loading took the file from the last build and
	 * the build could not read it now) renders as empty. */
	if (v->body == NULL) {
		v->body = "";
		v->body_len = 0;
	}
	/* cmark's memory: the worker's heap, rewound below, when there is
	 * one (not in sanitizer builds, nor for callers without one). */
	cmark_mem *mem = ctx->md ? md_heap_begin(ctx->md) :
	    cmark_get_default_mem_allocator();
	cmark_parser *parser = gfm_parser(opts, mem);
	int slow = has_html_opener(v->body, v->body_len) ?
	    unclosed_html_line(v->body, v->body_len) : 0;
	if (slow > 0) {
		struct pos p = { v->path, v->body_line + slow - 1, 1 };
		diag(ctx->diags, &p, D_MD_UNCLOSED_HTML);
	}
	cmark_parser_feed(parser, v->body, slow > 0 ? 0 : v->body_len);
	cmark_node *doc = gfm_finish(parser);
	struct walk w = { .ctx = ctx, .mem = mem, .article = a, .version = v,
		.scrub = utf8_scrub_needed(v->body, v->body_len) };
	size_t n_terms = s->n_site_glossary ? s->n_site_glossary : 1;
	w.referenced = xcalloc(n_terms, 1);
	w.annotated = xcalloc(n_terms, 1);
	gather(&w, doc);
	annotate_strip_alt(&w);
	join_cjk_lines(&w);
	merge_texts(&w);
	add_heading_ids(&w);
	wrap_in_boxes(&w, &w.tables, "<div class=\"table\" tabindex=\"0\">");
	wrap_in_boxes(&w, &w.code_blocks, "<div class=\"code\" tabindex=\"0\">");
	annotate_glossary(&w, doc);
	v->auto_summary = auto_summary(&w, doc);
	char *html = cmark_render_html(doc, opts,
	    cmark_parser_get_syntax_extensions(parser));
	cmark_parser_free(parser);
	v->html_len = strlen(html);
	if (v == &a->zh)
		v->html_len = localise_backrefs(html, v->html_len);
	v->html_hash = hash_bytes(HASH_SEED, html, v->html_len);
	bool spilled = ctx->spill && spill_put(ctx->spill, spill_slot(a->index,
	    v == &a->zh ? LANG_ZH : LANG_EN), html, v->html_len);
	v->html = spilled || ctx->drop_html ? NULL :
	    arena_strndup(ctx->arena, html, v->html_len);
	/* The lists gathered on the heap move into the worker's arena. */
	v->glossary_used = arena_copy(ctx->arena, w.uses, w.n_uses, sizeof(*w.uses));
	v->n_glossary_used = w.n_uses;
	v->links = arena_copy(ctx->arena, w.links, w.n_links, sizeof(*w.links));
	v->n_links = w.n_links;
	v->xrefs = arena_copy(ctx->arena, w.xrefs, w.n_xrefs, sizeof(*w.xrefs));
	v->n_xrefs = w.n_xrefs;
	v->assets = arena_copy(ctx->arena, w.assets, w.n_assets, sizeof(*w.assets));
	v->n_assets = w.n_assets;
	free(w.xrefs);
	free(w.assets);
	free(w.links);
	if (ctx->md) {
		md_heap_end(ctx->md);   /* the tree and the HTML, all at once */
	} else {
		mem->free(html);
		cmark_node_free(doc);
	}
	free(w.referenced);
	free(w.annotated);
	free(w.uses);
	free(w.texts);
	free(w.softbreaks.items);
	free(w.headings.items);
	free(w.tables.items);
	free(w.code_blocks.items);
	free(w.gloss_links.items);
	free(w.alt_glosses.items);
	buf_release(&w.scratch);
	strset_free(&w.noted);
}

static void
expect_anchors(struct render_ctx *ctx, const struct version *v)
{
	for (size_t i = 0; i < v->n_xrefs; i++) {
		const struct xref *x = &v->xrefs[i];
		if (x->anchor == NULL)
			continue;
		struct pos at = { v->path, x->line, x->col };
		render_expect_anchor(ctx, site_find_article(ctx->site, x->slug),
		    x->lang, x->anchor, &at);
	}
}

bool
render_reuse(struct render_ctx *ctx, struct article *a, const char *record,
    size_t len)
{
	if (!rcache_restore(record, len, ctx->site, a, ctx->arena, link_asset_exists))
		return false;
	expect_anchors(ctx, &a->zh);
	if (a->en)
		expect_anchors(ctx, a->en);
	return true;
}

void
render_article(struct render_ctx *ctx, struct article *a)
{
	render_version(ctx, a, &a->zh);
	if (a->en != NULL)
		render_version(ctx, a, a->en);
}

char *
render_markdown_plain(const char *md, size_t len, bool unsafe_html)
{
	struct site site;
	memset(&site, 0, sizeof(site));
	site.unsafe_html = unsafe_html;
	struct arena arena;
	arena_init(&arena);
	struct diags d;
	diags_init(&d);
	struct article a;
	memset(&a, 0, sizeof(a));
	/* A version of no language: rendered as cmark-gfm renders it (a
	 * Chinese one's footnote labels are Chinese). */
	struct version v;
	memset(&v, 0, sizeof(v));
	v.path = "test.md";
	v.body = md;
	v.body_len = len;
	v.body_line = 1;
	struct render_ctx ctx = { .site = &site, .diags = &d, .arena = &arena };
	render_version(&ctx, &a, &v);
	char *out = xstrdup(v.html);
	diags_free(&d);
	arena_free(&arena);
	return out;
}

