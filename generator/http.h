/* http.h — `haichao serve`'s HTTP side: serves the last good build of the
 * site over libmicrohttpd, tells open pages to reload (Server-Sent Events)
 * and shows a failed build's errors over them.
 *
 * Only what is served changes: files are sent as the build wrote them,
 * except that HTML responses get a small live-reload script before
 * </body>.  `haichao build` never sees this module.
 *
 * Safety: a request names a file under the site folder and nothing else.
 * The path is decoded once, here (not by the library): %00, encoded
 * slashes (%2f, %5c), control characters and bad escapes are refused
 * with 400, paths over HTTP_PATH_MAX with 414; any segment that is empty
 * or starts with '.' (so "..", ".git") is a 404; and the file is opened
 * one segment at a time with openat(O_NOFOLLOW) from a handle on the site
 * folder, so no symbolic link is followed and nothing outside is reached.
 *
 * Threads: one per connection (libmicrohttpd's thread-per-connection
 * mode): an event stream waits on a condition variable without holding up
 * other clients.  struct http is shared by those threads and the serve
 * loop, under its mutex.
 *
 * Memory: struct http and its strings are owned by the http object and
 * freed by http_stop; each request's memory is freed when it completes. */
#ifndef HAICHAO_HTTP_H
#define HAICHAO_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define HTTP_PATH_MAX 1024   /* decoded request path, bytes */

/* The path the page reload stream is served at (outside any site path:
 * a segment starting with '.' is never a site file). */
#define HTTP_EVENTS_PATH "/.haichao/events"

struct http;

/* Starts serving the folder `root` on the listening socket `listen_fd`
 * (which the http object then owns).  Returns NULL and a message in
 * err[errlen] when the library will not start. */
struct http *http_start(int listen_fd, const char *root, char *err,
    size_t errlen);

/* The URL path the site lives under ("/" or "/sub/path/", from base_url,
 * percent escapes allowed), so that 404.html's absolute links work; a
 * prefix that is not such a path means "/". */
void http_set_prefix(struct http *h, const char *prefix);

/* A build published changes: open pages reload (and drop any overlay). */
void http_published(struct http *h);

/* A build failed with these diagnostics (lines, '\n'-separated): open
 * pages show them in an overlay.  NULL or "" removes the overlay. */
void http_set_errors(struct http *h, const char *lines);

/* Stops serving (waking every event stream) and frees h. */
void http_stop(struct http *h);

/* ---- the parts with no server, for unit tests ---- */

enum http_decode { HTTP_DECODE_OK, HTTP_DECODE_BAD, HTTP_DECODE_LONG };

/* Decodes the path of request target `target` (up to '?' or '#') into
 * out[cap], percent escapes undone.  BAD: no leading '/', a bad escape,
 * an escaped '/' or '\\', a NUL or other control character.  LONG: the
 * decoded path does not fit in cap - 1 bytes. */
enum http_decode http_decode_path(const char *target, char *out, size_t cap);

/* True when `rel` (a decoded path relative to the site, no leading '/')
 * may name a file: every segment non-empty (a trailing '/' aside), not
 * starting with '.', without '\\'. */
bool http_rel_safe(const char *rel);

/* Content-Type for a file name, by extension (text types with
 * charset=utf-8); application/octet-stream when unknown. */
const char *http_mime(const char *name);

/* Opens `rel` (http_rel_safe) below the folder handle `dirfd`, one
 * segment at a time, following no symbolic link.  Returns an fd (the
 * caller closes it) on a regular file or folder, with *st filled, or -1. */
int http_open_beneath(int dirfd, const char *rel, struct stat *st);

#endif
