/*
 * test-calendar.c - Moroccan public holidays and working days.
 *
 * The religious holidays of 2024-2026 are checked against the dates
 * observed in Morocco, as the Ministry of Habous and Islamic Affairs
 * announced them after the moon sighting (2026's Aïd Al-Adha, 1 Moharram
 * and Mawlid against the published 2026 calendar, marked "expected" in
 * the data), and shown to differ from Umm al-Qura where Morocco saw the
 * crescent a day later: that is why the announced month starts are data.
 */
#include "testlib.h"

struct expect {
	const char *date;
	const char *code;
	int day;
	enum date_status status;
};

static const struct expect observed[] = {
	/* 2024 */
	{ "2024-01-01", "new-year", 1, DATE_FIXED },
	{ "2024-01-11", "independence-manifesto", 1, DATE_FIXED },
	{ "2024-01-14", "amazigh-new-year", 1, DATE_FIXED },
	{ "2024-04-10", "eid-al-fitr", 1, DATE_OFFICIAL },
	{ "2024-04-11", "eid-al-fitr", 2, DATE_OFFICIAL },
	{ "2024-05-01", "labour-day", 1, DATE_FIXED },
	{ "2024-06-17", "eid-al-adha", 1, DATE_OFFICIAL },
	{ "2024-06-18", "eid-al-adha", 2, DATE_OFFICIAL },
	{ "2024-07-07", "hijri-new-year", 1, DATE_OFFICIAL },
	{ "2024-07-30", "throne-day", 1, DATE_FIXED },
	{ "2024-08-14", "oued-ed-dahab", 1, DATE_FIXED },
	{ "2024-08-20", "revolution-king-people", 1, DATE_FIXED },
	{ "2024-08-21", "youth-day", 1, DATE_FIXED },
	{ "2024-09-16", "mawlid", 1, DATE_OFFICIAL },
	{ "2024-09-17", "mawlid", 2, DATE_OFFICIAL },
	{ "2024-11-06", "green-march", 1, DATE_FIXED },
	{ "2024-11-18", "independence-day", 1, DATE_FIXED },
	/* 2025 */
	{ "2025-01-01", "new-year", 1, DATE_FIXED },
	{ "2025-01-11", "independence-manifesto", 1, DATE_FIXED },
	{ "2025-01-14", "amazigh-new-year", 1, DATE_FIXED },
	{ "2025-03-31", "eid-al-fitr", 1, DATE_OFFICIAL },
	{ "2025-04-01", "eid-al-fitr", 2, DATE_OFFICIAL },
	{ "2025-05-01", "labour-day", 1, DATE_FIXED },
	{ "2025-06-07", "eid-al-adha", 1, DATE_OFFICIAL },
	{ "2025-06-08", "eid-al-adha", 2, DATE_OFFICIAL },
	{ "2025-06-27", "hijri-new-year", 1, DATE_OFFICIAL },
	{ "2025-07-30", "throne-day", 1, DATE_FIXED },
	{ "2025-08-14", "oued-ed-dahab", 1, DATE_FIXED },
	{ "2025-08-20", "revolution-king-people", 1, DATE_FIXED },
	{ "2025-08-21", "youth-day", 1, DATE_FIXED },
	{ "2025-09-05", "mawlid", 1, DATE_OFFICIAL },
	{ "2025-09-06", "mawlid", 2, DATE_OFFICIAL },
	{ "2025-11-06", "green-march", 1, DATE_FIXED },
	{ "2025-11-18", "independence-day", 1, DATE_FIXED },
	/* 2026: Aïd Al Wahda is new this year */
	{ "2026-01-01", "new-year", 1, DATE_FIXED },
	{ "2026-01-11", "independence-manifesto", 1, DATE_FIXED },
	{ "2026-01-14", "amazigh-new-year", 1, DATE_FIXED },
	{ "2026-03-20", "eid-al-fitr", 1, DATE_OFFICIAL },
	{ "2026-03-21", "eid-al-fitr", 2, DATE_OFFICIAL },
	{ "2026-05-01", "labour-day", 1, DATE_FIXED },
	{ "2026-05-27", "eid-al-adha", 1, DATE_EXPECTED },
	{ "2026-05-28", "eid-al-adha", 2, DATE_EXPECTED },
	{ "2026-06-17", "hijri-new-year", 1, DATE_EXPECTED },
	{ "2026-07-30", "throne-day", 1, DATE_FIXED },
	{ "2026-08-14", "oued-ed-dahab", 1, DATE_FIXED },
	{ "2026-08-20", "revolution-king-people", 1, DATE_FIXED },
	{ "2026-08-21", "youth-day", 1, DATE_FIXED },
	{ "2026-08-26", "mawlid", 1, DATE_EXPECTED },
	{ "2026-08-27", "mawlid", 2, DATE_EXPECTED },
	{ "2026-10-31", "unity-day", 1, DATE_FIXED },
	{ "2026-11-06", "green-march", 1, DATE_FIXED },
	{ "2026-11-18", "independence-day", 1, DATE_FIXED },
};

static struct calendar *
shipped(void)
{
	struct calendar *cal;
	struct buf err = BUF_INIT;

	assert_int_equal(calendar_new(&cal, &err), MAJLIS_OK);
	if (calendar_load_file(cal, test_data("calendar/holidays.ini"), &err))
		fail_msg("%s", err.data);
	buf_release(&err);
	return cal;
}

static void
test_observed_2024_2026(void **state)
{
	struct calendar *cal = shipped();
	size_t k = 0;

	(void)state;
	for (int y = 2024; y <= 2026; y++) {
		const struct holiday *h;
		size_t n = calendar_holidays(cal, y, &h);

		for (size_t i = 0; i < n; i++, k++) {
			char d[DATE_LEN];

			assert_true(k < sizeof(observed) / sizeof(observed[0]));
			date_format(h[i].date, d);
			if (strcmp(d, observed[k].date) ||
			    strcmp(h[i].code, observed[k].code) ||
			    h[i].day != observed[k].day ||
			    h[i].status != observed[k].status)
				fail_msg("holiday %zu of %d: got %s %s day %d "
					 "status %d, expected %s %s day %d "
					 "status %d",
					 i, y, d, h[i].code, h[i].day,
					 h[i].status, observed[k].date,
					 observed[k].code, observed[k].day,
					 observed[k].status);
		}
	}
	assert_int_equal(k, sizeof(observed) / sizeof(observed[0]));
	calendar_free(cal);
}

/* The shipped file without its [hijri-months]: Umm al-Qura alone. */
static struct calendar *
provisional_only(void)
{
	struct calendar *cal;
	struct buf data = BUF_INIT, err = BUF_INIT;
	char *cut;

	assert_int_equal(file_read(test_data("calendar/holidays.ini"),
				   1 << 20, &data), 0);
	cut = strstr(data.data, "\n[hijri-months]");
	assert_non_null(cut);
	buf_truncate(&data, (size_t)(cut - data.data));
	assert_int_equal(calendar_new(&cal, &err), MAJLIS_OK);
	if (calendar_load(cal, "no-months.ini", data.data, data.len, &err))
		fail_msg("%s", err.data);
	buf_release(&data);
	buf_release(&err);
	return cal;
}

static const struct holiday *
first(struct calendar *cal, int year, const char *code)
{
	const struct holiday *h;
	size_t n = calendar_holidays(cal, year, &h);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(h[i].code, code))
			return &h[i];
	fail_msg("no %s in %d", code, year);
	return NULL;
}

static void
assert_date(struct date d, const char *want)
{
	char s[DATE_LEN];

	date_format(d, s);
	assert_string_equal(s, want);
}

static void
test_umm_al_qura_differs(void **state)
{
	struct calendar *uq = provisional_only();
	const struct holiday *h;

	(void)state;
	/* Umm al-Qura's dates, a day before Morocco's sightings. */
	h = first(uq, 2024, "eid-al-adha");
	assert_date(h->date, "2024-06-16");
	assert_int_equal(h->status, DATE_PROVISIONAL);
	assert_date(first(uq, 2024, "mawlid")->date, "2024-09-15");
	assert_date(first(uq, 2025, "eid-al-fitr")->date, "2025-03-30");
	assert_date(first(uq, 2025, "eid-al-adha")->date, "2025-06-06");
	assert_date(first(uq, 2025, "hijri-new-year")->date, "2025-06-26");
	assert_date(first(uq, 2025, "mawlid")->date, "2025-09-04");
	/* Where Morocco agreed with it. */
	assert_date(first(uq, 2024, "eid-al-fitr")->date, "2024-04-10");
	assert_date(first(uq, 2026, "eid-al-fitr")->date, "2026-03-20");
	calendar_free(uq);
}

static void
test_instance_announcement(void **state)
{
	struct calendar *cal = shipped();
	struct buf err = BUF_INIT;
	static const char own[] =
		"; an instance's holidays.ini\n"
		"[hijri-months]\n"
		"1448-10 = 2027-03-10\n"
		"[exceptional bridge]\n"
		"date = 2027-03-12\n"
		"fr = Pont\n"
		"ar = عطلة\n";
	const struct holiday *h;

	(void)state;
	/* Provisional before the announcement... */
	h = first(cal, 2027, "eid-al-fitr");
	assert_date(h->date, "2027-03-09");
	assert_int_equal(h->status, DATE_PROVISIONAL);
	/* ...official after it, one day later. */
	assert_int_equal(calendar_load(cal, "holidays.ini", own, strlen(own),
				       &err), MAJLIS_OK);
	h = first(cal, 2027, "eid-al-fitr");
	assert_date(h->date, "2027-03-10");
	assert_int_equal(h->status, DATE_OFFICIAL);
	assert_int_equal(h->hijri.y * 10000 + h->hijri.m * 100 + h->hijri.d,
			 14481001);
	assert_non_null(calendar_holiday_on(cal, (struct date){ 2027, 3, 12 }));
	calendar_free(cal);
	buf_release(&err);
}

static void
test_hijri_dates(void **state)
{
	struct calendar *cal = shipped();
	struct hijri h;
	struct date g;
	enum date_status st;

	(void)state;
	/* Ramadan 1447 began on 19 February 2026 in Morocco. */
	assert_int_equal(calendar_to_hijri(cal, (struct date){ 2026, 2, 19 },
					   &h, &st), 0);
	assert_int_equal(h.y * 10000 + h.m * 100 + h.d, 14470901);
	assert_int_equal(st, DATE_OFFICIAL);
	assert_int_equal(calendar_to_hijri(cal, (struct date){ 2026, 2, 18 },
					   &h, &st), 0);
	assert_int_equal(h.m * 100 + h.d, 830);
	assert_int_equal(calendar_from_hijri(cal, (struct hijri){ 1446, 12, 10 },
					     &g, &st), 0);
	assert_date(g, "2025-06-07");
	assert_int_equal(calendar_from_hijri(cal, (struct hijri){ 1446, 13, 1 },
					     &g, &st), -1);
	/* Every day of 2024-2027 has a Hijri date one day after the last. */
	for (int64_t z = date_days((struct date){ 2024, 1, 1 });
	     z < date_days((struct date){ 2028, 1, 1 }); z++) {
		struct hijri a, b;

		assert_int_equal(calendar_to_hijri(cal, date_from_days(z), &a,
						   NULL), 0);
		assert_int_equal(calendar_to_hijri(cal, date_from_days(z + 1),
						   &b, NULL), 0);
		assert_true(a.d >= 1 && a.d <= 30);
		if (b.d != a.d + 1)
			assert_true(b.d == 1 && (a.d == 29 || a.d == 30) &&
				    (b.m == a.m % 12 + 1));
	}
	calendar_free(cal);
}

static void
test_working_days(void **state)
{
	struct calendar *cal = shipped();

	(void)state;
	/* Aïd Al-Fitr 1447 on Friday 20 and Saturday 21 March 2026. */
	assert_false(calendar_is_working_day(cal, (struct date){ 2026, 3, 20 }));
	assert_true(calendar_is_weekend(cal, (struct date){ 2026, 3, 22 }));
	assert_date(calendar_add_working_days(cal, (struct date){ 2026, 3, 19 },
					      1),
		    "2026-03-23");
	assert_date(calendar_add_working_days(cal, (struct date){ 2026, 3, 23 },
					      -1),
		    "2026-03-19");
	assert_date(calendar_add_working_days(cal, (struct date){ 2026, 3, 21 },
					      0),
		    "2026-03-23");
	/* Ten working days across the Green March and Independence Day. */
	assert_date(calendar_add_working_days(cal, (struct date){ 2026, 11, 2 },
					      10),
		    "2026-11-17");
	assert_date(calendar_add_working_days(cal, (struct date){ 2026, 11, 17 },
					      2),
		    "2026-11-20");
	calendar_free(cal);
}

static void
test_offsets(void **state)
{
	struct calendar *cal = shipped();
	struct clock *c;
	struct buf err = BUF_INIT, s = BUF_INIT;
	struct offset off;
	char out[TIME_LEN];
	int64_t t;

	(void)state;
	assert_int_equal(clock_new("Africa/Casablanca", 0, &c, &err), 0);
	assert_int_equal(offset_parse("-10d", &off), 0);
	assert_int_equal(off.n * 10 + (int)off.unit, -100 + OFFSET_DAYS);
	assert_int_equal(offset_parse("+3wd", &off), 0);
	assert_int_equal(off.unit, OFFSET_WORKDAYS);
	assert_int_equal(offset_parse("0", &off), 0);
	assert_int_equal(offset_parse("3", &off), -1);
	assert_int_equal(offset_parse("+d", &off), -1);
	assert_int_equal(offset_parse("-1y", &off), -1);
	assert_int_equal(offset_parse("99999999d", &off), -1);
	assert_int_equal(offset_parse("+2mo", &off), 0);
	offset_format(off, &s);
	assert_string_equal(s.data, "+2mo");
	/* Ten days later, across the start of Ramadan's UTC+0: the same
	 * wall-clock time, one hour later in UTC. */
	assert_int_equal(clock_parse(c, "2026-02-10T10:00", &t), 0);
	t = calendar_apply(cal, c, t, (struct offset){ 10, OFFSET_DAYS });
	time_format_utc(t, out);
	assert_string_equal(out, "2026-02-20T10:00:00Z");
	/* Three months after 30 November: the end of February. */
	assert_int_equal(clock_parse(c, "2026-11-30T09:00", &t), 0);
	t = calendar_apply(cal, c, t, (struct offset){ 3, OFFSET_MONTHS });
	time_format_utc(t, out);
	/* (Ramadan 1448: UTC+0 again) */
	assert_string_equal(out, "2027-02-28T09:00:00Z");
	t = calendar_apply(cal, c, t, (struct offset){ -90, OFFSET_MINUTES });
	time_format_utc(t, out);
	assert_string_equal(out, "2027-02-28T07:30:00Z");
	clock_free(c);
	calendar_free(cal);
	buf_release(&err);
	buf_release(&s);
}

static void
expect_error(const char *text, const char *want)
{
	struct calendar *cal;
	struct buf err = BUF_INIT;

	assert_int_equal(calendar_new(&cal, &err), MAJLIS_OK);
	assert_int_equal(calendar_load(cal, "bad.ini", text, strlen(text),
				       &err), MAJLIS_ERR_DATA);
	if (!strstr(err.data, want))
		fail_msg("expected '%s' in: %s", want, err.data);
	/* Nothing of a bad file is kept. */
	assert_int_equal(calendar_holidays(cal, 2026, &(const struct holiday *){
					   NULL }), 0);
	calendar_free(cal);
	buf_release(&err);
}

static void
test_bad_definitions(void **state)
{
	(void)state;
	expect_error("[civil x]\nfr = a\nar = ب\ndate = 13-01\n",
		     "bad.ini:4: expected a date as MM-DD");
	expect_error("[civil x]\nfr = a\ndate = 01-01\n",
		     "bad.ini:1: holiday 'x' needs both names");
	expect_error("[calendar]\nformat = 2\n", "bad.ini:2: unknown format");
	expect_error("[calendar]\nweekend = fri caturday\n",
		     "bad.ini:2: unknown day 'caturday'");
	expect_error("[calendar]\nweekend = mon tue wed thu fri sat sun\n",
		     "bad.ini:2: every day of the week is a weekend day");
	expect_error("[calendar]\nhijri = gregorian\n",
		     "bad.ini:2: unknown Hijri calendar");
	expect_error("[religious y]\nhijri = 10-31\nfr = a\nar = ب\n",
		     "at most 30 days");
	expect_error("[hijri-months]\n1447-10 = 2026-03-20\n"
		     "1447-11 = 2026-04-20\n",
		     "are 31 days apart; a Hijri month lasts 29 or 30 days");
	expect_error("[hijri-months]\n1447-10 = 2026-06-20\n",
		     "bad.ini:2: 1447-10 cannot start on that day");
	expect_error("[hijri-months]\n1447-10 = 2026-03-20 maybe\n",
		     "bad.ini:2: expected 'YYYY-MM-DD' or");
	expect_error("[holiday x]\n", "bad.ini:1: unknown section [holiday]");
	expect_error("\xc7\xe1\n", "bad.ini:1: not UTF-8");
	expect_error("[civil x]\ndate = 01-02\nfr = a\nar = ب\n"
		     "[civil x]\n",
		     "bad.ini:5: holiday 'x' defined twice");
}

/* A refused file changes nothing, not even the Hijri calendar it asked
 * for before one of its month starts was refused. */
static void
test_refused_load_keeps_calendar(void **state)
{
	struct calendar *cal = shipped();
	struct buf err = BUF_INIT;
	static const char bad[] = "[calendar]\n"
				  "hijri = islamic-civil\n"
				  "[hijri-months]\n"
				  "1447-09 = 2026-03-15\n";
	struct hijri h;
	enum date_status st;
	char before[16], after[16];

	(void)state;
	assert_int_equal(calendar_to_hijri(cal, (struct date){ 2030, 1, 5 }, &h,
					   &st),
			 0);
	snprintf(before, sizeof(before), "%d-%02d-%02d", h.y, h.m, h.d);
	assert_int_equal(calendar_load(cal, "bad.ini", bad, strlen(bad), &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "bad.ini:4:"));
	assert_int_equal(calendar_to_hijri(cal, (struct date){ 2030, 1, 5 }, &h,
					   &st),
			 0);
	snprintf(after, sizeof(after), "%d-%02d-%02d", h.y, h.m, h.d);
	assert_string_equal(before, after);
	calendar_free(cal);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_observed_2024_2026),
		cmocka_unit_test(test_umm_al_qura_differs),
		cmocka_unit_test(test_instance_announcement),
		cmocka_unit_test(test_hijri_dates),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_bad_definitions),
		cmocka_unit_test(test_refused_load_keeps_calendar),
	};

	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
