/*
 * auditfc.c — forecast records in the audit trail and SHA-256 digests.
 *
 * A forecast record holds everything needed to recompute the forecast and
 * compare it bit for bit: digest of the input data, model name and
 * parameters, code version, forecast window, digest of the result.
 * Digests of numeric arrays hash each double's IEEE-754 bytes in
 * little-endian order, so they do not depend on the host's byte order or
 * on any decimal formatting.  Memory: strings returned point into the
 * caller's `struct vg_audit_entry`.
 */
#include "audit/audit_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(struct vg_audit_sha),
               "vg_audit_sha too small");

void vg_audit_sha_init(struct vg_audit_sha *s)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)s->u.b);
}

void vg_audit_sha_update(struct vg_audit_sha *s, const void *p, size_t n)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)s->u.b, p, n);
}

void vg_audit_sha_doubles(struct vg_audit_sha *s, const double *v, size_t n)
{
    unsigned char le[8];
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], 8);
        for (int k = 0; k < 8; k++)
            le[k] = (unsigned char)(bits >> (8 * k));
        vg_audit_sha_update(s, le, 8);
    }
}

void vg_audit_sha_final(struct vg_audit_sha *s, char hex[VG_AUDIT_HEX])
{
    unsigned char md[32];
    crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)s->u.b, md);
    audit__hex(md, 32, hex);
}

static enum vg_err need(const char *v, const char *name, int hex,
                        struct vg_diag *d)
{
    if (v == NULL || v[0] == '\0')
        return vg_fail(d, VG_USAGE, "forecast", 0, 0, "%s is required", name);
    if (hex && !audit__is_hex64(v))
        return vg_fail(d, VG_PARSE, "forecast", 0, 0,
                       "%s \"%.80s\": expected 64 lowercase hex digits", name, v);
    return VG_OK;
}

enum vg_err vg_audit_forecast_record(struct vg_audit *a,
                                     const struct vg_audit_forecast *f,
                                     int64_t *out_seq, struct vg_diag *d)
{
    struct vg_buf b;
    char ws[24], we[24];
    enum vg_err e;
    vg_buf_init(&b, VG_AUDIT_LINE_MAX);
    if ((e = need(f->model, "model", 0, d)) || (e = need(f->code_version,
        "code_version", 0, d)) || (e = need(f->data_sha256, "data_sha256", 1, d)) ||
        (e = need(f->result_sha256, "result_sha256", 1, d)))
        goto out;
    const char *objs[2] = {f->params_json, f->request_json};
    for (int k = 0; k < 2; k++) {
        if (objs[k] == NULL || objs[k][0] == '\0')
            continue;
        json_error_t je;
        json_t *pj = json_loads(objs[k], JSON_REJECT_DUPLICATES, &je);
        int ok = json_is_object(pj);
        json_decref(pj);
        if (!ok) {
            e = vg_fail(d, VG_PARSE, k ? "request" : "params", 1, 0,
                        "%s \"%.80s\": expected a JSON object",
                        k ? "forecast request" : "model parameters", objs[k]);
            goto out;
        }
    }
    if (f->window_end <= f->window_start) {
        e = vg_fail(d, VG_RANGE, "forecast", 0, 0,
                    "window end %lld is not after its start %lld",
                    (long long)f->window_end, (long long)f->window_start);
        goto out;
    }
    audit__fmt_time(f->window_start, ws);
    audit__fmt_time(f->window_end, we);
    e = vg_buf_printf(&b, "{\"data_sha256\":\"%s\",\"model\":", f->data_sha256);
    if (e == VG_OK)
        e = vg_buf_json_str(&b, f->model, strlen(f->model));
    if (e == VG_OK)
        e = vg_buf_printf(&b, ",\"params\":%s,\"code_version\":",
                          f->params_json && f->params_json[0] ? f->params_json
                                                              : "{}");
    if (e == VG_OK)
        e = vg_buf_json_str(&b, f->code_version, strlen(f->code_version));
    if (e == VG_OK)
        e = vg_buf_printf(&b, ",\"window\":{\"start\":\"%s\",\"end\":\"%s\"},", ws, we);
    if (e == VG_OK && f->request_json && f->request_json[0])
        e = vg_buf_printf(&b, "\"request\":%s,", f->request_json);
    if (e == VG_OK)
        e = vg_buf_printf(&b, "\"result_sha256\":\"%s\"}", f->result_sha256);
    if (e != VG_OK) {
        e = vg_fail(d, e, "forecast", 0, 0, "forecast record too long");
        goto out;
    }
    struct vg_audit_rec r = {0, 0, f->user, f->role, "forecast",
                             f->object ? f->object : "forecast", f->purpose, b.p};
    e = vg_audit_append(a, &r, out_seq, d);
out:
    vg_buf_free(&b);
    return e;
}

/* Copy the forecast's strings into entry->aux (the JSON tree is freed by
 * the caller) and point `out` at them. */
static enum vg_err fc_strings(struct vg_audit_entry *en, json_t *det,
                              struct vg_audit_forecast *out)
{
    char *params = json_dumps(json_object_get(det, "params"),
                              JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
    json_t *rq = json_object_get(det, "request");
    char *request = json_is_object(rq)
        ? json_dumps(rq, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS)
        : strdup("{}");
    const char *src[] = {json_string_value(json_object_get(det, "model")),
                         params,
                         json_string_value(json_object_get(det, "code_version")),
                         json_string_value(json_object_get(det, "data_sha256")),
                         json_string_value(json_object_get(det, "result_sha256")),
                         request};
    const char **dst[] = {&out->model, &out->params_json, &out->code_version,
                          &out->data_sha256, &out->result_sha256, &out->request_json};
    size_t total = 0, pos = 0;
    enum vg_err e = VG_OK;
    if (params == NULL || request == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < 6; i++)
        total += strlen(src[i]) + 1;
    if ((en->aux = vg_malloc(total)) == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < 6; i++) {
        size_t n = strlen(src[i]) + 1;
        memcpy(en->aux + pos, src[i], n);
        *dst[i] = en->aux + pos;
        pos += n;
    }
out:
    free(params);
    free(request);
    return e;
}

/* Borrow string member `k` of object `o` (NULL if absent). */
static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

enum vg_err vg_audit_forecast_get(struct vg_audit *a, int64_t seq,
                                  struct vg_audit_entry *entry,
                                  struct vg_audit_forecast *out,
                                  struct vg_diag *d)
{
    json_t *det = NULL;
    json_error_t je;
    memset(out, 0, sizeof *out);
    enum vg_err e = vg_audit_get(a, seq, entry, d);
    if (e != VG_OK)
        return e;
    if (strcmp(entry->rec.action, "forecast") != 0 ||
        (det = json_loads(entry->rec.details, 0, &je)) == NULL) {
        e = vg_fail(d, VG_PARSE, vg_audit_path(a), 0, 0,
                    "audit record %lld is a \"%s\" record, not a forecast",
                    (long long)seq, entry->rec.action);
        goto out;
    }
    json_t *w = json_object_get(det, "window");
    int64_t ws = 0, we = 0;
    if (!audit__is_hex64(str_of(det, "data_sha256")) ||
        !audit__is_hex64(str_of(det, "result_sha256")) ||
        str_of(det, "model") == NULL || str_of(det, "code_version") == NULL ||
        !json_is_object(json_object_get(det, "params")) ||
        audit__parse_time(str_of(w, "start"), &ws) != 0 ||
        audit__parse_time(str_of(w, "end"), &we) != 0) {
        e = vg_fail(d, VG_PARSE, vg_audit_path(a), 0, 0,
                    "forecast record %lld lacks one of data_sha256, model, "
                    "params, code_version, window, result_sha256",
                    (long long)seq);
        goto out;
    }
    e = fc_strings(entry, det, out);
    out->user = entry->rec.user;
    out->role = entry->rec.role;
    out->purpose = entry->rec.purpose;
    out->object = entry->rec.object;
    out->window_start = ws;
    out->window_end = we;
out:
    json_decref(det);
    if (e != VG_OK)
        vg_audit_entry_free(entry);
    return e;
}
