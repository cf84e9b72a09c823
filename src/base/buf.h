/*
 * buf.h — byte strings and growable buffers.
 *
 * `struct vg_str` is a borrowed (pointer, length) view; it owns nothing.
 * `struct vg_buf` owns its bytes (released by vg_buf_free) and keeps them
 * NUL-terminated so `b.p` can be printed.  Every buffer has a limit: an
 * append that would grow past `limit` fails with VG_LIMIT (0 = 1 GiB).
 */
#ifndef VG_BUF_H
#define VG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/err.h"

struct vg_str {
    const char *p;
    size_t len;
};

#define VG_STR(lit) ((struct vg_str){(lit), sizeof(lit) - 1})

struct vg_str vg_str_of(const char *cstr);
int vg_str_eq(struct vg_str a, const char *cstr);
int vg_str_ieq(struct vg_str a, const char *cstr); /* ASCII case-insensitive */
struct vg_str vg_str_trim(struct vg_str s);        /* ASCII whitespace */

struct vg_buf {
    char *p;
    size_t len, cap, limit;
};

void vg_buf_init(struct vg_buf *b, size_t limit);
void vg_buf_free(struct vg_buf *b);
void vg_buf_reset(struct vg_buf *b); /* len = 0, keeps memory */
enum vg_err vg_buf_reserve(struct vg_buf *b, size_t extra);
enum vg_err vg_buf_add(struct vg_buf *b, const void *p, size_t n);
enum vg_err vg_buf_adds(struct vg_buf *b, const char *cstr);
enum vg_err vg_buf_addc(struct vg_buf *b, char c);
enum vg_err vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum vg_err vg_buf_vprintf(struct vg_buf *b, const char *fmt, va_list ap);
/* Append `s` as a JSON string literal with quotes and escapes. */
enum vg_err vg_buf_json_str(struct vg_buf *b, const char *s, size_t n);
/* Append a double as JSON: shortest round-trip form ("%.17g" trimmed);
 * NaN and infinities become null. */
enum vg_err vg_buf_json_num(struct vg_buf *b, double v);
/* Append `s` as an HTML-escaped text. */
enum vg_err vg_buf_html(struct vg_buf *b, const char *s);

/* Read a whole (small) file into `b`.  Fails with VG_LIMIT past b->limit. */
enum vg_err vg_buf_read_file(struct vg_buf *b, const char *path,
                             struct vg_diag *d);

#endif
