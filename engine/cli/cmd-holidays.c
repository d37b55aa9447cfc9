/*
 * cmd-holidays.c - majlis holidays [YEAR]: the public holidays of a
 * year, with their Gregorian and Hijri dates in French and Arabic.
 */
#include <stdlib.h>
#include <string.h>

#include "../calendar.h"
#include "../clock.h"
#include "../sys.h"
#include "cli.h"

static const char *const status_names[] = {
	[DATE_FIXED] = "fixed",
	[DATE_OFFICIAL] = "official",
	[DATE_EXPECTED] = "expected",
	[DATE_PROVISIONAL] = "provisional",
};

static const char *const kind_names[] = {
	[HOLIDAY_CIVIL] = "civil",
	[HOLIDAY_RELIGIOUS] = "religious",
	[HOLIDAY_EXCEPTIONAL] = "exceptional",
};

enum majlis_status
cmd_holidays(struct cli *cli, int argc, char **argv)
{
	const struct holiday *h;
	struct table *t = NULL;
	long long year;
	size_t n;

	if (argc > 2)
		return cli_usage(cli, "holidays", "too many arguments");
	if (argc == 2) {
		if (parse_int(argv[1], 1900, 2170, &year))
			return cli_usage(cli, "holidays",
					 "'%s' is not a year from 1900 to 2170",
					 argv[1]);
	} else {
		year = clock_local_date(cli->e.clock,
					clock_now(cli->e.clock)).y;
	}
	n = calendar_holidays(cli->e.cal, (int)year, &h);
	if (!cli->json) {
		static const char *const cols[] = {
			"date", "day_fr:jour", "hijri_fr:hégire",
			"name_fr:fête", "name_ar:العيد", "status:statut",
			NULL,
		};

		t = table_new(cols);
	}
	for (size_t i = 0; i < n; i++) {
		struct rec r = REC_INIT;
		struct buf b = BUF_INIT;
		char day[DATE_LEN];

		date_format(h[i].date, day);
		rec_add_text(&r, "date", day);
		rec_add_text(&r, "code", h[i].code);
		rec_add_text(&r, "kind", kind_names[h[i].kind]);
		rec_add_text(&r, "status", status_names[h[i].status]);
		if (h[i].days > 1) {
			buf_addf(&b, "%s (%d/%d)", h[i].name_fr, h[i].day,
				 h[i].days);
			rec_add_text(&r, "name_fr", b.data);
			buf_reset(&b);
			buf_addf(&b, "%s (%d/%d)", h[i].name_ar, h[i].day,
				 h[i].days);
			rec_add_text(&r, "name_ar", b.data);
		} else {
			rec_add_text(&r, "name_fr", h[i].name_fr);
			rec_add_text(&r, "name_ar", h[i].name_ar);
		}
		buf_reset(&b);
		clock_format_date(cli->e.clock, h[i].date, "fr", &b);
		rec_add_text(&r, "day_fr", b.data);
		buf_reset(&b);
		clock_format_date(cli->e.clock, h[i].date, "ar", &b);
		rec_add_text(&r, "day_ar", b.data);
		buf_reset(&b);
		buf_addf(&b, "%04d-%02d-%02d", h[i].hijri.y, h[i].hijri.m,
			 h[i].hijri.d);
		rec_add_text(&r, "hijri", b.data);
		buf_reset(&b);
		hijri_format(h[i].hijri, "fr", &b);
		rec_add_text(&r, "hijri_fr", b.data);
		buf_reset(&b);
		hijri_format(h[i].hijri, "ar", &b);
		rec_add_text(&r, "hijri_ar", b.data);
		rec_add_int(&r, "day", h[i].day);
		rec_add_int(&r, "days", h[i].days);
		if (cli->json)
			out_json(&r);
		else
			table_add(t, &r);
		rec_release(&r);
		buf_release(&b);
	}
	if (t) {
		table_print(t, stdout);
		printf("\n%zu jours fériés en %lld. Statut : fixed = date "
		       "fixe ; official = annoncée par le ministère des "
		       "Habous ;\nexpected = date publiée à l'avance, non "
		       "confirmée ; provisional = calcul Umm al-Qura (ICU), "
		       "à confirmer.\n",
		       n, year);
		table_free(t);
	}
	return MAJLIS_OK;
}
