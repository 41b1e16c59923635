/*
 * Unit tests for src/packet.c: probes are built, wrapped in the replies a
 * router or the target would send, and parsed back to the same identity.
 * Addresses are documentation prefixes (RFC 5737, RFC 3849); nothing is sent.
 *
 * With NTRACE_WRITE_CORPUS=dir set, the reply packets are also written to dir
 * as the seed corpus of tests/fuzz/fuzz_packet.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "addr.h"
#include "packet.h"

#define BUF_MAX		10000
#define IDENT		0x4e54
#define SPORT		0xa1b2
#define UDP_DPORT	33434
#define TCP_DPORT	443

#define SRC4	"192.0.2.1"
#define DST4	"198.51.100.7"
#define HOP4	"203.0.113.9"
#define SRC6	"2001:db8::1"
#define DST6	"2001:db8:1::7"
#define HOP6	"2001:db8:ff::9"

static struct addr
mkaddr(const char *s)
{
	struct addr a;

	assert_int_equal(addr_pton(s, &a), 0);
	return a;
}

static struct pkt_probe
mkprobe(int family, enum proto proto, uint16_t seq)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.family = family;
	p.proto = proto;
	p.src = mkaddr(family == AF_INET ? SRC4 : SRC6);
	p.dst = mkaddr(family == AF_INET ? DST4 : DST6);
	p.ident = IDENT;
	p.seq = seq;
	p.sport = SPORT;
	p.dport = proto == PROTO_TCP ? TCP_DPORT : UDP_DPORT;
	return p;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/*
 * Checksum of a transport segment with its pseudo-header laid out by hand
 * (RFC 768 for IPv4, RFC 8200 section 8.1 for IPv6); 0 means it verifies.
 */
static uint16_t
verify_l4(int family, const char *src, const char *dst, uint8_t nxt,
    const uint8_t *seg, size_t n)
{
	static uint8_t tmp[BUF_MAX + 40];
	struct addr s = mkaddr(src), d = mkaddr(dst);
	size_t ph;

	memset(tmp, 0, 40);
	if (family == AF_INET) {
		memcpy(tmp, s.u.bytes, 4);
		memcpy(tmp + 4, d.u.bytes, 4);
		tmp[9] = nxt;
		wr16(tmp + 10, (uint16_t)n);
		ph = 12;
	} else {
		memcpy(tmp, s.u.bytes, 16);
		memcpy(tmp + 16, d.u.bytes, 16);
		wr32(tmp + 32, (uint32_t)n);
		tmp[39] = nxt;
		ph = 40;
	}
	memcpy(tmp + ph, seg, n);
	return pkt_checksum(tmp, ph + n, 0);
}

/* Writes an IPv4 header of hl bytes (options are NOPs) with its checksum. */
static void
ip4_header(uint8_t *b, size_t hl, uint8_t proto, const char *src,
    const char *dst, size_t total, uint8_t ttl)
{
	struct addr s = mkaddr(src), d = mkaddr(dst);

	memset(b, 1, hl);
	b[0] = (uint8_t)(0x40 | hl / 4);
	b[1] = 0;
	wr16(b + 2, (uint16_t)total);
	wr16(b + 4, 0x1c46);
	wr16(b + 6, 0x4000);	/* DF */
	b[8] = ttl;
	b[9] = proto;
	wr16(b + 10, 0);
	memcpy(b + 12, s.u.bytes, 4);
	memcpy(b + 16, d.u.bytes, 4);
	wr16(b + 10, pkt_checksum(b, hl, 0));
}

/* The probe as it left us: kernel IPv4 header (TTL 1 by now) + pkt_build. */
static size_t
sent4(const struct pkt_probe *p, uint8_t *q)
{
	static const uint8_t proto_num[] = { 1, 17, 6 };
	ssize_t n = pkt_build(p, q + 20, BUF_MAX - 20);

	assert_true(n > 0);
	ip4_header(q, 20, proto_num[p->proto], SRC4, DST4, 20 + (size_t)n, 1);
	return 20 + (size_t)n;
}

/* The probe as it left us: IPv6 header, extension headers, pkt_build. */
static size_t
sent6(const struct pkt_probe *p, const uint8_t *ext, size_t extlen,
    uint8_t first, uint8_t *q)
{
	static const uint8_t proto_num[] = { 58, 17, 6 };
	ssize_t n = pkt_build(p, q + 40 + extlen, BUF_MAX - 40 - extlen);
	struct addr s = mkaddr(SRC6), d = mkaddr(DST6);

	assert_true(n > 0);
	memset(q, 0, 40);
	q[0] = 0x60;
	wr16(q + 4, (uint16_t)(extlen + (size_t)n));
	q[6] = extlen > 0 ? first : proto_num[p->proto];
	q[7] = 1;
	memcpy(q + 8, s.u.bytes, 16);
	memcpy(q + 24, d.u.bytes, 16);
	if (extlen > 0)
		memcpy(q + 40, ext, extlen);
	return 40 + extlen + (size_t)n;
}

/*
 * Wraps a quote (and optional RFC 4884 extension) in an outer IPv4 header
 * and ICMP header from the router; lenattr is RFC 4884's byte 5.
 */
static size_t
icmp4_msg(uint8_t *pkt, uint8_t type, uint8_t code, const uint8_t *quote,
    size_t qlen, uint8_t lenattr, const uint8_t *ext, size_t extlen)
{
	uint8_t *m = pkt + 20;
	size_t n = 8 + qlen + extlen;

	memset(m, 0, 8);
	m[0] = type;
	m[1] = code;
	m[5] = lenattr;
	memcpy(m + 8, quote, qlen);
	if (extlen > 0)
		memcpy(m + 8 + qlen, ext, extlen);
	wr16(m + 2, pkt_checksum(m, n, 0));
	ip4_header(pkt, 20, 1, HOP4, SRC4, 20 + n, 61);
	return 20 + n;
}

/* An ICMPv6 message as a raw ICMPv6 socket returns it (no IPv6 header). */
static size_t
icmp6_msg(uint8_t *m, uint8_t type, uint8_t code, const uint8_t *quote,
    size_t qlen, uint8_t byte4, const uint8_t *ext, size_t extlen)
{
	size_t n = 8 + qlen + extlen;

	memset(m, 0, 8);
	m[0] = type;
	m[1] = code;
	m[4] = byte4;
	memcpy(m + 8, quote, qlen);
	if (extlen > 0)
		memcpy(m + 8 + qlen, ext, extlen);
	wr16(m + 2, verify_l4(AF_INET6, HOP6, SRC6, 58, m, n));
	return n;
}

/* Encodes one RFC 4950 label stack entry. */
static uint32_t
mpls_entry(uint32_t label, unsigned tc, unsigned s, unsigned ttl)
{
	return label << 12 | tc << 9 | s << 8 | ttl;
}

/* An RFC 4884 extension structure holding one MPLS label stack object. */
static size_t
mpls_ext(uint8_t *e, const uint32_t *entries, size_t n)
{
	size_t i, len = 8 + 4 * n;

	memset(e, 0, len);
	e[0] = 0x20;
	wr16(e + 4, (uint16_t)(4 + 4 * n));
	e[6] = 1;
	e[7] = 1;
	for (i = 0; i < n; i++)
		wr32(e + 8 + 4 * i, entries[i]);
	wr16(e + 2, pkt_checksum(e, len, 0));
	return len;
}

/* A TCP answer from the target to the SYN of p, with an MSS option. */
static size_t
tcp_answer(const struct pkt_probe *p, uint8_t flags, uint8_t *t)
{
	memset(t, 0, 24);
	wr16(t, p->dport);
	wr16(t + 2, p->sport);
	wr32(t + 4, 0x9abcdef0);
	wr32(t + 8, ((uint32_t)p->ident << 16 | p->seq) + 1);
	t[12] = 6 << 4;
	t[13] = flags;
	wr16(t + 14, 65160);
	t[20] = 2;
	t[21] = 4;
	wr16(t + 22, 1460);
	return 24;
}

static size_t
tcp4_answer(const struct pkt_probe *p, uint8_t flags, uint8_t *pkt)
{
	size_t n = tcp_answer(p, flags, pkt + 20);

	wr16(pkt + 20 + 16, verify_l4(AF_INET, DST4, SRC4, 6, pkt + 20, n));
	ip4_header(pkt, 20, 6, DST4, SRC4, 20 + n, 52);
	return 20 + n;
}

static size_t
tcp6_answer(const struct pkt_probe *p, uint8_t flags, uint8_t *t)
{
	size_t n = tcp_answer(p, flags, t);

	wr16(t + 16, verify_l4(AF_INET6, DST6, SRC6, 6, t, n));
	return n;
}

/* A router's time exceeded quoting the whole probe (RFC 1812 4.3.2.3). */
static size_t
te4(const struct pkt_probe *p, uint8_t *pkt)
{
	uint8_t q[BUF_MAX];
	size_t qlen = sent4(p, q);

	return icmp4_msg(pkt, 11, 0, q, qlen, 0, NULL, 0);
}

static size_t
te6(const struct pkt_probe *p, uint8_t *m)
{
	uint8_t q[BUF_MAX];
	size_t qlen = sent6(p, NULL, 0, 0, q);

	return icmp6_msg(m, 3, 0, q, qlen, 0, NULL, 0);
}

/* A time exceeded with an RFC 4884 MPLS extension after a 128-byte quote. */
static size_t
te4_mpls(const struct pkt_probe *p, const uint32_t *labels, size_t n,
    uint8_t *pkt)
{
	uint8_t q[BUF_MAX], e[256];
	size_t elen;

	memset(q, 0, sizeof(q));
	sent4(p, q);
	elen = mpls_ext(e, labels, n);
	return icmp4_msg(pkt, 11, 0, q, 128, 128 / 4, e, elen);
}

static size_t
te6_mpls(const struct pkt_probe *p, const uint32_t *labels, size_t n,
    uint8_t *m)
{
	uint8_t q[BUF_MAX], e[256];
	size_t elen;

	memset(q, 0, sizeof(q));
	sent6(p, NULL, 0, 0, q);
	elen = mpls_ext(e, labels, n);
	return icmp6_msg(m, 3, 0, q, 128, 128 / 8, e, elen);
}

static const uint32_t three_labels[] = {
	0x186a0 << 12 | 5 << 9 | 0 << 8 | 254,		/* 100000, tc 5 */
	0x00010 << 12 | 0 << 9 | 0 << 8 | 1,		/* 16 */
	0xfffff << 12 | 7 << 9 | 1 << 8 | 255,		/* top label value */
};

static void
assert_three_labels(const struct pkt_reply *r)
{
	assert_int_equal(r->n_mpls, 3);
	assert_int_equal(r->mpls[0].label, 100000);
	assert_int_equal(r->mpls[0].tc, 5);
	assert_int_equal(r->mpls[0].s, 0);
	assert_int_equal(r->mpls[0].ttl, 254);
	assert_int_equal(r->mpls[1].label, 16);
	assert_int_equal(r->mpls[1].ttl, 1);
	assert_int_equal(r->mpls[2].label, 0xfffff);
	assert_int_equal(r->mpls[2].tc, 7);
	assert_int_equal(r->mpls[2].s, 1);
	assert_int_equal(r->mpls[2].ttl, 255);
}

static void
assert_addr(const struct addr *a, const char *want)
{
	struct addr w = mkaddr(want);

	assert_true(addr_equal(a, &w));
}

/* Identity fields every parsed reply to p must carry. */
static void
assert_identity(const struct pkt_reply *r, const struct pkt_probe *p)
{
	assert_int_equal(r->proto, p->proto);
	assert_int_equal(r->seq, p->seq);
	if (p->proto != PROTO_UDP)
		assert_int_equal(r->ident, p->ident);
	if (p->proto != PROTO_ICMP) {
		assert_int_equal(r->sport, p->sport);
		assert_int_equal(r->dport, p->dport);
	}
	assert_true(addr_equal(&r->probe_dst, &p->dst));
}

/* Recomputes the outer ICMP checksum after a test edited the message. */
static void
fix4(uint8_t *pkt, size_t n)
{
	wr16(pkt + 22, 0);
	wr16(pkt + 22, pkt_checksum(pkt + 20, n - 20, 0));
}

/* Parses a copy of exactly len bytes so ASan sees any overread. */
static int
parse4_exact(const uint8_t *pkt, size_t len, struct pkt_reply *r)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, pkt, len);
	rc = pkt_parse_ip4(copy, len, r);
	free(copy);
	return rc;
}

static int
parse6_exact(const uint8_t *m, size_t len, struct pkt_reply *r)
{
	struct addr from = mkaddr(HOP6);
	uint8_t *copy = malloc(len > 0 ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, m, len);
	rc = pkt_parse_icmp6(copy, len, &from, r);
	free(copy);
	return rc;
}

static int
parse_tcp6_exact(const uint8_t *t, size_t len, struct pkt_reply *r)
{
	struct addr from = mkaddr(DST6);
	uint8_t *copy = malloc(len > 0 ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, t, len);
	rc = pkt_parse_tcp6(copy, len, &from, r);
	free(copy);
	return rc;
}

/* ---------------------------------------------------------------------- */

static void
test_checksum_rfc1071(void **state)
{
	/* RFC 1071 section 3 example: the words sum to 0xddf2. */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	    0xf6, 0xf7 };
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	uint16_t part;

	(void)state;
	assert_int_equal(pkt_checksum(ex, sizeof(ex), 0), 0x220d);
	/* Odd length pads with a zero byte: 0x0102 + 0x0300 = 0x0402. */
	assert_int_equal(pkt_checksum(odd, sizeof(odd), 0), 0xfbfd);
	assert_int_equal(pkt_checksum(NULL, 0, 0), 0xffff);
	/* Carries fold back in: 0xffff + 0x0001 = 0x0001. */
	assert_int_equal(pkt_checksum(odd, 0, 0x10000), 0xfffe);
	/* A partial sum continues the computation over the rest. */
	part = (uint16_t)~pkt_checksum(ex, 4, 0);
	assert_int_equal(pkt_checksum(ex + 4, 4, part), 0x220d);
}

static void
test_proto_names(void **state)
{
	(void)state;
	assert_string_equal(pkt_proto_name(PROTO_ICMP), "icmp");
	assert_string_equal(pkt_proto_name(PROTO_UDP), "udp");
	assert_string_equal(pkt_proto_name(PROTO_TCP), "tcp");
	assert_int_equal(pkt_proto_from_name("icmp"), PROTO_ICMP);
	assert_int_equal(pkt_proto_from_name("udp"), PROTO_UDP);
	assert_int_equal(pkt_proto_from_name("TCP"), PROTO_TCP);
	assert_int_equal(pkt_proto_from_name("tc"), -1);
	assert_int_equal(pkt_proto_from_name("tcpx"), -1);
	assert_int_equal(pkt_proto_from_name("sctp"), -1);
	assert_int_equal(pkt_proto_from_name(""), -1);
	assert_int_equal(pkt_proto_from_name(NULL), -1);
}

static void
test_min_size(void **state)
{
	(void)state;
	assert_int_equal(pkt_min_size(AF_INET, PROTO_ICMP), 28);
	assert_int_equal(pkt_min_size(AF_INET, PROTO_UDP), 30);
	assert_int_equal(pkt_min_size(AF_INET, PROTO_TCP), 44);
	assert_int_equal(pkt_min_size(AF_INET6, PROTO_ICMP), 48);
	assert_int_equal(pkt_min_size(AF_INET6, PROTO_UDP), 50);
	assert_int_equal(pkt_min_size(AF_INET6, PROTO_TCP), 64);
	assert_int_equal(pkt_min_size(AF_UNIX, PROTO_UDP), 0);
	assert_int_equal(pkt_min_size(AF_INET, PROTO_COUNT), 0);
}

static void
test_build_icmp4_bytes(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 1);
	uint8_t b[64];

	(void)state;
	p.ident = 0x1234;
	p.size = 28;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 8);
	/* 0x0800 + 0x1234 + 0x0001 = 0x1a35, complemented 0xe5ca. */
	assert_int_equal(b[0], 8);
	assert_int_equal(b[1], 0);
	assert_int_equal(rd16(b + 2), 0xe5ca);
	assert_int_equal(rd16(b + 4), 0x1234);
	assert_int_equal(rd16(b + 6), 1);

	/* Default size: 64 bytes on the wire, 44 of them ICMP. */
	p.size = 0;
	p.seq = 777;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 44);
	assert_int_equal(pkt_checksum(b, 44, 0), 0);
	assert_int_equal(rd16(b + 6), 777);
}

static void
test_build_icmp6_pseudo_header(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_ICMP, 9);
	uint8_t b[128];
	uint16_t cs;

	(void)state;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 24);
	assert_int_equal(b[0], 128);
	assert_int_equal(rd16(b + 4), IDENT);
	assert_int_equal(rd16(b + 6), 9);
	assert_int_equal(verify_l4(AF_INET6, SRC6, DST6, 58, b, 24), 0);
	/* The checksum depends on the addresses: it covers the pseudo-header. */
	cs = rd16(b + 2);
	p.dst = mkaddr("2001:db8:1::8");
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 24);
	assert_int_not_equal(rd16(b + 2), cs);
	assert_int_equal(verify_l4(AF_INET6, SRC6, "2001:db8:1::8", 58, b, 24),
	    0);
}

/* Builds UDP probes of many sizes and seqs; the checksum must equal seq. */
static void
check_udp_seq(int family)
{
	static const uint16_t seqs[] = { 1, 2, 0x00ff, 0x1234, 0x7fff, 0x8000,
	    0xfeff, 0xfffe };
	static const size_t sizes[] = { 0, 50, 51, 64, 99, 576, 1500, 9000 };
	struct pkt_probe p = mkprobe(family, PROTO_UDP, 1);
	static uint8_t b[BUF_MAX];
	size_t i, j, ip = family == AF_INET ? 20 : 40, n;

	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			p.seq = seqs[i];
			p.size = sizes[j];
			n = (sizes[j] == 0 ? 64 : sizes[j]) - ip;
			assert_int_equal(pkt_build(&p, b, sizeof(b)), n);
			assert_int_equal(rd16(b), SPORT);
			assert_int_equal(rd16(b + 2), UDP_DPORT);
			assert_int_equal(rd16(b + 4), n);
			assert_int_equal(rd16(b + 6), seqs[i]);
			assert_int_equal(verify_l4(family,
			    family == AF_INET ? SRC4 : SRC6,
			    family == AF_INET ? DST4 : DST6, 17, b, n), 0);
		}
	}
}

static void
test_build_udp4_checksum_is_seq(void **state)
{
	(void)state;
	check_udp_seq(AF_INET);
}

static void
test_build_udp6_checksum_is_seq(void **state)
{
	(void)state;
	check_udp_seq(AF_INET6);
}

static void
test_build_udp_flow_is_stable(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 100);
	uint8_t a[64], b[64];

	(void)state;
	/* Paris traceroute: only the payload and checksum differ by seq. */
	assert_int_equal(pkt_build(&p, a, sizeof(a)), 44);
	p.seq = 101;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 44);
	assert_memory_equal(a, b, 6);
	assert_int_equal(rd16(a + 6), 100);
	assert_int_equal(rd16(b + 6), 101);
	/* One more in the checksum means one less in the fix word. */
	assert_int_equal((uint16_t)(rd16(a + 8) - rd16(b + 8)), 1);
}

static void
test_build_udp_rejects_unencodable_seq(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0);
	uint8_t b[64];

	(void)state;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.seq = 0xffff;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.family = AF_INET6;
	p.src = mkaddr(SRC6);
	p.dst = mkaddr(DST6);
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
}

static void
check_tcp_syn(int family)
{
	struct pkt_probe p = mkprobe(family, PROTO_TCP, 0x0007);
	uint8_t b[64];

	/* TCP ignores -s: always a bare SYN with an MSS option. */
	p.size = 1000;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 24);
	assert_int_equal(rd16(b), SPORT);
	assert_int_equal(rd16(b + 2), TCP_DPORT);
	assert_int_equal(rd32(b + 4), 0x4e540007);
	assert_int_equal(rd32(b + 8), 0);
	assert_int_equal(b[12] >> 4, 6);
	assert_int_equal(b[13], 0x02);
	assert_int_equal(rd16(b + 14), 64240);
	assert_int_equal(b[20], 2);
	assert_int_equal(b[21], 4);
	assert_int_equal(rd16(b + 22), family == AF_INET ? 1460 : 1440);
	assert_int_equal(verify_l4(family, family == AF_INET ? SRC4 : SRC6,
	    family == AF_INET ? DST4 : DST6, 6, b, 24), 0);
}

static void
test_build_tcp4_syn(void **state)
{
	(void)state;
	check_tcp_syn(AF_INET);
}

static void
test_build_tcp6_syn(void **state)
{
	(void)state;
	check_tcp_syn(AF_INET6);
}

static void
test_build_rejects_bad_input(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 1);
	static uint8_t b[BUF_MAX];

	(void)state;
	assert_int_equal(pkt_build(NULL, b, sizeof(b)), -1);
	assert_int_equal(pkt_build(&p, NULL, sizeof(b)), -1);
	/* Buffer one byte short of the 44-byte default, then exact. */
	assert_int_equal(pkt_build(&p, b, 43), -1);
	assert_int_equal(pkt_build(&p, b, 44), 44);
	p.size = 27;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.size = 28;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 8);
	p.size = PKT_MAX_SIZE;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), PKT_MAX_SIZE - 20);
	p.size = PKT_MAX_SIZE + 1;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.size = 0;
	p.proto = PROTO_UDP;
	p.size = 29;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.size = 30;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), 10);
	p.proto = PROTO_COUNT;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p.proto = PROTO_TCP;
	assert_int_equal(pkt_build(&p, b, 23), -1);
	p.family = AF_UNIX;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	/* An IPv6 probe with an IPv4 destination is a caller bug. */
	p = mkprobe(AF_INET6, PROTO_UDP, 5);
	p.dst = mkaddr(DST4);
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
	p = mkprobe(AF_INET6, PROTO_ICMP, 5);
	p.size = 47;
	assert_int_equal(pkt_build(&p, b, sizeof(b)), -1);
}

static void
test_parse_time_exceeded4_all_protos(void **state)
{
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	struct pkt_probe p;
	int proto;

	(void)state;
	for (proto = 0; proto < PROTO_COUNT; proto++) {
		p = mkprobe(AF_INET, (enum proto)proto, 0x0203);
		assert_int_equal(pkt_parse_ip4(pkt, te4(&p, pkt), &r), 0);
		assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
		assert_int_equal(r.family, AF_INET);
		assert_int_equal(r.icmp_type, 11);
		assert_int_equal(r.icmp_code, 0);
		assert_int_equal(r.reply_ttl, 61);
		assert_addr(&r.from, HOP4);
		assert_int_equal(r.n_mpls, 0);
		assert_identity(&r, &p);
	}
}

static void
test_parse_time_exceeded6_all_protos(void **state)
{
	static uint8_t m[BUF_MAX];
	struct pkt_reply r;
	struct pkt_probe p;
	int proto;

	(void)state;
	for (proto = 0; proto < PROTO_COUNT; proto++) {
		p = mkprobe(AF_INET6, (enum proto)proto, 0x0a0b);
		assert_int_equal(parse6_exact(m, te6(&p, m), &r), 0);
		assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
		assert_int_equal(r.family, AF_INET6);
		assert_int_equal(r.icmp_type, 3);
		assert_int_equal(r.reply_ttl, 0);
		assert_addr(&r.from, HOP6);
		assert_identity(&r, &p);
	}
}

static void
test_parse_port_unreach4_minimal_quote(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x0102);
	uint8_t q[BUF_MAX], pkt[128];
	struct pkt_reply r;
	size_t n;

	(void)state;
	/* RFC 792: only the IP header and 8 bytes of the datagram. */
	sent4(&p, q);
	n = icmp4_msg(pkt, 3, 3, q, 28, 0, NULL, 0);
	ip4_header(pkt, 20, 1, DST4, SRC4, n, 50);
	assert_int_equal(pkt_parse_ip4(pkt, n, &r), 0);
	assert_int_equal(r.kind, PKT_UNREACH);
	assert_int_equal(r.icmp_code, 3);
	assert_addr(&r.from, DST4);
	assert_identity(&r, &p);
	assert_string_equal(pkt_unreach_flag(AF_INET, r.icmp_code), "");
}

static void
test_parse_port_unreach6(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_UDP, 0x0102);
	uint8_t q[BUF_MAX], m[BUF_MAX];
	struct pkt_reply r;
	size_t qlen;

	(void)state;
	qlen = sent6(&p, NULL, 0, 0, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 1, 4, q, qlen, 0, NULL,
	    0), &r), 0);
	assert_int_equal(r.kind, PKT_UNREACH);
	assert_int_equal(r.icmp_code, 4);
	assert_identity(&r, &p);
}

static void
test_parse_echo_reply(void **state)
{
	uint8_t pkt[128], m[128];
	struct pkt_reply r;
	struct addr from = mkaddr(DST6);

	(void)state;
	memset(pkt + 20, 0, 36);
	pkt[20] = 0;
	wr16(pkt + 24, IDENT);
	wr16(pkt + 26, 42);
	ip4_header(pkt, 20, 1, DST4, SRC4, 56, 55);
	fix4(pkt, 56);
	assert_int_equal(pkt_parse_ip4(pkt, 56, &r), 0);
	assert_int_equal(r.kind, PKT_ECHO_REPLY);
	assert_int_equal(r.proto, PROTO_ICMP);
	assert_int_equal(r.ident, IDENT);
	assert_int_equal(r.seq, 42);
	assert_int_equal(r.reply_ttl, 55);
	assert_addr(&r.from, DST4);
	assert_addr(&r.probe_dst, DST4);

	memset(m, 0, 8);
	m[0] = 129;
	wr16(m + 4, IDENT);
	wr16(m + 6, 43);
	assert_int_equal(pkt_parse_icmp6(m, 8, &from, &r), 0);
	assert_int_equal(r.kind, PKT_ECHO_REPLY);
	assert_int_equal(r.seq, 43);
	assert_addr(&r.probe_dst, DST6);
	assert_int_equal(pkt_parse_icmp6(m, 7, &from, &r), -1);
}

static void
test_parse_rejects_echo_requests(void **state)
{
	struct pkt_probe p4 = mkprobe(AF_INET, PROTO_ICMP, 1);
	struct pkt_probe p6 = mkprobe(AF_INET6, PROTO_ICMP, 1);
	uint8_t pkt[128], m[128];
	struct pkt_reply r;
	struct addr from = mkaddr(DST6);

	(void)state;
	/* Our own probes looped back to the raw socket are not replies. */
	assert_int_equal(pkt_parse_ip4(pkt, sent4(&p4, pkt), &r), -1);
	assert_int_equal(r.kind, PKT_NONE);
	assert_int_equal(pkt_build(&p6, m, sizeof(m)), 24);
	assert_int_equal(pkt_parse_icmp6(m, 24, &from, &r), -1);
	/* Router advertisement (134): unrelated ICMPv6. */
	m[0] = 134;
	assert_int_equal(pkt_parse_icmp6(m, 24, &from, &r), -1);
}

static void
test_parse_other_errors(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_TCP, 77);
	struct pkt_probe p6 = mkprobe(AF_INET6, PROTO_ICMP, 78);
	uint8_t q[BUF_MAX], pkt[BUF_MAX];
	struct pkt_reply r;
	size_t qlen;

	(void)state;
	qlen = sent4(&p, q);
	assert_int_equal(pkt_parse_ip4(pkt, icmp4_msg(pkt, 12, 0, q, qlen, 0,
	    NULL, 0), &r), 0);
	assert_int_equal(r.kind, PKT_OTHER_ERROR);
	assert_int_equal(r.icmp_type, 12);
	assert_identity(&r, &p);
	/* Redirects quote packets too but say nothing about the probe. */
	assert_int_equal(pkt_parse_ip4(pkt, icmp4_msg(pkt, 5, 1, q, qlen, 0,
	    NULL, 0), &r), -1);

	qlen = sent6(&p6, NULL, 0, 0, q);
	assert_int_equal(parse6_exact(pkt, icmp6_msg(pkt, 2, 0, q, qlen, 0,
	    NULL, 0), &r), 0);
	assert_int_equal(r.kind, PKT_OTHER_ERROR);
	assert_identity(&r, &p6);
	assert_int_equal(parse6_exact(pkt, icmp6_msg(pkt, 4, 1, q, qlen, 0,
	    NULL, 0), &r), 0);
	assert_int_equal(r.kind, PKT_OTHER_ERROR);
	assert_int_equal(r.icmp_code, 1);
}

static void
test_parse_tcp4_synack_and_rst(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_TCP, 0x1122);
	uint8_t pkt[128];
	struct pkt_reply r;

	(void)state;
	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x12, pkt), &r),
	    0);
	assert_int_equal(r.kind, PKT_TCP_SYNACK);
	assert_int_equal(r.reply_ttl, 52);
	assert_addr(&r.from, DST4);
	assert_identity(&r, &p);

	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x14, pkt), &r),
	    0);
	assert_int_equal(r.kind, PKT_TCP_RST);
	assert_identity(&r, &p);

	/* ident 0xffff seq 0xffff: the ack wraps to 0 and back. */
	p.ident = 0xffff;
	p.seq = 0xffff;
	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x14, pkt), &r),
	    0);
	assert_int_equal(r.ident, 0xffff);
	assert_int_equal(r.seq, 0xffff);
}

static void
test_parse_tcp_rejects_non_answers(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_TCP, 3);
	uint8_t pkt[128];
	struct pkt_reply r;

	(void)state;
	/* A bare SYN, a RST without ACK, a plain ACK: none answer our SYN. */
	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x02, pkt), &r),
	    -1);
	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x04, pkt), &r),
	    -1);
	assert_int_equal(pkt_parse_ip4(pkt, tcp4_answer(&p, 0x10, pkt), &r),
	    -1);
	/* Data offset 4 (16 bytes) and 15 (60 bytes > 24): both lies. */
	tcp4_answer(&p, 0x12, pkt);
	pkt[32] = 4 << 4;
	assert_int_equal(pkt_parse_ip4(pkt, 44, &r), -1);
	pkt[32] = 15 << 4;
	assert_int_equal(pkt_parse_ip4(pkt, 44, &r), -1);
	/* UDP straight to us is not something we sent probes for. */
	tcp4_answer(&p, 0x12, pkt);
	pkt[9] = 17;
	assert_int_equal(pkt_parse_ip4(pkt, 44, &r), -1);
}

static void
test_parse_tcp6_synack_and_rst(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_TCP, 0x3344);
	uint8_t t[64];
	struct pkt_reply r;
	size_t n, len;

	(void)state;
	n = tcp6_answer(&p, 0x12, t);
	assert_int_equal(parse_tcp6_exact(t, n, &r), 0);
	assert_int_equal(r.kind, PKT_TCP_SYNACK);
	assert_int_equal(r.family, AF_INET6);
	assert_addr(&r.from, DST6);
	assert_identity(&r, &p);
	n = tcp6_answer(&p, 0x14, t);
	assert_int_equal(parse_tcp6_exact(t, n, &r), 0);
	assert_int_equal(r.kind, PKT_TCP_RST);
	/* Data offset says 24 bytes: anything shorter is truncated. */
	for (len = 0; len < n; len++)
		assert_int_equal(parse_tcp6_exact(t, len, &r), -1);
	assert_int_equal(pkt_parse_tcp6(t, n, NULL, &r), 0);
	assert_false(addr_is_set(&r.from));
}

static void
test_parse_ip4_options(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x0f0f);
	uint8_t q[BUF_MAX], pkt[BUF_MAX], inner[BUF_MAX];
	struct pkt_reply r;
	size_t qlen, n;

	(void)state;
	/* Inner header with 8 bytes of options (IHL 7), outer with 40 (15). */
	qlen = sent4(&p, q);
	ip4_header(inner, 28, 17, SRC4, DST4, qlen + 8, 1);
	memcpy(inner + 28, q + 20, qlen - 20);
	n = icmp4_msg(pkt + 40, 11, 0, inner, qlen + 8, 0, NULL, 0);
	ip4_header(pkt, 60, 1, HOP4, SRC4, n - 20 + 60, 40);
	assert_int_equal(parse4_exact(pkt, n - 20 + 60, &r), 0);
	assert_int_equal(r.reply_ttl, 40);
	assert_identity(&r, &p);
}

static void
test_parse_ip4_bad_headers(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 5);
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	size_t n = te4(&p, pkt);

	(void)state;
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	/* IHL 4 is less than the fixed header. */
	pkt[0] = 0x44;
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	/* IHL 15 (60 bytes) beyond a 50-byte packet. */
	pkt[0] = 0x4f;
	assert_int_equal(parse4_exact(pkt, 50, &r), -1);
	/* Version 6 in a v4 raw socket buffer. */
	pkt[0] = 0x65;
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	pkt[0] = 0x45;
	/* Total length smaller than the header. */
	wr16(pkt + 2, 19);
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	/* Total length cuts the quote short of its 8 transport bytes. */
	wr16(pkt + 2, 55);
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	wr16(pkt + 2, 56);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	/* Total length beyond the buffer: only what was read is used. */
	wr16(pkt + 2, 0xffff);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_identity(&r, &p);
	wr16(pkt + 2, (uint16_t)n);
	/* A later fragment of an ICMP message has no ICMP header. */
	wr16(pkt + 6, 0x0001);
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	assert_int_equal(r.kind, PKT_NONE);
	assert_int_equal(pkt_parse_ip4(NULL, 0, &r), -1);
	assert_int_equal(pkt_parse_ip4(pkt, n, NULL), -1);
}

static void
test_parse_ip4_bad_quotes(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 5);
	uint8_t q[BUF_MAX], pkt[BUF_MAX], m[BUF_MAX];
	struct pkt_reply r;
	size_t qlen, n;

	(void)state;
	qlen = sent4(&p, q);
	/* Inner header claiming IPv6 in an IPv4 reply. */
	q[0] = 0x65;
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), -1);
	/* Inner IHL 3 and inner IHL 15 beyond the quote. */
	q[0] = 0x43;
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), -1);
	q[0] = 0x4f;
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, 40, 0,
	    NULL, 0), &r), -1);
	q[0] = 0x45;
	/* Quote of a non-first fragment: the "ports" are payload bytes. */
	wr16(q + 6, 0x00b9);
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), -1);
	wr16(q + 6, 0x2000);	/* MF on the first fragment is fine */
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), 0);
	/* A quoted protocol we never send (GRE). */
	q[9] = 47;
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), -1);
	/* An ICMP error quoting an ICMP error quoting our probe. */
	q[9] = 17;
	n = icmp4_msg(m, 11, 0, q, qlen, 0, NULL, 0);
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 3, 1, m, n, 0, NULL,
	    0), &r), -1);
	/* ICMPv6 inside IPv4 is not our echo request either. */
	p = mkprobe(AF_INET, PROTO_ICMP, 5);
	qlen = sent4(&p, q);
	q[9] = 58;
	assert_int_equal(parse4_exact(pkt, icmp4_msg(pkt, 11, 0, q, qlen, 0,
	    NULL, 0), &r), -1);
}

static void
test_parse_ip4_truncated_everywhere(void **state)
{
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	struct pkt_probe p;
	size_t n, len;
	int proto;

	(void)state;
	for (proto = 0; proto < PROTO_COUNT; proto++) {
		p = mkprobe(AF_INET, (enum proto)proto, 0x0506);
		n = te4(&p, pkt);
		/* 20 outer + 8 ICMP + 20 inner + 8 transport = 56. */
		for (len = 0; len <= n; len++) {
			if (len < 56) {
				assert_int_equal(parse4_exact(pkt, len, &r),
				    -1);
				assert_int_equal(r.kind, PKT_NONE);
				continue;
			}
			assert_int_equal(parse4_exact(pkt, len, &r), 0);
			assert_identity(&r, &p);
		}
	}
	p = mkprobe(AF_INET, PROTO_TCP, 9);
	n = tcp4_answer(&p, 0x12, pkt);
	for (len = 0; len < n; len++)
		assert_int_equal(parse4_exact(pkt, len, &r), -1);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
}

static void
test_parse_icmp6_truncated_everywhere(void **state)
{
	static uint8_t m[BUF_MAX];
	struct pkt_reply r;
	struct pkt_probe p;
	size_t n, len;
	int proto;

	(void)state;
	for (proto = 0; proto < PROTO_COUNT; proto++) {
		p = mkprobe(AF_INET6, (enum proto)proto, 0x0708);
		n = te6(&p, m);
		/* 8 ICMPv6 + 40 IPv6 + 8 transport = 56. */
		for (len = 0; len <= n; len++) {
			if (len < 56) {
				assert_int_equal(parse6_exact(m, len, &r), -1);
				continue;
			}
			assert_int_equal(parse6_exact(m, len, &r), 0);
			assert_identity(&r, &p);
		}
	}
}

static void
test_parse_icmp6_extension_headers(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_UDP, 0x0c0d);
	uint8_t ext[64], q[BUF_MAX], m[BUF_MAX];
	struct pkt_reply r;
	size_t qlen, n, len;

	(void)state;
	/* Hop-by-hop (16 bytes) -> routing (8) -> fragment -> dst opts -> UDP. */
	memset(ext, 0, sizeof(ext));
	ext[0] = 43;
	ext[1] = 1;
	ext[16] = 44;
	ext[17] = 0;
	ext[24] = 60;
	wr16(ext + 26, 0x0001);	/* offset 0, more fragments */
	ext[32] = 17;
	ext[33] = 0;
	qlen = sent6(&p, ext, 40, 0, q);
	n = icmp6_msg(m, 3, 0, q, qlen, 0, NULL, 0);
	assert_int_equal(parse6_exact(m, n, &r), 0);
	assert_identity(&r, &p);
	/* 8 + 40 + 40 of extensions + 8 of UDP. */
	for (len = 0; len < 96; len++)
		assert_int_equal(parse6_exact(m, len, &r), -1);
	assert_int_equal(parse6_exact(m, 96, &r), 0);

	/* A non-first fragment carries no UDP header. */
	wr16(ext + 26, 0x0008);
	qlen = sent6(&p, ext, 40, 0, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);

	/* Hop-by-hop length 255 (2048 bytes) overruns the quote. */
	memset(ext, 0, sizeof(ext));
	ext[0] = 17;
	ext[1] = 255;
	qlen = sent6(&p, ext, 8, 0, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);
	/* No next header (59) ends the chain without a transport header. */
	ext[0] = 59;
	ext[1] = 0;
	qlen = sent6(&p, ext, 8, 0, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);
}

static void
test_parse_icmp6_extension_loop(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_ICMP, 0x0e0f);
	uint8_t ext[256], q[BUF_MAX], m[BUF_MAX];
	struct pkt_reply r;
	size_t qlen, i;

	(void)state;
	/* Destination options pointing at destination options, 20 times. */
	memset(ext, 0, sizeof(ext));
	for (i = 0; i < 20; i++)
		ext[8 * i] = 60;
	qlen = sent6(&p, ext, 160, 60, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);
	/* The walk is bounded by count, not only by length: 20 then ICMPv6. */
	ext[8 * 19] = 58;
	qlen = sent6(&p, ext, 160, 60, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);
	ext[8 * 19] = 60;
	/* Four of them then ICMPv6: a legitimate chain still parses. */
	ext[8 * 3] = 58;
	qlen = sent6(&p, ext, 32, 60, q);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), 0);
	assert_identity(&r, &p);
}

static void
test_parse_icmp6_bad_quotes(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_ICMP, 3);
	struct pkt_probe p4 = mkprobe(AF_INET, PROTO_ICMP, 3);
	uint8_t q[BUF_MAX], m[BUF_MAX], m2[BUF_MAX];
	struct pkt_reply r;
	size_t qlen, n;

	(void)state;
	/* An IPv4 packet quoted in an ICMPv6 error. */
	qlen = sent4(&p4, q);
	memset(q + qlen, 0, 40);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen + 40, 0,
	    NULL, 0), &r), -1);
	/* ICMPv4 echo (protocol 1) inside IPv6. */
	qlen = sent6(&p, NULL, 0, 0, q);
	q[6] = 1;
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, qlen, 0, NULL,
	    0), &r), -1);
	/* An ICMPv6 error quoting an ICMPv6 error. */
	q[6] = 58;
	n = icmp6_msg(m2, 1, 0, q, qlen, 0, NULL, 0);
	memset(q, 0, 40);
	q[0] = 0x60;
	q[6] = 58;
	memcpy(q + 40, m2, n);
	assert_int_equal(parse6_exact(m, icmp6_msg(m, 3, 0, q, 40 + n, 0, NULL,
	    0), &r), -1);
	assert_int_equal(pkt_parse_icmp6(NULL, 0, NULL, &r), -1);
	assert_int_equal(pkt_parse_icmp6(m, 64, NULL, NULL), -1);
}

static void
test_mpls4_one_and_three_labels(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x1357);
	static uint8_t pkt[BUF_MAX];
	uint32_t one = mpls_entry(24001, 0, 1, 1);
	struct pkt_reply r;

	(void)state;
	assert_int_equal(parse4_exact(pkt, te4_mpls(&p, &one, 1, pkt), &r), 0);
	assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
	assert_identity(&r, &p);
	assert_int_equal(r.n_mpls, 1);
	assert_int_equal(r.mpls[0].label, 24001);
	assert_int_equal(r.mpls[0].tc, 0);
	assert_int_equal(r.mpls[0].s, 1);
	assert_int_equal(r.mpls[0].ttl, 1);

	assert_int_equal(parse4_exact(pkt, te4_mpls(&p, three_labels, 3, pkt),
	    &r), 0);
	assert_identity(&r, &p);
	assert_three_labels(&r);
}

static void
test_mpls6_three_labels(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET6, PROTO_TCP, 0x2468);
	static uint8_t m[BUF_MAX];
	struct pkt_reply r;

	(void)state;
	assert_int_equal(parse6_exact(m, te6_mpls(&p, three_labels, 3, m), &r),
	    0);
	assert_identity(&r, &p);
	assert_three_labels(&r);
}

static void
test_mpls_bad_checksum_ignored(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 0x1111);
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	size_t n;

	(void)state;
	n = te4_mpls(&p, three_labels, 3, pkt);
	/* Extension header at 20 + 8 + 128; flip a label bit. */
	pkt[156 + 9] ^= 0x10;
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_identity(&r, &p);
	assert_int_equal(r.n_mpls, 0);
	/* Version 1 is not RFC 4884. */
	n = te4_mpls(&p, three_labels, 3, pkt);
	pkt[156] = 0x10;
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_int_equal(r.n_mpls, 0);
	/* RFC 4884 section 7: an all-zero checksum means none was sent. */
	n = te4_mpls(&p, three_labels, 3, pkt);
	wr16(pkt + 158, 0);
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_int_equal(r.n_mpls, 3);
}

static void
test_mpls_lengths_overrun(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x2222);
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	size_t n;

	(void)state;
	/* RFC 4884 length of 255 words (1020 bytes) beyond the message. */
	n = te4_mpls(&p, three_labels, 3, pkt);
	pkt[25] = 255;
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_identity(&r, &p);
	assert_int_equal(r.n_mpls, 0);
	/* Object length 0x0400 beyond the extension (checksum fixed up). */
	n = te4_mpls(&p, three_labels, 3, pkt);
	wr16(pkt + 160, 0x0400);
	wr16(pkt + 158, 0);
	wr16(pkt + 158, pkt_checksum(pkt + 156, n - 156, 0));
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_int_equal(r.n_mpls, 0);
	/* Object length 2, shorter than its own header. */
	wr16(pkt + 160, 2);
	wr16(pkt + 158, 0);
	wr16(pkt + 158, pkt_checksum(pkt + 156, n - 156, 0));
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_int_equal(r.n_mpls, 0);
	/* Truncating the message anywhere never yields a label from nowhere. */
	te4_mpls(&p, three_labels, 3, pkt);
	for (; n > 56; n--) {
		assert_int_equal(parse4_exact(pkt, n, &r), 0);
		assert_true(r.n_mpls == 0 || r.n_mpls == 3);
	}
}

static void
test_bad_icmp_checksum_rejected(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x5555);
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	size_t n;

	(void)state;
	n = te4_mpls(&p, three_labels, 3, pkt);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	/* One bit flipped in transit: raw sockets see it before the kernel checks. */
	pkt[40] ^= 0x01;
	assert_int_equal(parse4_exact(pkt, n, &r), -1);
	assert_int_equal(r.kind, PKT_NONE);
}

static void
test_mpls_more_labels_than_kept(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 0x3333);
	static uint8_t pkt[BUF_MAX];
	uint32_t labels[12];
	struct pkt_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < 12; i++)
		labels[i] = mpls_entry(1000 + (uint32_t)i, 0, i == 11, 64);
	assert_int_equal(parse4_exact(pkt, te4_mpls(&p, labels, 12, pkt), &r),
	    0);
	assert_int_equal(r.n_mpls, PKT_MAX_MPLS);
	assert_int_equal(r.mpls[PKT_MAX_MPLS - 1].label,
	    1000 + PKT_MAX_MPLS - 1);
}

static void
test_mpls_compat_layout(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_UDP, 0x4444);
	struct pkt_probe p6 = mkprobe(AF_INET6, PROTO_UDP, 0x4444);
	static uint8_t pkt[BUF_MAX], m[BUF_MAX];
	struct pkt_reply r;
	size_t n;

	(void)state;
	/* Pre-RFC 4884 routers: length 0, extension at byte 128 of the quote. */
	n = te4_mpls(&p, three_labels, 3, pkt);
	pkt[25] = 0;
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_three_labels(&r);
	/* Without a checksum the guess at byte 128 is not trusted. */
	wr16(pkt + 158, 0);
	fix4(pkt, n);
	assert_int_equal(parse4_exact(pkt, n, &r), 0);
	assert_int_equal(r.n_mpls, 0);

	n = te6_mpls(&p6, three_labels, 3, m);
	m[4] = 0;
	assert_int_equal(parse6_exact(m, n, &r), 0);
	assert_three_labels(&r);
	/* Packet too big: byte 4 is the MTU, never an RFC 4884 length. */
	n = te6_mpls(&p6, three_labels, 3, m);
	m[0] = 2;
	assert_int_equal(parse6_exact(m, n, &r), 0);
	assert_int_equal(r.kind, PKT_OTHER_ERROR);
	assert_int_equal(r.n_mpls, 0);
}

static void
test_mpls_trailing_padding(void **state)
{
	struct pkt_probe p = mkprobe(AF_INET, PROTO_ICMP, 0x5555);
	static uint8_t pkt[BUF_MAX];
	struct pkt_reply r;
	size_t n;

	(void)state;
	/* Bytes after the IPv4 total length must not enter the checksum. */
	n = te4_mpls(&p, three_labels, 3, pkt);
	memset(pkt + n, 0xaa, 6);
	assert_int_equal(parse4_exact(pkt, n + 6, &r), 0);
	assert_three_labels(&r);
}

static void
test_unreach_names_and_flags(void **state)
{
	(void)state;
	assert_string_equal(pkt_unreach_flag(AF_INET, 0), "!N");
	assert_string_equal(pkt_unreach_flag(AF_INET, 1), "!H");
	assert_string_equal(pkt_unreach_flag(AF_INET, 2), "!P");
	assert_string_equal(pkt_unreach_flag(AF_INET, 3), "");
	assert_string_equal(pkt_unreach_flag(AF_INET, 4), "!F");
	assert_string_equal(pkt_unreach_flag(AF_INET, 5), "!S");
	assert_string_equal(pkt_unreach_flag(AF_INET, 6), "!6");
	assert_string_equal(pkt_unreach_flag(AF_INET, 9), "!X");
	assert_string_equal(pkt_unreach_flag(AF_INET, 10), "!X");
	assert_string_equal(pkt_unreach_flag(AF_INET, 13), "!X");
	assert_string_equal(pkt_unreach_flag(AF_INET, 14), "!14");
	assert_string_equal(pkt_unreach_flag(AF_INET, 200), "!200");
	assert_string_equal(pkt_unreach_flag(AF_INET, 255), "!255");
	assert_string_equal(pkt_unreach_name(AF_INET, 1), "host unreachable");
	assert_string_equal(pkt_unreach_name(AF_INET, 3), "port unreachable");
	assert_string_equal(pkt_unreach_name(AF_INET, 13),
	    "communication administratively prohibited");

	assert_string_equal(pkt_unreach_flag(AF_INET6, 0), "!N");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 1), "!X");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 2), "!2");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 3), "!H");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 4), "");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 5), "!S");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 6), "!R");
	assert_string_equal(pkt_unreach_flag(AF_INET6, 99), "!99");
	assert_string_equal(pkt_unreach_name(AF_INET6, 0),
	    "no route to destination");
	assert_string_equal(pkt_unreach_name(AF_INET6, 3),
	    "address unreachable");
	assert_string_equal(pkt_unreach_name(AF_INET6, 4), "port unreachable");
	assert_non_null(pkt_unreach_name(AF_INET6, 250));
	assert_non_null(pkt_unreach_name(0, 1));
}

/* ---------------------------------------------------------------------- */

/* Writes one seed file; failures only cost the corpus a seed. */
static void
write_seed(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return;
	f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		return;
	}
	if (fwrite(b, 1, n, f) != n)
		perror(path);
	fclose(f);
}

/* Writes the replies the tests build as fuzzing seeds. */
static void
write_corpus(const char *dir)
{
	static const char *const pname[] = { "icmp", "udp", "tcp" };
	static uint8_t b[BUF_MAX], q[BUF_MAX], ext[64];
	struct pkt_probe p;
	char name[64];
	int proto;
	size_t n, qlen;

	for (proto = 0; proto < PROTO_COUNT; proto++) {
		p = mkprobe(AF_INET, (enum proto)proto, 0x0102);
		snprintf(name, sizeof(name), "v4-te-%s", pname[proto]);
		write_seed(dir, name, b, te4(&p, b));
		qlen = sent4(&p, q);
		snprintf(name, sizeof(name), "v4-unreach-%s", pname[proto]);
		write_seed(dir, name, b, icmp4_msg(b, 3, proto == 1 ? 3 : 1,
		    q, 28, 0, NULL, 0));
		snprintf(name, sizeof(name), "v4-mpls-%s", pname[proto]);
		write_seed(dir, name, b, te4_mpls(&p, three_labels, 3, b));

		p = mkprobe(AF_INET6, (enum proto)proto, 0x0102);
		snprintf(name, sizeof(name), "v6-te-%s", pname[proto]);
		write_seed(dir, name, b, te6(&p, b));
		qlen = sent6(&p, NULL, 0, 0, q);
		snprintf(name, sizeof(name), "v6-unreach-%s", pname[proto]);
		write_seed(dir, name, b, icmp6_msg(b, 1, proto == 1 ? 4 : 3,
		    q, qlen, 0, NULL, 0));
		snprintf(name, sizeof(name), "v6-mpls-%s", pname[proto]);
		write_seed(dir, name, b, te6_mpls(&p, three_labels, 3, b));
	}
	p = mkprobe(AF_INET, PROTO_TCP, 0x0102);
	write_seed(dir, "v4-synack", b, tcp4_answer(&p, 0x12, b));
	write_seed(dir, "v4-rst", b, tcp4_answer(&p, 0x14, b));
	n = te4_mpls(&p, three_labels, 3, b);
	b[25] = 0;
	wr16(b + 22, 0);
	wr16(b + 22, pkt_checksum(b + 20, n - 20, 0));
	write_seed(dir, "v4-mpls-compat", b, n);
	memset(b + 20, 0, 36);
	wr16(b + 24, IDENT);
	wr16(b + 26, 1);
	wr16(b + 22, pkt_checksum(b + 20, 36, 0));
	ip4_header(b, 20, 1, DST4, SRC4, 56, 55);
	write_seed(dir, "v4-echo-reply", b, 56);

	p = mkprobe(AF_INET6, PROTO_TCP, 0x0102);
	write_seed(dir, "v6-synack", b, tcp6_answer(&p, 0x12, b));
	write_seed(dir, "v6-rst", b, tcp6_answer(&p, 0x14, b));
	memset(b, 0, 64);
	b[0] = 129;
	wr16(b + 4, IDENT);
	wr16(b + 6, 1);
	write_seed(dir, "v6-echo-reply", b, 24);
	p = mkprobe(AF_INET6, PROTO_UDP, 0x0102);
	memset(ext, 0, sizeof(ext));
	ext[0] = 44;
	ext[8] = 60;
	ext[16] = 17;
	qlen = sent6(&p, ext, 24, 0, q);
	write_seed(dir, "v6-te-exthdrs", b, icmp6_msg(b, 3, 0, q, qlen, 0,
	    NULL, 0));
	qlen = sent6(&p, NULL, 0, 0, q);
	write_seed(dir, "v6-too-big", b, icmp6_msg(b, 2, 0, q, qlen, 0, NULL,
	    0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_rfc1071),
		cmocka_unit_test(test_proto_names),
		cmocka_unit_test(test_min_size),
		cmocka_unit_test(test_build_icmp4_bytes),
		cmocka_unit_test(test_build_icmp6_pseudo_header),
		cmocka_unit_test(test_build_udp4_checksum_is_seq),
		cmocka_unit_test(test_build_udp6_checksum_is_seq),
		cmocka_unit_test(test_build_udp_flow_is_stable),
		cmocka_unit_test(test_build_udp_rejects_unencodable_seq),
		cmocka_unit_test(test_build_tcp4_syn),
		cmocka_unit_test(test_build_tcp6_syn),
		cmocka_unit_test(test_build_rejects_bad_input),
		cmocka_unit_test(test_parse_time_exceeded4_all_protos),
		cmocka_unit_test(test_parse_time_exceeded6_all_protos),
		cmocka_unit_test(test_parse_port_unreach4_minimal_quote),
		cmocka_unit_test(test_parse_port_unreach6),
		cmocka_unit_test(test_parse_echo_reply),
		cmocka_unit_test(test_parse_rejects_echo_requests),
		cmocka_unit_test(test_parse_other_errors),
		cmocka_unit_test(test_parse_tcp4_synack_and_rst),
		cmocka_unit_test(test_parse_tcp_rejects_non_answers),
		cmocka_unit_test(test_parse_tcp6_synack_and_rst),
		cmocka_unit_test(test_parse_ip4_options),
		cmocka_unit_test(test_parse_ip4_bad_headers),
		cmocka_unit_test(test_parse_ip4_bad_quotes),
		cmocka_unit_test(test_parse_ip4_truncated_everywhere),
		cmocka_unit_test(test_parse_icmp6_truncated_everywhere),
		cmocka_unit_test(test_parse_icmp6_extension_headers),
		cmocka_unit_test(test_parse_icmp6_extension_loop),
		cmocka_unit_test(test_parse_icmp6_bad_quotes),
		cmocka_unit_test(test_mpls4_one_and_three_labels),
		cmocka_unit_test(test_mpls6_three_labels),
		cmocka_unit_test(test_mpls_bad_checksum_ignored),
		cmocka_unit_test(test_mpls_lengths_overrun),
		cmocka_unit_test(test_bad_icmp_checksum_rejected),
		cmocka_unit_test(test_mpls_more_labels_than_kept),
		cmocka_unit_test(test_mpls_compat_layout),
		cmocka_unit_test(test_mpls_trailing_padding),
		cmocka_unit_test(test_unreach_names_and_flags),
	};
	const char *dir = getenv("NTRACE_WRITE_CORPUS");

	if (dir != NULL && dir[0] != '\0')
		write_corpus(dir);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
