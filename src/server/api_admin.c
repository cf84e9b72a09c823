/*
 * api_admin.c — sessions (login, logout, me), user administration and the
 * auditor's view of the audit log.  Password hashing and verification run
 * outside the engine mutex (they cost ~0.1 s and 64 MiB each); only the
 * store reads and writes hold it.  Passwords are never logged or echoed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "base/tz.h"
#include "server/reqparse.h"
#include "server/routes.h"

static enum vg_err fetch_user(struct vg_server *s, const char *name, struct vg_auth_user *c,
                              struct vg_diag *d)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_lock(&s->engine);
    enum vg_err e = s->ctx.store->ops->users_get(s->ctx.store, name, vg_auth_user_copy, c, d);
    pthread_mutex_unlock(&s->engine);
    return e;
}

static void set_cookie(struct vg_req *r, const char *token, long max_age)
{
    int secure = r->srv->cfg.secure_cookies || r->srv->tls_cert;
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
             secure ? "__Host-vigie" : "vigie", token, max_age, secure ? "; Secure" : "");
}

/* Who is logged in, and the town's time zone (the pages show times in it). */
static enum vg_err who_json(struct vg_req *r, const struct vg_session_info *w)
{
    const struct vg_tz *tz = r->srv->ctx_open ? r->srv->ctx.tz : NULL;
    return vg_buf_printf(&r->out, "{\"user\":\"%s\",\"role\":\"%s\",\"csrf\":\"%s\",\"tiles\":%s,"
                         "\"tz\":\"%s\"}\n", w->user, vg_auth_role_name(w->role), w->csrf,
                         r->srv->tiles[0] ? "true" : "false", tz ? vg_tz_name(tz) : "UTC");
}

enum vg_err vg_api_login(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    json_t *j = NULL;
    struct vg_auth_user u;
    unsigned wait = 0;
    enum vg_err e = vg_reqparse_json(r->body.p, r->body.len, s->cfg.max_body, &j, d);
    if (e)
        return e;
    const char *user = vg_reqparse_json_str(j, "user", VG_AUTH_NAME_MAX);
    const char *pw = vg_reqparse_json_str(j, "password", VG_AUTH_PW_MAX);
    if (user == NULL || pw == NULL || !vg_auth_name_ok(user)) {
        e = vg_req_error(r, VG_PARSE, 400, "{\"user\", \"password\"} strings are required");
        goto out;
    }
    snprintf(r->object, sizeof r->object, "user=%s", user);
    int64_t now = vg_http_now();
    if (vg_auth_rate_check(s->auth, user, r->ip, now, &wait) != VG_OK) {
        r->retry_after = wait;
        snprintf(r->detail, sizeof r->detail, "refused: rate limit");
        e = vg_req_error(r, VG_LIMIT, 429, "too many failed logins; retry in %u s", wait);
        goto out;
    }
    struct vg_diag ud;
    e = fetch_user(s, user, &u, &ud);
    if (e != VG_OK && e != VG_NOTFOUND)
        goto out;
    unsigned role = u.found ? vg_auth_role_parse(u.role) : 0;
    int ok = vg_auth_verify(u.found ? u.hash : NULL, pw, strlen(pw)) && !u.disabled && role;
    vg_auth_rate_note(s->auth, user, r->ip, now, ok);
    if (!ok) {
        snprintf(r->detail, sizeof r->detail, "login failed%s", u.found && u.disabled ? " (disabled)" : "");
        e = vg_req_error(r, VG_AUTH, 401, "wrong user name or password");
        goto out;
    }
    struct vg_session_info who;
    char token[VG_AUTH_TOKEN_LEN + 1];
    if (vg_auth_session_new(s->auth, user, role, now, token, &who) != VG_OK) {
        e = vg_req_error(r, VG_LIMIT, 503, "too many open sessions");
        goto out;
    }
    set_cookie(r, token, VG_AUTH_MAX_AGE);
    r->authed = 1;
    r->who = who;
    snprintf(r->detail, sizeof r->detail, "login");
    e = who_json(r, &who);
out:
    json_decref(j);
    return e;
}

enum vg_err vg_api_logout(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    vg_auth_session_end(r->srv->auth, r->token);
    set_cookie(r, "", 0);
    return vg_buf_adds(&r->out, "{\"ok\":true}\n");
}

enum vg_err vg_api_me(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    return who_json(r, &r->who);
}

struct user_list {
    struct vg_buf *b;
    size_t n;
};

static enum vg_err list_user(void *arg, const struct vg_user_row *u)
{
    struct user_list *l = arg;
    enum vg_err e = vg_buf_printf(l->b, "%s\n{\"name\":", l->n++ ? "," : "");
    e = e ? e : vg_buf_json_str(l->b, u->name, strlen(u->name));
    e = e ? e : vg_buf_adds(l->b, ",\"role\":");
    e = e ? e : vg_buf_json_str(l->b, u->role, strlen(u->role));
    return e ? e : vg_buf_printf(l->b, ",\"disabled\":%s,\"created\":%lld,\"updated\":%lld}",
                                 u->disabled ? "true" : "false", (long long)u->created,
                                 (long long)u->updated);
}

enum vg_err vg_api_users_list(struct vg_req *r, struct vg_diag *d)
{
    struct user_list l = {&r->out, 0};
    struct vg_server *s = r->srv;
    enum vg_err e = vg_buf_adds(&r->out, "{\"users\":[");
    pthread_mutex_lock(&s->engine);
    e = e ? e : s->ctx.store->ops->users_get(s->ctx.store, NULL, list_user, &l, d);
    pthread_mutex_unlock(&s->engine);
    return e ? e : vg_buf_adds(&r->out, "]}\n");
}

enum vg_err vg_api_users_add(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    json_t *j = NULL;
    char hash[VG_AUTH_HASH_MAX];
    enum vg_err e = vg_reqparse_json(r->body.p, r->body.len, s->cfg.max_body, &j, d);
    if (e)
        return e;
    const char *name = vg_reqparse_json_str(j, "name", VG_AUTH_NAME_MAX);
    const char *role = vg_reqparse_json_str(j, "role", 16);
    const char *pw = vg_reqparse_json_str(j, "password", VG_AUTH_PW_MAX);
    if (!name || !vg_auth_name_ok(name) || !vg_auth_role_parse(role) || !pw) {
        e = vg_req_error(r, VG_PARSE, 400, "{\"name\": [a-z0-9._-]{1,64}, \"role\": operator|analyst|"
                         "supervisor|auditor|admin, \"password\"} are required");
        goto out;
    }
    snprintf(r->object, sizeof r->object, "user=%s role=%s", name, role);
    e = vg_auth_hash(pw, strlen(pw), hash, d);
    if (e == VG_RANGE)
        e = VG_USAGE;
    if (e)
        goto out;
    int64_t now = vg_http_now();
    struct vg_user_row u = {name, role, hash, 0, now, now};
    pthread_mutex_lock(&s->engine);
    e = s->ctx.store->ops->user_put(s->ctx.store, &u, 1, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK) {
        r->status = 201;
        e = vg_buf_printf(&r->out, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":false}\n", name, role);
    }
out:
    json_decref(j);
    return e;
}

/* PATCH /api/v1/users/NAME {"role"?, "disabled"?, "password"?} */
enum vg_err vg_api_users_update(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    const char *name = r->tail;
    json_t *j = NULL;
    struct vg_auth_user u;
    char hash[VG_AUTH_HASH_MAX];
    if (!vg_auth_name_ok(name))
        return vg_req_error(r, VG_NOTFOUND, 404, "no such user");
    snprintf(r->object, sizeof r->object, "user=%s", name);
    enum vg_err e = vg_reqparse_json(r->body.p, r->body.len, s->cfg.max_body, &j, d);
    if (e == VG_OK)
        e = fetch_user(s, name, &u, d);
    if (e)
        goto out;
    const json_t *dis = json_object_get(j, "disabled");
    const char *role = vg_reqparse_json_str(j, "role", 16);
    const char *pw = vg_reqparse_json_str(j, "password", VG_AUTH_PW_MAX);
    if ((json_object_get(j, "role") && !vg_auth_role_parse(role)) || (dis && !json_is_boolean(dis)) ||
        (json_object_get(j, "password") && !pw)) {
        e = vg_req_error(r, VG_PARSE, 400, "role must be a role name, disabled a boolean, password a string");
        goto out;
    }
    if (!strcmp(name, r->who.user) && ((dis && json_is_true(dis)) || (role && strcmp(role, "admin")))) {
        e = vg_req_error(r, VG_STATE, 409, "an administrator cannot disable or demote their own account");
        goto out;
    }
    snprintf(hash, sizeof hash, "%s", u.hash);
    if (pw && (e = vg_auth_hash(pw, strlen(pw), hash, d)) != VG_OK) {
        e = e == VG_RANGE ? VG_USAGE : e;
        goto out;
    }
    struct vg_user_row row = {name, role ? role : u.role, hash, dis ? json_is_true(dis) : u.disabled,
                              u.created, vg_http_now()};
    pthread_mutex_lock(&s->engine);
    e = s->ctx.store->ops->user_put(s->ctx.store, &row, 0, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK) {
        size_t ended = vg_auth_sessions_end_user(s->auth, name);
        snprintf(r->detail, sizeof r->detail, "%s%s%s sessions_ended=%zu", role ? "role " : "",
                 dis ? "disabled " : "", pw ? "password" : "", ended);
        e = vg_buf_printf(&r->out, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":%s}\n", name, row.role,
                          row.disabled ? "true" : "false");
    }
out:
    json_decref(j);
    return e;
}

enum vg_err vg_api_users_delete(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    const char *name = r->tail;
    if (!vg_auth_name_ok(name))
        return vg_req_error(r, VG_NOTFOUND, 404, "no such user");
    snprintf(r->object, sizeof r->object, "user=%s", name);
    if (!strcmp(name, r->who.user))
        return vg_req_error(r, VG_STATE, 409, "an administrator cannot delete their own account");
    pthread_mutex_lock(&s->engine);
    enum vg_err e = s->ctx.store->ops->user_delete(s->ctx.store, name, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK) {
        vg_auth_sessions_end_user(s->auth, name);
        e = vg_buf_adds(&r->out, "{\"ok\":true}\n");
    }
    return e;
}

/* The auditor's view of the hash-chained trail: the last `limit` records
 * matching user / action / from / to (local dates are not used: from/to are
 * UTC days), oldest first.  Two scans under the audit lock: count, then
 * write the tail. */
struct audit_view {
    struct vg_buf *out;
    size_t n, skip, written;
    enum vg_err e;
};

static int audit_count(const struct vg_audit_rec *rec, void *ctx)
{
    (void)rec;
    ((struct audit_view *)ctx)->n++;
    return 0;
}

static int audit_emit(const struct vg_audit_rec *rec, void *ctx)
{
    struct audit_view *v = ctx;
    if (v->skip) {
        v->skip--;
        return 0;
    }
    struct vg_buf *b = v->out;
    const char *k[] = {"user", "role", "action", "object", "purpose"};
    const char *x[] = {rec->user, rec->role, rec->action, rec->object, rec->purpose};
    char ts[24];
    vg_utc_iso(rec->time, ts);
    enum vg_err e = vg_buf_printf(b, "%s{\"seq\":%lld,\"time\":\"%s\"", v->written++ ? ",\n" : "\n",
                                  (long long)rec->seq, ts);
    for (size_t i = 0; e == VG_OK && i < 5; i++) {
        if (x[i] == NULL)
            continue;
        e = vg_buf_printf(b, ",\"%s\":", k[i]);
        e = e ? e : vg_buf_json_str(b, x[i], strlen(x[i]));
    }
    e = e ? e : vg_buf_printf(b, ",\"details\":%s}", rec->details && *rec->details ? rec->details : "{}");
    v->e = e;
    return e != VG_OK;
}

/* ?from= / ?to= as the town's calendar days: the first instant of that day
 * (of the next one for `to`, which is included); 0 when absent. */
static int audit_day(struct vg_req *r, const char *name, int end, int64_t *out)
{
    const char *v = vg_req_arg(r, name);
    const struct vg_tz *tz = r->srv->ctx_open ? r->srv->ctx.tz : NULL;
    int y, m, d;
    *out = 0;
    if (v == NULL || !*v)
        return 1;
    if (vg_parse_date(v, &y, &m, &d)) {
        vg_req_error(r, VG_USAGE, 400, "%s must be YYYY-MM-DD", name);
        return 0;
    }
    *out = vg_tz_day_start(tz, vg_days_from_civil(y, m, d) + (end ? 1 : 0));
    return 1;
}

enum vg_err vg_api_audit(struct vg_req *r, struct vg_diag *d)
{
    const char *v = vg_req_arg(r, "limit");
    long limit = v ? strtol(v, NULL, 10) : 100;
    if (limit < 1 || limit > 1000)
        return vg_req_error(r, VG_RANGE, 400, "limit must be 1..1000");
    struct vg_audit_query q = {0};
    q.user = vg_req_arg(r, "user");
    q.action = vg_req_arg(r, "action");
    if (!audit_day(r, "from", 0, &q.from) || !audit_day(r, "to", 1, &q.to))
        return VG_OK;
    struct audit_view av = {&r->out, 0, 0, 0, VG_OK};
    enum vg_err e = vg_server_audit_scan(&q, audit_count, &av, d);
    av.skip = av.n > (size_t)limit ? av.n - (size_t)limit : 0;
    e = e ? e : vg_buf_printf(&r->out, "{\"source\":\"trail\",\"matching\":%zu,\"entries\":[", av.n);
    e = e ? e : vg_server_audit_scan(&q, audit_emit, &av, d);
    e = e ? e : av.e;
    snprintf(r->detail, sizeof r->detail, "rows=%zu", av.written);
    return e ? e : vg_buf_adds(&r->out, "]}\n");
}

/* Verify the whole trail (hashes, chain, signatures, signed head and the
 * retention checkpoint) and say so; a broken trail is a 200 with
 * "intact": false and the first fault, not a server error. */
enum vg_err vg_api_audit_verify(struct vg_req *r, struct vg_diag *d)
{
    struct vg_audit_report rep;
    struct vg_diag vd;
    vg_diag_clear(&vd);
    enum vg_err e = vg_audit_verify_for_store(r->srv->db, 1, &rep, &vd);
    if (e != VG_OK && e != VG_INTEGRITY)
        return vg_req_error(r, e, 500, "cannot read the audit trail: %s", vd.msg);
    char bt[24] = "";
    if (rep.base_seq > 0)
        vg_utc_iso(rep.base_time, bt);
    e = vg_buf_printf(&r->out, "{\"intact\":%s,\"records\":%lld,\"signatures\":%lld,"
                      "\"signed_through\":%lld,\"pruned_through\":%lld,\"pruned_at\":%s%s%s",
                      rep.fault == VG_AUDIT_FAULT_NONE ? "true" : "false",
                      (long long)rep.records, (long long)rep.signatures,
                      (long long)rep.signed_seq, (long long)rep.base_seq,
                      bt[0] ? "\"" : "", bt[0] ? bt : "null", bt[0] ? "\"" : "");
    if (e == VG_OK && rep.fault != VG_AUDIT_FAULT_NONE) {
        e = vg_buf_printf(&r->out, ",\"broken_at\":%lld,\"fault\":\"%s\",\"message\":",
                          (long long)rep.seq, vg_audit_fault_name(rep.fault));
        if (e == VG_OK)
            e = vg_buf_json_str(&r->out, rep.msg, strlen(rep.msg));
    }
    snprintf(r->detail, sizeof r->detail, "%s", rep.fault == VG_AUDIT_FAULT_NONE ? "intact" : "BROKEN");
    (void)d;
    return e ? e : vg_buf_adds(&r->out, "}\n");
}
