/*
 * feed.h - each person's private calendar feed: an iCalendar file
 * (METHOD:PUBLISH) of the meetings they are invited to, from 90 days ago
 * on, that a calendar application subscribes to.
 *
 * The file is FEED_DIR/TOKEN.ics (e->mail->feed_dir, the instance's
 * out/calendars), TOKEN the person's feed_token: 24 random base32
 * letters (120 bits) from libsodium, given once and kept, so that the
 * address, the only secret of the feed, does not change. Each event has
 * the UID and SEQUENCE of the invitations (meeting-ID@DOMAIN): a
 * calendar that has both shows one meeting. A cancelled meeting, or one
 * postponed without a new date, stays in the feed as STATUS:CANCELLED,
 * as the invitee's cancellation mail said.
 *
 * A feed is rewritten, whole or not at all, only when its content
 * changed (its DTSTAMP, the time it is written, aside). Without a
 * feed_dir (the demo's replayed history), there are no feeds.
 */
#ifndef MAJLIS_FEED_H
#define MAJLIS_FEED_H

#include "buf.h"
#include "engine.h"
#include "status.h"

/* How far back a feed goes, in days. */
#define FEED_PAST_DAYS 90

/*
 * Writes the feed of person (a code, an address, "#id") if it changed,
 * giving them a token first if they have none (in a transaction of its
 * own: call it outside any). path gets the file's path; *written is 1
 * when the file was written. Needs e->mail.
 */
enum majlis_status feed_person(struct engine *e, const char *person,
			       struct buf *path, int *written,
			       struct buf *err);

#endif
