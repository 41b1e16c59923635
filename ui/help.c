/* The help screen: mtr's keys with mtr's meaning, and ntrace's own. */
#include "config.h"

#include <curses.h>
#include <stdio.h>

#include "ui_int.h"

#define UI_HELP_COL 50	/* "keys" (14), a space, what (<= 33), margins */

struct ui_help_entry {
	const char *keys;
	const char *what;
};

static const struct ui_help_entry ui_help_entries[] = {
	{ "q", "quit" },
	{ "p", "pause" },
	{ "space", "resume" },
	{ "r", "reset all counters" },
	{ "d / v", "next view / compare protocols" },
	{ "up/down, k", "select a hop; j too off the table" },
	{ "Enter", "open the selected hop's detail" },
	{ "l", "event log (path changes, bursts)" },
	{ "~ ! ^ in table", "rate limit, loss start, inherited" },
	{ "n", "toggle DNS names" },
	{ "j", "toggle latency / jitter columns" },
	{ "o", "set the field order (-o letters)" },
	{ "u / t", "switch to UDP / TCP (again: ICMP)" },
	{ "e", "toggle MPLS labels" },
	{ "z", "toggle AS numbers" },
	{ "i", "set the interval" },
	{ "f / m", "set the first / max TTL" },
	{ "s / Q", "set the packet size / TOS" },
	{ "+ - PgUp PgDn", "scroll" },
	{ "Tab, 1-9", "switch between traces" },
	{ "Ctrl-L", "redraw the screen" },
	{ "? h", "this help (Esc closes it)" },
};

void
ui_draw_help(struct ui *u, int rows, int cols)
{
	const size_t n = sizeof(ui_help_entries) / sizeof(ui_help_entries[0]);
	char buf[128];
	int y0 = ui_first_row(), per, col_w, y, x;
	size_t i;

	ui_draw_attr_on(u, UI_PAIR_TITLE, A_BOLD);
	ui_draw_text(y0 - 1, 0, cols, "Help: keys (Esc closes)");
	ui_draw_attr_off(u, UI_PAIR_TITLE, A_BOLD);
	per = rows - 1 - y0;
	if (per < 1)
		return;
	/* Two columns when one does not hold every key and entries fit. */
	col_w = (size_t)per < n && cols >= 2 * UI_HELP_COL ? cols / 2 : cols;
	for (i = 0; i < n; i++) {
		y = y0 + (int)i % per;
		x = (int)i / per * col_w;
		if (x + 10 > cols)
			break;
		snprintf(buf, sizeof(buf), "%-14s %s", ui_help_entries[i].keys,
		    ui_help_entries[i].what);
		ui_draw_text(y, x + 1, col_w - 2, buf);
	}
}
