/*
 * periodic.h - what a tick does on its own after the events and jobs:
 * the daily digests (digest.c), chasing unacknowledged mails with a
 * reminder and then the person's superior (chase.c), and rewriting the
 * private calendar feeds that changed (feed.c); before them, once a day,
 * the dashboards of reports/ (report-tick.c). Each but the dashboards
 * runs only when mail is set up (e->mail); each works in transactions
 * of its own and reports its work as records {"step": NAME, ...} to cb.
 */
#ifndef MAJLIS_PERIODIC_H
#define MAJLIS_PERIODIC_H

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

enum majlis_status periodic_run(struct engine *e, rec_cb cb, void *ctx,
				struct buf *err);

/* The parts, each in its own file. */
enum majlis_status digest_tick(struct engine *e, rec_cb cb, void *ctx,
			       struct buf *err);
enum majlis_status chase_tick(struct engine *e, rec_cb cb, void *ctx,
			      struct buf *err);
enum majlis_status report_tick(struct engine *e, rec_cb cb, void *ctx,
			       struct buf *err);
enum majlis_status feed_tick(struct engine *e, rec_cb cb, void *ctx,
			     struct buf *err);

#endif
