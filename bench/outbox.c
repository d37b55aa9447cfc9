/*
 * outbox.c - benchmark: build and submit personalised invitations.
 *
 *   build/bench/outbox DIR COUNT SMTP_PORT
 *
 * DIR is a demo instance (majlis init --demo) whose next meeting (the
 * first of the next session) has been convoked, so that its convocation
 * is in the archive. COUNT invitees are added to that meeting, each with
 * an address of the test domain; then every invitation is built as the
 * invite job builds it (its own token, the convocation PDF, an iCalendar
 * REQUEST with its VTIMEZONE and alarms) and queued in the outbox, in
 * transactions of 500; then the outbox is flushed over SMTP (plain, on
 * loopback) to the port given. Prints messages per second for each phase
 * and the process's peak memory after each thousand messages built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "document.h"
#include "mailout.h"
#include "outbox.h"
#include "store.h"
#include "sys.h"

#include "bench.h"

static void
die(const char *what, struct buf *err)
{
	fprintf(stderr, "outbox bench: %s: %s\n", what,
		err->data ? err->data : "");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct engine e;
	struct buf err = BUF_INIT, path = BUF_INIT, paths[5];
	struct documents_config dc;
	struct mail_config mc;
	struct outbox_counts oc;
	int64_t meeting = 0, first_inv = 0, now;
	long long count, port;
	double t0, t1, t2;

	if (argc != 4 || parse_int(argv[2], 1, 1000000, &count) ||
	    parse_int(argv[3], 1, 65535, &port)) {
		fprintf(stderr, "usage: outbox DIR COUNT SMTP_PORT\n");
		return 64;
	}
	memset(&e, 0, sizeof(e));
	buf_addf(&path, "%s/majlis.db", argv[1]);
	if (store_open(path.data, 0, &e.store, &err) != MAJLIS_OK)
		die("store", &err);
	if (clock_new("Africa/Casablanca", 0, &e.clock, &err) != MAJLIS_OK)
		die("clock", &err);
	if (calendar_new(&e.cal, &err) != MAJLIS_OK ||
	    calendar_load_file(e.cal, "calendar/holidays.ini", &err) !=
		    MAJLIS_OK)
		die("calendar", &err);
	for (int i = 0; i < 5; i++)
		buf_init(&paths[i]);
	buf_addstr(&paths[0], "templates");
	buf_addf(&paths[1], "%s/templates", argv[1]);
	buf_addstr(&paths[2], "fonts");
	buf_addf(&paths[3], "%s/cache/fontconfig", argv[1]);
	buf_addf(&paths[4], "%s/archive", argv[1]);
	memset(&dc, 0, sizeof(dc));
	dc.templates = paths[0].data;
	dc.fonts = paths[2].data;
	dc.font_cache = paths[3].data;
	dc.archive = paths[4].data;
	if (documents_new(&dc, &e.docs, &err) != MAJLIS_OK)
		die("documents", &err);
	memset(&mc, 0, sizeof(mc));
	mc.domain = "casablanca.test";
	mc.from = "conseil@casablanca.test";
	mc.name_fr = "Conseil de la Commune de Casablanca";
	mc.name_ar = "مجلس جماعة الدار البيضاء";
	mc.tz = "Africa/Casablanca";
	mc.transport = TRANSPORT_SMTP;
	mc.smtp_host = "127.0.0.1";
	mc.smtp_port = (int)port;
	mc.security = SMTP_NONE;
	mc.timeout = 60;
	e.mail = &mc;

	/* The convoked meeting whose convocation is archived. */
	if (store_get_int(e.store, &err, &meeting,
			  "SELECT m.id FROM meeting m JOIN document d"
			  " ON d.subject = 'meeting:' || m.id"
			  " AND d.kind = 'convocation'"
			  " WHERE m.state = 'convoked' ORDER BY m.starts_at"
			  " DESC LIMIT 1",
			  NULL) != MAJLIS_OK)
		die("no convoked meeting with a convocation", &err);
	now = clock_now(e.clock);
	clock_set_now(e.clock, now);

	/* COUNT invitees, in one transaction. */
	if (store_begin(e.store, &err) != MAJLIS_OK)
		die("begin", &err);
	for (long long i = 0; i < count; i++) {
		char code[32], email[64];

		snprintf(code, sizeof(code), "B%07lld", i);
		snprintf(email, sizeof(email), "bench%lld@casablanca.test", i);
		if (store_exec(e.store, &err,
			       "INSERT INTO person(code, kind, gender,"
			       " given_fr, family_fr, given_ar, family_ar,"
			       " lang, email, created_at)"
			       " VALUES (?1, 'elu', ?2, 'Karima', 'Bennani',"
			       " 'كريمة', 'بناني', ?3, ?4,"
			       " '2026-01-01T00:00:00Z')",
			       "ssss", code, i % 2 ? "F" : "M",
			       i % 3 ? "ar" : "fr", email) != MAJLIS_OK ||
		    store_exec(e.store, &err,
			       "INSERT INTO invitation(meeting_id, person_id,"
			       " state, state_since, created_at)"
			       " VALUES (?1, ?2, 'sent',"
			       " '2026-01-01T00:00:00Z',"
			       " '2026-01-01T00:00:00Z')",
			       "ii", meeting, store_last_id(e.store)) !=
			    MAJLIS_OK)
			die("invitees", &err);
		if (i == 0)
			first_inv = store_last_id(e.store);
	}
	if (store_commit(e.store, &err) != MAJLIS_OK)
		die("commit", &err);

	/* Build and queue. */
	t0 = seconds();
	for (long long i = 0; i < count; i++) {
		struct buf detail = BUF_INIT;

		if (i % 500 == 0 && store_begin(e.store, &err) != MAJLIS_OK)
			die("begin", &err);
		if (mailout_invitation(&e, first_inv + i, 0, &detail, &err) !=
		    MAJLIS_OK)
			die("build", &err);
		buf_release(&detail);
		if ((i % 500 == 499 || i == count - 1) &&
		    store_commit(e.store, &err) != MAJLIS_OK)
			die("commit", &err);
		if ((i + 1) % 1000 == 0)
			printf("built %lld, peak memory %ld KiB\n", i + 1,
			       peak_kib());
	}
	t1 = seconds();
	printf("built and queued: %lld invitations in %.2f s: %.0f a "
	       "second\n",
	       count, t1 - t0, (double)count / (t1 - t0));
	fflush(stdout);

	/* Submit. */
	if (outbox_flush(&e, 0, &oc, &err) != MAJLIS_OK)
		die("flush", &err);
	t2 = seconds();
	printf("submitted over SMTP: %d sent, %d deferred, %d failed in "
	       "%.2f s: %.0f a second\n",
	       oc.sent, oc.deferred, oc.failed, t2 - t1,
	       (double)oc.sent / (t2 - t1));
	printf("peak memory: %ld KiB\n", peak_kib());
	documents_free(e.docs);
	calendar_free(e.cal);
	clock_free(e.clock);
	store_close(e.store);
	for (int i = 0; i < 5; i++)
		buf_release(&paths[i]);
	buf_release(&path);
	buf_release(&err);
	return oc.failed ? 1 : 0;
}
