/*
 * libFuzzer target for what a DNS server controls: the answer parser
 * (PTR and TXT), the name cache that stores its text, and the sanitiser.
 * Every string that comes out must be valid UTF-8 with no C0/C1 control,
 * DEL or bidirectional override, and fit the buffer it was given. The
 * checker below is written independently of sanitize.c so one bug cannot
 * hide itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "names.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a crash libFuzzer records as a finding. */
static void
fuzz_check(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line,
		    what);
		abort();
	}
}

#define check(x) fuzz_check((x) != 0, #x, __LINE__)

/* Length of the UTF-8 sequence led by b, or 0 for a byte that cannot lead. */
static size_t
lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/*
 * True when the n bytes at s are well-formed UTF-8 (RFC 3629) holding
 * nothing a terminal acts on.
 */
static int
safe_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, l;
	uint32_t c;

	while (i < n) {
		l = lead_len(s[i]);
		if (l == 0 || i + l > n)
			return 0;
		c = l == 1 ? s[i] : s[i] & (0x7f >> l);
		for (k = 1; k < l; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if ((l == 3 && c < 0x800) || (l == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return 0;
		if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 &&
		    c <= 0x2069))
			return 0;
		i += l;
	}
	return 1;
}

/* A stored string must be NUL-terminated inside max bytes and safe. */
static void
check_stored(const char *s, size_t max)
{
	const char *nul;

	if (s == NULL)
		return;
	nul = memchr(s, '\0', max);
	check(nul != NULL);
	check(safe_utf8((const unsigned char *)s, (size_t)(nul - s)));
}

/* Sanitises data into an exact-size buffer of dstlen bytes. */
static void
check_sanitize(const uint8_t *data, size_t size, size_t dstlen)
{
	char *dst = malloc(dstlen > 0 ? dstlen : 1);
	size_t n, w;

	if (dst == NULL)
		return;
	n = sanitize_text(dst, dstlen, (const char *)data, size);
	if (dstlen == 0) {
		check(n == 0);
	} else {
		check(n < dstlen && dst[n] == '\0' && strlen(dst) == n);
		check(safe_utf8((const unsigned char *)dst, n));
		/*
		 * Each input character yields at most its own bytes and at
		 * least one, and input is dropped only when dst is full.
		 */
		check(n <= size);
		if (n + 4 < dstlen)
			check(4 * n >= size);
		w = sanitize_width(dst);
		check(w <= n);
		check(sanitize_prefix(dst, w) == n);
		check(sanitize_prefix(dst, w / 2) <= n);
	}
	free(dst);
}

/* Parses msg as an answer to qtype and stores what it yields. */
static void
check_answer(struct names *nc, const uint8_t *msg, size_t size, int qtype,
    size_t len)
{
	struct addr a;
	enum names_parse r;
	size_t outlen = 12345, k;
	uint32_t ttl = 0;
	char *out;

	out = malloc(len > 0 ? len : 1);
	if (out == NULL)
		return;
	r = names_parse_answer(msg, size, qtype, out, len, &outlen, &ttl);
	check(r == NAMES_PARSE_OK || r == NAMES_PARSE_NONE ||
	    r == NAMES_PARSE_BAD);
	if (r != NAMES_PARSE_OK) {
		/* out may hold a partial name: callers only read it on OK. */
		check(outlen == 0);
		free(out);
		return;
	}
	check(len == 0 || (outlen < len && out[outlen] == '\0'));
	check(ttl <= 0x7fffffffu);
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.u.bytes[0] = 10;
	a.u.bytes[3] = (uint8_t)qtype;
	check(names_begin(nc, &a, qtype == 12 ? NAMES_PTR : NAMES_ASN, 0.0));
	if (qtype == 12) {
		names_set_ptr(nc, &a, out, outlen, ttl, 1.0);
		check_stored(names_ptr(nc, &a), NAMES_NAME_MAX);
	} else {
		if (names_set_asn(nc, &a, out, outlen, ttl, 1.0) == 0)
			check(names_asn(nc, &a, NAMES_AS_NUMBER) != NULL);
		for (k = 0; k < NAMES_AS_NFIELDS; k++)
			check_stored(names_asn(nc, &a,
			    (enum names_as_field)k), NAMES_FIELD_MAX);
	}
	check(!names_pending(nc, &a, qtype == 12 ? NAMES_PTR : NAMES_ASN));
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t lens[] = { 0, 1, 2, 7, 64, 256, 1024 };
	struct names *nc;
	uint8_t *copy;
	size_t len;

	if (size < 1)
		return 0;
	len = lens[data[0] % (sizeof(lens) / sizeof(lens[0]))];
	/* An exact-size copy so any overread lands outside the allocation. */
	copy = malloc(size - 1 > 0 ? size - 1 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	nc = names_new(4);
	if (nc != NULL) {
		check_answer(nc, copy, size - 1, 12, len);
		check_answer(nc, copy, size - 1, 16, len);
		names_free(nc);
	}
	check_sanitize(copy, size - 1, len);
	check_sanitize(copy, size - 1, (size_t)data[0] + 1);
	free(copy);
	return 0;
}
