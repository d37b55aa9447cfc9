/*
 * form.c - petitions and dossiers submitted by mail (see form.h).
 *
 * Layout: labels and their names in both languages; lines; values;
 * checks; the entry point.
 */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "sys.h"
#include "text.h"

enum field {
	F_FORM, F_TYPE, F_TITLE, F_BODY, F_LEAD, F_EMAIL, F_PHONE,
	F_SIGNATURES, F_TEXT, F_OWNER, F_DUE, F_NONE,
};

/* The labels people write, folded (fold.h: no accents, Arabic letter
 * variants as one). */
static const struct {
	enum field f;
	const char *label;
} labels[] = {
	{ F_FORM, "formulaire" }, { F_FORM, "form" }, { F_FORM, "الاستمارة" },
	{ F_FORM, "استمارة" },
	{ F_TYPE, "type" }, { F_TYPE, "nature" }, { F_TYPE, "النوع" },
	{ F_TYPE, "الصفة" }, { F_TYPE, "نوع العريضة" }, { F_TYPE, "نوع الملف" },
	{ F_TITLE, "objet" }, { F_TITLE, "sujet" }, { F_TITLE, "titre" },
	{ F_TITLE, "subject" }, { F_TITLE, "title" }, { F_TITLE, "الموضوع" },
	{ F_TITLE, "العنوان" },
	{ F_BODY, "arrondissement" }, { F_BODY, "commune" },
	{ F_BODY, "المقاطعة" }, { F_BODY, "مقاطعة" }, { F_BODY, "الجماعة" },
	{ F_LEAD, "mandataire" }, { F_LEAD, "representant" },
	{ F_LEAD, "nom" }, { F_LEAD, "name" }, { F_LEAD, "الوكيل" },
	{ F_LEAD, "وكيل العريضة" }, { F_LEAD, "الاسم" }, { F_LEAD, "الممثل" },
	{ F_EMAIL, "courriel" }, { F_EMAIL, "e-mail" }, { F_EMAIL, "email" },
	{ F_EMAIL, "البريد الالكتروني" }, { F_EMAIL, "البريد الإلكتروني" },
	{ F_PHONE, "telephone" }, { F_PHONE, "tel" }, { F_PHONE, "phone" },
	{ F_PHONE, "الهاتف" },
	{ F_SIGNATURES, "signatures" }, { F_SIGNATURES, "nombre de signatures" },
	{ F_SIGNATURES, "signataires" }, { F_SIGNATURES, "عدد التوقيعات" },
	{ F_SIGNATURES, "التوقيعات" }, { F_SIGNATURES, "عدد الموقعين" },
	{ F_TEXT, "texte" }, { F_TEXT, "demande" }, { F_TEXT, "expose" },
	{ F_TEXT, "text" }, { F_TEXT, "النص" }, { F_TEXT, "الطلب" },
	{ F_OWNER, "responsable" }, { F_OWNER, "proprietaire" },
	{ F_OWNER, "owner" }, { F_OWNER, "المسؤول" },
	{ F_DUE, "echeance" }, { F_DUE, "due" }, { F_DUE, "الأجل" },
	{ F_DUE, "الاجل" },
};

enum { MAX_VALUE = 4000, MAX_TEXT = 20000 };

/* The field a label names, or F_NONE. */
static enum field
field_of(const char *label, size_t len)
{
	struct buf key = BUF_INIT, want = BUF_INIT;
	enum field f = F_NONE;

	fold_key(label, len, &key);
	buf_rtrim(&key);
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels) && f == F_NONE;
	     i++) {
		buf_reset(&want);
		fold_key(labels[i].label, strlen(labels[i].label), &want);
		if (!strcmp(key.data, want.data))
			f = labels[i].f;
	}
	buf_release(&key);
	buf_release(&want);
	return f;
}

/* "Label : value" (any spaces, a ':' or a '：'): the label's length and
 * where the value starts; -1 if the line is not one. */
static int
split_label(const char *line, size_t *label_len, const char **value)
{
	const char *colon = strchr(line, ':');
	size_t n;

	if (!colon || colon == line)
		return -1;
	n = (size_t)(colon - line);
	while (n && line[n - 1] == ' ')
		n--;
	/* A label is a few words, not a sentence with a colon in it. */
	if (n == 0 || n > 40)
		return -1;
	*label_len = n;
	*value = colon + 1;
	while (**value == ' ' || **value == '\t')
		(*value)++;
	return 0;
}

static char *
trimmed(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	buf_add(&b, s, n);
	return buf_detach(&b, NULL);
}

void
form_error_add(struct form *f, const char *field, const char *fr,
	       const char *ar)
{
	struct form_error *e;

	f->errors = xrealloc(f->errors, (f->nerrors + 1) * sizeof(*f->errors));
	e = &f->errors[f->nerrors++];
	snprintf(e->field, sizeof(e->field), "%s", field);
	snprintf(e->fr, sizeof(e->fr), "%s", fr);
	snprintf(e->ar, sizeof(e->ar), "%s", ar);
}

/* Whether folded s is one of the words given (each folded). */
static int
is_word(const char *value, const char *const *words)
{
	struct buf key = BUF_INIT, w = BUF_INIT;
	int r = 0;

	fold_key(value, strlen(value), &key);
	buf_rtrim(&key);
	for (; *words && !r; words++) {
		buf_reset(&w);
		fold_key(*words, strlen(*words), &w);
		r = !strcmp(key.data, w.data);
	}
	buf_release(&key);
	buf_release(&w);
	return r;
}

static void
check_petition(struct form *f)
{
	static const char *const citizens[] = {
		"citoyens", "citoyennes et citoyens", "citoyen", "citizens",
		"مواطنون", "مواطنين", "المواطنون", "المواطنين", NULL,
	};
	static const char *const association[] = {
		"association", "جمعية", "الجمعية", NULL,
	};

	if (!f->type)
		form_error_add(f, "type",
			       "Type : indiquez « citoyens » ou « association ».",
			       "النوع: اذكروا «مواطنون» أو «جمعية».");
	else if (is_word(f->type, citizens) || is_word(f->type, association)) {
		int assoc = is_word(f->type, association);

		free(f->type);
		f->type = xstrdup(assoc ? "association" : "citizens");
	} else {
		form_error_add(f, "type",
			       "Type : « citoyens » ou « association », rien "
			       "d'autre.",
			       "النوع: «مواطنون» أو «جمعية» فقط.");
	}
	if (!f->lead)
		form_error_add(f, "lead",
			       "Mandataire : le nom de la personne qui "
			       "représente les pétitionnaires.",
			       "الوكيل: اسم الشخص الذي يمثل أصحاب العريضة.");
	if (f->type && !strcmp(f->type, "citizens")) {
		char fr[256], ar[256];

		snprintf(fr, sizeof(fr),
			 "Signatures : le nombre de signataires, au moins %d "
			 "(loi organique 113-14).",
			 FORM_MIN_SIGNATURES);
		snprintf(ar, sizeof(ar),
			 "عدد التوقيعات: عدد الموقعين، %d على الأقل (القانون "
			 "التنظيمي 113.14).",
			 FORM_MIN_SIGNATURES);
		if (f->signatures < FORM_MIN_SIGNATURES)
			form_error_add(f, "signatures", fr, ar);
	}
	if (f->email && (!strchr(f->email, '@') || strchr(f->email, ' ')))
		form_error_add(f, "email",
			       "Courriel : une adresse comme nom@exemple.ma.",
			       "البريد الإلكتروني: عنوان مثل name@example.ma.");
}

static void
check_dossier(struct form *f)
{
	if (!f->type)
		form_error_add(f, "type",
			       "Type : la nature du dossier (budget, urbanisme, "
			       "convention ...).",
			       "النوع: طبيعة الملف (ميزانية، تعمير، اتفاقية ...).");
	else {
		struct buf k = BUF_INIT;

		fold_key(f->type, strlen(f->type), &k);
		free(f->type);
		f->type = buf_detach(&k, NULL);
	}
	if (!f->owner)
		form_error_add(f, "owner",
			       "Responsable : le matricule de la personne "
			       "chargée du dossier (E0012).",
			       "المسؤول: رقم تسجيل الشخص المكلف بالملف (E0012).");
}

int
form_read(const char *text, struct form *f)
{
	const char *p = text;
	int first = 1, is_form = 0;

	memset(f, 0, sizeof(*f));
	f->signatures = -1;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p), lab;
		char *line = trimmed(p, len);
		const char *value;
		enum field fl = F_NONE;

		if (line[0] && split_label(line, &lab, &value) == 0)
			fl = field_of(line, lab);
		if (!line[0] || fl == F_NONE) {
			free(line);
			if (first && p[0] != '\n' && len)
				break;	/* not a form: text first */
			p = e ? e + 1 : p + len;
			continue;
		}
		if (first) {
			if (fl != F_FORM) {
				free(line);
				break;
			}
			first = 0;
			if (is_word(value, (const char *const[]){
					    "petition", "pétition", "عريضة",
					    "العريضة", NULL }))
				f->kind = FORM_PETITION;
			else if (is_word(value, (const char *const[]){
						 "dossier", "ملف", "الملف",
						 NULL }))
				f->kind = FORM_DOSSIER;
			else {
				free(line);
				break;
			}
			is_form = 1;
			free(line);
			p = e ? e + 1 : p + len;
			continue;
		}
		if (fl == F_TEXT) {
			/* The text runs to the end, from its label's colon
			 * (a label holds none). */
			const char *rest = strchr(p, ':') + 1;

			free(f->text);
			f->text = trimmed(rest, strnlen(rest, MAX_TEXT));
			free(line);
			break;
		}
		if (strlen(value) <= MAX_VALUE && *value) {
			char **slot = NULL;

			switch (fl) {
			case F_TYPE: slot = &f->type; break;
			case F_TITLE:
				slot = text_has_arabic(value) ? &f->title_ar
							       : &f->title_fr;
				break;
			case F_BODY: slot = &f->body; break;
			case F_LEAD: slot = &f->lead; break;
			case F_EMAIL: slot = &f->email; break;
			case F_PHONE: slot = &f->phone; break;
			case F_OWNER: slot = &f->owner; break;
			case F_DUE: slot = &f->due; break;
			case F_SIGNATURES: {
				long long n;
				char digits[32];
				size_t k = 0;

				/* "450", "1 200", "1.200" */
				for (const char *c = value; *c && k < 20; c++)
					if (*c >= '0' && *c <= '9')
						digits[k++] = *c;
					else if (*c != ' ' && *c != '.' &&
						 *c != ',')
						break;
				digits[k] = '\0';
				f->signatures = k && !parse_int(digits, 0,
								10000000, &n)
							? n
							: -2;
				break;
			}
			default: break;
			}
			if (slot) {
				free(*slot);
				*slot = xstrdup(value);
			}
		}
		free(line);
		p = e ? e + 1 : p + len;
	}
	if (!is_form) {
		form_release(f);
		return 0;
	}
	if (!f->title_fr && !f->title_ar)
		form_error_add(f, "title",
			       "Objet : en une ligne, ce que vous demandez.",
			       "الموضوع: في سطر واحد، ما تطلبونه.");
	else if (!f->title_fr)
		f->title_fr = xstrdup(f->title_ar);
	else if (!f->title_ar)
		f->title_ar = xstrdup(f->title_fr);
	if (f->kind == FORM_PETITION)
		check_petition(f);
	else
		check_dossier(f);
	return 1;
}

void
form_release(struct form *f)
{
	free(f->type);
	free(f->title_fr);
	free(f->title_ar);
	free(f->body);
	free(f->lead);
	free(f->email);
	free(f->phone);
	free(f->text);
	free(f->owner);
	free(f->due);
	free(f->errors);
	memset(f, 0, sizeof(*f));
	f->signatures = -1;
}
