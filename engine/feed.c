/*
 * feed.c - the private calendar feeds (see feed.h), and feed_tick
 * (periodic.h).
 *
 * Layout: tokens, given once; the events of one person, read from their
 * invitations; building the calendar (ical.h) and writing it when it
 * changed; the tick, over everyone who has meetings or a feed already.
 */
#include "feed.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "flow.h"
#include "ical.h"
#include "objects.h"
#include "outbox.h"
#include "periodic.h"
#include "store.h"
#include "sys.h"

#define FEED_TOKEN_LEN 24	/* base32 letters: 120 bits */
#define FEED_MAX (16u << 20)	/* the largest feed we read back */

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

static enum majlis_status
store_error(struct engine *e, struct buf *err)
{
	return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
}

/* The start of the feeds' window: local midnight, FEED_PAST_DAYS ago. */
static void
window_start(struct engine *e, char out[TIME_LEN])
{
	struct date today = clock_local_date(e->clock, clock_now(e->clock));

	time_format_utc(clock_from_local(e->clock,
					 date_add_days(today, -FEED_PAST_DAYS),
					 0, 0, 0),
			out);
}

/* An invitation shows in the feed once it was sent; a postponed
 * meeting's ones went back to pending, with a cancellation mail. */
#define SHOWN                                                          \
	"(i.state <> 'pending' OR m.state = 'postponed')"

/* Gives a token to each person who needs a feed and has none: person
 * only, or (only = 0) everyone with meetings in the window. */
static enum majlis_status
give_tokens(struct engine *e, int64_t only, struct buf *err)
{
	struct stmt *s;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	char from[TIME_LEN];
	int step;
	enum majlis_status rc;

	if (sodium_init() < 0)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libsodium cannot start");
	window_start(e, from);
	s = store_prepare(e->store,
			  "SELECT p.id FROM person p WHERE p.feed_token IS NULL"
			  " AND (p.id = ?2 OR (?2 = 0 AND EXISTS (SELECT 1"
			  "  FROM invitation i JOIN meeting m"
			  "  ON m.id = i.meeting_id WHERE i.person_id = p.id"
			  "  AND " SHOWN " AND m.starts_at >= ?1)))"
			  " ORDER BY p.id");
	stmt_bind(s, "si", from, only);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&ids, &cap, n + 1, sizeof(*ids));
		ids[n++] = stmt_int(s, 0);
	}
	stmt_done(s);
	if (step < 0) {
		free(ids);
		return store_error(e, err);
	}
	if (!n)
		return MAJLIS_OK;
	rc = store_begin(e->store, err);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		unsigned char raw[FEED_TOKEN_LEN];
		char token[FEED_TOKEN_LEN + 1];

		randombytes_buf(raw, sizeof(raw));
		for (int k = 0; k < FEED_TOKEN_LEN; k++)
			token[k] = alphabet[raw[k] & 31];
		token[FEED_TOKEN_LEN] = '\0';
		rc = store_exec(e->store, err,
				"UPDATE person SET feed_token = ?2"
				" WHERE id = ?1 AND feed_token IS NULL",
				"is", ids[i], token);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	free(ids);
	return rc;
}

/* One event, with the texts it points into. */
struct item {
	struct ical_event ev;
	char uid[160];
	struct buf summary, location, description;
};

static void
item_release(struct item *it)
{
	buf_release(&it->summary);
	buf_release(&it->location);
	buf_release(&it->description);
}

static const char *
state_label(struct engine *e, enum object_kind kind, const char *state,
	    const char *lang)
{
	const struct flow *f = e->flows ? flowset_flow(e->flows, kind) : NULL;
	const char *label = f ? flow_state_label(f, state, lang) : NULL;

	/* The flow says what was done ("sent"); the invitee reads what
	 * is expected of them. */
	if (kind == OBJ_INVITATION && !strcmp(state, "sent"))
		return !strcmp(lang, "ar") ? "في انتظار ردكم"
					   : "en attente de votre réponse";

	return label ? label : state;
}

/* Two texts joined, the reader's language first. */
static void
both(struct buf *out, int ar_first, const char *fr, const char *ar,
     const char *sep)
{
	if (!*fr || !*ar) {
		buf_addstr(out, *fr ? fr : ar);
		return;
	}
	buf_addf(out, "%s%s%s", ar_first ? ar : fr, sep, ar_first ? fr : ar);
}

/* Reads person id's events in the window into *items. */
static enum majlis_status
read_items(struct engine *e, int64_t id, int ar_first, const char *domain,
	   struct item **items, size_t *n, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT m.id, m.starts_at, coalesce(m.ends_at, m.starts_at),"
		" m.sequence, m.state, m.title_fr, m.title_ar, m.place_fr,"
		" m.place_ar, g.name_fr, g.name_ar, i.state,"
		" (SELECT c.register_no FROM document c"
		"  WHERE c.kind = 'convocation'"
		"  AND c.subject = 'meeting:' || m.id)"
		" FROM invitation i JOIN meeting m ON m.id = i.meeting_id"
		" JOIN organization g ON g.id = m.organization_id"
		" WHERE i.person_id = ?1 AND " SHOWN " AND m.starts_at >= ?2"
		" ORDER BY m.starts_at, m.id");
	char from[TIME_LEN];
	size_t cap = 0;
	int step;

	*items = NULL;
	*n = 0;
	window_start(e, from);
	stmt_bind(s, "is", id, from);
	while ((step = stmt_step(s)) == 1) {
		struct item *it;
		const char *mstate = stmt_text(s, 4);
		const char *istate = stmt_text(s, 11);
		const char *conv = stmt_text(s, 12);
		int cancelled = !strcmp(mstate, "cancelled") ||
				!strcmp(mstate, "postponed") ||
				!strcmp(istate, "cancelled") ||
				!strcmp(istate, "pending");

		xgrow(items, &cap, *n + 1, sizeof(**items));
		it = &(*items)[(*n)++];
		memset(it, 0, sizeof(*it));
		buf_init(&it->summary);
		buf_init(&it->location);
		buf_init(&it->description);
		snprintf(it->uid, sizeof(it->uid), "meeting-%lld@%s",
			 (long long)stmt_int(s, 0), domain);
		time_parse_utc(stmt_text(s, 1), &it->ev.start);
		time_parse_utc(stmt_text(s, 2), &it->ev.end);
		if (it->ev.end <= it->ev.start)
			it->ev.end = it->ev.start + 3 * 3600;
		it->ev.sequence = (int)stmt_int(s, 3);
		it->ev.cancelled = cancelled;
		both(&it->summary, ar_first, stmt_text(s, 5), stmt_text(s, 6),
		     " — ");
		both(&it->location, ar_first, stmt_text(s, 7), stmt_text(s, 8),
		     " — ");
		/* What the meeting is, and where the person stands. */
		{
			struct buf fr = BUF_INIT, ar = BUF_INIT;

			buf_addf(&fr, "%s.\nSéance : %s.", stmt_text(s, 9),
				 state_label(e, OBJ_MEETING, mstate, "fr"));
			buf_addf(&ar, "%s.\nالجلسة: %s.", stmt_text(s, 10),
				 state_label(e, OBJ_MEETING, mstate, "ar"));
			if (!cancelled) {
				buf_addf(&fr, "\nVotre invitation : %s.",
					 state_label(e, OBJ_INVITATION, istate,
						     "fr"));
				buf_addf(&ar, "\nدعوتكم: %s.",
					 state_label(e, OBJ_INVITATION, istate,
						     "ar"));
			}
			if (*conv) {
				buf_addf(&fr, "\nConvocation : %s.", conv);
				buf_addf(&ar, "\nالاستدعاء: %s.", conv);
			}
			both(&it->description, ar_first, fr.data, ar.data,
			     "\n\n");
			buf_release(&fr);
			buf_release(&ar);
		}
	}
	stmt_done(s);
	if (step < 0)
		return store_error(e, err);
	return MAJLIS_OK;
}

/* The calendar of person id, appended to out. */
static enum majlis_status
build(struct engine *e, int64_t id, const char *lang, struct buf *out,
      struct buf *err)
{
	const struct mail_config *mc = e->mail;
	const char *at = strchr(mc->from, '@');
	const char *domain = at ? at + 1 : mc->domain;
	int ar_first = !strcmp(lang, "ar");
	struct item *items = NULL;
	struct ical_event *evs = NULL;
	size_t n = 0;
	enum majlis_status rc;

	rc = read_items(e, id, ar_first, domain, &items, &n, err);
	if (rc == MAJLIS_OK) {
		evs = xcalloc(n ? n : 1, sizeof(*evs));
		for (size_t i = 0; i < n; i++) {
			evs[i] = items[i].ev;
			evs[i].uid = items[i].uid;
			evs[i].summary = items[i].summary.data;
			evs[i].location = items[i].location.data;
			evs[i].description = items[i].description.data;
			evs[i].organizer.name = ar_first ? mc->name_ar
							 : mc->name_fr;
			evs[i].organizer.addr = mc->from;
		}
		rc = ical_build(ICAL_PUBLISH, mc->tz, clock_now(e->clock), evs,
				n, out, err);
	}
	for (size_t i = 0; i < n; i++)
		item_release(&items[i]);
	free(items);
	free(evs);
	return rc;
}

/* p past any DTSTAMP lines at p. */
static const char *
skip_stamps(const char *p, const char *end)
{
	while (end - p >= 8 && !memcmp(p, "DTSTAMP:", 8)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
	}
	return p;
}

/* Whether two calendars are the same but for their DTSTAMP lines. */
static int
same_calendar(const struct buf *a, const struct buf *b)
{
	const char *p = a->data, *pe = p + a->len;
	const char *q = b->data, *qe = q + b->len;

	for (;;) {
		const char *pn, *qn;

		p = skip_stamps(p, pe);
		q = skip_stamps(q, qe);
		if (p == pe || q == qe)
			return p == pe && q == qe;
		pn = memchr(p, '\n', (size_t)(pe - p));
		qn = memchr(q, '\n', (size_t)(qe - q));
		pn = pn ? pn + 1 : pe;
		qn = qn ? qn + 1 : qe;
		if (pn - p != qn - q || memcmp(p, q, (size_t)(pn - p)))
			return 0;
		p = pn;
		q = qn;
	}
}

/* Writes person id's feed to FEED_DIR/TOKEN.ics if it changed. */
static enum majlis_status
write_feed(struct engine *e, int64_t id, const char *lang, const char *token,
	   struct buf *path, int *written, struct buf *err)
{
	struct buf cal = BUF_INIT, old = BUF_INIT;
	enum majlis_status rc;

	*written = 0;
	buf_reset(path);
	buf_addf(path, "%s/%s.ics", e->mail->feed_dir, token);
	rc = build(e, id, lang, &cal, err);
	if (rc == MAJLIS_OK &&
	    (file_read(path->data, FEED_MAX, &old) < 0 ||
	     !same_calendar(&old, &cal))) {
		if (mkdir_p(e->mail->feed_dir, 0755) < 0 ||
		    file_write_atomic(path->data, cal.data, cal.len) < 0)
			rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s",
				   path->data, strerror(errno));
		else
			*written = 1;
	}
	buf_release(&cal);
	buf_release(&old);
	return rc;
}

enum majlis_status
feed_person(struct engine *e, const char *person, struct buf *path,
	    int *written, struct buf *err)
{
	struct buf token = BUF_INIT, lang = BUF_INIT;
	int64_t id;
	enum majlis_status rc;

	*written = 0;
	if (!e->mail || !e->mail->feed_dir)
		return error(err, MAJLIS_ERR_CONFIG,
			     "calendar feeds are not set up in this process");
	rc = person_find(e, person, &id, err);
	if (rc == MAJLIS_OK)
		rc = give_tokens(e, id, err);
	if (rc == MAJLIS_OK)
		rc = store_get_text(e->store, err, &token,
				    "SELECT feed_token FROM person"
				    " WHERE id = ?1",
				    "i", id);
	if (rc == MAJLIS_OK)
		rc = store_get_text(e->store, err, &lang,
				    "SELECT lang FROM person WHERE id = ?1",
				    "i", id);
	if (rc == MAJLIS_OK)
		rc = write_feed(e, id, lang.data, token.data, path, written,
				err);
	buf_release(&token);
	buf_release(&lang);
	return rc;
}

enum majlis_status
feed_tick(struct engine *e, rec_cb cb, void *ctx, struct buf *err)
{
	struct who {
		int64_t id;
		char lang[4];
		char token[FEED_TOKEN_LEN + 8];
	} *people = NULL;
	size_t n = 0, cap = 0;
	struct buf path = BUF_INIT;
	struct stmt *s;
	int step, count = 0;
	enum majlis_status rc;

	if (!e->mail || !e->mail->feed_dir)
		return MAJLIS_OK;
	rc = give_tokens(e, 0, err);
	if (rc != MAJLIS_OK)
		return rc;
	/* Everyone with a feed: those with meetings got a token above,
	 * and a feed once given is kept up to date, even empty. */
	s = store_prepare(e->store,
			  "SELECT id, lang, feed_token FROM person"
			  " WHERE feed_token IS NOT NULL ORDER BY id");
	while ((step = stmt_step(s)) == 1) {
		xgrow(&people, &cap, n + 1, sizeof(*people));
		people[n].id = stmt_int(s, 0);
		snprintf(people[n].lang, sizeof(people[n].lang), "%s",
			 stmt_text(s, 1));
		snprintf(people[n].token, sizeof(people[n].token), "%s",
			 stmt_text(s, 2));
		n++;
	}
	stmt_done(s);
	if (step < 0)
		rc = store_error(e, err);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		int written;

		rc = write_feed(e, people[i].id, people[i].lang,
				people[i].token, &path, &written, err);
		count += written;
	}
	if (rc == MAJLIS_OK && cb && count) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "step", "feed");
		rec_add_int(&r, "written", count);
		cb(ctx, &r);
		rec_release(&r);
	}
	free(people);
	buf_release(&path);
	return rc;
}
