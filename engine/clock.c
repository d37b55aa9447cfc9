/*
 * clock.c - dates, UTC timestamps, the zone and human formats (clock.h).
 *
 * Layout: calendar-date arithmetic (pure integers, proleptic Gregorian,
 * after Howard Hinnant's days_from_civil); UTC timestamp text; the clock
 * object with its ICU calendar for zone conversions; formatting with ICU
 * date formats in fr_MA and ar_MA (Moroccan month names in Arabic:
 * "يوليوز", "غشت", "شتنبر" ..., and Western digits, as Moroccan
 * administrations write them).
 */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>

#include "sys.h"

int
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

int
days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return m >= 1 && m <= 12 ? mdays[m - 1] : 0;
}

int64_t
date_days(struct date dt)
{
	int64_t y = dt.y - (dt.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + dt.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date
date_from_days(int64_t z)
{
	struct date dt;
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dt.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	dt.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	dt.y = (int)(yoe + era * 400 + (dt.m <= 2));
	return dt;
}

struct date
date_add_days(struct date d, int64_t n)
{
	return date_from_days(date_days(d) + n);
}

int
date_weekday(struct date d)
{
	int64_t z = date_days(d);
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (z % 7 + 7 + 3) % 7;

	return (int)w + 1;
}

int
date_cmp(struct date a, struct date b)
{
	int64_t x = date_days(a), y = date_days(b);

	return x < y ? -1 : x > y;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
date_parse(const char *s, struct date *out)
{
	struct date d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &d.y) || digits(s + 5, 2, &d.m) ||
	    digits(s + 8, 2, &d.d) || !date_valid(d.y, d.m, d.d))
		return -1;
	*out = d;
	return 0;
}

/* Writes v (0 <= v < 10^n) as n digits. */
static char *
put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

void
date_format(struct date d, char out[DATE_LEN])
{
	char *p = out;

	if (!date_valid(d.y, d.m, d.d))
		BUG("formatting an invalid date %d-%d-%d", d.y, d.m, d.d);
	p = put_digits(p, d.y, 4);
	*p++ = '-';
	p = put_digits(p, d.m, 2);
	*p++ = '-';
	p = put_digits(p, d.d, 2);
	*p = '\0';
}

void
time_format_utc(int64_t t, char out[TIME_LEN])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	struct date d = date_from_days(days);

	char *p;

	date_format(d, out);
	p = out + 10;
	*p++ = 'T';
	p = put_digits(p, (int)(secs / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(secs / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(secs % 60), 2);
	*p++ = 'Z';
	*p = '\0';
}

static int
parse_hms(const char *s, int *h, int *mi, int *sec, size_t *used)
{
	*sec = 0;
	if (digits(s, 2, h) || s[2] != ':' || digits(s + 3, 2, mi))
		return -1;
	*used = 5;
	if (s[5] == ':') {
		if (digits(s + 6, 2, sec))
			return -1;
		*used = 8;
	}
	if (*h > 23 || *mi > 59 || *sec > 59)
		return -1;
	return 0;
}

int
time_parse_utc(const char *s, int64_t *out)
{
	struct date d;
	char day[DATE_LEN];
	int h, mi, sec;
	size_t used;

	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) || parse_hms(s + 11, &h, &mi, &sec, &used) ||
	    used != 8)
		return -1;
	*out = date_days(d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

enum { LANG_FR, LANG_AR, LANG__COUNT };

struct clock {
	int64_t now;		  /* the current time, UTC seconds */
	char *zone;		  /* IANA zone name */
	UChar uzone[64];	  /* the same, for ICU */
	UCalendar *cal;		  /* Gregorian calendar in the zone */
	UDateFormat *fmt[LANG__COUNT][4]; /* formats by language and style */
};

enum majlis_status
clock_new(const char *tz, int64_t now, struct clock **out, struct buf *err)
{
	struct clock *c;
	UErrorCode uerr = U_ZERO_ERROR;
	UChar canon[64];
	UBool system = 0;

	*out = NULL;
	if (!tz || strlen(tz) >= 64)
		return error(err, MAJLIS_ERR_CONFIG, "bad time zone name");
	c = xcalloc(1, sizeof(*c));
	c->now = now;
	c->zone = xstrdup(tz);
	u_uastrncpy(c->uzone, tz, 63);
	ucal_getCanonicalTimeZoneID(c->uzone, -1, canon, 64, &system, &uerr);
	if (U_FAILURE(uerr) || !system) {
		clock_free(c);
		return error(err, MAJLIS_ERR_CONFIG, "unknown time zone '%s'",
			     tz);
	}
	c->cal = ucal_open(c->uzone, -1, "en_US@calendar=gregorian",
			   UCAL_GREGORIAN, &uerr);
	if (U_FAILURE(uerr)) {
		clock_free(c);
		return error(err, MAJLIS_ERR_INTERNAL,
			     "cannot open a calendar for '%s': %s", tz,
			     u_errorName(uerr));
	}
	/* Proleptic Gregorian, like date_days(). */
	ucal_setGregorianChange(c->cal, -1e18, &uerr);
	*out = c;
	return MAJLIS_OK;
}

void
clock_free(struct clock *c)
{
	if (!c)
		return;
	for (int l = 0; l < LANG__COUNT; l++)
		for (int s = 0; s < 4; s++)
			if (c->fmt[l][s])
				udat_close(c->fmt[l][s]);
	if (c->cal)
		ucal_close(c->cal);
	free(c->zone);
	free(c);
}

int64_t
clock_now(const struct clock *c)
{
	return c->now;
}

void
clock_set_now(struct clock *c, int64_t now)
{
	c->now = now;
}

const char *
clock_zone(const struct clock *c)
{
	return c->zone;
}

int64_t
clock_from_local(struct clock *c, struct date d, int hour, int min, int sec)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UDate ms;

	ucal_clear(c->cal);
	ucal_setDateTime(c->cal, d.y, d.m - 1, d.d, hour, min, sec, &uerr);
	ms = ucal_getMillis(c->cal, &uerr);
	if (U_FAILURE(uerr))
		BUG("ICU refused a valid local time: %s", u_errorName(uerr));
	return (int64_t)(ms / 1000.0 + (ms < 0 ? -0.5 : 0.5));
}

void
clock_to_local(struct clock *c, int64_t t, struct date *d, int *hour,
	       int *min, int *sec)
{
	UErrorCode uerr = U_ZERO_ERROR;

	ucal_setMillis(c->cal, (UDate)t * 1000.0, &uerr);
	d->y = ucal_get(c->cal, UCAL_EXTENDED_YEAR, &uerr);
	d->m = ucal_get(c->cal, UCAL_MONTH, &uerr) + 1;
	d->d = ucal_get(c->cal, UCAL_DATE, &uerr);
	if (hour)
		*hour = ucal_get(c->cal, UCAL_HOUR_OF_DAY, &uerr);
	if (min)
		*min = ucal_get(c->cal, UCAL_MINUTE, &uerr);
	if (sec)
		*sec = ucal_get(c->cal, UCAL_SECOND, &uerr);
	if (U_FAILURE(uerr))
		BUG("ICU cannot convert a time: %s", u_errorName(uerr));
}

struct date
clock_local_date(struct clock *c, int64_t t)
{
	struct date d;

	clock_to_local(c, t, &d, NULL, NULL, NULL);
	return d;
}

int
clock_parse(struct clock *c, const char *s, int64_t *out)
{
	char day[DATE_LEN];
	struct date d;
	int h = 0, mi = 0, sec = 0;
	size_t used = 0;
	const char *zone;

	if (strlen(s) < 10)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d))
		return -1;
	zone = s + 10;
	if (*zone == 'T' || *zone == ' ') {
		if (parse_hms(zone + 1, &h, &mi, &sec, &used))
			return -1;
		zone += 1 + used;
	}
	if (!*zone) {
		*out = clock_from_local(c, d, h, mi, sec);
		return 0;
	}
	if (!strcmp(zone, "Z")) {
		*out = date_days(d) * 86400 + h * 3600 + mi * 60 + sec;
		return 0;
	}
	if ((*zone == '+' || *zone == '-') && strlen(zone) == 6 &&
	    zone[3] == ':') {
		int oh, om;

		if (digits(zone + 1, 2, &oh) || digits(zone + 4, 2, &om) ||
		    oh > 14 || om > 59)
			return -1;
		*out = date_days(d) * 86400 + h * 3600 + mi * 60 + sec -
		       (*zone == '+' ? 1 : -1) * (oh * 3600 + om * 60);
		return 0;
	}
	return -1;
}

static const char *const patterns[LANG__COUNT][4] = {
	[LANG_FR] = {
		[CLOCK_DATE] = "EEEE d MMMM y",
		[CLOCK_DATETIME] = "EEEE d MMMM y 'à' HH'h'mm",
		[CLOCK_TIME] = "HH'h'mm",
		[CLOCK_SHORT] = "dd/MM/y HH:mm",
	},
	[LANG_AR] = {
		[CLOCK_DATE] = "EEEE d MMMM y",
		[CLOCK_DATETIME] = "EEEE d MMMM y 'على الساعة' HH:mm",
		[CLOCK_TIME] = "HH:mm",
		[CLOCK_SHORT] = "dd/MM/y HH:mm",
	},
};

static UDateFormat *
formatter(struct clock *c, int lang, enum clock_style style)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UChar pat[128];

	if (c->fmt[lang][style])
		return c->fmt[lang][style];
	u_strFromUTF8(pat, 128, NULL, patterns[lang][style], -1, &uerr);
	c->fmt[lang][style] = udat_open(UDAT_PATTERN, UDAT_PATTERN,
					lang == LANG_AR ? "ar_MA" : "fr_MA",
					c->uzone, -1, pat, -1, &uerr);
	if (U_FAILURE(uerr))
		BUG("cannot open a date format: %s", u_errorName(uerr));
	return c->fmt[lang][style];
}

static void
format_ms(struct clock *c, UDate ms, int lang, enum clock_style style,
	  struct buf *out)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UChar u[256];
	char s[768];
	int32_t n;

	udat_format(formatter(c, lang, style), ms, u, 256, NULL, &uerr);
	n = 0;
	u_strToUTF8(s, sizeof(s), &n, u, -1, &uerr);
	if (U_FAILURE(uerr))
		BUG("cannot format a date: %s", u_errorName(uerr));
	buf_add(out, s, (size_t)n);
}

void
clock_format(struct clock *c, int64_t t, const char *lang,
	     enum clock_style style, struct buf *out)
{
	format_ms(c, (UDate)t * 1000.0, str_eq(lang, "ar") ? LANG_AR : LANG_FR,
		  style, out);
}

void
clock_format_date(struct clock *c, struct date d, const char *lang,
		  struct buf *out)
{
	/* Noon avoids any doubt about the day across an offset change. */
	clock_format(c, clock_from_local(c, d, 12, 0, 0), lang, CLOCK_DATE,
		     out);
}
