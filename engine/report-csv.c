/*
 * report-csv.c - a report as CSV, for Excel as Casablanca's offices have
 * it (French locale): UTF-8 with a byte-order mark, without which Excel
 * reads the Arabic as Latin-1; ';' between fields and a decimal comma,
 * as French-locale Excel splits and reads them; days as 03/12/2026;
 * CRLF line ends (RFC 4180). One language a file (titles and labels);
 * data rows only: the totals are the reader's to make.
 *
 * A text that a spreadsheet would take for a formula (it starts with =,
 * +, -, @, a tab or a carriage return) gets a leading apostrophe, as
 * OWASP advises against CSV injection: the cell shows the text.
 */
#include <stdio.h>
#include <string.h>

#include "report-priv.h"

struct csv_out {
	const struct report_def *def;
	const char *lang;
	struct buf *out;
	struct buf cell;
	long rows;
};

/* True when a spreadsheet opening the file would take text for a
 * formula: it starts with = + - @, a tab or a carriage return. */
static int
formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	       *s == '\t' || *s == '\r';
}

static void
csv_field(struct buf *out, const char *s, int first)
{
	int quote = strpbrk(s, ";\"\r\n") != NULL ||
		    (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '));
	int guard = formula_like(s);

	if (!first)
		buf_addch(out, ';');
	if (quote || guard)
		buf_addch(out, '"');
	if (guard)
		buf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	if (quote || guard)
		buf_addch(out, '"');
}

/* A number as French-locale Excel reads it: no thousands separator, a
 * decimal comma. */
static void
csv_number(const struct report_column *c, const struct report_value *v,
	   struct buf *out)
{
	char tmp[64];
	double x = c->type == COL_PERCENT ? v->num * 100 : v->num;

	if (v->integer && c->type != COL_PERCENT)
		snprintf(tmp, sizeof(tmp), "%.0f", x);
	else
		snprintf(tmp, sizeof(tmp), "%.*f",
			 c->type == COL_PERCENT ? 1 : 2, x);
	for (char *p = tmp; *p; p++)
		if (*p == '.')
			*p = ',';
	buf_addstr(out, tmp);
	if (c->type == COL_PERCENT)
		buf_addch(out, '%');
}

static enum majlis_status
csv_row(void *ctx, const struct report_row *r, struct buf *err)
{
	struct csv_out *co = ctx;

	(void)err;
	if (r->kind != ROW_DATA)
		return MAJLIS_OK;
	for (int i = 0; i < co->def->ncols; i++) {
		const struct report_column *c = &co->def->cols[i];

		buf_reset(&co->cell);
		if (r->v[i].kind == RV_NUM)
			csv_number(c, &r->v[i], &co->cell);
		else
			value_text(c, &r->v[i], co->lang, &co->cell);
		if (r->v[i].kind == RV_NUM)
			/* Ours, never formula-like text: written as is. */
			buf_addf(co->out, "%s%s", i ? ";" : "", co->cell.data);
		else
			csv_field(co->out, co->cell.data, i == 0);
	}
	buf_addstr(co->out, "\r\n");
	co->rows++;
	return MAJLIS_OK;
}

enum majlis_status
report_write_csv(struct engine *e, const struct report_def *def,
		 const struct report_args *args, const char *lang,
		 struct buf *out, struct report_info *info, struct buf *err)
{
	struct csv_out co = { def, strcmp(lang, "ar") ? "fr" : "ar", out,
			      BUF_INIT, 0 };
	enum majlis_status rc;

	buf_addstr(out, "\xef\xbb\xbf");
	for (int i = 0; i < def->ncols; i++)
		csv_field(out,
			  strcmp(co.lang, "ar") ? def->cols[i].title_fr
						: def->cols[i].title_ar,
			  i == 0);
	buf_addstr(out, "\r\n");
	rc = report_run(e, def, args, csv_row, &co, err);
	info->rows = co.rows;
	buf_release(&co.cell);
	return rc;
}
