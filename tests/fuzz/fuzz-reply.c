/*
 * fuzz-reply.c - feeds bytes to the reading of replies (engine/reply.h):
 * reply_read() with both vocabularies on the bytes as text, and
 * reply_html_text() on them as HTML, then reply_read() on its text.
 * Checks what reply.h promises: a decision only when the outcome is
 * decided, and what was written no longer than what came in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "reply.h"
#include "sys.h"

static void
read_as(const char *text, size_t len, enum reply_vocabulary v)
{
	struct reply_reading r;

	reply_read(text, v, &r);
	if ((r.outcome == REPLY_DECIDED) != (r.decision != REPLY_NONE))
		abort();
	if (r.written.len > len || r.comment.len > r.written.len)
		abort();
	reply_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The reply functions read C strings: a copy with its NUL (the
	 * text ends at the first NUL, as in mailin's bodies). */
	char *copy = xmalloc(size + 1);
	size_t len;
	struct buf html = BUF_INIT;

	if (size)
		memcpy(copy, data, size);
	copy[size] = '\0';
	len = strlen(copy);
	read_as(copy, len, REPLY_INVITATION);
	read_as(copy, len, REPLY_DOSSIER);
	reply_html_text(copy, size, &html);
	read_as(html.data, html.len, REPLY_INVITATION);
	buf_release(&html);
	free(copy);
	return 0;
}
