/*
 * backtest.h — rolling-origin evaluation of forecasting models.
 *
 * For each window (typically one patrol shift per night), every model is
 * fitted on events strictly before the start of its refit period (daily:
 * the window itself; weekly: the Monday-based week of the window's local
 * date; monthly: its calendar month), then asked to predict the window
 * with the events strictly before the window's own start.  Each call gets
 * an *owned copy* of those past events (vg_events_copy_before), never a
 * view into the full array, so a model cannot read what happened later.
 * The observed outcome is the number of events of the selected categories
 * whose occurrence start lies in [start, end), per unit.
 *
 * Refit periods run in parallel on pthreads; every per-window score is
 * stored in its own slot and all totals are summed afterwards in window
 * order, so results are bit-identical whatever the thread count.  Models
 * get in->threads = 1 (the parallelism is across periods).
 *
 * Aggregates are pooled over windows: hit rate = Σ captured / Σ events,
 * PAI = hit rate / coverage, PEI = Σ captured / Σ best, Brier and log-lik
 * per unit-window, stability = mean area overlap of consecutive windows'
 * flagged sets.  Each model is compared with the best naive baseline (the
 * baseline with the highest pooled PAI at the primary coverage) by a week
 * block bootstrap.  See metrics.h for the per-window definitions.
 *
 * The result owns all its arrays (vg_backtest_result_free); it borrows the
 * units passed to vg_backtest_run for map drawing.
 */
#ifndef VG_BACKTEST_H
#define VG_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "eval/bootstrap.h"
#include "eval/metrics.h"
#include "eval/spec.h"
#include "model/model.h"

#define VG_BT_MAX_COVER 12
#define VG_BT_CURVE 20 /* points of the hit-rate-vs-coverage curve */
#define VG_BT_MAX_WINDOWS 20000

enum vg_refit { VG_REFIT_DAILY, VG_REFIT_WEEKLY, VG_REFIT_MONTHLY };

/* Parse "daily" | "weekly" | "monthly". */
enum vg_err vg_refit_parse(const char *s, enum vg_refit *out,
                           struct vg_diag *d);
const char *vg_refit_name(enum vg_refit r);

/* Coverage percentages of the curve, ascending (0.5 … 100). */
extern const double vg_bt_curve_pct[VG_BT_CURVE];

struct vg_bt_window {
    int64_t start, end; /* UTC seconds, [start, end) */
    int64_t day;        /* local date of `start`, days since 1970-01-01 */
};

struct vg_backtest_config {
    const struct vg_spec_model *models;
    size_t nmodels;
    const struct vg_bt_window *win; /* sorted by start, non-overlapping */
    size_t nwin;
    const int32_t *cats; /* selected categories; ncats == 0: all */
    size_t ncats;
    double cover[VG_BT_MAX_COVER]; /* % of the total unit area, ascending */
    size_t ncover;
    double primary;    /* coverage % used for vs_baseline and the gate */
    double nij_km2;    /* NIJ-style fixed flagged area in km², 0 = off */
    enum vg_refit refit;
    int threads;       /* <= 0: all online cores */
    size_t boot_reps;  /* bootstrap replicates */
    uint64_t seed;     /* bootstrap seed */
    double level;      /* confidence level, e.g. 0.95 */
    const struct vg_tz *tz; /* handed to the models */
    const struct vg_weather *weather;
    const struct vg_calendar *cal;
};

/* Defaults: coverage 1, 2, 5, 10, 20 %, primary 5 %, no NIJ area, weekly
 * refit, all cores, 2000 replicates, seed 20240601, level 0.95, no models,
 * no windows, all categories, tz/weather/cal NULL. */
void vg_backtest_config_init(struct vg_backtest_config *c);

/* One model on one window. */
struct vg_bt_score {
    double events;   /* events located in a unit */
    double expected; /* Σ expected over units */
    double hits[VG_BT_MAX_COVER], best[VG_BT_MAX_COVER];
    double nij_hits, nij_best;
    double curve[VG_BT_CURVE]; /* captured events at vg_bt_curve_pct */
    double brier, loglik;      /* sums over units */
    struct vg_calib cal;
    int32_t *top;  /* ranking prefix flagged at the largest coverage */
    size_t ntop;
};

struct vg_bt_summary {
    size_t windows;
    double events, expected;
    double hit_rate[VG_BT_MAX_COVER], pai[VG_BT_MAX_COVER];
    double pei[VG_BT_MAX_COVER], stability[VG_BT_MAX_COVER];
    double nij_hit_rate, nij_pai, nij_pei;
    double curve[VG_BT_CURVE]; /* pooled hit rate at vg_bt_curve_pct */
    double brier, loglik;      /* per unit-window */
    struct vg_calib cal;       /* sums over unit-windows */
    int has_vs;                /* 0 for the best baseline itself */
    size_t vs_baseline;        /* model index of the best baseline */
    struct vg_boot_result vs;  /* est = Δ PAI at primary; rel = PAI ratio - 1 */
    double fit_s, predict_s;   /* CPU-wall seconds (not in JSON: varies) */
};

struct vg_backtest_result {
    size_t nmodels, nwin, nunits, ncover, iprimary;
    struct vg_spec_model *models; /* copy of the config's list */
    struct vg_bt_window *win;     /* copy */
    double cover[VG_BT_MAX_COVER], cover_km2[VG_BT_MAX_COVER];
    double nij_km2, total_km2, level;
    enum vg_refit refit;
    struct vg_bt_score *score;    /* [m * nwin + w] */
    struct vg_bt_summary *sum;    /* [m] */
    size_t best_baseline;         /* model index, or SIZE_MAX if none */
    size_t unlocated;             /* window events outside every unit */
    double *last_expected;        /* [m * nunits]: forecast of the last window */
    double *last_count;           /* [nunits]: events in the last window */
    const struct vg_units *units; /* borrowed */
};

/* Run the backtest of `c` on `all` (every loaded event, sorted by t) over
 * the units `u`.  On success fills `out` (free with
 * vg_backtest_result_free).  Fails with VG_USAGE on an empty or unsorted
 * window list or bad coverage, with the model's own error (and its
 * diagnostic prefixed by the model name and window) if a fit or predict
 * fails, VG_MODEL if a model returns a negative or non-finite expectation,
 * VG_NOMEM.  The first failing refit period (in time order) is reported. */
enum vg_err vg_backtest_run(const struct vg_backtest_config *c,
                            const struct vg_events *all,
                            const struct vg_units *u,
                            struct vg_backtest_result *out, struct vg_diag *d);

void vg_backtest_result_free(struct vg_backtest_result *r);

/* "YYYY-MM-DD" of a day number (days since 1970-01-01). */
void vg_backtest_date(int64_t day, char out[16]);

/* Index of model `name` in r, or SIZE_MAX. */
size_t vg_backtest_find(const struct vg_backtest_result *r, const char *name);

#endif
