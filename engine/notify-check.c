/*
 * notify-check.c - probable data errors in a meeting being convoked (see
 * notify.h): a day off, members nobody can write to, a quorum out of
 * reach. Each goes to the DGS through the rules, as data-error-*
 * messages; none stops the meeting, which may be right after all (an
 * extraordinary session on a Saturday).
 *
 * The quorum (loi organique 113-14) is more than half of the members in
 * office. majlis knows no number of seats, so "cannot be met" means:
 * counting the members whose term still runs on the meeting's day, fewer
 * remain than more than half of those in office today (terms that end
 * before the meeting, a mandate that expires, an organigramme imported
 * with wrong dates), or none at all.
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "store.h"
#include "sys.h"

#define ACTIVE_ON(n)                                                  \
	"m.from_date <= ?" #n " AND (m.until_date IS NULL OR m.until_date" \
	" >= ?" #n ")"

struct meeting {
	int64_t start;
	int64_t org;
	struct rec values;	/* the placeholders of the messages */
};

static enum majlis_status
meeting_load(struct engine *e, int64_t id, struct meeting *m, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store, "SELECT m.starts_at, m.organization_id, m.title_fr,"
			  " m.title_ar, g.name_fr, g.name_ar FROM meeting m"
			  " JOIN organization g ON g.id = m.organization_id"
			  " WHERE m.id = ?1");
	int step;

	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		struct buf fr = BUF_INIT, ar = BUF_INIT;

		time_parse_utc(stmt_text(s, 0), &m->start);
		m->org = stmt_int(s, 1);
		rec_add_text(&m->values, "title_fr", stmt_text(s, 2));
		rec_add_text(&m->values, "title_ar", stmt_text(s, 3));
		rec_add_text(&m->values, "organization_fr", stmt_text(s, 4));
		rec_add_text(&m->values, "organization_ar", stmt_text(s, 5));
		clock_format(e->clock, m->start, "fr", CLOCK_DATETIME, &fr);
		clock_format(e->clock, m->start, "ar", CLOCK_DATETIME, &ar);
		rec_add_text(&m->values, "starts_at_fr", fr.data);
		rec_add_text(&m->values, "starts_at_ar", ar.data);
		buf_release(&fr);
		buf_release(&ar);
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no meeting #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

/* The members of org in office on day. */
static enum majlis_status
members_on(struct engine *e, int64_t org, const char *day, int64_t *n,
	   struct buf *err)
{
	return store_get_int(e->store, err, n,
			     "SELECT count(DISTINCT m.person_id)"
			     " FROM membership m WHERE m.organization_id = ?1"
			     " AND " ACTIVE_ON(2),
			     "is", org, day);
}

/* A day off: a public holiday, else a weekend. */
static enum majlis_status
check_day(struct engine *e, int64_t id, int64_t event, struct meeting *m,
	  struct notify_counts *c, struct buf *found, struct buf *err)
{
	struct date d = clock_local_date(e->clock, m->start);
	const struct holiday *h;
	struct rec v = REC_INIT;
	enum majlis_status rc = MAJLIS_OK;

	if (!e->cal)
		return MAJLIS_OK;
	if ((h = calendar_holiday_on(e->cal, d)) != NULL) {
		for (size_t i = 0; i < m->values.n; i++)
			rec_add_text(&v, m->values.f[i].name,
				     m->values.f[i].s);
		rec_add_text(&v, "holiday_fr", h->name_fr);
		rec_add_text(&v, "holiday_ar", h->name_ar);
		rc = notify_data_error(e, event, "meeting", id,
				       "data-error-holiday", &v, c, err);
		buf_addf(found, "%sa public holiday (%s)",
			 found->len ? ", " : "", h->name_fr);
	} else if (calendar_is_weekend(e->cal, d)) {
		rc = notify_data_error(e, event, "meeting", id,
				       "data-error-weekend", &m->values, c,
				       err);
		buf_addf(found, "%sa weekend", found->len ? ", " : "");
	}
	rec_release(&v);
	return rc;
}

static enum majlis_status
check_quorum(struct engine *e, int64_t id, int64_t event, struct meeting *m,
	     struct notify_counts *c, struct buf *found, struct buf *err)
{
	char now_day[DATE_LEN], day[DATE_LEN];
	int64_t members = 0, available = 0, needed;
	struct rec v = REC_INIT;
	enum majlis_status rc;

	date_format(clock_local_date(e->clock, clock_now(e->clock)), now_day);
	date_format(clock_local_date(e->clock, m->start), day);
	rc = members_on(e, m->org, now_day, &members, err);
	if (rc == MAJLIS_OK)
		rc = members_on(e, m->org, day, &available, err);
	needed = members / 2 + 1;
	if (rc != MAJLIS_OK || available >= needed)
		return rc;
	for (size_t i = 0; i < m->values.n; i++)
		rec_add_text(&v, m->values.f[i].name, m->values.f[i].s);
	rec_add_int(&v, "members", members);
	rec_add_int(&v, "available", available);
	rec_add_int(&v, "needed", needed);
	rc = notify_data_error(e, event, "meeting", id, "data-error-quorum", &v,
			       c, err);
	buf_addf(found, "%sno quorum (%lld in office that day, %lld needed)",
		 found->len ? ", " : "", (long long)available,
		 (long long)needed);
	rec_release(&v);
	return rc;
}

/* Members nobody can send the convocation to: once per person. */
static enum majlis_status
check_addresses(struct engine *e, struct meeting *m, struct notify_counts *c,
		struct buf *found, struct buf *err)
{
	char day[DATE_LEN];
	struct stmt *s;
	struct rec *people = NULL;
	size_t n = 0, cap = 0;
	enum majlis_status rc = MAJLIS_OK;
	int step;

	date_format(clock_local_date(e->clock, clock_now(e->clock)), day);
	s = store_prepare(
		e->store,
		"SELECT DISTINCT p.id, p.code,"
		" CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END"
		"  || p.given_fr || ' ' || p.family_fr AS person_fr,"
		" CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END"
		"  || p.given_ar || ' ' || p.family_ar AS person_ar"
		" FROM membership m JOIN person p ON p.id = m.person_id"
		" WHERE m.organization_id = ?1 AND " ACTIVE_ON(2)
		" AND (p.email IS NULL OR p.email = '') ORDER BY p.id");
	stmt_bind(s, "is", m->org, day);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&people, &cap, n + 1, sizeof(*people));
		rec_init(&people[n]);
		stmt_rec(s, &people[n++]);
	}
	stmt_done(s);
	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(e->store));
	for (size_t i = 0; i < n; i++) {
		if (rc == MAJLIS_OK)
			rc = notify_data_error(e, 0, "person",
					       rec_int(&people[i], "id", 0),
					       "data-error-no-email",
					       &people[i], c, err);
		rec_release(&people[i]);
	}
	free(people);
	if (n)
		buf_addf(found, "%s%zu member%s without an e-mail address",
			 found->len ? ", " : "", n, n == 1 ? "" : "s");
	return rc;
}

enum majlis_status
notify_check_meeting(struct engine *e, int64_t meeting_id, int64_t event_id,
		     struct buf *detail, struct buf *err)
{
	struct meeting m;
	struct notify_counts c;
	struct buf found = BUF_INIT;
	enum majlis_status rc;

	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	rc = meeting_load(e, meeting_id, &m, err);
	if (rc == MAJLIS_OK)
		rc = check_day(e, meeting_id, event_id, &m, &c, &found, err);
	if (rc == MAJLIS_OK)
		rc = check_quorum(e, meeting_id, event_id, &m, &c, &found,
				  err);
	if (rc == MAJLIS_OK)
		rc = check_addresses(e, &m, &c, &found, err);
	if (rc == MAJLIS_OK && !found.len)
		buf_addstr(detail, "no probable data error");
	else if (rc == MAJLIS_OK)
		buf_addf(detail,
			 "probable data errors: %s; %d told to the DGS%s",
			 found.data, c.data_errors,
			 e->notify ? "" : " (no notification rules loaded)");
	rec_release(&m.values);
	buf_release(&found);
	return rc;
}
