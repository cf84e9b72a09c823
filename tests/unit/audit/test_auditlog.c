/*
 * test_auditlog.c — the audit trail: round trip, tamper detection (random
 * byte flips, truncation, reordering, forged and rewritten records),
 * concurrent writers in two processes, signing policy, forecast records.
 * Tamper tests compare against where the damage was made, which the test
 * knows independently of the verifier.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../test.h"
#include "audit/auditlog.h"
#include "base/alloc.h"

static void db_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s.db", vg_test_tmpdir(), name);
}

/* A trail of `n` user records, signed every `every`, closed. */
static int make_trail(const char *db, int n, int every)
{
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    struct vg_diag d;
    o.sign_every = every;
    o.sign_interval = -1;
    o.sync = VG_AUDIT_SYNC_NONE;
    if (vg_audit_open(db, &o, &a, &d) != VG_OK)
        return -1;
    for (int i = 0; i < n; i++) {
        char obj[32], det[64];
        snprintf(obj, sizeof obj, "event:%d", i);
        snprintf(det, sizeof det, "{\"rows\":%d,\"note\":\"é\\n\"}", i * 7);
        struct vg_audit_rec r = {0, 1700000000 + i, i % 2 ? "alice" : "bob",
                                 "analyst", i % 3 ? "read" : "export", obj,
                                 "case 2024/117", det};
        if (vg_audit_append(a, &r, NULL, &d) != VG_OK)
            return -1;
    }
    return vg_audit_close(a, &d) == VG_OK ? 0 : -1;
}

static enum vg_audit_fault verify(const char *db, int allow,
                                  struct vg_audit_report *r)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    vg_audit_verify(db, allow, r, &d);
    return r->fault;
}

TEST(auditlog_roundtrip_and_get)
{
    char db[300], path[320];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    struct vg_audit_report r;
    int64_t seq = 0;
    db_path(db, sizeof db, "rt");
    REQUIRE(vg_audit_open(db, NULL, &a, &d) == VG_OK);
    struct vg_audit_rec rec = {0, 0, "alice", "admin", "login", "session", NULL,
                               "{\"ip\":\"10.0.0.1\"}"};
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK_EQ_INT(seq, 1);
    rec.action = "read";
    rec.object = "events:2019";
    rec.details = "{\"b\":[1,2],\"a\":null}";
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK_EQ_INT(seq, 2);
    struct vg_audit_entry en;
    REQUIRE(vg_audit_get(a, 2, &en, &d) == VG_OK);
    CHECK_STR(en.rec.user, "alice");
    CHECK_STR(en.rec.object, "events:2019");
    CHECK_STR(en.rec.details, "{\"b\":[1,2],\"a\":null}");
    CHECK(en.offset > 0);
    vg_audit_entry_free(&en);
    CHECK(vg_audit_get(a, 9, &en, &d) == VG_NOTFOUND);
    CHECK(vg_audit_close(a, &d) == VG_OK);
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.records, 3); /* two records and the closing signature */
    CHECK_EQ_INT(r.signatures, 1);
    /* key files are private */
    struct stat st;
    snprintf(path, sizeof path, "%s.audit.key", db);
    REQUIRE(stat(path, &st) == 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s.audit.pub", db);
    REQUIRE(stat(path, &st) == 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
}

TEST(auditlog_rejects_bad_records)
{
    char db[300];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    db_path(db, sizeof db, "bad");
    REQUIRE(vg_audit_open(db, NULL, &a, &d) == VG_OK);
    struct vg_audit_rec r = {0, 0, "carol", "analyst", "read", "events", NULL, NULL};
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_FORBIDDEN); /* no purpose */
    r.purpose = "weekly briefing";
    r.details = "[1,2]";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_PARSE);
    r.details = "{\"a\":1,\"a\":2}";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_PARSE);
    r.details = NULL;
    r.object = "\xff\xfe";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_PARSE); /* not UTF-8 */
    r.object = "";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_USAGE);
    r.object = "x";
    r.action = "sign";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_FORBIDDEN);
    r.action = "read";
    r.user = "line\nbreak \"quoted\"";
    CHECK(vg_audit_append(a, &r, NULL, &d) == VG_OK);
    CHECK(vg_audit_close(a, &d) == VG_OK);
    struct vg_audit_report rep;
    CHECK(verify(db, 0, &rep) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(rep.records, 2);
}

/* 200 seeded random byte flips: each detected at or before the flip. */
TEST(auditlog_detects_every_byte_flip)
{
    char db[300], path[320];
    size_t len;
    db_path(db, sizeof db, "flip");
    REQUIRE(make_trail(db, 40, 9) == 0);
    snprintf(path, sizeof path, "%s.audit", db);
    char *orig = vg_test_slurp(path, &len);
    REQUIRE(orig != NULL && len > 1000);
    struct vg_audit_report r;
    REQUIRE(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    char *mut = malloc(len);
    uint64_t s = 0x9E3779B97F4A7C15u;
    int detected = 0, named_ok = 0;
    for (int t = 0; t < 200; t++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        size_t pos = (size_t)(s % len);
        unsigned char x = (unsigned char)(1 + (s >> 32) % 255);
        memcpy(mut, orig, len);
        mut[pos] = (char)(mut[pos] ^ x);
        vg_test_spit(path, mut, len);
        int64_t seq_at = 1;
        for (size_t i = 0; i < pos; i++)
            seq_at += orig[i] == '\n';
        if (verify(db, 0, &r) != VG_AUDIT_FAULT_NONE)
            detected++;
        if (r.fault != VG_AUDIT_FAULT_NONE && r.offset <= pos && r.seq <= seq_at &&
            r.seq >= 1)
            named_ok++;
        else
            fprintf(stderr, "    flip %d at %zu (record %lld): fault %s seq %lld off %llu\n",
                    t, pos, (long long)seq_at, vg_audit_fault_name(r.fault),
                    (long long)r.seq, (unsigned long long)r.offset);
    }
    CHECK_EQ_INT(detected, 200);
    CHECK_EQ_INT(named_ok, 200);
    vg_test_spit(path, orig, len);
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    free(mut);
    free(orig);
}

TEST(auditlog_detects_truncation)
{
    char db[300], path[320];
    size_t len;
    db_path(db, sizeof db, "trunc");
    REQUIRE(make_trail(db, 30, 7) == 0);
    snprintf(path, sizeof path, "%s.audit", db);
    char *orig = vg_test_slurp(path, &len);
    REQUIRE(orig != NULL);
    struct vg_audit_report r;
    int missed = 0, tested = 0;
    for (size_t cut = 0; cut < len; cut++) {
        int boundary = cut == 0 || orig[cut - 1] == '\n';
        if (!boundary && cut % 13 != 0)
            continue;
        vg_test_spit(path, orig, cut);
        tested++;
        enum vg_audit_fault f = verify(db, 1, &r); /* even allowing a tail */
        if (f == VG_AUDIT_FAULT_NONE)
            missed++;
        else if (!boundary)
            CHECK(f == VG_AUDIT_FAULT_TRUNCATED || f == VG_AUDIT_FAULT_MALFORMED);
        else
            CHECK(f == VG_AUDIT_FAULT_ROLLBACK);
    }
    CHECK(tested > 40);
    CHECK_EQ_INT(missed, 0);
    vg_test_spit(path, orig, len);
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    free(orig);
}

/* Offsets of the line starts. */
static size_t lines_of(const char *p, size_t len, size_t *start, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max; i++)
        if (i == 0 || p[i - 1] == '\n')
            start[n++] = i;
    return n;
}

TEST(auditlog_detects_reorder_and_deletion)
{
    char db[300], path[320];
    size_t len, st[64];
    db_path(db, sizeof db, "reord");
    REQUIRE(make_trail(db, 20, 50) == 0);
    snprintf(path, sizeof path, "%s.audit", db);
    char *orig = vg_test_slurp(path, &len);
    REQUIRE(orig != NULL);
    size_t n = lines_of(orig, len, st, 64);
    REQUIRE(n == 21);
    st[n] = len;
    char *mut = malloc(len);
    struct vg_audit_report r;
    /* swap records 5 and 6 (lines 4 and 5) */
    size_t l4 = st[5] - st[4], l5 = st[6] - st[5];
    memcpy(mut, orig, len);
    memcpy(mut + st[4], orig + st[5], l5);
    memcpy(mut + st[4] + l5, orig + st[4], l4);
    vg_test_spit(path, mut, len);
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_SEQ_GAP);
    CHECK_EQ_INT(r.seq, 5);
    CHECK_EQ_INT(r.offset, st[4]);
    /* delete record 10 */
    memcpy(mut, orig, st[9]);
    memcpy(mut + st[9], orig + st[10], len - st[10]);
    vg_test_spit(path, mut, len - (st[10] - st[9]));
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_SEQ_GAP);
    CHECK_EQ_INT(r.seq, 10);
    vg_test_spit(path, orig, len);
    free(mut);
    free(orig);
}

/* Append a record with a correct hash and prev, as an intruder could. */
static size_t forge(char *out, size_t cap, int64_t seq, const char *prev,
                    const char *action, const char *details)
{
    unsigned char md[32];
    char hex[65];
    int n = snprintf(out, cap,
                     "{\"seq\":%lld,\"time\":\"2024-01-01T00:00:00Z\",\"user\":"
                     "\"mallory\",\"role\":\"system\",\"action\":\"%s\",\"object\":"
                     "\"chain\",\"purpose\":\"\",\"details\":%s,\"prev\":\"%s\"",
                     (long long)seq, action, details, prev);
    crypto_hash_sha256(md, (const unsigned char *)out, (unsigned long long)n);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    n += snprintf(out + n, cap - (size_t)n, ",\"hash\":\"%s\"}\n", hex);
    return (size_t)n;
}

static void last_hash(const char *p, size_t len, char out[65])
{
    memcpy(out, p + len - 67, 64);
    out[64] = '\0';
}

TEST(auditlog_forged_tail_is_unsigned)
{
    char db[300], path[320], line[2048], prev[65], sig[129];
    size_t len;
    db_path(db, sizeof db, "forge");
    REQUIRE(make_trail(db, 12, 5) == 0);
    snprintf(path, sizeof path, "%s.audit", db);
    char *orig = vg_test_slurp(path, &len);
    REQUIRE(orig != NULL);
    struct vg_audit_report r;
    REQUIRE(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    int64_t next = r.records + 1;
    last_hash(orig, len, prev);
    size_t n = forge(line, sizeof line, next, prev, "read", "{}");
    char *mut = malloc(len + 2 * sizeof line);
    memcpy(mut, orig, len);
    memcpy(mut + len, line, n);
    vg_test_spit(path, mut, len + n);
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_UNSIGNED_TAIL);
    CHECK_EQ_INT(r.seq, next);
    CHECK_EQ_INT(r.offset, len);
    /* hash chain alone is satisfied: only the signature exposes the forgery */
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_NONE);
    /* a forged "sign" record made with another key */
    unsigned char pk[32], sk[64], sg[64];
    char msg[128], det[512], pkhex[65], h2[65];
    crypto_sign_keypair(pk, sk);
    last_hash(line, n, h2);
    int ml = snprintf(msg, sizeof msg, "vigie-audit-v1 %lld %s", (long long)next, h2);
    crypto_sign_detached(sg, NULL, (unsigned char *)msg, (unsigned long long)ml, sk);
    for (int i = 0; i < 64; i++)
        snprintf(sig + 2 * i, 3, "%02x", sg[i]);
    for (int i = 0; i < 32; i++)
        snprintf(pkhex + 2 * i, 3, "%02x", pk[i]);
    snprintf(det, sizeof det, "{\"alg\":\"ed25519\",\"head_seq\":%lld,\"head_hash\":"
             "\"%s\",\"key\":\"%s\",\"sig\":\"%s\"}", (long long)next, h2, pkhex, sig);
    size_t n2 = forge(mut + len + n, 2 * sizeof line, next + 1, h2, "sign", det);
    vg_test_spit(path, mut, len + n + n2);
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_SIGNATURE);
    CHECK_EQ_INT(r.seq, next + 1);
    vg_test_spit(path, orig, len);
    free(mut);
    free(orig);
}

/* Change record 2 and recompute every later hash: the next signature no
 * longer covers the chain. */
TEST(auditlog_rewritten_history_breaks_signature)
{
    char db[300], path[320], prev[65] =
        "0000000000000000000000000000000000000000000000000000000000000000";
    size_t len, st[64];
    db_path(db, sizeof db, "rewrite");
    REQUIRE(make_trail(db, 10, 4) == 0);
    snprintf(path, sizeof path, "%s.audit", db);
    char *orig = vg_test_slurp(path, &len);
    REQUIRE(orig != NULL);
    size_t n = lines_of(orig, len, st, 64);
    st[n] = len;
    char *mut = malloc(len + 64);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        char body[4096];
        size_t bl = st[i + 1] - st[i] - 76; /* without the hash suffix */
        memcpy(body, orig + st[i], bl);
        body[bl] = '\0';
        char *pv = strstr(body, ",\"prev\":\"");
        REQUIRE(pv != NULL);
        memcpy(pv + 9, prev, 64);
        if (i == 1) {
            char *u = strstr(body, "\"user\":\"alice\"");
            REQUIRE(u != NULL);
            memcpy(u + 8, "ALICE", 5);
        }
        unsigned char md[32];
        crypto_hash_sha256(md, (unsigned char *)body, bl);
        for (int k = 0; k < 32; k++)
            snprintf(prev + 2 * k, 3, "%02x", md[k]);
        memcpy(mut + out, body, bl);
        out += bl;
        out += (size_t)snprintf(mut + out, 80, ",\"hash\":\"%s\"}\n", prev);
    }
    CHECK_EQ_INT(out, len);
    vg_test_spit(path, mut, out);
    struct vg_audit_report r;
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_SIGNATURE);
    CHECK_EQ_INT(r.seq, 5); /* the first signature, after records 1-4 */
    vg_test_spit(path, orig, len);
    free(mut);
    free(orig);
}

struct worker {
    const char *db;
    int n;
};

static void *append_many(void *arg)
{
    struct worker *w = arg;
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    struct vg_diag d;
    o.sign_every = 7;
    o.sync = VG_AUDIT_SYNC_NONE;
    if (vg_audit_open(w->db, &o, &a, &d) != VG_OK)
        return (void *)1;
    intptr_t bad = 0;
    for (int i = 0; i < w->n; i++) {
        struct vg_audit_rec r = {0, 0, "worker", "system", "read", "events",
                                 NULL, "{\"i\":1}"};
        bad += vg_audit_append(a, &r, NULL, &d) != VG_OK;
    }
    bad += vg_audit_close(a, &d) != VG_OK;
    return (void *)bad;
}

/* Two processes, each with two threads sharing nothing but the file. */
TEST(auditlog_concurrent_processes)
{
    char db[300];
    db_path(db, sizeof db, "conc");
    struct vg_audit *a = NULL;
    struct vg_diag d;
    REQUIRE(vg_audit_open(db, NULL, &a, &d) == VG_OK); /* create keys first */
    vg_audit_close(a, &d);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            pthread_t th[2];
            struct worker w = {db, 150};
            void *res[2];
            for (int t = 0; t < 2; t++)
                pthread_create(&th[t], NULL, append_many, &w);
            for (int t = 0; t < 2; t++)
                pthread_join(th[t], &res[t]);
            _exit(res[0] != NULL || res[1] != NULL);
        }
    }
    for (int k = 0; k < 2; k++) {
        int stt = 0;
        waitpid(kids[k], &stt, 0);
        CHECK(WIFEXITED(stt) && WEXITSTATUS(stt) == 0);
    }
    struct vg_audit_report r;
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.records - r.signatures, 600);
    CHECK(r.signatures >= 600 / 7);
}

static int64_t fake_now(void *ctx)
{
    return *(int64_t *)ctx;
}

TEST(auditlog_signs_by_time_and_refuses_torn_tail)
{
    char db[300], path[320];
    int64_t clock = 1700000000, seq = 0;
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    struct vg_diag d;
    struct vg_audit_report r;
    db_path(db, sizeof db, "clock");
    o.sign_every = 1000;
    o.sign_interval = 60;
    o.now = fake_now;
    o.now_ctx = &clock;
    REQUIRE(vg_audit_open(db, &o, &a, &d) == VG_OK);
    struct vg_audit_rec rec = {0, 0, "sys", "system", "purge", "segments", NULL, NULL};
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    clock += 30;
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK_EQ_INT(seq, 2);        /* no signature yet */
    clock += 31;
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK_EQ_INT(seq, 3);        /* followed by a signature, record 4 */
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK_EQ_INT(seq, 5);
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_NONE);
    CHECK_EQ_INT(r.signed_seq, 4);
    CHECK(verify(db, 0, &r) == VG_AUDIT_FAULT_UNSIGNED_TAIL);
    CHECK_EQ_INT(r.seq, 5);
    /* a torn write at the end: appends refuse */
    snprintf(path, sizeof path, "%s.audit", db);
    FILE *f = fopen(path, "ab");
    REQUIRE(f != NULL);
    fputs("{\"seq\":6,\"ti", f);
    fclose(f);
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_INTEGRITY);
    CHECK(vg_audit_close(a, &d) == VG_INTEGRITY);
    CHECK(verify(db, 1, &r) == VG_AUDIT_FAULT_TRUNCATED);
    CHECK_EQ_INT(r.seq, 6);
}

TEST(auditlog_forecast_record_roundtrip)
{
    char db[300], data[65], res[65];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    int64_t seq = 0;
    db_path(db, sizeof db, "fc");
    struct vg_audit_sha s;
    double v[3] = {0.1, -0.0, 1e300};
    vg_audit_sha_init(&s);
    vg_audit_sha_update(&s, "abc", 3);
    vg_audit_sha_final(&s, data);
    /* FIPS 180-2 test vector */
    CHECK_STR(data, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    vg_audit_sha_init(&s);
    vg_audit_sha_doubles(&s, v, 3);
    vg_audit_sha_final(&s, res);
    /* independent: python3 -c "import hashlib,struct;
     * print(hashlib.sha256(struct.pack('<3d',0.1,-0.0,1e300)).hexdigest())" */
    CHECK_STR(res, "d2996a6e99372b64c5d062b0b3d8193c48e78cd04792e537a187d6f6d97ed5da");
    REQUIRE(vg_audit_open(db, NULL, &a, &d) == VG_OK);
    struct vg_audit_forecast f = {"alice", "analyst", "night patrol plan",
                                  "grid:250m", "kde", "{\"bandwidth\":250,\"days\":28}",
                                  "vigie 0.1.0", data, res, 1700000000, 1700030600, NULL};
    CHECK(vg_audit_forecast_record(a, &f, &seq, &d) == VG_OK);
    struct vg_audit_entry en;
    struct vg_audit_forecast g;
    REQUIRE(vg_audit_forecast_get(a, seq, &en, &g, &d) == VG_OK);
    CHECK_STR(g.model, "kde");
    CHECK_STR(g.params_json, "{\"bandwidth\":250,\"days\":28}");
    CHECK_STR(g.data_sha256, data);
    CHECK_STR(g.result_sha256, res);
    CHECK_STR(g.code_version, "vigie 0.1.0");
    CHECK_STR(g.purpose, "night patrol plan");
    CHECK_EQ_INT(g.window_start, 1700000000);
    CHECK_EQ_INT(g.window_end, 1700030600);
    vg_audit_entry_free(&en);
    f.params_json = "[1]";
    CHECK(vg_audit_forecast_record(a, &f, &seq, &d) == VG_PARSE);
    f.params_json = NULL;
    f.data_sha256 = "ABC";
    CHECK(vg_audit_forecast_record(a, &f, &seq, &d) == VG_PARSE);
    struct vg_audit_rec rec = {0, 0, "bob", "admin", "login", "session", NULL, NULL};
    CHECK(vg_audit_append(a, &rec, &seq, &d) == VG_OK);
    CHECK(vg_audit_forecast_get(a, seq, &en, &g, &d) == VG_PARSE);
    CHECK(vg_audit_close(a, &d) == VG_OK);
}

static int count_cb(const struct vg_audit_rec *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

TEST(auditlog_scan_filters)
{
    char db[300];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    db_path(db, sizeof db, "scan");
    REQUIRE(make_trail(db, 30, 10) == 0);
    struct vg_audit_opts o = {0};
    o.read_only = 1;
    REQUIRE(vg_audit_open(db, &o, &a, &d) == VG_OK);
    int n = 0;
    struct vg_audit_query q = {0};
    CHECK(vg_audit_scan(a, &q, count_cb, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 30);
    n = 0, q.user = "alice";
    CHECK(vg_audit_scan(a, &q, count_cb, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 15);
    n = 0, q.user = NULL, q.action = "export";  /* i % 3 == 0 */
    CHECK(vg_audit_scan(a, &q, count_cb, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 10);
    n = 0, q.action = NULL, q.from = 1700000010, q.to = 1700000020;
    CHECK(vg_audit_scan(a, &q, count_cb, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 10);
    n = 0, q.from = q.to = 0, q.include_sign = 1;
    CHECK(vg_audit_scan(a, &q, count_cb, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 30 + 3);
    struct vg_audit_rec rec = {0, 0, "x", "system", "read", "o", NULL, NULL};
    CHECK(vg_audit_append(a, &rec, NULL, &d) == VG_STATE);
    vg_audit_close(a, &d);
}

TEST(auditlog_rejects_world_readable_key)
{
    char db[300], path[320];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    db_path(db, sizeof db, "mode");
    REQUIRE(vg_audit_open(db, NULL, &a, &d) == VG_OK);
    vg_audit_close(a, &d);
    snprintf(path, sizeof path, "%s.audit.key", db);
    chmod(path, 0644);
    CHECK(vg_audit_open(db, NULL, &a, &d) == VG_INTEGRITY);
    CHECK(strstr(d.msg, "0644") != NULL);
}
