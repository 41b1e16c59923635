/*
 * Unit tests for ui/ui_layout.c: the hop table's column layout at the
 * widths users resize to, value formatting, the latency scale behind the
 * sparklines and colours, the histogram and the elapsed-time text.
 * Expected numbers are worked out by hand next to each assertion.
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
#include "ui_layout.h"

#define assert_near(got, want) \
	assert_true(fabs((got) - (want)) < 1e-9)

static void
test_layout_wide(void **state)
{
	struct ui_layout l;

	(void)state;
	/* 100 - prefix 5 - 7 fields * 6 - (1 + 24) sparkline = 28 for the host. */
	assert_int_equal(ui_layout_table("LSNABWV", 100, true, &l), 0);
	assert_int_equal(l.ncols, 7);
	assert_int_equal(l.dropped, 0);
	assert_int_equal(l.host_x, 5);
	assert_int_equal(l.host_w, 28);
	assert_int_equal(l.cols[0].letter, 'L');
	assert_int_equal(l.cols[0].x, 33);
	assert_int_equal(l.cols[6].letter, 'V');
	assert_int_equal(l.cols[6].x, 69);
	assert_int_equal(l.spark_w, 24);
	assert_int_equal(l.spark_x, 76);	/* 69 + 6 + 1 space */

	/* "" and NULL mean mtr's default order, LSNABWV. */
	assert_int_equal(ui_layout_table("", 100, true, &l), 0);
	assert_int_equal(l.ncols, 7);
	assert_int_equal(ui_layout_table(NULL, 100, true, &l), 0);
	assert_int_equal(l.cols[1].letter, 'S');
}

static void
test_layout_60(void **state)
{
	struct ui_layout l;

	(void)state;
	/*
	 * Sparkline shrinks to 8: 5 + 42 + 9 = 56 leaves 4; dropping V, W
	 * leaves 60 - (5 + 30 + 9) = 16 for the host.
	 */
	assert_int_equal(ui_layout_table("LSNABWV", 60, true, &l), 0);
	assert_int_equal(l.ncols, 5);
	assert_int_equal(l.dropped, 2);
	assert_int_equal(l.cols[4].letter, 'B');
	assert_int_equal(l.host_w, 16);
	assert_int_equal(l.cols[4].x, 45);
	assert_int_equal(l.spark_w, 8);
	assert_int_equal(l.spark_x, 52);	/* ends at column 59 */
}

static void
test_layout_40(void **state)
{
	struct ui_layout l;

	(void)state;
	/* 3 fields: 5 + 18 + 9 = 32 leaves 8 < 12; 2 fields leave 14. */
	assert_int_equal(ui_layout_table("LSNABWV", 40, true, &l), 0);
	assert_int_equal(l.ncols, 2);
	assert_int_equal(l.cols[0].letter, 'L');
	assert_int_equal(l.cols[1].letter, 'S');
	assert_int_equal(l.host_w, 14);
	assert_int_equal(l.spark_w, 8);
	assert_int_equal(l.spark_x, 5 + 14 + 12 + 1);

	/* Without a sparkline: 4 fields leave 11, so 3 fields and 17. */
	assert_int_equal(ui_layout_table("LSNABWV", 40, false, &l), 0);
	assert_int_equal(l.ncols, 3);
	assert_int_equal(l.host_w, 17);
	assert_int_equal(l.spark_w, 0);
}

static void
test_layout_blanks(void **state)
{
	struct ui_layout l;

	(void)state;
	/* mtr's jitter set: 5 + 6 + 1 + 6 + 6 + 5 * 4 = 44 columns of fields. */
	assert_int_equal(ui_layout_table("DR AGJMXI", 100, true, &l), 0);
	assert_int_equal(l.ncols, 9);
	assert_int_equal(l.host_w, 100 - 5 - 44 - 25);
	assert_int_equal(l.cols[2].letter, ' ');
	assert_null(l.cols[2].f);
	assert_int_equal(l.cols[2].width, 1);
	assert_int_equal(l.cols[3].x, 5 + 26 + 5 + 6 + 1);

	/* At 45: I, X, M, J, G go (5 + 18 + 9 = 32 leaves 13). */
	assert_int_equal(ui_layout_table("DR AGJMXI", 45, true, &l), 0);
	assert_int_equal(l.ncols, 4);
	assert_int_equal(l.cols[3].letter, 'A');
	assert_int_equal(l.host_w, 13);

	/* At 40 A goes too, and the blank it leaves at the end with it. */
	assert_int_equal(ui_layout_table("DR AGJMXI", 40, true, &l), 0);
	assert_int_equal(l.ncols, 2);
	assert_int_equal(l.dropped, 7);
	assert_int_equal(l.host_w, 40 - 5 - 11 - 9);

	/* Trailing blanks never take a column. */
	assert_int_equal(ui_layout_table("LS  ", 100, false, &l), 0);
	assert_int_equal(l.ncols, 2);
}

static void
test_layout_too_narrow(void **state)
{
	struct ui_layout l;

	(void)state;
	/* The sparkline goes before the last two fields, then they go too. */
	assert_int_equal(ui_layout_table("LSNABWV", 20, true, &l), 0);
	assert_int_equal(l.ncols, 0);
	assert_int_equal(l.spark_w, 0);
	assert_int_equal(l.host_w, 15);
	assert_int_equal(ui_layout_table("LZ", 100, true, &l), -1);
}

static void
test_format(void **state)
{
	char buf[32];

	(void)state;
	ui_layout_format(fields_find('L'), 0.0, 6, buf, sizeof(buf));
	assert_string_equal(buf, "  0.0%");
	ui_layout_format(fields_find('L'), 100.0, 6, buf, sizeof(buf));
	assert_string_equal(buf, "100.0%");
	/* Too wide for 5: the decimals go. */
	ui_layout_format(fields_find('L'), 100.0, 5, buf, sizeof(buf));
	assert_string_equal(buf, " 100%");
	ui_layout_format(fields_find('N'), 12.345, 6, buf, sizeof(buf));
	assert_string_equal(buf, "  12.3");
	ui_layout_format(fields_find('N'), NAN, 6, buf, sizeof(buf));
	assert_string_equal(buf, "      ");
	ui_layout_format(fields_find('S'), 42, 6, buf, sizeof(buf));
	assert_string_equal(buf, "    42");
	ui_layout_format(fields_find('N'), 123456.7, 6, buf, sizeof(buf));
	assert_string_equal(buf, "123457");
	/* 1234567 is 7 wide: 1234.567 thousands round to 1235k. */
	ui_layout_format(fields_find('S'), 1234567, 6, buf, sizeof(buf));
	assert_string_equal(buf, " 1235k");
	ui_layout_format(fields_find('J'), 1234.56, 5, buf, sizeof(buf));
	assert_string_equal(buf, " 1235");
	/* A blank column is a blank. */
	ui_layout_format(NULL, 1, 1, buf, sizeof(buf));
	assert_string_equal(buf, " ");
	/* The buffer bounds the width. */
	ui_layout_format(fields_find('N'), 1.5, 6, buf, 4);
	assert_string_equal(buf, "1.5");
}

static void
test_scale(void **state)
{
	double sc[UI_LAYOUT_LEVELS];

	(void)state;
	/* 10..90 ms: thresholds 10 + 80 * ((i + 1) / 8)^2. */
	ui_layout_scale(10, 90, sc);
	assert_near(sc[0], 11.25);
	assert_near(sc[1], 15.0);
	assert_near(sc[3], 30.0);
	assert_near(sc[6], 71.25);
	assert_near(sc[7], 90.0);
	assert_int_equal(ui_layout_level(sc, 10), 0);
	assert_int_equal(ui_layout_level(sc, 11.25), 0);
	assert_int_equal(ui_layout_level(sc, 11.3), 1);
	assert_int_equal(ui_layout_level(sc, 30), 3);
	assert_int_equal(ui_layout_level(sc, 71), 6);
	assert_int_equal(ui_layout_level(sc, 89), 7);
	assert_int_equal(ui_layout_level(sc, 500), 7);

	/* Loopback: 0.05..0.08 ms spans at least 1 ms, so it stays low. */
	ui_layout_scale(0.05, 0.08, sc);
	assert_near(sc[0], 0.05 + 1.0 / 64);
	assert_near(sc[7], 1.05);
	assert_int_equal(ui_layout_level(sc, 0.05), 0);
	assert_int_equal(ui_layout_level(sc, 0.08), 1);
	assert_int_equal(ui_layout_colour(ui_layout_level(sc, 0.08)),
	    UI_LAYOUT_GOOD);
}

static void
test_colour_and_glyph(void **state)
{
	(void)state;
	assert_int_equal(ui_layout_colour(0), UI_LAYOUT_GOOD);
	assert_int_equal(ui_layout_colour(3), UI_LAYOUT_GOOD);
	assert_int_equal(ui_layout_colour(4), UI_LAYOUT_WARN);
	assert_int_equal(ui_layout_colour(5), UI_LAYOUT_WARN);
	assert_int_equal(ui_layout_colour(6), UI_LAYOUT_BAD);
	assert_int_equal(ui_layout_colour(7), UI_LAYOUT_BAD);
	assert_string_equal(ui_layout_glyph(0, true), "\xe2\x96\x81");
	assert_string_equal(ui_layout_glyph(7, true), "\xe2\x96\x88");
	assert_string_equal(ui_layout_glyph(0, false), ".");
	assert_string_equal(ui_layout_glyph(7, false), "#");
	assert_string_equal(ui_layout_glyph(99, false), "#");
	assert_string_equal(ui_layout_glyph(-3, false), ".");
}

static void
test_histogram(void **state)
{
	struct stats_window w;
	unsigned c[3];
	double lo, hi;

	(void)state;
	stats_window_init(&w);
	assert_int_equal(ui_layout_histogram(&w, 3, c, &lo, &hi), 0);
	assert_int_equal(c[0] + c[1] + c[2], 0);

	/* 1..10 in thirds of 9 ms: 1,2,3 | 4 | 10 (the maximum stays in). */
	stats_window_add(&w, 1);
	stats_window_add(&w, 2);
	stats_window_add(&w, 3);
	stats_window_add(&w, 4);
	stats_window_add(&w, 10);
	assert_int_equal(ui_layout_histogram(&w, 3, c, &lo, &hi), 5);
	assert_int_equal(c[0], 3);
	assert_int_equal(c[1], 1);
	assert_int_equal(c[2], 1);
	assert_near(lo, 1);
	assert_near(hi, 10);

	/* All equal: one bin holds them all. */
	stats_window_init(&w);
	stats_window_add(&w, 5);
	stats_window_add(&w, 5);
	assert_int_equal(ui_layout_histogram(&w, 3, c, &lo, &hi), 2);
	assert_int_equal(c[0], 2);
	assert_int_equal(c[2], 0);
	assert_near(lo, 5);
	assert_near(hi, 5);
}

static void
test_duration(void **state)
{
	char buf[32];

	(void)state;
	ui_layout_duration(0, buf, sizeof(buf));
	assert_string_equal(buf, "0s");
	ui_layout_duration(59.9, buf, sizeof(buf));
	assert_string_equal(buf, "59s");
	ui_layout_duration(60, buf, sizeof(buf));
	assert_string_equal(buf, "1:00");
	ui_layout_duration(187, buf, sizeof(buf));
	assert_string_equal(buf, "3:07");
	ui_layout_duration(3723, buf, sizeof(buf));
	assert_string_equal(buf, "1:02:03");
	ui_layout_duration(2 * 86400 + 3723, buf, sizeof(buf));
	assert_string_equal(buf, "2d 01:02:03");
	ui_layout_duration(-5, buf, sizeof(buf));
	assert_string_equal(buf, "0s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_wide),
		cmocka_unit_test(test_layout_60),
		cmocka_unit_test(test_layout_40),
		cmocka_unit_test(test_layout_blanks),
		cmocka_unit_test(test_layout_too_narrow),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_colour_and_glyph),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
