/*
 * Untrusted text (DNS names, AS descriptions, targets as typed) made safe
 * for a terminal, a JSON string or a CSV field. Pure code: no I/O.
 */
#ifndef NTRACE_SANITIZE_H
#define NTRACE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SANITIZE_REPLACEMENT '?'

/*
 * Decodes one well-formed UTF-8 character (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) from the len > 0 bytes at s. Returns
 * its length 1..4 and sets *cp, or 0 when the bytes are not well-formed.
 */
size_t sanitize_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/*
 * True for code points a terminal may act on: C0 controls, DEL, C1 controls
 * (U+0080..U+009F, e.g. the one-byte CSI) and the bidirectional overrides
 * and isolates (U+202A..U+202E, U+2066..U+2069) that reorder what is shown.
 */
bool sanitize_is_unsafe(uint32_t cp);
/*
 * Copies srclen untrusted bytes of src into dst, replacing every unsafe
 * character and every byte that is not well-formed UTF-8 (NUL included)
 * with '?'. Stops before a character that does not fit, so dst is always
 * NUL-terminated (when dstlen > 0) and valid UTF-8. Returns the bytes
 * written, without the NUL.
 */
size_t sanitize_text(char *dst, size_t dstlen, const char *src,
    size_t srclen);
/* Characters in a sanitized string (one column each: an approximation). */
size_t sanitize_width(const char *s);
/* Bytes in the longest prefix of sanitized s holding <= maxchars characters. */
size_t sanitize_prefix(const char *s, size_t maxchars);

#endif
