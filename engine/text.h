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

#endif
