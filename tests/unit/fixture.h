/* fixture.h — what the unit tests that need files share: a temporary
 * folder (ROOT) to build content trees in, writing files into it, and the
 * printed diagnostics (D) with "$" standing for ROOT in expectations.
 * Include after cmocka.h; each test program gets its own copy. */
#ifndef HAICHAO_TEST_FIXTURE_H
#define HAICHAO_TEST_FIXTURE_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

#define FIXTURE_UNUSED __attribute__((unused))

static char ROOT[64];
static struct diags D;

static void
remove_all(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dh = opendir(path);
		if (dh != NULL) {
			struct dirent *de;
			while ((de = readdir(dh)) != NULL) {
				if (strcmp(de->d_name, ".") == 0 ||
				    strcmp(de->d_name, "..") == 0)
					continue;
				char sub[4096];
				snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
				remove_all(sub);
			}
			closedir(dh);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* A fresh ROOT and an empty D; 0 on success (a cmocka setup result). */
static FIXTURE_UNUSED int
fixture_begin(void)
{
	strcpy(ROOT, "/tmp/haichao-unit-XXXXXX");
	if (mkdtemp(ROOT) == NULL)
		return -1;
	diags_init(&D);
	return 0;
}

static FIXTURE_UNUSED void
fixture_end(void)
{
	diags_free(&D);
	remove_all(ROOT);
}

/* Writes `len` bytes to ROOT/rel, creating its folders. */
static FIXTURE_UNUSED void
put_bytes(const char *rel, const char *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", ROOT, rel);
	for (char *p = path + strlen(ROOT) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(path, 0755) != 0 && errno != EEXIST)
				fail_msg("mkdir %s: %s", path, strerror(errno));
			*p = '/';
		}
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		fail_msg("cannot write %s", path);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static FIXTURE_UNUSED void
put(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

static FIXTURE_UNUSED void
make_dir(const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", ROOT, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* "$" in a template stands for ROOT. */
static FIXTURE_UNUSED const char *
X(const char *tmpl)
{
	static char out[2][1 << 15];
	static int which;
	char *o = out[which ^= 1];
	size_t n = 0;
	for (const char *p = tmpl; *p; p++) {
		if (*p == '$')
			n += (size_t)snprintf(o + n, sizeof(out[0]) - n, "%s", ROOT);
		else
			o[n++] = *p;
		assert_true(n < sizeof(out[0]) - 1);
	}
	o[n] = '\0';
	return o;
}

/* The printed diagnostics, in a static buffer.  An empty set is ""
 * without calling diags_print, whose empty case test_diag.c covers. */
static char diag_buf[1 << 16];

static FIXTURE_UNUSED const char *
diag_text(void)
{
	if (D.len == 0)
		return "";
	FILE *f = fmemopen(diag_buf, sizeof(diag_buf), "w");
	assert_non_null(f);
	diags_print(&D, f);
	fclose(f);
	return diag_buf;
}

#define ASSERT_DIAGS(expected) assert_string_equal(diag_text(), X(expected))

#endif
