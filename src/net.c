/* What both socket back ends share: fd lists, routes, kernel timestamps. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_LINUX_NET_TSTAMP_H
#include <linux/net_tstamp.h>
#endif

#include "net.h"

int
net_add_fd(struct net *n, int fd, short events)
{
	if (n->nfds == n->cap) {
		int cap = n->cap ? 2 * n->cap : 16;
		struct pollfd *p = realloc(n->fds, (size_t)cap * sizeof(*p));

		if (p == NULL)
			return -1;
		n->fds = p;
		n->cap = cap;
	}
	n->fds[n->nfds].fd = fd;
	n->fds[n->nfds].events = events;
	n->fds[n->nfds].revents = 0;
	return n->nfds++;
}

int
net_route_source(const struct addr *dst, const char *bind_addr,
    const char *interface, struct addr *src, char *err, size_t errlen)
{
	struct sockaddr_storage ss, local;
	socklen_t sslen, llen = sizeof(local);
	char buf[ADDR_STRLEN];
	int fd;

	fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd == -1) {
		snprintf(err, errlen, "cannot open a UDP socket: %s", strerror(errno));
		return -1;
	}
	if (interface != NULL && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    interface, (socklen_t)strlen(interface)) == -1) {
		snprintf(err, errlen, "cannot bind to interface %s: %s", interface,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (bind_addr != NULL) {
		struct addr b;

		if (addr_pton(bind_addr, &b) == -1 || b.family != dst->family) {
			snprintf(err, errlen, "-a %s is not an IPv%d address of this host",
			    bind_addr, dst->family == AF_INET ? 4 : 6);
			close(fd);
			return -1;
		}
		sslen = addr_to_sockaddr(&b, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
			snprintf(err, errlen, "cannot use source address %s: %s",
			    bind_addr, strerror(errno));
			close(fd);
			return -1;
		}
	}
	sslen = addr_to_sockaddr(dst, 33434, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sslen) == -1 ||
	    getsockname(fd, (struct sockaddr *)&local, &llen) == -1) {
		snprintf(err, errlen, "no route to %s: %s",
		    addr_ntop(dst, buf, sizeof(buf)), strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	addr_from_sockaddr((struct sockaddr *)&local, src);
	return 0;
}

void
net_del_fd(struct net *n, int fd)
{
	int i;

	for (i = 0; i < n->nfds; i++) {
		if (n->fds[i].fd == fd) {
			n->fds[i] = n->fds[--n->nfds];
			return;
		}
	}
}

void
net_free_fds(struct net *n)
{
	free(n->fds);
	n->fds = NULL;
	n->nfds = n->cap = 0;
}

bool
net_enable_timestamps(int fd)
{
#if HAVE_DECL_SO_TIMESTAMPING
	int flags = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
	    SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_OPT_ID |
	    SOF_TIMESTAMPING_OPT_TSONLY;

	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0)
		return true;
#endif
#if HAVE_DECL_SO_TIMESTAMPNS
	{
		int on = 1;

		setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	}
#endif
	return false;
}

bool
net_cmsg_timestamp(struct msghdr *msg, struct timespec *ts)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
#if HAVE_DECL_SO_TIMESTAMPING
		if (c->cmsg_type == SCM_TIMESTAMPING) {
			struct timespec t[3];

			memcpy(t, CMSG_DATA(c), sizeof(t));
			if (t[0].tv_sec == 0 && t[0].tv_nsec == 0)
				continue;
			*ts = t[0];
			return true;
		}
#endif
#if HAVE_DECL_SO_TIMESTAMPNS
		if (c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(ts, CMSG_DATA(c), sizeof(*ts));
			return true;
		}
#endif
	}
	return false;
}
