/* state.h — everything an incremental build remembers, in one file beside
 * public/ (public.haichao-cache), and when each part of it may be used.
 *
 * What it stores, one section each, in this order:
 *   inputs   the fingerprint: generator, options, and the stamp (times,
 *            size, inode) of every file under templates/ and content/
 *   said     what that build printed (an up-to-date run repeats it)
 *   files    every file the build published, with its size and mtime as
 *            published and, for a file made from known things (a page, a
 *            feed, the sitemap...), its key (pages.h)
 *   renders  per article, what rendering found out (rcache.h)
 *   sources  per article file, its stamp, hash and front matter (load.h)
 *   related  the related-reading lists and the key they were made from
 *
 * When it is valid:
 *   - public/ is up to date when the inputs are exactly as recorded and
 *     every published file still has the size and mtime recorded;
 *   - keys, renders, sources and related lists are used only when the
 *     generator, options and templates are the same (the environment at
 *     the head of `inputs`); a key only while its file's size and mtime
 *     are as recorded, so a restored or hand-edited public/ is rebuilt;
 *   - the list of files is used whenever the file is sound (it tells the
 *     commit which old files to prune without walking public/).
 *
 * One record format (record.h): every section but `said` (the text as
 * printed) is records, a line each of tab-separated fields (text escaped,
 * so no field can forge a line; numbers; hashes; kind letters), written
 * and read only through record.h, so there is one reader to trust and
 * to fuzz.  The records, field by field:
 *   inputs   TAG PATH, or TAG MTIME-S MTIME-NS CTIME-S CTIME-NS SIZE INODE
 *            PATH (compared whole, never taken apart)
 *   files    SIZE MTIME-S MTIME-NS PATH [KEY]
 *   renders  SLUG KEY VERSIONS, then per version (zh, then en):
 *              HTML-HASH HAN-CHARS LATIN-WORDS SUMMARY(maybe)
 *              N-IDS ID...
 *              N-NOTES (s SITE-INDEX | l LOCAL-INDEX | a ZH EN PINYIN)...
 *              N-XREFS (SLUG z|e ANCHOR(maybe) LINE COL)...
 *              N-ASSETS PATH...
 *            (rcache.h says what they mean and when one is reused)
 *   sources  NAME MTIME-S MTIME-NS CTIME-S CTIME-NS SIZE INODE HASH
 *            BODY-LINE, then the front matter's tree, node by node depth
 *            first: KIND (s scalar, S quoted scalar, q sequence, m map)
 *            LINE COL, then TEXT for a scalar or COUNT for a collection
 *            followed by its items (a map's keys and values alternate)
 *   related  KEY (of what the lists were made from), then per article
 *            the indexes of its related articles (relate.h)
 * A render, source or related record that does not read is not used
 * (the article is rendered or read again); a files record that does not
 * read makes the whole list unused.
 * The file opens with "haichao-cache 8" and a table of the sections'
 * lengths and checksums (a record each: NAME LENGTH CHECKSUM).  A file that is missing is no state (silently);
 * one that is damaged, truncated, of another format or not ours at all
 * gives one warning and a full build.  It is read into memory (never
 * mapped: a file truncated under a running build just reads short), and
 * every reader is bounded by its section, so no content can crash a
 * build.  Safe to delete.
 *
 * Memory: struct state_text owns the file's bytes; struct state_prev takes
 * them over and everything it hands out points into them, valid until
 * state_prev_free.  Strings given back in arenas are the caller's. */
#ifndef HAICHAO_STATE_H
#define HAICHAO_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "record.h"
#include "diag.h"
#include "load.h"
#include "site.h"
#include "strset.h"

/* What the state depends on besides the inputs' files. */
struct state_options {
	const char *content_dir;
	const char *templates_dir;
	const char *public_dir;
	const char *base_url;     /* NULL: site.yaml's */
	bool drafts;
	int threads;              /* for checking published files; 0 means 1 */
};

enum state_section {
	ST_INPUTS, ST_SAID, ST_FILES, ST_RENDERS, ST_SOURCES, ST_RELATED,
	ST_COUNT
};

/* The file as read.  sound: its table, lengths and checksums hold. */
struct state_text {
	char *data;               /* NUL-terminated; NULL when there is none */
	size_t len;
	bool sound;
	struct state_span {
		const char *p;
		size_t len;
	} sec[ST_COUNT];
};

/* Checks `len` bytes of a state file (taking over `data`, malloc'd with
 * room for a NUL after len) into *t.  False, with t->sound false, when
 * they are not a sound state file of this format; *why is then a
 * diagnostic code (D_CACHE_DAMAGED or D_CACHE_OTHER). */
bool state_parse(char *data, size_t len, struct state_text *t, int *why);
void state_text_free(struct state_text *t);
/* The file image of the sections `sec` (table, then the sections),
 * appended to out: what state_save writes and state_parse reads. */
void state_format(const struct state_span sec[ST_COUNT], struct buf *out);

/* Reads the state file and says whether public/ is already what a build
 * would write; *said is then what that build printed (and only the head
 * of the file was read: *text stays empty).  Otherwise *text is the whole
 * file as read, for state_prev_load, and a damaged one is reported in
 * `d`.  *inputs is the fingerprint as it is now (for state_save).  The
 * caller frees *said, *inputs and *text. */
bool state_up_to_date(const struct state_options *opt, struct diags *d,
    char **said, char **inputs, struct state_text *text);

/* What the last build left that this one can use (see "When it is
 * valid" above). */
struct state_prev {
	struct strset keys;       /* published path -> key (63 bits) */
	/* The size and mtime each of those was found with (an index into
	 * stamps): state_save takes a kept file's from here, not from
	 * another look at it. */
	struct strset stamped;
	struct state_stamp {
		unsigned long long size, mtime_s, mtime_ns;
	} *stamps;
	struct strset files;      /* every file published */
	bool have_files;          /* false: no usable list, walk public/ */
	struct strset renders;    /* slug -> offset of its line in sec[ST_RENDERS] */
	struct strset sources;    /* article file -> offset in sec[ST_SOURCES] */
	uint64_t related_key;
	const char *related;      /* relate_put's lines, or NULL */
	size_t related_len;
	struct state_text text;   /* what the above point into */
};

/* Takes over `text` (from state_up_to_date) and indexes it. */
void state_prev_load(const struct state_options *opt, struct state_text *text,
    struct state_prev *prev);
void state_prev_free(struct state_prev *prev);
/* The last build's render record for `slug` (rcache.h), without its
 * newline; false when there is none. */
bool state_render_record(const struct state_prev *prev, const char *slug,
    const char **record, size_t *len);
/* known_source_fn (load.h) over the last build's records of article
 * files; ctx is a struct state_prev.  Thread-safe. */
bool state_source(const void *ctx, const char *name, const char *path,
    struct source_record *out, struct arena *a);
/* Reads one sources record (without its newline) into *out, the tree in
 * `a` with `path` in its positions, out->line pointing at the record;
 * false when it does not read. */
bool state_read_source(const char *line, size_t len, const char *path,
    struct source_record *out, struct arena *a);
/* The last build's related lists when made from what `key` says, else
 * NULL. */
const char *state_related(const struct state_prev *prev, uint64_t key,
    size_t *len);

/* Appends the record of one article file, for state_save. */
void state_put_source(struct buf *out, const struct source_record *r);

/* What a build hands on to the next. */
struct state_next {
	const char *inputs;              /* state_up_to_date's, from the start */
	const char *said;
	const struct strset *keys;       /* path -> key (pages.h) */
	const struct strset *files;      /* what the commit published */
	const struct buf *renders, *sources, *related;
	uint64_t related_key;
	const struct state_prev *prev;   /* the last build's, or NULL */
};
/* Records the state after a build committed public/: the published
 * files' sizes and mtimes are taken now, except for a file whose key is
 * the one it had and was verified with in `prev` (the build kept it as
 * it was; had it been written anyway, its new mtime only makes the next
 * build write it once more).  A state that cannot be written
 * only costs the next build its speed. */
void state_save(const struct state_options *opt, const struct state_next *s);
/* Removes the state (before a build that may change public/). */
void state_forget(const struct state_options *opt);

#endif
