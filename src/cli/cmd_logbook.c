/*
 * cmd_logbook.c — `vigie import logbook` (scrub → place → classify → store,
 * one transaction), `vigie classify train` (retrain the text model on the
 * entries whose category a person gave, review corrections included) and
 * `vigie classify text` (what the classifier says about a text).
 *
 * Files beside the store: DB.classifier (the trained model, text format of
 * vg_classifier_save), DB.rejects.csv (default rejects file), DB.audit (the
 * audit trail; imports and review decisions are recorded there, without
 * any entry text).  Data files from the installation home: data/
 * firstnames-fr.txt (scrubber), data/classify-rules-fr.txt (rules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "ingest/csv.h"
#include "ingest/logbook.h"

/* Record one action in the store's audit trail (never any entry text). */
enum vg_err vg_cmd_logbook_audit(const char *db, const char *user, const char *role,
                                 const char *action, const char *object,
                                 const char *purpose, const char *details,
                                 struct vg_diag *d)
{
    struct vg_audit *log = NULL;
    struct vg_audit_rec rec = {0, 0, user, role, action, object, purpose, details};
    enum vg_err e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK)
        e = vg_audit_append(log, &rec, NULL, d);
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    return e;
}

static const char *who(void)
{
    const char *u = getenv("USER");
    return u && *u ? u : "cli";
}

/* The classifier: DB.classifier (or --model) when it exists, plus rules. */
static enum vg_err open_classifier(const struct vg_ctx *ctx, const struct vg_args *a,
                                   const char *db, struct vg_classifier **out,
                                   struct vg_diag *d)
{
    char mpath[600], rpath[600];
    const char *model = vg_args_get(a, "model", NULL);
    if (model == NULL) {
        vg_store_side_path(db, ".classifier", mpath, sizeof mpath);
        model = access(mpath, R_OK) == 0 ? mpath : NULL;
    }
    enum vg_err e = model ? vg_classifier_load(model, NULL, out, d) : vg_classifier_new(NULL, out);
    const char *rules = vg_args_get(a, "rules", NULL);
    if (rules == NULL)
        rules = vg_ctx_path(ctx, "data/classify-rules-fr.txt", rpath, sizeof rpath);
    if (e == VG_OK && strcmp(rules, "none") != 0)
        e = vg_classifier_load_rules(*out, rules, d);
    const char *mode = vg_args_get(a, "mode", "both");
    if (e == VG_OK) {
        if (!strcmp(mode, "rules"))
            vg_classifier_set_mode(*out, VG_CLASS_RULES);
        else if (!strcmp(mode, "model"))
            vg_classifier_set_mode(*out, VG_CLASS_MODEL);
        else if (strcmp(mode, "both"))
            e = vg_fail(d, VG_USAGE, "", 0, 0, "--mode \"%s\": expected both, rules or model", mode);
    }
    if (e) {
        vg_classifier_free(*out);
        *out = NULL;
    }
    return e;
}

/* Extent of the gazetteer with a 2 km margin (commands.h). */
enum vg_err vg_cmd_gazetteer_bbox(const struct vg_gazetteer *g, const char *path, double bb[4],
                                  struct vg_diag *d)
{
    size_t n = vg_gazetteer_count(g);
    bb[0] = bb[1] = 1e9;
    bb[2] = bb[3] = -1e9;
    for (size_t i = 0; i < n; i++) {
        const char *name;
        double lon, lat;
        vg_gazetteer_entry(g, i, &name, &lon, &lat);
        bb[0] = lon < bb[0] ? lon : bb[0];
        bb[1] = lat < bb[1] ? lat : bb[1];
        bb[2] = lon > bb[2] ? lon : bb[2];
        bb[3] = lat > bb[3] ? lat : bb[3];
    }
    if (n == 0)
        return vg_fail(d, VG_PARSE, path, 0, 0, "the gazetteer has no entries");
    bb[0] -= 0.03, bb[1] -= 0.02, bb[2] += 0.03, bb[3] += 0.02;
    return VG_OK;
}

struct lb_setup {
    struct vg_ctx ctx;
    struct vg_profile *prof;
    struct vg_gazetteer *gaz;
    struct vg_scrub_names *names;
    struct vg_classifier *cl;
    struct vg_geoglue *geo;
    FILE *rej;
    char rpath[600];
};

static void lb_free(struct lb_setup *s)
{
    if (s->rej)
        fclose(s->rej);
    vg_geoglue_free(s->geo);
    vg_classifier_free(s->cl);
    vg_scrub_names_free(s->names);
    vg_gazetteer_free(s->gaz);
    vg_profile_free(s->prof);
    vg_ctx_close(&s->ctx);
}

/* Everything an import needs, opened in order; inside a transaction. */
static enum vg_err lb_open(struct lb_setup *s, const struct vg_args *a, struct vg_diag *d)
{
    const char *db = vg_args_get(a, "db", "");
    char path[600];
    enum vg_err e = vg_ctx_open(&s->ctx, db, 1, d);
    if (e)
        return e;
    e = vg_profile_load(vg_ctx_path(&s->ctx, "profiles", path, sizeof path),
                        vg_args_get(a, "profile", ""), &s->prof, d);
    if (e == VG_OK && s->prof->kind != VG_PROFILE_LOGBOOK)
        e = vg_fail(d, VG_USAGE, s->prof->path, 0, 0, "profile %s is not a logbook profile (kind)", s->prof->name);
    const char *gz = vg_args_get(a, "gazetteer", NULL);
    if (e == VG_OK && gz)
        e = vg_gazetteer_load(gz, &s->gaz, d);
    const char *fn = vg_args_get(a, "firstnames", NULL);
    if (fn == NULL)
        fn = vg_ctx_path(&s->ctx, "data/firstnames-fr.txt", path, sizeof path);
    if (e == VG_OK)
        e = vg_scrub_names_load(fn, &s->names, d);
    if (e == VG_OK)
        e = open_classifier(&s->ctx, a, db, &s->cl, d);
    if (e == VG_OK)
        e = vg_store_begin(s->ctx.store, d);
    char tzname[64];
    if (e == VG_OK && vg_store_meta_get(s->ctx.store, "study_tz", tzname, sizeof tzname) != VG_OK)
        e = vg_store_meta_set(s->ctx.store, "study_tz", s->prof->tz, d);
    if (e == VG_OK && !s->ctx.crs[0] && !s->ctx.layer[0] && !s->prof->has_bbox && gz) {
        e = vg_cmd_gazetteer_bbox(s->gaz, gz, s->prof->bbox, d);
        s->prof->has_bbox = e == VG_OK;
    }
    if (e == VG_OK)
        e = vg_geoglue_open(&s->ctx, s->prof, &s->geo, d);
    const char *rp = vg_args_get(a, "rejects", NULL);
    snprintf(s->rpath, sizeof s->rpath, "%s", rp ? rp : "");
    if (rp == NULL)
        vg_store_side_path(db, ".rejects.csv", s->rpath, sizeof s->rpath);
    if (e == VG_OK && (s->rej = fopen(s->rpath, "w")) == NULL)
        e = vg_fail(d, VG_IO, s->rpath, 0, 0, "cannot write the rejects file: %s", strerror(errno));
    return e;
}

enum vg_err vg_cmd_import_logbook(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "profile", "gazetteer", "rejects", "model", "rules",
                                        "mode", "threshold", "firstnames", "street-level", NULL};
    static const char *const flags[] = {"street-level", NULL};
    struct vg_args a;
    struct lb_setup s;
    memset(&s, 0, sizeof s);
    double thr = 0;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK && (!vg_args_need(&a, "db", d) || !vg_args_need(&a, "profile", d)))
        e = VG_USAGE;
    if (e == VG_OK && a.npos == 0)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "no input FILE given");
    if (e == VG_OK)
        e = vg_args_double(&a, "threshold", 0, &thr, d);
    if (e)
        return e;
    e = lb_open(&s, &a, d);
    vg_logbook_rejects_header(s.rej, s.prof);
    struct vg_logbook_opts o = {s.ctx.store, s.prof, &s.ctx.tax, vg_geoglue_import(s.geo), s.gaz,
                                s.names, vg_args_has(&a, "street-level") ? VG_SCRUB_HOUSE_NUMBERS : 0,
                                s.cl, thr, s.rej};
    struct vg_logbook_counts t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < a.npos && e == VG_OK; i++) {
        struct vg_logbook_counts c;
        e = vg_logbook_import(&o, a.pos[i], &c, d);
        if (e)
            break;
        printf("%s: %zu rows read: imported %zu, duplicates %zu, rejected %zu; "
               "classified %zu, to review %zu, without text %zu\n", a.pos[i], c.c.rows,
               c.c.imported, c.c.duplicates, c.c.rejected, c.classified, c.pending, c.no_text);
        t.c.imported += c.c.imported, t.c.duplicates += c.c.duplicates;
        t.c.rejected += c.c.rejected, t.pending += c.pending;
    }
    if (e == VG_OK && s.ctx.store)
        e = vg_store_commit(s.ctx.store, d);
    else if (s.ctx.store)
        vg_store_rollback(s.ctx.store);
    if (e == VG_OK) {
        if (t.c.rejected)
            printf("rejected rows, with file, line and reason (fix them and import this file again): %s\n",
                   s.rpath);
        if (t.pending)
            printf("entries waiting for a person: vigie review list --db %s\n", vg_args_get(&a, "db", ""));
        char det[200];
        snprintf(det, sizeof det, "{\"imported\":%zu,\"duplicates\":%zu,\"rejected\":%zu,\"pending\":%zu}",
                 t.c.imported, t.c.duplicates, t.c.rejected, t.pending);
        e = vg_cmd_logbook_audit(vg_args_get(&a, "db", ""), who(), "operator", "import.logbook",
                                 s.prof->name, NULL, det, d);
    } else if (s.ctx.store) {
        fprintf(stderr, "nothing was imported: the store is unchanged\n");
    }
    lb_free(&s);
    return e;
}

struct tset {
    char **text, **code;
    size_t n;
};

static enum vg_err tset_add(void *arg, const char *text, const char *code)
{
    struct tset *t = arg;
    char **a = vg_reallocarray(t->text, t->n + 1, sizeof *a);
    if (a)
        t->text = a;
    char **b = a ? vg_reallocarray(t->code, t->n + 1, sizeof *b) : NULL;
    if (b)
        t->code = b;
    if (!a || !b)
        return VG_NOMEM;
    t->text[t->n] = vg_strdup(text);
    t->code[t->n] = vg_strdup(code);
    if (!t->text[t->n] || !t->code[t->n]) {
        vg_free(t->text[t->n]);
        vg_free(t->code[t->n]);
        return VG_NOMEM;
    }
    t->n++;
    return VG_OK;
}

enum vg_err vg_cmd_classify_train(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "out", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct tset t = {NULL, NULL, 0};
    struct vg_classifier *cl = NULL;
    size_t *lens = NULL;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (db == NULL)
        return VG_USAGE;
    char out[600];
    snprintf(out, sizeof out, "%s", vg_args_get(&a, "out", ""));
    if (!out[0])
        vg_store_side_path(db, ".classifier", out, sizeof out);
    e = vg_ctx_open(&ctx, db, 0, d);
    if (e)
        return e;
    e = ctx.store->ops->training_get(ctx.store, tset_add, &t, d);
    if (e == VG_OK && (lens = vg_calloc(t.n ? t.n : 1, sizeof *lens)) == NULL)
        e = VG_NOMEM;
    for (size_t i = 0; e == VG_OK && i < t.n; i++)
        lens[i] = strlen(t.text[i]);
    if (e == VG_OK)
        e = vg_classifier_new(NULL, &cl);
    if (e == VG_OK)
        e = vg_classifier_train(cl, t.n, (const char *const *)t.text, lens,
                                (const char *const *)t.code, d);
    if (e == VG_OK)
        e = vg_classifier_save(cl, out, d);
    if (e == VG_OK)
        printf("trained on %zu entries whose category a person gave (author, confirmed or corrected): %s\n",
               t.n, out);
    for (size_t i = 0; i < t.n; i++) {
        vg_free(t.text[i]);
        vg_free(t.code[i]);
    }
    vg_free(t.text);
    vg_free(t.code);
    vg_free(lens);
    vg_classifier_free(cl);
    vg_ctx_close(&ctx);
    return e;
}

enum vg_err vg_cmd_classify_text(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "model", "rules", "mode", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_classifier *cl = NULL;
    struct vg_buf text;
    vg_buf_init(&text, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (db == NULL)
        return VG_USAGE;
    if (a.npos == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "no TEXT given");
    for (size_t i = 0; i < a.npos && e == VG_OK; i++)
        e = vg_buf_printf(&text, "%s%s", i ? " " : "", a.pos[i]);
    if (e == VG_OK)
        e = vg_ctx_open(&ctx, db, 0, d);
    if (e) {
        vg_buf_free(&text);
        return e;
    }
    e = open_classifier(&ctx, &a, db, &cl, d);
    struct vg_class_result r;
    if (e == VG_OK)
        e = vg_classify(cl, text.p, text.len, &r);
    if (e == VG_OK)
        printf("%s\t%.3f\t%s\trules: %s\tterms: %s\n", r.category, r.confidence,
               r.review ? "review" : "ok", r.rule[0] ? r.rule : "-", r.terms[0] ? r.terms : "-");
    vg_classifier_free(cl);
    vg_buf_free(&text);
    vg_ctx_close(&ctx);
    return e;
}
