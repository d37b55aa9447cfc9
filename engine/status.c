/*
 * status.c - status descriptions and their exit codes.
 */
#include "status.h"

#include <stdarg.h>
#include <sysexits.h>

static const struct {
	const char *text;
	int exit_code;
} statuses[MAJLIS_STATUS__COUNT] = {
	[MAJLIS_OK] = { "success", EX_OK },
	[MAJLIS_ERR_USAGE] = { "usage error", EX_USAGE },
	[MAJLIS_ERR_DATA] = { "invalid data", EX_DATAERR },
	[MAJLIS_ERR_NOTFOUND] = { "not found", EX_DATAERR },
	[MAJLIS_ERR_NOINPUT] = { "cannot read input", EX_NOINPUT },
	[MAJLIS_ERR_CONFIG] = { "invalid configuration", EX_CONFIG },
	[MAJLIS_ERR_STORE] = { "database error", EX_SOFTWARE },
	[MAJLIS_ERR_IO] = { "input/output error", EX_IOERR },
	[MAJLIS_ERR_BUSY] = { "instance busy", EX_TEMPFAIL },
	[MAJLIS_ERR_EXISTS] = { "already exists", EX_CANTCREAT },
	[MAJLIS_ERR_VERSION] = { "written by a newer majlis", EX_CONFIG },
	[MAJLIS_ERR_REFUSED] = { "refused by the workflow", EX_DATAERR },
	[MAJLIS_ERR_INTERNAL] = { "internal error", EX_SOFTWARE },
	[MAJLIS_ERR_UNAVAILABLE] = { "service unavailable", EX_UNAVAILABLE },
};

const char *
majlis_strerror(enum majlis_status st)
{
	if ((int)st < 0 || st >= MAJLIS_STATUS__COUNT)
		return "unknown status";
	return statuses[st].text;
}

int
majlis_exit_code(enum majlis_status st)
{
	if ((int)st < 0 || st >= MAJLIS_STATUS__COUNT)
		return EX_SOFTWARE;
	return statuses[st].exit_code;
}

enum majlis_status
error(struct buf *err, enum majlis_status st, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return st;
	if (err->len)
		buf_addch(err, '\n');
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	return st;
}
