/*
 * archive.h - the archive: every document majlis renders (and, from the
 * intake, every attachment it receives) filed for good.
 *
 * A document is one paper of the Commune with a register number that
 * never changes: PREFIX-YEAR-NNNN (e.g. PV-2026-0012), numbered per
 * prefix and year without gaps, and a classification (kind, body,
 * session, meeting, dossier, petition, decision, person). It has
 * versions, 1, 2, ...: each version is a set of files, one per format
 * and language (the PDF in Arabic, the Word file in French, the plain
 * text of each language for search and diff...).
 *
 * Files are stored content-addressed in the instance's archive folder,
 * named by their SHA-256 (DIR/archive/objects/ab/abcdef...), written
 * and synced before the rows that name them are committed, and never
 * overwritten: an object already present is left as it is. Rows of
 * document_version cannot be updated (a trigger refuses). Reading an
 * object checks its hash, so a damaged file is reported, never served.
 */
#ifndef MAJLIS_ARCHIVE_H
#define MAJLIS_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rec.h"
#include "status.h"

struct store;
struct archive;

/* What a document is about: its identity and its classification. */
struct archive_entry {
	const char *kind;	/* "convocation", "pv", "attachment"... */
	const char *prefix;	/* register prefix: "CONV", "PV", ... */
	const char *subject;	/* unique per kind: "meeting:12" */
	int year;		/* the register year (local, from the clock) */
	const char *title_fr, *title_ar;
	/* Classification; 0 when it does not apply. */
	int64_t body_id, session_id, meeting_id, dossier_id, petition_id,
		decision_id, person_id;
};

/* A registered document. */
struct archive_doc {
	int64_t id;
	char register_no[40];
	char created_at[24];	/* UTC, when first registered */
	int versions;		/* how many it has (0 just after registering) */
};

/* One file of a version. */
struct archive_file {
	const char *format;	/* "pdf", "docx", "html", "txt", or for an
				 * attachment its file type ("pdf", "jpg") */
	const char *lang;	/* "fr", "ar", "both", or "" when none */
	const void *data;
	size_t len;
	const char *filename;	/* an attachment's own name, or NULL */
};

/* The archive of store st, its objects under dir (created if missing). */
enum majlis_status archive_open(struct store *st, const char *dir,
				struct archive **out, struct buf *err);
void archive_close(struct archive *a);

/*
 * Finds the document of (e->kind, e->subject), or registers it with the
 * next number of e->prefix and e->year. Call inside the caller's
 * transaction: a rollback gives the number back. *is_new tells which.
 * The titles and classification of an existing document are updated to
 * e's (a meeting's title may be corrected); its number never changes.
 * A NULL subject registers a new document every time (a paper filed by
 * hand has nothing else to be found by). The prefix is 1 to 16 of A-Z
 * and 0-9; one kind keeps one prefix.
 */
enum majlis_status archive_register(struct archive *a,
				    const struct archive_entry *e, int64_t now,
				    struct archive_doc *out, int *is_new,
				    struct buf *err);

/*
 * Files files[0..n) as the next version of document doc_id, inside the
 * caller's transaction, with cause saying why (the audit's words: "cli",
 * "job 12"). Unless force, when the latest version has the same (format,
 * lang) set and the same text (the "txt" files; every file when there is
 * no text), nothing is filed: *version is the latest and *created 0.
 */
enum majlis_status archive_add_version(struct archive *a, int64_t doc_id,
				       const struct archive_file *files,
				       size_t n, const char *cause,
				       int64_t now, int force, int *version,
				       int *created, struct buf *err);

/* The document with register number reg (case-insensitive):
 * MAJLIS_ERR_NOTFOUND if none. */
enum majlis_status archive_find(struct archive *a, const char *reg,
				struct archive_doc *out, struct buf *err);

/* The document of (kind, subject), if registered: MAJLIS_ERR_NOTFOUND,
 * with no message, if not. */
enum majlis_status archive_find_subject(struct archive *a, const char *kind,
					const char *subject,
					struct archive_doc *out,
					struct buf *err);

struct archive_filter {
	const char *kind;	/* or NULL */
	int year;		/* or 0 */
	const char *body;	/* a body's code, or NULL */
	int64_t meeting_id;	/* or 0 */
	int64_t dossier_id;	/* or 0 */
	int64_t petition_id;	/* or 0 */
};

/* One record per document, in register order: register_no, kind, year,
 * title_fr, title_ar, body, meeting_id, dossier_id, petition_id,
 * decision_id, person_id, versions, created_at, updated_at. */
enum majlis_status archive_list(struct archive *a,
				const struct archive_filter *f, rec_cb cb,
				void *ctx, struct buf *err);

/* The document's record (as archive_list) with a list "files": one
 * record per file of every version (version, format, lang, sha256, size,
 * filename, cause, created_at). */
enum majlis_status archive_show(struct archive *a, const char *reg,
				rec_cb cb, void *ctx, struct buf *err);

/*
 * Appends to out the file of document reg, version (0: the latest that
 * has it), format and lang (NULL: the only one, or "both", then "ar",
 * then "fr"). MAJLIS_ERR_NOTFOUND if there is no such file;
 * MAJLIS_ERR_DATA if the object is missing or its hash is wrong.
 */
enum majlis_status archive_get(struct archive *a, const char *reg,
			       int version, const char *format,
			       const char *lang, struct buf *out,
			       struct buf *err);

/*
 * Where archive_fetch() found a file: the version, format and language
 * it chose, and the object's address and size.
 */
struct archive_fileinfo {
	int version;		/* the version it belongs to */
	char format[17];	/* "pdf", "txt"... */
	char lang[8];		/* "fr", "ar", "both" or "" */
	char sha256[65];	/* the object's name, lower-case hex */
	int64_t size;		/* its size in bytes */
};

/*
 * As archive_get(), and tells which file it chose in *info. With out
 * NULL it only finds the file, without reading it. A NULL format means
 * the only one, or else "pdf"; when there is no PDF among several
 * formats it fails with MAJLIS_ERR_USAGE naming them.
 */
enum majlis_status archive_fetch(struct archive *a, const char *reg,
				 int version, const char *format,
				 const char *lang,
				 struct archive_fileinfo *info,
				 struct buf *out, struct buf *err);

/* The diff refuses texts longer than this many lines... */
#define ARCHIVE_DIFF_MAX_LINES 200000
/* ...or so far apart that finding the shortest diff would take more
 * than this many steps (about a second). */
#define ARCHIVE_DIFF_MAX_STEPS 200000000

/*
 * Appends to out a unified diff (as diff -u prints it, with labels
 * "REG vN (lang)") of the text of two versions of document reg in lang
 * (NULL: as archive_get). v1, v2 of 0 mean the one before the latest
 * and the latest (v1 of 0 with v2 given: the one before v2). *changed
 * is set to whether they differ. Texts beyond the limits above are
 * refused with MAJLIS_ERR_DATA.
 */
enum majlis_status archive_diff(struct archive *a, const char *reg, int v1,
				int v2, const char *lang, struct buf *out,
				int *changed, struct buf *err);

/* The same diff of any two texts, with the labels given. */
enum majlis_status archive_diff_texts(const char *t1, size_t len1,
				      const char *t2, size_t len2,
				      const char *label1, const char *label2,
				      struct buf *out, int *changed,
				      struct buf *err);

/*
 * Full-text search over the text of the latest version of every
 * document, in French and Arabic alike: accents, Arabic vowel marks,
 * tatweel and letter variants (أ إ آ ا, ى ي, ة ه) do not matter, nor do
 * the article and attached particles of Arabic words (المجلس, والمجلس
 * and مجلس all match مجلس). One record per document found, best first,
 * with a snippet.
 */
enum majlis_status archive_search(struct archive *a, const char *query,
				  rec_cb cb, void *ctx, struct buf *err);

/* Checks every object the store names: present, of the right size and
 * hash. One record per problem (register_no, version, format, lang,
 * sha256, size, path, problem) to cb, which may be NULL; *bad counts
 * them. */
enum majlis_status archive_verify(struct archive *a, rec_cb cb, void *ctx,
				  int *bad, struct buf *err);

/* The largest file the archive takes (and archive_attach's callers read). */
#define ARCHIVE_MAX_FILE (256u << 20)

/*
 * The format of a file from outside, for its archive_file.format: the
 * extension of filename, lower-cased ("jpeg" reads as "jpg"), or, when
 * it has none that fits, a guess from the first bytes ("pdf", "png",
 * "jpg", "zip") or "bin". out holds at least 17 bytes.
 */
void archive_file_format(const char *filename, const void *data, size_t len,
			 char *out);

/*
 * Files outside files (a scanned letter, a signed PDF, a mail's
 * attachment) as one version of a document of kind "attachment", prefix
 * "PJ", inside the caller's transaction. With reg NULL, registers a
 * document from e (its kind and prefix are ignored; a NULL subject makes
 * a new one every time, a subject such as "mail:<id>/2" finds it again).
 * With reg, files the next version of that attachment and updates only
 * what e gives (titles that are not NULL, ids that are not 0). When
 * e->body_id is 0 it is taken from the meeting, dossier or petition.
 * A file whose format is NULL gets archive_file_format()'s; a "txt"
 * file must be UTF-8. As archive_add_version() otherwise (force 0):
 * *version, *created.
 */
enum majlis_status archive_attach(struct archive *a, const char *reg,
				  const struct archive_entry *e,
				  const struct archive_file *files, size_t n,
				  const char *cause, int64_t now,
				  struct archive_doc *out, int *version,
				  int *created, struct buf *err);

#endif
