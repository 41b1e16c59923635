/*
 * Probe packets and the replies they provoke: building, parsing, identity.
 * Every length read off the wire is checked before it is used.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "packet.h"

#define IP4_HDR_LEN	20
#define IP6_HDR_LEN	40
#define ICMP_HDR_LEN	8
#define UDP_HDR_LEN	8
#define TCP_HDR_LEN	20
#define TCP_SYN_LEN	24	/* header plus a 4-byte MSS option */
#define TCP_WINDOW	64240
#define UDP_FIX_LEN	2	/* payload bytes that steer the UDP checksum */
#define QUOTE_MIN	8	/* transport bytes every ICMP error quotes */

#define ICMP4_ECHO_REPLY	0
#define ICMP4_UNREACH		3
#define ICMP4_SOURCE_QUENCH	4
#define ICMP4_ECHO		8
#define ICMP4_TIME_EXCEEDED	11
#define ICMP4_PARAM_PROBLEM	12

#define ICMP6_UNREACH		1
#define ICMP6_TOO_BIG		2
#define ICMP6_TIME_EXCEEDED	3
#define ICMP6_PARAM_PROBLEM	4
#define ICMP6_ECHO		128
#define ICMP6_ECHO_REPLY	129

#define PROTO_NUM_HOPOPTS	0
#define PROTO_NUM_ICMP		1
#define PROTO_NUM_TCP		6
#define PROTO_NUM_UDP		17
#define PROTO_NUM_ROUTING	43
#define PROTO_NUM_FRAGMENT	44
#define PROTO_NUM_ICMP6		58
#define PROTO_NUM_DSTOPTS	60

#define TCP_FLAG_SYN	0x02
#define TCP_FLAG_RST	0x04
#define TCP_FLAG_ACK	0x10

/* Extension headers walked in a quoted IPv6 packet before giving up. */
#define EXT6_MAX	8
/* RFC 4884 section 5.5: pre-standard extensions follow 128 bytes of quote. */
#define EXT_COMPAT_OFF	128
#define EXT_VERSION	2
#define EXT_CLASS_MPLS	1	/* RFC 4950 */
#define EXT_CTYPE_MPLS	1

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Adds big-endian 16-bit words to an unfolded ones' complement sum. */
static uint32_t
sum_words(const uint8_t *b, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(b + i);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

uint16_t
pkt_checksum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *b = buf;
	uint64_t acc = sum;
	size_t i;

	/* A 64-bit accumulator cannot overflow for any buffer in memory. */
	for (i = 0; i + 1 < len; i += 2)
		acc += get16(b + i);
	if (len & 1)
		acc += (uint64_t)b[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

const char *
pkt_proto_name(enum proto proto)
{
	switch (proto) {
	case PROTO_ICMP:
		return "icmp";
	case PROTO_UDP:
		return "udp";
	case PROTO_TCP:
		return "tcp";
	default:
		return "?";
	}
}

/* Compares ASCII case-insensitively without depending on the locale. */
static bool
name_is(const char *s, const char *lower)
{
	for (; *s != '\0' && *lower != '\0'; s++, lower++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *lower)
			return false;
	}
	return *s == '\0' && *lower == '\0';
}

int
pkt_proto_from_name(const char *name)
{
	int p;

	if (name == NULL)
		return -1;
	for (p = 0; p < PROTO_COUNT; p++) {
		if (name_is(name, pkt_proto_name((enum proto)p)))
			return p;
	}
	return -1;
}

/* Bytes of IP header the kernel puts in front of what pkt_build writes. */
static size_t
ip_hdr_len(int family)
{
	if (family == AF_INET)
		return IP4_HDR_LEN;
	if (family == AF_INET6)
		return IP6_HDR_LEN;
	return 0;
}

size_t
pkt_min_size(int family, enum proto proto)
{
	size_t ip = ip_hdr_len(family);

	if (ip == 0)
		return 0;
	switch (proto) {
	case PROTO_ICMP:
		return ip + ICMP_HDR_LEN;
	case PROTO_UDP:
		return ip + UDP_HDR_LEN + UDP_FIX_LEN;
	case PROTO_TCP:
		return ip + TCP_SYN_LEN;
	default:
		return 0;
	}
}

/* An unset address counts as all zeros; one of the other family is a bug. */
static bool
addr_fits(const struct addr *a, int family)
{
	return a->family == 0 || a->family == family;
}

/* Sums the UDP/TCP/ICMPv6 pseudo-header (RFC 768, RFC 793, RFC 8200 8.1). */
static uint32_t
pseudo_sum(const struct pkt_probe *p, uint8_t nxt, size_t ulen)
{
	uint8_t ph[IP6_HDR_LEN];
	size_t alen = p->family == AF_INET ? 4 : 16;

	memset(ph, 0, sizeof(ph));
	if (p->src.family == p->family)
		memcpy(ph, p->src.u.bytes, alen);
	if (p->dst.family == p->family)
		memcpy(ph + alen, p->dst.u.bytes, alen);
	if (p->family == AF_INET) {
		ph[9] = nxt;
		put16(ph + 10, (uint16_t)ulen);
		return sum_words(ph, 12, 0);
	}
	put32(ph + 32, (uint32_t)ulen);
	ph[39] = nxt;
	return sum_words(ph, 40, 0);
}

/* Writes an echo request; ICMPv6 covers the pseudo-header, ICMPv4 does not. */
static void
build_icmp(const struct pkt_probe *p, uint8_t *b, size_t n)
{
	uint32_t sum = 0;

	b[0] = p->family == AF_INET ? ICMP4_ECHO : ICMP6_ECHO;
	b[1] = 0;
	put16(b + 4, p->ident);
	put16(b + 6, p->seq);
	if (p->family == AF_INET6)
		sum = pseudo_sum(p, PROTO_NUM_ICMP6, n);
	put16(b + 2, pkt_checksum(b, n, sum));
}

/*
 * Writes a UDP datagram whose checksum equals seq: two payload bytes absorb
 * the difference, so ports and addresses (the flow) never change (Paris
 * traceroute).
 */
static int
build_udp(const struct pkt_probe *p, uint8_t *b, size_t n)
{
	uint32_t sum;
	uint16_t rest, fix;

	put16(b, p->sport);
	put16(b + 2, p->dport);
	put16(b + 4, (uint16_t)n);
	sum = pseudo_sum(p, PROTO_NUM_UDP, n);
	/* Complement of the folded sum of everything but the fix word. */
	rest = pkt_checksum(b, n, sum);
	/* fix = ~seq - S in ones' complement, so S + fix = ~seq. */
	fix = (uint16_t)~pkt_checksum(NULL, 0, (uint32_t)(uint16_t)~p->seq +
	    rest);
	put16(b + UDP_HDR_LEN, fix);
	if (pkt_checksum(b, n, sum) != p->seq)
		return -1;
	put16(b + 6, p->seq);
	return 0;
}

/* Writes a SYN whose sequence number carries ident and seq. */
static void
build_tcp(const struct pkt_probe *p, uint8_t *b, size_t n)
{
	uint16_t mss;

	mss = p->family == AF_INET ? 1460 : 1440;
	put16(b, p->sport);
	put16(b + 2, p->dport);
	put32(b + 4, (uint32_t)p->ident << 16 | p->seq);
	b[12] = (uint8_t)((n / 4) << 4);
	b[13] = TCP_FLAG_SYN;
	put16(b + 14, TCP_WINDOW);
	b[20] = 2;	/* RFC 793 option kind: maximum segment size */
	b[21] = 4;
	put16(b + 22, mss);
	put16(b + 16, pkt_checksum(b, n, pseudo_sum(p, PROTO_NUM_TCP, n)));
}

ssize_t
pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t len)
{
	size_t size, n;

	if (p == NULL || buf == NULL || ip_hdr_len(p->family) == 0)
		return -1;
	if (!addr_fits(&p->src, p->family) || !addr_fits(&p->dst, p->family))
		return -1;
	switch (p->proto) {
	case PROTO_ICMP:
	case PROTO_UDP:
		size = p->size == 0 ? PKT_DEFAULT_SIZE : p->size;
		if (size < pkt_min_size(p->family, p->proto) ||
		    size > PKT_MAX_SIZE)
			return -1;
		n = size - ip_hdr_len(p->family);
		break;
	case PROTO_TCP:
		n = TCP_SYN_LEN;
		break;
	default:
		return -1;
	}
	/* A UDP checksum of 0 means "none" and 0xffff is how 0 is sent. */
	if (p->proto == PROTO_UDP && (p->seq == 0 || p->seq == 0xffff))
		return -1;
	if (len < n)
		return -1;
	memset(buf, 0, n);
	switch (p->proto) {
	case PROTO_ICMP:
		build_icmp(p, buf, n);
		break;
	case PROTO_UDP:
		if (build_udp(p, buf, n) == -1)
			return -1;
		break;
	default:
		build_tcp(p, buf, n);
		break;
	}
	return (ssize_t)n;
}

/*
 * Walks an RFC 4884 extension structure and keeps the RFC 4950 MPLS label
 * stack; anything malformed leaves the reply without labels.
 */
static void
parse_ext(const uint8_t *e, size_t elen, bool need_cksum,
    struct pkt_reply *out)
{
	struct pkt_mpls mpls[PKT_MAX_MPLS];
	unsigned n = 0;
	size_t off, olen, i;
	uint32_t v;

	if (elen < 4 || e[0] >> 4 != EXT_VERSION)
		return;
	/* RFC 4884 section 7: a zero checksum means none was sent. */
	if (get16(e + 2) == 0) {
		if (need_cksum)
			return;
	} else if (pkt_checksum(e, elen, 0) != 0)
		return;
	off = 4;
	while (elen - off >= 4) {
		olen = get16(e + off);
		if (olen < 4 || olen > elen - off)
			break;
		if (e[off + 2] == EXT_CLASS_MPLS && e[off + 3] == EXT_CTYPE_MPLS) {
			for (i = off + 4; i + 4 <= off + olen &&
			    n < PKT_MAX_MPLS; i += 4) {
				v = get32(e + i);
				mpls[n].label = v >> 12;
				mpls[n].tc = (uint8_t)((v >> 9) & 0x7);
				mpls[n].s = (uint8_t)((v >> 8) & 0x1);
				mpls[n].ttl = (uint8_t)v;
				n++;
			}
		}
		off += olen;
	}
	out->n_mpls = n;
	memcpy(out->mpls, mpls, n * sizeof(mpls[0]));
}

void
pkt_parse_extensions(const uint8_t *ext, size_t len, struct pkt_reply *out)
{
	parse_ext(ext, len, false, out);
}

/*
 * Finds the extension structure after the quoted datagram: at the RFC 4884
 * length when one is given, else at byte 128 for pre-standard routers.
 */
static void
locate_ext(const uint8_t *q, size_t qlen, size_t orig, struct pkt_reply *out)
{
	if (orig != 0) {
		if (orig < qlen)
			parse_ext(q + orig, qlen - orig, false, out);
		return;
	}
	if (qlen > EXT_COMPAT_OFF)
		parse_ext(q + EXT_COMPAT_OFF, qlen - EXT_COMPAT_OFF, true, out);
}

/* Reads the identity from the first transport bytes of a quoted probe. */
static int
parse_quoted_l4(uint8_t nxt, const uint8_t *t, size_t tlen, int family,
    struct pkt_reply *out)
{
	uint32_t tseq;

	if (tlen < QUOTE_MIN)
		return -1;
	switch (nxt) {
	case PROTO_NUM_ICMP:
	case PROTO_NUM_ICMP6:
		/* Only our echo requests; an error quoting an error is not. */
		if (family == AF_INET && (nxt != PROTO_NUM_ICMP ||
		    t[0] != ICMP4_ECHO))
			return -1;
		if (family == AF_INET6 && (nxt != PROTO_NUM_ICMP6 ||
		    t[0] != ICMP6_ECHO))
			return -1;
		out->proto = PROTO_ICMP;
		out->ident = get16(t + 4);
		out->seq = get16(t + 6);
		return 0;
	case PROTO_NUM_UDP:
		out->proto = PROTO_UDP;
		out->sport = get16(t);
		out->dport = get16(t + 2);
		out->seq = get16(t + 6);
		return 0;
	case PROTO_NUM_TCP:
		out->proto = PROTO_TCP;
		out->sport = get16(t);
		out->dport = get16(t + 2);
		tseq = get32(t + 4);
		out->ident = (uint16_t)(tseq >> 16);
		out->seq = (uint16_t)tseq;
		return 0;
	default:
		return -1;
	}
}

/* Parses the IPv4 packet quoted by an ICMP error (RFC 792: header + 8). */
static int
parse_quote4(const uint8_t *q, size_t qlen, struct pkt_reply *out)
{
	size_t hl;

	if (qlen < IP4_HDR_LEN || q[0] >> 4 != 4)
		return -1;
	hl = (size_t)(q[0] & 0xf) * 4;
	if (hl < IP4_HDR_LEN || hl > qlen)
		return -1;
	/* A later fragment carries no transport header. */
	if (get16(q + 6) & 0x1fff)
		return -1;
	out->probe_dst.family = AF_INET;
	memcpy(out->probe_dst.u.bytes, q + 16, 4);
	return parse_quoted_l4(q[9], q + hl, qlen - hl, AF_INET, out);
}

/* Parses the IPv6 packet quoted by an ICMPv6 error, skipping extensions. */
static int
parse_quote6(const uint8_t *q, size_t qlen, struct pkt_reply *out)
{
	size_t off = IP6_HDR_LEN, hlen;
	uint8_t nxt;
	int i;

	if (qlen < IP6_HDR_LEN || q[0] >> 4 != 6)
		return -1;
	out->probe_dst.family = AF_INET6;
	memcpy(out->probe_dst.u.bytes, q + 24, 16);
	nxt = q[6];
	/* Each step moves at least 8 bytes and the count is bounded too. */
	for (i = 0; i < EXT6_MAX; i++) {
		if (off > qlen)
			return -1;
		switch (nxt) {
		case PROTO_NUM_HOPOPTS:
		case PROTO_NUM_ROUTING:
		case PROTO_NUM_DSTOPTS:
			if (qlen - off < 8)
				return -1;
			hlen = ((size_t)q[off + 1] + 1) * 8;
			break;
		case PROTO_NUM_FRAGMENT:
			if (qlen - off < 8)
				return -1;
			/* RFC 8200 4.5: only the first fragment has ports. */
			if (get16(q + off + 2) & 0xfff8)
				return -1;
			hlen = 8;
			break;
		default:
			return parse_quoted_l4(nxt, q + off, qlen - off,
			    AF_INET6, out);
		}
		nxt = q[off];
		off += hlen;
	}
	return -1;
}

/* Parses a TCP answer to a SYN: SYN-ACK from an open port, RST otherwise. */
static int
parse_tcp(const uint8_t *t, size_t tlen, struct pkt_reply *out)
{
	size_t doff;
	uint8_t flags;
	uint32_t ack;

	if (tlen < TCP_HDR_LEN)
		return -1;
	doff = (size_t)(t[12] >> 4) * 4;
	if (doff < TCP_HDR_LEN || doff > tlen)
		return -1;
	flags = t[13];
	/* Without ACK the acknowledgment number says nothing about our SYN. */
	if (!(flags & TCP_FLAG_ACK))
		return -1;
	if (flags & TCP_FLAG_RST)
		out->kind = PKT_TCP_RST;
	else if (flags & TCP_FLAG_SYN)
		out->kind = PKT_TCP_SYNACK;
	else
		return -1;
	ack = get32(t + 8) - 1;
	out->proto = PROTO_TCP;
	out->sport = get16(t + 2);
	out->dport = get16(t);
	out->ident = (uint16_t)(ack >> 16);
	out->seq = (uint16_t)ack;
	return 0;
}

/* Parses an ICMPv4 message (RFC 792) found in an IPv4 packet. */
static int
parse_icmp4(const uint8_t *m, size_t mlen, struct pkt_reply *out)
{
	if (mlen < ICMP_HDR_LEN)
		return -1;
	out->icmp_type = m[0];
	out->icmp_code = m[1];
	switch (m[0]) {
	case ICMP4_ECHO_REPLY:
		out->kind = PKT_ECHO_REPLY;
		out->proto = PROTO_ICMP;
		out->ident = get16(m + 4);
		out->seq = get16(m + 6);
		out->probe_dst = out->from;
		return 0;
	case ICMP4_TIME_EXCEEDED:
		out->kind = PKT_TIME_EXCEEDED;
		break;
	case ICMP4_UNREACH:
		out->kind = PKT_UNREACH;
		break;
	case ICMP4_PARAM_PROBLEM:
	case ICMP4_SOURCE_QUENCH:
		out->kind = PKT_OTHER_ERROR;
		break;
	default:
		return -1;
	}
	if (parse_quote4(m + ICMP_HDR_LEN, mlen - ICMP_HDR_LEN, out) == -1)
		return -1;
	/* RFC 4884 section 4.1: length in 32-bit words at byte 5. */
	if (m[0] != ICMP4_SOURCE_QUENCH)
		locate_ext(m + ICMP_HDR_LEN, mlen - ICMP_HDR_LEN,
		    (size_t)m[5] * 4, out);
	return 0;
}

/* Leaves a rejected reply empty so no caller can act on half of it. */
static int
parse_fail(struct pkt_reply *out, int family)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	return -1;
}

int
pkt_parse_ip4(const uint8_t *buf, size_t len, struct pkt_reply *out)
{
	size_t hl, tot;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	if (buf == NULL || len < IP4_HDR_LEN || buf[0] >> 4 != 4)
		return -1;
	hl = (size_t)(buf[0] & 0xf) * 4;
	if (hl < IP4_HDR_LEN || hl > len)
		return -1;
	tot = get16(buf + 2);
	if (tot < hl)
		return -1;
	/* Link-layer padding after the datagram is not part of it. */
	if (tot < len)
		len = tot;
	if (get16(buf + 6) & 0x1fff)
		return -1;
	out->from.family = AF_INET;
	memcpy(out->from.u.bytes, buf + 12, 4);
	out->reply_ttl = buf[8];
	switch (buf[9]) {
	case PROTO_NUM_ICMP:
		/*
		 * Raw sockets see ICMP before the kernel checks it (RFC 792
		 * checksum): a corrupted reply must not name a hop.
		 */
		if (len == tot && pkt_checksum(buf + hl, len - hl, 0) != 0)
			return parse_fail(out, AF_INET);
		if (parse_icmp4(buf + hl, len - hl, out) == -1)
			return parse_fail(out, AF_INET);
		return 0;
	case PROTO_NUM_TCP:
		if (parse_tcp(buf + hl, len - hl, out) == -1)
			return parse_fail(out, AF_INET);
		out->probe_dst = out->from;
		return 0;
	default:
		return parse_fail(out, AF_INET);
	}
}

/* Parses an ICMPv6 message (RFC 4443) after the IPv6 header. */
static int
parse_icmp6(const uint8_t *m, size_t mlen, struct pkt_reply *out)
{
	if (mlen < ICMP_HDR_LEN)
		return -1;
	out->icmp_type = m[0];
	out->icmp_code = m[1];
	switch (m[0]) {
	case ICMP6_ECHO_REPLY:
		out->kind = PKT_ECHO_REPLY;
		out->proto = PROTO_ICMP;
		out->ident = get16(m + 4);
		out->seq = get16(m + 6);
		out->probe_dst = out->from;
		return 0;
	case ICMP6_TIME_EXCEEDED:
		out->kind = PKT_TIME_EXCEEDED;
		break;
	case ICMP6_UNREACH:
		out->kind = PKT_UNREACH;
		break;
	case ICMP6_TOO_BIG:
	case ICMP6_PARAM_PROBLEM:
		out->kind = PKT_OTHER_ERROR;
		break;
	default:
		return -1;
	}
	if (parse_quote6(m + ICMP_HDR_LEN, mlen - ICMP_HDR_LEN, out) == -1)
		return -1;
	/*
	 * RFC 4884 section 4.2: length in 64-bit words at byte 4, only for
	 * the types that define it (byte 4 is the MTU or pointer elsewhere).
	 */
	if (m[0] == ICMP6_TIME_EXCEEDED || m[0] == ICMP6_UNREACH)
		locate_ext(m + ICMP_HDR_LEN, mlen - ICMP_HDR_LEN,
		    (size_t)m[4] * 8, out);
	return 0;
}

int
pkt_parse_icmp6(const uint8_t *buf, size_t len, const struct addr *from,
    struct pkt_reply *out)
{
	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	if (buf == NULL)
		return -1;
	if (from != NULL)
		out->from = *from;
	if (parse_icmp6(buf, len, out) == -1)
		return parse_fail(out, AF_INET6);
	return 0;
}

int
pkt_parse_tcp6(const uint8_t *buf, size_t len, const struct addr *from,
    struct pkt_reply *out)
{
	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	if (buf == NULL)
		return -1;
	if (from != NULL)
		out->from = *from;
	if (parse_tcp(buf, len, out) == -1)
		return parse_fail(out, AF_INET6);
	out->probe_dst = out->from;
	return 0;
}

/* "!0" .. "!259", so any code gets a flag without a buffer. */
#define FLAG10(p) "!" #p "0", "!" #p "1", "!" #p "2", "!" #p "3", \
	"!" #p "4", "!" #p "5", "!" #p "6", "!" #p "7", "!" #p "8", "!" #p "9"
static const char *const code_flags[] = {
	FLAG10(), FLAG10(1), FLAG10(2), FLAG10(3), FLAG10(4), FLAG10(5),
	FLAG10(6), FLAG10(7), FLAG10(8), FLAG10(9), FLAG10(10), FLAG10(11),
	FLAG10(12), FLAG10(13), FLAG10(14), FLAG10(15), FLAG10(16),
	FLAG10(17), FLAG10(18), FLAG10(19), FLAG10(20), FLAG10(21),
	FLAG10(22), FLAG10(23), FLAG10(24), FLAG10(25)
};
#undef FLAG10

struct unreach_code {
	const char *name;
	const char *flag;	/* NULL: "!<code>" */
};

/* RFC 792 and RFC 1812 5.2.7.1 codes; the flags follow traceroute. */
static const struct unreach_code unreach4[] = {
	{ "network unreachable", "!N" },
	{ "host unreachable", "!H" },
	{ "protocol unreachable", "!P" },
	{ "port unreachable", "" },
	{ "fragmentation needed", "!F" },
	{ "source route failed", "!S" },
	{ "destination network unknown", NULL },
	{ "destination host unknown", NULL },
	{ "source host isolated", NULL },
	{ "network administratively prohibited", "!X" },
	{ "host administratively prohibited", "!X" },
	{ "network unreachable for TOS", NULL },
	{ "host unreachable for TOS", NULL },
	{ "communication administratively prohibited", "!X" },
	{ "host precedence violation", NULL },
	{ "precedence cutoff in effect", NULL },
};

/* RFC 4443 section 3.1 codes. */
static const struct unreach_code unreach6[] = {
	{ "no route to destination", "!N" },
	{ "communication administratively prohibited", "!X" },
	{ "beyond scope of source address", NULL },
	{ "address unreachable", "!H" },
	{ "port unreachable", "" },
	{ "source address failed ingress/egress policy", "!S" },
	{ "reject route to destination", "!R" },
	{ "error in source routing header", NULL },
};

static const struct unreach_code *
unreach_lookup(int family, uint8_t code)
{
	if (family == AF_INET &&
	    code < sizeof(unreach4) / sizeof(unreach4[0]))
		return &unreach4[code];
	if (family == AF_INET6 &&
	    code < sizeof(unreach6) / sizeof(unreach6[0]))
		return &unreach6[code];
	return NULL;
}

const char *
pkt_unreach_name(int family, uint8_t code)
{
	const struct unreach_code *u = unreach_lookup(family, code);

	if (u == NULL)
		return "unreachable (unknown code)";
	return u->name;
}

const char *
pkt_unreach_flag(int family, uint8_t code)
{
	const struct unreach_code *u = unreach_lookup(family, code);

	if (u == NULL || u->flag == NULL)
		return code_flags[code];
	return u->flag;
}

bool
pkt_reply_matches(const struct pkt_probe *tmpl, unsigned nflows,
    const struct pkt_reply *r)
{
	if (r->family != tmpl->family || r->proto != tmpl->proto)
		return false;
	/* A UDP checksum cannot be 0 or 0xffff, so no probe carries them. */
	if (r->seq == 0 || r->seq == 0xffff)
		return false;
	switch (tmpl->proto) {
	case PROTO_ICMP:
		if (r->ident != tmpl->ident)
			return false;
		break;
	case PROTO_TCP:
		if (r->ident != tmpl->ident)
			return false;
		/* FALLTHROUGH */
	case PROTO_UDP:
		if (r->dport != tmpl->dport ||
		    (unsigned)(uint16_t)(r->sport - tmpl->sport) >= nflows)
			return false;
		break;
	default:
		return false;
	}
	return addr_equal(&r->probe_dst, &tmpl->dst);
}
