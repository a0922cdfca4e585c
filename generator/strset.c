/* strset.c — open-addressing string set. */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void
strset_init(struct strset *s)
{
	s->slots = NULL;
	s->values = NULL;
	s->cap = s->len = 0;
}

static size_t
find(char *const *slots, size_t cap, const char *str)
{
	size_t i = (size_t)hash(str) & (cap - 1);
	while (slots[i] != NULL && strcmp(slots[i], str) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
grow(struct strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 16;
	char **slots = xcalloc(cap, sizeof(*slots));
	long *values = xcalloc(cap, sizeof(*values));
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i]) {
			size_t j = find(slots, cap, s->slots[i]);
			slots[j] = s->slots[i];
			values[j] = s->values[i];
		}
	free(s->slots);
	free(s->values);
	s->slots = slots;
	s->values = values;
	s->cap = cap;
}

bool
strset_add(struct strset *s, const char *str)
{
	if ((s->len + 1) * 2 > s->cap)
		grow(s);
	size_t i = find(s->slots, s->cap, str);
	if (s->slots[i] != NULL)
		return false;
	s->slots[i] = xstrdup(str);
	s->len++;
	return true;
}

long
strset_value(const struct strset *s, const char *str)
{
	if (s->cap == 0)
		return -1;
	size_t i = find(s->slots, s->cap, str);
	return s->slots[i] ? s->values[i] : -1;
}

void
strset_put(struct strset *s, const char *str, long value)
{
	strset_add(s, str);
	s->values[find(s->slots, s->cap, str)] = value;
}

bool
strset_has(const struct strset *s, const char *str)
{
	return s->cap > 0 && s->slots[find(s->slots, s->cap, str)] != NULL;
}

void
strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	free(s->values);
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
