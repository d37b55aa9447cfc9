/*
 * imap.c - the IMAP source of intake, with libetpan (see imap.h).
 *
 * RFC 3501: LOGIN, SELECT (UIDVALIDITY, UIDNEXT), UID FETCH of BODY.PEEK[]
 * (the message is not marked \Seen by reading it), UID STORE +FLAGS.SILENT
 * (\Seen $MajlisDone) once it is done. Messages are fetched in batches,
 * so that a large mailbox is not held in memory at once.
 *
 * Layout: session; state in the store; one batch; the entry point.
 */
#include "imap.h"

#include <libetpan/libetpan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "sys.h"
#include "tlsverify.h"

enum { BATCH = 50 };

static enum majlis_status
session_error(mailimap *s, int r, const char *what, const struct imap_config *ic,
	      struct buf *err)
{
	const char *said = s && s->imap_response ? s->imap_response : "";

	return error(err, MAJLIS_ERR_UNAVAILABLE, "IMAP %s:%d: %s failed (%d)%s%s",
		     ic->host, ic->port, what, r, *said ? ": " : "", said);
}

/* Connected, TLS up and checked, logged in, mailbox selected. */
static enum majlis_status
session_open(const struct imap_config *ic, mailimap **out, struct buf *err)
{
	mailimap *s = mailimap_new(0, NULL);
	int r;

	*out = NULL;
	if (!s)
		return error(err, MAJLIS_ERR_INTERNAL, "cannot make an IMAP session");
	mailimap_set_timeout(s, ic->timeout > 0 ? ic->timeout : 30);
	r = ic->security == IMAP_TLS
		    ? mailimap_ssl_connect(s, ic->host, (uint16_t)ic->port)
		    : mailimap_socket_connect(s, ic->host, (uint16_t)ic->port);
	if (r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED && r != MAILIMAP_NO_ERROR) {
		mailimap_free(s);
		return session_error(NULL, r, "connection", ic, err);
	}
	if (ic->security == IMAP_STARTTLS &&
	    (r = mailimap_socket_starttls(s)) != MAILIMAP_NO_ERROR) {
		enum majlis_status rc = session_error(s, r, "STARTTLS", ic, err);

		mailimap_free(s);
		return rc;
	}
	if (ic->security != IMAP_NONE && ic->verify) {
		struct buf why = BUF_INIT;

		if (tls_verify_stream(s->imap_stream, ic->host, ic->ca_file,
				      ic->fingerprint, &why)) {
			enum majlis_status rc = error(err, MAJLIS_ERR_UNAVAILABLE,
						      "IMAP %s:%d: %s",
						      ic->host, ic->port,
						      why.data);

			buf_release(&why);
			mailimap_free(s);
			return rc;
		}
		buf_release(&why);
	}
	r = mailimap_login(s, ic->user, ic->password);
	if (r != MAILIMAP_NO_ERROR) {
		enum majlis_status rc = session_error(s, r, "login", ic, err);

		mailimap_free(s);
		return rc;
	}
	r = mailimap_select(s, ic->mailbox);
	if (r != MAILIMAP_NO_ERROR || !s->imap_selection_info) {
		enum majlis_status rc = session_error(s, r, "SELECT", ic, err);

		mailimap_logout(s);
		mailimap_free(s);
		return rc;
	}
	*out = s;
	return MAJLIS_OK;
}

/* Where the mailbox was read up to; a new UIDVALIDITY starts again. */
static enum majlis_status
state_get(struct engine *e, const struct imap_config *ic, uint32_t validity,
	  uint32_t *last, struct buf *err)
{
	struct stmt *s = store_prepare(
		e->store,
		"SELECT uidvalidity, last_uid FROM imap_state WHERE mailbox = ?1");
	struct buf key = BUF_INIT;
	int step;

	buf_addf(&key, "%s@%s/%s", ic->user, ic->host, ic->mailbox);
	stmt_bind(s, "s", key.data);
	step = stmt_step(s);
	*last = 0;
	if (step == 1 && (uint32_t)stmt_int(s, 0) == validity)
		*last = (uint32_t)stmt_int(s, 1);
	stmt_done(s);
	buf_release(&key);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
	return MAJLIS_OK;
}

static enum majlis_status
state_set(struct engine *e, const struct imap_config *ic, uint32_t validity,
	  uint32_t uid, struct buf *err)
{
	struct buf key = BUF_INIT;
	enum majlis_status rc;

	buf_addf(&key, "%s@%s/%s", ic->user, ic->host, ic->mailbox);
	rc = store_exec(e->store, err,
			"INSERT INTO imap_state(mailbox, uidvalidity, last_uid)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(mailbox) DO UPDATE"
			" SET uidvalidity = excluded.uidvalidity,"
			" last_uid = excluded.last_uid",
			"sii", key.data, (int64_t)validity, (int64_t)uid);
	buf_release(&key);
	return rc;
}

static int
mark_done(mailimap *s, uint32_t uid)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *att;
	int r;

	mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	mailimap_flag_list_add(fl, mailimap_flag_new_flag_keyword(
					   xstrdup("$MajlisDone")));
	att = mailimap_store_att_flags_new_add_flags_silent(fl);
	r = mailimap_uid_store(s, set, att);
	mailimap_store_att_flags_free(att);
	mailimap_set_free(set);
	return r;
}

struct fetched {
	uint32_t uid;
	const char *data;
	size_t len;
};

static void
fetched_of(struct mailimap_msg_att *ma, struct fetched *f)
{
	memset(f, 0, sizeof(*f));
	for (clistiter *it = clist_begin(ma->att_list); it;
	     it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		if (item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_UID)
			f->uid = item->att_data.att_static->att_data.att_uid;
		else if (item->att_data.att_static->att_type ==
			 MAILIMAP_MSG_ATT_BODY_SECTION) {
			struct mailimap_msg_att_body_section *b =
				item->att_data.att_static->att_data.att_body_section;

			f->data = b->sec_body_part;
			f->len = b->sec_length;
		}
	}
}

static void
quarantine_copy(const char *qdir, uint32_t validity, uint32_t uid,
		const char *data, size_t len)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s/new", qdir);
	if (mkdir_p(path.data, 0750) == 0) {
		buf_addf(&path, "/imap.%u.%u", validity, uid);
		file_write_atomic(path.data, data, len);
	}
	buf_release(&path);
}

/* The messages of UIDs first to first + BATCH - 1: *next gets the UID
 * after the range, *more whether it held any. */
static enum majlis_status
batch(struct engine *e, mailimap *s, const struct imap_config *ic,
      const struct intake_config *cfg, const char *quarantine,
      uint32_t validity, uint32_t first, uint32_t *next, int *more,
      rec_cb cb, void *ctx, struct ingest_counts *c, struct buf *err)
{
	struct mailimap_set *set;
	struct mailimap_fetch_type *ft =
		mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	enum majlis_status rc = MAJLIS_OK;
	int r, n = 0;

	mailimap_fetch_type_new_fetch_att_list_add(ft,
						   mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
		ft, mailimap_fetch_att_new_body_peek_section(
			    mailimap_section_new(NULL)));
	set = mailimap_set_new_interval(first, first + BATCH - 1);
	r = mailimap_uid_fetch(s, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	*more = 0;
	if (r != MAILIMAP_NO_ERROR)
		return session_error(s, r, "UID FETCH", ic, err);
	for (clistiter *it = clist_begin(result); it && rc == MAJLIS_OK;
	     it = clist_next(it)) {
		struct fetched f;
		struct buf source = BUF_INIT;
		enum ingest_action act;

		fetched_of(clist_content(it), &f);
		if (f.uid < first || f.uid >= first + BATCH || !f.data)
			continue;
		n++;
		buf_addf(&source, "imap %s %u/%u", ic->mailbox, validity, f.uid);
		rc = ingest_message(e, cfg, f.data, f.len, source.data, cb, ctx,
				    &act, err);
		if (rc == MAJLIS_OK) {
			c->seen++;
			c->by_action[act]++;
			if (act == INGEST_QUARANTINED && quarantine)
				quarantine_copy(quarantine, validity, f.uid,
						f.data, f.len);
			/* Done on the server after the store, then where
			 * we are: a crash between the two reads it again,
			 * as a duplicate. */
			if ((r = mark_done(s, f.uid)) != MAILIMAP_NO_ERROR)
				rc = session_error(s, r, "UID STORE", ic, err);
		}
		if (rc == MAJLIS_OK)
			rc = state_set(e, ic, validity, f.uid, err);
		buf_release(&source);
	}
	mailimap_fetch_list_free(result);
	/* The whole range was read, gaps (expunged messages) too. */
	*next = first + BATCH;
	*more = n > 0;
	return rc;
}

enum majlis_status
imap_ingest(struct engine *e, const struct imap_config *ic,
	    const struct intake_config *cfg, const char *quarantine,
	    rec_cb cb, void *ctx, struct ingest_counts *c, struct buf *err)
{
	mailimap *s = NULL;
	uint32_t validity, uidnext, last = 0, next;
	enum majlis_status rc;
	int more = 1;

	memset(c, 0, sizeof(*c));
	rc = session_open(ic, &s, err);
	if (rc != MAJLIS_OK)
		return rc;
	validity = s->imap_selection_info->sel_uidvalidity;
	uidnext = s->imap_selection_info->sel_uidnext;
	rc = state_get(e, ic, validity, &last, err);
	next = last + 1;
	/* Up to UIDNEXT when the server says it, else until a range is
	 * empty. */
	while (rc == MAJLIS_OK && (uidnext ? next < uidnext : more))
		rc = batch(e, s, ic, cfg, quarantine, validity, next, &next,
			   &more, cb, ctx, c, err);
	mailimap_logout(s);
	mailimap_free(s);
	return rc;
}
