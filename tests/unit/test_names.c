/*
 * Unit tests for src/names.c: the bounded PTR/AS cache with an injected
 * clock, and the DNS answer parser fed hand-built messages.
 */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "names.h"

static struct addr
v4(const char *s)
{
	struct addr a;

	assert_int_equal(addr_pton(s, &a), 0);
	return a;
}

/* A string with no byte a terminal could act on and valid UTF-8. */
static void
assert_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		assert_true(*p >= 0x20);
		assert_true(*p != 0x7f);
	}
}

static void
test_insert_lookup(void **state)
{
	struct names *n = names_new(8);
	struct addr a = v4("10.77.9.2"), b = v4("10.77.9.3");

	(void)state;
	assert_non_null(n);
	assert_null(names_ptr(n, &a));
	assert_true(names_begin(n, &a, NAMES_PTR, 100.0));
	assert_true(names_pending(n, &a, NAMES_PTR));
	/* One query in flight per (address, kind): the second is refused. */
	assert_false(names_begin(n, &a, NAMES_PTR, 100.0));
	/* The other kind is separate. */
	assert_true(names_begin(n, &a, NAMES_ASN, 100.0));
	names_set_ptr(n, &a, "router9.lab.", 12, 3600, 100.0);
	assert_false(names_pending(n, &a, NAMES_PTR));
	/* The root's trailing dot is dropped. */
	assert_string_equal(names_ptr(n, &a), "router9.lab");
	assert_null(names_ptr(n, &b));
	assert_int_equal(names_count(n), 1);
	names_free(n);
}

static void
test_expiry_injected_clock(void **state)
{
	struct names *n = names_new(8);
	struct addr a = v4("192.0.2.1");

	(void)state;
	assert_true(names_begin(n, &a, NAMES_PTR, 1000.0));
	names_set_ptr(n, &a, "a.example", 9, 60, 1000.0);
	/* Fresh until 1000 + 60 = 1060. */
	assert_false(names_begin(n, &a, NAMES_PTR, 1059.9));
	assert_true(names_begin(n, &a, NAMES_PTR, 1060.0));
	/* The stale name stays on show while the refresh is pending. */
	assert_string_equal(names_ptr(n, &a), "a.example");
	names_set_ptr(n, &a, "b.example", 9, 1, 1060.0);
	assert_string_equal(names_ptr(n, &a), "b.example");
	/* A 1 s TTL is clamped up to NAMES_TTL_MIN = 10 s. */
	assert_false(names_begin(n, &a, NAMES_PTR, 1069.9));
	assert_true(names_begin(n, &a, NAMES_PTR, 1070.0));
	/* A week-long TTL is clamped down to a day. */
	names_set_ptr(n, &a, "c.example", 9, 7 * 86400, 2000.0);
	assert_false(names_begin(n, &a, NAMES_PTR, 2000.0 + 86399.0));
	assert_true(names_begin(n, &a, NAMES_PTR, 2000.0 + 86400.0));
	names_free(n);
}

static void
test_failure_cached_briefly(void **state)
{
	struct names *n = names_new(4);
	struct addr a = v4("198.51.100.7");

	(void)state;
	assert_true(names_begin(n, &a, NAMES_PTR, 50.0));
	names_fail(n, &a, NAMES_PTR, false, 50.0);
	assert_null(names_ptr(n, &a));
	/* Retried after NAMES_FAIL_TTL = 30 s, not before. */
	assert_false(names_begin(n, &a, NAMES_PTR, 79.0));
	assert_true(names_begin(n, &a, NAMES_PTR, 80.0));
	names_set_ptr(n, &a, "up.example", 10, 600, 80.0);
	/* A timeout on refresh keeps the stale name; NXDOMAIN drops it. */
	assert_true(names_begin(n, &a, NAMES_PTR, 700.0));
	names_fail(n, &a, NAMES_PTR, false, 700.0);
	assert_string_equal(names_ptr(n, &a), "up.example");
	assert_true(names_begin(n, &a, NAMES_PTR, 730.0));
	names_fail(n, &a, NAMES_PTR, true, 730.0);
	assert_null(names_ptr(n, &a));
	/* An empty PTR answer is a failure too. */
	assert_true(names_begin(n, &a, NAMES_PTR, 760.0));
	names_set_ptr(n, &a, ".", 1, 600, 760.0);
	assert_null(names_ptr(n, &a));
	assert_false(names_begin(n, &a, NAMES_PTR, 789.0));
	names_free(n);
}

static void
test_eviction_lru(void **state)
{
	struct names *n = names_new(3);
	struct addr a = v4("10.0.0.1"), b = v4("10.0.0.2"), c = v4("10.0.0.3"),
	    d = v4("10.0.0.4");

	(void)state;
	names_set_ptr(n, &a, "a", 1, 600, 0.0);
	names_set_ptr(n, &b, "b", 1, 600, 0.0);
	names_set_ptr(n, &c, "c", 1, 600, 0.0);
	assert_int_equal(names_count(n), 3);
	/* The engine sees a again, so b is now the least recently used. */
	assert_false(names_begin(n, &a, NAMES_PTR, 1.0));
	names_set_ptr(n, &d, "d", 1, 600, 1.0);
	assert_int_equal(names_count(n), 3);
	assert_null(names_ptr(n, &b));
	assert_string_equal(names_ptr(n, &a), "a");
	assert_string_equal(names_ptr(n, &c), "c");
	assert_string_equal(names_ptr(n, &d), "d");
	names_free(n);
}

static void
test_pending_not_evicted(void **state)
{
	struct names *n = names_new(2);
	struct addr a = v4("10.0.0.1"), b = v4("10.0.0.2"), c = v4("10.0.0.3");

	(void)state;
	assert_true(names_begin(n, &a, NAMES_PTR, 0.0));
	assert_true(names_begin(n, &b, NAMES_ASN, 0.0));
	/* Both entries wait for answers: no room, no second query for a. */
	assert_false(names_begin(n, &c, NAMES_PTR, 0.0));
	assert_true(names_pending(n, &a, NAMES_PTR));
	assert_false(names_pending(n, &c, NAMES_PTR));
	/* Once a is answered it may go, oldest first. */
	names_set_ptr(n, &a, "a", 1, 600, 0.0);
	assert_true(names_begin(n, &c, NAMES_PTR, 0.0));
	assert_null(names_ptr(n, &a));
	assert_true(names_pending(n, &b, NAMES_ASN));
	/* A cancelled claim can be made again. */
	names_cancel(n, &c, NAMES_PTR);
	assert_false(names_pending(n, &c, NAMES_PTR));
	assert_true(names_begin(n, &c, NAMES_PTR, 0.0));
	names_free(n);
}

static void
test_many_entries(void **state)
{
	struct names *n = names_new(NAMES_CAPACITY);
	struct addr a;
	char name[32];
	unsigned i;

	(void)state;
	/* Twice the capacity through the cache: the newest half survives. */
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	for (i = 0; i < 2 * NAMES_CAPACITY; i++) {
		a.u.v4.s_addr = htonl(0x0a000000u + i);
		snprintf(name, sizeof(name), "h%u", i);
		names_set_ptr(n, &a, name, strlen(name), 600, 0.0);
	}
	assert_int_equal(names_count(n), NAMES_CAPACITY);
	a.u.v4.s_addr = htonl(0x0a000000u + NAMES_CAPACITY - 1);
	assert_null(names_ptr(n, &a));
	a.u.v4.s_addr = htonl(0x0a000000u + NAMES_CAPACITY);
	assert_string_equal(names_ptr(n, &a), "h4096");
	a.u.v4.s_addr = htonl(0x0a000000u + 2 * NAMES_CAPACITY - 1);
	assert_string_equal(names_ptr(n, &a), "h8191");
	names_free(n);
}

static void
test_hostile_names(void **state)
{
	static const char esc[] = "\x1b[31mred.example\x1b[0m";
	static const char crlf[] = "a\r\nb.example";
	static const char bad[] = "x\xc3\x28y\xff.example";
	static const char nul[] = "a\0b";
	char longname[300];
	struct names *n = names_new(4);
	struct addr a = v4("10.1.1.1");
	const char *got;
	size_t i;

	(void)state;
	names_set_ptr(n, &a, esc, sizeof(esc) - 1, 600, 0.0);
	/* Each ESC byte becomes one '?'. */
	assert_string_equal(names_ptr(n, &a), "?[31mred.example?[0m");
	names_set_ptr(n, &a, crlf, sizeof(crlf) - 1, 600, 0.0);
	assert_string_equal(names_ptr(n, &a), "a??b.example");
	/* 0xc3 0x28 is a broken sequence, 0xff never valid UTF-8. */
	names_set_ptr(n, &a, bad, sizeof(bad) - 1, 600, 0.0);
	assert_string_equal(names_ptr(n, &a), "x?(y?.example");
	names_set_ptr(n, &a, nul, 3, 600, 0.0);
	assert_string_equal(names_ptr(n, &a), "a?b");

	/* 255 bytes of labels fit (255 < NAMES_NAME_MAX). */
	memset(longname, 'a', 255);
	for (i = 63; i < 255; i += 64)
		longname[i] = '.';
	names_set_ptr(n, &a, longname, 255, 600, 0.0);
	got = names_ptr(n, &a);
	assert_int_equal(strlen(got), 255);
	assert_memory_equal(got, longname, 255);

	/*
	 * 298 bytes ending in 2-byte "é" characters: cut at 255 bytes, not in
	 * the middle of a character (byte 254 would start an "é").
	 */
	memset(longname, 'b', 254);
	for (i = 254; i + 1 < 298; i += 2) {
		longname[i] = (char)0xc3;
		longname[i + 1] = (char)0xa9;
	}
	names_set_ptr(n, &a, longname, 298, 600, 0.0);
	got = names_ptr(n, &a);
	assert_int_equal(strlen(got), 254);
	assert_clean(got);
	names_free(n);
}

static void
test_asn_fields(void **state)
{
	static const char txt[] = "64500 | 10.77.0.0/16 | ZZ | lab | 2026-01-01";
	static const char moas[] = "64501 64502|10.78.0.0/16|ZZ|lab|";
	static const char evil[] = "64503 | \x1b]0;pwn\x07 | Z\rZ";
	struct names *n = names_new(4);
	struct addr a = v4("10.77.9.2"), b = v4("10.78.0.1"),
	    c = v4("10.79.0.1");

	(void)state;
	assert_true(names_begin(n, &a, NAMES_ASN, 5.0));
	assert_int_equal(names_set_asn(n, &a, txt, sizeof(txt) - 1, 3600, 5.0),
	    0);
	assert_string_equal(names_asn(n, &a, NAMES_AS_NUMBER), "AS64500");
	assert_string_equal(names_asn(n, &a, NAMES_AS_PREFIX), "10.77.0.0/16");
	assert_string_equal(names_asn(n, &a, NAMES_AS_COUNTRY), "ZZ");
	assert_string_equal(names_asn(n, &a, NAMES_AS_REGISTRY), "lab");
	assert_string_equal(names_asn(n, &a, NAMES_AS_DATE), "2026-01-01");
	assert_false(names_begin(n, &a, NAMES_ASN, 3604.0));
	assert_true(names_begin(n, &a, NAMES_ASN, 3605.0));
	/* The PTR side of the same entry is untouched. */
	assert_null(names_ptr(n, &a));

	assert_int_equal(names_set_asn(n, &b, moas, sizeof(moas) - 1, 60, 0.0),
	    0);
	assert_string_equal(names_asn(n, &b, NAMES_AS_NUMBER), "AS64501");
	assert_null(names_asn(n, &b, NAMES_AS_DATE));

	assert_int_equal(names_set_asn(n, &c, evil, sizeof(evil) - 1, 60, 0.0),
	    0);
	assert_string_equal(names_asn(n, &c, NAMES_AS_PREFIX), "?]0;pwn?");
	assert_string_equal(names_asn(n, &c, NAMES_AS_COUNTRY), "Z?Z");

	/* No AS number: a failure, nothing stored. */
	assert_int_equal(names_set_asn(n, &c, "NA | x", 6, 60, 100.0), -1);
	assert_null(names_asn(n, &c, NAMES_AS_NUMBER));
	assert_false(names_begin(n, &c, NAMES_ASN, 129.0));
	assert_int_equal(names_set_asn(n, &c, "\x1b" "1", 2, 60, 0.0), -1);
	names_free(n);
}

static void
test_query_names(void **state)
{
	struct addr a = v4("10.77.9.2"), b;
	char buf[128];

	(void)state;
	assert_int_equal(names_query_name(&a, NAMES_PTR, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2.9.77.10.in-addr.arpa");
	assert_int_equal(names_query_name(&a, NAMES_ASN, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2.9.77.10.origin.asn.cymru.com");
	assert_int_equal(addr_pton("2001:db8::567:89ab", &b), 0);
	assert_int_equal(names_query_name(&b, NAMES_PTR, buf, sizeof(buf)), 0);
	/* RFC 3596's own example. */
	assert_string_equal(buf, "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	assert_int_equal(names_query_name(&b, NAMES_ASN, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com");
	assert_int_equal(names_query_name(&a, NAMES_PTR, buf, 10), -1);
	memset(&b, 0, sizeof(b));
	assert_int_equal(names_query_name(&b, NAMES_PTR, buf, sizeof(buf)), -1);
}

/* Header + question "2.9.77.10.in-addr.arpa" PTR IN, 40 bytes. */
static size_t
msg_head(unsigned char *m, unsigned an)
{
	static const unsigned char q[] = {
		1, '2', 1, '9', 2, '7', '7', 2, '1', '0',
		7, 'i', 'n', '-', 'a', 'd', 'd', 'r', 4, 'a', 'r', 'p', 'a', 0,
		0, 12, 0, 1,
	};

	memset(m, 0, 12);
	m[0] = 0x12;
	m[1] = 0x34;
	m[2] = 0x81;
	m[3] = 0x80;
	m[5] = 1;
	m[7] = (unsigned char)an;
	memcpy(m + 12, q, sizeof(q));
	return 12 + sizeof(q);
}

/* An answer header naming the question (pointer to offset 12). */
static size_t
msg_rr(unsigned char *m, size_t o, unsigned type, uint32_t ttl,
    unsigned rdlen)
{
	m[o++] = 0xc0;
	m[o++] = 12;
	m[o++] = 0;
	m[o++] = (unsigned char)type;
	m[o++] = 0;
	m[o++] = 1;
	m[o++] = (unsigned char)(ttl >> 24);
	m[o++] = (unsigned char)(ttl >> 16);
	m[o++] = (unsigned char)(ttl >> 8);
	m[o++] = (unsigned char)ttl;
	m[o++] = (unsigned char)(rdlen >> 8);
	m[o++] = (unsigned char)rdlen;
	return o;
}

static void
test_parse_ptr(void **state)
{
	static const unsigned char rd[] = {
		7, 'r', 'o', 'u', 't', 'e', 'r', '9', 3, 'l', 'a', 'b', 0,
	};
	unsigned char m[512];
	char out[NAMES_NAME_MAX];
	size_t o, len;
	uint32_t ttl = 0;

	(void)state;
	o = msg_head(m, 1);
	assert_int_equal(o, 40);
	o = msg_rr(m, o, 12, 3600, sizeof(rd));
	memcpy(m + o, rd, sizeof(rd));
	o += sizeof(rd);
	assert_int_equal(names_parse_answer(m, o, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_OK);
	assert_string_equal(out, "router9.lab");
	assert_int_equal(len, 11);
	assert_int_equal(ttl, 3600);
	/* Truncated by one byte: malformed, not a shorter name. */
	assert_int_equal(names_parse_answer(m, o - 1, 12, out, sizeof(out),
	    &len, &ttl), NAMES_PARSE_BAD);
	/* Asking for TXT in a PTR answer finds none. */
	assert_int_equal(names_parse_answer(m, o, 16, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_NONE);
	assert_int_equal(names_parse_answer(m, 11, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_BAD);
}

static void
test_parse_cname_ttl_and_escape(void **state)
{
	unsigned char m[512];
	char out[NAMES_NAME_MAX];
	size_t o, len, cname_at;
	uint32_t ttl = 0;

	(void)state;
	o = msg_head(m, 2);
	/* RFC 2317 style: the question is a CNAME (TTL 300) to "x.lab". */
	o = msg_rr(m, o, 5, 300, 7);
	cname_at = o;
	memcpy(m + o, "\x01x\x03lab\x00", 7);
	o += 7;
	/* The PTR at x.lab (a pointer to cname_at), TTL 7200, with an ESC. */
	m[o++] = 0xc0;
	m[o++] = (unsigned char)cname_at;
	memcpy(m + o, "\x00\x0c\x00\x01\x00\x00\x1c\x20\x00\x09", 10);
	o += 10;
	memcpy(m + o, "\x07\x1b[31m\x0d\x0a\x00", 9);
	o += 9;
	assert_int_equal(names_parse_answer(m, o, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_OK);
	/* The smaller TTL of the chain. */
	assert_int_equal(ttl, 300);
	/* Raw bytes come out; names_set_ptr sanitises them. */
	assert_int_equal(len, 7);
	assert_memory_equal(out, "\x1b[31m\r\n", 7);
}

static void
test_parse_loop_and_long(void **state)
{
	unsigned char m[1024];
	char out[NAMES_NAME_MAX];
	size_t o, len, i;
	uint32_t ttl;

	(void)state;
	/* rdata is a pointer to itself: a loop, not a hang. */
	o = msg_head(m, 1);
	o = msg_rr(m, o, 12, 60, 2);
	m[o] = 0xc0 | (unsigned char)(o >> 8);
	m[o + 1] = (unsigned char)o;
	o += 2;
	assert_int_equal(names_parse_answer(m, o, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_BAD);

	/* Five 63-byte labels: 320 wire bytes > 255, rejected. */
	o = msg_head(m, 1);
	o = msg_rr(m, o, 12, 60, 5 * 64 + 1);
	for (i = 0; i < 5; i++) {
		m[o++] = 63;
		memset(m + o, 'z', 63);
		o += 63;
	}
	m[o++] = 0;
	assert_int_equal(names_parse_answer(m, o, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_BAD);

	/* Labels of 63, 63, 63 and 61 bytes: 255 wire bytes, 253 text. */
	o = msg_head(m, 1);
	o = msg_rr(m, o, 12, 0x80000000u, 255);
	for (i = 0; i < 4; i++) {
		m[o] = i < 3 ? 63 : 61;
		memset(m + o + 1, 'y', m[o]);
		o += 1 + m[o];
	}
	m[o++] = 0;
	assert_int_equal(names_parse_answer(m, o, 12, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_OK);
	assert_int_equal(len, 253);
	/* RFC 2181: a TTL with the top bit set counts as zero. */
	assert_int_equal(ttl, 0);
	/* A small buffer cuts the text without overrunning. */
	assert_int_equal(names_parse_answer(m, o, 12, out, 10, &len, &ttl),
	    NAMES_PARSE_OK);
	assert_int_equal(len, 9);
	assert_string_equal(out, "yyyyyyyyy");
}

static void
test_parse_txt(void **state)
{
	static const char s1[] = "64500 | 10.77.0.0/16 ";
	static const char s2[] = "| ZZ | lab | 2026-01-01";
	unsigned char m[512];
	char out[128];
	size_t o, len;
	uint32_t ttl;

	(void)state;
	o = msg_head(m, 1);
	o = msg_rr(m, o, 16, 14400, 2 + (sizeof(s1) - 1) + (sizeof(s2) - 1));
	m[o++] = sizeof(s1) - 1;
	memcpy(m + o, s1, sizeof(s1) - 1);
	o += sizeof(s1) - 1;
	m[o++] = sizeof(s2) - 1;
	memcpy(m + o, s2, sizeof(s2) - 1);
	o += sizeof(s2) - 1;
	assert_int_equal(names_parse_answer(m, o, 16, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_OK);
	assert_string_equal(out, "64500 | 10.77.0.0/16 | ZZ | lab | 2026-01-01");
	assert_int_equal(ttl, 14400);
	/* A character-string longer than its record: malformed. */
	m[o - (sizeof(s2) - 1) - 1] = 200;
	assert_int_equal(names_parse_answer(m, o, 16, out, sizeof(out), &len,
	    &ttl), NAMES_PARSE_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_lookup),
		cmocka_unit_test(test_expiry_injected_clock),
		cmocka_unit_test(test_failure_cached_briefly),
		cmocka_unit_test(test_eviction_lru),
		cmocka_unit_test(test_pending_not_evicted),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_asn_fields),
		cmocka_unit_test(test_query_names),
		cmocka_unit_test(test_parse_ptr),
		cmocka_unit_test(test_parse_cname_ttl_and_escape),
		cmocka_unit_test(test_parse_loop_and_long),
		cmocka_unit_test(test_parse_txt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
