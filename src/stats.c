/*
 * Per-hop statistics, computed the way mtr 0.95 computes them (ui/net.c,
 * net_process_ping) but in double precision milliseconds.
 *
 * Conventions the rest of ntrace relies on:
 * - Before the first reply, last, best and worst are NAN, and so are
 *   stats_avg, stats_stdev, stats_gmean and stats_jitter_avg, so a report
 *   can print "-" or JSON null instead of a misleading 0.0.  The jitter
 *   accumulators (jitter, jitter_sum, jitter_max, jitter_int) start at 0;
 *   read them through fields_value(), which turns them into NAN while
 *   there are no replies.
 * - stats_stdev is the sample standard deviation, sqrt(m2 / (n - 1)), as
 *   mtr's net_stdev; it is 0 with exactly one reply (as mtr) and NAN with
 *   none.
 * - Jttr is |rtt - previous rtt|, 0 for the first reply.  Javg follows mtr:
 *   mtr keeps a running mean of jitter over every reply, the first one's
 *   zero jitter included, so Javg = jitter_sum / received.
 * - jitter_int is the RFC 3550 section 6.4.1 estimate J += (|D| - J) / 16
 *   with D the difference of consecutive RTTs.  mtr keeps the same
 *   estimate scaled by 16 (RFC 1889 A.8 "jinta") and prints the scaled
 *   value, so mtr's Jint column reads about 16 times ours.
 * - Negative RTTs (a clock stepped backwards) are clamped to 0, and
 *   non-finite ones are ignored, so one bad timestamp cannot poison a hop.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/*
 * The geometric mean needs ln(rtt); a 0 ms RTT would add -inf and pin the
 * mean to 0 forever, so RTTs below one microsecond (finer than any
 * timestamp we take) count as one microsecond.
 */
#define STATS_LOG_FLOOR_MS 0.001

void
stats_init(struct stats *st)
{
	memset(st, 0, sizeof *st);
	st->last = NAN;
	st->best = NAN;
	st->worst = NAN;
}

void
stats_sent(struct stats *st)
{
	st->sent++;
}

void
stats_reply(struct stats *st, double rtt_ms)
{
	double	d, jit;

	if (!isfinite(rtt_ms))
		return;
	if (rtt_ms < 0)
		rtt_ms = 0;

	if (st->has_prev) {
		jit = fabs(rtt_ms - st->last);
		/* RFC 3550 section 6.4.1: J += (|D| - J) / 16. */
		st->jitter_int += (jit - st->jitter_int) / 16.0;
	} else
		jit = 0;
	st->jitter = jit;
	st->jitter_sum += jit;
	if (jit > st->jitter_max)
		st->jitter_max = jit;

	if (st->received == 0 || rtt_ms < st->best)
		st->best = rtt_ms;
	if (st->received == 0 || rtt_ms > st->worst)
		st->worst = rtt_ms;
	st->last = rtt_ms;
	st->has_prev = true;

	/* Welford's update keeps m2 accurate even for large, close RTTs. */
	st->received++;
	d = rtt_ms - st->mean;
	st->mean += d / (double)st->received;
	st->m2 += d * (rtt_ms - st->mean);

	st->log_sum += log(rtt_ms < STATS_LOG_FLOOR_MS ?
	    STATS_LOG_FLOOR_MS : rtt_ms);
}

void
stats_lost(struct stats *st)
{
	st->lost++;
}

double
stats_loss_pct(const struct stats *st)
{
	uint64_t	done = st->received + st->lost;

	if (done == 0)
		return 0;
	return 100.0 * (double)st->lost / (double)done;
}

double
stats_avg(const struct stats *st)
{
	if (st->received == 0)
		return NAN;
	return st->mean;
}

double
stats_stdev(const struct stats *st)
{
	if (st->received == 0)
		return NAN;
	if (st->received == 1)
		return 0;
	/* Rounding can leave m2 a hair below zero when all RTTs are equal. */
	if (st->m2 <= 0)
		return 0;
	return sqrt(st->m2 / (double)(st->received - 1));
}

double
stats_gmean(const struct stats *st)
{
	if (st->received == 0)
		return NAN;
	return exp(st->log_sum / (double)st->received);
}

double
stats_jitter_avg(const struct stats *st)
{
	if (st->received == 0)
		return NAN;
	return st->jitter_sum / (double)st->received;
}

void
stats_window_init(struct stats_window *w)
{
	memset(w, 0, sizeof *w);
}

void
stats_window_add(struct stats_window *w, double rtt_ms)
{
	if (!isfinite(rtt_ms))
		return;
	if (rtt_ms < 0)
		rtt_ms = 0;
	w->sample[w->pos] = (float)rtt_ms;
	w->pos = (w->pos + 1) % STATS_WINDOW;
	if (w->len < STATS_WINDOW)
		w->len++;
}

static int
stats_cmp_float(const void *a, const void *b)
{
	float	x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

double
stats_window_percentile(const struct stats_window *w, double p)
{
	float		 sorted[STATS_WINDOW];
	unsigned	 n, lo;
	double		 rank, frac;

	n = w->len;
	if (n > STATS_WINDOW)
		n = STATS_WINDOW;
	if (n == 0 || isnan(p))
		return NAN;
	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;

	/* Sort a copy so readers can hold a const snapshot. */
	memcpy(sorted, w->sample, n * sizeof sorted[0]);
	qsort(sorted, n, sizeof sorted[0], stats_cmp_float);

	/* Hyndman-Fan R-7 (Excel PERCENTILE.INC): rank = p/100 * (n - 1). */
	rank = p / 100.0 * (double)(n - 1);
	lo = (unsigned)rank;
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = rank - (double)lo;
	return sorted[lo] + frac * ((double)sorted[lo + 1] - sorted[lo]);
}
