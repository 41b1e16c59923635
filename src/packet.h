/*
 * Probe packets and the replies they provoke: building, parsing, identity.
 * Pure code: no I/O, no globals, safe on any input (the parser is fuzzed).
 */
#ifndef NTRACE_PACKET_H
#define NTRACE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

enum proto { PROTO_ICMP = 0, PROTO_UDP = 1, PROTO_TCP = 2, PROTO_COUNT };

#define PKT_MAX_MPLS 8
#define PKT_MAX_SIZE 9000
#define PKT_DEFAULT_SIZE 64

/*
 * What identifies one probe on the wire; a reply quotes it back.
 *  ICMP: echo id = ident, echo sequence = seq.
 *  UDP:  ports sport -> dport; the UDP checksum is made equal to seq by two
 *        payload bytes (Paris traceroute), so the flow 5-tuple stays fixed.
 *  TCP:  SYN sport -> dport with sequence number (ident << 16) | seq.
 * seq is never 0 or 0xffff (a UDP checksum cannot carry those).
 */
struct pkt_probe {
	int family;		/* AF_INET or AF_INET6 */
	enum proto proto;
	struct addr src;	/* for the UDP/TCP pseudo-header checksum */
	struct addr dst;
	uint16_t ident;
	uint16_t seq;
	uint16_t sport;
	uint16_t dport;
	size_t size;		/* whole IP packet on the wire (mtr -s); 0: default */
};

enum pkt_kind {
	PKT_NONE = 0,
	PKT_TIME_EXCEEDED,	/* ICMP(v6) time exceeded in transit */
	PKT_UNREACH,		/* ICMP(v6) destination unreachable */
	PKT_ECHO_REPLY,		/* ICMP(v6) echo reply */
	PKT_TCP_SYNACK,
	PKT_TCP_RST,
	PKT_OTHER_ERROR,	/* parameter problem, packet too big, ... */
};

struct pkt_mpls {
	uint32_t label;		/* 20 bits */
	uint8_t tc;		/* traffic class (formerly EXP), 3 bits */
	uint8_t s;		/* bottom of stack */
	uint8_t ttl;
};

/* A reply, reduced to what matching and the statistics need. */
struct pkt_reply {
	enum pkt_kind kind;
	int family;
	enum proto proto;	/* protocol of the probe it answers */
	struct addr from;	/* who sent the reply */
	struct addr probe_dst;	/* destination of the probe it answers */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint8_t reply_ttl;	/* outer IPv4 TTL; 0 where unknown */
	uint16_t ident;		/* identity, as in struct pkt_probe */
	uint16_t seq;
	uint16_t sport;
	uint16_t dport;
	unsigned n_mpls;
	struct pkt_mpls mpls[PKT_MAX_MPLS];
};

/* Smallest and largest valid -s sizes for a family and protocol. */
size_t pkt_min_size(int family, enum proto proto);
/*
 * Builds the transport header and payload of a probe (the kernel adds the IP
 * header). Returns the length written, or -1 if buf is too small or p is bad.
 */
ssize_t pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t len);
/* Parses a packet from a raw IPv4 socket, starting at the IPv4 header. */
int pkt_parse_ip4(const uint8_t *buf, size_t len, struct pkt_reply *out);
/* Parses an ICMPv6 message from a raw ICMPv6 socket (no IPv6 header). */
int pkt_parse_icmp6(const uint8_t *buf, size_t len, const struct addr *from,
    struct pkt_reply *out);
/* Parses a TCP segment from a raw IPv6 TCP socket (no IPv6 header). */
int pkt_parse_tcp6(const uint8_t *buf, size_t len, const struct addr *from,
    struct pkt_reply *out);
/*
 * Reads the MPLS label stack from an RFC 4884 extension structure that
 * starts at ext (as IP_RECVERR_RFC4884 locates it on an error queue).
 */
void pkt_parse_extensions(const uint8_t *ext, size_t len,
    struct pkt_reply *out);
/*
 * Whether a reply answers a probe built from tmpl: same family and
 * protocol, ICMP/TCP identifier, destination port, destination address,
 * and a source port within the nflows ports from tmpl->sport. The sequence
 * number then picks the probe.
 */
bool pkt_reply_matches(const struct pkt_probe *tmpl, unsigned nflows,
    const struct pkt_reply *r);
/* Internet checksum (RFC 1071) over buf, continuing from a partial sum. */
uint16_t pkt_checksum(const void *buf, size_t len, uint32_t sum);
const char *pkt_proto_name(enum proto proto);
/* Parses "icmp", "udp" or "tcp"; returns -1 if unknown. */
int pkt_proto_from_name(const char *name);
/* Text for an ICMP(v6) unreachable code, e.g. "host unreachable" ("!H"). */
const char *pkt_unreach_name(int family, uint8_t code);
const char *pkt_unreach_flag(int family, uint8_t code);

#endif
