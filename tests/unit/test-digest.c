/*
 * test-digest.c - the daily digests and the private calendar feeds, read
 * back: each section says what concerns the person, with its count, in
 * their language first; a person with nothing gets no mail but their day
 * is recorded; one digest a person a day, made once the digest hour has
 * come; days begin at local midnight in Casablanca, whatever the offset
 * (Ramadan's +00 as the rest of the year's +01); management gets the key
 * figures of the Commune and their chart, a PNG of the expected size
 * that cairo reads back; feeds parse with libical, keep the invitations'
 * UIDs and SEQUENCE, and are rewritten only when they change.
 */
#include "testlib.h"

#include <cairo.h>
#include <libetpan/libetpan.h>
#include <libical/ical.h>
#include <sodium.h>
#include <sys/stat.h>

#include "chart.h"
#include "digest.h"
#include "document.h"
#include "feed.h"
#include "mime.h"
#include "outbox.h"
#include "periodic.h"
#include "render.h"

/* fontconfig's own allocations, kept for the process's life (the
 * chart draws with the renderer's fonts); see test-render.c. */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static struct mail_config mc;
static char maildir[300], feeddir[300];

static void
mail_env(struct test_env *t)
{
	memset(&mc, 0, sizeof(mc));
	snprintf(maildir, sizeof(maildir), "%s/mail/outbox", t->dir);
	snprintf(feeddir, sizeof(feeddir), "%s/out/calendars", t->dir);
	mc.domain = "casablanca.test";
	mc.from = "conseil@casablanca.test";
	mc.name_fr = "Conseil de la Commune";
	mc.name_ar = "مجلس الجماعة";
	mc.tz = "Africa/Casablanca";
	mc.transport = TRANSPORT_MAILDIR;
	mc.maildir = maildir;
	mc.feed_dir = feeddir;
	mc.digest_hour = 7;
	mc.quiet_from = 21 * 60;
	mc.quiet_to = 7 * 60;
	t->e.mail = &mc;
}

static void
set_now(struct test_env *t, const char *iso)
{
	clock_set_now(t->e.clock, test_time(t->e.clock, iso));
}

/* SQL with one text substituted for every %s (a time, a code). */
static void
execf(struct test_env *t, const char *fmt, ...)
{
	struct buf sql = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&sql, fmt, ap);
	va_end(ap);
	test_exec(t, sql.data);
	buf_release(&sql);
}

/* A UTC text for a local time. */
static const char *
utc(struct test_env *t, const char *local)
{
	static char out[8][TIME_LEN];
	static int k;

	k = (k + 1) % 8;
	time_format_utc(test_time(t->e.clock, local), out[k]);
	return out[k];
}

static void
person(struct test_env *t, const char *code, const char *lang,
       const char *email, const char *gender)
{
	execf(t,
	      "INSERT INTO person(code, kind, gender, given_fr, family_fr,"
	      " given_ar, family_ar, lang, email, created_at) VALUES"
	      " ('%s', 'elu', '%s', 'Prénom%s', 'Nom', 'اسم', 'عائلي', '%s',"
	      " %s, '2026-01-01T00:00:00Z')",
	      code, gender, code, lang, email);
}

static void
member(struct test_env *t, const char *code, const char *org,
       const char *role)
{
	execf(t,
	      "INSERT INTO membership(person_id, organization_id, role,"
	      " from_date) VALUES ((SELECT id FROM person WHERE code = '%s'),"
	      " (SELECT id FROM organization WHERE code = '%s'), '%s',"
	      " '2021-09-01')",
	      code, org, role);
}

/* A meeting of the council starting at local time start; its id. */
static int64_t
meeting(struct test_env *t, const char *start, const char *state,
	const char *title)
{
	execf(t,
	      "INSERT INTO meeting(organization_id, title_fr, title_ar,"
	      " starts_at, ends_at, place_fr, place_ar, state, state_since,"
	      " created_at) VALUES ((SELECT id FROM organization WHERE"
	      " code = 'CC'), '%s', 'جلسة %s', '%s', NULL, 'Salle des"
	      " délibérations', 'قاعة المداولات', '%s',"
	      " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
	      title, title, utc(t, start), state);
	return store_last_id(t->e.store);
}

static void
invite(struct test_env *t, int64_t m, const char *code, const char *state)
{
	execf(t,
	      "INSERT INTO invitation(meeting_id, person_id, state,"
	      " state_since, created_at) VALUES (%lld, (SELECT id FROM"
	      " person WHERE code = '%s'), '%s', '2026-01-01T00:00:00Z',"
	      " '2026-01-01T00:00:00Z')",
	      (long long)m, code, state);
}

/* Everything of the digest's sections, around 2026-11-29 (+01). */
static void
council(struct test_env *t)
{
	int64_t today, soon, past;

	person(t, "P1", "fr", "'p1@casablanca.test'", "M");
	person(t, "P2", "ar", "'p2@casablanca.test'", "F");
	person(t, "P3", "fr", "'p3@casablanca.test'", "M"); /* nothing */
	person(t, "P4", "ar", "NULL", "M");		    /* no address */
	today = meeting(t, "2026-11-29T10:00", "convoked", "Séance du jour");
	soon = meeting(t, "2026-12-02T10:00", "convoked", "Séance prochaine");
	past = meeting(t, "2026-11-28T10:00", "closed", "Séance passée");
	meeting(t, "2026-12-20T10:00", "draft", "Séance en préparation");
	invite(t, today, "P1", "accepted");
	invite(t, soon, "P1", "sent");
	invite(t, past, "P1", "accepted");
	invite(t, today, "P4", "sent");
	execf(t,
	      "INSERT INTO document(register_no, kind, year, seq, title_fr,"
	      " title_ar, meeting_id, subject, created_at) VALUES"
	      " ('CONV-2026-0007', 'convocation', 2026, 7, 'C', 'C', %lld,"
	      " 'meeting:%lld', '2026-01-01T00:00:00Z')",
	      (long long)today, (long long)today);
	execf(t,
	      "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id,"
	      " owner_id, due_at, state, state_since, created_at) VALUES"
	      " ('DOS-2026-0001', 'budget', 'Budget annexe', 'الميزانية"
	      " الملحقة', 1, (SELECT id FROM person WHERE code = 'P1'), '%s',"
	      " 'in_review', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
	      " ('DOS-2026-0002', 'budget', 'Convention', 'اتفاقية', 1,"
	      " (SELECT id FROM person WHERE code = 'P1'), NULL, 'approved',"
	      " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
	      utc(t, "2026-11-20T09:00"));
	execf(t,
	      "INSERT INTO task(title_fr, title_ar, assignee_id, due_at,"
	      " state, state_since, created_at) VALUES"
	      " ('Réserver la salle', 'حجز القاعة', (SELECT id FROM person"
	      "  WHERE code = 'P2'), '%s', 'open', '2026-01-01T00:00:00Z',"
	      "  '2026-01-01T00:00:00Z'),"
	      " ('Publier les décisions', 'نشر المقررات', (SELECT id FROM"
	      "  person WHERE code = 'P2'), '%s', 'open',"
	      "  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
	      " ('Plus tard', 'لاحقا', (SELECT id FROM person"
	      "  WHERE code = 'P2'), '%s', 'open', '2026-01-01T00:00:00Z',"
	      "  '2026-01-01T00:00:00Z'),"
	      " ('Fait', 'منجزة', (SELECT id FROM person WHERE code = 'P2'),"
	      "  '%s', 'done', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
	      utc(t, "2026-11-30T09:00"), utc(t, "2026-11-20T09:00"),
	      utc(t, "2026-12-20T09:00"), utc(t, "2026-11-20T09:00"));
	execf(t,
	      "INSERT INTO decision(number, body_id, meeting_id, title_fr,"
	      " title_ar, votes_for, votes_against, votes_abstain, adopted,"
	      " decided_at) VALUES"
	      " ('CASA-DEL-2026-0001', 1, %lld, 'Adoption du budget',"
	      "  'المصادقة على الميزانية', 40, 3, 2, 1, '%s'),"
	      " ('CASA-DEL-2026-0000', 1, %lld, 'Ancienne', 'قديمة', 1, 0,"
	      "  0, 1, '%s')",
	      (long long)past, utc(t, "2026-11-28T12:00"), (long long)past,
	      utc(t, "2026-11-27T23:59"));
}

/* ---- reading messages back -------------------------------------- */

/* The decoded body of the first part of type (e.g. "text/plain") in
 * the message, appended to out; Content-ID into cid if given. */
static int
find_part(struct mailmime *m, const char *type, struct buf *out,
	  struct buf *cid)
{
	struct mailmime_content *ct = m->mm_content_type;

	if (m->mm_type == MAILMIME_MESSAGE)
		return find_part(m->mm_data.mm_message.mm_msg_mime, type, out,
				 cid);
	if (m->mm_type == MAILMIME_MULTIPLE) {
		for (clistiter *it = clist_begin(
			     m->mm_data.mm_multipart.mm_mp_list);
		     it; it = clist_next(it))
			if (find_part(clist_content(it), type, out, cid))
				return 1;
		return 0;
	}
	if (ct && ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		const char *top;
		char full[128];

		switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			top = "text";
			break;
		case MAILMIME_DISCRETE_TYPE_IMAGE:
			top = "image";
			break;
		default:
			top = "other";
		}
		snprintf(full, sizeof(full), "%s/%s", top, ct->ct_subtype);
		if (!strcasecmp(full, type)) {
			struct mailmime_data *d = m->mm_data.mm_single;
			const char *body = d->dt_data.dt_text.dt_data;
			size_t n = d->dt_data.dt_text.dt_length;
			size_t idx = 0, len = 0;
			char *res = NULL;

			assert_int_equal(mailmime_part_parse(body, n, &idx,
							     d->dt_encoding,
							     &res, &len),
					 MAILIMF_NO_ERROR);
			/* Text in LF, as the tests write it. */
			for (size_t i = 0; i < len; i++)
				if (res[i] != '\r' || strncmp(type, "text/", 5))
					buf_addch(out, res[i]);
			mailmime_decoded_part_free(res);
			if (cid && m->mm_mime_fields)
				for (clistiter *it = clist_begin(
					     m->mm_mime_fields->fld_list);
				     it; it = clist_next(it)) {
					struct mailmime_field *f =
						clist_content(it);

					if (f->fld_type == MAILMIME_FIELD_ID)
						buf_addstr(cid,
							   f->fld_data.fld_id);
				}
			return 1;
		}
	}
	return 0;
}

static int
part_of(const struct buf *raw, const char *type, struct buf *out,
	struct buf *cid)
{
	struct mailmime *mime = NULL;
	size_t idx = 0;
	int found;

	assert_int_equal(mailmime_parse(raw->data, raw->len, &idx, &mime),
			 MAILIMF_NO_ERROR);
	found = find_part(mime, type, out, cid);
	mailmime_free(mime);
	return found;
}

/* The raw message queued for person code, on day (YYYYMMDD). */
static int
queued(struct test_env *t, const char *code, const char *day,
       struct buf *raw)
{
	struct buf id = BUF_INIT;
	int64_t row;
	int found;

	buf_addf(&id, "dig.%s.%s@casablanca.test", code, day);
	found = store_get_int(t->e.store, &t->err, &row,
			      "SELECT id FROM outbox WHERE message_id = ?1"
			      " AND kind = 'digest'",
			      "s", id.data) == MAJLIS_OK;
	buf_release(&id);
	if (found && raw)
		assert_int_equal(outbox_raw(&t->e, row, raw, &t->err),
				 MAJLIS_OK);
	buf_reset(&t->err);
	return found;
}

/* The plain text of person code's digest today (a preview). */
static int
preview_text(struct test_env *t, const char *code, struct buf *text)
{
	struct buf raw = BUF_INIT, plain = BUF_INIT;
	int items = -1;

	if (digest_preview(&t->e, code, &raw, &plain, &items, &t->err) !=
	    MAJLIS_OK)
		fail_msg("%s", t->err.data);
	/* The text given is the text of the message. */
	assert_true(part_of(&raw, "text/plain", text, NULL));
	assert_string_equal(text->data, plain.data);
	buf_release(&plain);
	buf_release(&raw);
	return items;
}

static void
has(const struct buf *b, const char *s)
{
	if (!strstr(b->data, s))
		fail_msg("'%s' not in:\n%s", s, b->data);
}

static void
has_text(const char *text, const char *s)
{
	if (!strstr(text, s))
		fail_msg("'%s' not in:\n%s", s, text);
}

static void
lacks(const struct buf *b, const char *s)
{
	if (strstr(b->data, s))
		fail_msg("'%s' unexpectedly in:\n%s", s, b->data);
}

struct png_reader {
	const struct buf *b;
	size_t at;
};

static cairo_status_t
png_read(void *closure, unsigned char *data, unsigned int len)
{
	struct png_reader *r = closure;

	if (r->b->len - r->at < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->data + r->at, len);
	r->at += len;
	return CAIRO_STATUS_SUCCESS;
}

/* Reads png back with cairo: it must be a valid PNG of w x h pixels.
 * Returns how many of its pixels are of colour rgb. */
static int
count_colour(const struct buf *png, int w, int h, unsigned rgb)
{
	struct png_reader rd = { png, 0 };
	cairo_surface_t *s;
	unsigned char *px;
	int stride, n = 0;

	assert_true(png->len > 8);
	assert_memory_equal(png->data, "\x89PNG\r\n\x1a\n", 8);
	s = cairo_image_surface_create_from_png_stream(png_read, &rd);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), w);
	assert_int_equal(cairo_image_surface_get_height(s), h);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t p;

			memcpy(&p, px + y * stride + x * 4, 4);
			n += (p & 0xffffff) == rgb;
		}
	cairo_surface_destroy(s);
	return n;
}

/* ---- tests -------------------------------------------------------- */

static void
test_sections_and_languages(void **state)
{
	struct test_env t;
	struct digest_counts c;
	struct buf raw = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	struct buf v = BUF_INIT;
	const char *fr, *ar;

	(void)state;
	test_env_open(&t, "2026-11-29T07:30");
	mail_env(&t);
	council(&t);
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	/* P1 and P2 have something; P3 nothing; P4 has no address. */
	assert_int_equal(c.sent, 2);
	assert_int_equal(c.empty, 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest"), 3);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest d JOIN"
				      " person p ON p.id = d.person_id WHERE"
				      " p.code = 'P3' AND d.items = 0 AND"
				      " d.outbox_id IS NULL"),
			 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " kind = 'digest'"),
			 2);
	assert_false(queued(&t, "P3", "20261129", NULL));

	/* P1, in French first: every section with its count. */
	assert_true(queued(&t, "P1", "20261129", &raw));
	assert_true(part_of(&raw, "text/plain", &text, NULL));
	fr = strstr(text.data, "Voici votre bulletin du dimanche 29 novembre "
			       "2026.");
	ar = strstr(text.data,
		    "إليكم نشرتكم اليومية ليوم الأحد 29 نونبر 2026.");
	assert_non_null(fr);
	assert_non_null(ar);
	assert_true(fr < ar);
	has(&text, "Vos séances d'aujourd'hui (1)\n- 10h00 — Séance du jour, "
		   "Salle des délibérations — votre réponse : Présence "
		   "confirmée (convocation CONV-2026-0007)");
	has(&text, "Vos séances des six jours suivants (1)\n- mercredi 2 "
		   "décembre 2026 à 10h00 — Séance prochaine");
	has(&text, "Invitations en attente de votre réponse (1)");
	has(&text, "Dossiers en attente de votre décision (1)\n- "
		   "DOS-2026-0001 — Budget annexe — échéance : vendredi 20 "
		   "novembre 2026 (en retard)");
	has(&text, "Décisions d'hier et d'aujourd'hui (1)\n- "
		   "CASA-DEL-2026-0001 — Adoption du budget : adoptée (40 "
		   "pour, 3 contre, 2 abstentions)");
	has(&text, "- CASA-DEL-2026-0001 — المصادقة على الميزانية: تمت "
		   "المصادقة عليه (الموافقون: 40، المعارضون: 3، الممتنعون: 2)");
	has(&text, "جلساتكم اليوم (1)");
	lacks(&text, "DOS-2026-0002");	/* approved: not waiting */
	lacks(&text, "CASA-DEL-2026-0000");	/* before yesterday */
	lacks(&text, "en préparation");	/* a draft is not convoked */
	lacks(&text, "Chiffres clés");	/* not management */
	/* Headers: stable Message-ID, the subject in French first. */
	assert_non_null(strstr(raw.data, "Message-ID: "
					 "<dig.P1.20261129@casablanca.test>"));
	assert_non_null(strstr(raw.data, "Auto-Submitted: auto-generated"));
	{
		size_t idx = 0;
		struct mailimf_fields *f = NULL;

		assert_int_equal(mailimf_fields_parse(raw.data, raw.len, &idx,
						      &f),
				 MAILIMF_NO_ERROR);
		for (clistiter *it = clist_begin(f->fld_list); it;
		     it = clist_next(it)) {
			struct mailimf_field *fld = clist_content(it);
			const char *subject;

			if (fld->fld_type != MAILIMF_FIELD_SUBJECT)
				continue;
			subject = fld->fld_data.fld_subject->sbj_value;
			assert_int_equal(mime_decode_words(subject, &v), 0);
		}
		mailimf_fields_free(f);
	}
	assert_string_equal(v.data, "Bulletin du dimanche 29 novembre 2026 — "
				    "النشرة اليومية ليوم الأحد 29 نونبر 2026");
	/* HTML: each language in its direction, no picture. */
	assert_true(part_of(&raw, "text/html", &html, NULL));
	has(&html, "<html lang=\"fr\" dir=\"ltr\">");
	has(&html, "<div lang=\"ar\" dir=\"rtl\"");
	lacks(&html, "<img");
	buf_reset(&raw);
	buf_reset(&text);
	buf_reset(&html);

	/* P2, in Arabic first: tasks due in the week or late. */
	assert_true(queued(&t, "P2", "20261129", &raw));
	assert_true(part_of(&raw, "text/plain", &text, NULL));
	fr = strstr(text.data, "Vos tâches");
	ar = strstr(text.data,
		    "مهامكم التي يحل أجلها خلال الأسبوع أو المتأخرة (2)");
	assert_non_null(fr);
	assert_non_null(ar);
	assert_true(ar < fr);
	has(&text, "Vos tâches à échéance dans la semaine ou en retard (2)");
	has(&text, "— نشر المقررات — الأجل: الجمعة 20 نونبر 2026 (متأخرة)");
	has(&text, "— Réserver la salle — échéance : lundi 30 novembre 2026\n");
	lacks(&text, "Plus tard");
	lacks(&text, "Fait");
	has(&text, "السيدة اسم عائلي،");
	assert_true(part_of(&raw, "text/html", &html, NULL));
	has(&html, "<html lang=\"ar\" dir=\"rtl\">");
	buf_release(&raw);
	buf_release(&text);
	buf_release(&html);
	buf_release(&v);
	test_env_close(&t);
}

static void
test_once_a_day(void **state)
{
	struct test_env t;
	struct digest_counts c;

	(void)state;
	test_env_open(&t, "2026-11-29T06:59");
	mail_env(&t);
	council(&t);
	/* Before the hour: nothing, not even a record. */
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent + c.empty, 0);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest"), 0);
	/* Forced, for one person. */
	assert_int_equal(digest_make(&t.e, "P1", DIGEST_FORCE, &c, &t.err),
			 MAJLIS_OK);
	assert_int_equal(c.sent, 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest"), 1);
	/* At the hour, the others; P1 is not examined again. */
	set_now(&t, "2026-11-29T07:00");
	assert_int_equal(digest_tick(&t.e, NULL, NULL, &t.err), MAJLIS_OK);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest"), 3);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox"), 2);
	/* Later the same day, forced or not: nothing more. */
	set_now(&t, "2026-11-29T18:00");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent + c.empty, 0);
	assert_int_equal(digest_make(&t.e, NULL, DIGEST_FORCE, &c, &t.err),
			 MAJLIS_OK);
	assert_int_equal(c.sent + c.empty, 0);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox"), 2);
	/* The next morning, a new day: P1's meeting of the 2nd is still
	 * ahead, so a new digest; quiet hours hold it until 07:00. */
	mc.digest_hour = 6;
	set_now(&t, "2026-11-30T06:10");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent, 2);
	assert_int_equal(c.empty, 1);
	assert_true(queued(&t, "P1", "20261130", NULL));
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " message_id LIKE 'dig.P1.20261130@%'"
				      " AND next_at = '2026-11-30T06:00:00Z'"),
			 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest WHERE"
				      " day = '2026-11-30'"),
			 3);
	/* An unknown person, or one without an address, is an error, not
	 * a silent nothing. */
	assert_int_equal(digest_make(&t.e, "P9", DIGEST_FORCE, &c, &t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(digest_make(&t.e, "P4", DIGEST_FORCE, &c, &t.err),
			 MAJLIS_ERR_DATA);
	test_env_close(&t);
}

/* Local midnight, at +01 and at Ramadan's +00 (2027-02-07 to 03-14). */
static void
test_day_boundaries(void **state)
{
	struct test_env t;
	struct digest_counts c;
	struct buf text = BUF_INIT;

	(void)state;
	test_env_open(&t, "2027-01-10T12:00");
	mail_env(&t);
	mc.digest_hour = 0;
	mc.quiet_from = mc.quiet_to = 0;
	person(&t, "P1", "fr", "'p1@casablanca.test'", "M");
	/* 23:30 UTC: the same local day in Ramadan, the next one else. */
	invite(&t, meeting(&t, "2027-01-11T23:30Z", "convoked", "Janvier"),
	       "P1", "accepted");
	invite(&t, meeting(&t, "2027-02-11T23:30Z", "convoked", "Ramadan"),
	       "P1", "accepted");
	invite(&t, meeting(&t, "2027-02-07T23:30Z", "convoked", "Bascule"),
	       "P1", "accepted");

	/* +01: 22:59:59Z is still the 10th; 23:00Z is the 11th. */
	set_now(&t, "2027-01-10T22:59:59Z");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest WHERE"
				      " day = '2027-01-10'"),
			 1);
	set_now(&t, "2027-01-10T23:00:00Z");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent, 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest WHERE"
				      " day = '2027-01-11'"),
			 1);
	/* 2027-01-11T23:30Z is 00:30 on the 12th: this week, not today. */
	preview_text(&t, "P1", &text);
	has(&text, "Vos séances des six jours suivants (1)\n- mardi 12 "
		   "janvier 2027 à 00h30 — Janvier");
	lacks(&text, "Vos séances d'aujourd'hui");
	buf_reset(&text);

	/* +00 in Ramadan: 23:30Z is still the 10th, midnight is 00:00Z. */
	set_now(&t, "2027-02-10T00:30:00Z");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent + c.empty, 1);
	set_now(&t, "2027-02-10T23:30:00Z");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent + c.empty, 0);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest WHERE"
				      " day = '2027-02-11'"),
			 0);
	set_now(&t, "2027-02-11T00:00:00Z");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent, 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM digest WHERE"
				      " day = '2027-02-11'"),
			 1);
	/* 2027-02-11T23:30Z is 23:30 on the 11th: today. */
	preview_text(&t, "P1", &text);
	has(&text, "Vos séances d'aujourd'hui (1)\n- 23h30 — Ramadan");
	buf_reset(&text);

	/* The day the offset changes (03:00 becomes 02:00) lasts 25 hours:
	 * from 2027-02-06T23:00Z to 2027-02-08T00:00Z. */
	set_now(&t, "2027-02-06T23:00:00Z");
	preview_text(&t, "P1", &text);
	has(&text, "Vos séances d'aujourd'hui (1)\n- 23h30 — Bascule");
	buf_reset(&text);
	set_now(&t, "2027-02-06T22:59:00Z");
	preview_text(&t, "P1", &text);
	lacks(&text, "Vos séances d'aujourd'hui");
	has(&text, "Voici votre bulletin du samedi 6 février 2027.");
	buf_release(&text);
	test_env_close(&t);
}

/* Management: key figures and their chart, inline. */
static void
test_management(void **state)
{
	struct test_env t;
	struct digest_counts c;
	struct documents_config dc;
	struct buf raw = BUF_INIT, text = BUF_INIT, png = BUF_INIT;
	struct buf cid = BUF_INIT, html = BUF_INIT, cache = BUF_INIT;
	struct buf arch = BUF_INIT, templates = BUF_INIT, fonts = BUF_INIT;

	(void)state;
	test_env_open(&t, "2026-11-29T08:00");
	mail_env(&t);
	buf_addf(&cache, "%s/cache", t.dir);
	buf_addf(&arch, "%s/archive", t.dir);
	buf_addstr(&templates, test_data("templates"));
	buf_addstr(&fonts, test_data("fonts"));
	memset(&dc, 0, sizeof(dc));
	dc.templates = templates.data;
	dc.fonts = fonts.data;
	dc.font_cache = cache.data;
	dc.archive = arch.data;
	assert_int_equal(documents_new(&dc, &t.e.docs, &t.err), MAJLIS_OK);
	council(&t);
	person(&t, "PRES", "ar", "'president@casablanca.test'", "F");
	person(&t, "VP", "fr", "'vp@casablanca.test'", "M");
	person(&t, "DGS", "fr", "'dgs@casablanca.test'", "M");
	person(&t, "ARR", "fr", "'arr@casablanca.test'", "M");
	member(&t, "PRES", "CC", "president");
	member(&t, "VP", "CC", "vice_president");
	member(&t, "DGS", "CASA-DGS", "dgs");
	/* An arrondissement's president, or a commission's, is not the
	 * Commune's management. */
	member(&t, "ARR", "CA-ANFA", "president");
	member(&t, "P3", "CC-COM-BUDGET", "president");
	execf(&t, "INSERT INTO petition(ref, body_id, kind, title_fr,"
		  " title_ar, lead_name, received_at, state, state_since,"
		  " created_at) VALUES ('PET-2026-0001', 1, 'citizens', 'T',"
		  " 'ع', 'X', '2026-11-01T00:00:00Z', 'received',"
		  " '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')");
	assert_int_equal(digest_make(&t.e, NULL, 0, &c, &t.err), MAJLIS_OK);
	/* P1, P2, and the three of management; P3 and ARR: nothing. */
	assert_int_equal(c.sent, 5);
	assert_int_equal(c.empty, 2);

	assert_true(queued(&t, "VP", "20261129", &raw));
	assert_true(part_of(&raw, "text/plain", &text, NULL));
	has(&text, "Chiffres clés de la Commune\n"
		   "- Séances des 7 prochains jours : 2\n"
		   "- Invitations sans réponse : 2\n"
		   "- Dossiers en examen : 1\n"
		   "- Dossiers en retard : 1\n"
		   "- Tâches en retard : 1\n"
		   "- Pétitions en attente : 1\n"
		   "- Décisions d'hier et d'aujourd'hui : 1\n");
	has(&text, "الأرقام الرئيسية للجماعة\n"
		   "- جلسات الأيام السبعة المقبلة: 2");
	/* Management sees every decision of the window. */
	has(&text, "CASA-DEL-2026-0001");
	/* The chart: a PNG of 640 x chart_height(7), drawn twice as
	 * large, referenced from the HTML by its Content-ID. */
	assert_true(part_of(&raw, "image/png", &png, &cid));
	assert_string_equal(cid.data, "chart.VP.20261129@casablanca.test");
	assert_true(part_of(&raw, "text/html", &html, NULL));
	has(&html, "<img src=\"cid:chart.VP.20261129@casablanca.test\" "
		   "width=\"640\"");
	assert_true(count_colour(&png, 640 * 2, chart_height(7) * 2,
				 0xc0392b) > 100); /* late work, in red */
	buf_reset(&raw);
	buf_reset(&text);

	/* The president reads Arabic first; the DGS is management too. */
	assert_true(queued(&t, "PRES", "20261129", &raw));
	assert_true(part_of(&raw, "text/plain", &text, NULL));
	assert_true(strstr(text.data, "الأرقام الرئيسية للجماعة") <
		    strstr(text.data, "Chiffres clés de la Commune"));
	buf_reset(&raw);
	assert_true(queued(&t, "DGS", "20261129", &raw));
	buf_reset(&png);
	assert_true(part_of(&raw, "image/png", &png, NULL));
	buf_reset(&raw);
	/* Not the arrondissement's president, nor a commission's. */
	assert_false(queued(&t, "ARR", "20261129", NULL));
	assert_false(queued(&t, "P3", "20261129", NULL));
	/* A member's digest has no figures. */
	assert_true(queued(&t, "P1", "20261129", &raw));
	buf_reset(&png);
	assert_false(part_of(&raw, "image/png", &png, NULL));

	documents_free(t.e.docs);
	t.e.docs = NULL;
	buf_release(&raw);
	buf_release(&text);
	buf_release(&png);
	buf_release(&cid);
	buf_release(&html);
	buf_release(&cache);
	buf_release(&arch);
	buf_release(&templates);
	buf_release(&fonts);
	test_env_close(&t);
}

/* The day's dashboards ride along with management's digest; one too
 * large for mail is named instead. */
static void
test_dashboard_attached(void **state)
{
	struct test_env t;
	struct buf raw = BUF_INIT, plain = BUF_INIT, path = BUF_INIT;
	struct buf big = BUF_INIT, sql = BUF_INIT;
	int items;
	FILE *f;

	(void)state;
	test_env_open(&t, "2026-11-29T08:00");
	mail_env(&t);
	council(&t);
	person(&t, "VP", "fr", "'vp@casablanca.test'", "M");
	member(&t, "VP", "CC", "vice_president");
	buf_addf(&path, "%s/tableau-de-bord-2026-11-29.xlsx", t.dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("PK not really a workbook", f);
	fclose(f);
	buf_addf(&big, "%s/enorme-2026-11-29.xlsx", t.dir);
	f = fopen(big.data, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 8 << 20), 0);
	fclose(f);
	buf_addf(&sql,
		 "INSERT INTO report_run(name, day, path, rows, created_at)"
		 " VALUES ('tableau-de-bord', '2026-11-29', '%s', 10, 'x'),"
		 " ('enorme', '2026-11-29', '%s', 10, 'x'),"
		 " ('hier', '2026-11-28', '%s', 10, 'x')",
		 path.data, big.data, path.data);
	test_exec(&t, sql.data);
	if (digest_preview(&t.e, "VP", &raw, &plain, &items, &t.err) !=
	    MAJLIS_OK)
		fail_msg("%s", t.err.data);
	has(&raw, "Content-Type: application/vnd.openxmlformats-officedocument"
		  ".spreadsheetml.sheet");
	has(&raw, "filename=\"tableau-de-bord-2026-11-29.xlsx\"");
	assert_null(strstr(raw.data, "filename=\"enorme"));
	has(&plain, "Le tableau de bord du jour est joint à ce message : "
		    "tableau-de-bord-2026-11-29.xlsx.");
	has(&plain, "trop volumineux pour être joint, est disponible ici : ");
	has(&plain, "enorme-2026-11-29.xlsx");
	has(&plain, "لوحة القيادة لهذا اليوم مرفقة بهذه الرسالة");
	/* A member's digest carries none. */
	person(&t, "P9", "fr", "'p9@casablanca.test'", "M");
	member(&t, "P9", "CC", "member");
	buf_reset(&raw);
	buf_reset(&plain);
	digest_preview(&t.e, "P9", &raw, &plain, &items, &t.err);
	assert_null(strstr(raw.data, "tableau-de-bord"));
	buf_release(&raw);
	buf_release(&plain);
	buf_release(&path);
	buf_release(&big);
	buf_release(&sql);
	test_env_close(&t);
}

static void
test_chart(void **state)
{
	struct renderer *r = NULL;
	struct buf err = BUF_INIT, png = BUF_INIT, png2 = BUF_INIT;
	char dir[] = "/tmp/majlis-chart-XXXXXX", cache[64];
	struct chart_bar bars[3] = {
		{ "Invitations sans réponse", "دعوات بدون رد", 147, 0 },
		{ "Dossiers en retard", "ملفات متأخرة", 2, 1 },
		{ "Rien", "لا شيء", 0, 1 },
	};
	struct chart c = { "Chiffres", "الأرقام", bars, 3, 400, 0, 1 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	if (renderer_new(test_data("fonts"), cache, 0, &r, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	c.height = chart_height(3);
	assert_int_equal(chart_png(r, &c, &png, &err), MAJLIS_OK);
	/* The bars: blue, the late one red; the empty one not at all. */
	assert_true(count_colour(&png, 400, chart_height(3), 0x2d6a9f) > 1000);
	assert_true(count_colour(&png, 400, chart_height(3), 0xc0392b) > 10);
	/* Twice as sharp: twice the pixels. */
	c.scale = 2;
	assert_int_equal(chart_png(r, &c, &png2, &err), MAJLIS_OK);
	count_colour(&png2, 800, chart_height(3) * 2, 0);
	/* The same chart twice: the same bytes. */
	buf_reset(&png2);
	c.scale = 1;
	assert_int_equal(chart_png(r, &c, &png2, &err), MAJLIS_OK);
	assert_int_equal(png.len, png2.len);
	assert_memory_equal(png.data, png2.data, png.len);
	/* Impossible charts are refused. */
	c.n = 0;
	assert_int_equal(chart_png(r, &c, &png2, &err), MAJLIS_ERR_USAGE);
	c.n = 3;
	c.height = 20;
	assert_int_equal(chart_png(r, &c, &png2, &err), MAJLIS_ERR_USAGE);
	renderer_free(r);
	buf_release(&err);
	buf_release(&png);
	buf_release(&png2);
	test_rmdir(dir);
}

/* The feed of person code: its path, or "" if it has none. */
static void
feed_path(struct test_env *t, const char *code, struct buf *path)
{
	struct buf token = BUF_INIT;

	buf_reset(path);
	if (store_get_text(t->e.store, &t->err, &token,
			   "SELECT coalesce(feed_token, '') FROM person"
			   " WHERE code = ?1",
			   "s", code) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	if (token.len)
		buf_addf(path, "%s/%s.ics", feeddir, token.data);
	buf_release(&token);
}

static int
take_written(void *ctx, const struct rec *r)
{
	*(int *)ctx = (int)rec_int(r, "written", -1);
	return 0;
}

static void
test_feeds(void **state)
{
	struct test_env t;
	struct buf path = BUF_INIT, ics = BUF_INIT, ics2 = BUF_INIT;
	icalcomponent *cal, *v;
	int64_t soon, gone, old;
	int written, events = 0, cancelled = 0;
	struct stat st1, st2;

	(void)state;
	test_env_open(&t, "2026-11-29T08:00");
	mail_env(&t);
	council(&t);
	old = meeting(&t, "2026-08-01T10:00", "closed", "Trop ancienne");
	invite(&t, old, "P1", "accepted");
	gone = meeting(&t, "2026-12-10T10:00", "cancelled", "Annulée");
	invite(&t, gone, "P1", "cancelled");
	soon = test_int(&t, "SELECT id FROM meeting WHERE title_fr ="
			    " 'Séance prochaine'");
	written = -1;
	assert_int_equal(feed_tick(&t.e, take_written, &written, &t.err),
			 MAJLIS_OK);
	/* P1 and P4 are invited (an address is not needed for a feed). */
	assert_int_equal(written, 2);
	assert_int_equal(test_count_files(feeddir), 2);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM person WHERE"
				      " length(feed_token) = 24 AND"
				      " feed_token NOT GLOB '*[^a-z2-7]*'"),
			 2);
	feed_path(&t, "P3", &path);
	assert_int_equal((int)path.len, 0);
	feed_path(&t, "P1", &path);
	assert_int_equal(file_read(path.data, 1 << 20, &ics), 0);
	cal = icalparser_parse_string(ics.data);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
	for (v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     v; v = icalcomponent_get_next_component(cal,
						     ICAL_VEVENT_COMPONENT)) {
		char uid[64];

		events++;
		cancelled += icalcomponent_get_status(v) ==
			     ICAL_STATUS_CANCELLED;
		if (icalcomponent_get_status(v) == ICAL_STATUS_CANCELLED) {
			snprintf(uid, sizeof(uid),
				 "meeting-%lld@casablanca.test",
				 (long long)gone);
			assert_string_equal(icalcomponent_get_uid(v), uid);
		}
		assert_non_null(strstr(icalcomponent_get_uid(v),
				       "@casablanca.test"));
		assert_null(strstr(icalcomponent_get_summary(v),
				   "Trop ancienne"));
	}
	/* Yesterday's, today's, the 2nd's, the cancelled one; not the
	 * one of August (more than 90 days ago), not the draft. */
	assert_int_equal(events, 4);
	assert_int_equal(cancelled, 1);
	for (v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     v; v = icalcomponent_get_next_component(cal,
						     ICAL_VEVENT_COMPONENT))
		if (!strcmp(icalcomponent_get_summary(v),
			    "Séance du jour — جلسة Séance du jour"))
			has_text(icalcomponent_get_description(v),
				 "Convocation : CONV-2026-0007.");
	icalcomponent_free(cal);

	/* Nothing changed: nothing written, even at another DTSTAMP. */
	assert_int_equal(stat(path.data, &st1), 0);
	set_now(&t, "2026-11-29T09:00");
	written = 0;
	assert_int_equal(feed_tick(&t.e, take_written, &written, &t.err),
			 MAJLIS_OK);
	assert_int_equal(written, 0);
	assert_int_equal(stat(path.data, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);

	/* Rescheduled: rewritten, same file, same UID, next SEQUENCE. */
	execf(&t, "UPDATE meeting SET starts_at = '%s', sequence = 1"
		  " WHERE id = %lld",
	      utc(&t, "2026-12-03T15:00"), (long long)soon);
	assert_int_equal(feed_tick(&t.e, take_written, &written, &t.err),
			 MAJLIS_OK);
	assert_int_equal(written, 1);
	assert_int_equal(file_read(path.data, 1 << 20, &ics2), 0);
	cal = icalparser_parse_string(ics2.data);
	assert_non_null(cal);
	for (v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     v; v = icalcomponent_get_next_component(cal,
						     ICAL_VEVENT_COMPONENT)) {
		char uid[64];
		struct icaltimetype start;

		snprintf(uid, sizeof(uid), "meeting-%lld@casablanca.test",
			 (long long)soon);
		if (strcmp(icalcomponent_get_uid(v), uid))
			continue;
		assert_int_equal(icalcomponent_get_sequence(v), 1);
		start = icalcomponent_get_dtstart(v);
		assert_int_equal(start.day, 3);
		assert_int_equal(start.hour, 15);
	}
	icalcomponent_free(cal);

	/* majlis feed PERSON: a person with no meeting gets an empty one. */
	assert_int_equal(feed_person(&t.e, "P3", &path, &written, &t.err),
			 MAJLIS_OK);
	assert_int_equal(written, 1);
	assert_int_equal(test_count_files(feeddir), 3);
	buf_reset(&ics);
	assert_int_equal(file_read(path.data, 1 << 20, &ics), 0);
	assert_non_null(strstr(ics.data, "METHOD:PUBLISH"));
	assert_null(strstr(ics.data, "VEVENT"));
	assert_int_equal(feed_person(&t.e, "P3", &path, &written, &t.err),
			 MAJLIS_OK);
	assert_int_equal(written, 0);
	buf_release(&path);
	buf_release(&ics);
	buf_release(&ics2);
	test_env_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_and_languages),
		cmocka_unit_test(test_once_a_day),
		cmocka_unit_test(test_day_boundaries),
		cmocka_unit_test(test_management),
		cmocka_unit_test(test_dashboard_attached),
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_feeds),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
