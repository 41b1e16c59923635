/* The statistics table: mtr's columns, ECMP and MPLS lines, sparklines. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "fields.h"
#include "ui_int.h"

enum ui_line_kind { UI_LINE_HOP, UI_LINE_RESP, UI_LINE_MPLS };

/* One table row: a hop, an extra ECMP responder, or an MPLS label. */
struct ui_line {
	int ttl;
	unsigned char kind;
	unsigned char resp;
	unsigned char label;
};

/* Lists the rows in order; returns their number, or -1 without memory. */
static int
ui_table_lines(const struct ui *u, struct ui_line **out)
{
	const struct hop *h;
	struct ui_line *l;
	size_t n = 0, cap;
	unsigned r, k;
	int ttl;

	*out = NULL;
	if (!u->s.have_trace || u->s.shown_ttl < u->s.t.first_ttl)
		return 0;
	cap = (size_t)(u->s.shown_ttl - u->s.t.first_ttl + 1) *
	    MODEL_MAX_RESP * (1 + PKT_MAX_MPLS);
	l = calloc(cap, sizeof(*l));
	if (l == NULL)
		return -1;
	for (ttl = u->s.t.first_ttl; ttl <= u->s.shown_ttl; ttl++) {
		h = ui_snap_hop(u, ttl);
		l[n++] = (struct ui_line){ .ttl = ttl, .kind = UI_LINE_HOP };
		for (r = 0; h != NULL && r < h->nresp; r++) {
			if (r > 0)
				l[n++] = (struct ui_line){ .ttl = ttl,
				    .kind = UI_LINE_RESP, .resp = (unsigned char)r };
			for (k = 0; u->mpls && k < h->resp[r].n_mpls &&
			    k < PKT_MAX_MPLS; k++)
				l[n++] = (struct ui_line){ .ttl = ttl,
				    .kind = UI_LINE_MPLS, .resp = (unsigned char)r,
				    .label = (unsigned char)k };
		}
	}
	*out = l;
	return (int)n;
}

static void
ui_table_titles(struct ui *u, const struct ui_layout *l, int y)
{
	char buf[32];
	size_t i;

	ui_draw_attr_on(u, 0, A_BOLD);
	mvaddstr(y, 0, "TTL");
	ui_draw_text(y, l->host_x, l->host_w, "Host");
	for (i = 0; i < l->ncols; i++) {
		if (l->cols[i].f == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%*s", l->cols[i].width,
		    l->cols[i].f->header);
		mvaddnstr(y, l->cols[i].x, buf, l->cols[i].width);
	}
	if (l->spark_w > 0)
		ui_draw_text(y, l->spark_x, l->spark_w, "History");
	ui_draw_attr_off(u, 0, A_BOLD);
}

static void
ui_table_spark(struct ui *u, const struct ui_layout *l, const double *scale,
    const struct hop *h, int y)
{
	unsigned n, i, start;

	n = h->hist_len < (unsigned)l->spark_w ? h->hist_len :
	    (unsigned)l->spark_w;
	/* The ring is oldest first from hist_pos once full. */
	start = (h->hist_pos + MODEL_HIST - n) % MODEL_HIST;
	move(y, l->spark_x);
	for (i = 0; i < n; i++)
		ui_draw_sample(u, scale, h->hist[(start + i) % MODEL_HIST]);
}

/* The loss-diagnosis marker between the TTL and the host (help: l). */
static void
ui_table_marker(struct ui *u, enum diag_kind k, int y)
{
	static const char marks[] = { ' ', '~', '!', '^' };
	enum ui_pair pair = k == DIAG_RATE_LIMIT ? UI_PAIR_WARN : UI_PAIR_BAD;

	if (k == DIAG_NONE || (size_t)k >= sizeof(marks))
		return;
	ui_draw_attr_on(u, pair, A_BOLD);
	mvaddch(y, UI_LAYOUT_PREFIX - 1, (chtype)marks[k]);
	ui_draw_attr_off(u, pair, A_BOLD);
}

static void
ui_table_hop(struct ui *u, const struct ui_layout *l, const double *scale,
    const struct hop *h, int y)
{
	char buf[32];
	size_t i;
	bool sel = h->ttl == u->sel_ttl;

	snprintf(buf, sizeof(buf), "%3d.", h->ttl);
	if (sel)
		attron(A_REVERSE);
	mvaddstr(y, 0, buf);
	ui_draw_host(u, y, l->host_x, l->host_w - 1, h, 0);
	if (sel)
		attroff(A_REVERSE);
	for (i = 0; i < l->ncols; i++) {
		if (l->cols[i].f == NULL)
			continue;
		ui_layout_format(l->cols[i].f,
		    fields_value(l->cols[i].f, &h->st, &h->win),
		    l->cols[i].width, buf, sizeof(buf));
		mvaddstr(y, l->cols[i].x, buf);
	}
	if (l->spark_w > 0)
		ui_table_spark(u, l, scale, h, y);
}

static void
ui_table_mpls(const struct ui_layout *l, const struct hop *h,
    const struct ui_line *ln, int y, int cols)
{
	const struct pkt_mpls *p = &h->resp[ln->resp].mpls[ln->label];
	char buf[96];

	snprintf(buf, sizeof(buf), "  [MPLS: Lbl %u TC %u S %u TTL %u]",
	    (unsigned)p->label, (unsigned)p->tc, (unsigned)p->s,
	    (unsigned)p->ttl);
	/* The fields are blank on this row, so the label may run over them. */
	ui_draw_text(y, l->host_x, cols - l->host_x, buf);
}

/* Scrolls so the selected hop stays in sight after it moved. */
static void
ui_table_follow(struct ui *u, const struct ui_line *lines, int n, int vis)
{
	int i;

	for (i = 0; i < n; i++) {
		if (lines[i].kind != UI_LINE_HOP || lines[i].ttl != u->sel_ttl)
			continue;
		if (i < u->scroll)
			u->scroll = i;
		else if (i >= u->scroll + vis)
			u->scroll = i - vis + 1;
		return;
	}
}

void
ui_draw_table(struct ui *u, int rows, int cols)
{
	struct ui_layout l;
	struct ui_line *lines;
	double scale[UI_LAYOUT_LEVELS];
	const struct hop *h;
	int n, i, y, vis = ui_visible_rows(rows);
	enum diag_kind kind[256];
	struct diag_summary sum;
	size_t nk;

	if (ui_layout_table(ui_order(u), cols, true, &l) == -1)
		ui_layout_table(NULL, cols, true, &l);
	ui_table_titles(u, &l, ui_first_row() - 1);
	n = ui_table_lines(u, &lines);
	if (n <= 0) {
		ui_draw_text(ui_first_row(), l.host_x, cols - l.host_x,
		    n == 0 ? "waiting for the first replies..." :
		    "out of memory");
		return;
	}
	if (u->sel_moved) {
		ui_table_follow(u, lines, n, vis);
		u->sel_moved = false;
	}
	if (u->scroll > n - vis)
		u->scroll = n - vis;
	if (u->scroll < 0)
		u->scroll = 0;
	ui_draw_scale(u, scale);
	nk = diag_trace(&u->s.t, kind, 256, &sum);
	for (i = u->scroll, y = ui_first_row(); i < n && y < rows - 1;
	    i++, y++) {
		h = ui_snap_hop(u, lines[i].ttl);
		if (h == NULL)
			continue;
		switch (lines[i].kind) {
		case UI_LINE_HOP:
			ui_table_hop(u, &l, scale, h, y);
			if ((size_t)(h->ttl - u->s.t.first_ttl) < nk)
				ui_table_marker(u, kind[h->ttl -
				    u->s.t.first_ttl], y);
			break;
		case UI_LINE_RESP:
			ui_draw_host(u, y, l.host_x + 2, l.host_w - 3, h,
			    lines[i].resp);
			break;
		default:
			ui_table_mpls(&l, h, &lines[i], y, cols);
			break;
		}
	}
	free(lines);
}
