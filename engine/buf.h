/*
 * buf.h - one growable byte buffer for the whole engine.
 *
 * Invariants (after BUF_INIT or buf_init()):
 *  - data is never NULL: an empty buffer points at a shared empty string;
 *  - data[len] is always '\0', yet the content may itself hold NUL bytes;
 *  - buf_detach() hands the memory to the caller, who frees it with free().
 * Pass a buffer by pointer, so growing it can never leave a stale copy.
 * Allocation failure aborts (see sys.h): a buffer operation cannot fail.
 */
#ifndef MAJLIS_BUF_H
#define MAJLIS_BUF_H

#include <stdarg.h>
#include <stddef.h>

extern char buf_empty[];

struct buf {
	char *data;	/* content, NUL-terminated, never NULL */
	size_t len;	/* bytes used, not counting the final NUL */
	size_t cap;	/* bytes allocated; 0 while data is buf_empty */
};

#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
/* Frees the content and leaves the buffer as after buf_init(). */
void buf_release(struct buf *b);
/* Makes room for at least extra more bytes. */
void buf_grow(struct buf *b, size_t extra);
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Cuts the content to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Returns the content as a heap string owned by the caller; resets b. */
char *buf_detach(struct buf *b, size_t *len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Replaces the content with the formatted text. */
void buf_setf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Removes trailing ASCII whitespace. */
void buf_rtrim(struct buf *b);
/* Appends s with &, <, > and " written as HTML entities. */
void buf_add_html(struct buf *b, const char *s);

#endif
