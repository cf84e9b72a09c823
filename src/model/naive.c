/*
 * naive.c — the baselines officers already know:
 *   naive    events of each unit in the last N days, as a daily rate;
 *   average  each unit's long-run daily rate over the whole history;
 *   season   each unit's daily rate in the same weeks of past years
 *            (±W weeks around the window's date shifted by 52·k weeks,
 *            which keeps the weekday, for k = 1..years).
 * Every rate is turned into an expected count for the window by multiplying
 * by the window's "effective days" (7 × its share of a week's activity in
 * the category's hour × weekday profile, model/tod.h), so a Saturday night
 * shift gets its real share.  When the history is shorter than the
 * requested period the rate divides by the days actually covered.
 * State: the time-of-day profile and the parameters, owned by the caller
 * (released with free()).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "model/common.h"
#include "model/models.h"

enum { K_NAIVE, K_AVERAGE, K_SEASON };

struct naive_state {
    int kind;
    double p[4];
    struct vg_tod tod;
};

static const struct vg_param_def naive_params[] = {
    {"days", 28, 1, 3650, "look-back period, days"},
};
static const struct vg_param_def average_params[] = {
    {"maxdays", 3650, 28, 36500, "longest history used, days"},
};
static const struct vg_param_def season_params[] = {
    {"weeks", 2, 0.5, 26, "half-width around the same date in past years, weeks"},
    {"years", 1, 1, 10, "number of past years averaged"},
};

static enum vg_err fit_kind(int kind, const struct vg_model_input *in,
                            const double *params, size_t np, void **state,
                            struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "baseline", d);
    if (e)
        return e;
    struct naive_state *s = vg_calloc(1, sizeof *s);
    if (!s)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    s->kind = kind;
    memcpy(s->p, params, np * sizeof *params);
    vg_tod_learn(in->ev, model__visible(in), in->tz, MODEL__TOD_SIGMA_H,
                 MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    return VG_OK;
}

static enum vg_err naive_fit(const struct vg_model_input *in, const double *p,
                             void **st, struct vg_diag *d)
{
    return fit_kind(K_NAIVE, in, p, 1, st, d);
}
static enum vg_err average_fit(const struct vg_model_input *in, const double *p,
                               void **st, struct vg_diag *d)
{
    return fit_kind(K_AVERAGE, in, p, 1, st, d);
}
static enum vg_err season_fit(const struct vg_model_input *in, const double *p,
                              void **st, struct vg_diag *d)
{
    return fit_kind(K_SEASON, in, p, 2, st, d);
}

/* The periods [from[k], to[k]) (clipped to the visible history) whose counts
 * make the rate; returns how many, and the total days they cover. */
static size_t periods(const struct naive_state *s, const struct vg_model_input *in,
                      const struct vg_window *w, int64_t *from, int64_t *to,
                      double *days)
{
    size_t vis = model__visible(in), np = 0;
    int64_t first = vis ? in->ev->t[0] : in->t_cut;
    int64_t hi = in->t_cut;
    *days = 0;
    if (s->kind == K_SEASON) {
        int years = (int)s->p[1];
        int64_t half = (int64_t)(s->p[0] * 7 * MODEL__DAY);
        for (int k = 1; k <= years; k++) {
            int64_t c = w->start - (int64_t)k * 364 * 86400;
            int64_t a = c - half, b = c + half;
            if (b > hi)
                b = hi;
            if (a < first)
                a = first;
            if (b <= a)
                continue;
            from[np] = a;
            to[np] = b;
            *days += (double)(b - a) / MODEL__DAY;
            np++;
        }
        return np;
    }
    double want = s->p[0];
    int64_t a = hi - (int64_t)(want * MODEL__DAY);
    if (a < first)
        a = first;
    if (hi > a) {
        from[0] = a;
        to[0] = hi;
        *days = (double)(hi - a) / MODEL__DAY;
        np = 1;
    }
    if (*days < 1 && np)
        *days = 1; /* a few hours of history do not make a daily rate */
    return np;
}

static enum vg_err naive_predict(const void *state, const struct vg_model_input *in,
                                 const struct vg_window *w, double *expected,
                                 struct vg_diag *d)
{
    const struct naive_state *s = state;
    int64_t from[16], to[16];
    double days;
    enum vg_err e = model__check_input(in, "baseline", d);
    if (e)
        return e;
    memset(expected, 0, in->units->n * sizeof *expected);
    size_t np = periods(s, in, w, from, to, &days);
    if (np == 0 || !(days > 0))
        return VG_OK;
    for (size_t p = 0; p < np; p++) {
        size_t a = vg_events_before(in->ev, from[p]);
        size_t b = vg_events_before(in->ev, to[p]);
        for (size_t k = a; k < b; k++) {
            int32_t u = model__unit_of(in->units, in->ev->x[k], in->ev->y[k],
                                       in->ev->area ? in->ev->area[k] : -1);
            if (u >= 0)
                expected[u] += 1;
        }
    }
    double scale = model__eff_days(&s->tod, in->tz, w) / days;
    for (size_t i = 0; i < in->units->n; i++)
        expected[i] *= scale;
    return VG_OK;
}

static size_t naive_explain(const void *state, const struct vg_model_input *in,
                            const struct vg_window *w, size_t i,
                            struct vg_contrib *out, size_t max)
{
    const struct naive_state *s = state;
    int64_t from[16], to[16];
    double days;
    size_t np = periods(s, in, w, from, to, &days), n = 0;
    if (np == 0 || max == 0 || i >= in->units->n)
        return 0;
    double scale = model__eff_days(&s->tod, in->tz, w) / days;
    for (size_t p = 0; p < np && n < max; p++) {
        size_t a = vg_events_before(in->ev, from[p]);
        size_t b = vg_events_before(in->ev, to[p]), cnt = 0;
        for (size_t k = a; k < b; k++)
            if (model__unit_of(in->units, in->ev->x[k], in->ev->y[k],
                               in->ev->area ? in->ev->area[k] : -1) == (int32_t)i)
                cnt++;
        char d0[16], d1[16];
        struct vg_contrib c;
        model__date(in->tz, from[p], d0, sizeof d0);
        model__date(in->tz, to[p] - 1, d1, sizeof d1);
        snprintf(c.what, sizeof c.what, "%zu events from %s to %s (%.1f days in all)",
                 cnt, d0, d1, days);
        c.weight = (double)cnt * scale;
        model__top_insert(out, &n, max, &c);
    }
    return n;
}

static void naive_free(void *state)
{
    vg_free(state);
}

const struct vg_model_ops vg_model_naive = {
    "naive", "events per unit in the last N days, scaled to the window", "",
    naive_params, 1, naive_fit, naive_predict, naive_explain, NULL, naive_free,
};
const struct vg_model_ops vg_model_average = {
    "average", "long-run daily average per unit over the whole history", "",
    average_params, 1, average_fit, naive_predict, naive_explain, NULL, naive_free,
};
const struct vg_model_ops vg_model_season = {
    "season", "same weeks in past years (±W weeks, weekday-aligned)", "",
    season_params, 2, season_fit, naive_predict, naive_explain, NULL, naive_free,
};
