/*
 * backtest.c — the rolling-origin backtest driver (contract in backtest.h).
 *
 * Plan: select the categories once (an owned copy), locate every selected
 * event in a unit once, cut the windows into refit periods, and hand the
 * periods to a pool of pthreads through a mutex-protected counter taken in
 * time order.  A period task copies the past once for the fits, and once
 * more per window for the predictions (reusing the fit copy when the window
 * starts the period), then scores every model on every window into the
 * window's own slot.  Totals, stability and bootstraps are computed after
 * the join, sequentially, in window order: this is what makes the output
 * independent of the thread count.
 * Invariant: a model never receives an array that holds an event at or
 * after its t_cut.  Memory: the result owns its arrays; each task owns and
 * frees its copies, fitted states and scratch.
 */
#include "eval/backtest.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "geo/units.h"

const double vg_bt_curve_pct[VG_BT_CURVE] = {
    0.5, 1, 2, 3, 4, 5, 7.5, 10, 12.5, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100};

enum vg_err vg_refit_parse(const char *s, enum vg_refit *out,
                           struct vg_diag *d)
{
    static const char *const names[] = {"daily", "weekly", "monthly"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (enum vg_refit)i;
            return VG_OK;
        }
    return vg_fail(d, VG_USAGE, "", 0, 0,
                   "--refit \"%s\": expected daily, weekly or monthly",
                   s ? s : "");
}

const char *vg_refit_name(enum vg_refit r)
{
    return r == VG_REFIT_DAILY ? "daily" : r == VG_REFIT_WEEKLY ? "weekly" : "monthly";
}

void vg_backtest_config_init(struct vg_backtest_config *c)
{
    static const double cov[] = {1, 2, 5, 10, 20};
    memset(c, 0, sizeof *c);
    memcpy(c->cover, cov, sizeof cov);
    c->ncover = 5;
    c->primary = 5;
    c->refit = VG_REFIT_WEEKLY;
    c->boot_reps = 2000;
    c->seed = 20240601;
    c->level = 0.95;
}

/* Civil date of a day number (Hinnant's civil_from_days; tz.h has the same
 * arithmetic, repeated here so eval and its reports need no zone code). */
static void civil(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t month_of_day(int64_t z)
{
    int64_t y, m, d;
    civil(z, &y, &m, &d);
    return y * 12 + m - 1;
}

void vg_backtest_date(int64_t day, char out[16])
{
    int64_t y, m, d;
    civil(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

static int64_t refit_key(enum vg_refit r, const struct vg_bt_window *w,
                         size_t i)
{
    if (r == VG_REFIT_WEEKLY)
        return vg_bootstrap_week(w->day);
    if (r == VG_REFIT_MONTHLY)
        return month_of_day(w->day);
    return (int64_t)i;
}

/* Shared, read-only state of one run plus the task counter. */
struct run {
    const struct vg_backtest_config *c;
    const struct vg_units *u;
    struct vg_events sel;  /* selected categories, owned */
    int32_t *unit_of;      /* [sel.n] unit index or -1 */
    size_t *block0;        /* [nblocks + 1] first window of each period */
    size_t nblocks;
    double areas_cover[VG_BT_MAX_COVER], areas_curve[VG_BT_CURVE];
    struct vg_backtest_result *r;
    pthread_mutex_t mu;
    size_t next;           /* next period to take */
    int stop;
    enum vg_err *err;      /* [nblocks] */
    struct vg_diag *diag;  /* [nblocks] */
    double *fit_s, *pred_s;/* [nblocks * nmodels] */
    size_t *lost;          /* [nwin] events of the window in no unit */
};

/* Per-thread scratch, reused across periods. */
struct scratch {
    struct vg_metrics_ws ws;
    double *expected, *count;
    int32_t *touched;
    size_t ntouched;
    double best[VG_BT_MAX_COVER], nij_best;
    void **state;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int32_t locate(const struct vg_units *u, const struct vg_events *ev,
                      size_t i)
{
    if (u->kind == VG_UNITS_AREAS) {
        int32_t a = ev->area[i];
        return a >= 0 && (size_t)a < u->n ? a : -1;
    }
    double fx = floor((ev->x[i] - u->x0) / u->cell);
    double fy = floor((ev->y[i] - u->y0) / u->cell);
    if (!(fx >= 0 && fy >= 0 && fx < u->nx && fy < u->ny))
        return -1;
    return u->cell_unit[(size_t)fy * (size_t)u->nx + (size_t)fx];
}

/* Count the window's events per unit into s->count (zeroed afterwards by
 * clear_counts).  Returns the number of unlocated events. */
static size_t count_window(const struct run *R, struct scratch *s,
                           const struct vg_bt_window *w)
{
    size_t a = vg_events_before(&R->sel, w->start);
    size_t b = vg_events_before(&R->sel, w->end), lost = 0;
    s->ntouched = 0;
    for (size_t i = a; i < b; i++) {
        int32_t k = R->unit_of[i];
        if (k < 0) {
            lost++;
            continue;
        }
        if (s->count[k] == 0)
            s->touched[s->ntouched++] = k;
        s->count[k] += 1;
    }
    return lost;
}

static void clear_counts(struct scratch *s)
{
    for (size_t i = 0; i < s->ntouched; i++)
        s->count[s->touched[i]] = 0;
}

static enum vg_err score_one(const struct run *R, struct scratch *s,
                             size_t m, size_t w, struct vg_diag *d)
{
    const struct vg_units *u = R->u;
    const double *ex = s->expected;
    struct vg_bt_score *sc = &R->r->score[m * R->r->nwin + w];
    size_t n = u->n;
    double tot = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(ex[i] >= 0) || !isfinite(ex[i]))
            return vg_fail(d, VG_MODEL, "", 0, 0, "model \"%s\" returned "
                           "expected=%g for unit %zu (%s) in window %zu",
                           R->r->models[m].name, ex[i], i,
                           u->label ? u->label[i] : "?", w + 1);
        tot += ex[i];
    }
    sc->expected = tot;
    for (size_t k = 0; k < s->ntouched; k++)
        sc->events += s->count[s->touched[k]];
    vg_metrics_rank(&s->ws, ex, u->km2, n);
    vg_metrics_captured(s->ws.order, n, u->km2, s->count, R->areas_cover,
                        R->r->ncover, sc->hits);
    memcpy(sc->best, s->best, sizeof sc->best);
    vg_metrics_captured(s->ws.order, n, u->km2, s->count, R->areas_curve,
                        VG_BT_CURVE, sc->curve);
    if (R->r->nij_km2 > 0) {
        vg_metrics_captured(s->ws.order, n, u->km2, s->count, &R->r->nij_km2,
                            1, &sc->nij_hits);
        sc->nij_best = s->nij_best;
    }
    sc->brier = vg_metrics_brier_sum(ex, s->count, n);
    sc->loglik = vg_metrics_loglik_sum(ex, s->count, n);
    vg_metrics_calib_add(s->ws.order, n, ex, s->count, &sc->cal);
    size_t np = vg_metrics_prefix_len(s->ws.order, n, u->km2,
                                      R->areas_cover[R->r->ncover - 1]);
    sc->top = vg_calloc(np ? np : 1, sizeof *sc->top);
    if (sc->top == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "backtest: out of memory");
    memcpy(sc->top, s->ws.order, np * sizeof *sc->top);
    sc->ntop = np;
    if (w + 1 == R->r->nwin)
        memcpy(R->r->last_expected + m * n, ex, n * sizeof *ex);
    return VG_OK;
}

static void fill_input(const struct run *R, struct vg_model_input *in,
                       const struct vg_events *ev, int64_t t_cut)
{
    memset(in, 0, sizeof *in);
    in->ev = ev;
    in->units = R->u;
    in->tz = R->c->tz;
    in->weather = R->c->weather;
    in->cal = R->c->cal;
    in->t_cut = t_cut;
    in->threads = 1;
}

/* Predict and score every model on window w. */
static enum vg_err do_window(struct run *R, struct scratch *s, size_t b,
                             size_t w, const struct vg_events *fitev,
                             struct vg_diag *d)
{
    const struct vg_bt_window *win = &R->c->win[w];
    struct vg_events own;
    const struct vg_events *ev = fitev;
    enum vg_err e = VG_OK;
    size_t nm = R->c->nmodels;
    vg_events_init(&own);
    if (win->start != R->c->win[R->block0[b]].start) {
        if ((e = vg_events_copy_before(&R->sel, win->start, NULL, 0, &own)))
            return vg_fail(d, e, "", 0, 0, "backtest: cannot copy events");
        ev = &own;
    }
    R->lost[w] = count_window(R, s, win);
    if (w + 1 == R->r->nwin)
        memcpy(R->r->last_count, s->count, R->u->n * sizeof *s->count);
    vg_metrics_best(&s->ws, s->count, R->u->km2, R->u->n, R->areas_cover,
                    R->r->ncover, s->best);
    if (R->r->nij_km2 > 0)
        vg_metrics_best(&s->ws, s->count, R->u->km2, R->u->n, &R->r->nij_km2,
                        1, &s->nij_best);
    struct vg_model_input in;
    fill_input(R, &in, ev, win->start);
    struct vg_window mw = {win->start, win->end};
    for (size_t m = 0; m < nm && e == VG_OK; m++) {
        const struct vg_model_ops *ops = R->c->models[m].ops;
        double t0 = now_s();
        e = ops->predict(s->state[m], &in, &mw, s->expected, d);
        R->pred_s[b * nm + m] += now_s() - t0;
        if (e != VG_OK) {
            char inner[sizeof d->msg];
            snprintf(inner, sizeof inner, "%s", d->msg);
            vg_fail(d, e, "", 0, 0, "model \"%s\", window %zu: predict "
                    "failed: %s", R->c->models[m].name, w + 1, inner);
            break;
        }
        e = score_one(R, s, m, w, d);
    }
    clear_counts(s);
    vg_events_free(&own);
    return e;
}

/* Fit every model at the start of period b, then do its windows. */
static enum vg_err do_period(struct run *R, struct scratch *s, size_t b,
                             struct vg_diag *d)
{
    const struct vg_backtest_config *c = R->c;
    size_t w0 = R->block0[b], w1 = R->block0[b + 1], nm = c->nmodels;
    struct vg_events fitev;
    enum vg_err e = vg_events_copy_before(&R->sel, c->win[w0].start, NULL, 0,
                                          &fitev);
    if (e != VG_OK)
        return vg_fail(d, e, "", 0, 0, "backtest: cannot copy events");
    struct vg_model_input in;
    fill_input(R, &in, &fitev, c->win[w0].start);
    for (size_t m = 0; m < nm && e == VG_OK; m++) {
        double t0 = now_s();
        const double *p = c->models[m].params;
        e = c->models[m].ops->fit(&in, p, &s->state[m], d);
        R->fit_s[b * nm + m] += now_s() - t0;
        if (e != VG_OK) {
            char inner[sizeof d->msg];
            snprintf(inner, sizeof inner, "%s", d->msg);
            vg_fail(d, e, "", 0, 0, "model \"%s\", fit before window %zu: %s",
                    c->models[m].name, w0 + 1, inner);
        }
    }
    for (size_t w = w0; w < w1 && e == VG_OK; w++)
        e = do_window(R, s, b, w, &fitev, d);
    for (size_t m = 0; m < nm; m++) {
        if (s->state[m])
            c->models[m].ops->free(s->state[m]);
        s->state[m] = NULL;
    }
    vg_events_free(&fitev);
    return e;
}

static void *worker(void *arg)
{
    struct run *R = arg;
    struct scratch s;
    memset(&s, 0, sizeof s);
    size_t n = R->u->n ? R->u->n : 1;
    int ok = vg_metrics_ws_init(&s.ws, n) == VG_OK;
    s.expected = vg_calloc(n, sizeof *s.expected);
    s.count = vg_calloc(n, sizeof *s.count);
    s.touched = vg_calloc(n, sizeof *s.touched);
    s.state = vg_calloc(R->c->nmodels ? R->c->nmodels : 1, sizeof *s.state);
    ok = ok && s.expected && s.count && s.touched && s.state;
    for (;;) {
        pthread_mutex_lock(&R->mu);
        size_t b = R->next;
        int go = !R->stop && b < R->nblocks;
        if (go)
            R->next++;
        pthread_mutex_unlock(&R->mu);
        if (!go)
            break;
        vg_diag_clear(&R->diag[b]);
        R->err[b] = ok ? do_period(R, &s, b, &R->diag[b])
                       : vg_fail(&R->diag[b], VG_NOMEM, "", 0, 0,
                                 "backtest: out of memory");
        if (R->err[b] != VG_OK) {
            pthread_mutex_lock(&R->mu);
            R->stop = 1;
            pthread_mutex_unlock(&R->mu);
        }
    }
    vg_metrics_ws_free(&s.ws);
    vg_free(s.expected), vg_free(s.count), vg_free(s.touched), vg_free(s.state);
    return NULL;
}

static enum vg_err check_config(const struct vg_backtest_config *c,
                                const struct vg_units *u, size_t *iprimary,
                                struct vg_diag *d)
{
    if (c->nmodels == 0 || c->nwin == 0 || u->n == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "backtest needs models (%zu), "
                       "windows (%zu) and units (%zu)", c->nmodels, c->nwin,
                       u->n);
    if (c->nwin > VG_BT_MAX_WINDOWS)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "%zu windows (max %d)", c->nwin,
                       VG_BT_MAX_WINDOWS);
    for (size_t w = 0; w < c->nwin; w++)
        if (c->win[w].end <= c->win[w].start ||
            (w > 0 && c->win[w].start < c->win[w - 1].end))
            return vg_fail(d, VG_USAGE, "", 0, 0, "window %zu is empty or "
                           "overlaps the previous one (windows must be "
                           "sorted and disjoint)", w + 1);
    if (c->ncover == 0 || c->ncover > VG_BT_MAX_COVER)
        return vg_fail(d, VG_USAGE, "", 0, 0, "1 to %d coverage levels, "
                       "got %zu", VG_BT_MAX_COVER, c->ncover);
    *iprimary = SIZE_MAX;
    for (size_t k = 0; k < c->ncover; k++) {
        if (!(c->cover[k] > 0 && c->cover[k] <= 100) ||
            (k > 0 && !(c->cover[k] > c->cover[k - 1])))
            return vg_fail(d, VG_USAGE, "", 0, 0, "coverage %g %%: expected "
                           "ascending percentages in (0, 100]", c->cover[k]);
        if (c->cover[k] == c->primary)
            *iprimary = k;
    }
    if (*iprimary == SIZE_MAX)
        return vg_fail(d, VG_USAGE, "", 0, 0, "primary coverage %g %% is not "
                       "one of the --coverage levels", c->primary);
    return VG_OK;
}

static enum vg_err init_result(const struct vg_backtest_config *c,
                               const struct vg_units *u,
                               struct vg_backtest_result *r)
{
    memset(r, 0, sizeof *r);
    r->nmodels = c->nmodels, r->nwin = c->nwin, r->nunits = u->n;
    r->ncover = c->ncover, r->nij_km2 = c->nij_km2, r->level = c->level;
    r->refit = c->refit, r->units = u, r->best_baseline = SIZE_MAX;
    memcpy(r->cover, c->cover, sizeof r->cover);
    for (size_t i = 0; i < u->n; i++)
        r->total_km2 += u->km2[i] > 0 ? u->km2[i] : 0;
    for (size_t k = 0; k < c->ncover; k++)
        r->cover_km2[k] = c->cover[k] * r->total_km2 / 100;
    r->models = vg_calloc(c->nmodels, sizeof *r->models);
    r->win = vg_calloc(c->nwin, sizeof *r->win);
    r->score = vg_calloc(c->nmodels * c->nwin, sizeof *r->score);
    r->sum = vg_calloc(c->nmodels, sizeof *r->sum);
    r->last_expected = vg_calloc(c->nmodels * u->n, sizeof *r->last_expected);
    r->last_count = vg_calloc(u->n, sizeof *r->last_count);
    if (!r->models || !r->win || !r->score || !r->sum || !r->last_expected ||
        !r->last_count)
        return VG_NOMEM;
    memcpy(r->models, c->models, c->nmodels * sizeof *r->models);
    memcpy(r->win, c->win, c->nwin * sizeof *r->win);
    return VG_OK;
}

/* Selected events, their units, the refit periods. */
static enum vg_err prepare(struct run *R, const struct vg_events *all)
{
    const struct vg_backtest_config *c = R->c;
    enum vg_err e = vg_events_copy_before(all, INT64_MAX, c->cats, c->ncats,
                                          &R->sel);
    if (e != VG_OK)
        return e;
    R->unit_of = vg_calloc(R->sel.n ? R->sel.n : 1, sizeof *R->unit_of);
    R->block0 = vg_calloc(c->nwin + 1, sizeof *R->block0);
    if (!R->unit_of || !R->block0)
        return VG_NOMEM;
    for (size_t i = 0; i < R->sel.n; i++)
        R->unit_of[i] = locate(R->u, &R->sel, i);
    R->nblocks = 0;
    for (size_t w = 0; w < c->nwin; w++)
        if (w == 0 || refit_key(c->refit, &c->win[w], w) !=
                          refit_key(c->refit, &c->win[w - 1], w - 1))
            R->block0[R->nblocks++] = w;
    R->block0[R->nblocks] = c->nwin;
    size_t nm = c->nmodels, nb = R->nblocks;
    R->err = vg_calloc(nb, sizeof *R->err);
    R->diag = vg_calloc(nb, sizeof *R->diag);
    R->fit_s = vg_calloc(nb * nm, sizeof *R->fit_s);
    R->pred_s = vg_calloc(nb * nm, sizeof *R->pred_s);
    R->lost = vg_calloc(c->nwin, sizeof *R->lost);
    if (!R->err || !R->diag || !R->fit_s || !R->pred_s || !R->lost)
        return VG_NOMEM;
    for (size_t k = 0; k < c->ncover; k++)
        R->areas_cover[k] = R->r->cover_km2[k];
    for (size_t k = 0; k < VG_BT_CURVE; k++)
        R->areas_curve[k] = vg_bt_curve_pct[k] * R->r->total_km2 / 100;
    return VG_OK;
}

static enum vg_err run_threads(struct run *R, struct vg_diag *d)
{
    long nt = R->c->threads > 0 ? R->c->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (nt < 1)
        nt = 1;
    if ((size_t)nt > R->nblocks)
        nt = (long)R->nblocks;
    if (nt > 256)
        nt = 256;
    pthread_t th[256];
    long started = 0;
    for (long i = 1; i < nt; i++, started++)
        if (pthread_create(&th[i], NULL, worker, R) != 0)
            break;
    worker(R); /* the calling thread works too */
    for (long i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    for (size_t b = 0; b < R->nblocks; b++)
        if (R->err[b] != VG_OK) {
            if (d)
                *d = R->diag[b];
            return R->err[b];
        }
    return VG_OK;
}

/* Pooled totals of model m, in window order. */
static void summarize(struct run *R, size_t m, double *mark)
{
    struct vg_backtest_result *r = R->r;
    struct vg_bt_summary *S = &r->sum[m];
    double hits[VG_BT_MAX_COVER] = {0}, best[VG_BT_MAX_COVER] = {0};
    double curve[VG_BT_CURVE] = {0}, nh = 0, nb = 0, brier = 0, ll = 0;
    S->windows = r->nwin;
    for (size_t w = 0; w < r->nwin; w++) {
        const struct vg_bt_score *sc = &r->score[m * r->nwin + w];
        S->events += sc->events, S->expected += sc->expected;
        for (size_t k = 0; k < r->ncover; k++)
            hits[k] += sc->hits[k], best[k] += sc->best[k];
        for (size_t k = 0; k < VG_BT_CURVE; k++)
            curve[k] += sc->curve[k];
        nh += sc->nij_hits, nb += sc->nij_best;
        brier += sc->brier, ll += sc->loglik;
        for (int b = 0; b < VG_CALIB_BINS; b++)
            S->cal.pred[b] += sc->cal.pred[b], S->cal.obs[b] += sc->cal.obs[b],
                S->cal.n[b] += sc->cal.n[b];
    }
    double ev = S->events, cells = (double)r->nwin * (double)r->nunits;
    for (size_t k = 0; k < r->ncover; k++) {
        S->hit_rate[k] = ev > 0 ? hits[k] / ev : NAN;
        S->pai[k] = S->hit_rate[k] / (r->cover[k] / 100);
        S->pei[k] = best[k] > 0 ? hits[k] / best[k] : NAN;
        double ov = 0;
        for (size_t w = 1; w < r->nwin; w++) {
            const struct vg_bt_score *a = &r->score[m * r->nwin + w - 1];
            ov += vg_metrics_overlap(a->top, a->ntop, a[1].top, a[1].ntop,
                                     r->units->km2, r->cover_km2[k], mark);
        }
        S->stability[k] = r->nwin > 1 ? ov / (double)(r->nwin - 1) : NAN;
    }
    for (size_t k = 0; k < VG_BT_CURVE; k++)
        S->curve[k] = ev > 0 ? curve[k] / ev : NAN;
    if (r->nij_km2 > 0) {
        S->nij_hit_rate = ev > 0 ? nh / ev : NAN;
        S->nij_pai = S->nij_hit_rate / (r->nij_km2 / r->total_km2);
        S->nij_pei = nb > 0 ? nh / nb : NAN;
    }
    S->brier = brier / cells;
    S->loglik = ll / cells;
    for (size_t b = 0; b < R->nblocks; b++)
        S->fit_s += R->fit_s[b * r->nmodels + m],
            S->predict_s += R->pred_s[b * r->nmodels + m];
}

static enum vg_err compare_baseline(struct run *R, struct vg_diag *d)
{
    struct vg_backtest_result *r = R->r;
    size_t ip = r->iprimary, nw = r->nwin, bb = SIZE_MAX;
    for (size_t m = 0; m < r->nmodels; m++)
        if (r->models[m].baseline &&
            (bb == SIZE_MAX || r->sum[m].pai[ip] > r->sum[bb].pai[ip]))
            bb = m;
    r->best_baseline = bb;
    if (bb == SIZE_MAX)
        return VG_OK;
    enum vg_err e = VG_OK;
    double *a = vg_calloc(nw, sizeof *a), *b = vg_calloc(nw, sizeof *b);
    double *den = vg_calloc(nw, sizeof *den);
    int64_t *blk = vg_calloc(nw, sizeof *blk);
    if (!a || !b || !den || !blk) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "backtest: out of memory");
        goto out;
    }
    for (size_t w = 0; w < nw; w++) {
        b[w] = r->score[bb * nw + w].hits[ip];
        den[w] = r->score[bb * nw + w].events;
        blk[w] = vg_bootstrap_week(r->win[w].day);
    }
    for (size_t m = 0; m < r->nmodels && e == VG_OK; m++) {
        r->sum[m].vs_baseline = bb;
        if (m == bb)
            continue;
        for (size_t w = 0; w < nw; w++)
            a[w] = r->score[m * nw + w].hits[ip];
        e = vg_bootstrap_diff(a, b, den, blk, nw, 100 / r->cover[ip],
                              R->c->level, R->c->boot_reps, R->c->seed,
                              &r->sum[m].vs, d);
        r->sum[m].has_vs = e == VG_OK;
    }
out:
    vg_free(a), vg_free(b), vg_free(den), vg_free(blk);
    return e;
}

enum vg_err vg_backtest_run(const struct vg_backtest_config *c,
                            const struct vg_events *all,
                            const struct vg_units *u,
                            struct vg_backtest_result *out, struct vg_diag *d)
{
    struct run R;
    double *mark = NULL;
    memset(&R, 0, sizeof R);
    memset(out, 0, sizeof *out);
    vg_events_init(&R.sel);
    R.c = c, R.u = u, R.r = out;
    pthread_mutex_init(&R.mu, NULL);
    size_t ip = 0;
    enum vg_err e = check_config(c, u, &ip, d);
    if (e != VG_OK)
        goto out;
    if ((e = init_result(c, u, out)) != VG_OK ||
        (e = prepare(&R, all)) != VG_OK ||
        (mark = vg_calloc(u->n, sizeof *mark)) == NULL) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "backtest: out of memory");
        goto out;
    }
    out->iprimary = ip;
    if ((e = run_threads(&R, d)) != VG_OK)
        goto out;
    for (size_t w = 0; w < c->nwin; w++)
        out->unlocated += R.lost[w];
    for (size_t m = 0; m < c->nmodels; m++)
        summarize(&R, m, mark);
    e = compare_baseline(&R, d);
out:
    if (e != VG_OK)
        vg_backtest_result_free(out);
    pthread_mutex_destroy(&R.mu);
    vg_events_free(&R.sel);
    vg_free(R.unit_of), vg_free(R.block0), vg_free(R.err), vg_free(R.diag);
    vg_free(R.fit_s), vg_free(R.pred_s), vg_free(R.lost), vg_free(mark);
    return e;
}

void vg_backtest_result_free(struct vg_backtest_result *r)
{
    if (r == NULL)
        return;
    if (r->score)
        for (size_t i = 0; i < r->nmodels * r->nwin; i++)
            vg_free(r->score[i].top);
    vg_free(r->score), vg_free(r->sum), vg_free(r->models), vg_free(r->win);
    vg_free(r->last_expected), vg_free(r->last_count);
    memset(r, 0, sizeof *r);
}

size_t vg_backtest_find(const struct vg_backtest_result *r, const char *name)
{
    for (size_t m = 0; m < r->nmodels; m++)
        if (strcmp(r->models[m].name, name) == 0)
            return m;
    return SIZE_MAX;
}
