/*
 * cmd-run.c - majlis run: one scheduled tick: what arrived, then the
 * tick, then the outbox. With --json, one line per message and per step
 * (deadline, event, job) and a last "tick" line with the counts.
 */
#include <string.h>

#include "../clock.h"
#include "../ingest.h"
#include "../outbox.h"
#include "../tick.h"
#include "cli.h"

static int
print_step(void *ctx, const struct rec *r)
{
	struct cli *cli = ctx;

	if (cli->json)
		out_json(r);
	return 0;
}

enum majlis_status
cmd_run(struct cli *cli, int argc, char **argv)
{
	struct tick_counts c;
	enum majlis_status rc;
	char now[TIME_LEN];

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, "run", "no arguments expected");
	/* What arrived first: its events are applied by this tick. */
	{
		struct ingest_counts ic;

		rc = cli_ingest(cli, NULL, cli->json, &ic);
		if (rc == MAJLIS_OK && !cli->json && ic.seen)
			printf("ingest: %d message%s: %d applied, %d for "
			       "review, %d rejected, %d quarantined\n",
			       ic.seen, ic.seen == 1 ? "" : "s",
			       ic.by_action[INGEST_APPLIED],
			       ic.by_action[INGEST_REVIEW],
			       ic.by_action[INGEST_REJECTED],
			       ic.by_action[INGEST_QUARANTINED]);
		if (rc != MAJLIS_OK)
			return rc;
	}
	rc = tick_run(&cli->e, print_step, cli, &c, &cli->err);
	if (rc == MAJLIS_OK && !cli->json) {
		time_format_utc(clock_now(cli->e.clock), now);
		printf("tick at %s: %d deadline%s passed, %d event%s applied, "
		       "%d refused, %d ignored, %d job%s done",
		       now, c.deadlines, c.deadlines == 1 ? "" : "s",
		       c.applied, c.applied == 1 ? "" : "s", c.refused,
		       c.ignored, c.jobs, c.jobs == 1 ? "" : "s");
		if (c.retried || c.failed)
			printf(", %d to retry, %d failed", c.retried, c.failed);
		printf("\n");
	}
	/* Then what the tick queued leaves. */
	if (rc == MAJLIS_OK) {
		struct outbox_counts oc;

		rc = outbox_flush(&cli->e, 0, &oc, &cli->err);
		if (rc == MAJLIS_OK)
			cli_print_sent(cli, &oc);
	}
	return rc;
}
