/*
 * mailin.h - reading a message that came in (a reply, a receipt, a
 * bounce), hostile until proven otherwise: its bytes are checked against
 * limits, parsed with libetpan, and normalised once, here, so that the
 * rest of intake sees UTF-8 in NFC only.
 *
 * A pure parser: bytes in, a struct mailin out; it opens nothing. What
 * it keeps: the header fields intake needs, decoded (RFC 2047 words,
 * RFC 2231 parameters), the addresses, and every leaf part of the MIME
 * tree in order (its type, its file name, its body with the transfer
 * encoding undone; text converted from its charset to UTF-8 NFC).
 */
#ifndef MAJLIS_MAILIN_H
#define MAJLIS_MAILIN_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

/* What a message may be. Past one, it is refused (quarantined, with the
 * reason); the defaults are mailin_limits_default. */
struct mailin_limits {
	size_t max_bytes;	/* the whole message */
	size_t max_header_line;	/* one header line, before unfolding */
	int max_headers;	/* header fields of the message */
	int max_depth;		/* multiparts within multiparts */
	int max_parts;		/* leaf parts */
	size_t max_part;	/* one part, decoded */
	size_t max_total;	/* every part, decoded */
};

extern const struct mailin_limits mailin_limits_default;

struct mailin_addr {
	char *name;		/* display name, decoded, or NULL */
	char *addr;		/* local@domain, as written (case kept) */
};

struct mailin_part {
	char *type;		/* "text/plain", lower case */
	char *charset;		/* as declared, or NULL */
	char *method;		/* text/calendar's METHOD parameter, or NULL */
	char *filename;		/* decoded, or NULL */
	int attachment;		/* Content-Disposition: attachment */
	int depth;		/* 0 for the top, 1 inside one multipart... */
	char *parent;		/* the enclosing multipart's type, or NULL */
	struct buf body;	/* decoded; text in UTF-8 NFC, LF line ends;
				 * message/rfc822: the message as it came */
	int is_text;		/* body was converted to text */
};

struct mailin {
	char *message_id;	/* without angle brackets, or NULL */
	char *in_reply_to;	/* the first message id it names, or NULL */
	char *references;	/* as written, or NULL */
	char *subject;		/* decoded, or "" */
	struct mailin_addr from; /* the first author, or both NULL */
	struct mailin_addr *to;	/* To and Cc */
	size_t nto;
	char *reply_to;		/* the first Reply-To address, or NULL */
	char *return_path;	/* the envelope sender, without <>, or NULL */
	char **delivered_to;	/* Delivered-To and X-Original-To values */
	size_t ndelivered;
	char *auto_submitted;	/* RFC 3834, lower case, or NULL */
	char *precedence;	/* lower case, or NULL */
	char *list_id;		/* or NULL */
	int x_autoreply;	/* an X-Autoreply or X-Autorespond field */
	char *failed_recipients; /* X-Failed-Recipients (Exim), or NULL */
	char **auth_results;	/* Authentication-Results values */
	size_t nauth;
	char *content_type;	/* of the message, lower case, with no
				 * parameters ("multipart/report") */
	char *report_type;	/* its report-type parameter, or NULL */
	struct mailin_part *parts; /* leaves, in order */
	size_t nparts;
	int headers;		/* header fields counted */
};

/*
 * Parses the len bytes at raw into m (released with mailin_release(),
 * even after a failure). MAJLIS_ERR_DATA, with the reason in err, for a
 * message past the limits or that is not a message at all; a part in an
 * unknown charset or malformed encoding is kept as it was, not refused
 * (its is_text is then 0).
 */
enum majlis_status mailin_parse(const char *raw, size_t len,
				const struct mailin_limits *lim,
				struct mailin *m, struct buf *err);

void mailin_release(struct mailin *m);

/* The first part of the given type ("text/plain"), or NULL. */
const struct mailin_part *mailin_find(const struct mailin *m,
				      const char *type);

#endif
