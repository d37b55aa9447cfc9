/*
 * report-tick.c - what a tick does for reports: once a local day, it
 * rebuilds every dashboard of reports/ into the instance's out/ folder,
 * as NAME-YYYY-MM-DD.xlsx (kept: yesterday's figures stay readable)
 * and NAME.xlsx (the latest, for a shortcut on a manager's desktop: a
 * second name of the day's file),
 * and records the build in report_run, where the management digest of
 * the day finds the file to attach (digest.c).
 *
 * A dashboard that cannot be written is reported and retried by the
 * next tick; it never stops the tick's other work.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "periodic.h"
#include "report-priv.h"
#include "store.h"
#include "sys.h"

/*
 * Makes to another name of the file from, replacing what to was at
 * once: the latest dashboard is the day's file under a second name, not
 * a copy read back and written again (a year of a Commune makes a
 * workbook of megabytes). Returns 0, or -1 with errno set.
 */
static int
link_latest(const char *from, const char *to)
{
	struct buf tmp = BUF_INIT;
	int r, saved;

	buf_setf(&tmp, "%s.tmp-%ld", to, (long)getpid());
	unlink(tmp.data);
	r = link(from, tmp.data);
	if (r == 0 && (r = rename(tmp.data, to)) < 0) {
		saved = errno;
		unlink(tmp.data);
		errno = saved;
	}
	buf_release(&tmp);
	return r;
}

static enum majlis_status
build_one(struct engine *e, const struct dashboard *db, const char *day,
	  rec_cb cb, void *ctx, struct buf *err)
{
	struct buf path = BUF_INIT, latest = BUF_INIT;
	struct report_args args;
	struct report_info info;
	char now[TIME_LEN];
	int64_t done;
	enum majlis_status rc;

	if (store_get_int(e->store, NULL, &done,
			  "SELECT id FROM report_run WHERE name = ?1 AND day = ?2",
			  "ss", db->name, day) == MAJLIS_OK)
		return MAJLIS_OK;
	buf_setf(&path, "%s/%s-%s.xlsx", e->report_dir, db->out, day);
	buf_setf(&latest, "%s/%s.xlsx", e->report_dir, db->out);
	rc = report_args_make(e, NULL, NULL, NULL, NULL, &args, err);
	if (rc == MAJLIS_OK && mkdir_p(e->report_dir, 0755) < 0)
		rc = error(err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			   e->report_dir, strerror(errno));
	if (rc == MAJLIS_OK)
		rc = dashboard_write(e, db, &args, path.data, &info, err);
	if (rc == MAJLIS_OK && link_latest(path.data, latest.data) < 0)
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s",
			   latest.data, strerror(errno));
	time_format_utc(clock_now(e->clock), now);
	if (rc == MAJLIS_OK)
		rc = store_exec(e->store, err,
				"INSERT INTO report_run (name, day, path, rows,"
				" created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
				"sssis", db->name, day, path.data,
				(int64_t)info.rows, now);
	if (cb) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "step", "dashboard");
		rec_add_text(&r, "name", db->name);
		rec_add_text(&r, "path", path.data);
		rec_add_int(&r, "rows", rc == MAJLIS_OK ? info.rows : 0);
		rec_add_text(&r, "status", rc == MAJLIS_OK ? "ok" : "failed");
		if (rc != MAJLIS_OK)
			rec_add_text(&r, "error", err->data);
		cb(ctx, &r);
		rec_release(&r);
	}
	buf_release(&path);
	buf_release(&latest);
	return rc;
}

enum majlis_status
report_tick(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	struct reportset *set = e->reports;
	char day[DATE_LEN];

	if (!set || !e->report_dir)
		return MAJLIS_OK;
	date_format(clock_local_date(e->clock, clock_now(e->clock)), day);
	for (size_t i = 0; i < set->ndbs; i++) {
		struct buf why = BUF_INIT;

		/* Reported in its record; the next tick tries again. */
		build_one(e, set->dbs[i], day, cb, ctx, &why);
		buf_release(&why);
	}
	(void)err;
	return MAJLIS_OK;
}
