/*
 * gate.h — the publication gate.
 *
 * A model may be published (its forecasts shown to patrols) only if, on
 * held-out months (by default the last 6 months of data, never used for
 * fitting choices), it beats the best naive baseline on PAI at the primary
 * coverage and the 95 % block-bootstrap interval of the relative PAI gain
 * excludes zero.  The verdict says why not, and by how much, otherwise it
 * carries the evidence line shown next to every published forecast:
 *   beats the best baseline (NAME) by X % PAI (95 % CI a–b) on PERIOD
 * The verdict is a plain value; nothing is allocated.
 */
#ifndef VG_GATE_H
#define VG_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "eval/backtest.h"

#define VG_GATE_MONTHS 6

struct vg_gate_verdict {
    int publishable;
    size_t model, baseline;  /* indices in the backtest result */
    double cover;            /* primary coverage, % */
    double pai, base_pai;    /* pooled PAI of the model and the baseline */
    double gain, lo, hi;     /* relative PAI gain in %, and its CI */
    char base_name[64];      /* the best baseline's spec, "" if none */
    char evidence[640];      /* set when publishable */
    char reason[640];        /* set when not */
};

/* Held-out period of `months` months ending the night before `last_day`
 * (local date of the last event: its night may be incomplete).
 * *to = last_day - 1, *from = the day after `to` minus `months` months
 * (day clamped to the month's length), e.g. last event 2019-12-31 ->
 * 2019-06-30 + 1 = 2019-07-01 .. 2019-12-30.  Days since 1970-01-01. */
void vg_gate_period(int64_t last_day, int months, int64_t *from,
                    int64_t *to);

/* Decide for model index `m` of a backtest run on the held-out windows.
 * `period` names them in the evidence ("2019-07-01 to 2019-12-30"; NULL =
 * from the result's first and last window dates).  Fails with VG_RANGE if
 * m is out of range; an unpublishable model is not an error. */
enum vg_err vg_gate_decide(const struct vg_backtest_result *r, size_t m,
                           const char *period, struct vg_gate_verdict *v,
                           struct vg_diag *d);

#endif
