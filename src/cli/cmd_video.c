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
#include "video/mask.h"
#include "video/vrec.h"
#include "video/vstore.h"
#include "video/vutil.h"

static enum vg_err open_db(const struct vg_args *a, sqlite3 **db,
                           struct vg_diag *d)
{
    const char *path = vg_args_need(a, "db", d);
    if (path == NULL)
        return VG_USAGE;
    return vg_vstore_open(path, db, d);
}

/* --now for tests (injectable clock), else the wall clock. */
__attribute__((unused)) static enum vg_err now_of(const struct vg_args *a, int64_t *now,
                          struct vg_diag *d)
{
    const char *s = vg_args_get(a, "now", NULL);
    if (s == NULL) {
        *now = vg_vutil_now_ms();
        return VG_OK;
    }
    return vg_vutil_parse_time(s, "--now", now, d);
}

__attribute__((unused)) static enum vg_err time_opt(const struct vg_args *a, const char *name,
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

enum vg_err vg_cmd_video_camera(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"clear", NULL};
    static const char *const known[] = {"db", "name", "url", "transport",
        "lon", "lat", "area", "retention", "viewer", "polygon", "clear", NULL};
    struct vg_args a;
    sqlite3 *db = NULL;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK && a.npos != 1)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "expected add, list or mask");
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
    else
        e = vg_fail(d, VG_USAGE, "", 0, 0,
                    "\"%s\": expected add, list or mask", a.pos[0]);
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
        "backoff-max", "timeout", "quiet", NULL};
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
