/*
 * replay.h — every forecast `vigie forecast` computes is recorded (audit
 * trail record + stored output vector), and `vigie forecast --replay SEQ`
 * re-computes one from its record and compares it bit for bit.
 *
 * What makes a replay independent of later imports: the record's request
 * carries the largest store id among the events the model could see
 * ("max_event_id"; new rows always get larger ids in the SQLite store) and
 * the number of weather days loaded ("weather.ndays"); the replay ignores
 * everything beyond them (vg_briefing_run_limited).  What the replay checks:
 * the data digest (events the model saw), the weather digest, the window,
 * and the result digest (SHA-256 over the expected counts of every unit,
 * IEEE-754 little-endian).  With the stored vector it names the first cell
 * that differs.
 */
#ifndef VG_REPLAY_H
#define VG_REPLAY_H

#include <stdint.h>

#include "cli/args.h"
#include "report/briefing.h"

struct vg_audit;

/* Who asked for a forecast (strings borrowed; purpose may be NULL). */
struct vg_replay_who {
    const char *user, *role, *purpose;
};

/* Record briefing `b` (run for `q`) in the audit trail and store its output
 * (one store transaction; the record is appended first).  `log` is an open
 * trail (the server's) or NULL to open the trail of `db` for this call.
 * The audit seq goes to *seq.  The CLI passes --user, --role (default
 * "operator") and --purpose; `vigie serve` can call this after
 * vg_briefing_run with its session's user. */
enum vg_err vg_replay_record(struct vg_ctx *ctx, struct vg_audit *log,
                             const char *db, const struct vg_replay_who *who,
                             const struct vg_briefing_req *q,
                             const struct vg_briefing *b, int64_t *seq,
                             struct vg_diag *d);

/* Re-compute audit record `seq` of `db`; prints the verdict on stdout.
 * VG_OK when data and result match bit for bit, VG_INTEGRITY otherwise
 * (first difference named in `d`). */
enum vg_err vg_replay_run(const char *db, int64_t seq, const struct vg_args *a,
                          struct vg_diag *d);

#endif
