/*
 * token.c - reply tokens (see token.h).
 */
#include "token.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "clock.h"
#include "store.h"
#include "sys.h"

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/* The stored form: SHA-256 of the lower-case letters, in hex. */
static void
token_hash(const char *token, char hex[65])
{
	unsigned char lower[TOKEN_LEN], h[crypto_hash_sha256_BYTES];
	size_t n = 0;

	for (; token[n] && n < TOKEN_LEN; n++)
		lower[n] = (unsigned char)tolower((unsigned char)token[n]);
	crypto_hash_sha256(h, lower, n);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

enum majlis_status
token_issue(struct engine *e, const char *purpose, const char *object_kind,
	    int64_t object_id, int64_t person_id, int64_t expires,
	    char token[TOKEN_LEN + 1], struct buf *err)
{
	unsigned char raw[TOKEN_LEN];
	char hex[65], now[TIME_LEN], until[TIME_LEN];

	if (sodium_init() < 0)
		return error(err, MAJLIS_ERR_INTERNAL,
			     "libsodium cannot start");
	/* 20 letters of 5 bits: 100 bits, uniformly (32 divides 256). */
	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < TOKEN_LEN; i++)
		token[i] = alphabet[raw[i] & 31];
	token[TOKEN_LEN] = '\0';
	token_hash(token, hex);
	time_format_utc(clock_now(e->clock), now);
	time_format_utc(expires, until);
	return store_exec(e->store, err,
			  "INSERT INTO token(hash, purpose, object_kind,"
			  " object_id, person_id, created_at, expires_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			  "sssiiss", hex, purpose, object_kind, object_id,
			  person_id, now, until);
}

enum majlis_status
token_lookup(struct engine *e, const char *token, struct token_info *out,
	     struct buf *err)
{
	char hex[65];
	struct stmt *s;
	int step;

	memset(out, 0, sizeof(*out));
	if (strlen(token) != TOKEN_LEN ||
	    strspn(token, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != TOKEN_LEN)
		return error(err, MAJLIS_ERR_NOTFOUND, "not a token");
	token_hash(token, hex);
	s = store_prepare(e->store,
			  "SELECT id, purpose, object_kind, object_id,"
			  " person_id, expires_at, used_at, answer"
			  " FROM token WHERE hash = ?1");
	stmt_bind(s, "s", hex);
	step = stmt_step(s);
	if (step == 1) {
		out->id = stmt_int(s, 0);
		snprintf(out->purpose, sizeof(out->purpose), "%s",
			 stmt_text(s, 1));
		snprintf(out->object_kind, sizeof(out->object_kind), "%s",
			 stmt_text(s, 2));
		out->object_id = stmt_int(s, 3);
		out->person_id = stmt_int(s, 4);
		time_parse_utc(stmt_text(s, 5), &out->expires);
		out->used = !stmt_is_null(s, 6);
		snprintf(out->answer, sizeof(out->answer), "%s",
			 stmt_text(s, 7));
	}
	stmt_done(s);
	if (step < 0)
		return error(err, MAJLIS_ERR_STORE, "%s", store_errmsg(e->store));
	if (step == 0)
		return error(err, MAJLIS_ERR_NOTFOUND, "unknown token");
	return MAJLIS_OK;
}

enum majlis_status
token_use(struct engine *e, int64_t id, const char *answer, struct buf *err)
{
	char now[TIME_LEN];

	time_format_utc(clock_now(e->clock), now);
	return store_exec(e->store, err,
			  "UPDATE token SET used_at = ?2, answer = ?3"
			  " WHERE id = ?1",
			  "iss", id, now, answer);
}

void
token_address(const char *own, const char *token, struct buf *out)
{
	const char *at = strchr(own, '@');

	if (!at) {
		buf_addf(out, "%s+t.%s", own, token);
		return;
	}
	buf_add(out, own, (size_t)(at - own));
	buf_addf(out, "+t.%s%s", token, at);
}
