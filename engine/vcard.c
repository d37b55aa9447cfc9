/*
 * vcard.c - reading vCards (see vcard.h).
 *
 * Follows RFC 2425 and 2426 (vCard 3.0), RFC 6350 (4.0) and the vCard
 * 2.1 specification, as phones write them:
 * - lines end in CRLF, LF or CR; a line starting with a space or a tab
 *   continues the one before (folding);
 * - 2.1 (Android's exports) encodes non-ASCII values as
 *   QUOTED-PRINTABLE with a CHARSET, continuing long values on the next
 *   line after a final "=" (a soft break, not folding);
 * - properties may carry a group ("item1.EMAIL"), parameters with or
 *   without a name (2.1's "TEL;CELL;PREF:"), quoted parameter values;
 * - values escape "\\", ",", ";" and newlines with a backslash; N and
 *   ORG are lists separated by ";".
 * Left out: everything but the properties of vcard.h (PHOTO, ADR, NOTE
 * ... are skipped, whatever their size within the limits); AGENT's
 * nested card is skipped; base64 text values are not decoded (phones do
 * not write them).
 *
 * Layout: small helpers; lines (physical, then logical); one content
 * line; values; a card's properties; finishing a card; the entry point.
 */
#include "vcard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys.h"
#include "text.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char *
dup_or_null(const struct buf *b)
{
	return b->len ? xstrdup(b->data) : NULL;
}

/* The next physical line from *p: its bytes and length without the
 * line end; advances *p past it. */
static const char *
next_physical(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e = s;

	while (e < end && *e != '\r' && *e != '\n')
		e++;
	*len = (size_t)(e - s);
	if (e < end && *e == '\r') {
		e++;
		if (e < end && *e == '\n')
			e++;
	} else if (e < end) {
		e++;
	}
	*p = e;
	return s;
}

/* Whether the part of a logical line before its first colon asks for
 * quoted-printable, whose soft breaks join physical lines. */
static int
is_qp(const struct buf *line)
{
	const char *colon = memchr(line->data, ':', line->len);
	size_t n = colon ? (size_t)(colon - line->data) : line->len;

	for (size_t i = 0; i + 16 <= n; i++)
		if (!strncasecmp(line->data + i, "QUOTED-PRINTABLE", 16))
			return 1;
	return 0;
}

struct reader {
	const char *p, *end;
	int lineno;		/* of the last physical line read */
	struct buf *err;
};

/*
 * The next logical line into out (unfolded; quoted-printable soft
 * breaks joined, their "=" dropped); *first gets its first physical
 * line's number. Returns 0, or -1 at the end of the input.
 */
static int
next_logical(struct reader *r, struct buf *out, int *first)
{
	const char *s;
	size_t n;

	buf_reset(out);
	do {
		if (r->p >= r->end)
			return -1;
		s = next_physical(&r->p, r->end, &n);
		r->lineno++;
	} while (n == 0);
	*first = r->lineno;
	buf_add(out, s, n);
	for (;;) {
		const char *save = r->p;

		if (r->p >= r->end)
			break;
		if (is_space(*r->p)) {
			s = next_physical(&r->p, r->end, &n);
			r->lineno++;
			buf_add(out, s + 1, n - 1);
			continue;
		}
		if (out->len && out->data[out->len - 1] == '=' && is_qp(out)) {
			s = next_physical(&r->p, r->end, &n);
			r->lineno++;
			buf_truncate(out, out->len - 1);
			buf_add(out, s, n);
			continue;
		}
		r->p = save;
		break;
	}
	return 0;
}

/* One content line, split in place. */
struct prop {
	char *name;		/* upper case, group removed */
	char *params[32];	/* each "NAME=VALUE" or a bare "VALUE" */
	int nparams;
	char *value;
};

static int
split_prop(char *line, struct prop *pr)
{
	char *p = line, *q;
	int quoted = 0;

	memset(pr, 0, sizeof(*pr));
	/* name, up to ';' or ':' */
	while (*p && *p != ';' && *p != ':')
		p++;
	if (!*p)
		return -1;
	pr->name = line;
	for (q = line; q < p; q++)
		if (*q == '.')
			pr->name = q + 1;
	for (char *c = pr->name; c < p; c++)
		*c = (char)toupper((unsigned char)*c);
	if (*p == ';') {
		*p++ = '\0';
		for (;;) {
			char *start = p;

			while (*p && (quoted || (*p != ';' && *p != ':'))) {
				if (*p == '"')
					quoted = !quoted;
				p++;
			}
			if (!*p)
				return -1;
			if (pr->nparams < (int)(sizeof(pr->params) /
						sizeof(*pr->params)))
				pr->params[pr->nparams++] = start;
			if (*p == ':')
				break;
			*p++ = '\0';
		}
	}
	*p++ = '\0';
	pr->value = p;
	return pr->name[0] ? 0 : -1;
}

/* The value of parameter name ("ENCODING"), unquoted, or NULL; 2.1's
 * bare values count as TYPE. */
static const char *
param(const struct prop *pr, const char *name, char *tmp, size_t cap)
{
	size_t n = strlen(name);

	for (int i = 0; i < pr->nparams; i++) {
		const char *p = pr->params[i], *eq = strchr(p, '=');
		size_t len;

		if (eq && (size_t)(eq - p) == n && !strncasecmp(p, name, n)) {
			p = eq + 1;
		} else if (!eq && !strcasecmp(name, "ENCODING") &&
			   (!strcasecmp(p, "QUOTED-PRINTABLE") ||
			    !strcasecmp(p, "BASE64"))) {
			/* 2.1: "N;QUOTED-PRINTABLE:" */
		} else {
			continue;
		}
		if (*p == '"')
			p++;
		len = strlen(p);
		if (len && p[len - 1] == '"')
			len--;
		if (len >= cap)
			len = cap - 1;
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		return tmp;
	}
	return NULL;
}

/* Whether the property's types (TYPE=a,b; 2.1's bare values) hold t. */
static int
has_type(const struct prop *pr, const char *t)
{
	size_t n = strlen(t);

	for (int i = 0; i < pr->nparams; i++) {
		const char *p = pr->params[i], *eq = strchr(p, '=');

		if (eq) {
			if (strncasecmp(p, "TYPE=", 5))
				continue;
			p = eq + 1;
		}
		while (*p) {
			const char *e;

			if (*p == '"' || *p == ',')
				p++;
			e = p;
			while (*e && *e != ',' && *e != '"')
				e++;
			if ((size_t)(e - p) == n && !strncasecmp(p, t, n))
				return 1;
			p = e;
			if (*p == '"')
				p++;
		}
	}
	return 0;
}

/* 4.0's PREF=1..100 (1 preferred), 2.1 and 3.0's TYPE=PREF (as 1);
 * 101 when none. */
static int
pref_of(const struct prop *pr)
{
	char tmp[8];
	const char *v = param(pr, "PREF", tmp, sizeof(tmp));
	long long n;

	if (v && !parse_int(v, 1, 100, &n))
		return (int)n;
	return has_type(pr, "PREF") ? 1 : 101;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * One component of a value, decoded: quoted-printable if asked,
 * converted from its charset, backslash escapes undone, line breaks and
 * tabs made spaces, surrounding spaces trimmed. Returns 0, or -1 with
 * the reason in why.
 */
static int
decode(const struct prop *pr, const char *s, size_t len, struct buf *out,
       const char **why)
{
	char enc[32], cs[64];
	const char *e = param(pr, "ENCODING", enc, sizeof(enc));
	const char *charset = param(pr, "CHARSET", cs, sizeof(cs));
	struct buf raw = BUF_INIT, utf8 = BUF_INIT;
	int rc = -1;

	if (e && (!strcasecmp(e, "QUOTED-PRINTABLE") || !strcasecmp(e, "Q"))) {
		for (size_t i = 0; i < len; i++) {
			int hi, lo;

			if (s[i] == '=' && i + 2 < len &&
			    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
			    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
				buf_addch(&raw, hi << 4 | lo);
				i += 2;
			} else {
				buf_addch(&raw, s[i]);
			}
		}
	} else if (e && (!strcasecmp(e, "B") || !strcasecmp(e, "BASE64"))) {
		*why = "base64 text is not read";
		goto out;
	} else {
		buf_add(&raw, s, len);
	}
	if (memchr(raw.data, '\0', raw.len)) {
		*why = "a NUL byte in a value";
		goto out;
	}
	if (text_to_utf8(charset ? charset : "UTF-8", raw.data, raw.len,
			 &utf8)) {
		*why = charset ? "text not valid in its CHARSET, or an unknown "
				 "CHARSET"
			       : "text that is not UTF-8 (and no CHARSET)";
		goto out;
	}
	{
		size_t start = out->len;

		for (size_t i = 0; i < utf8.len; i++) {
			unsigned char c = (unsigned char)utf8.data[i];

			if (c == '\\' && i + 1 < utf8.len) {
				c = (unsigned char)utf8.data[++i];
				if (c == 'n' || c == 'N')
					c = ' ';
			} else if (c == '\r' || c == '\n' || c == '\t') {
				c = ' ';
			} else if (c < 0x20 || c == 0x7f) {
				*why = "a control character in a value";
				goto out;
			}
			/* One space for each run. */
			if (c == ' ' && (out->len == start ||
					 out->data[out->len - 1] == ' '))
				continue;
			buf_addch(out, c);
		}
		while (out->len > start && out->data[out->len - 1] == ' ')
			buf_truncate(out, out->len - 1);
	}
	rc = 0;
out:
	buf_release(&raw);
	buf_release(&utf8);
	return rc;
}

/* Splits a structured value at its unescaped ';': the start of part k
 * in *s and its length, or -1 if it has fewer parts. A k below 0 takes
 * the whole value (FN, TITLE: their ';' are text). */
static int
component(const char *v, int k, const char **s, size_t *len)
{
	const char *p = v;

	if (k < 0) {
		*s = v;
		*len = strlen(v);
		return 0;
	}
	for (int i = 0; i < k; i++) {
		while (*p && *p != ';') {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		if (!*p)
			return -1;
		p++;
	}
	*s = p;
	while (*p && *p != ';') {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	*len = (size_t)(p - *s);
	return 0;
}

/* A civility at the start of a name: its gender, and its length (with
 * the space after it) in *n; 0 if none. */
static char
civility(const char *s, size_t *n)
{
	static const struct {
		const char *word;
		char gender;
	} words[] = {
		{ "Madame", 'F' },  { "Mademoiselle", 'F' }, { "Mme.", 'F' },
		{ "Mme", 'F' },	    { "Mlle.", 'F' },	     { "Mlle", 'F' },
		{ "Mrs.", 'F' },    { "Mrs", 'F' },	     { "Ms.", 'F' },
		{ "Ms", 'F' },	    { "Miss", 'F' },	     { "Monsieur", 'M' },
		{ "Mr.", 'M' },	    { "Mr", 'M' },	     { "M.", 'M' },
		{ "السيدة", 'F' }, { "الآنسة", 'F' },      { "السيد", 'M' },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		size_t w = strlen(words[i].word);

		if (!strncasecmp(s, words[i].word, w) &&
		    (s[w] == ' ' || s[w] == '\0')) {
			*n = w + (s[w] == ' ');
			return words[i].gender;
		}
	}
	*n = 0;
	return 0;
}

/* An address as an invitation needs it: one '@', no spaces, a dot in
 * the domain, which is lower-cased; 0 if it is not one. */
static int
clean_email(const char *v, struct buf *out)
{
	const char *at = strchr(v, '@');
	size_t n = strlen(v);

	if (!strncasecmp(v, "mailto:", 7)) {
		v += 7;
		n -= 7;
		at = strchr(v, '@');
	}
	if (!at || at == v || !at[1] || strchr(at + 1, '@') || n > 254 ||
	    !strchr(at + 1, '.') || at[n - (size_t)(at - v) - 1] == '.')
		return 0;
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f ||
		    strchr("<>()[]\\,;:\"", *c))
			return 0;
	buf_add(out, v, (size_t)(at - v) + 1);
	for (const char *c = at + 1; *c; c++)
		buf_addch(out, tolower((unsigned char)*c));
	return 1;
}

/* A telephone number: an optional '+' and its digits, 6 to 15 of them;
 * 0 if it is not one. */
static int
clean_tel(const char *v, struct buf *out)
{
	int digits = 0;

	if (!strncasecmp(v, "tel:", 4))
		v += 4;
	while (*v == ' ')
		v++;
	if (*v == '+') {
		buf_addch(out, '+');
		v++;
	}
	for (; *v && *v != ';'; v++) {
		if (*v >= '0' && *v <= '9') {
			buf_addch(out, *v);
			digits++;
		} else if (!strchr(" -.()/", *v)) {
			break;
		}
	}
	if (digits < 6 || digits > 15) {
		buf_reset(out);
		return 0;
	}
	return 1;
}

/* What a card gathers while it is read. */
struct acc {
	struct buf fn, family, given, prefix, email, tel, org, title, lang;
	int email_pref, tel_rank, version;
	char gender;
	int started_at;		/* line of BEGIN:VCARD */
};

static void
acc_init(struct acc *a, int line)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->fn);
	buf_init(&a->family);
	buf_init(&a->given);
	buf_init(&a->prefix);
	buf_init(&a->email);
	buf_init(&a->tel);
	buf_init(&a->org);
	buf_init(&a->title);
	buf_init(&a->lang);
	a->email_pref = a->tel_rank = 1000;
	a->version = 30;
	a->started_at = line;
}

static void
acc_release(struct acc *a)
{
	buf_release(&a->fn);
	buf_release(&a->family);
	buf_release(&a->given);
	buf_release(&a->prefix);
	buf_release(&a->email);
	buf_release(&a->tel);
	buf_release(&a->org);
	buf_release(&a->title);
	buf_release(&a->lang);
}

/* Decodes component k of pr's value into out, within the limit. */
static int
take(const struct prop *pr, int k, const char *label, struct buf *out,
     int line, struct buf *err)
{
	const char *s, *why = NULL;
	size_t len;

	buf_reset(out);
	if (component(pr->value, k, &s, &len))
		return 0;
	if (decode(pr, s, len, out, &why)) {
		error(err, MAJLIS_ERR_DATA, "line %d: %s: %s", line, label,
		      why);
		return -1;
	}
	if (out->len > VCARD_MAX_TEXT) {
		error(err, MAJLIS_ERR_DATA, "line %d: %s longer than %d bytes",
		      line, label, VCARD_MAX_TEXT);
		return -1;
	}
	return 0;
}

/* One property of a card. Returns 0, or -1 with err set. */
static int
card_prop(struct acc *a, const struct prop *pr, int line, struct buf *err)
{
	struct buf v = BUF_INIT, clean = BUF_INIT;
	int rc = 0;

	if (!strcmp(pr->name, "VERSION")) {
		a->version = !strcmp(pr->value, "2.1")	 ? 21
			     : !strcmp(pr->value, "4.0") ? 40
							 : 30;
	} else if (!strcmp(pr->name, "FN")) {
		rc = take(pr, -1, "FN", &a->fn, line, err);
	} else if (!strcmp(pr->name, "N")) {
		struct buf more = BUF_INIT;

		rc = take(pr, 0, "N", &a->family, line, err);
		if (!rc)
			rc = take(pr, 1, "N", &a->given, line, err);
		if (!rc)
			rc = take(pr, 2, "N", &more, line, err);
		if (!rc && more.len) {
			buf_addch(&a->given, ' ');
			buf_add(&a->given, more.data, more.len);
		}
		if (!rc)
			rc = take(pr, 3, "N", &a->prefix, line, err);
		buf_release(&more);
	} else if (!strcmp(pr->name, "EMAIL")) {
		int pref = pref_of(pr);

		rc = take(pr, 0, "EMAIL", &v, line, err);
		if (!rc && pref < a->email_pref && clean_email(v.data, &clean)) {
			buf_reset(&a->email);
			buf_add(&a->email, clean.data, clean.len);
			a->email_pref = pref;
		}
	} else if (!strcmp(pr->name, "TEL")) {
		/* A mobile first (SMS), then the preferred one, then the
		 * first. */
		int cell = has_type(pr, "CELL") || has_type(pr, "MOBILE") ||
			   has_type(pr, "IPHONE");
		int rank = (cell ? 0 : 200) + pref_of(pr);

		rc = take(pr, 0, "TEL", &v, line, err);
		if (!rc && rank < a->tel_rank && clean_tel(v.data, &clean)) {
			buf_reset(&a->tel);
			buf_add(&a->tel, clean.data, clean.len);
			a->tel_rank = rank;
		}
	} else if (!strcmp(pr->name, "ORG")) {
		rc = take(pr, 0, "ORG", &a->org, line, err);
	} else if (!strcmp(pr->name, "TITLE")) {
		rc = take(pr, -1, "TITLE", &a->title, line, err);
	} else if (!strcmp(pr->name, "GENDER") ||
		   !strcmp(pr->name, "X-GENDER")) {
		/* 4.0: "F", "M;...", others (O, N, U) unknown; exports
		 * also write "female", "male". */
		rc = take(pr, 0, pr->name, &v, line, err);
		if (!rc && (!strcmp(v.data, "M") || !strcmp(v.data, "m") ||
			    !strcasecmp(v.data, "male")))
			a->gender = 'M';
		else if (!rc && (!strcmp(v.data, "F") || !strcmp(v.data, "f") ||
				 !strcasecmp(v.data, "female")))
			a->gender = 'F';
	} else if (!strcmp(pr->name, "LANG") && !a->lang.len) {
		rc = take(pr, 0, "LANG", &v, line, err);
		if (!rc && (!strncasecmp(v.data, "ar", 2) ||
			    !strncasecmp(v.data, "fr", 2)) &&
		    (v.len == 2 || v.data[2] == '-' || v.data[2] == '_')) {
			buf_addch(&a->lang, tolower((unsigned char)v.data[0]));
			buf_addch(&a->lang, tolower((unsigned char)v.data[1]));
		}
	}
	buf_release(&v);
	buf_release(&clean);
	return rc;
}

/* Removes a civility at the start of name ("Mme Karima..."), telling
 * *gender if it was not known. */
static void
strip_civility(struct buf *name, char *gender)
{
	size_t n;
	char g = civility(name->data, &n);

	if (!g || n >= name->len)
		return;
	if (!*gender)
		*gender = g;
	memmove(name->data, name->data + n, name->len - n + 1);
	name->len -= n;
}

/* The card read: its name made whole. Returns 0, or -1 with err set. */
static int
card_finish(struct acc *a, struct vcard *out, struct buf *err)
{
	char g = a->gender;

	if (a->prefix.len) {
		size_t n;
		char pg = civility(a->prefix.data, &n);

		if (!g)
			g = pg;
	}
	strip_civility(&a->fn, &g);
	strip_civility(&a->given, &g);
	if (!a->family.len && !a->given.len && a->fn.len) {
		/* No N: the last word of FN is taken as the family name. */
		const char *sp = strrchr(a->fn.data, ' ');

		if (sp) {
			buf_add(&a->given, a->fn.data,
				(size_t)(sp - a->fn.data));
			buf_addstr(&a->family, sp + 1);
		} else {
			buf_addstr(&a->family, a->fn.data);
		}
	}
	if (!a->fn.len) {
		buf_addstr(&a->fn, a->given.data);
		if (a->given.len && a->family.len)
			buf_addch(&a->fn, ' ');
		buf_addstr(&a->fn, a->family.data);
	}
	if (!a->fn.len) {
		error(err, MAJLIS_ERR_DATA,
		      "line %d: a card without a name (FN or N)",
		      a->started_at);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->fn = xstrdup(a->fn.data);
	out->family = xstrdup(a->family.data);
	out->given = xstrdup(a->given.data);
	out->prefix = xstrdup(a->prefix.data);
	out->email = dup_or_null(&a->email);
	out->tel = dup_or_null(&a->tel);
	out->org = dup_or_null(&a->org);
	out->title = dup_or_null(&a->title);
	out->gender = g;
	if (a->lang.len)
		memcpy(out->lang, a->lang.data, 3);
	else if (text_has_arabic(a->fn.data))
		memcpy(out->lang, "ar", 3);
	else if (text_has_latin(a->fn.data))
		memcpy(out->lang, "fr", 3);
	out->version = a->version;
	return 0;
}

static void
card_release(struct vcard *c)
{
	free(c->fn);
	free(c->family);
	free(c->given);
	free(c->prefix);
	free(c->email);
	free(c->tel);
	free(c->org);
	free(c->title);
}

void
vcard_free(struct vcard *cards, size_t n)
{
	if (!cards)
		return;
	for (size_t i = 0; i < n; i++)
		card_release(&cards[i]);
	free(cards);
}

static int
is_begin_end(const struct prop *pr, const char *what)
{
	return !strcmp(pr->name, what) && !strcasecmp(pr->value, "VCARD") &&
	       pr->nparams == 0;
}

enum majlis_status
vcard_parse(const char *data, size_t len, struct vcard **cards, size_t *n,
	    struct buf *err)
{
	struct reader r = { data, data + len, 0, err };
	struct buf line = BUF_INIT;
	struct vcard *out = NULL;
	struct acc a;
	size_t count = 0;
	int inside = 0, nested = 0, lines = 0, first;
	enum majlis_status rc = MAJLIS_OK;

	*cards = NULL;
	*n = 0;
	if (len > VCARD_MAX_BYTES)
		return error(err, MAJLIS_ERR_DATA,
			     "a vCard of more than %d bytes", VCARD_MAX_BYTES);
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		r.p += 3;
	acc_init(&a, 0);
	while (rc == MAJLIS_OK && next_logical(&r, &line, &first) == 0) {
		struct prop pr;

		if (memchr(line.data, '\0', line.len)) {
			rc = error(err, MAJLIS_ERR_DATA, "line %d: a NUL byte",
				   first);
			break;
		}
		if (split_prop(line.data, &pr)) {
			rc = error(err, MAJLIS_ERR_DATA,
				   "line %d: not a vCard line (NAME:VALUE)",
				   first);
			break;
		}
		if (!inside) {
			if (!is_begin_end(&pr, "BEGIN")) {
				rc = error(err, MAJLIS_ERR_DATA,
					   "line %d: expected BEGIN:VCARD",
					   first);
				break;
			}
			if (count == VCARD_MAX_CARDS) {
				rc = error(err, MAJLIS_ERR_DATA,
					   "line %d: more than %d cards", first,
					   VCARD_MAX_CARDS);
				break;
			}
			acc_release(&a);
			acc_init(&a, first);
			inside = 1;
			lines = 0;
			continue;
		}
		if (++lines > VCARD_MAX_LINES) {
			rc = error(err, MAJLIS_ERR_DATA,
				   "line %d: a card of more than %d lines",
				   first, VCARD_MAX_LINES);
			break;
		}
		/* A card inside a card (2.1's AGENT): skipped whole. */
		if (is_begin_end(&pr, "BEGIN")) {
			nested++;
			continue;
		}
		if (is_begin_end(&pr, "END")) {
			if (nested) {
				nested--;
				continue;
			}
			out = xrealloc(out, (count + 1) * sizeof(*out));
			if (card_finish(&a, &out[count], err)) {
				rc = MAJLIS_ERR_DATA;
				break;
			}
			count++;
			inside = 0;
			continue;
		}
		if (!nested && card_prop(&a, &pr, first, err))
			rc = MAJLIS_ERR_DATA;
	}
	if (rc == MAJLIS_OK && inside)
		rc = error(err, MAJLIS_ERR_DATA,
			   "line %d: the card has no END:VCARD", a.started_at);
	if (rc == MAJLIS_OK && !count)
		rc = error(err, MAJLIS_ERR_DATA, "no vCard in the input");
	acc_release(&a);
	buf_release(&line);
	if (rc != MAJLIS_OK) {
		vcard_free(out, count);
		return rc;
	}
	*cards = out;
	*n = count;
	return MAJLIS_OK;
}
