/*
 * Unit tests for src/compare.c: grouping traces by target, Fisher's exact
 * test, where paths diverge, which protocols reach, where loss differs
 * after the Bonferroni correction, and the text and JSON summaries. Every
 * expected number is worked out by hand in the comment above its test.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"
#include "report.h"

static void
trace_setup(struct trace *t, const char *target, const char *dst,
    enum proto proto, uint16_t port, int max_ttl)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->target, sizeof(t->target), "%s", target);
	assert_int_equal(addr_pton(dst, &t->dst), 0);
	t->family = t->dst.family;
	t->proto = proto;
	t->port = port;
	t->first_ttl = 1;
	t->max_ttl = max_ttl;
	assert_int_equal(model_trace_alloc_hops(t), 0);
}

/* n probes at ttl: each answered by `from`, or lost when from is NULL. */
static void
probes(struct trace *t, int ttl, const char *from, unsigned n)
{
	struct hop *h = model_hop(t, ttl);
	struct addr a;
	unsigned i;

	assert_non_null(h);
	if (from != NULL)
		assert_int_equal(addr_pton(from, &a), 0);
	for (i = 0; i < n; i++) {
		model_hop_sent(h);
		if (from != NULL)
			model_hop_reply(h, &a, 1.0 + i, i + 1);
		else
			model_hop_lost(h);
	}
	if (ttl > t->last_ttl)
		t->last_ttl = ttl;
}

static void
reach(struct trace *t, int ttl)
{
	t->reached = true;
	t->dest_ttl = ttl;
}

/*
 * What a drop_echo destination gives with --protocol icmp,tcp -c 10:
 * trace 0 (ICMP): TTL 1 10.77.1.2 and TTL 2 10.77.2.2 answer 10 of 10,
 *   TTL 3..7 lose 10 of 10; not reached.
 * trace 1 (TCP 80): the same two routers, then 10.77.3.2 answers 10 of
 *   10 at TTL 3; reached at TTL 3.
 */
static void
drop_echo_model(struct model *m)
{
	int ttl;

	assert_int_equal(model_init(m, 2), 0);
	trace_setup(&m->traces[0], "lab", "10.77.3.2", PROTO_ICMP, 0, 30);
	trace_setup(&m->traces[1], "lab", "10.77.3.2", PROTO_TCP, 80, 30);
	probes(&m->traces[0], 1, "10.77.1.2", 10);
	probes(&m->traces[0], 2, "10.77.2.2", 10);
	for (ttl = 3; ttl <= 7; ttl++)
		probes(&m->traces[0], ttl, NULL, 10);
	probes(&m->traces[1], 1, "10.77.1.2", 10);
	probes(&m->traces[1], 2, "10.77.2.2", 10);
	probes(&m->traces[1], 3, "10.77.3.2", 10);
	reach(&m->traces[1], 3);
}

static void
compare_model(const struct model *m, struct compare *c)
{
	const struct trace *t[2] = { &m->traces[0], &m->traces[1] };

	compare_init(c, t, 2);
}

static char *
capture(void (*fn)(FILE *, const struct model *), const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, m);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * Traces 0, 1 and 3 probe "a" (10.0.0.1), trace 2 probes "b"; trace 4 is
 * "a" again but resolved to another address, so it stands alone.
 */
static void
test_group(void **state)
{
	struct trace t[5];
	size_t idx[COMPARE_MAX];
	int i;

	(void)state;
	trace_setup(&t[0], "a", "10.0.0.1", PROTO_ICMP, 0, 4);
	trace_setup(&t[1], "a", "10.0.0.1", PROTO_TCP, 80, 4);
	trace_setup(&t[2], "b", "10.0.0.2", PROTO_ICMP, 0, 4);
	trace_setup(&t[3], "a", "10.0.0.1", PROTO_UDP, 33434, 4);
	trace_setup(&t[4], "a", "10.0.0.9", PROTO_UDP, 33434, 4);
	assert_int_equal(compare_group(t, 5, 0, idx, COMPARE_MAX), 3);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(idx[2], 3);
	assert_int_equal(compare_group(t, 5, 3, idx, COMPARE_MAX), 3);
	assert_int_equal(idx[0], 0);
	assert_int_equal(compare_group(t, 5, 2, idx, COMPARE_MAX), 1);
	assert_int_equal(idx[0], 2);
	assert_int_equal(compare_group(t, 5, 4, idx, COMPARE_MAX), 1);
	/* Room for two: the first two members only. */
	assert_int_equal(compare_group(t, 5, 0, idx, 2), 2);
	assert_true(compare_group_first(t, 5, 0));
	assert_false(compare_group_first(t, 5, 1));
	assert_true(compare_group_first(t, 5, 2));
	assert_false(compare_group_first(t, 5, 3));
	assert_true(compare_group_first(t, 5, 4));
	assert_false(compare_group_first(t, 5, 5));
	for (i = 0; i < 5; i++)
		free(t[i].hops);
}

/*
 * Hypergeometric tables, population 20 split 10/10 unless said otherwise:
 *  10 of 10 lost against 0 of 10: only x=0 and x=10 are as unlikely,
 *    each 1/C(20,10) = 1/184756: p = 2/184756 = 1.0825e-5.
 *  3 of 10 against 0 of 10: P(x) = C(3,x)C(17,10-x)/C(20,10) gives
 *    19448, 72930, 72930, 19448 over 184756; x=0 and x=3 are the
 *    unlikely ones: p = 38896/184756 = 0.210526.
 *  5 of 5 against 0 of 3: the table x=5 has C(8,5)^-1 = 1/56; x=2,3,4
 *    have 10/56, 30/56, 15/56: p = 1/56 = 0.017857.
 *  No loss anywhere, or nothing done: p = 1.
 */
static void
test_fisher(void **state)
{
	(void)state;
	assert_float_equal(compare_fisher(10, 10, 0, 10), 2.0 / 184756, 1e-12);
	assert_float_equal(compare_fisher(0, 10, 10, 10), 2.0 / 184756, 1e-12);
	assert_float_equal(compare_fisher(3, 10, 0, 10), 38896.0 / 184756, 1e-9);
	assert_float_equal(compare_fisher(5, 5, 0, 3), 1.0 / 56, 1e-9);
	assert_float_equal(compare_fisher(0, 3, 5, 5), 1.0 / 56, 1e-9);
	assert_float_equal(compare_fisher(0, 10, 0, 10), 1, 1e-12);
	assert_float_equal(compare_fisher(4, 4, 7, 7), 1, 1e-12);
	assert_float_equal(compare_fisher(0, 0, 3, 5), 1, 1e-12);
	/* Equal loss rates: the observed table is the likeliest, p = 1. */
	assert_float_equal(compare_fisher(5, 10, 5, 10), 1, 1e-9);
	/* Large counts stay finite and tiny: 1000 of 1000 against 0 of 1000. */
	assert_true(compare_fisher(1000, 1000, 0, 1000) < 1e-100);
}

static double
lchoose(double n, double k)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/* Fisher's test by its definition: every table, each from lgamma. */
static double
fisher_by_definition(unsigned la, unsigned na, unsigned lb, unsigned nb)
{
	double k = la + lb, n = na + nb, obs, l, p = 0, x;

	if (k == 0 || k == n)
		return 1;
	obs = lchoose(k, la) + lchoose(n - k, na - la) - lchoose(n, na);
	for (x = k > nb ? k - nb : 0; x <= (k < na ? k : na); x++) {
		l = lchoose(k, x) + lchoose(n - k, na - x) - lchoose(n, na);
		if (l <= obs + 1e-7)
			p += exp(l);
	}
	return p > 1 ? 1 : p;
}

/*
 * The walk from the mode (with bisection and early stopping) gives what
 * summing every table gives, for every table up to 14 probes a side and
 * a few large ones, where only the sum's tail is cut.
 */
static void
test_fisher_definition(void **state)
{
	unsigned na, nb, la, lb;
	double want;

	(void)state;
	for (na = 1; na <= 14; na++)
		for (nb = 1; nb <= 14; nb++)
			for (la = 0; la <= na; la++)
				for (lb = 0; lb <= nb; lb++) {
					want = fisher_by_definition(la, na, lb, nb);
					assert_float_equal(compare_fisher(la, na,
					    lb, nb), want, want * 1e-9);
				}
	want = fisher_by_definition(130, 1000, 170, 1100);
	assert_float_equal(compare_fisher(130, 1000, 170, 1100), want,
	    want * 1e-9);
	want = fisher_by_definition(2, 3000, 19, 2500);
	assert_float_equal(compare_fisher(2, 3000, 19, 2500), want,
	    want * 1e-9);
}

/*
 * The drop_echo model: rows 1..7 (ICMP shows up to 7), three TTLs both
 * traces show, so three tests; TTL 3 p = 1.0825e-5, times 3 is far
 * below 0.05. ICMP silent where TCP answers at TTL 3; TTLs 4..7 belong to
 * ICMP alone and flag nothing.
 */
static void
test_drop_echo(void **state)
{
	struct model m;
	struct compare c;
	unsigned mask = 99;
	int ttl;

	(void)state;
	drop_echo_model(&m);
	compare_model(&m, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.first_ttl, 1);
	assert_int_equal(c.last_ttl, 7);
	assert_int_equal(c.diverge_ttl, 0);
	assert_int_equal(c.ntests, 3);
	assert_int_equal(compare_ttl(&c, 1, &mask), 0);
	assert_int_equal(mask, 0);
	assert_int_equal(compare_ttl(&c, 2, NULL), 0);
	assert_int_equal(compare_ttl(&c, 3, &mask),
	    COMPARE_REPLY | COMPARE_LOSS);
	assert_int_equal(mask, 3);
	for (ttl = 4; ttl <= 7; ttl++)
		assert_int_equal(compare_ttl(&c, ttl, &mask), 0);
	assert_float_equal(compare_loss_p(&c, 0, 1, 3), 2.0 / 184756, 1e-12);
	assert_true(compare_loss_differs(&c, 0, 1, 3));
	assert_false(compare_loss_differs(&c, 0, 1, 2));
	assert_true(isnan(compare_loss_p(&c, 0, 1, 4)));
	assert_true(compare_shows(&m.traces[0], 7));
	assert_false(compare_shows(&m.traces[1], 4));
	model_free(&m);
}

/*
 * UDP against ICMP: TTL 1 both 10.0.1.1; TTL 2 ICMP 10.0.2.1, UDP
 * 10.0.9.1 (never seen by ICMP): paths diverge at TTL 2. TTL 3 they
 * agree again, but the first divergence is what counts.
 */
static void
test_diverge(void **state)
{
	struct trace a, b;
	const struct trace *t[2] = { &a, &b };
	struct compare c;

	(void)state;
	trace_setup(&a, "x", "10.0.3.1", PROTO_ICMP, 0, 8);
	trace_setup(&b, "x", "10.0.3.1", PROTO_UDP, 33434, 8);
	probes(&a, 1, "10.0.1.1", 4);
	probes(&b, 1, "10.0.1.1", 4);
	probes(&a, 2, "10.0.2.1", 4);
	probes(&b, 2, "10.0.9.1", 4);
	probes(&a, 3, "10.0.3.1", 4);
	probes(&b, 3, "10.0.3.1", 4);
	reach(&a, 3);
	reach(&b, 3);
	compare_init(&c, t, 2);
	assert_int_equal(c.diverge_ttl, 2);
	assert_int_equal(compare_ttl(&c, 2, NULL), COMPARE_PATH);
	assert_int_equal(compare_ttl(&c, 3, NULL), 0);
	assert_int_equal(c.ntests, 3);
	free(a.hops);
	free(b.hops);
}

/*
 * ECMP seen by both in another order is no divergence: at TTL 2 ICMP
 * hears 10.0.2.1 three times and 10.0.2.2 once, UDP the reverse.
 */
static void
test_ecmp_not_diverge(void **state)
{
	struct trace a, b;
	const struct trace *t[2] = { &a, &b };
	struct compare c;

	(void)state;
	trace_setup(&a, "x", "10.0.3.1", PROTO_ICMP, 0, 8);
	trace_setup(&b, "x", "10.0.3.1", PROTO_UDP, 33434, 8);
	probes(&a, 1, "10.0.1.1", 4);
	probes(&b, 1, "10.0.1.1", 4);
	probes(&a, 2, "10.0.2.1", 3);
	probes(&a, 2, "10.0.2.2", 1);
	probes(&b, 2, "10.0.2.2", 3);
	probes(&b, 2, "10.0.2.1", 1);
	compare_init(&c, t, 2);
	assert_int_equal(c.diverge_ttl, 0);
	assert_int_equal(compare_ttl(&c, 2, NULL), 0);
	free(a.hops);
	free(b.hops);
}

/*
 * Bonferroni: at TTL 3 a loses 5 of 5, b 0 of 3: p = 1/56 = 0.0179.
 * With TTLs 1..3 all testable that is 3 tests, 0.0536 >= 0.05: no
 * difference. When TTL 1 of b has a probe still in flight (nothing done)
 * only 2 tests remain, 0.0357 < 0.05: a difference.
 */
static void
test_bonferroni(void **state)
{
	struct trace a, b;
	const struct trace *t[2] = { &a, &b };
	struct compare c;

	(void)state;
	trace_setup(&a, "x", "10.0.3.1", PROTO_ICMP, 0, 8);
	trace_setup(&b, "x", "10.0.3.1", PROTO_TCP, 80, 8);
	probes(&a, 1, "10.0.1.1", 5);
	probes(&a, 2, "10.0.2.1", 5);
	probes(&a, 3, NULL, 5);
	probes(&b, 1, "10.0.1.1", 3);
	probes(&b, 2, "10.0.2.1", 3);
	probes(&b, 3, "10.0.3.1", 3);
	reach(&b, 3);
	a.last_ttl = 3;
	compare_init(&c, t, 2);
	assert_int_equal(c.ntests, 3);
	assert_float_equal(compare_loss_p(&c, 0, 1, 3), 1.0 / 56, 1e-9);
	assert_false(compare_loss_differs(&c, 0, 1, 3));
	assert_int_equal(compare_ttl(&c, 3, NULL), COMPARE_REPLY);

	free(b.hops);
	trace_setup(&b, "x", "10.0.3.1", PROTO_TCP, 80, 8);
	model_hop_sent(model_hop(&b, 1));
	probes(&b, 2, "10.0.2.1", 3);
	probes(&b, 3, "10.0.3.1", 3);
	reach(&b, 3);
	compare_init(&c, t, 2);
	assert_int_equal(c.ntests, 2);
	assert_true(compare_loss_differs(&c, 0, 1, 3));
	assert_int_equal(compare_ttl(&c, 3, NULL),
	    COMPARE_REPLY | COMPARE_LOSS);
	free(a.hops);
	free(b.hops);
}

static void
test_label(void **state)
{
	struct trace t;
	char buf[COMPARE_LABEL_MAX];

	(void)state;
	memset(&t, 0, sizeof(t));
	t.proto = PROTO_ICMP;
	assert_string_equal(compare_label(&t, buf, sizeof(buf)), "icmp");
	t.proto = PROTO_UDP;
	t.port = 33434;
	assert_string_equal(compare_label(&t, buf, sizeof(buf)), "udp:33434");
	t.proto = PROTO_TCP;
	t.port = 443;
	assert_string_equal(compare_label(&t, buf, sizeof(buf)), "tcp:443");
}

/* The text summary of the drop_echo model, line by line (numbers above). */
static void
test_text(void **state)
{
	struct model m;
	char *out;

	(void)state;
	drop_echo_model(&m);
	out = capture(compare_write_text, &m);
	assert_string_equal(out,
	    "\nCOMPARE lab (10.77.3.2): TRACE 1 icmp, TRACE 2 tcp:80\n"
	    "  paths:       the same at every TTL where they answer\n"
	    "  reached:     tcp:80 at TTL 3\n"
	    "  not reached: icmp\n"
	    "  loss:        differs at TTL 3: icmp 100.0% (10 of 10), "
	    "tcp:80 0.0% (0 of 10), p=1.1e-05\n");
	free(out);
	model_free(&m);
}

/* The JSON member of the same model, then nothing for lone traces. */
static void
test_json(void **state)
{
	struct model m;
	char *out;

	(void)state;
	drop_echo_model(&m);
	out = capture(compare_write_json, &m);
	assert_string_equal(out,
	    ",\n  \"comparisons\": [\n"
	    "    {\"traces\": [0, 1], \"diverge\": null, \"reached\": [1], "
	    "\"not_reached\": [0],\n"
	    "     \"loss_tests\": 3, \"loss_differs\": [{\"ttl\": 3, "
	    "\"traces\": [0, 1], \"loss_pct\": [100.000, 0.000], "
	    "\"p\": 1.08e-05}]}\n  ]");
	free(out);
	/* Another target for the second trace: nothing to compare. */
	snprintf(m.traces[1].target, sizeof(m.traces[1].target), "other");
	out = capture(compare_write_json, &m);
	assert_string_equal(out, "");
	free(out);
	out = capture(compare_write_text, &m);
	assert_string_equal(out, "");
	free(out);
	model_free(&m);
}

/*
 * The whole JSON report: every trace in the order given, the comparison
 * after them, and a document that still closes properly.
 */
static void
test_report_json(void **state)
{
	struct model m;
	char *buf = NULL, *a, *b, *cmp;
	size_t len = 0;
	FILE *f;

	(void)state;
	drop_echo_model(&m);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(report_json(f, &m, NULL), 0);
	assert_int_equal(fclose(f), 0);
	a = strstr(buf, "\"protocol\": \"icmp\"");
	b = strstr(buf, "\"protocol\": \"tcp\"");
	cmp = strstr(buf, "\"comparisons\": [");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(cmp);
	assert_true(a < b && b < cmp);
	assert_non_null(strstr(buf, "\"p\": 1.08e-05}]}\n  ]\n}\n"));
	free(buf);
	model_free(&m);
}

/* The text report puts the summary after the last trace's block. */
static void
test_report_text(void **state)
{
	struct model m;
	char *buf = NULL, *t2, *cmp;
	size_t len = 0;
	FILE *f;

	(void)state;
	drop_echo_model(&m);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(report_text(f, &m, NULL), 0);
	assert_int_equal(fclose(f), 0);
	t2 = strstr(buf, "TRACE 2: lab (10.77.3.2) tcp port 80");
	cmp = strstr(buf, "\nCOMPARE lab (10.77.3.2): TRACE 1 icmp, TRACE 2 "
	    "tcp:80\n");
	assert_non_null(t2);
	assert_non_null(cmp);
	assert_true(t2 < cmp);
	assert_non_null(strstr(cmp, "  not reached: icmp\n"));
	free(buf);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_fisher),
		cmocka_unit_test(test_fisher_definition),
		cmocka_unit_test(test_drop_echo),
		cmocka_unit_test(test_diverge),
		cmocka_unit_test(test_ecmp_not_diverge),
		cmocka_unit_test(test_bonferroni),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
