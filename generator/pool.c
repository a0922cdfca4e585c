/* pool.c — a fixed set of threads pulling job numbers from one counter. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloc.h"

struct pool {
	pool_job_fn fn;
	void *ctx;
	size_t n_jobs;
	atomic_size_t next;
};

struct worker {
	struct pool *pool;
	int id;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	for (;;) {
		size_t job = atomic_fetch_add(&p->next, 1);
		if (job >= p->n_jobs)
			break;
		p->fn(p->ctx, job, w->id);
	}
	return NULL;
}

void
pool_run(int threads, size_t n_jobs, pool_job_fn fn, void *ctx)
{
	struct pool p = { fn, ctx, n_jobs, 0 };
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > n_jobs)
		threads = n_jobs > 0 ? (int)n_jobs : 1;
	struct worker *ws = xcalloc((size_t)threads, sizeof(*ws));
	pthread_t *ts = xcalloc((size_t)threads, sizeof(*ts));
	for (int i = 0; i < threads; i++) {
		ws[i] = (struct worker){ &p, i };
		/* Worker 0 is this thread, so -j 1 starts no thread at all. */
		if (i > 0 && pthread_create(&ts[i], NULL, work, &ws[i]) != 0) {
			fputs("haichao: cannot start a thread\n", stderr);
			abort();
		}
	}
	work(&ws[0]);
	for (int i = 1; i < threads; i++)
		pthread_join(ts[i], NULL);
	free(ws);
	free(ts);
}

int
pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
