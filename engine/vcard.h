/*
 * vcard.h - reading the contact cards phones send (vCard 2.1, 3.0 and
 * 4.0: RFC 2425/2426, RFC 6350), to propose a person to invite.
 *
 * A pure parser: bytes in, cards out; it opens nothing. What it keeps of
 * a card is what an invitation needs: the name (FN, and N's family,
 * given and prefix parts), one e-mail address, one telephone number, the
 * organisation and title, the gender (GENDER, else told by a civility
 * in the name: Mme, M., السيدة ...) and the language (LANG, else the
 * script of the name). Everything else (photos, addresses, notes) is
 * skipped. Every text comes out as UTF-8 in NFC.
 */
#ifndef MAJLIS_VCARD_H
#define MAJLIS_VCARD_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Limits on what is read: past them, the input is refused. */
enum {
	VCARD_MAX_BYTES = 1 << 20,	/* the whole input */
	VCARD_MAX_CARDS = 100,		/* cards in one input */
	VCARD_MAX_LINES = 5000,		/* content lines in one card */
	VCARD_MAX_TEXT = 256,		/* bytes of a kept value */
};

struct vcard {
	char *fn;		/* the name as written (FN, else from N) */
	char *family;		/* N: family name(s), or "" */
	char *given;		/* N: given and additional names, or "" */
	char *prefix;		/* N: honorific prefix, or "" */
	char *email;		/* the preferred address, or NULL */
	char *tel;		/* a mobile number first, "+" and digits, or NULL */
	char *org;		/* ORG's first part, or NULL */
	char *title;		/* TITLE, or NULL */
	char gender;		/* 'M', 'F', or 0 when unknown */
	char lang[3];		/* "ar", "fr", or "" */
	int version;		/* 21, 30 or 40 */
};

/*
 * Reads every card of the len bytes at data. On success *cards (freed
 * with vcard_free()) holds *n >= 1 cards. MAJLIS_ERR_DATA, with the
 * reason and the line in err, for input that is not a vCard, a card
 * without a name, text that is not UTF-8 in a known charset, or input
 * past the limits above; nothing is returned then.
 */
enum majlis_status vcard_parse(const char *data, size_t len,
			       struct vcard **cards, size_t *n,
			       struct buf *err);

/* Frees n cards from vcard_parse(); NULL does nothing. */
void vcard_free(struct vcard *cards, size_t n);

#endif
