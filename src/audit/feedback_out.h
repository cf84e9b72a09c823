/*
 * feedback_out.h — table, JSON and SVG writers of `vigie audit feedback`.
 * All borrow their inputs and append to a caller-owned buffer.
 *
 * JSON shape: {"model","units","patrols","report_rate","discover_rate",
 * "dosage_days","seed","runs":[{"correction":"none"|"ensign",
 * "total":{top1,gini,cells,tv_patrol,captured,reported,discovered,kept},
 * "days":[{"date":"YYYY-MM-DD","stats":{top1,gini,cells,tv_obs,tv_patrol,
 * captured,reported,discovered,kept}}]}]}; day stats are over the rolling
 * window of dosage_days ending that day (see feedback.h).
 */
#ifndef VG_FEEDBACK_OUT_H
#define VG_FEEDBACK_OUT_H

#include "audit/feedback.h"
#include "base/buf.h"

#define VG_FB_MAX_RUNS 4

struct vg_fb_out {
    const char *model;
    size_t nunits, patrols;
    double report_rate, discover_rate;
    int dosage_days;
    uint64_t seed;
    const struct vg_tz *tz;
    const struct vg_window *days;
    size_t ndays;
    const struct vg_fb_result *run[VG_FB_MAX_RUNS];
    const char *name[VG_FB_MAX_RUNS];
    size_t nruns;
};

enum vg_err vg_fb_table(const struct vg_fb_out *o, struct vg_buf *b);
enum vg_err vg_fb_json(const struct vg_fb_out *o, struct vg_buf *b);
enum vg_err vg_fb_svg(const struct vg_fb_out *o, struct vg_buf *b);

#endif
