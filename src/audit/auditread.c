/*
 * auditread.c — reading the audit trail back: query scans, one record by
 * sequence number, and the full verification of chain and signatures.
 *
 * Readers take the back end's lock for the duration of the pass so that a
 * record being written is never seen half-way (a writer waits meanwhile).
 * Verification trusts nothing in the trail but the public key beside it and
 * reports the first fault with its sequence number, byte offset and line.
 * Memory: entries own one block (`mem`) holding all their strings.
 */
#include "audit/audit_int.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

const char *vg_audit_fault_name(enum vg_audit_fault f)
{
    static const char *const names[] = {
#define VG__AF(n, t) t,
        VG_AUDIT_FAULTS(VG__AF)
#undef VG__AF
    };
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

int audit__head_parse(const char *text, struct audit__head *h)
{
    long long ss, hs;
    int n = 0;
    memset(h, 0, sizeof *h);
    if (sscanf(text, "%lld %64s %lld %64s %128s%n", &ss, h->sign_hash, &hs,
               h->head_hash, h->sig, &n) != 5)
        return -1;
    h->sign_seq = ss;
    h->head_seq = hs;
    return audit__is_hex64(h->sign_hash) && audit__is_hex64(h->head_hash) &&
                   strlen(h->sig) == 128 && hs >= 0 && ss == hs + 1
               ? 0
               : -1;
}

/* ---- scans ---- */

struct scan_ctx {
    const struct vg_audit_query *q;
    int (*cb)(const struct vg_audit_rec *, void *);
    void *ctx;
    int64_t want_seq;            /* get(): the record wanted, else 0 */
    struct vg_audit_entry *entry;
    enum vg_err e;
    struct vg_diag *d;
    const char *path;
    size_t line;
};

static int matches(const struct vg_audit_query *q, const struct audit__parsed *p)
{
    if (q == NULL)
        return !p->is_sign;
    return (q->include_sign || !p->is_sign) &&
           (q->user == NULL || strcmp(q->user, p->rec.user) == 0) &&
           (q->action == NULL || strcmp(q->action, p->rec.action) == 0) &&
           (q->object == NULL || strcmp(q->object, p->rec.object) == 0) &&
           (q->from == 0 || p->rec.time >= q->from) &&
           (q->to == 0 || p->rec.time < q->to);
}

/* Copy a parsed record into an entry that owns its strings. */
static enum vg_err to_entry(const struct audit__parsed *p, const char *details,
                            uint64_t off, struct vg_audit_entry *en)
{
    const char *src[] = {p->rec.user, p->rec.role, p->rec.action,
                         p->rec.object, p->rec.purpose, details};
    size_t total = 0, pos = 0;
    for (size_t i = 0; i < 6; i++)
        total += strlen(src[i]) + 1;
    memset(en, 0, sizeof *en);
    if ((en->mem = vg_malloc(total)) == NULL)
        return VG_NOMEM;
    const char **dst[] = {&en->rec.user, &en->rec.role, &en->rec.action,
                          &en->rec.object, &en->rec.purpose, &en->rec.details};
    for (size_t i = 0; i < 6; i++) {
        size_t n = strlen(src[i]) + 1;
        memcpy(en->mem + pos, src[i], n);
        *dst[i] = en->mem + pos;
        pos += n;
    }
    en->rec.seq = p->rec.seq;
    en->rec.time = p->rec.time;
    memcpy(en->prev, p->prev, VG_AUDIT_HEX);
    memcpy(en->hash, p->hash, VG_AUDIT_HEX);
    en->offset = off;
    return VG_OK;
}

void vg_audit_entry_free(struct vg_audit_entry *e)
{
    if (e == NULL)
        return;
    vg_free(e->mem);
    vg_free(e->aux);
    e->mem = e->aux = NULL;
}

static int scan_line(void *vctx, const char *line, size_t len, uint64_t off)
{
    struct scan_ctx *s = vctx;
    struct audit__parsed p;
    char why[200];
    int stop = 0;
    s->line++;
    enum vg_audit_fault f = audit__parse_line(line, len, &p, why, sizeof why);
    if (f != VG_AUDIT_FAULT_NONE) {
        s->e = vg_fail(s->d, VG_INTEGRITY, s->path, s->line, 0,
                       "%s at byte %" PRIu64 ": %s (run `vigie audit verify`)",
                       vg_audit_fault_name(f), off, why);
        return 1;
    }
    int hit = s->want_seq ? p.rec.seq == s->want_seq : matches(s->q, &p);
    if (hit) {
        char *det = json_dumps(json_object_get(p.root, "details"),
                               JSON_COMPACT | JSON_ENSURE_ASCII);
        if (det == NULL)
            s->e = VG_NOMEM, stop = 1;
        else if (s->want_seq) {
            s->e = to_entry(&p, det, off, s->entry);
            stop = 1;
        } else {
            p.rec.details = det;
            stop = s->cb(&p.rec, s->ctx) != 0;
        }
        free(det);
    }
    audit__parsed_free(&p);
    return stop;
}

static enum vg_err locked_scan(struct vg_audit_backend_ops const *ops,
                               void *self, struct scan_ctx *s,
                               struct vg_diag *d)
{
    enum vg_err e = ops->lock(self, d);
    if (e != VG_OK)
        return e;
    e = ops->scan(self, scan_line, s, d);
    ops->unlock(self);
    return e != VG_OK ? e : s->e;
}

enum vg_err vg_audit_scan(struct vg_audit *a, const struct vg_audit_query *q,
                          int (*cb)(const struct vg_audit_rec *, void *),
                          void *ctx, struct vg_diag *d)
{
    const struct vg_audit_backend_ops *ops;
    void *self;
    audit__backend(a, &ops, &self);
    struct scan_ctx s = {q, cb, ctx, 0, NULL, VG_OK, d, vg_audit_path(a), 0};
    return locked_scan(ops, self, &s, d);
}

enum vg_err vg_audit_get(struct vg_audit *a, int64_t seq,
                         struct vg_audit_entry *out, struct vg_diag *d)
{
    const struct vg_audit_backend_ops *ops;
    void *self;
    audit__backend(a, &ops, &self);
    struct scan_ctx s = {NULL, NULL, NULL, seq, out, VG_OK, d, vg_audit_path(a), 0};
    memset(out, 0, sizeof *out);
    if (seq <= 0)
        return vg_fail(d, VG_RANGE, vg_audit_path(a), 0, 0,
                       "audit record number %lld: expected 1 or more",
                       (long long)seq);
    enum vg_err e = locked_scan(ops, self, &s, d);
    char text[400];
    struct audit__base b;
    if (e == VG_OK && out->mem == NULL &&
        ops->get_base(self, text, sizeof text, NULL) == VG_OK && text[0] &&
        audit__base_parse(text, &b) == 0 && seq <= b.seq)
        e = vg_fail(d, VG_NOTFOUND, vg_audit_path(a), 0, 0,
                    "audit record %lld was removed under the audit trail's retention period "
                    "(records 1 to %lld are gone; a signed checkpoint proves the rest)",
                    (long long)seq, (long long)b.seq);
    else if (e == VG_OK && out->mem == NULL)
        e = vg_fail(d, VG_NOTFOUND, vg_audit_path(a), 0, 0,
                    "no audit record number %lld", (long long)seq);
    return e;
}
