/*
 * model.c - views of the council model (see model.h).
 *
 * Each list is one SQL query with optional filters (?1 state, ?2 body
 * code, ?3 key, ?4 now for "late"); records then gain local times for
 * their *_at fields and French and Arabic labels for their state.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "flow.h"
#include "objects.h"
#include "store.h"
#include "sys.h"

#define NAME_FR(p)                                                        \
	"CASE " p ".gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END || " p       \
	".given_fr || ' ' || " p ".family_fr"
#define NAME_AR(p)                                                        \
	"CASE " p ".gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END || " p \
	".given_ar || ' ' || " p ".family_ar"
#define TITLE(m, p, lang)                                               \
	"(SELECT CASE " p ".gender WHEN 'F' THEN r.title_" lang "_f"    \
	" ELSE r.title_" lang "_m END FROM role r WHERE r.code = " m ".role)"
#define ACTIVE(m) \
	"(" m ".from_date <= ?5 AND (" m ".until_date IS NULL OR " m \
	".until_date >= ?5))"

struct view {
	const char *name;
	int kind;		/* object kind for state labels, or -1 */
	const char *sql;	/* ?1 state ?2 body ?3 key ?4 now ?5 today */
};

static const struct view views[] = {
	{ "bodies", -1,
	  "SELECT b.id, b.code, b.kind, b.name_fr, b.name_ar,"
	  " p.code AS parent FROM body b LEFT JOIN body p ON p.id = b.parent_id"
	  " WHERE (?2 IS NULL OR b.code = ?2) AND ?1 IS NULL AND ?3 IS NULL"
	  " AND ?4 IS NOT NULL AND ?5 IS NOT NULL ORDER BY b.id" },
	{ "organizations", -1,
	  "SELECT g.id, g.code, g.kind, b.code AS body, g.name_fr, g.name_ar,"
	  " (SELECT count(*) FROM membership m WHERE m.organization_id = g.id"
	  "  AND " ACTIVE("m") ") AS members"
	  " FROM organization g JOIN body b ON b.id = g.body_id"
	  " WHERE (?2 IS NULL OR b.code = ?2) AND (?3 IS NULL OR g.code = ?3)"
	  " AND ?1 IS NULL AND ?4 IS NOT NULL ORDER BY g.id" },
	{ "persons", -1,
	  "SELECT p.id, p.code, p.kind, " NAME_FR("p") " AS name_fr, "
	  NAME_AR("p") " AS name_ar, p.lang, p.email, p.phone"
	  " FROM person p WHERE (?3 IS NULL OR p.id IN (SELECT m.person_id"
	  " FROM membership m JOIN organization g ON g.id = m.organization_id"
	  " WHERE g.code = ?3 AND " ACTIVE("m") "))"
	  " AND (?2 IS NULL OR p.id IN (SELECT m.person_id FROM membership m"
	  " JOIN organization g ON g.id = m.organization_id JOIN body b"
	  " ON b.id = g.body_id WHERE b.code = ?2))"
	  " AND ?1 IS NULL AND ?4 IS NOT NULL ORDER BY p.code" },
	{ "sessions", -1,
	  "SELECT s.id, s.kind, s.year, s.month, s.title_fr, s.title_ar,"
	  " s.opens_on, g.code AS organization,"
	  " (SELECT count(*) FROM meeting m WHERE m.session_id = s.id)"
	  " AS meetings FROM session s JOIN organization g"
	  " ON g.id = s.organization_id JOIN body b ON b.id = g.body_id"
	  " WHERE (?2 IS NULL OR b.code = ?2) AND ?1 IS NULL AND ?3 IS NULL"
	  " AND ?4 IS NOT NULL AND ?5 IS NOT NULL ORDER BY s.opens_on, s.id" },
	{ "meetings", OBJ_MEETING,
	  "SELECT m.id, m.session_id AS session, g.code AS organization,"
	  " m.number, m.title_fr, m.title_ar, m.starts_at, m.ends_at,"
	  " m.place_fr, m.place_ar, m.state, m.present_count,"
	  " (SELECT count(*) FROM agenda_item a WHERE a.meeting_id = m.id)"
	  " AS items,"
	  " (SELECT count(*) FROM invitation i WHERE i.meeting_id = m.id)"
	  " AS invited,"
	  " (SELECT count(*) FROM invitation i WHERE i.meeting_id = m.id"
	  "  AND i.state = 'accepted') AS accepted"
	  " FROM meeting m JOIN organization g ON g.id = m.organization_id"
	  " JOIN body b ON b.id = g.body_id"
	  " WHERE (?1 IS NULL OR m.state = ?1) AND (?2 IS NULL OR b.code = ?2)"
	  " AND (?3 IS NULL OR m.id = ?3) AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY m.starts_at, m.id" },
	{ "agenda", OBJ_AGENDA_ITEM,
	  "SELECT a.id, a.number, a.title_fr, a.title_ar, a.state,"
	  " d.ref AS dossier, p.code AS rapporteur, " NAME_FR("p")
	  " AS rapporteur_fr, " NAME_AR("p") " AS rapporteur_ar,"
	  " a.votes_for, a.votes_against, a.votes_abstain,"
	  " (SELECT number FROM decision x WHERE x.agenda_item_id = a.id)"
	  " AS decision"
	  " FROM agenda_item a LEFT JOIN dossier d ON d.id = a.dossier_id"
	  " LEFT JOIN person p ON p.id = a.rapporteur_id"
	  " WHERE a.meeting_id = ?3 AND (?1 IS NULL OR a.state = ?1)"
	  " AND ?2 IS NULL AND ?4 IS NOT NULL AND ?5 IS NOT NULL"
	  " ORDER BY a.number" },
	{ "invitations", OBJ_INVITATION,
	  "SELECT i.id, i.meeting_id AS meeting, p.code AS person, "
	  NAME_FR("p") " AS name_fr, " NAME_AR("p") " AS name_ar,"
	  " p.email, i.state, i.attendance, i.answered_at, i.comment,"
	  " i.sequence"
	  " FROM invitation i JOIN person p ON p.id = i.person_id"
	  " WHERE (?3 IS NULL OR i.meeting_id = ?3)"
	  " AND (?1 IS NULL OR i.state = ?1) AND ?2 IS NULL"
	  " AND ?4 IS NOT NULL AND ?5 IS NOT NULL ORDER BY i.id" },
	{ "dossiers", OBJ_DOSSIER,
	  "SELECT d.id, d.ref, d.kind, d.title_fr, d.title_ar, d.state,"
	  " g.code AS organization, p.code AS owner, " NAME_FR("p")
	  " AS owner_fr, " NAME_AR("p") " AS owner_ar, d.due_at, d.comment,"
	  " (d.due_at < ?4 AND d.state NOT IN ('approved','rejected'))"
	  " AS late, d.state_since"
	  " FROM dossier d JOIN body b ON b.id = d.body_id"
	  " LEFT JOIN organization g ON g.id = d.organization_id"
	  " LEFT JOIN person p ON p.id = d.owner_id"
	  " WHERE (?1 IS NULL OR d.state = ?1) AND (?2 IS NULL OR b.code = ?2)"
	  " AND (?3 IS NULL OR d.ref = ?3 OR d.id = ?3) AND ?5 IS NOT NULL"
	  " ORDER BY d.ref" },
	{ "decisions", -1,
	  "SELECT x.id, x.number, x.title_fr, x.title_ar, x.votes_for,"
	  " x.votes_against, x.votes_abstain, x.adopted, x.decided_at,"
	  " x.visa_state, m.id AS meeting, d.ref AS dossier"
	  " FROM decision x JOIN body b ON b.id = x.body_id"
	  " LEFT JOIN meeting m ON m.id = x.meeting_id"
	  " LEFT JOIN dossier d ON d.id = x.dossier_id"
	  " WHERE (?2 IS NULL OR b.code = ?2) AND (?3 IS NULL OR x.number = ?3)"
	  " AND (?1 IS NULL OR x.visa_state = ?1) AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY x.number" },
	{ "petitions", OBJ_PETITION,
	  "SELECT t.id, t.ref, t.kind, t.title_fr, t.title_ar, t.lead_name,"
	  " t.signatures, t.received_at, t.state, t.reason, t.answer,"
	  " t.meeting_id AS meeting, t.state_since"
	  " FROM petition t JOIN body b ON b.id = t.body_id"
	  " WHERE (?1 IS NULL OR t.state = ?1) AND (?2 IS NULL OR b.code = ?2)"
	  " AND (?3 IS NULL OR t.ref = ?3 OR t.id = ?3) AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY t.ref" },
	{ "tasks", OBJ_TASK,
	  "SELECT t.id, t.title_fr, t.title_ar, p.code AS assignee, "
	  NAME_FR("p") " AS assignee_fr, " NAME_AR("p") " AS assignee_ar,"
	  " t.due_at, t.state, t.done_at,"
	  " (t.due_at < ?4 AND t.state = 'open') AS late"
	  " FROM task t LEFT JOIN person p ON p.id = t.assignee_id"
	  " WHERE (?1 IS NULL OR t.state = ?1) AND (?3 IS NULL OR t.id = ?3)"
	  " AND ?2 IS NULL AND ?5 IS NOT NULL ORDER BY t.due_at, t.id" },
	{ "contacts", OBJ_CONTACT,
	  "SELECT c.id, c.name, c.email, c.phone, c.gender, c.lang, c.org,"
	  " c.meeting_id AS meeting, c.state, p.code AS proposed_by,"
	  " g.code AS person, c.created_at"
	  " FROM contact c LEFT JOIN person p ON p.id = c.proposed_by"
	  " LEFT JOIN person g ON g.id = c.person_id"
	  " WHERE (?1 IS NULL OR c.state = ?1) AND (?3 IS NULL OR"
	  " c.meeting_id = ?3) AND ?2 IS NULL AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY c.id" },
	{ "inmail", -1,
	  "SELECT m.id, m.source, m.kind, m.action AS state, m.reason,"
	  " m.sender, m.subject, m.object_kind AS object, m.object_id,"
	  " m.message_id, m.received_at"
	  " FROM inmail m WHERE (?1 IS NULL OR m.action = ?1)"
	  " AND (?3 IS NULL OR m.id = ?3) AND ?2 IS NULL AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY m.id" },
	{ "notifications", -1,
	  "SELECT n.id, p.code AS person, n.message, n.object_kind AS object,"
	  " n.object_id AS object_id, n.channel, n.colour, n.subject_fr,"
	  " n.subject_ar, n.created_at, n.acknowledged_at"
	  " FROM notification n JOIN person p ON p.id = n.person_id"
	  " WHERE (?3 IS NULL OR p.code = ?3 OR p.email = ?3)"
	  " AND ?1 IS NULL AND ?2 IS NULL AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY n.id" },
	{ "events", -1,
	  "SELECT e.id, e.object_kind AS object, e.object_id AS object_id,"
	  " e.name AS event, e.source, p.code AS actor, e.created_at,"
	  " e.processed_at, e.outcome, e.reason_code, e.reason"
	  " FROM event e LEFT JOIN person p ON p.id = e.actor_id"
	  " WHERE (?1 IS NULL OR e.outcome = ?1 OR (?1 = 'pending'"
	  "  AND e.processed_at IS NULL))"
	  " AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NOT NULL"
	  " AND ?5 IS NOT NULL ORDER BY e.id" },
	{ "jobs", -1,
	  "SELECT j.id, j.kind AS job, j.object_kind AS object,"
	  " j.object_id AS object_id, j.arg1, j.arg2, j.state, j.attempts,"
	  " j.last_error, j.due_at, j.done_at FROM job j"
	  " WHERE (?1 IS NULL OR j.state = ?1) AND ?2 IS NULL AND ?3 IS NULL"
	  " AND ?4 IS NOT NULL AND ?5 IS NOT NULL ORDER BY j.id" },
	{ "members", -1,
	  "SELECT p.code AS person, " NAME_FR("p") " AS name_fr, " NAME_AR("p")
	  " AS name_ar, m.role, " TITLE("m", "p", "fr") " AS title_fr, "
	  TITLE("m", "p", "ar") " AS title_ar, m.rank, m.from_date,"
	  " m.until_date, p.kind"
	  " FROM membership m JOIN person p ON p.id = m.person_id"
	  " JOIN role r ON r.code = m.role"
	  " WHERE m.organization_id = ?3 AND " ACTIVE("m")
	  " AND ?1 IS NULL AND ?2 IS NULL AND ?4 IS NOT NULL"
	  " ORDER BY r.rank, m.rank, p.family_fr, p.given_fr" },
	{ "memberships", -1,
	  "SELECT g.code AS organization, g.name_fr AS organization_fr,"
	  " g.name_ar AS organization_ar, m.role, " TITLE("m", "p", "fr")
	  " AS title_fr, " TITLE("m", "p", "ar") " AS title_ar, m.rank,"
	  " m.from_date, m.until_date, " ACTIVE("m") " AS active"
	  " FROM membership m JOIN organization g ON g.id = m.organization_id"
	  " JOIN person p ON p.id = m.person_id"
	  " WHERE m.person_id = ?3 AND ?1 IS NULL AND ?2 IS NULL"
	  " AND ?4 IS NOT NULL ORDER BY g.id, m.from_date" },
};

const char model_views[] =
	"summary bodies organizations orgchart persons person sessions "
	"meetings meeting invitations dossiers dossier decisions petitions "
	"petition tasks contacts inmail notifications events jobs";

static const struct view *
find_view(const char *name)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, name))
			return &views[i];
	return NULL;
}

/* Adds local times and state labels to a record read from SQL. */
static void
enrich(struct engine *e, const struct view *v, const struct rec *in,
       struct rec *out)
{
	const struct flow *f = v->kind >= 0
				       ? flowset_flow(e->flows,
						      (enum object_kind)v->kind)
				       : NULL;

	for (size_t i = 0; i < in->n; i++) {
		const struct field *fl = &in->f[i];
		size_t n = strlen(fl->name);

		if (fl->type == VAL_INT)
			rec_add_int(out, fl->name, fl->i);
		else if (fl->type == VAL_TEXT)
			rec_add_text(out, fl->name, fl->s);
		else
			rec_add_null(out, fl->name);
		if (fl->type == VAL_TEXT && n > 3 &&
		    !strcmp(fl->name + n - 3, "_at")) {
			int64_t t;
			struct date d;
			int h, mi, s;
			struct buf name = BUF_INIT, val = BUF_INIT;

			if (time_parse_utc(fl->s, &t) == 0) {
				clock_to_local(e->clock, t, &d, &h, &mi, &s);
				buf_addf(&name, "%.*s_local", (int)(n - 3),
					 fl->name);
				buf_addf(&val, "%04d-%02d-%02d %02d:%02d", d.y,
					 d.m, d.d, h, mi);
				rec_add_text(out, name.data, val.data);
			}
			buf_release(&name);
			buf_release(&val);
		}
		if (f && fl->type == VAL_TEXT && !strcmp(fl->name, "state")) {
			rec_add_text(out, "state_fr",
				     flow_state_label(f, fl->s, "fr"));
			rec_add_text(out, "state_ar",
				     flow_state_label(f, fl->s, "ar"));
		}
	}
}

struct collect {
	struct engine *e;
	const struct view *v;
	rec_cb cb;		/* hand each record on, or */
	void *ctx;
	struct field *list;	/* add it to this list */
	int count;
};

static int
collect_one(void *ctx, const struct rec *r)
{
	struct collect *c = ctx;

	c->count++;
	if (c->list) {
		enrich(c->e, c->v, r, rec_list_add(c->list));
		return 0;
	}
	{
		struct rec out = REC_INIT;
		int stop;

		enrich(c->e, c->v, r, &out);
		stop = c->cb(c->ctx, &out);
		rec_release(&out);
		return stop;
	}
}

static enum majlis_status
run_view(struct engine *e, const char *name, const struct model_filter *f,
	 const char *key, rec_cb cb, void *ctx, struct field *list,
	 int *count, struct buf *err)
{
	const struct view *v = find_view(name);
	struct collect c = { e, v, cb, ctx, list, 0 };
	char now[TIME_LEN], today[DATE_LEN];
	struct stmt *s;
	enum majlis_status rc;

	if (!v)
		BUG("no view '%s'", name);
	time_format_utc(clock_now(e->clock), now);
	date_format(clock_local_date(e->clock, clock_now(e->clock)), today);
	s = store_prepare(e->store, v->sql);
	stmt_bind(s, "sssss", f ? f->state : NULL, f ? f->body : NULL, key,
		  now, today);
	rc = store_each_rec(e->store, err, s, collect_one, &c);
	if (count)
		*count = c.count;
	return rc;
}

static int
late_only(void *ctx, const struct rec *r)
{
	struct collect *c = ctx;

	if (rec_int(r, "late", 0))
		return c->cb(c->ctx, r);
	return 0;
}

static enum majlis_status
lookup_id(struct engine *e, const char *sql, const char *key, int64_t *id,
	  const char *what, struct buf *err)
{
	enum majlis_status rc = store_get_int(e->store, err, id, sql, "s",
					      key);

	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc, "no %s '%s'", what, key);
	return rc;
}

/* Runs a list view for one key into r (left empty if nothing matches). */
static enum majlis_status
run_one(struct engine *e, const char *view, const char *key, struct rec *r,
	int *n, struct buf *err)
{
	struct model_filter none = { NULL, NULL, NULL, 0 };
	struct field holder;
	enum majlis_status rc;

	memset(&holder, 0, sizeof(holder));
	holder.type = VAL_LIST;
	rc = run_view(e, view, &none, key, NULL, NULL, &holder, n, err);
	if (rc == MAJLIS_OK && holder.nlist >= 1) {
		*r = holder.list[0];
		rec_init(&holder.list[0]);
	}
	for (size_t i = 0; i < holder.nlist; i++)
		rec_release(&holder.list[i]);
	free(holder.list);
	return rc;
}

static enum majlis_status
show_one(struct engine *e, const char *what, const struct model_filter *f,
	 rec_cb cb, void *ctx, struct buf *err)
{
	struct rec r = REC_INIT;
	struct model_filter none = { NULL, NULL, NULL, 0 };
	struct buf key = BUF_INIT;
	enum majlis_status rc;
	int64_t id;
	int n = 0;

	if (!f || !f->key)
		return error(err, MAJLIS_ERR_USAGE, "show %s needs a key",
			     what);
	if (!strcmp(what, "person")) {
		rc = lookup_id(e,
			       "SELECT id FROM person WHERE code = ?1"
			       " OR email = ?1 OR '#' || id = ?1",
			       f->key, &id, "person", err);
		if (rc != MAJLIS_OK)
			return rc;
		buf_addf(&key, "%lld", (long long)id);
		{
			struct stmt *s = store_prepare(
				e->store,
				"SELECT p.id, p.code, p.kind, p.gender,"
				" p.given_fr, p.family_fr, p.given_ar,"
				" p.family_ar, " NAME_FR("p") " AS name_fr, "
				NAME_AR("p") " AS name_ar, p.lang, p.email,"
				" p.phone FROM person p WHERE p.id = ?1");

			stmt_bind(s, "i", id);
			if (stmt_step(s) == 1)
				stmt_rec(s, &r);
			stmt_done(s);
		}
		rc = run_view(e, "memberships", &none, key.data, NULL, NULL,
			      rec_add_list(&r, "memberships"), &n, err);
	} else if (!strcmp(what, "meeting")) {
		struct field *l = NULL;

		rc = lookup_id(e, "SELECT id FROM meeting WHERE id = ?1",
			       f->key[0] == '#' ? f->key + 1 : f->key, &id,
			       "meeting", err);
		if (rc != MAJLIS_OK)
			return rc;
		buf_addf(&key, "%lld", (long long)id);
		rc = run_one(e, "meetings", key.data, &r, &n, err);
		if (rc == MAJLIS_OK) {
			l = rec_add_list(&r, "agenda");
			rc = run_view(e, "agenda", &none, key.data, NULL, NULL,
				      l, &n, err);
		}
		if (rc == MAJLIS_OK) {
			struct stmt *s = store_prepare(
				e->store,
				"SELECT state, count(*) FROM invitation"
				" WHERE meeting_id = ?1 GROUP BY state"
				" ORDER BY state");
			struct field *inv = rec_add_list(&r, "invitations");

			stmt_bind(s, "i", id);
			while (stmt_step(s) == 1) {
				struct rec *c = rec_list_add(inv);

				rec_add_text(c, "state", stmt_text(s, 0));
				rec_add_int(c, "count", stmt_int(s, 1));
			}
			stmt_done(s);
		}
	} else if (!strcmp(what, "dossier") || !strcmp(what, "petition")) {
		rc = run_one(e, what[0] == 'd' ? "dossiers" : "petitions",
			     f->key, &r, &n, err);
		if (rc == MAJLIS_OK && !n)
			rc = error(err, MAJLIS_ERR_NOTFOUND, "no %s '%s'", what,
				   f->key);
	} else {
		rc = error(err, MAJLIS_ERR_USAGE, "cannot show one '%s'", what);
	}
	if (rc == MAJLIS_OK && r.n)
		cb(ctx, &r);
	rec_release(&r);
	buf_release(&key);
	return rc;
}

static enum majlis_status
show_orgchart(struct engine *e, const struct model_filter *f, rec_cb cb,
	      void *ctx, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT g.id, g.code, g.kind, b.code AS body, g.name_fr,"
		" g.name_ar, p.code AS parent FROM organization g"
		" JOIN body b ON b.id = g.body_id"
		" LEFT JOIN organization p ON p.id = g.parent_id"
		" WHERE (?1 IS NULL OR g.code = ?1)"
		" AND (?2 IS NULL OR b.code = ?2) ORDER BY g.id");
	struct rec *orgs = NULL;
	size_t n = 0, cap = 0;
	enum majlis_status rc = MAJLIS_OK;
	int step;

	stmt_bind(s, "ss", f ? f->key : NULL, f ? f->body : NULL);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&orgs, &cap, n + 1, sizeof(*orgs));
		rec_init(&orgs[n]);
		stmt_rec(s, &orgs[n]);
		n++;
	}
	stmt_done(s);
	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
	if (rc == MAJLIS_OK && f && f->key && !n)
		rc = error(err, MAJLIS_ERR_NOTFOUND, "no organization '%s'",
			   f->key);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		struct buf key = BUF_INIT;
		struct model_filter none = { NULL, NULL, NULL, 0 };

		buf_addf(&key, "%lld", (long long)rec_int(&orgs[i], "id", 0));
		rc = run_view(e, "members", &none, key.data, NULL, NULL,
			      rec_add_list(&orgs[i], "members"), NULL, err);
		if (rc == MAJLIS_OK)
			cb(ctx, &orgs[i]);
		buf_release(&key);
	}
	for (size_t i = 0; i < n; i++)
		rec_release(&orgs[i]);
	free(orgs);
	return rc;
}

static enum majlis_status
show_summary(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	static const struct {
		const char *name;
		const char *sql;
	} counts[] = {
		{ "bodies", "SELECT count(*) FROM body" },
		{ "organizations", "SELECT count(*) FROM organization" },
		{ "elus", "SELECT count(*) FROM person WHERE kind = 'elu'" },
		{ "staff",
		  "SELECT count(*) FROM person WHERE kind = 'fonctionnaire'" },
		{ "memberships", "SELECT count(*) FROM membership" },
		{ "sessions", "SELECT count(*) FROM session" },
		{ "meetings", "SELECT count(*) FROM meeting" },
		{ "agenda_items", "SELECT count(*) FROM agenda_item" },
		{ "invitations", "SELECT count(*) FROM invitation" },
		{ "dossiers", "SELECT count(*) FROM dossier" },
		{ "decisions", "SELECT count(*) FROM decision" },
		{ "petitions", "SELECT count(*) FROM petition" },
		{ "tasks", "SELECT count(*) FROM task" },
		{ "notifications", "SELECT count(*) FROM notification" },
		{ "events_pending",
		  "SELECT count(*) FROM event WHERE processed_at IS NULL" },
		{ "jobs_pending",
		  "SELECT count(*) FROM job WHERE state = 'pending'" },
		{ "audit_entries", "SELECT count(*) FROM audit" },
	};
	struct rec r = REC_INIT;
	enum majlis_status rc = MAJLIS_OK;

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		int64_t v = 0;

		rc = store_get_int(e->store, err, &v, counts[i].sql, NULL);
		if (rc != MAJLIS_OK)
			break;
		rec_add_int(&r, counts[i].name, v);
	}
	if (rc == MAJLIS_OK)
		cb(ctx, &r);
	rec_release(&r);
	return rc;
}

enum majlis_status
model_show(struct engine *e, const char *what, const struct model_filter *f,
	   rec_cb cb, void *ctx, struct buf *err)
{
	static const char *const singles[] = { "person", "meeting", "dossier",
					       "petition", NULL };
	static const char *const lists[] = {
		"bodies",   "organizations", "persons",	  "sessions",
		"meetings", "invitations",   "dossiers",  "decisions",
		"petitions", "tasks",	     "contacts",  "inmail",
		"notifications", "events",   "jobs",	  NULL,
	};

	if (!strcmp(what, "summary"))
		return show_summary(e, cb, ctx, err);
	if (!strcmp(what, "orgchart"))
		return show_orgchart(e, f, cb, ctx, err);
	for (int i = 0; singles[i]; i++)
		if (!strcmp(what, singles[i]))
			return show_one(e, what, f, cb, ctx, err);
	for (int i = 0; lists[i]; i++) {
		if (strcmp(what, lists[i]))
			continue;
		if (f && f->late) {
			struct collect c = { e, NULL, cb, ctx, NULL, 0 };

			return run_view(e, what, f, f->key, late_only, &c, NULL,
					NULL, err);
		}
		return run_view(e, what, f, f ? f->key : NULL, cb, ctx, NULL,
				NULL, err);
	}
	return error(err, MAJLIS_ERR_USAGE, "cannot show '%s' (one of: %s)",
		     what, model_views);
}
