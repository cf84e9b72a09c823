/*
 * server.c — starting and stopping `vigie serve`, what every request
 * shares (the default layer as GeoJSON, category counts, the latest data
 * day), and the one audit function.
 * Invariant: after vg_server_start returns VG_OK everything in `struct
 * vg_server` above the cache is read-only, except the store, which only
 * the holder of `engine` touches.
 */
#include "server/server.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "store/store.h"
#include "server/housekeeping.h"
#include "server/http.h"
#include "server/reqparse.h"
#include "server/routes.h"

/* ---- audit ---- */

/* The store's hash-chained trail (audit/auditlog.h), one per process,
 * appended under audit_mu.  The server enforces its own purpose rule per
 * route (routes.c) before a handler runs and records refusals too, so the
 * trail is opened with no purpose role of its own. */
static pthread_mutex_t audit_mu = PTHREAD_MUTEX_INITIALIZER;
static struct vg_audit *trail;

enum vg_err vg_server_audit_open(const char *db, struct vg_diag *d)
{
    struct vg_audit_opts o = {0};
    o.purpose_roles = "";
    pthread_mutex_lock(&audit_mu);
    enum vg_err e = trail ? VG_OK : vg_audit_open_for_store(db, &o, &trail, d);
    pthread_mutex_unlock(&audit_mu);
    return e;
}

void vg_server_audit_close(void)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    pthread_mutex_lock(&audit_mu);
    if (trail && vg_audit_close(trail, &d) != VG_OK)
        fprintf(stderr, "vigie: closing the audit trail: %s\n", d.msg);
    trail = NULL;
    pthread_mutex_unlock(&audit_mu);
}

void vg_server_audit(const struct vg_srv_audit *a)
{
    struct vg_buf b;
    struct vg_diag d;
    vg_diag_clear(&d);
    vg_buf_init(&b, 512);
    enum vg_err e = vg_buf_printf(&b, "{\"status\":%d", a->status);
    if (e == VG_OK && a->ip) {
        e = vg_buf_adds(&b, ",\"ip\":");
        e = e ? e : vg_buf_json_str(&b, a->ip, strlen(a->ip));
    }
    if (e == VG_OK && a->detail) {
        e = vg_buf_adds(&b, ",\"detail\":");
        e = e ? e : vg_buf_json_str(&b, a->detail, strlen(a->detail));
    }
    e = e ? e : vg_buf_addc(&b, '}');
    struct vg_audit_rec r = {0, 0, a->actor && *a->actor ? a->actor : "-",
                             a->role && *a->role ? a->role : "-", a->action,
                             a->object && *a->object ? a->object : "-", a->purpose, b.p};
    pthread_mutex_lock(&audit_mu);
    if (e == VG_OK && trail)
        e = vg_audit_append(trail, &r, NULL, &d);
    if (e != VG_OK || !trail)
        fprintf(stderr, "vigie: audit record lost (%s): %s %s\n",
                trail ? (d.msg[0] ? d.msg : vg_strerror(e)) : "trail not open", a->action,
                r.object);
    pthread_mutex_unlock(&audit_mu);
    vg_buf_free(&b);
}

enum vg_err vg_server_audit_with(enum vg_err (*fn)(struct vg_audit *trail, void *arg), void *arg)
{
    pthread_mutex_lock(&audit_mu);
    enum vg_err e = trail ? fn(trail, arg) : VG_INTERNAL;
    pthread_mutex_unlock(&audit_mu);
    return e;
}

int vg_server_audit_append(const struct vg_audit_rec *r, enum vg_err *e, struct vg_diag *d)
{
    pthread_mutex_lock(&audit_mu);
    int open = trail != NULL;
    if (open)
        *e = vg_audit_append(trail, r, NULL, d);
    pthread_mutex_unlock(&audit_mu);
    return open;
}

enum vg_err vg_server_audit_scan(const struct vg_audit_query *q,
                                 int (*cb)(const struct vg_audit_rec *rec, void *ctx),
                                 void *ctx, struct vg_diag *d)
{
    pthread_mutex_lock(&audit_mu);
    enum vg_err e = trail ? vg_audit_scan(trail, q, cb, ctx, d)
                          : vg_fail(d, VG_INTERNAL, "", 0, 0, "audit trail not open");
    pthread_mutex_unlock(&audit_mu);
    return e;
}

/* ---- shared data ---- */

struct area_load {
    struct vg_server *s;
    enum vg_err e;
};

static enum vg_err on_area(void *arg, size_t idx, const struct vg_area_row *a)
{
    struct vg_server *s = ((struct area_load *)arg)->s;
    struct vg_buf *b = &s->areas_geojson;
    if (idx != s->nareas)
        return VG_INTERNAL;
    size_t n = s->nareas + 1;
    char **id = vg_reallocarray(s->area_id, n, sizeof *id);
    if (id)
        s->area_id = id;
    char **nm = vg_reallocarray(s->area_name, n, sizeof *nm);
    if (nm)
        s->area_name = nm;
    double *km = vg_reallocarray(s->area_km2, n, sizeof *km);
    if (km)
        s->area_km2 = km;
    double *pop = vg_reallocarray(s->area_pop, n, sizeof *pop);
    if (pop)
        s->area_pop = pop;
    if (!id || !nm || !km || !pop)
        return VG_NOMEM;
    s->area_id[idx] = vg_strdup(a->id ? a->id : "");
    s->area_name[idx] = vg_strdup(a->name ? a->name : (a->id ? a->id : ""));
    s->area_km2[idx] = a->km2;
    s->area_pop[idx] = a->population;
    s->nareas = n;
    if (!s->area_id[idx] || !s->area_name[idx])
        return VG_NOMEM;
    enum vg_err e = vg_buf_printf(b, "%s{\"type\":\"Feature\",\"properties\":{\"index\":%zu,\"id\":",
                                  idx ? ",\n" : "", idx);
    e = e ? e : vg_buf_json_str(b, s->area_id[idx], strlen(s->area_id[idx]));
    e = e ? e : vg_buf_adds(b, ",\"name\":");
    e = e ? e : vg_buf_json_str(b, s->area_name[idx], strlen(s->area_name[idx]));
    e = e ? e : vg_buf_adds(b, ",\"population\":");
    e = e ? e : vg_buf_json_num(b, a->population);
    e = e ? e : vg_buf_adds(b, ",\"km2\":");
    e = e ? e : vg_buf_json_num(b, a->km2);
    e = e ? e : vg_buf_adds(b, "},\"geometry\":");
    /* the store keeps a whole Feature (geo/areas.c); keep only its geometry */
    json_t *j = a->geojson ? json_loads(a->geojson, 0, NULL) : NULL;
    json_t *g = json_is_object(json_object_get(j, "geometry")) ? json_object_get(j, "geometry") : j;
    char *txt = json_is_object(g) ? json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    e = e ? e : vg_buf_adds(b, txt ? txt : "null");
    free(txt);
    json_decref(j);
    return e ? e : vg_buf_addc(b, '}');
}

static enum vg_err load_shared(struct vg_server *s, struct vg_diag *d)
{
    struct area_load al = {s, VG_OK};
    vg_buf_init(&s->areas_geojson, 0);
    enum vg_err e = vg_buf_printf(&s->areas_geojson, "{\"type\":\"FeatureCollection\",\"layer\":");
    e = e ? e : vg_buf_json_str(&s->areas_geojson, s->ctx.layer, strlen(s->ctx.layer));
    e = e ? e : vg_buf_adds(&s->areas_geojson, ",\"features\":[\n");
    if (e == VG_OK && s->ctx.layer[0])
        e = s->ctx.store->ops->areas_get(s->ctx.store, s->ctx.layer, on_area, &al, d);
    e = e ? e : vg_buf_adds(&s->areas_geojson, "]}\n");
    struct vg_events ev;
    vg_events_init(&ev);
    struct vg_event_filter f = {NULL, 0, 0, 0, -1, -1, -1};
    if (e == VG_OK)
        e = vg_store_events(s->ctx.store, &f, &ev, d);
    s->cat_events = e ? NULL : vg_calloc(s->ctx.tax.n + 1, sizeof *s->cat_events);
    if (e == VG_OK && s->cat_events == NULL)
        e = VG_NOMEM;
    for (size_t i = 0; e == VG_OK && i < ev.n; i++)
        if (ev.cat[i] >= 0 && (size_t)ev.cat[i] < s->ctx.tax.n)
            s->cat_events[ev.cat[i]]++;
    if (e == VG_OK && ev.n) {
        s->last_day = vg_tz_local_day(s->ctx.tz, ev.t[ev.n - 1]);
        s->first_day = vg_tz_local_day(s->ctx.tz, ev.t[0]);
    }
    /* the briefing's default categories: the most frequent, at least 30 events */
    for (size_t k = 0; e == VG_OK && k < 4; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < s->ctx.tax.n; i++) {
            int taken = 0;
            for (size_t j = 0; j < s->ntop_cats; j++)
                taken |= s->top_cats[j] == (int32_t)i;
            if (!taken && s->cat_events[i] >= 30 &&
                (best == SIZE_MAX || s->cat_events[i] > s->cat_events[best]))
                best = i;
        }
        if (best != SIZE_MAX)
            s->top_cats[s->ntop_cats++] = (int32_t)best;
    }
    vg_events_free(&ev);
    return e;
}

static enum vg_err read_pem(const char *path, char **out, struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, 1 << 20);
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e) {
        vg_buf_free(&b);
        return e;
    }
    *out = b.p;
    return VG_OK;
}

static enum vg_err configure(struct vg_server *s, const struct vg_server_config *c,
                             struct vg_diag *d)
{
    s->cfg = *c;
    if (!s->cfg.max_body)
        s->cfg.max_body = 64 * 1024;
    if (!s->cfg.timeout_s)
        s->cfg.timeout_s = 15;
    if (!s->cfg.max_conns)
        s->cfg.max_conns = 256;
    snprintf(s->db, sizeof s->db, "%s", c->db);
    s->cfg.db = s->db;
    if (c->video_db && vg_store_is_postgres(c->video_db))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--video-db: the video register is an SQLite file, "
                       "not a PostgreSQL URL");
    snprintf(s->video_db, sizeof s->video_db, "%s",
             c->video_db ? c->video_db : vg_store_is_postgres(c->db) ? "" : c->db);
    s->cfg.video_db = s->video_db[0] ? s->video_db : NULL;
    if ((c->tls_cert == NULL) != (c->tls_key == NULL))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--tls-cert and --tls-key go together");
    if (c->tls_cert) {
        enum vg_err e = read_pem(c->tls_cert, &s->tls_cert, d);
        if (e == VG_OK)
            e = read_pem(c->tls_key, &s->tls_key, d);
        if (e)
            return e;
    }
    snprintf(s->leaflet, sizeof s->leaflet, "%s",
             c->leaflet_dir ? c->leaflet_dir : "/usr/share/javascript/leaflet");
    snprintf(s->tiles, sizeof s->tiles, "%s", c->tiles_dir ? c->tiles_dir : "");
    return VG_OK;
}

enum vg_err vg_server_start(const struct vg_server_config *c, struct vg_server **out,
                            struct vg_diag *d)
{
    size_t nr;
    const struct vg_route *rt = vg_routes(&nr);
    char host[128];
    unsigned port = 0;
    *out = NULL;
    enum vg_err e = vg_routes_check(rt, nr, d);
    if (e == VG_OK)
        e = vg_reqparse_listen(c->listen ? c->listen : "127.0.0.1:8080", host, sizeof host, &port, d);
    if (e)
        return e;
    struct vg_server *s = vg_calloc(1, sizeof *s);
    if (s == NULL)
        return VG_NOMEM;
    pthread_mutex_init(&s->engine, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    for (size_t i = 0; i < VG_CACHE_SLOTS; i++)
        vg_buf_init(&s->cache[i].body, 0);
    vg_buf_init(&s->areas_geojson, 0);
    e = configure(s, c, d);
    if (e == VG_OK)
        e = vg_ctx_open(&s->ctx, c->db, 0, d);
    if (e == VG_OK) {
        s->ctx_open = 1;
        if (c->web_root)
            snprintf(s->web_root, sizeof s->web_root, "%s", c->web_root);
        else
            vg_ctx_path(&s->ctx, "web", s->web_root, sizeof s->web_root);
        e = load_shared(s, d);
    }
    if (e == VG_OK)
        e = vg_api_logbook_open(s, d); /* a bad --gazetteer stops here, not at the first entry */
    if (e == VG_OK)
        e = vg_server_audit_open(c->db, d);
    if (e == VG_OK)
        e = vg_auth_new(&s->auth);
    if (e == VG_OK)
        e = vg_http__listen(s, host, port, d);
    if (e == VG_OK)
        e = vg_housekeeping_start(s, c->purge_hours, &s->housekeeping, d);
    if (e) {
        vg_server_stop(s);
        return e;
    }
    *out = s;
    return VG_OK;
}

unsigned vg_server_port(const struct vg_server *s) { return s ? s->port : 0; }

void vg_server_stop(struct vg_server *s)
{
    if (s == NULL)
        return;
    vg_http__close(s);
    vg_housekeeping_stop(s->housekeeping);
    vg_api_logbook_free(s);
    vg_server_audit_close();
    vg_auth_free(s->auth);
    for (size_t i = 0; i < s->nareas; i++) {
        vg_free(s->area_id[i]);
        vg_free(s->area_name[i]);
    }
    vg_free(s->area_id);
    vg_free(s->area_name);
    vg_free(s->area_km2);
    vg_free(s->area_pop);
    vg_free(s->cat_events);
    vg_buf_free(&s->areas_geojson);
    for (size_t i = 0; i < VG_CACHE_SLOTS; i++)
        vg_buf_free(&s->cache[i].body);
    if (s->ctx_open)
        vg_ctx_close(&s->ctx);
    vg_free(s->tls_cert);
    vg_free(s->tls_key);
    pthread_mutex_destroy(&s->engine);
    pthread_mutex_destroy(&s->cache_mu);
    vg_free(s);
}
