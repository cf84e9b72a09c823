/*
 * backtest_html.c — self-contained HTML report of a backtest (see header).
 *
 * Everything is drawn here as text: tables, SVG polylines for the curves,
 * SVG points for calibration, SVG rectangles for maps.  Map backgrounds are
 * a coarse raster of where units exist (at most 64 x 64 cells) so a
 * 30 000-cell grid still gives a small page.  Nothing is allocated besides
 * the output buffer and one small raster.
 */
#include "report/backtest_html.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/units.h"

static const char *const palette[] = {"#1b6ca8", "#d1495b", "#2e8540",
                                      "#8f5db7", "#e08e0b", "#00798c",
                                      "#6c757d", "#a05a2c"};
#define NPAL (sizeof palette / sizeof palette[0])

struct page {
    struct vg_buf *b;
    enum vg_err e;
};

static void out(struct page *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void out(struct page *p, const char *fmt, ...)
{
    if (p->e != VG_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    p->e = vg_buf_vprintf(p->b, fmt, ap);
    va_end(ap);
}

static void text(struct page *p, const char *s)
{
    if (p->e == VG_OK)
        p->e = vg_buf_html(p->b, s);
}

/* Plain-language description of a model for the council. */
static void describe(const struct vg_spec_model *m, char *d, size_t cap)
{
    if (strcmp(m->ops->name, "naive") == 0 && m->ops->nparams > 0)
        snprintf(d, cap, "the places with the most incidents in the last "
                 "%g days", m->params[0]);
    else if (strcmp(m->ops->name, "average") == 0)
        snprintf(d, cap, "the places with the most incidents over the whole "
                 "history");
    else if (strcmp(m->ops->name, "season") == 0)
        snprintf(d, cap, "the places with the most incidents at the same time "
                 "of year in past years");
    else
        snprintf(d, cap, "%s", m->ops->summary ? m->ops->summary : m->ops->name);
}

/* Best non-baseline model at the primary coverage (or the best baseline). */
static size_t best_model(const struct vg_backtest_result *r)
{
    size_t best = SIZE_MAX, ip = r->iprimary;
    for (size_t m = 0; m < r->nmodels; m++)
        if (!r->models[m].baseline &&
            (best == SIZE_MAX || r->sum[m].pai[ip] > r->sum[best].pai[ip]))
            best = m;
    return best != SIZE_MAX ? best : r->best_baseline;
}

static void summary(struct page *p, const struct vg_backtest_result *r,
                    const struct vg_html_opts *o)
{
    size_t ip = r->iprimary, bm = best_model(r), bb = r->best_baseline;
    char d0[16] = "?", d1[16] = "?", desc[200];
    if (r->nwin) {
        vg_backtest_date(r->win[0].day, d0);
        vg_backtest_date(r->win[r->nwin - 1].day, d1);
    }
    out(p, "<section class=\"summary\"><h2>In short</h2><p>We replayed "
        "<b>%zu</b> %s from %s to %s", r->nwin,
        o->shift ? "shifts" : "time windows", d0, d1);
    if (o->shift)
        out(p, " ("), text(p, o->shift), out(p, ")");
    out(p, ". For each one, every method could only use the incidents "
        "recorded <em>before</em> it began, exactly as it would have in "
        "practice.</p>");
    if (bm >= r->nmodels)
        return;
    const struct vg_bt_summary *S = &r->sum[bm];
    out(p, "<p>If patrols had concentrated on the <b>%g %%</b> of the area "
        "(%.1f km²) marked by <b>", r->cover[ip], r->cover_km2[ip]);
    text(p, r->models[bm].name);
    out(p, "</b>, that area would have held <b>%.0f %%</b> of the %.0f ",
        100 * S->hit_rate[ip], S->events);
    text(p, o->what ? o->what : "recorded incidents");
    out(p, " of those %s", o->shift ? "shifts" : "windows");
    if (bb < r->nmodels && bb != bm) {
        describe(&r->models[bb], desc, sizeof desc);
        out(p, ", against <b>%.0f %%</b> for the best simple rule (",
            100 * r->sum[bb].hit_rate[ip]);
        text(p, desc);
        out(p, ")");
    }
    out(p, " and about %g %% for places picked at random.</p>", r->cover[ip]);
    if (o->gate) {
        out(p, "<p class=\"%s\"><b>Publication check:</b> ",
            o->gate->publishable ? "pass" : "fail");
        if (o->gate->publishable)
            out(p, "passed &mdash; "), text(p, r->models[o->gate->model].name),
                out(p, " "), text(p, o->gate->evidence);
        else
            out(p, "not passed &mdash; "), text(p, o->gate->reason);
        out(p, ".</p>");
    }
    out(p, "<p class=\"note\">These figures describe <em>places and times</em>, "
        "never people. They are based on recorded incidents only: what is not "
        "reported is not counted, and sending more patrols somewhere tends to "
        "record more there. Past accuracy is no guarantee.</p></section>\n");
}

static void table(struct page *p, const struct vg_backtest_result *r)
{
    size_t ip = r->iprimary;
    out(p, "<h2>Results by method</h2><table><tr><th>method</th>");
    for (size_t k = 0; k < r->ncover; k++)
        out(p, "<th>hit rate<br>%g %%</th>", r->cover[k]);
    for (size_t k = 0; k < r->ncover; k++)
        out(p, "<th>PAI<br>%g %%</th>", r->cover[k]);
    out(p, "<th>PEI<br>%g %%</th><th>Brier</th><th>log-lik</th>"
        "<th>stability<br>%g %%</th><th>PAI vs best baseline (%g %% CI)</th>"
        "</tr>\n", r->cover[ip], r->cover[ip], 100 * r->level);
    for (size_t m = 0; m < r->nmodels; m++) {
        const struct vg_bt_summary *S = &r->sum[m];
        out(p, "<tr%s><td>", r->models[m].baseline ? " class=\"base\"" : "");
        text(p, r->models[m].name);
        out(p, "%s</td>", r->models[m].baseline ? " *" : "");
        for (size_t k = 0; k < r->ncover; k++)
            out(p, "<td>%.1f %%</td>", 100 * S->hit_rate[k]);
        for (size_t k = 0; k < r->ncover; k++)
            out(p, "<td>%.2f</td>", S->pai[k]);
        out(p, "<td>%.3f</td><td>%.4f</td><td>%.4f</td><td>%.2f</td>",
            S->pei[ip], S->brier, S->loglik, S->stability[ip]);
        if (S->has_vs)
            out(p, "<td>%+.2f (%+.2f to %+.2f)</td></tr>\n", S->vs.est,
                S->vs.lo, S->vs.hi);
        else
            out(p, "<td>%s</td></tr>\n",
                m == r->best_baseline ? "best baseline" : "&ndash;");
    }
    out(p, "</table><p class=\"note\">* simple rule (baseline). Hit rate: "
        "share of incidents inside the flagged area. PAI: hit rate divided by "
        "the share of area flagged (1 = no better than chance). PEI: incidents "
        "caught divided by the most any choice of the same area could have "
        "caught. Stability: share of the flagged area that was already "
        "flagged the previous %s.</p>\n", "window");
}

static double sx(double v, double lo, double hi, double x0, double w)
{
    return x0 + (v - lo) / (hi - lo) * w;
}

/* Hit rate vs coverage (0-30 % of the area), one polyline per model. */
static void curves(struct page *p, const struct vg_backtest_result *r)
{
    const double W = 520, H = 300, L = 50, T = 10, PW = 440, PH = 250, XMAX = 30;
    double ymax = 0.1;
    for (size_t m = 0; m < r->nmodels; m++)
        for (size_t k = 0; k < VG_BT_CURVE && vg_bt_curve_pct[k] <= XMAX; k++)
            if (r->sum[m].curve[k] > ymax)
                ymax = r->sum[m].curve[k];
    ymax = ceil(ymax * 10) / 10;
    out(p, "<h2>Incidents covered against area flagged</h2><svg viewBox=\"0 0 "
        "%g %g\" width=\"%g\" height=\"%g\" role=\"img\" aria-label=\"hit rate "
        "curves\">", W + 200, H, W + 200, H);
    out(p, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
        "stroke=\"#999\"/>", L, T, PW, PH);
    for (int t = 0; t <= 6; t++) {
        double x = sx(t * 5, 0, XMAX, L, PW);
        out(p, "<text x=\"%.1f\" y=\"%g\" class=\"ax\">%d %%</text>", x - 8,
            T + PH + 15, t * 5);
    }
    for (int t = 0; t <= 5; t++) {
        double y = T + PH - t / 5.0 * PH;
        out(p, "<text x=\"5\" y=\"%.1f\" class=\"ax\">%.0f %%</text>", y + 4,
            100 * ymax * t / 5);
    }
    /* chance: hit rate = coverage */
    out(p, "<line x1=\"%g\" y1=\"%g\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" "
        "stroke-dasharray=\"2 3\"/>", L, T + PH,
        sx(fmin(XMAX, 100 * ymax), 0, XMAX, L, PW),
        T + PH - fmin(XMAX / 100, ymax) / ymax * PH);
    for (size_t m = 0; m < r->nmodels; m++) {
        out(p, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
            "points=\"%g,%g", palette[m % NPAL],
            r->models[m].baseline ? " stroke-dasharray=\"6 3\"" : "", L, T + PH);
        for (size_t k = 0; k < VG_BT_CURVE && vg_bt_curve_pct[k] <= XMAX; k++)
            if (isfinite(r->sum[m].curve[k]))
                out(p, " %.1f,%.1f", sx(vg_bt_curve_pct[k], 0, XMAX, L, PW),
                    T + PH - r->sum[m].curve[k] / ymax * PH);
        out(p, "\"/><text x=\"%g\" y=\"%g\" fill=\"%s\" class=\"lg\">",
            L + PW + 15, T + 14 + 16 * (double)m, palette[m % NPAL]);
        text(p, r->models[m].name);
        out(p, "</text>");
    }
    out(p, "</svg><p class=\"note\">Horizontal: share of the area flagged; "
        "vertical: share of incidents inside it. Dashed: simple rules; dotted "
        "grey: chance.</p>\n");
}

/* Mean predicted vs mean observed per decile, log-log, one panel. */
static void calib(struct page *p, const struct vg_backtest_result *r, size_t m)
{
    const struct vg_calib *c = &r->sum[m].cal;
    const double S = 220, L = 40, T = 10, P = 170;
    double lo = INFINITY, hi = 0;
    for (int d = 0; d < VG_CALIB_BINS; d++) {
        if (c->n[d] <= 0)
            continue;
        double a = c->pred[d] / c->n[d], b = c->obs[d] / c->n[d];
        if (a > 0) lo = fmin(lo, a), hi = fmax(hi, a);
        if (b > 0) lo = fmin(lo, b), hi = fmax(hi, b);
    }
    if (!(hi > 0) || !isfinite(lo))
        return;
    double l0 = floor(log10(lo)), l1 = ceil(log10(hi));
    if (l1 <= l0)
        l1 = l0 + 1;
    out(p, "<figure><svg viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\">"
        "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
        "stroke=\"#999\"/><line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" "
        "stroke=\"#bbb\" stroke-dasharray=\"2 3\"/>", S, S, S, S, L, T, P, P,
        L, T + P, L + P, T);
    out(p, "<text x=\"2\" y=\"%g\" class=\"ax\">1e%g</text><text x=\"2\" "
        "y=\"%g\" class=\"ax\">1e%g</text>", T + P, l0, T + 8, l1);
    for (int d = 0; d < VG_CALIB_BINS; d++) {
        if (c->n[d] <= 0)
            continue;
        double a = log10(fmax(c->pred[d] / c->n[d], pow(10, l0)));
        double b = log10(fmax(c->obs[d] / c->n[d], pow(10, l0)));
        out(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>"
            "decile %d: predicted %.3g, observed %.3g</title></circle>",
            sx(a, l0, l1, L, P), T + P - (b - l0) / (l1 - l0) * P,
            palette[m % NPAL], d + 1, c->pred[d] / c->n[d], c->obs[d] / c->n[d]);
    }
    out(p, "<text x=\"%g\" y=\"%g\" class=\"ax\">predicted per place</text>"
        "</svg><figcaption>", L + 20, S - 8);
    text(p, r->models[m].name);
    out(p, "</figcaption></figure>");
}

struct frame {
    double x0, y0, k, half; /* metres -> pixels; half = half a unit, px */
    double w, h;
};

static void frame_of(const struct vg_units *u, double box, struct frame *f)
{
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < u->n; i++) {
        minx = fmin(minx, u->cx[i]), maxx = fmax(maxx, u->cx[i]);
        miny = fmin(miny, u->cy[i]), maxy = fmax(maxy, u->cy[i]);
    }
    double pad = u->kind == VG_UNITS_GRID ? u->cell / 2 : 0;
    minx -= pad, miny -= pad, maxx += pad, maxy += pad;
    double span = fmax(maxx - minx, maxy - miny);
    f->k = span > 0 ? box / span : 1;
    f->x0 = minx, f->y0 = maxy; /* y grows downwards in SVG */
    f->w = (maxx - minx) * f->k + 8, f->h = (maxy - miny) * f->k + 8;
    f->half = u->kind == VG_UNITS_GRID ? fmax(u->cell / 2 * f->k, 0.6) : 3;
}

/* Coarse background showing where the units are. */
static void background(struct page *p, const struct vg_units *u,
                       const struct frame *f)
{
    enum { R = 64 };
    unsigned char *ras = vg_calloc(R * R, 1);
    if (ras == NULL) {
        p->e = VG_NOMEM;
        return;
    }
    double cw = (f->w - 8) / R, ch = (f->h - 8) / R;
    for (size_t i = 0; i < u->n; i++) {
        double x = (u->cx[i] - f->x0) * f->k, y = (f->y0 - u->cy[i]) * f->k;
        int c = (int)(x / cw), rw = (int)(y / ch);
        if (c >= 0 && c < R && rw >= 0 && rw < R)
            ras[rw * R + c] = 1;
    }
    for (int rw = 0; rw < R; rw++)
        for (int c = 0; c < R; c++)
            if (ras[rw * R + c])
                out(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                    " fill=\"#eee\"/>", 4 + c * cw, 4 + rw * ch, cw + 0.2, ch + 0.2);
    vg_free(ras);
}

/* Places model m flagged (primary coverage) for the last window, and where
 * incidents then happened. */
static void map(struct page *p, const struct vg_backtest_result *r, size_t m)
{
    const struct vg_units *u = r->units;
    struct vg_metrics_ws ws;
    struct frame f;
    if (u == NULL || u->cx == NULL || u->n == 0 || r->last_expected == NULL)
        return;
    if (vg_metrics_ws_init(&ws, u->n) != VG_OK) {
        p->e = VG_NOMEM;
        return;
    }
    frame_of(u, 300, &f);
    out(p, "<figure><svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">",
        f.w, f.h, f.w, f.h);
    background(p, u, &f);
    const double *ex = r->last_expected + m * u->n;
    vg_metrics_rank(&ws, ex, u->km2, u->n);
    size_t np = vg_metrics_prefix_len(ws.order, u->n, u->km2,
                                      r->cover_km2[r->iprimary]);
    double caught = 0, all = 0;
    for (size_t k = 0; k < np; k++) {
        size_t i = (size_t)ws.order[k];
        double x = 4 + (u->cx[i] - f.x0) * f.k, y = 4 + (f.y0 - u->cy[i]) * f.k;
        out(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"%s\" fill-opacity=\"0.75\"><title>", x - f.half, y - f.half,
            2 * f.half, 2 * f.half, palette[m % NPAL]);
        text(p, u->label ? u->label[i] : "");
        out(p, ": %.3g expected</title></rect>", ex[i]);
        caught += r->last_count[i];
    }
    for (size_t i = 0; i < u->n; i++)
        if (r->last_count[i] > 0) {
            all += r->last_count[i];
            out(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"#000\"/>",
                4 + (u->cx[i] - f.x0) * f.k, 4 + (f.y0 - u->cy[i]) * f.k);
        }
    out(p, "</svg><figcaption>");
    text(p, r->models[m].name);
    out(p, ": %zu place%s flagged; %.0f of the %.0f incidents of the last "
        "window (black dots) fell in them.</figcaption></figure>", np,
        np == 1 ? "" : "s", caught, all);
    vg_metrics_ws_free(&ws);
}

static void method(struct page *p, const struct vg_backtest_result *r)
{
    out(p, "<h2>How this was measured</h2><ul><li>Each method was re-fitted "
        "%s on the incidents recorded before the period, and forecast each "
        "window using only the incidents before that window.</li>"
        "<li>Area is measured in km² of each place inside the study area "
        "(edge cells count for their inside part); the place that crosses the "
        "chosen area counts for the fraction needed. Places are ranked by "
        "expected incidents per km², ties by place number.</li>"
        "<li>The confidence interval resamples whole weeks (%g %% level), "
        "because nights of one week are alike.</li><li>Brier score and "
        "log-likelihood judge the expected numbers themselves (Poisson); "
        "lower Brier and higher log-likelihood are better.</li>",
        r->refit == VG_REFIT_DAILY ? "every day"
        : r->refit == VG_REFIT_WEEKLY ? "every week" : "every month",
        100 * r->level);
    if (r->unlocated)
        out(p, "<li>%zu incidents fell outside every place and were not "
            "counted.</li>", r->unlocated);
    out(p, "</ul>\n");
}

static const char css[] =
    "body{font:15px/1.45 sans-serif;max-width:980px;margin:1em auto;padding:0 "
    "1em;color:#222}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}"
    ".summary{background:#f4f7fb;border-left:4px solid #1b6ca8;padding:.4em "
    "1em}.note{color:#555;font-size:.9em}.pass{color:#2e8540}.fail{color:"
    "#b02a37}table{border-collapse:collapse;font-size:.85em}td,th{border:1px "
    "solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:"
    "left}tr.base{color:#555}.ax{font-size:10px;fill:#555}.lg{font-size:12px}"
    "figure{display:inline-block;margin:.5em}figcaption{font-size:.85em;"
    "max-width:320px}";

enum vg_err vg_backtest_html(const struct vg_backtest_result *r,
                             const struct vg_html_opts *o, struct vg_buf *b)
{
    struct page p = {b, VG_OK};
    const char *title = o && o->title ? o->title : "Forecast backtest";
    struct vg_html_opts none = {NULL, NULL, NULL, NULL, NULL};
    if (o == NULL)
        o = &none;
    out(&p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>");
    text(&p, title);
    out(&p, "</title><style>%s</style></head><body><h1>", css);
    text(&p, title);
    if (o->place)
        out(&p, " &mdash; "), text(&p, o->place);
    out(&p, "</h1>\n");
    summary(&p, r, o);
    table(&p, r);
    curves(&p, r);
    out(&p, "<h2>Are the expected numbers right?</h2><p class=\"note\">Each "
        "point is a tenth of the places, from most to least expected: average "
        "expected incidents (horizontal) against average recorded (vertical)."
        " On the dotted line the numbers are right.</p>");
    size_t bm = best_model(r);
    if (bm < r->nmodels)
        calib(&p, r, bm);
    if (r->best_baseline < r->nmodels && r->best_baseline != bm)
        calib(&p, r, r->best_baseline);
    out(&p, "<h2>Places flagged for the last window</h2>");
    if (bm < r->nmodels)
        map(&p, r, bm);
    if (r->best_baseline < r->nmodels && r->best_baseline != bm)
        map(&p, r, r->best_baseline);
    method(&p, r);
    out(&p, "</body></html>\n");
    return p.e;
}
