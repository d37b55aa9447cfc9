/*
 * test-csv.c - the CSV reader (engine/csv.h): rows, fields and the line
 * each row starts on, for files as spreadsheets write them (commas or
 * semicolons, quotes, CRLF or LF, a byte-order mark), and the refusal,
 * with its line, of what is not a text file, not UTF-8, never closed or
 * too big. The callback's own error stops the parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "csv.h"
#include "status.h"

/*
 * What the callback saw, one row a line: "LINE:<field><field>...\n", so
 * that one string comparison checks the number of rows, their lines, the
 * number of fields and every byte of every field.
 */
struct seen {
	struct buf text;
	int rows;
	int fail_at;	/* refuse this row (1-based, header too), 0: none */
	int quiet;	/* count rows only */
};

static enum majlis_status
collect(void *ctx, const struct csv_row *row, struct buf *err)
{
	struct seen *s = ctx;

	s->rows++;
	if (s->fail_at && s->rows == s->fail_at)
		return error(err, MAJLIS_ERR_DATA, "callback refuses line %d",
			     row->line);
	if (s->quiet)
		return MAJLIS_OK;
	buf_addf(&s->text, "%d:", row->line);
	for (size_t i = 0; i < row->n; i++) {
		buf_addch(&s->text, '<');
		buf_addstr(&s->text, row->fields[i]);
		buf_addch(&s->text, '>');
	}
	buf_addch(&s->text, '\n');
	return MAJLIS_OK;
}

struct run {
	struct seen seen;
	struct buf err;
	enum majlis_status rc;
};

static void
run_parse(struct run *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->seen.text);
	buf_init(&r->err);
	r->rc = csv_parse("t.csv", data, len, collect, &r->seen, &r->err);
}

static void
run_release(struct run *r)
{
	buf_release(&r->seen.text);
	buf_release(&r->err);
}

/* Parses and expects success with exactly these rows. */
static void
expect_rows(const char *data, size_t len, const char *rows, const char *file,
	    int line)
{
	struct run r;

	run_parse(&r, data, len);
	if (r.rc != MAJLIS_OK || strcmp(r.seen.text.data, rows)) {
		print_error("status %d, error '%s'\nrows:\n%s\nwanted:\n%s\n",
			    r.rc, r.err.data, r.seen.text.data, rows);
		run_release(&r);
		_fail(file, line);
	}
	assert_int_equal(r.err.len, 0);
	run_release(&r);
}

#define EXPECT_ROWS(lit, rows) \
	expect_rows((lit), sizeof(lit) - 1, (rows), __FILE__, __LINE__)

/*
 * Parses and expects MAJLIS_ERR_DATA after exactly these rows, with each
 * needle (when not NULL) in the message.
 */
static void
expect_refused(const char *data, size_t len, const char *rows_before,
	       const char *needle1, const char *needle2, const char *file,
	       int line)
{
	struct run r;

	run_parse(&r, data, len);
	if (r.rc != MAJLIS_ERR_DATA || strcmp(r.seen.text.data, rows_before) ||
	    (needle1 && !strstr(r.err.data, needle1)) ||
	    (needle2 && !strstr(r.err.data, needle2))) {
		print_error("status %d, error '%s'\nwanted '%s' and '%s'\n"
			    "rows:\n%s\nwanted:\n%s\n",
			    r.rc, r.err.data, needle1 ? needle1 : "",
			    needle2 ? needle2 : "", r.seen.text.data,
			    rows_before);
		run_release(&r);
		_fail(file, line);
	}
	run_release(&r);
}

#define EXPECT_REFUSED(lit, rows, n1, n2)                             \
	expect_refused((lit), sizeof(lit) - 1, (rows), (n1), (n2),     \
		       __FILE__, __LINE__)

static void
test_simple_comma(void **state)
{
	(void)state;
	EXPECT_ROWS("matricule,nom,email\n"
		    "E1,Dupont,jean@example.ma\n"
		    "E2,Alaoui,sara@example.ma\n",
		    "1:<matricule><nom><email>\n"
		    "2:<E1><Dupont><jean@example.ma>\n"
		    "3:<E2><Alaoui><sara@example.ma>\n");
	/* empty fields, at the start, in the middle and at the end */
	EXPECT_ROWS("a,b,c\n"
		    ",x,\n"
		    ",,\n"
		    "only\n",
		    "1:<a><b><c>\n"
		    "2:<><x><>\n"
		    "3:<><><>\n"
		    "4:<only>\n");
	/* spaces are data: nothing is trimmed */
	EXPECT_ROWS(" a , b \n", "1:< a >< b >\n");
	/* Arabic text passes through byte for byte */
	EXPECT_ROWS("nom_ar,prenom_ar\nبرادة,نادية\n",
		    "1:<nom_ar><prenom_ar>\n"
		    "2:<برادة><نادية>\n");
}

static void
test_semicolon_from_header(void **state)
{
	(void)state;
	/* French-locale Excel: ';' between fields, ',' inside them */
	EXPECT_ROWS("matricule;nom;adresse\n"
		    "E1;Dupont, Jean;12, rue Allal Ben Abdellah\n"
		    "E2;;\n",
		    "1:<matricule><nom><adresse>\n"
		    "2:<E1><Dupont, Jean><12, rue Allal Ben Abdellah>\n"
		    "3:<E2><><>\n");
	/* the separator the header uses most wins */
	EXPECT_ROWS("a;b,c;d\n1;2,3;4\n",
		    "1:<a><b,c><d>\n"
		    "2:<1><2,3><4>\n");
	EXPECT_ROWS("a,b;c,d\n1,2;3,4\n",
		    "1:<a><b;c><d>\n"
		    "2:<1><2;3><4>\n");
	/* commas inside quoted header names do not count */
	EXPECT_ROWS("\"nom, prenom\";\"ville, pays\";x\nA;B;C\n",
		    "1:<nom, prenom><ville, pays><x>\n"
		    "2:<A><B><C>\n");
	/* only the header decides: data lines full of commas do not */
	EXPECT_ROWS("a;b\n1,2,3;4,5,6\n",
		    "1:<a><b>\n"
		    "2:<1,2,3><4,5,6>\n");
	/* a header without either is one column, separated by commas */
	EXPECT_ROWS("nom\nDupont;Jean\n", "1:<nom>\n2:<Dupont;Jean>\n");
}

/*
 * Regression: the separator is read off the header, the first line that
 * is not empty, so a ';' file that starts with an empty line is not read
 * with ',' (every row would come out as one field, "a;b;c").
 */
static void
test_semicolon_after_empty_line(void **state)
{
	(void)state;
	EXPECT_ROWS("\r\nmatricule;nom;prenom\r\nE1;Dupont;Jean\r\n",
		    "2:<matricule><nom><prenom>\n"
		    "3:<E1><Dupont><Jean>\n");
}

static void
test_quoted_fields(void **state)
{
	(void)state;
	/* commas, separators and doubled quotes inside quotes */
	EXPECT_ROWS("\"a,b\",\"he said \"\"hi\"\"\",\"\"\n"
		    "\"\"\"\",x\n",
		    "1:<a,b><he said \"hi\"><>\n"
		    "2:<\"><x>\n");
	EXPECT_ROWS("\"Dupont; Jean\";\"x\"\n", "1:<Dupont; Jean><x>\n");
	/* a quote inside an unquoted field is taken literally; text after
	 * a closing quote is kept */
	EXPECT_ROWS("ab\"c,d\"e\"\n\"ab\"cd,x\n",
		    "1:<ab\"c><d\"e\">\n"
		    "2:<abcd><x>\n");
	/* a line holding only "" is a row with one empty field */
	EXPECT_ROWS("a\n\"\"\nb\n", "1:<a>\n2:<>\n3:<b>\n");
}

static void
test_quoted_newlines(void **state)
{
	(void)state;
	/* a row spanning lines 2-3 is reported on line 2; the next on 4 */
	EXPECT_ROWS("nom,adresse\n"
		    "Dupont,\"12 rue X\n20000 Casablanca\"\n"
		    "Alaoui,\"Anfa\"\n",
		    "1:<nom><adresse>\n"
		    "2:<Dupont><12 rue X\n20000 Casablanca>\n"
		    "4:<Alaoui><Anfa>\n");
	/* several line ends in a field, empty lines inside it kept */
	EXPECT_ROWS("a\n"
		    "\"1\n\n3\n4\"\n"
		    "b\n"
		    "\"x\ny\",\"z\nw\"\n"
		    "c\n",
		    "1:<a>\n"
		    "2:<1\n\n3\n4>\n"
		    "6:<b>\n"
		    "7:<x\ny><z\nw>\n"
		    "10:<c>\n");
	/* CRLF inside a quoted field is kept as it is; lines still count */
	EXPECT_ROWS("a;b\r\n\"l1\r\nl2\";x\r\nc;d\r\n",
		    "1:<a><b>\n"
		    "2:<l1\r\nl2><x>\n"
		    "4:<c><d>\n");
}

static void
test_line_ends(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r\n1,2\r\n3,4\r\n",
		    "1:<a><b>\n2:<1><2>\n3:<3><4>\n");
	EXPECT_ROWS("a,b\n1,2\n3,4\n", "1:<a><b>\n2:<1><2>\n3:<3><4>\n");
	/* no final line end */
	EXPECT_ROWS("a,b\n1,2\n3,4", "1:<a><b>\n2:<1><2>\n3:<3><4>\n");
	EXPECT_ROWS("a,b\r\n1,2\r\n3,4", "1:<a><b>\n2:<1><2>\n3:<3><4>\n");
	/* a last field that is quoted, or empty, without a line end */
	EXPECT_ROWS("a,b\n1,\"2\"", "1:<a><b>\n2:<1><2>\n");
	EXPECT_ROWS("a,b\n1,", "1:<a><b>\n2:<1><>\n");
	/* a single field, no line end */
	EXPECT_ROWS("x", "1:<x>\n");
	/* mixed line ends in one file */
	EXPECT_ROWS("a\r\nb\nc\r\n", "1:<a>\n2:<b>\n3:<c>\n");
}

static void
test_bom(void **state)
{
	(void)state;
	/* the BOM is not part of the first header name, nor a line */
	EXPECT_ROWS("\xef\xbb\xbfmatricule;nom\r\nE1;Dupont\r\n",
		    "1:<matricule><nom>\n2:<E1><Dupont>\n");
	EXPECT_ROWS("\xef\xbb\xbf\"nom\",x\n", "1:<nom><x>\n");
	/* only a BOM: no rows */
	EXPECT_ROWS("\xef\xbb\xbf", "");
	/* a BOM elsewhere than at the start is data */
	EXPECT_ROWS("a\n\xef\xbb\xbf" "b\n", "1:<a>\n2:<\xef\xbb\xbf" "b>\n");
}

static void
test_empty_lines(void **state)
{
	(void)state;
	EXPECT_ROWS("\n\na,b\n\n\r\n1,2\n\n\n3,4\n\n",
		    "3:<a><b>\n6:<1><2>\n9:<3><4>\n");
	EXPECT_ROWS("a\r\n\r\n\r\nb", "1:<a>\n4:<b>\n");
	/* a line of spaces is not empty */
	EXPECT_ROWS("a\n \nb\n", "1:<a>\n2:< >\n3:<b>\n");
}

static void
test_empty_input(void **state)
{
	(void)state;
	EXPECT_ROWS("", "");
	EXPECT_ROWS("\n", "");
	EXPECT_ROWS("\r\n\n\r\n", "");
}

static void
test_nul_byte(void **state)
{
	(void)state;
	/* refused before any row is handed over */
	EXPECT_REFUSED("a,b\n1,2\n3,\0x\n", "", "t.csv:3: NUL byte",
		       "not a text file");
	EXPECT_REFUSED("\0", "", "t.csv:1: NUL byte", NULL);
	/* inside a quoted field, lines counted from the start of the file */
	EXPECT_REFUSED("\xef\xbb\xbf" "a\n\"b\nc\0\"\n", "",
		       "t.csv:3: NUL byte", NULL);
}

static void
test_not_utf8(void **state)
{
	(void)state;
	/* Latin-1 French: line of the first bad byte, how to save it */
	EXPECT_REFUSED("nom,prenom\nDupont,Jean\nDurand,H\xe9l\xe8ne\n", "",
		       "t.csv:3: the file is not UTF-8",
		       "Save it as \"CSV UTF-8\"");
	EXPECT_REFUSED("nom,prenom\nDupont,Jean\nDurand,H\xe9l\xe8ne\n", "",
		       "Windows-1252", NULL);
	/* Arabic saved by Windows: "نادية برادة" in Windows-1256 */
	EXPECT_REFUSED("nom\nDupont\nAlaoui\n\xe4\xc7\xcf\xed\xc9 "
		       "\xc8\xd1\xc7\xcf\xc9\n",
		       "", "t.csv:4:", "Windows-1256");
	EXPECT_REFUSED("nom\nDupont\nAlaoui\n\xe4\xc7\xcf\xed\xc9 "
		       "\xc8\xd1\xc7\xcf\xc9\n",
		       "", "Save it as \"CSV UTF-8\"", NULL);
	/* the first bad line, not the last one */
	EXPECT_REFUSED("a\n\xc8\n\xc8\n", "", "t.csv:2:", NULL);
	/* after a BOM, in the header */
	EXPECT_REFUSED("\xef\xbb\xbfpr\xe9nom\nx\n", "", "t.csv:1:", NULL);
	/* malformed sequences: stray continuation, overlong, surrogate,
	 * beyond U+10FFFF, cut at the end of the file or of the line */
	EXPECT_REFUSED("a\nb\x80\n", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\n\xc0\xaf\n", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\n\xe0\x80\xaf\n", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\n\xed\xa0\x80\n", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\n\xf4\x90\x80\x80\n", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\nb\xd8", "", "t.csv:2:", "not UTF-8");
	EXPECT_REFUSED("a\n\xd8\nb\n", "", "t.csv:2:", "not UTF-8");
	/* while every valid sequence passes: 2, 3 and 4 bytes */
	EXPECT_ROWS("\xc3\xa9,\xd8\xa8,\xe2\x82\xac,\xf0\x9f\x98\x80\n",
		    "1:<\xc3\xa9><\xd8\xa8><\xe2\x82\xac><\xf0\x9f\x98\x80>\n");
}

/*
 * Regression: "المجلس" saved as Windows-1256 is C7 E1 E3 CC E1 D3; lam
 * (E1) and meem (E3) are Arabic letters there too, not Latin-1 accented
 * ones, so the message must name Windows-1256.
 */
static void
test_arabic_windows_1256_guess(void **state)
{
	(void)state;
	EXPECT_REFUSED("nom\n\xc7\xe1\xe3\xcc\xe1\xd3\n", "",
		       "t.csv:2:", "Save it as \"CSV UTF-8\"");
	EXPECT_REFUSED("nom\n\xc7\xe1\xe3\xcc\xe1\xd3\n", "",
		       "Windows-1256", NULL);
}

static void
test_unterminated_quote(void **state)
{
	(void)state;
	/* the rows before are handed over; the error names line 3 */
	EXPECT_REFUSED("a,b\n1,2\n3,\"open\n4,5\n6,7\n",
		       "1:<a><b>\n2:<1><2>\n", "t.csv:3:", "never closed");
	EXPECT_REFUSED("\"a", "", "t.csv:1:", "never closed");
	/* after a row that spans lines, the line still counts right */
	EXPECT_REFUSED("a,b\n\"x\ny\",z\n\"never\n",
		       "1:<a><b>\n2:<x\ny><z>\n", "t.csv:4:", "never closed");
	/* a doubled quote at the end does not close the field */
	EXPECT_REFUSED("a\n\"b\"\"\n", "1:<a>\n", "t.csv:2:", "never closed");
}

/*
 * Regression: the message names the line where the unclosed quoted field
 * starts (line 3), not the line where its row starts (line 2).
 */
static void
test_unterminated_quote_field_line(void **state)
{
	(void)state;
	EXPECT_REFUSED("a,b\n\"x\ny\",\"open\nz\n", "1:<a><b>\n",
		       "t.csv:3:", "never closed");
}

/* The field of n bytes that long_field() puts on line 2. */
static void
long_value(struct buf *b, size_t n, int quoted)
{
	for (size_t i = 0; i < n; i++)
		buf_addch(b, quoted && i % 100 == 50 ? ','
						     : 'a' + (int)(i % 26));
}

/* A file "h,v", "x,FIELD", "y,z" where FIELD is n bytes, on line 2. */
static void
long_field(struct buf *b, size_t n, int quoted)
{
	buf_addstr(b, "h,v\nx,");
	if (quoted)
		buf_addch(b, '"');
	long_value(b, n, quoted);
	if (quoted)
		buf_addch(b, '"');
	buf_addstr(b, "\ny,z\n");
}

static void
test_field_too_long(void **state)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	char msg[64];

	(void)state;
	snprintf(msg, sizeof(msg), "t.csv:2: a field longer than %d bytes",
		 CSV_MAX_FIELD);
	for (int quoted = 0; quoted <= 1; quoted++) {
		/* exactly CSV_MAX_FIELD bytes: accepted, whole */
		buf_reset(&b);
		long_field(&b, CSV_MAX_FIELD, quoted);
		buf_reset(&want);
		buf_addstr(&want, "1:<h><v>\n2:<x><");
		long_value(&want, CSV_MAX_FIELD, quoted);
		buf_addstr(&want, ">\n3:<y><z>\n");
		expect_rows(b.data, b.len, want.data, __FILE__, __LINE__);
		/* one more: refused, naming line 2 */
		buf_reset(&b);
		long_field(&b, CSV_MAX_FIELD + 1, quoted);
		expect_refused(b.data, b.len, "1:<h><v>\n", msg, NULL, __FILE__,
			       __LINE__);
	}
	/* a quoted field made of doubled quotes counts the quotes it keeps */
	buf_reset(&b);
	buf_addstr(&b, "h\n\"");
	for (int i = 0; i < CSV_MAX_FIELD + 1; i++)
		buf_addstr(&b, "\"\"");
	buf_addstr(&b, "\"\n");
	expect_refused(b.data, b.len, "1:<h>\n", msg, NULL, __FILE__,
		       __LINE__);
	/* a huge field is refused all the same */
	buf_reset(&b);
	long_field(&b, 1000000, 0);
	expect_refused(b.data, b.len, "1:<h><v>\n", msg, NULL, __FILE__,
			       __LINE__);
	buf_release(&b);
	buf_release(&want);
}

/* A row of n fields "f0,f1,..." on line 2, after a header. */
static void
many_fields(struct buf *b, int n, char sep)
{
	buf_addstr(b, "h\n");
	for (int i = 0; i < n; i++)
		buf_addf(b, "%sf%d", i ? (sep == ';' ? ";" : ",") : "", i);
	buf_addstr(b, "\n");
}

static void
test_too_many_fields(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	char msg[64];

	(void)state;
	snprintf(msg, sizeof(msg), "t.csv:2: more than %d fields",
		 CSV_MAX_FIELDS);
	/* exactly CSV_MAX_FIELDS: accepted, every field there */
	many_fields(&b, CSV_MAX_FIELDS, ',');
	run_parse(&r, b.data, b.len);
	assert_int_equal(r.rc, MAJLIS_OK);
	assert_int_equal(r.seen.rows, 2);
	assert_non_null(strstr(r.seen.text.data, "2:<f0><f1>"));
	{
		char last[32];

		snprintf(last, sizeof(last), "<f%d>\n", CSV_MAX_FIELDS - 1);
		assert_non_null(strstr(r.seen.text.data, last));
	}
	run_release(&r);
	/* one more: refused with its line */
	buf_reset(&b);
	many_fields(&b, CSV_MAX_FIELDS + 1, ',');
	run_parse(&r, b.data, b.len);
	assert_int_equal(r.rc, MAJLIS_ERR_DATA);
	assert_string_equal(r.seen.text.data, "1:<h>\n");
	if (!strstr(r.err.data, msg))
		fail_msg("'%s' not in '%s'", msg, r.err.data);
	run_release(&r);
	/* empty fields count too: a row of separators only */
	buf_reset(&b);
	buf_addstr(&b, "h\n");
	for (int i = 0; i < CSV_MAX_FIELDS * 10; i++)
		buf_addch(&b, ',');
	buf_addstr(&b, "\n");
	run_parse(&r, b.data, b.len);
	assert_int_equal(r.rc, MAJLIS_ERR_DATA);
	assert_non_null(strstr(r.err.data, msg));
	run_release(&r);
	buf_release(&b);
}

static void
test_too_many_rows(void **state)
{
	struct buf b = BUF_INIT, err = BUF_INIT;
	struct seen s;

	(void)state;
	for (int i = 0; i < CSV_MAX_ROWS; i++)
		buf_addstr(&b, i % 2 ? "a\r\n" : "a\n");
	memset(&s, 0, sizeof(s));
	buf_init(&s.text);
	s.quiet = 1;
	assert_int_equal(csv_parse("t.csv", b.data, b.len, collect, &s, &err),
			 MAJLIS_OK);
	assert_int_equal(s.rows, CSV_MAX_ROWS);
	/* empty lines are not rows */
	buf_addstr(&b, "\n\n\n");
	s.rows = 0;
	assert_int_equal(csv_parse("t.csv", b.data, b.len, collect, &s, &err),
			 MAJLIS_OK);
	assert_int_equal(s.rows, CSV_MAX_ROWS);
	assert_int_equal(err.len, 0);
	/* one row more is refused, before it is handed over */
	buf_addstr(&b, "a\n");
	s.rows = 0;
	assert_int_equal(csv_parse("t.csv", b.data, b.len, collect, &s, &err),
			 MAJLIS_ERR_DATA);
	assert_int_equal(s.rows, CSV_MAX_ROWS);
	{
		char msg[64];

		snprintf(msg, sizeof(msg), "t.csv: more than %d rows",
			 CSV_MAX_ROWS);
		assert_non_null(strstr(err.data, msg));
	}
	buf_release(&s.text);
	buf_release(&err);
	buf_release(&b);
}

static void
test_callback_error_stops(void **state)
{
	static const char data[] = "a,b\n1,2\n\"x\ny\",3\n4,5\n";
	struct seen s;
	struct buf err = BUF_INIT;

	(void)state;
	memset(&s, 0, sizeof(s));
	buf_init(&s.text);
	s.fail_at = 3;
	assert_int_equal(csv_parse("t.csv", data, sizeof(data) - 1, collect,
				   &s, &err),
			 MAJLIS_ERR_DATA);
	/* the third row was the last one handed over */
	assert_int_equal(s.rows, 3);
	assert_string_equal(s.text.data, "1:<a><b>\n2:<1><2>\n");
	/* the callback's message, and nothing added */
	assert_string_equal(err.data, "callback refuses line 3");
	buf_release(&s.text);
	buf_release(&err);
	/* a refused header stops at once, whatever its status */
	memset(&s, 0, sizeof(s));
	buf_init(&s.text);
	s.fail_at = 1;
	assert_int_equal(csv_parse("t.csv", data, sizeof(data) - 1, collect,
				   &s, &err),
			 MAJLIS_ERR_DATA);
	assert_int_equal(s.rows, 1);
	/* the last row, without a final line end */
	buf_reset(&err);
	buf_release(&s.text);
	memset(&s, 0, sizeof(s));
	buf_init(&s.text);
	s.fail_at = 2;
	assert_int_equal(csv_parse("t.csv", "a\nb", 3, collect, &s, &err),
			 MAJLIS_ERR_DATA);
	assert_int_equal(s.rows, 2);
	assert_string_equal(err.data, "callback refuses line 2");
	buf_release(&s.text);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_comma),
		cmocka_unit_test(test_semicolon_from_header),
		cmocka_unit_test(test_semicolon_after_empty_line),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_quoted_newlines),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_arabic_windows_1256_guess),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_unterminated_quote_field_line),
		cmocka_unit_test(test_field_too_long),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_too_many_rows),
		cmocka_unit_test(test_callback_error_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
