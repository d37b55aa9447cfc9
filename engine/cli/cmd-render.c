/*
 * cmd-render.c - majlis render KIND ID [--lang L] [--format F] [-o FILE]
 * [--preview] [--data] [--force]: issue a document and file it in the
 * archive; or preview it, or show the data its template sees.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../archive.h"
#include "../document.h"
#include "../sys.h"
#include "cli.h"

static enum majlis_status
list_kinds(struct cli *cli)
{
	size_t n;
	const struct docdata_kind *k = docdata_kinds(&n);

	for (size_t i = 0; i < n; i++) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "kind", k[i].name);
		rec_add_text(&r, "about", k[i].subject);
		rec_add_text(&r, "register", k[i].prefix);
		rec_add_text(&r, "template", k[i].tmpl);
		rec_add_text(&r, "title_fr", k[i].title_fr);
		rec_add_text(&r, "title_ar", k[i].title_ar);
		if (cli->json)
			out_json(&r);
		else
			printf("%-16s %-9s %-5s %s / %s\n", k[i].name,
			       k[i].subject, k[i].prefix, k[i].title_fr,
			       k[i].title_ar);
		rec_release(&r);
	}
	return MAJLIS_OK;
}

/* Writes data to path ("-": stdout), refusing binary to a terminal. */
static enum majlis_status
write_out(struct cli *cli, const char *path, const struct buf *data,
	  int binary)
{
	if (!strcmp(path, "-")) {
		if (binary && isatty(STDOUT_FILENO))
			return cli_usage(cli, "render",
					 "not writing a binary file to a "
					 "terminal: use -o FILE");
		if (fwrite(data->data, 1, data->len, stdout) != data->len)
			return error(&cli->err, MAJLIS_ERR_IO,
				     "cannot write to stdout");
		return MAJLIS_OK;
	}
	if (file_write_atomic(path, data->data, data->len) < 0)
		return error(&cli->err, MAJLIS_ERR_IO,
			     "cannot write '%s'", path);
	return MAJLIS_OK;
}

enum majlis_status
cmd_render(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "preview", no_argument, NULL, 'p' },
		{ "data", no_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'F' },
		{ "kinds", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = "both", *output = NULL, *kind;
	enum render_format format = FORMAT_PDF;
	enum doc_mode mode = MODE_BOTH;
	int preview = 0, data = 0, force = 0, c;
	const struct docdata_kind *k;
	struct buf out = BUF_INIT;
	int64_t id;
	enum majlis_status rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (doc_mode_parse(optarg, &mode) < 0)
				return cli_usage(cli, "render",
						 "--lang is fr, ar or both");
			lang = optarg;
			break;
		case 'f':
			if (render_format_parse(optarg, &format) < 0)
				return cli_usage(cli, "render",
						 "--format is pdf, docx, html "
						 "or txt");
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			preview = 1;
			break;
		case 'd':
			data = 1;
			break;
		case 'F':
			force = 1;
			break;
		case 'k':
			return list_kinds(cli);
		default:
			return cli_usage(cli, "render", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage(cli, "render", "needs KIND and ID");
	kind = argv[optind];
	k = docdata_kind(kind);
	if (!k)
		return cli_usage(cli, "render",
				 "unknown kind '%s' (majlis render --kinds)",
				 kind);
	if (preview + data > 1)
		return cli_usage(cli, "render",
				 "--preview and --data do not go together");
	rc = docdata_resolve(&cli->e, k, argv[optind + 1], &id, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	if (data) {
		rc = documents_data(&cli->e, kind, id, &out, &cli->err);
		if (rc == MAJLIS_OK)
			rc = write_out(cli, output ? output : "-", &out, 0);
	} else if (preview) {
		rc = documents_preview(&cli->e, kind, id, mode, format, &out,
				       &cli->err);
		if (rc == MAJLIS_OK)
			rc = write_out(cli, output ? output : "-", &out,
				       format == FORMAT_PDF ||
					       format == FORMAT_DOCX);
	} else {
		struct document_issued is;

		rc = documents_issue(&cli->e, kind, id, force, "cli", &is,
				     &cli->err);
		if (rc == MAJLIS_OK) {
			struct rec r = REC_INIT;

			rec_add_text(&r, "register_no", is.register_no);
			rec_add_int(&r, "version", is.version);
			rec_add_text(&r, "filed", is.created ? "yes" : "no");
			rec_add_int(&r, "pages", is.pages);
			if (cli->json)
				out_json(&r);
			else
				printf("%s v%d: %s (%d page%s)\n",
				       is.register_no, is.version,
				       is.is_new      ? "new document"
				       : is.created ? "new version"
						    : "unchanged, not filed",
				       is.pages, is.pages == 1 ? "" : "s");
			rec_release(&r);
		}
		if (rc == MAJLIS_OK && output) {
			struct archive *a = documents_archive(&cli->e,
							      &cli->err);

			if (format != FORMAT_PDF && format != FORMAT_DOCX &&
			    format != FORMAT_TEXT)
				rc = cli_usage(cli, "render",
					       "the archive keeps pdf, docx "
					       "and txt; --preview renders "
					       "html");
			else if (format == FORMAT_TEXT && mode == MODE_BOTH)
				rc = cli_usage(cli, "render",
					       "text is kept per language: "
					       "--lang fr or ar");
			else if (!a)
				rc = MAJLIS_ERR_IO;
			else
				rc = archive_get(a, is.register_no, is.version,
						 render_format_name(format),
						 lang, &out, &cli->err);
			if (rc == MAJLIS_OK)
				rc = write_out(cli, output, &out,
					       format != FORMAT_TEXT);
		}
	}
	buf_release(&out);
	return rc;
}
