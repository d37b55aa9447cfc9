/*
 * defs.h - the parser for definition files: the mailflows (*.flow),
 * the calendar (*.ini) and the reports (*.report). Their syntax is INI:
 *
 *   ; a comment line (also '#')
 *   [kind name]          a section: a kind and an optional name
 *   key = value          a value, which may hold any UTF-8 text
 *
 * Unlike majlis.conf (read with inih), definition files hold long Arabic
 * lines and punctuation such as ';' inside values, so they have their own
 * strict reader: no inline comments, lines of up to DEFS_MAX_LINE bytes,
 * UTF-8 only, no NUL bytes. Keys may repeat; the callback decides what a
 * repetition means. Every problem is reported as "file:line: reason".
 */
#ifndef MAJLIS_DEFS_H
#define MAJLIS_DEFS_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

#define DEFS_MAX_LINE 4096
#define DEFS_MAX_FILE (1024 * 1024)

struct defs_item {
	const char *file;	/* the file name given to the parser */
	int line;		/* 1-based line of this item */
	const char *kind;	/* the section kind ("state"), "" before any */
	const char *name;	/* the section name ("draft"), may be "" */
	const char *key;	/* NULL when a section starts */
	const char *value;	/* trimmed value; NULL when a section starts */
};

/*
 * Called for each section start (key == NULL) and each key. Return
 * MAJLIS_OK to go on; any other status stops the parse, and should have
 * been reported into err with defs_error().
 */
typedef enum majlis_status (*defs_cb)(void *ctx, const struct defs_item *it,
				      struct buf *err);

/* Parses len bytes of data named name (used in messages). */
enum majlis_status defs_parse(const char *name, const char *data, size_t len,
			      defs_cb cb, void *ctx, struct buf *err);
/* Reads and parses the file at path. */
enum majlis_status defs_parse_file(const char *path, defs_cb cb, void *ctx,
				   struct buf *err);

/* Reports "file:line: message" into err and returns MAJLIS_ERR_DATA. */
enum majlis_status defs_error(struct buf *err, const struct defs_item *it,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* True when the bytes are valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t len);

/*
 * Splits s at runs of spaces and tabs into words, stored in words (up to
 * max). Returns the number of words, or -1 when there are more than max.
 * The words point into s, which is modified.
 */
int split_words(char *s, char **words, int max);

#endif
