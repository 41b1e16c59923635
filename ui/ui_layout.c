/* Column layout, value formatting and latency scales for the curses views. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui_layout.h"

/* Fields actually present among the first n columns (blanks excluded). */
static size_t
count_fields(const struct ui_layout *l, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (l->cols[i].f != NULL)
			k++;
	return k;
}

/* Drops the last column, then any blanks it leaves dangling at the end. */
static size_t
drop_last(const struct ui_layout *l, size_t n)
{
	if (n > 0)
		n--;
	while (n > 0 && l->cols[n - 1].f == NULL)
		n--;
	return n;
}

static int
fixed_width(const struct ui_layout *l, size_t n, int spark_w)
{
	int w = UI_LAYOUT_PREFIX;
	size_t i;

	for (i = 0; i < n; i++)
		w += l->cols[i].width;
	if (spark_w > 0)
		w += 1 + spark_w;
	return w;
}

int
ui_layout_table(const char *order, int width, bool spark, struct ui_layout *l)
{
	const char *p;
	size_t n = 0, i;
	int spark_w, room, x;

	memset(l, 0, sizeof(*l));
	if (order == NULL || *order == '\0')
		order = FIELDS_DEFAULT_ORDER;
	if (fields_check_order(order, NULL, 0) == -1)
		return -1;
	for (p = order; *p != '\0' && n < OPTIONS_ORDER_MAX; p++) {
		l->cols[n].letter = *p;
		l->cols[n].f = *p == ' ' ? NULL : fields_find(*p);
		l->cols[n].width = l->cols[n].f != NULL ? l->cols[n].f->width : 1;
		n++;
	}
	/* Trailing blanks separate nothing. */
	while (n > 0 && l->cols[n - 1].f == NULL)
		n--;
	l->dropped = strlen(order) - n;

	spark_w = spark ? UI_LAYOUT_SPARK_MAX : 0;
	for (;;) {
		room = width - fixed_width(l, n, spark_w);
		if (room >= UI_LAYOUT_HOST_MIN)
			break;
		if (spark_w > UI_LAYOUT_SPARK_MIN) {
			spark_w -= UI_LAYOUT_HOST_MIN - room;
			if (spark_w < UI_LAYOUT_SPARK_MIN)
				spark_w = UI_LAYOUT_SPARK_MIN;
		} else if (count_fields(l, n) > UI_LAYOUT_KEEP) {
			n = drop_last(l, n);
		} else if (spark_w > 0) {
			spark_w = 0;
		} else if (n > 0) {
			n = drop_last(l, n);
		} else {
			break;
		}
	}
	l->dropped = strlen(order) - n;
	l->ncols = n;
	l->host_x = UI_LAYOUT_PREFIX;
	l->host_w = room > 0 ? room : 0;
	x = l->host_x + l->host_w;
	for (i = 0; i < n; i++) {
		l->cols[i].x = x;
		x += l->cols[i].width;
	}
	l->spark_w = spark_w;
	l->spark_x = spark_w > 0 ? x + 1 : 0;
	return 0;
}

static int
format_plain(const struct field *f, double v, int decimals, char *buf,
    size_t len)
{
	if (f->letter == 'L')
		return snprintf(buf, len, "%.*f%%", decimals, v);
	return snprintf(buf, len, "%.*f", decimals, v);
}

void
ui_layout_format(const struct field *f, double v, int width, char *buf,
    size_t len)
{
	static const char suffix[] = "kMG";
	char tmp[64];
	double scaled;
	int n, i;

	if (len == 0)
		return;
	if (width < 0)
		width = 0;
	if ((size_t)width >= len)
		width = (int)len - 1;
	buf[0] = '\0';
	if (f == NULL || isnan(v)) {
		snprintf(buf, len, "%*s", width, "");
		return;
	}
	n = format_plain(f, v, f->is_count ? 0 : f->decimals, tmp, sizeof(tmp));
	if (n > width)
		n = format_plain(f, v, 0, tmp, sizeof(tmp));
	scaled = v;
	for (i = 0; n > width && i < 3; i++) {
		scaled /= 1000.0;
		n = snprintf(tmp, sizeof(tmp), "%.0f%c", scaled, suffix[i]);
	}
	if (n < 0 || n > width) {
		memset(buf, '#', (size_t)width);
		buf[width] = '\0';
		return;
	}
	snprintf(buf, len, "%*s", width, tmp);
}

void
ui_layout_scale(double lo, double hi, double scale[UI_LAYOUT_LEVELS])
{
	double range, fr;
	int i;

	if (isnan(lo) || isnan(hi)) {
		lo = 0;
		hi = 0;
	}
	if (hi < lo)
		hi = lo;
	range = hi - lo;
	if (range < 1.0)
		range = 1.0;
	/* mtr's factors ((i + 1) / N)^2 give short RTTs finer steps. */
	for (i = 0; i < UI_LAYOUT_LEVELS; i++) {
		fr = (double)(i + 1) / UI_LAYOUT_LEVELS;
		scale[i] = lo + range * fr * fr;
	}
}

int
ui_layout_level(const double scale[UI_LAYOUT_LEVELS], double ms)
{
	int i;

	for (i = 0; i < UI_LAYOUT_LEVELS - 1; i++)
		if (ms <= scale[i])
			return i;
	return UI_LAYOUT_LEVELS - 1;
}

enum ui_layout_colour
ui_layout_colour(int level)
{
	if (level < UI_LAYOUT_LEVELS / 2)
		return UI_LAYOUT_GOOD;
	if (level < UI_LAYOUT_LEVELS - 2)
		return UI_LAYOUT_WARN;
	return UI_LAYOUT_BAD;
}

const char *
ui_layout_glyph(int level, bool utf8)
{
	static const char *const blocks[UI_LAYOUT_LEVELS] = {
		"\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char *const ascii[UI_LAYOUT_LEVELS] = {
		".", ",", ":", "-", "=", "+", "*", "#",
	};

	if (level < 0)
		level = 0;
	if (level >= UI_LAYOUT_LEVELS)
		level = UI_LAYOUT_LEVELS - 1;
	return utf8 ? blocks[level] : ascii[level];
}

unsigned
ui_layout_histogram(const struct stats_window *w, unsigned nbins,
    unsigned *counts, double *lo, double *hi)
{
	unsigned i, b;
	double min = 0, max = 0, v;

	for (i = 0; i < nbins; i++)
		counts[i] = 0;
	*lo = 0;
	*hi = 0;
	if (w == NULL || w->len == 0 || nbins == 0)
		return 0;
	for (i = 0; i < w->len; i++) {
		v = w->sample[i];
		if (i == 0 || v < min)
			min = v;
		if (i == 0 || v > max)
			max = v;
	}
	for (i = 0; i < w->len; i++) {
		v = w->sample[i];
		if (max > min)
			b = (unsigned)((v - min) / (max - min) * nbins);
		else
			b = 0;
		if (b >= nbins)
			b = nbins - 1;
		counts[b]++;
	}
	*lo = min;
	*hi = max;
	return w->len;
}

void
ui_layout_duration(double seconds, char *buf, size_t len)
{
	long s, d, h, mi;

	if (isnan(seconds) || seconds < 0)
		seconds = 0;
	if (seconds > 1e9)
		seconds = 1e9;
	s = (long)seconds;
	d = s / 86400;
	h = s / 3600 % 24;
	mi = s / 60 % 60;
	s %= 60;
	if (d > 0)
		snprintf(buf, len, "%ldd %02ld:%02ld:%02ld", d, h, mi, s);
	else if (h > 0)
		snprintf(buf, len, "%ld:%02ld:%02ld", h, mi, s);
	else if (mi > 0)
		snprintf(buf, len, "%ld:%02ld", mi, s);
	else
		snprintf(buf, len, "%lds", s);
}
