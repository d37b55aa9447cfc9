/*
 * archive.c - the archive: registered documents, their versions, and
 * the content-addressed files they are made of (see archive.h).
 *
 * Layout: the handle and small helpers; objects (write, read, check);
 * text for search (UTF-8, Arabic normalisation, particles, words); the
 * search index; registering and filing versions; finding, listing and
 * showing; getting a file; the diff; search; verify; attachments.
 *
 * Objects are written before the rows that name them: a crash between
 * the two leaves an object that no row names, which costs only its
 * space, never a row that names nothing. An object is written to a
 * temporary file in its own folder, synced, then linked to its name, so
 * that an object already there is never replaced, not even by another
 * writer of the same bytes; its folder is synced last. Objects are made
 * read-only, and reading one checks its size and SHA-256.
 *
 * Search is FTS5 with the unicode61 tokenizer and remove_diacritics 2,
 * which folds French case and accents but knows nothing of Arabic: its
 * vowel marks split words, and its letter variants, tatweel and attached
 * article do not match. So we normalise Arabic ourselves, the
 * same way on both sides: what is indexed and what is asked. Each
 * document has one row (rowid = document.id) of three columns:
 *   orig  the latest version's text as filed, not indexed (snippets);
 *   norm  register number, titles and that text, normalised;
 *   bare  the Arabic words of norm without article or particles.
 * A word of a query matches when it is in norm as written (normalised)
 * or in bare without its own article and particles.
 */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "defs.h"
#include "fold.h"
#include "store.h"
#include "sys.h"

struct archive {
	struct store *st;	/* the instance's store, not owned */
	char *objects;		/* DIR/objects */
};

/* SHA-256 in lower-case hex, and its NUL. */
#define HEX_LEN 65

/* Longest search query, and most words in one. */
#define QUERY_MAX_BYTES 1000
#define QUERY_MAX_WORDS 32

/* Words shown before and after the first match in a snippet, and the
 * most bytes it takes (a "word" may be a long run without spaces). */
#define SNIPPET_BEFORE 6
#define SNIPPET_AFTER 12
#define SNIPPET_MAX 400

/* Lines of context around each change in a diff, as diff -u. */
#define DIFF_CONTEXT 3

static void
bind_id(struct stmt *s, int idx, int64_t id)
{
	if (id)
		stmt_bind_int(s, idx, id);
	else
		stmt_bind_text(s, idx, NULL);
}

static enum majlis_status
store_failed(struct archive *a, struct buf *err, const char *what)
{
	return error(err, MAJLIS_ERR_STORE, "%s: %s", what,
		     store_errmsg(a->st));
}

/* Runs a statement that returns no row, then releases it. */
static enum majlis_status
stmt_run(struct archive *a, struct stmt *s, const char *what,
	 struct buf *err)
{
	int rc;

	while ((rc = stmt_step(s)) == 1)
		;
	if (rc < 0) {
		enum majlis_status e = store_failed(a, err, what);

		stmt_done(s);
		return e;
	}
	stmt_done(s);
	return MAJLIS_OK;
}

static int
is_lower_alnum(const char *s, size_t max)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9')))
			return 0;
	return n >= 1 && n <= max;
}

static int
lang_ok(const char *lang)
{
	return !*lang || !strcmp(lang, "fr") || !strcmp(lang, "ar") ||
	       !strcmp(lang, "both");
}

enum majlis_status
archive_open(struct store *st, const char *dir, struct archive **out,
	     struct buf *err)
{
	struct buf path = BUF_INIT;
	struct archive *a;

	*out = NULL;
	if (sodium_init() < 0)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libsodium cannot be initialised");
	a = xcalloc(1, sizeof(*a));
	a->st = st;
	buf_addf(&path, "%s/objects", dir);
	a->objects = buf_detach(&path, NULL);
	if (mkdir_p(a->objects, 0755) < 0) {
		enum majlis_status rc = error(err, MAJLIS_ERR_IO,
					      "cannot create '%s': %s",
					      a->objects, strerror(errno));

		archive_close(a);
		return rc;
	}
	*out = a;
	return MAJLIS_OK;
}

void
archive_close(struct archive *a)
{
	if (!a)
		return;
	free(a->objects);
	free(a);
}

/*
 * Objects.
 */

static void
sha256_hex(const void *data, size_t len, char hex[HEX_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, HEX_LEN, h, sizeof(h));
}

/* A row's sha256 is checked before it becomes a path. */
static int
is_sha_hex(const char *s)
{
	size_t i;

	for (i = 0; i < HEX_LEN - 1; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

static void
object_path(struct archive *a, const char *hex, struct buf *out)
{
	buf_reset(out);
	buf_addf(out, "%s/%.2s/%s", a->objects, hex, hex);
}

static int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) < 0)
		rc = -1;
	close(fd);
	return rc;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes the object hex holding data, unless it is there already. */
static enum majlis_status
object_write(struct archive *a, const char *hex, const void *data, size_t len,
	     struct buf *err)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, tmp = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	struct stat sb;
	int fd = -1, made_dir = 0;

	buf_addf(&dir, "%s/%.2s", a->objects, hex);
	object_path(a, hex, &path);
	if (stat(path.data, &sb) == 0) {
		/*
		 * Never rewritten, not even to mend it: a file of the wrong
		 * size is damage for a person to look at (verify names it),
		 * and naming it again would file a version nobody can read.
		 */
		if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != len)
			rc = error(err, MAJLIS_ERR_DATA,
				   "object '%s' is in the archive but damaged "
				   "(%lld bytes, expected %zu): restore it "
				   "from a backup",
				   path.data, (long long)sb.st_size, len);
		goto out;
	}
	if (errno != ENOENT) {
		rc = error(err, MAJLIS_ERR_IO, "cannot look at '%s': %s",
			   path.data, strerror(errno));
		goto out;
	}
	if (mkdir(dir.data, 0755) == 0)
		made_dir = 1;
	else if (errno != EEXIST) {
		rc = error(err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			   dir.data, strerror(errno));
		goto out;
	}
	buf_addf(&tmp, "%s/.tmp-XXXXXX", dir.data);
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		rc = error(err, MAJLIS_ERR_IO,
			   "cannot create a file in '%s': %s", dir.data,
			   strerror(errno));
		buf_reset(&tmp);
		goto out;
	}
	if (fchmod(fd, 0444) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s",
			   tmp.data, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = error(err, MAJLIS_ERR_IO, "cannot write '%s': %s",
			   tmp.data, strerror(errno));
		goto out;
	}
	fd = -1;
	/* link() never replaces: EEXIST means another writer of the same
	 * bytes was first, which is as good. */
	if (link(tmp.data, path.data) < 0 && errno != EEXIST) {
		rc = error(err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			   path.data, strerror(errno));
		goto out;
	}
	if (fsync_dir(dir.data) < 0 || (made_dir && fsync_dir(a->objects) < 0))
		rc = error(err, MAJLIS_ERR_IO, "cannot sync '%s': %s",
			   dir.data, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.data);
	buf_release(&tmp);
	buf_release(&path);
	buf_release(&dir);
	return rc;
}

/* Appends object hex, of size bytes, to out after checking it. what
 * names it in messages ("PV-2026-0001 v2 pdf (fr)"). */
static enum majlis_status
object_read(struct archive *a, const char *hex, int64_t size,
	    const char *what, struct buf *out, struct buf *err)
{
	struct buf path = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	size_t start = out->len;
	char got[HEX_LEN];

	if (!is_sha_hex(hex) || size < 0 || (uint64_t)size > SIZE_MAX / 2)
		return error(err, MAJLIS_ERR_DATA,
			     "%s names a malformed object '%s'", what, hex);
	object_path(a, hex, &path);
	if (file_read(path.data, start + (size_t)size, out) < 0) {
		int e = errno;

		buf_truncate(out, start);
		if (e == ENOENT)
			rc = error(err, MAJLIS_ERR_DATA,
				   "%s: its object '%s' is missing", what,
				   path.data);
		else if (e == EFBIG)
			rc = error(err, MAJLIS_ERR_DATA,
				   "%s: its object '%s' is damaged (larger "
				   "than its %lld bytes)",
				   what, path.data, (long long)size);
		else
			rc = error(err, MAJLIS_ERR_IO, "cannot read '%s': %s",
				   path.data, strerror(e));
		goto out;
	}
	if (out->len - start != (size_t)size) {
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s: its object '%s' is damaged (%zu bytes, "
			   "expected %lld)",
			   what, path.data, out->len - start, (long long)size);
		buf_truncate(out, start);
		goto out;
	}
	sha256_hex(out->data + start, (size_t)size, got);
	if (strcmp(got, hex)) {
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s: its object '%s' is damaged (its SHA-256 is "
			   "%s)",
			   what, path.data, got);
		buf_truncate(out, start);
	}
out:
	buf_release(&path);
	return rc;
}

/* Checks an object without keeping it in memory: puts what is wrong
 * into why, or leaves it empty. */
static void
object_check(struct archive *a, const char *hex, int64_t size,
	     struct buf *why)
{
	crypto_hash_sha256_state h;
	unsigned char sum[crypto_hash_sha256_BYTES], chunk[65536];
	char got[HEX_LEN];
	struct buf path = BUF_INIT;
	int64_t total = 0;
	ssize_t n;
	int fd;

	buf_reset(why);
	if (!is_sha_hex(hex)) {
		buf_addstr(why, "malformed object name");
		return;
	}
	object_path(a, hex, &path);
	fd = open(path.data, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_addstr(why, errno == ENOENT ? "missing" : strerror(errno));
		buf_release(&path);
		return;
	}
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_addf(why, "cannot read: %s", strerror(errno));
			goto out;
		}
		crypto_hash_sha256_update(&h, chunk, (unsigned long long)n);
		total += n;
	}
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(got, sizeof(got), sum, sizeof(sum));
	if (total != size)
		buf_addf(why, "damaged: %lld bytes, expected %lld",
			 (long long)total, (long long)size);
	else if (strcmp(got, hex))
		buf_addf(why, "damaged: its SHA-256 is %s", got);
out:
	close(fd);
	buf_release(&path);
}

/*
 * Text for search: UTF-8 read and folded by fold.h.
 */

/*
 * Where the stem of a normalised Arabic word starts: after the article
 * with its attached particles (وال بال كال فال لل ولل ال,
 * when two letters or more remain), then after one attached و ف ب ل
 * (when three or more remain, so that short words keep their first
 * letter). The second step also follows the first so that both sides
 * agree whatever they start with: اللجنة and لجنة both give جنه,
 * as البلدية and بلدية give لديه. Such stems are keys, not words:
 * they cost a little precision for recall.
 */
static size_t
arabic_stem(const char *w, size_t len)
{
	static const char *const articles[] = {
		"ولل", "وال", "بال", "كال", "فال", "لل", "ال", NULL,
	};
	static const char *const particles[] = { "و", "ف", "ب", "ل", NULL };
	size_t i, n = utf8_count(w, len), plen, at = 0;

	for (i = 0; articles[i]; i++) {
		plen = strlen(articles[i]);
		if (len > plen && !memcmp(w, articles[i], plen) &&
		    n - utf8_count(articles[i], plen) >= 2) {
			at = plen;
			n -= utf8_count(articles[i], plen);
			break;
		}
	}
	for (i = 0; particles[i] && n >= 4; i++) {
		plen = strlen(particles[i]);
		if (!memcmp(w + at, particles[i], plen))
			return at + plen;
	}
	return at;
}

/* Appends the stems of the Arabic words of normalised text s, one space
 * apart. */
static void
bare_text(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start = 0, at;
	int in_word = 0;

	while (i <= len) {
		uint32_t c = 0;

		at = i;
		if (i < len)
			c = utf8_next(s, len, &i);
		else
			i++;
		if (c && is_arabic_letter(c)) {
			if (!in_word)
				start = at;
			in_word = 1;
			continue;
		}
		if (in_word) {
			size_t stem = arabic_stem(s + start, at - start);

			if (out->len)
				buf_addch(out, ' ');
			buf_add(out, s + start + stem, at - start - stem);
		}
		in_word = 0;
	}
}

/* The key a word is compared by in snippets: folded, normalised, and
 * for an Arabic word, its stem. */
static void
word_key(const char *w, size_t len, struct buf *out)
{
	size_t i = 0, stem;

	buf_reset(out);
	while (i < len)
		fold_key_add(out, utf8_next(w, len, &i));
	i = 0;
	if (out->len && is_arabic_letter(utf8_next(out->data, out->len, &i))) {
		stem = arabic_stem(out->data, out->len);
		memmove(out->data, out->data + stem, out->len - stem);
		buf_truncate(out, out->len - stem);
	}
}

struct span {
	size_t start, end;	/* a word's bytes in its text */
};

/* The words of s (runs of word characters), in a growing array. */
static size_t
text_words(const char *s, size_t len, struct span **words, size_t *cap)
{
	size_t i = 0, at, n = 0, start = 0;
	int in_word = 0;

	while (i <= len) {
		uint32_t c = 0;

		at = i;
		if (i < len)
			c = utf8_next(s, len, &i);
		else
			i++;
		if (c && is_word_char(c)) {
			if (!in_word)
				start = at;
			in_word = 1;
			continue;
		}
		if (in_word) {
			xgrow(words, cap, n + 1, sizeof(**words));
			(*words)[n].start = start;
			(*words)[n].end = at;
			n++;
		}
		in_word = 0;
	}
	return n;
}

/*
 * The search index.
 */

/* Rewrites document id's row of the index from its register number,
 * titles and text (NULL: the text indexed now, when only the titles
 * change). */
static enum majlis_status
index_document(struct archive *a, int64_t id, const char *text,
	       struct buf *err)
{
	struct buf orig = BUF_INIT, all = BUF_INIT, norm = BUF_INIT,
		   bare = BUF_INIT;
	enum majlis_status rc = MAJLIS_OK;
	struct stmt *s;

	if (text) {
		buf_addstr(&orig, text);
	} else {
		rc = store_get_text(a->st, err, &orig,
				    "SELECT orig FROM document_fts"
				    " WHERE rowid = ?1",
				    "i", id);
		if (rc == MAJLIS_ERR_NOTFOUND)
			rc = MAJLIS_OK;
		if (rc != MAJLIS_OK)
			goto out;
	}
	s = store_prepare(a->st, "SELECT register_no, title_fr, title_ar"
				 " FROM document WHERE id = ?1");
	stmt_bind(s, "i", id);
	if (stmt_step(s) != 1) {
		rc = store_failed(a, err, "cannot index a document");
		stmt_done(s);
		goto out;
	}
	buf_addf(&all, "%s\n%s\n%s\n", stmt_text(s, 0), stmt_text(s, 1),
		 stmt_text(s, 2));
	stmt_done(s);
	buf_add(&all, orig.data, orig.len);
	fold_norm(all.data, all.len, &norm);
	bare_text(norm.data, norm.len, &bare);
	rc = store_exec(a->st, err, "DELETE FROM document_fts WHERE rowid = ?1",
			"i", id);
	if (rc == MAJLIS_OK)
		rc = store_exec(a->st, err,
				"INSERT INTO document_fts(rowid, orig, norm,"
				" bare) VALUES (?1, ?2, ?3, ?4)",
				"isss", id, orig.data, norm.data, bare.data);
out:
	buf_release(&orig);
	buf_release(&all);
	buf_release(&norm);
	buf_release(&bare);
	return rc;
}

/*
 * Registering and filing.
 */

#define DOC_SELECT                                                        \
	"SELECT d.id, d.register_no, d.created_at,"                       \
	" (SELECT coalesce(max(v.version), 0) FROM document_version v"    \
	"  WHERE v.document_id = d.id)"                                   \
	" FROM document d "

/* Steps s (a DOC_SELECT) and fills out: MAJLIS_ERR_NOTFOUND, without
 * a message, when there is no row. */
static enum majlis_status
doc_fill(struct archive *a, struct stmt *s, struct archive_doc *out,
	 struct buf *err)
{
	enum majlis_status rc = MAJLIS_OK;

	memset(out, 0, sizeof(*out));
	switch (stmt_step(s)) {
	case 1:
		out->id = stmt_int(s, 0);
		snprintf(out->register_no, sizeof(out->register_no), "%s",
			 stmt_text(s, 1));
		snprintf(out->created_at, sizeof(out->created_at), "%s",
			 stmt_text(s, 2));
		out->versions = (int)stmt_int(s, 3);
		break;
	case 0:
		rc = MAJLIS_ERR_NOTFOUND;
		break;
	default:
		rc = store_failed(a, err, "cannot read a document");
	}
	stmt_done(s);
	return rc;
}

static enum majlis_status
doc_by_id(struct archive *a, int64_t id, struct archive_doc *out,
	  struct buf *err)
{
	struct stmt *s = store_prepare(a->st, DOC_SELECT "WHERE d.id = ?1");

	stmt_bind(s, "i", id);
	return doc_fill(a, s, out, err);
}

static int
prefix_ok(const char *p)
{
	size_t n;

	if (!p)
		return 0;
	for (n = 0; p[n]; n++)
		if (!((p[n] >= 'A' && p[n] <= 'Z') ||
		      (p[n] >= '0' && p[n] <= '9')))
			return 0;
	return n >= 1 && n <= 16;
}

/* Binds the classification of e to ?first.. in archive_entry order:
 * body, session, meeting, dossier, petition, decision, person. */
static void
bind_classification(struct stmt *s, int first, const struct archive_entry *e)
{
	bind_id(s, first, e->body_id);
	bind_id(s, first + 1, e->session_id);
	bind_id(s, first + 2, e->meeting_id);
	bind_id(s, first + 3, e->dossier_id);
	bind_id(s, first + 4, e->petition_id);
	bind_id(s, first + 5, e->decision_id);
	bind_id(s, first + 6, e->person_id);
}

/* Updates an existing document's titles and classification to e's. */
static enum majlis_status
doc_update(struct archive *a, int64_t id, const struct archive_entry *e,
	   const char *now, struct buf *err)
{
	struct stmt *s;
	enum majlis_status rc;
	int titles;

	s = store_prepare(a->st,
			  "SELECT title_fr IS NOT ?2 OR title_ar IS NOT ?3"
			  " FROM document WHERE id = ?1");
	stmt_bind(s, "iss", id, e->title_fr, e->title_ar);
	titles = stmt_step(s) == 1 && stmt_int(s, 0);
	stmt_done(s);
	s = store_prepare(a->st,
			  "UPDATE document SET title_fr = ?2, title_ar = ?3,"
			  " body_id = ?4, session_id = ?5, meeting_id = ?6,"
			  " dossier_id = ?7, petition_id = ?8,"
			  " decision_id = ?9, person_id = ?10,"
			  " updated_at = ?11"
			  " WHERE id = ?1 AND (title_fr IS NOT ?2"
			  " OR title_ar IS NOT ?3 OR body_id IS NOT ?4"
			  " OR session_id IS NOT ?5 OR meeting_id IS NOT ?6"
			  " OR dossier_id IS NOT ?7 OR petition_id IS NOT ?8"
			  " OR decision_id IS NOT ?9 OR person_id IS NOT ?10)");
	stmt_bind(s, "iss", id, e->title_fr, e->title_ar);
	bind_classification(s, 4, e);
	stmt_bind_text(s, 11, now);
	rc = stmt_run(a, s, "cannot update a document", err);
	if (rc == MAJLIS_OK && titles)
		rc = index_document(a, id, NULL, err);
	return rc;
}

enum majlis_status
archive_register(struct archive *a, const struct archive_entry *e,
		 int64_t now, struct archive_doc *out, int *is_new,
		 struct buf *err)
{
	char when[TIME_LEN], reg[sizeof(out->register_no)], counter[64];
	enum majlis_status rc;
	struct stmt *s;
	int64_t seq;

	if (!store_in_transaction(a->st))
		BUG("archive_register outside a transaction");
	*is_new = 0;
	memset(out, 0, sizeof(*out));
	if (!e->kind || !*e->kind)
		return error(err, MAJLIS_ERR_USAGE, "a document needs a kind");
	if (!prefix_ok(e->prefix))
		return error(err, MAJLIS_ERR_USAGE,
			     "bad register prefix '%s' (1 to 16 of A-Z, 0-9)",
			     e->prefix ? e->prefix : "");
	if (e->year < 1000 || e->year > 9999)
		return error(err, MAJLIS_ERR_USAGE, "bad register year %d",
			     e->year);
	if (!e->title_fr || !e->title_ar)
		return error(err, MAJLIS_ERR_USAGE,
			     "a document needs a French and an Arabic title");
	time_format_utc(now, when);
	if (e->subject) {
		rc = archive_find_subject(a, e->kind, e->subject, out, err);
		if (rc == MAJLIS_OK)
			return doc_update(a, out->id, e, when, err);
		if (rc != MAJLIS_ERR_NOTFOUND)
			return rc;
	}
	snprintf(counter, sizeof(counter), "register/%s/%d", e->prefix,
		 e->year);
	rc = store_counter_next(a->st, err, counter, &seq);
	if (rc != MAJLIS_OK)
		return rc;
	snprintf(reg, sizeof(reg), "%s-%d-%04lld", e->prefix, e->year,
		 (long long)seq);
	s = store_prepare(a->st,
			  "INSERT INTO document(register_no, kind, year, seq,"
			  " title_fr, title_ar, body_id, session_id,"
			  " meeting_id, dossier_id, petition_id, decision_id,"
			  " person_id, subject, created_at, updated_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			  " ?11, ?12, ?13, ?14, ?15, ?15)");
	stmt_bind(s, "ssdiss", reg, e->kind, e->year, seq, e->title_fr,
		  e->title_ar);
	bind_classification(s, 7, e);
	stmt_bind_text(s, 14, e->subject);
	stmt_bind_text(s, 15, when);
	rc = stmt_run(a, s, "cannot register a document", err);
	if (rc == MAJLIS_OK)
		rc = index_document(a, store_last_id(a->st), "", err);
	if (rc == MAJLIS_OK)
		rc = doc_by_id(a, store_last_id(a->st), out, err);
	if (rc == MAJLIS_OK)
		*is_new = 1;
	return rc;
}

/* Whether the files (with their hashes) are the latest version again:
 * the same (format, lang) set, and the same text, or the same files
 * when there is no text. */
static enum majlis_status
same_as_version(struct archive *a, int64_t doc_id, int version,
		const struct archive_file *files, char (*sha)[HEX_LEN],
		size_t n, int *same, struct buf *err)
{
	struct stmt *s;
	size_t i, rows = 0, matched = 0;
	int has_text = 0, rc;

	for (i = 0; i < n; i++)
		if (!strcmp(files[i].format, "txt"))
			has_text = 1;
	*same = 1;
	s = store_prepare(a->st, "SELECT format, lang, sha256"
				 " FROM document_version"
				 " WHERE document_id = ?1 AND version = ?2");
	stmt_bind(s, "id", doc_id, version);
	while ((rc = stmt_step(s)) == 1) {
		const char *format = stmt_text(s, 0), *lang = stmt_text(s, 1);

		rows++;
		for (i = 0; i < n; i++)
			if (!strcmp(files[i].format, format) &&
			    !strcmp(files[i].lang ? files[i].lang : "", lang))
				break;
		if (i == n) {
			*same = 0;
			continue;
		}
		matched++;
		if ((!has_text || !strcmp(format, "txt")) &&
		    strcmp(sha[i], stmt_text(s, 2)))
			*same = 0;
	}
	stmt_done(s);
	if (rc < 0)
		return store_failed(a, err, "cannot read a version");
	if (rows != n || matched != n)
		*same = 0;
	return MAJLIS_OK;
}

static enum majlis_status
check_files(const struct archive_file *files, size_t n, struct buf *err)
{
	size_t i, j;

	if (!n)
		return error(err, MAJLIS_ERR_USAGE,
			     "a version needs at least one file");
	for (i = 0; i < n; i++) {
		const struct archive_file *f = &files[i];
		const char *lang = f->lang ? f->lang : "";

		if (!f->format || !is_lower_alnum(f->format, 16))
			return error(err, MAJLIS_ERR_USAGE,
				     "bad file format '%s' (1 to 16 of a-z, "
				     "0-9)",
				     f->format ? f->format : "");
		if (!lang_ok(lang))
			return error(err, MAJLIS_ERR_USAGE,
				     "bad language '%s' (fr, ar, both or none)",
				     lang);
		if (f->len > ARCHIVE_MAX_FILE || (f->len && !f->data))
			return error(err, MAJLIS_ERR_DATA,
				     "%s is too large for the archive (%zu "
				     "bytes, at most %u)",
				     f->filename ? f->filename : f->format,
				     f->len, ARCHIVE_MAX_FILE);
		/* Text is indexed and diffed: it must be text. */
		if (!strcmp(f->format, "txt") &&
		    (!utf8_valid(f->data, f->len) ||
		     memchr(f->data, '\0', f->len)))
			return error(err, MAJLIS_ERR_DATA,
				     "%s is not UTF-8 text",
				     f->filename ? f->filename : "the text");
		for (j = 0; j < i; j++)
			if (!strcmp(files[j].format, f->format) &&
			    !strcmp(files[j].lang ? files[j].lang : "", lang))
				return error(err, MAJLIS_ERR_USAGE,
					     "two files of format '%s' in "
					     "language '%s': a version holds "
					     "one of each",
					     f->format, *lang ? lang : "none");
	}
	return MAJLIS_OK;
}

enum majlis_status
archive_add_version(struct archive *a, int64_t doc_id,
		    const struct archive_file *files, size_t n,
		    const char *cause, int64_t now, int force, int *version,
		    int *created, struct buf *err)
{
	char (*sha)[HEX_LEN] = NULL;
	char when[TIME_LEN];
	struct buf text = BUF_INIT;
	struct archive_doc doc;
	enum majlis_status rc;
	int same = 0;
	size_t i;

	if (!store_in_transaction(a->st))
		BUG("archive_add_version outside a transaction");
	*version = 0;
	*created = 0;
	if (!cause || !*cause)
		return error(err, MAJLIS_ERR_USAGE, "a version needs a cause");
	rc = check_files(files, n, err);
	if (rc != MAJLIS_OK)
		return rc;
	rc = doc_by_id(a, doc_id, &doc, err);
	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc, "no document #%lld in the archive",
			     (long long)doc_id);
	if (rc != MAJLIS_OK)
		return rc;
	sha = xcalloc(n, sizeof(*sha));
	for (i = 0; i < n; i++)
		sha256_hex(files[i].data ? files[i].data : "", files[i].len,
			   sha[i]);
	if (doc.versions && !force) {
		rc = same_as_version(a, doc_id, doc.versions, files, sha, n,
				     &same, err);
		if (rc != MAJLIS_OK || same) {
			*version = doc.versions;
			goto out;
		}
	}
	/* The files first: a row must never name what is not there. */
	for (i = 0; i < n && rc == MAJLIS_OK; i++)
		rc = object_write(a, sha[i], files[i].data, files[i].len, err);
	time_format_utc(now, when);
	for (i = 0; i < n && rc == MAJLIS_OK; i++) {
		struct stmt *s = store_prepare(
			a->st, "INSERT INTO document_version(document_id,"
			       " version, format, lang, sha256, size,"
			       " created_at, cause, filename)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");

		stmt_bind(s, "idsssisss", doc_id, doc.versions + 1,
			  files[i].format, files[i].lang ? files[i].lang : "",
			  sha[i], (int64_t)files[i].len, when, cause,
			  files[i].filename);
		rc = stmt_run(a, s, "cannot file a version", err);
		if (!strcmp(files[i].format, "txt")) {
			if (text.len)
				buf_addch(&text, '\n');
			buf_add(&text, files[i].data, files[i].len);
		}
	}
	if (rc == MAJLIS_OK)
		rc = store_exec(a->st, err,
				"UPDATE document SET updated_at = ?2"
				" WHERE id = ?1",
				"is", doc_id, when);
	if (rc == MAJLIS_OK)
		rc = index_document(a, doc_id, text.data, err);
	if (rc == MAJLIS_OK) {
		*version = doc.versions + 1;
		*created = 1;
	}
out:
	free(sha);
	buf_release(&text);
	return rc;
}

/*
 * Finding, listing, showing.
 */

enum majlis_status
archive_find(struct archive *a, const char *reg, struct archive_doc *out,
	     struct buf *err)
{
	char up[sizeof(out->register_no)];
	struct stmt *s;
	enum majlis_status rc;
	size_t i, n = strlen(reg);

	memset(out, 0, sizeof(*out));
	if (n >= sizeof(up))
		return error(err, MAJLIS_ERR_NOTFOUND,
			     "no document '%.40s...' in the archive", reg);
	/* Register numbers are upper-case ASCII (prefix_ok). */
	for (i = 0; i <= n; i++)
		up[i] = reg[i] >= 'a' && reg[i] <= 'z' ? reg[i] - 'a' + 'A'
						       : reg[i];
	s = store_prepare(a->st, DOC_SELECT "WHERE d.register_no = ?1");
	stmt_bind(s, "s", up);
	rc = doc_fill(a, s, out, err);
	if (rc == MAJLIS_ERR_NOTFOUND)
		return error(err, rc, "no document '%s' in the archive", reg);
	return rc;
}

enum majlis_status
archive_find_subject(struct archive *a, const char *kind, const char *subject,
		     struct archive_doc *out, struct buf *err)
{
	struct stmt *s = store_prepare(a->st, DOC_SELECT
				       "WHERE d.kind = ?1 AND d.subject = ?2");

	stmt_bind(s, "ss", kind, subject);
	return doc_fill(a, s, out, err);
}

#define LIST_SELECT                                                       \
	"SELECT d.register_no, d.kind, d.year, d.title_fr, d.title_ar,"   \
	" b.code AS body, d.meeting_id, d.dossier_id, d.petition_id,"     \
	" d.decision_id, d.person_id,"                                    \
	" (SELECT coalesce(max(v.version), 0) FROM document_version v"    \
	"  WHERE v.document_id = d.id) AS versions,"                      \
	" d.created_at, d.updated_at"                                     \
	" FROM document d LEFT JOIN body b ON b.id = d.body_id"

/* Register order: by prefix, year, number. */
#define LIST_ORDER                                                        \
	" ORDER BY substr(d.register_no, 1, instr(d.register_no, '-')),"  \
	" d.year, d.seq"

enum majlis_status
archive_list(struct archive *a, const struct archive_filter *f, rec_cb cb,
	     void *ctx, struct buf *err)
{
	struct buf sql = BUF_INIT;
	struct stmt *s;
	enum majlis_status rc;
	int n = 0;

	/* Only the conditions asked for, so that each can use its index;
	 * at most 64 statements end up in the cache. */
	buf_addstr(&sql, LIST_SELECT " WHERE 1");
	if (f->kind)
		buf_addf(&sql, " AND d.kind = ?%d", ++n);
	if (f->year)
		buf_addf(&sql, " AND d.year = ?%d", ++n);
	if (f->body)
		buf_addf(&sql, " AND b.code = ?%d", ++n);
	if (f->meeting_id)
		buf_addf(&sql, " AND d.meeting_id = ?%d", ++n);
	if (f->dossier_id)
		buf_addf(&sql, " AND d.dossier_id = ?%d", ++n);
	if (f->petition_id)
		buf_addf(&sql, " AND d.petition_id = ?%d", ++n);
	buf_addstr(&sql, LIST_ORDER);
	s = store_prepare(a->st, sql.data);
	n = 0;
	if (f->kind)
		stmt_bind_text(s, ++n, f->kind);
	if (f->year)
		stmt_bind_int(s, ++n, f->year);
	if (f->body)
		stmt_bind_text(s, ++n, f->body);
	if (f->meeting_id)
		stmt_bind_int(s, ++n, f->meeting_id);
	if (f->dossier_id)
		stmt_bind_int(s, ++n, f->dossier_id);
	if (f->petition_id)
		stmt_bind_int(s, ++n, f->petition_id);
	rc = store_each_rec(a->st, err, s, cb, ctx);
	buf_release(&sql);
	return rc;
}

enum majlis_status
archive_show(struct archive *a, const char *reg, rec_cb cb, void *ctx,
	     struct buf *err)
{
	struct archive_doc doc;
	struct rec r = REC_INIT;
	struct field *files;
	struct stmt *s;
	enum majlis_status rc;
	int st;

	rc = archive_find(a, reg, &doc, err);
	if (rc != MAJLIS_OK)
		return rc;
	s = store_prepare(a->st, LIST_SELECT " WHERE d.id = ?1");
	stmt_bind(s, "i", doc.id);
	st = stmt_step(s);
	if (st == 1)
		stmt_rec(s, &r);
	stmt_done(s);
	if (st != 1)
		return store_failed(a, err, "cannot read a document");
	files = rec_add_list(&r, "files");
	s = store_prepare(a->st, "SELECT version, format, lang, sha256, size,"
				 " filename, cause, created_at"
				 " FROM document_version WHERE document_id = ?1"
				 " ORDER BY version, format, lang");
	stmt_bind(s, "i", doc.id);
	while ((st = stmt_step(s)) == 1)
		stmt_rec(s, rec_list_add(files));
	stmt_done(s);
	if (st < 0)
		rc = store_failed(a, err, "cannot read a document's files");
	else
		cb(ctx, &r);
	rec_release(&r);
	return rc;
}

/*
 * Getting a file.
 */

struct candidate {
	char format[17], lang[8], sha256[HEX_LEN];
	int64_t size;
};

/* "PV-2026-0001 v2 pdf (fr)", for messages and labels. */
static void
file_label(const char *reg, int version, const char *format,
	   const char *lang, struct buf *out)
{
	buf_reset(out);
	buf_addf(out, "%s v%d", reg, version);
	if (format)
		buf_addf(out, " %s", format);
	if (lang && *lang)
		buf_addf(out, " (%s)", lang);
}

enum majlis_status
archive_fetch(struct archive *a, const char *reg, int version,
	      const char *format, const char *lang,
	      struct archive_fileinfo *info, struct buf *out,
	      struct buf *err)
{
	static const char *const prefer[] = { "both", "ar", "fr", "" };
	struct candidate *c = NULL;
	size_t n = 0, cap = 0, i, k, pick = 0;
	struct archive_doc doc;
	struct buf what = BUF_INIT;
	enum majlis_status rc;
	struct stmt *s;
	int st, found = 0;

	memset(info, 0, sizeof(*info));
	if (version < 0)
		return error(err, MAJLIS_ERR_USAGE, "bad version %d", version);
	rc = archive_find(a, reg, &doc, err);
	if (rc != MAJLIS_OK)
		return rc;
	s = store_prepare(a->st, "SELECT version, format, lang, sha256, size"
				 " FROM document_version"
				 " WHERE document_id = ?1"
				 " AND (?2 = 0 OR version = ?2)"
				 " AND (?3 IS NULL OR format = ?3)"
				 " AND (?4 IS NULL OR lang = ?4)"
				 " ORDER BY version DESC, format, lang");
	stmt_bind(s, "idss", doc.id, version, format, lang);
	while ((st = stmt_step(s)) == 1) {
		int v = (int)stmt_int(s, 0);

		if (found && v != found)
			break;
		found = v;
		xgrow(&c, &cap, n + 1, sizeof(*c));
		snprintf(c[n].format, sizeof(c[n].format), "%s",
			 stmt_text(s, 1));
		snprintf(c[n].lang, sizeof(c[n].lang), "%s", stmt_text(s, 2));
		snprintf(c[n].sha256, sizeof(c[n].sha256), "%s",
			 stmt_text(s, 3));
		c[n].size = stmt_int(s, 4);
		n++;
	}
	stmt_done(s);
	if (st < 0) {
		rc = store_failed(a, err, "cannot read a document's files");
		goto out;
	}
	if (!n) {
		buf_addf(&what, "%s has no", doc.register_no);
		if (format)
			buf_addf(&what, " %s", format);
		buf_addstr(&what, " file");
		if (lang)
			buf_addf(&what, " in language '%s'", lang);
		if (version)
			buf_addf(&what, " in version %d", version);
		if (!doc.versions)
			buf_addstr(&what, " (it has no version yet)");
		rc = error(err, MAJLIS_ERR_NOTFOUND, "%s", what.data);
		goto out;
	}
	/* Several formats and none asked for: the PDF, or say which. */
	for (i = 0; i < n && !format && strcmp(c[i].format, "pdf"); i++)
		;
	if (!format && i < n)
		format = "pdf";
	for (i = 0, k = 0; i < n; i++)
		if (!format || !strcmp(c[i].format, format))
			c[k++] = c[i];
	n = k;
	for (i = 1; i < n && !format; i++) {
		if (strcmp(c[i].format, c[0].format)) {
			buf_addf(&what, "%s v%d has several formats:",
				 doc.register_no, found);
			for (k = 0; k < n; k++)
				if (!k || strcmp(c[k].format, c[k - 1].format))
					buf_addf(&what, " %s", c[k].format);
			rc = error(err, MAJLIS_ERR_USAGE,
				   "%s; choose one", what.data);
			goto out;
		}
	}
	/* One format left; pick the language: both, then ar, then fr. */
	for (k = 0; n > 1 && k < sizeof(prefer) / sizeof(prefer[0]); k++) {
		for (i = 0; i < n && strcmp(c[i].lang, prefer[k]); i++)
			;
		if (i < n) {
			pick = i;
			break;
		}
	}
	info->version = found;
	memcpy(info->format, c[pick].format, sizeof(info->format));
	memcpy(info->lang, c[pick].lang, sizeof(info->lang));
	memcpy(info->sha256, c[pick].sha256, sizeof(info->sha256));
	info->size = c[pick].size;
	if (out) {
		file_label(doc.register_no, found, info->format, info->lang,
			   &what);
		rc = object_read(a, info->sha256, info->size, what.data, out,
				 err);
	}
out:
	free(c);
	buf_release(&what);
	return rc;
}

enum majlis_status
archive_get(struct archive *a, const char *reg, int version,
	    const char *format, const char *lang, struct buf *out,
	    struct buf *err)
{
	struct archive_fileinfo info;

	return archive_fetch(a, reg, version, format, lang, &info, out, err);
}

/*
 * The diff: Myers' O(ND) algorithm in linear space (the middle snake),
 * as in git's xdiff (xdiffi.c: xdl_split, xdl_recs_cmp) without its
 * heuristics, so the result is always a shortest edit script. Lines
 * include their newline, so a last line without one differs from the
 * same line with one, as in diff; lines are compared by hash first.
 */

struct dline {
	const char *p;		/* its bytes, newline included */
	size_t len;		/* their number */
	uint64_t hash;		/* FNV-1a of them */
};

struct dfile {
	struct dline *l;	/* its lines */
	long n;			/* how many */
	char *chg;		/* chg[i]: line i is removed or added */
};

struct diffctx {
	struct dfile a, b;	/* the old text and the new */
	long *kvdf, *kvdb;	/* furthest reach per diagonal, each way */
	long long steps;	/* work done, against the limit */
	int over;		/* the limit was reached */
};

static long
diff_lines(const char *s, size_t len, struct dfile *f)
{
	size_t cap = 0, i = 0;

	f->l = NULL;
	f->n = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		uint64_t h = 1469598103934665603ull;

		if (f->n >= ARCHIVE_DIFF_MAX_LINES)
			return -1;
		xgrow(&f->l, &cap, (size_t)f->n + 1, sizeof(*f->l));
		f->l[f->n].p = s + i;
		f->l[f->n].len = end - i;
		for (; i < end; i++) {
			h ^= (unsigned char)s[i];
			h *= 1099511628211ull;
		}
		f->l[f->n++].hash = h;
	}
	f->chg = xcalloc((size_t)f->n + 1, 1);
	return f->n;
}

static int
diff_eq(struct diffctx *c, long i, long j)
{
	const struct dline *x = &c->a.l[i], *y = &c->b.l[j];

	return x->hash == y->hash && x->len == y->len &&
	       !memcmp(x->p, y->p, x->len);
}

/* Finds where a shortest path through the box crosses its middle. */
static void
diff_split(struct diffctx *c, long off1, long lim1, long off2, long lim2,
	   long *spl1, long *spl2)
{
	long *kvdf = c->kvdf, *kvdb = c->kvdb;
	long dmin = off1 - lim2, dmax = lim1 - off2;
	long fmid = off1 - off2, bmid = lim1 - lim2;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	int odd = (fmid - bmid) & 1;
	long d, i1, i2;

	kvdf[fmid] = off1;
	kvdb[bmid] = lim1;
	for (;;) {
		if (fmin > dmin)
			kvdf[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			kvdf[++fmax + 1] = -1;
		else
			--fmax;
		for (d = fmax; d >= fmin; d -= 2) {
			if (kvdf[d - 1] >= kvdf[d + 1])
				i1 = kvdf[d - 1] + 1;
			else
				i1 = kvdf[d + 1];
			i2 = i1 - d;
			for (; i1 < lim1 && i2 < lim2 && diff_eq(c, i1, i2);
			     i1++, i2++)
				c->steps++;
			c->steps++;
			kvdf[d] = i1;
			if (odd && bmin <= d && d <= bmax && kvdb[d] <= i1) {
				*spl1 = i1;
				*spl2 = i2;
				return;
			}
		}
		if (bmin > dmin)
			kvdb[--bmin - 1] = LONG_MAX;
		else
			++bmin;
		if (bmax < dmax)
			kvdb[++bmax + 1] = LONG_MAX;
		else
			--bmax;
		for (d = bmax; d >= bmin; d -= 2) {
			if (kvdb[d - 1] < kvdb[d + 1])
				i1 = kvdb[d - 1];
			else
				i1 = kvdb[d + 1] - 1;
			i2 = i1 - d;
			for (; i1 > off1 && i2 > off2 &&
			       diff_eq(c, i1 - 1, i2 - 1);
			     i1--, i2--)
				c->steps++;
			c->steps++;
			kvdb[d] = i1;
			if (!odd && fmin <= d && d <= fmax && i1 <= kvdf[d]) {
				*spl1 = i1;
				*spl2 = i2;
				return;
			}
		}
		if (c->steps > ARCHIVE_DIFF_MAX_STEPS) {
			c->over = 1;
			*spl1 = off1;
			*spl2 = off2;
			return;
		}
	}
}

/* Marks the lines of a[off1, lim1) and b[off2, lim2) that change. */
static void
diff_compare(struct diffctx *c, long off1, long lim1, long off2, long lim2)
{
	long spl1, spl2;

	if (c->over)
		return;
	for (; off1 < lim1 && off2 < lim2 && diff_eq(c, off1, off2);
	     off1++, off2++)
		;
	for (; off1 < lim1 && off2 < lim2 && diff_eq(c, lim1 - 1, lim2 - 1);
	     lim1--, lim2--)
		;
	if (off1 == lim1) {
		for (; off2 < lim2; off2++)
			c->b.chg[off2] = 1;
	} else if (off2 == lim2) {
		for (; off1 < lim1; off1++)
			c->a.chg[off1] = 1;
	} else {
		diff_split(c, off1, lim1, off2, lim2, &spl1, &spl2);
		diff_compare(c, off1, spl1, off2, spl2);
		diff_compare(c, spl1, lim1, spl2, lim2);
	}
}

struct dop {
	char type;		/* ' ', '-' or '+' */
	long i, j;		/* lines of a and b before it */
};

static void
diff_line(struct buf *out, char type, const struct dline *l)
{
	buf_addch(out, type);
	buf_add(out, l->p, l->len);
	if (!l->len || l->p[l->len - 1] != '\n')
		buf_addstr(out, "\n\\ No newline at end of file\n");
}

static void
diff_range(struct buf *out, long start, long count)
{
	if (count == 0)
		buf_addf(out, "%ld,0", start);
	else if (count == 1)
		buf_addf(out, "%ld", start + 1);
	else
		buf_addf(out, "%ld,%ld", start + 1, count);
}

/* Prints the marked changes as diff -u's hunks. */
static void
diff_print(struct diffctx *c, const char *label1, const char *label2,
	   struct buf *out)
{
	struct dop *ops = xcalloc((size_t)(c->a.n + c->b.n) + 1, sizeof(*ops));
	long i = 0, j = 0, n = 0, k = 0, first, last, start, end, p, na, nb;

	while (i < c->a.n || j < c->b.n) {
		ops[n].i = i;
		ops[n].j = j;
		if (i < c->a.n && c->a.chg[i])
			ops[n].type = '-', i++;
		else if (j < c->b.n && c->b.chg[j])
			ops[n].type = '+', j++;
		else
			ops[n].type = ' ', i++, j++;
		n++;
	}
	buf_addf(out, "--- %s\n+++ %s\n", label1, label2);
	for (;;) {
		for (first = k; first < n && ops[first].type == ' '; first++)
			;
		if (first == n)
			break;
		/* Changes closer than twice the context share a hunk. */
		last = first;
		for (p = first; p < n; p++) {
			if (ops[p].type != ' ')
				last = p;
			else if (p - last > 2 * DIFF_CONTEXT)
				break;
		}
		start = first - DIFF_CONTEXT > k ? first - DIFF_CONTEXT : k;
		end = last + 1 + DIFF_CONTEXT < n ? last + 1 + DIFF_CONTEXT : n;
		for (na = nb = 0, p = start; p < end; p++) {
			na += ops[p].type != '+';
			nb += ops[p].type != '-';
		}
		buf_addstr(out, "@@ -");
		diff_range(out, ops[start].i, na);
		buf_addstr(out, " +");
		diff_range(out, ops[start].j, nb);
		buf_addstr(out, " @@\n");
		for (p = start; p < end; p++) {
			if (ops[p].type == '+')
				diff_line(out, '+', &c->b.l[ops[p].j]);
			else
				diff_line(out, ops[p].type,
					  &c->a.l[ops[p].i]);
		}
		k = end;
	}
	free(ops);
}

enum majlis_status
archive_diff_texts(const char *t1, size_t len1, const char *t2, size_t len2,
		   const char *label1, const char *label2, struct buf *out,
		   int *changed, struct buf *err)
{
	struct diffctx c;
	enum majlis_status rc = MAJLIS_OK;
	long *kvd = NULL, i;

	memset(&c, 0, sizeof(c));
	*changed = 0;
	if (diff_lines(t1, len1, &c.a) < 0 || diff_lines(t2, len2, &c.b) < 0) {
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s or %s is longer than %d lines: too long to "
			   "diff",
			   label1, label2, ARCHIVE_DIFF_MAX_LINES);
		goto out;
	}
	kvd = xcalloc(2 * ((size_t)c.a.n + (size_t)c.b.n + 3), sizeof(long));
	c.kvdf = kvd + c.b.n + 1;
	c.kvdb = c.kvdf + c.a.n + c.b.n + 3;
	diff_compare(&c, 0, c.a.n, 0, c.b.n);
	if (c.over) {
		rc = error(err, MAJLIS_ERR_DATA,
			   "%s and %s are too different to diff (over %d "
			   "steps)",
			   label1, label2, ARCHIVE_DIFF_MAX_STEPS);
		goto out;
	}
	for (i = 0; i < c.a.n && !*changed; i++)
		*changed = c.a.chg[i];
	for (i = 0; i < c.b.n && !*changed; i++)
		*changed = c.b.chg[i];
	if (*changed)
		diff_print(&c, label1, label2, out);
out:
	free(kvd);
	free(c.a.l);
	free(c.a.chg);
	free(c.b.l);
	free(c.b.chg);
	return rc;
}

enum majlis_status
archive_diff(struct archive *a, const char *reg, int v1, int v2,
	     const char *lang, struct buf *out, int *changed, struct buf *err)
{
	struct archive_fileinfo i1, i2;
	struct archive_doc doc;
	struct buf t1 = BUF_INIT, t2 = BUF_INIT, l1 = BUF_INIT, l2 = BUF_INIT;
	enum majlis_status rc;

	*changed = 0;
	rc = archive_find(a, reg, &doc, err);
	if (rc != MAJLIS_OK)
		return rc;
	if (v1 < 0 || v2 < 0)
		return error(err, MAJLIS_ERR_USAGE, "bad version");
	if (!v2)
		v2 = doc.versions;
	if (!v1)
		v1 = v2 - 1;
	if (v2 < 1 || v2 > doc.versions || v1 > doc.versions)
		return error(err, MAJLIS_ERR_NOTFOUND,
			     "%s has no version %d (it has %d)",
			     doc.register_no, v2 > doc.versions ? v2 : v1,
			     doc.versions);
	if (v1 < 1)
		return error(err, MAJLIS_ERR_NOTFOUND,
			     "%s has no version before v%d to compare with",
			     doc.register_no, v2);
	/* The language of the newer text decides the older one's. */
	rc = archive_fetch(a, doc.register_no, v2, "txt", lang, &i2, &t2, err);
	if (rc == MAJLIS_OK)
		rc = archive_fetch(a, doc.register_no, v1, "txt", i2.lang, &i1,
				   &t1, err);
	if (rc != MAJLIS_OK)
		goto out;
	file_label(doc.register_no, v1, NULL, i1.lang, &l1);
	file_label(doc.register_no, v2, NULL, i2.lang, &l2);
	rc = archive_diff_texts(t1.data, t1.len, t2.data, t2.len, l1.data,
				l2.data, out, changed, err);
out:
	buf_release(&t1);
	buf_release(&t2);
	buf_release(&l1);
	buf_release(&l2);
	return rc;
}

/*
 * Search.
 */

/* Appends s as one FTS5 string: in double quotes, quotes doubled.
 * Inside quotes FTS5 sees no operator, so user text cannot be syntax. */
static void
fts_quote(struct buf *out, const char *s, size_t len)
{
	size_t i;

	buf_addch(out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addch(out, '"');
		buf_addch(out, s[i]);
	}
	buf_addch(out, '"');
}

static int
has_word(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (is_word_char(utf8_next(s, len, &i)))
			return 1;
	return 0;
}

struct query {
	struct buf match;	/* the FTS5 expression */
	char **keys;		/* the words' keys, for snippets */
	size_t nkeys, capkeys;
	int words;		/* query words kept */
};

/*
 * Turns user text into an FTS5 expression: each word (what spaces
 * separate) normalised and quoted, to be found in norm as written or in
 * bare as a stem; all words must match.
 */
static enum majlis_status
query_build(const char *q, struct query *out, struct buf *err)
{
	struct buf norm = BUF_INIT, bare = BUF_INIT, key = BUF_INIT;
	struct span *words = NULL;
	size_t len = strlen(q), i = 0, cap = 0, nw, k;
	enum majlis_status rc = MAJLIS_OK;

	if (len > QUERY_MAX_BYTES)
		return error(err, MAJLIS_ERR_USAGE,
			     "the query is too long (at most %d bytes)",
			     QUERY_MAX_BYTES);
	if (!utf8_valid(q, len))
		return error(err, MAJLIS_ERR_USAGE, "the query is not UTF-8");
	while (i < len) {
		size_t start;

		while (i < len && strchr(" \t\r\n\f\v", q[i]))
			i++;
		start = i;
		while (i < len && !strchr(" \t\r\n\f\v", q[i]))
			i++;
		if (start == i)
			break;
		buf_reset(&norm);
		fold_norm(q + start, i - start, &norm);
		if (!has_word(norm.data, norm.len))
			continue;
		if (++out->words > QUERY_MAX_WORDS) {
			rc = error(err, MAJLIS_ERR_USAGE,
				   "too many words in the query (at most %d)",
				   QUERY_MAX_WORDS);
			goto out;
		}
		buf_reset(&bare);
		bare_text(norm.data, norm.len, &bare);
		if (out->match.len)
			buf_addstr(&out->match, " AND ");
		buf_addstr(&out->match, "(norm : ");
		fts_quote(&out->match, norm.data, norm.len);
		if (bare.len) {
			buf_addstr(&out->match, " OR bare : ");
			fts_quote(&out->match, bare.data, bare.len);
		}
		buf_addch(&out->match, ')');
		nw = text_words(q + start, i - start, &words, &cap);
		for (k = 0; k < nw; k++) {
			word_key(q + start + words[k].start,
				 words[k].end - words[k].start, &key);
			if (!key.len)
				continue;
			xgrow(&out->keys, &out->capkeys, out->nkeys + 1,
			      sizeof(*out->keys));
			out->keys[out->nkeys++] = xstrdup(key.data);
		}
	}
	if (!out->words)
		rc = error(err, MAJLIS_ERR_USAGE,
			   "nothing to search for in '%s'", q);
out:
	free(words);
	buf_release(&norm);
	buf_release(&bare);
	buf_release(&key);
	return rc;
}

static void
query_release(struct query *q)
{
	size_t i;

	for (i = 0; i < q->nkeys; i++)
		free(q->keys[i]);
	free(q->keys);
	buf_release(&q->match);
}

static int
key_matches(const struct query *q, const char *key)
{
	size_t i;

	for (i = 0; i < q->nkeys; i++)
		if (!strcmp(q->keys[i], key))
			return 1;
	return 0;
}

/*
 * A snippet of text around its first word that matches the query, the
 * matching words in [brackets], whitespace made single spaces. Returns
 * 0 when no word of text matches (and appends nothing).
 */
static int
snippet(const struct query *q, const char *text, int any, struct buf *out)
{
	struct span *w = NULL;
	size_t cap = 0, n, i, hit, from, to, start;
	struct buf key = BUF_INIT;
	char *match;
	int space = 0, cut = 0, open = 0;

	n = text_words(text, strlen(text), &w, &cap);
	match = xcalloc(n + 1, 1);
	for (i = 0, hit = n; i < n; i++) {
		word_key(text + w[i].start, w[i].end - w[i].start, &key);
		match[i] = (char)key_matches(q, key.data);
		if (match[i] && hit == n)
			hit = i;
	}
	if (hit == n && (!any || !n)) {
		free(w);
		free(match);
		buf_release(&key);
		return 0;
	}
	if (hit == n)
		hit = 0;
	from = hit > SNIPPET_BEFORE ? hit - SNIPPET_BEFORE : 0;
	to = hit + SNIPPET_AFTER < n ? hit + SNIPPET_AFTER : n - 1;
	if (from)
		buf_addstr(out, "… ");
	start = out->len;
	for (i = w[from].start; i < w[to].end; i++) {
		size_t k;

		if (out->len - start > SNIPPET_MAX &&
		    ((unsigned char)text[i] & 0xc0) != 0x80) {
			cut = 1;
			break;
		}
		if (strchr(" \t\r\n\f\v", text[i])) {
			space = 1;
			continue;
		}
		if (space)
			buf_addch(out, ' ');
		space = 0;
		for (k = from; k <= to; k++) {
			if (match[k] && w[k].start == i) {
				buf_addch(out, '[');
				open = 1;
			}
		}
		buf_addch(out, text[i]);
		for (k = from; k <= to; k++) {
			if (match[k] && w[k].end == i + 1) {
				buf_addch(out, ']');
				open = 0;
			}
		}
	}
	if (open)
		buf_addch(out, ']');
	if (cut || to + 1 < n)
		buf_addstr(out, " …");
	free(w);
	free(match);
	buf_release(&key);
	return 1;
}

enum majlis_status
archive_search(struct archive *a, const char *query, rec_cb cb, void *ctx,
		struct buf *err)
{
	struct query q;
	struct buf snip = BUF_INIT;
	struct rec r = REC_INIT;
	enum majlis_status rc;
	struct stmt *s;
	int st;

	memset(&q, 0, sizeof(q));
	buf_init(&q.match);
	rc = query_build(query ? query : "", &q, err);
	if (rc != MAJLIS_OK)
		goto out;
	/*
	 * The notes' other remedy for SQLite rerunning MATCH per document
	 * row: CROSS JOIN keeps the full-text scan outside, and unlike
	 * "id IN (SELECT rowid ...)" it keeps bm25() to rank by. norm
	 * weighs more than bare: a word as written beats its stem.
	 */
	s = store_prepare(a->st,
			  "SELECT d.register_no, d.kind, d.year, d.title_fr,"
			  " d.title_ar,"
			  " (SELECT coalesce(max(v.version), 0)"
			  "  FROM document_version v"
			  "  WHERE v.document_id = d.id) AS versions,"
			  " document_fts.orig"
			  " FROM document_fts CROSS JOIN document d"
			  " ON d.id = document_fts.rowid"
			  " WHERE document_fts MATCH ?1"
			  " ORDER BY bm25(document_fts, 0.0, 2.0, 1.0), d.id");
	stmt_bind(s, "s", q.match.data);
	while ((st = stmt_step(s)) == 1) {
		buf_reset(&snip);
		if (!snippet(&q, stmt_text(s, 6), 0, &snip) &&
		    !snippet(&q, stmt_text(s, 3), 0, &snip) &&
		    !snippet(&q, stmt_text(s, 4), 0, &snip))
			snippet(&q, *stmt_text(s, 6) ? stmt_text(s, 6)
						     : stmt_text(s, 3),
				1, &snip);
		rec_release(&r);
		rec_add_text(&r, "register_no", stmt_text(s, 0));
		rec_add_text(&r, "kind", stmt_text(s, 1));
		rec_add_int(&r, "year", stmt_int(s, 2));
		rec_add_text(&r, "title_fr", stmt_text(s, 3));
		rec_add_text(&r, "title_ar", stmt_text(s, 4));
		rec_add_int(&r, "versions", stmt_int(s, 5));
		rec_add_text(&r, "snippet", snip.data);
		if (cb(ctx, &r))
			break;
	}
	if (st < 0)
		rc = store_failed(a, err, "cannot search the archive");
	stmt_done(s);
out:
	rec_release(&r);
	buf_release(&snip);
	query_release(&q);
	return rc;
}

/*
 * Verify.
 */

struct bad_object {
	char sha256[HEX_LEN];
	int64_t size;
	char *why;
};

enum majlis_status
archive_verify(struct archive *a, rec_cb cb, void *ctx, int *bad,
	       struct buf *err)
{
	struct bad_object *objs = NULL;
	size_t n = 0, cap = 0, i;
	struct buf why = BUF_INIT;
	struct rec r = REC_INIT;
	enum majlis_status rc = MAJLIS_OK;
	struct stmt *s;
	int st, stop = 0;

	*bad = 0;
	/* Each object once, however many versions share it; the rows that
	 * name a bad one are looked up after, for the report. */
	s = store_prepare(a->st, "SELECT DISTINCT sha256, size"
				 " FROM document_version ORDER BY sha256");
	while ((st = stmt_step(s)) == 1) {
		object_check(a, stmt_text(s, 0), stmt_int(s, 1), &why);
		if (!why.len)
			continue;
		xgrow(&objs, &cap, n + 1, sizeof(*objs));
		snprintf(objs[n].sha256, HEX_LEN, "%s", stmt_text(s, 0));
		objs[n].size = stmt_int(s, 1);
		objs[n].why = xstrdup(why.data);
		n++;
	}
	stmt_done(s);
	if (st < 0)
		rc = store_failed(a, err, "cannot read the archive");
	for (i = 0; i < n && rc == MAJLIS_OK && !stop; i++) {
		s = store_prepare(a->st,
				  "SELECT d.register_no, v.version, v.format,"
				  " v.lang, v.sha256, v.size"
				  " FROM document_version v"
				  " JOIN document d ON d.id = v.document_id"
				  " WHERE v.sha256 = ?1 AND v.size = ?2"
				  " ORDER BY d.id, v.version, v.format,"
				  " v.lang");
		stmt_bind(s, "si", objs[i].sha256, objs[i].size);
		while (!stop && (st = stmt_step(s)) == 1) {
			rec_release(&r);
			stmt_rec(s, &r);
			object_path(a, objs[i].sha256, &why);
			rec_add_text(&r, "path", why.data);
			rec_add_text(&r, "problem", objs[i].why);
			(*bad)++;
			stop = cb && cb(ctx, &r);
		}
		stmt_done(s);
		if (st < 0)
			rc = store_failed(a, err, "cannot read the archive");
	}
	for (i = 0; i < n; i++)
		free(objs[i].why);
	free(objs);
	rec_release(&r);
	buf_release(&why);
	return rc;
}

/*
 * Attachments.
 */

void
archive_file_format(const char *filename, const void *data, size_t len,
		    char *out)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *format;
	} sniff[] = {
		{ "%PDF-", 5, "pdf" },
		{ "\x89PNG\r\n\x1a\n", 8, "png" },
		{ "\xff\xd8\xff", 3, "jpg" },
		{ "GIF8", 4, "gif" },
		{ "II*\0", 4, "tiff" },
		{ "MM\0*", 4, "tiff" },
		{ "PK\x03\x04", 4, "zip" },
	};
	static const char *const aliases[][2] = {
		{ "jpeg", "jpg" }, { "htm", "html" }, { "tif", "tiff" },
		{ "text", "txt" },
	};
	const char *base = filename ? strrchr(filename, '/') : NULL;
	const char *dot;
	size_t i, n;

	base = base ? base + 1 : filename;
	dot = base ? strrchr(base, '.') : NULL;
	if (dot && dot != base && (n = strlen(dot + 1)) >= 1 && n <= 16) {
		for (i = 0; i < n; i++) {
			char c = dot[1 + i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				break;
			out[i] = c;
		}
		out[i] = '\0';
		if (i == n) {
			for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]);
			     i++)
				if (!strcmp(out, aliases[i][0]))
					snprintf(out, 17, "%s", aliases[i][1]);
			return;
		}
	}
	for (i = 0; i < sizeof(sniff) / sizeof(sniff[0]); i++) {
		if (len >= sniff[i].len &&
		    !memcmp(data, sniff[i].magic, sniff[i].len)) {
			snprintf(out, 17, "%s", sniff[i].format);
			return;
		}
	}
	snprintf(out, 17, "bin");
}

/* Checks that the objects e names exist, and takes its body from them
 * when it has none. */
static enum majlis_status
attach_classify(struct archive *a, struct archive_entry *e, struct buf *err)
{
	static const struct {
		const char *name, *sql;
	} what[] = {
		{ "meeting", "SELECT o.body_id FROM meeting m"
			     " JOIN organization o ON o.id = m.organization_id"
			     " WHERE m.id = ?1" },
		{ "dossier", "SELECT body_id FROM dossier WHERE id = ?1" },
		{ "petition", "SELECT body_id FROM petition WHERE id = ?1" },
	};
	int64_t ids[3], body;
	enum majlis_status rc;
	size_t i;

	ids[0] = e->meeting_id;
	ids[1] = e->dossier_id;
	ids[2] = e->petition_id;
	for (i = 0; i < 3; i++) {
		if (!ids[i])
			continue;
		rc = store_get_int(a->st, err, &body, what[i].sql, "i", ids[i]);
		if (rc == MAJLIS_ERR_NOTFOUND)
			return error(err, rc, "no %s #%lld", what[i].name,
				      (long long)ids[i]);
		if (rc != MAJLIS_OK)
			return rc;
		if (!e->body_id)
			e->body_id = body;
	}
	return MAJLIS_OK;
}

enum majlis_status
archive_attach(struct archive *a, const char *reg,
	       const struct archive_entry *e, const struct archive_file *files,
	       size_t n, const char *cause, int64_t now,
	       struct archive_doc *out, int *version, int *created,
	       struct buf *err)
{
	struct archive_entry x = *e;
	struct archive_file *fs = NULL;
	char (*formats)[17] = NULL;
	char when[TIME_LEN];
	enum majlis_status rc;
	struct stmt *s;
	int is_new;
	size_t i;

	*version = 0;
	*created = 0;
	x.kind = "attachment";
	x.prefix = "PJ";
	rc = attach_classify(a, &x, err);
	if (rc != MAJLIS_OK)
		return rc;
	fs = xcalloc(n + 1, sizeof(*fs));
	formats = xcalloc(n + 1, sizeof(*formats));
	for (i = 0; i < n; i++) {
		fs[i] = files[i];
		if (!fs[i].format) {
			archive_file_format(fs[i].filename, fs[i].data,
					    fs[i].len, formats[i]);
			fs[i].format = formats[i];
		}
	}
	rc = check_files(fs, n, err);
	if (rc != MAJLIS_OK)
		goto out;
	if (!reg) {
		if (!x.title_fr || !*x.title_fr || !x.title_ar ||
		    !*x.title_ar) {
			rc = error(err, MAJLIS_ERR_USAGE,
				   "an attachment needs a French and an "
				   "Arabic title");
			goto out;
		}
		rc = archive_register(a, &x, now, out, &is_new, err);
	} else {
		struct buf kind = BUF_INIT;

		rc = archive_find(a, reg, out, err);
		if (rc == MAJLIS_OK)
			rc = store_get_text(a->st, err, &kind,
					    "SELECT kind FROM document"
					    " WHERE id = ?1",
					    "i", out->id);
		if (rc == MAJLIS_OK && strcmp(kind.data, "attachment"))
			rc = error(err, MAJLIS_ERR_USAGE,
				   "%s is a %s, not an attachment: only "
				   "attachments take files from outside",
				   out->register_no, kind.data);
		buf_release(&kind);
		if (rc != MAJLIS_OK)
			goto out;
		time_format_utc(now, when);
		s = store_prepare(
			a->st,
			"UPDATE document SET title_fr = coalesce(?2, title_fr),"
			" title_ar = coalesce(?3, title_ar),"
			" body_id = coalesce(?4, body_id),"
			" meeting_id = coalesce(?5, meeting_id),"
			" dossier_id = coalesce(?6, dossier_id),"
			" petition_id = coalesce(?7, petition_id),"
			" updated_at = ?8 WHERE id = ?1"
			" AND (title_fr IS NOT coalesce(?2, title_fr)"
			" OR title_ar IS NOT coalesce(?3, title_ar)"
			" OR body_id IS NOT coalesce(?4, body_id)"
			" OR meeting_id IS NOT coalesce(?5, meeting_id)"
			" OR dossier_id IS NOT coalesce(?6, dossier_id)"
			" OR petition_id IS NOT coalesce(?7, petition_id))");
		stmt_bind(s, "iss", out->id, x.title_fr, x.title_ar);
		bind_id(s, 4, x.body_id);
		bind_id(s, 5, x.meeting_id);
		bind_id(s, 6, x.dossier_id);
		bind_id(s, 7, x.petition_id);
		stmt_bind_text(s, 8, when);
		rc = stmt_run(a, s, "cannot update a document", err);
		if (rc == MAJLIS_OK && (x.title_fr || x.title_ar))
			rc = index_document(a, out->id, NULL, err);
	}
	if (rc == MAJLIS_OK)
		rc = archive_add_version(a, out->id, fs, n, cause, now, 0,
					 version, created, err);
	if (rc == MAJLIS_OK)
		rc = doc_by_id(a, out->id, out, err);
out:
	free(fs);
	free(formats);
	return rc;
}
