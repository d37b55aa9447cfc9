/*
 * rec.c - records of named values (see rec.h).
 */
#include "rec.h"

#include <stdlib.h>
#include <string.h>

#include "sys.h"

void
rec_init(struct rec *r)
{
	r->f = NULL;
	r->n = 0;
	r->cap = 0;
}

static void
field_release(struct field *f)
{
	size_t i;

	free(f->name);
	free(f->s);
	for (i = 0; i < f->nlist; i++)
		rec_release(&f->list[i]);
	free(f->list);
}

void
rec_release(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		field_release(&r->f[i]);
	free(r->f);
	rec_init(r);
}

static struct field *
rec_push(struct rec *r, const char *name, enum val_type type)
{
	struct field *f;

	xgrow(&r->f, &r->cap, r->n + 1, sizeof(*r->f));
	f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->type = type;
	return f;
}

void
rec_add_int(struct rec *r, const char *name, int64_t v)
{
	rec_push(r, name, VAL_INT)->i = v;
}

void
rec_add_text(struct rec *r, const char *name, const char *s)
{
	if (!s) {
		rec_add_null(r, name);
		return;
	}
	rec_push(r, name, VAL_TEXT)->s = xstrdup(s);
}

void
rec_add_null(struct rec *r, const char *name)
{
	rec_push(r, name, VAL_NULL);
}

struct field *
rec_add_list(struct rec *r, const char *name)
{
	return rec_push(r, name, VAL_LIST);
}

struct rec *
rec_list_add(struct field *list)
{
	struct rec *child;

	if (list->type != VAL_LIST)
		BUG("rec_list_add on a field that is not a list");
	xgrow(&list->list, &list->caplist, list->nlist + 1,
	      sizeof(*list->list));
	child = &list->list[list->nlist++];
	rec_init(child);
	return child;
}

const struct field *
rec_get(const struct rec *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].name, name))
			return &r->f[i];
	return NULL;
}

const char *
rec_text(const struct rec *r, const char *name)
{
	const struct field *f = rec_get(r, name);

	return f && f->type == VAL_TEXT ? f->s : NULL;
}

int64_t
rec_int(const struct rec *r, const char *name, int64_t def)
{
	const struct field *f = rec_get(r, name);

	return f && f->type == VAL_INT ? f->i : def;
}
