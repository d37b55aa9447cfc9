/*
 * fuzz-intake.c - feeds bytes to intake_classify() (engine/intake.h),
 * MIME to event, with limits small enough for the fuzzer to reach, then
 * a text reply's words to reply_read(). Checks what intake.h promises: a
 * failure says why; an event has a kind and a reason, a token of 20
 * base32 letters only with where it was found, a calendar answer its
 * UID and attendee, a contact card its bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "intake.h"
#include "reply.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mailin_limits lim = {
		1 << 20, 4096, 100, 6, 20, 1 << 16, 1 << 17,
	};
	const struct intake_config cfg = { "conseil@casablanca.ma",
					   "mx.casablanca.ma", &lim };
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct intake_event ev;
	enum majlis_status rc;

	rc = intake_classify(copy, size, &cfg, &ev, &err);
	if ((rc != MAJLIS_OK) != (err.len != 0))
		abort();
	if (rc == MAJLIS_OK) {
		if (!ev.reason[0] || !*intake_kind_name(ev.kind))
			abort();
		if ((ev.token[0] != 0) != (ev.token_in != NULL))
			abort();
		if (ev.token[0] &&
		    strspn(ev.token, "abcdefghijklmnopqrstuvwxyz234567") !=
			    TOKEN_LEN)
			abort();
		if ((ev.kind == INTAKE_IMIP_REPLY ||
		     ev.kind == INTAKE_IMIP_COUNTER) &&
		    (!ev.answer.uid || !ev.answer.attendee))
			abort();
		if (ev.kind == INTAKE_TEXT_REPLY) {
			struct reply_reading r;

			reply_read(ev.text.data, REPLY_INVITATION, &r);
			reply_release(&r);
		}
	}
	intake_event_release(&ev);
	buf_release(&err);
	free(copy);
	return 0;
}
