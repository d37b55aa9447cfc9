/*
 * ical.h - iCalendar objects (RFC 5545) for iMIP invitations (RFC 5546,
 * RFC 6047) and for each person's feed of meetings, built with libical.
 *
 * Times are given in UTC and written in the instance's zone (TZID, with
 * that zone's VTIMEZONE from libical's data), so that a phone shows the
 * meeting at the time written on the convocation.
 */
#ifndef MAJLIS_ICAL_H
#define MAJLIS_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

struct ical_person {
	const char *name;	/* CN, UTF-8, or NULL */
	const char *addr;	/* e-mail address */
};

struct ical_event {
	const char *uid;	/* stable for the meeting: "meeting-12@..." */
	int sequence;		/* RFC 5546 SEQUENCE: 0, then +1 a change */
	int64_t start, end;	/* UTC */
	const char *summary;	/* UTF-8 */
	const char *location;	/* UTF-8, or NULL */
	const char *description; /* UTF-8, or NULL */
	struct ical_person organizer; /* addr NULL: none (a published feed) */
	const struct ical_person *attendee; /* RSVP=TRUE, or NULL */
	const char *partstat;	/* the attendee's: NEEDS-ACTION, ACCEPTED... */
	int cancelled;		/* STATUS:CANCELLED */
	int alarms;		/* VALARMs the day before and two hours before */
	int all_day;		/* a whole local day (a holiday, a deadline):
				 * DTSTART;VALUE=DATE of day_y-day_m-day_d,
				 * start and end unused, TRANSP:TRANSPARENT */
	int day_y, day_m, day_d;
	const char *category;	/* CATEGORIES, or NULL */
};

enum ical_method {
	ICAL_REQUEST,		/* an invitation, or its update */
	ICAL_CANCEL,		/* the meeting will not take place */
	ICAL_PUBLISH,		/* a feed of events */
};

/*
 * Appends a VCALENDAR with method, the VTIMEZONE of tzid and events to
 * out, with CRLF line ends. stamp is DTSTAMP (now). MAJLIS_ERR_CONFIG
 * for a zone libical does not know.
 */
enum majlis_status ical_build(enum ical_method method, const char *tzid,
			      int64_t stamp, const struct ical_event *events,
			      size_t n, struct buf *out, struct buf *err);

/* What a calendar client sent back (RFC 5546): a REPLY with the
 * attendee's answer, or a COUNTER proposing another time. */
struct ical_answer {
	char method[16];	/* "REPLY", "COUNTER" */
	char *uid;		/* of the event answered */
	int sequence;		/* SEQUENCE answered, or 0 */
	char *recurrence_id;	/* as written, or NULL */
	char *attendee;		/* the first ATTENDEE's address, lower case */
	char partstat[24];	/* its PARTSTAT: ACCEPTED, DECLINED, ... */
	char *comment;		/* COMMENT, or NULL */
	char *organizer;	/* the ORGANIZER's address (our plus-address) */
	int64_t start, end;	/* COUNTER: the time proposed (UTC), or 0 */
	int attendees;		/* ATTENDEE properties in the event */
};

/* Limits on what a reply may hold. */
#define ICAL_MAX_ATTENDEES 100

/*
 * Reads the first VEVENT of a calendar a client sent (len bytes of
 * text) into a (released with ical_answer_release()). MAJLIS_ERR_DATA,
 * with the reason, for a calendar libical cannot read, a METHOD that is
 * not REPLY or COUNTER, an event without UID or ATTENDEE, or more than
 * ICAL_MAX_ATTENDEES attendees.
 */
enum majlis_status ical_read_answer(const char *text, size_t len,
				    struct ical_answer *a, struct buf *err);

void ical_answer_release(struct ical_answer *a);

#endif
