/*
 * fuzz-calendar.c - feeds bytes to the holiday calendar (engine/
 * calendar.h): calendar_new(), calendar_load(), and, when something
 * loaded, calendar_holidays() for a few years, reading every holiday.
 *
 * One input may hold several holidays.ini files, separated by a line
 * "%%" (see fuzz.h), loaded in turn into the same calendar as the CLI
 * loads the shipped file then the instance's: later files override
 * earlier ones, and their Hijri month starts are checked against the
 * ones already loaded. The holidays are read after each load, so that a
 * cache that outlives the rules it points to is caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fuzz.h"

#define MAX_FILES 3

static const int years[] = { 2024, 2026, 2027 };

static void
read_year(struct calendar *cal, int year)
{
	const struct holiday *h;
	size_t n = calendar_holidays(cal, year, &h);
	size_t bytes = 0;

	for (size_t i = 0; i < n; i++) {
		if (h[i].date.y != year || !date_valid(h[i].date.y,
						       h[i].date.m,
						       h[i].date.d))
			abort();
		if (h[i].day < 1 || h[i].day > h[i].days)
			abort();
		if (i && date_cmp(h[i - 1].date, h[i].date) > 0)
			abort();
		bytes += strlen(h[i].code) + strlen(h[i].name_fr) +
			 strlen(h[i].name_ar);
	}
	(void)bytes;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar *cal;
	struct buf err = BUF_INIT, name = BUF_INIT;
	const uint8_t *part;
	size_t pos = 0, len;

	if (calendar_new(&cal, &err) != MAJLIS_OK)
		abort();
	for (int i = 0;
	     i < MAX_FILES && !fuzz_next_part(data, size, &pos, &part, &len);
	     i++) {
		char *copy = fuzz_copy(part, len);
		enum majlis_status rc;

		buf_setf(&name, "holidays-%d.ini", i);
		rc = calendar_load(cal, name.data, copy, len, &err);
		free(copy);
		if (rc != MAJLIS_OK) {
			if (!err.len)
				abort();
			buf_reset(&err);
			continue;
		}
		for (size_t y = 0; y < sizeof(years) / sizeof(*years); y++)
			read_year(cal, years[y]);
	}
	calendar_free(cal);
	buf_release(&err);
	buf_release(&name);
	return 0;
}
