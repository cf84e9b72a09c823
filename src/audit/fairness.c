/*
 * fairness.c — accumulating flagged unit-windows and incidents per area and
 * turning them into shares and hit rates (definitions in fairness.h).
 * Invariant: the totals are the sums of the per-area counts plus what fell
 * in no area; nothing is normalised until vg_fair_finish.
 * Memory: the area array is owned by the accumulator.
 */
#include "audit/fairness.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "store/events.h"

enum vg_err vg_fair_init(struct vg_fairness *f, size_t nareas, const double *pop,
                         struct vg_diag *d)
{
    memset(f, 0, sizeof *f);
    f->a = vg_calloc(nareas + 1, sizeof *f->a);
    if (f->a == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "fairness: out of memory (%zu areas)", nareas);
    f->nareas = nareas;
    for (size_t i = 0; i < nareas; i++) {
        f->a[i].pop = pop ? pop[i] : NAN;
        if (isfinite(f->a[i].pop) && f->a[i].pop >= 0)
            f->pop_known += f->a[i].pop;
    }
    return VG_OK;
}

void vg_fair_window(struct vg_fairness *f, const int32_t *unit_area,
                    const int32_t *flagged, size_t nf, const int32_t *ev_unit,
                    const int32_t *ev_area, const uint8_t *ev_origin,
                    size_t nev, uint8_t *mark)
{
    f->windows++;
    for (size_t j = 0; j < nf; j++) {
        int32_t u = flagged[j], a = unit_area[u];
        mark[u] = 1;
        f->flagged++;
        if (a >= 0 && (size_t)a < f->nareas)
            f->a[a].flagged++;
    }
    for (size_t k = 0; k < nev; k++) {
        int32_t a = ev_area[k];
        struct vg_fair_area *A = (a >= 0 && (size_t)a < f->nareas) ? &f->a[a] : NULL;
        double hit = ev_unit[k] >= 0 && mark[ev_unit[k]];
        if (ev_unit[k] < 0)
            continue; /* not forecast at all: counts for neither side */
        if (A == NULL)
            f->outside++;
        if (ev_origin[k] == VG_ORIGIN_REPORTED) {
            f->reported++, f->hit_reported += hit;
            if (A)
                A->reported++, A->hit_reported += hit;
        } else if (ev_origin[k] == VG_ORIGIN_DISCOVERED) {
            f->discovered++, f->hit_discovered += hit;
            if (A)
                A->discovered++, A->hit_discovered += hit;
        } else {
            f->other++, f->hit_other += hit;
            if (A)
                A->other++;
        }
    }
    for (size_t j = 0; j < nf; j++)
        mark[flagged[j]] = 0;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

void vg_fair_finish(struct vg_fairness *f)
{
    double rep_in = 0;
    for (size_t i = 0; i < f->nareas; i++)
        rep_in += f->a[i].reported;
    for (size_t i = 0; i < f->nareas; i++) {
        struct vg_fair_area *A = &f->a[i];
        A->flagged_share = f->flagged > 0 ? A->flagged / f->flagged : 0;
        A->reported_share = rep_in > 0 ? A->reported / rep_in : 0;
        A->pop_share = isfinite(A->pop) && f->pop_known > 0 ? A->pop / f->pop_known : NAN;
        A->flagged_to_reported = A->reported_share > 0 ? A->flagged_share / A->reported_share : NAN;
        A->hit_rate_reported = ratio(A->hit_reported, A->reported);
        A->hit_rate_discovered = ratio(A->hit_discovered, A->discovered);
    }
    f->hit_rate_reported = ratio(f->hit_reported, f->reported);
    f->hit_rate_discovered = ratio(f->hit_discovered, f->discovered);
    f->hit_rate_all = ratio(f->hit_reported + f->hit_discovered + f->hit_other,
                            f->reported + f->discovered + f->other);
}

void vg_fair_free(struct vg_fairness *f)
{
    if (f == NULL)
        return;
    vg_free(f->a);
    memset(f, 0, sizeof *f);
}
