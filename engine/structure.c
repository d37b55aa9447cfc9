/*
 * structure.c - bodies and organizations from a definition file
 * (see structure.h).
 */
#include "structure.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "defs.h"
#include "store.h"
#include "sys.h"

struct unit {
	int is_org;		/* organization, else body */
	char *code;
	char *kind;
	char *parent;		/* code, or NULL */
	char *body;		/* organizations: their body's code */
	char *fr, *ar;
	int line;
};

struct structure {
	struct unit *u;
	size_t n, cap;
	size_t nbodies, norgs;
};

static const char *const body_kinds[] = { "commune", "arrondissement", NULL };
static const char *const org_kinds[] = { "council", "bureau", "commission",
					  "administration", NULL };

void
structure_free(struct structure *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->u[i].code);
		free(s->u[i].kind);
		free(s->u[i].parent);
		free(s->u[i].body);
		free(s->u[i].fr);
		free(s->u[i].ar);
	}
	free(s->u);
	free(s);
}

size_t
structure_bodies(const struct structure *s)
{
	return s->nbodies;
}

size_t
structure_organizations(const struct structure *s)
{
	return s->norgs;
}

struct loader {
	struct structure *s;
	struct unit *cur;
	int in_header, format_seen;
	const char *file;
};

static int
in_list(const char *const *list, const char *v)
{
	for (; *list; list++)
		if (!strcmp(*list, v))
			return 1;
	return 0;
}

static const struct unit *
find(const struct structure *s, int is_org, const char *code)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->u[i].is_org == is_org && !strcmp(s->u[i].code, code))
			return &s->u[i];
	return NULL;
}

static enum majlis_status
load_item(void *ctx, const struct defs_item *it, struct buf *err)
{
	struct loader *ld = ctx;
	struct structure *s = ld->s;
	struct unit *u;
	char **slot;

	if (!it->key) {
		ld->cur = NULL;
		ld->in_header = !strcmp(it->kind, "structure");
		if (ld->in_header)
			return *it->name ? defs_error(err, it,
						      "[structure] takes no "
						      "name")
					 : MAJLIS_OK;
		if (!ld->format_seen)
			return defs_error(err, it,
					  "the file must start with "
					  "[structure] and format = 1");
		if (strcmp(it->kind, "body") && strcmp(it->kind, "organization"))
			return defs_error(err, it,
					  "unknown section [%s] (body, "
					  "organization)",
					  it->kind);
		if (!*it->name)
			return defs_error(err, it, "[%s] needs a code",
					  it->kind);
		if (find(s, it->kind[0] == 'o', it->name))
			return defs_error(err, it, "%s '%s' defined twice",
					  it->kind, it->name);
		xgrow(&s->u, &s->cap, s->n + 1, sizeof(*s->u));
		u = &s->u[s->n++];
		memset(u, 0, sizeof(*u));
		u->is_org = it->kind[0] == 'o';
		u->code = xstrdup(it->name);
		u->line = it->line;
		if (u->is_org)
			s->norgs++;
		else
			s->nbodies++;
		ld->cur = u;
		return MAJLIS_OK;
	}
	if (ld->in_header) {
		if (strcmp(it->key, "format") || strcmp(it->value, "1"))
			return defs_error(err, it,
					  "[structure] holds format = 1 only");
		ld->format_seen = 1;
		return MAJLIS_OK;
	}
	if (!ld->cur)
		return defs_error(err, it, "'%s' outside of any section",
				  it->key);
	u = ld->cur;
	if (!strcmp(it->key, "kind"))
		slot = &u->kind;
	else if (!strcmp(it->key, "parent"))
		slot = &u->parent;
	else if (!strcmp(it->key, "body") && u->is_org)
		slot = &u->body;
	else if (!strcmp(it->key, "fr"))
		slot = &u->fr;
	else if (!strcmp(it->key, "ar"))
		slot = &u->ar;
	else
		return defs_error(err, it, "unknown key '%s'", it->key);
	if (!*it->value)
		return defs_error(err, it, "empty %s", it->key);
	free(*slot);
	*slot = xstrdup(it->value);
	return MAJLIS_OK;
}

static enum majlis_status
check(struct structure *s, const char *file, struct buf *err)
{
	int communes = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct unit *u = &s->u[i];
		struct defs_item it = { file, u->line, "", "", NULL, NULL };

		if (!u->kind || !u->fr || !u->ar)
			return defs_error(err, &it,
					  "'%s' needs kind, fr and ar", u->code);
		if (!in_list(u->is_org ? org_kinds : body_kinds, u->kind))
			return defs_error(err, &it, "unknown kind '%s'",
					  u->kind);
		if (!u->is_org && !strcmp(u->kind, "commune"))
			communes++;
		if (u->is_org && (!u->body || !find(s, 0, u->body)))
			return defs_error(err, &it,
					  "organization '%s' needs the code "
					  "of a body defined in this file",
					  u->code);
		if (u->parent) {
			const struct unit *p = find(s, u->is_org, u->parent);

			if (!p || p == u)
				return defs_error(err, &it,
						  "unknown parent '%s'",
						  u->parent);
		}
	}
	if (communes != 1) {
		struct defs_item it = { file, 1, "", "", NULL, NULL };

		return defs_error(err, &it,
				  "the structure needs exactly one body of "
				  "kind commune (found %d)",
				  communes);
	}
	return MAJLIS_OK;
}

enum majlis_status
structure_parse(const char *name, const char *data, size_t len,
		struct structure **out, struct buf *err)
{
	struct loader ld;
	enum majlis_status rc;

	memset(&ld, 0, sizeof(ld));
	ld.s = xcalloc(1, sizeof(*ld.s));
	ld.file = name;
	rc = defs_parse(name, data, len, load_item, &ld, err);
	if (rc == MAJLIS_OK)
		rc = check(ld.s, name, err);
	if (rc != MAJLIS_OK) {
		structure_free(ld.s);
		*out = NULL;
		return rc;
	}
	*out = ld.s;
	return MAJLIS_OK;
}

enum majlis_status
structure_parse_file(const char *path, struct structure **out,
		     struct buf *err)
{
	struct buf data = BUF_INIT;
	enum majlis_status rc;

	*out = NULL;
	if (file_read(path, DEFS_MAX_FILE, &data) < 0) {
		rc = error(err, MAJLIS_ERR_NOINPUT, "cannot read '%s': %s",
			   path, strerror(errno));
		buf_release(&data);
		return rc;
	}
	rc = structure_parse(path, data.data, data.len, out, err);
	buf_release(&data);
	return rc;
}

/* Upserts one unit whose parent (and body) are already stored. */
static enum majlis_status
store_unit(struct engine *e, const struct unit *u, struct buf *err)
{
	if (!u->is_org)
		return store_exec(
			e->store, err,
			"INSERT INTO body(code, kind, parent_id, name_fr,"
			" name_ar) VALUES (?1, ?2,"
			" (SELECT id FROM body WHERE code = ?3), ?4, ?5)"
			" ON CONFLICT(code) DO UPDATE SET kind = excluded.kind,"
			" parent_id = excluded.parent_id,"
			" name_fr = excluded.name_fr,"
			" name_ar = excluded.name_ar",
			"sssss", u->code, u->kind, u->parent, u->fr, u->ar);
	return store_exec(
		e->store, err,
		"INSERT INTO organization(code, body_id, kind, parent_id,"
		" name_fr, name_ar) VALUES (?1,"
		" (SELECT id FROM body WHERE code = ?2), ?3,"
		" (SELECT id FROM organization WHERE code = ?4), ?5, ?6)"
		" ON CONFLICT(code) DO UPDATE SET body_id = excluded.body_id,"
		" kind = excluded.kind, parent_id = excluded.parent_id,"
		" name_fr = excluded.name_fr, name_ar = excluded.name_ar",
		"ssssss", u->code, u->body, u->kind, u->parent, u->fr, u->ar);
}

enum majlis_status
structure_store(struct engine *e, const struct structure *s, struct buf *err)
{
	enum majlis_status rc;
	char *done = xcalloc(s->n ? s->n : 1, 1);
	size_t left = s->n;
	struct buf detail = BUF_INIT;
	struct audit_entry a;

	rc = store_begin(e->store, err);
	/* Parents first: bodies before organizations, roots before leaves. */
	for (int pass = 0; rc == MAJLIS_OK && left && pass < 64; pass++) {
		for (size_t i = 0; rc == MAJLIS_OK && i < s->n; i++) {
			const struct unit *u = &s->u[i];
			int ready = 1;

			if (done[i])
				continue;
			for (size_t j = 0; j < s->n; j++) {
				const struct unit *p = &s->u[j];

				if (done[j])
					continue;
				if ((u->is_org && !p->is_org) ||
				    (u->parent && p->is_org == u->is_org &&
				     !strcmp(p->code, u->parent)))
					ready = 0;
			}
			if (!ready)
				continue;
			rc = store_unit(e, u, err);
			done[i] = 1;
			left--;
		}
	}
	if (rc == MAJLIS_OK && left)
		rc = error(err, MAJLIS_ERR_DATA,
			   "the structure's parents form a cycle");
	if (rc == MAJLIS_OK) {
		buf_addf(&detail, "{\"bodies\":%zu,\"organizations\":%zu}",
			 s->nbodies, s->norgs);
		memset(&a, 0, sizeof(a));
		a.actor = "init";
		a.action = "structure";
		a.cause = "majlis init";
		a.detail = detail.data;
		rc = audit_write(e, &a, err);
	}
	if (rc == MAJLIS_OK)
		rc = store_commit(e->store, err);
	else
		store_rollback(e->store);
	free(done);
	buf_release(&detail);
	return rc;
}
