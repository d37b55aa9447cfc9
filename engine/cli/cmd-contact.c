/*
 * cmd-contact.c - majlis contact add [--meeting ID] --as PERSON FILE...:
 * proposes the people of contact cards (vCards, as a phone shares them)
 * for an invitation, each file in one transaction. The next tick tells
 * the proposer; majlis show contacts lists them, majlis event contact ID
 * invite|dismiss decides.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../contact.h"
#include "../flow.h"
#include "../store.h"
#include "../sys.h"
#include "../vcard.h"
#include "cli.h"

/* One file: read, proposed, committed, or nothing at all. */
static enum majlis_status
add_file(struct cli *cli, const char *path, int64_t meeting, int64_t as,
	 struct rec_printer *p)
{
	struct buf data = BUF_INIT, cause = BUF_INIT;
	struct contact_source src;
	enum majlis_status rc;

	if (file_read(path, VCARD_MAX_BYTES, &data) < 0) {
		rc = errno == EFBIG
			     ? error(&cli->err, MAJLIS_ERR_DATA,
				     "'%s': a vCard of more than %d bytes",
				     path, VCARD_MAX_BYTES)
			     : error(&cli->err, MAJLIS_ERR_NOINPUT,
				     "cannot read '%s': %s", path,
				     strerror(errno));
		buf_release(&data);
		return rc;
	}
	buf_addf(&cause, "majlis contact add %s", path);
	memset(&src, 0, sizeof(src));
	src.meeting = meeting;
	src.proposer = as;
	src.via = "cli";
	src.cause = cause.data;
	rc = store_begin(cli->e.store, &cli->err);
	if (rc == MAJLIS_OK)
		rc = contact_propose(&cli->e, data.data, data.len, &src,
				     rec_print, p, &cli->err);
	if (rc == MAJLIS_OK)
		rc = store_commit(cli->e.store, &cli->err);
	else
		store_rollback(cli->e.store);
	if (rc == MAJLIS_ERR_DATA) {
		/* Say which file the line is in. */
		struct buf why = BUF_INIT;

		buf_addf(&why, "%s: %s", path, cli->err.data);
		buf_reset(&cli->err);
		buf_addstr(&cli->err, why.data);
		buf_release(&why);
	}
	buf_release(&data);
	buf_release(&cause);
	return rc;
}

enum majlis_status
cmd_contact(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "meeting", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"id", "name:Nom / الاسم", "email", "phone", "gender", "lang",
		"meeting", "outcome", NULL,
	};
	const char *as = NULL;
	long long meeting = 0;
	int64_t actor = 0;
	struct rec_printer p = { cli, NULL };
	enum majlis_status rc = MAJLIS_OK;
	int c;

	if (argc < 2 || strcmp(argv[1], "add"))
		return cli_usage(cli, "contact", "expected: add FILE...");
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			as = optarg;
		else if (c != 'm')
			return cli_usage(cli, "contact", "unknown option");
		else if (parse_int(optarg, 1, INT64_MAX, &meeting))
			return cli_usage(cli, "contact",
					 "--meeting takes a meeting's id");
	}
	if (optind >= argc)
		return cli_usage(cli, "contact", "expected: add FILE...");
	if (!as)
		return cli_usage(cli, "contact",
				 "say who proposes them: --as PERSON");
	rc = person_find(&cli->e, as, &actor, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	if (!cli->json)
		p.t = table_new(cols);
	for (int i = optind; i < argc && rc == MAJLIS_OK; i++)
		rc = add_file(cli, argv[i], meeting, actor, &p);
	if (p.t) {
		table_print(p.t, stdout);
		table_free(p.t);
	}
	return rc;
}
