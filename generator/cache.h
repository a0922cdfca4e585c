/* cache.h — the build state kept between runs, so that a rebuild with
 * nothing changed does nothing at all.
 *
 * The state is a small text file beside public/ (public.haichao-cache): the
 * generator's identity, the build options, and the size, modification and
 * change times and inode of every input file (content/ and templates/) and of the
 * published index.html.  It is safe to delete; a stale one (anything
 * changed) just means a full build, and a damaged one is reported with a
 * warning and then ignored. */
#ifndef HAICHAO_CACHE_H
#define HAICHAO_CACHE_H

#include <stdbool.h>

#include "buf.h"
#include "build.h"
#include "diag.h"
#include "input.h"
#include "site.h"
#include "strset.h"

/* True when public/ is already what a build would write; *said is then
 * what that build printed (its warnings).  *inputs is the fingerprint of
 * the inputs as they are now (cache_inputs), for cache_save; *text the
 * cache file as read (empty when there is none), for cache_previous_load.
 * The caller frees all three. */
bool cache_up_to_date(const struct build_options *opt, struct diags *d,
    char **said, char **inputs, struct file_view *text);
/* What the last build left behind: the hash of every page it wrote (when
 * the generator, options and templates are the same: a page whose bound
 * values hash the same need not be rendered again) and the list of files
 * it published (so that stale ones are found without walking public/). */
struct cache_previous {
	struct strset pages;   /* path -> hash; empty when not reusable */
	struct strset files;
	bool have_files;       /* false: no usable cache, walk public/ */
	struct strset renders; /* slug -> offset of its record in renders_text */
	const char *renders_text;   /* render records (rcache.h), one per line */
	size_t renders_len;
	struct strset sources; /* article file -> offset of its record ... */
	const char *sources_text;   /* ... here (see cache_source) */
	size_t sources_len;
	uint64_t related_key;       /* relate_key of the lists below */
	const char *related_text;   /* relate_put's lines, or NULL */
	size_t related_len;
	struct file_view text; /* the cache file, which the above point into */
};
/* Parses `text` (from cache_up_to_date), taking it over. */
void cache_previous_load(const struct build_options *opt, struct file_view *text,
    struct cache_previous *prev);
void cache_previous_free(struct cache_previous *prev);
/* The last build's render record for `slug` (rcache.h), when there is a
 * usable one: [*record, *record + *len), without the newline. */
bool cache_render_record(const struct cache_previous *prev, const char *slug,
    const char **record, size_t *len);
/* known_source_fn (load.h) over the last build's records of article
 * files; ctx is a struct cache_previous. */
bool cache_source(const void *ctx, const char *name, struct source_record *out,
    struct arena *a);
/* The last build's related lists (relate.h) when they were made from
 * what `key` says, else NULL. */
const char *cache_related(const struct cache_previous *prev, uint64_t key,
    size_t *len);
/* Appends the record of one article file, for cache_save. */
void cache_put_source(struct buf *out, const struct source_record *r);
/* The fingerprint of every input, taken before the build reads them (so
 * that a file edited while it runs makes the next build a full one).
 * Caller frees. */
char *cache_inputs(const struct build_options *opt);
/* Records the state after a successful build: the inputs as they were
 * when it began, what it printed (so an up-to-date run can say it again),
 * the page hashes and the files published. */
void cache_save(const struct build_options *opt, const char *inputs,
    const char *said, const struct strset *pages, const struct strset *files,
    const struct buf *renders, const struct buf *sources, uint64_t related_key,
    const struct buf *related);
/* Removes the state (before a build that may change public/). */
void cache_forget(const struct build_options *opt);

#endif
