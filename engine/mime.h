/*
 * mime.h - building the messages majlis sends: complete RFC 5322
 * messages, written with libetpan's MIME writer, in CRLF.
 *
 * Every text is UTF-8. Header texts that are not plain ASCII (an Arabic
 * subject, a name) are encoded as RFC 2047 words, attachment names as
 * RFC 2231 parameters; bodies as quoted-printable (text) or base64. The
 * message has a text/plain part and, if given, a text/html one as
 * alternatives (HTML with its inline images as multipart/related), the
 * iMIP text/calendar part among the alternatives, and the attachments.
 */
#ifndef MAJLIS_MIME_H
#define MAJLIS_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

struct mime_addr {
	const char *name;	/* display name, UTF-8, or NULL */
	const char *addr;	/* local@domain */
};

struct mime_part {
	const char *type;	/* "application/pdf", "image/png",
				 * "text/calendar; method=REQUEST" */
	const void *data;
	size_t len;
	const char *filename;	/* UTF-8, or NULL */
	const char *content_id;	/* for an inline image: "chart@majlis" */
};

struct mime_header {
	const char *name;	/* "Auto-Submitted" */
	const char *value;	/* ASCII, or UTF-8 to encode */
};

struct mime_message {
	struct mime_addr from;
	struct mime_addr to;
	const struct mime_addr *reply_to;	/* or NULL */
	const char *subject;
	int64_t date;		/* seconds since the epoch, UTC */
	int date_offset;	/* the zone's offset then, in minutes */
	const char *message_id;	/* without angle brackets */
	const char *in_reply_to; /* a Message-ID, or NULL */
	const char *language;	/* Content-Language: "ar", "fr", or NULL */
	const char *text;	/* text/plain body */
	const char *html;	/* text/html body, or NULL */
	const struct mime_part *calendar; /* text/calendar, or NULL */
	const struct mime_part *related;  /* images the HTML shows */
	size_t nrelated;
	const struct mime_part *attachments;
	size_t nattachments;
	const struct mime_header *headers; /* more headers, in order */
	size_t nheaders;
};

/* Room for mime_system_headers(). */
#define MIME_SYSTEM_HEADERS 5

/*
 * Fills h with the headers of every mail majlis sends of itself, and
 * returns how many: Auto-Submitted (RFC 3834) and Precedence, that
 * auto-responders and lists leave it alone; X-Auto-Response-Suppress for
 * Exchange (out-of-office only when a reply is expected, else all);
 * X-Majlis-Object, what it is about ("invitation/12"); and, with
 * receipt_to, Disposition-Notification-To (RFC 8098). The strings are
 * the caller's, and must live as long as h.
 */
size_t mime_system_headers(struct mime_header *h, const char *object,
			   int expects_reply, const char *receipt_to);

/* Appends the message to out. MAJLIS_ERR_DATA for a malformed address or
 * header name; MAJLIS_ERR_INTERNAL if libetpan fails. */
enum majlis_status mime_build(const struct mime_message *m, struct buf *out,
			      struct buf *err);

/* Appends s as RFC 2047 encoded words (base64, UTF-8) if it needs them,
 * else as it is; words stay within 75 characters and never cut a UTF-8
 * character. */
void mime_encode_words(const char *s, struct buf *out);

/* Decodes a header value with RFC 2047 words into UTF-8 (for tests and
 * for reading replies). Returns 0, or -1 if it cannot. */
int mime_decode_words(const char *s, struct buf *out);

#endif
