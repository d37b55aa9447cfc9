/*
 * token.h - the tokens of reply addresses (DESIGN.md, "Reply addresses
 * and tokens"): 100 random bits from libsodium, written as 20 base32
 * letters, stored only as their SHA-256, each bound to one purpose, one
 * object and one recipient, with an expiry.
 *
 * A mail that expects an answer carries its token in its Message-ID
 * (<KIND.TOKEN@DOMAIN>), its Reply-To, its envelope sender and, for an
 * invitation, the ORGANIZER: LOCAL+t.TOKEN@DOMAIN.
 */
#ifndef MAJLIS_TOKEN_H
#define MAJLIS_TOKEN_H

#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "status.h"

#define TOKEN_LEN 20

/* Issues a token in the caller's transaction; token gets its letters
 * (lower case) and a NUL. */
enum majlis_status token_issue(struct engine *e, const char *purpose,
			       const char *object_kind, int64_t object_id,
			       int64_t person_id, int64_t expires,
			       char token[TOKEN_LEN + 1], struct buf *err);

struct token_info {
	int64_t id;
	char purpose[32];
	char object_kind[32];
	int64_t object_id;
	int64_t person_id;
	int64_t expires;
	int used;		/* an answer was taken */
	char answer[32];	/* that answer */
};

/* Finds a token by its letters (any case). MAJLIS_ERR_NOTFOUND if it was
 * never issued. */
enum majlis_status token_lookup(struct engine *e, const char *token,
				struct token_info *out, struct buf *err);

/* Records the answer given with token id (the intake's business). */
enum majlis_status token_use(struct engine *e, int64_t id, const char *answer,
			     struct buf *err);

/* The reply address of token: LOCAL+t.TOKEN@DOMAIN, from the engine's
 * own address local@domain. */
void token_address(const char *own, const char *token, struct buf *out);

#endif
