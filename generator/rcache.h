/* rcache.h — what rendering each article found out, kept between builds.
 *
 * Rendering is a third of a full build, and after one article is edited
 * the others need not be rendered again for the build to know what every
 * page around them shows.  For each article the build cache keeps one
 * record: a key (of the article's source files and of the site's data
 * files) and, per version, what rendering produced besides the HTML:
 * heading ids, glossary notes, the automatic summary, character and word
 * counts, cross-links, asset references and a hash of the HTML.  The HTML
 * itself is not kept: the few pages that are rebuilt render it again
 * (render.h, render_article), which gives the same bytes.
 *
 * A record is reused only when its key matches, every article it links to
 * still exists in the version named, and every file it references is
 * still there; otherwise the article is rendered.  A record is one of the
 * state's (its layout is the renders section's in state.h, its fields
 * record.h's), so a damaged one is simply not reused.
 *
 * Memory: restored strings and arrays live in the arena given. */
#ifndef HAICHAO_RCACHE_H
#define HAICHAO_RCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "site.h"

/* Of everything rendering `a` reads apart from other articles' existence
 * and the asset files: its sources, the site's data files, its slug (by
 * file name and content: moving content/ elsewhere changes nothing). */
uint64_t rcache_key(const struct site *s, const struct article *a);

/* Appends the record of a rendered article (one line, '\n' included). */
void rcache_put(struct buf *out, const struct site *s, const struct article *a);

/* Fills the render results of `a` (whose html stays NULL) from a record
 * of `len` bytes; false, with `a` as it was, when the record is damaged,
 * has another key or names something that is gone. `asset_ok` says
 * whether an asset reference still resolves. */
bool rcache_restore(const char *record, size_t len, const struct site *s,
    struct article *a, struct arena *arena,
    bool (*asset_ok)(const struct site *s, const char *rel));

#endif
