/*
 * cmd-agenda.c - majlis agenda day|week|month [DATE]: the view as a
 * PDF, a workbook or an iCalendar feed; with --json, its entries.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../agenda.h"
#include "../doc.h"
#include "../sys.h"
#include "cli.h"

enum agenda_format {
	AG_PDF,
	AG_XLSX,
	AG_ICS,
};

static const char *const ag_ext[] = { "pdf", "xlsx", "ics" };

static int
ag_format_parse(const char *s, enum agenda_format *out)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, ag_ext[i])) {
			*out = (enum agenda_format)i;
			return 0;
		}
	return -1;
}

static void
print_entries(const struct agenda *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct agenda_entry *en = &a->entries[i];
		struct rec r = REC_INIT;
		char day[DATE_LEN], tm[8];

		date_format(en->day, day);
		rec_add_text(&r, "day", day);
		if (en->timed) {
			snprintf(tm, sizeof(tm), "%02d:%02d", en->hour, en->min);
			rec_add_text(&r, "time", tm);
		}
		rec_add_text(&r, "kind", agenda_kind_label(en->kind, "fr"));
		rec_add_text(&r, "title_fr", en->title_fr);
		rec_add_text(&r, "title_ar", en->title_ar);
		if (en->id)
			rec_add_int(&r, "id", en->id);
		if (en->ref)
			rec_add_text(&r, "ref", en->ref);
		if (en->cancelled)
			rec_add_int(&r, "cancelled", 1);
		if (en->provisional)
			rec_add_int(&r, "provisional", 1);
		out_json(&r);
		rec_release(&r);
	}
}

enum majlis_status
cmd_agenda(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "for", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "data", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scope = NULL, *lang = "both", *output = NULL;
	enum agenda_format format = AG_PDF;
	enum agenda_view view;
	enum doc_mode mode;
	struct date d;
	struct agenda *a = NULL;
	struct buf path = BUF_INIT, out = BUF_INIT;
	int c, format_given = 0, pages = 0, data = 0;
	char day[DATE_LEN];
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			scope = optarg;
			break;
		case 'f':
			if (ag_format_parse(optarg, &format) < 0)
				return cli_usage(cli, "agenda",
						 "--format is pdf, xlsx or ics");
			format_given = 1;
			break;
		case 'l':
			if (doc_mode_parse(optarg, &mode) < 0)
				return cli_usage(cli, "agenda",
						 "--lang is fr, ar or both");
			lang = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'D':
			data = 1;
			break;
		default:
			return cli_usage(cli, "agenda", "unknown option");
		}
	}
	if (argc - optind < 1 || argc - optind > 2 ||
	    agenda_view_parse(argv[optind], &view) < 0)
		return cli_usage(cli, "agenda",
				 "give day, week or month, and a date");
	if (argc - optind == 2) {
		const char *arg = argv[optind + 1];
		char first[DATE_LEN];

		/* A month may be named by itself: 2027-02. */
		if (strlen(arg) == 7) {
			snprintf(first, sizeof(first), "%s-01", arg);
			arg = first;
		}
		if (date_parse(arg, &d) < 0)
			return cli_usage(cli, "agenda",
					 "'%s' is not a date (YYYY-MM-DD, or "
					 "YYYY-MM)",
					 argv[optind + 1]);
	} else {
		d = clock_local_date(cli->e.clock, clock_now(cli->e.clock));
	}
	if (output && !format_given) {
		const char *dot = strrchr(output, '.');

		if (dot && ag_format_parse(dot + 1, &format) < 0)
			return cli_usage(cli, "agenda",
					 "cannot tell the format of '%s': give "
					 "--format",
					 output);
	}
	rc = agenda_collect(&cli->e, view, d, scope, &a, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	if (data) {
		json_t *j = agenda_data(&cli->e, a);

		out_json_data(j);
		json_decref(j);
		agenda_free(a);
		return MAJLIS_OK;
	}
	if (cli->json && !output) {
		print_entries(a);
		agenda_free(a);
		return MAJLIS_OK;
	}
	if (output) {
		buf_addstr(&path, output);
	} else {
		struct buf name = BUF_INIT;

		date_format(a->first, day);
		if (view == AGENDA_MONTH)
			day[7] = '\0';	/* agenda-month-2027-02 */
		buf_addf(&name, "agenda-%s-%s.%s", agenda_view_name(view), day,
			 ag_ext[format]);
		rc = cli_out_path(cli, name.data, &path);
		buf_release(&name);
		if (rc != MAJLIS_OK)
			goto done;
	}
	switch (format) {
	case AG_PDF:
		rc = agenda_pdf(&cli->e, a, lang, &out, &pages, &cli->err);
		break;
	case AG_ICS:
		rc = agenda_ics(&cli->e, a, clock_zone(cli->e.clock),
				cli->cfg.domain, cli->cfg.mail_from,
				cli->cfg.mail_name_fr, &out, &cli->err);
		break;
	case AG_XLSX:
		rc = agenda_xlsx(&cli->e, a, path.data, &cli->err);
		break;
	}
	if (rc == MAJLIS_OK && format != AG_XLSX &&
	    file_write_atomic(path.data, out.data, out.len) < 0)
		rc = error(&cli->err, MAJLIS_ERR_IO, "cannot write '%s'",
			   path.data);
	if (rc == MAJLIS_OK) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "view", agenda_view_name(view));
		rec_add_text(&r, "format", ag_ext[format]);
		rec_add_text(&r, "path", path.data);
		rec_add_int(&r, "entries", (int64_t)a->n);
		if (pages)
			rec_add_int(&r, "pages", pages);
		if (cli->json)
			out_json(&r);
		else
			printf("%s: %zu entries\n", path.data, a->n);
		rec_release(&r);
	}
done:
	agenda_free(a);
	buf_release(&path);
	buf_release(&out);
	return rc;
}
