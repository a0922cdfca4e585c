/* view.c — the table of template names and the scopes that bind them. */
#include "view.h"

#include "hash.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum var_kind kind;
} vars[] = {
#define X(id, name, kind) { name, kind },
	VIEW_VARS(X)
#undef X
};

int
view_var(const char *name, size_t len)
{
	for (int i = 0; i < VAR_COUNT; i++)
		if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
			return i;
	return -1;
}

const char *
view_var_name(int id)
{
	return vars[id].name;
}

enum var_kind
view_var_kind(int id)
{
	return vars[id].kind;
}

bool
view_names_has(const struct view_names *n, int var)
{
	return (n->set[var >> 6] >> (var & 63)) & 1;
}

/* One level of a names spec, up to its closing brace (or the end). */
static struct view_names *
parse_names(struct arena *a, const char **p, int depth, char *why)
{
	struct view_names *n = ARENA_NEW(a, struct view_names);
	while (**p) {
		*p += strspn(*p, " \t\n");
		if (**p == '}') {
			if (depth == 0)
				break;   /* reported by the caller */
			(*p)++;
			return n;
		}
		if (**p == '\0')
			break;
		size_t len = strcspn(*p, " \t\n{}");
		int v = view_var(*p, len);
		if (v < 0) {
			snprintf(why, 128, "unknown name '%.*s'", (int)(len < 64 ? len : 64), *p);
			return NULL;
		}
		n->set[v >> 6] |= 1ULL << (v & 63);
		*p += len;
		if (**p == '{') {
			(*p)++;
			if (view_var_kind(v) != VK_LIST) {
				snprintf(why, 128, "'%s' is not a list", vars[v].name);
				return NULL;
			}
			if ((n->items[v] = parse_names(a, p, depth + 1, why)) == NULL)
				return NULL;
		}
	}
	if (depth > 0 || **p == '}') {
		snprintf(why, 128, "unbalanced braces");
		return NULL;
	}
	return n;
}

const struct view_names *
view_names_parse(struct arena *a, const char *spec, char *why)
{
	const char *p = spec;
	return parse_names(a, &p, 0, why);
}

struct scope *
scope_new(struct arena *a, const struct scope *parent)
{
	struct scope *s = ARENA_NEW(a, struct scope);
	s->parent = parent;
	s->arena = a;
	return s;
}

_Static_assert(VAR_COUNT <= 128, "struct scope's bound[] holds 128 bits");

static bool
is_bound(const struct scope *s, int var)
{
	return (s->bound[var >> 6] >> (var & 63)) & 1;
}

static struct value *
bind(struct scope *s, int var)
{
	if (is_bound(s, var))
		for (size_t i = 0; i < s->n; i++)
			if (s->b[i].var == var)
				return &s->b[i].v;
	s->bound[var >> 6] |= 1ULL << (var & 63);
	if (s->n == s->cap) {
		/* Most scopes are list items with a handful of values; each
		 * binding is cleared when it is taken, not the array. */
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct binding *b = arena_alloc_uninit(s->arena, cap * sizeof(*b));
		if (s->n)
			memcpy(b, s->b, s->n * sizeof(*b));
		s->b = b;
		s->cap = cap;
	}
	s->b[s->n] = (struct binding){ .var = var };
	return &s->b[s->n++].v;
}

void
scope_text(struct scope *s, int var, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	struct value *v = bind(s, var);
	v->kind = VK_TEXT;
	v->s = text;
	v->len = strlen(text);
}

void
scope_textf(struct scope *s, int var, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	char *p = arena_alloc(s->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	scope_text(s, var, p);
}

void
scope_raw(struct scope *s, int var, const char *html, size_t len)
{
	if (html == NULL || len == 0)
		return;
	struct value *v = bind(s, var);
	v->kind = VK_RAW;
	v->s = html;
	v->len = len;
}

struct scope **
scope_list(struct scope *s, int var, size_t n)
{
	struct scope **items = ARENA_ARRAY(s->arena, struct scope *, n ? n : 1);
	/* An item sees only its own values: a missing summary in one item
	 * must not show the page's summary. */
	for (size_t i = 0; i < n; i++)
		items[i] = scope_new(s->arena, NULL);
	if (n == 0)
		return items;
	struct value *v = bind(s, var);
	v->kind = VK_LIST;
	v->items = items;
	v->src = NULL;
	v->n = n;
	return items;
}

void
scope_lazy_list(struct scope *s, int var, size_t n, const struct list_source *src)
{
	if (n == 0)
		return;
	struct value *v = bind(s, var);
	v->kind = VK_LIST;
	v->items = NULL;
	v->src = src;
	v->n = n;
}

const struct scope *
scope_item(const struct scope *s, const struct value *list, size_t i)
{
	if (list->items)
		return list->items[i];
	struct scope *item = scope_new(s->arena, NULL);
	list->src->bind(list->src->ctx, i, item);
	return item;
}

uint64_t
scope_hash(const struct scope *s, uint64_t h)
{
	if (h == 0)
		h = 14695981039346656037ULL;
	/* Parent scopes are hashed too: a page's values may live there. */
	for (; s != NULL; s = s->parent) {
		for (size_t i = 0; i < s->n; i++) {
			const struct binding *b = &s->b[i];
			uint32_t tag[3] = { (uint32_t)b->var, (uint32_t)b->v.kind,
				(uint32_t)(b->v.kind == VK_LIST ? b->v.n : b->v.len) };
			h = hash_bytes(h, tag, sizeof(tag));
			if (b->v.kind == VK_LIST)
				for (size_t k = 0; k < b->v.n; k++)
					h = scope_hash(scope_item(s, &b->v, k), h);
			else
				h = hash_bytes(h, b->v.s, b->v.len);
		}
		h = hash_bytes(h, "|", 1);
	}
	return h;
}

const struct value *
scope_get(const struct scope *s, int var)
{
	for (; s != NULL; s = s->parent)
		if (is_bound(s, var))
			for (size_t i = 0; i < s->n; i++)
				if (s->b[i].var == var)
					return &s->b[i].v;
	return NULL;
}
