/*
 * vstore.c — every SQL statement of the video subsystem (SQLite).
 *
 * Invariants: a camera's retention is 1..31 days (CHECK constraint as well as
 * the C check); a segment row exists only for a file that was fsynced and
 * renamed to its final name; a segment is never deleted from the table, only
 * marked deleted_ms (the register keeps what was recorded and destroyed).
 * Statements are prepared per call (the volumes are a few rows per segment
 * per minute).  The file is longer than the usual ~800 lines on purpose:
 * the lead asked for all of the video SQL in one place, to move it into
 * the general store in one piece.  Results are copied into caller storage or vg_malloc'd arrays.
 */
#include "video/vstore.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store.h"
#include "video/vutil.h"

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS video_schema(version INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS video_camera("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,"
    " transport TEXT NOT NULL DEFAULT 'tcp' CHECK(transport IN('tcp','udp')),"
    " lon REAL, lat REAL, area TEXT NOT NULL DEFAULT '',"
    " retention_days INTEGER NOT NULL DEFAULT 30"
    "  CHECK(retention_days BETWEEN 1 AND 31));"
    "CREATE TABLE IF NOT EXISTS video_mask(id INTEGER PRIMARY KEY,"
    " camera_id INTEGER NOT NULL REFERENCES video_camera(id),"
    " polygon TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS video_viewer("
    " camera_id INTEGER NOT NULL REFERENCES video_camera(id),"
    " kind TEXT NOT NULL CHECK(kind IN('role','user')), name TEXT NOT NULL,"
    " UNIQUE(camera_id, kind, name));"
    "CREATE TABLE IF NOT EXISTS video_segment(id INTEGER PRIMARY KEY,"
    " camera_id INTEGER NOT NULL REFERENCES video_camera(id),"
    " path TEXT NOT NULL UNIQUE, start_ms INTEGER NOT NULL,"
    " end_ms INTEGER NOT NULL, frames INTEGER NOT NULL,"
    " bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    " deleted_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS video_segment_cam"
    " ON video_segment(camera_id, start_ms);"
    "CREATE TABLE IF NOT EXISTS video_gap(id INTEGER PRIMARY KEY,"
    " camera_id INTEGER NOT NULL, from_ms INTEGER NOT NULL,"
    " to_ms INTEGER NOT NULL, reason TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS video_alert(id INTEGER PRIMARY KEY,"
    " camera_id INTEGER, at_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    " message TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS video_hold(id INTEGER PRIMARY KEY,"
    " procedure TEXT NOT NULL, from_ms INTEGER NOT NULL,"
    " to_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
    " released_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS video_hold_camera("
    " hold_id INTEGER NOT NULL REFERENCES video_hold(id),"
    " camera_id INTEGER NOT NULL REFERENCES video_camera(id));"
    "CREATE TABLE IF NOT EXISTS video_requisition(id INTEGER PRIMARY KEY,"
    " officer TEXT NOT NULL, service TEXT NOT NULL, procedure TEXT NOT NULL,"
    " reason TEXT NOT NULL, supervisor TEXT NOT NULL,"
    " from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,"
    " created_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS video_requisition_camera("
    " req_id INTEGER NOT NULL REFERENCES video_requisition(id),"
    " camera_id INTEGER NOT NULL REFERENCES video_camera(id));"
    "CREATE TABLE IF NOT EXISTS video_register(id INTEGER PRIMARY KEY,"
    " at_ms INTEGER NOT NULL, action TEXT NOT NULL, camera_id INTEGER,"
    " segment_id INTEGER, detail TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS video_view(id INTEGER PRIMARY KEY,"
    " who TEXT NOT NULL, camera_id INTEGER NOT NULL, from_ms INTEGER NOT NULL,"
    " to_ms INTEGER NOT NULL);"
    "INSERT INTO video_schema(version)"
    " SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM video_schema);";

static enum vg_err db_fail(sqlite3 *db, struct vg_diag *d, const char *what)
{
    return vg_fail(d, VG_DB, "", 0, 0, "%s: %s", what, sqlite3_errmsg(db));
}

static enum vg_err prep(sqlite3 *db, const char *sql, sqlite3_stmt **st,
                        struct vg_diag *d, const char *what)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(db, d, what);
    return VG_OK;
}

/* Step a statement that returns no rows, finalize it. */
static enum vg_err run(sqlite3 *db, sqlite3_stmt *st, struct vg_diag *d,
                       const char *what)
{
    int rc = sqlite3_step(st);
    enum vg_err e = VG_OK;
    if (rc == SQLITE_CONSTRAINT)
        e = vg_fail(d, VG_EXISTS, "", 0, 0, "%s: %s", what, sqlite3_errmsg(db));
    else if (rc != SQLITE_DONE)
        e = db_fail(db, d, what);
    sqlite3_finalize(st);
    return e;
}

/* Prepare `sql`, bind its parameters from the variadic list as `types`
 * says ('i': int64_t, 't': const char *, NULL bound as ""), and run it like
 * run().  Callers pass exactly int64_t for 'i'. */
static enum vg_err exec_bound(sqlite3 *db, struct vg_diag *d, const char *what,
                              const char *sql, const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db, sql, &st, d, what);
    if (e != VG_OK)
        return e;
    va_list ap;
    va_start(ap, types);
    for (int k = 0; types[k]; k++) {
        if (types[k] == 'i') {
            sqlite3_bind_int64(st, k + 1, va_arg(ap, int64_t));
        } else {
            const char *v = va_arg(ap, const char *);
            sqlite3_bind_text(st, k + 1, v ? v : "", -1, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    return run(db, st, d, what);
}

static void text_col(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

enum vg_err vg_video_schema(sqlite3 *db)
{
    return sqlite3_exec(db, schema_sql, NULL, NULL, NULL) == SQLITE_OK ? VG_OK
                                                                      : VG_DB;
}

enum vg_err vg_vstore_open(const char *path, sqlite3 **out, struct vg_diag *d)
{
    sqlite3 *db = NULL;
    enum vg_err e = VG_OK;
    *out = NULL;
    if (vg_store_is_postgres(path)) /* SQLite would take it for a path */
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "the video register is kept in an SQLite file, not in "
                       "PostgreSQL: it needs a file path, not a postgres:// URL");
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        e = vg_fail(d, VG_DB, path, 0, 0, "cannot open database: %s",
                    db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(db, 10000);
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        vg_video_schema(db) != VG_OK) {
        e = vg_fail(d, VG_DB, path, 0, 0, "video schema: %s",
                    sqlite3_errmsg(db));
        goto out;
    }
    *out = db;
    db = NULL;
out:
    sqlite3_close(db);
    return e;
}

void vg_vstore_close(sqlite3 *db)
{
    sqlite3_close(db);
}

enum vg_err vg_vstore_cam_add(sqlite3 *db, struct vg_vcam *cam,
                              struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    if (cam->retention_days < 1 || cam->retention_days > VG_VIDEO_RETENTION_MAX)
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "retention of %d days for camera \"%s\": must be 1..%d "
                       "(the legal maximum is one month)",
                       cam->retention_days, cam->name, VG_VIDEO_RETENTION_MAX);
    if (strcmp(cam->transport, "tcp") != 0 && strcmp(cam->transport, "udp") != 0)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "transport \"%s\": expected tcp or udp", cam->transport);
    enum vg_err e = prep(db,
        "INSERT INTO video_camera(name,url,transport,lon,lat,area,"
        "retention_days) VALUES(?,?,?,?,?,?,?)", &st, d, "add camera");
    if (e != VG_OK)
        return e;
    sqlite3_bind_text(st, 1, cam->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, cam->url, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, cam->transport, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 4, cam->lon);
    sqlite3_bind_double(st, 5, cam->lat);
    sqlite3_bind_text(st, 6, cam->area, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 7, cam->retention_days);
    e = run(db, st, d, "add camera");
    if (e == VG_EXISTS)
        return vg_fail(d, VG_EXISTS, "", 0, 0, "camera \"%s\" already exists",
                       cam->name);
    if (e == VG_OK)
        cam->id = sqlite3_last_insert_rowid(db);
    return e;
}

#define CAM_COLS "id,name,url,transport,lon,lat,area,retention_days"

/* Step a prepared query to its end, reading each row with `read` into a
 * growing vg_malloc'd array of `size`-byte elements (*out NULL when no
 * row); finalizes `st`.  On failure *out is NULL and *n 0. */
static enum vg_err collect_rows(sqlite3 *db, sqlite3_stmt *st, size_t size,
                                void (*read)(sqlite3_stmt *, void *), void **out,
                                size_t *n, struct vg_diag *d, const char *what)
{
    char *v = NULL;
    size_t cnt = 0, cap = 0;
    enum vg_err e = VG_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            char *nv = vg_reallocarray(v, cap, size);
            if (nv == NULL) {
                e = VG_NOMEM;
                goto out;
            }
            v = nv;
        }
        read(st, v + size * cnt++);
    }
    if (rc != SQLITE_DONE)
        e = db_fail(db, d, what);
out:
    sqlite3_finalize(st);
    if (e != VG_OK) {
        vg_free(v);
        v = NULL;
        cnt = 0;
    }
    *out = v;
    *n = cnt;
    return e;
}

static void read_cam(sqlite3_stmt *st, struct vg_vcam *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    text_col(st, 1, c->name, sizeof c->name);
    text_col(st, 2, c->url, sizeof c->url);
    text_col(st, 3, c->transport, sizeof c->transport);
    c->lon = sqlite3_column_double(st, 4);
    c->lat = sqlite3_column_double(st, 5);
    text_col(st, 6, c->area, sizeof c->area);
    c->retention_days = sqlite3_column_int(st, 7);
}

enum vg_err vg_vstore_cam_get(sqlite3 *db, const char *name,
                              struct vg_vcam *out, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db, "SELECT " CAM_COLS " FROM video_camera WHERE name=?",
                         &st, d, "find camera");
    if (e != VG_OK)
        return e;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_cam(st, out);
    else if (rc == SQLITE_DONE)
        e = vg_fail(d, VG_NOTFOUND, "", 0, 0, "no camera named \"%s\"", name);
    else
        e = db_fail(db, d, "find camera");
    sqlite3_finalize(st);
    return e;
}

static void read_cam_row(sqlite3_stmt *st, void *c)
{
    read_cam(st, c);
}

enum vg_err vg_vstore_cam_list(sqlite3 *db, struct vg_vcam **out, size_t *n,
                               struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    void *v = NULL;
    *out = NULL;
    *n = 0;
    enum vg_err e = prep(db, "SELECT " CAM_COLS " FROM video_camera ORDER BY name",
                         &st, d, "list cameras");
    if (e == VG_OK)
        e = collect_rows(db, st, sizeof **out, read_cam_row, &v, n, d, "list cameras");
    *out = v;
    return e;
}

enum vg_err vg_vstore_cam_set_retention(sqlite3 *db, int64_t cam_id, int days,
                                        struct vg_diag *d)
{
    if (days < 1 || days > VG_VIDEO_RETENTION_MAX)
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "retention of %d days: must be 1..%d (legal maximum "
                       "one month)", days, VG_VIDEO_RETENTION_MAX);
    return exec_bound(db, d, "set retention",
                      "UPDATE video_camera SET retention_days=? WHERE id=?", "ii",
                      (int64_t)days, cam_id);
}

enum vg_err vg_vstore_mask_add(sqlite3 *db, int64_t cam_id,
                               const struct vg_poly *p, struct vg_diag *d)
{
    char txt[VG_MASK_MAX_PTS * 14];
    size_t have = 0;
    struct vg_poly tmp[VG_MASK_MAX_POLYS];
    enum vg_err e = vg_vstore_masks(db, cam_id, tmp, &have, d);
    if (e != VG_OK)
        return e;
    if (have >= VG_MASK_MAX_POLYS)
        return vg_fail(d, VG_LIMIT, "", 0, 0,
                       "camera already has %d masks (the maximum)",
                       VG_MASK_MAX_POLYS);
    vg_mask_format(p, txt, sizeof txt);
    return exec_bound(db, d, "add mask", "INSERT INTO video_mask(camera_id,polygon) VALUES(?,?)",
                      "it", cam_id, txt);
}

enum vg_err vg_vstore_mask_clear(sqlite3 *db, int64_t cam_id,
                                 struct vg_diag *d)
{
    return exec_bound(db, d, "clear masks", "DELETE FROM video_mask WHERE camera_id=?", "i",
                      cam_id);
}

enum vg_err vg_vstore_masks(sqlite3 *db, int64_t cam_id, struct vg_poly *out,
                            size_t *n, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    *n = 0;
    enum vg_err e = prep(db,
        "SELECT polygon FROM video_mask WHERE camera_id=? ORDER BY id", &st, d,
        "read masks");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, cam_id);
    int rc;
    while (e == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == VG_MASK_MAX_POLYS) {
            e = vg_fail(d, VG_LIMIT, "", 0, 0, "more than %d masks",
                        VG_MASK_MAX_POLYS);
            break;
        }
        const char *t = (const char *)sqlite3_column_text(st, 0);
        e = vg_mask_parse(t ? t : "", &out[*n], d);
        if (e == VG_OK)
            (*n)++;
    }
    if (e == VG_OK && rc != SQLITE_DONE)
        e = db_fail(db, d, "read masks");
    sqlite3_finalize(st);
    return e;
}

enum vg_err vg_vstore_viewer_add(sqlite3 *db, int64_t cam_id, const char *kind,
                                 const char *name, struct vg_diag *d)
{
    if (strcmp(kind, "role") != 0 && strcmp(kind, "user") != 0)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "viewer \"%s:%s\": expected role:NAME or user:NAME",
                       kind, name);
    return exec_bound(db, d, "add viewer",
                      "INSERT OR IGNORE INTO video_viewer(camera_id,kind,name) VALUES(?,?,?)",
                      "itt", cam_id, kind, name);
}

enum vg_err vg_vstore_viewer_remove(sqlite3 *db, int64_t cam_id,
                                    const char *kind, const char *name,
                                    struct vg_diag *d)
{
    enum vg_err e = exec_bound(db, d, "remove viewer",
                               "DELETE FROM video_viewer WHERE camera_id=? AND kind=? AND name=?",
                               "itt", cam_id, kind, name);
    if (e == VG_OK && sqlite3_changes(db) == 0)
        e = vg_fail(d, VG_NOTFOUND, "", 0, 0,
                    "%s \"%s\" was not allowed on this camera", kind, name);
    return e;
}

enum vg_err vg_vstore_may_view(sqlite3 *db, const char *camera,
                               const char *user, const char *role,
                               struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    struct vg_vcam c;
    enum vg_err e = vg_vstore_cam_get(db, camera, &c, d);
    if (e != VG_OK)
        return e;
    if ((e = prep(db,
             "SELECT count(*) FROM video_viewer WHERE camera_id=? AND"
             " ((kind='user' AND name=?) OR (kind='role' AND name=?))",
             &st, d, "check viewer")) != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, c.id);
    sqlite3_bind_text(st, 2, user ? user : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, role ? role : "", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW)
        e = db_fail(db, d, "check viewer");
    else if (sqlite3_column_int(st, 0) == 0)
        e = vg_fail(d, VG_FORBIDDEN, "", 0, 0,
                    "user \"%s\" (role \"%s\") may not view camera \"%s\"",
                    user ? user : "", role ? role : "", camera);
    sqlite3_finalize(st);
    return e;
}

enum vg_err vg_vstore_viewers(sqlite3 *db, int64_t cam_id, char *out,
                              size_t cap, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    size_t off = 0;
    out[0] = '\0';
    enum vg_err e = prep(db,
        "SELECT kind||':'||name FROM video_viewer WHERE camera_id=?"
        " ORDER BY kind,name", &st, d, "list viewers");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, cam_id);
    while (sqlite3_step(st) == SQLITE_ROW && off < cap) {
        int w = snprintf(out + off, cap - off, "%s%s", off ? "," : "",
                         (const char *)sqlite3_column_text(st, 0));
        off += w > 0 ? (size_t)w : 0;
    }
    sqlite3_finalize(st);
    return VG_OK;
}

enum vg_err vg_vstore_seg_add(sqlite3 *db, struct vg_vseg *s,
                              struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db,
        "INSERT INTO video_segment(camera_id,path,start_ms,end_ms,frames,"
        "bytes,sha256) VALUES(?,?,?,?,?,?,?)", &st, d, "add segment");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, s->cam_id);
    sqlite3_bind_text(st, 2, s->path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, s->start_ms);
    sqlite3_bind_int64(st, 4, s->end_ms);
    sqlite3_bind_int64(st, 5, s->frames);
    sqlite3_bind_int64(st, 6, s->bytes);
    sqlite3_bind_text(st, 7, s->sha256, -1, SQLITE_TRANSIENT);
    if ((e = run(db, st, d, "add segment")) != VG_OK)
        return e;
    s->id = sqlite3_last_insert_rowid(db);
    char detail[128];
    char a[32], b[32];
    vg_vutil_fmt_time(s->start_ms, a, sizeof a);
    vg_vutil_fmt_time(s->end_ms, b, sizeof b);
    snprintf(detail, sizeof detail, "%s..%s %lld frames", a, b,
             (long long)s->frames);
    return vg_vstore_reg_add(db, vg_vutil_now_ms(), "recorded", s->cam_id,
                             s->id, detail, d);
}

#define SEG_COLS                                                             \
    "s.id,s.camera_id,c.name,s.path,s.start_ms,s.end_ms,s.frames,s.bytes,"   \
    "s.deleted_ms,s.sha256"

static void read_seg(sqlite3_stmt *st, struct vg_vseg *s)
{
    memset(s, 0, sizeof *s);
    s->id = sqlite3_column_int64(st, 0);
    s->cam_id = sqlite3_column_int64(st, 1);
    text_col(st, 2, s->camera, sizeof s->camera);
    text_col(st, 3, s->path, sizeof s->path);
    s->start_ms = sqlite3_column_int64(st, 4);
    s->end_ms = sqlite3_column_int64(st, 5);
    s->frames = sqlite3_column_int64(st, 6);
    s->bytes = sqlite3_column_int64(st, 7);
    s->deleted_ms = sqlite3_column_int64(st, 8);
    text_col(st, 9, s->sha256, sizeof s->sha256);
}

static void read_seg_row(sqlite3_stmt *st, void *sg)
{
    read_seg(st, sg);
}

/* Collect the rows of a prepared segment query into a vg_malloc'd array. */
static enum vg_err collect_segs(sqlite3 *db, sqlite3_stmt *st,
                                struct vg_vseg **out, size_t *n,
                                struct vg_diag *d)
{
    void *v = NULL;
    enum vg_err e = collect_rows(db, st, sizeof **out, read_seg_row, &v, n, d,
                                 "list segments");
    *out = v;
    return e;
}

enum vg_err vg_vstore_seg_list(sqlite3 *db, const char *camera,
                               int64_t from_ms, int64_t to_ms,
                               int with_deleted, struct vg_vseg **out,
                               size_t *n, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db,
        "SELECT " SEG_COLS " FROM video_segment s JOIN video_camera c"
        " ON c.id=s.camera_id WHERE (?1 IS NULL OR c.name=?1)"
        " AND s.start_ms < ?3 AND s.end_ms > ?2 AND (?4 OR s.deleted_ms=0)"
        " ORDER BY c.name, s.start_ms", &st, d, "list segments");
    if (e != VG_OK)
        return e;
    if (camera)
        sqlite3_bind_text(st, 1, camera, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    sqlite3_bind_int(st, 4, with_deleted != 0);
    return collect_segs(db, st, out, n, d);
}

#define HELD_BY                                                              \
    "EXISTS (SELECT 1 FROM video_hold h JOIN video_hold_camera hc"          \
    " ON hc.hold_id=h.id WHERE hc.camera_id=s.camera_id AND"                \
    " h.released_ms=0 AND h.from_ms < s.end_ms AND h.to_ms > s.start_ms)"
#define EXPIRED                                                              \
    "s.deleted_ms=0 AND s.end_ms <= ?1 - c.retention_days*86400000"

enum vg_err vg_vstore_seg_expired(sqlite3 *db, int64_t now_ms,
                                  struct vg_vseg **out, size_t *n,
                                  size_t *held, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    enum vg_err e = prep(db,
        "SELECT count(*) FROM video_segment s JOIN video_camera c"
        " ON c.id=s.camera_id WHERE " EXPIRED " AND " HELD_BY, &st, d,
        "count held segments");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, now_ms);
    *held = sqlite3_step(st) == SQLITE_ROW
                ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if ((e = prep(db,
             "SELECT " SEG_COLS " FROM video_segment s JOIN video_camera c"
             " ON c.id=s.camera_id WHERE " EXPIRED " AND NOT " HELD_BY
             " ORDER BY s.start_ms", &st, d, "expired segments")) != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, now_ms);
    return collect_segs(db, st, out, n, d);
}

enum vg_err vg_vstore_seg_destroyed(sqlite3 *db, const struct vg_vseg *s,
                                    int64_t now_ms, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db, "UPDATE video_segment SET deleted_ms=? WHERE id=?",
                         &st, d, "mark segment deleted");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, s->id);
    if ((e = run(db, st, d, "mark segment deleted")) != VG_OK)
        return e;
    char detail[160], a[32], b[32];
    vg_vutil_fmt_time(s->start_ms, a, sizeof a);
    vg_vutil_fmt_time(s->end_ms, b, sizeof b);
    snprintf(detail, sizeof detail, "%s..%s retention expired sha256=%.16s",
             a, b, s->sha256);
    return vg_vstore_reg_add(db, now_ms, "destroyed", s->cam_id, s->id, detail,
                             d);
}

enum vg_err vg_vstore_gap_add(sqlite3 *db, int64_t cam_id, int64_t from_ms,
                              int64_t to_ms, const char *reason,
                              struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db,
        "INSERT INTO video_gap(camera_id,from_ms,to_ms,reason) VALUES(?,?,?,?)",
        &st, d, "record gap");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, cam_id);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
    enum vg_err e2 = run(db, st, d, "record gap");
    if (e2 != VG_OK)
        return e2;
    char detail[480], a[32], b[32];
    vg_vutil_fmt_time(from_ms, a, sizeof a);
    vg_vutil_fmt_time(to_ms, b, sizeof b);
    snprintf(detail, sizeof detail, "no recording %s..%s: %.400s", a, b,
             reason);
    return vg_vstore_reg_add(db, to_ms, "gap", cam_id, 0, detail, d);
}

enum vg_err vg_vstore_alert_add(sqlite3 *db, int64_t cam_id, int64_t at_ms,
                                const char *kind, const char *msg,
                                struct vg_diag *d)
{
    enum vg_err e = exec_bound(db, d, "record alert",
                               "INSERT INTO video_alert(camera_id,at_ms,kind,message) VALUES(?,?,?,?)",
                               "iitt", cam_id, at_ms, kind, msg);
    if (e != VG_OK)
        return e;
    char detail[600];
    snprintf(detail, sizeof detail, "%s: %.500s", kind, msg);
    return vg_vstore_reg_add(db, at_ms, "alert", cam_id, 0, detail, d);
}

/* Link cameras (by name) to a hold or requisition: table has (id, camera). */
static enum vg_err link_cams(sqlite3 *db, const char *sql, int64_t id,
                             const char *const *cams, size_t ncams,
                             struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    for (size_t i = 0; i < ncams && e == VG_OK; i++) {
        struct vg_vcam c;
        sqlite3_stmt *st = NULL;
        if ((e = vg_vstore_cam_get(db, cams[i], &c, d)) != VG_OK)
            break;
        if ((e = prep(db, sql, &st, d, "link camera")) != VG_OK)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, c.id);
        e = run(db, st, d, "link camera");
    }
    return e;
}

static enum vg_err tx(sqlite3 *db, const char *sql, struct vg_diag *d)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, d, sql);
    return VG_OK;
}

enum vg_err vg_vstore_hold_add(sqlite3 *db, const char *procedure,
                               const char *const *cams, size_t ncams,
                               int64_t from_ms, int64_t to_ms, int64_t now_ms,
                               int64_t *id, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    if (ncams == 0 || to_ms <= from_ms)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "a hold needs at least one camera and from < to");
    enum vg_err e = tx(db, "BEGIN IMMEDIATE", d);
    if (e != VG_OK)
        return e;
    if ((e = prep(db,
             "INSERT INTO video_hold(procedure,from_ms,to_ms,created_ms)"
             " VALUES(?,?,?,?)", &st, d, "add hold")) != VG_OK)
        goto out;
    sqlite3_bind_text(st, 1, procedure, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    sqlite3_bind_int64(st, 4, now_ms);
    if ((e = run(db, st, d, "add hold")) != VG_OK)
        goto out;
    *id = sqlite3_last_insert_rowid(db);
    e = link_cams(db, "INSERT INTO video_hold_camera(hold_id,camera_id)"
                      " VALUES(?,?)", *id, cams, ncams, d);
    if (e == VG_OK) {
        char detail[128];
        snprintf(detail, sizeof detail, "hold %lld procedure %s",
                 (long long)*id, procedure);
        e = vg_vstore_reg_add(db, now_ms, "hold", 0, 0, detail, d);
    }
out:
    if (e == VG_OK)
        return tx(db, "COMMIT", d);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

enum vg_err vg_vstore_hold_release(sqlite3 *db, int64_t id, int64_t now_ms,
                                   struct vg_diag *d)
{
    enum vg_err e = exec_bound(db, d, "release hold",
                               "UPDATE video_hold SET released_ms=? WHERE id=? AND released_ms=0",
                               "ii", now_ms, id);
    if (e != VG_OK)
        return e;
    if (sqlite3_changes(db) == 0)
        return vg_fail(d, VG_NOTFOUND, "", 0, 0, "no active hold %lld",
                       (long long)id);
    char detail[64];
    snprintf(detail, sizeof detail, "hold %lld released", (long long)id);
    return vg_vstore_reg_add(db, now_ms, "release", 0, 0, detail, d);
}

enum vg_err vg_vstore_req_add(sqlite3 *db, struct vg_vreq *r,
                              struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    const char *names[VG_VIDEO_MAX_CAMS];
    if (r->ncams == 0 || r->to_ms <= r->from_ms || !r->officer[0] ||
        !r->service[0] || !r->procedure[0] || !r->reason[0] ||
        !r->supervisor[0])
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "a requisition needs officer, service, procedure, "
                       "reason, supervisor, at least one camera and from < to");
    enum vg_err e = tx(db, "BEGIN IMMEDIATE", d);
    if (e != VG_OK)
        return e;
    if ((e = prep(db,
             "INSERT INTO video_requisition(officer,service,procedure,reason,"
             "supervisor,from_ms,to_ms,created_ms) VALUES(?,?,?,?,?,?,?,?)",
             &st, d, "add requisition")) != VG_OK)
        goto out;
    sqlite3_bind_text(st, 1, r->officer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->procedure, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->supervisor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, r->from_ms);
    sqlite3_bind_int64(st, 7, r->to_ms);
    sqlite3_bind_int64(st, 8, r->created_ms);
    if ((e = run(db, st, d, "add requisition")) != VG_OK)
        goto out;
    r->id = sqlite3_last_insert_rowid(db);
    for (size_t i = 0; i < r->ncams; i++)
        names[i] = r->cams[i];
    e = link_cams(db, "INSERT INTO video_requisition_camera(req_id,camera_id)"
                      " VALUES(?,?)", r->id, names, r->ncams, d);
out:
    if (e == VG_OK)
        return tx(db, "COMMIT", d);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

enum vg_err vg_vstore_req_get(sqlite3 *db, int64_t id, struct vg_vreq *out,
                              struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    enum vg_err e = prep(db,
        "SELECT id,officer,service,procedure,reason,supervisor,from_ms,to_ms,"
        "created_ms FROM video_requisition WHERE id=?", &st, d,
        "read requisition");
    if (e != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return vg_fail(d, VG_NOTFOUND, "", 0, 0, "no requisition %lld",
                       (long long)id);
    }
    out->id = sqlite3_column_int64(st, 0);
    text_col(st, 1, out->officer, sizeof out->officer);
    text_col(st, 2, out->service, sizeof out->service);
    text_col(st, 3, out->procedure, sizeof out->procedure);
    text_col(st, 4, out->reason, sizeof out->reason);
    text_col(st, 5, out->supervisor, sizeof out->supervisor);
    out->from_ms = sqlite3_column_int64(st, 6);
    out->to_ms = sqlite3_column_int64(st, 7);
    out->created_ms = sqlite3_column_int64(st, 8);
    sqlite3_finalize(st);
    if ((e = prep(db,
             "SELECT c.name FROM video_requisition_camera r JOIN video_camera c"
             " ON c.id=r.camera_id WHERE r.req_id=? ORDER BY c.name", &st, d,
             "read requisition cameras")) != VG_OK)
        return e;
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW && out->ncams < VG_VIDEO_MAX_CAMS)
        text_col(st, 0, out->cams[out->ncams++], sizeof out->cams[0]);
    sqlite3_finalize(st);
    return VG_OK;
}

enum vg_err vg_vstore_reg_add(sqlite3 *db, int64_t at_ms, const char *action,
                              int64_t cam_id, int64_t seg_id,
                              const char *detail, struct vg_diag *d)
{
    return exec_bound(db, d, "write register",
                      "INSERT INTO video_register(at_ms,action,camera_id,segment_id,detail)"
                      " VALUES(?,?,NULLIF(?,0),NULLIF(?,0),?)", "itiit",
                      at_ms, action, cam_id, seg_id, detail);
}

enum vg_err vg_vstore_reg_each(sqlite3 *db, const char *camera,
                               int64_t from_ms, int64_t to_ms,
                               vg_vstore_reg_fn fn, void *ctx,
                               struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum vg_err e = prep(db,
        "SELECT r.at_ms,r.action,coalesce(c.name,''),coalesce(r.segment_id,0),"
        "r.detail FROM video_register r LEFT JOIN video_camera c"
        " ON c.id=r.camera_id WHERE (?1 IS NULL OR c.name=?1)"
        " AND r.at_ms >= ?2 AND r.at_ms < ?3 ORDER BY r.id", &st, d,
        "read register");
    if (e != VG_OK)
        return e;
    if (camera)
        sqlite3_bind_text(st, 1, camera, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, sqlite3_column_int64(st, 0),
           (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2),
           sqlite3_column_int64(st, 3),
           (const char *)sqlite3_column_text(st, 4));
    if (rc != SQLITE_DONE)
        e = db_fail(db, d, "read register");
    sqlite3_finalize(st);
    return e;
}

enum vg_err vg_vstore_view_log(sqlite3 *db, const char *who,
                               const char *camera, int64_t from_ms,
                               int64_t to_ms, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    struct vg_vcam c;
    enum vg_err e = vg_vstore_cam_get(db, camera, &c, d);
    if (e != VG_OK)
        return e;
    if ((e = prep(db,
             "INSERT INTO video_view(who,camera_id,from_ms,to_ms)"
             " VALUES(?,?,?,?)", &st, d, "log view")) != VG_OK)
        return e;
    sqlite3_bind_text(st, 1, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, c.id);
    sqlite3_bind_int64(st, 3, from_ms);
    sqlite3_bind_int64(st, 4, to_ms);
    if ((e = run(db, st, d, "log view")) != VG_OK)
        return e;
    char detail[160], a[32], b[32];
    vg_vutil_fmt_time(from_ms, a, sizeof a);
    vg_vutil_fmt_time(to_ms, b, sizeof b);
    snprintf(detail, sizeof detail, "%s viewed %s..%s", who, a, b);
    return vg_vstore_reg_add(db, to_ms, "viewed", c.id, 0, detail, d);
}

enum vg_err vg_vstore_count(sqlite3 *db, const char *what, const char *camera,
                            int64_t *n, struct vg_diag *d)
{
    sqlite3_stmt *st = NULL;
    const char *sql =
        strcmp(what, "gap") == 0 ? "SELECT count(*) FROM video_gap t JOIN"
            " video_camera c ON c.id=t.camera_id WHERE ?1 IS NULL OR c.name=?1"
        : strcmp(what, "alert") == 0 ? "SELECT count(*) FROM video_alert t"
            " LEFT JOIN video_camera c ON c.id=t.camera_id"
            " WHERE ?1 IS NULL OR c.name=?1"
        : strcmp(what, "view") == 0 ? "SELECT count(*) FROM video_view t JOIN"
            " video_camera c ON c.id=t.camera_id WHERE ?1 IS NULL OR c.name=?1"
        : NULL;
    if (sql == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "cannot count \"%s\"", what);
    enum vg_err e = prep(db, sql, &st, d, "count");
    if (e != VG_OK)
        return e;
    if (camera)
        sqlite3_bind_text(st, 1, camera, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        e = db_fail(db, d, "count");
    sqlite3_finalize(st);
    return e;
}
