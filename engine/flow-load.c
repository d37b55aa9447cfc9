/*
 * flow-load.c - reading and checking mailflows (see flow.h and
 * mailflows/README.md for the format).
 *
 * Layout: freeing; the parser, one function per section kind, which keeps
 * names as written with their line; the resolver, which turns names into
 * indexes and checks everything a single file can tell; the set, which
 * holds one flow per object kind and checks what spans flows.
 */
#include "flow-priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "job.h"
#include "sys.h"

#define MAX_WORDS 32

static void
free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static void
transition_release(struct flow_transition *t)
{
	free(t->name);
	free(t->event);
	free(t->from);
	for (size_t i = 0; i < t->nwhen; i++) {
		free(t->when[i].field);
		free(t->when[i].value);
	}
	free(t->when);
	for (size_t i = 0; i < t->nguards; i++) {
		struct flow_guard *g = &t->guards[i];

		for (size_t j = 0; j < g->nalts; j++) {
			free_words(g->alts[j].roles, g->alts[j].nroles);
			free_words(g->alts[j].fields, g->alts[j].nfields);
		}
		free(g->alts);
		free(g->text);
	}
	free(t->guards);
	free_words(t->set, t->nset);
	free_words(t->require, t->nrequire);
	free_words(t->stamp, t->nstamp);
	free_words(t->bump, t->nbump);
	for (size_t i = 0; i < t->nactions; i++) {
		free(t->actions[i].job);
		free(t->actions[i].arg1);
		free(t->actions[i].arg2);
	}
	free(t->actions);
	free(t->fr);
	free(t->ar);
}

void
flow_free(struct flow *f)
{
	if (!f)
		return;
	free(f->file);
	free(f->fr);
	free(f->ar);
	for (size_t i = 0; i < f->nstates; i++) {
		free(f->states[i].name);
		free(f->states[i].fr);
		free(f->states[i].ar);
	}
	free(f->states);
	for (size_t i = 0; i < f->ntransitions; i++)
		transition_release(&f->transitions[i]);
	free(f->transitions);
	for (size_t i = 0; i < f->ndeadlines; i++) {
		free(f->deadlines[i].name);
		free(f->deadlines[i].event);
	}
	free(f->deadlines);
	for (size_t i = 0; i < f->nmessages; i++) {
		free(f->messages[i].name);
		free(f->messages[i].fr);
		free(f->messages[i].ar);
	}
	free(f->messages);
	free(f);
}

int
flow_state_index(const struct flow *f, const char *name)
{
	for (size_t i = 0; i < f->nstates; i++)
		if (!strcmp(f->states[i].name, name))
			return (int)i;
	return -1;
}

const struct flow_message *
flow_message(const struct flow *f, const char *name)
{
	for (size_t i = 0; i < f->nmessages; i++)
		if (!strcmp(f->messages[i].name, name))
			return &f->messages[i];
	return NULL;
}

/*
 * Names kept as written until the whole file is read, since a transition
 * may name states declared further down.
 */
struct pending_name {
	size_t index;		/* which transition or deadline */
	char *text;		/* the names as written */
	int line;
};

struct parser {
	struct flow *f;
	const char *file;
	enum { SEC_NONE, SEC_FLOW, SEC_STATE, SEC_TRANSITION, SEC_DEADLINE,
	       SEC_MESSAGE } sec;
	int sec_line;		/* line of the current section header */
	int flow_seen, format_seen, object_seen;
	char *initial;		/* as written */
	int initial_line;
	struct pending_name *from, *to, *dstate;
	size_t nfrom, capfrom, nto, capto, ndstate, capdstate;
};

static void
pending_add(struct pending_name **arr, size_t *n, size_t *cap, size_t index,
	    const char *text, int line)
{
	xgrow(arr, cap, *n + 1, sizeof(**arr));
	(*arr)[*n].index = index;
	(*arr)[*n].text = xstrdup(text);
	(*arr)[*n].line = line;
	(*n)++;
}

static void
pending_free(struct pending_name *arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arr[i].text);
	free(arr);
}

static int
valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Appends the words of value (space-separated) to a list. */
static int
add_words(char ***list, size_t *n, const char *value)
{
	char *copy = xstrdup(value), *words[MAX_WORDS];
	int nw = split_words(copy, words, MAX_WORDS);

	if (nw <= 0) {
		free(copy);
		return -1;
	}
	*list = xrealloc(*list, (*n + (size_t)nw) * sizeof(**list));
	for (int i = 0; i < nw; i++)
		(*list)[(*n)++] = xstrdup(words[i]);
	free(copy);
	return 0;
}

static int
parse_time_ref(enum object_kind kind, char **words, int nw,
	       struct flow_time *out, struct buf *why)
{
	if (nw < 1 || nw > 2) {
		buf_addstr(why, "expected ANCHOR [OFFSET], as in 'start -10d'");
		return -1;
	}
	out->anchor = object_anchor(kind, words[0]);
	if (!out->anchor) {
		const struct anchor *a = object_def(kind)->anchors;

		buf_addf(why, "%s %s has no time '%s' (known: ",
			 object_article(kind), object_kind_name(kind),
			 words[0]);
		for (; a->name; a++)
			buf_addf(why, "%s%s", a->name, a[1].name ? ", " : ")");
		return -1;
	}
	out->off = (struct offset){ 0, OFFSET_DAYS };
	if (nw == 2 && offset_parse(words[1], &out->off)) {
		buf_addf(why,
			 "bad offset '%s' (a signed number and a unit: m, h, "
			 "d, wd for working days, mo; e.g. -10d, +3wd)",
			 words[1]);
		return -1;
	}
	return 0;
}

static int
parse_guard_alt(enum object_kind kind, char **words, int nw,
		struct guard_alt *alt, struct buf *why)
{
	const char *k = words[0];
	int i;

	memset(alt, 0, sizeof(*alt));
	if (!strcmp(k, "role") || !strcmp(k, "staff")) {
		alt->kind = k[0] == 'r' ? GUARD_ROLE : GUARD_STAFF;
		if (alt->kind == GUARD_ROLE && nw < 2) {
			buf_addstr(why, "'role' needs at least one role");
			return -1;
		}
		for (i = 1; i < nw; i++) {
			if (!role_known(words[i])) {
				buf_addf(why, "unknown role '%s' (known: ",
					 words[i]);
				for (const char *const *r = known_roles; *r;
				     r++)
					buf_addf(why, "%s%s", *r,
						 r[1] ? ", " : ")");
				return -1;
			}
		}
		if (nw > 1) {
			alt->roles = xcalloc((size_t)nw - 1, sizeof(char *));
			for (i = 1; i < nw; i++)
				alt->roles[alt->nroles++] = xstrdup(words[i]);
		}
		return 0;
	}
	if (!strcmp(k, "before") || !strcmp(k, "after")) {
		alt->kind = k[0] == 'b' ? GUARD_BEFORE : GUARD_AFTER;
		return parse_time_ref(kind, words + 1, nw - 1, &alt->at, why);
	}
	if (!strcmp(k, "known")) {
		alt->kind = GUARD_KNOWN;
		if (nw < 2) {
			buf_addstr(why, "'known' needs at least one field");
			return -1;
		}
		for (i = 1; i < nw; i++) {
			if (!object_has_field(kind, words[i])) {
				buf_addf(why, "%s %s has no field '%s'",
					 object_article(kind),
					 object_kind_name(kind), words[i]);
				return -1;
			}
		}
		alt->fields = xcalloc((size_t)nw - 1, sizeof(char *));
		for (i = 1; i < nw; i++)
			alt->fields[alt->nfields++] = xstrdup(words[i]);
		return 0;
	}
	if (nw != 1) {
		buf_addf(why, "'%s' takes no argument", k);
		return -1;
	}
	if (!strcmp(k, "member"))
		alt->kind = GUARD_MEMBER;
	else if (!strcmp(k, "owner"))
		alt->kind = GUARD_OWNER;
	else if (!strcmp(k, "system"))
		alt->kind = GUARD_SYSTEM;
	else if (!strcmp(k, "quorum"))
		alt->kind = GUARD_QUORUM;
	else {
		buf_addf(why,
			 "unknown guard '%s' (role, staff, member, owner, "
			 "system, before, after, quorum, known)",
			 k);
		return -1;
	}
	if (alt->kind == GUARD_QUORUM && kind != OBJ_MEETING) {
		buf_addstr(why, "'quorum' applies to meetings only");
		return -1;
	}
	return 0;
}

static int
parse_guard(enum object_kind kind, const char *value, struct flow_guard *g,
	    struct buf *why)
{
	char *copy = xstrdup(value), *words[MAX_WORDS];
	int nw = split_words(copy, words, MAX_WORDS), start = 0, rc = 0;

	memset(g, 0, sizeof(*g));
	g->text = xstrdup(value);
	if (nw <= 0) {
		buf_addstr(why, nw ? "too many words" : "empty guard");
		free(copy);
		return -1;
	}
	for (int i = 0; i <= nw && rc == 0; i++) {
		if (i < nw && strcmp(words[i], "or"))
			continue;
		if (i == start) {
			buf_addstr(why, "'or' needs a guard on each side");
			rc = -1;
			break;
		}
		g->alts = xrealloc(g->alts, (g->nalts + 1) * sizeof(*g->alts));
		rc = parse_guard_alt(kind, words + start, i - start,
				     &g->alts[g->nalts], why);
		if (rc == 0)
			g->nalts++;
		start = i + 1;
	}
	free(copy);
	return rc;
}

static struct flow_transition *
cur_transition(struct parser *p)
{
	return &p->f->transitions[p->f->ntransitions - 1];
}

static enum majlis_status
check_fields(struct parser *p, const struct defs_item *it, char **list,
	     size_t from, size_t n,
	     int (*ok)(enum object_kind, const char *), const char *what,
	     struct buf *err)
{
	for (size_t i = from; i < n; i++)
		if (!ok(p->f->kind, list[i]))
			return defs_error(err, it, "%s %s has no %s field '%s'",
					  object_article(p->f->kind),
					  object_kind_name(p->f->kind), what,
					  list[i]);
	return MAJLIS_OK;
}

static int
settable_ok(enum object_kind kind, const char *name)
{
	return object_settable(kind, name) != NULL;
}

static enum majlis_status
parse_transition_key(struct parser *p, const struct defs_item *it,
		     struct buf *err)
{
	struct flow_transition *t = cur_transition(p);
	enum object_kind kind = p->f->kind;
	struct buf why = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	const char *k = it->key;
	size_t before;

	if (!strcmp(k, "event")) {
		if (!valid_name(it->value))
			return defs_error(err, it, "bad event name '%s'",
					  it->value);
		free(t->event);
		t->event = xstrdup(it->value);
	} else if (!strcmp(k, "from")) {
		pending_add(&p->from, &p->nfrom, &p->capfrom,
			    p->f->ntransitions - 1, it->value, it->line);
	} else if (!strcmp(k, "to")) {
		pending_add(&p->to, &p->nto, &p->capto, p->f->ntransitions - 1,
			    it->value, it->line);
	} else if (!strcmp(k, "when")) {
		char *copy = xstrdup(it->value), *words[3];
		int nw = split_words(copy, words, 2);

		if (nw != 2 || !object_has_field(kind, words[0])) {
			rc = defs_error(err, it,
					"expected 'when = FIELD VALUE' with a "
					"field %s %s has",
					object_article(kind),
					object_kind_name(kind));
		} else {
			t->when = xrealloc(t->when,
					   (t->nwhen + 1) * sizeof(*t->when));
			t->when[t->nwhen].field = xstrdup(words[0]);
			t->when[t->nwhen].value = xstrdup(words[1]);
			t->nwhen++;
		}
		free(copy);
	} else if (!strcmp(k, "guard")) {
		struct flow_guard g;

		if (parse_guard(kind, it->value, &g, &why)) {
			rc = defs_error(err, it, "guard '%s': %s", it->value,
					why.data);
			for (size_t j = 0; j < g.nalts; j++) {
				free_words(g.alts[j].roles, g.alts[j].nroles);
				free_words(g.alts[j].fields,
					   g.alts[j].nfields);
			}
			free(g.alts);
			free(g.text);
		} else {
			g.line = it->line;
			t->guards = xrealloc(t->guards, (t->nguards + 1) *
								sizeof(*t->guards));
			t->guards[t->nguards++] = g;
		}
	} else if (!strcmp(k, "set") || !strcmp(k, "require")) {
		char ***list = k[0] == 's' ? &t->set : &t->require;
		size_t *n = k[0] == 's' ? &t->nset : &t->nrequire;

		before = *n;
		if (add_words(list, n, it->value))
			return defs_error(err, it, "'%s' needs field names", k);
		rc = check_fields(p, it, *list, before, *n, settable_ok,
				  "settable", err);
	} else if (!strcmp(k, "stamp")) {
		before = t->nstamp;
		if (add_words(&t->stamp, &t->nstamp, it->value))
			return defs_error(err, it, "'stamp' needs field names");
		rc = check_fields(p, it, t->stamp, before, t->nstamp,
				  object_stampable, "time-stamp", err);
	} else if (!strcmp(k, "bump")) {
		before = t->nbump;
		if (add_words(&t->bump, &t->nbump, it->value))
			return defs_error(err, it, "'bump' needs field names");
		rc = check_fields(p, it, t->bump, before, t->nbump,
				  object_bumpable, "counter", err);
	} else if (!strcmp(k, "job") || !strcmp(k, "notify")) {
		char *copy = xstrdup(it->value), *words[4];
		int nw = split_words(copy, words, 3);
		struct flow_action a = { ACTION_JOB, NULL, NULL, NULL,
					 it->line };

		if (k[0] == 'n') {
			a.kind = ACTION_NOTIFY;
			if (nw != 2) {
				free(copy);
				return defs_error(err, it,
						  "expected 'notify = AUDIENCE "
						  "MESSAGE'");
			}
			a.job = xstrdup("notify");
			a.arg1 = xstrdup(words[0]);
			a.arg2 = xstrdup(words[1]);
		} else if (nw < 1) {
			free(copy);
			return defs_error(err, it, "expected 'job = KIND ...'");
		} else {
			a.job = xstrdup(words[0]);
			a.arg1 = nw > 1 ? xstrdup(words[1]) : NULL;
			a.arg2 = nw > 2 ? xstrdup(words[2]) : NULL;
		}
		free(copy);
		if (nw < 0 || job_check(kind, a.job, a.arg1, a.arg2, &why)) {
			rc = defs_error(err, it, "%s",
					nw < 0 ? "too many words" : why.data);
			free(a.job);
			free(a.arg1);
			free(a.arg2);
		} else {
			t->actions = xrealloc(t->actions, (t->nactions + 1) *
								  sizeof(*t->actions));
			t->actions[t->nactions++] = a;
		}
	} else if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		char **slot = k[0] == 'f' ? &t->fr : &t->ar;

		free(*slot);
		*slot = xstrdup(it->value);
	} else {
		rc = defs_error(err, it,
				"unknown key '%s' in a transition (event, "
				"from, to, when, guard, set, require, stamp, "
				"bump, job, notify, fr, ar)",
				k);
	}
	buf_release(&why);
	return rc;
}

static enum majlis_status
parse_flow_key(struct parser *p, const struct defs_item *it, struct buf *err)
{
	struct flow *f = p->f;

	if (!strcmp(it->key, "format")) {
		long long v;

		if (parse_int(it->value, 1, 1000, &v) || v != FLOW_FORMAT)
			return defs_error(err, it,
					  "unknown format '%s': this majlis "
					  "reads mailflow format %d",
					  it->value, FLOW_FORMAT);
		p->format_seen = 1;
	} else if (!strcmp(it->key, "object")) {
		if (p->object_seen)
			return defs_error(err, it, "object given twice");
		if (object_kind_parse(it->value, &f->kind)) {
			struct buf known = BUF_INIT;
			enum majlis_status rc;

			for (int k = 0; k < OBJ__COUNT; k++)
				buf_addf(&known, "%s%s",
					 object_kind_name((enum object_kind)k),
					 k + 1 < OBJ__COUNT ? ", " : "");
			rc = defs_error(err, it,
					"unknown object '%s' (known: %s)",
					it->value, known.data);
			buf_release(&known);
			return rc;
		}
		p->object_seen = 1;
	} else if (!strcmp(it->key, "initial")) {
		free(p->initial);
		p->initial = xstrdup(it->value);
		p->initial_line = it->line;
	} else if (!strcmp(it->key, "fr") || !strcmp(it->key, "ar")) {
		char **slot = it->key[0] == 'f' ? &f->fr : &f->ar;

		free(*slot);
		*slot = xstrdup(it->value);
	} else {
		return defs_error(err, it,
				  "unknown key '%s' in [flow] (format, "
				  "object, initial, fr, ar)",
				  it->key);
	}
	return MAJLIS_OK;
}

static enum majlis_status
parse_key(struct parser *p, const struct defs_item *it, struct buf *err)
{
	struct flow *f = p->f;

	switch (p->sec) {
	case SEC_NONE:
		return defs_error(err, it, "'%s' before the [flow] section",
				  it->key);
	case SEC_FLOW:
		return parse_flow_key(p, it, err);
	case SEC_STATE: {
		struct flow_state *s = &f->states[f->nstates - 1];

		if (!strcmp(it->key, "fr") || !strcmp(it->key, "ar")) {
			char **slot = it->key[0] == 'f' ? &s->fr : &s->ar;

			free(*slot);
			*slot = xstrdup(it->value);
		} else if (!strcmp(it->key, "final")) {
			if (strcmp(it->value, "yes") && strcmp(it->value, "no"))
				return defs_error(err, it,
						  "final is yes or no");
			s->final = !strcmp(it->value, "yes");
		} else {
			return defs_error(err, it,
					  "unknown key '%s' in a state (fr, "
					  "ar, final)",
					  it->key);
		}
		return MAJLIS_OK;
	}
	case SEC_TRANSITION:
		return parse_transition_key(p, it, err);
	case SEC_DEADLINE: {
		struct flow_deadline *d = &f->deadlines[f->ndeadlines - 1];

		if (!strcmp(it->key, "state")) {
			pending_add(&p->dstate, &p->ndstate, &p->capdstate,
				    f->ndeadlines - 1, it->value, it->line);
		} else if (!strcmp(it->key, "at")) {
			char *copy = xstrdup(it->value), *words[3];
			int nw = split_words(copy, words, 2);
			struct buf why = BUF_INIT;
			enum majlis_status rc = MAJLIS_OK;

			if (nw < 0 ||
			    parse_time_ref(f->kind, words, nw, &d->at, &why))
				rc = defs_error(err, it, "%s",
						nw < 0 ? "too many words"
						       : why.data);
			free(copy);
			buf_release(&why);
			return rc;
		} else if (!strcmp(it->key, "event")) {
			if (!valid_name(it->value))
				return defs_error(err, it,
						  "bad event name '%s'",
						  it->value);
			free(d->event);
			d->event = xstrdup(it->value);
		} else {
			return defs_error(err, it,
					  "unknown key '%s' in a deadline "
					  "(state, at, event)",
					  it->key);
		}
		return MAJLIS_OK;
	}
	case SEC_MESSAGE: {
		struct flow_message *m = &f->messages[f->nmessages - 1];

		if (strcmp(it->key, "fr") && strcmp(it->key, "ar"))
			return defs_error(err, it,
					  "unknown key '%s' in a message (fr, "
					  "ar)",
					  it->key);
		free(it->key[0] == 'f' ? m->fr : m->ar);
		*(it->key[0] == 'f' ? &m->fr : &m->ar) = xstrdup(it->value);
		return MAJLIS_OK;
	}
	}
	return MAJLIS_OK;
}

static enum majlis_status
parse_section(struct parser *p, const struct defs_item *it, struct buf *err)
{
	struct flow *f = p->f;
	const char *kind = it->kind, *name = it->name;

	p->sec_line = it->line;
	if (!strcmp(kind, "flow")) {
		if (p->flow_seen)
			return defs_error(err, it, "a second [flow] section");
		if (*name)
			return defs_error(err, it, "[flow] takes no name");
		p->flow_seen = 1;
		p->sec = SEC_FLOW;
		return MAJLIS_OK;
	}
	if (!p->flow_seen)
		return defs_error(err, it,
				  "the first section must be [flow]");
	if (!p->object_seen || !p->format_seen)
		return defs_error(err, it,
				  "[flow] must give format and object first");
	if (!valid_name(name))
		return defs_error(err, it,
				  "[%s] needs a name of lower-case letters, "
				  "digits, '-' or '_'",
				  kind);
	if (!strcmp(kind, "state")) {
		if (flow_state_index(f, name) >= 0)
			return defs_error(err, it, "state '%s' declared twice",
					  name);
		f->states = xrealloc(f->states,
				     (f->nstates + 1) * sizeof(*f->states));
		memset(&f->states[f->nstates], 0, sizeof(*f->states));
		f->states[f->nstates].name = xstrdup(name);
		f->states[f->nstates].line = it->line;
		f->nstates++;
		p->sec = SEC_STATE;
	} else if (!strcmp(kind, "transition")) {
		struct flow_transition *t;

		for (size_t i = 0; i < f->ntransitions; i++)
			if (!strcmp(f->transitions[i].name, name))
				return defs_error(err, it,
						  "transition '%s' declared "
						  "twice",
						  name);
		f->transitions = xrealloc(f->transitions,
					  (f->ntransitions + 1) *
						  sizeof(*f->transitions));
		t = &f->transitions[f->ntransitions++];
		memset(t, 0, sizeof(*t));
		t->name = xstrdup(name);
		t->line = it->line;
		t->to = -2; /* not given */
		p->sec = SEC_TRANSITION;
	} else if (!strcmp(kind, "deadline")) {
		struct flow_deadline *d;

		f->deadlines = xrealloc(f->deadlines, (f->ndeadlines + 1) *
							      sizeof(*f->deadlines));
		d = &f->deadlines[f->ndeadlines++];
		memset(d, 0, sizeof(*d));
		d->name = xstrdup(name);
		d->line = it->line;
		d->state = -1;
		p->sec = SEC_DEADLINE;
	} else if (!strcmp(kind, "message")) {
		if (flow_message(f, name))
			return defs_error(err, it,
					  "message '%s' declared twice", name);
		f->messages = xrealloc(f->messages, (f->nmessages + 1) *
							    sizeof(*f->messages));
		memset(&f->messages[f->nmessages], 0, sizeof(*f->messages));
		f->messages[f->nmessages].name = xstrdup(name);
		f->messages[f->nmessages].line = it->line;
		f->nmessages++;
		p->sec = SEC_MESSAGE;
	} else {
		return defs_error(err, it,
				  "unknown section [%s] (flow, state, "
				  "transition, deadline, message)",
				  kind);
	}
	return MAJLIS_OK;
}

static enum majlis_status
parse_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct parser *p = ctx;

	return it->key ? parse_key(p, it, err) : parse_section(p, it, err);
}

static enum majlis_status line_error(struct parser *p, int line,
				     struct buf *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum majlis_status
line_error(struct parser *p, int line, struct buf *err, const char *fmt, ...)
{
	struct defs_item it = { p->file, line, "", "", NULL, NULL };
	struct buf msg = BUF_INIT;
	enum majlis_status rc;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc = defs_error(err, &it, "%s", msg.data);
	buf_release(&msg);
	return rc;
}

/* Checks the {{placeholders}} of a message text. */
static enum majlis_status
check_placeholders(struct parser *p, const struct flow_message *m,
		   const char *text, struct buf *err)
{
	const char *s = text;

	while ((s = strstr(s, "{{")) != NULL) {
		const char *end = strstr(s + 2, "}}");
		char name[64];
		size_t n;

		if (!end)
			return line_error(p, m->line, err,
					  "message '%s': '{{' without '}}'",
					  m->name);
		n = (size_t)(end - s - 2);
		if (n == 2 && !memcmp(s + 2, "{{", 2)) {
			s = end + 2;
			continue;
		}
		memcpy(name, s + 2, n < sizeof(name) ? n : sizeof(name) - 1);
		name[n < sizeof(name) ? n : sizeof(name) - 1] = '\0';
		if (n == 0 || n >= sizeof(name) || !valid_name(name))
			return line_error(p, m->line, err,
					  "message '%s': bad placeholder "
					  "'{{%.20s...' (letters, digits and _ "
					  "between {{ and }})",
					  m->name, name);
		if (!flow_placeholder_ok(p->f->kind, name))
			return line_error(p, m->line, err,
					  "message '%s': unknown placeholder "
					  "'{{%s}}'",
					  m->name, name);
		s = end + 2;
	}
	return MAJLIS_OK;
}

/* Resolves "a b c" or "*" into state indexes. */
static enum majlis_status
resolve_from(struct parser *p, const struct pending_name *pn, struct buf *err)
{
	struct flow_transition *t = &p->f->transitions[pn->index];
	char *copy = xstrdup(pn->text), *words[MAX_WORDS];
	int nw = split_words(copy, words, MAX_WORDS);
	enum majlis_status rc = MAJLIS_OK;

	if (nw <= 0) {
		free(copy);
		return line_error(p, pn->line, err,
				  "'from' needs states, or '*'");
	}
	for (int i = 0; i < nw && rc == MAJLIS_OK; i++) {
		int s;

		if (!strcmp(words[i], "*")) {
			t->from_any = 1;
			continue;
		}
		s = flow_state_index(p->f, words[i]);
		if (s < 0) {
			rc = line_error(p, pn->line, err,
					"unknown state '%s'", words[i]);
			break;
		}
		t->from = xrealloc(t->from, (t->nfrom + 1) * sizeof(*t->from));
		t->from[t->nfrom++] = s;
	}
	free(copy);
	return rc;
}

static enum majlis_status
resolve(struct parser *p, struct buf *err)
{
	struct flow *f = p->f;
	enum majlis_status rc;

	if (!p->flow_seen || !p->object_seen || !p->format_seen)
		return line_error(p, 1, err,
				  "a mailflow starts with [flow], its format "
				  "and its object");
	if (!f->fr || !f->ar)
		return line_error(p, 1, err,
				  "[flow] needs its name in fr and ar");
	if (!f->nstates)
		return line_error(p, 1, err, "the flow has no state");
	if (!p->initial)
		return line_error(p, 1, err, "[flow] needs initial = STATE");
	f->initial = flow_state_index(f, p->initial);
	if (f->initial < 0)
		return line_error(p, p->initial_line, err,
				  "initial state '%s' is not declared", p->initial);
	for (size_t i = 0; i < f->nstates; i++) {
		if (!f->states[i].fr || !f->states[i].ar)
			return line_error(p, f->states[i].line, err,
					  "state '%s' needs its label in fr "
					  "and ar",
					  f->states[i].name);
	}
	for (size_t i = 0; i < p->nfrom; i++) {
		rc = resolve_from(p, &p->from[i], err);
		if (rc != MAJLIS_OK)
			return rc;
	}
	for (size_t i = 0; i < p->nto; i++) {
		struct flow_transition *t = &f->transitions[p->to[i].index];

		if (!strcmp(p->to[i].text, "same")) {
			t->to = -1;
			continue;
		}
		t->to = flow_state_index(f, p->to[i].text);
		if (t->to < 0)
			return line_error(p, p->to[i].line, err,
					  "unknown state '%s'", p->to[i].text);
	}
	for (size_t i = 0; i < f->ntransitions; i++) {
		struct flow_transition *t = &f->transitions[i];

		if (!t->event)
			t->event = xstrdup(t->name);
		if (!t->nfrom && !t->from_any)
			return line_error(p, t->line, err,
					  "transition '%s' needs 'from'", t->name);
		if (t->to == -2)
			return line_error(p, t->line, err,
					  "transition '%s' needs 'to' (a "
					  "state, or 'same')",
					  t->name);
		for (size_t j = 0; j < t->nactions; j++) {
			struct flow_action *a = &t->actions[j];

			if (a->kind == ACTION_NOTIFY &&
			    !flow_message(f, a->arg2))
				return line_error(p, a->line, err,
						  "no [message %s] in this "
						  "flow",
						  a->arg2);
		}
		for (size_t j = 0; j < t->nrequire; j++) {
			size_t k;

			for (k = 0; k < t->nset; k++)
				if (!strcmp(t->set[k], t->require[j]))
					break;
			if (k == t->nset)
				return line_error(p, t->line, err,
						  "'%s' is required but not in "
						  "'set'",
						  t->require[j]);
		}
	}
	for (size_t i = 0; i < p->ndstate; i++) {
		struct flow_deadline *d = &f->deadlines[p->dstate[i].index];

		d->state = flow_state_index(f, p->dstate[i].text);
		if (d->state < 0)
			return line_error(p, p->dstate[i].line, err,
					  "unknown state '%s'", p->dstate[i].text);
	}
	for (size_t i = 0; i < f->ndeadlines; i++) {
		struct flow_deadline *d = &f->deadlines[i];
		int handled = 0;

		if (d->state < 0 || !d->at.anchor || !d->event)
			return line_error(p, d->line, err,
					  "deadline '%s' needs state, at and "
					  "event",
					  d->name);
		if (f->states[d->state].final)
			return line_error(p, d->line, err,
					  "deadline '%s' watches final state "
					  "'%s'",
					  d->name, f->states[d->state].name);
		for (size_t j = 0; j < f->ntransitions && !handled; j++) {
			const struct flow_transition *t = &f->transitions[j];

			if (strcmp(t->event, d->event))
				continue;
			handled = t->from_any;
			for (size_t k = 0; k < t->nfrom; k++)
				handled |= t->from[k] == d->state;
		}
		if (!handled)
			return line_error(p, d->line, err,
					  "deadline '%s' raises '%s', which no "
					  "transition takes from its state",
					  d->name, d->event);
	}
	for (size_t i = 0; i < f->nmessages; i++) {
		const struct flow_message *m = &f->messages[i];

		if (!m->fr || !m->ar)
			return line_error(p, m->line, err,
					  "message '%s' needs fr and ar", m->name);
		rc = check_placeholders(p, m, m->fr, err);
		if (rc == MAJLIS_OK)
			rc = check_placeholders(p, m, m->ar, err);
		if (rc != MAJLIS_OK)
			return rc;
	}
	return MAJLIS_OK;
}

static enum majlis_status
flow_parse(const char *name, const char *data, size_t len, struct flow **out,
	   struct buf *err)
{
	struct parser p;
	enum majlis_status rc;

	memset(&p, 0, sizeof(p));
	p.f = xcalloc(1, sizeof(*p.f));
	p.f->file = xstrdup(name);
	p.file = name;
	rc = defs_parse(name, data, len, parse_item, &p, err);
	if (rc == MAJLIS_OK)
		rc = resolve(&p, err);
	free(p.initial);
	pending_free(p.from, p.nfrom);
	pending_free(p.to, p.nto);
	pending_free(p.dstate, p.ndstate);
	if (rc != MAJLIS_OK) {
		flow_free(p.f);
		*out = NULL;
		return rc;
	}
	*out = p.f;
	return MAJLIS_OK;
}

enum majlis_status
flowset_new(struct flowset **out)
{
	*out = xcalloc(1, sizeof(**out));
	return MAJLIS_OK;
}

void
flowset_free(struct flowset *fs)
{
	if (!fs)
		return;
	for (int k = 0; k < OBJ__COUNT; k++)
		flow_free(fs->flows[k]);
	free(fs);
}

enum majlis_status
flowset_add(struct flowset *fs, const char *name, const char *data,
	    size_t len, struct buf *err)
{
	struct flow *f;
	enum majlis_status rc = flow_parse(name, data, len, &f, err);

	if (rc != MAJLIS_OK)
		return rc;
	if (fs->flows[f->kind]) {
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s: a second flow for %s (the first is %s)", name,
			   object_kind_name(f->kind), fs->flows[f->kind]->file);
		flow_free(f);
		return rc;
	}
	fs->flows[f->kind] = f;
	return MAJLIS_OK;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_flow(const char *name, void *ctx)
{
	(void)ctx;
	return has_suffix(name, ".flow");
}

enum majlis_status
flowset_load_dirs(struct flowset *fs, const char *const *dirs, size_t ndirs,
		  struct buf *err)
{
	struct buf path = BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0;
	enum majlis_status rc = MAJLIS_OK;

	/* Collect file names, the first directory that has one wins. */
	for (size_t d = 0; d < ndirs; d++) {
		char **here;
		size_t nhere;

		if (dir_names(dirs[d], is_flow, NULL, &here, &nhere) < 0) {
			if (errno == ENOENT && d + 1 < ndirs)
				continue; /* an instance without overrides */
			rc = error(err, MAJLIS_ERR_NOINPUT,
				   "cannot read the mailflows in '%s': %s",
				   dirs[d], strerror(errno));
			goto out;
		}
		for (size_t h = 0; h < nhere; h++) {
			size_t i;

			for (i = 0; i < n; i++)
				if (!strcmp(strrchr(names[i], '/') + 1,
					    here[h]))
					break;
			if (i < n)
				continue;
			xgrow(&names, &cap, n + 1, sizeof(*names));
			buf_addf(&path, "%s/%s", dirs[d], here[h]);
			names[n++] = buf_detach(&path, NULL);
		}
		names_free(here, nhere);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && rc == MAJLIS_OK; i++) {
		struct buf data = BUF_INIT;

		if (file_read(names[i], DEFS_MAX_FILE, &data) < 0)
			rc = error(err, MAJLIS_ERR_NOINPUT,
				   "cannot read '%s': %s", names[i],
				   strerror(errno));
		else
			rc = flowset_add(fs, names[i], data.data, data.len,
					 err);
		buf_release(&data);
	}
	if (rc == MAJLIS_OK)
		rc = flowset_check(fs, err);
out:
	names_free(names, n);
	return rc;
}

enum majlis_status
flowset_check(struct flowset *fs, struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;

	for (int k = 0; k < OBJ__COUNT; k++)
		if (!fs->flows[k])
			rc = error(err, MAJLIS_ERR_DATA,
				   "no mailflow drives %ss: add a .flow file "
				   "with object = %s",
				   object_kind_name((enum object_kind)k),
				   object_kind_name((enum object_kind)k));
	if (rc != MAJLIS_OK)
		return rc;
	for (int k = 0; k < OBJ__COUNT; k++) {
		const struct flow *f = fs->flows[k];

		for (size_t i = 0; i < f->ntransitions; i++) {
			const struct flow_transition *t = &f->transitions[i];

			for (size_t j = 0; j < t->nactions; j++) {
				const struct flow_action *a = &t->actions[j];
				enum object_kind child;

				if (strcmp(a->job, "cascade") ||
				    object_kind_parse(a->arg1, &child))
					continue;
				if (!flow_has_event(fs->flows[child], a->arg2))
					rc = error(err, MAJLIS_ERR_DATA,
						   "%s:%d: the %s flow (%s) "
						   "has no event '%s'",
						   f->file, a->line, a->arg1,
						   fs->flows[child]->file,
						   a->arg2);
			}
		}
	}
	return rc;
}

const struct flow *
flowset_flow(const struct flowset *fs, enum object_kind kind)
{
	return (unsigned)kind < OBJ__COUNT ? fs->flows[kind] : NULL;
}

void
flowset_describe(const struct flowset *fs, rec_cb cb, void *ctx)
{
	for (int k = 0; k < OBJ__COUNT; k++) {
		const struct flow *f = fs->flows[k];
		struct rec r = REC_INIT;

		if (!f)
			continue;
		rec_add_text(&r, "file", f->file);
		rec_add_text(&r, "object", object_kind_name(f->kind));
		rec_add_text(&r, "initial", f->states[f->initial].name);
		rec_add_int(&r, "states", (int64_t)f->nstates);
		rec_add_int(&r, "transitions", (int64_t)f->ntransitions);
		rec_add_int(&r, "deadlines", (int64_t)f->ndeadlines);
		rec_add_int(&r, "messages", (int64_t)f->nmessages);
		cb(ctx, &r);
		rec_release(&r);
	}
}

void
flowset_each_message(const struct flowset *fs,
		     void (*cb)(void *ctx, const char *name), void *ctx)
{
	for (int k = 0; k < OBJ__COUNT; k++) {
		const struct flow *f = fs->flows[k];

		for (size_t i = 0; f && i < f->nmessages; i++)
			cb(ctx, f->messages[i].name);
	}
}

const char *
flow_initial(const struct flow *f)
{
	return f->states[f->initial].name;
}

const char *
flow_state_label(const struct flow *f, const char *state, const char *lang)
{
	int i = flow_state_index(f, state);

	if (i < 0)
		return NULL;
	return str_eq(lang, "ar") ? f->states[i].ar : f->states[i].fr;
}

int
flow_state_final(const struct flow *f, const char *state)
{
	int i = flow_state_index(f, state);

	return i >= 0 && f->states[i].final;
}

int
flow_has_event(const struct flow *f, const char *event)
{
	for (size_t i = 0; i < f->ntransitions; i++)
		if (!strcmp(f->transitions[i].event, event))
			return 1;
	return 0;
}

void
flow_list_events(const struct flow *f, struct buf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < f->ntransitions; i++) {
		const char *ev = f->transitions[i].event;
		int seen = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(f->transitions[j].event, ev);
		if (seen)
			continue;
		if (out->len > start)
			buf_addstr(out, ", ");
		buf_addstr(out, ev);
	}
}
