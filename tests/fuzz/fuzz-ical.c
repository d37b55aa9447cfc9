/*
 * fuzz-ical.c - feeds bytes to ical_read_answer() (engine/ical.h), the
 * reader of the calendars clients send back (RFC 5546 REPLY, COUNTER),
 * with libical. Checks what ical.h promises: a failure says why and
 * leaves nothing; a success has a method, a UID, an attendee, at most
 * ICAL_MAX_ATTENDEES attendees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ical.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct ical_answer a;
	enum majlis_status rc;

	rc = ical_read_answer(copy, size, &a, &err);
	if ((rc != MAJLIS_OK) != (err.len != 0))
		abort();
	if (rc == MAJLIS_OK &&
	    (!a.method[0] || !a.uid || !a.attendee ||
	     a.attendees > ICAL_MAX_ATTENDEES))
		abort();
	if (rc != MAJLIS_OK && (a.uid || a.attendee || a.comment))
		abort();
	ical_answer_release(&a);
	buf_release(&err);
	free(copy);
	return 0;
}
