/*
 * calendar.h - working days: weekends, Moroccan public holidays and the
 * Hijri calendar behind the religious ones.
 *
 * Holidays come from definition files (defs.h syntax), loaded in order:
 * the shipped calendar/holidays.ini, then the instance's holidays.ini,
 * whose entries add to or override the shipped ones.
 *
 *   [calendar]  format = 1, weekend = sat sun, hijri = islamic-umalqura
 *   [civil CODE]       date = MM-DD, from/until = YEAR, fr = ..., ar = ...
 *   [religious CODE]   hijri = MM-DD, days = N, fr = ..., ar = ...
 *   [exceptional CODE] date = YYYY-MM-DD, fr = ..., ar = ...
 *   [hijri-months]     YYYY-MM = YYYY-MM-DD [expected]
 *
 * Religious holidays fall on Hijri dates. Their provisional Gregorian date
 * comes from ICU's Islamic calendar (islamic-umalqura by default); the
 * first day of each Hijri month as announced by the Ministry of Habous
 * after the moon sighting, often a day after Umm al-Qura, overrides it
 * (the [hijri-months] entries). An entry marked "expected" is a published
 * forecast not yet confirmed.
 */
#ifndef MAJLIS_CALENDAR_H
#define MAJLIS_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "clock.h"
#include "status.h"

struct calendar;

struct hijri {
	int y;	/* Hijri year, e.g. 1447 */
	int m;	/* month, 1 (Muharram) - 12 (Dhu al-Hijja) */
	int d;	/* day, 1-30 */
};

/* Where a date comes from. */
enum date_status {
	DATE_FIXED,	  /* a civil holiday on a fixed date */
	DATE_OFFICIAL,	  /* announced month start */
	DATE_EXPECTED,	  /* published forecast, not yet announced */
	DATE_PROVISIONAL, /* computed by ICU's Islamic calendar */
};

enum holiday_kind {
	HOLIDAY_CIVIL,
	HOLIDAY_RELIGIOUS,
	HOLIDAY_EXCEPTIONAL,
};

struct holiday {
	struct date date;	  /* the Gregorian day off */
	struct hijri hijri;	  /* the same day in the Hijri calendar */
	const char *code;	  /* "eid-al-fitr" */
	const char *name_fr;	  /* "Aïd Al-Fitr" */
	const char *name_ar;	  /* "عيد الفطر" */
	enum holiday_kind kind;	  /* civil, religious, exceptional */
	enum date_status status;  /* how sure the date is */
	int day;		  /* 1-based day of a multi-day holiday */
	int days;		  /* length of the holiday */
};

/* An empty calendar (Saturday and Sunday off, Umm al-Qura). */
enum majlis_status calendar_new(struct calendar **out, struct buf *err);
void calendar_free(struct calendar *cal);
/* Adds the definitions in a file, or in len bytes named name. Bad
 * definitions are reported as "file:line: reason" and nothing of that
 * input is kept. */
enum majlis_status calendar_load_file(struct calendar *cal, const char *path,
				      struct buf *err);
enum majlis_status calendar_load(struct calendar *cal, const char *name,
				 const char *data, size_t len,
				 struct buf *err);

/* The Hijri date of g; *status says how sure it is. Returns 0 or -1
 * when g is out of the range ICU supports. */
int calendar_to_hijri(struct calendar *cal, struct date g, struct hijri *h,
		      enum date_status *status);
/* The Gregorian date of h. Returns 0 or -1. */
int calendar_from_hijri(struct calendar *cal, struct hijri h,
			struct date *g, enum date_status *status);
/* "Chaoual" / "شوال"; NULL when m is out of range. */
const char *hijri_month_name(int m, const char *lang);
/* Appends "1 Chaoual 1447" (fr) or "1 شوال 1447" (ar) to out. */
void hijri_format(struct hijri h, const char *lang, struct buf *out);

/*
 * The holidays of a Gregorian year, sorted by date, in *out. Returns
 * their number; the array stays valid until calendar_free().
 */
size_t calendar_holidays(struct calendar *cal, int year,
			 const struct holiday **out);
/* The first holiday on d, or NULL. */
const struct holiday *calendar_holiday_on(struct calendar *cal,
					  struct date d);
int calendar_is_weekend(struct calendar *cal, struct date d);
int calendar_is_working_day(struct calendar *cal, struct date d);
/*
 * The n-th working day after d (n > 0) or before d (n < 0); d itself
 * never counts. n == 0 gives d if it is a working day, else the next one.
 */
struct date calendar_add_working_days(struct calendar *cal, struct date d,
				      int n);

enum offset_unit {
	OFFSET_MINUTES,
	OFFSET_HOURS,
	OFFSET_DAYS,	 /* calendar days, same wall-clock time */
	OFFSET_WORKDAYS, /* working days, same wall-clock time */
	OFFSET_MONTHS,	 /* calendar months, day clamped to month end */
};

/* A signed distance in time as deadlines are written: "-10d", "+3wd". */
struct offset {
	int n;			/* signed amount */
	enum offset_unit unit;	/* its unit */
};

/* Parses "[+-]N(m|h|d|wd|mo)" or "0". Returns 0 or -1. */
int offset_parse(const char *s, struct offset *out);
/* Appends the offset as written, e.g. "-10d". */
void offset_format(struct offset off, struct buf *out);
/* t moved by off, working days and wall-clock time taken in c's zone. */
int64_t calendar_apply(struct calendar *cal, struct clock *c, int64_t t,
		       struct offset off);

#endif
