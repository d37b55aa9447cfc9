/*
 * digest.c - the daily digest (see digest.h), and digest_tick (periodic.h).
 *
 * Layout: the day and its windows, in the clock's zone; who a person is
 * and whether they are management; collecting the sections, one query
 * each; the key figures and their chart; writing the texts, plain and
 * HTML, the recipient's language first; the message; making the digests,
 * one person a transaction.
 *
 * Every window is computed from local calendar days with
 * clock_from_local(), never by adding 86400 seconds: Morocco's offset
 * changes around Ramadan, and a day boundary is local midnight whatever
 * the offset that day.
 */
#include "digest.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chart.h"
#include "clock.h"
#include "document.h"
#include "flow.h"
#include "mailout.h"
#include "mime.h"
#include "objects.h"
#include "outbox.h"
#include "periodic.h"
#include "store.h"
#include "sys.h"
#include "text.h"

static enum majlis_status
store_error(struct engine *e, struct buf *err)
{
	return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
}

/* The day a digest is about, and its windows (UTC). */
struct day {
	struct date date;	/* today, local */
	char text[DATE_LEN];	/* "YYYY-MM-DD" */
	int64_t now;
	int64_t start, end;	/* today: [start, end) */
	int64_t week_end;	/* the six days after today end here */
	int64_t since;		/* decisions: from the start of yesterday */
};

static void
day_init(struct engine *e, struct day *d)
{
	d->now = clock_now(e->clock);
	d->date = clock_local_date(e->clock, d->now);
	date_format(d->date, d->text);
	d->start = clock_from_local(e->clock, d->date, 0, 0, 0);
	d->end = clock_from_local(e->clock, date_add_days(d->date, 1), 0, 0, 0);
	d->week_end = clock_from_local(e->clock, date_add_days(d->date, 7), 0,
				       0, 0);
	d->since = clock_from_local(e->clock, date_add_days(d->date, -1), 0, 0,
				    0);
}

/* Whether the local time has reached the digest hour. */
static int
hour_reached(struct engine *e, const struct day *d)
{
	struct date today;
	int h, m, s;

	clock_to_local(e->clock, d->now, &today, &h, &m, &s);
	return h >= e->mail->digest_hour;
}

struct person {
	int64_t id;
	char code[40];
	char lang[4];		/* "fr" or "ar" */
	int management;
	struct buf email, name_fr, name_ar;
};

static void
person_release(struct person *p)
{
	buf_release(&p->email);
	buf_release(&p->name_fr);
	buf_release(&p->name_ar);
}

/* Management: the president and vice-presidents of the Commune's
 * council, and the directeur général des services, on the day. */
static enum majlis_status
load_person(struct engine *e, int64_t id, const struct day *d,
	    struct person *p, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT p.code, p.lang, p.email,"
		" CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END"
		"  || p.given_fr || ' ' || p.family_fr,"
		" CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END"
		"  || p.given_ar || ' ' || p.family_ar,"
		" EXISTS (SELECT 1 FROM membership m"
		"  JOIN organization g ON g.id = m.organization_id"
		"  JOIN body b ON b.id = g.body_id"
		"  WHERE m.person_id = p.id AND m.from_date <= ?2"
		"  AND (m.until_date IS NULL OR m.until_date >= ?2)"
		"  AND ((m.role IN ('president', 'vice_president')"
		"   AND g.kind = 'council' AND b.kind = 'commune')"
		"   OR m.role = 'dgs'))"
		" FROM person p WHERE p.id = ?1");
	int step;

	stmt_bind(s, "is", id, d->text);
	step = stmt_step(s);
	if (step == 1) {
		p->id = id;
		snprintf(p->code, sizeof(p->code), "%s", stmt_text(s, 0));
		snprintf(p->lang, sizeof(p->lang), "%s",
			 str_eq(stmt_text(s, 1), "ar") ? "ar" : "fr");
		buf_addstr(&p->email, stmt_text(s, 2));
		buf_addstr(&p->name_fr, stmt_text(s, 3));
		buf_addstr(&p->name_ar, stmt_text(s, 4));
		p->management = (int)stmt_int(s, 5);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no person #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

/* ---- Sections ---------------------------------------------------- */

enum section_id {
	SEC_FIGURES,		/* management only */
	SEC_TODAY,
	SEC_WEEK,
	SEC_ANSWERS,
	SEC_DOSSIERS,
	SEC_TASKS,
	SEC_DECISIONS,
	SEC__COUNT
};

static const struct {
	const char *fr, *ar;
	const char *note_fr, *note_ar;	/* under the title, or NULL */
} sections[SEC__COUNT] = {
	[SEC_FIGURES] = { "Chiffres clés de la Commune",
			  "الأرقام الرئيسية للجماعة", NULL, NULL },
	[SEC_TODAY] = { "Vos séances d'aujourd'hui", "جلساتكم اليوم", NULL,
			NULL },
	[SEC_WEEK] = { "Vos séances des six jours suivants",
		       "جلساتكم خلال الأيام الستة الموالية", NULL, NULL },
	[SEC_ANSWERS] = {
		"Invitations en attente de votre réponse",
		"دعوات في انتظار ردكم",
		"Pour répondre, répondez au message de la convocation par "
		"« oui », « non » ou « peut-être », ou utilisez les boutons "
		"de votre agenda.",
		"للرد، أجيبوا على رسالة الاستدعاء بكلمة «نعم» أو «لا» أو "
		"«ربما»، أو استعملوا أزرار أجندتكم." },
	[SEC_DOSSIERS] = { "Dossiers en attente de votre décision",
			   "ملفات في انتظار قراركم", NULL, NULL },
	[SEC_TASKS] = { "Vos tâches à échéance dans la semaine ou en retard",
			"مهامكم التي يحل أجلها خلال الأسبوع أو المتأخرة", NULL,
			NULL },
	[SEC_DECISIONS] = { "Décisions d'hier et d'aujourd'hui",
			    "مقررات الأمس واليوم", NULL, NULL },
};

/* The key figures, in the order of the chart. */
enum figure_id {
	FIG_MEETINGS,
	FIG_UNANSWERED,
	FIG_IN_REVIEW,
	FIG_DOSSIERS_LATE,
	FIG_TASKS_LATE,
	FIG_PETITIONS,
	FIG_DECISIONS,
	FIG__COUNT
};

static const struct {
	const char *fr, *ar;
	int alert;		/* late work: the chart's alert colour */
} figures[FIG__COUNT] = {
	[FIG_MEETINGS] = { "Séances des 7 prochains jours",
			   "جلسات الأيام السبعة المقبلة", 0 },
	[FIG_UNANSWERED] = { "Invitations sans réponse", "دعوات بدون رد",
			     0 },
	[FIG_IN_REVIEW] = { "Dossiers en examen", "ملفات قيد الدراسة", 0 },
	[FIG_DOSSIERS_LATE] = { "Dossiers en retard", "ملفات متأخرة", 1 },
	[FIG_TASKS_LATE] = { "Tâches en retard", "مهام متأخرة", 1 },
	[FIG_PETITIONS] = { "Pétitions en attente", "عرائض في الانتظار", 0 },
	[FIG_DECISIONS] = { "Décisions d'hier et d'aujourd'hui",
			    "مقررات الأمس واليوم", 0 },
};

struct line {
	char *fr, *ar;
};

struct section {
	struct line *lines;
	size_t n, cap;
};

struct digest {
	struct person p;
	struct day day;
	struct section sec[SEC__COUNT];
	long fig[FIG__COUNT];
	int items;		/* lines in every section, the figures'
				 * counting when one is not zero */
	struct buf chart;	/* the PNG, or empty */
	const char *attached;	/* the dashboards' file names, or NULL */
	const char *too_big;	/* those left out for their size: paths */
	int chart_w, chart_h;
};

static void
digest_release(struct digest *d)
{
	person_release(&d->p);
	for (int i = 0; i < SEC__COUNT; i++) {
		for (size_t k = 0; k < d->sec[i].n; k++) {
			free(d->sec[i].lines[k].fr);
			free(d->sec[i].lines[k].ar);
		}
		free(d->sec[i].lines);
	}
	buf_release(&d->chart);
}

/* Adds a line; takes the two buffers' contents. */
static void
add_line(struct digest *d, enum section_id id, struct buf *fr,
	 struct buf *ar)
{
	struct section *s = &d->sec[id];

	xgrow(&s->lines, &s->cap, s->n + 1, sizeof(*s->lines));
	s->lines[s->n].fr = buf_detach(fr, NULL);
	s->lines[s->n].ar = buf_detach(ar, NULL);
	s->n++;
	d->items++;
}

static void
when(struct engine *e, const char *utc, enum clock_style style,
     const char *lang, struct buf *out)
{
	int64_t t;

	if (time_parse_utc(utc, &t) == 0)
		clock_format(e->clock, t, lang, style, out);
}

/* How an invitee's answer reads in their digest. */
static const char *
answer_label(struct engine *e, const char *state, const char *lang)
{
	const struct flow *f = e->flows ? flowset_flow(e->flows,
						       OBJ_INVITATION)
					: NULL;
	const char *label;

	if (!strcmp(state, "sent"))
		return !strcmp(lang, "ar") ? "في انتظار ردكم"
					   : "en attente de votre réponse";
	label = f ? flow_state_label(f, state, lang) : NULL;
	return label ? label : state;
}

/* The meetings the person is invited to, starting in [from, until). */
static enum majlis_status
collect_meetings(struct engine *e, struct digest *d, enum section_id id,
		 int64_t from, int64_t until, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT m.starts_at, m.title_fr, m.title_ar, m.place_fr,"
		" m.place_ar, i.state,"
		" (SELECT c.register_no FROM document c"
		"  WHERE c.kind = 'convocation'"
		"  AND c.subject = 'meeting:' || m.id)"
		" FROM invitation i JOIN meeting m ON m.id = i.meeting_id"
		" WHERE i.person_id = ?1"
		" AND i.state NOT IN ('pending', 'cancelled')"
		" AND m.state IN ('convoked', 'held', 'closed')"
		" AND m.starts_at >= ?2 AND m.starts_at < ?3"
		" ORDER BY m.starts_at, m.id");
	char a[TIME_LEN], b[TIME_LEN];
	enum clock_style style = id == SEC_TODAY ? CLOCK_TIME : CLOCK_DATETIME;
	int step;

	time_format_utc(from, a);
	time_format_utc(until, b);
	stmt_bind(s, "iss", d->p.id, a, b);
	while ((step = stmt_step(s)) == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;
		const char *conv = stmt_text(s, 6);

		when(e, stmt_text(s, 0), style, "fr", &fr);
		buf_addf(&fr, " — %s", stmt_text(s, 1));
		if (*stmt_text(s, 3))
			buf_addf(&fr, ", %s", stmt_text(s, 3));
		buf_addf(&fr, " — votre réponse : %s",
			 answer_label(e, stmt_text(s, 5), "fr"));
		if (*conv)
			buf_addf(&fr, " (convocation %s)", conv);
		when(e, stmt_text(s, 0), style, "ar", &ar);
		buf_addf(&ar, " — %s", stmt_text(s, 2));
		if (*stmt_text(s, 4))
			buf_addf(&ar, "، %s", stmt_text(s, 4));
		buf_addf(&ar, " — جوابكم: %s",
			 answer_label(e, stmt_text(s, 5), "ar"));
		if (*conv)
			buf_addf(&ar, " (الاستدعاء %s)", conv);
		add_line(d, id, &fr, &ar);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* Invitations sent and not answered, for meetings still to come. */
static enum majlis_status
collect_answers(struct engine *e, struct digest *d, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT m.starts_at, m.title_fr, m.title_ar, m.place_fr,"
		" m.place_ar,"
		" (SELECT c.register_no FROM document c"
		"  WHERE c.kind = 'convocation'"
		"  AND c.subject = 'meeting:' || m.id)"
		" FROM invitation i JOIN meeting m ON m.id = i.meeting_id"
		" WHERE i.person_id = ?1 AND i.state = 'sent'"
		" AND m.state = 'convoked' AND m.starts_at > ?2"
		" ORDER BY m.starts_at, m.id");
	char now[TIME_LEN];
	int step;

	time_format_utc(d->day.now, now);
	stmt_bind(s, "is", d->p.id, now);
	while ((step = stmt_step(s)) == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;
		const char *conv = stmt_text(s, 5);

		buf_addf(&fr, "%s — ", stmt_text(s, 1));
		when(e, stmt_text(s, 0), CLOCK_DATETIME, "fr", &fr);
		if (*stmt_text(s, 3))
			buf_addf(&fr, ", %s", stmt_text(s, 3));
		if (*conv)
			buf_addf(&fr, " (convocation %s)", conv);
		buf_addf(&ar, "%s — ", stmt_text(s, 2));
		when(e, stmt_text(s, 0), CLOCK_DATETIME, "ar", &ar);
		if (*stmt_text(s, 4))
			buf_addf(&ar, "، %s", stmt_text(s, 4));
		if (*conv)
			buf_addf(&ar, " (الاستدعاء %s)", conv);
		add_line(d, SEC_ANSWERS, &fr, &ar);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* Dossiers in review whose owner (who decides) is the person. */
static enum majlis_status
collect_dossiers(struct engine *e, struct digest *d, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT ref, title_fr, title_ar, due_at, due_at < ?2"
		" FROM dossier WHERE owner_id = ?1 AND state = 'in_review'"
		" ORDER BY due_at IS NULL, due_at, ref");
	char now[TIME_LEN];
	int step;

	time_format_utc(d->day.now, now);
	stmt_bind(s, "is", d->p.id, now);
	while ((step = stmt_step(s)) == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;
		int late = (int)stmt_int(s, 4);

		buf_addf(&fr, "%s — %s", stmt_text(s, 0), stmt_text(s, 1));
		buf_addf(&ar, "%s — %s", stmt_text(s, 0), stmt_text(s, 2));
		if (!stmt_is_null(s, 3)) {
			buf_addstr(&fr, " — échéance : ");
			when(e, stmt_text(s, 3), CLOCK_DATE, "fr", &fr);
			buf_addstr(&ar, " — الأجل: ");
			when(e, stmt_text(s, 3), CLOCK_DATE, "ar", &ar);
			if (late) {
				buf_addstr(&fr, " (en retard)");
				buf_addstr(&ar, " (متأخر)");
			}
		}
		add_line(d, SEC_DOSSIERS, &fr, &ar);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* Open tasks of the person due before the week's end, late ones first. */
static enum majlis_status
collect_tasks(struct engine *e, struct digest *d, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT id, title_fr, title_ar, due_at, due_at < ?2"
		" FROM task WHERE assignee_id = ?1 AND state = 'open'"
		" AND due_at IS NOT NULL AND due_at < ?3"
		" ORDER BY due_at, id");
	char now[TIME_LEN], until[TIME_LEN];
	int step;

	time_format_utc(d->day.now, now);
	time_format_utc(d->day.week_end, until);
	stmt_bind(s, "iss", d->p.id, now, until);
	while ((step = stmt_step(s)) == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;
		int late = (int)stmt_int(s, 4);

		buf_addf(&fr, "Tâche n° %lld — %s — échéance : ",
			 (long long)stmt_int(s, 0), stmt_text(s, 1));
		when(e, stmt_text(s, 3), CLOCK_DATE, "fr", &fr);
		buf_addf(&ar, "المهمة رقم %lld — %s — الأجل: ",
			 (long long)stmt_int(s, 0), stmt_text(s, 2));
		when(e, stmt_text(s, 3), CLOCK_DATE, "ar", &ar);
		if (late) {
			buf_addstr(&fr, " (en retard)");
			buf_addstr(&ar, " (متأخرة)");
		}
		add_line(d, SEC_TASKS, &fr, &ar);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* Decisions taken since the start of yesterday: for management all of
 * them, for others those of meetings they were invited to or on their
 * dossiers. */
static enum majlis_status
collect_decisions(struct engine *e, struct digest *d, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT x.number, x.title_fr, x.title_ar, x.adopted,"
		" x.votes_for, x.votes_against, x.votes_abstain, o.ref,"
		" (SELECT c.register_no FROM document c"
		"  WHERE c.kind = 'extract'"
		"  AND c.subject = 'decision:' || x.id)"
		" FROM decision x LEFT JOIN dossier o ON o.id = x.dossier_id"
		" WHERE x.decided_at >= ?2 AND x.decided_at <= ?3"
		" AND (?4 OR o.owner_id = ?1 OR x.meeting_id IN"
		"  (SELECT meeting_id FROM invitation WHERE person_id = ?1"
		"   AND state <> 'cancelled'))"
		" ORDER BY x.decided_at, x.number");
	char since[TIME_LEN], now[TIME_LEN];
	int step;

	time_format_utc(d->day.since, since);
	time_format_utc(d->day.now, now);
	stmt_bind(s, "issd", d->p.id, since, now, d->p.management);
	while ((step = stmt_step(s)) == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;
		int adopted = (int)stmt_int(s, 3);

		buf_addf(&fr,
			 "%s — %s : %s (%lld pour, %lld contre, %lld "
			 "abstention%s)",
			 stmt_text(s, 0), stmt_text(s, 1),
			 adopted ? "adoptée" : "rejetée",
			 (long long)stmt_int(s, 4), (long long)stmt_int(s, 5),
			 (long long)stmt_int(s, 6),
			 stmt_int(s, 6) > 1 ? "s" : "");
		buf_addf(&ar,
			 "%s — %s: %s (الموافقون: %lld، المعارضون: %lld، "
			 "الممتنعون: %lld)",
			 stmt_text(s, 0), stmt_text(s, 2),
			 adopted ? "تمت المصادقة عليه" : "تم رفضه",
			 (long long)stmt_int(s, 4), (long long)stmt_int(s, 5),
			 (long long)stmt_int(s, 6));
		if (*stmt_text(s, 7)) {
			buf_addf(&fr, " — dossier %s", stmt_text(s, 7));
			buf_addf(&ar, " — الملف %s", stmt_text(s, 7));
		}
		if (*stmt_text(s, 8)) {
			buf_addf(&fr, " — extrait %s", stmt_text(s, 8));
			buf_addf(&ar, " — المستخرج %s", stmt_text(s, 8));
		}
		add_line(d, SEC_DECISIONS, &fr, &ar);
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* The key figures of the whole Commune, and their lines. */
static enum majlis_status
collect_figures(struct engine *e, struct digest *d, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT"
		" (SELECT count(*) FROM meeting WHERE state <> 'cancelled'"
		"  AND starts_at >= ?1 AND starts_at < ?2),"
		" (SELECT count(*) FROM invitation i JOIN meeting m"
		"  ON m.id = i.meeting_id WHERE i.state = 'sent'"
		"  AND m.state = 'convoked' AND m.starts_at > ?3),"
		" (SELECT count(*) FROM dossier WHERE state = 'in_review'),"
		" (SELECT count(*) FROM dossier WHERE due_at < ?3"
		"  AND state IN ('created', 'in_review', 'returned')),"
		" (SELECT count(*) FROM task WHERE state = 'open'"
		"  AND due_at < ?3),"
		" (SELECT count(*) FROM petition WHERE state IN"
		"  ('received', 'under_review', 'admitted')),"
		" (SELECT count(*) FROM decision WHERE decided_at >= ?4"
		"  AND decided_at <= ?3)");
	char start[TIME_LEN], week[TIME_LEN], now[TIME_LEN], since[TIME_LEN];
	int step, any = 0;

	time_format_utc(d->day.start, start);
	time_format_utc(d->day.week_end, week);
	time_format_utc(d->day.now, now);
	time_format_utc(d->day.since, since);
	stmt_bind(s, "ssss", start, week, now, since);
	step = stmt_step(s);
	if (step == 1)
		for (int i = 0; i < FIG__COUNT; i++)
			d->fig[i] = (long)stmt_int(s, i);
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	for (int i = 0; i < FIG__COUNT; i++)
		any |= d->fig[i] != 0;
	if (!any)
		return MAJLIS_OK;
	for (int i = 0; i < FIG__COUNT; i++) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;

		buf_addf(&fr, "%s : %ld", figures[i].fr, d->fig[i]);
		buf_addf(&ar, "%s: %ld", figures[i].ar, d->fig[i]);
		add_line(d, SEC_FIGURES, &fr, &ar);
		if (!d->fig[i])
			d->items--;	/* a zero is not news */
	}
	return MAJLIS_OK;
}

static enum majlis_status
collect(struct engine *e, struct digest *d, struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;

	if (d->p.management)
		rc = collect_figures(e, d, err);
	if (rc == MAJLIS_OK)
		rc = collect_meetings(e, d, SEC_TODAY, d->day.start, d->day.end,
				      err);
	if (rc == MAJLIS_OK)
		rc = collect_meetings(e, d, SEC_WEEK, d->day.end,
				      d->day.week_end, err);
	if (rc == MAJLIS_OK)
		rc = collect_answers(e, d, err);
	if (rc == MAJLIS_OK)
		rc = collect_dossiers(e, d, err);
	if (rc == MAJLIS_OK)
		rc = collect_tasks(e, d, err);
	if (rc == MAJLIS_OK)
		rc = collect_decisions(e, d, err);
	return rc;
}

/* The chart of the key figures, when there are figures and fonts. A
 * chart that cannot be drawn leaves the digest without it: the figures
 * are in the text anyway. */
static void
draw_chart(struct engine *e, struct digest *d)
{
	struct chart_bar bars[FIG__COUNT];
	struct buf title_fr = BUF_INIT, title_ar = BUF_INIT, err = BUF_INIT;
	struct renderer *r;
	struct chart c;

	if (!d->sec[SEC_FIGURES].n || !e->docs ||
	    !(r = documents_renderer(e->docs, &err))) {
		buf_release(&err);
		return;
	}
	for (int i = 0; i < FIG__COUNT; i++)
		bars[i] = (struct chart_bar){ figures[i].fr, figures[i].ar,
					      d->fig[i], figures[i].alert };
	/* Short dates: the two titles share one line. */
	buf_addf(&title_fr, "Chiffres clés au %02d/%02d/%04d", d->day.date.d,
		 d->day.date.m, d->day.date.y);
	buf_addf(&title_ar, "الأرقام الرئيسية في %02d/%02d/%04d",
		 d->day.date.d, d->day.date.m, d->day.date.y);
	memset(&c, 0, sizeof(c));
	c.title_fr = title_fr.data;
	c.title_ar = title_ar.data;
	c.bars = bars;
	c.n = FIG__COUNT;
	c.width = 640;
	c.height = chart_height(FIG__COUNT);
	c.scale = 2;
	if (chart_png(r, &c, &d->chart, &err) == MAJLIS_OK) {
		d->chart_w = c.width;
		d->chart_h = c.height;
	} else {
		buf_reset(&d->chart);
	}
	buf_release(&title_fr);
	buf_release(&title_ar);
	buf_release(&err);
}

/* Dashboards one digest attaches, at most. */
#define DIGEST_MAX_DASHBOARDS 4
/* A dashboard larger than this is not attached (base64 makes it a third
 * larger, and servers commonly refuse mail over 10 to 25 MB): the digest
 * says where it is instead. */
#define DIGEST_MAX_ATTACHMENT (7u << 20)

/* ---- Texts ------------------------------------------------------- */

/* Text of a line in HTML: in Arabic, references, dates and Latin words
 * are isolated left to right so that they read as written. */
static void
html_text(struct buf *out, const char *lang, const char *s)
{
	struct buf iso = BUF_INIT;

	if (!strcmp(lang, "ar") && text_isolate_ltr(s, &iso))
		buf_add_html(out, iso.data);
	else
		buf_add_html(out, s);
	buf_release(&iso);
}

static const char *
pick(const char *lang, const char *fr, const char *ar)
{
	return !strcmp(lang, "ar") ? ar : fr;
}

/* A paragraph s of lang's version: a line of text, a <p> of HTML. */
static void
paragraph(const char *lang, const char *s, struct buf *text, struct buf *html)
{
	buf_addf(text, "%s\n", s);
	buf_addstr(html, "<p>");
	html_text(html, lang, s);
	buf_addstr(html, "</p>\n");
}

/* One language's version of the digest, as plain text and as HTML. */
static void
write_lang(struct engine *e, const struct digest *d, const char *lang,
	   const char *cid, struct buf *text, struct buf *html)
{
	int ar = !strcmp(lang, "ar");
	struct buf date = BUF_INIT, s = BUF_INIT;

	clock_format_date(e->clock, d->day.date, lang, &date);
	buf_addf(&s, ar ? "%s،" : "%s,", ar ? d->p.name_ar.data
					    : d->p.name_fr.data);
	buf_addf(text, "%s\n\n", s.data);
	buf_addf(html, "<div lang=\"%s\" dir=\"%s\" style=\"text-align:%s\">\n"
		       "<p>",
		 lang, ar ? "rtl" : "ltr", ar ? "right" : "left");
	html_text(html, lang, s.data);
	buf_addstr(html, "</p>\n<p>");
	buf_reset(&s);
	buf_addf(&s, ar ? "إليكم نشرتكم اليومية ليوم %s."
			: "Voici votre bulletin du %s.",
		 date.data);
	buf_addf(text, "%s\n", s.data);
	html_text(html, lang, s.data);
	buf_addstr(html, "</p>\n");
	for (int i = 0; i < SEC__COUNT; i++) {
		const struct section *sec = &d->sec[i];
		const char *note = pick(lang, sections[i].note_fr,
					sections[i].note_ar);

		if (!sec->n)
			continue;
		/* Titles say how many things follow; the figures are
		 * always the same list. */
		buf_reset(&s);
		buf_addstr(&s, pick(lang, sections[i].fr, sections[i].ar));
		if (i != SEC_FIGURES)
			buf_addf(&s, " (%zu)", sec->n);
		buf_addf(text, "\n%s\n", s.data);
		buf_addstr(html, "<h3>");
		html_text(html, lang, s.data);
		buf_addstr(html, "</h3>\n");
		if (note) {
			paragraph(lang, note, text, html);
		}
		buf_addstr(html, "<ul>\n");
		for (size_t k = 0; k < sec->n; k++) {
			const char *l = ar ? sec->lines[k].ar
					   : sec->lines[k].fr;

			buf_addf(text, "- %s\n", l);
			buf_addstr(html, "<li>");
			html_text(html, lang, l);
			buf_addstr(html, "</li>\n");
		}
		buf_addstr(html, "</ul>\n");
		if (i == SEC_FIGURES && d->attached) {
			buf_reset(&s);
			buf_addf(&s,
				 ar ? "لوحة القيادة لهذا اليوم مرفقة بهذه "
				      "الرسالة: %s."
				    : "Le tableau de bord du jour est joint à ce "
				      "message : %s.",
				 d->attached);
			paragraph(lang, s.data, text, html);
		}
		if (i == SEC_FIGURES && d->too_big) {
			buf_reset(&s);
			buf_addf(&s,
				 ar ? "لوحة القيادة لهذا اليوم أكبر من أن ترفق "
				      "بهذه الرسالة، وهي متاحة في: %s."
				    : "Le tableau de bord du jour, trop volumineux "
				      "pour être joint, est disponible ici : %s.",
				 d->too_big);
			paragraph(lang, s.data, text, html);
		}
		if (i == SEC_FIGURES && cid) {
			buf_addf(html,
				 "<p><img src=\"cid:%s\" width=\"%d\" "
				 "height=\"%d\" alt=\"",
				 cid, d->chart_w, d->chart_h);
			buf_add_html(html, pick(lang, sections[i].fr,
					       sections[i].ar));
			buf_addstr(html, "\"></p>\n");
		}
	}
	buf_reset(&s);
	buf_addstr(&s, ar ? "تُرسل هذه النشرة كل صباح بشكل آلي من طرف نظام "
			    "تدبير أشغال المجلس، ولا تتطلب أي رد."
			  : "Ce bulletin est envoyé chaque matin, "
			    "automatiquement, par le système de gestion des "
			    "travaux du Conseil ; il n'appelle pas de "
			    "réponse.");
	buf_addf(text, "\n%s\n", s.data);
	buf_addstr(html, "<p style=\"color:#52606d;font-size:small\">");
	html_text(html, lang, s.data);
	buf_addstr(html, "</p>\n</div>\n");
	buf_release(&date);
	buf_release(&s);
}

/* The message's domain: that of the engine's address. */
static const char *
mail_domain(const struct mail_config *mc)
{
	const char *at = strchr(mc->from, '@');

	return at ? at + 1 : mc->domain;
}

/* <dig.CODE.YYYYMMDD@DOMAIN>, the code kept to letters, digits and
 * dashes. */
static void
message_id(const struct mail_config *mc, const struct digest *d,
	   const char *what, struct buf *out)
{
	buf_addf(out, "%s.", what);
	for (const char *c = d->p.code; *c; c++)
		buf_addch(out, (*c >= 'a' && *c <= 'z') ||
					       (*c >= 'A' && *c <= 'Z') ||
					       (*c >= '0' && *c <= '9')
				       ? *c
				       : '-');
	buf_addf(out, ".%04d%02d%02d@%s", d->day.date.y, d->day.date.m,
		 d->day.date.d, mail_domain(mc));
}

/*
 * The dashboards rebuilt today (report-tick.c), as attachments of a
 * management digest: at most DIGEST_MAX_DASHBOARDS, each read from the
 * file the tick wrote. A file that is gone is left out: the digest
 * still goes.
 */
static void
attach_dashboards(struct engine *e, struct digest *d, struct mime_part *att,
		  size_t *n, struct buf *data, struct buf *name,
		  struct buf *too_big)
{
	char day[DATE_LEN];
	struct stat st;
	struct stmt *s = store_prepare(
		e->store, "SELECT path FROM report_run WHERE day = ?1"
			  " ORDER BY name");

	date_format(d->day.date, day);
	stmt_bind(s, "s", day);
	while (*n < DIGEST_MAX_DASHBOARDS && stmt_step(s) == 1) {
		const char *path = stmt_text(s, 0);
		const char *base = strrchr(path, '/');

		buf_init(&data[*n]);
		buf_init(&name[*n]);
		/* Too large: named, and not read for nothing. */
		if (stat(path, &st) == 0 &&
		    st.st_size > (off_t)DIGEST_MAX_ATTACHMENT) {
			buf_addf(too_big, "%s%s", too_big->len ? ", " : "", path);
			continue;
		}
		/* Gone, or grown since: left out. */
		if (file_read(path, DIGEST_MAX_ATTACHMENT, &data[*n]) < 0) {
			buf_release(&data[*n]);
			continue;
		}
		buf_addstr(&name[*n], base ? base + 1 : path);
		memset(&att[*n], 0, sizeof(att[*n]));
		att[*n].type = "application/vnd.openxmlformats-officedocument"
			       ".spreadsheetml.sheet";
		att[*n].data = data[*n].data;
		att[*n].len = data[*n].len;
		att[*n].filename = name[*n].data;
		(*n)++;
	}
	stmt_done(s);
}

/* The complete message of digest d: appended to raw (if not NULL), its
 * plain text to plain (if not NULL), its subject to subject and its
 * Message-ID to msgid. */
static enum majlis_status
compose(struct engine *e, struct digest *d, struct buf *raw,
	struct buf *plain, struct buf *subject, struct buf *msgid,
	struct buf *err)
{
	const struct mail_config *mc = e->mail;
	int ar_first = !strcmp(d->p.lang, "ar");
	const char *first = ar_first ? "ar" : "fr";
	const char *second = ar_first ? "fr" : "ar";
	struct buf text = BUF_INIT, html = BUF_INIT, cid = BUF_INIT;
	struct buf date_fr = BUF_INIT, date_ar = BUF_INIT;
	struct buf object = BUF_INIT, names = BUF_INIT, big = BUF_INIT;
	struct mime_part img, att[DIGEST_MAX_DASHBOARDS];
	struct buf attdata[DIGEST_MAX_DASHBOARDS], attname[DIGEST_MAX_DASHBOARDS];
	size_t natt = 0;
	struct mime_header headers[MIME_SYSTEM_HEADERS];
	size_t nh;
	struct mime_message mm;
	enum majlis_status rc;

	draw_chart(e, d);
	if (d->p.management) {
		attach_dashboards(e, d, att, &natt, attdata, attname, &big);
		for (size_t i = 0; i < natt; i++)
			buf_addf(&names, "%s%s", i ? ", " : "", attname[i].data);
		d->attached = natt ? names.data : NULL;
		d->too_big = big.len ? big.data : NULL;
	}
	message_id(mc, d, "dig", msgid);
	if (d->chart.len)
		message_id(mc, d, "chart", &cid);
	clock_format_date(e->clock, d->day.date, "fr", &date_fr);
	clock_format_date(e->clock, d->day.date, "ar", &date_ar);
	if (ar_first)
		buf_addf(subject, "النشرة اليومية ليوم %s — Bulletin du %s",
			 date_ar.data, date_fr.data);
	else
		buf_addf(subject, "Bulletin du %s — النشرة اليومية ليوم %s",
			 date_fr.data, date_ar.data);

	buf_addf(&html,
		 "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head>"
		 "<meta charset=\"utf-8\"><title>",
		 first, ar_first ? "rtl" : "ltr");
	buf_add_html(&html, subject->data);
	buf_addstr(&html, "</title></head><body>\n");
	write_lang(e, d, first, cid.len ? cid.data : NULL, &text, &html);
	buf_addstr(&text, "\n----------------------------------------\n\n");
	buf_addstr(&html, "<hr>\n");
	write_lang(e, d, second, NULL, &text, &html);
	buf_addstr(&html, "</body></html>\n");

	buf_addf(&object, "person/%lld", (long long)d->p.id);
	nh = mime_system_headers(headers, object.data, 0, NULL);
	memset(&img, 0, sizeof(img));
	img.type = "image/png";
	img.data = d->chart.data;
	img.len = d->chart.len;
	img.filename = "chiffres-cles.png";
	img.content_id = cid.data;
	memset(&mm, 0, sizeof(mm));
	mm.from = (struct mime_addr){ ar_first ? mc->name_ar : mc->name_fr,
				      mc->from };
	mm.to = (struct mime_addr){ ar_first ? d->p.name_ar.data
					     : d->p.name_fr.data,
				    d->p.email.data };
	mm.subject = subject->data;
	mm.date = d->day.now;
	mm.date_offset = mailout_offset(e, d->day.now);
	mm.message_id = msgid->data;
	mm.language = d->p.lang;
	mm.text = text.data;
	mm.html = html.data;
	mm.related = d->chart.len ? &img : NULL;
	mm.nrelated = d->chart.len ? 1 : 0;
	mm.attachments = natt ? att : NULL;
	mm.nattachments = natt;
	mm.headers = headers;
	mm.nheaders = nh;
	rc = raw ? mime_build(&mm, raw, err) : MAJLIS_OK;
	if (plain)
		buf_add(plain, text.data, text.len);
	buf_release(&text);
	buf_release(&html);
	buf_release(&cid);
	buf_release(&date_fr);
	buf_release(&date_ar);
	buf_release(&object);
	buf_release(&names);
	buf_release(&big);
	d->attached = NULL;
	d->too_big = NULL;
	for (size_t i = 0; i < natt; i++) {
		buf_release(&attdata[i]);
		buf_release(&attname[i]);
	}
	return rc;
}

/* ---- Making digests ---------------------------------------------- */

/* Examines one person, in the caller's transaction: queues their digest
 * if it has anything, and records the day either way. *sent says which. */
static enum majlis_status
digest_one(struct engine *e, int64_t id, const struct day *day, int *sent,
	   struct buf *err)
{
	struct digest d;
	struct buf raw = BUF_INIT, subject = BUF_INIT, msgid = BUF_INIT;
	int64_t row = 0;
	char now[TIME_LEN];
	enum majlis_status rc;

	memset(&d, 0, sizeof(d));
	d.day = *day;
	*sent = 0;
	rc = load_person(e, id, day, &d.p, err);
	if (rc == MAJLIS_OK)
		rc = collect(e, &d, err);
	if (rc == MAJLIS_OK && d.items > 0)
		rc = compose(e, &d, &raw, NULL, &subject, &msgid, err);
	if (rc == MAJLIS_OK && d.items > 0) {
		struct outbox_msg om;

		memset(&om, 0, sizeof(om));
		om.channel = CHANNEL_EMAIL;
		om.kind = "digest";
		om.message_id = msgid.data;
		om.person_id = id;
		om.recipient = d.p.email.data;
		om.sender = e->mail->from;
		om.subject = subject.data;
		om.object_kind = "person";
		om.object_id = id;
		om.raw = raw.data;
		om.len = raw.len;
		om.not_before = outbox_after_quiet(e, day->now);
		rc = outbox_queue(e, &om, &row, err);
		/* Queued before (the digest row was lost): that one. */
		if (rc == MAJLIS_ERR_EXISTS)
			rc = MAJLIS_OK;
		*sent = rc == MAJLIS_OK;
	}
	if (rc == MAJLIS_OK) {
		time_format_utc(day->now, now);
		if (row)
			rc = store_exec(e->store, err,
					"INSERT INTO digest(person_id, day,"
					" outbox_id, items, created_at)"
					" VALUES (?1, ?2, ?3, ?4, ?5)",
					"isids", id, day->text, row, d.items,
					now);
		else
			rc = store_exec(e->store, err,
					"INSERT INTO digest(person_id, day,"
					" outbox_id, items, created_at)"
					" VALUES (?1, ?2, ?3, ?4, ?5)",
					"isnds", id, day->text, d.items, now);
	}
	digest_release(&d);
	buf_release(&raw);
	buf_release(&subject);
	buf_release(&msgid);
	return rc;
}

enum majlis_status
digest_make(struct engine *e, const char *person, unsigned flags,
	    struct digest_counts *counts, struct buf *err)
{
	struct day day;
	int64_t only = 0, *ids = NULL;
	size_t n = 0, cap = 0;
	struct stmt *s;
	int step;
	enum majlis_status rc = MAJLIS_OK;

	memset(counts, 0, sizeof(*counts));
	if (!e->mail)
		return error(err, MAJLIS_ERR_CONFIG,
			     "mail is not set up in this process");
	day_init(e, &day);
	if (!(flags & DIGEST_FORCE) && !hour_reached(e, &day))
		return MAJLIS_OK;
	if (person && (rc = person_find(e, person, &only, err)) != MAJLIS_OK)
		return rc;
	if (only) {
		rc = store_get_int(e->store, err, &only,
				   "SELECT id FROM person WHERE id = ?1"
				   " AND email IS NOT NULL AND email <> ''",
				   "i", only);
		if (rc == MAJLIS_ERR_NOTFOUND)
			return error(err, MAJLIS_ERR_DATA,
				     "%s has no e-mail address: no digest",
				     person);
		if (rc != MAJLIS_OK)
			return rc;
	}
	/* Everyone due, read first: the transactions come after. */
	s = store_prepare(e->store,
			  "SELECT p.id FROM person p"
			  " WHERE p.email IS NOT NULL AND p.email <> ''"
			  " AND (?2 = 0 OR p.id = ?2)"
			  " AND NOT EXISTS (SELECT 1 FROM digest g"
			  "  WHERE g.person_id = p.id AND g.day = ?1)"
			  " ORDER BY p.code");
	stmt_bind(s, "si", day.text, only);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&ids, &cap, n + 1, sizeof(*ids));
		ids[n++] = stmt_int(s, 0);
	}
	stmt_done(s);
	if (step < 0)
		rc = store_error(e, err);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		int sent;

		rc = store_begin(e->store, err);
		if (rc != MAJLIS_OK)
			break;
		rc = digest_one(e, ids[i], &day, &sent, err);
		if (rc == MAJLIS_OK)
			rc = store_commit(e->store, err);
		else
			store_rollback(e->store);
		if (rc == MAJLIS_OK && sent)
			counts->sent++;
		else if (rc == MAJLIS_OK)
			counts->empty++;
	}
	free(ids);
	return rc;
}

enum majlis_status
digest_preview(struct engine *e, const char *person, struct buf *raw,
	       struct buf *text, int *items, struct buf *err)
{
	struct digest d;
	struct buf subject = BUF_INIT, msgid = BUF_INIT;
	int64_t id;
	enum majlis_status rc;

	*items = 0;
	if (!e->mail)
		return error(err, MAJLIS_ERR_CONFIG,
			     "mail is not set up in this process");
	rc = person_find(e, person, &id, err);
	if (rc != MAJLIS_OK)
		return rc;
	memset(&d, 0, sizeof(d));
	day_init(e, &d.day);
	rc = load_person(e, id, &d.day, &d.p, err);
	if (rc == MAJLIS_OK && !d.p.email.len)
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s has no e-mail address: no digest", person);
	if (rc == MAJLIS_OK)
		rc = collect(e, &d, err);
	if (rc == MAJLIS_OK)
		rc = compose(e, &d, raw, text, &subject, &msgid, err);
	*items = d.items;
	digest_release(&d);
	buf_release(&subject);
	buf_release(&msgid);
	return rc;
}

enum majlis_status
digest_tick(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	struct digest_counts c;
	enum majlis_status rc = digest_make(e, NULL, 0, &c, err);

	if (rc == MAJLIS_OK && cb && (c.sent || c.empty)) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "step", "digest");
		rec_add_int(&r, "sent", c.sent);
		rec_add_int(&r, "empty", c.empty);
		cb(ctx, &r);
		rec_release(&r);
	}
	return rc;
}
