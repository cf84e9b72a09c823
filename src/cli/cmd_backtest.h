/*
 * cmd_backtest.h — `vigie backtest`, split so the command is a thin layer:
 *   vigie backtest --db DB --models M1,M2:k=v:k=v,... --from D --to D
 *     --shift S --category C [--units grid:150|areas:LAYER]
 *     [--coverage 1,2,5,10,20] [--primary 5] [--nij-km2 A]
 *     [--refit daily|weekly|monthly] [--format table|json|html]
 *     [--out FILE] [--threads N] [--seed N] [--gate]
 * vg_backtest_opts_parse reads the options; the store part (open --db, load
 * the events of --category and the --units) is the caller's; then
 * vg_backtest_exec runs the backtest on what was loaded and writes the
 * output.  With --gate, --from/--to default to the held-out period (the
 * last 6 months of data) and a verdict line is printed per model.
 * All strings are borrowed from argv.
 */
#ifndef VG_CMD_BACKTEST_H
#define VG_CMD_BACKTEST_H

#include <stdio.h>

#include "base/tz.h"
#include "base/buf.h"
#include "cli/args.h"
#include "cli/context.h"
#include "geo/units.h"
#include "eval/backtest.h"
#include "eval/gate.h"

struct vg_backtest_opts {
    const char *db, *models, *from, *to, *shift, *category, *units;
    const char *format, *out;
    struct vg_backtest_config cfg; /* coverage, primary, nij, refit, threads, seed */
    int gate;
    /* With gate set: when non-NULL, receives the verdict of the first
     * non-baseline model (left untouched when there is none). */
    struct vg_gate_verdict *verdict;
    /* When non-NULL, the HTML report (with the verdict) is also rendered
     * here, whatever --format says (the gate stores it for the UI). */
    struct vg_buf *html;
};

enum vg_err vg_backtest_opts_parse(int argc, char **argv,
                                   struct vg_backtest_opts *o,
                                   struct vg_diag *d);

/* Nightly windows: shift `shift` ("night", "HH:MM-HH:MM") starting on every
 * local date from..to inclusive ("YYYY-MM-DD") in `tz`.  *win is allocated
 * (vg_free).  Fails with VG_USAGE on bad dates or from > to, VG_LIMIT past
 * VG_BT_MAX_WINDOWS. */
enum vg_err vg_backtest_windows(const struct vg_tz *tz, const char *shift,
                                const char *from, const char *to,
                                struct vg_bt_window **win, size_t *n,
                                struct vg_diag *d);

/* What a backtest or a parameter search reads from the store: the context,
 * the events of the selected categories, the units and the weather.
 * vg_bt_data_open fills `b` (freeable with vg_bt_data_close on failure
 * too); close accepts a zeroed struct. */
struct vg_bt_data {
    struct vg_ctx ctx;
    int open;
    int32_t cats[64];
    size_t ncats;
    struct vg_units units;
    struct vg_areas *areas;
    struct vg_proj *to_ll;
    struct vg_events all;
    struct vg_weather weather;
};
enum vg_err vg_bt_data_open(struct vg_bt_data *b, const char *db, const char *category,
                            const char *units, struct vg_diag *d);
void vg_bt_data_close(struct vg_bt_data *b);

/* Open the store of o->db, load the events of o->category and the units,
 * then vg_backtest_exec: the whole `vigie backtest` after parsing. */
enum vg_err vg_backtest_cmd_run(const struct vg_backtest_opts *o, struct vg_diag *d);

/* Run and write.  `all` holds the loaded events (sorted), `cats` the
 * category ids of --category, `u` the units; weather/cal may be NULL. */
enum vg_err vg_backtest_exec(const struct vg_backtest_opts *o,
                             const struct vg_events *all, const int32_t *cats,
                             size_t ncats, const struct vg_units *u,
                             const struct vg_tz *tz,
                             const struct vg_weather *weather,
                             const struct vg_calendar *cal, struct vg_diag *d);

#endif
