/*
 * output.c - printing records: one JSON object a line (jansson), or a
 * text table whose columns line up in a terminal, Arabic included.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../sys.h"
#include "cli.h"

static json_t *
rec_to_json(const struct rec *r)
{
	json_t *o = json_object();

	for (size_t i = 0; i < r->n; i++) {
		const struct field *f = &r->f[i];
		json_t *v;

		switch (f->type) {
		case VAL_INT:
			v = json_integer(f->i);
			break;
		case VAL_TEXT:
			v = json_string(f->s);
			if (!v) /* not UTF-8: never from our store, but safe */
				v = json_string("\xef\xbf\xbd");
			break;
		case VAL_LIST:
			v = json_array();
			for (size_t k = 0; k < f->nlist; k++)
				json_array_append_new(v,
						      rec_to_json(&f->list[k]));
			break;
		default:
			v = json_null();
		}
		json_object_set_new(o, f->name, v);
	}
	return o;
}

int
rec_print(void *ctx, const struct rec *r)
{
	struct rec_printer *p = ctx;

	if (p->cli->json)
		out_json(r);
	else if (p->t)
		table_add(p->t, r);
	return 0;
}

void
out_json_data(const void *json)
{
	char *s = json_dumps(json, JSON_INDENT(2) | JSON_SORT_KEYS);

	printf("%s\n", s ? s : "null");
	free(s);
}

enum majlis_status
cli_out_path(struct cli *cli, const char *name, struct buf *out)
{
	buf_reset(out);
	cli_path(cli, out, "out");
	if (mkdir_p(out->data, 0755) < 0)
		return error(&cli->err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			     out->data, strerror(errno));
	buf_addf(out, "/%s", name);
	return MAJLIS_OK;
}

void
out_json(const struct rec *r)
{
	json_t *o = rec_to_json(r);
	char *s = json_dumps(o, JSON_COMPACT);

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
	}
	free(s);
	json_decref(o);
}

size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

struct table {
	char **names;		/* field names */
	char **headers;		/* column headers */
	size_t ncols;
	char ***cells;		/* rows of ncols strings */
	size_t nrows, caprows;
};

struct table *
table_new(const char *const *cols)
{
	struct table *t = xcalloc(1, sizeof(*t));
	size_t n = 0;

	while (cols[n])
		n++;
	t->ncols = n;
	t->names = xcalloc(n, sizeof(char *));
	t->headers = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(cols[i], ':');

		t->names[i] = colon ? xstrndup(cols[i], (size_t)(colon - cols[i]))
				    : xstrdup(cols[i]);
		t->headers[i] = xstrdup(colon ? colon + 1 : cols[i]);
	}
	return t;
}

void
table_add(struct table *t, const struct rec *r)
{
	char **row = xcalloc(t->ncols, sizeof(char *));

	for (size_t i = 0; i < t->ncols; i++) {
		const struct field *f = rec_get(r, t->names[i]);
		struct buf b = BUF_INIT;

		if (f && f->type == VAL_INT)
			buf_addf(&b, "%lld", (long long)f->i);
		else if (f && f->type == VAL_TEXT)
			for (const char *p = f->s; *p; p++)
				buf_addch(&b, *p == '\n' || *p == '\t' ? ' '
								     : *p);
		else
			buf_addch(&b, '-');
		row[i] = buf_detach(&b, NULL);
	}
	xgrow(&t->cells, &t->caprows, t->nrows + 1, sizeof(*t->cells));
	t->cells[t->nrows++] = row;
}

void
table_print(struct table *t, FILE *f)
{
	size_t *w = xcalloc(t->ncols, sizeof(size_t));

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (text_width(t->cells[r][c]) > w[c])
				w[c] = text_width(t->cells[r][c]);
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		char **row = r ? t->cells[r - 1] : t->headers;

		for (size_t c = 0; c < t->ncols; c++) {
			int last = c + 1 == t->ncols;

			fputs(row[c], f);
			if (!last)
				for (size_t k = text_width(row[c]); k < w[c] + 2;
				     k++)
					fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(w);
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->cells[r][c]);
		free(t->cells[r]);
	}
	free(t->cells);
	for (size_t c = 0; c < t->ncols; c++) {
		free(t->names[c]);
		free(t->headers[c]);
	}
	free(t->names);
	free(t->headers);
	free(t);
}

void
out_fields(const struct rec *r, FILE *f)
{
	size_t w = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->f[i].type != VAL_LIST && strlen(r->f[i].name) > w)
			w = strlen(r->f[i].name);
	for (size_t i = 0; i < r->n; i++) {
		const struct field *fl = &r->f[i];

		if (fl->type == VAL_LIST)
			continue;
		fprintf(f, "%-*s  ", (int)w, fl->name);
		if (fl->type == VAL_INT)
			fprintf(f, "%lld\n", (long long)fl->i);
		else if (fl->type == VAL_TEXT)
			fprintf(f, "%s\n", fl->s);
		else
			fputs("-\n", f);
	}
}
