/*
 * testlib.h - shared set-up for the cmocka unit tests: a throwaway
 * instance (a store in a temporary folder, the shipped calendar, mailflows
 * and structure, a clock at a given time), and small helpers.
 *
 * Tests run from the repository's root (make check does so), where the
 * shipped data lives; MAJLIS_DATADIR overrides that.
 */
#ifndef MAJLIS_TESTLIB_H
#define MAJLIS_TESTLIB_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "calendar.h"
#include "clock.h"
#include "engine.h"
#include "flow.h"
#include "status.h"
#include "store.h"
#include "structure.h"
#include "sys.h"

static inline const char *
test_datadir(void)
{
	const char *d = getenv("MAJLIS_DATADIR");

	return d && *d ? d : ".";
}

/* A path under the shipped data folder, in a static buffer. */
static inline const char *
test_data(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", test_datadir(), name);
	return path;
}

struct test_env {
	char dir[256];		/* the temporary folder */
	char db[300];		/* its store */
	struct engine e;
	struct buf err;
};

/* Removes a folder and what it holds (one level of files deep, as the
 * tests create them). */
static inline void
test_rmdir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static inline int64_t
test_time(struct clock *c, const char *iso)
{
	int64_t t = 0;

	assert_int_equal(clock_parse(c, iso, &t), 0);
	return t;
}

/*
 * Opens a fresh instance at now (ISO 8601, local), with the structure
 * loaded; flows and calendar as shipped. Fails the test on any error.
 */
static inline void
test_env_open(struct test_env *t, const char *now)
{
	struct structure *s = NULL;
	const char *dirs[1];
	int64_t when;

	memset(t, 0, sizeof(*t));
	buf_init(&t->err);
	snprintf(t->dir, sizeof(t->dir), "/tmp/majlis-test-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->db, sizeof(t->db), "%s/majlis.db", t->dir);
	assert_int_equal(clock_new("Africa/Casablanca", 0, &t->e.clock,
				   &t->err), MAJLIS_OK);
	when = test_time(t->e.clock, now);
	clock_set_now(t->e.clock, when);
	assert_int_equal(calendar_new(&t->e.cal, &t->err), MAJLIS_OK);
	if (calendar_load_file(t->e.cal, test_data("calendar/holidays.ini"),
			       &t->err) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	flowset_new(&t->e.flows);
	dirs[0] = test_data("mailflows");
	if (flowset_load_dirs(t->e.flows, dirs, 1, &t->err) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_int_equal(store_open(t->db, STORE_CREATE, &t->e.store, &t->err),
			 MAJLIS_OK);
	if (structure_parse_file(test_data("structure/casablanca.ini"), &s,
				 &t->err) != MAJLIS_OK ||
	    structure_store(&t->e, s, &t->err) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	structure_free(s);
}

static inline void
test_env_close(struct test_env *t)
{
	store_close(t->e.store);
	flowset_free(t->e.flows);
	calendar_free(t->e.cal);
	clock_free(t->e.clock);
	buf_release(&t->err);
	test_rmdir(t->dir);
}

/* The entries of a folder that do not start with a dot; 0 if it cannot
 * be read. */
static inline int
test_count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Runs an SQL query that yields one integer; fails the test on error. */
static inline int64_t
test_int(struct test_env *t, const char *sql)
{
	int64_t v = -1;

	if (store_get_int(t->e.store, &t->err, &v, sql, NULL) != MAJLIS_OK)
		fail_msg("%s: %s", sql, t->err.data);
	return v;
}

static inline void
test_exec(struct test_env *t, const char *sql)
{
	if (store_exec(t->e.store, &t->err, sql, NULL) != MAJLIS_OK)
		fail_msg("%s: %s", sql, t->err.data);
}

#endif
