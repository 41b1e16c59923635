/*
 * Loss diagnosis: tells loss that the path really suffers from replies a
 * router merely declines to send (ICMP rate limiting), from every hop's
 * counts at once. Pure code: no I/O, no globals.
 */
#ifndef NTRACE_DIAG_H
#define NTRACE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define DIAG_ALPHA 1e-3		/* one-sided significance of every verdict */
#define DIAG_MIN_SAMPLES 10	/* completed probes a hop needs for any verdict */
#define DIAG_LOSS_FLOOR 0.01	/* loss up to 1% is background, never a finding */
#define DIAG_Z95 1.959964	/* normal quantile of the reported +- interval */
#define DIAG_RATE_MIN 4		/* reply times needed to measure a reply rate */

enum diag_kind {
	DIAG_NONE = 0,		/* no significant loss, or too few samples */
	DIAG_RATE_LIMIT,	/* loses replies, a later hop significantly fewer */
	DIAG_FORWARDING,	/* loss from here carries on to the end of the path */
	DIAG_INHERITED,		/* loss an earlier forwarding hop explains */
};

/* One hop's completed probes: answered plus timed out, in flight excluded. */
struct diag_hop {
	uint64_t sent;
	uint64_t received;
};

struct diag_summary {
	int end;		/* index of the destination or last answering hop; -1 */
	int forwarding;		/* index of the first forwarding hop, or -1 */
	int rate_limit;		/* index of the first rate-limiting hop, or -1 */
	unsigned n_rate_limit;
	bool reached;		/* the end hop is the destination */
	double end_loss;	/* fraction lost at the end hop; NAN without samples */
	double end_margin;	/* 95% half-width of end_loss (normal approximation) */
};

/*
 * Classifies n hops given in TTL order (index 0 = first TTL); when reached,
 * the last one is the destination. Fills out[0..n-1] and *sum.
 */
void diag_classify(const struct diag_hop *in, size_t n, bool reached,
    enum diag_kind *out, struct diag_summary *sum);
/* The same from a trace: out[ttl - first_ttl] up to model_trace_last_ttl(). */
size_t diag_trace(const struct trace *t, enum diag_kind *out, size_t cap,
    struct diag_summary *sum);
/* The JSON value: "rate_limit", "forwarding", "inherited", or NULL. */
const char *diag_kind_name(enum diag_kind k);
/* One line a person reads in the hop's detail view. */
const char *diag_kind_explain(enum diag_kind k);

/* P(X >= k) for X ~ Binomial(n, p): exact where it can be small, else 1. */
double diag_binom_sf(uint64_t k, uint64_t n, double p);
/*
 * One-sided Fisher exact test: the p-value that row 1 (lost1 of n1) loses a
 * larger share than row 2 (lost2 of n2). 1 when row 1 is not above the mean.
 */
double diag_fisher_greater(uint64_t lost1, uint64_t n1, uint64_t lost2,
    uint64_t n2);
/*
 * Replies per second from ascending reply times in seconds: (n - 1) over
 * their span. NAN with fewer than DIAG_RATE_MIN times or no span.
 */
double diag_reply_rate(const double *times, size_t n);
/* A hop's reply rate from its recent reply times (model.h ring). */
double diag_hop_reply_rate(const struct hop *h);

#endif
