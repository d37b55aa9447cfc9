/*
 * fuzz-csv.c - feeds bytes to csv_parse() (engine/csv.h), the reader of
 * the organigramme and of every CSV file people hand to majlis. The
 * callback reads every field of every row and checks what csv.h
 * promises: rows in order of their lines, at most CSV_MAX_FIELDS fields
 * of at most CSV_MAX_FIELD bytes, each NUL-terminated. A row whose first
 * field is "STOP" makes the callback fail, so that the path that stops
 * the parse early is fuzzed too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"

struct seen {
	int last_line;		/* line of the previous row */
	size_t bytes;		/* bytes of every field so far */
};

static enum majlis_status
on_row(void *ctx, const struct csv_row *row, struct buf *err)
{
	struct seen *s = ctx;

	if (row->n < 1 || row->n > CSV_MAX_FIELDS || !row->fields)
		abort();
	if (row->line < 1 || row->line <= s->last_line)
		abort();
	s->last_line = row->line;
	for (size_t i = 0; i < row->n; i++) {
		size_t n = strlen(row->fields[i]);

		if (n > CSV_MAX_FIELD)
			abort();
		s->bytes += n;
	}
	if (!strcmp(row->fields[0], "STOP"))
		return error(err, MAJLIS_ERR_DATA, "line %d: stop", row->line);
	return MAJLIS_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct seen s = { 0, 0 };
	enum majlis_status rc;

	rc = csv_parse("fuzz.csv", copy, size, on_row, &s, &err);
	/* A failure says why; a success leaves no message. */
	if ((rc != MAJLIS_OK) != (err.len != 0))
		abort();
	buf_release(&err);
	free(copy);
	return 0;
}
