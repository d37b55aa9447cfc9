/*
 * document.h - issuing documents: the data of a kind (docdata.h) through
 * its template (templates/KIND.xml, Mustache in strict mode over the
 * document vocabulary of doc.h) into the document model, drawn as PDF
 * and Word files in Arabic, in French and in both, and filed in the
 * archive (archive.h) as a new version when its text changed.
 *
 * Templates come from the shipped templates folder, each overridden by a
 * file of the same name in the instance's own templates/ folder; partials
 * ({{> letterhead}}) from their partials/ subfolders, the same way.
 */
#ifndef MAJLIS_DOCUMENT_H
#define MAJLIS_DOCUMENT_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "doc.h"
#include "docdata.h"
#include "engine.h"
#include "render.h"
#include "status.h"

struct documents;

struct documents_config {
	const char *templates;	   /* the shipped templates folder */
	const char *own_templates; /* the instance's, or NULL */
	const char *fonts;	   /* the fonts folder (fonts.conf) */
	const char *font_cache;	   /* fontconfig's cache, or NULL */
	const char *archive;	   /* the archive folder (archive.h) */
};

/* The caller keeps cfg's strings alive as long as the documents. */
enum majlis_status documents_new(const struct documents_config *cfg,
				 struct documents **out, struct buf *err);
void documents_free(struct documents *d);

/* What issuing a document did. */
struct document_issued {
	char register_no[40];
	int version;		/* the version filed, or the latest */
	int created;		/* a new version was filed */
	int is_new;		/* the register number was just given */
	int pages;		/* pages of the bilingual PDF */
};

/*
 * Renders document kind about object id (docdata.h) in every language
 * and format, and files it in the archive: a new register number the
 * first time, a new version when its text changed (or force). Runs in
 * the caller's transaction (a job's), or its own when none is open.
 * cause says why, for the archive ("cli", "job 12").
 */
enum majlis_status documents_issue(struct engine *e, const char *kind,
				   int64_t id, int force, const char *cause,
				   struct document_issued *out,
				   struct buf *err);

/*
 * Renders one language and format of the document without filing it (a
 * preview, for someone editing a template): appended to out. It shows
 * the register number if the archive has one, or none.
 */
enum majlis_status documents_preview(struct engine *e, const char *kind,
				     int64_t id, enum doc_mode mode,
				     enum render_format f, struct buf *out,
				     struct buf *err);

/*
 * Renders template tmpl ("etat", "calendrier": templates/NAME.xml, checked
 * by documents_check() over templates/samples/NAME.json) over data, in
 * mode and format f, filing nothing: the papers that are not archived
 * (reports, agendas). *pages gets a PDF's page count (may be NULL).
 */
enum majlis_status documents_render_data(struct engine *e, const char *tmpl,
					 json_t *data, enum doc_mode mode,
					 enum render_format f,
					 struct buf *out, int *pages,
					 struct buf *err);

/* The data a template of kind sees for object id, as indented JSON. */
enum majlis_status documents_data(struct engine *e, const char *kind,
				  int64_t id, struct buf *out,
				  struct buf *err);

/*
 * Checks every template (and the instance's overrides): Mustache syntax,
 * the document vocabulary, and a strict render of each over its sample
 * data (templates/samples/KIND.json), read in every language, so that a
 * misspelt field is reported with its file and line before any document
 * is issued. Problems are appended to err, one a line.
 */
enum majlis_status documents_check(struct documents *d, struct buf *err);

/* The archive the documents are filed in (opened on first use). */
struct archive *documents_archive(struct engine *e, struct buf *err);

/* The renderer of the documents, made on first use (NULL, with the
 * reason in err, if the fonts cannot be loaded): the digest's chart
 * draws its text with the same fonts. Owned by d. */
struct renderer *documents_renderer(struct documents *d, struct buf *err);

/* The document of kind about object id in the archive, if any:
 * register number and latest version. MAJLIS_ERR_NOTFOUND if none. */
enum majlis_status documents_find(struct engine *e, const char *kind,
				  int64_t id, struct document_issued *out,
				  struct buf *err);

#endif
