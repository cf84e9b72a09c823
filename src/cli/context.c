/*
 * context.c — locating the installation and opening the store.
 * Home is $VIGIE_HOME, else the folder above the executable's build/
 * directory (build/vigie or build/san/vigie), else the current directory.
 */
#include "cli/context.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void find_home(char *out, size_t cap)
{
    const char *env = getenv("VIGIE_HOME");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (slash == NULL)
                break;
            *slash = '\0';
            char probe[PATH_MAX + 32];
            snprintf(probe, sizeof probe, "%s/config/taxonomy.tsv", exe);
            if (access(probe, R_OK) == 0) {
                snprintf(out, cap, "%s", exe);
                return;
            }
        }
    }
    snprintf(out, cap, ".");
}

const char *vg_ctx_path(const struct vg_ctx *c, const char *rel, char *out,
                        size_t cap)
{
    snprintf(out, cap, "%s/%s", c->home, rel);
    return out;
}

int vg_ctx_tty(void) { return isatty(2); }

enum vg_err vg_ctx_open(struct vg_ctx *c, const char *db, int create,
                        struct vg_diag *d)
{
    memset(c, 0, sizeof *c);
    find_home(c->home, sizeof c->home);
    enum vg_err e = vg_store_open(db, create, &c->store, d);
    if (e)
        return e;
    char seed[600];
    e = vg_store_taxonomy(c->store, vg_ctx_path(c, "config/taxonomy.tsv", seed, sizeof seed),
                          &c->tax, d);
    if (e) {
        vg_ctx_close(c);
        return e;
    }
    c->tz = vg_store_zone(c->store, d);
    if (c->tz == NULL) {
        vg_ctx_close(c);
        return VG_PARSE;
    }
    if (vg_store_meta_get(c->store, "study_crs", c->crs, sizeof c->crs) != VG_OK)
        c->crs[0] = '\0';
    if (vg_store_meta_get(c->store, "default_layer", c->layer, sizeof c->layer) != VG_OK)
        c->layer[0] = '\0';
    return VG_OK;
}

void vg_ctx_close(struct vg_ctx *c)
{
    if (c == NULL)
        return;
    vg_store_close(c->store);
    c->store = NULL;
    vg_taxonomy_free(&c->tax);
}
