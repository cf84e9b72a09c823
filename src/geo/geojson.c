/*
 * geojson.c — Polygon/MultiPolygon FeatureCollections (see geojson.h).
 *
 * The text is first scanned for bracket depth (so no parser recurses past
 * the limit), then parsed by jansson into one tree that the document keeps
 * (features borrow their properties objects from it).  Geometry is copied
 * into flat arrays in two passes: count and validate, then fill.
 * Invariant: for every feature, geom.ring_pt[geom.nring] == geom.npt and
 * every ring is closed with at least 4 points.
 */
#include "geo/geojson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

const struct vg_geojson_limits vg_geojson_default_limits = {
    .max_bytes = 256u << 20,
    .max_depth = 32,
    .max_features = 1000000,
    .max_vertices = 50000000,
};

enum vg_err vg_gj_check_depth(const char *text, size_t len, size_t max_depth,
                              const char *name, struct vg_diag *d)
{
    size_t depth = 0, line = 1;
    int in_str = 0, esc = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n')
            line++;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return vg_fail(d, VG_LIMIT, name, line, 0,
                               "JSON nested deeper than %zu levels", max_depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return VG_OK;
}

/* A position: an array of at least two numbers. */
static int get_pos(const json_t *p, double *x, double *y)
{
    if (!json_is_array(p) || json_array_size(p) < 2 ||
        !json_is_number(json_array_get(p, 0)) ||
        !json_is_number(json_array_get(p, 1)))
        return 0;
    *x = json_number_value(json_array_get(p, 0));
    *y = json_number_value(json_array_get(p, 1));
    return isfinite(*x) && isfinite(*y);
}

/* Points a ring will take once closed, or 0 with `d` set. */
static size_t ring_count(const json_t *ring, const char *name, size_t fi,
                         struct vg_diag *d)
{
    size_t n = json_is_array(ring) ? json_array_size(ring) : 0;
    double x0, y0, x1, y1;
    if (!json_is_array(ring)) {
        vg_fail(d, VG_GEOM, name, 0, 0, "feature %zu: ring is not an array", fi);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!get_pos(json_array_get(ring, i), &x1, &y1)) {
            vg_fail(d, VG_GEOM, name, 0, 0,
                    "feature %zu: position %zu of a ring is not [x, y] numbers",
                    fi, i);
            return 0;
        }
    if (n < 3) {
        vg_fail(d, VG_GEOM, name, 0, 0,
                "feature %zu: ring has %zu positions (at least 4 expected)", fi, n);
        return 0;
    }
    get_pos(json_array_get(ring, 0), &x0, &y0);
    get_pos(json_array_get(ring, n - 1), &x1, &y1);
    if (x0 != x1 || y0 != y1)
        n++; /* we close it */
    if (n < 4) {
        vg_fail(d, VG_GEOM, name, 0, 0,
                "feature %zu: ring has %zu positions (at least 4 expected)", fi, n);
        return 0;
    }
    return n;
}

/* The polygons of `geom` as an array of polygon coordinate arrays. */
static enum vg_err geom_polys(const json_t *geom, const char *name, size_t fi,
                              json_t **polys, int *multi, struct vg_diag *d)
{
    const char *type;
    json_t *coords;
    if (!json_is_object(geom))
        return vg_fail(d, VG_GEOM, name, 0, 0,
                       "feature %zu: geometry is %s (a Polygon or MultiPolygon object expected)",
                       fi, geom == NULL || json_is_null(geom) ? "null" : "not an object");
    type = json_string_value(json_object_get(geom, "type"));
    coords = json_object_get(geom, "coordinates");
    if (type == NULL)
        return vg_fail(d, VG_GEOM, name, 0, 0, "feature %zu: geometry has no \"type\"", fi);
    if (strcmp(type, "Polygon") == 0)
        *multi = 0;
    else if (strcmp(type, "MultiPolygon") == 0)
        *multi = 1;
    else
        return vg_fail(d, VG_GEOM, name, 0, 0,
                       "feature %zu: geometry type \"%.40s\" (Polygon or MultiPolygon expected)",
                       fi, type);
    if (!json_is_array(coords) || json_array_size(coords) == 0)
        return vg_fail(d, VG_GEOM, name, 0, 0,
                       "feature %zu: \"coordinates\" missing or empty", fi);
    *polys = coords;
    return VG_OK;
}

static const json_t *poly_at(const json_t *coords, int multi, size_t p)
{
    return multi ? json_array_get(coords, p) : coords;
}

static enum vg_err fill_geom(const json_t *coords, int multi,
                             struct vg_gj_geom *g)
{
    size_t r = 0, k = 0;
    for (size_t p = 0; p < g->npoly; p++) {
        const json_t *poly = poly_at(coords, multi, p);
        g->poly_ring[p] = r;
        for (size_t i = 0; i < json_array_size(poly); i++, r++) {
            const json_t *ring = json_array_get(poly, i);
            size_t n = json_array_size(ring);
            g->ring_pt[r] = k;
            for (size_t j = 0; j < n; j++, k++)
                get_pos(json_array_get(ring, j), &g->xy[2 * k], &g->xy[2 * k + 1]);
            if (g->xy[2 * k - 2] != g->xy[2 * g->ring_pt[r]] ||
                g->xy[2 * k - 1] != g->xy[2 * g->ring_pt[r] + 1]) {
                g->xy[2 * k] = g->xy[2 * g->ring_pt[r]];
                g->xy[2 * k + 1] = g->xy[2 * g->ring_pt[r] + 1];
                k++;
            }
        }
    }
    g->poly_ring[g->npoly] = r;
    g->ring_pt[r] = k;
    return (r == g->nring && k == g->npt) ? VG_OK : VG_INTERNAL;
}

enum vg_err vg_gj_geom_parse(const json_t *geom, const char *name, size_t fi,
                             const struct vg_geojson_limits *lim,
                             size_t *nvert, struct vg_gj_geom *out,
                             struct vg_diag *d)
{
    enum vg_err rc;
    json_t *coords = NULL;
    int multi = 0;
    size_t npoly, nring = 0, npt = 0;

    memset(out, 0, sizeof *out);
    if (lim == NULL)
        lim = &vg_geojson_default_limits;
    if ((rc = geom_polys(geom, name, fi, &coords, &multi, d)) != VG_OK)
        return rc;
    npoly = multi ? json_array_size(coords) : 1;
    for (size_t p = 0; p < npoly; p++) {
        const json_t *poly = poly_at(coords, multi, p);
        if (!json_is_array(poly) || json_array_size(poly) == 0)
            return vg_fail(d, VG_GEOM, name, 0, 0,
                           "feature %zu: polygon %zu has no rings", fi, p);
        for (size_t i = 0; i < json_array_size(poly); i++) {
            size_t n = ring_count(json_array_get(poly, i), name, fi, d);
            if (n == 0)
                return VG_GEOM;
            nring++;
            npt += n;
            if (npt + *nvert > lim->max_vertices)
                return vg_fail(d, VG_LIMIT, name, 0, 0,
                               "feature %zu: more than %zu vertices in the file",
                               fi, lim->max_vertices);
        }
    }
    out->npoly = npoly;
    out->nring = nring;
    out->npt = npt;
    out->poly_ring = vg_calloc(npoly + 1, sizeof *out->poly_ring);
    out->ring_pt = vg_calloc(nring + 1, sizeof *out->ring_pt);
    out->xy = vg_calloc(npt, 2 * sizeof *out->xy);
    if (out->poly_ring == NULL || out->ring_pt == NULL || out->xy == NULL) {
        vg_gj_geom_free(out);
        return vg_fail(d, VG_NOMEM, name, 0, 0, "feature %zu: out of memory", fi);
    }
    rc = fill_geom(coords, multi, out);
    if (rc != VG_OK) {
        vg_gj_geom_free(out);
        return vg_fail(d, rc, name, 0, 0, "feature %zu: ring count mismatch", fi);
    }
    *nvert += npt;
    return VG_OK;
}

void vg_gj_geom_free(struct vg_gj_geom *g)
{
    if (g == NULL)
        return;
    vg_free(g->poly_ring);
    vg_free(g->ring_pt);
    vg_free(g->xy);
    memset(g, 0, sizeof *g);
}

void vg_geojson_free(struct vg_geojson *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->n; i++)
        vg_gj_geom_free(&g->f[i].geom);
    vg_free(g->f);
    json_decref(g->root);
    vg_free(g);
}

static enum vg_err parse_features(struct vg_geojson *g,
                                  const struct vg_geojson_limits *lim,
                                  struct vg_diag *d)
{
    const char *type = json_string_value(json_object_get(g->root, "type"));
    json_t *feats = json_object_get(g->root, "features");
    size_t nvert = 0;
    enum vg_err rc;

    if (!json_is_object(g->root) || type == NULL || strcmp(type, "FeatureCollection") != 0)
        return vg_fail(d, VG_PARSE, g->name, 0, 0,
                       "top level is not a FeatureCollection object");
    if (!json_is_array(feats))
        return vg_fail(d, VG_PARSE, g->name, 0, 0, "\"features\" is not an array");
    if (json_array_size(feats) > lim->max_features)
        return vg_fail(d, VG_LIMIT, g->name, 0, 0, "%zu features (at most %zu)",
                       json_array_size(feats), lim->max_features);
    g->f = vg_calloc(json_array_size(feats) + 1, sizeof *g->f);
    if (g->f == NULL)
        return vg_fail(d, VG_NOMEM, g->name, 0, 0, "out of memory");
    for (size_t i = 0; i < json_array_size(feats); i++) {
        json_t *ft = json_array_get(feats, i);
        json_t *props = json_object_get(ft, "properties");
        const char *ftype = json_string_value(json_object_get(ft, "type"));
        if (!json_is_object(ft) || ftype == NULL || strcmp(ftype, "Feature") != 0)
            return vg_fail(d, VG_PARSE, g->name, 0, 0,
                           "feature %zu: not a {\"type\": \"Feature\"} object", i);
        if (props != NULL && !json_is_object(props) && !json_is_null(props))
            return vg_fail(d, VG_PARSE, g->name, 0, 0,
                           "feature %zu: \"properties\" is not an object", i);
        if (!json_is_object(props)) {
            props = json_object();
            if (props == NULL || json_object_set_new(ft, "properties", props) != 0)
                return vg_fail(d, VG_NOMEM, g->name, 0, 0, "out of memory");
        }
        rc = vg_gj_geom_parse(json_object_get(ft, "geometry"), g->name, i, lim,
                              &nvert, &g->f[i].geom, d);
        if (rc != VG_OK)
            return rc;
        g->f[i].props = props;
        g->n = i + 1;
    }
    return VG_OK;
}

enum vg_err vg_geojson_parse(const char *text, size_t len, const char *name,
                             const struct vg_geojson_limits *lim,
                             struct vg_geojson **out, struct vg_diag *d)
{
    enum vg_err rc = VG_OK;
    struct vg_geojson *g = NULL;
    json_error_t jerr;

    *out = NULL;
    if (lim == NULL)
        lim = &vg_geojson_default_limits;
    if (name == NULL)
        name = "(geojson)";
    if (len > lim->max_bytes)
        return vg_fail(d, VG_LIMIT, name, 0, 0, "%zu bytes (at most %zu)", len,
                       lim->max_bytes);
    if ((rc = vg_gj_check_depth(text, len, lim->max_depth, name, d)) != VG_OK)
        return rc;
    g = vg_calloc(1, sizeof *g);
    if (g == NULL)
        return vg_fail(d, VG_NOMEM, name, 0, 0, "out of memory");
    snprintf(g->name, sizeof g->name, "%s", name);
    g->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (g->root == NULL) {
        rc = vg_fail(d, VG_PARSE, name, (size_t)(jerr.line > 0 ? jerr.line : 0),
                     (size_t)(jerr.column > 0 ? jerr.column : 0), "%s", jerr.text);
        goto out;
    }
    rc = parse_features(g, lim, d);
out:
    if (rc != VG_OK)
        vg_geojson_free(g);
    else
        *out = g;
    return rc;
}

enum vg_err vg_geojson_read(const char *path,
                            const struct vg_geojson_limits *lim,
                            struct vg_geojson **out, struct vg_diag *d)
{
    struct vg_buf b;
    enum vg_err rc;
    if (lim == NULL)
        lim = &vg_geojson_default_limits;
    *out = NULL;
    vg_buf_init(&b, lim->max_bytes);
    rc = vg_buf_read_file(&b, path, d);
    if (rc == VG_LIMIT)
        rc = vg_fail(d, VG_LIMIT, path, 0, 0, "file larger than %zu bytes",
                     lim->max_bytes);
    if (rc == VG_OK)
        rc = vg_geojson_parse(b.p, b.len, path, lim, out, d);
    vg_buf_free(&b);
    return rc;
}

enum vg_err vg_gj_json_str(const json_t *props, const char *name, size_t fi,
                           const char *key, char *out, size_t cap,
                           struct vg_diag *d)
{
    const json_t *v = json_object_get(props, key);
    int n;
    if (cap == 0)
        return VG_LIMIT;
    out[0] = '\0';
    if (v == NULL)
        return vg_fail(d, VG_PARSE, name, 0, 0, "feature %zu: property \"%s\" missing",
                       fi, key);
    if (json_is_string(v))
        n = snprintf(out, cap, "%s", json_string_value(v));
    else if (json_is_integer(v))
        n = snprintf(out, cap, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        n = snprintf(out, cap, "%.15g", json_real_value(v));
    else
        return vg_fail(d, VG_PARSE, name, 0, 0,
                       "feature %zu: property \"%s\" is %s (a string or number expected)",
                       fi, key, json_is_null(v) ? "null" : "not a string or number");
    if (n < 0 || (size_t)n >= cap)
        return vg_fail(d, VG_PARSE, name, 0, 0,
                       "feature %zu: property \"%s\" longer than %zu bytes", fi, key,
                       cap - 1);
    return VG_OK;
}

enum vg_err vg_gj_json_num(const json_t *props, const char *name, size_t fi,
                           const char *key, double *out, struct vg_diag *d)
{
    const json_t *v = json_object_get(props, key);
    *out = NAN;
    if (v == NULL)
        return vg_fail(d, VG_PARSE, name, 0, 0, "feature %zu: property \"%s\" missing",
                       fi, key);
    if (json_is_null(v))
        return VG_OK;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return VG_OK;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        double x = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (end != s && *end == '\0' && errno == 0 && isfinite(x)) {
            *out = x;
            return VG_OK;
        }
        return vg_fail(d, VG_PARSE, name, 0, 0,
                       "feature %zu: property \"%s\" = \"%.40s\" is not a number", fi,
                       key, s);
    }
    return vg_fail(d, VG_PARSE, name, 0, 0,
                   "feature %zu: property \"%s\" is not a number", fi, key);
}

enum vg_err vg_geojson_prop_str(const struct vg_geojson *g, size_t fi,
                                const char *key, char *out, size_t cap,
                                struct vg_diag *d)
{
    if (fi >= g->n)
        return vg_fail(d, VG_RANGE, g->name, 0, 0, "feature %zu of %zu", fi, g->n);
    return vg_gj_json_str(g->f[fi].props, g->name, fi, key, out, cap, d);
}

enum vg_err vg_geojson_prop_num(const struct vg_geojson *g, size_t fi,
                                const char *key, double *out,
                                struct vg_diag *d)
{
    if (fi >= g->n)
        return vg_fail(d, VG_RANGE, g->name, 0, 0, "feature %zu of %zu", fi, g->n);
    return vg_gj_json_num(g->f[fi].props, g->name, fi, key, out, d);
}
