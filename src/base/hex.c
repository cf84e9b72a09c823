/*
 * Hex encoding shared by the audit trail and video exports.  No allocation;
 * the caller owns `out`.
 */
#include "base/hex.h"

void vg_hex_encode(const unsigned char *p, size_t n, char *out)
{
    static const char dig[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = dig[p[i] >> 4];
        out[2 * i + 1] = dig[p[i] & 15];
    }
    out[2 * n] = '\0';
}
