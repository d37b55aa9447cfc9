/*
 * store.h - the SQLite store: one database file per instance, in WAL
 * mode with foreign keys on, its schema versioned by PRAGMA user_version
 * and migrated forward when opened. This module is the only one that
 * sees sqlite3.h: others use the small statement interface below.
 *
 * Values cross this interface as int64_t or UTF-8 text. Timestamps are
 * text in UTC, "YYYY-MM-DDTHH:MM:SSZ" (see clock.h), so that they sort
 * and compare as strings.
 */
#ifndef MAJLIS_STORE_H
#define MAJLIS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rec.h"
#include "status.h"

/* The schema version this build writes and understands. */
#define STORE_SCHEMA_VERSION 8

struct store;
struct stmt;

enum store_open_flags {
	STORE_CREATE = 1 << 0,	 /* create the file if it is missing */
	STORE_READONLY = 1 << 1, /* open read-only; no migration */
};

/*
 * Opens (and with STORE_CREATE, creates) the database at path and
 * migrates it to STORE_SCHEMA_VERSION, each step in its own
 * transaction. A database written by a newer majlis is refused with
 * MAJLIS_ERR_VERSION and left untouched. The caller closes the store
 * with store_close().
 */
enum majlis_status store_open(const char *path, unsigned flags,
			      struct store **out, struct buf *err);
/* As store_open(), but migrates no further than version (for tests and
 * for staged upgrades). */
enum majlis_status store_open_version(const char *path, unsigned flags,
				      int version, struct store **out,
				      struct buf *err);
/* Closes the store and every cached statement. NULL does nothing. */
void store_close(struct store *st);
/* The schema version of the open database. */
int store_version(struct store *st);
/* The last SQLite error message; valid until the next store call. */
const char *store_errmsg(struct store *st);

/*
 * Transactions: one per unit of work. store_begin() takes the write lock
 * at once (BEGIN IMMEDIATE), so two writers wait instead of deadlocking.
 * Nesting is a bug.
 */
enum majlis_status store_begin(struct store *st, struct buf *err);
enum majlis_status store_commit(struct store *st, struct buf *err);
/* Rolls back the open transaction, if any. */
void store_rollback(struct store *st);
int store_in_transaction(struct store *st);

/*
 * Prepared statements, cached per store by SQL text. The statement is
 * reset and its bindings cleared when returned. Malformed SQL is a bug:
 * the SQL text is ours, never the user's.
 */
struct stmt *store_prepare(struct store *st, const char *sql);
/*
 * Binds values to ?1, ?2, ... by a format: 'i' int64_t, 'd' int,
 * 's' const char * (NULL binds SQL NULL), 'n' SQL NULL (no argument).
 */
void stmt_bind(struct stmt *s, const char *fmt, ...);
/* Binds one value to parameter idx (1-based): for SQL built at run time. */
void stmt_bind_int(struct stmt *s, int idx, int64_t v);
void stmt_bind_text(struct stmt *s, int idx, const char *v);
void stmt_bind_blob(struct stmt *s, int idx, const void *v, size_t len);
/* Steps: 1 when a row is ready, 0 when done, -1 on error (then reset). */
int stmt_step(struct stmt *s);
/* Ends a statement's use, releasing its read lock. */
void stmt_done(struct stmt *s);
int stmt_columns(struct stmt *s);
const char *stmt_name(struct stmt *s, int col);
int stmt_is_null(struct stmt *s, int col);
int64_t stmt_int(struct stmt *s, int col);
/* Text of a column, "" for NULL; valid until the next step or reset. */
const char *stmt_text(struct stmt *s, int col);
/* Text of a column, NULL for NULL. */
const char *stmt_text_or_null(struct stmt *s, int col);
/* Appends the bytes of a column (a BLOB) to out. */
void stmt_blob(struct stmt *s, int col, struct buf *out);
/* Appends every column of the current row to r, named as in the SQL. */
void stmt_rec(struct stmt *s, struct rec *r);

/*
 * Queries written outside the engine's code (report definitions,
 * reports/): exactly one statement, a SELECT (or WITH ... SELECT), that
 * may only read tables and call functions: writes, ATTACH, PRAGMA and
 * transactions are refused when it is prepared. The statement is not
 * cached; the caller frees it with stmt_free(). MAJLIS_ERR_DATA with
 * SQLite's message (or ours) for a query that is not such a statement.
 */
enum majlis_status store_query(struct store *st, const char *sql,
			       struct stmt **out, struct buf *err);
void stmt_free(struct stmt *s);

/*
 * Bounds the work of the statements run until the next call: after
 * about steps thousand SQLite virtual-machine steps, the one running
 * stops and stmt_step() fails; store_budget_spent() then says so. 0
 * lifts the bound. For queries written outside the engine (a report's
 * runaway WITH RECURSIVE must not hold a tick forever).
 */
void store_set_budget(struct store *st, uint64_t steps);
int store_budget_spent(struct store *st);

/* Named parameters of a statement, 1-based like SQLite's: ":from". */
int stmt_params(struct stmt *s);
const char *stmt_param_name(struct stmt *s, int idx);

enum stmt_type {
	STMT_NULL,
	STMT_INT,
	STMT_REAL,
	STMT_TEXT,		/* text, and blobs */
};

/* The type of a column of the current row, and its value as a double. */
enum stmt_type stmt_type(struct stmt *s, int col);
double stmt_double(struct stmt *s, int col);
/* SQLite's message for the last failure of the statement's store. */
const char *stmt_errmsg(struct stmt *s);

/* Runs sql to completion with bound values (see stmt_bind). */
enum majlis_status store_exec(struct store *st, struct buf *err,
			      const char *sql, const char *fmt, ...);
/* Runs a query that yields one integer: MAJLIS_ERR_NOTFOUND when it
 * yields no row. A NULL value reads as 0. */
enum majlis_status store_get_int(struct store *st, struct buf *err,
				 int64_t *out, const char *sql,
				 const char *fmt, ...);
/* Runs a query that yields one text, appended to out (NULL reads as
 * empty): MAJLIS_ERR_NOTFOUND when it yields no row. */
enum majlis_status store_get_text(struct store *st, struct buf *err,
				  struct buf *out, const char *sql,
				  const char *fmt, ...);
/* Runs sql (no parameters) and hands each row to cb as a record. */
enum majlis_status store_each_rec(struct store *st, struct buf *err,
				  struct stmt *s, rec_cb cb, void *ctx);
int64_t store_last_id(struct store *st);
int store_changes(struct store *st);

/*
 * The next number of a named counter (a register: "DEL/CASA/2026"),
 * starting at 1. Call inside a transaction so that a rollback gives the
 * number back.
 */
enum majlis_status store_counter_next(struct store *st, struct buf *err,
				      const char *name, int64_t *out);

#endif
