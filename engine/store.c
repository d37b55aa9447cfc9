/*
 * store.c - the SQLite store (see store.h).
 *
 * Layout: opening and migration; transactions; the statement cache and
 * the statement interface; one-shot helpers; counters.
 *
 * Every connection runs with foreign_keys=ON, journal_mode=WAL,
 * synchronous=NORMAL in WAL (durable at each checkpoint, and a crash
 * never corrupts the file) and a busy timeout, so that a CLI command
 * that writes while a tick runs waits rather than fails.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store-priv.h"
#include "sys.h"

struct stmt {
	sqlite3_stmt *sq;	/* the prepared statement */
	char *sql;		/* its text, the cache key */
	uint32_t hash;		/* FNV-1a of sql */
	struct stmt *next;	/* next in the same cache bucket */
};

#define STMT_BUCKETS 128

struct store {
	sqlite3 *db;			  /* the connection */
	int version;			  /* user_version after opening */
	int in_tx;			  /* inside store_begin/commit */
	struct stmt *cache[STMT_BUCKETS]; /* prepared statements by SQL */
	uint64_t budget;		  /* store_set_budget(): left, 1000s */
	int spent;			  /* the budget ran out */
};

static uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db);
}

static enum majlis_status
exec_script(struct store *st, struct buf *err, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error(err, MAJLIS_ERR_STORE, "%s", msg ? msg : "unknown error");
		sqlite3_free(msg);
		return MAJLIS_ERR_STORE;
	}
	return MAJLIS_OK;
}

static int
read_user_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL))
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static enum majlis_status
migrate(struct store *st, const char *path, int target, struct buf *err)
{
	struct buf sql = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	int v;

	v = read_user_version(st);
	if (v < 0)
		return error(err, MAJLIS_ERR_STORE,
			     "cannot read the schema version of '%s': %s",
			     path, sqlite3_errmsg(st->db));
	if (v > store_migration_count)
		return error(err, MAJLIS_ERR_VERSION,
			     "'%s' has schema version %d, newer than this "
			     "majlis understands (%d): upgrade majlis",
			     path, v, store_migration_count);
	while (v < target) {
		buf_reset(&sql);
		buf_addf(&sql, "BEGIN IMMEDIATE;%s;PRAGMA user_version = %d;",
			 store_migrations[v], v + 1);
		rc = exec_script(st, err, sql.data);
		if (rc == MAJLIS_OK)
			rc = exec_script(st, err, "COMMIT");
		if (rc != MAJLIS_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			error(err, rc,
			      "cannot migrate '%s' from schema version %d to %d",
			      path, v, v + 1);
			break;
		}
		v++;
	}
	buf_release(&sql);
	st->version = v;
	return rc;
}

enum majlis_status
store_open_version(const char *path, unsigned flags, int version,
		   struct store **out, struct buf *err)
{
	struct store *st;
	enum majlis_status rc;
	int oflags;

	*out = NULL;
	if (version <= 0 || version > store_migration_count)
		version = store_migration_count;
	st = xcalloc(1, sizeof(*st));
	oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					  : SQLITE_OPEN_READWRITE;
	if ((flags & STORE_CREATE) && !(flags & STORE_READONLY))
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = error(err, (flags & STORE_CREATE) ? MAJLIS_ERR_IO
						       : MAJLIS_ERR_NOINPUT,
			   "cannot open the store '%s': %s", path,
			   st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	rc = exec_script(st, err, "PRAGMA foreign_keys = ON;");
	if (rc == MAJLIS_OK && !(flags & STORE_READONLY))
		rc = exec_script(st, err,
				 "PRAGMA journal_mode = WAL;"
				 "PRAGMA synchronous = NORMAL;");
	if (rc != MAJLIS_OK) {
		error(err, rc, "'%s' is not a usable majlis store", path);
		goto fail;
	}
	if (flags & STORE_READONLY) {
		st->version = read_user_version(st);
		if (st->version != store_migration_count) {
			rc = error(err, MAJLIS_ERR_VERSION,
				   "'%s' has schema version %d, expected %d: "
				   "run a command that writes to upgrade it",
				   path, st->version, store_migration_count);
			goto fail;
		}
	} else {
		rc = migrate(st, path, version, err);
		if (rc != MAJLIS_OK)
			goto fail;
	}
	*out = st;
	return MAJLIS_OK;
fail:
	store_close(st);
	return rc;
}

enum majlis_status
store_open(const char *path, unsigned flags, struct store **out,
	   struct buf *err)
{
	return store_open_version(path, flags, 0, out, err);
}

void
store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	if (st->in_tx)
		store_rollback(st);
	for (i = 0; i < STMT_BUCKETS; i++) {
		struct stmt *s = st->cache[i], *next;

		for (; s; s = next) {
			next = s->next;
			sqlite3_finalize(s->sq);
			free(s->sql);
			free(s);
		}
	}
	sqlite3_close(st->db);
	free(st);
}

int
store_version(struct store *st)
{
	return st->version;
}

enum majlis_status
store_begin(struct store *st, struct buf *err)
{
	if (st->in_tx)
		BUG("nested transaction");
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		return error(err, MAJLIS_ERR_STORE,
			     "cannot begin a transaction: %s",
			     sqlite3_errmsg(st->db));
	st->in_tx = 1;
	return MAJLIS_OK;
}

enum majlis_status
store_commit(struct store *st, struct buf *err)
{
	if (!st->in_tx)
		BUG("commit outside a transaction");
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL)) {
		enum majlis_status rc = error(err, MAJLIS_ERR_STORE,
					      "cannot commit: %s",
					      sqlite3_errmsg(st->db));

		store_rollback(st);
		return rc;
	}
	st->in_tx = 0;
	return MAJLIS_OK;
}

void
store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	if (sqlite3_get_autocommit(st->db) == 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

int
store_in_transaction(struct store *st)
{
	return st->in_tx;
}

struct stmt *
store_prepare(struct store *st, const char *sql)
{
	uint32_t h = fnv1a(sql);
	struct stmt **bucket = &st->cache[h % STMT_BUCKETS], *s;

	for (s = *bucket; s; s = s->next) {
		if (s->hash == h && !strcmp(s->sql, sql)) {
			sqlite3_reset(s->sq);
			sqlite3_clear_bindings(s->sq);
			return s;
		}
	}
	s = xcalloc(1, sizeof(*s));
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->sq, NULL) != SQLITE_OK)
		BUG("bad SQL: %s\n  in: %s", sqlite3_errmsg(st->db), sql);
	s->sql = xstrdup(sql);
	s->hash = h;
	s->next = *bucket;
	*bucket = s;
	return s;
}

static void
stmt_vbind(struct stmt *s, const char *fmt, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 1; fmt && *fmt; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(s->sq, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(s->sq, i, va_arg(ap, int));
			break;
		case 's': {
			const char *v = va_arg(ap, const char *);

			rc = v ? sqlite3_bind_text(s->sq, i, v, -1,
						   SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s->sq, i);
			break;
		}
		case 'n':
			rc = sqlite3_bind_null(s->sq, i);
			break;
		default:
			BUG("bad bind format '%c'", *fmt);
		}
		if (rc != SQLITE_OK)
			BUG("cannot bind parameter %d of: %s", i, s->sql);
	}
}

void
stmt_bind(struct stmt *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stmt_vbind(s, fmt, ap);
	va_end(ap);
}

void
stmt_bind_int(struct stmt *s, int idx, int64_t v)
{
	if (sqlite3_bind_int64(s->sq, idx, v) != SQLITE_OK)
		BUG("cannot bind parameter %d of: %s", idx, s->sql);
}

void
stmt_bind_text(struct stmt *s, int idx, const char *v)
{
	int rc = v ? sqlite3_bind_text(s->sq, idx, v, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(s->sq, idx);

	if (rc != SQLITE_OK)
		BUG("cannot bind parameter %d of: %s", idx, s->sql);
}

void
stmt_bind_blob(struct stmt *s, int idx, const void *v, size_t len)
{
	int rc = sqlite3_bind_blob64(s->sq, idx, len ? v : "", len,
				     SQLITE_TRANSIENT);

	if (rc != SQLITE_OK)
		BUG("cannot bind parameter %d of: %s", idx, s->sql);
}

int
stmt_step(struct stmt *s)
{
	int rc = sqlite3_step(s->sq);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return -1;
}

void
stmt_done(struct stmt *s)
{
	sqlite3_reset(s->sq);
}

int
stmt_columns(struct stmt *s)
{
	return sqlite3_column_count(s->sq);
}

const char *
stmt_name(struct stmt *s, int col)
{
	return sqlite3_column_name(s->sq, col);
}

int
stmt_is_null(struct stmt *s, int col)
{
	return sqlite3_column_type(s->sq, col) == SQLITE_NULL;
}

int64_t
stmt_int(struct stmt *s, int col)
{
	return sqlite3_column_int64(s->sq, col);
}

const char *
stmt_text(struct stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s->sq, col);

	return t ? (const char *)t : "";
}

const char *
stmt_text_or_null(struct stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s->sq, col);
}

void
stmt_blob(struct stmt *s, int col, struct buf *out)
{
	const void *p = sqlite3_column_blob(s->sq, col);
	int n = sqlite3_column_bytes(s->sq, col);

	if (p && n > 0)
		buf_add(out, p, (size_t)n);
}

void
stmt_rec(struct stmt *s, struct rec *r)
{
	int i, n = sqlite3_column_count(s->sq);

	for (i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s->sq, i);

		switch (sqlite3_column_type(s->sq, i)) {
		case SQLITE_NULL:
			rec_add_null(r, name);
			break;
		case SQLITE_INTEGER:
			rec_add_int(r, name, sqlite3_column_int64(s->sq, i));
			break;
		default:
			rec_add_text(r, name, stmt_text(s, i));
			break;
		}
	}
}

enum majlis_status
store_exec(struct store *st, struct buf *err, const char *sql,
	   const char *fmt, ...)
{
	struct stmt *s = store_prepare(st, sql);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	stmt_vbind(s, fmt, ap);
	va_end(ap);
	while ((rc = stmt_step(s)) == 1)
		;
	if (rc < 0) {
		enum majlis_status st_rc = error(err, MAJLIS_ERR_STORE, "%s",
						 sqlite3_errmsg(st->db));

		stmt_done(s);
		return st_rc;
	}
	stmt_done(s);
	return MAJLIS_OK;
}

enum majlis_status
store_get_int(struct store *st, struct buf *err, int64_t *out,
	      const char *sql, const char *fmt, ...)
{
	struct stmt *s = store_prepare(st, sql);
	enum majlis_status rc = MAJLIS_OK;
	va_list ap;

	va_start(ap, fmt);
	stmt_vbind(s, fmt, ap);
	va_end(ap);
	switch (stmt_step(s)) {
	case 1:
		*out = stmt_int(s, 0);
		break;
	case 0:
		rc = MAJLIS_ERR_NOTFOUND;
		break;
	default:
		rc = error(err, MAJLIS_ERR_STORE, "%s", sqlite3_errmsg(st->db));
	}
	stmt_done(s);
	return rc;
}

enum majlis_status
store_get_text(struct store *st, struct buf *err, struct buf *out,
	       const char *sql, const char *fmt, ...)
{
	struct stmt *s = store_prepare(st, sql);
	enum majlis_status rc = MAJLIS_OK;
	va_list ap;

	va_start(ap, fmt);
	stmt_vbind(s, fmt, ap);
	va_end(ap);
	switch (stmt_step(s)) {
	case 1:
		buf_addstr(out, stmt_text(s, 0));
		break;
	case 0:
		rc = MAJLIS_ERR_NOTFOUND;
		break;
	default:
		rc = error(err, MAJLIS_ERR_STORE, "%s", sqlite3_errmsg(st->db));
	}
	stmt_done(s);
	return rc;
}

enum majlis_status
store_each_rec(struct store *st, struct buf *err, struct stmt *s, rec_cb cb,
	       void *ctx)
{
	struct rec r = REC_INIT;
	int rc;

	while ((rc = stmt_step(s)) == 1) {
		rec_release(&r);
		stmt_rec(s, &r);
		if (cb(ctx, &r))
			break;
	}
	rec_release(&r);
	if (rc < 0) {
		enum majlis_status e = error(err, MAJLIS_ERR_STORE, "%s",
					     sqlite3_errmsg(st->db));

		stmt_done(s);
		return e;
	}
	stmt_done(s);
	return MAJLIS_OK;
}

int64_t
store_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int
store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

enum majlis_status
store_counter_next(struct store *st, struct buf *err, const char *name,
		   int64_t *out)
{
	enum majlis_status rc;

	rc = store_exec(st, err,
			"INSERT INTO counter(name, value) VALUES (?1, 1)"
			" ON CONFLICT(name) DO UPDATE SET value = value + 1",
			"s", name);
	if (rc != MAJLIS_OK)
		return rc;
	return store_get_int(st, err, out,
			     "SELECT value FROM counter WHERE name = ?1", "s",
			     name);
}

/* ---- Queries from definitions ----------------------------------- */

/*
 * What a definition's query may do while it is prepared: read tables,
 * select, call functions, recurse (WITH RECURSIVE). Everything else
 * (writes, ATTACH, PRAGMA, transactions, schema changes) is refused.
 */
static int
query_authorizer(void *ctx, int action, const char *a, const char *b,
		 const char *c, const char *d)
{
	(void)ctx;
	(void)b;
	(void)c;
	(void)d;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		/* Loading code is never a report's business. */
		if (a && !sqlite3_stricmp(a, "load_extension"))
			return SQLITE_DENY;
		return SQLITE_OK;
	default:
		return SQLITE_DENY;
	}
}

enum majlis_status
store_query(struct store *st, const char *sql, struct stmt **out,
	    struct buf *err)
{
	sqlite3_stmt *sq = NULL;
	const char *tail = NULL;
	enum majlis_status rc = MAJLIS_OK;
	int src;

	*out = NULL;
	sqlite3_set_authorizer(st->db, query_authorizer, NULL);
	src = sqlite3_prepare_v3(st->db, sql, -1, 0, &sq, &tail);
	sqlite3_set_authorizer(st->db, NULL, NULL);
	if (src == SQLITE_AUTH)
		return error(err, MAJLIS_ERR_DATA,
			     "a report's query may only read: one SELECT, "
			     "without ATTACH, PRAGMA or writes");
	if (src != SQLITE_OK)
		return error(err, MAJLIS_ERR_DATA, "%s", sqlite3_errmsg(st->db));
	if (!sq)
		return error(err, MAJLIS_ERR_DATA, "the query is empty");
	while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' ||
			*tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail)
		rc = error(err, MAJLIS_ERR_DATA,
			   "the query holds more than one statement");
	else if (!sqlite3_stmt_readonly(sq) || !sqlite3_column_count(sq))
		rc = error(err, MAJLIS_ERR_DATA,
			   "the query must be a SELECT that only reads");
	if (rc != MAJLIS_OK) {
		sqlite3_finalize(sq);
		return rc;
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->sq = sq;
	(*out)->sql = xstrdup(sql);
	return MAJLIS_OK;
}

/* Called every thousand virtual-machine steps while a budget is set. */
static int
budget_step(void *ctx)
{
	struct store *st = ctx;

	if (st->budget == 0) {
		st->spent = 1;
		return 1;	/* interrupt the statement */
	}
	st->budget--;
	return 0;
}

void
store_set_budget(struct store *st, uint64_t steps)
{
	st->budget = steps;
	st->spent = 0;
	sqlite3_progress_handler(st->db, steps ? 1000 : 0,
				 steps ? budget_step : NULL, st);
}


int
store_budget_spent(struct store *st)
{
	return st->spent;
}

void
stmt_free(struct stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->sq);
	free(s->sql);
	free(s);
}

int
stmt_params(struct stmt *s)
{
	return sqlite3_bind_parameter_count(s->sq);
}

const char *
stmt_param_name(struct stmt *s, int idx)
{
	return sqlite3_bind_parameter_name(s->sq, idx);
}

enum stmt_type
stmt_type(struct stmt *s, int col)
{
	switch (sqlite3_column_type(s->sq, col)) {
	case SQLITE_NULL:
		return STMT_NULL;
	case SQLITE_INTEGER:
		return STMT_INT;
	case SQLITE_FLOAT:
		return STMT_REAL;
	default:
		return STMT_TEXT;
	}
}

double
stmt_double(struct stmt *s, int col)
{
	return sqlite3_column_double(s->sq, col);
}

const char *
stmt_errmsg(struct stmt *s)
{
	return sqlite3_errmsg(sqlite3_db_handle(s->sq));
}
