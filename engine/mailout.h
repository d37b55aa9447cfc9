/*
 * mailout.h - the messages majlis writes to people, queued in the outbox
 * (outbox.h): invitations to meetings as iMIP mails, their updates and
 * cancellations, and notifications by e-mail and SMS.
 *
 * Each is written for its recipient: in their language first and the
 * other after it, with their own reply token (token.h), so that their
 * answer, a reply or a calendar's Accept, finds its way back.
 */
#ifndef MAJLIS_MAILOUT_H
#define MAJLIS_MAILOUT_H

#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "status.h"

/*
 * Queues the invitation of invitation id: the bilingual convocation,
 * its PDF, and a text/calendar REQUEST (or, with cancel, the CANCEL of
 * the meeting). detail says what was done; an invitee without an e-mail
 * address gets nothing and detail says so (MAJLIS_OK: nothing to retry).
 */
enum majlis_status mailout_invitation(struct engine *e, int64_t id,
				      int cancel, struct buf *detail,
				      struct buf *err);

/*
 * Queues the request of dossier id to its owner: what is asked, how to
 * answer by replying with one word (approve, reject, return; in French
 * or Arabic), the dossier's files from the archive attached (the rest
 * named), the owner's reply token in the reply address.
 */
enum majlis_status mailout_request(struct engine *e, int64_t id,
				   struct buf *detail, struct buf *err);

/* The Date header's zone offset at t, in minutes (+60 for +0100). */
int mailout_offset(struct engine *e, int64_t t);

#endif
