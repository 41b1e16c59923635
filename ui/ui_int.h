/*
 * Shared by the files of the curses front end only: the UI state, the
 * snapshot a frame is drawn from, and the per-view draw functions.
 */
#ifndef NTRACE_UI_INT_H
#define NTRACE_UI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "model.h"
#include "options.h"
#include "ui_layout.h"

#define UI_NAME_MAX 256
#define UI_ASN_MAX 64
#define UI_MSG_MAX 160
#define UI_PROMPT_MAX 64
#define UI_JITTER_ORDER "DR AGJMXI"	/* mtr's j key field set */

enum ui_view {
	UI_VIEW_TABLE = 0,
	UI_VIEW_CHART,
	UI_VIEW_DETAIL,
	UI_VIEW_COMPARE,	/* traces of one target side by side (v) */
	UI_VIEW_COUNT,
};

/* Colour pairs; without colours every one draws as the default. */
enum ui_pair {
	UI_PAIR_GOOD = 1,
	UI_PAIR_WARN,
	UI_PAIR_BAD,
	UI_PAIR_TITLE,
	UI_PAIR_STATUS,
};

/* Text known for one responder, copied under the model lock. */
struct ui_text {
	char name[UI_NAME_MAX];		/* PTR name, or "" */
	char asn[UI_ASN_MAX];		/* AS text, or "" */
};

struct ui_cmp;

/* What one frame draws: a copy of the active trace and model state. */
struct ui_snap {
	struct trace t;			/* hops owned by the copy */
	bool have_trace;
	struct ui_text *text;		/* [ttl - first_ttl][MODEL_MAX_RESP] */
	int shown_ttl;			/* last TTL drawn */
	size_t ntraces;
	char backend[16];
	char status[MODEL_STATUS_MAX];
	struct timespec started;
	bool paused;
	bool done;
	double interval;
	size_t ngroup;			/* traces of the active target */
	struct ui_cmp *cmp;		/* their copies, in the compare view */
	struct model_event *events;	/* the active trace's event log (l) */
	size_t nevents;			/* oldest first, up to MODEL_EVENTS */
};

struct ui {
	struct model *m;
	struct engine *e;
	const struct options *o;

	enum ui_view view;
	bool help;
	bool events;			/* l: the event log over the view */
	size_t trace;			/* index of the active trace */
	int sel_ttl;			/* selected hop; 0: first one */
	int scroll;			/* hop rows scrolled off the top */
	bool sel_moved;		/* the table follows the selection */

	bool no_dns;			/* n: addresses only */
	bool show_ips;			/* -b: names and addresses */
	bool mpls;			/* e */
	bool aslookup;			/* z */
	bool jitter;			/* j: mtr's jitter field set */
	char order[OPTIONS_ORDER_MAX + 1];

	bool utf8;
	bool colour;

	int prompt;			/* key whose value is being typed, or 0 */
	char pbuf[UI_PROMPT_MAX];
	size_t plen;
	char msg[UI_MSG_MAX];		/* one-line feedback at the bottom */
	struct timespec msg_until;

	bool quit;
	bool dirty;			/* redraw at the next chance */
	bool clear;			/* Ctrl-L: repaint every cell */
	uint64_t generation;

	struct ui_snap s;
};

/* ui.c */
void ui_message(struct ui *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const struct hop *ui_snap_hop(const struct ui *u, int ttl);
const struct ui_text *ui_snap_text(const struct ui *u, int ttl, unsigned r);

/* draw.c: pieces every view uses. */
void ui_draw_header(struct ui *u, int cols);
void ui_draw_footer(struct ui *u, int rows, int cols);
void ui_draw_host(struct ui *u, int y, int x, int w, const struct hop *h,
    unsigned r);
void ui_draw_text(int y, int x, int w, const char *s);
void ui_draw_attr_on(struct ui *u, enum ui_pair pair, int attr);
void ui_draw_attr_off(struct ui *u, enum ui_pair pair, int attr);
void ui_draw_scale(const struct ui *u, double scale[UI_LAYOUT_LEVELS]);
void ui_draw_sample(struct ui *u, const double *scale, float v);
const char *ui_order(const struct ui *u);
int ui_first_row(void);
int ui_visible_rows(int rows);

/* Per-view drawing, each below the header. */
void ui_draw_table(struct ui *u, int rows, int cols);
void ui_draw_chart(struct ui *u, int rows, int cols);
void ui_draw_detail(struct ui *u, int rows, int cols);
void ui_draw_help(struct ui *u, int rows, int cols);
/* draw_detail.c: the event log (l), newest first. */
void ui_draw_events(struct ui *u, int rows, int cols);

/* draw_compare.c: copies the active target's traces (model lock held). */
int ui_compare_snap(struct ui *u);
void ui_compare_free(struct ui *u);
void ui_draw_compare(struct ui *u, int rows, int cols);

/* keys.c */
void ui_keys_handle(struct ui *u, int ch);

#endif
