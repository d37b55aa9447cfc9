/*
 * cmd-check.c - majlis check: reads majlis.conf (already read by main),
 * every mailflow, the calendar, the structure, the templates and the
 * notification rules, without opening the store, and reports every
 * problem as file:line: reason.
 */
#include <string.h>
#include <unistd.h>

#include "../calendar.h"
#include "../document.h"
#include "../flow.h"
#include "../notify.h"
#include "../store.h"
#include "../structure.h"
#include "cli.h"

struct describe {
	struct cli *cli;
};

static int
print_flow(void *ctx, const struct rec *r)
{
	struct describe *d = ctx;

	if (d->cli->json) {
		struct rec out = REC_INIT;

		rec_add_text(&out, "check", "mailflow");
		for (size_t i = 0; i < r->n; i++) {
			if (r->f[i].type == VAL_INT)
				rec_add_int(&out, r->f[i].name, r->f[i].i);
			else
				rec_add_text(&out, r->f[i].name, r->f[i].s);
		}
		rec_add_text(&out, "status", "ok");
		out_json(&out);
		rec_release(&out);
	} else {
		printf("mailflow  %-12s %s: %lld states, %lld transitions, "
		       "%lld deadlines, %lld messages\n",
		       rec_text(r, "object"), rec_text(r, "file"),
		       (long long)rec_int(r, "states", 0),
		       (long long)rec_int(r, "transitions", 0),
		       (long long)rec_int(r, "deadlines", 0),
		       (long long)rec_int(r, "messages", 0));
	}
	return 0;
}

static void
report(struct cli *cli, const char *what, const char *file, const char *msg)
{
	if (cli->json) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "check", what);
		rec_add_text(&r, "file", file);
		rec_add_text(&r, "status", msg ? "error" : "ok");
		rec_add_text(&r, "error", msg);
		out_json(&r);
		rec_release(&r);
	} else if (!msg) {
		printf("%-9s %s: ok\n", what, file);
	}
}

enum majlis_status
cmd_check(struct cli *cli, int argc, char **argv)
{
	struct buf path = BUF_INIT;
	struct structure *s = NULL;
	struct describe d = { cli };
	enum majlis_status rc, worst = MAJLIS_OK, flows_rc;
	size_t mark;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, "check", "no arguments expected");
	cli_path(cli, &path, "majlis.conf");
	report(cli, "config", cli->cfg.found ? path.data : "(defaults)", NULL);

	mark = cli->err.len;
	rc = flows_rc = cli_load_flows(cli);
	if (rc == MAJLIS_OK)
		flowset_describe(cli->e.flows, print_flow, &d);
	else
		report(cli, "mailflow", "mailflows", cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;

	mark = cli->err.len;
	rc = cli_load_calendar(cli);
	cli_data_path(cli, &path, "calendar/holidays.ini");
	report(cli, "calendar", path.data,
	       rc == MAJLIS_OK ? NULL : cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;

	mark = cli->err.len;
	if (cli->cfg.structure[0] == '/')
		buf_setf(&path, "%s", cli->cfg.structure);
	else
		cli_data_path(cli, &path, cli->cfg.structure);
	rc = structure_parse_file(path.data, &s, &cli->err);
	report(cli, "structure", path.data,
	       rc == MAJLIS_OK ? NULL : cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;
	structure_free(s);

	/* Templates: syntax, vocabulary, and each field they name. */
	mark = cli->err.len;
	rc = cli_open_documents(cli);
	if (rc == MAJLIS_OK)
		rc = documents_check(cli->e.docs, &cli->err);
	cli_data_path(cli, &path, "templates");
	report(cli, "templates", path.data,
	       rc == MAJLIS_OK ? NULL : cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;

	/* Reports: each definition, and each query prepared against an
	 * empty database of the current schema. */
	mark = cli->err.len;
	{
		struct store *empty = NULL;

		rc = store_open(":memory:", STORE_CREATE, &empty, &cli->err);
		if (rc == MAJLIS_OK)
			rc = cli_load_reports(cli, empty);
		store_close(empty);
	}
	cli_data_path(cli, &path, "reports");
	report(cli, "reports", path.data,
	       rc == MAJLIS_OK ? NULL : cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;

	/* Notification rules: the shipped ones and the instance's, and the
	 * messages they name, against the mailflows if those loaded. */
	mark = cli->err.len;
	rc = cli_load_notify(cli, flows_rc == MAJLIS_OK);
	cli_data_path(cli, &path, "notify/rules.ini");
	report(cli, "notify", path.data,
	       rc == MAJLIS_OK ? NULL : cli->err.data + mark);
	if (rc != MAJLIS_OK)
		worst = rc;
	buf_release(&path);
	if (worst == MAJLIS_OK && !cli->json)
		printf("configuration OK\n");
	if (worst != MAJLIS_OK && cli->json) {
		/* The JSON lines said it all; keep stderr for the summary. */
		buf_reset(&cli->err);
		error(&cli->err, worst, "check failed");
	}
	return worst;
}
