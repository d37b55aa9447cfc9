/*
 * flow.c - events through the flows (see flow.h).
 *
 * Layout: looking objects and people up; messages and their placeholders;
 * recording an event (checked, with its fields as a JSON payload);
 * applying one (choose the transition, check its guards, update the
 * object, queue its jobs, audit), each in a transaction of its own;
 * turning passed deadlines into events.
 */
#include "flow-priv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "defs.h"
#include "job.h"
#include "store.h"
#include "sys.h"

/* Sizes of fixed buffers holding state names and SQL fragments. */
#define STATE_MAX 64

static void
today(struct engine *e, char out[DATE_LEN])
{
	date_format(clock_local_date(e->clock, clock_now(e->clock)), out);
}

static void
now_text(struct engine *e, char out[TIME_LEN])
{
	time_format_utc(clock_now(e->clock), out);
}

enum majlis_status
object_find(struct engine *e, enum object_kind kind, const char *key,
	    int64_t *id, struct buf *err)
{
	const struct object_def *def = object_def(kind);
	struct buf sql = BUF_INIT;
	enum majlis_status rc;
	long long n;
	const char *num = key[0] == '#' ? key + 1 : key;

	if (parse_int(num, 1, INT64_MAX, &n) == 0) {
		buf_addf(&sql, "SELECT id FROM %s WHERE id = ?1", def->table);
		rc = store_get_int(e->store, err, id, sql.data, "i",
				   (int64_t)n);
	} else if (kind == OBJ_DOSSIER || kind == OBJ_PETITION) {
		buf_addf(&sql, "SELECT id FROM %s WHERE ref = ?1", def->table);
		rc = store_get_int(e->store, err, id, sql.data, "s", key);
	} else {
		rc = MAJLIS_ERR_NOTFOUND;
	}
	buf_release(&sql);
	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc, "no %s '%s'", def->name, key);
	return rc;
}

enum majlis_status
person_find(struct engine *e, const char *key, int64_t *id, struct buf *err)
{
	enum majlis_status rc;
	long long n;

	if (key[0] == '#' && parse_int(key + 1, 1, INT64_MAX, &n) == 0)
		rc = store_get_int(e->store, err, id,
				   "SELECT id FROM person WHERE id = ?1", "i",
				   (int64_t)n);
	else
		rc = store_get_int(e->store, err, id,
				   "SELECT id FROM person"
				   " WHERE code = ?1 OR email = ?1",
				   "s", key);
	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc,
			     "no person '%s' (give a matricule, an e-mail "
			     "address or #id)",
			     key);
	return rc;
}

/* Placeholders: view columns, state_fr/state_ar, and TIME_fr/TIME_ar
 * for the view's *_at columns, written out for people. */
int
flow_placeholder_ok(enum object_kind kind, const char *name)
{
	size_t n = strlen(name);
	char base[64];

	if (object_has_field(kind, name) || !strcmp(name, "state_fr") ||
	    !strcmp(name, "state_ar"))
		return 1;
	if (n < 4 || n >= sizeof(base) ||
	    (strcmp(name + n - 3, "_fr") && strcmp(name + n - 3, "_ar")))
		return 0;
	memcpy(base, name, n - 3);
	base[n - 3] = '\0';
	return n - 3 > 3 && !strcmp(base + n - 6, "_at") &&
	       object_has_field(kind, base);
}

static enum majlis_status
load_view(struct engine *e, enum object_kind kind, int64_t id,
	  struct rec *view, struct buf *err)
{
	struct stmt *s = store_prepare(e->store, object_def(kind)->view_sql);
	char day[DATE_LEN];
	int rc;

	today(e, day);
	stmt_bind(s, "is", id, day);
	rc = stmt_step(s);
	if (rc == 1)
		stmt_rec(s, view);
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE, "reading %s %lld: %s",
			     object_kind_name(kind), (long long)id,
			     store_errmsg(e->store));
	if (rc == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no %s #%lld",
			     object_kind_name(kind), (long long)id);
	return MAJLIS_OK;
}

static void
expand_field(struct engine *e, const struct flow *f, const struct rec *view,
	     const char *name, struct buf *out)
{
	const struct field *fld = rec_get(view, name);
	size_t n = strlen(name);

	if (fld) {
		if (fld->type == VAL_INT)
			buf_addf(out, "%lld", (long long)fld->i);
		else if (fld->type == VAL_TEXT)
			buf_addstr(out, fld->s);
		return;
	}
	if (!strcmp(name, "state_fr") || !strcmp(name, "state_ar")) {
		const char *label = flow_state_label(f, rec_text(view, "state"),
						     name + 6);

		buf_addstr(out, label ? label : "");
		return;
	}
	if (n > 3) {
		char base[64];
		const char *t;
		int64_t when;

		snprintf(base, sizeof(base), "%.*s", (int)(n - 3), name);
		t = rec_text(view, base);
		if (t && time_parse_utc(t, &when) == 0)
			clock_format(e->clock, when, name + n - 2,
				     CLOCK_DATETIME, out);
	}
}

static void
expand(struct engine *e, const struct flow *f, const char *tmpl,
       const struct rec *view, struct buf *out)
{
	const char *s = tmpl, *open;

	while ((open = strstr(s, "{{")) != NULL) {
		const char *close = strstr(open + 2, "}}");
		char name[64];
		size_t n;

		buf_add(out, s, (size_t)(open - s));
		if (!close) { /* checked at load: cannot happen */
			s = open;
			break;
		}
		n = (size_t)(close - open - 2);
		if (n == 2 && !memcmp(open + 2, "{{", 2)) {
			buf_addstr(out, "{{");
		} else if (n < sizeof(name)) {
			memcpy(name, open + 2, n);
			name[n] = '\0';
			expand_field(e, f, view, name, out);
		}
		s = close + 2;
	}
	buf_addstr(out, s);
}

enum majlis_status
flow_render_message(struct engine *e, const struct flow *f, const char *name,
		    int64_t object_id, struct buf *fr, struct buf *ar,
		    struct buf *err)
{
	const struct flow_message *m = flow_message(f, name);
	struct rec view = REC_INIT;
	enum majlis_status rc;

	if (!m)
		return error(err, MAJLIS_ERR_DATA, "%s: no message '%s'",
			     f->file, name);
	rc = load_view(e, f->kind, object_id, &view, err);
	if (rc == MAJLIS_OK) {
		expand(e, f, m->fr, &view, fr);
		expand(e, f, m->ar, &view, ar);
	}
	rec_release(&view);
	return rc;
}

/* Checks one "field=value" and adds it to the payload. */
static enum majlis_status
payload_add(struct engine *e, enum object_kind kind, const char *assign,
	    json_t *payload, struct buf *err)
{
	const char *eq = strchr(assign, '=');
	const struct settable *st;
	char name[64];
	const char *value;
	long long n;

	if (!eq || eq == assign || (size_t)(eq - assign) >= sizeof(name))
		return error(err, MAJLIS_ERR_USAGE,
			     "expected FIELD=VALUE, not '%s'", assign);
	memcpy(name, assign, (size_t)(eq - assign));
	name[eq - assign] = '\0';
	value = eq + 1;
	st = object_settable(kind, name);
	if (!st)
		return error(err, MAJLIS_ERR_USAGE,
			     "%s %s has no field '%s' that an event can set",
			     object_article(kind), object_kind_name(kind),
			     name);
	switch (st->type) {
	case FIELD_INT:
		if (parse_int(value, 0, st->max, &n))
			return error(err, MAJLIS_ERR_DATA,
				     "%s must be a number from 0 to %lld",
				     name, st->max);
		json_object_set_new(payload, name, json_integer(n));
		break;
	case FIELD_TEXT:
		if (strlen(value) > (size_t)st->max)
			return error(err, MAJLIS_ERR_DATA,
				     "%s is longer than %lld bytes", name,
				     st->max);
		if (!json_object_set_new(payload, name, json_string(value)))
			break;
		return error(err, MAJLIS_ERR_DATA, "%s is not UTF-8 text",
			     name);
	case FIELD_TIME: {
		int64_t t;
		char text[TIME_LEN];

		if (clock_parse(e->clock, value, &t))
			return error(err, MAJLIS_ERR_DATA,
				     "%s must be a time as YYYY-MM-DDTHH:MM, "
				     "not '%s'",
				     name, value);
		time_format_utc(t, text);
		json_object_set_new(payload, name, json_string(text));
		break;
	}
	case FIELD_CHOICE: {
		char *copy = xstrdup(st->choices), *words[16];
		int nw = split_words(copy, words, 16), ok = 0;

		for (int i = 0; i < nw; i++)
			ok |= !strcmp(words[i], value);
		free(copy);
		if (!ok)
			return error(err, MAJLIS_ERR_DATA,
				     "%s must be one of: %s", name,
				     st->choices);
		json_object_set_new(payload, name, json_string(value));
		break;
	}
	case FIELD_MEETING: {
		int64_t id;

		if (parse_int(value[0] == '#' ? value + 1 : value, 1,
			      INT64_MAX, &n) ||
		    store_get_int(e->store, err, &id,
				  "SELECT id FROM meeting WHERE id = ?1", "i",
				  (int64_t)n) != MAJLIS_OK)
			return error(err, MAJLIS_ERR_DATA, "no meeting '%s'",
				     value);
		json_object_set_new(payload, name, json_integer(n));
		break;
	}
	}
	return MAJLIS_OK;
}

enum majlis_status
event_record(struct engine *e, const struct event_spec *ev, int64_t *id,
	     struct buf *err)
{
	const struct flow *f = flowset_flow(e->flows, ev->kind);
	struct buf sql = BUF_INIT;
	json_t *payload = NULL;
	char *payload_text = NULL;
	char now[TIME_LEN];
	enum majlis_status rc;
	int64_t found;
	int own_tx = !store_in_transaction(e->store);

	*id = 0;
	if (!ev->source || !ev->cause)
		BUG("an event needs a source and a cause");
	if (!f)
		return error(err, MAJLIS_ERR_INTERNAL, "no flow for %ss",
			     object_kind_name(ev->kind));
	if (!flow_has_event(f, ev->name)) {
		struct buf known = BUF_INIT;

		flow_list_events(f, &known);
		rc = error(err, MAJLIS_ERR_USAGE,
			   "%s %s has no event '%s' (%s knows: %s)",
			   object_article(ev->kind),
			   object_kind_name(ev->kind), ev->name, f->file,
			   known.data);
		buf_release(&known);
		return rc;
	}
	buf_addf(&sql, "SELECT id FROM %s WHERE id = ?1",
		 object_def(ev->kind)->table);
	rc = store_get_int(e->store, err, &found, sql.data, "i",
			   ev->object_id);
	buf_release(&sql);
	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc, "no %s #%lld",
			     object_kind_name(ev->kind),
			     (long long)ev->object_id);
	if (rc != MAJLIS_OK)
		return rc;
	if (ev->set && ev->set[0]) {
		payload = json_object();
		for (const char *const *a = ev->set; *a; a++) {
			rc = payload_add(e, ev->kind, *a, payload, err);
			if (rc != MAJLIS_OK) {
				json_decref(payload);
				return rc;
			}
		}
		payload_text = json_dumps(payload, JSON_COMPACT |
							   JSON_SORT_KEYS);
		json_decref(payload);
	}
	now_text(e, now);
	if (own_tx && (rc = store_begin(e->store, err)) != MAJLIS_OK)
		goto out;
	{
		struct stmt *st = store_prepare(
			e->store,
			"INSERT INTO event(object_kind, object_id, name,"
			" actor_id, source, cause, payload, dedupe, created_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
			" ON CONFLICT(dedupe) DO NOTHING");

		stmt_bind(st, "sis", object_kind_name(ev->kind),
			  ev->object_id, ev->name);
		if (ev->actor_id)
			stmt_bind_int(st, 4, ev->actor_id);
		stmt_bind_text(st, 5, ev->source);
		stmt_bind_text(st, 6, ev->cause);
		stmt_bind_text(st, 7, payload_text);
		stmt_bind_text(st, 8, ev->dedupe);
		stmt_bind_text(st, 9, now);
		if (stmt_step(st) < 0)
			rc = error(err, MAJLIS_ERR_STORE,
				   "cannot record the event: %s",
				   store_errmsg(e->store));
		else if (store_changes(e->store) == 1)
			*id = store_last_id(e->store);
		stmt_done(st);
	}
	if (own_tx) {
		if (rc == MAJLIS_OK)
			rc = store_commit(e->store, err);
		else
			store_rollback(e->store);
	}
out:
	free(payload_text);
	return rc;
}

/* Everything a guard may need, looked up once and lazily. */
struct apply {
	struct engine *e;
	const struct flow *f;
	int64_t event_id;
	enum object_kind kind;
	int64_t object_id;
	const char *event;
	int64_t actor_id;	/* 0: none */
	const char *source;
	json_t *payload;	/* the fields to set, or NULL */
	char state[STATE_MAX];	/* the object's state */
	char state_since[TIME_LEN];
	char today[DATE_LEN];
	char event_name[STATE_MAX]; /* storage for event */
	char source_name[16];	/* storage for source */
	struct rec view;	/* loaded on demand */
	int view_loaded;
	struct buf reason;	/* why a guard failed */
	const char *reason_code;
};

static enum majlis_status
object_expr(struct apply *a, const char *expr, struct buf *out, int64_t *iout,
	    int *is_null, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	int rc;

	buf_addf(&sql, "SELECT %s FROM %s o WHERE o.id = ?1", expr,
		 object_def(a->kind)->table);
	s = store_prepare(a->e->store, sql.data);
	buf_release(&sql);
	stmt_bind(s, "i", a->object_id);
	rc = stmt_step(s);
	*is_null = rc != 1 || stmt_is_null(s, 0);
	if (rc == 1 && !*is_null) {
		if (out)
			buf_addstr(out, stmt_text(s, 0));
		if (iout)
			*iout = stmt_int(s, 0);
	}
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(a->e->store));
	return MAJLIS_OK;
}

static void
actor_name(struct apply *a, struct buf *out)
{
	struct buf code = BUF_INIT;

	if (!a->actor_id) {
		buf_addf(out, "no person (%s)", a->source);
		return;
	}
	if (store_get_text(a->e->store, NULL, &code,
			   "SELECT code FROM person WHERE id = ?1", "i",
			   a->actor_id) == MAJLIS_OK)
		buf_addf(out, "person %s", code.data);
	else
		buf_addf(out, "person #%lld", (long long)a->actor_id);
	buf_release(&code);
}

static int
has_role(struct apply *a, int64_t org, const struct guard_alt *g)
{
	int64_t found;

	for (size_t i = 0; i < g->nroles; i++) {
		if (store_get_int(a->e->store, NULL, &found,
				  "SELECT 1 FROM membership m"
				  " WHERE m.person_id = ?1"
				  " AND m.organization_id = ?2 AND m.role = ?3"
				  " AND m.from_date <= ?4 AND (m.until_date IS"
				  " NULL OR m.until_date >= ?4)",
				  "iiss", a->actor_id, org, g->roles[i],
				  a->today) == MAJLIS_OK)
			return 1;
	}
	return 0;
}

static int
is_staff(struct apply *a, const struct guard_alt *g)
{
	static const char sql[] =
		"SELECT 1 FROM membership m"
		" JOIN organization g ON g.id = m.organization_id"
		" JOIN person p ON p.id = m.person_id"
		" WHERE m.person_id = ?1 AND g.kind = 'administration'"
		" AND p.kind = 'fonctionnaire'"
		" AND (?2 IS NULL OR m.role = ?2)"
		" AND m.from_date <= ?3"
		" AND (m.until_date IS NULL OR m.until_date >= ?3)";
	int64_t found;

	if (!g->nroles)
		return store_get_int(a->e->store, NULL, &found, sql, "iss",
				     a->actor_id, NULL,
				     a->today) == MAJLIS_OK;
	for (size_t i = 0; i < g->nroles; i++)
		if (store_get_int(a->e->store, NULL, &found, sql, "iss",
				  a->actor_id, g->roles[i],
				  a->today) == MAJLIS_OK)
			return 1;
	return 0;
}

static enum majlis_status
ensure_view(struct apply *a, struct buf *err)
{
	if (a->view_loaded)
		return MAJLIS_OK;
	a->view_loaded = 1;
	return load_view(a->e, a->kind, a->object_id, &a->view, err);
}

/* The value of a view field, the event's payload taking precedence. */
static void
field_value(struct apply *a, const char *name, struct buf *out)
{
	json_t *v = a->payload ? json_object_get(a->payload, name) : NULL;
	const struct field *f;

	if (json_is_string(v)) {
		buf_addstr(out, json_string_value(v));
		return;
	}
	if (json_is_integer(v)) {
		buf_addf(out, "%lld", (long long)json_integer_value(v));
		return;
	}
	f = rec_get(&a->view, name);
	if (f && f->type == VAL_TEXT)
		buf_addstr(out, f->s);
	else if (f && f->type == VAL_INT)
		buf_addf(out, "%lld", (long long)f->i);
}

/* Evaluates one alternative: 1 if it holds, 0 if not (why in reason),
 * -1 on a store error. */
static int
guard_alt_holds(struct apply *a, const struct guard_alt *g, struct buf *why,
		const char **code, struct buf *err)
{
	struct buf text = BUF_INIT;
	int64_t v = 0, when, limit;
	int is_null;
	char stamp[TIME_LEN];

	switch (g->kind) {
	case GUARD_SYSTEM:
		if (!a->actor_id && (!strcmp(a->source, "clock") ||
				     !strcmp(a->source, "job")))
			return 1;
		buf_addstr(why, "only the clock or a job may do this");
		*code = "not-allowed";
		return 0;
	case GUARD_ROLE:
	case GUARD_STAFF:
	case GUARD_MEMBER:
	case GUARD_OWNER:
		if (!a->actor_id) {
			buf_addstr(why, "needs a person acting (--as)");
			*code = "no-actor";
			return 0;
		}
		break;
	default:
		break;
	}
	switch (g->kind) {
	case GUARD_ROLE:
	case GUARD_MEMBER: {
		struct guard_alt member = { GUARD_ROLE, NULL, 0, { 0 },
					     NULL, 0 };
		static char *all_roles[] = { "president",  "vice_president",
					     "secretary",  "deputy_secretary",
					     "rapporteur", "member" };

		if (object_expr(a, object_def(a->kind)->org_sql, NULL, &v,
				&is_null, err))
			return -1;
		if (g->kind == GUARD_MEMBER) {
			member.roles = all_roles;
			member.nroles = 6;
			g = &member;
		}
		if (!is_null && has_role(a, v, g))
			return 1;
		actor_name(a, why);
		if (g == &member) {
			buf_addstr(why, " is not a member of the organization");
		} else {
			buf_addstr(why, " is not ");
			for (size_t i = 0; i < g->nroles; i++)
				buf_addf(why, "%s%s", i ? " or " : "",
					 g->roles[i]);
			buf_addstr(why, " of the organization");
		}
		*code = "not-allowed";
		return 0;
	}
	case GUARD_STAFF:
		if (is_staff(a, g))
			return 1;
		actor_name(a, why);
		buf_addstr(why, " is not a civil servant");
		for (size_t i = 0; i < g->nroles; i++)
			buf_addf(why, "%s%s", i ? " or " : " with role ",
				 g->roles[i]);
		*code = "not-allowed";
		return 0;
	case GUARD_OWNER:
		if (object_expr(a, object_def(a->kind)->owner_sql, NULL, &v,
				&is_null, err))
			return -1;
		if (!is_null && v == a->actor_id)
			return 1;
		actor_name(a, why);
		buf_addf(why, " is not the one this %s is addressed to",
			 object_kind_name(a->kind));
		*code = "not-allowed";
		return 0;
	case GUARD_BEFORE:
	case GUARD_AFTER:
		if (object_expr(a, g->at.anchor->sql, &text, NULL, &is_null,
				err))
			return -1;
		if (is_null || time_parse_utc(text.data, &when)) {
			buf_release(&text);
			buf_addf(why, "the %s has no %s time",
				 object_kind_name(a->kind), g->at.anchor->name);
			*code = "no-time";
			return 0;
		}
		buf_release(&text);
		limit = calendar_apply(a->e->cal, a->e->clock, when, g->at.off);
		time_format_utc(limit, stamp);
		if (g->kind == GUARD_BEFORE && clock_now(a->e->clock) < limit)
			return 1;
		if (g->kind == GUARD_AFTER && clock_now(a->e->clock) >= limit)
			return 1;
		buf_addf(why, "too %s: %s %s (%s ", 
			 g->kind == GUARD_BEFORE ? "late" : "early",
			 g->kind == GUARD_BEFORE ? "must happen before"
						 : "not before",
			 stamp, g->at.anchor->name);
		offset_format(g->at.off, why);
		buf_addch(why, ')');
		*code = g->kind == GUARD_BEFORE ? "too-late" : "too-early";
		return 0;
	case GUARD_QUORUM: {
		long long present = -1, members = 0;

		if (ensure_view(a, err))
			return -1;
		field_value(a, "present_count", &text);
		if (text.len)
			parse_int(text.data, 0, 1000000, &present);
		members = rec_int(&a->view, "members", 0);
		buf_release(&text);
		if (present >= 0 && 2 * present > members)
			return 1;
		if (present < 0)
			buf_addstr(why, "quorum unknown: set present_count");
		else
			buf_addf(why,
				 "no quorum: %lld present, more than half of "
				 "%lld members (%lld) needed",
				 present, members, members / 2 + 1);
		*code = "no-quorum";
		return 0;
	}
	case GUARD_KNOWN: {
		int missing = 0;

		if (ensure_view(a, err))
			return -1;
		for (size_t i = 0; i < g->nfields; i++) {
			buf_reset(&text);
			field_value(a, g->fields[i], &text);
			if (text.len)
				continue;
			buf_addf(why, "%s%s", missing ? ", " : "the ",
				 g->fields[i]);
			missing++;
		}
		buf_release(&text);
		if (!missing)
			return 1;
		buf_addf(why, " of the %s %s not known: set %s (--set "
			 "FIELD=VALUE)", object_kind_name(a->kind),
			 missing == 1 ? "is" : "are",
			 missing == 1 ? "it" : "them");
		*code = "incomplete";
		return 0;
	}
	default:
		BUG("unknown guard kind %d", (int)g->kind);
	}
}

/* 1 if every guard of t holds, 0 if one fails, -1 on a store error. */
static int
guards_hold(struct apply *a, const struct flow_transition *t, struct buf *err)
{
	for (size_t i = 0; i < t->nguards; i++) {
		const struct flow_guard *g = &t->guards[i];
		struct buf why = BUF_INIT;
		const char *code = NULL, *first = NULL;
		int ok = 0, mixed = 0;

		for (size_t j = 0; j < g->nalts && !ok; j++) {
			size_t mark = why.len;

			if (j)
				buf_addstr(&why, "; ");
			ok = guard_alt_holds(a, &g->alts[j], &why, &code, err);
			if (!ok && first && code && strcmp(first, code))
				mixed = 1;
			if (!first)
				first = code;
			if (ok < 0) {
				buf_release(&why);
				return -1;
			}
			if (ok)
				buf_truncate(&why, mark);
		}
		if (!ok) {
			buf_addf(&a->reason, "%s (guard '%s')", why.data,
				 g->text);
			a->reason_code = mixed ? "not-allowed" : code;
			buf_release(&why);
			return 0;
		}
		buf_release(&why);
	}
	return 1;
}

static int
when_holds(struct apply *a, const struct flow_transition *t, struct buf *err)
{
	for (size_t i = 0; i < t->nwhen; i++) {
		struct buf v = BUF_INIT;
		int same;

		if (ensure_view(a, err))
			return -1;
		field_value(a, t->when[i].field, &v);
		same = !strcmp(v.data, t->when[i].value);
		buf_release(&v);
		if (!same)
			return 0;
	}
	return 1;
}

static int
from_matches(const struct flow *f, const struct flow_transition *t,
	     int state)
{
	if (state < 0)
		return 0;
	for (size_t i = 0; i < t->nfrom; i++)
		if (t->from[i] == state)
			return 1;
	return t->from_any && !f->states[state].final;
}

static void
allowed_from(const struct flow *f, const char *event, struct buf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < f->ntransitions; i++) {
		const struct flow_transition *t = &f->transitions[i];

		if (strcmp(t->event, event))
			continue;
		if (t->from_any) {
			buf_addstr(out, out->len > start ? ", any" : "any");
			continue;
		}
		for (size_t j = 0; j < t->nfrom; j++)
			buf_addf(out, "%s%s", out->len > start ? ", " : "",
				 f->states[t->from[j]].name);
	}
}

/* Chooses the transition for the event, or explains why there is none. */
static const struct flow_transition *
choose(struct apply *a, struct buf *err, int *failed)
{
	const struct flow *f = a->f;
	int state = flow_state_index(f, a->state), any_from = 0;

	*failed = 0;
	for (size_t i = 0; i < f->ntransitions; i++) {
		const struct flow_transition *t = &f->transitions[i];
		int w;

		if (strcmp(t->event, a->event) || !from_matches(f, t, state))
			continue;
		any_from = 1;
		w = when_holds(a, t, err);
		if (w < 0) {
			*failed = 1;
			return NULL;
		}
		if (w)
			return t;
	}
	if (!flow_has_event(f, a->event)) {
		buf_addf(&a->reason, "the %s flow no longer has event '%s'",
			 object_kind_name(a->kind), a->event);
		a->reason_code = "unknown-event";
	} else if (!any_from) {
		buf_addf(&a->reason,
			 "%s #%lld is '%s' and cannot take '%s' (it can from: ",
			 object_kind_name(a->kind), (long long)a->object_id,
			 a->state, a->event);
		allowed_from(f, a->event, &a->reason);
		buf_addch(&a->reason, ')');
		a->reason_code = "wrong-state";
	} else {
		buf_addf(&a->reason,
			 "no transition for '%s' fits this %s (its 'when' "
			 "conditions do not hold)",
			 a->event, object_kind_name(a->kind));
		a->reason_code = "no-match";
	}
	return NULL;
}

/* Checks the payload against the transition's set and require lists. */
static int
payload_fits(struct apply *a, const struct flow_transition *t)
{
	const char *key;
	json_t *v;

	if (a->payload) {
		json_object_foreach(a->payload, key, v) {
			size_t i;

			for (i = 0; i < t->nset; i++)
				if (!strcmp(t->set[i], key))
					break;
			if (i == t->nset) {
				buf_addf(&a->reason,
					 "'%s' cannot set %s (it sets: ",
					 a->event, key);
				for (i = 0; i < t->nset; i++)
					buf_addf(&a->reason, "%s%s",
						 i ? ", " : "", t->set[i]);
				buf_addstr(&a->reason,
					   t->nset ? ")" : "nothing)");
				a->reason_code = "bad-field";
				return 0;
			}
		}
	}
	for (size_t i = 0; i < t->nrequire; i++) {
		if (!a->payload || !json_object_get(a->payload, t->require[i])) {
			buf_addf(&a->reason, "'%s' needs %s to be set",
				 a->event, t->require[i]);
			a->reason_code = "missing-field";
			return 0;
		}
	}
	return 1;
}

static enum majlis_status
update_object(struct apply *a, const struct flow_transition *t,
	      const char *to, struct buf *err)
{
	const struct object_def *def = object_def(a->kind);
	struct buf sql = BUF_INIT;
	char now[TIME_LEN];
	struct stmt *s;
	const char *key;
	json_t *v;
	int idx = 3, rc;

	now_text(a->e, now);
	buf_addf(&sql, "UPDATE %s SET state = ?1", def->table);
	if (strcmp(to, a->state))
		buf_addstr(&sql, ", state_since = ?2");
	if (a->payload)
		json_object_foreach(a->payload, key, v)
			buf_addf(&sql, ", %s = ?%d", key, idx++);
	for (size_t i = 0; i < t->nstamp; i++)
		buf_addf(&sql, ", %s = ?2", t->stamp[i]);
	for (size_t i = 0; i < t->nbump; i++)
		buf_addf(&sql, ", %s = %s + 1", t->bump[i], t->bump[i]);
	buf_addf(&sql, " WHERE id = ?%d", idx);
	s = store_prepare(a->e->store, sql.data);
	buf_release(&sql);
	stmt_bind_text(s, 1, to);
	stmt_bind_text(s, 2, now);
	idx = 3;
	if (a->payload) {
		json_object_foreach(a->payload, key, v) {
			if (json_is_integer(v))
				stmt_bind_int(s, idx++, json_integer_value(v));
			else
				stmt_bind_text(s, idx++, json_string_value(v));
		}
	}
	stmt_bind_int(s, idx, a->object_id);
	rc = stmt_step(s);
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE, "updating %s #%lld: %s",
			     def->name, (long long)a->object_id,
			     store_errmsg(a->e->store));
	return MAJLIS_OK;
}

static void
fill_report(struct apply *a, struct rec *report, const char *outcome,
	    const char *to)
{
	if (!report)
		return;
	rec_add_int(report, "event_id", a->event_id);
	rec_add_text(report, "object", object_kind_name(a->kind));
	rec_add_int(report, "id", a->object_id);
	rec_add_text(report, "event", a->event);
	rec_add_text(report, "outcome", outcome);
	rec_add_text(report, "from", a->state[0] ? a->state : NULL);
	rec_add_text(report, "to", to);
	rec_add_text(report, "reason", a->reason.len ? a->reason.data : NULL);
}

static enum majlis_status
load_event(struct apply *a, struct buf *cause, int *done, struct buf *err)
{
	struct stmt *s = store_prepare(
		a->e->store,
		"SELECT object_kind, object_id, name, actor_id, source, cause,"
		" payload, processed_at FROM event WHERE id = ?1");
	enum majlis_status rc = MAJLIS_OK;

	stmt_bind(s, "i", a->event_id);
	switch (stmt_step(s)) {
	case 1:
		if (object_kind_parse(stmt_text(s, 0), &a->kind)) {
			rc = error(err, MAJLIS_ERR_DATA,
				   "event #%lld names an unknown object "
				   "kind '%s'",
				   (long long)a->event_id, stmt_text(s, 0));
			break;
		}
		a->object_id = stmt_int(s, 1);
		snprintf(a->event_name, sizeof(a->event_name), "%s",
			 stmt_text(s, 2));
		a->event = a->event_name;
		a->actor_id = stmt_is_null(s, 3) ? 0 : stmt_int(s, 3);
		snprintf(a->source_name, sizeof(a->source_name), "%s",
			 stmt_text(s, 4));
		a->source = a->source_name;
		buf_addstr(cause, stmt_text(s, 5));
		if (!stmt_is_null(s, 6))
			a->payload = json_loads(stmt_text(s, 6), 0, NULL);
		*done = !stmt_is_null(s, 7);
		break;
	case 0:
		rc = error(err, MAJLIS_ERR_NOTFOUND, "no event #%lld",
			   (long long)a->event_id);
		break;
	default:
		rc = error(err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(a->e->store));
	}
	stmt_done(s);
	return rc;
}

static enum majlis_status
finish_event(struct apply *a, const char *outcome, struct buf *err)
{
	char now[TIME_LEN];

	now_text(a->e, now);
	return store_exec(a->e->store, err,
			  "UPDATE event SET processed_at = ?1, outcome = ?2,"
			  " reason_code = ?3, reason = ?4 WHERE id = ?5",
			  "ssssi", now, outcome, a->reason_code,
			  a->reason.len ? a->reason.data : NULL, a->event_id);
}

static enum majlis_status
actor_label(struct apply *a, struct buf *out)
{
	if (!a->actor_id) {
		buf_addstr(out, !strcmp(a->source, "clock") ||
					!strcmp(a->source, "job")
				? "system"
				: a->source);
		return MAJLIS_OK;
	}
	if (store_get_text(a->e->store, NULL, out,
			   "SELECT code FROM person WHERE id = ?1", "i",
			   a->actor_id) != MAJLIS_OK)
		buf_addf(out, "#%lld", (long long)a->actor_id);
	return MAJLIS_OK;
}

static enum majlis_status
apply_in_tx(struct apply *a, struct buf *cause, struct rec *report,
	    struct buf *err)
{
	const struct object_def *def = object_def(a->kind);
	const struct flow_transition *t;
	struct buf sql = BUF_INIT, actor = BUF_INIT, audit_cause = BUF_INIT;
	const char *outcome, *to = NULL;
	char *detail = NULL;
	enum majlis_status rc;
	int failed, ok;
	struct audit_entry ae;

	buf_addf(&sql, "SELECT state, state_since FROM %s WHERE id = ?1",
		 def->table);
	{
		struct stmt *s = store_prepare(a->e->store, sql.data);
		int step;

		stmt_bind(s, "i", a->object_id);
		step = stmt_step(s);
		if (step == 1) {
			snprintf(a->state, sizeof(a->state), "%s",
				 stmt_text(s, 0));
			snprintf(a->state_since, sizeof(a->state_since), "%s",
				 stmt_text(s, 1));
		}
		stmt_done(s);
		buf_release(&sql);
		if (step < 0)
			return error(err, MAJLIS_ERR_STORE, "%s",
				     store_errmsg(a->e->store));
		if (step == 0) {
			buf_addf(&a->reason, "the %s no longer exists",
				 def->name);
			a->reason_code = "no-object";
		}
	}
	t = a->state[0] ? choose(a, err, &failed) : NULL;
	if (!t && a->state[0] && failed)
		return MAJLIS_ERR_STORE;
	ok = t ? guards_hold(a, t, err) : 0;
	if (ok < 0)
		return MAJLIS_ERR_STORE;
	if (ok)
		ok = payload_fits(a, t);
	if (ok) {
		to = t->to < 0 ? a->state : a->f->states[t->to].name;
		rc = update_object(a, t, to, err);
		for (size_t i = 0; rc == MAJLIS_OK && i < t->nactions; i++)
			rc = job_queue(a->e, t->actions[i].job, a->kind,
				       a->object_id, t->actions[i].arg1,
				       t->actions[i].arg2, a->event_id, err);
		if (rc != MAJLIS_OK)
			return rc;
		outcome = "applied";
	} else {
		/*
		 * The clock and the cascades meet objects that moved on
		 * (a point already voted when its meeting closes): that is
		 * no fault, and not worth a refusal.
		 */
		outcome = (!strcmp(a->source, "clock") ||
			   !strcmp(a->source, "job")) &&
					  a->reason_code &&
					  (!strcmp(a->reason_code,
						   "wrong-state") ||
					   !strcmp(a->reason_code, "no-object"))
				  ? "ignored"
				  : "refused";
	}
	actor_label(a, &actor);
	buf_addf(&audit_cause, "event #%lld (%s): %s", (long long)a->event_id,
		 a->source, cause->data);
	if (a->payload)
		detail = json_dumps(a->payload, JSON_COMPACT | JSON_SORT_KEYS);
	memset(&ae, 0, sizeof(ae));
	ae.actor_id = a->actor_id;
	ae.actor = actor.data;
	ae.object_kind = def->name;
	ae.object_id = a->object_id;
	ae.action = !strcmp(outcome, "applied") ? "transition" : outcome;
	ae.event = a->event;
	ae.from = a->state[0] ? a->state : NULL;
	ae.to = to;
	ae.cause = audit_cause.data;
	ae.detail = ok ? detail : a->reason.data;
	rc = audit_write(a->e, &ae, err);
	if (rc == MAJLIS_OK)
		rc = finish_event(a, outcome, err);
	if (rc == MAJLIS_OK)
		fill_report(a, report, outcome, to);
	free(detail);
	buf_release(&actor);
	buf_release(&audit_cause);
	return rc;
}

enum majlis_status
event_apply(struct engine *e, int64_t event_id, struct rec *report,
	    struct buf *err)
{
	struct apply a;
	struct buf cause = BUF_INIT;
	enum majlis_status rc;
	int done = 0;

	memset(&a, 0, sizeof(a));
	a.e = e;
	a.event_id = event_id;
	buf_init(&a.reason);
	today(e, a.today);
	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = load_event(&a, &cause, &done, err);
	if (rc == MAJLIS_OK && done) {
		if (report) {
			rec_add_int(report, "event_id", event_id);
			rec_add_text(report, "outcome", "already-applied");
		}
		store_rollback(e->store);
		goto out;
	}
	if (rc == MAJLIS_OK) {
		a.f = flowset_flow(e->flows, a.kind);
		rc = apply_in_tx(&a, &cause, report, err);
	}
	if (rc == MAJLIS_OK) {
		sys_fault_point("event-commit");
		rc = store_commit(e->store, err);
	} else {
		store_rollback(e->store);
	}
out:
	if (a.payload)
		json_decref(a.payload);
	rec_release(&a.view);
	buf_release(&a.reason);
	buf_release(&cause);
	return rc;
}

int64_t
event_next_pending(struct engine *e)
{
	int64_t id = 0;

	if (store_get_int(e->store, NULL, &id,
			  "SELECT id FROM event WHERE processed_at IS NULL"
			  " ORDER BY id LIMIT 1",
			  NULL) != MAJLIS_OK)
		return 0;
	return id;
}

struct due {
	enum object_kind kind;
	const struct flow_deadline *d;
	int64_t id;
	char since[TIME_LEN];
	int64_t at;
};

enum majlis_status
flow_fire_deadlines(struct engine *e, int *fired, rec_cb cb, void *ctx,
		    struct buf *err)
{
	struct due *due = NULL;
	size_t ndue = 0, cap = 0;
	enum majlis_status rc = MAJLIS_OK;
	int64_t now = clock_now(e->clock);

	*fired = 0;
	/* Collect first: no write while a read statement is open. */
	for (int k = 0; k < OBJ__COUNT && rc == MAJLIS_OK; k++) {
		const struct flow *f = flowset_flow(e->flows,
						    (enum object_kind)k);

		for (size_t i = 0; f && i < f->ndeadlines; i++) {
			const struct flow_deadline *d = &f->deadlines[i];
			struct buf sql = BUF_INIT;
			struct stmt *s;
			int step;

			buf_addf(&sql,
				 "SELECT o.id, o.state_since, %s FROM %s o"
				 " WHERE o.state = ?1 ORDER BY o.id",
				 d->at.anchor->sql, object_def(f->kind)->table);
			s = store_prepare(e->store, sql.data);
			buf_release(&sql);
			stmt_bind(s, "s", f->states[d->state].name);
			while ((step = stmt_step(s)) == 1) {
				int64_t anchor, at;

				if (stmt_is_null(s, 2) ||
				    time_parse_utc(stmt_text(s, 2), &anchor))
					continue;
				at = calendar_apply(e->cal, e->clock, anchor,
						    d->at.off);
				if (at > now)
					continue;
				xgrow(&due, &cap, ndue + 1, sizeof(*due));
				due[ndue].kind = f->kind;
				due[ndue].d = d;
				due[ndue].id = stmt_int(s, 0);
				snprintf(due[ndue].since,
					 sizeof(due[ndue].since), "%s",
					 stmt_text(s, 1));
				due[ndue].at = at;
				ndue++;
			}
			stmt_done(s);
			if (step < 0) {
				rc = error(err, MAJLIS_ERR_STORE, "%s",
					   store_errmsg(e->store));
				break;
			}
		}
	}
	for (size_t i = 0; i < ndue && rc == MAJLIS_OK; i++) {
		struct buf key = BUF_INIT, cause = BUF_INIT;
		struct event_spec ev;
		char at[TIME_LEN];
		int64_t id;

		time_format_utc(due[i].at, at);
		buf_addf(&key, "deadline/%s/%lld/%s/%s",
			 object_kind_name(due[i].kind), (long long)due[i].id,
			 due[i].d->name, due[i].since);
		buf_addf(&cause, "deadline '%s' (%s ", due[i].d->name,
			 due[i].d->at.anchor->name);
		offset_format(due[i].d->at.off, &cause);
		buf_addf(&cause, ") passed at %s", at);
		memset(&ev, 0, sizeof(ev));
		ev.kind = due[i].kind;
		ev.object_id = due[i].id;
		ev.name = due[i].d->event;
		ev.source = "clock";
		ev.cause = cause.data;
		ev.dedupe = key.data;
		rc = event_record(e, &ev, &id, err);
		if (rc == MAJLIS_OK && id) {
			(*fired)++;
			if (cb) {
				struct rec r = REC_INIT;

				rec_add_text(&r, "deadline", due[i].d->name);
				rec_add_text(&r, "object",
					     object_kind_name(due[i].kind));
				rec_add_int(&r, "id", due[i].id);
				rec_add_text(&r, "event", due[i].d->event);
				rec_add_text(&r, "due", at);
				rec_add_int(&r, "event_id", id);
				cb(ctx, &r);
				rec_release(&r);
			}
		}
		buf_release(&key);
		buf_release(&cause);
	}
	free(due);
	return rc;
}
