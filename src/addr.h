/* Family-independent IPv4/IPv6 host addresses. */
#ifndef NTRACE_ADDR_H
#define NTRACE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

struct addr {
	int family; /* AF_INET, AF_INET6, or 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} u;
};

bool addr_is_set(const struct addr *a);
bool addr_equal(const struct addr *a, const struct addr *b);
/* Length in bytes of the address proper: 4, 16, or 0. */
size_t addr_len(const struct addr *a);
/* Writes the numeric form; returns buf. */
const char *addr_ntop(const struct addr *a, char *buf, size_t len);
/* Parses a numeric IPv4 or IPv6 address; returns 0 or -1. */
int addr_pton(const char *s, struct addr *out);
/*
 * Splits "ADDR", "ADDR:PORT" (IPv4), a bare IPv6 address or "[IPV6]:PORT"
 * into a numeric address and the port text after the colon (*port is NULL
 * when there is none; it is not checked). Returns 0, or -1 when the
 * address part is not a numeric address of the form's family.
 */
int addr_split_hostport(const char *s, struct addr *out, const char **port);
void addr_from_sockaddr(const struct sockaddr *sa, struct addr *out);
/* Fills a sockaddr_in/_in6 with the address and port; returns its length. */
socklen_t addr_to_sockaddr(const struct addr *a, uint16_t port,
    struct sockaddr_storage *ss);
uint32_t addr_hash(const struct addr *a);

#endif
