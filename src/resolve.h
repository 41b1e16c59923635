/*
 * Names without blocking: c-ares lives inside the engine's poll loop.
 * Target addresses (A/AAAA), PTR names and AS data (TXT from
 * origin.asn.cymru.com) are asked for here; PTR and AS answers are stored,
 * sanitised, in the model's name cache. Only the engine thread calls this.
 */
#ifndef NTRACE_RESOLVE_H
#define NTRACE_RESOLVE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "model.h"

#define RESOLVE_MAX_FDS 16

enum resolve_status {
	RESOLVE_OK = 0,
	RESOLVE_NXDOMAIN,	/* no such name */
	RESOLVE_NODATA,		/* name exists, no address of the wanted family */
	RESOLVE_SERVFAIL,
	RESOLVE_TIMEOUT,
	RESOLVE_BADNAME,	/* not a host name or address */
	RESOLVE_ERROR,
};

/* Called once per resolve_target(); msg is a one-line reason when not OK. */
typedef void (*resolve_target_cb)(void *arg, enum resolve_status st,
    const struct addr *a, const char *msg);

struct resolve;

/*
 * servers: "ADDR" or "ADDR:PORT" or "[v6]:PORT" strings (--dns-server), or
 * none for the system configuration. Names and AS answers are stored in m
 * under its lock.
 */
struct resolve *resolve_new(struct model *m, const char *const *servers,
    int nservers, char *err, size_t errlen);
void resolve_free(struct resolve *r);
/* The sockets c-ares wants polled now; returns how many were written. */
int resolve_fds(struct resolve *r, struct pollfd *fds, int max);
/* Processes readiness (revents of the fds from resolve_fds) and timeouts. */
void resolve_handle(struct resolve *r, const struct pollfd *fds, int n);
/* Milliseconds until c-ares needs resolve_handle() again; -1 if idle. */
int resolve_timeout_ms(struct resolve *r);
/*
 * Resolves a target: numeric addresses at once (the callback runs before
 * this returns), names through c-ares. family is 0, AF_INET or AF_INET6.
 */
void resolve_target(struct resolve *r, const char *host, int family,
    resolve_target_cb cb, void *arg);
/*
 * Makes sure the model's name cache has a fresh PTR name (ptr) and AS data
 * (asn) for a, starting queries for what is missing or expired.
 * Cheap when the cache is fresh: the engine calls it for every reply.
 */
void resolve_lookup(struct resolve *r, const struct addr *a, bool ptr,
    bool asn);

#endif
