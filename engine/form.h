/*
 * form.h - a petition or a dossier submitted by mail: labelled lines in
 * French or Arabic ("Objet : ...", "الموضوع: ..."), in the body or in a
 * text attachment, read and checked field by field.
 *
 *   Formulaire : pétition              الاستمارة: عريضة
 *   Type : citoyens | association      النوع: مواطنون | جمعية
 *   Arrondissement : Sidi Bernoussi     المقاطعة: سيدي البرنوصي
 *   Objet : Éclairage public ...       الموضوع: ...
 *   Mandataire : Karim Bennani         الوكيل: ...
 *   Courriel : ...  Téléphone : ...    البريد الإلكتروني: ...  الهاتف: ...
 *   Signatures : 450                   عدد التوقيعات: 450
 *   Texte : (to the end)               النص: ...
 *
 *   Formulaire : dossier               الاستمارة: ملف
 *   Type : urbanisme                   النوع: ...
 *   Objet : ...                        الموضوع: ...
 *   Responsable : E0012                المسؤول: E0012
 *   Échéance : 2027-01-15              الأجل: 2027-01-15
 *
 * A pure reader: what the names point at (an arrondissement, a person)
 * is for the store to check (ingest.c).
 */
#ifndef MAJLIS_FORM_H
#define MAJLIS_FORM_H

#include <stddef.h>

#include "buf.h"

/* Organic law 113-14, art. 123: a petition of citizens to the council of
 * a commune with arrondissements needs at least 400 signatures. */
#define FORM_MIN_SIGNATURES 400

enum form_kind {
	FORM_NONE,
	FORM_PETITION,
	FORM_DOSSIER,
};

/* One field to fix, said in both languages. */
struct form_error {
	char field[24];
	char fr[256];
	char ar[256];
};

struct form {
	enum form_kind kind;
	char *type;		/* petition: "citizens" or "association";
				 * dossier: its kind, folded ("urbanisme") */
	char *title_fr, *title_ar; /* at least one; the other copied */
	char *body;		/* the arrondissement or commune, as written */
	char *lead;		/* the petitioners' representative */
	char *email, *phone;
	long long signatures;	/* -1 when not given */
	char *text;		/* the petition's text, or NULL */
	char *owner;		/* dossier: the matricule of its owner */
	char *due;		/* dossier: its due date, as written */
	struct form_error *errors;
	size_t nerrors;
};

/*
 * Reads text as a form. Returns 1 when it is one (its first labelled
 * line names the form), with f filled and its errors listed; 0 when it
 * is not (f empty). Release f with form_release() either way.
 */
int form_read(const char *text, struct form *f);

/* Adds an error (for the store's checks: an unknown arrondissement). */
void form_error_add(struct form *f, const char *field, const char *fr,
		    const char *ar);

void form_release(struct form *f);

#endif
