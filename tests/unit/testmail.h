/*
 * testmail.h - reading back, in unit tests, the messages majlis builds:
 * a part's body decoded by libetpan, whatever its transfer encoding.
 */
#ifndef MAJLIS_TESTMAIL_H
#define MAJLIS_TESTMAIL_H

#include <libetpan/libetpan.h>
#include <strings.h>

#include "testlib.h"

/* The first leaf of mime (depth first) of subtype minor, or NULL. */
static inline struct mailmime *
test_mail_leaf(struct mailmime *mime, const char *minor)
{
	clistiter *it;

	switch (mime->mm_type) {
	case MAILMIME_SINGLE:
		return !strcasecmp(mime->mm_content_type->ct_subtype, minor)
			       ? mime
			       : NULL;
	case MAILMIME_MESSAGE:
		return test_mail_leaf(mime->mm_data.mm_message.mm_msg_mime, minor);
	default:
		for (it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
		     it; it = clist_next(it)) {
			struct mailmime *m = test_mail_leaf(clist_content(it), minor);

			if (m)
				return m;
		}
		return NULL;
	}
}

/* Appends the decoded body of the first part of subtype minor in raw
 * ("plain", "html", "calendar"); returns its transfer encoding
 * (MAILMIME_MECHANISM_*). */
static inline int
test_mail_part(const struct buf *raw, const char *minor, struct buf *out)
{
	struct mailmime *mime = NULL, *leaf;
	struct mailmime_data *d;
	size_t idx = 0, len = 0;
	char *res = NULL;
	int enc;

	assert_int_equal(mailmime_parse(raw->data, raw->len, &idx, &mime),
			 MAILIMF_NO_ERROR);
	leaf = test_mail_leaf(mime, minor);
	assert_non_null(leaf);
	d = leaf->mm_data.mm_single;
	enc = d->dt_encoding;
	idx = 0;
	assert_int_equal(mailmime_part_parse(d->dt_data.dt_text.dt_data,
					     d->dt_data.dt_text.dt_length,
					     &idx, enc, &res, &len),
			 MAILIMF_NO_ERROR);
	buf_add(out, res, len);
	mailmime_decoded_part_free(res);
	mailmime_free(mime);
	return enc;
}

#endif
