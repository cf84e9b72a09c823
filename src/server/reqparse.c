/*
 * reqparse.c — request parsing without the HTTP library (see reqparse.h).
 * Invariant: every function reads at most `len` bytes of its input and
 * writes at most `cap` bytes (terminated) of output.
 */
#include "server/reqparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_cookie_octet(unsigned char c)
{
    /* %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
           (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

enum vg_err vg_reqparse_cookie(const char *header, size_t len, const char *name,
                               char *out, size_t cap)
{
    size_t nlen = strlen(name), i = 0;
    if (cap)
        out[0] = '\0';
    if (header == NULL || nlen == 0 || cap == 0)
        return VG_NOTFOUND;
    while (i < len) {
        while (i < len && (header[i] == ' ' || header[i] == '\t' || header[i] == ';'))
            i++;
        size_t k0 = i;
        while (i < len && header[i] != '=' && header[i] != ';')
            i++;
        size_t klen = i - k0;
        while (klen && (header[k0 + klen - 1] == ' ' || header[k0 + klen - 1] == '\t'))
            klen--;
        if (i >= len || header[i] != '=')
            continue; /* a bare token without '=': skip it */
        i++;
        size_t v0 = i;
        while (i < len && header[i] != ';')
            i++;
        size_t vlen = i - v0;
        while (vlen && (header[v0 + vlen - 1] == ' ' || header[v0 + vlen - 1] == '\t'))
            vlen--;
        if (klen != nlen || memcmp(header + k0, name, nlen) != 0)
            continue;
        const char *v = header + v0;
        if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
            v++, vlen -= 2;
        for (size_t k = 0; k < vlen; k++)
            if (!is_cookie_octet((unsigned char)v[k]))
                return VG_PARSE;
        if (vlen >= cap)
            return VG_LIMIT;
        memcpy(out, v, vlen);
        out[vlen] = '\0';
        return VG_OK;
    }
    return VG_NOTFOUND;
}

static int path_byte_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '/';
}

enum vg_err vg_reqparse_path(const char *path, size_t len, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    if (cap)
        out[0] = '\0';
    if (path == NULL || len > VG_REQPARSE_PATH_MAX || cap < 16)
        return VG_FORBIDDEN;
    for (size_t k = 0; k < len; k++)
        if (!path_byte_ok((unsigned char)path[k]))
            return VG_FORBIDDEN;
    while (i < len) {
        while (i < len && path[i] == '/')
            i++;
        size_t s0 = i;
        while (i < len && path[i] != '/')
            i++;
        size_t slen = i - s0;
        if (slen == 0)
            break;
        if (path[s0] == '.') /* ".", "..", and hidden files */
            return VG_FORBIDDEN;
        if (o + slen + 2 > cap)
            return VG_FORBIDDEN;
        if (o)
            out[o++] = '/';
        memcpy(out + o, path + s0, slen);
        o += slen;
    }
    if (o == 0 || (len && path[len - 1] == '/')) {
        const char *idx = "index.html";
        size_t il = strlen(idx);
        if (o + il + 2 > cap)
            return VG_FORBIDDEN;
        if (o)
            out[o++] = '/';
        memcpy(out + o, idx, il);
        o += il;
    }
    out[o] = '\0';
    return VG_OK;
}

static int depth_ok(json_t *j, int depth)
{
    if (depth > VG_REQPARSE_JSON_DEPTH)
        return 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
            if (!depth_ok(v, depth + 1))
                return 0;
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            if (!depth_ok(json_array_get(j, i), depth + 1))
                return 0;
    }
    return 1;
}

enum vg_err vg_reqparse_json(const char *body, size_t len, size_t max,
                             json_t **out, struct vg_diag *d)
{
    *out = NULL;
    if (len > max)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "request body of %zu bytes exceeds %zu", len, max);
    if (body == NULL || len == 0)
        return vg_fail(d, VG_PARSE, "", 0, 0, "empty request body: a JSON object was expected");
    json_error_t err;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL)
        return vg_fail(d, VG_PARSE, "body", (size_t)err.line, (size_t)err.column,
                       "malformed JSON: %s", err.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return vg_fail(d, VG_PARSE, "body", 0, 0, "a JSON object was expected");
    }
    if (!depth_ok(j, 1)) {
        json_decref(j);
        return vg_fail(d, VG_LIMIT, "body", 0, 0, "JSON nested deeper than %d levels",
                       VG_REQPARSE_JSON_DEPTH);
    }
    *out = j;
    return VG_OK;
}

const char *vg_reqparse_json_str(const json_t *o, const char *key, size_t max)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || json_string_length(v) > max)
        return NULL;
    return json_string_value(v);
}

int vg_reqparse_accepts_gzip(const char *h)
{
    if (h == NULL)
        return 0;
    for (const char *p = h; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        const char *t = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t tl = (size_t)(p - t);
        int gz = (tl == 4 && !strncasecmp(t, "gzip", 4)) || (tl == 1 && *t == '*');
        double q = 1;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
            }
            if (*p && *p != ',')
                p++;
        }
        if (gz && q > 0)
            return 1;
    }
    return 0;
}

enum vg_err vg_reqparse_listen(const char *spec, char *host, size_t cap,
                               unsigned *port, struct vg_diag *d)
{
    const char *colon = spec ? strrchr(spec, ':') : NULL;
    host[0] = '\0';
    if (colon == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--listen \"%s\" must be ADDR:PORT", spec ? spec : "");
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
        h++, hl -= 2;
    if (hl >= cap)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--listen address \"%s\" is too long", spec);
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end || p < 0 || p > 65535)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--listen port \"%s\" must be 0..65535", colon + 1);
    *port = (unsigned)p;
    return VG_OK;
}
