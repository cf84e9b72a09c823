/*
 * audit_bench.c — the audit trail's cost at a town's scale: appends N
 * records (argv[2], default 1,000,000: years of a busy server) to a fresh
 * trail beside the store path argv[1] (SQLite-style file back end; no fsync
 * per record, a signature every 100), then times `vg_audit_verify` of the
 * whole trail and one retention cut of its older half (`vg_audit_prune`:
 * verify + checkpoint + copy of the kept half + rename).  bench/audit.sh
 * runs it and compares with sha256sum and cp of the same file;
 * results in bench/README-audit.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what, const struct vg_diag *d)
{
    fprintf(stderr, "audit_bench: %s: %s: %s\n", what, d->file, d->msg);
    return 1;
}

int main(int argc, char **argv)
{
    struct vg_diag d;
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    struct vg_audit_report r;
    struct stat st;
    char trail[4200];
    vg_diag_clear(&d);
    if (argc < 2) {
        fprintf(stderr, "usage: audit_bench STORE_PATH [N]\n");
        return 64;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    snprintf(trail, sizeof trail, "%s.audit", argv[1]);
    o.sync = VG_AUDIT_SYNC_NONE;
    o.sign_interval = -1;
    if (vg_audit_open(argv[1], &o, &a, &d) != VG_OK)
        return fail("open", &d);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        char obj[48];
        snprintf(obj, sizeof obj, "GET /api/v1/briefing?area=%ld", i % 77);
        struct vg_audit_rec rec = {0, 1700000000 + i * 60, "agent.dupont", "officer", "read",
                                   obj, "briefing de nuit", "{\"status\":200,\"ip\":\"10.0.0.7\"}"};
        if (vg_audit_append(a, &rec, NULL, &d) != VG_OK)
            return fail("append", &d);
    }
    double t_app = now_s() - t0;
    if (vg_audit_close(a, &d) != VG_OK)
        return fail("close", &d);
    stat(trail, &st);
    printf("records      %ld (+ signatures), %.1f MB\n", n, (double)st.st_size / 1e6);
    printf("append       %.2f s  (%.0f records/s, no fsync)\n", t_app, (double)n / t_app);
    t0 = now_s();
    if (vg_audit_verify(argv[1], 0, &r, &d) != VG_OK)
        return fail("verify", &d);
    double t_ver = now_s() - t0;
    printf("verify       %.2f s  (%lld records, %lld signatures)\n", t_ver, (long long)r.records,
           (long long)r.signatures);
    if (vg_audit_open(argv[1], &o, &a, &d) != VG_OK)
        return fail("open", &d);
    int64_t removed = 0;
    t0 = now_s();
    if (vg_audit_prune(a, r.records / 2, &removed, &d) != VG_OK)
        return fail("prune", &d);
    double t_cut = now_s() - t0;
    if (vg_audit_close(a, &d) != VG_OK)
        return fail("close", &d);
    printf("cut half     %.2f s  (%lld records removed; verify + checkpoint + copy + rename)\n",
           t_cut, (long long)removed);
    t0 = now_s();
    if (vg_audit_verify(argv[1], 0, &r, &d) != VG_OK)
        return fail("verify after the cut", &d);
    printf("verify after %.2f s  (%lld records from the checkpoint at %lld)\n", now_s() - t0,
           (long long)r.records, (long long)r.base_seq);
    return 0;
}
