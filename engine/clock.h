/*
 * clock.h - the only source of "now", calendar dates, and the time zone
 * in which people read times (Africa/Casablanca).
 *
 * Times are int64_t seconds since the epoch, in UTC. They are stored as
 * text "YYYY-MM-DDTHH:MM:SSZ" and shown to people in the clock's zone.
 * Calendar dates (struct date) carry no zone. Morocco's offset changes
 * around Ramadan, so every conversion goes through ICU's zone data rather
 * than a fixed offset.
 */
#ifndef MAJLIS_CLOCK_H
#define MAJLIS_CLOCK_H

#include <stdint.h>

#include "buf.h"
#include "status.h"

struct date {
	int y;	/* year, e.g. 2026 */
	int m;	/* month, 1-12 */
	int d;	/* day of month, 1-31 */
};

#define DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */
#define TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Days since 1970-01-01 (negative before). */
int64_t date_days(struct date d);
struct date date_from_days(int64_t days);
struct date date_add_days(struct date d, int64_t n);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(struct date d);
int date_cmp(struct date a, struct date b);
int date_valid(int y, int m, int d);
int days_in_month(int y, int m);
/* Parses exactly "YYYY-MM-DD". Returns 0, or -1 if malformed or invalid. */
int date_parse(const char *s, struct date *out);
void date_format(struct date d, char out[DATE_LEN]);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ". */
void time_format_utc(int64_t t, char out[TIME_LEN]);
/* Parses exactly the form above. Returns 0 or -1. */
int time_parse_utc(const char *s, int64_t *out);

struct clock;

/*
 * A clock for the IANA zone tz whose "now" is now. The caller frees it
 * with clock_free(). Fails with MAJLIS_ERR_CONFIG for an unknown zone.
 */
enum majlis_status clock_new(const char *tz, int64_t now, struct clock **out,
			     struct buf *err);
void clock_free(struct clock *c);
int64_t clock_now(const struct clock *c);
/* Moves "now" (replaying history, as the demo does). */
void clock_set_now(struct clock *c, int64_t now);
const char *clock_zone(const struct clock *c);

/* The UTC time of a wall-clock time in the clock's zone. A wall time
 * skipped by a change of offset counts after the change. */
int64_t clock_from_local(struct clock *c, struct date d, int hour, int min,
			 int sec);
/* The wall-clock date and time of t in the clock's zone. */
void clock_to_local(struct clock *c, int64_t t, struct date *d, int *hour,
		    int *min, int *sec);
struct date clock_local_date(struct clock *c, int64_t t);

/*
 * Parses an ISO 8601 time: "YYYY-MM-DD" (local midnight),
 * "YYYY-MM-DDTHH:MM[:SS]" (local), either followed by "Z" or "+HH:MM" /
 * "-HH:MM" (absolute). A space may replace the 'T'. Returns 0 or -1.
 */
int clock_parse(struct clock *c, const char *s, int64_t *out);

enum clock_style {
	CLOCK_DATE,	/* "mardi 2 février 2027" */
	CLOCK_DATETIME, /* "mardi 2 février 2027 à 10h00" */
	CLOCK_TIME,	/* "10h00" */
	CLOCK_SHORT,	/* "02/02/2027 10:00" */
};

/* Appends t, shown in the clock's zone for a reader of lang ("fr" or
 * "ar"; anything else reads as "fr"), to out. */
void clock_format(struct clock *c, int64_t t, const char *lang,
		  enum clock_style style, struct buf *out);
/* Appends a calendar date in the long style of lang to out. */
void clock_format_date(struct clock *c, struct date d, const char *lang,
		       struct buf *out);

#endif
