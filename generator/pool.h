/* pool.h — runs independent jobs on a few threads.  Jobs are numbered;
 * each worker takes the next number until none is left, so the order of
 * output never depends on the thread count. */
#ifndef HAICHAO_POOL_H
#define HAICHAO_POOL_H

#include <stddef.h>

typedef void (*pool_job_fn)(void *ctx, size_t job, int worker);

/* Calls fn(ctx, job, worker) for every job in [0, n_jobs), worker being in
 * [0, threads).  Returns when all are done. */
void pool_run(int threads, size_t n_jobs, pool_job_fn fn, void *ctx);

/* The number of online CPUs, at least 1. */
int pool_cpus(void);

#endif
