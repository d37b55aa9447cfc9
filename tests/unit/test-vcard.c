/*
 * test-vcard.c - the contact cards phones send (vcard.h): an iPhone's
 * vCard 3.0, an Android phone's 2.1 in quoted-printable Arabic with soft
 * breaks, a 4.0 card with GENDER, LANG and PREF, several cards in one
 * file, a windows-1256 card; and what is refused, with its line.
 */
#include "testlib.h"

#include "vcard.h"

static struct vcard *
parse_ok(const char *text, size_t *n)
{
	struct vcard *c = NULL;
	struct buf err = BUF_INIT;

	if (vcard_parse(text, strlen(text), &c, n, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	buf_release(&err);
	return c;
}

static void
refused(const char *text, size_t len, const char *why)
{
	struct vcard *c = (struct vcard *)1;
	struct buf err = BUF_INIT;
	size_t n = 7;

	assert_int_equal(vcard_parse(text, len, &c, &n, &err),
			 MAJLIS_ERR_DATA);
	assert_null(c);
	assert_int_equal(n, 0);
	if (!strstr(err.data, why))
		fail_msg("'%s' does not say '%s'", err.data, why);
	buf_release(&err);
}

static void
test_iphone(void **state)
{
	const char *card =
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"PRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\n"
		"N:Bennani;Karima;;Mme;\r\n"
		"FN:Karima Bennani\r\n"
		"ORG:Wilaya de la région Casablanca-Settat;Division des "
		"affaires\r\n  intérieures\r\n"
		"TITLE:Cheffe de division\\, affaires intérieures\r\n"
		"item1.EMAIL;type=INTERNET;type=pref:K.Bennani@Interieur.GOV.ma\r\n"
		"item1.X-ABLabel:_$!<Work>!$_\r\n"
		"TEL;type=WORK;type=VOICE:+212 5 22 22 33 44\r\n"
		"TEL;type=CELL;type=VOICE;type=pref:+212 6 61-23-45-67\r\n"
		"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/\r\n"
		" 2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4n\r\n"
		"END:VCARD\r\n";
	struct vcard *c;
	size_t n;

	(void)state;
	c = parse_ok(card, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c->version, 30);
	assert_string_equal(c->fn, "Karima Bennani");
	assert_string_equal(c->family, "Bennani");
	assert_string_equal(c->given, "Karima");
	assert_string_equal(c->prefix, "Mme");
	assert_int_equal(c->gender, 'F');
	/* The domain lower-cased, the local part as written. */
	assert_string_equal(c->email, "K.Bennani@interieur.gov.ma");
	/* The mobile, not the first number. */
	assert_string_equal(c->tel, "+212661234567");
	assert_string_equal(c->org, "Wilaya de la région Casablanca-Settat");
	assert_string_equal(c->title, "Cheffe de division, affaires intérieures");
	assert_string_equal(c->lang, "fr");
	vcard_free(c, n);
}

static void
test_android_arabic(void **state)
{
	/* Android's 2.1: quoted-printable UTF-8, a soft break in FN,
	 * LF line ends, bare parameters. */
	const char *card =
		"BEGIN:VCARD\n"
		"VERSION:2.1\n"
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=A8=D9=86=D8=A7"
		"=D9=86=D9=8A;=D9=83=D8=B1=D9=8A=D9=85;;=D8=A7=D9=84=D8=B3=D9=8A"
		"=D8=AF;\n"
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D9=85=D9=86=D8=AF="
		"D9=88=D8=A8 =D8=A7=D9=84=D8=B3=D9=84=D8=B7=D8=A9 =D8=A7=\n"
		"=D9=84=D9=85=D8=AD=D9=84=D9=8A=D8=A9\n"
		"TEL;HOME:0522 11 22 33\n"
		"TEL;CELL;PREF:0661234567\n"
		"EMAIL;HOME:not an address\n"
		"EMAIL;INTERNET:karim.bennani@example.ma\n"
		"END:VCARD\n";
	struct vcard *c;
	size_t n;

	(void)state;
	c = parse_ok(card, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c->version, 21);
	assert_string_equal(c->fn, "مندوب السلطة المحلية");
	assert_string_equal(c->family, "بناني");
	assert_string_equal(c->given, "كريم");
	assert_int_equal(c->gender, 'M');
	assert_string_equal(c->email, "karim.bennani@example.ma");
	assert_string_equal(c->tel, "0661234567");
	assert_string_equal(c->lang, "ar");
	assert_null(c->org);
	vcard_free(c, n);
}

static void
test_v4_and_several(void **state)
{
	const char *cards =
		"\xef\xbb\xbf"
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"FN:Youssef El Amrani\r\n"
		"N:El Amrani;Youssef;;;\r\n"
		"GENDER:M\r\n"
		"LANG;PREF=1:ar-MA\r\n"
		"EMAIL;TYPE=work;PREF=2:y.elamrani@casablanca.ma\r\n"
		"EMAIL;TYPE=home;PREF=1:youssef@example.ma\r\n"
		"TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+212-6-62-00-11-22\r\n"
		"AGENT:\r\n"
		"BEGIN:VCARD\r\n"
		"FN:Secrétariat\r\n"
		"EMAIL:secretariat@example.ma\r\n"
		"END:VCARD\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"FN:Mme Salma Tazi\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"N:;;;;\r\n"
		"FN:السيدة نادية الإدريسي\r\n"
		"GENDER:F\r\n"
		"END:VCARD\r\n";
	struct vcard *c;
	size_t n;

	(void)state;
	c = parse_ok(cards, &n);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].version, 40);
	assert_string_equal(c[0].family, "El Amrani");
	assert_int_equal(c[0].gender, 'M');
	assert_string_equal(c[0].lang, "ar");
	assert_string_equal(c[0].email, "youssef@example.ma");
	assert_string_equal(c[0].tel, "+212662001122");
	/* No N: the civility goes, and gives the gender; the last word is
	 * the family name. */
	assert_string_equal(c[1].fn, "Salma Tazi");
	assert_string_equal(c[1].given, "Salma");
	assert_string_equal(c[1].family, "Tazi");
	assert_int_equal(c[1].gender, 'F');
	assert_null(c[1].email);
	assert_null(c[1].tel);
	assert_string_equal(c[2].fn, "نادية الإدريسي");
	assert_string_equal(c[2].family, "الإدريسي");
	assert_int_equal(c[2].gender, 'F');
	assert_string_equal(c[2].lang, "ar");
	vcard_free(c, n);
}

static void
test_charsets(void **state)
{
	/* windows-1256, as older phones and Outlook write Arabic. */
	const char *card = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
			   "FN;CHARSET=windows-1256:\xdf\xd1\xed\xe3\xc9 "
			   "\xc8\xe4\xc7\xe4\xed\r\n"
			   "END:VCARD\r\n";
	const char *latin1 = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
			     "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:"
			     "H=E9l=E8ne Alaoui\r\n"
			     "END:VCARD\r\n";
	/* Decomposed é (e + U+0301) comes out composed (NFC). */
	const char *nfd = "BEGIN:VCARD\r\nFN:Rene\xcc\x81 Cohen\r\nEND:VCARD\r\n";
	struct vcard *c;
	size_t n;

	(void)state;
	c = parse_ok(card, &n);
	assert_string_equal(c->fn, "كريمة بناني");
	vcard_free(c, n);
	c = parse_ok(latin1, &n);
	assert_string_equal(c->fn, "Hélène Alaoui");
	vcard_free(c, n);
	c = parse_ok(nfd, &n);
	assert_string_equal(c->fn, "Ren\xc3\xa9 Cohen");
	vcard_free(c, n);
}

static void
test_refused(void **state)
{
	struct buf big = BUF_INIT;

	(void)state;
	refused("", 0, "no vCard");
	refused("hello\n", 6, "line 1: not a vCard line");
	refused("BEGIN:VCALENDAR\r\n", 17, "line 1: expected BEGIN:VCARD");
	refused("BEGIN:VCARD\r\nFN:A\r\n", 19, "line 1: the card has no END");
	refused("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:a@b.ma\r\nEND:VCARD\r\n",
		51, "line 1: a card without a name");
	refused("BEGIN:VCARD\r\nFN:A\0B\r\nEND:VCARD\r\n", 31,
		"line 2: a NUL byte");
	refused("BEGIN:VCARD\r\nFN:\xc8\xe4\r\nEND:VCARD\r\n", 32,
		"line 2: FN: text that is not UTF-8");
	refused("BEGIN:VCARD\r\nFN;CHARSET=klingon:x\r\nEND:VCARD\r\n", 46,
		"line 2: FN: text not valid in its CHARSET");
	refused("BEGIN:VCARD\r\nFN:a\x01\x62\r\nEND:VCARD\r\n", 32,
		"line 2: FN: a control character");
	/* A name past the limit. */
	buf_addstr(&big, "BEGIN:VCARD\r\nFN:");
	for (int i = 0; i < VCARD_MAX_TEXT + 1; i++)
		buf_addch(&big, 'a');
	buf_addstr(&big, "\r\nEND:VCARD\r\n");
	refused(big.data, big.len, "line 2: FN longer than 256 bytes");
	/* Too many cards, too many lines, too many bytes. */
	buf_reset(&big);
	for (int i = 0; i <= VCARD_MAX_CARDS; i++)
		buf_addstr(&big, "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n");
	refused(big.data, big.len, "line 301: more than 100 cards");
	buf_reset(&big);
	buf_addstr(&big, "BEGIN:VCARD\r\n");
	for (int i = 0; i <= VCARD_MAX_LINES; i++)
		buf_addstr(&big, "NOTE:x\r\n");
	refused(big.data, big.len, "a card of more than 5000 lines");
	buf_reset(&big);
	buf_grow(&big, VCARD_MAX_BYTES + 1);
	memset(big.data, 'a', VCARD_MAX_BYTES + 1);
	big.len = VCARD_MAX_BYTES + 1;
	refused(big.data, big.len, "more than 1048576 bytes");
	buf_release(&big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iphone),
		cmocka_unit_test(test_android_arabic),
		cmocka_unit_test(test_v4_and_several),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("vcard", tests, NULL, NULL);
}
