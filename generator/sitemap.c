/* sitemap.c — sitemap.xml (and, for a large site, its parts): see
 * sitemap.h. */
#include "sitemap.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "buf.h"

/* Page i's address in `lang`, without a trailing index.html. */
static void
sitemap_url(const struct page_set *ps, const struct site *s, struct buf *b,
    size_t i, enum lang lang)
{
	b->len = 0;
	buf_puts(b, s->base_url);
	pages_path(ps, i, lang, b);
	if (b->len >= 10 && strcmp(b->data + b->len - 10, "index.html") == 0)
		b->len -= 10;
	b->data[b->len] = '\0';
}

static void
sitemap_alternate(xmlTextWriterPtr w, const char *hreflang, const char *href)
{
	xmlTextWriterStartElement(w, BAD_CAST "xhtml:link");
	xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "alternate");
	xmlTextWriterWriteAttribute(w, BAD_CAST "hreflang", BAD_CAST hreflang);
	xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
	xmlTextWriterEndElement(w);
}

static void
sitemap_entry(const struct page_set *ps, const struct site *s,
    xmlTextWriterPtr w, size_t i, const struct page_place *pl, struct buf *b)
{
	xmlTextWriterStartElement(w, BAD_CAST "url");
	sitemap_url(ps, s, b, i, pl->lang);
	xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST b->data);
	if (pl->updated != NULL) {
		const struct date *d = pl->updated;
		char stamp[16];
		snprintf(stamp, sizeof(stamp), "%04d-%02d-%02d", d->year, d->month, d->day);
		xmlTextWriterWriteElement(w, BAD_CAST "lastmod", BAD_CAST stamp);
	}
	/* The alternates must follow loc and lastmod (the schema's order). */
	if (!pl->root) {
		for (int l = 0; l < LANG_COUNT; l++) {
			sitemap_url(ps, s, b, i, s->languages[l]);
			sitemap_alternate(w, lang_tag[s->languages[l]], b->data);
		}
		sitemap_url(ps, s, b, i, s->languages[0]);
		sitemap_alternate(w, "x-default", b->data);
	}
	xmlTextWriterEndElement(w);
}

/* The sitemap protocol allows 50,000 URLs (and 50 MiB) per file; with
 * hreflang alternates an entry is about 450 bytes, so a file holds fewer. */
enum { SITEMAP_URLS = 20000 };

/* A sitemap document in memory, its root element open with the
 * protocol's namespace. */
static xmlTextWriterPtr
begin_document(xmlBufferPtr *xb, const char *root)
{
	*xb = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(*xb, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST root);
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
	    BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
	return w;
}

/* Closes the document and publishes it as `name`. */
static bool
finish_document(xmlTextWriterPtr w, xmlBufferPtr xb, struct output *out,
    const char *name)
{
	xmlTextWriterEndElement(w);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	bool ok = output_write(out, name, xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return ok;
}

/* One urlset file with the pages [from, to) (404.html left out). */
static bool
write_urlset(const struct page_set *ps, const struct site *s,
    struct output *out, const char *name, size_t from, size_t to)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = begin_document(&xb, "urlset");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:xhtml",
	    BAD_CAST "http://www.w3.org/1999/xhtml");
	struct buf b = BUF_INIT;
	struct page_place pl;
	for (size_t i = from; i < to; i++)
		if (pages_place(ps, i, &pl))
			sitemap_entry(ps, s, w, i, &pl, &b);
	buf_release(&b);
	return finish_document(w, xb, out, name);
}

static void
sitemap_part_name(char *name, size_t cap, size_t part)
{
	if (part == 0)
		snprintf(name, cap, "sitemap.xml");
	else
		snprintf(name, cap, "sitemap-%zu.xml", part);
}

/* sitemap.xml lists every page; a large site gets sitemap-1.xml,
 * sitemap-2.xml... of even size, and sitemap.xml becomes their index. */
size_t
sitemap_begin(struct page_set *ps, const struct site *s, struct output *out,
    bool *ok)
{
	*ok = true;
	if (s->base_url == NULL)
		return 0;
	/* Made from every page's place and every article's date: kept, with
	 * all its parts, when those are as last time. */
	uint64_t key = pages_key_sitemap(ps);
	size_t n_pages = pages_count(ps);
	size_t parts = n_pages <= SITEMAP_URLS ? 0 :
	    (n_pages + SITEMAP_URLS - 1) / SITEMAP_URLS;
	bool same = true;
	char name[64];
	for (size_t part = 0; part <= parts && same; part++) {
		sitemap_part_name(name, sizeof(name), part);
		same = pages_same_key(ps, name, key) && output_has(out, name);
	}
	for (size_t part = 0; part <= parts; part++) {
		sitemap_part_name(name, sizeof(name), part);
		if (same)
			output_keep(out, name);
		pages_remember(ps, name, key);
	}
	if (same)
		return 0;
	if (parts == 0)
		return 1;
	xmlBufferPtr xb;
	xmlTextWriterPtr w = begin_document(&xb, "sitemapindex");
	for (size_t part = 1; part <= parts; part++) {
		sitemap_part_name(name, sizeof(name), part);
		struct buf url = BUF_INIT;
		buf_printf(&url, "%s%s", s->base_url, name);
		xmlTextWriterStartElement(w, BAD_CAST "sitemap");
		xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST url.data);
		buf_release(&url);
		xmlTextWriterEndElement(w);
	}
	*ok = finish_document(w, xb, out, "sitemap.xml");
	return parts;
}

bool
sitemap_write(struct page_set *ps, const struct site *s, struct output *out,
    size_t i, size_t n)
{
	size_t n_pages = pages_count(ps);
	if (n == 1)
		return write_urlset(ps, s, out, "sitemap.xml", 0, n_pages);
	size_t per = (n_pages + n - 1) / n;   /* even parts: one per thread */
	size_t from = i * per < n_pages ? i * per : n_pages;
	size_t to = from + per < n_pages ? from + per : n_pages;
	char name[64];
	sitemap_part_name(name, sizeof(name), i + 1);
	return write_urlset(ps, s, out, name, from, to);
}
