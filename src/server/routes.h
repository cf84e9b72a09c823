/*
 * routes.h — the one route table of `vigie serve`.
 * A route is {method, path, roles, purpose, handler, summary}: `path` is
 * exact, or ends with "/" then "*" to match a prefix (the rest is the request's
 * `tail`).  Every route must declare roles (VG_ROLE_PUBLIC for the few
 * that need no session); vg_routes_check refuses a table that does not.
 */
#ifndef VG_ROUTES_H
#define VG_ROUTES_H

#include <stddef.h>

#include "server/http.h"

struct vg_route {
    const char *method;
    const char *path;
    unsigned roles;          /* VG_ROLE_* bits allowed */
    unsigned purpose_roles;  /* roles that must state a purpose (X-Purpose) */
    enum vg_err (*handler)(struct vg_req *r, struct vg_diag *d);
    const char *summary;
};

/* The table and its length. */
const struct vg_route *vg_routes(size_t *n);
/* VG_OK when every route has roles, a handler and a method; VG_INTERNAL
 * naming the first bad route otherwise. */
enum vg_err vg_routes_check(const struct vg_route *t, size_t n,
                            struct vg_diag *d);
/* Find the route of (method, path): *r->route set, or NULL with
 * *path_known = 1 when the path exists under another method (405). */
const struct vg_route *vg_routes_find(const char *method, const char *path,
                                      const char **tail, int *path_known);
/* Authenticate, authorise, check CSRF and purpose, run the handler and
 * write the audit record.  Fills r->status and r->out. */
void vg_routes_dispatch(struct vg_req *r);

/* Handlers (api.c, api_admin.c). */
enum vg_err vg_api_login(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_logout(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_me(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_briefing(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_areas(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_forecast(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_incidents(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_stats(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_models(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_models_report(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_models_status(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_categories(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_users_list(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_users_add(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_users_update(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_users_delete(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_audit(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_audit_verify(struct vg_req *r, struct vg_diag *d);
/* Logbook form, review queue, retention (api_logbook.c). */
enum vg_err vg_api_logbook_post(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_places(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_review_list(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_review_decide(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_retention_get(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_retention_put(struct vg_req *r, struct vg_diag *d);
/* At server start, before listening: load what the logbook form needs
 * (profile, --gazetteer, first names, DB.classifier, rules; the projection
 * when the store has a study CRS).  A missing or malformed file fails here
 * with the file, line and value in `d`. */
enum vg_err vg_api_logbook_open(struct vg_server *s, struct vg_diag *d);
/* Frees what vg_api_logbook_open/_post opened (server stop). */
void vg_api_logbook_free(struct vg_server *s);
/* Camera wall (api_video.c). */
enum vg_err vg_api_cameras(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_camera(struct vg_req *r, struct vg_diag *d);
enum vg_err vg_api_wall(struct vg_req *r, struct vg_diag *d);

#endif
