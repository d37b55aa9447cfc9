/*
 * mime.c - building messages with libetpan (see mime.h).
 *
 * Layout: RFC 2047 words and RFC 2231 parameters (libetpan writes what it
 * is given, so texts are encoded here first); leaf parts; the tree of
 * parts; the header; writing. libetpan takes ownership of what it is
 * given (malloc'ed strings, parts): every string handed to it is a copy.
 */
#include "mime.h"

#include <glib.h>
#include <libetpan/libetpan.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

static int
is_ascii_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20)
			return 0;
	return 1;
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

void
mime_encode_words(const char *s, struct buf *out)
{
	/* "=?UTF-8?B?" + 48 base64 characters + "?=" = 60: short enough
	 * to start on the header's own line (libetpan folds before a word
	 * that would pass the 78th column), within RFC 2047's 75. */
	enum { RAW_MAX = 36 };
	const unsigned char *p = (const unsigned char *)s;
	int first = 1;

	/* Plain ASCII is written as it is, unless its spaces would not
	 * come back: readers drop them at the ends and folding may change
	 * a run of them. */
	if (is_ascii_plain(s) && !strstr(s, "=?") && s[0] != ' ' &&
	    !strstr(s, "  ") && (!*s || s[strlen(s) - 1] != ' ')) {
		buf_addstr(out, s);
		return;
	}
	while (*p) {
		size_t n = 0;
		char b64[sodium_base64_ENCODED_LEN(RAW_MAX,
						   sodium_base64_VARIANT_ORIGINAL)];

		size_t cut = 0;

		while (p[n]) {
			size_t c = utf8_len(p + n);

			if (n + c > RAW_MAX)
				break;
			n += c;
			if (p[n - 1] == ' ')
				cut = n;
		}
		/* End a word after a space where there is one. */
		if (p[n] && cut)
			n = cut;
		sodium_bin2base64(b64, sizeof(b64), p, n,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s=?UTF-8?B?%s?=", first ? "" : " ", b64);
		first = 0;
		p += n;
	}
}

/*
 * A name (a display name, a file name) as one encoded word, however long:
 * readers disagree on the space between two encoded words of a name
 * (RFC 2047 drops it, Python's parser adds one), and every common reader
 * takes a word longer than RFC 2047's 75 characters.
 */
static void
encode_phrase(const char *s, struct buf *out)
{
	size_t n = strlen(s);
	char *b64 = xmalloc(sodium_base64_ENCODED_LEN(
		n, sodium_base64_VARIANT_ORIGINAL));

	sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(
				       n, sodium_base64_VARIANT_ORIGINAL),
			  (const unsigned char *)s, n,
			  sodium_base64_VARIANT_ORIGINAL);
	buf_addf(out, "=?UTF-8?B?%s?=", b64);
	free(b64);
}

int
mime_decode_words(const char *s, struct buf *out)
{
	size_t idx = 0;
	char *result = NULL;

	if (mailmime_encoded_phrase_parse("utf-8", s, strlen(s), &idx, "utf-8",
					  &result) != MAILIMF_NO_ERROR)
		return -1;
	buf_addstr(out, result);
	free(result);
	return 0;
}

/*
 * A filename parameter. Non-ASCII names are written as RFC 2047 words
 * inside the quotes, as the common mail clients write and read them:
 * libetpan quotes every parameter, which RFC 2231's filename* forbids.
 */
static struct mailmime_disposition *
disposition(int type, const char *filename)
{
	struct mailmime_disposition_type *dt =
		mailmime_disposition_type_new(type, NULL);
	clist *parms = clist_new();

	if (filename) {
		struct buf v = BUF_INIT;

		if (is_ascii_plain(filename) && !strstr(filename, "=?"))
			buf_addstr(&v, filename);
		else
			encode_phrase(filename, &v);
		clist_append(parms, mailmime_disposition_parm_new(
					    MAILMIME_DISPOSITION_PARM_FILENAME,
					    buf_detach(&v, NULL), NULL, NULL,
					    NULL, 0, NULL));
	}
	return mailmime_disposition_new(dt, parms);
}

/*
 * Bodies are encoded here, not by libetpan: its encoders write four
 * bytes (base64) or one escape (quoted-printable, through snprintf) at a
 * time, and its writer then looks at every byte again. libetpan writes
 * the message's structure (header, MIME headers, boundaries) around a
 * short placeholder for each body, "\x1a<n>\x1a", and mime_build()
 * copies the encoded bodies in their place. The placeholder cannot
 * occur otherwise: every text that reaches a header with a control
 * character in it is written as RFC 2047 words.
 */
#define BODY_MARK '\x1a'

struct body {
	struct buf enc;		/* the encoded body */
	char mark[24];		/* its placeholder, which libetpan points to */
};

struct bodies {
	struct body **v;	/* by number */
	size_t n, cap;
};

/* Keeps enc (taken over) as the next body; returns its placeholder,
 * valid until bodies_release(), and its length. */
static char *
bodies_keep(struct bodies *b, struct buf *enc, size_t *len)
{
	struct body *k = xmalloc(sizeof(*k));
	int n;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	k->enc = *enc;
	buf_init(enc);
	n = snprintf(k->mark, sizeof(k->mark), "%c%zu%c", BODY_MARK, b->n,
		     BODY_MARK);
	*len = (size_t)n;
	b->v[b->n++] = k;
	return k->mark;
}

static void
bodies_release(struct bodies *b)
{
	for (size_t i = 0; i < b->n; i++) {
		buf_release(&b->v[i]->enc);
		free(b->v[i]);
	}
	free(b->v);
}

/* Appends the structure with each placeholder replaced by its body. */
static int
bodies_splice(const struct bodies *b, const struct buf *structure,
	      struct buf *out)
{
	const char *p = structure->data, *end = p + structure->len;
	size_t total = structure->len;

	for (size_t i = 0; i < b->n; i++)
		total += b->v[i]->enc.len;
	buf_grow(out, total);
	while (p < end) {
		const char *m = memchr(p, BODY_MARK, (size_t)(end - p));
		const char *close;
		size_t k = 0;

		if (!m) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(m - p));
		close = memchr(m + 1, BODY_MARK, (size_t)(end - m - 1));
		if (!close || close == m + 1)
			return -1;
		for (const char *d = m + 1; d < close; d++) {
			if (*d < '0' || *d > '9' || k > b->n)
				return -1;
			k = k * 10 + (size_t)(*d - '0');
		}
		if (k >= b->n)
			return -1;
		buf_add(out, b->v[k]->enc.data, b->v[k]->enc.len);
		p = close + 1;
	}
	return 0;
}

/*
 * Base64 in lines of 76 characters, each ending in CRLF (RFC 2045).
 * GLib's coder, not libsodium's: libsodium's is constant-time, made for
 * secrets, and several times slower on a megabyte of PDF.
 */
static void
encode_base64(const unsigned char *p, size_t len, struct buf *out)
{
	enum { LINE_RAW = 57 };	/* 57 bytes make 76 characters */
	gint state = 0, save = 0;

	buf_grow(out, (len + LINE_RAW - 1) / LINE_RAW * 78 + 4);
	for (size_t i = 0; i < len; i += LINE_RAW) {
		size_t n = len - i < LINE_RAW ? len - i : LINE_RAW;
		gsize w;

		/* Whole groups of three until the last line: nothing
		 * stays in the coder's state between lines. */
		w = g_base64_encode_step(p + i, n, FALSE, out->data + out->len,
					 &state, &save);
		w += g_base64_encode_close(FALSE, out->data + out->len + w,
					   &state, &save);
		out->len += w;
		buf_add(out, "\r\n", 2);
	}
}

static int
qp_plain(unsigned char c)
{
	/* Printable ASCII but '=', and not the characters some gateways
	 * (EBCDIC) change; 'F' and '.' are escaped at a line's start
	 * ("From ", a lone dot). */
	return c >= 33 && c <= 126 && c != '=' && !strchr("!\"#$@[\\]^`{|}~", c);
}

/*
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text with LF or CRLF line
 * ends: lines of at most 76 characters with soft breaks, never inside
 * an escape; spaces before a line end escaped.
 */
static void
encode_qp(const unsigned char *p, size_t len, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;

	buf_grow(out, len + len / 8);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		char esc[3];
		size_t w;
		int at_end;

		if (c == '\r' && i + 1 < len && p[i + 1] == '\n')
			continue;
		if (c == '\n') {
			buf_add(out, "\r\n", 2);
			col = 0;
			continue;
		}
		at_end = i + 1 == len || p[i + 1] == '\n' ||
			 (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n');
		if (qp_plain(c) && !(col == 0 && (c == 'F' || c == '.'))) {
			esc[0] = (char)c;
			w = 1;
		} else if ((c == ' ' || c == '\t') && !at_end) {
			esc[0] = (char)c;
			w = 1;
		} else {
			esc[0] = '=';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 15];
			w = 3;
		}
		/* Room for the soft break's '=' unless this ends the line. */
		if (col + w > (at_end ? 76 : 75)) {
			buf_add(out, "=\r\n", 3);
			col = 0;
			if (w == 1 && (c == 'F' || c == '.')) {
				esc[0] = '=';
				esc[1] = hex[c >> 4];
				esc[2] = hex[c & 15];
				w = 3;
			}
		}
		buf_add(out, esc, w);
		col += w;
	}
	if (len && p[len - 1] != '\n')
		buf_add(out, "\r\n", 2);
}

/* A leaf part, its body encoded. */
static struct mailmime *
leaf(struct bodies *kept, const char *type, int encoding, int is_text,
     const void *data, size_t len, const char *content_id,
     struct mailmime_disposition *dsp)
{
	struct mailmime_fields *fields;
	struct mailmime_content *ct = mailmime_content_new_with_str(type);
	struct mailmime_data *body;
	struct mailmime *part;
	struct buf enc = BUF_INIT;
	char *mark;
	size_t n;

	if (!ct) {
		if (dsp)
			mailmime_disposition_free(dsp);
		return NULL;
	}
	fields = mailmime_fields_new_with_data(
		mailmime_mechanism_new(encoding, NULL),
		content_id ? xstrdup(content_id) : NULL, NULL, dsp, NULL);
	part = mailmime_new_empty(ct, fields);
	if (!part) {
		mailmime_fields_free(fields);
		mailmime_content_free(ct);
		return NULL;
	}
	if (encoding == MAILMIME_MECHANISM_BASE64 && is_text) {
		/* Text is encoded in its canonical form, CRLF lines
		 * (RFC 2045 6.8), as quoted-printable writes them. */
		struct buf crlf = BUF_INIT;
		const char *p = data;

		for (size_t i = 0; i < len; i++) {
			if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
				buf_addch(&crlf, '\r');
			buf_addch(&crlf, p[i]);
		}
		encode_base64((const unsigned char *)crlf.data, crlf.len, &enc);
		buf_release(&crlf);
	} else if (encoding == MAILMIME_MECHANISM_BASE64) {
		encode_base64(data, len, &enc);
	} else {
		encode_qp(data, len, &enc);
	}
	/* libetpan keeps the pointer, and mailmime_free() leaves the
	 * text alone. */
	mark = bodies_keep(kept, &enc, &n);
	body = mailmime_data_new(MAILMIME_DATA_TEXT, encoding, 1, mark, n,
				 NULL);
	if (!body) {
		mailmime_free(part);
		return NULL;
	}
	part->mm_data.mm_single = body;
	return part;
}

/*
 * Text goes in whichever of quoted-printable and base64 is shorter, as
 * Python's email does: quoted-printable keeps French readable, base64
 * keeps Arabic (two bytes a letter, each escaped in three) small.
 */
static struct mailmime *
text_part(struct bodies *kept, const char *subtype, const char *text)
{
	struct buf type = BUF_INIT;
	struct mailmime *p;
	size_t len = strlen(text), escaped = 0;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80)
			escaped++;
	buf_addf(&type, "text/%s; charset=utf-8", subtype);
	p = leaf(kept, type.data,
		 len + 2 * escaped > len / 3 * 4 + 4
			 ? MAILMIME_MECHANISM_BASE64
			 : MAILMIME_MECHANISM_QUOTED_PRINTABLE,
		 1, text, len, NULL, NULL);
	buf_release(&type);
	return p;
}

/* Files, the calendar among them, go in base64: calendar clients read
 * it everywhere, and lines of any length pass every relay. */
static struct mailmime *
file_part(struct bodies *kept, const struct mime_part *f, int inline_)
{
	return leaf(kept, f->type, MAILMIME_MECHANISM_BASE64, 0,
		    f->data, f->len, f->content_id,
		    f->filename || inline_
			    ? disposition(inline_ ? MAILMIME_DISPOSITION_TYPE_INLINE
						  : MAILMIME_DISPOSITION_TYPE_ATTACHMENT,
					  f->filename)
			    : NULL);
}

static struct mailmime *
multipart(const char *type)
{
	return mailmime_multiple_new(type);
}

static int
add(struct mailmime *parent, struct mailmime *child)
{
	if (!child)
		return -1;
	if (mailmime_smart_add_part(parent, child) != MAILIMF_NO_ERROR) {
		mailmime_free(child);
		return -1;
	}
	return 0;
}

/* The body: alternatives (text, HTML with its images, calendar), then
 * attachments; as small a tree as the message needs. */
static struct mailmime *
body(struct bodies *kept, const struct mime_message *m)
{
	struct mailmime *alt, *top, *html = NULL;
	int bad = 0;

	if (m->html && m->nrelated) {
		html = multipart("multipart/related");
		bad |= add(html, text_part(kept, "html", m->html));
		for (size_t i = 0; i < m->nrelated; i++)
			bad |= add(html, file_part(kept, &m->related[i], 1));
	} else if (m->html) {
		html = text_part(kept, "html", m->html);
	}
	if (!html && !m->calendar) {
		alt = text_part(kept, "plain", m->text);
	} else {
		alt = multipart("multipart/alternative");
		bad |= add(alt, text_part(kept, "plain", m->text));
		if (html)
			bad |= add(alt, html);
		if (m->calendar)
			bad |= add(alt, file_part(kept, m->calendar, 0));
	}
	if (!m->nattachments) {
		if (bad) {
			mailmime_free(alt);
			return NULL;
		}
		return alt;
	}
	top = multipart("multipart/mixed");
	bad |= add(top, alt);
	for (size_t i = 0; i < m->nattachments; i++)
		bad |= add(top, file_part(kept, &m->attachments[i], 0));
	if (bad) {
		mailmime_free(top);
		return NULL;
	}
	return top;
}

static int
valid_addr(const char *a)
{
	const char *at = a ? strchr(a, '@') : NULL;

	if (!at || at == a || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *s = a; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    strchr("<>()[]\\,;:\"", *s))
			return 0;
	return 1;
}

static struct mailimf_mailbox *
mailbox(const struct mime_addr *a)
{
	struct buf name = BUF_INIT;
	char *display = NULL;

	if (a->name && *a->name) {
		/* libetpan quotes a plain ASCII name itself when it has
		 * to (a comma or a dot in "Mme A. B"). */
		if (is_ascii_plain(a->name) && !strstr(a->name, "=?"))
			buf_addstr(&name, a->name);
		else
			encode_phrase(a->name, &name);
		display = buf_detach(&name, NULL);
	}
	return mailimf_mailbox_new(display, xstrdup(a->addr));
}

static int
header_name_ok(const char *n)
{
	if (!*n)
		return 0;
	for (; *n; n++)
		if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') ||
		      (*n >= '0' && *n <= '9') || *n == '-'))
			return 0;
	return 1;
}

static struct mailimf_date_time *
date_time(int64_t t, int offset)
{
	int64_t local = t + (int64_t)offset * 60;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	/* Civil date from days since 1970-01-01 (Howard Hinnant's). */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (mo <= 2));
	int zone = (offset / 60) * 100 + offset % 60;

	return mailimf_date_time_new(d, mo, y, (int)(secs / 3600),
				     (int)(secs / 60 % 60), (int)(secs % 60),
				     zone);
}

size_t
mime_system_headers(struct mime_header *h, const char *object,
		    int expects_reply, const char *receipt_to)
{
	size_t n = 0;

	h[n++] = (struct mime_header){ "Auto-Submitted", "auto-generated" };
	h[n++] = (struct mime_header){ "X-Auto-Response-Suppress",
				       expects_reply ? "OOF, AutoReply"
						     : "All" };
	h[n++] = (struct mime_header){ "Precedence", "bulk" };
	h[n++] = (struct mime_header){ "X-Majlis-Object", object };
	if (receipt_to)
		h[n++] = (struct mime_header){ "Disposition-Notification-To",
					       receipt_to };
	return n;
}

/* libetpan's writer wants the count written; 0 means failure. */
static int
write_cb(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
	return len ? (int)(len > INT_MAX ? INT_MAX : len) : 1;
}

enum majlis_status
mime_build(const struct mime_message *m, struct buf *out, struct buf *err)
{
	struct mailimf_fields *fields;
	struct mailimf_mailbox_list *from;
	struct mailimf_address_list *to, *reply_to = NULL;
	struct mailmime *msg, *b;
	struct buf subject = BUF_INIT;
	struct bodies kept = { NULL, 0, 0 };
	struct buf structure = BUF_INIT;
	int col = 0, r;

	if (!valid_addr(m->from.addr) || !valid_addr(m->to.addr) ||
	    (m->reply_to && !valid_addr(m->reply_to->addr)))
		return error(err, MAJLIS_ERR_DATA,
			     "not an e-mail address: '%s'",
			     !valid_addr(m->from.addr) ? m->from.addr
			     : !valid_addr(m->to.addr) ? m->to.addr
						       : m->reply_to->addr);
	for (size_t i = 0; i < m->nheaders; i++)
		if (!header_name_ok(m->headers[i].name))
			return error(err, MAJLIS_ERR_DATA,
				     "not a header name: '%s'",
				     m->headers[i].name);
	fields = mailimf_fields_new_empty();
	from = mailimf_mailbox_list_new_empty();
	mailimf_mailbox_list_add(from, mailbox(&m->from));
	to = mailimf_address_list_new_empty();
	mailimf_address_list_add(
		to, mailimf_address_new(MAILIMF_ADDRESS_MAILBOX, mailbox(&m->to),
					NULL));
	if (m->reply_to) {
		reply_to = mailimf_address_list_new_empty();
		mailimf_address_list_add(
			reply_to,
			mailimf_address_new(MAILIMF_ADDRESS_MAILBOX,
					    mailbox(m->reply_to), NULL));
	}
	mime_encode_words(m->subject ? m->subject : "", &subject);
	{
		clist *irt = NULL;

		if (m->in_reply_to) {
			irt = clist_new();
			clist_append(irt, xstrdup(m->in_reply_to));
		}
		r = mailimf_fields_add_data(
			fields, date_time(m->date, m->date_offset), from, NULL,
			reply_to, to, NULL, NULL, xstrdup(m->message_id), irt,
			NULL, buf_detach(&subject, NULL));
	}
	for (size_t i = 0; r == MAILIMF_NO_ERROR && i < m->nheaders; i++) {
		struct buf v = BUF_INIT;

		mime_encode_words(m->headers[i].value, &v);
		r = mailimf_fields_add(
			fields, mailimf_field_new_custom(
					xstrdup(m->headers[i].name),
					buf_detach(&v, NULL)));
	}
	if (r == MAILIMF_NO_ERROR && m->language)
		r = mailimf_fields_add(
			fields, mailimf_field_new_custom(
					xstrdup("Content-Language"),
					xstrdup(m->language)));
	if (r != MAILIMF_NO_ERROR) {
		mailimf_fields_free(fields);
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libetpan: cannot build the header (%d)", r);
	}
	msg = mailmime_new_message_data(NULL);
	mailmime_set_imf_fields(msg, fields);
	b = body(&kept, m);
	if (!b || mailmime_smart_add_part(msg, b) != MAILIMF_NO_ERROR) {
		if (b)
			mailmime_free(b);
		mailmime_free(msg);
		bodies_release(&kept);
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libetpan: cannot build the body");
	}
	r = mailmime_write_driver(write_cb, &structure, &col, msg);
	mailmime_free(msg);
	if (r == MAILIMF_NO_ERROR && bodies_splice(&kept, &structure, out))
		BUG("a body's placeholder is missing or broken");
	bodies_release(&kept);
	buf_release(&structure);
	if (r != MAILIMF_NO_ERROR)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libetpan: cannot write the message (%d)", r);
	return MAJLIS_OK;
}
