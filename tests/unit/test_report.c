/*
 * Unit tests for src/report.c and src/sanitize.c. A small model is built by
 * hand; the statistics each hop must show are worked out in the comments of
 * build_model() and asserted as exact text.
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "report.h"
#include "sanitize.h"

/* Output captured in memory; free with free(). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void
capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *
capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static void
set_addr(struct addr *a, const char *s)
{
	assert_int_equal(addr_pton(s, a), 0);
}

static void
reply(struct hop *h, const char *from, double rtt, uint64_t round)
{
	struct addr a;

	set_addr(&a, from);
	model_hop_reply(h, &a, rtt, round);
}

/*
 * Trace 0: "lab-dst" 10.77.3.2, ICMP, reached at TTL 3 (TTLs 4-5 were
 * probed but the report must stop at the destination).
 *  TTL 1: 2 sent, 2 lost: loss 100.0, every time null.
 *  TTL 2: 10.77.2.1 answers 1.0 then 3.0, 10.77.9.2 (ECMP) answers 2.0.
 *         RTTs 1,3,2: last 2, avg 2, best 1, worst 3, sample stdev
 *         sqrt(((1-2)^2 + (3-2)^2 + 0) / 2) = 1, gmean 6^(1/3) = 1.817,
 *         jitter |2-3| = 1, Javg (0+2+1)/3 = 1, Jmax 2,
 *         Jint 2/16 = 0.125 then 0.125 + (1-0.125)/16 = 0.1797,
 *         sorted 1,2,3: p50 2, p90 2.8, p95 2.9, p99 2.98.
 *  TTL 3: 10.77.3.2 answers 4.0 then 6.0: last 6, avg 5, best 4, worst 6,
 *         stdev sqrt(2) = 1.414, gmean sqrt(24) = 4.899, jitter 2,
 *         Javg (0+2)/2 = 1, Jmax 2, Jint 2/16 = 0.125,
 *         p50 5, p90 5.8, p95 5.9, p99 5.98.
 * Trace 1: "v6.example" 2001:db8::3, TCP 443, not reached, last TTL 2.
 *  TTL 1: 2001:db8::1 answers 0.5 once, 2 lost: loss 2/3 = 66.667,
 *         stdev 0 (one reply), jitter 0; an unreachable code 1 was seen.
 *  TTL 2: 3 sent, 2 lost, one still in flight: loss 100.0, times null.
 */
static void
build_model(struct model *m)
{
	struct trace *t;
	struct hop *h;
	int i;

	assert_int_equal(model_init(m, 2), 0);
	m->started.tv_sec = 1700000000;	/* 2023-11-14T22:13:20Z */
	m->started.tv_nsec = 123456789;
	m->finished.tv_sec = 1700000010;
	m->finished.tv_nsec = 5000000;
	m->interval = 1.0;

	t = &m->traces[0];
	snprintf(t->target, sizeof(t->target), "lab-dst");
	set_addr(&t->dst, "10.77.3.2");
	t->family = AF_INET;
	t->proto = PROTO_ICMP;
	t->first_ttl = 1;
	t->max_ttl = 30;
	assert_int_equal(model_trace_alloc_hops(t), 0);
	t->reached = true;
	t->dest_ttl = 3;
	t->last_ttl = 5;
	t->rounds = 2;
	h = model_hop(t, 1);
	for (i = 0; i < 2; i++) {
		model_hop_sent(h);
		model_hop_lost(h);
	}
	h = model_hop(t, 2);
	for (i = 0; i < 3; i++)
		model_hop_sent(h);
	reply(h, "10.77.2.1", 1.0, 1);
	reply(h, "10.77.2.1", 3.0, 2);
	reply(h, "10.77.9.2", 2.0, 3);
	h->resp[0].n_mpls = 1;
	h->resp[0].mpls[0].label = 16;
	h->resp[0].mpls[0].tc = 0;
	h->resp[0].mpls[0].s = 1;
	h->resp[0].mpls[0].ttl = 1;
	h = model_hop(t, 3);
	model_hop_sent(h);
	model_hop_sent(h);
	reply(h, "10.77.3.2", 4.0, 1);
	reply(h, "10.77.3.2", 6.0, 2);
	model_hop_sent(model_hop(t, 4));
	model_hop_sent(model_hop(t, 5));

	t = &m->traces[1];
	snprintf(t->target, sizeof(t->target), "v6.example");
	set_addr(&t->dst, "2001:db8::3");
	t->family = AF_INET6;
	t->proto = PROTO_TCP;
	t->port = 443;
	t->first_ttl = 1;
	t->max_ttl = 30;
	assert_int_equal(model_trace_alloc_hops(t), 0);
	t->reached = false;
	t->last_ttl = 2;
	t->rounds = 3;
	h = model_hop(t, 1);
	for (i = 0; i < 3; i++)
		model_hop_sent(h);
	reply(h, "2001:db8::1", 0.5, 1);
	model_hop_lost(h);
	model_hop_lost(h);
	h->unreach_code = 1;
	h = model_hop(t, 2);
	for (i = 0; i < 3; i++)
		model_hop_sent(h);
	model_hop_lost(h);
	model_hop_lost(h);
}

/* ---- a strict JSON checker (RFC 8259), so validity is tested purely ---- */

struct jp {
	const char *s;
	int depth;
};

static bool jp_value(struct jp *p);

static void
jp_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static bool
jp_lit(struct jp *p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(p->s, lit, n) != 0)
		return false;
	p->s += n;
	return true;
}

static bool
jp_digits(struct jp *p)
{
	const char *start = p->s;

	while (*p->s >= '0' && *p->s <= '9')
		p->s++;
	return p->s > start;
}

static bool
jp_number(struct jp *p)
{
	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (*p->s < '1' || *p->s > '9' || !jp_digits(p))
		return false;
	if (*p->s == '.') {
		p->s++;
		if (!jp_digits(p))
			return false;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!jp_digits(p))
			return false;
	}
	return true;
}

static bool
jp_string(struct jp *p)
{
	const unsigned char *u;
	uint32_t cp;
	size_t n;
	int i;

	if (*p->s != '"')
		return false;
	p->s++;
	for (;;) {
		u = (const unsigned char *)p->s;
		if (*u == '"') {
			p->s++;
			return true;
		}
		if (*u < 0x20)
			return false;	/* raw control characters, NUL too */
		if (*u == '\\') {
			p->s++;
			if (*p->s == 'u') {
				for (i = 1; i <= 4; i++) {
					if (strchr("0123456789abcdefABCDEF",
					    p->s[i]) == NULL || p->s[i] == '\0')
						return false;
				}
				p->s += 5;
			} else if (*p->s != '\0' &&
			    strchr("\"\\/bfnrt", *p->s) != NULL)
				p->s++;
			else
				return false;
			continue;
		}
		n = sanitize_utf8_decode(u, strlen(p->s), &cp);
		if (n == 0)
			return false;
		p->s += n;
	}
}

static bool
jp_container(struct jp *p, char close, bool object)
{
	p->s++;
	if (++p->depth > 64)
		return false;
	jp_ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		jp_ws(p);
		if (object) {
			if (!jp_string(p))
				return false;
			jp_ws(p);
			if (*p->s != ':')
				return false;
			p->s++;
		}
		if (!jp_value(p))
			return false;
		jp_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s != close)
			return false;
		p->s++;
		p->depth--;
		return true;
	}
}

static bool
jp_value(struct jp *p)
{
	jp_ws(p);
	switch (*p->s) {
	case '{':
		return jp_container(p, '}', true);
	case '[':
		return jp_container(p, ']', false);
	case '"':
		return jp_string(p);
	case 't':
		return jp_lit(p, "true");
	case 'f':
		return jp_lit(p, "false");
	case 'n':
		return jp_lit(p, "null");
	default:
		return jp_number(p);
	}
}

/* True when s is exactly one JSON value (with surrounding whitespace). */
static bool
json_valid(const char *s)
{
	struct jp p = { .s = s, .depth = 0 };

	if (!jp_value(&p))
		return false;
	jp_ws(&p);
	return *p.s == '\0';
}

static void
test_json_checker_rejects(void **state)
{
	(void)state;
	/* The checker must be able to fail, or the tests below prove nothing. */
	assert_true(json_valid("{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\"]}"));
	assert_false(json_valid("{\"a\": nan}"));
	assert_false(json_valid("{\"a\": inf}"));
	assert_false(json_valid("[1, ]"));
	assert_false(json_valid("{\"a\" 1}"));
	assert_false(json_valid("\"raw\x1b[31m\""));
	assert_false(json_valid("\"bad \xff byte\""));
	assert_false(json_valid("\"bad \\x escape\""));
	assert_false(json_valid("01"));
	assert_false(json_valid("{} {}"));
}

/* ---- sanitize ---- */

static void
test_sanitize_controls(void **state)
{
	char buf[64];
	static const char in[] = "a\tb\nc\rd\x7f" "e\x1b[31mred\x1b[0m";
	size_t n;

	(void)state;
	n = sanitize_text(buf, sizeof(buf), in, sizeof(in) - 1);
	assert_string_equal(buf, "a?b?c?d?e?[31mred?[0m");
	assert_int_equal(n, strlen(buf));
	/* An embedded NUL inside srclen is replaced, not a terminator. */
	n = sanitize_text(buf, sizeof(buf), "ab\0cd", 5);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "ab?cd", 6);
}

static void
test_sanitize_utf8(void **state)
{
	char buf[64];
	/* é (C3 A9) and € (E2 82 AC) and 😀 (F0 9F 98 80) are kept. */
	static const char good[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	/* C1 CSI (C2 9B), RLO (E2 80 AE) and LRI (E2 81 A6) are unsafe. */
	static const char unsafe[] = "x\xc2\x9by\xe2\x80\xaez\xe2\x81\xa6";
	/* Lone continuation, overlong '/', surrogate, > U+10FFFF, cut seq. */
	static const char bad[] = "\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82";

	(void)state;
	sanitize_text(buf, sizeof(buf), good, sizeof(good) - 1);
	assert_string_equal(buf, good);
	sanitize_text(buf, sizeof(buf), unsafe, sizeof(unsafe) - 1);
	assert_string_equal(buf, "x?y?z?");
	sanitize_text(buf, sizeof(buf), bad, sizeof(bad) - 1);
	assert_string_equal(buf, "?|??|???|????|??");
}

static void
test_sanitize_truncates_at_boundary(void **state)
{
	char buf[8];
	char big[300];
	char out[64];
	size_t n, i;

	(void)state;
	/* "ab€€": 2 + 3 + 3 bytes; 8 bytes hold 7 plus NUL: "ab€" only. */
	n = sanitize_text(buf, sizeof(buf), "ab\xe2\x82\xac\xe2\x82\xac", 8);
	assert_int_equal(n, 5);
	assert_string_equal(buf, "ab\xe2\x82\xac");
	n = sanitize_text(buf, 1, "abc", 3);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
	buf[0] = 'z';
	assert_int_equal(sanitize_text(buf, 0, "abc", 3), 0);
	assert_int_equal(buf[0], 'z');

	/* A 300-byte hostile name: controls and é mixed, cut to 63 bytes. */
	for (i = 0; i < sizeof(big); i += 3) {
		big[i] = '\x1b';
		big[i + 1] = '\xc3';
		big[i + 2] = '\xa9';
	}
	n = sanitize_text(out, sizeof(out), big, sizeof(big));
	/* Each "?é" is 3 bytes; 21 of them fill 63 bytes exactly. */
	assert_int_equal(n, 63);
	for (i = 0; i < n; i++)
		assert_true((unsigned char)out[i] >= 0x20 &&
		    (unsigned char)out[i] != 0x7f);
	assert_int_equal(out[n], '\0');
	assert_int_equal(sanitize_width(out), 42);
}

static void
test_sanitize_width_prefix(void **state)
{
	(void)state;
	assert_int_equal(sanitize_width("ab\xe2\x82\xac" "c"), 4);
	assert_int_equal(sanitize_prefix("ab\xe2\x82\xac" "c", 2), 2);
	assert_int_equal(sanitize_prefix("ab\xe2\x82\xac" "c", 3), 5);
	assert_int_equal(sanitize_prefix("ab\xe2\x82\xac" "c", 99), 6);
	assert_int_equal(sanitize_prefix("abc", 0), 0);
}

/* ---- JSON ---- */

#define NULL_TIMES \
	"\"last_ms\": null, \"avg_ms\": null, \"best_ms\": null, " \
	"\"worst_ms\": null, \"stdev_ms\": null, \"gmean_ms\": null, " \
	"\"jitter_ms\": null, \"jitter_avg_ms\": null, " \
	"\"jitter_max_ms\": null, \"jitter_int_ms\": null, " \
	"\"p50_ms\": null, \"p90_ms\": null, \"p95_ms\": null, " \
	"\"p99_ms\": null"

/* The loss diagnosis of a hop without a finding (diag.h). */
#define LK "\"loss_kind\": null, \"reply_rate_per_s\": null"

static void
test_json_exact(void **state)
{
	struct model m;
	struct options o;
	struct capture c;
	char want[8192];
	char *got;

	(void)state;
	build_model(&m);
	memset(&o, 0, sizeof(o));
	snprintf(want, sizeof(want),
"{\n"
"  \"ntrace\": {\"version\": \"" PACKAGE_VERSION "\", "
"\"started\": \"2023-11-14T22:13:20.123Z\", "
"\"finished\": \"2023-11-14T22:13:30.005Z\", \"cycles\": 3, "
"\"interval_s\": 1.0},\n"
"  \"traces\": [\n"
"    {\"target\": \"lab-dst\", \"address\": \"10.77.3.2\", \"family\": 4, "
"\"protocol\": \"icmp\", \"port\": null, \"reached\": true,\n"
"     \"hops\": [\n"
"      {\"ttl\": 1, \"hosts\": [], \"sent\": 2, \"received\": 0, "
"\"loss_pct\": 100.0, " NULL_TIMES ", \"mpls\": [], \"unreachable\": null, " LK "},\n"
"      {\"ttl\": 2, \"hosts\": [{\"address\": \"10.77.2.1\", \"name\": null, "
"\"asn\": null}, {\"address\": \"10.77.9.2\", \"name\": null, \"asn\": null}], "
"\"sent\": 3, \"received\": 3, \"loss_pct\": 0.0, \"last_ms\": 2.000, "
"\"avg_ms\": 2.000, \"best_ms\": 1.000, \"worst_ms\": 3.000, "
"\"stdev_ms\": 1.000, \"gmean_ms\": 1.817, \"jitter_ms\": 1.000, "
"\"jitter_avg_ms\": 1.000, \"jitter_max_ms\": 2.000, "
"\"jitter_int_ms\": 0.180, \"p50_ms\": 2.000, \"p90_ms\": 2.800, "
"\"p95_ms\": 2.900, \"p99_ms\": 2.980, "
"\"mpls\": [{\"label\": 16, \"tc\": 0, \"s\": 1, \"ttl\": 1}], "
"\"unreachable\": null, " LK "},\n"
"      {\"ttl\": 3, \"hosts\": [{\"address\": \"10.77.3.2\", \"name\": null, "
"\"asn\": null}], \"sent\": 2, \"received\": 2, \"loss_pct\": 0.0, "
"\"last_ms\": 6.000, \"avg_ms\": 5.000, \"best_ms\": 4.000, "
"\"worst_ms\": 6.000, \"stdev_ms\": 1.414, \"gmean_ms\": 4.899, "
"\"jitter_ms\": 2.000, \"jitter_avg_ms\": 1.000, \"jitter_max_ms\": 2.000, "
"\"jitter_int_ms\": 0.125, \"p50_ms\": 5.000, \"p90_ms\": 5.800, "
"\"p95_ms\": 5.900, \"p99_ms\": 5.980, \"mpls\": [], "
"\"unreachable\": null, " LK "}\n"
"     ],\n     \"events\": []},\n"
"    {\"target\": \"v6.example\", \"address\": \"2001:db8::3\", \"family\": 6, "
"\"protocol\": \"tcp\", \"port\": 443, \"reached\": false,\n"
"     \"hops\": [\n"
"      {\"ttl\": 1, \"hosts\": [{\"address\": \"2001:db8::1\", \"name\": null, "
"\"asn\": null}], \"sent\": 3, \"received\": 1, \"loss_pct\": 66.667, "
"\"last_ms\": 0.500, \"avg_ms\": 0.500, \"best_ms\": 0.500, "
"\"worst_ms\": 0.500, \"stdev_ms\": 0.000, \"gmean_ms\": 0.500, "
"\"jitter_ms\": 0.000, \"jitter_avg_ms\": 0.000, \"jitter_max_ms\": 0.000, "
"\"jitter_int_ms\": 0.000, \"p50_ms\": 0.500, \"p90_ms\": 0.500, "
"\"p95_ms\": 0.500, \"p99_ms\": 0.500, \"mpls\": [], "
"\"unreachable\": \"%s\", " LK "},\n"
"      {\"ttl\": 2, \"hosts\": [], \"sent\": 3, \"received\": 0, "
"\"loss_pct\": 100.0, " NULL_TIMES ", \"mpls\": [], \"unreachable\": null, " LK "}\n"
"     ],\n     \"events\": []}\n"
"  ]\n"
"}\n", pkt_unreach_name(AF_INET6, 1));

	capture_open(&c);
	assert_int_equal(report_json(c.f, &m, &o), 0);
	got = capture_close(&c);
	assert_string_equal(got, want);
	assert_true(json_valid(got));
	free(got);
	model_free(&m);
}

static void
test_json_empty_and_unset(void **state)
{
	struct model m;
	struct trace *t;
	struct capture c;
	char *got;

	(void)state;
	/* A trace that never got a probe out: no hops, no times, no address. */
	assert_int_equal(model_init(&m, 1), 0);
	t = &m.traces[0];
	snprintf(t->target, sizeof(t->target), "nowhere");
	t->family = AF_INET;
	t->proto = PROTO_UDP;
	t->port = 33434;
	t->first_ttl = 1;
	t->max_ttl = 30;
	assert_int_equal(model_trace_alloc_hops(t), 0);
	capture_open(&c);
	assert_int_equal(report_json(c.f, &m, NULL), 0);
	got = capture_close(&c);
	assert_non_null(strstr(got, "\"started\": null, \"finished\": null, "
	    "\"cycles\": 0, \"interval_s\": 0.0}"));
	assert_non_null(strstr(got, "{\"target\": \"nowhere\", \"address\": null, "
	    "\"family\": 4, \"protocol\": \"udp\", \"port\": 33434, "
	    "\"reached\": false,\n     \"hops\": [],\n     \"events\": []}"));
	assert_true(json_valid(got));
	free(got);
	model_free(&m);
}

static void
test_json_no_nan(void **state)
{
	struct model m;
	struct capture c;
	char *got;

	(void)state;
	build_model(&m);
	/* Non-finite values, should stats ever hold them, print as null. */
	model_hop(&m.traces[0], 2)->st.best = INFINITY;
	model_hop(&m.traces[0], 2)->st.worst = NAN;
	capture_open(&c);
	assert_int_equal(report_json(c.f, &m, NULL), 0);
	got = capture_close(&c);
	assert_null(strstr(got, "nan"));
	assert_null(strstr(got, "inf"));
	assert_non_null(strstr(got, "\"best_ms\": null, \"worst_ms\": null"));
	assert_true(json_valid(got));
	free(got);
	model_free(&m);
}

static char *
json_string_of(const char *s)
{
	struct capture c;

	capture_open(&c);
	report_json_string(c.f, s);
	return capture_close(&c);
}

static void
test_json_string_escapes(void **state)
{
	char *got;

	(void)state;
	got = json_string_of("q\"b\\s/t\tn\ne\x1b[31m" "d\x7f" "c1\xc2\x9b"
	    "rlo\xe2\x80\xae" "ls\xe2\x80\xa8" "caf\xc3\xa9");
	assert_string_equal(got, "\"q\\\"b\\\\s/t\\u0009n\\u000ae\\u001b[31m"
	    "d\\u007fc1\\u009brlo\\u202els\\u2028caf\xc3\xa9\"");
	assert_true(json_valid(got));
	free(got);

	/* Invalid UTF-8 becomes U+FFFD per byte; valid text around it stays. */
	got = json_string_of("a\xff" "b\xc0\xaf" "c\xed\xa0\x80");
	assert_string_equal(got, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd"
	    "\\ufffd\"");
	assert_true(json_valid(got));
	free(got);

	got = json_string_of(NULL);
	assert_string_equal(got, "null");
	free(got);
}

static void
test_json_string_hostile_300(void **state)
{
	char name[301];
	char *got;
	size_t i;

	(void)state;
	/* Every byte value 1..255 appears, plus more controls at the end. */
	for (i = 0; i < 300; i++)
		name[i] = (char)(i % 255 + 1);
	name[300] = '\0';
	got = json_string_of(name);
	for (i = 0; got[i] != '\0'; i++) {
		assert_true((unsigned char)got[i] >= 0x20);
		assert_true((unsigned char)got[i] != 0x7f);
	}
	assert_true(json_valid(got));
	free(got);
}

/* ---- text report ---- */

/* Splits captured text into lines (in place); returns the count. */
static size_t
split_lines(char *s, char **lines, size_t max)
{
	size_t n = 0;
	char *nl;

	while (*s != '\0' && n < max) {
		lines[n++] = s;
		nl = strchr(s, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	return n;
}

static size_t
host_len(void)
{
	char host[256];

	if (gethostname(host, sizeof(host)) != 0)
		return strlen("localhost");
	host[sizeof(host) - 1] = '\0';
	return strlen(host);
}

#define TITLES " Loss%   Snt   Last   Avg  Best  Wrst StDev"

/* The header: "HOST: " and the host cut or padded to column 33, titles. */
static void
assert_header(const char *line, size_t column)
{
	assert_true(strncmp(line, "HOST: ", 6) == 0);
	assert_int_equal(strlen(line), column + strlen(TITLES));
	assert_string_equal(line + column, TITLES);
}

static void
test_text_two_traces(void **state)
{
	struct model m;
	struct options o;
	struct capture c;
	char *got, *l[32];
	size_t n;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	build_model(&m);
	memset(&o, 0, sizeof(o));
	o.mpls = true;
	capture_open(&c);
	assert_int_equal(report_text(c.f, &m, &o), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 32);
	assert_int_equal(n, 13);
	assert_string_equal(l[0], "Start: 2023-11-14T22:13:20+0000");
	assert_string_equal(l[1], "TRACE 1: lab-dst (10.77.3.2) icmp IPv4");
	assert_header(l[2], 33);
	assert_string_equal(l[3],
	    "  1.|-- ???                       100.0%     2    0.0   0.0   0.0   0.0   0.0");
	assert_string_equal(l[4],
	    "  2.|-- 10.77.2.1                  0.0%     3    2.0   2.0   1.0   3.0   1.0");
	assert_string_equal(l[5], "       [MPLS: Lbl 16 TC 0 S 1 TTL 1]");
	assert_string_equal(l[6], "    |  `|-- 10.77.9.2");
	/* The destination ends the block although TTLs 4 and 5 were probed. */
	assert_string_equal(l[7],
	    "  3.|-- 10.77.3.2                  0.0%     2    6.0   5.0   4.0   6.0   1.4");
	assert_string_equal(l[8], "");
	assert_string_equal(l[9],
	    "TRACE 2: v6.example (2001:db8::3) tcp port 443 IPv6");
	assert_header(l[10], 33);
	assert_string_equal(l[11],
	    "  1.|-- 2001:db8::1 !X            66.7%     3    0.5   0.5   0.5   0.5   0.0");
	/* Not reached: the last probed TTL ends the block. */
	assert_string_equal(l[12],
	    "  2.|-- ???                       100.0%     3    0.0   0.0   0.0   0.0   0.0");
	free(got);
	model_free(&m);
}

/* One trace with a long IPv6 responder, for -w and -o. */
static void
build_single(struct model *m)
{
	struct trace *t;
	struct hop *h;

	assert_int_equal(model_init(m, 1), 0);
	t = &m->traces[0];
	snprintf(t->target, sizeof(t->target), "far");
	set_addr(&t->dst, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
	t->family = AF_INET6;
	t->proto = PROTO_ICMP;
	t->first_ttl = 1;
	t->max_ttl = 1;
	assert_int_equal(model_trace_alloc_hops(t), 0);
	t->reached = true;
	t->dest_ttl = 1;
	t->last_ttl = 1;
	h = model_hop(t, 1);
	model_hop_sent(h);
	reply(h, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 0.5, 1);
}

static void
test_text_wide_and_order(void **state)
{
	struct model m;
	struct options o;
	struct capture c;
	char *got, *l[8];
	size_t n;

	(void)state;
	build_single(&m);
	memset(&o, 0, sizeof(o));

	/* mtr cuts the host column to 25 characters without -w. */
	capture_open(&c);
	assert_int_equal(report_text(c.f, &m, &o), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 8);
	assert_int_equal(n, 3);
	assert_true(strncmp(l[0], "Start: ", 7) == 0);
	assert_header(l[1], 33);
	assert_string_equal(l[2],
	    "  1.|-- 2001:db8:aaaa:bbbb:cccc:d  0.0%     1    0.5   0.5   0.5   0.5   0.0");
	free(got);

	/* -w: the whole address; fields move right to stay aligned. */
	o.wide = true;
	capture_open(&c);
	assert_int_equal(report_text(c.f, &m, &o), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 8);
	assert_int_equal(n, 3);
	assert_string_equal(l[2],
	    "  1.|-- 2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff  0.0%     1    0.5   0.5   0.5   0.5   0.0");
	/* Column 8 + 38 (or the host name); titles line up with values. */
	assert_header(l[1], 8 + (host_len() > 38 ? host_len() : 38));
	free(got);

	/* -o picks and orders the columns; a space is mtr's blank column. */
	o.wide = false;
	snprintf(o.order, sizeof(o.order), "RD N");
	capture_open(&c);
	assert_int_equal(report_text(c.f, &m, &o), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 8);
	assert_int_equal(n, 3);
	assert_string_equal(l[1] + 33, "   Rcv Drop   Last");
	assert_string_equal(l[2],
	    "  1.|-- 2001:db8:aaaa:bbbb:cccc:d     1    0    0.5");
	free(got);
	model_free(&m);
}

/* ---- CSV ---- */

#define CSV_HEADER "target,protocol,family,port,ttl,address,name,asn,sent," \
	"received,loss_pct,last_ms,avg_ms,best_ms,worst_ms,stdev_ms," \
	"gmean_ms,jitter_ms,jitter_avg_ms,jitter_max_ms,jitter_int_ms," \
	"p50_ms,p90_ms,p95_ms,p99_ms,unreachable"

/* Fields in an RFC 4180 record: commas outside quotes, plus one. */
static size_t
csv_fields(const char *line)
{
	size_t n = 1;
	bool quoted = false;

	for (; *line != '\0'; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (*line == ',' && !quoted)
			n++;
	}
	return n;
}

static void
test_csv_rows(void **state)
{
	struct model m;
	struct capture c;
	char *got, *l[16], want[512];
	size_t n, i;

	(void)state;
	build_model(&m);
	capture_open(&c);
	assert_int_equal(report_csv(c.f, &m, NULL), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 16);
	assert_int_equal(n, 7);
	assert_string_equal(l[0], CSV_HEADER);
	assert_string_equal(l[1], "lab-dst,icmp,4,,1,,,,2,0,100.0,,,,,,,,,,,,,,,");
	assert_string_equal(l[2], "lab-dst,icmp,4,,2,10.77.2.1,,,3,3,0.0,"
	    "2.000,2.000,1.000,3.000,1.000,1.817,1.000,1.000,2.000,0.180,"
	    "2.000,2.800,2.900,2.980,");
	/* The ECMP responder: same TTL, host columns only. */
	assert_string_equal(l[3], "lab-dst,icmp,4,,2,10.77.9.2,,,,,,,,,,,,,,,,,,,,");
	assert_string_equal(l[4], "lab-dst,icmp,4,,3,10.77.3.2,,,2,2,0.0,"
	    "6.000,5.000,4.000,6.000,1.414,4.899,2.000,1.000,2.000,0.125,"
	    "5.000,5.800,5.900,5.980,");
	snprintf(want, sizeof(want), "v6.example,tcp,6,443,1,2001:db8::1,,,"
	    "3,1,66.667,0.500,0.500,0.500,0.500,0.000,0.500,0.000,0.000,"
	    "0.000,0.000,0.500,0.500,0.500,0.500,%s",
	    pkt_unreach_name(AF_INET6, 1));
	assert_string_equal(l[5], want);
	assert_string_equal(l[6], "v6.example,tcp,6,443,2,,,,3,0,100.0,,,,,,,,,,,,,,,");
	for (i = 0; i < n; i++)
		assert_int_equal(csv_fields(l[i]), 26);
	free(got);
	model_free(&m);
}

static void
test_csv_quoting(void **state)
{
	struct model m;
	struct capture c;
	char *got, *l[16];
	size_t n;

	(void)state;
	build_model(&m);
	/* A target with a comma, quotes, a newline and an escape sequence. */
	snprintf(m.traces[1].target, sizeof(m.traces[1].target),
	    "a,\"b\"\nc\x1b[2J");
	capture_open(&c);
	assert_int_equal(report_csv(c.f, &m, NULL), 0);
	got = capture_close(&c);
	n = split_lines(got, l, 16);
	/* The newline became '?', so no record was split in two. */
	assert_int_equal(n, 7);
	assert_true(strncmp(l[5], "\"a,\"\"b\"\"?c?[2J\",tcp,6,443,1,", 27) == 0);
	assert_int_equal(csv_fields(l[5]), 26);
	free(got);
	model_free(&m);
}

/* ---- stream ---- */

static char *
stream_of(const struct model *m, const struct engine_probe_result *r)
{
	struct capture c;

	capture_open(&c);
	assert_int_equal(report_stream_probe(c.f, m, r), 0);
	return capture_close(&c);
}

static void
test_stream_lines(void **state)
{
	struct model m;
	struct engine_probe_result r;
	char want[512];
	char *got;

	(void)state;
	build_model(&m);
	memset(&r, 0, sizeof(r));
	r.trace = &m.traces[0];
	r.trace_index = 0;
	r.ttl = 3;
	r.round = 7;
	r.seq = 123;
	r.kind = PKT_ECHO_REPLY;
	set_addr(&r.from, "10.77.3.2");
	r.rtt_ms = 1.25;
	r.when.tv_sec = 1700000000;
	r.when.tv_nsec = 999999999;
	got = stream_of(&m, &r);
	assert_string_equal(got, "{\"type\":\"probe\",\"time\":"
	    "\"2023-11-14T22:13:20.999Z\",\"trace\":0,\"target\":\"lab-dst\","
	    "\"protocol\":\"icmp\",\"ttl\":3,\"round\":7,\"seq\":123,"
	    "\"result\":\"reached\",\"from\":\"10.77.3.2\",\"rtt_ms\":1.250,"
	    "\"unreachable\":null}\n");
	assert_true(json_valid(got));
	free(got);

	/* A time exceeded from a router is a plain reply. */
	r.ttl = 2;
	r.kind = PKT_TIME_EXCEEDED;
	set_addr(&r.from, "10.77.2.1");
	got = stream_of(&m, &r);
	assert_non_null(strstr(got, ",\"ttl\":2,"));
	assert_non_null(strstr(got, "\"result\":\"reply\",\"from\":\"10.77.2.1\","
	    "\"rtt_ms\":1.250,\"unreachable\":null}\n"));
	free(got);

	/* A timeout has no sender and no RTT, whatever the struct holds. */
	r.kind = PKT_NONE;
	r.rtt_ms = NAN;
	got = stream_of(&m, &r);
	assert_non_null(strstr(got, "\"result\":\"timeout\",\"from\":null,"
	    "\"rtt_ms\":null,\"unreachable\":null}\n"));
	assert_true(json_valid(got));
	free(got);

	/* An unreachable from a router names its code. */
	r.kind = PKT_UNREACH;
	r.code = 1;
	r.rtt_ms = 2.5;
	got = stream_of(&m, &r);
	snprintf(want, sizeof(want), "\"result\":\"unreachable\","
	    "\"from\":\"10.77.2.1\",\"rtt_ms\":2.500,\"unreachable\":\"%s\"}\n",
	    pkt_unreach_name(AF_INET, 1));
	assert_non_null(strstr(got, want));
	free(got);

	/* From the destination itself (UDP's port unreachable) it is reached. */
	r.code = 3;
	set_addr(&r.from, "10.77.3.2");
	got = stream_of(&m, &r);
	assert_non_null(strstr(got, "\"result\":\"reached\",\"from\":\"10.77.3.2\""));
	free(got);

	/* The second trace and its protocol; targets are escaped. */
	r.trace = &m.traces[1];
	r.trace_index = 1;
	r.kind = PKT_TCP_SYNACK;
	set_addr(&r.from, "2001:db8::3");
	snprintf(m.traces[1].target, sizeof(m.traces[1].target), "v6\x1b\"x");
	got = stream_of(&m, &r);
	assert_non_null(strstr(got, "\"trace\":1,\"target\":\"v6\\u001b\\\"x\","
	    "\"protocol\":\"tcp\","));
	assert_non_null(strstr(got, "\"result\":\"reached\",\"from\":\"2001:db8::3\""));
	assert_true(json_valid(got));
	free(got);
	model_free(&m);
}

/* ---- write errors ---- */

static void
test_write_error(void **state)
{
	struct model m;
	struct engine_probe_result r;
	FILE *f;

	(void)state;
	build_model(&m);
	memset(&r, 0, sizeof(r));
	r.trace = &m.traces[0];
	r.rtt_ms = NAN;
	/* /dev/full accepts the open and fails every write with ENOSPC. */
	f = fopen("/dev/full", "w");
	if (f == NULL)
		skip();
	assert_int_equal(report_json(f, &m, NULL), -1);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(report_text(f, &m, NULL), -1);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(report_csv(f, &m, NULL), -1);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(report_stream_probe(f, &m, &r), -1);
	fclose(f);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker_rejects),
		cmocka_unit_test(test_sanitize_controls),
		cmocka_unit_test(test_sanitize_utf8),
		cmocka_unit_test(test_sanitize_truncates_at_boundary),
		cmocka_unit_test(test_sanitize_width_prefix),
		cmocka_unit_test(test_json_exact),
		cmocka_unit_test(test_json_empty_and_unset),
		cmocka_unit_test(test_json_no_nan),
		cmocka_unit_test(test_json_string_escapes),
		cmocka_unit_test(test_json_string_hostile_300),
		cmocka_unit_test(test_text_two_traces),
		cmocka_unit_test(test_text_wide_and_order),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_stream_lines),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
