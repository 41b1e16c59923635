/* Family-independent IPv4/IPv6 host addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "addr.h"

bool
addr_is_set(const struct addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

size_t
addr_len(const struct addr *a)
{
	if (a->family == AF_INET)
		return 4;
	if (a->family == AF_INET6)
		return 16;
	return 0;
}

bool
addr_equal(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return false;
	return memcmp(a->u.bytes, b->u.bytes, addr_len(a)) == 0;
}

const char *
addr_ntop(const struct addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (!addr_is_set(a) || inet_ntop(a->family, a->u.bytes, buf,
	    (socklen_t)len) == NULL)
		buf[0] = '\0';
	return buf;
}

int
addr_pton(const char *s, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

int
addr_split_hostport(const char *s, struct addr *out, const char **port)
{
	char host[ADDR_STRLEN + 1];
	const char *colon, *close, *start = s;
	int want = AF_INET;
	size_t n;

	*port = NULL;
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return -1;
		start = s + 1;
		n = (size_t)(close - start);
		if (close[1] == ':')
			*port = close + 2;
		want = AF_INET6;
	} else {
		colon = strchr(s, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			/* Two colons or more: a bare IPv6 address, no port. */
			n = strlen(s);
			want = AF_INET6;
		} else if (colon != NULL) {
			n = (size_t)(colon - s);
			*port = colon + 1;
		} else {
			n = strlen(s);
		}
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, start, n);
	host[n] = '\0';
	if (addr_pton(host, out) != 0 || out->family != want)
		return -1;
	return 0;
}

void
addr_from_sockaddr(const struct sockaddr *sa, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)sa;
		out->family = AF_INET;
		out->u.v4 = sin->sin_addr;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		out->family = AF_INET6;
		out->u.v6 = sin6->sin6_addr;
	}
}

socklen_t
addr_to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
	return 0;
}

uint32_t
addr_hash(const struct addr *a)
{
	/* FNV-1a over the family and the address bytes. */
	uint32_t h = 2166136261u;
	size_t i, n = addr_len(a);

	h = (h ^ (uint32_t)a->family) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ a->u.bytes[i]) * 16777619u;
	return h;
}
