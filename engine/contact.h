/*
 * contact.h - people proposed for an invitation from the contact cards
 * (vCards) that staff send from their phones: the local authority's
 * representative, an expert, anyone who is neither an élu nor a civil
 * servant of the Commune. Each card becomes a contact, driven by
 * mailflows/contact.flow: staff complete it, then invite it (job guest:
 * a person of kind "invite" and their own invitation, with its calendar
 * REQUEST) or dismiss it.
 */
#ifndef MAJLIS_CONTACT_H
#define MAJLIS_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "rec.h"
#include "status.h"

/* Where a proposal comes from. */
struct contact_source {
	int64_t meeting;	/* the meeting it is for, or 0 (set later) */
	int64_t proposer;	/* the person who sent the card */
	const char *via;	/* "cli", "mail" or "demo" (an event source) */
	const char *cause;	/* "file contact.vcf", "message <id@...>" */
};

/*
 * Proposes every card of the vCard at data (len bytes): a contact row
 * and a "propose" event each, in the caller's transaction. The name
 * goes to the French fields when written in Latin letters, to the
 * Arabic ones when in Arabic, and to both when only one is given (staff
 * may correct it with --set). A card already proposed for the same
 * meeting with the same address is not proposed again. cb receives one
 * record per card (id or 0, name, email, phone, gender, lang, meeting,
 * outcome: "proposed" or "duplicate"). MAJLIS_ERR_DATA, with the reason,
 * if the cards cannot be read: nothing is proposed then.
 */
enum majlis_status contact_propose(struct engine *e, const char *data,
				   size_t len, const struct contact_source *src,
				   rec_cb cb, void *ctx, struct buf *err);

#endif
