/*
 * ical.c - iCalendar objects with libical (see ical.h).
 */
#include "ical.h"

#include <ctype.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys.h"

static icalproperty *
with_cn(icalproperty *p, const char *name)
{
	if (name && *name)
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
	return p;
}

static char *
mailto(const char *addr)
{
	size_t n = strlen(addr) + 8;
	char *s = xmalloc(n);

	snprintf(s, n, "mailto:%s", addr);
	return s;
}

/* t as a wall-clock time in zone tz, written with its TZID and no "Z". */
static struct icaltimetype
local_time(int64_t t, icaltimezone *tz)
{
	struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, tz);

	tt.zone = NULL;
	return tt;
}

static icalproperty *
zoned(icalproperty *p, const char *tzid)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

static icalparameter_partstat
partstat(const char *s)
{
	static const struct {
		const char *name;
		icalparameter_partstat v;
	} known[] = {
		{ "ACCEPTED", ICAL_PARTSTAT_ACCEPTED },
		{ "DECLINED", ICAL_PARTSTAT_DECLINED },
		{ "TENTATIVE", ICAL_PARTSTAT_TENTATIVE },
	};

	for (size_t i = 0; s && i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(s, known[i].name))
			return known[i].v;
	return ICAL_PARTSTAT_NEEDSACTION;
}

static icalcomponent *
alarm(const char *duration, const char *text)
{
	icalcomponent *a = icalcomponent_new(ICAL_VALARM_COMPONENT);
	struct icaltriggertype tr;

	memset(&tr, 0, sizeof(tr));
	tr.time = icaltime_null_time();
	tr.duration = icaldurationtype_from_string(duration);
	icalcomponent_add_property(a, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	icalcomponent_add_property(a, icalproperty_new_trigger(tr));
	icalcomponent_add_property(a, icalproperty_new_description(text));
	return a;
}

static icalcomponent *
vevent(const struct ical_event *e, enum ical_method method, icaltimezone *tz,
       const char *tzid, int64_t stamp)
{
	icalcomponent *v = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	char *org = e->organizer.addr ? mailto(e->organizer.addr) : NULL;
	int cancel = method == ICAL_CANCEL || e->cancelled;

	icalcomponent_add_property(v, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(v, icalproperty_new_sequence(e->sequence));
	icalcomponent_add_property(
		v, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
			   (time_t)stamp, 0, icaltimezone_get_utc_timezone())));
	if (e->all_day) {
		struct icaltimetype day = icaltime_null_date();

		day.year = e->day_y;
		day.month = e->day_m;
		day.day = e->day_d;
		icalcomponent_add_property(v, icalproperty_new_dtstart(day));
		icaltime_adjust(&day, 1, 0, 0, 0);
		icalcomponent_add_property(v, icalproperty_new_dtend(day));
	} else {
		icalcomponent_add_property(
			v, zoned(icalproperty_new_dtstart(local_time(e->start, tz)),
				 tzid));
		icalcomponent_add_property(
			v, zoned(icalproperty_new_dtend(local_time(e->end, tz)),
				 tzid));
	}
	icalcomponent_add_property(v, icalproperty_new_summary(e->summary));
	if (e->location && *e->location)
		icalcomponent_add_property(
			v, icalproperty_new_location(e->location));
	if (e->description && *e->description)
		icalcomponent_add_property(
			v, icalproperty_new_description(e->description));
	if (org)
		icalcomponent_add_property(
			v, with_cn(icalproperty_new_organizer(org),
				   e->organizer.name));
	free(org);
	if (e->category)
		icalcomponent_add_property(
			v, icalproperty_new_categories(e->category));
	if (e->attendee) {
		char *att = mailto(e->attendee->addr);
		icalproperty *p = with_cn(icalproperty_new_attendee(att),
					  e->attendee->name);

		icalproperty_add_parameter(
			p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(p, icalparameter_new_partstat(
						      partstat(e->partstat)));
		if (!cancel)
			icalproperty_add_parameter(
				p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
		icalcomponent_add_property(v, p);
		free(att);
	}
	icalcomponent_add_property(
		v, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED
						  : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(
		v, icalproperty_new_transp(e->all_day ? ICAL_TRANSP_TRANSPARENT
						      : ICAL_TRANSP_OPAQUE));
	if (e->alarms && !cancel) {
		icalcomponent_add_component(v, alarm("-P1D", e->summary));
		icalcomponent_add_component(v, alarm("-PT2H", e->summary));
	}
	return v;
}

enum majlis_status
ical_build(enum ical_method method, const char *tzid, int64_t stamp,
	   const struct ical_event *events, size_t n, struct buf *out,
	   struct buf *err)
{
	icaltimezone *tz = icaltimezone_get_builtin_timezone(tzid);
	icalcomponent *cal, *vtz;
	char *text;

	if (!tz)
		return error(err, MAJLIS_ERR_CONFIG,
			     "libical does not know the zone '%s'", tzid);
	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(
		cal, icalproperty_new_prodid("-//Commune de Casablanca//majlis//FR"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(
		cal, icalproperty_new_method(method == ICAL_REQUEST
						     ? ICAL_METHOD_REQUEST
					     : method == ICAL_CANCEL
						     ? ICAL_METHOD_CANCEL
						     : ICAL_METHOD_PUBLISH));
	vtz = icalcomponent_new_clone(icaltimezone_get_component(tz));
	/* libical names the zone by its own path: use the plain name the
	 * events refer to. */
	{
		icalproperty *id = icalcomponent_get_first_property(
			vtz, ICAL_TZID_PROPERTY);

		if (id)
			icalproperty_set_tzid(id, tzid);
	}
	/* Only the rules around the events: Morocco's zone changes around
	 * every Ramadan, and its whole history is thousands of lines. */
	if (n > 0) {
		int64_t lo = events[0].start, hi = events[0].end;
		icaltimezone *utc = icaltimezone_get_utc_timezone();

		for (size_t i = 1; i < n; i++) {
			if (events[i].start < lo)
				lo = events[i].start;
			if (events[i].end > hi)
				hi = events[i].end;
		}
		icaltimezone_truncate_vtimezone(
			vtz,
			icaltime_from_timet_with_zone((time_t)(lo - 86400), 0,
						      utc),
			icaltime_from_timet_with_zone((time_t)(hi + 86400), 0,
						      utc),
			1);
	}
	icalcomponent_add_component(cal, vtz);
	for (size_t i = 0; i < n; i++)
		icalcomponent_add_component(
			cal, vevent(&events[i], method, tz, tzid, stamp));
	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libical: cannot write the calendar");
	buf_addstr(out, text);
	free(text);
	return MAJLIS_OK;
}

/* An address from a calendar user address: "mailto:A@B" as a@b. */
static char *
cal_address(const char *v)
{
	struct buf b = BUF_INIT;

	if (!v)
		return NULL;
	if (!strncasecmp(v, "mailto:", 7))
		v += 7;
	for (; *v; v++)
		if ((unsigned char)*v > ' ')
			buf_addch(&b, tolower((unsigned char)*v));
	return buf_detach(&b, NULL);
}

enum majlis_status
ical_read_answer(const char *text, size_t len, struct ical_answer *a,
		 struct buf *err)
{
	icalcomponent *cal, *ev;
	icalproperty *p;
	icalproperty_method m;
	char *copy;
	enum majlis_status rc = MAJLIS_OK;

	memset(a, 0, sizeof(*a));
	/* libical reads a C string. */
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	cal = icalparser_parse_string(copy);
	free(copy);
	if (!cal)
		return error(err, MAJLIS_ERR_DATA, "not an iCalendar object");
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		icalcomponent_free(cal);
		return error(err, MAJLIS_ERR_DATA, "not a VCALENDAR");
	}
	m = icalcomponent_get_method(cal);
	if (m == ICAL_METHOD_REPLY)
		snprintf(a->method, sizeof(a->method), "REPLY");
	else if (m == ICAL_METHOD_COUNTER)
		snprintf(a->method, sizeof(a->method), "COUNTER");
	else {
		icalcomponent_free(cal);
		return error(err, MAJLIS_ERR_DATA,
			     "a calendar of method %s, not a REPLY or COUNTER",
			     m == ICAL_METHOD_NONE ? "(none)"
						   : icalproperty_method_to_string(m));
	}
	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	if (!ev) {
		icalcomponent_free(cal);
		return error(err, MAJLIS_ERR_DATA, "a reply without a VEVENT");
	}
	if (icalcomponent_get_uid(ev))
		a->uid = xstrdup(icalcomponent_get_uid(ev));
	a->sequence = icalcomponent_get_sequence(ev);
	if (a->sequence < 0)
		a->sequence = 0;
	if ((p = icalcomponent_get_first_property(ev,
						  ICAL_RECURRENCEID_PROPERTY)))
		a->recurrence_id = xstrdup(icalproperty_get_value_as_string(p));
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		if (++a->attendees == 1) {
			icalparameter *ps = icalproperty_get_first_parameter(
				p, ICAL_PARTSTAT_PARAMETER);

			a->attendee = cal_address(icalproperty_get_attendee(p));
			/* As written ("PARTSTAT=ACCEPTED"), X- values too. */
			const char *v = ps ? icalparameter_as_ical_string(ps)
					   : NULL;
			const char *eq = v ? strchr(v, '=') : NULL;

			snprintf(a->partstat, sizeof(a->partstat), "%s",
				 eq ? eq + 1 : "NEEDS-ACTION");
			for (char *c = a->partstat; *c; c++)
				*c = (char)toupper((unsigned char)*c);
		}
	}
	if ((p = icalcomponent_get_first_property(ev, ICAL_COMMENT_PROPERTY)) &&
	    icalproperty_get_comment(p))
		a->comment = xstrdup(icalproperty_get_comment(p));
	if ((p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY)))
		a->organizer = cal_address(icalproperty_get_organizer(p));
	if (m == ICAL_METHOD_COUNTER) {
		struct icaltimetype s = icalcomponent_get_dtstart(ev);
		struct icaltimetype e = icalcomponent_get_dtend(ev);

		if (!icaltime_is_null_time(s))
			a->start = (int64_t)icaltime_as_timet_with_zone(
				s, s.zone ? s.zone : icaltimezone_get_utc_timezone());
		if (!icaltime_is_null_time(e))
			a->end = (int64_t)icaltime_as_timet_with_zone(
				e, e.zone ? e.zone : icaltimezone_get_utc_timezone());
	}
	icalcomponent_free(cal);
	if (!a->uid)
		rc = error(err, MAJLIS_ERR_DATA, "a reply without a UID");
	else if (!a->attendee || !*a->attendee)
		rc = error(err, MAJLIS_ERR_DATA, "a reply without an ATTENDEE");
	else if (a->attendees > ICAL_MAX_ATTENDEES)
		rc = error(err, MAJLIS_ERR_DATA,
			   "a reply with %d attendees, more than %d",
			   a->attendees, ICAL_MAX_ATTENDEES);
	if (rc != MAJLIS_OK)
		ical_answer_release(a);
	return rc;
}

void
ical_answer_release(struct ical_answer *a)
{
	free(a->uid);
	free(a->recurrence_id);
	free(a->attendee);
	free(a->comment);
	free(a->organizer);
	memset(a, 0, sizeof(*a));
}
