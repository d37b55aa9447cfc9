/*
 * test-notify.c - notifications: the rules, read as layers and refused
 * with file:line, matched first-rule-wins with a default; one row per
 * channel, never twice for one event, person and message; e-mails in
 * both languages that parse again, with a reply token and a read receipt
 * when an acknowledgement is wanted; SMS in the person's language, cut
 * short; quiet hours; no row for a channel without an address, and the
 * DGS told of it once; probable data errors of a meeting; chasing: a
 * reminder, then the superior, then nothing; acknowledged ones left
 * alone; the inbox and reading it.
 */
#include "testlib.h"
#include "testmail.h"

#include <libetpan/libetpan.h>

#include "mime.h"
#include "notify.h"
#include "orgchart.h"
#include "outbox.h"
#include "periodic.h"

static const char people[] =
	"matricule,type,genre,prenom_fr,nom_fr,prenom_ar,nom_ar,langue,email,"
	"telephone,organisation,role,debut,fin\n"
	"P1,elu,F,Nadia,Berrada,نادية,برادة,fr,p1@x.ma,+212600000001,CC,"
	"president,2021-09-20,\n"
	"S1,elu,M,Omar,Tazi,عمر,التازي,ar,s1@x.ma,+212600000002,CC,secretary,"
	"2021-09-20,\n"
	"S1,elu,M,Omar,Tazi,عمر,التازي,ar,s1@x.ma,+212600000002,CC-COM-BUDGET,"
	"president,2021-09-20,\n"
	"M1,elu,M,Karim,Alaoui,كريم,العلوي,ar,m1@x.ma,,CC,member,2021-09-20,\n"
	"M1,elu,M,Karim,Alaoui,كريم,العلوي,ar,m1@x.ma,,CC-COM-BUDGET,member,"
	"2021-09-20,\n"
	"M2,elu,F,Salma,Sabri,سلمى,صبري,fr,,+212600000004,CC,member,"
	"2021-09-20,\n"
	"V1,elu,M,Anas,Lahlou,أنس,لحلو,fr,v1@x.ma,+212600000005,CC,"
	"vice_president,2021-09-20,\n"
	"D1,fonctionnaire,F,Amina,Kettani,أمينة,الكتاني,fr,d1@x.ma,"
	"+212600000006,CASA-DGS,dgs,2019-01-01,\n"
	"H1,fonctionnaire,M,Hamid,Fassi,حميد,الفاسي,ar,h1@x.ma,+212600000007,"
	"CASA-DGS,head,2019-01-01,\n"
	"O1,fonctionnaire,M,Driss,Naciri,إدريس,الناصري,fr,o1@x.ma,"
	"+212600000008,CASA-DGS,officer,2019-01-01,\n";

struct fixture {
	struct test_env t;
	struct mail_config mc;
	char maildir[300], spool[300];
};

static int64_t
pid(struct fixture *f, const char *code)
{
	int64_t id = 0;

	assert_int_equal(store_get_int(f->t.e.store, &f->t.err, &id,
				       "SELECT id FROM person WHERE code = ?1",
				       "s", code),
			 MAJLIS_OK);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct orgchart_counts c;

	test_env_open(&f->t, "2026-12-01T10:00");
	if (orgchart_import(&f->t.e, "people.csv", people, strlen(people),
			    "test", 0, &c, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	assert_int_equal(notify_rules_new(&f->t.e.notify), MAJLIS_OK);
	if (notify_rules_add_file(f->t.e.notify, test_data("notify/rules.ini"),
				  &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	snprintf(f->maildir, sizeof(f->maildir), "%s/mail/outbox", f->t.dir);
	snprintf(f->spool, sizeof(f->spool), "%s/sms/outbox", f->t.dir);
	f->mc.domain = "casablanca.test";
	f->mc.from = "conseil@casablanca.test";
	f->mc.name_fr = "Conseil de la Commune";
	f->mc.name_ar = "مجلس الجماعة";
	f->mc.tz = "Africa/Casablanca";
	f->mc.transport = TRANSPORT_MAILDIR;
	f->mc.maildir = f->maildir;
	f->mc.sms_spool = f->spool;
	f->mc.timeout = 5;
	f->mc.quiet_from = 21 * 60;
	f->mc.quiet_to = 7 * 60;
	f->t.e.mail = &f->mc;
	/* Tasks, a dossier of the budget commission, and the events that
	 * tell of them. */
	for (int i = 1; i <= 4; i++) {
		struct buf sql = BUF_INIT;

		buf_addf(&sql,
			 "INSERT INTO task(title_fr, title_ar, assignee_id,"
			 " due_at, state, state_since, created_at) VALUES"
			 " ('Tâche %d', 'المهمة %d', NULL,"
			 " '2026-12-20T09:00:00Z', 'open',"
			 " '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
			 i, i);
		test_exec(&f->t, sql.data);
		buf_release(&sql);
	}
	test_exec(&f->t,
		  "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id,"
		  " organization_id, owner_id, due_at, state, state_since,"
		  " created_at) VALUES ('DOS-2026-0001', 'urbanisme',"
		  " 'Lotissement Al Amal', 'تجزئة الأمل', 1, (SELECT id FROM"
		  " organization WHERE code = 'CC-COM-BUDGET'), (SELECT id"
		  " FROM person WHERE code = 'M1'), '2026-12-15T09:00:00Z',"
		  " 'in_review', '2026-11-01T00:00:00Z',"
		  " '2026-11-01T00:00:00Z')");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	notify_rules_free(f->t.e.notify);
	test_env_close(&f->t);
	free(f);
	return 0;
}

static void
at(struct fixture *f, const char *now)
{
	clock_set_now(f->t.e.clock, test_time(f->t.e.clock, now));
}

static int64_t
q(struct fixture *f, const char *sql)
{
	return test_int(&f->t, sql);
}

static int64_t
event_row(struct fixture *f, const char *kind, int64_t id, const char *name)
{
	struct buf sql = BUF_INIT;

	buf_addf(&sql,
		 "INSERT INTO event(object_kind, object_id, name, source,"
		 " cause, created_at) VALUES ('%s', %lld, '%s', 'cli', 'test',"
		 " '2026-12-01T09:00:00Z')",
		 kind, (long long)id, name);
	test_exec(&f->t, sql.data);
	buf_release(&sql);
	return store_last_id(f->t.e.store);
}

/* Tells code of message about an object, as a notify job would. */
static struct notify_counts
tell(struct fixture *f, int64_t event, const char *kind, int64_t id,
     const char *message, const char *code)
{
	struct notify_item it;
	struct notify_counts c;

	memset(&it, 0, sizeof(it));
	memset(&c, 0, sizeof(c));
	it.event_id = event;
	it.object_kind = kind;
	it.object_id = id;
	it.message = message;
	it.fr = "Nouvelle tâche : préparer la salle";
	it.ar = "مهمة جديدة: تهيئة القاعة";
	assert_int_equal(store_begin(f->t.e.store, &f->t.err), MAJLIS_OK);
	if (notify_person(&f->t.e, &it, pid(f, code), &c, &f->t.err) !=
	    MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	assert_int_equal(store_commit(f->t.e.store, &f->t.err), MAJLIS_OK);
	return c;
}

/* The value of header name in raw, unfolded and decoded. */
static void
header(const struct buf *raw, const char *name, struct buf *out)
{
	size_t idx = 0;
	struct mailimf_fields *fl = NULL;
	struct buf v = BUF_INIT;

	assert_int_equal(mailimf_fields_parse(raw->data, raw->len, &idx, &fl),
			 MAILIMF_NO_ERROR);
	for (clistiter *it = clist_begin(fl->fld_list); it;
	     it = clist_next(it)) {
		struct mailimf_field *fld = clist_content(it);

		if (fld->fld_type == MAILIMF_FIELD_SUBJECT &&
		    !strcmp(name, "Subject"))
			buf_addstr(&v, fld->fld_data.fld_subject->sbj_value);
		else if (fld->fld_type == MAILIMF_FIELD_MESSAGE_ID &&
			 !strcmp(name, "Message-ID"))
			buf_addstr(&v, fld->fld_data.fld_message_id->mid_value);
		else if (fld->fld_type == MAILIMF_FIELD_OPTIONAL_FIELD &&
			 !strcasecmp(fld->fld_data.fld_optional_field->fld_name,
				     name))
			buf_addstr(&v,
				   fld->fld_data.fld_optional_field->fld_value);
	}
	mailimf_fields_free(fl);
	assert_int_equal(mime_decode_words(v.data, out), 0);
	buf_release(&v);
}

static void
raw_of(struct fixture *f, int64_t outbox_id, struct buf *raw)
{
	buf_reset(raw);
	if (outbox_raw(&f->t.e, outbox_id, raw, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
}

static struct notify_choice
choose(const struct notify_rules *r, const char *message, const char *profile,
       const char *role, const char *kind)
{
	struct notify_subject s;
	struct notify_choice c;

	memset(&s, 0, sizeof(s));
	s.message = message;
	s.profile = profile;
	s.roles = role ? &role : NULL;
	s.nroles = role != NULL;
	s.dossier_kind = kind;
	notify_rules_match(r, &s, &c);
	return c;
}

static void
test_patterns(void **state)
{
	(void)state;
	assert_true(notify_pattern_match("*-late", "task-late"));
	assert_true(notify_pattern_match("*", ""));
	assert_true(notify_pattern_match("t?sk-*", "task-assigned"));
	assert_true(notify_pattern_match("a*b*c", "axxbyybzc"));
	assert_true(notify_pattern_match("data-error-*", "data-error-holiday"));
	assert_false(notify_pattern_match("*-late", "task-lateness"));
	assert_false(notify_pattern_match("task", "task-late"));
	assert_false(notify_pattern_match("a*b*c", "axxbyyb"));
	assert_false(notify_pattern_match("?", ""));
}

static const char instance[] =
	"[notify]\n"			/* 1 */
	"format = 1\n"			/* 2 */
	"[default]\n"			/* 3 */
	"colour = amber\n"		/* 4 */
	"[rule commission-quiet]\n"	/* 5 */
	"message = item-*\n"		/* 6 */
	"role = rapporteur\n"		/* 7 */
	"enabled = no\n"		/* 8 */
	"[rule late]\n"			/* 9 */
	"message = task-late\n"		/* 10 */
	"channels = inbox\n"		/* 11 */
	"[message task-late]\n"		/* 12 */
	"todo_fr = Appelez le service.\n"; /* 13 */

static void
test_rules(void **state)
{
	struct fixture *f = *state;
	struct notify_rules *r = f->t.e.notify;
	struct notify_choice c;
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	struct rec v = REC_INIT;

	assert_int_equal(notify_rules_check(r, f->t.e.flows, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(notify_rules_count(r), 10);
	/* First match wins: the DGS before everyone late. */
	c = choose(r, "task-late", "elu", "member", NULL);
	assert_string_equal(c.rule, "late");
	assert_int_equal(c.channels, NOTIFY_INBOX | NOTIFY_EMAIL | NOTIFY_SMS);
	assert_string_equal(c.colour, "red");
	assert_true(c.ack);
	assert_int_equal(c.ack_within.n, 2);
	assert_int_equal(c.ack_within.unit, OFFSET_WORKDAYS);
	assert_non_null(c.todo_fr);
	assert_non_null(strstr(c.todo_ar, "المهمة"));
	c = choose(r, "task-late", "fonctionnaire", "dgs", NULL);
	assert_string_equal(c.rule, "dgs-follow-up");
	assert_false(c.ack);
	/* The dossier's kind. */
	c = choose(r, "dossier-late", "elu", NULL, "budget");
	assert_string_equal(c.rule, "budget");
	assert_int_equal(c.ack_within.n, 1);
	c = choose(r, "dossier-late", "elu", NULL, "urbanisme");
	assert_string_equal(c.rule, "late");
	/* The profile. */
	c = choose(r, "invitation-reminder", "elu", NULL, NULL);
	assert_int_equal(c.channels, NOTIFY_INBOX | NOTIFY_SMS);
	c = choose(r, "invitation-reminder", "fonctionnaire", NULL, NULL);
	assert_string_equal(c.rule, "default");
	assert_int_equal(c.channels, NOTIFY_INBOX);
	assert_string_equal(c.colour, "green");
	c = choose(r, "meeting-convoked", "elu", NULL, NULL);
	assert_int_equal(c.channels, NOTIFY_INBOX);

	/* The instance's layer: its rules first, its rule 'late' replaces
	 * the shipped one, its default colour reaches every rule without
	 * one. */
	assert_int_equal(notify_rules_add(r, "var/notify.ini", instance,
					  strlen(instance), &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(notify_rules_count(r), 11);
	c = choose(r, "task-late", "elu", NULL, NULL);
	assert_string_equal(c.rule, "late");
	assert_string_equal(c.file, "var/notify.ini");
	assert_int_equal(c.line, 9);
	assert_int_equal(c.channels, NOTIFY_INBOX);
	assert_string_equal(c.colour, "amber");
	assert_false(c.ack);
	assert_string_equal(c.todo_fr, "Appelez le service.");
	assert_non_null(c.todo_ar); /* the shipped one */
	c = choose(r, "item-voted", "elu", "rapporteur", NULL);
	assert_false(c.enabled);
	c = choose(r, "item-voted", "elu", "member", NULL);
	assert_true(c.enabled);
	assert_string_equal(c.rule, "outcomes");
	c = choose(r, "task-assigned", "elu", NULL, NULL);
	assert_string_equal(c.colour, "amber");
	c = choose(r, "escalation", "elu", NULL, NULL);
	assert_string_equal(c.colour, "red");

	/* Texts of the data errors. */
	rec_add_text(&v, "persons_fr", "M. A, Mme B");
	rec_add_text(&v, "persons_ar", "السيد أ، السيدة ب");
	rec_add_text(&v, "subject_fr", "S");
	rec_add_text(&v, "subject_ar", "ع");
	rec_add_text(&v, "sent_at_fr", "hier");
	rec_add_text(&v, "sent_at_ar", "أمس");
	assert_int_equal(notify_message_render(r, "escalation", &v, &fr, &ar,
					       &f->t.err),
			 MAJLIS_OK);
	assert_non_null(strstr(fr.data, "M. A, Mme B — « S », envoyé le hier"));
	assert_non_null(strstr(ar.data, "السيد أ، السيدة ب"));
	assert_int_equal(notify_message_render(r, "task-late", &v, &fr, &ar,
					       &f->t.err),
			 MAJLIS_ERR_DATA);
	rec_release(&v);
	buf_release(&fr);
	buf_release(&ar);
}

/* Mistakes, each refused with its line, keeping nothing of the file. */
static void
test_rules_refused(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} bad[] = {
		{ "[rule a]\n", "x.ini:1: the file must start with [notify]" },
		{ "[notify]\nformat = 2\n", "x.ini:2: format '2' is not one" },
		{ "[notify]\nformat = 1\n[rule a]\ncolour = pink\n",
		  "x.ini:4: colour is green, amber or red" },
		{ "[notify]\nformat = 1\n[rule a]\nack = 2w\n",
		  "x.ini:4: ack is a delay" },
		{ "[notify]\nformat = 1\n[rule a]\nchannels = inbox fax\n",
		  "x.ini:4: unknown channel 'fax'" },
		{ "[notify]\nformat = 1\n[rule a]\nrole = mayor\n",
		  "x.ini:4: unknown role 'mayor'" },
		{ "[notify]\nformat = 1\n[rule a]\n[rule a]\n",
		  "x.ini:4: rule 'a' given twice (line 3)" },
		{ "[notify]\nformat = 1\n[rule a]\nwhen = x\n",
		  "x.ini:4: unknown key 'when' in [rule]" },
		{ "[notify]\nformat = 1\n[message escalation]\n"
		  "fr = {{nobody}}\n",
		  "x.ini:4: unknown placeholder '{{nobody}}'" },
		{ "[notify]\nformat = 1\n[message task-late]\nfr = x\n",
		  "x.ini:4: message 'task-late' has its text in its mailflow" },
		{ "[notify]\n", "x.ini:1: no [notify] section with format" },
	};
	struct notify_rules *r;
	struct buf err = BUF_INIT;

	(void)state;
	notify_rules_new(&r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		buf_reset(&err);
		assert_int_equal(notify_rules_add(r, "x.ini", bad[i].text,
						  strlen(bad[i].text), &err),
				 MAJLIS_ERR_DATA);
		if (!strstr(err.data, bad[i].error))
			fail_msg("case %zu: '%s' has no '%s'", i, err.data,
				 bad[i].error);
	}
	assert_int_equal(notify_rules_count(r), 0);
	/* Without the shipped file, the texts of data errors are missing. */
	buf_reset(&err);
	assert_int_equal(notify_rules_check(r, NULL, &err), MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "'data-error-holiday' has no French"));
	notify_rules_free(r);
	buf_release(&err);
}

/* A pattern that matches no message of the mailflows, with its line. */
static void
test_rules_check_flows(void **state)
{
	struct fixture *f = *state;
	static const char typo[] = "[notify]\nformat = 1\n[rule x]\n"
				   "message = task-lat dossier-*\n"
				   "[message task-lat]\ntodo_fr = x\n";

	assert_int_equal(notify_rules_add(f->t.e.notify, "own.ini", typo,
					  strlen(typo), &f->t.err),
			 MAJLIS_OK);
	buf_reset(&f->t.err);
	assert_int_equal(notify_rules_check(f->t.e.notify, f->t.e.flows,
					    &f->t.err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(f->t.err.data,
			       "own.ini:4: rule 'x': 'task-lat' matches no "
			       "message"));
	assert_non_null(strstr(f->t.err.data,
			       "own.ini:5: no mailflow has a message "
			       "'task-lat'"));
	assert_null(strstr(f->t.err.data, "dossier-*"));
}

static void
test_channels_and_dedupe(void **state)
{
	struct fixture *f = *state;
	int64_t ev = event_row(f, "task", 1, "assign"), ob;
	struct notify_counts c;
	struct buf raw = BUF_INIT, v = BUF_INIT;

	/* task-assigned: the inbox and e-mail, acknowledged within two
	 * working days. */
	c = tell(f, ev, "task", 1, "task-assigned", "P1");
	assert_int_equal(c.inbox, 1);
	assert_int_equal(c.email, 1);
	assert_int_equal(c.sms, 0);
	/* Again (a job run twice): nothing new. */
	c = tell(f, ev, "task", 1, "task-assigned", "P1");
	assert_int_equal(c.inbox + c.email + c.sms, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM notification"), 2);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " channel = 'email' AND colour = 'green'"
			      " AND outbox_id = 1 AND ack_due_at ="
			      " '2026-12-03T09:00:00Z'"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM token WHERE purpose ="
			      " 'ack' AND object_kind = 'notification'"
			      " AND object_id = 2"),
			 1);
	/* The mail: French first for her, both languages, a reply token
	 * and a read receipt. */
	ob = q(f, "SELECT outbox_id FROM notification WHERE channel = 'email'");
	raw_of(f, ob, &raw);
	header(&raw, "Subject", &v);
	assert_string_equal(v.data, "Nouvelle tâche : préparer la salle — "
				    "مهمة جديدة: تهيئة القاعة");
	buf_reset(&v);
	header(&raw, "Disposition-Notification-To", &v);
	assert_true(starts_with(v.data + strspn(v.data, " "), "conseil+t."));
	buf_reset(&v);
	header(&raw, "Message-ID", &v);
	assert_true(starts_with(v.data, "ntf."));
	buf_reset(&v);
	header(&raw, "Auto-Submitted", &v);
	assert_string_equal(v.data, "auto-generated");
	assert_non_null(strstr(raw.data, "Reply-To:"));
	assert_non_null(strstr(raw.data, "text/html"));
	{
		struct buf html = BUF_INIT;

		test_mail_part(&raw, "html", &html);
		assert_non_null(strstr(html.data, "dir=\"rtl\""));
		buf_release(&html);
	}

	/* Arabic first for him; no receipt asked for an outcome. */
	ev = event_row(f, "dossier", 1, "approve");
	c = tell(f, ev, "dossier", 1, "dossier-approved", "S1");
	assert_int_equal(c.email, 1);
	ob = q(f, "SELECT max(id) FROM outbox");
	raw_of(f, ob, &raw);
	buf_reset(&v);
	header(&raw, "Subject", &v);
	assert_string_equal(v.data, "مهمة جديدة: تهيئة القاعة — "
				    "Nouvelle tâche : préparer la salle");
	assert_null(strstr(raw.data, "Disposition-Notification-To"));
	assert_null(strstr(raw.data, "Reply-To:"));

	/* task-late: SMS too, in each one's language. */
	ev = event_row(f, "task", 1, "late");
	c = tell(f, ev, "task", 1, "task-late", "P1");
	assert_int_equal(c.sms, 1);
	c = tell(f, ev, "task", 1, "task-late", "S1");
	assert_int_equal(c.sms, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox o JOIN outbox_raw r"
			      " ON r.id = o.id WHERE o.channel = 'sms'"
			      " AND CAST(r.raw AS TEXT) ="
			      " 'Nouvelle tâche : préparer la salle'"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox o JOIN outbox_raw r"
			      " ON r.id = o.id WHERE o.channel = 'sms'"
			      " AND CAST(r.raw AS TEXT) ="
			      " 'مهمة جديدة: تهيئة القاعة'"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " channel = 'sms' AND colour = 'red'"),
			 2);
	buf_release(&raw);
	buf_release(&v);
}

static void
test_sms_cut(void **state)
{
	struct fixture *f = *state;
	struct notify_item it;
	struct notify_counts c;
	struct buf longfr = BUF_INIT, sms = BUF_INIT;
	size_t chars = 0;

	for (int i = 0; i < 80; i++)
		buf_addstr(&longfr, "mot é ");
	memset(&it, 0, sizeof(it));
	memset(&c, 0, sizeof(c));
	it.event_id = event_row(f, "task", 2, "late");
	it.object_kind = "task";
	it.object_id = 2;
	it.message = "task-late";
	it.fr = longfr.data;
	it.ar = "ع";
	assert_int_equal(notify_person(&f->t.e, &it, pid(f, "P1"), &c,
				       &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(store_get_text(f->t.e.store, &f->t.err, &sms,
					"SELECT CAST(r.raw AS TEXT) FROM outbox o"
					" JOIN outbox_raw r ON r.id = o.id"
					" WHERE channel = 'sms'",
					NULL),
			 MAJLIS_OK);
	for (size_t i = 0; i < sms.len; i++)
		chars += ((unsigned char)sms.data[i] & 0xc0) != 0x80;
	assert_int_equal(chars, 300);
	assert_true(sms.len > 3 &&
		    !strcmp(sms.data + sms.len - 3, "…"));
	buf_release(&longfr);
	buf_release(&sms);
}

static void
test_quiet_hours(void **state)
{
	struct fixture *f = *state;
	int64_t ev;

	at(f, "2026-12-01T23:00");
	ev = event_row(f, "task", 1, "assign");
	tell(f, ev, "task", 1, "task-assigned", "O1");
	/* Held until 07:00, and acknowledged two working days after. */
	assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE next_at ="
			      " '2026-12-02T06:00:00Z'"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " ack_due_at = '2026-12-04T06:00:00Z'"),
			 1);
	/* The inbox row is there at once. */
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " channel = 'inbox'"),
			 1);
}

static void
test_missing_addresses(void **state)
{
	struct fixture *f = *state;
	int64_t e1 = event_row(f, "task", 1, "late");
	int64_t e2 = event_row(f, "task", 2, "late");
	struct notify_counts c;

	/* M1 has no phone: no SMS row; the DGS is told, once. */
	c = tell(f, e1, "task", 1, "task-late", "M1");
	assert_int_equal(c.sms, 0);
	assert_int_equal(c.email, 1);
	assert_int_equal(c.data_errors, 1);
	c = tell(f, e2, "task", 2, "task-late", "M1");
	assert_int_equal(c.data_errors, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " person_id = (SELECT id FROM person WHERE"
			      " code = 'M1') AND channel = 'sms'"),
			 0);
	assert_int_equal(q(f, "SELECT count(*) FROM notification n JOIN"
			      " person p ON p.id = n.person_id WHERE"
			      " p.code = 'D1' AND n.message ="
			      " 'data-error-no-phone' AND n.object_kind ="
			      " 'person' AND n.event_id IS NULL"),
			 2); /* inbox and e-mail */
	/* M2 has no e-mail. */
	c = tell(f, e1, "task", 1, "task-late", "M2");
	assert_int_equal(c.email, 0);
	assert_int_equal(c.sms, 1);
	assert_int_equal(c.data_errors, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'data-error-no-email'"),
			 2);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " subject_fr LIKE '%Mme Salma Sabri (M2)%'"),
			 2);
}

static int64_t
meeting_at(struct fixture *f, const char *start)
{
	struct buf sql = BUF_INIT;

	buf_addf(&sql,
		 "INSERT INTO meeting(organization_id, title_fr, title_ar,"
		 " starts_at, state, state_since, created_at) VALUES ((SELECT"
		 " id FROM organization WHERE code = 'CC'), 'Séance', 'جلسة',"
		 " '%s', 'convoked', '2026-12-01T09:00:00Z',"
		 " '2026-12-01T09:00:00Z')",
		 start);
	test_exec(&f->t, sql.data);
	buf_release(&sql);
	return store_last_id(f->t.e.store);
}

static void
check_meeting(struct fixture *f, int64_t m, struct buf *detail)
{
	int64_t ev = event_row(f, "meeting", m, "convoke");

	buf_reset(detail);
	assert_int_equal(store_begin(f->t.e.store, &f->t.err), MAJLIS_OK);
	if (notify_check_meeting(&f->t.e, m, ev, detail, &f->t.err) !=
	    MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	assert_int_equal(store_commit(f->t.e.store, &f->t.err), MAJLIS_OK);
}

static void
test_data_errors(void **state)
{
	struct fixture *f = *state;
	struct buf detail = BUF_INIT;
	int64_t m;

	/* New Year's Day: a holiday; M2 has no e-mail address. */
	m = meeting_at(f, "2027-01-01T09:00:00Z");
	check_meeting(f, m, &detail);
	assert_non_null(strstr(detail.data, "a public holiday"));
	assert_non_null(strstr(detail.data, "1 member without an e-mail"));
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'data-error-holiday' AND"
			      " channel = 'email' AND subject_fr LIKE"
			      " '%jour férié%' AND subject_ar LIKE"
			      " '%يوم عطلة رسمية%'"),
			 1);
	/* A Saturday; the missing address was told already. */
	m = meeting_at(f, "2027-01-09T09:00:00Z");
	check_meeting(f, m, &detail);
	assert_non_null(strstr(detail.data, "a weekend"));
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'data-error-weekend'"),
			 2);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'data-error-no-email'"),
			 2);
	/* A Tuesday, but three of the five members' terms end before. */
	test_exec(&f->t, "UPDATE membership SET until_date = '2027-01-31'"
			 " WHERE person_id IN (SELECT id FROM person WHERE"
			 " code IN ('M1', 'M2', 'V1'))");
	m = meeting_at(f, "2027-02-02T09:00:00Z");
	check_meeting(f, m, &detail);
	assert_non_null(strstr(detail.data, "no quorum (2 in office that day, "
					    "3 needed)"));
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'data-error-quorum' AND subject_fr"
			      " LIKE '%: 5 ; le jour de la séance : 2 ;"
			      " quorum : 3'"),
			 2);
	/* A good day, with everyone. */
	test_exec(&f->t, "UPDATE membership SET until_date = NULL");
	test_exec(&f->t, "UPDATE person SET email = 'm2@x.ma' WHERE"
			 " code = 'M2'");
	m = meeting_at(f, "2027-02-02T09:00:00Z");
	check_meeting(f, m, &detail);
	assert_string_equal(detail.data, "no probable data error");
	buf_release(&detail);
}

struct chased {
	int64_t reminded, escalated;
};

static int
on_chase(void *ctx, const struct rec *r)
{
	struct chased *c = ctx;

	assert_string_equal(rec_text(r, "step"), "chase");
	c->reminded = rec_int(r, "reminded", -1);
	c->escalated = rec_int(r, "escalated", -1);
	return 0;
}

static struct chased
chase(struct fixture *f, const char *now)
{
	struct chased c = { -1, -1 };

	at(f, now);
	if (chase_tick(&f->t.e, on_chase, &c, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	return c;
}

static void
test_chase(void **state)
{
	struct fixture *f = *state;
	struct chased c;
	struct buf raw = BUF_INIT, v = BUF_INIT;
	int64_t ack;

	/* An officer, an élu of a commission, the council's president,
	 * and a vice-president who acknowledges. */
	tell(f, event_row(f, "task", 1, "assign"), "task", 1, "task-assigned",
	     "O1");
	tell(f, event_row(f, "dossier", 1, "submit"), "dossier", 1,
	     "dossier-submitted", "M1");
	tell(f, event_row(f, "task", 2, "assign"), "task", 2, "task-assigned",
	     "P1");
	tell(f, event_row(f, "task", 3, "assign"), "task", 3, "task-assigned",
	     "V1");
	ack = q(f, "SELECT n.id FROM notification n JOIN person p ON p.id ="
		   " n.person_id WHERE p.code = 'V1' AND channel = 'email'");
	assert_int_equal(notify_acknowledge(&f->t.e, ack, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(q(f, "SELECT count(*) FROM notification n JOIN"
			      " person p ON p.id = n.person_id WHERE"
			      " p.code = 'V1' AND acknowledged_at IS NULL"),
			 0);
	/* Not yet due. */
	c = chase(f, "2026-12-03T09:59");
	assert_int_equal(c.reminded + c.escalated, 0);
	/* Due: a reminder each, on the same channel. */
	c = chase(f, "2026-12-03T10:01");
	assert_int_equal(c.reminded, 3);
	assert_int_equal(c.escalated, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE kind ="
			      " 'reminder'"),
			 3);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " reminded_at = '2026-12-03T09:01:00Z' AND"
			      " ack_due_at = '2026-12-07T09:01:00Z'"),
			 3);
	raw_of(f, q(f, "SELECT o.id FROM outbox o JOIN person p ON p.id ="
		       " o.person_id WHERE o.kind = 'reminder' AND p.code ="
		       " 'O1'"),
	       &raw);
	header(&raw, "Subject", &v);
	assert_true(starts_with(v.data, "Rappel : Nouvelle tâche"));
	assert_non_null(strstr(v.data, "تذكير: مهمة جديدة"));
	assert_non_null(strstr(raw.data, "In-Reply-To: <ntf."));
	c = chase(f, "2026-12-03T10:02");
	assert_int_equal(c.reminded + c.escalated, 0);
	/* Still nothing: the superiors. */
	c = chase(f, "2026-12-07T10:02");
	assert_int_equal(c.reminded, 0);
	assert_int_equal(c.escalated, 2);
	/* The officer's head of division (the one head), the commission
	 * member's president; nobody above the council's president. */
	assert_int_equal(q(f, "SELECT count(*) FROM notification n JOIN"
			      " person p ON p.id = n.person_id WHERE"
			      " n.message = 'escalation' AND p.code = 'H1'"
			      " AND n.channel = 'email' AND n.colour = 'red'"
			      " AND n.subject_fr LIKE '%M. Driss Naciri%'"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification n JOIN"
			      " person p ON p.id = n.person_id WHERE"
			      " n.message = 'escalation' AND p.code = 'S1'"
			      " AND n.subject_ar LIKE '%السيد كريم العلوي%'"),
			 2);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'escalation'"),
			 4);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " escalated_at IS NOT NULL"),
			 3);
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'escalation' AND detail LIKE 'nobody above%'"),
			 1);
	/* Each once: nothing more, ever. */
	c = chase(f, "2026-12-20T10:00");
	assert_int_equal(c.reminded + c.escalated, 0);
	/* The one acknowledged was left alone. */
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " acknowledged_at IS NOT NULL AND reminded_at"
			      " IS NULL AND escalated_at IS NULL"),
			 2);
	buf_release(&raw);
	buf_release(&v);
}

/* A DGS escalates to the council's president; a head to the DGS; an
 * officer with several heads to the DGS too. */
static void
test_chase_staff(void **state)
{
	struct fixture *f = *state;
	struct chased c;

	test_exec(&f->t, "INSERT INTO membership(person_id, organization_id,"
			 " role, from_date) SELECT p.id, g.id, 'head',"
			 " '2019-01-01' FROM person p, organization g WHERE"
			 " p.code = 'D1' AND g.code = 'CASA-DGS'");
	tell(f, event_row(f, "task", 1, "assign"), "task", 1, "task-assigned",
	     "O1");
	tell(f, event_row(f, "task", 2, "assign"), "task", 2, "task-assigned",
	     "H1");
	tell(f, event_row(f, "task", 3, "assign"), "task", 3, "task-assigned",
	     "D1");
	c = chase(f, "2026-12-03T10:01");
	assert_int_equal(c.reminded, 3);
	c = chase(f, "2026-12-07T10:02");
	assert_int_equal(c.escalated, 3);
	assert_int_equal(q(f, "SELECT count(*) FROM notification n JOIN"
			      " person p ON p.id = n.person_id WHERE"
			      " n.message = 'escalation' AND"
			      " n.channel = 'inbox' AND ((p.code = 'D1' AND"
			      " n.subject_fr LIKE '%Naciri%') OR (p.code ="
			      " 'D1' AND n.subject_fr LIKE '%Fassi%') OR"
			      " (p.code = 'P1' AND n.subject_fr LIKE"
			      " '%Kettani%'))"),
			 3);
}

struct listed {
	int n;
	char state[4][16], colour[4][16], subject[4][200];
	int64_t id[4];
};

static int
on_row(void *ctx, const struct rec *r)
{
	struct listed *l = ctx;

	if (l->n < 4) {
		snprintf(l->state[l->n], 16, "%s", rec_text(r, "state"));
		snprintf(l->colour[l->n], 16, "%s", rec_text(r, "colour"));
		snprintf(l->subject[l->n], 200, "%s", rec_text(r, "subject"));
		l->id[l->n] = rec_int(r, "id", 0);
	}
	l->n++;
	return 0;
}

static void
test_inbox(void **state)
{
	struct fixture *f = *state;
	struct listed l;
	int marked;
	int64_t s1 = pid(f, "S1");

	tell(f, event_row(f, "task", 1, "assign"), "task", 1, "task-assigned",
	     "S1");
	at(f, "2026-12-01T11:00");
	tell(f, event_row(f, "task", 1, "late"), "task", 1, "task-late", "S1");
	memset(&l, 0, sizeof(l));
	assert_int_equal(notify_inbox_list(&f->t.e, s1, 0, 0, on_row, &l,
					   &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(l.n, 2);
	/* Newest first, in his language. */
	assert_string_equal(l.colour[0], "red");
	assert_string_equal(l.colour[1], "green");
	assert_string_equal(l.state[0], "unread");
	assert_string_equal(l.subject[0], "مهمة جديدة: تهيئة القاعة");
	/* Reading one acknowledges it, on every channel. */
	assert_int_equal(notify_inbox_read(&f->t.e, s1, l.id[1], &marked,
					   &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(marked, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE"
			      " message = 'task-assigned' AND"
			      " acknowledged_at IS NOT NULL"),
			 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(notify_inbox_list(&f->t.e, s1, 1, 0, on_row, &l,
					   &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(l.n, 1);
	/* Somebody else's is not his to read. */
	assert_int_equal(notify_inbox_read(&f->t.e, pid(f, "P1"), l.id[0],
					   &marked, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(notify_inbox_read(&f->t.e, s1, 0, &marked,
					   &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(marked, 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(notify_inbox_list(&f->t.e, s1, 0, 0, on_row, &l,
					   &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(l.state[0], "acknowledged");
	assert_string_equal(l.state[1], "acknowledged");
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'inbox-read'"),
			 2);
}

/* Without rules (a library caller that sets none): the inbox only. */
static void
test_no_rules(void **state)
{
	struct fixture *f = *state;
	struct notify_counts c;
	struct notify_rules *saved = f->t.e.notify;

	f->t.e.notify = NULL;
	c = tell(f, event_row(f, "task", 1, "late"), "task", 1, "task-late",
		 "M2");
	f->t.e.notify = saved;
	assert_int_equal(c.inbox, 1);
	assert_int_equal(c.email + c.sms + c.data_errors, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM outbox"), 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		T(test_rules),
		cmocka_unit_test(test_rules_refused),
		T(test_rules_check_flows),
		T(test_channels_and_dedupe),
		T(test_sms_cut),
		T(test_quiet_hours),
		T(test_missing_addresses),
		T(test_data_errors),
		T(test_chase),
		T(test_chase_staff),
		T(test_inbox),
		T(test_no_rules),
	};
#undef T

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
