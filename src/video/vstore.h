/*
 * vstore.h — the video part of the store: camera registry, privacy masks,
 * who may view, recorded segments, gaps, alerts, legal holds, OPJ
 * requisitions, the register (recorded / destroyed / transmitted / viewed)
 * and viewing log.  Every table is prefixed video_; every SQL statement of
 * the video subsystem lives in vstore.c so the lead can move it into the
 * general store in one piece.
 *
 * Times are UTC milliseconds since 1970.  Strings in the structs are
 * fixed-size copies (no heap); list functions return arrays the caller
 * frees with vg_free().  Functions fail with VG_DB naming the statement's
 * purpose and SQLite's message.
 */
#ifndef VG_VSTORE_H
#define VG_VSTORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "video/mask.h"

#define VG_VIDEO_RETENTION_MAX 31 /* days: the legal maximum of one month */
#define VG_VIDEO_RETENTION_DEF 30
#define VG_VIDEO_MAX_CAMS 64      /* per hold / requisition */

struct vg_vcam {
    int64_t id;
    char name[64];
    char url[512];
    char transport[8]; /* "tcp" or "udp" */
    double lon, lat;
    char area[64];
    int retention_days;
};

struct vg_vseg {
    int64_t id, cam_id;
    char camera[64];
    char path[512];
    int64_t start_ms, end_ms, frames, bytes, deleted_ms; /* deleted 0: kept */
    char sha256[65];
};

struct vg_vreq {
    int64_t id, from_ms, to_ms, created_ms;
    char officer[128], service[128], procedure[64], reason[256],
        supervisor[64];
    size_t ncams;
    char cams[VG_VIDEO_MAX_CAMS][64];
};

/* Create the video_ tables if absent (idempotent). */
enum vg_err vg_video_schema(sqlite3 *db);
/* Open (create) the database at path, WAL, busy timeout, schema.  A
 * postgres:// or postgresql:// URL is refused (VG_USAGE): the video
 * register is an SQLite file even beside a PostgreSQL crime store. */
enum vg_err vg_vstore_open(const char *path, sqlite3 **out, struct vg_diag *d);
void vg_vstore_close(sqlite3 *db);

/* Cameras.  add: VG_EXISTS on a duplicate name, VG_RANGE if retention is
 * outside 1..VG_VIDEO_RETENTION_MAX days. */
enum vg_err vg_vstore_cam_add(sqlite3 *db, struct vg_vcam *cam,
                              struct vg_diag *d);
enum vg_err vg_vstore_cam_get(sqlite3 *db, const char *name,
                              struct vg_vcam *out, struct vg_diag *d);
enum vg_err vg_vstore_cam_list(sqlite3 *db, struct vg_vcam **out, size_t *n,
                               struct vg_diag *d);
enum vg_err vg_vstore_cam_set_retention(sqlite3 *db, int64_t cam_id, int days,
                                        struct vg_diag *d);

/* Masks of a camera (text form, see mask.h). */
enum vg_err vg_vstore_mask_add(sqlite3 *db, int64_t cam_id,
                               const struct vg_poly *p, struct vg_diag *d);
enum vg_err vg_vstore_mask_clear(sqlite3 *db, int64_t cam_id,
                                 struct vg_diag *d);
/* Up to VG_MASK_MAX_POLYS polygons into out[], count in *n. */
enum vg_err vg_vstore_masks(sqlite3 *db, int64_t cam_id, struct vg_poly *out,
                            size_t *n, struct vg_diag *d);

/* Viewing rights: kind is "role" or "user". */
enum vg_err vg_vstore_viewer_add(sqlite3 *db, int64_t cam_id, const char *kind,
                                 const char *name, struct vg_diag *d);
/* Remove one viewing right; VG_NOTFOUND if there was no such row. */
enum vg_err vg_vstore_viewer_remove(sqlite3 *db, int64_t cam_id,
                                    const char *kind, const char *name,
                                    struct vg_diag *d);
/* VG_OK if `user` or `role` is allowed to view `camera`, else VG_FORBIDDEN
 * (VG_NOTFOUND for an unknown camera). */
enum vg_err vg_vstore_may_view(sqlite3 *db, const char *camera,
                               const char *user, const char *role,
                               struct vg_diag *d);
/* Fill out (cap bytes) with "role:x,user:y" for listing. */
enum vg_err vg_vstore_viewers(sqlite3 *db, int64_t cam_id, char *out,
                              size_t cap, struct vg_diag *d);

/* Segments.  add also writes the 'recorded' register row. */
enum vg_err vg_vstore_seg_add(sqlite3 *db, struct vg_vseg *s,
                              struct vg_diag *d);
/* Segments of `camera` (NULL: all) overlapping [from, to), not deleted
 * unless with_deleted, ordered by camera then start. */
enum vg_err vg_vstore_seg_list(sqlite3 *db, const char *camera,
                               int64_t from_ms, int64_t to_ms,
                               int with_deleted, struct vg_vseg **out,
                               size_t *n, struct vg_diag *d);
/* Segments whose end is older than their camera's retention at now_ms and
 * that no active legal hold covers.  *held counts expired ones kept by a
 * hold. */
enum vg_err vg_vstore_seg_expired(sqlite3 *db, int64_t now_ms,
                                  struct vg_vseg **out, size_t *n,
                                  size_t *held, struct vg_diag *d);
/* Mark deleted at now_ms and write the 'destroyed' register row. */
enum vg_err vg_vstore_seg_destroyed(sqlite3 *db, const struct vg_vseg *s,
                                    int64_t now_ms, struct vg_diag *d);

enum vg_err vg_vstore_gap_add(sqlite3 *db, int64_t cam_id, int64_t from_ms,
                              int64_t to_ms, const char *reason,
                              struct vg_diag *d);
/* Alerts: kind e.g. "disk", "camera"; also printed on stderr by callers. */
enum vg_err vg_vstore_alert_add(sqlite3 *db, int64_t cam_id, int64_t at_ms,
                                const char *kind, const char *msg,
                                struct vg_diag *d);

/* Legal holds: cover [from, to) of the named cameras until released. */
enum vg_err vg_vstore_hold_add(sqlite3 *db, const char *procedure,
                               const char *const *cams, size_t ncams,
                               int64_t from_ms, int64_t to_ms, int64_t now_ms,
                               int64_t *id, struct vg_diag *d);
enum vg_err vg_vstore_hold_release(sqlite3 *db, int64_t id, int64_t now_ms,
                                   struct vg_diag *d);

/* OPJ requisitions. */
enum vg_err vg_vstore_req_add(sqlite3 *db, struct vg_vreq *r,
                              struct vg_diag *d);
enum vg_err vg_vstore_req_get(sqlite3 *db, int64_t id, struct vg_vreq *out,
                              struct vg_diag *d);

/* Register row: action "recorded", "destroyed", "transmitted", "viewed",
 * "hold", "release", "gap", "alert" (the last two written by gap_add and
 * alert_add).  cam_id/seg_id 0 when not applicable. */
enum vg_err vg_vstore_reg_add(sqlite3 *db, int64_t at_ms, const char *action,
                              int64_t cam_id, int64_t seg_id,
                              const char *detail, struct vg_diag *d);
/* Call fn for each register row in [from, to) (camera NULL: all). */
typedef void (*vg_vstore_reg_fn)(void *ctx, int64_t at_ms, const char *action,
                                 const char *camera, int64_t seg_id,
                                 const char *detail);
enum vg_err vg_vstore_reg_each(sqlite3 *db, const char *camera,
                               int64_t from_ms, int64_t to_ms,
                               vg_vstore_reg_fn fn, void *ctx,
                               struct vg_diag *d);

/* Viewing log (the web server calls this when a live or recorded view
 * ends): who watched which camera from when to when.  Also a register row. */
enum vg_err vg_vstore_view_log(sqlite3 *db, const char *who,
                               const char *camera, int64_t from_ms,
                               int64_t to_ms, struct vg_diag *d);

/* Counts for tests and status: rows of table video_<what> ("gap", "alert",
 * "view") for camera (NULL: all). */
enum vg_err vg_vstore_count(sqlite3 *db, const char *what, const char *camera,
                            int64_t *n, struct vg_diag *d);

#endif
