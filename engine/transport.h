/*
 * transport.h - how a message leaves (used by outbox.c): SMTP with
 * libetpan, a Maildir, Gammu's SMS outbox folder.
 *
 * One transport serves many messages: an SMTP connection is opened at
 * the first one and kept for the next, closed by transport_close() or
 * after a failure that leaves it unusable.
 */
#ifndef MAJLIS_TRANSPORT_H
#define MAJLIS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "outbox.h"

enum transport_result {
	SENT,			/* taken: the server (or the folder) has it */
	TEMPORARY,		/* try again later */
	PERMANENT,		/* refused for good */
};

struct transport;

struct transport *transport_new(const struct mail_config *mc);
void transport_close(struct transport *t);

/*
 * Hands one e-mail to the transport: envelope sender and recipient, the
 * raw message (CRLF). name identifies it (its outbox row) so that the
 * Maildir transport writes it under the same file name if it is sent
 * again. why gets the server's words or the local reason otherwise.
 */
enum transport_result transport_send(struct transport *t, int64_t name,
				     const char *from, const char *to,
				     const void *raw, size_t len,
				     struct buf *why);

/*
 * Why the server cannot be used for the rest of this run (no session
 * could be set up, or the connection broke), or NULL: the messages after
 * the one that met the problem wait for the next run, untried.
 */
const char *transport_down(const struct transport *t);

/* Writes one SMS to the spool folder, as Gammu's files back-end reads
 * it: OUT<priority><date>_<time>_<serial>_<number>_<note>.txt in UTF-16
 * with a byte-order mark. */
enum transport_result transport_sms(const struct mail_config *mc,
				    int64_t name, int64_t when,
				    const char *number, const char *text,
				    size_t len, struct buf *why);

#endif
