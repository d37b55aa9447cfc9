/*
 * main.c - the majlis command: global options, the command table, the
 * set-up each command asks for, and exit codes (sysexits.h).
 *
 *   majlis [-C DIR] [--now TIME] [--json] COMMAND [ARGS]
 *
 * Global options may also follow the command. Every command answers
 * --help.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../calendar.h"
#include "../clock.h"
#include "../document.h"
#include "../flow.h"
#include "../notify.h"
#include "../outbox.h"
#include "../report.h"
#include "../store.h"
#include "../sys.h"
#include "cli.h"

#define MAJLIS_VERSION "0.1.0"

struct command {
	const char *name;
	enum majlis_status (*fn)(struct cli *, int, char **);
	unsigned flags;
	const char *usage;	/* arguments after the command name */
	const char *help;	/* one line */
	const char *details;	/* the rest of --help, or NULL */
};

static const struct command commands[] = {
	{ "init", cmd_init, 0, "[--demo]",
	  "create an instance folder (with --demo: a fictitious Commune)",
	  "Creates DIR (-C, default ./var) with majlis.conf, the store, the\n"
	  "Maildirs, the archive and out/, and loads the structure of the\n"
	  "Commune (bodies and organizations). --demo adds 441 fictitious\n"
	  "élus, staff, sessions, meetings, dossiers, petitions and tasks.\n" },
	{ "import", cmd_import, CMD_INSTANCE | CMD_STORE_RW, "orgchart FILE.csv [--dry-run]",
	  "import persons and memberships from a bilingual CSV",
	  "Columns: matricule, type, genre, prenom_fr, nom_fr, prenom_ar,\n"
	  "nom_ar, langue, email, telephone, organisation, role, rang,\n"
	  "debut, fin. The whole file is checked first; a bad row is\n"
	  "reported with its line and nothing is imported.\n" },
	{ "show", cmd_show, CMD_INSTANCE | CMD_STORE_RO | CMD_FLOWS,
	  "[WHAT [KEY]] [--state STATE] [--body CODE]",
	  "show the organigramme, sessions, meetings, dossiers, ...",
	  "WHAT is one of: summary (default), bodies, organizations,\n"
	  "orgchart [ORG], persons, person KEY, sessions, meetings,\n"
	  "meeting ID (with its agenda), invitations MEETING, dossiers,\n"
	  "dossier REF, decisions, petitions, petition REF, tasks,\n"
	  "contacts [MEETING], inmail [ID] (what came in; --state review\n"
	  "for what waits on a person), notifications [PERSON], events,\n"
	  "jobs.\n" },
	{ "run", cmd_run, CMD_INSTANCE | CMD_STORE_RW | CMD_CALENDAR | CMD_FLOWS | CMD_LOCK | CMD_DOCUMENTS | CMD_MAIL | CMD_REPORTS,
	  "", "one scheduled tick: deadlines, events, due jobs, then the outbox",
	  "Run it from cron or a systemd timer every few minutes. Two ticks\n"
	  "never run at once on one instance: the second one exits with\n"
	  "code 75 (try again later).\n" },
	{ "event", cmd_event, CMD_INSTANCE | CMD_STORE_RW | CMD_CALENDAR | CMD_FLOWS,
	  "KIND ID EVENT [--as PERSON] [--set FIELD=VALUE]... [--note TEXT]",
	  "apply an event to an object, as a person",
	  "KIND is meeting, agenda_item, dossier, invitation, petition,\n"
	  "task or contact; ID its number (or a dossier's or petition's\n"
	  "reference).\n"
	  "The event goes through the object's mailflow: its guards may\n"
	  "refuse it (exit code 65, with the reason); its jobs run at the\n"
	  "next tick.\n" },
	{ "holidays", cmd_holidays, CMD_CALENDAR, "[YEAR]",
	  "list the public holidays of a year, Gregorian and Hijri", NULL },
	{ "check", cmd_check, 0, "",
	  "check majlis.conf, the mailflows, the calendar, the structure and the templates",
	  "Reads every definition without touching the store and reports\n"
	  "each problem as file:line: reason.\n" },
	{ "audit", cmd_audit, CMD_INSTANCE | CMD_STORE_RO,
	  "[KIND ID] [--since TIME] [--until TIME] [--limit N]",
	  "the history of one object, or of a span of time", NULL },
	{ "render", cmd_render,
	  CMD_INSTANCE | CMD_STORE_RW | CMD_CALENDAR | CMD_DOCUMENTS,
	  "KIND ID [--lang fr|ar|both] [--format pdf|docx|html|txt] [-o FILE]"
	  " [--preview] [--data] [--force]",
	  "issue a document (PDF and Word, in Arabic and French) and file it",
	  "KIND is convocation, agenda, pv, report (meetings), extract\n"
	  "(decisions), petition-ack, petition-answer (petitions) or\n"
	  "attestation (persons); ID the object's number, or a decision's\n"
	  "number, a petition's reference, a person's code.\n"
	  "The document is rendered in Arabic, French and both, as PDF and\n"
	  "Word, and filed in the archive: a register number the first time,\n"
	  "a new version when its text changed (--force: even if not).\n"
	  "-o FILE also writes one of its files (--lang, default both;\n"
	  "--format, default pdf). --preview renders that file only, files\n"
	  "nothing and gives no number; --data prints the data the template\n"
	  "sees, as JSON. `majlis render --kinds` lists the kinds.\n" },
	{ "archive", cmd_archive, CMD_INSTANCE,
	  "SUBCOMMAND [ARGS]",
	  "the archive: list, show, get, diff, search, verify, add documents",
	  "  list [--kind K] [--year Y] [--body CODE] [--meeting ID]\n"
	  "       [--dossier REF] [--petition REF]\n"
	  "      the documents, in register order\n"
	  "  show REG\n"
	  "      a document and the files of each of its versions\n"
	  "  get REG [--version N] [--format F] [--lang L] [-o FILE]\n"
	  "      a file: the latest version that has it, the PDF, in both\n"
	  "      languages, else Arabic, else French; never a binary file to\n"
	  "      a terminal, never over an existing FILE\n"
	  "  diff REG [V1 [V2]] [--lang L]\n"
	  "      the texts of two versions (the last two) as diff -u; exits\n"
	  "      with 1 when they differ, as diff does\n"
	  "  search [--limit N] [--] WORDS...\n"
	  "      documents whose latest text or title has every word; French\n"
	  "      accents, Arabic vowel marks, letter variants, the article\n"
	  "      and attached particles do not matter\n"
	  "  verify\n"
	  "      every file there, of its size and SHA-256 (else exit 65)\n"
	  "  add --title-fr T --title-ar T [--kind attachment] [--lang L]\n"
	  "      [--meeting ID | --dossier REF | --petition REF] FILE...\n"
	  "  add --to REG [--title-fr T] [--title-ar T] FILE...\n"
	  "      files outside files (a scanned letter, a signed PDF, its\n"
	  "      text) as a new attachment PJ-YEAR-NNNN, or as the next\n"
	  "      version of one\n"
	  "REG is a register number such as PV-2026-0012.\n" },
	{ "send", cmd_send, CMD_INSTANCE | CMD_STORE_RW | CMD_LOCK | CMD_MAIL,
	  "[--list [--state S] [--limit N] | --raw ID]",
	  "send what the outbox holds (majlis run does it too)",
	  "Hands every due message to the transport of majlis.conf ([mail]\n"
	  "transport: smtp, or maildir: var/mail/outbox) and SMS to Gammu's\n"
	  "spool folder ([sms] spool). A temporary failure is tried again\n"
	  "later (1 min, 5 min, 30 min, 2 h, ...), a permanent one marks the\n"
	  "message failed with the server's words. --list shows the outbox\n"
	  "(--state queued, sent or failed); --raw ID prints one message.\n" },
	{ "digest", cmd_digest,
	  CMD_INSTANCE | CMD_STORE_RW | CMD_FLOWS | CMD_LOCK | CMD_DOCUMENTS | CMD_MAIL,
	  "[--force] [--person PERSON] | --preview PERSON [-o FILE.eml]",
	  "make today's daily digests now, or show one",
	  "majlis run makes the digests once the local time reaches [notify]\n"
	  "digest_hour: one a person a day, in their language first, on\n"
	  "their meetings, the invitations awaiting their answer, the\n"
	  "dossiers waiting on them, their tasks due or late and the\n"
	  "decisions since yesterday; for the president, vice-presidents\n"
	  "and the DGS also the key figures and their chart. A digest with\n"
	  "nothing in it is not sent, but the day still counts as done.\n"
	  "This command makes them now (--force: even before the hour;\n"
	  "--person: only one person's), then sends what is due. A person\n"
	  "never gets two digests a day, even with --force.\n"
	  "--preview PERSON shows the digest PERSON would get today, as\n"
	  "text, or with -o as a whole message (.eml, its chart inline):\n"
	  "nothing is recorded or sent.\n" },
	{ "feed", cmd_feed, CMD_INSTANCE | CMD_STORE_RW | CMD_FLOWS | CMD_MAIL,
	  "PERSON", "write a person's private calendar feed and print its path",
	  "Each person invited to meetings has an iCalendar feed of them\n"
	  "(from 90 days ago on; cancelled ones marked so) in\n"
	  "out/calendars/TOKEN.ics, TOKEN a random name given once: publish\n"
	  "the folder on a web server without listing, and give each person\n"
	  "the address of their own file to subscribe to. majlis run\n"
	  "rewrites the feeds that changed.\n" },
	{ "inbox", cmd_inbox, CMD_INSTANCE | CMD_STORE_RW,
	  "PERSON [--unread] [--read ID|all] [--limit N]",
	  "a person's in-app notifications, and marking them read",
	  "PERSON is a matricule, an e-mail address or #id. Lists the\n"
	  "person's notifications, newest first, with their colour (green,\n"
	  "amber, red), their state (unread, read, acknowledged) and the\n"
	  "channels they went out on; --unread only those not read yet.\n"
	  "--read ID marks one read, --read all every one; reading one\n"
	  "acknowledges it, so no reminder follows it.\n" },
	{ "ingest", cmd_ingest,
	  CMD_INSTANCE | CMD_STORE_RW | CMD_CALENDAR | CMD_FLOWS | CMD_LOCK | CMD_DOCUMENTS | CMD_MAIL,
	  "[--maildir DIR] [--imap]",
	  "read and act on the replies, receipts and bounces that arrived",
	  "Reads every message of the intake Maildir ([intake] maildir, by\n"
	  "default mail/inbox; --maildir another) and of the IMAP mailbox\n"
	  "if majlis.conf names one ([intake] imap_host ...; --imap: that\n"
	  "one only, by UID, each marked \\Seen $MajlisDone once done), and\n"
	  "acts on each, once: a reply to an invitation or to a request for\n"
	  "a decision (one word is enough: oui, non, peut-être, approuver,\n"
	  "rejeter, renvoyer, in French, Arabic or English), a calendar's\n"
	  "Accept or Decline, a read receipt, a bounce, a contact card from\n"
	  "a civil servant. A reply counts only with a valid reply token,\n"
	  "from the person it was sent to. Automatic replies and list mail\n"
	  "are ignored, bad mail goes to mail/quarantine with its reason,\n"
	  "unclear answers are kept for review (majlis show inmail --state\n"
	  "review). Each message is moved to cur/ once done. majlis run does\n"
	  "this first.\n"
	  "--json: one object a message: source, message_id, kind, action\n"
	  "(applied, rejected, quarantined, ignored, duplicate, review),\n"
	  "reason, object, object_id.\n" },
	{ "contact", cmd_contact, CMD_INSTANCE | CMD_STORE_RW | CMD_FLOWS,
	  "add [--meeting ID] --as PERSON FILE...",
	  "propose the people of contact cards (vCards) for an invitation",
	  "Each card of each FILE (a vCard 2.1, 3.0 or 4.0, as a phone\n"
	  "shares a contact) becomes a contact proposed for meeting ID, on\n"
	  "behalf of PERSON (a civil servant); a file that cannot be read\n"
	  "proposes nothing. The next tick tells PERSON. Then complete what\n"
	  "the card lacks and invite, or dismiss:\n"
	  "  majlis event contact N invite --as PERSON [--set meeting_id=ID]\n"
	  "      [--set gender=M|F] [--set lang=fr|ar] [--set given_ar=...]\n"
	  "  majlis event contact N dismiss --as PERSON\n"
	  "An invited contact becomes a person (kind invite) with their own\n"
	  "invitation, mail and calendar REQUEST; majlis show contacts lists\n"
	  "them.\n" },
	{ "report", cmd_report,
	  CMD_INSTANCE | CMD_STORE_RO | CMD_CALENDAR | CMD_FLOWS | CMD_DOCUMENTS | CMD_REPORTS,
	  "NAME [--period P] [--body CODE] [--org CODE] [--format xlsx|pdf|csv]"
	  " [--lang fr|ar|both] [-o FILE] [--data] | --list",
	  "run a report or a dashboard of reports/ as a workbook, PDF or CSV",
	  "NAME is a report or a dashboard (majlis report --list). A workbook\n"
	  "holds a French sheet and an Arabic one (right to left); a dashboard\n"
	  "one of each per concern, with charts. --format pdf is an état in\n"
	  "Arabic then French (--lang fr or ar: one of them); csv is one\n"
	  "language (--lang, default fr), UTF-8 with a byte-order mark and ';'\n"
	  "between fields, as French-locale Excel opens it. Without -o the file\n"
	  "goes to out/NAME.EXT; -o FILE.EXT says the format by its extension.\n"
	  "--period is all, day, week, month, year (the current one), 2026,\n"
	  "2026-12, 2026-W49, 2026-12-03 or 2026-01-01..2026-06-30; --body a\n"
	  "body's code (CASA, ANFA, ...), --org an organization's code (CC,\n"
	  "CC-COM-BUDGET, ...), for the reports that take them. --json without\n"
	  "-o prints a report's rows as JSON; --data the data its état's\n"
	  "template (templates/etat.xml) sees. majlis run rebuilds every\n"
	  "dashboard once a day into out/, and the management digest of the\n"
	  "day carries it.\n" },
	{ "agenda", cmd_agenda,
	  CMD_INSTANCE | CMD_STORE_RO | CMD_CALENDAR | CMD_FLOWS | CMD_DOCUMENTS,
	  "day|week|month [DATE] [--for CODE] [--format pdf|xlsx|ics]"
	  " [--lang fr|ar|both] [-o FILE] [--data]",
	  "the agenda of a day, a week or a month, as PDF, workbook or iCalendar",
	  "Meetings, session openings, deadlines of dossiers and tasks still\n"
	  "open, and public holidays (national, and religious ones on their\n"
	  "Hijri dates, provisional until announced) of the day, the week\n"
	  "(Monday to Sunday) or the month around DATE (default today). --for\n"
	  "narrows it to a body (CASA, ANFA, ...), an organization (CC-BUREAU,\n"
	  "...) or a person (a matricule, an address): their invitations,\n"
	  "dossiers and tasks. The PDF is in Arabic then French (--lang fr or\n"
	  "ar: one); the workbook has a French and an Arabic sheet; the .ics is\n"
	  "a feed of the same period. Without -o the file goes to\n"
	  "out/agenda-VIEW-DATE.EXT. --json without -o prints the entries;\n"
	  "--data the data the PDF's template (templates/calendrier.xml) sees.\n" },
	{ "help", NULL, 0, "[COMMAND]", "show help", NULL },
	{ "version", NULL, 0, "", "show the version", NULL },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void
cli_warn(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	(void)cli;
	fputs("majlis: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

enum majlis_status
cli_usage(struct cli *cli, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	(void)cli;
	fprintf(stderr, "majlis %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see: majlis %s --help)\n", cmd);
	return MAJLIS_ERR_USAGE;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: majlis [-C DIR] [--now TIME] [--json] COMMAND "
		"[ARGS]\n\n"
		"Runs the paperwork of the Commune of Casablanca's councils.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f,
		"\nGlobal options (before or after the command):\n"
		"  -C DIR        the instance folder (default ./var)\n"
		"  --now TIME    take TIME (ISO 8601, local to the instance's\n"
		"                zone unless it ends in Z or +HH:MM) as now\n"
		"  --json        report as one JSON object a line\n"
		"  -h, --help    this help; majlis COMMAND --help for one "
		"command\n");
}

static void
command_help(const struct command *c, FILE *f)
{
	fprintf(f, "usage: majlis [-C DIR] [--now TIME] [--json] %s %s\n\n%s.\n",
		c->name, c->usage, c->help);
	if (c->details)
		fprintf(f, "\n%s", c->details);
}

void
cli_path(struct cli *cli, struct buf *out, const char *name)
{
	buf_reset(out);
	buf_addf(out, "%s/%s", cli->dir, name);
}

void
cli_data_path(struct cli *cli, struct buf *out, const char *name)
{
	buf_reset(out);
	buf_addf(out, "%s/%s", cli->datadir.data, name);
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the shipped data is: majlis.conf, $MAJLIS_DATADIR, next to the
 * binary (a build tree or PREFIX/bin), or the compiled-in path. */
static void
find_datadir(struct cli *cli)
{
	char exe[4096];
	ssize_t n;
	struct buf probe = BUF_INIT;
	const char *env = getenv("MAJLIS_DATADIR");

	buf_reset(&cli->datadir);
	if (cli->cfg.datadir) {
		buf_addstr(&cli->datadir, cli->cfg.datadir);
		return;
	}
	if (env && *env) {
		buf_addstr(&cli->datadir, env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const up[] = { "..", "../share/majlis" };

		for (int i = 0; i < 2; i++) {
			char real[4096];

			buf_reset(&probe);
			buf_addf(&probe, "%s/%s/mailflows", exe, up[i]);
			if (!is_dir(probe.data))
				continue;
			buf_reset(&probe);
			buf_addf(&probe, "%s/%s", exe, up[i]);
			buf_addstr(&cli->datadir,
				   realpath(probe.data, real) ? real
							      : probe.data);
			buf_release(&probe);
			return;
		}
	}
	buf_release(&probe);
	buf_addstr(&cli->datadir, MAJLIS_DATADIR);
}

enum majlis_status
cli_load_calendar(struct cli *cli)
{
	struct buf path = BUF_INIT;
	enum majlis_status rc;

	if (cli->e.cal)
		return MAJLIS_OK;
	rc = calendar_new(&cli->e.cal, &cli->err);
	if (rc == MAJLIS_OK) {
		cli_data_path(cli, &path, "calendar/holidays.ini");
		rc = calendar_load_file(cli->e.cal, path.data, &cli->err);
	}
	if (rc == MAJLIS_OK) {
		cli_path(cli, &path, "holidays.ini");
		if (access(path.data, F_OK) == 0)
			rc = calendar_load_file(cli->e.cal, path.data,
						&cli->err);
	}
	buf_release(&path);
	return rc;
}

enum majlis_status
cli_load_notify(struct cli *cli, int with_flows)
{
	struct buf path = BUF_INIT;
	enum majlis_status rc;

	if (cli->e.notify)
		return MAJLIS_OK;
	notify_rules_new(&cli->e.notify);
	cli_data_path(cli, &path, "notify/rules.ini");
	rc = notify_rules_add_file(cli->e.notify, path.data, &cli->err);
	if (rc == MAJLIS_OK) {
		cli_path(cli, &path, "notify.ini");
		if (access(path.data, F_OK) == 0)
			rc = notify_rules_add_file(cli->e.notify, path.data,
						   &cli->err);
	}
	if (rc == MAJLIS_OK)
		rc = notify_rules_check(cli->e.notify,
					with_flows ? cli->e.flows : NULL,
					&cli->err);
	buf_release(&path);
	return rc;
}

enum majlis_status
cli_load_reports(struct cli *cli, struct store *st)
{
	struct buf own = BUF_INIT, shipped = BUF_INIT;
	enum majlis_status rc;

	if (cli->e.reports)
		return MAJLIS_OK;
	cli_path(cli, &own, "reports");
	cli_data_path(cli, &shipped, "reports");
	rc = reportset_load(shipped.data, own.data, &cli->e.reports,
			    &cli->err);
	if (rc == MAJLIS_OK && st)
		rc = reportset_check(cli->e.reports, st, &cli->err);
	if (rc != MAJLIS_OK) {
		reportset_free(cli->e.reports);
		cli->e.reports = NULL;
	}
	buf_reset(&cli->report_dir);
	cli_path(cli, &cli->report_dir, "out");
	cli->e.report_dir = cli->report_dir.data;
	buf_release(&own);
	buf_release(&shipped);
	return rc;
}

enum majlis_status
cli_load_flows(struct cli *cli)
{
	struct buf own = BUF_INIT, shipped = BUF_INIT;
	const char *dirs[2];
	enum majlis_status rc;

	if (cli->e.flows)
		return MAJLIS_OK;
	flowset_new(&cli->e.flows);
	cli_path(cli, &own, "mailflows");
	cli_data_path(cli, &shipped, "mailflows");
	dirs[0] = own.data;
	dirs[1] = shipped.data;
	rc = flowset_load_dirs(cli->e.flows, dirs, 2, &cli->err);
	buf_release(&own);
	buf_release(&shipped);
	return rc;
}

static enum majlis_status
take_lock(struct cli *cli)
{
	struct buf path = BUF_INIT, pid = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;

	cli_path(cli, &path, "majlis.lock");
	cli->lock_fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (cli->lock_fd < 0) {
		rc = error(&cli->err, MAJLIS_ERR_IO, "cannot open '%s': %s",
			   path.data, strerror(errno));
	} else if (flock(cli->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		char other[32] = "";
		ssize_t n = pread(cli->lock_fd, other, sizeof(other) - 1, 0);

		if (n > 0)
			other[n] = '\0';
		other[strcspn(other, "\n")] = '\0';
		rc = error(&cli->err, MAJLIS_ERR_BUSY,
			   "another majlis run is working on '%s'%s%s%s; "
			   "this one stops without changing anything",
			   cli->dir, *other ? " (pid " : "", other,
			   *other ? ")" : "");
		close(cli->lock_fd);
		cli->lock_fd = -1;
	} else {
		buf_addf(&pid, "%ld\n", (long)getpid());
		if (ftruncate(cli->lock_fd, 0) == 0 &&
		    pwrite(cli->lock_fd, pid.data, pid.len, 0) < 0)
			rc = error(&cli->err, MAJLIS_ERR_IO,
				   "cannot write '%s': %s", path.data,
				   strerror(errno));
	}
	buf_release(&path);
	buf_release(&pid);
	return rc;
}

enum majlis_status
cli_open(struct cli *cli, unsigned flags)
{
	struct buf path = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;

	if (flags & CMD_INSTANCE) {
		cli_path(cli, &path, "majlis.db");
		if (access(path.data, F_OK) != 0) {
			rc = error(&cli->err, MAJLIS_ERR_NOINPUT,
				   "no majlis instance in '%s' (create one "
				   "with: majlis -C %s init)",
				   cli->dir, cli->dir);
			goto out;
		}
	}
	if ((flags & CMD_LOCK) && (rc = take_lock(cli)) != MAJLIS_OK)
		goto out;
	if ((flags & CMD_CALENDAR) && (rc = cli_load_calendar(cli)) != MAJLIS_OK)
		goto out;
	if ((flags & CMD_FLOWS) && (rc = cli_load_flows(cli)) != MAJLIS_OK)
		goto out;
	if ((flags & CMD_FLOWS) && (rc = cli_load_notify(cli, 1)) != MAJLIS_OK)
		goto out;
	if (flags & (CMD_STORE_RO | CMD_STORE_RW)) {
		cli_path(cli, &path, "majlis.db");
		rc = store_open(path.data,
				(flags & CMD_STORE_RW) ? 0 : STORE_READONLY,
				&cli->e.store, &cli->err);
	}
	if (rc == MAJLIS_OK && (flags & CMD_DOCUMENTS))
		rc = cli_open_documents(cli);
	if (rc == MAJLIS_OK && (flags & CMD_MAIL))
		rc = cli_open_mail(cli);
	if (rc == MAJLIS_OK && (flags & CMD_REPORTS))
		rc = cli_load_reports(cli, cli->e.store);
out:
	buf_release(&path);
	return rc;
}

/* Pulls the global options out of argv wherever they are (up to "--"). */
static int
take_globals(struct cli *cli, int *argc, char **argv)
{
	int i, j = 1;

	for (i = 1; i < *argc; i++) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--json")) {
			cli->json = 1;
		} else if (!strcmp(a, "-C") || !strcmp(a, "--now")) {
			if (i + 1 >= *argc) {
				cli_warn(cli, "%s needs a value", a);
				return -1;
			}
			if (a[1] == 'C')
				cli->dir = argv[++i];
			else
				cli->now_text = argv[++i];
		} else if (starts_with(a, "--now=")) {
			cli->now_text = a + 6;
		} else if (starts_with(a, "-C") && a[2]) {
			cli->dir = a + 2;
		} else {
			argv[j++] = a;
		}
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

enum majlis_status
cli_open_documents(struct cli *cli)
{
	struct documents_config cfg;
	struct buf *p = &cli->doc_paths;
	size_t at[5];
	struct stat st;

	/* One buffer, the strings NUL-separated: offsets, then pointers. */
	buf_reset(p);
	at[0] = p->len;
	buf_addf(p, "%s/templates", cli->datadir.data);
	buf_addch(p, '\0');
	at[1] = p->len;
	buf_addf(p, "%s/templates", cli->dir);
	buf_addch(p, '\0');
	at[2] = p->len;
	buf_addf(p, "%s/fonts", cli->datadir.data);
	buf_addch(p, '\0');
	at[3] = p->len;
	buf_addf(p, "%s/cache/fontconfig", cli->dir);
	buf_addch(p, '\0');
	at[4] = p->len;
	buf_addf(p, "%s/archive", cli->dir);
	cfg.templates = p->data + at[0];
	cfg.own_templates = stat(p->data + at[1], &st) == 0 ? p->data + at[1]
							    : NULL;
	cfg.fonts = p->data + at[2];
	cfg.font_cache = p->data + at[3];
	cfg.archive = p->data + at[4];
	return documents_new(&cfg, &cli->e.docs, &cli->err);
}

/* "HH:MM" as minutes of the day, or -1. */
static int
hhmm(const char *s)
{
	long long h, m;
	char hs[3], ms[3];

	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	memcpy(hs, s, 2);
	hs[2] = '\0';
	memcpy(ms, s + 3, 2);
	ms[2] = '\0';
	if (parse_int(hs, 0, 23, &h) || parse_int(ms, 0, 59, &m))
		return -1;
	return (int)(h * 60 + m);
}

enum majlis_status
cli_open_mail(struct cli *cli)
{
	struct config *c = &cli->cfg;
	struct mail_config *mc;
	struct buf *p = &cli->mail_paths;
	size_t at[4];
	long long n;
	const char *conf = "majlis.conf";

	if (cli->mail)
		return MAJLIS_OK;
	mc = xcalloc(1, sizeof(*mc));
	cli->mail = mc;
	mc->domain = c->domain;
	mc->from = c->mail_from;
	mc->name_fr = c->mail_name_fr;
	mc->name_ar = c->mail_name_ar;
	mc->tz = c->timezone;
	if (!strchr(c->mail_from, '@'))
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: [mail] from must be an address, not '%s'",
			     conf, c->mail_from);
	if (!strcmp(c->transport, "maildir"))
		mc->transport = TRANSPORT_MAILDIR;
	else if (!strcmp(c->transport, "smtp"))
		mc->transport = TRANSPORT_SMTP;
	else
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: [mail] transport is maildir or smtp, not '%s'",
			     conf, c->transport);
	buf_reset(p);
	at[0] = p->len;
	buf_addf(p, "%s/mail/outbox", cli->dir);
	buf_addch(p, '\0');
	at[1] = p->len;
	if (c->sms_spool[0] == '/')
		buf_addstr(p, c->sms_spool);
	else
		buf_addf(p, "%s/%s", cli->dir, c->sms_spool);
	buf_addch(p, '\0');
	at[2] = p->len;
	buf_addf(p, "%s/out/calendars", cli->dir);
	buf_addch(p, '\0');
	at[3] = p->len;
	if (c->smtp_password_file) {
		struct buf pw = BUF_INIT;

		if (file_read(c->smtp_password_file, 4096, &pw) < 0) {
			buf_release(&pw);
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "%s: cannot read [smtp] password_file "
				     "'%s': %s",
				     conf, c->smtp_password_file,
				     strerror(errno));
		}
		buf_rtrim(&pw);
		buf_add(p, pw.data ? pw.data : "", pw.len);
		buf_release(&pw);
	} else if (c->smtp_password) {
		buf_addstr(p, c->smtp_password);
	}
	buf_addch(p, '\0');
	mc->maildir = p->data + at[0];
	mc->sms_spool = p->data + at[1];
	mc->feed_dir = p->data + at[2];
	mc->smtp_password = c->smtp_user ? p->data + at[3] : NULL;
	mc->smtp_host = c->smtp_host;
	mc->smtp_user = c->smtp_user;
	mc->helo = c->smtp_helo;
	mc->security = SMTP_STARTTLS;
	if (c->smtp_security && !strcmp(c->smtp_security, "tls"))
		mc->security = SMTP_TLS;
	else if (c->smtp_security && !strcmp(c->smtp_security, "none"))
		mc->security = SMTP_NONE;
	else if (c->smtp_security && strcmp(c->smtp_security, "starttls"))
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: [smtp] security is starttls, tls or none, "
			     "not '%s'",
			     conf, c->smtp_security);
	mc->smtp_port = mc->security == SMTP_TLS ? 465 : 587;
	if (c->smtp_port) {
		if (parse_int(c->smtp_port, 1, 65535, &n))
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "%s: [smtp] port is a number from 1 to "
				     "65535, not '%s'",
				     conf, c->smtp_port);
		mc->smtp_port = (int)n;
	}
	mc->verify = 1;
	if (c->smtp_verify && !strcmp(c->smtp_verify, "no"))
		mc->verify = 0;
	else if (c->smtp_verify && strcmp(c->smtp_verify, "yes"))
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: [smtp] verify is yes or no, not '%s'", conf,
			     c->smtp_verify);
	mc->ca_file = c->smtp_ca_file;
	mc->fingerprint = c->smtp_fingerprint;
	mc->timeout = 30;
	if (c->smtp_timeout) {
		if (parse_int(c->smtp_timeout, 1, 3600, &n))
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "%s: [smtp] timeout is seconds, not '%s'",
				     conf, c->smtp_timeout);
		mc->timeout = (int)n;
	}
	if (mc->transport == TRANSPORT_SMTP && !mc->smtp_host)
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: transport smtp needs [smtp] host", conf);
	if (parse_int(c->digest_hour, 0, 23, &n))
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "%s: [notify] digest_hour is an hour, 0 to 23, "
			     "not '%s'",
			     conf, c->digest_hour);
	mc->digest_hour = (int)n;
	{
		char from[8], to[8];
		const char *dash = strchr(c->quiet_hours, '-');

		if (!strcmp(c->quiet_hours, "none")) {
			mc->quiet_from = mc->quiet_to = 0;
		} else if (!dash || dash - c->quiet_hours != 5 ||
			   strlen(dash + 1) != 5) {
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "%s: [notify] quiet is HH:MM-HH:MM or "
				     "none, not '%s'",
				     conf, c->quiet_hours);
		} else {
			memcpy(from, c->quiet_hours, 5);
			from[5] = '\0';
			memcpy(to, dash + 1, 5);
			to[5] = '\0';
			mc->quiet_from = hhmm(from);
			mc->quiet_to = hhmm(to);
			if (mc->quiet_from < 0 || mc->quiet_to < 0)
				return error(&cli->err, MAJLIS_ERR_CONFIG,
					     "%s: [notify] quiet is "
					     "HH:MM-HH:MM, not '%s'",
					     conf, c->quiet_hours);
		}
	}
	cli->e.mail = mc;
	return MAJLIS_OK;
}

static void
cli_release(struct cli *cli)
{
	free(cli->mail);
	buf_release(&cli->mail_paths);
	documents_free(cli->e.docs);
	buf_release(&cli->doc_paths);
	store_close(cli->e.store);
	flowset_free(cli->e.flows);
	reportset_free(cli->e.reports);
	buf_release(&cli->report_dir);
	notify_rules_free(cli->e.notify);
	calendar_free(cli->e.cal);
	clock_free(cli->e.clock);
	config_release(&cli->cfg);
	buf_release(&cli->datadir);
	buf_release(&cli->err);
	if (cli->lock_fd >= 0)
		close(cli->lock_fd);
}

static void
print_errors(struct cli *cli, enum majlis_status rc)
{
	const char *p = cli->err.data;

	if (!cli->err.len) {
		cli_warn(cli, "%s", majlis_strerror(rc));
		return;
	}
	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "majlis: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const struct command *cmd = NULL;
	struct buf path = BUF_INIT;
	enum majlis_status rc;
	const char *fault = getenv("MAJLIS_FAULT");
	int64_t now;

	memset(&cli, 0, sizeof(cli));
	cli.prog = argv[0];
	cli.dir = "var";
	cli.lock_fd = -1;
	buf_init(&cli.datadir);
	buf_init(&cli.doc_paths);
	buf_init(&cli.mail_paths);
	buf_init(&cli.report_dir);
	buf_init(&cli.err);
	if (take_globals(&cli, &argc, argv) < 0)
		return EX_USAGE;
	if (fault && sys_fault_set(fault) < 0) {
		cli_warn(&cli, "bad MAJLIS_FAULT '%s' (NAME:N)", fault);
		return EX_USAGE;
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("majlis %s\n", MAJLIS_VERSION);
		return EX_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, argv[1]))
			cmd = &commands[i];
	if (!cmd) {
		cli_warn(&cli, "'%s' is not a command (see: majlis --help)",
			 argv[1]);
		return EX_USAGE;
	}
	if (!strcmp(cmd->name, "help")) {
		const struct command *about = NULL;

		if (argc > 2 && (!strcmp(argv[2], "--help") ||
				 !strcmp(argv[2], "-h"))) {
			command_help(cmd, stdout);
			return EX_OK;
		}

		for (size_t i = 0; argc > 2 && i < NCOMMANDS; i++)
			if (!strcmp(commands[i].name, argv[2]))
				about = &commands[i];
		if (argc > 2 && !about) {
			cli_warn(&cli, "no command '%s'", argv[2]);
			return EX_USAGE;
		}
		if (about)
			command_help(about, stdout);
		else
			usage(stdout);
		return EX_OK;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			command_help(cmd, stdout);
			return EX_OK;
		}
	}
	cli_path(&cli, &path, "majlis.conf");
	rc = config_load(path.data, &cli.cfg, &cli.err);
	buf_release(&path);
	if (rc == MAJLIS_OK) {
		find_datadir(&cli);
		now = (int64_t)time(NULL);
		rc = clock_new(cli.cfg.timezone, now, &cli.e.clock, &cli.err);
	}
	if (rc == MAJLIS_OK && cli.now_text) {
		if (clock_parse(cli.e.clock, cli.now_text, &now) < 0)
			rc = error(&cli.err, MAJLIS_ERR_USAGE,
				   "--now '%s' is not a time (YYYY-MM-DD, "
				   "YYYY-MM-DDTHH:MM[:SS], optionally with Z "
				   "or +HH:MM)",
				   cli.now_text);
		else
			clock_set_now(cli.e.clock, now);
	}
	if (rc == MAJLIS_OK)
		rc = cli_open(&cli, cmd->flags);
	if (rc == MAJLIS_OK) {
		/* Commands see argv from their name on. */
		optind = 1;
		rc = cmd->fn(&cli, argc - 1, argv + 1);
	}
	if (rc != MAJLIS_OK && rc != MAJLIS_ERR_USAGE)
		print_errors(&cli, rc);
	else if (rc == MAJLIS_ERR_USAGE && cli.err.len)
		print_errors(&cli, rc);
	fflush(stdout);
	cli_release(&cli);
	if (rc == MAJLIS_OK && cli.exit_code)
		return cli.exit_code;
	return majlis_exit_code(rc);
}
