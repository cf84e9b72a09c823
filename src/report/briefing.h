/*
 * briefing.h — one forecast run for a patrol shift, shared by
 * `vigie forecast` and `vigie serve`: load the past events of the chosen
 * categories from the store, build the units, fit the model on the events
 * strictly before the shift starts, predict, rank and explain the top
 * places, and attach the model's publication evidence when the store has
 * one.  The result fills a `struct vg_forecast` that the writers of
 * report/forecast_out.h print.
 *
 * Ownership: a `struct vg_briefing` owns every array it points to and is
 * released with vg_briefing_free (which accepts a zeroed struct).  It
 * borrows the context it was run on, which must outlive it.
 * Thread-safety: vg_forecast_rank uses a static comparator, so callers that
 * run briefings from several threads serialise them (the server does).
 */
#ifndef VG_BRIEFING_H
#define VG_BRIEFING_H

#include <stddef.h>

#include "cli/context.h"
#include "geo/units.h"
#include "model/model.h"
#include "report/forecast_out.h"

#define VG_BRIEFING_EXPLAIN 5
/* ranks that get an explanation (the rest are listed without one) */
#define VG_BRIEFING_EXPLAINED 100

struct vg_briefing_req {
    const char *model;          /* registry name; NULL = "kde" */
    const char *const *kv;      /* "k=v" model parameter settings */
    size_t nkv;
    const char *date;           /* local start date of the shift, YYYY-MM-DD */
    const char *shift;          /* "night", "day", "HH:MM-HH:MM"; NULL = night */
    const char *category;       /* taxonomy selection: "a,b", "group:x", "all" */
    const char *units;          /* "grid:150", "areas[:LAYER]"; NULL = grid:150 */
    size_t top;                 /* ranked places to explain; 0 = every unit */
    int threads;                /* model threads, >= 1 */
};

/* Data limits for a replay (0 = none): ignore events whose store id is
 * above max_event_id and weather days past the first weather_days, so a
 * forecast re-computed after later imports sees the same data. */
struct vg_briefing_limits {
    int64_t max_event_id;
    size_t weather_days;
};

struct vg_areas;
struct vg_proj;

struct vg_briefing {
    struct vg_forecast fc;      /* ready for the writers once run */
    int published;              /* 1 when the store holds gate evidence */
    char evidence[640];         /* the evidence line, or why not published */
    double params[VG_MODEL_MAX_PARAMS];
    char categories[128], units_spec[64];
    /* owned */
    struct vg_units units;
    struct vg_areas *areas;
    struct vg_proj *to_ll;
    struct vg_events all, past;
    struct vg_weather weather;
    double *expected;
    size_t *order;
    struct vg_contrib *explain;
    size_t *nexplain;
    void *state;
    const struct vg_model_ops *model;
};

/* Meta key under which the publication gate's evidence line for (model,
 * categories) is kept: "gate:MODEL:CATEGORIES".  Writes into out[cap]. */
void vg_briefing_gate_key(const char *model, const char *categories, char *out,
                          size_t cap);

/* Run the forecast described by `q` on the store of `ctx`.  On success
 * `out->fc` is complete (top = min(q->top, units) or all units).  Usage
 * errors (unknown model, bad date or shift, unknown category) are VG_USAGE
 * with a message naming the value; no past events is VG_NOTFOUND.  On
 * failure `out` is left freeable. */
enum vg_err vg_briefing_run(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                            struct vg_briefing *out, struct vg_diag *d);
/* The same under data limits (`lim` may be NULL = none). */
enum vg_err vg_briefing_run_limited(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                    const struct vg_briefing_limits *lim,
                                    struct vg_briefing *out, struct vg_diag *d);
void vg_briefing_free(struct vg_briefing *b);

#endif
