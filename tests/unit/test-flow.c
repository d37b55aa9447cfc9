/*
 * test-flow.c - the workflow core: loading and checking mailflows (every
 * mistake refused with file:line), events through transitions and their
 * guards (roles, staff, owner, system, deadlines, quorum), refusals
 * recorded with their reason, deadlines that fire once per stay in a
 * state, and jobs done exactly once, retried, or given up.
 */
#include "testlib.h"

#include "audit.h"
#include "job.h"
#include "orgchart.h"
#include "tick.h"

/* A small council: CC with five members, and two civil servants. */
static const char people[] =
	"matricule,type,genre,prenom_fr,nom_fr,prenom_ar,nom_ar,langue,email,"
	"organisation,role,debut\n"
	"P1,elu,F,Nadia,Berrada,نادية,برادة,fr,p1@x.ma,CC,president,2021-09-20\n"
	"S1,elu,M,Omar,Tazi,عمر,التازي,ar,s1@x.ma,CC,secretary,2021-09-20\n"
	"M1,elu,M,Karim,Alaoui,كريم,العلوي,ar,m1@x.ma,CC,member,2021-09-20\n"
	"M2,elu,F,Salma,Sabri,سلمى,صبري,fr,m2@x.ma,CC,member,2021-09-20\n"
	"V1,elu,M,Anas,Lahlou,أنس,لحلو,fr,v1@x.ma,CC,vice_president,"
	"2021-09-20\n"
	"D1,fonctionnaire,F,Amina,Kettani,أمينة,الكتاني,fr,d1@x.ma,CASA-DGS,"
	"dgs,2019-01-01\n"
	"O1,fonctionnaire,M,Driss,Naciri,إدريس,الناصري,ar,o1@x.ma,CASA-DGS,"
	"officer,2019-01-01\n";

struct fixture {
	struct test_env t;
	int64_t meeting;	/* ordinary session, 2027-02-02 10:00 */
	int64_t item;		/* its first point */
	int64_t dossier;	/* owned by V1 */
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

	test_env_open(&f->t, "2026-11-29T09:00");
	if (orgchart_import(&f->t.e, "people.csv", people, strlen(people),
			    "test", 0, &c, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	test_exec(&f->t,
		  "INSERT INTO session(organization_id, kind, year, month,"
		  " title_fr, title_ar, opens_on) VALUES ((SELECT id FROM"
		  " organization WHERE code = 'CC'), 'ordinary', 2027, 2,"
		  " 'Session de février', 'دورة فبراير', '2027-02-01')");
	test_exec(&f->t,
		  "INSERT INTO meeting(session_id, organization_id, title_fr,"
		  " title_ar, starts_at, ends_at, place_fr, place_ar, state,"
		  " state_since, created_at) VALUES (1, (SELECT id FROM"
		  " organization WHERE code = 'CC'), 'Séance', 'جلسة',"
		  " '2027-02-02T09:00:00Z', '2027-02-02T14:00:00Z', 'Salle',"
		  " 'قاعة', 'draft', '2026-11-01T00:00:00Z',"
		  " '2026-11-01T00:00:00Z')");
	f->meeting = 1;
	test_exec(&f->t,
		  "INSERT INTO agenda_item(meeting_id, number, title_fr,"
		  " title_ar, state, state_since, created_at) VALUES (1, 1,"
		  " 'Budget', 'الميزانية', 'proposed', '2026-11-01T00:00:00Z',"
		  " '2026-11-01T00:00:00Z')");
	f->item = 1;
	test_exec(&f->t,
		  "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id,"
		  " owner_id, due_at, state, state_since, created_at) VALUES"
		  " ('DOS-2026-0001', 'budget', 'Budget', 'الميزانية', 1,"
		  " (SELECT id FROM person WHERE code = 'V1'),"
		  " '2026-12-15T09:00:00Z', 'created', '2026-11-01T00:00:00Z',"
		  " '2026-11-01T00:00:00Z')");
	f->dossier = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_env_close(&f->t);
	free(f);
	return 0;
}

static void
at(struct fixture *f, const char *now)
{
	clock_set_now(f->t.e.clock, test_time(f->t.e.clock, now));
}

/* Records and applies an event; returns the outcome, reason in *reason. */
static const char *
act(struct fixture *f, enum object_kind kind, int64_t id, const char *event,
    const char *actor, const char *const *set, struct buf *reason)
{
	static char outcome[32];
	struct event_spec ev;
	struct rec r = REC_INIT;
	int64_t eid;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.object_id = id;
	ev.name = event;
	ev.actor_id = actor ? pid(f, actor) : 0;
	ev.source = "cli";
	ev.cause = "test";
	ev.set = set;
	if (event_record(&f->t.e, &ev, &eid, &f->t.err) != MAJLIS_OK ||
	    event_apply(&f->t.e, eid, &r, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	snprintf(outcome, sizeof(outcome), "%s", rec_text(&r, "outcome"));
	if (reason) {
		buf_reset(reason);
		if (rec_text(&r, "reason"))
			buf_addstr(reason, rec_text(&r, "reason"));
	}
	rec_release(&r);
	return outcome;
}

static void
tick(struct fixture *f, struct tick_counts *c)
{
	struct tick_counts local;

	if (tick_run(&f->t.e, NULL, NULL, c ? c : &local, &f->t.err))
		fail_msg("%s", f->t.err.data);
}

static int64_t
q(struct fixture *f, const char *sql)
{
	return test_int(&f->t, sql);
}

static void
test_guards_roles(void **state)
{
	struct fixture *f = *state;
	struct buf why = BUF_INIT;

	/* Nobody acting: refused, and said so. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", NULL, NULL, &why),
			    "refused");
	assert_non_null(strstr(why.data, "needs a person acting"));
	/* A member may not convoke the council. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "M1", NULL, &why),
			    "refused");
	assert_non_null(strstr(why.data, "person M1 is not president"));
	assert_non_null(strstr(why.data, "guard 'role president or staff dgs'"));
	/* An officer is staff, but not the dgs. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "O1", NULL, &why),
			    "refused");
	assert_int_equal(q(f, "SELECT count(*) FROM meeting WHERE state ="
			      " 'draft'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'refused' AND object_kind = 'meeting'"), 3);
	assert_int_equal(q(f, "SELECT count(*) FROM event WHERE outcome ="
			      " 'refused' AND reason_code = 'not-allowed'"),
			 2);
	assert_int_equal(q(f, "SELECT count(*) FROM job"), 0);
	/* The president may. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "P1", NULL, &why),
			    "applied");
	assert_int_equal(q(f, "SELECT count(*) FROM meeting WHERE state ="
			      " 'convoked'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'transition' AND from_state = 'draft'"
			      " AND to_state = 'convoked'"
			      " AND actor = 'P1' AND cause LIKE 'event #%'"),
			 1);
	/* invite, cascade, check, notify, and the convocation and agenda to
	 * issue. */
	assert_int_equal(q(f, "SELECT count(*) FROM job WHERE state ="
			      " 'pending'"), 6);
	assert_int_equal(q(f, "SELECT count(*) FROM job WHERE kind = 'render'"
			      " AND arg1 IN ('convocation', 'agenda')"),
			 2);
	buf_release(&why);
}

static void
test_convocation_deadline(void **state)
{
	struct fixture *f = *state;
	struct buf why = BUF_INIT;

	/* Nine days before an ordinary session is too late. */
	at(f, "2027-01-24T09:00");
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "P1", NULL, &why),
			    "refused");
	assert_non_null(strstr(why.data, "too late: must happen before "
					 "2027-01-23T09:00:00Z (start -10d)"));
	assert_int_equal(q(f, "SELECT count(*) FROM event WHERE reason_code ="
			      " 'too-late'"), 1);
	/* An extraordinary one needs three days only. */
	test_exec(&f->t, "UPDATE session SET kind = 'extraordinary'");
	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "D1", NULL, &why),
			    "applied");
	buf_release(&why);
}

static void
test_invitations_and_deadlines(void **state)
{
	struct fixture *f = *state;
	struct tick_counts c;
	struct buf why = BUF_INIT;
	int fired;

	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "P1", NULL, NULL),
			    "applied");
	tick(f, &c);
	/* Five members invited and sent their invitation; the point is on
	 * the agenda; everyone was told. */
	assert_int_equal(q(f, "SELECT count(*) FROM invitation WHERE state ="
			      " 'sent'"), 5);
	assert_int_equal(q(f, "SELECT count(*) FROM agenda_item WHERE state ="
			      " 'scheduled'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'invitation'"), 5);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'meeting-convoked'"), 5);
	/* invite, cascade, check, notify; each invitation's notify and
	 * mail (nothing to send here: mail is not set up). */
	assert_int_equal(c.jobs, 4 + 5 + 5);
	/* Another tick at the same time changes nothing. */
	tick(f, &c);
	assert_int_equal(c.deadlines + c.applied + c.refused + c.jobs, 0);

	/* Only the invitee answers for herself, and before the start. */
	assert_string_equal(act(f, OBJ_INVITATION, 2, "accept", "P1", NULL,
				&why),
			    "refused");
	assert_non_null(strstr(why.data, "is not the one this invitation"));
	assert_string_equal(act(f, OBJ_INVITATION, 2, "accept", "S1", NULL,
				NULL),
			    "applied");
	assert_int_equal(q(f, "SELECT count(*) FROM invitation WHERE id = 2"
			      " AND answered_at = '2026-11-29T08:00:00Z'"),
			 1);

	/* Two days before: reminders, once. */
	at(f, "2027-01-31T09:59");
	assert_int_equal(flow_fire_deadlines(&f->t.e, &fired, NULL, NULL,
					     &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(fired, 1); /* the dossier, late since December */
	at(f, "2027-01-31T10:00");
	assert_int_equal(flow_fire_deadlines(&f->t.e, &fired, NULL, NULL,
					     &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(fired, 4);
	assert_int_equal(flow_fire_deadlines(&f->t.e, &fired, NULL, NULL,
					     &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(fired, 0);
	tick(f, &c);
	assert_int_equal(c.applied, 5);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'invitation-reminder'"), 4);
	tick(f, &c);
	assert_int_equal(c.deadlines + c.applied + c.jobs, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM invitation WHERE state ="
			      " 'sent'"), 4);

	/* At the start, unanswered invitations expire; too late to answer. */
	at(f, "2027-02-02T10:00");
	tick(f, &c);
	assert_int_equal(c.deadlines, 4);
	assert_int_equal(q(f, "SELECT count(*) FROM invitation WHERE state ="
			      " 'expired'"), 4);
	assert_string_equal(act(f, OBJ_INVITATION, 3, "accept", "M1", NULL,
				&why),
			    "refused");
	assert_non_null(strstr(why.data, "cannot take 'accept'"));
	buf_release(&why);
}

static void
test_quorum_and_votes(void **state)
{
	struct fixture *f = *state;
	struct buf why = BUF_INIT;
	const char *two[] = { "present_count=2", NULL };
	const char *three[] = { "present_count=3", NULL };
	const char *bad[] = { "votes_for=4", "votes_against=1", NULL };
	const char *votes[] = { "votes_for=4", "votes_against=1",
				"votes_abstain=0", NULL };
	const char *stray[] = { "votes_for=1", NULL };

	assert_string_equal(act(f, OBJ_MEETING, 1, "convoke", "P1", NULL, NULL),
			    "applied");
	tick(f, NULL);
	/* Not before it starts. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "hold", "S1", three, &why),
			    "refused");
	assert_non_null(strstr(why.data, "too early"));
	at(f, "2027-02-02T10:05");
	/* The quorum: more than half of five members. */
	assert_string_equal(act(f, OBJ_MEETING, 1, "hold", "S1", two, &why),
			    "refused");
	assert_non_null(strstr(why.data, "no quorum: 2 present"));
	assert_string_equal(act(f, OBJ_MEETING, 1, "hold", "S1", NULL, &why),
			    "refused");
	assert_non_null(strstr(why.data, "quorum unknown: set present_count"));
	assert_string_equal(act(f, OBJ_MEETING, 1, "hold", "S1", three, &why),
			    "applied");
	assert_int_equal(q(f, "SELECT present_count FROM meeting"), 3);
	/* A vote needs its three counts; then it is a decision. */
	assert_string_equal(act(f, OBJ_AGENDA_ITEM, 1, "vote", "S1", bad, &why),
			    "refused");
	assert_non_null(strstr(why.data, "needs votes_abstain"));
	assert_string_equal(act(f, OBJ_AGENDA_ITEM, 1, "discuss", "S1", stray,
				&why),
			    "refused");
	assert_non_null(strstr(why.data, "'discuss' cannot set votes_for "
					 "(it sets: summary_fr, summary_ar)"));
	assert_string_equal(act(f, OBJ_AGENDA_ITEM, 1, "vote", "S1", votes,
				NULL),
			    "applied");
	tick(f, NULL);
	assert_int_equal(q(f, "SELECT count(*) FROM decision WHERE number ="
			      " 'CASA-DEL-2027-0001' AND adopted = 1"
			      " AND votes_for = 4"), 1);
	buf_release(&why);
}

static void
test_record_checks(void **state)
{
	struct fixture *f = *state;
	struct event_spec ev;
	int64_t id, id2;
	const char *bad_int[] = { "present_count=lots", NULL };
	const char *bad_field[] = { "colour=red", NULL };
	const char *bad_time[] = { "starts_at=tomorrow", NULL };
	const char *bad_choice[] = { "attendance=maybe", NULL };

	memset(&ev, 0, sizeof(ev));
	ev.kind = OBJ_MEETING;
	ev.object_id = 1;
	ev.name = "launch";
	ev.source = "cli";
	ev.cause = "test";
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_USAGE);
	assert_non_null(strstr(f->t.err.data, "no event 'launch'"));
	ev.name = "hold";
	ev.set = bad_int;
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_DATA);
	ev.set = bad_field;
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_USAGE);
	ev.set = bad_time;
	ev.name = "reschedule";
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_DATA);
	ev.kind = OBJ_INVITATION;
	ev.name = "attendance";
	ev.set = bad_choice;
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_NOTFOUND); /* no invitation #1 yet */
	ev.kind = OBJ_MEETING;
	ev.object_id = 99;
	ev.set = NULL;
	ev.name = "convoke";
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM event"), 0);
	/* A dedupe key records once. */
	ev.object_id = 1;
	ev.dedupe = "k1";
	assert_int_equal(event_record(&f->t.e, &ev, &id, &f->t.err), 0);
	assert_true(id > 0);
	assert_int_equal(event_record(&f->t.e, &ev, &id2, &f->t.err), 0);
	assert_int_equal(id2, 0);
	/* Applying twice applies once. */
	{
		struct rec r = REC_INIT;

		assert_int_equal(event_apply(&f->t.e, id, &r, &f->t.err), 0);
		rec_release(&r);
		assert_int_equal(event_apply(&f->t.e, id, &r, &f->t.err), 0);
		assert_string_equal(rec_text(&r, "outcome"), "already-applied");
		rec_release(&r);
	}
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE object_kind ="
			      " 'meeting'"), 1);
}

static void
test_dossier_owner_and_messages(void **state)
{
	struct fixture *f = *state;
	struct buf fr = BUF_INIT, ar = BUF_INIT, why = BUF_INIT;
	const char *comment[] = { "comment=Pièces à compléter", NULL };

	assert_string_equal(act(f, OBJ_DOSSIER, 1, "submit", "O1", NULL, NULL),
			    "applied");
	assert_string_equal(act(f, OBJ_DOSSIER, 1, "approve", "M1", NULL, &why),
			    "refused");
	assert_string_equal(act(f, OBJ_DOSSIER, 1, "return", "V1", comment,
				NULL),
			    "applied");
	tick(f, NULL);
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'dossier-returned' AND subject_fr LIKE"
			      " '%Pièces à compléter%'"),
			 1);
	assert_int_equal(flow_render_message(&f->t.e,
					     flowset_flow(f->t.e.flows,
							  OBJ_DOSSIER),
					     "dossier-submitted", 1, &fr, &ar,
					     &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(fr.data, "Dossier DOS-2026-0001 à décider : Budget "
				     "(échéance : mardi 15 décembre 2026 à "
				     "10h00)");
	assert_string_equal(ar.data, "ملف DOS-2026-0001 في انتظار قراركم: "
				     "الميزانية (الأجل: الثلاثاء 15 دجنبر 2026 "
				     "على الساعة 10:00)");
	/* Past its due date the dossier is late, once. */
	at(f, "2026-12-16T09:00");
	{
		struct tick_counts c;

		tick(f, &c);
		assert_int_equal(c.deadlines, 1);
		tick(f, &c);
		assert_int_equal(c.deadlines, 0);
	}
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'dossier-late'"), 2); /* owner, dgs */
	buf_release(&fr);
	buf_release(&ar);
	buf_release(&why);
}

static void
test_job_retry_and_failure(void **state)
{
	struct fixture *f = *state;
	struct rec r = REC_INIT;
	int64_t id;

	/* A job whose work cannot be done (a cascade to nowhere). */
	test_exec(&f->t,
		  "INSERT INTO job(kind, object_kind, object_id, arg1, arg2,"
		  " due_at, created_at) VALUES ('cascade', 'meeting', 1,"
		  " 'dossier', 'x', '2026-11-29T08:00:00Z',"
		  " '2026-11-29T08:00:00Z')");
	id = job_next_due(&f->t.e);
	assert_int_equal(id, 1);
	for (int i = 1; i <= JOB_MAX_ATTEMPTS; i++) {
		assert_int_equal(job_run(&f->t.e, id, &r, &f->t.err), 0);
		assert_string_equal(rec_text(&r, "outcome"),
				    i < JOB_MAX_ATTEMPTS ? "retry" : "failed");
		rec_release(&r);
		/* Not due again until later. */
		assert_int_equal(job_next_due(&f->t.e), 0);
		at(f, "2026-12-30T09:00");
	}
	assert_int_equal(q(f, "SELECT count(*) FROM job WHERE state = 'failed'"
			      " AND attempts = 5 AND last_error LIKE"
			      " '%no children%'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'job-retry'"), 4);
	assert_int_equal(q(f, "SELECT count(*) FROM audit WHERE action ="
			      " 'job-failed'"), 1);
	assert_int_equal(job_next_due(&f->t.e), 0);
	/* A done job is not done again. */
	assert_string_equal(act(f, OBJ_DOSSIER, 1, "submit", "O1", NULL, NULL),
			    "applied");
	id = job_next_due(&f->t.e);
	assert_int_equal(job_run(&f->t.e, id, &r, &f->t.err), 0);
	assert_string_equal(rec_text(&r, "outcome"), "done");
	rec_release(&r);
	assert_int_equal(job_run(&f->t.e, id, &r, &f->t.err), 0);
	assert_string_equal(rec_text(&r, "outcome"), "already-done");
	rec_release(&r);
	/* The transition's other jobs (its mail, its notification). */
	while ((id = job_next_due(&f->t.e)) > 0) {
		assert_int_equal(job_run(&f->t.e, id, &r, &f->t.err), 0);
		assert_string_equal(rec_text(&r, "outcome"), "done");
		rec_release(&r);
	}
	assert_int_equal(q(f, "SELECT count(*) FROM notification WHERE message"
			      " = 'dossier-submitted'"), 1);
}

/* A minimal valid flow, then a table of mistakes and their messages. */
static const char good_task[] =
	"[flow]\n"			/* 1 */
	"format = 1\n"			/* 2 */
	"object = task\n"		/* 3 */
	"initial = open\n"		/* 4 */
	"fr = T\n"			/* 5 */
	"ar = ت\n"			/* 6 */
	"[state open]\n"		/* 7 */
	"fr = o\n"			/* 8 */
	"ar = و\n"			/* 9 */
	"[state done]\n"		/* 10 */
	"fr = d\n"			/* 11 */
	"ar = د\n"			/* 12 */
	"final = yes\n"			/* 13 */
	"[transition complete]\n"	/* 14 */
	"from = open\n"			/* 15 */
	"to = done\n"			/* 16 */
	"guard = owner\n"		/* 17 */
	"notify = owner m\n"		/* 18 */
	"[message m]\n"			/* 19 */
	"fr = {{title_fr}} {{due_at_fr}}\n" /* 20 */
	"ar = {{title_ar}}\n";		/* 21 */

struct mistake {
	const char *find;	/* replace the first occurrence of this */
	const char *with;	/* by this */
	const char *expect;	/* and expect this in the error */
};

static const struct mistake mistakes[] = {
	{ "format = 1", "format = 2", "t.flow:2: unknown format '2'" },
	{ "object = task", "object = spaceship",
	  "t.flow:3: unknown object 'spaceship'" },
	{ "[flow]\n", "[state x]\n", "t.flow:1: the first section must be" },
	{ "initial = open", "initial = nowhere",
	  "t.flow:4: initial state 'nowhere' is not declared" },
	{ "from = open", "from = opened", "t.flow:15: unknown state 'opened'" },
	{ "to = done\n", "", "t.flow:14: transition 'complete' needs 'to'" },
	{ "guard = owner", "guard = role pope",
	  "t.flow:17: guard 'role pope': unknown role 'pope'" },
	{ "guard = owner", "guard = before due -10x",
	  "t.flow:17: guard 'before due -10x': bad offset '-10x'" },
	{ "guard = owner", "guard = before nowhere",
	  "a task has no time 'nowhere'" },
	{ "guard = owner", "guard = owner or", "'or' needs a guard on each" },
	{ "guard = owner", "guard = quorum",
	  "'quorum' applies to meetings only" },
	{ "guard = owner", "guard = sorcery", "t.flow:17: guard 'sorcery': "
					      "unknown guard 'sorcery'" },
	{ "notify = owner m", "job = cascade invitation send",
	  "t.flow:18: a task has no children of kind 'invitation'" },
	{ "notify = owner m", "notify = owner nope",
	  "t.flow:18: no [message nope] in this flow" },
	{ "notify = owner m", "notify = everyone m",
	  "t.flow:18: unknown audience 'everyone'" },
	{ "notify = owner m", "job = invite",
	  "job 'invite' applies to meetings only" },
	{ "notify = owner m", "set = votes_for",
	  "t.flow:18: a task has no settable field 'votes_for'" },
	{ "{{title_fr}}", "{{nope}}",
	  "t.flow:19: message 'm': unknown placeholder '{{nope}}'" },
	{ "{{title_fr}}", "{{title_fr", "message 'm': bad placeholder" },
	{ "{{title_ar}}", "{{title_ar", "message 'm': '{{' without '}}'" },
	{ "[message m]", "[deadline d]\nstate = open\nat = due\nevent = x\n"
			 "[message m]",
	  "t.flow:19: deadline 'd' raises 'x', which no transition takes" },
	{ "[message m]", "[deadline d]\nstate = done\nat = due\n"
			 "event = complete\n[message m]",
	  "deadline 'd' watches final state 'done'" },
	{ "[state done]", "[state open]", "t.flow:10: state 'open' declared" },
	{ "guard = owner", "colour = red", "t.flow:17: unknown key 'colour'" },
	{ "ar = و\n", "", "state 'open' needs its label in fr and ar" },
	{ "[transition complete]", "[transition Complete!]",
	  "t.flow:14: bad section header" },
	{ "fr = o", "fr o", "t.flow:8: expected 'key = value'" },
	{ "fr = T", "fr = \xff", "t.flow:5: not UTF-8" },
};

static void
test_load_mistakes(void **state)
{
	struct buf err = BUF_INIT;
	struct flowset *fs;

	(void)state;
	flowset_new(&fs);
	if (flowset_add(fs, "t.flow", good_task, strlen(good_task), &err))
		fail_msg("the good flow: %s", err.data);
	/* A second flow for the same kind. */
	assert_int_equal(flowset_add(fs, "u.flow", good_task,
				     strlen(good_task), &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "u.flow: a second flow for task "
					 "(the first is t.flow)"));
	/* The other kinds have no flow. */
	buf_reset(&err);
	assert_int_equal(flowset_check(fs, &err), MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "no mailflow drives meetings"));
	flowset_free(fs);
	for (size_t i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++) {
		const struct mistake *m = &mistakes[i];
		const char *at = strstr(good_task, m->find);
		struct buf text = BUF_INIT;

		assert_non_null(at);
		buf_add(&text, good_task, (size_t)(at - good_task));
		buf_addstr(&text, m->with);
		buf_addstr(&text, at + strlen(m->find));
		flowset_new(&fs);
		buf_reset(&err);
		assert_int_equal(flowset_add(fs, "t.flow", text.data, text.len,
					     &err),
				 MAJLIS_ERR_DATA);
		if (!strstr(err.data, m->expect))
			fail_msg("mistake %zu: expected '%s', got '%s'", i,
				 m->expect, err.data);
		assert_null(flowset_flow(fs, OBJ_TASK));
		flowset_free(fs);
		buf_release(&text);
	}
	buf_release(&err);
}

static void
write_file(const char *path, const char *text)
{
	assert_int_equal(file_write_atomic(path, text, strlen(text)), 0);
}

static void
test_instance_overrides_and_cascades(void **state)
{
	struct fixture *f = *state;
	char own[400], path[500], shipped[4096];
	struct buf data = BUF_INIT, err = BUF_INIT;
	const char *dirs[2];
	struct flowset *fs;
	char *p;

	/* An instance's task.flow replaces the shipped one. */
	snprintf(own, sizeof(own), "%s/mailflows", f->t.dir);
	assert_int_equal(mkdir_p(own, 0755), 0);
	snprintf(path, sizeof(path), "%s/task.flow", own);
	write_file(path, good_task);
	snprintf(shipped, sizeof(shipped), "%s", test_data("mailflows"));
	dirs[0] = own;
	dirs[1] = shipped;
	flowset_new(&fs);
	if (flowset_load_dirs(fs, dirs, 2, &err))
		fail_msg("%s", err.data);
	assert_int_equal(strcmp(flow_initial(flowset_flow(fs, OBJ_TASK)),
				"open"), 0);
	assert_false(flow_has_event(flowset_flow(fs, OBJ_TASK), "assign"));
	assert_true(flow_has_event(flowset_flow(fs, OBJ_MEETING), "convoke"));
	flowset_free(fs);
	/* A cascade naming an event its child's flow lacks is refused. */
	assert_int_equal(file_read(test_data("mailflows/meeting.flow"), 1 << 20,
				   &data), 0);
	p = strstr(data.data, "job = cascade agenda_item schedule");
	assert_non_null(p);
	memcpy(p + strlen("job = cascade agenda_item "), "launch  ", 8);
	snprintf(path, sizeof(path), "%s/meeting.flow", own);
	write_file(path, data.data);
	flowset_new(&fs);
	buf_reset(&err);
	if (flowset_load_dirs(fs, dirs, 2, &err) != MAJLIS_ERR_DATA)
		fail_msg("expected a data error, got: %s", err.data);
	assert_non_null(strstr(err.data, "meeting.flow:"));
	assert_non_null(strstr(err.data, "has no event 'launch'"));
	flowset_free(fs);
	buf_release(&data);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_mistakes),
		cmocka_unit_test_setup_teardown(test_guards_roles, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_convocation_deadline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_invitations_and_deadlines,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_and_votes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_record_checks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dossier_owner_and_messages,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_retry_and_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_instance_overrides_and_cascades, setup, teardown),
	};

	return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
