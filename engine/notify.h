/*
 * notify.h - telling people: the notification rules, the channels a
 * notification goes out on, probable data errors, acknowledgements and
 * the in-app inbox.
 *
 * A mailflow says who is told of what (notify = AUDIENCE MESSAGE); the
 * rules say how, as data: notify/rules.ini as shipped, then the
 * instance's DIR/notify.ini on top of it (notify/README.md has the
 * format). For each person of the audience the first rule that matches
 * the message, the person's profile (elu, fonctionnaire, invite), roles and the
 * dossier type decides whether they are told, on which channels (the
 * in-app inbox, e-mail, SMS), with which status colour, and whether an
 * acknowledgement is wanted within some delay.
 *
 * Each channel is a row of the notification table, unique per event,
 * person, message and channel, so that a job run again never tells
 * anyone twice; e-mails and SMS are queued in the outbox (outbox.h) in
 * the caller's transaction, after the quiet hours. An e-mail that wants
 * an acknowledgement carries a reply token (purpose "ack", bound to its
 * row) and asks for a read receipt (RFC 8098); chase.c reminds, then
 * escalates, what is not acknowledged in time.
 *
 * Layout: notify-rules.c reads and matches the rules (pure: no store);
 * notify.c delivers, acknowledges and lists the inbox; notify-check.c
 * looks for probable data errors in a convoked meeting.
 */
#ifndef MAJLIS_NOTIFY_H
#define MAJLIS_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "calendar.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

#define NOTIFY_FORMAT 1

struct notify_rules;
struct flowset;

/* Channels, as a rule's channels name them. */
enum notify_channel {
	NOTIFY_INBOX = 1 << 0,	/* a row listed by majlis inbox */
	NOTIFY_EMAIL = 1 << 1,	/* a mail, in both languages */
	NOTIFY_SMS = 1 << 2,	/* a short text in the person's language */
};

/* Who is told, and about what: the keys rules match on. */
struct notify_subject {
	const char *message;	  /* "task-late", "data-error-holiday" */
	const char *profile;	  /* "elu", "fonctionnaire" or "invite" */
	const char *const *roles; /* roles held where it matters (below) */
	size_t nroles;
	const char *dossier_kind; /* the dossier's kind, or NULL */
};

/* What the rules decided. Strings are owned by the rules. */
struct notify_choice {
	const char *rule;	/* the rule's name, or "default" */
	const char *file;	/* where it was written, or NULL */
	int line;
	int enabled;		/* 0: nobody is told */
	unsigned channels;	/* enum notify_channel bits */
	const char *colour;	/* "green", "amber" or "red" */
	int ack;		/* an acknowledgement is wanted ... */
	struct offset ack_within; /* ... within this delay */
	const char *todo_fr;	/* what to do, from [message NAME], or NULL */
	const char *todo_ar;
};

/* An empty set: everything goes to the inbox, green. */
enum majlis_status notify_rules_new(struct notify_rules **out);
/* NULL does nothing. */
void notify_rules_free(struct notify_rules *r);
/*
 * Reads len bytes of rules named name (in messages) as a layer on top of
 * those added before: its rules are tried first, a rule of the same name
 * below it is dropped, and the keys of its [default] and [message NAME]
 * sections override those below. Mistakes are reported as
 * "name:line: reason" and nothing of that input is kept.
 */
enum majlis_status notify_rules_add(struct notify_rules *r, const char *name,
				    const char *data, size_t len,
				    struct buf *err);
/* The same from a file. */
enum majlis_status notify_rules_add_file(struct notify_rules *r,
					 const char *path, struct buf *err);
/*
 * Checks what needs every layer, and the mailflows if fs is not NULL:
 * the data-error and escalation messages have their French and Arabic
 * texts; every [message NAME] names a message of some mailflow; every
 * message pattern of a rule matches some message.
 */
enum majlis_status notify_rules_check(const struct notify_rules *r,
				      const struct flowset *fs,
				      struct buf *err);
/* The number of rules in force (after overrides). */
size_t notify_rules_count(const struct notify_rules *r);
/* The first rule that matches s, or the default; r may be NULL (then
 * the inbox, green, nothing else). */
void notify_rules_match(const struct notify_rules *r,
			const struct notify_subject *s,
			struct notify_choice *out);
/* True when name matches a message pattern: '*' any run of characters,
 * '?' one. */
int notify_pattern_match(const char *pattern, const char *name);

/*
 * Renders a message whose text the rules hold (the data errors and the
 * escalation: data-error-holiday, data-error-weekend, data-error-quorum,
 * data-error-no-email, data-error-no-phone, escalation) into fr and ar,
 * each {{placeholder}} taken from the text fields of values.
 * MAJLIS_ERR_DATA when the rules have no text for it.
 */
enum majlis_status notify_message_render(const struct notify_rules *r,
					 const char *name,
					 const struct rec *values,
					 struct buf *fr, struct buf *ar,
					 struct buf *err);

/* What one notification is about. */
struct notify_item {
	int64_t event_id;	 /* the event it tells of, or 0 */
	const char *object_kind; /* "meeting", ..., or "person" */
	int64_t object_id;
	const char *message;	 /* the message's name */
	const char *fr, *ar;	 /* its text, rendered */
	int data_error;		 /* about the data: raises no other data
				  * error about its own recipients */
};

struct notify_counts {
	int inbox, email, sms;	/* rows created, per channel */
	int disabled;		/* persons the rules keep it from */
	int data_errors;	/* data-error notifications raised */
};

/*
 * Tells person_id of it as the rules (e->notify; NULL: the inbox only)
 * decide, in the caller's transaction: one row per channel, each at most
 * once per event, person, message and channel; mails and SMS queued
 * after the quiet hours (only when e->mail is set). A channel the person
 * has no address for gets no row, and the DGS is told of the missing
 * address once per person. Adds what it did to *c.
 */
enum majlis_status notify_person(struct engine *e, const struct notify_item *it,
				 int64_t person_id, struct notify_counts *c,
				 struct buf *err);

/*
 * Tells the DGS (of the body the object belongs to, else of the
 * Commune) of a probable data error: message is one of the data-error
 * messages, values its placeholders. Raised once per event, or, with
 * event_id 0, once per object.
 */
enum majlis_status notify_data_error(struct engine *e, int64_t event_id,
				     const char *object_kind, int64_t object_id,
				     const char *message,
				     const struct rec *values,
				     struct notify_counts *c, struct buf *err);

/*
 * Looks for probable data errors in a meeting being convoked, in the
 * caller's transaction: a public holiday or a weekend that day, members
 * without an e-mail address, a quorum that cannot be met (fewer members
 * still in office on the meeting's day than more than half of those in
 * office now). Each is told to the DGS; detail says what was found.
 */
enum majlis_status notify_check_meeting(struct engine *e, int64_t meeting_id,
					int64_t event_id, struct buf *detail,
					struct buf *err);

/*
 * Reminds person of notification id, on its channel, in the caller's
 * transaction: the same message again, "Rappel :" / "تذكير:", with a new
 * reply token; the acknowledgement is then due after the same delay.
 * *sent is 1 when a message was queued (0: the address is gone, or an
 * inbox row, which only gets its new due time).
 */
enum majlis_status notify_remind(struct engine *e, int64_t id, int *sent,
				 struct buf *err);

/* Marks notification id acknowledged now, with its rows on the other
 * channels (a read receipt, a reply, or reading it in the inbox):
 * nothing is chased for it any more. */
enum majlis_status notify_acknowledge(struct engine *e, int64_t id,
				      struct buf *err);

/*
 * A person's in-app notifications, newest first (at most limit; 0: all),
 * one record each: id, created_at, created_local, message, object,
 * object_id, colour, state (unread, read, acknowledged), subject (in the
 * person's language), subject_fr, subject_ar, channels (those it went
 * out on), ack_due_at, reminded_at, escalated_at.
 */
enum majlis_status notify_inbox_list(struct engine *e, int64_t person_id,
				     int unread_only, int limit, rec_cb cb,
				     void *ctx, struct buf *err);
/* Marks one of them (id) or all (id 0) read and acknowledged; *marked
 * counts those that were not yet. MAJLIS_ERR_NOTFOUND when id is not
 * one of the person's. Runs its own transaction. */
enum majlis_status notify_inbox_read(struct engine *e, int64_t person_id,
				     int64_t id, int *marked, struct buf *err);

#endif
