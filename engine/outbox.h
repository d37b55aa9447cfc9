/*
 * outbox.h - every message majlis sends, e-mail or SMS, and how it
 * leaves.
 *
 * A message is first a row of the outbox: complete (its raw RFC 5322
 * bytes, or an SMS's text), with its Message-ID, its envelope and the
 * time it is due, written in the transaction of whatever made it (a job,
 * a tick). outbox_flush() then hands due messages to the transport, one
 * by one, each marked sent or failed in a transaction of its own after
 * the transport took it: a crash between the two sends it again, under
 * the same Message-ID, never loses it. Temporary failures (a refused
 * connection, a timeout, a 4xx reply) are retried with growing delays;
 * a permanent one (a 5xx reply), or a message still not sent after the
 * last try, is marked failed with the server's words.
 *
 * Transports: SMTP submission with libetpan (STARTTLS or TLS, AUTH), or
 * a Maildir (the demo's mail/outbox). SMS go to the outbox folder of
 * Gammu's SMS daemon (its "files" back-end), which a GSM modem sends.
 */
#ifndef MAJLIS_OUTBOX_H
#define MAJLIS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

enum mail_transport {
	TRANSPORT_MAILDIR,
	TRANSPORT_SMTP,
};

enum smtp_security {
	SMTP_STARTTLS,		/* submission, port 587 */
	SMTP_TLS,		/* implicit TLS, port 465 */
	SMTP_NONE,		/* plain: loopback relays only */
};

/* What the engine needs to send (majlis.conf [mail], [smtp], [sms],
 * [notify]). The strings belong to the caller. */
struct mail_config {
	const char *domain;	/* of Message-IDs and reply addresses */
	const char *from;	/* the engine's address: local@domain */
	const char *name_fr, *name_ar;	/* its display names */
	const char *tz;		/* the clock's zone, for VTIMEZONE */
	enum mail_transport transport;
	const char *maildir;	/* TRANSPORT_MAILDIR: the Maildir */
	const char *smtp_host;
	int smtp_port;
	enum smtp_security security;
	const char *smtp_user;	/* NULL: no AUTH */
	const char *smtp_password;
	const char *helo;	/* the name given in EHLO */
	int verify;		/* check the server's certificate: against
				 * fingerprint if given, else ca_file (or the
				 * system's CAs) and the host name */
	const char *ca_file;	/* PEM, or NULL */
	const char *fingerprint; /* the certificate's SHA-256, hex, or NULL */
	int timeout;		/* seconds, for connecting and each reply */
	const char *sms_spool;	/* Gammu's outbox folder */
	const char *feed_dir;	/* where the private calendar feeds go */
	int digest_hour;	/* 0-23, local */
	int quiet_from, quiet_to; /* minutes of the local day; equal: none */
};

enum outbox_channel {
	CHANNEL_EMAIL,
	CHANNEL_SMS,
};

/* A message to queue. */
struct outbox_msg {
	enum outbox_channel channel;
	const char *kind;	/* "invitation", "cancel", "notification",
				 * "request", "digest", "reminder" ... */
	const char *message_id;	/* without angle brackets; for an SMS, an
				 * identifier of our own */
	int64_t person_id;	/* 0: none */
	const char *recipient;	/* RCPT TO, or the phone number */
	const char *sender;	/* MAIL FROM (with its token), or "" */
	const char *subject;	/* for people reading the outbox */
	const char *object_kind; /* what it is about, or NULL */
	int64_t object_id;
	const void *raw;	/* the message's bytes, or the SMS's text */
	size_t len;
	int64_t not_before;	/* 0: now; else not sent before (quiet
				 * hours) */
};

/* Queues m in the caller's transaction; *id gets its row. A message
 * with a Message-ID already queued is not queued again: *id is then
 * that one's and MAJLIS_ERR_EXISTS returned. */
enum majlis_status outbox_queue(struct engine *e, const struct outbox_msg *m,
				int64_t *id, struct buf *err);

struct outbox_counts {
	int sent;		/* taken by the transport */
	int deferred;		/* a temporary failure: tried again later */
	int failed;		/* a permanent failure, or too many tries */
	char down[256];		/* why the server could not be used, if so */
};

/*
 * Sends every due message (at most max; 0: all), in order. Runs its own
 * transactions: call it outside any. Transport problems are counted and
 * recorded on the messages, not returned: the status is for the store.
 */
enum majlis_status outbox_flush(struct engine *e, int max,
				struct outbox_counts *counts,
				struct buf *err);

/* The next time after t outside the quiet hours (t itself if not in
 * them). */
int64_t outbox_after_quiet(struct engine *e, int64_t t);

/* One record per message (id, kind, channel, person, recipient, subject,
 * state, attempts, next_at, last_error, created_at, sent_at), newest
 * first; state may be NULL for all. */
enum majlis_status outbox_list(struct engine *e, const char *state,
			       int limit, rec_cb cb, void *ctx,
			       struct buf *err);

/* A queued message's raw bytes, by row. */
enum majlis_status outbox_raw(struct engine *e, int64_t id, struct buf *out,
			      struct buf *err);

/* The retry delays, in seconds, after the 1st, 2nd, ... failed try; a
 * message fails for good after the last. */
extern const int outbox_retry_delays[];
extern const int outbox_max_attempts;

#endif
