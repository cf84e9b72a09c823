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

/* "YYYY-MM-DD" (start of that UTC day, or of the next one when `end`) or
 * "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC) into *out; VG_USAGE naming --opt. */
enum vg_err vg_acct_when(const char *opt, const char *s, int end, int64_t *out,
                         struct vg_diag *d);
/* Option --opt parsed with vg_acct_when, `def` when absent. */
enum vg_err vg_acct_when_opt(const struct vg_args *a, const char *opt, int end,
                             int64_t def, int64_t *out, struct vg_diag *d);
/* "YYYY-MM-DDTHH:MM:SSZ" into out[32]; returns out. */
const char *vg_acct_iso(int64_t t, char out[32]);
/* The acting user: --user, else $USER, else "cli". */
const char *vg_acct_user(const struct vg_args *a);

#endif
