/* Pieces every view draws: the header, the footer, host names, glyphs. */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "packet.h"
#include "sanitize.h"
#include "ui_int.h"

#define UI_TEXT_MAX 512

int
ui_first_row(void)
{
	/* Two header rows, then a row of column titles. */
	return 3;
}

int
ui_visible_rows(int rows)
{
	/* Everything between the column titles and the footer. */
	return rows - ui_first_row() - 1;
}

const char *
ui_order(const struct ui *u)
{
	return u->jitter ? UI_JITTER_ORDER : u->order;
}

void
ui_draw_attr_on(struct ui *u, enum ui_pair pair, int attr)
{
	if (u->colour && pair != 0)
		attron(COLOR_PAIR(pair));
	if (attr != 0)
		attron(attr);
}

void
ui_draw_attr_off(struct ui *u, enum ui_pair pair, int attr)
{
	if (u->colour && pair != 0)
		attroff(COLOR_PAIR(pair));
	if (attr != 0)
		attroff(attr);
}

/* Draws untrusted text made safe for the terminal, cut to w characters. */
void
ui_draw_text(int y, int x, int w, const char *s)
{
	char buf[UI_TEXT_MAX];
	size_t n;

	if (w <= 0 || s == NULL)
		return;
	sanitize_text(buf, sizeof(buf), s, strlen(s));
	n = sanitize_prefix(buf, (size_t)w);
	mvaddnstr(y, x, buf, (int)n);
}

/* The name a responder is shown by, after -n, -b and -z. */
void
ui_draw_host(struct ui *u, int y, int x, int w, const struct hop *h,
    unsigned r)
{
	char buf[UI_TEXT_MAX], addr[ADDR_STRLEN];
	const struct ui_text *tx;
	const struct responder *rp;
	const char *name, *flag = NULL;
	size_t off = 0;
	int n;

	if (h == NULL || r >= h->nresp) {
		ui_draw_text(y, x, w, "???");
		return;
	}
	rp = &h->resp[r];
	tx = ui_snap_text(u, h->ttl, r);
	addr_ntop(&rp->addr, addr, sizeof(addr));
	name = (tx != NULL && !u->no_dns && tx->name[0] != '\0') ? tx->name :
	    NULL;
	buf[0] = '\0';
	if (u->aslookup) {
		/* The cache holds "AS64500" (or another -y field) already. */
		n = snprintf(buf, sizeof(buf), "%s ",
		    tx != NULL && tx->asn[0] != '\0' ? tx->asn :
		    u->o->ipinfo > 0 ? "???" : "AS???");
		if (n > 0 && (size_t)n < sizeof(buf))
			off = (size_t)n;
	}
	if (name != NULL && u->show_ips)
		snprintf(buf + off, sizeof(buf) - off, "%s (%s)", name, addr);
	else
		snprintf(buf + off, sizeof(buf) - off, "%s",
		    name != NULL ? name : addr);
	if (rp->unreach_code >= 0)
		flag = pkt_unreach_flag(rp->addr.family, (uint8_t)rp->unreach_code);
	if (flag != NULL && flag[0] != '\0') {
		off = strlen(buf);
		snprintf(buf + off, sizeof(buf) - off, " %s", flag);
	}
	ui_draw_text(y, x, w, buf);
}

static const char *
ui_family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "IPv4";
	case AF_INET6:
		return "IPv6";
	default:
		return "IP";
	}
}

static void
ui_upper(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < len; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ?
		    (char)(src[i] - 'a' + 'A') : src[i];
	if (len > 0)
		dst[i] = '\0';
}

void
ui_draw_header(struct ui *u, int cols)
{
	const struct ui_snap *s = &u->s;
	char left[UI_TEXT_MAX], right[128], addr[ADDR_STRLEN], when[32];
	char dur[32], proto[16], tail[64];
	struct timespec now;
	struct tm tm;
	time_t t;
	size_t off = 0;
	int n, rlen, x;

	left[0] = '\0';
	if (s->ntraces > 1) {
		n = snprintf(left, sizeof(left), "[%zu/%zu] ", u->trace + 1,
		    s->ntraces);
		if (n > 0 && (size_t)n < sizeof(left))
			off = (size_t)n;
	}
	if (s->have_trace) {
		addr_ntop(&s->t.dst, addr, sizeof(addr));
		if (strcmp(addr, s->t.target) == 0 || !addr_is_set(&s->t.dst))
			snprintf(left + off, sizeof(left) - off, "ntrace to %s",
			    s->t.target);
		else
			snprintf(left + off, sizeof(left) - off,
			    "ntrace to %s (%s)", s->t.target, addr);
	} else {
		snprintf(left + off, sizeof(left) - off, "ntrace");
	}

	t = s->started.tv_sec;
	when[0] = '\0';
	if (t != 0 && localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	clock_gettime(CLOCK_REALTIME, &now);
	ui_layout_duration(t != 0 ? difftime(now.tv_sec, t) : 0, dur,
	    sizeof(dur));
	rlen = snprintf(right, sizeof(right), "%s  elapsed %s", when, dur);
	if (rlen < 0)
		rlen = 0;
	/* The clock gives way to the target on a narrow terminal. */
	if ((int)sanitize_width(left) + 2 + rlen > cols) {
		rlen = snprintf(right, sizeof(right), "%s", dur);
		if ((int)sanitize_width(left) + 2 + rlen > cols)
			rlen = 0;
	}
	ui_draw_attr_on(u, UI_PAIR_TITLE, A_BOLD);
	ui_draw_text(0, 0, cols - (rlen > 0 ? rlen + 2 : 0), left);
	ui_draw_attr_off(u, UI_PAIR_TITLE, A_BOLD);
	if (rlen > 0)
		mvaddnstr(0, cols - rlen, right, rlen);

	proto[0] = '\0';
	tail[0] = '\0';
	if (s->have_trace) {
		ui_upper(proto, sizeof(proto), pkt_proto_name(s->t.proto));
		if (s->t.port != 0)
			snprintf(tail, sizeof(tail), ":%u", s->t.port);
	}
	n = snprintf(left, sizeof(left), "%s%s %s  %s  interval %gs  ",
	    proto, tail, s->have_trace ? ui_family_name(s->t.family) : "",
	    s->backend, s->interval);
	if (n < 0)
		n = 0;
	ui_draw_text(1, 0, cols, left);
	x = (int)sanitize_width(left);
	if (x >= cols)
		return;
	if (s->paused) {
		ui_draw_attr_on(u, UI_PAIR_WARN, A_REVERSE | A_BOLD);
		mvaddnstr(1, x, "PAUSED", cols - x);
		ui_draw_attr_off(u, UI_PAIR_WARN, A_REVERSE | A_BOLD);
		x += 6;
	} else {
		mvaddnstr(1, x, "running", cols - x);
		x += 7;
	}
	if (s->status[0] != '\0' && x + 2 < cols) {
		ui_draw_attr_on(u, UI_PAIR_STATUS, A_BOLD);
		ui_draw_text(1, x + 2, cols - x - 2, s->status);
		ui_draw_attr_off(u, UI_PAIR_STATUS, A_BOLD);
	}
}

static const char *
ui_prompt_title(int key)
{
	switch (key) {
	case 'o':
		return "Fields (-o letters, e.g. LSNABWV):";
	case 'i':
		return "Interval in seconds:";
	case 'f':
		return "First TTL:";
	case 'm':
		return "Max TTL:";
	case 's':
		return "Packet size in bytes (0 = default):";
	case 'Q':
		return "Type of service (0-255):";
	default:
		return ">";
	}
}

void
ui_draw_footer(struct ui *u, int rows, int cols)
{
	static const char keys[] = "Keys: ?:help  d:view  p:pause  "
	    "space:resume  r:reset  n:dns  j:jitter  o:order  q:quit";
	char buf[UI_TEXT_MAX];
	int y = rows - 1;

	move(y, 0);
	clrtoeol();
	if (u->prompt != 0) {
		snprintf(buf, sizeof(buf), "%s %.*s_", ui_prompt_title(u->prompt),
		    (int)u->plen, u->pbuf);
		ui_draw_attr_on(u, 0, A_BOLD);
		ui_draw_text(y, 0, cols - 1, buf);
		ui_draw_attr_off(u, 0, A_BOLD);
	} else if (u->msg[0] != '\0') {
		ui_draw_attr_on(u, 0, A_BOLD);
		ui_draw_text(y, 0, cols - 1, u->msg);
		ui_draw_attr_off(u, 0, A_BOLD);
	} else {
		ui_draw_text(y, 0, cols - 1, keys);
	}
}

/* mtr's scale over every recent RTT of the hops on screen. */
void
ui_draw_scale(const struct ui *u, double scale[UI_LAYOUT_LEVELS])
{
	const struct hop *h;
	double lo = NAN, hi = NAN;
	unsigned i;
	float v;
	int ttl;

	for (ttl = u->s.t.first_ttl; u->s.have_trace && ttl <= u->s.shown_ttl;
	    ttl++) {
		h = ui_snap_hop(u, ttl);
		for (i = 0; h != NULL && i < h->hist_len; i++) {
			v = h->hist[i];
			if (v < 0)
				continue;
			if (isnan(lo) || v < lo)
				lo = v;
			if (isnan(hi) || v > hi)
				hi = v;
		}
	}
	ui_layout_scale(lo, hi, scale);
}

/* One history cell: a glyph by latency level, or a red '?' for a loss. */
void
ui_draw_sample(struct ui *u, const double *scale, float v)
{
	static const enum ui_pair pairs[] = {
		[UI_LAYOUT_GOOD] = UI_PAIR_GOOD,
		[UI_LAYOUT_WARN] = UI_PAIR_WARN,
		[UI_LAYOUT_BAD] = UI_PAIR_BAD,
	};
	enum ui_pair pair;
	int level;

	if (v < 0) {
		ui_draw_attr_on(u, UI_PAIR_BAD, A_BOLD);
		addstr("?");
		ui_draw_attr_off(u, UI_PAIR_BAD, A_BOLD);
		return;
	}
	level = ui_layout_level(scale, v);
	pair = pairs[ui_layout_colour(level)];
	ui_draw_attr_on(u, pair, 0);
	addstr(ui_layout_glyph(level, u->utf8));
	ui_draw_attr_off(u, pair, 0);
}
