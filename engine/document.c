/*
 * document.c - issuing documents (see document.h).
 *
 * Layout: finding templates and partials (the instance's first); the
 * documents object, with its renderer and archive made on first use;
 * expanding a template over data; issuing (render everything, file a
 * version); previews and data; checking the templates.
 */
#include "document.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "clock.h"
#include "mustache.h"
#include "store.h"
#include "sys.h"

/* A template or partial read from disk, kept for the object's life. */
struct loaded {
	char *name;		/* "convocation" or "partials/letterhead" */
	char *path;		/* where it was read, for messages */
	struct buf text;
};

struct documents {
	struct documents_config cfg;
	struct renderer *renderer; /* on first PDF */
	struct archive *archive;   /* on first issue */
	struct store *archive_store;
	struct loaded *files;
	size_t nfiles, capfiles;
};

enum majlis_status
documents_new(const struct documents_config *cfg, struct documents **out,
	      struct buf *err)
{
	struct documents *d;
	struct stat st;

	*out = NULL;
	if (stat(cfg->templates, &st) < 0 || !S_ISDIR(st.st_mode))
		return error(err, MAJLIS_ERR_CONFIG,
			     "no templates folder '%s'", cfg->templates);
	d = xcalloc(1, sizeof(*d));
	d->cfg = *cfg;
	*out = d;
	return MAJLIS_OK;
}

void
documents_free(struct documents *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].name);
		free(d->files[i].path);
		buf_release(&d->files[i].text);
	}
	free(d->files);
	renderer_free(d->renderer);
	archive_close(d->archive);
	free(d);
}

/*
 * The text of template or partial name ("proces-verbal",
 * "partials/letterhead"): the instance's file if there is one, else the
 * shipped one. NULL (and err says why) if neither can be read.
 */
static const struct loaded *
load(struct documents *d, const char *name, struct buf *err)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct loaded *l;
	int found = 0;

	for (size_t i = 0; i < d->nfiles; i++)
		if (!strcmp(d->files[i].name, name))
			return &d->files[i];
	for (int own = 1; own >= 0 && !found; own--) {
		const char *dir = own ? d->cfg.own_templates
				      : d->cfg.templates;

		if (!dir)
			continue;
		buf_setf(&path, "%s/%s.xml", dir, name);
		buf_reset(&text);
		if (file_read(path.data, 4u << 20, &text) == 0)
			found = 1;
		else if (errno != ENOENT)
			break;
	}
	if (!found) {
		error(err, MAJLIS_ERR_CONFIG, "cannot read template '%s': %s",
		      path.len ? path.data : name, strerror(errno));
		buf_release(&path);
		buf_release(&text);
		return NULL;
	}
	xgrow(&d->files, &d->capfiles, d->nfiles + 1, sizeof(*d->files));
	l = &d->files[d->nfiles++];
	l->name = xstrdup(name);
	l->path = buf_detach(&path, NULL);
	l->text = text;
	return l;
}

struct partial_ctx {
	struct documents *d;
	struct buf *err;
};

static const char *
find_partial(void *ctx, const char *name, size_t *len)
{
	struct partial_ctx *pc = ctx;
	struct buf full = BUF_INIT, scratch = BUF_INIT;
	const struct loaded *l;

	/* Partial names are words: never a path out of the folder. */
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return NULL;
	buf_setf(&full, "partials/%s", name);
	l = load(pc->d, full.data, &scratch);
	buf_release(&full);
	buf_release(&scratch);
	if (!l)
		return NULL;
	*len = l->text.len;
	return l->text.data;
}

/* Expands template tmpl over data, strictly, into xml. */
static enum majlis_status
expand(struct documents *d, const char *tmpl, json_t *data, struct buf *xml,
       struct buf *err)
{
	const struct loaded *l = load(d, tmpl, err);
	struct mustache *m;
	struct partial_ctx pc = { d, err };
	enum majlis_status rc;

	if (!l)
		return MAJLIS_ERR_CONFIG;
	rc = mustache_parse(l->path, l->text.data, l->text.len, &m, err);
	if (rc != MAJLIS_OK)
		return MAJLIS_ERR_CONFIG;
	rc = mustache_render(m, data, MUSTACHE_STRICT, find_partial, &pc, xml,
			     err);
	mustache_free(m);
	return rc == MAJLIS_OK ? MAJLIS_OK : MAJLIS_ERR_CONFIG;
}

static enum majlis_status
need_renderer(struct documents *d, struct buf *err)
{
	if (d->renderer)
		return MAJLIS_OK;
	return renderer_new(d->cfg.fonts, d->cfg.font_cache, 0, &d->renderer,
			    err);
}

struct renderer *
documents_renderer(struct documents *d, struct buf *err)
{
	return need_renderer(d, err) == MAJLIS_OK ? d->renderer : NULL;
}

static enum majlis_status
need_archive(struct documents *d, struct engine *e, struct buf *err)
{
	if (d->archive && d->archive_store == e->store)
		return MAJLIS_OK;
	archive_close(d->archive);
	d->archive = NULL;
	d->archive_store = e->store;
	return archive_open(e->store, d->cfg.archive, &d->archive, err);
}

static void
replace(char **field, const char *v)
{
	free(*field);
	*field = v ? xstrdup(v) : NULL;
}

/* Reads the expanded XML for mode, with the metadata only the engine
 * knows: the register number and the time of issue. */
static enum majlis_status
read_doc(const char *tmpl, const struct buf *xml, enum doc_mode mode,
	 const char *reg, const char *created, struct doc **out,
	 struct buf *err)
{
	struct buf name = BUF_INIT;
	enum majlis_status rc;

	buf_setf(&name, "%s.xml (expanded)", tmpl);
	rc = doc_from_xml(name.data, xml->data, xml->len, mode, out, err);
	buf_release(&name);
	if (rc != MAJLIS_OK)
		return MAJLIS_ERR_CONFIG;
	replace(&(*out)->register_no, reg);
	replace(&(*out)->created, created);
	return MAJLIS_OK;
}

static const char *const lang_names[] = { "fr", "ar", "both" };
static const enum doc_mode lang_modes[] = { MODE_FR, MODE_AR, MODE_BOTH };

static enum majlis_status
prepare(struct engine *e, const char *kind, int64_t id,
	const struct docdata_kind **k, json_t **data,
	struct docdata_meta *meta, struct buf *err)
{
	*data = NULL;
	*k = docdata_kind(kind);
	if (!*k)
		return error(err, MAJLIS_ERR_USAGE, "unknown document kind '%s'",
			     kind);
	if (!e->docs)
		BUG("documents without e->docs");
	return docdata_build(e, *k, id, clock_now(e->clock), data, meta, err);
}

enum majlis_status
documents_issue(struct engine *e, const char *kind, int64_t id, int force,
		const char *cause, struct document_issued *out,
		struct buf *err)
{
	struct documents *d = e->docs;
	const struct docdata_kind *k;
	struct docdata_meta meta;
	json_t *data;
	struct archive_entry ae;
	struct archive_doc ad;
	struct archive_file files[8];
	struct buf bytes[8], xml = BUF_INIT;
	char created[TIME_LEN];
	size_t nfiles = 0;
	int own_tx = 0;
	enum majlis_status rc;

	memset(out, 0, sizeof(*out));
	rc = prepare(e, kind, id, &k, &data, &meta, err);
	if (rc != MAJLIS_OK)
		return rc;
	for (size_t i = 0; i < 8; i++)
		buf_init(&bytes[i]);
	rc = need_renderer(d, err);
	if (rc == MAJLIS_OK)
		rc = need_archive(d, e, err);
	if (rc == MAJLIS_OK && !store_in_transaction(e->store)) {
		rc = store_begin(e->store, err);
		own_tx = rc == MAJLIS_OK;
	}
	if (rc == MAJLIS_OK) {
		memset(&ae, 0, sizeof(ae));
		ae.kind = k->name;
		ae.prefix = k->prefix;
		ae.subject = meta.subject;
		ae.year = meta.year;
		ae.title_fr = meta.title_fr.data;
		ae.title_ar = meta.title_ar.data;
		ae.body_id = meta.body_id;
		ae.session_id = meta.session_id;
		ae.meeting_id = meta.meeting_id;
		ae.dossier_id = meta.dossier_id;
		ae.petition_id = meta.petition_id;
		ae.decision_id = meta.decision_id;
		ae.person_id = meta.person_id;
		rc = archive_register(d->archive, &ae, clock_now(e->clock),
				      &ad, &out->is_new, err);
	}
	if (rc == MAJLIS_OK && k->once && ad.versions > 0 && !force) {
		/* Issued once: what was given stands. */
		snprintf(out->register_no, sizeof(out->register_no), "%s",
			 ad.register_no);
		out->version = ad.versions;
		goto done;
	}
	if (rc == MAJLIS_OK) {
		int64_t first;

		/* Every version bears the date of the first issue: reissued
		 * unchanged, a document files nothing new. */
		if (time_parse_utc(ad.created_at, &first) == 0)
			docdata_set_issued(e, data, first);
		json_object_set_new(data, "register",
				    json_string(ad.register_no));
		snprintf(out->register_no, sizeof(out->register_no), "%s",
			 ad.register_no);
		time_format_utc(clock_now(e->clock), created);
		rc = expand(d, k->tmpl, data, &xml, err);
	}
	/* Every language as PDF and Word; French and Arabic as text. */
	for (int l = 0; l < 3 && rc == MAJLIS_OK; l++) {
		struct doc *doc;
		int pages = 0;

		rc = read_doc(k->tmpl, &xml, lang_modes[l], ad.register_no,
			      created, &doc, err);
		if (rc != MAJLIS_OK)
			break;
		rc = render_doc(d->renderer, doc, FORMAT_PDF, &bytes[nfiles],
				&pages, err);
		if (rc == MAJLIS_OK) {
			files[nfiles].format = "pdf";
			files[nfiles].lang = lang_names[l];
			nfiles++;
			rc = render_doc(d->renderer, doc, FORMAT_DOCX,
					&bytes[nfiles], NULL, err);
		}
		if (rc == MAJLIS_OK) {
			files[nfiles].format = "docx";
			files[nfiles].lang = lang_names[l];
			nfiles++;
		}
		if (rc == MAJLIS_OK && lang_modes[l] != MODE_BOTH) {
			doc_text(doc, &bytes[nfiles]);
			files[nfiles].format = "txt";
			files[nfiles].lang = lang_names[l];
			nfiles++;
		}
		if (lang_modes[l] == MODE_BOTH)
			out->pages = pages;
		doc_free(doc);
	}
	if (rc == MAJLIS_OK) {
		for (size_t i = 0; i < nfiles; i++) {
			files[i].data = bytes[i].data;
			files[i].len = bytes[i].len;
			files[i].filename = NULL;
		}
		rc = archive_add_version(d->archive, ad.id, files, nfiles,
					 cause, clock_now(e->clock), force,
					 &out->version, &out->created, err);
	}
done:
	if (own_tx) {
		if (rc == MAJLIS_OK)
			rc = store_commit(e->store, err);
		else
			store_rollback(e->store);
	}
	for (size_t i = 0; i < 8; i++)
		buf_release(&bytes[i]);
	buf_release(&xml);
	json_decref(data);
	docdata_meta_release(&meta);
	return rc;
}

struct archive *
documents_archive(struct engine *e, struct buf *err)
{
	if (need_archive(e->docs, e, err) != MAJLIS_OK)
		return NULL;
	return e->docs->archive;
}

enum majlis_status
documents_find(struct engine *e, const char *kind, int64_t id,
	       struct document_issued *out, struct buf *err)
{
	const struct docdata_kind *k = docdata_kind(kind);
	struct docdata_meta meta;
	struct archive_doc ad;
	json_t *data;
	enum majlis_status rc;

	memset(out, 0, sizeof(*out));
	if (!k)
		return error(err, MAJLIS_ERR_USAGE, "unknown document kind '%s'",
			     kind);
	rc = need_archive(e->docs, e, err);
	if (rc != MAJLIS_OK)
		return rc;
	/* The subject is what the data builder says it is. */
	rc = docdata_build(e, k, id, clock_now(e->clock), &data, &meta, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = archive_find_subject(e->docs->archive, k->name, meta.subject, &ad,
				  err);
	if (rc == MAJLIS_OK) {
		snprintf(out->register_no, sizeof(out->register_no), "%s",
			 ad.register_no);
		out->version = ad.versions;
	}
	json_decref(data);
	docdata_meta_release(&meta);
	return rc;
}

enum majlis_status
documents_preview(struct engine *e, const char *kind, int64_t id,
		  enum doc_mode mode, enum render_format f, struct buf *out,
		  struct buf *err)
{
	struct documents *d = e->docs;
	const struct docdata_kind *k;
	struct docdata_meta meta;
	struct archive_doc ad;
	json_t *data;
	struct buf xml = BUF_INIT;
	struct doc *doc = NULL;
	char created[TIME_LEN];
	const char *reg = NULL;
	enum majlis_status rc;

	rc = prepare(e, kind, id, &k, &data, &meta, err);
	if (rc != MAJLIS_OK)
		return rc;
	if (need_archive(d, e, NULL) == MAJLIS_OK &&
	    archive_find_subject(d->archive, k->name, meta.subject, &ad,
				 NULL) == MAJLIS_OK) {
		int64_t first;

		reg = ad.register_no;
		json_object_set_new(data, "register", json_string(reg));
		if (time_parse_utc(ad.created_at, &first) == 0)
			docdata_set_issued(e, data, first);
	} else {
		/* A draft: no number until it is issued. */
		json_object_set_new(data, "register", json_string("—"));
	}
	time_format_utc(clock_now(e->clock), created);
	rc = expand(d, k->tmpl, data, &xml, err);
	if (rc == MAJLIS_OK)
		rc = read_doc(k->tmpl, &xml, mode, reg, created, &doc, err);
	if (rc == MAJLIS_OK && f == FORMAT_PDF)
		rc = need_renderer(d, err);
	if (rc == MAJLIS_OK)
		rc = render_doc(d->renderer, doc, f, out, NULL, err);
	doc_free(doc);
	buf_release(&xml);
	json_decref(data);
	docdata_meta_release(&meta);
	return rc;
}

enum majlis_status
documents_render_data(struct engine *e, const char *tmpl, json_t *data,
		      enum doc_mode mode, enum render_format f,
		      struct buf *out, int *pages, struct buf *err)
{
	struct documents *d = e->docs;
	struct buf xml = BUF_INIT;
	struct doc *doc = NULL;
	char created[TIME_LEN];
	enum majlis_status rc;

	if (!d)
		BUG("documents_render_data without e->docs");
	time_format_utc(clock_now(e->clock), created);
	rc = expand(d, tmpl, data, &xml, err);
	if (rc == MAJLIS_OK)
		rc = read_doc(tmpl, &xml, mode, NULL, created, &doc, err);
	if (rc == MAJLIS_OK && f == FORMAT_PDF)
		rc = need_renderer(d, err);
	if (rc == MAJLIS_OK)
		rc = render_doc(d->renderer, doc, f, out, pages, err);
	doc_free(doc);
	buf_release(&xml);
	return rc;
}

enum majlis_status
documents_data(struct engine *e, const char *kind, int64_t id,
	       struct buf *out, struct buf *err)
{
	const struct docdata_kind *k;
	struct docdata_meta meta;
	json_t *data;
	char *text;
	enum majlis_status rc = prepare(e, kind, id, &k, &data, &meta, err);

	if (rc != MAJLIS_OK)
		return rc;
	text = json_dumps(data, JSON_INDENT(2) | JSON_SORT_KEYS);
	buf_addstr(out, text);
	buf_addch(out, '\n');
	free(text);
	json_decref(data);
	docdata_meta_release(&meta);
	return MAJLIS_OK;
}

/* Checks one template file as written: syntax and vocabulary. */
static int
check_text(const struct loaded *l, int fragment, struct buf *err)
{
	struct mustache *m;
	int bad = 0;

	if (mustache_parse(l->path, l->text.data, l->text.len, &m, err) !=
	    MAJLIS_OK)
		return 1;
	mustache_free(m);
	if (doc_check_template(l->path, l->text.data, l->text.len, fragment,
			       err) != MAJLIS_OK)
		bad = 1;
	return bad;
}

/* Templates of papers that are not filed, rendered over data given to
 * documents_render_data(). */
static const char *const data_templates[] = { "etat", "calendrier" };

/* Checks template tmpl as written, then renders it strictly over its
 * sample (templates/samples/SAMPLE.json) and reads the result in every
 * language: an unknown field is reported with its file and line.
 * Returns the number of problems. */
static int
check_sample(struct documents *d, const char *tmpl, const char *sample_name,
	     struct buf *err)
{
	const struct loaded *l = load(d, tmpl, err);
	struct buf path = BUF_INIT, sample = BUF_INIT, xml = BUF_INIT;
	json_t *data;
	json_error_t jerr;
	int bad = 0;

	if (!l)
		return 1;
	if (check_text(l, 0, err))
		return 1;
	buf_setf(&path, "%s/samples/%s.json", d->cfg.templates, sample_name);
	if (file_read(path.data, 4u << 20, &sample) < 0) {
		error(err, MAJLIS_ERR_CONFIG,
		      "cannot read sample data '%s': %s", path.data,
		      strerror(errno));
		bad++;
	} else if (!(data = json_loadb(sample.data, sample.len, 0, &jerr))) {
		error(err, MAJLIS_ERR_CONFIG, "%s:%d: %s", path.data, jerr.line,
		      jerr.text);
		bad++;
	} else {
		if (expand(d, tmpl, data, &xml, err) != MAJLIS_OK) {
			bad++;
		} else {
			for (int m = 0; m < 3; m++) {
				struct doc *doc;

				if (read_doc(tmpl, &xml, lang_modes[m], "X",
					     NULL, &doc, err) != MAJLIS_OK) {
					bad++;
					break;
				}
				doc_free(doc);
			}
		}
		json_decref(data);
	}
	buf_release(&path);
	buf_release(&sample);
	buf_release(&xml);
	return bad;
}

enum majlis_status
documents_check(struct documents *d, struct buf *err)
{
	const struct docdata_kind *kinds;
	size_t n;
	int bad = 0;

	kinds = docdata_kinds(&n);
	for (size_t i = 0; i < n; i++)
		bad += check_sample(d, kinds[i].tmpl, kinds[i].name, err);
	/* The papers that are not filed (reports, agendas), over their
	 * samples too. */
	for (size_t i = 0; i < sizeof(data_templates) / sizeof(*data_templates);
	     i++)
		bad += check_sample(d, data_templates[i], data_templates[i],
				    err);
	/* Partials are checked as they are used, and as fragments here. */
	for (size_t i = 0; i < d->nfiles; i++)
		if (starts_with(d->files[i].name, "partials/"))
			bad += check_text(&d->files[i], 1, err);
	return bad ? MAJLIS_ERR_CONFIG : MAJLIS_OK;
}
