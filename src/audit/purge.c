/*
 * purge.c — retention enforcement over a store (see purge.h).
 *
 * The store only lists candidate rows (time < now - days) and deletes the
 * ids it is given; every verdict comes from vg_ret_decide, so the SQLite
 * and PostgreSQL back ends cannot disagree on what a hold covers.
 * Invariant: on any failure nothing is deleted (one transaction, rolled
 * back) and no purge record is left.  Memory: id lists and area ids are
 * owned here and freed before returning.
 */
#include "audit/purge.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/tz.h"

enum vg_err vg_purge_policy(struct vg_store *s, struct vg_ret_policy *p,
                            struct vg_diag *d)
{
    char text[512];
    vg_ret_policy_default(p);
    if (vg_store_meta_get(s, VG_PURGE_POLICY_KEY, text, sizeof text) != VG_OK)
        return VG_OK;
    enum vg_err e = vg_ret_policy_parse(text, p, d);
    if (e)
        vg_fail(d, e, "meta " VG_PURGE_POLICY_KEY, 1, 0,
                "stored retention policy \"%s\" is invalid: %s", text, d->msg);
    return e;
}

enum vg_err vg_purge_policy_text(const struct vg_ret_policy *p, struct vg_buf *b)
{
    enum vg_err e = VG_OK;
    for (int t = 0; t < VG_RET_NTYPES && e == VG_OK; t++) {
        if (p->days[t] == VG_RET_FOREVER)
            e = vg_buf_printf(b, "%s%s=forever", t ? "," : "", vg_ret_type_name(t));
        else
            e = vg_buf_printf(b, "%s%s=%d", t ? "," : "", vg_ret_type_name(t),
                              (int)p->days[t]);
    }
    return e;
}

struct holds_acc {
    struct vg_ret_hold *h;
    size_t n, cap;
    struct vg_diag *d;
};

static enum vg_err hold_one(void *arg, const struct vg_hold_row *r)
{
    struct holds_acc *a = arg;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        struct vg_ret_hold *p = vg_reallocarray(a->h, cap, sizeof *p);
        if (p == NULL)
            return VG_NOMEM;
        a->h = p, a->cap = cap;
    }
    struct vg_ret_hold *h = &a->h[a->n];
    memset(h, 0, sizeof *h);
    h->type = vg_ret_type_of(r->type, strlen(r->type));
    if (h->type == -2)
        return vg_fail(a->d, VG_PARSE, "legal_hold", (size_t)r->id, 0,
                       "hold %lld has unknown type \"%s\"", (long long)r->id, r->type);
    snprintf(h->procedure, sizeof h->procedure, "%s", r->procedure);
    snprintf(h->area, sizeof h->area, "%s", r->area ? r->area : "");
    h->from = r->from, h->to = r->to;
    h->placed = r->placed, h->lifted = r->lifted;
    a->n++;
    return VG_OK;
}

enum vg_err vg_purge_holds(struct vg_store *s, struct vg_ret_hold **out,
                           size_t *n, struct vg_diag *d)
{
    struct holds_acc a = {NULL, 0, 0, d};
    enum vg_err e = s->ops->holds_get(s, hold_one, &a, d);
    if (e) {
        vg_free(a.h);
        a.h = NULL, a.n = 0;
    }
    *out = a.h;
    *n = a.n;
    return e;
}

/* Area ids of the default layer by index (for matching holds' areas). */
struct area_ids {
    char **id;
    size_t n;
};

static enum vg_err area_one(void *arg, size_t idx, const struct vg_area_row *r)
{
    struct area_ids *a = arg;
    char **p = vg_reallocarray(a->id, idx + 1, sizeof *p);
    if (p == NULL)
        return VG_NOMEM;
    a->id = p;
    size_t len = strlen(r->id);
    if ((p[idx] = vg_malloc(len + 1)) == NULL)
        return VG_NOMEM;
    memcpy(p[idx], r->id, len + 1);
    a->n = idx + 1;
    return VG_OK;
}

static void area_ids_free(struct area_ids *a)
{
    for (size_t i = 0; i < a->n; i++)
        vg_free(a->id[i]);
    vg_free(a->id);
}

/* One retention type's pass: decide every candidate, collect ids. */
struct pass {
    const struct vg_ret_policy *p;
    const struct vg_ret_hold *holds;
    size_t nholds;
    const struct area_ids *areas;
    int type;
    int64_t now;
    int64_t *ids;
    size_t n, cap;
    struct vg_purge_counts *c;
};

static enum vg_err decide_one(void *arg, int64_t id, int64_t t, int32_t area)
{
    struct pass *ps = arg;
    struct vg_ret_decision dec;
    const char *aid = area >= 0 && (size_t)area < ps->areas->n ? ps->areas->id[area] : NULL;
    enum vg_err e = vg_ret_decide(ps->p, ps->holds, ps->nholds, ps->type, t, aid, ps->now,
                                  &dec);
    if (e || dec.verdict == VG_RET_KEEP)
        return e;
    ps->c->expired[ps->type]++;
    if (dec.verdict == VG_RET_HELD) {
        ps->c->held[ps->type]++;
        return VG_OK;
    }
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 1024;
        int64_t *q = vg_reallocarray(ps->ids, cap, sizeof *q);
        if (q == NULL)
            return VG_NOMEM;
        ps->ids = q, ps->cap = cap;
    }
    ps->ids[ps->n++] = id;
    return VG_OK;
}

static enum vg_err purge_record(struct vg_audit *audit, const struct vg_ret_policy *p,
                                int64_t now, const struct vg_purge_counts *c,
                                int64_t *seq, struct vg_diag *d)
{
    struct vg_buf b;
    char ts[24];
    vg_utc_iso(now, ts);
    vg_buf_init(&b, 4096);
    enum vg_err e = vg_buf_printf(&b, "{\"now\":\"%s\",\"policy\":\"", ts);
    if (e == VG_OK)
        e = vg_purge_policy_text(p, &b);
    if (e == VG_OK)
        e = vg_buf_adds(&b, "\",\"counts\":{");
    for (int t = 0; t < VG_RET_NTYPES && e == VG_OK; t++)
        e = vg_buf_printf(&b, "%s\"%s\":{\"expired\":%zu,\"held\":%zu,\"purged\":%zu}",
                          t ? "," : "", vg_ret_type_name(t), c->expired[t], c->held[t],
                          c->purged[t]);
    if (e == VG_OK)
        e = vg_buf_adds(&b, "}}");
    if (e == VG_OK) {
        struct vg_audit_rec r = {0, 0, "vigie", "system", "purge", "store", NULL, b.p};
        e = vg_audit_append(audit, &r, seq, d);
    }
    vg_buf_free(&b);
    return e;
}

/* The trail's own retention: every record decided like the store's rows
 * (area unknown); only the oldest run of PURGE verdicts can go, since a
 * hash chain can only lose its beginning — a held or young record stops it. */
struct audit_pass {
    const struct vg_ret_policy *p;
    const struct vg_ret_hold *holds;
    size_t nholds;
    int64_t now, upto, last;
    size_t run;
    int prefix, last_is_sign;
    struct vg_purge_counts *c;
    enum vg_err e;
};

static int audit_one(const struct vg_audit_rec *r, void *ctx)
{
    struct audit_pass *ap = ctx;
    struct vg_ret_decision dec;
    ap->e = vg_ret_decide(ap->p, ap->holds, ap->nholds, VG_RET_AUDIT, r->time, NULL,
                          ap->now, &dec);
    if (ap->e != VG_OK)
        return 1;
    if (dec.verdict != VG_RET_KEEP)
        ap->c->expired[VG_RET_AUDIT]++;
    if (dec.verdict == VG_RET_HELD)
        ap->c->held[VG_RET_AUDIT]++;
    if (dec.verdict != VG_RET_PURGE)
        ap->prefix = 0;
    else if (ap->prefix)
        ap->upto = r->seq, ap->run++;
    ap->last = r->seq;
    ap->last_is_sign = strcmp(r->action, "sign") == 0;
    return 0;
}

static enum vg_err audit_retention(struct vg_audit *audit, const struct vg_ret_policy *p,
                                   const struct vg_ret_hold *holds, size_t nholds,
                                   int64_t now, int dry_run, struct vg_purge_counts *c,
                                   struct vg_diag *d)
{
    struct audit_pass ap = {p, holds, nholds, now, 0, 0, 0, 1, 0, c, VG_OK};
    int64_t removed = 0;
    if (audit == NULL || p->days[VG_RET_AUDIT] == VG_RET_FOREVER)
        return VG_OK;
    struct vg_audit_query q = {NULL, NULL, NULL, 0, 0, 1};
    enum vg_err e = vg_audit_scan(audit, &q, audit_one, &ap, d);
    if (e == VG_OK && ap.e != VG_OK)
        e = vg_fail(d, ap.e, "", 0, 0, "cannot decide the audit trail's retention");
    if (e == VG_OK && !dry_run && ap.upto > 0)
        e = vg_audit_prune(audit, ap.upto, &removed, d);
    c->purged[VG_RET_AUDIT] = (size_t)removed;
    /* the cut signs an unsigned head first, then always keeps the last record */
    c->audit_cut = dry_run ? ap.run - (ap.run && ap.upto == ap.last && ap.last_is_sign)
                           : (size_t)removed;
    return e;
}

enum vg_err vg_purge_run(struct vg_store *s, struct vg_audit *audit,
                         int64_t now, int dry_run, struct vg_purge_counts *c,
                         struct vg_diag *d)
{
    struct vg_ret_policy p;
    struct vg_ret_hold *holds = NULL;
    size_t nholds = 0;
    struct area_ids areas = {NULL, 0};
    struct pass ps;
    char layer[128];
    int in_tx = 0;
    memset(c, 0, sizeof *c);
    memset(&ps, 0, sizeof ps);
    if (!dry_run && audit == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "a purge needs the audit trail");
    enum vg_err e = vg_purge_policy(s, &p, d);
    if (e == VG_OK)
        e = vg_purge_holds(s, &holds, &nholds, d);
    if (e == VG_OK && vg_store_meta_get(s, "default_layer", layer, sizeof layer) == VG_OK &&
        layer[0] && s->ops->areas_get(s, layer, area_one, &areas, NULL) != VG_OK) {
        area_ids_free(&areas); /* unknown layer: every area unknown */
        memset(&areas, 0, sizeof areas);
    }
    /* the trail first: its cut is documented by its own record even if the
     * store's part fails below */
    if (e == VG_OK)
        e = audit_retention(audit, &p, holds, nholds, now, dry_run, c, d);
    if (e == VG_OK && !dry_run && (e = vg_store_begin(s, d)) == VG_OK)
        in_tx = 1;
    ps.p = &p, ps.holds = holds, ps.nholds = nholds, ps.areas = &areas;
    ps.now = now, ps.c = c;
    for (int t = 0; t < VG_RET_AUDIT && e == VG_OK; t++) {
        if (p.days[t] == VG_RET_FOREVER)
            continue;
        ps.type = t, ps.n = 0;
        /* records with time < before may have expired (now >= t + days) */
        int64_t before = now - (int64_t)p.days[t] * 86400 + 1;
        e = s->ops->retention_scan(s, t, before, decide_one, &ps, d);
        if (e == VG_OK && !dry_run && ps.n)
            e = s->ops->retention_delete(s, t, ps.ids, ps.n, d);
        if (e == VG_OK && !dry_run)
            c->purged[t] = ps.n;
    }
    if (e == VG_OK && !dry_run)
        e = purge_record(audit, &p, now, c, &c->audit_seq, d);
    if (in_tx) {
        if (e == VG_OK)
            e = vg_store_commit(s, d);
        else
            vg_store_rollback(s);
    }
    vg_free(ps.ids);
    vg_free(holds);
    area_ids_free(&areas);
    return e;
}
