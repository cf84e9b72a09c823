/*
 * cmd_gate.c — the publication gate on the command line:
 *   vigie models publish SPEC --db DB --category C [--shift night]
 *     [--by USER] [every `vigie backtest` option but --models/--gate]
 *   vigie models status --db DB --category C [--shift night]
 *
 * `publish` backtests SPEC against the naive baselines on the held-out
 * months (default: the last 6 months of data) and asks the gate.  Passed:
 * the evidence line and the spec are stored in the store's meta table
 * (keys in report/briefing.h), and the briefing, the UI and the API use this
 * model from then on.  Refused: the previously published model, if any,
 * stays; the reason and the best baseline are stored so that the briefing
 * can say why it lists a baseline; the command exits non-zero, saying why
 * and by how much.  Either way the decision goes to the audit trail.
 * Invariant: the meta keys are written in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "cli/cmd_backtest.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "eval/spec.h"
#include "model/model.h"
#include "report/briefing.h"
#include "store/store.h"

/* argv for the backtest parser: ours minus SPEC and --by, plus
 * "--models SPEC --gate".  `out` holds argc + 3 pointers. */
static int backtest_argv(int argc, char **argv, char *spec, char **out)
{
    static char models[] = "--models", gate[] = "--gate";
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--by") && i + 1 < argc) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--by=", 5) || argv[i] == spec)
            continue;
        out[n++] = argv[i];
    }
    out[n++] = models;
    out[n++] = spec;
    out[n++] = gate;
    return n;
}

static enum vg_err audit_decision(const char *db, const char *by, const char *spec,
                                  const char *cats, const char *shift,
                                  const struct vg_gate_verdict *v, struct vg_diag *d)
{
    struct vg_audit *log = NULL;
    struct vg_buf j;
    vg_buf_init(&j, 0);
    const char *text = v->publishable ? v->evidence : v->reason;
    enum vg_err e = vg_buf_adds(&j, "{\"categories\":");
    e = e ? e : vg_buf_json_str(&j, cats, strlen(cats));
    e = e ? e : vg_buf_adds(&j, ",\"shift\":");
    e = e ? e : vg_buf_json_str(&j, shift, strlen(shift));
    e = e ? e : vg_buf_printf(&j, ",\"publishable\":%s,\"gain_pct\":%.3f,\"ci\":[%.3f,%.3f],"
                              "\"baseline\":", v->publishable ? "true" : "false",
                              v->gain, v->lo, v->hi);
    e = e ? e : vg_buf_json_str(&j, v->base_name, strlen(v->base_name));
    e = e ? e : vg_buf_adds(&j, ",\"text\":");
    e = e ? e : vg_buf_json_str(&j, text, strlen(text));
    e = e ? e : vg_buf_addc(&j, '}');
    struct vg_audit_rec r = {0, 0, by, "analyst",
                             v->publishable ? "model.publish" : "model.refuse", spec,
                             "publication gate", j.p};
    if (e == VG_OK)
        e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK)
        e = vg_audit_append(log, &r, NULL, d);
    enum vg_err ce = vg_audit_close(log, e ? NULL : d);
    vg_buf_free(&j);
    return e ? e : ce;
}

/* Store the decision: one transaction for every key. */
static enum vg_err store_decision(const char *db, const char *spec, const char *cats,
                                  const char *shift, const struct vg_gate_verdict *v,
                                  const struct vg_buf *html, struct vg_diag *d)
{
    struct vg_ctx ctx;
    char key[320];
    enum vg_err e = vg_ctx_open(&ctx, db, 0, d);
    if (e)
        return e;
    e = vg_store_begin(ctx.store, d);
    if (e == VG_OK && v->base_name[0]) {
        vg_briefing_meta_key("baseline", NULL, cats, shift, key, sizeof key);
        e = vg_store_meta_set(ctx.store, key, v->base_name, d);
    }
    vg_briefing_meta_key("gate", spec, cats, shift, key, sizeof key);
    if (e == VG_OK)
        e = vg_store_meta_set(ctx.store, key, v->publishable ? v->evidence : "", d);
    if (e == VG_OK && html->len) { /* the last gate run's report, for the Models page */
        vg_briefing_meta_key("gate-report", NULL, cats, shift, key, sizeof key);
        e = vg_store_meta_set(ctx.store, key, html->p, d);
    }
    if (e == VG_OK && v->publishable) {
        vg_briefing_meta_key("published", NULL, cats, shift, key, sizeof key);
        e = vg_store_meta_set(ctx.store, key, spec, d);
    }
    if (e == VG_OK && !v->publishable) {
        char cur[VG_SPEC_NAME] = "";
        vg_briefing_meta_key("published", NULL, cats, shift, key, sizeof key);
        (void)vg_store_meta_get(ctx.store, key, cur, sizeof cur);
        if (!strcmp(cur, spec)) /* a re-run refused the published model: withdraw it */
            e = vg_store_meta_set(ctx.store, key, "", d);
        vg_briefing_meta_key("gate-why", NULL, cats, shift, key, sizeof key);
        e = e ? e : vg_store_meta_set(ctx.store, key, v->reason, d);
    }
    if (e == VG_OK)
        e = vg_store_commit(ctx.store, d);
    else
        vg_store_rollback(ctx.store);
    vg_ctx_close(&ctx);
    return e;
}

/* The canonical spec of SPEC (one non-baseline model). */
static enum vg_err canonical(const char *spec, char out[VG_SPEC_NAME], struct vg_diag *d)
{
    struct vg_spec_model *sm = NULL;
    size_t n = 0;
    enum vg_err e = vg_spec_parse(spec, vg_model_find, 0, &sm, &n, d);
    if (e == VG_OK && n != 1)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "\"%s\": publish one model at a time", spec);
    if (e == VG_OK)
        snprintf(out, VG_SPEC_NAME, "%s", sm[0].name);
    vg_free(sm);
    sm = NULL, n = 0;
    if (e == VG_OK)
        e = vg_spec_parse(VG_SPEC_BASELINES, vg_model_find, 1, &sm, &n, d);
    for (size_t i = 0; e == VG_OK && i < n; i++)
        if (!strcmp(sm[i].name, out))
            e = vg_fail(d, VG_USAGE, "", 0, 0, "not published: %s is one of the naive baselines "
                        "(%s) every model is compared with; it cannot be published itself", out,
                        VG_SPEC_BASELINES);
    vg_free(sm);
    return e;
}

enum vg_err vg_cmd_models_publish(int argc, char **argv, struct vg_diag *d)
{
    struct vg_args a;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e)
        return e;
    if (a.npos != 1)
        return vg_fail(d, VG_USAGE, "", 0, 0, "expected one model to publish, e.g. "
                       "`vigie models publish kde:bandwidth=200 --db DB --category C`");
    char spec[VG_SPEC_NAME];
    const char *by = vg_args_get(&a, "by", getenv("USER") ? getenv("USER") : "cli");
    if ((e = canonical(a.pos[0], spec, d)))
        return e;
    char **bv = vg_calloc((size_t)argc + 4, sizeof *bv);
    if (bv == NULL)
        return VG_NOMEM;
    char *pos = NULL;
    for (int i = 0; i < argc; i++)
        if (argv[i] == a.pos[0])
            pos = argv[i];
    int bn = backtest_argv(argc, argv, pos, bv);
    struct vg_backtest_opts o;
    struct vg_gate_verdict v;
    struct vg_buf html;
    vg_buf_init(&html, 0);
    memset(&v, 0, sizeof v);
    e = vg_backtest_opts_parse(bn, bv, &o, d);
    o.verdict = &v;
    o.html = &html;
    if (e == VG_OK)
        e = vg_backtest_cmd_run(&o, d);
    if (e == VG_OK && !v.evidence[0] && !v.reason[0])
        e = vg_fail(d, VG_MODEL, "", 0, 0, "%s: the backtest gave no verdict", spec);
    if (e == VG_OK)
        e = store_decision(o.db, spec, o.category, o.shift, &v, &html, d);
    if (e == VG_OK)
        e = audit_decision(o.db, by, spec, o.category, o.shift, &v, d);
    if (e == VG_OK && v.publishable)
        printf("published %s for %s (%s shift): %s\n", spec, o.category, o.shift, v.evidence);
    else if (e == VG_OK)
        e = vg_fail(d, VG_MODEL, "", 0, 0, "not published: %s", v.reason);
    vg_free(bv);
    vg_buf_free(&html);
    return e;
}

enum vg_err vg_cmd_models_status(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "category", "shift", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    char key[320], spec[VG_SPEC_NAME] = "", line[640] = "", base[VG_SPEC_NAME] = "";
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *cat = db ? vg_args_need(&a, "category", d) : NULL;
    if (e || !cat)
        return e ? e : VG_USAGE;
    if ((e = vg_args_check(&a, known, d)) || (e = vg_ctx_open(&ctx, db, 0, d)))
        return e;
    const char *shift = vg_args_get(&a, "shift", "night");
    vg_briefing_meta_key("published", NULL, cat, shift, key, sizeof key);
    (void)vg_store_meta_get(ctx.store, key, spec, sizeof spec);
    vg_briefing_meta_key("baseline", NULL, cat, shift, key, sizeof key);
    (void)vg_store_meta_get(ctx.store, key, base, sizeof base);
    if (spec[0]) {
        vg_briefing_meta_key("gate", spec, cat, shift, key, sizeof key);
        (void)vg_store_meta_get(ctx.store, key, line, sizeof line);
        printf("%s (%s shift): published model %s — %s\n", cat, shift, spec, line);
    } else {
        vg_briefing_meta_key("gate-why", NULL, cat, shift, key, sizeof key);
        (void)vg_store_meta_get(ctx.store, key, line, sizeof line);
        printf("%s (%s shift): no published model; briefings list the baseline %s%s%s\n", cat,
               shift, base[0] ? base : "average", line[0] ? ". Last refusal: " : "", line);
    }
    vg_ctx_close(&ctx);
    return VG_OK;
}
