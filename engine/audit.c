/*
 * audit.c - the append-only audit log (see audit.h).
 */
#include "audit.h"

#include "clock.h"
#include "store.h"

enum majlis_status
audit_write(struct engine *e, const struct audit_entry *a, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"INSERT INTO audit(at, actor_id, actor, object_kind, object_id,"
		" action, event, from_state, to_state, cause, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	char at[TIME_LEN];
	int rc;

	time_format_utc(clock_now(e->clock), at);
	stmt_bind_text(s, 1, at);
	if (a->actor_id)
		stmt_bind_int(s, 2, a->actor_id);
	stmt_bind_text(s, 3, a->actor ? a->actor : "system");
	stmt_bind_text(s, 4, a->object_kind);
	if (a->object_kind)
		stmt_bind_int(s, 5, a->object_id);
	stmt_bind_text(s, 6, a->action);
	stmt_bind_text(s, 7, a->event);
	stmt_bind_text(s, 8, a->from);
	stmt_bind_text(s, 9, a->to);
	stmt_bind_text(s, 10, a->cause);
	stmt_bind_text(s, 11, a->detail);
	rc = stmt_step(s);
	stmt_done(s);
	if (rc < 0)
		return error(err, MAJLIS_ERR_STORE,
			     "cannot write the audit entry: %s",
			     store_errmsg(e->store));
	return MAJLIS_OK;
}

enum majlis_status
audit_each(struct engine *e, const struct audit_filter *f, rec_cb cb,
	   void *ctx, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT * FROM (SELECT id, at, actor, object_kind, object_id,"
		" action, event, from_state AS 'from', to_state AS 'to', cause,"
		" detail FROM audit"
		" WHERE (?1 IS NULL OR object_kind = ?1)"
		" AND (?2 = 0 OR object_id = ?2)"
		" AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)"
		" ORDER BY id DESC LIMIT ?5) ORDER BY id");

	stmt_bind(s, "sissi", f->object_kind, f->object_id, f->since, f->until,
		  f->limit > 0 ? f->limit : (int64_t)-1);
	return store_each_rec(e->store, err, s, cb, ctx);
}
