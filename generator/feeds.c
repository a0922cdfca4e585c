/* feeds.c — Atom feeds written with libxml2's xmlTextWriter, which does
 * all the escaping. */
#include "feeds.h"

#include <libxml/xmlwriter.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "buf.h"

static void
rfc3339(char *out, size_t cap, const struct date *d)
{
	snprintf(out, cap, "%04d-%02d-%02dT00:00:00Z", d->year, d->month, d->day);
}

/* The date a feed without entries says it was updated: none of its own,
 * so SOURCE_DATE_EPOCH when the environment sets one (reproducible
 * builds), else the epoch; never the clock, so output stays the same. */
static struct date
fallback_date(void)
{
	struct date d = { 1970, 1, 1 };
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long secs = e && *e ? strtoll(e, &end, 10) : -1;
	struct tm tm;
	time_t t = (time_t)secs;
	if (secs >= 0 && end && *end == '\0' && gmtime_r(&t, &tm) != NULL) {
		d.year = tm.tm_year + 1900;
		d.month = tm.tm_mon + 1;
		d.day = tm.tm_mday;
	}
	return d;
}

static const struct date *
last_change(const struct article *a, enum lang lang)
{
	const struct version *v = lang == LANG_EN && a->en ? a->en : &a->zh;
	return v->updated.year ? &v->updated : &a->date;
}

static void
element(xmlTextWriterPtr w, const char *name, const char *text)
{
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text);
}

static void
link(xmlTextWriterPtr w, const char *rel, const char *href, const char *hreflang)
{
	xmlTextWriterStartElement(w, BAD_CAST "link");
	xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel);
	if (strcmp(rel, "self") == 0)
		xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		    BAD_CAST "application/atom+xml");
	else
		xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "text/html");
	if (hreflang)
		xmlTextWriterWriteAttribute(w, BAD_CAST "hreflang", BAD_CAST hreflang);
	xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
	xmlTextWriterEndElement(w);
}

/* An entry's categories: its first terms, as many as a card shows. */
enum { FEED_CATEGORIES = 8 };

static void
entry(xmlTextWriterPtr w, const struct site *s, const struct article *a,
    enum lang lang)
{
	char stamp[32];
	struct buf u = BUF_INIT;
	buf_printf(&u, "%s%s/articles/%s/", s->base_url, lang_code[lang], a->slug);
	const char *url = u.data;
	xmlTextWriterStartElement(w, BAD_CAST "entry");
	const char *title = a->title[lang] ? a->title[lang] : a->title[LANG_ZH];
	element(w, "title", title);
	element(w, "id", url);
	link(w, "alternate", url, lang_tag[lang]);
	rfc3339(stamp, sizeof(stamp), &a->date);
	element(w, "published", stamp);
	rfc3339(stamp, sizeof(stamp), last_change(a, lang));
	element(w, "updated", stamp);
	xmlTextWriterStartElement(w, BAD_CAST "author");
	element(w, "name", a->author ? a->author : s->title[lang]);
	xmlTextWriterEndElement(w);
	const struct version *v = lang == LANG_EN && a->en ? a->en : &a->zh;
	const char *summary = a->summary[lang] ? a->summary[lang] : v->auto_summary;
	if (summary && *summary)
		element(w, "summary", summary);
	/* An entry is in the feed of each of its terms: all its terms as
	 * categories would make n feeds of n categories. */
	size_t shown = 0;
	for (int k = 0; k < KIND_COUNT; k++)
		for (size_t i = 0; i < a->n_terms[k] && shown < FEED_CATEGORIES; i++, shown++) {
			xmlTextWriterStartElement(w, BAD_CAST "category");
			xmlTextWriterWriteAttribute(w, BAD_CAST "term",
			    BAD_CAST a->terms[k][i]->slug);
			xmlTextWriterWriteAttribute(w, BAD_CAST "label",
			    BAD_CAST a->terms[k][i]->name[lang]);
			xmlTextWriterEndElement(w);
		}
	xmlTextWriterEndElement(w);
	buf_release(&u);
}

static xmlTextWriterPtr
new_writer(xmlBufferPtr xb)
{
	xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	return w;
}

/* ---- entries, each written once ---------------------------------------------- */

/* An article is an entry of its site's feed and of each of its terms'
 * feeds, the same markup in each: it is written once per language and
 * build, on whichever thread needs it first, and copied after that.  A
 * slot is filled at most once (compare-and-swap); a thread that loses
 * the race frees its copy, which is byte for byte the winner's. */
struct entry_text {
	size_t len;
	char text[];
};

struct feed_entries {
	_Atomic(struct entry_text *) *slot;   /* by article index and language */
	size_t n;
};

struct feed_entries *
feed_entries_new(const struct site *s)
{
	struct feed_entries *e = xmalloc(sizeof(*e));
	e->n = s->n_articles * LANG_COUNT;
	e->slot = xmalloc((e->n ? e->n : 1) * sizeof(*e->slot));
	for (size_t i = 0; i < e->n; i++)
		atomic_init(&e->slot[i], NULL);
	return e;
}

void
feed_entries_free(struct feed_entries *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(atomic_load(&e->slot[i]));
	free(e->slot);
	free(e);
}

/* The entry's markup as a feed holds it: written one level down, below a
 * stand-in for <feed>, by a writer that indents as the feed's does, and
 * cut out from its indentation to the newline after </entry>.  Appended
 * raw to a feed after an element, it gives the feed's bytes exactly. */
static struct entry_text *
entry_text(const struct site *s, const struct article *a, enum lang lang)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = new_writer(xb);
	/* declared UTF-8 as the feed is, or the writer escapes non-ASCII */
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "feed");
	xmlTextWriterFlush(w);
	size_t from = (size_t)xmlBufferLength(xb);
	entry(w, s, a, lang);
	xmlTextWriterFlush(w);
	size_t to = (size_t)xmlBufferLength(xb);
	const char *c = (const char *)xmlBufferContent(xb);
	while (from < to && (c[from] == '>' || c[from] == '\n'))
		from++;   /* the stand-in's start tag, closed before the entry */
	struct entry_text *t = xmalloc(sizeof(*t) + (to - from));
	t->len = to - from;
	memcpy(t->text, c + from, t->len);
	xmlFreeTextWriter(w);
	xmlBufferFree(xb);
	return t;
}

static const struct entry_text *
cached_entry(struct feed_entries *e, const struct site *s, const struct article *a,
    enum lang lang)
{
	_Atomic(struct entry_text *) *slot = &e->slot[a->index * LANG_COUNT + lang];
	struct entry_text *t = atomic_load_explicit(slot, memory_order_acquire);
	if (t != NULL)
		return t;
	struct entry_text *mine = entry_text(s, a, lang);
	if (atomic_compare_exchange_strong_explicit(slot, &t, mine,
	    memory_order_acq_rel, memory_order_acquire))
		return mine;
	free(mine);   /* another thread's, the same bytes */
	return t;
}

/* One feed: `path` inside public/, `page` the HTML page it mirrors. */
bool
feeds_write_one(const struct site *s, struct output *o, const struct feed *f,
    struct feed_entries *entries)
{
	enum lang lang = f->lang;
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = new_writer(xb);
	char stamp[32];
	struct buf self = BUF_INIT, alt = BUF_INIT;
	buf_printf(&self, "%s%s", s->base_url, f->path);
	buf_printf(&alt, "%s%s", s->base_url, f->page);
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "feed");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2005/Atom");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST lang_tag[lang]);
	element(w, "title", f->title);
	element(w, "id", self.data);
	link(w, "self", self.data, NULL);
	link(w, "alternate", alt.data, lang_tag[lang]);
	buf_release(&self);
	buf_release(&alt);
	/* The feed changes when its newest entry does: no build time, so
	 * output stays byte-identical across runs. */
	struct date newest = f->n == 0 ? fallback_date()
	    : (struct date){ 1970, 1, 1 };
	for (size_t i = 0; i < f->n && i < FEED_ENTRIES; i++)
		if (date_compare(last_change(f->list[i], lang), &newest) > 0)
			newest = *last_change(f->list[i], lang);
	rfc3339(stamp, sizeof(stamp), &newest);
	element(w, "updated", stamp);
	xmlTextWriterStartElement(w, BAD_CAST "author");
	element(w, "name", s->title[lang]);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "generator");
	xmlTextWriterWriteString(w, BAD_CAST "haichao");
	xmlTextWriterEndElement(w);
	for (size_t i = 0; i < f->n && i < FEED_ENTRIES; i++) {
		const struct entry_text *t = cached_entry(entries, s, f->list[i], lang);
		xmlTextWriterWriteRawLen(w, BAD_CAST t->text, (int)t->len);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	bool ok = output_write(o, f->path, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return ok;
}

/* Per language: the site's feed, one per taxonomy term, then one per
 * glossary.yaml term. */
static size_t
feeds_per_lang(const struct site *s)
{
	size_t n = 1 + s->n_site_glossary;
	for (int k = 0; k < KIND_COUNT; k++)
		n += s->n_terms[k];
	return n;
}

/* Glossary term g's feed: its newest articles, titled "出海 · site" (on
 * English pages "出海 (going overseas) · site"). */
static void
gloss_feed(const struct site *s, enum lang lang, const struct gloss_term *g,
    struct buf names[3], struct feed *out)
{
	buf_printf(&names[0], "%s/glossary/%s/feed.xml", lang_code[lang], g->slug);
	buf_printf(&names[1], "%s/glossary/%s/", lang_code[lang], g->slug);
	if (lang == LANG_ZH)
		buf_printf(&names[2], "%s · %s", g->zh, s->title[lang]);
	else
		buf_printf(&names[2], "%s (%s) · %s", g->zh, g->en, s->title[lang]);
	size_t n = g->n_used_by < FEED_ENTRIES ? g->n_used_by : FEED_ENTRIES;
	out->lang = lang;
	out->path = names[0].data;
	out->page = names[1].data;
	out->title = names[2].data;
	for (size_t i = 0; i < n; i++)
		out->own[i] = s->articles[g->used_by[i]];
	out->list = out->own;
	out->n = n;
}

size_t
feeds_count(const struct site *s)
{
	return s->base_url == NULL ? 0 : LANG_COUNT * feeds_per_lang(s);
}

void
feeds_nth(const struct site *s, size_t i, struct buf names[3], struct feed *out)
{
	size_t per = feeds_per_lang(s), j = i % per;
	enum lang lang = (enum lang)(i / per);
	for (int b = 0; b < 3; b++)
		buf_reset(&names[b]);
	if (j == 0) {
		buf_printf(&names[0], "%s/feed.xml", lang_code[lang]);
		buf_printf(&names[1], "%s/", lang_code[lang]);
		*out = (struct feed){ lang, names[0].data, names[1].data,
			s->title[lang], s->articles, s->n_articles, { NULL } };
		return;
	}
	j--;
	int k = 0;
	while (k < KIND_COUNT && j >= s->n_terms[k])
		j -= s->n_terms[k++];
	if (k == KIND_COUNT) {
		gloss_feed(s, lang, s->glossary[j], names, out);
		return;
	}
	const struct term *t = &s->terms[k][j];
	buf_printf(&names[0], "%s/%s/%s/feed.xml", lang_code[lang], kind_plural[k],
	    t->slug);
	buf_printf(&names[1], "%s/%s/%s/", lang_code[lang], kind_plural[k], t->slug);
	buf_printf(&names[2], "%s · %s", t->name[lang], s->title[lang]);
	*out = (struct feed){ lang, names[0].data, names[1].data, names[2].data,
		t->articles, t->n_articles, { NULL } };
}
