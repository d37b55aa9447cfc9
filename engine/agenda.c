/*
 * agenda.c - day, week and month views (see agenda.h).
 *
 * Layout: the scope; collecting the entries of a period (one query per
 * kind, then the holidays from the calendar); the PDF through
 * templates/calendrier.xml; the iCalendar feed.
 */
#include "agenda.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "docdata.h"
#include "document.h"
#include "flow.h"
#include "ical.h"
#include "objects.h"
#include "report.h"
#include "store.h"
#include "sys.h"

static const char *const view_names[] = { "day", "week", "month" };

int
agenda_view_parse(const char *s, enum agenda_view *out)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, view_names[i])) {
			*out = (enum agenda_view)i;
			return 0;
		}
	return -1;
}

const char *
agenda_view_name(enum agenda_view v)
{
	return view_names[v];
}

const char *
agenda_kind_label(enum agenda_kind k, const char *lang)
{
	static const char *const labels[][2] = {
		[AGENDA_MEETING] = { "Réunion", "اجتماع" },
		[AGENDA_SESSION] = { "Ouverture de session", "افتتاح الدورة" },
		[AGENDA_DOSSIER] = { "Échéance de dossier", "أجل ملف" },
		[AGENDA_TASK] = { "Échéance de tâche", "أجل مهمة" },
		[AGENDA_CIVIL] = { "Fête nationale", "عيد وطني" },
		[AGENDA_RELIGIOUS] = { "Fête religieuse", "عيد ديني" },
	};

	return labels[k][!strcmp(lang, "ar")];
}

/* ---- Scope ------------------------------------------------------- */

enum scope_kind {
	SCOPE_ALL,
	SCOPE_BODY,
	SCOPE_ORG,
	SCOPE_PERSON,
};

struct scope {
	enum scope_kind kind;
	int64_t id;
};

static enum majlis_status
scope_find(struct engine *e, const char *key, struct scope *sc,
	   struct agenda *a, struct buf *err)
{
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;

	sc->kind = SCOPE_ALL;
	sc->id = 0;
	if (!key) {
		a->scope_fr = xstrdup("Commune de Casablanca et arrondissements");
		a->scope_ar = xstrdup("جماعة الدار البيضاء ومقاطعاتها");
		return MAJLIS_OK;
	}
	if (store_get_int(e->store, NULL, &sc->id,
			  "SELECT id FROM body WHERE code = ?1", "s",
			  key) == MAJLIS_OK) {
		sc->kind = SCOPE_BODY;
		store_get_text(e->store, NULL, &fr,
			       "SELECT name_fr FROM body WHERE id = ?1", "i",
			       sc->id);
		store_get_text(e->store, NULL, &ar,
			       "SELECT name_ar FROM body WHERE id = ?1", "i",
			       sc->id);
	} else if (store_get_int(e->store, NULL, &sc->id,
				 "SELECT id FROM organization WHERE code = ?1",
				 "s", key) == MAJLIS_OK) {
		sc->kind = SCOPE_ORG;
		store_get_text(e->store, NULL, &fr,
			       "SELECT name_fr FROM organization WHERE id = ?1",
			       "i", sc->id);
		store_get_text(e->store, NULL, &ar,
			       "SELECT name_ar FROM organization WHERE id = ?1",
			       "i", sc->id);
	} else if (person_find(e, key, &sc->id, NULL) == MAJLIS_OK) {
		sc->kind = SCOPE_PERSON;
		store_get_text(e->store, NULL, &fr,
			       "SELECT given_fr || ' ' || family_fr FROM person"
			       " WHERE id = ?1",
			       "i", sc->id);
		store_get_text(e->store, NULL, &ar,
			       "SELECT given_ar || ' ' || family_ar FROM person"
			       " WHERE id = ?1",
			       "i", sc->id);
	} else {
		rc = error(err, MAJLIS_ERR_NOTFOUND,
			   "'%s' is neither a body, an organization nor a "
			   "person",
			   key);
	}
	a->scope_fr = buf_detach(&fr, NULL);
	a->scope_ar = buf_detach(&ar, NULL);
	return rc;
}

/* ---- Collecting -------------------------------------------------- */

static struct agenda_entry *
entry_add(struct agenda *a, enum agenda_kind k)
{
	struct agenda_entry *en;

	xgrow(&a->entries, &a->cap, a->n + 1, sizeof(*a->entries));
	en = &a->entries[a->n++];
	memset(en, 0, sizeof(*en));
	en->kind = k;
	return en;
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* Sets the entry's day and time from a UTC time text. */
static int
entry_time(struct engine *e, struct agenda_entry *en, const char *utc)
{
	int sec;

	if (time_parse_utc(utc, &en->start) < 0)
		return -1;
	clock_to_local(e->clock, en->start, &en->day, &en->hour, &en->min,
		       &sec);
	en->timed = 1;
	return 0;
}

/* The scope's condition for each kind of row: ?3 is the scope's id. */
static const char *
scope_sql(enum scope_kind k, const char *body, const char *org,
	  const char *person)
{
	switch (k) {
	case SCOPE_BODY:
		return body;
	case SCOPE_ORG:
		return org;
	case SCOPE_PERSON:
		return person;
	default:
		return "1";
	}
}

/* The statement of sql over ?1 from and ?2 until, ?3 the scope's id. */
static struct stmt *
scoped(struct engine *e, const struct scope *sc, const struct buf *sql,
       const char *from, const char *until)
{
	struct stmt *s = store_prepare(e->store, sql->data);

	stmt_bind(s, "ss", from, until);
	if (sc->kind != SCOPE_ALL)
		stmt_bind_int(s, 3, sc->id);
	return s;
}

/* Ends the reading of s, whose last step was step; what names the rows
 * for the message. */
static enum majlis_status
read_done(struct engine *e, struct stmt *s, int step, const char *what,
	  struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;

	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "cannot read %s: %s", what,
			   store_errmsg(e->store));
	stmt_done(s);
	return rc;
}

static enum majlis_status
collect_meetings(struct engine *e, struct agenda *a, const struct scope *sc,
		 const char *from, const char *until, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;
	int step;

	buf_setf(&sql,
		 "SELECT m.id, m.title_fr, m.title_ar, m.starts_at, m.ends_at,"
		 " m.place_fr, m.place_ar, o.name_fr, o.name_ar, m.state,"
		 " m.sequence FROM meeting m"
		 " JOIN organization o ON o.id = m.organization_id"
		 " WHERE m.starts_at >= ?1 AND m.starts_at < ?2 AND %s"
		 " ORDER BY m.starts_at, m.id",
		 scope_sql(sc->kind, "o.body_id = ?3", "o.id = ?3",
			   "EXISTS (SELECT 1 FROM invitation i"
			   " WHERE i.meeting_id = m.id AND i.person_id = ?3)"));
	s = scoped(e, sc, &sql, from, until);
	while ((step = stmt_step(s)) == 1) {
		struct agenda_entry *en = entry_add(a, AGENDA_MEETING);
		const char *state = stmt_text(s, 9);
		int64_t end;

		en->id = stmt_int(s, 0);
		en->title_fr = xstrdup(stmt_text(s, 1));
		en->title_ar = xstrdup(stmt_text(s, 2));
		entry_time(e, en, stmt_text(s, 3));
		if (time_parse_utc(stmt_text(s, 4), &end) == 0)
			en->end = end;
		else
			en->end = en->start + 3 * 3600;
		en->place_fr = dup_or_null(stmt_text(s, 5));
		en->place_ar = dup_or_null(stmt_text(s, 6));
		en->org_fr = xstrdup(stmt_text(s, 7));
		en->org_ar = xstrdup(stmt_text(s, 8));
		en->cancelled = !strcmp(state, "cancelled") ||
				!strcmp(state, "postponed");
		en->sequence = (int)stmt_int(s, 10);
	}
	rc = read_done(e, s, step, "meetings", err);
	buf_release(&sql);
	return rc;
}

static enum majlis_status
collect_sessions(struct engine *e, struct agenda *a, const struct scope *sc,
		 const char *from, const char *until, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;
	int step;

	buf_setf(&sql,
		 "SELECT s.id, s.title_fr, s.title_ar, s.opens_on, o.name_fr,"
		 " o.name_ar FROM session s"
		 " JOIN organization o ON o.id = s.organization_id"
		 " WHERE s.opens_on >= ?1 AND s.opens_on < ?2 AND %s"
		 " ORDER BY s.opens_on, s.id",
		 scope_sql(sc->kind, "o.body_id = ?3", "o.id = ?3",
			   "EXISTS (SELECT 1 FROM membership ms"
			   " WHERE ms.organization_id = o.id"
			   " AND ms.person_id = ?3"
			   " AND (ms.until_date IS NULL"
			   " OR ms.until_date >= s.opens_on))"));
	s = scoped(e, sc, &sql, from, until);
	while ((step = stmt_step(s)) == 1) {
		struct agenda_entry *en;
		struct date d;

		if (date_parse(stmt_text(s, 3), &d) < 0)
			continue;
		en = entry_add(a, AGENDA_SESSION);
		en->id = stmt_int(s, 0);
		en->day = d;
		en->title_fr = xstrdup(stmt_text(s, 1));
		en->title_ar = xstrdup(stmt_text(s, 2));
		en->org_fr = xstrdup(stmt_text(s, 4));
		en->org_ar = xstrdup(stmt_text(s, 5));
	}
	rc = read_done(e, s, step, "sessions", err);
	buf_release(&sql);
	return rc;
}

/* Dossiers still open whose due time falls in the period. */
static enum majlis_status
collect_dossiers(struct engine *e, struct agenda *a, const struct scope *sc,
		  const char *from, const char *until, struct buf *err)
{
	const struct flow *df = e->flows ? flowset_flow(e->flows, OBJ_DOSSIER)
					 : NULL;
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;
	int step;

	buf_setf(&sql,
		 "SELECT d.id, d.ref, d.title_fr, d.title_ar, d.due_at, d.state,"
		 " o.name_fr, o.name_ar FROM dossier d"
		 " LEFT JOIN organization o ON o.id = d.organization_id"
		 " WHERE d.due_at >= ?1 AND d.due_at < ?2 AND %s"
		 " ORDER BY d.due_at, d.id",
		 scope_sql(sc->kind, "d.body_id = ?3", "d.organization_id = ?3",
			   "d.owner_id = ?3"));
	s = scoped(e, sc, &sql, from, until);
	while ((step = stmt_step(s)) == 1) {
		struct agenda_entry *en;

		/* A decided dossier has no deadline left. */
		if (df && flow_state_final(df, stmt_text(s, 5)))
			continue;
		en = entry_add(a, AGENDA_DOSSIER);
		en->id = stmt_int(s, 0);
		en->ref = xstrdup(stmt_text(s, 1));
		en->title_fr = xstrdup(stmt_text(s, 2));
		en->title_ar = xstrdup(stmt_text(s, 3));
		entry_time(e, en, stmt_text(s, 4));
		en->end = en->start;
		en->org_fr = dup_or_null(stmt_text(s, 6));
		en->org_ar = dup_or_null(stmt_text(s, 7));
	}
	rc = read_done(e, s, step, "dossiers", err);
	buf_release(&sql);
	return rc;
}

/* Open tasks whose due time falls in the period. */
static enum majlis_status
collect_tasks(struct engine *e, struct agenda *a, const struct scope *sc,
	      const char *from, const char *until, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;
	int step;

	buf_setf(&sql,
		 "SELECT t.id, t.title_fr, t.title_ar, t.due_at FROM task t"
		 " LEFT JOIN dossier d ON d.id = t.dossier_id"
		 " LEFT JOIN meeting m ON m.id = t.meeting_id"
		 " LEFT JOIN organization o ON o.id = coalesce(m.organization_id,"
		 " d.organization_id)"
		 " WHERE t.state = 'open' AND t.due_at >= ?1 AND t.due_at < ?2"
		 " AND %s ORDER BY t.due_at, t.id",
		 scope_sql(sc->kind, "coalesce(d.body_id, o.body_id) = ?3",
			   "o.id = ?3", "t.assignee_id = ?3"));
	s = scoped(e, sc, &sql, from, until);
	while ((step = stmt_step(s)) == 1) {
		struct agenda_entry *en = entry_add(a, AGENDA_TASK);

		en->id = stmt_int(s, 0);
		en->title_fr = xstrdup(stmt_text(s, 1));
		en->title_ar = xstrdup(stmt_text(s, 2));
		entry_time(e, en, stmt_text(s, 3));
		en->end = en->start;
	}
	rc = read_done(e, s, step, "tasks", err);
	buf_release(&sql);
	return rc;
}

static void
collect_holidays(struct engine *e, struct agenda *a)
{
	if (!e->cal)
		return;
	for (int y = a->first.y; y <= date_add_days(a->until, -1).y; y++) {
		const struct holiday *h;
		size_t n = calendar_holidays(e->cal, y, &h);

		for (size_t i = 0; i < n; i++) {
			struct agenda_entry *en;

			if (date_cmp(h[i].date, a->first) < 0 ||
			    date_cmp(h[i].date, a->until) >= 0)
				continue;
			en = entry_add(a, h[i].kind == HOLIDAY_RELIGIOUS
						  ? AGENDA_RELIGIOUS
						  : AGENDA_CIVIL);
			en->day = h[i].date;
			en->provisional = h[i].status == DATE_PROVISIONAL ||
					  h[i].status == DATE_EXPECTED;
			if (h[i].days > 1) {
				struct buf fr = BUF_INIT, ar = BUF_INIT;

				buf_addf(&fr, "%s (jour %d/%d)", h[i].name_fr,
					 h[i].day, h[i].days);
				buf_addf(&ar, "%s (اليوم %d/%d)", h[i].name_ar,
					 h[i].day, h[i].days);
				en->title_fr = buf_detach(&fr, NULL);
				en->title_ar = buf_detach(&ar, NULL);
			} else {
				en->title_fr = xstrdup(h[i].name_fr);
				en->title_ar = xstrdup(h[i].name_ar);
			}
			en->ref = xstrdup(h[i].code);
		}
	}
}

/* Holidays first in a day, then what has no time, then by time. */
static int
entry_cmp(const void *pa, const void *pb)
{
	const struct agenda_entry *a = pa, *b = pb;
	int c = date_cmp(a->day, b->day);
	int ha = a->kind == AGENDA_CIVIL || a->kind == AGENDA_RELIGIOUS;
	int hb = b->kind == AGENDA_CIVIL || b->kind == AGENDA_RELIGIOUS;

	if (c)
		return c;
	if (ha != hb)
		return hb - ha;
	if (a->timed != b->timed)
		return a->timed - b->timed;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return a->id < b->id ? -1 : a->id > b->id;
}

static struct date
monday_on_or_before(struct date d)
{
	return date_add_days(d, -((date_weekday(d) + 6) % 7));
}

enum majlis_status
agenda_collect(struct engine *e, enum agenda_view v, struct date d,
	       const char *scope, struct agenda **out, struct buf *err)
{
	struct agenda *a = xcalloc(1, sizeof(*a));
	struct scope sc;
	char from[TIME_LEN], until[TIME_LEN], dfrom[DATE_LEN], duntil[DATE_LEN];
	enum majlis_status rc;

	*out = NULL;
	a->view = v;
	switch (v) {
	case AGENDA_DAY:
		a->first = d;
		a->until = date_add_days(d, 1);
		a->grid_from = a->first;
		a->grid_until = a->until;
		break;
	case AGENDA_WEEK:
		a->first = monday_on_or_before(d);
		a->until = date_add_days(a->first, 7);
		a->grid_from = a->first;
		a->grid_until = a->until;
		break;
	case AGENDA_MONTH:
		a->first = (struct date){ d.y, d.m, 1 };
		a->until = date_add_days(a->first, days_in_month(d.y, d.m));
		a->grid_from = monday_on_or_before(a->first);
		a->grid_until = monday_on_or_before(date_add_days(a->until, 6));
		break;
	}
	rc = scope_find(e, scope, &sc, a, err);
	time_format_utc(clock_from_local(e->clock, a->first, 0, 0, 0), from);
	time_format_utc(clock_from_local(e->clock, a->until, 0, 0, 0), until);
	date_format(a->first, dfrom);
	date_format(a->until, duntil);
	if (rc == MAJLIS_OK)
		rc = collect_meetings(e, a, &sc, from, until, err);
	if (rc == MAJLIS_OK)
		rc = collect_sessions(e, a, &sc, dfrom, duntil, err);
	if (rc == MAJLIS_OK)
		rc = collect_dossiers(e, a, &sc, from, until, err);
	if (rc == MAJLIS_OK)
		rc = collect_tasks(e, a, &sc, from, until, err);
	if (rc != MAJLIS_OK) {
		agenda_free(a);
		return rc;
	}
	collect_holidays(e, a);
	if (a->n)
		qsort(a->entries, a->n, sizeof(*a->entries), entry_cmp);
	*out = a;
	return MAJLIS_OK;
}

void
agenda_free(struct agenda *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		struct agenda_entry *en = &a->entries[i];

		free(en->title_fr);
		free(en->title_ar);
		free(en->place_fr);
		free(en->place_ar);
		free(en->org_fr);
		free(en->org_ar);
		free(en->ref);
	}
	free(a->entries);
	free(a->scope_fr);
	free(a->scope_ar);
	free(a);
}

/* ---- PDF --------------------------------------------------------- */

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static int
is_holiday(const struct agenda_entry *en)
{
	return en->kind == AGENDA_CIVIL || en->kind == AGENDA_RELIGIOUS;
}

/* One entry as the template reads it. */
static json_t *
entry_json(const struct agenda_entry *en)
{
	json_t *o = json_object();
	struct buf t = BUF_INIT;

	if (en->timed)
		buf_addf(&t, "%02d:%02d", en->hour, en->min);
	set_str(o, "time", t.len ? t.data : NULL);
	set_str(o, "kind_fr", agenda_kind_label(en->kind, "fr"));
	set_str(o, "kind_ar", agenda_kind_label(en->kind, "ar"));
	set_str(o, "title_fr", en->title_fr);
	set_str(o, "title_ar", en->title_ar);
	set_str(o, "place_fr", en->place_fr);
	set_str(o, "place_ar", en->place_ar);
	set_str(o, "org_fr", en->org_fr);
	set_str(o, "org_ar", en->org_ar);
	set_str(o, "ref", en->ref && !is_holiday(en) ? en->ref : NULL);
	json_object_set_new(o, "holiday", json_boolean(is_holiday(en)));
	json_object_set_new(o, "religious",
			    json_boolean(en->kind == AGENDA_RELIGIOUS));
	json_object_set_new(o, "provisional", json_boolean(en->provisional));
	json_object_set_new(o, "cancelled", json_boolean(en->cancelled));
	json_object_set_new(o, "deadline",
			    json_boolean(en->kind == AGENDA_DOSSIER ||
					 en->kind == AGENDA_TASK));
	buf_release(&t);
	return o;
}

/* A day of the view: its date's fields (docdata_date), and whether it
 * is in the month, a weekend, today; its holidays and entries. */
static json_t *
day_json(struct engine *e, const struct agenda *a, struct date d,
	 size_t *next)
{
	json_t *o = docdata_date(e, d), *entries = json_array(),
	       *hol = json_array();
	struct date today = clock_local_date(e->clock, clock_now(e->clock));
	struct hijri h;
	enum date_status st;

	json_object_set_new(o, "num", json_integer(d.d));
	json_object_set_new(o, "in_period",
			    json_boolean(date_cmp(d, a->first) >= 0 &&
					 date_cmp(d, a->until) < 0));
	json_object_set_new(o, "weekend",
			    json_boolean(e->cal && calendar_is_weekend(e->cal, d)));
	json_object_set_new(o, "today", json_boolean(!date_cmp(d, today)));
	/* The short Hijri day for a month's cell: "12 Chaabane". */
	if (e->cal && calendar_to_hijri(e->cal, d, &h, &st) == 0) {
		set_str(o, "hijri_day_fr", hijri_month_name(h.m, "fr"));
		set_str(o, "hijri_day_ar", hijri_month_name(h.m, "ar"));
		json_object_set_new(o, "hijri_num", json_integer(h.d));
	} else {
		set_str(o, "hijri_day_fr", NULL);
		set_str(o, "hijri_day_ar", NULL);
		json_object_set_new(o, "hijri_num", json_null());
	}
	while (*next < a->n && date_cmp(a->entries[*next].day, d) < 0)
		(*next)++;
	while (*next < a->n && !date_cmp(a->entries[*next].day, d)) {
		const struct agenda_entry *en = &a->entries[(*next)++];

		json_array_append_new(is_holiday(en) ? hol : entries,
				      entry_json(en));
	}
	json_object_set_new(o, "holidays", hol);
	json_object_set_new(o, "entries", entries);
	return o;
}

/* The last n words of s: "février 2027" of "lundi 1 février 2027". */
static const char *
last_words(const char *s, int n)
{
	const char *p = s + strlen(s);

	while (p > s) {
		if (p[-1] == ' ' && --n == 0)
			break;
		p--;
	}
	return p;
}

json_t *
agenda_data(struct engine *e, const struct agenda *a)
{
	static const char *const titles[3][2] = {
		{ "Agenda du jour", "أجندة اليوم" },
		{ "Agenda de la semaine", "أجندة الأسبوع" },
		{ "Agenda du mois", "أجندة الشهر" },
	};
	static const char *const weekdays[7][2] = {
		{ "Lundi", "الاثنين" },	   { "Mardi", "الثلاثاء" },
		{ "Mercredi", "الأربعاء" }, { "Jeudi", "الخميس" },
		{ "Vendredi", "الجمعة" },   { "Samedi", "السبت" },
		{ "Dimanche", "الأحد" },
	};
	json_t *data = docdata_common(e, NULL, clock_now(e->clock));
	json_t *title = json_object(), *wd = json_array(), *days = json_array();
	struct buf t = BUF_INIT;
	struct period p = { a->first, a->until };
	size_t next = 0;
	int count = 0;

	set_str(title, "fr", titles[a->view][0]);
	set_str(title, "ar", titles[a->view][1]);
	json_object_set_new(data, "title", title);
	json_object_set_new(data, "kind", json_string("calendrier"));
	set_str(data, "scope_fr", a->scope_fr);
	set_str(data, "scope_ar", a->scope_ar);
	period_label(&p, "fr", &t);
	set_str(data, "period_fr", t.data);
	buf_reset(&t);
	period_label(&p, "ar", &t);
	set_str(data, "period_ar", t.data);
	if (a->view == AGENDA_MONTH) {
		for (int l = 0; l < 2; l++) {
			buf_reset(&t);
			clock_format_date(e->clock, a->first, l ? "ar" : "fr",
					  &t);
			set_str(data, l ? "month_ar" : "month_fr",
				last_words(t.data, 2));
		}
	} else {
		set_str(data, "month_fr", NULL);
		set_str(data, "month_ar", NULL);
	}
	for (int i = 0; i < 7; i++) {
		json_t *w = json_object();

		set_str(w, "fr", weekdays[i][0]);
		set_str(w, "ar", weekdays[i][1]);
		json_array_append_new(wd, w);
	}
	json_object_set_new(data, "weekdays", wd);
	if (a->view == AGENDA_MONTH) {
		json_t *weeks = json_array();

		for (struct date d = a->grid_from;
		     date_cmp(d, a->grid_until) < 0;) {
			json_t *week = json_object(), *wdays = json_array();

			for (int i = 0; i < 7; i++, d = date_add_days(d, 1))
				json_array_append_new(wdays,
						      day_json(e, a, d, &next));
			json_object_set_new(week, "days", wdays);
			json_array_append_new(weeks, week);
		}
		json_object_set_new(data, "month", json_true());
		json_object_set_new(data, "weeks", weeks);
	} else {
		json_object_set_new(data, "month", json_false());
		json_object_set_new(data, "weeks", json_array());
	}
	for (struct date d = a->first; date_cmp(d, a->until) < 0;
	     d = date_add_days(d, 1)) {
		size_t at = next;

		json_array_append_new(days, day_json(e, a, d, &at));
	}
	for (size_t i = 0; i < a->n; i++)
		count += !is_holiday(&a->entries[i]);
	json_object_set_new(data, "list", json_boolean(a->view != AGENDA_MONTH));
	/* A month is a grid to pin on a wall: sideways, wide cells. */
	set_str(data, "orientation",
		a->view == AGENDA_MONTH ? "landscape" : "portrait");
	json_object_set_new(data, "days", days);
	json_object_set_new(data, "count", json_integer(count));
	buf_release(&t);
	return data;
}

enum majlis_status
agenda_pdf(struct engine *e, const struct agenda *a, const char *lang,
	   struct buf *out, int *pages, struct buf *err)
{
	json_t *data = agenda_data(e, a);
	enum doc_mode mode;
	enum majlis_status rc;

	if (doc_mode_parse(lang, &mode) < 0)
		mode = MODE_BOTH;
	rc = documents_render_data(e, "calendrier", data, mode, FORMAT_PDF,
				   out, pages, err);
	json_decref(data);
	return rc;
}

/* ---- iCalendar --------------------------------------------------- */

enum majlis_status
agenda_ics(struct engine *e, const struct agenda *a, const char *tz,
	   const char *domain, const char *from, const char *name,
	   struct buf *out, struct buf *err)
{
	struct ical_event *evs = xcalloc(a->n ? a->n : 1, sizeof(*evs));
	struct buf *uids = xcalloc(a->n ? a->n : 1, sizeof(*uids));
	struct buf *sums = xcalloc(a->n ? a->n : 1, sizeof(*sums));
	struct buf *locs = xcalloc(a->n ? a->n : 1, sizeof(*locs));
	enum majlis_status rc;

	for (size_t i = 0; i < a->n; i++) {
		const struct agenda_entry *en = &a->entries[i];
		struct ical_event *ev = &evs[i];
		char day[DATE_LEN];

		buf_init(&uids[i]);
		buf_init(&sums[i]);
		buf_init(&locs[i]);
		date_format(en->day, day);
		switch (en->kind) {
		case AGENDA_MEETING:
			/* The UID of the meeting's invitations: a calendar
			 * that has both shows one meeting. */
			buf_addf(&uids[i], "meeting-%lld@%s", (long long)en->id,
				 domain);
			break;
		case AGENDA_SESSION:
			buf_addf(&uids[i], "session-%lld@%s", (long long)en->id,
				 domain);
			break;
		case AGENDA_DOSSIER:
			buf_addf(&uids[i], "dossier-%lld-due@%s",
				 (long long)en->id, domain);
			break;
		case AGENDA_TASK:
			buf_addf(&uids[i], "task-%lld-due@%s", (long long)en->id,
				 domain);
			break;
		default:
			buf_addf(&uids[i], "holiday-%s-%s@%s", en->ref, day,
				 domain);
			break;
		}
		if (en->kind == AGENDA_DOSSIER || en->kind == AGENDA_TASK)
			buf_addf(&sums[i], "%s : ",
				 agenda_kind_label(en->kind, "fr"));
		buf_addf(&sums[i], "%s", en->title_fr);
		if (en->ref && (en->kind == AGENDA_DOSSIER))
			buf_addf(&sums[i], " (%s)", en->ref);
		buf_addf(&sums[i], " / %s", en->title_ar);
		if (en->place_fr)
			buf_addf(&locs[i], "%s / %s", en->place_fr,
				 en->place_ar ? en->place_ar : "");
		ev->uid = uids[i].data;
		ev->sequence = en->sequence;
		ev->summary = sums[i].data;
		ev->location = locs[i].len ? locs[i].data : NULL;
		ev->cancelled = en->cancelled;
		ev->category = agenda_kind_label(en->kind, "fr");
		ev->organizer.addr = from;
		ev->organizer.name = name;
		if (en->kind == AGENDA_MEETING) {
			ev->start = en->start;
			ev->end = en->end > en->start ? en->end
						      : en->start + 3600;
		} else {
			ev->all_day = 1;
			ev->day_y = en->day.y;
			ev->day_m = en->day.m;
			ev->day_d = en->day.d;
			ev->start = clock_from_local(e->clock, en->day, 0, 0, 0);
			ev->end = ev->start + 86400;
		}
	}
	rc = ical_build(ICAL_PUBLISH, tz, clock_now(e->clock), evs, a->n, out,
			err);
	for (size_t i = 0; i < a->n; i++) {
		buf_release(&uids[i]);
		buf_release(&sums[i]);
		buf_release(&locs[i]);
	}
	free(uids);
	free(sums);
	free(locs);
	free(evs);
	return rc;
}
