/*
 * import.h — the import pipeline: CSV rows described by a profile become
 * validated incidents (or weather days) in the store.
 *
 * parse → validate → project → assign area → store, in batches, inside ONE
 * transaction per call, so a killed process leaves the store as it was.
 * Every data row ends up imported, duplicate or rejected (N + D + R = rows
 * read); rejected rows go to the rejects file with file, line and reason.
 * Geography is injected through callbacks so ingest does not depend on the
 * geo layer's types.
 */
#ifndef VG_IMPORT_H
#define VG_IMPORT_H

#include <stdio.h>

#include "base/err.h"
#include "base/tz.h"
#include "ingest/profile.h"
#include "ingest/taxonomy.h"
#include "store/store.h"

struct vg_import_geo {
    /* Convert n points from the profile's x/y CRS to lon/lat in place;
     * NULL when the profile has lon/lat columns. */
    enum vg_err (*src_to_lonlat)(void *arg, double *x, double *y, size_t n);
    /* Convert n lon/lat points to study-CRS metres (out arrays). */
    enum vg_err (*to_study)(void *arg, const double *lon, const double *lat,
                            double *x, double *y, size_t n);
    /* Area index of a study-CRS point in the default layer, -1 = none;
     * NULL when no layer is loaded. */
    int32_t (*locate)(void *arg, double x, double y);
    void *arg;
    /* Study area in lon/lat; points outside are rejected. */
    int has_bbox;
    double bbox[4];
};

/* Optional text hook (personal-data scrubbing): rewrites text into `out`;
 * returns 0 to drop the text entirely. */
struct vg_buf;
typedef int (*vg_text_hook)(void *arg, enum vg_source src, const char *in,
                            size_t len, struct vg_buf *out);

struct vg_import_opts {
    struct vg_store *store;
    struct vg_profile *profile;     /* bound to each file's header */
    const struct vg_taxonomy *tax;
    const struct vg_import_geo *geo;
    vg_text_hook text_hook;
    void *text_arg;
    FILE *rejects;                   /* CSV: file,line,reason,record */
    int progress;                    /* print progress to stderr */
    const char *station;             /* weather: station name */
};

/* Import one incident file inside the caller's transaction. */
enum vg_err vg_import_incidents(const struct vg_import_opts *o,
                                const char *file, struct vg_import_counts *c,
                                struct vg_diag *d);
/* Import one weather file (daily rows) inside the caller's transaction. */
enum vg_err vg_import_weather(const struct vg_import_opts *o, const char *file,
                              struct vg_import_counts *c, struct vg_diag *d);
/* Write the header line of a rejects file. */
void vg_import_rejects_header(FILE *f);

#endif
