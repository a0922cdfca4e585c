/* main.c — haichao's command line: parse options, dispatch, exit.  Only
 * this file decides the exit status. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "pool.h"

#ifndef HAICHAO_VERSION
#define HAICHAO_VERSION "0.0"
#endif

static void
usage(FILE *out)
{
	fputs("usage: haichao build [-C content] [-t templates] [-o public]"
	    " [--base-url URL] [--drafts] [-j N]\n"
	    "       haichao check [-C content] [-t templates]\n"
	    "       haichao status [-C content]\n"
	    "       haichao --version\n", out);
}

static int
parse_jobs(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > 256)
		return -1;
	return (int)n;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("haichao %s\n", HAICHAO_VERSION);
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	struct build_options opt = {
		.content_dir = "content",
		.templates_dir = "templates",
		.public_dir = "public",
		.threads = pool_cpus(),
	};
	static const struct option longs[] = {
		{ "base-url", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	optind = 2;
	int c;
	while ((c = getopt_long(argc, argv, "C:t:o:j:h", longs, NULL)) != -1) {
		switch (c) {
		case 'C': opt.content_dir = optarg; break;
		case 't': opt.templates_dir = optarg; break;
		case 'o': opt.public_dir = optarg; break;
		case 'b': opt.base_url = optarg; break;
		case 'd': opt.drafts = true; break;
		case 'j':
			opt.threads = parse_jobs(optarg);
			if (opt.threads < 0) {
				fprintf(stderr, "haichao: -j takes a number from 1 to 256\n");
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (opt.base_url != NULL && strncmp(opt.base_url, "https://", 8) != 0 &&
	    strncmp(opt.base_url, "http://", 7) != 0) {
		fprintf(stderr, "haichao: --base-url must be an absolute http(s) URL, not '%s'\n",
		    opt.base_url);
		return 2;
	}
	if (strcmp(cmd, "build") == 0) {
		opt.write = true;
		return build_run(&opt);
	}
	if (strcmp(cmd, "check") == 0)
		return build_run(&opt);
	if (strcmp(cmd, "status") == 0)
		return build_status(&opt);
	fprintf(stderr, "haichao: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
