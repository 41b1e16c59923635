/*
 * Unit tests for the loss diagnosis (synthetic per-hop counts, borderline
 * sample sizes, hand-computed p-values) and for the event log and loss
 * bursts in the model that feed it.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "model.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Relative closeness for p-values that span many orders of magnitude. */
static void
assert_close(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("got %.10g, want %.10g\n", got, want);
		fail();
	}
}

static void
test_binom_sf_exact(void **state)
{
	(void)state;
	/* sum_{k>=3} C(10,k) .01^k .99^(10-k), computed by hand (Python). */
	assert_close(diag_binom_sf(3, 10, 0.01), 1.1384911790578e-4, 1e-9);
	assert_close(diag_binom_sf(2, 10, 0.01), 4.266200242831e-3, 1e-9);
	assert_close(diag_binom_sf(5, 20, 0.01), 1.3677986328934e-6, 1e-9);
	assert_close(diag_binom_sf(1, 1, 0.5), 0.5, 1e-12);
	assert_close(diag_binom_sf(10, 10, 0.5), 1.0 / 1024, 1e-12);
	/* The edges, and the lower half where no test could reject. */
	assert_true(diag_binom_sf(0, 10, 0.01) == 1.0);
	assert_true(diag_binom_sf(11, 10, 0.01) == 0.0);
	assert_true(diag_binom_sf(1, 10, 0.0) == 0.0);
	assert_true(diag_binom_sf(5, 10, 0.5) == 1.0);
	/* Large counts stay finite and tiny instead of underflowing to NaN. */
	assert_true(diag_binom_sf(5000, 10000, 0.01) >= 0.0);
	assert_true(diag_binom_sf(5000, 10000, 0.01) < 1e-100);
}

static void
test_fisher_exact(void **state)
{
	(void)state;
	/* Fisher's tea: [[3,1],[1,3]] one-sided = (16 + 1) / 70. */
	assert_close(diag_fisher_greater(3, 4, 1, 4), 17.0 / 70, 1e-9);
	/* All lost against none lost, 10 each: 1 / C(20,10). */
	assert_close(diag_fisher_greater(10, 10, 0, 10), 1.0 / 184756, 1e-9);
	/* 5 of 20 against 0 of 20: C(20,5) / C(40,5). */
	assert_close(diag_fisher_greater(5, 20, 0, 20), 15504.0 / 658008, 1e-9);
	/* Row 1 not above the pooled rate: no evidence at all. */
	assert_true(diag_fisher_greater(1, 4, 3, 4) == 1.0);
	assert_true(diag_fisher_greater(2, 4, 2, 4) == 1.0);
	assert_true(diag_fisher_greater(5, 4, 0, 4) == 1.0);
	assert_true(diag_fisher_greater(0, 0, 0, 4) == 1.0);
}

static void
classify(const struct diag_hop *in, size_t n, bool reached,
    enum diag_kind *out, struct diag_summary *sum)
{
	diag_classify(in, n, reached, out, sum);
}

/* A router rate-limiting its time-exceeded: 90% lost there, none after. */
static void
test_rate_limit(void **state)
{
	const struct diag_hop in[] = { { 100, 100 }, { 100, 10 }, { 100, 100 },
	    { 100, 100 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_RATE_LIMIT);
	assert_int_equal(out[2], DIAG_NONE);
	assert_int_equal(out[3], DIAG_NONE);
	assert_int_equal(s.forwarding, -1);
	assert_int_equal(s.rate_limit, 1);
	assert_int_equal(s.n_rate_limit, 1);
	assert_int_equal(s.end, 3);
	assert_true(s.reached);
	assert_true(s.end_loss == 0.0);
	assert_string_equal(diag_kind_name(out[1]), "rate_limit");
	assert_null(diag_kind_name(out[0]));
}

/* 15% per direction on the link before hop 4: 28% from hop 4 on. */
static void
test_forwarding_inherited(void **state)
{
	const struct diag_hop in[] = { { 300, 300 }, { 300, 300 }, { 300, 299 },
	    { 300, 217 }, { 300, 216 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_NONE);
	assert_int_equal(out[2], DIAG_NONE);
	assert_int_equal(out[3], DIAG_FORWARDING);
	assert_int_equal(out[4], DIAG_INHERITED);
	assert_int_equal(s.forwarding, 3);
	assert_int_equal(s.rate_limit, -1);
	/* 84 of 300 lost at the end: 28%, +- 1.96 sqrt(.28 .72 / 300). */
	assert_close(s.end_loss, 0.28, 1e-12);
	assert_close(s.end_margin, 0.05080807, 1e-6);
	assert_string_equal(diag_kind_name(out[3]), "forwarding");
	assert_string_equal(diag_kind_name(out[4]), "inherited");
}

/* A rate limiter in front of real loss: each gets its own verdict. */
static void
test_rate_limit_then_forwarding(void **state)
{
	const struct diag_hop in[] = { { 100, 100 }, { 100, 10 }, { 100, 100 },
	    { 100, 70 }, { 100, 70 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), true, out, &s);
	assert_int_equal(out[1], DIAG_RATE_LIMIT);
	assert_int_equal(out[2], DIAG_NONE);
	assert_int_equal(out[3], DIAG_FORWARDING);
	assert_int_equal(out[4], DIAG_INHERITED);
	assert_int_equal(s.forwarding, 3);
	assert_int_equal(s.rate_limit, 1);
}

/* More loss further on is a second forwarding hop, not inherited. */
static void
test_second_forwarding(void **state)
{
	const struct diag_hop in[] = { { 200, 200 }, { 200, 180 },
	    { 200, 100 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_FORWARDING);
	assert_int_equal(out[2], DIAG_FORWARDING);
	assert_int_equal(s.forwarding, 1);
}

/* DIAG_MIN_SAMPLES is the line: 9 probes say nothing, 10 can. */
static void
test_min_samples(void **state)
{
	const struct diag_hop nine[] = { { 9, 0 }, { 10, 10 } };
	const struct diag_hop ten[] = { { 10, 0 }, { 10, 10 } };
	const struct diag_hop few_after[] = { { 10, 0 }, { 9, 9 } };
	enum diag_kind out[2];
	struct diag_summary s;

	(void)state;
	classify(nine, 2, true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	/* All 10 lost against none of 10: p = 1/C(20,10) = 5.4e-6 < 1e-3. */
	classify(ten, 2, true, out, &s);
	assert_int_equal(out[0], DIAG_RATE_LIMIT);
	assert_int_equal(out[1], DIAG_NONE);
	/* A later hop with too few probes is no evidence either way. */
	classify(few_after, 2, true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_NONE);
}

/* The 1% floor at the borderline: 2 of 10 lost is chance, 3 of 10 is not. */
static void
test_floor_borderline(void **state)
{
	const struct diag_hop two[] = { { 10, 8 } };
	const struct diag_hop three[] = { { 10, 7 } };
	enum diag_kind out[1];
	struct diag_summary s;

	(void)state;
	/* P(X >= 2 | 10, 1%) = 4.3e-3: not below 1e-3. */
	classify(two, 1, true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(s.forwarding, -1);
	/* P(X >= 3 | 10, 1%) = 1.1e-4. */
	classify(three, 1, true, out, &s);
	assert_int_equal(out[0], DIAG_FORWARDING);
	assert_int_equal(s.forwarding, 0);
}

/* Loss whose cause the counts cannot tell yet gets no verdict. */
static void
test_underpowered(void **state)
{
	/* 5/20 vs 0/20: Fisher p = 0.024, and the end shows no loss. */
	const struct diag_hop in[] = { { 20, 20 }, { 20, 15 }, { 20, 20 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), true, out, &s);
	assert_int_equal(out[1], DIAG_NONE);
	assert_int_equal(s.forwarding, -1);
	assert_int_equal(s.rate_limit, -1);
}

/* Unreached: the last answering hop ends the path; silent TTLs after it. */
static void
test_unreached_end(void **state)
{
	const struct diag_hop in[] = { { 50, 50 }, { 50, 30 }, { 50, 0 },
	    { 50, 0 } };
	enum diag_kind out[N_OF(in)];
	struct diag_summary s;

	(void)state;
	classify(in, N_OF(in), false, out, &s);
	assert_int_equal(s.end, 1);
	assert_false(s.reached);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_FORWARDING);
	assert_int_equal(out[2], DIAG_NONE);
	assert_int_equal(out[3], DIAG_NONE);
	assert_close(s.end_loss, 0.4, 1e-12);
}

/* Bonferroni: evidence enough against one later hop, not against five. */
static void
test_bonferroni(void **state)
{
	const struct diag_hop one[] = { { 12, 4 }, { 12, 12 } };
	const struct diag_hop many[] = { { 12, 4 }, { 12, 12 }, { 12, 12 },
	    { 12, 12 }, { 12, 12 }, { 12, 12 } };
	enum diag_kind out[N_OF(many)];
	struct diag_summary s;

	(void)state;
	/* 8 of 12 lost against none of 12: C(12,8) / C(24,8) = 6.7e-4. */
	assert_close(diag_fisher_greater(8, 12, 0, 12), 495.0 / 735471, 1e-9);
	classify(one, N_OF(one), true, out, &s);
	assert_int_equal(out[0], DIAG_RATE_LIMIT);
	/* Five later hops: each test must reach 1e-3 / 5 = 2e-4. */
	classify(many, N_OF(many), true, out, &s);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(s.rate_limit, -1);
}

static void
test_empty_and_silent(void **state)
{
	const struct diag_hop silent[] = { { 20, 0 }, { 20, 0 } };
	enum diag_kind out[2];
	struct diag_summary s;

	(void)state;
	classify(NULL, 0, false, out, &s);
	assert_int_equal(s.end, -1);
	assert_true(isnan(s.end_loss));
	classify(silent, 2, false, out, &s);
	assert_int_equal(s.end, -1);
	assert_int_equal(out[0], DIAG_NONE);
	assert_int_equal(out[1], DIAG_NONE);
}

static void
test_reply_rate(void **state)
{
	const double t[] = { 10.0, 11.0, 12.0, 13.0, 14.1 };
	const double same[] = { 1.0, 1.0, 1.0, 1.0 };

	(void)state;
	assert_close(diag_reply_rate(t, 4), 1.0, 1e-12);
	assert_close(diag_reply_rate(t, 5), 4 / 4.1, 1e-12);
	assert_true(isnan(diag_reply_rate(t, 3)));
	assert_true(isnan(diag_reply_rate(same, 4)));
}

/* The per-hop ring keeps the latest MODEL_REPLY_TIMES reply times. */
static void
test_hop_reply_rate_ring(void **state)
{
	struct hop h;
	int i;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_true(isnan(diag_hop_reply_rate(&h)));
	/* 10 replies a second for 4 s, then 1 a second: the old ones age out. */
	for (i = 0; i < 40; i++)
		model_hop_reply_time(&h, i * 0.1);
	assert_close(diag_hop_reply_rate(&h), 10.0, 1e-9);
	for (i = 1; i <= MODEL_REPLY_TIMES; i++)
		model_hop_reply_time(&h, 3.9 + i);
	assert_int_equal(h.reply_len, MODEL_REPLY_TIMES);
	assert_close(diag_hop_reply_rate(&h), 1.0, 1e-9);
}

static void
results(struct hop *h, const char *pattern)
{
	const char *p;

	/* '.' answered, 'x' lost. */
	for (p = pattern; *p != '\0'; p++) {
		if (*p == 'x')
			model_hop_lost(h);
		else {
			struct addr a;

			assert_int_equal(addr_pton("10.77.1.2", &a), 0);
			model_hop_reply(h, &a, 1.0, 1);
		}
	}
}

/* Bursts start at the threshold and end at half of it (hysteresis). */
static void
test_burst(void **state)
{
	struct hop h;
	double loss;

	(void)state;
	memset(&h, 0, sizeof(h));
	results(&h, "xxxxx");
	/* Fewer results than the window: no judgement yet. */
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), 0);
	results(&h, ".....");
	/* 5 of the last 10 lost: 50% starts it. */
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), 1);
	assert_close(loss, 50.0, 1e-12);
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), 0);
	/* xxxxx.....xx -> last 10: xxx.....xx = 5 lost: still on. */
	results(&h, "xx");
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), 0);
	/* Down to 3 of 10 lost (30%): above 25%, the burst goes on. */
	results(&h, "..");
	assert_close(loss, 50.0, 1e-12);
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), 0);
	assert_close(loss, 30.0, 1e-12);
	results(&h, ".");
	assert_int_equal(model_hop_burst(&h, 10, 50, &loss), -1);
	assert_close(loss, 20.0, 1e-12);
	/* 0% threshold turns bursts off. */
	assert_int_equal(model_hop_burst(&h, 10, 0, &loss), 0);
}

static void
setup_model(struct model *m, size_t ntraces)
{
	size_t i;

	assert_int_equal(model_init(m, ntraces), 0);
	for (i = 0; i < ntraces; i++) {
		m->traces[i].first_ttl = 1;
		m->traces[i].max_ttl = 10;
		assert_int_equal(model_trace_alloc_hops(&m->traces[i]), 0);
	}
}

/* Path changes, the destination TTL, unreachables, sends: what is logged. */
static void
test_events_logged(void **state)
{
	struct model m;
	struct timespec when = { 1700000000, 0 };
	struct model_event out[8];
	struct hop *h;
	struct addr a, b;
	size_t n;

	(void)state;
	setup_model(&m, 2);
	assert_int_equal(addr_pton("10.77.3.2", &a), 0);
	assert_int_equal(addr_pton("10.77.5.2", &b), 0);
	h = model_hop(&m.traces[0], 3);
	/* The first responder is discovery, not a change. */
	model_hop_reply(h, &a, 1.0, 1);
	model_note_reply(&m, 0, h, &a, 1.0, &when);
	model_hop_reply(h, &a, 1.0, 2);
	model_note_reply(&m, 0, h, &a, 2.0, &when);
	assert_int_equal(model_event_end(&m) - model_event_first(&m), 0);
	/* A new one is logged with the old and new addresses. */
	model_hop_reply(h, &b, 1.0, 3);
	model_note_reply(&m, 0, h, &b, 3.0, &when);
	/* Back to a known responder: no new event. */
	model_hop_reply(h, &a, 1.0, 4);
	model_note_reply(&m, 0, h, &a, 4.0, &when);
	/* Destination TTL: learned (silent), then changed (logged). */
	m.traces[0].dst = b;
	m.traces[0].reached = true;
	m.traces[0].dest_ttl = 7;
	model_note_dest(&m, 0, &when);
	/* Closer, where nothing answered before: discovery, not logged. */
	model_hop_reply(model_hop(&m.traces[0], 5), &b, 1.0, 5);
	m.traces[0].dest_ttl = 5;
	model_note_dest(&m, 0, &when);
	/* Closer, where a router answered before: the path got shorter. */
	model_hop_reply(model_hop(&m.traces[0], 4), &a, 1.0, 5);
	model_hop_reply(model_hop(&m.traces[0], 4), &b, 1.0, 6);
	m.traces[0].dest_ttl = 4;
	model_note_dest(&m, 0, &when);
	model_note_dest(&m, 0, &when);
	/* An unreachable code once, not per probe; a send error on trace 1. */
	model_note_unreach(&m, 0, h, &b, 1, &when);
	h->unreach_code = 1;
	model_note_unreach(&m, 0, h, &b, 1, &when);
	model_note_send(&m, 1, 101, &when);
	model_note_send(&m, 1, 0, &when);

	n = model_events_copy(&m, 0, out, N_OF(out));
	assert_int_equal(n, 3);
	assert_int_equal(out[0].kind, MODEL_EV_RESPONDER);
	assert_int_equal(out[0].ttl, 3);
	assert_true(addr_equal(&out[0].old_addr, &a));
	assert_true(addr_equal(&out[0].new_addr, &b));
	assert_int_equal(out[1].kind, MODEL_EV_DEST_TTL);
	assert_int_equal(out[1].old_ttl, 5);
	assert_int_equal(out[1].new_ttl, 4);
	assert_int_equal(out[1].ttl, 4);
	assert_int_equal(out[2].kind, MODEL_EV_UNREACH);
	assert_int_equal(out[2].code, 1);
	assert_true(out[0].seq < out[1].seq && out[1].seq < out[2].seq);
	n = model_events_copy(&m, 1, out, N_OF(out));
	assert_int_equal(n, 2);
	assert_int_equal(out[0].kind, MODEL_EV_SEND_ERROR);
	assert_int_equal(out[0].code, 101);
	assert_int_equal(out[1].kind, MODEL_EV_SEND_OK);
	/* Only the latest fit when the caller has less room. */
	n = model_events_copy(&m, 0, out, 1);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].kind, MODEL_EV_UNREACH);
	model_free(&m);
}

/* A destination further away than before is always a path change. */
static void
test_dest_longer(void **state)
{
	struct model m;
	struct timespec when = { 1, 0 };
	struct model_event out[2];

	(void)state;
	setup_model(&m, 1);
	m.traces[0].reached = true;
	m.traces[0].dest_ttl = 3;
	model_note_dest(&m, 0, &when);
	m.traces[0].dest_ttl = 6;
	model_note_dest(&m, 0, &when);
	assert_int_equal(model_events_copy(&m, 0, out, 2), 1);
	assert_int_equal(out[0].kind, MODEL_EV_DEST_TTL);
	assert_int_equal(out[0].old_ttl, 3);
	assert_int_equal(out[0].new_ttl, 6);
	/* A new hop array (protocol or TTL change) starts discovery afresh. */
	assert_int_equal(model_trace_alloc_hops(&m.traces[0]), 0);
	m.traces[0].dest_ttl = 2;
	model_note_dest(&m, 0, &when);
	assert_int_equal(model_events_copy(&m, 0, out, 2), 1);
	model_free(&m);
}

/* The ring keeps the latest MODEL_EVENTS events; older ones are gone. */
static void
test_events_bounded(void **state)
{
	struct model m;
	struct timespec when = { 1, 0 };
	uint64_t i, total = MODEL_EVENTS * 3 + 7;

	(void)state;
	setup_model(&m, 1);
	for (i = 0; i < total; i++)
		model_note_send(&m, 0, (int)i, &when);
	assert_int_equal(model_event_end(&m), total + 1);
	assert_int_equal(model_event_first(&m), total + 1 - MODEL_EVENTS);
	assert_null(model_event_get(&m, model_event_first(&m) - 1));
	assert_null(model_event_get(&m, total + 1));
	assert_int_equal(model_event_get(&m, total)->code, (int)total - 1);
	assert_int_equal(model_event_get(&m, model_event_first(&m))->code,
	    (int)(total - MODEL_EVENTS));
	model_free(&m);
}

/* A burst at a hop reaches the log through the timeout hook. */
static void
test_burst_events(void **state)
{
	struct model m;
	struct timespec when = { 1, 0 };
	struct model_event out[4];
	struct hop *h;
	int i;

	(void)state;
	setup_model(&m, 1);
	m.burst_pct = 40;
	m.burst_window = 5;
	h = model_hop(&m.traces[0], 2);
	results(h, ".....");
	for (i = 0; i < 2; i++) {
		model_hop_lost(h);
		model_note_lost(&m, 0, h, &when);
	}
	assert_int_equal(model_events_copy(&m, 0, out, 4), 1);
	assert_int_equal(out[0].kind, MODEL_EV_BURST_START);
	assert_int_equal(out[0].ttl, 2);
	assert_close(out[0].loss_pct, 40.0, 1e-12);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binom_sf_exact),
		cmocka_unit_test(test_fisher_exact),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_forwarding_inherited),
		cmocka_unit_test(test_rate_limit_then_forwarding),
		cmocka_unit_test(test_second_forwarding),
		cmocka_unit_test(test_min_samples),
		cmocka_unit_test(test_floor_borderline),
		cmocka_unit_test(test_underpowered),
		cmocka_unit_test(test_unreached_end),
		cmocka_unit_test(test_bonferroni),
		cmocka_unit_test(test_empty_and_silent),
		cmocka_unit_test(test_reply_rate),
		cmocka_unit_test(test_hop_reply_rate_ring),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_events_logged),
		cmocka_unit_test(test_dest_longer),
		cmocka_unit_test(test_events_bounded),
		cmocka_unit_test(test_burst_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
