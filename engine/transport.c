/*
 * transport.c - SMTP, Maildir and SMS spool transports (see transport.h).
 *
 * SMTP: libetpan, over plain TCP with STARTTLS, implicit TLS, or plain
 * (loopback relays); the server's certificate checked with GnuTLS
 * (libetpan does not); AUTH PLAIN through libetpan's SASL when a user is
 * configured. Replies classify failures: 4xx and broken connections are
 * temporary, 5xx permanent; the server's own words are kept. After a
 * failed transaction the session is reset (RSET), after a broken one
 * closed, so that the next message starts clean.
 *
 * Maildir: the message is written to tmp/, synced, renamed into new/
 * under a name made of its outbox row, so that sending it again after a
 * crash replaces the same file instead of making a second one.
 */
#include "transport.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tlsverify.h"
#include "sys.h"

struct transport {
	const struct mail_config *mc;
	mailsmtp *smtp;		/* the open session, or NULL */
	struct buf down;	/* why the server cannot be used this run */
};

struct transport *
transport_new(const struct mail_config *mc)
{
	struct transport *t = xcalloc(1, sizeof(*t));

	t->mc = mc;
	return t;
}

static void
smtp_close(struct transport *t, int polite)
{
	if (!t->smtp)
		return;
	if (polite)
		mailsmtp_quit(t->smtp);
	mailsmtp_free(t->smtp);
	t->smtp = NULL;
}

void
transport_close(struct transport *t)
{
	if (!t)
		return;
	smtp_close(t, 1);
	buf_release(&t->down);
	free(t);
}

/* What the server said, or libetpan's reason when it said nothing. */
static void
server_words(mailsmtp *s, int r, const char *stage, struct buf *why)
{
	buf_reset(why);
	if (s && s->response_code > 0 && s->response)
		buf_addf(why, "%s: %d %s", stage, s->response_code,
			 s->response);
	else
		buf_addf(why, "%s: %s", stage, mailsmtp_strerror(r));
	buf_rtrim(why);
}

static enum transport_result
classify(mailsmtp *s, int r)
{
	if (s && s->response_code >= 500 && s->response_code < 600)
		return PERMANENT;
	if (s && s->response_code >= 400 && s->response_code < 500)
		return TEMPORARY;
	switch (r) {
	case MAILSMTP_ERROR_MAILBOX_UNAVAILABLE:
	case MAILSMTP_ERROR_MAILBOX_NAME_NOT_ALLOWED:
	case MAILSMTP_ERROR_USER_NOT_LOCAL:
	case MAILSMTP_ERROR_TRANSACTION_FAILED:
	case MAILSMTP_ERROR_EXCEED_STORAGE_ALLOCATION:
	case MAILSMTP_ERROR_AUTH_AUTHENTICATION_FAILED:
	case MAILSMTP_ERROR_AUTH_NOT_SUPPORTED:
	case MAILSMTP_ERROR_AUTH_LOGIN:
		return PERMANENT;
	default:
		return TEMPORARY;
	}
}

/* Hex digits of s, lower case, without colons or a "sha256:" prefix. */
static void
plain_hex(const char *s, struct buf *out)
{
	if (!strncasecmp(s, "sha256:", 7))
		s += 7;
	for (; *s; s++)
		if (*s != ':')
			buf_addch(out, tolower((unsigned char)*s));
}

/*
 * The server's certificate, once TLS is up: its SHA-256 against the
 * configured fingerprint, or else its chain of trust to ca_file (or the
 * system's authorities) and the host name it was given for (see
 * tlsverify.h).
 */
int
tls_verify_stream(mailstream *stream, const char *host, const char *ca_file,
		  const char *fingerprint, struct buf *why)
{
	unsigned char *der = NULL;
	ssize_t n;
	int res = -1;

	n = mailstream_ssl_get_certificate(stream, &der);
	if (n <= 0 || !der) {
		buf_setf(why, "TLS: the server sent no certificate");
		free(der);
		return -1;
	}
	if (fingerprint) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		struct buf want = BUF_INIT;

		crypto_hash_sha256(h, der, (unsigned long long)n);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		plain_hex(fingerprint, &want);
		if (want.data && !strcmp(want.data, hex))
			res = 0;
		else
			buf_setf(why, "TLS: the server's certificate is "
				      "sha256:%s, not the configured "
				      "fingerprint",
				 hex);
		buf_release(&want);
	} else {
		gnutls_x509_crt_t crt;
		gnutls_x509_trust_list_t tl;
		gnutls_datum_t d = { der, (unsigned int)n };
		gnutls_typed_vdata_st hv = { GNUTLS_DT_DNS_HOSTNAME,
					     (unsigned char *)(uintptr_t)host,
					     0 };
		unsigned int status = 0;
		int r;

		gnutls_x509_crt_init(&crt);
		gnutls_x509_trust_list_init(&tl, 0);
		r = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
		if (r >= 0)
			r = ca_file ? gnutls_x509_trust_list_add_trust_file(
					      tl, ca_file, NULL,
					      GNUTLS_X509_FMT_PEM, 0, 0)
				    : gnutls_x509_trust_list_add_system_trust(
					      tl, 0, 0);
		if (r >= 0)
			r = gnutls_x509_trust_list_verify_crt2(
				tl, &crt, 1, &hv, 1, 0, &status, NULL);
		if (r < 0) {
			buf_setf(why, "TLS: cannot check the certificate: %s",
				 gnutls_strerror(r));
		} else if (status) {
			gnutls_datum_t msg = { NULL, 0 };

			gnutls_certificate_verification_status_print(
				status, GNUTLS_CRT_X509, &msg, 0);
			buf_setf(why, "TLS: the certificate of %s is not "
				      "trusted: %s",
				 host, msg.data ? (char *)msg.data : "");
			gnutls_free(msg.data);
		} else {
			res = 0;
		}
		gnutls_x509_trust_list_deinit(tl, 1);
		gnutls_x509_crt_deinit(crt);
	}
	free(der);
	return res;
}

/* SMTP's use of it: a failure is permanent, since sending anyway would
 * hand the mail to anyone. */
static enum transport_result
verify_peer(const struct mail_config *mc, mailsmtp *s, struct buf *why)
{
	if (!mc->verify)
		return SENT;
	return tls_verify_stream(s->stream, mc->smtp_host, mc->ca_file,
				 mc->fingerprint, why)
		       ? PERMANENT
		       : SENT;
}

/*
 * The session could not be set up (no connection, no greeting, TLS,
 * authentication): none of that is the message's fault, and the next
 * message would meet the same. It is deferred, whatever the code (a
 * wrong password or certificate is a setting to fix, not a reason to
 * drop the queue), and the server is left alone for the rest of the run.
 */
static enum transport_result
session_failed(struct transport *t, mailsmtp *s, struct buf *why)
{
	if (s)
		mailsmtp_free(s);
	buf_setf(&t->down, "%s", why->len ? why->data : "no session");
	return TEMPORARY;
}

static enum transport_result
smtp_open(struct transport *t, struct buf *why)
{
	const struct mail_config *mc = t->mc;
	mailsmtp *s = mailsmtp_new(0, NULL);
	int r;

	if (!s) {
		buf_setf(why, "cannot make an SMTP session");
		return session_failed(t, NULL, why);
	}
	mailsmtp_set_timeout(s, mc->timeout > 0 ? mc->timeout : 30);
	if (mc->security == SMTP_TLS)
		r = mailsmtp_ssl_connect(s, mc->smtp_host,
					 (uint16_t)mc->smtp_port);
	else
		r = mailsmtp_socket_connect(s, mc->smtp_host,
					    (uint16_t)mc->smtp_port);
	if (r != MAILSMTP_NO_ERROR) {
		buf_setf(why, "cannot connect to %s:%d: %s", mc->smtp_host,
			 mc->smtp_port, mailsmtp_strerror(r));
		return session_failed(t, s, why);
	}
	/* Commands are small writes waiting on each other's replies:
	 * without this, Nagle's algorithm and the server's delayed ACKs
	 * cost tens of milliseconds a message. */
	{
		int fd = mailstream_low_get_fd(mailstream_get_low(s->stream));
		int one = 1;

		if (fd >= 0)
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
					 sizeof(one));
	}
	if (mc->security == SMTP_TLS && verify_peer(mc, s, why) != SENT)
		return session_failed(t, s, why);
	r = mailesmtp_ehlo(s);
	if (r == MAILSMTP_NO_ERROR && mc->security == SMTP_STARTTLS) {
		r = mailsmtp_socket_starttls(s);
		if (r == MAILSMTP_NO_ERROR) {
			if (verify_peer(mc, s, why) != SENT)
				return session_failed(t, s, why);
			r = mailesmtp_ehlo(s);
		} else {
			server_words(s, r, "STARTTLS", why);
		}
	} else if (r != MAILSMTP_NO_ERROR) {
		server_words(s, r, "EHLO", why);
	}
	if (r == MAILSMTP_NO_ERROR && mc->smtp_user) {
		r = mailesmtp_auth_sasl(s, "PLAIN", mc->smtp_host, NULL, NULL,
					mc->smtp_user, mc->smtp_user,
					mc->smtp_password ? mc->smtp_password
							  : "",
					NULL);
		if (r != MAILSMTP_NO_ERROR)
			server_words(s, r, "AUTH", why);
	}
	if (r != MAILSMTP_NO_ERROR) {
		if (!why->len)
			server_words(s, r, "session", why);
		return session_failed(t, s, why);
	}
	t->smtp = s;
	return SENT;
}

static enum transport_result
smtp_send(struct transport *t, const char *from, const char *to,
	  const void *raw, size_t len, struct buf *why)
{
	enum transport_result res;
	const char *stage = "MAIL FROM";
	int r;

	buf_reset(why);
	if (!t->smtp && (res = smtp_open(t, why)) != SENT)
		return res;
	r = mailsmtp_mail(t->smtp, from);
	if (r == MAILSMTP_NO_ERROR) {
		stage = "RCPT TO";
		r = mailsmtp_rcpt(t->smtp, to);
	}
	if (r == MAILSMTP_NO_ERROR) {
		stage = "DATA";
		r = mailsmtp_data(t->smtp);
	}
	if (r == MAILSMTP_NO_ERROR) {
		stage = "end of DATA";
		r = mailsmtp_data_message(t->smtp, raw, len);
	}
	if (r == MAILSMTP_NO_ERROR)
		return SENT;
	server_words(t->smtp, r, stage, why);
	res = classify(t->smtp, r);
	/* A refused transaction leaves a usable session once reset; a
	 * broken one (no reply, a dropped connection, 421: the server is
	 * closing) is closed, and the server left alone for this run. */
	if (t->smtp->response_code <= 0 || t->smtp->response_code == 421 ||
	    mailsmtp_reset(t->smtp) != MAILSMTP_NO_ERROR) {
		smtp_close(t, 0);
		buf_setf(&t->down, "%s", why->data);
	}
	return res;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes data to dir/tmp/name, syncs it, renames it to dir/new/name. */
static enum transport_result
spool(const char *dir, const char *tmpdir, const char *name,
      const void *data, size_t len, struct buf *why)
{
	struct buf tmp = BUF_INIT, dst = BUF_INIT;
	enum transport_result res = SENT;
	int fd;

	buf_addf(&tmp, "%s/%s", tmpdir, name);
	buf_addf(&dst, "%s/%s", dir, name);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		buf_setf(why, "cannot write '%s': %s", tmp.data,
			 strerror(errno));
		res = TEMPORARY;
	}
	if (fd >= 0 && close(fd) < 0 && res == SENT) {
		buf_setf(why, "cannot write '%s': %s", tmp.data,
			 strerror(errno));
		res = TEMPORARY;
	}
	if (res == SENT && rename(tmp.data, dst.data) < 0) {
		buf_setf(why, "cannot move '%s' to '%s': %s", tmp.data,
			 dst.data, strerror(errno));
		res = TEMPORARY;
	}
	if (res != SENT)
		unlink(tmp.data);
	buf_release(&tmp);
	buf_release(&dst);
	return res;
}

static enum transport_result
maildir_send(struct transport *t, int64_t name, const void *raw, size_t len,
	     struct buf *why)
{
	struct buf nw = BUF_INIT, tmp = BUF_INIT, file = BUF_INIT;
	enum transport_result res;

	buf_addf(&nw, "%s/new", t->mc->maildir);
	buf_addf(&tmp, "%s/tmp", t->mc->maildir);
	if (mkdir_p(nw.data, 0750) < 0 || mkdir_p(tmp.data, 0750) < 0 ||
	    mkdir_p(t->mc->maildir, 0750) < 0) {
		buf_setf(why, "cannot make the Maildir '%s': %s",
			 t->mc->maildir, strerror(errno));
		res = TEMPORARY;
	} else {
		{
			struct buf cur = BUF_INIT;

			buf_addf(&cur, "%s/cur", t->mc->maildir);
			(void)mkdir_p(cur.data, 0750);
			buf_release(&cur);
		}
		buf_addf(&file, "majlis.%lld.outbox", (long long)name);
		res = spool(nw.data, tmp.data, file.data, raw, len, why);
	}
	buf_release(&nw);
	buf_release(&tmp);
	buf_release(&file);
	return res;
}

const char *
transport_down(const struct transport *t)
{
	return t->down.len ? t->down.data : NULL;
}

enum transport_result
transport_send(struct transport *t, int64_t name, const char *from,
	       const char *to, const void *raw, size_t len, struct buf *why)
{
	if (t->mc->transport == TRANSPORT_MAILDIR)
		return maildir_send(t, name, raw, len, why);
	return smtp_send(t, from, to, raw, len, why);
}

/* UTF-8 to UTF-16LE, with its byte-order mark. Returns -1 on bad input. */
static int
utf16le(const char *s, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	buf_add(out, "\xff\xfe", 2);
	while (p < end) {
		unsigned cp, n;

		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			n = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			n = 3;
		} else if ((*p & 0xF8) == 0xF0) {
			cp = *p & 0x07;
			n = 4;
		} else {
			return -1;
		}
		if ((size_t)(end - p) < n)
			return -1;
		for (unsigned i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		p += n;
		if (cp >= 0x10000) {
			unsigned hi = 0xD800 + ((cp - 0x10000) >> 10);
			unsigned lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);

			buf_addch(out, (int)(hi & 0xFF));
			buf_addch(out, (int)(hi >> 8));
			buf_addch(out, (int)(lo & 0xFF));
			buf_addch(out, (int)(lo >> 8));
		} else {
			buf_addch(out, (int)(cp & 0xFF));
			buf_addch(out, (int)(cp >> 8));
		}
	}
	return 0;
}

enum transport_result
transport_sms(const struct mail_config *mc, int64_t name, int64_t when,
	      const char *number, const char *text, size_t len,
	      struct buf *why)
{
	struct buf dir = BUF_INIT, tmp = BUF_INIT, file = BUF_INIT;
	struct buf body = BUF_INIT;
	enum transport_result res;
	struct tm tm;
	time_t tt = (time_t)when;

	/* The number is ours (a person's, checked on import): digits and
	 * a leading +, nothing that could make a path. */
	for (const char *p = number; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (p == number && *p == '+'))) {
			buf_setf(why, "not a phone number: '%s'", number);
			return PERMANENT;
		}
	if (!*number || utf16le(text, len, &body) < 0) {
		buf_setf(why, "not a phone number or not UTF-8 text");
		buf_release(&body);
		return PERMANENT;
	}
	gmtime_r(&tt, &tm);
	buf_addstr(&dir, mc->sms_spool);
	/* Written beside the spool folder, then moved in: the daemon
	 * never sees half a file. */
	buf_addf(&tmp, "%s.tmp", mc->sms_spool);
	buf_addf(&file, "OUTB%04d%02d%02d_%02d%02d%02d_00_%s_majlis%lld.txt",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, number, (long long)name);
	if (mkdir_p(dir.data, 0750) < 0 || mkdir_p(tmp.data, 0750) < 0) {
		buf_setf(why, "cannot make '%s': %s", dir.data,
			 strerror(errno));
		res = TEMPORARY;
	} else {
		res = spool(dir.data, tmp.data, file.data, body.data, body.len,
			    why);
	}
	buf_release(&dir);
	buf_release(&tmp);
	buf_release(&file);
	buf_release(&body);
	return res;
}
