/*
 * job.c - jobs (see job.h).
 *
 * Layout: the table of job kinds with their check and their handler;
 * queueing; running one job in its own transaction, with retries.
 *
 * Handlers only touch the store, inside the job's transaction, so that
 * marking the job done commits together with its effects. Effects that
 * leave the store (mail, files) will go through an outbox made of rows
 * written the same way, and be sent idempotently from there.
 */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "docdata.h"
#include "document.h"
#include "mailout.h"
#include "flow.h"
#include "notify.h"
#include "store.h"
#include "sys.h"

struct job {
	int64_t id;
	char kind[32];
	enum object_kind okind;
	int64_t object_id;
	char *arg1, *arg2;
	int64_t event_id;
	int attempts;
};

typedef enum majlis_status (*job_fn)(struct engine *e, const struct job *j,
				     struct buf *detail, struct buf *err);

static enum majlis_status do_invite(struct engine *, const struct job *,
				    struct buf *, struct buf *);
static enum majlis_status do_cascade(struct engine *, const struct job *,
				     struct buf *, struct buf *);
static enum majlis_status do_notify(struct engine *, const struct job *,
				    struct buf *, struct buf *);
static enum majlis_status do_decide(struct engine *, const struct job *,
				    struct buf *, struct buf *);
static enum majlis_status do_render(struct engine *, const struct job *,
				    struct buf *, struct buf *);
static enum majlis_status do_mail(struct engine *, const struct job *,
				  struct buf *, struct buf *);
static enum majlis_status do_check(struct engine *, const struct job *,
				   struct buf *, struct buf *);
static enum majlis_status do_guest(struct engine *, const struct job *,
				   struct buf *, struct buf *);

static const struct {
	const char *name;	/* as a mailflow writes it */
	int nargs;		/* arguments it takes */
	int only_kind;		/* the object kind it needs, or -1 */
	job_fn run;
} jobs[] = {
	{ "invite", 0, OBJ_MEETING, do_invite },
	{ "cascade", 2, -1, do_cascade },
	{ "notify", 2, -1, do_notify },
	{ "decide", 0, OBJ_AGENDA_ITEM, do_decide },
	{ "render", 1, -1, do_render },
	{ "mail", 1, -1, do_mail },
	{ "check", 0, OBJ_MEETING, do_check },
	{ "guest", 0, OBJ_CONTACT, do_guest },
};

#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))

/*
 * The documents a job may render about an object of kind: those about
 * the object itself (a meeting's convocation, a petition's answer), and
 * an agenda item's extract, which is about the decision of its vote.
 */
static int
render_check(enum object_kind kind, const char *doc, struct buf *why)
{
	const struct docdata_kind *k = docdata_kind(doc);
	const char *subject = object_kind_name(kind);

	if (!k) {
		size_t n;
		const struct docdata_kind *all = docdata_kinds(&n);

		buf_addf(why, "unknown document '%s' (", doc);
		for (size_t i = 0; i < n; i++)
			buf_addf(why, "%s%s", i ? ", " : "", all[i].name);
		buf_addstr(why, ")");
		return -1;
	}
	if (!strcmp(k->subject, subject) ||
	    (kind == OBJ_AGENDA_ITEM && !strcmp(k->subject, "decision")))
		return 0;
	buf_addf(why, "a %s is about a %s, not %s %s", doc, k->subject,
		 object_article(kind), subject);
	return -1;
}

static int
audience_check(enum object_kind kind, const char *aud, struct buf *why)
{
	if (!strcmp(aud, "owner") || !strcmp(aud, "actor") ||
	    !strcmp(aud, "members"))
		return 0;
	if (!strcmp(aud, "invitees")) {
		if (kind == OBJ_MEETING)
			return 0;
		buf_addstr(why, "'invitees' is an audience of meetings only");
		return -1;
	}
	if (starts_with(aud, "role:") || starts_with(aud, "staff:")) {
		const char *role = strchr(aud, ':') + 1;

		if (role_known(role))
			return 0;
		buf_addf(why, "unknown role '%s' in audience '%s'", role, aud);
		return -1;
	}
	buf_addf(why,
		 "unknown audience '%s' (owner, actor, members, invitees, "
		 "role:ROLE, staff:ROLE)",
		 aud);
	return -1;
}

int
job_check(enum object_kind kind, const char *job, const char *arg1,
	  const char *arg2, struct buf *why)
{
	size_t i;
	int nargs = (arg1 != NULL) + (arg2 != NULL);
	enum object_kind child;

	for (i = 0; i < NJOBS; i++)
		if (!strcmp(jobs[i].name, job))
			break;
	if (i == NJOBS) {
		buf_addf(why,
			 "unknown job '%s' (invite, cascade KIND EVENT, "
			 "decide, render DOCUMENT, mail invitation|cancel|request, "
			 "check, guest; notifications use notify = AUDIENCE "
			 "MESSAGE)",
			 job);
		return -1;
	}
	if (nargs != jobs[i].nargs) {
		buf_addf(why, "job '%s' takes %d argument%s", job,
			 jobs[i].nargs, jobs[i].nargs == 1 ? "" : "s");
		return -1;
	}
	if (jobs[i].only_kind >= 0 && (int)kind != jobs[i].only_kind) {
		buf_addf(why, "job '%s' applies to %ss only", job,
			 object_kind_name((enum object_kind)jobs[i].only_kind));
		return -1;
	}
	if (!strcmp(job, "cascade")) {
		if (object_kind_parse(arg1, &child) ||
		    !object_child(kind, child)) {
			buf_addf(why, "%s %s has no children of kind '%s'",
				 object_article(kind), object_kind_name(kind),
				 arg1);
			return -1;
		}
	}
	if (!strcmp(job, "notify"))
		return audience_check(kind, arg1, why);
	if (!strcmp(job, "render"))
		return render_check(kind, arg1, why);
	if (!strcmp(job, "mail")) {
		int inv = !strcmp(arg1, "invitation") || !strcmp(arg1, "cancel");
		int req = !strcmp(arg1, "request");

		if (!inv && !req) {
			buf_addf(why, "job 'mail' sends an invitation, a cancel "
				      "or a request, not '%s'",
				 arg1);
			return -1;
		}
		if ((inv && kind != OBJ_INVITATION) ||
		    (req && kind != OBJ_DOSSIER)) {
			buf_addf(why, "mail %s is for %ss", arg1,
				 inv ? "invitation" : "dossier");
			return -1;
		}
	}
	return 0;
}

enum majlis_status
job_queue(struct engine *e, const char *job, enum object_kind kind,
	  int64_t object_id, const char *arg1, const char *arg2,
	  int64_t event_id, struct buf *err)
{
	char now[TIME_LEN];

	time_format_utc(clock_now(e->clock), now);
	return store_exec(e->store, err,
			  "INSERT INTO job(kind, object_kind, object_id, arg1,"
			  " arg2, event_id, due_at, created_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
			  "ssissis", job, object_kind_name(kind), object_id,
			  arg1, arg2, event_id, now);
}

int64_t
job_next_due(struct engine *e)
{
	char now[TIME_LEN];
	int64_t id = 0;

	time_format_utc(clock_now(e->clock), now);
	if (store_get_int(e->store, NULL, &id,
			  "SELECT id FROM job WHERE state = 'pending'"
			  " AND due_at <= ?1 ORDER BY due_at, id LIMIT 1",
			  "s", now) != MAJLIS_OK)
		return 0;
	return id;
}

static void
today(struct engine *e, char out[DATE_LEN])
{
	date_format(clock_local_date(e->clock, clock_now(e->clock)), out);
}

/* Runs a one-column integer query and collects the values. */
static enum majlis_status
collect_ids(struct engine *e, struct stmt *s, int64_t **ids, size_t *n,
	    struct buf *err)
{
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = stmt_step(s)) == 1) {
		if (stmt_is_null(s, 0))
			continue;
		xgrow(ids, &cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = stmt_int(s, 0);
	}
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

/* The value of an SQL expression over the job's object. */
static enum majlis_status
object_int(struct engine *e, const struct job *j, const char *expr,
	   int64_t *out, int *is_null, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	int rc;

	buf_addf(&sql, "SELECT %s FROM %s o WHERE o.id = ?1", expr,
		 object_def(j->okind)->table);
	s = store_prepare(e->store, sql.data);
	buf_release(&sql);
	stmt_bind(s, "i", j->object_id);
	rc = stmt_step(s);
	*is_null = rc != 1 || stmt_is_null(s, 0);
	if (rc == 1 && !*is_null)
		*out = stmt_int(s, 0);
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	if (rc == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no %s #%lld",
			     object_kind_name(j->okind),
			     (long long)j->object_id);
	return MAJLIS_OK;
}

static enum majlis_status
fire(struct engine *e, const struct job *j, enum object_kind kind,
     int64_t id, const char *event, int *fired, struct buf *err)
{
	struct buf key = BUF_INIT, cause = BUF_INIT;
	struct event_spec ev;
	enum majlis_status rc;
	int64_t eid;

	buf_addf(&key, "job/%lld/%s/%lld/%s", (long long)j->id,
		 object_kind_name(kind), (long long)id, event);
	buf_addf(&cause, "job #%lld (%s) of %s #%lld", (long long)j->id,
		 j->kind, object_kind_name(j->okind), (long long)j->object_id);
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.object_id = id;
	ev.name = event;
	ev.source = "job";
	ev.cause = cause.data;
	ev.dedupe = key.data;
	rc = event_record(e, &ev, &eid, err);
	if (rc == MAJLIS_OK && eid)
		(*fired)++;
	buf_release(&key);
	buf_release(&cause);
	return rc;
}

/*
 * A meeting's convocation: an invitation for every member in office,
 * then "send" on every invitation still to send: the new ones, those a
 * postponement set back to pending, and guests invited before the
 * convocation (job guest).
 */
static enum majlis_status
do_invite(struct engine *e, const struct job *j, struct buf *detail,
	  struct buf *err)
{
	const struct flow *inv = flowset_flow(e->flows, OBJ_INVITATION);
	struct stmt *s;
	int64_t *people = NULL, *pending = NULL, org = 0;
	size_t n = 0, npending = 0;
	char day[DATE_LEN], now[TIME_LEN];
	enum majlis_status rc;
	int is_null, created = 0, fired = 0;

	rc = object_int(e, j, "o.organization_id", &org, &is_null, err);
	if (rc != MAJLIS_OK)
		return rc;
	today(e, day);
	time_format_utc(clock_now(e->clock), now);
	s = store_prepare(e->store,
			  "SELECT DISTINCT person_id FROM membership"
			  " WHERE organization_id = ?1 AND from_date <= ?2"
			  " AND (until_date IS NULL OR until_date >= ?2)"
			  " ORDER BY person_id");
	stmt_bind(s, "is", org, day);
	rc = collect_ids(e, s, &people, &n, err);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		rc = store_exec(e->store, err,
				"INSERT INTO invitation(meeting_id, person_id,"
				" state, state_since, created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?4)"
				" ON CONFLICT(meeting_id, person_id) DO NOTHING",
				"iiss", j->object_id, people[i],
				flow_initial(inv), now);
		if (rc == MAJLIS_OK && store_changes(e->store) == 1)
			created++;
	}
	if (rc == MAJLIS_OK) {
		s = store_prepare(e->store,
				  "SELECT id FROM invitation WHERE meeting_id = ?1"
				  " AND state = ?2 ORDER BY id");
		stmt_bind(s, "is", j->object_id, flow_initial(inv));
		rc = collect_ids(e, s, &pending, &npending, err);
	}
	for (size_t i = 0; i < npending && rc == MAJLIS_OK; i++)
		rc = fire(e, j, OBJ_INVITATION, pending[i], "send", &fired,
			  err);
	free(people);
	free(pending);
	buf_addf(detail, "%d invitation%s created for %zu member%s, %d sent",
		 created, created == 1 ? "" : "s", n, n == 1 ? "" : "s",
		 fired);
	return rc;
}

static enum majlis_status
do_cascade(struct engine *e, const struct job *j, struct buf *detail,
	   struct buf *err)
{
	enum object_kind kind;
	const struct child *c;
	struct buf sql = BUF_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	enum majlis_status rc;
	int fired = 0;

	if (object_kind_parse(j->arg1, &kind) ||
	    !(c = object_child(j->okind, kind)))
		return error(err, MAJLIS_ERR_DATA,
			     "%s %s has no children of kind '%s'",
			     object_article(j->okind),
			     object_kind_name(j->okind), j->arg1);
	buf_addf(&sql, "SELECT id FROM %s WHERE %s = ?1 ORDER BY id",
		 object_def(kind)->table, c->column);
	{
		struct stmt *s = store_prepare(e->store, sql.data);

		stmt_bind(s, "i", j->object_id);
		rc = collect_ids(e, s, &ids, &n, err);
	}
	buf_release(&sql);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++)
		rc = fire(e, j, kind, ids[i], j->arg2, &fired, err);
	free(ids);
	buf_addf(detail, "'%s' raised on %d %s%s", j->arg2, fired, j->arg1,
		 fired == 1 ? "" : "s");
	return rc;
}

static enum majlis_status
audience(struct engine *e, const struct job *j, int64_t **ids, size_t *n,
	 struct buf *err)
{
	const struct object_def *def = object_def(j->okind);
	const char *aud = j->arg1;
	char day[DATE_LEN];
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;

	today(e, day);
	if (!strcmp(aud, "actor")) {
		buf_addstr(&sql, "SELECT actor_id FROM event WHERE id = ?1");
		s = store_prepare(e->store, sql.data);
		stmt_bind(s, "i", j->event_id);
	} else if (!strcmp(aud, "owner")) {
		buf_addf(&sql, "SELECT %s FROM %s o WHERE o.id = ?1",
			 def->owner_sql, def->table);
		s = store_prepare(e->store, sql.data);
		stmt_bind(s, "i", j->object_id);
	} else if (!strcmp(aud, "invitees")) {
		s = store_prepare(e->store,
				  "SELECT person_id FROM invitation"
				  " WHERE meeting_id = ?1 ORDER BY person_id");
		stmt_bind(s, "i", j->object_id);
	} else if (starts_with(aud, "staff:")) {
		buf_addf(&sql,
			 "SELECT DISTINCT m.person_id FROM membership m"
			 " JOIN organization g ON g.id = m.organization_id"
			 " JOIN person p ON p.id = m.person_id"
			 " WHERE g.kind = 'administration'"
			 " AND p.kind = 'fonctionnaire' AND m.role = ?2"
			 " AND m.from_date <= ?3"
			 " AND (m.until_date IS NULL OR m.until_date >= ?3)"
			 " AND g.body_id = (SELECT %s FROM %s o"
			 " WHERE o.id = ?1) ORDER BY m.person_id",
			 def->body_sql, def->table);
		s = store_prepare(e->store, sql.data);
		stmt_bind(s, "iss", j->object_id, aud + 6, day);
	} else {
		/* members, role:ROLE: active members of the organization */
		buf_addf(&sql,
			 "SELECT DISTINCT m.person_id FROM membership m"
			 " WHERE m.organization_id = (SELECT %s FROM %s o"
			 " WHERE o.id = ?1) AND (?2 IS NULL OR m.role = ?2)"
			 " AND m.from_date <= ?3"
			 " AND (m.until_date IS NULL OR m.until_date >= ?3)"
			 " ORDER BY m.person_id",
			 def->org_sql, def->table);
		s = store_prepare(e->store, sql.data);
		stmt_bind(s, "iss", j->object_id,
			  starts_with(aud, "role:") ? aud + 5 : NULL, day);
	}
	buf_release(&sql);
	rc = collect_ids(e, s, ids, n, err);
	return rc;
}

/*
 * Tells each person of the audience as the notification rules decide
 * (notify.h): the inbox, e-mail, SMS, each channel a row of its own,
 * never twice for one event, person and message.
 */
static enum majlis_status
do_notify(struct engine *e, const struct job *j, struct buf *detail,
	  struct buf *err)
{
	const struct flow *f = flowset_flow(e->flows, j->okind);
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	struct notify_counts c;
	struct notify_item it;
	int64_t *people = NULL;
	size_t n = 0;
	enum majlis_status rc;

	memset(&c, 0, sizeof(c));
	rc = audience(e, j, &people, &n, err);
	if (rc == MAJLIS_OK)
		rc = flow_render_message(e, f, j->arg2, j->object_id, &fr, &ar,
					 err);
	memset(&it, 0, sizeof(it));
	it.event_id = j->event_id;
	it.object_kind = object_kind_name(j->okind);
	it.object_id = j->object_id;
	it.message = j->arg2;
	it.fr = fr.data;
	it.ar = ar.data;
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++)
		rc = notify_person(e, &it, people[i], &c, err);
	buf_addf(detail, "%d notification%s '%s' to %s", c.inbox,
		 c.inbox == 1 ? "" : "s", j->arg2, j->arg1);
	if (c.email || c.sms)
		buf_addf(detail, ", %d e-mail%s, %d SMS", c.email,
			 c.email == 1 ? "" : "s", c.sms);
	if (c.disabled)
		buf_addf(detail, ", %d not told (rules)", c.disabled);
	if (c.data_errors)
		buf_addf(detail, ", %d missing address%s told to the DGS",
			 c.data_errors, c.data_errors == 1 ? "" : "es");
	free(people);
	buf_release(&fr);
	buf_release(&ar);
	return rc;
}

static enum majlis_status
do_decide(struct engine *e, const struct job *j, struct buf *detail,
	  struct buf *err)
{
	struct stmt *s;
	struct buf counter = BUF_INIT, number = BUF_INIT;
	char now[TIME_LEN];
	int64_t body = 0, meeting = 0, dossier = 0, seq, existing;
	long long vf = 0, va = 0, vb = 0;
	char title_fr[1024], title_ar[1024], body_code[64];
	int has_dossier = 0, year, rc_step;
	enum majlis_status rc;

	if (store_get_int(e->store, NULL, &existing,
			  "SELECT id FROM decision WHERE agenda_item_id = ?1",
			  "i", j->object_id) == MAJLIS_OK) {
		buf_addf(detail, "decision already recorded");
		return MAJLIS_OK;
	}
	s = store_prepare(e->store,
			  "SELECT g.body_id, b.code, o.meeting_id, o.dossier_id,"
			  " o.title_fr, o.title_ar, o.votes_for,"
			  " o.votes_against, o.votes_abstain"
			  " FROM agenda_item o JOIN meeting m"
			  " ON m.id = o.meeting_id"
			  " JOIN organization g ON g.id = m.organization_id"
			  " JOIN body b ON b.id = g.body_id WHERE o.id = ?1");
	stmt_bind(s, "i", j->object_id);
	rc_step = stmt_step(s);
	if (rc_step == 1) {
		body = stmt_int(s, 0);
		snprintf(body_code, sizeof(body_code), "%s", stmt_text(s, 1));
		meeting = stmt_int(s, 2);
		has_dossier = !stmt_is_null(s, 3);
		dossier = stmt_int(s, 3);
		snprintf(title_fr, sizeof(title_fr), "%s", stmt_text(s, 4));
		snprintf(title_ar, sizeof(title_ar), "%s", stmt_text(s, 5));
		vf = stmt_int(s, 6);
		va = stmt_int(s, 7);
		vb = stmt_int(s, 8);
	}
	stmt_done(s);
	if (rc_step != 1)
		return error(err, rc_step < 0 ? MAJLIS_ERR_STORE
					      : MAJLIS_ERR_NOTFOUND,
			     "cannot read agenda item #%lld",
			     (long long)j->object_id);
	year = clock_local_date(e->clock, clock_now(e->clock)).y;
	buf_addf(&counter, "decision/%s/%d", body_code, year);
	rc = store_counter_next(e->store, err, counter.data, &seq);
	if (rc == MAJLIS_OK) {
		buf_addf(&number, "%s-DEL-%d-%04lld", body_code, year,
			 (long long)seq);
		time_format_utc(clock_now(e->clock), now);
		s = store_prepare(e->store,
				  "INSERT INTO decision(number, body_id,"
				  " meeting_id, agenda_item_id, dossier_id,"
				  " title_fr, title_ar, votes_for,"
				  " votes_against, votes_abstain, adopted,"
				  " decided_at)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				  " ?9, ?10, ?11, ?12)");
		stmt_bind(s, "siii", number.data, body, meeting, j->object_id);
		if (has_dossier)
			stmt_bind_int(s, 5, dossier);
		stmt_bind_text(s, 6, title_fr);
		stmt_bind_text(s, 7, title_ar);
		stmt_bind_int(s, 8, vf);
		stmt_bind_int(s, 9, va);
		stmt_bind_int(s, 10, vb);
		stmt_bind_int(s, 11, vf > va);
		stmt_bind_text(s, 12, now);
		if (stmt_step(s) < 0)
			rc = error(err, MAJLIS_ERR_STORE,
				   "cannot record the decision: %s",
				   store_errmsg(e->store));
		stmt_done(s);
		buf_addf(detail, "decision %s %s (%lld for, %lld against, "
			 "%lld abstaining)",
			 number.data, vf > va ? "adopted" : "rejected", vf, va,
			 vb);
	}
	buf_release(&counter);
	buf_release(&number);
	return rc;
}

/*
 * Issues a document (document.h): renders it and files a version in the
 * archive, inside the job's transaction. An agenda item's extract is
 * that of the decision its vote recorded (the decide job before it).
 */
static enum majlis_status
do_render(struct engine *e, const struct job *j, struct buf *detail,
	  struct buf *err)
{
	struct document_issued is;
	struct buf cause = BUF_INIT;
	int64_t id = j->object_id;
	enum majlis_status rc;

	if (!e->docs)
		return error(err, MAJLIS_ERR_CONFIG,
			     "documents are not set up in this process");
	if (j->okind == OBJ_AGENDA_ITEM) {
		rc = store_get_int(e->store, NULL, &id,
				   "SELECT id FROM decision"
				   " WHERE agenda_item_id = ?1",
				   "i", j->object_id);
		if (rc == MAJLIS_ERR_NOTFOUND)
			return error(err, rc,
				     "agenda item #%lld has no decision yet",
				     (long long)j->object_id);
		if (rc != MAJLIS_OK)
			return error(err, rc, "cannot read the decision: %s",
				     store_errmsg(e->store));
	}
	buf_addf(&cause, "job %lld", (long long)j->id);
	rc = documents_issue(e, j->arg1, id, 0, cause.data, &is, err);
	buf_release(&cause);
	if (rc == MAJLIS_OK)
		buf_addf(detail, "%s %s v%d%s", j->arg1, is.register_no,
			 is.version, is.created ? "" : " (unchanged)");
	return rc;
}

/* Queues a mail (mailout.h): an invitation's iMIP REQUEST or CANCEL, a
 * dossier's request for a decision. */
static enum majlis_status
do_mail(struct engine *e, const struct job *j, struct buf *detail,
	struct buf *err)
{
	if (!e->mail) {
		buf_addstr(detail, "mail is not set up: nothing sent");
		return MAJLIS_OK;
	}
	if (!strcmp(j->arg1, "request"))
		return mailout_request(e, j->object_id, detail, err);
	return mailout_invitation(e, j->object_id, !strcmp(j->arg1, "cancel"),
				  detail, err);
}

/* Probable data errors of a meeting being convoked, told to the DGS
 * (notify.h). */
static enum majlis_status
do_check(struct engine *e, const struct job *j, struct buf *detail,
	 struct buf *err)
{
	return notify_check_meeting(e, j->object_id, j->event_id, detail, err);
}

/*
 * A contact invited (contact.flow): the person they are (the one with
 * their address, else a new guest), and their invitation to the
 * meeting. It is sent now if the meeting's invitations have gone out,
 * else the convocation's invite job sends it; a meeting that has ended
 * or was cancelled gets none.
 */
static enum majlis_status
do_guest(struct engine *e, const struct job *j, struct buf *detail,
	 struct buf *err)
{
	const struct flow *inv = flowset_flow(e->flows, OBJ_INVITATION);
	const struct flow *mf = flowset_flow(e->flows, OBJ_MEETING);
	struct buf mstate = BUF_INIT, code = BUF_INIT;
	struct stmt *s;
	int64_t meeting = 0, person = 0, inv_id = 0, sent = 0;
	char now[TIME_LEN];
	enum majlis_status rc;
	int is_null, fired = 0;

	time_format_utc(clock_now(e->clock), now);
	rc = object_int(e, j, "o.meeting_id", &meeting, &is_null, err);
	if (rc == MAJLIS_OK && is_null)
		rc = error(err, MAJLIS_ERR_DATA,
			   "contact #%lld is proposed for no meeting",
			   (long long)j->object_id);
	if (rc == MAJLIS_OK)
		rc = store_get_text(e->store, err, &mstate,
				    "SELECT state FROM meeting WHERE id = ?1",
				    "i", meeting);
	if (rc != MAJLIS_OK)
		goto out;
	if (flow_state_final(mf, mstate.data)) {
		buf_addf(detail, "meeting #%lld is %s: no invitation",
			 (long long)meeting, mstate.data);
		goto out;
	}
	/* Whoever has the address already is the one invited: an élu's
	 * card makes no second person. */
	rc = object_int(e, j,
			"COALESCE(o.person_id, (SELECT p.id FROM person p"
			" WHERE p.email = o.email))",
			&person, &is_null, err);
	if (rc == MAJLIS_OK && is_null) {
		buf_addf(&code, "INV-%04lld", (long long)j->object_id);
		rc = store_exec(e->store, err,
				"INSERT INTO person(code, kind, gender,"
				" given_fr, family_fr, given_ar, family_ar,"
				" lang, email, phone, created_at)"
				" SELECT ?2, 'invite', gender, given_fr,"
				" family_fr, given_ar, family_ar,"
				" COALESCE(lang, 'fr'), email, phone, ?3"
				" FROM contact WHERE id = ?1",
				"iss", j->object_id, code.data, now);
		person = store_last_id(e->store);
	}
	if (rc == MAJLIS_OK)
		rc = store_exec(e->store, err,
				"UPDATE contact SET person_id = ?2 WHERE id = ?1",
				"ii", j->object_id, person);
	if (rc == MAJLIS_OK)
		rc = store_exec(e->store, err,
				"INSERT INTO invitation(meeting_id, person_id,"
				" state, state_since, created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?4)"
				" ON CONFLICT(meeting_id, person_id) DO NOTHING",
				"iiss", meeting, person, flow_initial(inv),
				now);
	if (rc != MAJLIS_OK)
		goto out;
	if (store_changes(e->store) != 1) {
		buf_addf(detail, "person #%lld is already invited to meeting "
			 "#%lld", (long long)person, (long long)meeting);
		goto out;
	}
	inv_id = store_last_id(e->store);
	s = store_prepare(e->store,
			  "SELECT count(*) FROM invitation WHERE meeting_id = ?1"
			  " AND state != ?2");
	stmt_bind(s, "is", meeting, flow_initial(inv));
	if (stmt_step(s) == 1)
		sent = stmt_int(s, 0);
	stmt_done(s);
	if (sent)
		rc = fire(e, j, OBJ_INVITATION, inv_id, "send", &fired, err);
	buf_addf(detail, "invitation #%lld of person #%lld to meeting #%lld%s",
		 (long long)inv_id, (long long)person, (long long)meeting,
		 fired ? ", sent" : ", sent with the convocation");
out:
	buf_release(&mstate);
	buf_release(&code);
	return rc;
}

static enum majlis_status
load_job(struct engine *e, int64_t id, struct job *j, int *pending,
	 struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store, "SELECT kind, object_kind, object_id, arg1, arg2,"
			  " event_id, attempts, state FROM job WHERE id = ?1");
	enum majlis_status rc = MAJLIS_OK;
	int step;

	memset(j, 0, sizeof(*j));
	j->id = id;
	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		snprintf(j->kind, sizeof(j->kind), "%s", stmt_text(s, 0));
		if (object_kind_parse(stmt_text(s, 1), &j->okind))
			rc = error(err, MAJLIS_ERR_DATA,
				   "job #%lld: unknown object kind '%s'",
				   (long long)id, stmt_text(s, 1));
		j->object_id = stmt_int(s, 2);
		if (!stmt_is_null(s, 3))
			j->arg1 = xstrdup(stmt_text(s, 3));
		if (!stmt_is_null(s, 4))
			j->arg2 = xstrdup(stmt_text(s, 4));
		j->event_id = stmt_int(s, 5);
		j->attempts = (int)stmt_int(s, 6);
		*pending = !strcmp(stmt_text(s, 7), "pending");
	} else {
		rc = error(err, step < 0 ? MAJLIS_ERR_STORE
					 : MAJLIS_ERR_NOTFOUND,
			   "no job #%lld", (long long)id);
	}
	stmt_done(s);
	return rc;
}

static void
fill_report(struct rec *report, const struct job *j, const char *outcome,
	    const char *detail)
{
	if (!report)
		return;
	rec_add_int(report, "job_id", j->id);
	rec_add_text(report, "job", j->kind);
	rec_add_text(report, "object", object_kind_name(j->okind));
	rec_add_int(report, "id", j->object_id);
	rec_add_text(report, "outcome", outcome);
	rec_add_text(report, "detail", detail);
}

static enum majlis_status
audit_job(struct engine *e, const struct job *j, const char *action,
	  const char *detail, struct buf *err)
{
	struct buf cause = BUF_INIT;
	struct audit_entry a;
	enum majlis_status rc;

	buf_addf(&cause, "job #%lld queued by event #%lld", (long long)j->id,
		 (long long)j->event_id);
	memset(&a, 0, sizeof(a));
	a.actor = "system";
	a.object_kind = object_kind_name(j->okind);
	a.object_id = j->object_id;
	a.action = action;
	a.event = j->kind;
	a.cause = cause.data;
	a.detail = detail;
	rc = audit_write(e, &a, err);
	buf_release(&cause);
	return rc;
}

/* After a failure: count the attempt, and retry later or give up. */
static enum majlis_status
job_failed(struct engine *e, struct job *j, const char *why,
	   struct rec *report, struct buf *err)
{
	char due[TIME_LEN];
	int attempts = j->attempts + 1, give_up = attempts >= JOB_MAX_ATTEMPTS;
	enum majlis_status rc;

	time_format_utc(clock_now(e->clock) + 60LL * (1LL << attempts), due);
	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = store_exec(e->store, err,
			"UPDATE job SET attempts = ?1, last_error = ?2,"
			" due_at = ?3, state = ?4 WHERE id = ?5",
			"dsssi", attempts, why, due,
			give_up ? "failed" : "pending", j->id);
	if (rc == MAJLIS_OK)
		rc = audit_job(e, j, give_up ? "job-failed" : "job-retry", why,
			       err);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	fill_report(report, j, give_up ? "failed" : "retry", why);
	return rc;
}

enum majlis_status
job_run(struct engine *e, int64_t job_id, struct rec *report,
	struct buf *err)
{
	struct buf detail = BUF_INIT, jerr = BUF_INIT;
	struct job j;
	char now[TIME_LEN];
	enum majlis_status rc;
	int pending = 0;
	size_t i;

	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = load_job(e, job_id, &j, &pending, err);
	if (rc != MAJLIS_OK || !pending) {
		store_rollback(e->store);
		if (rc == MAJLIS_OK)
			fill_report(report, &j, "already-done", NULL);
		goto out;
	}
	for (i = 0; i < NJOBS; i++)
		if (!strcmp(jobs[i].name, j.kind))
			break;
	if (i == NJOBS)
		rc = error(&jerr, MAJLIS_ERR_DATA, "unknown job kind '%s'",
			   j.kind);
	else
		rc = jobs[i].run(e, &j, &detail, &jerr);
	if (rc == MAJLIS_OK) {
		time_format_utc(clock_now(e->clock), now);
		rc = store_exec(e->store, err,
				"UPDATE job SET state = 'done', done_at = ?1,"
				" attempts = attempts + 1 WHERE id = ?2",
				"si", now, j.id);
		if (rc == MAJLIS_OK)
			rc = audit_job(e, &j, "job", detail.data, err);
		if (rc == MAJLIS_OK) {
			sys_fault_point("job-commit");
			rc = store_commit(e->store, err);
		} else {
			store_rollback(e->store);
		}
		if (rc == MAJLIS_OK) {
			sys_fault_point("job-done");
			fill_report(report, &j, "done", detail.data);
		}
		goto out;
	}
	store_rollback(e->store);
	if (rc == MAJLIS_ERR_STORE || rc == MAJLIS_ERR_INTERNAL) {
		/* The store itself failed: stop the tick, retry next time. */
		error(err, rc, "job #%lld (%s): %s", (long long)j.id, j.kind,
		      jerr.data);
		goto out;
	}
	rc = job_failed(e, &j, jerr.data, report, err);
out:
	free(j.arg1);
	free(j.arg2);
	buf_release(&detail);
	buf_release(&jerr);
	return rc;
}
