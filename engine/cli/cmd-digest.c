/*
 * cmd-digest.c - majlis digest [--force] [--person PERSON]
 * | --preview PERSON [-o FILE.eml]: make today's digests now (majlis run
 * makes them at [notify] digest_hour), or show one without sending it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../digest.h"
#include "../outbox.h"
#include "../sys.h"
#include "cli.h"

/* Without -o, the text the person reads; with it, the whole message. */
static enum majlis_status
preview(struct cli *cli, const char *person, const char *output)
{
	struct buf raw = BUF_INIT, text = BUF_INIT;
	int items;
	enum majlis_status rc;

	rc = digest_preview(&cli->e, person, output ? &raw : NULL,
			    output ? NULL : &text, &items, &cli->err);
	if (rc != MAJLIS_OK)
		goto out;
	if (!output) {
		if (!items)
			printf("(nothing new for %s today: this digest would "
			       "not be sent)\n\n",
			       person);
		if (fwrite(text.data, 1, text.len, stdout) != text.len)
			rc = error(&cli->err, MAJLIS_ERR_IO,
				   "cannot write to stdout");
		goto out;
	}
	if (file_write_atomic(output, raw.data, raw.len) < 0) {
		rc = error(&cli->err, MAJLIS_ERR_IO, "cannot write '%s'",
			   output);
		goto out;
	}
	{
		struct rec r = REC_INIT;

		rec_add_text(&r, "person", person);
		rec_add_int(&r, "items", items);
		rec_add_text(&r, "file", output);
		if (cli->json)
			out_json(&r);
		else if (items)
			printf("digest of %s: %d item%s, written to %s\n",
			       person, items, items == 1 ? "" : "s", output);
		else
			printf("digest of %s: nothing new, it would not be "
			       "sent; written to %s anyway\n",
			       person, output);
		rec_release(&r);
	}
out:
	buf_release(&raw);
	buf_release(&text);
	return rc;
}

enum majlis_status
cmd_digest(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "person", required_argument, NULL, 'p' },
		{ "preview", required_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *person = NULL, *shown = NULL, *output = NULL;
	unsigned flags = 0;
	int c;
	struct digest_counts counts;
	struct outbox_counts sent;
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			flags |= DIGEST_FORCE;
			break;
		case 'p':
			person = optarg;
			break;
		case 'v':
			shown = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return cli_usage(cli, "digest", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(cli, "digest", "no arguments expected");
	if (output && !shown)
		return cli_usage(cli, "digest", "-o goes with --preview");
	if (shown && (person || flags))
		return cli_usage(cli, "digest",
				 "--preview makes no digest: it goes without "
				 "--force and --person");
	if (shown)
		return preview(cli, shown, output);
	rc = digest_make(&cli->e, person, flags, &counts, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	{
		struct rec r = REC_INIT;

		rec_add_text(&r, "step", "digest");
		rec_add_int(&r, "sent", counts.sent);
		rec_add_int(&r, "empty", counts.empty);
		if (cli->json)
			out_json(&r);
		else if (!(flags & DIGEST_FORCE) && !counts.sent &&
			 !counts.empty)
			printf("digest: nothing to do (before %d:00, or done "
			       "today; --force makes them before the hour)\n",
			       cli->e.mail->digest_hour);
		else
			printf("digest: %d sent, %d with nothing new (a "
			       "person gets one a day)\n",
			       counts.sent, counts.empty);
		rec_release(&r);
	}
	/* Then what is due leaves, as after a tick. */
	rc = outbox_flush(&cli->e, 0, &sent, &cli->err);
	if (rc == MAJLIS_OK)
		cli_print_sent(cli, &sent);
	return rc;
}
