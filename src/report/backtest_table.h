/*
 * backtest_table.h — the backtest result as a fixed-width text table for a
 * terminal: one row per model (baselines marked *), hit rate, PAI and PEI
 * at every coverage, Brier, log-lik, stability at the primary coverage and
 * the PAI difference with the best baseline and its CI; then the fit and
 * predict times (which vary between runs, unlike the JSON).
 */
#ifndef VG_BACKTEST_TABLE_H
#define VG_BACKTEST_TABLE_H

#include "base/buf.h"
#include "eval/backtest.h"

enum vg_err vg_backtest_table(const struct vg_backtest_result *r,
                              struct vg_buf *b);

#endif
