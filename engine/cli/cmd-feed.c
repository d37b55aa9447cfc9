/*
 * cmd-feed.c - majlis feed PERSON: writes the person's private calendar
 * feed (if it changed) and prints its path.
 */
#include <stdio.h>

#include "../feed.h"
#include "cli.h"

enum majlis_status
cmd_feed(struct cli *cli, int argc, char **argv)
{
	struct buf path = BUF_INIT;
	int written;
	enum majlis_status rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(cli, "feed", "give one person");
	rc = feed_person(&cli->e, argv[1], &path, &written, &cli->err);
	if (rc == MAJLIS_OK) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "person", argv[1]);
		rec_add_text(&r, "path", path.data);
		rec_add_int(&r, "written", written);
		if (cli->json)
			out_json(&r);
		else
			printf("%s\n", path.data);
		rec_release(&r);
	}
	buf_release(&path);
	return rc;
}
