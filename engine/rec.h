/*
 * rec.h - a record: an ordered list of named values (NULL, integer, text,
 * or a list of child records). Library functions that report hand records
 * to a callback; the CLI prints them as text or as one JSON object a line.
 * A record owns copies of its names and texts.
 */
#ifndef MAJLIS_REC_H
#define MAJLIS_REC_H

#include <stddef.h>
#include <stdint.h>

enum val_type {
	VAL_NULL,
	VAL_INT,
	VAL_TEXT,
	VAL_LIST,
};

struct rec;

struct field {
	char *name;		/* field name, owned */
	enum val_type type;	/* which member below is meaningful */
	int64_t i;		/* VAL_INT */
	char *s;		/* VAL_TEXT, owned */
	struct rec *list;	/* VAL_LIST: array of records, owned */
	size_t nlist;		/* VAL_LIST: number of records */
	size_t caplist;		/* VAL_LIST: records allocated */
};

struct rec {
	struct field *f;	/* fields in order */
	size_t n;		/* number of fields */
	size_t cap;		/* fields allocated */
};

#define REC_INIT { NULL, 0, 0 }

/* Called once per record; return non-zero to stop the iteration. */
typedef int (*rec_cb)(void *ctx, const struct rec *r);

void rec_init(struct rec *r);
void rec_release(struct rec *r);
void rec_add_int(struct rec *r, const char *name, int64_t v);
/* Adds a text field; s == NULL adds a NULL field. */
void rec_add_text(struct rec *r, const char *name, const char *s);
void rec_add_null(struct rec *r, const char *name);
/* Adds an empty list field and returns it; add children with rec_list_add. */
struct field *rec_add_list(struct rec *r, const char *name);
/* Appends an empty record to a list field and returns it. */
struct rec *rec_list_add(struct field *list);
/* The field named name, or NULL. */
const struct field *rec_get(const struct rec *r, const char *name);
/* Text of a field (NULL when absent, NULL or not text). */
const char *rec_text(const struct rec *r, const char *name);
/* Integer of a field (def when absent or not an integer). */
int64_t rec_int(const struct rec *r, const char *name, int64_t def);

#endif
