/*
 * cmd-ingest.c - majlis ingest [--maildir DIR] [--json]: reads what
 * arrived (replies, calendar answers, receipts, bounces, contact cards)
 * and acts on it; majlis run does it first. Also the helper both use.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../imap.h"
#include "../ingest.h"
#include "../sys.h"
#include "../outbox.h"
#include "cli.h"

/* [intake] imap_* as an imap_config; its strings live in cfg and pw. */
static enum majlis_status
imap_config_of(struct cli *cli, struct imap_config *ic, struct buf *pw)
{
	const struct config *c = &cli->cfg;
	long long n;

	memset(ic, 0, sizeof(ic[0]));
	ic->host = c->imap_host;
	ic->user = c->imap_user;
	ic->mailbox = c->imap_mailbox ? c->imap_mailbox : "INBOX";
	ic->ca_file = c->imap_ca_file;
	ic->fingerprint = c->imap_fingerprint;
	ic->verify = !(c->imap_verify && !strcmp(c->imap_verify, "no"));
	ic->timeout = 30;
	ic->security = IMAP_STARTTLS;
	if (c->imap_security && !strcmp(c->imap_security, "tls"))
		ic->security = IMAP_TLS;
	else if (c->imap_security && !strcmp(c->imap_security, "none"))
		ic->security = IMAP_NONE;
	else if (c->imap_security && strcmp(c->imap_security, "starttls"))
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "[intake] imap_security is starttls, tls or none, "
			     "not '%s'", c->imap_security);
	ic->port = ic->security == IMAP_TLS ? 993 : 143;
	if (c->imap_port) {
		if (parse_int(c->imap_port, 1, 65535, &n))
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "[intake] imap_port is not a port: '%s'",
				     c->imap_port);
		ic->port = (int)n;
	}
	if (!ic->user)
		return error(&cli->err, MAJLIS_ERR_CONFIG,
			     "[intake] imap_host needs imap_user");
	if (c->imap_password_file) {
		if (file_read(c->imap_password_file, 4096, pw) < 0)
			return error(&cli->err, MAJLIS_ERR_CONFIG,
				     "cannot read [intake] imap_password_file "
				     "'%s'", c->imap_password_file);
		while (pw->len && (pw->data[pw->len - 1] == '\n' ||
				   pw->data[pw->len - 1] == '\r'))
			buf_truncate(pw, pw->len - 1);
	} else if (c->imap_password) {
		buf_addstr(pw, c->imap_password);
	}
	ic->password = pw->data;
	return MAJLIS_OK;
}

static void
add_counts(struct ingest_counts *to, const struct ingest_counts *from)
{
	to->seen += from->seen;
	for (int i = 0; i <= INGEST_REVIEW; i++)
		to->by_action[i] += from->by_action[i];
}

enum majlis_status
cli_ingest(struct cli *cli, const char *maildir, int show,
	   struct ingest_counts *c)
{
	return cli_ingest_from(cli, maildir, cli->cfg.imap_host != NULL, 1,
			       show, c);
}

enum majlis_status
cli_ingest_from(struct cli *cli, const char *maildir, int imap,
		int use_maildir, int show, struct ingest_counts *c)
{
	static const char *const cols[] = {
		"source", "kind", "action", "object", "object_id:id", "reason",
		NULL,
	};
	struct intake_config ic;
	struct buf inbox = BUF_INIT, quarantine = BUF_INIT;
	struct rec_printer p = { cli, NULL };
	enum majlis_status rc;

	memset(&ic, 0, sizeof(ic));
	ic.own = cli->mail && cli->mail->from ? cli->mail->from
					       : "conseil@casablanca.ma";
	ic.authserv = cli->cfg.intake_authserv;
	if (maildir)
		buf_addstr(&inbox, maildir);
	else if (cli->cfg.intake_maildir)
		buf_addstr(&inbox, cli->cfg.intake_maildir);
	else
		cli_path(cli, &inbox, "mail/inbox");
	cli_path(cli, &quarantine, "mail/quarantine");
	if (show && !cli->json)
		p.t = table_new(cols);
	memset(c, 0, sizeof(*c));
	rc = MAJLIS_OK;
	if (use_maildir)
		rc = ingest_maildir(&cli->e, &ic, inbox.data, quarantine.data,
				    show ? rec_print : NULL, &p, c, &cli->err);
	if (rc == MAJLIS_OK && imap) {
		struct imap_config imc;
		struct ingest_counts ac;
		struct buf pw = BUF_INIT;

		if (!cli->cfg.imap_host)
			rc = error(&cli->err, MAJLIS_ERR_CONFIG,
				   "no IMAP mailbox in majlis.conf ([intake] "
				   "imap_host)");
		if (rc == MAJLIS_OK)
			rc = imap_config_of(cli, &imc, &pw);
		if (rc == MAJLIS_OK)
			rc = imap_ingest(&cli->e, &imc, &ic, quarantine.data,
					 show ? rec_print : NULL, &p, &ac,
					 &cli->err);
		if (rc == MAJLIS_OK)
			add_counts(c, &ac);
		buf_release(&pw);
	}
	if (p.t) {
		if (c->seen)
			table_print(p.t, stdout);
		table_free(p.t);
	}
	buf_release(&inbox);
	buf_release(&quarantine);
	return rc;
}

enum majlis_status
cmd_ingest(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "maildir", required_argument, NULL, 'm' },
		{ "imap", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char *maildir = NULL;
	int imap = 0;
	struct ingest_counts c;
	enum majlis_status rc;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'm')
			maildir = optarg;
		else if (o == 'i')
			imap = 1;
		else
			return cli_usage(cli, "ingest", "unknown option");
	}
	if (optind != argc)
		return cli_usage(cli, "ingest", "no argument expected");
	/* --maildir, --imap: those; neither: every source configured. */
	if (maildir || imap)
		rc = cli_ingest_from(cli, maildir, imap, maildir != NULL, 1, &c);
	else
		rc = cli_ingest(cli, NULL, 1, &c);
	if (rc == MAJLIS_OK && !cli->json)
		printf("ingest: %d message%s: %d applied, %d rejected, %d "
		       "quarantined, %d ignored, %d duplicate, %d for review\n",
		       c.seen, c.seen == 1 ? "" : "s",
		       c.by_action[INGEST_APPLIED],
		       c.by_action[INGEST_REJECTED],
		       c.by_action[INGEST_QUARANTINED],
		       c.by_action[INGEST_IGNORED],
		       c.by_action[INGEST_DUPLICATE],
		       c.by_action[INGEST_REVIEW]);
	return rc;
}
