/*
 * import.c — CSV rows → incidents / weather days in the store.
 *
 * Rows are parsed into a batch of pending records (strings copied into the
 * batch's own buffer, since CSV fields die at the next row), then the batch
 * is projected, checked against the study area, assigned to areas and
 * written.  Invariant: every data row read is counted exactly once as
 * imported, duplicate or rejected.  The caller owns the transaction.
 */
#include "ingest/import.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/dtfmt.h"
#include "ingest/csv.h"

#define BATCH 8192

struct pending {
    size_t line;
    int64_t t0, t1, trep, dkey;
    int time_known;
    int32_t cat, area;
    double lon, lat, x, y;
    uint8_t source, origin;
    size_t raw, id, label, addr, text; /* offsets in strs (+1; 0 = none) */
};

struct batch {
    struct pending *p;
    size_t n;
    struct vg_buf strs;
    double *bx, *by, *sx, *sy;
};

struct run {
    const struct vg_import_opts *o;
    const struct vg_profile *prof;
    const char *file;
    const struct vg_tz *tz;
    struct vg_import_counts *c;
    struct batch b;
    struct vg_buf tmp, hooked;
    int64_t dataset_id, import_id;
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    double t_last;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void csv_field(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

void vg_import_rejects_header(FILE *f)
{
    if (f)
        fputs("file,line,reason,record\n", f);
}

static void reject(struct run *r, size_t line, struct vg_str raw,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void reject(struct run *r, size_t line, struct vg_str raw,
                   const char *fmt, ...)
{
    r->c->rejected++;
    FILE *f = r->o->rejects;
    if (f == NULL)
        return;
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    csv_field(f, r->file, strlen(r->file));
    fprintf(f, ",%zu,", line);
    csv_field(f, why, strlen(why));
    fputc(',', f);
    csv_field(f, raw.p, raw.len);
    fputc('\n', f);
}

/* Append field to the batch strings (converted from Latin-1 if needed);
 * returns offset+1, or 0 for an empty field. */
static size_t keep(struct run *r, struct vg_str s)
{
    s = vg_str_trim(s);
    if (s.len == 0)
        return 0;
    size_t off = r->b.strs.len + 1;
    enum vg_err e = VG_OK;
    if (r->prof->latin1) {
        for (size_t i = 0; i < s.len && e == VG_OK; i++) {
            unsigned char ch = (unsigned char)s.p[i];
            if (ch < 0x80) {
                e = vg_buf_addc(&r->b.strs, (char)ch);
            } else {
                char u[2] = {(char)(0xC0 | (ch >> 6)), (char)(0x80 | (ch & 0x3F))};
                e = vg_buf_add(&r->b.strs, u, 2);
            }
        }
    } else {
        e = vg_buf_add(&r->b.strs, s.p, s.len);
    }
    if (e == VG_OK)
        e = vg_buf_addc(&r->b.strs, '\0');
    return e == VG_OK ? off : 0;
}

static const char *str_at(const struct run *r, size_t off)
{
    return off ? r->b.strs.p + off - 1 : NULL;
}

static struct vg_str field(const struct vg_csv_row *row, int idx)
{
    if (idx < 0 || (size_t)idx >= row->nfields)
        return (struct vg_str){"", 0};
    return row->field[idx];
}

/* Parse a decimal number honouring the profile's separator.  Returns 0 and
 * sets *why on failure. */
static int parse_num(const struct run *r, struct vg_str s, double *out,
                     const char **why)
{
    char tmp[64];
    s = vg_str_trim(s);
    if (s.len == 0) {
        *why = "is empty";
        return 0;
    }
    if (s.len >= sizeof tmp) {
        *why = "is too long for a number";
        return 0;
    }
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    if (r->prof->decimal == ',') {
        for (size_t i = 0; i < s.len; i++)
            if (tmp[i] == ',')
                tmp[i] = '.';
            else if (tmp[i] == '.') {
                *why = "is not a number (decimal separator is ',' in this profile)";
                return 0;
            }
    }
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end == tmp || *end || errno || !isfinite(v)) {
        *why = r->prof->decimal == '.' && memchr(tmp, ',', s.len)
                   ? "is not a number (decimal separator is '.' in this profile)"
                   : "is not a number";
        return 0;
    }
    *out = v;
    return 1;
}

/* Date/time field → UTC instant.  *known = 0 when only the date is known
 * (or a midnight placeholder), *day_end gets the end of that local day. */
static int parse_time(const struct run *r, const struct vg_dtfmt *fmt,
                      struct vg_str s, int64_t *t, int *known,
                      int64_t *day_end, const char **why)
{
    struct vg_dt dt;
    s = vg_str_trim(s);
    if (vg_dtfmt_parse(fmt, s.p, s.len, &dt, why) != VG_OK)
        return 0;
    *known = dt.has_time;
    if (dt.has_time && r->prof->midnight_unknown && dt.hour == 0 &&
        dt.min == 0 && dt.sec == 0)
        *known = 0;
    if (dt.has_offset && !r->prof->z_is_local) {
        *t = vg_days_from_civil(dt.year, dt.month, dt.day) * 86400 +
             dt.hour * 3600 + dt.min * 60 + dt.sec - dt.offset;
        *day_end = *t + 86400;
        return 1;
    }
    int h = *known ? dt.hour : 0, mi = *known ? dt.min : 0, sec = *known ? dt.sec : 0;
    if (vg_tz_from_local(r->tz, dt.year, dt.month, dt.day, h, mi, sec,
                         VG_TZ_EARLIER, t) != VG_OK) {
        *why = "is not a valid local time";
        return 0;
    }
    int64_t next = vg_days_from_civil(dt.year, dt.month, dt.day) + 1;
    int y2, m2, d2;
    vg_civil_from_days(next, &y2, &m2, &d2);
    if (vg_tz_from_local(r->tz, y2, m2, d2, 0, 0, 0, VG_TZ_EARLIER, day_end) != VG_OK)
        *day_end = *t + 86400;
    if (*known)
        *day_end = *t;
    return 1;
}

static int32_t category_of(struct run *r, struct vg_str label, const char **code)
{
    const struct vg_profile *p = r->prof;
    label = vg_str_trim(label);
    *code = NULL;
    if (p->col_index[VG_COL_CATEGORY] < 0) {
        *code = p->fixed_category;
        return vg_taxonomy_find(r->o->tax, p->fixed_category, strlen(p->fixed_category));
    }
    const char *to = vg_profile_map(p->crosswalk, p->ncrosswalk, label.p, label.len);
    if (to) {
        *code = to;
        return vg_taxonomy_find(r->o->tax, to, strlen(to));
    }
    return vg_taxonomy_find(r->o->tax, label.p, label.len);
}

static int in_bbox(const struct vg_import_geo *g, double lon, double lat)
{
    return !g || !g->has_bbox ||
           (lon >= g->bbox[0] && lon <= g->bbox[2] && lat >= g->bbox[1] && lat <= g->bbox[3]);
}

/* Validate one row into the batch, or reject it. */
static void take_row(struct run *r, const struct vg_csv_row *row)
{
    const struct vg_profile *p = r->prof;
    const int *ci = p->col_index;
    const char *why = NULL;
    struct pending pe;
    memset(&pe, 0, sizeof pe);
    pe.line = row->line;
    pe.area = -1;

    struct vg_str ts = field(row, ci[VG_COL_START]);
    int64_t day_end;
    if (!parse_time(r, &p->fmt_start, ts, &pe.t0, &pe.time_known, &day_end, &why)) {
        reject(r, row->line, row->raw, "occurrence time \"%.*s\" %s (expected %s)",
               (int)ts.len, ts.p, why ? why : "is not valid", p->fmt_start.text);
        return;
    }
    pe.t1 = day_end;
    if (ci[VG_COL_END] >= 0 && vg_str_trim(field(row, ci[VG_COL_END])).len) {
        struct vg_str es = field(row, ci[VG_COL_END]);
        int k2;
        int64_t e_end;
        if (!parse_time(r, &p->fmt_end, es, &pe.t1, &k2, &e_end, &why)) {
            reject(r, row->line, row->raw, "end time \"%.*s\" %s (expected %s)",
                   (int)es.len, es.p, why ? why : "is not valid", p->fmt_end.text);
            return;
        }
        if (!k2)
            pe.t1 = e_end;
        if (pe.t1 < pe.t0) {
            reject(r, row->line, row->raw, "end time \"%.*s\" is before the start \"%.*s\"",
                   (int)es.len, es.p, (int)ts.len, ts.p);
            return;
        }
        pe.time_known = 1;
    }
    if (ci[VG_COL_REPORTED] >= 0 && vg_str_trim(field(row, ci[VG_COL_REPORTED])).len) {
        struct vg_str rs = field(row, ci[VG_COL_REPORTED]);
        int k3;
        int64_t e3;
        if (!parse_time(r, &p->fmt_report, rs, &pe.trep, &k3, &e3, &why)) {
            reject(r, row->line, row->raw, "report time \"%.*s\" %s (expected %s)",
                   (int)rs.len, rs.p, why ? why : "is not valid", p->fmt_report.text);
            return;
        }
    }

    struct vg_str lab = field(row, ci[VG_COL_CATEGORY]);
    const char *code;
    pe.cat = category_of(r, lab, &code);
    if (pe.cat < 0) {
        if (code)
            reject(r, row->line, row->raw, "label \"%.*s\" maps to \"%s\", which is not a category of the taxonomy",
                   (int)lab.len, lab.p, code);
        else
            reject(r, row->line, row->raw, "unknown label \"%.*s\" (add it to [crosswalk] in profile %s)",
                   (int)lab.len, lab.p, p->name);
        return;
    }

    /* coordinates */
    int xy = ci[VG_COL_LON] < 0;
    struct vg_str a = field(row, xy ? ci[VG_COL_X] : ci[VG_COL_LON]);
    struct vg_str b = field(row, xy ? ci[VG_COL_Y] : ci[VG_COL_LAT]);
    const char *an = xy ? "x" : "longitude", *bn = xy ? "y" : "latitude";
    if (vg_str_trim(a).len == 0 || vg_str_trim(b).len == 0) {
        reject(r, row->line, row->raw, "missing coordinates");
        return;
    }
    if (!parse_num(r, a, &pe.lon, &why)) {
        reject(r, row->line, row->raw, "%s \"%.*s\" %s", an, (int)a.len, a.p, why);
        return;
    }
    if (!parse_num(r, b, &pe.lat, &why)) {
        reject(r, row->line, row->raw, "%s \"%.*s\" %s", bn, (int)b.len, b.p, why);
        return;
    }
    if (pe.lon == 0 && pe.lat == 0) {
        reject(r, row->line, row->raw, "coordinates 0/0 (a placeholder for a missing location)");
        return;
    }
    if (!xy && (fabs(pe.lat) > 90 || fabs(pe.lon) > 180)) {
        reject(r, row->line, row->raw, "coordinates %.*s, %.*s are not longitude/latitude degrees",
               (int)a.len, a.p, (int)b.len, b.p);
        return;
    }
    if (!xy && !in_bbox(r->o->geo, pe.lon, pe.lat)) {
        reject(r, row->line, row->raw, "point %.6f, %.6f is outside the study area",
               pe.lon, pe.lat);
        return;
    }

    /* source and origin */
    pe.source = (uint8_t)p->fixed_source;
    pe.origin = (uint8_t)p->fixed_origin;
    if (ci[VG_COL_SOURCE] >= 0) {
        struct vg_str s = vg_str_trim(field(row, ci[VG_COL_SOURCE]));
        const char *to = vg_profile_map(p->sources, p->nsources, s.p, s.len);
        char tmp[48];
        snprintf(tmp, sizeof tmp, "%.*s", (int)s.len, s.p);
        enum vg_source src;
        if (vg_source_parse(to ? to : tmp, &src)) {
            reject(r, row->line, row->raw, "unknown source \"%.*s\"", (int)s.len, s.p);
            return;
        }
        pe.source = (uint8_t)src;
    }
    if (ci[VG_COL_ORIGIN] >= 0) {
        struct vg_str s = vg_str_trim(field(row, ci[VG_COL_ORIGIN]));
        const char *to = vg_profile_map(p->origins, p->norigins, s.p, s.len);
        char tmp[48];
        snprintf(tmp, sizeof tmp, "%.*s", (int)s.len, s.p);
        enum vg_origin org;
        if (vg_origin_parse(to ? to : tmp, &org)) {
            reject(r, row->line, row->raw, "unknown origin \"%.*s\"", (int)s.len, s.p);
            return;
        }
        pe.origin = (uint8_t)org;
    }

    /* de-duplication key: the source id with the category, or the record */
    struct vg_str sid = vg_str_trim(field(row, ci[VG_COL_ID]));
    unsigned char h[crypto_shorthash_BYTES];
    if (sid.len) {
        vg_buf_reset(&r->tmp);
        vg_buf_add(&r->tmp, sid.p, sid.len);
        vg_buf_addc(&r->tmp, '\x1f');
        vg_buf_adds(&r->tmp, r->o->tax->cat[pe.cat].code);
        crypto_shorthash(h, (const unsigned char *)r->tmp.p, r->tmp.len, r->hkey);
    } else {
        crypto_shorthash(h, (const unsigned char *)row->raw.p, row->raw.len, r->hkey);
    }
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k |= (uint64_t)h[i] << (8 * i);
    pe.dkey = (int64_t)(k >> 1); /* keep it positive for readability */

    pe.raw = keep(r, row->raw);
    pe.id = keep(r, sid);
    pe.label = keep(r, lab);
    pe.addr = keep(r, field(row, ci[VG_COL_ADDRESS]));
    pe.text = keep(r, field(row, ci[VG_COL_TEXT]));
    r->b.p[r->b.n++] = pe;
}

static enum vg_err flush(struct run *r, struct vg_diag *d)
{
    struct batch *b = &r->b;
    const struct vg_import_geo *g = r->o->geo;
    enum vg_err e = VG_OK;
    if (b->n == 0)
        return VG_OK;
    for (size_t i = 0; i < b->n; i++) {
        b->bx[i] = b->p[i].lon;
        b->by[i] = b->p[i].lat;
    }
    if (r->prof->col_index[VG_COL_LON] < 0 && g && g->src_to_lonlat) {
        e = g->src_to_lonlat(g->arg, b->bx, b->by, b->n);
        if (e)
            return vg_fail(d, e, r->file, 0, 0, "cannot convert coordinates from %s", r->prof->crs);
    }
    if (g && g->to_study) {
        e = g->to_study(g->arg, b->bx, b->by, b->sx, b->sy, b->n);
        if (e)
            return vg_fail(d, e, r->file, 0, 0, "cannot project coordinates to the study CRS");
    } else {
        memcpy(b->sx, b->bx, b->n * sizeof *b->sx);
        memcpy(b->sy, b->by, b->n * sizeof *b->sy);
    }
    struct vg_incident inc;
    memset(&inc, 0, sizeof inc);
    inc.dataset_id = r->dataset_id;
    inc.tz = vg_tz_name(r->tz);
    inc.import_id = r->import_id;
    for (size_t i = 0; i < b->n && e == VG_OK; i++) {
        struct pending *pe = &b->p[i];
        pe->lon = b->bx[i];
        pe->lat = b->by[i];
        if (!isfinite(b->sx[i]) || !isfinite(b->sy[i]) || !in_bbox(g, pe->lon, pe->lat)) {
            const char *raw = str_at(r, pe->raw);
            reject(r, pe->line, (struct vg_str){raw ? raw : "", raw ? strlen(raw) : 0},
                   "point %.6f, %.6f is outside the study area", pe->lon, pe->lat);
            continue;
        }
        inc.dkey = pe->dkey;
        inc.source_id = str_at(r, pe->id);
        inc.t_start = pe->t0;
        inc.t_end = pe->t1;
        inc.t_report = pe->trep;
        inc.time_known = pe->time_known;
        inc.cat = pe->cat;
        inc.label = str_at(r, pe->label);
        inc.lon = pe->lon;
        inc.lat = pe->lat;
        inc.x = b->sx[i];
        inc.y = b->sy[i];
        inc.area = g && g->locate ? g->locate(g->arg, inc.x, inc.y) : -1;
        inc.address = str_at(r, pe->addr);
        inc.text = str_at(r, pe->text);
        inc.source = (enum vg_source)pe->source;
        inc.origin = (enum vg_origin)pe->origin;
        if (inc.text && r->o->text_hook) {
            vg_buf_reset(&r->hooked);
            if (r->o->text_hook(r->o->text_arg, inc.source, inc.text, strlen(inc.text), &r->hooked))
                inc.text = r->hooked.p ? r->hooked.p : "";
            else
                inc.text = NULL;
        }
        int ins = 0;
        e = r->o->store->ops->incident_put(r->o->store, &inc, &ins, d);
        if (ins)
            r->c->imported++;
        else
            r->c->duplicates++;
    }
    b->n = 0;
    vg_buf_reset(&b->strs);
    return e;
}

static void progress(struct run *r, struct vg_csv *csv, int final)
{
    if (!r->o->progress)
        return;
    double t = now_s();
    if (!final && t - r->t_last < 0.25)
        return;
    r->t_last = t;
    size_t size = vg_csv_size(csv), off = vg_csv_offset(csv);
    fprintf(stderr, "\r  %s: %zu rows", r->file, r->c->rows);
    if (size)
        fprintf(stderr, " (%3.0f %%)", 100.0 * (double)off / (double)size);
    fprintf(stderr, "%s", final ? "\n" : "");
    fflush(stderr);
}

static void batch_free(struct batch *b)
{
    vg_free(b->p);
    vg_free(b->bx);
    vg_free(b->by);
    vg_free(b->sx);
    vg_free(b->sy);
    vg_buf_free(&b->strs);
}

static enum vg_err batch_init(struct batch *b)
{
    memset(b, 0, sizeof *b);
    vg_buf_init(&b->strs, 0);
    b->p = vg_calloc(BATCH, sizeof *b->p);
    b->bx = vg_calloc(BATCH, sizeof *b->bx);
    b->by = vg_calloc(BATCH, sizeof *b->by);
    b->sx = vg_calloc(BATCH, sizeof *b->sx);
    b->sy = vg_calloc(BATCH, sizeof *b->sy);
    if (!b->p || !b->bx || !b->by || !b->sx || !b->sy) {
        batch_free(b);
        return VG_NOMEM;
    }
    return VG_OK;
}

/* Opens the CSV, binds the header; shared by both importers. */
static enum vg_err open_csv(struct run *r, struct vg_csv **csv, struct vg_diag *d)
{
    struct vg_profile *p = r->o->profile;
    struct vg_csv_opts co = {p->delim, p->quote, 0};
    enum vg_err e = vg_csv_open(r->file, &co, csv, d);
    if (e)
        return e;
    struct vg_csv_row *hdr = vg_malloc(sizeof *hdr);
    if (hdr == NULL)
        return VG_NOMEM;
    int eof = 0;
    if (p->header) {
        e = vg_csv_next(*csv, hdr, &eof, d);
        if (e == VG_OK && eof)
            e = vg_fail(d, VG_PARSE, r->file, 1, 0, "the file is empty (a header row was expected)");
        if (e == VG_OK)
            e = vg_profile_bind(p, hdr->field, hdr->nfields, r->file, d);
    } else {
        e = vg_profile_bind(p, NULL, VG_CSV_MAX_FIELDS, r->file, d);
    }
    vg_free(hdr);
    return e;
}

static int blank(const struct vg_csv_row *row)
{
    return row->nfields == 1 && vg_str_trim(row->field[0]).len == 0;
}

enum vg_err vg_import_incidents(const struct vg_import_opts *o,
                                const char *file, struct vg_import_counts *c,
                                struct vg_diag *d)
{
    struct run r;
    memset(&r, 0, sizeof r);
    memset(c, 0, sizeof *c);
    r.o = o;
    r.prof = o->profile;
    r.file = file;
    r.c = c;
    struct vg_csv *csv = NULL;
    struct vg_csv_row *row = NULL;
    vg_buf_init(&r.tmp, 0);
    vg_buf_init(&r.hooked, 0);
    memcpy(r.hkey, "vigie-dedupe-k1\0", sizeof r.hkey);
    enum vg_err e = batch_init(&r.b);
    if (e)
        return e;
    r.tz = vg_tz_get(o->profile->tz, d);
    if (r.tz == NULL) {
        e = vg_fail(d, VG_PARSE, o->profile->path, 0, 0, "unknown time zone \"%s\"", o->profile->tz);
        goto out;
    }
    row = vg_malloc(sizeof *row);
    if (row == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    e = open_csv(&r, &csv, d);
    if (e == VG_OK)
        e = o->store->ops->dataset(o->store, o->profile->name, o->profile->path, &r.dataset_id, d);
    if (e == VG_OK)
        e = o->store->ops->import_begin(o->store, r.dataset_id, file, &r.import_id, d);
    while (e == VG_OK) {
        int eof = 0;
        struct vg_diag rd;
        vg_diag_clear(&rd);
        enum vg_err re = vg_csv_next(csv, row, &eof, &rd);
        if (re == VG_LIMIT || re == VG_PARSE) {
            c->rows++;
            reject(&r, rd.line, (struct vg_str){"", 0}, "%s", rd.msg);
            if (re == VG_PARSE)
                break;
            continue;
        }
        if (re) {
            e = re;
            *d = rd;
            break;
        }
        if (eof)
            break;
        if (blank(row))
            continue;
        c->rows++;
        take_row(&r, row);
        if (r.b.n == BATCH) {
            e = flush(&r, d);
            progress(&r, csv, 0);
        }
    }
    if (e == VG_OK)
        e = flush(&r, d);
    if (e == VG_OK)
        e = o->store->ops->import_end(o->store, r.import_id, c, d);
    if (csv)
        progress(&r, csv, 1);
out:
    vg_csv_close(csv);
    vg_free(row);
    batch_free(&r.b);
    vg_buf_free(&r.tmp);
    vg_buf_free(&r.hooked);
    return e;
}

enum vg_err vg_import_weather(const struct vg_import_opts *o, const char *file,
                              struct vg_import_counts *c, struct vg_diag *d)
{
    struct run r;
    memset(&r, 0, sizeof r);
    memset(c, 0, sizeof *c);
    r.o = o;
    r.prof = o->profile;
    r.file = file;
    r.c = c;
    struct vg_csv *csv = NULL;
    struct vg_csv_row *row = vg_malloc(sizeof *row);
    if (row == NULL)
        return VG_NOMEM;
    const struct vg_profile *p = o->profile;
    const int cols[5] = {VG_COL_TMAX, VG_COL_TMIN, VG_COL_PRCP, VG_COL_SNOW, VG_COL_WIND};
    const char *names[5] = {"tmax", "tmin", "prcp", "snow", "wind"};
    enum vg_err e = open_csv(&r, &csv, d);
    while (e == VG_OK) {
        int eof = 0;
        struct vg_diag rd;
        enum vg_err re = vg_csv_next(csv, row, &eof, &rd);
        if (re == VG_LIMIT || re == VG_PARSE) {
            c->rows++;
            reject(&r, rd.line, (struct vg_str){"", 0}, "%s", rd.msg);
            if (re == VG_PARSE)
                break;
            continue;
        }
        if (re) {
            e = re;
            *d = rd;
            break;
        }
        if (eof)
            break;
        if (blank(row))
            continue;
        c->rows++;
        struct vg_str ds = vg_str_trim(field(row, p->col_index[VG_COL_DATE]));
        struct vg_dt dt;
        const char *why = NULL;
        if (vg_dtfmt_parse(&p->fmt_start, ds.p, ds.len, &dt, &why) != VG_OK) {
            reject(&r, row->line, row->raw, "date \"%.*s\" %s (expected %s)", (int)ds.len,
                   ds.p, why ? why : "is not valid", p->fmt_start.text);
            continue;
        }
        double v[5];
        int bad = 0;
        for (int k = 0; k < 5 && !bad; k++) {
            v[k] = NAN;
            struct vg_str s = vg_str_trim(field(row, p->col_index[cols[k]]));
            if (p->col_index[cols[k]] < 0 || s.len == 0)
                continue; /* missing stays missing, never zero */
            if (!parse_num(&r, s, &v[k], &why)) {
                reject(&r, row->line, row->raw, "%s \"%.*s\" %s", names[k], (int)s.len, s.p, why);
                bad = 1;
            }
        }
        if (bad)
            continue;
        if (p->temp_f) {
            v[0] = (v[0] - 32) * 5 / 9;
            v[1] = (v[1] - 32) * 5 / 9;
        }
        v[2] *= p->prcp_scale;
        v[3] *= p->snow_scale;
        v[4] *= p->wind_scale;
        e = o->store->ops->weather_put(o->store, o->station ? o->station : p->name,
                                       vg_days_from_civil(dt.year, dt.month, dt.day), v, d);
        if (e == VG_OK)
            c->imported++;
    }
    vg_csv_close(csv);
    vg_free(row);
    return e;
}
