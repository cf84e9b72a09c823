/*
 * vutil.c — clock, time text, hashing and durable-file helpers for the
 * video modules.  Invariant: a file written through vg_vutil_write_atomic or
 * vg_vutil_copy_file is either absent or complete on disk (data and directory
 * entry fsynced) when the function returns VG_OK.  No heap memory is kept.
 */
#include "video/vutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fsync.h"
#include "base/hex.h"

int64_t vg_vutil_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int read_int(const char **p, int digits, int *out)
{
    int v = 0;
    for (int i = 0; i < digits; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += digits;
    *out = v;
    return 1;
}

static int parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    const char *p = s;
    if (!read_int(&p, 4, &y) || *p++ != '-' || !read_int(&p, 2, &mo) ||
        *p++ != '-' || !read_int(&p, 2, &d))
        return 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!read_int(&p, 2, &h) || *p++ != ':' || !read_int(&p, 2, &mi))
            return 0;
        if (*p == ':') {
            p++;
            if (!read_int(&p, 2, &sec))
                return 0;
            if (*p == '.') {
                p++;
                int scale = 100, n = 0;
                while (*p >= '0' && *p <= '9' && n < 9) {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                    p++, n++;
                }
                if (n == 0)
                    return 0;
            }
        }
    }
    if (*p == 'Z')
        p++;
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 60)
        return 0;
    *ms = ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec) *
              1000 + frac;
    return 1;
}

enum vg_err vg_vutil_parse_time(const char *s, const char *what, int64_t *ms,
                                struct vg_diag *d)
{
    if (s == NULL || *s == '\0')
        return vg_fail(d, VG_USAGE, "", 0, 0, "%s: missing time", what);
    if (strlen(s) > 40)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "%s: time text too long", what);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno == 0 && end != s && *end == '\0' && v >= 0 &&
        v < 100LL * 365 * 86400 * 100) {
        *ms = (int64_t)v * 1000;
        return VG_OK;
    }
    if (parse_iso(s, ms))
        return VG_OK;
    return vg_fail(d, VG_PARSE, "", 0, 0,
                   "%s: \"%s\" is not a UTC time (expected "
                   "2026-11-28T10:00:00Z or seconds since 1970)", what, s);
}

void vg_vutil_fmt_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

void vg_vutil_hex(const uint8_t *p, size_t n, char *out)
{
    vg_hex_encode(p, n, out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum vg_err vg_vutil_unhex(const char *s, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int a = hexval(s[2 * i]);
        int b = a < 0 ? -1 : hexval(s[2 * i + 1]);
        if (a < 0 || b < 0)
            return VG_PARSE;
        p[i] = (uint8_t)(a * 16 + b);
    }
    return s[2 * n] == '\0' || s[2 * n] == '\n' || s[2 * n] == ' ' ? VG_OK
                                                                   : VG_PARSE;
}

enum vg_err vg_vutil_sha256_file(const char *path, char hex[65],
                                 int64_t *size, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    crypto_hash_sha256_state st;
    uint8_t buf[65536], h[crypto_hash_sha256_BYTES];
    int64_t total = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    crypto_hash_sha256_init(&st);
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = vg_fail(d, VG_IO, path, 0, 0, "read: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
        total += r;
    }
    crypto_hash_sha256_final(&st, h);
    vg_vutil_hex(h, sizeof h, hex);
    if (size)
        *size = total;
out:
    close(fd);
    return e;
}

enum vg_err vg_vutil_mkdirs(const char *path, struct vg_diag *d)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return vg_fail(d, VG_LIMIT, path, 0, 0, "path too long");
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0750) != 0 && errno != EEXIST)
                return vg_fail(d, VG_IO, p, 0, 0, "mkdir: %s", strerror(errno));
            *s = c;
            if (c == '\0')
                break;
        }
    }
    return VG_OK;
}

static enum vg_err write_all(int fd, const void *p, size_t n, const char *path,
                             struct vg_diag *d)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return vg_fail(d, VG_IO, path, 0, 0, "write: %s", strerror(errno));
        c += w;
        n -= (size_t)w;
    }
    return VG_OK;
}

enum vg_err vg_vutil_write_atomic(const char *path, const void *p, size_t n,
                                  unsigned mode, struct vg_diag *d)
{
    char tmp[PATH_MAX];
    enum vg_err e = VG_OK;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return vg_fail(d, VG_LIMIT, path, 0, 0, "path too long");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return vg_fail(d, VG_IO, tmp, 0, 0, "create: %s", strerror(errno));
    e = write_all(fd, p, n, tmp, d);
    if (e == VG_OK && fsync(fd) != 0)
        e = vg_fail(d, VG_IO, tmp, 0, 0, "fsync: %s", strerror(errno));
    if (close(fd) != 0 && e == VG_OK)
        e = vg_fail(d, VG_IO, tmp, 0, 0, "close: %s", strerror(errno));
    if (e == VG_OK && rename(tmp, path) != 0)
        e = vg_fail(d, VG_IO, path, 0, 0, "rename: %s", strerror(errno));
    if (e != VG_OK)
        unlink(tmp);
    else
        e = vg_fsync_parent(path, d);
    return e;
}

enum vg_err vg_vutil_copy_file(const char *from, const char *to,
                               struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    uint8_t buf[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
    if (in < 0)
        return vg_fail(d, VG_IO, from, 0, 0, "open: %s", strerror(errno));
    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (out < 0) {
        e = vg_fail(d, VG_IO, to, 0, 0, "create: %s", strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = vg_fail(d, VG_IO, from, 0, 0, "read: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        if ((e = write_all(out, buf, (size_t)r, to, d)) != VG_OK)
            goto out;
    }
    if (fsync(out) != 0)
        e = vg_fail(d, VG_IO, to, 0, 0, "fsync: %s", strerror(errno));
out:
    close(in);
    if (out >= 0 && close(out) != 0 && e == VG_OK)
        e = vg_fail(d, VG_IO, to, 0, 0, "close: %s", strerror(errno));
    return e;
}

int vg_vutil_safe_name(const char *s)
{
    size_t n = 0;
    if (s == NULL || s[0] == '.' || s[0] == '\0')
        return 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return n < 64;
}

void vg_vutil_thumb_path(const char *seg_path, char *out, size_t cap)
{
    size_t n = strlen(seg_path);
    if (n >= 4 && strcmp(seg_path + n - 4, ".mp4") == 0)
        n -= 4;
    snprintf(out, cap, "%.*s.jpg", (int)n, seg_path);
}
