/*
 * taxonomy.h — vigie's incident categories (config/taxonomy.tsv).
 * A loaded taxonomy owns its strings; categories are addressed by index
 * (stable for one database: the store keeps the list it was created with
 * and appends new codes) or by code.
 */
#ifndef VG_TAXONOMY_H
#define VG_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct vg_category {
    char code[48];
    char label_fr[96];
    char label_en[96];
    char group[24];
    int police_activity;
};

struct vg_taxonomy {
    size_t n;
    struct vg_category *cat;
};

/* Parse the TSV file; errors name the line.  Codes must be [a-z0-9_]+ and
 * unique. */
enum vg_err vg_taxonomy_load(const char *path, struct vg_taxonomy *out,
                             struct vg_diag *d);
/* Index of `code` (length `len`), or -1. */
int32_t vg_taxonomy_find(const struct vg_taxonomy *t, const char *code,
                         size_t len);
/* Parse "a,b,c" or a group name ("group:property") or "all" into indices. */
enum vg_err vg_taxonomy_select(const struct vg_taxonomy *t, const char *spec,
                               int32_t *out, size_t max, size_t *n,
                               struct vg_diag *d);
enum vg_err vg_taxonomy_add(struct vg_taxonomy *t, const struct vg_category *c);
void vg_taxonomy_free(struct vg_taxonomy *t);

#endif
