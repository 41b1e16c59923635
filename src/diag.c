/*
 * Loss diagnosis from the whole path's statistics.
 *
 * The reasoning: a probe for TTL j > i crosses every link and router that a
 * probe for TTL i crosses (same flow, same path up to i). If hop i dropped
 * forwarded traffic with probability q, every later hop would lose at least
 * about q of its probes too. So when some later hop loses significantly
 * fewer probes than hop i, hop i's loss is in how it answers (ICMP rate
 * limiting, a busy control plane), not in what it forwards: "rate_limit".
 * Loss that no later hop undoes, and that the end of the path shows as
 * well, carries on: the first such hop is "forwarding", later ones whose
 * loss is not significantly above it are "inherited".
 *
 * Tests: each hop's loss against a 1% background floor with an exact
 * one-sided binomial test, and pairs of hops with a one-sided Fisher exact
 * test, all at DIAG_ALPHA = 1e-3. The rate-limit test compares hop i with
 * every later hop, so its level is split among them (Bonferroni: alpha/m)
 * to keep the chance of a false "rate_limit" at most 1e-3 per hop and
 * evaluation. Hops with fewer than DIAG_MIN_SAMPLES completed probes get
 * no verdict and are not used as evidence for others.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "diag.h"

/* Tail terms below this share of the sum no longer change a double. */
#define DIAG_TAIL_EPS 1e-17

static double
diag_lchoose(double n, double k)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double
diag_binom_sf(uint64_t k, uint64_t n, double p)
{
	double term, sum = 0, ratio, dn = (double)n, x;

	if (k == 0)
		return 1.0;
	if (k > n || !(p > 0))
		return 0.0;
	if (p >= 1)
		return 1.0;
	/* At or below the mean the tail is at least about 1/2: never significant. */
	if ((double)k <= dn * p)
		return 1.0;
	ratio = p / (1 - p);
	term = exp(diag_lchoose(dn, (double)k) + (double)k * log(p) +
	    (dn - (double)k) * log1p(-p));
	/* Above the mean the terms shrink, so summing outward converges. */
	for (x = (double)k; x <= dn; x++) {
		sum += term;
		term *= (dn - x) / (x + 1) * ratio;
		if (term == 0 || term < sum * DIAG_TAIL_EPS)
			break;
	}
	return sum > 1 ? 1.0 : sum;
}

double
diag_fisher_greater(uint64_t lost1, uint64_t n1, uint64_t lost2, uint64_t n2)
{
	double big_n, k, draws, term, sum = 0, x, top;

	if (lost1 > n1 || lost2 > n2 || n1 == 0 || n2 == 0)
		return 1.0;
	big_n = (double)n1 + (double)n2;
	k = (double)lost1 + (double)lost2;
	draws = (double)n1;
	/* Given the margins, row 1's losses are hypergeometric (N, K, n1). */
	if ((double)lost1 * big_n <= draws * k)
		return 1.0;
	top = k < draws ? k : draws;
	term = exp(diag_lchoose(k, (double)lost1) +
	    diag_lchoose(big_n - k, draws - (double)lost1) -
	    diag_lchoose(big_n, draws));
	for (x = (double)lost1; x <= top; x++) {
		sum += term;
		term *= (k - x) * (draws - x) / ((x + 1) * (big_n - k - draws + x + 1));
		if (term == 0 || term < sum * DIAG_TAIL_EPS)
			break;
	}
	return sum > 1 ? 1.0 : sum;
}

static uint64_t
diag_lost(const struct diag_hop *h)
{
	return h->received < h->sent ? h->sent - h->received : 0;
}

static bool
diag_enough(const struct diag_hop *h)
{
	return h->sent >= DIAG_MIN_SAMPLES && h->received <= h->sent;
}

/* Whether hop a loses significantly more than hop b at level alpha. */
static bool
diag_more(const struct diag_hop *a, const struct diag_hop *b, double alpha)
{
	return diag_fisher_greater(diag_lost(a), a->sent, diag_lost(b),
	    b->sent) < alpha;
}

/* The end of the path: the destination, else the last hop that answered. */
static int
diag_end(const struct diag_hop *in, size_t n, bool reached)
{
	size_t i;

	if (n == 0)
		return -1;
	if (reached)
		return (int)n - 1;
	for (i = n; i > 0; i--)
		if (in[i - 1].received > 0)
			return (int)i - 1;
	return -1;
}

void
diag_classify(const struct diag_hop *in, size_t n, bool reached,
    enum diag_kind *out, struct diag_summary *sum)
{
	bool sig_end;
	size_t i, j, m;
	int end, f = -1;

	memset(sum, 0, sizeof(*sum));
	sum->end = -1;
	sum->forwarding = -1;
	sum->rate_limit = -1;
	sum->end_loss = NAN;
	for (i = 0; i < n; i++)
		out[i] = DIAG_NONE;
	end = diag_end(in, n, reached);
	sum->end = end;
	sum->reached = reached && end >= 0;
	if (end < 0)
		return;
	if (in[end].sent > 0 && in[end].received <= in[end].sent) {
		double p = (double)diag_lost(&in[end]) / (double)in[end].sent;

		sum->end_loss = p;
		sum->end_margin = DIAG_Z95 * sqrt(p * (1 - p) /
		    (double)in[end].sent);
	}
	/* Nothing carries to an end that shows no significant loss itself. */
	sig_end = diag_enough(&in[end]) && diag_binom_sf(diag_lost(&in[end]),
	    in[end].sent, DIAG_LOSS_FLOOR) < DIAG_ALPHA;
	for (i = 0; i <= (size_t)end; i++) {
		bool lower = false;

		if (!diag_enough(&in[i]) || diag_binom_sf(diag_lost(&in[i]),
		    in[i].sent, DIAG_LOSS_FLOOR) >= DIAG_ALPHA)
			continue;
		for (m = 0, j = i + 1; j <= (size_t)end; j++)
			if (diag_enough(&in[j]))
				m++;
		for (j = i + 1; j <= (size_t)end && !lower; j++)
			lower = diag_enough(&in[j]) &&
			    diag_more(&in[i], &in[j], DIAG_ALPHA / (double)m);
		if (lower) {
			out[i] = DIAG_RATE_LIMIT;
			if (sum->rate_limit < 0)
				sum->rate_limit = (int)i;
			sum->n_rate_limit++;
			continue;
		}
		if (!sig_end)
			continue;
		/* A second forwarding hop must add loss beyond the first's. */
		if (f < 0 || diag_more(&in[i], &in[f], DIAG_ALPHA)) {
			out[i] = DIAG_FORWARDING;
			if (f < 0)
				sum->forwarding = (int)i;
			f = (int)i;
		} else {
			out[i] = DIAG_INHERITED;
		}
	}
}

size_t
diag_trace(const struct trace *t, enum diag_kind *out, size_t cap,
    struct diag_summary *sum)
{
	struct diag_hop in[256];
	const struct hop *h;
	int ttl, last = model_trace_last_ttl(t);
	size_t n = 0;

	for (ttl = t->first_ttl; ttl <= last && n < cap && n < 256; ttl++) {
		h = model_hop_const(t, ttl);
		if (h == NULL)
			break;
		in[n].received = h->st.received;
		in[n].sent = h->st.received + h->st.lost;
		n++;
	}
	diag_classify(in, n, t->reached && t->dest_ttl == last &&
	    n == (size_t)(last - t->first_ttl + 1), out, sum);
	return n;
}

const char *
diag_kind_name(enum diag_kind k)
{
	switch (k) {
	case DIAG_RATE_LIMIT:
		return "rate_limit";
	case DIAG_FORWARDING:
		return "forwarding";
	case DIAG_INHERITED:
		return "inherited";
	default:
		return NULL;
	}
}

const char *
diag_kind_explain(enum diag_kind k)
{
	switch (k) {
	case DIAG_RATE_LIMIT:
		return "ICMP rate limiting, not path loss: later hops lose "
		    "significantly less";
	case DIAG_FORWARDING:
		return "path loss starts here and carries on to the end";
	case DIAG_INHERITED:
		return "loss inherited from an earlier hop, none added here";
	default:
		return "no significant loss (or too few probes to say)";
	}
}

double
diag_reply_rate(const double *times, size_t n)
{
	double span;

	if (n < DIAG_RATE_MIN)
		return NAN;
	span = times[n - 1] - times[0];
	if (!(span > 0))
		return NAN;
	return (double)(n - 1) / span;
}

double
diag_hop_reply_rate(const struct hop *h)
{
	double t[MODEL_REPLY_TIMES];
	unsigned i, start;

	if (h->reply_len > MODEL_REPLY_TIMES)
		return NAN;
	/* The ring is oldest first from reply_pos once full. */
	start = (h->reply_pos + MODEL_REPLY_TIMES - h->reply_len) %
	    MODEL_REPLY_TIMES;
	for (i = 0; i < h->reply_len; i++)
		t[i] = h->reply_t[(start + i) % MODEL_REPLY_TIMES];
	return diag_reply_rate(t, h->reply_len);
}
