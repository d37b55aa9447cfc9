/*
 * test-doc.c - the document reader (doc.h) and its back-ends (render.h),
 * on what fuzzing found: a sequential document without title-fr leaked
 * its metadata; a message quoted text over several lines, cut inside a
 * character; external entities and DTDs are never fetched; the Word
 * file's dates are escaped like the rest; a PDF with a list drew its
 * markers from freed memory; a relative fonts folder could not be used;
 * header rows about a page tall made the PDF's pagination loop forever;
 * a paragraph pango leaves on one line took minutes to draw.
 */
#include "testlib.h"

#include <libxml/parser.h>
#include <zip.h>

#include "doc.h"
#include "render.h"
#include "text.h"

/* See tests/fuzz/fuzz-docxml.c: fontconfig's own losses, not ours. */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
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

static void
test_sequential_metadata(void **state)
{
	struct doc *d;
	struct buf text = BUF_INIT;

	(void)state;
	/* Read twice (Arabic, then French): the metadata once, even
	 * without title-fr (it leaked). */
	d = read_ok("<document both=\"sequential\" title-ar=\"محضر\" "
		    "register=\"PV-1\" author=\"a\"><p lang=\"ar\">نص</p>"
		    "<p lang=\"fr\">texte</p></document>",
		    MODE_BOTH);
	assert_true(d->sequential);
	assert_null(d->title_fr);
	assert_string_equal(d->title_ar, "محضر");
	assert_string_equal(d->register_no, "PV-1");
	doc_text(d, &text);
	assert_string_equal(text.data, "نص\n\ftexte\n");
	doc_free(d);
	buf_release(&text);
}

static void
test_messages_one_line(void **state)
{
	struct doc *d = NULL;
	struct buf err = BUF_INIT;
	const char *xml = "<document>\n<p>a</p>mot\nsuite</document>";
	const char *ar = "<document>aأبجد هوز حطي كلمن</document>";

	(void)state;
	/* The text quoted went on over lines, and was cut at 20 bytes,
	 * inside a character. */
	assert_int_equal(doc_from_xml("t.xml", xml, strlen(xml), MODE_FR, &d,
				      &err),
			 MAJLIS_ERR_DATA);
	assert_true(starts_with(err.data, "t.xml: rendered line "));
	assert_non_null(strstr(err.data, ": text outside of a paragraph: "
					 "'mot'"));
	assert_null(strchr(err.data, '\n'));
	buf_reset(&err);
	assert_int_equal(doc_from_xml("t.xml", ar, strlen(ar), MODE_AR, &d,
				      &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml: rendered line 1: text outside "
				      "of a paragraph: 'aأبجد هوز ح'");
	assert_null(d);
	buf_release(&err);
}

static void
test_no_external_entities(void **state)
{
	char dir[] = "/tmp/majlis-test-XXXXXX", path[64];
	const char *forms[] = {
		"<!DOCTYPE document [<!ENTITY x SYSTEM \"file://%s\">]>"
		"<document><p>&x;</p></document>",
		"<!DOCTYPE document [<!ENTITY x SYSTEM \"file://%s\">]>"
		"<document title-fr=\"&x;\"><p>a</p></document>",
		"<!DOCTYPE document SYSTEM \"file://%s\">"
		"<document><p>a</p></document>",
		"<!DOCTYPE document [<!ENTITY % pe SYSTEM \"file://%s\"> "
		"%pe;]><document><p>a</p></document>",
		"<document><p><xi:include xmlns:xi=\"http://www.w3.org/2001/"
		"XInclude\" href=\"file://%s\" parse=\"text\"/></p>"
		"</document>",
	};
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/secret", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("SECRET-7f3a", f);
	fclose(f);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct buf xml = BUF_INIT, err = BUF_INIT;
		struct doc *d = NULL;
		const char *at = strstr(forms[i], "%s");

		/* forms[i], path for its %s */
		buf_add(&xml, forms[i], (size_t)(at - forms[i]));
		buf_addstr(&xml, path);
		buf_addstr(&xml, at + 2);
		for (int mode = MODE_FR; mode <= MODE_BOTH; mode++) {
			assert_int_equal(doc_from_xml("t.xml", xml.data, xml.len,
						      (enum doc_mode)mode, &d,
						      &err),
					 MAJLIS_ERR_DATA);
			assert_null(d);
			assert_null(strstr(err.data, "SECRET"));
			buf_reset(&err);
		}
		assert_int_equal(doc_check_template("t.xml", xml.data,
						    xml.len, 0, &err),
				 MAJLIS_ERR_DATA);
		assert_null(strstr(err.data, "SECRET"));
		buf_release(&xml);
		buf_release(&err);
	}
	test_rmdir(dir);
}

static void
test_billion_laughs(void **state)
{
	struct buf xml = BUF_INIT, err = BUF_INIT;
	struct doc *d = NULL;

	(void)state;
	buf_addstr(&xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE document [\n"
			 "<!ENTITY l0 \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		buf_addf(&xml, "<!ENTITY l%d \"", i);
		for (int k = 0; k < 10; k++)
			buf_addf(&xml, "&l%d;", i - 1);
		buf_addstr(&xml, "\">\n");
	}
	buf_addstr(&xml, "]>\n<document><p>&l9;</p></document>\n");
	assert_int_equal(doc_from_xml("t.xml", xml.data, xml.len, MODE_FR, &d,
				      &err),
			 MAJLIS_ERR_DATA);
	assert_null(d);
	assert_true(starts_with(err.data, "t.xml:"));
	buf_release(&xml);
	buf_release(&err);
}

/* The text of one part of a .docx, or fails. */
static void
docx_part(const struct buf *docx, const char *name, struct buf *out)
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
	f = zip_fopen(z, name, 0);
	assert_non_null(f);
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	zip_fclose(f);
	zip_discard(z);
}

static void
test_docx_escapes_dates(void **state)
{
	struct doc *d;
	struct buf docx = BUF_INIT, core = BUF_INIT, err = BUF_INIT;
	xmlDoc *x;

	(void)state;
	/* created is the template's text: it went into core.xml as is. */
	d = read_ok("<document title-fr=\"T\" created=\"&lt;/dcterms:created&gt;"
		    "&amp;\"><p>x</p></document>",
		    MODE_FR);
	assert_int_equal(render_docx(d, &docx, &err), MAJLIS_OK);
	docx_part(&docx, "docProps/core.xml", &core);
	x = xmlReadMemory(core.data, (int)core.len, "core.xml", NULL,
			  XML_PARSE_NONET | XML_PARSE_NOERROR |
				  XML_PARSE_NOWARNING);
	assert_non_null(x);
	xmlFreeDoc(x);
	assert_non_null(strstr(core.data, "&lt;/dcterms:created&gt;&amp;"));
	doc_free(d);
	buf_release(&docx);
	buf_release(&core);
	buf_release(&err);
}

static void
test_pdf_lists(void **state)
{
	struct renderer *r = NULL;
	struct buf err = BUF_INIT;
	char cache[] = "/tmp/majlis-test-XXXXXX";
	static const enum doc_mode modes[] = { MODE_FR, MODE_AR, MODE_BOTH };

	(void)state;
	assert_non_null(mkdtemp(cache));
	/* A relative folder, as from the top of the tree: fontconfig
	 * looked for fonts/fonts.conf in its own folders. */
	if (renderer_new("fonts", cache, 0, &r, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	for (size_t m = 0; m < 3; m++) {
		struct doc *d;
		struct buf pdf = BUF_INIT;
		int pages = 0;

		/* Each list item's marker was drawn from a line its layout
		 * had freed. */
		d = read_ok("<document><ul lang=\"fr\"><li>un</li><li>deux</li>"
			    "</ul><ol lang=\"ar\"><li>واحد</li><li>اثنان</li>"
			    "</ol><ol><li>1</li></ol></document>",
			    modes[m]);
		if (render_pdf(r, d, &pdf, &pages, &err) != MAJLIS_OK)
			fail_msg("%s", err.data);
		assert_int_equal(pages, 1);
		assert_true(starts_with(pdf.data, "%PDF-"));
		doc_free(d);
		buf_release(&pdf);
	}
	renderer_free(r);
	buf_release(&err);
	test_rmdir(cache);
}

static void
test_pdf_tall_headers(void **state)
{
	struct renderer *r = NULL;
	struct buf err = BUF_INIT, xml = BUF_INIT, pdf = BUF_INIT;
	char cache[] = "/tmp/majlis-test-XXXXXX";
	struct doc *d;
	int pages = 0;

	(void)state;
	assert_non_null(mkdtemp(cache));
	if (renderer_new("fonts", cache, 0, &r, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	/* Header rows about a page tall left no room for a line of the
	 * next row: repeated on a new page, again and again, forever. The
	 * heights around a page's, for any metrics. */
	buf_addstr(&xml, "<document>");
	for (int n = 44; n <= 56; n++) {
		buf_addstr(&xml, "<table><cols><col width=\"1\"/></cols>"
				 "<tr header=\"yes\"><th>");
		for (int i = 0; i < n; i++)
			buf_addf(&xml, "%sh%d", i ? "<br/>" : "", i);
		buf_addstr(&xml, "</th></tr><tr><td>a</td></tr><tr><td>b</td>"
				 "</tr></table>");
	}
	buf_addstr(&xml, "</document>");
	d = read_ok(xml.data, MODE_FR);
	if (render_pdf(r, d, &pdf, &pages, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	assert_in_range(pages, 13, 60);
	doc_free(d);
	renderer_free(r);
	buf_release(&xml);
	buf_release(&pdf);
	buf_release(&err);
	test_rmdir(cache);
}

static void
test_pdf_long_paragraph(void **state)
{
	struct renderer *r = NULL;
	struct buf err = BUF_INIT, xml = BUF_INIT, pdf = BUF_INIT;
	char cache[] = "/tmp/majlis-test-XXXXXX";
	struct doc *d;
	int pages = 0;

	(void)state;
	assert_non_null(mkdtemp(cache));
	if (renderer_new("fonts", cache, 0, &r, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	/* Past about 90 pages, pango 1.50 leaves a paragraph on one line:
	 * drawing its 100,000 clusters scanned the run once for each,
	 * a minute and a half (hours for 2 MB). */
	buf_addstr(&xml, "<document><p>");
	for (int i = 0; i < 100000; i++)
		buf_addstr(&xml, "mot ");
	buf_addstr(&xml, "</p></document>");
	d = read_ok(xml.data, MODE_FR);
	if (render_pdf(r, d, &pdf, &pages, &err) != MAJLIS_OK)
		fail_msg("%s", err.data);
	assert_true(pages >= 1);
	doc_free(d);
	renderer_free(r);
	buf_release(&xml);
	buf_release(&pdf);
	buf_release(&err);
	test_rmdir(cache);
}

/* What reads left to right inside Arabic is isolated whole: a
 * reference, a range, a percentage with its sign; a lone number needs
 * nothing. */
static void
test_isolate_ltr(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "الملف CONV-2027-0001", "الملف \xe2\x81\xa6" "CONV-2027-0001\xe2\x81\xa9" },
		{ "نسبة 50.5% من", "نسبة \xe2\x81\xa6" "50.5%\xe2\x81\xa9 من" },
		{ "نسبة 12.5\xd9\xaa", "نسبة \xe2\x81\xa6" "12.5\xd9\xaa\xe2\x81\xa9" },
		{ "نسبة 50% من", "نسبة 50% من" },
		{ "العدد 12", "العدد 12" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = BUF_INIT;

		text_isolate_ltr(cases[i].in, &out);
		if (strcmp(out.data, cases[i].out))
			fail_msg("'%s' gave '%s'", cases[i].in, out.data);
		buf_release(&out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequential_metadata),
		cmocka_unit_test(test_isolate_ltr),
		cmocka_unit_test(test_messages_one_line),
		cmocka_unit_test(test_no_external_entities),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_docx_escapes_dates),
		cmocka_unit_test(test_pdf_lists),
		cmocka_unit_test(test_pdf_tall_headers),
		cmocka_unit_test(test_pdf_long_paragraph),
	};

	/* pango's lines come from GSlice: with malloc, AddressSanitizer
	 * sees a line used after it is freed. */
	setenv("G_SLICE", "always-malloc", 1);
	return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
