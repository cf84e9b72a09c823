/*
 * cmd_retain.c — `vigie purge`, `vigie retention set|show`,
 * `vigie hold add|list|lift`: retention policy and legal holds of a store.
 * Every change (policy set, hold placed, hold lifted, purge) is appended to
 * the audit trail before the store transaction commits, so an unaudited
 * change cannot stay.  `--now` injects the clock (tests, "what if" runs).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/purge.h"
#include "base/tz.h"
#include "base/buf.h"
#include "cli/acct.h"
#include "cli/commands.h"

/* Open store (must exist) and, unless read_only, the audit trail. */
static enum vg_err open_both(const char *db, int need_audit, struct vg_store **s,
                             struct vg_audit **a, struct vg_diag *d)
{
    *s = NULL, *a = NULL;
    enum vg_err e = vg_store_open(db, 0, s, d);
    if (e == VG_OK && need_audit)
        e = vg_audit_open_for_store(db, NULL, a, d);
    return e;
}

static enum vg_err close_both(struct vg_store *s, struct vg_audit *a, enum vg_err e,
                              struct vg_diag *d)
{
    enum vg_err ce = vg_audit_close(a, e == VG_OK ? d : NULL);
    vg_store_close(s);
    return e ? e : ce;
}

enum vg_err vg_cmd_purge(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"dry-run", NULL};
    static const char *const known[] = {"db", "now", "dry-run", NULL};
    struct vg_args a;
    struct vg_store *s = NULL;
    struct vg_audit *log = NULL;
    struct vg_purge_counts c;
    int64_t now = 0;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e || db == NULL)
        return e ? e : VG_USAGE;
    int dry = vg_args_has(&a, "dry-run");
    if ((e = vg_acct_when_opt(&a, "now", 0, (int64_t)time(NULL), NULL, &now, d)))
        return e;
    e = open_both(db, 1, &s, &log, d);
    if (e == VG_OK)
        e = vg_purge_run(s, log, now, dry, &c, d);
    if (e == VG_OK) {
        char ts[32];
        printf("%s at %s\n%-10s %9s %9s %9s\n", dry ? "purge (dry run)" : "purge",
               vg_acct_iso(now, ts), "type", "expired", "held", dry ? "to purge" : "purged");
        for (int t = 0; t < VG_RET_NTYPES; t++)
            printf("%-10s %9zu %9zu %9zu\n", vg_ret_type_name(t), c.expired[t], c.held[t],
                   t == VG_RET_AUDIT ? c.audit_cut : dry ? c.expired[t] - c.held[t] : c.purged[t]);
        if (c.audit_seq)
            fprintf(stderr, "audit record %lld\n", (long long)c.audit_seq);
    }
    return close_both(s, log, e, d);
}

enum vg_err vg_cmd_retention(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "user", NULL};
    struct vg_args a;
    struct vg_store *s = NULL;
    struct vg_audit *log = NULL;
    struct vg_ret_policy p;
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e || db == NULL)
        return e ? e : VG_USAGE;
    const char *verb = a.npos ? a.pos[0] : "";
    int set = strcmp(verb, "set") == 0;
    if (!set && strcmp(verb, "show") != 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "expected `retention show` or `retention set POLICY`");
    if (set && a.npos != 2)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "`retention set` takes one policy, e.g. logbook=365,partner=180");
    e = open_both(db, set, &s, &log, d);
    if (e == VG_OK)
        e = vg_purge_policy(s, &p, d);
    if (e == VG_OK && set)
        e = vg_ret_policy_parse(a.pos[1], &p, d);
    if (e == VG_OK)
        e = vg_purge_policy_text(&p, &b);
    if (e == VG_OK && set && (e = vg_store_begin(s, d)) == VG_OK) {
        struct vg_buf det;
        vg_buf_init(&det, 4096);
        e = vg_store_meta_set(s, VG_PURGE_POLICY_KEY, b.p, d);
        if (e == VG_OK && (e = vg_buf_adds(&det, "{\"policy\":")) == VG_OK &&
            (e = vg_buf_json_str(&det, b.p, b.len)) == VG_OK && (e = vg_buf_addc(&det, '}')) == VG_OK) {
            struct vg_audit_rec r = {0, 0, vg_acct_user(&a), "admin", "retention-set",
                                     "retention_policy", NULL, det.p};
            e = vg_audit_append(log, &r, NULL, d);
        }
        vg_buf_free(&det);
        if (e == VG_OK)
            e = vg_store_commit(s, d);
        else
            vg_store_rollback(s);
    }
    if (e == VG_OK)
        for (int t = 0; t < VG_RET_NTYPES; t++)
            p.days[t] == VG_RET_FOREVER ? printf("%-10s forever\n", vg_ret_type_name(t))
                                        : printf("%-10s %d days\n", vg_ret_type_name(t), (int)p.days[t]);
    vg_buf_free(&b);
    return close_both(s, log, e, d);
}

static enum vg_err hold_add(struct vg_args *a, struct vg_store *s, struct vg_audit *log,
                            struct vg_diag *d)
{
    struct vg_hold_row h;
    struct vg_buf det;
    char t1[32], t2[32], t3[32];
    memset(&h, 0, sizeof h);
    h.procedure = vg_args_need(a, "procedure", d);
    h.type = h.procedure ? vg_args_need(a, "type", d) : NULL;
    h.reason = h.type ? vg_args_need(a, "reason", d) : NULL;
    const char *from = h.reason ? vg_args_need(a, "from", d) : NULL;
    if (from == NULL)
        return VG_USAGE;
    if (strlen(h.procedure) == 0 || strlen(h.procedure) > 63)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--procedure \"%s\": 1 to 63 bytes", h.procedure);
    if (vg_ret_type_of(h.type, strlen(h.type)) == -2)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--type \"%s\": expected logbook, partner, incident, forecast, audit or any", h.type);
    h.area = vg_args_get(a, "area", "");
    if (strlen(h.area) > 63)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--area: at most 63 bytes");
    h.placed_by = vg_acct_user(a);
    /* the dates a procedure names are the town's calendar days */
    const struct vg_tz *tz = vg_store_zone(s, d);
    enum vg_err e = tz ? vg_acct_when("from", from, 0, tz, &h.from, d) : VG_PARSE;
    if (e == VG_OK)
        e = vg_acct_when_opt(a, "to", 1, 0, tz, &h.to, d);
    if (e == VG_OK)
        e = vg_acct_when_opt(a, "now", 0, (int64_t)time(NULL), NULL, &h.placed, d);
    if (e == VG_OK && h.to && h.to <= h.from)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--to is not after --from");
    if (e)
        return e;
    vg_buf_init(&det, 4096);
    e = vg_store_begin(s, d);
    if (e)
        goto out;
    e = s->ops->hold_add(s, &h, &h.id, d);
    if (e == VG_OK)
        e = vg_buf_printf(&det, "{\"hold\":%lld,\"type\":\"%s\",\"from\":\"%s\",\"to\":\"%s\","
                          "\"placed\":\"%s\",\"area\":", (long long)h.id, h.type,
                          vg_acct_iso(h.from, t1), h.to ? vg_acct_iso(h.to, t2) : "",
                          vg_acct_iso(h.placed, t3));
    if (e == VG_OK && (e = vg_buf_json_str(&det, h.area, strlen(h.area))) == VG_OK &&
        (e = vg_buf_adds(&det, ",\"reason\":")) == VG_OK &&
        (e = vg_buf_json_str(&det, h.reason, strlen(h.reason))) == VG_OK &&
        (e = vg_buf_addc(&det, '}')) == VG_OK) {
        struct vg_audit_rec r = {0, 0, h.placed_by, "supervisor", "hold-add", h.procedure,
                                 NULL, det.p};
        e = vg_audit_append(log, &r, NULL, d);
    }
    if (e == VG_OK)
        e = vg_store_commit(s, d);
    else
        vg_store_rollback(s);
    if (e == VG_OK)
        printf("hold %lld placed: %s\n", (long long)h.id, h.procedure);
out:
    vg_buf_free(&det);
    return e;
}

static enum vg_err hold_lift(struct vg_args *a, struct vg_store *s, struct vg_audit *log,
                             struct vg_diag *d)
{
    struct vg_buf det;
    size_t n = 0;
    int64_t now = 0;
    const char *proc = a->npos == 2 ? a->pos[1] : vg_args_get(a, "procedure", NULL);
    const char *reason = proc ? vg_args_need(a, "reason", d) : NULL;
    if (proc == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "`hold lift PROCEDURE --reason R`");
    if (reason == NULL)
        return VG_USAGE;
    enum vg_err e = vg_acct_when_opt(a, "now", 0, (int64_t)time(NULL), NULL, &now, d);
    if (e)
        return e;
    vg_buf_init(&det, 4096);
    if ((e = vg_store_begin(s, d)))
        goto out;
    e = s->ops->hold_lift(s, proc, now, vg_acct_user(a), reason, &n, d);
    char t1[32];
    if (e == VG_OK && (e = vg_buf_printf(&det, "{\"holds\":%zu,\"lifted\":\"%s\",\"reason\":", n,
                                         vg_acct_iso(now, t1))) == VG_OK &&
        (e = vg_buf_json_str(&det, reason, strlen(reason))) == VG_OK &&
        (e = vg_buf_addc(&det, '}')) == VG_OK) {
        struct vg_audit_rec r = {0, 0, vg_acct_user(a), "supervisor", "hold-lift", proc, NULL,
                                 det.p};
        e = vg_audit_append(log, &r, NULL, d);
    }
    if (e == VG_OK)
        e = vg_store_commit(s, d);
    else
        vg_store_rollback(s);
    if (e == VG_OK)
        printf("%zu hold(s) lifted: %s\n", n, proc);
out:
    vg_buf_free(&det);
    return e;
}

/* Records dated from..to as the town's calendar days (arg: the zone). */
static enum vg_err hold_print(void *arg, const struct vg_hold_row *h)
{
    const struct vg_tz *tz = *(const struct vg_tz **)arg;
    char t1[32], t2[32], t3[32], t4[32];
    printf("%4lld  %-20s %-9s %.10s..%-10.10s %-12s placed %.10s by %-10s %s%.10s  reason: %s%s%s\n",
           (long long)h->id, h->procedure, h->type, vg_acct_day(tz, h->from, t1),
           h->to ? vg_acct_day(tz, h->to - 1, t2) : "open", h->area[0] ? h->area : "(all areas)",
           vg_acct_iso(h->placed, t3), h->placed_by, h->lifted ? "LIFTED " : "IN FORCE",
           h->lifted ? vg_acct_iso(h->lifted, t4) : "", h->reason,
           h->lifted ? "; lift: " : "", h->lifted ? h->lift_reason : "");
    return VG_OK;
}

enum vg_err vg_cmd_hold(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "procedure", "type", "from", "to", "area",
                                        "reason", "user", "now", NULL};
    struct vg_args a;
    struct vg_store *s = NULL;
    struct vg_audit *log = NULL;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e || db == NULL)
        return e ? e : VG_USAGE;
    const char *verb = a.npos ? a.pos[0] : "";
    int list = strcmp(verb, "list") == 0;
    if (!list && strcmp(verb, "add") && strcmp(verb, "lift"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "expected `hold add`, `hold list` or `hold lift`");
    e = open_both(db, !list, &s, &log, d);
    const struct vg_tz *tz = e == VG_OK && list ? vg_store_zone(s, d) : NULL;
    if (e == VG_OK && list)
        e = tz ? s->ops->holds_get(s, hold_print, &tz, d) : VG_PARSE;
    else if (e == VG_OK && verb[0] == 'a')
        e = hold_add(&a, s, log, d);
    else if (e == VG_OK)
        e = hold_lift(&a, s, log, d);
    return close_both(s, log, e, d);
}
