/* serve.c — `haichao serve`'s loop: a listening socket, the first build,
 * then inotify events, debounced, start child builds whose outcome
 * reloads the open pages or shows them the errors.  See serve.h for why
 * builds are child processes. */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "http.h"
#include "input.h"
#include "watch.h"
#include "yamlnode.h"

extern char **environ;

/* A save is often several events (an editor's temporary file, its
 * rename, a backup's removal) within a millisecond or two: a build
 * starts once no event has come for this long, so one save is one build. */
#define DEBOUNCE_MS 8
/* With the default port taken, the ports tried after it. */
#define PORT_TRIES 20

struct child {
	pid_t pid;               /* 0: no build running */
	int out;                 /* its stdout and stderr */
	struct buf said;
	struct timespec started;
};

struct server {
	const struct serve_options *opt;
	char *tmp;               /* our temporary folder, or NULL */
	char *site;              /* the folder builds publish into */
	struct http *http;
	struct watch *watch;
	struct child build;
	bool built;              /* the first build has finished */
	char url[512];
};

static long
ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* ---- the listening socket --------------------------------------------------- */

/* Binds host:port; with `search`, the next ports too when it is taken.
 * Returns the socket (listening) and *bound, or -1 with a message. */
static int
listen_on(const char *host, int port, bool search, int *bound, char *err,
    size_t errlen)
{
	int last = search ? port + PORT_TRIES : port;
	for (int p = port; p <= last; p++) {
		char service[16];
		snprintf(service, sizeof(service), "%d", p);
		struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
			.ai_socktype = SOCK_STREAM }, *res;
		int gai = getaddrinfo(host, service, &hints, &res);
		if (gai != 0) {
			snprintf(err, errlen, "--bind %s: %s", host, gai_strerror(gai));
			return -1;
		}
		int fd = -1, why = 0;
		for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
			int one = 1;
			if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one)) != 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
			    listen(fd, 128) != 0)) {
				why = errno;
				close(fd);
				fd = -1;
			}
		}
		freeaddrinfo(res);
		if (fd >= 0) {
			struct sockaddr_storage sa;
			socklen_t len = sizeof(sa);
			getsockname(fd, (struct sockaddr *)&sa, &len);
			*bound = ntohs(sa.ss_family == AF_INET6
			    ? ((struct sockaddr_in6 *)&sa)->sin6_port
			    : ((struct sockaddr_in *)&sa)->sin_port);
			return fd;
		}
		if (why != EADDRINUSE || p == last) {
			snprintf(err, errlen, "cannot listen on %s port %d: %s", host, p,
			    strerror(why));
			return -1;
		}
	}
	return -1;
}

/* ---- the site's URL path -------------------------------------------------- */

/* The path of site.yaml's base_url ("/haichao/"), or "/": the site is
 * served under it, as its host will serve it, so that 404.html's links
 * (which start from that path) work.  Problems in site.yaml are the
 * build's to report; here they only mean "/".  Caller frees. */
static char *
site_prefix(const char *content_dir)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/site.yaml", content_dir);
	struct diags d;
	diags_init(&d);
	struct arena a;
	arena_init(&a);
	char *text = NULL, *prefix = NULL;
	size_t len;
	if (read_file(path.data, &text, &len, &d)) {
		struct ynode *root = yaml_load(&a, &d, path.data, 1, text, len);
		struct ynode *url = ynode_get(root, "base_url");
		const char *p = url != NULL && url->kind == Y_SCALAR
		    ? strstr(url->str, "://") : NULL;
		p = p != NULL ? strchr(p + 3, '/') : NULL;
		if (p != NULL && strcspn(p, "?#") == strlen(p))
			prefix = p[strlen(p) - 1] == '/' ? xstrdup(p)
			    : (buf_reset(&path), buf_printf(&path, "%s/", p),
			    buf_detach(&path));
	}
	free(text);
	arena_free(&a);
	diags_free(&d);
	buf_release(&path);
	return prefix != NULL ? prefix : xstrdup("/");
}

/* ---- child builds ------------------------------------------------------------- */

static bool
build_start(struct server *s)
{
	const struct serve_options *o = s->opt;
	const char *argv[12] = { "haichao", "build", "-C", o->content_dir,
		"-t", o->templates_dir, "-o", s->site };
	int n = 8;
	if (o->drafts)
		argv[n++] = "--drafts";
	/* A temporary folder goes when the server stops: waiting for the
	 * disk to hold it is for nothing. */
	if (o->public_dir == NULL)
		argv[n++] = "--no-fsync";
	int fds[2];
	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) {
		fprintf(stderr, "haichao: cannot start a build: %s\n", strerror(errno));
		s->built = true;
		return false;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	/* The server blocks these signals for its signalfd and ignores
	 * SIGPIPE; the build gets the defaults, and a process group of its
	 * own, so Ctrl-C at the terminal reaches the server, which decides. */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none, defaults;
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	sigaddset(&defaults, SIGHUP);
	sigaddset(&defaults, SIGPIPE);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &defaults);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	clock_gettime(CLOCK_MONOTONIC, &s->build.started);
	int err = posix_spawn(&s->build.pid, "/proc/self/exe", &fa, &at,
	    (char *const *)argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (err != 0) {
		close(fds[0]);
		s->build.pid = 0;
		s->built = true;
		fprintf(stderr, "haichao: cannot start a build: %s\n", strerror(err));
		return false;
	}
	s->build.out = fds[0];
	buf_reset(&s->build.said);
	return true;
}

/* True when the build's summary says it wrote or removed files (or
 * cannot be read): only then do open pages need to reload. */
static bool
build_changed(const char *said)
{
	if (strstr(said, " is up to date: ") != NULL)
		return false;
	const char *p = strstr(said, " pages; ");
	const char *q = p != NULL ? strstr(p, " unchanged, ") : NULL;
	if (p == NULL || q == NULL)
		return true;
	return strtoul(p + 8, NULL, 10) != 0 || strtoul(q + 12, NULL, 10) != 0;
}

/* The build's error lines (`path:line:col: error: message`), or, when
 * it failed without any (a system error, a crash), all it said. */
static void
build_errors(const char *said, int status, struct buf *errors)
{
	for (const char *line = said; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		const char *e = strstr(line, ": error: ");
		if (e != NULL && e < line + len) {
			buf_add(errors, line, len);
			buf_putc(errors, '\n');
		}
		line += len + (line[len] == '\n');
	}
	if (errors->len == 0)
		buf_puts(errors, said);
	if (WIFSIGNALED(status))
		buf_printf(errors, "haichao: the build was killed by signal %d (%s)\n",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
}

/* The build has closed its output: what it did decides what the pages
 * see.  The terminal gets what it said. */
static void
build_finish(struct server *s)
{
	int status = 0;
	while (waitpid(s->build.pid, &status, 0) < 0 && errno == EINTR)
		continue;
	close(s->build.out);
	s->build.pid = 0;
	long ms = ms_since(&s->build.started);
	const char *said = s->build.said.data != NULL ? s->build.said.data : "";
	fputs(said, stderr);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		char *prefix = site_prefix(s->opt->content_dir);
		http_set_prefix(s->http, prefix);
		free(prefix);
		bool changed = build_changed(said);
		if (changed)
			http_published(s->http);
		else
			http_set_errors(s->http, NULL);
		fprintf(stderr, "haichao: built in %ld ms%s\n", ms,
		    s->built && changed ? "; reloading open pages" : "");
	} else {
		struct buf errors = BUF_INIT;
		build_errors(said, status, &errors);
		http_set_errors(s->http, errors.data);
		buf_release(&errors);
		fprintf(stderr, "haichao: the build failed (%ld ms)%s\n", ms,
		    s->built ? "; still serving the last good build" : "");
	}
	s->built = true;
}

/* Reads what the build says; true when it is done. */
static bool
build_read(struct server *s)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(s->build.out, chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(&s->build.said, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		build_finish(s);
		return true;
	}
}

/* ---- start and stop ------------------------------------------------------------ */

/* Removes `name` below dirfd and everything in it, following no link. */
static void
remove_tree(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
		return;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (dir != NULL) {
		struct dirent *e;
		while ((e = readdir(dir)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				remove_tree(fd, e->d_name);
		closedir(dir);
	} else if (fd >= 0) {
		close(fd);
	}
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
		fprintf(stderr, "haichao: cannot remove %s: %s\n", name, strerror(errno));
}

/* Where builds go: -o's folder, or a new temporary one. */
static bool
make_site_folder(struct server *s)
{
	if (s->opt->public_dir != NULL) {
		s->site = xstrdup(s->opt->public_dir);
		return true;
	}
	const char *tmpdir = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/haichao-serve.XXXXXX", tmpdir != NULL && tmpdir[0] != '\0'
	    ? tmpdir : "/tmp");
	if (mkdtemp(path.data) == NULL) {
		fprintf(stderr, "haichao: cannot create %s: %s\n", path.data,
		    strerror(errno));
		buf_release(&path);
		return false;
	}
	s->tmp = buf_detach(&path);
	buf_printf(&path, "%s/site", s->tmp);
	s->site = buf_detach(&path);
	return true;
}

static void
server_stop(struct server *s)
{
	if (s->http != NULL)
		http_stop(s->http);
	if (s->build.pid != 0) {
		/* A temporary folder is about to go: no need to finish. */
		if (s->tmp != NULL)
			kill(s->build.pid, SIGTERM);
		while (waitpid(s->build.pid, NULL, 0) < 0 && errno == EINTR)
			continue;
		close(s->build.out);
	}
	watch_close(s->watch);
	if (s->tmp != NULL)
		remove_tree(AT_FDCWD, s->tmp);
	buf_release(&s->build.said);
	free(s->tmp);
	free(s->site);
}

/* SIGINT, SIGTERM and SIGHUP, blocked in every thread (the server's are
 * started after this), are read from a signalfd by the loop. */
static int
signals_fd(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static bool
server_start(struct server *s, int sigfd)
{
	const struct serve_options *o = s->opt;
	char err[512];
	int port;
	struct stat st;
	if (stat(o->content_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "haichao: %s: not a folder (-C names the content folder)\n",
		    o->content_dir);
		return false;
	}
	/* Watched like the content: a folder that is not there could not be. */
	if (stat(o->templates_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "haichao: %s: not a folder (-t names the templates folder)\n",
		    o->templates_dir);
		return false;
	}
	int lfd = listen_on(o->bind, o->port < 0 ? SERVE_DEFAULT_PORT : o->port,
	    o->port < 0, &port, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "haichao: %s\n", err);
		return false;
	}
	if (sigfd < 0 || !make_site_folder(s)) {
		close(lfd);
		return false;
	}
	const char *roots[] = { o->content_dir, o->templates_dir };
	s->watch = watch_open(roots, 2);
	if (s->watch == NULL) {
		fprintf(stderr, "haichao: inotify: %s\n", strerror(errno));
		close(lfd);
		return false;
	}
	s->http = http_start(lfd, s->site, err, sizeof(err));
	if (s->http == NULL) {
		fprintf(stderr, "haichao: %s\n", err);
		return false;
	}
	char *prefix = site_prefix(o->content_dir);
	http_set_prefix(s->http, prefix);
	bool v6 = strchr(o->bind, ':') != NULL;
	snprintf(s->url, sizeof(s->url), "http://%s%s%s:%d%s", v6 ? "[" : "",
	    o->bind, v6 ? "]" : "", port, prefix);
	free(prefix);
	return true;
}

/* ---- the loop ------------------------------------------------------------------ */

static void
serve_loop(struct server *s, int sigfd)
{
	bool pending = true;     /* a build is due (the first at once) */
	bool announced = false;
	struct timespec quiet;   /* the last change seen */
	clock_gettime(CLOCK_MONOTONIC, &quiet);
	quiet.tv_sec -= 1;
	for (;;) {
		int timeout = -1;
		if (pending && s->build.pid == 0) {
			long wait = DEBOUNCE_MS - ms_since(&quiet);
			timeout = wait > 0 ? (int)wait : 0;
		}
		struct pollfd fds[3] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = watch_fd(s->watch), .events = POLLIN },
			{ .fd = s->build.pid != 0 ? s->build.out : -1, .events = POLLIN },
		};
		if (poll(fds, 3, timeout) < 0 && errno != EINTR)
			break;
		if (fds[0].revents != 0)
			break;
		if ((fds[1].revents & POLLIN) && watch_read(s->watch)) {
			pending = true;
			clock_gettime(CLOCK_MONOTONIC, &quiet);
		}
		for (const char *p; (p = watch_problem(s->watch)) != NULL;)
			fprintf(stderr, "haichao: %s\n", p);
		if (fds[2].revents != 0)
			build_read(s);
		if (s->build.pid == 0 && s->built && !announced) {
			/* After the first build, so the URL leads to a site. */
			printf("haichao: serving %s (Ctrl-C to stop)\n", s->url);
			fflush(stdout);
			announced = true;
		}
		if (pending && s->build.pid == 0 && ms_since(&quiet) >= DEBOUNCE_MS) {
			pending = false;
			build_start(s);
		}
	}
}

int
serve_run(const struct serve_options *opt)
{
	struct server s = { .opt = opt };
	int sigfd = signals_fd();
	int status = 2;
	if (server_start(&s, sigfd)) {
		serve_loop(&s, sigfd);
		status = 0;
	}
	server_stop(&s);
	if (sigfd >= 0)
		close(sigfd);
	if (status == 0)
		fprintf(stderr, "haichao: stopped\n");
	return status;
}
