/*
 * forecast_out.h — writing a forecast: aligned table, JSON, GeoJSON, CSV.
 * The writer borrows everything; the caller owns the buffer it fills.
 */
#ifndef VG_FORECAST_OUT_H
#define VG_FORECAST_OUT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/tz.h"
#include "geo/units.h"
#include "model/model.h"

struct vg_proj;

struct vg_forecast {
    const struct vg_model_ops *model;
    const double *params;          /* model->nparams values */
    const char *fitted_names[16];
    double fitted[16];
    size_t nfitted;
    const char *categories;        /* as given, e.g. "coups_blessures" */
    const char *units_spec;        /* "grid:150", "areas:ca" */
    const struct vg_units *units;
    const struct vg_proj *to_lonlat; /* for GeoJSON outlines; study → lon/lat */
    const char *const *area_ids;   /* area id by area index, may be NULL */
    const char *const *area_names; /* area name by area index, may be NULL */
    size_t nareas;
    const struct vg_tz *tz;
    struct vg_window window;
    char data_digest[65];
    size_t nevents;
    const double *expected;        /* units->n */
    const size_t *order;           /* unit indices by rank */
    size_t top;                    /* how many ranked units to write */
    /* explanations for the first `top` ranked units */
    const struct vg_contrib *explain; /* top × nexplain */
    const size_t *nexplain_of;        /* top */
    size_t nexplain;
    const char *evidence;          /* publication gate line, may be NULL */
};

/* Rank units by expected (descending), ties by unit index (ascending). */
void vg_forecast_rank(const double *expected, size_t n, size_t *order);
enum vg_err vg_forecast_json(const struct vg_forecast *f, struct vg_buf *b);
enum vg_err vg_forecast_geojson(const struct vg_forecast *f, struct vg_buf *b);
enum vg_err vg_forecast_csv(const struct vg_forecast *f, struct vg_buf *b);
enum vg_err vg_forecast_table(const struct vg_forecast *f, const char *lang,
                              struct vg_buf *b);

#endif
