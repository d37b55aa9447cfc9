/*
 * fuzz-vcard.c - feeds bytes to vcard_parse() (engine/vcard.h), the
 * reader of the contact cards that staff send from their phones. Checks
 * what vcard.h promises: a failure says why and returns nothing; a
 * success returns at least one card, each with a name, every kept text
 * valid UTF-8 within VCARD_MAX_TEXT bytes, a gender of M, F or none, a
 * language of ar, fr or none, a number of '+' and digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "fuzz.h"
#include "vcard.h"

static void
check_text(const char *s, int may_be_null)
{
	if (!s) {
		if (!may_be_null)
			abort();
		return;
	}
	/* Decoded values are at most VCARD_MAX_TEXT; a name made of N's
	 * parts at most three of them and two spaces. */
	if (strlen(s) > 3 * VCARD_MAX_TEXT + 2 || !utf8_valid(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct vcard *c = NULL;
	size_t n = 0;
	enum majlis_status rc;

	rc = vcard_parse(copy, size, &c, &n, &err);
	if ((rc != MAJLIS_OK) != (err.len != 0))
		abort();
	if (rc != MAJLIS_OK && (c || n))
		abort();
	if (rc == MAJLIS_OK && (!c || n < 1 || n > VCARD_MAX_CARDS))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!c[i].fn[0])
			abort();
		check_text(c[i].fn, 0);
		check_text(c[i].family, 0);
		check_text(c[i].given, 0);
		check_text(c[i].prefix, 0);
		check_text(c[i].email, 1);
		check_text(c[i].org, 1);
		check_text(c[i].title, 1);
		if (c[i].gender && c[i].gender != 'M' && c[i].gender != 'F')
			abort();
		if (c[i].lang[0] && strcmp(c[i].lang, "ar") &&
		    strcmp(c[i].lang, "fr"))
			abort();
		if (c[i].tel && strspn(c[i].tel + (c[i].tel[0] == '+'),
				       "0123456789") !=
					strlen(c[i].tel) - (c[i].tel[0] == '+'))
			abort();
		if (c[i].email && !strchr(c[i].email, '@'))
			abort();
	}
	vcard_free(c, n);
	buf_release(&err);
	free(copy);
	return 0;
}
