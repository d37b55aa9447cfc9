/*
 * test-objects.c - the table of workflow object kinds against the store:
 * each kind's message view yields exactly the fields it declares, its SQL
 * expressions run, and the roles guards may name are the store's roles.
 */
#include "testlib.h"

#include "objects.h"

static void
test_views_match_fields(void **state)
{
	struct test_env t;

	(void)state;
	test_env_open(&t, "2026-11-29T09:00");
	for (int k = 0; k < OBJ__COUNT; k++) {
		const struct object_def *d = object_def((enum object_kind)k);
		struct stmt *s = store_prepare(t.e.store, d->view_sql);
		int n = stmt_columns(s), i = 0;

		for (const char *const *f = d->fields; *f; f++, i++) {
			assert_true(i < n);
			if (strcmp(stmt_name(s, i), *f))
				fail_msg("%s: column %d is '%s', fields list "
					 "says '%s'",
					 d->name, i, stmt_name(s, i), *f);
		}
		assert_int_equal(i, n);
		/* Every expression the engine builds around "o" runs. */
		for (const struct anchor *a = d->anchors; a->name; a++) {
			struct buf sql = BUF_INIT;

			buf_addf(&sql, "SELECT %s, %s, %s, %s FROM %s o", a->sql,
				 d->org_sql, d->owner_sql, d->body_sql,
				 d->table);
			s = store_prepare(t.e.store, sql.data);
			assert_true(stmt_step(s) >= 0);
			stmt_done(s);
			buf_release(&sql);
		}
		for (const struct settable *st = d->settable; st->name; st++) {
			struct buf sql = BUF_INIT;

			buf_addf(&sql, "SELECT %s FROM %s", st->name, d->table);
			store_prepare(t.e.store, sql.data);
			buf_release(&sql);
		}
		assert_int_equal(object_kind_parse(d->name,
						   &(enum object_kind){ 0 }),
				 0);
	}
	test_env_close(&t);
}

static void
test_roles(void **state)
{
	struct test_env t;
	int n = 0;

	(void)state;
	test_env_open(&t, "2026-11-29T09:00");
	for (const char *const *r = known_roles; *r; r++, n++) {
		int64_t found;

		if (store_get_int(t.e.store, &t.err, &found,
				  "SELECT count(*) FROM role WHERE code = ?1",
				  "s", *r) != MAJLIS_OK || found != 1)
			fail_msg("role '%s' is not in the store", *r);
	}
	assert_int_equal(test_int(&t, "SELECT count(*) FROM role"), n);
	assert_false(role_known("pope"));
	test_env_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_match_fields),
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests_name("objects", tests, NULL, NULL);
}
