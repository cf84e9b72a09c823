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
    const char *model;          /* registry name; NULL = the published model
                                 * (or, without one, the best baseline) */
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
    /* Ensign et al.'s correction of the model input (report/briefing_fb.c):
     * when `feedback` is set, discovered events are kept with probability
     * min(1, p_ref / p_sent), the patrol dosage p_sent read from the recorded
     * briefings (first `patrol_places` places, over `dosage_days` nights,
     * records with id <= max_forecast_id, 0 = all). */
    int feedback;
    int32_t dosage_days;
    size_t patrol_places;
    int64_t max_forecast_id;
};

struct vg_areas;
struct vg_proj;

struct vg_briefing {
    struct vg_forecast fc;      /* ready for the writers once run */
    int published;              /* 1 when the store holds gate evidence */
    int baseline_shown;         /* 1 when no model is published: a baseline */
    /* feedback correction, when asked (limits.feedback) */
    int fb_on;
    int32_t fb_days;
    size_t fb_places, fb_discovered, fb_dropped, fb_nights;
    int64_t fb_max_forecast_id;
    char model_spec[128];       /* canonical spec of the model run */
    char evidence[640];         /* the evidence line, or why not published */
    double params[VG_MODEL_MAX_PARAMS];
    char categories[128], units_spec[64];
    char excluded[512];         /* police-activity categories left out, why */
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

/* Meta keys of the publication gate (cli/cmd_publish.c writes them):
 *   gate:SPEC:CATEGORIES:SHIFT       the evidence line of a published model
 *   published:CATEGORIES:SHIFT       the spec the briefing uses by default
 *   baseline:CATEGORIES:SHIFT        the best naive baseline the gate found
 *   gate-why:CATEGORIES:SHIFT        why the last candidate was refused
 * SPEC is canonical ("kde:bandwidth=200"); `spec` NULL omits it; shift NULL
 * = "night".  Writes into out[cap]. */
void vg_briefing_meta_key(const char *what, const char *spec, const char *categories,
                          const char *shift, char *out, size_t cap);

/* 1 if category `cat` is left out of patrol briefings by default because
 * its counts mostly measure police activity; *reason (may be NULL) gets the
 * text to show (borrowed from `t`).  0 otherwise (*reason = NULL). */
int vg_briefing_excluded(const struct vg_taxonomy *t, int32_t cat,
                         const char **reason);

/* Run the forecast described by `q` on the store of `ctx`.  Categories for
 * which vg_briefing_excluded holds are dropped from the selection unless
 * q->include_police_activity (listed with their reason in out->excluded);
 * if nothing is left the run fails with VG_USAGE giving the reason.  On success
 * `out->fc` is complete (top = min(q->top, units) or all units).  Usage
 * errors (unknown model, bad date or shift, unknown category) are VG_USAGE
 * with a message naming the value; no past events is VG_NOTFOUND.  On
 * failure `out` is left freeable. */
enum vg_err vg_briefing_run(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                            struct vg_briefing *out, struct vg_diag *d);
/* The same with a supervisor's override: include_police_activity = 1 keeps
 * those categories (the caller logs the override in the audit trail). */
enum vg_err vg_briefing_run_override(struct vg_ctx *ctx,
                                     const struct vg_briefing_req *q,
                                     int include_police_activity,
                                     struct vg_briefing *out, struct vg_diag *d);
/* Apply the feedback correction of `lim` to b->past (called by the run
 * after loading; exposed for tests). */
enum vg_err vg_briefing_feedback(struct vg_ctx *ctx, const struct vg_briefing_limits *lim,
                                 struct vg_briefing *b, struct vg_diag *d);
/* Both: data limits (`lim` may be NULL) and the supervisor's override. */
enum vg_err vg_briefing_run_full(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                 const struct vg_briefing_limits *lim,
                                 int include_police_activity,
                                 struct vg_briefing *out, struct vg_diag *d);
/* The same under data limits (`lim` may be NULL = none). */
enum vg_err vg_briefing_run_limited(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                    const struct vg_briefing_limits *lim,
                                    struct vg_briefing *out, struct vg_diag *d);
void vg_briefing_free(struct vg_briefing *b);

#endif
