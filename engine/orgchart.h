/*
 * orgchart.h - importing the organigramme: a bilingual CSV of persons and
 * their memberships, one membership a row.
 *
 * Columns (header names in French or English, any order):
 *   matricule (code)   the person's stable identifier         required
 *   type (kind)        elu | fonctionnaire                     required
 *   genre (gender)     M | F                                   required
 *   prenom_fr, nom_fr  name in Latin script                    required
 *   prenom_ar, nom_ar  name in Arabic script                   required
 *   langue (lang)      fr | ar, the language they read         default fr
 *   email, telephone   contact                                 optional
 *   organisation       organization code (e.g. CC, CA-ANFA)    required
 *   role               president, vice_president, secretary,   required
 *                      deputy_secretary, rapporteur, member,
 *                      dgs, head, officer
 *   rang (rank)        order among the same role (1st VP...)   default 0
 *   debut, fin         term, YYYY-MM-DD or DD/MM/YYYY          debut required
 *
 * The whole file is checked before anything is written: a bad row is
 * reported with its line number, all problems at once (up to a limit),
 * and nothing from that file is imported. Cells that would run as a
 * spreadsheet formula when exported again (=, +, -, @) are refused.
 */
#ifndef MAJLIS_ORGCHART_H
#define MAJLIS_ORGCHART_H

#include <stddef.h>

#include "buf.h"
#include "engine.h"
#include "status.h"

#define ORGCHART_MAX_ERRORS 50

struct orgchart_counts {
	int rows;		 /* data rows read */
	int persons_new;	 /* persons created */
	int persons_updated;	 /* persons whose details changed */
	int persons_same;	 /* persons already up to date */
	int memberships_new;	 /* memberships added */
	int memberships_same;	 /* memberships already there */
};

/*
 * Imports len bytes named name. actor names who imports (for the audit
 * log). With dry_run, checks everything and writes nothing.
 */
enum majlis_status orgchart_import(struct engine *e, const char *name,
				   const char *data, size_t len,
				   const char *actor, int dry_run,
				   struct orgchart_counts *counts,
				   struct buf *err);

#endif
