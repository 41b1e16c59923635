/*
 * Socket back ends behind one ops table: raw sockets (CAP_NET_RAW) and,
 * on Linux, unprivileged datagram sockets with error queues. Only the
 * engine thread calls these.
 */
#ifndef NTRACE_NET_H
#define NTRACE_NET_H

#include <poll.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "packet.h"

#define NET_MAX_SOCKS 1024	/* long-lived sockets per back end (TX-stamp ids) */

/* A reply as the engine sees it: parsed, with its receive time. */
struct net_reply {
	struct pkt_reply pkt;
	struct timespec rx_real;	/* kernel timestamp when available */
	bool rx_kernel;
};

/* A kernel transmit timestamp that arrived after the send call returned. */
struct net_txstamp {
	int sock;			/* back end's socket slot */
	uint32_t key;			/* the value send() returned in *key */
	struct timespec tx_real;
};

struct net;

struct net_ops {
	const char *name;
	/* Opens the sockets for the protocols in mask (1u << PROTO_x) and family. */
	int (*open)(struct net *n, int family, unsigned mask, char *err,
	    size_t errlen);
	/*
	 * Gets ready to send a trace's probes (after privileges are gone);
	 * may change tmpl->ident when the kernel picks identities. Optional.
	 */
	int (*prepare)(struct net *n, struct pkt_probe *tmpl, char *err,
	    size_t errlen);
	/*
	 * Sends one probe with the given TTL and TOS. On success fills
	 * tx_real (clock read right before sending), and the socket id
	 * (< NET_MAX_SOCKS, or -1 when no transmit timestamp will come) and
	 * key a later transmit timestamp will carry. Returns 0 or an errno.
	 */
	int (*send)(struct net *n, const struct pkt_probe *p, int ttl, int tos,
	    struct timespec *tx_real, int *sock, uint32_t *key);
	/*
	 * Reads one message from fd: 1 with *out filled, 2 with *ts filled,
	 * 3 something that was not for us, 0 nothing left, -1 error.
	 */
	int (*recv)(struct net *n, int fd, short revents, struct net_reply *out,
	    struct net_txstamp *ts);
	void (*close)(struct net *n);
};

struct net {
	const struct net_ops *ops;
	int family;
	unsigned mask;
	struct pollfd *fds;		/* every socket to poll, grown as needed */
	int nfds;
	int cap;
	uint32_t txkey[NET_MAX_SOCKS];	/* per-socket SOF_TIMESTAMPING_OPT_ID counters */
	bool txstamps;			/* kernel transmit timestamps are on */
	double timeout;			/* seconds a probe may wait (-Z) */
	const char *bind_addr;		/* -a, or NULL */
	const char *interface;		/* -I, or NULL */
	void *priv;
};

extern const struct net_ops net_raw_ops;
extern const struct net_ops net_dgram_ops;

/* Adds fd to n->fds for polling; returns its slot or -1. */
int net_add_fd(struct net *n, int fd, short events);
/* Stops polling fd (the caller closes it). */
void net_del_fd(struct net *n, int fd);
void net_free_fds(struct net *n);
/* Asks for kernel RX and keyed TX software timestamps; false if unsupported. */
bool net_enable_timestamps(int fd);
/* Takes the software timestamp out of a message's control data. */
bool net_cmsg_timestamp(struct msghdr *msg, struct timespec *ts);
/* Finds the local address the kernel would use to reach dst. */
int net_route_source(const struct addr *dst, const char *bind_addr,
    const char *interface, struct addr *src, char *err, size_t errlen);

#endif
