/*
 * cmd_audit.c — `vigie audit verify|show|log`: check the audit trail of a
 * store, list its records, append one (for scripts and tests).
 * Exit codes come from the error table: an altered trail is VG_INTEGRITY
 * (exit 65), with the first broken record named on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit/auditlog.h"
#include "base/buf.h"
#include "base/tz.h"
#include "cli/acct.h"
#include "cli/commands.h"
#include "store/store.h"

/* The store's zone for the dates an auditor types (UTC when the trail has
 * no store beside it, or the store has no zone). */
static const struct vg_tz *show_tz(const char *db)
{
    struct vg_store *st = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    const struct vg_tz *tz = vg_store_open(db, 0, &st, &d) == VG_OK ? vg_store_zone(st, &d) : NULL;
    vg_store_close(st);
    return tz;
}

/* An anchor file's first line (vigie audit anchor's output). */
static enum vg_err read_anchor(const char *path, char *out, size_t cap, struct vg_diag *d)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot open the anchor: %s", strerror(errno));
    int ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    return ok ? VG_OK : vg_fail(d, VG_PARSE, path, 1, 0, "the anchor file is empty");
}

enum vg_err vg_cmd_audit_verify(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"allow-unsigned-tail", NULL};
    static const char *const known[] = {"db", "allow-unsigned-tail", "anchor", NULL};
    struct vg_args a;
    struct vg_audit_report r;
    char anchor[512];
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e == VG_OK && (e = vg_args_check(&a, known, d)) == VG_OK && db == NULL)
        e = VG_USAGE;
    const char *apath = e ? NULL : vg_args_get(&a, "anchor", NULL);
    if (apath)
        e = read_anchor(apath, anchor, sizeof anchor, d);
    if (e != VG_OK)
        return e;
    e = vg_audit_verify_anchored(db, vg_args_has(&a, "allow-unsigned-tail"),
                                 apath ? anchor : NULL, &r, d);
    if (e == VG_OK && apath)
        printf("%s: the trail still holds the anchored record\n", apath);
    if (e == VG_OK)
        printf("%s.audit: intact — %lld records, %lld signatures, "
               "signed through record %lld\n",
               db, (long long)r.records, (long long)r.signatures,
               (long long)r.signed_seq);
    if (e == VG_OK && r.base_seq > 0) {
        char ts[24];
        printf("  records 1 to %lld were removed under retention; signed checkpoint "
               "of %s\n", (long long)r.base_seq, vg_utc_iso(r.base_time, ts));
    }
    else if (e == VG_INTEGRITY)
        printf("%s.audit: BROKEN at record %lld (line %zu, byte %llu): %s — %s\n"
               "  %lld records before it were intact\n",
               db, (long long)r.seq, r.line, (unsigned long long)r.offset,
               vg_audit_fault_name(r.fault), r.msg, (long long)r.records);
    return e;
}

struct show_ctx {
    int json;
    long n;
    struct vg_buf b;
};

static int show_one(const struct vg_audit_rec *r, void *vctx)
{
    struct show_ctx *s = vctx;
    char ts[24];
    vg_utc_iso(r->time, ts);
    if (!s->json) {
        printf("%6lld  %s  %-12s %-10s %-9s %-24s %-20s %s\n", (long long)r->seq,
               ts, r->user, r->role, r->action, r->object,
               r->purpose[0] ? r->purpose : "-", r->details);
        s->n++;
        return 0;
    }
    struct vg_buf *b = &s->b;
    vg_buf_reset(b);
    vg_buf_printf(b, "%s{\"seq\":%lld,\"time\":\"%s\",\"user\":",
                  s->n ? ",\n " : "[", (long long)r->seq, ts);
    vg_buf_json_str(b, r->user, strlen(r->user));
    vg_buf_adds(b, ",\"role\":");
    vg_buf_json_str(b, r->role, strlen(r->role));
    vg_buf_adds(b, ",\"action\":");
    vg_buf_json_str(b, r->action, strlen(r->action));
    vg_buf_adds(b, ",\"object\":");
    vg_buf_json_str(b, r->object, strlen(r->object));
    vg_buf_adds(b, ",\"purpose\":");
    vg_buf_json_str(b, r->purpose, strlen(r->purpose));
    vg_buf_printf(b, ",\"details\":%s}", r->details);
    fwrite(s->b.p, 1, s->b.len, stdout);
    s->n++;
    return 0;
}

enum vg_err vg_cmd_audit_show(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"signatures", NULL};
    static const char *const known[] = {"db", "user", "from", "to", "what",
                                        "object", "format", "signatures", NULL};
    struct vg_args a;
    struct vg_audit_query q = {0};
    struct vg_audit *log = NULL;
    struct vg_audit_opts o = {0};
    struct show_ctx s = {0};
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *fmt = e ? NULL : vg_args_get(&a, "format", "table");
    const char *from = e ? NULL : vg_args_get(&a, "from", NULL);
    const char *to = e ? NULL : vg_args_get(&a, "to", NULL);
    if (e == VG_OK && (e = vg_args_check(&a, known, d)) == VG_OK && db == NULL)
        e = VG_USAGE;
    if (e == VG_OK && strcmp(fmt, "table") != 0 && strcmp(fmt, "json") != 0)
        e = vg_fail(d, VG_USAGE, "", 0, 0,
                    "--format \"%s\": expected table or json", fmt);
    const struct vg_tz *tz = e == VG_OK && (from || to) ? show_tz(db) : NULL;
    if (e == VG_OK && from)
        e = vg_acct_when("from", from, 0, tz, &q.from, d);
    if (e == VG_OK && to)
        e = vg_acct_when("to", to, 1, tz, &q.to, d);
    if (e != VG_OK)
        return e;
    q.user = vg_args_get(&a, "user", NULL);
    q.action = vg_args_get(&a, "what", NULL);
    q.object = vg_args_get(&a, "object", NULL);
    q.include_sign = vg_args_has(&a, "signatures");
    s.json = strcmp(fmt, "json") == 0;
    vg_buf_init(&s.b, 0);
    o.read_only = 1;
    e = vg_audit_open_for_store(db, &o, &log, d);
    if (e == VG_OK && !s.json)
        printf("%6s  %-20s  %-12s %-10s %-9s %-24s %-20s %s\n", "seq",
               "time (UTC)", "user", "role", "action", "object", "purpose",
               "details");
    if (e == VG_OK)
        e = vg_audit_scan(log, &q, show_one, &s, d);
    if (s.json)
        printf(s.n ? "]\n" : "[]\n");
    else if (e == VG_OK)
        printf("(%ld records)\n", s.n);
    vg_audit_close(log, NULL);
    vg_buf_free(&s.b);
    return e;
}

enum vg_err vg_cmd_audit_log(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "user", "role", "action",
                                        "object", "purpose", "details", NULL};
    struct vg_args a;
    struct vg_audit *log = NULL;
    int64_t seq = 0;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *user = db ? vg_args_need(&a, "user", d) : NULL;
    const char *action = user ? vg_args_need(&a, "action", d) : NULL;
    const char *object = action ? vg_args_need(&a, "object", d) : NULL;
    if (e != VG_OK || object == NULL)
        return e ? e : VG_USAGE;
    struct vg_audit_rec r = {0, 0, user, vg_args_get(&a, "role", "admin"),
                             action, object, vg_args_get(&a, "purpose", NULL),
                             vg_args_get(&a, "details", NULL)};
    e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK)
        e = vg_audit_append(log, &r, &seq, d);
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    if (e == VG_OK)
        printf("%lld\n", (long long)seq);
    return e;
}

/* Print (or write to --out) the signed head, to keep outside the store. */
enum vg_err vg_cmd_audit_anchor(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "out", NULL};
    struct vg_args a;
    struct vg_audit *log = NULL;
    char text[512];
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e != VG_OK || db == NULL)
        return e ? e : VG_USAGE;
    const char *out = vg_args_get(&a, "out", NULL);
    e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK)
        e = vg_audit_anchor(log, text, sizeof text, d);
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    if (e == VG_OK && out) {
        FILE *f = fopen(out, "w");
        if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
            e = vg_fail(d, VG_IO, out, 0, 0, "cannot write the anchor: %s", strerror(errno));
    } else if (e == VG_OK) {
        fputs(text, stdout);
    }
    return e;
}
