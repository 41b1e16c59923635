/* The bounded name cache and the DNS answer parser: see names.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "sanitize.h"

#define NAMES_NONE (-1)
#define NAMES_MAX_JUMPS 64	/* compression pointers followed per name */

struct names_slot {
	double expires;		/* monotonic seconds */
	bool valid;		/* expires means something */
	bool pending;
	bool failed;
};

struct names_entry {
	struct addr addr;
	int hnext;		/* hash chain */
	int prev, next;		/* LRU list, most recent at the head */
	bool used;
	struct names_slot slot[NAMES_NKINDS];
	char name[NAMES_NAME_MAX];
	char as[NAMES_AS_NFIELDS][NAMES_FIELD_MAX];
};

struct names {
	struct names_entry *e;
	size_t cap;
	size_t count;
	int *bucket;
	size_t nbuckets;	/* a power of two */
	int head, tail;
	int freelist;		/* unused entries chained through hnext */
};

struct names *
names_new(size_t capacity)
{
	struct names *n;
	size_t i;

	if (capacity == 0 || capacity > (1u << 24))
		return NULL;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->cap = capacity;
	n->nbuckets = 1;
	while (n->nbuckets < capacity * 2)
		n->nbuckets <<= 1;
	n->e = calloc(capacity, sizeof(*n->e));
	n->bucket = malloc(n->nbuckets * sizeof(*n->bucket));
	if (n->e == NULL || n->bucket == NULL) {
		names_free(n);
		return NULL;
	}
	for (i = 0; i < n->nbuckets; i++)
		n->bucket[i] = NAMES_NONE;
	for (i = 0; i < capacity; i++)
		n->e[i].hnext = i + 1 < capacity ? (int)i + 1 : NAMES_NONE;
	n->freelist = 0;
	n->head = n->tail = NAMES_NONE;
	return n;
}

void
names_free(struct names *n)
{
	if (n == NULL)
		return;
	free(n->e);
	free(n->bucket);
	free(n);
}

size_t
names_capacity(const struct names *n)
{
	return n->cap;
}

size_t
names_count(const struct names *n)
{
	return n->count;
}

static size_t
names_bucket(const struct names *n, const struct addr *a)
{
	return addr_hash(a) & (n->nbuckets - 1);
}

static int
names_find(const struct names *n, const struct addr *a)
{
	int i;

	if (!addr_is_set(a))
		return NAMES_NONE;
	for (i = n->bucket[names_bucket(n, a)]; i != NAMES_NONE;
	    i = n->e[i].hnext) {
		if (addr_equal(&n->e[i].addr, a))
			return i;
	}
	return NAMES_NONE;
}

static void
names_lru_unlink(struct names *n, int i)
{
	struct names_entry *e = &n->e[i];

	if (e->prev != NAMES_NONE)
		n->e[e->prev].next = e->next;
	else
		n->head = e->next;
	if (e->next != NAMES_NONE)
		n->e[e->next].prev = e->prev;
	else
		n->tail = e->prev;
	e->prev = e->next = NAMES_NONE;
}

static void
names_lru_push(struct names *n, int i)
{
	struct names_entry *e = &n->e[i];

	e->prev = NAMES_NONE;
	e->next = n->head;
	if (n->head != NAMES_NONE)
		n->e[n->head].prev = i;
	n->head = i;
	if (n->tail == NAMES_NONE)
		n->tail = i;
}

static void
names_touch(struct names *n, int i)
{
	if (n->head == i)
		return;
	names_lru_unlink(n, i);
	names_lru_push(n, i);
}

static bool
names_is_pending(const struct names_entry *e)
{
	int k;

	for (k = 0; k < NAMES_NKINDS; k++) {
		if (e->slot[k].pending)
			return true;
	}
	return false;
}

/* Drops entry i from its hash chain and the LRU list onto the free list. */
static void
names_remove(struct names *n, int i)
{
	struct names_entry *e = &n->e[i];
	int *p;

	for (p = &n->bucket[names_bucket(n, &e->addr)]; *p != NAMES_NONE;
	    p = &n->e[*p].hnext) {
		if (*p == i) {
			*p = e->hnext;
			break;
		}
	}
	names_lru_unlink(n, i);
	e->used = false;
	e->hnext = n->freelist;
	n->freelist = i;
	n->count--;
}

/* Finds or makes the entry for a, most recently used; NAMES_NONE if full. */
static int
names_get(struct names *n, const struct addr *a)
{
	struct names_entry *e;
	size_t b;
	int i;

	if (!addr_is_set(a))
		return NAMES_NONE;
	i = names_find(n, a);
	if (i != NAMES_NONE) {
		names_touch(n, i);
		return i;
	}
	if (n->freelist == NAMES_NONE) {
		/* Pending entries stay: their answer is on its way. */
		for (i = n->tail; i != NAMES_NONE; i = n->e[i].prev) {
			if (!names_is_pending(&n->e[i]))
				break;
		}
		if (i == NAMES_NONE)
			return NAMES_NONE;
		names_remove(n, i);
	}
	i = n->freelist;
	e = &n->e[i];
	n->freelist = e->hnext;
	memset(e, 0, sizeof(*e));
	e->addr = *a;
	e->used = true;
	b = names_bucket(n, a);
	e->hnext = n->bucket[b];
	n->bucket[b] = i;
	names_lru_push(n, i);
	n->count++;
	return i;
}

bool
names_begin(struct names *n, const struct addr *a, enum names_kind kind,
    double now)
{
	struct names_slot *s;
	int i;

	if ((unsigned)kind >= NAMES_NKINDS)
		return false;
	i = names_get(n, a);
	if (i == NAMES_NONE)
		return false;
	s = &n->e[i].slot[kind];
	if (s->pending || (s->valid && now < s->expires))
		return false;
	s->pending = true;
	return true;
}

void
names_cancel(struct names *n, const struct addr *a, enum names_kind kind)
{
	int i = names_find(n, a);

	if (i != NAMES_NONE && (unsigned)kind < NAMES_NKINDS)
		n->e[i].slot[kind].pending = false;
}

static double
names_expiry(uint32_t ttl, double now)
{
	if (ttl < NAMES_TTL_MIN)
		ttl = NAMES_TTL_MIN;
	if (ttl > NAMES_TTL_MAX)
		ttl = NAMES_TTL_MAX;
	return now + (double)ttl;
}

static void
names_ok(struct names_slot *s, uint32_t ttl, double now)
{
	s->pending = false;
	s->failed = false;
	s->valid = true;
	s->expires = names_expiry(ttl, now);
}

void
names_set_ptr(struct names *n, const struct addr *a, const char *name,
    size_t len, uint32_t ttl, double now)
{
	struct names_entry *e;
	int i;

	/* A trailing dot is the root, not part of what people read. */
	while (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0) {
		names_fail(n, a, NAMES_PTR, true, now);
		return;
	}
	i = names_get(n, a);
	if (i == NAMES_NONE)
		return;
	e = &n->e[i];
	sanitize_text(e->name, sizeof(e->name), name, len);
	names_ok(&e->slot[NAMES_PTR], ttl, now);
}

static bool
names_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies one '|'-separated field, trimmed and sanitised. */
static void
names_field(char *dst, size_t dstlen, const char *s, size_t len)
{
	while (len > 0 && names_space(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && names_space(s[len - 1]))
		len--;
	sanitize_text(dst, dstlen, s, len);
}

int
names_set_asn(struct names *n, const struct addr *a, const char *txt,
    size_t len, uint32_t ttl, double now)
{
	char f[NAMES_AS_NFIELDS][NAMES_FIELD_MAX];
	struct names_entry *e;
	const char *p = txt, *end = txt + len, *bar;
	size_t k, d;
	int i;

	memset(f, 0, sizeof(f));
	for (k = 0; k < NAMES_AS_NFIELDS && p <= end; k++) {
		bar = memchr(p, '|', (size_t)(end - p));
		if (bar == NULL)
			bar = end;
		names_field(f[k], sizeof(f[k]), p, (size_t)(bar - p));
		p = bar + 1;
	}
	/*
	 * A prefix announced by several ASes reads "64500 64501"; like the
	 * 8-column AS column, keep the first.
	 */
	for (d = 0; f[0][d] >= '0' && f[0][d] <= '9'; d++)
		;
	if (d == 0 || d > 10 || (f[0][d] != '\0' && !names_space(f[0][d]))) {
		names_fail(n, a, NAMES_ASN, true, now);
		return -1;
	}
	f[0][d] = '\0';
	i = names_get(n, a);
	if (i == NAMES_NONE)
		return -1;
	e = &n->e[i];
	/* d <= 10 digits, so "AS" and the digits fit. */
	memcpy(e->as[NAMES_AS_NUMBER], "AS", 2);
	memcpy(e->as[NAMES_AS_NUMBER] + 2, f[0], d + 1);
	for (k = 1; k < NAMES_AS_NFIELDS; k++)
		memcpy(e->as[k], f[k], sizeof(e->as[k]));
	names_ok(&e->slot[NAMES_ASN], ttl, now);
	return 0;
}

void
names_fail(struct names *n, const struct addr *a, enum names_kind kind,
    bool definite, double now)
{
	struct names_entry *e;
	struct names_slot *s;
	int i;

	if ((unsigned)kind >= NAMES_NKINDS)
		return;
	i = names_get(n, a);
	if (i == NAMES_NONE)
		return;
	e = &n->e[i];
	s = &e->slot[kind];
	s->pending = false;
	s->failed = true;
	s->valid = true;
	s->expires = now + NAMES_FAIL_TTL;
	if (!definite)
		return;
	if (kind == NAMES_PTR)
		e->name[0] = '\0';
	else
		memset(e->as, 0, sizeof(e->as));
}

const char *
names_ptr(const struct names *n, const struct addr *a)
{
	int i = names_find(n, a);

	if (i == NAMES_NONE || n->e[i].name[0] == '\0')
		return NULL;
	return n->e[i].name;
}

const char *
names_asn(const struct names *n, const struct addr *a,
    enum names_as_field field)
{
	int i = names_find(n, a);

	if (i == NAMES_NONE || (unsigned)field >= NAMES_AS_NFIELDS ||
	    n->e[i].as[field][0] == '\0')
		return NULL;
	return n->e[i].as[field];
}

bool
names_pending(const struct names *n, const struct addr *a,
    enum names_kind kind)
{
	int i = names_find(n, a);

	return i != NAMES_NONE && (unsigned)kind < NAMES_NKINDS &&
	    n->e[i].slot[kind].pending;
}

int
names_query_name(const struct addr *a, enum names_kind kind, char *buf,
    size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = a->u.bytes;
	size_t o = 0;
	int i, r;

	if (a->family == AF_INET) {
		r = snprintf(buf, len, "%u.%u.%u.%u.%s", b[3], b[2], b[1], b[0],
		    kind == NAMES_PTR ? "in-addr.arpa" : "origin.asn.cymru.com");
		return r < 0 || (size_t)r >= len ? -1 : 0;
	}
	if (a->family != AF_INET6)
		return -1;
	/* RFC 3596 section 2.5: nibbles, least significant first. */
	for (i = 15; i >= 0; i--) {
		if (o + 4 >= len)
			return -1;
		buf[o++] = hex[b[i] & 0xf];
		buf[o++] = '.';
		buf[o++] = hex[b[i] >> 4];
		buf[o++] = '.';
	}
	r = snprintf(buf + o, len - o, "%s",
	    kind == NAMES_PTR ? "ip6.arpa" : "origin6.asn.cymru.com");
	return r < 0 || (size_t)r >= len - o ? -1 : 0;
}

static uint16_t
names_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
names_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Steps over a possibly compressed name at *off (RFC 1035 section 4.1.4). */
static int
names_skip_name(const unsigned char *msg, size_t msglen, size_t *off)
{
	size_t p = *off;
	unsigned c;

	for (;;) {
		if (p >= msglen)
			return -1;
		c = msg[p];
		if (c == 0) {
			*off = p + 1;
			return 0;
		}
		if ((c & 0xc0) == 0xc0) {
			if (p + 2 > msglen)
				return -1;
			*off = p + 2;
			return 0;
		}
		if ((c & 0xc0) != 0)
			return -1;	/* RFC 6891 extended labels: not here */
		p += 1 + c;
	}
}

/* Writes the name at off as dotted labels, cut to fit len. */
static int
names_read_name(const unsigned char *msg, size_t msglen, size_t off,
    char *out, size_t len, size_t *outlen)
{
	size_t o = 0, wire = 0, p = off, k;
	unsigned c, jumps = 0;

	for (;;) {
		if (p >= msglen)
			return -1;
		c = msg[p];
		if (c == 0)
			break;
		if ((c & 0xc0) == 0xc0) {
			if (p + 2 > msglen || ++jumps > NAMES_MAX_JUMPS)
				return -1;
			p = names_u16(msg + p) & 0x3fff;
			continue;
		}
		if ((c & 0xc0) != 0 || p + 1 + c > msglen)
			return -1;
		/* RFC 1035 section 3.1: 255 octets at most on the wire. */
		wire += 1 + c;
		if (wire + 1 > 255)
			return -1;
		if (o > 0 && o + 1 < len)
			out[o++] = '.';
		for (k = 0; k < c && o + 1 < len; k++)
			out[o++] = (char)msg[p + 1 + k];
		p += 1 + c;
	}
	if (len > 0)
		out[o] = '\0';
	*outlen = o;
	return 0;
}

/* Concatenates the character-strings of TXT data (RFC 1035 section 3.3.14). */
static int
names_read_txt(const unsigned char *rd, size_t rdlen, char *out, size_t len,
    size_t *outlen)
{
	size_t p = 0, o = 0, c, k;

	while (p < rdlen) {
		c = rd[p];
		if (p + 1 + c > rdlen)
			return -1;
		for (k = 0; k < c && o + 1 < len; k++)
			out[o++] = (char)rd[p + 1 + k];
		p += 1 + c;
	}
	if (len > 0)
		out[o] = '\0';
	*outlen = o;
	return 0;
}

enum names_parse
names_parse_answer(const unsigned char *msg, size_t msglen, int qtype,
    char *out, size_t len, size_t *outlen, uint32_t *ttl)
{
	size_t off = 12, rdlen;
	unsigned qd, an, i, type, cls;
	uint32_t t, minttl = UINT32_MAX;

	*outlen = 0;
	if (len > 0)
		out[0] = '\0';
	if (msglen < 12)
		return NAMES_PARSE_BAD;
	qd = names_u16(msg + 4);
	an = names_u16(msg + 6);
	for (i = 0; i < qd; i++) {
		if (names_skip_name(msg, msglen, &off) != 0 || off + 4 > msglen)
			return NAMES_PARSE_BAD;
		off += 4;
	}
	for (i = 0; i < an; i++) {
		if (names_skip_name(msg, msglen, &off) != 0 || off + 10 > msglen)
			return NAMES_PARSE_BAD;
		type = names_u16(msg + off);
		cls = names_u16(msg + off + 2);
		t = names_u32(msg + off + 4);
		rdlen = names_u16(msg + off + 8);
		off += 10;
		if (off + rdlen > msglen)
			return NAMES_PARSE_BAD;
		/* RFC 2181 section 8: a TTL with the top bit set means zero. */
		if (t > 0x7fffffffu)
			t = 0;
		if (cls == 1 && (type == 5 || type == (unsigned)qtype) &&
		    t < minttl)
			minttl = t;
		if (cls == 1 && type == (unsigned)qtype) {
			*ttl = minttl;
			if (qtype == 16)
				return names_read_txt(msg + off, rdlen, out,
				    len, outlen) == 0 ? NAMES_PARSE_OK :
				    NAMES_PARSE_BAD;
			if (names_read_name(msg, off + rdlen, off, out, len,
			    outlen) != 0)
				return NAMES_PARSE_BAD;
			return NAMES_PARSE_OK;
		}
		off += rdlen;
	}
	return NAMES_PARSE_NONE;
}
