/*
 * test-bounce.c - delivery failures (bounce.h): a standard report from
 * Postfix, Exim's header, the texts of qmail, sendmail and Exchange
 * without a report, a delay; what is not a bounce (an out-of-office
 * reply, a person's mail that talks of failure); and over the 629 real
 * messages of ../shared/corpus/bounces, the share of bounces whose
 * failed recipient and status majlis names.
 */
#include "testlib.h"

#include <dirent.h>

#include "bounce.h"

static int
read_one(const char *raw, struct bounce *b)
{
	struct mailin m;
	struct buf err = BUF_INIT;
	int r;

	if (mailin_parse(raw, strlen(raw), NULL, &m, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	r = bounce_read(&m, b);
	mailin_release(&m);
	buf_release(&err);
	return r;
}

static void
test_standard(void **state)
{
	const char *raw =
		"From: MAILER-DAEMON@mx.casablanca.test (Mail Delivery System)\n"
		"To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"Content-Type: multipart/report; report-type=delivery-status;"
		" boundary=B\n\n"
		"--B\nContent-Type: text/plain\n\n"
		"I'm sorry to have to inform you that your message could not\n"
		"be delivered to one or more recipients.\n\n"
		"<nobody@bounce.test>: host mx.bounce.test said: 550 5.1.1\n"
		"--B\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.casablanca.test\n\n"
		"Final-Recipient: rfc822; ok@bounce.test\n"
		"Action: delivered\nStatus: 2.0.0\n\n"
		"Final-Recipient: rfc822; nobody@bounce.test\n"
		"Action: failed\nStatus: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 5.1.1 <nobody@bounce.test>: user "
		"unknown\n\n"
		"Final-Recipient: rfc822; \"odd..name\"@bounce.test\n"
		"Action: failed\nStatus: 5.2.2\n"
		"--B\nContent-Type: message/rfc822\n\n"
		"Message-ID: <inv.abcdefghijklmnopqrst@casablanca.test>\n"
		"To: nobody@bounce.test\nSubject: Convocation\n\n"
		"Reply with: oui\n"
		"--B--\n";
	struct bounce b;

	(void)state;
	assert_int_equal(read_one(raw, &b), 1);
	assert_true(b.standard);
	assert_false(b.temporary);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.rcpt[0].addr, "nobody@bounce.test");
	assert_string_equal(b.rcpt[0].status, "5.1.1");
	assert_non_null(strstr(b.rcpt[0].diagnostic, "user unknown"));
	assert_string_equal(b.rcpt[1].addr, "\"odd..name\"@bounce.test");
	assert_string_equal(b.rcpt[1].status, "5.2.2");
	assert_string_equal(b.original_id,
			    "inv.abcdefghijklmnopqrst@casablanca.test");
	bounce_release(&b);
}

static void
test_non_standard(void **state)
{
	static const struct {
		const char *raw, *addr, *status;
	} cases[] = {
		/* Exim */
		{ "From: Mail Delivery System <Mailer-Daemon@mx.example.ma>\n"
		  "To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		  "Subject: Mail delivery failed: returning message to sender\n"
		  "X-Failed-Recipients: Karim@Example.MA\n\n"
		  "This message was created automatically by mail delivery "
		  "software.\n\nA message that you sent could not be delivered "
		  "to one or more of its\nrecipients. This is a permanent "
		  "error. The following address(es) failed:\n\n"
		  "  Karim@Example.MA\n    SMTP error from remote mail server "
		  "after RCPT TO:<Karim@Example.MA>:\n    550 5.1.1 No such "
		  "user\n",
		  "Karim@example.ma", "5.1.1" },
		/* qmail */
		{ "From: MAILER-DAEMON@example.ma\n"
		  "To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		  "Subject: failure notice\n\n"
		  "Hi. This is the qmail-send program at example.ma.\n"
		  "I'm afraid I wasn't able to deliver your message to the "
		  "following addresses.\nThis is a permanent error; I've given "
		  "up. Sorry it didn't work out.\n\n"
		  "<salma@example.ma>:\nSorry, no mailbox here by that name. "
		  "(#5.1.1)\n\n--- Below this line is a copy of the message.\n\n"
		  "Return-Path: <conseil+t.abcdefghijklmnopqrst@casablanca.test>\n"
		  "To: salma@example.ma\n",
		  "salma@example.ma", "5.1.1" },
		/* sendmail, with only words to say why */
		{ "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.ma>\n"
		  "To: <conseil+t.abcdefghijklmnopqrst@casablanca.test>\n"
		  "Subject: Returned mail: see transcript for details\n\n"
		  "   ----- The following addresses had permanent fatal errors "
		  "-----\n<omar@example.ma>\n    (reason: User unknown)\n",
		  "omar@example.ma", "5.1.1" },
		/* Exchange, in French, the full mailbox */
		{ "From: postmaster@example.ma\n"
		  "To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		  "Subject: =?utf-8?q?Non_remis=C2=A0:_Convocation?=\n\n"
		  "La remise aux destinataires ou groupes suivants a échoué :\n\n"
		  "nadia@example.ma\nLa boîte aux lettres est pleine (mailbox "
		  "full).\n",
		  "nadia@example.ma", "5.2.2" },
		/* a delay */
		{ "From: MAILER-DAEMON@mx.casablanca.test\n"
		  "To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		  "Subject: Delayed Mail (still being retried)\n"
		  "Content-Type: multipart/report; report-type=delivery-status;"
		  " boundary=D\n\n"
		  "--D\nContent-Type: message/delivery-status\n\n"
		  "Final-Recipient: rfc822; slow@example.ma\n"
		  "Action: delayed\nStatus: 4.4.1\n--D--\n",
		  "slow@example.ma", "4.4.1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct bounce b;

		if (read_one(cases[i].raw, &b) != 1)
			fail_msg("case %zu: not read as a bounce", i);
		if (b.n != 1)
			fail_msg("case %zu: %zu recipients", i, b.n);
		assert_string_equal(b.rcpt[0].addr, cases[i].addr);
		assert_string_equal(b.rcpt[0].status, cases[i].status);
		assert_int_equal(b.temporary, cases[i].status[0] == '4');
		bounce_release(&b);
	}
}

static void
test_not_bounces(void **state)
{
	static const char *const raws[] = {
		/* an out-of-office reply */
		"From: Karim Bennani <karim@example.ma>\n"
		"To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		"Subject: Absent du bureau\nAuto-Submitted: auto-replied\n\n"
		"Je suis absent; the delivery of your mail failed? no.\n",
		/* a person's reply that talks of a failure */
		"From: Karim Bennani <karim@example.ma>\n"
		"To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		"Subject: Re: Convocation\n\n"
		"Oui. The delivery of the dossier failed last time, "
		"user unknown.\n",
	};
	struct bounce b;

	(void)state;
	for (size_t i = 0; i < sizeof(raws) / sizeof(*raws); i++) {
		assert_int_equal(read_one(raws[i], &b), 0);
		assert_int_equal(b.n, 0);
	}
}

/* The real bounces: every one read without a crash; of those that are
 * bounces (not the feedback reports and auto-replies that are there too),
 * the share whose failed recipient and status majlis names. */
static void
test_corpus_share(void **state)
{
	const char *dir = "../shared/corpus/bounces/maildir/bsd";
	DIR *d = opendir(dir);
	struct dirent *de;
	int files = 0, bounces = 0, named = 0, not_bounces = 0;

	(void)state;
	if (!d)
		fail_msg("the shared corpus is missing: %s", dir);
	while ((de = readdir(d))) {
		struct buf path = BUF_INIT, raw = BUF_INIT, err = BUF_INIT;
		struct mailin m;
		struct bounce b;
		int expect_bounce;

		if (de->d_name[0] == '.')
			continue;
		/* Sisimai's set holds feedback reports (arf-*) and
		 * auto-replies (rfc3834-*) beside the bounces. */
		expect_bounce = strncmp(de->d_name, "arf-", 4) &&
				strncmp(de->d_name, "rfc3834-", 8);
		buf_addf(&path, "%s/%s", dir, de->d_name);
		assert_true(file_read(path.data, 1 << 24, &raw) >= 0);
		if (mailin_parse(raw.data, raw.len, NULL, &m, &err) != MAJLIS_OK)
			fail_msg("%s: %s", de->d_name, err.data);
		files++;
		if (bounce_read(&m, &b)) {
			if (expect_bounce) {
				bounces++;
				named += b.n > 0 && b.rcpt[0].status[0];
			}
			bounce_release(&b);
		} else if (!expect_bounce) {
			not_bounces++;
		}
		if (!expect_bounce && bounce_read(&m, &b)) {
			bounce_release(&b);
			fail_msg("%s: an auto-reply or a complaint read as a "
				 "bounce",
				 de->d_name);
		}
		mailin_release(&m);
		buf_release(&path);
		buf_release(&raw);
		buf_release(&err);
	}
	closedir(d);
	print_message("bounces: %d files, %d read as bounces, failed recipient "
		      "and status named for %d (%.1f%%); %d of the %d others "
		      "not taken for bounces\n",
		      files, bounces, named, 100.0 * named / (files - 23),
		      not_bounces, 23);
	assert_int_equal(files, 629);
	/* Of the 606 messages that are meant as bounces. */
	assert_true(named * 100 >= 85 * (files - 23));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard),
		cmocka_unit_test(test_non_standard),
		cmocka_unit_test(test_not_bounces),
		cmocka_unit_test(test_corpus_share),
	};

	return cmocka_run_group_tests_name("bounce", tests, NULL, NULL);
}
