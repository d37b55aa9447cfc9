/*
 * test-archive.c - the archive: register numbers per prefix and year
 * (and given back by a rollback), versions and the unchanged rule,
 * content-addressed objects (shared, never rewritten, damage detected
 * by get and verify), choosing a file, the diff (exact output, and
 * random texts checked against a longest common subsequence), search
 * in French and Arabic (accents, vowel marks, letter variants, article
 * and particles, presentation forms) with hostile queries, attachments,
 * and the migration of a store that already had documents.
 */
#include "testlib.h"

#include <sys/stat.h>

#include "archive.h"

struct fixture {
	struct test_env t;
	struct archive *a;
	char dir[300];		/* the archive folder */
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	test_env_open(&f->t, "2026-11-29T09:00");
	snprintf(f->dir, sizeof(f->dir), "%s/archive", f->t.dir);
	if (archive_open(f->t.e.store, f->dir, &f->a, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	archive_close(f->a);
	test_env_close(&f->t);
	free(f);
	return 0;
}

static int64_t
now(struct fixture *f)
{
	return clock_now(f->t.e.clock);
}

static void
begin(struct fixture *f)
{
	assert_int_equal(store_begin(f->t.e.store, &f->t.err), MAJLIS_OK);
}

static void
commit(struct fixture *f)
{
	if (store_commit(f->t.e.store, &f->t.err) != MAJLIS_OK)
		fail_msg("%s", f->t.err.data);
}

/* Registers (kind, subject) in a transaction of its own. */
static struct archive_doc
reg(struct fixture *f, const char *kind, const char *prefix,
    const char *subject, int year, const char *title_fr)
{
	struct archive_entry e;
	struct archive_doc d;
	int is_new;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.prefix = prefix;
	e.subject = subject;
	e.year = year;
	e.title_fr = title_fr;
	e.title_ar = "وثيقة";
	begin(f);
	if (archive_register(f->a, &e, now(f), &d, &is_new, &f->t.err))
		fail_msg("%s", f->t.err.data);
	commit(f);
	return d;
}

/* Files n files as the next version in a transaction of its own;
 * returns whether a version was made, its number in *version. */
static int
add(struct fixture *f, int64_t doc, const struct archive_file *files,
    size_t n, int force, int *version)
{
	int created, v;

	begin(f);
	if (archive_add_version(f->a, doc, files, n, "test", now(f), force,
				&v, &created, &f->t.err))
		fail_msg("%s", f->t.err.data);
	commit(f);
	if (version)
		*version = v;
	return created;
}

/* One text file in French. */
static int
add_text(struct fixture *f, int64_t doc, const char *lang, const char *text)
{
	struct archive_file file = { "txt", lang, text, strlen(text), NULL };

	return add(f, doc, &file, 1, 0, NULL);
}

static void
object_of(struct fixture *f, const char *hex, char *path, size_t size)
{
	snprintf(path, size, "%s/objects/%.2s/%s", f->dir, hex, hex);
}

static void
test_register_numbers(void **state)
{
	struct fixture *f = *state;
	struct archive_entry e;
	struct archive_doc d;
	int is_new;

	assert_string_equal(reg(f, "pv", "PV", "meeting:1", 2026, "PV 1")
				    .register_no,
			    "PV-2026-0001");
	assert_string_equal(reg(f, "pv", "PV", "meeting:2", 2026, "PV 2")
				    .register_no,
			    "PV-2026-0002");
	/* Numbered per prefix and per year. */
	assert_string_equal(reg(f, "convocation", "CONV", "meeting:1", 2026,
				"Convocation")
				    .register_no,
			    "CONV-2026-0001");
	assert_string_equal(reg(f, "pv", "PV", "meeting:3", 2027, "PV 3")
				    .register_no,
			    "PV-2027-0001");
	/* The same subject is the same document; its title follows. */
	d = reg(f, "pv", "PV", "meeting:1", 2026, "PV 1, corrigé");
	assert_string_equal(d.register_no, "PV-2026-0001");
	assert_int_equal(d.versions, 0);
	assert_int_equal(test_int(&f->t, "SELECT count(*) FROM document"
					 " WHERE title_fr = 'PV 1, corrigé'"),
			 1);
	/* A rollback gives its number back. */
	memset(&e, 0, sizeof(e));
	e.kind = "pv";
	e.prefix = "PV";
	e.subject = "meeting:4";
	e.year = 2026;
	e.title_fr = "PV 4";
	e.title_ar = "محضر";
	begin(f);
	assert_int_equal(archive_register(f->a, &e, now(f), &d, &is_new,
					  &f->t.err),
			 MAJLIS_OK);
	assert_true(is_new);
	assert_string_equal(d.register_no, "PV-2026-0003");
	store_rollback(f->t.e.store);
	assert_string_equal(reg(f, "pv", "PV", "meeting:5", 2026, "PV 5")
				    .register_no,
			    "PV-2026-0003");
	/* Past 9999 the number grows a digit. */
	test_exec(&f->t, "UPDATE counter SET value = 9999"
			 " WHERE name = 'register/PV/2026'");
	assert_string_equal(reg(f, "pv", "PV", "meeting:6", 2026, "PV 6")
				    .register_no,
			    "PV-2026-10000");
	/* A NULL subject is a new document every time. */
	assert_string_equal(reg(f, "attachment", "PJ", NULL, 2026, "PJ")
				    .register_no,
			    "PJ-2026-0001");
	assert_string_equal(reg(f, "attachment", "PJ", NULL, 2026, "PJ")
				    .register_no,
			    "PJ-2026-0002");
	/* Found by number, in any case, and by subject. */
	assert_int_equal(archive_find(f->a, "pv-2026-0002", &d, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(d.register_no, "PV-2026-0002");
	assert_int_equal(archive_find(f->a, "PV-2026-0099", &d, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_non_null(strstr(f->t.err.data, "no document 'PV-2026-0099'"));
	assert_int_equal(archive_find_subject(f->a, "convocation", "meeting:1",
					      &d, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(d.register_no, "CONV-2026-0001");
	assert_int_equal(archive_find_subject(f->a, "convocation", "meeting:9",
					      &d, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	/* Malformed entries. */
	e.subject = "meeting:7";
	e.prefix = "pv";
	begin(f);
	assert_int_equal(archive_register(f->a, &e, now(f), &d, &is_new,
					  &f->t.err),
			 MAJLIS_ERR_USAGE);
	e.prefix = "PV";
	e.year = 26;
	assert_int_equal(archive_register(f->a, &e, now(f), &d, &is_new,
					  &f->t.err),
			 MAJLIS_ERR_USAGE);
	store_rollback(f->t.e.store);
}

static void
test_versions(void **state)
{
	struct fixture *f = *state;
	struct archive_doc d = reg(f, "pv", "PV", "meeting:1", 2026, "PV");
	struct archive_file v1[] = {
		{ "pdf", "fr", "%PDF-1.4 v1", 11, NULL },
		{ "txt", "fr", "Texte\n", 6, NULL },
	};
	struct archive_file v1b[] = {
		{ "pdf", "fr", "%PDF-1.4 v1, rendered again", 27, NULL },
		{ "txt", "fr", "Texte\n", 6, NULL },
	};
	struct archive_file v2[] = {
		{ "pdf", "fr", "%PDF-1.4 v2", 11, NULL },
		{ "txt", "fr", "Texte corrigé\n", 15, NULL },
	};
	struct archive_file v3[] = {
		{ "pdf", "fr", "%PDF-1.4 v2", 11, NULL },
		{ "txt", "fr", "Texte corrigé\n", 15, NULL },
		{ "txt", "ar", "نص\n", 5, NULL },
	};
	struct archive_file dup[] = {
		{ "txt", "fr", "a", 1, NULL },
		{ "txt", "fr", "b", 1, NULL },
	};
	struct archive_file bad = { "txt", "fr", "\xff\xfe", 2, NULL };
	int v, created;

	assert_int_equal(add(f, d.id, v1, 2, 0, &v), 1);
	assert_int_equal(v, 1);
	/* The same text, a PDF rendered again (another timestamp): no new
	 * version, unless forced. */
	assert_int_equal(add(f, d.id, v1b, 2, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(add(f, d.id, v1b, 2, 1, &v), 1);
	assert_int_equal(v, 2);
	/* Another text. */
	assert_int_equal(add(f, d.id, v2, 2, 0, &v), 1);
	assert_int_equal(v, 3);
	/* Another set of files, the same texts as far as they go. */
	assert_int_equal(add(f, d.id, v3, 3, 0, &v), 1);
	assert_int_equal(v, 4);
	assert_int_equal(add(f, d.id, v3, 3, 0, &v), 0);
	/* Fewer files is another set too. */
	assert_int_equal(add(f, d.id, v2, 2, 0, &v), 1);
	assert_int_equal(v, 5);
	assert_int_equal(test_int(&f->t, "SELECT count(*) FROM document_version"
					 " WHERE cause = 'test'"),
			 11);
	assert_int_equal(archive_find(f->a, "PV-2026-0001", &d, &f->t.err), 0);
	assert_int_equal(d.versions, 5);
	/* Without text, every file counts. */
	d = reg(f, "attachment", "PJ", "scan:1", 2026, "Scan");
	assert_int_equal(add(f, d.id, v1, 1, 0, &v), 1);
	assert_int_equal(add(f, d.id, v1, 1, 0, &v), 0);
	assert_int_equal(add(f, d.id, v1b, 1, 0, &v), 1);
	assert_int_equal(v, 2);
	/* Refused: two files of one kind, text that is not text, nothing,
	 * no such document. */
	begin(f);
	assert_int_equal(archive_add_version(f->a, d.id, dup, 2, "test", now(f),
					     0, &v, &created, &f->t.err),
			 MAJLIS_ERR_USAGE);
	assert_int_equal(archive_add_version(f->a, d.id, &bad, 1, "test",
					     now(f), 0, &v, &created,
					     &f->t.err),
			 MAJLIS_ERR_DATA);
	assert_int_equal(archive_add_version(f->a, d.id, v1, 0, "test", now(f),
					     0, &v, &created, &f->t.err),
			 MAJLIS_ERR_USAGE);
	assert_int_equal(archive_add_version(f->a, 999, v1, 1, "test", now(f),
					     0, &v, &created, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	store_rollback(f->t.e.store);
	/* Versions are never rewritten. */
	assert_int_equal(store_exec(f->t.e.store, &f->t.err,
				    "UPDATE document_version SET cause = 'x'",
				    NULL),
			 MAJLIS_ERR_STORE);
}

static void
test_objects(void **state)
{
	struct fixture *f = *state;
	struct archive_doc d1 = reg(f, "pv", "PV", "meeting:1", 2026, "PV 1");
	struct archive_doc d2 = reg(f, "pv", "PV", "meeting:2", 2026, "PV 2");
	static const char hello_sha[] = "2cf24dba5fb0a30e26e83b2ac5b9e29e"
					"1b161e5c1fa7425e73043362938b9824";
	struct archive_file hello = { "pdf", "fr", "hello", 5, NULL };
	struct archive_file other = { "pdf", "fr", "other", 5, NULL };
	struct buf out = BUF_INIT;
	struct stat before, after;
	char path[600];
	FILE *fp;
	int bad;

	add(f, d1.id, &hello, 1, 0, NULL);
	object_of(f, hello_sha, path, sizeof(path));
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(before.st_size, 5);
	assert_int_equal(before.st_mode & 0777, 0444);
	/* The same bytes in another document: one object, left alone. */
	add(f, d2.id, &hello, 1, 0, NULL);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_mtime, before.st_mtime);
	assert_int_equal(test_int(&f->t, "SELECT count(DISTINCT sha256)"
					 " FROM document_version"),
			 1);
	assert_int_equal(archive_get(f->a, "PV-2026-0002", 0, NULL, NULL, &out,
				     &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "hello", 5);
	assert_int_equal(archive_verify(f->a, NULL, NULL, &bad, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(bad, 0);
	/* Damage of the same size: get refuses, verify names both rows,
	 * and filing the same bytes again does not rewrite it. */
	chmod(path, 0644);
	fp = fopen(path, "r+");
	assert_non_null(fp);
	fputc('j', fp);
	fclose(fp);
	buf_reset(&out);
	buf_reset(&f->t.err);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 0, NULL, NULL, &out,
				     &f->t.err),
			 MAJLIS_ERR_DATA);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(f->t.err.data, "PV-2026-0001 v1 pdf (fr)"));
	assert_non_null(strstr(f->t.err.data, "damaged"));
	{
		struct archive_doc d3 = reg(f, "pv", "PV", "meeting:3", 2026,
					    "PV 3");

		add(f, d3.id, &hello, 1, 0, NULL);
	}
	fp = fopen(path, "r");
	assert_int_equal(fgetc(fp), 'j');
	fclose(fp);
	assert_int_equal(archive_verify(f->a, NULL, NULL, &bad, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(bad, 3);
	/* Damage that changes the size: filing those bytes is refused. */
	assert_int_equal(truncate(path, 2), 0);
	{
		struct archive_doc d4 = reg(f, "pv", "PV", "meeting:4", 2026,
					    "PV 4");
		int v, created;

		begin(f);
		buf_reset(&f->t.err);
		assert_int_equal(archive_add_version(f->a, d4.id, &hello, 1,
						     "test", now(f), 0, &v,
						     &created, &f->t.err),
				 MAJLIS_ERR_DATA);
		assert_non_null(strstr(f->t.err.data, "damaged"));
		store_rollback(f->t.e.store);
	}
	/* A missing object. */
	add(f, d1.id, &other, 1, 0, NULL);
	assert_int_equal(unlink(path), 0);
	buf_reset(&f->t.err);
	assert_int_equal(archive_get(f->a, "PV-2026-0002", 1, "pdf", "fr",
				     &out, &f->t.err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(f->t.err.data, "missing"));
	/* The other object is fine. */
	buf_reset(&out);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 0, "pdf", NULL,
				     &out, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "other");
	assert_int_equal(archive_verify(f->a, NULL, NULL, &bad, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(bad, 3);
	buf_release(&out);
}

static void
test_get(void **state)
{
	struct fixture *f = *state;
	struct archive_doc d = reg(f, "pv", "PV", "meeting:1", 2026, "PV");
	struct archive_file v1[] = {
		{ "pdf", "fr", "PDF fr 1", 8, NULL },
		{ "pdf", "ar", "PDF ar 1", 8, NULL },
		{ "docx", "fr", "DOCX fr 1", 9, NULL },
		{ "txt", "fr", "fr 1\n", 5, NULL },
		{ "txt", "ar", "ar 1\n", 5, NULL },
	};
	struct archive_file v2[] = {
		{ "pdf", "fr", "PDF fr 2", 8, NULL },
		{ "pdf", "ar", "PDF ar 2", 8, NULL },
		{ "txt", "fr", "fr 2\n", 5, NULL },
		{ "txt", "ar", "ar 2\n", 5, NULL },
	};
	struct archive_fileinfo info;
	struct buf out = BUF_INIT;

	add(f, d.id, v1, 5, 0, NULL);
	add(f, d.id, v2, 4, 0, NULL);
	/* The latest, Arabic before French. */
	assert_int_equal(archive_fetch(f->a, "PV-2026-0001", 0, "pdf", NULL,
				       &info, &out, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "PDF ar 2");
	assert_int_equal(info.version, 2);
	assert_string_equal(info.lang, "ar");
	buf_reset(&out);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 1, "txt", "fr",
				     &out, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "fr 1\n");
	/* The latest version that has it. */
	buf_reset(&out);
	assert_int_equal(archive_fetch(f->a, "PV-2026-0001", 0, "docx", NULL,
				       &info, &out, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "DOCX fr 1");
	assert_int_equal(info.version, 1);
	/* Only finding, without reading. */
	assert_int_equal(archive_fetch(f->a, "PV-2026-0001", 0, "txt", "fr",
				       &info, NULL, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(info.size, 5);
	/* Several formats: the PDF, or say which. */
	buf_reset(&out);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 0, NULL, "fr",
				     &out, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "PDF fr 2");
	buf_reset(&f->t.err);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 1, NULL, "fr",
				     &out, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(archive_fetch(f->a, "PV-2026-0001", 0, "txt", NULL,
				       &info, NULL, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(info.lang, "ar");
	{
		struct archive_doc d2 = reg(f, "pv", "PV", "meeting:2", 2026,
					    "PV");
		struct archive_file two[] = {
			{ "docx", "fr", "D", 1, NULL },
			{ "txt", "fr", "T", 1, NULL },
		};

		add(f, d2.id, two, 2, 0, NULL);
		assert_int_equal(archive_get(f->a, "PV-2026-0002", 0, NULL,
					     NULL, &out, &f->t.err),
				 MAJLIS_ERR_USAGE);
		assert_non_null(strstr(f->t.err.data,
				       "several formats: docx txt"));
	}
	buf_reset(&f->t.err);
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 2, "docx", NULL,
				     &out, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_non_null(strstr(f->t.err.data, "no docx file in version 2"));
	assert_int_equal(archive_get(f->a, "PV-2026-0001", 3, NULL, NULL, &out,
				     &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(archive_get(f->a, "PV-2026-0009", 0, NULL, NULL, &out,
				     &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	buf_release(&out);
}

static void
test_diff(void **state)
{
	struct fixture *f = *state;
	struct archive_doc d = reg(f, "pv", "PV", "meeting:1", 2026, "PV");
	struct buf out = BUF_INIT;
	int changed = -1;

	add_text(f, d.id, "fr", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n");
	/* One version: nothing to compare with. */
	assert_int_equal(archive_diff(f->a, "PV-2026-0001", 0, 0, NULL, &out,
				      &changed, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	add_text(f, d.id, "fr", "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nl\nm\nn");
	assert_int_equal(archive_diff(f->a, "pv-2026-0001", 0, 0, NULL, &out,
				      &changed, &f->t.err),
			 MAJLIS_OK);
	assert_true(changed);
	/* As diff -u prints it. */
	assert_string_equal(out.data, "--- PV-2026-0001 v1 (fr)\n"
				      "+++ PV-2026-0001 v2 (fr)\n"
				      "@@ -1,5 +1,5 @@\n"
				      " a\n"
				      "-b\n"
				      "+B\n"
				      " c\n"
				      " d\n"
				      " e\n"
				      "@@ -8,6 +8,6 @@\n"
				      " h\n"
				      " i\n"
				      " j\n"
				      "-k\n"
				      " l\n"
				      " m\n"
				      "+n\n"
				      "\\ No newline at end of file\n");
	/* The same version against itself. */
	buf_reset(&out);
	assert_int_equal(archive_diff(f->a, "PV-2026-0001", 2, 2, "fr", &out,
				      &changed, &f->t.err),
			 MAJLIS_OK);
	assert_false(changed);
	assert_int_equal(out.len, 0);
	/* Texts that became empty, or were. */
	assert_int_equal(archive_diff_texts("x\n", 2, "", 0, "a", "b", &out,
					    &changed, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n");
	buf_reset(&out);
	assert_int_equal(archive_diff_texts("", 0, "x\n", 2, "a", "b", &out,
					    &changed, &f->t.err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
	/* No such language, no such version. */
	assert_int_equal(archive_diff(f->a, "PV-2026-0001", 0, 0, "ar", &out,
				      &changed, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	assert_int_equal(archive_diff(f->a, "PV-2026-0001", 1, 7, NULL, &out,
				      &changed, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	buf_release(&out);
}

/* The length of a longest common subsequence of lines, by the book. */
static int
lcs_length(char **a, int n, char **b, int m)
{
	int *row = xcalloc((size_t)(m + 1) * (size_t)(n + 1), sizeof(int));
	int i, j, r;

	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++)
			row[i * (m + 1) + j] =
				!strcmp(a[i - 1], b[j - 1])
					? row[(i - 1) * (m + 1) + j - 1] + 1
				: row[(i - 1) * (m + 1) + j] >
						row[i * (m + 1) + j - 1]
					? row[(i - 1) * (m + 1) + j]
					: row[i * (m + 1) + j - 1];
	r = row[n * (m + 1) + m];
	free(row);
	return r;
}

/*
 * Random texts of a few letters: applying each diff to the old text
 * gives the new one, hunk headers count right, and it changes as few
 * lines as can be.
 */
static void
test_diff_random(void **state)
{
	struct buf t1 = BUF_INIT, t2 = BUF_INIT, out = BUF_INIT,
		   got = BUF_INIT;
	char *a[20], *b[20];
	int round, changed;

	(void)state;
	srand(42);
	for (round = 0; round < 2000; round++) {
		int n = rand() % 15, m = rand() % 15, i, j, edits = 0;
		char *p, *line, *save = NULL;
		long ai = 0;

		buf_reset(&t1);
		buf_reset(&t2);
		buf_reset(&out);
		buf_reset(&got);
		for (i = 0; i < n; i++) {
			a[i] = xstrdup((char[]){ (char)('a' + rand() % 3), 0 });
			buf_addf(&t1, "%s\n", a[i]);
		}
		for (j = 0; j < m; j++) {
			b[j] = xstrdup((char[]){ (char)('a' + rand() % 3), 0 });
			buf_addf(&t2, "%s\n", b[j]);
		}
		assert_int_equal(archive_diff_texts(t1.data, t1.len, t2.data,
						    t2.len, "1", "2", &out,
						    &changed, NULL),
				 MAJLIS_OK);
		assert_int_equal(changed, strcmp(t1.data, t2.data) != 0);
		/* Apply it. */
		p = out.data;
		for (line = strtok_r(p, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			long s1, c1 = 1, s2, c2 = 1, k;

			if (!strncmp(line, "---", 3) ||
			    !strncmp(line, "+++", 3))
				continue;
			if (line[0] == '@') {
				char *q = line + 4;

				s1 = strtol(q, &q, 10);
				if (*q == ',')
					c1 = strtol(q + 1, &q, 10);
				s2 = strtol(q + 2, &q, 10);
				if (*q == ',')
					c2 = strtol(q + 1, &q, 10);
				/* Copy the lines up to the hunk. */
				if (c1 == 0)
					s1++;
				for (k = ai; k < s1 - 1; k++)
					buf_addf(&got, "%s\n", a[k]);
				ai = s1 - 1;
				(void)s2;
				(void)c2;
				continue;
			}
			if (line[0] == ' ' || line[0] == '-') {
				assert_string_equal(line + 1, a[ai]);
				ai++;
			}
			if (line[0] == ' ' || line[0] == '+')
				buf_addf(&got, "%s\n", line + 1);
			edits += line[0] != ' ';
		}
		for (; ai < n; ai++)
			buf_addf(&got, "%s\n", a[ai]);
		assert_string_equal(got.data, t2.data);
		assert_int_equal(edits, n + m - 2 * lcs_length(a, n, b, m));
		for (i = 0; i < n; i++)
			free(a[i]);
		for (j = 0; j < m; j++)
			free(b[j]);
	}
	buf_release(&t1);
	buf_release(&t2);
	buf_release(&out);
	buf_release(&got);
}

static void
test_diff_limits(void **state)
{
	struct buf t1 = BUF_INIT, t2 = BUF_INIT, out = BUF_INIT,
		   err = BUF_INIT;
	int i, changed;

	(void)state;
	for (i = 0; i <= ARCHIVE_DIFF_MAX_LINES; i++)
		buf_addstr(&t1, "x\n");
	assert_int_equal(archive_diff_texts(t1.data, t1.len, "", 0, "1", "2",
					    &out, &changed, &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "too long to diff"));
	/* Two long texts with nothing in common take too many steps. */
	buf_reset(&t1);
	buf_reset(&err);
	for (i = 0; i < 30000; i++) {
		buf_addf(&t1, "a%d\n", i);
		buf_addf(&t2, "b%d\n", i);
	}
	assert_int_equal(archive_diff_texts(t1.data, t1.len, t2.data, t2.len,
					    "1", "2", &out, &changed, &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "too different to diff"));
	buf_release(&t1);
	buf_release(&t2);
	buf_release(&out);
	buf_release(&err);
}

struct found {
	struct buf regs;	/* register numbers, space-separated */
	struct buf snippets;	/* snippets, one a line */
};

static int
collect(void *ctx, const struct rec *r)
{
	struct found *f = ctx;

	if (f->regs.len)
		buf_addch(&f->regs, ' ');
	buf_addstr(&f->regs, rec_text(r, "register_no"));
	buf_addf(&f->snippets, "%s\n",
		 rec_text(r, "snippet") ? rec_text(r, "snippet") : "");
	return 0;
}

/* The register numbers found for query, sorted, or "ERROR n". */
static const char *
search(struct fixture *f, const char *query, struct found *out)
{
	static char result[400];
	enum majlis_status rc;
	char *words[20], *p;
	int n = 0, i, j;

	buf_reset(&out->regs);
	buf_reset(&out->snippets);
	buf_reset(&f->t.err);
	rc = archive_search(f->a, query, collect, out, &f->t.err);
	if (rc != MAJLIS_OK) {
		snprintf(result, sizeof(result), "ERROR %d", rc);
		return result;
	}
	for (p = out->regs.data; *p && n < 20;) {
		words[n++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
			p = words[j];
			words[j] = words[j - 1];
			words[j - 1] = p;
		}
	result[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(result + strlen(result),
			 sizeof(result) - strlen(result), "%s%s",
			 i ? " " : "", words[i]);
	return result;
}

static void
test_search(void **state)
{
	struct fixture *f = *state;
	struct archive_doc fr = reg(f, "pv", "PV", "meeting:1", 2026,
				    "Procès-verbal de la séance");
	struct archive_doc ar1 = reg(f, "pv", "PV", "meeting:2", 2026, "PV 2");
	struct archive_doc ar2 = reg(f, "pv", "PV", "meeting:3", 2026, "PV 3");
	struct archive_doc ar3 = reg(f, "pv", "PV", "meeting:4", 2026, "PV 4");
	struct archive_doc old = reg(f, "pv", "PV", "meeting:5", 2026, "PV 5");
	struct archive_doc pj = reg(f, "attachment", "PJ", NULL, 2026,
				    "Lettre de l'Association Al Amal");
	struct found found = { BUF_INIT, BUF_INIT };

	add_text(f, fr.id, "fr",
		 "Le Conseil communal a approuvé le budget de l'exercice "
		 "2026.\nLes ÉLUS présents : quarante-deux. Le cœur du "
		 "débat fut l'éclairage public.");
	add_text(f, ar1.id, "ar",
		 "صادق المَجْلِسُ الجماعي على الميزانية. وأكد الرئيس أن "
		 "اللجنة درست المشروع.");
	add_text(f, ar2.id, "ar", "والمجـــلس يقرر إحداث مدرسة جديدة.");
	/* As pdftotext may leave it: presentation forms. */
	add_text(f, ar3.id, "ar", "ﻣﺠﻠﺲ ﻟﻠﺠﻨﺔ");
	add_text(f, old.id, "fr", "ancien texte");
	add_text(f, old.id, "fr", "nouveau texte");

	/* French: case and accents do not matter. */
	assert_string_equal(search(f, "budget", &found), "PV-2026-0001");
	assert_string_equal(search(f, "élus", &found), "PV-2026-0001");
	assert_string_equal(search(f, "ELUS", &found), "PV-2026-0001");
	assert_string_equal(search(f, "approuve", &found), "PV-2026-0001");
	assert_string_equal(search(f, "Éclairage", &found), "PV-2026-0001");
	assert_string_equal(search(f, "coeur", &found), "PV-2026-0001");
	assert_string_equal(search(f, "l'exercice", &found), "PV-2026-0001");
	assert_string_equal(search(f, "procès-verbal", &found),
			    "PV-2026-0001");
	assert_non_null(strstr(found.snippets.data, "[Procès]-[verbal]"));
	assert_string_equal(search(f, "budget", &found), "PV-2026-0001");
	assert_string_equal(found.snippets.data,
			    "Le Conseil communal a approuvé le [budget] de "
			    "l'exercice 2026. Les ÉLUS présents : quarante-deux. "
			    "Le cœur du …\n");
	/* All words must match. */
	assert_string_equal(search(f, "budget conseil", &found),
			    "PV-2026-0001");
	assert_string_equal(search(f, "budget مدرسة", &found), "");
	/* Arabic: the article and particles, vowel marks, tatweel. */
	assert_string_equal(search(f, "مجلس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	assert_string_equal(search(f, "المجلس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	assert_string_equal(search(f, "والمجلس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	assert_string_equal(search(f, "المَجْلِس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	assert_string_equal(search(f, "مجـلس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	/* Letter variants: ة ه, ى ي, أ ا, إ ا. */
	assert_string_equal(search(f, "ميزانيه", &found), "PV-2026-0002");
	assert_string_equal(search(f, "علي", &found), "PV-2026-0002");
	assert_string_equal(search(f, "اكد", &found), "PV-2026-0002");
	assert_string_equal(search(f, "احداث", &found), "PV-2026-0003");
	assert_string_equal(search(f, "لجنة", &found),
			    "PV-2026-0002 PV-2026-0004");
	assert_string_equal(search(f, "اللجنة", &found),
			    "PV-2026-0002 PV-2026-0004");
	assert_string_equal(search(f, "مدرسة", &found), "PV-2026-0003");
	assert_string_equal(search(f, "المدرسة", &found), "PV-2026-0003");
	/* The snippet shows the text as filed, the match marked. */
	assert_string_equal(search(f, "ميزانية", &found), "PV-2026-0002");
	assert_non_null(strstr(found.snippets.data, "[الميزانية]"));
	assert_non_null(strstr(found.snippets.data, "المَجْلِسُ"));
	assert_string_equal(search(f, "مجلس", &found),
			    "PV-2026-0002 PV-2026-0003 PV-2026-0004");
	assert_non_null(strstr(found.snippets.data, "[والمجـــلس]"));
	/* Only the latest version counts; titles and numbers count too. */
	assert_string_equal(search(f, "ancien", &found), "");
	assert_string_equal(search(f, "nouveau", &found), "PV-2026-0005");
	assert_string_equal(search(f, "amal", &found), "PJ-2026-0001");
	assert_non_null(strstr(found.snippets.data, "[Amal]"));
	assert_string_equal(search(f, "PJ-2026-0001", &found),
			    "PJ-2026-0001");
	(void)pj;
	/* Hostile queries are words, never FTS5 syntax. */
	assert_string_equal(search(f, "\"", &found), "ERROR 1");
	assert_string_equal(search(f, "*", &found), "ERROR 1");
	assert_string_equal(search(f, "", &found), "ERROR 1");
	assert_string_equal(search(f, "   ", &found), "ERROR 1");
	assert_string_equal(search(f, "( ) : ^ -", &found), "ERROR 1");
	assert_non_null(strstr(f->t.err.data, "nothing to search for"));
	assert_string_equal(search(f, "NEAR(", &found), "");
	assert_string_equal(search(f, "a OR", &found), "");
	assert_string_equal(search(f, "budget OR", &found), "");
	assert_string_equal(search(f, "budget NOT", &found), "");
	assert_string_equal(search(f, "\"budget", &found), "PV-2026-0001");
	assert_string_equal(search(f, "budget\"", &found), "PV-2026-0001");
	assert_string_equal(search(f, "bud\"get", &found), "");
	assert_string_equal(search(f, "budget*", &found), "PV-2026-0001");
	assert_string_equal(search(f, "-budget", &found), "PV-2026-0001");
	assert_string_equal(search(f, "^budget", &found), "PV-2026-0001");
	assert_string_equal(search(f, "norm:budget", &found), "");
	assert_string_equal(search(f, "orig:*", &found), "");
	assert_string_equal(search(f, "{norm bare}:budget", &found), "");
	assert_string_equal(search(f, "NEAR(budget conseil, 2)", &found), "");
	assert_string_equal(search(f, "\xff\xfe", &found), "ERROR 1");
	{
		char longq[1100];

		memset(longq, 'a', sizeof(longq) - 1);
		longq[sizeof(longq) - 1] = '\0';
		assert_string_equal(search(f, longq, &found), "ERROR 1");
	}
	buf_release(&found.regs);
	buf_release(&found.snippets);
}

static int
count_rec(void *ctx, const struct rec *r)
{
	const struct field *files = rec_get(r, "files");

	(*(int *)ctx)++;
	if (files) {
		assert_int_equal(files->nlist, 3);
		assert_string_equal(rec_text(&files->list[0], "cause"), "test");
		assert_int_equal(rec_int(&files->list[2], "version", 0), 2);
		assert_int_equal(rec_int(r, "versions", 0), 2);
		assert_string_equal(rec_text(r, "body"), "CASA");
	}
	return 0;
}

static void
test_list_and_show(void **state)
{
	struct fixture *f = *state;
	struct archive_entry e;
	struct archive_filter flt;
	struct archive_doc d;
	struct archive_file files[] = {
		{ "pdf", "fr", "x", 1, NULL },
		{ "txt", "fr", "x", 1, NULL },
	};
	int n, is_new;

	test_exec(&f->t, "INSERT INTO dossier(ref, kind, title_fr, title_ar,"
			 " body_id, state, state_since, created_at)"
			 " VALUES ('DOS-2026-0001', 'budget', 'Budget',"
			 " 'ميزانية', 1, 'draft', 'x', 'x')");
	memset(&e, 0, sizeof(e));
	e.kind = "report";
	e.prefix = "RAP";
	e.subject = "dossier:1";
	e.year = 2026;
	e.title_fr = "Rapport";
	e.title_ar = "تقرير";
	e.body_id = 1;
	e.dossier_id = 1;
	begin(f);
	assert_int_equal(archive_register(f->a, &e, now(f), &d, &is_new,
					  &f->t.err),
			 MAJLIS_OK);
	commit(f);
	add(f, d.id, files, 2, 0, NULL);
	add(f, d.id, files, 1, 0, NULL);
	reg(f, "pv", "PV", "meeting:1", 2026, "PV");
	reg(f, "pv", "PV", "meeting:2", 2027, "PV");
	memset(&flt, 0, sizeof(flt));
	n = 0;
	assert_int_equal(archive_list(f->a, &flt, count_rec, &n, &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(n, 3);
	flt.kind = "pv";
	n = 0;
	archive_list(f->a, &flt, count_rec, &n, &f->t.err);
	assert_int_equal(n, 2);
	flt.year = 2027;
	n = 0;
	archive_list(f->a, &flt, count_rec, &n, &f->t.err);
	assert_int_equal(n, 1);
	memset(&flt, 0, sizeof(flt));
	flt.dossier_id = 1;
	flt.body = "CASA";
	n = 0;
	archive_list(f->a, &flt, count_rec, &n, &f->t.err);
	assert_int_equal(n, 1);
	flt.body = "CA-ANFA";
	n = 0;
	archive_list(f->a, &flt, count_rec, &n, &f->t.err);
	assert_int_equal(n, 0);
	n = 0;
	assert_int_equal(archive_show(f->a, "rap-2026-0001", count_rec, &n,
				      &f->t.err),
			 MAJLIS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(archive_show(f->a, "RAP-2026-0002", count_rec, &n,
				      &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
}

static void
test_attach(void **state)
{
	struct fixture *f = *state;
	struct archive_entry e;
	struct archive_doc d;
	struct archive_file files[] = {
		{ NULL, NULL, "%PDF-1.7 scan", 13, "Lettre.PDF" },
		{ NULL, NULL, "Transcription de la lettre", 26, "lettre.txt" },
	};
	struct archive_file noext = { NULL, NULL, "\x89PNG\r\n\x1a\nxx", 10,
				      "scan" };
	char format[17];
	int v, created;

	archive_file_format("a/b.JPEG", "", 0, format);
	assert_string_equal(format, "jpg");
	archive_file_format("noext", "%PDF-1.4", 8, format);
	assert_string_equal(format, "pdf");
	archive_file_format(".hidden", "??", 2, format);
	assert_string_equal(format, "bin");
	archive_file_format("x.t@t", "GIF89a", 6, format);
	assert_string_equal(format, "gif");
	test_exec(&f->t, "INSERT INTO petition(ref, body_id, kind, title_fr,"
			 " title_ar, lead_name, received_at, state,"
			 " state_since, created_at) VALUES ('PET-2026-0001',"
			 " 2, 'citizens', 'Pétition', 'عريضة', 'X', 'x',"
			 " 'received', 'x', 'x')");
	memset(&e, 0, sizeof(e));
	e.year = 2026;
	e.title_fr = "Lettre de l'association";
	e.title_ar = "رسالة الجمعية";
	e.petition_id = 1;
	begin(f);
	assert_int_equal(archive_attach(f->a, NULL, &e, files, 2, "cli", now(f),
					&d, &v, &created, &f->t.err),
			 MAJLIS_OK);
	commit(f);
	assert_string_equal(d.register_no, "PJ-2026-0001");
	assert_int_equal(v, 1);
	assert_true(created);
	assert_int_equal(d.versions, 1);
	/* Its body comes from the petition; formats from the names. */
	assert_int_equal(test_int(&f->t, "SELECT body_id FROM document"
					 " WHERE kind = 'attachment'"),
			 2);
	assert_int_equal(test_int(&f->t, "SELECT count(*) FROM document_version"
					 " WHERE format IN ('pdf', 'txt')"
					 " AND filename LIKE '%ettre.%'"),
			 2);
	/* The text is searchable. */
	{
		struct found found = { BUF_INIT, BUF_INIT };

		assert_string_equal(search(f, "transcription", &found),
				    "PJ-2026-0001");
		buf_release(&found.regs);
		buf_release(&found.snippets);
	}
	/* A new version of it, then the same again: nothing filed. */
	memset(&e, 0, sizeof(e));
	begin(f);
	assert_int_equal(archive_attach(f->a, "pj-2026-0001", &e, &noext, 1,
					"cli", now(f), &d, &v, &created,
					&f->t.err),
			 MAJLIS_OK);
	assert_int_equal(v, 2);
	assert_int_equal(archive_attach(f->a, "PJ-2026-0001", &e, &noext, 1,
					"cli", now(f), &d, &v, &created,
					&f->t.err),
			 MAJLIS_OK);
	assert_int_equal(v, 2);
	assert_false(created);
	commit(f);
	assert_int_equal(test_int(&f->t, "SELECT count(*) FROM document_version"
					 " WHERE version = 2 AND format = 'png'"),
			 1);
	/* The title is kept when none is given. */
	assert_int_equal(test_int(&f->t, "SELECT count(*) FROM document WHERE"
					 " title_fr = 'Lettre de"
					 " l''association'"),
			 1);
	/* Only attachments take files from outside; titles are needed. */
	reg(f, "pv", "PV", "meeting:1", 2026, "PV");
	begin(f);
	buf_reset(&f->t.err);
	assert_int_equal(archive_attach(f->a, "PV-2026-0001", &e, &noext, 1,
					"cli", now(f), &d, &v, &created,
					&f->t.err),
			 MAJLIS_ERR_USAGE);
	assert_non_null(strstr(f->t.err.data, "not an attachment"));
	e.year = 2026;
	assert_int_equal(archive_attach(f->a, NULL, &e, &noext, 1, "cli",
					now(f), &d, &v, &created, &f->t.err),
			 MAJLIS_ERR_USAGE);
	e.title_fr = "x";
	e.title_ar = "x";
	e.meeting_id = 77;
	assert_int_equal(archive_attach(f->a, NULL, &e, &noext, 1, "cli",
					now(f), &d, &v, &created, &f->t.err),
			 MAJLIS_ERR_NOTFOUND);
	store_rollback(f->t.e.store);
}

/* A store of schema 3 that had documents: migrated, they are found by
 * number and title. */
static void
test_migration(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct archive *a;
	struct buf err = BUF_INIT;
	char db[400];
	struct found found = { BUF_INIT, BUF_INIT };
	enum majlis_status rc;

	snprintf(db, sizeof(db), "%s/old.db", f->t.dir);
	assert_int_equal(store_open_version(db, STORE_CREATE, 3, &st, &err),
			 MAJLIS_OK);
	assert_int_equal(store_exec(st, &err,
				    "INSERT INTO document(register_no, kind,"
				    " year, seq, title_fr, title_ar,"
				    " created_at) VALUES ('PV-2025-0007', 'pv',"
				    " 2025, 7, 'Ancien procès-verbal', 'محضر',"
				    " '2025-01-01T00:00:00Z')",
				    NULL),
			 MAJLIS_OK);
	store_close(st);
	assert_int_equal(store_open(db, 0, &st, &err), MAJLIS_OK);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(archive_open(st, f->dir, &a, &err), MAJLIS_OK);
	rc = archive_search(a, "ancien", collect, &found, &err);
	assert_int_equal(rc, MAJLIS_OK);
	assert_string_equal(found.regs.data, "PV-2025-0007");
	archive_close(a);
	store_close(st);
	buf_release(&err);
	buf_release(&found.regs);
	buf_release(&found.snippets);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register_numbers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
		cmocka_unit_test(test_diff_random),
		cmocka_unit_test(test_diff_limits),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_and_show, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_attach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
