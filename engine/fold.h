/*
 * fold.h - reading UTF-8 one character at a time, and folding text so
 * that words compare as people mean them: Arabic vowel marks, tatweel
 * and letter variants (أ إ آ ا, ى ي, ة ه), presentation forms and
 * Arabic-Indic digits normalised; for keys also Latin case and accents
 * (élu = ELU). The archive's search and the intake's reading of replies
 * use the same folding.
 */
#ifndef MAJLIS_FOLD_H
#define MAJLIS_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The code point at s[*i] (len bytes in all), moving *i past it; a bad
 * byte reads as U+FFFD and moves one byte. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);
/* Appends c as UTF-8. */
void utf8_put(struct buf *b, uint32_t c);
/* The number of code points in len bytes of UTF-8. */
size_t utf8_count(const char *s, size_t len);

/* An Arabic letter (not a mark, a digit or punctuation). */
int is_arabic_letter(uint32_t c);
/* A character of a word, roughly as SQLite's unicode61 tokenizer sees
 * it: letters, digits and the marks inside words. */
int is_word_char(uint32_t c);

/* Appends s normalised: Arabic as above, œ æ as two letters, control
 * characters as spaces; case and Latin accents kept. */
void fold_norm(const char *s, size_t len, struct buf *out);
/* Appends s as a key: normalised, Latin case and accents folded. */
void fold_key(const char *s, size_t len, struct buf *out);
/* Appends the key of one code point. */
void fold_key_add(struct buf *out, uint32_t c);

#endif
