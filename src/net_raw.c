/*
 * The raw-socket back end (root or CAP_NET_RAW). ICMP replies and errors
 * come in on a raw ICMP(v6) socket, TCP answers on a raw TCP socket; UDP
 * and TCP probes leave through raw sockets whose headers we build, so the
 * UDP checksum can carry the probe's identity (Paris traceroute).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_LINUX_ERRQUEUE_H
#include <linux/errqueue.h>
#endif
#ifdef HAVE_LINUX_NET_TSTAMP_H
#include <linux/net_tstamp.h>
#endif
#ifdef HAVE_LINUX_ICMP_H
#include <linux/filter.h>
#endif

#include "net.h"
#include "ntime.h"

struct raw {
	int sock[PROTO_COUNT];		/* send socket per protocol, or -1 */
	int slot[PROTO_COUNT];		/* its slot in n->fds */
	bool rx_is_tcp[NET_MAX_SOCKS];	/* slot reads TCP segments */
	bool rx_is_icmp[NET_MAX_SOCKS];	/* slot reads ICMP messages */
};

/* A send-only raw socket still queues every matching packet: drop them in the kernel. */
static void
drop_all_input(int fd)
{
#ifdef SO_ATTACH_FILTER
	struct sock_filter code[] = { { 0x06, 0, 0, 0 } };	/* ret #0 */
	struct sock_fprog prog = { 1, code };

	setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
#else
	(void)fd;
#endif
}

/* Lets only the ICMP types that can answer a probe reach us. */
static void
filter_icmp(int fd, int family)
{
	if (family == AF_INET) {
#if HAVE_DECL_ICMP_FILTER
		/* linux/icmp.h clashes with netinet/ip_icmp.h; its values are stable ABI. */
		uint32_t mask = ~((1u << 0) | (1u << 3) | (1u << 11) | (1u << 12));

		setsockopt(fd, SOL_RAW, 1 /* ICMP_FILTER */, &mask, sizeof(mask));
#endif
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
}

static int
open_raw(struct net *n, int proto, char *err, size_t errlen)
{
	int fd, bufsz = 4 << 20;

	fd = socket(n->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd == -1) {
		int e = errno;

		if (e == EPERM || e == EACCES)
			snprintf(err, errlen,
			    "raw sockets need CAP_NET_RAW: run `sudo setcap "
			    "cap_net_raw+ep \"$(command -v ntrace)\"`, run as root, "
			    "or use --unprivileged");
		else
			snprintf(err, errlen, "cannot open a raw IPv%d socket: %s%s",
			    n->family == AF_INET ? 4 : 6, strerror(e),
			    e == EMFILE || e == ENFILE ? " (raise the open-file "
			    "limit, e.g. ulimit -n 1024)" : "");
		errno = e;
		return -1;
	}
	/* A round's replies arrive in a burst: root may exceed net.core.rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (n->interface != NULL && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    n->interface, (socklen_t)strlen(n->interface)) == -1) {
		snprintf(err, errlen, "cannot bind to interface %s: %s",
		    n->interface, strerror(errno));
		close(fd);
		return -1;
	}
	if (n->bind_addr != NULL) {
		struct addr b;
		struct sockaddr_storage ss;
		socklen_t len;

		if (addr_pton(n->bind_addr, &b) == 0 && b.family == n->family) {
			len = addr_to_sockaddr(&b, 0, &ss);
			if (bind(fd, (struct sockaddr *)&ss, len) == -1) {
				snprintf(err, errlen, "cannot use source address %s: %s",
				    n->bind_addr, strerror(errno));
				close(fd);
				return -1;
			}
		}
	}
	return fd;
}

static int
raw_open(struct net *n, int family, unsigned mask, char *err, size_t errlen)
{
	struct raw *r;
	int p, fd, slot;
	static const int ipproto[2][PROTO_COUNT] = {
		{ IPPROTO_ICMP, IPPROTO_UDP, IPPROTO_TCP },
		{ IPPROTO_ICMPV6, IPPROTO_UDP, IPPROTO_TCP },
	};

	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n->priv = r;
	n->family = family;
	n->mask = mask;
	n->txstamps = true;
	for (p = 0; p < PROTO_COUNT; p++)
		r->sock[p] = r->slot[p] = -1;

	/* ICMP always: it carries the errors that answer every protocol. */
	mask |= 1u << PROTO_ICMP;
	for (p = 0; p < PROTO_COUNT; p++) {
		if (!(mask & (1u << p)))
			continue;
		fd = open_raw(n, ipproto[family == AF_INET6][p], err, errlen);
		if (fd == -1)
			return -1;
		if (p == PROTO_UDP)
			drop_all_input(fd);
		if (p == PROTO_ICMP)
			filter_icmp(fd, family);
		if (!net_enable_timestamps(fd))
			n->txstamps = false;
		slot = net_add_fd(n, fd, POLLIN);
		if (slot == -1) {
			close(fd);
			snprintf(err, errlen, "too many sockets");
			return -1;
		}
		r->sock[p] = fd;
		r->slot[p] = slot;
		r->rx_is_icmp[slot] = p == PROTO_ICMP;
		r->rx_is_tcp[slot] = p == PROTO_TCP;
	}
	return 0;
}

static int
raw_send(struct net *n, const struct pkt_probe *p, int ttl, int tos,
    struct timespec *tx_real, int *sock, uint32_t *key)
{
	struct raw *r = n->priv;
	uint8_t buf[PKT_MAX_SIZE];
	char ctl[CMSG_SPACE(sizeof(int)) * 2];
	struct sockaddr_storage ss;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *c;
	socklen_t sslen;
	ssize_t len;
	int fd = r->sock[p->proto];

	if (fd == -1)
		return EPROTONOSUPPORT;
	len = pkt_build(p, buf, sizeof(buf));
	if (len < 0)
		return EINVAL;
	/* TTL and TOS ride along as control data: one system call per probe. */
	memset(ctl, 0, sizeof(ctl));
	memset(&msg, 0, sizeof(msg));
	sslen = addr_to_sockaddr(&p->dst, 0, &ss);
	iov.iov_base = buf;
	iov.iov_len = (size_t)len;
	msg.msg_name = &ss;
	msg.msg_namelen = sslen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = n->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	c->cmsg_type = n->family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &ttl, sizeof(int));
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = n->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	c->cmsg_type = n->family == AF_INET ? IP_TOS : IPV6_TCLASS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &tos, sizeof(int));
	/* Raw IPv6 sockets want port 0 in the address; the port is in our header. */
	ntime_real(tx_real);
	if (sendmsg(fd, &msg, 0) == -1)
		return errno;
	*sock = r->slot[p->proto];
	*key = n->txkey[*sock]++;
	return 0;
}

/* Reads one transmit timestamp from the error queue. */
static int
raw_recv_errqueue(struct net *n, int fd, int slot, struct net_txstamp *out)
{
	char ctl[512];
	uint8_t data[64];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	struct cmsghdr *c;
	bool have_ts, have_key = false;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	have_ts = net_cmsg_timestamp(&msg, &out->tx_real);
#ifdef HAVE_LINUX_ERRQUEUE_H
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		struct sock_extended_err ee;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
			out->key = ee.ee_data;
			have_key = true;
		}
	}
#else
	(void)c;
#endif
	(void)n;
	out->sock = slot;
	return have_ts && have_key ? 2 : 3;
}

static int
raw_recv(struct net *n, int fd, short revents, struct net_reply *out,
    struct net_txstamp *ts)
{
	struct raw *r = n->priv;
	uint8_t buf[PKT_MAX_SIZE + 64];
	char ctl[512];
	struct sockaddr_storage from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg;
	struct addr src;
	ssize_t len;
	int slot, rc;

	for (slot = 0; slot < n->nfds; slot++)
		if (n->fds[slot].fd == fd)
			break;
	if (slot == n->nfds)
		return -1;
	if (revents & POLLERR) {
		rc = raw_recv_errqueue(n, fd, slot, ts);
		if (rc != 0)
			return rc;
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	len = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (len == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	memset(out, 0, sizeof(*out));
	out->rx_kernel = net_cmsg_timestamp(&msg, &out->rx_real);
	if (!out->rx_kernel)
		ntime_real(&out->rx_real);
	addr_from_sockaddr((struct sockaddr *)&from, &src);
	if (n->family == AF_INET)
		rc = pkt_parse_ip4(buf, (size_t)len, &out->pkt);
	else if (r->rx_is_tcp[slot])
		rc = pkt_parse_tcp6(buf, (size_t)len, &src, &out->pkt);
	else if (r->rx_is_icmp[slot])
		rc = pkt_parse_icmp6(buf, (size_t)len, &src, &out->pkt);
	else
		rc = -1;
	/* 3: read something that is not a reply to us; keep draining. */
	return rc == 0 ? 1 : 3;
}

static void
raw_close(struct net *n)
{
	int i;

	for (i = 0; i < n->nfds; i++)
		close(n->fds[i].fd);
	net_free_fds(n);
	free(n->priv);
	n->priv = NULL;
}

const struct net_ops net_raw_ops = {
	.name = "raw",
	.open = raw_open,
	.prepare = NULL,
	.send = raw_send,
	.recv = raw_recv,
	.close = raw_close,
};
