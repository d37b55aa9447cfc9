/*
 * notify-rules.c - the notification rules (see notify.h; the format is
 * in notify/README.md): reading them, as layers, with the strict reader
 * of definition files (defs.h), checking them, and matching a person
 * against them. Nothing here touches the store.
 *
 * Layout: the messages whose text the rules hold; the loaded form; the
 * parser, one callback per section and key; the checks that need every
 * layer and the mailflows; matching; rendering those messages.
 */
#include "notify.h"

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "flow.h"
#include "objects.h"
#include "sys.h"

/* The most words of one list value, and the longest pattern or name. */
#define MAX_WORDS 64
#define MAX_NAME 64

/*
 * The messages no mailflow declares: their French and Arabic texts are
 * the rules' [message NAME] sections, with these placeholders only.
 */
static const struct builtin {
	const char *name;
	const char *const fields[10];
} builtins[] = {
	{ "data-error-holiday",
	  { "title_fr", "title_ar", "starts_at_fr", "starts_at_ar",
	    "organization_fr", "organization_ar", "holiday_fr", "holiday_ar",
	    NULL } },
	{ "data-error-weekend",
	  { "title_fr", "title_ar", "starts_at_fr", "starts_at_ar",
	    "organization_fr", "organization_ar", NULL } },
	{ "data-error-quorum",
	  { "title_fr", "title_ar", "starts_at_fr", "starts_at_ar",
	    "organization_fr", "organization_ar", "members", "available",
	    "needed", NULL } },
	{ "data-error-no-email", { "person_fr", "person_ar", "code", NULL } },
	{ "data-error-no-phone", { "person_fr", "person_ar", "code", NULL } },
	{ "data-error-bounce",
	  { "person_fr", "person_ar", "code", "address", "status",
	    "diagnostic", NULL } },
	{ "escalation",
	  { "persons_fr", "persons_ar", "subject_fr", "subject_ar",
	    "sent_at_fr", "sent_at_ar", NULL } },
};

#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static const char *const colours[] = { "green", "amber", "red" };
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

static const struct builtin *
builtin_find(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* The keys, by section. */
enum key {
	K_FORMAT,
	K_ENABLED,
	K_CHANNELS,
	K_COLOUR,
	K_ACK,
	K_MESSAGE,
	K_PROFILE,
	K_ROLE,
	K_KIND,
	K_FR,
	K_AR,
	K_TODO_FR,
	K_TODO_AR,
	K__COUNT
};

static const char *const key_names[K__COUNT] = {
	"format", "enabled", "channels", "colour", "ack", "message",
	"profile", "role", "kind", "fr", "ar", "todo_fr", "todo_ar",
};

enum section {
	SEC_NONE,
	SEC_NOTIFY,
	SEC_DEFAULT,
	SEC_RULE,
	SEC_MESSAGE,
};

/* The keys each section takes, as bits of enum key. */
static const unsigned section_keys[] = {
	[SEC_NONE] = 0,
	[SEC_NOTIFY] = 1u << K_FORMAT,
	[SEC_DEFAULT] = 1u << K_ENABLED | 1u << K_CHANNELS | 1u << K_COLOUR |
			1u << K_ACK,
	[SEC_RULE] = 1u << K_ENABLED | 1u << K_CHANNELS | 1u << K_COLOUR |
		     1u << K_ACK | 1u << K_MESSAGE | 1u << K_PROFILE |
		     1u << K_ROLE | 1u << K_KIND,
	[SEC_MESSAGE] = 1u << K_FR | 1u << K_AR | 1u << K_TODO_FR |
			1u << K_TODO_AR,
};

/* Keys that may repeat, each line adding to the list. */
static const unsigned list_keys = 1u << K_MESSAGE | 1u << K_PROFILE |
				  1u << K_ROLE | 1u << K_KIND;

/* What a rule, or a [default], decides: only the keys it gives. */
struct outcome {
	unsigned set;		/* bits of enum key given */
	int enabled;
	unsigned channels;	/* enum notify_channel bits */
	int colour;		/* index in colours[] */
	int ack;		/* 0: none wanted */
	struct offset ack_within;
};

struct word {
	char *text;
	int line;		/* where it was written */
};

struct words {
	struct word *v;
	size_t n, cap;
};

struct rule {
	char *name;
	int line;
	struct words messages;	/* patterns; none: any message */
	struct words profiles;	/* none: any profile */
	struct words roles;	/* none: any role */
	struct words kinds;	/* dossier kinds; none: any */
	struct outcome out;
};

struct message_def {
	char *name;
	int line;
	char *text[4];		/* fr, ar, todo_fr, todo_ar, or NULL */
};

struct layer {
	char *file;
	struct outcome def;	/* its [default] */
	struct rule *rules;
	size_t nrules, caprules;
	struct message_def *msgs;
	size_t nmsgs, capmsgs;
};

struct notify_rules {
	struct layer *layers;	/* bottom (shipped) first */
	size_t nlayers, cap;
};

static void
words_release(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].text);
	free(w->v);
}

static void
layer_release(struct layer *l)
{
	for (size_t i = 0; i < l->nrules; i++) {
		free(l->rules[i].name);
		words_release(&l->rules[i].messages);
		words_release(&l->rules[i].profiles);
		words_release(&l->rules[i].roles);
		words_release(&l->rules[i].kinds);
	}
	free(l->rules);
	for (size_t i = 0; i < l->nmsgs; i++) {
		free(l->msgs[i].name);
		for (int k = 0; k < 4; k++)
			free(l->msgs[i].text[k]);
	}
	free(l->msgs);
	free(l->file);
}

enum majlis_status
notify_rules_new(struct notify_rules **out)
{
	*out = xcalloc(1, sizeof(**out));
	return MAJLIS_OK;
}

void
notify_rules_free(struct notify_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nlayers; i++)
		layer_release(&r->layers[i]);
	free(r->layers);
	free(r);
}

/* The parser's state, for one file. */
struct parser {
	struct layer *l;
	enum section sec;
	int format;		/* the format read, 0 before */
	int notify_line;	/* where [notify] was, 0 before */
	int default_line;	/* where [default] was, 0 before */
	size_t cur;		/* the rule or message being read */
	unsigned seen;		/* keys given in the current section */
	int seen_line[K__COUNT]; /* and where */
	const char *file;
	int last_line;
};

static int
lower_word(const char *s, const char *extra)
{
	if (!*s || strlen(s) > MAX_NAME)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return 0;
	return 1;
}

/* Splits a list value into words: -1 (reported) when there are none or
 * too many. */
static int
split_list(const struct defs_item *it, char *copy, char **words,
	   struct buf *err)
{
	int n = split_words(copy, words, MAX_WORDS);

	if (n < 0)
		defs_error(err, it, "'%s' lists more than %d words", it->key,
			   MAX_WORDS);
	else if (n == 0)
		defs_error(err, it, "'%s' is empty", it->key);
	return n > 0 ? n : -1;
}

static void
words_add(struct words *w, const char *s, int line)
{
	xgrow(&w->v, &w->cap, w->n + 1, sizeof(*w->v));
	w->v[w->n].text = xstrdup(s);
	w->v[w->n].line = line;
	w->n++;
}

static enum majlis_status
parse_channels(const struct defs_item *it, unsigned *out, struct buf *err)
{
	char *copy = xstrdup(it->value), *words[MAX_WORDS];
	int n = split_words(copy, words, MAX_WORDS);
	enum majlis_status rc = MAJLIS_OK;

	*out = 0;
	if (n == 0)
		rc = defs_error(err, it,
				"channels names at least one of inbox, email, "
				"sms (to tell nobody: enabled = no)");
	else if (n < 0)
		rc = defs_error(err, it, "too many channels");
	for (int i = 0; i < n && rc == MAJLIS_OK; i++) {
		unsigned bit = !strcmp(words[i], "inbox")   ? NOTIFY_INBOX
			       : !strcmp(words[i], "email") ? NOTIFY_EMAIL
			       : !strcmp(words[i], "sms")   ? NOTIFY_SMS
							    : 0;

		if (!bit)
			rc = defs_error(err, it,
					"unknown channel '%s' (inbox, email, "
					"sms)",
					words[i]);
		else if (*out & bit)
			rc = defs_error(err, it, "channel '%s' given twice",
					words[i]);
		*out |= bit;
	}
	free(copy);
	return rc;
}

static enum majlis_status
parse_ack(const struct defs_item *it, struct outcome *o, struct buf *err)
{
	static const int max[] = {
		[OFFSET_MINUTES] = 366 * 24 * 60, [OFFSET_HOURS] = 366 * 24,
		[OFFSET_DAYS] = 366, [OFFSET_WORKDAYS] = 250,
		[OFFSET_MONTHS] = 12,
	};
	struct offset off;

	if (!strcmp(it->value, "no")) {
		o->ack = 0;
		return MAJLIS_OK;
	}
	if (it->value[0] == '+' || it->value[0] == '-' ||
	    offset_parse(it->value, &off) || off.n <= 0 ||
	    off.n > max[off.unit])
		return defs_error(err, it,
				  "ack is a delay such as 4h, 2d or 3wd (at "
				  "most a year), or no; not '%s'",
				  it->value);
	o->ack = 1;
	o->ack_within = off;
	return MAJLIS_OK;
}

/* A key of [default] or [rule]: what it decides. */
static enum majlis_status
parse_outcome(const struct defs_item *it, enum key k, struct outcome *o,
	      struct buf *err)
{
	switch (k) {
	case K_ENABLED:
		if (strcmp(it->value, "yes") && strcmp(it->value, "no"))
			return defs_error(err, it,
					  "enabled is yes or no, not '%s'",
					  it->value);
		o->enabled = !strcmp(it->value, "yes");
		break;
	case K_CHANNELS:
		if (parse_channels(it, &o->channels, err) != MAJLIS_OK)
			return MAJLIS_ERR_DATA;
		break;
	case K_COLOUR:
		for (o->colour = 0; o->colour < (int)NCOLOURS; o->colour++)
			if (!strcmp(colours[o->colour], it->value))
				break;
		if (o->colour == (int)NCOLOURS)
			return defs_error(err, it,
					  "colour is green, amber or red, not "
					  "'%s'",
					  it->value);
		break;
	case K_ACK:
		if (parse_ack(it, o, err) != MAJLIS_OK)
			return MAJLIS_ERR_DATA;
		break;
	default:
		BUG("key %d is not an outcome", (int)k);
	}
	o->set |= 1u << k;
	return MAJLIS_OK;
}

/* A matching key of [rule]: its words, checked. */
static enum majlis_status
parse_match(const struct defs_item *it, enum key k, struct rule *ru,
	    struct buf *err)
{
	char *copy = xstrdup(it->value), *words[MAX_WORDS];
	int n = split_list(it, copy, words, err);
	enum majlis_status rc = n < 0 ? MAJLIS_ERR_DATA : MAJLIS_OK;

	for (int i = 0; i < n && rc == MAJLIS_OK; i++) {
		const char *w = words[i];
		struct words *list;

		switch (k) {
		case K_MESSAGE:
			if (!lower_word(w, "-_.*?"))
				rc = defs_error(err, it,
						"bad message pattern '%s' "
						"(letters, digits, '-', '_', "
						"'.', and '*' or '?' as "
						"wildcards)",
						w);
			list = &ru->messages;
			break;
		case K_PROFILE:
			if (strcmp(w, "elu") && strcmp(w, "fonctionnaire") &&
			    strcmp(w, "invite"))
				rc = defs_error(err, it,
						"unknown profile '%s' (elu, "
						"fonctionnaire, invite)",
						w);
			list = &ru->profiles;
			break;
		case K_ROLE:
			if (!role_known(w)) {
				struct buf all = BUF_INIT;

				for (const char *const *r = known_roles; *r;
				     r++)
					buf_addf(&all, "%s%s",
						 r == known_roles ? "" : ", ",
						 *r);
				rc = defs_error(err, it,
						"unknown role '%s' (%s)", w,
						all.data);
				buf_release(&all);
			}
			list = &ru->roles;
			break;
		case K_KIND:
			if (!lower_word(w, "-_"))
				rc = defs_error(err, it,
						"bad dossier kind '%s' (small "
						"letters, digits, '-', '_')",
						w);
			list = &ru->kinds;
			break;
		default:
			BUG("key %d is not a match", (int)k);
		}
		for (size_t j = 0; rc == MAJLIS_OK && j < list->n; j++)
			if (!strcmp(list->v[j].text, w))
				rc = defs_error(err, it, "'%s' given twice in "
						"'%s' (line %d)",
						w, it->key, list->v[j].line);
		if (rc == MAJLIS_OK)
			words_add(list, w, it->line);
	}
	free(copy);
	return rc;
}

/* Checks the placeholders of a text of a built-in message. */
static enum majlis_status
check_text(const struct defs_item *it, const struct builtin *b,
	   struct buf *err)
{
	const char *s = it->value;

	while ((s = strstr(s, "{{")) != NULL) {
		const char *end = strstr(s + 2, "}}");
		char name[MAX_NAME + 1];
		size_t n;
		int known = 0;

		if (!end)
			return defs_error(err, it, "'{{' without '}}'");
		n = (size_t)(end - s - 2);
		if (n == 2 && !memcmp(s + 2, "{{", 2)) {
			s = end + 2;
			continue;
		}
		if (!b)
			return defs_error(err, it,
					  "%s takes no placeholders: it is "
					  "written as it is",
					  it->key);
		if (n == 0 || n > MAX_NAME)
			return defs_error(err, it,
					  "bad placeholder (a name between "
					  "{{ and }})");
		memcpy(name, s + 2, n);
		name[n] = '\0';
		for (const char *const *f = b->fields; *f; f++)
			known |= !strcmp(*f, name);
		if (!known) {
			struct buf all = BUF_INIT;

			for (const char *const *f = b->fields; *f; f++)
				buf_addf(&all, "%s%s",
					 f == b->fields ? "" : ", ", *f);
			defs_error(err, it,
				   "unknown placeholder '{{%s}}' in message "
				   "'%s' (it has: %s)",
				   name, b->name, all.data);
			buf_release(&all);
			return MAJLIS_ERR_DATA;
		}
		s = end + 2;
	}
	return MAJLIS_OK;
}

static enum majlis_status
parse_text(const struct defs_item *it, enum key k, struct message_def *m,
	   struct buf *err)
{
	const struct builtin *b = builtin_find(m->name);

	if ((k == K_FR || k == K_AR) && !b) {
		struct buf all = BUF_INIT;

		for (size_t i = 0; i < NBUILTINS; i++)
			buf_addf(&all, "%s%s", i ? ", " : "",
				 builtins[i].name);
		defs_error(err, it,
			   "message '%s' has its text in its mailflow: give "
			   "it todo_fr and todo_ar only (fr and ar are for "
			   "%s)",
			   m->name, all.data);
		buf_release(&all);
		return MAJLIS_ERR_DATA;
	}
	if (!*it->value)
		return defs_error(err, it, "%s is empty", it->key);
	if (check_text(it, k == K_FR || k == K_AR ? b : NULL, err) !=
	    MAJLIS_OK)
		return MAJLIS_ERR_DATA;
	m->text[k - K_FR] = xstrdup(it->value);
	return MAJLIS_OK;
}

static enum majlis_status
section_start(struct parser *p, const struct defs_item *it, struct buf *err)
{
	struct layer *l = p->l;

	p->seen = 0;
	if (!strcmp(it->kind, "notify")) {
		if (*it->name)
			return defs_error(err, it, "[notify] takes no name");
		if (p->notify_line)
			return defs_error(err, it,
					  "[notify] given twice (line %d)",
					  p->notify_line);
		p->notify_line = it->line;
		p->sec = SEC_NOTIFY;
		return MAJLIS_OK;
	}
	if (!p->format)
		return defs_error(err, it,
				  "the file must start with [notify] and "
				  "format = %d",
				  NOTIFY_FORMAT);
	if (!strcmp(it->kind, "default")) {
		if (*it->name)
			return defs_error(err, it, "[default] takes no name");
		if (p->default_line)
			return defs_error(err, it,
					  "[default] given twice (line %d)",
					  p->default_line);
		p->default_line = it->line;
		p->sec = SEC_DEFAULT;
	} else if (!strcmp(it->kind, "rule")) {
		if (!*it->name)
			return defs_error(err, it,
					  "a rule needs a name: [rule NAME]");
		for (size_t i = 0; i < l->nrules; i++)
			if (!strcmp(l->rules[i].name, it->name))
				return defs_error(err, it,
						  "rule '%s' given twice "
						  "(line %d)",
						  it->name, l->rules[i].line);
		xgrow(&l->rules, &l->caprules, l->nrules + 1,
		      sizeof(*l->rules));
		p->cur = l->nrules++;
		memset(&l->rules[p->cur], 0, sizeof(*l->rules));
		l->rules[p->cur].name = xstrdup(it->name);
		l->rules[p->cur].line = it->line;
		p->sec = SEC_RULE;
	} else if (!strcmp(it->kind, "message")) {
		if (!*it->name)
			return defs_error(err, it,
					  "[message NAME] needs the message's "
					  "name");
		for (size_t i = 0; i < l->nmsgs; i++)
			if (!strcmp(l->msgs[i].name, it->name))
				return defs_error(err, it,
						  "message '%s' given twice "
						  "(line %d)",
						  it->name, l->msgs[i].line);
		xgrow(&l->msgs, &l->capmsgs, l->nmsgs + 1, sizeof(*l->msgs));
		p->cur = l->nmsgs++;
		memset(&l->msgs[p->cur], 0, sizeof(*l->msgs));
		l->msgs[p->cur].name = xstrdup(it->name);
		l->msgs[p->cur].line = it->line;
		p->sec = SEC_MESSAGE;
	} else {
		return defs_error(err, it,
				  "unknown section [%s] (notify, default, rule "
				  "NAME, message NAME)",
				  it->kind);
	}
	return MAJLIS_OK;
}

static enum majlis_status
on_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct parser *p = ctx;
	enum key k;

	p->last_line = it->line;
	if (!it->key)
		return section_start(p, it, err);
	if (p->sec == SEC_NONE)
		return defs_error(err, it,
				  "'%s' outside a section: the file starts "
				  "with [notify] and format = %d",
				  it->key, NOTIFY_FORMAT);
	for (k = 0; k < K__COUNT; k++)
		if (!strcmp(key_names[k], it->key))
			break;
	if (k == K__COUNT || !(section_keys[p->sec] & (1u << k))) {
		struct buf all = BUF_INIT;

		for (int i = 0; i < K__COUNT; i++)
			if (section_keys[p->sec] & (1u << i))
				buf_addf(&all, "%s%s", all.len ? ", " : "",
					 key_names[i]);
		defs_error(err, it, "unknown key '%s' in [%s] (%s)", it->key,
			   it->kind, all.data);
		buf_release(&all);
		return MAJLIS_ERR_DATA;
	}
	if ((p->seen & (1u << k)) && !(list_keys & (1u << k)))
		return defs_error(err, it, "'%s' given twice (line %d)",
				  it->key, p->seen_line[k]);
	p->seen |= 1u << k;
	p->seen_line[k] = it->line;
	switch (p->sec) {
	case SEC_NOTIFY: {
		long long n;

		if (parse_int(it->value, 0, 1000000, &n) || n != NOTIFY_FORMAT)
			return defs_error(err, it,
					  "format '%s' is not one this majlis "
					  "reads (%d)",
					  it->value, NOTIFY_FORMAT);
		p->format = (int)n;
		return MAJLIS_OK;
	}
	case SEC_DEFAULT:
		return parse_outcome(it, k, &p->l->def, err);
	case SEC_RULE:
		if (list_keys & (1u << k))
			return parse_match(it, k, &p->l->rules[p->cur], err);
		return parse_outcome(it, k, &p->l->rules[p->cur].out, err);
	case SEC_MESSAGE:
		return parse_text(it, k, &p->l->msgs[p->cur], err);
	default:
		BUG("section %d", (int)p->sec);
	}
}

enum majlis_status
notify_rules_add(struct notify_rules *r, const char *name, const char *data,
		 size_t len, struct buf *err)
{
	struct layer l;
	struct parser p;
	enum majlis_status rc;

	memset(&l, 0, sizeof(l));
	memset(&p, 0, sizeof(p));
	l.file = xstrdup(name);
	p.l = &l;
	p.file = name;
	rc = defs_parse(name, data, len, on_item, &p, err);
	if (rc == MAJLIS_OK && !p.format) {
		struct defs_item it = { name, p.last_line ? p.last_line : 1,
					"", "", NULL, NULL };

		rc = defs_error(err, &it,
				"no [notify] section with format = %d",
				NOTIFY_FORMAT);
	}
	if (rc != MAJLIS_OK) {
		layer_release(&l);
		return rc;
	}
	xgrow(&r->layers, &r->cap, r->nlayers + 1, sizeof(*r->layers));
	r->layers[r->nlayers++] = l;
	return MAJLIS_OK;
}

enum majlis_status
notify_rules_add_file(struct notify_rules *r, const char *path,
		      struct buf *err)
{
	struct buf data = BUF_INIT;
	enum majlis_status rc;

	if (file_read(path, DEFS_MAX_FILE, &data) < 0) {
		rc = error(err, MAJLIS_ERR_NOINPUT, "cannot read '%s'", path);
		buf_release(&data);
		return rc;
	}
	rc = notify_rules_add(r, path, data.data, data.len, err);
	buf_release(&data);
	return rc;
}

/* The text of key k (0 fr, 1 ar, 2 todo_fr, 3 todo_ar) of message name,
 * from the top-most layer that gives it; *where gets its definition. */
static const char *
message_text(const struct notify_rules *r, const char *name, int k,
	     const struct message_def **where)
{
	for (size_t i = r ? r->nlayers : 0; i-- > 0;) {
		const struct layer *l = &r->layers[i];

		for (size_t j = 0; j < l->nmsgs; j++) {
			if (strcmp(l->msgs[j].name, name) ||
			    !l->msgs[j].text[k])
				continue;
			if (where)
				*where = &l->msgs[j];
			return l->msgs[j].text[k];
		}
	}
	return NULL;
}

/* True when a layer above layer i redefines rule name. */
static int
shadowed(const struct notify_rules *r, size_t i, const char *name)
{
	for (size_t k = i + 1; k < r->nlayers; k++)
		for (size_t j = 0; j < r->layers[k].nrules; j++)
			if (!strcmp(r->layers[k].rules[j].name, name))
				return 1;
	return 0;
}

size_t
notify_rules_count(const struct notify_rules *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nlayers; i++)
		for (size_t j = 0; j < r->layers[i].nrules; j++)
			n += !shadowed(r, i, r->layers[i].rules[j].name);
	return n;
}

struct names {
	char **v;
	size_t n, cap;
};

static void
collect_name(void *ctx, const char *name)
{
	struct names *ns = ctx;

	xgrow(&ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(name);
}

static int
matches_any(const struct names *ns, const char *pattern)
{
	for (size_t i = 0; i < ns->n; i++)
		if (notify_pattern_match(pattern, ns->v[i]))
			return 1;
	return 0;
}

static enum majlis_status line_error(struct buf *err, const char *file,
				     int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum majlis_status
line_error(struct buf *err, const char *file, int line, const char *fmt, ...)
{
	struct defs_item it = { file, line, "", "", NULL, NULL };
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	defs_error(err, &it, "%s", msg.data);
	buf_release(&msg);
	return MAJLIS_ERR_DATA;
}

enum majlis_status
notify_rules_check(const struct notify_rules *r, const struct flowset *fs,
		   struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;
	struct names known = { NULL, 0, 0 };
	const char *base = r->nlayers ? r->layers[0].file : "notify rules";

	for (size_t i = 0; i < NBUILTINS; i++) {
		for (int k = 0; k < 2; k++) {
			if (message_text(r, builtins[i].name, k, NULL))
				continue;
			rc = error(err, MAJLIS_ERR_DATA,
				   "%s: message '%s' has no %s text (add %s "
				   "to [message %s])",
				   base, builtins[i].name,
				   k ? "Arabic" : "French", k ? "ar" : "fr",
				   builtins[i].name);
		}
	}
	if (!fs)
		return rc;
	flowset_each_message(fs, collect_name, &known);
	for (size_t i = 0; i < NBUILTINS; i++)
		collect_name(&known, builtins[i].name);
	for (size_t i = 0; i < r->nlayers; i++) {
		const struct layer *l = &r->layers[i];

		for (size_t j = 0; j < l->nmsgs; j++)
			if (!matches_any(&known, l->msgs[j].name))
				rc = line_error(err, l->file, l->msgs[j].line,
						"no mailflow has a message "
						"'%s'",
						l->msgs[j].name);
		for (size_t j = 0; j < l->nrules; j++) {
			const struct words *w = &l->rules[j].messages;

			for (size_t k = 0; k < w->n; k++)
				if (!matches_any(&known, w->v[k].text))
					rc = line_error(
						err, l->file, w->v[k].line,
						"rule '%s': '%s' matches no "
						"message (of the mailflows, "
						"the data errors or the "
						"escalation)",
						l->rules[j].name, w->v[k].text);
		}
	}
	for (size_t i = 0; i < known.n; i++)
		free(known.v[i]);
	free(known.v);
	return rc;
}

int
notify_pattern_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	/* The classic backtracking on the last '*': linear enough for
	 * names of a few dozen characters. */
	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static int
in_words(const struct words *w, const char *s)
{
	for (size_t i = 0; s && i < w->n; i++)
		if (!strcmp(w->v[i].text, s))
			return 1;
	return 0;
}

static int
rule_matches(const struct rule *ru, const struct notify_subject *s)
{
	int hit = 0;

	if (ru->messages.n) {
		for (size_t i = 0; i < ru->messages.n && !hit; i++)
			hit = notify_pattern_match(ru->messages.v[i].text,
						   s->message);
		if (!hit)
			return 0;
	}
	if (ru->profiles.n && !in_words(&ru->profiles, s->profile))
		return 0;
	if (ru->roles.n) {
		hit = 0;
		for (size_t i = 0; i < s->nroles && !hit; i++)
			hit = in_words(&ru->roles, s->roles[i]);
		if (!hit)
			return 0;
	}
	if (ru->kinds.n && !in_words(&ru->kinds, s->dossier_kind))
		return 0;
	return 1;
}

static void
overlay(struct outcome *o, const struct outcome *top)
{
	if (top->set & (1u << K_ENABLED))
		o->enabled = top->enabled;
	if (top->set & (1u << K_CHANNELS))
		o->channels = top->channels;
	if (top->set & (1u << K_COLOUR))
		o->colour = top->colour;
	if (top->set & (1u << K_ACK)) {
		o->ack = top->ack;
		o->ack_within = top->ack_within;
	}
}

void
notify_rules_match(const struct notify_rules *r,
		   const struct notify_subject *s, struct notify_choice *out)
{
	struct outcome o;
	const struct rule *hit = NULL;
	const struct layer *where = NULL;

	memset(&o, 0, sizeof(o));
	o.enabled = 1;
	o.channels = NOTIFY_INBOX;
	for (size_t i = 0; r && i < r->nlayers; i++)
		overlay(&o, &r->layers[i].def);
	for (size_t i = r ? r->nlayers : 0; i-- > 0 && !hit;) {
		const struct layer *l = &r->layers[i];

		for (size_t j = 0; j < l->nrules && !hit; j++) {
			if (!rule_matches(&l->rules[j], s) ||
			    shadowed(r, i, l->rules[j].name))
				continue;
			hit = &l->rules[j];
			where = l;
		}
	}
	if (hit)
		overlay(&o, &hit->out);
	memset(out, 0, sizeof(*out));
	out->rule = hit ? hit->name : "default";
	out->file = where ? where->file : NULL;
	out->line = hit ? hit->line : 0;
	out->enabled = o.enabled;
	out->channels = o.channels;
	out->colour = colours[o.colour];
	out->ack = o.ack;
	out->ack_within = o.ack_within;
	out->todo_fr = message_text(r, s->message, 2, NULL);
	out->todo_ar = message_text(r, s->message, 3, NULL);
}

static void
expand(const char *tmpl, const struct rec *values, struct buf *out)
{
	const char *s = tmpl, *open;

	while ((open = strstr(s, "{{")) != NULL) {
		const char *close = strstr(open + 2, "}}");
		char name[MAX_NAME + 1];
		size_t n;
		const struct field *f;

		buf_add(out, s, (size_t)(open - s));
		if (!close) { /* refused when loaded */
			s = open;
			break;
		}
		n = (size_t)(close - open - 2);
		if (n == 2 && !memcmp(open + 2, "{{", 2)) {
			buf_addstr(out, "{{");
		} else if (n <= MAX_NAME) {
			memcpy(name, open + 2, n);
			name[n] = '\0';
			f = values ? rec_get(values, name) : NULL;
			if (f && f->type == VAL_TEXT)
				buf_addstr(out, f->s);
			else if (f && f->type == VAL_INT)
				buf_addf(out, "%lld", (long long)f->i);
		}
		s = close + 2;
	}
	buf_addstr(out, s);
}

enum majlis_status
notify_message_render(const struct notify_rules *r, const char *name,
		      const struct rec *values, struct buf *fr, struct buf *ar,
		      struct buf *err)
{
	const char *tfr = message_text(r, name, 0, NULL);
	const char *tar = message_text(r, name, 1, NULL);

	if (!tfr || !tar)
		return error(err, MAJLIS_ERR_DATA,
			     "the notification rules have no text for "
			     "message '%s'",
			     name);
	expand(tfr, values, fr);
	expand(tar, values, ar);
	return MAJLIS_OK;
}
