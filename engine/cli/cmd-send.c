/*
 * cmd-send.c - majlis send [--list [--state S] [--limit N] | --raw ID]:
 * hands the outbox's due messages to the transport, or shows the
 * outbox.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../outbox.h"
#include "../sys.h"
#include "cli.h"

void
cli_print_sent(struct cli *cli, const struct outbox_counts *c)
{
	struct rec r = REC_INIT;

	rec_add_text(&r, "step", "outbox");
	rec_add_int(&r, "sent", c->sent);
	rec_add_int(&r, "deferred", c->deferred);
	rec_add_int(&r, "failed", c->failed);
	if (c->down[0])
		rec_add_text(&r, "server", c->down);
	if (cli->json)
		out_json(&r);
	else
		printf("outbox: %d sent, %d to retry, %d failed\n", c->sent,
		       c->deferred, c->failed);
	rec_release(&r);
	/* The operator has something to fix or to wait for: said on
	 * standard error, where cron mails it. */
	if (c->down[0])
		fprintf(stderr,
			"majlis: the mail server cannot be used (%s);"
			" %d message(s) will be tried again\n",
			c->down, c->deferred);
}

enum majlis_status
cmd_send(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "raw", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "kind", "channel", "person", "recipient", "state",
		"attempts:tries", "created_at:queued", "last_error:error",
		NULL,
	};
	const char *state = NULL;
	long long limit = 50, raw = 0;
	int list = 0, c;
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			list = 1;
			break;
		case 's':
			if (strcmp(optarg, "queued") && strcmp(optarg, "sent") &&
			    strcmp(optarg, "failed"))
				return cli_usage(cli, "send",
						 "--state is queued, sent or "
						 "failed");
			state = optarg;
			break;
		case 'n':
			if (parse_int(optarg, 1, 1000000, &limit))
				return cli_usage(cli, "send",
						 "--limit needs a number");
			break;
		case 'r':
			if (parse_int(optarg, 1, INT64_MAX, &raw))
				return cli_usage(cli, "send",
						 "--raw needs a message number");
			break;
		default:
			return cli_usage(cli, "send", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(cli, "send", "no arguments expected");
	if (raw) {
		struct buf out = BUF_INIT;

		rc = outbox_raw(&cli->e, raw, &out, &cli->err);
		if (rc == MAJLIS_OK)
			fwrite(out.data, 1, out.len, stdout);
		buf_release(&out);
		return rc;
	}
	if (list || state) {
		struct rec_printer p = { cli, NULL };

		if (!cli->json)
			p.t = table_new(cols);
		rc = outbox_list(&cli->e, state, (int)limit, rec_print, &p,
				 &cli->err);
		if (p.t) {
			table_print(p.t, stdout);
			table_free(p.t);
		}
		return rc;
	}
	{
		struct outbox_counts counts;

		rc = outbox_flush(&cli->e, 0, &counts, &cli->err);
		if (rc == MAJLIS_OK)
			cli_print_sent(cli, &counts);
	}
	return rc;
}
