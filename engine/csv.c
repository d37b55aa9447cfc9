/*
 * csv.c - the CSV reader (see csv.h).
 *
 * Bends RFC 4180 where spreadsheets do: ';' as separator, LF alone as a
 * line end, and a quote inside an unquoted field taken literally.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "sys.h"

/* The separator: the one of ',' and ';' the header (the first line that
 * is not empty) uses most. */
static char
sniff_separator(const char *p, const char *end)
{
	int commas = 0, semis = 0, quoted = 0;

	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',')
			commas++;
		else if (!quoted && *p == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

/*
 * A guess at what a file that is not UTF-8 was saved as. Windows-1256
 * puts Arabic letters at C1-DA and at E1, E3-E6, EC, ED, between the
 * accented letters French needs (é at E9, à at E0, ç at E7 ...), which it
 * keeps where Windows-1252 has them: count the bytes that only Arabic
 * text uses often against those French text uses.
 */
static const char *
guess_encoding(const unsigned char *p, size_t n)
{
	static const unsigned char french[] = { 0xe0, 0xe2, 0xe7, 0xe8, 0xe9,
						0xea, 0xeb, 0xee, 0xef, 0xf4,
						0xf9, 0xfb, 0xfc, 0 };
	size_t arabic = 0, latin = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if ((c >= 0xc1 && c <= 0xda) || c == 0xe1 ||
		    (c >= 0xe3 && c <= 0xe6) || c == 0xec || c == 0xed)
			arabic++;
		else if (c >= 0x80 && memchr(french, c, sizeof(french) - 1))
			latin++;
	}
	if (arabic > latin)
		return "Windows-1256 (Arabic Windows)";
	return "Windows-1252 or ISO-8859-1 (Western Windows)";
}

struct row_builder {
	struct buf field;	/* the field being read */
	char **fields;		/* fields of the row so far */
	size_t n, cap;
};

static void
row_clear(struct row_builder *rb)
{
	for (size_t i = 0; i < rb->n; i++)
		free(rb->fields[i]);
	rb->n = 0;
	buf_reset(&rb->field);
}

enum majlis_status
csv_parse(const char *name, const char *data, size_t len, csv_cb cb,
	  void *ctx, struct buf *err)
{
	const char *p = data, *end = data + len;
	struct row_builder rb;
	enum majlis_status rc = MAJLIS_OK;
	int line = 1, row_line = 1, quoted = 0, in_field = 0, rows = 0;
	int quote_line = 1;
	char sep;

	memset(&rb, 0, sizeof(rb));
	buf_init(&rb.field);
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	if (memchr(p, '\0', (size_t)(end - p))) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		int l = 1;

		for (const char *q = p; q < nul; q++)
			l += *q == '\n';
		return error(err, MAJLIS_ERR_DATA,
			     "%s:%d: NUL byte: this is not a text file", name,
			     l);
	}
	if (!utf8_valid(p, (size_t)(end - p))) {
		/* Find the first bad line, for the message. */
		const char *ls = p;
		int l = 1;

		for (const char *q = p; q <= end; q++) {
			if (q == end || *q == '\n') {
				if (!utf8_valid(ls, (size_t)(q - ls)))
					break;
				ls = q + 1;
				l++;
			}
		}
		return error(err, MAJLIS_ERR_DATA,
			     "%s:%d: the file is not UTF-8; it looks like %s. "
			     "Save it as \"CSV UTF-8\" and import it again",
			     name, l,
			     guess_encoding((const unsigned char *)p,
					    (size_t)(end - p)));
	}
	sep = sniff_separator(p, end);
	while (rc == MAJLIS_OK) {
		int at_end = p >= end;
		char c = at_end ? '\n' : *p;

		if (quoted) {
			if (at_end) {
				rc = error(err, MAJLIS_ERR_DATA,
					   "%s:%d: a quoted field is never "
					   "closed",
					   name, quote_line);
				break;
			}
			p++;
			if (c == '"') {
				if (p < end && *p == '"') {
					buf_addch(&rb.field, '"');
					p++;
				} else {
					quoted = 0;
				}
			} else {
				if (c == '\n')
					line++;
				buf_addch(&rb.field, c);
			}
		} else if (c == '"' && !rb.field.len && !in_field) {
			quoted = 1;
			quote_line = line;
			in_field = 1;
			p++;
		} else if (c == sep || c == '\n' || c == '\r') {
			int eol = c != sep;

			if (c == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			if (!at_end)
				p++;
			if (eol && rb.n == 0 && !rb.field.len && !in_field) {
				/* an empty line */
				if (at_end)
					break;
				line++;
				row_line = line;
				continue;
			}
			if (rb.n == CSV_MAX_FIELDS) {
				rc = error(err, MAJLIS_ERR_DATA,
					   "%s:%d: more than %d fields", name,
					   row_line, CSV_MAX_FIELDS);
				break;
			}
			xgrow(&rb.fields, &rb.cap, rb.n + 1,
			      sizeof(*rb.fields));
			rb.fields[rb.n++] = buf_detach(&rb.field, NULL);
			in_field = 0;
			if (eol) {
				struct csv_row row = { rb.fields, rb.n,
						       row_line };

				if (++rows > CSV_MAX_ROWS) {
					rc = error(err, MAJLIS_ERR_DATA,
						   "%s: more than %d rows",
						   name, CSV_MAX_ROWS);
					break;
				}
				rc = cb(ctx, &row, err);
				row_clear(&rb);
				if (at_end)
					break;
				line++;
				row_line = line;
			}
			continue;
		} else {
			in_field = 1;
			buf_addch(&rb.field, c);
			p++;
		}
		if (rb.field.len > CSV_MAX_FIELD) {
			rc = error(err, MAJLIS_ERR_DATA,
				   "%s:%d: a field longer than %d bytes", name,
				   row_line, CSV_MAX_FIELD);
			break;
		}
	}
	row_clear(&rb);
	free(rb.fields);
	buf_release(&rb.field);
	return rc;
}
