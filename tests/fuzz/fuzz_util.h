/* fuzz_util.h — helpers shared by the libFuzzer targets: a scratch content
 * tree on tmpfs, created once per process and removed at exit, and a check
 * macro that crashes (so libFuzzer keeps the input) when an invariant fails.
 *
 * Header-only on purpose: each target is one .c file linked against the
 * generator's objects, nothing else. */
#ifndef HAICHAO_FUZZ_UTIL_H
#define HAICHAO_FUZZ_UTIL_H

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "load.h"
#include "site.h"

/* An invariant of the code under test: abort with a message, which
 * libFuzzer reports as a crash and saves the input for. */
#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",         \
			    __FILE__, __LINE__, #cond);                      \
			abort();                                             \
		}                                                            \
	} while (0)

static char fuzz_dir[256];

static inline int
fuzz_rm_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static inline void
fuzz_cleanup(void)
{
	if (fuzz_dir[0] != '\0')
		nftw(fuzz_dir, fuzz_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	fuzz_dir[0] = '\0';
}

/* Creates the per-process scratch folder and returns its path: under
 * $HAICHAO_FUZZ_TMP (run.sh points it at its own folder, which it removes
 * even after a crash skipped atexit), else /dev/shm so the many small
 * writes never touch a disk, else $TMPDIR or /tmp. */
static inline const char *
fuzz_tmpdir(void)
{
	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	const char *base = getenv("HAICHAO_FUZZ_TMP");
	if (base == NULL || *base == '\0')
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
		    : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/haichao-fuzz.XXXXXX", base);
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_dir;
}

/* Writes `len` bytes to dir/rel (folders must exist). */
static inline void
fuzz_write(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		abort();
	}
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror(path);
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

static inline void
fuzz_write_str(const char *dir, const char *rel, const char *text)
{
	fuzz_write(dir, rel, text, strlen(text));
}

static inline void
fuzz_mkdir(const char *dir, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		abort();
	}
}

/* A small archive that every content-level target shares: a site with a
 * base URL, one term of each taxonomy kind, two glossary terms (one CJK,
 * one Latin) and a second article `y` (with an English translation and
 * headings) for cross-links and anchors to point at. */
static const char fuzz_site_yaml[] =
    "title:\n  zh: 测试\n  en: Test\n"
    "base_url: https://x.example/\n"
    "languages: [zh, en]\n";

static const char fuzz_taxonomy_yaml[] =
    "companies:\n  acme:\n    zh: 阿克米\n    en: Acme\n"
    "apps:\n  rocket:\n    zh: 火箭\n    en: Rocket\n    company: acme\n"
    "    launched: 2020\n    status: active\n"
    "themes:\n  growth:\n    zh: 增长\n    en: Growth\n";

static const char fuzz_glossary_yaml[] =
    "- zh: 出海\n  pinyin: chūhǎi\n  en: going overseas\n"
    "  note_zh: 到海外。\n  note_en: Abroad.\n"
    "- zh: 躺赢\n  pinyin: tǎngyíng\n  en: winning without effort\n"
    "- zh: KOL\n  pinyin: KOL\n  en: key opinion leader\n";

static const char fuzz_y_zh[] =
    "---\ntitle: 另一篇\ntitle_en: Other\ndate: 2024-01-02\n"
    "companies: [acme]\napps: [rocket]\nthemes: [growth]\n---\n\n"
    "## 背景\n\n出海的故事。见[这篇](x.zh.md)。\n\n## Data 2024\n\n正文。\n";

static const char fuzz_y_en[] =
    "---\ntitle: Other\ndate: 2024-01-02\n---\n\n"
    "## Background\n\nGoing overseas.\n\n## 背景\n\nText.\n";

/* Writes the shared archive under dir/content and returns that path. */
static inline const char *
fuzz_make_site(const char *dir)
{
	static char content[300];
	snprintf(content, sizeof(content), "%s/content", dir);
	fuzz_mkdir(dir, "content");
	fuzz_mkdir(content, "articles");
	fuzz_write_str(content, "site.yaml", fuzz_site_yaml);
	fuzz_write_str(content, "taxonomy.yaml", fuzz_taxonomy_yaml);
	fuzz_write_str(content, "glossary.yaml", fuzz_glossary_yaml);
	fuzz_write_str(content, "articles/y.zh.md", fuzz_y_zh);
	fuzz_write_str(content, "articles/y.en.md", fuzz_y_en);
	return content;
}

/* The shared archive plus an article x (text `x_zh`) with an asset folder
 * x/ holding chart.png, loaded; aborts when it does not load cleanly. */
static inline struct site *
fuzz_load_with_x(const char *x_zh, const char *who)
{
	const char *content = fuzz_make_site(fuzz_tmpdir());
	fuzz_write_str(content, "articles/x.zh.md", x_zh);
	fuzz_mkdir(content, "articles/x");
	fuzz_write_str(content, "articles/x/chart.png", "not really a PNG\n");
	struct diags d;
	diags_init(&d);
	struct load_options opt = { .content_dir = content };
	struct site *s = site_load(&opt, &d);
	if (diags_failed(&d)) {
		diags_print(&d, stderr);
		fprintf(stderr, "%s: the fixed archive does not load\n", who);
		abort();
	}
	diags_free(&d);
	return s;
}

/* A FILE that swallows output, for diags_print. */
static inline FILE *
fuzz_devnull(void)
{
	static FILE *f;
	if (f == NULL)
		f = fopen("/dev/null", "w");
	if (f == NULL)
		abort();
	return f;
}

#endif
