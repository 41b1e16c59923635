/*
 * libFuzzer target for the packet codec: every parser gets the same bytes
 * and must return 0 or -1 with a reply that is internally consistent; the
 * first bytes also describe a probe whose built form must verify, and the
 * same bytes are read as a bare RFC 4884 extension structure.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a crash libFuzzer records as a finding. */
static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Invariants every reply holds, whatever the input was. */
static void
check_reply(int rc, const struct pkt_reply *r, int family)
{
	unsigned i;

	check(rc == 0 || rc == -1);
	check(r->family == family);
	check(r->n_mpls <= PKT_MAX_MPLS);
	if (rc == -1) {
		check(r->kind == PKT_NONE && r->n_mpls == 0);
		return;
	}
	check(r->kind > PKT_NONE && r->kind <= PKT_OTHER_ERROR);
	check((unsigned)r->proto < PROTO_COUNT);
	check(r->probe_dst.family == family);
	for (i = 0; i < r->n_mpls; i++) {
		check(r->mpls[i].label <= 0xfffff);
		check(r->mpls[i].tc <= 7);
		check(r->mpls[i].s <= 1);
	}
	if (r->kind == PKT_TCP_SYNACK || r->kind == PKT_TCP_RST)
		check(r->proto == PROTO_TCP && r->n_mpls == 0);
	if (r->kind == PKT_ECHO_REPLY)
		check(r->proto == PROTO_ICMP &&
		    addr_equal(&r->probe_dst, &r->from));
}

/*
 * Quotes the first qlen bytes of a built IPv4 probe in a time exceeded and
 * checks the parser reads back the identity the builder wrote.
 */
static void
check_roundtrip(const struct pkt_probe *p, const uint8_t *seg, size_t n,
    size_t qlen)
{
	static const uint8_t proto_num[] = { 1, 17, 6 };
	uint8_t pkt[20 + 8 + 20 + 72];
	struct pkt_reply r;
	uint16_t cksum;
	size_t len;

	if (qlen > n)
		qlen = n;
	len = 48 + qlen;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	pkt[8] = 64;
	pkt[9] = 1;
	pkt[20] = 11;
	pkt[28] = 0x45;
	pkt[37] = proto_num[p->proto];
	memcpy(pkt + 40, p->src.u.bytes, 4);
	memcpy(pkt + 44, p->dst.u.bytes, 4);
	memcpy(pkt + 48, seg, qlen);
	/* A router's message carries a valid ICMP checksum (RFC 792). */
	cksum = pkt_checksum(pkt + 20, len - 20, 0);
	pkt[22] = (uint8_t)(cksum >> 8);
	pkt[23] = (uint8_t)cksum;
	check(pkt_parse_ip4(pkt, len, &r) == 0);
	check(r.kind == PKT_TIME_EXCEEDED && r.proto == p->proto);
	check(r.seq == p->seq && addr_equal(&r.probe_dst, &p->dst));
	if (p->proto != PROTO_UDP)
		check(r.ident == p->ident);
	if (p->proto != PROTO_ICMP)
		check(r.sport == p->sport && r.dport == p->dport);
}

/* Builds a probe from the input and checks what the contract promises. */
static void
check_build(const uint8_t *data, size_t size)
{
	static uint8_t buf[PKT_MAX_SIZE];
	struct pkt_probe p;
	ssize_t n;

	if (size < 24)
		return;
	memset(&p, 0, sizeof(p));
	p.family = data[0] & 1 ? AF_INET6 : AF_INET;
	p.proto = (enum proto)(data[1] % 3);
	p.ident = (uint16_t)(data[2] << 8 | data[3]);
	p.seq = (uint16_t)(data[4] << 8 | data[5]);
	p.sport = (uint16_t)(data[6] << 8 | data[7]);
	p.dport = (uint16_t)(data[8] << 8 | data[9]);
	p.size = (size_t)(data[10] << 8 | data[11]);
	p.src.family = p.dst.family = p.family;
	memcpy(p.src.u.bytes, data + 12, 4);
	memcpy(p.dst.u.bytes, data + 16, 4);
	n = pkt_build(&p, buf, sizeof(buf));
	if (n == -1) {
		check(p.size > PKT_MAX_SIZE || (p.size != 0 &&
		    p.size < pkt_min_size(p.family, p.proto)) ||
		    (p.proto == PROTO_UDP && (p.seq == 0 || p.seq == 0xffff)));
		return;
	}
	check(n >= 8 && (size_t)n <= sizeof(buf));
	if (p.proto == PROTO_UDP)
		check(buf[6] == data[4] && buf[7] == data[5]);
	if (p.proto == PROTO_ICMP && p.family == AF_INET)
		check(pkt_checksum(buf, (size_t)n, 0) == 0);
	if (p.family == AF_INET)
		check_roundtrip(&p, buf, (size_t)n, data[22] % 64 + 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_reply r;
	struct addr from;
	uint8_t *copy;
	unsigned i;
	int rc;

	/* An exact-size copy so any overread lands outside the allocation. */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	memset(&from, 0, sizeof(from));
	from.family = AF_INET6;
	from.u.bytes[15] = 1;

	rc = pkt_parse_ip4(copy, size, &r);
	check_reply(rc, &r, AF_INET);
	if (rc == 0)
		check(r.from.family == AF_INET);
	rc = pkt_parse_icmp6(copy, size, &from, &r);
	check_reply(rc, &r, AF_INET6);
	if (rc == 0)
		check(addr_equal(&r.from, &from));
	rc = pkt_parse_tcp6(copy, size, &from, &r);
	check_reply(rc, &r, AF_INET6);
	if (rc == 0)
		check(r.kind == PKT_TCP_SYNACK || r.kind == PKT_TCP_RST);
	/* The unprivileged back end hands extensions over on their own. */
	memset(&r, 0, sizeof(r));
	pkt_parse_extensions(copy, size, &r);
	check(r.n_mpls <= PKT_MAX_MPLS);
	for (i = 0; i < r.n_mpls; i++)
		check(r.mpls[i].label <= 0xfffff && r.mpls[i].tc <= 7 &&
		    r.mpls[i].s <= 1);
	free(copy);
	check_build(data, size);
	return 0;
}
