/*
 * audit_report.h — `vigie audit report`: one self-contained HTML file for
 * an ethics committee (no network access needed or made: inline CSS, inline
 * SVG charts, no scripts, no external links).  Sections, plain language
 * first:
 *   1. summary: period, integrity of the trail, counts, holds, overdue data;
 *   2. who looked at what: records per user and action, activity per day;
 *   3. what the forecasts said: every forecast record, with replay results;
 *   4. how the models performed: the publication-gate evidence stored in
 *      meta "gate:MODEL:CATEGORIES:SHIFT" (or "gate:MODEL:CATEGORIES") for
 *      each model/category/shift forecast, or "none recorded";
 *   5. retention compliance: policy, oldest record per type, records past
 *      retention (held / overdue), legal holds, purges done;
 *   6. fairness: see the integration point below;
 *   7. exports and publications (requester, reason, file hash).
 *
 * Fairness integration point.  The fairness audit (another module, `vigie
 * audit fairness --format json`) is shown in section 6 by one of, in order:
 *   - opts->fairness_fn, if set: it appends an HTML fragment;
 *   - the JSON file opts->fairness_json, or else "DB.fairness.json" beside
 *     the store if it exists, rendered generically: every array of objects
 *     becomes a table (keys as columns), scalars become a definition list;
 *   - otherwise the section says that no fairness audit was supplied.
 * Memory: the caller owns `out`; everything else is freed before return.
 */
#ifndef VG_AUDIT_REPORT_H
#define VG_AUDIT_REPORT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/* Appends an HTML fragment (already escaped) to `html`. */
typedef enum vg_err (*vg_areport_section_fn)(void *ctx, struct vg_buf *html,
                                             struct vg_diag *d);

struct vg_tz;

struct vg_areport_opts {
    const char *db;            /* store path: the trail is db + ".audit" */
    int64_t from, to;          /* period [from, to), UTC seconds (the CLI gives
                                  the town's local days) */
    const struct vg_tz *tz;    /* zone of the dates and times shown and of the
                                  activity per day; NULL = UTC */
    int64_t now;               /* instant for retention checks */
    const char *fairness_json; /* NULL = db + ".fairness.json" if present */
    vg_areport_section_fn fairness_fn; /* overrides the JSON file */
    void *fairness_ctx;
};

/* Counts the report states, for callers and tests. */
struct vg_areport_stats {
    int64_t records;        /* audit records in the period (signatures excluded) */
    int64_t forecasts, exports, purges, users;
    int intact;             /* 1 if vg_audit_verify found no fault */
};

/* Write the report of store `s` under `o` into `out`. */
enum vg_err vg_areport_html(struct vg_store *s, const struct vg_areport_opts *o,
                            struct vg_buf *out, struct vg_areport_stats *st,
                            struct vg_diag *d);

/* Render any JSON text as HTML (arrays of objects → tables); used for the
 * fairness section and exposed for tests. */
enum vg_err vg_areport_json_html(const char *json, size_t len, struct vg_buf *html);

#endif
