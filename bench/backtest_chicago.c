/*
 * backtest_chicago.c — speed benchmark of the backtest driver on the real
 * Chicago aggravated-assault data (148,636 events, 2010-2019).
 *
 * Not the product loader: it reads the CSV directly, projects lon/lat with
 * a local equirectangular approximation (enough for a timing benchmark)
 * and builds a 150 m grid over the cells that hold at least one event in
 * the 10 years (a stand-in for the study-area grid of geo/units).
 *
 *   make -j2 && cc -O2 -std=c11 -D_GNU_SOURCE -pthread -Isrc \
 *     bench/backtest_chicago.c build/libvigie.a -o build/bench_backtest \
 *     $(pkg-config --libs sqlite3 proj geos jansson libsodium) -lm
 *   build/bench_backtest MODELS FROM_DAY_OFFSET NIGHTS REFIT THREADS [json]
 *   e.g. build/bench_backtest "kde,prospective,stkde,etas" 0 365 weekly 2
 * A 6th argument "json" or "html" selects the output format.
 * Nights start at 20:00 America/Chicago and last 7.5 h, from 2019-01-01.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/tz.h"
#include "eval/backtest.h"
#include "geo/units.h"
#include "model/model.h"
#include "report/backtest_html.h"
#include "report/backtest_json.h"
#include "report/backtest_table.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *models = argc > 1 ? argv[1] : "kde";
    int off = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0;
    int nn = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 365;
    const char *refit = argc > 4 ? argv[4] : "weekly";
    int threads = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 2;
    const char *path = "../shared/data/chicago-aggravated-assaults-2010-2019/"
                       "chicago_aggravated_assaults.csv";
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("America/Chicago", &d);
    FILE *f = fopen(path, "r");
    if (!f || !tz)
        return 2;
    char line[256];
    struct vg_events ev;
    vg_events_init(&ev);
    double t0 = now();
    const double lon0 = -87.7, lat0 = 41.83, kx = 111320 * cos(lat0 * M_PI / 180), ky = 110540;
    int64_t id = 0;
    (void)fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f)) {
        int Y, M, D, h, mi;
        char cat[64];
        double lon, lat;
        if (sscanf(line, "%d-%d-%d %d:%d,%63[^,],%lf,%lf", &Y, &M, &D, &h, &mi,
                   cat, &lon, &lat) != 8 || lon == 0)
            continue;
        int64_t t;
        if (vg_tz_from_local(tz, Y, M, D, h, mi, 0, VG_TZ_EARLIER, &t) != VG_OK)
            continue;
        vg_events_push(&ev, id++, t, t, (lon - lon0) * kx, (lat - lat0) * ky,
                       lon, lat, 0, -1, 0, 0);
    }
    fclose(f);
    vg_events_sort(&ev);
    /* grid */
    double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18, cell = 150;
    for (size_t i = 0; i < ev.n; i++) {
        minx = fmin(minx, ev.x[i]), maxx = fmax(maxx, ev.x[i]);
        miny = fmin(miny, ev.y[i]), maxy = fmax(maxy, ev.y[i]);
    }
    struct vg_units u;
    memset(&u, 0, sizeof u);
    u.kind = VG_UNITS_GRID, u.cell = cell;
    u.x0 = floor(minx / cell) * cell, u.y0 = floor(miny / cell) * cell;
    u.nx = (int32_t)((maxx - u.x0) / cell) + 1, u.ny = (int32_t)((maxy - u.y0) / cell) + 1;
    size_t nc = (size_t)u.nx * (size_t)u.ny;
    u.cell_unit = calloc(nc, sizeof *u.cell_unit);
    for (size_t c = 0; c < nc; c++)
        u.cell_unit[c] = -1;
    for (size_t i = 0; i < ev.n; i++) {
        size_t c = (size_t)((ev.y[i] - u.y0) / cell) * (size_t)u.nx +
                   (size_t)((ev.x[i] - u.x0) / cell);
        u.cell_unit[c] = 0;
    }
    for (size_t c = 0; c < nc; c++)
        if (u.cell_unit[c] == 0)
            u.cell_unit[c] = (int32_t)u.n++;
    u.cx = calloc(u.n, sizeof(double)), u.cy = calloc(u.n, sizeof(double));
    u.km2 = calloc(u.n, sizeof(double));
    u.unit_col = calloc(u.n, sizeof(int32_t)), u.unit_row = calloc(u.n, sizeof(int32_t));
    for (size_t c = 0; c < nc; c++)
        if (u.cell_unit[c] >= 0) {
            size_t i = (size_t)u.cell_unit[c];
            u.unit_col[i] = (int32_t)(c % (size_t)u.nx), u.unit_row[i] = (int32_t)(c / (size_t)u.nx);
            u.cx[i] = u.x0 + (u.unit_col[i] + 0.5) * cell;
            u.cy[i] = u.y0 + (u.unit_row[i] + 0.5) * cell;
            u.km2[i] = cell * cell / 1e6;
        }
    struct vg_bt_window *win = calloc((size_t)nn, sizeof *win);
    int64_t day0 = vg_days_from_civil(2019, 1, 1) + off;
    for (int k = 0; k < nn; k++) {
        int y, m, dd;
        vg_civil_from_days(day0 + k, &y, &m, &dd);
        vg_tz_from_local(tz, y, m, dd, 20, 0, 0, VG_TZ_EARLIER, &win[k].start);
        win[k].end = win[k].start + 7 * 3600 + 1800;
        win[k].day = day0 + k;
    }
    fprintf(stderr, "loaded %zu events, %zu units in %.2f s\n", ev.n, u.n, now() - t0);
    struct vg_spec_model *ms = NULL;
    size_t nm = 0;
    if (vg_spec_with_baselines(models, vg_model_find, &ms, &nm, &d) != VG_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return 1;
    }
    struct vg_backtest_config c;
    vg_backtest_config_init(&c);
    c.models = ms, c.nmodels = nm, c.win = win, c.nwin = (size_t)nn;
    c.threads = threads, c.tz = tz;
    if (vg_refit_parse(refit, &c.refit, &d) != VG_OK)
        return 1;
    struct vg_backtest_result r;
    t0 = now();
    if (vg_backtest_run(&c, &ev, &u, &r, &d) != VG_OK) {
        fprintf(stderr, "backtest: %s\n", d.msg);
        return 1;
    }
    double el = now() - t0;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    struct vg_html_opts ho = {NULL, "aggravated assaults", "Chicago",
                              "night shift 20:00-03:30", NULL};
    if (argc > 6 && strcmp(argv[6], "html") == 0)
        vg_backtest_html(&r, &ho, &b);
    else if (argc > 6)
        vg_backtest_json(&r, &b);
    else
        vg_backtest_table(&r, &b);
    fputs(b.p, stdout);
    fprintf(stderr, "backtest: %zu models x %d nights, refit %s, %d threads: %.2f s\n",
            nm, nn, refit, threads, el);
    vg_buf_free(&b);
    vg_backtest_result_free(&r);
    vg_events_free(&ev);
    free(win), free(ms);
    return 0;
}
