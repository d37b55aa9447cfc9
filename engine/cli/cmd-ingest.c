/*
 * cmd-ingest.c - majlis ingest [--maildir DIR] [--json]: reads what
 * arrived (replies, calendar answers, receipts, bounces, contact cards)
 * and acts on it; majlis run does it first. Also the helper both use.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../ingest.h"
#include "../outbox.h"
#include "cli.h"

struct printer {
	struct cli *cli;
	struct table *t;
};

static int
print_rec(void *ctx, const struct rec *r)
{
	struct printer *p = ctx;

	if (p->cli->json)
		out_json(r);
	else if (p->t)
		table_add(p->t, r);
	return 0;
}

enum majlis_status
cli_ingest(struct cli *cli, const char *maildir, int show,
	   struct ingest_counts *c)
{
	static const char *const cols[] = {
		"source", "kind", "action", "object", "object_id:id", "reason",
		NULL,
	};
	struct intake_config ic;
	struct buf inbox = BUF_INIT, quarantine = BUF_INIT;
	struct printer p = { cli, NULL };
	enum majlis_status rc;

	memset(&ic, 0, sizeof(ic));
	ic.own = cli->mail && cli->mail->from ? cli->mail->from
					       : "conseil@casablanca.ma";
	ic.authserv = cli->cfg.intake_authserv;
	if (maildir)
		buf_addstr(&inbox, maildir);
	else if (cli->cfg.intake_maildir)
		buf_addstr(&inbox, cli->cfg.intake_maildir);
	else
		cli_path(cli, &inbox, "mail/inbox");
	cli_path(cli, &quarantine, "mail/quarantine");
	if (show && !cli->json)
		p.t = table_new(cols);
	rc = ingest_maildir(&cli->e, &ic, inbox.data, quarantine.data,
			    show ? print_rec : NULL, &p, c, &cli->err);
	if (p.t) {
		if (c->seen)
			table_print(p.t, stdout);
		table_free(p.t);
	}
	buf_release(&inbox);
	buf_release(&quarantine);
	return rc;
}

enum majlis_status
cmd_ingest(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "maildir", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *maildir = NULL;
	struct ingest_counts c;
	enum majlis_status rc;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'm')
			maildir = optarg;
		else
			return cli_usage(cli, "ingest", "unknown option");
	}
	if (optind != argc)
		return cli_usage(cli, "ingest", "no argument expected");
	rc = cli_ingest(cli, maildir, 1, &c);
	if (rc == MAJLIS_OK && !cli->json)
		printf("ingest: %d message%s: %d applied, %d rejected, %d "
		       "quarantined, %d ignored, %d duplicate, %d for review\n",
		       c.seen, c.seen == 1 ? "" : "s",
		       c.by_action[INGEST_APPLIED],
		       c.by_action[INGEST_REJECTED],
		       c.by_action[INGEST_QUARANTINED],
		       c.by_action[INGEST_IGNORED],
		       c.by_action[INGEST_DUPLICATE],
		       c.by_action[INGEST_REVIEW]);
	return rc;
}
