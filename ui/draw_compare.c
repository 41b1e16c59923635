/*
 * The compare view: every trace of the active target side by side, rows
 * aligned by TTL, each trace's responder, loss, average and last RTT, and
 * the TTLs where they differ marked and highlighted (src/compare.c says
 * what counts as a difference). Below the rows, what the report's
 * comparison summary says, in one line each.
 */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "packet.h"
#include "ui_int.h"

#define UI_CMP_TTLS 256		/* TTL 1..255 and a spare */
#define UI_CMP_NAME 64		/* name characters kept per responder */
#define UI_CMP_STAT 7		/* one right-aligned number and a space */
#define UI_CMP_TTL_W 6		/* "255.! " */
#define UI_CMP_HOST_MIN 10	/* host characters kept before dropping columns */
#define UI_CMP_SUMMARY 4	/* lines under the rows */

/* The traces of the active target, copied under the model lock. */
struct ui_cmp {
	struct trace t[COMPARE_MAX];
	size_t idx[COMPARE_MAX];	/* their indices in the model */
	size_t n;			/* copies held */
	char name[COMPARE_MAX][UI_CMP_TTLS][UI_CMP_NAME];
};

static void
ui_cmp_release(struct ui_cmp *c)
{
	size_t k;

	for (k = 0; k < c->n; k++)
		model_trace_copy_free(&c->t[k]);
	c->n = 0;
}

void
ui_compare_free(struct ui *u)
{
	if (u->s.cmp == NULL)
		return;
	ui_cmp_release(u->s.cmp);
	free(u->s.cmp);
	u->s.cmp = NULL;
}

/* Copies the main responder's name of every TTL trace k shows. */
static void
ui_cmp_names(struct ui *u, struct ui_cmp *c, size_t k)
{
	const struct trace *t = &c->t[k];
	const struct hop *h;
	const char *name;
	int ttl;

	for (ttl = 0; ttl < UI_CMP_TTLS; ttl++)
		c->name[k][ttl][0] = '\0';
	for (ttl = t->first_ttl; ttl < UI_CMP_TTLS; ttl++) {
		h = compare_hop(t, ttl);
		if (h == NULL)
			break;
		if (h->nresp == 0 || u->no_dns)
			continue;
		name = model_name(u->m, &h->resp[0].addr);
		if (name != NULL)
			snprintf(c->name[k][ttl], UI_CMP_NAME, "%s", name);
	}
}

int
ui_compare_snap(struct ui *u)
{
	struct model *m = u->m;
	struct ui_cmp *c;
	size_t idx[COMPARE_MAX], n, k;

	u->s.ngroup = 0;
	if (u->s.cmp != NULL)
		ui_cmp_release(u->s.cmp);
	if (m->ntraces == 0 || u->trace >= m->ntraces)
		return 0;
	n = compare_group(m->traces, m->ntraces, u->trace, idx, COMPARE_MAX);
	u->s.ngroup = n;
	/* Only the compare view pays for the copies. */
	if (u->view != UI_VIEW_COMPARE || n < 2)
		return 0;
	if (u->s.cmp == NULL) {
		u->s.cmp = calloc(1, sizeof(*u->s.cmp));
		if (u->s.cmp == NULL)
			return -1;
	}
	c = u->s.cmp;
	for (k = 0; k < n; k++) {
		if (model_trace_copy(&m->traces[idx[k]], &c->t[k]) == -1) {
			ui_cmp_release(c);
			return -1;
		}
		c->idx[k] = idx[k];
		c->n = k + 1;
		ui_cmp_names(u, c, k);
	}
	return 0;
}

/* Where one trace's cells start, and which numbers fit. */
struct ui_cmp_cols {
	int w;			/* columns per trace, separator included */
	int host_w;
	int nstats;		/* 3: loss, avg, last; 2: no last; 1: loss only */
};

static void
ui_cmp_layout(int cols, size_t n, struct ui_cmp_cols *l)
{
	l->w = (cols - UI_CMP_TTL_W) / (int)n;
	for (l->nstats = 3; l->nstats > 1; l->nstats--) {
		if (l->w - 1 - l->nstats * UI_CMP_STAT >= UI_CMP_HOST_MIN)
			break;
	}
	l->host_w = l->w - 1 - l->nstats * UI_CMP_STAT;
	if (l->host_w < 3)
		l->host_w = 3;
}

static void
ui_cmp_upper(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static void
ui_cmp_titles(struct ui *u, const struct compare *cmp,
    const struct ui_cmp_cols *l, int y)
{
	static const char *const heads[] = { "Loss%", "Avg", "Last" };
	char label[COMPARE_LABEL_MAX], buf[32];
	size_t k;
	int x, i;

	ui_draw_attr_on(u, 0, A_BOLD);
	mvaddstr(y, 0, "TTL");
	for (k = 0; k < cmp->n; k++) {
		x = UI_CMP_TTL_W + (int)k * l->w;
		compare_label(cmp->t[k], label, sizeof(label));
		ui_cmp_upper(label);
		ui_draw_text(y, x, l->host_w, label);
		for (i = 0; i < l->nstats; i++) {
			snprintf(buf, sizeof(buf), "%*s", UI_CMP_STAT - 1,
			    heads[i]);
			mvaddstr(y, x + l->host_w + 1 + i * UI_CMP_STAT, buf);
		}
	}
	ui_draw_attr_off(u, 0, A_BOLD);
}

/* A number right-aligned in a stat cell, or blank when there is none. */
static void
ui_cmp_num(int y, int x, double v, bool pct)
{
	char buf[32];

	if (isnan(v))
		return;
	/* Two decimals keep loopback and LAN RTTs apart while they fit. */
	if (pct)
		snprintf(buf, sizeof(buf), "%*.1f%%", UI_CMP_STAT - 2, v);
	else
		snprintf(buf, sizeof(buf), "%*.*f", UI_CMP_STAT - 1,
		    v < 100 ? 2 : v < 1000 ? 1 : 0, v);
	mvaddnstr(y, x, buf, UI_CMP_STAT - 1);
}

static void
ui_cmp_cell(struct ui *u, const struct ui_cmp *c, const struct compare *cmp,
    const struct ui_cmp_cols *l, size_t k, int ttl, unsigned flags,
    unsigned mask, int y)
{
	const struct trace *t = cmp->t[k];
	const struct hop *h = compare_hop(t, ttl);
	char addr[ADDR_STRLEN], text[UI_CMP_NAME + ADDR_STRLEN + 4];
	const char *name;
	enum ui_pair pair = 0;
	int x = UI_CMP_TTL_W + (int)k * l->w, attr = 0;
	bool dest;

	if (h == NULL)
		return;
	dest = t->reached && ttl == t->dest_ttl;
	if (h->nresp == 0) {
		snprintf(text, sizeof(text), "???");
		if (flags & COMPARE_REPLY) {
			pair = UI_PAIR_BAD;
			attr = A_BOLD;
		}
	} else {
		addr_ntop(&h->resp[0].addr, addr, sizeof(addr));
		name = ttl < UI_CMP_TTLS && c->name[k][ttl][0] != '\0' ?
		    c->name[k][ttl] : NULL;
		if (name != NULL && u->show_ips)
			snprintf(text, sizeof(text), "%s (%s)", name, addr);
		else
			snprintf(text, sizeof(text), "%s",
			    name != NULL ? name : addr);
		if (flags & COMPARE_PATH) {
			pair = UI_PAIR_WARN;
			attr = A_BOLD;
		} else if (dest) {
			pair = UI_PAIR_GOOD;
		}
	}
	ui_draw_attr_on(u, pair, attr);
	ui_draw_text(y, x, l->host_w, text);
	ui_draw_attr_off(u, pair, attr);
	x += l->host_w + 1;
	if (mask & (1u << k))
		ui_draw_attr_on(u, UI_PAIR_BAD, A_BOLD | A_REVERSE);
	ui_cmp_num(y, x, h->st.received + h->st.lost > 0 ?
	    stats_loss_pct(&h->st) : NAN, true);
	if (mask & (1u << k))
		ui_draw_attr_off(u, UI_PAIR_BAD, A_BOLD | A_REVERSE);
	if (l->nstats > 1)
		ui_cmp_num(y, x + UI_CMP_STAT, stats_avg(&h->st), false);
	if (l->nstats > 2)
		ui_cmp_num(y, x + 2 * UI_CMP_STAT,
		    h->st.received > 0 ? h->st.last : NAN, false);
}

static void
ui_cmp_row(struct ui *u, const struct ui_cmp *c, const struct compare *cmp,
    const struct ui_cmp_cols *l, int ttl, int y)
{
	char buf[16];
	unsigned flags, mask = 0;
	size_t k;

	flags = compare_ttl(cmp, ttl, &mask);
	snprintf(buf, sizeof(buf), "%3d.%c", ttl, flags != 0 ? '!' : ' ');
	if (flags != 0)
		ui_draw_attr_on(u, UI_PAIR_BAD, A_BOLD);
	mvaddstr(y, 0, buf);
	if (flags != 0)
		ui_draw_attr_off(u, UI_PAIR_BAD, A_BOLD);
	for (k = 0; k < cmp->n; k++)
		ui_cmp_cell(u, c, cmp, l, k, ttl, flags, mask, y);
}

/* "Reached: TCP:80 at TTL 3   Not reached: ICMP" */
static void
ui_cmp_reach(const struct compare *cmp, char *buf, size_t len)
{
	char label[COMPARE_LABEL_MAX];
	size_t k, off, got = 0, missed = 0;
	int n;

	off = (size_t)snprintf(buf, len, "Reached:");
	for (k = 0; k < cmp->n && off < len; k++) {
		if (!cmp->t[k]->reached)
			continue;
		compare_label(cmp->t[k], label, sizeof(label));
		ui_cmp_upper(label);
		n = snprintf(buf + off, len - off, "%s %s at TTL %d",
		    got++ > 0 ? "," : "", label, cmp->t[k]->dest_ttl);
		off += n > 0 ? (size_t)n : 0;
	}
	if (got == 0 && off < len) {
		n = snprintf(buf + off, len - off, " none");
		off += n > 0 ? (size_t)n : 0;
	}
	for (k = 0; k < cmp->n && off < len; k++) {
		if (cmp->t[k]->reached)
			continue;
		compare_label(cmp->t[k], label, sizeof(label));
		ui_cmp_upper(label);
		n = snprintf(buf + off, len - off, "%s %s",
		    missed++ > 0 ? "," : "   Not reached:", label);
		off += n > 0 ? (size_t)n : 0;
	}
}

/* The first TTL and pair whose loss differs, as one line. */
static void
ui_cmp_loss(const struct compare *cmp, char *buf, size_t len)
{
	char la[COMPARE_LABEL_MAX], lb[COMPARE_LABEL_MAX];
	const struct hop *ha, *hb;
	unsigned count = 0;
	size_t a, b, fa = 0, fb = 0;
	int ttl, first = 0, n;

	for (ttl = cmp->first_ttl; ttl <= cmp->last_ttl; ttl++) {
		for (a = 0; a < cmp->n; a++) {
			for (b = a + 1; b < cmp->n; b++) {
				if (!compare_loss_differs(cmp, a, b, ttl))
					continue;
				if (count++ == 0) {
					first = ttl;
					fa = a;
					fb = b;
				}
			}
		}
	}
	if (count == 0) {
		snprintf(buf, len, "Loss: no significant difference (%u tests)",
		    cmp->ntests);
		return;
	}
	ha = compare_hop(cmp->t[fa], first);
	hb = compare_hop(cmp->t[fb], first);
	compare_label(cmp->t[fa], la, sizeof(la));
	compare_label(cmp->t[fb], lb, sizeof(lb));
	ui_cmp_upper(la);
	ui_cmp_upper(lb);
	n = snprintf(buf, len, "Loss differs at TTL %d: %s %.1f%%, %s %.1f%% "
	    "(p=%.2g)", first, la, stats_loss_pct(&ha->st), lb,
	    stats_loss_pct(&hb->st), compare_loss_p(cmp, fa, fb, first));
	if (count > 1 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", %u more", count - 1);
}

static void
ui_cmp_summary(struct ui *u, const struct compare *cmp, int y, int cols)
{
	char buf[256];

	ui_cmp_reach(cmp, buf, sizeof(buf));
	ui_draw_attr_on(u, 0, A_BOLD);
	ui_draw_text(y, 0, cols, buf);
	ui_draw_attr_off(u, 0, A_BOLD);
	if (cmp->diverge_ttl != 0)
		snprintf(buf, sizeof(buf), "Paths diverge at TTL %d",
		    cmp->diverge_ttl);
	else
		snprintf(buf, sizeof(buf), "Paths: the same where they answer");
	ui_draw_text(y + 1, 0, cols, buf);
	ui_cmp_loss(cmp, buf, sizeof(buf));
	ui_draw_text(y + 2, 0, cols, buf);
	ui_draw_text(y + 3, 0, cols, "! marks a TTL where they differ "
	    "(responder, reply, or loss by Fisher's exact test)");
}

void
ui_draw_compare(struct ui *u, int rows, int cols)
{
	const struct trace *t[COMPARE_MAX];
	struct ui_cmp *c = u->s.cmp;
	struct compare cmp;
	struct ui_cmp_cols l;
	size_t k;
	int ttl, y, vis, nrows;

	if (c == NULL || c->n < 2) {
		/* A lone trace has nothing to compare: show its table. */
		ui_draw_table(u, rows, cols);
		return;
	}
	for (k = 0; k < c->n; k++)
		t[k] = &c->t[k];
	compare_init(&cmp, t, c->n);
	ui_cmp_layout(cols, cmp.n, &l);
	ui_cmp_titles(u, &cmp, &l, ui_first_row() - 1);
	vis = ui_visible_rows(rows) - UI_CMP_SUMMARY - 1;
	nrows = cmp.last_ttl - cmp.first_ttl + 1;
	if (u->scroll > nrows - vis)
		u->scroll = nrows - vis;
	if (u->scroll < 0)
		u->scroll = 0;
	y = ui_first_row();
	for (ttl = cmp.first_ttl + u->scroll; ttl <= cmp.last_ttl &&
	    y < ui_first_row() + vis; ttl++, y++)
		ui_cmp_row(u, c, &cmp, &l, ttl, y);
	if (vis > 0)
		ui_cmp_summary(u, &cmp, rows - 1 - UI_CMP_SUMMARY, cols);
}
