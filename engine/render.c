/*
 * render.c - the renderers' entry point, and the two simplest back-ends:
 * HTML (for mail and the portal) and plain text (for the archive's search
 * and diffs).
 */
#include "render.h"

#include <string.h>

#include "sys.h"

static const struct {
	const char *name;
	const char *mime;
} formats[] = {
	[FORMAT_PDF] = { "pdf", "application/pdf" },
	[FORMAT_DOCX] = { "docx", "application/vnd.openxmlformats-"
				  "officedocument.wordprocessingml.document" },
	[FORMAT_HTML] = { "html", "text/html; charset=utf-8" },
	[FORMAT_TEXT] = { "txt", "text/plain; charset=utf-8" },
};

int
render_format_parse(const char *s, enum render_format *out)
{
	for (int f = FORMAT_PDF; f <= FORMAT_TEXT; f++) {
		if (!strcmp(s, formats[f].name)) {
			*out = (enum render_format)f;
			return 0;
		}
	}
	return -1;
}

const char *
render_format_name(enum render_format f)
{
	return formats[f].name;
}

const char *
render_format_mime(enum render_format f)
{
	return formats[f].mime;
}

enum majlis_status
render_doc(struct renderer *r, const struct doc *d, enum render_format f,
	   struct buf *out, int *pages, struct buf *err)
{
	if (pages)
		*pages = 0;
	switch (f) {
	case FORMAT_PDF:
		if (!r)
			BUG("a PDF needs a renderer");
		return render_pdf(r, d, out, pages, err);
	case FORMAT_DOCX:
		return render_docx(d, out, err);
	case FORMAT_HTML:
		return render_html(d, out, err);
	case FORMAT_TEXT:
		doc_text(d, out);
		return MAJLIS_OK;
	}
	return error(err, MAJLIS_ERR_USAGE, "unknown format");
}

static void
html_escape(struct buf *out, const char *s)
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
		case '\n':
			buf_addstr(out, "<br>");
			break;
		default:
			buf_addch(out, *s);
		}
	}
}

static void
html_lang(struct buf *out, enum doc_lang lang)
{
	if (lang == DOC_AR)
		buf_addstr(out, " lang=\"ar\" dir=\"rtl\"");
	else if (lang == DOC_FR)
		buf_addstr(out, " lang=\"fr\" dir=\"ltr\"");
}

static const char *
html_align(enum doc_align a)
{
	switch (a) {
	case ALIGN_CENTER:
		return " style=\"text-align:center\"";
	case ALIGN_END:
		return " style=\"text-align:end\"";
	case ALIGN_JUSTIFY:
		return " style=\"text-align:justify\"";
	default:
		return "";
	}
}

static void
html_runs(struct buf *out, const struct doc_block *b)
{
	for (size_t i = 0; i < b->nruns; i++) {
		const struct doc_run *r = &b->runs[i];

		if (r->link) {
			buf_addstr(out, "<a href=\"");
			html_escape(out, r->link);
			if (!strstr(r->link, "://") &&
			    !starts_with(r->link, "mailto:"))
				buf_addstr(out, ".pdf");
			buf_addstr(out, "\">");
		}
		if (r->style & RUN_BOLD)
			buf_addstr(out, "<b>");
		if (r->style & RUN_ITALIC)
			buf_addstr(out, "<i>");
		if (r->style & RUN_UNDERLINE)
			buf_addstr(out, "<u>");
		if (r->style & RUN_SMALL)
			buf_addstr(out, "<small>");
		html_escape(out, r->text);
		if (r->style & RUN_SMALL)
			buf_addstr(out, "</small>");
		if (r->style & RUN_UNDERLINE)
			buf_addstr(out, "</u>");
		if (r->style & RUN_ITALIC)
			buf_addstr(out, "</i>");
		if (r->style & RUN_BOLD)
			buf_addstr(out, "</b>");
		if (r->link)
			buf_addstr(out, "</a>");
	}
}

static void
html_blocks(struct buf *out, const struct doc_block *blocks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_block *b = &blocks[i];

		switch (b->kind) {
		case BLOCK_HEADING:
			buf_addf(out, "<h%d", b->level);
			html_lang(out, b->lang);
			buf_addf(out, "%s>", html_align(b->align));
			html_runs(out, b);
			buf_addf(out, "</h%d>\n", b->level);
			break;
		case BLOCK_PARA:
			buf_addstr(out, "<p");
			html_lang(out, b->lang);
			buf_addf(out, "%s>", html_align(b->align));
			html_runs(out, b);
			buf_addstr(out, "</p>\n");
			break;
		case BLOCK_LIST:
			buf_addstr(out, b->level ? "<ol" : "<ul");
			html_lang(out, b->lang);
			buf_addstr(out, ">\n");
			for (size_t k = 0; k < b->nkids; k++) {
				buf_addstr(out, "<li");
				html_lang(out, b->kids[k].lang);
				buf_addstr(out, ">");
				html_runs(out, &b->kids[k]);
				buf_addstr(out, "</li>\n");
			}
			buf_addstr(out, b->level ? "</ol>\n" : "</ul>\n");
			break;
		case BLOCK_TABLE:
			buf_addf(out, "<table class=\"%s\">\n",
				 b->borders ? "grid" : "plain");
			for (size_t k = 0; k < b->nkids; k++) {
				const struct doc_block *row = &b->kids[k];

				buf_addstr(out, "<tr>");
				for (size_t c = 0; c < row->nkids; c++) {
					buf_addstr(out,
						   row->header ? "<th" : "<td");
					html_lang(out, row->kids[c].lang);
					buf_addstr(out, ">");
					html_blocks(out, row->kids[c].kids,
						    row->kids[c].nkids);
					buf_addstr(out, row->header ? "</th>"
								    : "</td>");
				}
				buf_addstr(out, "</tr>\n");
			}
			buf_addstr(out, "</table>\n");
			break;
		case BLOCK_ROW:
		case BLOCK_SIGNATURES:
		case BLOCK_LETTERHEAD:
			buf_addf(out, "<div class=\"%s\">\n",
				 b->kind == BLOCK_ROW	     ? "pair"
				 : b->kind == BLOCK_SIGNATURES ? "signatures"
							      : "letterhead");
			if (b->kind == BLOCK_LETTERHEAD) {
				for (int side = 0; side < 2; side++) {
					enum doc_lang l = side ? DOC_AR : DOC_FR;

					buf_addstr(out, "<div");
					html_lang(out, l);
					buf_addstr(out, ">");
					for (size_t k = 0; k < b->nkids; k++)
						if (b->kids[k].lang == l)
							html_blocks(out,
								    &b->kids[k],
								    1);
					buf_addstr(out, "</div>\n");
				}
			} else {
				for (size_t k = 0; k < b->nkids; k++) {
					buf_addstr(out, "<div");
					html_lang(out, b->kids[k].lang);
					buf_addstr(out, ">");
					html_blocks(out, b->kids[k].kids,
						    b->kids[k].nkids);
					buf_addstr(out, "</div>\n");
				}
			}
			buf_addstr(out, "</div>\n");
			break;
		case BLOCK_CELL:
			html_blocks(out, b->kids, b->nkids);
			break;
		case BLOCK_PAGEBREAK:
			buf_addstr(out, "<hr class=\"page\">\n");
			break;
		case BLOCK_SPACE:
			buf_addf(out, "<div style=\"height:%dpt\"></div>\n",
				 b->level);
			break;
		case BLOCK_RULE:
			buf_addstr(out, "<hr>\n");
			break;
		}
	}
}

enum majlis_status
render_html(const struct doc *d, struct buf *out, struct buf *err)
{
	const char *title = d->mode == MODE_AR ? d->title_ar : d->title_fr;

	(void)err;
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n"
		      "<head>\n<meta charset=\"utf-8\">\n<title>",
		 d->mode == MODE_AR ? "ar" : "fr",
		 d->mode == MODE_AR ? "rtl" : "ltr");
	html_escape(out, title ? title : "");
	buf_addstr(out,
		   "</title>\n<style>\n"
		   "body{font-family:'Noto Serif','Noto Naskh Arabic',serif;"
		   "max-width:50em;margin:2em auto;line-height:1.45}\n"
		   "[lang=ar]{font-family:'Noto Naskh Arabic',serif}\n"
		   ".pair,.letterhead,.signatures{display:flex;gap:2em;"
		   "justify-content:space-between}\n"
		   ".pair>div,.letterhead>div{flex:1}\n"
		   ".letterhead{text-align:center;font-weight:bold}\n"
		   ".signatures>div{text-align:center;flex:1}\n"
		   "table{border-collapse:collapse;width:100%}\n"
		   "table.grid td,table.grid th{border:1px solid #555;"
		   "padding:.2em .4em;vertical-align:top}\n"
		   "hr.page{border:0;border-top:1px dashed #aaa;margin:2em 0}\n"
		   "</style>\n</head>\n<body>\n");
	html_blocks(out, d->body.kids, d->body.nkids);
	buf_addstr(out, "</body>\n</html>\n");
	return MAJLIS_OK;
}
