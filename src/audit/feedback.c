/*
 * feedback.c — the Ensign et al. (2018) input correction and the patrol
 * feedback simulator (see feedback.h for the method and its reference).
 *
 * Invariant of the simulator: the observed event set only ever holds events
 * strictly before the day being forecast, in (t, id) order, because a day's
 * events are appended after that day's patrols are chosen; so the model is
 * handed exactly the data a real deployment would have had.
 * Memory: every array is owned by the result or freed before returning.
 */
#include "audit/feedback.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "eval/metrics.h"

enum vg_err vg_fb_corr_parse(const char *s, enum vg_fb_corr *out,
                             struct vg_diag *d)
{
    if (s && !strcmp(s, "none"))
        *out = VG_FB_NONE;
    else if (s && !strcmp(s, "ensign"))
        *out = VG_FB_ENSIGN;
    else
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "correction \"%s\" must be none or ensign", s ? s : "");
    return VG_OK;
}

const char *vg_fb_corr_name(enum vg_fb_corr c)
{
    return c == VG_FB_ENSIGN ? "ensign" : "none";
}

/* splitmix64 finaliser: a good 64-bit mix, enough for independent draws. */
static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double vg_fb_uniform(uint64_t seed, int64_t id, uint32_t stream)
{
    uint64_t h = mix64(seed ^ mix64((uint64_t)id ^ ((uint64_t)stream << 56)));
    return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}

double vg_fb_weight(enum vg_fb_corr c, uint8_t origin, double p_sent,
                    double p_ref)
{
    if (c != VG_FB_ENSIGN || origin != VG_ORIGIN_DISCOVERED || !(p_sent > 0))
        return 1.0;
    double a = p_ref / p_sent;
    return a < 1.0 ? a : 1.0;
}

#define FB_STREAM_CORR 3u

enum vg_err vg_fb_apply(const struct vg_events *ev, const double *p_sent,
                        enum vg_fb_corr c, double p_ref, uint64_t seed,
                        struct vg_events *out, size_t *dropped,
                        struct vg_diag *d)
{
    size_t drop = 0;
    enum vg_err e = VG_OK;
    vg_events_init(out);
    if (c == VG_FB_ENSIGN && p_sent == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "the ensign correction needs the patrol share of every event");
    for (size_t k = 0; k < ev->n && e == VG_OK; k++) {
        double w = vg_fb_weight(c, ev->origin[k], p_sent ? p_sent[k] : 0, p_ref);
        if (w < 1.0 && vg_fb_uniform(seed, ev->id[k], FB_STREAM_CORR) >= w) {
            drop++;
            continue;
        }
        e = vg_events_push(out, ev->id[k], ev->t[k], ev->t_end[k], ev->x[k], ev->y[k],
                           ev->lon[k], ev->lat[k], ev->cat[k], ev->area[k], ev->source[k],
                           ev->origin[k]);
    }
    if (e) {
        vg_events_free(out);
        return vg_fail(d, e, "", 0, 0, "out of memory copying %zu events", ev->n);
    }
    if (dropped)
        *dropped = drop;
    return VG_OK;
}

/* ---- concentration statistics ---- */

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

double vg_fb_top_share(const double *x, size_t n, double frac, double *scratch)
{
    double tot = 0, top = 0;
    size_t k = (size_t)ceil(frac * (double)n - 1e-9);
    if (n == 0)
        return 0;
    if (k < 1)
        k = 1;
    memcpy(scratch, x, n * sizeof *x);
    qsort(scratch, n, sizeof *scratch, cmp_desc);
    for (size_t i = 0; i < n; i++) {
        tot += scratch[i];
        if (i < k)
            top += scratch[i];
    }
    return tot > 0 ? top / tot : 0;
}

/* Gini = Σ_i (2i - n - 1) x_(i) / (n Σ x) with x sorted ascending, i = 1..n. */
double vg_fb_gini(const double *x, size_t n, double *scratch)
{
    double tot = 0, acc = 0;
    if (n == 0)
        return 0;
    memcpy(scratch, x, n * sizeof *x);
    qsort(scratch, n, sizeof *scratch, cmp_desc);
    for (size_t r = 0; r < n; r++) { /* r = 0 is the largest: i = n - r */
        double i = (double)(n - r);
        acc += (2 * i - (double)n - 1) * scratch[r];
        tot += scratch[r];
    }
    return tot > 0 ? acc / ((double)n * tot) : 0;
}

double vg_fb_tv(const double *a, const double *b, size_t n)
{
    double sa = 0, sb = 0, tv = 0;
    for (size_t i = 0; i < n; i++)
        sa += a[i], sb += b[i];
    if (sa <= 0 || sb <= 0)
        return (sa <= 0 && sb <= 0) ? 0 : 1;
    for (size_t i = 0; i < n; i++)
        tv += fabs(a[i] / sa - b[i] / sb);
    return tv / 2;
}

/* ---- simulator ---- */

#define FB_STREAM_REPORT 1u
#define FB_STREAM_DISCOVER 2u

struct sim {
    const struct vg_fb_config *c;
    const struct vg_events *truth;
    struct vg_events obs;
    int32_t *tunit;    /* unit of each true event, -1 outside */
    int32_t *patrol;   /* [day * K + j] */
    uint8_t *on;       /* today's patrolled flag per unit */
    double *win_patrol, *win_true, *win_obs; /* rolling D-day counts per unit */
    double *expected, *scratch;
    struct vg_metrics_ws ws;
};

static void sim_free(struct sim *s)
{
    vg_events_free(&s->obs);
    vg_free(s->tunit);
    vg_free(s->patrol);
    vg_free(s->on);
    vg_free(s->win_patrol);
    vg_free(s->win_true);
    vg_free(s->win_obs);
    vg_free(s->expected);
    vg_free(s->scratch);
    vg_metrics_ws_free(&s->ws);
}

static enum vg_err sim_alloc(struct sim *s, struct vg_fb_result *r)
{
    size_t n = s->c->units->n, nt = s->truth->n, nd = s->c->ndays;
    vg_events_init(&s->obs);
    s->tunit = vg_calloc(nt + 1, sizeof *s->tunit);
    s->patrol = vg_calloc(nd * s->c->patrols + 1, sizeof *s->patrol);
    s->on = vg_calloc(n, 1);
    s->win_patrol = vg_calloc(n, sizeof(double));
    s->win_true = vg_calloc(n, sizeof(double));
    s->win_obs = vg_calloc(n, sizeof(double));
    s->expected = vg_calloc(n, sizeof(double));
    s->scratch = vg_calloc(n, sizeof(double));
    r->day = vg_calloc(nd, sizeof *r->day);
    r->patrol_days = vg_calloc(n, sizeof(double));
    r->true_count = vg_calloc(n, sizeof(double));
    if (!s->tunit || !s->patrol || !s->on || !s->win_patrol || !s->win_true ||
        !s->win_obs || !s->expected || !s->scratch || !r->day || !r->patrol_days ||
        !r->true_count || vg_metrics_ws_init(&s->ws, n))
        return VG_NOMEM;
    r->ndays = nd;
    r->nunits = n;
    for (size_t k = 0; k < nt; k++)
        s->tunit[k] = vg_units_locate(s->c->units, s->truth->x[k], s->truth->y[k]);
    return VG_OK;
}

static enum vg_err push_obs(struct sim *s, size_t k, uint8_t origin)
{
    const struct vg_events *t = s->truth;
    return vg_events_push(&s->obs, t->id[k], t->t[k], t->t_end[k], t->x[k], t->y[k],
                          t->lon[k], t->lat[k], t->cat[k], t->area[k], t->source[k], origin);
}

/* Fit on what was observed so far and patrol the top K units of day w. */
static enum vg_err choose(struct sim *s, size_t w, struct vg_diag *d)
{
    const struct vg_fb_config *c = s->c;
    struct vg_model_input in = {&s->obs, c->units, c->tz, NULL, NULL, c->days[w].start, 1};
    void *state = NULL;
    enum vg_err e = c->model->fit(&in, c->params, &state, d);
    if (e == VG_OK)
        e = c->model->predict(state, &in, &c->days[w], s->expected, d);
    if (state)
        c->model->free(state);
    if (e)
        return e;
    vg_metrics_rank(&s->ws, s->expected, c->units->km2, c->units->n);
    memset(s->on, 0, c->units->n);
    for (size_t j = 0; j < c->patrols; j++) {
        int32_t u = s->ws.order[j];
        s->patrol[w * c->patrols + j] = u;
        s->on[u] = 1;
    }
    return VG_OK;
}

/* Patrol share of unit u on day w: days of [w-D+1, w] it was patrolled / D. */
static double share(const struct sim *s, size_t w, int32_t u)
{
    double hits = 0;
    size_t D = (size_t)s->c->dosage_days, K = s->c->patrols;
    for (size_t b = w + 1 > D ? w + 1 - D : 0; b <= w; b++)
        for (size_t j = 0; j < K; j++)
            if (s->patrol[b * K + j] == u) {
                hits++;
                break;
            }
    return hits / (double)D;
}

/* Observe the true events [lo, hi) of day w. */
static enum vg_err observe(struct sim *s, size_t w, size_t lo, size_t hi,
                           struct vg_fb_day *day)
{
    const struct vg_fb_config *c = s->c;
    double p_ref = 1.0 / c->dosage_days;
    enum vg_err e = VG_OK;
    for (size_t k = lo; k < hi && e == VG_OK; k++) {
        int64_t id = s->truth->id[k];
        int32_t u = s->tunit[k];
        if (vg_fb_uniform(c->seed, id, FB_STREAM_REPORT) < c->report_rate) {
            day->reported++, day->kept++;
            e = push_obs(s, k, VG_ORIGIN_REPORTED);
            if (u >= 0)
                s->win_obs[u]++;
            continue;
        }
        if (u < 0 || !s->on[u] ||
            vg_fb_uniform(c->seed, id, FB_STREAM_DISCOVER) >= c->discover_rate)
            continue;
        day->discovered++;
        double a = vg_fb_weight(c->corr, VG_ORIGIN_DISCOVERED, share(s, w, u), p_ref);
        if (a < 1.0 && vg_fb_uniform(c->seed, id, FB_STREAM_CORR) >= a)
            continue;
        day->kept++;
        s->win_obs[u]++;
        e = push_obs(s, k, VG_ORIGIN_DISCOVERED);
    }
    return e;
}

/* Add (sign +1) or remove (-1) day w's patrols and true events from the
 * rolling window counts. */
static void roll(struct sim *s, size_t w, double sign, size_t lo, size_t hi)
{
    for (size_t j = 0; j < s->c->patrols; j++)
        s->win_patrol[s->patrol[w * s->c->patrols + j]] += sign;
    for (size_t k = lo; k < hi; k++)
        if (s->tunit[k] >= 0)
            s->win_true[s->tunit[k]] += sign;
}

/* Observed events of day w leave the rolling window: recount from obs. */
static void unroll_obs(struct sim *s, int64_t t0, int64_t t1)
{
    size_t a = vg_events_before(&s->obs, t0), b = vg_events_before(&s->obs, t1);
    for (size_t k = a; k < b; k++) {
        int32_t u = vg_units_locate(s->c->units, s->obs.x[k], s->obs.y[k]);
        if (u >= 0)
            s->win_obs[u]--;
    }
}

static void day_stats(struct sim *s, size_t lo, size_t hi, struct vg_fb_day *day)
{
    size_t n = s->c->units->n;
    double dist = 0, cap = 0, tot = 0;
    for (size_t i = 0; i < n; i++)
        dist += s->win_patrol[i] > 0;
    for (size_t k = lo; k < hi; k++)
        if (s->tunit[k] >= 0) {
            tot++;
            cap += s->on[s->tunit[k]];
        }
    day->top1 = vg_fb_top_share(s->win_patrol, n, 0.01, s->scratch);
    day->gini = vg_fb_gini(s->win_patrol, n, s->scratch);
    day->distinct = dist;
    day->tv_obs = vg_fb_tv(s->win_obs, s->win_true, n);
    day->tv_patrol = vg_fb_tv(s->win_patrol, s->win_true, n);
    day->captured = tot > 0 ? cap / tot : 0;
}

static enum vg_err sim_history(struct sim *s)
{
    size_t h = vg_events_before(s->truth, s->c->days[0].start);
    enum vg_err e = VG_OK;
    for (size_t k = 0; k < h && e == VG_OK; k++)
        if (vg_fb_uniform(s->c->seed, s->truth->id[k], FB_STREAM_REPORT) < s->c->report_rate)
            e = push_obs(s, k, VG_ORIGIN_REPORTED);
    return e;
}

static void sim_totals(struct sim *s, struct vg_fb_result *r)
{
    size_t n = r->nunits;
    double dist = 0;
    for (size_t w = 0; w < r->ndays; w++) {
        for (size_t j = 0; j < s->c->patrols; j++)
            r->patrol_days[s->patrol[w * s->c->patrols + j]]++;
        r->reported += r->day[w].reported;
        r->discovered += r->day[w].discovered;
        r->kept += r->day[w].kept;
    }
    size_t lo = vg_events_before(s->truth, s->c->days[0].start);
    size_t hi = vg_events_before(s->truth, s->c->days[r->ndays - 1].end);
    for (size_t k = lo; k < hi; k++)
        if (s->tunit[k] >= 0)
            r->true_count[s->tunit[k]]++;
        else
            r->unlocated++;
    for (size_t i = 0; i < n; i++)
        dist += r->patrol_days[i] > 0;
    r->top1 = vg_fb_top_share(r->patrol_days, n, 0.01, s->scratch);
    r->gini = vg_fb_gini(r->patrol_days, n, s->scratch);
    r->distinct = dist;
    r->tv_patrol = vg_fb_tv(r->patrol_days, r->true_count, n);
    for (size_t w = 0; w < r->ndays; w++)
        r->captured += r->day[w].captured / (double)r->ndays;
}

enum vg_err vg_fb_simulate(const struct vg_fb_config *c,
                           const struct vg_events *truth,
                           struct vg_fb_result *out, struct vg_diag *d)
{
    struct sim s;
    memset(&s, 0, sizeof s);
    memset(out, 0, sizeof *out);
    s.c = c, s.truth = truth;
    if (c->ndays == 0 || c->patrols == 0 || c->patrols >= c->units->n || c->dosage_days < 1)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "feedback: need at least one day, 1 <= patrols < %zu units, dosage days >= 1",
                       c->units->n);
    enum vg_err e = sim_alloc(&s, out);
    if (e == VG_OK)
        e = sim_history(&s);
    size_t D = (size_t)c->dosage_days;
    for (size_t w = 0; w < c->ndays && e == VG_OK; w++) {
        size_t lo = vg_events_before(truth, c->days[w].start);
        size_t hi = vg_events_before(truth, c->days[w].end);
        e = choose(&s, w, d);
        if (e)
            break;
        if (w >= D) { /* day w - D leaves the rolling window */
            size_t olo = vg_events_before(truth, c->days[w - D].start);
            size_t ohi = vg_events_before(truth, c->days[w - D].end);
            roll(&s, w - D, -1, olo, ohi);
            unroll_obs(&s, c->days[w - D].start, c->days[w - D].end);
        }
        e = observe(&s, w, lo, hi, &out->day[w]);
        roll(&s, w, +1, lo, hi);
        day_stats(&s, lo, hi, &out->day[w]);
    }
    if (e == VG_OK)
        sim_totals(&s, out);
    if (e == VG_NOMEM)
        vg_fail(d, e, "", 0, 0, "feedback: out of memory");
    sim_free(&s);
    if (e)
        vg_fb_result_free(out);
    return e;
}

void vg_fb_result_free(struct vg_fb_result *r)
{
    if (r == NULL)
        return;
    vg_free(r->day);
    vg_free(r->patrol_days);
    vg_free(r->true_count);
    memset(r, 0, sizeof *r);
}

/* ---- urn ---- */

void vg_fb_urn(double la, double lb, size_t days, size_t runs,
               enum vg_fb_corr c, uint64_t seed, double *share, double *sd)
{
    memset(share, 0, days * sizeof *share);
    if (sd)
        memset(sd, 0, days * sizeof *sd);
    for (size_t r = 0; r < runs; r++) {
        double na = 1, nb = 1;
        for (size_t t = 0; t < days; t++) {
            int64_t key = (int64_t)(r * days + t);
            double pa = na / (na + nb), pb = 1 - pa;
            int go_a = vg_fb_uniform(seed, key, 11) < pa;
            double lam = go_a ? la : lb, p = go_a ? pa : pb;
            if (vg_fb_uniform(seed, key, 12) < lam) {
                double acc = c == VG_FB_ENSIGN ? (pa < pb ? pa : pb) / p : 1.0;
                if (vg_fb_uniform(seed, key, 13) < acc)
                    *(go_a ? &na : &nb) += 1;
            }
            double sh = na / (na + nb);
            share[t] += sh / (double)runs;
            if (sd)
                sd[t] += sh * sh / (double)runs;
        }
    }
    for (size_t t = 0; sd && t < days; t++) {
        double v = sd[t] - share[t] * share[t];
        sd[t] = v > 0 ? sqrt(v) : 0;
    }
}
