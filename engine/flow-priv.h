/*
 * flow-priv.h - the loaded form of a mailflow, shared by the files of the
 * flow module only (flow-load.c parses and checks, flow.c applies).
 */
#ifndef MAJLIS_FLOW_PRIV_H
#define MAJLIS_FLOW_PRIV_H

#include <stddef.h>

#include "calendar.h"
#include "flow.h"
#include "objects.h"

#define FLOW_FORMAT 1

struct flow_state {
	char *name;		/* "convoked" */
	char *fr, *ar;		/* labels */
	int final;		/* no way out but explicit transitions */
	int line;
};

/* A point in time relative to an anchor: "start -10d". */
struct flow_time {
	const struct anchor *anchor;	/* a time of the object */
	struct offset off;		/* moved by this much */
};

enum guard_kind {
	GUARD_ROLE,	/* the actor holds a role in the object's organization */
	GUARD_STAFF,	/* the actor is a civil servant (with a role) */
	GUARD_MEMBER,	/* the actor belongs to the object's organization */
	GUARD_OWNER,	/* the actor owns the object */
	GUARD_SYSTEM,	/* no actor: the clock or a job */
	GUARD_BEFORE,	/* now is before a time */
	GUARD_AFTER,	/* now is at or after a time */
	GUARD_QUORUM,	/* present_count is more than half the members */
	GUARD_KNOWN,	/* fields of the object have a value */
};

struct guard_alt {
	enum guard_kind kind;
	char **roles;		/* ROLE, STAFF: accepted roles */
	size_t nroles;		/* 0 for STAFF: any */
	struct flow_time at;	/* BEFORE, AFTER */
	char **fields;		/* KNOWN: the fields */
	size_t nfields;
};

/* A guard line: its alternatives joined by "or". */
struct flow_guard {
	struct guard_alt *alts;
	size_t nalts;
	char *text;		/* as written, for messages */
	int line;
};

struct flow_when {
	char *field;		/* a column of the message view */
	char *value;		/* the value it must have */
};

enum action_kind {
	ACTION_JOB,		/* job = KIND ARGS */
	ACTION_NOTIFY,		/* notify = AUDIENCE MESSAGE */
};

struct flow_action {
	enum action_kind kind;
	char *job;		/* job kind ("invite", "cascade", "notify") */
	char *arg1, *arg2;	/* its arguments */
	int line;
};

struct flow_transition {
	char *name;		/* section name */
	char *event;		/* event that triggers it */
	int *from;		/* state indexes it leaves */
	size_t nfrom;
	int from_any;		/* from = *: any state that is not final */
	int to;			/* state index; -1: stays in the same state */
	struct flow_when *when;
	size_t nwhen;
	struct flow_guard *guards;
	size_t nguards;
	char **set;		/* fields the event may set */
	size_t nset;
	char **require;		/* fields the event must set */
	size_t nrequire;
	char **stamp;		/* fields set to now */
	size_t nstamp;
	char **bump;		/* integer fields incremented */
	size_t nbump;
	struct flow_action *actions;
	size_t nactions;
	char *fr, *ar;		/* label of the action */
	int line;
};

struct flow_deadline {
	char *name;
	int state;		/* state index it watches */
	struct flow_time at;	/* when it passes */
	char *event;		/* the event it raises */
	int line;
};

struct flow_message {
	char *name;
	char *fr, *ar;		/* text with {{placeholders}} */
	int line;
};

struct flow {
	char *file;		/* where it was read from */
	enum object_kind kind;	/* the object kind it drives */
	int initial;		/* state index new objects start in */
	char *fr, *ar;		/* its name */
	struct flow_state *states;
	size_t nstates;
	struct flow_transition *transitions;
	size_t ntransitions;
	struct flow_deadline *deadlines;
	size_t ndeadlines;
	struct flow_message *messages;
	size_t nmessages;
};

struct flowset {
	struct flow *flows[OBJ__COUNT];	/* by object kind */
};

int flow_state_index(const struct flow *f, const char *name);
const struct flow_message *flow_message(const struct flow *f,
					const char *name);
void flow_free(struct flow *f);
/* True when {{name}} may appear in a message about objects of kind. */
int flow_placeholder_ok(enum object_kind kind, const char *name);

#endif
