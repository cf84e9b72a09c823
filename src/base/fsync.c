/*
 * fsync.c — see fsync.h.  No heap.
 */
#include "base/fsync.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum vg_err fsync_path(const char *path, int flags, struct vg_diag *d)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return vg_fail(d, VG_IO, path, 0, 0, "open for fsync: %s", strerror(errno));
    int r = fsync(fd);
    int err = errno;
    close(fd);
    if (r != 0)
        return vg_fail(d, VG_IO, path, 0, 0, "fsync: %s", strerror(err));
    return VG_OK;
}

enum vg_err vg_fsync_file(const char *path, struct vg_diag *d)
{
    return fsync_path(path, O_RDONLY, d);
}

enum vg_err vg_fsync_parent(const char *path, struct vg_diag *d)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return vg_fail(d, VG_LIMIT, path, 0, 0, "path too long");
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    return fsync_path(dir, O_RDONLY | O_DIRECTORY, d);
}
