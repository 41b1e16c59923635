/*
 * The detail view: one hop's responders, MPLS, AS, codes, loss diagnosis
 * and histogram; and the event log view (l).
 */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "fields.h"
#include "ntime.h"
#include "packet.h"
#include "ui_int.h"

#define UI_HIST_BINS 10

/* Where the next detail line goes; lines past the footer are dropped. */
struct ui_cursor {
	int y;
	int last;	/* last usable row */
	int cols;
};

static void
ui_line(struct ui_cursor *c, int x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ui_line(struct ui_cursor *c, int x, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (c->y > c->last)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ui_draw_text(c->y, x, c->cols - x, buf);
	c->y++;
}

/* Two decimals keep loopback and LAN RTTs apart; "-" when there is none. */
static const char *
ui_ms(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", v);
	return buf;
}

static double
ui_val(char letter, const struct hop *h)
{
	return fields_value(fields_find(letter), &h->st, &h->win);
}

static void
ui_detail_stats(struct ui_cursor *c, const struct hop *h)
{
	char a[16], b[16], d[16], e[16], f[16], g[16];

	ui_line(c, 0, "Sent %llu  Received %llu  Lost %llu  Loss %.1f%%",
	    (unsigned long long)h->st.sent, (unsigned long long)h->st.received,
	    (unsigned long long)h->st.lost, isnan(ui_val('L', h)) ? 0.0 :
	    ui_val('L', h));
	ui_line(c, 0, "RTT ms:  last %s  best %s  avg %s  worst %s  "
	    "stdev %s  gmean %s", ui_ms(a, sizeof(a), ui_val('N', h)),
	    ui_ms(b, sizeof(b), ui_val('B', h)),
	    ui_ms(d, sizeof(d), ui_val('A', h)),
	    ui_ms(e, sizeof(e), ui_val('W', h)),
	    ui_ms(f, sizeof(f), ui_val('V', h)),
	    ui_ms(g, sizeof(g), ui_val('G', h)));
	ui_line(c, 0, "Jitter:  last %s  avg %s  max %s  RFC 3550 %s",
	    ui_ms(a, sizeof(a), ui_val('J', h)),
	    ui_ms(b, sizeof(b), ui_val('M', h)),
	    ui_ms(d, sizeof(d), ui_val('X', h)),
	    ui_ms(e, sizeof(e), ui_val('I', h)));
	ui_line(c, 0, "Percentiles of the last %u replies:  p50 %s  p90 %s  "
	    "p95 %s  p99 %s", h->win.len, ui_ms(a, sizeof(a), ui_val('5', h)),
	    ui_ms(b, sizeof(b), ui_val('9', h)),
	    ui_ms(d, sizeof(d), ui_val('P', h)),
	    ui_ms(e, sizeof(e), ui_val('Y', h)));
}

/* One line: what the loss diagnosis says of this hop, with its evidence. */
static void
ui_detail_diag(struct ui *u, struct ui_cursor *c, const struct hop *h)
{
	enum diag_kind kind[256];
	struct diag_summary sum;
	size_t n = diag_trace(&u->s.t, kind, 256, &sum);
	size_t i = (size_t)(h->ttl - u->s.t.first_ttl);
	enum diag_kind k = i < n ? kind[i] : DIAG_NONE;
	double rate = diag_hop_reply_rate(h);

	if (k == DIAG_RATE_LIMIT && isfinite(rate)) {
		/* Rounded up: the cap is at most what was seen. */
		/* The evidence first, so a narrow terminal still shows it. */
		ui_line(c, 0, "Loss: answers %s %.1f/s, probed at %.1f/s: %s",
		    u->utf8 ? "\u2264" : "<=", ceil(rate * 10) / 10,
		    u->s.interval > 0 ? 1 / u->s.interval : 0.0,
		    diag_kind_explain(k));
		return;
	}
	ui_line(c, 0, "Loss: %s", diag_kind_explain(k));
}

static void
ui_detail_responder(struct ui *u, struct ui_cursor *c, const struct hop *h,
    unsigned r)
{
	const struct responder *rp = &h->resp[r];
	const struct ui_text *tx = ui_snap_text(u, h->ttl, r);
	const struct pkt_mpls *p;
	char addr[ADDR_STRLEN], who[UI_NAME_MAX + ADDR_STRLEN + UI_ASN_MAX + 16];
	char a[16], b[16], d[16], e[16];
	double share;
	unsigned k;

	addr_ntop(&rp->addr, addr, sizeof(addr));
	if (tx != NULL && tx->name[0] != '\0')
		snprintf(who, sizeof(who), "%s (%s)", tx->name, addr);
	else
		snprintf(who, sizeof(who), "%s", addr);
	if (tx != NULL && tx->asn[0] != '\0') {
		k = (unsigned)strlen(who);
		snprintf(who + k, sizeof(who) - k, "  %s", tx->asn);
	}
	ui_line(c, 2, "%u. %s", r + 1, who);
	share = h->st.received > 0 ?
	    100.0 * (double)rp->st.received / (double)h->st.received : 0;
	ui_line(c, 6, "replies %llu (%.0f%% of the hop's)  last %s  best %s  "
	    "avg %s  worst %s ms", (unsigned long long)rp->st.received, share,
	    ui_ms(a, sizeof(a), rp->st.received > 0 ? rp->st.last : NAN),
	    ui_ms(b, sizeof(b), rp->st.received > 0 ? rp->st.best : NAN),
	    ui_ms(d, sizeof(d), stats_avg(&rp->st)),
	    ui_ms(e, sizeof(e), rp->st.received > 0 ? rp->st.worst : NAN));
	if (rp->unreach_code >= 0)
		ui_line(c, 6, "unreachable: %s (%s, code %d)",
		    pkt_unreach_name(rp->addr.family, (uint8_t)rp->unreach_code),
		    pkt_unreach_flag(rp->addr.family, (uint8_t)rp->unreach_code),
		    rp->unreach_code);
	for (k = 0; k < rp->n_mpls && k < PKT_MAX_MPLS; k++) {
		p = &rp->mpls[k];
		ui_line(c, 6, "MPLS: Lbl %u TC %u S %u TTL %u",
		    (unsigned)p->label, (unsigned)p->tc, (unsigned)p->s,
		    (unsigned)p->ttl);
	}
}

static void
ui_detail_histogram(struct ui *u, struct ui_cursor *c, const struct hop *h)
{
	unsigned counts[UI_HIST_BINS], n, nbins, i, max = 0, j, bar;
	double lo, hi, step;
	char label[64], edges[48];
	int bar_w, x, dec;

	nbins = (unsigned)(c->last - c->y);
	if (nbins > UI_HIST_BINS)
		nbins = UI_HIST_BINS;
	if (nbins < 1)
		return;
	n = ui_layout_histogram(&h->win, nbins, counts, &lo, &hi);
	if (n == 0) {
		ui_line(c, 0, "Latency histogram: no replies yet");
		return;
	}
	ui_draw_attr_on(u, 0, A_BOLD);
	ui_line(c, 0, "Latency histogram of the last %u replies:", n);
	ui_draw_attr_off(u, 0, A_BOLD);
	/* Equal samples all fall in one bin; show just that one. */
	if (hi <= lo)
		nbins = 1;
	step = (hi - lo) / nbins;
	/* Enough decimals that neighbouring bin edges differ. */
	dec = step >= 1 || step <= 0 ? 1 : step >= 0.1 ? 2 : step >= 0.01 ? 3 : 4;
	for (i = 0; i < nbins; i++)
		if (counts[i] > max)
			max = counts[i];
	for (i = 0; i < nbins && c->y <= c->last; i++) {
		snprintf(edges, sizeof(edges), "%.*f-%.*f ms", dec,
		    lo + step * i, dec, hi > lo ? lo + step * (i + 1) : hi);
		snprintf(label, sizeof(label), "%22s %5u ", edges, counts[i]);
		ui_draw_text(c->y, 2, c->cols - 2, label);
		x = 2 + (int)strlen(label);
		bar_w = c->cols - x - 1;
		bar = max > 0 && bar_w > 0 ?
		    (unsigned)((double)counts[i] / max * bar_w + 0.5) : 0;
		if (bar == 0 && counts[i] > 0 && bar_w > 0)
			bar = 1;
		move(c->y, x);
		ui_draw_attr_on(u, UI_PAIR_GOOD, 0);
		for (j = 0; j < bar; j++)
			addstr(u->utf8 ? "\u2588" : "#");
		ui_draw_attr_off(u, UI_PAIR_GOOD, 0);
		c->y++;
	}
}

void
ui_draw_detail(struct ui *u, int rows, int cols)
{
	struct ui_cursor c = { .y = ui_first_row() - 1, .last = rows - 2,
	    .cols = cols };
	const struct hop *h;
	unsigned r;

	if (!u->s.have_trace || u->s.shown_ttl < u->s.t.first_ttl) {
		ui_line(&c, 0, "Hop detail: waiting for the first replies...");
		return;
	}
	if (u->sel_ttl < u->s.t.first_ttl)
		u->sel_ttl = u->s.t.first_ttl;
	if (u->sel_ttl > u->s.shown_ttl)
		u->sel_ttl = u->s.shown_ttl;
	h = ui_snap_hop(u, u->sel_ttl);
	if (h == NULL)
		return;
	ui_draw_attr_on(u, UI_PAIR_TITLE, A_BOLD);
	ui_line(&c, 0, "Hop %d of %d..%d   (up/down or k/j: other hop, "
	    "Enter or Esc: back)", h->ttl, u->s.t.first_ttl, u->s.shown_ttl);
	ui_draw_attr_off(u, UI_PAIR_TITLE, A_BOLD);
	ui_detail_stats(&c, h);
	ui_detail_diag(u, &c, h);
	if (h->unreach_code >= 0)
		ui_line(&c, 0, "Unreachable at this TTL: %s",
		    pkt_unreach_name(u->s.t.family, (uint8_t)h->unreach_code));
	c.y++;
	ui_draw_attr_on(u, 0, A_BOLD);
	if (h->nresp == 0)
		ui_line(&c, 0, "Responders: none yet");
	else
		ui_line(&c, 0, "Responders (%u):", h->nresp);
	ui_draw_attr_off(u, 0, A_BOLD);
	for (r = 0; r < h->nresp; r++)
		ui_detail_responder(u, &c, h, r);
	c.y++;
	ui_detail_histogram(u, &c, h);
}

/* One event as a line of the log view. */
static void
ui_event_text(const struct ui *u, const struct model_event *e, char *buf,
    size_t len)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], t[40];
	struct tm tm;
	time_t sec = e->when.tv_sec;
	size_t n;
	int family;

	/* Local wall-clock time, as the header shows it. */
	if (localtime_r(&sec, &tm) == NULL ||
	    strftime(t, sizeof(t), "%H:%M:%S", &tm) == 0)
		snprintf(t, sizeof(t), "?");
	n = (size_t)snprintf(buf, len, "%s.%03ld  ", t,
	    (long)(e->when.tv_nsec / 1000000));
	if (n >= len)
		return;
	buf += n;
	len -= n;
	switch (e->kind) {
	case MODEL_EV_RESPONDER:
		snprintf(buf, len, "TTL %d: path change, %s -> %s", e->ttl,
		    addr_ntop(&e->old_addr, a, sizeof(a)),
		    addr_ntop(&e->new_addr, b, sizeof(b)));
		break;
	case MODEL_EV_DEST_TTL:
		snprintf(buf, len, "destination now at TTL %d (was %d)",
		    e->new_ttl, e->old_ttl);
		break;
	case MODEL_EV_BURST_START:
		snprintf(buf, len, "TTL %d: loss burst starts (%.0f%% lost)",
		    e->ttl, e->loss_pct);
		break;
	case MODEL_EV_BURST_END:
		snprintf(buf, len, "TTL %d: loss burst ends (%.0f%%)", e->ttl,
		    e->loss_pct);
		break;
	case MODEL_EV_UNREACH:
		family = e->new_addr.family != 0 ? e->new_addr.family :
		    u->s.t.family;
		snprintf(buf, len, "TTL %d: %s from %s", e->ttl,
		    e->code >= 0 && e->code <= 255 ?
		    pkt_unreach_name(family, (uint8_t)e->code) : "unreachable",
		    addr_ntop(&e->new_addr, a, sizeof(a)));
		break;
	case MODEL_EV_SEND_ERROR:
		snprintf(buf, len, "sending fails: %s", strerror(e->code));
		break;
	case MODEL_EV_SEND_OK:
		snprintf(buf, len, "sending works again");
		break;
	default:
		snprintf(buf, len, "?");
		break;
	}
}

void
ui_draw_events(struct ui *u, int rows, int cols)
{
	struct ui_cursor c = { .y = ui_first_row() - 1, .last = rows - 2,
	    .cols = cols };
	char buf[256];
	size_t i;

	ui_draw_attr_on(u, UI_PAIR_TITLE, A_BOLD);
	ui_line(&c, 0, "Event log, newest first: %zu kept   (l or Esc: back)",
	    u->s.nevents);
	ui_draw_attr_off(u, UI_PAIR_TITLE, A_BOLD);
	if (u->s.nevents == 0) {
		ui_line(&c, 0, "no events yet: path changes, loss bursts, "
		    "unreachables and send errors appear here");
		return;
	}
	for (i = u->s.nevents; i > 0 && c.y <= c.last; i--) {
		ui_event_text(u, &u->s.events[i - 1], buf, sizeof(buf));
		ui_line(&c, 0, "%s", buf);
	}
}
