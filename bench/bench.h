/*
 * bench.h - what the C benchmarks of bench/ share: a monotonic clock in
 * seconds, and the process's peak memory.
 */
#ifndef MAJLIS_BENCH_H
#define MAJLIS_BENCH_H

#include <sys/resource.h>
#include <time.h>

static inline double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's peak resident memory, in KiB. */
static inline long
peak_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#endif
