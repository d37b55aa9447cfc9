/*
 * objects.c - the table of workflow object kinds (see objects.h).
 *
 * The SQL here is the engine's knowledge of each kind; keep the view
 * columns and their `fields` lists in step (a unit test compares them).
 */
#include "objects.h"

#include <string.h>

/* A person's name with the civility their gender calls for. */
#define NAME_FR(p)                                                        \
	"CASE " p ".gender WHEN 'F' THEN 'Mme ' ELSE 'M. ' END || " p       \
	".given_fr || ' ' || " p ".family_fr"
#define NAME_AR(p)                                                        \
	"CASE " p ".gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END || " p \
	".given_ar || ' ' || " p ".family_ar"
#define ACTIVE(m) \
	m ".from_date <= ?2 AND (" m ".until_date IS NULL OR " m \
	".until_date >= ?2)"

static const struct anchor meeting_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "start", "o.starts_at" },
	{ "end", "COALESCE(o.ends_at, o.starts_at)" },
	{ NULL, NULL },
};

static const struct settable meeting_settable[] = {
	{ "starts_at", FIELD_TIME, NULL, 0 },
	{ "ends_at", FIELD_TIME, NULL, 0 },
	{ "place_fr", FIELD_TEXT, NULL, 500 },
	{ "place_ar", FIELD_TEXT, NULL, 500 },
	{ "present_count", FIELD_INT, NULL, 10000 },
	{ NULL, 0, NULL, 0 },
};

static const char *const meeting_fields[] = {
	"id", "number", "title_fr", "title_ar", "starts_at", "ends_at",
	"place_fr", "place_ar", "state", "present_count", "organization",
	"organization_fr", "organization_ar", "organization_kind",
	"session_kind", "session_fr",
	"session_ar", "members", NULL,
};

static const struct child meeting_children[] = {
	{ OBJ_AGENDA_ITEM, "meeting_id" },
	{ OBJ_INVITATION, "meeting_id" },
	{ OBJ_PETITION, "meeting_id" },
	{ OBJ__COUNT, NULL },
};

static const struct anchor item_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "start",
	  "(SELECT m.starts_at FROM meeting m WHERE m.id = o.meeting_id)" },
	{ NULL, NULL },
};

static const struct settable item_settable[] = {
	{ "votes_for", FIELD_INT, NULL, 10000 },
	{ "votes_against", FIELD_INT, NULL, 10000 },
	{ "votes_abstain", FIELD_INT, NULL, 10000 },
	{ "summary_fr", FIELD_TEXT, NULL, 20000 },
	{ "summary_ar", FIELD_TEXT, NULL, 20000 },
	{ "meeting_id", FIELD_MEETING, NULL, 0 },
	{ "number", FIELD_INT, NULL, 999 },
	{ NULL, 0, NULL, 0 },
};

static const char *const item_fields[] = {
	"id", "number", "title_fr", "title_ar", "state", "meeting_id",
	"meeting_fr", "meeting_ar", "starts_at", "dossier", "rapporteur_fr",
	"rapporteur_ar", "votes_for", "votes_against", "votes_abstain",
	"organization_kind", NULL,
};

static const struct anchor dossier_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "due", "o.due_at" },
	{ NULL, NULL },
};

static const struct settable dossier_settable[] = {
	{ "comment", FIELD_TEXT, NULL, 20000 },
	{ "due_at", FIELD_TIME, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

static const char *const dossier_fields[] = {
	"id", "ref", "kind", "title_fr", "title_ar", "state", "due_at",
	"comment", "owner_fr", "owner_ar", "organization_fr",
	"organization_ar", NULL,
};

static const struct child dossier_children[] = {
	{ OBJ_TASK, "dossier_id" },
	{ OBJ__COUNT, NULL },
};

static const struct anchor invitation_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "start",
	  "(SELECT m.starts_at FROM meeting m WHERE m.id = o.meeting_id)" },
	{ NULL, NULL },
};

static const struct settable invitation_settable[] = {
	{ "comment", FIELD_TEXT, NULL, 2000 },
	{ "attendance", FIELD_CHOICE, "present absent excused", 0 },
	{ NULL, 0, NULL, 0 },
};

static const char *const invitation_fields[] = {
	"id", "state", "meeting_id", "meeting_fr", "meeting_ar", "starts_at",
	"place_fr", "place_ar", "person_fr", "person_ar", "comment",
	"attendance", NULL,
};

static const struct anchor petition_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "received", "o.received_at" },
	{ NULL, NULL },
};

static const struct settable petition_settable[] = {
	{ "reason", FIELD_TEXT, NULL, 20000 },
	{ "answer", FIELD_TEXT, NULL, 20000 },
	{ "meeting_id", FIELD_MEETING, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

static const char *const petition_fields[] = {
	"id", "ref", "kind", "title_fr", "title_ar", "state", "lead_name",
	"signatures", "received_at", "reason", "answer", "body_fr", "body_ar",
	NULL,
};

static const struct anchor task_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "due", "o.due_at" },
	{ NULL, NULL },
};

static const struct settable task_settable[] = {
	{ "due_at", FIELD_TIME, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

static const char *const task_fields[] = {
	"id", "title_fr", "title_ar", "state", "due_at", "assignee_fr",
	"assignee_ar", "dossier", NULL,
};

static const struct anchor contact_anchors[] = {
	{ "entered", "o.state_since" },
	{ "created", "o.created_at" },
	{ "start",
	  "(SELECT m.starts_at FROM meeting m WHERE m.id = o.meeting_id)" },
	{ NULL, NULL },
};

/* What staff may correct or complete before inviting: a phone's card
 * has the name in one script, and rarely a gender. */
static const struct settable contact_settable[] = {
	{ "meeting_id", FIELD_MEETING, NULL, 0 },
	{ "gender", FIELD_CHOICE, "M F", 0 },
	{ "lang", FIELD_CHOICE, "fr ar", 0 },
	{ "given_fr", FIELD_TEXT, NULL, 200 },
	{ "family_fr", FIELD_TEXT, NULL, 200 },
	{ "given_ar", FIELD_TEXT, NULL, 200 },
	{ "family_ar", FIELD_TEXT, NULL, 200 },
	{ "comment", FIELD_TEXT, NULL, 2000 },
	{ NULL, 0, NULL, 0 },
};

static const char *const contact_fields[] = {
	"id", "state", "name", "email", "phone", "org", "title", "gender",
	"lang", "contact_fr", "contact_ar", "meeting_id", "meeting_fr",
	"meeting_ar", "starts_at", "comment", NULL,
};

static const char *const no_columns[] = { NULL };
static const char *const sequence_column[] = { "sequence", NULL };
static const char *const answered_column[] = { "answered_at", NULL };
static const char *const done_column[] = { "done_at", NULL };

static const struct child no_children[] = {
	{ OBJ__COUNT, NULL },
};

static const struct object_def defs[OBJ__COUNT] = {
	[OBJ_MEETING] = {
		"meeting", "meeting", "séance", "جلسة", meeting_anchors,
		meeting_settable,
		"SELECT o.id, o.number, o.title_fr, o.title_ar, o.starts_at,"
		" o.ends_at, o.place_fr, o.place_ar, o.state, o.present_count,"
		" g.code AS organization, g.name_fr AS organization_fr,"
		" g.name_ar AS organization_ar, g.kind AS organization_kind,"
		" s.kind AS session_kind,"
		" s.title_fr AS session_fr, s.title_ar AS session_ar,"
		" (SELECT count(*) FROM membership mb"
		"  WHERE mb.organization_id = o.organization_id AND "
		ACTIVE("mb") ") AS members"
		" FROM meeting o JOIN organization g ON g.id = o.organization_id"
		" LEFT JOIN session s ON s.id = o.session_id WHERE o.id = ?1",
		meeting_fields, "o.organization_id", "NULL",
		"(SELECT g.body_id FROM organization g"
		" WHERE g.id = o.organization_id)",
		meeting_children, no_columns, sequence_column,
	},
	[OBJ_AGENDA_ITEM] = {
		"agenda_item", "agenda_item", "point de l'ordre du jour",
		"نقطة في جدول الأعمال", item_anchors, item_settable,
		"SELECT o.id, o.number, o.title_fr, o.title_ar, o.state,"
		" o.meeting_id, m.title_fr AS meeting_fr,"
		" m.title_ar AS meeting_ar, m.starts_at, d.ref AS dossier,"
		" " NAME_FR("p") " AS rapporteur_fr,"
		" " NAME_AR("p") " AS rapporteur_ar,"
		" o.votes_for, o.votes_against, o.votes_abstain,"
		" (SELECT g.kind FROM organization g"
		"  WHERE g.id = m.organization_id) AS organization_kind"
		" FROM agenda_item o JOIN meeting m ON m.id = o.meeting_id"
		" LEFT JOIN dossier d ON d.id = o.dossier_id"
		" LEFT JOIN person p ON p.id = o.rapporteur_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		item_fields,
		"(SELECT m.organization_id FROM meeting m"
		" WHERE m.id = o.meeting_id)",
		"o.rapporteur_id",
		"(SELECT g.body_id FROM meeting m JOIN organization g"
		" ON g.id = m.organization_id WHERE m.id = o.meeting_id)",
		no_children, no_columns, no_columns,
	},
	[OBJ_DOSSIER] = {
		"dossier", "dossier", "dossier", "ملف", dossier_anchors,
		dossier_settable,
		"SELECT o.id, o.ref, o.kind, o.title_fr, o.title_ar, o.state,"
		" o.due_at, o.comment,"
		" " NAME_FR("p") " AS owner_fr, " NAME_AR("p") " AS owner_ar,"
		" g.name_fr AS organization_fr, g.name_ar AS organization_ar"
		" FROM dossier o LEFT JOIN person p ON p.id = o.owner_id"
		" LEFT JOIN organization g ON g.id = o.organization_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		dossier_fields, "o.organization_id", "o.owner_id", "o.body_id",
		dossier_children, no_columns, no_columns,
	},
	[OBJ_INVITATION] = {
		"invitation", "invitation", "invitation", "دعوة",
		invitation_anchors, invitation_settable,
		"SELECT o.id, o.state, o.meeting_id, m.title_fr AS meeting_fr,"
		" m.title_ar AS meeting_ar, m.starts_at, m.place_fr,"
		" m.place_ar, " NAME_FR("p") " AS person_fr,"
		" " NAME_AR("p") " AS person_ar, o.comment, o.attendance"
		" FROM invitation o JOIN meeting m ON m.id = o.meeting_id"
		" JOIN person p ON p.id = o.person_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		invitation_fields,
		"(SELECT m.organization_id FROM meeting m"
		" WHERE m.id = o.meeting_id)",
		"o.person_id",
		"(SELECT g.body_id FROM meeting m JOIN organization g"
		" ON g.id = m.organization_id WHERE m.id = o.meeting_id)",
		no_children, answered_column, sequence_column,
	},
	[OBJ_PETITION] = {
		"petition", "petition", "pétition", "عريضة", petition_anchors,
		petition_settable,
		"SELECT o.id, o.ref, o.kind, o.title_fr, o.title_ar, o.state,"
		" o.lead_name, o.signatures, o.received_at, o.reason, o.answer,"
		" b.name_fr AS body_fr, b.name_ar AS body_ar"
		" FROM petition o JOIN body b ON b.id = o.body_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		petition_fields,
		"(SELECT g.id FROM organization g WHERE g.body_id = o.body_id"
		" AND g.kind = 'council' ORDER BY g.id LIMIT 1)",
		"NULL", "o.body_id", no_children, no_columns, no_columns,
	},
	[OBJ_TASK] = {
		"task", "task", "tâche", "مهمة", task_anchors, task_settable,
		"SELECT o.id, o.title_fr, o.title_ar, o.state, o.due_at,"
		" " NAME_FR("p") " AS assignee_fr,"
		" " NAME_AR("p") " AS assignee_ar, d.ref AS dossier"
		" FROM task o LEFT JOIN person p ON p.id = o.assignee_id"
		" LEFT JOIN dossier d ON d.id = o.dossier_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		task_fields, "NULL", "o.assignee_id",
		"(SELECT b.id FROM body b WHERE b.kind = 'commune'"
		" ORDER BY b.id LIMIT 1)",
		no_children, done_column, no_columns,
	},
	[OBJ_CONTACT] = {
		"contact", "contact", "contact proposé", "جهة اتصال مقترحة",
		contact_anchors, contact_settable,
		"SELECT o.id, o.state, o.name, o.email, o.phone, o.org,"
		" o.title, o.gender, o.lang,"
		" trim(CASE o.gender WHEN 'F' THEN 'Mme ' WHEN 'M' THEN 'M. '"
		" ELSE '' END || o.given_fr || ' ' || o.family_fr) AS contact_fr,"
		" trim(CASE o.gender WHEN 'F' THEN 'السيدة ' WHEN 'M'"
		" THEN 'السيد ' ELSE '' END || o.given_ar || ' ' || o.family_ar)"
		" AS contact_ar,"
		" o.meeting_id, m.title_fr AS meeting_fr,"
		" m.title_ar AS meeting_ar, m.starts_at, o.comment"
		" FROM contact o LEFT JOIN meeting m ON m.id = o.meeting_id"
		" WHERE o.id = ?1 AND ?2 IS NOT NULL",
		contact_fields,
		"(SELECT m.organization_id FROM meeting m"
		" WHERE m.id = o.meeting_id)",
		"o.proposed_by",
		"COALESCE((SELECT g.body_id FROM meeting m JOIN organization g"
		" ON g.id = m.organization_id WHERE m.id = o.meeting_id),"
		" (SELECT b.id FROM body b WHERE b.kind = 'commune'"
		" ORDER BY b.id LIMIT 1))",
		no_children, no_columns, no_columns,
	},
};

const char *const known_roles[] = {
	"president", "vice_president", "secretary", "deputy_secretary",
	"rapporteur", "member", "dgs", "head", "officer", NULL,
};

const struct object_def *
object_def(enum object_kind kind)
{
	return (unsigned)kind < OBJ__COUNT ? &defs[kind] : NULL;
}

int
object_kind_parse(const char *name, enum object_kind *out)
{
	for (int k = 0; k < OBJ__COUNT; k++) {
		if (!strcmp(defs[k].name, name)) {
			*out = (enum object_kind)k;
			return 0;
		}
	}
	return -1;
}

const char *
object_kind_name(enum object_kind kind)
{
	return (unsigned)kind < OBJ__COUNT ? defs[kind].name : "?";
}

const char *
object_article(enum object_kind kind)
{
	return kind == OBJ_AGENDA_ITEM || kind == OBJ_INVITATION ? "an" : "a";
}

const struct anchor *
object_anchor(enum object_kind kind, const char *name)
{
	for (const struct anchor *a = defs[kind].anchors; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

const struct settable *
object_settable(enum object_kind kind, const char *name)
{
	for (const struct settable *s = defs[kind].settable; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

int
object_has_field(enum object_kind kind, const char *name)
{
	for (const char *const *f = defs[kind].fields; *f; f++)
		if (!strcmp(*f, name))
			return 1;
	return 0;
}

static int
in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

int
object_stampable(enum object_kind kind, const char *name)
{
	return in_list(defs[kind].stampable, name);
}

int
object_bumpable(enum object_kind kind, const char *name)
{
	return in_list(defs[kind].bumpable, name);
}

const struct child *
object_child(enum object_kind kind, enum object_kind child)
{
	for (const struct child *c = defs[kind].children; c->column; c++)
		if (c->kind == child)
			return c;
	return NULL;
}

int
role_known(const char *code)
{
	for (const char *const *r = known_roles; *r; r++)
		if (!strcmp(*r, code))
			return 1;
	return 0;
}
