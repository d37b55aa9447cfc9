/*
 * demo.h - a realistic, fictitious Commune de Casablanca for `majlis init
 * --demo`: 441 élus (the communal council's 147, its bureau and six
 * commissions, and the sixteen arrondissement councils), the staff of the
 * Direction générale des services, the last and the next ordinary
 * sessions with their meetings and numbered agendas, dossiers, petitions
 * and tasks in several states.
 *
 * Nothing is written behind the engine's back: people come in through
 * the organigramme import, and the history is replayed through the
 * mailflows with the clock moved back in time, so that states, audit
 * entries, invitations, decisions and notifications are exactly what the
 * engine would have produced. The convocation of the next session is
 * recorded last and left pending, for the first `majlis run` to apply.
 *
 * Names are drawn from a fixed seed: the same --now gives the same demo.
 */
#ifndef MAJLIS_DEMO_H
#define MAJLIS_DEMO_H

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

struct demo_counts {
	int persons, elus, staff, memberships;
	int sessions, meetings, items;
	int dossiers, petitions, tasks;
	int events, jobs;
	int messages;		/* sent during the history */
};

/* Builds the demo into an instance that holds only its structure. cb,
 * if given, receives one record per replayed step. */
enum majlis_status demo_build(struct engine *e, rec_cb cb, void *ctx,
			      struct demo_counts *counts, struct buf *err);

#endif
