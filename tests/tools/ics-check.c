/*
 * ics-check.c - a test tool: reads each .ics file named on its command
 * line with libical, as a calendar client would, and checks what every
 * calendar majlis writes must carry (RFC 5545, and RFC 5546's rules for
 * its METHOD, checked by libical's own iTIP restrictions):
 *
 * - it parses, and libical finds no error in it (X-LIC-ERROR);
 * - METHOD is REQUEST, CANCEL or PUBLISH (a feed);
 * - a VTIMEZONE for each TZID its events use;
 * - each VEVENT has UID, SEQUENCE, DTSTAMP, DTSTART and DTEND in a zone
 *   (TZID), SUMMARY, LOCATION and an ORGANIZER (in a PUBLISH feed, whole
 *   days, VALUE=DATE, without zone and place: an agenda's holidays and
 *   deadlines are such); in a REQUEST, one
 *   ATTENDEE with RSVP=TRUE and two VALARMs with a TRIGGER; in a
 *   CANCEL, STATUS:CANCELLED and the same UID.
 *
 * Prints "ok FILE METHOD UID SEQUENCE" or "bad FILE: reason" per file
 * and exits 1 if any is bad. Built by make check-e2e, used by T760.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[65536];

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!data)
		data = calloc(1, 1);
	data[len] = '\0';
	return data;
}

/* The first X-LIC-ERROR anywhere under c, or NULL. */
static const char *
lic_error(icalcomponent *c)
{
	icalproperty *p = icalcomponent_get_first_property(
		c, ICAL_XLICERROR_PROPERTY);

	if (p)
		return icalproperty_get_xlicerror(p);
	for (icalcomponent *s =
		     icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	     s; s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
		const char *e = lic_error(s);

		if (e)
			return e;
	}
	return NULL;
}

static int
has_tzid(icalproperty *p, const char **tzid)
{
	icalparameter *t = p ? icalproperty_get_first_parameter(
				       p, ICAL_TZID_PARAMETER)
			     : NULL;

	*tzid = t ? icalparameter_get_tzid(t) : NULL;
	return *tzid != NULL;
}

static int
count_alarms(icalcomponent *ev)
{
	int n = 0;

	for (icalcomponent *a = icalcomponent_get_first_component(
		     ev, ICAL_VALARM_COMPONENT);
	     a; a = icalcomponent_get_next_component(ev,
						     ICAL_VALARM_COMPONENT))
		if (icalcomponent_get_first_property(a, ICAL_TRIGGER_PROPERTY) &&
		    icalcomponent_get_first_property(a, ICAL_ACTION_PROPERTY))
			n++;
	return n;
}

/* Checks one VEVENT; returns NULL or why it is bad. */
static const char *
check_event(icalcomponent *cal, icalcomponent *ev, icalproperty_method m)
{
	static const icalproperty_kind needed[] = {
		ICAL_UID_PROPERTY,	ICAL_SEQUENCE_PROPERTY,
		ICAL_DTSTAMP_PROPERTY,	ICAL_DTSTART_PROPERTY,
		ICAL_DTEND_PROPERTY,	ICAL_SUMMARY_PROPERTY,
		ICAL_LOCATION_PROPERTY, ICAL_ORGANIZER_PROPERTY,
	};
	static char why[256];
	const char *tz_start, *tz_end;
	icalproperty *start = icalcomponent_get_first_property(
		ev, ICAL_DTSTART_PROPERTY);
	/* A published feed may hold whole days (holidays, deadlines):
	 * dates without a zone or a place. */
	int all_day = m == ICAL_METHOD_PUBLISH && start &&
		      icalproperty_get_dtstart(start).is_date;

	for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++) {
		if (needed[i] == ICAL_LOCATION_PROPERTY && all_day)
			continue;
		if (!icalcomponent_get_first_property(ev, needed[i])) {
			snprintf(why, sizeof(why), "a VEVENT without %s",
				 icalproperty_kind_to_string(needed[i]));
			return why;
		}
	}
	if (all_day) {
		struct icaltimetype end = icalcomponent_get_dtend(ev);

		if (!end.is_date)
			return "an all-day DTSTART with a timed DTEND";
		if (icaltime_compare(icalcomponent_get_dtstart(ev), end) >= 0)
			return "DTEND is not after DTSTART";
		return NULL;
	}
	if (!has_tzid(icalcomponent_get_first_property(ev,
						       ICAL_DTSTART_PROPERTY),
		      &tz_start) ||
	    !has_tzid(icalcomponent_get_first_property(ev,
						       ICAL_DTEND_PROPERTY),
		      &tz_end))
		return "DTSTART or DTEND without a TZID";
	if (strcmp(tz_start, tz_end))
		return "DTSTART and DTEND in different zones";
	if (!icalcomponent_get_timezone(cal, tz_start)) {
		snprintf(why, sizeof(why), "no VTIMEZONE for %s", tz_start);
		return why;
	}
	if (icaltime_compare(icalcomponent_get_dtstart(ev),
			     icalcomponent_get_dtend(ev)) >= 0)
		return "DTEND is not after DTSTART";
	if (m == ICAL_METHOD_REQUEST) {
		icalproperty *att = icalcomponent_get_first_property(
			ev, ICAL_ATTENDEE_PROPERTY);
		icalparameter *rsvp =
			att ? icalproperty_get_first_parameter(
				      att, ICAL_RSVP_PARAMETER)
			    : NULL;

		if (!att || icalcomponent_get_next_property(
				    ev, ICAL_ATTENDEE_PROPERTY))
			return "a REQUEST without exactly one ATTENDEE";
		if (!rsvp || icalparameter_get_rsvp(rsvp) != ICAL_RSVP_TRUE)
			return "the ATTENDEE is not asked to answer (RSVP=TRUE)";
		if (count_alarms(ev) != 2)
			return "a REQUEST without its two VALARMs";
	}
	if (m == ICAL_METHOD_CANCEL &&
	    icalcomponent_get_status(ev) != ICAL_STATUS_CANCELLED)
		return "a CANCEL whose event is not STATUS:CANCELLED";
	return NULL;
}

static const char *
check(const char *path, char *line, size_t cap)
{
	char *text = slurp(path);
	icalcomponent *cal, *ev;
	icalproperty_method m;
	const char *why = NULL, *e;
	int events = 0;

	if (!text)
		return "cannot read it";
	cal = icalparser_parse_string(text);
	free(text);
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		if (cal)
			icalcomponent_free(cal);
		return "not a VCALENDAR";
	}
	if ((e = lic_error(cal))) {
		snprintf(line, cap, "libical: %s", e);
		icalcomponent_free(cal);
		return line;
	}
	m = icalcomponent_get_method(cal);
	if (m != ICAL_METHOD_REQUEST && m != ICAL_METHOD_CANCEL &&
	    m != ICAL_METHOD_PUBLISH) {
		icalcomponent_free(cal);
		return "METHOD is not REQUEST, CANCEL or PUBLISH";
	}
	/* RFC 5546's rules for the method, as libical knows them. */
	icalrestriction_check(cal);
	if ((e = lic_error(cal))) {
		snprintf(line, cap, "iTIP: %s", e);
		icalcomponent_free(cal);
		return line;
	}
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ev && !why;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		why = check_event(cal, ev, m);
		if (!why && events++ == 0)
			snprintf(line, cap, "%s %s %d",
				 icalproperty_method_to_string(m),
				 icalcomponent_get_uid(ev),
				 icalcomponent_get_sequence(ev));
	}
	if (!why && !events && m != ICAL_METHOD_PUBLISH)
		why = "no VEVENT";
	if (!why && !events)
		snprintf(line, cap, "PUBLISH - -");
	icalcomponent_free(cal);
	return why;
}

int
main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ics-check FILE.ics...\n");
		return 64;
	}
	for (int i = 1; i < argc; i++) {
		char line[512] = "";
		const char *why = check(argv[i], line, sizeof(line));

		if (why) {
			printf("bad %s: %s\n", argv[i], why);
			bad = 1;
		} else {
			printf("ok %s %s\n", argv[i], line);
		}
	}
	return bad;
}
