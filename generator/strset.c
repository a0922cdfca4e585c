/* strset.c — open-addressing string set. */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "hash.h"

void
strset_init(struct strset *s)
{
	s->slots = NULL;
	s->values = NULL;
	s->hashes = NULL;
	s->cap = s->len = 0;
	arena_init(&s->strings);
}

/* The slot holding `str`, or the free slot where it would go. */
static size_t
find(const struct strset *s, const char *str, uint64_t h)
{
	size_t i = (size_t)h & (s->cap - 1);
	while (s->slots[i] != NULL && (s->hashes[i] != h || strcmp(s->slots[i], str) != 0))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void
grow(struct strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 16;
	char **slots = xcalloc(cap, sizeof(*slots));
	long *values = xcalloc(cap, sizeof(*values));
	uint64_t *hashes = xcalloc(cap, sizeof(*hashes));
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i]) {
			size_t j = (size_t)s->hashes[i] & (cap - 1);
			while (slots[j] != NULL)
				j = (j + 1) & (cap - 1);
			slots[j] = s->slots[i];
			values[j] = s->values[i];
			hashes[j] = s->hashes[i];
		}
	free(s->slots);
	free(s->values);
	free(s->hashes);
	s->slots = slots;
	s->values = values;
	s->hashes = hashes;
	s->cap = cap;
}

/* Adds str if absent; its slot either way.  *added says which. */
static size_t
insert(struct strset *s, const char *str, bool *added)
{
	if ((s->len + 1) * 2 > s->cap)
		grow(s);
	uint64_t h = hash_str(HASH_SEED, str);
	size_t i = find(s, str, h);
	*added = s->slots[i] == NULL;
	if (*added) {
		s->slots[i] = arena_strdup(&s->strings, str);
		s->hashes[i] = h;
		s->values[i] = 0;
		s->len++;
	}
	return i;
}

bool
strset_add(struct strset *s, const char *str)
{
	bool added;
	insert(s, str, &added);
	return added;
}

long
strset_value(const struct strset *s, const char *str)
{
	if (s->cap == 0)
		return -1;
	size_t i = find(s, str, hash_str(HASH_SEED, str));
	return s->slots[i] ? s->values[i] : -1;
}

void
strset_put(struct strset *s, const char *str, long value)
{
	bool added;
	size_t i = insert(s, str, &added);   /* may move s->values */
	s->values[i] = value;
}

bool
strset_has(const struct strset *s, const char *str)
{
	return s->cap > 0 && s->slots[find(s, str, hash_str(HASH_SEED, str))] != NULL;
}

void
strset_free(struct strset *s)
{
	free(s->slots);
	free(s->values);
	free(s->hashes);
	arena_free(&s->strings);
	strset_init(s);
}

void
strset_unique(struct strset *taken, struct buf *name)
{
	size_t base = name->len;
	char *asked = xstrdup(name->data ? name->data : "");
	long k = strset_value(taken, asked);
	if (k >= 0) {
		for (k = k < 2 ? 2 : k;; k++) {
			name->len = base;
			buf_printf(name, "-%ld", k);
			if (!strset_has(taken, name->data))
				break;
		}
		strset_put(taken, asked, k + 1);
	}
	if (!strset_has(taken, name->data ? name->data : ""))
		strset_put(taken, name->data ? name->data : "", 0);
	free(asked);
}
