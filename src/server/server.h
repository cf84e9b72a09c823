/*
 * server.h — `vigie serve`: the web application and its JSON API.
 *
 * vg_server_start opens the store, loads what every request shares (the
 * default area layer as GeoJSON, the categories that have data), checks
 * the route table (a route without roles refuses the start), then listens
 * with libmicrohttpd (one thread per connection, idle connections closed
 * after the timeout, request bodies capped).  vg_server_stop closes
 * everything.  The server owns everything it opened.
 */
#ifndef VG_SERVER_H
#define VG_SERVER_H

#include <stddef.h>

#include "base/err.h"

struct vg_server_config {
    const char *db;          /* store URL (SQLite path) */
    const char *listen;      /* "127.0.0.1:8080", "[::1]:8080", ":8080"; port 0 = any */
    const char *web_root;    /* folder with index.html; NULL = HOME/web */
    const char *leaflet_dir; /* NULL = /usr/share/javascript/leaflet */
    const char *tls_cert, *tls_key; /* PEM files: both or neither */
    int secure_cookies;      /* mark cookies Secure without TLS (TLS proxy in front) */
    int trust_proxy;         /* client address from X-Forwarded-For of a loopback peer */
    size_t max_body;         /* request body limit in bytes; 0 = 64 KiB */
    unsigned timeout_s;      /* idle connection timeout; 0 = 15 s */
    unsigned max_conns;      /* concurrent connections; 0 = 256 */
    int log_requests;        /* one line per request on stderr */
    const char *live_dir;    /* recorders' live JPEGs (camera wall); NULL = "video/live" */
    double purge_hours;      /* retention purge at start and every N hours; 0 = never */
    const char *gazetteer;   /* place names of the logbook form (name,kind,lon,lat CSV); NULL = none */
    const char *tiles_dir;   /* the town's own map tiles Z/X/Y.png served at /tiles/; NULL = none */
    const char *video_db;    /* the recorders' video register (SQLite file: cameras, rights,
                              * viewing log); NULL = `db` when that is a file.  With a
                              * PostgreSQL store and no video_db the camera routes answer 503. */
};

struct vg_server;

enum vg_err vg_server_start(const struct vg_server_config *c,
                            struct vg_server **out, struct vg_diag *d);
/* The TCP port actually bound (useful with port 0). */
unsigned vg_server_port(const struct vg_server *s);
void vg_server_stop(struct vg_server *s);

/* One API audit record (see vg_server_audit). Strings may be NULL. */
struct vg_srv_audit {
    const char *actor;   /* user name, "-" when not logged in */
    const char *role;
    const char *ip;
    const char *action;  /* "GET /api/v1/incidents" */
    const char *object;  /* query string or target */
    const char *purpose; /* X-Purpose given by the user */
    const char *detail;  /* outcome details: "rows=50", "denied: role" */
    int status;          /* HTTP status */
};

/* The server's audit records go to the store's hash-chained trail
 * (audit/auditlog.h: "DB.audit", signed, `vigie audit verify`).  Open it
 * once per process for the store file `db`; vg_server_audit appends one
 * record (thread-safe; a failure is reported on stderr and never fails the
 * request: the request has already been served).  ip, status and detail go
 * into the record's details object. */
enum vg_err vg_server_audit_open(const char *db, struct vg_diag *d);
void vg_server_audit(const struct vg_srv_audit *r);
void vg_server_audit_close(void);
struct vg_audit_query;
struct vg_audit_rec;
struct vg_audit;
/* Run fn on the open trail under the server's audit lock (VG_INTERNAL when
 * none is open): the purge and forecast records append through it. */
enum vg_err vg_server_audit_with(enum vg_err (*fn)(struct vg_audit *trail, void *arg), void *arg);
/* Append a record built by the caller (camera viewings) to the open trail
 * under the server's audit lock.  Returns 0 when no trail is open in this
 * process (the caller opens one itself), else 1 with the status in *e. */
int vg_server_audit_append(const struct vg_audit_rec *r, enum vg_err *e, struct vg_diag *d);
/* Scan the open trail under the server's audit lock (auditor's view). */
enum vg_err vg_server_audit_scan(const struct vg_audit_query *q,
                                 int (*cb)(const struct vg_audit_rec *rec, void *ctx),
                                 void *ctx, struct vg_diag *d);

#endif
