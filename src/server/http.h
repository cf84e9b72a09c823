/*
 * http.h — server internals shared by http.c (libmicrohttpd glue,
 * responses, static files), routes.c (the route table and dispatch) and
 * the API handlers (api.c, api_admin.c).  Not for use outside src/server.
 *
 * A request (`struct vg_req`) lives for one HTTP exchange; its buffers are
 * freed by http.c when the connection is done with it.  Handlers read the
 * request through the accessors and write `out` (JSON by default), set
 * `status` when it is not 200, and may leave an audit detail.
 */
#ifndef VG_HTTP_H
#define VG_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"
#include "cli/context.h"
#include "server/auth.h"
#include "server/server.h"

struct MHD_Daemon;
struct MHD_Connection;

#define VG_CACHE_SLOTS 32
#define VG_CACHE_TTL 600

struct vg_cache_slot {
    char key[256];
    int64_t at;
    struct vg_buf body;
};

struct vg_server {
    struct vg_server_config cfg;
    char db[512], web_root[512], leaflet[512], tiles[512]; /* tiles "" = none */
    char video_db[512];              /* "" = no video register (see server.h) */
    struct MHD_Daemon *mhd;
    unsigned port;
    char *tls_cert, *tls_key; /* PEM texts */
    struct vg_auth *auth;
    /* the engine: store, taxonomy, models; one request at a time */
    pthread_mutex_t engine;
    struct vg_ctx ctx;
    int ctx_open;
    /* loaded at start, read-only afterwards */
    struct vg_buf areas_geojson;     /* FeatureCollection of the default layer */
    size_t nareas;
    char **area_id, **area_name;
    double *area_km2, *area_pop;
    int32_t top_cats[8];             /* categories with most events */
    size_t ntop_cats;
    size_t *cat_events;              /* events per category index */
    int64_t last_day;                /* local day of the latest event */
    int64_t first_day;               /* local day of the earliest event */
    struct vg_housekeeping *housekeeping; /* daily retention purge */
    struct vg_lbk *lbk;              /* logbook form resources (api_logbook.c) */
    /* response cache for briefing/forecast, guarded by cache_mu */
    pthread_mutex_t cache_mu;
    struct vg_cache_slot cache[VG_CACHE_SLOTS];
};

struct vg_route;

struct vg_req {
    struct vg_server *srv;
    struct MHD_Connection *conn;
    const char *method, *path;
    const struct vg_route *route;
    const char *tail;          /* path after a "/prefix/" route, "" otherwise */
    struct vg_buf body;        /* request body, capped at cfg.max_body */
    int body_too_large;
    char ip[64];
    int authed;
    struct vg_session_info who;
    char token[VG_AUTH_TOKEN_LEN + 1];
    /* response */
    unsigned status;
    const char *ctype;
    const char *csp;           /* NULL = the application's policy */
    struct vg_buf out;
    char set_cookie[400];
    char etag[80];
    const char *cache_control;
    const char *content_encoding;
    unsigned retry_after;
    int head_only;
    /* streamed body of unknown length (api_video.c): when stream_read is
     * set, respond() hands it to MHD_create_response_from_callback, which
     * calls stream_free(stream_cls) once the connection is done with it */
    ssize_t (*stream_read)(void *cls, uint64_t pos, char *buf, size_t max);
    void (*stream_free)(void *cls);
    void *stream_cls;
    /* audit */
    char detail[256];
    char object[512];
    const char *purpose;
};

/* Request accessors (NULL when absent). */
const char *vg_req_header(const struct vg_req *r, const char *name);
const char *vg_req_arg(const struct vg_req *r, const char *name);
/* JSON error response {"error":"NAME","message":"..."} with the status of
 * `e` (or `status` if not 0); returns VG_OK so handlers can return it. */
enum vg_err vg_req_error(struct vg_req *r, enum vg_err e, unsigned status,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Serve a static file (the GET and HEAD catch-all routes). */
enum vg_err vg_http_static(struct vg_req *r, struct vg_diag *d);
/* Gzip `in` into `out` (gzip wrapper, level 6). */
enum vg_err vg_http_gzip(const char *in, size_t len, struct vg_buf *out);

/* Response cache: copy a cached body into `out` (1) or not (0); put a copy. */
int vg_cache_get(struct vg_server *s, const char *key, struct vg_buf *out);
void vg_cache_put(struct vg_server *s, const char *key, const struct vg_buf *body);

/* Start listening on host:port (host "" = every interface) / stop. */
enum vg_err vg_http__listen(struct vg_server *s, const char *host, unsigned port,
                            struct vg_diag *d);
void vg_http__close(struct vg_server *s);

/* Current UTC seconds. */
int64_t vg_http_now(void);

#endif
