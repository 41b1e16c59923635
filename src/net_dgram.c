/*
 * The unprivileged Linux back end: no capability, no setuid.
 *  ICMP: datagram "ping" sockets (net.ipv4.ping_group_range), one per trace,
 *        bound to the trace's echo identifier.
 *  UDP:  datagram sockets bound to the trace's flow port; the payload
 *        carries the probe's identity, since the kernel owns the checksum.
 *  TCP:  one non-blocking connect() per probe with its own TTL.
 * ICMP errors come back on the sockets' error queues (IP_RECVERR,
 * IPV6_RECVERR) with the responder as the "offender", timestamped by the
 * kernel like ordinary packets.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_LINUX_ERRQUEUE_H
#include <linux/errqueue.h>
#endif

#include "net.h"
#include "ntime.h"

#define DGRAM_MAGIC0 'n'
#define DGRAM_MAGIC1 't'
#define DGRAM_ID_LEN 6		/* magic, ident, seq at the start of a UDP payload */

struct dsock {
	int fd;
	int id;			/* long-lived socket id, or -1 (TCP) */
	enum proto proto;
	uint16_t ident;		/* ICMP: bound echo id; UDP/TCP: trace ident */
	uint16_t sport;		/* flow port the engine asked for */
	/* TCP: the single probe this socket carries. */
	uint16_t seq;
	uint16_t dport;
	struct addr dst;
	struct timespec tx_real;
	struct timespec tx_mono;
	int connect_err;	/* result of an immediately finished connect() */
	bool connect_done;
};

struct dgram {
	struct dsock **byfd;	/* indexed by file descriptor */
	int nbyfd;
	struct dsock *persist[NET_MAX_SOCKS];
	int npersist;
	int ntcp;
};

/* Why ICMP cannot run unprivileged, and both ways to fix it. */
static void
ping_denied(int family, char *err, size_t errlen)
{
	char range[64] = "";
	FILE *f = fopen("/proc/sys/net/ipv4/ping_group_range", "r");

	if (f != NULL) {
		if (fgets(range, sizeof(range), f) != NULL)
			range[strcspn(range, "\n")] = '\0';
		for (char *c = range; *c != '\0'; c++)
			if (*c == '\t')
				*c = ' ';
		fclose(f);
	}
	snprintf(err, errlen,
	    "ICMP needs CAP_NET_RAW or permission for ping sockets: gid %ld is "
	    "outside net.ipv4.ping_group_range (now \"%s\"). Fix it with\n"
	    "  sudo setcap cap_net_raw+ep \"$(command -v ntrace)\"\n"
	    "or\n"
	    "  sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"\n"
	    "or trace with UDP (-u) or TCP (-T) instead%s",
	    (long)getgid(), range, family == AF_INET6 ? " (the same sysctl covers IPv6)" : "");
}

static int
dgram_open(struct net *n, int family, unsigned mask, char *err, size_t errlen)
{
	struct dgram *d;
	int fd;

	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n->priv = d;
	n->family = family;
	n->mask = mask;
	n->txstamps = true;
	/* Try now, so a missing permission is reported before anything starts. */
	if (mask & (1u << PROTO_ICMP)) {
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC,
		    family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
		if (fd == -1) {
			int e = errno;

			if (e == EACCES || e == EPERM)
				ping_denied(family, err, errlen);
			else
				snprintf(err, errlen, "cannot open an IPv%d ping socket: %s",
				    family == AF_INET ? 4 : 6, strerror(e));
			errno = e;
			return -1;
		}
		close(fd);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd == -1) {
		int e = errno;

		snprintf(err, errlen, "cannot open an IPv%d socket: %s",
		    family == AF_INET ? 4 : 6, strerror(e));
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

static int
track(struct net *n, struct dsock *s, bool persistent, short events)
{
	struct dgram *d = n->priv;

	if (s->fd >= d->nbyfd) {
		int size = s->fd + 64;
		struct dsock **p = realloc(d->byfd, (size_t)size * sizeof(*p));

		if (p == NULL)
			return -1;
		memset(p + d->nbyfd, 0, (size_t)(size - d->nbyfd) * sizeof(*p));
		d->byfd = p;
		d->nbyfd = size;
	}
	if (persistent) {
		if (d->npersist >= NET_MAX_SOCKS)
			return -1;
		s->id = d->npersist;
		d->persist[d->npersist++] = s;
	} else {
		s->id = -1;
		d->ntcp++;
	}
	if (net_add_fd(n, s->fd, events) == -1)
		return -1;
	d->byfd[s->fd] = s;
	return 0;
}

static void
untrack_tcp(struct net *n, struct dsock *s)
{
	struct dgram *d = n->priv;

	net_del_fd(n, s->fd);
	d->byfd[s->fd] = NULL;
	d->ntcp--;
	close(s->fd);
	free(s);
}

/* Socket options every probe socket needs: error queue and timestamps. */
static int
common_opts(struct net *n, int fd)
{
	int on = 1;

	if (n->family == AF_INET) {
		if (setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on)) == -1)
			return -1;
#ifdef IP_RECVERR_RFC4884
		setsockopt(fd, SOL_IP, IP_RECVERR_RFC4884, &on, sizeof(on));
#endif
	} else {
		if (setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on)) == -1)
			return -1;
#ifdef IPV6_RECVERR_RFC4884
		setsockopt(fd, SOL_IPV6, IPV6_RECVERR_RFC4884, &on, sizeof(on));
#endif
	}
	if (n->interface != NULL)
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, n->interface,
		    (socklen_t)strlen(n->interface));
	if (!net_enable_timestamps(fd))
		n->txstamps = false;
	return 0;
}

static int
bind_local(struct net *n, int fd, uint16_t port)
{
	struct sockaddr_storage ss;
	struct addr a;
	socklen_t len;

	memset(&a, 0, sizeof(a));
	a.family = n->family;
	if (n->bind_addr != NULL && addr_pton(n->bind_addr, &a) == -1)
		return -1;
	len = addr_to_sockaddr(&a, port, &ss);
	return bind(fd, (struct sockaddr *)&ss, len);
}

static struct dsock *
new_sock(struct net *n, enum proto proto, char *err, size_t errlen)
{
	struct dsock *s;
	int type = proto == PROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int ipp = proto == PROTO_TCP ? IPPROTO_TCP : proto == PROTO_UDP ?
	    IPPROTO_UDP : n->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->proto = proto;
	s->fd = socket(n->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, ipp);
	if (s->fd == -1) {
		if (proto == PROTO_ICMP && (errno == EACCES || errno == EPERM))
			ping_denied(n->family, err, errlen);
		else
			snprintf(err, errlen, "socket: %s", strerror(errno));
		free(s);
		return NULL;
	}
	if (common_opts(n, s->fd) == -1) {
		snprintf(err, errlen, "IP_RECVERR: %s", strerror(errno));
		close(s->fd);
		free(s);
		return NULL;
	}
	return s;
}

static struct dsock *
find_persist(struct dgram *d, enum proto proto, uint16_t key)
{
	int i;

	for (i = 0; i < d->npersist; i++) {
		struct dsock *s = d->persist[i];

		if (s->proto == proto && (proto == PROTO_ICMP ? s->ident : s->sport) == key)
			return s;
	}
	return NULL;
}

/* Binds a ping socket to the trace's echo id (the kernel's "port"). */
static int
dgram_prepare(struct net *n, struct pkt_probe *tmpl, char *err, size_t errlen)
{
	struct dgram *d = n->priv;
	struct dsock *s;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int tries;

	if (tmpl->proto != PROTO_ICMP)
		return 0;
	if (find_persist(d, PROTO_ICMP, tmpl->ident) != NULL)
		return 0;
	s = new_sock(n, PROTO_ICMP, err, errlen);
	if (s == NULL)
		return -1;
	for (tries = 0; tries < 16; tries++) {
		if (bind_local(n, s->fd, tmpl->ident) == 0)
			break;
		if (errno != EADDRINUSE) {
			snprintf(err, errlen, "cannot bind a ping socket: %s",
			    strerror(errno));
			goto fail;
		}
		tmpl->ident = (uint16_t)(tmpl->ident * 31 + 7);
	}
	if (tries == 16 || getsockname(s->fd, (struct sockaddr *)&ss, &len) == -1) {
		snprintf(err, errlen, "cannot bind a ping socket: %s", strerror(errno));
		goto fail;
	}
	tmpl->ident = ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)(void *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	s->ident = tmpl->ident;
	if (track(n, s, true, POLLIN) == -1) {
		snprintf(err, errlen, "too many sockets");
		goto fail;
	}
	return 0;
fail:
	close(s->fd);
	free(s);
	return -1;
}

static int
set_ttl_tos(struct net *n, int fd, int ttl, int tos)
{
	if (n->family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1 ||
		    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) == -1)
			return errno;
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl)) == -1 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos)) == -1)
			return errno;
	}
	return 0;
}

/* TCP probes whose answer never came are closed once their time is up. */
static void
sweep_tcp(struct net *n)
{
	struct dgram *d = n->priv;
	struct timespec now;
	double limit = (n->timeout > 0 ? n->timeout : 60) * 1e3 + 1000;
	int i;

	if (d->ntcp == 0)
		return;
	ntime_mono(&now);
	for (i = 0; i < n->nfds; i++) {
		struct dsock *s = d->byfd[n->fds[i].fd];

		if (s != NULL && s->proto == PROTO_TCP &&
		    ntime_diff_ms(&now, &s->tx_mono) > limit) {
			untrack_tcp(n, s);
			i--;
		}
	}
}

static int
send_tcp(struct net *n, const struct pkt_probe *p, int ttl, int tos,
    struct timespec *tx_real)
{
	struct dsock *s;
	struct sockaddr_storage ss;
	struct linger lg = { 1, 0 };	/* close with RST: never linger half-open */
	socklen_t len;
	char err[128];
	int e;

	sweep_tcp(n);
	s = new_sock(n, PROTO_TCP, err, sizeof(err));
	if (s == NULL)
		return errno != 0 ? errno : ENOMEM;
	setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	e = set_ttl_tos(n, s->fd, ttl, tos);
	if (e == 0 && n->bind_addr != NULL && bind_local(n, s->fd, 0) == -1)
		e = errno;
	if (e != 0) {
		close(s->fd);
		free(s);
		return e;
	}
	s->ident = p->ident;
	s->sport = p->sport;
	s->seq = p->seq;
	s->dport = p->dport;
	s->dst = p->dst;
	len = addr_to_sockaddr(&p->dst, p->dport, &ss);
	ntime_mono(&s->tx_mono);
	ntime_real(tx_real);
	s->tx_real = *tx_real;
	if (connect(s->fd, (struct sockaddr *)&ss, len) == -1) {
		if (errno == ENETUNREACH || errno == EHOSTUNREACH ||
		    errno == ENETDOWN || errno == EADDRNOTAVAIL ||
		    errno == ENOBUFS || errno == EACCES || errno == EPERM) {
			e = errno;
			close(s->fd);
			free(s);
			return e;
		}
		if (errno != EINPROGRESS) {
			s->connect_done = true;
			s->connect_err = errno;
		}
	} else {
		s->connect_done = true;
	}
	if (track(n, s, false, POLLOUT) == -1) {
		close(s->fd);
		free(s);
		return ENOMEM;
	}
	return 0;
}

static int
dgram_send(struct net *n, const struct pkt_probe *p, int ttl, int tos,
    struct timespec *tx_real, int *sock, uint32_t *key)
{
	struct dgram *d = n->priv;
	struct dsock *s;
	struct sockaddr_storage ss;
	uint8_t buf[PKT_MAX_SIZE];
	socklen_t sslen;
	size_t len;
	char err[128];
	int e;

	*sock = -1;
	*key = 0;
	if (p->proto == PROTO_TCP)
		return send_tcp(n, p, ttl, tos, tx_real);

	if (p->proto == PROTO_ICMP) {
		ssize_t l;

		s = find_persist(d, PROTO_ICMP, p->ident);
		if (s == NULL)
			return EINVAL;
		l = pkt_build(p, buf, sizeof(buf));
		if (l < 0)
			return EINVAL;
		len = (size_t)l;
		sslen = addr_to_sockaddr(&p->dst, 0, &ss);
	} else {
		size_t hdr = n->family == AF_INET ? 28 : 48;
		size_t size = p->size != 0 ? p->size : PKT_DEFAULT_SIZE;

		s = find_persist(d, PROTO_UDP, p->sport);
		if (s == NULL) {
			s = new_sock(n, PROTO_UDP, err, sizeof(err));
			if (s == NULL)
				return errno != 0 ? errno : ENOMEM;
			/* A taken flow port still works: the identity is in the payload. */
			bind_local(n, s->fd, p->sport);
			s->sport = p->sport;
			s->ident = p->ident;
			if (track(n, s, true, POLLIN) == -1) {
				close(s->fd);
				free(s);
				return EMFILE;
			}
		}
		len = size > hdr + DGRAM_ID_LEN ? size - hdr : DGRAM_ID_LEN;
		if (len > sizeof(buf))
			len = sizeof(buf);
		memset(buf, 0x40, len);
		buf[0] = DGRAM_MAGIC0;
		buf[1] = DGRAM_MAGIC1;
		buf[2] = (uint8_t)(p->ident >> 8);
		buf[3] = (uint8_t)p->ident;
		buf[4] = (uint8_t)(p->seq >> 8);
		buf[5] = (uint8_t)p->seq;
		sslen = addr_to_sockaddr(&p->dst, p->dport, &ss);
	}
	e = set_ttl_tos(n, s->fd, ttl, tos);
	if (e != 0)
		return e;
	/* An earlier ICMP error is pending on the socket; sendto would report it. */
	{
		int pending;
		socklen_t plen = sizeof(pending);

		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &pending, &plen);
	}
	ntime_real(tx_real);
	if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&ss, sslen) == -1)
		return errno;
	*sock = s->id;
	*key = n->txkey[s->id]++;
	return 0;
}

/* ICMP(v6) type and code, as the error queue reports them, to a reply kind. */
static enum pkt_kind
icmp_kind(int family, uint8_t type)
{
	if (family == AF_INET)
		return type == 11 ? PKT_TIME_EXCEEDED : type == 3 ? PKT_UNREACH :
		    PKT_OTHER_ERROR;
	return type == 3 ? PKT_TIME_EXCEEDED : type == 1 ? PKT_UNREACH :
	    PKT_OTHER_ERROR;
}

/* Fills the probe identity of a reply from the socket and returned payload. */
static bool
identity(struct net *n, const struct dsock *s, const uint8_t *data, size_t len,
    const struct sockaddr_storage *dst, struct pkt_reply *r)
{
	struct addr a;

	r->family = n->family;
	r->proto = s->proto;
	switch (s->proto) {
	case PROTO_ICMP:
		/* The echo header we sent: type, code, checksum, id, sequence. */
		if (len < 8)
			return false;
		r->ident = s->ident;
		r->seq = (uint16_t)(data[6] << 8 | data[7]);
		break;
	case PROTO_UDP:
		/* Routers quoting only 8 bytes (RFC 792 minimum) leave nothing to match. */
		if (len < DGRAM_ID_LEN || data[0] != DGRAM_MAGIC0 ||
		    data[1] != DGRAM_MAGIC1)
			return false;
		r->ident = (uint16_t)(data[2] << 8 | data[3]);
		r->seq = (uint16_t)(data[4] << 8 | data[5]);
		r->sport = s->sport;
		break;
	case PROTO_TCP:
		r->ident = s->ident;
		r->seq = s->seq;
		r->sport = s->sport;
		r->dport = s->dport;
		r->probe_dst = s->dst;
		return true;
	default:
		return false;
	}
	if (dst != NULL) {
		addr_from_sockaddr((const struct sockaddr *)dst, &a);
		r->probe_dst = a;
		r->dport = ntohs(dst->ss_family == AF_INET ?
		    ((const struct sockaddr_in *)(const void *)dst)->sin_port :
		    ((const struct sockaddr_in6 *)(const void *)dst)->sin6_port);
	}
	return true;
}

/* One message from the error queue: an ICMP error or a transmit timestamp. */
static int
recv_errqueue(struct net *n, struct dsock *s, struct net_reply *out,
    struct net_txstamp *ts)
{
	uint8_t data[PKT_MAX_SIZE];
	char ctl[1024];
	struct sockaddr_storage dst;
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	struct cmsghdr *c;
	struct timespec stamp;
	bool have_stamp;
	ssize_t len;

	memset(&msg, 0, sizeof(msg));
	memset(&dst, 0, sizeof(dst));
	msg.msg_name = &dst;
	msg.msg_namelen = sizeof(dst);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	len = recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (len == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	have_stamp = net_cmsg_timestamp(&msg, &stamp);
#ifdef HAVE_LINUX_ERRQUEUE_H
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		struct sock_extended_err ee;
		const struct sockaddr *off;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		if (c->cmsg_len < CMSG_LEN(sizeof(ee)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
			if (!have_stamp || s->id < 0)
				return 3;
			ts->sock = s->id;
			ts->key = ee.ee_data;
			ts->tx_real = stamp;
			return 2;
		}
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		memset(out, 0, sizeof(*out));
		if (!identity(n, s, data, (size_t)len, &dst, &out->pkt))
			return 3;
		off = SO_EE_OFFENDER((struct sock_extended_err *)(void *)CMSG_DATA(c));
		if (off->sa_family != AF_INET && off->sa_family != AF_INET6)
			return 3;
		addr_from_sockaddr(off, &out->pkt.from);
		out->pkt.kind = icmp_kind(n->family, ee.ee_type);
#if defined(IP_RECVERR_RFC4884)
		/* RFC 4884: the kernel found extensions after the quoted datagram. */
		if (ee.ee_rfc4884.len > 0 && (ssize_t)ee.ee_rfc4884.len < len)
			pkt_parse_extensions(data + ee.ee_rfc4884.len,
			    (size_t)len - ee.ee_rfc4884.len, &out->pkt);
#endif
		out->pkt.icmp_type = ee.ee_type;
		out->pkt.icmp_code = ee.ee_code;
		out->rx_kernel = have_stamp;
		if (have_stamp)
			out->rx_real = stamp;
		else
			ntime_real(&out->rx_real);
		if (s->proto == PROTO_TCP)
			untrack_tcp(n, s);
		return 1;
	}
#else
	(void)c;
	(void)out;
	(void)ts;
#endif
	return 3;
}

/* A finished connect(): SYN-ACK or RST, both mean the destination answered. */
static int
recv_connect(struct net *n, struct dsock *s, struct net_reply *out)
{
	int err = 0;
	socklen_t len = sizeof(err);
	struct tcp_info ti;
	socklen_t tlen = sizeof(ti);

	if (s->connect_done)
		err = s->connect_err;
	else if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	memset(out, 0, sizeof(*out));
	identity(n, s, NULL, 0, NULL, &out->pkt);
	out->pkt.from = s->dst;
	if (err == 0) {
		out->pkt.kind = PKT_TCP_SYNACK;
		/* The kernel's own SYN -> SYN-ACK measurement, in microseconds. */
		if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &tlen) == 0 &&
		    ti.tcpi_rtt > 0) {
			out->rx_real = s->tx_real;
			ntime_add_sec(&out->rx_real, ti.tcpi_rtt / 1e6);
			out->rx_kernel = true;
		} else {
			ntime_real(&out->rx_real);
		}
	} else if (err == ECONNREFUSED) {
		out->pkt.kind = PKT_TCP_RST;
		ntime_real(&out->rx_real);
	} else {
		/* Unreachable with no ICMP on the error queue: nothing to show. */
		untrack_tcp(n, s);
		return 3;
	}
	untrack_tcp(n, s);
	return 1;
}

static int
dgram_recv(struct net *n, int fd, short revents, struct net_reply *out,
    struct net_txstamp *ts)
{
	struct dgram *d = n->priv;
	struct dsock *s = fd >= 0 && fd < d->nbyfd ? d->byfd[fd] : NULL;
	uint8_t data[PKT_MAX_SIZE];
	char ctl[512];
	struct sockaddr_storage from;
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	ssize_t len;
	int rc;

	if (s == NULL)
		return 0;
	/* The error queue first: ICMP errors and transmit timestamps. */
	rc = recv_errqueue(n, s, out, ts);
	if (rc != 0)
		return rc;
	if (s->proto == PROTO_TCP) {
		if (revents & (POLLOUT | POLLHUP | POLLERR))
			return recv_connect(n, s, out);
		return 0;
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	len = recvmsg(s->fd, &msg, MSG_DONTWAIT);
	if (len == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (s->proto != PROTO_ICMP || len < 8)
		return 3;	/* a UDP answer carries no identity of ours */
	/* Ping sockets deliver only echo replies to their own identifier. */
	if (data[0] != (n->family == AF_INET ? 0 : 129))
		return 3;
	memset(out, 0, sizeof(*out));
	out->pkt.kind = PKT_ECHO_REPLY;
	out->pkt.family = n->family;
	out->pkt.proto = PROTO_ICMP;
	out->pkt.ident = s->ident;
	out->pkt.seq = (uint16_t)(data[6] << 8 | data[7]);
	addr_from_sockaddr((struct sockaddr *)&from, &out->pkt.from);
	out->pkt.probe_dst = out->pkt.from;
	out->rx_kernel = net_cmsg_timestamp(&msg, &out->rx_real);
	if (!out->rx_kernel)
		ntime_real(&out->rx_real);
	return 1;
}

static void
dgram_close(struct net *n)
{
	struct dgram *d = n->priv;
	int i;

	if (d != NULL) {
		for (i = 0; i < n->nfds; i++) {
			int fd = n->fds[i].fd;

			if (fd < d->nbyfd && d->byfd[fd] != NULL) {
				free(d->byfd[fd]);
				d->byfd[fd] = NULL;
			}
			close(fd);
		}
		free(d->byfd);
		free(d);
	}
	net_free_fds(n);
	n->priv = NULL;
}

const struct net_ops net_dgram_ops = {
	.name = "unprivileged",
	.open = dgram_open,
	.prepare = dgram_prepare,
	.send = dgram_send,
	.recv = dgram_recv,
	.close = dgram_close,
};
