/*
 * render-priv.h - shared by the back-ends of render.c.
 */
#ifndef MAJLIS_RENDER_PRIV_H
#define MAJLIS_RENDER_PRIV_H

#include <cairo.h>
#include <pango/pango.h>

/* A PangoRenderer that draws into cairo and keeps the PDF's text in the
 * order extractors read it (see render-glyphs.c). Free with
 * g_object_unref(). */
PangoRenderer *glyph_renderer_new(void);

/* Draw a line, its baseline at cairo's current point. */
void glyph_renderer_show_line(PangoRenderer *r, cairo_t *cr,
			      PangoLayoutLine *line);

/* Draw a layout, its top left corner at cairo's current point. */
void glyph_renderer_show_layout(PangoRenderer *r, cairo_t *cr,
				PangoLayout *lay);

struct renderer;

/* The renderer's font map: the fonts of fonts/ only, with majlis's own
 * fontconfig configuration. For drawing text outside documents (the
 * digest's chart, chart.c); owned by the renderer. */
PangoFontMap *renderer_font_map(struct renderer *r);

#endif
