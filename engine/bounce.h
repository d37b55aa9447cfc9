/*
 * bounce.h - reading delivery failures: the standard reports of RFC 3464
 * (message/delivery-status) and the many forms mail servers write
 * instead (Exim's X-Failed-Recipients, qmail's, sendmail's and Exchange's
 * texts, ...), to learn which recipient failed and why.
 *
 * A pure reader over a message already parsed (mailin.h). The message a
 * bounce encloses is only looked at for its Message-ID and recipients:
 * nothing in it is ever acted upon.
 */
#ifndef MAJLIS_BOUNCE_H
#define MAJLIS_BOUNCE_H

#include <stddef.h>

#include "mailin.h"

struct bounce_rcpt {
	char *addr;		/* the recipient that failed */
	char status[16];	/* enhanced status code (RFC 3463), "5.1.1" */
	char *diagnostic;	/* the server's words, or NULL */
};

struct bounce {
	int standard;		/* read from a message/delivery-status */
	int temporary;		/* every failure is 4.x.x: a delay */
	struct bounce_rcpt *rcpt;
	size_t n;
	char *original_id;	/* Message-ID of the message that failed, or
				 * NULL */
};

/*
 * Whether m reports a failed delivery (returns 1, b filled and to be
 * released with bounce_release()) or not (returns 0, b empty). A bounce
 * may name no recipient when its text says too little; its status is
 * then unknown too.
 */
int bounce_read(const struct mailin *m, struct bounce *b);

void bounce_release(struct bounce *b);

#endif
