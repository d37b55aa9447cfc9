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
	"; structure = structure/casablanca.ini\n";

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
	} else {
		error(p->err, MAJLIS_ERR_CONFIG,
		      "%s:%d: unknown section [%s] (instance, paths)", p->name,
		      p->rd.line, section);
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
	memset(cfg, 0, sizeof(*cfg));
}
