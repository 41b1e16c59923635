/*
 * The name cache: address -> PTR name and AS data (mtr's -y fields), each
 * with its own expiry and pending/failed state. Capacity is fixed at
 * creation; the least recently used entry makes room. Every string is
 * sanitised before it is stored. Pure code: no I/O, no clock, no globals;
 * callers pass the monotonic time in seconds.
 *
 * Also here: the bounded parser that turns a DNS answer (PTR or TXT) into
 * text and a TTL, because it is pure and deserves unit tests too.
 */
#ifndef NTRACE_NAMES_H
#define NTRACE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define NAMES_CAPACITY 4096	/* entries in the model's cache */
#define NAMES_NAME_MAX 256	/* bytes of a stored PTR name, NUL included */
#define NAMES_FIELD_MAX 48	/* bytes of one stored AS field, NUL included */
#define NAMES_TTL_MIN 10	/* seconds: answers are kept at least this */
#define NAMES_TTL_MAX 86400	/* and at most a day */
#define NAMES_FAIL_TTL 30	/* failures are retried after this */

enum names_kind {
	NAMES_PTR = 0,
	NAMES_ASN,
	NAMES_NKINDS,
};

/* mtr's -y N fields, in mtr's order. */
enum names_as_field {
	NAMES_AS_NUMBER = 0,	/* "AS64500" */
	NAMES_AS_PREFIX,	/* "10.77.0.0/16" */
	NAMES_AS_COUNTRY,	/* "ZZ" */
	NAMES_AS_REGISTRY,	/* "lab" */
	NAMES_AS_DATE,		/* "2026-01-01" */
	NAMES_AS_NFIELDS,
};

struct names;

struct names *names_new(size_t capacity);
void names_free(struct names *n);
size_t names_capacity(const struct names *n);
/* Entries in use. */
size_t names_count(const struct names *n);
/*
 * Claims the right to query (a, kind): true when nothing usable and fresh
 * is cached and no query is pending, in which case the entry is created
 * (evicting the least recently used one that is not pending) and marked
 * pending. False when fresh, pending, or when every entry is pending.
 * Either way the entry counts as recently used.
 */
bool names_begin(struct names *n, const struct addr *a, enum names_kind kind,
    double now);
/* Gives a claim back without an answer (the query could not be queued). */
void names_cancel(struct names *n, const struct addr *a, enum names_kind kind);
/*
 * Stores a PTR name (len bytes, untrusted) kept for ttl seconds, clamped to
 * NAMES_TTL_MIN..NAMES_TTL_MAX. An empty name counts as a failure.
 */
void names_set_ptr(struct names *n, const struct addr *a, const char *name,
    size_t len, uint32_t ttl, double now);
/*
 * Stores AS data from a Team Cymru TXT answer, e.g.
 * "64500 | 10.77.0.0/16 | ZZ | lab | 2026-01-01". Returns 0, or -1 (and
 * records a failure) when the text has no AS number.
 */
int names_set_asn(struct names *n, const struct addr *a, const char *txt,
    size_t len, uint32_t ttl, double now);
/*
 * Records a failed query, retried after NAMES_FAIL_TTL seconds. A definite
 * answer (the name does not exist) drops what was known; a transient one
 * (timeout, server failure) keeps the stale data on show meanwhile.
 */
void names_fail(struct names *n, const struct addr *a, enum names_kind kind,
    bool definite, double now);
/* The stored PTR name, or NULL; stale names stay until replaced. */
const char *names_ptr(const struct names *n, const struct addr *a);
/* One stored AS field, or NULL. */
const char *names_asn(const struct names *n, const struct addr *a,
    enum names_as_field field);
/* True while a query for (a, kind) is pending. */
bool names_pending(const struct names *n, const struct addr *a,
    enum names_kind kind);

/*
 * Query names: "d.c.b.a.in-addr.arpa" / nibbles ".ip6.arpa" for PTR,
 * "d.c.b.a.origin.asn.cymru.com" / nibbles ".origin6.asn.cymru.com" for AS.
 * Returns 0, or -1 when a is unset or len is too small.
 */
int names_query_name(const struct addr *a, enum names_kind kind, char *buf,
    size_t len);

enum names_parse {
	NAMES_PARSE_OK = 0,
	NAMES_PARSE_NONE,	/* a well-formed answer without such a record */
	NAMES_PARSE_BAD,	/* malformed: truncated, looping, out of bounds */
};

/*
 * Finds the first answer record of type qtype (12 PTR or 16 TXT) in a DNS
 * message (RFC 1035 section 4.1) and writes its data as raw text: a PTR
 * target as dotted labels, TXT character-strings concatenated. *ttl is the
 * smallest TTL of the answer records read up to it (CNAMEs included, RFC
 * 2317). Text longer than len - 1 is cut. The text is untrusted: it goes
 * through names_set_* which sanitise it.
 */
enum names_parse names_parse_answer(const unsigned char *msg, size_t msglen,
    int qtype, char *out, size_t len, size_t *outlen, uint32_t *ttl);

#endif
