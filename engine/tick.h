/*
 * tick.h - one scheduled tick: what `majlis run` does.
 *
 * A tick turns passed deadlines into events, then applies pending events
 * and does due jobs, each in a transaction of its own, until nothing is
 * left; the jobs and events a step creates are handled by the same tick.
 * Everything happens at the clock's single "now", so a tick replayed
 * with the same --now changes nothing. The caller holds the instance
 * lock: two ticks never run at once.
 */
#ifndef MAJLIS_TICK_H
#define MAJLIS_TICK_H

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

struct tick_counts {
	int deadlines;	/* events raised by passed deadlines */
	int applied;	/* events that moved an object */
	int refused;	/* events a guard or the state refused */
	int ignored;	/* clock events that came too late to matter */
	int jobs;	/* jobs done */
	int retried;	/* jobs that failed and will be retried */
	int failed;	/* jobs given up */
};

/* The most steps (events plus jobs) one tick takes: a loop in the
 * mailflows stops here instead of running forever. */
#define TICK_MAX_STEPS 1000000

/*
 * Runs one tick. cb, if given, receives a record per step, with a "step"
 * field: deadline, event, job or tick (the summary, last). Ends with an
 * audit entry "tick" holding the counts.
 */
enum majlis_status tick_run(struct engine *e, rec_cb cb, void *ctx,
			    struct tick_counts *counts, struct buf *err);

#endif
