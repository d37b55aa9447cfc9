/*
 * cmd-archive.c - majlis archive SUBCOMMAND: the archive of documents.
 *
 *   list [--kind K] [--year Y] [--body CODE] [--meeting ID]
 *        [--dossier REF] [--petition REF]
 *   show REG
 *   get REG [--version N] [--format F] [--lang L] [-o FILE]
 *   diff REG [V1 [V2]] [--lang L]
 *   search [--limit N] WORDS...
 *   verify
 *   add --title-fr T --title-ar T [--kind attachment] [--lang L]
 *       [--meeting ID | --dossier REF | --petition REF] FILE...
 *   add --to REG [--title-fr T] [--title-ar T] FILE...
 *
 * The archive is the instance's archive/ folder and its rows in the
 * store. Every subcommand reads the store, except add, which files
 * outside files (a scanned letter, a signed PDF) as an attachment, with
 * an audit entry in the same transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../archive.h"
#include "../audit.h"
#include "../clock.h"
#include "../flow.h"
#include "../objects.h"
#include "../store.h"
#include "../sys.h"
#include "cli.h"

/* Search results shown unless --limit says otherwise. */
#define SEARCH_LIMIT 50

static const struct option no_options[] = { { NULL, 0, NULL, 0 } };

/* What a search prints. */
struct found {
	struct cli *cli;
	long long left;		/* records still wanted */
};

/* --meeting, --dossier, --petition: an id, or a reference. */
static enum majlis_status
find_object(struct cli *cli, enum object_kind kind, const char *key,
	    int64_t *id)
{
	return object_find(&cli->e, kind, key, id, &cli->err);
}

static enum majlis_status
archive_cmd_list(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "year", required_argument, NULL, 'y' },
		{ "body", required_argument, NULL, 'b' },
		{ "meeting", required_argument, NULL, 'm' },
		{ "dossier", required_argument, NULL, 'd' },
		{ "petition", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"register_no:register", "kind", "body", "versions:v",
		"updated_at:updated", "title_fr", NULL,
	};
	struct archive_filter f;
	struct rec_printer p = { cli, NULL };
	enum majlis_status rc = MAJLIS_OK;
	long long n;
	int c;

	memset(&f, 0, sizeof(f));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			f.kind = optarg;
			break;
		case 'y':
			if (parse_int(optarg, 1000, 9999, &n))
				return cli_usage(cli, "archive",
						 "--year needs a year, not "
						 "'%s'",
						 optarg);
			f.year = (int)n;
			break;
		case 'b':
			f.body = optarg;
			break;
		case 'm':
			rc = find_object(cli, OBJ_MEETING, optarg,
					 &f.meeting_id);
			break;
		case 'd':
			rc = find_object(cli, OBJ_DOSSIER, optarg,
					 &f.dossier_id);
			break;
		case 'p':
			rc = find_object(cli, OBJ_PETITION, optarg,
					 &f.petition_id);
			break;
		default:
			return cli_usage(cli, "archive", "unknown option");
		}
		if (rc != MAJLIS_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage(cli, "archive", "list takes no argument");
	if (!cli->json)
		p.t = table_new(cols);
	rc = archive_list(a, &f, rec_print, &p, &cli->err);
	if (p.t) {
		table_print(p.t, stdout);
		table_free(p.t);
	}
	return rc;
}

static int
print_doc(void *ctx, const struct rec *r)
{
	static const char *const cols[] = {
		"version:v", "format", "lang", "size", "sha", "filename",
		"cause", "created_at:filed", NULL,
	};
	struct rec_printer *p = ctx;
	const struct field *files = rec_get(r, "files");
	struct table *t;

	if (p->cli->json) {
		out_json(r);
		return 0;
	}
	out_fields(r, stdout);
	printf("\nfiles:\n");
	t = table_new(cols);
	for (size_t i = 0; files && i < files->nlist; i++) {
		const struct rec *fr = &files->list[i];
		const char *sha = rec_text(fr, "sha256");
		struct rec row = REC_INIT;
		char shortsha[13];

		snprintf(shortsha, sizeof(shortsha), "%s", sha ? sha : "");
		rec_add_int(&row, "version", rec_int(fr, "version", 0));
		rec_add_text(&row, "format", rec_text(fr, "format"));
		rec_add_text(&row, "lang", rec_text(fr, "lang"));
		rec_add_int(&row, "size", rec_int(fr, "size", 0));
		rec_add_text(&row, "sha", shortsha);
		rec_add_text(&row, "filename", rec_text(fr, "filename"));
		rec_add_text(&row, "cause", rec_text(fr, "cause"));
		rec_add_text(&row, "created_at", rec_text(fr, "created_at"));
		table_add(t, &row);
		rec_release(&row);
	}
	table_print(t, stdout);
	table_free(t);
	return 0;
}

static enum majlis_status
archive_cmd_show(struct cli *cli, struct archive *a, int argc, char **argv)
{
	struct rec_printer p = { cli, NULL };

	if (getopt_long(argc, argv, "", no_options, NULL) != -1)
		return cli_usage(cli, "archive", "unknown option");
	if (argc - optind != 1)
		return cli_usage(cli, "archive", "expected: show REG");
	return archive_show(a, argv[optind], print_doc, &p, &cli->err);
}

/* Formats that a terminal shows as text. */
static int
is_text_format(const char *format)
{
	static const char *const text[] = {
		"txt", "html", "xml", "csv", "json", "md", "ics", "eml", NULL,
	};

	for (int i = 0; text[i]; i++)
		if (!strcmp(format, text[i]))
			return 1;
	return 0;
}

static enum majlis_status
archive_cmd_get(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *lang = NULL, *path = NULL;
	struct archive_fileinfo info;
	struct buf data = BUF_INIT;
	enum majlis_status rc;
	long long n;
	int c, version = 0;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'v') {
			if (parse_int(optarg, 1, INT_MAX, &n))
				return cli_usage(cli, "archive",
						 "--version needs a positive "
						 "number");
			version = (int)n;
		} else if (c == 'f') {
			format = optarg;
		} else if (c == 'l') {
			lang = optarg;
		} else if (c == 'o') {
			path = optarg;
		} else {
			return cli_usage(cli, "archive", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage(cli, "archive", "expected: get REG");
	if (path && access(path, F_OK) == 0)
		return error(&cli->err, MAJLIS_ERR_EXISTS,
			     "refusing to overwrite '%s'", path);
	rc = archive_fetch(a, argv[optind], version, format, lang, &info,
			   &data, &cli->err);
	if (rc != MAJLIS_OK)
		goto out;
	if (path) {
		if (file_write_atomic(path, data.data, data.len) < 0) {
			rc = error(&cli->err, MAJLIS_ERR_IO,
				   "cannot write '%s': %s", path,
				   strerror(errno));
			goto out;
		}
		if (cli->json) {
			struct rec r = REC_INIT;

			rec_add_text(&r, "register_no", argv[optind]);
			rec_add_int(&r, "version", info.version);
			rec_add_text(&r, "format", info.format);
			rec_add_text(&r, "lang", info.lang);
			rec_add_int(&r, "size", info.size);
			rec_add_text(&r, "sha256", info.sha256);
			rec_add_text(&r, "path", path);
			out_json(&r);
			rec_release(&r);
		}
	} else if (!is_text_format(info.format) && isatty(STDOUT_FILENO)) {
		rc = error(&cli->err, MAJLIS_ERR_USAGE,
			   "%s v%d is a %s file: not writing it to a "
			   "terminal (give -o FILE, or redirect the output)",
			   argv[optind], info.version, info.format);
	} else if (fwrite(data.data, 1, data.len, stdout) != data.len ||
		   fflush(stdout) != 0) {
		rc = error(&cli->err, MAJLIS_ERR_IO,
			   "cannot write to the standard output: %s",
			   strerror(errno));
	}
out:
	buf_release(&data);
	return rc;
}

static enum majlis_status
archive_cmd_diff(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = NULL;
	struct buf out = BUF_INIT;
	enum majlis_status rc;
	long long n;
	int c, v[2] = { 0, 0 }, changed = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'l')
			lang = optarg;
		else
			return cli_usage(cli, "archive", "unknown option");
	}
	if (argc - optind < 1 || argc - optind > 3)
		return cli_usage(cli, "archive",
				 "expected: diff REG [V1 [V2]]");
	for (int i = 0; i < argc - optind - 1; i++) {
		const char *s = argv[optind + 1 + i];

		if (parse_int(s[0] == 'v' ? s + 1 : s, 1, INT_MAX, &n))
			return cli_usage(cli, "archive",
					 "'%s' is not a version number", s);
		v[i] = (int)n;
	}
	rc = archive_diff(a, argv[optind], v[0], v[1], lang, &out, &changed,
			  &cli->err);
	if (rc == MAJLIS_OK) {
		if (cli->json) {
			struct rec r = REC_INIT;

			rec_add_text(&r, "register_no", argv[optind]);
			rec_add_int(&r, "changed", changed);
			rec_add_text(&r, "diff", out.data);
			out_json(&r);
			rec_release(&r);
		} else {
			fwrite(out.data, 1, out.len, stdout);
		}
		/* As diff(1): 0 when the same, 1 when they differ. */
		if (changed)
			cli->exit_code = 1;
	}
	buf_release(&out);
	return rc;
}

static int
print_found(void *ctx, const struct rec *r)
{
	struct found *p = ctx;

	if (p->left-- <= 0)
		return 1;
	if (p->cli->json) {
		out_json(r);
		return 0;
	}
	printf("%s  %s  %s\n  %s\n", rec_text(r, "register_no"),
	       rec_text(r, "kind"), rec_text(r, "title_fr"),
	       rec_text(r, "snippet"));
	return 0;
}

static enum majlis_status
archive_cmd_search(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct found p = { cli, SEARCH_LIMIT };
	struct buf query = BUF_INIT;
	enum majlis_status rc;
	long long n;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n' && parse_int(optarg, 1, 100000, &n) == 0)
			p.left = n;
		else if (c == 'n')
			return cli_usage(cli, "archive",
					 "--limit needs a positive number");
		else
			return cli_usage(cli, "archive", "unknown option");
	}
	if (optind == argc)
		return cli_usage(cli, "archive", "expected: search WORDS...");
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			buf_addch(&query, ' ');
		buf_addstr(&query, argv[i]);
	}
	rc = archive_search(a, query.data, print_found, &p, &cli->err);
	buf_release(&query);
	return rc;
}

static enum majlis_status
archive_cmd_verify(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const char *const cols[] = {
		"register_no:register", "version:v", "format", "lang",
		"problem", "path", NULL,
	};
	struct rec_printer p = { cli, NULL };
	enum majlis_status rc;
	int bad = 0;

	if (getopt_long(argc, argv, "", no_options, NULL) != -1)
		return cli_usage(cli, "archive", "unknown option");
	if (optind != argc)
		return cli_usage(cli, "archive", "verify takes no argument");
	if (!cli->json)
		p.t = table_new(cols);
	rc = archive_verify(a, rec_print, &p, &bad, &cli->err);
	if (p.t) {
		if (bad)
			table_print(p.t, stdout);
		else if (rc == MAJLIS_OK)
			printf("archive: every file is present and intact\n");
		table_free(p.t);
	}
	if (rc == MAJLIS_OK && bad)
		rc = error(&cli->err, MAJLIS_ERR_DATA,
			   "%d file%s of the archive %s missing or damaged: "
			   "restore %s from a backup",
			   bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are",
			   bad == 1 ? "it" : "them");
	return rc;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Files the files in one transaction, with its audit entry. */
static enum majlis_status
attach_files(struct cli *cli, struct archive *a, const char *to,
	     const struct archive_entry *e, const struct archive_file *files,
	     size_t n, struct archive_doc *doc, int *version, int *created)
{
	struct audit_entry au;
	struct buf detail = BUF_INIT;
	enum majlis_status rc;

	rc = store_begin(cli->e.store, &cli->err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = archive_attach(a, to, e, files, n, "cli", clock_now(cli->e.clock),
			    doc, version, created, &cli->err);
	if (rc == MAJLIS_OK) {
		buf_addf(&detail, "%s v%d%s", doc->register_no, *version,
			 *created ? "" : " unchanged");
		memset(&au, 0, sizeof(au));
		au.actor = "cli";
		au.object_kind = "document";
		au.object_id = doc->id;
		au.action = "archive";
		au.cause = "majlis archive add";
		au.detail = detail.data;
		rc = audit_write(&cli->e, &au, &cli->err);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(cli->e.store, &cli->err);
	else
		store_rollback(cli->e.store);
	buf_release(&detail);
	return rc;
}

static enum majlis_status
archive_cmd_add(struct cli *cli, struct archive *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "title-fr", required_argument, NULL, 'f' },
		{ "title-ar", required_argument, NULL, 'a' },
		{ "lang", required_argument, NULL, 'l' },
		{ "meeting", required_argument, NULL, 'm' },
		{ "dossier", required_argument, NULL, 'd' },
		{ "petition", required_argument, NULL, 'p' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = NULL, *to = NULL;
	struct archive_entry e;
	struct archive_file *files = NULL;
	struct archive_doc doc;
	struct buf *data = NULL;
	enum majlis_status rc = MAJLIS_OK;
	int c, version = 0, created = 0, about = 0;
	size_t n = 0, i;

	memset(&e, 0, sizeof(e));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (strcmp(optarg, "attachment"))
				return cli_usage(cli, "archive",
						 "only attachments are added "
						 "by hand (--kind attachment); "
						 "majlis files the documents "
						 "it renders itself");
			break;
		case 'f':
			e.title_fr = optarg;
			break;
		case 'a':
			e.title_ar = optarg;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'm':
			about++;
			rc = find_object(cli, OBJ_MEETING, optarg,
					 &e.meeting_id);
			break;
		case 'd':
			about++;
			rc = find_object(cli, OBJ_DOSSIER, optarg,
					 &e.dossier_id);
			break;
		case 'p':
			about++;
			rc = find_object(cli, OBJ_PETITION, optarg,
					 &e.petition_id);
			break;
		case 't':
			to = optarg;
			break;
		default:
			return cli_usage(cli, "archive", "unknown option");
		}
		if (rc != MAJLIS_OK)
			return rc;
	}
	if (about > 1)
		return cli_usage(cli, "archive",
				 "give one of --meeting, --dossier, "
				 "--petition");
	if (optind == argc)
		return cli_usage(cli, "archive", "expected: add FILE...");
	if (!to && (!e.title_fr || !*e.title_fr || !e.title_ar ||
		    !*e.title_ar))
		return cli_usage(cli, "archive",
				 "a new attachment needs --title-fr and "
				 "--title-ar");
	e.year = clock_local_date(cli->e.clock, clock_now(cli->e.clock)).y;
	n = (size_t)(argc - optind);
	files = xcalloc(n, sizeof(*files));
	data = xcalloc(n, sizeof(*data));
	for (i = 0; i < n; i++) {
		const char *path = argv[optind + (int)i];

		buf_init(&data[i]);
		if (file_read(path, ARCHIVE_MAX_FILE, &data[i]) < 0) {
			if (errno == EFBIG)
				rc = error(&cli->err, MAJLIS_ERR_DATA,
					   "'%s' is larger than the archive "
					   "takes (%u MiB)",
					   path, ARCHIVE_MAX_FILE >> 20);
			else
				rc = error(&cli->err, MAJLIS_ERR_NOINPUT,
					   "cannot read '%s': %s", path,
					   strerror(errno));
			n = i + 1;
			goto out;
		}
		files[i].lang = lang;
		files[i].data = data[i].data;
		files[i].len = data[i].len;
		files[i].filename = base_name(path);
	}
	rc = attach_files(cli, a, to, &e, files, n, &doc, &version, &created);
	if (rc != MAJLIS_OK)
		goto out;
	if (cli->json) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "register_no", doc.register_no);
		rec_add_int(&r, "version", version);
		rec_add_int(&r, "created", created);
		rec_add_int(&r, "files", (int64_t)n);
		out_json(&r);
		rec_release(&r);
	} else if (created) {
		printf("%s v%d: filed %zu file%s\n", doc.register_no, version,
		       n, n == 1 ? "" : "s");
	} else {
		printf("%s v%d: the same files, nothing filed\n",
		       doc.register_no, version);
	}
out:
	for (i = 0; data && i < n; i++)
		buf_release(&data[i]);
	free(data);
	free(files);
	return rc;
}

static const struct {
	const char *name;
	enum majlis_status (*fn)(struct cli *, struct archive *, int, char **);
	unsigned flags;
} subcommands[] = {
	{ "list", archive_cmd_list, CMD_STORE_RO },
	{ "show", archive_cmd_show, CMD_STORE_RO },
	{ "get", archive_cmd_get, CMD_STORE_RO },
	{ "diff", archive_cmd_diff, CMD_STORE_RO },
	{ "search", archive_cmd_search, CMD_STORE_RO },
	{ "verify", archive_cmd_verify, CMD_STORE_RO },
	{ "add", archive_cmd_add, CMD_STORE_RW },
};

enum majlis_status
cmd_archive(struct cli *cli, int argc, char **argv)
{
	struct archive *a = NULL;
	struct buf dir = BUF_INIT;
	enum majlis_status rc;
	size_t i, n = sizeof(subcommands) / sizeof(subcommands[0]);

	if (argc < 2)
		return cli_usage(cli, "archive",
				 "expected list, show, get, diff, search, "
				 "verify or add");
	for (i = 0; i < n && strcmp(subcommands[i].name, argv[1]); i++)
		;
	if (i == n)
		return cli_usage(cli, "archive", "no subcommand '%s'",
				 argv[1]);
	rc = cli_open(cli, subcommands[i].flags);
	if (rc != MAJLIS_OK)
		return rc;
	cli_path(cli, &dir, "archive");
	rc = archive_open(cli->e.store, dir.data, &a, &cli->err);
	buf_release(&dir);
	if (rc != MAJLIS_OK)
		return rc;
	/* The subcommand sees argv from its own name on. */
	optind = 1;
	rc = subcommands[i].fn(cli, a, argc - 1, argv + 1);
	archive_close(a);
	return rc;
}
