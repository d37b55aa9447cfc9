/*
 * docdata.c - the data of each kind of document (see docdata.h).
 *
 * Layout: the kinds; small JSON builders for the pieces every template
 * shares (dates in both calendars and both languages, bodies,
 * organizations, persons with their civility and gendered titles, the
 * signatories); then one builder per subject (meeting, decision,
 * petition, person) with what each kind adds.
 *
 * Names in the JSON end in _fr or _ar when they exist in both languages;
 * lists of people come twice, sorted for a French reader (_fr) and for
 * an Arabic one (_ar), by ICU's collation.
 */
#include "docdata.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "store.h"
#include "sys.h"
#include "text.h"

static const struct docdata_kind kinds[] = {
	{ "convocation", "CONV", "meeting", "convocation", "Convocation",
	  "استدعاء", 0 },
	{ "agenda", "ODJ", "meeting", "ordre-du-jour", "Ordre du jour",
	  "جدول الأعمال", 0 },
	{ "pv", "PV", "meeting", "proces-verbal", "Procès-verbal", "محضر", 0 },
	{ "report", "RAP", "meeting", "rapport-commission",
	  "Rapport de commission", "تقرير اللجنة", 0 },
	{ "extract", "EXT", "decision", "extrait",
	  "Extrait du registre des délibérations",
	  "مستخرج من سجل المداولات", 0 },
	{ "petition-ack", "ACR", "petition", "accuse-petition",
	  "Accusé de réception de pétition", "وصل إيداع عريضة", 1 },
	{ "petition-answer", "REP", "petition", "reponse-petition",
	  "Réponse à une pétition", "جواب على عريضة", 0 },
	{ "attestation", "ATT", "person", "attestation",
	  "Attestation de qualité de membre", "شهادة العضوية", 0 },
};

const struct docdata_kind *
docdata_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

const struct docdata_kind *
docdata_kinds(size_t *n)
{
	*n = sizeof(kinds) / sizeof(*kinds);
	return kinds;
}

void
docdata_meta_release(struct docdata_meta *m)
{
	buf_release(&m->title_fr);
	buf_release(&m->title_ar);
}

/* What every builder works with. */
struct ctx {
	struct engine *e;
	int64_t now;
	struct buf *err;
};

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void
set_int(json_t *o, const char *k, int64_t v)
{
	json_object_set_new(o, k, json_integer(v));
}

static void
set_bool(json_t *o, const char *k, int v)
{
	json_object_set_new(o, k, json_boolean(v));
}

/* Sets k to French text v with its first letter in lower case, for use
 * inside a sentence ("la première séance..."). */
static void
set_lc_fr(json_t *o, const char *k, const char *v)
{
	struct buf b = BUF_INIT;

	if (!v || !*v) {
		set_str(o, k, v);
		return;
	}
	text_lower_first(v, "fr", &b);
	set_str(o, k, b.data);
	buf_release(&b);
}

static enum majlis_status
store_fail(struct ctx *c, const char *what)
{
	return error(c->err, MAJLIS_ERR_STORE, "cannot read %s: %s", what,
		     store_errmsg(c->e->store));
}

/* The register number of the document of kind about subject ("pv",
 * "meeting:12"), for links between documents; JSON null when none was
 * issued. */
static json_t *
register_of(struct ctx *c, const char *kind, const char *what, int64_t id)
{
	struct buf subject = BUF_INIT, reg = BUF_INIT;
	json_t *v = json_null();

	buf_addf(&subject, "%s:%lld", what, (long long)id);
	if (store_get_text(c->e->store, NULL, &reg,
			   "SELECT register_no FROM document"
			   " WHERE kind = ?1 AND subject = ?2",
			   "ss", kind, subject.data) == MAJLIS_OK)
		v = json_string(reg.data);
	buf_release(&subject);
	buf_release(&reg);
	return v;
}

/* Dates. */

static json_t *
date_json(struct ctx *c, struct date d)
{
	json_t *o = json_object();
	char iso[DATE_LEN];
	struct buf b = BUF_INIT;
	struct hijri h;
	enum date_status st;

	date_format(d, iso);
	set_str(o, "iso", iso);
	clock_format_date(c->e->clock, d, "fr", &b);
	set_str(o, "fr", b.data);
	/* The same without the weekday, its first word: "29 novembre
	 * 2026", as dates are written under a place name. */
	set_str(o, "day_fr", strchr(b.data, ' ') ? strchr(b.data, ' ') + 1
						 : b.data);
	buf_reset(&b);
	clock_format_date(c->e->clock, d, "ar", &b);
	set_str(o, "ar", b.data);
	set_str(o, "day_ar", strchr(b.data, ' ') ? strchr(b.data, ' ') + 1
						 : b.data);
	buf_reset(&b);
	if (c->e->cal && calendar_to_hijri(c->e->cal, d, &h, &st) == 0) {
		hijri_format(h, "fr", &b);
		set_str(o, "hijri_fr", b.data);
		buf_reset(&b);
		hijri_format(h, "ar", &b);
		set_str(o, "hijri_ar", b.data);
	} else {
		set_str(o, "hijri_fr", NULL);
		set_str(o, "hijri_ar", NULL);
	}
	buf_release(&b);
	return o;
}

/* A time: its date's fields, and the time of day. */
static json_t *
time_json(struct ctx *c, int64_t t)
{
	json_t *o = date_json(c, clock_local_date(c->e->clock, t));
	char utc[TIME_LEN];
	struct buf b = BUF_INIT;

	time_format_utc(t, utc);
	set_str(o, "utc", utc);
	clock_format(c->e->clock, t, "fr", CLOCK_TIME, &b);
	set_str(o, "time_fr", b.data);
	buf_reset(&b);
	clock_format(c->e->clock, t, "ar", CLOCK_TIME, &b);
	set_str(o, "time_ar", b.data);
	buf_release(&b);
	return o;
}

static json_t *
time_text_json(struct ctx *c, const char *utc)
{
	int64_t t;

	if (!utc || time_parse_utc(utc, &t) < 0)
		return json_null();
	return time_json(c, t);
}

/* Bodies and organizations. */

static json_t *
body_json(struct ctx *c, int64_t id)
{
	struct stmt *s = store_prepare(
		c->e->store,
		"SELECT code, kind, name_fr, name_ar FROM body WHERE id = ?1");
	json_t *o = NULL;

	stmt_bind(s, "i", id);
	if (stmt_step(s) == 1) {
		struct buf up = BUF_INIT;

		o = json_object();
		set_int(o, "id", id);
		set_str(o, "code", stmt_text(s, 0));
		set_str(o, "kind", stmt_text(s, 1));
		set_bool(o, "is_arrondissement",
			 !strcmp(stmt_text(s, 1), "arrondissement"));
		set_str(o, "name_fr", stmt_text(s, 2));
		set_str(o, "name_ar", stmt_text(s, 3));
		text_upper(stmt_text(s, 2), "fr", &up);
		set_str(o, "upper_fr", up.data);
		buf_release(&up);
	}
	stmt_done(s);
	return o;
}

static json_t *
org_json(struct ctx *c, int64_t id)
{
	struct stmt *s = store_prepare(
		c->e->store, "SELECT code, kind, name_fr, name_ar, body_id"
			     " FROM organization WHERE id = ?1");
	json_t *o = NULL;

	stmt_bind(s, "i", id);
	if (stmt_step(s) == 1) {
		const char *kind = stmt_text(s, 1);

		o = json_object();
		set_int(o, "id", id);
		set_str(o, "code", stmt_text(s, 0));
		set_str(o, "kind", kind);
		set_bool(o, "is_council", !strcmp(kind, "council"));
		set_bool(o, "is_bureau", !strcmp(kind, "bureau"));
		set_bool(o, "is_commission", !strcmp(kind, "commission"));
		set_str(o, "name_fr", stmt_text(s, 2));
		set_str(o, "name_ar", stmt_text(s, 3));
		set_int(o, "body_id", stmt_int(s, 4));
	}
	stmt_done(s);
	return o;
}

/*
 * The commune, the body (the commune itself or an arrondissement) and,
 * for an arrondissement, the arrondissement: what letterheads print.
 */
static void
add_bodies(struct ctx *c, json_t *root, int64_t body_id)
{
	json_t *body = body_json(c, body_id);
	int64_t commune = body_id;

	if (body && json_is_true(json_object_get(body, "is_arrondissement")))
		store_get_int(c->e->store, NULL, &commune,
			      "SELECT coalesce(parent_id, id) FROM body"
			      " WHERE id = ?1",
			      "i", body_id);
	json_object_set_new(root, "commune", body_json(c, commune));
	json_object_set(root, "arrondissement",
			commune != body_id && body ? body : json_false());
	json_object_set_new(root, "body", body ? body : json_null());
}

/* People. */

#define PERSON_COLS                                                      \
	"p.id, p.code, p.kind, p.gender, p.given_fr, p.family_fr,"        \
	" p.given_ar, p.family_ar, p.lang, p.email"

/* A person from a row whose first columns are PERSON_COLS. */
static json_t *
person_from_row(struct stmt *s)
{
	json_t *o = json_object();
	int female = !strcmp(stmt_text(s, 3), "F");
	struct buf b = BUF_INIT;

	set_int(o, "id", stmt_int(s, 0));
	set_str(o, "code", stmt_text(s, 1));
	set_bool(o, "is_elu", !strcmp(stmt_text(s, 2), "elu"));
	set_str(o, "gender", stmt_text(s, 3));
	set_bool(o, "female", female);
	set_str(o, "civility_fr", female ? "Mme" : "M.");
	set_str(o, "civility_ar", female ? "السيدة" : "السيد");
	set_str(o, "given_fr", stmt_text(s, 4));
	set_str(o, "family_fr", stmt_text(s, 5));
	set_str(o, "given_ar", stmt_text(s, 6));
	set_str(o, "family_ar", stmt_text(s, 7));
	buf_addf(&b, "%s %s", stmt_text(s, 4), stmt_text(s, 5));
	set_str(o, "full_fr", b.data);
	buf_reset(&b);
	buf_addf(&b, "%s %s", stmt_text(s, 6), stmt_text(s, 7));
	set_str(o, "full_ar", b.data);
	buf_reset(&b);
	buf_addf(&b, "%s %s %s", female ? "Mme" : "M.", stmt_text(s, 4),
		 stmt_text(s, 5));
	set_str(o, "name_fr", b.data);
	buf_reset(&b);
	buf_addf(&b, "%s %s %s", female ? "السيدة" : "السيد", stmt_text(s, 6),
		 stmt_text(s, 7));
	set_str(o, "name_ar", b.data);
	set_str(o, "lang", stmt_text(s, 8));
	set_str(o, "email", stmt_text_or_null(s, 9));
	buf_release(&b);
	return o;
}

static json_t *
person_json(struct ctx *c, int64_t id)
{
	struct stmt *s = store_prepare(
		c->e->store, "SELECT " PERSON_COLS " FROM person p WHERE p.id = ?1");
	json_t *o = NULL;

	stmt_bind(s, "i", id);
	if (stmt_step(s) == 1)
		o = person_from_row(s);
	stmt_done(s);
	return o;
}

/* Sets role_fr and role_ar of person p to the title of role code in its
 * grammatical gender. */
static void
set_role(struct ctx *c, json_t *p, const char *role)
{
	int female = json_is_true(json_object_get(p, "female"));
	struct stmt *s = store_prepare(
		c->e->store, "SELECT title_fr_m, title_fr_f, title_ar_m,"
			     " title_ar_f FROM role WHERE code = ?1");

	stmt_bind(s, "s", role);
	if (stmt_step(s) == 1) {
		set_str(p, "role", role);
		set_str(p, "role_fr", stmt_text(s, female ? 1 : 0));
		set_str(p, "role_ar", stmt_text(s, female ? 3 : 2));
	}
	stmt_done(s);
}

/* The holder of role in organization org on date day (the first by
 * rank), with the role's title; JSON null when there is none. */
static json_t *
holder_json(struct ctx *c, int64_t org, const char *role, struct date day)
{
	char iso[DATE_LEN];
	struct stmt *s;
	json_t *o = NULL;

	date_format(day, iso);
	s = store_prepare(c->e->store,
			  "SELECT " PERSON_COLS " FROM membership m"
			  " JOIN person p ON p.id = m.person_id"
			  " WHERE m.organization_id = ?1 AND m.role = ?2"
			  " AND m.from_date <= ?3"
			  " AND (m.until_date IS NULL OR m.until_date >= ?3)"
			  " ORDER BY m.rank, m.from_date, p.id LIMIT 1");
	stmt_bind(s, "iss", org, role, iso);
	if (stmt_step(s) == 1)
		o = person_from_row(s);
	stmt_done(s);
	if (!o)
		return json_null();
	set_role(c, o, role);
	return o;
}

/* The council of a body: its organization of kind council. */
static int64_t
council_of(struct ctx *c, int64_t body_id)
{
	int64_t id = 0;

	store_get_int(c->e->store, NULL, &id,
		      "SELECT id FROM organization WHERE body_id = ?1"
		      " AND kind = 'council' ORDER BY id LIMIT 1",
		      "i", body_id);
	return id;
}

/* A person with the fields of p, all blank: to fill a table's row. */
static json_t *
blank_person(json_t *p)
{
	json_t *o = json_object(), *v;
	const char *key;

	json_object_foreach(p, key, v)
	{
		if (json_is_string(v))
			json_object_set_new(o, key, json_string(""));
		else if (json_is_boolean(v))
			json_object_set_new(o, key, json_false());
		else
			json_object_set_new(o, key, json_null());
	}
	json_object_set_new(o, "blank", json_true());
	return o;
}

/*
 * Appends to root lists NAME_fr and NAME_ar of the persons in arr (a
 * JSON array of persons), sorted by family then given name for each
 * language's reader, and NAME_grid_fr, NAME_grid_ar: the same in rows
 * of three ({"cells": [...]}), and NAME_names_fr, NAME_names_ar: their
 * full names on one line, separated by commas. Takes arr.
 */
static void
set_sorted_people(json_t *root, const char *name, json_t *arr)
{
	size_t n = json_array_size(arr);
	const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));
	struct buf *kb = xcalloc(n ? n : 1, sizeof(*kb));
	struct buf k = BUF_INIT;

	for (int lang = 0; lang < 2; lang++) {
		json_t *out = json_array();
		const char *fam = lang ? "family_ar" : "family_fr";
		const char *giv = lang ? "given_ar" : "given_fr";

		for (size_t i = 0; i < n; i++) {
			json_t *p = json_array_get(arr, i);

			buf_init(&kb[i]);
			buf_addf(&kb[i], "%s %s",
				 json_string_value(json_object_get(p, fam)),
				 json_string_value(json_object_get(p, giv)));
			keys[i] = kb[i].data;
		}
		text_sort(keys, n, lang ? "ar" : "fr", order);
		for (size_t i = 0; i < n; i++)
			json_array_append(out, json_array_get(arr, order[i]));
		/* The same in rows of three, for tables of names; the last
		 * row filled with blank persons. */
		{
			json_t *grid = json_array(), *row = NULL;

			for (size_t i = 0; i < n || (row && i % 3); i++) {
				json_t *p;

				if (i % 3 == 0) {
					row = json_object();
					json_object_set_new(row, "cells",
							    json_array());
					json_array_append_new(grid, row);
				}
				if (i < n) {
					p = json_deep_copy(
						json_array_get(out, i));
					json_object_set_new(p, "blank",
							    json_false());
				} else {
					p = blank_person(
						json_array_get(out, 0));
				}
				json_array_append_new(
					json_object_get(row, "cells"), p);
			}
			buf_reset(&k);
			buf_addf(&k, "%s_grid_%s", name, lang ? "ar" : "fr");
			json_object_set_new(root, k.data, grid);
		}
		/* And as one line of full names, for short lists. */
		{
			struct buf line = BUF_INIT;
			const char *full = lang ? "full_ar" : "full_fr";

			for (size_t i = 0; i < n; i++) {
				if (i)
					buf_addstr(&line, lang ? "، " : ", ");
				buf_addstr(&line,
					   json_string_value(json_object_get(
						   json_array_get(out, i),
						   full)));
			}
			buf_reset(&k);
			buf_addf(&k, "%s_names_%s", name, lang ? "ar" : "fr");
			set_str(root, k.data, line.data ? line.data : "");
			buf_release(&line);
		}
		for (size_t i = 0; i < n; i++)
			buf_release(&kb[i]);
		buf_reset(&k);
		buf_addf(&k, "%s_%s", name, lang ? "ar" : "fr");
		json_object_set_new(root, k.data, out);
	}
	buf_release(&k);
	free(kb);
	free(order);
	free(keys);
	json_decref(arr);
}

/* Meetings. */

struct meeting_row {
	int64_t id, session, org, body;
	int64_t start, end;
	int has_end, present_count, has_present;
	char state[32];
	char title_fr[512], title_ar[512];
};

static enum majlis_status
load_meeting(struct ctx *c, int64_t id, struct meeting_row *m)
{
	struct stmt *s = store_prepare(
		c->e->store,
		"SELECT m.session_id, m.organization_id, g.body_id,"
		" m.starts_at, m.ends_at, m.present_count, m.state,"
		" m.title_fr, m.title_ar"
		" FROM meeting m JOIN organization g"
		" ON g.id = m.organization_id WHERE m.id = ?1");
	int step;

	memset(m, 0, sizeof(*m));
	m->id = id;
	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		m->session = stmt_int(s, 0);
		m->org = stmt_int(s, 1);
		m->body = stmt_int(s, 2);
		time_parse_utc(stmt_text(s, 3), &m->start);
		m->has_end = !stmt_is_null(s, 4) &&
			     time_parse_utc(stmt_text(s, 4), &m->end) == 0;
		m->has_present = !stmt_is_null(s, 5);
		m->present_count = (int)stmt_int(s, 5);
		snprintf(m->state, sizeof(m->state), "%s", stmt_text(s, 6));
		snprintf(m->title_fr, sizeof(m->title_fr), "%s",
			 stmt_text(s, 7));
		snprintf(m->title_ar, sizeof(m->title_ar), "%s",
			 stmt_text(s, 8));
	}
	stmt_done(s);
	if (step < 0)
		return store_fail(c, "the meeting");
	if (step == 0)
		return error(c->err, MAJLIS_ERR_NOTFOUND, "no meeting #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

static json_t *
session_json(struct ctx *c, int64_t id)
{
	struct stmt *s = store_prepare(
		c->e->store, "SELECT kind, year, month, title_fr, title_ar,"
			     " opens_on FROM session WHERE id = ?1");
	json_t *o = json_false();

	stmt_bind(s, "i", id);
	if (id && stmt_step(s) == 1) {
		struct date d;

		o = json_object();
		set_int(o, "id", id);
		set_str(o, "kind", stmt_text(s, 0));
		set_bool(o, "ordinary", !strcmp(stmt_text(s, 0), "ordinary"));
		set_bool(o, "extraordinary",
			 !strcmp(stmt_text(s, 0), "extraordinary"));
		set_int(o, "year", stmt_int(s, 1));
		set_int(o, "month", stmt_int(s, 2));
		set_str(o, "title_fr", stmt_text(s, 3));
		set_lc_fr(o, "title_lc_fr", stmt_text(s, 3));
		set_str(o, "title_ar", stmt_text(s, 4));
		if (date_parse(stmt_text(s, 5), &d) == 0)
			json_object_set_new(o, "opens", date_json(c, d));
	}
	stmt_done(s);
	return o;
}

static json_t *
meeting_json(struct ctx *c, const struct meeting_row *m)
{
	json_t *o = json_object();
	struct stmt *s = store_prepare(
		c->e->store, "SELECT number, place_fr, place_ar, sequence"
			     " FROM meeting WHERE id = ?1");

	set_int(o, "id", m->id);
	set_str(o, "title_fr", m->title_fr);
	set_lc_fr(o, "title_lc_fr", m->title_fr);
	set_str(o, "title_ar", m->title_ar);
	set_str(o, "state", m->state);
	stmt_bind(s, "i", m->id);
	if (stmt_step(s) == 1) {
		set_int(o, "number", stmt_int(s, 0));
		set_str(o, "place_fr", stmt_text(s, 1));
		set_str(o, "place_ar", stmt_text(s, 2));
		set_int(o, "sequence", stmt_int(s, 3));
	}
	stmt_done(s);
	json_object_set_new(o, "start", time_json(c, m->start));
	json_object_set_new(o, "end",
			    m->has_end ? time_json(c, m->end) : json_null());
	/* Its papers already issued, to link to. */
	json_object_set_new(o, "convocation",
			    register_of(c, "convocation", "meeting", m->id));
	json_object_set_new(o, "pv", register_of(c, "pv", "meeting", m->id));
	json_object_set_new(o, "report",
			    register_of(c, "report", "meeting", m->id));
	return o;
}

/* The agenda items of a meeting, in order, with what became of them. */
static enum majlis_status
add_items(struct ctx *c, json_t *root, int64_t meeting)
{
	struct stmt *s = store_prepare(
		c->e->store,
		"SELECT o.id, o.number, o.title_fr, o.title_ar,"
		" o.rapporteur_id, d.ref, o.summary_fr, o.summary_ar,"
		" o.votes_for, o.votes_against, o.votes_abstain, o.state,"
		" x.number, x.adopted, x.id"
		" FROM agenda_item o LEFT JOIN dossier d ON d.id = o.dossier_id"
		" LEFT JOIN decision x ON x.agenda_item_id = o.id"
		" WHERE o.meeting_id = ?1 ORDER BY o.number, o.id");
	json_t *items = json_array();
	int64_t *rapp = NULL;
	size_t n = 0, cap = 0;
	int step, voted = 0, adopted = 0;

	stmt_bind(s, "i", meeting);
	while ((step = stmt_step(s)) == 1) {
		json_t *it = json_object();
		const char *state = stmt_text(s, 11);
		int has_votes = !stmt_is_null(s, 8);

		set_int(it, "id", stmt_int(s, 0));
		set_int(it, "number", stmt_int(s, 1));
		set_str(it, "title_fr", stmt_text(s, 2));
		set_str(it, "title_ar", stmt_text(s, 3));
		set_str(it, "dossier", stmt_text_or_null(s, 5));
		set_str(it, "summary_fr", stmt_text_or_null(s, 6));
		set_str(it, "summary_ar", stmt_text_or_null(s, 7));
		set_str(it, "state", state);
		set_bool(it, "voted", !strcmp(state, "voted"));
		set_bool(it, "postponed", !strcmp(state, "postponed"));
		set_bool(it, "withdrawn", !strcmp(state, "withdrawn"));
		if (has_votes) {
			json_t *v = json_object();
			int64_t f = stmt_int(s, 8), a = stmt_int(s, 9),
				b = stmt_int(s, 10);

			set_int(v, "for", f);
			set_int(v, "against", a);
			set_int(v, "abstain", b);
			set_int(v, "total", f + a + b);
			set_bool(v, "unanimous", a == 0 && b == 0 && f > 0);
			json_object_set_new(it, "votes", v);
			set_bool(it, "adopted", f > a);
			set_bool(it, "rejected", f <= a);
			voted++;
			adopted += f > a;
		} else {
			json_object_set_new(it, "votes", json_null());
			set_bool(it, "adopted", 0);
			set_bool(it, "rejected", 0);
		}
		if (!stmt_is_null(s, 12)) {
			json_t *d = json_object();

			set_int(d, "id", stmt_int(s, 14));
			set_str(d, "number", stmt_text(s, 12));
			set_bool(d, "adopted", stmt_int(s, 13) != 0);
			json_object_set_new(it, "decision", d);
		} else {
			json_object_set_new(it, "decision", json_null());
		}
		xgrow(&rapp, &cap, n + 1, sizeof(*rapp));
		rapp[n++] = stmt_is_null(s, 4) ? 0 : stmt_int(s, 4);
		json_array_append_new(items, it);
	}
	stmt_done(s);
	if (step < 0) {
		free(rapp);
		json_decref(items);
		return store_fail(c, "the agenda");
	}
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(items, i);
		json_t *p = rapp[i] ? person_json(c, rapp[i]) : NULL;
		json_t *d = json_object_get(it, "decision");

		json_object_set_new(it, "rapporteur", p ? p : json_null());
		if (json_is_object(d))
			json_object_set_new(
				d, "extract",
				register_of(c, "extract", "decision",
					    json_integer_value(
						    json_object_get(d, "id"))));
	}
	free(rapp);
	set_int(root, "items_count", (int64_t)n);
	set_int(root, "items_voted", voted);
	set_int(root, "items_adopted", adopted);
	json_object_set_new(root, "items", items);
	return MAJLIS_OK;
}

/*
 * Attendance: the members in office on the day, who was present,
 * excused or absent (from the invitations), and the quorum: more than
 * half of the members in office.
 */
static enum majlis_status
add_attendance(struct ctx *c, json_t *root, const struct meeting_row *m)
{
	static const char *const kinds_[] = { "present", "excused", "absent" };
	json_t *att = json_object();
	char iso[DATE_LEN];
	int64_t in_office = 0;
	int counts[3] = { 0, 0, 0 };

	date_format(clock_local_date(c->e->clock, m->start), iso);
	store_get_int(c->e->store, NULL, &in_office,
		      "SELECT count(DISTINCT person_id) FROM membership"
		      " WHERE organization_id = ?1 AND from_date <= ?2"
		      " AND (until_date IS NULL OR until_date >= ?2)",
		      "is", m->org, iso);
	for (int k = 0; k < 3; k++) {
		/* Each with their highest office in the organization. */
		struct stmt *s = store_prepare(
			c->e->store,
			"SELECT " PERSON_COLS
			", coalesce((SELECT m.role FROM membership m"
			" JOIN role r ON r.code = m.role"
			" WHERE m.person_id = p.id AND m.organization_id = ?3"
			" ORDER BY r.rank LIMIT 1), '')"
			" FROM invitation i JOIN person p ON p.id = i.person_id"
			" WHERE i.meeting_id = ?1 AND i.attendance = ?2"
			" ORDER BY p.id");
		json_t *arr = json_array();
		char **roles = NULL;
		size_t n = 0, cap = 0;
		int step;

		stmt_bind(s, "isi", m->id, kinds_[k], m->org);
		while ((step = stmt_step(s)) == 1) {
			json_array_append_new(arr, person_from_row(s));
			xgrow(&roles, &cap, n + 1, sizeof(*roles));
			roles[n++] = xstrdup(stmt_text(s, 10));
		}
		stmt_done(s);
		/* set_role() runs statements of its own: after the rows. */
		for (size_t i = 0; i < n; i++) {
			if (roles[i][0])
				set_role(c, json_array_get(arr, i), roles[i]);
			free(roles[i]);
		}
		free(roles);
		if (step < 0) {
			json_decref(arr);
			json_decref(att);
			return store_fail(c, "the attendance");
		}
		counts[k] = (int)n;
		set_sorted_people(att, kinds_[k], arr);
	}
	set_int(att, "in_office", in_office);
	set_int(att, "present", m->has_present ? m->present_count : counts[0]);
	set_int(att, "excused", counts[1]);
	set_int(att, "absent", counts[2]);
	set_int(att, "quorum", in_office / 2 + 1);
	set_bool(att, "quorum_met",
		 (m->has_present ? m->present_count : counts[0]) >
			 in_office / 2);
	json_object_set_new(root, "attendance", att);
	return MAJLIS_OK;
}

/* What a document is about ("meeting:12"), registered in this year. */
static void
meta_subject(struct ctx *c, struct docdata_meta *meta, const char *what,
	     int64_t id)
{
	snprintf(meta->subject, sizeof(meta->subject), "%s:%lld", what,
		 (long long)id);
	meta->year = clock_local_date(c->e->clock, c->now).y;
}

static void
meta_titles(struct docdata_meta *meta, const struct docdata_kind *k,
	    const char *fr, const char *ar)
{
	buf_setf(&meta->title_fr, "%s — %s", k->title_fr, fr);
	buf_setf(&meta->title_ar, "%s — %s", k->title_ar, ar);
}

/* The signatories of a meeting's papers: the president of its
 * organization; for councils, their secretary too. */
static void
add_signatories(struct ctx *c, json_t *root, int64_t org, struct date day)
{
	json_object_set_new(root, "president",
			    holder_json(c, org, "president", day));
	json_object_set_new(root, "secretary",
			    holder_json(c, org, "secretary", day));
	json_object_set_new(root, "rapporteur",
			    holder_json(c, org, "rapporteur", day));
}

static enum majlis_status
build_meeting(struct ctx *c, const struct docdata_kind *k, int64_t id,
	      json_t *root, struct docdata_meta *meta)
{
	struct meeting_row m;
	enum majlis_status rc = load_meeting(c, id, &m);
	json_t *org;
	struct date day;

	if (rc != MAJLIS_OK)
		return rc;
	org = org_json(c, m.org);
	if (!strcmp(k->name, "pv") || !strcmp(k->name, "report")) {
		if (strcmp(m.state, "held") && strcmp(m.state, "closed")) {
			json_decref(org);
			return error(c->err, MAJLIS_ERR_DATA,
				     "meeting #%lld has not been held (it is "
				     "%s): it has no %s yet",
				     (long long)id, m.state,
				     !strcmp(k->name, "pv") ? "minutes"
							    : "report");
		}
	}
	if (!strcmp(k->name, "report") && org &&
	    !json_is_true(json_object_get(org, "is_commission"))) {
		json_decref(org);
		return error(c->err, MAJLIS_ERR_DATA,
			     "meeting #%lld is not a commission's: its paper "
			     "is the minutes (pv), not a report",
			     (long long)id);
	}
	day = clock_local_date(c->e->clock, m.start);
	add_bodies(c, root, m.body);
	json_object_set_new(root, "organization", org ? org : json_null());
	json_object_set_new(root, "session", session_json(c, m.session));
	json_object_set_new(root, "meeting", meeting_json(c, &m));
	add_signatories(c, root, m.org, day);
	rc = add_items(c, root, id);
	if (rc == MAJLIS_OK)
		rc = add_attendance(c, root, &m);
	meta_subject(c, meta, "meeting", id);
	meta->body_id = m.body;
	meta->session_id = m.session;
	meta->meeting_id = id;
	meta_titles(meta, k, m.title_fr, m.title_ar);
	return rc;
}

/* Decisions: the extract of the register of deliberations. */
static enum majlis_status
build_decision(struct ctx *c, const struct docdata_kind *k, int64_t id,
	       json_t *root, struct docdata_meta *meta)
{
	struct stmt *s = store_prepare(
		c->e->store,
		"SELECT number, body_id, meeting_id, agenda_item_id,"
		" dossier_id, title_fr, title_ar, votes_for, votes_against,"
		" votes_abstain, adopted, decided_at, visa_state, visa_at"
		" FROM decision WHERE id = ?1");
	json_t *d = json_object(), *v = json_object();
	int64_t meeting = 0, item = 0, body = 0;
	int step;
	enum majlis_status rc = MAJLIS_OK;

	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		int64_t f = stmt_int(s, 7), a = stmt_int(s, 8),
			b = stmt_int(s, 9);

		set_int(d, "id", id);
		set_str(d, "number", stmt_text(s, 0));
		body = stmt_int(s, 1);
		meeting = stmt_int(s, 2);
		item = stmt_int(s, 3);
		meta->dossier_id = stmt_int(s, 4);
		set_str(d, "title_fr", stmt_text(s, 5));
		set_str(d, "title_ar", stmt_text(s, 6));
		meta_titles(meta, k, stmt_text(s, 0), stmt_text(s, 0));
		buf_addf(&meta->title_fr, " — %s", stmt_text(s, 5));
		buf_addf(&meta->title_ar, " — %s", stmt_text(s, 6));
		set_int(v, "for", f);
		set_int(v, "against", a);
		set_int(v, "abstain", b);
		set_int(v, "total", f + a + b);
		set_bool(v, "unanimous", a == 0 && b == 0 && f > 0);
		set_bool(d, "adopted", stmt_int(s, 10) != 0);
		set_bool(d, "rejected", stmt_int(s, 10) == 0);
		json_object_set_new(d, "decided",
				    time_text_json(c, stmt_text(s, 11)));
		set_str(d, "visa", stmt_text(s, 12));
		set_bool(d, "visa_granted",
			 !strcmp(stmt_text(s, 12), "granted"));
		json_object_set_new(d, "visa_at",
				    time_text_json(c, stmt_text_or_null(s, 13)));
	}
	stmt_done(s);
	json_object_set_new(d, "votes", v);
	json_object_set_new(root, "decision", d);
	if (step < 0)
		return store_fail(c, "the decision");
	if (step == 0)
		return error(c->err, MAJLIS_ERR_NOTFOUND, "no decision #%lld",
			     (long long)id);
	if (meeting) {
		struct meeting_row m;

		rc = load_meeting(c, meeting, &m);
		if (rc == MAJLIS_OK) {
			json_t *items;

			add_bodies(c, root, m.body);
			json_object_set_new(root, "organization",
					    org_json(c, m.org));
			json_object_set_new(root, "session",
					    session_json(c, m.session));
			json_object_set_new(root, "meeting",
					    meeting_json(c, &m));
			add_signatories(c, root, m.org,
					clock_local_date(c->e->clock, m.start));
			rc = add_items(c, root, meeting);
			/* The item of this decision, on its own. */
			items = json_object_get(root, "items");
			for (size_t i = 0; i < json_array_size(items); i++) {
				json_t *it = json_array_get(items, i);

				if (json_integer_value(json_object_get(
					    it, "id")) == item)
					json_object_set(root, "item", it);
			}
			if (!json_object_get(root, "item"))
				json_object_set_new(root, "item", json_null());
			json_object_del(root, "items");
			if (rc == MAJLIS_OK)
				rc = add_attendance(c, root, &m);
			meta->session_id = m.session;
		}
	} else {
		add_bodies(c, root, body);
		json_object_set_new(root, "organization",
				    org_json(c, council_of(c, body)));
		json_object_set_new(root, "session", json_false());
		json_object_set_new(root, "meeting", json_null());
		json_object_set_new(root, "item", json_null());
		add_signatories(c, root, council_of(c, body),
				clock_local_date(c->e->clock, c->now));
	}
	meta_subject(c, meta, "decision", id);
	meta->body_id = body;
	meta->meeting_id = meeting;
	meta->decision_id = id;
	return rc;
}

/* Petitions: the acknowledgement of receipt and the answer. */
static enum majlis_status
build_petition(struct ctx *c, const struct docdata_kind *k, int64_t id,
	       json_t *root, struct docdata_meta *meta)
{
	struct stmt *s = store_prepare(
		c->e->store,
		"SELECT ref, body_id, kind, title_fr, title_ar, lead_name,"
		" lead_email, lead_phone, signatures, received_at,"
		" meeting_id, reason, answer, state"
		" FROM petition WHERE id = ?1");
	json_t *p = json_object();
	int64_t body = 0, meeting = 0;
	char state[32] = "";
	int step;

	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		set_int(p, "id", id);
		set_str(p, "ref", stmt_text(s, 0));
		body = stmt_int(s, 1);
		set_str(p, "kind", stmt_text(s, 2));
		set_bool(p, "citizens", !strcmp(stmt_text(s, 2), "citizens"));
		set_bool(p, "association",
			 !strcmp(stmt_text(s, 2), "association"));
		set_str(p, "title_fr", stmt_text(s, 3));
		set_str(p, "title_ar", stmt_text(s, 4));
		meta_titles(meta, k, stmt_text(s, 0), stmt_text(s, 0));
		buf_addf(&meta->title_fr, " — %s", stmt_text(s, 3));
		buf_addf(&meta->title_ar, " — %s", stmt_text(s, 4));
		set_str(p, "lead_name", stmt_text(s, 5));
		set_str(p, "lead_email", stmt_text_or_null(s, 6));
		set_str(p, "lead_phone", stmt_text_or_null(s, 7));
		set_int(p, "signatures", stmt_int(s, 8));
		json_object_set_new(p, "received",
				    time_text_json(c, stmt_text(s, 9)));
		meeting = stmt_is_null(s, 10) ? 0 : stmt_int(s, 10);
		set_str(p, "reason", stmt_text_or_null(s, 11));
		set_str(p, "answer", stmt_text_or_null(s, 12));
		snprintf(state, sizeof(state), "%s", stmt_text(s, 13));
		set_str(p, "state", state);
		set_bool(p, "admitted", !strcmp(state, "admitted") ||
						!strcmp(state, "scheduled") ||
						!strcmp(state, "answered"));
		set_bool(p, "rejected", !strcmp(state, "rejected"));
		set_bool(p, "answered", !strcmp(state, "answered"));
	}
	stmt_done(s);
	json_object_set_new(p, "ack", register_of(c, "petition-ack", "petition",
						  id));
	json_object_set_new(root, "petition", p);
	if (step < 0)
		return store_fail(c, "the petition");
	if (step == 0)
		return error(c->err, MAJLIS_ERR_NOTFOUND, "no petition #%lld",
			     (long long)id);
	if (!strcmp(k->name, "petition-answer") &&
	    strcmp(state, "rejected") && strcmp(state, "answered"))
		return error(c->err, MAJLIS_ERR_DATA,
			     "petition #%lld is %s: it is answered once "
			     "declared inadmissible or answered by the "
			     "council",
			     (long long)id, state);
	add_bodies(c, root, body);
	json_object_set_new(root, "organization",
			    org_json(c, council_of(c, body)));
	add_signatories(c, root, council_of(c, body),
			clock_local_date(c->e->clock, c->now));
	if (meeting) {
		struct meeting_row m;
		enum majlis_status rc = load_meeting(c, meeting, &m);

		if (rc != MAJLIS_OK)
			return rc;
		json_object_set_new(root, "meeting", meeting_json(c, &m));
	} else {
		json_object_set_new(root, "meeting", json_null());
	}
	meta_subject(c, meta, "petition", id);
	meta->body_id = body;
	meta->petition_id = id;
	meta->meeting_id = meeting;
	return MAJLIS_OK;
}

/* Persons: the attestation of membership, signed by the president of
 * the council of the body of their first current mandate. */
static enum majlis_status
build_person(struct ctx *c, const struct docdata_kind *k, int64_t id,
	     json_t *root, struct docdata_meta *meta)
{
	json_t *p = person_json(c, id), *list = json_array();
	struct date today = clock_local_date(c->e->clock, c->now);
	char iso[DATE_LEN];
	struct stmt *s;
	int64_t body = 0;
	int step;

	if (!p) {
		json_decref(list);
		return error(c->err, MAJLIS_ERR_NOTFOUND, "no person #%lld",
			     (long long)id);
	}
	date_format(today, iso);
	s = store_prepare(c->e->store,
			  "SELECT m.role, m.from_date, g.id, g.body_id"
			  " FROM membership m JOIN organization g"
			  " ON g.id = m.organization_id"
			  " JOIN role r ON r.code = m.role"
			  " WHERE m.person_id = ?1 AND m.from_date <= ?2"
			  " AND (m.until_date IS NULL OR m.until_date >= ?2)"
			  " ORDER BY g.body_id, g.kind = 'council' DESC,"
			  " g.kind = 'bureau' DESC, g.id, r.rank");
	stmt_bind(s, "is", id, iso);
	while ((step = stmt_step(s)) == 1) {
		json_t *m = json_object();
		struct date from;

		set_str(m, "role", stmt_text(s, 0));
		if (date_parse(stmt_text(s, 1), &from) == 0)
			json_object_set_new(m, "since", date_json(c, from));
		set_int(m, "organization_id", stmt_int(s, 2));
		if (!body)
			body = stmt_int(s, 3);
		json_array_append_new(list, m);
	}
	stmt_done(s);
	if (step < 0) {
		json_decref(p);
		json_decref(list);
		return store_fail(c, "the memberships");
	}
	if (!json_array_size(list)) {
		json_decref(p);
		json_decref(list);
		return error(c->err, MAJLIS_ERR_DATA,
			     "person #%lld holds no office today: there is "
			     "nothing to attest",
			     (long long)id);
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *m = json_array_get(list, i);
		json_t *g = org_json(c, json_integer_value(json_object_get(
						  m, "organization_id")));
		json_t *who = json_deep_copy(p);

		set_role(c, who,
			 json_string_value(json_object_get(m, "role")));
		set_str(m, "role_fr",
			json_string_value(json_object_get(who, "role_fr")));
		set_str(m, "role_ar",
			json_string_value(json_object_get(who, "role_ar")));
		json_object_set_new(m, "organization", g ? g : json_null());
		json_object_del(m, "organization_id");
		json_decref(who);
	}
	json_object_set_new(p, "memberships", list);
	json_object_set_new(root, "person", p);
	add_bodies(c, root, body);
	json_object_set_new(root, "organization",
			    org_json(c, council_of(c, body)));
	add_signatories(c, root, council_of(c, body), today);
	snprintf(meta->subject, sizeof(meta->subject), "person:%lld:%d",
		 (long long)id, today.y);
	meta->year = today.y;
	meta->body_id = body;
	meta->person_id = id;
	meta_titles(meta, k,
		    json_string_value(json_object_get(p, "name_fr")),
		    json_string_value(json_object_get(p, "name_ar")));
	return MAJLIS_OK;
}

enum majlis_status
docdata_resolve(struct engine *e, const struct docdata_kind *k,
		const char *key, int64_t *id, struct buf *err)
{
	static const struct {
		const char *subject, *by_id, *by_key;
	} q[] = {
		{ "meeting", "SELECT id FROM meeting WHERE id = ?1", NULL },
		{ "decision", "SELECT id FROM decision WHERE id = ?1",
		  "SELECT id FROM decision WHERE number = ?1 COLLATE NOCASE" },
		{ "petition", "SELECT id FROM petition WHERE id = ?1",
		  "SELECT id FROM petition WHERE ref = ?1 COLLATE NOCASE" },
		{ "person", "SELECT id FROM person WHERE id = ?1",
		  "SELECT id FROM person WHERE code = ?1 COLLATE NOCASE"
		  " OR email = ?1" },
	};
	long long n;

	for (size_t i = 0; i < sizeof(q) / sizeof(*q); i++) {
		enum majlis_status rc;

		if (strcmp(q[i].subject, k->subject))
			continue;
		if (parse_int(key, 1, INT64_MAX, &n) == 0)
			rc = store_get_int(e->store, NULL, id, q[i].by_id, "i",
					   (int64_t)n);
		else if (q[i].by_key)
			rc = store_get_int(e->store, NULL, id, q[i].by_key, "s",
					   key);
		else
			rc = MAJLIS_ERR_NOTFOUND;
		if (rc == MAJLIS_ERR_NOTFOUND)
			return error(err, rc, "no %s '%s'", k->subject, key);
		if (rc != MAJLIS_OK)
			return error(err, rc, "cannot look up %s '%s': %s",
				     k->subject, key,
				     store_errmsg(e->store));
		return MAJLIS_OK;
	}
	return error(err, MAJLIS_ERR_INTERNAL, "kind %s: unknown subject",
		     k->name);
}

enum majlis_status
docdata_build(struct engine *e, const struct docdata_kind *k, int64_t id,
	      int64_t now, json_t **out, struct docdata_meta *meta,
	      struct buf *err)
{
	struct ctx c = { e, now, err };
	json_t *root = json_object(), *title = json_object(), *city;
	enum majlis_status rc;

	memset(meta, 0, sizeof(*meta));
	buf_init(&meta->title_fr);
	buf_init(&meta->title_ar);
	set_str(root, "kind", k->name);
	set_str(title, "fr", k->title_fr);
	set_str(title, "ar", k->title_ar);
	json_object_set_new(root, "title", title);
	json_object_set_new(root, "today",
			    date_json(&c, clock_local_date(e->clock, now)));
	city = json_object();
	set_str(city, "fr", "Casablanca");
	set_str(city, "ar", "الدار البيضاء");
	json_object_set_new(root, "city", city);
	/* The register number is known once the archive has it. */
	set_str(root, "register", NULL);
	if (!strcmp(k->subject, "meeting"))
		rc = build_meeting(&c, k, id, root, meta);
	else if (!strcmp(k->subject, "decision"))
		rc = build_decision(&c, k, id, root, meta);
	else if (!strcmp(k->subject, "petition"))
		rc = build_petition(&c, k, id, root, meta);
	else
		rc = build_person(&c, k, id, root, meta);
	if (rc != MAJLIS_OK) {
		json_decref(root);
		docdata_meta_release(meta);
		*out = NULL;
		return rc;
	}
	*out = root;
	return MAJLIS_OK;
}

void
docdata_set_issued(struct engine *e, json_t *data, int64_t t)
{
	struct ctx c = { e, t, NULL };

	json_object_set_new(data, "today",
			    date_json(&c, clock_local_date(e->clock, t)));
}

json_t *
docdata_date(struct engine *e, struct date d)
{
	struct ctx c = { e, 0, NULL };

	return date_json(&c, d);
}

json_t *
docdata_common(struct engine *e, const char *body, int64_t now)
{
	struct ctx c = { e, now, NULL };
	json_t *root = json_object(), *city = json_object();
	int64_t id = 0;

	if (body)
		store_get_int(e->store, NULL, &id,
			      "SELECT id FROM body WHERE code = ?1", "s", body);
	if (!id)
		store_get_int(e->store, NULL, &id,
			      "SELECT id FROM body WHERE kind = 'commune'"
			      " ORDER BY id LIMIT 1",
			      "");
	json_object_set_new(root, "today",
			    date_json(&c, clock_local_date(e->clock, now)));
	set_str(city, "fr", "Casablanca");
	set_str(city, "ar", "الدار البيضاء");
	json_object_set_new(root, "city", city);
	set_str(root, "register", NULL);
	add_bodies(&c, root, id);
	return root;
}
