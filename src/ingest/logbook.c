/*
 * logbook.c — logbook entries (CSV or JSON Lines) → scrubbed, placed,
 * classified incidents plus their review-queue rows.
 *
 * Invariant: the first thing done with a record is to scrub every field
 * into `run.sc`; after scrub_record() the original field bytes are not read
 * again, so nothing unscrubbed can reach a message, the rejects file, the
 * classifier or the store (a CSV row's surplus fields, joined back into its
 * text in `run.join`, are scrubbed there as the text).  Every record is counted once as imported,
 * duplicate or rejected.  Memory: one run struct per file, buffers reused
 * from record to record, freed at the end; the caller owns the transaction.
 */
#include "ingest/logbook.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "ingest/csv.h"

#define MAX_FILE ((size_t)256 << 20)
#define MAX_LINE ((size_t)1 << 20)

/* The plain layout's column order (rejects files follow it). */
static const int layout[] = {
    VG_COL_ID, VG_COL_REPORTED, VG_COL_START, VG_COL_END, VG_COL_SOURCE,
    VG_COL_ORIGIN, VG_COL_PLACE, VG_COL_LON, VG_COL_LAT, VG_COL_CATEGORY,
    VG_COL_TEXT,
};
#define NLAYOUT (sizeof layout / sizeof layout[0])

struct run {
    const struct vg_logbook_opts *o;
    const struct vg_profile *p;
    const char *file;
    const struct vg_tz *tz;
    struct vg_logbook_counts *c;
    int64_t dataset_id, import_id;
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    struct vg_buf sc, tmp;          /* scrubbed values; scratch */
    size_t off[VG_COL__COUNT], len[VG_COL__COUNT];
    struct vg_str v[VG_COL__COUNT]; /* scrubbed, trimmed values (into sc) */
    int too_long;                   /* a field exceeded the scrubber limit */
    enum vg_source src;
    int src_ok;
    struct vg_logbook_one *one;     /* vg_logbook_put_one's result; NULL for files */
    int rej_col;                    /* column of the last check (-1: the record) */
    struct vg_buf join;             /* a CSV row's surplus fields joined into its text */
    int joined;                     /* the text of this row is such a join */
};

enum vg_scrub_source vg_logbook_scrub_source(enum vg_source s)
{
    switch (s) {
    case VG_SRC_PARTNER_HEALTH: return VG_SCRUB_SRC_PARTNER_HEALTH;
    case VG_SRC_PARTNER_SOCIAL: return VG_SCRUB_SRC_PARTNER_SOCIAL;
    case VG_SRC_PARTNER_LANDLORD: return VG_SCRUB_SRC_PARTNER_HOUSING;
    default: return VG_SCRUB_SRC_POLICE;
    }
}

/* ---- times ---------------------------------------------------------- */

static void fmt_offset(int32_t off, char *out, size_t cap)
{
    int a = off < 0 ? -off : off;
    snprintf(out, cap, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

enum vg_err vg_logbook_time(const struct vg_dtfmt *f, const struct vg_tz *tz,
                            const char *s, size_t len, int64_t *t, int *has_time,
                            char *why, size_t cap)
{
    struct vg_dt dt;
    const char *w = NULL;
    if (vg_dtfmt_parse(f, s, len, &dt, &w) != VG_OK) {
        snprintf(why, cap, "is not a date/time of format %s (%s)", f->text, w ? w : "bad shape");
        return VG_PARSE;
    }
    *has_time = dt.has_time;
    if (dt.has_offset) {
        *t = vg_days_from_civil(dt.year, dt.month, dt.day) * 86400 + dt.hour * 3600 +
             dt.min * 60 + dt.sec - dt.offset;
        int32_t zoff = vg_tz_offset(tz, *t);
        if (dt.offset != 0 && dt.offset != zoff) {
            char a[16], b[16];
            fmt_offset(dt.offset, a, sizeof a);
            fmt_offset(zoff, b, sizeof b);
            snprintf(why, cap, "has offset %s, but %s was at %s then", a, vg_tz_name(tz), b);
            return VG_RANGE;
        }
        return VG_OK;
    }
    int h = dt.has_time ? dt.hour : 0, mi = dt.has_time ? dt.min : 0;
    int sec = dt.has_time ? dt.sec : 0;
    if (vg_tz_from_local(tz, dt.year, dt.month, dt.day, h, mi, sec, VG_TZ_STRICT, t) == VG_OK)
        return VG_OK;
    int64_t e = 0, l = 0;
    vg_tz_from_local(tz, dt.year, dt.month, dt.day, h, mi, sec, VG_TZ_EARLIER, &e);
    vg_tz_from_local(tz, dt.year, dt.month, dt.day, h, mi, sec, VG_TZ_LATER, &l);
    if (e != l) {
        char a[16], b[16];
        fmt_offset(vg_tz_offset(tz, e), a, sizeof a);
        fmt_offset(vg_tz_offset(tz, l), b, sizeof b);
        snprintf(why, cap, "is ambiguous in %s: the clocks went back and %02d:%02d happened twice "
                 "(write the offset: %s for the first time, %s for the second)",
                 vg_tz_name(tz), h, mi, a, b);
    } else {
        snprintf(why, cap, "does not exist in %s: the clocks went forward that night "
                 "and skipped %02d:%02d (check the hour)", vg_tz_name(tz), h, mi);
    }
    return VG_RANGE;
}

/* ---- JSON Lines ----------------------------------------------------- */

enum vg_err vg_logbook_jsonl_fields(const struct vg_profile *p, const char *line,
                                    size_t len, struct vg_logbook_fields *out,
                                    struct vg_diag *d)
{
    json_error_t je;
    size_t off[VG_COL__COUNT], n[VG_COL__COUNT];
    enum vg_err e = VG_OK;
    vg_buf_reset(&out->mem);
    for (int i = 0; i < VG_COL__COUNT; i++) {
        out->f[i] = (struct vg_str){"", 0};
        n[i] = 0;
    }
    if (len > MAX_LINE)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "line longer than %zu bytes", MAX_LINE);
    /* jansson's own messages quote the input near the error: not used */
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (o == NULL || !json_is_object(o)) {
        e = vg_fail(d, VG_PARSE, "", 0, o ? 0 : (size_t)je.column,
                    o ? "the line is JSON but not an object {...}"
                      : "the line is not valid JSON (error near column %d)", je.column);
        goto out;
    }
    for (int i = 0; i < VG_COL__COUNT && e == VG_OK; i++) {
        off[i] = out->mem.len;
        if (!p->col_name[i][0])
            continue;
        json_t *v = json_object_get(o, p->col_name[i]);
        if (v == NULL || json_is_null(v))
            continue;
        if (json_is_string(v)) {
            e = vg_buf_add(&out->mem, json_string_value(v), json_string_length(v));
        } else if (json_is_integer(v)) {
            e = vg_buf_printf(&out->mem, "%lld", (long long)json_integer_value(v));
        } else if (json_is_real(v)) {
            e = vg_buf_printf(&out->mem, "%.17g", json_real_value(v));
        } else if (json_is_boolean(v)) {
            e = vg_buf_adds(&out->mem, json_is_true(v) ? "true" : "false");
        } else {
            e = vg_fail(d, VG_PARSE, "", 0, 0, "field \"%s\" is an array or object (a string or number was expected)",
                        p->col_name[i]);
        }
        n[i] = out->mem.len - off[i];
    }
    if (e == VG_OK)
        for (int i = 0; i < VG_COL__COUNT; i++)
            if (n[i])
                out->f[i] = (struct vg_str){out->mem.p + off[i], n[i]};
out:
    json_decref(o);
    return e;
}

/* ---- scrubbing ------------------------------------------------------ */

static int resolve_source(const struct vg_profile *p, struct vg_str s, enum vg_source *out)
{
    s = vg_str_trim(s);
    if (s.len == 0) {
        *out = p->fixed_source ? p->fixed_source : VG_SRC_LOGBOOK;
        return 1;
    }
    const char *to = vg_profile_map(p->sources, p->nsources, s.p, s.len);
    char tmp[48];
    if (to == NULL && s.len < sizeof tmp) {
        memcpy(tmp, s.p, s.len);
        tmp[s.len] = '\0';
        to = tmp;
    }
    return to && vg_source_parse(to, out) == VG_OK;
}

/* Latin-1 → UTF-8 into r->tmp when the profile says so. */
static struct vg_str as_utf8(struct run *r, struct vg_str s)
{
    if (!r->p->latin1)
        return s;
    vg_buf_reset(&r->tmp);
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        if (ch < 0x80)
            vg_buf_addc(&r->tmp, (char)ch);
        else {
            vg_buf_addc(&r->tmp, (char)(0xC0 | (ch >> 6)));
            vg_buf_addc(&r->tmp, (char)(0x80 | (ch & 0x3F)));
        }
    }
    return (struct vg_str){r->tmp.p ? r->tmp.p : "", r->tmp.len};
}

/* Step 1 of every record: scrub each field into r->sc. */
static enum vg_err scrub_record(struct run *r, const struct vg_str *in)
{
    const struct vg_logbook_opts *o = r->o;
    vg_buf_reset(&r->sc);
    r->too_long = 0;
    r->src_ok = resolve_source(r->p, in[VG_COL_SOURCE], &r->src);
    for (int i = 0; i < VG_COL__COUNT; i++) {
        r->off[i] = r->sc.len;
        r->len[i] = 0;
        struct vg_str s = vg_str_trim(in[i]);
        if (s.len == 0 || (i == VG_COL_TEXT && !r->src_ok))
            continue; /* unknown source: its text is not kept, even in rejects */
        s = as_utf8(r, s);
        struct vg_scrub_policy pol = {VG_SCRUB_SRC_POLICE, 0, o->names, 0};
        if (i == VG_COL_TEXT) {
            pol.source = vg_logbook_scrub_source(r->src);
            pol.flags = o->scrub_flags;
        }
        enum vg_err e = vg_scrub(&pol, s.p, s.len, &r->sc, NULL);
        if (e == VG_LIMIT) {
            r->sc.len = r->off[i]; /* discard the partial text */
            r->too_long = 1;
            continue;
        }
        if (e)
            return e;
        r->len[i] = r->sc.len - r->off[i];
    }
    for (int i = 0; i < VG_COL__COUNT; i++)
        r->v[i] = vg_str_trim((struct vg_str){r->sc.p ? r->sc.p + r->off[i] : "", r->len[i]});
    return VG_OK;
}

/* ---- rejects -------------------------------------------------------- */

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

void vg_logbook_rejects_header(FILE *f, const struct vg_profile *p)
{
    if (f == NULL)
        return;
    for (size_t k = 0; k < NLAYOUT; k++)
        if (p->col_name[layout[k]][0]) {
            csv_field(f, p->col_name[layout[k]], strlen(p->col_name[layout[k]]));
            fputc(',', f);
        }
    fputs("reject_file,reject_line,reject_reason\n", f);
}

/* Count a rejected record and write its scrubbed fields (none when
 * `fields` is 0: the record could not be split). */
static void reject(struct run *r, size_t line, int fields, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void reject(struct run *r, size_t line, int fields, const char *fmt, ...)
{
    r->c->c.rejected++;
    FILE *f = r->o->rejects;
    if (f == NULL && r->one == NULL)
        return;
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (r->one) {
        r->one->rejected = 1;
        snprintf(r->one->why, sizeof r->one->why, "%s", why);
        snprintf(r->one->field, sizeof r->one->field, "%s",
                 r->rej_col >= 0 ? r->p->col_name[r->rej_col] : "");
    }
    if (f == NULL)
        return;
    for (size_t k = 0; k < NLAYOUT; k++)
        if (r->p->col_name[layout[k]][0]) {
            if (fields)
                csv_field(f, r->v[layout[k]].p, r->v[layout[k]].len);
            fputc(',', f);
        }
    csv_field(f, r->file, strlen(r->file));
    fprintf(f, ",%zu,", line);
    csv_field(f, why, strlen(why));
    fputc('\n', f);
}

/* ---- validation ----------------------------------------------------- */

#define V(r, col) (int)(r)->v[col].len, (r)->v[col].p

static int parse_num(struct vg_str s, double *out)
{
    char tmp[64];
    if (s.len == 0 || s.len >= sizeof tmp)
        return 0;
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end == tmp || *end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Times of the record into inc; 0 after rejecting. */
static int take_times(struct run *r, size_t line, struct vg_incident *inc)
{
    const struct vg_profile *p = r->p;
    char why[300];
    int known;
    if (r->v[VG_COL_START].len == 0) {
        r->rej_col = VG_COL_START;
        reject(r, line, 1, "no occurrence time (%s)", p->col_name[VG_COL_START]);
        return 0;
    }
    if (vg_logbook_time(&p->fmt_start, r->tz, r->v[VG_COL_START].p, r->v[VG_COL_START].len,
                        &inc->t_start, &known, why, sizeof why)) {
        r->rej_col = VG_COL_START;
        reject(r, line, 1, "%s \"%.*s\" %s", p->col_name[VG_COL_START], V(r, VG_COL_START), why);
        return 0;
    }
    inc->time_known = known;
    inc->t_end = known ? inc->t_start : inc->t_start + 86400;
    if (r->v[VG_COL_END].len) {
        int k2;
        if (vg_logbook_time(&p->fmt_end, r->tz, r->v[VG_COL_END].p, r->v[VG_COL_END].len,
                            &inc->t_end, &k2, why, sizeof why)) {
            r->rej_col = VG_COL_END;
            reject(r, line, 1, "%s \"%.*s\" %s", p->col_name[VG_COL_END], V(r, VG_COL_END), why);
            return 0;
        }
        if (!k2)
            inc->t_end += 86400;
        if (inc->t_end < inc->t_start) {
            r->rej_col = VG_COL_END;
            reject(r, line, 1, "%s \"%.*s\" is before %s \"%.*s\"", p->col_name[VG_COL_END],
                   V(r, VG_COL_END), p->col_name[VG_COL_START], V(r, VG_COL_START));
            return 0;
        }
        inc->time_known = 1;
    }
    inc->t_report = 0;
    if (r->v[VG_COL_REPORTED].len) {
        if (vg_logbook_time(&p->fmt_report, r->tz, r->v[VG_COL_REPORTED].p,
                            r->v[VG_COL_REPORTED].len, &inc->t_report, &known, why, sizeof why)) {
            r->rej_col = VG_COL_REPORTED;
            reject(r, line, 1, "%s \"%.*s\" %s", p->col_name[VG_COL_REPORTED],
                   V(r, VG_COL_REPORTED), why);
            return 0;
        }
        if (inc->t_report + (known ? 0 : 86400) <= inc->t_start) {
            r->rej_col = VG_COL_REPORTED;
            reject(r, line, 1, "%s \"%.*s\" is before the occurrence %s \"%.*s\"",
                   p->col_name[VG_COL_REPORTED], V(r, VG_COL_REPORTED),
                   p->col_name[VG_COL_START], V(r, VG_COL_START));
            return 0;
        }
    }
    return 1;
}

static int in_bbox(const struct vg_import_geo *g, double lon, double lat)
{
    return !g || !g->has_bbox ||
           (lon >= g->bbox[0] && lon <= g->bbox[2] && lat >= g->bbox[1] && lat <= g->bbox[3]);
}

/* Coordinates of the record (given, or through the gazetteer); 0 after
 * rejecting. */
static int take_place(struct run *r, size_t line, struct vg_incident *inc)
{
    const struct vg_profile *p = r->p;
    struct vg_str lo = r->v[VG_COL_LON], la = r->v[VG_COL_LAT], pl = r->v[VG_COL_PLACE];
    if (lo.len || la.len) {
        if (!parse_num(lo, &inc->lon) || !parse_num(la, &inc->lat) ||
            fabs(inc->lon) > 180 || fabs(inc->lat) > 90 || (inc->lon == 0 && inc->lat == 0)) {
            r->rej_col = VG_COL_LON;
            reject(r, line, 1, "coordinates \"%.*s\", \"%.*s\" are not longitude/latitude degrees",
                   V(r, VG_COL_LON), V(r, VG_COL_LAT));
            return 0;
        }
    } else if (pl.len == 0) {
        r->rej_col = VG_COL_PLACE;
        reject(r, line, 1, "no place: give %s or %s/%s", p->col_name[VG_COL_PLACE],
               p->col_name[VG_COL_LON], p->col_name[VG_COL_LAT]);
        return 0;
    } else if (r->o->gaz == NULL) {
        r->rej_col = VG_COL_PLACE;
        reject(r, line, 1, "place \"%.*s\" has no coordinates and no gazetteer was given (--gazetteer)",
               V(r, VG_COL_PLACE));
        return 0;
    } else {
        struct vg_gaz_match m;
        struct vg_diag gd;
        vg_diag_clear(&gd);
        if (vg_gazetteer_lookup(r->o->gaz, pl.p, pl.len, &m, &gd) != VG_OK) {
            r->rej_col = VG_COL_PLACE;
            reject(r, line, 1, "unresolved place: %s (fix the place or give lon/lat)", gd.msg);
            return 0;
        }
        inc->lon = m.lon;
        inc->lat = m.lat;
    }
    const struct vg_import_geo *g = r->o->geo;
    if (!in_bbox(g, inc->lon, inc->lat)) {
        r->rej_col = VG_COL_LON;
        reject(r, line, 1, "point %.6f, %.6f is outside the study area", inc->lon, inc->lat);
        return 0;
    }
    inc->x = inc->lon;
    inc->y = inc->lat;
    if (g && g->to_study)
        g->to_study(g->arg, &inc->lon, &inc->lat, &inc->x, &inc->y, 1);
    if (!isfinite(inc->x) || !isfinite(inc->y)) {
        r->rej_col = VG_COL_LON;
        reject(r, line, 1, "point %.6f, %.6f cannot be projected to the study CRS", inc->lon, inc->lat);
        return 0;
    }
    inc->area = g && g->locate ? g->locate(g->arg, inc->x, inc->y) : -1;
    return 1;
}

static int take_origin(struct run *r, size_t line, struct vg_incident *inc)
{
    const struct vg_profile *p = r->p;
    struct vg_str s = r->v[VG_COL_ORIGIN];
    inc->origin = p->fixed_origin;
    if (s.len == 0)
        return 1;
    const char *to = vg_profile_map(p->origins, p->norigins, s.p, s.len);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*s", (int)s.len, s.p);
    if (vg_origin_parse(to ? to : tmp, &inc->origin) != VG_OK) {
        r->rej_col = VG_COL_ORIGIN;
        reject(r, line, 1, "%s \"%.*s\" is not one of reported, discovered, camera",
               p->col_name[VG_COL_ORIGIN], V(r, VG_COL_ORIGIN));
        return 0;
    }
    return 1;
}

/* The author's category, -1 when none given; -2 after rejecting. */
static int32_t author_category(struct run *r, size_t line)
{
    const struct vg_profile *p = r->p;
    struct vg_str s = r->v[VG_COL_CATEGORY];
    if (s.len == 0) {
        if (!p->fixed_category[0])
            return -1;
        s = vg_str_of(p->fixed_category);
    }
    const char *to = vg_profile_map(p->crosswalk, p->ncrosswalk, s.p, s.len);
    int32_t k = to ? vg_taxonomy_find(r->o->tax, to, strlen(to))
                   : vg_taxonomy_find(r->o->tax, s.p, s.len);
    r->rej_col = VG_COL_CATEGORY;
    if (k < 0)
        reject(r, line, 1, "category \"%.*s\" is not in the taxonomy (see `vigie categories`) "
               "nor in the profile's [crosswalk]", (int)s.len, s.p);
    return k < 0 ? -2 : k;
}

static int64_t dedup_key(struct run *r)
{
    unsigned char h[crypto_shorthash_BYTES];
    vg_buf_reset(&r->tmp);
    if (r->v[VG_COL_ID].len) {
        vg_buf_adds(&r->tmp, "id\x1f");
        vg_buf_add(&r->tmp, r->v[VG_COL_ID].p, r->v[VG_COL_ID].len);
    } else {
        for (size_t k = 0; k < NLAYOUT; k++) {
            vg_buf_add(&r->tmp, r->v[layout[k]].p, r->v[layout[k]].len);
            vg_buf_addc(&r->tmp, '\x1f');
        }
    }
    crypto_shorthash(h, (const unsigned char *)(r->tmp.p ? r->tmp.p : ""), r->tmp.len, r->hkey);
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k |= (uint64_t)h[i] << (8 * i);
    return (int64_t)(k >> 1);
}

/* Append a NUL-terminated copy of scrubbed value `s` to `b`; *off = its
 * offset (the caller takes pointers once every append is done).  NULL if
 * `s` is empty or memory ran out. */
static const char *cstr(struct vg_buf *b, struct vg_str s, size_t *off)
{
    *off = b->len;
    if (s.len == 0 || vg_buf_add(b, s.p, s.len) || vg_buf_addc(b, '\0'))
        return NULL;
    return b->p + *off; /* caller re-bases after the last append */
}

/* Category from the classifier when the author gave none; -1 if unusable. */
static int32_t machine_category(struct run *r, const struct vg_class_result *cr)
{
    int32_t k = vg_taxonomy_find(r->o->tax, cr->category, strlen(cr->category));
    return k >= 0 ? k : vg_taxonomy_find(r->o->tax, "autre", 5);
}

static const char *review_status(const struct run *r, const struct vg_class_result *cr)
{
    double thr = r->o->review_threshold;
    int low = thr > 0 ? cr->confidence < thr : cr->review;
    return low ? "pending" : "accepted";
}

/* Classify (if there is text), fill the category, store, queue. */
static enum vg_err store_record(struct run *r, size_t line, struct vg_incident *inc,
                                int32_t cat, struct vg_diag *d)
{
    struct vg_buf sb;
    vg_buf_init(&sb, 0);
    size_t o_id, o_lab, o_pl, o_tx;
    int h_id = cstr(&sb, r->v[VG_COL_ID], &o_id) != NULL;
    int h_lab = cstr(&sb, r->v[VG_COL_CATEGORY], &o_lab) != NULL;
    int h_pl = cstr(&sb, r->v[VG_COL_PLACE], &o_pl) != NULL;
    int h_tx = cstr(&sb, r->v[VG_COL_TEXT], &o_tx) != NULL;
    struct vg_class_result cr;
    int classified = 0;
    enum vg_err e = VG_OK;
    if (h_tx && r->o->cl) {
        e = vg_classify(r->o->cl, sb.p + o_tx, r->v[VG_COL_TEXT].len, &cr);
        classified = e == VG_OK;
        if (e)
            goto out;
    }
    if (cat == -1 && classified)
        cat = machine_category(r, &cr);
    if (cat < 0) {
        int drop = r->src == VG_SRC_PARTNER_HEALTH || r->src == VG_SRC_PARTNER_SOCIAL;
        r->rej_col = VG_COL_TEXT;
        reject(r, line, 1, "no category given and no text to classify%s",
               drop ? " (partner:health and partner:social entries keep no text: give the category)" : "");
        goto out;
    }
    inc->cat = cat;
    inc->source_id = h_id ? sb.p + o_id : NULL;
    inc->label = h_lab ? sb.p + o_lab : NULL;
    inc->address = h_pl ? sb.p + o_pl : NULL;
    inc->text = h_tx ? sb.p + o_tx : NULL;
    inc->source = r->src;
    inc->dkey = dedup_key(r);
    int ins = 0;
    e = r->o->store->ops->incident_put(r->o->store, inc, &ins, d);
    if (e)
        goto out;
    if (!ins) {
        r->c->c.duplicates++;
        goto out;
    }
    r->c->c.imported++;
    r->c->no_text += !h_tx;
    if (r->one) {
        struct vg_logbook_one *w = r->one;
        w->imported = 1;
        snprintf(w->category, sizeof w->category, "%s", r->o->tax->cat[cat].code);
        w->classified = classified;
        w->confidence = classified ? cr.confidence : 0;
        snprintf(w->suggested, sizeof w->suggested, "%s", classified ? cr.category : "");
        if (h_tx)
            e = vg_buf_add(&w->text, sb.p + o_tx, r->v[VG_COL_TEXT].len);
        if (e)
            goto out;
    }
    if (classified) {
        struct vg_review_row rv;
        memset(&rv, 0, sizeof rv);
        rv.suggested = cr.category;
        rv.confidence = cr.confidence;
        rv.status = h_lab || r->p->fixed_category[0] ? "author" : review_status(r, &cr);
        r->c->classified++;
        r->c->pending += !strcmp(rv.status, "pending");
        if (r->one)
            snprintf(r->one->status, sizeof r->one->status, "%s", rv.status);
        e = r->o->store->ops->review_add(r->o->store, inc->dataset_id, inc->dkey, &rv, d);
    }
out:
    vg_buf_free(&sb);
    return e;
}

/* One record, given as its original fields by role. */
static enum vg_err take_record(struct run *r, size_t line, const struct vg_str *in,
                               size_t nfields, size_t nheader, struct vg_diag *d)
{
    enum vg_err e = scrub_record(r, in);
    r->rej_col = -1;
    if (e)
        return e;
    const struct vg_profile *p = r->p;
    if (r->too_long) {
        r->rej_col = -1;
        reject(r, line, 1, "a field is longer than the scrubber's limit (1 MiB); it is not kept");
        return VG_OK;
    }
    if (nheader && nfields != nheader) {
        r->rej_col = -1;
        char dl = r->p->delim ? r->p->delim : ',';
        if (r->joined)
            reject(r, line, 1, "%s:%zu: %zu fields, expected %zu as in the header (an unquoted '%c' in "
                   "the text?): %s holds the fields from there on joined with '%c'; check it and import "
                   "this file again", r->file, line, nfields, nheader, dl, p->col_name[VG_COL_TEXT], dl);
        else
            reject(r, line, 1, "%s:%zu: %zu fields, expected %zu as in the header%s", r->file, line,
                   nfields, nheader, nfields > nheader ? " (an unquoted delimiter in a field?)" : "");
        return VG_OK;
    }
    if (!r->src_ok) {
        r->rej_col = VG_COL_SOURCE;
        reject(r, line, 1, "%s \"%.*s\" is not one of logbook, intervention, partner:landlord, "
               "partner:social, partner:health, citizen, camera (the text is not kept)",
               p->col_name[VG_COL_SOURCE], V(r, VG_COL_SOURCE));
        return VG_OK;
    }
    struct vg_incident inc;
    memset(&inc, 0, sizeof inc);
    inc.dataset_id = r->dataset_id;
    inc.import_id = r->import_id;
    inc.tz = vg_tz_name(r->tz);
    if (!take_times(r, line, &inc) || !take_place(r, line, &inc) || !take_origin(r, line, &inc))
        return VG_OK;
    int32_t cat = author_category(r, line);
    if (cat == -2)
        return VG_OK;
    e = store_record(r, line, &inc, cat, d);
    if (e && d->line == 0)
        d->line = line;
    return e;
}

static int is_jsonl(const char *file, const struct vg_buf *b)
{
    size_t n = strlen(file);
    if ((n > 6 && !strcmp(file + n - 6, ".jsonl")) || (n > 7 && !strcmp(file + n - 7, ".ndjson")))
        return 1;
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] != ' ' && b->p[i] != '\t' && b->p[i] != '\r' && b->p[i] != '\n')
            return b->p[i] == '{';
    return 0;
}

static enum vg_err run_jsonl(struct run *r, const struct vg_buf *b, struct vg_diag *d)
{
    struct vg_logbook_fields lf;
    vg_buf_init(&lf.mem, 0);
    enum vg_err e = VG_OK;
    size_t line = 0;
    for (size_t i = 0; i < b->len && e == VG_OK;) {
        size_t j = i;
        while (j < b->len && b->p[j] != '\n')
            j++;
        line++;
        struct vg_str s = vg_str_trim((struct vg_str){b->p + i, j - i});
        i = j + 1;
        if (s.len == 0)
            continue;
        r->c->c.rows++;
        struct vg_diag jd;
        vg_diag_clear(&jd);
        enum vg_err je = vg_logbook_jsonl_fields(r->p, s.p, s.len, &lf, &jd);
        if (je == VG_PARSE || je == VG_LIMIT)
            reject(r, line, 0, "%s; the line is not copied here (it may hold unscrubbed text)", jd.msg);
        else if (je)
            e = je;
        else
            e = take_record(r, line, lf.f, 0, 0, d);
    }
    vg_buf_free(&lf.mem);
    return e;
}

/* A row with more fields than the header most likely has unquoted
 * delimiters in its text.  Such a row is rejected, and its rejects row must
 * keep all of the text for the operator to fix: join the fields from the
 * text column on (as many as the surplus) back with the delimiter into
 * r->join, the text's input, and shift the columns after it.  The joined
 * raw bytes go through scrub_record like any field, under the text's
 * policy, so the rejects file gets them scrubbed only. */
static enum vg_err join_surplus(struct run *r, const struct vg_csv_row *row, size_t nheader,
                                struct vg_str *in)
{
    const struct vg_profile *p = r->p;
    int t = p->col_index[VG_COL_TEXT];
    r->joined = 0;
    if (nheader == 0 || row->nfields <= nheader || t < 0 || (size_t)t >= nheader)
        return VG_OK;
    size_t extra = row->nfields - nheader;
    enum vg_err e = VG_OK;
    vg_buf_reset(&r->join);
    for (size_t j = (size_t)t; j <= (size_t)t + extra && e == VG_OK; j++) {
        if (j > (size_t)t)
            e = vg_buf_addc(&r->join, p->delim ? p->delim : ',');
        if (e == VG_OK)
            e = vg_buf_add(&r->join, row->field[j].p, row->field[j].len);
    }
    if (e)
        return e;
    for (int i = 0; i < VG_COL__COUNT; i++)
        if (p->col_index[i] > t)
            in[i] = row->field[(size_t)p->col_index[i] + extra];
    in[VG_COL_TEXT] = (struct vg_str){r->join.p ? r->join.p : "", r->join.len};
    r->joined = 1;
    return VG_OK;
}

static enum vg_err run_csv(struct run *r, struct vg_diag *d)
{
    struct vg_profile *p = r->o->profile;
    struct vg_csv_opts co = {p->delim, p->quote, 0};
    struct vg_csv *csv = NULL;
    struct vg_csv_row *row = vg_malloc(sizeof *row);
    if (row == NULL)
        return VG_NOMEM;
    int eof = 0;
    size_t nheader = 0;
    enum vg_err e = vg_csv_open(r->file, &co, &csv, d);
    if (e == VG_OK && p->header) {
        e = vg_csv_next(csv, row, &eof, d);
        if (e == VG_OK && eof)
            e = vg_fail(d, VG_PARSE, r->file, 1, 0, "the file is empty (a header row was expected)");
        nheader = row->nfields;
        if (e == VG_OK)
            e = vg_profile_bind(p, row->field, row->nfields, r->file, d);
    } else if (e == VG_OK) {
        e = vg_profile_bind(p, NULL, VG_CSV_MAX_FIELDS, r->file, d);
    }
    while (e == VG_OK) {
        struct vg_diag rd;
        vg_diag_clear(&rd);
        enum vg_err re = vg_csv_next(csv, row, &eof, &rd);
        if (re == VG_LIMIT || re == VG_PARSE) {
            r->c->c.rows++;
            r->rej_col = -1;
            reject(r, rd.line, 0, "%s", rd.msg);
            if (re == VG_PARSE)
                break;
            continue;
        }
        if (re || eof) {
            if (re)
                *d = rd;
            e = re;
            break;
        }
        if (row->nfields == 1 && vg_str_trim(row->field[0]).len == 0)
            continue;
        r->c->c.rows++;
        struct vg_str in[VG_COL__COUNT];
        for (int i = 0; i < VG_COL__COUNT; i++) {
            int k = p->col_index[i];
            in[i] = k >= 0 && (size_t)k < row->nfields ? row->field[k] : (struct vg_str){"", 0};
        }
        e = join_surplus(r, row, nheader, in);
        if (e == VG_OK)
            e = take_record(r, row->line, in, row->nfields, nheader, d);
    }
    vg_csv_close(csv);
    vg_free(row);
    return e;
}

/* Set up `r` for one input (file name `file`, kept in the store's import
 * record): profile check, time zone, dataset, import row. */
static enum vg_err run_open(struct run *r, const struct vg_logbook_opts *o, const char *file,
                            struct vg_logbook_counts *c, struct vg_diag *d)
{
    memset(r, 0, sizeof *r);
    memset(c, 0, sizeof *c);
    r->o = o;
    r->p = o->profile;
    r->file = file;
    r->c = c;
    r->rej_col = -1;
    memcpy(r->hkey, "vigie-logbook-k1", sizeof r->hkey);
    vg_buf_init(&r->sc, 0);
    vg_buf_init(&r->tmp, 0);
    vg_buf_init(&r->join, 0);
    if (o->profile->kind != VG_PROFILE_LOGBOOK)
        return vg_fail(d, VG_USAGE, o->profile->path, 0, 0, "profile %s is not of kind logbook", o->profile->name);
    if ((r->tz = vg_tz_get(o->profile->tz, d)) == NULL)
        return vg_fail(d, VG_PARSE, o->profile->path, 0, 0, "unknown time zone \"%s\"", o->profile->tz);
    enum vg_err e = o->store->ops->dataset(o->store, o->profile->name, o->profile->path, &r->dataset_id, d);
    if (e == VG_OK)
        e = o->store->ops->import_begin(o->store, r->dataset_id, file, &r->import_id, d);
    return e;
}

static void run_close(struct run *r)
{
    vg_buf_free(&r->sc);
    vg_buf_free(&r->tmp);
    vg_buf_free(&r->join);
}

enum vg_err vg_logbook_import(const struct vg_logbook_opts *o, const char *file,
                              struct vg_logbook_counts *c, struct vg_diag *d)
{
    struct run r;
    struct vg_buf whole;
    vg_buf_init(&whole, MAX_FILE);
    /* a .csv file is streamed; anything else is read whole to look at it */
    size_t n = strlen(file);
    int csv = n > 4 && !strcmp(file + n - 4, ".csv");
    enum vg_err e = run_open(&r, o, file, c, d);
    if (e == VG_OK && !csv)
        e = vg_buf_read_file(&whole, file, d);
    if (e == VG_OK)
        e = !csv && is_jsonl(file, &whole) ? run_jsonl(&r, &whole, d) : run_csv(&r, d);
    if (e == VG_OK)
        e = o->store->ops->import_end(o->store, r.import_id, &c->c, d);
    vg_buf_free(&whole);
    run_close(&r);
    return e;
}

enum vg_err vg_logbook_put_one(const struct vg_logbook_opts *o, const char *origin_name,
                               const struct vg_str *in, struct vg_logbook_one *res,
                               struct vg_diag *d)
{
    struct run r;
    struct vg_logbook_counts c;
    vg_buf_reset(&res->text);
    res->imported = res->rejected = res->classified = 0;
    res->confidence = 0;
    res->category[0] = res->suggested[0] = res->status[0] = res->field[0] = res->why[0] = '\0';
    enum vg_err e = run_open(&r, o, origin_name, &c, d);
    r.one = res;
    if (e == VG_OK) {
        c.c.rows = 1;
        e = take_record(&r, 1, in, 0, 0, d);
    }
    if (e == VG_OK)
        e = o->store->ops->import_end(o->store, r.import_id, &c.c, d);
    if (e == VG_OK && !res->imported && !res->rejected) {
        res->rejected = 1;
        snprintf(res->why, sizeof res->why, "the same entry is already stored (same id)");
        snprintf(res->field, sizeof res->field, "%s", r.p->col_name[VG_COL_ID]);
    }
    run_close(&r);
    return e;
}
