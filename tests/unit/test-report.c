/*
 * test-report.c - report definitions (file:line for every mistake, the
 * queries checked against the store), periods, the runner (sort,
 * groups, totals, colours) and the CSV and workbook writers.
 */
#include "testlib.h"

#include <errno.h>
#include <sys/stat.h>

#include "report.h"

/* A report over dossiers with everything a definition may hold. */
static const char good[] =
	"; a comment\n"
	"[report]\n"
	"format = 1\n"
	"fr = Dossiers\n"
	"ar = الملفات\n"
	"sheet_fr = Dossiers\n"
	"sheet_ar = الملفات\n"
	"params = period body\n"
	"query = SELECT d.ref, d.title_fr, d.title_ar, d.state, b.code,\n"
	"query =   b.name_fr, b.name_ar, d.due_at,\n"
	"query =   CASE WHEN d.due_at < :now THEN 'late' END AS tone, 7 AS n\n"
	"query = FROM dossier d JOIN body b ON b.id = d.body_id\n"
	"query = WHERE (:body IS NULL OR b.code = :body)\n"
	"query =   AND d.created_at >= :from AND d.created_at < :until\n"
	"sort = ref desc\n"
	"group = body\n"
	"colour = tone\n"
	"\n"
	"[column body]\n"
	"field_fr = name_fr\n"
	"field_ar = name_ar\n"
	"fr = Collectivité\n"
	"ar = الجماعة\n"
	"\n"
	"[column ref]\n"
	"fr = Référence\n"
	"ar = المرجع\n"
	"total = count\n"
	"\n"
	"[column title]\n"
	"field_fr = title_fr\n"
	"field_ar = title_ar\n"
	"fr = Intitulé\n"
	"ar = الموضوع\n"
	"width = 40\n"
	"\n"
	"[column state]\n"
	"type = state dossier\n"
	"fr = État\n"
	"ar = الحالة\n"
	"\n"
	"[column due_at]\n"
	"type = date\n"
	"fr = Échéance\n"
	"ar = الأجل\n"
	"\n"
	"[column n]\n"
	"type = integer\n"
	"fr = N\n"
	"ar = ع\n"
	"total = sum\n";

static void
add_dossier(struct test_env *t, const char *ref, const char *title,
	    const char *body, const char *state, const char *due)
{
	struct buf sql = BUF_INIT;

	buf_addf(&sql,
		 "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id,"
		 " due_at, state, state_since, created_at) SELECT '%s', 'budget',"
		 " '%s', 'ملف %s', id, '%s', '%s', '2026-11-01T00:00:00Z',"
		 " '2026-11-01T00:00:00Z' FROM body WHERE code = '%s'",
		 ref, title, ref, due, state, body);
	test_exec(t, sql.data);
	buf_release(&sql);
}

static struct reportset *
load_one(const char *name, const char *text, struct buf *err)
{
	struct reportset *set;

	reportset_new(&set);
	if (reportset_add(set, name, text, strlen(text), err) != MAJLIS_OK) {
		reportset_free(set);
		return NULL;
	}
	return set;
}

/* The report above, checked against t's store, and the arguments of a
 * run of it over every period. */
static struct reportset *
load_good(struct test_env *t, struct report_args *args)
{
	struct reportset *set = load_one("d.report", good, &t->err);

	assert_non_null(set);
	if (reportset_check(set, t->e.store, &t->err) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_int_equal(report_args_make(&t->e, reportset_report(set, "d"),
					  NULL, NULL, NULL, args, &t->err),
			 MAJLIS_OK);
	return set;
}

static void
test_shipped(void **state)
{
	struct test_env t;
	struct reportset *set = NULL;
	const struct dashboard *db;

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	if (reportset_load(test_data("reports"), NULL, &set, &t.err) !=
		    MAJLIS_OK ||
	    reportset_check(set, t.e.store, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	db = reportset_dashboard(set, "tableau-de-bord");
	assert_non_null(db);
	assert_string_equal(dashboard_file(db), "tableau-de-bord");
	assert_non_null(reportset_report(set, "dossiers"));
	assert_non_null(reportset_report(set, "attendance"));
	assert_null(reportset_report(set, "tableau-de-bord"));
	reportset_free(set);
	test_env_close(&t);
}

/* Each mistake is refused with its file and line. */
static void
test_definition_errors(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ "[report]\nformat = 2\n", "x.report:2: format 2 is not one" },
		{ "[report]\nfr = a\nar = b\n", "x.report:1: no 'format'" },
		{ "format = 1\n", "x.report:1: 'format' outside a section" },
		{ "[column a]\nfr = x\n", "x.report:1: the file must start with [report]" },
		{ "[report]\nformat = 1\ncolour = a b\n", "x.report:3: 'a b' is not a field" },
		{ "[report]\nformat = 1\nsheet_fr = a/b\n", "x.report:3: 'a/b' cannot name a sheet" },
		{ "[report]\nformat = 1\nsheet_fr = abcdefghijklmnopqrstuvwxyz0123456\n",
		  "x.report:3: 'abcdefghijklmnopqrstuvwxyz0123456' cannot name a sheet" },
		{ "[report]\nformat = 1\nparams = period town\n",
		  "x.report:3: unknown parameter 'town'" },
		{ "[report]\nformat = 1\nperiod = soon\n", "x.report:3: bad period 'soon'" },
		{ "[report]\nformat = 1\nsort = a sideways\n",
		  "x.report:3: a sort key is 'FIELD [asc|desc]'" },
		{ "[report]\nformat = 1\nwho = me\n", "x.report:3: unknown key 'who' in [report]" },
		{ "[report]\nformat = 1\nfr = a\nfr = b\n", "x.report:4: 'fr' is given twice" },
		{ "[report]\nformat = 1\n[column a]\ntype = money\n",
		  "x.report:4: unknown type 'money'" },
		{ "[report]\nformat = 1\n[column a]\ntype = state parish\n",
		  "x.report:4: 'state' needs the object" },
		{ "[report]\nformat = 1\n[column a]\ntotal = median\n",
		  "x.report:4: unknown total 'median'" },
		{ "[report]\nformat = 1\n[column a]\nlabel = x only French\n",
		  "x.report:4: a label is 'CODE" },
		{ "[report]\nformat = 1\n[column a]\nfr = A\n\n[column b]\n",
		  "x.report:3: column 'a' needs its titles" },
		{ "[report]\nformat = 1\n[column a]\nfr = A\nar = ا\n[column a]\n",
		  "x.report:6: column 'a' is defined twice" },
		{ "[report]\nformat = 1\n[chart c]\ntype = radar\n",
		  "x.report:4: unknown chart type 'radar'" },
		{ "[report]\nformat = 1\n[pivot p]\n", "x.report:3: unknown section [pivot]" },
		{ "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\nsheet_ar = b\n",
		  "x.report:1: the report needs a query" },
		{ "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\nsheet_ar = b\n"
		  "query = SELECT 1 AS a\n",
		  "x.report:1: the report needs at least one [column]" },
		{ "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\nsheet_ar = b\n"
		  "query = SELECT 1 AS a\ngroup = z\n[column a]\nfr = A\nar = ا\n",
		  "x.report:8: group 'z' is not a column" },
		{ "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\nsheet_ar = b\n"
		  "query = SELECT 1 AS a\n[column a]\nfr = A\nar = ا\n"
		  "[chart c]\nfr = C\nar = ج\ncategory = a\nvalues = a\n",
		  "x.report:11: chart 'c': column 'a' is not a number" },
		{ "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\nsheet_ar = b\n"
		  "query = SELECT 1 AS a, 2 AS b\n[column a]\nfr = A\nar = ا\n"
		  "[column b]\ntype = integer\nfr = B\nar = ب\n[column c]\n"
		  "type = integer\nfr = C\nar = ج\n"
		  "[chart c]\ntype = pie\nfr = C\nar = ج\ncategory = a\n"
		  "values = b c\n",
		  "x.report:19: chart 'c': a pie shows one column" },
		{ "[report]\nformat = 1\n[column a]\nfr = A\nar = ا\nquery = x\n",
		  "x.report:6: unknown key 'query' in [column]" },
	};
	struct buf err = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reportset *set;

		buf_reset(&err);
		set = load_one("x.report", cases[i].text, &err);
		if (set)
			fail_msg("case %zu was accepted", i);
		if (!strstr(err.data, cases[i].error))
			fail_msg("case %zu: '%s' does not say '%s'", i, err.data,
				 cases[i].error);
	}
	/* Names: the file's, and only of the two kinds. */
	buf_reset(&err);
	assert_null(load_one("x.txt", good, &err));
	assert_non_null(strstr(err.data, "not a report's name"));
	buf_reset(&err);
	assert_null(load_one("Bad Name.report", good, &err));
	/* Dashboards. */
	buf_reset(&err);
	assert_null(load_one("d.dashboard", "[dashboard]\nformat = 1\nfr = D\n"
					    "ar = د\n[sheet s]\nfr = S\n",
			     &err));
	assert_non_null(strstr(err.data, "d.dashboard:5: sheet 's' holds no "
					 "report"));
	buf_reset(&err);
	assert_null(load_one("d.dashboard", "[dashboard]\nformat = 1\nfr = D\n"
					    "ar = د\n[sheet s]\nreport = a\n"
					    "report = b\n",
			     &err));
	assert_non_null(strstr(err.data, "d.dashboard:5: sheet 's' needs its "
					 "names"));
	buf_release(&err);
}

/* What only the store can tell, with file:line. */
static void
test_query_errors(void **state)
{
	static const struct {
		const char *params;
		const char *query;
		const char *error;
	} cases[] = {
		{ "", "DELETE FROM dossier", "x.report:8: query: a report's query may only read" },
		{ "", "ATTACH DATABASE '/tmp/x.db' AS x", "x.report:8: query: a report's query may only read" },
		{ "", "PRAGMA user_version", "x.report:8: query: a report's query may only read" },
		{ "", "SELECT ref AS a FROM dossier; DROP TABLE dossier",
		  "x.report:8: query: the query holds more than one statement" },
		{ "", "SELECT missing AS a FROM dossier", "x.report:8: query: no such column: missing" },
		{ "", "SELECT ref AS a FROM dossier WHERE body_id = :body",
		  "x.report:8: query: :body needs 'params = body'" },
		{ "params = body", "SELECT ref AS a FROM dossier WHERE :town",
		  "x.report:8: query: unknown parameter ':town'" },
		{ "", "SELECT ref AS b FROM dossier",
		  "x.report:9: column 'a': the query has no field 'a'" },
	};
	struct test_env t;

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf text = BUF_INIT;
		struct reportset *set;

		buf_addf(&text,
			 "[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\n"
			 "sheet_ar = b\n%s\nquery = %s\n[column a]\nfr = A\n"
			 "ar = ا\n",
			 cases[i].params, cases[i].query);
		buf_reset(&t.err);
		set = load_one("x.report", text.data, &t.err);
		if (!set)
			fail_msg("case %zu: %s", i, t.err.data);
		assert_int_equal(reportset_check(set, t.e.store, &t.err),
				 MAJLIS_ERR_CONFIG);
		if (!strstr(t.err.data, cases[i].error))
			fail_msg("case %zu: '%s' does not say '%s'", i,
				 t.err.data, cases[i].error);
		reportset_free(set);
		buf_release(&text);
	}
	/* A dashboard naming a report that does not exist. */
	{
		struct reportset *set = load_one(
			"d.dashboard",
			"[dashboard]\nformat = 1\nfr = D\nar = د\n\n[sheet s]\n"
			"report = nowhere\n",
			&t.err);

		assert_non_null(set);
		assert_int_equal(reportset_check(set, t.e.store, &t.err),
				 MAJLIS_ERR_CONFIG);
		assert_non_null(strstr(t.err.data, "d.dashboard:6: sheet 's': no "
						   "report 'nowhere'"));
		reportset_free(set);
	}
	test_env_close(&t);
}

static void
check_period(const char *s, const char *from, const char *until)
{
	struct date today = { 2026, 12, 3 };
	struct period p;
	char f[DATE_LEN], u[DATE_LEN];

	if (period_parse(s, today, &p) < 0)
		fail_msg("'%s' refused", s);
	date_format(p.from, f);
	date_format(p.until, u);
	if (strcmp(f, from) || strcmp(u, until))
		fail_msg("'%s' is %s..%s, not %s..%s", s, f, u, from, until);
}

static void
test_periods(void **state)
{
	struct date today = { 2026, 12, 3 };
	struct period p;
	struct buf b = BUF_INIT;

	(void)state;
	check_period("day", "2026-12-03", "2026-12-04");
	check_period("week", "2026-11-30", "2026-12-07");
	check_period("month", "2026-12-01", "2027-01-01");
	check_period("year", "2026-01-01", "2027-01-01");
	check_period("2026", "2026-01-01", "2027-01-01");
	check_period("2027-02", "2027-02-01", "2027-03-01");
	check_period("2026-W01", "2025-12-29", "2026-01-05");
	check_period("2026-W53", "2026-12-28", "2027-01-04");
	check_period("2026-12-03", "2026-12-03", "2026-12-04");
	check_period("2026-01-01..2026-06-30", "2026-01-01", "2026-07-01");
	assert_int_equal(period_parse("all", today, &p), 0);
	assert_int_equal(p.from.y, 0);
	assert_int_equal(period_parse("2025-W53", today, &p), -1);
	assert_int_equal(period_parse("2026-13", today, &p), -1);
	assert_int_equal(period_parse("2026-06-30..2026-01-01", today, &p), -1);
	assert_int_equal(period_parse("2026-02-30", today, &p), -1);
	assert_int_equal(period_parse("", today, &p), -1);
	assert_int_equal(period_parse("tomorrow", today, &p), -1);
	period_parse("2026-12", today, &p);
	period_label(&p, "fr", &b);
	assert_string_equal(b.data, "du 01/12/2026 au 31/12/2026");
	buf_reset(&b);
	period_label(&p, "ar", &b);
	assert_string_equal(b.data, "من 01/12/2026 إلى 31/12/2026");
	buf_release(&b);
}

struct collect {
	struct buf out;
	int rows;
};

static int
collect_row(void *ctx, const struct rec *r)
{
	struct collect *c = ctx;

	for (size_t i = 0; i < r->n; i++) {
		if (r->f[i].type == VAL_INT)
			buf_addf(&c->out, "%s=%lld ", r->f[i].name,
				 (long long)r->f[i].i);
		else if (r->f[i].type == VAL_TEXT)
			buf_addf(&c->out, "%s=%s ", r->f[i].name, r->f[i].s);
	}
	buf_rtrim(&c->out);
	buf_addch(&c->out, '\n');
	c->rows++;
	return 0;
}

/* Sorted by the group, then the sort keys; each row's tone; totals. */
static void
test_run(void **state)
{
	struct test_env t;
	struct reportset *set;
	struct report_args args;
	struct collect c = { BUF_INIT, 0 };

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	add_dossier(&t, "DOS-1", "Budget", "CASA", "in_review",
		    "2026-12-01T10:00:00Z");
	add_dossier(&t, "DOS-2", "Voirie", "ANFA", "approved",
		    "2026-12-20T10:00:00Z");
	add_dossier(&t, "DOS-3", "Marché", "CASA", "created",
		    "2026-12-30T10:00:00Z");
	set = load_good(&t, &args);
	if (report_each(&t.e, reportset_report(set, "d"), &args, collect_row,
			&c, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	assert_string_equal(
		c.out.data,
		"body=Arrondissement d'Anfa ref=DOS-2 title=Voirie "
		"state=Approuvé due_at=20/12/2026 n=7\n"
		"body=Commune de Casablanca ref=DOS-3 title=Marché state=Créé "
		"due_at=30/12/2026 n=7\n"
		"body=Commune de Casablanca ref=DOS-1 title=Budget "
		"state=En examen due_at=01/12/2026 n=7 tone=red\n"
		"row=total ref=3 n=21\n");
	/* Only one body. */
	buf_reset(&c.out);
	assert_int_equal(report_args_make(&t.e, reportset_report(set, "d"),
					  "2026-11", "ANFA", NULL, &args, &t.err),
			 MAJLIS_OK);
	report_each(&t.e, reportset_report(set, "d"), &args, collect_row, &c,
		    &t.err);
	assert_non_null(strstr(c.out.data, "ref=DOS-2"));
	assert_null(strstr(c.out.data, "ref=DOS-1"));
	/* Outside the period, nothing. */
	buf_reset(&c.out);
	report_args_make(&t.e, reportset_report(set, "d"), "2025", NULL, NULL,
			 &args, &t.err);
	report_each(&t.e, reportset_report(set, "d"), &args, collect_row, &c,
		    &t.err);
	assert_string_equal(c.out.data, "row=total ref=0 n=0\n");
	/* What the report does not take, or does not know. */
	assert_int_equal(report_args_make(&t.e, reportset_report(set, "d"),
					  NULL, NULL, "CC", &args, &t.err),
			 MAJLIS_ERR_USAGE);
	assert_int_equal(report_args_make(&t.e, reportset_report(set, "d"),
					  NULL, "NOWHERE", NULL, &args, &t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(report_args_make(&t.e, reportset_report(set, "d"),
					  "soon", NULL, NULL, &args, &t.err),
			 MAJLIS_ERR_USAGE);
	buf_release(&c.out);
	reportset_free(set);
	test_env_close(&t);
}

/* A query that never ends is stopped, and named. */
static void
test_runaway(void **state)
{
	static const char loop[] =
		"[report]\nformat = 1\nfr = a\nar = b\nsheet_fr = a\n"
		"sheet_ar = b\n"
		"query = WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL\n"
		"query =   SELECT i + 1 FROM n) SELECT max(i) AS a FROM n\n"
		"[column a]\ntype = integer\nfr = A\nar = ا\n";
	struct test_env t;
	struct reportset *set;
	struct report_args args;
	struct collect c = { BUF_INIT, 0 };

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	set = load_one("loop.report", loop, &t.err);
	assert_non_null(set);
	assert_int_equal(reportset_check(set, t.e.store, &t.err), MAJLIS_OK);
	report_args_make(&t.e, reportset_report(set, "loop"), NULL, NULL, NULL,
			 &args, &t.err);
	args.max_work = 10000;	/* ten million steps: a tenth of a second */
	assert_int_equal(report_each(&t.e, reportset_report(set, "loop"),
				     &args, collect_row, &c, &t.err),
			 MAJLIS_ERR_CONFIG);
	if (!strstr(t.err.data, "loop.report:7: query: stopped after 10 "
				"million steps"))
		fail_msg("%s", t.err.data);
	/* The store works as before afterwards. */
	assert_int_equal(test_int(&t, "SELECT count(*) FROM body"), 17);
	buf_release(&c.out);
	reportset_free(set);
	test_env_close(&t);
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;

	if (file_read(path, 1u << 26, &b) < 0)
		fail_msg("cannot read '%s'", path);
	return buf_detach(&b, len);
}

/* Formula-like text is quoted in CSV; the BOM, ';' and French numbers. */
static void
test_csv(void **state)
{
	struct test_env t;
	struct reportset *set;
	struct report_args args;
	struct report_info info;
	char path[400];
	char *csv;
	size_t len;

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	add_dossier(&t, "DOS-1", "=HYPERLINK(\"http://evil\";\"x\")", "CASA",
		    "created", "2026-12-30T10:00:00Z");
	add_dossier(&t, "DOS-2", "@SUM(A1)", "CASA", "created",
		    "2026-12-30T10:00:00Z");
	add_dossier(&t, "DOS-3", "-2+3", "CASA", "created",
		    "2026-12-30T10:00:00Z");
	set = load_good(&t, &args);
	snprintf(path, sizeof(path), "%s/d.csv", t.dir);
	if (report_write(&t.e, reportset_report(set, "d"), &args, REPORT_CSV,
			 "fr", path, &info, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	assert_int_equal(info.rows, 3);
	csv = slurp(path, &len);
	assert_memory_equal(csv, "\xef\xbb\xbf" "Collectivité;Référence;"
				 "Intitulé;État;Échéance;N\r\n",
			    strlen("\xef\xbb\xbf" "Collectivité;Référence;"
				   "Intitulé;État;Échéance;N\r\n"));
	assert_non_null(strstr(csv, ";\"'=HYPERLINK(\"\"http://evil\"\";"
				    "\"\"x\"\")\";"));
	assert_non_null(strstr(csv, ";\"'@SUM(A1)\";"));
	assert_non_null(strstr(csv, ";\"'-2+3\";"));
	assert_non_null(strstr(csv, ";Créé;30/12/2026;7\r\n"));
	free(csv);
	/* In Arabic: the Arabic titles and labels. */
	if (report_write(&t.e, reportset_report(set, "d"), &args, REPORT_CSV,
			 "ar", path, &info, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	csv = slurp(path, &len);
	assert_non_null(strstr(csv, "الجماعة;المرجع;الموضوع;الحالة;الأجل;ع"));
	assert_non_null(strstr(csv, ";محدث;"));
	free(csv);
	reportset_free(set);
	test_env_close(&t);
}

/* A workbook is written whole or not at all. */
static void
test_xlsx(void **state)
{
	struct test_env t;
	struct reportset *set;
	struct report_args args;
	struct report_info info;
	char path[400];
	char *x;
	size_t len;
	struct stat st;

	(void)state;
	test_env_open(&t, "2026-12-03T10:00");
	add_dossier(&t, "DOS-1", "=1+1", "CASA", "created",
		    "2026-12-30T10:00:00Z");
	set = load_good(&t, &args);
	snprintf(path, sizeof(path), "%s/d.xlsx", t.dir);
	if (report_write(&t.e, reportset_report(set, "d"), &args, REPORT_XLSX,
			 "both", path, &info, &t.err) != MAJLIS_OK)
		fail_msg("%s", t.err.data);
	assert_int_equal(info.rows, 1);
	x = slurp(path, &len);
	assert_true(len > 1000);
	assert_memory_equal(x, "PK", 2);
	free(x);
	/* Into a folder that is not there: an error, and no file. */
	snprintf(path, sizeof(path), "%s/nowhere/d.xlsx", t.dir);
	assert_int_equal(report_write(&t.e, reportset_report(set, "d"), &args,
				      REPORT_XLSX, "both", path, &info, &t.err),
			 MAJLIS_ERR_IO);
	assert_int_equal(stat(path, &st), -1);
	reportset_free(set);
	test_env_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_definition_errors),
		cmocka_unit_test(test_query_errors),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_runaway),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
