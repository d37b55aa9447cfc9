/*
 * fuzz-mailin.c - feeds bytes to mailin_parse() (engine/mailin.h), the
 * reader of every message that comes in, with limits small enough that
 * the fuzzer reaches them, then what it read to bounce_read()
 * (engine/bounce.h). Checks what the headers promise: a failure says
 * why; a success has a subject, parts within the limits, each with a
 * type, and text parts in valid UTF-8 without NUL bytes; a bounce's
 * recipients are addresses, their status codes of class 2, 4 or 5.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "fuzz.h"
#include "bounce.h"
#include "mailin.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mailin_limits lim = mailin_limits_default;
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct mailin m;
	enum majlis_status rc;
	size_t total = 0;

	lim.max_depth = 6;
	lim.max_parts = 20;
	lim.max_part = 1 << 16;
	lim.max_total = 1 << 17;
	rc = mailin_parse(copy, size, &lim, &m, &err);
	if ((rc != MAJLIS_OK) != (err.len != 0))
		abort();
	if (rc == MAJLIS_OK) {
		if (!m.subject || !m.content_type ||
		    m.nparts > (size_t)lim.max_parts)
			abort();
		for (size_t i = 0; i < m.nparts; i++) {
			const struct mailin_part *p = &m.parts[i];

			if (!p->type || p->depth > lim.max_depth)
				abort();
			/* Decoded bytes are limited before a charset
			 * makes text of them (up to three bytes each). */
			if (!p->is_text && strcmp(p->type, "message/rfc822")) {
				if (p->body.len > lim.max_part)
					abort();
				total += p->body.len;
			}
			if (p->is_text &&
			    (memchr(p->body.data, '\0', p->body.len) ||
			     !utf8_valid(p->body.data, p->body.len)))
				abort();
		}
		if (total > lim.max_total)
			abort();
		{
			struct bounce b;

			if (bounce_read(&m, &b)) {
				for (size_t i = 0; i < b.n; i++)
					if (!strchr(b.rcpt[i].addr, '@') ||
					    (b.rcpt[i].status[0] &&
					     !strchr("245", b.rcpt[i].status[0])))
						abort();
				bounce_release(&b);
			} else if (b.n || b.rcpt) {
				abort();
			}
		}
	}
	mailin_release(&m);
	buf_release(&err);
	free(copy);
	return 0;
}
