/*
 * bounce.c - reading delivery failures (see bounce.h).
 *
 * In order of trust:
 * 1. a message/delivery-status part (RFC 3464): each recipient block's
 *    Final-Recipient (else Original-Recipient), Action, Status and
 *    Diagnostic-Code; only "failed" and "delayed" recipients count;
 * 2. Exim's X-Failed-Recipients header;
 * 3. the text a person would read: addresses near the words that say a
 *    delivery failed, or the enclosed original's recipient; a status code
 *    written in it (5.1.1), else the SMTP reply (550), else what its
 *    words say ("user unknown" is 5.1.1).
 * Whether a message is a bounce at all: a delivery report, a failed
 * recipient header, or a mailer daemon's sender with a subject or a text
 * that says so; an auto-reply ("Auto-Submitted: auto-replied" alone) and
 * a feedback report (RFC 5965, a complaint) are not one.
 *
 * Layout: text helpers; RFC 3464; the enclosed original; the text; the
 * entry point.
 */
#include "bounce.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys.h"

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * needle (written in small letters) in hay, ASCII case folded. A loop of
 * its own rather than strncasecmp() at each place: the bounce's texts are
 * searched for dozens of phrases, and the call and its locale cost most
 * of reading one.
 */
static const char *
find_ci(const char *hay, const char *needle)
{
	const unsigned char *h = (const unsigned char *)hay;
	const unsigned char *nd = (const unsigned char *)needle;
	int first = lower_ascii(nd[0]);

	if (!first)
		return hay;
	for (; *h; h++) {
		size_t k;

		if (lower_ascii(*h) != first)
			continue;
		for (k = 1; nd[k] && lower_ascii(h[k]) == nd[k]; k++)
			;
		if (!nd[k])
			return (const char *)h;
	}
	return NULL;
}

static int
addr_char(int c)
{
	return isalnum(c) || strchr("._%+-=/'!#$&*?^`{|}~", c);
}

static int
domain_char(int c)
{
	return isalnum(c) || c == '.' || c == '-';
}

/*
 * The next address in s at or after *pos: local@domain with a dot in
 * the domain. out gets it (lower-case domain); returns 0, or -1 when
 * there is none. *pos moves past it.
 */
static int
next_addr(const char *s, size_t *pos, struct buf *out)
{
	const char *p = s + *pos;

	for (const char *at = strchr(p, '@'); at; at = strchr(at + 1, '@')) {
		const char *a = at, *b = at + 1;
		int dot = 0;

		if (a > s && a[-1] == '"') {
			/* A quoted local part: "neko..nyaan"@example.org */
			const char *q = a - 1;

			while (q > s && q[-1] != '"' && q[-1] != '\n')
				q--;
			if (q > s && q[-1] == '"')
				a = q - 1;
		} else {
			while (a > s && addr_char((unsigned char)a[-1]))
				a--;
		}
		while (*b && domain_char((unsigned char)*b)) {
			dot |= *b == '.';
			b++;
		}
		while (b > at + 1 && (b[-1] == '.' || b[-1] == '-'))
			b--;
		while (a < at && *a != '"' &&
		       (*a == '.' || *a == '=' || *a == '/' || *a == '\''))
			a++;
		if (a == at || b == at + 1 || !dot || b - a > 254)
			continue;
		buf_reset(out);
		buf_add(out, a, (size_t)(at - a) + 1);
		for (const char *c = at + 1; c < b; c++)
			buf_addch(out, tolower((unsigned char)*c));
		*pos = (size_t)(b - s);
		return 0;
	}
	return -1;
}

/* Whether addr is a mail system's own: the daemon that writes bounces. */
static int
is_daemon(const char *addr)
{
	static const char *const daemons[] = {
		"mailer-daemon@", "postmaster@", "mailerdaemon@",
		"mail-daemon@",	  "noreply@",	 "no-reply@",
		"root@",	  "double-bounce@", "bounce@",
		"bounces@",
	};

	for (size_t i = 0; i < sizeof(daemons) / sizeof(*daemons); i++)
		if (!strncasecmp(addr, daemons[i], strlen(daemons[i])))
			return 1;
	return 0;
}

/* Whether an address found in a bounce's text is not the failed
 * recipient: a daemon's, or one of the bounce's own header (it is
 * addressed to us, from the daemon). */
static int
not_a_recipient(const char *addr, const struct mailin *m)
{
	if (is_daemon(addr))
		return 1;
	if (m->from.addr && !strcasecmp(addr, m->from.addr))
		return 1;
	for (size_t i = 0; i < m->nto; i++)
		if (!strcasecmp(addr, m->to[i].addr))
			return 1;
	if (m->return_path && !strcasecmp(addr, m->return_path))
		return 1;
	/* Message-IDs look like addresses. */
	if (m->message_id && !strcasecmp(addr, m->message_id))
		return 1;
	return 0;
}

static void
add_rcpt(struct bounce *b, const char *addr, const char *status,
	 const char *diag)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcasecmp(b->rcpt[i].addr, addr)) {
			if (!b->rcpt[i].status[0] && status)
				snprintf(b->rcpt[i].status,
					 sizeof(b->rcpt[i].status), "%s",
					 status);
			return;
		}
	b->rcpt = xrealloc(b->rcpt, (b->n + 1) * sizeof(*b->rcpt));
	memset(&b->rcpt[b->n], 0, sizeof(b->rcpt[b->n]));
	b->rcpt[b->n].addr = xstrdup(addr);
	if (status)
		snprintf(b->rcpt[b->n].status, sizeof(b->rcpt[b->n].status),
			 "%s", status);
	if (diag && *diag)
		b->rcpt[b->n].diagnostic = xstrdup(diag);
	b->n++;
}

/* An enhanced status code "c.s.d" at s (class 2, 4 or 5; subject and
 * detail of 1 to 3 digits), not inside a longer number or version. */
static int
status_at(const char *base, const char *s, char out[16])
{
	const char *p = s;
	int n1 = 0, n2 = 0;

	if (s > base && (isdigit((unsigned char)s[-1]) || s[-1] == '.'))
		return 0;
	if (*p != '2' && *p != '4' && *p != '5')
		return 0;
	if (*++p != '.')
		return 0;
	for (p++; isdigit((unsigned char)*p) && n1 < 4; p++)
		n1++;
	if (!n1 || n1 > 3 || *p != '.')
		return 0;
	for (p++; isdigit((unsigned char)*p) && n2 < 4; p++)
		n2++;
	if (!n2 || n2 > 3 || *p == '.' || isdigit((unsigned char)*p))
		return 0;
	snprintf(out, 16, "%.*s", (int)(p - s), s);
	return 1;
}

/* The first failure status in text: an enhanced code (4 or 5), else an
 * SMTP reply code (4xx, 5xx) as x.0.0. */
static int
find_status(const char *text, char out[16])
{
	for (const char *p = text; *p; p++)
		if ((*p == '4' || *p == '5') && status_at(text, p, out))
			return 1;
	for (const char *p = text; *p; p++) {
		if ((*p == '4' || *p == '5') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) &&
		    (p == text || !isalnum((unsigned char)p[-1])) &&
		    (p[3] == ' ' || p[3] == '-') &&
		    p[1] <= '5') {
			snprintf(out, 16, "%c.0.0", *p);
			return 1;
		}
	}
	return 0;
}

/* What the words of a failure say, as a status code. */
static int
status_from_words(const char *text, char out[16])
{
	static const struct {
		const char *words, *status;
	} w[] = {
		{ "user unknown", "5.1.1" },
		{ "unknown user", "5.1.1" },
		{ "no such user", "5.1.1" },
		{ "no such recipient", "5.1.1" },
		{ "does not exist", "5.1.1" },
		{ "doesn't exist", "5.1.1" },
		{ "no mailbox", "5.1.1" },
		{ "mailbox unavailable", "5.1.1" },
		{ "unknown recipient", "5.1.1" },
		{ "invalid recipient", "5.1.1" },
		{ "recipient address rejected", "5.1.1" },
		{ "address rejected", "5.1.1" },
		{ "not our customer", "5.1.1" },
		{ "user not found", "5.1.1" },
		{ "account has been disabled", "5.2.1" },
		{ "account disabled", "5.2.1" },
		{ "inactive", "5.2.1" },
		{ "suspended", "5.2.1" },
		{ "mailbox full", "5.2.2" },
		{ "mailbox is full", "5.2.2" },
		{ "over quota", "5.2.2" },
		{ "quota exceeded", "5.2.2" },
		{ "exceeded storage", "5.2.2" },
		{ "too large", "5.3.4" },
		{ "size limit", "5.3.4" },
		{ "host not found", "5.1.2" },
		{ "domain not found", "5.1.2" },
		{ "unrouteable", "5.1.2" },
		{ "no mx", "5.1.2" },
		{ "name service error", "5.1.2" },
		{ "relay", "5.7.1" },
		{ "spam", "5.7.1" },
		{ "blocked", "5.7.1" },
		{ "blacklist", "5.7.1" },
		{ "rejected", "5.7.1" },
		{ "refused", "5.7.1" },
		{ "policy", "5.7.1" },
		{ "timed out", "4.4.7" },
		{ "timeout", "4.4.7" },
		{ "expired", "4.4.7" },
		{ "deferred", "4.4.7" },
		{ "could not be delivered", "5.0.0" },
		{ "undeliverable", "5.0.0" },
		{ "delivery failed", "5.0.0" },
		{ "permanent", "5.0.0" },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(*w); i++)
		if (find_ci(text, w[i].words)) {
			snprintf(out, 16, "%s", w[i].status);
			return 1;
		}
	return 0;
}

/* The value of "Name:" at the start of a line of text, into out. */
static int
field(const char *text, const char *name, struct buf *out)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p;) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ' || *v == '\t')
				v++;
			e = strchr(v, '\n');
			if (!e)
				e = v + strlen(v);
			buf_reset(out);
			buf_add(out, v, (size_t)(e - v));
			buf_rtrim(out);
			return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* 1. The recipient blocks of a message/delivery-status body. */
static void
read_dsn(struct bounce *b, const char *text)
{
	char *copy = xstrdup(text);
	struct buf v = BUF_INIT, addr = BUF_INIT, action = BUF_INIT;
	struct buf status = BUF_INIT, diag = BUF_INIT;
	char *block = copy;

	/* Blocks are separated by blank lines; the first is the
	 * message's own (Reporting-MTA). */
	while (block && *block) {
		char *end = strstr(block, "\n\n");
		size_t pos = 0;

		if (end)
			*end = '\0';
		int have = field(block, "Final-Recipient", &v) &&
			   next_addr(v.data, &pos, &addr) == 0;

		pos = 0;
		if (!have)
			have = field(block, "Original-Recipient", &v) &&
			       next_addr(v.data, &pos, &addr) == 0;
		if (have) {
			char code[16] = "";

			buf_reset(&action);
			field(block, "Action", &action);
			buf_reset(&status);
			buf_reset(&diag);
			field(block, "Diagnostic-Code", &diag);
			if (field(block, "Status", &status))
				status_at(status.data, status.data, code);
			if (!code[0] && diag.len)
				find_status(diag.data, code);
			if (!action.len || !strncasecmp(action.data, "fail", 4) ||
			    !strncasecmp(action.data, "delayed", 7) ||
			    code[0] == '5' || code[0] == '4') {
				if (strncasecmp(action.data, "delivered", 9) &&
				    strncasecmp(action.data, "relayed", 7) &&
				    strncasecmp(action.data, "expanded", 8) &&
				    code[0] != '2' && !is_daemon(addr.data))
					add_rcpt(b, addr.data,
						 code[0] ? code : NULL,
						 diag.data);
			}
		}
		block = end ? end + 2 : NULL;
		while (block && *block == '\n')
			block++;
	}
	free(copy);
	buf_release(&v);
	buf_release(&addr);
	buf_release(&action);
	buf_release(&status);
	buf_release(&diag);
}

/* The enclosed original's Message-ID and recipients (message/rfc822,
 * text/rfc822-headers), read as header lines only. */
static void
read_original(struct bounce *b, const struct mailin *m, struct buf *to)
{
	struct buf v = BUF_INIT;

	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];
		struct buf hdr = BUF_INIT;
		const char *s = p->body.data, *end;

		if (strcmp(p->type, "message/rfc822") &&
		    strcmp(p->type, "text/rfc822-headers"))
			continue;
		/* The header, with CRLF made LF, unfolded. */
		end = strstr(s, "\n\n");
		if (!end)
			end = strstr(s, "\r\n\r\n");
		if (!end)
			end = s + p->body.len;
		for (const char *c = s; c < end; c++) {
			if (*c == '\r')
				continue;
			if (*c == '\n' && (c[1] == ' ' || c[1] == '\t'))
				continue;
			buf_addch(&hdr, *c);
		}
		if (!b->original_id && field(hdr.data, "Message-ID", &v)) {
			char *a = v.data;

			while (*a == '<' || *a == ' ')
				a++;
			if (strchr(a, '>'))
				*strchr(a, '>') = '\0';
			if (*a)
				b->original_id = xstrdup(a);
		}
		if (!to->len && field(hdr.data, "To", &v))
			buf_addstr(to, v.data);
		buf_release(&hdr);
	}
	buf_release(&v);
}

/* Words that say a delivery failed, in the languages servers write. */
static const char *const failure_words[] = {
	"could not be delivered", "couldn't be delivered", "undeliverable",
	"undelivered", "delivery failed", "delivery has failed",
	"failed to deliver", "permanent error", "permanent fatal",
	"fatal error", "failure notice", "returned mail", "returned to sender",
	"delivery status notification", "delivery failure", "not delivered",
	"mail delivery failed", "unable to deliver", "rejected",
	"user unknown", "unknown user", "no such user", "does not exist",
	"mailbox unavailable", "mailbox full", "over quota",
	"delivery to the following", "following address", "following recipient",
	"could not deliver", "message not delivered", "non remis",
	"échec de la remise", "non distribuable", "impossible de remettre",
	"n'a pas pu être remis", "unzustellbar", "nicht zugestellt",
	"تعذر تسليم", "لم يتم تسليم", "error", "failed", "failure",
};

static int
says_failure(const char *s)
{
	for (size_t i = 0; i < sizeof(failure_words) / sizeof(*failure_words);
	     i++)
		if (find_ci(s, failure_words[i]))
			return 1;
	return 0;
}

/* A header-like line of a quoted original ("To: ...", "Received:"),
 * whose addresses are not failed recipients. */
static int
header_line(const char *line)
{
	static const char *const names[] = {
		"from:", "to:", "cc:", "reply-to:", "return-path:",
		"message-id:", "received:", "sender:", "references:",
		"in-reply-to:", "delivered-to:", "x-", "by ", "envelope-from",
		"subject:", "date:", "dkim", "authentication-results:",
		"list-", "arc-",
	};

	while (*line == ' ' || *line == '\t' || *line == '>')
		line++;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strncasecmp(line, names[i], strlen(names[i])))
			return 1;
	return 0;
}

/* 3. The text: the first address near failure words, with a status
 * near it, else the first address at all. */
static void
read_text(struct bounce *b, const struct mailin *m, const char *text)
{
	struct buf addr = BUF_INIT, first = BUF_INIT, line = BUF_INIT;
	char code[16] = "", first_code[16] = "";
	const char *p = text;
	int found = 0;

	while (*p && !found) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p), pos = 0;

		buf_reset(&line);
		buf_add(&line, p, len);
		/* The original message's quoted header is not the report. */
		if (!header_line(line.data)) {
			while (next_addr(line.data, &pos, &addr) == 0) {
				const char *near;
				struct buf win = BUF_INIT;

				if (not_a_recipient(addr.data, m))
					continue;
				/* This line and the four after it. */
				near = p;
				for (int k = 0; k < 5 && near; k++) {
					near = strchr(near, '\n');
					if (near)
						near++;
				}
				buf_add(&win, p,
					near ? (size_t)(near - p) : strlen(p));
				code[0] = '\0';
				if (find_status(win.data, code) ||
				    says_failure(win.data)) {
					if (!code[0])
						status_from_words(win.data, code);
					add_rcpt(b, addr.data,
						 code[0] ? code : NULL, NULL);
					found = 1;
				} else if (!first.len) {
					buf_addstr(&first, addr.data);
				}
				buf_release(&win);
				if (found)
					break;
			}
		}
		p = e ? e + 1 : p + len;
	}
	if (!found && first.len) {
		if (!find_status(text, first_code))
			status_from_words(text, first_code);
		add_rcpt(b, first.data, first_code[0] ? first_code : NULL,
			 NULL);
	}
	buf_release(&addr);
	buf_release(&first);
	buf_release(&line);
}

static int
from_daemon(const struct mailin *m)
{
	static const char *const who[] = {
		"mailer-daemon", "postmaster", "mail delivery",
		"mail-daemon",	 "mailerdaemon", "mail administrator",
		"mail system",	 "mmdf",	 "smtp",
		"post_master",
	};
	const char *addr = m->from.addr ? m->from.addr : "";
	const char *name = m->from.name ? m->from.name : "";

	if (m->return_path && !m->return_path[0])
		return 1;
	for (size_t i = 0; i < sizeof(who) / sizeof(*who); i++)
		if (find_ci(addr, who[i]) || find_ci(name, who[i]))
			return 1;
	return 0;
}

static int
subject_says_bounce(const char *s)
{
	static const char *const words[] = {
		"undeliver", "delivery status", "failure notice",
		"returned mail", "delivery fail", "mail delivery",
		"could not be delivered", "not delivered", "delivery notification",
		"returned to sender", "non remis", "non distribuable",
		"échec de la remise", "unzustellbar", "mail system error",
		"delivery problem", "failed delivery", "delivery has failed",
		"warning: could not send", "rejected", "nondeliverable",
		"bounce", "mail failure", "delivery error", "error sending",
		"failed mail", "تعذر تسليم", "لم يتم تسليم",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (find_ci(s, words[i]))
			return 1;
	return 0;
}

/* The text of the report a person reads: the text parts outside any
 * enclosed message, HTML when there is no plain text. */
static void
report_text(const struct mailin *m, struct buf *out)
{
	for (int pass = 0; pass < 2 && !out->len; pass++)
		for (size_t i = 0; i < m->nparts; i++) {
			const struct mailin_part *p = &m->parts[i];

			if (!p->is_text || p->attachment)
				continue;
			if (strcmp(p->type, pass ? "text/html" : "text/plain"))
				continue;
			buf_add(out, p->body.data, p->body.len);
			buf_addch(out, '\n');
		}
}

int
bounce_read(const struct mailin *m, struct bounce *b)
{
	const struct mailin_part *dsn =
		mailin_find(m, "message/delivery-status");
	struct buf text = BUF_INIT, to = BUF_INIT;
	int is_bounce;

	memset(b, 0, sizeof(*b));
	/* A complaint about a message (RFC 5965) is not a failure. */
	if ((m->report_type && !strcmp(m->report_type, "feedback-report")) ||
	    mailin_find(m, "message/feedback-report"))
		return 0;
	report_text(m, &text);
	is_bounce = dsn != NULL ||
		    (m->report_type && !strcmp(m->report_type,
					       "delivery-status")) ||
		    m->failed_recipients != NULL ||
		    (from_daemon(m) && (subject_says_bounce(m->subject) ||
					says_failure(text.data)));
	if (!is_bounce) {
		buf_release(&text);
		return 0;
	}
	if (dsn && dsn->is_text) {
		read_dsn(b, dsn->body.data);
		b->standard = b->n > 0;
	}
	read_original(b, m, &to);
	if (!b->n && m->failed_recipients) {
		size_t pos = 0;
		struct buf addr = BUF_INIT;
		char code[16] = "";

		if (!find_status(text.data, code))
			status_from_words(text.data, code);
		while (next_addr(m->failed_recipients, &pos, &addr) == 0)
			if (!is_daemon(addr.data))
				add_rcpt(b, addr.data, code[0] ? code : NULL,
					 NULL);
		buf_release(&addr);
	}
	if (!b->n && text.len)
		read_text(b, m, text.data);
	if (!b->n && to.len) {
		size_t pos = 0;
		struct buf addr = BUF_INIT;
		char code[16] = "";

		if (!find_status(text.data, code))
			status_from_words(text.data, code);
		if (next_addr(to.data, &pos, &addr) == 0 &&
		    !not_a_recipient(addr.data, m))
			add_rcpt(b, addr.data, code[0] ? code : NULL, NULL);
		buf_release(&addr);
	}
	/* A recipient without a status: the text's, else its words'. */
	for (size_t i = 0; i < b->n; i++)
		if (!b->rcpt[i].status[0] &&
		    !find_status(text.data, b->rcpt[i].status))
			status_from_words(text.data, b->rcpt[i].status);
	b->temporary = b->n > 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->rcpt[i].status[0] != '4')
			b->temporary = 0;
	buf_release(&text);
	buf_release(&to);
	return 1;
}

void
bounce_release(struct bounce *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->rcpt[i].addr);
		free(b->rcpt[i].diagnostic);
	}
	free(b->rcpt);
	free(b->original_id);
	memset(b, 0, sizeof(*b));
}
