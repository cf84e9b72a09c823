/* Unit tests of vstore.c, vretain.c and vexport.c on a scratch database:
 * retention limit, viewing rights, purge with an injected clock and legal
 * holds (expected sets worked out by hand below), signed export and
 * tamper detection. */
#include "../../test.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "video/vexport.h"
#include "video/vretain.h"
#include "video/vstore.h"
#include "video/vutil.h"

#define DAY (86400LL * 1000)
#define T0 (1795860000LL * 1000) /* 2026-11-28T10:00:00Z */

static sqlite3 *scratch_db(const char *name, char *path, size_t cap)
{
    sqlite3 *db = NULL;
    snprintf(path, cap, "%s/%s.db", vg_test_tmpdir(), name);
    unlink(path);
    if (vg_vstore_open(path, &db, NULL) != VG_OK)
        return NULL;
    return db;
}

static int add_cam(sqlite3 *db, const char *name, int days, struct vg_vcam *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->url, sizeof c->url, "rtsp://127.0.0.1/%s", name);
    snprintf(c->transport, sizeof c->transport, "tcp");
    c->retention_days = days;
    return vg_vstore_cam_add(db, c, NULL) == VG_OK;
}

/* A fake segment file of `n` bytes and its row. */
static int add_seg(sqlite3 *db, const struct vg_vcam *c, int64_t start,
                   int64_t end, struct vg_vseg *s)
{
    char body[64];
    memset(s, 0, sizeof *s);
    s->cam_id = c->id;
    snprintf(s->path, sizeof s->path, "%s/%s-%lld.mp4", vg_test_tmpdir(),
             c->name, (long long)start);
    int n = snprintf(body, sizeof body, "segment %s %lld", c->name,
                     (long long)start);
    if (vg_vutil_write_atomic(s->path, body, (size_t)n, 0640, NULL) != VG_OK ||
        vg_vutil_sha256_file(s->path, s->sha256, &s->bytes, NULL) != VG_OK)
        return 0;
    s->start_ms = start;
    s->end_ms = end;
    s->frames = 50;
    return vg_vstore_seg_add(db, s, NULL) == VG_OK;
}

TEST(vstore_retention_limit_and_viewers)
{
    char path[512];
    struct vg_vcam c;
    struct vg_diag d;
    sqlite3 *db = scratch_db("limit", path, sizeof path);
    REQUIRE(db != NULL);
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "parc");
    snprintf(c.url, sizeof c.url, "rtsp://x/parc");
    snprintf(c.transport, sizeof c.transport, "tcp");
    c.retention_days = 32;
    CHECK(vg_vstore_cam_add(db, &c, &d) == VG_RANGE);
    CHECK(strstr(d.msg, "one month") != NULL);
    c.retention_days = 0;
    CHECK(vg_vstore_cam_add(db, &c, &d) == VG_RANGE);
    c.retention_days = 31;
    CHECK(vg_vstore_cam_add(db, &c, &d) == VG_OK);
    CHECK(vg_vstore_cam_add(db, &c, &d) == VG_EXISTS);
    CHECK(vg_vstore_cam_set_retention(db, c.id, 45, &d) == VG_RANGE);
    /* the CHECK constraint also refuses a direct write */
    CHECK(sqlite3_exec(db, "UPDATE video_camera SET retention_days=40",
                       NULL, NULL, NULL) != SQLITE_OK);
    CHECK(vg_vstore_viewer_add(db, c.id, "role", "supervisor", &d) == VG_OK);
    CHECK(vg_vstore_viewer_add(db, c.id, "user", "bob", &d) == VG_OK);
    CHECK(vg_vstore_viewer_add(db, c.id, "group", "x", &d) == VG_USAGE);
    CHECK(vg_vstore_may_view(db, "parc", "eve", "supervisor", &d) == VG_OK);
    CHECK(vg_vstore_may_view(db, "parc", "bob", "agent", &d) == VG_OK);
    CHECK(vg_vstore_may_view(db, "parc", "eve", "agent", &d) == VG_FORBIDDEN);
    CHECK(vg_vstore_may_view(db, "nope", "bob", "", &d) == VG_NOTFOUND);
    CHECK(vg_vstore_view_log(db, "bob", "parc", T0, T0 + 60000, &d) == VG_OK);
    int64_t n = 0;
    CHECK(vg_vstore_count(db, "view", "parc", &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 1);
    vg_vstore_close(db);
}

TEST(vstore_purge_injected_clock_and_holds)
{
    char path[512];
    struct vg_vcam a, b;
    struct vg_vseg s[4];
    size_t destroyed, held;
    sqlite3 *db = scratch_db("purge", path, sizeof path);
    REQUIRE(db != NULL);
    REQUIRE(add_cam(db, "a", 30, &a) && add_cam(db, "b", 7, &b));
    /* a: s0 ends at T0+1min, s1 at T0+2min; b: s2 same times as s0, s3
     * ten days later */
    REQUIRE(add_seg(db, &a, T0, T0 + 60000, &s[0]));
    REQUIRE(add_seg(db, &a, T0 + 60000, T0 + 120000, &s[1]));
    REQUIRE(add_seg(db, &b, T0, T0 + 60000, &s[2]));
    REQUIRE(add_seg(db, &b, T0 + 10 * DAY, T0 + 10 * DAY + 60000, &s[3]));
    /* now = T0 + 8 days: only s2 is past b's 7 days */
    CHECK(vg_vretain_purge(db, T0 + 8 * DAY, 0, &destroyed, &held, NULL) == VG_OK);
    CHECK_EQ_INT(destroyed, 1);
    CHECK_EQ_INT(held, 0);
    CHECK(access(s[2].path, F_OK) != 0);
    CHECK(access(s[0].path, F_OK) == 0);
    /* hold on camera a covering only the second minute */
    int64_t hid;
    const char *cams[] = {"a"};
    CHECK(vg_vstore_hold_add(db, "PV 2026/17", cams, 1, T0 + 90000,
                             T0 + 100000, T0 + 9 * DAY, &hid, NULL) == VG_OK);
    /* dry run at now = T0 + 30 days + 1.5 min: s0 (ends T0+1min) expired,
     * s1 (ends T0+2min) not yet, s3 (ends T0+10d+1min, b keeps 7 days)
     * expired since T0+17d+1min; nothing held */
    CHECK(vg_vretain_purge(db, T0 + 30 * DAY + 90000, 1, &destroyed, &held,
                           NULL) == VG_OK);
    CHECK_EQ_INT(destroyed, 2);
    CHECK_EQ_INT(held, 0);
    /* now = T0 + 40 days: s0 destroyed, s1 held, s3 (b, 7 days) destroyed */
    CHECK(vg_vretain_purge(db, T0 + 40 * DAY, 0, &destroyed, &held, NULL) == VG_OK);
    CHECK_EQ_INT(destroyed, 2);
    CHECK_EQ_INT(held, 1);
    CHECK(access(s[1].path, F_OK) == 0);
    CHECK(access(s[0].path, F_OK) != 0 && access(s[3].path, F_OK) != 0);
    /* released: s1 goes at the next purge */
    CHECK(vg_vstore_hold_release(db, hid, T0 + 41 * DAY, NULL) == VG_OK);
    CHECK(vg_vstore_hold_release(db, hid, T0 + 41 * DAY, NULL) == VG_NOTFOUND);
    CHECK(vg_vretain_purge(db, T0 + 41 * DAY, 0, &destroyed, &held, NULL) == VG_OK);
    CHECK_EQ_INT(destroyed, 1);
    CHECK_EQ_INT(held, 0);
    /* the rows stay, marked */
    struct vg_vseg *v = NULL;
    size_t n = 0;
    CHECK(vg_vstore_seg_list(db, NULL, 0, INT64_MAX, 1, &v, &n, NULL) == VG_OK);
    CHECK_EQ_INT(n, 4);
    for (size_t i = 0; i < n; i++)
        CHECK(v[i].deleted_ms != 0);
    vg_free(v);
    vg_vstore_close(db);
}

TEST(vstore_export_signed_and_tamper)
{
    char path[512], out[600], f[900];
    struct vg_vcam a, b;
    struct vg_vseg s[3];
    struct vg_vreq r;
    struct vg_buf rep;
    size_t n = 0;
    sqlite3 *db = scratch_db("export", path, sizeof path);
    REQUIRE(db != NULL);
    REQUIRE(add_cam(db, "ea", 30, &a) && add_cam(db, "eb", 30, &b));
    REQUIRE(add_seg(db, &a, T0, T0 + 60000, &s[0]));
    REQUIRE(add_seg(db, &a, T0 + 60000, T0 + 120000, &s[1]));
    REQUIRE(add_seg(db, &b, T0, T0 + 60000, &s[2]));
    memset(&r, 0, sizeof r);
    snprintf(r.officer, sizeof r.officer, "OPJ Dupont");
    snprintf(r.service, sizeof r.service, "SRPJ");
    snprintf(r.procedure, sizeof r.procedure, "2026/123");
    snprintf(r.reason, sizeof r.reason, "vol\nsecond line");
    snprintf(r.supervisor, sizeof r.supervisor, "alice");
    r.from_ms = T0 + 30000; /* overlaps s0 and s1 of camera ea only */
    r.to_ms = T0 + 90000;
    r.ncams = 1;
    snprintf(r.cams[0], sizeof r.cams[0], "ea");
    r.created_ms = T0 + DAY;
    REQUIRE(vg_vstore_req_add(db, &r, NULL) == VG_OK);
    snprintf(out, sizeof out, "%s/export1", vg_test_tmpdir());
    CHECK(vg_vexport_run(db, path, r.id, out, T0 + DAY, &n, NULL) == VG_OK);
    CHECK_EQ_INT(n, 2);
    struct stat sb;
    snprintf(f, sizeof f, "%s.ed25519.key", path);
    REQUIRE(stat(f, &sb) == 0);
    CHECK_EQ_INT(sb.st_mode & 0777, 0600);
    vg_buf_init(&rep, 0);
    CHECK(vg_vexport_verify(out, NULL, &rep, NULL) == VG_OK);
    /* exporting again into the same place is refused */
    CHECK(vg_vexport_run(db, path, r.id, out, T0 + DAY, &n, NULL) == VG_EXISTS);
    /* flip one byte of the second file */
    const char *base = strrchr(s[1].path, '/') + 1;
    snprintf(f, sizeof f, "%s/ea/%s", out, base);
    FILE *fp = fopen(f, "r+b");
    REQUIRE(fp != NULL);
    int c = fgetc(fp);
    fseek(fp, 0, SEEK_SET);
    fputc(c ^ 1, fp);
    fclose(fp);
    vg_buf_reset(&rep);
    CHECK(vg_vexport_verify(out, NULL, &rep, NULL) == VG_INTEGRITY);
    CHECK(strstr(rep.p, "BAD ea/") != NULL && strstr(rep.p, base) != NULL);
    fp = fopen(f, "r+b");
    REQUIRE(fp != NULL);
    fputc(c, fp);
    fclose(fp);
    /* a changed manifest breaks the signature */
    snprintf(f, sizeof f, "%s/manifest.txt", out);
    struct vg_buf m;
    vg_buf_init(&m, 0);
    REQUIRE(vg_buf_read_file(&m, f, NULL) == VG_OK);
    char *p = strstr(m.p, "SRPJ");
    REQUIRE(p != NULL);
    p[0] = 'X';
    REQUIRE(vg_vutil_write_atomic(f, m.p, m.len, 0644, NULL) == VG_OK);
    vg_buf_reset(&rep);
    CHECK(vg_vexport_verify(out, NULL, &rep, NULL) == VG_INTEGRITY);
    CHECK(strstr(rep.p, "BAD manifest.txt") != NULL);
    vg_buf_free(&m);
    vg_buf_free(&rep);
    vg_vstore_close(db);
}

TEST(vstore_alloc_failures_clean_up)
{
    /* every allocation failing in turn: listing and verifying return
     * VG_NOMEM (or succeed once enough allocations pass), never crash or
     * leak (the sanitizer build checks the leaks) */
    char path[512], out[600];
    struct vg_vcam a;
    struct vg_vseg s[2];
    struct vg_vreq r;
    size_t n = 0;
    sqlite3 *db = scratch_db("allocfail", path, sizeof path);
    REQUIRE(db != NULL);
    REQUIRE(add_cam(db, "fa", 30, &a));
    REQUIRE(add_seg(db, &a, T0, T0 + 60000, &s[0]));
    REQUIRE(add_seg(db, &a, T0 + 60000, T0 + 120000, &s[1]));
    memset(&r, 0, sizeof r);
    snprintf(r.officer, sizeof r.officer, "o");
    snprintf(r.service, sizeof r.service, "s");
    snprintf(r.procedure, sizeof r.procedure, "p");
    snprintf(r.reason, sizeof r.reason, "r");
    snprintf(r.supervisor, sizeof r.supervisor, "u");
    r.from_ms = T0;
    r.to_ms = T0 + 120000;
    r.ncams = 1;
    snprintf(r.cams[0], sizeof r.cams[0], "fa");
    REQUIRE(vg_vstore_req_add(db, &r, NULL) == VG_OK);
    snprintf(out, sizeof out, "%s/export-allocfail", vg_test_tmpdir());
    REQUIRE(vg_vexport_run(db, path, r.id, out, T0, &n, NULL) == VG_OK);
    int ok_seen = 0, bad = 0;
    for (size_t k = 0; k < 40 && !ok_seen; k++) {
        struct vg_buf rep;
        struct vg_vseg *v = NULL;
        vg_buf_init(&rep, 0);
        vg_alloc_fail_after(k);
        enum vg_err e1 = vg_vexport_verify(out, NULL, &rep, NULL);
        enum vg_err e2 = vg_vstore_seg_list(db, "fa", 0, INT64_MAX, 0, &v, &n,
                                            NULL);
        vg_alloc_fail_after((size_t)-1);
        bad += (e1 != VG_OK && e1 != VG_NOMEM && e1 != VG_LIMIT) ||
               (e2 != VG_OK && e2 != VG_NOMEM);
        ok_seen = e1 == VG_OK && e2 == VG_OK;
        vg_free(v);
        vg_buf_free(&rep);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(ok_seen);
    vg_vstore_close(db);
}

TEST(vstore_refuses_postgres_url)
{
    /* the video register is an SQLite file: a PostgreSQL URL is refused
     * as a usage error (SQLite would take it for a path: VG_DB, or a file
     * under a directory named "postgres:") and the URL is not echoed */
    static const char *const urls[] = {"postgres://vigie:pw1@127.0.0.1:1/vigie",
                                       "postgresql:///vigie?host=/nowhere&password=pw1"};
    for (size_t i = 0; i < 2; i++) {
        sqlite3 *db = NULL;
        struct vg_diag d;
        vg_diag_clear(&d);
        CHECK(vg_vstore_open(urls[i], &db, &d) == VG_USAGE);
        CHECK(db == NULL);
        CHECK(strstr(d.msg, "SQLite file") != NULL);
        CHECK(strstr(d.msg, "pw1") == NULL);
    }
}
