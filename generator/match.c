/* match.c — glossary term matcher: Aho–Corasick run backwards over
 * boundary-marked text, then a forward greedy pass (see match.h). */
#include "match.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
 * through a precomputed per-state "longest output". A forward greedy pass
 * over those answers reports the matches. Both passes are linear.
 *
 * The backward run needs one answer per text position, so to keep scratch
 * small the text is done in blocks of starting positions. A state depends
 * only on the last max_len bytes read, so a block's run starts max_len
 * bytes past its end; blocks of at least 4 × max_len bound that overlap
 * to 25%, and the usual case fits a stack buffer.
 *
 * Most states keep their edges sorted in shared arrays (searched),
 * so memory is O(total term bytes), not 257 words per state. The few
 * states with many edges — the root and, for CJK, the states one or two
 * bytes deep, which every text byte passes through — get dense tables:
 * they are numbered first so the test is one comparison, and their number
 * is capped so the tables stay under about 1 MiB.
 */

#define MARK 256u
#define NSYM 257u
#define DENSE_MIN_DEGREE 16   /* below this, binary search is cheap enough */
#define DENSE_MAX_STATES 1024 /* × 257 × 4 bytes */
/* Starting positions per block, on the stack. Overridable only so tests can
 * push block seams and the heap fallback with small inputs. */
#ifndef SCAN_BLOCK
#define SCAN_BLOCK 1024
#endif

/* Trie node while terms are being added: sorted sibling lists. */
struct bnode {
	uint32_t child; /* first child; 0 = none, as the root is no child */
	uint32_t next;  /* next sibling, in increasing sym order */
	int32_t term;   /* index into the term table, or -1 */
	uint16_t sym;
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

	/* Automaton: state 0 is the root, and a target of 0 means "no edge".
	 * States below ndense also have dense[state * NSYM + sym]. */
	uint32_t nstates, ndense;
	uint32_t *dense;
	uint32_t *edge_start; /* nstates + 1 entries */
	uint16_t *edge_sym;
	uint32_t *edge_dst;
	uint32_t *fail;
	int32_t *out; /* longest term ending in this state, or -1 */
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

/* The target of s's own edge on sym, or 0. Most states have one or two
 * edges, where a plain loop beats the branches of a binary search. */
static inline uint32_t
edge(const struct matcher *m, uint32_t s, unsigned sym)
{
	uint32_t lo = m->edge_start[s], hi = m->edge_start[s + 1];
	if (hi - lo <= 4) {
		for (; lo < hi; lo++)
			if (m->edge_sym[lo] == sym)
				return m->edge_dst[lo];
		return 0;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		unsigned x = m->edge_sym[mid];
		if (x == sym)
			return m->edge_dst[mid];
		if (x < sym)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Aho–Corasick transition: fall back along failure links until an edge
 * exists; amortised O(1) per symbol since each fallback loses depth. */
static inline uint32_t
step(const struct matcher *m, uint32_t s, unsigned sym)
{
	for (;;) {
		uint32_t t = s < m->ndense ? m->dense[(size_t)s * NSYM + sym]
		                           : edge(m, s, sym);
		if (t != 0 || s == 0)
			return t;
		s = m->fail[s];
	}
}

/* Breadth-first order of the build trie (old numbers), and degrees. */
static void
bfs_order(const struct matcher *m, uint32_t *bfs, uint32_t *deg)
{
	uint32_t tail = 1;
	bfs[0] = 0;
	for (uint32_t i = 0; i < m->nstates; i++) {
		uint32_t u = bfs[i], d = 0;
		for (uint32_t c = m->bn[u].child; c != 0; c = m->bn[c].next, d++)
			bfs[tail++] = c;
		deg[u] = d;
	}
}

/* New numbers: the root and the shallowest high-degree states first, as
 * they get dense tables, then the rest; both groups breadth-first. */
static void
number_states(struct matcher *m, const uint32_t *bfs, const uint32_t *deg,
              uint32_t *newid)
{
	uint32_t n = m->nstates, next = 0;
	for (uint32_t i = 0; i < n; i++) {
		bool dense = i == 0 || (deg[bfs[i]] >= DENSE_MIN_DEGREE &&
		                        next < DENSE_MAX_STATES);
		newid[bfs[i]] = dense ? next++ : UINT32_MAX;
	}
	m->ndense = next;
	for (uint32_t i = 0; i < n; i++)
		if (newid[bfs[i]] == UINT32_MAX)
			newid[bfs[i]] = next++;
}

/* Lays out every state's edges contiguously and sorted, plus the dense
 * tables; old_of[new] gives each state's build node. */
static void
layout_edges(struct matcher *m, const uint32_t *newid, const uint32_t *old_of)
{
	uint32_t n = m->nstates, nedges = 0;
	m->edge_start = xmalloc(((size_t)n + 1) * sizeof *m->edge_start);
	m->edge_sym = xmalloc(n * sizeof *m->edge_sym);
	m->edge_dst = xmalloc(n * sizeof *m->edge_dst);
	m->dense = xcalloc((size_t)m->ndense * NSYM, sizeof *m->dense);
	for (uint32_t u = 0; u < n; u++) {
		m->edge_start[u] = nedges;
		for (uint32_t c = m->bn[old_of[u]].child; c != 0; c = m->bn[c].next) {
			m->edge_sym[nedges] = m->bn[c].sym;
			m->edge_dst[nedges++] = newid[c];
			if (u < m->ndense)
				m->dense[(size_t)u * NSYM + m->bn[c].sym] = newid[c];
		}
	}
	m->edge_start[n] = nedges;
}

/* Failure links and longest outputs, breadth-first (bfs holds new numbers)
 * so that each state's failure target, being shallower, is already done. */
static void
link_states(struct matcher *m, const uint32_t *bfs, const uint32_t *old_of)
{
	uint32_t n = m->nstates;
	m->fail = xmalloc(n * sizeof *m->fail);
	m->out = xmalloc(n * sizeof *m->out);
	m->fail[0] = 0;
	m->out[0] = -1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t u = bfs[i];
		for (uint32_t e = m->edge_start[u]; e < m->edge_start[u + 1]; e++) {
			uint32_t v = m->edge_dst[e];
			uint32_t f = u == 0 ? 0 : step(m, m->fail[u], m->edge_sym[e]);
			int32_t term = m->bn[old_of[v]].term;
			m->fail[v] = f;
			m->out[v] = term >= 0 ? term : m->out[f];
		}
	}
}

void
matcher_compile(struct matcher *m)
{
	if (m->compiled)
		return;
	uint32_t n = m->nstates = (uint32_t)m->nbn;
	uint32_t *bfs = xmalloc(n * sizeof *bfs);
	uint32_t *scratch = xmalloc(n * sizeof *scratch); /* degrees, then old_of */
	uint32_t *newid = xmalloc(n * sizeof *newid);
	bfs_order(m, bfs, scratch);
	number_states(m, bfs, scratch, newid);
	for (uint32_t old = 0; old < n; old++)
		scratch[newid[old]] = old;
	layout_edges(m, newid, scratch);
	for (uint32_t i = 0; i < n; i++)
		bfs[i] = newid[bfs[i]];
	link_states(m, bfs, scratch);
	free(bfs);
	free(scratch);
	free(newid);
	free(m->bn);
	m->bn = NULL;
	m->compiled = true;
}

/* Runs the automaton backwards and stores in best[p - lo], for p in
 * [lo, hi), the longest term starting at p (a term number, or -1). */
static void
fill_best(const struct matcher *m, const unsigned char *t, size_t len,
          size_t lo, size_t hi, int32_t *best)
{
	size_t p = len - hi > m->max_len ? hi + m->max_len : len;
	uint32_t s = 0;
	if (p == len) { /* past the last byte there is only its MARK */
		if (is_alnum(t[len - 1]))
			s = step(m, s, MARK);
		p--;
	}
	bool cur = is_alnum(t[p]);
	for (;;) {
		/* Read byte p, then the MARK before it if alnum-ness changes
		 * there (or p == 0 and t[0] is alnum). At most one of the two
		 * reads finds a term: terms starting with an alnum byte begin
		 * with MARK, the others with the byte itself. */
		s = step(m, s, t[p]);
		int32_t rec = m->out[s];
		bool left = p > 0 && is_alnum(t[p - 1]);
		if (left != cur) {
			s = step(m, s, MARK);
			if (m->out[s] >= 0)
				rec = m->out[s];
		}
		if (p < hi)
			best[p - lo] = rec;
		if (p == lo)
			break;
		p--;
		cur = left;
	}
}

/* Greedy pass over one block; *pos ends at or past hi. False if stopped. */
static bool
report(const struct matcher *m, const int32_t *best, size_t *pos, size_t hi,
       matcher_found_fn found, void *ctx)
{
	size_t lo = *pos, i = lo;
	while (i < hi) {
		int32_t k = best[i - lo];
		if (k < 0) {
			i++;
			continue;
		}
		size_t end = i + m->term_len[k];
		if (!found(ctx, i, end, m->term_id[k]))
			return false;
		i = end;
	}
	*pos = i;
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
	int32_t stack_best[SCAN_BLOCK];
	int32_t *best = stack_best;
	size_t block = SCAN_BLOCK;
	if (len > SCAN_BLOCK && m->max_len > SCAN_BLOCK / 4) {
		/* Only with very long terms: keep the run-in under 25%. */
		block = m->max_len < len / 4 ? 4 * m->max_len : len;
		best = xmalloc(block * sizeof *best);
	}
	const unsigned char *t = (const unsigned char *)text;
	size_t pos = 0;
	while (pos < len) {
		size_t hi = len - pos > block ? pos + block : len;
		fill_best(m, t, len, pos, hi, best);
		if (!report(m, best, &pos, hi, found, ctx))
			break;
	}
	if (best != stack_best)
		free(best);
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
	free(m->edge_start);
	free(m->edge_sym);
	free(m->edge_dst);
	free(m->fail);
	free(m->out);
	free(m);
}
