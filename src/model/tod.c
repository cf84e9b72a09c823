/*
 * tod.c — smoothed hour × weekday profile and window shares.
 *
 * Learning: count events per (local weekday, local hour) bin, skipping
 * midnight-stamped events (00:00:00 local is the usual "time unknown"
 * placeholder in police exports, and keeping them would put a spike at
 * midnight).  Smooth circularly over the 168-hour ring (Sunday 23:00 is
 * next to Monday 00:00) with a Gaussian kernel, then shrink toward the
 * product of the weekday and hour marginals so a sparse category still gets
 * a sensible shape.  Integration walks the window in steps that end at local
 * hour boundaries, so DST nights get their real length.  No heap.
 */
#include "model/tod.h"

#include <math.h>
#include <string.h>

void vg_tod_uniform(struct vg_tod *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < VG_TOD_BINS; i++)
        out->share[i] = 1.0 / VG_TOD_BINS;
}

static void smooth_ring(const double *in, double *out, double sigma)
{
    if (!(sigma > 0)) {
        memcpy(out, in, sizeof(double) * VG_TOD_BINS);
        return;
    }
    int half = (int)ceil(4 * sigma);
    if (half > VG_TOD_BINS / 2)
        half = VG_TOD_BINS / 2;
    double k[VG_TOD_BINS / 2 + 1], ks = 0;
    for (int j = 0; j <= half; j++) {
        k[j] = exp(-0.5 * j * j / (sigma * sigma));
        ks += j ? 2 * k[j] : k[j];
    }
    for (int i = 0; i < VG_TOD_BINS; i++) {
        double s = 0;
        for (int j = -half; j <= half; j++)
            s += in[((i + j) % VG_TOD_BINS + VG_TOD_BINS) % VG_TOD_BINS] * k[j < 0 ? -j : j];
        out[i] = s / ks;
    }
}

void vg_tod_learn(const struct vg_events *ev, size_t n, const struct vg_tz *tz,
                  double sigma_h, double prior, struct vg_tod *out)
{
    double raw[VG_TOD_BINS] = {0}, sm[VG_TOD_BINS];
    size_t used = 0, mid = 0;
    for (size_t i = 0; i < n && i < ev->n; i++) {
        struct vg_civil c;
        int32_t off;
        vg_tz_to_local(tz, ev->t[i], &c, &off);
        if (c.hour == 0 && c.min == 0 && c.sec == 0) {
            mid++;
            continue;
        }
        raw[(c.weekday - 1) * 24 + c.hour] += 1;
        used++;
    }
    vg_tod_uniform(out);
    out->n_used = used;
    out->n_midnight = mid;
    if (used == 0)
        return;
    smooth_ring(raw, sm, sigma_h);
    double wd[7] = {0}, hr[24] = {0}, tot = 0;
    for (int i = 0; i < VG_TOD_BINS; i++) {
        wd[i / 24] += sm[i];
        hr[i % 24] += sm[i];
        tot += sm[i];
    }
    if (prior < 0)
        prior = 0;
    for (int i = 0; i < VG_TOD_BINS; i++) {
        double prod = (wd[i / 24] / tot) * (hr[i % 24] / tot);
        out->share[i] = (sm[i] + prior * prod) / (tot + prior);
    }
}

double vg_tod_weekday_share(const struct vg_tod *p, int wd)
{
    double s = 0;
    if (wd < 1 || wd > 7)
        return 0;
    for (int h = 0; h < 24; h++)
        s += p->share[(wd - 1) * 24 + h];
    return s;
}

double vg_tod_share(const struct vg_tod *p, const struct vg_tz *tz,
                    int64_t start, int64_t end)
{
    const int64_t week = 7 * 86400;
    double s = 0;
    if (end <= start)
        return 0;
    if (end - start > 2 * week) {
        int64_t whole = (end - start) / week - 1;
        s += (double)whole;
        start += whole * week;
    }
    int64_t t = start;
    while (t < end) {
        struct vg_civil c;
        int32_t off;
        vg_tz_to_local(tz, t, &c, &off);
        int64_t step = 3600 - (int64_t)(c.min * 60 + c.sec);
        if (step <= 0 || step > 3600)
            step = 3600;
        if (t + step > end)
            step = end - t;
        s += p->share[(c.weekday - 1) * 24 + c.hour] * (double)step / 3600.0;
        t += step;
    }
    return s;
}
