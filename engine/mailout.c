/*
 * mailout.c - the messages majlis writes to people (see mailout.h).
 *
 * Layout: who the recipient is; the meeting and its convocation (from
 * the archive, kept for the invitations of one meeting, which come one
 * after the other); the texts, in the recipient's language first; the
 * invitation and its calendar part; queueing.
 */
#include "mailout.h"

#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "clock.h"
#include "document.h"
#include "ical.h"
#include "mime.h"
#include "outbox.h"
#include "store.h"
#include "sys.h"
#include "text.h"
#include "token.h"

int
mailout_offset(struct engine *e, int64_t t)
{
	struct date d;
	int h, m, s;

	clock_to_local(e->clock, t, &d, &h, &m, &s);
	return (int)((date_days(d) * 86400 + h * 3600 + m * 60 + s - t) / 60);
}

struct person {
	int64_t id;
	int female;
	char lang[4];
	struct buf name_fr, name_ar;	/* with the civility */
	struct buf email, phone;
};

static void
person_release(struct person *p)
{
	buf_release(&p->name_fr);
	buf_release(&p->name_ar);
	buf_release(&p->email);
	buf_release(&p->phone);
}

/* The meeting an invitation is for, as the mail tells it. */
struct meeting {
	int64_t id, start, end;
	int sequence;
	char state[24];
	struct buf title_fr, title_ar, place_fr, place_ar, org_fr, org_ar;
	struct buf title_lc_fr;	/* for inside a sentence */
};

static void
meeting_release(struct meeting *m)
{
	buf_release(&m->title_fr);
	buf_release(&m->title_ar);
	buf_release(&m->place_fr);
	buf_release(&m->place_ar);
	buf_release(&m->org_fr);
	buf_release(&m->org_ar);
	buf_release(&m->title_lc_fr);
}

/* The convocation's files, kept from one invitation of a meeting to the
 * next: every invitee gets the same PDF. */
static struct {
	int64_t meeting;
	int version;
	char reg[40];
	struct buf pdf, text_fr, text_ar, html;
} conv;

static void
conv_reset(void)
{
	buf_release(&conv.pdf);
	buf_release(&conv.text_fr);
	buf_release(&conv.text_ar);
	buf_release(&conv.html);
	memset(&conv, 0, sizeof(conv));
}

/* The inside of the <body> of an HTML document. */
static void
html_body(const struct buf *html, struct buf *out)
{
	const char *b = html->data ? strstr(html->data, "<body") : NULL;
	const char *e = b ? strstr(b, "</body>") : NULL;

	if (!b || !e || !(b = strchr(b, '>')) || b > e)
		return;
	buf_add(out, b + 1, (size_t)(e - b - 1));
}

/* Loads the convocation of meeting id from the archive, if it has one
 * (0 when it does not: the mail then goes without it). */
static int
load_convocation(struct engine *e, int64_t meeting)
{
	struct archive *a;
	struct buf scratch = BUF_INIT, html = BUF_INIT, subject = BUF_INIT;
	struct stmt *s;
	char reg[40] = "";
	int version = 0;

	if (!e->docs)
		return 0;
	/* Which convocation, which version: from the archive's rows, not
	 * by building the document's data again for every invitee. */
	buf_addf(&subject, "meeting:%lld", (long long)meeting);
	s = store_prepare(e->store,
			  "SELECT d.register_no, max(v.version) FROM document d"
			  " JOIN document_version v ON v.document_id = d.id"
			  " WHERE d.kind = 'convocation' AND d.subject = ?1"
			  " GROUP BY d.id");
	stmt_bind(s, "s", subject.data);
	if (stmt_step(s) == 1) {
		snprintf(reg, sizeof(reg), "%s", stmt_text(s, 0));
		version = (int)stmt_int(s, 1);
	}
	stmt_done(s);
	buf_release(&subject);
	if (!version)
		return 0;
	if (conv.meeting == meeting && conv.version == version &&
	    !strcmp(conv.reg, reg))
		return 1;
	conv_reset();
	a = documents_archive(e, &scratch);
	if (!a ||
	    archive_get(a, reg, version, "pdf", "both", &conv.pdf, &scratch) !=
		    MAJLIS_OK ||
	    archive_get(a, reg, version, "txt", "fr", &conv.text_fr,
			&scratch) != MAJLIS_OK ||
	    archive_get(a, reg, version, "txt", "ar", &conv.text_ar,
			&scratch) != MAJLIS_OK) {
		conv_reset();
		buf_release(&scratch);
		return 0;
	}
	if (documents_preview(e, "convocation", meeting, MODE_BOTH, FORMAT_HTML,
			      &html, &scratch) == MAJLIS_OK)
		html_body(&html, &conv.html);
	conv.meeting = meeting;
	conv.version = version;
	snprintf(conv.reg, sizeof(conv.reg), "%s", reg);
	buf_release(&html);
	buf_release(&scratch);
	return 1;
}

/* One paragraph of the greeting, in HTML, in its direction. */
static void
html_para(struct buf *out, const char *lang, const char *text)
{
	buf_addf(out, "<p lang=\"%s\" dir=\"%s\">", lang,
		 !strcmp(lang, "ar") ? "rtl" : "ltr");
	buf_add_html(out, text);
	buf_addstr(out, "</p>\n");
}

struct texts {
	struct buf subject;
	struct buf ar, fr;	/* the greeting, in each language */
};

static void
invitation_texts(struct engine *e, const struct person *p,
		 const struct meeting *m, int cancel, struct texts *t)
{
	struct buf when_fr = BUF_INIT, when_ar = BUF_INIT;
	int ar_first = !strcmp(p->lang, "ar");

	clock_format(e->clock, m->start, "fr", CLOCK_DATETIME, &when_fr);
	clock_format(e->clock, m->start, "ar", CLOCK_DATETIME, &when_ar);
	if (cancel) {
		buf_addf(&t->fr,
			 "%s,\n\nLa séance « %s » du %s est annulée. Elle est "
			 "retirée de votre agenda.\n",
			 p->name_fr.data, m->title_fr.data, when_fr.data);
		buf_addf(&t->ar,
			 "%s،\n\nنحيطكم علما بإلغاء «%s» المقررة يوم %s. "
			 "وقد حذفت من أجندتكم.\n",
			 p->name_ar.data, m->title_ar.data, when_ar.data);
	} else {
		buf_addf(&t->fr,
			 "%s,\n\nVous êtes convoqué%s à la %s, le %s, %s."
			 "\n\nVous trouverez ci-joint la convocation "
			 "et l'ordre du jour.%s\n\nPour répondre, répondez à "
			 "ce message par un mot : « oui », « non » ou « "
			 "peut-être », ou utilisez les boutons de votre "
			 "agenda.\n",
			 p->name_fr.data, p->female ? "e" : "",
			 m->title_lc_fr.data, when_fr.data, m->place_fr.data,
			 m->sequence > 0 ? " Cette convocation remplace la "
					   "précédente : la date ou le lieu "
					   "a changé."
					 : "");
		buf_addf(&t->ar,
			 "%s،\n\nيشرفنا استدعاؤكم لحضور «%s» يوم %s، بـ%s.\n\n"
			 "تجدون رفقته الاستدعاء وجدول الأعمال.%s\n\n"
			 "للرد، أجيبوا على هذه الرسالة بكلمة واحدة: «نعم» أو "
			 "«لا» أو «ربما»، أو استعملوا أزرار أجندتكم.\n",
			 p->name_ar.data, m->title_ar.data, when_ar.data,
			 m->place_ar.data,
			 m->sequence > 0 ? " ويلغي هذا الاستدعاء سابقه: تغير "
					   "التاريخ أو المكان."
					 : "");
	}
	if (ar_first)
		buf_addf(&t->subject, "%s: %s — %s : %s",
			 cancel ? "إلغاء" : "استدعاء", m->title_ar.data,
			 cancel ? "Annulation" : "Convocation",
			 m->title_fr.data);
	else
		buf_addf(&t->subject, "%s : %s — %s: %s",
			 cancel ? "Annulation" : "Convocation",
			 m->title_fr.data, cancel ? "إلغاء" : "استدعاء",
			 m->title_ar.data);
	buf_release(&when_fr);
	buf_release(&when_ar);
}

static enum majlis_status
load(struct engine *e, int64_t id, struct person *p, struct meeting *m,
     struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT p.id, p.gender, p.lang, p.email, p.phone,"
		" CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END"
		"  || p.given_fr || ' ' || p.family_fr,"
		" CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END"
		"  || p.given_ar || ' ' || p.family_ar,"
		" m.id, m.starts_at, coalesce(m.ends_at, m.starts_at),"
		" m.sequence, m.state, m.title_fr, m.title_ar, m.place_fr,"
		" m.place_ar, g.name_fr, g.name_ar"
		" FROM invitation i JOIN person p ON p.id = i.person_id"
		" JOIN meeting m ON m.id = i.meeting_id"
		" JOIN organization g ON g.id = m.organization_id"
		" WHERE i.id = ?1");
	int step;

	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		p->id = stmt_int(s, 0);
		p->female = !strcmp(stmt_text(s, 1), "F");
		snprintf(p->lang, sizeof(p->lang), "%s", stmt_text(s, 2));
		buf_addstr(&p->email, stmt_text(s, 3));
		buf_addstr(&p->phone, stmt_text(s, 4));
		buf_addstr(&p->name_fr, stmt_text(s, 5));
		buf_addstr(&p->name_ar, stmt_text(s, 6));
		m->id = stmt_int(s, 7);
		time_parse_utc(stmt_text(s, 8), &m->start);
		time_parse_utc(stmt_text(s, 9), &m->end);
		if (m->end <= m->start)
			m->end = m->start + 3 * 3600;
		m->sequence = (int)stmt_int(s, 10);
		snprintf(m->state, sizeof(m->state), "%s", stmt_text(s, 11));
		buf_addstr(&m->title_fr, stmt_text(s, 12));
		text_lower_first(stmt_text(s, 12), "fr", &m->title_lc_fr);
		buf_addstr(&m->title_ar, stmt_text(s, 13));
		buf_addstr(&m->place_fr, stmt_text(s, 14));
		buf_addstr(&m->place_ar, stmt_text(s, 15));
		buf_addstr(&m->org_fr, stmt_text(s, 16));
		buf_addstr(&m->org_ar, stmt_text(s, 17));
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "no invitation #%lld",
			     (long long)id);
	return MAJLIS_OK;
}

enum majlis_status
mailout_invitation(struct engine *e, int64_t id, int cancel,
		   struct buf *detail, struct buf *err)
{
	const struct mail_config *mc = e->mail;
	struct person p;
	struct meeting m;
	struct texts t;
	char token[TOKEN_LEN + 1], uid[128];
	struct buf reply = BUF_INIT, msgid = BUF_INIT, text = BUF_INIT;
	struct buf html = BUF_INIT, cal = BUF_INIT, raw = BUF_INIT;
	struct buf summary = BUF_INIT, location = BUF_INIT;
	struct buf description = BUF_INIT, pdfname = BUF_INIT;
	const char *domain;
	int have_conv = 0, ar_first;
	int64_t now = clock_now(e->clock), row;
	enum majlis_status rc;

	if (!mc)
		return error(err, MAJLIS_ERR_CONFIG,
			     "mail is not set up in this process");
	memset(&p, 0, sizeof(p));
	memset(&m, 0, sizeof(m));
	memset(&t, 0, sizeof(t));
	rc = load(e, id, &p, &m, err);
	if (rc == MAJLIS_OK && !p.email.len) {
		buf_addf(detail, "no e-mail address for person #%lld: no "
				 "invitation sent",
			 (long long)p.id);
		goto out;
	}
	if (rc != MAJLIS_OK)
		goto out;
	ar_first = !strcmp(p.lang, "ar");
	domain = strchr(mc->from, '@') ? strchr(mc->from, '@') + 1
				       : mc->domain;
	/* The token answers for this invitation until the meeting. */
	rc = token_issue(e, cancel ? "cancel" : "invitation", "invitation", id,
			 p.id, m.start > now ? m.start : now + 86400, token,
			 err);
	if (rc != MAJLIS_OK)
		goto out;
	token_address(mc->from, token, &reply);
	buf_addf(&msgid, "%s.%s@%s", cancel ? "cnl" : "inv", token, domain);
	snprintf(uid, sizeof(uid), "meeting-%lld@%s", (long long)m.id, domain);
	if (!cancel)
		have_conv = load_convocation(e, m.id);
	invitation_texts(e, &p, &m, cancel, &t);

	/* The text: the recipient's language first, then the other, then
	 * the convocation itself. */
	buf_addf(&text, "%s\n%s\n", ar_first ? t.ar.data : t.fr.data,
		 ar_first ? t.fr.data : t.ar.data);
	if (have_conv)
		buf_addf(&text, "\n-- \n%s\n%s",
			 ar_first ? conv.text_ar.data : conv.text_fr.data,
			 ar_first ? conv.text_fr.data : conv.text_ar.data);
	buf_addstr(&html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			  "</head><body>\n");
	{
		struct texts *tt = &t;
		const char *first = ar_first ? "ar" : "fr";
		const char *second = ar_first ? "fr" : "ar";
		char *blocks[2] = { ar_first ? tt->ar.data : tt->fr.data,
				    ar_first ? tt->fr.data : tt->ar.data };
		const char *langs[2] = { first, second };

		for (int k = 0; k < 2; k++) {
			char *line = blocks[k], *nl;

			while (line && *line) {
				nl = strchr(line, '\n');
				if (nl)
					*nl = '\0';
				if (*line)
					html_para(&html, langs[k], line);
				if (!nl)
					break;
				*nl = '\n';
				line = nl + 1;
			}
			buf_addstr(&html, "<hr>\n");
		}
	}
	if (have_conv && conv.html.len)
		buf_add(&html, conv.html.data, conv.html.len);
	buf_addstr(&html, "</body></html>\n");

	/* The calendar: one event, this attendee. */
	buf_addf(&summary, "%s — %s", ar_first ? m.title_ar.data
					      : m.title_fr.data,
		 ar_first ? m.title_fr.data : m.title_ar.data);
	buf_addf(&location, "%s — %s", ar_first ? m.place_ar.data
					       : m.place_fr.data,
		 ar_first ? m.place_fr.data : m.place_ar.data);
	buf_addf(&description, "%s\n%s", ar_first ? t.ar.data : t.fr.data,
		 ar_first ? t.fr.data : t.ar.data);
	{
		struct ical_person att = { ar_first ? p.name_ar.data
						    : p.name_fr.data,
					   p.email.data };
		struct ical_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.uid = uid;
		ev.sequence = m.sequence;
		ev.start = m.start;
		ev.end = m.end;
		ev.summary = summary.data;
		ev.location = location.data;
		ev.description = description.data;
		ev.organizer.name = ar_first ? mc->name_ar : mc->name_fr;
		ev.organizer.addr = reply.data;
		ev.attendee = &att;
		ev.partstat = "NEEDS-ACTION";
		ev.alarms = 1;
		rc = ical_build(cancel ? ICAL_CANCEL : ICAL_REQUEST, mc->tz,
				now, &ev, 1, &cal, err);
	}
	if (rc == MAJLIS_OK) {
		struct mime_addr from = { ar_first ? mc->name_ar : mc->name_fr,
					  mc->from };
		struct mime_addr to = { ar_first ? p.name_ar.data
						 : p.name_fr.data,
					p.email.data };
		struct mime_addr rt = { ar_first ? mc->name_ar : mc->name_fr,
					reply.data };
		struct mime_part calpart = {
			cancel ? "text/calendar; method=CANCEL; charset=utf-8"
			       : "text/calendar; method=REQUEST; charset=utf-8",
			cal.data, cal.len, NULL, NULL
		};
		struct mime_part files[2];
		size_t nfiles = 0;
		struct buf object = BUF_INIT;
		struct mime_header headers[MIME_SYSTEM_HEADERS];
		size_t nh;
		struct mime_message mm;

		buf_addf(&object, "invitation/%lld", (long long)id);
		nh = mime_system_headers(headers, object.data, 1,
					 cancel ? NULL : reply.data);
		if (have_conv) {
			buf_addf(&pdfname, "%s.pdf", conv.reg);
			files[nfiles++] = (struct mime_part){
				"application/pdf", conv.pdf.data, conv.pdf.len,
				pdfname.data, NULL
			};
		}
		files[nfiles++] = (struct mime_part){
			"application/ics", cal.data, cal.len,
			cancel ? "cancel.ics" : "invitation.ics", NULL
		};
		memset(&mm, 0, sizeof(mm));
		mm.from = from;
		mm.to = to;
		mm.reply_to = &rt;
		mm.subject = t.subject.data;
		mm.date = now;
		mm.date_offset = mailout_offset(e, now);
		mm.message_id = msgid.data;
		mm.language = p.lang;
		mm.text = text.data;
		mm.html = html.data;
		mm.calendar = &calpart;
		mm.attachments = files;
		mm.nattachments = nfiles;
		mm.headers = headers;
		mm.nheaders = nh;
		rc = mime_build(&mm, &raw, err);
		buf_release(&object);
	}
	if (rc == MAJLIS_OK) {
		struct outbox_msg om;

		memset(&om, 0, sizeof(om));
		om.channel = CHANNEL_EMAIL;
		om.kind = cancel ? "cancel" : "invitation";
		om.message_id = msgid.data;
		om.person_id = p.id;
		om.recipient = p.email.data;
		om.sender = reply.data;
		om.subject = t.subject.data;
		om.object_kind = "invitation";
		om.object_id = id;
		om.raw = raw.data;
		om.len = raw.len;
		om.not_before = outbox_after_quiet(e, now);
		rc = outbox_queue(e, &om, &row, err);
		if (rc == MAJLIS_OK)
			buf_addf(detail, "%s to %s queued (outbox #%lld%s)",
				 cancel ? "cancellation" : "invitation",
				 p.email.data, (long long)row,
				 have_conv ? ", with the convocation" : "");
	}
out:
	person_release(&p);
	meeting_release(&m);
	buf_release(&t.subject);
	buf_release(&t.ar);
	buf_release(&t.fr);
	buf_release(&reply);
	buf_release(&msgid);
	buf_release(&text);
	buf_release(&html);
	buf_release(&cal);
	buf_release(&raw);
	buf_release(&summary);
	buf_release(&location);
	buf_release(&description);
	buf_release(&pdfname);
	return rc;
}

/*
 * A dossier's files in the archive (attachments filed with it, documents
 * about it), latest versions, as PDF where there is one; up to
 * REQUEST_MAX_ATTACH bytes in all, the others named in the text.
 */
#define REQUEST_MAX_ATTACH (8u << 20)

struct dossier_file {
	char reg[40];
	char title_fr[256], title_ar[256];
	struct buf data;
	char name[80];
	const char *type;
};

static size_t
dossier_files(struct engine *e, int64_t dossier, struct dossier_file **out,
	      struct buf *listing_fr, struct buf *listing_ar)
{
	struct archive *a = e->docs ? documents_archive(e, NULL) : NULL;
	struct stmt *s;
	struct dossier_file *f = NULL;
	size_t n = 0, cap = 0, total = 0;
	int step;

	*out = NULL;
	if (!a)
		return 0;
	s = store_prepare(e->store,
			  "SELECT register_no, title_fr, title_ar FROM document"
			  " WHERE dossier_id = ?1 ORDER BY id");
	stmt_bind(s, "i", dossier);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&f, &cap, n + 1, sizeof(*f));
		memset(&f[n], 0, sizeof(f[n]));
		snprintf(f[n].reg, sizeof(f[n].reg), "%s", stmt_text(s, 0));
		snprintf(f[n].title_fr, sizeof(f[n].title_fr), "%s",
			 stmt_text(s, 1));
		snprintf(f[n].title_ar, sizeof(f[n].title_ar), "%s",
			 stmt_text(s, 2));
		n++;
	}
	stmt_done(s);
	for (size_t i = 0; i < n; i++) {
		struct archive_fileinfo info;
		struct buf scratch = BUF_INIT;

		buf_init(&f[i].data);
		if (archive_fetch(a, f[i].reg, 0, NULL, NULL, &info, &f[i].data,
				  &scratch) == MAJLIS_OK &&
		    total + f[i].data.len <= REQUEST_MAX_ATTACH) {
			total += f[i].data.len;
			snprintf(f[i].name, sizeof(f[i].name), "%s.%s",
				 f[i].reg, info.format);
			f[i].type = !strcmp(info.format, "pdf")
					    ? "application/pdf"
				    : !strcmp(info.format, "txt")
					    ? "text/plain; charset=utf-8"
					    : "application/octet-stream";
		} else {
			buf_release(&f[i].data);
		}
		buf_addf(listing_fr, "- %s : %s%s\n", f[i].reg, f[i].title_fr,
			 f[i].type ? "" : " (dans l'archive, trop lourd pour "
					  "être joint)");
		buf_addf(listing_ar, "- %s: %s%s\n", f[i].reg, f[i].title_ar,
			 f[i].type ? "" : " (في الأرشيف، حجمه لا يسمح بإرفاقه)");
		buf_release(&scratch);
	}
	*out = f;
	return n;
}

enum majlis_status
mailout_request(struct engine *e, int64_t id, struct buf *detail,
		struct buf *err)
{
	const struct mail_config *mc = e->mail;
	struct stmt *s;
	struct person p;
	struct buf ref = BUF_INIT, title_fr = BUF_INIT, title_ar = BUF_INIT;
	struct buf comment = BUF_INIT, due_fr = BUF_INIT, due_ar = BUF_INIT;
	struct buf fr = BUF_INIT, ar = BUF_INIT, subject = BUF_INIT;
	struct buf text = BUF_INIT, html = BUF_INIT, raw = BUF_INIT;
	struct buf reply = BUF_INIT, msgid = BUF_INIT, object = BUF_INIT;
	struct buf list_fr = BUF_INIT, list_ar = BUF_INIT;
	struct dossier_file *files = NULL;
	size_t nfiles = 0;
	char token[TOKEN_LEN + 1];
	int64_t now = clock_now(e->clock), due = 0, row;
	int step, ar_first;
	const char *domain;
	enum majlis_status rc = MAJLIS_OK;

	if (!mc)
		return error(err, MAJLIS_ERR_CONFIG,
			     "mail is not set up in this process");
	memset(&p, 0, sizeof(p));
	s = store_prepare(
		e->store,
		"SELECT d.ref, d.title_fr, d.title_ar, d.comment, d.due_at,"
		" p.id, p.gender, p.lang, p.email,"
		" CASE p.gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END"
		"  || p.given_fr || ' ' || p.family_fr,"
		" CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END"
		"  || p.given_ar || ' ' || p.family_ar"
		" FROM dossier d JOIN person p ON p.id = d.owner_id"
		" WHERE d.id = ?1");
	stmt_bind(s, "i", id);
	step = stmt_step(s);
	if (step == 1) {
		buf_addstr(&ref, stmt_text(s, 0));
		buf_addstr(&title_fr, stmt_text(s, 1));
		buf_addstr(&title_ar, stmt_text(s, 2));
		buf_addstr(&comment, stmt_text(s, 3));
		if (!stmt_is_null(s, 4))
			time_parse_utc(stmt_text(s, 4), &due);
		p.id = stmt_int(s, 5);
		p.female = !strcmp(stmt_text(s, 6), "F");
		snprintf(p.lang, sizeof(p.lang), "%s", stmt_text(s, 7));
		buf_addstr(&p.email, stmt_text(s, 8));
		buf_addstr(&p.name_fr, stmt_text(s, 9));
		buf_addstr(&p.name_ar, stmt_text(s, 10));
	}
	stmt_done(s);
	if (step < 0) {
		rc = error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
		goto out;
	}
	if (step == 0) {
		buf_addf(detail, "dossier #%lld has no owner: no request sent",
			 (long long)id);
		goto out;
	}
	if (!p.email.len) {
		buf_addf(detail, "no e-mail address for person #%lld: no "
				 "request sent",
			 (long long)p.id);
		goto out;
	}
	ar_first = !strcmp(p.lang, "ar");
	domain = strchr(mc->from, '@') ? strchr(mc->from, '@') + 1
				       : mc->domain;
	rc = token_issue(e, "request", "dossier", id, p.id,
			 (due > now ? due : now) + 30 * 86400, token, err);
	if (rc != MAJLIS_OK)
		goto out;
	token_address(mc->from, token, &reply);
	buf_addf(&msgid, "req.%s@%s", token, domain);
	nfiles = dossier_files(e, id, &files, &list_fr, &list_ar);
	if (due) {
		clock_format(e->clock, due, "fr", CLOCK_DATE, &due_fr);
		clock_format(e->clock, due, "ar", CLOCK_DATE, &due_ar);
	}
	buf_addf(&fr,
		 "%s,\n\nLe dossier %s « %s » attend votre décision%s%s."
		 "%s%s\n\nPour répondre, répondez à ce message par un seul "
		 "mot :\n- « approuver » (ou « oui »),\n- « rejeter » (ou "
		 "« non »),\n- « renvoyer » pour le renvoyer pour "
		 "modifications,\nsuivi, si vous le souhaitez, de votre "
		 "commentaire.\n",
		 p.name_fr.data, ref.data, title_fr.data,
		 due ? " avant le " : "", due ? due_fr.data : "",
		 comment.len ? "\n\nNote : " : "",
		 comment.len ? comment.data : "");
	if (list_fr.len)
		buf_addf(&fr, "\nPièces du dossier :\n%s", list_fr.data);
	buf_addf(&ar,
		 "%s،\n\nينتظر الملف %s «%s» قراركم%s%s.%s%s\n\n"
		 "للرد، أجيبوا على هذه الرسالة بكلمة واحدة:\n"
		 "- «موافقة» (أو «نعم»)،\n- «رفض» (أو «لا»)،\n"
		 "- «إعادة» لإعادته من أجل التعديل،\n"
		 "متبوعة، إن شئتم، بملاحظتكم.\n",
		 p.name_ar.data, ref.data, title_ar.data,
		 due ? " قبل " : "", due ? due_ar.data : "",
		 comment.len ? "\n\nملاحظة: " : "",
		 comment.len ? comment.data : "");
	if (list_ar.len)
		buf_addf(&ar, "\nوثائق الملف:\n%s", list_ar.data);
	if (ar_first)
		buf_addf(&subject, "للموافقة: الملف %s — À approuver : "
				   "dossier %s",
			 ref.data, ref.data);
	else
		buf_addf(&subject, "À approuver : dossier %s — للموافقة: "
				   "الملف %s",
			 ref.data, ref.data);
	buf_addf(&text, "%s\n%s", ar_first ? ar.data : fr.data,
		 ar_first ? fr.data : ar.data);
	buf_addstr(&html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			  "</head><body>\n");
	for (int k = 0; k < 2; k++) {
		const char *lang = (k == 0) == ar_first ? "ar" : "fr";
		char *block = (k == 0) == ar_first ? ar.data : fr.data;
		char *line = block, *nl;

		while (line && *line) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (*line)
				html_para(&html, lang, line);
			if (!nl)
				break;
			*nl = '\n';
			line = nl + 1;
		}
		if (k == 0)
			buf_addstr(&html, "<hr>\n");
	}
	buf_addstr(&html, "</body></html>\n");
	{
		struct mime_addr from = { ar_first ? mc->name_ar : mc->name_fr,
					  mc->from };
		struct mime_addr to = { ar_first ? p.name_ar.data
						 : p.name_fr.data,
					p.email.data };
		struct mime_addr rt = { ar_first ? mc->name_ar : mc->name_fr,
					reply.data };
		struct mime_part *att = xcalloc(nfiles ? nfiles : 1,
						sizeof(*att));
		size_t natt = 0;
		struct mime_header headers[MIME_SYSTEM_HEADERS];
		size_t nh;
		struct mime_message mm;

		for (size_t i = 0; i < nfiles; i++)
			if (files[i].type)
				att[natt++] = (struct mime_part){
					files[i].type, files[i].data.data,
					files[i].data.len, files[i].name, NULL
				};
		buf_addf(&object, "dossier/%lld", (long long)id);
		nh = mime_system_headers(headers, object.data, 1, reply.data);
		memset(&mm, 0, sizeof(mm));
		mm.from = from;
		mm.to = to;
		mm.reply_to = &rt;
		mm.subject = subject.data;
		mm.date = now;
		mm.date_offset = mailout_offset(e, now);
		mm.message_id = msgid.data;
		mm.language = p.lang;
		mm.text = text.data;
		mm.html = html.data;
		mm.attachments = att;
		mm.nattachments = natt;
		mm.headers = headers;
		mm.nheaders = nh;
		rc = mime_build(&mm, &raw, err);
		free(att);
	}
	if (rc == MAJLIS_OK) {
		struct outbox_msg om;

		memset(&om, 0, sizeof(om));
		om.channel = CHANNEL_EMAIL;
		om.kind = "request";
		om.message_id = msgid.data;
		om.person_id = p.id;
		om.recipient = p.email.data;
		om.sender = reply.data;
		om.subject = subject.data;
		om.object_kind = "dossier";
		om.object_id = id;
		om.raw = raw.data;
		om.len = raw.len;
		om.not_before = outbox_after_quiet(e, now);
		rc = outbox_queue(e, &om, &row, err);
		if (rc == MAJLIS_OK)
			buf_addf(detail, "request for %s to %s queued (outbox "
					 "#%lld, %zu file%s)",
				 ref.data, p.email.data, (long long)row, nfiles,
				 nfiles == 1 ? "" : "s");
	}
out:
	for (size_t i = 0; i < nfiles; i++)
		buf_release(&files[i].data);
	free(files);
	person_release(&p);
	buf_release(&ref);
	buf_release(&title_fr);
	buf_release(&title_ar);
	buf_release(&comment);
	buf_release(&due_fr);
	buf_release(&due_ar);
	buf_release(&fr);
	buf_release(&ar);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&html);
	buf_release(&raw);
	buf_release(&reply);
	buf_release(&msgid);
	buf_release(&object);
	buf_release(&list_fr);
	buf_release(&list_ar);
	return rc;
}
