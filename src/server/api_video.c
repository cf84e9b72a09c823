/*
 * api_video.c — the camera wall routes of `vigie serve`:
 *   GET /api/v1/cameras                  the cameras this user may view
 *   GET /api/v1/cameras/NAME/snapshot    the latest masked picture (JPEG)
 *   GET /api/v1/cameras/NAME/live        MJPEG (multipart/x-mixed-replace)
 *   GET /api/v1/wall?cameras=A,B,..      one MJPEG stream carrying up to
 *                                        WALL_MAX cameras, each part tagged
 *                                        "X-Camera: NAME" (the camera wall:
 *                                        browsers open at most 6 HTTP/1.1
 *                                        connections per server, so one
 *                                        <img> stream per cell stalls a
 *                                        3x3 or 4x4 wall)
 *
 * One masked path: every picture served here is a file the recorder wrote
 * with vg_vlive_write() after burning in the privacy masks
 * (<live-dir>/<camera>.jpg, replaced atomically).  The server never opens
 * a camera and never decodes video; it copies finished JPEG files.
 *
 * Rights: the route admits operators and supervisors; each camera then
 * needs a video_viewer row for the user or the role (`vigie video camera
 * allow`).  An unknown camera and a forbidden one get the same 403, so the
 * camera names a user may not see do not leak.
 *
 * Viewing log: a stream writes a "video.live.start" record per camera on
 * the audit trail before the first byte (no record, no picture) and a
 * "video.live.end" record with the duration and frame count when the
 * client goes away, the session ends, the right is withdrawn (that camera
 * only) or the pictures disappear; each end also goes to the video
 * register (vg_vstore_view_log).  A snapshot is one "video.snapshot"
 * record.
 *
 * Streaming: libmicrohttpd runs one thread per connection, so the content
 * reader may block: it polls the JPEG's mtime every LIVE_POLL_MS and sends
 * a new part when the picture changed and 1/fps has passed, or resends
 * the last picture every LIVE_KEEPALIVE_MS (keeps the connection alive and
 * notices a departed client).  Memory: `struct live` is owned by the MHD
 * response and freed in live_free.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "server/live_audit.h"
#include "server/routes.h"
#include "video/vlive.h"
#include "video/vstore.h"
#include "video/vutil.h"

#define LIVE_FPS_DEF 10
#define LIVE_FPS_MAX 25
#define LIVE_POLL_MS 20
#define LIVE_KEEPALIVE_MS 2000   /* resend the last picture this often */
#define LIVE_SESSION_MS 1000     /* logout ends a stream within this */
#define LIVE_RIGHT_MS 10000      /* `camera deny` ends a stream within this */
#define LIVE_NOPIC_END_MS 30000  /* end a stream whose picture vanished */
#define LIVE_STALE_MS 10000      /* older pictures are flagged "stale" */
#define WALL_MAX 16              /* cameras in one wall stream (4x4) */

struct live_cam {
    char name[64], path[1200];
    int on;                      /* streamed; 0 once its end is recorded */
    int64_t from_ms, frames, sent_ms;
    struct timespec mtime;
    ino_t ino;
};

struct live {
    struct vg_server *srv;
    char user[VG_AUTH_NAME_MAX + 1], role[16], ip[64];
    char token[VG_AUTH_TOKEN_LEN + 1];
    int fd;                      /* the client's socket, -1 if unknown */
    int tagged;                  /* parts carry X-Camera (wall stream) */
    int64_t interval_ms, session_ms, right_ms, seen_ms, any_ms;
    size_t ncam, next;           /* next: round-robin start */
    struct live_cam cam[WALL_MAX];
    struct vg_buf jpeg, part;
    size_t off;
};

static const char *live_dir(const struct vg_server *s)
{
    return s->cfg.live_dir ? s->cfg.live_dir : "video/live";
}

/* The one place viewing records are written (see live_audit.h). */
static enum vg_err live_audit(const struct vg_server *s, const char *user,
                              const char *role, const char *ip,
                              const char *cam, enum vg_live_event ev,
                              int64_t from_ms, int64_t to_ms, int64_t frames)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    enum vg_err e = vg_live_audit(s->db, user, role, ip, cam, ev, from_ms,
                                  to_ms, frames, &d);
    if (e != VG_OK) {
        char msg[600];
        vg_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "vigie serve: viewing record for %s on %s lost: %s\n",
                user, cam, msg);
    }
    return e;
}

/* The recorders' video register (server.h: video_db). */
static enum vg_err video_open(const struct vg_server *s, sqlite3 **db, struct vg_diag *d)
{
    *db = NULL;
    if (!s->video_db[0])
        return vg_fail(d, VG_STATE, "", 0, 0, "no video register: the store is PostgreSQL; "
                       "start `vigie serve` with --video-db PATH (the recorders' SQLite file)");
    return vg_vstore_open(s->video_db, db, d);
}

static enum vg_err may_view(const struct vg_server *s, const char *user,
                            const char *role, const char *cam,
                            struct vg_diag *d)
{
    sqlite3 *db = NULL;
    enum vg_err e = video_open(s, &db, d);
    if (e == VG_OK)
        e = vg_vstore_may_view(db, cam, user, role, d);
    vg_vstore_close(db);
    return e;
}

/* Age of a camera's live picture in ms, -1 when there is none. */
static int64_t picture_age(const struct vg_server *s, const char *cam,
                           int64_t now)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s.jpg", live_dir(s), cam);
    if (stat(path, &st) != 0)
        return -1;
    int64_t ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    return now > ms ? now - ms : 0;
}

static enum vg_err camera_json(struct vg_buf *b, const struct vg_vcam *c,
                               int64_t age, int first)
{
    enum vg_err e = vg_buf_adds(b, first ? "\n{\"name\":" : ",\n{\"name\":");
    e = e ? e : vg_buf_json_str(b, c->name, strlen(c->name));
    e = e ? e : vg_buf_adds(b, ",\"area\":");
    e = e ? e : vg_buf_json_str(b, c->area, strlen(c->area));
    e = e ? e : vg_buf_adds(b, ",\"lon\":");
    e = e ? e : vg_buf_json_num(b, c->lon);
    e = e ? e : vg_buf_adds(b, ",\"lat\":");
    e = e ? e : vg_buf_json_num(b, c->lat);
    if (e == VG_OK && age >= 0)
        e = vg_buf_printf(b, ",\"picture_age_ms\":%lld,\"stale\":%s",
                          (long long)age, age > LIVE_STALE_MS ? "true" : "false");
    else if (e == VG_OK)
        e = vg_buf_adds(b, ",\"picture_age_ms\":null,\"stale\":true");
    return e ? e : vg_buf_addc(b, '}');
}

enum vg_err vg_api_cameras(struct vg_req *r, struct vg_diag *d)
{
    sqlite3 *db = NULL;
    struct vg_vcam *v = NULL;
    size_t n = 0, shown = 0;
    int64_t now = vg_vutil_now_ms();
    const char *role = vg_auth_role_name(r->who.role);
    enum vg_err e = video_open(r->srv, &db, d);
    if (e == VG_OK)
        e = vg_vstore_cam_list(db, &v, &n, d);
    if (e == VG_OK)
        e = vg_buf_printf(&r->out, "{\"fps_max\":%d,\"cameras\":[", LIVE_FPS_MAX);
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        struct vg_diag dd;
        vg_diag_clear(&dd);
        enum vg_err m = vg_vstore_may_view(db, v[i].name, r->who.user, role, &dd);
        if (m == VG_FORBIDDEN)
            continue;
        if (m != VG_OK) {
            *d = dd;
            e = m;
            break;
        }
        e = camera_json(&r->out, &v[i], picture_age(r->srv, v[i].name, now), shown == 0);
        shown++;
    }
    if (e == VG_OK)
        e = vg_buf_adds(&r->out, "\n]}\n");
    snprintf(r->detail, sizeof r->detail, "cameras=%zu of %zu", shown, n);
    vg_free(v);
    vg_vstore_close(db);
    return e;
}

/* ---- the MJPEG streams ---- */

/* Record the end of camera i's viewing (trail and video register). */
static void end_cam(struct live *l, size_t i)
{
    struct live_cam *c = &l->cam[i];
    if (!c->on)
        return;
    c->on = 0;
    int64_t to = vg_vutil_now_ms();
    live_audit(l->srv, l->user, l->role, l->ip, c->name, VG_LIVE_END, c->from_ms, to,
               c->frames);
    sqlite3 *db = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    if (video_open(l->srv, &db, &d) != VG_OK ||
        vg_vstore_view_log(db, l->user, c->name, c->from_ms, to, &d) != VG_OK)
        fprintf(stderr, "vigie serve: video register: %s\n", d.msg);
    vg_vstore_close(db);
}

static void live_free(void *cls)
{
    struct live *l = cls;
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->ncam; i++)
        end_cam(l, i);
    vg_buf_free(&l->jpeg);
    vg_buf_free(&l->part);
    vg_free(l);
}

/* 0 when the stream must end: session gone, or no camera left whose
 * right still holds (a withdrawn camera ends alone). */
static int still_allowed(struct live *l, int64_t now)
{
    int any = 0;
    if (now - l->session_ms >= LIVE_SESSION_MS) {
        struct vg_session_info who;
        if (vg_auth_session_get(l->srv->auth, l->token, now / 1000, &who) != VG_OK)
            return 0;
        l->session_ms = now;
    }
    int recheck = now - l->right_ms >= LIVE_RIGHT_MS;
    for (size_t i = 0; i < l->ncam; i++) {
        struct vg_diag d;
        vg_diag_clear(&d);
        if (recheck && l->cam[i].on && may_view(l->srv, l->user, l->role, l->cam[i].name, &d))
            end_cam(l, i);
        any |= l->cam[i].on;
    }
    if (recheck)
        l->right_ms = now;
    return any;
}

/* 1 when the client closed its end (checked between pictures so the end
 * record has the time the viewer left, not the time of the next send). */
static int peer_gone(const struct live *l)
{
    char c;
    if (l->fd < 0)
        return 0;
    ssize_t n = recv(l->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Read camera i's picture (stat `st`) into l->part; 0 if it vanished. */
static int make_part(struct live *l, size_t i, const struct stat *st, int64_t now)
{
    struct live_cam *c = &l->cam[i];
    struct vg_diag d;
    vg_diag_clear(&d);
    if (vg_vlive_latest(live_dir(l->srv), c->name, &l->jpeg, NULL, &d) != VG_OK ||
        l->jpeg.len == 0)
        return 0;
    vg_buf_reset(&l->part);
    l->off = 0;
    enum vg_err e = l->tagged ? vg_buf_printf(&l->part,
                                              "--" VG_VLIVE_BOUNDARY "\r\n"
                                              "Content-Type: image/jpeg\r\n"
                                              "X-Camera: %s\r\n"
                                              "Content-Length: %zu\r\n\r\n",
                                              c->name, l->jpeg.len)
                              : VG_OK;
    if (e == VG_OK && l->tagged)
        e = vg_buf_add(&l->part, l->jpeg.p, l->jpeg.len);
    if (e == VG_OK && l->tagged)
        e = vg_buf_adds(&l->part, "\r\n");
    if (!l->tagged)
        e = vg_vlive_mjpeg_part(&l->part, l->jpeg.p, l->jpeg.len);
    if (e != VG_OK)
        return 0;
    c->ino = st->st_ino;
    c->mtime = st->st_mtim;
    c->sent_ms = l->any_ms = now;
    c->frames++;
    l->next = i + 1;
    return 1;
}

/* Wait for the next picture to send and put its part into l->part;
 * 0 when the stream must end.  A camera is due when its picture changed
 * and 1/fps has passed since its last part; when nothing was sent for
 * LIVE_KEEPALIVE_MS the camera sent longest ago is resent. */
static int next_part(struct live *l)
{
    struct stat st[WALL_MAX];
    int have[WALL_MAX];
    for (;;) {
        int64_t now = vg_vutil_now_ms();
        if (!still_allowed(l, now) || peer_gone(l))
            return 0;
        size_t pick = SIZE_MAX, oldest = SIZE_MAX;
        int any = 0;
        for (size_t k = 0; k < l->ncam; k++) {
            size_t i = (l->next + k) % l->ncam;
            struct live_cam *c = &l->cam[i];
            have[i] = c->on && stat(c->path, &st[i]) == 0;
            if (!have[i])
                continue;
            any = 1;
            int fresh = st[i].st_ino != c->ino || st[i].st_mtim.tv_sec != c->mtime.tv_sec ||
                        st[i].st_mtim.tv_nsec != c->mtime.tv_nsec;
            if (pick == SIZE_MAX && fresh && now - c->sent_ms >= l->interval_ms)
                pick = i;
            if (oldest == SIZE_MAX || c->sent_ms < l->cam[oldest].sent_ms)
                oldest = i;
        }
        if (any)
            l->seen_ms = now;
        else if (now - l->seen_ms > LIVE_NOPIC_END_MS)
            return 0;
        if (pick == SIZE_MAX && now - l->any_ms >= LIVE_KEEPALIVE_MS)
            pick = oldest;
        if (pick != SIZE_MAX && make_part(l, pick, &st[pick], now))
            return 1;
        sleep_ms(LIVE_POLL_MS);
    }
}

static ssize_t live_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct live *l = cls;
    (void)pos;
    if (l->off >= l->part.len && !next_part(l))
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = l->part.len - l->off;
    if (n > max)
        n = max;
    memcpy(buf, l->part.p + l->off, n);
    l->off += n;
    return (ssize_t)n;
}

/* fps argument (1..LIVE_FPS_MAX, default LIVE_FPS_DEF); 0 after an error. */
static long arg_fps(struct vg_req *r)
{
    const char *a = vg_req_arg(r, "fps");
    char *end;
    if (a == NULL || !*a)
        return LIVE_FPS_DEF;
    long fps = strtol(a, &end, 10);
    if (*end || fps < 1 || fps > LIVE_FPS_MAX) {
        vg_req_error(r, VG_RANGE, 400, "fps=\"%.20s\" must be 1..%d", a, LIVE_FPS_MAX);
        return 0;
    }
    return fps;
}

static struct live *live_new(struct vg_req *r, const char *role, long fps)
{
    struct live *l = vg_calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->srv = r->srv;
    snprintf(l->user, sizeof l->user, "%s", r->who.user);
    snprintf(l->role, sizeof l->role, "%s", role);
    snprintf(l->ip, sizeof l->ip, "%s", r->ip);
    snprintf(l->token, sizeof l->token, "%s", r->token);
    vg_buf_init(&l->jpeg, VG_VLIVE_MAX_JPEG);
    vg_buf_init(&l->part, VG_VLIVE_MAX_JPEG + 256);
    l->interval_ms = 1000 / fps;
    l->session_ms = l->right_ms = l->seen_ms = vg_vutil_now_ms();
    l->any_ms = 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    l->fd = ci && !r->srv->tls_cert ? ci->connect_fd : -1;
    return l;
}

static void live_add(struct live *l, const char *cam)
{
    struct live_cam *c = &l->cam[l->ncam++];
    snprintf(c->name, sizeof c->name, "%s", cam);
    snprintf(c->path, sizeof c->path, "%s/%s.jpg", live_dir(l->srv), cam);
}

/* Write the start records (no record, no picture) and hand the stream to
 * the response.  Takes `l` in every case. */
static enum vg_err live_go(struct vg_req *r, struct live *l, long fps)
{
    for (size_t i = 0; i < l->ncam; i++) {
        struct live_cam *c = &l->cam[i];
        c->from_ms = vg_vutil_now_ms();
        if (live_audit(r->srv, l->user, l->role, l->ip, c->name, VG_LIVE_START, c->from_ms,
                       c->from_ms, 0) != VG_OK) {
            live_free(l);
            return vg_req_error(r, VG_IO, 503, "the viewing cannot be logged: not shown");
        }
        c->on = 1;
    }
    r->ctype = VG_VLIVE_CONTENT_TYPE;
    r->stream_read = live_read;
    r->stream_free = live_free;
    r->stream_cls = l;
    snprintf(r->detail, sizeof r->detail, "live cameras=%zu fps=%ld", l->ncam, fps);
    return VG_OK;
}

static enum vg_err live_start(struct vg_req *r, const char *cam, const char *role)
{
    struct stat st;
    char path[1200];
    long fps = arg_fps(r);
    if (fps == 0)
        return VG_OK;
    snprintf(path, sizeof path, "%s/%s.jpg", live_dir(r->srv), cam);
    if (stat(path, &st) != 0)
        return vg_req_error(r, VG_NOTFOUND, 404, "camera \"%s\" has no live picture", cam);
    struct live *l = live_new(r, role, fps);
    if (l == NULL)
        return VG_NOMEM;
    live_add(l, cam);
    return live_go(r, l, fps);
}

static enum vg_err snapshot(struct vg_req *r, const char *cam, const char *role,
                            struct vg_diag *d)
{
    int64_t now = vg_vutil_now_ms();
    enum vg_err e = vg_vlive_latest(live_dir(r->srv), cam, &r->out, NULL, d);
    if (e == VG_NOTFOUND)
        return vg_req_error(r, e, 404, "camera \"%s\" has no live picture", cam);
    if (e != VG_OK)
        return e;
    if (live_audit(r->srv, r->who.user, role, r->ip, cam, VG_LIVE_SNAPSHOT, now, now, 1) !=
        VG_OK)
        return vg_req_error(r, VG_IO, 503, "the viewing cannot be logged: not shown");
    sqlite3 *db = NULL;
    if (video_open(r->srv, &db, d) == VG_OK)
        vg_vstore_view_log(db, r->who.user, cam, now, now, d);
    vg_vstore_close(db);
    r->ctype = "image/jpeg";
    snprintf(r->detail, sizeof r->detail, "snapshot bytes=%zu", r->out.len);
    return VG_OK;
}

/* The right to view `cam`: VG_OK, or a 403 response already written (the
 * same for an unknown camera) and *refused set; other errors returned. */
static enum vg_err check_right(struct vg_req *r, const char *cam, const char *role,
                               int *refused, struct vg_diag *d)
{
    struct vg_diag dd;
    vg_diag_clear(&dd);
    *refused = 0;
    enum vg_err e = may_view(r->srv, r->who.user, role, cam, &dd);
    if (e == VG_FORBIDDEN || e == VG_NOTFOUND) {
        int64_t now = vg_vutil_now_ms();
        live_audit(r->srv, r->who.user, role, r->ip, cam, VG_LIVE_DENIED, now, now, 0);
        snprintf(r->detail, sizeof r->detail, "denied: camera %s", cam);
        *refused = 1;
        vg_req_error(r, VG_FORBIDDEN, 403, "camera \"%s\" does not exist or you may not view it",
                     cam);
        return VG_OK;
    }
    if (e != VG_OK)
        *d = dd;
    return e;
}

enum vg_err vg_api_camera(struct vg_req *r, struct vg_diag *d)
{
    char cam[64];
    int refused;
    const char *slash = strchr(r->tail, '/');
    const char *role = vg_auth_role_name(r->who.role);
    if (slash == NULL || slash - r->tail >= (long)sizeof cam ||
        (strcmp(slash, "/live") && strcmp(slash, "/snapshot")))
        return vg_req_error(r, VG_NOTFOUND, 404,
                            "expected /api/v1/cameras/NAME/live or /snapshot");
    snprintf(cam, sizeof cam, "%.*s", (int)(slash - r->tail), r->tail);
    if (!vg_vutil_safe_name(cam))
        return vg_req_error(r, VG_NOTFOUND, 404, "no such camera");
    snprintf(r->object, sizeof r->object, "camera:%s", cam);
    enum vg_err e = check_right(r, cam, role, &refused, d);
    if (e != VG_OK || refused)
        return e;
    return strcmp(slash, "/live") ? snapshot(r, cam, role, d) : live_start(r, cam, role);
}

enum vg_err vg_api_wall(struct vg_req *r, struct vg_diag *d)
{
    const char *list = vg_req_arg(r, "cameras");
    const char *role = vg_auth_role_name(r->who.role);
    int refused = 0;
    long fps = arg_fps(r);
    if (fps == 0)
        return VG_OK;
    if (list == NULL || !*list || strlen(list) > WALL_MAX * 64)
        return vg_req_error(r, VG_USAGE, 400, "cameras=A,B,... (1 to %d names) is required",
                            WALL_MAX);
    snprintf(r->object, sizeof r->object, "cameras:%s", list);
    struct live *l = live_new(r, role, fps);
    if (l == NULL)
        return VG_NOMEM;
    l->tagged = 1;
    enum vg_err e = VG_OK;
    for (const char *p = list; *p && e == VG_OK && !refused;) {
        char cam[64];
        size_t n = strcspn(p, ",");
        int dup = 0;
        snprintf(cam, sizeof cam, "%.*s", (int)(n < sizeof cam ? n : sizeof cam - 1), p);
        p += n + (p[n] == ',');
        for (size_t i = 0; i < l->ncam; i++)
            dup |= !strcmp(l->cam[i].name, cam);
        if (n == 0 || dup)
            continue;
        if (n >= sizeof cam || !vg_vutil_safe_name(cam) || l->ncam == WALL_MAX) {
            vg_req_error(r, VG_USAGE, 400, "cameras: at most %d valid names", WALL_MAX);
            refused = 1;
            break;
        }
        e = check_right(r, cam, role, &refused, d);
        if (e == VG_OK && !refused)
            live_add(l, cam);
    }
    if (e != VG_OK || refused || l->ncam == 0) {
        live_free(l);
        return e != VG_OK || refused ? e : vg_req_error(r, VG_USAGE, 400, "no camera named");
    }
    return live_go(r, l, fps);
}
