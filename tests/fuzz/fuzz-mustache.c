/*
 * fuzz-mustache.c - feeds bytes to the template language (engine/
 * mustache.h): mustache_parse(), then mustache_render() over JSON data,
 * in the specification's default mode and in MUSTACHE_STRICT, with a
 * partials callback.
 *
 * An input is a template, optionally followed by a line "%%" and a JSON
 * document (the data; any JSON value, NUL bytes allowed in strings), and
 * by more "%%"-separated files, the partials p1, p2... (see fuzz.h).
 * Without data, or when it is not JSON, a small built-in document stands
 * in, so that a mutated data part still lets the template render.
 *
 * What mustache.h promises, checked (abort() when it does not hold):
 * every error is one message per line, "NAME:LINE: reason", NAME the
 * template or one of its partials; success leaves no message; no render
 * writes more than MUSTACHE_MAX_OUTPUT bytes, even when it fails; the
 * nesting of partials stops at MUSTACHE_MAX_DEPTH, so the stack a render
 * uses stays bounded (measured in the partials callback). And strict
 * mode only adds errors: when a strict render succeeds, the default one
 * succeeds too, with the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mustache.h"

#define FUZZ_NAME "fuzz.xml"
#define MAX_PARTIALS 8

/*
 * The most stack a render may use, measured from this file's entry point
 * to the partials callback: MUSTACHE_MAX_DEPTH partials deep, each with
 * a few sections open, is well under it; a recursion the engine does
 * not bound (or a bound it does not keep) goes past it long before the
 * 8 MiB of the main thread's stack run out.
 */
#define STACK_MAX (1u << 20)

/* Stands in for a missing or broken data part. */
static const char default_data[] =
	"{\"title\": \"Convocation <n°12> & \\\"suite\\\"\","
	" \"name_ar\": \"المجلس الجماعي\", \"n\": 12, \"x\": 1.5,"
	" \"yes\": true, \"no\": false, \"none\": null, \"empty\": \"\","
	" \"list\": [1, 2, 3], \"items\": [{\"n\": 1, \"t\": \"a\"},"
	" {\"n\": 2, \"t\": \"b\", \"sub\": {\"x\": \"y\"}}],"
	" \"a\": {\"b\": {\"c\": \"abc\"}}, \"nested\": [[1, 2], [3]],"
	" \"self\": [1, 1, 1, 1, 1, 1, 1, 1]}";

struct ctx {
	const char *part[MAX_PARTIALS];	/* p1... */
	size_t len[MAX_PARTIALS];
	int nparts;
	const char *stack_base;		/* the entry point's frame */
};

static const char *
partial(void *vctx, const char *name, size_t *len)
{
	struct ctx *c = vctx;
	const char *here = __builtin_frame_address(0);

	if (c->stack_base - here > (long)STACK_MAX) {
		fprintf(stderr,
			"fuzz-mustache: %ld bytes of stack deep in a render\n",
			(long)(c->stack_base - here));
		abort();
	}
	for (int i = 0; i < c->nparts; i++) {
		char p[16];

		snprintf(p, sizeof(p), "p%d", i + 1);
		if (!strcmp(name, p)) {
			*len = c->len[i];
			return c->part[i];
		}
	}
	return NULL;
}

/* A known template name: this one's or a partial's. */
static int
known_name(const struct ctx *c, const char *s, size_t n)
{
	if (n == strlen(FUZZ_NAME) && !memcmp(s, FUZZ_NAME, n))
		return 1;
	for (int i = 1; i <= c->nparts; i++) {
		char p[16];

		snprintf(p, sizeof(p), "p%d", i);
		if (n == strlen(p) && !memcmp(s, p, n))
			return 1;
	}
	return 0;
}

/* Each line of err is "NAME:LINE: reason", LINE a positive number. */
static void
check_message(const struct ctx *c, const struct buf *err)
{
	const char *s = err->data, *end = err->data + err->len;

	if (!err->len || memchr(err->data, '\0', err->len))
		abort();
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *colon = memchr(s, ':', (size_t)(end - s));
		const char *d;

		if (!eol)
			eol = end;
		if (!colon || colon > eol || !known_name(c, s, (size_t)(colon - s)))
			goto bad;
		for (d = colon + 1; d < eol && *d >= '0' && *d <= '9'; d++)
			;
		if (d == colon + 1 || colon[1] == '0' || d + 2 > eol ||
		    d[0] != ':' || d[1] != ' ')
			goto bad;
		s = eol + 1;
	}
	return;
bad:
	fprintf(stderr, "fuzz-mustache: bad message: %s\n", err->data);
	abort();
}

static enum majlis_status
render(const struct mustache *t, json_t *data, unsigned flags,
       struct ctx *c, struct buf *out)
{
	struct buf err = BUF_INIT;
	enum majlis_status rc;

	rc = mustache_render(t, data, flags, partial, c, out, &err);
	if (out->len > MUSTACHE_MAX_OUTPUT) {
		fprintf(stderr, "fuzz-mustache: %zu bytes of output\n",
			out->len);
		abort();
	}
	if (rc != MAJLIS_OK)
		check_message(c, &err);
	else if (err.len)
		abort();
	buf_release(&err);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	char *copies[2 + MAX_PARTIALS];
	size_t lens[2 + MAX_PARTIALS];
	int ncopies = 0;
	const uint8_t *part;
	size_t pos = 0, len;
	struct mustache *t = NULL;
	struct buf err = BUF_INIT, plain = BUF_INIT, strict = BUF_INIT;
	json_t *json = NULL;
	enum majlis_status rc, rc_plain, rc_strict;

	memset(&c, 0, sizeof(c));
	c.stack_base = __builtin_frame_address(0);
	while (ncopies < 2 + MAX_PARTIALS &&
	       !fuzz_next_part(data, size, &pos, &part, &len)) {
		copies[ncopies] = fuzz_copy(part, len);
		lens[ncopies++] = len;
	}
	for (int i = 2; i < ncopies; i++) {
		c.part[c.nparts] = copies[i];
		c.len[c.nparts++] = lens[i];
	}
	if (ncopies > 1)
		json = json_loadb(copies[1], lens[1],
				  JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!json)
		json = json_loads(default_data, 0, NULL);
	if (!json)
		abort();

	rc = mustache_parse(FUZZ_NAME, copies[0], lens[0], &t, &err);
	if (rc != MAJLIS_OK) {
		if (t)
			abort();
		check_message(&c, &err);
		goto out;
	}
	if (!t || err.len || strcmp(mustache_name(t), FUZZ_NAME))
		abort();
	rc_plain = render(t, json, 0, &c, &plain);
	rc_strict = render(t, json, MUSTACHE_STRICT, &c, &strict);
	/* Strict mode only turns misses into errors. */
	if (rc_strict == MAJLIS_OK &&
	    (rc_plain != MAJLIS_OK || plain.len != strict.len ||
	     memcmp(plain.data, strict.data, plain.len)))
		abort();
	mustache_free(t);
out:
	json_decref(json);
	buf_release(&err);
	buf_release(&plain);
	buf_release(&strict);
	for (int i = 0; i < ncopies; i++)
		free(copies[i]);
	return 0;
}
