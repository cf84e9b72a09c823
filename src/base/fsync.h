/*
 * fsync.h — making a file, or a rename in a directory, durable.
 */
#ifndef VG_FSYNC_H
#define VG_FSYNC_H

#include "base/err.h"

/* fsync the file at `path` (opened read-only for it). */
enum vg_err vg_fsync_file(const char *path, struct vg_diag *d);
/* fsync the directory holding `path` ("." when it has no '/'), so that a
 * rename or creation of `path` survives a crash. */
enum vg_err vg_fsync_parent(const char *path, struct vg_diag *d);

#endif
