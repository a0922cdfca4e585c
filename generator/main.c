/* main.c — haichao's command line: parse options, dispatch, exit.  Only
 * this file decides the exit status: 0 success, 1 content errors, 2 usage
 * or system errors.
 *
 * The commands and their options are two tables: adding a command is one
 * row in `commands` (with the option letters it takes), adding an option
 * one row in `options` (with the function that stores its value).  The
 * help texts come from the same rows, so they cannot drift from what is
 * parsed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "pool.h"
#include "scaffold.h"
#include "serve.h"

#ifndef HAICHAO_VERSION
#define HAICHAO_VERSION "0.0"
#endif
/* The installed default templates, set by the Makefile from PREFIX. */
#ifndef HAICHAO_TEMPLATES
#define HAICHAO_TEMPLATES "/usr/local/share/haichao/templates"
#endif

/* Everything the options and arguments of one run say. */
struct invocation {
	struct build_options opt;
	bool content_given;        /* -C */
	bool templates_given;      /* -t */
	bool output_given;         /* -o */
	int port;                  /* serve -p; -1: the default */
	const char *bind;          /* serve --bind */
	const char *title;         /* new article --title */
	char **args;               /* the operands after the options */
	int n_args;
};

/* Stores an option's value; false (after saying why) when it is invalid. */
typedef bool option_fn(struct invocation *inv, const char *arg);

static bool set_content(struct invocation *v, const char *a) { v->opt.content_dir = a; v->content_given = true; return true; }
static bool set_output(struct invocation *v, const char *a) { v->opt.public_dir = a; v->output_given = true; return true; }
static bool set_bind(struct invocation *v, const char *a) { v->bind = a; return true; }
static bool set_drafts(struct invocation *v, const char *a) { (void)a; v->opt.drafts = true; return true; }
static bool set_title(struct invocation *v, const char *a) { v->title = a; return true; }
static bool set_no_fsync(struct invocation *v, const char *a) { (void)a; v->opt.no_fsync = true; return true; }

static bool
set_templates(struct invocation *v, const char *a)
{
	v->opt.templates_dir = a;
	v->templates_given = true;
	return true;
}

/* A whole number from lo to hi into *out; false after saying what
 * `option` takes. */
static bool
set_number(const char *option, const char *what, const char *a, long lo,
    long hi, int *out)
{
	char *end;
	long n = strtol(a, &end, 10);
	if (*end != '\0' || end == a || n < lo || n > hi) {
		fprintf(stderr, "haichao: %s takes %s from %ld to %ld, not '%s'\n",
		    option, what, lo, hi, a);
		return false;
	}
	*out = (int)n;
	return true;
}

static bool
set_jobs(struct invocation *v, const char *a)
{
	return set_number("-j", "a number", a, 1, 256, &v->opt.threads);
}

static bool
set_port(struct invocation *v, const char *a)
{
	return set_number("-p", "a port number", a, 0, 65535, &v->port);
}

static bool
set_base_url(struct invocation *v, const char *a)
{
	if (strncmp(a, "https://", 8) != 0 && strncmp(a, "http://", 7) != 0) {
		fprintf(stderr, "haichao: --base-url must be an absolute http(s) URL, not '%s'\n", a);
		return false;
	}
	v->opt.base_url = a;
	return true;
}

/* Keys above 255 are long-only options. */
enum { OPT_BASE_URL = 256, OPT_DRAFTS, OPT_TITLE, OPT_BIND, OPT_NO_FSYNC };

static const struct option_row {
	int key;                 /* the short letter, or an OPT_ value */
	const char *name;        /* the long name, or NULL */
	const char *arg;         /* the argument's name, NULL for a flag */
	option_fn *set;
	const char *help;
} options[] = {
	{ 'C', NULL, "DIR", set_content,
	  "the content folder (default: content)" },
	{ 't', NULL, "DIR", set_templates,
	  "the templates folder (default: ./templates when it exists,\n"
	  "otherwise the installed ones, " HAICHAO_TEMPLATES ")" },
	{ 'o', NULL, "DIR", set_output,
	  "where to publish (default: public); missing parent folders are made" },
	{ OPT_BASE_URL, "base-url", "URL", set_base_url,
	  "the site's address for this build, instead of site.yaml's base_url" },
	{ OPT_DRAFTS, "drafts", NULL, set_drafts,
	  "include articles marked draft: true" },
	{ 'j', NULL, "N", set_jobs,
	  "threads to use, 1 to 256 (default: the number of CPUs);\n"
	  "the output is the same for every N" },
	{ OPT_TITLE, "title", "TITLE", set_title,
	  "the new article's title (default: the slug)" },
	{ 'p', NULL, "PORT", set_port,
	  "the port to listen on (default: 8080, or the next free one;\n"
	  "0: any free port)" },
	{ OPT_BIND, "bind", "ADDR", set_bind,
	  "the address to listen on (default: 127.0.0.1)" },
	{ OPT_NO_FSYNC, "no-fsync", NULL, set_no_fsync,
	  "publish without waiting for the disk (faster first builds): a\n"
	  "power cut may then leave the output half written" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static int run_build(struct invocation *v);
static int run_check(struct invocation *v);
static int run_status(struct invocation *v);
static int run_new(struct invocation *v);
static int run_serve(struct invocation *v);

/* A command: its name, the option keys it takes (rows of `options`), how
 * many operands, and what runs it. */
static const struct command {
	const char *name;
	const char *operands;      /* the synopsis after the options */
	const int *opts;           /* option keys, 0-terminated */
	int min_args, max_args;
	int (*run)(struct invocation *v);
	const char *summary;       /* one line for `haichao --help` */
	const char *help;          /* the paragraph for `haichao CMD --help` */
} commands[] = {
	{ "build", "", (const int[]){ 'C', 't', 'o', OPT_BASE_URL, OPT_DRAFTS, 'j',
	  OPT_NO_FSYNC, 0 },
	  0, 0, run_build, "build the site into public/",
	  "Builds the content folder into a website in the output folder. Only\n"
	  "files that changed are written; a failed build leaves the output as\n"
	  "it was. A cache beside the output, DIR.haichao-cache, makes the\n"
	  "next build do only what changed." },
	{ "check", "", (const int[]){ 'C', 't', OPT_BASE_URL, OPT_DRAFTS, 'j', 0 },
	  0, 0, run_check, "check content and templates, write nothing",
	  "Reads, checks and renders everything a build would, and reports every\n"
	  "problem, without writing anything." },
	{ "status", "", (const int[]){ 'C', OPT_DRAFTS, 0 },
	  0, 0, run_status, "list articles without an up-to-date English version",
	  "Prints a tab-separated line for each article without an English\n"
	  "translation (missing) or whose original was updated after it\n"
	  "(outdated), then a count." },
	{ "serve", "", (const int[]){ 'C', 't', 'o', 'p', OPT_BIND, OPT_DRAFTS, 0 },
	  0, 0, run_serve, "preview the site, rebuilt and reloaded on every change",
	  "Builds the site and serves it over HTTP (under base_url's path), then\n"
	  "rebuilds it whenever a file in the content or templates folder changes\n"
	  "and reloads the open pages. A change with errors shows them over the\n"
	  "pages and here, and the last good build is still served. Without -o\n"
	  "the site is built into a temporary folder, removed when the server\n"
	  "stops (Ctrl-C): nothing is written into public/. The URL is printed\n"
	  "once the first build is done." },
	{ "new", "site DIR | article SLUG", (const int[]){ 'C', OPT_TITLE, 0 },
	  2, 2, run_new, "start a new archive, or a new article",
	  "new site DIR makes DIR (which must be new or empty) a small bilingual\n"
	  "archive that builds as it is: content/ with site.yaml, taxonomy.yaml,\n"
	  "glossary.yaml and one article in Chinese and English.\n"
	  "new article SLUG writes content/articles/SLUG.zh.md (below -C) with\n"
	  "front matter dated today; it never overwrites a file." },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct option_row *
find_option(int key)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (options[i].key == key)
			return &options[i];
	return NULL;
}

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* "-C DIR" or "--base-url URL", into `out` (at least 64 bytes). */
static void
option_synopsis(const struct option_row *o, char *out, size_t size)
{
	if (o->name != NULL)
		snprintf(out, size, "--%s%s%s", o->name, o->arg ? " " : "",
		    o->arg ? o->arg : "");
	else
		snprintf(out, size, "-%c%s%s", o->key, o->arg ? " " : "",
		    o->arg ? o->arg : "");
}

static void
command_usage(const struct command *c, FILE *out)
{
	fprintf(out, "usage: haichao %s", c->name);
	char syn[64];
	for (const int *k = c->opts; *k; k++) {
		option_synopsis(find_option(*k), syn, sizeof(syn));
		fprintf(out, " [%s]", syn);
	}
	fprintf(out, "%s%s\n", *c->operands ? " " : "", c->operands);
}

static void
usage(FILE *out)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		command_usage(&commands[i], out);
	fputs("usage: haichao --help | --version | COMMAND --help\n", out);
}

/* Prints `text` with every line after the first indented by `indent`. */
static void
put_indented(const char *text, int indent, FILE *out)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%*s", indent, "");
	}
	fputc('\n', out);
}

static void
command_help(const struct command *c)
{
	command_usage(c, stdout);
	printf("\n%s\n\noptions:\n", c->help);
	char syn[64];
	for (const int *k = c->opts; *k; k++) {
		const struct option_row *o = find_option(*k);
		option_synopsis(o, syn, sizeof(syn));
		printf("  %-16s", syn);
		put_indented(o->help, 18, stdout);
	}
	printf("  %-16s", "-h, --help");
	put_indented("show this help", 18, stdout);
	puts("\nExit status: 0 success, 1 content errors, 2 usage or system errors.\n"
	    "See haichao(1).");
}

static void
main_help(void)
{
	puts("haichao — builds a folder of Chinese Markdown articles into a\n"
	    "bilingual (zh/en) static website.\n\n"
	    "usage: haichao COMMAND [options] [operands]\n\ncommands:");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-8s%s\n", commands[i].name, commands[i].summary);
	puts("\n  haichao COMMAND --help   the command's options\n"
	    "  haichao --version        the version\n\n"
	    "Exit status: 0 success, 1 content errors, 2 usage or system errors.\n"
	    "Environment: HAICHAO_TIMING=1 prints each stage's time;\n"
	    "SOURCE_DATE_EPOCH dates a feed that has no article.\n"
	    "Manual: haichao(1), haichao-content(5), haichao-templates(5).");
}

/* One line saying what is wrong, then the usage; the exit status 2. */
static int
usage_error(const struct command *c, const char *fmt, const char *what)
{
	fputs("haichao: ", stderr);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	if (c != NULL)
		command_usage(c, stderr);
	else
		usage(stderr);
	return 2;
}

/* getopt_long's tables for command `c`, into `shorts` and `longs`. */
static void
getopt_tables(const struct command *c, char *shorts, struct option *longs)
{
	char *s = shorts;
	*s++ = ':';                      /* a missing argument returns ':' */
	*s++ = 'h';
	size_t n = 0;
	longs[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (const int *k = c->opts; *k; k++) {
		const struct option_row *o = find_option(*k);
		if (o->name == NULL) {
			*s++ = (char)o->key;
			if (o->arg)
				*s++ = ':';
		} else {
			longs[n++] = (struct option){ o->name,
			    o->arg ? required_argument : no_argument, NULL, o->key };
		}
	}
	*s = '\0';
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* Parses argv[2...] for command `c`; -1 to go on, else the exit status. */
static int
parse_options(const struct command *c, int argc, char **argv,
    struct invocation *v)
{
	char shorts[2 * N_OPTIONS + 4];
	struct option longs[N_OPTIONS + 2];
	getopt_tables(c, shorts, longs);
	optind = 2;
	opterr = 0;
	int key;
	while ((key = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		/* A short option may sit inside a group (-dx): name it alone. */
		char letter[3] = { '-', (char)optopt, '\0' };
		const char *bad = optopt > 0 && optopt < 256 ? letter : argv[optind - 1];
		if (key == 'h') {
			command_help(c);
			return 0;
		}
		if (key == ':')
			return usage_error(c, "option '%s' needs a value", bad);
		if (key == '?')
			return usage_error(c, "unknown option '%s'", bad);
		/* An empty folder name means the current folder to nobody: to
		 * the file functions it is "/" or nothing. */
		if (optarg != NULL && *optarg == '\0')
			return usage_error(c, "option '%s' needs a value, not an empty one",
			    argv[optind - 1][0] == '\0' ? argv[optind - 2] : argv[optind - 1]);
		if (!find_option(key)->set(v, optarg))
			return 2;
	}
	v->args = argv + optind;
	v->n_args = argc - optind;
	if (v->n_args < c->min_args)
		return usage_error(c, "'%s' needs more operands", c->name);
	if (v->n_args > c->max_args)
		return usage_error(c, "unexpected operand '%s'", v->args[c->max_args]);
	for (int i = 0; i < v->n_args; i++)
		if (v->args[i][0] == '\0')
			return usage_error(c, "%s", "an operand is empty");
	return -1;
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Without -t: ./templates when it exists, else the installed defaults;
 * the build's summary then says which.  False (after saying so) when
 * there are none. */
static bool
choose_templates(struct invocation *v)
{
	if (v->templates_given)
		return true;
	if (is_dir("templates")) {
		v->opt.templates_dir = "templates";
		v->opt.templates_said = "./templates";
	} else if (is_dir(HAICHAO_TEMPLATES)) {
		v->opt.templates_dir = v->opt.templates_said = HAICHAO_TEMPLATES;
	} else {
		fprintf(stderr, "haichao: no templates: no ./templates here and none "
		    "installed in %s (give -t DIR)\n", HAICHAO_TEMPLATES);
		return false;
	}
	return true;
}

static int
run_build(struct invocation *v)
{
	v->opt.write = true;
	return choose_templates(v) ? build_run(&v->opt) : 2;
}

static int
run_check(struct invocation *v)
{
	return choose_templates(v) ? build_run(&v->opt) : 2;
}

static int
run_status(struct invocation *v)
{
	return build_status(&v->opt);
}

static int
run_new(struct invocation *v)
{
	const char *what = v->args[0];
	if (strcmp(what, "site") == 0 && (v->title != NULL || v->content_given))
		return usage_error(find_command("new"), "%s is for 'new article'",
		    v->title != NULL ? "--title" : "-C");
	if (strcmp(what, "site") == 0)
		return scaffold_site(v->args[1]);
	if (strcmp(what, "article") == 0)
		return scaffold_article(v->opt.content_dir, v->args[1], v->title);
	return usage_error(find_command("new"),
	    "'new' makes a 'site' or an 'article', not '%s'", what);
}

static int
run_serve(struct invocation *v)
{
	if (!choose_templates(v))
		return 2;
	struct serve_options o = {
		.content_dir = v->opt.content_dir,
		.templates_dir = v->opt.templates_dir,
		.public_dir = v->output_given ? v->opt.public_dir : NULL,
		.bind = v->bind != NULL ? v->bind : "127.0.0.1",
		.port = v->port,
		.drafts = v->opt.drafts,
	};
	return serve_run(&o);
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "%s", "no command given");
	const char *first = argv[1];
	if (strcmp(first, "--version") == 0) {
		printf("haichao %s\n", HAICHAO_VERSION);
		return 0;
	}
	if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
		main_help();
		return 0;
	}
	const struct command *c = find_command(first);
	if (c == NULL)
		return usage_error(NULL, first[0] == '-' ? "unknown option '%s'"
		    : "unknown command '%s'", first);
	struct invocation v = { .opt = {
		.content_dir = "content",
		.templates_dir = "templates",
		.public_dir = "public",
		.threads = pool_cpus(),
	}, .port = -1 };
	int status = parse_options(c, argc, argv, &v);
	return status >= 0 ? status : c->run(&v);
}
