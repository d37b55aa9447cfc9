/*
 * doc.c - the document model and its XML vocabulary (see doc.h and
 * templates/README.md), read with libxml2.
 *
 * Layout: building and freeing blocks; inline text (runs, whitespace,
 * isolates for left-to-right stretches in Arabic); one reader per element; the
 * language filter; template checks; plain text.
 */
#include "doc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"
#include "text.h"

/* Elements and the attributes each accepts. */
static const struct {
	const char *name;
	const char *attrs;	/* space-separated */
} vocabulary[] = {
	{ "document", "title-fr title-ar subject keywords author register "
		      "created footer-fr footer-ar both orientation" },
	{ "letterhead", "" },
	{ "line", "lang" },
	{ "h1", "lang align keep" },
	{ "h2", "lang align keep" },
	{ "h3", "lang align keep" },
	{ "p", "lang align keep size" },
	{ "b", "" },
	{ "i", "" },
	{ "u", "" },
	{ "small", "" },
	{ "a", "href" },
	{ "ltr", "" },
	{ "rtl", "" },
	{ "br", "" },
	{ "ul", "lang" },
	{ "ol", "lang" },
	{ "li", "lang" },
	{ "table", "lang borders keep" },
	{ "cols", "" },
	{ "col", "width lang" },
	{ "tr", "header" },
	{ "th", "lang align" },
	{ "td", "lang align" },
	{ "pair", "keep" },
	{ "signatures", "" },
	{ "sign", "title-fr title-ar name-fr name-ar" },
	{ "pagebreak", "" },
	{ "space", "height" },
	{ "rule", "" },
	{ "fragment", "" }, /* the root a partial is checked under */
};

#define NVOCAB (sizeof(vocabulary) / sizeof(vocabulary[0]))

const char *
doc_lang_code(enum doc_lang lang)
{
	return lang == DOC_FR ? "fr" : lang == DOC_AR ? "ar" : NULL;
}

int
doc_mode_parse(const char *s, enum doc_mode *out)
{
	if (!strcmp(s, "fr"))
		*out = MODE_FR;
	else if (!strcmp(s, "ar"))
		*out = MODE_AR;
	else if (!strcmp(s, "both"))
		*out = MODE_BOTH;
	else
		return -1;
	return 0;
}

static void
block_release(struct doc_block *b)
{
	for (size_t i = 0; i < b->nruns; i++) {
		free(b->runs[i].text);
		free(b->runs[i].link);
	}
	free(b->runs);
	for (size_t i = 0; i < b->nkids; i++)
		block_release(&b->kids[i]);
	free(b->kids);
	free(b->widths);
	memset(b, 0, sizeof(*b));
}

void
doc_free(struct doc *d)
{
	if (!d)
		return;
	block_release(&d->body);
	free(d->title_fr);
	free(d->title_ar);
	free(d->subject);
	free(d->keywords);
	free(d->author);
	free(d->register_no);
	free(d->created);
	free(d->footer_fr);
	free(d->footer_ar);
	free(d);
}

static struct doc_block *
add_block(struct doc_block *parent, enum block_kind kind, enum doc_lang lang)
{
	struct doc_block *b;

	xgrow(&parent->kids, &parent->capkids, parent->nkids + 1,
	      sizeof(*parent->kids));
	b = &parent->kids[parent->nkids++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->lang = lang;
	return b;
}

static void
add_run(struct doc_block *b, const char *text, size_t len, unsigned style,
	const char *link)
{
	struct doc_run *r;

	if (!len)
		return;
	r = b->nruns ? &b->runs[b->nruns - 1] : NULL;
	if (r && r->style == style && str_eq(r->link, link)) {
		size_t n = strlen(r->text);

		r->text = xrealloc(r->text, n + len + 1);
		memcpy(r->text + n, text, len);
		r->text[n + len] = '\0';
		return;
	}
	xgrow(&b->runs, &b->capruns, b->nruns + 1, sizeof(*b->runs));
	r = &b->runs[b->nruns++];
	r->text = xstrndup(text, len);
	r->style = style;
	r->link = link ? xstrdup(link) : NULL;
}

struct reader {
	const char *name;
	enum doc_mode mode;	/* the mode being built */
	struct doc *doc;
	struct buf *err;
	int failed;
	int sequential;		/* both, one language after the other */
	int metadata;		/* the root's attributes are read */
};

static enum majlis_status reader_error(struct reader *r, xmlNode *n,
				       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum majlis_status
reader_error(struct reader *r, xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	if (r->err->len)
		buf_addch(r->err, '\n');
	buf_addf(r->err, "%s: rendered line %ld: ", r->name,
		 n ? (long)xmlGetLineNo(n) : 0L);
	va_start(ap, fmt);
	buf_vaddf(r->err, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return MAJLIS_ERR_DATA;
}

static const char *
attr(xmlNode *n, const char *name)
{
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (!strcmp((const char *)a->name, name) && a->children &&
		    a->children->content)
			return (const char *)a->children->content;
	return NULL;
}

static int
is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

/* The language of an element: its lang attribute, or its parent's. */
static int
lang_of(struct reader *r, xmlNode *n, enum doc_lang inherited,
	enum doc_lang *out)
{
	const char *l = attr(n, "lang");

	*out = inherited;
	if (!l)
		return 0;
	if (!strcmp(l, "fr"))
		*out = DOC_FR;
	else if (!strcmp(l, "ar"))
		*out = DOC_AR;
	else if (!strcmp(l, "none"))
		*out = DOC_NEUTRAL;
	else {
		reader_error(r, n, "lang must be fr, ar or none, not '%s'", l);
		return -1;
	}
	return 0;
}

/* False when a block of this language is left out of the mode. */
static int
shown(struct reader *r, enum doc_lang lang)
{
	return !((r->mode == MODE_FR && lang == DOC_AR) ||
		 (r->mode == MODE_AR && lang == DOC_FR));
}

static int
align_of(struct reader *r, xmlNode *n, enum doc_align *out)
{
	const char *a = attr(n, "align");

	*out = ALIGN_START;
	if (!a || !strcmp(a, "start"))
		return 0;
	if (!strcmp(a, "center"))
		*out = ALIGN_CENTER;
	else if (!strcmp(a, "end"))
		*out = ALIGN_END;
	else if (!strcmp(a, "justify"))
		*out = ALIGN_JUSTIFY;
	else {
		reader_error(r, n,
			     "align must be start, center, end or justify");
		return -1;
	}
	return 0;
}

/*
 * Text as HTML reads it: runs of white space are one space. space_before
 * carries "the last character written was a space" across runs.
 */
static void
add_text(struct doc_block *b, const char *s, unsigned style, const char *link,
	 int *space_before)
{
	struct buf t = BUF_INIT;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!*space_before)
				buf_addch(&t, ' ');
			*space_before = 1;
		} else {
			buf_addch(&t, *s);
			*space_before = 0;
		}
	}
	add_run(b, t.data, t.len, style, link);
	buf_release(&t);
}

static void
read_inline(struct reader *r, struct doc_block *b, xmlNode *first,
	    unsigned style, const char *link, int *space)
{
	for (xmlNode *n = first; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			add_text(b, (const char *)n->content, style, link,
				 space);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "b"))
			read_inline(r, b, n->children, style | RUN_BOLD, link,
				    space);
		else if (is(n, "i"))
			read_inline(r, b, n->children, style | RUN_ITALIC,
				    link, space);
		else if (is(n, "u"))
			read_inline(r, b, n->children, style | RUN_UNDERLINE,
				    link, space);
		else if (is(n, "small"))
			read_inline(r, b, n->children, style | RUN_SMALL, link,
				    space);
		else if (is(n, "a"))
			read_inline(r, b, n->children, style, attr(n, "href"),
				    space);
		else if (is(n, "ltr") || is(n, "rtl")) {
			/* Isolates keep a run's own order inside the other
			 * direction: "2022–2027" in an Arabic sentence. */
			add_run(b, is(n, "ltr") ? "\xe2\x81\xa6" : "\xe2\x81\xa7",
				3, style, link);
			read_inline(r, b, n->children, style, link, space);
			add_run(b, "\xe2\x81\xa9", 3, style, link);
		} else if (is(n, "br")) {
			add_run(b, "\n", 1, style, link);
			*space = 1;
		} else {
			reader_error(r, n, "<%s> cannot be inside a paragraph",
				     (const char *)n->name);
		}
	}
}

/* Trims the spaces that collapsing left at both ends of a paragraph. */
static void
trim_runs(struct doc_block *b)
{
	while (b->nruns) {
		struct doc_run *r = &b->runs[0];
		size_t lead = strspn(r->text, " ");

		if (!lead)
			break;
		memmove(r->text, r->text + lead, strlen(r->text + lead) + 1);
		if (*r->text)
			break;
		free(r->text);
		free(r->link);
		memmove(b->runs, b->runs + 1, --b->nruns * sizeof(*b->runs));
	}
	while (b->nruns) {
		struct doc_run *r = &b->runs[b->nruns - 1];
		size_t n = strlen(r->text);

		while (n && r->text[n - 1] == ' ')
			r->text[--n] = '\0';
		if (n)
			break;
		free(r->text);
		free(r->link);
		b->nruns--;
	}
}

/* In Arabic paragraphs, stretches written left to right get isolates
 * (text_isolate_ltr()); a run where the author placed some is left
 * alone. */
static void
isolate_ltr(struct doc_block *b)
{
	for (size_t i = 0; i < b->nruns; i++) {
		struct doc_run *r = &b->runs[i];
		struct buf out = BUF_INIT;

		if (strstr(r->text, "\xe2\x81\xa6") ||
		    strstr(r->text, "\xe2\x81\xa7") ||
		    strstr(r->text, "\xe2\x81\xa8"))
			continue;
		if (text_isolate_ltr(r->text, &out)) {
			free(r->text);
			r->text = buf_detach(&out, NULL);
		}
		buf_release(&out);
	}
}

static void
read_paragraph(struct reader *r, struct doc_block *b, xmlNode *n)
{
	int space = 1;

	read_inline(r, b, n->children, 0, NULL, &space);
	trim_runs(b);
	/* A block of no language, kept in every mode, reads in the
	 * direction of its text: a petitioner's words may be Arabic. */
	if (b->lang == DOC_NEUTRAL) {
		for (size_t i = 0; i < b->nruns; i++) {
			int d = text_first_strong(b->runs[i].text);

			if (d >= 0) {
				if (d == 1)
					b->lang = DOC_AR;
				break;
			}
		}
	}
	if (b->lang == DOC_AR)
		isolate_ltr(b);
}

static void read_blocks(struct reader *r, struct doc_block *parent,
			xmlNode *first, enum doc_lang lang);

static void
read_table(struct reader *r, struct doc_block *parent, xmlNode *t,
	   enum doc_lang lang)
{
	struct doc_block *tb = add_block(parent, BLOCK_TABLE, lang);
	enum doc_lang col_lang[64];
	int keep_col[64], ncols = 0;
	const char *borders = attr(t, "borders");

	tb->borders = !borders || strcmp(borders, "no");
	tb->keep = attr(t, "keep") && !strcmp(attr(t, "keep"), "yes");
	for (xmlNode *n = t->children; n; n = n->next) {
		if (!is(n, "cols"))
			continue;
		for (xmlNode *c = n->children; c; c = c->next) {
			const char *w;
			long long width;

			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (!is(c, "col") || ncols == 64) {
				reader_error(r, c, "<cols> holds up to 64 <col>");
				return;
			}
			w = attr(c, "width");
			if (!w || parse_int(w, 1, 1000, &width)) {
				reader_error(r, c,
					     "<col> needs width, a number from "
					     "1 to 1000");
				return;
			}
			if (lang_of(r, c, lang, &col_lang[ncols]) < 0)
				return;
			keep_col[ncols] = shown(r, col_lang[ncols]);
			if (keep_col[ncols]) {
				tb->widths = xrealloc(tb->widths,
						      (tb->nwidths + 1) *
							      sizeof(double));
				tb->widths[tb->nwidths++] = (double)width;
			}
			ncols++;
		}
	}
	if (!ncols) {
		reader_error(r, t, "<table> needs <cols> with its <col> widths");
		return;
	}
	for (xmlNode *n = t->children; n; n = n->next) {
		struct doc_block *row;
		int k = 0;

		if (n->type != XML_ELEMENT_NODE || is(n, "cols"))
			continue;
		if (!is(n, "tr")) {
			reader_error(r, n, "<table> holds <cols> and <tr>");
			return;
		}
		row = add_block(tb, BLOCK_ROW, lang);
		row->header = attr(n, "header") && !strcmp(attr(n, "header"),
							   "yes");
		row->borders = tb->borders;
		for (xmlNode *c = n->children; c; c = c->next) {
			struct doc_block *cell, *p;
			enum doc_lang cl;

			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (!is(c, "td") && !is(c, "th")) {
				reader_error(r, c, "<tr> holds <td> and <th>");
				return;
			}
			if (k >= ncols) {
				reader_error(r, c, "more cells than <col>");
				return;
			}
			if (lang_of(r, c, col_lang[k], &cl) < 0)
				return;
			if (!keep_col[k++])
				continue;
			cell = add_block(row, BLOCK_CELL, cl);
			p = add_block(cell, BLOCK_PARA, cl);
			if (align_of(r, c, &p->align) < 0)
				return;
			read_paragraph(r, p, c);
			if (is(c, "th"))
				for (size_t i = 0; i < p->nruns; i++)
					p->runs[i].style |= RUN_BOLD;
		}
		if (k != ncols) {
			reader_error(r, n, "%d cells for %d columns", k, ncols);
			return;
		}
	}
}

static void
read_signatures(struct reader *r, struct doc_block *parent, xmlNode *s)
{
	struct doc_block *sig = add_block(parent, BLOCK_SIGNATURES,
					  DOC_NEUTRAL);

	for (xmlNode *n = s->children; n; n = n->next) {
		struct doc_block *cell;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!is(n, "sign")) {
			reader_error(r, n, "<signatures> holds <sign>");
			return;
		}
		cell = add_block(sig, BLOCK_CELL, DOC_NEUTRAL);
		for (int l = 0; l < 2; l++) {
			enum doc_lang lang = l ? DOC_AR : DOC_FR;
			const char *title = attr(n, l ? "title-ar" : "title-fr");
			const char *name = attr(n, l ? "name-ar" : "name-fr");
			int space = 1;
			struct doc_block *p;

			if (!shown(r, lang))
				continue;
			if (title) {
				p = add_block(cell, BLOCK_PARA, lang);
				p->align = ALIGN_CENTER;
				space = 1;
				add_text(p, title, RUN_BOLD, NULL, &space);
				trim_runs(p);
			}
			if (name) {
				p = add_block(cell, BLOCK_PARA, lang);
				p->align = ALIGN_CENTER;
				space = 1;
				add_text(p, name, 0, NULL, &space);
				trim_runs(p);
			}
		}
	}
}

static void
read_pair(struct reader *r, struct doc_block *parent, xmlNode *n)
{
	struct doc_block *row, *fr, *ar;

	if (r->mode != MODE_BOTH) {
		/* One language: its half, as ordinary blocks. */
		read_blocks(r, parent, n->children, DOC_NEUTRAL);
		return;
	}
	row = add_block(parent, BLOCK_ROW, DOC_NEUTRAL);
	row->keep = attr(n, "keep") && !strcmp(attr(n, "keep"), "yes");
	fr = add_block(row, BLOCK_CELL, DOC_FR);
	ar = add_block(row, BLOCK_CELL, DOC_AR);
	for (xmlNode *c = n->children; c; c = c->next) {
		enum doc_lang l;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (lang_of(r, c, DOC_NEUTRAL, &l) < 0)
			return;
		if (l == DOC_NEUTRAL) {
			reader_error(r, c,
				     "each block of a <pair> needs lang fr or "
				     "ar");
			return;
		}
		{
			xmlNode *next = c->next;

			/* Read one element alone into its side. */
			c->next = NULL;
			read_blocks(r, l == DOC_FR ? fr : ar, c, l);
			c->next = next;
		}
	}
}

static void
read_letterhead(struct reader *r, struct doc_block *parent, xmlNode *n)
{
	struct doc_block *lh = add_block(parent, BLOCK_LETTERHEAD, DOC_NEUTRAL);

	for (xmlNode *c = n->children; c; c = c->next) {
		struct doc_block *p;
		enum doc_lang l;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is(c, "line")) {
			reader_error(r, c, "<letterhead> holds <line>");
			return;
		}
		if (lang_of(r, c, DOC_NEUTRAL, &l) < 0)
			return;
		if (l == DOC_NEUTRAL) {
			reader_error(r, c, "a letterhead <line> needs lang");
			return;
		}
		if (!shown(r, l))
			continue;
		p = add_block(lh, BLOCK_PARA, l);
		p->align = ALIGN_CENTER;
		read_paragraph(r, p, c);
		/* Letterheads are set small, as on the Commune's paper. */
		for (size_t i = 0; i < p->nruns; i++)
			p->runs[i].style |= RUN_SMALL;
	}
}

static void
read_list(struct reader *r, struct doc_block *parent, xmlNode *n,
	  enum doc_lang lang)
{
	struct doc_block *list = add_block(parent, BLOCK_LIST, lang);

	list->level = is(n, "ol");
	for (xmlNode *c = n->children; c; c = c->next) {
		struct doc_block *item;
		enum doc_lang l;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is(c, "li")) {
			reader_error(r, c, "<%s> holds <li>",
				     (const char *)n->name);
			return;
		}
		if (lang_of(r, c, lang, &l) < 0)
			return;
		if (!shown(r, l))
			continue;
		item = add_block(list, BLOCK_PARA, l);
		read_paragraph(r, item, c);
	}
}

static void
read_blocks(struct reader *r, struct doc_block *parent, xmlNode *first,
	    enum doc_lang inherited)
{
	for (xmlNode *n = first; n && !r->failed; n = n->next) {
		enum doc_lang lang;
		struct doc_block *b;

		if (n->type == XML_TEXT_NODE) {
			for (const char *s = (const char *)n->content; *s; s++)
				if (!strchr(" \t\r\n", *s)) {
					/* Quoted on one line, in whole
					 * characters: one message a line. */
					int q = (int)strcspn(s, "\r\n");

					if (q > 20) {
						q = 20;
						while (q > 0 &&
						       ((unsigned char)s[q] &
							0xC0) == 0x80)
							q--;
					}
					reader_error(r, n,
						     "text outside of a "
						     "paragraph: '%.*s'",
						     q, s);
					break;
				}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (lang_of(r, n, inherited, &lang) < 0)
			return;
		if (!shown(r, lang))
			continue;
		if (is(n, "h1") || is(n, "h2") || is(n, "h3") || is(n, "p")) {
			b = add_block(parent, n->name[0] == 'h' ? BLOCK_HEADING
							       : BLOCK_PARA,
				      lang);
			b->level = n->name[0] == 'h' ? n->name[1] - '0' : 0;
			b->keep = b->kind == BLOCK_HEADING ||
				  (attr(n, "keep") &&
				   !strcmp(attr(n, "keep"), "yes"));
			if (align_of(r, n, &b->align) < 0)
				return;
			read_paragraph(r, b, n);
			if (attr(n, "size") && !strcmp(attr(n, "size"), "small"))
				for (size_t i = 0; i < b->nruns; i++)
					b->runs[i].style |= RUN_SMALL;
		} else if (is(n, "ul") || is(n, "ol")) {
			read_list(r, parent, n, lang);
		} else if (is(n, "table")) {
			read_table(r, parent, n, lang);
		} else if (is(n, "pair")) {
			read_pair(r, parent, n);
		} else if (is(n, "signatures")) {
			read_signatures(r, parent, n);
		} else if (is(n, "letterhead")) {
			read_letterhead(r, parent, n);
		} else if (is(n, "pagebreak")) {
			add_block(parent, BLOCK_PAGEBREAK, DOC_NEUTRAL);
		} else if (is(n, "rule")) {
			add_block(parent, BLOCK_RULE, DOC_NEUTRAL);
		} else if (is(n, "space")) {
			long long h = 12;

			if (attr(n, "height") &&
			    parse_int(attr(n, "height"), 0, 500, &h)) {
				reader_error(r, n, "height must be 0-500 points");
				return;
			}
			b = add_block(parent, BLOCK_SPACE, DOC_NEUTRAL);
			b->level = (int)h;
		} else {
			reader_error(r, n, "<%s> is not a block element",
				     (const char *)n->name);
		}
	}
}

static char *
dup_attr(xmlNode *n, const char *name)
{
	const char *v = attr(n, name);

	return v ? xstrdup(v) : NULL;
}

/* Checks names against the vocabulary; returns the number of problems. */
static int
check_names(const char *name, xmlNode *n, struct buf *err, int *count)
{
	for (; n; n = n->next) {
		size_t i;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < NVOCAB; i++)
			if (!strcmp(vocabulary[i].name, (const char *)n->name))
				break;
		if (i == NVOCAB) {
			error(err, MAJLIS_ERR_DATA, "%s:%ld: unknown element <%s>",
			      name, (long)xmlGetLineNo(n), (const char *)n->name);
			(*count)++;
		} else {
			for (xmlAttr *a = n->properties; a; a = a->next) {
				const char *an = (const char *)a->name;
				const char *list = vocabulary[i].attrs;
				size_t len = strlen(an);
				int ok = 0;

				for (const char *p = list; (p = strstr(p, an));
				     p += len)
					if ((p == list || p[-1] == ' ') &&
					    (p[len] == ' ' || !p[len]))
						ok = 1;
				if (!ok) {
					error(err, MAJLIS_ERR_DATA,
					      "%s:%ld: <%s> has no attribute "
					      "'%s'%s%s",
					      name, (long)xmlGetLineNo(n),
					      (const char *)n->name, an,
					      *list ? " (it takes: " : "",
					      *list ? list : "");
					if (*list)
						buf_addch(err, ')');
					(*count)++;
				}
			}
		}
		check_names(name, n->children, err, count);
	}
	return *count;
}

static xmlDoc *
parse_xml(const char *name, const char *xml, size_t len, int line_offset,
	  struct buf *err)
{
	xmlParserCtxt *ctx = xmlNewParserCtxt();
	xmlDoc *d;
	const xmlError *e;

	if (!ctx)
		BUG("libxml2 cannot allocate a parser");
	if (len > INT32_MAX) {
		xmlFreeParserCtxt(ctx);
		error(err, MAJLIS_ERR_DATA, "%s: too large", name);
		return NULL;
	}
	d = xmlCtxtReadMemory(ctx, xml, (int)len, name, "UTF-8",
			      XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING);
	e = xmlCtxtGetLastError(ctx);
	if (!d || (e && e->level >= XML_ERR_ERROR)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s",
			 e && e->message ? e->message : "not XML");
		msg[strcspn(msg, "\n")] = '\0';
		error(err, MAJLIS_ERR_DATA, "%s:%d: %s", name,
		      (e ? e->line : 0) - line_offset, msg);
		if (d)
			xmlFreeDoc(d);
		d = NULL;
	} else if (d->intSubset) {
		error(err, MAJLIS_ERR_DATA, "%s: a DOCTYPE is not allowed",
		      name);
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(ctx);
	return d;
}

enum majlis_status
doc_check_template(const char *name, const char *text, size_t len,
		   int fragment, struct buf *err)
{
	struct buf wrapped = BUF_INIT;
	xmlDoc *d;
	int problems = 0;

	if (fragment) {
		buf_addstr(&wrapped, "<fragment>\n");
		buf_add(&wrapped, text, len);
		buf_addstr(&wrapped, "\n</fragment>");
		text = wrapped.data;
		len = wrapped.len;
	}
	d = parse_xml(name, text, len, fragment ? 1 : 0, err);
	buf_release(&wrapped);
	if (!d)
		return MAJLIS_ERR_DATA;
	if (!fragment && strcmp((const char *)xmlDocGetRootElement(d)->name,
				"document")) {
		error(err, MAJLIS_ERR_DATA,
		      "%s:%ld: a template's root element is <document>", name,
		      (long)xmlGetLineNo(xmlDocGetRootElement(d)));
		problems++;
	}
	check_names(name, xmlDocGetRootElement(d), err, &problems);
	xmlFreeDoc(d);
	return problems ? MAJLIS_ERR_DATA : MAJLIS_OK;
}

static void
read_document(struct reader *r, xmlNode *root)
{
	struct doc *d = r->doc;

	/* Once: a sequential document is read twice, and title-fr may
	 * be missing. */
	if (!r->metadata) {
		r->metadata = 1;
		d->title_fr = dup_attr(root, "title-fr");
		d->title_ar = dup_attr(root, "title-ar");
		d->subject = dup_attr(root, "subject");
		d->keywords = dup_attr(root, "keywords");
		d->author = dup_attr(root, "author");
		d->register_no = dup_attr(root, "register");
		d->created = dup_attr(root, "created");
		d->footer_fr = dup_attr(root, "footer-fr");
		d->footer_ar = dup_attr(root, "footer-ar");
		{
			const char *o = attr(root, "orientation");

			if (o && strcmp(o, "portrait") && strcmp(o, "landscape"))
				reader_error(r, root,
					     "orientation must be portrait or "
					     "landscape");
			d->landscape = o && !strcmp(o, "landscape");
		}
	}
	read_blocks(r, &d->body, root->children, DOC_NEUTRAL);
}

enum majlis_status
doc_from_xml(const char *name, const char *xml, size_t len,
	     enum doc_mode mode, struct doc **out, struct buf *err)
{
	struct reader r;
	xmlDoc *x;
	xmlNode *root;
	int problems = 0;
	const char *both;

	*out = NULL;
	x = parse_xml(name, xml, len, 0, err);
	if (!x)
		return MAJLIS_ERR_DATA;
	root = xmlDocGetRootElement(x);
	if (!root || !is(root, "document")) {
		xmlFreeDoc(x);
		return error(err, MAJLIS_ERR_DATA,
			     "%s: the root element must be <document>", name);
	}
	if (check_names(name, root, err, &problems)) {
		xmlFreeDoc(x);
		return MAJLIS_ERR_DATA;
	}
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.err = err;
	r.doc = xcalloc(1, sizeof(*r.doc));
	r.doc->mode = mode;
	both = attr(root, "both");
	if (both && strcmp(both, "side-by-side") && strcmp(both, "sequential"))
		reader_error(&r, root,
			     "both must be side-by-side or sequential");
	if (mode == MODE_BOTH && both && !strcmp(both, "sequential")) {
		/* One language after the other: Arabic, then French. */
		r.mode = MODE_AR;
		r.doc->sequential = 1;
		read_document(&r, root);
		add_block(&r.doc->body, BLOCK_PAGEBREAK, DOC_NEUTRAL)->level = 1;
		r.mode = MODE_FR;
		read_document(&r, root);
	} else {
		r.mode = mode;
		read_document(&r, root);
	}
	xmlFreeDoc(x);
	if (r.failed) {
		doc_free(r.doc);
		return MAJLIS_ERR_DATA;
	}
	*out = r.doc;
	return MAJLIS_OK;
}

static void
block_text(const struct doc_block *b, struct buf *out)
{
	switch (b->kind) {
	case BLOCK_HEADING:
	case BLOCK_PARA:
		for (size_t i = 0; i < b->nruns; i++)
			for (const char *s = b->runs[i].text; *s; s++)
				/* leave the invisible isolates out */
				if (!strncmp(s, "\xe2\x81", 2) &&
				    (unsigned char)s[2] >= 0xa6 &&
				    (unsigned char)s[2] <= 0xa9)
					s += 2;
				else
					buf_addch(out, *s);
		buf_addch(out, '\n');
		break;
	case BLOCK_PAGEBREAK:
		buf_addch(out, '\f');
		break;
	default:
		for (size_t i = 0; i < b->nkids; i++)
			block_text(&b->kids[i], out);
		break;
	}
}

void
doc_text(const struct doc *d, struct buf *out)
{
	block_text(&d->body, out);
}
