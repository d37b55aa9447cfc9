/*
 * cmd-import.c - majlis import orgchart FILE.csv [--dry-run].
 */
#include <errno.h>
#include <string.h>

#include "../csv.h"
#include "../orgchart.h"
#include "../sys.h"
#include "cli.h"

#define IMPORT_MAX_BYTES (64 * 1024 * 1024)

enum majlis_status
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct orgchart_counts c;
	struct buf data = BUF_INIT;
	const char *file = NULL;
	enum majlis_status rc;
	int dry = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry = 1;
		else if (i == 1 && !strcmp(argv[i], "orgchart"))
			continue;
		else if (!file && i > 1)
			file = argv[i];
		else
			return cli_usage(cli, "import",
					 "unexpected argument '%s'", argv[i]);
	}
	if (argc < 2 || strcmp(argv[1], "orgchart"))
		return cli_usage(cli, "import",
				 "what to import? (majlis import orgchart "
				 "FILE.csv)");
	if (!file)
		return cli_usage(cli, "import", "which file?");
	if (file_read(file, IMPORT_MAX_BYTES, &data) < 0) {
		rc = error(&cli->err, MAJLIS_ERR_NOINPUT,
			   "cannot read '%s': %s", file,
			   errno == EFBIG ? "larger than 64 MiB"
					  : strerror(errno));
		buf_release(&data);
		return rc;
	}
	rc = orgchart_import(&cli->e, file, data.data, data.len, "cli", dry,
			     &c, &cli->err);
	buf_release(&data);
	if (rc != MAJLIS_OK)
		return rc;
	if (cli->json) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "file", file);
		rec_add_int(&r, "dry_run", dry);
		rec_add_int(&r, "rows", c.rows);
		rec_add_int(&r, "persons_new", c.persons_new);
		rec_add_int(&r, "persons_updated", c.persons_updated);
		rec_add_int(&r, "persons_same", c.persons_same);
		rec_add_int(&r, "memberships_new", c.memberships_new);
		rec_add_int(&r, "memberships_same", c.memberships_same);
		out_json(&r);
		rec_release(&r);
	} else {
		printf("%s%s: %d rows; persons: %d new, %d updated, %d "
		       "unchanged; memberships: %d new, %d unchanged\n",
		       dry ? "(dry run, nothing written) " : "", file, c.rows,
		       c.persons_new, c.persons_updated, c.persons_same,
		       c.memberships_new, c.memberships_same);
	}
	return MAJLIS_OK;
}
