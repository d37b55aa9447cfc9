/*
 * mailin.c - reading incoming messages with libetpan (see mailin.h).
 *
 * Follows RFC 5322 (header), RFC 2045-2047 (MIME, encoded words) and
 * RFC 2231 (parameters, as libetpan decodes them), leniently where mail
 * in the wild bends them: LF line ends, an mbox "From " line first,
 * stray NUL bytes in the body (dropped), undeclared 8-bit text (read as
 * UTF-8, else as windows-1252), unknown charsets (the part is kept
 * undecoded). Refused, before libetpan sees anything: a message past
 * the limits, a NUL byte in the header, a header line too long, too many header
 * fields, more multiparts than parts allowed (libetpan recurses into
 * each). A message/rfc822 part inside is not parsed: it is kept whole,
 * for a bounce's reader to look at its header.
 *
 * Layout: the checks before parsing; small helpers; the header fields;
 * the MIME tree; the entry points.
 */
#include "mailin.h"

#include <ctype.h>
#include <libetpan/libetpan.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "defs.h"
#include "sys.h"
#include "text.h"

const struct mailin_limits mailin_limits_default = {
	.max_bytes = 25u << 20,
	.max_header_line = 16384,
	.max_headers = 1000,
	.max_depth = 16,
	.max_parts = 200,
	.max_part = 25u << 20,
	.max_total = 50u << 20,
};

/* The checks on the raw bytes, before libetpan. */
static enum majlis_status
precheck(const char *raw, size_t len, const struct mailin_limits *lim,
	 struct buf *err)
{
	size_t line = 0, lines = 0, multiparts = 0;
	int in_header = 1;
	const char *p, *end = raw + len;

	if (len > lim->max_bytes)
		return error(err, MAJLIS_ERR_DATA,
			     "a message of %zu bytes, more than %zu", len,
			     lim->max_bytes);
	if (len == 0)
		return error(err, MAJLIS_ERR_DATA, "an empty message");
	for (p = raw; p < end && in_header; p++) {
		if (*p == '\0')
			return error(err, MAJLIS_ERR_DATA,
				     "a NUL byte in the header");
		if (*p == '\n') {
			if (line == 0 || (line == 1 && p[-1] == '\r'))
				in_header = 0;
			else if (p + 1 < end && p[1] != ' ' && p[1] != '\t')
				lines++;
			line = 0;
			continue;
		}
		if (++line > lim->max_header_line)
			return error(err, MAJLIS_ERR_DATA,
				     "a header line longer than %zu bytes",
				     lim->max_header_line);
	}
	if (lines > (size_t)lim->max_headers)
		return error(err, MAJLIS_ERR_DATA,
			     "more than %d header fields", lim->max_headers);
	/* Every multipart names itself so; more of the word than parts
	 * allowed is too deep or too wide for libetpan's recursion. */
	for (p = raw; p + 10 <= end; p++) {
		static const char word[] = "multipart/";
		size_t k;

		/* Base64 bodies are full of m: a loop, not a call each. */
		if ((*p | 0x20) != 'm')
			continue;
		for (k = 1; k < 10 && (p[k] | (k == 9 ? 0 : 0x20)) == word[k];
		     k++)
			;
		if (k == 10 && ++multiparts > (size_t)lim->max_parts)
			return error(err, MAJLIS_ERR_DATA,
				     "more than %d multiparts", lim->max_parts);
	}
	return MAJLIS_OK;
}

static char *
lower_dup(const char *s)
{
	char *d = xstrdup(s);

	for (char *c = d; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return d;
}

/* A header text with RFC 2047 words decoded, as UTF-8 NFC; undeclared
 * 8-bit bytes are read as UTF-8 if they are, else as windows-1252. */
static char *
decode_words(const char *s)
{
	size_t idx = 0;
	char *res = NULL;
	struct buf out = BUF_INIT;

	if (!s)
		return NULL;
	if (mailmime_encoded_phrase_parse(utf8_valid(s, strlen(s))
						  ? "utf-8"
						  : "windows-1252",
					  s, strlen(s), &idx, "utf-8",
					  &res) != MAILIMF_NO_ERROR ||
	    !res) {
		free(res);
		res = xstrdup(s);
	}
	if (text_nfc(res, strlen(res), &out))
		text_to_utf8("windows-1252", res, strlen(res), &out);
	free(res);
	/* Folding left line breaks in some values. */
	for (char *c = out.data; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
	return buf_detach(&out, NULL);
}

static void
add_addr(struct mailin_addr **v, size_t *n, const struct mailimf_mailbox *mb)
{
	if (!mb || !mb->mb_addr_spec)
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = mb->mb_display_name ? decode_words(mb->mb_display_name)
					    : NULL;
	(*v)[*n].addr = xstrdup(mb->mb_addr_spec);
	(*n)++;
}

static void
add_address_list(struct mailin *m, const struct mailimf_address_list *al)
{
	if (!al)
		return;
	for (clistiter *it = clist_begin(al->ad_list); it;
	     it = clist_next(it)) {
		struct mailimf_address *a = clist_content(it);

		if (a->ad_type == MAILIMF_ADDRESS_MAILBOX) {
			add_addr(&m->to, &m->nto, a->ad_data.ad_mailbox);
		} else if (a->ad_data.ad_group &&
			   a->ad_data.ad_group->grp_mb_list) {
			clist *l = a->ad_data.ad_group->grp_mb_list->mb_list;

			for (clistiter *g = clist_begin(l); g;
			     g = clist_next(g))
				add_addr(&m->to, &m->nto, clist_content(g));
		}
	}
}

static void
push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/* A value with the surrounding spaces and angle brackets removed. */
static char *
bare_addr(const char *s)
{
	const char *e;

	while (*s == ' ' || *s == '\t' || *s == '<')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '>' ||
			 e[-1] == '\r' || e[-1] == '\n'))
		e--;
	{
		struct buf b = BUF_INIT;

		buf_add(&b, s, (size_t)(e - s));
		return buf_detach(&b, NULL);
	}
}

static void
optional_field(struct mailin *m, const struct mailimf_optional_field *f)
{
	const char *n = f->fld_name, *v = f->fld_value ? f->fld_value : "";

	if (!n)
		return;
	if (!strcasecmp(n, "Delivered-To") || !strcasecmp(n, "X-Original-To") ||
	    !strcasecmp(n, "Envelope-To")) {
		char *a = bare_addr(v);

		push(&m->delivered_to, &m->ndelivered, a);
		free(a);
	} else if (!strcasecmp(n, "From") && !m->from.addr && !m->from.name) {
		/* Not an address libetpan reads ("MAILER-DAEMON <>"): its
		 * text is kept as the name. */
		m->from.name = decode_words(v);
	} else if (!strcasecmp(n, "Return-Path") && !m->return_path) {
		/* libetpan reads it as a trace field only in some places. */
		m->return_path = bare_addr(v);
	} else if (!strcasecmp(n, "Auto-Submitted") && !m->auto_submitted) {
		char *a = bare_addr(v);

		m->auto_submitted = lower_dup(a);
		free(a);
	} else if (!strcasecmp(n, "Precedence") && !m->precedence) {
		char *a = bare_addr(v);

		m->precedence = lower_dup(a);
		free(a);
	} else if (!strcasecmp(n, "List-Id") && !m->list_id) {
		m->list_id = xstrdup(v);
	} else if (!strcasecmp(n, "X-Autoreply") ||
		   !strcasecmp(n, "X-Autorespond") ||
		   !strcasecmp(n, "X-Autoresponse") ||
		   !strcasecmp(n, "X-Auto-Reply")) {
		m->x_autoreply = 1;
	} else if (!strcasecmp(n, "X-Failed-Recipients") &&
		   !m->failed_recipients) {
		m->failed_recipients = xstrdup(v);
	} else if (!strcasecmp(n, "Authentication-Results")) {
		push(&m->auth_results, &m->nauth, v);
	}
}

static void
header_fields(struct mailin *m, const struct mailimf_fields *fields)
{
	if (!fields)
		return;
	for (clistiter *it = clist_begin(fields->fld_list); it;
	     it = clist_next(it)) {
		const struct mailimf_field *f = clist_content(it);

		m->headers++;
		switch (f->fld_type) {
		case MAILIMF_FIELD_MESSAGE_ID:
			if (!m->message_id && f->fld_data.fld_message_id->mid_value)
				m->message_id = xstrdup(
					f->fld_data.fld_message_id->mid_value);
			break;
		case MAILIMF_FIELD_IN_REPLY_TO: {
			clist *l = f->fld_data.fld_in_reply_to->mid_list;

			if (!m->in_reply_to && l && clist_begin(l))
				m->in_reply_to =
					xstrdup(clist_content(clist_begin(l)));
			break;
		}
		case MAILIMF_FIELD_REFERENCES: {
			clist *l = f->fld_data.fld_references->mid_list;
			struct buf refs = BUF_INIT;

			if (m->references || !l)
				break;
			for (clistiter *r = clist_begin(l); r; r = clist_next(r))
				buf_addf(&refs, "%s%s", refs.len ? " " : "",
					 (const char *)clist_content(r));
			m->references = buf_detach(&refs, NULL);
			break;
		}
		case MAILIMF_FIELD_SUBJECT:
			if (!m->subject)
				m->subject = decode_words(
					f->fld_data.fld_subject->sbj_value);
			break;
		case MAILIMF_FIELD_FROM: {
			struct mailimf_mailbox_list *l =
				f->fld_data.fld_from->frm_mb_list;
			struct mailin_addr *one = NULL;
			size_t n = 0;

			if (m->from.addr || !l || !clist_begin(l->mb_list))
				break;
			add_addr(&one, &n, clist_content(clist_begin(l->mb_list)));
			if (n) {
				/* It wins over an unreadable From before it. */
				free(m->from.name);
				m->from = one[0];
			}
			free(one);
			break;
		}
		case MAILIMF_FIELD_TO:
			add_address_list(m, f->fld_data.fld_to->to_addr_list);
			break;
		case MAILIMF_FIELD_CC:
			add_address_list(m, f->fld_data.fld_cc->cc_addr_list);
			break;
		case MAILIMF_FIELD_REPLY_TO: {
			struct mailin_addr *v = NULL;
			size_t n = 0;
			struct mailimf_address_list *al =
				f->fld_data.fld_reply_to->rt_addr_list;
			struct mailin tmp;

			if (m->reply_to || !al)
				break;
			memset(&tmp, 0, sizeof(tmp));
			add_address_list(&tmp, al);
			v = tmp.to;
			n = tmp.nto;
			if (n)
				m->reply_to = xstrdup(v[0].addr);
			for (size_t i = 0; i < n; i++) {
				free(v[i].name);
				free(v[i].addr);
			}
			free(v);
			break;
		}
		case MAILIMF_FIELD_RETURN_PATH:
			if (!m->return_path &&
			    f->fld_data.fld_return_path->ret_path &&
			    f->fld_data.fld_return_path->ret_path->pt_addr_spec)
				m->return_path = bare_addr(
					f->fld_data.fld_return_path->ret_path
						->pt_addr_spec);
			break;
		case MAILIMF_FIELD_OPTIONAL_FIELD:
			optional_field(m, f->fld_data.fld_optional_field);
			break;
		default:
			break;
		}
	}
}

/* "text/plain", lower case, from libetpan's content type. */
static char *
type_string(const struct mailmime_content *ct)
{
	struct buf t = BUF_INIT;
	const char *major = "application";

	if (!ct || !ct->ct_type) {
		buf_addstr(&t, "text/plain");
		return buf_detach(&t, NULL);
	}
	if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		const struct mailmime_discrete_type *d =
			ct->ct_type->tp_data.tp_discrete_type;

		switch (d->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT: major = "text"; break;
		case MAILMIME_DISCRETE_TYPE_IMAGE: major = "image"; break;
		case MAILMIME_DISCRETE_TYPE_AUDIO: major = "audio"; break;
		case MAILMIME_DISCRETE_TYPE_VIDEO: major = "video"; break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			major = d->dt_extension ? d->dt_extension : "x-unknown";
			break;
		default: break;
		}
	} else {
		const struct mailmime_composite_type *c =
			ct->ct_type->tp_data.tp_composite_type;

		major = c->ct_type == MAILMIME_COMPOSITE_TYPE_MESSAGE ? "message"
			: c->ct_type == MAILMIME_COMPOSITE_TYPE_MULTIPART
				? "multipart"
				: (c->ct_token ? c->ct_token : "x-unknown");
	}
	buf_addf(&t, "%s/%s", major, ct->ct_subtype ? ct->ct_subtype : "");
	for (char *c = t.data; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return buf_detach(&t, NULL);
}

/* The value of content type parameter name, or NULL. */
static const char *
ct_param(const struct mailmime_content *ct, const char *name)
{
	if (!ct || !ct->ct_parameters)
		return NULL;
	for (clistiter *it = clist_begin(ct->ct_parameters); it;
	     it = clist_next(it)) {
		const struct mailmime_parameter *p = clist_content(it);

		if (p->pa_name && !strcasecmp(p->pa_name, name))
			return p->pa_value;
	}
	return NULL;
}


/*
 * An RFC 2231 parameter (name* and its continuations name*0*, name*1
 * ...) from a list of (name, value) pairs, decoded to UTF-8: the first
 * piece may start with charset'language', starred pieces are
 * percent-encoded. NULL when the parameter is not there, or its charset
 * is unknown.
 */
struct param_pair {
	const char *name, *value;
};

static int hex_digit(int c);

static char *
rfc2231(const struct param_pair *v, size_t n, const char *want)
{
	size_t wl = strlen(want);
	struct buf raw = BUF_INIT, out = BUF_INIT;
	char charset[64] = "us-ascii";
	int found = 0;

	/* Pieces in order: name*, or name*0, name*1 ... */
	for (int k = -1; k < 100; k++) {
		const char *piece = NULL;
		int starred = 0;

		for (size_t i = 0; i < n && !piece; i++) {
			const char *nm = v[i].name;
			char num[8];
			size_t nl;

			if (!nm || strncasecmp(nm, want, wl) || nm[wl] != '*')
				continue;
			nm += wl + 1;
			if (k < 0) {
				if (*nm == '\0') {
					piece = v[i].value;
					starred = 1;
				}
				continue;
			}
			snprintf(num, sizeof(num), "%d", k);
			nl = strlen(num);
			if (!strncmp(nm, num, nl) &&
			    (nm[nl] == '\0' || !strcmp(nm + nl, "*"))) {
				piece = v[i].value;
				starred = nm[nl] == '*';
			}
		}
		if (!piece) {
			if (k >= 0)
				break;
			continue;
		}
		if (!found && starred) {
			const char *q1 = strchr(piece, '\'');
			const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;

			if (q2) {
				snprintf(charset, sizeof(charset), "%.*s",
					 (int)(q1 - piece), piece);
				piece = q2 + 1;
			}
		}
		found = 1;
		for (const char *c = piece; *c; c++) {
			int hi, lo;

			if (starred && *c == '%' && c[1] && c[2] &&
			    (hi = hex_digit(c[1])) >= 0 &&
			    (lo = hex_digit(c[2])) >= 0) {
				buf_addch(&raw, hi << 4 | lo);
				c += 2;
			} else {
				buf_addch(&raw, *c);
			}
		}
		if (k < 0)
			break;
	}
	if (found && (!charset[0] ||
		      text_to_utf8(charset[0] ? charset : "utf-8", raw.data,
				   raw.len, &out))) {
		buf_reset(&out);
		if (text_nfc(raw.data, raw.len, &out))
			found = 0;
	}
	buf_release(&raw);
	if (!found) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The file name of a part: Content-Disposition's filename (RFC 2231 or
 * RFC 2047), else Content-Type's name. */
static char *
part_filename(const struct mailmime *mime,
	      const struct mailmime_single_fields *sf)
{
	struct param_pair v[64];
	size_t n = 0;
	char *name;

	if (sf->fld_disposition && sf->fld_disposition->dsp_parms)
		for (clistiter *it =
			     clist_begin(sf->fld_disposition->dsp_parms);
		     it && n < 64; it = clist_next(it)) {
			const struct mailmime_disposition_parm *dp =
				clist_content(it);

			if (dp->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER &&
			    dp->pa_data.pa_parameter)
				v[n++] = (struct param_pair){
					dp->pa_data.pa_parameter->pa_name,
					dp->pa_data.pa_parameter->pa_value
				};
		}
	if ((name = rfc2231(v, n, "filename")))
		return name;
	if (sf->fld_disposition_filename)
		return decode_words(sf->fld_disposition_filename);
	n = 0;
	if (mime->mm_content_type && mime->mm_content_type->ct_parameters)
		for (clistiter *it =
			     clist_begin(mime->mm_content_type->ct_parameters);
		     it && n < 64; it = clist_next(it)) {
			const struct mailmime_parameter *pa = clist_content(it);

			v[n++] = (struct param_pair){ pa->pa_name, pa->pa_value };
		}
	if ((name = rfc2231(v, n, "name")))
		return name;
	return sf->fld_content_name ? decode_words(sf->fld_content_name)
				    : NULL;
}

struct walk {
	struct mailin *m;
	const struct mailin_limits *lim;
	size_t total;
	struct buf *err;
};

/* A text body, decoded: UTF-8 NFC with LF line ends into out. 0, or -1
 * when its charset is unknown or the bytes are not valid in it. */
static int
to_text(const char *charset, const char *s, size_t len, struct buf *out)
{
	struct buf u = BUF_INIT;
	int rc;

	if (!charset || !strcasecmp(charset, "us-ascii")) {
		/* Undeclared, or declared ASCII and 8-bit anyway. */
		rc = text_nfc(s, len, &u);
		if (rc)
			rc = text_to_utf8("windows-1252", s, len, &u);
	} else {
		rc = text_to_utf8(charset, s, len, &u);
	}
	if (rc == 0) {
		/* CRLF and lone CR as LF, in runs rather than bytes. */
		size_t from = 0;

		buf_grow(out, u.len);
		for (size_t i = 0; i < u.len; i++) {
			if (u.data[i] != '\r')
				continue;
			buf_add(out, u.data + from, i - from);
			if (i + 1 >= u.len || u.data[i + 1] != '\n')
				buf_addch(out, '\n');
			from = i + 1;
		}
		buf_add(out, u.data + from, u.len - from);
	}
	buf_release(&u);
	return rc;
}

static enum majlis_status walk_part(struct walk *w, struct mailmime *mime,
				    int depth, const char *parent);

static enum majlis_status
leaf(struct walk *w, struct mailmime *mime, int depth, const char *parent)
{
	struct mailin_part p;
	struct mailmime_single_fields sf;
	struct mailmime_data *d = mime->mm_data.mm_single;
	int enc = MAILMIME_MECHANISM_8BIT;

	if ((int)w->m->nparts >= w->lim->max_parts)
		return error(w->err, MAJLIS_ERR_DATA, "more than %d parts",
			     w->lim->max_parts);
	memset(&p, 0, sizeof(p));
	buf_init(&p.body);
	mailmime_single_fields_init(&sf, mime->mm_mime_fields,
				    mime->mm_content_type);
	p.type = type_string(mime->mm_content_type);
	p.depth = depth;
	p.parent = parent ? xstrdup(parent) : NULL;
	if (sf.fld_content_charset)
		p.charset = xstrdup(sf.fld_content_charset);
	if (ct_param(mime->mm_content_type, "method"))
		p.method = lower_dup(ct_param(mime->mm_content_type, "method"));
	p.filename = part_filename(mime, &sf);
	if (sf.fld_disposition && sf.fld_disposition->dsp_type &&
	    sf.fld_disposition->dsp_type->dsp_type ==
		    MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
		p.attachment = 1;
	if (sf.fld_encoding)
		enc = sf.fld_encoding->enc_type;
	if (d && d->dt_type == MAILMIME_DATA_TEXT) {
		char *res = NULL;
		size_t idx = 0, rlen = 0;
		const char *s = d->dt_data.dt_text.dt_data;
		size_t len = d->dt_data.dt_text.dt_length;

		if (mailmime_part_parse(s, len, &idx, enc, &res, &rlen) ==
			    MAILIMF_NO_ERROR &&
		    res) {
			s = res;
			len = rlen;
		}
		if (len > w->lim->max_part ||
		    w->total + len > w->lim->max_total) {
			if (res)
				mailmime_decoded_part_free(res);
			free(p.type);
			free(p.charset);
			free(p.method);
			free(p.filename);
			free(p.parent);
			return error(w->err, MAJLIS_ERR_DATA,
				     "a part of %zu bytes decoded, more than "
				     "the limit", len);
		}
		w->total += len;
		if (!strncmp(p.type, "text/", 5) ||
		    !strcmp(p.type, "message/delivery-status") ||
		    !strcmp(p.type, "message/disposition-notification") ||
		    !strcmp(p.type, "message/feedback-report")) {
			if (memchr(s, '\0', len) == NULL &&
			    to_text(p.charset, s, len, &p.body) == 0)
				p.is_text = 1;
			else
				buf_reset(&p.body);
		}
		if (!p.is_text)
			buf_add(&p.body, s, len);
		if (res)
			mailmime_decoded_part_free(res);
	}
	w->m->parts = xrealloc(w->m->parts,
			       (w->m->nparts + 1) * sizeof(*w->m->parts));
	w->m->parts[w->m->nparts++] = p;
	return MAJLIS_OK;
}

static enum majlis_status
walk_part(struct walk *w, struct mailmime *mime, int depth,
	  const char *parent)
{
	enum majlis_status rc = MAJLIS_OK;

	if (depth > w->lim->max_depth)
		return error(w->err, MAJLIS_ERR_DATA,
			     "MIME parts nested more than %d deep",
			     w->lim->max_depth);
	switch (mime->mm_type) {
	case MAILMIME_SINGLE:
		return leaf(w, mime, depth, parent);
	case MAILMIME_MULTIPLE: {
		char *type = type_string(mime->mm_content_type);

		for (clistiter *it =
			     clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
		     it && rc == MAJLIS_OK; it = clist_next(it))
			rc = walk_part(w, clist_content(it), depth + 1, type);
		free(type);
		return rc;
	}
	case MAILMIME_MESSAGE: {
		/* An enclosed message (a bounce's original): kept whole. */
		struct mailin_part p;

		if ((int)w->m->nparts >= w->lim->max_parts)
			return error(w->err, MAJLIS_ERR_DATA,
				     "more than %d parts", w->lim->max_parts);
		memset(&p, 0, sizeof(p));
		buf_init(&p.body);
		p.type = xstrdup("message/rfc822");
		p.depth = depth;
		p.parent = parent ? xstrdup(parent) : NULL;
		if (mime->mm_body &&
		    mime->mm_body->dt_type == MAILMIME_DATA_TEXT &&
		    mime->mm_body->dt_data.dt_text.dt_data)
			buf_add(&p.body, mime->mm_body->dt_data.dt_text.dt_data,
				mime->mm_body->dt_data.dt_text.dt_length);
		else if (mime->mm_mime_start && mime->mm_length)
			buf_add(&p.body, mime->mm_mime_start, mime->mm_length);
		w->m->parts = xrealloc(w->m->parts, (w->m->nparts + 1) *
							    sizeof(*w->m->parts));
		w->m->parts[w->m->nparts++] = p;
		return MAJLIS_OK;
	}
	default:
		return MAJLIS_OK;
	}
}

enum majlis_status
mailin_parse(const char *raw, size_t len, const struct mailin_limits *lim,
	     struct mailin *m, struct buf *err)
{
	struct mailmime *mime = NULL;
	struct buf clean = BUF_INIT;
	struct walk w;
	size_t idx = 0;
	enum majlis_status rc;

	memset(m, 0, sizeof(*m));
	if (!lim)
		lim = &mailin_limits_default;
	/* An mbox separator is not a header field. */
	if (len > 5 && !memcmp(raw, "From ", 5)) {
		const char *nl = memchr(raw, '\n', len);

		if (nl) {
			len -= (size_t)(nl + 1 - raw);
			raw = nl + 1;
		}
	}
	rc = precheck(raw, len, lim, err);
	if (rc != MAJLIS_OK)
		return rc;
	if (memchr(raw, '\0', len)) {
		/* In the body only (precheck refused them in the header):
		 * dropped, once, here. */
		for (size_t i = 0; i < len; i++)
			if (raw[i])
				buf_addch(&clean, raw[i]);
		raw = clean.data;
		len = clean.len;
	}
	if (mailmime_parse(raw, len, &idx, &mime) != MAILIMF_NO_ERROR ||
	    !mime) {
		buf_release(&clean);
		return error(err, MAJLIS_ERR_DATA, "not a MIME message");
	}
	if (mime->mm_type != MAILMIME_MESSAGE) {
		mailmime_free(mime);
		buf_release(&clean);
		return error(err, MAJLIS_ERR_DATA, "not a MIME message");
	}
	header_fields(m, mime->mm_data.mm_message.mm_fields);
	if (!m->subject)
		m->subject = xstrdup("");
	if (m->headers == 0) {
		mailmime_free(mime);
		buf_release(&clean);
		return error(err, MAJLIS_ERR_DATA, "a message without a header");
	}
	w.m = m;
	w.lim = lim;
	w.total = 0;
	w.err = err;
	if (mime->mm_data.mm_message.mm_msg_mime) {
		struct mailmime *body = mime->mm_data.mm_message.mm_msg_mime;

		m->content_type = type_string(body->mm_content_type);
		if (ct_param(body->mm_content_type, "report-type"))
			m->report_type = lower_dup(
				ct_param(body->mm_content_type, "report-type"));
		rc = walk_part(&w, body, 0, NULL);
	} else {
		m->content_type = xstrdup("text/plain");
	}
	mailmime_free(mime);
	buf_release(&clean);
	return rc;
}

void
mailin_release(struct mailin *m)
{
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->subject);
	free(m->from.name);
	free(m->from.addr);
	for (size_t i = 0; i < m->nto; i++) {
		free(m->to[i].name);
		free(m->to[i].addr);
	}
	free(m->to);
	free(m->reply_to);
	free(m->return_path);
	for (size_t i = 0; i < m->ndelivered; i++)
		free(m->delivered_to[i]);
	free(m->delivered_to);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->list_id);
	free(m->failed_recipients);
	for (size_t i = 0; i < m->nauth; i++)
		free(m->auth_results[i]);
	free(m->auth_results);
	free(m->content_type);
	free(m->report_type);
	for (size_t i = 0; i < m->nparts; i++) {
		free(m->parts[i].type);
		free(m->parts[i].charset);
		free(m->parts[i].method);
		free(m->parts[i].filename);
		free(m->parts[i].parent);
		buf_release(&m->parts[i].body);
	}
	free(m->parts);
	memset(m, 0, sizeof(*m));
}

const struct mailin_part *
mailin_find(const struct mailin *m, const char *type)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (!strcmp(m->parts[i].type, type))
			return &m->parts[i];
	return NULL;
}
