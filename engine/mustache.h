/*
 * mustache.h - the template language of templates/: Mustache, as its
 * specification defines it (https://github.com/mustache/spec; the
 * comments, delimiters, interpolation, inverted, partials and sections
 * modules; not the optional lambdas, inheritance or dynamic names).
 *
 * Data is a JSON value (jansson's json_t), the context stack's root.
 *
 * Document templates run in strict mode: a name that resolves nowhere is
 * an error naming the template and the line of the tag, never silent
 * empty text, and so is a partial that does not exist. The specification's
 * behaviour (a miss renders as empty) is the default, and is what the
 * specification's own tests exercise.
 *
 * Interpolation escapes & < > " as XML does, so templates may produce XML.
 */
#ifndef MAJLIS_MUSTACHE_H
#define MAJLIS_MUSTACHE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

struct mustache;

enum mustache_flags {
	MUSTACHE_STRICT = 1 << 0, /* a name or partial not found is an error */
};

/* The most output one render may produce, the deepest nesting of
 * partials (and of sections in one template), and the most steps (tags
 * rendered, loops counted, and bytes of partials parsed) of one render:
 * a hostile or looping template stops with an error. */
#define MUSTACHE_MAX_OUTPUT (64u << 20)
#define MUSTACHE_MAX_DEPTH 64
#define MUSTACHE_MAX_STEPS (4u << 20)

/*
 * Finds the text of partial name: returns it and its length, or NULL if
 * there is no such partial. The text must stay valid during the render.
 */
typedef const char *(*mustache_partial_fn)(void *ctx, const char *name,
					   size_t *len);

/*
 * Parses len bytes of template named name. Syntax errors (an unclosed
 * section, a bad delimiter tag) are reported as "name:line: reason".
 * The caller frees the template with mustache_free().
 */
enum majlis_status mustache_parse(const char *name, const char *text,
				  size_t len, struct mustache **out,
				  struct buf *err);
void mustache_free(struct mustache *t);
const char *mustache_name(const struct mustache *t);

/* Renders t over data, appending to out (which holds partial output
 * after an error: write files only on success). Partials come from
 * partials (may be NULL: then there are none). */
enum majlis_status mustache_render(const struct mustache *t, json_t *data,
				   unsigned flags, mustache_partial_fn partials,
				   void *ctx, struct buf *out,
				   struct buf *err);

#endif
