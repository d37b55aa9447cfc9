/*
 * orgchart.c - the organigramme import (see orgchart.h).
 *
 * Layout: columns and their names; checking one cell, one row, the rows
 * against each other and against the store; writing, in one transaction.
 */
#include "orgchart.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "csv.h"
#include "objects.h"
#include "store.h"
#include "sys.h"
#include "text.h"

enum col {
	COL_CODE,
	COL_KIND,
	COL_GENDER,
	COL_GIVEN_FR,
	COL_FAMILY_FR,
	COL_GIVEN_AR,
	COL_FAMILY_AR,
	COL_LANG,
	COL_EMAIL,
	COL_PHONE,
	COL_ORG,
	COL_ROLE,
	COL_RANK,
	COL_FROM,
	COL_UNTIL,
	COL__COUNT
};

static const struct {
	const char *names[5];	/* accepted header names, lower case */
	int required;
} columns[COL__COUNT] = {
	[COL_CODE] = { { "matricule", "code", NULL }, 1 },
	[COL_KIND] = { { "type", "kind", "statut", NULL }, 1 },
	[COL_GENDER] = { { "genre", "gender", "sexe", NULL }, 1 },
	[COL_GIVEN_FR] = { { "prenom_fr", "prénom_fr", "given_fr", NULL }, 1 },
	[COL_FAMILY_FR] = { { "nom_fr", "family_fr", NULL }, 1 },
	[COL_GIVEN_AR] = { { "prenom_ar", "prénom_ar", "given_ar", NULL }, 1 },
	[COL_FAMILY_AR] = { { "nom_ar", "family_ar", NULL }, 1 },
	[COL_LANG] = { { "langue", "lang", "language", NULL }, 0 },
	[COL_EMAIL] = { { "email", "courriel", "e-mail", "mail", NULL }, 0 },
	[COL_PHONE] = { { "telephone", "téléphone", "phone", "tel", NULL }, 0 },
	[COL_ORG] = { { "organisation", "organization", "organe", NULL }, 1 },
	[COL_ROLE] = { { "role", "rôle", "fonction", NULL }, 1 },
	[COL_RANK] = { { "rang", "rank", "ordre", NULL }, 0 },
	[COL_FROM] = { { "debut", "début", "from", "depuis", NULL }, 1 },
	[COL_UNTIL] = { { "fin", "until", NULL }, 0 },
};

struct row {
	char *v[COL__COUNT];	/* checked, normalized values (NULL: empty) */
	int rank;
	int line;
	int first;		/* the person's first row (cross_check) */
};

struct problem {
	int line;		/* where, for sorting */
	char *msg;		/* "file:line: reason" */
};

struct importer {
	struct engine *e;
	const char *name;
	struct problem *problems; /* reported in line order at the end */
	size_t nproblems, capproblems;
	int map[CSV_MAX_FIELDS];	/* CSV column -> enum col, or -1 */
	int header_done;
	struct row *rows;
	size_t n, cap;
	int errors;
	struct buf *err;
};

static enum majlis_status row_error(struct importer *im, int line,
				    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum majlis_status
row_error(struct importer *im, int line, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	if (++im->errors > ORGCHART_MAX_ERRORS)
		return MAJLIS_ERR_DATA;
	buf_addf(&msg, "%s:%d: ", im->name, line);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	xgrow(&im->problems, &im->capproblems, im->nproblems + 1,
	      sizeof(*im->problems));
	im->problems[im->nproblems].line = line;
	im->problems[im->nproblems].msg = buf_detach(&msg, NULL);
	im->nproblems++;
	return MAJLIS_ERR_DATA;
}

/* Reports the problems by line, in the order found within a line. */
static void
flush_problems(struct importer *im)
{
	for (size_t i = 1; i < im->nproblems; i++) {
		struct problem p = im->problems[i];
		size_t j = i;

		while (j > 0 && im->problems[j - 1].line > p.line) {
			im->problems[j] = im->problems[j - 1];
			j--;
		}
		im->problems[j] = p;
	}
	for (size_t i = 0; i < im->nproblems; i++) {
		if (im->err->len)
			buf_addch(im->err, '\n');
		buf_addstr(im->err, im->problems[i].msg);
		free(im->problems[i].msg);
	}
	free(im->problems);
	im->problems = NULL;
	im->nproblems = 0;
}

static const char *
col_name(enum col c)
{
	return columns[c].names[0];
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static enum majlis_status
read_header(struct importer *im, const struct csv_row *row)
{
	int seen[COL__COUNT];
	enum majlis_status rc = MAJLIS_OK;

	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < row->n; i++) {
		struct buf h = BUF_INIT;
		int found = -1;

		if (text_nfc(row->fields[i], strlen(row->fields[i]), &h) < 0)
			buf_addstr(&h, row->fields[i]);
		buf_rtrim(&h);
		lower_ascii(h.data);
		for (int c = 0; c < COL__COUNT && found < 0; c++)
			for (int k = 0; columns[c].names[k]; k++)
				if (!strcmp(h.data, columns[c].names[k]))
					found = c;
		im->map[i] = found;
		if (found >= 0 && seen[found]++)
			rc = row_error(im, row->line,
				       "column '%s' appears twice",
				       col_name((enum col)found));
		else if (found < 0 && h.len)
			rc = row_error(im, row->line,
				       "unknown column '%s'", h.data);
		buf_release(&h);
	}
	for (int c = 0; c < COL__COUNT; c++)
		if (columns[c].required && !seen[c])
			rc = row_error(im, row->line,
				       "missing column '%s'",
				       col_name((enum col)c));
	return rc;
}

/* A cell that a spreadsheet would run as a formula. */
static int
formula_like(const char *s, enum col c)
{
	if (!*s)
		return 0;
	if (c == COL_PHONE && s[0] == '+') {
		for (s++; *s; s++)
			if (!isdigit((unsigned char)*s) && *s != ' ')
				return 1;
		return 0;
	}
	return strchr("=+-@\t\r", s[0]) != NULL;
}

static int
parse_day(const char *s, char out[DATE_LEN])
{
	struct date d;
	long long dd, mm, yy;
	char tmp[5];

	if (date_parse(s, &d) == 0) {
		date_format(d, out);
		return 0;
	}
	/* DD/MM/YYYY, as French spreadsheets write dates */
	if (strlen(s) != 10 || s[2] != '/' || s[5] != '/')
		return -1;
	memcpy(tmp, s, 2);
	tmp[2] = '\0';
	if (parse_int(tmp, 1, 31, &dd))
		return -1;
	memcpy(tmp, s + 3, 2);
	if (parse_int(tmp, 1, 12, &mm) || parse_int(s + 6, 1900, 2200, &yy))
		return -1;
	if (!date_valid((int)yy, (int)mm, (int)dd))
		return -1;
	date_format((struct date){ (int)yy, (int)mm, (int)dd }, out);
	return 0;
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return 0;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || strchr("<>()[]\\,;:\"", *s))
			return 0;
	return 1;
}

/* Moroccan numbers to E.164: 06..., 00212..., +212... */
static int
phone_normalize(const char *s, struct buf *out)
{
	struct buf digits = BUF_INIT;
	int plus = 0, rc = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			buf_addch(&digits, *s);
		else if (*s == '+' && !digits.len && !plus)
			plus = 1;
		else if (!strchr(" .-()/", *s))
			rc = -1;
	}
	if (rc == 0) {
		if (!plus && starts_with(digits.data, "00"))
			buf_addf(out, "+%s", digits.data + 2);
		else if (!plus && digits.data[0] == '0' && digits.len == 10)
			buf_addf(out, "+212%s", digits.data + 1);
		else if (plus)
			buf_addf(out, "+%s", digits.data);
		else
			rc = -1;
		if (rc == 0 && (out->len < 9 || out->len > 16))
			rc = -1;
	}
	buf_release(&digits);
	return rc;
}

static enum majlis_status
check_cell(struct importer *im, int line, enum col c, const char *raw,
	   char **out, int *rank)
{
	struct buf v = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	char day[DATE_LEN];
	long long n;

	*out = NULL;
	if (text_nfc(raw, strlen(raw), &v) < 0) {
		buf_release(&v);
		return row_error(im, line, "%s: not UTF-8 text", col_name(c));
	}
	/* A tab or carriage return first is a formula trick: refuse it
	 * before trimming hides it. */
	if (v.data[0] == '\t' || v.data[0] == '\r') {
		rc = row_error(im, line,
			       "%s starts with a control character: a "
			       "spreadsheet formula is not accepted",
			       col_name(c));
		goto out;
	}
	/* trim spaces around the value */
	buf_rtrim(&v);
	{
		size_t lead = strspn(v.data, " \t");

		if (lead) {
			memmove(v.data, v.data + lead, v.len - lead + 1);
			v.len -= lead;
		}
	}
	if (formula_like(v.data, c)) {
		rc = row_error(im, line,
			       "%s starts with '%c': a spreadsheet formula is "
			       "not accepted",
			       col_name(c), v.data[0] == '\t' ? ' ' : v.data[0]);
		goto out;
	}
	if (!v.len) {
		if (columns[c].required)
			rc = row_error(im, line, "%s is empty", col_name(c));
		goto out;
	}
	switch (c) {
	case COL_KIND:
		lower_ascii(v.data);
		if (!strcmp(v.data, "élu") || !strcmp(v.data, "elu") ||
		    !strcmp(v.data, "élue") || !strcmp(v.data, "elue"))
			buf_setf(&v, "elu");
		else if (strcmp(v.data, "fonctionnaire"))
			rc = row_error(im, line,
				       "type must be elu or fonctionnaire, not "
				       "'%s'",
				       v.data);
		break;
	case COL_GENDER:
		if (!strcmp(v.data, "M") || !strcmp(v.data, "H") ||
		    !strcmp(v.data, "m") || !strcmp(v.data, "h"))
			buf_setf(&v, "M");
		else if (!strcmp(v.data, "F") || !strcmp(v.data, "f"))
			buf_setf(&v, "F");
		else
			rc = row_error(im, line,
				       "genre must be M or F, not '%s'",
				       v.data);
		break;
	case COL_LANG:
		lower_ascii(v.data);
		if (!strcmp(v.data, "français") || !strcmp(v.data, "francais"))
			buf_setf(&v, "fr");
		else if (!strcmp(v.data, "arabe") ||
			 !strcmp(v.data, "العربية"))
			buf_setf(&v, "ar");
		if (strcmp(v.data, "fr") && strcmp(v.data, "ar"))
			rc = row_error(im, line,
				       "langue must be fr or ar, not '%s'",
				       v.data);
		break;
	case COL_GIVEN_FR:
	case COL_FAMILY_FR:
		if (!text_has_latin(v.data) || text_has_arabic(v.data))
			rc = row_error(im, line,
				       "%s must be written in Latin letters",
				       col_name(c));
		break;
	case COL_GIVEN_AR:
	case COL_FAMILY_AR:
		if (!text_has_arabic(v.data) || text_has_latin(v.data))
			rc = row_error(im, line,
				       "%s must be written in Arabic letters",
				       col_name(c));
		break;
	case COL_EMAIL:
		lower_ascii(v.data);
		if (!email_ok(v.data))
			rc = row_error(im, line, "'%s' is not an e-mail address",
				       v.data);
		break;
	case COL_PHONE: {
		struct buf p = BUF_INIT;

		if (phone_normalize(v.data, &p))
			rc = row_error(im, line,
				       "'%s' is not a phone number (e.g. "
				       "0661234567 or +212661234567)",
				       v.data);
		else
			buf_setf(&v, "%s", p.data);
		buf_release(&p);
		break;
	}
	case COL_ROLE:
		lower_ascii(v.data);
		if (!role_known(v.data))
			rc = row_error(im, line, "unknown role '%s'", v.data);
		break;
	case COL_RANK:
		if (parse_int(v.data, 0, 99, &n))
			rc = row_error(im, line,
				       "rang must be a number from 0 to 99");
		else
			*rank = (int)n;
		break;
	case COL_FROM:
	case COL_UNTIL:
		if (parse_day(v.data, day))
			rc = row_error(im, line,
				       "%s: '%s' is not a date (YYYY-MM-DD or "
				       "DD/MM/YYYY)",
				       col_name(c), v.data);
		else
			buf_setf(&v, "%s", day);
		break;
	case COL_CODE:
		for (const char *p = v.data; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr("-_./", *p))
				rc = row_error(im, line,
					       "matricule '%s' may hold only "
					       "letters, digits and - _ . /",
					       v.data);
		break;
	default:
		break;
	}
out:
	if (rc == MAJLIS_OK && v.len)
		*out = buf_detach(&v, NULL);
	buf_release(&v);
	return rc;
}

static enum majlis_status
read_row(void *ctx, const struct csv_row *row, struct buf *err)
{
	struct importer *im = ctx;
	struct row r;
	int bad = 0;

	(void)err;
	if (!im->header_done) {
		im->header_done = 1;
		memset(im->map, -1, sizeof(im->map));
		read_header(im, row);
		return im->errors > ORGCHART_MAX_ERRORS ? MAJLIS_ERR_DATA
							: MAJLIS_OK;
	}
	memset(&r, 0, sizeof(r));
	r.line = row->line;
	for (size_t i = 0; i < row->n; i++) {
		if (i >= CSV_MAX_FIELDS || im->map[i] < 0) {
			if (row->fields[i][0] && i >= CSV_MAX_FIELDS)
				bad = 1;
			continue;
		}
		{
			char *value = NULL;

			if (check_cell(im, row->line, (enum col)im->map[i],
				       row->fields[i], &value,
				       &r.rank) != MAJLIS_OK)
				bad = 1;
			/* A duplicated column (already reported) keeps the
			 * last value. */
			free(r.v[im->map[i]]);
			r.v[im->map[i]] = value;
		}
	}
	for (int c = 0; c < COL__COUNT && !bad; c++)
		if (columns[c].required && !r.v[c]) {
			row_error(im, row->line, "%s is missing",
				  col_name((enum col)c));
			bad = 1;
		}
	if (!bad && r.v[COL_UNTIL] && strcmp(r.v[COL_UNTIL], r.v[COL_FROM]) < 0)
		bad = row_error(im, row->line,
				"fin (%s) is before debut (%s)",
				r.v[COL_UNTIL], r.v[COL_FROM]) != MAJLIS_OK;
	if (bad) {
		for (int c = 0; c < COL__COUNT; c++)
			free(r.v[c]);
		return im->errors > ORGCHART_MAX_ERRORS ? MAJLIS_ERR_DATA
							: MAJLIS_OK;
	}
	if (!r.v[COL_LANG])
		r.v[COL_LANG] = xstrdup("fr");
	xgrow(&im->rows, &im->cap, im->n + 1, sizeof(*im->rows));
	im->rows[im->n++] = r;
	return MAJLIS_OK;
}

static const enum col person_cols[] = {
	COL_KIND, COL_GENDER, COL_GIVEN_FR, COL_FAMILY_FR, COL_GIVEN_AR,
	COL_FAMILY_AR, COL_LANG, COL_EMAIL, COL_PHONE,
};

static int
cmp_opt(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By person, then membership (organization, role, start), then line. */
static int
row_cmp_code(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	static const enum col keys[] = { COL_CODE, COL_ORG, COL_ROLE, COL_FROM };

	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		int c = cmp_opt(x->v[keys[k]], y->v[keys[k]]);

		if (c)
			return c;
	}
	return x->line - y->line;
}

/* By e-mail address, then line. */
static int
row_cmp_email(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	int c = cmp_opt(x->v[COL_EMAIL], y->v[COL_EMAIL]);

	return c ? c : x->line - y->line;
}

static int
same_membership(const struct row *a, const struct row *b)
{
	return !cmp_opt(a->v[COL_ORG], b->v[COL_ORG]) &&
	       !cmp_opt(a->v[COL_ROLE], b->v[COL_ROLE]) &&
	       !cmp_opt(a->v[COL_FROM], b->v[COL_FROM]);
}

/*
 * Rows of the same person must agree; memberships must not repeat; an
 * e-mail address belongs to one person. Sorting makes each check one
 * pass, so that a file of the largest size the reader takes is checked
 * in well under a second.
 */
static void
cross_check(struct importer *im)
{
	struct row **rows = xcalloc(im->n ? im->n : 1, sizeof(*rows));
	size_t i = 0;

	for (size_t k = 0; k < im->n; k++)
		rows[k] = &im->rows[k];
	qsort(rows, im->n, sizeof(*rows), row_cmp_code);
	while (i < im->n) {
		size_t end = i + 1, ref = i, run = i;

		while (end < im->n &&
		       !strcmp(rows[end]->v[COL_CODE], rows[i]->v[COL_CODE]))
			end++;
		for (size_t k = i + 1; k < end; k++)
			if (rows[k]->line < rows[ref]->line)
				ref = k;
		rows[ref]->first = 1;
		for (size_t k = i; k < end; k++) {
			struct row *a = rows[ref], *b = rows[k];

			if (k != ref && b->line > a->line) {
				for (size_t c = 0;
				     c < sizeof(person_cols) / sizeof(*person_cols);
				     c++) {
					enum col col = person_cols[c];

					if (str_eq(a->v[col], b->v[col]))
						continue;
					row_error(im, b->line,
						  "%s of %s is '%s' here but '%s' "
						  "on line %d",
						  col_name(col), b->v[COL_CODE],
						  b->v[col] ? b->v[col] : "",
						  a->v[col] ? a->v[col] : "",
						  a->line);
					break;
				}
			}
			/* Equal memberships are adjacent, the first of a
			 * run by line. */
			if (k > i && same_membership(rows[run], b))
				row_error(im, b->line,
					  "duplicate of line %d (%s, %s in %s "
					  "from %s)",
					  rows[run]->line, b->v[COL_CODE],
					  b->v[COL_ROLE], b->v[COL_ORG],
					  b->v[COL_FROM]);
			else
				run = k;
		}
		i = end;
	}

	/* An e-mail address belongs to the person of its first row: each
	 * other person using it is reported once, at their first row. */
	qsort(rows, im->n, sizeof(*rows), row_cmp_email);
	i = 0;
	while (i < im->n) {
		size_t end = i + 1;
		const struct row *owner = rows[i];

		if (!owner->v[COL_EMAIL]) {
			i++;
			continue;
		}
		while (end < im->n &&
		       !cmp_opt(rows[end]->v[COL_EMAIL], owner->v[COL_EMAIL]))
			end++;
		for (size_t k = i + 1; k < end; k++) {
			const struct row *b = rows[k];

			if (b->first && strcmp(b->v[COL_CODE], owner->v[COL_CODE]))
				row_error(im, b->line,
					  "e-mail %s already belongs to %s "
					  "(line %d)",
					  b->v[COL_EMAIL], owner->v[COL_CODE],
					  owner->line);
		}
		i = end;
	}
	free(rows);
}

/* Checks what needs the store: organizations, e-mails of others. */
static enum majlis_status
check_against_store(struct importer *im)
{
	for (size_t i = 0; i < im->n; i++) {
		struct row *r = &im->rows[i];
		int64_t id;
		enum majlis_status rc;

		rc = store_get_int(im->e->store, im->err, &id,
				   "SELECT id FROM organization WHERE code = ?1",
				   "s", r->v[COL_ORG]);
		if (rc == MAJLIS_ERR_NOTFOUND)
			row_error(im, r->line, "unknown organization '%s'",
				  r->v[COL_ORG]);
		else if (rc != MAJLIS_OK)
			return rc;
		if (r->v[COL_EMAIL]) {
			struct buf owner = BUF_INIT;

			rc = store_get_text(im->e->store, im->err, &owner,
					    "SELECT code FROM person"
					    " WHERE email = ?1 AND code <> ?2",
					    "ss", r->v[COL_EMAIL],
					    r->v[COL_CODE]);
			if (rc == MAJLIS_OK)
				row_error(im, r->line,
					  "e-mail %s already belongs to %s",
					  r->v[COL_EMAIL], owner.data);
			buf_release(&owner);
			if (rc != MAJLIS_OK && rc != MAJLIS_ERR_NOTFOUND)
				return rc;
		}
		if (im->errors > ORGCHART_MAX_ERRORS)
			break;
	}
	return MAJLIS_OK;
}

static enum majlis_status
write_rows(struct importer *im, struct orgchart_counts *counts)
{
	struct engine *e = im->e;
	char now[TIME_LEN];
	enum majlis_status rc = MAJLIS_OK;

	time_format_utc(clock_now(e->clock), now);
	for (size_t i = 0; i < im->n && rc == MAJLIS_OK; i++) {
		struct row *r = &im->rows[i];
		int64_t pid = 0, same = 0;

		rc = store_get_int(
			e->store, im->err, &same,
			"SELECT count(*) FROM person WHERE code = ?1"
			" AND kind = ?2 AND gender = ?3 AND given_fr = ?4"
			" AND family_fr = ?5 AND given_ar = ?6"
			" AND family_ar = ?7 AND lang = ?8"
			" AND email IS ?9 AND phone IS ?10",
			"ssssssssss", r->v[COL_CODE], r->v[COL_KIND],
			r->v[COL_GENDER], r->v[COL_GIVEN_FR],
			r->v[COL_FAMILY_FR], r->v[COL_GIVEN_AR],
			r->v[COL_FAMILY_AR], r->v[COL_LANG], r->v[COL_EMAIL],
			r->v[COL_PHONE]);
		if (rc != MAJLIS_OK)
			break;
		if (store_get_int(e->store, NULL, &pid,
				  "SELECT id FROM person WHERE code = ?1", "s",
				  r->v[COL_CODE]) != MAJLIS_OK)
			pid = 0;
		if (!same) {
			rc = store_exec(
				e->store, im->err,
				"INSERT INTO person(code, kind, gender,"
				" given_fr, family_fr, given_ar, family_ar,"
				" lang, email, phone, created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
				" ?10, ?11)"
				" ON CONFLICT(code) DO UPDATE SET"
				" kind = excluded.kind, gender = excluded.gender,"
				" given_fr = excluded.given_fr,"
				" family_fr = excluded.family_fr,"
				" given_ar = excluded.given_ar,"
				" family_ar = excluded.family_ar,"
				" lang = excluded.lang, email = excluded.email,"
				" phone = excluded.phone",
				"sssssssssss", r->v[COL_CODE], r->v[COL_KIND],
				r->v[COL_GENDER], r->v[COL_GIVEN_FR],
				r->v[COL_FAMILY_FR], r->v[COL_GIVEN_AR],
				r->v[COL_FAMILY_AR], r->v[COL_LANG],
				r->v[COL_EMAIL], r->v[COL_PHONE], now);
			if (rc != MAJLIS_OK)
				break;
			if (!pid) {
				pid = store_last_id(e->store);
				counts->persons_new++;
			} else {
				counts->persons_updated++;
			}
		} else if (!pid) {
			BUG("a person matched but has no id");
		}
		rc = store_exec(
			e->store, im->err,
			"INSERT INTO membership(person_id, organization_id,"
			" role, rank, from_date, until_date)"
			" VALUES (?1, (SELECT id FROM organization"
			" WHERE code = ?2), ?3, ?4, ?5, ?6)"
			" ON CONFLICT(person_id, organization_id, role,"
			" from_date) DO UPDATE SET rank = excluded.rank,"
			" until_date = excluded.until_date",
			"isssss", pid, r->v[COL_ORG], r->v[COL_ROLE],
			r->v[COL_RANK] ? r->v[COL_RANK] : "0", r->v[COL_FROM],
			r->v[COL_UNTIL]);
	}
	return rc;
}

static void
count_persons_same(struct importer *im, struct orgchart_counts *counts)
{
	/* Persons seen in the file that neither were created nor changed. */
	struct row **by_code = xcalloc(im->n ? im->n : 1, sizeof(*by_code));
	int distinct = 0;

	for (size_t i = 0; i < im->n; i++)
		by_code[i] = &im->rows[i];
	qsort(by_code, im->n, sizeof(*by_code), row_cmp_code);
	for (size_t i = 0; i < im->n; i++)
		if (!i || strcmp(by_code[i - 1]->v[COL_CODE],
				 by_code[i]->v[COL_CODE]))
			distinct++;
	counts->persons_same =
		distinct - counts->persons_new - counts->persons_updated;
	free(by_code);
}

enum majlis_status
orgchart_import(struct engine *e, const char *name, const char *data,
		size_t len, const char *actor, int dry_run,
		struct orgchart_counts *counts, struct buf *err)
{
	struct importer im;
	enum majlis_status rc;
	int64_t before = 0, after = 0;

	memset(&im, 0, sizeof(im));
	memset(counts, 0, sizeof(*counts));
	im.e = e;
	im.name = name;
	im.err = err;
	rc = csv_parse(name, data, len, read_row, &im, err);
	if (rc == MAJLIS_OK && !im.header_done)
		rc = error(err, MAJLIS_ERR_DATA, "%s: the file is empty", name);
	/* Every problem at once: the good rows are also checked against
	 * each other and the store while bad rows are reported. */
	if (rc == MAJLIS_OK && im.errors <= ORGCHART_MAX_ERRORS)
		cross_check(&im);
	if (rc == MAJLIS_OK && im.errors <= ORGCHART_MAX_ERRORS)
		rc = check_against_store(&im);
	flush_problems(&im);
	if (im.errors > ORGCHART_MAX_ERRORS)
		buf_addf(err, "\n%s: more than %d problems; fix these first",
			 name, ORGCHART_MAX_ERRORS);
	if (rc == MAJLIS_OK && im.errors)
		rc = MAJLIS_ERR_DATA;
	if (rc == MAJLIS_ERR_DATA)
		buf_addf(err, "\n%s: nothing was imported", name);
	counts->rows = (int)im.n;
	if (rc == MAJLIS_OK)
		rc = store_begin(e->store, err);
	if (rc == MAJLIS_OK) {
		store_get_int(e->store, NULL, &before,
			      "SELECT count(*) FROM membership", NULL);
		rc = write_rows(&im, counts);
		store_get_int(e->store, NULL, &after,
			      "SELECT count(*) FROM membership", NULL);
		counts->memberships_new = (int)(after - before);
		counts->memberships_same = (int)im.n - counts->memberships_new;
		count_persons_same(&im, counts);
		if (rc == MAJLIS_OK && !dry_run) {
			struct buf detail = BUF_INIT, cause = BUF_INIT;
			struct audit_entry a;

			buf_addf(&detail,
				 "{\"rows\":%d,\"persons_new\":%d,"
				 "\"persons_updated\":%d,"
				 "\"memberships_new\":%d}",
				 counts->rows, counts->persons_new,
				 counts->persons_updated,
				 counts->memberships_new);
			buf_addf(&cause, "import orgchart %s", name);
			memset(&a, 0, sizeof(a));
			a.actor = actor;
			a.action = "import";
			a.cause = cause.data;
			a.detail = detail.data;
			rc = audit_write(e, &a, err);
			buf_release(&detail);
			buf_release(&cause);
		}
		if (rc == MAJLIS_OK && !dry_run)
			rc = store_commit(e->store, err);
		else
			store_rollback(e->store);
	}
	for (size_t i = 0; i < im.n; i++)
		for (int c = 0; c < COL__COUNT; c++)
			free(im.rows[i].v[c]);
	free(im.rows);
	return rc;
}
