/*
 * err.h — the one error table of vigie.
 *
 * Every fallible function returns an `enum vg_err` (VG_OK == 0) and, when the
 * caller passes one, fills a caller-owned `struct vg_diag` with the file, line,
 * column and a message naming the offending value and what was expected.
 * The X-macro below generates the enum, vg_strerror(), the CLI exit code and
 * the HTTP status.  Numbers never change once published: append only.
 */
#ifndef VG_ERR_H
#define VG_ERR_H

#include <stddef.h>

/*   name            num  exit http  text */
#define VG_ERRORS(X)                                                          \
    X(OK,             0,   0, 200, "success")                                 \
    X(NOMEM,          1,  70, 503, "out of memory")                           \
    X(IO,             2,  74, 500, "input/output error")                      \
    X(USAGE,          3,  64, 400, "invalid command-line usage")              \
    X(PARSE,          4,  65, 400, "malformed input")                         \
    X(LIMIT,          5,  65, 413, "input exceeds a limit")                   \
    X(NOTFOUND,       6,  66, 404, "not found")                               \
    X(EXISTS,         7,  73, 409, "already exists")                          \
    X(DB,             8,  75, 500, "database error")                          \
    X(SCHEMA,         9,  78, 500, "database schema is newer than this program") \
    X(RANGE,         10,  65, 400, "value out of range")                      \
    X(PROJ,          11,  70, 500, "coordinate transformation failed")        \
    X(GEOM,          12,  65, 400, "invalid geometry")                        \
    X(AUTH,          13,  77, 401, "authentication required or failed")       \
    X(FORBIDDEN,     14,  77, 403, "not permitted for this role")             \
    X(INTEGRITY,     15,  65, 409, "integrity check failed")                  \
    X(STATE,         16,  70, 409, "operation not valid in the current state")\
    X(MODEL,         17,  70, 422, "model could not be fitted")               \
    X(INTERNAL,      18,  70, 500, "internal error")                          \
    X(UNSUPPORTED,   19,  69, 501, "not supported")

enum vg_err {
#define VG__ERR_ENUM(name, num, ex, http, text) VG_##name = num,
    VG_ERRORS(VG__ERR_ENUM)
#undef VG__ERR_ENUM
};

/* Diagnostic filled by a failing function.  Owned by the caller; no heap. */
struct vg_diag {
    enum vg_err code;
    char file[160]; /* input file being read, "" if none */
    size_t line;    /* 1-based line in `file`, 0 if not applicable */
    size_t col;     /* 1-based column (field number for CSV), 0 if n/a */
    char msg[320];
};

/* Static English text for `e`; never NULL. */
const char *vg_strerror(enum vg_err e);
/* Process exit code (sysexits-style) for `e`. */
int vg_exit_code(enum vg_err e);
/* HTTP status for `e`. */
int vg_http_status(enum vg_err e);

/* Reset `d` to VG_OK.  `d` may be NULL. */
void vg_diag_clear(struct vg_diag *d);
/* Set `d` (if not NULL) to `code` at file:line:col with a printf message and
 * return `code`, so callers can write `return vg_fail(d, VG_PARSE, ...)`. */
enum vg_err vg_fail(struct vg_diag *d, enum vg_err code, const char *file,
                    size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Format `d` as "file:line:col: message" into `out` (always terminated). */
void vg_diag_format(const struct vg_diag *d, char *out, size_t cap);

#endif
