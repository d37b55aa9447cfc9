/*
 * outbox.c - the outbox (see outbox.h).
 *
 * Layout: queueing; the quiet hours; flushing, one message a transaction
 * after the transport had it; reading for people.
 */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "store.h"
#include "sys.h"
#include "transport.h"

/* 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h: about two days and a
 * half before a message is given up. */
const int outbox_retry_delays[] = { 60, 300, 1800, 7200, 21600, 43200,
				    43200, 43200, 43200 };
const int outbox_max_attempts =
	(int)(sizeof(outbox_retry_delays) / sizeof(outbox_retry_delays[0]));

enum majlis_status
outbox_queue(struct engine *e, const struct outbox_msg *m, int64_t *id,
	     struct buf *err)
{
	char now[TIME_LEN], next[TIME_LEN];
	int64_t existing;
	struct stmt *s;
	int step;
	int64_t t = clock_now(e->clock);

	*id = 0;
	if (store_get_int(e->store, NULL, &existing,
			  "SELECT id FROM outbox WHERE message_id = ?1", "s",
			  m->message_id) == MAJLIS_OK) {
		*id = existing;
		return MAJLIS_ERR_EXISTS;
	}
	time_format_utc(t, now);
	time_format_utc(m->not_before > t ? m->not_before : t, next);
	s = store_prepare(e->store,
			  "INSERT INTO outbox(message_id, channel, kind,"
			  " person_id, recipient, sender, subject,"
			  " object_kind, object_id, size, next_at,"
			  " created_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			  " ?11, ?12)");
	stmt_bind(s, "sss", m->message_id,
		  m->channel == CHANNEL_SMS ? "sms" : "email", m->kind);
	if (m->person_id)
		stmt_bind_int(s, 4, m->person_id);
	stmt_bind_text(s, 5, m->recipient);
	stmt_bind_text(s, 6, m->sender ? m->sender : "");
	stmt_bind_text(s, 7, m->subject ? m->subject : "");
	if (m->object_kind) {
		stmt_bind_text(s, 8, m->object_kind);
		stmt_bind_int(s, 9, m->object_id);
	}
	stmt_bind_int(s, 10, (int64_t)m->len);
	stmt_bind_text(s, 11, next);
	stmt_bind_text(s, 12, now);
	step = stmt_step(s);
	stmt_done(s);
	if (step >= 0) {
		*id = store_last_id(e->store);
		s = store_prepare(e->store, "INSERT INTO outbox_raw(id, raw)"
					    " VALUES (?1, ?2)");
		stmt_bind_int(s, 1, *id);
		stmt_bind_blob(s, 2, m->raw, m->len);
		step = stmt_step(s);
		stmt_done(s);
	}
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE,
			     "cannot queue message %s: %s", m->message_id,
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

int64_t
outbox_after_quiet(struct engine *e, int64_t t)
{
	const struct mail_config *mc = e->mail;
	struct date d;
	int h, m, s, now;

	if (!mc || mc->quiet_from == mc->quiet_to)
		return t;
	clock_to_local(e->clock, t, &d, &h, &m, &s);
	now = h * 60 + m;
	if (mc->quiet_from < mc->quiet_to) {
		/* Quiet within the day: 13:00-14:00. */
		if (now >= mc->quiet_from && now < mc->quiet_to)
			return clock_from_local(e->clock, d, mc->quiet_to / 60,
						mc->quiet_to % 60, 0);
		return t;
	}
	/* Quiet over midnight: 21:00-07:00. */
	if (now >= mc->quiet_from)
		return clock_from_local(e->clock, date_add_days(d, 1),
					mc->quiet_to / 60, mc->quiet_to % 60,
					0);
	if (now < mc->quiet_to)
		return clock_from_local(e->clock, d, mc->quiet_to / 60,
					mc->quiet_to % 60, 0);
	return t;
}

struct due {
	int64_t id;
	int sms;
	int attempts;
	int64_t created;
	char *sender, *recipient;
	struct buf raw;
};

static void
due_release(struct due *d)
{
	free(d->sender);
	free(d->recipient);
	buf_release(&d->raw);
}

/* The next due message after id after (only SMS if sms_only), if any:
 * 1, 0 when none. */
static int
next_due(struct engine *e, int64_t after, int sms_only, struct due *d,
	 struct buf *err, enum majlis_status *rc)
{
	char now[TIME_LEN];
	struct stmt *s;
	int step;

	time_format_utc(clock_now(e->clock), now);
	s = store_prepare(e->store,
			  "SELECT o.id, channel, attempts, created_at, sender,"
			  " recipient, r.raw FROM outbox o"
			  " JOIN outbox_raw r ON r.id = o.id"
			  " WHERE state = 'queued' AND next_at <= ?1"
			  " AND o.id > ?2 AND (?3 = 0 OR channel = 'sms')"
			  " ORDER BY o.id LIMIT 1");
	stmt_bind(s, "sii", now, after, (int64_t)sms_only);
	step = stmt_step(s);
	if (step == 1) {
		d->id = stmt_int(s, 0);
		d->sms = !strcmp(stmt_text(s, 1), "sms");
		d->attempts = (int)stmt_int(s, 2);
		time_parse_utc(stmt_text(s, 3), &d->created);
		d->sender = xstrdup(stmt_text(s, 4));
		d->recipient = xstrdup(stmt_text(s, 5));
		buf_init(&d->raw);
		stmt_blob(s, 6, &d->raw);
	}
	stmt_done(s);
	if (step < 0)
		*rc = error(err, MAJLIS_ERR_STORE, "cannot read the outbox: %s",
			    store_errmsg(e->store));
	return step == 1;
}

/*
 * Records what became of one message (tried attempts times before), in
 * the caller's transaction. A deferral is audited only if audit is set
 * (not for the messages left untried behind a server that is down: one
 * entry says it for all); a failure always is.
 */
static enum majlis_status
settle(struct engine *e, int64_t id, int attempts, enum transport_result res,
       const char *why, int audit, struct outbox_counts *c, struct buf *err)
{
	char now[TIME_LEN], next[TIME_LEN];
	int64_t t = clock_now(e->clock);
	int failed = res == PERMANENT ||
		     (res != SENT && attempts + 1 >= outbox_max_attempts);
	enum majlis_status rc;

	attempts++;
	time_format_utc(t, now);
	if (res == SENT) {
		rc = store_exec(e->store, err,
				"UPDATE outbox SET state = 'sent',"
				" attempts = ?2, sent_at = ?3, last_error = NULL"
				" WHERE id = ?1",
				"ids", id, attempts, now);
		c->sent++;
	} else if (failed) {
		rc = store_exec(e->store, err,
				"UPDATE outbox SET state = 'failed',"
				" attempts = ?2, last_error = ?3 WHERE id = ?1",
				"ids", id, attempts, why);
		c->failed++;
	} else {
		time_format_utc(t + outbox_retry_delays[attempts - 1], next);
		rc = store_exec(e->store, err,
				"UPDATE outbox SET attempts = ?2,"
				" last_error = ?3, next_at = ?4 WHERE id = ?1",
				"idss", id, attempts, why, next);
		c->deferred++;
	}
	if (rc == MAJLIS_OK && res != SENT && (audit || failed)) {
		struct audit_entry a;
		struct buf cause = BUF_INIT;

		buf_addf(&cause, "outbox #%lld", (long long)id);
		memset(&a, 0, sizeof(a));
		a.actor = "system";
		a.action = failed ? "send-failed" : "send-deferred";
		a.object_kind = "outbox";
		a.object_id = id;
		a.cause = cause.data;
		a.detail = why;
		rc = audit_write(e, &a, err);
		buf_release(&cause);
	}
	return rc;
}

/* Records what became of one message, in a transaction of its own. */
static enum majlis_status
record(struct engine *e, const struct due *d, enum transport_result res,
       const char *why, struct outbox_counts *c, struct buf *err)
{
	enum majlis_status rc = store_begin(e->store, err);

	if (rc != MAJLIS_OK)
		return rc;
	rc = settle(e, d->id, d->attempts, res, why, 1, c, err);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	return rc;
}

/*
 * The server cannot be used (no session, or the connection broke): the
 * e-mails due after id after are deferred as if tried, with the reason,
 * so that each follows its own schedule and gives up in its time (as a
 * mail server does with a destination it cannot reach), in one
 * transaction and one audit entry.
 */
static enum majlis_status
suspend(struct engine *e, int64_t after, const char *reason,
	struct outbox_counts *c, struct buf *err)
{
	char now[TIME_LEN];
	struct buf why = BUF_INIT, detail = BUF_INIT;
	struct stmt *s;
	int64_t *ids = NULL;
	int *tries = NULL;
	size_t n = 0, cap = 0;
	int step;
	enum majlis_status rc;

	time_format_utc(clock_now(e->clock), now);
	s = store_prepare(e->store,
			  "SELECT id, attempts FROM outbox WHERE"
			  " state = 'queued' AND next_at <= ?1 AND id > ?2"
			  " AND channel = 'email' ORDER BY id");
	stmt_bind(s, "si", now, after);
	while ((step = stmt_step(s)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
			tries = xrealloc(tries, cap * sizeof(*tries));
		}
		ids[n] = stmt_int(s, 0);
		tries[n++] = (int)stmt_int(s, 1);
	}
	stmt_done(s);
	if (step < 0) {
		rc = error(err, MAJLIS_ERR_STORE, "cannot read the outbox: %s",
			   store_errmsg(e->store));
		goto out;
	}
	if (!n) {
		rc = MAJLIS_OK;
		goto out;
	}
	buf_addf(&why, "not tried, the server cannot be used: %s", reason);
	rc = store_begin(e->store, err);
	for (size_t i = 0; rc == MAJLIS_OK && i < n; i++)
		rc = settle(e, ids[i], tries[i], TEMPORARY, why.data, 0, c,
			    err);
	if (rc == MAJLIS_OK) {
		struct audit_entry a;

		buf_addf(&detail, "%zu message(s) from outbox #%lld: %s", n,
			 (long long)ids[0], reason);
		memset(&a, 0, sizeof(a));
		a.actor = "system";
		a.action = "send-suspended";
		a.object_kind = "outbox";
		a.object_id = ids[0];
		a.cause = "the mail server";
		a.detail = detail.data;
		rc = audit_write(e, &a, err);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
out:
	free(ids);
	free(tries);
	buf_release(&why);
	buf_release(&detail);
	return rc;
}

enum majlis_status
outbox_flush(struct engine *e, int max, struct outbox_counts *counts,
	     struct buf *err)
{
	struct transport *t;
	struct buf why = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	int64_t after = 0;
	int done = 0;

	memset(counts, 0, sizeof(*counts));
	if (!e->mail)
		return error(err, MAJLIS_ERR_CONFIG,
			     "mail is not set up in this process");
	t = transport_new(e->mail);
	while (rc == MAJLIS_OK && (max <= 0 || done < max)) {
		struct due d;
		enum transport_result res;

		memset(&d, 0, sizeof(d));
		if (transport_down(t) && !counts->down[0]) {
			/* The e-mails after this one are deferred untried;
			 * text messages still go. */
			snprintf(counts->down, sizeof(counts->down), "%s",
				 transport_down(t));
			rc = suspend(e, after, counts->down, counts, err);
			if (rc != MAJLIS_OK)
				break;
		}
		if (!next_due(e, after, counts->down[0] != 0, &d, err, &rc))
			break;
		after = d.id;
		buf_reset(&why);
		if (d.sms)
			res = transport_sms(e->mail, d.id, d.created,
					    d.recipient, d.raw.data, d.raw.len,
					    &why);
		else
			res = transport_send(t, d.id, d.sender, d.recipient,
					     d.raw.data, d.raw.len, &why);
		sys_fault_point("outbox-sent");
		rc = record(e, &d, res, why.data ? why.data : "", counts, err);
		due_release(&d);
		done++;
	}
	transport_close(t);
	buf_release(&why);
	return rc;
}

enum majlis_status
outbox_list(struct engine *e, const char *state, int limit, rec_cb cb,
	    void *ctx, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT o.id, o.kind, o.channel, p.code AS person,"
		" o.recipient, o.subject, o.state, o.attempts, o.next_at,"
		" o.last_error, o.created_at, o.sent_at, o.message_id"
		" FROM outbox o LEFT JOIN person p ON p.id = o.person_id"
		" WHERE ?1 IS NULL OR o.state = ?1"
		" ORDER BY o.id DESC LIMIT ?2");
	int step;

	stmt_bind(s, "si", state, (int64_t)(limit > 0 ? limit : -1));
	while ((step = stmt_step(s)) == 1) {
		struct rec r = REC_INIT;
		int stop;

		stmt_rec(s, &r);
		stop = cb(ctx, &r);
		rec_release(&r);
		if (stop)
			break;
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "cannot read the outbox: %s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

enum majlis_status
outbox_raw(struct engine *e, int64_t id, struct buf *out, struct buf *err)
{
	struct stmt *s = store_prepare(e->store,
				       "SELECT raw FROM outbox_raw WHERE id = ?1");
	int step;

	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1)
		stmt_blob(s, 0, out);
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no message #%lld",
			     (long long)id);
	return MAJLIS_OK;
}
