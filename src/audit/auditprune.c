/*
 * auditprune.c — the retention checkpoint of the audit trail.
 *
 * Cutting the oldest records out of a hash chain would leave the first
 * kept record pointing at a hash nobody can check.  The checkpoint closes
 * that gap: one line "SEQ HASH TIME SIG" where SEQ and HASH are the last
 * removed record's number and hash, TIME the cut's instant and SIG the
 * Ed25519 signature (the trail's own key) of
 *   "vigie-audit-base-v1 SEQ HASH TIME".
 * Verification then starts at record SEQ + 1 with prev = HASH.  Removing
 * more records, or any record without a new checkpoint, breaks that; a new
 * checkpoint needs the secret key, exactly like a forged signature record.
 * It is kept beside the trail ("X.db.audit.base") or in the row of
 * audit_base (PostgreSQL).  vg_audit_prune (auditlog.c) writes it.
 */
#include "audit/audit_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int audit__base_parse(const char *text, struct audit__base *b)
{
    long long seq, t;
    int n = 0;
    memset(b, 0, sizeof *b);
    if (sscanf(text, "%lld %64s %lld %128s%n", &seq, b->hash, &t, b->sig, &n) != 4)
        return -1;
    while (text[n] == '\n')
        n++;
    b->seq = seq;
    b->time = t;
    return text[n] == '\0' && seq >= 1 && audit__is_hex64(b->hash) &&
                   strlen(b->sig) == 128
               ? 0
               : -1;
}

size_t audit__base_msg(const struct audit__base *b, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s %lld %s %lld", AUDIT__BASE_MSG, (long long)b->seq,
                     b->hash, (long long)b->time);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

int audit__base_ok(const struct audit__base *b, const unsigned char *pk)
{
    unsigned char sig[64];
    char msg[160];
    size_t n = audit__base_msg(b, msg, sizeof msg);
    return pk && audit__unhex(b->sig, sig, 64) == 0 &&
           crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, pk) == 0;
}
