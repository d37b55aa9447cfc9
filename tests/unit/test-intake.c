/*
 * test-intake.c - one message, one event (intake.h), over the corpus of
 * tests/corpus/intake: each file's kind, where its reply token is, and
 * what it says, as expected.tsv lists them; the hostile ones refused
 * with their reason. Also: tokens in addresses and Message-IDs, and the
 * signs of lists, loops and failed authentication.
 */
#include "testlib.h"

#include "intake.h"
#include "reply.h"

#define DIR_ "tests/corpus/intake"
#define TOKEN "tokentokentokentoken"

static const struct intake_config cfg = {
	"conseil@casablanca.ma", "mx.casablanca.ma", NULL,
};

static void
check_file(const char *file, const char *kind, const char *where,
	   const char *says)
{
	struct buf path = BUF_INIT, raw = BUF_INIT, err = BUF_INIT;
	struct intake_event ev;
	enum majlis_status rc;

	buf_addf(&path, "%s/%s", DIR_, file);
	if (file_read(path.data, 1 << 24, &raw) < 0)
		fail_msg("cannot read %s", path.data);
	rc = intake_classify(raw.data, raw.len, &cfg, &ev, &err);
	if (!strcmp(kind, "quarantine")) {
		if (rc != MAJLIS_ERR_DATA)
			fail_msg("%s: not refused", file);
		if (!strstr(err.data, says))
			fail_msg("%s: '%s' does not say '%s'", file, err.data,
				 says);
		goto out;
	}
	if (rc != MAJLIS_OK)
		fail_msg("%s: %s", file, err.data);
	if (strcmp(intake_kind_name(ev.kind), kind))
		fail_msg("%s: read as %s (%s), not %s", file,
			 intake_kind_name(ev.kind), ev.reason, kind);
	if (strcmp(where, "-") ? !ev.token_in || strcmp(ev.token_in, where) ||
					 strcmp(ev.token, TOKEN)
			       : ev.token_in != NULL)
		fail_msg("%s: token in %s, not %s", file,
			 ev.token_in ? ev.token_in : "-", where);
	if (ev.kind == INTAKE_TEXT_REPLY) {
		int dossier = !strcmp(says, "approve") ||
			      !strcmp(says, "reject") || !strcmp(says, "return");
		struct reply_reading r;
		const char *got;

		reply_read(ev.text.data, dossier ? REPLY_DOSSIER
						 : REPLY_INVITATION, &r);
		got = r.outcome == REPLY_DECIDED ? reply_decision_name(r.decision)
		      : r.outcome == REPLY_AMBIGUOUS	 ? "ambiguous"
		      : r.outcome == REPLY_ONLY_IN_QUOTE ? "only-in-quote"
							 : "none";
		if (strcmp(got, says))
			fail_msg("%s: says %s, not %s (written: '%s')", file,
				 got, says, r.written.data);
		reply_release(&r);
	} else if (ev.kind == INTAKE_IMIP_REPLY ||
		   ev.kind == INTAKE_IMIP_COUNTER) {
		assert_string_equal(ev.answer.partstat, says);
		assert_string_equal(ev.answer.uid, "meeting-4@casablanca.ma");
	} else if (ev.kind == INTAKE_MDN) {
		assert_string_equal(ev.disposition, says);
		assert_string_equal(ev.original_id,
				    "ntf." TOKEN "@casablanca.ma");
	} else if (ev.kind == INTAKE_FORM) {
		char got[32];

		snprintf(got, sizeof(got), "%s:%zu",
			 ev.form.kind == FORM_PETITION ? "petition" : "dossier",
			 ev.form.nerrors);
		if (strcmp(got, says))
			fail_msg("%s: %s, not %s", file, got, says);
	} else if (ev.kind == INTAKE_DSN) {
		assert_int_equal(ev.bounce.n, 1);
		assert_string_equal(ev.bounce.rcpt[0].status, says);
		assert_string_equal(ev.bounce.original_id,
				    "inv." TOKEN "@casablanca.ma");
	}
out:
	intake_event_release(&ev);
	buf_release(&path);
	buf_release(&raw);
	buf_release(&err);
}

static void
test_corpus(void **state)
{
	struct buf tsv = BUF_INIT;
	char *line, *save = NULL;
	int files = 0;

	(void)state;
	assert_true(file_read(DIR_ "/expected.tsv", 1 << 20, &tsv) >= 0);
	for (line = strtok_r(tsv.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *s2 = NULL;
		int n = 0;

		if (line[0] == '#')
			continue;
		for (char *t = strtok_r(line, "\t", &s2); t && n < 5;
		     t = strtok_r(NULL, "\t", &s2))
			f[n++] = t;
		assert_int_equal(n, 5);
		check_file(f[0], f[1], f[2], f[3]);
		files++;
	}
	assert_int_equal(files, 28);
	buf_release(&tsv);
}

static void
test_tokens(void **state)
{
	char t[TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(intake_token_of_address(
				 cfg.own, "Conseil+T.ABCDEFGHIJKLMNOPQRST@Casablanca.MA",
				 t),
			 0);
	assert_string_equal(t, "abcdefghijklmnopqrst");
	assert_int_equal(intake_token_of_address(
				 cfg.own, "conseil+t.abcdefghijklmnopqrst@evil.ma",
				 t),
			 -1);
	assert_int_equal(intake_token_of_address(
				 cfg.own, "other+t.abcdefghijklmnopqrst@casablanca.ma",
				 t),
			 -1);
	assert_int_equal(intake_token_of_address(
				 cfg.own, "conseil+t.abcdefghijklmnopqrs1@casablanca.ma",
				 t),
			 -1);
	assert_int_equal(intake_token_of_address(cfg.own,
						 "conseil@casablanca.ma", t),
			 -1);
	assert_int_equal(intake_token_of_msgid(
				 cfg.own, "<inv.abcdefghijklmnopqrst@casablanca.ma>",
				 t),
			 0);
	assert_string_equal(t, "abcdefghijklmnopqrst");
	assert_int_equal(intake_token_of_msgid(
				 cfg.own, "inv.abcdefghijklmnopqrst@casablanca.ma.evil",
				 t),
			 -1);
	assert_int_equal(intake_token_of_msgid(
				 cfg.own, "dig.E0049.20261203@casablanca.ma", t),
			 -1);
}

static void
classify_file(const char *file, struct intake_event *ev)
{
	struct buf path = BUF_INIT, raw = BUF_INIT, err = BUF_INIT;

	buf_addf(&path, "%s/%s", DIR_, file);
	assert_true(file_read(path.data, 1 << 24, &raw) >= 0);
	if (intake_classify(raw.data, raw.len, &cfg, ev, &err) != MAJLIS_OK)
		fail_msg("%s: %s", file, err.data);
	buf_release(&path);
	buf_release(&raw);
	buf_release(&err);
}

static void
test_signs(void **state)
{
	struct intake_event ev;
	struct intake_config untrusting = cfg;
	struct buf err = BUF_INIT;
	const char loop[] = "From: conseil+t." TOKEN "@casablanca.ma\n"
			    "To: conseil+t." TOKEN "@casablanca.ma\n"
			    "Subject: x\n\nOui\n";

	(void)state;
	classify_file("forgery-dmarc.eml", &ev);
	assert_true(ev.auth_failed);
	intake_event_release(&ev);
	/* Only our own server's results count. */
	untrusting.authserv = "other.example";
	{
		struct buf raw = BUF_INIT;

		assert_true(file_read(DIR_ "/forgery-dmarc.eml", 1 << 20, &raw) >=
			    0);
		assert_int_equal(intake_classify(raw.data, raw.len, &untrusting,
						 &ev, &err),
				 MAJLIS_OK);
		assert_false(ev.auth_failed);
		intake_event_release(&ev);
		buf_release(&raw);
	}
	classify_file("gmail-fr-accept.eml", &ev);
	assert_false(ev.auth_failed);
	assert_false(ev.list);
	assert_string_equal(ev.sender, "karima.bennani@elus.casablanca.ma");
	assert_string_equal(ev.message_id,
			    "CAJx3fQ1+gmail-fr-accept@mail.gmail.com");
	intake_event_release(&ev);
	classify_file("list.eml", &ev);
	assert_true(ev.list);
	intake_event_release(&ev);
	classify_file("forgery-display-name.eml", &ev);
	/* The display name is not the sender. */
	assert_string_equal(ev.sender, "k.bennani@evil.example");
	intake_event_release(&ev);
	classify_file("vcard-iphone.eml", &ev);
	assert_non_null(strstr(ev.vcard.data, "FN:Omar Lahlou"));
	intake_event_release(&ev);
	assert_int_equal(intake_classify(loop, sizeof(loop) - 1, &cfg, &ev,
					 &err),
			 MAJLIS_OK);
	assert_true(ev.loop);
	intake_event_release(&ev);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_signs),
	};

	return cmocka_run_group_tests_name("intake", tests, NULL, NULL);
}
