/*
 * report-priv.h - what the files of the report module share: the
 * definitions as loaded (report.c), the runner that turns a definition
 * into rows (report.c), and the writers that draw rows (report-xlsx.c,
 * report-csv.c, report-pdf.c).
 */
#ifndef MAJLIS_REPORT_PRIV_H
#define MAJLIS_REPORT_PRIV_H

#include "report.h"

#define REPORT_FORMAT 1		/* the only definition format read */
#define REPORT_MAX_COLUMNS 32
#define REPORT_MAX_CHARTS 4
#define REPORT_MAX_SERIES 6
#define REPORT_MAX_SORT 4
#define REPORT_MAX_LABELS 32
#define DASHBOARD_MAX_SHEETS 24
#define SHEET_MAX_REPORTS 8
#define SHEET_NAME_MAX 31	/* Excel's limit, in characters */
#define CELL_TEXT_MAX 32767	/* Excel's limit for one cell, in bytes here */
/* The most work one report's query may do, in thousands of SQLite
 * steps: the heaviest shipped report over a generated year of the
 * Commune (bench/report.sh) takes about 5 million steps; a query 400
 * times past that loops, and must not hold the tick (it stops after
 * half a minute or so). */
#define REPORT_MAX_WORK 2000000ull

enum column_type {
	COL_TEXT,
	COL_INTEGER,
	COL_NUMBER,		/* two decimals */
	COL_PERCENT,		/* a fraction, shown as 12.5 % */
	COL_DATE,		/* local day, from YYYY-MM-DD or a UTC time */
	COL_DATETIME,		/* local day and time, from a UTC time */
	COL_STATE,		/* a mailflow state, shown by its label */
	COL_LABEL,		/* a code, shown by the column's labels */
	COL_YESNO,		/* 0/1, shown as oui/non, نعم/لا */
};

enum column_total {
	TOTAL_NONE,
	TOTAL_SUM,
	TOTAL_COUNT,
	TOTAL_AVERAGE,
	TOTAL_MIN,
	TOTAL_MAX,
};

enum tone {
	TONE_NONE,
	TONE_RED,		/* late */
	TONE_AMBER,		/* due soon */
	TONE_GREEN,		/* done */
	TONE__COUNT,
};

enum chart_kind {
	CHART_BAR,		/* horizontal bars */
	CHART_COLUMN,		/* vertical bars */
	CHART_LINE,
	CHART_PIE,
};

struct report_label {
	char *code;		/* the value in the store */
	char *fr, *ar;		/* what people read */
};

struct report_column {
	char *name;		/* the section's name */
	char *field_fr;		/* the query column shown in French */
	char *field_ar;		/* and in Arabic (default: the same) */
	int idx_fr, idx_ar;	/* their indexes, once the query is prepared */
	char *title_fr, *title_ar;
	enum column_type type;
	char *flow;		/* COL_STATE: the object kind of the flow */
	struct report_label labels[REPORT_MAX_LABELS]; /* COL_LABEL */
	int nlabels;
	double width;		/* in characters; 0: from the type */
	enum column_total total;
	int line;		/* where the section starts */
};

struct report_chart {
	char *name;
	enum chart_kind kind;
	char *title_fr, *title_ar;
	int category;		/* index of the column of the categories */
	int series[REPORT_MAX_SERIES]; /* indexes of the value columns */
	int nseries;
	char *category_name;	/* as written, resolved by the check */
	char *series_names[REPORT_MAX_SERIES];
	int line;
};

struct sort_key {
	char *field;		/* a query column */
	int desc;
	int line;
};

struct report_def {
	char *name;		/* the file name without .report */
	char *file;		/* the file, for messages */
	char *title_fr, *title_ar;
	char *sheet_fr, *sheet_ar; /* its sheets' names */
	struct buf query;	/* the query lines, joined */
	int query_line;
	unsigned takes;		/* enum report_params */
	char *period;		/* the default period, or NULL: all */
	struct sort_key sort[REPORT_MAX_SORT];
	int nsort;
	int group;		/* index of the grouping column, or -1 */
	char *group_name;
	int group_line;
	char *colour_field;	/* the query column whose value picks a tone */
	int colour_idx;
	int colour_line;
	char *tones[TONE__COUNT]; /* the values of each tone, space-separated */
	struct report_column cols[REPORT_MAX_COLUMNS];
	int ncols;
	struct report_chart charts[REPORT_MAX_CHARTS];
	int ncharts;
	int has_totals;
};

struct sheet_def {
	char *name;
	char *title_fr, *title_ar; /* NULL: the first report's sheet names */
	char *reports[SHEET_MAX_REPORTS];
	int nreports;
	const struct report_def *defs[SHEET_MAX_REPORTS]; /* resolved */
	int agenda;		/* the month's agenda instead of reports */
	int line;
};

struct dashboard {
	char *name;
	char *file;		/* the definition's file, for messages */
	char *out;		/* the workbook's file name, without .xlsx */
	char *title_fr, *title_ar;
	struct sheet_def sheets[DASHBOARD_MAX_SHEETS];
	int nsheets;
};

struct reportset {
	struct report_def **defs;
	size_t ndefs, capdefs;
	struct dashboard **dbs;
	size_t ndbs, capdbs;
};

/* ---- Rows -------------------------------------------------------- */

enum value_kind {
	RV_NONE,		/* NULL */
	RV_NUM,
	RV_STR,
	RV_DAY,		/* a local date */
	RV_TIME,		/* a local date and time */
};

struct report_value {
	enum value_kind kind;
	double num;		/* RV_NUM */
	int integer;		/* RV_NUM holds an integer */
	const char *fr, *ar;	/* RV_STR: the text in each language */
	struct date day;	/* RV_DAY, RV_TIME */
	int hour, min;		/* RV_TIME */
};

enum row_kind {
	ROW_DATA,
	ROW_SUBTOTAL,		/* after each group */
	ROW_TOTAL,		/* after everything */
};

struct report_row {
	enum row_kind kind;
	enum tone tone;
	const struct report_value *v;	/* one per column of the definition */
	const char *group_fr;	/* ROW_SUBTOTAL: the group's label */
	const char *group_ar;
};

/* Receives each row of a run. */
typedef enum majlis_status (*row_cb)(void *ctx, const struct report_row *r,
				     struct buf *err);

/* Runs def with args, handing each row to cb. */
enum majlis_status report_run(struct engine *e, const struct report_def *def,
			      const struct report_args *args, row_cb cb,
			      void *ctx, struct buf *err);

/* How many rows a run of def with args will write above its total: its
 * data rows, and a subtotal a group if it has totals. */
enum majlis_status report_count(struct engine *e, const struct report_def *def,
				const struct report_args *args, long *rows,
				struct buf *err);

/* The text of a value as a person reads it in lang (numbers with the
 * column's decimals, days as 03/12/2026): CSV, PDF, JSON. */
void value_text(const struct report_column *c, const struct report_value *v,
		const char *lang, struct buf *out);

/* The French and Arabic subtitles of a run: period, body, organization,
 * and the day it was made. */
void report_subtitle(struct engine *e, const struct report_def *def,
		     const struct report_args *args, const char *lang,
		     struct buf *out);

/* The writers. */
enum majlis_status report_write_xlsx(struct engine *e,
				     const struct report_def *def,
				     const struct report_args *args,
				     const char *path,
				     struct report_info *info,
				     struct buf *err);
enum majlis_status report_write_csv(struct engine *e,
				    const struct report_def *def,
				    const struct report_args *args,
				    const char *lang, struct buf *out,
				    struct report_info *info,
				    struct buf *err);
enum majlis_status report_write_pdf(struct engine *e,
				    const struct report_def *def,
				    const struct report_args *args,
				    const char *lang, struct buf *out,
				    struct report_info *info,
				    struct buf *err);

#endif
