/*
 * tlsverify.h - checking the certificate of a TLS server majlis talks to
 * (SMTP submission, IMAP), with GnuTLS: its SHA-256 against a pinned
 * fingerprint, or else its chain of trust to a CA file (or the system's
 * authorities) and the host name. libetpan does not check it itself.
 */
#ifndef MAJLIS_TLSVERIFY_H
#define MAJLIS_TLSVERIFY_H

#include "buf.h"

struct _mailstream;

/*
 * Checks the peer of stream (a libetpan stream with TLS up). Returns 0
 * when it is the server expected, or -1 with the reason in why.
 */
int tls_verify_stream(struct _mailstream *stream, const char *host,
		      const char *ca_file, const char *fingerprint,
		      struct buf *why);

#endif
