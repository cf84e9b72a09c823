/*
 * acct.h — small helpers shared by the accountability commands
 * (cmd_retain.c, cmd_export.c, cmd_publish.c, cmd_report.c, replay).
 * Nothing here allocates.
 */
#ifndef VG_ACCT_H
#define VG_ACCT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "cli/args.h"

struct vg_tz;

/* "YYYY-MM-DD" — the start of that day, or of the next one when `end` —
 * or "YYYY-MM-DDTHH:MM[:SS]" as local time in `tz` (a day starts at its
 * first instant; a clock time that a DST change makes ambiguous or absent
 * is refused), or "YYYY-MM-DDTHH:MM[:SS]Z" in UTC, into *out (UTC
 * seconds).  tz NULL: everything is UTC.  VG_USAGE naming --opt. */
enum vg_err vg_acct_when(const char *opt, const char *s, int end, const struct vg_tz *tz,
                         int64_t *out, struct vg_diag *d);
/* Option --opt parsed with vg_acct_when, `def` when absent. */
enum vg_err vg_acct_when_opt(const struct vg_args *a, const char *opt, int end,
                             int64_t def, const struct vg_tz *tz, int64_t *out,
                             struct vg_diag *d);
/* Local calendar date "YYYY-MM-DD" of instant t in tz (tz NULL: UTC ISO
 * time) into out[32]; returns out. */
const char *vg_acct_day(const struct vg_tz *tz, int64_t t, char out[32]);
/* "YYYY-MM-DDTHH:MM:SSZ" into out[32]; returns out. */
const char *vg_acct_iso(int64_t t, char out[32]);
/* The acting user: --user, else $USER, else "cli". */
const char *vg_acct_user(const struct vg_args *a);

#endif
