/* test_http.c — unit tests for the parts of `haichao serve` that need no
 * server: request path decoding, the safe-path rule, opening files below
 * a folder without following links (generator/http.c), the content types,
 * and the names the watcher ignores (generator/watch.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>

#include "fixture.h"
#include "http.h"
#include "watch.h"

static void
decodes(const char *target, const char *want)
{
	char out[HTTP_PATH_MAX];
	assert_int_equal(http_decode_path(target, out, sizeof(out)), HTTP_DECODE_OK);
	assert_string_equal(out, want);
}

static void
refuses(const char *target, enum http_decode why)
{
	char out[HTTP_PATH_MAX];
	assert_int_equal(http_decode_path(target, out, sizeof(out)), why);
}

static void
test_decode(void **state)
{
	(void)state;
	decodes("/", "/");
	decodes("/zh/search/?q=%E5%87%BA", "/zh/search/");
	decodes("/a%20b/%E5%87%BA%e6%b5%b7.html#x", "/a b/出海.html");
	decodes("/%2e%2e/etc/passwd", "/../etc/passwd");   /* decoded; http_rel_safe refuses */
	refuses("zh/", HTTP_DECODE_BAD);
	refuses("/zh%2findex.html", HTTP_DECODE_BAD);
	refuses("/zh%2Findex.html", HTTP_DECODE_BAD);
	refuses("/..%5c..%5cwin.ini", HTTP_DECODE_BAD);
	refuses("/index.html%00.png", HTTP_DECODE_BAD);
	refuses("/a%0d%0aSet-Cookie:x", HTTP_DECODE_BAD);
	refuses("/a%7f", HTTP_DECODE_BAD);
	refuses("/a%", HTTP_DECODE_BAD);
	refuses("/a%4", HTTP_DECODE_BAD);
	refuses("/a%zz", HTTP_DECODE_BAD);
	char long_target[HTTP_PATH_MAX + 8];
	memset(long_target, 'a', sizeof(long_target) - 1);
	long_target[0] = '/';
	long_target[sizeof(long_target) - 1] = '\0';
	refuses(long_target, HTTP_DECODE_LONG);
}

static void
test_rel_safe(void **state)
{
	(void)state;
	assert_true(http_rel_safe(""));
	assert_true(http_rel_safe("index.html"));
	assert_true(http_rel_safe("zh/articles/x/"));
	assert_true(http_rel_safe("zh/articles/x/index.html"));
	assert_true(http_rel_safe("a..b/c"));
	assert_false(http_rel_safe(".."));
	assert_false(http_rel_safe("../etc/passwd"));
	assert_false(http_rel_safe("zh/../../etc"));
	assert_false(http_rel_safe("zh/./index.html"));
	assert_false(http_rel_safe(".git/config"));
	assert_false(http_rel_safe("zh//index.html"));
	assert_false(http_rel_safe("/etc/passwd"));
	assert_false(http_rel_safe("..\\..\\win.ini"));
}

static void
test_mime(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "index.html", "text/html; charset=utf-8" },
		{ "feed.xml", "application/xml; charset=utf-8" },
		{ "index.tsv", "text/tab-separated-values; charset=utf-8" },
		{ "robots.txt", "text/plain; charset=utf-8" },
		{ "assets/style.css", "text/css; charset=utf-8" },
		{ "a/b.js", "text/javascript; charset=utf-8" },
		{ "favicon.svg", "image/svg+xml; charset=utf-8" },
		{ "x/CHART.PNG", "image/png" },
		{ "p.jpg", "image/jpeg" },
		{ "p.jpeg", "image/jpeg" },
		{ "p.gif", "image/gif" },
		{ "p.webp", "image/webp" },
		{ "favicon.ico", "image/x-icon" },
		{ "report.pdf", "application/pdf" },
		{ "no-extension", "application/octet-stream" },
		{ "dir.html/file", "application/octet-stream" },
		{ "x.exe", "application/octet-stream" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(http_mime(cases[i][0]), cases[i][1]);
}

/* ROOT/site/{index.html, zh/page.html, link.html -> zh/page.html,
 * linked -> zh, out.txt -> ../secret.txt}, ROOT/secret.txt */
static int
make_site(void)
{
	char path[256];
	put("site/index.html", "<p>root</p>");
	put("site/zh/page.html", "<p>zh</p>\n");
	put("secret.txt", "secret");
	snprintf(path, sizeof(path), "%s/site/link.html", ROOT);
	if (symlink("zh/page.html", path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/site/linked", ROOT);
	if (symlink("zh", path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/site/out.txt", ROOT);
	if (symlink("../secret.txt", path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/site", ROOT);
	return open(path, O_RDONLY | O_DIRECTORY);
}

static int
setup(void **state)
{
	(void)state;
	return fixture_begin();
}

static int
teardown(void **state)
{
	(void)state;
	fixture_end();
	return 0;
}

static void
test_open_beneath(void **state)
{
	(void)state;
	int site = make_site();
	assert_true(site >= 0);
	struct stat st;
	int fd = http_open_beneath(site, "zh/page.html", &st);
	assert_true(fd >= 0 && S_ISREG(st.st_mode) && st.st_size == 10);
	close(fd);
	fd = http_open_beneath(site, "zh/", &st);
	assert_true(fd >= 0 && S_ISDIR(st.st_mode));
	close(fd);
	fd = http_open_beneath(site, "", &st);
	assert_true(fd >= 0 && S_ISDIR(st.st_mode));
	close(fd);
	assert_int_equal(http_open_beneath(site, "link.html", &st), -1);
	assert_int_equal(http_open_beneath(site, "linked/page.html", &st), -1);
	assert_int_equal(http_open_beneath(site, "out.txt", &st), -1);
	assert_int_equal(http_open_beneath(site, "index.html/x", &st), -1);
	assert_int_equal(http_open_beneath(site, "missing.html", &st), -1);
	close(site);
}

static void
test_watch_ignored(void **state)
{
	(void)state;
	assert_false(watch_ignored("slug.zh.md"));
	assert_false(watch_ignored("site.yaml"));
	assert_false(watch_ignored("chart.svg"));
	assert_false(watch_ignored(".draft.zh.md"));
	assert_true(watch_ignored(".slug.zh.md.swp"));
	assert_true(watch_ignored(".goutputstream-ABC123"));
	assert_true(watch_ignored(".#slug.zh.md"));
	assert_true(watch_ignored("#slug.zh.md#"));
	assert_true(watch_ignored("slug.zh.md~"));
	assert_true(watch_ignored("4913"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_rel_safe),
		cmocka_unit_test(test_mime),
		cmocka_unit_test_setup_teardown(test_open_beneath, setup, teardown),
		cmocka_unit_test(test_watch_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
