/*
 * feedback.h — the Ensign et al. (2018) feedback-loop correction and the
 * patrol-feedback simulator behind `vigie audit feedback`.
 *
 * Ensign, Friedler, Neville, Scheidegger, Venkatasubramanian, "Runaway
 * Feedback Loops in Predictive Policing", FAT* 2018 (PMLR 81:160-171).
 * Police *discover* incidents only where they are sent, so a model refitted
 * on discovered incidents learns the patrol plan, not the crime.  Their fix
 * changes the model's *inputs*, black-box: a discovered incident in a place
 * police were sent to with probability p is counted only with probability
 * proportional to 1/p.  Here the acceptance probability is
 *     a = min(1, p_ref / p_sent)
 * where p_sent is the patrol share of the place on the discovery day (the
 * fraction of the last D days it was patrolled, today included, so
 * p_sent >= 1/D whenever a patrol could discover anything) and p_ref = 1/D,
 * the smallest possible share.  The expected number of discovered incidents
 * kept per day in a place is then p_sent * delta * lambda * a
 * = p_ref * delta * lambda: proportional to its true rate lambda and no
 * longer to how often it was patrolled (the importance weight 1/p of
 * Horvitz-Thompson, realised as a 0/1 draw so that every existing model,
 * which counts events, consumes it unchanged).  Reported and camera
 * events are always kept with weight 1.  Draws are a hash of (seed, event
 * id): the same event gets the same decision in every run and whatever the
 * order of the input.
 *
 * Ownership: vg_fb_apply fills a caller-owned struct vg_events (free with
 * vg_events_free); vg_fb_result owns its arrays (vg_fb_result_free).
 */
#ifndef VG_FEEDBACK_H
#define VG_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/tz.h"
#include "geo/units.h"
#include "model/model.h"
#include "store/events.h"

enum vg_fb_corr { VG_FB_NONE, VG_FB_ENSIGN };

/* "none" | "ensign"; VG_USAGE naming the value otherwise. */
enum vg_err vg_fb_corr_parse(const char *s, enum vg_fb_corr *out,
                             struct vg_diag *d);
const char *vg_fb_corr_name(enum vg_fb_corr c);

/* Deterministic uniform number in [0, 1) for event `id` under `seed` and
 * `stream` (independent draws for one event use different streams). */
double vg_fb_uniform(uint64_t seed, int64_t id, uint32_t stream);

/* Probability that an event of `origin` enters the model's input:
 * 1 unless origin is VG_ORIGIN_DISCOVERED and c is VG_FB_ENSIGN, then
 * min(1, p_ref / p_sent) (1 when p_sent <= 0: no dosage known). */
double vg_fb_weight(enum vg_fb_corr c, uint8_t origin, double p_sent,
                    double p_ref);

/* The model input after correction: the events of `ev` (sorted) kept by
 * the rule above, in the same order; p_sent[k] is the patrol share of event
 * k's place on its day (may be NULL under VG_FB_NONE).  *dropped (may be
 * NULL) receives the number of discovered events left out.  `out` is
 * initialised here; on failure it is freed. */
enum vg_err vg_fb_apply(const struct vg_events *ev, const double *p_sent,
                        enum vg_fb_corr c, double p_ref, uint64_t seed,
                        struct vg_events *out, size_t *dropped,
                        struct vg_diag *d);

/* Concentration statistics of a non-negative allocation x[0..n):
 * share held by the largest ceil(frac * n) entries, and the Gini
 * coefficient (0 = equal, -> 1 = all on one).  0 for an all-zero x.
 * `scratch` holds n doubles. */
double vg_fb_top_share(const double *x, size_t n, double frac, double *scratch);
double vg_fb_gini(const double *x, size_t n, double *scratch);
/* Total-variation distance between the distributions a/Σa and b/Σb
 * (1 if exactly one of them is all zero, 0 if both are). */
double vg_fb_tv(const double *a, const double *b, size_t n);

/* ---- simulator ---- */

struct vg_fb_config {
    const struct vg_model_ops *model;
    const double *params;
    const struct vg_units *units;
    const struct vg_tz *tz;
    const struct vg_window *days; /* consecutive replay days, sorted */
    size_t ndays;
    size_t patrols;       /* K units patrolled per day (top K of the model) */
    double report_rate;   /* P(a true event is reported by the public) */
    double discover_rate; /* P(an unreported event in a patrolled unit is found) */
    int dosage_days;      /* D: patrol share look-back, days (also the stats window) */
    enum vg_fb_corr corr;
    uint64_t seed;
};

/* Per replay day, over the last D days (rolling window ending that day). */
struct vg_fb_day {
    double top1;      /* share of patrol-days on the top 1 % of units */
    double gini;      /* Gini of patrol-days over all units */
    double distinct;  /* units patrolled at least once */
    double tv_obs;    /* TV(observed-event map, true-event map) */
    double tv_patrol; /* TV(patrol-day map, true-event map) */
    double captured;  /* share of the day's true events in patrolled units */
    double reported, discovered, kept; /* events observed that day (kept: after correction) */
};

struct vg_fb_result {
    size_t ndays, nunits;
    struct vg_fb_day *day;
    double *patrol_days;  /* per unit, whole replay */
    double *true_count;   /* per unit, whole replay */
    /* whole replay: the statistics above over all patrol-days and all true
     * events; captured = mean over days of the daily share */
    double top1, gini, distinct, tv_patrol, captured;
    double reported, discovered, kept, unlocated;
};

/* Replay: `truth` (sorted) holds every true event, including a history
 * before days[0].start.  The history enters the observed data as reported
 * events only (each with probability report_rate).  Each day the model is
 * fitted on the observed events before the day, the K units with the
 * highest expected events per km² are patrolled, and the day's true events
 * are observed: reported with probability report_rate (anywhere),
 * otherwise discovered with probability discover_rate if their unit is
 * patrolled, then passed through the correction.  Deterministic for a
 * given seed.  Fails with VG_USAGE on an empty day list or K = 0 or
 * K >= units, the model's error otherwise. */
enum vg_err vg_fb_simulate(const struct vg_fb_config *c,
                           const struct vg_events *truth,
                           struct vg_fb_result *out, struct vg_diag *d);
void vg_fb_result_free(struct vg_fb_result *r);

/* ---- Ensign et al.'s urn (their Section 4) ---- */

/* Two regions with daily discovery probabilities la, lb; an urn starting
 * with one ball of each colour.  Each day police go to A with probability
 * (balls A)/(all balls); if they discover an incident there (probability
 * la or lb) a ball of that colour is added, under VG_FB_ENSIGN only with
 * probability min(pA, pB) / p(visited).  `runs` independent urns of `days`
 * days; share[t] receives the mean over runs of the share of A's balls
 * after day t, sd[t] its standard deviation across runs (both arrays of
 * `days`; sd may be NULL).  Deterministic for a seed. */
void vg_fb_urn(double la, double lb, size_t days, size_t runs,
               enum vg_fb_corr c, uint64_t seed, double *share, double *sd);

#endif
