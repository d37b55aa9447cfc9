/*
 * agenda.h - day, week and month views of what happens: meetings,
 * session openings, deadlines (dossiers, tasks) and public holidays
 * (civil and religious, with their Hijri dates), for the whole Commune,
 * one body (the Commune's own or an arrondissement), one organization or
 * one person (their invitations, dossiers and tasks).
 *
 * A view is collected once (agenda_collect) and then written as a
 * bilingual PDF (templates/agenda.xml through the documents engine), as
 * a workbook sheet (report-xlsx.c) or as an iCalendar feed of the same
 * period (METHOD:PUBLISH, the meetings with the UIDs of their
 * invitations, holidays and deadlines as all-day events).
 */
#ifndef MAJLIS_AGENDA_H
#define MAJLIS_AGENDA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "clock.h"
#include "engine.h"
#include "status.h"

enum agenda_view {
	AGENDA_DAY,
	AGENDA_WEEK,		/* Monday to Sunday */
	AGENDA_MONTH,		/* the month, in whole weeks */
};

enum agenda_kind {
	AGENDA_MEETING,
	AGENDA_SESSION,		/* a session opens */
	AGENDA_DOSSIER,		/* a dossier is due */
	AGENDA_TASK,		/* a task is due */
	AGENDA_CIVIL,		/* a civil (or exceptional) holiday */
	AGENDA_RELIGIOUS,	/* a religious holiday, on a Hijri date */
};

struct agenda_entry {
	enum agenda_kind kind;
	struct date day;	/* local day */
	int timed;		/* has a time of day (meetings, deadlines) */
	int hour, min;		/* local start */
	int64_t start, end;	/* UTC; end 0 when unknown */
	int64_t id;		/* the object's id, or 0 */
	int sequence;		/* a meeting's iCalendar SEQUENCE */
	int cancelled;		/* a cancelled or postponed meeting */
	int provisional;	/* a holiday whose date is not yet announced */
	char *title_fr, *title_ar;
	char *place_fr, *place_ar; /* or NULL */
	char *org_fr, *org_ar;	   /* the organization, or NULL */
	char *ref;		/* a dossier's reference, or NULL */
};

struct agenda {
	enum agenda_view view;
	struct date first;	/* the period: its first day */
	struct date until;	/* and the day after its last */
	struct date grid_from;	/* the days drawn (a month: from Monday) */
	struct date grid_until;
	char *scope_fr, *scope_ar; /* whose agenda: "Commune de Casablanca" */
	struct agenda_entry *entries; /* sorted by day, then time */
	size_t n, cap;
};

/* Parses "day", "week", "month". Returns 0 or -1. */
int agenda_view_parse(const char *s, enum agenda_view *out);
const char *agenda_view_name(enum agenda_view v);

/*
 * The view v around day d for scope: NULL (everything), a body's code
 * (CASA, ANFA), an organization's code (CC-COM-BUDGET) or a person (a
 * code, an address, "#id"). e->cal gives the holidays, if loaded.
 * MAJLIS_ERR_NOTFOUND for a scope that names nothing. The caller frees
 * the agenda with agenda_free().
 */
enum majlis_status agenda_collect(struct engine *e, enum agenda_view v,
				  struct date d, const char *scope,
				  struct agenda **out, struct buf *err);
void agenda_free(struct agenda *a);

/* The data templates/calendrier.xml sees for the view (majlis agenda
 * --data); the caller json_decref()s it. */
json_t *agenda_data(struct engine *e, const struct agenda *a);

/* The view as a PDF (lang "fr", "ar" or "both"), through
 * templates/agenda.xml; needs e->docs. */
enum majlis_status agenda_pdf(struct engine *e, const struct agenda *a,
			      const char *lang, struct buf *out, int *pages,
			      struct buf *err);

/* The same period as an iCalendar feed (METHOD:PUBLISH) in zone tz,
 * meetings' UIDs meeting-ID@domain as their invitations have them, each
 * event organized (RFC 5546 asks for one) by the engine's address from,
 * named name. */
enum majlis_status agenda_ics(struct engine *e, const struct agenda *a,
			      const char *tz, const char *domain,
			      const char *from, const char *name,
			      struct buf *out, struct buf *err);

/* The view as a workbook of two sheets, French and Arabic. */
enum majlis_status agenda_xlsx(struct engine *e, const struct agenda *a,
			       const char *path, struct buf *err);

/* "Réunion", "اجتماع"... */
const char *agenda_kind_label(enum agenda_kind k, const char *lang);

#endif
