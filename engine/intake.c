/*
 * intake.c - one incoming message, one typed event (see intake.h).
 *
 * Layout: tokens in addresses and Message-IDs; the signs of automatic
 * mail, lists, loops and failed authentication; read receipts;
 * calendar answers; contact cards; the text of a reply; the entry point.
 */
#include "intake.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reply.h"
#include "sys.h"
#include "text.h"

/* Whether s starts with a token's 20 base32 letters (any case). */
static int
base32_token(const char *s)
{
	for (int i = 0; i < TOKEN_LEN; i++) {
		int c = tolower((unsigned char)s[i]);

		if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')))
			return -1;
	}
	return 0;
}

/* Sets token from s, lower case: only once all is checked, so that a
 * failed match leaves token as it was. */
static void
copy_token(const char *s, char token[TOKEN_LEN + 1])
{
	for (int i = 0; i < TOKEN_LEN; i++)
		token[i] = (char)tolower((unsigned char)s[i]);
	token[TOKEN_LEN] = '\0';
}

int
intake_token_of_address(const char *own, const char *addr,
			char token[TOKEN_LEN + 1])
{
	const char *at = own ? strchr(own, '@') : NULL;
	size_t local;

	if (!at || !addr)
		return -1;
	local = (size_t)(at - own);
	if (strncasecmp(addr, own, local) || strncasecmp(addr + local, "+t.", 3))
		return -1;
	addr += local + 3;
	if (base32_token(addr) || addr[TOKEN_LEN] != '@' ||
	    strcasecmp(addr + TOKEN_LEN + 1, at + 1))
		return -1;
	copy_token(addr, token);
	return 0;
}

int
intake_token_of_msgid(const char *own, const char *msgid,
		      char token[TOKEN_LEN + 1])
{
	const char *at = own ? strchr(own, '@') : NULL;
	const char *dot, *p;

	if (!at || !msgid)
		return -1;
	while (*msgid == '<' || *msgid == ' ')
		msgid++;
	dot = strchr(msgid, '.');
	if (!dot || dot == msgid || dot - msgid > 8)
		return -1;
	for (p = msgid; p < dot; p++)
		if (!isalpha((unsigned char)*p))
			return -1;
	p = dot + 1;
	if (base32_token(p) || p[TOKEN_LEN] != '@' ||
	    strncasecmp(p + TOKEN_LEN + 1, at + 1, strlen(at + 1)) ||
	    (p[TOKEN_LEN + 1 + strlen(at + 1)] != '\0' &&
	     p[TOKEN_LEN + 1 + strlen(at + 1)] != '>'))
		return -1;
	copy_token(p, token);
	return 0;
}

/* The token of a message: its plus-addresses first, then the Message-IDs
 * it answers. */
static void
find_token(const struct mailin *m, const struct intake_config *cfg,
	   struct intake_event *ev)
{
	char *refs, *save = NULL;

	for (size_t i = 0; i < m->nto; i++)
		if (!intake_token_of_address(cfg->own, m->to[i].addr,
					     ev->token)) {
			ev->token_in = "address";
			return;
		}
	for (size_t i = 0; i < m->ndelivered; i++)
		if (!intake_token_of_address(cfg->own, m->delivered_to[i],
					     ev->token)) {
			ev->token_in = "address";
			return;
		}
	if (m->in_reply_to &&
	    !intake_token_of_msgid(cfg->own, m->in_reply_to, ev->token)) {
		ev->token_in = "in-reply-to";
		return;
	}
	if (!m->references)
		return;
	/* The last reference is the message answered. */
	refs = xstrdup(m->references);
	for (char *r = strtok_r(refs, " ", &save); r;
	     r = strtok_r(NULL, " ", &save)) {
		char t[TOKEN_LEN + 1];

		if (!intake_token_of_msgid(cfg->own, r, t)) {
			memcpy(ev->token, t, sizeof(t));
			ev->token_in = "references";
		}
	}
	free(refs);
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

/* RFC 3834 and what the common auto-responders write instead. */
static int
is_auto_reply(const struct mailin *m)
{
	static const char *const subjects[] = {
		"réponse automatique", "reponse automatique", "absence",
		"absent du bureau", "out of office", "out of the office",
		"automatic reply", "auto reply", "auto-reply", "autoreply",
		"auto:", "away from", "vacation", "congé", "en congé",
		"رد تلقائي", "الرد التلقائي", "خارج المكتب", "غائب عن المكتب",
		"abwesenheit",
	};

	if (m->auto_submitted && strcmp(m->auto_submitted, "no"))
		return 1;
	if (m->x_autoreply)
		return 1;
	if (m->precedence && (!strcmp(m->precedence, "auto_reply") ||
			      !strcmp(m->precedence, "auto-reply")))
		return 1;
	for (size_t i = 0; i < sizeof(subjects) / sizeof(*subjects); i++)
		if (contains_ci(m->subject, subjects[i]))
			return 1;
	return 0;
}

/*
 * What our server's Authentication-Results say (only those from
 * authserv, the first word of the field; others may be forged): *failed
 * for dmarc=fail, or dkim=fail with no dkim=pass; *passed for dmarc=pass
 * or dkim=pass, when the From can be trusted to be who sent it, so that
 * an answer to it is no backscatter.
 */
static void
auth_results(const struct mailin *m, const char *authserv, int *failed,
	     int *passed)
{
	*failed = *passed = 0;
	if (!authserv)
		return;
	for (size_t i = 0; i < m->nauth; i++) {
		const char *v = m->auth_results[i];
		size_t n = strlen(authserv);

		while (*v == ' ')
			v++;
		if (strncasecmp(v, authserv, n) || (v[n] != ';' && v[n] != ' '))
			continue;
		if (contains_ci(v, "dmarc=fail") ||
		    (contains_ci(v, "dkim=fail") && !contains_ci(v, "dkim=pass")))
			*failed = 1;
		else if (contains_ci(v, "dmarc=pass") ||
			 contains_ci(v, "dkim=pass"))
			*passed = 1;
	}
	if (*failed)
		*passed = 0;
}

static int
from_us(const struct mailin *m, const char *own)
{
	const char *at = own ? strchr(own, '@') : NULL;

	if (!at || !m->from.addr)
		return 0;
	/* our address, or one of its plus-addresses */
	if (!strcasecmp(m->from.addr, own))
		return 1;
	return !strncasecmp(m->from.addr, own, (size_t)(at - own)) &&
	       m->from.addr[at - own] == '+' &&
	       strchr(m->from.addr, '@') &&
	       !strcasecmp(strchr(m->from.addr, '@'), at);
}

static char *
lower_dup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = xstrdup(s);
	for (char *c = d; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return d;
}

/* A field of a message/disposition-notification body. */
static int
mdn_field(const char *text, const char *name, struct buf *out)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p;) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ' || *v == '\t')
				v++;
			e = strchr(v, '\n');
			buf_reset(out);
			buf_add(out, v, e ? (size_t)(e - v) : strlen(v));
			buf_rtrim(out);
			return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void
read_mdn(const struct mailin *m, const struct mailin_part *p,
	 const struct intake_config *cfg, struct intake_event *ev)
{
	struct buf v = BUF_INIT;

	if (p && p->is_text) {
		if (mdn_field(p->body.data, "Original-Message-ID", &v)) {
			char *a = v.data, *e;

			while (*a == '<' || *a == ' ')
				a++;
			if ((e = strchr(a, '>')))
				*e = '\0';
			if (*a)
				ev->original_id = xstrdup(a);
		}
		if (mdn_field(p->body.data, "Disposition", &v)) {
			/* "manual-action/MDN-sent-manually; displayed" */
			const char *semi = strrchr(v.data, ';');
			const char *d = semi ? semi + 1 : v.data;

			while (*d == ' ')
				d++;
			snprintf(ev->disposition, sizeof(ev->disposition),
				 "%.*s", (int)strcspn(d, " /;\r\n"), d);
			for (char *c = ev->disposition; *c; c++)
				*c = (char)tolower((unsigned char)*c);
		}
	}
	if (!ev->token[0] && ev->original_id &&
	    !intake_token_of_msgid(cfg->own, ev->original_id, ev->token))
		ev->token_in = "original-message-id";
	(void)m;
	buf_release(&v);
}

/* A contact card: a part of a vCard type, or a .vcf file. */
static const struct mailin_part *
find_vcard(const struct mailin *m)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];
		const char *f = p->filename;
		size_t n = f ? strlen(f) : 0;

		if (!strcmp(p->type, "text/vcard") ||
		    !strcmp(p->type, "text/x-vcard") ||
		    !strcmp(p->type, "text/directory") ||
		    (n > 4 && !strcasecmp(f + n - 4, ".vcf")))
			return p;
	}
	return NULL;
}

/* The calendar part of a calendar answer: text/calendar (or an .ics
 * attachment) whose method, declared or inside, is REPLY or COUNTER. */
static const struct mailin_part *
find_calendar(const struct mailin *m)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];
		const char *f = p->filename;
		size_t n = f ? strlen(f) : 0;

		if (strcmp(p->type, "text/calendar") &&
		    strcmp(p->type, "application/ics") &&
		    !(n > 4 && !strcasecmp(f + n - 4, ".ics")))
			continue;
		if (p->method && (!strcmp(p->method, "reply") ||
				  !strcmp(p->method, "counter")))
			return p;
		if (contains_ci(p->body.data, "METHOD:REPLY") ||
		    contains_ci(p->body.data, "METHOD:COUNTER"))
			return p;
	}
	return NULL;
}

/* The files that came with a reply or a form: attachments, and named
 * parts that are not its text; not the calendar, not an enclosed
 * message. */
static void
keep_files(const struct mailin *m, struct intake_event *ev)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];
		struct intake_file *f;

		if (!p->attachment && !p->filename)
			continue;
		if (!strcmp(p->type, "text/calendar") ||
		    !strcmp(p->type, "application/ics") ||
		    !strncmp(p->type, "message/", 8) || !p->body.len)
			continue;
		ev->files = xrealloc(ev->files,
				     (ev->nfiles + 1) * sizeof(*ev->files));
		f = &ev->files[ev->nfiles++];
		f->name = xstrdup(p->filename ? p->filename : "");
		f->type = xstrdup(p->type);
		buf_init(&f->data);
		buf_add(&f->data, p->body.data, p->body.len);
	}
}

/* A form in the body, else in a text attachment. */
static int
find_form(const struct mailin *m, const struct buf *body, struct form *f)
{
	if (form_read(body->data, f))
		return 1;
	form_release(f);
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];

		if (p->is_text && p->attachment &&
		    !strcmp(p->type, "text/plain") &&
		    form_read(p->body.data, f))
			return 1;
		form_release(f);
	}
	return 0;
}

/* The text of a reply: the first plain text part that is not an
 * attachment nor inside an enclosed message, else the HTML's text. */
static void
reply_text(const struct mailin *m, struct buf *out)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];

		if (p->is_text && !p->attachment &&
		    !strcmp(p->type, "text/plain")) {
			buf_add(out, p->body.data, p->body.len);
			return;
		}
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mailin_part *p = &m->parts[i];

		if (p->is_text && !p->attachment &&
		    !strcmp(p->type, "text/html")) {
			reply_html_text(p->body.data, p->body.len, out);
			return;
		}
	}
}

enum majlis_status
intake_classify(const char *raw, size_t len, const struct intake_config *cfg,
		struct intake_event *ev, struct buf *err)
{
	struct mailin m;
	const struct mailin_part *p;
	enum majlis_status rc;

	memset(ev, 0, sizeof(*ev));
	buf_init(&ev->text);
	buf_init(&ev->vcard);
	rc = mailin_parse(raw, len, cfg->limits, &m, err);
	if (rc != MAJLIS_OK) {
		mailin_release(&m);
		return rc;
	}
	if (m.message_id)
		ev->message_id = xstrdup(m.message_id);
	ev->sender = lower_dup(m.from.addr);
	ev->subject = xstrdup(m.subject);
	ev->list = m.list_id != NULL ||
		   (m.precedence && (!strcmp(m.precedence, "list") ||
				     !strcmp(m.precedence, "bulk") ||
				     !strcmp(m.precedence, "junk")));
	ev->loop = from_us(&m, cfg->own);
	auth_results(&m, cfg->authserv, &ev->auth_failed, &ev->auth_passed);
	find_token(&m, cfg, ev);

	if (bounce_read(&m, &ev->bounce)) {
		ev->kind = INTAKE_DSN;
		snprintf(ev->reason, sizeof(ev->reason), "%s delivery report",
			 ev->bounce.standard ? "a standard" : "a non-standard");
		/* The failed message's own token, from its Message-ID. */
		if (!ev->token[0] && ev->bounce.original_id &&
		    !intake_token_of_msgid(cfg->own, ev->bounce.original_id,
					   ev->token))
			ev->token_in = "original-message-id";
	} else if ((m.report_type &&
		    !strcmp(m.report_type, "disposition-notification")) ||
		   mailin_find(&m, "message/disposition-notification")) {
		ev->kind = INTAKE_MDN;
		read_mdn(&m, mailin_find(&m, "message/disposition-notification"),
			 cfg, ev);
		snprintf(ev->reason, sizeof(ev->reason), "a read receipt (%s)",
			 ev->disposition[0] ? ev->disposition : "?");
	} else if ((p = find_calendar(&m))) {
		rc = ical_read_answer(p->body.data, p->body.len, &ev->answer,
				      err);
		if (rc == MAJLIS_OK) {
			ev->kind = strcmp(ev->answer.method, "COUNTER")
					   ? INTAKE_IMIP_REPLY
					   : INTAKE_IMIP_COUNTER;
			snprintf(ev->reason, sizeof(ev->reason),
				 "a calendar %s (%s)", ev->answer.method,
				 ev->answer.partstat);
			/* Calendar clients do not thread: the ORGANIZER
			 * keeps the token when the To does not. */
			if (!ev->token[0] && ev->answer.organizer &&
			    !intake_token_of_address(cfg->own,
						     ev->answer.organizer,
						     ev->token))
				ev->token_in = "organizer";
		}
	} else if (is_auto_reply(&m)) {
		ev->kind = INTAKE_AUTO_REPLY;
		snprintf(ev->reason, sizeof(ev->reason), "an automatic reply%s",
			 m.auto_submitted ? " (Auto-Submitted)" : "");
	} else if ((p = find_vcard(&m))) {
		ev->kind = INTAKE_VCARD;
		buf_add(&ev->vcard, p->body.data, p->body.len);
		snprintf(ev->reason, sizeof(ev->reason), "a contact card");
	} else {
		reply_text(&m, &ev->text);
		ev->arabic = text_has_arabic(ev->text.data);
		keep_files(&m, ev);
		if (ev->token[0]) {
			ev->kind = INTAKE_TEXT_REPLY;
			snprintf(ev->reason, sizeof(ev->reason),
				 "a reply (token in %s)", ev->token_in);
		} else if (find_form(&m, &ev->text, &ev->form)) {
			ev->kind = INTAKE_FORM;
			snprintf(ev->reason, sizeof(ev->reason),
				 "a %s form, %zu field%s to fix",
				 ev->form.kind == FORM_PETITION ? "petition"
								: "dossier",
				 ev->form.nerrors,
				 ev->form.nerrors == 1 ? "" : "s");
		} else {
			ev->kind = INTAKE_UNKNOWN;
			snprintf(ev->reason, sizeof(ev->reason),
				 "no reply token: not an answer to a mail of "
				 "majlis");
		}
	}
	mailin_release(&m);
	return rc;
}

void
intake_event_release(struct intake_event *ev)
{
	free(ev->message_id);
	free(ev->sender);
	free(ev->subject);
	buf_release(&ev->text);
	ical_answer_release(&ev->answer);
	bounce_release(&ev->bounce);
	free(ev->original_id);
	buf_release(&ev->vcard);
	form_release(&ev->form);
	for (size_t i = 0; i < ev->nfiles; i++) {
		free(ev->files[i].name);
		free(ev->files[i].type);
		buf_release(&ev->files[i].data);
	}
	free(ev->files);
	memset(ev, 0, sizeof(*ev));
}

const char *
intake_kind_name(enum intake_kind k)
{
	static const char *const names[] = {
		[INTAKE_DSN] = "dsn",
		[INTAKE_MDN] = "mdn",
		[INTAKE_IMIP_REPLY] = "imip-reply",
		[INTAKE_IMIP_COUNTER] = "imip-counter",
		[INTAKE_AUTO_REPLY] = "auto-reply",
		[INTAKE_VCARD] = "vcard",
		[INTAKE_TEXT_REPLY] = "text-reply",
		[INTAKE_FORM] = "form",
		[INTAKE_UNKNOWN] = "unknown",
	};

	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "?";
}
