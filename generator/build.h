/* build.h — the whole pipeline, input to publish, as `haichao build` and
 * `haichao check` run it.  main.c only parses options and calls these. */
#ifndef HAICHAO_BUILD_H
#define HAICHAO_BUILD_H

#include <stdbool.h>

struct build_options {
	const char *content_dir;
	const char *templates_dir;
	const char *templates_said; /* chosen without -t: the summary names it */
	const char *public_dir;
	const char *base_url;     /* NULL: site.yaml's */
	bool drafts;
	bool write;               /* false for `check` */
	bool no_fsync;            /* publish without waiting for the disk */
	int threads;
};

/* Runs the pipeline; returns the exit status (0 ok, 1 content errors,
 * 2 system errors).  Diagnostics are printed to stderr. */
int build_run(const struct build_options *opt);

/* `haichao status`: what lacks or lags an English version. */
int build_status(const struct build_options *opt);

#endif
