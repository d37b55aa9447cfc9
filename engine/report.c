/*
 * report.c - report definitions (see report.h): loading and checking
 * them, the parameters of a run, and the runner that turns a definition
 * into rows for the writers (report-xlsx.c, report-csv.c, report-pdf.c).
 *
 * Layout: the definition reader (one defs.h callback for both kinds of
 * file); loading folders; the check against a database; periods and
 * arguments; the runner; values as text; report_write().
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "flow.h"
#include "objects.h"
#include "report-priv.h"
#include "store.h"
#include "sys.h"

/* ---- Reading a definition ----------------------------------------- */

struct reader {
	int dashboard;		/* a .dashboard file */
	struct report_def *def;
	struct dashboard *db;
	enum { SEC_NONE, SEC_HEAD, SEC_COLUMN, SEC_CHART, SEC_SHEET } sec;
	int seen_head;
	int format_seen;
};

static int
name_ok(const char *s)
{
	if (!*s || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Query columns: plain SQL identifiers, so that the runner may quote
 * them in its ORDER BY. */
static int
field_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Excel's rules for a sheet's name: at most 31 characters, none of
 * [ ] : * ? / \, not starting or ending with an apostrophe. */
static int
sheet_name_ok(const char *s)
{
	size_t chars = 0, len = strlen(s);

	if (!len || s[0] == '\'' || s[len - 1] == '\'')
		return 0;
	for (const char *p = s; *p; p++) {
		if (strchr("[]:*?/\\", *p))
			return 0;
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
	}
	return chars <= SHEET_NAME_MAX;
}

static void
set_text(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

/* A key that may be given once: its value into *field. */
static enum majlis_status
set_once(const struct defs_item *it, char **field, struct buf *err)
{
	if (*field)
		return defs_error(err, it, "'%s' is given twice", it->key);
	set_text(field, it->value);
	return MAJLIS_OK;
}

/* A sheet's name, once, as Excel allows it. */
static enum majlis_status
set_sheet_name(const struct defs_item *it, char **field, struct buf *err)
{
	if (!*field && !sheet_name_ok(it->value))
		return defs_error(err, it,
				  "'%s' cannot name a sheet: at most 31 "
				  "characters, none of [ ] : * ? / \\",
				  it->value);
	return set_once(it, field, err);
}

/* format = 1, the only format this majlis reads. */
static enum majlis_status
read_format(struct reader *r, const struct defs_item *it, struct buf *err)
{
	long long n;

	r->format_seen = 1;
	if (parse_int(it->value, 0, 1000, &n) < 0 || n != REPORT_FORMAT)
		return defs_error(err, it,
				  "format %s is not one this majlis reads (%d)",
				  it->value, REPORT_FORMAT);
	return MAJLIS_OK;
}

static void
def_free(struct report_def *d)
{
	if (!d)
		return;
	free(d->name);
	free(d->file);
	free(d->title_fr);
	free(d->title_ar);
	free(d->sheet_fr);
	free(d->sheet_ar);
	buf_release(&d->query);
	free(d->period);
	for (int i = 0; i < d->nsort; i++)
		free(d->sort[i].field);
	free(d->group_name);
	free(d->colour_field);
	for (int i = 0; i < TONE__COUNT; i++)
		free(d->tones[i]);
	for (int i = 0; i < d->ncols; i++) {
		struct report_column *c = &d->cols[i];

		free(c->name);
		free(c->field_fr);
		free(c->field_ar);
		free(c->title_fr);
		free(c->title_ar);
		free(c->flow);
		for (int j = 0; j < c->nlabels; j++) {
			free(c->labels[j].code);
			free(c->labels[j].fr);
			free(c->labels[j].ar);
		}
	}
	for (int i = 0; i < d->ncharts; i++) {
		struct report_chart *c = &d->charts[i];

		free(c->name);
		free(c->title_fr);
		free(c->title_ar);
		free(c->category_name);
		for (int j = 0; j < c->nseries; j++)
			free(c->series_names[j]);
	}
	free(d);
}

static void
db_free(struct dashboard *db)
{
	if (!db)
		return;
	free(db->name);
	free(db->file);
	free(db->out);
	free(db->title_fr);
	free(db->title_ar);
	for (int i = 0; i < db->nsheets; i++) {
		struct sheet_def *s = &db->sheets[i];

		free(s->name);
		free(s->title_fr);
		free(s->title_ar);
		for (int j = 0; j < s->nreports; j++)
			free(s->reports[j]);
	}
	free(db);
}

static enum majlis_status
parse_type(struct report_column *c, const struct defs_item *it, struct buf *err)
{
	static const struct {
		const char *name;
		enum column_type type;
	} types[] = {
		{ "text", COL_TEXT },	      { "integer", COL_INTEGER },
		{ "number", COL_NUMBER },     { "percent", COL_PERCENT },
		{ "date", COL_DATE },	      { "datetime", COL_DATETIME },
		{ "state", COL_STATE },	      { "label", COL_LABEL },
		{ "yesno", COL_YESNO },
	};
	char tmp[128], *w[3];
	int n;

	if (strlen(it->value) >= sizeof(tmp))
		return defs_error(err, it, "unknown type '%s'", it->value);
	memcpy(tmp, it->value, strlen(it->value) + 1);
	n = split_words(tmp, w, 3);
	if (n < 1)
		return defs_error(err, it, "a type is needed");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(w[0], types[i].name))
			continue;
		c->type = types[i].type;
		if (c->type == COL_STATE) {
			enum object_kind k;

			if (n != 2 || object_kind_parse(w[1], &k) < 0)
				return defs_error(
					err, it,
					"'state' needs the object whose flow "
					"names the states (dossier, meeting...)");
			set_text(&c->flow, w[1]);
		} else if (n != 1) {
			return defs_error(err, it, "type '%s' takes no argument",
					  w[0]);
		}
		return MAJLIS_OK;
	}
	return defs_error(err, it,
			  "unknown type '%s' (text, integer, number, percent, "
			  "date, datetime, state OBJECT, label, yesno)",
			  w[0]);
}

static enum majlis_status
parse_total(struct report_column *c, const struct defs_item *it, struct buf *err)
{
	static const char *const names[] = { "none", "sum", "count",
					     "average", "min", "max" };

	for (int i = 0; i < 6; i++)
		if (!strcmp(it->value, names[i])) {
			c->total = (enum column_total)i;
			return MAJLIS_OK;
		}
	return defs_error(err, it,
			  "unknown total '%s' (sum, count, average, min, max, "
			  "none)",
			  it->value);
}

/* label = CODE French text | texte arabe */
static enum majlis_status
parse_label(struct report_column *c, const struct defs_item *it, struct buf *err)
{
	const char *v = it->value, *sp = strpbrk(v, " \t"), *bar;
	struct report_label *l;

	if (c->nlabels == REPORT_MAX_LABELS)
		return defs_error(err, it, "more than %d labels",
				  REPORT_MAX_LABELS);
	if (!sp || !(bar = strchr(sp, '|')))
		return defs_error(err, it,
				  "a label is 'CODE texte français | نص عربي'");
	l = &c->labels[c->nlabels];
	l->code = xstrndup(v, (size_t)(sp - v));
	while (*sp == ' ' || *sp == '\t')
		sp++;
	{
		const char *end = bar, *ar = bar + 1;

		while (end > sp && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		while (*ar == ' ' || *ar == '\t')
			ar++;
		l->fr = xstrndup(sp, (size_t)(end - sp));
		l->ar = xstrdup(ar);
	}
	c->nlabels++;
	if (!*l->fr || !*l->ar)
		return defs_error(err, it, "label '%s' needs both texts",
				  l->code);
	return MAJLIS_OK;
}

static enum majlis_status
report_key(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct report_def *d = r->def;
	const char *k = it->key, *v = it->value;

	if (!strcmp(k, "format")) {
		return read_format(r, it, err);
	} else if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		return set_once(it, k[0] == 'f' ? &d->title_fr : &d->title_ar,
				err);
	} else if (!strcmp(k, "sheet_fr") || !strcmp(k, "sheet_ar")) {
		return set_sheet_name(
		    it, k[6] == 'f' ? &d->sheet_fr : &d->sheet_ar, err);
	} else if (!strcmp(k, "query")) {
		if (!d->query.len)
			d->query_line = it->line;
		else
			buf_addch(&d->query, '\n');
		buf_addstr(&d->query, v);
	} else if (!strcmp(k, "params")) {
		char tmp[256], *w[4];
		int n;

		if (strlen(v) >= sizeof(tmp) ||
		    (n = split_words(memcpy(tmp, v, strlen(v) + 1), w, 4)) < 0)
			return defs_error(err, it, "too many parameters");
		for (int i = 0; i < n; i++) {
			if (!strcmp(w[i], "period"))
				d->takes |= REPORT_PERIOD;
			else if (!strcmp(w[i], "body"))
				d->takes |= REPORT_BODY;
			else if (!strcmp(w[i], "organization"))
				d->takes |= REPORT_ORG;
			else
				return defs_error(err, it,
						  "unknown parameter '%s' "
						  "(period, body, organization)",
						  w[i]);
		}
	} else if (!strcmp(k, "period")) {
		struct period p;
		struct date today = { 2026, 1, 1 };

		if (!d->period && period_parse(v, today, &p) < 0)
			return defs_error(err, it, "bad period '%s'", v);
		return set_once(it, &d->period, err);
	} else if (!strcmp(k, "sort")) {
		char tmp[128], *w[3];
		int n;
		struct sort_key *s;

		if (d->nsort == REPORT_MAX_SORT)
			return defs_error(err, it, "more than %d sort keys",
					  REPORT_MAX_SORT);
		if (strlen(v) >= sizeof(tmp) ||
		    (n = split_words(memcpy(tmp, v, strlen(v) + 1), w, 3)) < 1 ||
		    n > 2 || !field_ok(w[0]) ||
		    (n == 2 && strcmp(w[1], "asc") && strcmp(w[1], "desc")))
			return defs_error(err, it,
					  "a sort key is 'FIELD [asc|desc]'");
		s = &d->sort[d->nsort++];
		s->field = xstrdup(w[0]);
		s->desc = n == 2 && !strcmp(w[1], "desc");
		s->line = it->line;
	} else if (!strcmp(k, "group")) {
		d->group_line = it->line;
		return set_once(it, &d->group_name, err);
	} else if (!strcmp(k, "colour")) {
		if (!d->colour_field && !field_ok(v))
			return defs_error(err, it, "'%s' is not a field", v);
		d->colour_line = it->line;
		return set_once(it, &d->colour_field, err);
	} else if (!strcmp(k, "red") || !strcmp(k, "amber") ||
		   !strcmp(k, "green")) {
		enum tone t = k[0] == 'r' ? TONE_RED
			      : k[0] == 'a' ? TONE_AMBER
					    : TONE_GREEN;

		return set_once(it, &d->tones[t], err);
	} else {
		return defs_error(err, it, "unknown key '%s' in [report]", k);
	}
	return MAJLIS_OK;
}

static enum majlis_status
column_key(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct report_column *c = &r->def->cols[r->def->ncols - 1];
	const char *k = it->key, *v = it->value;

	if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		return set_once(it, k[0] == 'f' ? &c->title_fr : &c->title_ar,
				err);
	} else if (!strcmp(k, "field") || !strcmp(k, "field_fr") ||
		   !strcmp(k, "field_ar")) {
		if (!field_ok(v))
			return defs_error(err, it, "'%s' is not a field", v);
		if (strcmp(k, "field_ar"))
			set_text(&c->field_fr, v);
		if (strcmp(k, "field_fr"))
			set_text(&c->field_ar, v);
	} else if (!strcmp(k, "type")) {
		return parse_type(c, it, err);
	} else if (!strcmp(k, "width")) {
		long long n;

		if (parse_int(v, 1, 200, &n) < 0)
			return defs_error(err, it,
					  "a width is 1 to 200 characters");
		c->width = (double)n;
	} else if (!strcmp(k, "total")) {
		return parse_total(c, it, err);
	} else if (!strcmp(k, "label")) {
		return parse_label(c, it, err);
	} else {
		return defs_error(err, it, "unknown key '%s' in [column]", k);
	}
	return MAJLIS_OK;
}

static enum majlis_status
chart_key(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct report_chart *c = &r->def->charts[r->def->ncharts - 1];
	const char *k = it->key, *v = it->value;

	if (!strcmp(k, "type")) {
		static const char *const kinds[] = { "bar", "column", "line",
						     "pie" };

		for (int i = 0; i < 4; i++)
			if (!strcmp(v, kinds[i])) {
				c->kind = (enum chart_kind)i;
				return MAJLIS_OK;
			}
		return defs_error(err, it,
				  "unknown chart type '%s' (bar, column, line, "
				  "pie)",
				  v);
	} else if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		return set_once(it, k[0] == 'f' ? &c->title_fr : &c->title_ar,
				err);
	} else if (!strcmp(k, "category")) {
		return set_once(it, &c->category_name, err);
	} else if (!strcmp(k, "values")) {
		char tmp[512], *w[REPORT_MAX_SERIES];
		int n;

		if (c->nseries)
			return defs_error(err, it, "'values' is given twice");
		if (strlen(v) >= sizeof(tmp) ||
		    (n = split_words(memcpy(tmp, v, strlen(v) + 1), w,
				     REPORT_MAX_SERIES)) < 1)
			return defs_error(err, it,
					  "'values' names 1 to %d columns",
					  REPORT_MAX_SERIES);
		for (int i = 0; i < n; i++)
			c->series_names[c->nseries++] = xstrdup(w[i]);
	} else {
		return defs_error(err, it, "unknown key '%s' in [chart]", k);
	}
	return MAJLIS_OK;
}

static enum majlis_status
dashboard_key(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct dashboard *db = r->db;
	const char *k = it->key, *v = it->value;

	if (!strcmp(k, "format")) {
		return read_format(r, it, err);
	} else if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		return set_once(it, k[0] == 'f' ? &db->title_fr : &db->title_ar,
				err);
	} else if (!strcmp(k, "file")) {
		if (!db->out && !name_ok(v))
			return defs_error(err, it,
					  "a file name is lower-case letters, "
					  "digits and dashes");
		return set_once(it, &db->out, err);
	} else {
		return defs_error(err, it, "unknown key '%s' in [dashboard]",
				  k);
	}
	return MAJLIS_OK;
}

static enum majlis_status
sheet_key(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct sheet_def *s = &r->db->sheets[r->db->nsheets - 1];
	const char *k = it->key, *v = it->value;

	if (!strcmp(k, "fr") || !strcmp(k, "ar")) {
		return set_sheet_name(
		    it, k[0] == 'f' ? &s->title_fr : &s->title_ar, err);
	} else if (!strcmp(k, "report")) {
		if (s->nreports == SHEET_MAX_REPORTS)
			return defs_error(err, it, "more than %d reports",
					  SHEET_MAX_REPORTS);
		if (!name_ok(v))
			return defs_error(err, it, "'%s' is not a report name",
					  v);
		s->reports[s->nreports++] = xstrdup(v);
	} else if (!strcmp(k, "agenda")) {
		if (strcmp(v, "month"))
			return defs_error(err, it,
					  "a sheet's agenda is 'month'");
		s->agenda = 1;
	} else {
		return defs_error(err, it, "unknown key '%s' in [sheet]", k);
	}
	return MAJLIS_OK;
}

/* What a section needs once it is complete. */
static enum majlis_status
section_end(struct reader *r, const struct defs_item *it, struct buf *err)
{
	struct defs_item at = *it;

	switch (r->sec) {
	case SEC_COLUMN: {
		struct report_column *c = &r->def->cols[r->def->ncols - 1];

		at.line = c->line;
		if (!c->title_fr || !c->title_ar)
			return defs_error(err, &at,
					  "column '%s' needs its titles (fr, ar)",
					  c->name);
		if (c->type == COL_LABEL && !c->nlabels)
			return defs_error(err, &at,
					  "column '%s' of type label needs "
					  "labels",
					  c->name);
		break;
	}
	case SEC_CHART: {
		struct report_chart *c = &r->def->charts[r->def->ncharts - 1];

		at.line = c->line;
		if (!c->title_fr || !c->title_ar || !c->category_name ||
		    !c->nseries)
			return defs_error(err, &at,
					  "chart '%s' needs fr, ar, category "
					  "and values",
					  c->name);
		break;
	}
	case SEC_SHEET: {
		struct sheet_def *s = &r->db->sheets[r->db->nsheets - 1];

		at.line = s->line;
		if (!s->nreports && !s->agenda)
			return defs_error(err, &at,
					  "sheet '%s' holds no report", s->name);
		if (s->agenda && s->nreports)
			return defs_error(err, &at,
					  "sheet '%s' holds the agenda or "
					  "reports, not both",
					  s->name);
		if (!s->title_fr != !s->title_ar)
			return defs_error(err, &at,
					  "sheet '%s' needs both names (fr, ar)",
					  s->name);
		if (!s->title_fr && (s->agenda || s->nreports > 1))
			return defs_error(err, &at,
					  "sheet '%s' needs its names (fr, ar)",
					  s->name);
		break;
	}
	default:
		break;
	}
	return MAJLIS_OK;
}

static enum majlis_status
read_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct reader *r = ctx;
	enum majlis_status rc;

	if (it->key) {
		switch (r->sec) {
		case SEC_NONE:
			return defs_error(err, it, "'%s' outside a section",
					  it->key);
		case SEC_HEAD:
			return r->dashboard ? dashboard_key(r, it, err)
					    : report_key(r, it, err);
		case SEC_COLUMN:
			return column_key(r, it, err);
		case SEC_CHART:
			return chart_key(r, it, err);
		case SEC_SHEET:
			return sheet_key(r, it, err);
		}
		return MAJLIS_OK;
	}
	rc = section_end(r, it, err);
	if (rc != MAJLIS_OK)
		return rc;
	if (!strcmp(it->kind, r->dashboard ? "dashboard" : "report")) {
		if (r->seen_head || *it->name)
			return defs_error(err, it, "[%s] must come once, first, "
						   "without a name",
					  it->kind);
		r->seen_head = 1;
		r->sec = SEC_HEAD;
		return MAJLIS_OK;
	}
	if (!r->seen_head)
		return defs_error(err, it, "the file must start with [%s]",
				  r->dashboard ? "dashboard" : "report");
	if (!name_ok(it->name) && strcmp(it->kind, "column"))
		return defs_error(err, it, "[%s] needs a name (a-z, 0-9, -, _)",
				  it->kind);
	if (!r->dashboard && !strcmp(it->kind, "column")) {
		struct report_def *d = r->def;
		struct report_column *c;

		if (!field_ok(it->name))
			return defs_error(err, it,
					  "[column] needs a name (letters, "
					  "digits, _)");
		if (d->ncols == REPORT_MAX_COLUMNS)
			return defs_error(err, it, "more than %d columns",
					  REPORT_MAX_COLUMNS);
		for (int i = 0; i < d->ncols; i++)
			if (!strcmp(d->cols[i].name, it->name))
				return defs_error(err, it,
						  "column '%s' is defined twice",
						  it->name);
		c = &d->cols[d->ncols++];
		c->name = xstrdup(it->name);
		c->line = it->line;
		c->idx_fr = c->idx_ar = -1;
		r->sec = SEC_COLUMN;
	} else if (!r->dashboard && !strcmp(it->kind, "chart")) {
		struct report_def *d = r->def;
		struct report_chart *c;

		if (d->ncharts == REPORT_MAX_CHARTS)
			return defs_error(err, it, "more than %d charts",
					  REPORT_MAX_CHARTS);
		c = &d->charts[d->ncharts++];
		c->name = xstrdup(it->name);
		c->line = it->line;
		c->kind = CHART_COLUMN;
		r->sec = SEC_CHART;
	} else if (r->dashboard && !strcmp(it->kind, "sheet")) {
		struct dashboard *db = r->db;
		struct sheet_def *s;

		if (db->nsheets == DASHBOARD_MAX_SHEETS)
			return defs_error(err, it, "more than %d sheets",
					  DASHBOARD_MAX_SHEETS);
		for (int i = 0; i < db->nsheets; i++)
			if (!strcmp(db->sheets[i].name, it->name))
				return defs_error(err, it,
						  "sheet '%s' is defined twice",
						  it->name);
		s = &db->sheets[db->nsheets++];
		s->name = xstrdup(it->name);
		s->line = it->line;
		r->sec = SEC_SHEET;
	} else {
		return defs_error(err, it, "unknown section [%s]", it->kind);
	}
	return MAJLIS_OK;
}

static enum majlis_status
add_parsed(struct reportset *set, struct reader *r, const char *name,
	   int line, struct buf *err)
{
	struct defs_item at = { name, line, "", "", NULL, NULL };

	if (!r->format_seen)
		return defs_error(err, &at, "no 'format' (format = %d)",
				  REPORT_FORMAT);
	if (!r->dashboard) {
		struct report_def *d = r->def;

		if (!d->title_fr || !d->title_ar)
			return defs_error(err, &at,
					  "the report needs its titles (fr, ar)");
		if (!d->sheet_fr || !d->sheet_ar)
			return defs_error(err, &at,
					  "the report needs its sheets' names "
					  "(sheet_fr, sheet_ar)");
		if (!d->query.len)
			return defs_error(err, &at, "the report needs a query");
		if (!d->ncols)
			return defs_error(err, &at,
					  "the report needs at least one "
					  "[column]");
		for (int i = 0; i < d->ncols; i++) {
			struct report_column *c = &d->cols[i];

			if (!c->field_fr)
				c->field_fr = xstrdup(c->name);
			if (!c->field_ar)
				c->field_ar = xstrdup(c->field_fr);
			if (c->total != TOTAL_NONE)
				d->has_totals = 1;
		}
		d->group = -1;
		if (d->group_name) {
			for (int i = 0; i < d->ncols; i++)
				if (!strcmp(d->cols[i].name, d->group_name))
					d->group = i;
			if (d->group < 0) {
				at.line = d->group_line;
				return defs_error(err, &at,
						  "group '%s' is not a column",
						  d->group_name);
			}
		}
		for (int i = 0; i < d->ncharts; i++) {
			struct report_chart *c = &d->charts[i];

			at.line = c->line;
			if (d->group >= 0)
				return defs_error(err, &at,
						  "chart '%s': a grouped report's "
						  "subtotals would be charted too",
						  c->name);
			c->category = -1;
			for (int j = 0; j < d->ncols; j++)
				if (!strcmp(d->cols[j].name, c->category_name))
					c->category = j;
			if (c->category < 0)
				return defs_error(err, &at,
						  "chart '%s': category '%s' is "
						  "not a column",
						  c->name, c->category_name);
			for (int s = 0; s < c->nseries; s++) {
				int found = -1;

				for (int j = 0; j < d->ncols; j++)
					if (!strcmp(d->cols[j].name,
						    c->series_names[s]))
						found = j;
				if (found < 0)
					return defs_error(
						err, &at,
						"chart '%s': '%s' is not a "
						"column",
						c->name, c->series_names[s]);
				if (d->cols[found].type != COL_INTEGER &&
				    d->cols[found].type != COL_NUMBER &&
				    d->cols[found].type != COL_PERCENT)
					return defs_error(
						err, &at,
						"chart '%s': column '%s' is "
						"not a number",
						c->name, c->series_names[s]);
				c->series[s] = found;
			}
			if (c->kind == CHART_PIE && c->nseries != 1)
				return defs_error(err, &at,
						  "chart '%s': a pie shows one "
						  "column of values",
						  c->name);
		}
		for (size_t i = 0; i < set->ndefs; i++)
			if (!strcmp(set->defs[i]->name, d->name)) {
				def_free(set->defs[i]);
				set->defs[i] = d;
				return MAJLIS_OK;
			}
		xgrow(&set->defs, &set->capdefs, set->ndefs + 1,
		      sizeof(*set->defs));
		set->defs[set->ndefs++] = d;
	} else {
		struct dashboard *db = r->db;

		if (!db->title_fr || !db->title_ar)
			return defs_error(err, &at,
					  "the dashboard needs its titles (fr, "
					  "ar)");
		if (!db->nsheets)
			return defs_error(err, &at,
					  "the dashboard needs at least one "
					  "[sheet]");
		if (!db->out)
			db->out = xstrdup(db->name);
		for (size_t i = 0; i < set->ndbs; i++)
			if (!strcmp(set->dbs[i]->name, db->name)) {
				db_free(set->dbs[i]);
				set->dbs[i] = db;
				return MAJLIS_OK;
			}
		xgrow(&set->dbs, &set->capdbs, set->ndbs + 1,
		      sizeof(*set->dbs));
		set->dbs[set->ndbs++] = db;
	}
	return MAJLIS_OK;
}

/* The definition's name: its file's, without folder and extension. */
static int
base_name(const char *path, const char **ext, struct buf *out)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');

	if (!dot)
		return -1;
	*ext = dot + 1;
	buf_reset(out);
	buf_add(out, b, (size_t)(dot - b));
	return 0;
}

enum majlis_status
reportset_add(struct reportset *set, const char *name, const char *data,
	      size_t len, struct buf *err)
{
	struct reader r;
	struct buf base = BUF_INIT;
	const char *ext;
	enum majlis_status rc;
	int lines = 1;

	memset(&r, 0, sizeof(r));
	if (base_name(name, &ext, &base) < 0 ||
	    (strcmp(ext, "report") && strcmp(ext, "dashboard")) ||
	    !name_ok(base.data)) {
		buf_release(&base);
		return error(err, MAJLIS_ERR_CONFIG,
			     "%s: not a report's name (NAME.report or "
			     "NAME.dashboard, NAME in a-z, 0-9, -, _)",
			     name);
	}
	r.dashboard = !strcmp(ext, "dashboard");
	if (r.dashboard) {
		r.db = xcalloc(1, sizeof(*r.db));
		r.db->name = buf_detach(&base, NULL);
		r.db->file = xstrdup(name);
	} else {
		r.def = xcalloc(1, sizeof(*r.def));
		r.def->name = buf_detach(&base, NULL);
		r.def->file = xstrdup(name);
		buf_init(&r.def->query);
		r.def->group = -1;
		r.def->colour_idx = -1;
	}
	rc = defs_parse(name, data, len, read_item, &r, err);
	for (size_t i = 0; i < len; i++)
		lines += data[i] == '\n';
	if (rc == MAJLIS_OK) {
		struct defs_item end = { name, lines, "", "", NULL, NULL };

		rc = section_end(&r, &end, err);
	}
	if (rc == MAJLIS_OK)
		rc = add_parsed(set, &r, name, 1, err);
	if (rc != MAJLIS_OK) {
		def_free(r.def);
		db_free(r.db);
		buf_release(&base);
		return MAJLIS_ERR_CONFIG;
	}
	buf_release(&base);
	return MAJLIS_OK;
}

enum majlis_status
reportset_new(struct reportset **out)
{
	*out = xcalloc(1, sizeof(**out));
	return MAJLIS_OK;
}

void
reportset_free(struct reportset *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->ndefs; i++)
		def_free(set->defs[i]);
	for (size_t i = 0; i < set->ndbs; i++)
		db_free(set->dbs[i]);
	free(set->defs);
	free(set->dbs);
	free(set);
}

static int
is_definition(const char *name, void *ctx)
{
	(void)ctx;
	return has_suffix(name, ".report") || has_suffix(name, ".dashboard");
}

/* Adds every *.report and *.dashboard of dir, in name order. */
static int
load_dir(struct reportset *set, const char *dir, int must, struct buf *err)
{
	char **names;
	size_t n;
	int bad = 0;

	if (dir_names(dir, is_definition, NULL, &names, &n) < 0) {
		if (!must && errno == ENOENT)
			return 0;
		error(err, MAJLIS_ERR_CONFIG, "cannot read '%s': %s", dir,
		      strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT, data = BUF_INIT;

		buf_setf(&path, "%s/%s", dir, names[i]);
		if (file_read(path.data, DEFS_MAX_FILE, &data) < 0) {
			error(err, MAJLIS_ERR_CONFIG, "cannot read '%s': %s",
			      path.data, strerror(errno));
			bad++;
		} else if (reportset_add(set, path.data, data.data, data.len,
					 err) != MAJLIS_OK) {
			bad++;
		}
		if (err->len && err->data[err->len - 1] != '\n' && bad)
			buf_addch(err, '\n');
		buf_release(&path);
		buf_release(&data);
	}
	names_free(names, n);
	return bad;
}

enum majlis_status
reportset_load(const char *dir, const char *own_dir, struct reportset **out,
	       struct buf *err)
{
	struct reportset *set;
	int bad;

	reportset_new(&set);
	bad = load_dir(set, dir, 1, err);
	if (own_dir)
		bad += load_dir(set, own_dir, 0, err);
	if (bad) {
		buf_rtrim(err);
		reportset_free(set);
		*out = NULL;
		return MAJLIS_ERR_CONFIG;
	}
	*out = set;
	return MAJLIS_OK;
}

const struct report_def *
reportset_report(const struct reportset *set, const char *name)
{
	for (size_t i = 0; set && i < set->ndefs; i++)
		if (!strcmp(set->defs[i]->name, name))
			return set->defs[i];
	return NULL;
}

const struct dashboard *
reportset_dashboard(const struct reportset *set, const char *name)
{
	for (size_t i = 0; set && i < set->ndbs; i++)
		if (!strcmp(set->dbs[i]->name, name))
			return set->dbs[i];
	return NULL;
}

static void
takes_text(unsigned t, struct buf *out)
{
	if (t & REPORT_PERIOD)
		buf_addstr(out, "period ");
	if (t & REPORT_BODY)
		buf_addstr(out, "body ");
	if (t & REPORT_ORG)
		buf_addstr(out, "organization ");
	buf_rtrim(out);
}

void
reportset_describe(const struct reportset *set, rec_cb cb, void *ctx)
{
	for (size_t i = 0; i < set->ndefs; i++) {
		const struct report_def *d = set->defs[i];
		struct rec r = REC_INIT;
		struct buf t = BUF_INIT;

		takes_text(d->takes, &t);
		rec_add_text(&r, "kind", "report");
		rec_add_text(&r, "name", d->name);
		rec_add_text(&r, "file", d->file);
		rec_add_text(&r, "fr", d->title_fr);
		rec_add_text(&r, "ar", d->title_ar);
		rec_add_text(&r, "params", t.data);
		cb(ctx, &r);
		rec_release(&r);
		buf_release(&t);
	}
	for (size_t i = 0; i < set->ndbs; i++) {
		const struct dashboard *db = set->dbs[i];
		struct rec r = REC_INIT;

		rec_add_text(&r, "kind", "dashboard");
		rec_add_text(&r, "name", db->name);
		rec_add_text(&r, "file", db->file);
		rec_add_text(&r, "fr", db->title_fr);
		rec_add_text(&r, "ar", db->title_ar);
		rec_add_text(&r, "params", "period body organization");
		rec_add_int(&r, "sheets", db->nsheets);
		cb(ctx, &r);
		rec_release(&r);
	}
}

const char *
dashboard_name(const struct dashboard *db)
{
	return db->name;
}

const char *
dashboard_file(const struct dashboard *db)
{
	return db->out;
}

const char *
report_name(const struct report_def *def)
{
	return def->name;
}

const char *
report_title(const struct report_def *def, const char *lang)
{
	return strcmp(lang, "ar") ? def->title_fr : def->title_ar;
}

unsigned
report_takes(const struct report_def *def)
{
	return def->takes;
}

/* ---- The check against a database -------------------------------- */

static const struct {
	const char *name;
	unsigned needs;		/* the parameter the report must take */
} known_params[] = {
	{ ":from", REPORT_PERIOD },	 { ":until", REPORT_PERIOD },
	{ ":from_date", REPORT_PERIOD }, { ":until_date", REPORT_PERIOD },
	{ ":body", REPORT_BODY },	 { ":org", REPORT_ORG },
	{ ":now", 0 },			 { ":soon", 0 },
	{ ":today", 0 },
};

static int
query_index(struct stmt *s, const char *field)
{
	for (int i = 0; i < stmt_columns(s); i++)
		if (!strcmp(stmt_name(s, i), field))
			return i;
	return -1;
}

/* The full query the runner prepares: the definition's, sorted by the
 * group first, then the sort keys. */
static void
full_query(const struct report_def *d, struct buf *out)
{
	int keys = 0;

	buf_reset(out);
	buf_addf(out, "SELECT * FROM (%s\n)", d->query.data);
	if (d->group >= 0) {
		buf_addf(out, " ORDER BY \"%s\"", d->cols[d->group].field_fr);
		keys++;
	}
	for (int i = 0; i < d->nsort; i++)
		buf_addf(out, "%s\"%s\"%s", keys++ ? ", " : " ORDER BY ",
			 d->sort[i].field, d->sort[i].desc ? " DESC" : "");
}

/* Prepares def's query and resolves its fields; problems as file:line. */
static enum majlis_status
prepare_def(struct report_def *d, struct store *st, struct stmt **out,
	    struct buf *err)
{
	struct buf sql = BUF_INIT, why = BUF_INIT;
	struct defs_item at = { d->file, d->query_line, "", "", NULL, NULL };
	struct stmt *s = NULL;
	enum majlis_status rc;

	*out = NULL;
	/* The definition's own query first, so that an error in it is not
	 * blamed on the ORDER BY around it. */
	rc = store_query(st, d->query.data, &s, &why);
	if (rc != MAJLIS_OK) {
		defs_error(err, &at, "query: %s", why.data);
		goto out;
	}
	for (int i = 0; i < d->nsort; i++)
		if (query_index(s, d->sort[i].field) < 0) {
			at.line = d->sort[i].line;
			rc = defs_error(err, &at,
					"sort: the query has no field '%s'",
					d->sort[i].field);
			goto out;
		}
	stmt_free(s);
	s = NULL;
	full_query(d, &sql);
	buf_reset(&why);
	if (store_query(st, sql.data, &s, &why) != MAJLIS_OK) {
		rc = defs_error(err, &at, "query: %s", why.data);
		goto out;
	}
	for (int i = 1; i <= stmt_params(s); i++) {
		const char *p = stmt_param_name(s, i);
		int ok = 0;

		for (size_t k = 0; p && k < sizeof(known_params) /
						   sizeof(known_params[0]);
		     k++)
			if (!strcmp(p, known_params[k].name)) {
				ok = 1;
				if (known_params[k].needs &&
				    !(d->takes & known_params[k].needs)) {
					rc = defs_error(
						err, &at,
						"query: %s needs 'params = "
						"%s'",
						p,
						known_params[k].needs ==
								REPORT_PERIOD
							? "period"
						: known_params[k].needs ==
								REPORT_BODY
							? "body"
							: "organization");
					goto out;
				}
			}
		if (!ok) {
			rc = defs_error(err, &at,
					"query: unknown parameter '%s' (:from, "
					":until, :from_date, :until_date, :body, "
					":org, :now, :soon, :today)",
					p ? p : "?");
			goto out;
		}
	}
	for (int i = 0; i < d->ncols; i++) {
		struct report_column *c = &d->cols[i];

		c->idx_fr = query_index(s, c->field_fr);
		c->idx_ar = query_index(s, c->field_ar);
		if (c->idx_fr < 0 || c->idx_ar < 0) {
			at.line = c->line;
			rc = defs_error(err, &at,
					"column '%s': the query has no field "
					"'%s'",
					c->name,
					c->idx_fr < 0 ? c->field_fr
						      : c->field_ar);
			goto out;
		}
	}
	d->colour_idx = -1;
	if (d->colour_field) {
		d->colour_idx = query_index(s, d->colour_field);
		if (d->colour_idx < 0) {
			at.line = d->colour_line;
			rc = defs_error(err, &at,
					"colour: the query has no field '%s'",
					d->colour_field);
			goto out;
		}
	}
	*out = s;
	s = NULL;
out:
	stmt_free(s);
	buf_release(&sql);
	buf_release(&why);
	return rc;
}

enum majlis_status
reportset_check(struct reportset *set, struct store *st, struct buf *err)
{
	int bad = 0;

	for (size_t i = 0; i < set->ndefs; i++) {
		struct stmt *s;
		size_t mark = err->len;

		if (prepare_def(set->defs[i], st, &s, err) != MAJLIS_OK) {
			bad++;
			if (err->len > mark)
				buf_addch(err, '\n');
		}
		stmt_free(s);
	}
	for (size_t i = 0; i < set->ndbs; i++) {
		struct dashboard *db = set->dbs[i];
		const char *names[2 * DASHBOARD_MAX_SHEETS];
		int nnames = 0;

		for (int j = 0; j < db->nsheets; j++) {
			struct sheet_def *s = &db->sheets[j];
			struct defs_item at = { db->file, s->line, "", "", NULL,
						NULL };

			for (int k = 0; k < s->nreports; k++) {
				s->defs[k] = reportset_report(set,
							      s->reports[k]);
				if (!s->defs[k]) {
					defs_error(err, &at,
						   "sheet '%s': no report '%s' "
						   "in reports/",
						   s->name, s->reports[k]);
					buf_addch(err, '\n');
					bad++;
				}
			}
			for (int l = 0; l < 2; l++) {
				const char *n = l ? s->title_ar : s->title_fr;

				if (!n && s->nreports && s->defs[0])
					n = l ? s->defs[0]->sheet_ar
					      : s->defs[0]->sheet_fr;
				if (!n)
					continue;
				for (int m = 0; m < nnames; m++)
					if (!strcmp(names[m], n)) {
						defs_error(err, &at,
							   "sheet '%s': two "
							   "sheets named '%s'",
							   s->name, n);
						buf_addch(err, '\n');
						bad++;
					}
				names[nnames++] = n;
			}
		}
	}
	buf_rtrim(err);
	return bad ? MAJLIS_ERR_CONFIG : MAJLIS_OK;
}

/* ---- Periods and arguments --------------------------------------- */

static struct date
monday_of(struct date d)
{
	/* date_weekday(): 0 Sunday ... 6 Saturday */
	int wd = date_weekday(d);

	return date_add_days(d, -((wd + 6) % 7));
}

static int
parse_day(const char *s, size_t len, struct date *out)
{
	char tmp[DATE_LEN];

	if (len != 10)
		return -1;
	memcpy(tmp, s, 10);
	tmp[10] = 0;
	return date_parse(tmp, out);
}

int
period_parse(const char *s, struct date today, struct period *out)
{
	size_t len = strlen(s);
	const char *dots = strstr(s, "..");
	long long y, m;
	char tmp[8];

	memset(out, 0, sizeof(*out));
	if (!strcmp(s, "all"))
		return 0;
	if (!strcmp(s, "day")) {
		out->from = today;
	} else if (!strcmp(s, "week")) {
		out->from = monday_of(today);
		out->until = date_add_days(out->from, 7);
		return 0;
	} else if (!strcmp(s, "month")) {
		out->from = (struct date){ today.y, today.m, 1 };
		out->until = date_add_days(
			out->from, days_in_month(today.y, today.m));
		return 0;
	} else if (!strcmp(s, "year")) {
		out->from = (struct date){ today.y, 1, 1 };
		out->until = (struct date){ today.y + 1, 1, 1 };
		return 0;
	} else if (dots) {
		if (parse_day(s, (size_t)(dots - s), &out->from) < 0 ||
		    parse_day(dots + 2, strlen(dots + 2), &out->until) < 0 ||
		    date_cmp(out->until, out->from) < 0)
			return -1;
		out->until = date_add_days(out->until, 1);
		return 0;
	} else if (len == 4) {
		if (parse_int(s, 1900, 2999, &y) < 0)
			return -1;
		out->from = (struct date){ (int)y, 1, 1 };
		out->until = (struct date){ (int)y + 1, 1, 1 };
		return 0;
	} else if (len == 7 && s[4] == '-') {
		memcpy(tmp, s, 4);
		tmp[4] = 0;
		if (parse_int(tmp, 1900, 2999, &y) < 0 ||
		    parse_int(s + 5, 1, 12, &m) < 0)
			return -1;
		out->from = (struct date){ (int)y, (int)m, 1 };
		out->until = date_add_days(out->from,
					   days_in_month((int)y, (int)m));
		return 0;
	} else if ((len == 8 || len == 7) && s[4] == '-' && s[5] == 'W') {
		long long w;
		struct date jan4;

		memcpy(tmp, s, 4);
		tmp[4] = 0;
		if (parse_int(tmp, 1900, 2999, &y) < 0 ||
		    parse_int(s + 6, 1, 53, &w) < 0)
			return -1;
		/* ISO 8601: week 1 holds 4 January. */
		jan4 = (struct date){ (int)y, 1, 4 };
		out->from = date_add_days(monday_of(jan4), (w - 1) * 7);
		out->until = date_add_days(out->from, 7);
		if (w == 53 && monday_of((struct date){ (int)y + 1, 1, 4 })
					       .y == (int)y &&
		    date_cmp(out->from,
			     monday_of((struct date){ (int)y + 1, 1, 4 })) >=
			    0)
			return -1;
		return 0;
	} else if (parse_day(s, len, &out->from) < 0) {
		return -1;
	}
	out->until = date_add_days(out->from, 1);
	return 0;
}

void
period_label(const struct period *p, const char *lang, struct buf *out)
{
	int ar = !strcmp(lang, "ar");
	struct date last;

	if (!p->from.y) {
		buf_addstr(out, ar ? "كل الفترات" : "toutes périodes");
		return;
	}
	last = date_add_days(p->until, -1);
	if (!date_cmp(p->from, last)) {
		buf_addf(out, "%s %02d/%02d/%04d", ar ? "يوم" : "le",
			 p->from.d, p->from.m, p->from.y);
		return;
	}
	buf_addf(out, "%s %02d/%02d/%04d %s %02d/%02d/%04d",
		 ar ? "من" : "du", p->from.d, p->from.m, p->from.y,
		 ar ? "إلى" : "au", last.d, last.m, last.y);
}

enum majlis_status
report_args_make(struct engine *e, const struct report_def *def,
		 const char *period, const char *body, const char *org,
		 struct report_args *out, struct buf *err)
{
	struct date today = clock_local_date(e->clock, clock_now(e->clock));
	unsigned takes = def ? def->takes : REPORT_PERIOD | REPORT_BODY |
						   REPORT_ORG;
	const char *name = def ? def->name : "the dashboard";
	int64_t id;

	memset(out, 0, sizeof(*out));
	if (period && !(takes & REPORT_PERIOD))
		return error(err, MAJLIS_ERR_USAGE,
			     "report '%s' takes no period", name);
	if (body && !(takes & REPORT_BODY))
		return error(err, MAJLIS_ERR_USAGE,
			     "report '%s' takes no body", name);
	if (org && !(takes & REPORT_ORG))
		return error(err, MAJLIS_ERR_USAGE,
			     "report '%s' takes no organization", name);
	if (!period && def && def->period)
		period = def->period;
	if (period && period_parse(period, today, &out->period) < 0)
		return error(err, MAJLIS_ERR_USAGE,
			     "bad period '%s' (all, day, week, month, year, "
			     "2026, 2026-12, 2026-W49, 2026-12-03, "
			     "2026-01-01..2026-06-30)",
			     period);
	if (body) {
		if (store_get_int(e->store, err, &id,
				  "SELECT id FROM body WHERE code = ?1", "s",
				  body) != MAJLIS_OK)
			return error(err, MAJLIS_ERR_NOTFOUND,
				     "no body '%s' (CASA, ANFA, ...)", body);
		out->body = body;
	}
	if (org) {
		if (store_get_int(e->store, err, &id,
				  "SELECT id FROM organization WHERE code = ?1",
				  "s", org) != MAJLIS_OK)
			return error(err, MAJLIS_ERR_NOTFOUND,
				     "no organization '%s' (CC, CC-BUREAU, ...)",
				     org);
		out->org = org;
	}
	return MAJLIS_OK;
}

/* ---- The runner -------------------------------------------------- */

static void
bind_time(struct stmt *s, int idx, int64_t t)
{
	char text[TIME_LEN];

	time_format_utc(t, text);
	stmt_bind_text(s, idx, text);
}

static void
bind_args(struct engine *e, struct stmt *s, const struct report_args *a)
{
	int64_t now = clock_now(e->clock);
	char day[DATE_LEN];

	for (int i = 1; i <= stmt_params(s); i++) {
		const char *p = stmt_param_name(s, i);

		if (!p)
			continue;
		if (!strcmp(p, ":from") || !strcmp(p, ":until")) {
			int from = !strcmp(p, ":from");
			struct date d = from ? a->period.from : a->period.until;

			if (!a->period.from.y)
				stmt_bind_text(s, i,
					       from ? "0000-01-01T00:00:00Z"
						    : "9999-12-31T23:59:59Z");
			else
				bind_time(s, i,
					  clock_from_local(e->clock, d, 0, 0, 0));
		} else if (!strcmp(p, ":from_date") ||
			   !strcmp(p, ":until_date")) {
			int from = !strcmp(p, ":from_date");

			if (!a->period.from.y) {
				stmt_bind_text(s, i,
					       from ? "0000-01-01" : "9999-12-31");
			} else {
				date_format(from ? a->period.from
						 : a->period.until,
					    day);
				stmt_bind_text(s, i, day);
			}
		} else if (!strcmp(p, ":body")) {
			stmt_bind_text(s, i, a->body);
		} else if (!strcmp(p, ":org")) {
			stmt_bind_text(s, i, a->org);
		} else if (!strcmp(p, ":now")) {
			bind_time(s, i, now);
		} else if (!strcmp(p, ":soon")) {
			bind_time(s, i, now + 7 * 86400);
		} else if (!strcmp(p, ":today")) {
			date_format(clock_local_date(e->clock, now), day);
			stmt_bind_text(s, i, day);
		}
	}
}

static int
word_in(const char *list, const char *w)
{
	size_t n = strlen(w);

	if (!list || !n)
		return 0;
	for (const char *p = list; (p = strstr(p, w)); p++)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (!p[n] || p[n] == ' ' || p[n] == '\t'))
			return 1;
	return 0;
}

static enum tone
row_tone(const struct report_def *d, const char *v)
{
	static const char *const defaults[TONE__COUNT] = { NULL, "late",
							   "soon", "done" };

	if (!v || !*v)
		return TONE_NONE;
	for (int t = TONE_RED; t < TONE__COUNT; t++)
		if (word_in(d->tones[t] ? d->tones[t] : defaults[t], v))
			return (enum tone)t;
	return TONE_NONE;
}

/* The value of column c in the current row of s. */
static void
read_value(struct engine *e, const struct report_column *c, struct stmt *s,
	   struct report_value *v)
{
	enum stmt_type t = stmt_type(s, c->idx_fr);
	const char *text;

	memset(v, 0, sizeof(*v));
	if (t == STMT_NULL)
		return;
	switch (c->type) {
	case COL_INTEGER:
	case COL_NUMBER:
	case COL_PERCENT:
		if (t == STMT_TEXT)
			break;
		v->kind = RV_NUM;
		v->integer = t == STMT_INT;
		v->num = stmt_double(s, c->idx_fr);
		return;
	case COL_YESNO:
		v->kind = RV_STR;
		v->fr = stmt_int(s, c->idx_fr) ? "oui" : "non";
		v->ar = stmt_int(s, c->idx_fr) ? "نعم" : "لا";
		return;
	case COL_DATE:
	case COL_DATETIME: {
		int64_t when;

		text = stmt_text(s, c->idx_fr);
		if (strlen(text) == 10 && date_parse(text, &v->day) == 0) {
			v->kind = RV_DAY;
			return;
		}
		if (time_parse_utc(text, &when) == 0) {
			int sec;

			clock_to_local(e->clock, when, &v->day, &v->hour,
				       &v->min, &sec);
			v->kind = c->type == COL_DATE ? RV_DAY : RV_TIME;
			return;
		}
		break;
	}
	case COL_STATE: {
		enum object_kind k;
		const struct flow *f = NULL;

		text = stmt_text(s, c->idx_fr);
		if (e->flows && object_kind_parse(c->flow, &k) == 0)
			f = flowset_flow(e->flows, k);
		v->kind = RV_STR;
		v->fr = f ? flow_state_label(f, text, "fr") : NULL;
		v->ar = f ? flow_state_label(f, text, "ar") : NULL;
		if (!v->fr)
			v->fr = text;
		if (!v->ar)
			v->ar = text;
		return;
	}
	case COL_LABEL:
		text = stmt_text(s, c->idx_fr);
		v->kind = RV_STR;
		v->fr = v->ar = text;
		for (int i = 0; i < c->nlabels; i++)
			if (!strcmp(c->labels[i].code, text)) {
				v->fr = c->labels[i].fr;
				v->ar = c->labels[i].ar;
			}
		return;
	case COL_TEXT:
		break;
	}
	v->kind = RV_STR;
	v->fr = stmt_text(s, c->idx_fr);
	v->ar = stmt_text(s, c->idx_ar);
}

/* The running totals of one column. */
struct acc {
	double sum, min, max;
	long n;
	int all_int;
};

static void
acc_add(struct acc *a, const struct report_value *v)
{
	if (v->kind == RV_NONE)
		return;
	if (v->kind == RV_NUM) {
		if (!a->n || v->num < a->min)
			a->min = v->num;
		if (!a->n || v->num > a->max)
			a->max = v->num;
		a->sum += v->num;
		if (!v->integer)
			a->all_int = 0;
	}
	a->n++;
}

static void
acc_value(const struct report_column *c, const struct acc *a, struct report_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (c->total) {
	case TOTAL_NONE:
		return;
	case TOTAL_COUNT:
		v->num = (double)a->n;
		v->integer = 1;
		break;
	case TOTAL_SUM:
		v->num = a->sum;
		v->integer = a->all_int;
		break;
	case TOTAL_AVERAGE:
		if (!a->n)
			return;
		v->num = a->sum / (double)a->n;
		break;
	case TOTAL_MIN:
	case TOTAL_MAX:
		if (!a->n)
			return;
		v->num = c->total == TOTAL_MIN ? a->min : a->max;
		v->integer = a->all_int;
		break;
	}
	v->kind = RV_NUM;
}

static void
acc_reset(struct acc *a, int n)
{
	for (int i = 0; i < n; i++)
		a[i] = (struct acc){ 0, 0, 0, 0, 1 };
}

static enum majlis_status
emit_total(const struct report_def *d, enum row_kind kind, struct acc *acc,
	   const char *gfr, const char *gar, row_cb cb, void *ctx,
	   struct buf *err)
{
	struct report_value vals[REPORT_MAX_COLUMNS];
	struct report_row r = { kind, TONE_NONE, vals, gfr, gar };

	for (int i = 0; i < d->ncols; i++)
		acc_value(&d->cols[i], &acc[i], &vals[i]);
	return cb(ctx, &r, err);
}

static uint64_t
work_of(const struct report_args *a)
{
	return a->max_work ? a->max_work : REPORT_MAX_WORK;
}

/* Why a run's query stopped: its budget of work, or the store. */
static enum majlis_status
run_failed(struct engine *e, const struct report_def *d,
	   const struct report_args *a, struct stmt *s, struct buf *err)
{
	if (store_budget_spent(e->store))
		return error(err, MAJLIS_ERR_CONFIG,
			     "%s:%d: query: stopped after %llu million steps: "
			     "does it loop (a WITH RECURSIVE without an end)?",
			     d->file, d->query_line,
			     (unsigned long long)work_of(a) / 1000);
	return error(err, MAJLIS_ERR_STORE, "report '%s': %s", d->name,
		     stmt_errmsg(s));
}

enum majlis_status
report_run(struct engine *e, const struct report_def *def,
	   const struct report_args *args, row_cb cb, void *ctx,
	   struct buf *err)
{
	struct report_def *d = (struct report_def *)def;
	struct stmt *s = NULL;
	struct report_value vals[REPORT_MAX_COLUMNS];
	struct acc total[REPORT_MAX_COLUMNS], group[REPORT_MAX_COLUMNS];
	struct buf gfr = BUF_INIT, gar = BUF_INIT;
	enum majlis_status rc;
	int step, in_group = 0;

	/* Definitions are checked by reportset_check() at start-up; the
	 * fields are resolved again here against the instance's store. */
	rc = prepare_def(d, e->store, &s, err);
	if (rc != MAJLIS_OK)
		return MAJLIS_ERR_CONFIG;
	bind_args(e, s, args);
	acc_reset(total, d->ncols);
	acc_reset(group, d->ncols);
	store_set_budget(e->store, work_of(args));
	while ((step = stmt_step(s)) == 1) {
		struct report_row r = { ROW_DATA, TONE_NONE, vals, NULL, NULL };

		for (int i = 0; i < d->ncols; i++)
			read_value(e, &d->cols[i], s, &vals[i]);
		if (d->group >= 0) {
			const struct report_value *g = &vals[d->group];
			const char *fr = g->kind == RV_STR ? g->fr : "";

			if (in_group && strcmp(gfr.data, fr)) {
				rc = emit_total(d, ROW_SUBTOTAL, group,
						gfr.data, gar.data, cb, ctx,
						err);
				if (rc != MAJLIS_OK)
					goto out;
				acc_reset(group, d->ncols);
			}
			if (!in_group || strcmp(gfr.data, fr)) {
				buf_setf(&gfr, "%s", fr);
				buf_setf(&gar, "%s",
					 g->kind == RV_STR ? g->ar : "");
			}
			in_group = 1;
		}
		if (d->colour_idx >= 0)
			r.tone = row_tone(d, stmt_text_or_null(s, d->colour_idx));
		for (int i = 0; i < d->ncols; i++) {
			acc_add(&total[i], &vals[i]);
			acc_add(&group[i], &vals[i]);
		}
		rc = cb(ctx, &r, err);
		if (rc != MAJLIS_OK)
			goto out;
	}
	if (step < 0) {
		rc = run_failed(e, d, args, s, err);
		goto out;
	}
	if (in_group && d->has_totals)
		rc = emit_total(d, ROW_SUBTOTAL, group, gfr.data, gar.data, cb,
				ctx, err);
	if (rc == MAJLIS_OK && d->has_totals)
		rc = emit_total(d, ROW_TOTAL, total, NULL, NULL, cb, ctx, err);
out:
	store_set_budget(e->store, 0);
	stmt_free(s);
	buf_release(&gfr);
	buf_release(&gar);
	return rc;
}

enum majlis_status
report_count(struct engine *e, const struct report_def *def,
	     const struct report_args *args, long *rows, struct buf *err)
{
	struct buf sql = BUF_INIT, why = BUF_INIT;
	struct stmt *s = NULL;
	enum majlis_status rc;

	*rows = 0;
	if (def->group >= 0 && def->has_totals)
		buf_addf(&sql, "SELECT count(*) + count(DISTINCT \"%s\")"
			       " FROM (%s\n)",
			 def->cols[def->group].field_fr, def->query.data);
	else
		buf_addf(&sql, "SELECT count(*) FROM (%s\n)", def->query.data);
	rc = store_query(e->store, sql.data, &s, &why);
	if (rc != MAJLIS_OK) {
		rc = error(err, MAJLIS_ERR_CONFIG, "report '%s': %s", def->name,
			   why.data);
		goto out;
	}
	bind_args(e, s, args);
	store_set_budget(e->store, work_of(args));
	if (stmt_step(s) == 1)
		*rows = (long)stmt_int(s, 0);
	else
		rc = run_failed(e, def, args, s, err);
	store_set_budget(e->store, 0);
out:
	stmt_free(s);
	buf_release(&sql);
	buf_release(&why);
	return rc;
}

/* ---- Values as text ---------------------------------------------- */

/* 1234567.5 as "1 234 567,50" (French) or "1,234,567.50" (Arabic, as
 * Moroccan Arabic papers print Western digits). */
static void
number_text(double x, int decimals, const char *lang, struct buf *out)
{
	int ar = !strcmp(lang, "ar");
	char digits[64];
	const char *p, *dot;
	size_t intlen;
	int neg = x < 0;

	if (!isfinite(x)) {
		buf_addstr(out, "-");
		return;
	}
	snprintf(digits, sizeof(digits), "%.*f", decimals, neg ? -x : x);
	dot = strchr(digits, '.');
	intlen = dot ? (size_t)(dot - digits) : strlen(digits);
	if (neg)
		buf_addch(out, '-');
	for (p = digits; p < digits + intlen; p++) {
		size_t left = intlen - (size_t)(p - digits);

		buf_addch(out, *p);
		if (left > 1 && left % 3 == 1)
			/* U+202F narrow no-break space, as French typography
			 * groups thousands. */
			buf_addstr(out, ar ? "," : "\xe2\x80\xaf");
	}
	if (dot) {
		buf_addch(out, ar ? '.' : ',');
		buf_addstr(out, dot + 1);
	}
}

void
value_text(const struct report_column *c, const struct report_value *v, const char *lang,
	   struct buf *out)
{
	int ar = !strcmp(lang, "ar");

	switch (v->kind) {
	case RV_NONE:
		return;
	case RV_STR:
		buf_addstr(out, ar ? v->ar : v->fr);
		return;
	case RV_DAY:
		buf_addf(out, "%02d/%02d/%04d", v->day.d, v->day.m, v->day.y);
		return;
	case RV_TIME:
		buf_addf(out, "%02d/%02d/%04d %02d:%02d", v->day.d, v->day.m,
			 v->day.y, v->hour, v->min);
		return;
	case RV_NUM:
		if (c->type == COL_PERCENT) {
			number_text(v->num * 100, 1, lang, out);
			buf_addstr(out, ar ? "%" : "\xc2\xa0%");
		} else {
			number_text(v->num,
				    c->type == COL_NUMBER ||
						    (!v->integer &&
						     v->num != floor(v->num))
					    ? (c->type == COL_NUMBER ? 2 : 1)
					    : 0,
				    lang, out);
		}
		return;
	}
}

void
report_subtitle(struct engine *e, const struct report_def *def,
		const struct report_args *args, const char *lang,
		struct buf *out)
{
	int ar = !strcmp(lang, "ar");
	unsigned takes = def ? def->takes : REPORT_PERIOD | REPORT_BODY |
						   REPORT_ORG;
	struct buf name = BUF_INIT;
	struct date today = clock_local_date(e->clock, clock_now(e->clock));

	if (takes & REPORT_PERIOD) {
		buf_addstr(out, ar ? "الفترة: " : "Période : ");
		period_label(&args->period, lang, out);
		buf_addstr(out, " · ");
	}
	if (args->body &&
	    store_get_text(e->store, NULL, &name,
			   ar ? "SELECT name_ar FROM body WHERE code = ?1"
			      : "SELECT name_fr FROM body WHERE code = ?1",
			   "s", args->body) == MAJLIS_OK) {
		buf_addstr(out, name.data);
		buf_addstr(out, " · ");
	}
	buf_reset(&name);
	if (args->org &&
	    store_get_text(e->store, NULL, &name,
			   ar ? "SELECT name_ar FROM organization WHERE code = ?1"
			      : "SELECT name_fr FROM organization WHERE code = ?1",
			   "s", args->org) == MAJLIS_OK) {
		buf_addstr(out, name.data);
		buf_addstr(out, " · ");
	}
	buf_addf(out, "%s %02d/%02d/%04d", ar ? "بتاريخ" : "État au", today.d,
		 today.m, today.y);
	buf_release(&name);
}

/* ---- Writing ----------------------------------------------------- */

int
report_format_parse(const char *s, enum report_format *out)
{
	if (!strcmp(s, "xlsx"))
		*out = REPORT_XLSX;
	else if (!strcmp(s, "pdf"))
		*out = REPORT_PDF;
	else if (!strcmp(s, "csv"))
		*out = REPORT_CSV;
	else
		return -1;
	return 0;
}

enum majlis_status
report_write(struct engine *e, const struct report_def *def,
	     const struct report_args *args, enum report_format f,
	     const char *lang, const char *path, struct report_info *info,
	     struct buf *err)
{
	struct buf out = BUF_INIT;
	enum majlis_status rc;

	memset(info, 0, sizeof(*info));
	if (f == REPORT_XLSX)
		return report_write_xlsx(e, def, args, path, info, err);
	if (f == REPORT_CSV)
		rc = report_write_csv(e, def, args, lang, &out, info, err);
	else
		rc = report_write_pdf(e, def, args, lang, &out, info, err);
	if (rc == MAJLIS_OK && file_write_atomic(path, out.data, out.len) < 0)
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s", path,
			   strerror(errno));
	buf_release(&out);
	return rc;
}

struct each_ctx {
	const struct report_def *def;
	rec_cb cb;
	void *ctx;
};

static enum majlis_status
each_row(void *ctx, const struct report_row *r, struct buf *err)
{
	struct each_ctx *ec = ctx;
	struct rec out = REC_INIT;
	struct buf t = BUF_INIT;

	(void)err;
	if (r->kind == ROW_SUBTOTAL)
		return MAJLIS_OK;
	if (r->kind == ROW_TOTAL)
		rec_add_text(&out, "row", "total");
	for (int i = 0; i < ec->def->ncols; i++) {
		const struct report_column *c = &ec->def->cols[i];
		const struct report_value *v = &r->v[i];

		if (v->kind == RV_NONE) {
			rec_add_null(&out, c->name);
		} else if (v->kind == RV_NUM && v->integer) {
			rec_add_int(&out, c->name, (int64_t)v->num);
		} else if (v->kind == RV_NUM) {
			buf_reset(&t);
			buf_addf(&t, "%.4f", v->num);
			rec_add_text(&out, c->name, t.data);
		} else {
			buf_reset(&t);
			value_text(c, v, "fr", &t);
			rec_add_text(&out, c->name, t.data);
		}
	}
	if (r->tone != TONE_NONE)
		rec_add_text(&out, "tone",
			     r->tone == TONE_RED     ? "red"
			     : r->tone == TONE_AMBER ? "amber"
						     : "green");
	ec->cb(ec->ctx, &out);
	rec_release(&out);
	buf_release(&t);
	return MAJLIS_OK;
}

enum majlis_status
report_each(struct engine *e, const struct report_def *def,
	    const struct report_args *args, rec_cb cb, void *ctx,
	    struct buf *err)
{
	struct each_ctx ec = { def, cb, ctx };

	return report_run(e, def, args, each_row, &ec, err);
}
