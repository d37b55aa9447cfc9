/*
 * imap.h - the IMAP source of intake: the messages of one mailbox, read
 * incrementally by UID with libetpan, each handed to ingest_message()
 * and marked done on the server (\Seen and the keyword $MajlisDone)
 * only after its transaction committed.
 *
 * Where the mailbox was read up to is kept in the store (imap_state:
 * UIDVALIDITY and the last UID done): a new UIDVALIDITY (the mailbox
 * was rebuilt) reads it again from the start, and what was already
 * ingested is then a duplicate.
 */
#ifndef MAJLIS_IMAP_H
#define MAJLIS_IMAP_H

#include "buf.h"
#include "engine.h"
#include "ingest.h"
#include "status.h"

enum imap_security {
	IMAP_STARTTLS,		/* port 143, then STARTTLS */
	IMAP_TLS,		/* imaps, port 993 */
	IMAP_NONE,		/* loopback only */
};

struct imap_config {
	const char *host;
	int port;
	enum imap_security security;
	const char *user;
	const char *password;
	const char *mailbox;	/* "INBOX" */
	int verify;		/* check the server's certificate */
	const char *ca_file;	/* against this CA (PEM), else the system's */
	const char *fingerprint; /* or its SHA-256 */
	int timeout;		/* seconds */
};

/*
 * Reads the new messages of the mailbox and ingests each; quarantined
 * ones are also written to the Maildir quarantine (NULL: none). Returns
 * MAJLIS_ERR_UNAVAILABLE (with the server's words) when it cannot be
 * reached or refuses the login: nothing is lost, the next run reads
 * from where this one stopped.
 */
enum majlis_status imap_ingest(struct engine *e, const struct imap_config *ic,
			       const struct intake_config *cfg,
			       const char *quarantine, rec_cb cb, void *ctx,
			       struct ingest_counts *c, struct buf *err);

#endif
