/*
 * calendar.c - holidays, the Hijri calendar and working days (calendar.h).
 *
 * Layout: the loaded definitions and their parser; Hijri conversion (ICU
 * for provisional month starts, announced starts from the definitions);
 * holidays by year, cached; working days; offsets.
 */
#include "calendar.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "defs.h"
#include "sys.h"

struct rule {
	char *code;		/* the section name */
	enum holiday_kind kind;	/* which of the fields below apply */
	int m, d;		/* civil: month and day; religious: Hijri */
	int from, until;	/* civil: first and last year (0: open) */
	struct date date;	/* exceptional: the day */
	int days;		/* length in days */
	char *fr, *ar;		/* names */
};

struct month_start {
	int hy, hm;		/* the Hijri month */
	struct date first;	/* its first day */
	int expected;		/* a forecast, not an announcement */
	int line;		/* where it was defined */
};

struct year_cache {
	int year;		/* Gregorian year */
	struct holiday *h;	/* its holidays, sorted */
	size_t n;		/* how many */
};

struct defs_set {
	struct rule *rules;
	size_t nrules, caprules;
	struct month_start *starts;
	size_t nstarts, capstarts;
	int weekend[8];		/* weekend[ISO weekday] */
	char hijri_cal[32];	/* ICU calendar keyword */
};

struct calendar {
	struct defs_set defs;	/* everything loaded so far */
	UCalendar *islamic;	/* ICU calendar for provisional dates */
	struct year_cache *years;
	size_t nyears, capyears;
};

static const char *const hijri_names[2][12] = {
	{ "Moharram", "Safar", "Rabii I", "Rabii II", "Joumada I",
	  "Joumada II", "Rajab", "Chaabane", "Ramadan", "Chaoual",
	  "Dou al-Qiida", "Dou al-Hijja" },
	{ "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى",
	  "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة",
	  "ذو الحجة" },
};

const char *
hijri_month_name(int m, const char *lang)
{
	if (m < 1 || m > 12)
		return NULL;
	return hijri_names[str_eq(lang, "ar")][m - 1];
}

void
hijri_format(struct hijri h, const char *lang, struct buf *out)
{
	const char *name = hijri_month_name(h.m, lang);

	buf_addf(out, "%d %s %d", h.d, name ? name : "?", h.y);
}

static void
rule_release(struct rule *r)
{
	free(r->code);
	free(r->fr);
	free(r->ar);
}

static void
defs_set_release(struct defs_set *s)
{
	for (size_t i = 0; i < s->nrules; i++)
		rule_release(&s->rules[i]);
	free(s->rules);
	free(s->starts);
	memset(s, 0, sizeof(*s));
}

static void
clear_years(struct calendar *cal)
{
	for (size_t i = 0; i < cal->nyears; i++)
		free(cal->years[i].h);
	cal->nyears = 0;
}

static enum majlis_status
open_islamic(struct calendar *cal, const char *name, struct buf *err)
{
	UErrorCode uerr = U_ZERO_ERROR;
	char locale[64];
	UChar utc[4];
	UCalendar *ucal;

	snprintf(locale, sizeof(locale), "en@calendar=%s", name);
	u_uastrcpy(utc, "UTC");
	ucal = ucal_open(utc, -1, locale, UCAL_DEFAULT, &uerr);
	if (U_FAILURE(uerr))
		return error(err, MAJLIS_ERR_INTERNAL,
			     "cannot open ICU's '%s' calendar: %s", name,
			     u_errorName(uerr));
	if (cal->islamic)
		ucal_close(cal->islamic);
	cal->islamic = ucal;
	return MAJLIS_OK;
}

enum majlis_status
calendar_new(struct calendar **out, struct buf *err)
{
	struct calendar *cal = xcalloc(1, sizeof(*cal));
	enum majlis_status rc;

	cal->defs.weekend[6] = cal->defs.weekend[7] = 1;
	snprintf(cal->defs.hijri_cal, sizeof(cal->defs.hijri_cal), "%s",
		 "islamic-umalqura");
	rc = open_islamic(cal, cal->defs.hijri_cal, err);
	if (rc != MAJLIS_OK) {
		calendar_free(cal);
		*out = NULL;
		return rc;
	}
	*out = cal;
	return MAJLIS_OK;
}

void
calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	clear_years(cal);
	free(cal->years);
	defs_set_release(&cal->defs);
	if (cal->islamic)
		ucal_close(cal->islamic);
	free(cal);
}

/* Parsing state for one input. */
struct loader {
	struct defs_set set;	/* what this input defines */
	struct rule *cur;	/* the rule being filled, if any */
	int in_calendar;	/* inside [calendar] */
	int in_months;		/* inside [hijri-months] */
	int format_seen;	/* [calendar] format given */
	int section_line;	/* line of the current section */
	const char *file;
};

static int
parse_mmdd(const char *s, int *m, int *d)
{
	long long mm, dd;
	char tmp[3];

	if (strlen(s) != 5 || s[2] != '-')
		return -1;
	memcpy(tmp, s, 2);
	tmp[2] = '\0';
	if (parse_int(tmp, 1, 12, &mm) || parse_int(s + 3, 1, 31, &dd))
		return -1;
	*m = (int)mm;
	*d = (int)dd;
	return 0;
}

static enum majlis_status
check_rule_done(struct loader *ld, struct buf *err)
{
	struct rule *r = ld->cur;
	struct defs_item it = { ld->file, ld->section_line, "", "", NULL,
				NULL };

	if (!r)
		return MAJLIS_OK;
	ld->cur = NULL;
	if (!r->fr || !r->ar)
		return defs_error(err, &it,
				  "holiday '%s' needs both names, fr and ar",
				  r->code);
	if (r->kind == HOLIDAY_EXCEPTIONAL ? !r->date.y : !r->m)
		return defs_error(err, &it, "holiday '%s' has no %s", r->code,
				  r->kind == HOLIDAY_RELIGIOUS ? "hijri date"
							       : "date");
	if (r->kind == HOLIDAY_CIVIL && !date_valid(2024, r->m, r->d))
		return defs_error(err, &it, "holiday '%s': no such day",
				  r->code);
	if (r->kind == HOLIDAY_RELIGIOUS && r->d > 30)
		return defs_error(err, &it,
				  "holiday '%s': a Hijri month has at most "
				  "30 days",
				  r->code);
	return MAJLIS_OK;
}

static enum majlis_status
load_section(struct loader *ld, const struct defs_item *it, struct buf *err)
{
	enum majlis_status rc = check_rule_done(ld, err);
	enum holiday_kind kind;
	struct rule *r;

	if (rc != MAJLIS_OK)
		return rc;
	ld->in_calendar = ld->in_months = 0;
	ld->section_line = it->line;
	if (!strcmp(it->kind, "calendar") || !strcmp(it->kind, "hijri-months")) {
		if (*it->name)
			return defs_error(err, it, "[%s] takes no name",
					  it->kind);
		ld->in_calendar = !strcmp(it->kind, "calendar");
		ld->in_months = !ld->in_calendar;
		return MAJLIS_OK;
	}
	if (!strcmp(it->kind, "civil"))
		kind = HOLIDAY_CIVIL;
	else if (!strcmp(it->kind, "religious"))
		kind = HOLIDAY_RELIGIOUS;
	else if (!strcmp(it->kind, "exceptional"))
		kind = HOLIDAY_EXCEPTIONAL;
	else
		return defs_error(err, it,
				  "unknown section [%s]: expected calendar, "
				  "civil, religious, exceptional or "
				  "hijri-months",
				  it->kind);
	if (!*it->name)
		return defs_error(err, it, "[%s] needs a code, as in [%s "
				  "new-year]", it->kind, it->kind);
	for (size_t i = 0; i < ld->set.nrules; i++)
		if (!strcmp(ld->set.rules[i].code, it->name))
			return defs_error(err, it,
					  "holiday '%s' defined twice in "
					  "this file",
					  it->name);
	xgrow(&ld->set.rules, &ld->set.caprules, ld->set.nrules + 1,
	      sizeof(*ld->set.rules));
	r = &ld->set.rules[ld->set.nrules++];
	memset(r, 0, sizeof(*r));
	r->code = xstrdup(it->name);
	r->kind = kind;
	r->days = 1;
	ld->cur = r;
	return MAJLIS_OK;
}

static enum majlis_status
load_calendar_key(struct loader *ld, const struct defs_item *it,
		  struct buf *err)
{
	if (!strcmp(it->key, "format")) {
		if (strcmp(it->value, "1"))
			return defs_error(err, it,
					  "unknown format '%s' (this majlis "
					  "reads format 1)",
					  it->value);
		ld->format_seen = 1;
	} else if (!strcmp(it->key, "weekend")) {
		static const char *const days[] = { "mon", "tue", "wed", "thu",
						    "fri", "sat", "sun" };
		char *copy = xstrdup(it->value), *words[8];
		int n = split_words(copy, words, 7);

		memset(ld->set.weekend, 0, sizeof(ld->set.weekend));
		for (int i = 0; i < n; i++) {
			int found = 0;

			for (int d = 0; d < 7; d++)
				if (!strcmp(words[i], days[d]))
					ld->set.weekend[d + 1] = found = 1;
			if (!found) {
				enum majlis_status rc = defs_error(
					err, it,
					"unknown day '%s' (mon, tue, wed, thu, "
					"fri, sat, sun)",
					words[i]);

				free(copy);
				return rc;
			}
		}
		free(copy);
		if (n < 0)
			return defs_error(err, it, "too many weekend days");
		n = 0;
		for (int d = 1; d <= 7; d++)
			n += ld->set.weekend[d];
		/* Deadlines count working days: a week needs one. */
		if (n == 7)
			return defs_error(err, it,
					  "every day of the week is a weekend "
					  "day; a week needs a working day");
		ld->set.weekend[0] = 1; /* marks "set by this input" */
	} else if (!strcmp(it->key, "hijri")) {
		static const char *const known[] = { "islamic-umalqura",
						     "islamic-civil",
						     "islamic-tbla", "islamic" };
		size_t i;

		for (i = 0; i < 4; i++)
			if (!strcmp(it->value, known[i]))
				break;
		if (i == 4)
			return defs_error(err, it,
					  "unknown Hijri calendar '%s' "
					  "(islamic-umalqura, islamic-civil, "
					  "islamic-tbla, islamic)",
					  it->value);
		snprintf(ld->set.hijri_cal, sizeof(ld->set.hijri_cal), "%s",
			 it->value);
	} else {
		return defs_error(err, it, "unknown key '%s' in [calendar]",
				  it->key);
	}
	return MAJLIS_OK;
}

static enum majlis_status
load_month_key(struct loader *ld, const struct defs_item *it,
	       struct buf *err)
{
	char *copy, *words[3];
	long long hy, hm;
	struct month_start ms = { 0 };
	int n;

	if (strlen(it->key) != 7 || it->key[4] != '-')
		return defs_error(err, it,
				  "expected a Hijri month as YYYY-MM, not "
				  "'%s'",
				  it->key);
	copy = xstrndup(it->key, 4);
	n = parse_int(copy, 1300, 1600, &hy);
	free(copy);
	if (n || parse_int(it->key + 5, 1, 12, &hm))
		return defs_error(err, it,
				  "bad Hijri month '%s' (years 1300-1600, "
				  "months 01-12)",
				  it->key);
	copy = xstrdup(it->value);
	n = split_words(copy, words, 2);
	if (n < 1 || date_parse(words[0], &ms.first) ||
	    (n == 2 && strcmp(words[1], "expected"))) {
		free(copy);
		return defs_error(err, it,
				  "expected 'YYYY-MM-DD' or 'YYYY-MM-DD "
				  "expected' for %s",
				  it->key);
	}
	ms.expected = n == 2;
	ms.line = it->line;
	free(copy);
	ms.hy = (int)hy;
	ms.hm = (int)hm;
	for (size_t i = 0; i < ld->set.nstarts; i++)
		if (ld->set.starts[i].hy == ms.hy &&
		    ld->set.starts[i].hm == ms.hm)
			return defs_error(err, it,
					  "Hijri month %s given twice",
					  it->key);
	xgrow(&ld->set.starts, &ld->set.capstarts, ld->set.nstarts + 1,
	      sizeof(*ld->set.starts));
	ld->set.starts[ld->set.nstarts++] = ms;
	return MAJLIS_OK;
}

static enum majlis_status
load_rule_key(struct loader *ld, const struct defs_item *it, struct buf *err)
{
	struct rule *r = ld->cur;
	long long v;

	if (!strcmp(it->key, "fr") || !strcmp(it->key, "ar")) {
		char **slot = it->key[0] == 'f' ? &r->fr : &r->ar;

		if (!*it->value)
			return defs_error(err, it, "empty name");
		free(*slot);
		*slot = xstrdup(it->value);
	} else if (!strcmp(it->key, "date") && r->kind == HOLIDAY_CIVIL) {
		if (parse_mmdd(it->value, &r->m, &r->d))
			return defs_error(err, it,
					  "expected a date as MM-DD, not '%s'",
					  it->value);
	} else if (!strcmp(it->key, "date") &&
		   r->kind == HOLIDAY_EXCEPTIONAL) {
		if (date_parse(it->value, &r->date))
			return defs_error(err, it,
					  "expected a date as YYYY-MM-DD, not "
					  "'%s'",
					  it->value);
	} else if (!strcmp(it->key, "hijri") && r->kind == HOLIDAY_RELIGIOUS) {
		if (parse_mmdd(it->value, &r->m, &r->d))
			return defs_error(err, it,
					  "expected a Hijri date as MM-DD, not "
					  "'%s'",
					  it->value);
	} else if (!strcmp(it->key, "days")) {
		if (parse_int(it->value, 1, 10, &v))
			return defs_error(err, it,
					  "days must be a number from 1 to 10");
		r->days = (int)v;
	} else if ((!strcmp(it->key, "from") || !strcmp(it->key, "until")) &&
		   r->kind == HOLIDAY_CIVIL) {
		if (parse_int(it->value, 1900, 2200, &v))
			return defs_error(err, it,
					  "%s must be a year (1900-2200)",
					  it->key);
		*(it->key[0] == 'f' ? &r->from : &r->until) = (int)v;
	} else {
		return defs_error(err, it, "unknown key '%s' in [%s %s]",
				  it->key, it->kind, it->name);
	}
	return MAJLIS_OK;
}

static enum majlis_status
load_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct loader *ld = ctx;

	if (!it->key)
		return load_section(ld, it, err);
	if (ld->in_calendar)
		return load_calendar_key(ld, it, err);
	if (ld->in_months)
		return load_month_key(ld, it, err);
	if (ld->cur)
		return load_rule_key(ld, it, err);
	return defs_error(err, it, "'%s' outside of any section", it->key);
}

static void
merge(struct calendar *cal, struct loader *ld)
{
	struct defs_set *dst = &cal->defs, *src = &ld->set;

	for (size_t i = 0; i < src->nrules; i++) {
		struct rule *r = &src->rules[i];
		size_t j;

		for (j = 0; j < dst->nrules; j++)
			if (!strcmp(dst->rules[j].code, r->code))
				break;
		if (j == dst->nrules) {
			xgrow(&dst->rules, &dst->caprules, dst->nrules + 1,
			      sizeof(*dst->rules));
			dst->nrules++;
		} else {
			rule_release(&dst->rules[j]);
		}
		dst->rules[j] = *r;
	}
	src->nrules = 0;
	for (size_t i = 0; i < src->nstarts; i++) {
		struct month_start *ms = &src->starts[i];
		size_t j;

		for (j = 0; j < dst->nstarts; j++)
			if (dst->starts[j].hy == ms->hy &&
			    dst->starts[j].hm == ms->hm)
				break;
		if (j == dst->nstarts) {
			xgrow(&dst->starts, &dst->capstarts, dst->nstarts + 1,
			      sizeof(*dst->starts));
			dst->nstarts++;
		}
		dst->starts[j] = *ms;
	}
	if (src->weekend[0])
		memcpy(dst->weekend, src->weekend, sizeof(dst->weekend));
	dst->weekend[0] = 0;
	clear_years(cal);
}

static int icu_month_start(struct calendar *cal, int hy, int hm,
			   struct date *out);

static const struct month_start *
find_start(const struct defs_set *set, int index)
{
	for (size_t i = 0; i < set->nstarts; i++)
		if (set->starts[i].hy * 12 + set->starts[i].hm - 1 == index)
			return &set->starts[i];
	return NULL;
}

/*
 * Announced month starts catch typos here: each must lie within two days
 * of Umm al-Qura's, and a month between two announced starts must last
 * 29 or 30 days (the input's entries take precedence over earlier ones).
 */
static enum majlis_status
check_month_starts(struct calendar *cal, struct loader *ld, struct buf *err)
{
	for (size_t i = 0; i < ld->set.nstarts; i++) {
		const struct month_start *ms = &ld->set.starts[i], *nb;
		struct defs_item it = { ld->file, ms->line, "", "", NULL,
					NULL };
		int index = ms->hy * 12 + ms->hm - 1;
		struct date icu;
		int64_t gap;

		if (icu_month_start(cal, ms->hy, ms->hm, &icu))
			return defs_error(err, &it,
					  "Hijri month %d-%02d is out of range",
					  ms->hy, ms->hm);
		gap = date_days(ms->first) - date_days(icu);
		if (gap < -2 || gap > 2)
			return defs_error(err, &it,
					  "%d-%02d cannot start on that day: "
					  "the crescent would be seen within "
					  "two days of %04d-%02d-%02d",
					  ms->hy, ms->hm, icu.y, icu.m, icu.d);
		for (int k = -1; k <= 1; k += 2) {
			nb = find_start(&ld->set, index + k);
			if (!nb)
				nb = find_start(&cal->defs, index + k);
			if (!nb)
				continue;
			gap = (date_days(ms->first) - date_days(nb->first)) *
			      -k;
			if (gap != 29 && gap != 30)
				return defs_error(err, &it,
						  "%d-%02d and the month %s it "
						  "are %lld days apart; a "
						  "Hijri month lasts 29 or 30 "
						  "days",
						  ms->hy, ms->hm,
						  k < 0 ? "before" : "after",
						  (long long)gap);
		}
	}
	return MAJLIS_OK;
}

enum majlis_status
calendar_load(struct calendar *cal, const char *name, const char *data,
	      size_t len, struct buf *err)
{
	struct loader ld;
	enum majlis_status rc;
	int switched = 0;

	memset(&ld, 0, sizeof(ld));
	ld.file = name;
	rc = defs_parse(name, data, len, load_item, &ld, err);
	if (rc == MAJLIS_OK)
		rc = check_rule_done(&ld, err);
	if (rc == MAJLIS_OK && ld.set.hijri_cal[0] &&
	    strcmp(ld.set.hijri_cal, cal->defs.hijri_cal)) {
		rc = open_islamic(cal, ld.set.hijri_cal, err);
		if (rc == MAJLIS_OK)
			switched = 1;
	}
	if (rc == MAJLIS_OK)
		rc = check_month_starts(cal, &ld, err);
	/* A refused input changes nothing: back to the calendar before. */
	if (switched && rc != MAJLIS_OK) {
		(void)open_islamic(cal, cal->defs.hijri_cal, NULL);
		clear_years(cal);
	}
	else if (switched)
		snprintf(cal->defs.hijri_cal, sizeof(cal->defs.hijri_cal), "%s",
			 ld.set.hijri_cal);
	if (rc == MAJLIS_OK)
		merge(cal, &ld);
	defs_set_release(&ld.set);
	return rc;
}

enum majlis_status
calendar_load_file(struct calendar *cal, const char *path, struct buf *err)
{
	struct buf data = BUF_INIT;
	enum majlis_status rc;

	if (file_read(path, DEFS_MAX_FILE, &data) < 0) {
		rc = error(err, MAJLIS_ERR_NOINPUT, "cannot read '%s': %s",
			   path, strerror(errno));
		buf_release(&data);
		return rc;
	}
	rc = calendar_load(cal, path, data.data, data.len, err);
	buf_release(&data);
	return rc;
}

/* Hijri months counted from year 0: (y, m) <-> y * 12 + m - 1. */
static int
month_index(int hy, int hm)
{
	return hy * 12 + hm - 1;
}

static const struct month_start *
announced_start(struct calendar *cal, int hy, int hm)
{
	for (size_t i = 0; i < cal->defs.nstarts; i++)
		if (cal->defs.starts[i].hy == hy &&
		    cal->defs.starts[i].hm == hm)
			return &cal->defs.starts[i];
	return NULL;
}

/* ICU's provisional first day of a Hijri month. */
static int
icu_month_start(struct calendar *cal, int hy, int hm, struct date *out)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UDate ms;

	ucal_clear(cal->islamic);
	ucal_set(cal->islamic, UCAL_ERA, 0);
	ucal_set(cal->islamic, UCAL_YEAR, hy);
	ucal_set(cal->islamic, UCAL_MONTH, hm - 1);
	ucal_set(cal->islamic, UCAL_DATE, 1);
	ucal_set(cal->islamic, UCAL_HOUR_OF_DAY, 12);
	ms = ucal_getMillis(cal->islamic, &uerr);
	if (U_FAILURE(uerr))
		return -1;
	*out = date_from_days((int64_t)floor(ms / 86400000.0));
	return 0;
}

/* The first day of a Hijri month and how sure it is. */
static int
month_start(struct calendar *cal, int index, struct date *out,
	    enum date_status *status)
{
	int hy = index / 12, hm = index % 12 + 1;
	const struct month_start *ms = announced_start(cal, hy, hm);

	int64_t day, lo, hi;

	if (ms) {
		*out = ms->first;
		*status = ms->expected ? DATE_EXPECTED : DATE_OFFICIAL;
		return 0;
	}
	*status = DATE_PROVISIONAL;
	if (icu_month_start(cal, hy, hm, out))
		return -1;
	/*
	 * Next to an announced month, keep the provisional month 29 or 30
	 * days long: the announced lag behind Umm al-Qura carries over to
	 * the following month instead of giving a 28- or 31-day month.
	 */
	day = date_days(*out);
	ms = announced_start(cal, (index - 1) / 12, (index - 1) % 12 + 1);
	if (ms) {
		lo = date_days(ms->first) + 29;
		hi = lo + 1;
		day = day < lo ? lo : day > hi ? hi : day;
	}
	ms = announced_start(cal, (index + 1) / 12, (index + 1) % 12 + 1);
	if (ms) {
		hi = date_days(ms->first) - 29;
		lo = hi - 1;
		day = day < lo ? lo : day > hi ? hi : day;
	}
	*out = date_from_days(day);
	return 0;
}

int
calendar_to_hijri(struct calendar *cal, struct date g, struct hijri *h,
		  enum date_status *status)
{
	UErrorCode uerr = U_ZERO_ERROR;
	int index, best = -1;
	struct date start, best_start = { 0, 0, 0 };
	enum date_status st, best_st = DATE_PROVISIONAL;

	if (g.y < 1900 || g.y > 2170)
		return -1;
	ucal_clear(cal->islamic);
	ucal_setMillis(cal->islamic,
		       ((double)date_days(g) * 86400.0 + 43200.0) * 1000.0,
		       &uerr);
	index = month_index(ucal_get(cal->islamic, UCAL_EXTENDED_YEAR, &uerr),
			    ucal_get(cal->islamic, UCAL_MONTH, &uerr) + 1);
	if (U_FAILURE(uerr))
		return -1;
	/*
	 * An announced month start differs from ICU's by a day or two, so
	 * the month holding g is ICU's month or one of its neighbours: the
	 * latest of them that starts on or before g.
	 */
	for (int i = index - 1; i <= index + 1; i++) {
		if (month_start(cal, i, &start, &st))
			return -1;
		if (date_cmp(start, g) <= 0) {
			best = i;
			best_start = start;
			best_st = st;
		}
	}
	if (best < 0)
		return -1;
	h->y = best / 12;
	h->m = best % 12 + 1;
	h->d = (int)(date_days(g) - date_days(best_start)) + 1;
	if (status)
		*status = best_st;
	return 0;
}

int
calendar_from_hijri(struct calendar *cal, struct hijri h, struct date *g,
		    enum date_status *status)
{
	struct date start;
	enum date_status st;

	if (h.y < 1300 || h.y > 1600 || h.m < 1 || h.m > 12 || h.d < 1 ||
	    h.d > 30)
		return -1;
	if (month_start(cal, month_index(h.y, h.m), &start, &st))
		return -1;
	*g = date_add_days(start, h.d - 1);
	if (status)
		*status = st;
	return 0;
}

static int
holiday_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	int c = date_cmp(x->date, y->date);

	if (c)
		return c;
	return strcmp(x->code, y->code);
}

static void
add_holiday(struct holiday **arr, size_t *n, size_t *cap,
	    const struct holiday *h)
{
	xgrow(arr, cap, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = *h;
}

static void
compute_year(struct calendar *cal, int year, struct year_cache *yc)
{
	struct holiday *arr = NULL;
	size_t n = 0, cap = 0;
	struct hijri first;

	for (size_t i = 0; i < cal->defs.nrules; i++) {
		const struct rule *r = &cal->defs.rules[i];
		struct holiday h;

		memset(&h, 0, sizeof(h));
		h.code = r->code;
		h.name_fr = r->fr;
		h.name_ar = r->ar;
		h.kind = r->kind;
		h.days = r->days;
		if (r->kind == HOLIDAY_RELIGIOUS) {
			/* A Gregorian year meets two or three Hijri years. */
			if (calendar_to_hijri(cal, (struct date){ year, 1, 1 },
					      &first, NULL))
				continue;
			for (int hy = first.y; hy <= first.y + 2; hy++) {
				struct date g;
				enum date_status st;

				if (calendar_from_hijri(
					    cal, (struct hijri){ hy, r->m, r->d },
					    &g, &st))
					continue;
				for (int k = 0; k < r->days; k++) {
					h.date = date_add_days(g, k);
					if (h.date.y != year)
						continue;
					h.day = k + 1;
					h.status = st;
					calendar_to_hijri(cal, h.date, &h.hijri,
							  NULL);
					add_holiday(&arr, &n, &cap, &h);
				}
			}
			continue;
		}
		for (int k = 0; k < r->days; k++) {
			if (r->kind == HOLIDAY_CIVIL) {
				if ((r->from && year < r->from) ||
				    (r->until && year > r->until))
					break;
				h.date = date_add_days(
					(struct date){ year, r->m, r->d }, k);
			} else {
				h.date = date_add_days(r->date, k);
			}
			if (h.date.y != year)
				continue;
			h.day = k + 1;
			h.status = DATE_FIXED;
			calendar_to_hijri(cal, h.date, &h.hijri, NULL);
			add_holiday(&arr, &n, &cap, &h);
		}
	}
	if (n)
		qsort(arr, n, sizeof(*arr), holiday_cmp);
	yc->year = year;
	yc->h = arr;
	yc->n = n;
}

size_t
calendar_holidays(struct calendar *cal, int year, const struct holiday **out)
{
	struct year_cache *yc;

	for (size_t i = 0; i < cal->nyears; i++) {
		if (cal->years[i].year == year) {
			*out = cal->years[i].h;
			return cal->years[i].n;
		}
	}
	xgrow(&cal->years, &cal->capyears, cal->nyears + 1,
	      sizeof(*cal->years));
	yc = &cal->years[cal->nyears++];
	compute_year(cal, year, yc);
	*out = yc->h;
	return yc->n;
}

const struct holiday *
calendar_holiday_on(struct calendar *cal, struct date d)
{
	const struct holiday *h;
	size_t n = calendar_holidays(cal, d.y, &h);

	for (size_t i = 0; i < n; i++)
		if (!date_cmp(h[i].date, d))
			return &h[i];
	return NULL;
}

int
calendar_is_weekend(struct calendar *cal, struct date d)
{
	return cal->defs.weekend[date_weekday(d)];
}

int
calendar_is_working_day(struct calendar *cal, struct date d)
{
	return !calendar_is_weekend(cal, d) && !calendar_holiday_on(cal, d);
}

struct date
calendar_add_working_days(struct calendar *cal, struct date d, int n)
{
	int step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;
	int guard = 0;

	if (n == 0) {
		while (!calendar_is_working_day(cal, d) && guard++ < 366)
			d = date_add_days(d, 1);
		return d;
	}
	while (left > 0) {
		d = date_add_days(d, step);
		if (calendar_is_working_day(cal, d))
			left--;
		else if (++guard > 366 * 10)
			BUG("no working day in ten years: check the weekend");
	}
	return d;
}

static const char *const unit_names[] = {
	[OFFSET_MINUTES] = "m",
	[OFFSET_HOURS] = "h",
	[OFFSET_DAYS] = "d",
	[OFFSET_WORKDAYS] = "wd",
	[OFFSET_MONTHS] = "mo",
};

int
offset_parse(const char *s, struct offset *out)
{
	const char *p = s;
	long long n = 0;
	int sign = 1, digits = 0;

	if (!strcmp(s, "0")) {
		*out = (struct offset){ 0, OFFSET_DAYS };
		return 0;
	}
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (*p++ - '0');
		if (++digits > 6)
			return -1;
	}
	if (!digits)
		return -1;
	for (int u = OFFSET_MINUTES; u <= OFFSET_MONTHS; u++) {
		if (!strcmp(p, unit_names[u])) {
			out->n = (int)(sign * n);
			out->unit = (enum offset_unit)u;
			return 0;
		}
	}
	return -1;
}

void
offset_format(struct offset off, struct buf *out)
{
	buf_addf(out, "%+d%s", off.n, unit_names[off.unit]);
}

int64_t
calendar_apply(struct calendar *cal, struct clock *c, int64_t t,
	       struct offset off)
{
	struct date d;
	int h, mi, s;

	switch (off.unit) {
	case OFFSET_MINUTES:
		return t + (int64_t)off.n * 60;
	case OFFSET_HOURS:
		return t + (int64_t)off.n * 3600;
	default:
		break;
	}
	clock_to_local(c, t, &d, &h, &mi, &s);
	if (off.unit == OFFSET_DAYS) {
		d = date_add_days(d, off.n);
	} else if (off.unit == OFFSET_WORKDAYS) {
		d = calendar_add_working_days(cal, d, off.n);
	} else {
		int months = d.y * 12 + (d.m - 1) + off.n;
		int dim;

		d.y = months / 12;
		d.m = months % 12 + 1;
		dim = days_in_month(d.y, d.m);
		if (d.d > dim)
			d.d = dim;
	}
	return clock_from_local(c, d, h, mi, s);
}
