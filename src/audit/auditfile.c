/*
 * auditfile.c — the file back end of the audit trail and the key files.
 *
 * The trail is one file opened O_APPEND; each record is one write() of a
 * whole line, so concurrent appenders never interleave bytes.  Writers take
 * flock(LOCK_EX) on the trail's descriptor around "read the tail, append";
 * flock locks belong to the open file description, so two handles in one
 * process exclude each other as two processes do.  The signed-head anchor
 * "PATH.head" is replaced by rename() of a fsync'ed temporary.
 *
 * Retention cut (f_cut): the checkpoint "PATH.base" is replaced first, then
 * the kept lines are copied to "PATH.cut", which is locked before anyone
 * can see it, fsync'ed and renamed over PATH.  A handle holding the old
 * file notices at its next lock (its descriptor's inode is no longer the
 * path's) and re-opens the path; `gen` counts such re-opens so that the
 * version token changes even if the new file happens to have the old size.
 * Memory: the back end owns its path strings; freed by its close().
 */
#include "audit/audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/fsync.h"
#include "base/buf.h"

struct afile {
    int fd;          /* -1 when read-only and the trail does not exist */
    int read_only;
    uint64_t gen;    /* re-opens after a cut (part of the version token) */
    char *path, *head_path, *base_path;
};

static enum vg_err io_fail(struct vg_diag *d, const char *path, const char *what)
{
    return vg_fail(d, VG_IO, path, 0, 0, "%s: %s", what, strerror(errno));
}

static int open_trail(const char *path, int read_only)
{
    return read_only ? open(path, O_RDONLY | O_CLOEXEC)
                     : open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

static enum vg_err lock_fd(struct afile *f, int fd, struct vg_diag *d)
{
    while (flock(fd, LOCK_EX) != 0)
        if (errno != EINTR)
            return io_fail(d, f->path, "cannot lock the audit trail");
    return VG_OK;
}

/* Lock; if the path now names another file (a retention cut replaced it
 * while we waited), move to that file and lock it instead. */
static enum vg_err f_lock(void *self, struct vg_diag *d)
{
    struct afile *f = self;
    struct stat ps, fs;
    if (f->fd < 0)
        return VG_OK;
    for (;;) {
        enum vg_err e = lock_fd(f, f->fd, d);
        if (e != VG_OK)
            return e;
        int named = stat(f->path, &ps) == 0;
        if ((!named && errno != ENOENT) || fstat(f->fd, &fs) != 0) {
            flock(f->fd, LOCK_UN);
            return io_fail(d, f->path, "cannot stat the audit trail");
        }
        /* (a trail removed by hand: keep the one we have) */
        if (!named || (ps.st_ino == fs.st_ino && ps.st_dev == fs.st_dev))
            return VG_OK;
        int nfd = open_trail(f->path, f->read_only);
        flock(f->fd, LOCK_UN);
        if (nfd < 0)
            return io_fail(d, f->path, "cannot re-open the audit trail after a cut");
        close(f->fd);
        f->fd = nfd;
        f->gen++;
    }
}

static void f_unlock(void *self)
{
    struct afile *f = self;
    if (f->fd >= 0)
        flock(f->fd, LOCK_UN);
}

static enum vg_err f_size(struct afile *f, uint64_t *out, struct vg_diag *d)
{
    struct stat st;
    *out = 0;
    if (f->fd < 0)
        return VG_OK;
    if (fstat(f->fd, &st) != 0)
        return io_fail(d, f->path, "fstat");
    *out = (uint64_t)st.st_size;
    return VG_OK;
}

static enum vg_err f_version(void *self, uint64_t *out, struct vg_diag *d)
{
    struct afile *f = self;
    enum vg_err e = f_size(f, out, d);
    *out ^= f->gen << 48;
    return e;
}

static enum vg_err f_last_line(void *self, char *buf, size_t *len,
                               struct vg_diag *d)
{
    struct afile *f = self;
    uint64_t size;
    enum vg_err e = f_size(f, &size, d);
    *len = 0;
    if (e != VG_OK || size == 0)
        return e;
    size_t want = size < VG_AUDIT_LINE_MAX ? (size_t)size : VG_AUDIT_LINE_MAX;
    off_t off = (off_t)(size - want);
    ssize_t got = pread(f->fd, buf, want, off);
    if (got != (ssize_t)want)
        return io_fail(d, f->path, "cannot read the last record");
    /* the line starts after the last '\n' that is not the final byte */
    size_t end = want - 1, start = 0;
    int found = 0;
    for (size_t i = end; i-- > 0;)
        if (buf[i] == '\n') {
            start = i + 1;
            found = 1;
            break;
        }
    if (!found && off > 0)
        return vg_fail(d, VG_INTEGRITY, f->path, 0, 0,
                       "last record is longer than %d bytes", VG_AUDIT_LINE_MAX);
    memmove(buf, buf + start, want - start);
    *len = want - start;
    return VG_OK;
}

static enum vg_err f_append(void *self, const char *line, size_t len,
                            struct vg_diag *d)
{
    struct afile *f = self;
    ssize_t n;
    do
        n = write(f->fd, line, len);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)len) {
        if (n >= 0)
            errno = ENOSPC;
        return io_fail(d, f->path, "cannot append to the audit trail");
    }
    return VG_OK;
}

static enum vg_err f_sync(void *self, struct vg_diag *d)
{
    struct afile *f = self;
    if (f->fd >= 0 && fdatasync(f->fd) != 0)
        return io_fail(d, f->path, "fdatasync");
    return VG_OK;
}

/* Lines in order; a final line without '\n' (or one longer than the limit)
 * is passed as it is so that the caller reports it. */
static enum vg_err f_scan(void *self,
                         int (*cb)(void *, const char *, size_t, uint64_t),
                         void *ctx, struct vg_diag *d)
{
    struct afile *f = self;
    enum vg_err e = VG_OK;
    size_t cap = 2 * (size_t)VG_AUDIT_LINE_MAX, have = 0;
    uint64_t base = 0; /* file offset of buf[0] */
    char *buf = NULL;
    if (f->fd < 0)
        goto out;
    if ((buf = vg_malloc(cap)) == NULL) {
        e = vg_fail(d, VG_NOMEM, f->path, 0, 0, "no memory to scan");
        goto out;
    }
    for (int eof = 0, stop = 0; !stop;) {
        if (!eof) {
            ssize_t n = pread(f->fd, buf + have, cap - have, (off_t)(base + have));
            if (n < 0) {
                e = io_fail(d, f->path, "read");
                goto out;
            }
            eof = n == 0;
            have += (size_t)n;
        }
        size_t pos = 0;
        while (!stop && pos < have) {
            char *nl = memchr(buf + pos, '\n', have - pos);
            size_t len = nl ? (size_t)(nl - (buf + pos)) + 1 : have - pos;
            if (nl == NULL && !eof && len <= VG_AUDIT_LINE_MAX)
                break;  /* need more bytes */
            if (len > VG_AUDIT_LINE_MAX)
                len = VG_AUDIT_LINE_MAX, stop = 1;  /* reported as truncated */
            stop |= cb(ctx, buf + pos, len, base + pos) != 0;
            pos += len;
        }
        memmove(buf, buf + pos, have - pos);
        have -= pos;
        base += pos;
        if (eof && have == 0)
            break;
    }
out:
    vg_free(buf);
    return e;
}

/* Replace a small file atomically (fsync'ed temporary renamed over it). */
static enum vg_err replace_small(const char *path, const char *text,
                                 const char *what, struct vg_diag *d)
{
    char tmp[4200];
    enum vg_err e = VG_OK;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
        e = vg_fail(d, VG_IO, tmp, 0, 0, "cannot write the %s: %s", what, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0)
        e = vg_fail(d, VG_IO, path, 0, 0, "cannot replace the %s: %s", what, strerror(errno));
out:
    if (fd >= 0)
        close(fd);
    return e;
}

/* A small file's text into buf ("" when it does not exist). */
static enum vg_err read_small(const char *path, char *buf, size_t cap, struct vg_diag *d)
{
    buf[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? VG_OK : io_fail(d, path, "cannot open");
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0)
        return io_fail(d, path, "cannot read");
    buf[n] = '\0';
    return VG_OK;
}

static enum vg_err f_put_head(void *self, const char *text, struct vg_diag *d)
{
    return replace_small(((struct afile *)self)->head_path, text, "signed head", d);
}

static enum vg_err f_get_head(void *self, char *buf, size_t cap,
                              struct vg_diag *d)
{
    return read_small(((struct afile *)self)->head_path, buf, cap, d);
}

static enum vg_err f_get_base(void *self, char *buf, size_t cap,
                              struct vg_diag *d)
{
    return read_small(((struct afile *)self)->base_path, buf, cap, d);
}

/* Copy bytes [from, end of f->fd) to fd `to`. */
static enum vg_err copy_tail(struct afile *f, uint64_t from, int to, const char *tmp,
                             struct vg_diag *d)
{
    char buf[1 << 16];
    for (;;) {
        ssize_t n = pread(f->fd, buf, sizeof buf, (off_t)from);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_fail(d, f->path, "cannot read the trail to cut it");
        if (n == 0)
            return VG_OK;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(to, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return io_fail(d, tmp, "cannot write the cut trail");
            done += w;
        }
        from += (uint64_t)n;
    }
}

static enum vg_err f_cut(void *self, const char *base_text, uint64_t keep_from,
                         struct vg_diag *d)
{
    struct afile *f = self;
    char tmp[4200];
    if (f->fd < 0 || f->read_only)
        return vg_fail(d, VG_STATE, f->path, 0, 0, "audit trail opened read-only");
    enum vg_err e = replace_small(f->base_path, base_text, "retention checkpoint", d);
    if (e == VG_OK)
        e = vg_fsync_parent(f->base_path, d);
    if (e != VG_OK)
        return e;
    snprintf(tmp, sizeof tmp, "%s.cut", f->path);
    int fd = open(tmp, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_fail(d, tmp, "cannot create the cut trail");
    /* locked before the rename makes it visible: re-openers wait on it */
    e = lock_fd(f, fd, d);
    if (e == VG_OK)
        e = copy_tail(f, keep_from, fd, tmp, d);
    if (e == VG_OK && fsync(fd) != 0)
        e = io_fail(d, tmp, "fsync");
    if (e == VG_OK && rename(tmp, f->path) != 0)
        e = io_fail(d, f->path, "cannot replace the trail by its cut");
    if (e != VG_OK) {
        unlink(tmp);
        close(fd);
        return e;
    }
    e = vg_fsync_parent(f->path, d);
    /* release the old file's lock explicitly (a forked child may share the
     * descriptor), so that its waiters wake and re-open the path */
    flock(f->fd, LOCK_UN);
    close(f->fd);
    f->fd = fd;
    f->gen++;
    return e;
}

static void f_close(void *self)
{
    struct afile *f = self;
    if (f == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    vg_free(f->path);
    vg_free(f->head_path);
    vg_free(f->base_path);
    vg_free(f);
}

const struct vg_audit_backend_ops audit__file_ops = {
    "file",   f_lock, f_unlock,   f_last_line, f_version, f_append,
    f_sync,   f_scan, f_put_head, f_get_head,  f_close,   f_get_base,
    f_cut,
};

enum vg_err audit__file_new(const char *path, int read_only, void **out,
                            struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    struct afile *f = vg_calloc(1, sizeof *f);
    char hp[4200], bp[4200];
    *out = NULL;
    if (f == NULL || snprintf(hp, sizeof hp, "%s.head", path) >= (int)sizeof hp ||
        snprintf(bp, sizeof bp, "%s.base", path) >= (int)sizeof bp ||
        (f->path = vg_strdup(path)) == NULL ||
        (f->head_path = vg_strdup(hp)) == NULL || (f->base_path = vg_strdup(bp)) == NULL) {
        e = vg_fail(d, VG_NOMEM, path, 0, 0, "no memory or path too long");
        goto out;
    }
    f->read_only = read_only;
    f->fd = open_trail(path, read_only);
    if (f->fd < 0 && !(read_only && errno == ENOENT))
        e = io_fail(d, path, "cannot open the audit trail");
out:
    if (e != VG_OK)
        f_close(f);
    else
        *out = f;
    return e;
}

/* ---- key files ---- */

static enum vg_err read_hex_file(const char *path, unsigned char *out,
                                 size_t n, int secret, struct vg_diag *d)
{
    char txt[260] = {0};
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? VG_NOTFOUND
                               : io_fail(d, path, "cannot open the key");
    ssize_t got = read(fd, txt, sizeof txt - 1);
    int bad_mode = fstat(fd, &st) == 0 && secret && (st.st_mode & 077);
    close(fd);
    if (bad_mode)
        return vg_fail(d, VG_INTEGRITY, path, 0, 0,
                       "secret key is accessible to others (mode %04o); "
                       "expected 0600", (unsigned)(st.st_mode & 07777));
    if (got > 0 && txt[got - 1] == '\n')
        txt[got - 1] = '\0';
    if (got < 0 || audit__unhex(txt, out, n) != 0)
        return vg_fail(d, VG_PARSE, path, 1, 0,
                       "expected %zu lowercase hex digits", 2 * n);
    return VG_OK;
}

/* Write `text` to `path` only if it does not exist (link of a temporary),
 * so that concurrent first opens agree on one key.  VG_EXISTS if it does. */
static enum vg_err create_exclusive(const char *path, const char *text,
                                    struct vg_diag *d)
{
    char tmp[4200];
    enum vg_err e = VG_OK;
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);  /* mode 0600 */
    size_t len = strlen(text);
    if (fd < 0)
        return io_fail(d, path, "cannot create the key file");
    if (fchmod(fd, 0600) != 0 || write(fd, text, len) != (ssize_t)len ||
        fsync(fd) != 0)
        e = io_fail(d, tmp, "cannot write the key file");
    else if (link(tmp, path) != 0)
        e = errno == EEXIST ? VG_EXISTS : io_fail(d, path, "cannot link the key");
    close(fd);
    unlink(tmp);
    return e;
}

enum vg_err audit__load_pub(const char *key_base, unsigned char pk[32],
                            struct vg_diag *d)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.pub", key_base);
    enum vg_err e = read_hex_file(path, pk, 32, 0, d);
    if (e == VG_NOTFOUND)
        vg_fail(d, e, path, 0, 0, "public key of the audit trail not found");
    return e;
}

enum vg_err audit__load_keys(const char *key_base, int create,
                             unsigned char pk[32], unsigned char sk[64],
                             struct vg_diag *d)
{
    char kp[4200], pp[4200], txt[260];
    snprintf(kp, sizeof kp, "%s.key", key_base);
    snprintf(pp, sizeof pp, "%s.pub", key_base);
    enum vg_err e = read_hex_file(kp, sk, 64, 1, d);
    if (e == VG_NOTFOUND && create) {
        unsigned char npk[32], nsk[64];
        crypto_sign_keypair(npk, nsk);
        audit__hex(nsk, 64, txt);
        size_t l = strlen(txt);
        txt[l] = '\n', txt[l + 1] = '\0';
        e = create_exclusive(kp, txt, d);
        sodium_memzero(nsk, sizeof nsk);
        sodium_memzero(txt, sizeof txt);
        if (e == VG_OK || e == VG_EXISTS)
            e = read_hex_file(kp, sk, 64, 1, d);
    }
    if (e != VG_OK)
        return e == VG_NOTFOUND
                   ? vg_fail(d, e, kp, 0, 0, "audit signing key not found")
                   : e;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    /* the public half is derived, so it is always consistent */
    audit__hex(pk, 32, txt);
    size_t l = strlen(txt);
    txt[l] = '\n', txt[l + 1] = '\0';
    e = create_exclusive(pp, txt, d);
    if (e == VG_EXISTS) {
        unsigned char old[32];
        e = read_hex_file(pp, old, 32, 0, d);
        if (e == VG_OK && memcmp(old, pk, 32) != 0)
            e = vg_fail(d, VG_INTEGRITY, pp, 0, 0,
                        "public key does not match the secret key %s", kp);
    }
    return e;
}
