/*
 * render-docx.c - the Word back-end: a .docx (Office Open XML,
 * WordprocessingML, ECMA-376 transitional) written with libzip.
 *
 * Arabic paragraphs carry <w:bidi/> and their runs <w:rtl/>, with the
 * complex-script font and size; alignment is written as start/end, which
 * read logically in both directions. Table header rows repeat on each
 * page (<w:tblHeader/>); Arabic-only tables read right to left
 * (<w:bidiVisual/>). Side-by-side pairs, the letterhead and signatures are
 * borderless tables. Page numbers come from PAGE and NUMPAGES fields in
 * the footer. Every part's date is the document's, so the same document
 * gives the same bytes.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "clock.h"
#include "sys.h"

/* A4 and its margins, in twentieths of a point. */
#define TW_PAGE_W 11906
#define TW_PAGE_H 16838
#define TW_MARGIN 1134
/* The width between the margins of the document's page. */
#define TW_BODY ((x->d->landscape ? TW_PAGE_H : TW_PAGE_W) - 2 * TW_MARGIN)

static void
xml_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_addstr(out, "&amp;");
			break;
		case '<':
			buf_addstr(out, "&lt;");
			break;
		case '>':
			buf_addstr(out, "&gt;");
			break;
		case '"':
			buf_addstr(out, "&quot;");
			break;
		default:
			buf_addch(out, *s);
		}
	}
}

struct docx {
	const struct doc *d;
	struct buf body;	/* word/document.xml's body */
	struct buf rels;	/* hyperlink relationships */
	int nrels;
};

static void
run_props(struct buf *out, const struct doc_run *r, enum doc_lang lang,
	  int heading_size)
{
	buf_addstr(out, "<w:rPr>");
	if (r->link)
		buf_addstr(out, "<w:rStyle w:val=\"Hyperlink\"/>");
	if (r->style & RUN_BOLD)
		buf_addstr(out, "<w:b/><w:bCs/>");
	if (r->style & RUN_ITALIC)
		buf_addstr(out, "<w:i/><w:iCs/>");
	if (r->style & (RUN_UNDERLINE))
		buf_addstr(out, "<w:u w:val=\"single\"/>");
	if (heading_size)
		buf_addf(out, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>",
			 heading_size, heading_size);
	else if (r->style & RUN_SMALL)
		buf_addstr(out, "<w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>");
	if (lang == DOC_AR)
		buf_addstr(out, "<w:rtl/>");
	buf_addstr(out, "</w:rPr>");
}

static void
add_runs(struct docx *x, const struct doc_block *b, int heading_size)
{
	struct buf *out = &x->body;

	for (size_t i = 0; i < b->nruns; i++) {
		const struct doc_run *r = &b->runs[i];
		const char *s = r->text;

		if (r->link) {
			x->nrels++;
			buf_addf(&x->rels,
				 "<Relationship Id=\"rIdLink%d\" Type=\"http://"
				 "schemas.openxmlformats.org/officeDocument/"
				 "2006/relationships/hyperlink\" Target=\"",
				 x->nrels);
			xml_escape(&x->rels, r->link);
			if (!strstr(r->link, "://") &&
			    !starts_with(r->link, "mailto:"))
				buf_addstr(&x->rels, ".pdf");
			buf_addstr(&x->rels, "\" TargetMode=\"External\"/>");
			buf_addf(out, "<w:hyperlink r:id=\"rIdLink%d\">",
				 x->nrels);
		}
		while (*s) {
			size_t n = strcspn(s, "\n");

			buf_addstr(out, "<w:r>");
			run_props(out, r, b->lang, heading_size);
			if (n) {
				struct buf t = BUF_INIT;

				buf_add(&t, s, n);
				buf_addstr(out, "<w:t xml:space=\"preserve\">");
				xml_escape(out, t.data);
				buf_addstr(out, "</w:t>");
				buf_release(&t);
			}
			if (s[n] == '\n')
				buf_addstr(out, "<w:br/>");
			buf_addstr(out, "</w:r>");
			s += n + (s[n] == '\n');
		}
		if (r->link)
			buf_addstr(out, "</w:hyperlink>");
	}
}

static const char *
jc(enum doc_align a)
{
	switch (a) {
	case ALIGN_CENTER:
		return "center";
	case ALIGN_END:
		return "end";
	case ALIGN_JUSTIFY:
		return "both";
	default:
		return "start";
	}
}

static void
paragraph(struct docx *x, const struct doc_block *b, const char *prefix,
	  int indent)
{
	struct buf *out = &x->body;
	static const int sizes[] = { 0, 30, 25, 22 };
	int heading = b->kind == BLOCK_HEADING ? b->level : 0;

	buf_addstr(out, "<w:p><w:pPr>");
	if (heading)
		buf_addf(out, "<w:pStyle w:val=\"Heading%d\"/>", heading);
	if (b->keep)
		buf_addstr(out, "<w:keepNext/>");
	if (b->lang == DOC_AR)
		buf_addstr(out, "<w:bidi/>");
	if (indent)
		buf_addf(out, "<w:ind w:start=\"%d\" w:hanging=\"%d\"/>",
			 indent, indent);
	buf_addf(out, "<w:jc w:val=\"%s\"/></w:pPr>", jc(b->align));
	if (prefix) {
		struct doc_run pr = { (char *)prefix, 0, NULL };
		struct doc_block pb;

		memset(&pb, 0, sizeof(pb));
		pb.lang = b->lang;
		pb.runs = &pr;
		pb.nruns = 1;
		add_runs(x, &pb, 0);
	}
	add_runs(x, b, heading ? sizes[heading > 3 ? 3 : heading] : 0);
	buf_addstr(out, "</w:p>");
}

static void blocks(struct docx *x, const struct doc_block *b, size_t n,
		   int rtl);

/* A table of cells; widths relative, or equal when NULL. */
static void
table(struct docx *x, const struct doc_block *rows, size_t nrows,
      const double *widths, size_t ncols, int borders, int rtl)
{
	struct buf *out = &x->body;
	double sum = 0;

	if (!ncols)
		return;
	for (size_t i = 0; i < ncols; i++)
		sum += widths ? widths[i] : 1;
	buf_addstr(out, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" "
			"w:type=\"pct\"/>");
	if (rtl)
		buf_addstr(out, "<w:bidiVisual/>");
	if (borders)
		buf_addstr(out,
			   "<w:tblBorders>"
			   "<w:top w:val=\"single\" w:sz=\"4\"/>"
			   "<w:start w:val=\"single\" w:sz=\"4\"/>"
			   "<w:bottom w:val=\"single\" w:sz=\"4\"/>"
			   "<w:end w:val=\"single\" w:sz=\"4\"/>"
			   "<w:insideH w:val=\"single\" w:sz=\"4\"/>"
			   "<w:insideV w:val=\"single\" w:sz=\"4\"/>"
			   "</w:tblBorders>");
	buf_addstr(out, "<w:tblLayout w:type=\"fixed\"/>"
			"<w:tblCellMar><w:start w:w=\"80\" w:type=\"dxa\"/>"
			"<w:end w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar>"
			"</w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < ncols; i++)
		buf_addf(out, "<w:gridCol w:w=\"%d\"/>",
			 (int)(TW_BODY * (widths ? widths[i] : 1) / sum));
	buf_addstr(out, "</w:tblGrid>");
	for (size_t r = 0; r < nrows; r++) {
		const struct doc_block *row = &rows[r];

		buf_addstr(out, "<w:tr>");
		if (row->header)
			buf_addstr(out, "<w:trPr><w:tblHeader/></w:trPr>");
		for (size_t c = 0; c < ncols; c++) {
			buf_addf(out,
				 "<w:tc><w:tcPr><w:tcW w:w=\"%d\" "
				 "w:type=\"dxa\"/></w:tcPr>",
				 (int)(TW_BODY * (widths ? widths[c] : 1) /
				       sum));
			if (c < row->nkids && row->kids[c].nkids)
				blocks(x, row->kids[c].kids, row->kids[c].nkids,
				       rtl);
			else
				buf_addstr(out, "<w:p/>");
			buf_addstr(out, "</w:tc>");
		}
		buf_addstr(out, "</w:tr>");
	}
	buf_addstr(out, "</w:tbl><w:p/>");
}

static void
blocks(struct docx *x, const struct doc_block *bs, size_t n, int rtl)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_block *b = &bs[i];
		char num[32];

		switch (b->kind) {
		case BLOCK_HEADING:
		case BLOCK_PARA:
			paragraph(x, b, NULL, 0);
			break;
		case BLOCK_LIST:
			for (size_t k = 0; k < b->nkids; k++) {
				snprintf(num, sizeof(num), "%zu.\t", k + 1);
				paragraph(x, &b->kids[k],
					  b->level ? num : "\xe2\x80\xa2\t",
					  360);
			}
			break;
		case BLOCK_TABLE:
			table(x, b->kids, b->nkids, b->widths, b->nwidths,
			      b->borders, rtl);
			break;
		case BLOCK_ROW:
		case BLOCK_SIGNATURES:
			table(x, b, 1, NULL, b->nkids, 0, 0);
			break;
		case BLOCK_LETTERHEAD: {
			struct doc_block row, cells[2];
			size_t nc = 0;

			memset(&row, 0, sizeof(row));
			memset(cells, 0, sizeof(cells));
			for (int side = 0; side < 2; side++) {
				enum doc_lang l = side ? DOC_AR : DOC_FR;
				struct doc_block *c = &cells[nc];

				c->kind = BLOCK_CELL;
				c->kids = xcalloc(b->nkids ? b->nkids : 1,
						  sizeof(*c->kids));
				for (size_t k = 0; k < b->nkids; k++)
					if (b->kids[k].lang == l)
						c->kids[c->nkids++] = b->kids[k];
				nc++;
			}
			row.kids = cells;
			row.nkids = nc;
			table(x, &row, 1, NULL, nc, 0, 0);
			for (size_t k = 0; k < nc; k++)
				free(cells[k].kids);
			break;
		}
		case BLOCK_CELL:
			blocks(x, b->kids, b->nkids, rtl);
			break;
		case BLOCK_PAGEBREAK:
			buf_addstr(&x->body, "<w:p><w:r><w:br w:type=\"page\"/>"
					     "</w:r></w:p>");
			if (b->level == 1)
				rtl = 0;
			break;
		case BLOCK_SPACE:
			buf_addf(&x->body,
				 "<w:p><w:pPr><w:spacing w:before=\"0\" "
				 "w:after=\"0\" w:line=\"%d\" "
				 "w:lineRule=\"exact\"/></w:pPr></w:p>",
				 b->level * 20 > 20 ? b->level * 20 : 20);
			break;
		case BLOCK_RULE:
			buf_addstr(&x->body,
				   "<w:p><w:pPr><w:pBdr><w:bottom "
				   "w:val=\"single\" w:sz=\"6\" w:space=\"1\"/>"
				   "</w:pBdr></w:pPr></w:p>");
			break;
		}
	}
}

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/"
	"vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
	"vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/officeDocument\" "
	"Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
	"package/2006/relationships/metadata/core-properties\" "
	"Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/extended-properties\" "
	"Target=\"docProps/app.xml\"/>"
	"</Relationships>";

#define W_NS                                                               \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/" \
	"main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\""

static const char styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles " W_NS ">"
	"<w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"Noto Serif\" w:hAnsi=\"Noto Serif\" "
	"w:eastAsia=\"Noto Serif\" w:cs=\"Noto Naskh Arabic\"/>"
	"<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"
	"<w:lang w:val=\"fr-MA\" w:bidi=\"ar-MA\"/>"
	"</w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"100\" w:line=\"264\" "
	"w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	"<w:name w:val=\"Normal\"/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\">"
	"<w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:keepNext/><w:spacing w:before=\"160\" w:after=\"80\"/>"
	"<w:outlineLvl w:val=\"0\"/></w:pPr>"
	"<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\">"
	"<w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:keepNext/><w:spacing w:before=\"140\" w:after=\"60\"/>"
	"<w:outlineLvl w:val=\"1\"/></w:pPr>"
	"<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading3\">"
	"<w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr>"
	"<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"character\" w:styleId=\"Hyperlink\">"
	"<w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"1F4E9A\"/>"
	"<w:u w:val=\"single\"/></w:rPr></w:style>"
	"</w:styles>";

static const char settings[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings " W_NS "><w:defaultTabStop w:val=\"360\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	"w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
	"</w:compat></w:settings>";

static void
footer(const struct doc *d, struct buf *out)
{
	static const char field[] =
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText xml:space=\"preserve\"> %s </w:instrText>"
		"</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>1</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";

	buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			"standalone=\"yes\"?>\n<w:ftr " W_NS ">");
	if (d->mode != MODE_AR) {
		buf_addstr(out, "<w:p><w:pPr><w:jc w:val=\"start\"/></w:pPr>"
				"<w:r><w:t xml:space=\"preserve\">Page </w:t>"
				"</w:r>");
		buf_addf(out, field, "PAGE");
		buf_addstr(out, "<w:r><w:t xml:space=\"preserve\"> / </w:t>"
				"</w:r>");
		buf_addf(out, field, "NUMPAGES");
		buf_addstr(out, "</w:p>");
	}
	if (d->mode != MODE_FR) {
		buf_addstr(out, "<w:p><w:pPr><w:bidi/><w:jc w:val=\"start\"/>"
				"</w:pPr><w:r><w:rPr><w:rtl/></w:rPr>"
				"<w:t xml:space=\"preserve\">الصفحة </w:t>"
				"</w:r>");
		buf_addf(out, field, "PAGE");
		buf_addstr(out, "<w:r><w:rPr><w:rtl/></w:rPr>"
				"<w:t xml:space=\"preserve\"> من </w:t></w:r>");
		buf_addf(out, field, "NUMPAGES");
		buf_addstr(out, "</w:p>");
	}
	if (d->register_no) {
		buf_addstr(out, "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
				"<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr>"
				"<w:t>");
		xml_escape(out, d->register_no);
		buf_addstr(out, "</w:t></w:r></w:p>");
	}
	buf_addstr(out, "</w:ftr>");
}

static void
core(const struct doc *d, struct buf *out)
{
	const char *title = d->mode == MODE_AR ? d->title_ar : d->title_fr;

	buf_addstr(out,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		   "standalone=\"yes\"?>\n<cp:coreProperties "
		   "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
		   "metadata/core-properties\" "
		   "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		   "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		   "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	if (title) {
		buf_addstr(out, "<dc:title>");
		xml_escape(out, title);
		if (d->register_no) {
			buf_addstr(out, " — ");
			xml_escape(out, d->register_no);
		}
		buf_addstr(out, "</dc:title>");
	}
	if (d->subject) {
		buf_addstr(out, "<dc:subject>");
		xml_escape(out, d->subject);
		buf_addstr(out, "</dc:subject>");
	}
	if (d->author) {
		buf_addstr(out, "<dc:creator>");
		xml_escape(out, d->author);
		buf_addstr(out, "</dc:creator>");
	}
	if (d->keywords) {
		buf_addstr(out, "<cp:keywords>");
		xml_escape(out, d->keywords);
		buf_addstr(out, "</cp:keywords>");
	}
	if (d->created) {
		/* the template's text: escaped like the rest */
		buf_addstr(out, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
		xml_escape(out, d->created);
		buf_addstr(out, "</dcterms:created><dcterms:modified "
				"xsi:type=\"dcterms:W3CDTF\">");
		xml_escape(out, d->created);
		buf_addstr(out, "</dcterms:modified>");
	}
	buf_addstr(out, "</cp:coreProperties>");
}

static int
add_part(zip_t *z, const char *name, struct buf *data, time_t when)
{
	zip_source_t *src;
	zip_int64_t idx;
	size_t len;
	char *bytes = buf_detach(data, &len);

	src = zip_source_buffer(z, bytes, len, 1);
	if (!src) {
		free(bytes);
		return -1;
	}
	idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return -1;
	}
	zip_file_set_mtime(z, (zip_uint64_t)idx, when, 0);
	return 0;
}

enum majlis_status
render_docx(const struct doc *d, struct buf *out, struct buf *err)
{
	struct docx x;
	struct buf part = BUF_INIT;
	zip_source_t *mem;
	zip_t *z;
	zip_error_t zerr;
	time_t when = 0;
	int64_t t;
	enum majlis_status rc = MAJLIS_OK;
	int ok = 0;

	memset(&x, 0, sizeof(x));
	x.d = d;
	if (d->created && time_parse_utc(d->created, &t) == 0)
		when = (time_t)t;
	blocks(&x, d->body.kids, d->body.nkids,
	       d->mode == MODE_AR || d->sequential);
	zip_error_init(&zerr);
	mem = zip_source_buffer_create(NULL, 0, 0, &zerr);
	z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &zerr) : NULL;
	if (!z) {
		rc = error(err, MAJLIS_ERR_INTERNAL, "libzip: %s",
			   zip_error_strerror(&zerr));
		if (mem)
			zip_source_free(mem);
		goto out;
	}
	zip_source_keep(mem);
	buf_addstr(&part, content_types);
	ok = add_part(z, "[Content_Types].xml", &part, when) == 0;
	buf_addstr(&part, package_rels);
	ok = ok && add_part(z, "_rels/.rels", &part, when) == 0;
	buf_addstr(&part, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			  "standalone=\"yes\"?>\n<Relationships "
			  "xmlns=\"http://schemas.openxmlformats.org/package/"
			  "2006/relationships\">"
			  "<Relationship Id=\"rIdStyles\" Type=\"http://"
			  "schemas.openxmlformats.org/officeDocument/2006/"
			  "relationships/styles\" Target=\"styles.xml\"/>"
			  "<Relationship Id=\"rIdSettings\" Type=\"http://"
			  "schemas.openxmlformats.org/officeDocument/2006/"
			  "relationships/settings\" Target=\"settings.xml\"/>"
			  "<Relationship Id=\"rIdFooter\" Type=\"http://"
			  "schemas.openxmlformats.org/officeDocument/2006/"
			  "relationships/footer\" Target=\"footer1.xml\"/>");
	buf_add(&part, x.rels.data, x.rels.len);
	buf_addstr(&part, "</Relationships>");
	ok = ok && add_part(z, "word/_rels/document.xml.rels", &part, when) == 0;
	buf_addstr(&part, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			  "standalone=\"yes\"?>\n<w:document " W_NS "><w:body>");
	buf_add(&part, x.body.data, x.body.len);
	buf_addf(&part,
		 "<w:sectPr><w:footerReference w:type=\"default\" "
		 "r:id=\"rIdFooter\"/><w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
		 "<w:pgMar w:top=\"900\" w:right=\"%d\" w:bottom=\"900\" "
		 "w:left=\"%d\" w:header=\"500\" w:footer=\"500\" "
		 "w:gutter=\"0\"/>%s</w:sectPr></w:body></w:document>",
		 d->landscape ? TW_PAGE_H : TW_PAGE_W,
		 d->landscape ? TW_PAGE_W : TW_PAGE_H,
		 d->landscape ? " w:orient=\"landscape\"" : "", TW_MARGIN,
		 TW_MARGIN,
		 d->mode == MODE_AR ? "<w:bidi/>" : "");
	ok = ok && add_part(z, "word/document.xml", &part, when) == 0;
	buf_addstr(&part, styles);
	ok = ok && add_part(z, "word/styles.xml", &part, when) == 0;
	buf_addstr(&part, settings);
	ok = ok && add_part(z, "word/settings.xml", &part, when) == 0;
	footer(d, &part);
	ok = ok && add_part(z, "word/footer1.xml", &part, when) == 0;
	core(d, &part);
	ok = ok && add_part(z, "docProps/core.xml", &part, when) == 0;
	buf_addstr(&part, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			  "standalone=\"yes\"?>\n<Properties xmlns=\"http://"
			  "schemas.openxmlformats.org/officeDocument/2006/"
			  "extended-properties\"><Application>majlis"
			  "</Application></Properties>");
	ok = ok && add_part(z, "docProps/app.xml", &part, when) == 0;
	if (!ok || zip_close(z) < 0) {
		rc = error(err, MAJLIS_ERR_INTERNAL, "libzip: %s",
			   zip_strerror(z));
		zip_discard(z);
		zip_source_free(mem);
		goto out;
	}
	/* Read the finished archive back out of the memory source. */
	if (zip_source_open(mem) == 0) {
		char chunk[8192];
		zip_int64_t n;

		while ((n = zip_source_read(mem, chunk, sizeof(chunk))) > 0)
			buf_add(out, chunk, (size_t)n);
		zip_source_close(mem);
	} else {
		rc = error(err, MAJLIS_ERR_INTERNAL,
			   "libzip: cannot read the archive back");
	}
	zip_source_free(mem);
out:
	buf_release(&part);
	buf_release(&x.body);
	buf_release(&x.rels);
	return rc;
}
