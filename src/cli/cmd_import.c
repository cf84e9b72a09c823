/*
 * cmd_import.c — `vigie import incidents|weather|areas`.
 * Each command runs in one store transaction: on any error nothing of it is
 * kept.  Summaries say "imported N, duplicates D, rejected R".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "ingest/import.h"

static enum vg_err common_open(struct vg_args *a, int argc, char **argv,
                               const char *const *known, struct vg_ctx *ctx,
                               struct vg_profile **prof, struct vg_diag *d)
{
    enum vg_err e = vg_args_parse(a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(a, known, d);
    if (e)
        return e;
    const char *db = vg_args_need(a, "db", d);
    const char *pname = db ? vg_args_need(a, "profile", d) : NULL;
    if (db == NULL || pname == NULL)
        return VG_USAGE;
    if (a->npos == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "no input FILE given");
    e = vg_ctx_open(ctx, db, 1, d);
    if (e)
        return e;
    char dir[600];
    e = vg_profile_load(vg_ctx_path(ctx, "profiles", dir, sizeof dir), pname, prof, d);
    if (e)
        vg_ctx_close(ctx);
    return e;
}

static void summary(const char *file, const struct vg_import_counts *c)
{
    printf("%s: %zu rows read: imported %zu, duplicates %zu, rejected %zu\n", file,
           c->rows, c->imported, c->duplicates, c->rejected);
}

enum vg_err vg_cmd_import_incidents(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "profile", "rejects", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_profile *prof = NULL;
    struct vg_geoglue *geo = NULL;
    FILE *rej = NULL;
    enum vg_err e = common_open(&a, argc, argv, known, &ctx, &prof, d);
    if (e)
        return e;
    if (prof->kind != VG_PROFILE_INCIDENTS) {
        e = vg_fail(d, VG_USAGE, prof->path, 0, 0, "profile %s is not an incidents profile (kind)", prof->name);
        goto out;
    }
    e = vg_store_begin(ctx.store, d);
    if (e)
        goto out;
    /* the study's zone and CRS are fixed by the first import */
    char tzname[64];
    if (vg_store_meta_get(ctx.store, "study_tz", tzname, sizeof tzname) != VG_OK) {
        e = vg_store_meta_set(ctx.store, "study_tz", prof->tz, d);
        if (e == VG_OK && (ctx.tz = vg_tz_get(prof->tz, d)) == NULL)
            e = VG_PARSE;
    }
    if (e == VG_OK)
        e = vg_geoglue_open(&ctx, prof, &geo, d);
    char rpath[600];
    const char *rp = vg_args_get(&a, "rejects", NULL);
    if (rp == NULL) {
        vg_store_side_path(vg_args_get(&a, "db", ""), ".rejects.csv", rpath, sizeof rpath);
        rp = rpath;
    }
    if (e == VG_OK && (rej = fopen(rp, "w")) == NULL)
        e = vg_fail(d, VG_IO, rp, 0, 0, "cannot write the rejects file");
    vg_import_rejects_header(rej);
    struct vg_import_opts o = {ctx.store, prof, &ctx.tax, vg_geoglue_import(geo), NULL, NULL,
                               rej, vg_ctx_tty(), NULL};
    struct vg_import_counts total = {0, 0, 0, 0};
    for (size_t i = 0; i < a.npos && e == VG_OK; i++) {
        struct vg_import_counts c;
        e = vg_import_incidents(&o, a.pos[i], &c, d);
        if (e == VG_OK) {
            summary(a.pos[i], &c);
            total.rows += c.rows;
            total.imported += c.imported;
            total.duplicates += c.duplicates;
            total.rejected += c.rejected;
        }
    }
    if (e == VG_OK)
        e = vg_store_commit(ctx.store, d);
    else
        vg_store_rollback(ctx.store);
    if (e == VG_OK) {
        if (a.npos > 1)
            printf("total: imported %zu, duplicates %zu, rejected %zu\n", total.imported,
                   total.duplicates, total.rejected);
        if (total.rejected)
            printf("rejected rows, with file, line and reason: %s\n", rp);
    } else {
        fprintf(stderr, "nothing was imported: the store is unchanged\n");
    }
out:
    if (rej)
        fclose(rej);
    vg_geoglue_free(geo);
    vg_profile_free(prof);
    vg_ctx_close(&ctx);
    return e;
}

enum vg_err vg_cmd_import_weather(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "profile", "station", "rejects", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_profile *prof = NULL;
    FILE *rej = NULL;
    enum vg_err e = common_open(&a, argc, argv, known, &ctx, &prof, d);
    if (e)
        return e;
    if (prof->kind != VG_PROFILE_WEATHER) {
        e = vg_fail(d, VG_USAGE, prof->path, 0, 0, "profile %s is not a weather profile (kind)", prof->name);
        goto out;
    }
    char rpath[600];
    const char *rp = vg_args_get(&a, "rejects", NULL);
    if (rp == NULL) {
        vg_store_side_path(vg_args_get(&a, "db", ""), ".rejects.csv", rpath, sizeof rpath);
        rp = rpath;
    }
    if ((rej = fopen(rp, "w")) == NULL) {
        e = vg_fail(d, VG_IO, rp, 0, 0, "cannot write the rejects file");
        goto out;
    }
    vg_import_rejects_header(rej);
    struct vg_import_opts o = {ctx.store, prof, &ctx.tax, NULL, NULL, NULL, rej, 0,
                               vg_args_get(&a, "station", NULL)};
    e = vg_store_begin(ctx.store, d);
    for (size_t i = 0; i < a.npos && e == VG_OK; i++) {
        struct vg_import_counts c;
        e = vg_import_weather(&o, a.pos[i], &c, d);
        if (e == VG_OK)
            printf("%s: %zu rows read: imported %zu days, rejected %zu\n", a.pos[i], c.rows,
                   c.imported, c.rejected);
    }
    if (e == VG_OK)
        e = vg_store_commit(ctx.store, d);
    else
        vg_store_rollback(ctx.store);
out:
    if (rej)
        fclose(rej);
    vg_profile_free(prof);
    vg_ctx_close(&ctx);
    return e;
}

enum vg_err vg_cmd_categories(int argc, char **argv, struct vg_diag *d)
{
    struct vg_args a;
    struct vg_ctx ctx;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (db == NULL)
        return VG_USAGE;
    e = vg_ctx_open(&ctx, db, 0, d);
    if (e)
        return e;
    int en = !strcmp(vg_args_get(&a, "lang", "fr"), "en");
    for (size_t i = 0; i < ctx.tax.n; i++) {
        const struct vg_category *c = &ctx.tax.cat[i];
        printf("%-28s %-13s %s%s\n", c->code, c->group, en ? c->label_en : c->label_fr,
               c->police_activity ? (en ? "  [measures police activity]" : "  [mesure surtout l'activité policière]") : "");
    }
    vg_ctx_close(&ctx);
    return VG_OK;
}
