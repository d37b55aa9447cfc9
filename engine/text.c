/*
 * text.c - Unicode normalization and script checks (see text.h).
 */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "defs.h"
#include "sys.h"

int
text_nfc(const char *s, size_t len, struct buf *out)
{
	UErrorCode uerr = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&uerr);
	UChar *u16 = NULL, *norm = NULL;
	int32_t n16 = 0, nnorm, n8 = 0;
	int rc = -1;

	if (U_FAILURE(uerr) || len > INT32_MAX / 4 || !utf8_valid(s, len))
		return -1;
	u16 = xmalloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(u16, (int32_t)len + 1, &n16, s, (int32_t)len, &uerr);
	if (U_FAILURE(uerr))
		goto out;
	/* NFC of a string is at most three times as long. */
	norm = xmalloc(((size_t)n16 * 3 + 1) * sizeof(UChar));
	nnorm = unorm2_normalize(nfc, u16, n16, norm, n16 * 3 + 1, &uerr);
	if (U_FAILURE(uerr))
		goto out;
	u_strToUTF8(NULL, 0, &n8, norm, nnorm, &uerr);
	if (uerr != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(uerr))
		goto out;
	uerr = U_ZERO_ERROR;
	buf_grow(out, (size_t)n8);
	u_strToUTF8(out->data + out->len, n8 + 1, NULL, norm, nnorm, &uerr);
	if (U_FAILURE(uerr))
		goto out;
	out->len += (size_t)n8;
	out->data[out->len] = '\0';
	rc = 0;
out:
	free(u16);
	free(norm);
	return rc;
}

int
text_to_utf8(const char *charset, const char *s, size_t len, struct buf *out)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UConverter *cv;
	UChar *u16 = NULL;
	char *u8 = NULL;
	int32_t n16, n8;
	int rc = -1;

	if (!strcasecmp(charset, "utf-8") || !strcasecmp(charset, "utf8") ||
	    !strcasecmp(charset, "us-ascii"))
		return text_nfc(s, len, out);
	if (len > INT32_MAX / 4)
		return -1;
	cv = ucnv_open(charset, &uerr);
	if (U_FAILURE(uerr))
		return -1;
	/* A byte the charset does not define is an error, not U+FFFD. */
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
			    &uerr);
	/* Each byte of a single- or multi-byte charset makes at most one
	 * UTF-16 unit. */
	u16 = xmalloc((len + 1) * sizeof(UChar));
	n16 = ucnv_toUChars(cv, u16, (int32_t)len + 1, s, (int32_t)len,
			    &uerr);
	if (U_FAILURE(uerr))
		goto out;
	u8 = xmalloc((size_t)n16 * 3 + 1);
	u_strToUTF8(u8, n16 * 3 + 1, &n8, u16, n16, &uerr);
	if (U_FAILURE(uerr))
		goto out;
	rc = text_nfc(u8, (size_t)n8, out);
out:
	ucnv_close(cv);
	free(u16);
	free(u8);
	return rc;
}

static int
has_script(const char *s, UScriptCode want)
{
	int32_t i = 0, n = (int32_t)strlen(s);

	while (i < n) {
		UChar32 c;
		UErrorCode uerr = U_ZERO_ERROR;

		U8_NEXT(s, i, n, c);
		if (c < 0)
			return 0;
		if (uscript_getScript(c, &uerr) == want)
			return 1;
	}
	return 0;
}

int
text_has_arabic(const char *s)
{
	return has_script(s, USCRIPT_ARABIC);
}

int
text_has_latin(const char *s)
{
	return has_script(s, USCRIPT_LATIN);
}

static int
is_latin_letter(UChar32 c)
{
	return (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static int
is_digit(UChar32 c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(UChar32 c)
{
	return is_digit(c) || is_latin_letter(c);
}

/* Punctuation that holds a reference, an address, a date or an amount
 * together when it stands between two letters or digits. */
static int
is_joiner(UChar32 c)
{
	if (c > 0 && c < 0x80)
		return strchr("-./@:_+&',%", (int)c) != NULL;
	return c == 0x2013 || c == 0x2014 || c == 0x2019 || c == 0xB0;
}

static int
is_space(UChar32 c)
{
	return c == ' ' || c == 0xA0 || c == 0x202F;
}

static UChar32
char_at(const char *s, int32_t len, int32_t i, int32_t *next)
{
	UChar32 c = 0;

	if (i >= len) {
		*next = i;
		return 0;
	}
	U8_NEXT(s, i, len, c);
	*next = i;
	return c;
}

/* True when s[i..] starts with exactly three digits (a thousands group). */
static int
thousands_at(const char *s, int32_t len, int32_t i)
{
	int32_t n;

	for (int k = 0; k < 3; k++) {
		if (!is_digit(char_at(s, len, i, &n)))
			return 0;
		i = n;
	}
	return !is_digit(char_at(s, len, i, &n));
}

/*
 * In Arabic text, the bidi algorithm breaks what is written left to
 * right into pieces it orders right to left: "CONV-2027-0001" comes out
 * "2027-0001-CONV" next to Arabic, "1 250 000" as "000 250 1" and
 * "2022-2027" as "2027-2022". Each stretch of Latin letters and digits,
 * with the punctuation inside it (a reference, an e-mail address, a
 * range, a date, an amount with its thousands groups, a percentage,
 * Latin words separated by spaces), is wrapped in a left-to-right isolate
 * (U+2066 ... U+2069), so it reads as written. A lone number needs
 * nothing.
 */
int
text_isolate_ltr(const char *s, struct buf *out)
{
	int32_t len = (int32_t)strlen(s), p = 0;
	int changed = 0;

	while (p < len) {
		int32_t n, start = p, end;
		UChar32 c = char_at(s, len, p, &n), last;
		int wrap;

		if (!is_alnum(c)) {
			buf_add(out, s + p, (size_t)(n - p));
			p = n;
			continue;
		}
		wrap = is_latin_letter(c);
		last = c;
		end = n;
		for (;;) {
			int32_t q;
			UChar32 d = char_at(s, len, end, &q), e;

			if (is_alnum(d)) {
				wrap |= is_latin_letter(d);
				last = d;
				end = q;
				continue;
			}
			if (is_joiner(d)) {
				int32_t q2 = q;

				e = char_at(s, len, q, &q2);
				while (is_joiner(e) && q2 - end < 12) {
					q = q2;
					e = char_at(s, len, q, &q2);
				}
				if (!is_alnum(e))
					break;
				wrap = 1;
				end = q;
				continue;
			}
			if (is_space(d)) {
				int32_t q2;

				e = char_at(s, len, q, &q2);
				if ((is_latin_letter(last) && is_alnum(e)) ||
				    (is_digit(last) &&
				     thousands_at(s, len, q))) {
					wrap = 1;
					end = q;
					continue;
				}
			}
			break;
		}
		/* A percentage keeps its sign on its side: "50.5%", not
		 * "%50.5" with the sign left outside the isolate. */
		if (is_digit(last)) {
			int32_t q;
			UChar32 d = char_at(s, len, end, &q);

			if (d == '%' || d == 0x066A || d == 0x2030)
				end = q;
		}
		if (wrap)
			buf_addstr(out, "\xe2\x81\xa6");
		buf_add(out, s + start, (size_t)(end - start));
		if (wrap)
			buf_addstr(out, "\xe2\x81\xa9");
		changed |= wrap;
		p = end;
	}
	return changed;
}

struct sort_ctx {
	UCollator *coll;
	const char *const *keys;
};

static struct sort_ctx *sort_current;

static int
cmp_collated(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	UErrorCode uerr = U_ZERO_ERROR;
	UCollationResult r;

	r = ucol_strcollUTF8(sort_current->coll, sort_current->keys[x], -1,
			     sort_current->keys[y], -1, &uerr);
	if (U_FAILURE(uerr) || r == UCOL_EQUAL)
		return x < y ? -1 : x > y;
	return r == UCOL_LESS ? -1 : 1;
}

void
text_sort(const char *const *keys, size_t n, const char *locale,
	  size_t *order)
{
	UErrorCode uerr = U_ZERO_ERROR;
	struct sort_ctx ctx;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	ctx.coll = ucol_open(locale, &uerr);
	ctx.keys = keys;
	if (U_FAILURE(uerr) || !ctx.coll) {
		/* ICU without the locale: keep the given order. */
		return;
	}
	sort_current = &ctx;
	qsort(order, n, sizeof(*order), cmp_collated);
	sort_current = NULL;
	ucol_close(ctx.coll);
}

static void
text_case(const char *s, const char *locale, int upper, struct buf *out)
{
	UErrorCode uerr = U_ZERO_ERROR;
	int32_t n16 = 0, up = 0, n8 = 0;
	UChar *u = NULL, *v = NULL;

	u_strFromUTF8(NULL, 0, &n16, s, -1, &uerr);
	uerr = U_ZERO_ERROR;
	u = xmalloc(((size_t)n16 + 1) * sizeof(UChar));
	u_strFromUTF8(u, n16 + 1, NULL, s, -1, &uerr);
	if (U_SUCCESS(uerr))
		up = upper ? u_strToUpper(NULL, 0, u, n16, locale, &uerr)
			   : u_strToLower(NULL, 0, u, n16, locale, &uerr);
	if (uerr == U_BUFFER_OVERFLOW_ERROR)
		uerr = U_ZERO_ERROR;
	if (U_SUCCESS(uerr)) {
		v = xmalloc(((size_t)up + 1) * sizeof(UChar));
		if (upper)
			u_strToUpper(v, up + 1, u, n16, locale, &uerr);
		else
			u_strToLower(v, up + 1, u, n16, locale, &uerr);
	}
	if (U_SUCCESS(uerr)) {
		u_strToUTF8(NULL, 0, &n8, v, up, &uerr);
		if (uerr == U_BUFFER_OVERFLOW_ERROR)
			uerr = U_ZERO_ERROR;
	}
	if (U_SUCCESS(uerr)) {
		buf_grow(out, (size_t)n8 + 1);
		u_strToUTF8(out->data + out->len, n8 + 1, NULL, v, up, &uerr);
	}
	if (U_SUCCESS(uerr)) {
		out->len += (size_t)n8;
		out->data[out->len] = '\0';
	} else {
		buf_addstr(out, s);
	}
	free(u);
	free(v);
}

void
text_upper(const char *s, const char *locale, struct buf *out)
{
	text_case(s, locale, 1, out);
}

void
text_lower(const char *s, const char *locale, struct buf *out)
{
	text_case(s, locale, 0, out);
}

int
text_first_strong(const char *s)
{
	int32_t len = (int32_t)strlen(s), i = 0;

	while (i < len) {
		UChar32 c;
		UCharDirection d;

		U8_NEXT(s, i, len, c);
		if (c < 0)
			continue;
		d = u_charDirection(c);
		if (d == U_LEFT_TO_RIGHT)
			return 0;
		if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC)
			return 1;
	}
	return -1;
}

void
text_lower_first(const char *s, const char *locale, struct buf *out)
{
	int32_t len = (int32_t)strlen(s), i = 0;
	UChar32 c;
	char first[8];

	if (!len)
		return;
	U8_NEXT(s, i, len, c);
	(void)c;
	snprintf(first, sizeof(first), "%.*s", (int)i, s);
	text_lower(first, locale, out);
	buf_addstr(out, s + i);
}
