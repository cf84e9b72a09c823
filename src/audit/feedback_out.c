/*
 * feedback_out.c — writers for `vigie audit feedback`: a text table, JSON
 * and a self-contained SVG figure of patrol concentration over time, for
 * one or two simulator runs (without / with the correction).
 * Everything is appended to a caller-owned vg_buf; nothing is kept.
 */
#include "audit/feedback_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void day_label(const struct vg_fb_out *o, size_t w, char *buf, size_t cap)
{
    struct vg_civil c;
    vg_tz_to_local(o->tz, o->days[w].start, &c, NULL);
    snprintf(buf, cap, "%04d-%02d-%02d", c.year, c.month, c.day);
}

enum vg_err vg_fb_table(const struct vg_fb_out *o, struct vg_buf *b)
{
    char date[16];
    vg_buf_printf(b, "feedback simulation: %s, %zu units, %zu patrols/day, report %.2f, "
                  "discovery %.2f, dosage window %d days, seed %llu\n",
                  o->model, o->nunits, o->patrols, o->report_rate, o->discover_rate,
                  o->dosage_days, (unsigned long long)o->seed);
    vg_buf_printf(b, "rolling %d-day statistics (top1 = share of patrol-days on the top 1%% "
                  "of units; tv_obs = TV distance observed vs true events)\n", o->dosage_days);
    vg_buf_printf(b, "%-10s", "day");
    for (size_t r = 0; r < o->nruns; r++)
        vg_buf_printf(b, " | %-12s top1  gini cells tv_obs", o->name[r]);
    vg_buf_adds(b, "\n");
    for (size_t w = 0; w < o->ndays; w++) {
        if (w % (size_t)o->dosage_days != (size_t)o->dosage_days - 1 && w + 1 != o->ndays)
            continue;
        day_label(o, w, date, sizeof date);
        vg_buf_printf(b, "%-10s", date);
        for (size_t r = 0; r < o->nruns; r++) {
            const struct vg_fb_day *x = &o->run[r]->day[w];
            vg_buf_printf(b, " | %-12s %5.3f %5.3f %5.0f %6.3f", "", x->top1, x->gini,
                          x->distinct, x->tv_obs);
        }
        vg_buf_adds(b, "\n");
    }
    vg_buf_adds(b, "whole replay:\n");
    for (size_t r = 0; r < o->nruns; r++) {
        const struct vg_fb_result *x = o->run[r];
        vg_buf_printf(b, "  %-12s top1 %.3f  gini %.3f  cells patrolled %.0f  "
                      "TV(patrols, true) %.3f  true events in patrolled units %.1f%%  "
                      "observed: %.0f reported, %.0f discovered, %.0f kept\n",
                      o->name[r], x->top1, x->gini, x->distinct, x->tv_patrol,
                      100 * x->captured, x->reported, x->discovered,
                      x->kept - x->reported);
    }
    return b->len ? VG_OK : VG_NOMEM;
}

static void json_day(struct vg_buf *b, const struct vg_fb_day *x)
{
    vg_buf_printf(b, "{\"top1\":%.6g,\"gini\":%.6g,\"cells\":%.0f,\"tv_obs\":%.6g,"
                  "\"tv_patrol\":%.6g,\"captured\":%.6g,\"reported\":%.0f,"
                  "\"discovered\":%.0f,\"kept\":%.0f}",
                  x->top1, x->gini, x->distinct, x->tv_obs, x->tv_patrol, x->captured,
                  x->reported, x->discovered, x->kept);
}

enum vg_err vg_fb_json(const struct vg_fb_out *o, struct vg_buf *b)
{
    char date[16];
    vg_buf_adds(b, "{\"model\":");
    vg_buf_json_str(b, o->model, strlen(o->model));
    vg_buf_printf(b, ",\"units\":%zu,\"patrols\":%zu,\"report_rate\":%g,"
                  "\"discover_rate\":%g,\"dosage_days\":%d,\"seed\":%llu,\"runs\":[",
                  o->nunits, o->patrols, o->report_rate, o->discover_rate, o->dosage_days,
                  (unsigned long long)o->seed);
    for (size_t r = 0; r < o->nruns; r++) {
        const struct vg_fb_result *x = o->run[r];
        vg_buf_printf(b, "%s{\"correction\":", r ? "," : "");
        vg_buf_json_str(b, o->name[r], strlen(o->name[r]));
        vg_buf_printf(b, ",\"total\":{\"top1\":%.6g,\"gini\":%.6g,\"cells\":%.0f,"
                      "\"tv_patrol\":%.6g,\"captured\":%.6g,\"reported\":%.0f,"
                      "\"discovered\":%.0f,\"kept\":%.0f},\"days\":[",
                      x->top1, x->gini, x->distinct, x->tv_patrol, x->captured, x->reported,
                      x->discovered, x->kept);
        for (size_t w = 0; w < o->ndays; w++) {
            day_label(o, w, date, sizeof date);
            vg_buf_printf(b, "%s{\"date\":\"%s\",\"stats\":", w ? "," : "", date);
            json_day(b, &x->day[w]);
            vg_buf_adds(b, "}");
        }
        vg_buf_adds(b, "]}");
    }
    vg_buf_adds(b, "]}\n");
    return b->len ? VG_OK : VG_NOMEM;
}

/* ---- SVG ---- */

#define SVG_W 760
#define PANEL_H 200
#define ML 60
#define MR 20
#define MT 40

static const char *const colour[] = {"#c0392b", "#2471a3", "#7f8c8d", "#27ae60"};

static double day_value(const struct vg_fb_day *x, int which)
{
    return which == 0 ? x->top1 : which == 1 ? x->distinct : x->tv_patrol;
}

/* Y range of a panel: the data's range, padded, never empty. */
static void range(const struct vg_fb_out *o, int which, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t r = 0; r < o->nruns; r++)
        for (size_t w = 0; w < o->ndays; w++) {
            double v = day_value(&o->run[r]->day[w], which);
            if (isfinite(v))
                *lo = v < *lo ? v : *lo, *hi = v > *hi ? v : *hi;
        }
    if (!(*hi >= *lo))
        *lo = 0, *hi = 1;
    double pad = (*hi - *lo) * 0.08 + 1e-9;
    *lo -= pad, *hi += pad;
}

static void panel(const struct vg_fb_out *o, struct vg_buf *b, int which, double y0,
                  const char *title)
{
    double pw = SVG_W - ML - MR, ph = PANEL_H - 50, lo, hi;
    range(o, which, &lo, &hi);
    vg_buf_printf(b, "<text x='%d' y='%.0f' font-size='13' font-weight='bold'>%s</text>\n",
                  ML, y0 - 8, title);
    vg_buf_printf(b, "<rect x='%d' y='%.0f' width='%.0f' height='%.0f' fill='none' "
                  "stroke='#999'/>\n", ML, y0, pw, ph);
    for (int t = 0; t <= 4; t++) {
        double yy = y0 + ph - ph * t / 4.0;
        vg_buf_printf(b, "<line x1='%d' x2='%.0f' y1='%.1f' y2='%.1f' stroke='#eee'/>"
                      "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%.*f</text>\n",
                      ML, ML + pw, yy, yy, ML - 4, yy + 3, which == 1 ? 0 : 2,
                      lo + (hi - lo) * t / 4.0);
    }
    for (size_t r = 0; r < o->nruns; r++) {
        vg_buf_printf(b, "<polyline fill='none' stroke-width='1.6' stroke='%s' points='",
                      colour[r % 4]);
        for (size_t w = 0; w < o->ndays; w++) {
            double v = day_value(&o->run[r]->day[w], which);
            double x = ML + (o->ndays > 1 ? pw * (double)w / (double)(o->ndays - 1) : 0);
            double f = isfinite(v) ? (v - lo) / (hi - lo) : 0;
            vg_buf_printf(b, "%.1f,%.1f ", x, y0 + ph - ph * f);
        }
        vg_buf_adds(b, "'/>\n");
    }
    char a[16], z[16];
    day_label(o, 0, a, sizeof a);
    day_label(o, o->ndays - 1, z, sizeof z);
    vg_buf_printf(b, "<text x='%d' y='%.0f' font-size='10'>%s</text>"
                  "<text x='%.0f' y='%.0f' font-size='10' text-anchor='end'>%s</text>\n",
                  ML, y0 + ph + 14, a, ML + pw, y0 + ph + 14, z);
}

enum vg_err vg_fb_svg(const struct vg_fb_out *o, struct vg_buf *b)
{
    int h = MT + 3 * PANEL_H + 20;
    char t[160];
    vg_buf_printf(b, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                  "font-family='sans-serif'>\n<rect width='100%%' height='100%%' fill='white'/>\n",
                  SVG_W, h);
    vg_buf_printf(b, "<text x='%d' y='18' font-size='12'>Feedback loop: %s, %zu "
                  "patrols/day, %zu units, report %.2f, discovery %.2f, rolling %d days"
                  "</text>\n", ML, o->model, o->patrols, o->nunits, o->report_rate,
                  o->discover_rate, o->dosage_days);
    for (size_t r = 0; r < o->nruns; r++)
        vg_buf_printf(b, "<rect x='%zu' y='26' width='14' height='4' fill='%s'/>"
                      "<text x='%zu' y='32' font-size='11'>%s</text>\n",
                      (size_t)ML + 160 * r, colour[r % 4], (size_t)ML + 160 * r + 18, o->name[r]);
    snprintf(t, sizeof t, "Share of patrol-days on the top 1%% of units (higher = more concentrated)");
    panel(o, b, 0, MT + 30, t);
    panel(o, b, 1, MT + 30 + PANEL_H, "Distinct units patrolled (fewer = more concentrated)");
    panel(o, b, 2, MT + 30 + 2 * PANEL_H,
          "Distance (TV) between the patrol map and the true incident map");
    vg_buf_adds(b, "</svg>\n");
    return b->len ? VG_OK : VG_NOMEM;
}
