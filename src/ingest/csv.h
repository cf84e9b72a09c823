/*
 * csv.h — a streaming RFC 4180 reader with limits.
 *
 * Reads a file in fixed chunks (memory is bounded by the largest record,
 * never the file size), skips a UTF-8 byte-order mark, accepts LF and CRLF,
 * any single-byte delimiter and quote, quoted fields with doubled quotes and
 * embedded newlines.  Fields of the current row point into the reader's
 * buffer and stay valid until the next call to vg_csv_next().
 */
#ifndef VG_CSV_H
#define VG_CSV_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define VG_CSV_MAX_FIELDS 512

struct vg_csv_opts {
    char delim;        /* default ',' */
    char quote;        /* default '"'; '\0' disables quoting */
    size_t max_record; /* bytes; default 1 MiB */
};

struct vg_csv_row {
    size_t nfields;
    struct vg_str field[VG_CSV_MAX_FIELDS];
    size_t line;      /* physical line where the record starts (1-based) */
    struct vg_str raw; /* the record as read (quotes unprocessed), no EOL */
};

struct vg_csv;

/* Open `path` ("-" = stdin).  The reader owns its buffer; vg_csv_close. */
enum vg_err vg_csv_open(const char *path, const struct vg_csv_opts *o,
                        struct vg_csv **out, struct vg_diag *d);
/* Read from memory (borrowed for the reader's lifetime): fuzzing, tests. */
enum vg_err vg_csv_open_mem(const char *name, const char *data, size_t len,
                            const struct vg_csv_opts *o, struct vg_csv **out,
                            struct vg_diag *d);
/* Next record into `row`.  Returns VG_OK with *eof = 0 for a row, VG_OK with
 * *eof = 1 at the end, or an error (VG_LIMIT for an oversized record or too
 * many fields, VG_PARSE for an unterminated quote at end of file, VG_IO);
 * after VG_LIMIT/VG_PARSE on one record, reading may continue with the next. */
enum vg_err vg_csv_next(struct vg_csv *c, struct vg_csv_row *row, int *eof,
                        struct vg_diag *d);
/* Bytes consumed so far and total size (0 if unknown): progress display. */
size_t vg_csv_offset(const struct vg_csv *c);
size_t vg_csv_size(const struct vg_csv *c);
int vg_csv_had_bom(const struct vg_csv *c);
void vg_csv_close(struct vg_csv *c);

#endif
