/*
 * Comparison of the traces of one target: rows aligned by TTL, paths that
 * part, destinations reached or not, and loss differences tested with
 * Fisher's exact test under a Bonferroni correction, so chance alone
 * rarely shows up as a difference.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "packet.h"
#include "sanitize.h"

#define COMPARE_NAME_MAX 1024	/* a sanitized target as typed */

bool
compare_same_target(const struct trace *a, const struct trace *b)
{
	if (strncmp(a->target, b->target, sizeof(a->target)) != 0)
		return false;
	/* A name that resolved differently is not the same target. */
	if (addr_is_set(&a->dst) && addr_is_set(&b->dst))
		return addr_equal(&a->dst, &b->dst);
	return true;
}

size_t
compare_group(const struct trace *traces, size_t n, size_t i, size_t *idx,
    size_t max)
{
	size_t j, k = 0;

	if (i >= n)
		return 0;
	for (j = 0; j < n && k < max; j++) {
		if (j == i || compare_same_target(&traces[i], &traces[j]))
			idx[k++] = j;
	}
	return k;
}

bool
compare_group_first(const struct trace *traces, size_t n, size_t i)
{
	size_t j;

	if (i >= n)
		return false;
	for (j = 0; j < i; j++)
		if (compare_same_target(&traces[i], &traces[j]))
			return false;
	return true;
}

static double
compare_lchoose(double n, double k)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/* The hypergeometric table of a test: x of k losses among a's na probes. */
struct compare_hg {
	double na, nb, k, total, lnorm;
	double lo, hi;			/* the support of x */
};

static double
compare_hg_lp(const struct compare_hg *g, double x)
{
	return compare_lchoose(g->k, x) + compare_lchoose(g->total - g->k,
	    g->na - x) - g->lnorm;
}

/* ln P(x + step) - ln P(x), step +1 or -1: a ratio, not three lgammas. */
static double
compare_hg_step(const struct compare_hg *g, double x, int step)
{
	if (step > 0)
		return log((g->k - x) * (g->na - x)) -
		    log((x + 1) * (g->nb - g->k + x + 1));
	return log(x * (g->nb - g->k + x)) -
	    log((g->k - x + 1) * (g->na - x + 1));
}

/*
 * Sums P(x) from x outwards (step +1 or -1) while the terms matter; they
 * only shrink away from the mode, so what is left after a term below
 * e^-50 of the observed one adds less than N * 2e-22 of it.
 */
static double
compare_hg_tail(const struct compare_hg *g, double x, double lp, int step,
    double lobs)
{
	double p = 0;

	for (;;) {
		p += exp(lp);
		if (lp < lobs - 50)
			break;
		if ((step > 0 && x >= g->hi) || (step < 0 && x <= g->lo))
			break;
		lp += compare_hg_step(g, x, step);
		x += step;
	}
	return p;
}

/*
 * The first x from start outwards (step +1 or -1, start on the far side
 * of the mode from the observed table) whose probability is no greater
 * than the observed one, by bisection, as P falls monotonically away from
 * the mode; false when there is none on that side.
 */
static bool
compare_hg_cross(const struct compare_hg *g, double start, int step,
    double lobs, double *out)
{
	double near = start, far = step > 0 ? g->hi : g->lo, mid;

	if (compare_hg_lp(g, far) > lobs + 1e-7)
		return false;
	/* Invariant: P(near) above the observed, P(far) not. */
	if (compare_hg_lp(g, near) <= lobs + 1e-7) {
		*out = near;
		return true;
	}
	while (fabs(far - near) > 1) {
		mid = floor((near + far) / 2);
		if (compare_hg_lp(g, mid) <= lobs + 1e-7)
			far = mid;
		else
			near = mid;
	}
	*out = far;
	return true;
}

double
compare_fisher(uint64_t lost_a, uint64_t done_a, uint64_t lost_b,
    uint64_t done_b)
{
	struct compare_hg g;
	double x = (double)lost_a, mode, lobs, y, p;
	int out;

	if (done_a == 0 || done_b == 0 || lost_a > done_a || lost_b > done_b)
		return 1;
	g.na = (double)done_a;
	g.nb = (double)done_b;
	g.k = (double)(lost_a + lost_b);
	g.total = g.na + g.nb;
	if (g.k == 0 || g.k == g.total)
		return 1;
	g.lnorm = compare_lchoose(g.total, g.na);
	g.lo = g.k - g.nb > 0 ? g.k - g.nb : 0;
	g.hi = g.k < g.na ? g.k : g.na;
	mode = floor((g.k + 1) * (g.na + 1) / (g.total + 2));
	mode = fmin(fmax(mode, g.lo), g.hi);
	lobs = compare_hg_lp(&g, x);
	/* Two-sided: every table no likelier than the observed one. */
	out = x >= mode ? 1 : -1;
	p = compare_hg_tail(&g, x, lobs, out, lobs);
	/* The other side of the mode, from where it falls to the observed. */
	if ((out < 0 || mode > g.lo) && compare_hg_cross(&g, out > 0 ?
	    mode - 1 : mode, -out, lobs, &y))
		p += compare_hg_tail(&g, y, compare_hg_lp(&g, y), -out, lobs);
	return p > 1 ? 1 : p;
}

bool
compare_shows(const struct trace *t, int ttl)
{
	return t->hops != NULL && ttl >= t->first_ttl &&
	    ttl <= model_trace_last_ttl(t);
}

const struct hop *
compare_hop(const struct trace *t, int ttl)
{
	if (!compare_shows(t, ttl))
		return NULL;
	return model_hop_const(t, ttl);
}

/* Whether responder a was ever seen at hop h. */
static bool
compare_seen(const struct hop *h, const struct addr *a)
{
	unsigned i;

	for (i = 0; i < h->nresp && i < MODEL_MAX_RESP; i++)
		if (addr_equal(&h->resp[i].addr, a))
			return true;
	return false;
}

/*
 * Two hops took different paths when their main responders differ and
 * neither was ever seen by the other: ECMP answers in another order are
 * not a divergence.
 */
static bool
compare_path_differs(const struct hop *a, const struct hop *b)
{
	if (a == NULL || b == NULL || a->nresp == 0 || b->nresp == 0)
		return false;
	if (addr_equal(&a->resp[0].addr, &b->resp[0].addr))
		return false;
	return !compare_seen(a, &b->resp[0].addr) &&
	    !compare_seen(b, &a->resp[0].addr);
}

static bool
compare_testable(const struct hop *a, const struct hop *b)
{
	return a != NULL && b != NULL && a->st.received + a->st.lost > 0 &&
	    b->st.received + b->st.lost > 0;
}

void
compare_init(struct compare *c, const struct trace *const *t, size_t n)
{
	const struct hop *ha, *hb;
	size_t a, b;
	int ttl, last;

	memset(c, 0, sizeof(*c));
	if (n > COMPARE_MAX)
		n = COMPARE_MAX;
	c->n = n;
	for (a = 0; a < n; a++) {
		c->t[a] = t[a];
		last = model_trace_last_ttl(t[a]);
		if (a == 0 || t[a]->first_ttl < c->first_ttl)
			c->first_ttl = t[a]->first_ttl;
		if (a == 0 || last > c->last_ttl)
			c->last_ttl = last;
	}
	for (ttl = c->first_ttl; n > 0 && ttl <= c->last_ttl; ttl++) {
		for (a = 0; a < n; a++) {
			for (b = a + 1; b < n; b++) {
				ha = compare_hop(t[a], ttl);
				hb = compare_hop(t[b], ttl);
				if (compare_testable(ha, hb))
					c->ntests++;
				if (c->diverge_ttl == 0 &&
				    compare_path_differs(ha, hb))
					c->diverge_ttl = ttl;
			}
		}
	}
}

double
compare_loss_p(const struct compare *c, size_t a, size_t b, int ttl)
{
	const struct hop *ha, *hb;

	if (a >= c->n || b >= c->n)
		return NAN;
	ha = compare_hop(c->t[a], ttl);
	hb = compare_hop(c->t[b], ttl);
	if (!compare_testable(ha, hb))
		return NAN;
	return compare_fisher(ha->st.lost, ha->st.received + ha->st.lost,
	    hb->st.lost, hb->st.received + hb->st.lost);
}

bool
compare_loss_differs(const struct compare *c, size_t a, size_t b, int ttl)
{
	double p = compare_loss_p(c, a, b, ttl);

	if (isnan(p) || c->ntests == 0)
		return false;
	return p * (double)c->ntests < COMPARE_ALPHA;
}

unsigned
compare_ttl(const struct compare *c, int ttl, unsigned *loss_mask)
{
	const struct hop *ha, *hb;
	unsigned flags = 0, mask = 0;
	size_t a, b;
	bool answered = false, silent = false;

	for (a = 0; a < c->n; a++) {
		ha = compare_hop(c->t[a], ttl);
		/* A trace whose path already ended says nothing here. */
		if (ha == NULL)
			continue;
		if (ha->nresp > 0)
			answered = true;
		else if (ha->st.received + ha->st.lost > 0)
			silent = true;
		for (b = a + 1; b < c->n; b++) {
			hb = compare_hop(c->t[b], ttl);
			if (compare_path_differs(ha, hb))
				flags |= COMPARE_PATH;
			if (compare_loss_differs(c, a, b, ttl)) {
				flags |= COMPARE_LOSS;
				mask |= 1u << a | 1u << b;
			}
		}
	}
	if (answered && silent)
		flags |= COMPARE_REPLY;
	if (loss_mask != NULL)
		*loss_mask = mask;
	return flags;
}

const char *
compare_label(const struct trace *t, char *buf, size_t len)
{
	const char *name = pkt_proto_name(t->proto);

	if (name == NULL)
		name = "?";
	if (t->proto == PROTO_ICMP)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s:%u", name, (unsigned)t->port);
	return buf;
}

/* Fills cmp for the group led by traces[i]; false when it has one trace. */
static bool
compare_load(const struct model *m, size_t i, struct compare *c,
    size_t *idx)
{
	const struct trace *t[COMPARE_MAX];
	size_t k, n;

	if (!compare_group_first(m->traces, m->ntraces, i))
		return false;
	n = compare_group(m->traces, m->ntraces, i, idx, COMPARE_MAX);
	if (n < 2)
		return false;
	for (k = 0; k < n; k++)
		t[k] = &m->traces[idx[k]];
	compare_init(c, t, n);
	return true;
}

static const char *
compare_resp_text(const struct trace *t, int ttl, char *buf, size_t len)
{
	const struct hop *h = compare_hop(t, ttl);

	if (h == NULL)
		snprintf(buf, len, "-");
	else if (h->nresp == 0)
		snprintf(buf, len, "???");
	else
		addr_ntop(&h->resp[0].addr, buf, len);
	return buf;
}

static void
compare_text_paths(FILE *out, const struct compare *c)
{
	char label[COMPARE_LABEL_MAX], ip[ADDR_STRLEN];
	size_t k;

	if (c->diverge_ttl == 0) {
		fputs("  paths:       the same at every TTL where they answer\n",
		    out);
		return;
	}
	fprintf(out, "  paths:       diverge at TTL %d:", c->diverge_ttl);
	for (k = 0; k < c->n; k++)
		fprintf(out, "%s %s %s", k > 0 ? "," : "",
		    compare_label(c->t[k], label, sizeof(label)),
		    compare_resp_text(c->t[k], c->diverge_ttl, ip, sizeof(ip)));
	fputc('\n', out);
}

static void
compare_text_reach(FILE *out, const struct compare *c)
{
	char label[COMPARE_LABEL_MAX];
	size_t k, missed = 0, got = 0;

	fputs("  reached:    ", out);
	for (k = 0; k < c->n; k++) {
		if (!c->t[k]->reached) {
			missed++;
			continue;
		}
		fprintf(out, "%s %s at TTL %d", got > 0 ? "," : "",
		    compare_label(c->t[k], label, sizeof(label)),
		    c->t[k]->dest_ttl);
		got++;
	}
	fputs(got == 0 ? " none\n" : "\n", out);
	if (missed == 0)
		return;
	fputs("  not reached:", out);
	for (k = 0, got = 0; k < c->n; k++) {
		if (c->t[k]->reached)
			continue;
		fprintf(out, "%s %s", got++ > 0 ? "," : "",
		    compare_label(c->t[k], label, sizeof(label)));
	}
	fputc('\n', out);
}

static void
compare_text_loss(FILE *out, const struct compare *c)
{
	char la[COMPARE_LABEL_MAX], lb[COMPARE_LABEL_MAX];
	const struct hop *ha, *hb;
	size_t a, b;
	int ttl;
	bool any = false;

	for (ttl = c->first_ttl; ttl <= c->last_ttl; ttl++) {
		for (a = 0; a < c->n; a++) {
			for (b = a + 1; b < c->n; b++) {
				if (!compare_loss_differs(c, a, b, ttl))
					continue;
				ha = compare_hop(c->t[a], ttl);
				hb = compare_hop(c->t[b], ttl);
				fprintf(out, "  loss:        differs at TTL %d: "
				    "%s %.1f%% (%" PRIu64 " of %" PRIu64 "), "
				    "%s %.1f%% (%" PRIu64 " of %" PRIu64 "), "
				    "p=%.2g\n", ttl,
				    compare_label(c->t[a], la, sizeof(la)),
				    stats_loss_pct(&ha->st), ha->st.lost,
				    ha->st.lost + ha->st.received,
				    compare_label(c->t[b], lb, sizeof(lb)),
				    stats_loss_pct(&hb->st), hb->st.lost,
				    hb->st.lost + hb->st.received,
				    compare_loss_p(c, a, b, ttl));
				any = true;
			}
		}
	}
	if (!any)
		fprintf(out, "  loss:        no significant difference "
		    "(Fisher's exact test, %u tests, %g%% overall)\n",
		    c->ntests, 100 * COMPARE_ALPHA);
}

void
compare_write_text(FILE *out, const struct model *m)
{
	char target[COMPARE_NAME_MAX], ip[ADDR_STRLEN];
	char label[COMPARE_LABEL_MAX];
	size_t idx[COMPARE_MAX], i, k;
	struct compare c;

	for (i = 0; i < m->ntraces; i++) {
		if (!compare_load(m, i, &c, idx))
			continue;
		sanitize_text(target, sizeof(target), c.t[0]->target,
		    strnlen(c.t[0]->target, sizeof(c.t[0]->target)));
		if (addr_is_set(&c.t[0]->dst))
			addr_ntop(&c.t[0]->dst, ip, sizeof(ip));
		else
			snprintf(ip, sizeof(ip), "???");
		fprintf(out, "\nCOMPARE %s (%s):", target, ip);
		for (k = 0; k < c.n; k++)
			fprintf(out, "%s TRACE %zu %s", k > 0 ? "," : "",
			    idx[k] + 1, compare_label(c.t[k], label,
			    sizeof(label)));
		fputc('\n', out);
		compare_text_paths(out, &c);
		compare_text_reach(out, &c);
		compare_text_loss(out, &c);
	}
}

static void
compare_json_addr(FILE *out, const struct trace *t, int ttl)
{
	const struct hop *h = compare_hop(t, ttl);
	char ip[ADDR_STRLEN];

	if (h == NULL || h->nresp == 0)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", addr_ntop(&h->resp[0].addr, ip,
		    sizeof(ip)));
}

/* Writes the indices of the group's traces that did (or did not) arrive. */
static void
compare_json_reach(FILE *out, const struct compare *c, const size_t *idx,
    bool reached)
{
	size_t k, n = 0;

	fputc('[', out);
	for (k = 0; k < c->n; k++)
		if (c->t[k]->reached == reached)
			fprintf(out, "%s%zu", n++ > 0 ? ", " : "", idx[k]);
	fputc(']', out);
}

static void
compare_json_loss(FILE *out, const struct compare *c, const size_t *idx)
{
	const struct hop *ha, *hb;
	size_t a, b, n = 0;
	int ttl;

	fputs("\"loss_differs\": [", out);
	for (ttl = c->first_ttl; ttl <= c->last_ttl; ttl++) {
		for (a = 0; a < c->n; a++) {
			for (b = a + 1; b < c->n; b++) {
				if (!compare_loss_differs(c, a, b, ttl))
					continue;
				ha = compare_hop(c->t[a], ttl);
				hb = compare_hop(c->t[b], ttl);
				fprintf(out, "%s{\"ttl\": %d, \"traces\": [%zu, "
				    "%zu], \"loss_pct\": [%.3f, %.3f], "
				    "\"p\": %.3g}", n++ > 0 ? ", " : "", ttl,
				    idx[a], idx[b], stats_loss_pct(&ha->st),
				    stats_loss_pct(&hb->st),
				    compare_loss_p(c, a, b, ttl));
			}
		}
	}
	fputc(']', out);
}

void
compare_write_json(FILE *out, const struct model *m)
{
	size_t idx[COMPARE_MAX], i, k, n = 0;
	struct compare c;

	for (i = 0; i < m->ntraces; i++) {
		if (!compare_load(m, i, &c, idx))
			continue;
		fputs(n++ > 0 ? ",\n    {\"traces\": [" :
		    ",\n  \"comparisons\": [\n    {\"traces\": [", out);
		for (k = 0; k < c.n; k++)
			fprintf(out, "%s%zu", k > 0 ? ", " : "", idx[k]);
		fputs("], \"diverge\": ", out);
		if (c.diverge_ttl == 0) {
			fputs("null", out);
		} else {
			fprintf(out, "{\"ttl\": %d, \"addresses\": [",
			    c.diverge_ttl);
			for (k = 0; k < c.n; k++) {
				if (k > 0)
					fputs(", ", out);
				compare_json_addr(out, c.t[k], c.diverge_ttl);
			}
			fputs("]}", out);
		}
		fputs(", \"reached\": ", out);
		compare_json_reach(out, &c, idx, true);
		fputs(", \"not_reached\": ", out);
		compare_json_reach(out, &c, idx, false);
		fprintf(out, ",\n     \"loss_tests\": %u, ", c.ntests);
		compare_json_loss(out, &c, idx);
		fputc('}', out);
	}
	if (n > 0)
		fputs("\n  ]", out);
}
