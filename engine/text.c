/*
 * text.c - Unicode normalization and script checks (see text.h).
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>
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
