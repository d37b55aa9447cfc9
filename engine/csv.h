/*
 * csv.h - a reader for CSV files as spreadsheets export them (RFC 4180):
 * fields separated by commas, or by semicolons as French-locale Excel
 * writes them (the separator is read off the header line); fields quoted
 * with '"' and '""' inside; CRLF or LF line ends, which quoted fields may
 * contain. A UTF-8 byte-order mark is skipped.
 *
 * The reader is pure (bytes in, rows out) and bounded: a hostile file
 * gets a clear error naming its line, never a crash or an unbounded
 * allocation. Text must be UTF-8; the error for other encodings says how
 * to save the file correctly.
 */
#ifndef MAJLIS_CSV_H
#define MAJLIS_CSV_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

#define CSV_MAX_FIELD 4096	/* bytes in one field */
#define CSV_MAX_FIELDS 64	/* fields in one row */
#define CSV_MAX_ROWS 200000	/* rows in one file */

struct csv_row {
	char **fields;		/* NUL-terminated fields, valid during the call */
	size_t n;		/* number of fields */
	int line;		/* line on which the row starts (1-based) */
};

/* Called once per row, header included. Return MAJLIS_OK to go on. */
typedef enum majlis_status (*csv_cb)(void *ctx, const struct csv_row *row,
				     struct buf *err);

/* Parses len bytes named name (for messages); empty lines are skipped. */
enum majlis_status csv_parse(const char *name, const char *data, size_t len,
			     csv_cb cb, void *ctx, struct buf *err);

#endif
