/*
 * contact.c - proposing the people of contact cards for an invitation
 * (see contact.h).
 *
 * Layout: a name split by script; one card proposed; the entry point.
 */
#include "contact.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "flow.h"
#include "objects.h"
#include "store.h"
#include "sys.h"
#include "text.h"
#include "vcard.h"

/* Appends to latin and arabic the words of s written in each script
 * (a word in neither, "2", goes with the one before it). */
static void
split_scripts(const char *s, struct buf *latin, struct buf *arabic)
{
	char *copy = xstrdup(s), *save = NULL;
	struct buf *last = latin;

	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		struct buf *to = text_has_arabic(w)  ? arabic
				 : text_has_latin(w) ? latin
						     : last;

		if (to->len)
			buf_addch(to, ' ');
		buf_addstr(to, w);
		last = to;
	}
	free(copy);
}

struct names {
	struct buf given_fr, family_fr, given_ar, family_ar;
};

/* The card's name in both languages' fields. */
static void
names_of(const struct vcard *c, struct names *n)
{
	buf_init(&n->given_fr);
	buf_init(&n->family_fr);
	buf_init(&n->given_ar);
	buf_init(&n->family_ar);
	split_scripts(c->given, &n->given_fr, &n->given_ar);
	split_scripts(c->family, &n->family_fr, &n->family_ar);
	if (!n->given_fr.len && !n->family_fr.len) {
		buf_addstr(&n->given_fr, n->given_ar.data);
		buf_addstr(&n->family_fr, n->family_ar.data);
	} else if (!n->given_ar.len && !n->family_ar.len) {
		buf_addstr(&n->given_ar, n->given_fr.data);
		buf_addstr(&n->family_ar, n->family_fr.data);
	}
}

static void
names_release(struct names *n)
{
	buf_release(&n->given_fr);
	buf_release(&n->family_fr);
	buf_release(&n->given_ar);
	buf_release(&n->family_ar);
}

static enum majlis_status
propose_one(struct engine *e, const struct vcard *c,
	    const struct contact_source *src, rec_cb cb, void *ctx,
	    struct buf *err)
{
	const struct flow *f = flowset_flow(e->flows, OBJ_CONTACT);
	char now[TIME_LEN], gender[2] = { c->gender, '\0' };
	struct names n;
	struct rec r = REC_INIT;
	struct event_spec ev;
	int64_t id = 0, eid = 0, dup = 0;
	enum majlis_status rc;

	time_format_utc(clock_now(e->clock), now);
	names_of(c, &n);
	rc = store_get_int(e->store, err, &dup,
			   "SELECT count(*) FROM contact WHERE email = ?1"
			   " COLLATE NOCASE AND meeting_id IS NULLIF(?2, 0)"
			   " AND state = ?3",
			   "sis", c->email, src->meeting, flow_initial(f));
	if (rc == MAJLIS_OK && !(dup && c->email))
		rc = store_exec(
			e->store, err,
			"INSERT INTO contact(meeting_id, name, given_fr,"
			" family_fr, given_ar, family_ar, gender, lang, email,"
			" phone, org, title, proposed_by, source, state,"
			" state_since, created_at)"
			" VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
			"i" "sssssssssss" "i" "sss", src->meeting, c->fn,
			n.given_fr.data, n.family_fr.data, n.given_ar.data,
			n.family_ar.data, c->gender ? gender : NULL,
			c->lang[0] ? c->lang : NULL, c->email, c->tel, c->org,
			c->title, src->proposer, src->cause, flow_initial(f),
			now);
	if (rc == MAJLIS_OK && !(dup && c->email)) {
		id = store_last_id(e->store);
		memset(&ev, 0, sizeof(ev));
		ev.kind = OBJ_CONTACT;
		ev.object_id = id;
		ev.name = "propose";
		ev.actor_id = src->proposer;
		ev.source = src->via;
		ev.cause = src->cause;
		rc = event_record(e, &ev, &eid, err);
	}
	if (rc == MAJLIS_OK && cb) {
		if (id)
			rec_add_int(&r, "id", id);
		else
			rec_add_null(&r, "id");
		rec_add_text(&r, "name", c->fn);
		rec_add_text(&r, "email", c->email);
		rec_add_text(&r, "phone", c->tel);
		rec_add_text(&r, "gender", c->gender ? gender : NULL);
		rec_add_text(&r, "lang", c->lang[0] ? c->lang : NULL);
		if (src->meeting)
			rec_add_int(&r, "meeting", src->meeting);
		else
			rec_add_null(&r, "meeting");
		rec_add_text(&r, "outcome",
			     dup && c->email ? "duplicate" : "proposed");
		cb(ctx, &r);
		rec_release(&r);
	}
	names_release(&n);
	return rc;
}

enum majlis_status
contact_propose(struct engine *e, const char *data, size_t len,
		const struct contact_source *src, rec_cb cb, void *ctx,
		struct buf *err)
{
	struct vcard *cards = NULL;
	size_t n = 0;
	int64_t found = 0;
	enum majlis_status rc;

	if (src->meeting) {
		rc = store_get_int(e->store, err, &found,
				   "SELECT count(*) FROM meeting WHERE id = ?1",
				   "i", src->meeting);
		if (rc != MAJLIS_OK)
			return rc;
		if (!found)
			return error(err, MAJLIS_ERR_NOTFOUND,
				     "no meeting #%lld",
				     (long long)src->meeting);
	}
	rc = vcard_parse(data, len, &cards, &n, err);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++)
		rc = propose_one(e, &cards[i], src, cb, ctx, err);
	vcard_free(cards, n);
	return rc;
}
