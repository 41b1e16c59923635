/*
 * Pure helpers behind the curses views: hop-table column layout for a
 * terminal width, value formatting, the latency scale that picks sparkline
 * glyphs and colours, the detail view's histogram and elapsed-time text.
 * No I/O and no globals, so cmocka tests call them directly.
 */
#ifndef NTRACE_UI_LAYOUT_H
#define NTRACE_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"
#include "options.h"
#include "stats.h"

#define UI_LAYOUT_PREFIX 5	/* "255. " before the host */
#define UI_LAYOUT_HOST_MIN 12	/* host characters kept before dropping */
#define UI_LAYOUT_SPARK_MAX 24	/* sparkline cells on a roomy terminal */
#define UI_LAYOUT_SPARK_MIN 8
#define UI_LAYOUT_KEEP 2	/* fields kept while the sparkline still fits */
#define UI_LAYOUT_MIN_COLS 40
#define UI_LAYOUT_MIN_ROWS 10
#define UI_LAYOUT_LEVELS 8	/* latency levels: glyph heights */

/* Which colour a latency level gets. */
enum ui_layout_colour {
	UI_LAYOUT_GOOD = 0,
	UI_LAYOUT_WARN,
	UI_LAYOUT_BAD,
};

struct ui_column {
	char letter;			/* -o letter, or ' ' for a blank */
	const struct field *f;		/* NULL for a blank */
	int x;				/* first screen column */
	int width;
};

struct ui_layout {
	int host_x;
	int host_w;
	int spark_x;
	int spark_w;			/* 0: no sparkline */
	size_t ncols;
	struct ui_column cols[OPTIONS_ORDER_MAX];
	size_t dropped;			/* -o entries left out for want of room */
};

/*
 * Lays out one hop-table row of `width` columns for -o string `order`
 * (NULL or "" means the default). The host takes what the fields and the
 * sparkline leave; when it would fall under UI_LAYOUT_HOST_MIN, the
 * sparkline shrinks, then the rightmost fields go (down to UI_LAYOUT_KEEP),
 * then the sparkline, then the last fields. Returns 0, or -1 on a bad order.
 */
int ui_layout_table(const char *order, int width, bool spark,
    struct ui_layout *l);
/*
 * Formats a field value right-aligned in exactly `width` characters (blank
 * for NAN); a value too wide loses its decimals, then gets a k/M/G suffix.
 */
void ui_layout_format(const struct field *f, double v, int width, char *buf,
    size_t len);
/*
 * mtr's latency scale: UI_LAYOUT_LEVELS thresholds from lo to hi on a
 * squared curve, over at least 1 ms so that loopback noise stays calm.
 */
void ui_layout_scale(double lo, double hi, double scale[UI_LAYOUT_LEVELS]);
/* The level 0..UI_LAYOUT_LEVELS-1 of an RTT on that scale. */
int ui_layout_level(const double scale[UI_LAYOUT_LEVELS], double ms);
enum ui_layout_colour ui_layout_colour(int level);
/* The glyph drawn for a level: block heights in UTF-8, else ASCII. */
const char *ui_layout_glyph(int level, bool utf8);
/*
 * Counts the window's samples into nbins equal bins from its smallest to
 * its largest sample; returns how many samples there were (0: no bins).
 */
unsigned ui_layout_histogram(const struct stats_window *w, unsigned nbins,
    unsigned *counts, double *lo, double *hi);
/* "42s", "3:07", "1:02:03" or "2d 01:02:03". */
void ui_layout_duration(double seconds, char *buf, size_t len);

#endif
