/*
 * cmd-event.c - majlis event KIND ID EVENT [--as PERSON]
 * [--set FIELD=VALUE]... [--note TEXT]: a staff action, applied through
 * the object's mailflow at once; the jobs it queues run at the next tick.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../flow.h"
#include "../objects.h"
#include "../store.h"
#include "../sys.h"
#include "cli.h"

enum majlis_status
cmd_event(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "set", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char **set = xcalloc((size_t)argc + 1, sizeof(char *));
	const char *as = NULL, *note = NULL;
	struct event_spec ev;
	struct rec r = REC_INIT;
	struct buf cause = BUF_INIT;
	enum object_kind kind;
	enum majlis_status rc = MAJLIS_OK;
	int nset = 0, c;
	int64_t id, actor = 0, eid;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			as = optarg;
		else if (c == 's')
			set[nset++] = optarg;
		else if (c == 'n')
			note = optarg;
		else {
			rc = cli_usage(cli, "event", "unknown option");
			goto out;
		}
	}
	if (argc - optind != 3) {
		rc = cli_usage(cli, "event", "expected KIND ID EVENT");
		goto out;
	}
	if (object_kind_parse(argv[optind], &kind)) {
		rc = cli_usage(cli, "event",
			       "unknown kind '%s' (meeting, agenda_item, "
			       "dossier, invitation, petition, task, contact)",
			       argv[optind]);
		goto out;
	}
	rc = object_find(&cli->e, kind, argv[optind + 1], &id, &cli->err);
	if (rc == MAJLIS_OK && as)
		rc = person_find(&cli->e, as, &actor, &cli->err);
	if (rc != MAJLIS_OK)
		goto out;
	buf_addf(&cause, "majlis event %s %s %s", argv[optind],
		 argv[optind + 1], argv[optind + 2]);
	if (note)
		buf_addf(&cause, ": %s", note);
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.object_id = id;
	ev.name = argv[optind + 2];
	ev.actor_id = actor;
	ev.source = "cli";
	ev.cause = cause.data;
	ev.set = set;
	rc = event_record(&cli->e, &ev, &eid, &cli->err);
	if (rc == MAJLIS_OK)
		rc = event_apply(&cli->e, eid, &r, &cli->err);
	if (rc != MAJLIS_OK)
		goto out;
	if (cli->json) {
		out_json(&r);
	} else {
		const char *outcome = rec_text(&r, "outcome");

		printf("%s #%lld: %s %s", object_kind_name(kind),
		       (long long)id, ev.name, outcome);
		if (!strcmp(outcome, "applied"))
			printf(" (%s -> %s)", rec_text(&r, "from"),
			       rec_text(&r, "to"));
		printf("\n");
	}
	if (strcmp(rec_text(&r, "outcome"), "applied"))
		rc = error(&cli->err, MAJLIS_ERR_REFUSED, "refused: %s",
			   rec_text(&r, "reason") ? rec_text(&r, "reason")
						  : "no reason given");
out:
	rec_release(&r);
	buf_release(&cause);
	free(set);
	return rc;
}
