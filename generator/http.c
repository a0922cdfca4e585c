/* http.c — `haichao serve`'s HTTP side: files of the last good build,
 * the reload script in HTML responses, the reload/error event stream.
 * See http.h for the safety rules and the threading. */
#include "http.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"

/* How often an idle event stream sends a comment: it keeps the
 * connection from timing out and notices a client that went away. */
#define SSE_HEARTBEAT_S 15
/* Idle connections are closed after this many seconds. */
#define IDLE_TIMEOUT_S 60
/* Simultaneous connections (each is a thread). */
#define MAX_CONNECTIONS 256

struct http {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	char *root;              /* the site folder */
	char *prefix;            /* "/" or "/sub/path/", as in base_url */
	char *prefix_path;       /* the same decoded, as paths are compared */
	/* gen: the published build open pages should show; starts from the
	 * clock so a page from an earlier server run reloads too. */
	uint64_t gen;
	uint64_t err_ver;        /* bumped whenever `errors` changes */
	char *errors;            /* NULL: no errors to show */
	bool stopping;
};

/* ---- the reload script ----------------------------------------------------
 * Listens to the event stream; "reload" reloads the page, "errors" shows
 * the diagnostics (as text: textContent escapes them) in a fixed box,
 * "clear" removes it.  `since` is the build this page came from, so a
 * build that finished before the stream connected still reloads it. */
static const char reload_script[] =
    "<script>/* haichao serve: live reload */(function(){"
    "var s=new EventSource(\"" HTTP_EVENTS_PATH "?since=%" PRIu64 "\");"
    "function clear(){var o=document.getElementById(\"haichao-errors\");"
    "if(o)o.remove();}"
    "s.addEventListener(\"reload\",function(){s.close();location.reload();});"
    "s.addEventListener(\"clear\",clear);"
    "s.addEventListener(\"errors\",function(e){clear();"
    "var o=document.createElement(\"pre\");o.id=\"haichao-errors\";"
    "o.setAttribute(\"role\",\"alert\");"
    "o.style.cssText=\"position:fixed;left:0;right:0;bottom:0;margin:0;"
    "max-height:60vh;overflow:auto;padding:1em 1.5em;z-index:2147483647;"
    "background:#2b0606;color:#fff;border-top:4px solid #e5484d;"
    "font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;"
    "text-align:left\";"
    "o.textContent=\"haichao: the last change does not build; this page "
    "is the last good build.\\n\\n\"+e.data;"
    "document.body.appendChild(o);});})();</script>\n";

/* ---- pure helpers --------------------------------------------------------- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum http_decode
http_decode_path(const char *target, char *out, size_t cap)
{
	if (target[0] != '/')
		return HTTP_DECODE_BAD;
	size_t n = 0;
	for (const char *p = target; *p != '\0' && *p != '?' && *p != '#'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				return HTTP_DECODE_BAD;
			c = (unsigned char)(hi * 16 + lo);
			p += 2;
			if (c == '/' || c == '\\')
				return HTTP_DECODE_BAD;
		}
		if (c < 0x20 || c == 0x7f)
			return HTTP_DECODE_BAD;
		if (n + 1 >= cap)
			return HTTP_DECODE_LONG;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return HTTP_DECODE_OK;
}

bool
http_rel_safe(const char *rel)
{
	const char *seg = rel;
	for (;;) {
		size_t len = strcspn(seg, "/");
		if (len == 0 && seg[0] == '/')
			return false;              /* an empty segment: "a//b" */
		if (seg[0] == '.' || memchr(seg, '\\', len) != NULL)
			return false;
		if (seg[len] == '\0')
			return true;
		seg += len + 1;
	}
}

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "xml", "application/xml; charset=utf-8" },
	{ "tsv", "text/tab-separated-values; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "json", "application/json; charset=utf-8" },
	{ "svg", "image/svg+xml; charset=utf-8" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "pdf", "application/pdf" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
};

const char *
http_mime(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash != NULL ? slash : name, '.');
	if (dot != NULL) {
		for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
			if (strcasecmp(dot + 1, mime_types[i].ext) == 0)
				return mime_types[i].type;
	}
	return "application/octet-stream";
}

/* Opens one segment below dirfd: a regular file or a folder, never a
 * link (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK). */
static int
open_segment(int dirfd, const char *name, struct stat *st)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))) {
		close(fd);
		return -1;
	}
	return fd;
}

int
http_open_beneath(int dirfd, const char *rel, struct stat *st)
{
	char name[HTTP_PATH_MAX];
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	const char *seg = rel;
	while (*seg != '\0') {
		size_t len = strcspn(seg, "/");
		if (len >= sizeof(name) || !S_ISDIR(st->st_mode)) {
			close(fd);
			return -1;
		}
		memcpy(name, seg, len);
		name[len] = '\0';
		int next = open_segment(fd, name, st);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		seg += len + (seg[len] == '/');
	}
	return fd;
}

/* ---- responses ------------------------------------------------------------ */

static enum MHD_Result
send_response(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text),
	    (void *)text, MHD_RESPMEM_PERSISTENT);
	if (r != NULL)
		MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	return send_response(c, status, r);
}

static enum MHD_Result
send_redirect(struct MHD_Connection *c, unsigned status, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r != NULL)
		MHD_add_response_header(r, "Location", location);
	return send_response(c, status, r);
}

/* The HTML in fd with the reload script before its last </body> (or at
 * its end).  Closes fd.  Returns false when it cannot be read. */
static bool
html_with_script(int fd, size_t size, uint64_t gen, struct buf *out)
{
	buf_grow(out, size + sizeof(reload_script) + 32);
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, out->data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != size)
		return false;
	out->len = got;
	out->data[got] = '\0';
	size_t at = got;
	for (size_t i = got; i >= 7; i--) {
		if (strncasecmp(out->data + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	}
	struct buf script = BUF_INIT;
	buf_printf(&script, reload_script, gen);
	buf_grow(out, script.len);
	memmove(out->data + at + script.len, out->data + at, got - at + 1);
	memcpy(out->data + at, script.data, script.len);
	out->len += script.len;
	buf_release(&script);
	return true;
}

static enum MHD_Result
send_html(struct MHD_Connection *c, unsigned status, int fd, size_t size,
    uint64_t gen, const char *etag)
{
	struct buf page = BUF_INIT;
	if (!html_with_script(fd, size, gen, &page)) {
		buf_release(&page);
		return send_text(c, 500, "cannot read the file\n");
	}
	size_t len = page.len;
	struct MHD_Response *r = MHD_create_response_from_buffer(len,
	    buf_detach(&page), MHD_RESPMEM_MUST_FREE);
	if (r != NULL) {
		MHD_add_response_header(r, "Content-Type", http_mime(".html"));
		if (etag != NULL)
			MHD_add_response_header(r, "ETag", etag);
	}
	return send_response(c, status, r);
}

/* The site's 404.html with status 404; without one (no build has
 * succeeded yet), a minimal page that still carries the reload script,
 * so that the error overlay and the reload after a fix reach it. */
static enum MHD_Result
send_not_found(struct MHD_Connection *c, int rootfd, uint64_t gen)
{
	static const char fallback[] = "<!DOCTYPE html>\n<html lang=\"en\">"
	    "<head><meta charset=\"utf-8\"><title>Not found</title></head>"
	    "<body><h1>Not found</h1><p>There is no such page in the last good "
	    "build.</p></body></html>\n";
	struct stat st;
	int fd = rootfd < 0 ? -1 : http_open_beneath(rootfd, "404.html", &st);
	if (fd >= 0 && S_ISREG(st.st_mode))
		return send_html(c, 404, fd, (size_t)st.st_size, gen, NULL);
	if (fd >= 0)
		close(fd);
	struct buf page = BUF_INIT;
	buf_puts(&page, fallback);
	buf_printf(&page, reload_script, gen);
	size_t len = page.len;
	struct MHD_Response *r = MHD_create_response_from_buffer(len,
	    buf_detach(&page), MHD_RESPMEM_MUST_FREE);
	if (r != NULL)
		MHD_add_response_header(r, "Content-Type", http_mime(".html"));
	return send_response(c, 404, r);
}

static bool
etag_matches(struct MHD_Connection *c, const char *etag)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	return inm != NULL && (strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL);
}

/* A regular file: 304 when the client has it, else its bytes (HTML with
 * the reload script).  The ETag is the file's identity and version; for
 * HTML also the build, since the script names it.  Takes fd. */
static enum MHD_Result
send_file(struct MHD_Connection *c, int fd, const struct stat *st,
    const char *name, uint64_t gen)
{
	const char *type = http_mime(name);
	bool html = strncmp(type, "text/html", 9) == 0;
	char etag[96];
	int n = snprintf(etag, sizeof(etag), "\"%jx-%jx-%jx.%09ld",
	    (uintmax_t)st->st_ino, (uintmax_t)st->st_size,
	    (uintmax_t)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec);
	if (html)
		snprintf(etag + n, sizeof(etag) - (size_t)n, "-%" PRIx64 "\"", gen);
	else
		snprintf(etag + n, sizeof(etag) - (size_t)n, "\"");
	if (etag_matches(c, etag)) {
		close(fd);
		struct MHD_Response *r = MHD_create_response_from_buffer(0,
		    (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, "ETag", etag);
		return send_response(c, MHD_HTTP_NOT_MODIFIED, r);
	}
	if (html)
		return send_html(c, MHD_HTTP_OK, fd, (size_t)st->st_size, gen, etag);
	struct MHD_Response *r = MHD_create_response_from_fd64(
	    (uint64_t)st->st_size, fd);
	if (r == NULL) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "ETag", etag);
	return send_response(c, MHD_HTTP_OK, r);
}

/* ---- the site -------------------------------------------------------------- */

/* The response for a decoded `path` under the site folder rootfd (-1
 * when there is none yet); `target` is the raw request target, for
 * redirects. */
static enum MHD_Result
route(struct MHD_Connection *c, int rootfd, const char *prefix,
    const char *prefix_path, const char *target, const char *path, uint64_t gen)
{
	size_t plen = strlen(prefix_path);
	if (strncmp(path, prefix_path, plen) != 0) {
		if (strlen(path) + 1 == plen && strncmp(path, prefix_path, plen - 1) == 0)
			return send_redirect(c, MHD_HTTP_MOVED_PERMANENTLY, prefix);
		if (strcmp(path, "/") == 0)
			return send_redirect(c, MHD_HTTP_FOUND, prefix);
		return send_not_found(c, rootfd, gen);
	}
	const char *rel = path + plen;
	struct stat st;
	int fd = rootfd < 0 || !http_rel_safe(rel) ? -1
	    : http_open_beneath(rootfd, rel, &st);
	if (fd < 0)
		return send_not_found(c, rootfd, gen);
	if (S_ISREG(st.st_mode))
		return send_file(c, fd, &st, rel, gen);
	if (rel[0] != '\0' && rel[strlen(rel) - 1] != '/') {
		/* A folder without its slash: relative links inside it would
		 * resolve against its parent. */
		close(fd);
		struct buf loc = BUF_INIT;
		size_t pathlen = strcspn(target, "?");
		buf_add(&loc, target, pathlen);
		buf_putc(&loc, '/');
		buf_puts(&loc, target + pathlen);
		enum MHD_Result ret = send_redirect(c, MHD_HTTP_MOVED_PERMANENTLY,
		    loc.data);
		buf_release(&loc);
		return ret;
	}
	int index = http_open_beneath(fd, "index.html", &st);
	close(fd);
	if (index >= 0 && S_ISREG(st.st_mode))
		return send_file(c, index, &st, "index.html", gen);
	if (index >= 0)
		close(index);
	return send_not_found(c, rootfd, gen);
}

static enum MHD_Result
serve_site(struct http *h, struct MHD_Connection *c, const char *target,
    const char *path)
{
	pthread_mutex_lock(&h->lock);
	char *root = xstrdup(h->root), *prefix = xstrdup(h->prefix);
	char *prefix_path = xstrdup(h->prefix_path);
	uint64_t gen = h->gen;
	pthread_mutex_unlock(&h->lock);
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	enum MHD_Result ret = route(c, rootfd, prefix, prefix_path, target, path,
	    gen);
	if (rootfd >= 0)
		close(rootfd);
	free(root);
	free(prefix);
	free(prefix_path);
	return ret;
}

/* ---- the event stream -------------------------------------------------------- */

struct sse {
	struct http *h;
	uint64_t gen;            /* the build the page shows */
	uint64_t err_ver;        /* the errors it shows */
	bool opened;
	struct buf out;          /* an event not yet handed to the library */
	size_t off;
};

static void
sse_errors(struct buf *out, const char *errors)
{
	buf_puts(out, "event: errors\n");
	for (const char *line = errors; *line != '\0';) {
		size_t len = strcspn(line, "\r\n");
		buf_puts(out, "data: ");
		buf_add(out, line, len);
		buf_putc(out, '\n');
		line += len;
		line += strspn(line, "\r\n");
	}
	buf_putc(out, '\n');
}

/* Waits until there is something to tell the page, and puts it into
 * out: a reload, the errors, their clearing, or a comment every
 * SSE_HEARTBEAT_S.  False when the server is stopping.  Called with
 * h->lock held. */
static bool
sse_wait(struct sse *s, struct buf *out)
{
	struct http *h = s->h;
	for (;;) {
		if (h->stopping)
			return false;
		if (!s->opened) {
			/* Something at once, so the stream opens now. */
			buf_puts(out, "retry: 1000\n\n");
			s->opened = true;
			return true;
		}
		if (s->gen != h->gen) {
			/* A reload also clears the overlay: the new page has none. */
			s->gen = h->gen;
			buf_puts(out, "event: reload\ndata: 1\n\n");
			return true;
		}
		if (s->err_ver != h->err_ver) {
			s->err_ver = h->err_ver;
			if (h->errors != NULL)
				sse_errors(out, h->errors);
			else
				buf_puts(out, "event: clear\ndata: 1\n\n");
			return true;
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SSE_HEARTBEAT_S;
		if (pthread_cond_timedwait(&h->changed, &h->lock, &until) == ETIMEDOUT) {
			buf_puts(out, ": still here\n\n");
			return true;
		}
	}
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *dst, size_t max)
{
	(void)pos;
	struct sse *s = cls;
	if (s->off == s->out.len) {
		buf_reset(&s->out);
		s->off = 0;
		pthread_mutex_lock(&s->h->lock);
		bool alive = sse_wait(s, &s->out);
		pthread_mutex_unlock(&s->h->lock);
		if (!alive)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = s->out.len - s->off < max ? s->out.len - s->off : max;
	memcpy(dst, s->out.data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
sse_free(void *cls)
{
	struct sse *s = cls;
	buf_release(&s->out);
	free(s);
}

static enum MHD_Result
serve_events(struct http *h, struct MHD_Connection *c)
{
	const char *since = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "since");
	struct sse *s = xcalloc(1, sizeof(*s));
	s->h = h;
	s->gen = since != NULL ? strtoull(since, NULL, 10) : 0;
	pthread_mutex_lock(&h->lock);
	if (since == NULL)
		s->gen = h->gen;
	/* A page opened while the build has errors shows them at once. */
	s->err_ver = h->errors != NULL ? h->err_ver - 1 : h->err_ver;
	pthread_mutex_unlock(&h->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 4096, sse_read, s, sse_free);
	if (r == NULL) {
		sse_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	return send_response(c, MHD_HTTP_OK, r);
}

/* ---- requests ------------------------------------------------------------------ */

/* The raw request target, before the library decodes it: decoding is
 * ours (http_decode_path), so that %00 and %2f are seen and refused. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	return xstrdup(uri);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req,
    enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	free(*req);
	*req = NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **req)
{
	(void)url;
	(void)version;
	(void)upload;
	(void)upload_size;
	struct http *h = cls;
	const char *target = *req;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		struct MHD_Response *r = MHD_create_response_from_buffer(0,
		    (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, "Allow", "GET, HEAD");
		return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	}
	char path[HTTP_PATH_MAX];
	switch (target == NULL ? HTTP_DECODE_BAD
	    : http_decode_path(target, path, sizeof(path))) {
	case HTTP_DECODE_OK:
		break;
	case HTTP_DECODE_LONG:
		return send_text(c, MHD_HTTP_URI_TOO_LONG, "URI too long\n");
	default:
		return send_text(c, MHD_HTTP_BAD_REQUEST, "bad request path\n");
	}
	if (strcmp(path, HTTP_EVENTS_PATH) == 0)
		return serve_events(h, c);
	return serve_site(h, c, target, path);
}

/* ---- the server ---------------------------------------------------------------- */

struct http *
http_start(int listen_fd, const char *root, char *err, size_t errlen)
{
	struct http *h = xcalloc(1, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->changed, &ca);
	pthread_condattr_destroy(&ca);
	h->root = xstrdup(root);
	h->prefix = xstrdup("/");
	h->prefix_path = xstrdup("/");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	h->gen = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
	h->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, h,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	    MHD_OPTION_END);
	if (h->daemon == NULL) {
		snprintf(err, errlen, "libmicrohttpd would not start");
		close(listen_fd);
		h->stopping = true;
		http_stop(h);
		return NULL;
	}
	return h;
}

void
http_set_prefix(struct http *h, const char *prefix)
{
	char decoded[HTTP_PATH_MAX];
	bool ok = http_decode_path(prefix, decoded, sizeof(decoded)) == HTTP_DECODE_OK &&
	    strchr(prefix, '?') == NULL && prefix[strlen(prefix) - 1] == '/';
	char *copy = xstrdup(ok ? prefix : "/");
	char *path = xstrdup(ok ? decoded : "/");
	pthread_mutex_lock(&h->lock);
	free(h->prefix);
	free(h->prefix_path);
	h->prefix = copy;
	h->prefix_path = path;
	pthread_mutex_unlock(&h->lock);
}

/* Replaces the errors (taking `copy`, NULL for none) and, with `publish`,
 * the build; wakes the event streams when anything changed. */
static void
change(struct http *h, char *copy, bool publish)
{
	pthread_mutex_lock(&h->lock);
	bool changed = publish || copy != NULL || h->errors != NULL;
	if (publish)
		h->gen++;
	if (copy != NULL || h->errors != NULL) {
		free(h->errors);
		h->errors = copy;
		h->err_ver++;
	}
	if (changed)
		pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void
http_published(struct http *h)
{
	change(h, NULL, true);
}

void
http_set_errors(struct http *h, const char *lines)
{
	change(h, lines != NULL && lines[0] != '\0' ? xstrdup(lines) : NULL, false);
}

void
http_stop(struct http *h)
{
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
	if (h->daemon != NULL)
		MHD_stop_daemon(h->daemon);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	free(h->root);
	free(h->prefix);
	free(h->prefix_path);
	free(h->errors);
	free(h);
}
