/*
 * err.c — the error table's functions and the diagnostic helpers.
 * No state; messages are copied into the caller's struct vg_diag.
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *vg_strerror(enum vg_err e)
{
    switch (e) {
#define VG__ERR_TEXT(name, num, ex, http, text) case VG_##name: return text;
    VG_ERRORS(VG__ERR_TEXT)
#undef VG__ERR_TEXT
    }
    return "unknown error";
}

int vg_exit_code(enum vg_err e)
{
    switch (e) {
#define VG__ERR_EXIT(name, num, ex, http, text) case VG_##name: return ex;
    VG_ERRORS(VG__ERR_EXIT)
#undef VG__ERR_EXIT
    }
    return 70;
}

int vg_http_status(enum vg_err e)
{
    switch (e) {
#define VG__ERR_HTTP(name, num, ex, http, text) case VG_##name: return http;
    VG_ERRORS(VG__ERR_HTTP)
#undef VG__ERR_HTTP
    }
    return 500;
}

void vg_diag_clear(struct vg_diag *d)
{
    if (d == NULL)
        return;
    memset(d, 0, sizeof *d);
}

enum vg_err vg_fail(struct vg_diag *d, enum vg_err code, const char *file,
                    size_t line, size_t col, const char *fmt, ...)
{
    if (d == NULL)
        return code;
    d->code = code;
    d->line = line;
    d->col = col;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return code;
}

void vg_diag_format(const struct vg_diag *d, char *out, size_t cap)
{
    if (cap == 0)
        return;
    if (d == NULL || d->code == VG_OK) {
        snprintf(out, cap, "ok");
        return;
    }
    const char *msg = d->msg[0] ? d->msg : vg_strerror(d->code);
    if (d->file[0] && d->line && d->col)
        snprintf(out, cap, "%s:%zu:%zu: %s", d->file, d->line, d->col, msg);
    else if (d->file[0] && d->line)
        snprintf(out, cap, "%s:%zu: %s", d->file, d->line, msg);
    else if (d->file[0])
        snprintf(out, cap, "%s: %s", d->file, msg);
    else
        snprintf(out, cap, "%s", msg);
}
