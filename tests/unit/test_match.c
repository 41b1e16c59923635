/*
 * Unit tests for reply matching (pkt_reply_matches) and the choice between
 * wall-clock and monotonic RTTs (ntime_pick_rtt).
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ntime.h"
#include "packet.h"

static struct pkt_probe
tmpl(int family, enum proto proto)
{
	struct pkt_probe t;

	memset(&t, 0, sizeof(t));
	t.family = family;
	t.proto = proto;
	assert_int_equal(addr_pton(family == AF_INET ? "10.77.5.2" : "fd77:5::2",
	    &t.dst), 0);
	t.ident = 0x4242;
	t.sport = 40000;
	t.dport = proto == PROTO_UDP ? 33434 : proto == PROTO_TCP ? 80 : 0;
	return t;
}

/* A reply that answers probe `seq` of t exactly. */
static struct pkt_reply
answer(const struct pkt_probe *t, uint16_t seq)
{
	struct pkt_reply r;

	memset(&r, 0, sizeof(r));
	r.kind = PKT_TIME_EXCEEDED;
	r.family = t->family;
	r.proto = t->proto;
	r.probe_dst = t->dst;
	r.ident = t->proto == PROTO_UDP ? 0 : t->ident;
	r.seq = seq;
	r.sport = t->sport;
	r.dport = t->dport;
	return r;
}

static void
test_exact_answers_match(void **state)
{
	int fam;
	enum proto p;

	(void)state;
	for (fam = 0; fam < 2; fam++) {
		for (p = PROTO_ICMP; p < PROTO_COUNT; p++) {
			struct pkt_probe t = tmpl(fam ? AF_INET6 : AF_INET, p);
			struct pkt_reply r = answer(&t, 7);

			assert_true(pkt_reply_matches(&t, 1, &r));
		}
	}
}

static void
test_other_tracers_rejected(void **state)
{
	struct pkt_probe t = tmpl(AF_INET, PROTO_ICMP);
	struct pkt_reply r;

	(void)state;
	/* Another ping or mtr: a different echo identifier. */
	r = answer(&t, 7);
	r.ident = 0x4243;
	assert_false(pkt_reply_matches(&t, 1, &r));
	/* Same identifier, another destination (another trace). */
	r = answer(&t, 7);
	assert_int_equal(addr_pton("10.77.6.2", &r.probe_dst), 0);
	assert_false(pkt_reply_matches(&t, 1, &r));
	/* Same numbers, other family or protocol. */
	r = answer(&t, 7);
	r.family = AF_INET6;
	assert_false(pkt_reply_matches(&t, 1, &r));
	r = answer(&t, 7);
	r.proto = PROTO_UDP;
	assert_false(pkt_reply_matches(&t, 1, &r));
}

static void
test_ports_and_flows(void **state)
{
	struct pkt_probe u = tmpl(AF_INET6, PROTO_UDP);
	struct pkt_probe c = tmpl(AF_INET, PROTO_TCP);
	struct pkt_reply r;

	(void)state;
	r = answer(&u, 9);
	r.dport = 33435;
	assert_false(pkt_reply_matches(&u, 1, &r));
	/* --vary-flow: source ports base .. base+15 belong to the trace. */
	r = answer(&u, 9);
	r.sport = 40015;
	assert_true(pkt_reply_matches(&u, 16, &r));
	assert_false(pkt_reply_matches(&u, 15, &r));
	r.sport = 39999;
	assert_false(pkt_reply_matches(&u, 16, &r));
	/* TCP needs the identifier in the sequence number too. */
	r = answer(&c, 9);
	r.ident = 1;
	assert_false(pkt_reply_matches(&c, 1, &r));
}

static void
test_impossible_sequence_numbers(void **state)
{
	struct pkt_probe t = tmpl(AF_INET, PROTO_UDP);
	struct pkt_reply r;

	(void)state;
	r = answer(&t, 0);
	assert_false(pkt_reply_matches(&t, 1, &r));
	r = answer(&t, 0xffff);
	assert_false(pkt_reply_matches(&t, 1, &r));
}

static void
test_rtt_choice(void **state)
{
	(void)state;
	/* Kernel stamps inside the user-space bound: believed. */
	assert_true(ntime_pick_rtt(1.234, 1.300) == 1.234);
	assert_true(ntime_pick_rtt(1.330, 1.300) == 1.330);
	/* Wall clock stepped back between send and receive. */
	assert_true(ntime_pick_rtt(-999.0, 1.3) == 1.3);
	/* Stepped forward: longer than the monotonic bound allows. */
	assert_true(ntime_pick_rtt(3601000.0, 1.3) == 1.3);
	/* NaN from a broken stamp never reaches the statistics. */
	assert_true(ntime_pick_rtt(NAN, 2.0) == 2.0);
	assert_true(ntime_pick_rtt(-1.0, -5.0) == 0.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_answers_match),
		cmocka_unit_test(test_other_tracers_rejected),
		cmocka_unit_test(test_ports_and_flows),
		cmocka_unit_test(test_impossible_sequence_numbers),
		cmocka_unit_test(test_rtt_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
