/*
 * Per-hop and per-responder statistics. Pure code: doubles throughout,
 * Welford's method for mean and variance, RFC 3550 interarrival jitter,
 * percentiles over a bounded window of recent samples.
 */
#ifndef NTRACE_STATS_H
#define NTRACE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define STATS_WINDOW 256	/* samples kept for percentiles */

struct stats {
	uint64_t sent;		/* probes sent */
	uint64_t received;	/* replies in time */
	uint64_t lost;		/* probes whose timeout passed unanswered */
	double last;		/* ms, most recent RTT */
	double best;
	double worst;
	double mean;		/* Welford running mean */
	double m2;		/* Welford sum of squared deviations */
	double log_sum;		/* sum of ln(rtt) for the geometric mean */
	double jitter;		/* mtr Jttr: |last - previous| */
	double jitter_sum;	/* for mtr Javg */
	double jitter_max;	/* mtr Jmax */
	double jitter_int;	/* RFC 3550 section 6.4.1 estimate (mtr Jint) */
	bool has_prev;
};

struct stats_window {
	float sample[STATS_WINDOW];
	unsigned len;		/* valid samples, <= STATS_WINDOW */
	unsigned pos;		/* next slot to write */
};

void stats_init(struct stats *st);
void stats_sent(struct stats *st);
void stats_reply(struct stats *st, double rtt_ms);
void stats_lost(struct stats *st);
/* Loss among probes that were answered or timed out (in-flight excluded). */
double stats_loss_pct(const struct stats *st);
double stats_avg(const struct stats *st);
double stats_stdev(const struct stats *st);
double stats_gmean(const struct stats *st);
double stats_jitter_avg(const struct stats *st);

void stats_window_init(struct stats_window *w);
void stats_window_add(struct stats_window *w, double rtt_ms);
/* The p-th percentile (0..100) by linear interpolation; NAN when empty. */
double stats_window_percentile(const struct stats_window *w, double p);

#endif
