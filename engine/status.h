/*
 * status.h - the one status type returned by library functions.
 *
 * 0 is success. Every other value names a class of failure; the details
 * (which file, which line, which object) go into the error buffer the
 * caller passed. The CLI maps a status to a sysexits(3) exit code.
 */
#ifndef MAJLIS_STATUS_H
#define MAJLIS_STATUS_H

#include "buf.h"

enum majlis_status {
	MAJLIS_OK = 0,
	MAJLIS_ERR_USAGE,	/* the caller asked for something malformed */
	MAJLIS_ERR_DATA,	/* input data is invalid (CSV, mailflow, ...) */
	MAJLIS_ERR_NOTFOUND,	/* a named object does not exist */
	MAJLIS_ERR_NOINPUT,	/* an input file cannot be read */
	MAJLIS_ERR_CONFIG,	/* configuration is invalid */
	MAJLIS_ERR_STORE,	/* the database refused an operation */
	MAJLIS_ERR_IO,		/* a file could not be written */
	MAJLIS_ERR_BUSY,	/* another process holds the instance */
	MAJLIS_ERR_EXISTS,	/* refusing to overwrite something */
	MAJLIS_ERR_VERSION,	/* data written by a newer majlis */
	MAJLIS_ERR_REFUSED,	/* a workflow guard refused the event */
	MAJLIS_ERR_INTERNAL,	/* a library failed in an unexpected way */
	MAJLIS_ERR_UNAVAILABLE,	/* a server cannot be used (IMAP) */
	MAJLIS_STATUS__COUNT
};

/* A short lower-case description of a status, never NULL. */
const char *majlis_strerror(enum majlis_status st);

/* Maps a status to a sysexits.h exit code. */
int majlis_exit_code(enum majlis_status st);

/*
 * Appends a formatted message to err (on a line of its own after earlier
 * ones) and returns st, so that a failure is reported and returned in
 * one line: return error(err, MAJLIS_ERR_DATA, "line %d: ...", n);
 */
enum majlis_status error(struct buf *err, enum majlis_status st,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
