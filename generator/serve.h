/* serve.h — `haichao serve`: build the site, serve it over HTTP, rebuild
 * on every change to content/ or templates/, and reload the open pages.
 *
 * Why the build runs as a child process (this executable, `build ... -o
 * <folder>`) rather than a function call: a long-running server must not
 * take over a build's failures (a crash, a leak, an abort on memory) or
 * its memory, which is returned in full when it exits, so the server's
 * stays flat however many edits it sees; and the build's own incremental
 * cache beside that folder makes a one-article rebuild cost what `haichao
 * build` costs after one edit.  The build publishes all or nothing, so the
 * folder always holds the last good build: that is what is served while a
 * change has errors.  Its diagnostics (`path:line:col: error: message`,
 * read from its stderr) go to the terminal and to the open pages.
 *
 * Without -o the site is built into a private temporary folder (under
 * $TMPDIR) removed on exit, Ctrl-C or SIGTERM included, so nothing is
 * written into public/; with -o, into that folder, which stays.
 *
 * Modules: serve.c (this loop: options, socket, child builds), http.c
 * (requests, path safety, types, the reload stream), watch.c (inotify).
 * Memory: everything serve_run makes is freed before it returns. */
#ifndef HAICHAO_SERVE_H
#define HAICHAO_SERVE_H

#include <stdbool.h>

#define SERVE_DEFAULT_PORT 8080

struct serve_options {
	const char *content_dir;
	const char *templates_dir;
	const char *public_dir;   /* NULL: a temporary folder */
	const char *bind;         /* address to listen on */
	int port;                 /* -1: SERVE_DEFAULT_PORT or the next free one;
	                             0: any free port */
	bool drafts;
};

/* Runs until SIGINT, SIGTERM or SIGHUP; returns the exit status (0 after
 * a clean stop, 2 when the server cannot start). */
int serve_run(const struct serve_options *opt);

#endif
