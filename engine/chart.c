/*
 * chart.c - bar charts as PNG (see chart.h).
 *
 * Layout, in CSS pixels (the PNG is scaled by c->scale): a title line,
 * French at the left and Arabic at the right; then one row a bar, its
 * French label left-aligned in the left column, its Arabic label
 * right-aligned in the right one, and between them the bar, growing
 * from the left, its value just after it. Columns are as wide as their
 * widest label, up to a third of the chart each; a longer label is cut
 * with an ellipsis rather than drawn over the bars.
 *
 * Text goes through two pango contexts made from the renderer's font
 * map, one per base direction (Arabic labels are right to left from
 * their language, never from the shaper's guess), at 72 dpi so that a
 * font size is a size in pixels, with grey antialiasing: subpixel
 * colours would show in an image that may be scaled.
 */
#include "chart.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render-priv.h"
#include "sys.h"

#define MARGIN 12.0
#define TITLE_H 36.0
#define ROW_H 30.0
#define BOTTOM 10.0
#define GAP 12.0
#define BAR_H 16.0
#define SIZE_TITLE 14.0
#define SIZE_LABEL 12.0
#define SIZE_LABEL_AR 13.0	/* Naskh looks smaller at one size */

int
chart_height(size_t n)
{
	return (int)(MARGIN + TITLE_H + (double)n * ROW_H + BOTTOM + 0.5);
}

struct painter {
	cairo_t *cr;
	PangoContext *ctx[2];	/* [0] left to right, [1] right to left */
};

static PangoLayout *
text(struct painter *p, int rtl, const char *s, double size, int bold,
     double max_width)
{
	PangoLayout *lay = pango_layout_new(p->ctx[rtl]);
	PangoFontDescription *fd = pango_font_description_new();
	int w, h;

	pango_font_description_set_family(fd, rtl ? "majlis-arabic"
						   : "majlis-latin");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_auto_dir(lay, FALSE);
	pango_layout_set_text(lay, s ? s : "", -1);
	pango_layout_get_pixel_size(lay, &w, &h);
	if (max_width > 0 && w > max_width) {
		pango_layout_set_width(lay, (int)(max_width * PANGO_SCALE));
		pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
	}
	return lay;
}

static double
width_of(PangoLayout *lay)
{
	PangoRectangle logical;

	pango_layout_get_pixel_extents(lay, NULL, &logical);
	return logical.width;
}

static double
height_of(PangoLayout *lay)
{
	PangoRectangle logical;

	pango_layout_get_pixel_extents(lay, NULL, &logical);
	return logical.height;
}

/* Draws lay with its left edge at x (or its right edge, when right is
 * set) and its middle at y. */
static void
show(struct painter *p, PangoLayout *lay, double x, double y, int right)
{
	PangoRectangle logical;

	pango_layout_get_pixel_extents(lay, NULL, &logical);
	cairo_move_to(p->cr, (right ? x - logical.width : x) - logical.x,
		      y - logical.height / 2.0);
	pango_cairo_show_layout(p->cr, lay);
}

static cairo_status_t
png_append(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void
colour(cairo_t *cr, unsigned rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0,
			     ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

#define INK 0x1f2933
#define MUTED 0x52606d
#define RULE 0xcbd2d9
#define BAND 0xf3f5f8
#define BAR 0x2d6a9f
#define ALERT 0xc0392b

enum majlis_status
chart_png(struct renderer *r, const struct chart *c, struct buf *out,
	  struct buf *err)
{
	struct painter p;
	cairo_surface_t *surface;
	cairo_font_options_t *fo;
	PangoLayout **fr, **ar, **val, *tfr, *tar;
	double w = c->width, col_fr = 0, col_ar = 0;
	double val_w = 0, x0, room, top = MARGIN + TITLE_H;
	long max = 0;
	enum majlis_status rc = MAJLIS_OK;
	char num[32];

	if (!c->n || c->width < 200 || c->height < chart_height(c->n) ||
	    c->width > 4000 || c->height > 4000 || c->scale < 1 ||
	    c->scale > 4)
		return error(err, MAJLIS_ERR_USAGE,
			     "a chart of %zu bars cannot be %dx%d (x%d)", c->n,
			     c->width, c->height, c->scale);
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
					     c->width * c->scale,
					     c->height * c->scale);
	p.cr = cairo_create(surface);
	cairo_scale(p.cr, c->scale, c->scale);
	fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	for (int i = 0; i < 2; i++) {
		p.ctx[i] = pango_font_map_create_context(renderer_font_map(r));
		pango_cairo_context_set_resolution(p.ctx[i], 72);
		pango_cairo_context_set_font_options(p.ctx[i], fo);
		pango_context_set_base_dir(p.ctx[i], i ? PANGO_DIRECTION_RTL
							: PANGO_DIRECTION_LTR);
		pango_cairo_update_context(p.cr, p.ctx[i]);
	}
	cairo_font_options_destroy(fo);

	/* Measure: the columns, the widest value, the longest bar. */
	fr = xcalloc(c->n, sizeof(*fr));
	ar = xcalloc(c->n, sizeof(*ar));
	val = xcalloc(c->n, sizeof(*val));
	for (size_t i = 0; i < c->n; i++) {
		long v = c->bars[i].value > 0 ? c->bars[i].value : 0;

		fr[i] = text(&p, 0, c->bars[i].label_fr, SIZE_LABEL, 0, w / 3);
		ar[i] = text(&p, 1, c->bars[i].label_ar, SIZE_LABEL_AR, 0,
			     w / 3);
		snprintf(num, sizeof(num), "%ld", v);
		val[i] = text(&p, 0, num, SIZE_LABEL, 1, 0);
		if (width_of(fr[i]) > col_fr)
			col_fr = width_of(fr[i]);
		if (width_of(ar[i]) > col_ar)
			col_ar = width_of(ar[i]);
		if (width_of(val[i]) > val_w)
			val_w = width_of(val[i]);
		if (v > max)
			max = v;
	}
	tfr = text(&p, 0, c->title_fr, SIZE_TITLE, 1, w / 2 - MARGIN);
	tar = text(&p, 1, c->title_ar, SIZE_TITLE, 1, w / 2 - MARGIN);
	x0 = MARGIN + col_fr + GAP;
	room = w - MARGIN - col_ar - GAP - 6 - val_w - x0;
	if (room < 20)
		room = 20;

	/* Draw. */
	colour(p.cr, 0xffffff);
	cairo_paint(p.cr);
	colour(p.cr, INK);
	show(&p, tfr, MARGIN, MARGIN + height_of(tfr) / 2, 0);
	show(&p, tar, w - MARGIN, MARGIN + height_of(tar) / 2, 1);
	colour(p.cr, RULE);
	cairo_set_line_width(p.cr, 1);
	cairo_move_to(p.cr, MARGIN, top - 6.5);
	cairo_line_to(p.cr, w - MARGIN, top - 6.5);
	cairo_stroke(p.cr);
	for (size_t i = 0; i < c->n; i++) {
		double y = top + (double)i * ROW_H, mid = y + ROW_H / 2;
		long v = c->bars[i].value > 0 ? c->bars[i].value : 0;
		double len = max ? room * (double)v / (double)max : 0;

		if (v > 0 && len < 2)
			len = 2;
		if (i % 2 == 0) {
			colour(p.cr, BAND);
			cairo_rectangle(p.cr, MARGIN / 2, y, w - MARGIN, ROW_H);
			cairo_fill(p.cr);
		}
		colour(p.cr, INK);
		show(&p, fr[i], MARGIN, mid, 0);
		show(&p, ar[i], w - MARGIN, mid, 1);
		colour(p.cr, c->bars[i].alert ? ALERT : BAR);
		cairo_rectangle(p.cr, x0, mid - BAR_H / 2, len, BAR_H);
		cairo_fill(p.cr);
		colour(p.cr, c->bars[i].alert && v ? ALERT : MUTED);
		show(&p, val[i], x0 + len + 6, mid, 0);
	}
	/* The axis the bars grow from. */
	colour(p.cr, MUTED);
	cairo_move_to(p.cr, x0 - 0.5, top);
	cairo_line_to(p.cr, x0 - 0.5, top + (double)c->n * ROW_H);
	cairo_stroke(p.cr);

	cairo_surface_flush(surface);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_write_to_png_stream(surface, png_append, out) !=
		    CAIRO_STATUS_SUCCESS)
		rc = error(err, MAJLIS_ERR_INTERNAL, "cairo: cannot draw the "
						     "chart: %s",
			   cairo_status_to_string(cairo_status(p.cr)));
	for (size_t i = 0; i < c->n; i++) {
		g_object_unref(fr[i]);
		g_object_unref(ar[i]);
		g_object_unref(val[i]);
	}
	free(fr);
	free(ar);
	free(val);
	g_object_unref(tfr);
	g_object_unref(tar);
	for (int i = 0; i < 2; i++)
		g_object_unref(p.ctx[i]);
	cairo_destroy(p.cr);
	cairo_surface_destroy(surface);
	return rc;
}
