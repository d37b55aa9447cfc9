/*
 * cli.h - what the majlis command-line files share: the parsed global
 * options, the instance being worked on, output helpers, and one
 * function per subcommand (cmd-NAME.c).
 *
 * The CLI reads majlis.conf and the environment, prints, and exits; the
 * library does none of those. Each command parses its own options,
 * calls the library, prints what it got, and returns a status that
 * main() turns into a sysexits code.
 */
#ifndef MAJLIS_CLI_H
#define MAJLIS_CLI_H

#include <stdio.h>

#include "../buf.h"
#include "../engine.h"
#include "../rec.h"
#include "../status.h"

struct mail_config;
struct store;

struct config {
	char *name;		/* [instance] name */
	char *domain;		/* [instance] domain */
	char *timezone;		/* [instance] timezone */
	char *datadir;		/* [paths] data */
	char *structure;	/* [paths] structure */
	char *mail_from;	/* [mail] from: the engine's own address */
	char *mail_name_fr;	/* [mail] name_fr, name_ar: its display name */
	char *mail_name_ar;
	char *transport;	/* [mail] transport: maildir or smtp */
	char *smtp_host;	/* [smtp] host, port, security (starttls, */
	char *smtp_port;	/* tls, none), user, password or */
	char *smtp_security;	/* password_file, helo, timeout (seconds) */
	char *smtp_user;
	char *smtp_password;
	char *smtp_password_file;
	char *smtp_helo;
	char *smtp_timeout;
	char *smtp_verify;	/* [smtp] verify (yes, no), ca_file, */
	char *smtp_ca_file;	/* fingerprint (sha256:...) */
	char *smtp_fingerprint;
	char *digest_hour;	/* [notify] digest_hour (0-23) */
	char *quiet_hours;	/* [notify] quiet = HH:MM-HH:MM */
	char *sms_spool;	/* [sms] spool: Gammu's outbox folder */
	char *intake_maildir;	/* [intake] maildir: where replies arrive */
	char *intake_authserv;	/* [intake] authserv: our server's
				 * Authentication-Results name */
	char *imap_host;	/* [intake] imap_host, imap_port, */
	char *imap_port;	/* imap_security (starttls, tls, none), */
	char *imap_security;	/* imap_user, imap_password or */
	char *imap_user;	/* imap_password_file, imap_mailbox, */
	char *imap_password;	/* imap_verify, imap_ca_file, */
	char *imap_password_file; /* imap_fingerprint */
	char *imap_mailbox;
	char *imap_verify;
	char *imap_ca_file;
	char *imap_fingerprint;
	int found;		/* the file existed */
};

/* Reads majlis.conf; a missing file leaves the defaults (found = 0). */
enum majlis_status config_load(const char *path, struct config *cfg,
			       struct buf *err);
/* Parses configuration text named name (for checks and fuzzing). */
enum majlis_status config_parse(const char *name, const char *data,
				size_t len, struct config *cfg,
				struct buf *err);
void config_release(struct config *cfg);
/* The text `majlis init` writes. */
extern const char config_template[];

enum cmd_flags {
	CMD_INSTANCE = 1 << 0,	/* needs an existing instance */
	CMD_STORE_RO = 1 << 1,	/* opens the store read-only */
	CMD_STORE_RW = 1 << 2,	/* opens the store for writing */
	CMD_CALENDAR = 1 << 3,	/* loads the holidays */
	CMD_FLOWS = 1 << 4,	/* loads and checks the mailflows */
	CMD_LOCK = 1 << 5,	/* takes the instance lock (one tick at once) */
	CMD_DOCUMENTS = 1 << 6,	/* templates, fonts and archive (e.docs) */
	CMD_MAIL = 1 << 7,	/* outgoing mail (e.mail) */
	CMD_REPORTS = 1 << 8,	/* the reports/ definitions (e.reports),
				 * checked against the store */
};

struct cli {
	const char *prog;	/* argv[0], for messages */
	const char *dir;	/* the instance folder (-C), default ./var */
	const char *now_text;	/* --now as given, or NULL */
	int json;		/* --json: one JSON object a line */
	struct config cfg;	/* majlis.conf */
	struct buf datadir;	/* shipped data: mailflows, calendar, ... */
	struct engine e;	/* store, clock, calendar, flows, documents */
	struct buf doc_paths;	/* the strings e.docs points into */
	struct mail_config *mail; /* e.mail, and the strings it points into */
	struct buf mail_paths;
	struct buf report_dir;	/* e.report_dir: the instance's out/ */
	int lock_fd;		/* held instance lock, or -1 */
	struct buf err;		/* messages of the failing call */
	int exit_code;		/* set by a command that succeeds with
				 * another code than 0 (archive diff: 1) */
};

/* Paths inside the instance and the data folder. */
void cli_path(struct cli *cli, struct buf *out, const char *name);
void cli_data_path(struct cli *cli, struct buf *out, const char *name);

/* Sets up what flags ask for (store, calendar, flows, lock). */
enum majlis_status cli_open(struct cli *cli, unsigned flags);
/* Sets up e.docs: shipped templates and fonts, the instance's own
 * templates and archive. */
enum majlis_status cli_open_documents(struct cli *cli);
/* Sets up e.mail from majlis.conf: checks [mail], [smtp], [notify],
 * [sms]. */
enum majlis_status cli_open_mail(struct cli *cli);
/* Loads the calendar, the mailflows: shipped data, then the instance's. */
enum majlis_status cli_load_calendar(struct cli *cli);
enum majlis_status cli_load_flows(struct cli *cli);
/* Loads the report definitions (e.reports): shipped, then the
 * instance's reports/; checked against st (the instance's store, or an
 * empty one). */
enum majlis_status cli_load_reports(struct cli *cli, struct store *st);

/* Loads the notification rules (e.notify): shipped, then the
 * instance's notify.ini; checked against the mailflows if with_flows. */
enum majlis_status cli_load_notify(struct cli *cli, int with_flows);

/* Prints a message to stderr: "majlis: msg". */
void cli_warn(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports a usage error for command cmd and returns MAJLIS_ERR_USAGE. */
enum majlis_status cli_usage(struct cli *cli, const char *cmd,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Output: one record as a JSON line on stdout. */
void out_json(const struct rec *r);
/* A template's data (json_t *), indented, keys sorted: --data. */
void out_json_data(const void *json);
/*
 * Sets out to the instance's out/ folder, made if missing, then "/"
 * and name: where a command writes its file when not given -o.
 */
enum majlis_status cli_out_path(struct cli *cli, const char *name,
				struct buf *out);
/*
 * A text table: collect records with table_add, print with table_print.
 * cols names the fields shown, each "field" or "field:Header".
 */
struct table;
struct table *table_new(const char *const *cols);
void table_add(struct table *t, const struct rec *r);
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);
/* A rec_cb that prints each record as a JSON line (--json), or adds it
 * to table t (when there is one). */
struct rec_printer {
	struct cli *cli;
	struct table *t;	/* or NULL: JSON only */
};
int rec_print(void *ctx, const struct rec *r);
/* Prints "key: value" lines of a record, then a blank line. */
void out_fields(const struct rec *r, FILE *f);
/* The display width of UTF-8 text (code points, not bytes). */
size_t text_width(const char *s);

/* The subcommands. */
enum majlis_status cmd_init(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_import(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_show(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_run(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_event(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_holidays(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_check(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_audit(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_archive(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_render(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_send(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_inbox(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_digest(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_feed(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_contact(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_ingest(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_report(struct cli *cli, int argc, char **argv);
enum majlis_status cmd_agenda(struct cli *cli, int argc, char **argv);

struct ingest_counts;
/* Reads every source of majlis.conf (the intake Maildir, or maildir;
 * the IMAP mailbox if there is one) and acts on what is there; show
 * prints a line a message. */
enum majlis_status cli_ingest(struct cli *cli, const char *maildir,
			      int show, struct ingest_counts *c);
/* The same, from the sources asked for. */
enum majlis_status cli_ingest_from(struct cli *cli, const char *maildir,
				   int imap, int use_maildir, int show,
				   struct ingest_counts *c);

struct outbox_counts;
/* Prints what a flush of the outbox did (majlis send, majlis run). */
void cli_print_sent(struct cli *cli, const struct outbox_counts *c);

#endif
