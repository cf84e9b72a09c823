/*
 * buf.c — growable NUL-terminated buffers with a hard size limit.
 * Invariant: when b->p != NULL, b->p[b->len] == '\0' and len < cap.
 */
#include "base/buf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define DEFAULT_LIMIT ((size_t)1 << 30)

struct vg_str vg_str_of(const char *cstr)
{
    return (struct vg_str){cstr, cstr ? strlen(cstr) : 0};
}

int vg_str_eq(struct vg_str a, const char *cstr)
{
    size_t n = strlen(cstr);
    return a.len == n && memcmp(a.p, cstr, n) == 0;
}

int vg_str_ieq(struct vg_str a, const char *cstr)
{
    size_t n = strlen(cstr);
    if (a.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a.p[i]) != tolower((unsigned char)cstr[i]))
            return 0;
    return 1;
}

struct vg_str vg_str_trim(struct vg_str s)
{
    while (s.len && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && isspace((unsigned char)s.p[s.len - 1]))
        s.len--;
    return s;
}

void vg_buf_init(struct vg_buf *b, size_t limit)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->limit = limit ? limit : DEFAULT_LIMIT;
}

void vg_buf_free(struct vg_buf *b)
{
    if (b == NULL)
        return;
    vg_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void vg_buf_reset(struct vg_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

enum vg_err vg_buf_reserve(struct vg_buf *b, size_t extra)
{
    if (b->limit == 0)
        b->limit = DEFAULT_LIMIT;
    if (extra > b->limit || b->len > b->limit - extra)
        return VG_LIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return VG_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = vg_realloc(b->p, cap);
    if (p == NULL)
        return VG_NOMEM;
    b->p = p;
    b->cap = cap;
    return VG_OK;
}

enum vg_err vg_buf_add(struct vg_buf *b, const void *p, size_t n)
{
    enum vg_err e = vg_buf_reserve(b, n);
    if (e)
        return e;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return VG_OK;
}

enum vg_err vg_buf_adds(struct vg_buf *b, const char *cstr)
{
    return vg_buf_add(b, cstr, strlen(cstr));
}

enum vg_err vg_buf_addc(struct vg_buf *b, char c) { return vg_buf_add(b, &c, 1); }

enum vg_err vg_buf_vprintf(struct vg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return VG_INTERNAL;
    if ((size_t)n < sizeof small)
        return vg_buf_add(b, small, (size_t)n);
    enum vg_err e = vg_buf_reserve(b, (size_t)n);
    if (e)
        return e;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return VG_OK;
}

enum vg_err vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum vg_err e = vg_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return e;
}

enum vg_err vg_buf_json_str(struct vg_buf *b, const char *s, size_t n)
{
    enum vg_err e = vg_buf_addc(b, '"');
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': e = vg_buf_add(b, "\\\"", 2); break;
        case '\\': e = vg_buf_add(b, "\\\\", 2); break;
        case '\n': e = vg_buf_add(b, "\\n", 2); break;
        case '\r': e = vg_buf_add(b, "\\r", 2); break;
        case '\t': e = vg_buf_add(b, "\\t", 2); break;
        default:
            if (c < 0x20)
                e = vg_buf_printf(b, "\\u%04x", c);
            else
                e = vg_buf_addc(b, (char)c);
        }
    }
    return e ? e : vg_buf_addc(b, '"');
}

enum vg_err vg_buf_json_num(struct vg_buf *b, double v)
{
    if (!isfinite(v))
        return vg_buf_adds(b, "null");
    if (v == (double)(long long)v && fabs(v) < 1e15)
        return vg_buf_printf(b, "%lld", (long long)v);
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    return vg_buf_adds(b, tmp);
}

enum vg_err vg_buf_html(struct vg_buf *b, const char *s)
{
    enum vg_err e = VG_OK;
    for (; *s && e == VG_OK; s++) {
        switch (*s) {
        case '<': e = vg_buf_adds(b, "&lt;"); break;
        case '>': e = vg_buf_adds(b, "&gt;"); break;
        case '&': e = vg_buf_adds(b, "&amp;"); break;
        case '"': e = vg_buf_adds(b, "&quot;"); break;
        case '\'': e = vg_buf_adds(b, "&#39;"); break;
        default: e = vg_buf_addc(b, *s);
        }
    }
    return e;
}

enum vg_err vg_buf_read_file(struct vg_buf *b, const char *path,
                             struct vg_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot open: %s",
                       strerror(errno));
    enum vg_err e = VG_OK;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        e = vg_buf_add(b, chunk, n);
        if (e == VG_LIMIT) {
            vg_fail(d, e, path, 0, 0, "file larger than the %zu-byte limit",
                    b->limit);
            break;
        }
        if (e) {
            vg_fail(d, e, path, 0, 0, "%s", vg_strerror(e));
            break;
        }
    }
    if (e == VG_OK && ferror(f))
        e = vg_fail(d, VG_IO, path, 0, 0, "read error");
    fclose(f);
    return e;
}
