/*
 * tick.c - one scheduled tick (see tick.h).
 */
#include "tick.h"

#include <string.h>

#include "audit.h"
#include "clock.h"
#include "flow.h"
#include "job.h"
#include "periodic.h"
#include "store.h"

struct relay {
	rec_cb cb;
	void *ctx;
};

static void
report(rec_cb cb, void *ctx, const char *step, const struct rec *r)
{
	struct rec out = REC_INIT;

	if (!cb)
		return;
	rec_add_text(&out, "step", step);
	for (size_t i = 0; i < r->n; i++) {
		const struct field *f = &r->f[i];

		if (f->type == VAL_INT)
			rec_add_int(&out, f->name, f->i);
		else if (f->type == VAL_TEXT)
			rec_add_text(&out, f->name, f->s);
		else
			rec_add_null(&out, f->name);
	}
	cb(ctx, &out);
	rec_release(&out);
}

static int
relay_deadline(void *ctx, const struct rec *r)
{
	struct relay *rl = ctx;

	report(rl->cb, rl->ctx, "deadline", r);
	return 0;
}

static void
count_event(struct tick_counts *c, const struct rec *r)
{
	const char *o = rec_text(r, "outcome");

	if (!o)
		return;
	if (!strcmp(o, "applied"))
		c->applied++;
	else if (!strcmp(o, "refused"))
		c->refused++;
	else if (!strcmp(o, "ignored"))
		c->ignored++;
}

static void
count_job(struct tick_counts *c, const struct rec *r)
{
	const char *o = rec_text(r, "outcome");

	if (!o)
		return;
	if (!strcmp(o, "done"))
		c->jobs++;
	else if (!strcmp(o, "retry"))
		c->retried++;
	else if (!strcmp(o, "failed"))
		c->failed++;
}

enum majlis_status
tick_run(struct engine *e, rec_cb cb, void *ctx, struct tick_counts *counts,
	 struct buf *err)
{
	struct relay rl = { cb, ctx };
	struct buf summary = BUF_INIT;
	struct audit_entry a;
	enum majlis_status rc;
	long steps = 0;

	memset(counts, 0, sizeof(*counts));
	rc = flow_fire_deadlines(e, &counts->deadlines,
				 cb ? relay_deadline : NULL, &rl, err);
	while (rc == MAJLIS_OK) {
		int64_t id;
		struct rec r = REC_INIT;

		if (++steps > TICK_MAX_STEPS) {
			rc = error(err, MAJLIS_ERR_DATA,
				   "the tick stopped after %d steps: the "
				   "mailflows may raise events in a loop",
				   TICK_MAX_STEPS);
			break;
		}
		if ((id = event_next_pending(e)) != 0) {
			rc = event_apply(e, id, &r, err);
			if (rc == MAJLIS_OK) {
				count_event(counts, &r);
				report(cb, ctx, "event", &r);
			}
		} else if ((id = job_next_due(e)) != 0) {
			rc = job_run(e, id, &r, err);
			if (rc == MAJLIS_OK) {
				count_job(counts, &r);
				report(cb, ctx, "job", &r);
			}
		} else {
			rec_release(&r);
			break;
		}
		rec_release(&r);
	}
	/* Digests, reminders, calendar feeds: after the events, which they
	 * report on. */
	if (rc == MAJLIS_OK)
		rc = periodic_run(e, cb, ctx, err);
	if (rc != MAJLIS_OK)
		return rc;
	buf_addf(&summary,
		 "{\"deadlines\":%d,\"applied\":%d,\"refused\":%d,"
		 "\"ignored\":%d,\"jobs\":%d,\"retried\":%d,\"failed\":%d}",
		 counts->deadlines, counts->applied, counts->refused,
		 counts->ignored, counts->jobs, counts->retried,
		 counts->failed);
	memset(&a, 0, sizeof(a));
	a.actor = "system";
	a.action = "tick";
	a.cause = "majlis run";
	a.detail = summary.data;
	rc = store_begin(e->store, err);
	if (rc == MAJLIS_OK)
		rc = audit_write(e, &a, err);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	if (rc == MAJLIS_OK && cb) {
		struct rec r = REC_INIT;

		rec_add_int(&r, "deadlines", counts->deadlines);
		rec_add_int(&r, "applied", counts->applied);
		rec_add_int(&r, "refused", counts->refused);
		rec_add_int(&r, "ignored", counts->ignored);
		rec_add_int(&r, "jobs", counts->jobs);
		rec_add_int(&r, "retried", counts->retried);
		rec_add_int(&r, "failed", counts->failed);
		report(cb, ctx, "tick", &r);
		rec_release(&r);
	}
	buf_release(&summary);
	return rc;
}
