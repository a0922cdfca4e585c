/* scaffold.h — `haichao new`: starts an archive, or an article in one.
 *
 * The files it writes are data: they live in share/scaffold/ and are
 * compiled in (generator/embed.sh writes scaffold_files), so that the
 * installed binary alone can start an archive anywhere.  Nothing is ever
 * overwritten: every file is created with O_EXCL, and `new site` wants a
 * new or empty folder.  Memory: nothing outlives a call. */
#ifndef HAICHAO_SCAFFOLD_H
#define HAICHAO_SCAFFOLD_H

#include <stddef.h>

/* One embedded file: its path below share/scaffold/ and its bytes. */
struct embedded_file {
	const char *path;
	size_t len;
	const char *data;
};

extern const struct embedded_file scaffold_files[];
extern const size_t scaffold_n_files;

/* Writes the sample archive (share/scaffold/site/) into `dir`, which must
 * not exist or be empty.  Returns the exit status (0, 1, or 2 when the
 * system refused), after printing what it did or every problem. */
int scaffold_site(const char *dir);

/* Writes content_dir/articles/SLUG.zh.md with front matter dated today
 * (SOURCE_DATE_EPOCH when set) and `title` (the slug when NULL); prints
 * its path.  The exit status, as above. */
int scaffold_article(const char *content_dir, const char *slug,
    const char *title);

#endif
