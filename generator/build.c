/* build.c — the pipeline: load, render, check, write, publish. */
#include "build.h"
#include "state.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "load.h"
#include "match.h"
#include "mdheap.h"
#include "output.h"
#include "pages.h"
#include "pool.h"
#include "rcache.h"
#include "relate.h"
#include "render.h"
#include "search.h"
#include "site.h"
#include "sitemap.h"
#include "spill.h"
#include "template.h"
#include "tsv.h"
#include "feeds.h"
#include "hash.h"

/* User and system time of the whole process so far, all threads. */
static double
cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* HAICHAO_TIMING=1 prints how long each stage took, for profiling. */
static void
stage(const char *name)
{
	static struct timespec last;
	static double last_cpu;
	static int enabled = -1;
	if (enabled < 0) {
		const char *e = getenv("HAICHAO_TIMING");
		enabled = e && *e && strcmp(e, "0") != 0;
		clock_gettime(CLOCK_MONOTONIC, &last);
		last_cpu = cpu_seconds();
	}
	if (!enabled || name == NULL)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - last.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - last.tv_nsec) / 1e6;
	/* And the memory in use after it (resident set, from /proc). */
	long rss_kib = 0;
	FILE *status = fopen("/proc/self/status", "r");
	char line[256];
	while (status != NULL && fgets(line, sizeof(line), status) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &rss_kib) == 1)
			break;
	if (status != NULL)
		fclose(status);
	double cpu = cpu_seconds();
	fprintf(stderr, "haichao: timing: %-10s %8.1f ms %8.1f ms CPU %8ld MiB\n",
	    name, ms, (cpu - last_cpu) * 1e3, rss_kib / 1024);
	last = now;
	last_cpu = cpu;
}

/* The last build's render record of an article that this build reused
 * as it is (not rendered since): the next state gets the same line. */
struct kept_record {
	const char *line;                    /* NULL: rendered, a new record */
	size_t len;
};

struct render_job {
	struct site *site;
	struct render_ctx *workers;
	const struct state_prev *prev;       /* NULL: render everything */
	struct article **list;               /* NULL: every article */
	struct kept_record *kept;            /* per article */
	atomic_size_t reused;                /* renders taken from prev */
};

static void
render_one(void *ctx, size_t job, int worker)
{
	struct render_job *rj = ctx;
	struct article *a = rj->list ? rj->list[job] : rj->site->articles[job];
	const char *record;
	size_t len;
	/* An article whose sources and data are as last time keeps what
	 * its render found out; its HTML comes only if a page needs it. */
	struct render_ctx *w = &rj->workers[worker];
	if (rj->prev && state_render_record(rj->prev, a->slug, &record, &len) &&
	    render_reuse(w, a, record, len)) {
		rj->kept[a->index] = (struct kept_record){ record, len };
		atomic_fetch_add(&rj->reused, 1);
		return;
	}
	rj->kept[a->index].line = NULL;
	/* Loading took an unchanged file from the last build without
	 * reading it: its body is read now (an error leaves it empty). */
	if (a->zh.body == NULL)
		load_body(rj->site, &a->zh, w->arena, w->diags);
	if (a->en && a->en->body == NULL)
		load_body(rj->site, a->en, w->arena, w->diags);
	render_article(w, a);
}

/* Renders every article's Markdown on `threads` threads, or takes its
 * results from the last build (prev).  The workers' arenas hold the HTML
 * (unless spilled, or dropped: `check` writes no pages) and must outlive
 * the page-writing stage. */
static struct render_ctx *
render_all(struct site *s, int threads, struct diags *d, struct matcher *m,
    const struct note_mark *mark, const struct state_prev *prev,
    struct spill *spill, bool drop_html, struct kept_record *kept)
{
	struct render_ctx *w = xcalloc((size_t)threads, sizeof(*w));
	for (int i = 0; i < threads; i++) {
		w[i].site = s;
		w[i].glossary = m;
		w[i].mark = mark;
		w[i].diags = d;
		w[i].arena = xcalloc(1, sizeof(struct arena));
		arena_init(w[i].arena);
		w[i].spill = spill;
		w[i].drop_html = drop_html;
		w[i].md = md_heap_new();
	}
	struct render_job rj = { s, w, prev, NULL, kept, 0 };
	pool_run(threads, s->n_articles, render_one, &rj);
	for (int i = 0; i < threads; i++)
		render_check_anchors(w[i].anchors, d);
	/* Every article rendered: nothing reads the Markdown again (a
	 * reused render may need its body to make its HTML later). */
	if (atomic_load(&rj.reused) == 0)
		site_drop_bodies(s);
	return w;
}

/* The pages to rebuild show articles whose render was reused; their
 * HTML is rendered now (the same bytes as before: the record was only
 * reused because nothing it depends on changed). */
static void
render_missing(struct site *s, struct render_ctx *workers, int threads,
    struct kept_record *kept, struct article **list, size_t n)
{
	struct render_job rj = { s, workers, NULL, list, kept, 0 };
	pool_run(threads, n, render_one, &rj);
}

/* The render records of every article, for the next build. */
static void
render_records(const struct site *s, const struct kept_record *kept,
    struct buf *out)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		if (kept[i].line) {   /* reused: the same line again */
			buf_add(out, kept[i].line, kept[i].len);
			buf_putc(out, '\n');
		} else {
			rcache_put(out, s, s->articles[i]);
		}
	}
}

static void
free_workers(struct render_ctx *w, int threads)
{
	if (w == NULL)
		return;
	for (int i = 0; i < threads; i++) {
		arena_free(w[i].arena);
		free(w[i].arena);
		md_heap_free(w[i].md);
	}
	free(w);
}

static bool
version_uses(const struct version *v, const struct gloss_term *t)
{
	for (size_t i = 0; v != NULL && i < v->n_glossary_used; i++)
		if (v->glossary_used[i] == t)
			return true;
	return false;
}

static void
warn_unused_terms(const struct site *s, struct diags *d)
{
	for (size_t i = 0; i < s->n_site_glossary; i++)
		if (s->glossary[i]->n_used_by == 0 && !s->glossary[i]->duplicate)
			diag(d, &s->glossary[i]->pos, D_GLOSS_UNUSED, s->glossary[i]->zh);
	/* A term an article declares for itself and never uses. */
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		for (size_t k = 0; k < a->n_local_glossary; k++) {
			const struct gloss_term *t = a->local_glossary[k];
			if (!version_uses(&a->zh, t) && !version_uses(a->en, t))
				diag(d, &t->pos, D_GLOSS_LOCAL_UNUSED, t->zh);
		}
	}
}

static size_t
untranslated(const struct site *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_articles; i++)
		n += s->articles[i]->en == NULL;
	return n;
}

static bool
write_buf(struct output *o, const char *rel, struct buf *b)
{
	bool ok = output_write(o, rel, b->data ? b->data : "", b->len);
	buf_reset(b);
	return ok;
}

/* What the cache keeps of a build besides its pages' hashes: made on the
 * pool beside the feeds, saved by say_and_remember once public/ is
 * committed. */
struct save_parts {
	const struct kept_record *kept;          /* per article */
	const struct source_records *files;      /* from loading */
	struct buf records, sources, related;
};

/* The jobs of the extras stage, each on its own, on the pool: the
 * sitemap's files first (the biggest), then the side jobs below, then
 * one job per feed. */
enum { SIDE_RECORDS, SIDE_SOURCES, SIDE_RELATED, SIDE_INDEX_TSV, SIDE_JOBS };

struct feed_job {
	const struct site *site;
	struct page_set *ps;
	struct output *out;
	struct feed_entries *entries;
	struct save_parts *save;
	size_t sitemaps;   /* jobs 0 .. sitemaps-1; the side jobs follow */
	atomic_bool failed;
};

/* A feed shows its first entries whole (summary, author, dates). */
static bool
write_feed(struct feed_job *fj, const struct feed *f)
{
	size_t n = f->n < FEED_ENTRIES ? f->n : FEED_ENTRIES;
	uint64_t key = pages_key_articles(fj->ps, f->title, f->list, n, true);
	key = hash_u64(key, f->lang);
	if (pages_keep_file(fj->ps, f->path, key))
		return true;
	pages_remember(fj->ps, f->path, key);
	return feeds_write_one(fj->site, fj->out, f, fj->entries);
}

static bool
write_index_tsv(const struct site *s, struct page_set *ps, struct output *o)
{
	/* Kept as it is when what it is made from is unchanged. */
	uint64_t key = pages_key_articles(ps, "index.tsv", s->articles,
	    s->n_articles, false);
	if (pages_keep_file(ps, "index.tsv", key))
		return true;
	struct buf b = BUF_INIT;
	tsv_index(s, &b);
	bool ok = write_buf(o, "index.tsv", &b);
	pages_remember(ps, "index.tsv", key);
	buf_release(&b);
	return ok;
}

static bool
side_job(struct feed_job *fj, size_t which)
{
	const struct site *s = fj->site;
	switch (which) {
	case SIDE_RECORDS:
		render_records(s, fj->save->kept, &fj->save->records);
		return true;
	case SIDE_SOURCES:
		for (size_t i = 0; i < fj->save->files->n; i++)
			state_put_source(&fj->save->sources, &fj->save->files->list[i]);
		return true;
	case SIDE_RELATED:
		relate_put(&fj->save->related, s);
		return true;
	default:
		return write_index_tsv(s, fj->ps, fj->out);
	}
}

static void
feed_or_sitemap(void *ctx, size_t job, int worker)
{
	(void)worker;
	struct feed_job *fj = ctx;
	bool ok;
	if (job < fj->sitemaps) {
		ok = sitemap_write(fj->ps, fj->site, fj->out, job, fj->sitemaps);
	} else if (job < fj->sitemaps + SIDE_JOBS) {
		ok = side_job(fj, job - fj->sitemaps);
	} else {
		struct buf names[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
		struct feed f;
		feeds_nth(fj->site, job - fj->sitemaps - SIDE_JOBS, names, &f);
		ok = write_feed(fj, &f);
		for (int i = 0; i < 3; i++)
			buf_release(&names[i]);
	}
	if (!ok)
		fj->failed = true;
}

/* Everything that is not an HTML page. */
static bool
write_extras(const struct site *s, struct page_set *ps,
    const struct build_options *opt, struct output *o, struct save_parts *save)
{
	struct buf b = BUF_INIT;
	bool ok = true;
	/* Kept as it is when what it is made from is unchanged. */
	size_t *uses = xcalloc(s->n_site_glossary + 1, sizeof(size_t));
	uint64_t key = hash_u64(HASH_SEED, s->data_hash);
	for (size_t i = 0; i < s->n_site_glossary; i++)
		key = hash_u64(key, uses[i] = s->glossary[i]->n_used_by);
	if (!pages_keep_file(ps, "glossary.tsv", key)) {
		tsv_glossary(s, uses, &b);
		ok = write_buf(o, "glossary.tsv", &b) && ok;
		pages_remember(ps, "glossary.tsv", key);
	}
	free(uses);
	bool index_ok;
	size_t sitemaps = sitemap_begin(ps, s, o, &index_ok);
	ok = index_ok && ok;
	struct feed_job fj = { s, ps, o, feed_entries_new(s), save, sitemaps, false };
	pool_run(opt->threads, sitemaps + SIDE_JOBS + feeds_count(s),
	    feed_or_sitemap, &fj);
	feed_entries_free(fj.entries);
	ok = !fj.failed && ok;
	buf_puts(&b, "User-agent: *\nAllow: /\n");
	if (s->base_url)
		buf_printf(&b, "Sitemap: %ssitemap.xml\n", s->base_url);
	ok = write_buf(o, "robots.txt", &b) && ok;
	struct buf assets = BUF_INIT;
	buf_printf(&assets, "%s/assets", opt->templates_dir);
	ok = output_copy_tree(o, assets.data, "assets") && ok;
	/* An article's files sit beside its page in both languages, so
	 * the same relative references work on either. */
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		if (a->asset_dir == NULL)
			continue;
		for (int l = 0; l < LANG_COUNT; l++) {
			buf_reset(&assets);
			buf_printf(&assets, "%s/articles/%s", lang_code[l], a->slug);
			ok = output_copy_tree(o, a->asset_dir, assets.data) && ok;
		}
	}
	buf_release(&assets);
	buf_release(&b);
	return ok;
}

/* One build's state, from the first stage to the last. */
struct run {
	const struct build_options *opt;
	struct diags d;
	struct state_options so;      /* what the state depends on */
	char *inputs;                 /* the fingerprint when it began */
	struct state_text state_text; /* the state file, read once */
	struct site *site;
	uint64_t related_key;         /* relate_key of the site */
	struct state_prev prev;       /* valid when prev_loaded ... */
	bool prev_loaded;
	bool have_prev;               /* ... and used only when the content loads */
	struct spill spill;           /* valid when spilling */
	bool spilling;
	struct matcher *matcher;
	struct note_mark *mark;       /* a note's markup, from the templates */
	struct render_ctx *workers;
	struct page_set *pages;
	struct search *search;        /* the search index, while publishing */
	struct strset published;      /* what the commit put in public/ */
	struct source_records files;  /* the article files, for the next state */
	struct kept_record *kept;     /* per article: its reused render record */
	struct save_parts save;       /* for the cache, made with the extras */
	bool committed;
	char summary[1024];
	const char *sources[2];       /* what public/ may not overlap */
	struct output_guard guard;
};

/* True (after saying so) when public/ is already what this build would
 * write.  The fingerprint is taken before anything is read, so a file
 * edited while the build runs makes the next build a full one. */
static bool
already_up_to_date(struct run *r)
{
	char *said = NULL;
	/* The cache's own complaint is said now, not replayed later. */
	struct diags cd;
	diags_init(&cd);
	bool fresh = r->opt->write &&
	    state_up_to_date(&r->so, &cd, &said, &r->inputs, &r->state_text);
	diags_print(&cd, stderr);
	diags_free(&cd);
	if (fresh) {
		fputs(said, stderr);
		fprintf(stderr, "haichao: %s/ is up to date: 0 files written\n",
		    r->opt->public_dir);
	}
	free(said);
	return fresh;
}

/* Load, render, relate and prepare the pages. */
static void
make_model(struct run *r)
{
	const struct build_options *opt = r->opt;
	/* The last build's state first: an article file unchanged since
	 * then gives its front matter from there, without being read. */
	r->prev_loaded = opt->write;
	if (r->prev_loaded)
		state_prev_load(&r->so, &r->state_text, &r->prev);
	stage("state");
	struct load_options lo = { opt->content_dir, opt->drafts, opt->base_url,
	    opt->threads, r->prev_loaded ? state_source : NULL, &r->prev,
	    &r->files };
	r->site = site_load(&lo, &r->d);
	r->kept = xcalloc(r->site->n_articles + 1, sizeof(*r->kept));
	r->save.kept = r->kept;
	r->save.files = &r->files;
	stage("load");
	r->have_prev = r->prev_loaded && !diags_failed(&r->d);
	/* Rendered HTML waits for its pages in a file, not in memory. */
	r->spilling = opt->write && spill_open(&r->spill, opt->public_dir,
	    spill_slot(r->site->n_articles, 0));
	r->matcher = render_glossary_matcher(r->site);
	/* Without it (its errors are reported) the build fails anyway, but
	 * renders on with the built-in markup, so that it says everything. */
	r->mark = note_mark_load(opt->templates_dir, &r->d);
	r->workers = render_all(r->site, opt->threads, &r->d, r->matcher,
	    r->mark ? r->mark : note_mark_default(),
	    r->have_prev ? &r->prev : NULL, r->spilling ? &r->spill : NULL,
	    !opt->write, r->kept);
	stage("render");
	/* Related lists are kept from the last build while nothing they
	 * are made from has changed (relate_key). */
	size_t related_len = 0;
	r->related_key = relate_key(r->site);
	const char *related = r->have_prev ? state_related(&r->prev,
	    r->related_key, &related_len) : NULL;
	relate_site(r->site, opt->threads, related, related_len);
	stage("relate");
	struct pages_options po = { opt->templates_dir, opt->threads };
	r->pages = pages_prepare(r->site, &po, &r->d);
	warn_unused_terms(r->site, &r->d);
	stage("prepare");
}

/* search_render_fn: the search index needs the HTML of articles whose
 * render was reused and whose text file of the last build is missing. */
static void
render_for_search(void *ctx, struct article **list, size_t n)
{
	struct run *r = ctx;
	render_missing(r->site, r->workers, r->opt->threads, r->kept, list, n);
}

/* Writes pages and the rest through a staging folder and commits them;
 * the exit status (0, or 2 when something could not be written). */
static int
publish(struct run *r)
{
	const struct build_options *opt = r->opt;
	const struct site *s = r->site;
	struct output o;
	state_forget(&r->so);
	bool ok = output_begin(&o, opt->public_dir, &r->guard, &r->d);
	o.durable = !opt->no_fsync;
	struct article **need_html = NULL;
	size_t n_need = 0;
	ok = ok && pages_decide(r->pages, &o, r->prev.keys.len ? &r->prev.keys
	    : NULL, r->spilling ? &r->spill : NULL, &need_html, &n_need);
	if (n_need > 0)
		render_missing(r->site, r->workers, opt->threads, r->kept,
		    need_html, n_need);
	free(need_html);
	stage("decide");
	/* Before the pages: writing them gives the spilled HTML back. */
	if (ok) {
		bool *reused = xcalloc(s->n_articles + 1, sizeof(bool));
		for (size_t i = 0; i < s->n_articles; i++)
			reused[i] = r->kept[i].line != NULL;
		struct search_source ss = { r->spilling ? &r->spill : NULL,
		    opt->public_dir, reused, render_for_search, r, opt->threads };
		r->search = search_collect(s, &ss, &o, r->pages);
		free(reused);
	}
	/* The index written and freed before the pages, whose writing is
	 * the build's peak of memory. */
	ok = ok && search_write(r->search);
	stage(search_patched(r->search) ? "search-patch" : "search");
	search_free(r->search);
	r->search = NULL;
	ok = ok && pages_write(r->pages);
	stage("pages");
	ok = ok && write_extras(s, r->pages, opt, &o, &r->save);
	stage("extras");
	if (!ok) {
		output_abort(&o);
		return 2;
	}
	size_t written = o.written, unchanged = o.unchanged;
	r->committed = output_commit(&o, r->prev.have_files ? &r->prev.files
	    : NULL, &r->published);
	stage("commit");
	if (!r->committed)
		return 2;
	snprintf(r->summary, sizeof(r->summary), "haichao: %zu article%s, %zu "
	    "pages; %zu file%s written, %zu unchanged, %zu removed, in %s/; %zu "
	    "without an English translation%s%s\n", s->n_articles,
	    s->n_articles == 1 ? "" : "s", pages_count(r->pages), written,
	    written == 1 ? "" : "s", unchanged, (size_t)o.removed,
	    opt->public_dir, untranslated(s), opt->templates_said ?
	    "; templates from " : "", opt->templates_said ? opt->templates_said : "");
	return 0;
}

/* What is said goes to stderr and, after a published build, into the
 * cache with the rest of its state, so that an up-to-date run repeats
 * the warnings. */
static void
say_and_remember(struct run *r)
{
	char *text = NULL;
	size_t text_len = 0;
	FILE *mem = open_memstream(&text, &text_len);
	diags_print(&r->d, mem ? mem : stderr);
	if (mem) {
		fclose(mem);
		fputs(text, stderr);
		if (r->committed)
			state_save(&r->so, &(struct state_next){ r->inputs, text,
			    pages_hashes(r->pages), &r->published, &r->save.records,
			    &r->save.sources, &r->save.related, r->related_key,
			    r->prev_loaded ? &r->prev : NULL });
		free(text);
	}
	fputs(r->summary, stderr);
}

static void
run_free(struct run *r)
{
	if (r->prev_loaded)
		state_prev_free(&r->prev);
	if (r->spilling)
		spill_close(&r->spill);
	free(r->inputs);
	free(r->kept);
	state_text_free(&r->state_text);
	strset_free(&r->published);
	buf_release(&r->save.records);
	buf_release(&r->save.sources);
	buf_release(&r->save.related);
	search_free(r->search);
	pages_free(r->pages);
	free_workers(r->workers, r->opt->threads);
	matcher_free(r->matcher);
	note_mark_free(r->mark);
	site_free(r->site);
	diags_free(&r->d);
}

int
build_run(const struct build_options *opt)
{
	struct run r = { .opt = opt, .sources = { opt->content_dir,
	    opt->templates_dir }, .so = { opt->content_dir, opt->templates_dir,
	    opt->public_dir, opt->base_url, opt->drafts,
	    opt->threads } };
	r.guard = (struct output_guard){ r.sources, 2, "index.tsv",
	    TSV_INDEX_HEADER };
	diags_init(&r.d);
	strset_init(&r.published);
	stage(NULL);
	/* One build at a time per output: the cache, the mirror and the
	 * swap assume no other build moves them.  The lock file is beside
	 * public/, so the folders above it are made first. */
	if (opt->write)
		output_make_parents(opt->public_dir, &r.guard, &r.d);
	int lock = opt->write ? output_lock(opt->public_dir, &r.guard, &r.d) : -1;
	if (opt->write && lock < 0) {
		diags_print(&r.d, stderr);
		run_free(&r);
		return 2;
	}
	int status = 0;
	if (!already_up_to_date(&r)) {
		make_model(&r);
		if (diags_failed(&r.d))
			status = diags_status(&r.d);
		else if (opt->write)
			status = publish(&r);
		say_and_remember(&r);
		stage("save");
	}
	run_free(&r);
	stage("free");
	if (lock >= 0)
		close(lock);
	return status;
}

int
build_status(const struct build_options *opt)
{
	struct diags d;
	diags_init(&d);
	struct load_options lo = { opt->content_dir, opt->drafts, opt->base_url,
	    opt->threads, NULL, NULL, NULL };
	struct site *s = site_load(&lo, &d);
	int status = diags_status(&d);
	size_t missing = 0, lagging = 0;
	for (size_t i = 0; i < s->n_articles; i++) {
		const struct article *a = s->articles[i];
		if (a->en == NULL) {
			printf("missing\t%s\t%s\n", a->slug, a->zh.path);
			missing++;
		} else if (date_compare(&a->zh.updated, &a->en->updated) > 0 &&
		    date_compare(&a->zh.updated, &a->date) > 0) {
			printf("outdated\t%s\t%s\t(original updated %04d-%02d-%02d)\n",
			    a->slug, a->en->path, a->zh.updated.year,
			    a->zh.updated.month, a->zh.updated.day);
			lagging++;
		}
	}
	printf("%zu articles: %zu without an English translation, %zu with an "
	    "outdated one\n", s->n_articles, missing, lagging);
	diags_print(&d, stderr);
	site_free(s);
	diags_free(&d);
	return status;
}
