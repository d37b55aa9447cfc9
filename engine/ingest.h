/*
 * ingest.h - acting on what came in: each message classified (intake.h),
 * authenticated and applied exactly once, in one transaction with its
 * audit entry; then its event goes through its mailflow.
 *
 * A reply acts only if its token is known and unexpired, was not used
 * for another answer, and the sender is the person it was issued to
 * (their address, not a display name); a DMARC or DKIM failure reported
 * by our own server rejects it; list traffic, our own mail come back and
 * automatic replies are ignored, never answered. Nothing is ever sent to
 * the sender of a rejected message (no backscatter). A message is known
 * by its Message-ID, else the SHA-256 of its bytes: seen again, it is a
 * duplicate and changes nothing. A message that cannot be read is
 * quarantined with its reason; one that needs a person (an ambiguous
 * reply, an unknown message) is kept for review with its bytes.
 */
#ifndef MAJLIS_INGEST_H
#define MAJLIS_INGEST_H

#include <stddef.h>

#include "buf.h"
#include "engine.h"
#include "intake.h"
#include "rec.h"
#include "status.h"

enum ingest_action {
	INGEST_APPLIED,
	INGEST_REJECTED,
	INGEST_QUARANTINED,
	INGEST_IGNORED,
	INGEST_DUPLICATE,
	INGEST_REVIEW,
};

struct ingest_counts {
	int seen;
	int by_action[INGEST_REVIEW + 1];
};

/*
 * One message (len bytes at raw) from source ("maildir cur/NAME",
 * "imap INBOX 1234/56"). Runs its own transactions: call it outside any.
 * cb, if given, gets one record: source, message_id, kind, action,
 * reason, object, object_id. *action tells the caller what to do with
 * the file (quarantine it, mark it done). The status is for the store:
 * a message that cannot be read is an action, not an error.
 */
enum majlis_status ingest_message(struct engine *e,
				  const struct intake_config *cfg,
				  const char *raw, size_t len,
				  const char *source, rec_cb cb, void *ctx,
				  enum ingest_action *action, struct buf *err);

/*
 * Every message of the Maildir dir: those in new/, and those in cur/
 * not yet marked done, oldest first. Each is moved to cur/ with the
 * Seen flag once its transaction committed (a crash before means it is
 * read again, and is then a duplicate if it got that far); a quarantined
 * one is also copied to quarantine/new (a Maildir; NULL: none).
 */
enum majlis_status ingest_maildir(struct engine *e,
				  const struct intake_config *cfg,
				  const char *dir, const char *quarantine,
				  rec_cb cb, void *ctx, struct ingest_counts *c,
				  struct buf *err);

const char *ingest_action_name(enum ingest_action a);

#endif
