/*
 * test-clock.c - calendar dates, UTC timestamps, the Africa/Casablanca
 * zone (whose offset drops to UTC+0 during Ramadan) and the French and
 * Arabic formats people read.
 */
#include "testlib.h"

static void
test_date_arithmetic(void **state)
{
	struct date d;
	char s[DATE_LEN];

	(void)state;
	assert_int_equal(date_days((struct date){ 1970, 1, 1 }), 0);
	assert_int_equal(date_days((struct date){ 2000, 3, 1 }), 11017);
	for (int64_t z = -719000; z < 2900000; z += 97) {
		d = date_from_days(z);
		assert_true(date_valid(d.y, d.m, d.d));
		assert_int_equal(date_days(d), z);
	}
	/* 2026-11-29 is a Sunday, 2027-02-02 a Tuesday. */
	assert_int_equal(date_weekday((struct date){ 2026, 11, 29 }), 7);
	assert_int_equal(date_weekday((struct date){ 2027, 2, 2 }), 2);
	d = date_add_days((struct date){ 2024, 2, 28 }, 1);
	date_format(d, s);
	assert_string_equal(s, "2024-02-29");
	d = date_add_days((struct date){ 2026, 12, 31 }, 1);
	date_format(d, s);
	assert_string_equal(s, "2027-01-01");
	assert_int_equal(date_cmp((struct date){ 2026, 1, 2 },
				  (struct date){ 2026, 1, 1 }), 1);
}

static void
test_date_parse(void **state)
{
	struct date d;

	(void)state;
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20240229);
	assert_int_equal(date_parse("2026-02-29", &d), -1);
	assert_int_equal(date_parse("2026-13-01", &d), -1);
	assert_int_equal(date_parse("2026-1-1", &d), -1);
	assert_int_equal(date_parse("2026-01-01x", &d), -1);
	assert_int_equal(date_parse("", &d), -1);
	assert_int_equal(date_parse("abcd-ef-gh", &d), -1);
}

static void
test_utc_text(void **state)
{
	char s[TIME_LEN];
	int64_t t;

	(void)state;
	time_format_utc(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	assert_int_equal(time_parse_utc("2027-02-02T09:00:00Z", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2027-02-02T09:00:00Z");
	time_format_utc(-1, s);
	assert_string_equal(s, "1969-12-31T23:59:59Z");
	assert_int_equal(time_parse_utc("2027-02-02T09:00:00", &t), -1);
	assert_int_equal(time_parse_utc("2027-02-02 09:00:00Z", &t), -1);
	assert_int_equal(time_parse_utc("2027-02-02T24:00:00Z", &t), -1);
}

static void
test_zone_and_parse(void **state)
{
	struct clock *c;
	struct buf err = BUF_INIT;
	char s[TIME_LEN];
	struct date d;
	int h, mi, sec;
	int64_t t;

	(void)state;
	assert_int_equal(clock_new("Mars/Olympus", 0, &c, &err),
			 MAJLIS_ERR_CONFIG);
	assert_non_null(strstr(err.data, "Mars/Olympus"));
	assert_int_equal(clock_new("Africa/Casablanca", 42, &c, &err),
			 MAJLIS_OK);
	assert_int_equal(clock_now(c), 42);
	/* Local midnight, in UTC+1. */
	assert_int_equal(clock_parse(c, "2026-11-29", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2026-11-28T23:00:00Z");
	/* During Ramadan 1447 Morocco is on UTC+0. */
	assert_int_equal(clock_parse(c, "2026-03-05T10:00", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2026-03-05T10:00:00Z");
	assert_int_equal(clock_parse(c, "2026-02-05 10:00:30", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2026-02-05T09:00:30Z");
	assert_int_equal(clock_parse(c, "2026-02-05T10:00Z", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2026-02-05T10:00:00Z");
	assert_int_equal(clock_parse(c, "2026-02-05T10:00+02:00", &t), 0);
	time_format_utc(t, s);
	assert_string_equal(s, "2026-02-05T08:00:00Z");
	assert_int_equal(clock_parse(c, "2026-02-05T10", &t), -1);
	assert_int_equal(clock_parse(c, "2026-02-05T10:00+2", &t), -1);
	assert_int_equal(clock_parse(c, "tomorrow", &t), -1);
	assert_int_equal(clock_parse(c, "2026-02-30", &t), -1);
	/* And back. */
	clock_to_local(c, t, &d, &h, &mi, &sec);
	assert_int_equal(d.d * 100 + h, 509);
	clock_free(c);
	buf_release(&err);
}

static void
test_formats(void **state)
{
	struct clock *c;
	struct buf err = BUF_INIT, out = BUF_INIT;
	int64_t t;

	(void)state;
	assert_int_equal(clock_new("Africa/Casablanca", 0, &c, &err),
			 MAJLIS_OK);
	assert_int_equal(clock_parse(c, "2027-02-02T10:00", &t), 0);
	clock_format(c, t, "fr", CLOCK_DATETIME, &out);
	assert_string_equal(out.data, "mardi 2 février 2027 à 10h00");
	buf_reset(&out);
	clock_format(c, t, "ar", CLOCK_DATETIME, &out);
	assert_string_equal(out.data,
			    "الثلاثاء 2 فبراير 2027 على الساعة 10:00");
	buf_reset(&out);
	/* Moroccan month names in Arabic: July is يوليوز, August غشت. */
	clock_format_date(c, (struct date){ 2026, 8, 14 }, "ar", &out);
	assert_string_equal(out.data, "الجمعة 14 غشت 2026");
	buf_reset(&out);
	clock_format_date(c, (struct date){ 2026, 7, 30 }, "fr", &out);
	assert_string_equal(out.data, "jeudi 30 juillet 2026");
	buf_reset(&out);
	clock_format(c, t, "xx", CLOCK_SHORT, &out);
	assert_string_equal(out.data, "02/02/2027 10:00");
	clock_free(c);
	buf_release(&err);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_arithmetic),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_utc_text),
		cmocka_unit_test(test_zone_and_parse),
		cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
