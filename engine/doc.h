/*
 * doc.h - the document model every renderer draws: blocks (headings,
 * paragraphs, lists, tables, side-by-side pairs, signatures, page breaks)
 * holding inline runs, each block with a language that sets its base
 * direction. It knows nothing of PDF, Word or HTML.
 *
 * A template (templates/, Mustache over an XML vocabulary, see
 * templates/README.md) is expanded with data into XML, and the XML read
 * into this model by doc_from_xml(), for one of three language modes:
 * French only, Arabic only, or both (side by side, or one language after
 * the other, as the template says). Blocks of the other language are left
 * out of a single-language document; language-neutral blocks (numbers,
 * references) are kept in all.
 */
#ifndef MAJLIS_DOC_H
#define MAJLIS_DOC_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

enum doc_lang {
	DOC_NEUTRAL,	/* no language: shown in every mode, left to right
			 * (a paragraph whose text starts with Arabic is
			 * read as DOC_AR, still in every mode) */
	DOC_FR,
	DOC_AR,
};

enum doc_mode {
	MODE_FR,	/* French only */
	MODE_AR,	/* Arabic only */
	MODE_BOTH,	/* both languages */
};

enum doc_align {
	ALIGN_START,	/* the paragraph's start: left in French, right in Arabic */
	ALIGN_CENTER,
	ALIGN_END,
	ALIGN_JUSTIFY,
};

enum run_style {
	RUN_BOLD = 1 << 0,
	RUN_ITALIC = 1 << 1,
	RUN_UNDERLINE = 1 << 2,
	RUN_SMALL = 1 << 3,
};

struct doc_run {
	char *text;		/* UTF-8, NFC; "\n" is a line break */
	unsigned style;		/* enum run_style bits */
	char *link;		/* a document's register number, a URL, or NULL */
};

enum block_kind {
	BLOCK_LETTERHEAD,	/* the administrative header: kids are its lines */
	BLOCK_HEADING,		/* level 1-3 */
	BLOCK_PARA,
	BLOCK_LIST,		/* kids: items (PARA); level 1 numbered, 0 bullets */
	BLOCK_TABLE,		/* kids: rows */
	BLOCK_ROW,		/* kids: cells; a table row, or a side-by-side pair */
	BLOCK_CELL,		/* kids: paragraphs */
	BLOCK_SIGNATURES,	/* kids: cells, one per signatory */
	BLOCK_PAGEBREAK,	/* level 1: from here on, French (sequential) */
	BLOCK_SPACE,		/* vertical space of level points */
	BLOCK_RULE,		/* a horizontal line */
};

struct doc_block {
	enum block_kind kind;
	enum doc_lang lang;	/* sets the base direction */
	enum doc_align align;
	int level;		/* heading level, list numbering, space height */
	int header;		/* ROW: a table header row, repeated on each page */
	int borders;		/* TABLE, ROW: draw cell borders */
	int keep;		/* keep with the next block on the same page */
	struct doc_run *runs;	/* HEADING, PARA */
	size_t nruns, capruns;
	struct doc_block *kids;
	size_t nkids, capkids;
	double *widths;		/* TABLE: relative column widths */
	size_t nwidths;
};

struct doc {
	enum doc_mode mode;	/* the language mode it was read for */
	int sequential;		/* both: Arabic, then (after a PAGEBREAK of
				 * level 1) French */
	char *title_fr, *title_ar; /* metadata and outline */
	char *subject, *keywords, *author;
	char *register_no;	/* archive number, e.g. PV-2026-0012 */
	char *created;		/* UTC time text, from the clock */
	char *footer_fr, *footer_ar; /* a line above the page numbers */
	int landscape;		/* A4 turned sideways: wide tables */
	struct doc_block body;	/* a container of the top-level blocks */
};

/*
 * Reads rendered XML (len bytes) into a model for mode. name names the
 * template in messages ("convocation.xml: rendered line 12: ..."). The
 * caller frees the model with doc_free().
 */
enum majlis_status doc_from_xml(const char *name, const char *xml, size_t len,
				enum doc_mode mode, struct doc **out,
				struct buf *err);
/*
 * Checks a template's text as written (Mustache tags are plain text to
 * XML): well-formed, and only known elements and attributes. Problems are
 * "name:line: reason". fragment: a partial, which may hold several
 * elements.
 */
enum majlis_status doc_check_template(const char *name, const char *text,
				      size_t len, int fragment,
				      struct buf *err);
void doc_free(struct doc *d);

/* The plain text of a document, block by block, for the archive's search
 * and its diffs. */
void doc_text(const struct doc *d, struct buf *out);

/* "fr", "ar" or NULL. */
const char *doc_lang_code(enum doc_lang lang);
/* Parses "fr", "ar", "both". Returns 0 or -1. */
int doc_mode_parse(const char *s, enum doc_mode *out);

#endif
