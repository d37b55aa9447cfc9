/*
 * digest.h - the daily digest: each morning, once the local time (in the
 * clock's zone, Africa/Casablanca) has reached [notify] digest_hour, one
 * mail a person with an e-mail address, in their language first and the
 * other after it, on what concerns them:
 *
 *   - their meetings of the day, then of the six days after it;
 *   - the invitations awaiting their answer;
 *   - the dossiers waiting on their decision (in review, theirs);
 *   - their open tasks due within the seven days, or late;
 *   - the decisions taken since the start of yesterday, local time,
 *     by meetings they were invited to or on dossiers of theirs.
 *
 * Management - the president and vice-presidents of the Commune's
 * council, and the directeur général des services (role dgs) - also gets
 * the key figures of the whole Commune and a bar chart of them (chart.h)
 * inline in the HTML, when the documents (and so the fonts) are set up.
 *
 * A digest with nothing in any section is not sent. Either way the day
 * is recorded for the person (table digest, one row a person a day), so
 * that nobody gets two digests a day and nobody is examined twice.
 * Digests are queued in the outbox (kind "digest", Message-ID
 * <dig.CODE.YYYYMMDD@DOMAIN>), not before the end of the quiet hours.
 */
#ifndef MAJLIS_DIGEST_H
#define MAJLIS_DIGEST_H

#include "buf.h"
#include "engine.h"
#include "status.h"

/* A digest_hour never reached: no digests at all, unless forced (the
 * demo's replayed history sets it). */
#define DIGEST_NEVER 24

enum digest_flags {
	DIGEST_FORCE = 1 << 0,	/* make today's even before digest_hour */
};

struct digest_counts {
	int sent;		/* digests queued */
	int empty;		/* persons with nothing to say: recorded only */
};

/*
 * Makes today's digests now: of every person with an e-mail address
 * who has none today yet, or of the person person (a code, an address,
 * "#id"; NULL for all). Without DIGEST_FORCE, nothing happens before
 * digest_hour. Each digest is queued and recorded in a transaction of
 * its own: call it outside any. Needs e->mail.
 */
enum majlis_status digest_make(struct engine *e, const char *person,
			       unsigned flags, struct digest_counts *counts,
			       struct buf *err);

/*
 * The digest person would get today, without queueing or recording
 * anything: the complete message appended to raw, and its plain text to
 * text (either may be NULL); *items gets the number of things it tells
 * (0: it would not be sent).
 */
enum majlis_status digest_preview(struct engine *e, const char *person,
				  struct buf *raw, struct buf *text,
				  int *items, struct buf *err);

#endif
