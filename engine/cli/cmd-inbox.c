/*
 * cmd-inbox.c - majlis inbox PERSON [--unread] [--read ID|all]
 * [--limit N]: a person's in-app notifications, newest first, with
 * their colour and state; or marking them read (which acknowledges
 * them: nothing is chased for them any more).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../flow.h"
#include "../notify.h"
#include "../sys.h"
#include "cli.h"

struct printer {
	struct cli *cli;
	struct table *t;
	int n;
};

static int
print_one(void *ctx, const struct rec *r)
{
	struct printer *p = ctx;

	p->n++;
	if (p->cli->json)
		out_json(r);
	else
		table_add(p->t, r);
	return 0;
}

enum majlis_status
cmd_inbox(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unread", no_argument, NULL, 'u' },
		{ "read", required_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "created_local:date", "colour", "state", "channels",
		"subject", NULL,
	};
	const char *read = NULL;
	long long limit = 0, id = 0;
	int unread = 0, c, marked = 0;
	int64_t person;
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			unread = 1;
			break;
		case 'r':
			read = optarg;
			break;
		case 'n':
			if (parse_int(optarg, 1, 1000000, &limit))
				return cli_usage(cli, "inbox",
						 "--limit needs a number");
			break;
		default:
			return cli_usage(cli, "inbox", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage(cli, "inbox", "expected one PERSON");
	if (read && strcmp(read, "all") &&
	    parse_int(read[0] == '#' ? read + 1 : read, 1, INT64_MAX, &id))
		return cli_usage(cli, "inbox",
				 "--read takes a notification's number, or "
				 "all");
	rc = person_find(&cli->e, argv[optind], &person, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	if (read) {
		rc = notify_inbox_read(&cli->e, person, id, &marked,
				       &cli->err);
		if (rc != MAJLIS_OK)
			return rc;
		if (cli->json) {
			struct rec r = REC_INIT;

			rec_add_text(&r, "person", argv[optind]);
			rec_add_int(&r, "marked", marked);
			out_json(&r);
			rec_release(&r);
		} else {
			printf("%d notification%s marked read\n", marked,
			       marked == 1 ? "" : "s");
		}
		return MAJLIS_OK;
	}
	{
		struct printer p = { cli, NULL, 0 };

		if (!cli->json)
			p.t = table_new(cols);
		rc = notify_inbox_list(&cli->e, person, unread, (int)limit,
				       print_one, &p, &cli->err);
		if (p.t) {
			if (rc == MAJLIS_OK && !p.n)
				printf("(no %snotifications)\n",
				       unread ? "unread " : "");
			else
				table_print(p.t, stdout);
			table_free(p.t);
		}
	}
	return rc;
}
