/*
 * vretain.h — retention: recordings are destroyed when older than their
 * camera's retention (at most one month), unless a legal hold covers them.
 * The clock is a parameter so tests (and `vigie video purge --now`) can
 * inject it.
 */
#ifndef VG_VRETAIN_H
#define VG_VRETAIN_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Destroy every segment whose end is older than its camera's retention at
 * now_ms and that no active hold covers: unlink the file, mark the row
 * deleted, write a 'destroyed' register row.  A file already missing is
 * still marked (and said so on stderr).  dry_run: count only.
 * *destroyed and *held (expired but kept by a hold) are set. */
enum vg_err vg_vretain_purge(sqlite3 *db, int64_t now_ms, int dry_run,
                             size_t *destroyed, size_t *held,
                             struct vg_diag *d);

#endif
