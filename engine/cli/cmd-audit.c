/*
 * cmd-audit.c - majlis audit [KIND ID] [--since TIME] [--until TIME]
 * [--limit N]: the history of one object, or of a span of time.
 */
#include <getopt.h>
#include <string.h>

#include "../audit.h"
#include "../clock.h"
#include "../flow.h"
#include "../objects.h"
#include "../sys.h"
#include "cli.h"

enum majlis_status
cmd_audit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "at", "actor", "object_kind:object", "object_id:id",
		"action", "event", "from", "to", "cause", NULL,
	};
	struct audit_filter f;
	struct rec_printer p = { cli, NULL };
	char since[TIME_LEN], until[TIME_LEN];
	enum majlis_status rc;
	long long n;
	int c;
	int64_t t;

	memset(&f, 0, sizeof(f));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's' || c == 'u') {
			if (clock_parse(cli->e.clock, optarg, &t))
				return cli_usage(cli, "audit",
						 "'%s' is not a time", optarg);
			time_format_utc(t, c == 's' ? since : until);
			if (c == 's')
				f.since = since;
			else
				f.until = until;
		} else if (c == 'l') {
			if (parse_int(optarg, 1, 100000000, &n))
				return cli_usage(cli, "audit",
						 "--limit needs a positive "
						 "number");
			f.limit = n;
		} else {
			return cli_usage(cli, "audit", "unknown option");
		}
	}
	if (argc - optind == 2) {
		enum object_kind kind;
		int64_t id;

		f.object_kind = argv[optind];
		if (object_kind_parse(argv[optind], &kind) == 0) {
			/* Accept a dossier's or petition's reference. */
			cli_load_flows(cli);
			rc = object_find(&cli->e, kind, argv[optind + 1], &id,
					 &cli->err);
			if (rc != MAJLIS_OK)
				return rc;
			f.object_id = id;
		} else if (parse_int(argv[optind + 1], 1, INT64_MAX, &n) == 0) {
			f.object_id = n;
		} else {
			return cli_usage(cli, "audit", "bad id '%s'",
					 argv[optind + 1]);
		}
	} else if (argc - optind != 0) {
		return cli_usage(cli, "audit", "expected [KIND ID]");
	}
	if (!cli->json)
		p.t = table_new(cols);
	rc = audit_each(&cli->e, &f, rec_print, &p, &cli->err);
	if (p.t) {
		table_print(p.t, stdout);
		table_free(p.t);
	}
	return rc;
}
