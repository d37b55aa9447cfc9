/*
 * report-pdf.c - a report as a PDF état: its rows as the data of
 * templates/etat.xml (letterhead, titles, one table a language), drawn
 * by the documents engine, which paginates the table and repeats its
 * header on every page. Totals are bold; the state that colours a row
 * in a workbook is written in the cell, so it needs no colour here.
 */
#include <string.h>

#include "docdata.h"
#include "document.h"
#include "report-priv.h"
#include "sys.h"

struct pdf_out {
	const struct report_def *def;
	json_t *rows;
	struct buf text;
	long n;
};

static int
numeric(const struct report_column *c)
{
	return c->type == COL_INTEGER || c->type == COL_NUMBER ||
	       c->type == COL_PERCENT;
}

/* The characters of the longest word of s: a column narrower than that
 * would break its heading inside a word. */
static double
longest_word(const char *s)
{
	size_t best = 0, cur = 0;

	for (; *s; s++) {
		if (*s == ' ') {
			cur = 0;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > best)
			best = cur;
	}
	return (double)best;
}

static enum majlis_status
pdf_row(void *ctx, const struct report_row *r, struct buf *err)
{
	struct pdf_out *po = ctx;
	json_t *row = json_object(), *cells = json_array();
	int bold = r->kind != ROW_DATA;
	int lc = -1;

	(void)err;
	if (bold)
		for (int i = 0; i < po->def->ncols && lc < 0; i++)
			if (po->def->cols[i].total == TOTAL_NONE)
				lc = i;
	for (int i = 0; i < po->def->ncols; i++) {
		const struct report_column *c = &po->def->cols[i];
		json_t *cell = json_object();

		for (int l = 0; l < 2; l++) {
			const char *lang = l ? "ar" : "fr";

			buf_reset(&po->text);
			if (i == lc && r->kind == ROW_SUBTOTAL)
				buf_addf(&po->text, "%s — %s",
					 l ? "المجموع" : "Total",
					 l ? r->group_ar : r->group_fr);
			else if (i == lc)
				buf_addstr(&po->text,
					   l ? "المجموع العام" : "Total général");
			else
				value_text(c, &r->v[i], lang, &po->text);
			json_object_set_new(cell, lang,
					    json_string(po->text.data));
		}
		json_object_set_new(cell, "align",
				    json_string(numeric(c) ||
							r->v[i].kind == RV_NUM
						? "end"
						: "start"));
		json_object_set_new(cell, "bold", json_boolean(bold));
		json_array_append_new(cells, cell);
	}
	json_object_set_new(row, "cells", cells);
	json_object_set_new(row, "total", json_boolean(bold));
	json_array_append_new(po->rows, row);
	if (r->kind == ROW_DATA)
		po->n++;
	return MAJLIS_OK;
}

enum majlis_status
report_pdf_data(struct engine *e, const struct report_def *def,
		const struct report_args *args, json_t **out, long *rows,
		struct buf *err)
{
	struct pdf_out po = { def, json_array(), BUF_INIT, 0 };
	json_t *data, *title, *cols = json_array();
	struct buf sub = BUF_INIT;
	enum majlis_status rc;
	double wide = 0;

	*out = NULL;
	rc = report_run(e, def, args, pdf_row, &po, err);
	if (rc != MAJLIS_OK) {
		json_decref(po.rows);
		json_decref(cols);
		buf_release(&po.text);
		return rc;
	}
	data = docdata_common(e, args->body, clock_now(e->clock));
	title = json_object();
	json_object_set_new(title, "fr", json_string(def->title_fr));
	json_object_set_new(title, "ar", json_string(def->title_ar));
	json_object_set_new(data, "title", title);
	json_object_set_new(data, "kind", json_string("etat"));
	json_object_set_new(data, "report", json_string(def->name));
	report_subtitle(e, def, args, "fr", &sub);
	json_object_set_new(data, "subtitle_fr", json_string(sub.data));
	buf_reset(&sub);
	report_subtitle(e, def, args, "ar", &sub);
	json_object_set_new(data, "subtitle_ar", json_string(sub.data));
	for (int i = 0; i < def->ncols; i++) {
		const struct report_column *c = &def->cols[i];
		json_t *col = json_object();
		double w = c->width > 0 ? c->width
			   : numeric(c) ? 10
			   : c->type == COL_TEXT ? 24
						 : 14;

		/* Headings are bold: a little wider than their letters. */
		if (w < longest_word(c->title_fr) * 1.5 + 2)
			w = longest_word(c->title_fr) * 1.5 + 2;
		if (w < longest_word(c->title_ar) * 1.5 + 2)
			w = longest_word(c->title_ar) * 1.5 + 2;
		json_object_set_new(col, "title_fr", json_string(c->title_fr));
		json_object_set_new(col, "title_ar", json_string(c->title_ar));
		json_object_set_new(col, "width", json_integer((json_int_t)w));
		wide += w;
		json_object_set_new(col, "num", json_boolean(numeric(c)));
		json_array_append_new(cols, col);
	}
	json_object_set_new(data, "columns", cols);
	/* A wide table goes on a page turned sideways. */
	json_object_set_new(data, "orientation",
			    json_string(wide > 110 || def->ncols > 6
						? "landscape"
						: "portrait"));
	json_object_set_new(data, "rows", po.rows);
	json_object_set_new(data, "count", json_integer(po.n));
	*out = data;
	*rows = po.n;
	buf_release(&sub);
	buf_release(&po.text);
	return MAJLIS_OK;
}

enum majlis_status
report_write_pdf(struct engine *e, const struct report_def *def,
		 const struct report_args *args, const char *lang,
		 struct buf *out, struct report_info *info, struct buf *err)
{
	json_t *data;
	enum doc_mode mode;
	enum majlis_status rc;

	if (!e->docs)
		BUG("report_write_pdf without e->docs");
	if (doc_mode_parse(lang, &mode) < 0)
		mode = MODE_BOTH;
	rc = report_pdf_data(e, def, args, &data, &info->rows, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = documents_render_data(e, "etat", data, mode, FORMAT_PDF, out,
				   &info->pages, err);
	json_decref(data);
	return rc;
}
