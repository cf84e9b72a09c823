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
    const char *audit_path;  /* interim audit log; NULL = DB + ".audit.jsonl" */
    size_t max_body;         /* request body limit in bytes; 0 = 64 KiB */
    unsigned timeout_s;      /* idle connection timeout; 0 = 15 s */
    unsigned max_conns;      /* concurrent connections; 0 = 256 */
    int log_requests;        /* one line per request on stderr */
    const char *live_dir;    /* recorders' live JPEGs (camera wall); NULL = "video/live" */
};

struct vg_server;

enum vg_err vg_server_start(const struct vg_server_config *c,
                            struct vg_server **out, struct vg_diag *d);
/* The TCP port actually bound (useful with port 0). */
unsigned vg_server_port(const struct vg_server *s);
void vg_server_stop(struct vg_server *s);

/* One audit record (see vg_server_audit). Strings may be NULL. */
struct vg_audit_rec {
    const char *actor;   /* user name, "-" when not logged in, "cli:USER" */
    const char *role;
    const char *ip;
    const char *action;  /* "GET /api/v1/incidents", "users add" */
    const char *object;  /* query string or target */
    const char *purpose; /* X-Purpose given by the user */
    const char *detail;  /* outcome details: "rows=50", "denied: role" */
    int status;          /* HTTP status or process exit code */
};

/* Record one API read or write.  This is the only place the server writes
 * audit records; the tamper-evident audit module (src/audit/) plugs in
 * here.  Until it lands, records are appended as JSON lines to `path`
 * (opened once per process by vg_server_audit_open).  Thread-safe;
 * failures are reported on stderr and never fail the request. */
enum vg_err vg_server_audit_open(const char *path, struct vg_diag *d);
void vg_server_audit(const struct vg_audit_rec *r);
void vg_server_audit_close(void);
/* Default interim log path for a database path: "DB.audit.jsonl". */
void vg_server_audit_path(const char *db, char *out, size_t cap);

#endif
