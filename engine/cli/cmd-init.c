/*
 * cmd-init.c - majlis init [--demo]: a new instance folder.
 *
 *   DIR/majlis.conf      configuration
 *   DIR/majlis.db        the store
 *   DIR/holidays.ini     this instance's holiday announcements
 *   DIR/mailflows/       this instance's overrides of the mailflows
 *   DIR/mail/{inbox,outbox,quarantine}/{cur,new,tmp}
 *   DIR/archive/, DIR/out/
 *
 * If anything fails, the files this command created are removed again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../audit.h"
#include "../clock.h"
#include "../demo.h"
#include "../store.h"
#include "../structure.h"
#include "../sys.h"
#include "cli.h"

static const char holidays_template[] =
	"; Holiday announcements of this instance (defs syntax, see\n"
	"; calendar/holidays.ini in the majlis data folder). Entries here\n"
	"; add to or override the shipped ones.\n"
	";\n"
	"; When the Ministry of Habous and Islamic Affairs announces the\n"
	"; first day of a Hijri month, add it:\n"
	";\n"
	"; [hijri-months]\n"
	"; 1448-09 = 2027-02-08\n"
	";\n"
	"; An exceptional day off decided by the government:\n"
	";\n"
	"; [exceptional bridge-2027-01]\n"
	"; date = 2027-01-12\n"
	"; fr = Jour de congé exceptionnel\n"
	"; ar = يوم عطلة استثنائي\n";

static const char mailflows_readme[] =
	"A .flow file here replaces the shipped mailflow of the same name\n"
	"(see mailflows/README.md in the majlis data folder). Check it with\n"
	"`majlis check` before the next tick.\n";

static const char *const dirs[] = {
	"mailflows",	     "mail",	       "mail/inbox",
	"mail/inbox/cur",    "mail/inbox/new", "mail/inbox/tmp",
	"mail/outbox",	     "mail/outbox/cur", "mail/outbox/new",
	"mail/outbox/tmp",   "mail/quarantine", "mail/quarantine/cur",
	"mail/quarantine/new", "mail/quarantine/tmp", "archive",
	"out",		     NULL,
};

static enum majlis_status
write_file(struct cli *cli, const char *name, const char *text)
{
	struct buf path = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;

	cli_path(cli, &path, name);
	if (access(path.data, F_OK) != 0 &&
	    file_write_atomic(path.data, text, strlen(text)) < 0)
		rc = error(&cli->err, MAJLIS_ERR_IO, "cannot write '%s': %s",
			   path.data, strerror(errno));
	buf_release(&path);
	return rc;
}

static void
remove_store(struct cli *cli)
{
	static const char *const files[] = { "majlis.db", "majlis.db-wal",
					     "majlis.db-shm", NULL };
	struct buf path = BUF_INIT;

	for (int i = 0; files[i]; i++) {
		cli_path(cli, &path, files[i]);
		unlink(path.data);
	}
	buf_release(&path);
}

static int
print_demo(void *ctx, const struct rec *r)
{
	struct cli *cli = ctx;

	if (cli->json)
		out_json(r);
	return 0;
}

enum majlis_status
cmd_init(struct cli *cli, int argc, char **argv)
{
	struct buf path = BUF_INIT;
	struct structure *s = NULL;
	struct audit_entry a;
	enum majlis_status rc;
	int demo = 0, created_conf;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo"))
			demo = 1;
		else
			return cli_usage(cli, "init", "unknown argument '%s'",
					 argv[i]);
	}
	cli_path(cli, &path, "majlis.db");
	if (access(path.data, F_OK) == 0) {
		rc = error(&cli->err, MAJLIS_ERR_EXISTS,
			   "'%s' already holds an instance; majlis init never "
			   "overwrites one",
			   cli->dir);
		goto out;
	}
	if (mkdir_p(cli->dir, 0755) < 0) {
		rc = error(&cli->err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			   cli->dir, strerror(errno));
		goto out;
	}
	/* Everything init needs is read and checked before writing. */
	if (cli->cfg.structure[0] == '/')
		buf_setf(&path, "%s", cli->cfg.structure);
	else
		cli_data_path(cli, &path, cli->cfg.structure);
	rc = structure_parse_file(path.data, &s, &cli->err);
	if (rc == MAJLIS_OK && demo) {
		rc = cli_load_calendar(cli);
		if (rc == MAJLIS_OK)
			rc = cli_load_flows(cli);
		/* The demo's history issues documents and mail, as ticks
		 * do. */
		if (rc == MAJLIS_OK)
			rc = cli_open_documents(cli);
		if (rc == MAJLIS_OK)
			rc = cli_open_mail(cli);
	}
	if (rc != MAJLIS_OK)
		goto out;
	for (int i = 0; dirs[i]; i++) {
		cli_path(cli, &path, dirs[i]);
		if (mkdir_p(path.data, 0755) < 0) {
			rc = error(&cli->err, MAJLIS_ERR_IO,
				   "cannot create '%s': %s", path.data,
				   strerror(errno));
			goto out;
		}
	}
	cli_path(cli, &path, "majlis.conf");
	created_conf = access(path.data, F_OK) != 0;
	if (demo && created_conf) {
		/* The demo shows its mail at any hour: no quiet hours. */
		struct buf conf = BUF_INIT;
		const char *q = strstr(config_template, "quiet = ");
		const char *nl = q ? strchr(q, '\n') : NULL;

		if (q && nl) {
			buf_add(&conf, config_template,
				(size_t)(q - config_template));
			buf_addstr(&conf, "; the demo sends at any hour\n"
					  "quiet = none");
			buf_addstr(&conf, nl);
		} else {
			buf_addstr(&conf, config_template);
		}
		free(cli->cfg.quiet_hours);
		cli->cfg.quiet_hours = xstrdup("none");
		rc = write_file(cli, "majlis.conf", conf.data);
		buf_release(&conf);
	} else {
		rc = write_file(cli, "majlis.conf", config_template);
	}
	if (rc == MAJLIS_OK)
		rc = write_file(cli, "holidays.ini", holidays_template);
	if (rc == MAJLIS_OK)
		rc = write_file(cli, "mailflows/README", mailflows_readme);
	if (rc != MAJLIS_OK)
		goto out;
	cli_path(cli, &path, "majlis.db");
	rc = store_open(path.data, STORE_CREATE, &cli->e.store, &cli->err);
	if (rc == MAJLIS_OK)
		rc = structure_store(&cli->e, s, &cli->err);
	if (rc == MAJLIS_OK) {
		memset(&a, 0, sizeof(a));
		a.actor = "init";
		a.action = "init";
		a.cause = demo ? "majlis init --demo" : "majlis init";
		rc = store_begin(cli->e.store, &cli->err);
		if (rc == MAJLIS_OK)
			rc = audit_write(&cli->e, &a, &cli->err);
		if (rc == MAJLIS_OK)
			rc = store_commit(cli->e.store, &cli->err);
	}
	if (rc == MAJLIS_OK && demo) {
		struct demo_counts dc;

		rc = demo_build(&cli->e, print_demo, cli, &dc, &cli->err);
		if (rc == MAJLIS_OK && !cli->json)
			printf("Demo Commune: %d persons (%d élus, %d staff), "
			       "%d memberships, %d sessions, %d meetings, %d "
			       "agenda items,\n%d dossiers, %d petitions, %d "
			       "tasks; history replayed through the "
			       "mailflows (%d events, %d jobs, %d messages "
			       "sent).\n",
			       dc.persons, dc.elus, dc.staff, dc.memberships,
			       dc.sessions, dc.meetings, dc.items, dc.dossiers,
			       dc.petitions, dc.tasks, dc.events, dc.jobs,
			       dc.messages);
	}
	if (rc != MAJLIS_OK) {
		store_close(cli->e.store);
		cli->e.store = NULL;
		remove_store(cli);
		if (created_conf) {
			cli_path(cli, &path, "majlis.conf");
			unlink(path.data);
		}
		goto out;
	}
	if (cli->json) {
		struct rec r = REC_INIT;

		rec_add_text(&r, "instance", cli->dir);
		rec_add_int(&r, "bodies", (int64_t)structure_bodies(s));
		rec_add_int(&r, "organizations",
			    (int64_t)structure_organizations(s));
		rec_add_int(&r, "demo", demo);
		out_json(&r);
		rec_release(&r);
	} else {
		printf("Created the instance '%s': %zu bodies, %zu "
		       "organizations.\n",
		       cli->dir, structure_bodies(s),
		       structure_organizations(s));
	}
out:
	structure_free(s);
	buf_release(&path);
	return rc;
}
