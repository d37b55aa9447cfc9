/*
 * report.h - reports as data: the definitions of reports/ (NAME.report,
 * and the dashboards, NAME.dashboard), run over the store, read-only,
 * and written as a workbook (libxlsxwriter), a CSV file or a PDF état.
 *
 * A report names its query (one SELECT, store_query()), its columns with
 * French and Arabic titles, types, widths and totals, its sort, an
 * optional grouping with subtotals, the query column whose value colours
 * a row (late in red, due soon in amber, done in green) and its charts.
 * A dashboard lists sheets, each holding one or more reports, and
 * optionally the agenda of the month. reports/README.md describes both
 * formats. Definitions come from the shipped folder, each replaced by a
 * file of the same name in the instance's own reports/ folder.
 *
 * Parameters a query may use (the definition says which of the first
 * three it takes, `params = period body organization`):
 *   :from, :until            the period, as UTC times (until excluded)
 *   :from_date, :until_date  the same as local dates, YYYY-MM-DD
 *   :body                    a body's code (CASA, ANFA...), or NULL: all
 *   :org                     an organization's code, or NULL: all
 *   :now, :soon              now, and now + 7 days (UTC)
 *   :today                   the local date of now
 */
#ifndef MAJLIS_REPORT_H
#define MAJLIS_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "clock.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

struct store;
struct reportset;
struct report_def;
struct dashboard;

/* ---- Definitions ------------------------------------------------- */

/*
 * Loads the definitions of dir (the shipped folder), then of own_dir
 * (the instance's, or NULL), a file of own_dir replacing the shipped
 * one of the same name. Every problem is reported as "file:line:
 * reason", one a line, and nothing is returned (MAJLIS_ERR_CONFIG).
 * The caller frees the set with reportset_free().
 */
enum majlis_status reportset_load(const char *dir, const char *own_dir,
				  struct reportset **out, struct buf *err);
/* Parses one definition (len bytes named name, "x.report" or
 * "x.dashboard") into set: for tests and the fuzz target. */
enum majlis_status reportset_add(struct reportset *set, const char *name,
				 const char *data, size_t len,
				 struct buf *err);
enum majlis_status reportset_new(struct reportset **out);
void reportset_free(struct reportset *set);

/*
 * Checks what only a database can tell: each query prepares against
 * st (an empty store of the current schema will do) as a read-only
 * SELECT, uses only known parameters and those the report declares,
 * and returns every field the columns, sort, group, colour and charts
 * name; each dashboard names reports that exist. Problems are reported
 * as "file:line: reason".
 */
enum majlis_status reportset_check(struct reportset *set, struct store *st,
				   struct buf *err);

/* The report or dashboard of that name, or NULL. */
const struct report_def *reportset_report(const struct reportset *set,
					  const char *name);
const struct dashboard *reportset_dashboard(const struct reportset *set,
					    const char *name);

/* Each definition in name order, as records {kind, name, file, fr, ar,
 * params}: for majlis report --list. */
void reportset_describe(const struct reportset *set, rec_cb cb, void *ctx);

/* ---- Parameters -------------------------------------------------- */

enum report_params {
	REPORT_PERIOD = 1 << 0,
	REPORT_BODY = 1 << 1,
	REPORT_ORG = 1 << 2,
};

/* A span of local days; from.y == 0: no limit (all). */
struct period {
	struct date from;	/* first day */
	struct date until;	/* the day after the last */
};

/*
 * Parses a period as people write it, relative to today where it
 * must: "all", "day", "week", "month", "year" (the current one),
 * "2026", "2026-12", "2026-W49" (ISO week), "2026-12-03", or
 * "2026-01-01..2026-06-30" (both days included). Returns 0 or -1.
 */
int period_parse(const char *s, struct date today, struct period *out);
/* "du 01/12/2026 au 31/12/2026" or "من 01/12/2026 إلى 31/12/2026";
 * "toutes périodes" / "كل الفترات" for all. */
void period_label(const struct period *p, const char *lang, struct buf *out);

struct report_args {
	struct period period;	/* used if the report takes a period */
	const char *body;	/* a body's code, or NULL */
	const char *org;	/* an organization's code, or NULL */
	uint64_t max_work;	/* a query's bound, in thousands of SQLite
				 * steps; 0: the default (a runaway query
				 * stops after about half a minute) */
};

/*
 * Fills args from what a person typed (any may be NULL): the period
 * (default: the report's own, else "all"), a body's and an
 * organization's code, checked against the store. MAJLIS_ERR_USAGE
 * for a parameter the report does not take or a bad period,
 * MAJLIS_ERR_NOTFOUND for an unknown code.
 */
enum majlis_status report_args_make(struct engine *e,
				    const struct report_def *def,
				    const char *period, const char *body,
				    const char *org, struct report_args *out,
				    struct buf *err);

/* ---- Output ------------------------------------------------------ */

enum report_format {
	REPORT_XLSX,
	REPORT_PDF,
	REPORT_CSV,
};

/* Parses "xlsx", "pdf", "csv". Returns 0 or -1. */
int report_format_parse(const char *s, enum report_format *out);

struct report_info {
	long rows;		/* data rows written */
	int pages;		/* PDF pages, or 0 */
};

/*
 * Runs report def with args and writes it, whole or not at all, to
 * path: a workbook of two sheets (French, then Arabic right to left), a
 * CSV file (UTF-8 with a byte-order mark, ';' between fields as
 * French-locale Excel reads them, lang's titles and labels), or a PDF
 * état (lang "fr", "ar" or "both"; e->docs needed). Text from the data
 * is always written as text: never a formula, in a CSV file neither
 * (a field starting with = + - @ gets a leading apostrophe).
 */
enum majlis_status report_write(struct engine *e, const struct report_def *def,
				const struct report_args *args,
				enum report_format f, const char *lang,
				const char *path, struct report_info *info,
				struct buf *err);

/*
 * The data templates/etat.xml sees for def run with args (what the PDF
 * is rendered from), for majlis report --data: *out, which the caller
 * json_decref()s; *rows the data rows.
 */
enum majlis_status report_pdf_data(struct engine *e,
				   const struct report_def *def,
				   const struct report_args *args,
				   json_t **out, long *rows, struct buf *err);

/*
 * Runs def with args and hands each data row to cb as a record of the
 * columns' French values (by column name), then one {"total": ...}
 * record if the report has totals: majlis report --json.
 */
enum majlis_status report_each(struct engine *e, const struct report_def *def,
			       const struct report_args *args, rec_cb cb,
			       void *ctx, struct buf *err);

/*
 * Writes dashboard db as a workbook at path, whole or not at all: its
 * sheets in French, then in Arabic (right to left), every report run
 * with args (each taking what it declares), charts included, in
 * constant-memory mode so that a sheet of any length stays small.
 */
enum majlis_status dashboard_write(struct engine *e, const struct dashboard *db,
				   const struct report_args *args,
				   const char *path, struct report_info *info,
				   struct buf *err);

/* A dashboard's name and file name ("tableau-de-bord"). */
const char *dashboard_name(const struct dashboard *db);
const char *dashboard_file(const struct dashboard *db);
/* A report's name and titles. */
const char *report_name(const struct report_def *def);
const char *report_title(const struct report_def *def, const char *lang);
unsigned report_takes(const struct report_def *def);

#endif
