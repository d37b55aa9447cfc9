/*
 * docdata.h - the kinds of documents majlis renders, and the data each
 * is rendered from: a JSON object built from the store, whose names are
 * the ones templates use (templates/README.md lists them; each kind has
 * a complete example in templates/samples/KIND.json).
 */
#ifndef MAJLIS_DOCDATA_H
#define MAJLIS_DOCDATA_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "clock.h"
#include "engine.h"
#include "status.h"

struct docdata_kind {
	const char *name;	/* "pv": the kind, as the CLI and jobs say it */
	const char *prefix;	/* register prefix: "PV" */
	const char *subject;	/* what it is about: "meeting", "decision",
				 * "petition", "person" */
	const char *tmpl;	/* its template: templates/NAME.xml */
	const char *title_fr, *title_ar;
	int once;		/* issued once: later issues file nothing
				 * unless forced (an acknowledgement of
				 * receipt keeps the date it was given) */
};

/* The kind named name, or NULL. */
const struct docdata_kind *docdata_kind(const char *name);
/* Every kind, in a stable order; *n gets their number. */
const struct docdata_kind *docdata_kinds(size_t *n);

/* What the archive needs to know of a document (archive.h). */
struct docdata_meta {
	char subject[48];	/* "meeting:12" */
	int year;		/* the register year */
	struct buf title_fr, title_ar;
	int64_t body_id, session_id, meeting_id, dossier_id, petition_id,
		decision_id, person_id;
};

void docdata_meta_release(struct docdata_meta *m);

/*
 * Finds the object a document of kind k is about from what a person
 * typed: an id, or a decision's number, a petition's reference, a
 * person's code. MAJLIS_ERR_NOTFOUND if there is none.
 */
enum majlis_status docdata_resolve(struct engine *e,
				   const struct docdata_kind *k,
				   const char *key, int64_t *id,
				   struct buf *err);

/*
 * Builds the data of the document of kind k about object id, as of now:
 * *out (the caller json_decref()s it) and *meta. MAJLIS_ERR_NOTFOUND if
 * the object does not exist; MAJLIS_ERR_DATA if it cannot have such a
 * document (a PV for a meeting not held, an extract without decision).
 */
enum majlis_status docdata_build(struct engine *e,
				 const struct docdata_kind *k, int64_t id,
				 int64_t now, json_t **out,
				 struct docdata_meta *meta, struct buf *err);

/* Sets the date a document bears ("today" in the data) to the local day
 * of time t: the day it was first issued, which later versions keep. */
void docdata_set_issued(struct engine *e, json_t *data, int64_t t);

/* A date's fields as templates see them (templates/README.md). */
json_t *docdata_date(struct engine *e, struct date d);

/*
 * What every paper's data holds, for a paper that is about no one
 * object (an état, an agenda) of body (a code; NULL: the Commune)
 * made at now: today, city, register (null), commune, body and
 * arrondissement, as the letterhead partial reads them. The caller
 * json_decref()s it.
 */
json_t *docdata_common(struct engine *e, const char *body, int64_t now);

#endif
