/*
 * objects.h - the kinds of objects that workflows drive, and what the
 * engine knows about each: its table, the times a deadline may hang on
 * (anchors), the fields an event may set, the fields a message may show,
 * who owns it, which organization it belongs to, and its children.
 *
 * Mailflows (mailflows/) name these kinds, anchors and fields; the flow
 * loader checks every name against this table, so a typo in a mailflow
 * is refused with its file and line instead of failing in a tick.
 */
#ifndef MAJLIS_OBJECTS_H
#define MAJLIS_OBJECTS_H

#include <stddef.h>

enum object_kind {
	OBJ_MEETING,
	OBJ_AGENDA_ITEM,
	OBJ_DOSSIER,
	OBJ_INVITATION,
	OBJ_PETITION,
	OBJ_TASK,
	OBJ_CONTACT,
	OBJ__COUNT
};

enum field_type {
	FIELD_INT,	/* a non-negative integer */
	FIELD_TEXT,	/* free text, one line or more */
	FIELD_TIME,	/* a time, given as ISO 8601, stored in UTC */
	FIELD_CHOICE,	/* one of the words in choices */
	FIELD_MEETING,	/* the id of an existing meeting */
};

/* A field an event may set (the --set NAME=VALUE of majlis event). */
struct settable {
	const char *name;	/* column name */
	enum field_type type;	/* how values are checked */
	const char *choices;	/* FIELD_CHOICE: space-separated words */
	long long max;		/* FIELD_INT: largest value, FIELD_TEXT: bytes */
};

/* A time a deadline or a guard can refer to. */
struct anchor {
	const char *name;	/* "start" */
	const char *sql;	/* expression over the object's row "o" */
};

/* A kind of child object, for the cascade job. */
struct child {
	enum object_kind kind;	/* the child kind */
	const char *column;	/* its column holding our id */
};

struct object_def {
	const char *name;		/* "agenda_item" */
	const char *table;		/* SQL table */
	const char *label_fr;		/* "point de l'ordre du jour" */
	const char *label_ar;		/* "نقطة في جدول الأعمال" */
	const struct anchor *anchors;	/* NULL-terminated */
	const struct settable *settable; /* NULL-terminated */
	/*
	 * The message view: SELECT ... WHERE o.id = ?1, with ?2 bound to the
	 * local date of today (for active memberships). Its columns are the
	 * placeholders messages may use, listed in fields.
	 */
	const char *view_sql;
	const char *const *fields;	/* NULL-terminated column names */
	const char *org_sql;		/* expression: organization id or NULL */
	const char *owner_sql;		/* expression: person id or NULL */
	const char *body_sql;		/* expression: body id */
	const struct child *children;	/* terminated by column == NULL */
	const char *const *stampable;	/* columns "stamp" may set to now */
	const char *const *bumpable;	/* integer columns "bump" may raise */
};

const struct object_def *object_def(enum object_kind kind);
/* Finds a kind by name. Returns 0 and sets *out, or -1. */
int object_kind_parse(const char *name, enum object_kind *out);
const char *object_kind_name(enum object_kind kind);
/* "a" or "an", for messages: "an agenda_item", "a meeting". */
const char *object_article(enum object_kind kind);

const struct anchor *object_anchor(enum object_kind kind, const char *name);
const struct settable *object_settable(enum object_kind kind,
				       const char *name);
int object_stampable(enum object_kind kind, const char *name);
int object_bumpable(enum object_kind kind, const char *name);
/* True when name is a column of the kind's message view. */
int object_has_field(enum object_kind kind, const char *name);
/* The child relation from kind to child, or NULL. */
const struct child *object_child(enum object_kind kind,
				 enum object_kind child);

/*
 * Roles, as the store's role table defines them (checked by a test):
 * mailflow guards name them. Returns 1 if code is a known role.
 */
int role_known(const char *code);
extern const char *const known_roles[];

#endif
