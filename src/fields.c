/*
 * The hop table's columns as const data: mtr's -o letters, headers and
 * report widths (mtr 0.95 data_fields), then ntrace's percentile columns.
 * A space in -o is mtr's one-column separator; it is accepted by
 * fields_check_order but is not a field, so fields_find(' ') is NULL and
 * the report and UI draw it as a blank column.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "fields.h"
#include "stats.h"

static const struct field fields_table[] = {
	{ .letter = 'L', .header = "Loss%", .name = "loss_pct",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'D', .header = "Drop", .name = "dropped",
	  .width = 5, .decimals = 0, .is_count = true },
	{ .letter = 'R', .header = "Rcv", .name = "received",
	  .width = 6, .decimals = 0, .is_count = true },
	{ .letter = 'S', .header = "Snt", .name = "sent",
	  .width = 6, .decimals = 0, .is_count = true },
	{ .letter = 'N', .header = "Last", .name = "last_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'B', .header = "Best", .name = "best_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'A', .header = "Avg", .name = "avg_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'W', .header = "Wrst", .name = "worst_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'V', .header = "StDev", .name = "stdev_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'G', .header = "Gmean", .name = "gmean_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'J', .header = "Jttr", .name = "jitter_ms",
	  .width = 5, .decimals = 1, .is_count = false },
	{ .letter = 'M', .header = "Javg", .name = "jitter_avg_ms",
	  .width = 5, .decimals = 1, .is_count = false },
	{ .letter = 'X', .header = "Jmax", .name = "jitter_max_ms",
	  .width = 5, .decimals = 1, .is_count = false },
	{ .letter = 'I', .header = "Jint", .name = "jitter_int_ms",
	  .width = 5, .decimals = 1, .is_count = false },
	{ .letter = '5', .header = "P50", .name = "p50_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = '9', .header = "P90", .name = "p90_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'P', .header = "P95", .name = "p95_ms",
	  .width = 6, .decimals = 1, .is_count = false },
	{ .letter = 'Y', .header = "P99", .name = "p99_ms",
	  .width = 6, .decimals = 1, .is_count = false },
};

#define FIELDS_COUNT (sizeof fields_table / sizeof fields_table[0])

const struct field *
fields_all(size_t *n)
{
	if (n != NULL)
		*n = FIELDS_COUNT;
	return fields_table;
}

const struct field *
fields_find(char letter)
{
	size_t	i;

	for (i = 0; i < FIELDS_COUNT; i++) {
		if (fields_table[i].letter == letter)
			return &fields_table[i];
	}
	return NULL;
}

/* Builds "LDRS..." so the error message lists exactly the table. */
static void
fields_letters(char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < FIELDS_COUNT && i + 1 < len; i++)
		buf[i] = fields_table[i].letter;
	buf[i] = '\0';
}

int
fields_check_order(const char *order, char *err, size_t errlen)
{
	char		 valid[FIELDS_COUNT + 1];
	const char	*p;
	unsigned char	 c;

	if (order == NULL)
		return 0;
	for (p = order; *p != '\0'; p++) {
		/* mtr accepts ' ' in -o as a blank separator column. */
		if (*p == ' ' || fields_find(*p) != NULL)
			continue;
		if (err != NULL && errlen > 0) {
			fields_letters(valid, sizeof valid);
			c = (unsigned char)*p;
			if (c >= 0x20 && c < 0x7f)
				snprintf(err, errlen, "unknown field '%c' in -o; "
				    "valid fields: %s (and space)", c, valid);
			else
				snprintf(err, errlen, "unknown field byte 0x%02x "
				    "in -o; valid fields: %s (and space)", c,
				    valid);
		}
		return -1;
	}
	return 0;
}

static double
fields_percentile(const struct stats_window *w, double p)
{
	if (w == NULL)
		return NAN;
	return stats_window_percentile(w, p);
}

double
fields_value(const struct field *f, const struct stats *st,
    const struct stats_window *w)
{
	bool	none;

	if (f == NULL || st == NULL)
		return NAN;
	none = st->received == 0;

	switch (f->letter) {
	case 'L':
		return stats_loss_pct(st);
	case 'D':
		return (double)st->lost;
	case 'R':
		return (double)st->received;
	case 'S':
		return (double)st->sent;
	case 'N':
		return none ? NAN : st->last;
	case 'B':
		return none ? NAN : st->best;
	case 'A':
		return stats_avg(st);
	case 'W':
		return none ? NAN : st->worst;
	case 'V':
		return stats_stdev(st);
	case 'G':
		return stats_gmean(st);
	case 'J':
		return none ? NAN : st->jitter;
	case 'M':
		return stats_jitter_avg(st);
	case 'X':
		return none ? NAN : st->jitter_max;
	case 'I':
		return none ? NAN : st->jitter_int;
	case '5':
		return fields_percentile(w, 50);
	case '9':
		return fields_percentile(w, 90);
	case 'P':
		return fields_percentile(w, 95);
	case 'Y':
		return fields_percentile(w, 99);
	default:
		return NAN;
	}
}
