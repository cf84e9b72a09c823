/*
 * backtest_html.h — one self-contained HTML page (no scripts, no fonts, no
 * network) presenting a backtest to a municipal council: a plain-language
 * summary first, then the metric tables, the hit-rate-vs-area curves and
 * calibration plots as inline SVG, and small SVG maps of the places the
 * best model and the best baseline flagged for the last night.
 */
#ifndef VG_BACKTEST_HTML_H
#define VG_BACKTEST_HTML_H

#include "base/buf.h"
#include "eval/backtest.h"
#include "eval/gate.h"

struct vg_html_opts {
    const char *title;    /* NULL: "Forecast backtest" */
    const char *what;     /* what was forecast, e.g. "aggravated assaults" */
    const char *place;    /* e.g. "Chicago" */
    const char *shift;    /* e.g. "night shift 20:00-03:30" */
    const struct vg_gate_verdict *gate; /* may be NULL */
};

/* Append the page to `b`.  Only the first failing append's status is
 * returned.  The page is a pure function of its inputs. */
enum vg_err vg_backtest_html(const struct vg_backtest_result *r,
                             const struct vg_html_opts *o, struct vg_buf *b);

#endif
