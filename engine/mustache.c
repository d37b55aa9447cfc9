/*
 * mustache.c - Mustache templates (see mustache.h).
 *
 * Layout: the parse tree; the parser, which reads tags with the current
 * delimiters and applies the specification's "standalone" rule (a block
 * tag alone on its line takes the line with it); rendering over a stack
 * of JSON contexts.
 *
 * Bends of the specification, on purpose: an empty string is falsey in a
 * section (as mustache.js has it), so a template can skip empty fields;
 * strict mode (mustache.h) turns misses into errors.
 */
#include "mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

enum node_kind {
	NODE_TEXT,	/* literal text */
	NODE_VAR,	/* {{name}}, escaped */
	NODE_RAW,	/* {{{name}}} or {{&name}} */
	NODE_SECTION,	/* {{#name}} ... {{/name}} */
	NODE_INVERTED,	/* {{^name}} ... {{/name}} */
	NODE_PARTIAL,	/* {{>name}} */
};

struct node {
	enum node_kind kind;
	char *text;		/* literal text, or the tag's name */
	size_t len;		/* length of text */
	int line;		/* line of the tag in the template */
	char *indent;		/* PARTIAL: indentation of a standalone tag */
	struct node *kids;	/* SECTION, INVERTED: their contents */
	size_t nkids, capkids;
};

struct mustache {
	char *name;
	struct node root;	/* a section holding the whole template */
};

static void
node_release(struct node *n)
{
	free(n->text);
	free(n->indent);
	for (size_t i = 0; i < n->nkids; i++)
		node_release(&n->kids[i]);
	free(n->kids);
}

void
mustache_free(struct mustache *t)
{
	if (!t)
		return;
	node_release(&t->root);
	free(t->name);
	free(t);
}

const char *
mustache_name(const struct mustache *t)
{
	return t->name;
}

static struct node *
add_node(struct node *parent, enum node_kind kind, const char *text,
	 size_t len, int line)
{
	struct node *n;

	xgrow(&parent->kids, &parent->capkids, parent->nkids + 1,
	      sizeof(*parent->kids));
	n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->text = xstrndup(text, len);
	n->len = len;
	n->line = line;
	return n;
}

/* Appends literal text, merging with a text node just before. */
static void
add_text(struct node *parent, const char *text, size_t len, int line)
{
	struct node *last;

	if (!len)
		return;
	last = parent->nkids ? &parent->kids[parent->nkids - 1] : NULL;
	if (last && last->kind == NODE_TEXT) {
		last->text = xrealloc(last->text, last->len + len + 1);
		memcpy(last->text + last->len, text, len);
		last->len += len;
		last->text[last->len] = '\0';
		return;
	}
	add_node(parent, NODE_TEXT, text, len, line);
}

struct parser {
	const char *name;
	const char *src, *end;	/* the template */
	char otag[16], ctag[16]; /* current delimiters */
	struct buf *err;
	const char *line_at;	/* line_of(): where it last counted to */
	int line;		/* and the line there */
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Counts on from the place asked before, so that parsing stays linear:
 * the parser asks in order. */
static int
line_of(struct parser *p, const char *at)
{
	if (!p->line_at || at < p->line_at) {
		p->line_at = p->src;
		p->line = 1;
	}
	for (; p->line_at < at; p->line_at++)
		p->line += *p->line_at == '\n';
	return p->line;
}

static const char *
find(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; s + n <= end; s++)
		if (*s == needle[0] && !memcmp(s, needle, n))
			return s;
	return NULL;
}

/* The name inside a tag, trimmed; empty names are refused. */
static int
tag_name(const char *s, const char *e, const char **ns, size_t *nlen)
{
	while (s < e && (is_blank(*s) || *s == '\n' || *s == '\r'))
		s++;
	while (e > s && (is_blank(e[-1]) || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*ns = s;
	*nlen = (size_t)(e - s);
	return e > s ? 0 : -1;
}

static enum majlis_status
perror_at(struct parser *p, const char *at, const char *what)
{
	return error(p->err, MAJLIS_ERR_DATA, "%s:%d: %s", p->name,
		     line_of(p, at), what);
}

/* Parses {{=<% %>=}}: sets the delimiters. */
static enum majlis_status
set_delimiters(struct parser *p, const char *s, const char *e,
	       const char *at)
{
	const char *a, *b;
	size_t la, lb;

	while (s < e && is_blank(*s))
		s++;
	a = s;
	while (s < e && !is_blank(*s))
		s++;
	la = (size_t)(s - a);
	while (s < e && is_blank(*s))
		s++;
	b = s;
	while (s < e && !is_blank(*s))
		s++;
	lb = (size_t)(s - b);
	while (s < e && is_blank(*s))
		s++;
	/* A NUL would cut the delimiter short, to nothing at worst. */
	if (!la || !lb || s != e || la >= sizeof(p->otag) ||
	    lb >= sizeof(p->ctag) || memchr(a, '=', la) || memchr(b, '=', lb) ||
	    memchr(a, '\0', la) || memchr(b, '\0', lb))
		return perror_at(p, at,
				 "bad delimiter tag: expected {{=OPEN CLOSE=}}");
	memcpy(p->otag, a, la);
	p->otag[la] = '\0';
	memcpy(p->ctag, b, lb);
	p->ctag[lb] = '\0';
	return MAJLIS_OK;
}

static enum majlis_status
parse(struct parser *p, struct node *root)
{
	struct node **stack = NULL;
	size_t depth = 0, cap = 0;
	const char *pos = p->src;
	enum majlis_status rc = MAJLIS_OK;

	xgrow(&stack, &cap, 1, sizeof(*stack));
	stack[depth++] = root;
	while (pos < p->end && rc == MAJLIS_OK) {
		struct node *cur = stack[depth - 1];
		const char *open = find(pos, p->end, p->otag);
		const char *inner, *close, *after, *ls, *le;
		const char *ns;
		size_t nlen, olen = strlen(p->otag), clen = strlen(p->ctag);
		char type;
		int standalone, line, pos_line = line_of(p, pos);

		if (!open) {
			add_text(cur, pos, (size_t)(p->end - pos), pos_line);
			break;
		}
		inner = open + olen;
		type = inner < p->end ? *inner : '\0';
		if (type == '{') {
			char want[20];

			snprintf(want, sizeof(want), "}%s", p->ctag);
			close = find(inner + 1, p->end, want);
			after = close ? close + strlen(want) : NULL;
			inner++;
		} else if (type == '=') {
			char want[20];

			snprintf(want, sizeof(want), "=%s", p->ctag);
			close = find(inner + 1, p->end, want);
			after = close ? close + strlen(want) : NULL;
			inner++;
		} else {
			if (strchr("#^/!>&", type) && type)
				inner++;
			else
				type = '\0';
			close = find(inner, p->end, p->ctag);
			after = close ? close + clen : NULL;
		}
		if (!close) {
			rc = perror_at(p, open, "a tag is never closed");
			break;
		}
		line = line_of(p, open);
		/* Standalone: only blanks around a block tag on its line. */
		for (ls = open; ls > p->src && ls[-1] != '\n'; ls--)
			;
		standalone = type && strchr("#^/!>=", type);
		for (const char *s = ls; standalone && s < open; s++)
			standalone = is_blank(*s);
		for (le = after; standalone && le < p->end && is_blank(*le);
		     le++)
			;
		if (standalone && le < p->end) {
			if (*le == '\n')
				le++;
			else if (*le == '\r' && le + 1 < p->end && le[1] == '\n')
				le += 2;
			else
				standalone = 0;
		}
		add_text(cur, pos, (size_t)((standalone ? ls : open) - pos),
			 pos_line);
		pos = standalone ? le : after;
		if (type == '!')
			continue;
		if (type == '=') {
			rc = set_delimiters(p, inner, close, open);
			continue;
		}
		if (tag_name(inner, close, &ns, &nlen) < 0) {
			rc = perror_at(p, open, "a tag without a name");
			break;
		}
		/* A name over several lines is a tag left open that ate
		 * text up to a later close ("{{{x}}" ... "}}}"). */
		if (memchr(ns, '\n', nlen) || memchr(ns, '\r', nlen)) {
			rc = perror_at(p, open, "a tag name spans lines");
			break;
		}
		switch (type) {
		case '#':
		case '^': {
			struct node *n;

			/* Rendering recurses once a section: bound it. */
			if (depth > MUSTACHE_MAX_DEPTH) {
				rc = error(p->err, MAJLIS_ERR_DATA,
					   "%s:%d: sections nested deeper than %d",
					   p->name, line, MUSTACHE_MAX_DEPTH);
				break;
			}
			n = add_node(cur,
				     type == '#' ? NODE_SECTION : NODE_INVERTED,
				     ns, nlen, line);

			xgrow(&stack, &cap, depth + 1, sizeof(*stack));
			stack[depth++] = n;
			break;
		}
		case '/':
			if (depth == 1 || cur->len != nlen ||
			    memcmp(cur->text, ns, nlen)) {
				struct buf msg = BUF_INIT;

				if (depth == 1)
					buf_addf(&msg,
						 "'/%.*s' closes no section",
						 (int)nlen, ns);
				else
					buf_addf(&msg,
						 "'/%.*s' closes section '%s' "
						 "opened at line %d",
						 (int)nlen, ns, cur->text,
						 cur->line);
				rc = perror_at(p, open, msg.data);
				buf_release(&msg);
				break;
			}
			depth--;
			break;
		case '>': {
			struct node *n = add_node(cur, NODE_PARTIAL, ns, nlen,
						  line);

			if (standalone)
				n->indent = xstrndup(ls, (size_t)(open - ls));
			break;
		}
		case '{':
		case '&':
			add_node(cur, NODE_RAW, ns, nlen, line);
			break;
		default:
			add_node(cur, NODE_VAR, ns, nlen, line);
			break;
		}
	}
	if (rc == MAJLIS_OK && depth > 1)
		rc = error(p->err, MAJLIS_ERR_DATA,
			   "%s:%d: section '%s' is never closed", p->name,
			   stack[depth - 1]->line, stack[depth - 1]->text);
	free(stack);
	return rc;
}

enum majlis_status
mustache_parse(const char *name, const char *text, size_t len,
	       struct mustache **out, struct buf *err)
{
	struct mustache *t = xcalloc(1, sizeof(*t));
	struct parser p;
	enum majlis_status rc;

	t->name = xstrdup(name);
	t->root.kind = NODE_SECTION;
	memset(&p, 0, sizeof(p));
	p.name = name;
	p.src = text;
	p.end = text + len;
	p.err = err;
	snprintf(p.otag, sizeof(p.otag), "{{");
	snprintf(p.ctag, sizeof(p.ctag), "}}");
	rc = parse(&p, &t->root);
	if (rc != MAJLIS_OK) {
		mustache_free(t);
		*out = NULL;
		return rc;
	}
	*out = t;
	return MAJLIS_OK;
}

struct render {
	const struct mustache *t;	/* for messages */
	unsigned flags;
	mustache_partial_fn partials;
	void *ctx;
	json_t **stack;			/* contexts, innermost last */
	size_t depth, cap;
	int nesting;			/* partials deep */
	size_t steps;			/* work done, see MUSTACHE_MAX_STEPS */
	struct buf *out;
	size_t start;			/* out->len when the render began */
	struct buf *err;
};

/* Resolves a name against the stack; NULL for a miss. */
static json_t *
resolve(struct render *r, const char *name)
{
	const char *dot, *part = name;
	json_t *v = NULL;
	char key[256];
	size_t n;

	if (!strcmp(name, "."))
		return r->depth ? r->stack[r->depth - 1] : NULL;
	dot = strchr(part, '.');
	n = dot ? (size_t)(dot - part) : strlen(part);
	if (n >= sizeof(key))
		return NULL;
	memcpy(key, part, n);
	key[n] = '\0';
	for (size_t i = r->depth; i-- > 0;) {
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], key)) != NULL)
			break;
	}
	while (v && dot) {
		part = dot + 1;
		dot = strchr(part, '.');
		n = dot ? (size_t)(dot - part) : strlen(part);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, part, n);
		key[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static int
truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	return 1;
}

static void
add_escaped(struct buf *out, const char *s, size_t n, int escape)
{
	if (!escape) {
		buf_add(out, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			buf_addstr(out, "&amp;");
			break;
		case '<':
			buf_addstr(out, "&lt;");
			break;
		case '>':
			buf_addstr(out, "&gt;");
			break;
		case '"':
			buf_addstr(out, "&quot;");
			break;
		default:
			buf_addch(out, s[i]);
		}
	}
}

/* A number as the shortest text that reads back the same. */
static void
add_real(struct buf *out, double d)
{
	char s[64];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	buf_addstr(out, s);
}

static enum majlis_status render_nodes(struct render *r, const struct node *n,
				       size_t count);

static enum majlis_status
miss(struct render *r, const struct node *n, const char *what)
{
	return error(r->err, MAJLIS_ERR_DATA, "%s:%d: unknown %s '%s'",
		     r->t->name, n->line, what, n->text);
}

static void
push(struct render *r, json_t *v)
{
	xgrow(&r->stack, &r->cap, r->depth + 1, sizeof(*r->stack));
	r->stack[r->depth++] = v;
}

static enum majlis_status
render_partial(struct render *r, const struct node *n)
{
	const char *text;
	size_t len;
	struct buf indented = BUF_INIT;
	struct mustache *pt = NULL;
	const struct mustache *outer = r->t;
	enum majlis_status rc;

	text = r->partials ? r->partials(r->ctx, n->text, &len) : NULL;
	if (!text)
		return (r->flags & MUSTACHE_STRICT) ? miss(r, n, "partial")
						     : MAJLIS_OK;
	/* Each inclusion parses the partial again: count it as work. */
	r->steps += len;
	if (++r->nesting > MUSTACHE_MAX_DEPTH) {
		r->nesting--;
		return error(r->err, MAJLIS_ERR_DATA,
			     "%s:%d: partials nested deeper than %d",
			     r->t->name, n->line, MUSTACHE_MAX_DEPTH);
	}
	/* A standalone partial's indentation goes before each of its
	 * lines, before it is rendered. */
	if (n->indent && *n->indent) {
		for (size_t i = 0; i < len; i++) {
			if (i == 0 || text[i - 1] == '\n')
				buf_addstr(&indented, n->indent);
			buf_addch(&indented, text[i]);
		}
		text = indented.data;
		len = indented.len;
	}
	rc = mustache_parse(n->text, text, len, &pt, r->err);
	if (rc == MAJLIS_OK) {
		r->t = pt;
		rc = render_nodes(r, pt->root.kids, pt->root.nkids);
		r->t = outer;
	}
	mustache_free(pt);
	buf_release(&indented);
	r->nesting--;
	return rc;
}

static enum majlis_status
render_nodes(struct render *r, const struct node *nodes, size_t count)
{
	enum majlis_status rc = MAJLIS_OK;

	for (size_t i = 0; i < count && rc == MAJLIS_OK; i++) {
		const struct node *n = &nodes[i];
		json_t *v;

		/* Sections over arrays multiply: a loop may write nothing,
		 * so the work is bounded as well as the output. */
		if (++r->steps > MUSTACHE_MAX_STEPS)
			return error(r->err, MAJLIS_ERR_DATA,
				     "%s:%d: rendering stopped after %u steps "
				     "(sections nested over too much data?)",
				     r->t->name, n->line, MUSTACHE_MAX_STEPS);
		switch (n->kind) {
		case NODE_TEXT:
			buf_add(r->out, n->text, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			v = resolve(r, n->text);
			if (!v) {
				if (r->flags & MUSTACHE_STRICT)
					return miss(r, n, "field");
				break;
			}
			if (json_is_string(v))
				add_escaped(r->out, json_string_value(v),
					    json_string_length(v),
					    n->kind == NODE_VAR);
			else if (json_is_integer(v))
				buf_addf(r->out, "%lld",
					 (long long)json_integer_value(v));
			else if (json_is_real(v))
				add_real(r->out, json_real_value(v));
			else if (json_is_true(v))
				buf_addstr(r->out, "true");
			else if (json_is_false(v))
				buf_addstr(r->out, "false");
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			v = resolve(r, n->text);
			if (!v && (r->flags & MUSTACHE_STRICT))
				return miss(r, n, "field");
			if (n->kind == NODE_INVERTED) {
				if (!truthy(v))
					rc = render_nodes(r, n->kids,
							  n->nkids);
				break;
			}
			if (!truthy(v))
				break;
			if (json_is_array(v)) {
				size_t k;
				json_t *item;

				json_array_foreach(v, k, item) {
					push(r, item);
					rc = render_nodes(r, n->kids, n->nkids);
					r->depth--;
					if (rc != MAJLIS_OK)
						break;
				}
			} else {
				push(r, v);
				rc = render_nodes(r, n->kids, n->nkids);
				r->depth--;
			}
			break;
		case NODE_PARTIAL:
			rc = render_partial(r, n);
			break;
		}
		/* Cut at the limit, so that even a failed render keeps it. */
		if (r->out->len - r->start > MUSTACHE_MAX_OUTPUT) {
			buf_truncate(r->out, r->start + MUSTACHE_MAX_OUTPUT);
			if (rc == MAJLIS_OK)
				rc = error(r->err, MAJLIS_ERR_DATA,
					   "%s:%d: output larger than %u bytes",
					   r->t->name, n->line,
					   MUSTACHE_MAX_OUTPUT);
		}
	}
	return rc;
}

enum majlis_status
mustache_render(const struct mustache *t, json_t *data, unsigned flags,
		mustache_partial_fn partials, void *ctx, struct buf *out,
		struct buf *err)
{
	struct render r;
	enum majlis_status rc;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.flags = flags;
	r.partials = partials;
	r.ctx = ctx;
	r.out = out;
	r.start = out->len;
	r.err = err;
	push(&r, data);
	rc = render_nodes(&r, t->root.kids, t->root.nkids);
	free(r.stack);
	return rc;
}
