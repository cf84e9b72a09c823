/*
 * test_postgres.c — the PostgreSQL back end against the SQLite one: the
 * same scenario (duplicates inside and outside a transaction, a rollback,
 * ids, exact doubles, buffered area updates and weather upserts, users,
 * the schema-version guard) runs on both and each result is checked
 * against hand-worked values, so the two agree because both are right.
 * The PostgreSQL half needs a server: $VIGIE_PG_URL (tests/run starts one;
 * tests/pg/start.sh by hand); without it those tests print "skipped".
 * The append-only audit table is checked here too.
 */
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../test.h"
#include "audit/auditlog.h"
#include "store/store.h"

/* A fresh database on the server of $VIGIE_PG_URL; 0 if none. */
static int pg_fresh(const char *name, char *url, size_t cap)
{
    const char *base = getenv("VIGIE_PG_URL");
    if (base == NULL || !*base) {
        printf("skipped  %s: no VIGIE_PG_URL\n", name);
        return 0;
    }
    PGconn *c = PQconnectdb(base);
    if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return 0;
    }
    char db[64], sql[200];
    snprintf(db, sizeof db, "vg_unit_%s_%d", name, (int)getpid());
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
    PQclear(PQexec(c, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    const char *host = PQhost(c), *user = PQuser(c), *port = PQport(c);
    snprintf(url, cap, "postgres:///%s?host=%s&user=%s&port=%s", db, host, user, port);
    PQfinish(c);
    return ok;
}

static void pg_sql(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PQclear(PQexec(c, sql));
    PQfinish(c);
}

static struct vg_incident row(int64_t dkey, int64_t t, double x)
{
    struct vg_incident r;
    memset(&r, 0, sizeof r);
    r.dataset_id = 1;
    r.dkey = dkey;
    r.t_start = r.t_end = t;
    r.tz = "Europe/Paris";
    r.time_known = 1;
    r.label = "label\twith tab\\and backslash\nand newline";
    r.lon = 2.35;
    r.lat = 48.85;
    r.x = x;
    r.y = 0.1 + 0.2; /* 0.30000000000000004: must come back bit for bit */
    r.area = -1;
    r.text = "";
    r.source = VG_SRC_LOGBOOK;
    r.origin = VG_ORIGIN_REPORTED;
    return r;
}

static enum vg_err count_user(void *arg, const struct vg_user_row *u)
{
    (void)u;
    ++*(int *)arg;
    return VG_OK;
}

static enum vg_err first_row(void *arg, int64_t id, const struct vg_incident *r)
{
    int *ok = arg;
    *ok = id == 1 && r->label && strcmp(r->label, row(0, 0, 0).label) == 0 &&
          r->text == NULL && r->area == -1 && strcmp(r->tz, "Europe/Paris") == 0;
    return VG_OK;
}

/* The scenario; `url` is a SQLite path or a postgres URL. */
static void scenario(const char *url)
{
    struct vg_diag d;
    struct vg_store *s = NULL;
    struct vg_events ev;
    int64_t ds = 0, imp = 0;
    int ins[4] = {0};
    vg_diag_clear(&d);
    CHECK(vg_store_open(url, 0, &s, &d) == VG_NOTFOUND);
    REQUIRE(vg_store_open(url, 1, &s, &d) == VG_OK);
    const struct vg_store_ops *o = s->ops;
    struct vg_category c = {"coups", "Coups", "Assault", "personnes", 0, ""};
    CHECK(o->category_add(s, 0, &c, &d) == VG_OK);
    CHECK(o->dataset(s, "a", "p1", &ds, &d) == VG_OK && ds == 1);
    CHECK(o->dataset(s, "a", "p2", &ds, &d) == VG_OK && ds == 1);
    /* one transaction: two new rows, one duplicate */
    REQUIRE(vg_store_begin(s, &d) == VG_OK);
    CHECK(o->import_begin(s, 1, "f.csv", &imp, &d) == VG_OK);
    struct vg_incident r1 = row(10, 1000, 0.1), r2 = row(20, 500, -1e-300), r3 = row(10, 9, 9);
    r1.import_id = r2.import_id = r3.import_id = imp;
    CHECK(o->incident_put(s, &r1, &ins[0], &d) == VG_OK);
    CHECK(o->incident_put(s, &r2, &ins[1], &d) == VG_OK);
    CHECK(o->incident_put(s, &r3, &ins[2], &d) == VG_OK);
    CHECK(ins[0] == 1 && ins[1] == 1 && ins[2] == 0);
    CHECK(o->incident_area_set(s, 2, 5, &d) == VG_OK); /* buffered on PG */
    CHECK(o->incident_area_set(s, 2, 7, &d) == VG_OK); /* the last one counts */
    double wx[5] = {1.5, NAN, 0, 0, 3}, wx2[5] = {2.5, -1, NAN, 0, 3};
    CHECK(o->weather_put(s, "ST", 100, wx, &d) == VG_OK);
    CHECK(o->weather_put(s, "ST", 102, wx, &d) == VG_OK);
    CHECK(o->weather_put(s, "ST", 100, wx2, &d) == VG_OK); /* last wins */
    CHECK(vg_store_commit(s, &d) == VG_OK);
    /* a rolled-back row leaves nothing and takes no id */
    REQUIRE(vg_store_begin(s, &d) == VG_OK);
    struct vg_incident r4 = row(30, 700, 3);
    r4.import_id = imp;
    CHECK(o->incident_put(s, &r4, &ins[3], &d) == VG_OK && ins[3] == 1);
    vg_store_rollback(s);
    /* a reference to a missing category fails the transaction, on both */
    REQUIRE(vg_store_begin(s, &d) == VG_OK);
    struct vg_incident bad = row(40, 800, 4);
    bad.import_id = imp;
    bad.cat = 5;
    enum vg_err be = o->incident_put(s, &bad, &ins[3], &d);
    if (be == VG_OK)
        be = vg_store_commit(s, &d); /* PostgreSQL checks when the rows go */
    CHECK(be == VG_DB);
    vg_store_rollback(s);
    /* outside a transaction: its own */
    CHECK(o->incident_put(s, &r4, &ins[3], &d) == VG_OK && ins[3] == 1);
    CHECK(o->incident_put(s, &r1, &ins[3], &d) == VG_OK && ins[3] == 0);
    REQUIRE(vg_store_events(s, NULL, &ev, &d) == VG_OK);
    CHECK_EQ_INT(ev.n, 3);
    if (ev.n == 3) { /* sorted by t: r2 (id 2), r4 (id 3), r1 (id 1) */
        CHECK(ev.id[0] == 2 && ev.id[1] == 3 && ev.id[2] == 1);
        CHECK(ev.t[0] == 500 && ev.x[0] == -1e-300 && ev.area[0] == 7);
        CHECK(ev.y[2] == 0.1 + 0.2 && ev.x[2] == 0.1 && ev.area[2] == -1);
        CHECK(ev.source[1] == VG_SRC_LOGBOOK && ev.origin[1] == VG_ORIGIN_REPORTED);
    }
    vg_events_free(&ev);
    struct vg_event_filter f = {NULL, 0, 0, 0, -1, -1, -1};
    size_t total = 0;
    int ok = 0;
    CHECK(o->incidents_list(s, &f, 1, 0, &total, first_row, &ok, &d) == VG_OK);
    CHECK(total == 3 && ok); /* newest first: r1, label with \t \\ \n intact */
    struct vg_weather w;
    REQUIRE(o->weather_load(s, NULL, &w, &d) == VG_OK);
    CHECK(w.day0 == 100 && w.ndays == 3);
    if (w.ndays == 3)
        CHECK(w.tmax_c[0] == 2.5 && w.tmin_c[0] == -1 && isnan(w.prcp_mm[0]) &&
              isnan(w.tmax_c[1]) && isnan(w.tmin_c[2]) && w.wind_ms[2] == 3);
    vg_weather_free(&w);
    /* users */
    struct vg_user_row u = {"ana", "analyst", "$argon2id$x", 0, 1, 2};
    int n = 0;
    CHECK(o->user_put(s, &u, 1, &d) == VG_OK);
    CHECK(o->user_put(s, &u, 1, &d) == VG_EXISTS);
    u.name = "bob";
    CHECK(o->user_put(s, &u, 0, &d) == VG_NOTFOUND);
    CHECK(o->users_get(s, NULL, count_user, &n, &d) == VG_OK && n == 1);
    CHECK(o->user_delete(s, "ana", &d) == VG_OK);
    CHECK(o->user_delete(s, "ana", &d) == VG_NOTFOUND);
    char v[64];
    CHECK(vg_store_meta_set(s, "k", "v1", &d) == VG_OK && vg_store_meta_set(s, "k", "v2", &d) == VG_OK);
    CHECK(vg_store_meta_get(s, "k", v, sizeof v) == VG_OK && strcmp(v, "v2") == 0);
    CHECK(vg_store_meta_get(s, "none", v, sizeof v) == VG_NOTFOUND);
    vg_store_close(s);
}

TEST(postgres_same_as_sqlite_sqlite_half)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pgtest.db", vg_test_tmpdir());
    unlink(path);
    scenario(path);
}

TEST(postgres_same_as_sqlite_pg_half)
{
    char url[512];
    if (pg_fresh("scn", url, sizeof url))
        scenario(url);
}

TEST(postgres_newer_schema_refused)
{
    char url[512];
    struct vg_store *s = NULL;
    struct vg_diag d;
    if (!pg_fresh("ver", url, sizeof url))
        return;
    REQUIRE(vg_store_open(url, 1, &s, &d) == VG_OK);
    vg_store_close(s);
    pg_sql(url, "UPDATE vigie_schema SET version = 99");
    CHECK(vg_store_open(url, 0, &s, &d) == VG_SCHEMA);
    CHECK(strstr(d.msg, "99") != NULL);
}

static int pg_sql_ok(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(c);
    return ok;
}

/* Migration 5: the incidents' parents cannot be deleted or renumbered
 * while incidents name them (SQLite's foreign keys do the same). */
TEST(postgres_incident_parents_guarded)
{
    char url[512];
    struct vg_store *s = NULL;
    struct vg_diag d;
    int64_t ds = 0, imp = 0;
    int ins = 0;
    if (!pg_fresh("par", url, sizeof url))
        return;
    REQUIRE(vg_store_open(url, 1, &s, &d) == VG_OK);
    const struct vg_store_ops *o = s->ops;
    struct vg_category c = {"coups", "Coups", "Assault", "personnes", 0, ""};
    struct vg_category c2 = {"vols", "Vols", "Theft", "biens", 0, ""};
    CHECK(o->category_add(s, 0, &c, &d) == VG_OK);
    CHECK(o->category_add(s, 1, &c2, &d) == VG_OK);
    CHECK(o->dataset(s, "a", "p1", &ds, &d) == VG_OK);
    REQUIRE(vg_store_begin(s, &d) == VG_OK);
    CHECK(o->import_begin(s, ds, "f.csv", &imp, &d) == VG_OK);
    struct vg_incident r = row(10, 1000, 0.1);
    r.import_id = imp;
    CHECK(o->incident_put(s, &r, &ins, &d) == VG_OK && ins == 1);
    REQUIRE(vg_store_commit(s, &d) == VG_OK);
    vg_store_close(s);
    CHECK(!pg_sql_ok(url, "DELETE FROM category WHERE idx = 0"));
    CHECK(!pg_sql_ok(url, "UPDATE category SET idx = 7 WHERE idx = 0"));
    CHECK(!pg_sql_ok(url, "DELETE FROM import_run"));
    CHECK(!pg_sql_ok(url, "DELETE FROM dataset"));
    CHECK(pg_sql_ok(url, "UPDATE category SET label_en = 'Assaults' WHERE idx = 0"));
    CHECK(pg_sql_ok(url, "DELETE FROM category WHERE idx = 1")); /* unused */
    CHECK(pg_sql_ok(url, "DELETE FROM incident"));
    CHECK(pg_sql_ok(url, "DELETE FROM category WHERE idx = 0")); /* no longer named */
}

TEST(postgres_audit_table_append_only)
{
    char url[512];
    struct vg_audit *a = NULL;
    struct vg_diag d;
    struct vg_audit_report rep;
    if (!pg_fresh("aud", url, sizeof url))
        return;
    setenv("VIGIE_STATE_DIR", vg_test_tmpdir(), 1);
    REQUIRE(vg_audit_open_for_store(url, NULL, &a, &d) == VG_OK);
    struct vg_audit_rec r = {0, 0, "alice", "admin", "login", "session", NULL, NULL};
    int64_t seq = 0;
    CHECK(vg_audit_append(a, &r, &seq, &d) == VG_OK && seq == 1);
    CHECK(vg_audit_append(a, &r, &seq, &d) == VG_OK && seq == 2);
    CHECK(vg_audit_close(a, &d) == VG_OK); /* signs: record 3 */
    CHECK(vg_audit_verify_for_store(url, 0, &rep, &d) == VG_OK && rep.records == 3 &&
          rep.signatures == 1);
    /* ordinary changes are refused */
    PGconn *c = PQconnectdb(url);
    PGresult *x = PQexec(c, "DELETE FROM audit_trail WHERE pos = 3");
    CHECK(PQresultStatus(x) == PGRES_FATAL_ERROR);
    PQclear(x);
    /* the owner disables the trigger and drops the signature: detected */
    PQclear(PQexec(c, "ALTER TABLE audit_trail DISABLE TRIGGER USER;"
                      "DELETE FROM audit_trail WHERE pos = 3"));
    PQfinish(c);
    CHECK(vg_audit_verify_for_store(url, 0, &rep, &d) == VG_INTEGRITY);
    CHECK(rep.fault == VG_AUDIT_FAULT_ROLLBACK || rep.fault == VG_AUDIT_FAULT_UNSIGNED_TAIL);
}

TEST(postgres_side_path)
{
    char p[600];
    setenv("VIGIE_STATE_DIR", "/var/lib/vigie", 1);
    CHECK(vg_store_side_path("postgres:///vigie?host=/run/postgresql", ".audit", p, sizeof p) == VG_OK);
    CHECK(strcmp(p, "/var/lib/vigie/vigie@_run_postgresql.audit") == 0);
    CHECK(vg_store_side_path("postgresql://u@db.example:5433/town", ".rejects.csv", p, sizeof p) == VG_OK);
    CHECK(strcmp(p, "/var/lib/vigie/town@db.example:5433.rejects.csv") == 0);
    CHECK(vg_store_side_path("sqlite:x/town.db", ".audit", p, sizeof p) == VG_OK);
    CHECK(strcmp(p, "x/town.db.audit") == 0);
    CHECK(vg_store_side_path("postgres://[bad", ".x", p, sizeof p) != VG_OK);
    unsetenv("VIGIE_STATE_DIR");
}
