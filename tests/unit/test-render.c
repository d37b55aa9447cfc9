/*
 * test-render.c - the PDF back-end as a reader meets it: pages read back
 * with poppler's pdftotext (the text layer of render-glyphs.c), tables
 * that span pages with their header on each, headings kept with what
 * follows, pages numbered in both languages, Arabic paragraphs aligned
 * right, the same bytes for the same document; and the Word and HTML
 * back-ends' right-to-left markup.
 */
#include "testlib.h"

#include <sys/wait.h>
#include <zip.h>

#include "doc.h"
#include "render.h"

/* fontconfig's own allocations, kept for the process's life. */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static struct renderer *R;
static char tmpdir[] = "/tmp/majlis-render-XXXXXX";

static int
setup(void **state)
{
	struct buf err = BUF_INIT, cache = BUF_INIT;

	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	buf_addf(&cache, "%s/cache", tmpdir);
	if (renderer_new(test_data("fonts"), cache.data, 0, &R, &err) !=
	    MAJLIS_OK) {
		fprintf(stderr, "renderer: %s\n", err.data);
		return -1;
	}
	buf_release(&err);
	buf_release(&cache);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	renderer_free(R);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct doc *
read_ok(const char *xml, enum doc_mode mode)
{
	struct doc *d = NULL;
	struct buf err = BUF_INIT;

	if (doc_from_xml("t.xml", xml, strlen(xml), mode, &d, &err) !=
	    MAJLIS_OK)
		fail_msg("%s", err.data);
	buf_release(&err);
	return d;
}

/* Renders xml as a PDF into the temporary folder; returns its path and
 * sets *pages. */
static const char *
pdf(const char *xml, enum doc_mode mode, int *pages)
{
	static char path[400];
	struct doc *d = read_ok(xml, mode);
	struct buf out = BUF_INIT, err = BUF_INIT;

	if (render_doc(R, d, FORMAT_PDF, &out, pages, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	snprintf(path, sizeof(path), "%s/t.pdf", tmpdir);
	assert_int_equal(file_write_atomic(path, out.data, out.len), 0);
	doc_free(d);
	buf_release(&out);
	buf_release(&err);
	return path;
}

/*
 * The text of page (0: all) of a PDF as pdftotext gives it, with its
 * bidi controls (and the marks of render-glyphs.c) taken out and every
 * run of white space made one space. opts: more pdftotext options.
 */
static void
pdftext(const char *path, int page, const char *opts, struct buf *out)
{
	char cmd[600], line[4096];
	FILE *p;
	int space = 0;

	if (page)
		snprintf(cmd, sizeof(cmd), "pdftotext %s -f %d -l %d '%s' -",
			 opts, page, page, path);
	else
		snprintf(cmd, sizeof(cmd), "pdftotext %s '%s' -", opts, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	buf_reset(out);
	while (fgets(line, sizeof(line), p)) {
		for (const char *s = line; *s; s++) {
			const unsigned char *u = (const unsigned char *)s;

			/* U+200E/F, U+202A-E: E2 80 8E/8F, E2 80 AA-AE */
			if (u[0] == 0xE2 && u[1] == 0x80 &&
			    (u[2] == 0x8E || u[2] == 0x8F ||
			     (u[2] >= 0xAA && u[2] <= 0xAE))) {
				s += 2;
				continue;
			}
			if (*s == ' ' || *s == '\n' || *s == '\f' ||
			    *s == '\t') {
				space = out->len > 0;
				continue;
			}
			if (space)
				buf_addch(out, ' ');
			space = 0;
			buf_addch(out, *s);
		}
	}
	assert_int_equal(pclose(p), 0);
}

#define HEAD "<document title-fr=\"T\" title-ar=\"ت\" register=\"TST-2026-0001\" " \
	     "created=\"2026-11-29T09:00:00Z\">"

/* The words that were the hardest to get out of a PDF: the lam-alef
 * and Allah ligatures, a comma and a number, a Latin reference, a range
 * and an amount inside Arabic text. */
static void
test_arabic_reads_back(void **state)
{
	static const char xml[] =
		HEAD "<p lang=\"ar\">لا إله إلا الله، السلام عليكم.</p>"
		"<p lang=\"ar\">الأعمال الإدارية للمجلس الجماعي</p>"
		"<p lang=\"ar\">الدار البيضاء في 29 نونبر 2026، على الساعة "
		"10:00.</p>"
		"<p lang=\"ar\">رقم: CONV-2027-0001 ومبلغ 1 250 000 درهم، "
		"برنامج عمل الجماعة 2022–2027.</p>"
		"<p lang=\"fr\">Casablanca-Settat, l'ordre du jour : "
		"secretariat@casablanca.ma.</p></document>";
	struct buf t = BUF_INIT;
	static const char *const want[] = {
		"لا إله إلا الله، السلام عليكم.",
		"الأعمال الإدارية للمجلس الجماعي",
		"الدار البيضاء في 29 نونبر 2026، على الساعة 10:00.",
		"رقم: CONV-2027-0001 ومبلغ 1 250 000 درهم، برنامج عمل "
		"الجماعة 2022–2027.",
	};

	(void)state;
	/* In a page in Arabic, every sentence as written. */
	pdftext(pdf(xml, MODE_AR, NULL), 0, "", &t);
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (!strstr(t.data, want[i]))
			fail_msg("missing '%s' in '%s'", want[i], t.data);
	/* Never presentation forms: ordinary letters (U+FExx: EF BB/BA). */
	assert_null(strstr(t.data, "\xef\xbb"));
	assert_null(strstr(t.data, "\xef\xba"));
	pdftext(pdf(xml, MODE_FR, NULL), 0, "", &t);
	assert_non_null(strstr(t.data, "Casablanca-Settat, l'ordre du jour : "
					"secretariat@casablanca.ma."));
	buf_release(&t);
}

/* A table longer than a page: its header row on every page. */
static void
test_table_header_repeats(void **state)
{
	struct buf xml = BUF_INIT, t = BUF_INIT;
	int pages = 0;
	const char *path;

	(void)state;
	buf_addstr(&xml, HEAD "<table><cols><col width=\"10\"/>"
			 "<col width=\"90\"/></cols>"
			 "<tr header=\"yes\"><th>N°</th><th>Intitulé du "
			 "point</th></tr>");
	for (int i = 1; i <= 120; i++)
		buf_addf(&xml, "<tr><td>%d</td><td>Point numéro %d</td></tr>", i,
			 i);
	buf_addstr(&xml, "</table></document>");
	path = pdf(xml.data, MODE_FR, &pages);
	assert_true(pages >= 3);
	for (int p = 1; p <= pages; p++) {
		pdftext(path, p, "", &t);
		if (!strstr(t.data, "Intitulé du point"))
			fail_msg("no header on page %d", p);
	}
	pdftext(path, 0, "", &t);
	assert_non_null(strstr(t.data, "Point numéro 120"));
	buf_release(&xml);
	buf_release(&t);
}

/* However much comes before, a heading is never the last line of a
 * page: it moves with the paragraph that follows. */
static void
test_heading_kept_with_next(void **state)
{
	struct buf xml = BUF_INIT, t = BUF_INIT;

	(void)state;
	for (int n = 30; n < 60; n += 3) {
		int pages = 0, found = 0;
		const char *path;

		buf_reset(&xml);
		buf_addstr(&xml, HEAD);
		for (int i = 0; i < n; i++)
			buf_addf(&xml, "<p lang=\"fr\">Paragraphe %d.</p>", i);
		buf_addstr(&xml, "<h2 lang=\"fr\">Le titre</h2>"
				 "<p lang=\"fr\">La suite du titre.</p>"
				 "</document>");
		path = pdf(xml.data, MODE_FR, &pages);
		for (int p = 1; p <= pages; p++) {
			pdftext(path, p, "", &t);
			if (strstr(t.data, "Le titre")) {
				found = 1;
				if (!strstr(t.data, "La suite du titre"))
					fail_msg("%d paragraphs: the heading "
						 "ends page %d",
						 n, p);
			}
		}
		assert_true(found);
	}
	buf_release(&xml);
	buf_release(&t);
}

/* Page numbers in both languages; the register number in the footer. */
static void
test_page_numbers(void **state)
{
	struct buf xml = BUF_INIT, t = BUF_INIT;
	int pages = 0;
	const char *path;

	(void)state;
	buf_addstr(&xml, HEAD);
	for (int i = 0; i < 80; i++)
		buf_addf(&xml, "<pair><p lang=\"fr\">Ligne %d</p>"
			       "<p lang=\"ar\">سطر %d</p></pair>",
			 i, i);
	buf_addstr(&xml, "</document>");
	path = pdf(xml.data, MODE_BOTH, &pages);
	assert_true(pages >= 2);
	pdftext(path, 2, "", &t);
	{
		char fr[32], ar[64];

		snprintf(fr, sizeof(fr), "Page 2 / %d", pages);
		snprintf(ar, sizeof(ar), "الصفحة 2 من %d", pages);
		assert_non_null(strstr(t.data, fr));
		assert_non_null(strstr(t.data, ar));
	}
	assert_non_null(strstr(t.data, "TST-2026-0001"));
	buf_release(&xml);
	buf_release(&t);
}

/* The x of the first word pdftotext -bbox finds on page 1 whose text
 * contains needle: xMin and xMax. */
static void
word_box(const char *path, const char *needle, double *xmin, double *xmax)
{
	char cmd[600], line[4096];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "pdftotext -bbox -f 1 -l 1 '%s' -", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	*xmin = *xmax = -1;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, needle) && *xmin < 0 &&
		    sscanf(strstr(line, "xMin="), "xMin=\"%lf\" yMin=\"%*f\" "
						  "xMax=\"%lf\"",
			   xmin, xmax) != 2)
			*xmin = -1;
	pclose(p);
	assert_true(*xmin >= 0);
}

/* Arabic starts on the right, French on the left; "start" follows. */
static void
test_alignment(void **state)
{
	static const char xml[] = HEAD "<p lang=\"ar\">الجماعة</p>"
				       "<p lang=\"fr\">Commune</p>"
				       "<p lang=\"ar\" align=\"end\">نهاية</p>"
				       "</document>";
	const char *path;
	double x0, x1;

	(void)state;
	path = pdf(xml, MODE_BOTH, NULL);
	/* A4 is 595 pt wide; the margins are 57 pt. */
	word_box(path, "ةعامجلا", &x0, &x1);
	assert_true(x1 > 530 && x1 < 540);
	word_box(path, "Commune", &x0, &x1);
	assert_true(x0 > 55 && x0 < 60);
	word_box(path, "ةياهن", &x0, &x1);
	assert_true(x0 > 55 && x0 < 80);
}

/* The same document gives the same bytes; another time of issue, not. */
static void
test_same_bytes(void **state)
{
	static const char xml[] = HEAD "<h1 lang=\"ar\">محضر</h1>"
				       "<p lang=\"fr\">Procès-verbal</p>"
				       "</document>";
	struct doc *d = read_ok(xml, MODE_BOTH);
	struct buf a = BUF_INIT, b = BUF_INIT, err = BUF_INIT;

	(void)state;
	assert_int_equal(render_doc(R, d, FORMAT_PDF, &a, NULL, &err),
			 MAJLIS_OK);
	assert_int_equal(render_doc(R, d, FORMAT_PDF, &b, NULL, &err),
			 MAJLIS_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	free(d->created);
	d->created = xstrdup("2026-11-30T09:00:00Z");
	buf_reset(&b);
	assert_int_equal(render_doc(R, d, FORMAT_PDF, &b, NULL, &err),
			 MAJLIS_OK);
	assert_true(a.len != b.len || memcmp(a.data, b.data, a.len));
	/* Word files too: fixed times inside the zip. */
	buf_reset(&a);
	buf_reset(&b);
	assert_int_equal(render_doc(R, d, FORMAT_DOCX, &a, NULL, &err),
			 MAJLIS_OK);
	assert_int_equal(render_doc(R, d, FORMAT_DOCX, &b, NULL, &err),
			 MAJLIS_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	doc_free(d);
	buf_release(&a);
	buf_release(&b);
	buf_release(&err);
}

/* word/document.xml of a Word file. */
static void
docx_body(const struct buf *docx, struct buf *out)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *f;
	char chunk[4096];
	zip_int64_t n;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(docx->data, docx->len, 0, &zerr);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	assert_non_null(z);
	f = zip_fopen(z, "word/document.xml", 0);
	assert_non_null(f);
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	zip_fclose(f);
	zip_close(z);
	zip_error_fini(&zerr);
}

/* Word: Arabic paragraphs right to left, runs marked rtl; HTML: dir. */
static void
test_word_and_html(void **state)
{
	static const char xml[] = HEAD "<p lang=\"ar\">المجلس الجماعي</p>"
				       "<p lang=\"fr\">Le conseil</p>"
				       "</document>";
	struct doc *d = read_ok(xml, MODE_BOTH);
	struct buf out = BUF_INIT, body = BUF_INIT, err = BUF_INIT;
	const char *ar, *fr;

	(void)state;
	assert_int_equal(render_doc(R, d, FORMAT_DOCX, &out, NULL, &err),
			 MAJLIS_OK);
	docx_body(&out, &body);
	ar = strstr(body.data, "المجلس الجماعي");
	fr = strstr(body.data, "Le conseil");
	assert_non_null(ar);
	assert_non_null(fr);
	/* The Arabic paragraph's properties say bidi, its run rtl. */
	assert_non_null(strstr(body.data, "<w:bidi/>"));
	assert_non_null(strstr(body.data, "<w:rtl/>"));
	buf_reset(&out);
	assert_int_equal(render_doc(R, d, FORMAT_HTML, &out, NULL, &err),
			 MAJLIS_OK);
	assert_non_null(strstr(out.data, "lang=\"ar\" dir=\"rtl\""));
	assert_non_null(strstr(out.data, "lang=\"fr\" dir=\"ltr\""));
	doc_free(d);
	buf_release(&out);
	buf_release(&body);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arabic_reads_back),
		cmocka_unit_test(test_table_header_repeats),
		cmocka_unit_test(test_heading_kept_with_next),
		cmocka_unit_test(test_page_numbers),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_word_and_html),
	};

	return cmocka_run_group_tests_name("render", tests, setup, teardown);
}
