/*
 * test-orgchart.c - importing the organigramme (engine/orgchart.h) into a
 * real store: good files in both separators and both languages of header,
 * normalized values, re-imports that change nothing or one e-mail, dry
 * runs; and hostile files, each refused with the right line numbers and
 * the store left exactly as it was, audit log included.
 */
#include <ctype.h>

#include "testlib.h"

#include "orgchart.h"

#define NAME "org.csv"

/* French Excel ("CSV UTF-8"): BOM, CRLF, ';', accented header names, dates
 * both ways, phones written anyhow, e-mails in capitals, a given name with
 * a decomposed accent and an Arabic one with a decomposed hamza. */
static const char good_fr[] =
	"\xef\xbb\xbf"
	"Matricule;Type;Genre;Prénom_FR;Nom_FR;Prénom_AR;Nom_AR;Langue;"
	"Courriel;Téléphone;Organisation;Rôle;Rang;Début;Fin\r\n"
	"E9001;élu;F;Nadia;Berrada;نادية;برادة;fr;"
	"Nadia.Berrada@Elus.Casablanca.MA;06 61 23 45 67;CC;member;;"
	"20/09/2021;\r\n"
	"E9001;élu;F;Nadia;Berrada;نادية;برادة;FR;"
	"nadia.berrada@elus.casablanca.ma;06.61.23.45.67;CC-COM-BUDGET;"
	"President;;2021-09-20;\r\n"
	"E9002;Elu;H;Youssef;El Amrani;يوسف;العمراني;AR;"
	"youssef.elamrani@elus.casablanca.ma;+212 662 334 455;CA-ANFA;"
	"vice_president;4;2021-09-20;\r\n"
	"E9002;elu;M;Youssef;El Amrani;يوسف;العمراني;ar;"
	"youssef.elamrani@elus.casablanca.ma;+212662334455;CA-ANFA-BUREAU;"
	"vice_president;4;20/09/2021;\r\n"
	"F9001;fonctionnaire;F;Ame\xcc\x81lie;Tazi;"
	"\xd8\xa7\xd9\x94\xd9\x85\xd9\x8a\xd9\x85\xd8\xa9;التازي;ar;"
	"A.Tazi@Casablanca.ma;00212 522 22 33 44;CASA-DGS;officer;;"
	"01/02/2023;31/12/2026\r\n";

/* English header names, ',', another column order, LF, a quoted name
 * with a comma, a short row (no langue: fr), empty contacts, no final
 * line end. */
static const char good_en[] =
	"code,kind,gender,family_fr,given_fr,given_ar,family_ar,email,phone,"
	"organization,role,rank,from,until,lang\n"
	"F9002,fonctionnaire,M,\"Ben Ali, El Idrissi\",Karim,كريم,بناني,"
	"K.Bennani@casablanca.ma,0661000001,CASA-DGS,dgs,1,2022-01-03,\n"
	"E9003,elu,F,El Fassi,Zineb,زينب,الفاسي,,,CC-BUREAU,secretary,,"
	"03/01/2022,2027-09-30,ar";

/* The header of the hostile files, after good_fr's persons. */
#define HDR                                                                \
	"matricule;type;genre;prenom_fr;nom_fr;prenom_ar;nom_ar;langue;"   \
	"email;telephone;organisation;role;rang;debut;fin\n"
/* Nadia Berrada as in good_fr, up to her organisation */
#define NADIA                                                              \
	"E9001;elu;F;Nadia;Berrada;نادية;برادة;fr;"                        \
	"nadia.berrada@elus.casablanca.ma;0661234567;"
/* A new person, up to the organisation */
#define KARIMA                                                             \
	"E9010;elu;F;Karima;Saidi;كريمة;السعيدي;ar;"                       \
	"karima.saidi@elus.casablanca.ma;0662000010;"

static int
setup(void **state)
{
	struct test_env *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	test_env_open(t, "2026-11-29T09:00");
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct test_env *t = *state;

	test_env_close(t);
	free(t);
	return 0;
}

static enum majlis_status
import(struct test_env *t, const char *data, size_t len, int dry_run,
       struct orgchart_counts *c)
{
	buf_reset(&t->err);
	return orgchart_import(&t->e, NAME, data, len, "test", dry_run, c,
			       &t->err);
}

#define IMPORT(t, lit, dry, c) import((t), (lit), sizeof(lit) - 1, (dry), (c))

/* Runs a query that yields one text (arg binds ?1 unless NULL). */
static void
assert_text(struct test_env *t, const char *sql, const char *arg,
	    const char *want)
{
	struct buf got = BUF_INIT, err = BUF_INIT;
	enum majlis_status rc;

	if (arg)
		rc = store_get_text(t->e.store, &err, &got, sql, "s", arg);
	else
		rc = store_get_text(t->e.store, &err, &got, sql, NULL);
	if (rc != MAJLIS_OK)
		fail_msg("%s: status %d %s", sql, rc, err.data);
	if (strcmp(got.data, want))
		fail_msg("%s [%s]: got '%s', wanted '%s'", sql,
			 arg ? arg : "", got.data, want);
	buf_release(&got);
	buf_release(&err);
}

/* A person's fields, '|' separated. */
#define PERSON_SQL                                                         \
	"SELECT kind || '|' || gender || '|' || given_fr || '|' ||"        \
	" family_fr || '|' || given_ar || '|' || family_ar || '|' || lang" \
	" || '|' || coalesce(email, '-') || '|' || coalesce(phone, '-')"   \
	" FROM person WHERE code = ?1"

/* A person's memberships, as ORG:role:rank:from:until, by organization. */
#define MEMBERSHIPS_SQL                                                    \
	"SELECT coalesce(group_concat(x, ' '), '') FROM (SELECT o.code ||" \
	" ':' || m.role || ':' || m.rank || ':' || m.from_date || ':' ||"  \
	" coalesce(m.until_date, '-') AS x FROM membership m"             \
	" JOIN person p ON p.id = m.person_id"                             \
	" JOIN organization o ON o.id = m.organization_id"                 \
	" WHERE p.code = ?1 ORDER BY o.code, m.role)"

static void
assert_counts(const struct orgchart_counts *c, int rows, int persons_new,
	      int persons_updated, int persons_same, int memberships_new,
	      int memberships_same)
{
	assert_int_equal(c->rows, rows);
	assert_int_equal(c->persons_new, persons_new);
	assert_int_equal(c->persons_updated, persons_updated);
	assert_int_equal(c->persons_same, persons_same);
	assert_int_equal(c->memberships_new, memberships_new);
	assert_int_equal(c->memberships_same, memberships_same);
}

static int64_t
import_audits(struct test_env *t)
{
	return test_int(t,
			"SELECT count(*) FROM audit WHERE action = 'import'");
}

/* The store's state as far as an import can touch it. */
struct snap {
	int64_t persons, memberships, audits;
	struct buf rows;	/* every person and membership, as text */
};

static void
snap_take(struct test_env *t, struct snap *s)
{
	struct buf err = BUF_INIT;

	s->persons = test_int(t, "SELECT count(*) FROM person");
	s->memberships = test_int(t, "SELECT count(*) FROM membership");
	s->audits = test_int(t, "SELECT count(*) FROM audit");
	buf_init(&s->rows);
	if (store_get_text(
		    t->e.store, &err, &s->rows,
		    "SELECT coalesce((SELECT group_concat(x, char(10)) FROM"
		    " (SELECT id || '|' || code || '|' || kind || '|' ||"
		    " gender || '|' || given_fr || '|' || family_fr || '|' ||"
		    " given_ar || '|' || family_ar || '|' || lang || '|' ||"
		    " coalesce(email, '-') || '|' || coalesce(phone, '-') ||"
		    " '|' || created_at AS x FROM person ORDER BY id)), '')"
		    " || char(10) || coalesce((SELECT group_concat(x,"
		    " char(10)) FROM (SELECT id || '|' || person_id || '|' ||"
		    " organization_id || '|' || role || '|' || rank || '|' ||"
		    " from_date || '|' || coalesce(until_date, '-') AS x"
		    " FROM membership ORDER BY id)), '')",
		    NULL) != MAJLIS_OK)
		fail_msg("%s", err.data);
	buf_release(&err);
}

static void
snap_same(struct test_env *t, struct snap *before)
{
	struct snap after;

	snap_take(t, &after);
	assert_int_equal(after.persons, before->persons);
	assert_int_equal(after.memberships, before->memberships);
	assert_int_equal(after.audits, before->audits);
	assert_string_equal(after.rows.data, before->rows.data);
	assert_false(store_in_transaction(t->e.store));
	buf_release(&after.rows);
	buf_release(&before->rows);
}

/* The line numbers the error reports for NAME, in order: "3,5,7". */
static void
reported_lines(const char *err, struct buf *out)
{
	const char *p = err;
	size_t nl = strlen(NAME);

	for (; (p = strstr(p, NAME)) != NULL; p += nl) {
		const char *q = p + nl + 1;

		if ((p != err && p[-1] != '\n') || p[nl] != ':' ||
		    !isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q != ':')
			continue;
		if (out->len)
			buf_addch(out, ',');
		buf_add(out, p + nl + 1, (size_t)(q - p - nl - 1));
	}
}

static void
assert_has(struct test_env *t, const char *needle)
{
	if (!strstr(t->err.data, needle))
		fail_msg("'%s' not in:\n%s", needle, t->err.data);
}

/*
 * Imports a hostile file over the store as it is, expects it refused
 * with exactly these line numbers reported (NULL: not checked), and the
 * store unchanged.
 */
static void
refused(struct test_env *t, const char *data, size_t len, const char *lines)
{
	struct orgchart_counts c;
	struct snap before;
	struct buf got = BUF_INIT;
	enum majlis_status rc;

	snap_take(t, &before);
	rc = import(t, data, len, 0, &c);
	reported_lines(t->err.data, &got);
	if (rc != MAJLIS_ERR_DATA || (lines && strcmp(got.data, lines))) {
		print_error("status %d, lines '%s', wanted MAJLIS_ERR_DATA and "
			    "lines '%s', in:\n%s\n",
			    rc, got.data, lines ? lines : "", t->err.data);
		buf_release(&got);
		buf_release(&before.rows);
		fail();
	}
	buf_release(&got);
	snap_same(t, &before);
	/* a dry run refuses it the same way */
	snap_take(t, &before);
	assert_int_equal(import(t, data, len, 1, &c), MAJLIS_ERR_DATA);
	snap_same(t, &before);
}

#define REFUSED(t, lit, lines) refused((t), (lit), sizeof(lit) - 1, (lines))

/* The store after good_fr, for the hostile files to leave alone. */
static void
load_good(struct test_env *t)
{
	struct orgchart_counts c;

	if (IMPORT(t, good_fr, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 3);
}

static void
check_good_fr(struct test_env *t)
{
	assert_text(t, PERSON_SQL, "E9001",
		    "elu|F|Nadia|Berrada|نادية|برادة|fr|"
		    "nadia.berrada@elus.casablanca.ma|+212661234567");
	assert_text(t, PERSON_SQL, "E9002",
		    "elu|M|Youssef|El Amrani|يوسف|العمراني|ar|"
		    "youssef.elamrani@elus.casablanca.ma|+212662334455");
	/* NFC: é as one code point, أ as one code point */
	assert_text(t, PERSON_SQL, "F9001",
		    "fonctionnaire|F|Am\xc3\xa9lie|Tazi|"
		    "\xd8\xa3\xd9\x85\xd9\x8a\xd9\x85\xd8\xa9|التازي|ar|"
		    "a.tazi@casablanca.ma|+212522223344");
	assert_text(t, MEMBERSHIPS_SQL, "E9001",
		    "CC:member:0:2021-09-20:- "
		    "CC-COM-BUDGET:president:0:2021-09-20:-");
	assert_text(t, MEMBERSHIPS_SQL, "E9002",
		    "CA-ANFA:vice_president:4:2021-09-20:- "
		    "CA-ANFA-BUREAU:vice_president:4:2021-09-20:-");
	assert_text(t, MEMBERSHIPS_SQL, "F9001",
		    "CASA-DGS:officer:0:2023-02-01:2026-12-31");
}

static void
test_good_file(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;

	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 0);
	assert_int_equal(test_int(t, "SELECT count(*) FROM membership"), 0);
	if (IMPORT(t, good_fr, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 5, 3, 0, 0, 5, 0);
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 3);
	assert_int_equal(test_int(t, "SELECT count(*) FROM membership"), 5);
	check_good_fr(t);
	/* rank is stored as a number */
	assert_int_equal(test_int(t, "SELECT count(*) FROM membership"
				     " WHERE typeof(rank) <> 'integer'"),
			 0);

	/* the English, comma-separated file adds to it */
	if (IMPORT(t, good_en, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 2, 2, 0, 0, 2, 0);
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 5);
	assert_int_equal(test_int(t, "SELECT count(*) FROM membership"), 7);
	assert_text(t, PERSON_SQL, "F9002",
		    "fonctionnaire|M|Karim|Ben Ali, El Idrissi|كريم|بناني|fr|"
		    "k.bennani@casablanca.ma|+212661000001");
	assert_text(t, PERSON_SQL, "E9003",
		    "elu|F|Zineb|El Fassi|زينب|الفاسي|ar|-|-");
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"
				     " WHERE code = 'E9003' AND email IS NULL"
				     " AND phone IS NULL"),
			 1);
	assert_text(t, MEMBERSHIPS_SQL, "F9002",
		    "CASA-DGS:dgs:1:2022-01-03:-");
	assert_text(t, MEMBERSHIPS_SQL, "E9003",
		    "CC-BUREAU:secretary:0:2022-01-03:2027-09-30");
	/* the first file's persons are untouched */
	check_good_fr(t);
}

static void
test_phone_with_plus_accepted(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;
	static const char csv[] =
		HDR
		"E9010;elu;F;Karima;Saidi;كريمة;السعيدي;ar;"
		"karima.saidi@elus.casablanca.ma;+212 661 23 45 67;CC;member;;"
		"2021-09-20;\n";

	if (IMPORT(t, csv, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 1, 1, 0, 0, 1, 0);
	assert_text(t, "SELECT phone FROM person WHERE code = ?1", "E9010",
		    "+212661234567");
}

static void
test_reimport_changes_nothing(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;
	struct snap before;

	load_good(t);
	snap_take(t, &before);
	if (IMPORT(t, good_fr, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 5, 0, 0, 3, 0, 5);
	/* the same persons and memberships, the same ids; one audit more */
	before.audits++;
	snap_same(t, &before);
	check_good_fr(t);
	/* and again, in the other dialect: the same data is the same */
	if (IMPORT(t, good_en, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	snap_take(t, &before);
	if (IMPORT(t, good_en, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 2, 0, 0, 2, 0, 2);
	before.audits++;
	snap_same(t, &before);
}

static void
test_changed_email_updates(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;
	static const char csv[] =
		HDR
		"E9001;elu;F;Nadia;Berrada;نادية;برادة;fr;"
		"N.Berrada@Casablanca.ma;0661234567;CC;member;;2021-09-20;\n"
		"E9001;elu;F;Nadia;Berrada;نادية;برادة;fr;"
		"n.berrada@casablanca.ma;0661234567;CC-COM-BUDGET;president;;"
		"20/09/2021;\n";
	int64_t id;

	load_good(t);
	id = test_int(t, "SELECT id FROM person WHERE code = 'E9001'");
	if (IMPORT(t, csv, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 2, 0, 1, 0, 0, 2);
	assert_text(t, PERSON_SQL, "E9001",
		    "elu|F|Nadia|Berrada|نادية|برادة|fr|"
		    "n.berrada@casablanca.ma|+212661234567");
	/* the same person, not a new one; others unchanged */
	assert_int_equal(test_int(t, "SELECT id FROM person"
				     " WHERE code = 'E9001'"),
			 id);
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 3);
	assert_int_equal(test_int(t, "SELECT count(*) FROM membership"), 5);
	assert_text(t, PERSON_SQL, "E9002",
		    "elu|M|Youssef|El Amrani|يوسف|العمراني|ar|"
		    "youssef.elamrani@elus.casablanca.ma|+212662334455");
	/* the old address is free again: another person may take it */
	{
		static const char csv2[] =
			HDR
			"E9010;elu;F;Karima;Saidi;كريمة;السعيدي;ar;"
			"nadia.berrada@elus.casablanca.ma;;CC;member;;"
			"2021-09-20;\n";

		if (IMPORT(t, csv2, 0, &c) != MAJLIS_OK)
			fail_msg("%s", t->err.data);
		assert_counts(&c, 1, 1, 0, 0, 1, 0);
	}
}

static void
test_dry_run_writes_nothing(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;
	struct snap before;
	static const char csv[] =
		HDR
		"E9001;elu;F;Nadia;Berrada;نادية;برادة;fr;"
		"nadia@casablanca.ma;0661234567;CC;member;;2021-09-20;"
		"2026-12-31\n"
		KARIMA "CC;member;;2021-09-20;\n";

	/* on an empty store: counts say what would happen */
	snap_take(t, &before);
	if (IMPORT(t, good_fr, 1, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 5, 3, 0, 0, 5, 0);
	snap_same(t, &before);
	assert_int_equal(test_int(t, "SELECT count(*) FROM person"), 0);
	/* on a loaded store: a change and a new person, not written */
	load_good(t);
	snap_take(t, &before);
	if (IMPORT(t, csv, 1, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 2, 1, 1, 0, 1, 1);
	snap_same(t, &before);
	check_good_fr(t);
	/* the real import then does what the dry run said */
	if (IMPORT(t, csv, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_counts(&c, 2, 1, 1, 0, 1, 1);
	assert_text(t, MEMBERSHIPS_SQL, "E9001",
		    "CC:member:0:2021-09-20:2026-12-31 "
		    "CC-COM-BUDGET:president:0:2021-09-20:-");
}

static void
test_audit_entries(void **state)
{
	struct test_env *t = *state;
	struct orgchart_counts c;
	static const char bad[] = HDR NADIA "CC;member;;2021-09-20;\n"
					    "E9002;elu;X;Youssef;El Amrani;"
					    "يوسف;العمراني;ar;;;CC;member;;"
					    "2021-09-20;\n";

	assert_int_equal(import_audits(t), 0);
	assert_int_equal(IMPORT(t, good_fr, 1, &c), MAJLIS_OK);
	assert_int_equal(import_audits(t), 0);
	assert_int_equal(IMPORT(t, good_fr, 0, &c), MAJLIS_OK);
	assert_int_equal(import_audits(t), 1);
	assert_text(t,
		    "SELECT actor || '|' || cause || '|' || detail FROM audit"
		    " WHERE action = 'import'",
		    NULL,
		    "test|import orgchart " NAME "|{\"rows\":5,"
		    "\"persons_new\":3,\"persons_updated\":0,"
		    "\"memberships_new\":5}");
	assert_int_equal(IMPORT(t, bad, 0, &c), MAJLIS_ERR_DATA);
	assert_int_equal(IMPORT(t, bad, 1, &c), MAJLIS_ERR_DATA);
	assert_int_equal(import_audits(t), 1);
	/* a re-import that changes nothing is still an import */
	assert_int_equal(IMPORT(t, good_fr, 0, &c), MAJLIS_OK);
	assert_int_equal(import_audits(t), 2);
	assert_int_equal(IMPORT(t, good_en, 0, &c), MAJLIS_OK);
	assert_int_equal(import_audits(t), 3);
	assert_int_equal(IMPORT(t, good_en, 1, &c), MAJLIS_OK);
	assert_int_equal(import_audits(t), 3);
}

static void
test_wrong_encoding(void **state)
{
	struct test_env *t = *state;
	/* line 4 saved as Windows-1256: "نادية برادة" */
	static const char csv[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		"\n"
		"E9011;elu;F;Nadia;Berrada;\xe4\xc7\xcf\xed\xc9;"
		"\xc8\xd1\xc7\xcf\xc9;fr;;;CC;member;;2021-09-20;\n";

	load_good(t);
	REFUSED(t, csv, "4");
	assert_has(t, NAME ":4: the file is not UTF-8");
	assert_has(t, "Windows-1256");
	assert_has(t, "\"CSV UTF-8\"");
}

static void
test_missing_columns(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		"matricule;type;genre;prenom_fr;nom_fr;nom_ar;langue;"
		"organisation;role\n"
		"E9010;elu;F;Karima;Saidi;السعيدي;ar;CC;member\n";
	static const char header_only[] =
		"matricule,type,genre,prenom_fr,nom_fr,nom_ar,organisation,"
		"role,debut\n";

	load_good(t);
	REFUSED(t, csv, NULL);
	assert_has(t, NAME ":1: missing column 'prenom_ar'");
	assert_has(t, NAME ":1: missing column 'debut'");
	assert_has(t, NAME ": nothing was imported");
	REFUSED(t, header_only, "1");
	assert_has(t, NAME ":1: missing column 'prenom_ar'");
	/* an unknown column is refused too */
	{
		static const char extra[] =
			"matricule;type;genre;prenom_fr;nom_fr;prenom_ar;"
			"nom_ar;organisation;role;debut;notes\n"
			"E9010;elu;F;Karima;Saidi;كريمة;السعيدي;CC;member;"
			"2021-09-20;\n";

		REFUSED(t, extra, "1");
		assert_has(t, NAME ":1: unknown column 'notes'");
	}
	/* an empty file, or one with a header only as blank lines */
	REFUSED(t, "", NULL);
	assert_has(t, "empty");
	REFUSED(t, "\r\n\r\n", NULL);
}

static void
test_duplicated_column(void **state)
{
	struct test_env *t = *state;
	/* "email" and "courriel" name the same column */
	static const char csv[] =
		"matricule;type;genre;prenom_fr;nom_fr;prenom_ar;nom_ar;"
		"courriel;organisation;role;debut;email\n";
	static const char twice[] =
		"matricule;type;genre;prenom_fr;nom_fr;prenom_ar;nom_ar;"
		"organisation;role;debut;Role\n";

	load_good(t);
	REFUSED(t, csv, "1");
	assert_has(t, NAME ":1: column 'email' appears twice");
	REFUSED(t, twice, "1");
	assert_has(t, NAME ":1: column 'role' appears twice");
}

/*
 * Regression: with a duplicated column, each data row's second cell used
 * to overwrite the first one's value without freeing it (a leak that
 * LeakSanitizer reports when this runs under SANITIZE=address).
 */
static void
test_duplicated_column_with_rows(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		"matricule;type;genre;prenom_fr;nom_fr;prenom_ar;nom_ar;"
		"courriel;organisation;role;debut;email\n"
		"E9010;elu;F;Karima;Saidi;كريمة;السعيدي;a@b.ma;CC;member;"
		"2021-09-20;c@d.ma\n";

	load_good(t);
	REFUSED(t, csv, "1");
	assert_has(t, NAME ":1: column 'email' appears twice");
}

static void
test_duplicate_membership(void **state)
{
	struct test_env *t = *state;
	/* lines 2 and 5: the same membership, its date written two ways */
	static const char csv[] =
		HDR
		NADIA "CC;member;;20/09/2021;\n"
		KARIMA "CC;member;;2021-09-20;\n"
		NADIA "CC-COM-BUDGET;president;;2021-09-20;\n"
		NADIA "CC;Member;2;2021-09-20;2026-12-31\n";

	load_good(t);
	REFUSED(t, csv, "5");
	assert_has(t, NAME ":5: duplicate of line 2 (E9001, member in CC "
		      "from 2021-09-20)");
}

static void
test_conflicting_names(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		NADIA "CC;member;;2021-09-20;\n"
		KARIMA "CC;member;;2021-09-20;\n"
		"E9001;elu;F;Nadya;Berrada;نادية;برادة;fr;"
		"nadia.berrada@elus.casablanca.ma;0661234567;CC-COM-BUDGET;"
		"president;;2021-09-20;\n";
	static const char ar[] =
		HDR
		NADIA "CC;member;;2021-09-20;\n"
		"E9001;elu;F;Nadia;Berrada;نادية;بنبرادة;fr;"
		"nadia.berrada@elus.casablanca.ma;0661234567;CC-COM-BUDGET;"
		"president;;2021-09-20;\n";

	load_good(t);
	REFUSED(t, csv, "4");
	assert_has(t, NAME ":4: prenom_fr of E9001 is 'Nadya' here but "
		      "'Nadia' on line 2");
	REFUSED(t, ar, "3");
	assert_has(t, NAME ":3: nom_ar of E9001");
	assert_has(t, "on line 2");
}

static void
test_email_of_two_persons(void **state)
{
	struct test_env *t = *state;
	/* in the file: lines 2 and 4 */
	static const char csv[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		"E9011;elu;M;Omar;Alami;عمر;العلمي;fr;;;CC;member;;"
		"2021-09-20;\n"
		"E9012;elu;M;Ali;Alami;علي;العلمي;fr;"
		"Karima.Saidi@elus.casablanca.ma;;CC;member;;2021-09-20;\n";
	/* against the store: Nadia's address for someone else */
	static const char stored[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		"E9011;elu;M;Omar;Alami;عمر;العلمي;fr;"
		"NADIA.BERRADA@elus.casablanca.ma;;CC;member;;2021-09-20;\n";

	load_good(t);
	REFUSED(t, csv, "4");
	assert_has(t, NAME ":4: e-mail karima.saidi@elus.casablanca.ma "
		      "already belongs to E9010 (line 2)");
	REFUSED(t, stored, "3");
	assert_has(t, NAME ":3: e-mail nadia.berrada@elus.casablanca.ma "
		      "already belongs to E9001");
}

/*
 * Regression: when the first holder of an address has several rows, the
 * other person's row is reported once, not once per such row.
 */
static void
test_email_of_two_persons_reported_once(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		KARIMA "CC-COM-SOCIAL;member;;2021-09-20;\n"
		"E9012;elu;M;Ali;Alami;علي;العلمي;fr;"
		"karima.saidi@elus.casablanca.ma;;CC;member;;2021-09-20;\n";

	load_good(t);
	REFUSED(t, csv, "4");
}

static void
test_unknown_organization_and_role(void **state)
{
	struct test_env *t = *state;
	static const char org[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		KARIMA "CC-COM-SPORT;member;;2021-09-20;\n";
	static const char role[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		KARIMA "CC-BUREAU;tresorier;;2021-09-20;\n"
		KARIMA "CC-COM-BUDGET;vice president;;2021-09-20;\n";

	load_good(t);
	REFUSED(t, org, "3");
	assert_has(t, NAME ":3: unknown organization 'CC-COM-SPORT'");
	REFUSED(t, role, "3,4");
	assert_has(t, NAME ":3: unknown role 'tresorier'");
	assert_has(t, NAME ":4: unknown role 'vice president'");
}

static void
test_bad_values(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		"E9010;elu;X;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 2 */
		"E9011;citoyen;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 3 */
		"E9012;elu;F;Karima;Saidi;كريمة;السعيدي;en;;;CC;member;;"
		"2021-09-20;\n"					/* 4 */
		KARIMA "CC;member;;31/02/2024;\n"		/* 5 */
		KARIMA "CC-BUREAU;member;;2024-13-01;\n"	/* 6 */
		KARIMA "CC-COM-BUDGET;member;;20-09-2021;\n"	/* 7 */
		KARIMA "CC-COM-SOCIAL;member;;2021-09-20;hier\n" /* 8 */
		KARIMA "CA-ANFA;member;;2021-09-20;2021-01-01\n" /* 9 */
		KARIMA "CA-MAARIF;member;premier;2021-09-20;\n"	/* 10 */
		"E9013;elu;F;Karima;Saidi;كريمة;السعيدي;ar;pas-un-mail;;CC;"
		"member;;2021-09-20;\n"				/* 11 */
		"E9014;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;06 12;CC;"
		"member;;2021-09-20;\n"				/* 12 */
		"E 9015;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;"
		"member;;2021-09-20;\n"				/* 13 */
		"E9016;elu;F;;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 14 */
		"E9017;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		";\n";						/* 15 */

	load_good(t);
	REFUSED(t, csv, "2,3,4,5,6,7,8,9,10,11,12,13,14,15");
	assert_has(t, NAME ":2: genre must be M or F, not 'X'");
	assert_has(t, NAME ":3: type must be elu or fonctionnaire, not "
		      "'citoyen'");
	assert_has(t, NAME ":4: langue must be fr or ar, not 'en'");
	assert_has(t, NAME ":5: debut: '31/02/2024' is not a date");
	assert_has(t, NAME ":6: debut: '2024-13-01' is not a date");
	assert_has(t, NAME ":7: debut: '20-09-2021' is not a date");
	assert_has(t, NAME ":8: fin: 'hier' is not a date");
	assert_has(t, NAME ":9: fin (2021-01-01) is before debut "
		      "(2021-09-20)");
	assert_has(t, NAME ":10: rang must be a number");
	assert_has(t, NAME ":11: 'pas-un-mail' is not an e-mail address");
	assert_has(t, NAME ":12: '06 12' is not a phone number");
	assert_has(t, NAME ":13: matricule 'E 9015'");
	assert_has(t, NAME ":14: prenom_fr is empty");
	assert_has(t, NAME ":15: debut is empty");
	assert_has(t, NAME ": nothing was imported");
}

static void
test_fin_before_debut(void **state)
{
	struct test_env *t = *state;
	/* DD/MM/YYYY compared as dates, not as text */
	static const char csv[] =
		HDR
		KARIMA "CC;member;;2021-09-20;2026-12-31\n"
		KARIMA "CC-BUREAU;member;;20/09/2021;19/09/2021\n";
	static const char same_day[] =
		HDR KARIMA "CC;member;;20/09/2021;2021-09-20\n";
	struct orgchart_counts c;

	load_good(t);
	REFUSED(t, csv, "3");
	assert_has(t, NAME ":3: fin (2021-09-19) is before debut "
		      "(2021-09-20)");
	/* a term of one day is fine */
	if (IMPORT(t, same_day, 0, &c) != MAJLIS_OK)
		fail_msg("%s", t->err.data);
	assert_text(t, MEMBERSHIPS_SQL, "E9010",
		    "CC:member:0:2021-09-20:2021-09-20");
}

static void
test_wrong_script(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		"E9010;elu;F;Karima;Saidi;Karima;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 2 */
		"E9011;elu;F;Karima;Saidi;كريمة;Saidi;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 3 */
		"E9012;elu;F;كريمة;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 4 */
		"E9013;elu;F;Karima;السعيدي;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 5 */
		"E9014;elu;F;Karima كريمة;Saidi;كريمة;السعيدي;ar;;;CC;"
		"member;;2021-09-20;\n"				/* 6 */
		"E9015;elu;F;Karima;Saidi;كريمة K;السعيدي;ar;;;CC;"
		"member;;2021-09-20;\n"				/* 7 */
		"E9016;elu;F;123;Saidi;كريمة;السعيدي;ar;;;CC;"
		"member;;2021-09-20;\n";			/* 8 */

	load_good(t);
	REFUSED(t, csv, "2,3,4,5,6,7,8");
	assert_has(t, NAME ":2: prenom_ar must be written in Arabic letters");
	assert_has(t, NAME ":3: nom_ar must be written in Arabic letters");
	assert_has(t, NAME ":4: prenom_fr must be written in Latin letters");
	assert_has(t, NAME ":5: nom_fr must be written in Latin letters");
	assert_has(t, NAME ":6: prenom_fr must be written in Latin letters");
	assert_has(t, NAME ":7: prenom_ar must be written in Arabic letters");
	assert_has(t, NAME ":8: prenom_fr must be written in Latin letters");
}

static void
test_formulas(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		"E9010;elu;F;\"=HYPERLINK(\"\"http://evil.example/\"\";"
		"\"\"Karima\"\")\";Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 2 */
		"E9011;elu;F;Karima;+1+2;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 3 */
		"E9012;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;"
		"-2+3;2021-09-20;\n"				/* 4 */
		"@SUM(A1);elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n"					/* 5 */
		"E9013;elu;F;Karima;Saidi;كريمة;السعيدي;ar;=1+2@x.ma;;CC;"
		"member;;2021-09-20;\n"				/* 6 */
		"E9014;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;+1+2;CC;"
		"member;;2021-09-20;\n"				/* 7 */
		"E9015;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;-2+3;CC;"
		"member;;2021-09-20;\n"				/* 8 */
		"E9016;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;=A1;"
		"member;;2021-09-20;\n"				/* 9 */
		"E9017;elu;F;Karima;Saidi;=\"\"كريمة\"\";السعيدي;ar;;;CC;"
		"member;;2021-09-20;\n"				/* 10 */
		"E9018;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;+1\n"				/* 11 */
		"E9019;elu;F;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
		"\t=2021-09-20;\n";				/* 12 */

	load_good(t);
	REFUSED(t, csv, "2,3,4,5,6,7,8,9,10,11,12");
	assert_has(t, NAME ":2: prenom_fr starts with '='");
	assert_has(t, NAME ":3: nom_fr starts with '+'");
	assert_has(t, NAME ":4: rang starts with '-'");
	assert_has(t, NAME ":5: matricule starts with '@'");
	assert_has(t, NAME ":6: email starts with '='");
	assert_has(t, NAME ":7: telephone starts with '+'");
	assert_has(t, NAME ":8: telephone starts with '-'");
	assert_has(t, NAME ":9: organisation starts with '='");
	assert_has(t, NAME ":10: prenom_ar starts with '='");
	assert_has(t, NAME ":11: fin starts with '+'");
	assert_has(t, NAME ":12: debut starts with a control character");
	assert_has(t, "a spreadsheet formula is not accepted");
}

/*
 * Regression: a cell that starts with a tab is one of the forms of CSV
 * injection; it must be refused before leading blanks are trimmed
 * ("\tSaidi" was once imported as "Saidi").
 */
static void
test_formula_leading_tab(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		"E9010;elu;F;Karima;\"\tSaidi\";كريمة;السعيدي;ar;;;CC;member;;"
		"2021-09-20;\n";

	load_good(t);
	REFUSED(t, csv, "2");
	assert_has(t, NAME ":2: nom_fr starts with");
}

static void
test_all_problems_at_once(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		KARIMA "CC;member;;2021-09-20;\n"
		KARIMA "CC-BUREAU;member;;2021-09-31;\n"	/* 3 */
		KARIMA "CC-COM-BUDGET;member;;2021-09-20;\n"
		"E9011;elu;F;Salma;Idrissi;سلمى;الإدريسي;fr;;;CC;membre;;"
		"2021-09-20;\n"					/* 5 */
		KARIMA "CC-COM-SOCIAL;member;;2021-09-20;\n"
		"E9012;elu;F;Salma;Idrissi;سلمى;الإدريسي;fr;;;CC;member;;"
		"2021-09-20;2020-01-01\n";			/* 7 */

	load_good(t);
	REFUSED(t, csv, "3,5,7");
	/* one row with several bad cells gives one line per cell */
	{
		static const char two[] =
			HDR
			"E9011;elu;Z;Salma;Idrissi;سلمى;الإدريسي;de;;;CC;"
			"member;;2021-09-20;\n";

		REFUSED(t, two, "2,2");
		assert_has(t, "genre must be M or F");
		assert_has(t, "langue must be fr or ar");
	}
}

/*
 * Regression: every stage of checks (each row, the rows against each
 * other, the rows against the store) runs, so that a bad genre on line 2
 * does not hide the unknown organization on line 3 and the duplicate on
 * line 5: all problems at once, reported in line order.
 */
static void
test_all_kinds_of_problems_at_once(void **state)
{
	struct test_env *t = *state;
	static const char csv[] =
		HDR
		"E9011;elu;X;Salma;Idrissi;سلمى;الإدريسي;fr;;;CC;member;;"
		"2021-09-20;\n"					/* 2 */
		KARIMA "CC-NOWHERE;member;;2021-09-20;\n"	/* 3 */
		KARIMA "CC;member;;2021-09-20;\n"
		KARIMA "CC;member;;20/09/2021;\n";		/* 5 */

	load_good(t);
	REFUSED(t, csv, "2,3,5");
}

/* A file of n rows, each with a bad genre; rows on lines 2 to n + 1. */
static void
many_bad_rows(struct buf *b, int n)
{
	buf_addstr(b, HDR);
	for (int i = 0; i < n; i++)
		buf_addf(b,
			 "E%d;elu;X;Karima;Saidi;كريمة;السعيدي;ar;;;CC;member;;"
			 "2021-09-20;\n",
			 9100 + i);
}

static void
test_too_many_errors(void **state)
{
	struct test_env *t = *state;
	struct buf csv = BUF_INIT, want = BUF_INIT;

	load_good(t);
	/* exactly the limit: every one reported, no "more" */
	many_bad_rows(&csv, ORGCHART_MAX_ERRORS);
	for (int i = 0; i < ORGCHART_MAX_ERRORS; i++)
		buf_addf(&want, "%s%d", i ? "," : "", i + 2);
	refused(t, csv.data, csv.len, want.data);
	assert_null(strstr(t->err.data, "more than"));
	/* more: the first ORGCHART_MAX_ERRORS only, and no more lines */
	buf_reset(&csv);
	many_bad_rows(&csv, ORGCHART_MAX_ERRORS + 30);
	refused(t, csv.data, csv.len, want.data);
	/* rows against each other: duplicates of line 2 beyond the limit */
	buf_reset(&csv);
	buf_addstr(&csv, HDR);
	for (int i = 0; i < ORGCHART_MAX_ERRORS + 30; i++)
		buf_addstr(&csv, KARIMA "CC;member;;2021-09-20;\n");
	buf_reset(&want);
	for (int i = 0; i < ORGCHART_MAX_ERRORS; i++)
		buf_addf(&want, "%s%d", i ? "," : "", i + 3);
	refused(t, csv.data, csv.len, want.data);
	{
		char msg[64];

		snprintf(msg, sizeof(msg), "more than %d problems",
			 ORGCHART_MAX_ERRORS);
		assert_has(t, msg);
	}
	buf_release(&csv);
	buf_release(&want);
}

/*
 * Regression: when the row checks pass ORGCHART_MAX_ERRORS, the message
 * still says there are more problems, and that nothing was imported.
 */
static void
test_too_many_errors_says_so(void **state)
{
	struct test_env *t = *state;
	struct buf csv = BUF_INIT;
	char msg[64];

	load_good(t);
	many_bad_rows(&csv, ORGCHART_MAX_ERRORS + 30);
	refused(t, csv.data, csv.len, NULL);
	buf_release(&csv);
	snprintf(msg, sizeof(msg), "more than %d problems",
		 ORGCHART_MAX_ERRORS);
	assert_has(t, msg);
	assert_has(t, NAME ": nothing was imported");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_good_file),
		T(test_phone_with_plus_accepted),
		T(test_reimport_changes_nothing),
		T(test_changed_email_updates),
		T(test_dry_run_writes_nothing),
		T(test_audit_entries),
		T(test_wrong_encoding),
		T(test_missing_columns),
		T(test_duplicated_column),
		T(test_duplicated_column_with_rows),
		T(test_duplicate_membership),
		T(test_conflicting_names),
		T(test_email_of_two_persons),
		T(test_email_of_two_persons_reported_once),
		T(test_unknown_organization_and_role),
		T(test_bad_values),
		T(test_fin_before_debut),
		T(test_wrong_script),
		T(test_formulas),
		T(test_formula_leading_tab),
		T(test_all_problems_at_once),
		T(test_all_kinds_of_problems_at_once),
		T(test_too_many_errors),
		T(test_too_many_errors_says_so),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
