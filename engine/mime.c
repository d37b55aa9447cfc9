/*
 * mime.c - building messages with libetpan (see mime.h).
 *
 * Layout: RFC 2047 words and RFC 2231 parameters (libetpan writes what it
 * is given, so texts are encoded here first); leaf parts; the tree of
 * parts; the header; writing. libetpan takes ownership of what it is
 * given (malloc'ed strings, parts): every string handed to it is a copy.
 */
#include "mime.h"

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

/* A leaf part: its data is not copied by libetpan; it must live until
 * the message is written. */
static struct mailmime *
leaf(const char *type, int encoding, const void *data, size_t len,
     const char *content_id, struct mailmime_disposition *dsp)
{
	struct mailmime_fields *fields;
	struct mailmime_content *ct = mailmime_content_new_with_str(type);
	struct mailmime *part;

	if (!ct)
		return NULL;
	fields = mailmime_fields_new_with_data(
		mailmime_mechanism_new(encoding, NULL),
		content_id ? xstrdup(content_id) : NULL, NULL, dsp, NULL);
	part = mailmime_new_empty(ct, fields);
	if (!part) {
		mailmime_fields_free(fields);
		mailmime_content_free(ct);
		return NULL;
	}
	mailmime_set_body_text(part, (char *)(uintptr_t)data, len);
	return part;
}

static struct mailmime *
text_part(const char *subtype, const char *text)
{
	struct buf type = BUF_INIT;
	struct mailmime *p;

	buf_addf(&type, "text/%s; charset=utf-8", subtype);
	p = leaf(type.data, MAILMIME_MECHANISM_QUOTED_PRINTABLE, text,
		 strlen(text), NULL, NULL);
	buf_release(&type);
	return p;
}

/* Files, the calendar among them, go in base64: calendar clients read
 * it everywhere, and lines of any length pass every relay. */
static struct mailmime *
file_part(const struct mime_part *f, int inline_)
{
	return leaf(f->type, MAILMIME_MECHANISM_BASE64,
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
body(const struct mime_message *m)
{
	struct mailmime *alt, *top, *html = NULL;
	int bad = 0;

	if (m->html && m->nrelated) {
		html = multipart("multipart/related");
		bad |= add(html, text_part("html", m->html));
		for (size_t i = 0; i < m->nrelated; i++)
			bad |= add(html, file_part(&m->related[i], 1));
	} else if (m->html) {
		html = text_part("html", m->html);
	}
	if (!html && !m->calendar) {
		alt = text_part("plain", m->text);
	} else {
		alt = multipart("multipart/alternative");
		bad |= add(alt, text_part("plain", m->text));
		if (html)
			bad |= add(alt, html);
		if (m->calendar)
			bad |= add(alt, file_part(m->calendar, 0));
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
		bad |= add(top, file_part(&m->attachments[i], 0));
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
	b = body(m);
	if (!b || mailmime_smart_add_part(msg, b) != MAILIMF_NO_ERROR) {
		if (b)
			mailmime_free(b);
		mailmime_free(msg);
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libetpan: cannot build the body");
	}
	r = mailmime_write_driver(write_cb, out, &col, msg);
	mailmime_free(msg);
	if (r != MAILIMF_NO_ERROR)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libetpan: cannot write the message (%d)", r);
	return MAJLIS_OK;
}
