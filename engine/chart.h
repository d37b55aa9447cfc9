/*
 * chart.h - small charts for mail, drawn with cairo into a PNG: a
 * horizontal bar chart whose every row is labelled in French on the left
 * and in Arabic on the right, the bar and its value between them.
 *
 * Text is laid out by pango with the renderer's fonts (those of fonts/
 * only, render.h), so Arabic is shaped and ordered as in the documents
 * and the picture is the same on every machine.
 */
#ifndef MAJLIS_CHART_H
#define MAJLIS_CHART_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

struct renderer;

struct chart_bar {
	const char *label_fr;	/* UTF-8, one short line */
	const char *label_ar;
	long value;		/* 0 or more */
	int alert;		/* drawn in the alert colour (late work) */
};

struct chart {
	const char *title_fr;	/* above the French labels */
	const char *title_ar;	/* above the Arabic ones */
	const struct chart_bar *bars;
	size_t n;
	int width, height;	/* in CSS pixels, as the HTML shows it */
	int scale;		/* PNG pixels per CSS pixel: 1, or 2 for
				 * sharp screens */
};

/* The height a chart of n bars needs, in CSS pixels. */
int chart_height(size_t n);

/*
 * Appends the PNG of c, width * scale by height * scale pixels, to out.
 * MAJLIS_ERR_USAGE for a chart without bars or of an impossible size;
 * MAJLIS_ERR_INTERNAL if cairo fails.
 */
enum majlis_status chart_png(struct renderer *r, const struct chart *c,
			     struct buf *out, struct buf *err);

#endif
