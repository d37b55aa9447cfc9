/*
 * reply.h - what a person wrote in a reply, and the decision it gives.
 *
 * People answer from Gmail, Outlook (desktop and web), Apple Mail and
 * iOS, Thunderbird or an Android phone, in French, Arabic or English, on
 * top of the quoted original or below it. Only what they wrote counts:
 * quoted lines, the attribution line ("Le ... a écrit :", "On ...
 * wrote:", "في ... كتب:"), the original's header block (Outlook's
 * "De : / Envoyé : / À : / Objet :", "من: / تم الإرسال:"), forwarded and
 * original message separators, and signatures ("-- ", "Envoyé de mon
 * iPhone", "أرسلت من ...") are cut away. Then one word is enough:
 * "oui", "نعم", "approuver", "renvoyer", with an optional comment; words
 * of two decisions, a negation, or a decision found only in the quote
 * make the reply one for a person to read, never a guess.
 *
 * Pure functions over text (UTF-8, LF line ends, as mailin.h gives it).
 */
#ifndef MAJLIS_REPLY_H
#define MAJLIS_REPLY_H

#include <stddef.h>

#include "buf.h"

enum reply_decision {
	REPLY_NONE,
	REPLY_ACCEPT,		/* an invitation: will attend */
	REPLY_DECLINE,		/* will not attend */
	REPLY_TENTATIVE,	/* may attend */
	REPLY_APPROVE,		/* a dossier: approved */
	REPLY_REJECT,		/* rejected */
	REPLY_RETURN,		/* returned for changes */
};

/* Which words count: an invitation's, or a dossier's. */
enum reply_vocabulary {
	REPLY_INVITATION,
	REPLY_DOSSIER,
};

enum reply_outcome {
	REPLY_DECIDED,		/* one decision, clearly */
	REPLY_NO_DECISION,	/* no decision word in what was written */
	REPLY_AMBIGUOUS,	/* words of two decisions, or negated */
	REPLY_ONLY_IN_QUOTE,	/* decision words in the quote only */
};

struct reply_reading {
	enum reply_outcome outcome;
	enum reply_decision decision;	/* REPLY_NONE unless decided */
	struct buf comment;	/* what else was written, or empty */
	struct buf written;	/* all that was written (quotes cut) */
};

/* Appends to out what the person wrote in text: quotes, attributions,
 * originals and signatures removed, surrounding blank lines trimmed. */
void reply_own_text(const char *text, struct buf *out);

/* Appends the text of an HTML body, with its quoted parts (blockquote,
 * Gmail's, Outlook's, Thunderbird's, Yahoo's) left out. */
void reply_html_text(const char *html, size_t len, struct buf *out);

/* Reads the reply text with the words of vocabulary v into r (released
 * with reply_release()). */
void reply_read(const char *text, enum reply_vocabulary v,
		struct reply_reading *r);

void reply_release(struct reply_reading *r);

/* "accept", "decline", ... as the events of mailflows name them. */
const char *reply_decision_name(enum reply_decision d);

#endif
