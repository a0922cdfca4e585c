/* match.c — glossary term matcher: a DFA run backwards over the text
 * records where terms start, then a forward greedy pass (see match.h). */
#include "match.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/*
 * Word boundaries become symbols. Text and terms are read as strings over
 * 257 symbols: the 256 bytes plus MARK, which stands between two bytes
 * exactly when one is ASCII alnum and the other is not, and at either end
 * of the text next to an alnum byte. Terms are marked the same way inside
 * and get a leading (trailing) MARK if their first (last) byte is alnum.
 * A term then occurs where the boundary rules allow it exactly when its
 * marked form occurs in the marked text, so matching needs no boundary
 * checks and "the longest candidate fails its boundary" cannot happen:
 * the failing candidate simply is not a match.
 *
 * Leftmost-longest without rescanning. A forward automaton learns matches
 * at their end, but the greedy rule picks by start; committing a match and
 * restarting after it rescans up to one term length per match (terms "a"
 * and "aaa…ab" on "aaaa…" cost text × term length). So the automaton is
 * built over reversed marked terms and the text is run backwards: the
 * state at position p then names the longest term starting at p, in O(1)
 * through a precomputed per-state answer. The backward run notes the
 * positions that have an answer; a forward greedy pass over those notes
 * reports the matches. Both passes are linear.
 *
 * The backward run is a DFA over byte classes. Bytes that occur in some
 * term get a class each; every other byte acts alike, so those share one
 * class per alnum-ness (~70 classes for CJK terms). A DFA state is an
 * Aho–Corasick state reached by reading a byte: its last byte tells
 * whether a MARK comes before the next byte (alnum-ness changes), so one
 * table entry covers "MARK if due, then the byte" and the text needs no
 * per-byte boundary test. Only the empty state does not know its last
 * byte; it is split in two. Each state's answer for "the longest term
 * starting here" comes from the AC output of the state itself, or, after
 * an alnum byte, of the state that follows reading the MARK before it —
 * which is due exactly when the byte before is not alnum (or p == 0), so
 * that test is made only at states that have such an answer.
 *
 * Rows cost (classes + 1) words per state, so only the shallowest states
 * (breadth-first, up to DENSE_MAX_BYTES) get one; deeper states — rarely
 * visited, as most text is at most a few bytes into any term — keep their
 * few edges in a sorted list and fall back to their failure state, whose
 * row exists because it is shallower. Memory stays O(total term bytes).
 * Dense states are numbered silent ones first, so the hot loop is a load
 * from the table and one comparison per byte.
 *
 * The backward run needs one note per text position at worst, so to keep
 * scratch small the text is done in blocks of starting positions. A state
 * depends only on the last max_len bytes read, so a block's run starts
 * max_len bytes past its end; blocks of at least 4 × max_len bound that
 * overlap to 25%, and the usual case fits a stack buffer.
 */

#define MARK 256u
/* Bytes of rows; states beyond the budget are sparse. Starting positions
 * per block, on the stack. Both overridable only so tests can reach
 * sparse states, block seams and the heap fallback with small inputs. */
#ifndef DENSE_MAX_BYTES
#define DENSE_MAX_BYTES (2u << 20)
#endif
#ifndef SCAN_BLOCK
#define SCAN_BLOCK 1024
#endif

/* A state's answer, packed: term number << 1 | 1 if the term starts with an
 * alnum byte (and so needs a non-alnum byte, or nothing, before it). */
#define NO_ANSWER UINT32_MAX

/* Trie node while terms are being added: sorted sibling lists. */
struct bnode {
	uint32_t child; /* first child; 0 = none, as the root is no child */
	uint32_t next;  /* next sibling, in increasing sym order */
	int32_t term;   /* index into the term table, or -1 */
	uint16_t sym;
};

/* A state without a row: its own edges, then its failure state's. */
struct sparse {
	uint32_t nedges;        /* all of them, sorted by class */
	uint32_t dst0;          /* the first edge, inline, if any */
	uint32_t edges;         /* the others: sp_cls / sp_dst from here */
	uint32_t fail;          /* a ref, shallower */
	uint32_t answer;
	uint8_t cls0;
};

/* Where a term may start, found by the backward run. */
struct note {
	size_t pos;
	int32_t term;
};

struct matcher {
	/* Build phase; bn is freed by matcher_compile. */
	struct bnode *bn;
	size_t nbn, capbn;

	/* Term table, indexed by term number. */
	int *term_id;
	size_t *term_len; /* in text bytes, without marks */
	size_t nterms, capterms;
	size_t max_len;

	bool compiled;

	/* DFA. States are named by refs: a ref below dense_lim is the offset
	 * of the state's row in dense (row = ncls transitions, then the
	 * answer), and refs below quiet_lim are rows without an answer;
	 * a ref from dense_lim on is sparse[ref - dense_lim]. Ref 0 is the
	 * start state (empty, after a non-alnum byte or the end of text). */
	uint8_t cls[256];
	uint32_t ncls;
	uint32_t quiet_lim, dense_lim;
	uint32_t *dense;
	struct sparse *sparse;
	uint8_t *sp_cls; /* edges of sparse states, sorted by class */
	uint32_t *sp_dst;
};

static void
die(const char *msg)
{
	fprintf(stderr, "haichao: %s\n", msg);
	abort();
}

/* ASCII only on purpose: bytes of multibyte UTF-8 are never "letters". */
static inline bool
is_alnum(unsigned char c)
{
	unsigned lower = c | 0x20u;
	return (c >= '0' && c <= '9') || (lower >= 'a' && lower <= 'z');
}

struct matcher *
matcher_new(void)
{
	struct matcher *m = xcalloc(1, sizeof *m);
	m->capbn = 64;
	m->bn = xmalloc(m->capbn * sizeof *m->bn);
	m->bn[0] = (struct bnode){ .child = 0, .next = 0, .term = -1, .sym = 0 };
	m->nbn = 1;
	return m;
}

/* Returns parent's child on sym, creating it in sibling order if absent. */
static uint32_t
bn_child(struct matcher *m, uint32_t parent, unsigned sym)
{
	/* Grow first: the walk below holds a pointer into m->bn. */
	if (m->nbn == m->capbn) {
		if (m->capbn >= UINT32_MAX / 2)
			die("too many glossary terms");
		m->capbn *= 2;
		m->bn = xrealloc(m->bn, m->capbn * sizeof *m->bn);
	}
	uint32_t *link = &m->bn[parent].child;
	while (*link != 0 && m->bn[*link].sym < sym)
		link = &m->bn[*link].next;
	if (*link != 0 && m->bn[*link].sym == sym)
		return *link;
	uint32_t n = (uint32_t)m->nbn++;
	m->bn[n] = (struct bnode){ .child = 0, .next = *link, .term = -1,
	                           .sym = (uint16_t)sym };
	*link = n;
	return n;
}

static int32_t
new_term(struct matcher *m, size_t len, int id)
{
	if (m->nterms == m->capterms) {
		if (m->capterms >= INT32_MAX / 2)
			die("too many glossary terms");
		m->capterms = m->capterms ? 2 * m->capterms : 64;
		m->term_id = xrealloc(m->term_id, m->capterms * sizeof *m->term_id);
		m->term_len = xrealloc(m->term_len,
		                       m->capterms * sizeof *m->term_len);
	}
	m->term_id[m->nterms] = id;
	m->term_len[m->nterms] = len;
	if (len > m->max_len)
		m->max_len = len;
	return (int32_t)m->nterms++;
}

void
matcher_add(struct matcher *m, const char *term, size_t len, int id)
{
	if (m->compiled)
		die("matcher_add called after matcher_compile");
	if (len == 0)
		return;
	const unsigned char *t = (const unsigned char *)term;
	/* Insert the marked term back to front (see the design note). */
	uint32_t node = 0;
	if (is_alnum(t[len - 1]))
		node = bn_child(m, node, MARK);
	for (size_t i = len; i-- > 0;) {
		node = bn_child(m, node, t[i]);
		bool mark = i > 0 ? is_alnum(t[i - 1]) != is_alnum(t[i])
		                  : is_alnum(t[0]);
		if (mark)
			node = bn_child(m, node, MARK);
	}
	if (m->bn[node].term < 0) /* else a duplicate: the first id stays */
		m->bn[node].term = new_term(m, len, id);
}

/* ---- compiling ---------------------------------------------------------
 *
 * The trie is renumbered breadth-first, which puts each node's children
 * next to each other in symbol order (so a MARK child comes last), and
 * makes every failure link point to a smaller number. */

/* The DFA's states: node 0 stands for the start state (empty, last byte
 * not alnum), ALNUM_ROOT for the empty state after an alnum byte, and
 * every other node ending in a byte for itself. */
#define ALNUM_ROOT UINT32_MAX

struct build {
	uint32_t n;        /* trie nodes */
	uint16_t *sym;
	int32_t *term;
	uint32_t *first;   /* children are first[v] .. first[v + 1] - 1 */
	uint32_t *fail;
	int32_t *out;      /* longest term read so far by the AC automaton */
	int32_t *out_mark; /* the same after one more MARK (byte nodes only) */
	uint32_t *ref;     /* DFA ref of each node that ends in a byte */
	uint32_t alnum_root_ref;
	bool cls_alnum[256];
	uint32_t *states;  /* DFA states breadth-first: rows, then sparse */
	uint32_t nstates, nrows;
};

static void
trie_from_build(struct build *b, const struct bnode *bn, uint32_t n)
{
	uint32_t *order = xmalloc(n * sizeof *order);
	b->n = n;
	b->sym = xmalloc(n * sizeof *b->sym);
	b->term = xmalloc(n * sizeof *b->term);
	b->first = xmalloc(((size_t)n + 1) * sizeof *b->first);
	uint32_t tail = 1;
	order[0] = 0;
	for (uint32_t v = 0; v < n; v++) {
		const struct bnode *node = &bn[order[v]];
		b->sym[v] = node->sym;
		b->term[v] = node->term;
		b->first[v] = tail;
		for (uint32_t c = node->child; c != 0; c = bn[c].next)
			order[tail++] = c;
	}
	b->first[n] = tail;
	free(order);
}

static inline bool
has_mark_child(const struct build *b, uint32_t v)
{
	uint32_t last = b->first[v + 1];
	return last > b->first[v] && b->sym[last - 1] == MARK;
}

/* v's child on sym, or 0. Build time only. */
static uint32_t
goto_child(const struct build *b, uint32_t v, unsigned sym)
{
	uint32_t lo = b->first[v], hi = b->first[v + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->sym[mid] == sym)
			return mid;
		if (b->sym[mid] < sym)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The AC transition from f on sym when it leads to a child somewhere
 * down f's failure chain, else the root. */
static uint32_t
fail_step(const struct build *b, uint32_t f, unsigned sym)
{
	for (;;) {
		uint32_t g = goto_child(b, f, sym);
		if (g != 0 || f == 0)
			return g;
		f = b->fail[f];
	}
}

/* Aho–Corasick failure links and outputs, in breadth-first order so that
 * everything a node refers to is done. */
static void
link_trie(struct build *b)
{
	uint32_t n = b->n;
	b->fail = xmalloc(n * sizeof *b->fail);
	b->out = xmalloc(n * sizeof *b->out);
	b->out_mark = xmalloc(n * sizeof *b->out_mark);
	b->fail[0] = 0;
	b->out[0] = -1;
	b->out_mark[0] = -1; /* a lone MARK is no term */
	for (uint32_t u = 0; u < n; u++) {
		for (uint32_t v = b->first[u]; v < b->first[u + 1]; v++) {
			uint32_t f = u == 0 ? 0 : fail_step(b, b->fail[u], b->sym[v]);
			b->fail[v] = f;
			b->out[v] = b->term[v] >= 0 ? b->term[v] : b->out[f];
		}
		/* Here the MARK child (done above) or the failure node
		 * (shallower, so done before) gives the answer. */
		if (u != 0 && b->sym[u] != MARK)
			b->out_mark[u] = has_mark_child(b, u)
			                     ? b->out[b->first[u + 1] - 1]
			                     : b->out_mark[b->fail[u]];
	}
}

/* Bytes that occur in terms get a class each; the others share one class
 * per alnum-ness, which is all a MARK needs to know about them. */
static void
make_classes(struct matcher *m, struct build *b)
{
	bool used[256] = { false };
	for (uint32_t v = 1; v < b->n; v++)
		if (b->sym[v] != MARK)
			used[b->sym[v]] = true;
	int other[2] = { -1, -1 };
	uint32_t n = 0;
	for (unsigned c = 0; c < 256; c++) {
		bool a = is_alnum((unsigned char)c);
		if (!used[c] && other[a] >= 0) {
			m->cls[c] = (uint8_t)other[a];
			continue;
		}
		if (!used[c])
			other[a] = (int)n;
		b->cls_alnum[n] = a;
		m->cls[c] = (uint8_t)n++;
	}
	m->ncls = n;
}

static inline bool
byte_alnum(const struct build *b, uint32_t v)
{
	return is_alnum((unsigned char)b->sym[v]);
}

/* The longest term starting where state v was entered, packed. After an
 * alnum byte that is a term with a leading MARK, so the output of
 * reading a MARK next. */
static uint32_t
state_answer(const struct build *b, uint32_t v)
{
	if (v == ALNUM_ROOT || v == 0)
		return NO_ANSWER;
	bool a = byte_alnum(b, v);
	int32_t term = a ? b->out_mark[v] : b->out[v];
	return term < 0 ? NO_ANSWER : (uint32_t)term << 1 | a;
}

/* Lists the states breadth-first (so failure states come first), gives
 * the first ones rows within the budget, and assigns every state a ref:
 * silent rows, then rows with an answer, then sparse states. */
static void
number_states(struct matcher *m, struct build *b)
{
	uint32_t *st = b->states = xmalloc(((size_t)b->n + 1) * sizeof *st);
	uint32_t n = 0;
	st[n++] = 0;
	st[n++] = ALNUM_ROOT;
	for (uint32_t v = 1; v < b->n; v++)
		if (b->sym[v] != MARK)
			st[n++] = v;
	size_t stride = (size_t)m->ncls + 1;
	size_t nrows = DENSE_MAX_BYTES / (stride * sizeof *m->dense);
	nrows = nrows > n ? n : nrows < 2 ? 2 : nrows;
	if (nrows * stride + (n - nrows) >= UINT32_MAX)
		die("glossary too large");
	b->nstates = n;
	b->nrows = (uint32_t)nrows;
	b->ref = xmalloc(b->n * sizeof *b->ref);
	uint32_t next = 0;
	for (int silent = 1; silent >= 0; silent--) {
		if (!silent)
			m->quiet_lim = next * (uint32_t)stride;
		for (uint32_t i = 0; i < nrows; i++) {
			if ((state_answer(b, st[i]) == NO_ANSWER) != silent)
				continue;
			uint32_t ref = next++ * (uint32_t)stride;
			if (st[i] == ALNUM_ROOT)
				b->alnum_root_ref = ref;
			else
				b->ref[st[i]] = ref;
		}
	}
	m->dense_lim = next * (uint32_t)stride;
	for (uint32_t i = (uint32_t)nrows; i < n; i++)
		b->ref[st[i]] = m->dense_lim + (i - (uint32_t)nrows);
}

static inline uint32_t
state_ref(const struct build *b, uint32_t v)
{
	return v == ALNUM_ROOT ? b->alnum_root_ref : b->ref[v];
}

/* The failure state of a non-empty state, as a ref. Failing to empty
 * keeps the alnum-ness of the byte just read. */
static uint32_t
fail_ref(const struct build *b, uint32_t v)
{
	uint32_t f = b->fail[v];
	if (f != 0)
		return b->ref[f];
	return byte_alnum(b, v) ? b->alnum_root_ref : 0;
}

/* State v's own transitions, as (class, ref) pairs into cls/dst; returns
 * how many. They are its byte children, and the byte children of its
 * MARK child: the bytes of the other alnum-ness, before which a MARK is
 * read. The two empty states both have the root's byte children (never
 * alnum: a term ending in alnum ends in MARK); only the one after a
 * non-alnum byte reads a MARK before an alnum byte. Each of the two runs
 * is sorted by class (classes follow byte order). */
static uint32_t
own_edges(const struct matcher *m, const struct build *b, uint32_t v,
          uint8_t *cls, uint32_t *dst)
{
	uint32_t node = v == ALNUM_ROOT ? 0 : v, n = 0;
	for (uint32_t c = b->first[node]; c < b->first[node + 1]; c++) {
		if (b->sym[c] == MARK)
			continue;
		cls[n] = m->cls[b->sym[c]];
		dst[n++] = b->ref[c];
	}
	if (v == ALNUM_ROOT || !has_mark_child(b, node))
		return n;
	uint32_t mc = b->first[node + 1] - 1;
	for (uint32_t c = b->first[mc]; c < b->first[mc + 1]; c++) {
		cls[n] = m->cls[b->sym[c]];
		dst[n++] = b->ref[c];
	}
	return n;
}

/* A row is its failure state's row with its own edges written over it:
 * the AC transition, resolved once. Rows are filled breadth-first, so
 * the failure state's row is ready. The empty states fall back to the
 * empty state of the byte's alnum-ness. */
static void
fill_rows(struct matcher *m, const struct build *b)
{
	uint8_t cls[512]; /* at most 256 byte children, twice */
	uint32_t dst[512];
	m->dense = xmalloc(m->dense_lim * sizeof *m->dense);
	for (uint32_t i = 0; i < b->nrows; i++) {
		uint32_t v = b->states[i];
		uint32_t *row = m->dense + state_ref(b, v);
		if (v == 0 || v == ALNUM_ROOT) {
			for (uint32_t c = 0; c < m->ncls; c++)
				row[c] = b->cls_alnum[c] ? b->alnum_root_ref : 0;
		} else {
			memcpy(row, m->dense + fail_ref(b, v),
			       m->ncls * sizeof *row);
		}
		uint32_t n = own_edges(m, b, v, cls, dst);
		for (uint32_t e = 0; e < n; e++)
			row[cls[e]] = dst[e];
		row[m->ncls] = state_answer(b, v);
	}
}

/* Sorts the edges by class. They come as two sorted runs (the byte
 * children, the MARK child's), so insertion sort merges them quickly. */
static void
sort_edges(uint8_t *cls, uint32_t *dst, uint32_t n)
{
	for (uint32_t j = 1; j < n; j++) {
		uint8_t c = cls[j];
		uint32_t d = dst[j], k = j;
		for (; k > 0 && cls[k - 1] > c; k--) {
			cls[k] = cls[k - 1];
			dst[k] = dst[k - 1];
		}
		cls[k] = c;
		dst[k] = d;
	}
}

/* States beyond the row budget keep sorted edges (the first inline), a
 * failure ref and their answer. Each trie edge is some sparse state's own
 * edge at most once, so the edge arrays need at most one entry per node. */
static void
fill_sparse(struct matcher *m, const struct build *b)
{
	uint8_t cls[512];
	uint32_t dst[512];
	uint32_t nsp = b->nstates - b->nrows, used = 0;
	m->sparse = xmalloc((nsp ? nsp : 1) * sizeof *m->sparse);
	m->sp_cls = xmalloc(b->n * sizeof *m->sp_cls);
	m->sp_dst = xmalloc(b->n * sizeof *m->sp_dst);
	for (uint32_t i = 0; i < nsp; i++) {
		uint32_t v = b->states[b->nrows + i];
		uint32_t n = own_edges(m, b, v, cls, dst);
		sort_edges(cls, dst, n);
		m->sparse[i] = (struct sparse){
			.dst0 = n > 0 ? dst[0] : 0, .cls0 = n > 0 ? cls[0] : 0,
			.edges = used, .nedges = n,
			.fail = fail_ref(b, v), .answer = state_answer(b, v),
		};
		for (uint32_t e = 1; e < n; e++) {
			m->sp_cls[used] = cls[e];
			m->sp_dst[used++] = dst[e];
		}
	}
}

static void
build_free(struct build *b)
{
	free(b->sym);
	free(b->term);
	free(b->first);
	free(b->fail);
	free(b->out);
	free(b->out_mark);
	free(b->ref);
	free(b->states);
}

void
matcher_compile(struct matcher *m)
{
	if (m->compiled)
		return;
	struct build b = { 0 };
	trie_from_build(&b, m->bn, (uint32_t)m->nbn);
	link_trie(&b);
	make_classes(m, &b);
	number_states(m, &b);
	fill_rows(m, &b);
	fill_sparse(m, &b);
	build_free(&b);
	free(m->bn);
	m->bn = NULL;
	m->compiled = true;
}

/* ---- scanning ---------------------------------------------------------- */

/* The transition from a sparse state: its own edge, else its failure
 * state's transition. Failure states are shallower, so over a run this
 * costs O(1) per byte amortised, as in any Aho–Corasick automaton. */
static uint32_t
sparse_next(const struct matcher *m, uint32_t ref, unsigned c)
{
	for (;;) {
		const struct sparse *sp = &m->sparse[ref - m->dense_lim];
		if (sp->nedges > 0 && sp->cls0 == c) /* most have one edge */
			return sp->dst0;
		for (uint32_t k = 1; k < sp->nedges; k++) {
			uint32_t e = sp->edges + k - 1;
			if (m->sp_cls[e] == c)
				return m->sp_dst[e];
			if (m->sp_cls[e] > c)
				break;
		}
		ref = sp->fail;
		if (ref < m->dense_lim)
			return m->dense[ref + c];
	}
}

/* Steps through silent rows from position q down to lo. Stops after the
 * byte that leads elsewhere; returns its position, or lo. This loop is
 * where nearly all the time goes, hence the unrolling. */
static inline size_t
run_silent(const struct matcher *m, const unsigned char *t, size_t q,
           size_t lo, size_t *refp)
{
	const uint32_t *dense = m->dense;
	const uint8_t *cls = m->cls;
	const size_t quiet_lim = m->quiet_lim;
	size_t ref = *refp; /* size_t: no zero-extension per byte */
	for (; q - lo >= 4; q -= 4) {
		if ((ref = dense[ref + cls[t[q - 1]]]) >= quiet_lim)
			return *refp = ref, q - 1;
		if ((ref = dense[ref + cls[t[q - 2]]]) >= quiet_lim)
			return *refp = ref, q - 2;
		if ((ref = dense[ref + cls[t[q - 3]]]) >= quiet_lim)
			return *refp = ref, q - 3;
		if ((ref = dense[ref + cls[t[q - 4]]]) >= quiet_lim)
			return *refp = ref, q - 4;
	}
	while (q > lo)
		if ((ref = dense[ref + cls[t[--q]]]) >= quiet_lim)
			break;
	*refp = ref;
	return q;
}

/* Notes the answer of state ref, entered at position q, if it has one
 * that the boundary rule allows there: a term led by an alnum byte needs
 * no alnum byte before it. Returns the new note count. */
static inline size_t
note(const struct matcher *m, const unsigned char *t, size_t q, size_t hi,
     uint32_t ref, struct note *notes, size_t n)
{
	uint32_t a = ref < m->dense_lim ? m->dense[ref + m->ncls]
	                                : m->sparse[ref - m->dense_lim].answer;
	if (a != NO_ANSWER && q < hi &&
	    (!(a & 1) || q == 0 || !is_alnum(t[q - 1])))
		notes[n++] = (struct note){ q, (int32_t)(a >> 1) };
	return n;
}

/* Runs the DFA backwards from position q (the text past q unseen) down to
 * lo, noting each p in [lo, hi) where a term starts, highest first.
 * Returns the number of notes. */
static size_t
run_back(const struct matcher *m, const unsigned char *t, size_t q,
         size_t lo, size_t hi, struct note *notes)
{
	size_t ref = 0, n = 0;
	while (q > lo) {
		q = run_silent(m, t, q, lo, &ref);
		if (ref < m->quiet_lim)
			break; /* reached lo */
		n = note(m, t, q, hi, (uint32_t)ref, notes, n);
		/* Sparse states have no row: step them one by one. */
		while (ref >= m->dense_lim && q > lo) {
			ref = sparse_next(m, (uint32_t)ref, m->cls[t[--q]]);
			if (ref >= m->quiet_lim)
				n = note(m, t, q, hi, (uint32_t)ref, notes, n);
		}
	}
	return n;
}

/* Greedy pass over one block's notes, lowest position first, from *pos
 * on; *pos ends past the last match. False if the callback stopped. */
static bool
report(const struct matcher *m, const struct note *notes, size_t n,
       size_t *pos, matcher_found_fn found, void *ctx)
{
	size_t cur = *pos;
	while (n-- > 0) {
		const struct note *nt = &notes[n];
		if (nt->pos < cur)
			continue;
		size_t end = nt->pos + m->term_len[nt->term];
		if (!found(ctx, nt->pos, end, m->term_id[nt->term]))
			return false;
		cur = end;
	}
	*pos = cur;
	return true;
}

void
matcher_scan(const struct matcher *m, const char *text, size_t len,
             matcher_found_fn found, void *ctx)
{
	if (!m->compiled)
		die("matcher_scan called before matcher_compile");
	if (len == 0 || m->nterms == 0)
		return;
	struct note stack_notes[SCAN_BLOCK];
	struct note *notes = stack_notes;
	size_t block = SCAN_BLOCK;
	if (len > SCAN_BLOCK && m->max_len > SCAN_BLOCK / 4) {
		/* Only with very long terms: keep the run-in under 25%. */
		block = m->max_len < len / 4 ? 4 * m->max_len : len;
		notes = xmalloc(block * sizeof *notes);
	}
	const unsigned char *t = (const unsigned char *)text;
	size_t pos = 0;
	while (pos < len) {
		size_t hi = len - pos > block ? pos + block : len;
		size_t q = len - hi > m->max_len ? hi + m->max_len : len;
		size_t n = run_back(m, t, q, pos, hi, notes);
		if (!report(m, notes, n, &pos, found, ctx))
			break;
		if (pos < hi)
			pos = hi;
	}
	if (notes != stack_notes)
		free(notes);
}

void
matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	free(m->bn);
	free(m->term_id);
	free(m->term_len);
	free(m->dense);
	free(m->sparse);
	free(m->sp_cls);
	free(m->sp_dst);
	free(m);
}
