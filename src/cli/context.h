/*
 * context.h — what most commands need: the installation's home (for
 * config/ and profiles/), the opened store, its taxonomy and study zone.
 * The context owns everything it opened; vg_ctx_close releases it.
 */
#ifndef VG_CONTEXT_H
#define VG_CONTEXT_H

#include "base/tz.h"
#include "ingest/taxonomy.h"
#include "store/store.h"

struct vg_ctx {
    char home[512];   /* folder holding config/ and profiles/ */
    struct vg_store *store;
    struct vg_taxonomy tax;
    const struct vg_tz *tz; /* study zone (meta study_tz), UTC if unset */
    char crs[64];           /* study CRS (meta study_crs), "" if unset */
    char layer[64];         /* default area layer, "" if none */
};

/* Open `db` (creating it if `create`), seed/refresh the taxonomy. */
enum vg_err vg_ctx_open(struct vg_ctx *c, const char *db, int create,
                        struct vg_diag *d);
/* Path of a file under home: vg_ctx_path(c, "config/taxonomy.tsv"). */
const char *vg_ctx_path(const struct vg_ctx *c, const char *rel, char *out,
                        size_t cap);
void vg_ctx_close(struct vg_ctx *c);
/* True when stderr is a terminal (progress display). */
int vg_ctx_tty(void);

#endif
