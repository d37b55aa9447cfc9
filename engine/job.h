/*
 * job.h - jobs: the work a transition queues (invite the members, fire an
 * event on children, notify people, record a decision), as rows in the
 * store. A tick does each due job once, in a transaction of its own that
 * also marks it done, so a crash before the commit leaves the job pending
 * and a crash after it leaves it done: never twice, never lost.
 *
 * Jobs a mailflow may declare:
 *   job = invite                 (meeting) invite the organization's members
 *   job = cascade KIND EVENT     fire EVENT on every child of kind KIND
 *   job = decide                 (agenda_item) record the decision of a vote
 *   notify = AUDIENCE MESSAGE    notify people with the flow's MESSAGE
 * AUDIENCE is owner, actor, members, invitees (meeting), role:ROLE or
 * staff:ROLE (civil servants with ROLE).
 */
#ifndef MAJLIS_JOB_H
#define MAJLIS_JOB_H

#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "objects.h"
#include "rec.h"
#include "status.h"

/* Checks a job as a mailflow declares it for objects of kind. Returns 0,
 * or -1 with the reason in why. */
int job_check(enum object_kind kind, const char *job, const char *arg1,
	      const char *arg2, struct buf *why);

/* Queues a job, due now, inside the caller's transaction. */
enum majlis_status job_queue(struct engine *e, const char *job,
			     enum object_kind kind, int64_t object_id,
			     const char *arg1, const char *arg2,
			     int64_t event_id, struct buf *err);

/* The oldest job due now, or 0. */
int64_t job_next_due(struct engine *e);

/*
 * Does one job in a transaction of its own and fills report (job, kind,
 * object, outcome, detail). A job that fails is retried by later ticks
 * with a growing delay, and marked failed after JOB_MAX_ATTEMPTS; either
 * way the failure is in the report and the audit log.
 */
#define JOB_MAX_ATTEMPTS 5
enum majlis_status job_run(struct engine *e, int64_t job_id,
			   struct rec *report, struct buf *err);

#endif
