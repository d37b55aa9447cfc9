/*
 * fuzz-defs.c - feeds bytes to defs_parse() (engine/defs.h), the strict
 * INI-like reader under the mailflows, the calendar and the structure.
 * The callback reads every item and checks what defs.h promises: lines
 * in order, a section kind made of letters, digits, '-', '_' and '.', a
 * key of the same, a value of valid UTF-8 with no NUL, and "file:line:"
 * in every message. A key named "stop" makes the callback fail, so that
 * the path that stops the parse early is fuzzed too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "fuzz.h"

#define FUZZ_NAME "fuzz.ini"

struct seen {
	int last_line;		/* line of the previous item */
	size_t bytes;		/* bytes of every string so far */
};

static int
word_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return 0;
	return 1;
}

static enum majlis_status
on_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct seen *s = ctx;

	if (strcmp(it->file, FUZZ_NAME) || it->line <= s->last_line)
		abort();
	s->last_line = it->line;
	if (!it->kind || !it->name || (*it->kind && !word_ok(it->kind)) ||
	    (*it->name && !word_ok(it->name)))
		abort();
	if (!it->key) {
		if (it->value || !*it->kind)
			abort();
		return MAJLIS_OK;
	}
	if (!it->value || !word_ok(it->key))
		abort();
	if (!utf8_valid(it->value, strlen(it->value)))
		abort();
	s->bytes += strlen(it->kind) + strlen(it->name) + strlen(it->key) +
		    strlen(it->value);
	if (!strcmp(it->key, "stop"))
		return defs_error(err, it, "stop");
	return MAJLIS_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct seen s = { 0, 0 };
	enum majlis_status rc;

	rc = defs_parse(FUZZ_NAME, copy, size, on_item, &s, &err);
	/* every message is "file:line: reason" */
	if (rc != MAJLIS_OK && strncmp(err.data, FUZZ_NAME ":",
				       strlen(FUZZ_NAME ":")))
		abort();
	if (rc == MAJLIS_OK && err.len)
		abort();
	buf_release(&err);
	free(copy);
	return 0;
}
