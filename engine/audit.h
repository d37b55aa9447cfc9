/*
 * audit.h - the audit log: append-only (the store refuses updates and
 * deletes), one entry for every change and every refusal, written in the
 * same transaction as what it records, and naming its cause.
 */
#ifndef MAJLIS_AUDIT_H
#define MAJLIS_AUDIT_H

#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

struct audit_entry {
	int64_t actor_id;	 /* the person acting, 0 for none */
	const char *actor;	 /* "system", "cli", "demo", or a person */
	const char *object_kind; /* what it is about, or NULL */
	int64_t object_id;	 /* its id */
	const char *action;	 /* transition, refused, ignored, job, ... */
	const char *event;	 /* the event name, or NULL */
	const char *from;	 /* state before, or NULL */
	const char *to;		 /* state after, or NULL */
	const char *cause;	 /* why: the event, the deadline, the file */
	const char *detail;	 /* more, as JSON or text, or NULL */
};

/* Appends an entry, timed by the engine's clock. */
enum majlis_status audit_write(struct engine *e, const struct audit_entry *a,
			       struct buf *err);

struct audit_filter {
	const char *object_kind; /* only this kind, or NULL */
	int64_t object_id;	 /* only this object, or 0 */
	const char *since;	 /* only entries at or after (UTC text) */
	const char *until;	 /* only entries before (UTC text) */
	int64_t limit;		 /* at most this many (the latest), 0 = all */
};

/* Hands each matching entry, oldest first, to cb. */
enum majlis_status audit_each(struct engine *e, const struct audit_filter *f,
			      rec_cb cb, void *ctx, struct buf *err);

#endif
