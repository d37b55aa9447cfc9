/*
 * render.h - drawing a document model (doc.h) as PDF, Word (.docx), HTML
 * or plain text. Layout knowledge lives here; wording lives in templates.
 *
 * The PDF renderer holds the fonts (only those of the fonts/ folder, with
 * majlis's own fontconfig configuration) and the pango contexts; keep one
 * for a batch of documents. Output bytes depend only on the document: the
 * same data and --now give the same file.
 */
#ifndef MAJLIS_RENDER_H
#define MAJLIS_RENDER_H

#include "buf.h"
#include "doc.h"
#include "status.h"

enum render_format {
	FORMAT_PDF,
	FORMAT_DOCX,
	FORMAT_HTML,
	FORMAT_TEXT,
};

/* Parses "pdf", "docx", "html", "txt". Returns 0 or -1. */
int render_format_parse(const char *s, enum render_format *out);
/* "pdf", "docx", "html", "txt"; and the MIME type. */
const char *render_format_name(enum render_format f);
const char *render_format_mime(enum render_format f);

struct renderer;

enum render_flags {
	RENDER_ANNOTATE = 1 << 0, /* outline lines, runs and baselines */
};

/*
 * A renderer using the fonts of fonts_dir (and its fonts.conf), keeping
 * fontconfig's cache of them in cache_dir (created if missing; an
 * instance keeps it in its own folder). The caller frees it with
 * renderer_free().
 */
enum majlis_status renderer_new(const char *fonts_dir, const char *cache_dir,
				unsigned flags, struct renderer **out,
				struct buf *err);
void renderer_free(struct renderer *r);

/* Appends the document in format f to out; *pages gets the page count
 * of a PDF (may be NULL). */
enum majlis_status render_doc(struct renderer *r, const struct doc *d,
			      enum render_format f, struct buf *out,
			      int *pages, struct buf *err);

/* The back-ends, called by render_doc(). */
enum majlis_status render_pdf(struct renderer *r, const struct doc *d,
			      struct buf *out, int *pages, struct buf *err);
enum majlis_status render_docx(const struct doc *d, struct buf *out,
			       struct buf *err);
enum majlis_status render_html(const struct doc *d, struct buf *out,
			       struct buf *err);

#endif
