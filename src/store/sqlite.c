/*
 * sqlite.c — the embedded SQLite back end of the store.
 *
 * WAL journal, foreign keys on, synchronous=NORMAL (durable at checkpoint,
 * atomic always).  The schema is a list of forward migrations; `PRAGMA
 * user_version` records how many have run.  Hot statements are prepared once
 * per connection.  The struct vg_store header is the first member so the
 * generic layer can hand us a `struct vg_store *`.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "store/store.h"

struct sq {
    struct vg_store base;
    sqlite3 *db;
    sqlite3_stmt *ins_incident, *ins_weather;
};

static const char *const migrations[] = {
    /* 1: foundation */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE category(idx INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL,"
    " label_fr TEXT NOT NULL, label_en TEXT NOT NULL, grp TEXT NOT NULL,"
    " police_activity INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE dataset(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
    " profile TEXT);"
    "CREATE TABLE import_run(id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id), file TEXT NOT NULL,"
    " started INTEGER NOT NULL, finished INTEGER, rows INTEGER, imported INTEGER,"
    " duplicates INTEGER, rejected INTEGER);"
    "CREATE TABLE incident(id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    " dkey INTEGER NOT NULL, source_id TEXT,"
    " t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, t_report INTEGER,"
    " tz TEXT NOT NULL, time_known INTEGER NOT NULL,"
    " cat INTEGER NOT NULL REFERENCES category(idx), label TEXT,"
    " lon REAL NOT NULL, lat REAL NOT NULL, x REAL NOT NULL, y REAL NOT NULL,"
    " area INTEGER, address TEXT, text TEXT,"
    " source TEXT NOT NULL, origin TEXT NOT NULL,"
    " import_id INTEGER REFERENCES import_run(id),"
    " CHECK (t_end >= t_start));"
    "CREATE UNIQUE INDEX incident_dkey ON incident(dataset_id, dkey);"
    "CREATE INDEX incident_t ON incident(t_start);"
    "CREATE TABLE area_layer(name TEXT PRIMARY KEY, meta TEXT NOT NULL,"
    " imported INTEGER NOT NULL);"
    "CREATE TABLE area(layer TEXT NOT NULL REFERENCES area_layer(name)"
    " ON DELETE CASCADE, idx INTEGER NOT NULL, id TEXT NOT NULL, name TEXT,"
    " population REAL, km2 REAL NOT NULL, geojson TEXT NOT NULL,"
    " PRIMARY KEY(layer, idx));"
    "CREATE TABLE weather(station TEXT NOT NULL, day INTEGER NOT NULL,"
    " tmax_c REAL, tmin_c REAL, prcp_mm REAL, snow_mm REAL, wind_ms REAL,"
    " PRIMARY KEY(station, day));",
    /* 2: users of `vigie serve` (sessions live in the server's memory) */
    "CREATE TABLE app_user(name TEXT PRIMARY KEY, role TEXT NOT NULL,"
    " hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL, updated INTEGER NOT NULL);",
    /* 3: classification review queue of logbook entries (sqlite_review.inc) */
    "CREATE TABLE review(incident_id INTEGER PRIMARY KEY"
    " REFERENCES incident(id) ON DELETE CASCADE,"
    " suggested TEXT NOT NULL, confidence REAL NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    " ('pending','confirmed','corrected','accepted','author')),"
    " final TEXT, analyst TEXT, decided INTEGER);"
    "CREATE INDEX review_status ON review(status);",
    /* 4: accountability: legal holds, stored forecasts (sqlite_acct.inc) */
    "CREATE TABLE legal_hold(id INTEGER PRIMARY KEY, procedure TEXT NOT NULL,"
    " type TEXT NOT NULL, t_from INTEGER NOT NULL, t_to INTEGER NOT NULL,"
    " area TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL, placed_by TEXT NOT NULL,"
    " placed INTEGER NOT NULL, lifted INTEGER NOT NULL DEFAULT 0,"
    " lift_reason TEXT NOT NULL DEFAULT '', lifted_by TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE forecast(id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL,"
    " created INTEGER NOT NULL, model TEXT NOT NULL, categories TEXT NOT NULL,"
    " units TEXT NOT NULL, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,"
    " result_sha256 TEXT NOT NULL, n INTEGER NOT NULL, expected BLOB NOT NULL,"
    " top_json TEXT NOT NULL);"
    "CREATE INDEX forecast_seq ON forecast(audit_seq);"
    "CREATE INDEX forecast_created ON forecast(created);",
    /* 5: PostgreSQL guards the incidents' parent rows by trigger; here the
     * foreign keys already do (kept so both count the same migrations) */
    "SELECT 1;",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static enum vg_err sq_err(struct sq *q, struct vg_diag *d, const char *what)
{
    return vg_fail(d, VG_DB, q->base.url, 0, 0, "%s: %s", what,
                   sqlite3_errmsg(q->db));
}

static enum vg_err sq_exec(struct vg_store *s, const char *sql,
                           struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        enum vg_err e = vg_fail(d, VG_DB, s->url, 0, 0, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        return e;
    }
    return VG_OK;
}

static enum vg_err migrate(struct sq *q, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return sq_err(q, d, "reading schema version");
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (v > NMIGRATIONS)
        return vg_fail(d, VG_SCHEMA, q->base.url, 0, 0,
                       "database schema version %d is newer than this vigie (%d); upgrade vigie",
                       v, NMIGRATIONS);
    for (; v < NMIGRATIONS; v++) {
        char sql[64];
        enum vg_err e = sq_exec(&q->base, "BEGIN IMMEDIATE", d);
        if (e == VG_OK)
            e = sq_exec(&q->base, migrations[v], d);
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
        if (e == VG_OK)
            e = sq_exec(&q->base, sql, d);
        if (e == VG_OK)
            e = sq_exec(&q->base, "COMMIT", d);
        if (e) {
            sq_exec(&q->base, "ROLLBACK", NULL);
            return e;
        }
    }
    return VG_OK;
}

static void sq_close(struct vg_store *s)
{
    struct sq *q = (struct sq *)s;
    sqlite3_finalize(q->ins_incident);
    sqlite3_finalize(q->ins_weather);
    sqlite3_close(q->db);
    vg_free(q);
}

static enum vg_err sq_meta_get(struct vg_store *s, const char *key, char *out,
                               size_t cap)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    enum vg_err e = VG_NOTFOUND;
    if (sqlite3_prepare_v2(q->db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL))
        return VG_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        e = VG_OK;
    }
    sqlite3_finalize(st);
    return e;
}

static enum vg_err sq_meta_set(struct vg_store *s, const char *key,
                               const char *value, struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=?2",
                           -1, &st, NULL))
        return sq_err(q, d, "meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : sq_err(q, d, "meta");
}

static void col_copy(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static enum vg_err sq_categories(struct vg_store *s, struct vg_taxonomy *out,
                                 struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(q->db,
                           "SELECT idx, code, label_fr, label_en, grp, police_activity FROM category ORDER BY idx",
                           -1, &st, NULL))
        return sq_err(q, d, "categories");
    enum vg_err e = VG_OK;
    while (e == VG_OK && sqlite3_step(st) == SQLITE_ROW) {
        struct vg_category c;
        memset(&c, 0, sizeof c);
        if (sqlite3_column_int(st, 0) != (int)out->n) {
            e = vg_fail(d, VG_DB, s->url, 0, 0, "category indices are not contiguous");
            break;
        }
        col_copy(c.code, sizeof c.code, st, 1);
        col_copy(c.label_fr, sizeof c.label_fr, st, 2);
        col_copy(c.label_en, sizeof c.label_en, st, 3);
        col_copy(c.group, sizeof c.group, st, 4);
        c.police_activity = sqlite3_column_int(st, 5);
        e = vg_taxonomy_add(out, &c);
    }
    sqlite3_finalize(st);
    if (e)
        vg_taxonomy_free(out);
    return e;
}

static enum vg_err sq_category_add(struct vg_store *s, int32_t idx,
                                   const struct vg_category *c,
                                   struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "INSERT INTO category(idx, code, label_fr, label_en, grp, police_activity) VALUES(?1,?2,?3,?4,?5,?6)",
                           -1, &st, NULL))
        return sq_err(q, d, "category");
    sqlite3_bind_int(st, 1, idx);
    sqlite3_bind_text(st, 2, c->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->label_fr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->label_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->group, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, c->police_activity);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : sq_err(q, d, "adding a category");
}

static enum vg_err sq_dataset(struct vg_store *s, const char *name,
                              const char *profile, int64_t *id,
                              struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "INSERT INTO dataset(name, profile) VALUES(?1,?2) ON CONFLICT(name) DO UPDATE SET profile=?2 RETURNING id",
                           -1, &st, NULL))
        return sq_err(q, d, "dataset");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, profile, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? VG_OK : sq_err(q, d, "dataset");
}

static enum vg_err sq_import_begin(struct vg_store *s, int64_t dataset_id,
                                   const char *file, int64_t *import_id,
                                   struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "INSERT INTO import_run(dataset_id, file, started) VALUES(?1,?2,strftime('%s','now'))",
                           -1, &st, NULL))
        return sq_err(q, d, "import");
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_err(q, d, "import");
    *import_id = sqlite3_last_insert_rowid(q->db);
    return VG_OK;
}

static enum vg_err sq_import_end(struct vg_store *s, int64_t import_id,
                                 const struct vg_import_counts *c,
                                 struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "UPDATE import_run SET finished=strftime('%s','now'), rows=?2, imported=?3, duplicates=?4, rejected=?5 WHERE id=?1",
                           -1, &st, NULL))
        return sq_err(q, d, "import");
    sqlite3_bind_int64(st, 1, import_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)c->rows);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->imported);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)c->duplicates);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)c->rejected);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : sq_err(q, d, "import");
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static enum vg_err sq_incident_put(struct vg_store *s,
                                   const struct vg_incident *r, int *inserted,
                                   struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    if (q->ins_incident == NULL &&
        sqlite3_prepare_v3(q->db,
                           "INSERT OR IGNORE INTO incident(dataset_id, dkey, source_id, t_start, t_end, t_report, tz,"
                           " time_known, cat, label, lon, lat, x, y, area, address, text, source, origin, import_id)"
                           " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)",
                           -1, SQLITE_PREPARE_PERSISTENT, &q->ins_incident, NULL))
        return sq_err(q, d, "preparing insert");
    sqlite3_stmt *st = q->ins_incident;
    sqlite3_bind_int64(st, 1, r->dataset_id);
    sqlite3_bind_int64(st, 2, r->dkey);
    bind_opt_text(st, 3, r->source_id);
    sqlite3_bind_int64(st, 4, r->t_start);
    sqlite3_bind_int64(st, 5, r->t_end);
    if (r->t_report)
        sqlite3_bind_int64(st, 6, r->t_report);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_text(st, 7, r->tz, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, r->time_known);
    sqlite3_bind_int(st, 9, r->cat);
    bind_opt_text(st, 10, r->label);
    sqlite3_bind_double(st, 11, r->lon);
    sqlite3_bind_double(st, 12, r->lat);
    sqlite3_bind_double(st, 13, r->x);
    sqlite3_bind_double(st, 14, r->y);
    if (r->area >= 0)
        sqlite3_bind_int(st, 15, r->area);
    else
        sqlite3_bind_null(st, 15);
    bind_opt_text(st, 16, r->address);
    bind_opt_text(st, 17, r->text);
    sqlite3_bind_text(st, 18, vg_source_name(r->source), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 19, vg_origin_name(r->origin), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 20, r->import_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_err(q, d, "inserting an incident");
    *inserted = sqlite3_changes(q->db) > 0;
    return VG_OK;
}

static enum vg_err sq_areas_put(struct vg_store *s, const char *layer,
                                const char *meta_json,
                                const struct vg_area_row *a, size_t n,
                                struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    enum vg_err e = VG_OK;
    if (sqlite3_prepare_v2(q->db, "DELETE FROM area_layer WHERE name=?1", -1, &st, NULL))
        return sq_err(q, d, "areas");
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        e = sq_err(q, d, "replacing the layer");
    sqlite3_finalize(st);
    st = NULL;
    if (e)
        return e;
    if (sqlite3_prepare_v2(q->db, "INSERT INTO area_layer(name, meta, imported) VALUES(?1,?2,strftime('%s','now'))", -1, &st, NULL))
        return sq_err(q, d, "areas");
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, meta_json, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        e = sq_err(q, d, "adding the layer");
    sqlite3_finalize(st);
    st = NULL;
    if (e)
        return e;
    if (sqlite3_prepare_v2(q->db,
                           "INSERT INTO area(layer, idx, id, name, population, km2, geojson) VALUES(?1,?2,?3,?4,?5,?6,?7)",
                           -1, &st, NULL))
        return sq_err(q, d, "areas");
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, a[i].id, -1, SQLITE_STATIC);
        bind_opt_text(st, 4, a[i].name);
        if (isnan(a[i].population))
            sqlite3_bind_null(st, 5);
        else
            sqlite3_bind_double(st, 5, a[i].population);
        sqlite3_bind_double(st, 6, a[i].km2);
        sqlite3_bind_text(st, 7, a[i].geojson, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            e = sq_err(q, d, "adding an area");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return e;
}

static enum vg_err sq_areas_get(struct vg_store *s, const char *layer,
                                enum vg_err (*fn)(void *, size_t,
                                                  const struct vg_area_row *),
                                void *arg, struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT idx, id, name, population, km2, geojson FROM area WHERE layer=?1 ORDER BY idx",
                           -1, &st, NULL))
        return sq_err(q, d, "areas");
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    enum vg_err e = VG_OK;
    size_t n = 0;
    while (e == VG_OK && sqlite3_step(st) == SQLITE_ROW) {
        struct vg_area_row r;
        r.id = (const char *)sqlite3_column_text(st, 1);
        r.name = (const char *)sqlite3_column_text(st, 2);
        r.population = sqlite3_column_type(st, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 3);
        r.km2 = sqlite3_column_double(st, 4);
        r.geojson = (const char *)sqlite3_column_text(st, 5);
        e = fn(arg, n++, &r);
    }
    sqlite3_finalize(st);
    if (e == VG_OK && n == 0)
        e = vg_fail(d, VG_NOTFOUND, s->url, 0, 0,
                    "no area layer named \"%s\" (import one with `vigie import areas`)", layer);
    return e;
}

static enum vg_err sq_incident_area_set(struct vg_store *s, int64_t id,
                                        int32_t area, struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(q->db, "UPDATE incident SET area=?2 WHERE id=?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &st, NULL))
        return sq_err(q, d, "area");
    sqlite3_bind_int64(st, 1, id);
    if (area >= 0)
        sqlite3_bind_int(st, 2, area);
    else
        sqlite3_bind_null(st, 2);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : sq_err(q, d, "area");
}

static enum vg_err sq_events_load(struct vg_store *s,
                                  const struct vg_event_filter *f,
                                  struct vg_events *out, struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    vg_events_init(out);
    const char *sql =
        "SELECT id, t_start, t_end, x, y, lon, lat, cat, area, source, origin FROM incident"
        " WHERE (?1 = 0 OR t_start >= ?1) AND (?2 = 0 OR t_start < ?2)"
        " AND (?3 < 0 OR area = ?3) ORDER BY t_start, id";
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL))
        return sq_err(q, d, "loading events");
    sqlite3_bind_int64(st, 1, f ? f->from : 0);
    sqlite3_bind_int64(st, 2, f ? f->to : 0);
    sqlite3_bind_int(st, 3, f ? f->area : -1);
    enum vg_err e = VG_OK;
    int rc;
    while (e == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t cat = sqlite3_column_int(st, 7);
        if (f && f->ncats) {
            size_t k = 0;
            while (k < f->ncats && f->cats[k] != cat)
                k++;
            if (k == f->ncats)
                continue;
        }
        enum vg_source src = VG_SRC_UNKNOWN;
        enum vg_origin org = VG_ORIGIN_UNKNOWN;
        vg_source_parse((const char *)sqlite3_column_text(st, 9), &src);
        vg_origin_parse((const char *)sqlite3_column_text(st, 10), &org);
        if (f && f->source >= 0 && (int)src != f->source)
            continue;
        if (f && f->origin >= 0 && (int)org != f->origin)
            continue;
        e = vg_events_push(out, sqlite3_column_int64(st, 0),
                           sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                           sqlite3_column_double(st, 3), sqlite3_column_double(st, 4),
                           sqlite3_column_double(st, 5), sqlite3_column_double(st, 6), cat,
                           sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8),
                           (uint8_t)src, (uint8_t)org);
    }
    sqlite3_finalize(st);
    if (e)
        vg_events_free(out);
    return e;
}

static enum vg_err sq_weather_put(struct vg_store *s, const char *station,
                                  int64_t day, const double v[5],
                                  struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    if (q->ins_weather == NULL &&
        sqlite3_prepare_v3(q->db,
                           "INSERT INTO weather(station, day, tmax_c, tmin_c, prcp_mm, snow_mm, wind_ms) VALUES(?1,?2,?3,?4,?5,?6,?7)"
                           " ON CONFLICT(station, day) DO UPDATE SET tmax_c=?3, tmin_c=?4, prcp_mm=?5, snow_mm=?6, wind_ms=?7",
                           -1, SQLITE_PREPARE_PERSISTENT, &q->ins_weather, NULL))
        return sq_err(q, d, "weather");
    sqlite3_stmt *st = q->ins_weather;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, day);
    for (int i = 0; i < 5; i++) {
        if (isnan(v[i]))
            sqlite3_bind_null(st, 3 + i);
        else
            sqlite3_bind_double(st, 3 + i, v[i]);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : sq_err(q, d, "weather");
}

static enum vg_err sq_weather_load(struct vg_store *s, const char *station,
                                   struct vg_weather *w, struct vg_diag *d)
{
    struct sq *q = (struct sq *)s;
    sqlite3_stmt *st = NULL;
    memset(w, 0, sizeof *w);
    const char *sql = station
        ? "SELECT day, tmax_c, tmin_c, prcp_mm, snow_mm, wind_ms FROM weather WHERE station=?1 ORDER BY day"
        : "SELECT day, tmax_c, tmin_c, prcp_mm, snow_mm, wind_ms FROM weather WHERE station=(SELECT station FROM weather GROUP BY station ORDER BY count(*) DESC LIMIT 1) ORDER BY day";
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL))
        return sq_err(q, d, "weather");
    if (station)
        sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    enum vg_err e = VG_OK;
    int64_t last = 0;
    while (e == VG_OK && sqlite3_step(st) == SQLITE_ROW) {
        int64_t day = sqlite3_column_int64(st, 0);
        if (w->ndays == 0)
            w->day0 = day;
        size_t need = (size_t)(day - w->day0) + 1;
        if (need > w->ndays) {
            double **cols[5] = {&w->tmax_c, &w->tmin_c, &w->prcp_mm, &w->snow_mm, &w->wind_ms};
            for (int c = 0; c < 5 && e == VG_OK; c++) {
                double *p = vg_reallocarray(*cols[c], need, sizeof *p);
                if (p == NULL) {
                    e = VG_NOMEM;
                    break;
                }
                for (size_t k = w->ndays; k < need; k++)
                    p[k] = NAN; /* missing days stay missing */
                *cols[c] = p;
            }
            if (e == VG_OK)
                w->ndays = need;
        }
        if (e)
            break;
        size_t k = (size_t)(day - w->day0);
        double *vals[5] = {w->tmax_c, w->tmin_c, w->prcp_mm, w->snow_mm, w->wind_ms};
        for (int c = 0; c < 5; c++)
            vals[c][k] = sqlite3_column_type(st, 1 + c) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1 + c);
        last = day;
    }
    (void)last;
    sqlite3_finalize(st);
    if (e)
        vg_weather_free(w);
    return e;
}

#include "store/sqlite_users.inc"
#include "store/sqlite_review.inc"
#include "store/sqlite_acct.inc"

static const struct vg_store_ops sqlite_ops = {
    "sqlite", sq_close, sq_exec, sq_meta_get, sq_meta_set, sq_categories,
    sq_category_add, sq_dataset, sq_import_begin, sq_import_end,
    sq_incident_put, sq_areas_put, sq_areas_get, sq_incident_area_set,
    sq_events_load, sq_weather_put, sq_weather_load,
    sq_user_put, sq_users_get, sq_user_delete, sq_incidents_list,
    sq_review_add, sq_reviews_get, sq_review_decide, sq_training_get,
    sq_hold_add, sq_holds_get, sq_hold_lift, sq_retention_scan,
    sq_retention_delete, sq_forecast_put, sq_forecasts_get,
};

enum vg_err vg_sqlite_open(const char *path, int create, struct vg_store **out,
                           struct vg_diag *d)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0)
        return vg_fail(d, VG_NOTFOUND, path, 0, 0,
                       "no database here (create it with `vigie import ...`)");
    struct sq *q = vg_calloc(1, sizeof *q);
    if (q == NULL)
        return VG_NOMEM;
    q->base.ops = &sqlite_ops;
    snprintf(q->base.url, sizeof q->base.url, "%s", path);
    enum vg_err e = VG_OK;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
        e = vg_fail(d, VG_DB, path, 0, 0, "cannot open database: %s",
                    q->db ? sqlite3_errmsg(q->db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(q->db, 10000);
    e = sq_exec(&q->base,
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                " PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                " PRAGMA temp_store=MEMORY;", d);
    if (e == VG_OK)
        e = migrate(q, d);
out:
    if (e) {
        sq_close(&q->base);
        return e;
    }
    *out = &q->base;
    return VG_OK;
}
