/* mtr's display mode 2: one strip of recent RTTs per hop, by latency. */
#include "config.h"

#include <curses.h>
#include <stdio.h>

#include "ui_int.h"

#define UI_CHART_HOST_MAX 28

/* The legend: which glyph stands for which RTT, and the loss mark. */
static void
ui_chart_legend(struct ui *u, const double *scale, int y, int cols)
{
	char buf[32];
	double v;
	int i, n, x;

	ui_draw_attr_on(u, 0, A_BOLD);
	mvaddnstr(y, 0, "Scale:", cols);
	ui_draw_attr_off(u, 0, A_BOLD);
	x = 7;
	for (i = 0; i < UI_LAYOUT_LEVELS; i++) {
		if (i < UI_LAYOUT_LEVELS - 1)
			n = snprintf(buf, sizeof(buf), "<=%.3g", scale[i]);
		else
			n = snprintf(buf, sizeof(buf), ">%.3g ms", scale[i - 1]);
		if (n < 0 || x + 1 + n >= cols)
			return;
		/* A value inside level i, safe from float rounding. */
		v = i == 0 ? scale[0] * 0.5 : (scale[i - 1] + scale[i]) / 2;
		move(y, x);
		ui_draw_sample(u, scale, (float)v);
		mvaddstr(y, x + 1, buf);
		x += n + 2;
	}
	if (x + 6 < cols) {
		move(y, x);
		ui_draw_sample(u, scale, MODEL_HIST_LOST);
		mvaddstr(y, x + 1, "lost");
	}
}

void
ui_draw_chart(struct ui *u, int rows, int cols)
{
	double scale[UI_LAYOUT_LEVELS];
	const struct hop *h;
	char buf[16];
	unsigned n, i, start;
	int ttl, y, host_w, strip_x, strip_w, nh, vis;

	ui_draw_scale(u, scale);
	ui_chart_legend(u, scale, ui_first_row() - 1, cols);
	if (!u->s.have_trace || u->s.shown_ttl < u->s.t.first_ttl) {
		ui_draw_text(ui_first_row(), UI_LAYOUT_PREFIX,
		    cols - UI_LAYOUT_PREFIX, "waiting for the first replies...");
		return;
	}
	host_w = cols / 3;
	if (host_w > UI_CHART_HOST_MAX)
		host_w = UI_CHART_HOST_MAX;
	strip_x = UI_LAYOUT_PREFIX + host_w + 1;
	strip_w = cols - strip_x;
	nh = u->s.shown_ttl - u->s.t.first_ttl + 1;
	vis = ui_visible_rows(rows);
	if (u->sel_moved) {
		if (u->sel_ttl - u->s.t.first_ttl < u->scroll)
			u->scroll = u->sel_ttl - u->s.t.first_ttl;
		else if (u->sel_ttl - u->s.t.first_ttl >= u->scroll + vis)
			u->scroll = u->sel_ttl - u->s.t.first_ttl - vis + 1;
		u->sel_moved = false;
	}
	if (u->scroll > nh - vis)
		u->scroll = nh - vis;
	if (u->scroll < 0)
		u->scroll = 0;
	y = ui_first_row();
	for (ttl = u->s.t.first_ttl + u->scroll; ttl <= u->s.shown_ttl &&
	    y < rows - 1; ttl++, y++) {
		h = ui_snap_hop(u, ttl);
		if (h == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%3d.", ttl);
		if (ttl == u->sel_ttl)
			attron(A_REVERSE);
		mvaddstr(y, 0, buf);
		ui_draw_host(u, y, UI_LAYOUT_PREFIX, host_w, h, 0);
		if (ttl == u->sel_ttl)
			attroff(A_REVERSE);
		n = h->hist_len < (unsigned)strip_w ? h->hist_len :
		    (unsigned)strip_w;
		start = (h->hist_pos + MODEL_HIST - n) % MODEL_HIST;
		move(y, strip_x);
		for (i = 0; i < n; i++)
			ui_draw_sample(u, scale, h->hist[(start + i) % MODEL_HIST]);
	}
}
