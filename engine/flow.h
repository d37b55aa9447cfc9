/*
 * flow.h - workflows as data: the state machines of mailflows/, and the
 * events that move objects through them.
 *
 * A flow file drives one kind of object (objects.h). It declares states,
 * transitions (event, from, to, guards, jobs and notifications), deadlines
 * (a time relative to the object that, once passed, raises an event) and
 * the messages its notifications carry, in French and Arabic. The syntax
 * and every key are documented in mailflows/README.md.
 *
 * All flows are loaded and checked before anything changes: a bad
 * definition is refused as "file:line: reason".
 *
 * An event is first recorded (a row in the store), then applied in a
 * transaction of its own: the transition is chosen, its guards checked,
 * the object updated, its jobs queued and an audit entry written. A
 * refused event is recorded with its reason, and changes nothing else.
 */
#ifndef MAJLIS_FLOW_H
#define MAJLIS_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "objects.h"
#include "rec.h"
#include "status.h"

struct flowset;
struct flow;

enum majlis_status flowset_new(struct flowset **out);
/* Frees the set and its flows. NULL does nothing. */
void flowset_free(struct flowset *fs);
/* Parses one flow definition of len bytes named name and adds it; a
 * second flow for the same object kind is refused. */
enum majlis_status flowset_add(struct flowset *fs, const char *name,
			       const char *data, size_t len, struct buf *err);
/*
 * Loads every *.flow file of dirs, in order of their names. A file in an
 * earlier directory shadows the file of the same name in a later one:
 * an instance's mailflows/ overrides the shipped ones file by file.
 * Then checks the set as flowset_check() does.
 */
enum majlis_status flowset_load_dirs(struct flowset *fs,
				     const char *const *dirs, size_t ndirs,
				     struct buf *err);
/* Checks what needs all flows: each object kind has one, and each
 * cascade names an event the child's flow knows. */
enum majlis_status flowset_check(struct flowset *fs, struct buf *err);
/* The flow of an object kind, or NULL. */
const struct flow *flowset_flow(const struct flowset *fs,
				enum object_kind kind);
/* Hands one record per flow to cb: file, object, states, transitions,
 * deadlines, messages. */
void flowset_describe(const struct flowset *fs, rec_cb cb, void *ctx);
/* Calls cb with the name of every [message] of every flow (the
 * notification rules check theirs against them). */
void flowset_each_message(const struct flowset *fs,
			  void (*cb)(void *ctx, const char *name), void *ctx);

/* The state a new object of the flow's kind starts in. */
const char *flow_initial(const struct flow *f);
/* The label of a state in "fr" or "ar", or NULL for an unknown state. */
const char *flow_state_label(const struct flow *f, const char *state,
			     const char *lang);
/* True when state is a final state of the flow. */
int flow_state_final(const struct flow *f, const char *state);
/* True when some transition of the flow handles event. */
int flow_has_event(const struct flow *f, const char *event);
/* Appends the flow's event names, comma-separated, to out. */
void flow_list_events(const struct flow *f, struct buf *out);
/* Renders message name of f for an object into fr and ar. */
enum majlis_status flow_render_message(struct engine *e, const struct flow *f,
				       const char *name, int64_t object_id,
				       struct buf *fr, struct buf *ar,
				       struct buf *err);

struct event_spec {
	enum object_kind kind;	/* the object's kind */
	int64_t object_id;	/* the object's id */
	const char *name;	/* the event, as the flow names it */
	int64_t actor_id;	/* the person acting, 0 for none */
	const char *source;	/* clock, cli, mail, job, import or demo */
	const char *cause;	/* why, for the audit log */
	const char *const *set; /* NULL-terminated "field=value" strings */
	const char *dedupe;	/* a key that makes recording idempotent */
};

/*
 * Records an event, to be applied by event_apply(). Checks that the
 * object exists, that its flow knows the event, and that every field to
 * set is one the object allows, with a valid value. *id is the new event,
 * or 0 when an event with the same dedupe key was already recorded.
 * Runs inside the caller's transaction if one is open.
 */
enum majlis_status event_record(struct engine *e, const struct event_spec *ev,
				int64_t *id, struct buf *err);

/*
 * Applies one pending event in a transaction of its own. A report record
 * is filled with what happened: event, object, outcome (applied, refused,
 * ignored), from, to, reason. An event already applied is left alone and
 * reported as such. MAJLIS_ERR_NOTFOUND if there is no such event.
 */
enum majlis_status event_apply(struct engine *e, int64_t event_id,
			       struct rec *report, struct buf *err);
/* The oldest pending event, or 0. */
int64_t event_next_pending(struct engine *e);

/*
 * Records an event for every deadline that has passed and has not fired
 * since its object entered the watched state; one transaction each. cb,
 * if given, receives a record per event raised. *fired counts them.
 */
enum majlis_status flow_fire_deadlines(struct engine *e, int *fired,
				       rec_cb cb, void *ctx, struct buf *err);

/*
 * Finds an object by id ("12", "#12") or, for dossiers and petitions, by
 * reference ("DOS-2026-0003"). Returns MAJLIS_ERR_NOTFOUND with a message.
 */
enum majlis_status object_find(struct engine *e, enum object_kind kind,
			       const char *key, int64_t *id, struct buf *err);
/* Finds a person by id ("#12"), code (matricule) or e-mail address. */
enum majlis_status person_find(struct engine *e, const char *key, int64_t *id,
			       struct buf *err);

#endif
