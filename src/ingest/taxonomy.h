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
    char police_reason[200]; /* why (6th column of the file), "" if not given */
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
/* Default reason given for a police-activity category without its own. */
#define VG_TAXONOMY_POLICE_REASON                                              \
    "recorded counts mostly measure police activity (found on patrol, stop or " \
    "search), not how often it happens"

/* 1 if category `cat` mostly measures police activity, with *reason (may
 * be NULL) set to its reason text (or VG_TAXONOMY_POLICE_REASON; borrowed
 * from `t`); 0 otherwise or for an index out of range (*reason = NULL). */
int vg_taxonomy_police_activity(const struct vg_taxonomy *t, int32_t cat,
                                const char **reason);
enum vg_err vg_taxonomy_add(struct vg_taxonomy *t, const struct vg_category *c);
void vg_taxonomy_free(struct vg_taxonomy *t);

#endif
