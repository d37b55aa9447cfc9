/*
 * chase.c - chasing acknowledgements (see periodic.h and notify.h).
 *
 * A notification that wants an acknowledgement has ack_due_at. When that
 * time passes without acknowledged_at, the person gets a reminder on the
 * same channel, and the acknowledgement is due again after the same
 * delay (reminded_at). When that passes too, their superior in the
 * organigramme is told (escalated_at), and nothing more is done: each
 * step happens once.
 *
 * The superior:
 *  - of an élu: the president of the organization the object belongs to
 *    (a commission, the bureau, a council), or, if the élu is that
 *    president or the object has none, the president of the council of
 *    the object's body (the Commune's when the object has no body); none
 *    above the president of that council;
 *  - of a civil servant: for an officer, the head of their division (the
 *    one head of the same administration; several heads and no telling
 *    which is theirs, or none, skip to the DGS); for a head, or an
 *    officer without one, the DGS of their administration or of one
 *    above it, else of the Commune; for the DGS, the president of the
 *    council of their body, under whose authority they serve.
 * Nobody is their own superior.
 *
 * Escalations of one event to one superior go as one message naming
 * everyone who did not acknowledge it (one message per event per person,
 * as everywhere). Each reminder, and each escalation, is a transaction
 * of its own with its audit entry.
 */
#include "periodic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "notify.h"
#include "objects.h"
#include "store.h"
#include "sys.h"

#define ACTIVE                                                      \
	"m.from_date <= ?2 AND (m.until_date IS NULL OR m.until_date " \
	">= ?2)"

/* A notification whose acknowledgement is overdue. */
struct due {
	int64_t id, person, event, object_id;
	char object_kind[32];
	int reminded;
	int64_t superior;	/* for escalations: 0 when none */
};

/* The first person id a query yields other than not, or 0. */
static enum majlis_status
first_other(struct engine *e, const char *sql, int64_t a, const char *day,
	    int64_t not, int64_t *out, struct buf *err)
{
	struct stmt *s = store_prepare(e->store, sql);
	int step;

	*out = 0;
	stmt_bind(s, "is", a, day);
	while ((step = stmt_step(s)) == 1) {
		if (stmt_int(s, 0) != not) {
			*out = stmt_int(s, 0);
			break;
		}
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

/* The president of the council of body (0: the Commune). */
static enum majlis_status
council_president(struct engine *e, int64_t body, const char *day,
		  int64_t not, int64_t *out, struct buf *err)
{
	return first_other(
		e,
		"SELECT m.person_id FROM membership m"
		" JOIN organization g ON g.id = m.organization_id"
		" WHERE g.kind = 'council' AND m.role = 'president'"
		" AND g.body_id = coalesce(nullif(?1, 0), (SELECT id FROM body"
		" WHERE kind = 'commune' ORDER BY id LIMIT 1))"
		" AND " ACTIVE " ORDER BY g.id, m.rank, m.id",
		body, day, not, out, err);
}

static enum majlis_status
elu_superior(struct engine *e, const struct due *d, const char *day,
	     int64_t *out, struct buf *err)
{
	enum object_kind kind;
	int64_t org = 0, body = 0;
	enum majlis_status rc = MAJLIS_OK;

	if (!object_kind_parse(d->object_kind, &kind)) {
		const struct object_def *def = object_def(kind);
		struct buf sql = BUF_INIT;
		struct stmt *s;
		int step;

		buf_addf(&sql, "SELECT %s, %s FROM %s o WHERE o.id = ?1",
			 def->org_sql, def->body_sql, def->table);
		s = store_prepare(e->store, sql.data);
		buf_release(&sql);
		stmt_bind(s, "i", d->object_id);
		if ((step = stmt_step(s)) == 1) {
			org = stmt_int(s, 0);
			body = stmt_int(s, 1);
		}
		stmt_done(s);
		if (step < 0)
			return error(err, MAJLIS_ERR_STORE, "%s",
				     store_errmsg(e->store));
	}
	*out = 0;
	if (org)
		rc = first_other(e,
				 "SELECT m.person_id FROM membership m"
				 " WHERE m.organization_id = ?1"
				 " AND m.role = 'president' AND " ACTIVE
				 " ORDER BY m.rank, m.id",
				 org, day, d->person, out, err);
	if (rc == MAJLIS_OK && !*out) {
		/* The president of that organization is the person: the
		 * council's president comes next, unless that is them too. */
		rc = council_president(e, body, day, d->person, out, err);
	}
	return rc;
}

/* The DGS of administration org or of one above it, else the
 * Commune's. */
static enum majlis_status
dgs_above(struct engine *e, int64_t org, const char *day, int64_t not,
	  int64_t *out, struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;
	int64_t at = org;
	int depth = 0;

	*out = 0;
	/* Up the administration's parents; a loop in the structure stops
	 * at some depth. */
	while (at && !*out && rc == MAJLIS_OK && depth++ < 16) {
		rc = first_other(e,
				 "SELECT m.person_id FROM membership m"
				 " WHERE m.organization_id = ?1"
				 " AND m.role = 'dgs' AND " ACTIVE
				 " ORDER BY m.rank, m.id",
				 at, day, not, out, err);
		if (rc == MAJLIS_OK && !*out &&
		    store_get_int(e->store, NULL, &at,
				  "SELECT parent_id FROM organization"
				  " WHERE id = ?1",
				  "i", at) != MAJLIS_OK)
			at = 0;
	}
	/* Then the Commune's, outside the administration looked in. */
	if (rc == MAJLIS_OK && !*out)
		rc = first_other(e,
				 "SELECT m.person_id FROM membership m"
				 " JOIN organization g"
				 " ON g.id = m.organization_id"
				 " JOIN body b ON b.id = g.body_id"
				 " WHERE b.kind = 'commune' AND g.id <> ?1"
				 " AND g.kind = 'administration'"
				 " AND m.role = 'dgs' AND " ACTIVE
				 " ORDER BY b.id, m.rank, m.id",
				 org, day, not, out, err);
	return rc;
}

static enum majlis_status
staff_superior(struct engine *e, const struct due *d, const char *day,
	       int64_t *out, struct buf *err)
{
	struct stmt *s;
	char role[16] = "";
	int64_t org = 0, body = 0, heads = 0;
	enum majlis_status rc = MAJLIS_OK;
	int step;

	/* Their highest role in an administration (dgs, head, officer). */
	s = store_prepare(e->store,
			  "SELECT m.role, m.organization_id, g.body_id"
			  " FROM membership m JOIN organization g"
			  " ON g.id = m.organization_id JOIN role r"
			  " ON r.code = m.role WHERE m.person_id = ?1"
			  " AND g.kind = 'administration' AND " ACTIVE
			  " ORDER BY r.rank, m.id LIMIT 1");
	stmt_bind(s, "is", d->person, day);
	if ((step = stmt_step(s)) == 1) {
		snprintf(role, sizeof(role), "%s", stmt_text(s, 0));
		org = stmt_int(s, 1);
		body = stmt_int(s, 2);
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	*out = 0;
	if (!strcmp(role, "dgs"))
		return council_president(e, body, day, d->person, out, err);
	if (!strcmp(role, "officer")) {
		rc = store_get_int(e->store, err, &heads,
				   "SELECT count(DISTINCT m.person_id)"
				   " FROM membership m"
				   " WHERE m.organization_id = ?1"
				   " AND m.role = 'head' AND " ACTIVE,
				   "is", org, day);
		if (rc == MAJLIS_OK && heads == 1)
			rc = first_other(e,
					 "SELECT m.person_id FROM membership m"
					 " WHERE m.organization_id = ?1"
					 " AND m.role = 'head' AND " ACTIVE,
					 org, day, d->person, out, err);
	}
	if (rc == MAJLIS_OK && !*out)
		rc = dgs_above(e, org, day, d->person, out, err);
	return rc;
}

static enum majlis_status
superior_of(struct engine *e, struct due *d, struct buf *err)
{
	struct buf kind = BUF_INIT;
	char day[DATE_LEN];
	enum majlis_status rc;

	date_format(clock_local_date(e->clock, clock_now(e->clock)), day);
	rc = store_get_text(e->store, err, &kind,
			    "SELECT kind FROM person WHERE id = ?1", "i",
			    d->person);
	if (rc == MAJLIS_OK)
		rc = !strcmp(kind.data, "elu")
			     ? elu_superior(e, d, day, &d->superior, err)
			     : staff_superior(e, d, day, &d->superior, err);
	buf_release(&kind);
	return rc;
}

static enum majlis_status
audit_step(struct engine *e, int64_t id, const char *action,
	   const char *detail, struct buf *err)
{
	struct audit_entry a;

	memset(&a, 0, sizeof(a));
	a.actor = "system";
	a.object_kind = "notification";
	a.object_id = id;
	a.action = action;
	a.cause = "chase: not acknowledged in time";
	a.detail = detail;
	return audit_write(e, &a, err);
}

static enum majlis_status
remind(struct engine *e, const struct due *d, struct buf *err)
{
	struct buf detail = BUF_INIT;
	enum majlis_status rc;
	int sent = 0;

	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = notify_remind(e, d->id, &sent, err);
	buf_addf(&detail, sent ? "reminder queued" : "no address left: "
						     "no reminder sent");
	if (rc == MAJLIS_OK)
		rc = audit_step(e, d->id, "reminder", detail.data, err);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	buf_release(&detail);
	return rc;
}

/* One text and one number per row of a group, for the message. */
struct group_texts {
	struct buf persons_fr, persons_ar;
	struct buf subject_fr, subject_ar, sent_fr, sent_ar;
	char object_kind[32];
	int64_t object_id;
};

static enum majlis_status
group_texts(struct engine *e, const struct due *g, size_t n,
	    struct group_texts *t, struct buf *err)
{
	for (size_t i = 0; i < n; i++) {
		struct stmt *s = store_prepare(
			e->store,
			"SELECT CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. '"
			" END || p.given_fr || ' ' || p.family_fr,"
			" CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE"
			" 'السيد ' END || p.given_ar || ' ' || p.family_ar,"
			" n.subject_fr, n.subject_ar,"
			" coalesce(o.sent_at, o.next_at, n.created_at)"
			" FROM notification n JOIN person p"
			" ON p.id = n.person_id LEFT JOIN outbox o"
			" ON o.id = n.outbox_id WHERE n.id = ?1");
		int step;

		stmt_bind(s, "i", g[i].id);
		if ((step = stmt_step(s)) == 1) {
			buf_addf(&t->persons_fr, "%s%s", i ? ", " : "",
				 stmt_text(s, 0));
			buf_addf(&t->persons_ar, "%s%s", i ? "، " : "",
				 stmt_text(s, 1));
			if (!i) {
				int64_t when = 0;

				buf_addstr(&t->subject_fr, stmt_text(s, 2));
				buf_addstr(&t->subject_ar, stmt_text(s, 3));
				time_parse_utc(stmt_text(s, 4), &when);
				clock_format(e->clock, when, "fr",
					     CLOCK_DATETIME, &t->sent_fr);
				clock_format(e->clock, when, "ar",
					     CLOCK_DATETIME, &t->sent_ar);
			}
		}
		stmt_done(s);
		if (step < 0)
			return error(err, MAJLIS_ERR_STORE, "%s",
				     store_errmsg(e->store));
	}
	snprintf(t->object_kind, sizeof(t->object_kind), "%s",
		 g[0].object_kind);
	t->object_id = g[0].object_id;
	return MAJLIS_OK;
}

/* Tells g[0].superior of the n rows of g (one event), and closes them;
 * *done counts the rows escalated. */
static enum majlis_status
escalate(struct engine *e, const struct due *g, size_t n, int *done,
	 struct buf *err)
{
	struct group_texts t;
	struct rec v = REC_INIT;
	struct buf fr = BUF_INIT, ar = BUF_INIT, detail = BUF_INIT;
	struct notify_counts c;
	char now[TIME_LEN];
	enum majlis_status rc;

	memset(&t, 0, sizeof(t));
	memset(&c, 0, sizeof(c));
	time_format_utc(clock_now(e->clock), now);
	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = group_texts(e, g, n, &t, err);
	if (rc == MAJLIS_OK && g[0].superior && e->notify) {
		struct notify_item it;

		rec_add_text(&v, "persons_fr", t.persons_fr.data);
		rec_add_text(&v, "persons_ar", t.persons_ar.data);
		rec_add_text(&v, "subject_fr", t.subject_fr.data);
		rec_add_text(&v, "subject_ar", t.subject_ar.data);
		rec_add_text(&v, "sent_at_fr", t.sent_fr.data);
		rec_add_text(&v, "sent_at_ar", t.sent_ar.data);
		rc = notify_message_render(e->notify, "escalation", &v, &fr,
					   &ar, err);
		memset(&it, 0, sizeof(it));
		it.event_id = g[0].event;
		it.object_kind = t.object_kind;
		it.object_id = t.object_id;
		it.message = "escalation";
		it.fr = fr.data;
		it.ar = ar.data;
		if (rc == MAJLIS_OK)
			rc = notify_person(e, &it, g[0].superior, &c, err);
	}
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		rc = store_exec(e->store, err,
				"UPDATE notification SET escalated_at = ?1"
				" WHERE id = ?2 AND escalated_at IS NULL",
				"si", now, g[i].id);
		buf_reset(&detail);
		if (g[0].superior)
			buf_addf(&detail, "escalated to person #%lld (%d "
					  "message%s)",
				 (long long)g[0].superior,
				 c.inbox + c.email + c.sms,
				 c.inbox + c.email + c.sms == 1 ? "" : "s");
		else
			buf_addstr(&detail, "nobody above in the organigramme: "
					    "not escalated");
		if (rc == MAJLIS_OK)
			rc = audit_step(e, g[i].id, "escalation", detail.data,
					err);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	if (rc == MAJLIS_OK && g[0].superior)
		*done += (int)n;
	rec_release(&v);
	buf_release(&fr);
	buf_release(&ar);
	buf_release(&detail);
	buf_release(&t.persons_fr);
	buf_release(&t.persons_ar);
	buf_release(&t.subject_fr);
	buf_release(&t.subject_ar);
	buf_release(&t.sent_fr);
	buf_release(&t.sent_ar);
	return rc;
}

/* Escalations grouped by event (a row without one alone), then by
 * superior. */
static int
group_cmp(const void *a, const void *b)
{
	const struct due *x = a, *y = b;
	int64_t kx = x->event ? x->event : -x->id;
	int64_t ky = y->event ? y->event : -y->id;

	if (kx != ky)
		return kx < ky ? -1 : 1;
	if (x->superior != y->superior)
		return x->superior < y->superior ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
same_group(const struct due *x, const struct due *y)
{
	return x->event && x->event == y->event && x->superior == y->superior;
}

enum majlis_status
chase_tick(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	struct stmt *s;
	struct due *due = NULL, *up = NULL;
	size_t n = 0, cap = 0, nup = 0;
	char now[TIME_LEN];
	int reminded = 0, escalated = 0, step;
	enum majlis_status rc = MAJLIS_OK;

	time_format_utc(clock_now(e->clock), now);
	s = store_prepare(e->store,
			  "SELECT id, person_id, coalesce(event_id, 0),"
			  " coalesce(object_kind, ''), coalesce(object_id, 0),"
			  " reminded_at IS NOT NULL FROM notification"
			  " WHERE ack_due_at IS NOT NULL AND ack_due_at <= ?1"
			  " AND acknowledged_at IS NULL"
			  " AND escalated_at IS NULL ORDER BY ack_due_at, id");
	stmt_bind(s, "s", now);
	while ((step = stmt_step(s)) == 1) {
		struct due *d;

		xgrow(&due, &cap, n + 1, sizeof(*due));
		d = &due[n++];
		memset(d, 0, sizeof(*d));
		d->id = stmt_int(s, 0);
		d->person = stmt_int(s, 1);
		d->event = stmt_int(s, 2);
		snprintf(d->object_kind, sizeof(d->object_kind), "%s",
			 stmt_text(s, 3));
		d->object_id = stmt_int(s, 4);
		d->reminded = (int)stmt_int(s, 5);
	}
	stmt_done(s);
	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(e->store));
	/* First reminders; those reminded before go up. */
	up = xcalloc(n ? n : 1, sizeof(*up));
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		if (!due[i].reminded) {
			rc = remind(e, &due[i], err);
			reminded += rc == MAJLIS_OK;
			continue;
		}
		up[nup] = due[i];
		rc = superior_of(e, &up[nup], err);
		nup++;
	}
	if (rc == MAJLIS_OK && nup)
		qsort(up, nup, sizeof(*up), group_cmp);
	for (size_t i = 0; i < nup && rc == MAJLIS_OK;) {
		size_t j = i + 1;

		while (j < nup && same_group(&up[i], &up[j]))
			j++;
		rc = escalate(e, &up[i], j - i, &escalated, err);
		i = j;
	}
	free(due);
	free(up);
	if (rc == MAJLIS_OK && cb) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "step", "chase");
		rec_add_int(&r, "reminded", reminded);
		rec_add_int(&r, "escalated", escalated);
		cb(ctx, &r);
		rec_release(&r);
	}
	return rc;
}
