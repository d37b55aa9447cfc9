/*
 * notify.c - delivering notifications (see notify.h).
 *
 * Layout: the person told and the object it is about; choosing by the
 * rules; the rows of the notification table; the e-mail (both languages,
 * the recipient's first; text and HTML) and the SMS, queued in the
 * outbox; the missing addresses and the data errors; reminders and
 * acknowledgements; the inbox.
 *
 * Everything runs in the caller's transaction (a job's, a chase's), so
 * that a row, its outbox message and its reply token commit together or
 * not at all.
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "mailout.h"
#include "mime.h"
#include "objects.h"
#include "outbox.h"
#include "store.h"
#include "sys.h"
#include "token.h"

/* An SMS is cut to this many characters (five UCS-2 parts at most). */
#define SMS_MAX_CHARS 300
/* A reply token answers for this long after the acknowledgement's due
 * time: late receipts still count. */
#define ACK_TOKEN_GRACE (60LL * 86400)

#define NAME_FR_SQL                                                    \
	"CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END || p.given_fr" \
	" || ' ' || p.family_fr"
#define NAME_AR_SQL                                                  \
	"CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END"     \
	" || p.given_ar || ' ' || p.family_ar"

static void
today(struct engine *e, char out[DATE_LEN])
{
	date_format(clock_local_date(e->clock, clock_now(e->clock)), out);
}

/* The person told. */
struct person {
	int64_t id;
	char code[64];
	char kind[16];		/* elu, fonctionnaire */
	char lang[4];		/* fr, ar */
	struct buf name_fr, name_ar; /* with the civility */
	struct buf email, phone; /* empty when unknown */
};

static void
person_release(struct person *p)
{
	buf_release(&p->name_fr);
	buf_release(&p->name_ar);
	buf_release(&p->email);
	buf_release(&p->phone);
}

static enum majlis_status
person_load(struct engine *e, int64_t id, struct person *p, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store, "SELECT p.code, p.kind, p.lang,"
			  " coalesce(p.email, ''), coalesce(p.phone, ''), "
			  NAME_FR_SQL ", " NAME_AR_SQL
			  " FROM person p WHERE p.id = ?1");
	int step;

	buf_init(&p->name_fr);
	buf_init(&p->name_ar);
	buf_init(&p->email);
	buf_init(&p->phone);
	p->id = id;
	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		snprintf(p->code, sizeof(p->code), "%s", stmt_text(s, 0));
		snprintf(p->kind, sizeof(p->kind), "%s", stmt_text(s, 1));
		snprintf(p->lang, sizeof(p->lang), "%s", stmt_text(s, 2));
		buf_addstr(&p->email, stmt_text(s, 3));
		buf_addstr(&p->phone, stmt_text(s, 4));
		buf_addstr(&p->name_fr, stmt_text(s, 5));
		buf_addstr(&p->name_ar, stmt_text(s, 6));
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no person #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

/* What a notification is about, as the rules and the mail need it. */
struct facts {
	int64_t org;		/* its organization, or 0 */
	int64_t body;		/* its body, or 0: the Commune */
	char dossier_kind[64];	/* the dossier's kind, or "" */
	const char *label_fr, *label_ar; /* "Dossier", "الملف" */
	struct buf name_fr, name_ar; /* what it is called, or empty */
};

static void
facts_release(struct facts *f)
{
	buf_release(&f->name_fr);
	buf_release(&f->name_ar);
}

static const struct {
	const char *kind;
	const char *label_fr, *label_ar;
	const char *name_sql;	/* its name in each language, by ?1 */
	const char *dossier_sql; /* its dossier's kind, by ?1, or NULL */
} kinds[] = {
	{ "meeting", "Séance", "الجلسة",
	  "SELECT title_fr, title_ar FROM meeting WHERE id = ?1", NULL },
	{ "agenda_item", "Point de l'ordre du jour", "نقطة جدول الأعمال",
	  "SELECT o.number || '. ' || o.title_fr || ' (' || m.title_fr || ')',"
	  " o.number || '. ' || o.title_ar || ' (' || m.title_ar || ')'"
	  " FROM agenda_item o JOIN meeting m ON m.id = o.meeting_id"
	  " WHERE o.id = ?1",
	  "SELECT d.kind FROM agenda_item o JOIN dossier d"
	  " ON d.id = o.dossier_id WHERE o.id = ?1" },
	{ "dossier", "Dossier", "الملف",
	  "SELECT ref || ' — ' || title_fr, ref || ' — ' || title_ar"
	  " FROM dossier WHERE id = ?1",
	  "SELECT kind FROM dossier WHERE id = ?1" },
	{ "invitation", "Séance", "الجلسة",
	  "SELECT m.title_fr, m.title_ar FROM invitation o"
	  " JOIN meeting m ON m.id = o.meeting_id WHERE o.id = ?1",
	  NULL },
	{ "petition", "Pétition", "العريضة",
	  "SELECT ref || ' — ' || title_fr, ref || ' — ' || title_ar"
	  " FROM petition WHERE id = ?1",
	  NULL },
	{ "task", "Tâche", "المهمة",
	  "SELECT title_fr, title_ar FROM task WHERE id = ?1",
	  "SELECT d.kind FROM task o JOIN dossier d ON d.id = o.dossier_id"
	  " WHERE o.id = ?1" },
	{ "person", "Personne concernée", "الشخص المعني",
	  "SELECT p.code || ' — ' || " NAME_FR_SQL ", p.code || ' — ' || "
	  NAME_AR_SQL " FROM person p WHERE p.id = ?1",
	  NULL },
};

static enum majlis_status
facts_load(struct engine *e, const char *kind, int64_t id, struct facts *f,
	   struct buf *err)
{
	enum object_kind ok;
	struct stmt *s;
	int step = 0;

	memset(f, 0, sizeof(*f));
	buf_init(&f->name_fr);
	buf_init(&f->name_ar);
	if (!object_kind_parse(kind, &ok)) {
		const struct object_def *def = object_def(ok);
		struct buf sql = BUF_INIT;

		buf_addf(&sql, "SELECT %s, %s FROM %s o WHERE o.id = ?1",
			 def->org_sql, def->body_sql, def->table);
		s = store_prepare(e->store, sql.data);
		buf_release(&sql);
		stmt_bind(s, "i", id);
		step = stmt_step(s);
		if (step == 1) {
			f->org = stmt_int(s, 0);
			f->body = stmt_int(s, 1);
		}
		stmt_done(s);
	}
	for (size_t i = 0; step >= 0 && i < sizeof(kinds) / sizeof(*kinds);
	     i++) {
		if (strcmp(kinds[i].kind, kind))
			continue;
		f->label_fr = kinds[i].label_fr;
		f->label_ar = kinds[i].label_ar;
		s = store_prepare(e->store, kinds[i].name_sql);
		stmt_bind(s, "i", id);
		if ((step = stmt_step(s)) == 1) {
			buf_addstr(&f->name_fr, stmt_text(s, 0));
			buf_addstr(&f->name_ar, stmt_text(s, 1));
		}
		stmt_done(s);
		if (step >= 0 && kinds[i].dossier_sql) {
			s = store_prepare(e->store, kinds[i].dossier_sql);
			stmt_bind(s, "i", id);
			if ((step = stmt_step(s)) == 1)
				snprintf(f->dossier_kind,
					 sizeof(f->dossier_kind), "%s",
					 stmt_text(s, 0));
			stmt_done(s);
		}
	}
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

/*
 * The rules' choice for p: their profile, and the roles they hold where
 * it matters: in the object's organization (when it has one, else in
 * any), and in the administration.
 */
static enum majlis_status
choose(struct engine *e, const char *message, const struct person *p,
       const struct facts *f, struct notify_choice *ch, struct buf *err)
{
	struct notify_subject subj;
	char *roles[16];
	size_t n = 0;
	char day[DATE_LEN];
	struct stmt *s;
	int step;

	today(e, day);
	s = store_prepare(e->store,
			  "SELECT DISTINCT m.role FROM membership m"
			  " JOIN organization g ON g.id = m.organization_id"
			  " WHERE m.person_id = ?1 AND m.from_date <= ?2"
			  " AND (m.until_date IS NULL OR m.until_date >= ?2)"
			  " AND (g.kind = 'administration' OR ?3 IS NULL"
			  " OR m.organization_id = ?3) ORDER BY m.role");
	stmt_bind(s, "is", p->id, day);
	if (f->org)
		stmt_bind_int(s, 3, f->org);
	while ((step = stmt_step(s)) == 1)
		if (n < sizeof(roles) / sizeof(*roles))
			roles[n++] = xstrdup(stmt_text(s, 0));
	stmt_done(s);
	memset(&subj, 0, sizeof(subj));
	subj.message = message;
	subj.profile = p->kind;
	subj.roles = (const char *const *)roles;
	subj.nroles = n;
	subj.dossier_kind = f->dossier_kind[0] ? f->dossier_kind : NULL;
	notify_rules_match(e->notify, &subj, ch);
	for (size_t i = 0; i < n; i++)
		free(roles[i]);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

/* When an acknowledgement given from t on is due. Working days need the
 * calendar; without one they count as days. */
static int64_t
ack_due(struct engine *e, int64_t t, struct offset off)
{
	if (!e->cal && off.unit == OFFSET_WORKDAYS)
		off.unit = OFFSET_DAYS;
	return calendar_apply(e->cal, e->clock, t, off);
}

/*
 * Inserts the row of one channel; *created is 0 when it was already
 * there (the same event, person, message and channel).
 */
static enum majlis_status
row_insert(struct engine *e, const struct notify_item *it, int64_t person,
	   const char *channel, const char *colour, int64_t *id, int *created,
	   struct buf *err)
{
	struct stmt *s;
	char now[TIME_LEN];
	int step;

	time_format_utc(clock_now(e->clock), now);
	s = store_prepare(e->store,
			  "INSERT INTO notification(person_id, event_id,"
			  " message, object_kind, object_id, channel,"
			  " subject_fr, subject_ar, created_at, colour)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
			  " ON CONFLICT DO NOTHING");
	stmt_bind_int(s, 1, person);
	if (it->event_id)
		stmt_bind_int(s, 2, it->event_id);
	stmt_bind_text(s, 3, it->message);
	stmt_bind_text(s, 4, it->object_kind);
	stmt_bind_int(s, 5, it->object_id);
	stmt_bind_text(s, 6, channel);
	stmt_bind_text(s, 7, it->fr);
	stmt_bind_text(s, 8, it->ar);
	stmt_bind_text(s, 9, now);
	stmt_bind_text(s, 10, colour);
	step = stmt_step(s);
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE,
			     "cannot record a notification: %s",
			     store_errmsg(e->store));
	*created = store_changes(e->store) == 1;
	*id = *created ? store_last_id(e->store) : 0;
	return MAJLIS_OK;
}

static enum majlis_status
row_sent(struct engine *e, int64_t id, int64_t outbox_id, int64_t due,
	 struct buf *err)
{
	char when[TIME_LEN];

	if (!due)
		return store_exec(e->store, err,
				  "UPDATE notification SET outbox_id = ?1"
				  " WHERE id = ?2",
				  "ii", outbox_id, id);
	time_format_utc(due, when);
	return store_exec(e->store, err,
			  "UPDATE notification SET outbox_id = ?1,"
			  " ack_due_at = ?2 WHERE id = ?3",
			  "isi", outbox_id, when, id);
}

/* The word a reminder starts with, unless the text has it already (a
 * mailflow's own reminder). */
static const char *
reminder_prefix(const char *text, int ar)
{
	if (ar)
		return starts_with(text, "تذكير") ? "" : "تذكير: ";
	return starts_with(text, "Rappel") ? "" : "Rappel : ";
}

/* One line: newlines and tabs of s become spaces. */
static void
one_line(const char *s, struct buf *out)
{
	for (; *s; s++)
		buf_addch(out, *s == '\n' || *s == '\r' || *s == '\t' ? ' '
								    : *s);
}

static const char *
colour_css(const char *colour)
{
	if (!strcmp(colour, "red"))
		return "#c62828";
	if (!strcmp(colour, "amber"))
		return "#ef8f00";
	return "#2e7d32";
}

/* What an e-mail says. */
struct mail_spec {
	int64_t row;		/* the notification */
	const struct person *p;
	const struct facts *f;
	const char *fr, *ar;	/* the message */
	const char *todo_fr, *todo_ar; /* what to do, or NULL */
	const char *colour;
	int64_t not_before;	/* after the quiet hours */
	int64_t ack_due;	/* 0: no acknowledgement wanted */
	int reminder;		/* "Rappel :" */
	const char *in_reply_to; /* the first mail's Message-ID, or NULL */
};

#define MAX_PARAS 8

struct paras {
	struct buf p[MAX_PARAS];
	int n;
};

static struct buf *
para_new(struct paras *ps)
{
	if (ps->n == MAX_PARAS)
		BUG("too many paragraphs");
	buf_init(&ps->p[ps->n]);
	return &ps->p[ps->n++];
}

static void
paras_release(struct paras *ps)
{
	for (int i = 0; i < ps->n; i++)
		buf_release(&ps->p[i]);
	ps->n = 0;
}

/* The paragraphs of the mail in one language. */
static void
mail_paras(struct engine *e, const struct mail_spec *ms, const char *lang,
	   struct paras *ps)
{
	const struct mail_config *mc = e->mail;
	int ar = !strcmp(lang, "ar");
	const char *todo = ar ? ms->todo_ar : ms->todo_fr;
	struct buf *b;

	buf_addf(para_new(ps), "%s%s",
		 ar ? ms->p->name_ar.data : ms->p->name_fr.data,
		 ar ? "،" : ",");
	b = para_new(ps);
	if (ms->reminder)
		buf_addstr(b, reminder_prefix(ar ? ms->ar : ms->fr, ar));
	buf_addstr(b, ar ? ms->ar : ms->fr);
	if (ms->f->name_fr.len)
		buf_addf(para_new(ps), ar ? "%s: %s" : "%s : %s",
			 ar ? ms->f->label_ar : ms->f->label_fr,
			 ar ? ms->f->name_ar.data : ms->f->name_fr.data);
	if (todo)
		buf_addstr(para_new(ps), todo);
	if (ms->ack_due) {
		struct buf when = BUF_INIT;

		clock_format(e->clock, ms->ack_due, lang, CLOCK_DATETIME,
			     &when);
		if (ar)
			buf_addf(para_new(ps),
				 "يرجى الإشعار بالتوصل بهذه الرسالة قبل %s، "
				 "وذلك بالرد عليها أو بقبول إشعار القراءة. "
				 "وفي حالة عدم الإشعار، %s",
				 when.data,
				 ms->reminder ? "سيتم إخبار رئيسكم المباشر."
					      : "سيوجه إليكم تذكير.");
		else
			buf_addf(para_new(ps),
				 "Merci d'accuser réception de ce message "
				 "avant le %s : il suffit d'y répondre, ou "
				 "d'accepter l'accusé de lecture. À défaut, %s",
				 when.data,
				 ms->reminder
					 ? "votre supérieur hiérarchique en "
					   "sera informé."
					 : "un rappel vous sera adressé.");
		buf_release(&when);
	} else if (!todo) {
		buf_addstr(para_new(ps),
			   ar ? "للعلم فقط، ولا يتطلب هذا الإشعار أي إجراء "
				"من جانبكم."
			      : "Pour information : aucune suite n'est "
				"attendue de votre part.");
	}
	if (ar)
		buf_addf(para_new(ps), "رسالة آلية صادرة عن %s.%s",
			 mc->name_ar,
			 ms->ack_due ? "" : " يرجى عدم الرد عليها.");
	else
		buf_addf(para_new(ps), "Message automatique — %s.%s",
			 mc->name_fr,
			 ms->ack_due ? "" : " Merci de ne pas y répondre.");
}

/* The text and HTML bodies: the recipient's language first. */
static void
mail_bodies(struct engine *e, const struct mail_spec *ms, struct buf *text,
	    struct buf *html)
{
	int ar_first = !strcmp(ms->p->lang, "ar");
	const char *langs[2] = { ar_first ? "ar" : "fr",
				 ar_first ? "fr" : "ar" };

	buf_addstr(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			 "</head><body>\n");
	for (int k = 0; k < 2; k++) {
		struct paras ps;
		int rtl = !strcmp(langs[k], "ar");

		ps.n = 0;
		mail_paras(e, ms, langs[k], &ps);
		if (k) {
			buf_addstr(text, "\n\n----------\n\n");
			buf_addstr(html, "<hr>\n");
		}
		buf_addf(html,
			 "<div lang=\"%s\" dir=\"%s\" style=\"border-%s:4px "
			 "solid %s;padding-%s:12px\">\n",
			 langs[k], rtl ? "rtl" : "ltr", rtl ? "right" : "left",
			 colour_css(ms->colour), rtl ? "right" : "left");
		for (int i = 0; i < ps.n; i++) {
			if (i)
				buf_addstr(text, "\n\n");
			buf_add(text, ps.p[i].data, ps.p[i].len);
			buf_addstr(html, "<p>");
			buf_add_html(html, ps.p[i].data);
			buf_addstr(html, "</p>\n");
		}
		buf_addstr(html, "</div>\n");
		paras_release(&ps);
	}
	buf_addstr(text, "\n");
	buf_addstr(html, "</body></html>\n");
}

static const char *
mail_domain(const struct mail_config *mc)
{
	const char *at = strchr(mc->from, '@');

	return at ? at + 1 : mc->domain;
}

/*
 * Builds and queues the mail of ms: its token, reply address and read
 * receipt when an acknowledgement is wanted. *outbox_id gets its row.
 */
static enum majlis_status
mail_queue(struct engine *e, const struct mail_spec *ms, int64_t *outbox_id,
	   struct buf *err)
{
	const struct mail_config *mc = e->mail;
	int ar_first = !strcmp(ms->p->lang, "ar");
	char token[TOKEN_LEN + 1];
	struct buf reply = BUF_INIT, msgid = BUF_INIT, subject = BUF_INIT;
	struct buf sfr = BUF_INIT, sar = BUF_INIT, text = BUF_INIT;
	struct buf html = BUF_INIT, raw = BUF_INIT, object = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	struct mime_header headers[MIME_SYSTEM_HEADERS];
	struct mime_message mm;
	struct mime_addr rt;
	size_t nh = 0;

	if (ms->reminder)
		buf_addstr(&sfr, reminder_prefix(ms->fr, 0));
	one_line(ms->fr, &sfr);
	if (ms->reminder)
		buf_addstr(&sar, reminder_prefix(ms->ar, 1));
	one_line(ms->ar, &sar);
	buf_addf(&subject, "%s — %s", ar_first ? sar.data : sfr.data,
		 ar_first ? sfr.data : sar.data);
	if (ms->ack_due) {
		rc = token_issue(e, "ack", "notification", ms->row, ms->p->id,
				 ms->ack_due + ACK_TOKEN_GRACE, token, err);
		if (rc != MAJLIS_OK)
			goto out;
		token_address(mc->from, token, &reply);
		buf_addf(&msgid, "ntf.%s@%s", token, mail_domain(mc));
	} else {
		buf_addstr(&reply, mc->from);
		buf_addf(&msgid, "ntf.%lld.%lld@%s", (long long)ms->row,
			 (long long)clock_now(e->clock), mail_domain(mc));
	}
	mail_bodies(e, ms, &text, &html);
	buf_addf(&object, "notification/%lld", (long long)ms->row);
	nh = mime_system_headers(headers, object.data, 1,
				 ms->ack_due ? reply.data : NULL);
	memset(&mm, 0, sizeof(mm));
	mm.from = (struct mime_addr){ ar_first ? mc->name_ar : mc->name_fr,
				      mc->from };
	mm.to = (struct mime_addr){ ar_first ? ms->p->name_ar.data
					     : ms->p->name_fr.data,
				    ms->p->email.data };
	rt = (struct mime_addr){ ar_first ? mc->name_ar : mc->name_fr,
				 reply.data };
	mm.reply_to = ms->ack_due ? &rt : NULL;
	mm.subject = subject.data;
	mm.date = ms->not_before;
	mm.date_offset = mailout_offset(e, ms->not_before);
	mm.message_id = msgid.data;
	mm.in_reply_to = ms->in_reply_to;
	mm.language = ms->p->lang;
	mm.text = text.data;
	mm.html = html.data;
	mm.headers = headers;
	mm.nheaders = nh;
	rc = mime_build(&mm, &raw, err);
	if (rc == MAJLIS_OK) {
		struct outbox_msg om;

		memset(&om, 0, sizeof(om));
		om.channel = CHANNEL_EMAIL;
		om.kind = ms->reminder ? "reminder" : "notification";
		om.message_id = msgid.data;
		om.person_id = ms->p->id;
		om.recipient = ms->p->email.data;
		om.sender = reply.data;
		om.subject = subject.data;
		om.object_kind = "notification";
		om.object_id = ms->row;
		om.raw = raw.data;
		om.len = raw.len;
		om.not_before = ms->not_before;
		rc = outbox_queue(e, &om, outbox_id, err);
		if (rc == MAJLIS_ERR_EXISTS)
			rc = MAJLIS_OK;
	}
out:
	buf_release(&reply);
	buf_release(&msgid);
	buf_release(&subject);
	buf_release(&sfr);
	buf_release(&sar);
	buf_release(&text);
	buf_release(&html);
	buf_release(&raw);
	buf_release(&object);
	return rc;
}

/* Appends s cut to max characters (code points), the last one an
 * ellipsis when it is cut. */
static void
cut_chars(const char *s, size_t max, struct buf *out)
{
	size_t chars = 0, i, keep = 0;

	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == max - 1)
			keep = i;
		chars++;
	}
	if (chars <= max) {
		buf_addstr(out, s);
		return;
	}
	buf_add(out, s, keep);
	buf_addstr(out, "…");
}

static enum majlis_status
sms_queue(struct engine *e, int64_t row, const struct person *p,
	  const char *fr, const char *ar, int reminder, int64_t not_before,
	  int64_t *outbox_id, struct buf *err)
{
	const struct mail_config *mc = e->mail;
	int in_ar = !strcmp(p->lang, "ar");
	struct buf full = BUF_INIT, text = BUF_INIT, id = BUF_INIT;
	struct outbox_msg om;
	enum majlis_status rc;

	if (reminder)
		buf_addstr(&full, reminder_prefix(in_ar ? ar : fr, in_ar));
	one_line(in_ar ? ar : fr, &full);
	cut_chars(full.data, SMS_MAX_CHARS, &text);
	buf_addf(&id, "sms.%lld.%s%lld@%s", (long long)row,
		 reminder ? "r." : "", (long long)clock_now(e->clock),
		 mail_domain(mc));
	memset(&om, 0, sizeof(om));
	om.channel = CHANNEL_SMS;
	om.kind = reminder ? "reminder" : "notification";
	om.message_id = id.data;
	om.person_id = p->id;
	om.recipient = p->phone.data;
	om.sender = "";
	om.subject = text.data;
	om.object_kind = "notification";
	om.object_id = row;
	om.raw = text.data;
	om.len = text.len;
	om.not_before = not_before;
	rc = outbox_queue(e, &om, outbox_id, err);
	if (rc == MAJLIS_ERR_EXISTS)
		rc = MAJLIS_OK;
	buf_release(&full);
	buf_release(&text);
	buf_release(&id);
	return rc;
}

/* The DGS of body (0: the Commune), or the Commune's when it has none. */
static enum majlis_status
dgs_of(struct engine *e, int64_t body, int64_t **ids, size_t *n,
       struct buf *err)
{
	char day[DATE_LEN];
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	today(e, day);
	for (int pass = 0; pass < 2 && !*n; pass++) {
		struct stmt *s = store_prepare(
			e->store,
			"SELECT DISTINCT m.person_id FROM membership m"
			" JOIN organization g ON g.id = m.organization_id"
			" JOIN person p ON p.id = m.person_id"
			" WHERE g.kind = 'administration'"
			" AND p.kind = 'fonctionnaire' AND m.role = 'dgs'"
			" AND m.from_date <= ?1"
			" AND (m.until_date IS NULL OR m.until_date >= ?1)"
			" AND g.body_id = coalesce(?2, (SELECT id FROM body"
			" WHERE kind = 'commune' ORDER BY id LIMIT 1))"
			" ORDER BY m.person_id");
		int step;

		stmt_bind(s, "s", day);
		if (pass == 0 && body)
			stmt_bind_int(s, 2, body);
		else if (pass == 1 && !body)
			break;
		while ((step = stmt_step(s)) == 1) {
			xgrow(ids, &cap, *n + 1, sizeof(**ids));
			(*ids)[(*n)++] = stmt_int(s, 0);
		}
		stmt_done(s);
		if (step < 0)
			return error(err, MAJLIS_ERR_STORE, "%s",
				     store_errmsg(e->store));
	}
	return MAJLIS_OK;
}

enum majlis_status
notify_data_error(struct engine *e, int64_t event_id, const char *object_kind,
		  int64_t object_id, const char *message,
		  const struct rec *values, struct notify_counts *c,
		  struct buf *err)
{
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	struct notify_item it;
	struct notify_counts told;
	struct facts f;
	int64_t *dgs = NULL, seen;
	size_t n = 0;
	enum majlis_status rc;

	/* The texts of data errors are the rules': without them, nobody
	 * can be told. */
	if (!e->notify)
		return MAJLIS_OK;
	rc = event_id ? store_get_int(e->store, err, &seen,
				      "SELECT count(*) FROM notification"
				      " WHERE event_id = ?1 AND message = ?2"
				      " AND object_kind = ?3"
				      " AND object_id = ?4",
				      "issi", event_id, message, object_kind,
				      object_id)
		      : store_get_int(e->store, err, &seen,
				      "SELECT count(*) FROM notification"
				      " WHERE message = ?1"
				      " AND object_kind = ?2"
				      " AND object_id = ?3",
				      "ssi", message, object_kind, object_id);
	if (rc != MAJLIS_OK || seen)
		return rc;
	rc = facts_load(e, object_kind, object_id, &f, err);
	if (rc == MAJLIS_OK)
		rc = notify_message_render(e->notify, message, values, &fr,
					   &ar, err);
	if (rc == MAJLIS_OK)
		rc = dgs_of(e, f.body, &dgs, &n, err);
	memset(&it, 0, sizeof(it));
	it.event_id = event_id;
	it.object_kind = object_kind;
	it.object_id = object_id;
	it.message = message;
	it.fr = fr.data;
	it.ar = ar.data;
	it.data_error = 1;
	/* The DGS's rows are not the audience's: only counted as one data
	 * error. */
	memset(&told, 0, sizeof(told));
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++)
		rc = notify_person(e, &it, dgs[i], &told, err);
	if (rc == MAJLIS_OK && n)
		c->data_errors++;
	free(dgs);
	facts_release(&f);
	buf_release(&fr);
	buf_release(&ar);
	return rc;
}

/* A channel p has no address for: the DGS is told, once per person. */
static enum majlis_status
missing_address(struct engine *e, const struct person *p, const char *message,
		struct notify_counts *c, struct buf *err)
{
	struct rec v = REC_INIT;
	enum majlis_status rc;

	rec_add_text(&v, "person_fr", p->name_fr.data);
	rec_add_text(&v, "person_ar", p->name_ar.data);
	rec_add_text(&v, "code", p->code);
	rc = notify_data_error(e, 0, "person", p->id, message, &v, c, err);
	rec_release(&v);
	return rc;
}

enum majlis_status
notify_person(struct engine *e, const struct notify_item *it,
	      int64_t person_id, struct notify_counts *c, struct buf *err)
{
	struct person p;
	struct facts f;
	struct notify_choice ch;
	int64_t row, outbox_id = 0, when;
	int created;
	enum majlis_status rc;

	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	rc = person_load(e, person_id, &p, err);
	if (rc == MAJLIS_OK)
		rc = facts_load(e, it->object_kind, it->object_id, &f, err);
	if (rc == MAJLIS_OK)
		rc = choose(e, it->message, &p, &f, &ch, err);
	if (rc != MAJLIS_OK)
		goto out;
	if (!ch.enabled) {
		c->disabled++;
		goto out;
	}
	when = outbox_after_quiet(e, clock_now(e->clock));
	if (ch.channels & NOTIFY_INBOX) {
		rc = row_insert(e, it, p.id, "inbox", ch.colour, &row, &created,
				err);
		c->inbox += rc == MAJLIS_OK && created;
	}
	if (rc == MAJLIS_OK && (ch.channels & NOTIFY_EMAIL)) {
		if (!p.email.len) {
			if (!it->data_error)
				rc = missing_address(e, &p,
						     "data-error-no-email", c,
						     err);
		} else if (e->mail) {
			rc = row_insert(e, it, p.id, "email", ch.colour, &row,
					&created, err);
			if (rc == MAJLIS_OK && created) {
				struct mail_spec ms;

				memset(&ms, 0, sizeof(ms));
				ms.row = row;
				ms.p = &p;
				ms.f = &f;
				ms.fr = it->fr;
				ms.ar = it->ar;
				ms.todo_fr = ch.todo_fr;
				ms.todo_ar = ch.todo_ar;
				ms.colour = ch.colour;
				ms.not_before = when;
				ms.ack_due = ch.ack ? ack_due(e, when,
							      ch.ack_within)
						    : 0;
				rc = mail_queue(e, &ms, &outbox_id, err);
				if (rc == MAJLIS_OK)
					rc = row_sent(e, row, outbox_id,
						      ms.ack_due, err);
				c->email += rc == MAJLIS_OK;
			}
		}
	}
	if (rc == MAJLIS_OK && (ch.channels & NOTIFY_SMS)) {
		if (!p.phone.len) {
			if (!it->data_error)
				rc = missing_address(e, &p,
						     "data-error-no-phone", c,
						     err);
		} else if (e->mail) {
			rc = row_insert(e, it, p.id, "sms", ch.colour, &row,
					&created, err);
			if (rc == MAJLIS_OK && created) {
				rc = sms_queue(e, row, &p, it->fr, it->ar, 0,
					       when, &outbox_id, err);
				if (rc == MAJLIS_OK)
					rc = row_sent(e, row, outbox_id, 0,
						      err);
				c->sms += rc == MAJLIS_OK;
			}
		}
	}
out:
	person_release(&p);
	facts_release(&f);
	return rc;
}

/* A notification row, as reminders and acknowledgements need it. */
struct row {
	int64_t id, person, event, object_id, outbox_id;
	int64_t created, due;
	char channel[16], message[128], object_kind[32];
	struct buf fr, ar;
	int acknowledged;
};

static enum majlis_status
row_load(struct engine *e, int64_t id, struct row *r, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT person_id, coalesce(event_id, 0), channel, message,"
		" coalesce(object_kind, ''), coalesce(object_id, 0),"
		" coalesce(outbox_id, 0), created_at,"
		" coalesce(ack_due_at, ''), subject_fr, subject_ar,"
		" acknowledged_at IS NOT NULL FROM notification WHERE id = ?1");
	int step;

	memset(r, 0, sizeof(*r));
	buf_init(&r->fr);
	buf_init(&r->ar);
	r->id = id;
	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		r->person = stmt_int(s, 0);
		r->event = stmt_int(s, 1);
		snprintf(r->channel, sizeof(r->channel), "%s", stmt_text(s, 2));
		snprintf(r->message, sizeof(r->message), "%s", stmt_text(s, 3));
		snprintf(r->object_kind, sizeof(r->object_kind), "%s",
			 stmt_text(s, 4));
		r->object_id = stmt_int(s, 5);
		r->outbox_id = stmt_int(s, 6);
		time_parse_utc(stmt_text(s, 7), &r->created);
		if (time_parse_utc(stmt_text(s, 8), &r->due) < 0)
			r->due = 0;
		buf_addstr(&r->fr, stmt_text(s, 9));
		buf_addstr(&r->ar, stmt_text(s, 10));
		r->acknowledged = (int)stmt_int(s, 11);
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no notification #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

static void
row_release(struct row *r)
{
	buf_release(&r->fr);
	buf_release(&r->ar);
}

enum majlis_status
notify_remind(struct engine *e, int64_t id, int *sent, struct buf *err)
{
	struct row r;
	struct person p;
	struct facts f;
	struct notify_choice ch;
	struct offset delay;
	int64_t now = clock_now(e->clock), when, due, outbox_id = 0;
	char now_text[TIME_LEN], due_text[TIME_LEN];
	enum majlis_status rc;

	*sent = 0;
	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	rc = row_load(e, id, &r, err);
	if (rc == MAJLIS_OK && r.acknowledged) {
		row_release(&r);
		return MAJLIS_OK;
	}
	if (rc == MAJLIS_OK)
		rc = person_load(e, r.person, &p, err);
	if (rc == MAJLIS_OK)
		rc = facts_load(e, r.object_kind, r.object_id, &f, err);
	if (rc == MAJLIS_OK)
		rc = choose(e, r.message, &p, &f, &ch, err);
	if (rc != MAJLIS_OK)
		goto out;
	/* The same delay again: the rules' if they still want one, else
	 * the one the first message was given. */
	if (ch.ack) {
		delay = ch.ack_within;
	} else {
		int64_t mins = r.due > r.created ? (r.due - r.created) / 60 : 0;

		delay = (struct offset){ (int)(mins > 0 ? mins : 1440),
					 OFFSET_MINUTES };
	}
	when = outbox_after_quiet(e, now);
	due = ack_due(e, when, delay);
	if (!strcmp(r.channel, "email") && p.email.len && e->mail) {
		struct mail_spec ms;
		struct buf first = BUF_INIT;

		if (r.outbox_id)
			store_get_text(e->store, NULL, &first,
				       "SELECT message_id FROM outbox"
				       " WHERE id = ?1",
				       "i", r.outbox_id);
		memset(&ms, 0, sizeof(ms));
		ms.row = r.id;
		ms.p = &p;
		ms.f = &f;
		ms.fr = r.fr.data;
		ms.ar = r.ar.data;
		ms.todo_fr = ch.todo_fr;
		ms.todo_ar = ch.todo_ar;
		ms.colour = ch.colour;
		ms.not_before = when;
		ms.ack_due = due;
		ms.reminder = 1;
		ms.in_reply_to = first.len ? first.data : NULL;
		rc = mail_queue(e, &ms, &outbox_id, err);
		*sent = rc == MAJLIS_OK;
		buf_release(&first);
	} else if (!strcmp(r.channel, "sms") && p.phone.len && e->mail) {
		rc = sms_queue(e, r.id, &p, r.fr.data, r.ar.data, 1, when,
			       &outbox_id, err);
		*sent = rc == MAJLIS_OK;
	}
	time_format_utc(now, now_text);
	time_format_utc(due, due_text);
	if (rc == MAJLIS_OK)
		rc = store_exec(e->store, err,
				"UPDATE notification SET reminded_at = ?1,"
				" ack_due_at = ?2 WHERE id = ?3",
				"ssi", now_text, due_text, r.id);
out:
	row_release(&r);
	person_release(&p);
	facts_release(&f);
	return rc;
}

enum majlis_status
notify_acknowledge(struct engine *e, int64_t id, struct buf *err)
{
	struct row r;
	char now[TIME_LEN];
	enum majlis_status rc;

	rc = row_load(e, id, &r, err);
	if (rc != MAJLIS_OK)
		return rc;
	time_format_utc(clock_now(e->clock), now);
	/* The same notification on every channel: one event (or, without
	 * one, one object), one person, one message. */
	if (r.event)
		rc = store_exec(e->store, err,
				"UPDATE notification SET acknowledged_at = ?1"
				" WHERE acknowledged_at IS NULL"
				" AND person_id = ?2 AND message = ?3"
				" AND event_id = ?4",
				"sisi", now, r.person, r.message, r.event);
	else
		rc = store_exec(e->store, err,
				"UPDATE notification SET acknowledged_at = ?1"
				" WHERE acknowledged_at IS NULL"
				" AND person_id = ?2 AND message = ?3"
				" AND event_id IS NULL AND object_kind = ?4"
				" AND object_id = ?5",
				"sissi", now, r.person, r.message,
				r.object_kind, r.object_id);
	row_release(&r);
	return rc;
}

/* The rows of one notification on the other channels, for the inbox. */
static enum majlis_status
inbox_siblings(struct engine *e, struct rec *r, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT x.channel, x.acknowledged_at, x.ack_due_at,"
		" x.reminded_at, x.escalated_at FROM notification x"
		" JOIN notification n ON n.id = ?1"
		" WHERE x.person_id = n.person_id AND x.message = n.message"
		" AND (x.event_id = n.event_id OR (x.event_id IS NULL"
		" AND n.event_id IS NULL AND x.object_kind IS n.object_kind"
		" AND x.object_id IS n.object_id))"
		" ORDER BY CASE x.channel WHEN 'inbox' THEN 0"
		" WHEN 'email' THEN 1 ELSE 2 END, x.id");
	struct buf channels = BUF_INIT, ack = BUF_INIT, due = BUF_INIT;
	struct buf reminded = BUF_INIT, escalated = BUF_INIT;
	int step;

	stmt_bind(s, "i", rec_int(r, "id", 0));
	while ((step = stmt_step(s)) == 1) {
		buf_addf(&channels, "%s%s", channels.len ? " " : "",
			 stmt_text(s, 0));
		if (!ack.len)
			buf_addstr(&ack, stmt_text(s, 1));
		if (!due.len)
			buf_addstr(&due, stmt_text(s, 2));
		if (!reminded.len)
			buf_addstr(&reminded, stmt_text(s, 3));
		if (!escalated.len)
			buf_addstr(&escalated, stmt_text(s, 4));
	}
	stmt_done(s);
	rec_add_text(r, "channels", channels.data);
	rec_add_text(r, "state", ack.len ? "acknowledged"
				 : rec_text(r, "read_at") ? "read"
							   : "unread");
	rec_add_text(r, "acknowledged_at", ack.len ? ack.data : NULL);
	rec_add_text(r, "ack_due_at", due.len ? due.data : NULL);
	rec_add_text(r, "reminded_at", reminded.len ? reminded.data : NULL);
	rec_add_text(r, "escalated_at", escalated.len ? escalated.data : NULL);
	buf_release(&channels);
	buf_release(&ack);
	buf_release(&due);
	buf_release(&reminded);
	buf_release(&escalated);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

enum majlis_status
notify_inbox_list(struct engine *e, int64_t person_id, int unread_only,
		  int limit, rec_cb cb, void *ctx, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT n.id, n.created_at, n.message,"
		" n.object_kind AS object, n.object_id,"
		" coalesce(n.colour, '') AS colour, n.read_at,"
		" CASE p.lang WHEN 'ar' THEN n.subject_ar"
		" ELSE n.subject_fr END AS subject,"
		" n.subject_fr, n.subject_ar"
		" FROM notification n JOIN person p ON p.id = n.person_id"
		" WHERE n.person_id = ?1 AND n.channel = 'inbox'"
		" AND (?2 = 0 OR n.read_at IS NULL)"
		" ORDER BY n.created_at DESC, n.id DESC LIMIT ?3");
	struct rec *rows = NULL;
	size_t n = 0, cap = 0;
	enum majlis_status rc = MAJLIS_OK;
	int step, stop = 0;

	stmt_bind(s, "iii", person_id, (int64_t)(unread_only != 0),
		  (int64_t)(limit > 0 ? limit : -1));
	while ((step = stmt_step(s)) == 1) {
		xgrow(&rows, &cap, n + 1, sizeof(*rows));
		rec_init(&rows[n]);
		stmt_rec(s, &rows[n++]);
	}
	stmt_done(s);
	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(e->store));
	for (size_t i = 0; i < n; i++) {
		int64_t t;
		struct buf local = BUF_INIT;

		if (rc == MAJLIS_OK)
			rc = inbox_siblings(e, &rows[i], err);
		if (rc == MAJLIS_OK &&
		    time_parse_utc(rec_text(&rows[i], "created_at"), &t) == 0) {
			clock_format(e->clock, t, "fr", CLOCK_SHORT, &local);
			rec_add_text(&rows[i], "created_local", local.data);
		}
		if (rc == MAJLIS_OK && !stop)
			stop = cb(ctx, &rows[i]);
		buf_release(&local);
		rec_release(&rows[i]);
	}
	free(rows);
	return rc;
}

enum majlis_status
notify_inbox_read(struct engine *e, int64_t person_id, int64_t id,
		  int *marked, struct buf *err)
{
	struct stmt *s;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	char now[TIME_LEN];
	struct buf detail = BUF_INIT, code = BUF_INIT;
	struct audit_entry a;
	enum majlis_status rc;
	int step;

	*marked = 0;
	time_format_utc(clock_now(e->clock), now);
	rc = store_begin(e->store, err);
	if (rc != MAJLIS_OK)
		return rc;
	s = store_prepare(e->store,
			  "SELECT id, read_at IS NULL FROM notification"
			  " WHERE person_id = ?1 AND channel = 'inbox'"
			  " AND (?2 = 0 OR id = ?2)"
			  " AND (?2 <> 0 OR read_at IS NULL) ORDER BY id");
	stmt_bind(s, "ii", person_id, id);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&ids, &cap, n + 1, sizeof(*ids));
		ids[n++] = stmt_int(s, 0);
		*marked += (int)stmt_int(s, 1);
	}
	stmt_done(s);
	if (step < 0)
		rc = error(err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(e->store));
	else if (id && !n)
		rc = error(err, MAJLIS_ERR_NOTFOUND,
			   "no notification #%lld in this person's inbox",
			   (long long)id);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		rc = store_exec(e->store, err,
				"UPDATE notification SET read_at = ?1"
				" WHERE id = ?2 AND read_at IS NULL",
				"si", now, ids[i]);
		if (rc == MAJLIS_OK)
			rc = notify_acknowledge(e, ids[i], err);
	}
	if (rc == MAJLIS_OK && *marked) {
		store_get_text(e->store, NULL, &code,
			       "SELECT code FROM person WHERE id = ?1", "i",
			       person_id);
		buf_addf(&detail, "%d notification%s read in the inbox",
			 *marked, *marked == 1 ? "" : "s");
		memset(&a, 0, sizeof(a));
		a.actor_id = person_id;
		a.actor = code.data;
		a.object_kind = "person";
		a.object_id = person_id;
		a.action = "inbox-read";
		a.cause = "majlis inbox --read";
		a.detail = detail.data;
		rc = audit_write(e, &a, err);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	free(ids);
	buf_release(&detail);
	buf_release(&code);
	return rc;
}
