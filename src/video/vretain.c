/*
 * vretain.c — the retention purge.  Invariant: a segment row is marked
 * deleted only after its file is gone (unlinked now, or already missing),
 * and every destruction leaves a register row; rows are never removed, so
 * the register always says what was recorded and when it was destroyed.
 * Owns only the temporary list of expired segments.
 */
#include "video/vretain.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "video/vstore.h"
#include "video/vutil.h"

enum vg_err vg_vretain_purge(sqlite3 *db, int64_t now_ms, int dry_run,
                             size_t *destroyed, size_t *held,
                             struct vg_diag *d)
{
    struct vg_vseg *v = NULL;
    size_t n = 0;
    *destroyed = 0;
    enum vg_err e = vg_vstore_seg_expired(db, now_ms, &v, &n, held, d);
    if (e != VG_OK || dry_run) {
        if (e == VG_OK)
            *destroyed = n;
        goto out;
    }
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        if (unlink(v[i].path) != 0) {
            if (errno != ENOENT) {
                e = vg_fail(d, VG_IO, v[i].path, 0, 0, "cannot delete: %s",
                            strerror(errno));
                break;
            }
            fprintf(stderr, "purge: %s was already missing\n", v[i].path);
        }
        char thumb[sizeof v[i].path];
        vg_vutil_thumb_path(v[i].path, thumb, sizeof thumb);
        if (unlink(thumb) != 0 && errno != ENOENT) {
            e = vg_fail(d, VG_IO, thumb, 0, 0, "cannot delete: %s",
                        strerror(errno));
            break;
        }
        e = vg_vstore_seg_destroyed(db, &v[i], now_ms, d);
        if (e == VG_OK)
            (*destroyed)++;
    }
out:
    vg_free(v);
    return e;
}
