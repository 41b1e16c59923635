/*
 * Traces of one target side by side (ICMP against TCP, say): where their
 * paths part, which of them reach the destination, and at which TTLs their
 * loss differs by more than chance. Pure code over the model's traces.
 */
#ifndef NTRACE_COMPARE_H
#define NTRACE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define COMPARE_MAX 8		/* traces compared at once */
#define COMPARE_ALPHA 0.05	/* family-wise error rate of the loss tests */
#define COMPARE_LABEL_MAX 24	/* "udp:65535" and room to spare */

enum compare_flag {
	COMPARE_PATH = 1u << 0,		/* the traces' responders differ */
	COMPARE_REPLY = 1u << 1,	/* answered in one trace, silent in another */
	COMPARE_LOSS = 1u << 2,		/* loss differs significantly */
};

struct compare {
	const struct trace *t[COMPARE_MAX];
	size_t n;
	int first_ttl;			/* rows: every TTL any of them shows */
	int last_ttl;
	int diverge_ttl;		/* first TTL with COMPARE_PATH; 0 none */
	unsigned ntests;		/* loss tests made: the Bonferroni divisor */
};

/* Whether two traces probe the same target (same name, same address). */
bool compare_same_target(const struct trace *a, const struct trace *b);
/*
 * Fills idx (room for max) with the indices of the traces that share
 * traces[i]'s target, in order, i among them; returns how many.
 */
size_t compare_group(const struct trace *traces, size_t n, size_t i,
    size_t *idx, size_t max);
/* Whether traces[i] is the first of its target's traces. */
bool compare_group_first(const struct trace *traces, size_t n, size_t i);
/*
 * Two-sided Fisher exact test that lost_a of done_a and lost_b of done_b
 * come from one loss rate; returns the p-value (1 when nothing to test).
 */
double compare_fisher(uint64_t lost_a, uint64_t done_a, uint64_t lost_b,
    uint64_t done_b);
/* Sets up the comparison of n (<= COMPARE_MAX) traces of one target. */
void compare_init(struct compare *c, const struct trace *const *t, size_t n);
/* Whether trace t shows a row at ttl (within its first and last TTL). */
bool compare_shows(const struct trace *t, int ttl);
/* The hop trace t shows at ttl, or NULL. */
const struct hop *compare_hop(const struct trace *t, int ttl);
/*
 * The p-value of the loss test between traces a and b at ttl, or NAN
 * when one of them has no answered or timed-out probe there.
 */
double compare_loss_p(const struct compare *c, size_t a, size_t b, int ttl);
/* Whether that p-value is significant after the Bonferroni correction. */
bool compare_loss_differs(const struct compare *c, size_t a, size_t b,
    int ttl);
/*
 * The compare_flag bits of a TTL; *loss_mask (may be NULL) gets bit k for
 * every trace k in a pair whose loss differs there.
 */
unsigned compare_ttl(const struct compare *c, int ttl, unsigned *loss_mask);
/* A trace's short name in comparisons: "icmp", "udp:33434", "tcp:80". */
const char *compare_label(const struct trace *t, char *buf, size_t len);
/*
 * The text report's summary of every target with several traces, after
 * the per-trace blocks; nothing when there is none. Formatting only.
 */
void compare_write_text(FILE *out, const struct model *m);
/*
 * The JSON report's ",\n  \"comparisons\": [...]" member (doc/formats.md),
 * or nothing when no target has several traces. Formatting only.
 */
void compare_write_json(FILE *out, const struct model *m);

#endif
