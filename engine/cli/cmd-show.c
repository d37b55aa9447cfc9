/*
 * cmd-show.c - majlis show [WHAT [KEY]] [--state S] [--body CODE]
 * [--late]: the model as text tables or JSON lines.
 */
#include <getopt.h>
#include <string.h>

#include "../model.h"
#include "cli.h"

/* The columns shown as text for each list; JSON shows every field. */
static const struct {
	const char *what;
	const char *cols[10];
} text_cols[] = {
	{ "bodies", { "code", "kind", "name_fr", "name_ar", "parent" } },
	{ "organizations",
	  { "code", "kind", "body", "members", "name_fr", "name_ar" } },
	{ "persons",
	  { "code", "kind", "name_fr", "name_ar", "lang", "email" } },
	{ "sessions",
	  { "id", "kind", "opens_on", "meetings", "title_fr", "title_ar" } },
	{ "meetings",
	  { "id", "organization", "starts_local:starts", "state", "items",
	    "invited", "accepted", "title_fr" } },
	{ "invitations",
	  { "id", "person", "name_fr", "state", "attendance",
	    "answered_local:answered", "email" } },
	{ "dossiers",
	  { "ref", "kind", "state", "owner", "due_local:due", "late",
	    "title_fr" } },
	{ "decisions",
	  { "number", "adopted", "votes_for:for", "votes_against:against",
	    "votes_abstain:abst.", "visa_state:visa", "title_fr" } },
	{ "petitions",
	  { "ref", "kind", "state", "signatures",
	    "received_local:received", "title_fr" } },
	{ "tasks",
	  { "id", "assignee", "due_local:due", "state", "late",
	    "title_fr" } },
	{ "contacts",
	  { "id", "name", "email", "gender", "meeting", "state",
	    "proposed_by", "person" } },
	{ "inmail",
	  { "id", "received_local:received", "kind", "state", "sender",
	    "object", "object_id:id", "reason" } },
	{ "notifications",
	  { "id", "person", "message", "channel", "colour",
	    "created_local:created", "subject_fr" } },
	{ "events",
	  { "id", "object", "object_id:id", "event", "source", "actor",
	    "outcome", "reason" } },
	{ "jobs",
	  { "id", "job", "object", "object_id:id", "arg1", "arg2", "state",
	    "attempts" } },
};

struct printer {
	struct cli *cli;
	const char *what;
	struct table *t;
};

static const char *const *
cols_for(const char *what)
{
	for (size_t i = 0; i < sizeof(text_cols) / sizeof(text_cols[0]); i++)
		if (!strcmp(text_cols[i].what, what))
			return text_cols[i].cols;
	return NULL;
}

static void
print_list(const struct field *l, const char *const *cols)
{
	struct table *t = table_new(cols);

	for (size_t i = 0; i < l->nlist; i++)
		table_add(t, &l->list[i]);
	table_print(t, stdout);
	table_free(t);
}

static int
print_rec(void *ctx, const struct rec *r)
{
	struct printer *p = ctx;

	if (p->cli->json) {
		out_json(r);
		return 0;
	}
	if (p->t) {
		table_add(p->t, r);
		return 0;
	}
	if (!strcmp(p->what, "orgchart")) {
		static const char *const cols[] = {
			"person", "title_fr", "name_fr", "title_ar", "name_ar",
			NULL,
		};
		const struct field *m = rec_get(r, "members");

		printf("%s  %s\n%s\n", rec_text(r, "code"),
		       rec_text(r, "name_fr"), rec_text(r, "name_ar"));
		if (m && m->nlist)
			print_list(m, cols);
		else
			printf("(no members)\n");
		printf("\n");
		return 0;
	}
	out_fields(r, stdout);
	if (!strcmp(p->what, "meeting")) {
		static const char *const cols[] = {
			"number:n°", "state", "rapporteur", "votes_for:for",
			"votes_against:against", "decision", "title_fr", NULL,
		};
		static const char *const inv[] = { "state", "count", NULL };

		printf("\nagenda:\n");
		print_list(rec_get(r, "agenda"), cols);
		printf("\ninvitations:\n");
		print_list(rec_get(r, "invitations"), inv);
	} else if (!strcmp(p->what, "person")) {
		static const char *const cols[] = {
			"organization", "title_fr", "title_ar", "from_date:from",
			"until_date:until", "active", NULL,
		};

		printf("\nmemberships:\n");
		print_list(rec_get(r, "memberships"), cols);
	}
	return 0;
}

enum majlis_status
cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "body", required_argument, NULL, 'b' },
		{ "late", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct model_filter f;
	struct printer p = { cli, "summary", NULL };
	enum majlis_status rc;
	const char *const *cols;
	int c;

	memset(&f, 0, sizeof(f));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			f.state = optarg;
		else if (c == 'b')
			f.body = optarg;
		else if (c == 'l')
			f.late = 1;
		else
			return cli_usage(cli, "show", "unknown option");
	}
	if (argc - optind > 2)
		return cli_usage(cli, "show", "expected [WHAT [KEY]]");
	if (argc - optind >= 1)
		p.what = argv[optind];
	if (argc - optind == 2)
		f.key = argv[optind + 1];
	cols = cols_for(p.what);
	if (cols && !cli->json)
		p.t = table_new(cols);
	rc = model_show(&cli->e, p.what, &f, print_rec, &p, &cli->err);
	if (p.t) {
		table_print(p.t, stdout);
		table_free(p.t);
	}
	return rc;
}
