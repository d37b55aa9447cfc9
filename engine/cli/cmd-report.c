/*
 * cmd-report.c - majlis report: runs a report or a dashboard of
 * reports/ and writes it as a workbook, a PDF état or a CSV file; with
 * --list, the definitions; with --json, the rows.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../doc.h"
#include "../report.h"
#include "cli.h"

static int
print_def(void *ctx, const struct rec *r)
{
	struct cli *cli = ctx;

	if (cli->json)
		out_json(r);
	else
		printf("%-10s %-22s %-28s %s\n", rec_text(r, "kind"),
		       rec_text(r, "name"), rec_text(r, "params"),
		       rec_text(r, "fr"));
	return 0;
}

static int
print_row(void *ctx, const struct rec *r)
{
	(void)ctx;
	out_json(r);
	return 0;
}

static const char *const extensions[] = { "xlsx", "pdf", "csv" };

enum majlis_status
cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "body", required_argument, NULL, 'b' },
		{ "org", required_argument, NULL, 'g' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'L' },
		{ "data", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *period = NULL, *body = NULL, *org = NULL, *output = NULL;
	const char *lang = NULL, *name;
	enum report_format format = REPORT_XLSX;
	enum doc_mode mode;
	int list = 0, c, format_given = 0, data = 0;
	const struct report_def *def;
	const struct dashboard *db;
	struct report_args args;
	struct report_info info;
	struct buf path = BUF_INIT;
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			period = optarg;
			break;
		case 'b':
			body = optarg;
			break;
		case 'g':
			org = optarg;
			break;
		case 'f':
			if (report_format_parse(optarg, &format) < 0)
				return cli_usage(cli, "report",
						 "--format is xlsx, pdf or csv");
			format_given = 1;
			break;
		case 'l':
			if (doc_mode_parse(optarg, &mode) < 0)
				return cli_usage(cli, "report",
						 "--lang is fr, ar or both");
			lang = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'L':
			list = 1;
			break;
		case 'D':
			data = 1;
			break;
		default:
			return cli_usage(cli, "report", "unknown option");
		}
	}
	if (list) {
		if (argc != optind)
			return cli_usage(cli, "report",
					 "--list takes no report");
		reportset_describe(cli->e.reports, print_def, cli);
		return MAJLIS_OK;
	}
	if (argc - optind != 1)
		return cli_usage(cli, "report",
				 "give one report (majlis report --list)");
	name = argv[optind];
	/* The extension of -o says the format, unless --format does. */
	if (output && !format_given) {
		const char *dot = strrchr(output, '.');

		if (dot && report_format_parse(dot + 1, &format) < 0)
			return cli_usage(cli, "report",
					 "cannot tell the format of '%s': give "
					 "--format",
					 output);
	}
	def = reportset_report(cli->e.reports, name);
	db = def ? NULL : reportset_dashboard(cli->e.reports, name);
	if (!def && !db)
		return error(&cli->err, MAJLIS_ERR_NOTFOUND,
			     "no report '%s' (majlis report --list)", name);
	if (db && format != REPORT_XLSX)
		return cli_usage(cli, "report",
				 "a dashboard is a workbook (xlsx)");
	if (lang && format == REPORT_XLSX)
		return cli_usage(cli, "report",
				 "a workbook holds both languages: --lang is "
				 "for pdf and csv");
	if (lang && format == REPORT_CSV && !strcmp(lang, "both"))
		return cli_usage(cli, "report",
				 "a CSV file is in one language: fr or ar");
	rc = report_args_make(&cli->e, def, period, body, org, &args,
			      &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	if (data) {
		json_t *j;
		long rows;

		if (!def)
			return cli_usage(cli, "report",
					 "--data is a report's, not a "
					 "dashboard's");
		rc = report_pdf_data(&cli->e, def, &args, &j, &rows, &cli->err);
		if (rc != MAJLIS_OK)
			return rc;
		out_json_data(j);
		json_decref(j);
		return MAJLIS_OK;
	}
	if (cli->json && def && !output) {
		rc = report_each(&cli->e, def, &args, print_row, NULL,
				 &cli->err);
		return rc;
	}
	if (output) {
		buf_addstr(&path, output);
	} else {
		struct buf file = BUF_INIT;

		buf_addf(&file, "%s.%s", db ? dashboard_file(db) : name,
			 extensions[format]);
		rc = cli_out_path(cli, file.data, &path);
		buf_release(&file);
		if (rc != MAJLIS_OK) {
			buf_release(&path);
			return rc;
		}
	}
	if (db)
		rc = dashboard_write(&cli->e, db, &args, path.data, &info,
				     &cli->err);
	else
		rc = report_write(&cli->e, def, &args, format,
				  lang ? lang : format == REPORT_CSV ? "fr"
								     : "both",
				  path.data, &info, &cli->err);
	if (rc == MAJLIS_OK) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "report", name);
		rec_add_text(&r, "format", extensions[format]);
		rec_add_text(&r, "path", path.data);
		rec_add_int(&r, "rows", info.rows);
		if (info.pages)
			rec_add_int(&r, "pages", info.pages);
		if (cli->json)
			out_json(&r);
		else if (info.pages)
			printf("%s: %ld rows, %d pages\n", path.data, info.rows,
			       info.pages);
		else
			printf("%s: %ld rows\n", path.data, info.rows);
		rec_release(&r);
	}
	buf_release(&path);
	return rc;
}
