/* Unit tests for the model: hops, ECMP responders, history, reset, copies. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"

static struct addr
ip(const char *s)
{
	struct addr a;

	assert_int_equal(addr_pton(s, &a), 0);
	return a;
}

static int
setup(void **state)
{
	static struct model m;

	assert_int_equal(model_init(&m, 1), 0);
	m.traces[0].first_ttl = 1;
	m.traces[0].max_ttl = 30;
	assert_int_equal(model_trace_alloc_hops(&m.traces[0]), 0);
	*state = &m;
	return 0;
}

static int
teardown(void **state)
{
	model_free(*state);
	return 0;
}

static void
test_hop_bounds(void **state)
{
	struct model *m = *state;
	struct trace *t = &m->traces[0];

	assert_non_null(model_hop(t, 1));
	assert_non_null(model_hop(t, 30));
	assert_null(model_hop(t, 0));
	assert_null(model_hop(t, 31));
	assert_int_equal(model_hop(t, 7)->ttl, 7);
	assert_int_equal(model_hop(t, 7)->unreach_code, -1);
}

static void
test_alloc_rejects_bad_range(void **state)
{
	struct trace t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.first_ttl = 5;
	t.max_ttl = 4;
	assert_int_equal(model_trace_alloc_hops(&t), -1);
	t.first_ttl = 0;
	t.max_ttl = 4;
	assert_int_equal(model_trace_alloc_hops(&t), -1);
	t.first_ttl = 1;
	t.max_ttl = 256;
	assert_int_equal(model_trace_alloc_hops(&t), -1);
}

static void
test_ecmp_most_frequent_first(void **state)
{
	struct model *m = *state;
	struct hop *h = model_hop(&m->traces[0], 3);
	struct addr a = ip("10.77.3.2"), b = ip("10.77.9.2");
	int i;

	model_hop_sent(h);
	model_hop_reply(h, &a, 1.0, 1);
	for (i = 0; i < 3; i++) {
		model_hop_sent(h);
		model_hop_reply(h, &b, 2.0, (uint64_t)i + 2);
	}
	assert_int_equal(h->nresp, 2);
	assert_true(addr_equal(&h->resp[0].addr, &b));
	assert_true(addr_equal(&h->resp[1].addr, &a));
	assert_int_equal(h->resp[0].st.received, 3);
	assert_int_equal(h->resp[0].last_seen, 4);
	assert_int_equal(h->st.received, 4);
	assert_int_equal(h->st.sent, 4);
}

static void
test_responders_bounded(void **state)
{
	struct model *m = *state;
	struct hop *h = model_hop(&m->traces[0], 4);
	char buf[32];
	struct addr a;
	int i;

	/* Far more distinct responders than kept: memory stays fixed. */
	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "10.77.4.%d", i + 1);
		a = ip(buf);
		model_hop_reply(h, &a, 1.0, 1);
	}
	assert_int_equal(h->nresp, MODEL_MAX_RESP);
	assert_int_equal(h->st.received, 100);
	/* The newest stranger replaced the least frequent responder. */
	assert_true(addr_equal(&h->resp[MODEL_MAX_RESP - 1].addr, &a));
}

static void
test_history_ring(void **state)
{
	struct model *m = *state;
	struct hop *h = model_hop(&m->traces[0], 5);
	struct addr a = ip("10.77.5.2");
	unsigned i;

	model_hop_lost(h);
	assert_int_equal(h->hist_len, 1);
	assert_true(h->hist[0] == MODEL_HIST_LOST);
	for (i = 0; i < MODEL_HIST + 10; i++)
		model_hop_reply(h, &a, (double)i, 1);
	assert_int_equal(h->hist_len, MODEL_HIST);
	/* The slot after the newest holds the oldest kept sample. */
	assert_true(h->hist[h->hist_pos] == (float)(10));
	assert_int_equal(h->st.lost, 1);
}

static void
test_last_ttl(void **state)
{
	struct model *m = *state;
	struct trace *t = &m->traces[0];

	t->last_ttl = 0;
	t->reached = false;
	assert_int_equal(model_trace_last_ttl(t), 0);
	t->last_ttl = 12;
	assert_int_equal(model_trace_last_ttl(t), 12);
	t->last_ttl = 99;
	assert_int_equal(model_trace_last_ttl(t), 30);
	t->reached = true;
	t->dest_ttl = 6;
	assert_int_equal(model_trace_last_ttl(t), 6);
}

static void
test_reset_and_copy(void **state)
{
	struct model *m = *state;
	struct trace *t = &m->traces[0], copy;
	struct addr a = ip("fd77:1::2");
	uint64_t gen = m->generation;

	model_hop_sent(model_hop(t, 1));
	model_hop_reply(model_hop(t, 1), &a, 0.5, 1);
	t->reached = true;
	t->dest_ttl = 1;
	assert_int_equal(model_trace_copy(t, &copy), 0);
	assert_ptr_not_equal(copy.hops, t->hops);
	assert_int_equal(model_hop(&copy, 1)->st.received, 1);

	model_reset(m);
	assert_true(m->generation > gen);
	assert_int_equal(model_hop(t, 1)->st.received, 0);
	assert_int_equal(model_hop(t, 1)->nresp, 0);
	assert_false(t->reached);
	/* The copy is independent of the reset. */
	assert_int_equal(model_hop(&copy, 1)->st.received, 1);
	model_trace_copy_free(&copy);
	assert_null(copy.hops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hop_bounds, setup, teardown),
		cmocka_unit_test(test_alloc_rejects_bad_range),
		cmocka_unit_test_setup_teardown(test_ecmp_most_frequent_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responders_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_and_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
