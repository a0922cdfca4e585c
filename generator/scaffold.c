/* scaffold.c — `haichao new site` and `haichao new article` (see
 * scaffold.h). */
#include "scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "input.h"
#include "site.h"

static const char site_prefix[] = "site/";

static const struct embedded_file *
embedded(const char *path)
{
	for (size_t i = 0; i < scaffold_n_files; i++)
		if (strcmp(scaffold_files[i].path, path) == 0)
			return &scaffold_files[i];
	return NULL;
}

/* mkdir -p for `path` itself; false with errno set. */
static bool
make_dirs(char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return true;
	char *slash = strrchr(path, '/');
	if (errno != ENOENT || slash == NULL || slash == path)
		return false;
	*slash = '\0';
	bool ok = make_dirs(path);
	*slash = '/';
	return ok && (mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* Creates `path` (and the folders above it) holding `len` bytes; an
 * existing file is reported and left alone. */
static bool
create_file(const char *path, const char *data, size_t len, struct diags *d)
{
	struct pos at = { path, 0, 0 };
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash != NULL)
		buf_add(&dir, path, (size_t)(slash - path));
	bool ok = slash == NULL || make_dirs(dir.data);
	buf_release(&dir);
	if (!ok) {
		diag_errno(d, &at, D_MAKE_FOLDER, errno);
		return false;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			diag(d, &at, D_NEW_EXISTS);
		else
			diag_errno(d, &at, D_CREATE, errno);
		return false;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	ok = off == len;
	if (!ok)
		diag_errno(d, &at, D_WRITE, errno);
	if (close(fd) != 0 && ok) {
		diag_errno(d, &at, D_WRITE, errno);
		ok = false;
	}
	return ok;
}

/* 0 when `dir` does not exist or holds nothing, 1 when it holds
 * something (or is not a folder), -1 with errno when it cannot be read. */
static int
dir_state(const char *dir)
{
	DIR *h = opendir(dir);
	if (h == NULL)
		return errno == ENOENT ? 0 : errno == ENOTDIR ? 1 : -1;
	bool empty = true;
	struct dirent *de;
	while (empty && (de = readdir(h)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(h);
	return empty ? 0 : 1;
}

/* Prints the diagnostics, if any, and turns them into the exit status. */
static int
finish(struct diags *d)
{
	diags_print(d, stderr);
	int status = diags_status(d);
	diags_free(d);
	return status;
}

int
scaffold_site(const char *dir)
{
	struct diags d;
	diags_init(&d);
	struct pos at = { dir, 0, 0 };
	int state = dir_state(dir);
	if (state != 0) {
		if (state > 0)
			diag(&d, &at, D_NEW_NOT_EMPTY);
		else
			diag_errno(&d, &at, D_READ, errno);
		return finish(&d);
	}
	struct buf path = BUF_INIT;
	size_t plen = strlen(site_prefix);
	for (size_t i = 0; i < scaffold_n_files && !diags_failed(&d); i++) {
		const struct embedded_file *f = &scaffold_files[i];
		if (strncmp(f->path, site_prefix, plen) != 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, f->path + plen);
		create_file(path.data, f->data, f->len, &d);
	}
	buf_release(&path);
	if (!diags_failed(&d))
		printf("haichao: started an archive in %s: cd %s && haichao build\n",
		    dir, dir);
	return finish(&d);
}

/* Today, or SOURCE_DATE_EPOCH's day when it is set, as YYYY-MM-DD. */
static void
today(char out[16])
{
	time_t now = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;
	if (sde != NULL && *sde) {
		now = (time_t)strtoll(sde, NULL, 10);
		gmtime_r(&now, &tm);
	} else {
		localtime_r(&now, &tm);
	}
	if (strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		strcpy(out, "1970-01-01");
}

/* `title` as a YAML double-quoted scalar; false when it holds a control
 * character (a title is one line), is not UTF-8 or is only spaces: the
 * build would refuse the file. */
static bool
yaml_quoted(struct buf *out, const char *title)
{
	size_t len = strlen(title);
	if (utf8_valid_prefix(title, len) != len || strspn(title, " ") == len)
		return false;
	buf_putc(out, '"');
	for (const char *p = title; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return false;
		if (*p == '"' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
	return true;
}

/* The embedded article with @TITLE@ and @DATE@ filled in. */
static void
fill_article(struct buf *out, const struct embedded_file *f,
    const char *title_yaml, const char *date)
{
	static const struct { const char *mark; size_t len; } marks[] = {
		{ "@TITLE@", 7 }, { "@DATE@", 6 },
	};
	const char *values[] = { title_yaml, date };
	const char *p = f->data, *end = f->data + f->len;
	while (p < end) {
		size_t m = 0;
		while (m < 2 && ((size_t)(end - p) < marks[m].len ||
		    memcmp(p, marks[m].mark, marks[m].len) != 0))
			m++;
		if (m < 2) {
			buf_puts(out, values[m]);
			p += marks[m].len;
		} else {
			buf_putc(out, *p++);
		}
	}
}

int
scaffold_article(const char *content_dir, const char *slug, const char *title)
{
	struct diags d;
	diags_init(&d);
	struct buf path = BUF_INIT, quoted = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/articles/%s.zh.md", content_dir, slug);
	if (!slug_valid(slug, strlen(slug)))
		diag(&d, NULL, D_SLUG, slug);
	else if (!yaml_quoted(&quoted, title ? title : slug))
		diag(&d, NULL, D_NEW_TITLE);
	else {
		char date[16];
		today(date);
		fill_article(&text, embedded("article.zh.md"), quoted.data, date);
		struct stat st;
		if (stat(content_dir, &st) != 0)
			diag_errno(&d, &(struct pos){ content_dir, 0, 0 },
			    D_NO_CONTENT_DIR, errno);
		else if (create_file(path.data, text.data, text.len, &d))
			printf("%s\n", path.data);
	}
	buf_release(&text);
	buf_release(&quoted);
	int status = finish(&d);
	buf_release(&path);
	return status;
}
