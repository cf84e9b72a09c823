/*
 * routes.c — the route table of `vigie serve` and the one dispatch path
 * every request goes through: find the route, authenticate the session
 * cookie, check the role, the CSRF header of writes, the purpose that some
 * roles must state, run the handler, and write the audit record.
 * Invariant: a handler runs only when every check above has passed.
 */
#include "server/routes.h"
#include "server/reqparse.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define R_OP VG_ROLE_OPERATOR
#define R_AN VG_ROLE_ANALYST
#define R_SU VG_ROLE_SUPERVISOR
#define R_AU VG_ROLE_AUDITOR
#define R_AD VG_ROLE_ADMIN

static const struct vg_route routes[] = {
    {"POST", "/api/v1/login", VG_ROLE_PUBLIC, 0, vg_api_login, "open a session"},
    {"POST", "/api/v1/logout", VG_ROLE_ANY, 0, vg_api_logout, "close the session"},
    {"GET", "/api/v1/me", VG_ROLE_ANY, 0, vg_api_me, "who am I, my role and CSRF token"},
    {"GET", "/api/v1/briefing", R_OP | R_AN | R_SU, 0, vg_api_briefing,
     "top places per category for a patrol shift"},
    {"GET", "/api/v1/areas", R_OP | R_AN | R_SU | R_AU, 0, vg_api_areas,
     "the default area layer as GeoJSON"},
    {"GET", "/api/v1/categories", R_OP | R_AN | R_SU | R_AU, 0, vg_api_categories,
     "incident categories with their event counts"},
    {"GET", "/api/v1/forecast", R_AN | R_SU, 0, vg_api_forecast, "a forecast as GeoJSON"},
    {"GET", "/api/v1/incidents", R_AN | R_SU | R_AU, R_SU | R_AU, vg_api_incidents,
     "incidents (scrubbed text only), paged"},
    {"GET", "/api/v1/stats", R_AN | R_SU, 0, vg_api_stats, "counts, shares, rates, changes"},
    {"GET", "/api/v1/models", R_OP | R_AN | R_SU | R_AU, 0, vg_api_models, "models and parameters"},
    {"GET", "/api/v1/models/report", R_OP | R_AN | R_SU | R_AU, 0, vg_api_models_report,
     "the last publication gate's backtest report (HTML)"},
    {"GET", "/api/v1/models/status", R_OP | R_AN | R_SU | R_AU, 0, vg_api_models_status,
     "publication gate decision of a category and shift"},
    {"GET", "/api/v1/users", R_AD, 0, vg_api_users_list, "list users"},
    {"POST", "/api/v1/users", R_AD, 0, vg_api_users_add, "create a user"},
    {"PATCH", "/api/v1/users/*", R_AD, 0, vg_api_users_update,
     "change a user's role, password or disabled flag"},
    {"DELETE", "/api/v1/users/*", R_AD, 0, vg_api_users_delete, "delete a user"},
    {"GET", "/api/v1/audit", R_AU, 0, vg_api_audit, "read the audit log"},
    {"GET", "/api/v1/audit/verify", R_AU | R_AD, 0, vg_api_audit_verify,
     "verify the whole trail: intact or the first broken record; records cut under retention"},
    {"GET", "/api/v1/cameras", R_OP | R_SU, 0, vg_api_cameras,
     "the cameras this user may view, with the age of their live picture"},
    {"GET", "/api/v1/cameras/*", R_OP | R_SU, 0, vg_api_camera,
     "NAME/live: masked MJPEG stream; NAME/snapshot: one masked JPEG (viewing logged)"},
    {"GET", "/api/v1/wall", R_OP | R_SU, 0, vg_api_wall,
     "?cameras=A,B,..: one masked MJPEG stream for a camera wall (parts tagged X-Camera)"},
    {"POST", "/api/v1/logbook", R_OP | R_AN | R_SU, 0, vg_api_logbook_post,
     "record a logbook entry (scrubbed, placed, classified like `vigie import logbook`)"},
    {"GET", "/api/v1/places", R_OP | R_AN | R_SU, 0, vg_api_places,
     "place names of the server's gazetteer (--gazetteer), for the logbook form"},
    {"GET", "/api/v1/review", R_AN | R_SU, 0, vg_api_review_list,
     "?status=pending: the classification review queue (scrubbed text)"},
    {"POST", "/api/v1/review/*", R_AN | R_SU, 0, vg_api_review_decide,
     "ID {category}: confirm or correct an entry's category"},
    {"GET", "/api/v1/retention", R_AD | R_AU | R_SU, 0, vg_api_retention_get,
     "retention policy (days per type, null = forever) and holds in force"},
    {"PUT", "/api/v1/retention", R_AD, 0, vg_api_retention_put,
     "{policy: \"incident=1095,logbook=365\"}: set the retention policy"},
    {"GET", "/*", VG_ROLE_PUBLIC, 0, vg_http_static, "static files of the web UI"},
    {"HEAD", "/*", VG_ROLE_PUBLIC, 0, vg_http_static, "static files of the web UI"},
};

const struct vg_route *vg_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

enum vg_err vg_routes_check(const struct vg_route *t, size_t n, struct vg_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        const struct vg_route *r = &t[i];
        if (r->method == NULL || r->path == NULL || r->path[0] != '/' || r->handler == NULL)
            return vg_fail(d, VG_INTERNAL, "routes.c", 0, 0, "route %zu is incomplete", i);
        if ((r->roles & (VG_ROLE_ANY | VG_ROLE_PUBLIC)) == 0)
            return vg_fail(d, VG_INTERNAL, "routes.c", 0, 0,
                           "route %s %s declares no roles: refusing to start", r->method, r->path);
        if ((r->roles & VG_ROLE_PUBLIC) && strncmp(r->path, "/api/v1/login", 13) &&
            strncmp(r->path, "/*", 2))
            return vg_fail(d, VG_INTERNAL, "routes.c", 0, 0,
                           "route %s %s is public: only login and static files may be", r->method,
                           r->path);
    }
    return VG_OK;
}

static int path_match(const char *pattern, const char *path, const char **tail)
{
    size_t pl = strlen(pattern);
    if (pl >= 2 && pattern[pl - 1] == '*' && pattern[pl - 2] == '/') {
        if (strncmp(pattern, path, pl - 1) != 0)
            return 0;
        *tail = path + pl - 1;
        return 1;
    }
    *tail = "";
    return strcmp(pattern, path) == 0;
}

const struct vg_route *vg_routes_find(const char *method, const char *path, const char **tail,
                                      int *path_known)
{
    *path_known = 0;
    int api = strncmp(path, "/api/", 5) == 0;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const struct vg_route *r = &routes[i];
        if (api && !strcmp(r->path, "/*"))
            continue; /* the API never falls through to static files */
        if (!path_match(r->path, path, tail))
            continue;
        if (!strcmp(r->method, method))
            return r;
        *path_known = 1;
    }
    return NULL;
}

static const char *session_cookie(const struct vg_req *r)
{
    return r->srv->cfg.secure_cookies || r->srv->tls_cert ? "__Host-vigie" : "vigie";
}

static void authenticate(struct vg_req *r)
{
    const char *h = vg_req_header(r, "Cookie");
    if (h && vg_reqparse_cookie(h, strlen(h), session_cookie(r), r->token, sizeof r->token) == VG_OK &&
        vg_auth_session_get(r->srv->auth, r->token, vg_http_now(), &r->who) == VG_OK)
        r->authed = 1;
    else
        r->token[0] = '\0';
}

/* The checks before the handler; returns 0 after writing a refusal. */
static int admit(struct vg_req *r)
{
    const struct vg_route *rt = r->route;
    int write = strcmp(r->method, "GET") && strcmp(r->method, "HEAD");
    if (r->body_too_large) {
        vg_req_error(r, VG_LIMIT, 413, "request body exceeds %zu bytes", r->srv->cfg.max_body);
        return 0;
    }
    if (write && r->body.len) {
        const char *ct = vg_req_header(r, "Content-Type");
        if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
            vg_req_error(r, VG_PARSE, 415, "request bodies must be application/json");
            return 0;
        }
    }
    if (rt->roles & VG_ROLE_PUBLIC)
        return 1;
    if (!r->authed) {
        vg_req_error(r, VG_AUTH, 401, "log in first");
        snprintf(r->detail, sizeof r->detail, "denied: no session");
        return 0;
    }
    if (!(r->who.role & rt->roles)) {
        vg_req_error(r, VG_FORBIDDEN, 403, "the %s role may not use %s %s",
                     vg_auth_role_name(r->who.role), rt->method, rt->path);
        snprintf(r->detail, sizeof r->detail, "denied: role");
        return 0;
    }
    if (write && !vg_auth_token_eq(vg_req_header(r, "X-CSRF-Token"), r->who.csrf)) {
        vg_req_error(r, VG_FORBIDDEN, 403, "missing or wrong X-CSRF-Token header (see GET /api/v1/me)");
        snprintf(r->detail, sizeof r->detail, "denied: csrf");
        return 0;
    }
    r->purpose = vg_req_header(r, "X-Purpose");
    if (r->purpose == NULL)
        r->purpose = vg_req_arg(r, "purpose");
    if (r->who.role & rt->purpose_roles) {
        size_t pl = r->purpose ? strlen(r->purpose) : 0;
        if (pl < 5 || pl > 300) {
            vg_req_error(r, VG_FORBIDDEN, 403,
                         "the %s role must state a purpose (X-Purpose header, 5 to 300 characters)",
                         vg_auth_role_name(r->who.role));
            snprintf(r->detail, sizeof r->detail, "denied: no purpose");
            return 0;
        }
    }
    return 1;
}

static void audit(struct vg_req *r)
{
    char action[160];
    snprintf(action, sizeof action, "%s %s", r->method, r->path);
    struct vg_srv_audit a = {r->authed ? r->who.user : "-",
                             r->authed ? vg_auth_role_name(r->who.role) : NULL,
                             r->ip, action, r->object[0] ? r->object : NULL, r->purpose,
                             r->detail[0] ? r->detail : NULL, (int)r->status};
    vg_server_audit(&a);
}

void vg_routes_dispatch(struct vg_req *r)
{
    int known = 0;
    int api = strncmp(r->path, "/api/", 5) == 0;
    r->status = 200;
    r->ctype = "application/json";
    r->route = vg_routes_find(r->method, r->path, &r->tail, &known);
    authenticate(r);
    if (r->route == NULL) {
        if (known)
            vg_req_error(r, VG_UNSUPPORTED, 405, "%s is not allowed on %s", r->method, r->path);
        else
            vg_req_error(r, VG_NOTFOUND, 404, "no such resource %s", r->path);
    } else if (admit(r)) {
        struct vg_diag d;
        vg_diag_clear(&d);
        enum vg_err e = r->route->handler(r, &d);
        if (e != VG_OK) {
            unsigned st = (unsigned)vg_http_status(e);
            if (st >= 500) {
                char msg[600];
                vg_diag_format(&d, msg, sizeof msg);
                fprintf(stderr, "vigie serve: %s %s: %s\n", r->method, r->path, msg);
                vg_req_error(r, e, 0, "%s", vg_strerror(e));
            } else {
                vg_req_error(r, e, 0, "%s", d.msg[0] ? d.msg : vg_strerror(e));
            }
            if (!r->detail[0])
                snprintf(r->detail, sizeof r->detail, "error: %s", vg_strerror(e));
        }
    }
    if (api)
        audit(r);
}
