/*
 * test_auditprune.c — the audit trail's own retention: cutting its oldest
 * records under a signed checkpoint.  After a cut the trail still verifies
 * and a handle opened before the cut (another process, the server) goes on
 * appending to the new trail; removing, replacing or editing the checkpoint
 * or the trail's first records is detected; an interrupted cut verifies and
 * is completed by the next one; a trail that does not verify is never cut;
 * vg_purge_run cuts only the oldest run of expired, unheld records.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../test.h"
#include "audit/auditlog.h"
#include "audit/purge.h"

#define DAY 86400
#define T0 1700000000

static struct vg_audit *open_trail(const char *db)
{
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    struct vg_diag d;
    o.sign_every = 7;
    o.sign_interval = -1;
    o.sync = VG_AUDIT_SYNC_NONE;
    return vg_audit_open(db, &o, &a, &d) == VG_OK ? a : NULL;
}

/* Append n records dated one per day from day `day0` (since T0). */
static int add_days(struct vg_audit *a, int day0, int n, const char *object)
{
    struct vg_diag d;
    for (int i = 0; i < n; i++) {
        struct vg_audit_rec r = {0, T0 + (int64_t)(day0 + i) * DAY, "alice", "admin",
                                 "read", object, NULL, "{\"rows\":3}"};
        if (vg_audit_append(a, &r, NULL, &d) != VG_OK) {
            fprintf(stderr, "append: %s\n", d.msg);
            return -1;
        }
    }
    return 0;
}

static void paths(const char *name, char *db, char *trail, char *base, char *head)
{
    snprintf(db, 300, "%s/%s.db", vg_test_tmpdir(), name);
    snprintf(trail, 320, "%s.audit", db);
    snprintf(base, 320, "%s.audit.base", db);
    snprintf(head, 320, "%s.audit.head", db);
}

/* Open handles may leave an unsigned tail: allowed here, the closing
 * signature covers it (checked after vg_audit_close). */
static enum vg_audit_fault verify(const char *db, struct vg_audit_report *r)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    vg_audit_verify(db, 1, r, &d);
    return r->fault;
}

static long long first_seq(const char *trail)
{
    size_t n;
    char *p = vg_test_slurp(trail, &n);
    long long s = p && n ? atoll(p + 7) : -1; /* {"seq":N */
    free(p);
    return s;
}

struct find { const char *object; int n; };
static int find_cb(const struct vg_audit_rec *r, void *ctx)
{
    struct find *f = ctx;
    f->n += strcmp(r->object, f->object) == 0;
    return 0;
}

TEST(auditprune_cut_keeps_verify_and_other_handles)
{
    char db[300], trail[320], base[320], head[320];
    struct vg_audit_report r;
    struct vg_diag d;
    int64_t removed = -1;
    paths("prune1", db, trail, base, head);
    struct vg_audit *a = open_trail(db), *b = open_trail(db);
    REQUIRE(a != NULL && b != NULL);
    REQUIRE(add_days(a, 0, 30, "early") == 0);
    REQUIRE(add_days(b, 30, 1, "from-b") == 0);
    CHECK(vg_audit_prune(a, 20, &removed, &d) == VG_OK);
    CHECK_EQ_INT(removed, 20);
    CHECK_EQ_INT(first_seq(trail), 21);
    if (verify(db, &r) != VG_AUDIT_FAULT_NONE)
        vg_test_fail(__FILE__, __LINE__, "after the cut: record %lld: %s", (long long)r.seq, r.msg);
    CHECK_EQ_INT(r.base_seq, 20);
    CHECK(r.base_time > 0);
    /* b still holds the old file: its next record must land in the new one */
    REQUIRE(add_days(b, 31, 3, "after-cut") == 0);
    REQUIRE(add_days(a, 34, 2, "after-cut") == 0);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    struct find f = {"after-cut", 0};
    struct vg_audit_query q = {0};
    CHECK(vg_audit_scan(b, &q, find_cb, &f, &d) == VG_OK);
    CHECK_EQ_INT(f.n, 5);
    struct vg_audit_entry en;
    CHECK(vg_audit_get(a, 5, &en, &d) == VG_NOTFOUND);
    CHECK(strstr(d.msg, "removed under the audit trail's retention period") != NULL);
    CHECK(vg_audit_get(a, 9999, &en, &d) == VG_NOTFOUND);
    CHECK(strstr(d.msg, "no audit record number 9999") != NULL);
    CHECK(vg_audit_get(a, 25, &en, &d) == VG_OK);
    vg_audit_entry_free(&en);
    /* a cut below the checkpoint removes nothing; the last record stays */
    CHECK(vg_audit_prune(b, 5, &removed, &d) == VG_OK);
    CHECK_EQ_INT(removed, 0);
    CHECK(vg_audit_prune(b, 1000, &removed, &d) == VG_OK);
    CHECK(removed > 0);
    CHECK(vg_audit_close(a, &d) == VG_OK);
    CHECK(vg_audit_close(b, &d) == VG_OK);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    CHECK(r.records >= 2);
    CHECK(r.base_seq > 20);
    CHECK(vg_audit_verify(db, 0, &r, &d) == VG_OK); /* closed: fully signed */
}

struct seen { int64_t max_seq; int next, gaps, n; };
static int seen_cb(const struct vg_audit_rec *r, void *ctx)
{
    struct seen *s = ctx;
    int k;
    if (r->seq > s->max_seq)
        s->max_seq = r->seq;
    if (sscanf(r->object, "c-%d", &k) == 1) {
        if (s->n++ > 0 && k != s->next)
            s->gaps++;
        s->next = k + 1;
    }
    return 0;
}

/* Another process appends while this one cuts, over and over: no record
 * may be lost to the replaced file, and the trail verifies at the end. */
TEST(auditprune_concurrent_appender_loses_nothing)
{
    char db[300], trail[320], base[320], head[320];
    struct vg_audit_report r;
    struct vg_diag d;
    int64_t removed = 0;
    int cuts = 0, status = 0;
    paths("prune5", db, trail, base, head);
    struct vg_audit *a = open_trail(db);
    REQUIRE(a != NULL && add_days(a, 0, 5, "x") == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        struct vg_audit *c = open_trail(db);
        for (int i = 0; c && i < 400; i++) {
            char obj[16];
            snprintf(obj, sizeof obj, "c-%d", i);
            struct vg_audit_rec rec = {0, T0, "bob", "admin", "read", obj, NULL, NULL};
            if (vg_audit_append(c, &rec, NULL, &d) != VG_OK)
                _exit(2);
        }
        _exit(c && vg_audit_close(c, &d) == VG_OK ? 0 : 3);
    }
    struct vg_audit_query q = {0};
    q.include_sign = 1;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        struct seen sn = {0, 0, 0, 0};
        if (vg_audit_scan(a, &q, seen_cb, &sn, &d) != VG_OK ||
            vg_audit_prune(a, sn.max_seq - 20, &removed, &d) != VG_OK) {
            vg_test_fail(__FILE__, __LINE__, "cut %d: %s", cuts, d.msg);
            break;
        }
        cuts += removed > 0;
        usleep(2000); /* flock is not fair: let the appender in */
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(vg_audit_close(a, &d) == VG_OK);
    struct seen sn = {0, 0, 0, 0};
    a = open_trail(db);
    REQUIRE(a != NULL);
    CHECK(vg_audit_scan(a, &q, seen_cb, &sn, &d) == VG_OK);
    vg_audit_close(a, NULL);
    CHECK(cuts > 0);
    CHECK_EQ_INT(sn.gaps, 0);
    CHECK_EQ_INT(sn.next, 400); /* the child's last record is there */
    CHECK(sn.n > 0);
    CHECK(vg_audit_verify(db, 0, &r, &d) == VG_OK);
}

TEST(auditprune_checkpoint_tamper_is_detected)
{
    char db[300], trail[320], base[320], head[320];
    struct vg_audit_report r;
    struct vg_diag d;
    int64_t removed = 0;
    size_t nb1, nb2, nt;
    paths("prune2", db, trail, base, head);
    struct vg_audit *a = open_trail(db);
    REQUIRE(a != NULL && add_days(a, 0, 30, "x") == 0);
    REQUIRE(vg_audit_prune(a, 10, &removed, &d) == VG_OK && removed == 10);
    char *b1 = vg_test_slurp(base, &nb1);
    REQUIRE(vg_audit_prune(a, 20, &removed, &d) == VG_OK && removed == 10);
    REQUIRE(vg_audit_close(a, &d) == VG_OK);
    char *b2 = vg_test_slurp(base, &nb2), *t = vg_test_slurp(trail, &nt);
    REQUIRE(b1 && b2 && t);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.base_seq, 20);
    /* no checkpoint: the trail starts at 21 with nothing to prove 1..20 */
    unlink(base);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_SEQ_GAP);
    CHECK(strstr(r.msg, "no signed retention checkpoint") != NULL);
    /* an older (validly signed) checkpoint: records 11..20 missing */
    vg_test_spit(base, b1, nb1);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_SEQ_GAP);
    /* any edited character of the checkpoint */
    for (size_t i = 0; i + 1 < nb2; i++) {
        char *c = malloc(nb2);
        memcpy(c, b2, nb2);
        c[i] = c[i] == '1' ? '2' : '1';
        vg_test_spit(base, c, nb2);
        enum vg_audit_fault f = verify(db, &r);
        if (f == VG_AUDIT_FAULT_NONE)
            vg_test_fail(__FILE__, __LINE__, "checkpoint byte %zu edited, not detected", i);
        free(c);
    }
    vg_test_spit(base, b2, nb2);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    /* one more record cut by hand from the front */
    const char *nl = memchr(t, '\n', nt);
    REQUIRE(nl != NULL);
    vg_test_spit(trail, nl + 1, nt - (size_t)(nl + 1 - t));
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_SEQ_GAP);
    vg_test_spit(trail, t, nt);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    free(b1), free(b2), free(t);
}

TEST(auditprune_interrupted_cut_and_refusal)
{
    char db[300], trail[320], base[320], head[320];
    struct vg_audit_report r;
    struct vg_diag d;
    int64_t removed = 0;
    size_t nt, nh, n2;
    paths("prune3", db, trail, base, head);
    struct vg_audit *a = open_trail(db);
    REQUIRE(a != NULL && add_days(a, 0, 30, "x") == 0);
    REQUIRE(vg_audit_close(a, &d) == VG_OK); /* ends with a signature */
    char *t = vg_test_slurp(trail, &nt), *h = vg_test_slurp(head, &nh);
    REQUIRE(t && h);
    /* crash after the checkpoint was written, before the trail was cut */
    a = open_trail(db);
    REQUIRE(a != NULL && vg_audit_prune(a, 10, &removed, &d) == VG_OK && removed == 10);
    vg_audit_close(a, NULL);
    vg_test_spit(trail, t, nt);
    vg_test_spit(head, h, nh);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.base_seq, 10);
    CHECK_EQ_INT(first_seq(trail), 1);
    /* the next cut completes it, whatever it was asked */
    a = open_trail(db);
    REQUIRE(a != NULL);
    CHECK(vg_audit_prune(a, 3, &removed, &d) == VG_OK);
    CHECK_EQ_INT(removed, 10);
    CHECK_EQ_INT(first_seq(trail), 11);
    REQUIRE(vg_audit_close(a, &d) == VG_OK);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    /* a damaged trail is not cut: the damage stays visible */
    char *t2 = vg_test_slurp(trail, &n2);
    REQUIRE(t2 && n2 > 400);
    t2[300] ^= 0x01;
    vg_test_spit(trail, t2, n2);
    a = open_trail(db);
    REQUIRE(a != NULL);
    CHECK(vg_audit_prune(a, 25, &removed, &d) == VG_INTEGRITY);
    CHECK(strstr(d.msg, "refusing to cut") != NULL);
    vg_audit_close(a, NULL);
    size_t n3;
    char *t3 = vg_test_slurp(trail, &n3);
    CHECK(t3 && n3 >= n2 && memcmp(t3, t2, n2) == 0);
    free(t), free(h), free(t2), free(t3);
}

TEST(auditprune_purge_cuts_oldest_unheld_run)
{
    char db[300], trail[320], base[320], head[320];
    struct vg_store *s = NULL;
    struct vg_purge_counts c;
    struct vg_audit_report r;
    struct vg_diag d;
    int64_t hid = 0;
    paths("prune4", db, trail, base, head);
    unlink(db), unlink(trail), unlink(base), unlink(head);
    REQUIRE(vg_sqlite_open(db, 1, &s, &d) == VG_OK);
    struct vg_audit *a = open_trail(db);
    REQUIRE(a != NULL && add_days(a, 100, 11, "x") == 0); /* records 1..11: days 100..110 */
    vg_store_meta_set(s, VG_PURGE_POLICY_KEY, "audit=50", &d);
    /* a hold on the trail's records of day 105 (record 6) */
    struct vg_hold_row h = {0, "PV 9", "audit", T0 + 105LL * DAY, T0 + 106LL * DAY, "",
                            "r", "u", 0, 0, "", ""};
    REQUIRE(s->ops->hold_add(s, &h, &hid, &d) == VG_OK);
    int64_t now = T0 + 200LL * DAY;
    CHECK(vg_purge_run(s, a, now, 1, &c, &d) == VG_OK);
    CHECK_EQ_INT(c.expired[VG_RET_AUDIT], 11);
    CHECK_EQ_INT(c.held[VG_RET_AUDIT], 1);
    CHECK_EQ_INT(c.audit_cut, 5);
    CHECK_EQ_INT(first_seq(trail), 1); /* dry run */
    CHECK(vg_purge_run(s, a, now, 0, &c, &d) == VG_OK);
    CHECK_EQ_INT(c.purged[VG_RET_AUDIT], 5);
    CHECK_EQ_INT(first_seq(trail), 6);
    CHECK(vg_audit_close(a, &d) == VG_OK);
    CHECK(verify(db, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.base_seq, 5);
    vg_store_close(s);
}
