/*
 * model.h - reading the council model for people: lists and single
 * objects as records, with times also given in the instance's zone and
 * states labelled in French and Arabic (what `majlis show` prints).
 */
#ifndef MAJLIS_MODEL_H
#define MAJLIS_MODEL_H

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

struct model_filter {
	const char *state;	/* only objects in this state, or NULL */
	const char *body;	/* only this body's (code), or NULL */
	const char *key;	/* the object (id, ref, code) or NULL */
	int late;		/* only what is past its due time */
};

/*
 * Hands records to cb. what names a list (bodies, organizations,
 * persons, sessions, meetings, invitations, dossiers, decisions,
 * petitions, tasks, notifications, events, jobs), a single object
 * (person, meeting, dossier, petition; with their lists nested), the
 * organigramme (orgchart: one record per organization with its members)
 * or summary (counts). MAJLIS_ERR_USAGE for an unknown what,
 * MAJLIS_ERR_NOTFOUND for an unknown key.
 */
enum majlis_status model_show(struct engine *e, const char *what,
			      const struct model_filter *f, rec_cb cb,
			      void *ctx, struct buf *err);

/* The names model_show() accepts, space-separated. */
extern const char model_views[];

#endif
