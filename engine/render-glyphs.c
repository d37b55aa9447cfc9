/*
 * render-glyphs.c - draws pango's lines with cairo so that the text
 * extracted from the PDF is the text that was written.
 *
 * pango_cairo_show_layout_line() hands cairo each glyph cluster with its
 * text in logical order. Text extractors (poppler's pdftotext, evince
 * and okular's search, pdf.js) read a PDF line in visual order and
 * reverse its right-to-left stretches themselves; a glyph that stands
 * for several letters (the lam-alef and Allah ligatures, a letter and
 * its vowel marks) has its letters laid out left to right first, so
 * they come out backwards ("ال" for "لا"). And a glyph of zero advance
 * drawn on top of its neighbour (Noto Naskh draws the alef of lam-alef
 * that way) looks like duplicated text: pdftotext cuts the word there.
 *
 * So this renderer, a PangoRenderer like pango's own cairo one, emits
 * each run itself with cairo_show_text_glyphs() and its own clusters:
 * in right-to-left runs, the text of a cluster is written in visual
 * order (its letters reversed), and a cluster of zero advance is merged
 * with its visual neighbour, so that every cluster has a width of its
 * own. Characters that draw nothing (bidi isolates and marks, zero-width
 * joiners) are left out of the text; signs in Arabic text are kept with
 * their words by marks (needs_marks()). Underlines, strike-through and
 * colours come from PangoRenderer itself.
 */
#include "render-priv.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sys.h"
#include "text.h"

typedef struct {
	PangoRenderer parent;
	cairo_t *cr;
	struct buf text;		/* scratch: a run's text, visual */
	cairo_glyph_t *glyphs;
	cairo_text_cluster_t *clusters;
	size_t cap;
} GlyphRenderer;

typedef struct {
	PangoRendererClass parent_class;
} GlyphRendererClass;

static GType glyph_renderer_get_type(void);

G_DEFINE_TYPE(GlyphRenderer, glyph_renderer, PANGO_TYPE_RENDERER)

static void
glyph_renderer_init(GlyphRenderer *self)
{
	self->cr = NULL;
	buf_init(&self->text);
	self->glyphs = NULL;
	self->clusters = NULL;
	self->cap = 0;
}

static void
glyph_renderer_finalize(GObject *obj)
{
	GlyphRenderer *self = (GlyphRenderer *)obj;

	buf_release(&self->text);
	free(self->glyphs);
	free(self->clusters);
	G_OBJECT_CLASS(glyph_renderer_parent_class)->finalize(obj);
}

static void
set_color(PangoRenderer *r, PangoRenderPart part)
{
	GlyphRenderer *self = (GlyphRenderer *)r;
	PangoColor *c = pango_renderer_get_color(r, part);
	guint16 a = pango_renderer_get_alpha(r, part);

	if (!c)
		return;
	cairo_set_source_rgba(self->cr, c->red / 65535., c->green / 65535.,
			      c->blue / 65535., a ? a / 65535. : 1.0);
}

static void
reserve(GlyphRenderer *self, size_t n)
{
	if (n <= self->cap)
		return;
	self->cap = n < 64 ? 64 : n;
	self->glyphs = xrealloc(self->glyphs,
				self->cap * sizeof(*self->glyphs));
	self->clusters = xrealloc(self->clusters,
				  self->cap * sizeof(*self->clusters));
}

static int
drawn(PangoGlyph g)
{
	return g != PANGO_GLYPH_EMPTY && !(g & PANGO_GLYPH_UNKNOWN_FLAG);
}

/* Appends text[from, to) to b, its characters in reverse order. */
static void
add_reversed(struct buf *b, const char *text, int from, int to)
{
	int i = to;

	while (i > from) {
		int j = i - 1;

		while (j > from && ((unsigned char)text[j] & 0xC0) == 0x80)
			j--;
		buf_add(b, text + j, (size_t)(i - j));
		i = j;
	}
}

/* Drops the characters that draw nothing and belong in no text (the
 * bidi controls, the zero-width joiners) and turns the non-breaking
 * hyphen back into "-". Returns the byte length kept, the bytes moved
 * down in place. */
static int
strip_controls(char *s, int len)
{
	int o = 0;

	for (int i = 0; i < len;) {
		int n = 1;
		unsigned c = (unsigned char)s[i];

		if (c == 0xE2 && i + 2 < len) {
			unsigned c1 = (unsigned char)s[i + 1];
			unsigned c2 = (unsigned char)s[i + 2];
			unsigned cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) |
				      (c2 & 0x3F);

			n = 3;
			if (cp == 0x2011) {	/* see add_run_text() */
				s[o++] = '-';
				i += n;
				continue;
			}
			if ((cp >= 0x200B && cp <= 0x200F) ||
			    (cp >= 0x202A && cp <= 0x202E) ||
			    (cp >= 0x2066 && cp <= 0x2069)) {
				i += n;
				continue;
			}
		} else if (c >= 0xC0) {
			n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		}
		if (i + n > len)
			n = len - i;
		memmove(s + o, s + i, (size_t)n);
		o += n;
		i += n;
	}
	return o;
}

/*
 * Extractors decide where a sign goes from the direction of the letters
 * around it, and poppler counts the Arabic comma as a digit: next to a
 * number or a Latin word, a comma, a colon or a full stop of an Arabic
 * sentence is read with them ("فبراير ،2027" for "فبراير 2027،"). Signs
 * of a right-to-left run (no letter, no space) therefore carry a
 * right-to-left mark on each side in the PDF's text, which keeps them
 * with the Arabic words they follow. The marks are invisible format
 * characters.
 */
static int
needs_marks(const char *s)
{
	if (text_first_strong(s) == 1)
		return 0;
	for (; *s; s++)
		if (*s == ' ')
			return 0;
	return 1;
}

/* A left-to-right run inside a right-to-left paragraph. */
static int
embedded_ltr(const PangoItem *item)
{
	return !(item->analysis.level & 1) && item->analysis.level > 0;
}

/* Whether run gi starts (left) and ends (right) a stretch of such runs
 * on the line being drawn; runs are in visual order. */
static void
stretch_ends(PangoRenderer *r, const PangoGlyphItem *gi, int *left,
	     int *right)
{
	PangoLayoutLine *line = pango_renderer_get_layout_line(r);
	const PangoGlyphItem *prev = NULL;

	*left = *right = 1;
	if (!line)
		return;
	for (GSList *l = line->runs; l; l = l->next) {
		const PangoGlyphItem *run = l->data;

		if (run != gi) {
			prev = run;
			continue;
		}
		*left = !prev || !embedded_ltr(prev->item);
		*right = !l->next ||
			 !embedded_ltr(((PangoGlyphItem *)l->next->data)->item);
		return;
	}
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * One run. Glyphs come in visual order; log_clusters[g] is the byte
 * offset, within the run's text, of the cluster glyph g belongs to.
 * A visual cluster is a maximal stretch of glyphs with one offset; its
 * text runs from that offset to the next larger offset of the run.
 */
static void
draw_glyph_item(PangoRenderer *r, const char *text, PangoGlyphItem *gi,
		int x, int y)
{
	GlyphRenderer *self = (GlyphRenderer *)r;
	PangoGlyphString *gs = gi->glyphs;
	PangoItem *item = gi->item;
	const char *t = text + item->offset;
	int rtl = item->analysis.level & 1;
	cairo_scaled_font_t *sf;
	double pen = (double)x / PANGO_SCALE;
	double base = (double)y / PANGO_SCALE;
	int nglyphs = 0, nclusters = 0;
	int g = 0;
	int *offs;

	if (gs->num_glyphs == 0)
		return;
	sf = pango_cairo_font_get_scaled_font((PangoCairoFont *)item->analysis.font);
	if (!sf)
		return;
	reserve(self, (size_t)gs->num_glyphs);
	buf_reset(&self->text);
	set_color(r, PANGO_RENDER_PART_FOREGROUND);
	/* The run's offsets, sorted, to find each cluster's end by
	 * bisection: a scan of the run for each cluster took minutes on a
	 * paragraph that pango leaves on one line (about 90 pages long). */
	offs = xmalloc((size_t)gs->num_glyphs * sizeof(*offs));
	memcpy(offs, gs->log_clusters, (size_t)gs->num_glyphs * sizeof(*offs));
	qsort(offs, (size_t)gs->num_glyphs, sizeof(*offs), cmp_int);

	while (g < gs->num_glyphs) {
		int start = gs->log_clusters[g], end = item->length;
		int first = g, bytes0 = (int)self->text.len, adv = 0, len;
		int ng = 0;

		while (g < gs->num_glyphs && gs->log_clusters[g] == start)
			g++;
		/* The end of this cluster's text: the smallest offset
		 * above its start among the run's clusters. */
		{
			int lo = 0, hi = gs->num_glyphs;

			while (lo < hi) {
				int mid = lo + (hi - lo) / 2;

				if (offs[mid] <= start)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < gs->num_glyphs && offs[lo] < end)
				end = offs[lo];
		}
		for (int k = first; k < g; k++) {
			PangoGlyphInfo *gl = &gs->glyphs[k];

			if (drawn(gl->glyph)) {
				cairo_glyph_t *cg = &self->glyphs[nglyphs + ng];

				cg->index = gl->glyph;
				cg->x = pen + (double)gl->geometry.x_offset /
						      PANGO_SCALE;
				cg->y = base + (double)gl->geometry.y_offset /
						       PANGO_SCALE;
				ng++;
			}
			adv += gl->geometry.width;
			pen += (double)gl->geometry.width / PANGO_SCALE;
		}
		if (rtl)
			add_reversed(&self->text, t, start, end);
		else
			buf_add(&self->text, t + start, (size_t)(end - start));
		len = strip_controls(self->text.data + bytes0,
				     (int)self->text.len - bytes0);
		buf_truncate(&self->text, (size_t)bytes0 + (size_t)len);
		if (rtl && ng > 0 && len > 0 &&
		    needs_marks(self->text.data + bytes0)) {
			/* RLM, the sign, RLM: see needs_marks(). */
			struct buf sign = BUF_INIT;

			buf_addstr(&sign, self->text.data + bytes0);
			buf_truncate(&self->text, (size_t)bytes0);
			buf_addstr(&self->text, "\xe2\x80\x8f");
			buf_addstr(&self->text, sign.data);
			buf_addstr(&self->text, "\xe2\x80\x8f");
			len = (int)(self->text.len - (size_t)bytes0);
			buf_release(&sign);
		}
		if (ng == 0) {
			/* Text that draws nothing: a control character,
			 * or a letter pango could not draw. */
			buf_truncate(&self->text, (size_t)bytes0);
			continue;
		}
		/* A cluster of zero advance (the alef of Noto Naskh's
		 * lam-alef) would sit on top of the next one: join it to
		 * the next cluster, or to the previous one at the end of
		 * the run. */
		if (nclusters > 0 &&
		    self->clusters[nclusters - 1].num_glyphs < 0) {
			cairo_text_cluster_t *c = &self->clusters[nclusters - 1];

			c->num_glyphs = -c->num_glyphs + ng;
			c->num_bytes += len;
		} else {
			cairo_text_cluster_t *c = &self->clusters[nclusters++];

			c->num_glyphs = ng;
			c->num_bytes = len;
		}
		nglyphs += ng;
		if (adv == 0)
			self->clusters[nclusters - 1].num_glyphs =
				-self->clusters[nclusters - 1].num_glyphs;
	}
	free(offs);
	if (nclusters > 0 && self->clusters[nclusters - 1].num_glyphs < 0) {
		cairo_text_cluster_t *c = &self->clusters[nclusters - 1];

		c->num_glyphs = -c->num_glyphs;
		if (nclusters > 1) {
			self->clusters[nclusters - 2].num_glyphs +=
				c->num_glyphs;
			self->clusters[nclusters - 2].num_bytes +=
				c->num_bytes;
			nclusters--;
		}
	}
	if (nglyphs == 0)
		return;
	/* A number or a Latin word inside Arabic text: a mark on each side
	 * keeps the spaces around it where they are when it is read
	 * back (without them "في 29 نونبر" comes out "في  29نونبر"). The
	 * marks go around the whole stretch, which may be several runs
	 * ("2022–2027": digits, then a dash from another font). */
	if (embedded_ltr(item) && nclusters > 0) {
		int left, right;
		struct buf marked = BUF_INIT;

		stretch_ends(r, gi, &left, &right);
		if (left)
			buf_addstr(&marked, "\xe2\x80\x8f");
		buf_add(&marked, self->text.data, self->text.len);
		if (right)
			buf_addstr(&marked, "\xe2\x80\x8f");
		buf_reset(&self->text);
		buf_add(&self->text, marked.data, marked.len);
		buf_release(&marked);
		self->clusters[0].num_bytes += left ? 3 : 0;
		self->clusters[nclusters - 1].num_bytes += right ? 3 : 0;
	}
	cairo_set_scaled_font(self->cr, sf);
	cairo_show_text_glyphs(self->cr, self->text.data, (int)self->text.len,
			       self->glyphs, nglyphs, self->clusters,
			       nclusters, 0);
}

/* Glyphs without text (shapes, pango's own hex boxes): no clusters. */
static void
draw_glyphs(PangoRenderer *r, PangoFont *font, PangoGlyphString *gs, int x,
	    int y)
{
	GlyphRenderer *self = (GlyphRenderer *)r;
	cairo_scaled_font_t *sf =
		pango_cairo_font_get_scaled_font((PangoCairoFont *)font);
	double pen = (double)x / PANGO_SCALE;
	int n = 0;

	if (!sf)
		return;
	reserve(self, (size_t)gs->num_glyphs);
	set_color(r, PANGO_RENDER_PART_FOREGROUND);
	for (int k = 0; k < gs->num_glyphs; k++) {
		PangoGlyphInfo *gl = &gs->glyphs[k];

		if (drawn(gl->glyph)) {
			self->glyphs[n].index = gl->glyph;
			self->glyphs[n].x =
				pen + (double)gl->geometry.x_offset / PANGO_SCALE;
			self->glyphs[n].y = (double)(y + gl->geometry.y_offset) /
					    PANGO_SCALE;
			n++;
		}
		pen += (double)gl->geometry.width / PANGO_SCALE;
	}
	if (n == 0)
		return;
	cairo_set_scaled_font(self->cr, sf);
	cairo_show_glyphs(self->cr, self->glyphs, n);
}

static void
draw_rectangle(PangoRenderer *r, PangoRenderPart part, int x, int y,
	       int width, int height)
{
	GlyphRenderer *self = (GlyphRenderer *)r;

	set_color(r, part);
	cairo_rectangle(self->cr, (double)x / PANGO_SCALE,
			(double)y / PANGO_SCALE, (double)width / PANGO_SCALE,
			(double)height / PANGO_SCALE);
	cairo_fill(self->cr);
}

static void
draw_error_underline(PangoRenderer *r, int x, int y, int width, int height)
{
	draw_rectangle(r, PANGO_RENDER_PART_UNDERLINE, x, y, width, height);
}

static void
glyph_renderer_class_init(GlyphRendererClass *klass)
{
	GObjectClass *oc = G_OBJECT_CLASS(klass);
	PangoRendererClass *rc = PANGO_RENDERER_CLASS(klass);

	oc->finalize = glyph_renderer_finalize;
	rc->draw_glyphs = draw_glyphs;
	rc->draw_glyph_item = draw_glyph_item;
	rc->draw_rectangle = draw_rectangle;
	rc->draw_error_underline = draw_error_underline;
}

PangoRenderer *
glyph_renderer_new(void)
{
	return g_object_new(glyph_renderer_get_type(), NULL);
}

void
glyph_renderer_show_line(PangoRenderer *r, cairo_t *cr, PangoLayoutLine *line)
{
	GlyphRenderer *self = (GlyphRenderer *)r;
	double x, y;

	if (!cairo_has_current_point(cr))
		return;
	cairo_get_current_point(cr, &x, &y);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	self->cr = cr;
	pango_renderer_draw_layout_line(r, line, 0, 0);
	self->cr = NULL;
	cairo_restore(cr);
}

void
glyph_renderer_show_layout(PangoRenderer *r, cairo_t *cr, PangoLayout *lay)
{
	GlyphRenderer *self = (GlyphRenderer *)r;
	double x, y;

	if (!cairo_has_current_point(cr))
		return;
	cairo_get_current_point(cr, &x, &y);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	self->cr = cr;
	pango_renderer_draw_layout(r, lay, 0, 0);
	self->cr = NULL;
	cairo_restore(cr);
}
