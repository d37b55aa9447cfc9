/*
 * text.h - Unicode text handling with ICU: normalization to NFC, which
 * intake and imports apply once, at the edge, so that the rest of the
 * engine can compare names and words byte for byte.
 */
#ifndef MAJLIS_TEXT_H
#define MAJLIS_TEXT_H

#include <stddef.h>

#include "buf.h"

/* Appends the NFC form of the UTF-8 text s (len bytes) to out. Returns 0,
 * or -1 if s is not valid UTF-8 (out is then unchanged). */
int text_nfc(const char *s, size_t len, struct buf *out);

/*
 * Appends the len bytes at s, written in charset (a MIME or IANA name:
 * "UTF-8", "windows-1256", "ISO-8859-6", "ISO-8859-1"...), as UTF-8 in
 * NFC. Returns 0, or -1 if the charset is unknown or s is not valid in
 * it (out is then unchanged).
 */
int text_to_utf8(const char *charset, const char *s, size_t len,
		 struct buf *out);

/* True when the UTF-8 text contains Arabic letters. */
int text_has_arabic(const char *s);
/* True when the UTF-8 text contains Latin letters. */
int text_has_latin(const char *s);

/*
 * For Arabic text: appends s to out with each stretch written left to
 * right (a reference, an e-mail address, a range, a date, an amount with
 * its thousands groups, Latin words) wrapped in a left-to-right isolate,
 * U+2066 ... U+2069, so that the bidi algorithm shows it as written.
 * Returns whether it added any.
 */
int text_isolate_ltr(const char *s, struct buf *out);

/* The direction of the first strong letter of s: 1 right to left
 * (Arabic), 0 left to right, -1 when it has none (digits, signs). */
int text_first_strong(const char *s);

/* Sorts: order[0..n) gets the indexes of keys in the collation order of
 * locale ("fr", "ar"), equal keys in their given order. */
void text_sort(const char *const *keys, size_t n, const char *locale,
	       size_t *order);

/* Appends s in capitals, or in small letters, by the rules of locale. */
void text_upper(const char *s, const char *locale, struct buf *out);
void text_lower(const char *s, const char *locale, struct buf *out);
/* Appends s with its first letter in small letters ("la première..."). */
void text_lower_first(const char *s, const char *locale, struct buf *out);

#endif
