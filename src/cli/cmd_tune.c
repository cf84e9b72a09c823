/*
 * cmd_tune.c — `vigie tune`: parameter search on a validation period kept
 * apart from the test period (eval/tune.h does the search).
 *   vigie tune --db DB --model NAME --axis k=v1|v2|... [--axis ...]
 *     [--random N] --val-from D --val-to D [--test-from D --test-to D]
 *     --category C [--shift night] [--units grid:150 ...] [--coverage ...]
 *     [--primary 5] [--refit weekly] [--threads N] [--seed N]
 *     [--format table|json] [--out FILE]
 * --units may be repeated (cell sizes, grid offsets "grid:150:75:75"): the
 * search runs once per units; PAI is per area, so settings compare across
 * them.  Every setting tried is printed with its validation scores; with a
 * test period, the best setting of each units is backtested there with the
 * baselines and the gate's verdict is printed.  Output goes to --out or
 * stdout, progress and timings to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "cli/cmd_backtest.h"
#include "cli/commands.h"
#include "eval/gate.h"
#include "eval/spec.h"
#include "eval/tune.h"
#include "model/model.h"
#include "report/backtest_json.h"
#include "report/backtest_table.h"

#define TUNE_MAX_UNITS 8

struct tune_opts {
    const char *db, *model, *category, *shift, *format, *out;
    const char *val_from, *val_to, *test_from, *test_to;
    const char *axes[VG_TUNE_MAX_AXES], *units[TUNE_MAX_UNITS];
    size_t naxes, nunits;
    long random, seed;
    struct vg_backtest_config bt;
};

static enum vg_err parse(int argc, char **argv, struct tune_opts *o, struct vg_diag *d)
{
    static const char *const known[] = {"db", "model", "axis", "random", "val-from", "val-to",
                                        "test-from", "test-to", "category", "shift", "units",
                                        "coverage", "primary", "refit", "threads", "seed",
                                        "format", "out", NULL};
    struct vg_args a;
    long th;
    double prim;
    memset(o, 0, sizeof *o);
    vg_backtest_config_init(&o->bt);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e || (e = vg_args_check(&a, known, d)))
        return e;
    if (!(o->db = vg_args_need(&a, "db", d)) || !(o->model = vg_args_need(&a, "model", d)) ||
        !(o->category = vg_args_need(&a, "category", d)) ||
        !(o->val_from = vg_args_need(&a, "val-from", d)) ||
        !(o->val_to = vg_args_need(&a, "val-to", d)))
        return VG_USAGE;
    o->test_from = vg_args_get(&a, "test-from", NULL);
    o->test_to = vg_args_get(&a, "test-to", NULL);
    if (!o->test_from != !o->test_to)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--test-from and --test-to go together");
    o->shift = vg_args_get(&a, "shift", "night");
    o->format = vg_args_get(&a, "format", "table");
    o->out = vg_args_get(&a, "out", NULL);
    if (strcmp(o->format, "table") && strcmp(o->format, "json"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\": expected table or json", o->format);
    o->naxes = vg_args_all(&a, "axis", o->axes, VG_TUNE_MAX_AXES);
    o->nunits = vg_args_all(&a, "units", o->units, TUNE_MAX_UNITS);
    if (o->nunits == 0)
        o->units[o->nunits++] = "grid:150";
    if ((e = vg_args_long(&a, "random", 0, &o->random, d)) ||
        (e = vg_args_long(&a, "seed", 20240601, &o->seed, d)) ||
        (e = vg_args_long(&a, "threads", 0, &th, d)) ||
        (e = vg_args_double(&a, "primary", 5, &prim, d)) ||
        (e = vg_refit_parse(vg_args_get(&a, "refit", "weekly"), &o->bt.refit, d)))
        return e;
    if (o->random < 0 || o->random > VG_TUNE_MAX_TRIALS || th < 0 || th > 256)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--random 0..%d, --threads 0..256 expected",
                       VG_TUNE_MAX_TRIALS);
    o->bt.primary = prim, o->bt.threads = (int)th;
    return VG_OK;
}

static enum vg_err trials_table(const struct tune_opts *o, const char *units,
                                const struct vg_tune_result *r, struct vg_buf *b)
{
    enum vg_err e = vg_buf_printf(b, "\n%s on %s, validation %s to %s, PAI etc. at %g %% coverage\n"
                                  "%-48s %8s %8s %8s %10s %10s\n", o->model, units, o->val_from,
                                  o->val_to, o->bt.primary, "setting", "PAI", "hit", "PEI",
                                  "loglik", "Brier");
    for (size_t i = 0; e == VG_OK && i < r->ntrial; i++) {
        const struct vg_tune_trial *t = &r->trial[i];
        e = vg_buf_printf(b, "%-48s %8.3f %7.1f%% %8.3f %10.5f %10.6f%s\n", t->model.name, t->pai,
                          100 * t->hit_rate, t->pei, t->loglik, t->brier,
                          i == r->best ? "  <- best" : "");
    }
    return e;
}

static enum vg_err trials_json(const struct vg_tune_result *r, const char *units,
                               struct vg_buf *b)
{
    enum vg_err e = vg_buf_adds(b, "{\"units\":");
    e = e ? e : vg_buf_json_str(b, units, strlen(units));
    e = e ? e : vg_buf_adds(b, ",\"trials\":[");
    for (size_t i = 0; e == VG_OK && i < r->ntrial; i++) {
        const struct vg_tune_trial *t = &r->trial[i];
        e = vg_buf_adds(b, i ? ",{\"setting\":" : "{\"setting\":");
        e = e ? e : vg_buf_json_str(b, t->model.name, strlen(t->model.name));
        e = e ? e : vg_buf_printf(b, ",\"pai\":%.6g,\"hit_rate\":%.6g,\"pei\":%.6g,\"loglik\":%.8g,"
                                  "\"brier\":%.8g}", t->pai, t->hit_rate, t->pei, t->loglik, t->brier);
    }
    e = e ? e : vg_buf_printf(b, "],\"best\":");
    e = e ? e : vg_buf_json_str(b, r->trial[r->best].model.name, strlen(r->trial[r->best].model.name));
    if (e == VG_OK && r->has_test) {
        e = vg_buf_adds(b, ",\"test\":");
        e = e ? e : vg_backtest_json(&r->test, b);
    }
    return e ? e : vg_buf_addc(b, '}');
}

/* The best setting on the test period: its table and the gate's verdict. */
static enum vg_err test_report(const struct vg_tune_result *r, struct vg_buf *b)
{
    const char *best = r->trial[r->best].model.name;
    struct vg_gate_verdict v;
    enum vg_err e = vg_buf_printf(b, "\ntest period, best setting %s with the baselines:\n", best);
    e = e ? e : vg_backtest_table(&r->test, b);
    size_t m = vg_backtest_find(&r->test, best);
    if (e == VG_OK && m != (size_t)-1 && vg_gate_decide(&r->test, m, NULL, &v, NULL) == VG_OK)
        e = vg_buf_printf(b, "gate: %s: %s\n", best,
                          v.publishable ? v.evidence : v.reason);
    return e;
}

static enum vg_err one_units(const struct tune_opts *o, const char *units,
                             const struct vg_spec_model *bl, size_t nbl, struct vg_buf *out,
                             int first, struct vg_diag *d)
{
    struct vg_bt_data data;
    struct vg_bt_window *val = NULL, *test = NULL;
    size_t nval = 0, ntest = 0;
    struct vg_tune_result r;
    memset(&r, 0, sizeof r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum vg_err e = vg_bt_data_open(&data, o->db, o->category, units, d);
    if (e == VG_OK)
        e = vg_backtest_windows(data.ctx.tz, o->shift, o->val_from, o->val_to, &val, &nval, d);
    if (e == VG_OK && o->test_from)
        e = vg_backtest_windows(data.ctx.tz, o->shift, o->test_from, o->test_to, &test, &ntest, d);
    struct vg_tune_config c = {vg_model_find(o->model), o->axes, o->naxes, (size_t)o->random,
                               (uint64_t)o->seed, o->bt, test, ntest, bl, nbl};
    c.bt.win = val, c.bt.nwin = nval, c.bt.cats = data.cats, c.bt.ncats = data.ncats;
    c.bt.tz = data.ctx.tz, c.bt.weather = data.weather.ndays ? &data.weather : NULL;
    if (e == VG_OK)
        e = vg_tune_run(&c, &data.all, &data.units, &r, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (e == VG_OK)
        fprintf(stderr, "tune: %s on %s: %zu settings x %zu validation windows%s in %.1f s\n",
                o->model, units, r.ntrial, nval, ntest ? " + test run" : "",
                (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    if (e == VG_OK && !strcmp(o->format, "json")) {
        e = vg_buf_adds(out, first ? "" : ",\n");
        e = e ? e : trials_json(&r, units, out);
    } else if (e == VG_OK) {
        e = trials_table(o, units, &r, out);
        if (e == VG_OK && r.has_test)
            e = test_report(&r, out);
    }
    vg_tune_result_free(&r);
    vg_free(val), vg_free(test);
    vg_bt_data_close(&data);
    return e;
}

enum vg_err vg_cmd_tune(int argc, char **argv, struct vg_diag *d)
{
    struct tune_opts o;
    struct vg_spec_model *bl = NULL;
    size_t nbl = 0;
    struct vg_buf out;
    vg_buf_init(&out, 0);
    enum vg_err e = parse(argc, argv, &o, d);
    if (e)
        return e;
    if (vg_model_find(o.model) == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\" (see `vigie models list`)",
                       o.model);
    e = vg_spec_parse(VG_SPEC_BASELINES, vg_model_find, 1, &bl, &nbl, d);
    if (e == VG_OK && !strcmp(o.format, "json"))
        e = vg_buf_printf(&out, "{\"model\":\"%s\",\"runs\":[", o.model);
    for (size_t i = 0; e == VG_OK && i < o.nunits; i++)
        e = one_units(&o, o.units[i], bl, nbl, &out, i == 0, d);
    if (e == VG_OK && !strcmp(o.format, "json"))
        e = vg_buf_adds(&out, "]}\n");
    if (e == VG_OK) {
        FILE *f = o.out ? fopen(o.out, "w") : stdout;
        if (f == NULL)
            e = vg_fail(d, VG_IO, o.out, 0, 0, "cannot write: %s", strerror(errno));
        else if (fwrite(out.p, 1, out.len, f) != out.len || (o.out && fclose(f) != 0))
            e = vg_fail(d, VG_IO, o.out ? o.out : "stdout", 0, 0, "write failed");
    }
    vg_free(bl);
    vg_buf_free(&out);
    return e;
}
