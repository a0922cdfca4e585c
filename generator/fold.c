/* fold.c — search folding (see fold.h). */
#include "fold.h"

#include <pthread.h>

static const struct fold_pair table[] = {
#include "foldtab.inc"
};

const struct fold_pair *
fold_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

/* Half-width and full-width signs outside the full-width ASCII block,
 * and the half-width CJK punctuation, to their usual forms. */
static const struct fold_pair width[] = {
	{ 0xFF61, 0x3002 }, { 0xFF62, 0x300C }, { 0xFF63, 0x300D },
	{ 0xFF64, 0x3001 }, { 0xFFE0, 0xA2 }, { 0xFFE1, 0xA3 },
	{ 0xFFE2, 0xAC }, { 0xFFE3, 0xAF }, { 0xFFE4, 0xA6 },
	{ 0xFFE5, 0xA5 }, { 0xFFE6, 0x20A9 },
};

static uint32_t
lookup(const struct fold_pair *t, size_t n, uint32_t c)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].from == c)
			return t[mid].to;
		if (t[mid].from < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c;
}

static uint32_t
fold_rules(uint32_t c)
{
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			return c + 32;
		return c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
		    c == '\r' ? ' ' : c;
	}
	if (c == 0xA0 || c == 0x3000)
		return ' ';
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	/* Curly quotes as typed on a keyboard: don't finds don’t. */
	if (c == 0x2018 || c == 0x2019)
		return '\'';
	if (c == 0x201C || c == 0x201D)
		return '"';
	if (c >= 0xFF01 && c <= 0xFF5E)
		return fold_rules(c - 0xFEE0);
	if (c >= 0xFF61)
		return lookup(width, sizeof(width) / sizeof(width[0]), c);
	if (c < 0x3400)
		return c;
	return lookup(table, sizeof(table) / sizeof(table[0]), c);
}

/* Every code point of the BMP folded once, by the rules above: the index
 * folds tens of millions of characters, a binary search each was a fifth
 * of a build's time.  256 KiB, filled on first use. */
static uint32_t bmp[0x10000];
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;

static void
fill_bmp(void)
{
	for (uint32_t c = 0; c < 0x10000; c++)
		bmp[c] = fold_rules(c);
}

uint32_t
fold_char(uint32_t c)
{
	if (c >= 0x10000)
		return fold_rules(c);
	pthread_once(&bmp_once, fill_bmp);
	return bmp[c];
}

const uint32_t *
fold_bmp(void)
{
	pthread_once(&bmp_once, fill_bmp);
	return bmp;
}
