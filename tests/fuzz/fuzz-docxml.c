/*
 * fuzz-docxml.c - feeds bytes to the document reader (engine/doc.h) and
 * draws what it reads (engine/render.h): the XML a template expands to,
 * with data that may come from mail.
 *
 * Each input is read by doc_from_xml() for each language mode (French,
 * Arabic, both), and checked by doc_check_template() as a template and
 * as a partial (fragment). Each model read is walked (what the renderers
 * rely on: a table row has one cell per kept column, every run is UTF-8),
 * turned into plain text, and rendered as HTML, Word and PDF.
 *
 * What the headers promise, checked (abort() when it does not hold):
 * every failure has a message, starting with the name given; success
 * leaves none; a document the reader accepts passes doc_check_template();
 * every output of a successful render is non-empty and of its kind (a
 * Word file is a zip whose every part is well-formed XML, a PDF has
 * pages).
 *
 * The PDF renderer is created once, with the fonts of fonts/ (run from
 * the top of the tree, after make fonts), its fontconfig cache in
 * CACHE_DIR, and freed at exit. Laying out is slow: inputs larger than
 * PDF_MAX bytes are not drawn as PDF (the other formats still are). The
 * reader itself has no limit of its own on the number of blocks or the
 * size of text, only libxml2's (256 elements deep, 10 MB a text node).
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "defs.h"
#include "doc.h"
#include "fuzz.h"
#include "render.h"

#define FUZZ_NAME "fuzz.xml"
#define FONTS_DIR "fonts"
#define CACHE_DIR "/tmp/majlis-fuzz-fontconfig"
#define PDF_MAX (16u << 10)

static struct renderer *renderer;

/*
 * LeakSanitizer: pango reads the system's fontconfig configuration in a
 * thread of its own, and fontconfig loses a few bytes while it parses
 * it. Not majlis's: the engine only creates and destroys its FcConfig.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static void
teardown(void)
{
	renderer_free(renderer);
	renderer = NULL;
}

static void
setup(void)
{
	struct buf err = BUF_INIT;

	/* pango's lines come from GSlice: with malloc, AddressSanitizer
	 * sees one used after it is freed. */
	setenv("G_SLICE", "always-malloc", 1);
	if (renderer_new(FONTS_DIR, CACHE_DIR, 0, &renderer, &err) !=
	    MAJLIS_OK) {
		fprintf(stderr,
			"fuzz-docxml: %s\nfuzz-docxml: run it from the top of "
			"the tree, after make fonts\n",
			err.data);
		abort();
	}
	buf_release(&err);
	atexit(teardown);
}

/* A failure has a message, "NAME..." on each line; success has none. */
static void
check_status(enum majlis_status rc, const struct buf *err)
{
	const char *s = err->data, *end = err->data + err->len;

	if (rc == MAJLIS_OK) {
		if (err->len)
			abort();
		return;
	}
	if (!err->len || memchr(err->data, '\0', err->len))
		abort();
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));

		if (!eol)
			eol = end;
		if ((size_t)(eol - s) <= strlen(FUZZ_NAME ":") ||
		    strncmp(s, FUZZ_NAME ":", strlen(FUZZ_NAME ":")) ||
		    !strncmp(s, FUZZ_NAME ":-", strlen(FUZZ_NAME ":-"))) {
			fprintf(stderr, "fuzz-docxml: bad message: %s\n",
				err->data);
			abort();
		}
		s = eol + 1;
	}
}

static void
check_block(const struct doc_block *b)
{
	if ((unsigned)b->kind > BLOCK_RULE || (unsigned)b->lang > DOC_AR ||
	    (unsigned)b->align > ALIGN_JUSTIFY)
		abort();
	for (size_t i = 0; i < b->nruns; i++)
		if (!b->runs[i].text ||
		    !utf8_valid(b->runs[i].text, strlen(b->runs[i].text)) ||
		    b->runs[i].style & ~(unsigned)(RUN_BOLD | RUN_ITALIC |
						   RUN_UNDERLINE | RUN_SMALL))
			abort();
	switch (b->kind) {
	case BLOCK_HEADING:
		if (b->level < 1 || b->level > 3)
			abort();
		break;
	case BLOCK_LIST:
		for (size_t i = 0; i < b->nkids; i++)
			if (b->kids[i].kind != BLOCK_PARA)
				abort();
		break;
	case BLOCK_TABLE:
		/* the back-ends index their column boxes by cell */
		for (size_t i = 0; i < b->nwidths; i++)
			if (!(b->widths[i] > 0))
				abort();
		for (size_t i = 0; i < b->nkids; i++) {
			if (b->kids[i].kind != BLOCK_ROW ||
			    b->kids[i].nkids != b->nwidths)
				abort();
			for (size_t k = 0; k < b->kids[i].nkids; k++)
				if (b->kids[i].kids[k].kind != BLOCK_CELL)
					abort();
		}
		break;
	case BLOCK_SPACE:
		if (b->level < 0 || b->level > 500)
			abort();
		break;
	default:
		break;
	}
	for (size_t i = 0; i < b->nkids; i++)
		check_block(&b->kids[i]);
}

/* A Word file: a zip whose every part reads back as XML. */
static void
check_docx(const struct buf *docx)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *z;
	zip_int64_t n;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(docx->data, docx->len, 0, &zerr);
	if (!src)
		abort();
	z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!z) {
		fprintf(stderr, "fuzz-docxml: not a zip: %s\n",
			zip_error_strerror(&zerr));
		abort();
	}
	n = zip_get_num_entries(z, 0);
	if (n < 1)
		abort();
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_file_t *f;
		struct buf part = BUF_INIT;
		char chunk[8192];
		zip_int64_t got;
		xmlDoc *x;

		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) < 0 ||
		    !(f = zip_fopen_index(z, (zip_uint64_t)i, 0)))
			abort();
		while ((got = zip_fread(f, chunk, sizeof(chunk))) > 0)
			buf_add(&part, chunk, (size_t)got);
		if (got < 0)
			abort();
		zip_fclose(f);
		x = xmlReadMemory(part.data, (int)part.len, st.name, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING);
		if (!x) {
			fprintf(stderr, "fuzz-docxml: %s is not XML\n", st.name);
			abort();
		}
		xmlFreeDoc(x);
		buf_release(&part);
	}
	zip_discard(z);
}

static void
render(const struct doc *d, enum render_format f, int pdf)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	enum majlis_status rc;
	int pages = -1;

	if (f == FORMAT_PDF && !pdf)
		return;
	rc = render_doc(renderer, d, f, &out, &pages, &err);
	check_status(rc, &err);
	if (rc == MAJLIS_OK) {
		/* plain text may be empty: a document of nothing shown */
		if (!out.len && f != FORMAT_TEXT)
			abort();
		switch (f) {
		case FORMAT_PDF:
			if (pages < 1 || strncmp(out.data, "%PDF-", 5))
				abort();
			break;
		case FORMAT_DOCX:
			check_docx(&out);
			break;
		case FORMAT_HTML:
		case FORMAT_TEXT:
			if (!utf8_valid(out.data, out.len))
				abort();
			break;
		}
	}
	buf_release(&out);
	buf_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum doc_mode modes[] = { MODE_FR, MODE_AR, MODE_BOTH };
	char *copy;
	struct buf err = BUF_INIT;
	enum majlis_status rc;
	int read_ok = 0;

	if (!renderer)
		setup();
	copy = fuzz_copy(data, size);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct doc *d = (struct doc *)1;

		rc = doc_from_xml(FUZZ_NAME, copy, size, modes[m], &d, &err);
		check_status(rc, &err);
		buf_reset(&err);
		if (rc != MAJLIS_OK) {
			if (d)
				abort();
			continue;
		}
		if (!d || d->mode != modes[m])
			abort();
		read_ok = 1;
		check_block(&d->body);
		for (int f = FORMAT_PDF; f <= FORMAT_TEXT; f++)
			render(d, (enum render_format)f, size <= PDF_MAX);
		doc_free(d);
	}
	for (int fragment = 0; fragment < 2; fragment++) {
		rc = doc_check_template(FUZZ_NAME, copy, size, fragment, &err);
		check_status(rc, &err);
		/* what the reader takes, the template check takes */
		if (!fragment && read_ok && rc != MAJLIS_OK) {
			fprintf(stderr, "fuzz-docxml: read, yet refused: %s\n",
				err.data);
			abort();
		}
		buf_reset(&err);
	}
	buf_release(&err);
	free(copy);
	return 0;
}
