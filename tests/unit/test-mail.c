/*
 * test-mail.c - what majlis sends, read back: messages built with
 * libetpan parse again with libetpan, their Arabic headers decode to the
 * same text; calendars parse with libical and say what the meeting is;
 * tokens are random, stored hashed and found again; the outbox hands a
 * message to its transport once, retries a refused connection later and
 * gives up after its last try; quiet hours hold messages back; an SMS is
 * written as Gammu reads it.
 */
#include "testlib.h"
#include "testmail.h"

#include <dirent.h>
#include <libetpan/libetpan.h>
#include <libical/ical.h>
#include <sodium.h>

#include "ical.h"
#include "mime.h"
#include "outbox.h"
#include "token.h"

/* A message as the invitation builder makes them. */
static void
build(const char *subject, const char *name, struct buf *raw)
{
	struct mime_addr reply = { NULL, "conseil+t.abcdefghijklmnopqrst@casablanca.test" };
	struct mime_part cal = { "text/calendar; method=REQUEST; charset=utf-8",
				 "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 32,
				 NULL, NULL };
	struct mime_part att[1] = { { "application/pdf", "%PDF-1.5\n", 9,
				      "استدعاء CONV-2026-0005.pdf", NULL } };
	struct mime_header h[1] = { { "Auto-Submitted", "auto-generated" } };
	struct mime_message m;
	struct buf err = BUF_INIT;

	memset(&m, 0, sizeof(m));
	m.from = (struct mime_addr){ "مجلس جماعة الدار البيضاء",
				     "conseil@casablanca.test" };
	m.to = (struct mime_addr){ name, "elu1@casablanca.test" };
	m.reply_to = &reply;
	m.subject = subject;
	m.date = 1795766400;
	m.date_offset = 60;
	m.message_id = "inv.abcdefghijklmnopqrst@casablanca.test";
	m.language = "ar";
	m.text = "نص الرسالة\nTexte accentué : é à ç.\n";
	m.html = "<p dir=\"rtl\">نص</p>";
	m.calendar = &cal;
	m.attachments = att;
	m.nattachments = 1;
	m.headers = h;
	m.nheaders = 1;
	if (mime_build(&m, raw, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	buf_release(&err);
}

/* The value of header name in raw, unfolded. */
static void
header(const struct buf *raw, const char *name, struct buf *out)
{
	size_t idx = 0;
	struct mailimf_fields *f = NULL;

	assert_int_equal(mailimf_fields_parse(raw->data, raw->len, &idx, &f),
			 MAILIMF_NO_ERROR);
	for (clistiter *it = clist_begin(f->fld_list); it;
	     it = clist_next(it)) {
		struct mailimf_field *fld = clist_content(it);

		if (fld->fld_type == MAILIMF_FIELD_SUBJECT &&
		    !strcmp(name, "Subject"))
			buf_addstr(out, fld->fld_data.fld_subject->sbj_value);
		else if (fld->fld_type == MAILIMF_FIELD_OPTIONAL_FIELD &&
			 !strcasecmp(fld->fld_data.fld_optional_field->fld_name,
				     name))
			buf_addstr(out,
				   fld->fld_data.fld_optional_field->fld_value);
	}
	mailimf_fields_free(f);
}

static void
test_message_reads_back(void **state)
{
	static const char *const subjects[] = {
		"استدعاء: الجلسة الأولى للدورة العادية لشهر فبراير 2027 — "
		"Convocation : première séance de la session ordinaire",
		"Plain ASCII subject",
		"=?UTF-8?B?looks encoded?=",
		"لا إله إلا الله — ﷲ",
	};
	(void)state;
	for (size_t k = 0; k < sizeof(subjects) / sizeof(*subjects); k++) {
		struct buf raw = BUF_INIT, v = BUF_INIT, dec = BUF_INIT;
		struct mailmime *mime = NULL;
		size_t idx = 0, longest = 0, line = 0;

		build(subjects[k], "السيد عبد اللطيف الوزاني", &raw);
		/* CRLF only, and lines a relay takes. */
		for (size_t i = 0; i < raw.len; i++) {
			if (raw.data[i] == '\n') {
				assert_true(i > 0 && raw.data[i - 1] == '\r');
				if (line > longest)
					longest = line;
				line = 0;
			} else {
				line++;
			}
		}
		assert_true(longest <= 998);
		header(&raw, "Subject", &v);
		assert_int_equal(mime_decode_words(v.data, &dec), 0);
		assert_string_equal(dec.data, subjects[k]);
		buf_reset(&v);
		header(&raw, "Auto-Submitted", &v);
		assert_string_equal(v.data, "auto-generated");
		/* The whole tree parses: mixed(alternative(text, html,
		 * calendar), pdf). */
		assert_int_equal(mailmime_parse(raw.data, raw.len, &idx, &mime),
				 MAILIMF_NO_ERROR);
		assert_int_equal(mime->mm_type, MAILMIME_MESSAGE);
		{
			struct mailmime *top = mime->mm_data.mm_message.mm_msg_mime;
			struct mailmime *alt;

			assert_int_equal(top->mm_type, MAILMIME_MULTIPLE);
			assert_int_equal(clist_count(top->mm_data.mm_multipart.mm_mp_list),
					 2);
			alt = clist_content(clist_begin(
				top->mm_data.mm_multipart.mm_mp_list));
			assert_int_equal(clist_count(alt->mm_data.mm_multipart.mm_mp_list),
					 3);
		}
		mailmime_free(mime);
		buf_release(&raw);
		buf_release(&v);
		buf_release(&dec);
	}
}

/* RFC 2047 words: any text, cut anywhere, comes back whole. */
/*
 * Bodies are encoded by mime.c (libetpan only writes them): each text
 * decodes back to itself, with CRLF line ends, in quoted-printable for
 * French and base64 for Arabic; every line stays within 76 characters;
 * nothing a relay or an mbox would change ("From " and a lone dot at a
 * line's start, spaces at a line's end) is left bare.
 */
static void
test_bodies_decode_exactly(void **state)
{
	static const char *const texts[] = {
		"Madame,\nFrom now on: the meeting.\n.\nA line ending in spaces   \n"
		"tab\tand = sign, 100% [sic] ~{x}|@#$^`\\\n",
		"Une très longue ligne sans coupure : "
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=="
		"éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
		"Fin\n",
		"Pas de fin de ligne à la fin, ni d'accent final",
		"CRLF\r\ndéjà\r\n\r\n",
		"السيدة حنان صبري،\n\nيشرفنا استدعاؤكم لحضور الجلسة الأولى "
		"للدورة العادية لشهر فبراير 2027.\n",
		"                                                                  "
		"              espaces\n",
	};

	(void)state;
	for (size_t k = 0; k < sizeof(texts) / sizeof(*texts); k++) {
		struct mime_message m;
		struct buf raw = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
		struct buf err = BUF_INIT;
		const char *t = texts[k], *body;
		size_t line = 0;
		int enc;

		memset(&m, 0, sizeof(m));
		m.from = (struct mime_addr){ NULL, "conseil@casablanca.test" };
		m.to = (struct mime_addr){ NULL, "elu1@casablanca.test" };
		m.subject = "s";
		m.message_id = "x@casablanca.test";
		m.text = t;
		m.html = t;
		if (mime_build(&m, &raw, &err) != MAJLIS_OK)
			fail_msg("%s", err.data);
		for (const char *p = t; *p; p++) {
			if (*p == '\n' && (p == t || p[-1] != '\r'))
				buf_addch(&want, '\r');
			buf_addch(&want, *p);
		}
		if (want.len && want.data[want.len - 1] != '\n')
			buf_add(&want, "\r\n", 2);
		enc = test_mail_part(&raw, "plain", &got);
		assert_int_equal(enc, k == 1 || k == 4 ? MAILMIME_MECHANISM_BASE64
					     : MAILMIME_MECHANISM_QUOTED_PRINTABLE);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		buf_reset(&got);
		test_mail_part(&raw, "html", &got);
		assert_memory_equal(got.data, want.data, want.len);
		/* The encoded body's lines. */
		body = strstr(raw.data, "\r\n\r\n");
		for (const char *p = body + 4; *p; p++) {
			if (*p == '\r')
				continue;
			if (*p == '\n') {
				line = 0;
				continue;
			}
			if (line == 0) {
				assert_false(p[0] == '.' && p[1] == '\r');
				assert_false(!strncmp(p, "From ", 5));
			}
			line++;
			assert_true(line <= 76);
			if (p[1] == '\r')
				assert_false(*p == ' ' || *p == '\t');
		}
		buf_release(&raw);
		buf_release(&want);
		buf_release(&got);
		buf_release(&err);
	}
}

static void
test_encoded_words(void **state)
{
	static const char *const pieces[] = { "ب", "é", "a", " ", "—", "ﻻ",
					      "𝄞", "الله", "x" };
	(void)state;
	for (int round = 0; round < 300; round++) {
		struct buf s = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT;
		int n = (int)randombytes_uniform(120);

		for (int i = 0; i < n; i++)
			buf_addstr(&s, pieces[randombytes_uniform(
					       sizeof(pieces) / sizeof(*pieces))]);
		if (!s.len)
			buf_addstr(&s, "");
		mime_encode_words(s.data ? s.data : "", &enc);
		for (const char *p = enc.data ? enc.data : ""; *p; p++)
			assert_true((unsigned char)*p < 0x80);
		assert_int_equal(mime_decode_words(enc.data ? enc.data : "",
						   &dec),
				 0);
		assert_string_equal(dec.data ? dec.data : "",
				    s.data ? s.data : "");
		buf_release(&s);
		buf_release(&enc);
		buf_release(&dec);
	}
}

static void
test_calendar(void **state)
{
	struct ical_person att = { "السيد عبد اللطيف الوزاني",
				   "elu1@casablanca.test" };
	struct ical_event ev;
	struct buf out = BUF_INIT, err = BUF_INIT;
	icalcomponent *cal, *v;
	icalproperty *p;
	struct icaltimetype start;
	int alarms = 0;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.uid = "meeting-4@casablanca.test";
	ev.sequence = 2;
	ev.start = 1801645200; /* 2027-02-03T09:00:00Z */
	ev.end = ev.start + 5 * 3600;
	ev.summary = "الجلسة الأولى — Première séance";
	ev.location = "قاعة المداولات";
	ev.organizer = (struct ical_person){ "مجلس الجماعة",
					     "conseil+t.abc@casablanca.test" };
	ev.attendee = &att;
	ev.partstat = "NEEDS-ACTION";
	ev.alarms = 1;
	assert_int_equal(ical_build(ICAL_REQUEST, "Africa/Casablanca",
				    1795766400, &ev, 1, &out, &err),
			 MAJLIS_OK);
	assert_non_null(strstr(out.data, "\r\n"));
	cal = icalparser_parse_string(out.data);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
	assert_non_null(icalcomponent_get_first_component(
		cal, ICAL_VTIMEZONE_COMPONENT));
	v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_uid(v), "meeting-4@casablanca.test");
	assert_int_equal(icalcomponent_get_sequence(v), 2);
	assert_string_equal(icalcomponent_get_summary(v),
			    "الجلسة الأولى — Première séance");
	/* Ten o'clock in Casablanca, said with its zone. */
	p = icalcomponent_get_first_property(v, ICAL_DTSTART_PROPERTY);
	assert_string_equal(icalparameter_get_tzid(icalproperty_get_first_parameter(
				    p, ICAL_TZID_PARAMETER)),
			    "Africa/Casablanca");
	start = icalproperty_get_dtstart(p);
	assert_int_equal(start.hour, 10);
	assert_int_equal(start.day, 3);
	p = icalcomponent_get_first_property(v, ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(icalproperty_get_attendee(p),
			    "mailto:elu1@casablanca.test");
	assert_int_equal(icalparameter_get_rsvp(icalproperty_get_first_parameter(
				 p, ICAL_RSVP_PARAMETER)),
			 ICAL_RSVP_TRUE);
	p = icalcomponent_get_first_property(v, ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalproperty_get_organizer(p),
			    "mailto:conseil+t.abc@casablanca.test");
	for (icalcomponent *a = icalcomponent_get_first_component(
		     v, ICAL_VALARM_COMPONENT);
	     a; a = icalcomponent_get_next_component(v, ICAL_VALARM_COMPONENT))
		alarms++;
	assert_int_equal(alarms, 2);
	icalcomponent_free(cal);
	/* A cancellation: no alarms, cancelled. */
	buf_reset(&out);
	assert_int_equal(ical_build(ICAL_CANCEL, "Africa/Casablanca",
				    1795766400, &ev, 1, &out, &err),
			 MAJLIS_OK);
	assert_non_null(strstr(out.data, "METHOD:CANCEL"));
	assert_non_null(strstr(out.data, "STATUS:CANCELLED"));
	assert_null(strstr(out.data, "VALARM"));
	assert_int_equal(ical_build(ICAL_REQUEST, "Mars/Olympus", 0, &ev, 1,
				    &out, &err),
			 MAJLIS_ERR_CONFIG);
	buf_release(&out);
	buf_release(&err);
}

static void
test_tokens(void **state)
{
	struct test_env t;
	char tok[TOKEN_LEN + 1], seen[50][TOKEN_LEN + 1];
	struct token_info info;
	struct buf addr = BUF_INIT;

	(void)state;
	test_env_open(&t, "2026-11-29T10:00");
	test_exec(&t, "INSERT INTO person(code, kind, gender, given_fr,"
		      " family_fr, given_ar, family_ar, lang, created_at)"
		      " VALUES ('E1', 'elu', 'M', 'A', 'B', 'أ', 'ب', 'fr',"
		      " '2026-01-01T00:00:00Z')");
	for (int i = 0; i < 50; i++) {
		assert_int_equal(token_issue(&t.e, "invitation", "invitation",
					     i + 1, 1, 1900000000, seen[i],
					     &t.err),
				 MAJLIS_OK);
		assert_int_equal((int)strlen(seen[i]), TOKEN_LEN);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(seen[i], seen[k]);
	}
	memcpy(tok, seen[7], sizeof(tok));
	/* Stored hashed: the letters are nowhere in the store. */
	{
		struct buf sql = BUF_INIT;

		buf_addf(&sql, "SELECT count(*) FROM token WHERE hash LIKE"
			       " '%%%s%%'",
			 tok);
		assert_int_equal(test_int(&t, sql.data), 0);
		buf_release(&sql);
	}
	for (char *c = tok; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	assert_int_equal(token_lookup(&t.e, tok, &info, &t.err), MAJLIS_OK);
	assert_int_equal(info.object_id, 8);
	assert_string_equal(info.purpose, "invitation");
	assert_int_equal(token_lookup(&t.e, "aaaaaaaaaaaaaaaaaaaa", &info,
				     &t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(token_lookup(&t.e, "short", &info, &t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(token_lookup(&t.e, "aaaaaaaaaaaaaaaaaaa1", &info,
				     &t.err),
			 MAJLIS_ERR_NOTFOUND);
	token_address("conseil@casablanca.ma", seen[0], &addr);
	assert_true(starts_with(addr.data, "conseil+t."));
	assert_non_null(strstr(addr.data, "@casablanca.ma"));
	buf_release(&addr);
	test_env_close(&t);
}

static struct mail_config mc;
static char maildir[300], spooldir[300];

static void
mail_env(struct test_env *t, enum mail_transport tr, int port)
{
	memset(&mc, 0, sizeof(mc));
	snprintf(maildir, sizeof(maildir), "%s/mail/outbox", t->dir);
	snprintf(spooldir, sizeof(spooldir), "%s/sms/outbox", t->dir);
	mc.domain = "casablanca.test";
	mc.from = "conseil@casablanca.test";
	mc.name_fr = "Conseil";
	mc.name_ar = "المجلس";
	mc.tz = "Africa/Casablanca";
	mc.transport = tr;
	mc.maildir = maildir;
	mc.smtp_host = "127.0.0.1";
	mc.smtp_port = port;
	mc.security = SMTP_NONE;
	mc.timeout = 5;
	mc.sms_spool = spooldir;
	mc.quiet_from = 21 * 60;
	mc.quiet_to = 7 * 60;
	t->e.mail = &mc;
}

static void
queue(struct test_env *t, const char *id, enum outbox_channel ch,
      const char *to, const char *raw)
{
	struct outbox_msg m;
	int64_t row;

	memset(&m, 0, sizeof(m));
	m.channel = ch;
	m.kind = "notification";
	m.message_id = id;
	m.recipient = to;
	m.sender = "conseil@casablanca.test";
	m.subject = "s";
	m.raw = raw;
	m.len = strlen(raw);
	assert_int_equal(store_begin(t->e.store, &t->err), MAJLIS_OK);
	assert_int_equal(outbox_queue(&t->e, &m, &row, &t->err), MAJLIS_OK);
	/* Queued twice under one Message-ID: still one message. */
	assert_int_equal(outbox_queue(&t->e, &m, &row, &t->err),
			 MAJLIS_ERR_EXISTS);
	assert_int_equal(store_commit(t->e.store, &t->err), MAJLIS_OK);
}

static void
test_outbox_maildir_and_sms(void **state)
{
	struct test_env t;
	struct outbox_counts c;
	char nw[400];
	struct buf sms = BUF_INIT;

	(void)state;
	test_env_open(&t, "2026-11-29T10:00");
	mail_env(&t, TRANSPORT_MAILDIR, 0);
	queue(&t, "a@x", CHANNEL_EMAIL, "elu1@casablanca.test",
	      "Subject: a\r\n\r\nbody\r\n");
	queue(&t, "b@x", CHANNEL_SMS, "+212600000001", "اجتماع غدا 10:00");
	assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent, 2);
	snprintf(nw, sizeof(nw), "%s/new", maildir);
	assert_int_equal(test_count_files(nw), 1);
	assert_int_equal(test_count_files(spooldir), 1);
	/* Once: a second flush sends nothing. */
	assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent, 0);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " state = 'sent'"),
			 2);
	/* The SMS as Gammu reads it: OUT...txt, UTF-16LE with its BOM. */
	{
		DIR *d = opendir(spooldir);
		struct dirent *de;
		char path[700];

		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				snprintf(path, sizeof(path), "%s/%s", spooldir,
					 de->d_name);
		closedir(d);
		assert_non_null(strstr(path, "/OUTB"));
		assert_non_null(strstr(path, "_+212600000001_"));
		assert_int_equal(file_read(path, 4096, &sms), 0);
		assert_true(sms.len > 2);
		assert_memory_equal(sms.data, "\xff\xfe", 2);
		/* "ا" (U+0627) first, little-endian */
		assert_memory_equal(sms.data + 2, "\x27\x06", 2);
	}
	buf_release(&sms);
	test_env_close(&t);
}

static void
test_outbox_retries_then_fails(void **state)
{
	struct test_env t;
	struct outbox_counts c;
	int64_t start;

	(void)state;
	test_env_open(&t, "2026-11-29T10:00");
	/* Port 1 on loopback: nobody listens, the connection is refused. */
	mail_env(&t, TRANSPORT_SMTP, 1);
	queue(&t, "c@x", CHANNEL_EMAIL, "elu1@casablanca.test",
	      "Subject: c\r\n\r\nbody\r\n");
	start = clock_now(t.e.clock);
	assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.deferred, 1);
	assert_int_equal(test_int(&t, "SELECT attempts FROM outbox"), 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " last_error LIKE 'cannot connect%'"),
			 1);
	/* Not before its delay... */
	assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.deferred + c.sent + c.failed, 0);
	/* ...then again and again, until the last try. */
	for (int i = 0; i < outbox_max_attempts - 1; i++) {
		start += outbox_retry_delays[i];
		clock_set_now(t.e.clock, start);
		assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	}
	assert_int_equal(c.failed, 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " state = 'failed'"),
			 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM audit WHERE"
				      " action = 'send-failed'"),
			 1);
	test_env_close(&t);
}

/* One message meets a server that cannot be reached: the others are
 * deferred with it, untried, and the text messages still go. */
static void
test_outbox_server_down(void **state)
{
	struct test_env t;
	struct outbox_counts c;

	(void)state;
	test_env_open(&t, "2026-11-29T10:00");
	mail_env(&t, TRANSPORT_SMTP, 1);
	queue(&t, "d1@x", CHANNEL_EMAIL, "elu1@casablanca.test",
	      "Subject: d\r\n\r\nbody\r\n");
	queue(&t, "d2@x", CHANNEL_EMAIL, "elu2@casablanca.test",
	      "Subject: d\r\n\r\nbody\r\n");
	queue(&t, "d3@x", CHANNEL_SMS, "+212600000001", "demain");
	queue(&t, "d4@x", CHANNEL_EMAIL, "elu3@casablanca.test",
	      "Subject: d\r\n\r\nbody\r\n");
	if (outbox_flush(&t.e, 0, &c, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	assert_int_equal(c.sent, 1);
	assert_int_equal(c.deferred, 3);
	assert_int_equal(c.failed, 0);
	assert_non_null(strstr(c.down, "cannot connect"));
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " channel = 'email' AND attempts = 1"
				      " AND state = 'queued' AND next_at >"
				      " '2026-11-29T09:00:00Z'"),
			 3);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM outbox WHERE"
				      " last_error LIKE 'not tried, the server"
				      " cannot be used: cannot connect%'"),
			 2);
	/* One entry for the untried, one for the tried. */
	assert_int_equal(test_int(&t, "SELECT count(*) FROM audit WHERE"
				      " action = 'send-suspended'"),
			 1);
	assert_int_equal(test_int(&t, "SELECT count(*) FROM audit WHERE"
				      " action = 'send-deferred'"),
			 1);
	/* Nothing is due before the first delay. */
	assert_int_equal(outbox_flush(&t.e, 0, &c, &t.err), MAJLIS_OK);
	assert_int_equal(c.sent + c.deferred + c.failed, 0);
	assert_int_equal(c.down[0], 0);
	test_env_close(&t);
}

static void
test_quiet_hours(void **state)
{
	struct test_env t;
	int64_t late, early, noon;

	(void)state;
	test_env_open(&t, "2026-11-29T10:00");
	mail_env(&t, TRANSPORT_MAILDIR, 0);
	late = test_time(t.e.clock, "2026-11-29T22:30");
	early = test_time(t.e.clock, "2026-11-30T06:59");
	noon = test_time(t.e.clock, "2026-11-30T12:00");
	assert_int_equal(outbox_after_quiet(&t.e, late),
			 test_time(t.e.clock, "2026-11-30T07:00"));
	assert_int_equal(outbox_after_quiet(&t.e, early),
			 test_time(t.e.clock, "2026-11-30T07:00"));
	assert_int_equal(outbox_after_quiet(&t.e, noon), noon);
	mc.quiet_from = mc.quiet_to = 0;
	assert_int_equal(outbox_after_quiet(&t.e, late), late);
	test_env_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_reads_back),
		cmocka_unit_test(test_bodies_decode_exactly),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_outbox_maildir_and_sms),
		cmocka_unit_test(test_outbox_retries_then_fails),
		cmocka_unit_test(test_outbox_server_down),
		cmocka_unit_test(test_quiet_hours),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
