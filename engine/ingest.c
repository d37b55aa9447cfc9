/*
 * ingest.c - acting on incoming mail (see ingest.h).
 *
 * Layout: the message's key; authenticating a reply; what each kind of
 * event does; one message, in its transaction; the Maildir source.
 *
 * One message is one transaction: its inmail row, the event it records,
 * the token it uses, its acknowledgements, bounce rows or contacts, and
 * its audit entry. The event then goes through its mailflow in a
 * transaction of its own (event_apply()); if the flow refuses it, the
 * row says so. A crash between the two leaves the event pending: the
 * next tick applies it.
 */
#include "ingest.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "audit.h"
#include "clock.h"
#include "contact.h"
#include "document.h"
#include "fold.h"
#include "flow.h"
#include "mailout.h"
#include "mime.h"
#include "notify.h"
#include "objects.h"
#include "outbox.h"
#include "reply.h"
#include "store.h"
#include "sys.h"
#include "token.h"

const char *
ingest_action_name(enum ingest_action a)
{
	static const char *const names[] = {
		[INGEST_APPLIED] = "applied",
		[INGEST_REJECTED] = "rejected",
		[INGEST_QUARANTINED] = "quarantined",
		[INGEST_IGNORED] = "ignored",
		[INGEST_DUPLICATE] = "duplicate",
		[INGEST_REVIEW] = "review",
	};

	return (unsigned)a < sizeof(names) / sizeof(*names) ? names[a] : "?";
}

/* What was decided about one message. */
struct act {
	struct engine *e;
	const struct intake_config *cfg;
	struct intake_event *ev;
	const char *key;
	enum ingest_action action;
	struct buf reason;
	const char *object_kind;	/* what it acted on, or NULL */
	int64_t object_id;
	int64_t token_id;
	int64_t event_id;		/* recorded, to apply after commit */
	int64_t person_id;		/* the sender, once authenticated */
	int64_t row;			/* its inmail row */
	int keep_raw;			/* for a person to look at */
};

static void
act_set(struct act *a, enum ingest_action action, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
act_set(struct act *a, enum ingest_action action, const char *fmt, ...)
{
	va_list ap;

	a->action = action;
	buf_reset(&a->reason);
	va_start(ap, fmt);
	buf_vaddf(&a->reason, fmt, ap);
	va_end(ap);
	if (action == INGEST_REVIEW || action == INGEST_QUARANTINED)
		a->keep_raw = 1;
}

/* The message's key: its Message-ID, else the SHA-256 of its bytes. */
static void
message_key(const char *message_id, const char *raw, size_t len,
	    struct buf *out)
{
	if (message_id && *message_id) {
		buf_addf(out, "mid:%s", message_id);
	} else {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1];

		crypto_hash_sha256(h, (const unsigned char *)raw, len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		buf_addf(out, "sha256:%s", hex);
	}
}

/*
 * The checks every answer passes (DESIGN.md): the token known and not
 * expired, the sender the person it was issued to, our server not
 * finding the mail's signature false. 1 when they hold (ti filled), 0
 * when the message is rejected (the reason set), -1 on a store error.
 */
static int
authenticate(struct act *a, struct token_info *ti, struct buf *err)
{
	struct buf email = BUF_INIT;
	enum majlis_status rc;
	int ok = 0;

	if (!a->ev->token[0]) {
		act_set(a, INGEST_REJECTED, "no reply token");
		return 0;
	}
	rc = token_lookup(a->e, a->ev->token, ti, err);
	if (rc == MAJLIS_ERR_NOTFOUND) {
		buf_reset(err);
		act_set(a, INGEST_REJECTED, "an unknown reply token");
		return 0;
	}
	if (rc != MAJLIS_OK)
		return -1;
	a->token_id = ti->id;
	if (ti->expires < clock_now(a->e->clock)) {
		act_set(a, INGEST_REJECTED, "the reply token has expired");
		return 0;
	}
	rc = store_get_text(a->e->store, err, &email,
			    "SELECT COALESCE(email, '') FROM person WHERE id = ?1",
			    "i", ti->person_id);
	if (rc != MAJLIS_OK) {
		buf_release(&email);
		return -1;
	}
	if (!a->ev->sender || strcasecmp(a->ev->sender, email.data))
		act_set(a, INGEST_REJECTED,
			"sent by %s, not by the person the reply token was "
			"issued to",
			a->ev->sender ? a->ev->sender : "nobody");
	else if (a->ev->auth_failed)
		act_set(a, INGEST_REJECTED,
			"our mail server found its DMARC or DKIM signature "
			"false");
	else
		ok = 1;
	if (ok)
		a->person_id = ti->person_id;
	buf_release(&email);
	return ok;
}

/* Records event name on object kind/id for the sender, as a mail. */
static enum majlis_status
record_event(struct act *a, enum object_kind kind, int64_t id,
	     const char *name, const char *comment, struct buf *err)
{
	struct event_spec ev;
	struct buf cause = BUF_INIT, dedupe = BUF_INIT, set = BUF_INIT;
	const char *sets[2] = { NULL, NULL };
	enum majlis_status rc;

	buf_addf(&cause, "mail %s", a->key);
	buf_addf(&dedupe, "mail/%s", a->key);
	if (comment && *comment) {
		buf_addf(&set, "comment=%.*s", 2000, comment);
		sets[0] = set.data;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.object_id = id;
	ev.name = name;
	ev.actor_id = a->person_id;
	ev.source = "mail";
	ev.cause = cause.data;
	ev.set = sets;
	ev.dedupe = dedupe.data;
	rc = event_record(a->e, &ev, &a->event_id, err);
	a->object_kind = object_kind_name(kind);
	a->object_id = id;
	buf_release(&cause);
	buf_release(&dedupe);
	buf_release(&set);
	return rc;
}

/* A second answer with the same token, and another one: for a person. */
static int
conflicting(struct act *a, const struct token_info *ti, const char *answer)
{
	if (!ti->used || !strcmp(ti->answer, answer))
		return 0;
	act_set(a, INGEST_REVIEW,
		"the reply token already answered '%s', this says '%s'",
		ti->answer, answer);
	return 1;
}

/* The meeting's UID in invitations: "meeting-N@DOMAIN". */
static int
uid_matches(struct act *a, int64_t invitation, const char *uid)
{
	int64_t meeting = 0;
	struct buf want = BUF_INIT;
	const char *at = strchr(a->cfg->own, '@');
	int r;

	if (store_get_int(a->e->store, NULL, &meeting,
			  "SELECT meeting_id FROM invitation WHERE id = ?1",
			  "i", invitation) != MAJLIS_OK)
		return 0;
	buf_addf(&want, "meeting-%lld%s", (long long)meeting, at ? at : "");
	r = uid && !strcasecmp(uid, want.data);
	buf_release(&want);
	return r;
}

static enum majlis_status
do_imip(struct act *a, struct buf *err)
{
	const struct ical_answer *an = &a->ev->answer;
	struct token_info ti;
	const char *decision = NULL;
	struct buf comment = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	int ok = authenticate(a, &ti, err);

	if (ok <= 0)
		return ok < 0 ? MAJLIS_ERR_STORE : MAJLIS_OK;
	if (strcmp(ti.object_kind, "invitation")) {
		act_set(a, INGEST_IGNORED,
			"a calendar answer to a mail that is not an invitation "
			"(%s)", ti.purpose);
		return MAJLIS_OK;
	}
	if (!uid_matches(a, ti.object_id, an->uid)) {
		act_set(a, INGEST_REJECTED,
			"a calendar answer for another event (UID %s)", an->uid);
		return MAJLIS_OK;
	}
	if (strcasecmp(an->attendee, a->ev->sender)) {
		act_set(a, INGEST_REVIEW,
			"the attendee who answers (%s) is not the sender",
			an->attendee);
		return MAJLIS_OK;
	}
	if (a->ev->kind == INTAKE_IMIP_COUNTER) {
		struct buf when = BUF_INIT;

		/* Shown as people read times here: Casablanca's. */
		if (an->start)
			clock_format(a->e->clock, an->start, "fr", CLOCK_SHORT,
				     &when);
		buf_addf(&comment, "%s%s%s", when.len ? when.data : "?",
			 an->comment ? " — " : "",
			 an->comment ? an->comment : "");
		buf_release(&when);
		rc = record_event(a, OBJ_INVITATION, ti.object_id, "counter",
				  comment.data, err);
		if (rc == MAJLIS_OK)
			act_set(a, INGEST_APPLIED, "a new time proposed");
		buf_release(&comment);
		return rc;
	}
	if (!strcmp(an->partstat, "ACCEPTED"))
		decision = "accept";
	else if (!strcmp(an->partstat, "DECLINED"))
		decision = "decline";
	else if (!strcmp(an->partstat, "TENTATIVE"))
		decision = "tentative";
	if (!decision) {
		act_set(a, INGEST_REVIEW, "a calendar answer saying %s",
			an->partstat);
		return MAJLIS_OK;
	}
	if (conflicting(a, &ti, decision))
		return MAJLIS_OK;
	rc = record_event(a, OBJ_INVITATION, ti.object_id, decision,
			  an->comment, err);
	if (rc == MAJLIS_OK)
		rc = token_use(a->e, ti.id, decision, err);
	if (rc == MAJLIS_OK)
		act_set(a, INGEST_APPLIED, "%s (calendar)", decision);
	return rc;
}

/* Acknowledges what the token was for: its notification, or the
 * notifications of its object to its person. */
static enum majlis_status
acknowledge(struct act *a, const struct token_info *ti, struct buf *err)
{
	char now[TIME_LEN];

	/* A name of the table of kinds, not the caller's copy (ti is on
	 * its stack). */
	{
		enum object_kind k;

		a->object_kind = object_kind_parse(ti->object_kind, &k) == 0
					 ? object_kind_name(k)
				 : !strcmp(ti->object_kind, "notification")
					 ? "notification"
					 : "?";
	}
	a->object_id = ti->object_id;
	if (!strcmp(ti->object_kind, "notification"))
		return notify_acknowledge(a->e, ti->object_id, err);
	time_format_utc(clock_now(a->e->clock), now);
	return store_exec(a->e->store, err,
			  "UPDATE notification SET acknowledged_at = ?1"
			  " WHERE acknowledged_at IS NULL AND person_id = ?2"
			  " AND object_kind = ?3 AND object_id = ?4",
			  "sisi", now, ti->person_id,
			  ti->object_kind, ti->object_id);
}

static enum majlis_status
do_mdn(struct act *a, struct buf *err)
{
	struct token_info ti;
	enum majlis_status rc;
	int ok = authenticate(a, &ti, err);

	if (ok <= 0)
		return ok < 0 ? MAJLIS_ERR_STORE : MAJLIS_OK;
	rc = acknowledge(a, &ti, err);
	if (rc == MAJLIS_OK)
		act_set(a, INGEST_APPLIED, "a read receipt (%s)",
			a->ev->disposition[0] ? a->ev->disposition : "?");
	return rc;
}


/*
 * The files that came with an answer or a form, filed in the archive
 * with the dossier or petition they belong to, one attachment each
 * (PJ-YEAR-NNNN), known by the message and the file's place in it.
 */
static enum majlis_status
file_attachments(struct act *a, int64_t dossier, int64_t petition,
		 struct buf *err)
{
	struct archive *ar;
	enum majlis_status rc = MAJLIS_OK;

	if (!a->ev->nfiles)
		return MAJLIS_OK;
	ar = documents_archive(a->e, err);
	if (!ar)
		return err->len ? MAJLIS_ERR_IO : MAJLIS_OK;
	for (size_t i = 0; i < a->ev->nfiles && rc == MAJLIS_OK; i++) {
		const struct intake_file *f = &a->ev->files[i];
		struct archive_entry en;
		struct archive_file af;
		struct archive_doc doc;
		struct buf subject = BUF_INIT, tfr = BUF_INIT, tar = BUF_INIT;
		char format[32];
		int version, created;

		buf_addf(&subject, "mail:%s/%zu", a->key, i + 1);
		buf_addf(&tfr, "Pièce jointe de %s : %s", a->ev->sender,
			 f->name[0] ? f->name : f->type);
		buf_addf(&tar, "مرفق من %s: %s", a->ev->sender,
			 f->name[0] ? f->name : f->type);
		archive_file_format(f->name, f->data.data, f->data.len, format);
		memset(&en, 0, sizeof(en));
		en.kind = "attachment";
		en.prefix = "PJ";
		en.subject = subject.data;
		en.year = clock_local_date(a->e->clock, clock_now(a->e->clock)).y;
		en.title_fr = tfr.data;
		en.title_ar = tar.data;
		en.dossier_id = dossier;
		en.petition_id = petition;
		memset(&af, 0, sizeof(af));
		af.format = format;
		af.lang = "";
		af.data = f->data.data;
		af.len = f->data.len;
		af.filename = f->name[0] ? f->name : NULL;
		rc = archive_attach(ar, NULL, &en, &af, 1, "mail",
				    clock_now(a->e->clock), &doc, &version,
				    &created, err);
		/* A file the archive refuses (a txt that is not UTF-8) is
		 * not a reason to lose the answer: said, not fatal. */
		if (rc == MAJLIS_ERR_DATA) {
			buf_addf(&a->reason, " (file %s not filed: %s)",
				 f->name, err->data);
			buf_reset(err);
			rc = MAJLIS_OK;
		}
		buf_release(&subject);
		buf_release(&tfr);
		buf_release(&tar);
	}
	return rc;
}

static enum majlis_status
do_text(struct act *a, struct buf *err)
{
	struct token_info ti;
	struct reply_reading r;
	enum object_kind kind;
	enum majlis_status rc = MAJLIS_OK;
	int ok = authenticate(a, &ti, err), dossier;

	if (ok <= 0)
		return ok < 0 ? MAJLIS_ERR_STORE : MAJLIS_OK;
	if (!strcmp(ti.purpose, "ack")) {
		rc = acknowledge(a, &ti, err);
		if (rc == MAJLIS_OK)
			act_set(a, INGEST_APPLIED, "a reply acknowledges it");
		return rc;
	}
	if (!strcmp(ti.purpose, "cancel")) {
		act_set(a, INGEST_IGNORED, "a reply to a cancellation");
		return MAJLIS_OK;
	}
	dossier = !strcmp(ti.object_kind, "dossier");
	if (object_kind_parse(ti.object_kind, &kind) ||
	    (!dossier && strcmp(ti.object_kind, "invitation"))) {
		act_set(a, INGEST_REVIEW, "a reply about a %s",
			ti.object_kind);
		return MAJLIS_OK;
	}
	reply_read(a->ev->text.data, dossier ? REPLY_DOSSIER : REPLY_INVITATION,
		   &r);
	switch (r.outcome) {
	case REPLY_DECIDED: {
		const char *d = reply_decision_name(r.decision);

		if (conflicting(a, &ti, d))
			break;
		rc = record_event(a, kind, ti.object_id, d, r.comment.data,
				  err);
		if (rc == MAJLIS_OK)
			rc = token_use(a->e, ti.id, d, err);
		if (rc == MAJLIS_OK)
			act_set(a, INGEST_APPLIED, "%s%s%s", d,
				r.comment.len ? ": " : "", r.comment.data);
		/* Any answer also acknowledges the mail. */
		if (rc == MAJLIS_OK)
			rc = acknowledge(a, &ti, err);
		a->object_kind = object_kind_name(kind);
		a->object_id = ti.object_id;
		break;
	}
	case REPLY_AMBIGUOUS:
		act_set(a, INGEST_REVIEW,
			"its words say more than one thing: '%.200s'",
			r.written.data);
		break;
	case REPLY_ONLY_IN_QUOTE:
		act_set(a, INGEST_REVIEW,
			"the answer words are only in the quoted mail");
		break;
	default:
		act_set(a, INGEST_REVIEW, "no answer word in what was written");
		break;
	}
	if (a->action == INGEST_REVIEW) {
		a->object_kind = object_kind_name(kind);
		a->object_id = ti.object_id;
	}
	if (rc == MAJLIS_OK && dossier)
		rc = file_attachments(a, ti.object_id, 0, err);
	reply_release(&r);
	return rc;
}

static enum majlis_status
do_vcard(struct act *a, struct buf *err)
{
	struct contact_source src;
	struct buf cause = BUF_INIT;
	int64_t staff = 0;
	enum majlis_status rc;

	if (a->ev->auth_failed) {
		act_set(a, INGEST_REJECTED,
			"our mail server found its DMARC or DKIM signature "
			"false");
		return MAJLIS_OK;
	}
	rc = store_get_int(a->e->store, err, &staff,
			   "SELECT id FROM person WHERE email = ?1"
			   " AND kind = 'fonctionnaire'",
			   "s", a->ev->sender);
	if (rc == MAJLIS_ERR_NOTFOUND) {
		buf_reset(err);
		act_set(a, INGEST_REJECTED,
			"a contact card from %s, who is not a civil servant of "
			"the Commune",
			a->ev->sender ? a->ev->sender : "nobody");
		return MAJLIS_OK;
	}
	if (rc != MAJLIS_OK)
		return rc;
	buf_addf(&cause, "mail %s", a->key);
	memset(&src, 0, sizeof(src));
	src.proposer = staff;
	src.via = "mail";
	src.cause = cause.data;
	rc = contact_propose(a->e, a->ev->vcard.data, a->ev->vcard.len, &src,
			     NULL, NULL, err);
	if (rc == MAJLIS_ERR_DATA) {
		act_set(a, INGEST_REVIEW, "a contact card that cannot be read: %s",
			err->data);
		buf_reset(err);
		rc = MAJLIS_OK;
	} else if (rc == MAJLIS_OK) {
		act_set(a, INGEST_APPLIED, "a contact proposed");
		a->object_kind = "contact";
		store_get_int(a->e->store, NULL, &a->object_id,
			      "SELECT max(id) FROM contact", NULL);
	}
	buf_release(&cause);
	return rc;
}

/*
 * A bounce: each failed recipient recorded against the message we sent
 * (found by the token of its envelope sender, or its Message-ID); a
 * permanent failure marks the person's address and tells the DGS. A
 * bounce about no message of ours changes nothing.
 */
static enum majlis_status
do_dsn(struct act *a, struct buf *err)
{
	const struct bounce *b = &a->ev->bounce;
	struct buf sender = BUF_INIT;
	int64_t outbox = 0;
	char now[TIME_LEN];
	enum majlis_status rc = MAJLIS_OK;
	int recorded = 0;

	time_format_utc(clock_now(a->e->clock), now);
	if (a->ev->token[0]) {
		token_address(a->cfg->own, a->ev->token, &sender);
		store_get_int(a->e->store, NULL, &outbox,
			      "SELECT id FROM outbox WHERE sender = ?1"
			      " COLLATE NOCASE ORDER BY id DESC LIMIT 1",
			      "s", sender.data);
	}
	if (!outbox && b->original_id)
		store_get_int(a->e->store, NULL, &outbox,
			      "SELECT id FROM outbox WHERE message_id = ?1",
			      "s", b->original_id);
	buf_release(&sender);
	if (!outbox) {
		act_set(a, INGEST_IGNORED,
			"a bounce about no message majlis sent");
		return MAJLIS_OK;
	}
	if (!b->n) {
		act_set(a, INGEST_REVIEW,
			"a bounce that names no failed recipient");
		a->object_kind = "outbox";
		a->object_id = outbox;
		return MAJLIS_OK;
	}
	for (size_t i = 0; i < b->n && rc == MAJLIS_OK; i++) {
		const struct bounce_rcpt *r = &b->rcpt[i];
		int64_t person = 0;

		store_get_int(a->e->store, NULL, &person,
			      "SELECT id FROM person WHERE email = ?1", "s",
			      r->addr);
		rc = store_exec(a->e->store, err,
				"INSERT INTO bounce(inmail_id, address, person_id,"
				" outbox_id, status, diagnostic, created_at)"
				" VALUES (?7, ?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6)",
				"sii" "sss" "i", r->addr, person, outbox,
				r->status[0] ? r->status : NULL, r->diagnostic,
				now, a->row);
		if (rc == MAJLIS_OK && person && r->status[0] == '5') {
			struct rec v = REC_INIT;
			struct notify_counts nc;
			struct buf code = BUF_INIT;

			rc = store_exec(a->e->store, err,
					"UPDATE person SET email_failed = ?2"
					" WHERE id = ?1",
					"is", person, r->status);
			store_get_text(a->e->store, NULL, &code,
				       "SELECT code FROM person WHERE id = ?1",
				       "i", person);
			memset(&nc, 0, sizeof(nc));
			rec_add_text(&v, "code", code.data);
			rec_add_text(&v, "address", r->addr);
			rec_add_text(&v, "status", r->status);
			rec_add_text(&v, "diagnostic",
				     r->diagnostic ? r->diagnostic : "");
			if (rc == MAJLIS_OK)
				rc = notify_data_error(a->e, 0, "person", person,
						       "data-error-bounce", &v,
						       &nc, err);
			rec_release(&v);
			buf_release(&code);
		}
		recorded++;
	}
	if (rc == MAJLIS_OK)
		act_set(a, INGEST_APPLIED, "%d failed recipient%s: %s %s",
			recorded, recorded == 1 ? "" : "s", b->rcpt[0].addr,
			b->rcpt[0].status[0] ? b->rcpt[0].status : "?");
	a->object_kind = "outbox";
	a->object_id = outbox;
	return rc;
}


/* Forms. */

/* The body a form names (folded: its code, its name, the end of its
 * name: "Maârif", "المعاريف"), else 0. */
static int64_t
form_body(struct engine *e, const char *name)
{
	struct stmt *s = store_prepare(
		e->store, "SELECT id, code, name_fr, name_ar FROM body ORDER BY id");
	struct buf want = BUF_INIT, have = BUF_INIT;
	int64_t found = 0;

	fold_key(name, strlen(name), &want);
	buf_rtrim(&want);
	while (!found && stmt_step(s) == 1) {
		for (int col = 1; col <= 3 && !found; col++) {
			const char *v = stmt_text(s, col);
			size_t n;

			buf_reset(&have);
			fold_key(v, strlen(v), &have);
			n = have.len;
			if (!strcmp(have.data, want.data) ||
			    (n > want.len && want.len >= 3 &&
			     !strcmp(have.data + n - want.len, want.data) &&
			     strchr(" '", have.data[n - want.len - 1])))
				found = stmt_int(s, 0);
		}
	}
	stmt_done(s);
	buf_release(&want);
	buf_release(&have);
	return found;
}

/* A mail to the sender of a form: what to fix, or the reference it was
 * given; in the form's language first. Queued in the open transaction;
 * only ever to a sender our server vouches for. */
static enum majlis_status
answer_form(struct act *a, const char *ref, struct buf *err)
{
	const struct mail_config *mc = a->e->mail;
	const struct form *f = &a->ev->form;
	struct buf fr = BUF_INIT, ar = BUF_INIT, text = BUF_INIT;
	struct buf subject = BUF_INIT, raw = BUF_INIT, msgid = BUF_INIT;
	const char *at;
	struct mime_message mm;
	struct mime_header h[MIME_SYSTEM_HEADERS];
	struct outbox_msg om;
	int64_t now = clock_now(a->e->clock), row;
	enum majlis_status rc;

	if (!mc || !mc->from || !(at = strchr(mc->from, '@')))
		return MAJLIS_OK;
	if (ref) {
		buf_addf(&fr, "Votre %s a été enregistré%s sous la référence %s. "
			      "Elle sera examinée et vous serez informé(e) de "
			      "la suite.\n",
			 f->kind == FORM_PETITION ? "pétition" : "dossier",
			 f->kind == FORM_PETITION ? "e" : "", ref);
		buf_addf(&ar, "تم تسجيل %s تحت المرجع %s. ستتم دراستها "
			      "وسيتم إخباركم بما يترتب عنها.\n",
			 f->kind == FORM_PETITION ? "عريضتكم" : "ملفكم", ref);
	} else {
		buf_addstr(&fr, "Votre formulaire n'a pas pu être enregistré. "
				"Corrigez ces points puis renvoyez-le :\n");
		buf_addstr(&ar, "تعذر تسجيل استمارتكم. يرجى تصحيح النقط التالية "
				"ثم إعادة إرسالها:\n");
		for (size_t i = 0; i < f->nerrors; i++) {
			buf_addf(&fr, "- %s\n", f->errors[i].fr);
			buf_addf(&ar, "- %s\n", f->errors[i].ar);
		}
	}
	if (a->ev->arabic)
		buf_addf(&text, "%s\n%s", ar.data, fr.data);
	else
		buf_addf(&text, "%s\n%s", fr.data, ar.data);
	buf_addf(&subject, "%s — %s",
		 a->ev->arabic ? (ref ? "تم التسجيل" : "استمارة غير مكتملة")
			       : (ref ? "Enregistré" : "Formulaire incomplet"),
		 a->ev->arabic ? (ref ? "Enregistré" : "Formulaire incomplet")
			       : (ref ? "تم التسجيل" : "استمارة غير مكتملة"));
	buf_addf(&msgid, "frm.%lld%s", (long long)a->row, at);
	memset(&mm, 0, sizeof(mm));
	mm.from = (struct mime_addr){ a->ev->arabic ? mc->name_ar : mc->name_fr,
				      mc->from };
	mm.to = (struct mime_addr){ NULL, a->ev->sender };
	mm.subject = subject.data;
	mm.date = now;
	mm.date_offset = mailout_offset(a->e, now);
	mm.message_id = msgid.data;
	mm.in_reply_to = a->ev->message_id;
	mm.language = a->ev->arabic ? "ar" : "fr";
	mm.text = text.data;
	mm.headers = h;
	mm.nheaders = mime_system_headers(h, "inmail", 0, NULL);
	/* An answer to a person's mail, not mail of our own motion. */
	h[0].value = "auto-replied";
	rc = mime_build(&mm, &raw, err);
	if (rc == MAJLIS_OK) {
		memset(&om, 0, sizeof(om));
		om.channel = CHANNEL_EMAIL;
		om.kind = "form-answer";
		om.message_id = msgid.data;
		om.recipient = a->ev->sender;
		om.sender = mc->from;
		om.subject = subject.data;
		om.object_kind = "inmail";
		om.object_id = a->row;
		om.raw = raw.data;
		om.len = raw.len;
		om.not_before = outbox_after_quiet(a->e, now);
		rc = outbox_queue(a->e, &om, &row, err);
	}
	buf_release(&fr);
	buf_release(&ar);
	buf_release(&text);
	buf_release(&subject);
	buf_release(&raw);
	buf_release(&msgid);
	return rc;
}

static enum majlis_status
new_ref(struct engine *e, const char *counter, const char *prefix,
	struct buf *ref, struct buf *err)
{
	int year = clock_local_date(e->clock, clock_now(e->clock)).y;
	struct buf name = BUF_INIT;
	int64_t seq = 0;
	enum majlis_status rc;

	buf_addf(&name, "%s/%d", counter, year);
	rc = store_counter_next(e->store, err, name.data, &seq);
	if (rc == MAJLIS_OK)
		buf_addf(ref, "%s-%d-%04lld", prefix, year, (long long)seq);
	buf_release(&name);
	return rc;
}

static enum majlis_status
do_form(struct act *a, struct buf *err)
{
	struct form *f = &a->ev->form;
	struct buf ref = BUF_INIT;
	char now[TIME_LEN];
	int64_t body = 0, owner = 0, staff = 0, due = 0;
	enum majlis_status rc = MAJLIS_OK;

	if (a->ev->auth_failed) {
		act_set(a, INGEST_REJECTED,
			"our mail server found its DMARC or DKIM signature "
			"false");
		return MAJLIS_OK;
	}
	time_format_utc(clock_now(a->e->clock), now);
	/* What the names point at. */
	if (f->body && !(body = form_body(a->e, f->body)))
		form_error_add(f, "body",
			       "Arrondissement : l'un des seize arrondissements de "
			       "Casablanca, ou « Commune ».",
			       "المقاطعة: إحدى مقاطعات الدار البيضاء الست عشرة، "
			       "أو «الجماعة».");
	if (!body)
		store_get_int(a->e->store, NULL, &body,
			      "SELECT id FROM body WHERE kind = 'commune'"
			      " ORDER BY id LIMIT 1", NULL);
	if (f->kind == FORM_DOSSIER) {
		/* Dossiers are the administration's: only its staff. */
		if (store_get_int(a->e->store, NULL, &staff,
				  "SELECT id FROM person WHERE email = ?1"
				  " AND kind = 'fonctionnaire'",
				  "s", a->ev->sender) != MAJLIS_OK ||
		    !staff) {
			act_set(a, INGEST_REJECTED,
				"a dossier from %s, who is not a civil servant "
				"of the Commune",
				a->ev->sender ? a->ev->sender : "nobody");
			return MAJLIS_OK;
		}
		if (f->owner &&
		    (store_get_int(a->e->store, NULL, &owner,
				   "SELECT id FROM person WHERE code = ?1", "s",
				   f->owner) != MAJLIS_OK ||
		     !owner))
			form_error_add(f, "owner",
				       "Responsable : aucune personne n'a ce "
				       "matricule.",
				       "المسؤول: لا يوجد شخص بهذا الرقم.");
		if (f->due && clock_parse(a->e->clock, f->due, &due))
			form_error_add(f, "due",
				       "Échéance : une date comme 2027-01-15.",
				       "الأجل: تاريخ مثل 2027-01-15.");
	}
	if (f->nerrors) {
		/* Answered only to a sender our server vouches for: no
		 * backscatter to a forged From. */
		if (a->ev->auth_passed && a->ev->sender) {
			rc = answer_form(a, NULL, err);
			act_set(a, INGEST_REJECTED,
				"a form with %zu field%s to fix: the sender is "
				"told which",
				f->nerrors, f->nerrors == 1 ? "" : "s");
		} else {
			act_set(a, INGEST_REVIEW,
				"a form with %zu field%s to fix (%s), from a "
				"sender no server vouches for: not answered",
				f->nerrors, f->nerrors == 1 ? "" : "s",
				f->errors[0].field);
		}
		return rc;
	}
	if (f->kind == FORM_PETITION) {
		const char *initial =
			flow_initial(flowset_flow(a->e->flows, OBJ_PETITION));

		rc = new_ref(a->e, "petition", "PET", &ref, err);
		if (rc == MAJLIS_OK)
			rc = store_exec(
				a->e->store, err,
				"INSERT INTO petition(ref, body_id, kind, title_fr,"
				" title_ar, lead_name, lead_email, lead_phone,"
				" signatures, received_at, state, state_since,"
				" created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
				" ?11, ?10, ?10)",
				"sisssss" "s" "iss", ref.data, body, f->type,
				f->title_fr, f->title_ar, f->lead,
				f->email ? f->email : a->ev->sender, f->phone,
				(int64_t)(f->signatures > 0 ? f->signatures : 0),
				now, initial);
		a->object_kind = "petition";
	} else {
		const char *initial =
			flow_initial(flowset_flow(a->e->flows, OBJ_DOSSIER));
		char due_text[TIME_LEN];

		if (due)
			time_format_utc(due, due_text);
		rc = new_ref(a->e, "dossier", "DOS", &ref, err);
		if (rc == MAJLIS_OK)
			rc = store_exec(
				a->e->store, err,
				"INSERT INTO dossier(ref, kind, title_fr, title_ar,"
				" body_id, owner_id, due_at, state, state_since,"
				" created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
				"ssssii" "sss", ref.data, f->type, f->title_fr,
				f->title_ar, body, owner, due ? due_text : NULL,
				initial, now);
		a->object_kind = "dossier";
		a->person_id = staff;
	}
	if (rc == MAJLIS_OK) {
		a->object_id = store_last_id(a->e->store);
		act_set(a, INGEST_APPLIED, "%s %s recorded", a->object_kind,
			ref.data);
		rc = file_attachments(a,
				      f->kind == FORM_DOSSIER ? a->object_id : 0,
				      f->kind == FORM_PETITION ? a->object_id : 0,
				      err);
		if (rc == MAJLIS_OK && a->ev->auth_passed && a->ev->sender)
			rc = answer_form(a, ref.data, err);
	}
	buf_release(&ref);
	return rc;
}

/* What the event asks, decided and done in the open transaction. */
static enum majlis_status
decide(struct act *a, struct buf *err)
{
	struct intake_event *ev = a->ev;

	if (ev->kind == INTAKE_DSN)
		return do_dsn(a, err);
	if (ev->loop) {
		act_set(a, INGEST_IGNORED, "our own mail, come back");
		return MAJLIS_OK;
	}
	if (ev->list) {
		act_set(a, INGEST_IGNORED, "mailing-list traffic");
		return MAJLIS_OK;
	}
	switch (ev->kind) {
	case INTAKE_MDN:
		return do_mdn(a, err);
	case INTAKE_IMIP_REPLY:
	case INTAKE_IMIP_COUNTER:
		return do_imip(a, err);
	case INTAKE_AUTO_REPLY:
		act_set(a, INGEST_IGNORED, "%s", ev->reason);
		return MAJLIS_OK;
	case INTAKE_VCARD:
		return do_vcard(a, err);
	case INTAKE_TEXT_REPLY:
		return do_text(a, err);
	case INTAKE_FORM:
		return do_form(a, err);
	default:
		act_set(a, INGEST_REVIEW, "%s", ev->reason);
		return MAJLIS_OK;
	}
}

/* The message's row, made first so that what it does can point at it;
 * finish_row() fills in what was decided. */
static enum majlis_status
start_row(struct act *a, const char *source, const char *kind,
	  struct buf *err)
{
	char now[TIME_LEN];
	enum majlis_status rc;

	time_format_utc(clock_now(a->e->clock), now);
	rc = store_exec(a->e->store, err,
			"INSERT INTO inmail(key, message_id, source, kind,"
			" action, reason, sender, subject, received_at)"
			" VALUES (?1, ?2, ?3, ?4, 'review', '', ?5, ?6, ?7)",
			"sssssss", a->key, a->ev->message_id, source, kind,
			a->ev->sender, a->ev->subject, now);
	a->row = store_last_id(a->e->store);
	return rc;
}

static enum majlis_status
finish_row(struct act *a, const char *raw, size_t len, struct buf *err)
{
	enum majlis_status rc;
	struct audit_entry au;

	rc = store_exec(a->e->store, err,
			"UPDATE inmail SET action = ?2, reason = ?3,"
			" token_id = NULLIF(?4, 0), object_kind = ?5,"
			" object_id = NULLIF(?6, 0), event_id = NULLIF(?7, 0)"
			" WHERE id = ?1",
			"iss" "isii", a->row, ingest_action_name(a->action),
			a->reason.data, a->token_id, a->object_kind,
			a->object_id, a->event_id);
	if (rc == MAJLIS_OK && a->keep_raw) {
		struct stmt *s = store_prepare(
			a->e->store,
			"INSERT INTO inmail_raw(id, raw) VALUES (?1, ?2)");

		stmt_bind(s, "i", a->row);
		stmt_bind_blob(s, 2, raw, len);
		if (stmt_step(s) < 0)
			rc = error(err, MAJLIS_ERR_STORE, "%s",
				   store_errmsg(a->e->store));
		stmt_done(s);
	}
	memset(&au, 0, sizeof(au));
	au.actor_id = a->person_id;
	au.actor = "mail";
	au.object_kind = a->object_kind ? a->object_kind : "inmail";
	au.object_id = a->object_kind ? a->object_id : a->row;
	au.action = "ingest";
	au.cause = a->key;
	au.detail = a->reason.data;
	if (rc == MAJLIS_OK)
		rc = audit_write(a->e, &au, err);
	return rc;
}

static void
report(rec_cb cb, void *ctx, const char *source, const char *message_id,
       const char *kind, enum ingest_action action, const char *reason,
       const char *object_kind, int64_t object_id)
{
	struct rec r = REC_INIT;

	if (!cb)
		return;
	rec_add_text(&r, "source", source);
	rec_add_text(&r, "message_id", message_id);
	rec_add_text(&r, "kind", kind);
	rec_add_text(&r, "action", ingest_action_name(action));
	rec_add_text(&r, "reason", reason);
	rec_add_text(&r, "object", object_kind);
	if (object_kind)
		rec_add_int(&r, "object_id", object_id);
	else
		rec_add_null(&r, "object_id");
	cb(ctx, &r);
	rec_release(&r);
}

enum majlis_status
ingest_message(struct engine *e, const struct intake_config *cfg,
	       const char *raw, size_t len, const char *source, rec_cb cb,
	       void *ctx, enum ingest_action *action, struct buf *err)
{
	struct intake_event ev;
	struct buf key = BUF_INIT, why = BUF_INIT;
	struct act a;
	const char *kind;
	int64_t seen = 0;
	enum majlis_status rc, crc;

	memset(&a, 0, sizeof(a));
	buf_init(&a.reason);
	crc = intake_classify(raw, len, cfg, &ev, &why);
	message_key(crc == MAJLIS_OK ? ev.message_id : NULL, raw, len, &key);
	a.e = e;
	a.cfg = cfg;
	a.ev = &ev;
	a.key = key.data;
	kind = crc == MAJLIS_OK ? intake_kind_name(ev.kind) : "quarantine";
	rc = store_get_int(e->store, err, &seen,
			   "SELECT count(*) FROM inmail WHERE key = ?1", "s",
			   key.data);
	if (rc == MAJLIS_OK && seen) {
		*action = INGEST_DUPLICATE;
		report(cb, ctx, source, ev.message_id, kind, INGEST_DUPLICATE,
		       "seen before", NULL, 0);
		goto out;
	}
	if (rc == MAJLIS_OK)
		rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		goto out;
	rc = start_row(&a, source, kind, err);
	if (rc == MAJLIS_OK && crc != MAJLIS_OK)
		act_set(&a, INGEST_QUARANTINED, "%s", why.data);
	else if (rc == MAJLIS_OK)
		rc = decide(&a, err);
	if (rc == MAJLIS_OK)
		rc = finish_row(&a, raw, len, err);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	if (rc != MAJLIS_OK)
		goto out;
	/* Its event through its mailflow, now. */
	if (a.event_id) {
		struct rec r = REC_INIT;

		rc = event_apply(e, a.event_id, &r, err);
		if (rc == MAJLIS_OK &&
		    !strcmp(rec_text(&r, "outcome") ? rec_text(&r, "outcome")
						    : "",
			    "refused")) {
			act_set(&a, INGEST_REJECTED,
				"refused by its mailflow: %s",
				rec_text(&r, "reason") ? rec_text(&r, "reason")
						       : "?");
			rc = store_exec(e->store, err,
					"UPDATE inmail SET action = ?2,"
					" reason = ?3 WHERE key = ?1",
					"sss", key.data, "rejected",
					a.reason.data);
		}
		rec_release(&r);
	}
	*action = a.action;
	report(cb, ctx, source, ev.message_id, kind, a.action, a.reason.data,
	       a.object_kind, a.object_id);
out:
	intake_event_release(&ev);
	buf_release(&key);
	buf_release(&why);
	buf_release(&a.reason);
	return rc;
}

/* Maildir. */

/* Whether a file name in cur/ is marked done by majlis (flag S). */
static int
is_done(const char *name)
{
	const char *info = strstr(name, ":2,");

	return info && strchr(info + 3, 'S') != NULL;
}

/* In cur/, what an earlier run marked done is not read again. */
static int
not_done(const char *name, void *ctx)
{
	(void)ctx;
	return !is_done(name);
}

/* The names of the files of dir/sub to read, sorted (Maildir names
 * start with their time). */
static size_t
list_dir(const char *dir, const char *sub, char ***names)
{
	struct buf path = BUF_INIT;
	size_t n;

	buf_addf(&path, "%s/%s", dir, sub);
	dir_names(path.data, strcmp(sub, "cur") ? NULL : not_done, NULL, names,
		  &n);
	buf_release(&path);
	return n;
}

/* Moves dir/sub/name to dir/cur/ with the S flag. */
static int
mark_done(const char *dir, const char *sub, const char *name)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	const char *info = strstr(name, ":2,");
	int r;

	buf_addf(&from, "%s/%s/%s", dir, sub, name);
	if (info)
		buf_addf(&to, "%s/cur/%.*s:2,%sS", dir, (int)(info - name), name,
			 info + 3);
	else
		buf_addf(&to, "%s/cur/%s:2,S", dir, name);
	r = rename(from.data, to.data);
	buf_release(&from);
	buf_release(&to);
	return r;
}

static int
quarantine_copy(const char *qdir, const char *name, const struct buf *raw)
{
	struct buf path = BUF_INIT, sub = BUF_INIT;
	int r;

	buf_addf(&sub, "%s/new", qdir);
	if (mkdir_p(sub.data, 0750) < 0) {
		buf_release(&sub);
		return -1;
	}
	buf_addf(&path, "%s/%s", sub.data, name);
	r = file_write_atomic(path.data, raw->data, raw->len);
	buf_release(&path);
	buf_release(&sub);
	return r;
}


/* A file too big to read: moved whole to quarantine (or marked done),
 * its row says why. */
static enum majlis_status
too_big(struct engine *e, const char *dir, const char *sub, const char *name,
	const char *quarantine, const char *source, size_t max, rec_cb cb,
	void *ctx, struct ingest_counts *c, struct buf *err)
{
	struct buf from = BUF_INIT, to = BUF_INIT, key = BUF_INIT;
	struct buf reason = BUF_INIT;
	char now[TIME_LEN];
	enum majlis_status rc;

	buf_addf(&from, "%s/%s/%s", dir, sub, name);
	buf_addf(&key, "file:%s", name);
	buf_addf(&reason, "a message of more than %zu bytes", max);
	time_format_utc(clock_now(e->clock), now);
	rc = store_begin(e->store, err);
	if (rc == MAJLIS_OK)
		rc = store_exec(e->store, err,
				"INSERT OR IGNORE INTO inmail(key, source, kind,"
				" action, reason, received_at) VALUES (?1, ?2,"
				" 'quarantine', 'quarantined', ?3, ?4)",
				"ssss", key.data, source, reason.data, now);
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	if (rc == MAJLIS_OK) {
		if (quarantine) {
			buf_addf(&to, "%s/new", quarantine);
			mkdir_p(to.data, 0750);
			buf_addf(&to, "/%s", name);
			if (rename(from.data, to.data) < 0)
				rc = error(err, MAJLIS_ERR_IO,
					   "cannot quarantine '%s': %s",
					   from.data, strerror(errno));
		} else if (mark_done(dir, sub, name) < 0) {
			rc = error(err, MAJLIS_ERR_IO, "cannot mark '%s' done: %s",
				   from.data, strerror(errno));
		}
		c->seen++;
		c->by_action[INGEST_QUARANTINED]++;
		report(cb, ctx, source, NULL, "quarantine", INGEST_QUARANTINED,
		       reason.data, NULL, 0);
	}
	buf_release(&from);
	buf_release(&to);
	buf_release(&key);
	buf_release(&reason);
	return rc;
}

enum majlis_status
ingest_maildir(struct engine *e, const struct intake_config *cfg,
	       const char *dir, const char *quarantine, rec_cb cb, void *ctx,
	       struct ingest_counts *c, struct buf *err)
{
	static const char *const subs[] = { "cur", "new" };
	size_t max = (cfg->limits ? cfg->limits : &mailin_limits_default)
			     ->max_bytes;
	enum majlis_status rc = MAJLIS_OK;

	memset(c, 0, sizeof(*c));
	for (size_t s = 0; s < 2 && rc == MAJLIS_OK; s++) {
		char **names;
		size_t n = list_dir(dir, subs[s], &names);

		for (size_t i = 0; i < n; i++) {
			struct buf path = BUF_INIT, raw = BUF_INIT;
			struct buf source = BUF_INIT;
			enum ingest_action act = INGEST_QUARANTINED;

			buf_addf(&path, "%s/%s/%s", dir, subs[s], names[i]);
			buf_addf(&source, "maildir %s/%s", subs[s], names[i]);
			if (rc != MAJLIS_OK) {
				/* a store error stopped the run */
			} else if (file_read(path.data, max, &raw) < 0) {
				/* Too big to read: the file itself goes to
				 * quarantine, with its row. Gone since the
				 * listing: another reader took it. */
				if (errno == EFBIG)
					rc = too_big(e, dir, subs[s], names[i],
						     quarantine, source.data,
						     max, cb, ctx, c, err);
			} else {
				rc = ingest_message(e, cfg, raw.data, raw.len,
						    source.data, cb, ctx, &act,
						    err);
				if (rc == MAJLIS_OK) {
					c->seen++;
					c->by_action[act]++;
					if (act == INGEST_QUARANTINED &&
					    quarantine)
						quarantine_copy(quarantine,
								names[i], &raw);
					if (mark_done(dir, subs[s], names[i]) <
					    0)
						rc = error(err,
							   MAJLIS_ERR_IO,
							   "cannot mark '%s' "
							   "done: %s",
							   path.data,
							   strerror(errno));
				}
			}
			buf_release(&path);
			buf_release(&raw);
			buf_release(&source);
			free(names[i]);
		}
		free(names);
	}
	return rc;
}
