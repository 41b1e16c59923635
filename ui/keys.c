/* Keys, with mtr's meaning, and the one-line prompts some of them open. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fields.h"
#include "packet.h"
#include "ui_int.h"

#define UI_KEY_ESC 27
#define UI_KEY_CTRL(c) ((c) & 0x1f)
#define UI_SCROLL_STEP 5

/* Parses a whole decimal number in [lo, hi]; returns -1 when it is not. */
static int
ui_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void
ui_prompt_open(struct ui *u, int key, const char *initial)
{
	u->prompt = key;
	u->plen = 0;
	if (initial != NULL) {
		u->plen = strlen(initial);
		if (u->plen >= sizeof(u->pbuf))
			u->plen = sizeof(u->pbuf) - 1;
		memcpy(u->pbuf, initial, u->plen);
	}
	u->pbuf[u->plen] = '\0';
	u->msg[0] = '\0';
}

static void
ui_commit_order(struct ui *u, const char *s)
{
	char err[160];
	size_t n = strlen(s);

	if (n > OPTIONS_ORDER_MAX) {
		ui_message(u, "fields: at most %d letters", OPTIONS_ORDER_MAX);
		return;
	}
	if (fields_check_order(s, err, sizeof(err)) == -1) {
		ui_message(u, "%s", err);
		return;
	}
	if (n == 0) {
		s = FIELDS_DEFAULT_ORDER;
		n = strlen(s);
	}
	memcpy(u->order, s, n + 1);
	u->jitter = false;
	ui_message(u, "fields: %s", u->order);
}

static void
ui_commit_interval(struct ui *u, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < 0.01 || v > 3600) {
		ui_message(u, "interval: give seconds from 0.01 to 3600");
		return;
	}
	engine_command(u->e, ENGINE_SET_INTERVAL, v);
	ui_message(u, "interval: %.2g s", v);
}

static void
ui_commit_ttl(struct ui *u, int key, const char *s)
{
	int first = u->s.have_trace ? u->s.t.first_ttl : 1;
	int max = u->s.have_trace ? u->s.t.max_ttl : 255;
	long v;

	if (key == 'f') {
		if (ui_parse_long(s, 1, max, &v) == -1) {
			ui_message(u, "first TTL: give 1 to %d (the max TTL)", max);
			return;
		}
		engine_command(u->e, ENGINE_SET_FIRST_TTL, (double)v);
		ui_message(u, "first TTL %ld requested", v);
	} else {
		if (ui_parse_long(s, first, 255, &v) == -1) {
			ui_message(u, "max TTL: give %d (the first TTL) to 255",
			    first);
			return;
		}
		engine_command(u->e, ENGINE_SET_MAX_TTL, (double)v);
		ui_message(u, "max TTL %ld requested", v);
	}
}

static void
ui_commit_size(struct ui *u, const char *s)
{
	int family = u->s.have_trace ? u->s.t.family : AF_INET;
	enum proto proto = u->s.have_trace ? u->s.t.proto : PROTO_ICMP;
	long lo = (long)pkt_min_size(family, proto), v;

	if (ui_parse_long(s, 0, PKT_MAX_SIZE, &v) == -1 || (v != 0 && v < lo)) {
		ui_message(u, "size: give 0 (default) or %ld to %d bytes", lo,
		    PKT_MAX_SIZE);
		return;
	}
	engine_command(u->e, ENGINE_SET_PSIZE, (double)v);
	ui_message(u, "packet size: %ld%s", v, v == 0 ? " (default)" : "");
}

static void
ui_commit_tos(struct ui *u, const char *s)
{
	long v;

	if (ui_parse_long(s, 0, 255, &v) == -1) {
		ui_message(u, "TOS: give 0 to 255");
		return;
	}
	engine_command(u->e, ENGINE_SET_TOS, (double)v);
	ui_message(u, "TOS: %ld", v);
}

static void
ui_prompt_commit(struct ui *u)
{
	int key = u->prompt;

	u->prompt = 0;
	u->pbuf[u->plen] = '\0';
	switch (key) {
	case 'o':
		ui_commit_order(u, u->pbuf);
		break;
	case 'i':
		ui_commit_interval(u, u->pbuf);
		break;
	case 'f':
	case 'm':
		ui_commit_ttl(u, key, u->pbuf);
		break;
	case 's':
		ui_commit_size(u, u->pbuf);
		break;
	case 'Q':
		ui_commit_tos(u, u->pbuf);
		break;
	default:
		break;
	}
}

static void
ui_prompt_key(struct ui *u, int ch)
{
	switch (ch) {
	case UI_KEY_ESC:
		u->prompt = 0;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui_prompt_commit(u);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (u->plen > 0)
			u->pbuf[--u->plen] = '\0';
		break;
	case UI_KEY_CTRL('u'):
		u->plen = 0;
		u->pbuf[0] = '\0';
		break;
	default:
		if (ch >= 0x20 && ch < 0x7f && u->plen + 1 < sizeof(u->pbuf)) {
			u->pbuf[u->plen++] = (char)ch;
			u->pbuf[u->plen] = '\0';
		}
		break;
	}
}

static void
ui_select(struct ui *u, int delta)
{
	int first, last;

	if (!u->s.have_trace)
		return;
	first = u->s.t.first_ttl;
	last = u->s.shown_ttl < first ? first : u->s.shown_ttl;
	if (u->sel_ttl < first)
		u->sel_ttl = delta > 0 ? first - 1 : first + 1;
	u->sel_ttl += delta;
	if (u->sel_ttl < first)
		u->sel_ttl = first;
	if (u->sel_ttl > last)
		u->sel_ttl = last;
	u->sel_moved = true;
}

static void
ui_protocol(struct ui *u, enum proto want)
{
	enum proto cur = u->s.have_trace ? u->s.t.proto : PROTO_ICMP;
	enum proto p = cur == want ? PROTO_ICMP : want;
	const char *name = pkt_proto_name(p);

	/* mtr's u and t toggle: pressing again goes back to ICMP. Only the
	 * trace on screen changes, so a comparison keeps its other side. */
	engine_command_trace(u->e, ENGINE_SET_PROTOCOL, (long)u->trace, (double)p);
	ui_message(u, "protocol %s requested", name != NULL ? name : "?");
}

static void
ui_switch_trace(struct ui *u, size_t i)
{
	if (u->s.ntraces < 2 || i >= u->s.ntraces)
		return;
	u->trace = i;
	u->sel_ttl = 0;
	u->scroll = 0;
}

/* d: table, chart, detail, then the compare view when there is one. */
static void
ui_next_view(struct ui *u)
{
	enum ui_view v = (enum ui_view)((u->view + 1) % UI_VIEW_COUNT);

	if (v == UI_VIEW_COMPARE && u->s.ngroup < 2)
		v = (enum ui_view)((v + 1) % UI_VIEW_COUNT);
	u->view = v;
}

/* v: the active target's traces side by side, and back to the table. */
static void
ui_compare_toggle(struct ui *u)
{
	if (u->view == UI_VIEW_COMPARE) {
		u->view = UI_VIEW_TABLE;
		return;
	}
	if (u->s.ngroup < 2) {
		ui_message(u, "compare: this target has one trace; run with "
		    "--protocol icmp,tcp to compare");
		return;
	}
	u->view = UI_VIEW_COMPARE;
	u->scroll = 0;
}

static void
ui_help_key(struct ui *u, int ch)
{
	switch (ch) {
	case 'q':
		u->quit = true;
		break;
	case UI_KEY_ESC:
	case '?':
	case 'h':
	case ' ':
	case '\n':
	case '\r':
	case KEY_ENTER:
		u->help = false;
		break;
	default:
		break;
	}
}

/* Keys that move things around the screen rather than change the probes. */
static bool
ui_nav_key(struct ui *u, int ch)
{
	int page = LINES - ui_first_row() - 1;

	switch (ch) {
	case KEY_UP:
	case 'k':
		ui_select(u, -1);
		return true;
	case KEY_DOWN:
		ui_select(u, 1);
		return true;
	case KEY_HOME:
		ui_select(u, -1000);
		return true;
	case KEY_END:
		ui_select(u, 1000);
		return true;
	case '+':
		u->scroll += UI_SCROLL_STEP;
		return true;
	case '-':
		u->scroll -= UI_SCROLL_STEP;
		return true;
	case KEY_NPAGE:
		u->scroll += page > 1 ? page - 1 : 1;
		return true;
	case KEY_PPAGE:
		u->scroll -= page > 1 ? page - 1 : 1;
		return true;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (u->view == UI_VIEW_DETAIL) {
			u->view = UI_VIEW_TABLE;
		} else {
			if (u->s.have_trace && u->sel_ttl < u->s.t.first_ttl)
				u->sel_ttl = u->s.t.first_ttl;
			u->view = UI_VIEW_DETAIL;
		}
		return true;
	case UI_KEY_ESC:
	case KEY_BACKSPACE:
	case 127:
		/* The event log closes first; it lies over the view. */
		if (u->events)
			u->events = false;
		else if (u->view == UI_VIEW_DETAIL ||
		    u->view == UI_VIEW_COMPARE)
			u->view = UI_VIEW_TABLE;
		u->msg[0] = '\0';
		return true;
	case '\t':
		if (u->s.ntraces > 1)
			ui_switch_trace(u, (u->trace + 1) % u->s.ntraces);
		return true;
	case UI_KEY_CTRL('l'):
		u->clear = true;
		return true;
	case KEY_RESIZE:
		return true;
	default:
		if (ch >= '1' && ch <= '9') {
			ui_switch_trace(u, (size_t)(ch - '1'));
			return true;
		}
		return false;
	}
}

void
ui_keys_handle(struct ui *u, int ch)
{
	char cur[OPTIONS_ORDER_MAX + 1];

	u->dirty = true;
	if (u->prompt != 0) {
		ui_prompt_key(u, ch);
		return;
	}
	if (u->help) {
		ui_help_key(u, ch);
		return;
	}
	if (ui_nav_key(u, ch))
		return;
	switch (ch) {
	case 'q':
		u->quit = true;
		break;
	case 'p':
		engine_command(u->e, ENGINE_PAUSE, 0);
		break;
	case ' ':
		engine_command(u->e, ENGINE_RESUME, 0);
		break;
	case 'r':
		engine_command(u->e, ENGINE_RESET, 0);
		break;
	case 'd':
		ui_next_view(u);
		break;
	case 'v':
		ui_compare_toggle(u);
		break;
	case 'j':
		/* mtr's j in the table; elsewhere j/k walk the hops. */
		if (u->view == UI_VIEW_TABLE)
			u->jitter = !u->jitter;
		else
			ui_select(u, 1);
		break;
	case 'n':
		u->no_dns = !u->no_dns;
		engine_command(u->e, ENGINE_SET_DNS, u->no_dns ? 0 : 1);
		ui_message(u, "DNS names %s", u->no_dns ? "off" : "on");
		break;
	case 'e':
		u->mpls = !u->mpls;
		ui_message(u, "MPLS labels %s", u->mpls ? "shown" : "hidden");
		break;
	case 'z':
		u->aslookup = !u->aslookup;
		engine_command(u->e, ENGINE_SET_ASN, u->aslookup ? 1 : 0);
		ui_message(u, "AS numbers %s", u->aslookup ? "shown" : "hidden");
		break;
	case 'u':
		ui_protocol(u, PROTO_UDP);
		break;
	case 't':
		ui_protocol(u, PROTO_TCP);
		break;
	case 'o':
		snprintf(cur, sizeof(cur), "%s", ui_order(u));
		ui_prompt_open(u, 'o', cur);
		break;
	case 'i':
	case 'f':
	case 'm':
	case 's':
	case 'Q':
		ui_prompt_open(u, ch, NULL);
		break;
	case 'l':
		u->events = !u->events;
		break;
	case '?':
	case 'h':
		u->help = true;
		break;
	default:
		break;
	}
}
