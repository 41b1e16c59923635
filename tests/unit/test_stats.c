/*
 * Unit tests for src/stats.c and src/fields.c. Expected values are worked
 * out by hand in the comments next to each assertion.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"
#include "stats.h"

#define assert_near(got, want, eps) \
	check_near((got), (want), (eps), #got, __FILE__, __LINE__)
#define assert_nan(x) \
	check_nan((x), #x, __FILE__, __LINE__)

/* cmocka 1.1 only compares floats, too coarse for these checks. */
static void
check_near(double got, double want, double eps, const char *expr,
    const char *file, int line)
{
	if (fabs(got - want) <= eps)
		return;
	print_error("%s = %.12g, want %.12g (eps %g)\n", expr, got, want, eps);
	_fail(file, line);
}

static void
check_nan(double x, const char *expr, const char *file, int line)
{
	if (isnan(x))
		return;
	print_error("%s = %.12g, want NAN\n", expr, x);
	_fail(file, line);
}

static void
feed(struct stats *st, const double *rtt, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		stats_sent(st);
		stats_reply(st, rtt[i]);
	}
}

static void
test_empty_is_nan(void **state)
{
	struct stats	st;

	(void)state;
	stats_init(&st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.received, 0);
	assert_int_equal(st.lost, 0);
	assert_nan(st.last);
	assert_nan(st.best);
	assert_nan(st.worst);
	assert_nan(stats_avg(&st));
	assert_nan(stats_stdev(&st));
	assert_nan(stats_gmean(&st));
	assert_nan(stats_jitter_avg(&st));
	/* Nothing answered or timed out yet: no loss to report. */
	assert_near(stats_loss_pct(&st), 0, 0);
	/* Probes in flight are neither received nor lost. */
	stats_sent(&st);
	stats_sent(&st);
	assert_int_equal(st.sent, 2);
	assert_near(stats_loss_pct(&st), 0, 0);
}

static void
test_one_reply(void **state)
{
	struct stats	st;

	(void)state;
	stats_init(&st);
	stats_sent(&st);
	stats_reply(&st, 12.5);
	assert_near(st.last, 12.5, 0);
	assert_near(st.best, 12.5, 0);
	assert_near(st.worst, 12.5, 0);
	assert_near(stats_avg(&st), 12.5, 1e-12);
	/* mtr prints 0 for the deviation of a single sample. */
	assert_near(stats_stdev(&st), 0, 0);
	assert_near(stats_gmean(&st), 12.5, 1e-12);
	assert_near(st.jitter, 0, 0);
	assert_near(st.jitter_max, 0, 0);
	assert_near(st.jitter_int, 0, 0);
	assert_near(stats_jitter_avg(&st), 0, 0);
}

static void
test_ten_to_forty(void **state)
{
	static const double rtt[] = { 10, 20, 30, 40 };
	/* |D| = 0, 10, 10, 10; J += (|D| - J) / 16 from J = 0. */
	static const double jint[] = { 0, 0.625, 1.2109375, 1.76025390625 };
	static const double jit[] = { 0, 10, 10, 10 };
	struct stats	st;
	size_t		i;

	(void)state;
	stats_init(&st);
	for (i = 0; i < 4; i++) {
		stats_sent(&st);
		stats_reply(&st, rtt[i]);
		assert_near(st.jitter, jit[i], 0);
		assert_near(st.jitter_int, jint[i], 1e-12);
		assert_near(st.last, rtt[i], 0);
	}
	assert_int_equal(st.sent, 4);
	assert_int_equal(st.received, 4);
	assert_near(st.best, 10, 0);
	assert_near(st.worst, 40, 0);
	assert_near(stats_avg(&st), 25, 1e-12);
	/* m2 = 225 + 25 + 25 + 225 = 500; sample stdev sqrt(500 / 3). */
	assert_near(st.m2, 500, 1e-9);
	assert_near(stats_stdev(&st), 12.909944487358056, 1e-9);
	/* (10 * 20 * 30 * 40)^(1/4) = 240000^(1/4). */
	assert_near(stats_gmean(&st), 22.133638394006432, 1e-9);
	assert_near(st.jitter_max, 10, 0);
	assert_near(st.jitter_sum, 30, 0);
	/* mtr averages jitter over every reply, the first's 0 included. */
	assert_near(stats_jitter_avg(&st), 7.5, 1e-12);
	assert_near(stats_loss_pct(&st), 0, 0);
}

static void
test_jitter_up_and_down(void **state)
{
	static const double rtt[] = { 30, 10, 25, 5 };
	/* |D| = 0, 20, 15, 20. */
	static const double jit[] = { 0, 20, 15, 20 };
	/* 20/16 = 1.25; 1.25 + 13.75/16; 2.109375 + 17.890625/16. */
	static const double jint[] = { 0, 1.25, 2.109375, 3.2275390625 };
	static const double jmax[] = { 0, 20, 20, 20 };
	struct stats	st;
	size_t		i;

	(void)state;
	stats_init(&st);
	for (i = 0; i < 4; i++) {
		stats_reply(&st, rtt[i]);
		assert_near(st.jitter, jit[i], 0);
		assert_near(st.jitter_int, jint[i], 1e-12);
		assert_near(st.jitter_max, jmax[i], 0);
	}
	assert_near(st.best, 5, 0);
	assert_near(st.worst, 30, 0);
	assert_near(st.last, 5, 0);
	/* (0 + 20 + 15 + 20) / 4. */
	assert_near(stats_jitter_avg(&st), 13.75, 1e-12);
}

static void
test_loss(void **state)
{
	static const double rtt[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct stats	st;
	int		i;

	(void)state;
	stats_init(&st);
	feed(&st, rtt, 7);
	for (i = 0; i < 3; i++) {
		stats_sent(&st);
		stats_lost(&st);
	}
	assert_int_equal(st.sent, 10);
	assert_int_equal(st.lost, 3);
	assert_near(stats_loss_pct(&st), 30, 1e-12);
	/* Two more probes in flight do not change the loss. */
	stats_sent(&st);
	stats_sent(&st);
	assert_near(stats_loss_pct(&st), 30, 1e-12);

	stats_init(&st);
	stats_sent(&st);
	stats_lost(&st);
	assert_near(stats_loss_pct(&st), 100, 0);
	assert_nan(stats_avg(&st));
}

static void
test_bad_rtts(void **state)
{
	struct stats	st;

	(void)state;
	stats_init(&st);
	/* A 0 ms RTT is floored to 0.001 ms for the log only. */
	stats_reply(&st, 0);
	assert_near(st.best, 0, 0);
	assert_near(stats_gmean(&st), 0.001, 1e-12);
	stats_reply(&st, 1);
	assert_near(stats_gmean(&st), sqrt(0.001), 1e-12);
	assert_near(stats_avg(&st), 0.5, 1e-12);
	/* A clock stepping back gives a negative RTT: counted as 0. */
	stats_reply(&st, -5);
	assert_int_equal(st.received, 3);
	assert_near(st.best, 0, 0);
	assert_near(st.last, 0, 0);
	assert_near(stats_avg(&st), 1.0 / 3, 1e-12);
	/* Non-finite RTTs are dropped rather than poisoning the hop. */
	stats_reply(&st, NAN);
	stats_reply(&st, INFINITY);
	assert_int_equal(st.received, 3);
	assert_near(stats_avg(&st), 1.0 / 3, 1e-12);
	assert_near(st.worst, 1, 0);
	assert_false(isnan(stats_stdev(&st)));
}

static void
test_million_samples(void **state)
{
	struct stats		st;
	struct stats_window	w;
	uint32_t		i;
	double			x;

	(void)state;
	/* Fixed-size structs: a hop's memory cannot grow with samples. */
	assert_true(sizeof(struct stats_window) <=
	    STATS_WINDOW * sizeof(float) + 2 * sizeof(unsigned));
	assert_true(sizeof(struct stats) <= 128);

	stats_init(&st);
	stats_window_init(&w);
	for (i = 0; i < 1000000; i++) {
		/* 1e6 ms plus 0.0 .. 0.9: summing squares would lose it all. */
		x = 1e6 + (double)(i % 10) * 0.1;
		stats_sent(&st);
		stats_reply(&st, x);
		stats_window_add(&w, x);
	}
	assert_int_equal(st.received, 1000000);
	assert_near(stats_avg(&st), 1e6 + 0.45, 1e6 * 1e-12);
	/* Population variance of 0..0.9 is 0.0825; sample: * n / (n - 1). */
	assert_near(stats_stdev(&st), 0.2872282759410753, 1e-7);
	assert_near(stats_gmean(&st), 1e6 + 0.45, 1e-3);
	assert_near(st.best, 1e6, 0);
	assert_near(st.worst, 1e6 + 0.9, 1e-9);
	assert_near(st.jitter_max, 0.9, 1e-6);
	assert_int_equal(w.len, STATS_WINDOW);
	/* 1e6 mod 256 = 64. */
	assert_int_equal(w.pos, 64);
	/* float holds 1e6 to 1/16 ms, so the window median is near 1e6+0.45. */
	assert_near(stats_window_percentile(&w, 50), 1e6 + 0.45, 0.13);
}

static void
test_percentile_1_to_100(void **state)
{
	struct stats_window	w;
	unsigned		i;

	(void)state;
	stats_window_init(&w);
	assert_nan(stats_window_percentile(&w, 50));
	/* 37 is coprime to 100: every value 1..100 once, shuffled. */
	for (i = 0; i < 100; i++)
		stats_window_add(&w, (double)((i * 37) % 100 + 1));
	assert_int_equal(w.len, 100);
	/* rank = p / 100 * 99, interpolate between neighbours. */
	assert_near(stats_window_percentile(&w, 0), 1, 0);
	assert_near(stats_window_percentile(&w, 50), 50.5, 1e-9);
	assert_near(stats_window_percentile(&w, 90), 90.1, 1e-9);
	assert_near(stats_window_percentile(&w, 95), 95.05, 1e-9);
	assert_near(stats_window_percentile(&w, 99), 99.01, 1e-9);
	assert_near(stats_window_percentile(&w, 100), 100, 0);
	/* p is clamped to 0..100. */
	assert_near(stats_window_percentile(&w, -5), 1, 0);
	assert_near(stats_window_percentile(&w, 150), 100, 0);
	assert_nan(stats_window_percentile(&w, NAN));
}

static void
test_percentile_small(void **state)
{
	struct stats_window	w;

	(void)state;
	stats_window_init(&w);
	stats_window_add(&w, 7.5);
	assert_near(stats_window_percentile(&w, 0), 7.5, 0);
	assert_near(stats_window_percentile(&w, 99), 7.5, 0);
	stats_window_add(&w, 20);
	stats_window_add(&w, 10);
	/* Sorted 7.5 10 20: rank 0.5 -> 8.75, rank 1.5 -> 15. */
	assert_near(stats_window_percentile(&w, 25), 8.75, 1e-9);
	assert_near(stats_window_percentile(&w, 75), 15, 1e-9);
	/* The window itself stays in arrival order. */
	assert_near(w.sample[0], 7.5, 0);
	assert_near(w.sample[1], 20, 0);
	assert_near(w.sample[2], 10, 0);
}

static void
test_percentile_wrapped(void **state)
{
	struct stats_window	w;
	unsigned		i;

	(void)state;
	stats_window_init(&w);
	for (i = 1; i <= 1000; i++)
		stats_window_add(&w, (double)i);
	assert_int_equal(w.len, STATS_WINDOW);
	/* Only the last 256 remain: 745 .. 1000. */
	assert_near(stats_window_percentile(&w, 0), 745, 0);
	assert_near(stats_window_percentile(&w, 100), 1000, 0);
	/* rank 127.5 -> 745 + 127.5; rank 229.5; rank 252.45. */
	assert_near(stats_window_percentile(&w, 50), 872.5, 1e-9);
	assert_near(stats_window_percentile(&w, 90), 974.5, 1e-9);
	assert_near(stats_window_percentile(&w, 99), 997.45, 1e-6);
}

static void
test_fields_table(void **state)
{
	static const char letters[] = "LDRSNBAWVGJMXI59PY";
	const struct field	*all, *f;
	size_t			 n, i, j;

	(void)state;
	all = fields_all(&n);
	assert_int_equal(n, strlen(letters));
	for (i = 0; i < n; i++) {
		assert_int_equal(all[i].letter, letters[i]);
		assert_non_null(all[i].header);
		assert_non_null(all[i].name);
		assert_true(all[i].width >= (int)strlen(all[i].header));
		assert_int_equal(all[i].decimals, all[i].is_count ? 0 : 1);
		f = fields_find(letters[i]);
		assert_ptr_equal(f, &all[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(all[i].name, all[j].name);
	}
	assert_null(fields_find('q'));
	assert_null(fields_find('l'));
	assert_null(fields_find(' '));
	assert_null(fields_find('\0'));

	/* mtr's headers and JSON names that reports depend on. */
	assert_string_equal(fields_find('L')->header, "Loss%");
	assert_string_equal(fields_find('L')->name, "loss_pct");
	assert_int_equal(fields_find('L')->width, 6);
	assert_string_equal(fields_find('D')->name, "dropped");
	assert_true(fields_find('D')->is_count);
	assert_true(fields_find('S')->is_count);
	assert_true(fields_find('R')->is_count);
	assert_false(fields_find('L')->is_count);
	assert_string_equal(fields_find('N')->header, "Last");
	assert_string_equal(fields_find('N')->name, "last_ms");
	assert_string_equal(fields_find('W')->header, "Wrst");
	assert_string_equal(fields_find('V')->header, "StDev");
	assert_string_equal(fields_find('M')->name, "jitter_avg_ms");
	assert_string_equal(fields_find('I')->name, "jitter_int_ms");
	assert_string_equal(fields_find('P')->header, "P95");
	assert_string_equal(fields_find('Y')->name, "p99_ms");
}

static void
test_fields_check_order(void **state)
{
	char	err[128];

	(void)state;
	assert_int_equal(fields_check_order("", err, sizeof err), 0);
	assert_int_equal(fields_check_order(NULL, err, sizeof err), 0);
	assert_int_equal(fields_check_order(FIELDS_DEFAULT_ORDER, err,
	    sizeof err), 0);
	/* mtr's own default has a space separator. */
	assert_int_equal(fields_check_order("LS NABWV", err, sizeof err), 0);
	assert_int_equal(fields_check_order("LDRSNBAWVGJMXI59PY", err,
	    sizeof err), 0);
	assert_int_equal(fields_check_order("LL", err, sizeof err), 0);

	err[0] = '\0';
	assert_int_equal(fields_check_order("LSq", err, sizeof err), -1);
	assert_string_equal(err, "unknown field 'q' in -o; valid fields: "
	    "LDRSNBAWVGJMXI59PY (and space)");
	assert_int_equal(fields_check_order("ls", err, sizeof err), -1);
	assert_non_null(strstr(err, "'l'"));
	assert_int_equal(fields_check_order("L\tS", err, sizeof err), -1);
	assert_non_null(strstr(err, "0x09"));
	/* A short buffer is truncated, never overrun; NULL err is fine. */
	memset(err, 'x', sizeof err);
	assert_int_equal(fields_check_order("Z", err, 8), -1);
	assert_string_equal(err, "unknown");
	assert_int_equal(err[8], 'x');
	assert_int_equal(fields_check_order("Z", NULL, 0), -1);
}

static double
value(char letter, const struct stats *st, const struct stats_window *w)
{
	const struct field	*f = fields_find(letter);

	assert_non_null(f);
	return fields_value(f, st, w);
}

static void
test_fields_value(void **state)
{
	static const double rtt[] = { 10, 20, 30, 40 };
	struct stats		st;
	struct stats_window	w;
	size_t			i;

	(void)state;
	stats_init(&st);
	stats_window_init(&w);
	for (i = 0; i < 4; i++) {
		stats_sent(&st);
		stats_reply(&st, rtt[i]);
		stats_window_add(&w, rtt[i]);
	}
	/* Two timed out, two still in flight: 8 sent, loss 2 / 6. */
	for (i = 0; i < 4; i++)
		stats_sent(&st);
	stats_lost(&st);
	stats_lost(&st);

	assert_near(value('L', &st, &w), 100.0 / 3, 1e-9);
	assert_near(value('D', &st, &w), 2, 0);
	assert_near(value('R', &st, &w), 4, 0);
	assert_near(value('S', &st, &w), 8, 0);
	assert_near(value('N', &st, &w), 40, 0);
	assert_near(value('B', &st, &w), 10, 0);
	assert_near(value('A', &st, &w), 25, 1e-12);
	assert_near(value('W', &st, &w), 40, 0);
	assert_near(value('V', &st, &w), 12.909944487358056, 1e-9);
	assert_near(value('G', &st, &w), 22.133638394006432, 1e-9);
	assert_near(value('J', &st, &w), 10, 0);
	assert_near(value('M', &st, &w), 7.5, 1e-12);
	assert_near(value('X', &st, &w), 10, 0);
	assert_near(value('I', &st, &w), 1.76025390625, 1e-12);
	/* Sorted 10 20 30 40: ranks 1.5, 2.7, 2.85, 2.97. */
	assert_near(value('5', &st, &w), 25, 1e-9);
	assert_near(value('9', &st, &w), 37, 1e-5);
	assert_near(value('P', &st, &w), 38.5, 1e-5);
	assert_near(value('Y', &st, &w), 39.7, 1e-5);
	/* Without a window the percentiles are unknown. */
	assert_nan(value('5', &st, NULL));
	assert_nan(fields_value(NULL, &st, &w));
}

static void
test_fields_value_no_replies(void **state)
{
	static const char times[] = "NBAWVGJMXI59PY";
	struct stats		st;
	struct stats_window	w;
	size_t			i;

	(void)state;
	stats_init(&st);
	stats_window_init(&w);
	for (i = 0; i < 3; i++) {
		stats_sent(&st);
		stats_lost(&st);
	}
	assert_near(value('L', &st, &w), 100, 0);
	assert_near(value('D', &st, &w), 3, 0);
	assert_near(value('R', &st, &w), 0, 0);
	assert_near(value('S', &st, &w), 3, 0);
	for (i = 0; times[i] != '\0'; i++)
		assert_nan(value(times[i], &st, &w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_nan),
		cmocka_unit_test(test_one_reply),
		cmocka_unit_test(test_ten_to_forty),
		cmocka_unit_test(test_jitter_up_and_down),
		cmocka_unit_test(test_loss),
		cmocka_unit_test(test_bad_rtts),
		cmocka_unit_test(test_million_samples),
		cmocka_unit_test(test_percentile_1_to_100),
		cmocka_unit_test(test_percentile_small),
		cmocka_unit_test(test_percentile_wrapped),
		cmocka_unit_test(test_fields_table),
		cmocka_unit_test(test_fields_check_order),
		cmocka_unit_test(test_fields_value),
		cmocka_unit_test(test_fields_value_no_replies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
