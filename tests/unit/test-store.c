/*
 * test-store.c - the SQLite store: creation, forward migration, refusal of
 * newer schemas, failed migrations that leave the database as it was,
 * the append-only audit log, immutable document versions, counters and
 * transactions.
 */
#include "testlib.h"

#include <sqlite3.h>

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/majlis-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/majlis.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_rmdir(dir);
	return 0;
}

/* Raw SQLite, behind the store's back, as an old majlis would have left
 * the file. */
static void
raw(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int
raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
test_create(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;
	int64_t v;

	(void)state;
	assert_int_equal(store_open(path, 0, &st, &err), MAJLIS_ERR_NOINPUT);
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), MAJLIS_OK);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_get_int(st, &err, &v, "PRAGMA foreign_keys",
				       NULL), MAJLIS_OK);
	assert_int_equal(v, 1);
	store_close(st);
	assert_int_equal(raw_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int("SELECT count(*) FROM pragma_journal_mode"
				 " WHERE journal_mode = 'wal'"), 1);
	/* Roles with their titles for both genders and both languages. */
	assert_int_equal(raw_int("SELECT count(*) FROM role"), 9);
	buf_release(&err);
}

static void
test_migrate_forward(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	/* A store written by a majlis that knew only the first schema. */
	assert_int_equal(store_open_version(path, STORE_CREATE, 1, &st, &err),
			 MAJLIS_OK);
	assert_int_equal(store_version(st), 1);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO body(code, kind, name_fr,"
				    " name_ar) VALUES ('CASA', 'commune',"
				    " 'Commune', 'جماعة')",
				    NULL),
			 MAJLIS_OK);
	store_close(st);
	assert_int_equal(raw_int("SELECT count(*) FROM sqlite_master"
				 " WHERE name = 'event'"), 0);
	/* Opened by this majlis: migrated, data kept. */
	assert_int_equal(store_open(path, 0, &st, &err), MAJLIS_OK);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	store_close(st);
	assert_int_equal(raw_int("SELECT count(*) FROM body"), 1);
	assert_int_equal(raw_int("SELECT count(*) FROM sqlite_master"
				 " WHERE name IN ('event', 'job', 'audit',"
				 " 'document_version')"), 4);
	buf_release(&err);
}

/*
 * Migration 6 rebuilds the person table (to admit guests): its rows,
 * their ids and what points at them come through, and a guest can then
 * be stored.
 */
static void
test_migrate_person_rebuild(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(store_open_version(path, STORE_CREATE, 5, &st, &err),
			 MAJLIS_OK);
	assert_int_equal(
		store_exec(st, &err,
			   "INSERT INTO person(id, code, kind, gender, given_fr,"
			   " family_fr, given_ar, family_ar, lang, email,"
			   " created_at, feed_token) VALUES (7, 'E0007', 'elu',"
			   " 'F', 'Karima', 'Bennani', 'كريمة', 'بناني', 'ar',"
			   " 'k@casablanca.ma', '2026-01-01T00:00:00Z', 'tok')",
			   NULL),
		MAJLIS_OK);
	assert_int_equal(
		store_exec(st, &err,
			   "INSERT INTO digest(person_id, day, items, created_at)"
			   " VALUES (7, '2026-12-01', 3, '2026-12-01T06:00:00Z')",
			   NULL),
		MAJLIS_OK);
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &err), MAJLIS_OK);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO person(code, kind, gender,"
				    " given_fr, family_fr, given_ar, family_ar,"
				    " lang, created_at) VALUES ('INV-0001',"
				    " 'invite', 'M', 'Omar', 'Lahlou', 'عمر',"
				    " 'لحلو', 'fr', '2026-12-02T00:00:00Z')",
				    NULL),
			 MAJLIS_OK);
	/* The constraints came through too. */
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO person(code, kind, gender,"
				    " given_fr, family_fr, given_ar, family_ar,"
				    " lang, created_at) VALUES ('X', 'other',"
				    " 'M', 'a', 'b', 'c', 'd', 'fr', 'now')",
				    NULL),
			 MAJLIS_ERR_STORE);
	store_close(st);
	assert_int_equal(raw_int("SELECT count(*) FROM person WHERE id = 7"
				 " AND given_ar = 'كريمة' AND feed_token = 'tok'"
				 " AND email = 'K@CASABLANCA.MA'"),
			 1);
	assert_int_equal(raw_int("SELECT count(*) FROM digest d JOIN person p"
				 " ON p.id = d.person_id WHERE p.code = 'E0007'"),
			 1);
	assert_int_equal(raw_int("SELECT count(*) FROM pragma_foreign_key_check"),
			 0);
	assert_int_equal(raw_int("SELECT count(*) FROM sqlite_temp_master"), 0);
	buf_release(&err);
}

static void
test_newer_refused(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	raw("PRAGMA user_version = 99");
	assert_int_equal(store_open(path, 0, &st, &err), MAJLIS_ERR_VERSION);
	assert_non_null(strstr(err.data, "newer"));
	assert_null(st);
	assert_int_equal(raw_int("PRAGMA user_version"), 99);
	buf_release(&err);
}

static void
test_failed_migration_changes_nothing(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(store_open_version(path, STORE_CREATE, 1, &st, &err),
			 MAJLIS_OK);
	store_close(st);
	/* Something in the way of migration 2: a table named like its own. */
	raw("CREATE TABLE job (x)");
	assert_int_equal(store_open(path, 0, &st, &err), MAJLIS_ERR_STORE);
	assert_non_null(strstr(err.data, "from schema version 1 to 2"));
	assert_int_equal(raw_int("PRAGMA user_version"), 1);
	/* Its first table was rolled back with the rest. */
	assert_int_equal(raw_int("SELECT count(*) FROM sqlite_master"
				 " WHERE name = 'event'"), 0);
	buf_release(&err);
}

static void
test_not_a_store(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;
	FILE *f = fopen(path, "w");

	(void)state;
	assert_non_null(f);
	fputs("this is not a database, just text long enough to be read as "
	      "a header by SQLite, which must refuse it................\n",
	      f);
	fclose(f);
	assert_int_not_equal(store_open(path, 0, &st, &err), MAJLIS_OK);
	assert_null(st);
	assert_true(err.len > 0);
	buf_release(&err);
}

static void
test_append_only(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), MAJLIS_OK);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO audit(at, actor, action,"
				    " cause) VALUES ('2026-01-01T00:00:00Z',"
				    " 'test', 'init', 'test')",
				    NULL),
			 MAJLIS_OK);
	assert_int_equal(store_exec(st, &err,
				    "UPDATE audit SET cause = 'rewritten'",
				    NULL),
			 MAJLIS_ERR_STORE);
	assert_non_null(strstr(err.data, "append-only"));
	buf_reset(&err);
	assert_int_equal(store_exec(st, &err, "DELETE FROM audit", NULL),
			 MAJLIS_ERR_STORE);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO document(register_no, kind,"
				    " year, seq, title_fr, title_ar,"
				    " created_at) VALUES ('PV-2026-0001', 'pv',"
				    " 2026, 1, 'PV', 'محضر', 'now')",
				    NULL),
			 MAJLIS_OK);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO document_version(document_id,"
				    " version, format, lang, sha256, size,"
				    " created_at) VALUES (1, 1, 'pdf', 'fr',"
				    " 'ab', 1, 'now')",
				    NULL),
			 MAJLIS_OK);
	buf_reset(&err);
	assert_int_equal(store_exec(st, &err,
				    "UPDATE document_version SET sha256 = 'cd'",
				    NULL),
			 MAJLIS_ERR_STORE);
	assert_non_null(strstr(err.data, "never rewritten"));
	store_close(st);
	buf_release(&err);
}

static void
test_transactions_and_counters(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;
	int64_t n;

	(void)state;
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), MAJLIS_OK);
	assert_int_equal(store_begin(st, &err), MAJLIS_OK);
	assert_int_equal(store_counter_next(st, &err, "dossier/2026", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_counter_next(st, &err, "dossier/2026", &n), 0);
	assert_int_equal(n, 2);
	store_rollback(st);
	/* A rolled-back transaction gives its numbers back. */
	assert_int_equal(store_begin(st, &err), MAJLIS_OK);
	assert_int_equal(store_counter_next(st, &err, "dossier/2026", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_commit(st, &err), MAJLIS_OK);
	assert_int_equal(store_counter_next(st, &err, "dossier/2027", &n), 0);
	assert_int_equal(n, 1);
	/* Foreign keys hold. */
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO membership(person_id,"
				    " organization_id, role, from_date)"
				    " VALUES (42, 42, 'member', '2026-01-01')",
				    NULL),
			 MAJLIS_ERR_STORE);
	assert_non_null(strstr(err.data, "FOREIGN KEY"));
	store_close(st);
	buf_release(&err);
}

static void
test_readonly(void **state)
{
	struct store *st;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), MAJLIS_OK);
	store_close(st);
	assert_int_equal(store_open(path, STORE_READONLY, &st, &err),
			 MAJLIS_OK);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO counter VALUES ('x', 1)", NULL),
			 MAJLIS_ERR_STORE);
	store_close(st);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_forward, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migrate_person_rebuild,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_migration_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_store, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transactions_and_counters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
