/*
 * intake.h - one incoming message, one typed event (DESIGN.md: intake
 * turns a raw message into one event or a quarantine entry with a
 * reason; it never changes state itself).
 *
 * A pure function: bytes in, a struct intake_event out. It reads the
 * message (mailin.h), decides what it is, in this order, and gathers
 * what acting on it needs:
 *   dsn          a delivery failure (bounce.h); the message it encloses
 *                is never acted upon
 *   mdn          a read receipt (RFC 8098)
 *   imip-reply   a calendar client's answer (RFC 5546 REPLY), or
 *   imip-counter a new time proposed (COUNTER)
 *   auto-reply   an out-of-office or other automatic answer (RFC 3834,
 *                X-Autoreply, Precedence, subjects in French, Arabic and
 *                English): never acted upon, never answered
 *   vcard        a contact card, attached or as the body
 *   text-reply   a person's reply carrying one of our reply tokens
 *   form         a petition or a dossier with labelled fields (form.h),
 *                in the body or a text attachment, checked field by
 *                field
 *   unknown      anything else, for a person to look at
 * and the reply token it carries (DESIGN.md): in a plus-address to us
 * (To, Cc, Delivered-To, X-Original-To; an iMIP REPLY's ORGANIZER), else
 * in In-Reply-To or References (<KIND.TOKEN@DOMAIN>), else in a receipt's
 * Original-Message-ID. Whether the token is valid, and the sender the
 * one it was issued to, is for the store to say (ingest.h).
 */
#ifndef MAJLIS_INTAKE_H
#define MAJLIS_INTAKE_H

#include "bounce.h"
#include "buf.h"
#include "form.h"
#include "ical.h"
#include "mailin.h"
#include "status.h"
#include "token.h"

enum intake_kind {
	INTAKE_DSN,
	INTAKE_MDN,
	INTAKE_IMIP_REPLY,
	INTAKE_IMIP_COUNTER,
	INTAKE_AUTO_REPLY,
	INTAKE_VCARD,
	INTAKE_TEXT_REPLY,
	INTAKE_FORM,
	INTAKE_UNKNOWN,
};

struct intake_config {
	const char *own;	/* the engine's address: local@domain */
	const char *authserv;	/* the authserv-id of our own server's
				 * Authentication-Results, or NULL: none
				 * is trusted */
	const struct mailin_limits *limits; /* or NULL for the defaults */
};

/* A file that came with the message. */
struct intake_file {
	char *name;		/* its file name, or "" */
	char *type;		/* "application/pdf" */
	struct buf data;
};

struct intake_event {
	enum intake_kind kind;
	char token[TOKEN_LEN + 1]; /* the token found, lower case, or "" */
	const char *token_in;	/* where: "address", "organizer",
				 * "in-reply-to", "references",
				 * "original-message-id", or NULL */
	char *message_id;	/* the message's own, or NULL */
	char *sender;		/* the From address, lower case, or NULL */
	int list;		/* mailing-list traffic (List-Id,
				 * Precedence: list, bulk or junk) */
	int loop;		/* our own mail come back (X-Loop, our
				 * address as sender) */
	int auth_failed;	/* our server says DMARC or DKIM failed */
	int auth_passed;	/* our server says DMARC or DKIM passed */
	char *subject;		/* decoded */
	struct buf text;	/* text-reply: the text of the reply (plain
				 * text, else the HTML's), as written, with
				 * the quote still in it */
	struct ical_answer answer; /* imip-reply, imip-counter */
	struct bounce bounce;	/* dsn */
	char *original_id;	/* mdn: the message it acknowledges */
	char disposition[32];	/* mdn: "displayed", "deleted", ... */
	struct buf vcard;	/* vcard: the card's bytes */
	struct form form;	/* form: what it says, and its errors */
	struct intake_file *files; /* text-reply, form: the attachments */
	size_t nfiles;
	int arabic;		/* its text is written in Arabic */
	char reason[256];	/* why the kind was chosen, for the report */
};

/*
 * Reads the len bytes at raw into ev (released with
 * intake_event_release(), also after a failure). MAJLIS_ERR_DATA, with
 * the reason in err, when the message must be quarantined: past the
 * limits, not a message, a calendar that cannot be read or has too
 * many attendees.
 */
enum majlis_status intake_classify(const char *raw, size_t len,
				   const struct intake_config *cfg,
				   struct intake_event *ev, struct buf *err);

void intake_event_release(struct intake_event *ev);

/* "dsn", "imip-reply", ... as the --json report names them. */
const char *intake_kind_name(enum intake_kind k);

/*
 * The token of a reply address "LOCAL+t.TOKEN@DOMAIN" of own
 * (local@domain), or of a Message-ID "KIND.TOKEN@DOMAIN": 0 and token
 * set (lower case), or -1.
 */
int intake_token_of_address(const char *own, const char *addr,
			    char token[TOKEN_LEN + 1]);
int intake_token_of_msgid(const char *own, const char *msgid,
			  char token[TOKEN_LEN + 1]);

#endif
