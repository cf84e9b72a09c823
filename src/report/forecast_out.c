/*
 * forecast_out.c — forecast writers.  p_any = 1 − exp(−expected) is the
 * Poisson probability of at least one event in the window.
 */
#include "report/forecast_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double *rank_exp;

static int cmp_rank(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (rank_exp[i] != rank_exp[j])
        return rank_exp[i] > rank_exp[j] ? -1 : 1;
    return i < j ? -1 : (i > j);
}

void vg_forecast_rank(const double *expected, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    rank_exp = expected; /* single-threaded writers only */
    qsort(order, n, sizeof *order, cmp_rank);
    rank_exp = NULL;
}

static const char *area_of(const struct vg_forecast *f, size_t u)
{
    int32_t a = f->units->area ? f->units->area[u] : -1;
    if (a < 0 || f->area_ids == NULL || (size_t)a >= f->nareas)
        return NULL;
    return f->area_ids[a];
}

static const char *area_name(const struct vg_forecast *f, size_t u)
{
    int32_t a = f->units->area ? f->units->area[u] : -1;
    if (a < 0 || f->area_names == NULL || (size_t)a >= f->nareas)
        return NULL;
    return f->area_names[a];
}

static enum vg_err header_json(const struct vg_forecast *f, struct vg_buf *b)
{
    char s[40], e[40];
    vg_tz_format_iso(f->tz, f->window.start, s, sizeof s);
    vg_tz_format_iso(f->tz, f->window.end, e, sizeof e);
    enum vg_err r = vg_buf_printf(b, "\"model\":\"%s\",\"parameters\":{", f->model->name);
    for (size_t i = 0; i < f->model->nparams && r == VG_OK; i++) {
        r = vg_buf_printf(b, "%s\"%s\":", i ? "," : "", f->model->params[i].name);
        if (r == VG_OK)
            r = vg_buf_json_num(b, f->params[i]);
    }
    r = r ? r : vg_buf_adds(b, "},\"fitted\":{");
    for (size_t i = 0; i < f->nfitted && r == VG_OK; i++) {
        r = vg_buf_printf(b, "%s\"%s\":", i ? "," : "", f->fitted_names[i]);
        if (r == VG_OK)
            r = vg_buf_json_num(b, f->fitted[i]);
    }
    r = r ? r : vg_buf_adds(b, "},\"categories\":[");
    const char *c = f->categories;
    for (int first = 1; r == VG_OK && c && *c; first = 0) {
        const char *comma = strchr(c, ',');
        size_t len = comma ? (size_t)(comma - c) : strlen(c);
        if (!first)
            r = vg_buf_addc(b, ',');
        r = r ? r : vg_buf_json_str(b, c, len);
        c += len + (comma != NULL);
    }
    r = r ? r : vg_buf_printf(b, "],\"window\":{\"start\":\"%s\",\"end\":\"%s\",\"hours\":", s, e);
    r = r ? r : vg_buf_json_num(b, (double)(f->window.end - f->window.start) / 3600.0);
    r = r ? r : vg_buf_printf(b, "},\"units\":\"%s\",\"crs\":\"%s\",\"data_digest\":\"%s\",\"events_used\":%zu",
                              f->units_spec, f->units->crs, f->data_digest, f->nevents);
    if (r == VG_OK && f->evidence) {
        r = vg_buf_adds(b, ",\"evidence\":");
        r = r ? r : vg_buf_json_str(b, f->evidence, strlen(f->evidence));
    }
    return r;
}

static enum vg_err cell_props(const struct vg_forecast *f, size_t rank,
                              struct vg_buf *b)
{
    size_t u = f->order[rank];
    double ex = f->expected[u];
    const char *area = area_of(f, u);
    enum vg_err r = vg_buf_adds(b, "\"id\":");
    r = r ? r : vg_buf_json_str(b, f->units->label[u], strlen(f->units->label[u]));
    r = r ? r : vg_buf_adds(b, ",\"lon\":");
    r = r ? r : vg_buf_json_num(b, f->units->lon[u]);
    r = r ? r : vg_buf_adds(b, ",\"lat\":");
    r = r ? r : vg_buf_json_num(b, f->units->lat[u]);
    r = r ? r : vg_buf_adds(b, ",\"area_id\":");
    r = r ? r : (area ? vg_buf_json_str(b, area, strlen(area)) : vg_buf_adds(b, "null"));
    const char *an = area_name(f, u);
    if (an) {
        r = r ? r : vg_buf_adds(b, ",\"area_name\":");
        r = r ? r : vg_buf_json_str(b, an, strlen(an));
    }
    r = r ? r : vg_buf_adds(b, ",\"expected\":");
    r = r ? r : vg_buf_json_num(b, ex);
    r = r ? r : vg_buf_adds(b, ",\"p_any\":");
    r = r ? r : vg_buf_json_num(b, -expm1(-ex));
    r = r ? r : vg_buf_printf(b, ",\"rank\":%zu,\"explain\":[", rank + 1);
    size_t ne = f->nexplain_of ? f->nexplain_of[rank] : 0;
    for (size_t k = 0; k < ne && r == VG_OK; k++) {
        const struct vg_contrib *c = &f->explain[rank * f->nexplain + k];
        r = vg_buf_printf(b, "%s{\"what\":", k ? "," : "");
        r = r ? r : vg_buf_json_str(b, c->what, strlen(c->what));
        r = r ? r : vg_buf_adds(b, ",\"weight\":");
        r = r ? r : vg_buf_json_num(b, c->weight);
        r = r ? r : vg_buf_addc(b, '}');
    }
    return r ? r : vg_buf_addc(b, ']');
}

enum vg_err vg_forecast_json(const struct vg_forecast *f, struct vg_buf *b)
{
    enum vg_err r = vg_buf_addc(b, '{');
    r = r ? r : header_json(f, b);
    r = r ? r : vg_buf_adds(b, ",\"cells\":[");
    for (size_t k = 0; k < f->top && r == VG_OK; k++) {
        r = vg_buf_adds(b, k ? ",\n{" : "\n{");
        r = r ? r : cell_props(f, k, b);
        r = r ? r : vg_buf_addc(b, '}');
    }
    return r ? r : vg_buf_adds(b, "]}\n");
}

enum vg_err vg_forecast_geojson(const struct vg_forecast *f, struct vg_buf *b)
{
    enum vg_err r = vg_buf_adds(b, "{\"type\":\"FeatureCollection\",");
    r = r ? r : header_json(f, b);
    r = r ? r : vg_buf_adds(b, ",\"features\":[");
    for (size_t k = 0; k < f->top && r == VG_OK; k++) {
        r = vg_buf_adds(b, k ? ",\n{\"type\":\"Feature\",\"properties\":{" : "\n{\"type\":\"Feature\",\"properties\":{");
        r = r ? r : cell_props(f, k, b);
        r = r ? r : vg_buf_adds(b, "},\"geometry\":");
        r = r ? r : vg_units_geojson_geometry(f->units, f->to_lonlat, f->order[k], b);
        r = r ? r : vg_buf_addc(b, '}');
    }
    return r ? r : vg_buf_adds(b, "]}\n");
}

enum vg_err vg_forecast_csv(const struct vg_forecast *f, struct vg_buf *b)
{
    enum vg_err r = vg_buf_adds(b, "rank,id,lon,lat,area_id,expected,p_any,explain\n");
    for (size_t k = 0; k < f->top && r == VG_OK; k++) {
        size_t u = f->order[k];
        const char *area = area_of(f, u);
        r = vg_buf_printf(b, "%zu,%s,%.6f,%.6f,%s,%.6g,%.6g,\"", k + 1, f->units->label[u],
                          f->units->lon[u], f->units->lat[u], area ? area : "",
                          f->expected[u], -expm1(-f->expected[u]));
        size_t ne = f->nexplain_of ? f->nexplain_of[k] : 0;
        for (size_t j = 0; j < ne && r == VG_OK; j++) {
            const struct vg_contrib *c = &f->explain[k * f->nexplain + j];
            for (const char *p = c->what; *p && r == VG_OK; p++)
                r = *p == '"' ? vg_buf_adds(b, "\"\"") : vg_buf_addc(b, *p);
            r = r ? r : vg_buf_printf(b, " (%.3g)%s", c->weight, j + 1 < ne ? "; " : "");
        }
        r = r ? r : vg_buf_adds(b, "\"\n");
    }
    return r;
}

enum vg_err vg_forecast_table(const struct vg_forecast *f, const char *lang,
                              struct vg_buf *b)
{
    int en = lang && !strcmp(lang, "en");
    char s[40], e[40];
    vg_tz_format_iso(f->tz, f->window.start, s, sizeof s);
    vg_tz_format_iso(f->tz, f->window.end, e, sizeof e);
    enum vg_err r = vg_buf_printf(b, en ? "model %s — %s — %s → %s (%.1f h) — %zu past events\n"
                                        : "modèle %s — %s — %s → %s (%.1f h) — %zu faits passés\n",
                                  f->model->name, f->categories, s, e,
                                  (double)(f->window.end - f->window.start) / 3600.0, f->nevents);
    if (r == VG_OK && f->evidence)
        r = vg_buf_printf(b, "%s\n", f->evidence);
    r = r ? r : vg_buf_printf(b, "%4s  %-10s %-24s %9s %8s  %s\n",
                              "rank", en ? "place" : "lieu", en ? "area" : "quartier",
                              en ? "expected" : "attendu", "P(>=1)", en ? "why" : "pourquoi");
    for (size_t k = 0; k < f->top && r == VG_OK; k++) {
        size_t u = f->order[k];
        const char *area = area_name(f, u);
        if (area == NULL)
            area = area_of(f, u);
        r = vg_buf_printf(b, "%4zu  %-10s %-24.24s %9.4f %7.1f%%  ", k + 1, f->units->label[u],
                          area ? area : "-", f->expected[u], 100 * -expm1(-f->expected[u]));
        size_t ne = f->nexplain_of ? f->nexplain_of[k] : 0;
        for (size_t j = 0; j < ne && j < 2 && r == VG_OK; j++)
            r = vg_buf_printf(b, "%s%s (%.2g)", j ? "; " : "", f->explain[k * f->nexplain + j].what,
                              f->explain[k * f->nexplain + j].weight);
        r = r ? r : vg_buf_addc(b, '\n');
    }
    return r;
}
