/*
 * report-xlsx.c - reports, dashboards and agendas as workbooks, with
 * libxlsxwriter (the only file that includes it).
 *
 * Every workbook is written in constant-memory mode: each sheet's rows
 * go to a temporary file as they come, so a sheet of a million rows
 * takes no more memory than one of ten. Rows must then be written in
 * order, which the layout below does: a sheet is a column of blocks, one
 * per report, each a title, a subtitle, a header row, the data rows,
 * subtotals after each group and a total row; charts sit to the right of
 * their block (to the left on an Arabic sheet, which reads right to
 * left). A sheet of one report freezes its header and filters it.
 *
 * Text from the data is always written as a string cell: a title that
 * starts with '=' stays text and never becomes a formula. The only
 * formulas are the engine's own totals (SUBTOTAL, which ignores the
 * subtotals above it and follows the filter), with their value cached
 * so that a reader who does not compute sees it too.
 *
 * The file is written beside its destination under a temporary name
 * and renamed into place once libxlsxwriter has closed it: whole or not
 * at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "agenda.h"
#include "calendar.h"
#include "report-priv.h"
#include "sys.h"

/* Excel's own "good, neutral, bad" styles, which managers know. */
static const struct {
	lxw_color_t fill, font;
} tone_colours[TONE__COUNT] = {
	{ 0, 0 },
	{ 0xFFC7CE, 0x9C0006 }, /* red: late */
	{ 0xFFEB9C, 0x9C5700 }, /* amber: due soon */
	{ 0xC6EFCE, 0x006100 }, /* green: done */
};

#define HEADER_FILL 0x1F4E78
#define TOTAL_FILL 0xDDEBF7
#define CHART_ROWS 16		/* rows a chart of 288 pixels covers */
#define CHART_COLS 8

enum fmt_class {
	FC_TEXT,
	FC_INTEGER,
	FC_NUMBER,
	FC_PERCENT,
	FC_DATE,
	FC_DATETIME,
	FC__COUNT,
};

struct book {
	lxw_workbook *wb;
	struct engine *e;
	lxw_format *fmt[FC__COUNT][TONE__COUNT][2]; /* [class][tone][total] */
	lxw_format *title, *subtitle, *header;
	long rows;		/* data rows written */
};

/* One sheet being written. */
struct sheet {
	struct book *b;
	lxw_worksheet *ws;
	const char *name;	/* as given to the workbook */
	int ar;			/* Arabic: right to left */
	lxw_row_t row;		/* the next row to write */
	lxw_row_t min_next;	/* the next block starts here at the earliest */
};

static lxw_format *
fmt_get(struct book *b, enum fmt_class fc, enum tone t, int total)
{
	static const char *const numfmt[FC__COUNT] = {
		NULL, "#,##0", "#,##0.00", "0.0%", "dd/mm/yyyy",
		"dd/mm/yyyy hh:mm",
	};
	lxw_format *f = b->fmt[fc][t][total];

	if (f)
		return f;
	f = workbook_add_format(b->wb);
	if (numfmt[fc])
		format_set_num_format(f, numfmt[fc]);
	if (fc == FC_TEXT)
		format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (t != TONE_NONE) {
		format_set_bg_color(f, tone_colours[t].fill);
		format_set_font_color(f, tone_colours[t].font);
	}
	if (total) {
		format_set_bold(f);
		format_set_bg_color(f, TOTAL_FILL);
		format_set_top(f, LXW_BORDER_THIN);
	}
	b->fmt[fc][t][total] = f;
	return f;
}

static enum fmt_class
column_class(const struct report_column *c, const struct report_value *v)
{
	switch (c->type) {
	case COL_INTEGER:
		return v && v->kind == RV_NUM && !v->integer ? FC_NUMBER
							     : FC_INTEGER;
	case COL_NUMBER:
		return FC_NUMBER;
	case COL_PERCENT:
		return FC_PERCENT;
	case COL_DATE:
		return FC_DATE;
	case COL_DATETIME:
		return FC_DATETIME;
	default:
		/* A total over a text column (a count) is a number. */
		return v && v->kind == RV_NUM ? FC_INTEGER : FC_TEXT;
	}
}

static void
book_formats(struct book *b)
{
	b->title = workbook_add_format(b->wb);
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	format_set_font_color(b->title, HEADER_FILL);
	b->subtitle = workbook_add_format(b->wb);
	format_set_italic(b->subtitle);
	format_set_font_color(b->subtitle, 0x595959);
	b->header = workbook_add_format(b->wb);
	format_set_bold(b->header);
	format_set_font_color(b->header, LXW_COLOR_WHITE);
	format_set_bg_color(b->header, HEADER_FILL);
	format_set_text_wrap(b->header);
	format_set_align(b->header, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(b->header, LXW_BORDER_THIN);
}

/* The temporary name a workbook is written under, beside path. */
static void
temp_path(const char *path, struct buf *out)
{
	buf_setf(out, "%s.tmp-%ld", path, (long)getpid());
}

static enum majlis_status
book_open(struct book *b, struct engine *e, const char *path,
	  const char *title_fr, const char *title_ar, struct buf *tmp,
	  struct buf *err)
{
	lxw_workbook_options opts = { .constant_memory = LXW_TRUE,
				      .tmpdir = NULL,
				      .use_zip64 = LXW_TRUE };
	lxw_doc_properties props;
	struct buf title = BUF_INIT;
	int fd;

	memset(b, 0, sizeof(*b));
	b->e = e;
	temp_path(path, tmp);
	/* libxlsxwriter creates the file only when the workbook closes,
	 * and then says why it cannot on stderr: find out first, and say
	 * it our way. */
	fd = open(tmp->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return error(err, MAJLIS_ERR_IO, "cannot write '%s': %s", path,
			     strerror(errno));
	close(fd);
	unlink(tmp->data);
	b->wb = workbook_new_opt(tmp->data, &opts);
	if (!b->wb)
		return error(err, MAJLIS_ERR_IO, "cannot write '%s'",
			     tmp->data);
	book_formats(b);
	buf_addf(&title, "%s — %s", title_fr, title_ar);
	memset(&props, 0, sizeof(props));
	/* libxlsxwriter copies the strings; its fields are not const. */
	props.title = title.data;
	props.subject = (char *)title_fr;
	props.author = (char *)"majlis";
	props.company = (char *)"Commune de Casablanca — جماعة الدار البيضاء";
	props.keywords = (char *)"majlis; tableau de bord; لوحة القيادة";
	props.comments = (char *)"Généré par majlis — أنجز بواسطة majlis";
	/* The clock's time, so that a replay gives the same properties. */
	props.created = (time_t)clock_now(e->clock);
	workbook_set_properties(b->wb, &props);
	buf_release(&title);
	return MAJLIS_OK;
}

/* Closes the workbook and moves it into place, or removes it. */
static enum majlis_status
book_close(struct book *b, const char *path, const char *tmp,
	   enum majlis_status rc, struct buf *err)
{
	lxw_error le;

	if (!b->wb)
		return rc;
	le = workbook_close(b->wb);
	b->wb = NULL;
	if (rc == MAJLIS_OK && le != LXW_NO_ERROR)
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s", path,
			   lxw_strerror(le));
	if (rc == MAJLIS_OK && rename(tmp, path) < 0)
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s", path,
			   strerror(errno));
	if (rc != MAJLIS_OK)
		unlink(tmp);
	return rc;
}

static enum majlis_status
sheet_open(struct book *b, struct sheet *s, const char *name, int ar,
	   struct buf *err)
{
	memset(s, 0, sizeof(*s));
	s->b = b;
	s->ar = ar;
	s->name = name;
	s->ws = workbook_add_worksheet(b->wb, name);
	if (!s->ws)
		return error(err, MAJLIS_ERR_CONFIG,
			     "cannot add a sheet named '%s'", name);
	if (ar)
		worksheet_right_to_left(s->ws);
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9); /* A4 */
	worksheet_fit_to_pages(s->ws, 1, 0);
	return MAJLIS_OK;
}

/* A cell of text from the data: always a string, cut to what a cell
 * holds (at a character's start), visibly. */
static void
write_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	   lxw_format *f)
{
	size_t len = strlen(s);

	if (!len) {
		worksheet_write_blank(ws, r, c, f);
		return;
	}
	if (len > CELL_TEXT_MAX - 4) {
		struct buf cut = BUF_INIT;
		size_t n = CELL_TEXT_MAX - 4;

		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		buf_add(&cut, s, n);
		buf_addstr(&cut, "…");
		worksheet_write_string(ws, r, c, cut.data, f);
		buf_release(&cut);
		return;
	}
	worksheet_write_string(ws, r, c, s, f);
}

static void
write_value(struct sheet *s, lxw_row_t r, lxw_col_t col,
	    const struct report_column *c, const struct report_value *v,
	    enum tone t, int total)
{
	lxw_format *f = fmt_get(s->b, column_class(c, v), t, total);

	switch (v->kind) {
	case RV_NONE:
		worksheet_write_blank(s->ws, r, col, f);
		break;
	case RV_NUM:
		worksheet_write_number(s->ws, r, col, v->num, f);
		break;
	case RV_STR:
		write_text(s->ws, r, col, s->ar ? v->ar : v->fr, f);
		break;
	case RV_DAY:
	case RV_TIME: {
		lxw_datetime dt = { v->day.y, v->day.m, v->day.d,
				    v->kind == RV_TIME ? v->hour : 0,
				    v->kind == RV_TIME ? v->min : 0, 0 };

		worksheet_write_datetime(s->ws, r, col, &dt, f);
		break;
	}
	}
}

/* ---- A report as a block of a sheet ------------------------------ */

struct block {
	struct sheet *s;
	const struct report_def *def;
	lxw_row_t header;	/* the header row */
	lxw_row_t first;	/* the first data row */
	lxw_row_t group_first;	/* the first row of the current group */
	lxw_row_t last_data;	/* the last data or subtotal row */
	long rows;
};

static double
column_width(const struct report_column *c)
{
	if (c->width > 0)
		return c->width;
	switch (c->type) {
	case COL_INTEGER:
	case COL_PERCENT:
	case COL_YESNO:
		return 11;
	case COL_NUMBER:
	case COL_DATE:
		return 13;
	case COL_DATETIME:
		return 17;
	case COL_STATE:
	case COL_LABEL:
		return 20;
	default:
		return 24;
	}
}

static const char *
pick(int ar, const char *fr, const char *a)
{
	return ar ? a : fr;
}

static void
block_start(struct block *bl, struct sheet *s, const struct report_def *d,
	    const struct report_args *args, long filter_rows)
{
	struct buf sub = BUF_INIT;

	memset(bl, 0, sizeof(*bl));
	bl->s = s;
	bl->def = d;
	if (s->row < s->min_next)
		s->row = s->min_next;
	worksheet_set_row(s->ws, s->row, 20, NULL);
	write_text(s->ws, s->row++, 0, pick(s->ar, d->title_fr, d->title_ar),
		   s->b->title);
	report_subtitle(s->b->e, d, args, s->ar ? "ar" : "fr", &sub);
	write_text(s->ws, s->row++, 0, sub.data, s->b->subtitle);
	buf_release(&sub);
	bl->header = s->row;
	worksheet_set_row(s->ws, s->row, 30, NULL);
	for (int i = 0; i < d->ncols; i++)
		write_text(s->ws, s->row, (lxw_col_t)i,
			   pick(s->ar, d->cols[i].title_fr,
				d->cols[i].title_ar),
			   s->b->header);
	/* The filter is set now: in constant-memory mode a row once
	 * passed cannot be named any more. It covers the data and the
	 * subtotals, not the total row. */
	if (filter_rows >= 0)
		worksheet_autofilter(s->ws, s->row, 0,
				     s->row + (lxw_row_t)filter_rows,
				     (lxw_col_t)(d->ncols - 1));
	s->row++;
	bl->first = bl->group_first = s->row;
	bl->last_data = bl->header;
}

/* The column that labels a total row: the first without a total. */
static int
label_column(const struct report_def *d)
{
	for (int i = 0; i < d->ncols; i++)
		if (d->cols[i].total == TOTAL_NONE)
			return i;
	return -1;
}

static void
write_total(struct block *bl, const struct report_row *r)
{
	struct sheet *s = bl->s;
	const struct report_def *d = bl->def;
	int lc = label_column(d);
	lxw_row_t from = r->kind == ROW_SUBTOTAL ? bl->group_first : bl->first;
	lxw_row_t to = s->row - 1;
	static const int fn[] = { 0, 109, 103, 101, 105, 104 };

	for (int i = 0; i < d->ncols; i++) {
		const struct report_column *c = &d->cols[i];
		lxw_format *f = fmt_get(s->b, column_class(c, &r->v[i]),
					TONE_NONE, 1);

		if (i == lc) {
			struct buf label = BUF_INIT;

			if (r->kind == ROW_SUBTOTAL)
				buf_addf(&label, "%s — %s",
					 s->ar ? "المجموع" : "Total",
					 s->ar ? r->group_ar : r->group_fr);
			else
				buf_addstr(&label, s->ar ? "المجموع العام"
							 : "Total général");
			write_text(s->ws, s->row, (lxw_col_t)i, label.data, f);
			buf_release(&label);
		} else if (c->total != TOTAL_NONE && to >= from &&
			   r->v[i].kind == RV_NUM) {
			char range[64], formula[96];

			lxw_rowcol_to_range(range, from, (lxw_col_t)i, to,
					    (lxw_col_t)i);
			snprintf(formula, sizeof(formula), "=SUBTOTAL(%d,%s)",
				 fn[c->total], range);
			worksheet_write_formula_num(s->ws, s->row, (lxw_col_t)i,
						    formula, f, r->v[i].num);
		} else {
			worksheet_write_blank(s->ws, s->row, (lxw_col_t)i, f);
		}
	}
	if (r->kind == ROW_SUBTOTAL)
		bl->last_data = s->row;
	s->row++;
	if (r->kind == ROW_SUBTOTAL)
		bl->group_first = s->row;
}

static void
block_row(struct block *bl, const struct report_row *r)
{
	struct sheet *s = bl->s;

	if (r->kind != ROW_DATA) {
		write_total(bl, r);
		return;
	}
	for (int i = 0; i < bl->def->ncols; i++)
		write_value(s, s->row, (lxw_col_t)i, &bl->def->cols[i], &r->v[i],
			    r->tone, 0);
	bl->last_data = s->row++;
	bl->rows++;
}

static const lxw_chart_type chart_types[] = {
	[CHART_BAR] = LXW_CHART_BAR,
	[CHART_COLUMN] = LXW_CHART_COLUMN,
	[CHART_LINE] = LXW_CHART_LINE,
	[CHART_PIE] = LXW_CHART_PIE,
};

/* The charts of the block, to the right of its table, one beside the
 * other. */
static void
block_charts(struct block *bl)
{
	struct sheet *s = bl->s;
	const struct report_def *d = bl->def;
	/* Grouped reports have no charts (report.c refuses them): the
	 * rows charted are the data rows only. */
	lxw_row_t last = bl->last_data, rows = 0;
	lxw_chart_options opt;

	if (!d->ncharts || !bl->rows)
		return;
	memset(&opt, 0, sizeof(opt));
	for (int i = 0; i < d->ncharts; i++) {
		const struct report_chart *c = &d->charts[i];
		lxw_chart *ch = workbook_add_chart(s->b->wb,
						   chart_types[c->kind]);

		if (!ch)
			continue;
		for (int j = 0; j < c->nseries; j++) {
			lxw_chart_series *se = chart_add_series(ch, NULL, NULL);

			chart_series_set_categories(se, s->name, bl->first,
						    (lxw_col_t)c->category, last,
						    (lxw_col_t)c->category);
			chart_series_set_values(se, s->name, bl->first,
						(lxw_col_t)c->series[j], last,
						(lxw_col_t)c->series[j]);
			chart_series_set_name_range(se, s->name, bl->header,
						    (lxw_col_t)c->series[j]);
			/* Numbers a manager can quote: each slice's share,
			 * each bar's value. */
			if (c->kind == CHART_PIE) {
				chart_series_set_labels(se);
				chart_series_set_labels_options(se, LXW_FALSE,
								LXW_FALSE,
								LXW_FALSE);
				chart_series_set_labels_percentage(se);
			} else if (c->kind != CHART_LINE && c->nseries == 1) {
				chart_series_set_labels(se);
			}
		}
		chart_title_set_name(ch, pick(s->ar, c->title_fr, c->title_ar));
		if (c->kind == CHART_PIE)
			chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
		else if (c->nseries == 1)
			chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		else
			chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		/* Excel draws a bar chart's first category at the bottom:
		 * reversed, it reads in the table's order. */
		if (c->kind == CHART_BAR)
			chart_axis_set_reverse(ch->y_axis);
		/* Tall enough for every category's label. */
		opt.y_scale = c->kind == CHART_BAR && bl->rows > 8
				      ? (double)(bl->rows * 20 + 80) / 288
				      : 1;
		worksheet_insert_chart_opt(
			s->ws, bl->header,
			(lxw_col_t)(d->ncols + 1 + i * CHART_COLS), ch, &opt);
		if (rows < (lxw_row_t)(opt.y_scale * CHART_ROWS) + 1)
			rows = (lxw_row_t)(opt.y_scale * CHART_ROWS) + 1;
	}
	if (s->min_next < bl->header + rows)
		s->min_next = bl->header + rows;
}

static void
block_end(struct block *bl, int alone)
{
	struct sheet *s = bl->s;

	block_charts(bl);
	if (alone) {
		worksheet_freeze_panes(s->ws, bl->header + 1, 0);
		worksheet_repeat_rows(s->ws, bl->header, bl->header);
	}
	s->row++;		/* a blank row before the next block */
	if (!s->ar)
		s->b->rows += bl->rows;	/* once, not per language */
}

/* Writes a report into the French and the Arabic sheet at once. */
struct both {
	struct block bl[2];
};

static enum majlis_status
both_row(void *ctx, const struct report_row *r, struct buf *err)
{
	struct both *b = ctx;

	(void)err;
	block_row(&b->bl[0], r);
	block_row(&b->bl[1], r);
	return MAJLIS_OK;
}

static void
set_widths(struct sheet *s, const struct report_def *const *defs, int n)
{
	double w[REPORT_MAX_COLUMNS] = { 0 };
	int ncols = 0;

	for (int k = 0; k < n; k++) {
		if (!defs[k])
			continue;
		for (int i = 0; i < defs[k]->ncols; i++)
			if (column_width(&defs[k]->cols[i]) > w[i])
				w[i] = column_width(&defs[k]->cols[i]);
		if (defs[k]->ncols > ncols)
			ncols = defs[k]->ncols;
	}
	for (int i = 0; i < ncols; i++)
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, w[i],
				     NULL);
}

static enum majlis_status
write_reports(struct book *b, struct sheet sh[2],
	      const struct report_def *const *defs, int n,
	      const struct report_args *args, struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;

	set_widths(&sh[0], defs, n);
	set_widths(&sh[1], defs, n);
	for (int k = 0; k < n && rc == MAJLIS_OK; k++) {
		struct both both;
		struct report_args a = *args;

		/* Each report takes what it declares of the arguments. */
		if (!(defs[k]->takes & REPORT_PERIOD))
			memset(&a.period, 0, sizeof(a.period));
		if (!(defs[k]->takes & REPORT_BODY))
			a.body = NULL;
		if (!(defs[k]->takes & REPORT_ORG))
			a.org = NULL;
		long filter = -1;

		if (n == 1) {
			rc = report_count(b->e, defs[k], &a, &filter, err);
			if (rc != MAJLIS_OK)
				break;
		}
		block_start(&both.bl[0], &sh[0], defs[k], &a, filter);
		block_start(&both.bl[1], &sh[1], defs[k], &a, filter);
		rc = report_run(b->e, defs[k], &a, both_row, &both, err);
		block_end(&both.bl[0], n == 1);
		block_end(&both.bl[1], n == 1);
	}
	return rc;
}

enum majlis_status
report_write_xlsx(struct engine *e, const struct report_def *def,
		  const struct report_args *args, const char *path,
		  struct report_info *info, struct buf *err)
{
	struct book b;
	struct sheet sh[2];
	struct buf tmp = BUF_INIT;
	enum majlis_status rc;

	rc = book_open(&b, e, path, def->title_fr, def->title_ar, &tmp, err);
	if (rc == MAJLIS_OK)
		rc = sheet_open(&b, &sh[0], def->sheet_fr, 0, err);
	if (rc == MAJLIS_OK)
		rc = sheet_open(&b, &sh[1], def->sheet_ar, 1, err);
	if (rc == MAJLIS_OK)
		rc = write_reports(&b, sh, &def, 1, args, err);
	info->rows = b.rows;
	rc = book_close(&b, path, tmp.data, rc, err);
	buf_release(&tmp);
	return rc;
}

/* ---- The agenda as a sheet --------------------------------------- */

static void
agenda_sheet(struct sheet *s, const struct agenda *a)
{
	static const char *const heads[2][8] = {
		{ "Date", "Jour", "Date hégirienne", "Heure", "Type",
		  "Intitulé", "Lieu", "Organe" },
		{ "التاريخ", "اليوم", "التاريخ الهجري", "الساعة", "النوع",
		  "الموضوع", "المكان", "الهيئة" },
	};
	static const double widths[8] = { 12, 11, 18, 8, 16, 60, 30, 36 };
	struct book *b = s->b;
	struct buf t = BUF_INIT;
	lxw_row_t header;

	for (int i = 0; i < 8; i++)
		worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i,
				     widths[i], NULL);
	buf_addstr(&t, s->ar ? "الأجندة — " : "Agenda — ");
	buf_addstr(&t, s->ar ? a->scope_ar : a->scope_fr);
	worksheet_set_row(s->ws, s->row, 20, NULL);
	write_text(s->ws, s->row++, 0, t.data, b->title);
	buf_reset(&t);
	{
		struct period p = { a->first, a->until };

		period_label(&p, s->ar ? "ar" : "fr", &t);
	}
	write_text(s->ws, s->row++, 0, t.data, b->subtitle);
	header = s->row;
	for (int i = 0; i < 8; i++)
		write_text(s->ws, s->row, (lxw_col_t)i, heads[s->ar][i],
			   b->header);
	s->row++;
	for (size_t i = 0; i < a->n; i++) {
		const struct agenda_entry *en = &a->entries[i];
		lxw_datetime dt = { en->day.y, en->day.m, en->day.d, 0, 0, 0 };
		enum tone tone = en->kind == AGENDA_CIVIL ||
						 en->kind == AGENDA_RELIGIOUS
					 ? TONE_GREEN
				 : en->cancelled ? TONE_RED
						 : TONE_NONE;
		lxw_format *ft = fmt_get(b, FC_TEXT, tone, 0);
		struct hijri h;
		enum date_status st;
		const char *lang = s->ar ? "ar" : "fr";

		worksheet_write_datetime(s->ws, s->row, 0, &dt,
					 fmt_get(b, FC_DATE, tone, 0));
		buf_reset(&t);
		clock_format_date(b->e->clock, en->day, lang, &t);
		if (strchr(t.data, ' '))
			buf_truncate(&t, (size_t)(strchr(t.data, ' ') - t.data));
		write_text(s->ws, s->row, 1, t.data, ft);
		buf_reset(&t);
		if (b->e->cal &&
		    calendar_to_hijri(b->e->cal, en->day, &h, &st) == 0)
			hijri_format(h, lang, &t);
		write_text(s->ws, s->row, 2, t.data, ft);
		buf_reset(&t);
		if (en->timed)
			buf_addf(&t, "%02d:%02d", en->hour, en->min);
		write_text(s->ws, s->row, 3, t.data, ft);
		write_text(s->ws, s->row, 4, agenda_kind_label(en->kind, lang),
			   ft);
		buf_reset(&t);
		buf_addstr(&t, s->ar ? en->title_ar : en->title_fr);
		if (en->ref)
			buf_addf(&t, " (%s)", en->ref);
		write_text(s->ws, s->row, 5, t.data, ft);
		write_text(s->ws, s->row, 6,
			   (s->ar ? en->place_ar : en->place_fr)
				   ? (s->ar ? en->place_ar : en->place_fr)
				   : "",
			   ft);
		write_text(s->ws, s->row, 7,
			   (s->ar ? en->org_ar : en->org_fr)
				   ? (s->ar ? en->org_ar : en->org_fr)
				   : "",
			   ft);
		s->row++;
	}
	worksheet_freeze_panes(s->ws, header + 1, 0);
	worksheet_autofilter(s->ws, header, 0,
			     a->n ? s->row - 1 : header, 7);
	buf_release(&t);
}

enum majlis_status
agenda_xlsx(struct engine *e, const struct agenda *a, const char *path,
	    struct buf *err)
{
	struct book b;
	struct sheet sh[2];
	struct buf tmp = BUF_INIT;
	enum majlis_status rc;

	rc = book_open(&b, e, path, "Agenda", "الأجندة", &tmp, err);
	if (rc == MAJLIS_OK)
		rc = sheet_open(&b, &sh[0], "Agenda", 0, err);
	if (rc == MAJLIS_OK)
		rc = sheet_open(&b, &sh[1], "الأجندة", 1, err);
	if (rc == MAJLIS_OK) {
		agenda_sheet(&sh[0], a);
		agenda_sheet(&sh[1], a);
	}
	rc = book_close(&b, path, tmp.data, rc, err);
	buf_release(&tmp);
	return rc;
}

/* ---- Dashboards -------------------------------------------------- */

static const char *
sheet_title(const struct sheet_def *sd, int ar)
{
	if (ar)
		return sd->title_ar ? sd->title_ar : sd->defs[0]->sheet_ar;
	return sd->title_fr ? sd->title_fr : sd->defs[0]->sheet_fr;
}

enum majlis_status
dashboard_write(struct engine *e, const struct dashboard *db,
		const struct report_args *args, const char *path,
		struct report_info *info, struct buf *err)
{
	struct book b;
	struct sheet *sh = NULL;
	struct buf tmp = BUF_INIT;
	struct agenda *ag = NULL;
	enum majlis_status rc;
	int n = db->nsheets;

	memset(info, 0, sizeof(*info));
	for (int i = 0; i < n; i++)
		for (int k = 0; k < db->sheets[i].nreports; k++)
			if (!db->sheets[i].defs[k])
				return error(err, MAJLIS_ERR_CONFIG,
					     "%s: sheet '%s': no report '%s'",
					     db->file, db->sheets[i].name,
					     db->sheets[i].reports[k]);
	rc = book_open(&b, e, path, db->title_fr, db->title_ar, &tmp, err);
	if (rc != MAJLIS_OK)
		goto out;
	sh = xcalloc((size_t)n * 2, sizeof(*sh));
	/* The French sheets, then the Arabic ones, in the same order. */
	for (int l = 0; l < 2 && rc == MAJLIS_OK; l++)
		for (int i = 0; i < n && rc == MAJLIS_OK; i++) {
			const struct sheet_def *sd = &db->sheets[i];

			rc = sheet_open(&b, &sh[2 * i + l],
					sd->agenda ? (l ? sd->title_ar
							: sd->title_fr)
						   : sheet_title(sd, l),
					l, err);
		}
	for (int i = 0; i < n && rc == MAJLIS_OK; i++) {
		const struct sheet_def *sd = &db->sheets[i];
		struct sheet pair[2];

		if (sd->agenda) {
			struct date today = clock_local_date(
				e->clock, clock_now(e->clock));

			if (!ag)
				rc = agenda_collect(e, AGENDA_MONTH, today,
						    args->body, &ag, err);
			if (rc == MAJLIS_OK) {
				agenda_sheet(&sh[2 * i], ag);
				agenda_sheet(&sh[2 * i + 1], ag);
			}
			continue;
		}
		pair[0] = sh[2 * i];
		pair[1] = sh[2 * i + 1];
		rc = write_reports(&b, pair, sd->defs, sd->nreports, args, err);
	}
	info->rows = b.rows;
out:
	rc = book_close(&b, path, tmp.data, rc, err);
	agenda_free(ag);
	free(sh);
	buf_release(&tmp);
	return rc;
}
