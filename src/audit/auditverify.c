/*
 * auditverify.c — proving the audit trail intact, or naming the first
 * record that is not.
 *
 * Checks, in this order for each line: it ends with '\n' (else truncated),
 * its fixed suffix is present (else malformed), its bytes hash to the stored
 * hash, it is a well-formed record, its seq is the previous one plus one,
 * its prev is the previous record's hash, and — for "sign" records — the
 * signed head is the previous record and the Ed25519 signature is valid
 * under the public key beside the store.  Then the signed-head anchor file
 * must name a record present in the trail with the same hash (else the
 * trail was rolled back), and unless allowed the last record must be a
 * signature (else the tail is unsigned and could have been forged by anyone
 * able to write the file).
 *
 * A trail cut for retention starts after a signed checkpoint (seq, hash of
 * the last removed record): its signature must verify, the first record
 * must then be seq + 1 with prev = hash.  Records up to the checkpoint may
 * still be present (a cut interrupted between writing the checkpoint and
 * replacing the trail): they are checked as usual and the one at the
 * checkpoint's seq must have its hash.  Without a checkpoint the trail must
 * start at record 1.  Memory: nothing outlives the call.
 */
#include "audit/audit_int.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct vctx {
    const unsigned char *pk;
    char pkhex[VG_AUDIT_HEX];
    struct vg_audit_report *r;
    int64_t expect;
    char prev[VG_AUDIT_HEX];
    uint64_t end;               /* offset after the last good line */
    uint64_t tail_off;          /* offset of the first unsigned record */
    size_t line, tail_line;
    int last_is_sign;
    /* signed heads the trail must still hold: [0] the store's head file,
     * [1] an external anchor; `h` NULL when absent */
    struct {
        const struct audit__head *h;
        int seen;
    } heads[2];
    const struct audit__base *base;   /* NULL if never cut */
    struct audit__probe *probe;       /* NULL if none asked */
};

static const char *const head_name[2] = {"signed head file", "external anchor"};

static int fault(struct vctx *v, enum vg_audit_fault f, uint64_t off,
                 const char *why)
{
    v->r->fault = f;
    v->r->seq = v->expect;
    v->r->offset = off;
    v->r->line = v->line;
    snprintf(v->r->msg, sizeof v->r->msg, "%s", why);
    return 1;
}

static int check_sig(struct vctx *v, const struct audit__parsed *p,
                     uint64_t off)
{
    unsigned char sig[64];
    char msg[128];
    if (p->head_seq != p->rec.seq - 1 || strcmp(p->head_hash, v->prev) != 0)
        return fault(v, VG_AUDIT_FAULT_SIGNATURE, off,
                     "the signature covers another head than the previous "
                     "record (history rewritten before it)");
    if (v->pk == NULL)
        return fault(v, VG_AUDIT_FAULT_NOKEY, off,
                     "signature present but no public key to check it");
    if (strcmp(p->key, v->pkhex) != 0)
        return fault(v, VG_AUDIT_FAULT_SIGNATURE, off,
                     "signed with a key other than the store's public key");
    size_t n = audit__sign_msg(p->head_seq, p->head_hash, msg, sizeof msg);
    if (audit__unhex(p->sig, sig, 64) != 0 ||
        crypto_sign_verify_detached(sig, (const unsigned char *)msg, n,
                                    v->pk) != 0)
        return fault(v, VG_AUDIT_FAULT_SIGNATURE, off,
                     "Ed25519 signature does not verify");
    return 0;
}

static int verify_line(void *vctx, const char *line, size_t len, uint64_t off)
{
    struct vctx *v = vctx;
    struct audit__parsed p;
    char why[200], msg[260];
    int stop = 0;
    v->line++;
    enum vg_audit_fault f = audit__parse_line(line, len, &p, why, sizeof why);
    if (f != VG_AUDIT_FAULT_NONE)
        return fault(v, f, off, why);
    if (v->line == 1 && v->base && p.rec.seq >= 1 && p.rec.seq <= v->base->seq) {
        /* an interrupted cut: lines the checkpoint covers are still here */
        v->expect = p.rec.seq;
        memcpy(v->prev, p.prev, VG_AUDIT_HEX);
    }
    if (v->line == 1 && v->probe)
        v->probe->first_seq = p.rec.seq;
    if (p.rec.seq != v->expect) {
        if (v->line == 1 && v->base == NULL)
            snprintf(msg, sizeof msg, "the trail starts at record %lld and no "
                     "signed retention checkpoint covers the records before it",
                     (long long)p.rec.seq);
        else if (v->line == 1)
            snprintf(msg, sizeof msg, "the retention checkpoint ends at record "
                     "%lld but the trail starts at record %lld",
                     (long long)v->base->seq, (long long)p.rec.seq);
        else
            snprintf(msg, sizeof msg, "expected record %lld, found %lld",
                     (long long)v->expect, (long long)p.rec.seq);
        stop = fault(v, VG_AUDIT_FAULT_SEQ_GAP, off, msg);
    } else if (strcmp(p.prev, v->prev) != 0) {
        snprintf(msg, sizeof msg, "prev %.16s… is not the hash of the "
                 "previous record (%.16s…)", p.prev, v->prev);
        stop = fault(v, VG_AUDIT_FAULT_CHAIN, off, msg);
    } else if (p.is_sign) {
        stop = check_sig(v, &p, off);
    }
    if (!stop && v->base && p.rec.seq == v->base->seq &&
        strcmp(p.hash, v->base->hash) != 0)
        stop = fault(v, VG_AUDIT_FAULT_CHECKPOINT, off,
                     "record differs from the one the retention checkpoint names");
    if (!stop && v->probe && v->probe->seq == p.rec.seq) {
        v->probe->found = 1;
        memcpy(v->probe->hash, p.hash, VG_AUDIT_HEX);
    }
    if (!stop && v->probe && v->probe->found && v->probe->seq + 1 == p.rec.seq)
        v->probe->next_off = off;
    if (!stop) {
        v->r->records++;
        if (p.is_sign) {
            v->r->signatures++;
            v->r->signed_seq = p.rec.seq;
        } else if (v->last_is_sign || v->r->records == 1) {
            v->tail_off = off;
            v->tail_line = v->line;
        }
        v->last_is_sign = p.is_sign;
        for (int k = 0; k < 2 && !stop; k++) {
            const struct audit__head *h = v->heads[k].h;
            if (h == NULL || h->sign_seq != p.rec.seq)
                continue;
            v->heads[k].seen = 1;
            if (strcmp(h->sign_hash, p.hash) != 0) {
                snprintf(msg, sizeof msg, "record differs from the one named by the %s",
                         head_name[k]);
                stop = fault(v, VG_AUDIT_FAULT_CHAIN, off, msg);
            }
        }
        memcpy(v->prev, p.hash, VG_AUDIT_HEX);
        v->expect++;
        v->end = off + len;
    }
    audit__parsed_free(&p);
    return stop;
}

/* The anchor's own signature. */
static int anchor_ok(const struct audit__head *h, const unsigned char *pk)
{
    unsigned char sig[64];
    char msg[128];
    size_t n = audit__sign_msg(h->head_seq, h->head_hash, msg, sizeof msg);
    return pk && audit__unhex(h->sig, sig, 64) == 0 &&
           crypto_sign_verify_detached(sig, (const unsigned char *)msg, n,
                                       pk) == 0;
}

static void after_scan(struct vctx *v, int allow_unsigned_tail)
{
    struct vg_audit_report *r = v->r;
    char msg[200];
    if (r->fault != VG_AUDIT_FAULT_NONE)
        return;
    for (int k = 0; k < 2; k++) {
        const struct audit__head *h = v->heads[k].h;
        if (h == NULL || v->heads[k].seen || (v->base && h->sign_seq <= v->base->seq))
            continue;
        snprintf(msg, sizeof msg, "the %s names record %lld but the trail ends at "
                 "record %lld (truncated or rolled back)", head_name[k],
                 (long long)h->sign_seq, (long long)(v->expect - 1));
        v->line++;
        fault(v, VG_AUDIT_FAULT_ROLLBACK, v->end, msg);
        return;
    }
    if (!allow_unsigned_tail && r->records > 0 && !v->last_is_sign) {
        snprintf(msg, sizeof msg, "records %lld to %lld follow the last "
                 "signature and are not covered by any",
                 (long long)(r->signed_seq + 1), (long long)(v->expect - 1));
        v->expect = r->signed_seq + 1;
        v->line = v->tail_line;
        fault(v, VG_AUDIT_FAULT_UNSIGNED_TAIL, v->tail_off, msg);
    }
}

/* Signed head k from `text` (empty: none), parsed and its signature checked
 * against the trail's key; a fault otherwise.  Returns 0 on a fault. */
static int take_head(struct vctx *v, int k, const char *text, struct audit__head *h)
{
    char why[160];
    if (text == NULL || text[0] == '\0')
        return 1;
    if (audit__head_parse(text, h) != 0 || !anchor_ok(h, v->pk)) {
        snprintf(why, sizeof why, "the %s is malformed or not signed by this trail's key",
                 head_name[k]);
        fault(v, v->pk ? VG_AUDIT_FAULT_SIGNATURE : VG_AUDIT_FAULT_NOKEY, 0, why);
        return 0;
    }
    v->heads[k].h = h;
    return 1;
}

/* The retention checkpoint, if any: parsed and its signature checked. */
static enum vg_err load_base(const struct vg_audit_backend_ops *ops, void *self,
                             struct vctx *v, struct audit__base *base, struct vg_diag *d)
{
    char text[400];
    enum vg_err e = ops->get_base(self, text, sizeof text, d);
    if (e != VG_OK || text[0] == '\0')
        return e;
    if (audit__base_parse(text, base) != 0)
        fault(v, VG_AUDIT_FAULT_CHECKPOINT, 0, "retention checkpoint is malformed");
    else if (v->pk == NULL)
        fault(v, VG_AUDIT_FAULT_NOKEY, 0,
              "retention checkpoint present but no public key to check it");
    else if (!audit__base_ok(base, v->pk))
        fault(v, VG_AUDIT_FAULT_CHECKPOINT, 0,
              "retention checkpoint signature does not verify");
    else {
        v->base = base;
        v->expect = base->seq + 1;
        memcpy(v->prev, base->hash, VG_AUDIT_HEX);
        v->r->base_seq = base->seq;
        v->r->base_time = base->time;
    }
    return VG_OK;
}

enum vg_err audit__verify_locked(const struct vg_audit_backend_ops *ops,
                                 void *self, const unsigned char *pk,
                                 int allow_unsigned_tail, const char *anchor,
                                 struct vg_audit_report *r,
                                 struct audit__probe *probe, struct vg_diag *d)
{
    struct audit__head head, ext;
    struct audit__base base;
    char text[400];
    struct vctx v;
    memset(r, 0, sizeof *r);
    memset(&v, 0, sizeof v);
    v.pk = pk;
    if (pk)
        audit__hex(pk, 32, v.pkhex);
    v.r = r;
    v.expect = 1;
    v.probe = probe;
    memcpy(v.prev, AUDIT__ZERO_HASH, VG_AUDIT_HEX);
    enum vg_err e = ops->get_head(self, text, sizeof text, d);
    if (e == VG_OK && (!take_head(&v, 0, text, &head) || !take_head(&v, 1, anchor, &ext)))
        goto out;
    if (e == VG_OK)
        e = load_base(ops, self, &v, &base, d);
    if (e == VG_OK && r->fault == VG_AUDIT_FAULT_NONE)
        e = ops->scan(self, verify_line, &v, d);
    if (e == VG_OK)
        after_scan(&v, allow_unsigned_tail);
out:
    if (e == VG_OK && r->fault != VG_AUDIT_FAULT_NONE)
        e = vg_fail(d, VG_INTEGRITY, "", r->line, 0,
                    "record %lld (byte %" PRIu64 "): %s: %s",
                    (long long)r->seq, r->offset,
                    vg_audit_fault_name(r->fault), r->msg);
    return e;
}

enum vg_err audit__verify_backend(const struct vg_audit_backend_ops *ops,
                                  void *self, const unsigned char *pk,
                                  int allow_unsigned_tail, const char *anchor,
                                  struct vg_audit_report *r, struct vg_diag *d)
{
    memset(r, 0, sizeof *r);
    enum vg_err e = ops->lock(self, d);
    if (e != VG_OK)
        return e;
    e = audit__verify_locked(ops, self, pk, allow_unsigned_tail, anchor, r, NULL, d);
    ops->unlock(self);
    return e;
}

enum vg_err vg_audit_verify(const char *db_path, int allow_unsigned_tail,
                            struct vg_audit_report *report, struct vg_diag *d)
{
    return audit__verify_file(db_path, allow_unsigned_tail, NULL, report, d);
}

enum vg_err audit__verify_file(const char *db_path, int allow_unsigned_tail,
                               const char *anchor, struct vg_audit_report *report,
                               struct vg_diag *d)
{
    char path[4096];
    unsigned char pk[32];
    void *self = NULL;
    struct vg_diag kd;
    if (sodium_init() < 0 || db_path == NULL ||
        snprintf(path, sizeof path, "%s.audit", db_path) >= (int)sizeof path - 8)
        return vg_fail(d, VG_USAGE, "", 0, 0, "store path missing or too long");
    enum vg_err e = audit__file_new(path, 1, &self, d);
    if (e != VG_OK)
        return e;
    vg_diag_clear(&kd);
    enum vg_err ke = audit__load_pub(path, pk, &kd);
    if (ke != VG_OK && ke != VG_NOTFOUND) {
        *d = kd;
        audit__file_ops.close(self);
        return ke;
    }
    e = audit__verify_backend(&audit__file_ops, self, ke == VG_OK ? pk : NULL,
                              allow_unsigned_tail, anchor, report, d);
    if (e == VG_INTEGRITY && d) {
        size_t n = strlen(path) < sizeof d->file ? strlen(path)
                                                 : sizeof d->file - 1;
        memcpy(d->file, path, n);
        d->file[n] = '\0';
    }
    audit__file_ops.close(self);
    return e;
}
