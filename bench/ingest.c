/*
 * ingest.c - benchmark: classify every message of a Maildir as intake
 * does (mailin, then intake_classify(): bounces, receipts, calendar
 * answers, auto-replies, contact cards, text replies and what they say).
 *
 *   build/bench/ingest DIR
 *
 * Prints messages per second, how many of each kind, and the process's
 * peak memory after every 5,000 messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake.h"
#include "reply.h"
#include "sys.h"

#include "bench.h"

int
main(int argc, char **argv)
{
	const struct intake_config cfg = { "conseil@casablanca.ma",
					   "mx.casablanca.ma", NULL };
	struct buf dir = BUF_INIT;
	char **names = NULL;
	size_t n = 0, kinds[INTAKE_UNKNOWN + 2] = { 0 };
	double t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: ingest DIR\n");
		return 64;
	}
	buf_addf(&dir, "%s/new", argv[1]);
	if (dir_names(dir.data, NULL, NULL, &names, &n) < 0) {
		perror(dir.data);
		return 66;
	}
	t0 = seconds();
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT, raw = BUF_INIT, err = BUF_INIT;
		struct intake_event ev;

		buf_addf(&path, "%s/%s", dir.data, names[i]);
		if (file_read(path.data, 64u << 20, &raw) < 0) {
			perror(path.data);
			return 66;
		}
		if (intake_classify(raw.data, raw.len, &cfg, &ev, &err) ==
		    MAJLIS_OK) {
			kinds[ev.kind]++;
			if (ev.kind == INTAKE_TEXT_REPLY) {
				struct reply_reading r;

				reply_read(ev.text.data, REPLY_INVITATION, &r);
				reply_release(&r);
			}
		} else {
			kinds[INTAKE_UNKNOWN + 1]++;
		}
		intake_event_release(&ev);
		buf_release(&path);
		buf_release(&raw);
		buf_release(&err);
		free(names[i]);
		if ((i + 1) % 5000 == 0)
			printf("majlis: classified %zu, peak memory %ld KiB\n",
			       i + 1, peak_kib());
	}
	t1 = seconds();
	printf("majlis: classified %zu messages in %.2f s: %.0f a second\n", n,
	       t1 - t0, (double)n / (t1 - t0));
	for (int k = 0; k <= INTAKE_UNKNOWN; k++)
		printf("  %-13s %zu\n", intake_kind_name((enum intake_kind)k),
		       kinds[k]);
	printf("  %-13s %zu\n", "quarantine", kinds[INTAKE_UNKNOWN + 1]);
	printf("majlis: peak memory %ld KiB\n", peak_kib());
	free(names);
	buf_release(&dir);
	return 0;
}
