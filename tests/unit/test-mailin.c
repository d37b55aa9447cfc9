/*
 * test-mailin.c - reading incoming messages (mailin.h): headers decoded
 * (RFC 2047 words, Arabic names), bodies decoded from base64 and
 * quoted-printable and converted from windows-1256, ISO-8859-6 and
 * Latin-1, attachments and their RFC 2231 names, an enclosed message
 * kept whole; the limits refused with their reason; the 629 real bounces
 * of ../shared/corpus all read without a crash.
 */
#include "testlib.h"

#include <dirent.h>

#include "mailin.h"

static void
parse_ok(const char *raw, struct mailin *m)
{
	struct buf err = BUF_INIT;

	if (mailin_parse(raw, strlen(raw), NULL, m, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	buf_release(&err);
}

static void
refused(const char *raw, size_t len, const struct mailin_limits *lim,
	const char *why)
{
	struct mailin m;
	struct buf err = BUF_INIT;

	if (mailin_parse(raw, len, lim, &m, &err) != MAJLIS_ERR_DATA)
		fail_msg("not refused: %s", why);
	if (!strstr(err.data, why))
		fail_msg("'%s' does not say '%s'", err.data, why);
	mailin_release(&m);
	buf_release(&err);
}

static void
test_header(void **state)
{
	const char *raw =
		"From MAILER-DAEMON Tue Jun 11 19:13:34 2024\n"
		"Return-Path: <elu1@casablanca.test>\n"
		"Delivered-To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		"X-Original-To: conseil+t.abcdefghijklmnopqrst@casablanca.test\n"
		"Authentication-Results: mx.casablanca.test; dkim=pass\n"
		"From: =?utf-8?b?2KfZhNiz2YrYryDYudio2K8g2KfZhNmE2LfZitmBINin2YTZiNiy2KfZhtmK?=\n"
		" <elu1@casablanca.test>\n"
		"To: \"Conseil\" <conseil+t.abcdefghijklmnopqrst@casablanca.test>,\n"
		"  Equipe: a@x.test, b@x.test;\n"
		"Cc: c@x.test\n"
		"Reply-To: other@x.test\n"
		"Subject: =?utf-8?b?2YbYudmF2Iwg2LPYo9it2LbYsQ==?= =?utf-8?q?_=E2=80=94_Re=3A?=\n"
		"  convocation\n"
		"Message-ID: <CAF+abc@mail.gmail.com>\n"
		"In-Reply-To: <inv.abcdefghijklmnopqrst@casablanca.test>\n"
		"References: <x@y> <inv.abcdefghijklmnopqrst@casablanca.test>\n"
		"Auto-Submitted: No\n"
		"Precedence: BULK\n"
		"X-Autoreply: yes\n"
		"Content-Type: text/plain\n"
		"\n"
		"Oui\n";
	struct mailin m;

	(void)state;
	parse_ok(raw, &m);
	assert_string_equal(m.message_id, "CAF+abc@mail.gmail.com");
	assert_string_equal(m.in_reply_to,
			    "inv.abcdefghijklmnopqrst@casablanca.test");
	assert_string_equal(m.references,
			    "x@y inv.abcdefghijklmnopqrst@casablanca.test");
	assert_string_equal(m.subject, "نعم، سأحضر — Re: convocation");
	assert_string_equal(m.from.name, "السيد عبد اللطيف الوزاني");
	assert_string_equal(m.from.addr, "elu1@casablanca.test");
	assert_int_equal(m.nto, 4);
	assert_string_equal(m.to[0].addr,
			    "conseil+t.abcdefghijklmnopqrst@casablanca.test");
	assert_string_equal(m.to[0].name, "Conseil");
	assert_string_equal(m.to[2].addr, "b@x.test");
	assert_string_equal(m.to[3].addr, "c@x.test");
	assert_string_equal(m.reply_to, "other@x.test");
	assert_string_equal(m.return_path, "elu1@casablanca.test");
	assert_int_equal(m.ndelivered, 2);
	assert_string_equal(m.delivered_to[1],
			    "conseil+t.abcdefghijklmnopqrst@casablanca.test");
	assert_int_equal(m.nauth, 1);
	assert_string_equal(m.auto_submitted, "no");
	assert_string_equal(m.precedence, "bulk");
	assert_true(m.x_autoreply);
	assert_int_equal(m.nparts, 1);
	assert_string_equal(m.parts[0].type, "text/plain");
	assert_string_equal(m.parts[0].body.data, "Oui\n");
	mailin_release(&m);
}

static void
test_bodies(void **state)
{
	const char *raw =
		"From: a@x.test\r\n"
		"Subject: =?windows-1256?b?48zh0w==?=\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"out\"\r\n"
		"\r\n"
		"preamble\r\n"
		"--out\r\n"
		"Content-Type: multipart/alternative; boundary=\"in\"\r\n"
		"\r\n"
		"--in\r\n"
		"Content-Type: text/plain; charset=windows-1256\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n"
		"\r\n"
		"=E3=CC=E1=D3\r\n"
		"--in\r\n"
		"Content-Type: text/html; charset=ISO-8859-6\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"PHA+5czk0zwvcD4=\r\n"
		"--in--\r\n"
		"--out\r\n"
		"Content-Type: text/plain; charset=iso-8859-1\r\n"
		"Content-Disposition: attachment;\r\n"
		" filename*=iso-8859-1''d%E9cision.txt\r\n"
		"\r\n"
		"D\xe9\x63ision\r\n"
		"--out\r\n"
		"Content-Type: application/pdf; name=\"=?utf-8?b?2YXZhNmBLnBkZg==?=\"\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"JVBERi0xLjQK\r\n"
		"--out\r\n"
		"Content-Type: text/plain; charset=klingon\r\n"
		"\r\n"
		"qapla'\r\n"
		"--out\r\n"
		"Content-Type: message/rfc822\r\n"
		"\r\n"
		"Message-ID: <inv.abcdefghijklmnopqrst@casablanca.test>\r\n"
		"Subject: the original\r\n"
		"\r\n"
		"never read\r\n"
		"--out--\r\n";
	struct mailin m;

	(void)state;
	parse_ok(raw, &m);
	assert_string_equal(m.subject, "مجلس");
	assert_string_equal(m.content_type, "multipart/mixed");
	assert_int_equal(m.nparts, 6);
	assert_string_equal(m.parts[0].type, "text/plain");
	assert_string_equal(m.parts[0].parent, "multipart/alternative");
	assert_int_equal(m.parts[0].depth, 2);
	/* The line end before a boundary is the boundary's. */
	assert_string_equal(m.parts[0].body.data, "مجلس");
	assert_string_equal(m.parts[1].type, "text/html");
	assert_string_equal(m.parts[1].body.data, "<p>مجلس</p>");
	assert_true(m.parts[2].attachment);
	assert_string_equal(m.parts[2].filename, "décision.txt");
	assert_string_equal(m.parts[2].body.data, "Décision");
	assert_string_equal(m.parts[3].filename, "ملف.pdf");
	assert_false(m.parts[3].is_text);
	assert_memory_equal(m.parts[3].body.data, "%PDF-1.4\n", 9);
	/* An unknown charset: kept as it came, not as text. */
	assert_false(m.parts[4].is_text);
	assert_string_equal(m.parts[5].type, "message/rfc822");
	assert_non_null(strstr(m.parts[5].body.data,
			       "Message-ID: <inv.abcdefghijklmnopqrst@"));
	assert_ptr_equal(mailin_find(&m, "text/html"), &m.parts[1]);
	assert_null(mailin_find(&m, "text/calendar"));
	mailin_release(&m);
}

static void
test_rfc2231_continuations(void **state)
{
	const char *raw =
		"From: staff1@casablanca.test\n"
		"Content-Type: multipart/mixed; boundary=V\n\n"
		"--V\n"
		"Content-Type: text/x-vcard\n"
		"Content-Disposition: attachment;\n"
		" filename*0*=utf-8''%D8%B9%D9%85%D8%B1%20;\n"
		" filename*1=\"Lahlou.vcf\"\n\n"
		"BEGIN:VCARD\n"
		"--V--\n";
	struct mailin m;

	(void)state;
	parse_ok(raw, &m);
	assert_int_equal(m.nparts, 1);
	assert_string_equal(m.parts[0].filename, "عمر Lahlou.vcf");
	assert_true(m.parts[0].attachment);
	mailin_release(&m);
}

static void
test_stray_bytes(void **state)
{
	/* A NUL in the body is dropped; undeclared 8-bit text that is not
	 * UTF-8 is read as windows-1252. */
	const char raw[] = "From: a@x.test\nSubject: s\n\nR\xe9ponse\0 oui\n";
	struct mailin m;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(mailin_parse(raw, sizeof(raw) - 1, NULL, &m, &err),
			 MAJLIS_OK);
	assert_string_equal(m.parts[0].body.data, "Réponse oui\n");
	mailin_release(&m);
	buf_release(&err);
}

static void
test_limits(void **state)
{
	struct mailin_limits lim = mailin_limits_default;
	struct buf raw = BUF_INIT;

	(void)state;
	refused("", 0, NULL, "an empty message");
	refused("no header here", 14, NULL, "a message without a header");
	refused("From: a\0@x\n\nbody\n", 17, NULL, "a NUL byte in the header");
	lim.max_bytes = 10;
	refused("From: a@x.test\n\nbody\n", 21, &lim, "more than 10");
	lim = mailin_limits_default;
	lim.max_header_line = 20;
	refused("Subject: a header line of more than twenty bytes\n\nx\n", 52,
		&lim, "a header line longer than 20 bytes");
	lim = mailin_limits_default;
	lim.max_headers = 3;
	refused("A: 1\nB: 2\nC: 3\nD: 4\nE: 5\n\nx\n", 27, &lim,
		"more than 3 header fields");
	/* Nesting: a multipart in a multipart ... */
	lim = mailin_limits_default;
	buf_addstr(&raw, "From: a@x.test\n");
	for (int i = 0; i < 30; i++)
		buf_addf(&raw, "Content-Type: multipart/mixed; boundary=b%d\n\n"
			       "--b%d\n",
			 i, i);
	buf_addstr(&raw, "Content-Type: text/plain\n\nx\n");
	for (int i = 29; i >= 0; i--)
		buf_addf(&raw, "--b%d--\n", i);
	refused(raw.data, raw.len, &lim, "nested more than 16 deep");
	lim.max_parts = 10;
	refused(raw.data, raw.len, &lim, "more than 10 multiparts");
	/* ... or too many parts. */
	buf_reset(&raw);
	buf_addstr(&raw, "From: a@x.test\nContent-Type: multipart/mixed;"
			 " boundary=b\n\n");
	for (int i = 0; i < 12; i++)
		buf_addstr(&raw, "--b\nContent-Type: text/plain\n\nx\n");
	buf_addstr(&raw, "--b--\n");
	refused(raw.data, raw.len, &lim, "more than 10 parts");
	lim = mailin_limits_default;
	lim.max_part = 3;
	refused("From: a@x.test\n\n0123456789\n", 27, &lim,
		"decoded, more than the limit");
	lim = mailin_limits_default;
	lim.max_total = 10;
	refused(raw.data, raw.len, &lim, "decoded, more than the limit");
	buf_release(&raw);
}

/* Every real bounce of the shared corpus reads, and names its type. */
static void
test_bounce_corpus(void **state)
{
	const char *dir = "../shared/corpus/bounces/maildir/bsd";
	DIR *d = opendir(dir);
	struct dirent *de;
	int files = 0, reports = 0;

	(void)state;
	if (!d)
		fail_msg("the shared corpus is missing: %s", dir);
	while ((de = readdir(d))) {
		struct buf path = BUF_INIT, raw = BUF_INIT, err = BUF_INIT;
		struct mailin m;

		if (de->d_name[0] == '.')
			continue;
		buf_addf(&path, "%s/%s", dir, de->d_name);
		assert_true(file_read(path.data, 1 << 24, &raw) >= 0);
		if (mailin_parse(raw.data, raw.len, NULL, &m, &err) != MAJLIS_OK)
			fail_msg("%s: %s", de->d_name, err.data);
		files++;
		reports += !strcmp(m.content_type, "multipart/report");
		mailin_release(&m);
		buf_release(&path);
		buf_release(&raw);
		buf_release(&err);
	}
	closedir(d);
	assert_int_equal(files, 629);
	assert_true(reports > 300);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_rfc2231_continuations),
		cmocka_unit_test(test_stray_bytes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bounce_corpus),
	};

	return cmocka_run_group_tests_name("mailin", tests, NULL, NULL);
}
