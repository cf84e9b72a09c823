/*
 * auditlog.c — appending to the audit trail, signing its head, reading it.
 *
 * Invariant: while holding both the mutex and the back end's lock, the
 * cached (last_seq, last_hash) equal those of the trail's last line; they
 * are re-read whenever the back end's version token changed (another
 * process appended).  A torn last line (crash in the middle of a write)
 * makes every append fail with VG_INTEGRITY rather than glue a new record
 * onto garbage.  Memory: `struct vg_audit` owns its back end, its path and
 * its secret key (wiped on close).
 */
#include "audit/audit_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"

struct vg_audit {
    const struct vg_audit_backend_ops *ops;
    void *self;
    pthread_mutex_t mu;
    struct vg_audit_opts opts;
    char *path, *roles;
    unsigned char pk[32], sk[64];
    int have_key;
    uint64_t version;          /* back end token when the cache was filled */
    int cached;
    int64_t last_seq, sign_seq, sign_time;
    char last_hash[VG_AUDIT_HEX];
};

static int64_t now_of(const struct vg_audit *a)
{
    return a->opts.now ? a->opts.now(a->opts.now_ctx) : (int64_t)time(NULL);
}

void audit__backend(struct vg_audit *a, const struct vg_audit_backend_ops **ops,
                    void **self)
{
    *ops = a->ops;
    *self = a->self;
}

const char *vg_audit_path(const struct vg_audit *a)
{
    return a ? a->path : NULL;
}

enum vg_err vg_audit_open_backend(const struct vg_audit_backend_ops *ops,
                                  void *self, const char *key_base,
                                  const struct vg_audit_opts *opts,
                                  struct vg_audit **out, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    struct vg_audit *a = vg_calloc(1, sizeof *a);
    *out = NULL;
    if (a == NULL || sodium_init() < 0) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "cannot set up the audit trail");
        ops->close(self);
        vg_free(a);
        return e;
    }
    a->ops = ops;
    a->self = self;
    pthread_mutex_init(&a->mu, NULL);
    if (opts)
        a->opts = *opts;
    if (a->opts.sign_every <= 0)
        a->opts.sign_every = 100;
    if (a->opts.sign_interval == 0)
        a->opts.sign_interval = 60;
    a->roles = vg_strdup(a->opts.purpose_roles ? a->opts.purpose_roles
                                               : VG_AUDIT_PURPOSE_ROLES);
    a->path = vg_strdup(key_base ? key_base : ops->name);
    a->opts.purpose_roles = a->roles;
    if (a->roles == NULL || a->path == NULL)
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "no memory");
    else if (key_base == NULL && !a->opts.read_only)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "a writable trail needs key files");
    else if (!a->opts.read_only) {
        e = audit__load_keys(key_base, 1, a->pk, a->sk, d);
        a->have_key = e == VG_OK;
    }
    a->sign_time = now_of(a);
    if (e != VG_OK) {
        vg_audit_close(a, NULL);
        return e;
    }
    *out = a;
    return VG_OK;
}

enum vg_err vg_audit_open(const char *db_path, const struct vg_audit_opts *opts,
                          struct vg_audit **out, struct vg_diag *d)
{
    char path[4096];
    void *self = NULL;
    *out = NULL;
    if (db_path == NULL || snprintf(path, sizeof path, "%s.audit", db_path) >=
                               (int)sizeof path - 8)
        return vg_fail(d, VG_USAGE, "", 0, 0, "store path missing or too long");
    enum vg_err e = audit__file_new(path, opts && opts->read_only, &self, d);
    if (e != VG_OK)
        return e;
    return vg_audit_open_backend(&audit__file_ops, self, path, opts, out, d);
}

/* Fill the cache from the trail's last line and signed head.  Under lock. */
static enum vg_err refresh(struct vg_audit *a, struct vg_diag *d)
{
    uint64_t ver;
    enum vg_err e = a->ops->version(a->self, &ver, d);
    char *buf = NULL, why[200], head[400];
    size_t len = 0;
    struct audit__parsed p = {0};
    if (e != VG_OK || (a->cached && ver == a->version))
        return e;
    if ((buf = vg_malloc(VG_AUDIT_LINE_MAX)) == NULL)
        return vg_fail(d, VG_NOMEM, a->path, 0, 0, "no memory");
    e = a->ops->last_line(a->self, buf, &len, d);
    if (e != VG_OK)
        goto out;
    a->last_seq = 0;
    memcpy(a->last_hash, AUDIT__ZERO_HASH, VG_AUDIT_HEX);
    a->sign_seq = 0;
    if (len > 0) {
        enum vg_audit_fault f = audit__parse_line(buf, len, &p, why, sizeof why);
        if (f != VG_AUDIT_FAULT_NONE) {
            e = vg_fail(d, VG_INTEGRITY, a->path, 0, 0,
                        "last record is damaged (%s: %s); refusing to append — "
                        "run `vigie audit verify`", vg_audit_fault_name(f), why);
            goto out;
        }
        a->last_seq = p.rec.seq;
        memcpy(a->last_hash, p.hash, VG_AUDIT_HEX);
        if (p.is_sign)
            a->sign_seq = p.rec.seq, a->sign_time = p.rec.time;
    }
    struct audit__head h;
    if (!p.is_sign && a->ops->get_head(a->self, head, sizeof head, d) == VG_OK &&
        audit__head_parse(head, &h) == 0 && h.sign_seq <= a->last_seq)
        a->sign_seq = h.sign_seq;
    a->version = ver;
    a->cached = 1;
out:
    audit__parsed_free(&p);
    vg_free(buf);
    return e;
}

/* Append {"seq":..,<body>,"prev":..,"hash":..}.  Under lock, cache fresh. */
static enum vg_err write_line(struct vg_audit *a, const char *body,
                              size_t blen, int64_t *out_seq, int force_sync,
                              struct vg_diag *d)
{
    struct vg_buf b;
    unsigned char md[32];
    char hex[VG_AUDIT_HEX];
    int64_t seq = a->last_seq + 1;
    vg_buf_init(&b, VG_AUDIT_LINE_MAX);
    enum vg_err e = vg_buf_printf(&b, "{\"seq\":%lld,", (long long)seq);
    if (e == VG_OK)
        e = vg_buf_add(&b, body, blen);
    if (e == VG_OK)
        e = vg_buf_printf(&b, ",\"prev\":\"%s\"", a->last_hash);
    if (e == VG_OK) {
        crypto_hash_sha256(md, (const unsigned char *)b.p, b.len);
        audit__hex(md, 32, hex);
        e = vg_buf_printf(&b, ",\"hash\":\"%s\"}\n", hex);
    }
    if (e != VG_OK) {
        e = vg_fail(d, e, a->path, 0, 0, "record longer than %d bytes",
                    VG_AUDIT_LINE_MAX);
        goto out;
    }
    e = a->ops->append(a->self, b.p, b.len, d);
    if (e == VG_OK) {
        a->last_seq = seq;
        memcpy(a->last_hash, hex, VG_AUDIT_HEX);
        if (out_seq)
            *out_seq = seq;
        if (a->opts.sync == VG_AUDIT_SYNC_EACH ||
            (force_sync && a->opts.sync != VG_AUDIT_SYNC_NONE))
            e = a->ops->sync(a->self, d);
    }
    /* our own append moved the token: take the new one as current */
    if (e == VG_OK)
        e = a->ops->version(a->self, &a->version, d);
    else
        a->cached = 0;
out:
    vg_buf_free(&b);
    return e;
}

/* The fields before "details", JSON-escaped, into b. */
static enum vg_err add_fields(struct vg_buf *b, int64_t t, const char *user,
                              const char *role, const char *action,
                              const char *object, const char *purpose)
{
    char ts[24];
    audit__fmt_time(t, ts);
    const char *names[] = {"user", "role", "action", "object", "purpose"};
    const char *vals[] = {user, role, action, object, purpose ? purpose : ""};
    enum vg_err e = vg_buf_printf(b, "\"time\":\"%s\"", ts);
    for (size_t i = 0; i < 5 && e == VG_OK; i++) {
        e = vg_buf_printf(b, ",\"%s\":", names[i]);
        if (e == VG_OK)
            e = vg_buf_json_str(b, vals[i], strlen(vals[i]));
    }
    return e ? e : vg_buf_adds(b, ",\"details\":");
}

static enum vg_err sign_locked(struct vg_audit *a, struct vg_diag *d)
{
    char msg[128], sighex[129], pkhex[65], anchor[400];
    unsigned char sig[64];
    struct vg_buf b;
    int64_t t = now_of(a), head_seq = a->last_seq, seq = 0;
    char head_hash[VG_AUDIT_HEX];
    memcpy(head_hash, a->last_hash, VG_AUDIT_HEX);
    size_t n = audit__sign_msg(head_seq, head_hash, msg, sizeof msg);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, a->sk);
    audit__hex(sig, 64, sighex);
    audit__hex(a->pk, 32, pkhex);
    vg_buf_init(&b, VG_AUDIT_LINE_MAX);
    enum vg_err e = add_fields(&b, t, "vigie", "system", "sign", "chain", "");
    if (e == VG_OK)
        e = vg_buf_printf(&b,
                          "{\"alg\":\"ed25519\",\"head_seq\":%lld,"
                          "\"head_hash\":\"%s\",\"key\":\"%s\",\"sig\":\"%s\"}",
                          (long long)head_seq, head_hash, pkhex, sighex);
    if (e == VG_OK)
        e = write_line(a, b.p, b.len, &seq, 1, d);
    if (e == VG_OK) {
        a->sign_seq = seq;
        a->sign_time = t;
        snprintf(anchor, sizeof anchor, "%lld %s %lld %s %s\n", (long long)seq,
                 a->last_hash, (long long)head_seq, head_hash, sighex);
        e = a->ops->put_head(a->self, anchor, d);
    }
    vg_buf_free(&b);
    return e;
}

static int role_needs_purpose(const char *roles, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = roles; *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == n && memcmp(p, role, n) == 0)
            return 1;
        p += l + (c != NULL);
    }
    return 0;
}

/* Check the caller's record and render its body (time .. details). */
static enum vg_err render(struct vg_audit *a, const struct vg_audit_rec *r,
                          struct vg_buf *b, struct vg_diag *d)
{
    const char *need[] = {r->user, r->role, r->action, r->object};
    const char *what[] = {"user", "role", "action", "object"};
    json_error_t je;
    json_t *det = NULL;
    char *dump = NULL;
    enum vg_err e = VG_OK;
    for (size_t i = 0; i < 4; i++)
        if (need[i] == NULL || need[i][0] == '\0' ||
            strlen(need[i]) > VG_AUDIT_FIELD_MAX)
            return vg_fail(d, VG_USAGE, a->path, 0, 0,
                           "audit record field \"%s\" is empty or longer than "
                           "%d bytes", what[i], VG_AUDIT_FIELD_MAX);
    if (strcmp(r->action, "sign") == 0)
        return vg_fail(d, VG_FORBIDDEN, a->path, 0, 0,
                       "action \"sign\" is reserved for the log itself");
    if ((r->purpose == NULL || r->purpose[0] == '\0') &&
        role_needs_purpose(a->roles, r->role))
        return vg_fail(d, VG_FORBIDDEN, a->path, 0, 0,
                       "role \"%s\" must state a purpose for \"%s\" on \"%s\"",
                       r->role, r->action, r->object);
    if (r->purpose && strlen(r->purpose) > VG_AUDIT_FIELD_MAX)
        return vg_fail(d, VG_LIMIT, a->path, 0, 0, "purpose too long");
    const char *dt = r->details && r->details[0] ? r->details : "{}";
    det = json_loads(dt, JSON_REJECT_DUPLICATES, &je);
    if (det == NULL || !json_is_object(det)) {
        e = vg_fail(d, VG_PARSE, "details", 1, det ? 1 : (size_t)je.column,
                    "audit details must be a JSON object: %s",
                    det ? "got another JSON value" : je.text);
        goto out;
    }
    dump = json_dumps(det, JSON_COMPACT | JSON_ENSURE_ASCII);
    e = dump ? add_fields(b, r->time ? r->time : now_of(a), r->user, r->role,
                          r->action, r->object, r->purpose)
             : VG_NOMEM;
    if (e == VG_OK)
        e = vg_buf_adds(b, dump);
    if (e != VG_OK)
        e = vg_fail(d, e, a->path, 0, 0, "record too long");
out:
    free(dump); /* jansson's allocator */
    json_decref(det);
    return e;
}

/* The body must come back as JSON (it may hold invalid UTF-8). */
static enum vg_err check_body(const struct vg_buf *b, struct vg_diag *d)
{
    struct vg_buf t;
    json_error_t je;
    vg_buf_init(&t, 2 * VG_AUDIT_LINE_MAX);
    enum vg_err e = vg_buf_addc(&t, '{');
    if (e == VG_OK)
        e = vg_buf_add(&t, b->p, b->len);
    if (e == VG_OK)
        e = vg_buf_addc(&t, '}');
    json_t *j = e == VG_OK ? json_loadb(t.p, t.len, JSON_REJECT_DUPLICATES, &je)
                           : NULL;
    if (e == VG_OK && j == NULL)
        e = vg_fail(d, VG_PARSE, "record", 1, (size_t)je.column,
                    "audit record is not valid JSON (%s); fields must be UTF-8",
                    je.text);
    json_decref(j);
    vg_buf_free(&t);
    return e;
}

enum vg_err vg_audit_append(struct vg_audit *a, const struct vg_audit_rec *r,
                            int64_t *out_seq, struct vg_diag *d)
{
    struct vg_buf b;
    int locked = 0;
    vg_buf_init(&b, VG_AUDIT_LINE_MAX);
    enum vg_err e = a->have_key ? render(a, r, &b, d)
                                : vg_fail(d, VG_STATE, a->path, 0, 0,
                                          "audit trail opened read-only");
    if (e == VG_OK)
        e = check_body(&b, d);
    if (e != VG_OK)
        goto out;
    pthread_mutex_lock(&a->mu);
    locked = 1;
    if ((e = a->ops->lock(a->self, d)) != VG_OK)
        goto out;
    locked = 2;
    if ((e = refresh(a, d)) != VG_OK ||
        (e = write_line(a, b.p, b.len, out_seq, 0, d)) != VG_OK)
        goto out;
    int64_t unsigned_n = a->last_seq - a->sign_seq;
    if (unsigned_n >= a->opts.sign_every ||
        (a->opts.sign_interval > 0 &&
         now_of(a) - a->sign_time >= a->opts.sign_interval))
        e = sign_locked(a, d);
out:
    if (locked == 2)
        a->ops->unlock(a->self);
    if (locked)
        pthread_mutex_unlock(&a->mu);
    vg_buf_free(&b);
    return e;
}

/* What vg_audit_prune asks (upto) and learns (the record actually cut
 * through, how many went, the checkpoint's hash). */
struct prune_job {
    int64_t upto, removed;
    char hash[VG_AUDIT_HEX];
};

/* Under lock, cache fresh, head signed: cut records up to j->upto (raised
 * to an existing checkpoint's seq, so an interrupted cut is completed). */
static enum vg_err prune_locked(struct vg_audit *a, void *arg, struct vg_diag *d)
{
    struct prune_job *j = arg;
    int64_t upto = j->upto;
    struct vg_audit_report rep;
    struct audit__probe pr;
    struct audit__base b, old;
    char text[400], msg[160];
    unsigned char sig[64];
    enum vg_err e = a->ops->get_base(a->self, text, sizeof text, d);
    if (e != VG_OK)
        return e;
    if (text[0] && audit__base_parse(text, &old) == 0 && old.seq > upto)
        upto = old.seq;
    if (upto > a->last_seq - 1)
        upto = a->last_seq - 1; /* the last record always stays */
    if (upto < 1)
        return VG_OK;
    memset(&pr, 0, sizeof pr);
    pr.seq = upto;
    e = audit__verify_locked(a->ops, a->self, a->pk, 0, NULL, &rep, &pr, d);
    if (e == VG_INTEGRITY) {
        char why[sizeof rep.msg + 64];
        snprintf(why, sizeof why, "record %lld: %s: %s", (long long)rep.seq,
                 vg_audit_fault_name(rep.fault), rep.msg);
        return vg_fail(d, e, a->path, rep.line, 0,
                       "refusing to cut a trail that does not verify (%s); "
                       "run `vigie audit verify`", why);
    }
    if (e != VG_OK || !pr.found || pr.next_off == 0)
        return e; /* already cut through `upto` */
    memset(&b, 0, sizeof b);
    b.seq = upto;
    b.time = now_of(a);
    memcpy(b.hash, pr.hash, VG_AUDIT_HEX);
    size_t n = audit__base_msg(&b, msg, sizeof msg);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, a->sk);
    audit__hex(sig, 64, b.sig);
    snprintf(text, sizeof text, "%lld %s %lld %s\n", (long long)b.seq, b.hash,
             (long long)b.time, b.sig);
    e = a->ops->cut(a->self, text, pr.next_off, d);
    if (e == VG_OK)
        e = a->ops->version(a->self, &a->version, d);
    else
        a->cached = 0;
    if (e == VG_OK) {
        j->removed = upto - pr.first_seq + 1;
        j->upto = upto;
        memcpy(j->hash, b.hash, VG_AUDIT_HEX);
    }
    return e;
}

/* Under the mutex and the back end's lock, with the cache fresh and the
 * head signed (when the handle may write), run `then` (may be NULL). */
static enum vg_err with_signed_head(struct vg_audit *a,
                                    enum vg_err (*then)(struct vg_audit *, void *,
                                                        struct vg_diag *),
                                    void *arg, struct vg_diag *d)
{
    pthread_mutex_lock(&a->mu);
    enum vg_err e = a->ops->lock(a->self, d);
    if (e == VG_OK) {
        e = refresh(a, d);
        if (e == VG_OK && a->have_key && a->last_seq > a->sign_seq)
            e = sign_locked(a, d);
        if (e == VG_OK && then)
            e = then(a, arg, d);
        a->ops->unlock(a->self);
    }
    pthread_mutex_unlock(&a->mu);
    return e;
}

enum vg_err vg_audit_prune(struct vg_audit *a, int64_t upto, int64_t *removed,
                           struct vg_diag *d)
{
    struct prune_job j = {upto, 0, {0}};
    char details[200];
    if (removed)
        *removed = 0;
    if (!a->have_key)
        return vg_fail(d, VG_STATE, a->path, 0, 0, "audit trail opened read-only");
    enum vg_err e = with_signed_head(a, prune_locked, &j, d);
    if (e != VG_OK || j.removed == 0)
        return e;
    if (removed)
        *removed = j.removed;
    snprintf(details, sizeof details, "{\"upto\":%lld,\"removed\":%lld,\"checkpoint\":\"%s\"}",
             (long long)j.upto, (long long)j.removed, j.hash);
    struct vg_audit_rec r = {0, 0, "vigie", "system", "audit-prune", "trail", NULL, details};
    return vg_audit_append(a, &r, NULL, d);
}

struct anchor_job {
    char *out;
    size_t cap;
};

static enum vg_err anchor_then(struct vg_audit *a, void *arg, struct vg_diag *d)
{
    struct anchor_job *j = arg;
    enum vg_err e = a->ops->get_head(a->self, j->out, j->cap, d);
    if (e == VG_OK && j->out[0] == '\0')
        e = vg_fail(d, VG_NOTFOUND, a->path, 0, 0, "the trail has no signature yet");
    return e;
}

enum vg_err vg_audit_anchor(struct vg_audit *a, char *out, size_t cap, struct vg_diag *d)
{
    struct anchor_job j = {out, cap};
    out[0] = '\0';
    return with_signed_head(a, anchor_then, &j, d); /* read-only: the last signature */
}

enum vg_err vg_audit_sign(struct vg_audit *a, struct vg_diag *d)
{
    return a->have_key ? with_signed_head(a, NULL, NULL, d) : VG_OK;
}

enum vg_err vg_audit_close(struct vg_audit *a, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    if (a == NULL)
        return VG_OK;
    if (a->have_key && a->ops) {
        e = vg_audit_sign(a, d);
        if (e == VG_OK && a->opts.sync != VG_AUDIT_SYNC_NONE)
            e = a->ops->sync(a->self, d);
    }
    if (a->ops)
        a->ops->close(a->self);
    sodium_memzero(a->sk, sizeof a->sk);
    pthread_mutex_destroy(&a->mu);
    vg_free(a->path);
    vg_free(a->roles);
    vg_free(a);
    return e;
}
