/*
 * config.c - majlis.conf, read with inih.
 *
 * Debian's inih reads lines of at most 200 bytes: longer lines are
 * refused here with their line number rather than cut short. Unknown
 * sections and keys are errors, so that a typo does not silently fall
 * back to a default.
 */
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "../sys.h"
#include "../clock.h"
#include "cli.h"

#define CONFIG_MAX_LINE 199

const char config_template[] =
	"; majlis instance configuration (INI). See README.md.\n"
	"\n"
	"[instance]\n"
	"name = Commune de Casablanca\n"
	"; the mail domain of reply addresses and Message-IDs\n"
	"domain = casablanca.ma\n"
	"; every time shown to people is in this zone\n"
	"timezone = Africa/Casablanca\n"
	"\n"
	"[paths]\n"
	"; where mailflows/, calendar/, structure/ and templates/ are;\n"
	"; by default, next to the majlis binary or its install prefix\n"
	"; data = /usr/local/share/majlis\n"
	"; the structure (bodies and organizations) loaded by init\n"
	"; structure = structure/casablanca.ini\n"
	"\n"
	"[mail]\n"
	"; the engine's own address: replies come back to it, with a token\n"
	"; after a plus (conseil+t.TOKEN@...)\n"
	"from = conseil@casablanca.ma\n"
	"name_fr = Conseil de la Commune de Casablanca\n"
	"name_ar = مجلس جماعة الدار البيضاء\n"
	"; maildir: messages go to mail/outbox (the demo); smtp: [smtp]\n"
	"transport = maildir\n"
	"\n"
	"[smtp]\n"
	"; host = smtp.casablanca.ma\n"
	"; port = 587\n"
	"; starttls (port 587), tls (port 465) or none (loopback only)\n"
	"; security = starttls\n"
	"; user = conseil\n"
	"; password_file = /etc/majlis/smtp-password\n"
	"; helo = majlis.casablanca.ma\n"
	"; timeout = 30\n"
	"; the server's certificate is checked against the system's\n"
	"; authorities and its name, or ca_file, or its SHA-256 fingerprint\n"
	"; ca_file = /etc/majlis/smtp-ca.pem\n"
	"; fingerprint = sha256:...\n"
	"; verify = yes\n"
	"\n"
	"[notify]\n"
	"; the hour of the daily digests, and hours without e-mail or SMS\n"
	"digest_hour = 7\n"
	"quiet = 21:00-07:00\n"
	"\n"
	"[sms]\n"
	"; the outbox folder of Gammu's SMS daemon (files back-end)\n"
	"spool = sms/outbox\n"
	"\n"
	"[intake]\n"
	"; the Maildir replies, receipts and bounces arrive in (deliver\n"
	"; from+t.*@domain there); by default mail/inbox\n"
	"; maildir = /var/mail/majlis\n"
	"; the name our own mail server gives in Authentication-Results:\n"
	"; its DMARC and DKIM failures reject a reply\n"
	"; authserv = mx.casablanca.ma\n"
	"; or an IMAP mailbox, read by UID (majlis ingest --imap, and run)\n"
	"; imap_host = imap.casablanca.ma\n"
	"; imap_port = 143\n"
	"; starttls (port 143), tls (port 993) or none (loopback only)\n"
	"; imap_security = starttls\n"
	"; imap_user = conseil\n"
	"; imap_password_file = /etc/majlis/imap-password\n"
	"; imap_mailbox = INBOX\n"
	"; imap_ca_file = /etc/majlis/imap-ca.pem\n";

struct reader {
	const char *p, *end;	/* what is left to read */
	int line;		/* lines handed out so far */
	int too_long;		/* the first line that was too long, or 0 */
};

static char *
read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	const char *nl;
	size_t n;

	if (r->p >= r->end)
		return NULL;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = nl ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
	r->line++;
	if (n > CONFIG_MAX_LINE || n >= (size_t)num) {
		if (!r->too_long)
			r->too_long = r->line;
		str[0] = '\n';
		str[1] = '\0';
	} else {
		memcpy(str, r->p, n);
		str[n] = '\0';
	}
	r->p += n;
	return str;
}

struct parse {
	struct config *cfg;
	struct reader rd;
	const char *name;
	struct buf *err;
	int failed;
};

static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;
	struct config *c = p->cfg;
	char **slot = NULL;

	if (!strcmp(section, "instance")) {
		if (!strcmp(key, "name"))
			slot = &c->name;
		else if (!strcmp(key, "domain"))
			slot = &c->domain;
		else if (!strcmp(key, "timezone"))
			slot = &c->timezone;
	} else if (!strcmp(section, "paths")) {
		if (!strcmp(key, "data"))
			slot = &c->datadir;
		else if (!strcmp(key, "structure"))
			slot = &c->structure;
	} else if (!strcmp(section, "mail")) {
		if (!strcmp(key, "from"))
			slot = &c->mail_from;
		else if (!strcmp(key, "name_fr"))
			slot = &c->mail_name_fr;
		else if (!strcmp(key, "name_ar"))
			slot = &c->mail_name_ar;
		else if (!strcmp(key, "transport"))
			slot = &c->transport;
	} else if (!strcmp(section, "smtp")) {
		if (!strcmp(key, "host"))
			slot = &c->smtp_host;
		else if (!strcmp(key, "port"))
			slot = &c->smtp_port;
		else if (!strcmp(key, "security"))
			slot = &c->smtp_security;
		else if (!strcmp(key, "user"))
			slot = &c->smtp_user;
		else if (!strcmp(key, "password"))
			slot = &c->smtp_password;
		else if (!strcmp(key, "password_file"))
			slot = &c->smtp_password_file;
		else if (!strcmp(key, "helo"))
			slot = &c->smtp_helo;
		else if (!strcmp(key, "timeout"))
			slot = &c->smtp_timeout;
		else if (!strcmp(key, "verify"))
			slot = &c->smtp_verify;
		else if (!strcmp(key, "ca_file"))
			slot = &c->smtp_ca_file;
		else if (!strcmp(key, "fingerprint"))
			slot = &c->smtp_fingerprint;
	} else if (!strcmp(section, "notify")) {
		if (!strcmp(key, "digest_hour"))
			slot = &c->digest_hour;
		else if (!strcmp(key, "quiet"))
			slot = &c->quiet_hours;
	} else if (!strcmp(section, "sms")) {
		if (!strcmp(key, "spool"))
			slot = &c->sms_spool;
	} else if (!strcmp(section, "intake")) {
		if (!strcmp(key, "maildir"))
			slot = &c->intake_maildir;
		else if (!strcmp(key, "authserv"))
			slot = &c->intake_authserv;
		else if (!strcmp(key, "imap_host"))
			slot = &c->imap_host;
		else if (!strcmp(key, "imap_port"))
			slot = &c->imap_port;
		else if (!strcmp(key, "imap_security"))
			slot = &c->imap_security;
		else if (!strcmp(key, "imap_user"))
			slot = &c->imap_user;
		else if (!strcmp(key, "imap_password"))
			slot = &c->imap_password;
		else if (!strcmp(key, "imap_password_file"))
			slot = &c->imap_password_file;
		else if (!strcmp(key, "imap_mailbox"))
			slot = &c->imap_mailbox;
		else if (!strcmp(key, "imap_verify"))
			slot = &c->imap_verify;
		else if (!strcmp(key, "imap_ca_file"))
			slot = &c->imap_ca_file;
		else if (!strcmp(key, "imap_fingerprint"))
			slot = &c->imap_fingerprint;
	} else {
		error(p->err, MAJLIS_ERR_CONFIG,
		      "%s:%d: unknown section [%s] (instance, paths, mail, "
		      "smtp, notify, sms, intake)",
		      p->name, p->rd.line, section);
		p->failed = 1;
		return 0;
	}
	if (!slot) {
		error(p->err, MAJLIS_ERR_CONFIG,
		      "%s:%d: unknown key '%s' in [%s]", p->name, p->rd.line,
		      key, section);
		p->failed = 1;
		return 0;
	}
	if (!*value) {
		error(p->err, MAJLIS_ERR_CONFIG, "%s:%d: '%s' is empty",
		      p->name, p->rd.line, key);
		p->failed = 1;
		return 0;
	}
	free(*slot);
	*slot = xstrdup(value);
	return 1;
}

static void
defaults(struct config *cfg)
{
	if (!cfg->name)
		cfg->name = xstrdup("Commune de Casablanca");
	if (!cfg->domain)
		cfg->domain = xstrdup("casablanca.ma");
	if (!cfg->timezone)
		cfg->timezone = xstrdup("Africa/Casablanca");
	if (!cfg->structure)
		cfg->structure = xstrdup("structure/casablanca.ini");
	if (!cfg->mail_from) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "conseil@%s", cfg->domain);
		cfg->mail_from = buf_detach(&b, NULL);
	}
	if (!cfg->mail_name_fr)
		cfg->mail_name_fr =
			xstrdup("Conseil de la Commune de Casablanca");
	if (!cfg->mail_name_ar)
		cfg->mail_name_ar = xstrdup("مجلس جماعة الدار البيضاء");
	if (!cfg->transport)
		cfg->transport = xstrdup("maildir");
	if (!cfg->digest_hour)
		cfg->digest_hour = xstrdup("7");
	if (!cfg->quiet_hours)
		cfg->quiet_hours = xstrdup("21:00-07:00");
	if (!cfg->sms_spool)
		cfg->sms_spool = xstrdup("sms/outbox");
}

enum majlis_status
config_parse(const char *name, const char *data, size_t len,
	     struct config *cfg, struct buf *err)
{
	struct parse p;
	int line;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.name = name;
	p.err = err;
	p.rd.p = data;
	p.rd.end = data + len;
	if (memchr(data, '\0', len))
		return error(err, MAJLIS_ERR_CONFIG, "%s: NUL byte", name);
	line = ini_parse_stream(read_line, &p.rd, handler, &p);
	if (p.rd.too_long)
		return error(err, MAJLIS_ERR_CONFIG,
			     "%s:%d: line longer than %d bytes", name,
			     p.rd.too_long, CONFIG_MAX_LINE);
	if (p.failed)
		return MAJLIS_ERR_CONFIG;
	if (line != 0)
		return error(err, MAJLIS_ERR_CONFIG,
			     "%s:%d: expected [section] or key = value", name,
			     line);
	defaults(cfg);
	return MAJLIS_OK;
}

enum majlis_status
config_load(const char *path, struct config *cfg, struct buf *err)
{
	struct buf data = BUF_INIT;
	enum majlis_status rc;

	if (file_read(path, 1 << 20, &data) < 0) {
		if (errno == ENOENT) {
			defaults(cfg);
			buf_release(&data);
			return MAJLIS_OK;
		}
		rc = error(err, MAJLIS_ERR_CONFIG, "cannot read '%s': %s", path,
			   strerror(errno));
		buf_release(&data);
		return rc;
	}
	cfg->found = 1;
	rc = config_parse(path, data.data, data.len, cfg, err);
	buf_release(&data);
	return rc;
}

void
config_release(struct config *cfg)
{
	free(cfg->name);
	free(cfg->domain);
	free(cfg->timezone);
	free(cfg->datadir);
	free(cfg->structure);
	free(cfg->mail_from);
	free(cfg->mail_name_fr);
	free(cfg->mail_name_ar);
	free(cfg->transport);
	free(cfg->smtp_host);
	free(cfg->smtp_port);
	free(cfg->smtp_security);
	free(cfg->smtp_user);
	free(cfg->smtp_password);
	free(cfg->smtp_password_file);
	free(cfg->smtp_helo);
	free(cfg->smtp_timeout);
	free(cfg->smtp_verify);
	free(cfg->smtp_ca_file);
	free(cfg->smtp_fingerprint);
	free(cfg->intake_maildir);
	free(cfg->intake_authserv);
	free(cfg->imap_host);
	free(cfg->imap_port);
	free(cfg->imap_security);
	free(cfg->imap_user);
	free(cfg->imap_password);
	free(cfg->imap_password_file);
	free(cfg->imap_mailbox);
	free(cfg->imap_verify);
	free(cfg->imap_ca_file);
	free(cfg->imap_fingerprint);
	free(cfg->digest_hour);
	free(cfg->quiet_hours);
	free(cfg->sms_spool);
	memset(cfg, 0, sizeof(*cfg));
}
