/*
 * render-pdf.c - the PDF back-end: pango lays out, cairo draws.
 *
 * Layout: the renderer (fonts from fonts/ only, one pango context per
 * base direction, 72 dpi, unrounded glyph positions); measuring, which
 * turns each paragraph into a pango layout once; pagination, which
 * places lines on pages and records drawing operations (headings kept
 * with what follows, paragraphs split between lines without widows or
 * orphans, table rows split across pages with the header rows repeated);
 * drawing, once the page count is known, with bilingual page numbers,
 * metadata, an outline of the headings and links.
 *
 * Arabic paragraphs get a right-to-left base direction from their
 * language, never from the shaper's guess; with it, pango's alignment is
 * physical (left is left), so "start" maps to right for Arabic.
 */
#include "render.h"
#include "render-priv.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys.h"

/* A4, in points. */
#define A4_W 595.276
#define A4_H 841.89
/* The page of the document being laid out: A4, upright or turned. */
#define PAGE_W (L->page_w)
#define PAGE_H (L->page_h)
#define MARGIN_X 56.7
#define MARGIN_TOP 45.0
#define MARGIN_BOTTOM 42.0
#define FOOTER_H 26.0
#define BODY_TOP MARGIN_TOP
#define BODY_BOTTOM (PAGE_H - MARGIN_BOTTOM - FOOTER_H)
#define BODY_W (PAGE_W - 2 * MARGIN_X)

#define SIZE_BODY 10.5
#define SIZE_SMALL 8.5
#define SIZE_FOOTER 8.0
#define PARA_GAP 5.0
#define CELL_PAD 4.0
#define LIST_INDENT 16.0

struct renderer {
	FcConfig *fc;
	PangoFontMap *fontmap;
	PangoContext *ctx[2];		/* [0] left to right, [1] right to left */
	PangoRenderer *glyphs;		/* draws lines, see render-glyphs.c */
	unsigned flags;
};

enum majlis_status
renderer_new(const char *fonts_dir, const char *cache_dir, unsigned flags,
	     struct renderer **out, struct buf *err)
{
	struct renderer *r = xcalloc(1, sizeof(*r));
	struct buf conf = BUF_INIT, path = BUF_INIT;
	cairo_font_options_t *fo;
	FcFontSet *fs;
	char *abs_dir;

	*out = NULL;
	r->flags = flags;
	r->fc = FcConfigCreate();
	if (cache_dir && mkdir_p(cache_dir, 0755) < 0) {
		buf_release(&conf);
		renderer_free(r);
		return error(err, MAJLIS_ERR_IO, "cannot create '%s': %s",
			     cache_dir, strerror(errno));
	}
	/* Only our fonts, and a cache fontconfig may write. */
	buf_addf(&conf,
		 "<?xml version=\"1.0\"?><fontconfig>"
		 "<cachedir>%s</cachedir></fontconfig>",
		 cache_dir ? cache_dir : "/tmp");
	/* fontconfig looks for a relative fonts.conf in its own folders,
	 * not in the current one. */
	abs_dir = realpath(fonts_dir, NULL);
	buf_addf(&path, "%s/fonts.conf", abs_dir ? abs_dir : fonts_dir);
	free(abs_dir);
	if (!FcConfigParseAndLoadFromMemory(r->fc, (const FcChar8 *)conf.data,
					    FcTrue) ||
	    !FcConfigParseAndLoad(r->fc, (const FcChar8 *)path.data, FcTrue) ||
	    !FcConfigAppFontAddDir(r->fc, (const FcChar8 *)fonts_dir)) {
		buf_release(&conf);
		buf_release(&path);
		renderer_free(r);
		return error(err, MAJLIS_ERR_CONFIG,
			     "cannot load the fonts in '%s' (fonts.conf and "
			     "the font files)",
			     fonts_dir);
	}
	buf_release(&conf);
	buf_release(&path);
	fs = FcConfigGetFonts(r->fc, FcSetApplication);
	if (!fs || fs->nfont < 2) {
		renderer_free(r);
		return error(err, MAJLIS_ERR_CONFIG, "no fonts in '%s'",
			     fonts_dir);
	}
	r->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(r->fontmap), r->fc);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	for (int i = 0; i < 2; i++) {
		r->ctx[i] = pango_font_map_create_context(r->fontmap);
		pango_cairo_context_set_resolution(r->ctx[i], 72);
		pango_cairo_context_set_font_options(r->ctx[i], fo);
		pango_context_set_round_glyph_positions(r->ctx[i], FALSE);
		pango_context_set_base_dir(r->ctx[i], i ? PANGO_DIRECTION_RTL
							 : PANGO_DIRECTION_LTR);
	}
	cairo_font_options_destroy(fo);
	r->glyphs = glyph_renderer_new();
	*out = r;
	return MAJLIS_OK;
}

void
renderer_free(struct renderer *r)
{
	if (!r)
		return;
	if (r->glyphs)
		g_object_unref(r->glyphs);
	for (int i = 0; i < 2; i++)
		if (r->ctx[i])
			g_object_unref(r->ctx[i]);
	if (r->fontmap)
		g_object_unref(r->fontmap);
	if (r->fc)
		FcConfigDestroy(r->fc);
	free(r);
}

PangoFontMap *
renderer_font_map(struct renderer *r)
{
	return r->fontmap;
}

/* A paragraph laid out once, with its lines' metrics. */
struct link {
	int start, end;		/* byte range in the layout's text */
	char *target;
};

struct para {
	PangoLayout *layout;
	const struct doc_block *block;
	int nlines;
	double *top;		/* each line's top, within the layout */
	double *height;		/* each line's height */
	double width;		/* the width it was laid out for */
	double indent;		/* from the start side */
	PangoLayout *marker;	/* a list item's bullet or number */
	struct link *links;
	size_t nlinks;
	double gap;		/* space after it */
};

enum op_kind {
	OP_LINES,	/* lines [from, to) of a paragraph */
	OP_HLINE,	/* a rule from (x, y) to (x2, y) */
	OP_BOX,		/* a cell border: rectangle (x, y) - (x2, y2) */
};

struct op {
	enum op_kind kind;
	int page;
	const struct para *p;
	int from, to;
	double x, y;	/* where line 'from' starts (its top left) */
	double x2, y2;
};

struct outline {
	int page;
	double y;
	int level;
	char *title;
};

struct layout {
	struct renderer *r;
	const struct doc *d;
	struct para **paras;	/* every measured paragraph, to free */
	size_t nparas, capparas;
	struct op *ops;
	size_t nops, capops;
	struct outline *outline;
	size_t noutline, capoutline;
	int page;		/* current page, from 0 */
	double y;		/* current position on it */
	int rtl_doc;		/* reading right to left: mirrored layout */
	struct para *ahead;	/* the next block, measured to keep with it */
	double page_w, page_h;	/* points */
};

static const char *
family(enum doc_lang lang)
{
	return lang == DOC_AR ? "majlis-arabic" : "majlis-latin";
}

static double
block_size(const struct doc_block *b)
{
	if (b->kind == BLOCK_HEADING)
		return b->level == 1 ? 15.0 : b->level == 2 ? 12.5 : 11.0;
	return SIZE_BODY;
}

/*
 * A run's text for pango. A hyphen between two letters becomes a
 * non-breaking one (U+2011): a line broken after "CASABLANCA-" reads as
 * a word cut in two, and text extractors join it back without its
 * hyphen ("CASABLANCASETTAT"). render-glyphs.c writes it back as "-" in
 * the PDF's text.
 */
static void
add_run_text(struct buf *text, const char *s)
{
	const char *h;

	while ((h = strchr(s, '-')) != NULL) {
		int joined = h > s && h[1] &&
			     g_unichar_isalpha(g_utf8_get_char(
				     g_utf8_prev_char(h))) &&
			     g_unichar_isalpha(g_utf8_get_char(h + 1));

		buf_add(text, s, (size_t)(h - s));
		buf_addstr(text, joined ? "\xe2\x80\x91" : "-");
		s = h + 1;
	}
	buf_addstr(text, s);
}

/* The isolates and line breaks of runs are text pango understands. */
static void
build_text(const struct doc_block *b, double size, struct buf *text,
	   PangoAttrList *attrs, struct para *p)
{
	for (size_t i = 0; i < b->nruns; i++) {
		const struct doc_run *run = &b->runs[i];
		guint start = (guint)text->len, end;
		PangoAttribute *a;

		add_run_text(text, run->text);
		end = (guint)text->len;
		if (run->style & RUN_BOLD) {
			a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
			a->start_index = start, a->end_index = end;
			pango_attr_list_insert(attrs, a);
		}
		if (run->style & RUN_ITALIC) {
			a = pango_attr_style_new(PANGO_STYLE_ITALIC);
			a->start_index = start, a->end_index = end;
			pango_attr_list_insert(attrs, a);
		}
		if (run->style & RUN_UNDERLINE || run->link) {
			a = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
			a->start_index = start, a->end_index = end;
			pango_attr_list_insert(attrs, a);
		}
		if (run->style & RUN_SMALL) {
			a = pango_attr_size_new((int)(SIZE_SMALL / SIZE_BODY *
						      size * PANGO_SCALE));
			a->start_index = start, a->end_index = end;
			pango_attr_list_insert(attrs, a);
		}
		if (run->link) {
			p->links = xrealloc(p->links,
					    (p->nlinks + 1) * sizeof(*p->links));
			p->links[p->nlinks].start = (int)start;
			p->links[p->nlinks].end = (int)end;
			p->links[p->nlinks].target = xstrdup(run->link);
			p->nlinks++;
		}
	}
}

static PangoLayout *
new_layout(struct layout *L, enum doc_lang lang, double size, int bold,
	   double width)
{
	PangoLayout *lay = pango_layout_new(L->r->ctx[lang == DOC_AR]);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, family(lang));
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_auto_dir(lay, FALSE);
	pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	return lay;
}

static void
set_alignment(PangoLayout *lay, enum doc_lang lang, enum doc_align a)
{
	int rtl = lang == DOC_AR;

	switch (a) {
	case ALIGN_CENTER:
		pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
		break;
	case ALIGN_END:
		pango_layout_set_alignment(lay, rtl ? PANGO_ALIGN_LEFT
						    : PANGO_ALIGN_RIGHT);
		break;
	case ALIGN_JUSTIFY:
		pango_layout_set_justify(lay, TRUE);
		/* fall through */
	default:
		pango_layout_set_alignment(lay, rtl ? PANGO_ALIGN_RIGHT
						    : PANGO_ALIGN_LEFT);
	}
}

/* Lays a paragraph-like block out for width points. */
static struct para *
measure(struct layout *L, const struct doc_block *b, double width,
	double indent, const char *marker)
{
	struct para *p = xcalloc(1, sizeof(*p));
	struct buf text = BUF_INIT;
	PangoAttrList *attrs = pango_attr_list_new();
	double size = block_size(b);
	PangoLayoutIter *it;
	int i = 0;

	p->block = b;
	p->width = width - indent;
	p->indent = indent;
	p->gap = b->kind == BLOCK_HEADING ? 4.0 : PARA_GAP;
	p->layout = new_layout(L, b->lang, size, b->kind == BLOCK_HEADING,
			       p->width);
	set_alignment(p->layout, b->lang, b->align);
	build_text(b, size, &text, attrs, p);
	if (!text.len)
		buf_addstr(&text, " ");
	pango_layout_set_text(p->layout, text.data, (int)text.len);
	pango_layout_set_attributes(p->layout, attrs);
	pango_attr_list_unref(attrs);
	buf_release(&text);
	p->nlines = pango_layout_get_line_count(p->layout);
	p->top = xcalloc((size_t)p->nlines, sizeof(double));
	p->height = xcalloc((size_t)p->nlines, sizeof(double));
	it = pango_layout_get_iter(p->layout);
	do {
		int y0, y1;

		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		p->top[i] = (double)y0 / PANGO_SCALE;
		p->height[i] = (double)(y1 - y0) / PANGO_SCALE;
		i++;
	} while (i < p->nlines && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (marker) {
		p->marker = new_layout(L, b->lang, size, 0, indent);
		pango_layout_set_text(p->marker, marker, -1);
		set_alignment(p->marker, b->lang, ALIGN_START);
	}
	xgrow(&L->paras, &L->capparas, L->nparas + 1, sizeof(*L->paras));
	L->paras[L->nparas++] = p;
	return p;
}

static double
lines_height(const struct para *p, int from, int to)
{
	if (from >= to)
		return 0;
	return p->top[to - 1] + p->height[to - 1] - p->top[from];
}

static double
para_height(const struct para *p)
{
	return lines_height(p, 0, p->nlines);
}

static void
add_op(struct layout *L, struct op op)
{
	xgrow(&L->ops, &L->capops, L->nops + 1, sizeof(*L->ops));
	L->ops[L->nops++] = op;
}

static void
new_page(struct layout *L)
{
	L->page++;
	L->y = BODY_TOP;
}

/* x of a box of width w at offset off from the start side. */
static double
start_x(struct layout *L, enum doc_lang lang, double off, double w)
{
	int rtl = lang == DOC_AR || (lang == DOC_NEUTRAL && L->rtl_doc);

	return rtl ? MARGIN_X + BODY_W - off - w : MARGIN_X + off;
}

/*
 * Places a paragraph's lines from the current position, across pages as
 * needed: never one line alone at the foot of a page (orphan) or at the
 * head of the next (widow), when the paragraph has more.
 */
static void
place_para(struct layout *L, const struct para *p, double x)
{
	int from = 0;

	while (from < p->nlines) {
		double avail = BODY_BOTTOM - L->y;
		int k = from;

		while (k < p->nlines && lines_height(p, from, k + 1) <= avail)
			k++;
		if (k < p->nlines) {
			int total = p->nlines - from;

			if (k - from < 2 && total > 1 && L->y > BODY_TOP)
				k = from;	/* no orphan */
			else if (p->nlines - k < 2 && k - from > 2)
				k--;		/* no widow */
		}
		if (k == from) {
			if (L->y <= BODY_TOP) /* a line taller than a page */
				k = from + 1;
			else {
				new_page(L);
				continue;
			}
		}
		add_op(L, (struct op){ OP_LINES, L->page, p, from, k, x, L->y,
				       0, 0 });
		L->y += lines_height(p, from, k);
		from = k;
		if (from < p->nlines)
			new_page(L);
	}
	L->y += p->gap;
}

/* A cell's content as one column of lines, for row placement. */
struct cell_col {
	struct para **paras;
	size_t n;
	double x, w;		/* its box */
	int para, line;		/* the next line to place */
};

static double
cell_rest_height(const struct cell_col *c)
{
	double h = 0;

	for (size_t i = (size_t)c->para; i < c->n; i++) {
		int from = i == (size_t)c->para ? c->line : 0;

		h += lines_height(c->paras[i], from, c->paras[i]->nlines);
		if (i + 1 < c->n)
			h += c->paras[i]->gap;
	}
	return h;
}

/* Places as many lines of a cell as fit in avail; returns the height. */
static double
place_cell_chunk(struct layout *L, struct cell_col *c, double y, double avail)
{
	double used = 0;

	while ((size_t)c->para < c->n) {
		const struct para *p = c->paras[c->para];
		int k = c->line;
		double gap = c->line == 0 && used > 0
				     ? c->paras[c->para - 1]->gap
				     : 0;

		while (k < p->nlines &&
		       gap + used + lines_height(p, c->line, k + 1) <= avail)
			k++;
		if (k == c->line)
			break;
		used += gap;
		add_op(L, (struct op){ OP_LINES, L->page, p, c->line, k,
				       c->x + CELL_PAD, y + used, 0, 0 });
		used += lines_height(p, c->line, k);
		c->line = k;
		if (k == p->nlines) {
			c->para++;
			c->line = 0;
		}
	}
	return used;
}

static int
cells_done(const struct cell_col *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((size_t)cells[i].para < cells[i].n)
			return 0;
	return 1;
}

struct row_spec {
	const struct doc_block *row;
	struct cell_col *cells;
	size_t ncells;
	int borders;
	double height;		/* full height */
};

/* Vertical padding of cells: rows of a borderless table (lists of
 * names, figures) sit closer together. */
static double
vpad(int borders)
{
	return borders ? CELL_PAD : 1.5;
}

static void
reset_cells(struct row_spec *rs)
{
	for (size_t i = 0; i < rs->ncells; i++)
		rs->cells[i].para = rs->cells[i].line = 0;
}

/*
 * Places a row; splits it between lines when it does not fit, repeating
 * the table's header rows (hdr) at the top of each new page.
 */
static void place_row(struct layout *L, struct row_spec *rs,
		      struct row_spec *hdr, size_t nhdr);

static void
place_headers(struct layout *L, struct row_spec *hdr, size_t nhdr)
{
	for (size_t i = 0; i < nhdr; i++) {
		reset_cells(&hdr[i]);
		place_row(L, &hdr[i], NULL, 0);
	}
}

static void
place_row(struct layout *L, struct row_spec *rs, struct row_spec *hdr,
	  size_t nhdr)
{
	double full = rs->height;
	int headed = 0;		/* the page holds only repeated headers */

	if (full > BODY_BOTTOM - L->y && L->y > BODY_TOP + 1 &&
	    full <= BODY_BOTTOM - BODY_TOP) {
		new_page(L);
		place_headers(L, hdr, nhdr);
		headed = nhdr > 0;
	}
	while (!cells_done(rs->cells, rs->ncells)) {
		double pad = vpad(rs->borders);
		double avail = BODY_BOTTOM - L->y - 2 * pad, h = 0;
		double top = L->y;

		for (size_t i = 0; i < rs->ncells; i++) {
			double used = place_cell_chunk(L, &rs->cells[i],
						       top + pad, avail);

			if (used > h)
				h = used;
		}
		if (h == 0 && L->y > BODY_TOP + 1) {
			/* Headers that leave no room for a line of the row
			 * would fill page after page: go on without them. */
			if (headed)
				nhdr = 0;
			new_page(L);
			place_headers(L, hdr, nhdr);
			headed = nhdr > 0;
			continue;
		}
		if (h == 0) /* nothing fits even a fresh page: give up */
			break;
		if (rs->borders)
			for (size_t i = 0; i < rs->ncells; i++)
				add_op(L, (struct op){ OP_BOX, L->page, NULL, 0,
						       0, rs->cells[i].x, top,
						       rs->cells[i].x +
							       rs->cells[i].w,
						       top + h + 2 * pad });
		L->y = top + h + 2 * pad;
		if (!cells_done(rs->cells, rs->ncells)) {
			new_page(L);
			place_headers(L, hdr, nhdr);
			headed = nhdr > 0;
		}
	}
}

/* Measures a row's cells for the given column boxes. */
static void
measure_row(struct layout *L, const struct doc_block *row, const double *xs,
	    const double *ws, struct row_spec *rs)
{
	rs->row = row;
	rs->ncells = row->nkids;
	rs->cells = xcalloc(rs->ncells ? rs->ncells : 1, sizeof(*rs->cells));
	rs->borders = row->borders;
	rs->height = 0;
	for (size_t i = 0; i < row->nkids; i++) {
		const struct doc_block *cell = &row->kids[i];
		struct cell_col *c = &rs->cells[i];
		double h;

		c->x = xs[i];
		c->w = ws[i];
		c->n = 0;
		c->paras = xcalloc(cell->nkids ? cell->nkids : 1,
				   sizeof(*c->paras));
		for (size_t k = 0; k < cell->nkids; k++) {
			const struct doc_block *b = &cell->kids[k];

			if (b->kind == BLOCK_PARA || b->kind == BLOCK_HEADING)
				c->paras[c->n++] = measure(
					L, b, ws[i] - 2 * CELL_PAD, 0, NULL);
		}
		h = cell_rest_height(c) + 2 * vpad(row->borders);
		if (h > rs->height)
			rs->height = h;
	}
}

static void
free_row(struct row_spec *rs)
{
	for (size_t i = 0; i < rs->ncells; i++)
		free(rs->cells[i].paras);
	free(rs->cells);
}

/*
 * Column boxes for relative widths: left to right as written, or mirrored
 * when the document reads right to left.
 */
static void
columns(struct layout *L, const double *rel, size_t n, double total_w,
	double gap, double *xs, double *ws)
{
	double sum = 0, x = 0;

	for (size_t i = 0; i < n; i++)
		sum += rel ? rel[i] : 1;
	for (size_t i = 0; i < n; i++) {
		double w = (total_w - gap * (double)(n - 1)) *
			   (rel ? rel[i] : 1) / (sum > 0 ? sum : 1);

		ws[i] = w;
		xs[i] = L->rtl_doc ? MARGIN_X + total_w - x - w : MARGIN_X + x;
		x += w + gap;
	}
}

static void
place_table(struct layout *L, const struct doc_block *t)
{
	size_t n = t->nwidths, nhdr = 0;
	double *xs = xcalloc(n ? n : 1, sizeof(double));
	double *ws = xcalloc(n ? n : 1, sizeof(double));
	struct row_spec *rows = xcalloc(t->nkids ? t->nkids : 1,
					sizeof(*rows));

	columns(L, t->widths, n, BODY_W, 0, xs, ws);
	for (size_t i = 0; i < t->nkids; i++) {
		measure_row(L, &t->kids[i], xs, ws, &rows[i]);
		if (t->kids[i].header && nhdr == i)
			nhdr++;
	}
	/* The header and the first row stay together. */
	if (t->nkids > nhdr && L->y > BODY_TOP) {
		double need = rows[nhdr].height;

		for (size_t i = 0; i < nhdr; i++)
			need += rows[i].height;
		if (need > BODY_BOTTOM - L->y &&
		    need <= BODY_BOTTOM - BODY_TOP)
			new_page(L);
	}
	for (size_t i = 0; i < t->nkids; i++)
		place_row(L, &rows[i], i < nhdr ? NULL : rows, i < nhdr ? 0
									: nhdr);
	L->y += PARA_GAP;
	for (size_t i = 0; i < t->nkids; i++)
		free_row(&rows[i]);
	free(rows);
	free(xs);
	free(ws);
}

/* A side-by-side pair (French left, Arabic right), or signatures. */
static void
place_cells_row(struct layout *L, const struct doc_block *row, double gap)
{
	size_t n = row->nkids;
	double *xs = xcalloc(n ? n : 1, sizeof(double));
	double *ws = xcalloc(n ? n : 1, sizeof(double));
	struct row_spec rs;
	int saved = L->rtl_doc;

	/* Pairs keep French on the left whatever the document. */
	if (row->kind == BLOCK_ROW)
		L->rtl_doc = 0;
	columns(L, NULL, n, BODY_W, gap, xs, ws);
	L->rtl_doc = saved;
	measure_row(L, row, xs, ws, &rs);
	rs.borders = 0;
	place_row(L, &rs, NULL, 0);
	free_row(&rs);
	free(xs);
	free(ws);
}

static void
place_letterhead(struct layout *L, const struct doc_block *lh)
{
	struct doc_block row, cells[2];
	double xs[2], ws[2];
	struct row_spec rs;
	size_t n = 0;

	/* French lines in the top-left corner, Arabic in the top-right. */
	memset(&row, 0, sizeof(row));
	memset(cells, 0, sizeof(cells));
	for (int side = 0; side < 2; side++) {
		enum doc_lang lang = side ? DOC_AR : DOC_FR;
		struct doc_block *c = &cells[n];

		c->kind = BLOCK_CELL;
		c->lang = lang;
		c->kids = xcalloc(lh->nkids ? lh->nkids : 1, sizeof(*c->kids));
		for (size_t i = 0; i < lh->nkids; i++)
			if (lh->kids[i].lang == lang)
				c->kids[c->nkids++] = lh->kids[i];
		if (!c->nkids) {
			free(c->kids);
			continue;
		}
		ws[n] = BODY_W * 0.48;
		xs[n] = side ? MARGIN_X + BODY_W - ws[n] : MARGIN_X;
		n++;
	}
	row.kind = BLOCK_ROW;
	row.kids = cells;
	row.nkids = n;
	measure_row(L, &row, xs, ws, &rs);
	rs.borders = 0;
	place_row(L, &rs, NULL, 0);
	free_row(&rs);
	for (size_t i = 0; i < n; i++)
		free(cells[i].kids); /* shallow copies: blocks not owned */
	L->y += 8;
}

/* The height of a block's first lines, for keeping headings with it. */
static double
first_height(struct layout *L, const struct doc_block *b)
{
	struct para *p;

	switch (b->kind) {
	case BLOCK_HEADING:
	case BLOCK_PARA:
		p = L->ahead = measure(L, b, BODY_W, 0, NULL);
		return lines_height(p, 0, p->nlines < 2 ? p->nlines : 2);
	case BLOCK_TABLE:
	case BLOCK_ROW:
	case BLOCK_LIST:
		return 60;
	default:
		return 0;
	}
}

static void
add_outline(struct layout *L, const struct doc_block *b)
{
	struct buf t = BUF_INIT;

	for (size_t i = 0; i < b->nruns; i++)
		for (const char *s = b->runs[i].text; *s; s++)
			if (!strncmp(s, "\xe2\x81", 2) &&
			    (unsigned char)s[2] >= 0xa6 &&
			    (unsigned char)s[2] <= 0xa9)
				s += 2;
			else
				buf_addch(&t, *s == '\n' ? ' ' : *s);
	xgrow(&L->outline, &L->capoutline, L->noutline + 1,
	      sizeof(*L->outline));
	L->outline[L->noutline++] = (struct outline){
		L->page, L->y, b->level, buf_detach(&t, NULL)
	};
}

static void
place_blocks(struct layout *L, const struct doc_block *blocks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_block *b = &blocks[i];
		struct para *p;
		char num[32];

		switch (b->kind) {
		case BLOCK_PAGEBREAK:
			if (L->y > BODY_TOP)
				new_page(L);
			/* A sequential document turns to French here. */
			if (b->level == 1)
				L->rtl_doc = 0;
			break;
		case BLOCK_SPACE:
			L->y += b->level;
			if (L->y > BODY_BOTTOM)
				new_page(L);
			break;
		case BLOCK_RULE:
			if (L->y + 8 > BODY_BOTTOM)
				new_page(L);
			add_op(L, (struct op){ OP_HLINE, L->page, NULL, 0, 0,
					       MARGIN_X, L->y + 3,
					       MARGIN_X + BODY_W, 0 });
			L->y += 8;
			break;
		case BLOCK_HEADING:
		case BLOCK_PARA:
			if (b->kind == BLOCK_HEADING && L->y > BODY_TOP)
				L->y += 6;
			p = L->ahead && L->ahead->block == b
				    ? L->ahead
				    : measure(L, b, BODY_W, 0, NULL);
			L->ahead = NULL;
			if (b->keep && i + 1 < n) {
				double need = para_height(p) +
					      first_height(L, &blocks[i + 1]);

				if (L->y + need > BODY_BOTTOM &&
				    L->y > BODY_TOP &&
				    need <= BODY_BOTTOM - BODY_TOP)
					new_page(L);
			}
			if (b->kind == BLOCK_HEADING && b->level <= 2)
				add_outline(L, b);
			place_para(L, p, start_x(L, b->lang, 0, BODY_W));
			break;
		case BLOCK_LIST:
			for (size_t k = 0; k < b->nkids; k++) {
				if (b->level)
					snprintf(num, sizeof(num), "%zu.", k + 1);
				p = measure(L, &b->kids[k], BODY_W, LIST_INDENT,
					    b->level ? num : "\xe2\x80\xa2");
				p->gap = k + 1 < b->nkids ? 2 : PARA_GAP;
				place_para(L, p,
					   start_x(L, b->kids[k].lang,
						   LIST_INDENT,
						   BODY_W - LIST_INDENT));
			}
			break;
		case BLOCK_TABLE:
			place_table(L, b);
			break;
		case BLOCK_ROW:
			place_cells_row(L, b, 18);
			L->y += PARA_GAP;
			break;
		case BLOCK_SIGNATURES:
			L->y += 14;
			place_cells_row(L, b, 24);
			break;
		case BLOCK_LETTERHEAD:
			place_letterhead(L, b);
			break;
		case BLOCK_CELL:
			place_blocks(L, b->kids, b->nkids);
			break;
		}
	}
}

/* Drawing. */

static void
draw_lines(struct renderer *R, cairo_t *cr, const struct op *op)
{
	const struct para *p = op->p;
	PangoLayoutIter *it = pango_layout_get_iter(p->layout);
	double y0 = p->top[op->from];
	int i = 0;

	do {
		PangoLayoutLine *line;
		PangoRectangle logical;
		double baseline;

		if (i < op->from)
			continue;
		if (i >= op->to)
			break;
		line = pango_layout_iter_get_line_readonly(it);
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		baseline = (double)pango_layout_iter_get_baseline(it) /
			   PANGO_SCALE;
		cairo_move_to(cr, op->x + (double)logical.x / PANGO_SCALE,
			      op->y + baseline - y0);
		glyph_renderer_show_line(R->glyphs, cr, line);
		if (R->flags & RENDER_ANNOTATE) {
			cairo_save(cr);
			cairo_set_line_width(cr, 0.3);
			cairo_set_source_rgb(cr, 0.9, 0.2, 0.2);
			cairo_rectangle(cr,
					op->x + (double)logical.x / PANGO_SCALE,
					op->y + p->top[i] - y0,
					(double)logical.width / PANGO_SCALE,
					p->height[i]);
			cairo_stroke(cr);
			cairo_set_source_rgb(cr, 0.2, 0.2, 0.9);
			cairo_move_to(cr, op->x, op->y + baseline - y0);
			cairo_rel_line_to(cr, p->width, 0);
			cairo_stroke(cr);
			cairo_restore(cr);
		}
		/* Links: a rectangle per line over the linked text. */
		for (size_t k = 0; k < p->nlinks; k++) {
			int ls = line->start_index, le = ls + line->length;
			int a = p->links[k].start > ls ? p->links[k].start : ls;
			int b = p->links[k].end < le ? p->links[k].end : le;
			int xa, xb;
			struct buf attrs = BUF_INIT;
			const char *t = p->links[k].target;

			if (a >= b)
				continue;
			pango_layout_line_index_to_x(line, a, 0, &xa);
			pango_layout_line_index_to_x(line, b, 0, &xb);
			if (xa > xb) {
				int tmp = xa;

				xa = xb;
				xb = tmp;
			}
			/* Another document: a relative URI, REG.pdf, that
			 * viewers open beside this one. (cairo 1.16's links
			 * to files write an invalid destination, and fail
			 * with a page or a named one.) */
			if (strstr(t, "://") || starts_with(t, "mailto:"))
				buf_addf(&attrs, "uri='%s'", t);
			else
				buf_addf(&attrs, "uri='%s.pdf'", t);
			buf_addf(&attrs, " rect=[%.2f %.2f %.2f %.2f]",
				 op->x + (double)(logical.x + xa) / PANGO_SCALE,
				 op->y + p->top[i] - y0,
				 (double)(xb - xa) / PANGO_SCALE, p->height[i]);
			/* cairo 1.16 reads single-quoted strings and
			 * brackets; a quote in a target would end it. */
			if (!strchr(t, '\'') && !strchr(t, '\\')) {
				cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.data);
				cairo_tag_end(cr, CAIRO_TAG_LINK);
			}
			buf_release(&attrs);
		}
	} while (++i < op->to && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (p->marker && op->from == 0) {
		int rtl = p->block->lang == DOC_AR;
		double mx = rtl ? op->x + p->width + 2 : op->x - p->indent;
		double baseline =
			(double)pango_layout_get_baseline(p->layout) /
			PANGO_SCALE;
		PangoLayoutLine *ml;

		/* Changing the width frees the layout's lines: take the
		 * line after. */
		pango_layout_set_width(p->marker, -1);
		ml = pango_layout_get_line_readonly(p->marker, 0);
		cairo_move_to(cr, rtl ? mx : mx + 2, op->y + baseline);
		glyph_renderer_show_line(R->glyphs, cr, ml);
	}
}

static void
draw_footer(struct layout *L, cairo_t *cr, int page, int pages)
{
	struct renderer *R = L->r;
	const struct doc *d = L->d;
	char fr[64], ar[96];
	double y = PAGE_H - MARGIN_BOTTOM - FOOTER_H + 8;

	snprintf(fr, sizeof(fr), "Page %d / %d", page + 1, pages);
	snprintf(ar, sizeof(ar), "الصفحة %d من %d", page + 1, pages);
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, MARGIN_X, y);
	cairo_line_to(cr, MARGIN_X + BODY_W, y);
	cairo_stroke(cr);
	for (int side = 0; side < 3; side++) {
		enum doc_lang lang = side == 1 ? DOC_AR : DOC_FR;
		const char *text;
		PangoLayout *lay;
		PangoAlignment al;

		if (side == 2) {
			text = d->register_no;
			al = PANGO_ALIGN_CENTER;
			lang = DOC_NEUTRAL;
		} else if (d->mode == MODE_BOTH) {
			text = side ? ar : fr;
			al = side ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
		} else if ((d->mode == MODE_AR) == (side == 1)) {
			text = side ? ar : fr;
			al = side ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
		} else {
			continue;
		}
		if (!text)
			continue;
		lay = pango_layout_new(R->ctx[lang == DOC_AR]);
		{
			PangoFontDescription *fd = pango_font_description_new();

			pango_font_description_set_family(fd, family(lang));
			pango_font_description_set_size(
				fd, (gint)(SIZE_FOOTER * PANGO_SCALE));
			pango_layout_set_font_description(lay, fd);
			pango_font_description_free(fd);
		}
		pango_layout_set_auto_dir(lay, FALSE);
		pango_layout_set_width(lay, (int)(BODY_W * PANGO_SCALE));
		pango_layout_set_alignment(lay, al);
		pango_layout_set_text(lay, text, -1);
		cairo_move_to(cr, MARGIN_X, y + 4);
		glyph_renderer_show_layout(R->glyphs, cr, lay);
		g_object_unref(lay);
	}
}

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata(cairo_surface_t *s, const struct doc *d)
{
	struct buf title = BUF_INIT;
	char date[32];

	if (d->title_fr && d->mode != MODE_AR)
		buf_addstr(&title, d->title_fr);
	if (d->title_ar && d->mode != MODE_FR)
		buf_addf(&title, "%s%s", title.len ? " — " : "", d->title_ar);
	if (d->register_no)
		buf_addf(&title, "%s%s", title.len ? " — " : "",
			 d->register_no);
	if (title.len)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
					       title.data);
	if (d->author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
					       d->author);
	if (d->subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT,
					       d->subject);
	if (d->keywords)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS,
					       d->keywords);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
				       "majlis");
	if (d->created) {
		/* "YYYY-MM-DDTHH:MM:SS" and the zone, as cairo wants. */
		snprintf(date, sizeof(date), "%.19s+00:00", d->created);
		cairo_pdf_surface_set_metadata(
			s, CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
					       date);
	}
	buf_release(&title);
}

static void
layout_release(struct layout *L)
{
	for (size_t i = 0; i < L->nparas; i++) {
		struct para *p = L->paras[i];

		g_object_unref(p->layout);
		if (p->marker)
			g_object_unref(p->marker);
		for (size_t k = 0; k < p->nlinks; k++)
			free(p->links[k].target);
		free(p->links);
		free(p->top);
		free(p->height);
		free(p);
	}
	free(L->paras);
	free(L->ops);
	for (size_t i = 0; i < L->noutline; i++)
		free(L->outline[i].title);
	free(L->outline);
}

enum majlis_status
render_pdf(struct renderer *r, const struct doc *d, struct buf *out,
	   int *pages, struct buf *err)
{
	struct layout layout, *L = &layout;
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;
	size_t k = 0;
	int npages;
	int outline_parent[4] = { 0, 0, 0, 0 };

	memset(L, 0, sizeof(*L));
	L->r = r;
	L->d = d;
	L->page_w = d->landscape ? A4_H : A4_W;
	L->page_h = d->landscape ? A4_W : A4_H;
	L->y = BODY_TOP;
	/* Arabic alone, or first in a sequential document: right to left. */
	L->rtl_doc = d->mode == MODE_AR || d->sequential;
	/* Measure and paginate: every line gets its page and place. */
	place_blocks(L, d->body.kids, d->body.nkids);
	npages = L->page + 1;
	/* Draw. */
	s = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
	set_metadata(s, d);
	cr = cairo_create(s);
	for (int page = 0; page < npages; page++) {
		cairo_set_source_rgb(cr, 0, 0, 0);
		for (; k < L->nops && L->ops[k].page == page; k++) {
			const struct op *op = &L->ops[k];

			switch (op->kind) {
			case OP_LINES:
				draw_lines(r, cr, op);
				break;
			case OP_HLINE:
				cairo_set_line_width(cr, 0.6);
				cairo_move_to(cr, op->x, op->y);
				cairo_line_to(cr, op->x2, op->y);
				cairo_stroke(cr);
				break;
			case OP_BOX:
				cairo_set_line_width(cr, 0.5);
				cairo_rectangle(cr, op->x, op->y,
						op->x2 - op->x, op->y2 - op->y);
				cairo_stroke(cr);
				break;
			}
		}
		draw_footer(L, cr, page, npages);
		cairo_show_page(cr);
	}
	for (size_t i = 0; i < L->noutline; i++) {
		const struct outline *o = &L->outline[i];
		char dest[64];
		int level = o->level < 1 ? 1 : o->level > 3 ? 3 : o->level;
		int parent = level > 1 ? outline_parent[level - 1]
				       : CAIRO_PDF_OUTLINE_ROOT;

		snprintf(dest, sizeof(dest), "page=%d pos=[%.1f %.1f]",
			 o->page + 1, MARGIN_X, o->y);
		outline_parent[level] = cairo_pdf_surface_add_outline(
			s, parent, o->title, dest, 0);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	layout_release(L);
	if (st != CAIRO_STATUS_SUCCESS)
		return error(err, MAJLIS_ERR_INTERNAL, "cairo: %s",
			     cairo_status_to_string(st));
	if (pages)
		*pages = npages;
	return MAJLIS_OK;
}
