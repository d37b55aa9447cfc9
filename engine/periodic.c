/*
 * periodic.c - the tick's own work after events and jobs (periodic.h).
 */
#include "periodic.h"

enum majlis_status
periodic_run(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	enum majlis_status rc;

	/* Before the digests, which attach the day's dashboard. */
	rc = report_tick(e, cb, ctx, err);
	if (rc != MAJLIS_OK || !e->mail)
		return rc;
	rc = chase_tick(e, cb, ctx, err);
	if (rc == MAJLIS_OK)
		rc = digest_tick(e, cb, ctx, err);
	if (rc == MAJLIS_OK)
		rc = feed_tick(e, cb, ctx, err);
	return rc;
}
