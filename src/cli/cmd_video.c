/*
 * cmd_video.c — `vigie video ...`: camera registry, recorder, retention,
 * legal holds, requisition exports and their verification, the register.
 * Each handler parses its options, opens the store (--db), calls the
 * video modules and prints plain text.  No state between handlers.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/commands.h"
#include "server/auth.h"
#include "store/store.h"
#include "video/mask.h"
#include "video/vexport.h"
#include "video/vlive.h"
#include "video/vrec.h"
#include "video/vretain.h"
#include "video/vstore.h"
#include "video/vutil.h"

/* The video register is an SQLite file even when the crime store is
 * PostgreSQL (docs/store.md): a postgres:// URL is refused here, before
 * anything is opened, and not echoed (it may hold a password). */
static enum vg_err open_db(const struct vg_args *a, sqlite3 **db,
                           struct vg_diag *d)
{
    const char *path = vg_args_need(a, "db", d);
    if (path == NULL)
        return VG_USAGE;
    if (vg_store_is_postgres(path))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--db is a PostgreSQL URL, but the video register "
                       "(cameras, masks, segments, holds, requisitions, "
                       "viewings) is kept in an SQLite file on the recording "
                       "server: give --db a file path, e.g. --db "
                       "/var/lib/vigie/video.db (the crime store may stay on "
                       "PostgreSQL; docs/store.md)");
    return vg_vstore_open(path, db, d);
}

/* --now for tests (injectable clock), else the wall clock. */
static enum vg_err now_of(const struct vg_args *a, int64_t *now,
                          struct vg_diag *d)
{
    const char *s = vg_args_get(a, "now", NULL);
    if (s == NULL) {
        *now = vg_vutil_now_ms();
        return VG_OK;
    }
    return vg_vutil_parse_time(s, "--now", now, d);
}

static enum vg_err time_opt(const struct vg_args *a, const char *name,
                            int64_t *out, struct vg_diag *d)
{
    const char *s = vg_args_need(a, name, d);
    if (s == NULL)
        return VG_USAGE;
    return vg_vutil_parse_time(s, name, out, d);
}

static void copy_opt(const struct vg_args *a, const char *name, char *out,
                     size_t cap, const char *def)
{
    snprintf(out, cap, "%s", vg_args_get(a, name, def));
}

static enum vg_err camera_add(const struct vg_args *a, sqlite3 *db,
                              struct vg_diag *d)
{
    struct vg_vcam c;
    long ret;
    const char *viewers[VG_ARGS_MAX];
    memset(&c, 0, sizeof c);
    const char *name = vg_args_need(a, "name", d);
    const char *url = name ? vg_args_need(a, "url", d) : NULL;
    if (url == NULL)
        return VG_USAGE;
    if (!vg_vutil_safe_name(name))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "camera name \"%s\": use letters, digits, _ . - "
                       "(at most 63)", name);
    copy_opt(a, "name", c.name, sizeof c.name, "");
    copy_opt(a, "url", c.url, sizeof c.url, "");
    copy_opt(a, "transport", c.transport, sizeof c.transport, "tcp");
    copy_opt(a, "area", c.area, sizeof c.area, "");
    enum vg_err e = vg_args_double(a, "lon", 0, &c.lon, d);
    if (e == VG_OK)
        e = vg_args_double(a, "lat", 0, &c.lat, d);
    if (e == VG_OK)
        e = vg_args_long(a, "retention", VG_VIDEO_RETENTION_DEF, &ret, d);
    if (e != VG_OK)
        return e;
    if (c.lon < -180 || c.lon > 180 || c.lat < -90 || c.lat > 90)
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "position %g,%g: expected lon -180..180, lat -90..90",
                       c.lon, c.lat);
    c.retention_days = ret > 1000 || ret < -1000 ? 1000 : (int)ret;
    if ((e = vg_vstore_cam_add(db, &c, d)) != VG_OK)
        return e;
    size_t nv = vg_args_all(a, "viewer", viewers, VG_ARGS_MAX);
    for (size_t i = 0; i < nv && e == VG_OK; i++) {
        char kind[16];
        const char *colon = strchr(viewers[i], ':');
        if (colon == NULL || colon - viewers[i] >= (long)sizeof kind)
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "--viewer \"%s\": expected role:NAME or user:NAME",
                           viewers[i]);
        snprintf(kind, sizeof kind, "%.*s", (int)(colon - viewers[i]),
                 viewers[i]);
        e = vg_vstore_viewer_add(db, c.id, kind, colon + 1, d);
    }
    if (e == VG_OK)
        printf("camera %s added (id %lld, retention %d days)\n", c.name,
               (long long)c.id, c.retention_days);
    return e;
}

static enum vg_err camera_list(sqlite3 *db, struct vg_diag *d)
{
    struct vg_vcam *v = NULL;
    size_t n = 0;
    enum vg_err e = vg_vstore_cam_list(db, &v, &n, d);
    if (e != VG_OK)
        return e;
    printf("%-16s %-4s %-10s %-10s %-12s %4s %5s  %s\n", "name", "tr", "lon",
           "lat", "area", "days", "masks", "url / viewers");
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        struct vg_poly polys[VG_MASK_MAX_POLYS];
        size_t np = 0;
        char viewers[512];
        e = vg_vstore_masks(db, v[i].id, polys, &np, d);
        if (e == VG_OK)
            e = vg_vstore_viewers(db, v[i].id, viewers, sizeof viewers, d);
        if (e == VG_OK)
            printf("%-16s %-4s %-10.6f %-10.6f %-12s %4d %5zu  %s  [%s]\n",
                   v[i].name, v[i].transport, v[i].lon, v[i].lat, v[i].area,
                   v[i].retention_days, np, v[i].url, viewers);
    }
    vg_free(v);
    return e;
}

static enum vg_err camera_mask(const struct vg_args *a, sqlite3 *db,
                               struct vg_diag *d)
{
    struct vg_vcam c;
    const char *polys[VG_ARGS_MAX];
    const char *name = vg_args_need(a, "name", d);
    if (name == NULL)
        return VG_USAGE;
    enum vg_err e = vg_vstore_cam_get(db, name, &c, d);
    if (e == VG_OK && vg_args_has(a, "clear"))
        e = vg_vstore_mask_clear(db, c.id, d);
    size_t np = vg_args_all(a, "polygon", polys, VG_ARGS_MAX);
    for (size_t i = 0; i < np && e == VG_OK; i++) {
        struct vg_poly p;
        if ((e = vg_mask_parse(polys[i], &p, d)) == VG_OK)
            e = vg_vstore_mask_add(db, c.id, &p, d);
    }
    if (e == VG_OK) {
        struct vg_poly all[VG_MASK_MAX_POLYS];
        size_t n = 0;
        e = vg_vstore_masks(db, c.id, all, &n, d);
        for (size_t i = 0; i < n && e == VG_OK; i++) {
            char txt[VG_MASK_MAX_PTS * 14];
            vg_mask_format(&all[i], txt, sizeof txt);
            printf("mask %zu: %s\n", i + 1, txt);
        }
    }
    return e;
}

/* camera set: change retention and/or add viewers of an existing camera. */
static enum vg_err camera_set(const struct vg_args *a, sqlite3 *db,
                              struct vg_diag *d)
{
    struct vg_vcam c;
    const char *viewers[VG_ARGS_MAX];
    long ret;
    const char *name = vg_args_need(a, "name", d);
    if (name == NULL)
        return VG_USAGE;
    enum vg_err e = vg_vstore_cam_get(db, name, &c, d);
    if (e == VG_OK && vg_args_has(a, "retention") &&
        (e = vg_args_long(a, "retention", 0, &ret, d)) == VG_OK)
        e = vg_vstore_cam_set_retention(db, c.id,
                                        ret > 1000 || ret < 0 ? 1000 : (int)ret,
                                        d);
    size_t nv = vg_args_all(a, "viewer", viewers, VG_ARGS_MAX);
    for (size_t i = 0; i < nv && e == VG_OK; i++) {
        const char *colon = strchr(viewers[i], ':');
        char kind[16];
        if (colon == NULL || colon - viewers[i] >= (long)sizeof kind)
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "--viewer \"%s\": expected role:NAME or user:NAME",
                           viewers[i]);
        snprintf(kind, sizeof kind, "%.*s", (int)(colon - viewers[i]),
                 viewers[i]);
        e = vg_vstore_viewer_add(db, c.id, kind, colon + 1, d);
    }
    if (e == VG_OK)
        printf("camera %s updated\n", name);
    return e;
}

/* camera allow|deny CAM --user U | --role R: grant or withdraw the right to
 * view a camera live (the web server's camera wall checks it).  Role names
 * are the server's (operator, supervisor, ...), so a typo cannot create a
 * right nobody holds. */
static enum vg_err camera_right(const struct vg_args *a, int allow,
                                sqlite3 *db, struct vg_diag *d)
{
    struct vg_vcam c;
    const char *name = a->npos == 2 ? a->pos[1] : vg_args_get(a, "name", NULL);
    const char *user = vg_args_get(a, "user", NULL);
    const char *role = vg_args_get(a, "role", NULL);
    if (name == NULL || (user == NULL) == (role == NULL))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "expected camera %s CAMERA --user NAME | --role ROLE",
                       allow ? "allow" : "deny");
    if (role && vg_auth_role_parse(role) == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--role \"%s\": expected operator, analyst, supervisor,"
                       " auditor or admin", role);
    if (user && !vg_auth_name_ok(user))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--user \"%s\": not a valid user name", user);
    enum vg_err e = vg_vstore_cam_get(db, name, &c, d);
    const char *kind = user ? "user" : "role", *who = user ? user : role;
    if (e == VG_OK)
        e = allow ? vg_vstore_viewer_add(db, c.id, kind, who, d)
                  : vg_vstore_viewer_remove(db, c.id, kind, who, d);
    if (e == VG_OK)
        printf("camera %s: %s %s %s\n", name, kind, who,
               allow ? "may view" : "may no longer view");
    return e;
}

enum vg_err vg_cmd_video_camera(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"clear", NULL};
    static const char *const known[] = {"db", "name", "url", "transport",
        "lon", "lat", "area", "retention", "viewer", "polygon", "clear",
        "user", "role", NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK && (a.npos < 1 || a.npos > 2 ||
                       (a.npos == 2 && strcmp(a.pos[0], "allow") &&
                        strcmp(a.pos[0], "deny"))))
        e = vg_fail(d, VG_USAGE, "", 0, 0,
                    "expected add, list, mask, set, allow CAMERA or deny "
                    "CAMERA");
    if (e == VG_OK)
        e = open_db(&a, &db, d);
    if (e != VG_OK)
        goto out;
    if (strcmp(a.pos[0], "add") == 0)
        e = camera_add(&a, db, d);
    else if (strcmp(a.pos[0], "list") == 0)
        e = camera_list(db, d);
    else if (strcmp(a.pos[0], "mask") == 0)
        e = camera_mask(&a, db, d);
    else if (strcmp(a.pos[0], "set") == 0)
        e = camera_set(&a, db, d);
    else if (!strcmp(a.pos[0], "allow") || !strcmp(a.pos[0], "deny"))
        e = camera_right(&a, a.pos[0][0] == 'a', db, d);
    else
        e = vg_fail(d, VG_USAGE, "", 0, 0,
                    "\"%s\": expected add, list, mask, set, allow or deny",
                    a.pos[0]);
out:
    vg_vstore_close(db);
    return e;
}

static void on_signal(int sig)
{
    (void)sig;
    vg_vrec_request_stop();
}

enum vg_err vg_cmd_video_record(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"quiet", NULL};
    static const char *const known[] = {"db", "camera", "segment", "dir",
        "duration", "live-dir", "live-every", "preset", "crf", "threads",
        "backoff-max", "timeout", "min-free-mb", "quiet", NULL};
    struct vg_args a;
    struct vg_vrec_opts o;
    struct vg_vcam cam;
    sqlite3 *db = NULL;
    long seg, every, crf, threads;
    vg_vrec_defaults(&o);
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "segment", o.segment_s, &seg, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "live-every", o.live_every, &every, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "crf", o.enc.crf, &crf, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "threads", 0, &threads, d);
    if (e == VG_OK)
        e = vg_args_double(&a, "duration", 0, &o.duration_s, d);
    if (e == VG_OK)
        e = vg_args_double(&a, "backoff-max", o.backoff_max_s,
                           &o.backoff_max_s, d);
    if (e == VG_OK)
        e = vg_args_double(&a, "timeout", o.io_timeout_s, &o.io_timeout_s, d);
    if (e == VG_OK)
        e = vg_args_double(&a, "min-free-mb", o.min_free_mb, &o.min_free_mb,
                           d);
    if (e != VG_OK)
        goto out;
    if (seg < 1 || seg > 3600 || every < 0 || crf < 0 || crf > 51 ||
        threads < 0 || threads > 16) {
        e = vg_fail(d, VG_RANGE, "", 0, 0,
                    "--segment 1..3600, --live-every >= 0, --crf 0..51, "
                    "--threads 0..16");
        goto out;
    }
    o.segment_s = (int)seg;
    o.live_every = (int)every;
    o.enc.crf = (int)crf;
    o.enc.threads = (int)threads;
    o.enc.preset = vg_args_get(&a, "preset", o.enc.preset);
    o.dir = vg_args_get(&a, "dir", o.dir);
    o.live_dir = vg_args_get(&a, "live-dir", NULL);
    o.quiet = vg_args_has(&a, "quiet");
    const char *name = vg_args_need(&a, "camera", d);
    if (name == NULL || (e = open_db(&a, &db, d)) != VG_OK ||
        (e = vg_vstore_cam_get(db, name, &cam, d)) != VG_OK) {
        e = e == VG_OK ? VG_USAGE : e;
        goto out;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit is a write error, not death */
    e = vg_vrec_run(db, &cam, &o, d);
out:
    vg_vstore_close(db);
    return e;
}

/* Parse, check options, open the store: the common start of a handler. */
static enum vg_err start(struct vg_args *a, int argc, char **argv,
                         const char *const *flags, const char *const *known,
                         sqlite3 **db, struct vg_diag *d)
{
    enum vg_err e = vg_args_parse(a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(a, known, d);
    if (e == VG_OK && db)
        e = open_db(a, db, d);
    return e;
}

enum vg_err vg_cmd_video_purge(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"dry-run", NULL};
    static const char *const known[] = {"db", "now", "dry-run", NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    int64_t now;
    size_t destroyed = 0, held = 0;
    enum vg_err e = start(&a, argc, argv, flags, known, &db, d);
    if (e == VG_OK)
        e = now_of(&a, &now, d);
    if (e == VG_OK)
        e = vg_vretain_purge(db, now, vg_args_has(&a, "dry-run"), &destroyed,
                             &held, d);
    if (e == VG_OK)
        printf("%s %zu segment(s); %zu expired segment(s) kept by a legal "
               "hold\n", vg_args_has(&a, "dry-run") ? "would destroy"
               : "destroyed", destroyed, held);
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_hold(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "procedure", "camera", "from",
                                        "to", "id", "now", NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    int64_t now, from, to, id;
    const char *cams[VG_VIDEO_MAX_CAMS];
    enum vg_err e = start(&a, argc, argv, NULL, known, &db, d);
    if (e == VG_OK)
        e = now_of(&a, &now, d);
    if (e == VG_OK && (a.npos != 1 || (strcmp(a.pos[0], "add") != 0 &&
                                       strcmp(a.pos[0], "release") != 0)))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "expected add or release");
    if (e != VG_OK)
        goto out;
    if (strcmp(a.pos[0], "release") == 0) {
        long v;
        if ((e = vg_args_long(&a, "id", 0, &v, d)) == VG_OK)
            e = vg_vstore_hold_release(db, v, now, d);
        if (e == VG_OK)
            printf("hold %ld released\n", v);
        goto out;
    }
    const char *proc = vg_args_need(&a, "procedure", d);
    size_t n = vg_args_all(&a, "camera", cams, VG_VIDEO_MAX_CAMS);
    if (proc == NULL || (e = time_opt(&a, "from", &from, d)) != VG_OK ||
        (e = time_opt(&a, "to", &to, d)) != VG_OK) {
        e = e == VG_OK ? VG_USAGE : e;
        goto out;
    }
    e = vg_vstore_hold_add(db, proc, cams, n, from, to, now, &id, d);
    if (e == VG_OK)
        printf("hold %lld: procedure %s, %zu camera(s)\n", (long long)id,
               proc, n);
out:
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_requisition(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "officer", "service",
        "procedure", "camera", "from", "to", "reason", "supervisor", "now",
        NULL};
    struct vg_args a;
    struct vg_vreq r;
    sqlite3 *db = NULL;
    const char *cams[VG_VIDEO_MAX_CAMS];
    memset(&r, 0, sizeof r);
    enum vg_err e = start(&a, argc, argv, NULL, known, &db, d);
    if (e == VG_OK)
        e = now_of(&a, &r.created_ms, d);
    if (e == VG_OK)
        e = time_opt(&a, "from", &r.from_ms, d);
    if (e == VG_OK)
        e = time_opt(&a, "to", &r.to_ms, d);
    if (e != VG_OK)
        goto out;
    copy_opt(&a, "officer", r.officer, sizeof r.officer, "");
    copy_opt(&a, "service", r.service, sizeof r.service, "");
    copy_opt(&a, "procedure", r.procedure, sizeof r.procedure, "");
    copy_opt(&a, "reason", r.reason, sizeof r.reason, "");
    copy_opt(&a, "supervisor", r.supervisor, sizeof r.supervisor, "");
    r.ncams = vg_args_all(&a, "camera", cams, VG_VIDEO_MAX_CAMS);
    for (size_t i = 0; i < r.ncams; i++)
        snprintf(r.cams[i], sizeof r.cams[i], "%s", cams[i]);
    if ((e = vg_vstore_req_add(db, &r, d)) == VG_OK)
        printf("requisition %lld recorded (procedure %s, %zu camera(s))\n",
               (long long)r.id, r.procedure, r.ncams);
out:
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_export(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "requisition", "out", "now",
                                        NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    int64_t now;
    long id;
    size_t n = 0;
    enum vg_err e = start(&a, argc, argv, NULL, known, &db, d);
    if (e == VG_OK)
        e = now_of(&a, &now, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "requisition", 0, &id, d);
    const char *out = e == VG_OK ? vg_args_need(&a, "out", d) : NULL;
    if (e == VG_OK && out == NULL)
        e = VG_USAGE;
    if (e == VG_OK)
        e = vg_vexport_run(db, vg_args_get(&a, "db", ""), id, out, now, &n, d);
    if (e == VG_OK)
        printf("exported %zu segment(s) to %s (manifest.txt signed in "
               "manifest.sig)\n", n, out);
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_verify(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"pubkey", NULL};
    struct vg_args a;
    struct vg_buf rep, key;
    const char *pub = NULL;
    vg_buf_init(&rep, 0);
    vg_buf_init(&key, 4096);
    enum vg_err e = start(&a, argc, argv, NULL, known, NULL, d);
    if (e == VG_OK && a.npos != 1)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "expected the export directory");
    if (e == VG_OK && vg_args_has(&a, "pubkey")) {
        e = vg_buf_read_file(&key, vg_args_get(&a, "pubkey", ""), d);
        pub = key.p;
    }
    if (e == VG_OK)
        e = vg_vexport_verify(a.pos[0], pub, &rep, d);
    if (rep.len)
        fputs(rep.p, stdout);
    vg_buf_free(&rep);
    vg_buf_free(&key);
    return e;
}

static void print_reg(void *ctx, int64_t at_ms, const char *action,
                      const char *camera, int64_t seg_id, const char *detail)
{
    char t[32];
    (void)ctx;
    vg_vutil_fmt_time(at_ms, t, sizeof t);
    printf("%s  %-11s %-12s %6lld  %s\n", t, action, camera,
           (long long)seg_id, detail);
}

enum vg_err vg_cmd_video_register(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "camera", "from", "to", NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    int64_t from = 0, to = INT64_MAX;
    enum vg_err e = start(&a, argc, argv, NULL, known, &db, d);
    if (e == VG_OK && vg_args_has(&a, "from"))
        e = time_opt(&a, "from", &from, d);
    if (e == VG_OK && vg_args_has(&a, "to"))
        e = time_opt(&a, "to", &to, d);
    if (e == VG_OK)
        e = vg_vstore_reg_each(db, vg_args_get(&a, "camera", NULL), from, to,
                               print_reg, NULL, d);
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_segments(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"all", NULL};
    static const char *const known[] = {"db", "camera", "from", "to", "all",
                                        NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    struct vg_vseg *v = NULL;
    size_t n = 0;
    int64_t from = 0, to = INT64_MAX;
    enum vg_err e = start(&a, argc, argv, flags, known, &db, d);
    if (e == VG_OK && vg_args_has(&a, "from"))
        e = time_opt(&a, "from", &from, d);
    if (e == VG_OK && vg_args_has(&a, "to"))
        e = time_opt(&a, "to", &to, d);
    if (e == VG_OK)
        e = vg_vstore_seg_list(db, vg_args_get(&a, "camera", NULL), from, to,
                               vg_args_has(&a, "all"), &v, &n, d);
    for (size_t i = 0; i < n; i++) {
        char s[32], t[32];
        vg_vutil_fmt_time(v[i].start_ms, s, sizeof s);
        vg_vutil_fmt_time(v[i].end_ms, t, sizeof t);
        printf("%lld %s %s %s %lld %lld %s %s\n", (long long)v[i].id,
               v[i].camera, s, t, (long long)v[i].frames,
               (long long)v[i].bytes, v[i].sha256,
               v[i].deleted_ms ? "deleted" : v[i].path);
    }
    vg_free(v);
    vg_vstore_close(db);
    return e;
}

enum vg_err vg_cmd_video_live(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "dir", "camera", "out", "user",
                                        "role", NULL};
    struct vg_args a;
    struct vg_buf jpeg;
    sqlite3 *db = NULL;
    int64_t t0 = vg_vutil_now_ms(), mtime = 0;
    vg_buf_init(&jpeg, VG_VLIVE_MAX_JPEG);
    enum vg_err e = start(&a, argc, argv, NULL, known, &db, d);
    const char *cam = e == VG_OK ? vg_args_need(&a, "camera", d) : NULL;
    const char *user = cam ? vg_args_need(&a, "user", d) : NULL;
    const char *out = user ? vg_args_need(&a, "out", d) : NULL;
    if (e == VG_OK && out == NULL)
        e = VG_USAGE;
    if (e == VG_OK)
        e = vg_vstore_may_view(db, cam, user, vg_args_get(&a, "role", ""), d);
    if (e == VG_OK)
        e = vg_vlive_latest(vg_args_get(&a, "dir", "video/live"), cam, &jpeg,
                            &mtime, d);
    if (e == VG_OK)
        e = vg_vutil_write_atomic(out, jpeg.p, jpeg.len, 0640, d);
    if (e == VG_OK)
        e = vg_vstore_view_log(db, user, cam, t0, vg_vutil_now_ms(), d);
    if (e == VG_OK)
        printf("%zu bytes, picture %.1f s old\n", jpeg.len,
               (vg_vutil_now_ms() - mtime) / 1000.0);
    vg_buf_free(&jpeg);
    vg_vstore_close(db);
    return e;
}
