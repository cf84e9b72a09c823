/*
 * cmd_report.c — `vigie audit report`: the ethics committee's HTML report
 * (report/audit_report.c) for a period, written to --out and audited with
 * the file's SHA-256.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/auditlog.h"
#include "base/buf.h"
#include "cli/acct.h"
#include "cli/commands.h"
#include "report/audit_report.h"

enum vg_err vg_cmd_audit_report(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "from", "to", "out", "now", "fairness", "user", NULL};
    struct vg_args a;
    struct vg_store *s = NULL;
    struct vg_audit *log = NULL;
    struct vg_areport_opts o;
    struct vg_areport_stats st;
    struct vg_buf html, det;
    char hex[VG_AUDIT_HEX];
    memset(&o, 0, sizeof o);
    vg_buf_init(&html, 0), vg_buf_init(&det, 4096);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *fs = db ? vg_args_need(&a, "from", d) : NULL;
    const char *ts = fs ? vg_args_need(&a, "to", d) : NULL;
    const char *out = ts ? vg_args_need(&a, "out", d) : NULL;
    if (e || out == NULL)
        return e ? e : VG_USAGE;
    o.db = db;
    o.fairness_json = vg_args_get(&a, "fairness", NULL);
    /* the period and the activity per day are the town's calendar days;
     * --now (the injected clock) is UTC */
    e = vg_store_open(db, 0, &s, d);
    if (e == VG_OK && (o.tz = vg_store_zone(s, d)) == NULL)
        e = VG_PARSE;
    if (e == VG_OK && (e = vg_acct_when("from", fs, 0, o.tz, &o.from, d)) == VG_OK &&
        (e = vg_acct_when("to", ts, 1, o.tz, &o.to, d)) == VG_OK)
        e = vg_acct_when_opt(&a, "now", 0, (int64_t)time(NULL), NULL, &o.now, d);
    if (e == VG_OK)
        e = vg_areport_html(s, &o, &html, &st, d);
    if (e == VG_OK) {
        FILE *f = fopen(out, "wb");
        if (f == NULL || fwrite(html.p, 1, html.len, f) != html.len)
            e = vg_fail(d, VG_IO, out, 0, 0, "cannot write the report");
        if (f && fclose(f) != 0 && e == VG_OK)
            e = vg_fail(d, VG_IO, out, 0, 0, "cannot write the report");
    }
    if (e == VG_OK) {
        struct vg_audit_sha h;
        vg_audit_sha_init(&h);
        vg_audit_sha_update(&h, html.p, html.len);
        vg_audit_sha_final(&h, hex);
        e = vg_buf_printf(&det, "{\"from\":\"%s\",\"to\":\"%s\",\"sha256\":\"%s\",\"records\":%lld}",
                          fs, ts, hex, (long long)st.records);
    }
    if (e == VG_OK)
        e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK) {
        struct vg_audit_rec r = {0, 0, vg_acct_user(&a), "auditor", "report", "audit-report",
                                 NULL, det.p};
        e = vg_audit_append(log, &r, NULL, d);
    }
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    if (e == VG_OK)
        fprintf(stderr, "%s: %lld records, %lld forecasts, %lld exports, %lld purges; trail %s; "
                "sha256 %s\n", out, (long long)st.records, (long long)st.forecasts,
                (long long)st.exports, (long long)st.purges, st.intact ? "intact" : "BROKEN", hex);
    vg_store_close(s);
    vg_buf_free(&html), vg_buf_free(&det);
    return e;
}
