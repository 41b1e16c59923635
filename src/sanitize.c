/* Untrusted text made safe to print: see sanitize.h. */
#include "config.h"

#include <string.h>

#include "sanitize.h"

size_t
sanitize_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;	/* a continuation byte, 0xc0/0xc1 or 0xf5.. */
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* RFC 3629 section 3: overlong forms and surrogates are invalid. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool
sanitize_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return true;
	return false;
}

size_t
sanitize_text(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, n;
	uint32_t cp;

	if (dstlen == 0)
		return 0;
	while (i < srclen) {
		n = sanitize_utf8_decode(s + i, srclen - i, &cp);
		if (n == 0 || sanitize_is_unsafe(cp)) {
			/* One '?' per bad byte keeps the damage visible. */
			if (n == 0)
				n = 1;
			if (o + 1 >= dstlen)
				break;
			dst[o++] = SANITIZE_REPLACEMENT;
		} else {
			if (o + n >= dstlen)
				break;
			memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	dst[o] = '\0';
	return o;
}

size_t
sanitize_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80)
			w++;
	}
	return w;
}

size_t
sanitize_prefix(const char *s, size_t maxchars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, chars = 0;

	for (i = 0; p[i] != '\0'; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			if (chars == maxchars)
				break;
			chars++;
		}
	}
	return i;
}
