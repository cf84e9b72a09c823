/* Lower-case hexadecimal encoding of byte strings (digests, keys). */
#ifndef VG_HEX_H
#define VG_HEX_H

#include <stddef.h>

/* Write the 2*n lower-case hex digits of p[0..n) and a NUL to out, which
 * must hold 2*n + 1 bytes. */
void vg_hex_encode(const unsigned char *p, size_t n, char *out);

#endif
