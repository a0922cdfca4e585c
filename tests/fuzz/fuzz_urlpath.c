/* fuzz_urlpath.c — libFuzzer target: the request path rules of `haichao
 * serve` (http_decode_path, http_rel_safe, generator/http.c).
 *
 * The input is a request target.  Checked: a decoded path starts with '/',
 * holds no control character and no more bytes than the buffer allows,
 * and is never longer than the target; LONG only when the target decodes
 * to more than the buffer holds.  Every path http_rel_safe accepts has no
 * segment that is empty (but the last), starts with '.', or holds '\\':
 * so no "..", no absolute path, nothing hidden. */
#include "fuzz_util.h"

#include "http.h"

static void
check_rel(const char *rel)
{
	if (!http_rel_safe(rel))
		return;
	CHECK(rel[0] != '/');
	for (const char *seg = rel; *seg != '\0';) {
		size_t len = strcspn(seg, "/");
		CHECK(seg[0] != '.');
		CHECK(memchr(seg, '\\', len) == NULL);
		CHECK(len > 0 || seg[len] == '\0');
		seg += len + (seg[len] == '/');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4 * HTTP_PATH_MAX)
		return 0;
	char *target = malloc(size + 1);
	memcpy(target, data, size);
	target[size] = '\0';
	char out[64];
	enum http_decode r = http_decode_path(target, out, sizeof(out));
	if (r == HTTP_DECODE_OK) {
		size_t len = strlen(out);
		CHECK(out[0] == '/');
		CHECK(len < sizeof(out) && len <= strlen(target));
		for (size_t i = 0; i < len; i++)
			CHECK((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
		check_rel(out + 1);
	} else if (r == HTTP_DECODE_LONG) {
		CHECK(strlen(target) >= sizeof(out) - 1);
	}
	check_rel(target);
	free(target);
	return 0;
}
