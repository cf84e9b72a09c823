/*
 * store.c — the back-end independent part of the store: URL dispatch,
 * transactions, taxonomy seeding, and thin wrappers over the ops table.
 */
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/tz.h"

int vg_store_is_postgres(const char *url)
{
    return url && (strncmp(url, "postgres://", 11) == 0 ||
                   strncmp(url, "postgresql://", 13) == 0);
}

enum vg_err vg_store_side_path(const char *url, const char *suffix, char *out,
                               size_t cap)
{
    if (vg_store_is_postgres(url))
        return vg_postgres_side_path(url, suffix, out, cap);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    int n = snprintf(out, cap, "%s%s", url, suffix);
    return n > 0 && (size_t)n < cap ? VG_OK : VG_LIMIT;
}

enum vg_err vg_store_open(const char *url, int create, struct vg_store **out,
                          struct vg_diag *d)
{
    if (vg_store_is_postgres(url))
        return vg_postgres_open(url, create, out, d);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    return vg_sqlite_open(url, create, out, d);
}

void vg_store_close(struct vg_store *s)
{
    if (s == NULL)
        return;
    if (s->in_tx)
        vg_store_rollback(s);
    s->ops->close(s);
}

enum vg_err vg_store_begin(struct vg_store *s, struct vg_diag *d)
{
    enum vg_err e = s->ops->exec(s, "BEGIN IMMEDIATE", d);
    if (e == VG_OK)
        s->in_tx = 1;
    return e;
}

enum vg_err vg_store_commit(struct vg_store *s, struct vg_diag *d)
{
    enum vg_err e = s->ops->exec(s, "COMMIT", d);
    if (e == VG_OK)
        s->in_tx = 0;
    return e;
}

void vg_store_rollback(struct vg_store *s)
{
    s->ops->exec(s, "ROLLBACK", NULL);
    s->in_tx = 0;
}

enum vg_err vg_store_meta_get(struct vg_store *s, const char *key, char *out,
                              size_t cap)
{
    return s->ops->meta_get(s, key, out, cap);
}

enum vg_err vg_store_meta_set(struct vg_store *s, const char *key,
                              const char *value, struct vg_diag *d)
{
    return s->ops->meta_set(s, key, value, d);
}

const struct vg_tz *vg_store_zone(struct vg_store *s, struct vg_diag *d)
{
    char name[64];
    if (s == NULL || vg_store_meta_get(s, "study_tz", name, sizeof name) != VG_OK)
        snprintf(name, sizeof name, "UTC");
    return vg_tz_get(name, d);
}

enum vg_err vg_store_taxonomy(struct vg_store *s, const char *seed_path,
                              struct vg_taxonomy *out, struct vg_diag *d)
{
    struct vg_taxonomy file;
    memset(&file, 0, sizeof file);
    enum vg_err e = s->ops->categories(s, out, d);
    if (e || seed_path == NULL)
        return e;
    e = vg_taxonomy_load(seed_path, &file, d);
    if (e)
        goto out;
    /* append codes the store does not know yet; existing indices never move */
    int added = 0;
    for (size_t i = 0; i < file.n && e == VG_OK; i++) {
        int32_t have = vg_taxonomy_find(out, file.cat[i].code, strlen(file.cat[i].code));
        if (have >= 0) { /* reasons are not stored: the file's text is used */
            memcpy(out->cat[have].police_reason, file.cat[i].police_reason,
                   sizeof file.cat[i].police_reason);
            continue;
        }
        if (!s->in_tx && !added) {
            e = vg_store_begin(s, d);
            added = 1;
        }
        if (e == VG_OK)
            e = s->ops->category_add(s, (int32_t)out->n, &file.cat[i], d);
        if (e == VG_OK)
            e = vg_taxonomy_add(out, &file.cat[i]);
    }
    if (added) {
        if (e == VG_OK)
            e = vg_store_commit(s, d);
        else
            vg_store_rollback(s);
    }
out:
    vg_taxonomy_free(&file);
    if (e)
        vg_taxonomy_free(out);
    return e;
}

enum vg_err vg_store_events(struct vg_store *s, const struct vg_event_filter *f,
                            struct vg_events *out, struct vg_diag *d)
{
    enum vg_err e = s->ops->events_load(s, f, out, d);
    if (e == VG_OK)
        e = vg_events_sort(out);
    return e;
}

double vg_weather_at(const double *col, const struct vg_weather *w, int64_t day)
{
    if (col == NULL || w == NULL || day < w->day0 || day >= w->day0 + (int64_t)w->ndays)
        return NAN;
    return col[day - w->day0];
}

void vg_weather_free(struct vg_weather *w)
{
    if (w == NULL)
        return;
    vg_free(w->tmax_c);
    vg_free(w->tmin_c);
    vg_free(w->prcp_mm);
    vg_free(w->snow_mm);
    vg_free(w->wind_ms);
    memset(w, 0, sizeof *w);
}
