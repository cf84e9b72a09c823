/*
 * csv.c — streaming CSV reader.
 *
 * The reader keeps one window [pos, end) of the file in `buf`.  A record is
 * scanned from `pos`; when it runs past `end` before the file's end, the
 * unread tail is moved to the front and the buffer refilled, so memory is
 * bounded by max_record plus one chunk.  Unquoted and simply quoted fields
 * point straight into `buf`; only fields with doubled quotes are copied into
 * `esc` (reserved to the record's size first, so pointers never move).
 */
#include "ingest/csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"

#define CHUNK ((size_t)4 << 20)

struct vg_csv {
    FILE *f;          /* NULL when reading from memory */
    char name[160];
    char *buf;        /* owned unless mem */
    size_t cap, pos, end;
    int eof, mem, bom;
    size_t line;      /* physical line of `pos` */
    size_t consumed;  /* bytes of the file before buf[0] */
    size_t size;
    struct vg_csv_opts o;
    struct vg_buf esc;
};

static void set_opts(struct vg_csv *c, const struct vg_csv_opts *o)
{
    c->o.delim = o && o->delim ? o->delim : ',';
    c->o.quote = o ? o->quote : '"';
    if (o == NULL)
        c->o.quote = '"';
    c->o.max_record = o && o->max_record ? o->max_record : ((size_t)1 << 20);
}

static void skip_bom(struct vg_csv *c)
{
    if (c->end - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0) {
        c->pos += 3;
        c->bom = 1;
    }
}

/* Move unread bytes to the front and read more.  Returns bytes added. */
static enum vg_err refill(struct vg_csv *c, size_t *added, struct vg_diag *d)
{
    *added = 0;
    if (c->mem || c->eof)
        return VG_OK;
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->consumed += c->pos;
        c->end -= c->pos;
        c->pos = 0;
    }
    if (c->end == c->cap) {
        /* record longer than the buffer: grow up to max_record + CHUNK */
        size_t ncap = c->cap * 2;
        if (ncap > c->o.max_record + CHUNK + 1)
            return VG_LIMIT;
        char *nb = vg_realloc(c->buf, ncap);
        if (nb == NULL)
            return VG_NOMEM;
        c->buf = nb;
        c->cap = ncap;
    }
    size_t n = fread(c->buf + c->end, 1, c->cap - c->end, c->f);
    if (n == 0) {
        if (ferror(c->f))
            return vg_fail(d, VG_IO, c->name, c->line, 0, "read error: %s",
                           strerror(errno));
        c->eof = 1;
    }
    c->end += n;
    *added = n;
    return VG_OK;
}

static enum vg_err open_common(struct vg_csv *c, struct vg_diag *d)
{
    vg_buf_init(&c->esc, 0);
    c->line = 1;
    if (!c->mem) {
        size_t added;
        enum vg_err e = refill(c, &added, d);
        if (e)
            return e;
    }
    skip_bom(c);
    return VG_OK;
}

enum vg_err vg_csv_open(const char *path, const struct vg_csv_opts *o,
                        struct vg_csv **out, struct vg_diag *d)
{
    *out = NULL;
    struct vg_csv *c = vg_calloc(1, sizeof *c);
    if (c == NULL)
        return VG_NOMEM;
    set_opts(c, o);
    snprintf(c->name, sizeof c->name, "%s", path);
    enum vg_err e = VG_OK;
    c->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (c->f == NULL) {
        e = vg_fail(d, VG_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    struct stat st;
    if (fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode))
        c->size = (size_t)st.st_size;
    c->cap = CHUNK;
    c->buf = vg_malloc(c->cap);
    if (c->buf == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    e = open_common(c, d);
out:
    if (e) {
        vg_csv_close(c);
        return e;
    }
    *out = c;
    return VG_OK;
}

enum vg_err vg_csv_open_mem(const char *name, const char *data, size_t len,
                            const struct vg_csv_opts *o, struct vg_csv **out,
                            struct vg_diag *d)
{
    struct vg_csv *c = vg_calloc(1, sizeof *c);
    *out = NULL;
    if (c == NULL)
        return VG_NOMEM;
    set_opts(c, o);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->mem = 1;
    c->eof = 1;
    c->buf = (char *)(uintptr_t)data; /* never written: mem readers copy */
    c->end = c->cap = c->size = len;
    enum vg_err e = open_common(c, d);
    if (e) {
        vg_csv_close(c);
        return e;
    }
    *out = c;
    return VG_OK;
}

/* Scan one record starting at c->pos within the current window.
 * Returns 1 and sets *rec_end / *next when a full record is present,
 * 0 when more data is needed. */
static int find_record(const struct vg_csv *c, size_t *rec_end, size_t *next,
                       size_t *nl)
{
    const char *b = c->buf;
    size_t i = c->pos, lines = 0;
    int inq = 0;
    const char q = c->o.quote;
    while (i < c->end) {
        if (!inq) {
            const char *p = memchr(b + i, '\n', c->end - i);
            size_t stop = p ? (size_t)(p - b) : c->end;
            const char *qp = q ? memchr(b + i, q, stop - i) : NULL;
            if (qp) {
                inq = 1;
                i = (size_t)(qp - b) + 1;
                continue;
            }
            if (!p)
                break;
            *rec_end = stop > c->pos && b[stop - 1] == '\r' ? stop - 1 : stop;
            *next = stop + 1;
            *nl = lines + 1;
            return 1;
        }
        const char *qp = memchr(b + i, q, c->end - i);
        if (!qp)
            break;
        for (const char *s = b + i; s < qp; s++)
            lines += *s == '\n';
        i = (size_t)(qp - b) + 1;
        if (i < c->end && b[i] == q)
            i++; /* doubled quote stays inside */
        else if (i < c->end || c->eof)
            inq = 0;
        else
            break; /* need the next byte to decide */
    }
    if (c->eof && c->end > c->pos) {
        *rec_end = c->end;
        if (c->end > c->pos && b[c->end - 1] == '\r')
            (*rec_end)--;
        *next = c->end;
        *nl = lines;
        return inq ? -1 : 1;
    }
    return 0;
}

static enum vg_err split_fields(struct vg_csv *c, const char *p, size_t len,
                                struct vg_csv_row *row, struct vg_diag *d)
{
    const char q = c->o.quote, delim = c->o.delim;
    size_t nf = 0, i = 0;
    vg_buf_reset(&c->esc);
    if (vg_buf_reserve(&c->esc, len + 1))
        return VG_NOMEM;
    for (;;) {
        if (nf == VG_CSV_MAX_FIELDS)
            return vg_fail(d, VG_LIMIT, c->name, row->line, nf,
                           "more than %d fields in one record",
                           VG_CSV_MAX_FIELDS);
        struct vg_str *f = &row->field[nf++];
        if (q && i < len && p[i] == q) {
            size_t s = ++i;
            int doubled = 0;
            while (i < len) {
                if (p[i] == q) {
                    if (i + 1 < len && p[i + 1] == q) {
                        doubled = 1;
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            size_t e = i;
            if (i < len)
                i++; /* closing quote */
            if (!doubled) {
                *f = (struct vg_str){p + s, e - s};
            } else {
                char *o = c->esc.p + c->esc.len, *w = o;
                for (size_t k = s; k < e; k++) {
                    *w++ = p[k];
                    if (p[k] == q)
                        k++;
                }
                *f = (struct vg_str){o, (size_t)(w - o)};
                c->esc.len += (size_t)(w - o);
            }
            /* anything between the closing quote and the delimiter is kept
             * out; a stray byte there is tolerated as in most exports */
            while (i < len && p[i] != delim)
                i++;
        } else {
            const char *dp = memchr(p + i, delim, len - i);
            size_t e = dp ? (size_t)(dp - p) : len;
            *f = (struct vg_str){p + i, e - i};
            i = e;
        }
        if (i >= len)
            break;
        i++; /* delimiter */
        if (i == len) { /* trailing delimiter: one more empty field */
            if (nf == VG_CSV_MAX_FIELDS)
                return VG_LIMIT;
            row->field[nf++] = (struct vg_str){p + len, 0};
            break;
        }
    }
    row->nfields = nf;
    return VG_OK;
}

enum vg_err vg_csv_next(struct vg_csv *c, struct vg_csv_row *row, int *eof,
                        struct vg_diag *d)
{
    *eof = 0;
    for (;;) {
        size_t rec_end = 0, next = 0, nl = 0;
        int r = find_record(c, &rec_end, &next, &nl);
        if (r == 0) {
            if (c->eof || c->mem) {
                *eof = 1;
                return VG_OK;
            }
            size_t added;
            enum vg_err e = refill(c, &added, d);
            if (e == VG_LIMIT) {
                /* skip the oversized record up to the next newline */
                size_t line = c->line;
                const char *p = memchr(c->buf + c->pos, '\n', c->end - c->pos);
                c->pos = p ? (size_t)(p - c->buf) + 1 : c->end;
                c->line++;
                return vg_fail(d, VG_LIMIT, c->name, line, 0,
                               "record longer than %zu bytes", c->o.max_record);
            }
            if (e)
                return e;
            continue;
        }
        row->line = c->line;
        row->raw = (struct vg_str){c->buf + c->pos, rec_end - c->pos};
        size_t start = c->pos;
        c->pos = next;
        c->line += nl;
        if (r < 0)
            return vg_fail(d, VG_PARSE, c->name, row->line, 0,
                           "quoted field not closed before the end of file");
        if (rec_end - start > c->o.max_record)
            return vg_fail(d, VG_LIMIT, c->name, row->line, 0,
                           "record longer than %zu bytes", c->o.max_record);
        return split_fields(c, c->buf + start, rec_end - start, row, d);
    }
}

size_t vg_csv_offset(const struct vg_csv *c) { return c->consumed + c->pos; }
size_t vg_csv_size(const struct vg_csv *c) { return c->size; }
int vg_csv_had_bom(const struct vg_csv *c) { return c->bom; }

void vg_csv_close(struct vg_csv *c)
{
    if (c == NULL)
        return;
    if (c->f && c->f != stdin)
        fclose(c->f);
    if (!c->mem)
        vg_free(c->buf);
    vg_buf_free(&c->esc);
    vg_free(c);
}
