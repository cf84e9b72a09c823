/*
 * profile.c — parser for import profiles (INI-like, see profile.h).
 * Limits: 64 KiB of text, 512-byte lines, 4096 map entries per section.
 * Every error names the profile, the line and the offending text.
 */
#include "ingest/profile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

#define MAX_TEXT (64 * 1024)
#define MAX_LINE 512
#define MAX_MAP 4096

static const char *const col_keys[VG_COL__COUNT] = {
    "id", "start", "end", "reported", "category", "text", "lon", "lat", "x",
    "y", "address", "source", "origin", "place",
    "date", "tmax", "tmin", "prcp", "snow", "wind",
};

enum section { S_NONE, S_FORMAT, S_TIME, S_COLUMNS, S_COORD, S_RECORD,
               S_UNITS, S_CROSSWALK, S_SOURCES, S_ORIGINS };

static const char *const section_names[] = {
    "", "format", "time", "columns", "coordinates", "record", "units",
    "crosswalk", "sources", "origins",
};

struct ctx {
    struct vg_profile *p;
    const char *name;
    size_t line;
    struct vg_diag *d;
};

static enum vg_err bad(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum vg_err bad(struct ctx *c, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vg_fail(c->d, VG_PARSE, c->name, c->line, 0, "%s", msg);
}

static int is_yes(const char *v, int *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
        return *out = 1, 1;
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
        return *out = 0, 1;
    return 0;
}

static int one_char(const char *v, char *out)
{
    if (!strcmp(v, "tab") || !strcmp(v, "\\t"))
        return *out = '\t', 1;
    if (!strcmp(v, "none"))
        return *out = '\0', 1;
    if (strlen(v) == 1)
        return *out = v[0], 1;
    return 0;
}

static enum vg_err map_add(struct ctx *c, struct vg_map_entry **m, size_t *n,
                           const char *from, const char *to)
{
    if (*n >= MAX_MAP)
        return vg_fail(c->d, VG_LIMIT, c->name, c->line, 0,
                       "more than %d entries in one section", MAX_MAP);
    struct vg_map_entry *nm = vg_reallocarray(*m, *n + 1, sizeof **m);
    if (nm == NULL)
        return VG_NOMEM;
    *m = nm;
    nm[*n].from = vg_strdup(from);
    nm[*n].to = vg_strdup(to);
    if (nm[*n].from == NULL || nm[*n].to == NULL) {
        vg_free(nm[*n].from);
        vg_free(nm[*n].to);
        return VG_NOMEM;
    }
    (*n)++;
    return VG_OK;
}

static enum vg_err set_format(struct ctx *c, const char *k, const char *v)
{
    struct vg_profile *p = c->p;
    if (!strcmp(k, "kind")) {
        if (!strcmp(v, "incidents")) p->kind = VG_PROFILE_INCIDENTS;
        else if (!strcmp(v, "weather")) p->kind = VG_PROFILE_WEATHER;
        else if (!strcmp(v, "logbook")) p->kind = VG_PROFILE_LOGBOOK;
        else return bad(c, "kind \"%s\" is not one of incidents, weather, logbook%s", v, "");
    } else if (!strcmp(k, "delimiter")) {
        if (!one_char(v, &p->delim) || !p->delim)
            return bad(c, "delimiter \"%s\" must be one character or \"tab\"%s", v, "");
    } else if (!strcmp(k, "quote")) {
        if (!one_char(v, &p->quote))
            return bad(c, "quote \"%s\" must be one character or \"none\"%s", v, "");
    } else if (!strcmp(k, "decimal")) {
        if (strcmp(v, ".") && strcmp(v, ","))
            return bad(c, "decimal \"%s\" must be '.' or ','%s", v, "");
        p->decimal = v[0];
    } else if (!strcmp(k, "encoding")) {
        if (!strcmp(v, "utf-8") || !strcmp(v, "utf-8-bom") || !strcmp(v, "utf8"))
            p->latin1 = 0;
        else if (!strcmp(v, "latin1") || !strcmp(v, "iso-8859-1") || !strcmp(v, "windows-1252"))
            p->latin1 = 1;
        else
            return bad(c, "encoding \"%s\" is not utf-8 or latin1%s", v, "");
    } else if (!strcmp(k, "header")) {
        if (!is_yes(v, &p->header))
            return bad(c, "header \"%s\" must be yes or no%s", v, "");
    } else {
        return bad(c, "unknown key \"%s\" in [format]%s", k, "");
    }
    return VG_OK;
}

static enum vg_err set_time(struct ctx *c, const char *k, const char *v)
{
    struct vg_profile *p = c->p;
    struct vg_dtfmt *f = NULL;
    if (!strcmp(k, "timezone")) {
        snprintf(p->tz, sizeof p->tz, "%s", v);
        return VG_OK;
    }
    if (!strcmp(k, "z_is_local"))
        return is_yes(v, &p->z_is_local) ? VG_OK : bad(c, "z_is_local \"%s\" must be yes or no%s", v, "");
    if (!strcmp(k, "midnight_unknown"))
        return is_yes(v, &p->midnight_unknown) ? VG_OK : bad(c, "midnight_unknown \"%s\" must be yes or no%s", v, "");
    if (!strcmp(k, "format"))
        f = &p->fmt_start;
    else if (!strcmp(k, "end_format"))
        f = &p->fmt_end;
    else if (!strcmp(k, "report_format"))
        f = &p->fmt_report;
    else
        return bad(c, "unknown key \"%s\" in [time]%s", k, "");
    struct vg_diag d2;
    if (vg_dtfmt_compile(v, f, &d2) != VG_OK)
        return bad(c, "date format \"%s\": %s", v, d2.msg);
    return VG_OK;
}

static enum vg_err set_columns(struct ctx *c, const char *k, const char *v)
{
    for (int i = 0; i < VG_COL__COUNT; i++)
        if (!strcmp(k, col_keys[i])) {
            if (strlen(v) >= sizeof c->p->col_name[i])
                return bad(c, "column name \"%s\" is too long%s", v, "");
            snprintf(c->p->col_name[i], sizeof c->p->col_name[i], "%s", v);
            return VG_OK;
        }
    return bad(c, "unknown column role \"%s\" (expected id, start, end, reported, category, text, lon, lat, x, y, address, source, origin, place, date, tmax, tmin, prcp, snow, wind)%s", k, "");
}

static enum vg_err set_coord(struct ctx *c, const char *k, const char *v)
{
    struct vg_profile *p = c->p;
    if (!strcmp(k, "crs")) {
        snprintf(p->crs, sizeof p->crs, "%s", v);
        return VG_OK;
    }
    if (!strcmp(k, "bbox")) {
        double b[4];
        const char *s = v;
        for (int i = 0; i < 4; i++) {
            char *end;
            errno = 0;
            b[i] = strtod(s, &end);
            if (errno || end == s || (i < 3 && *end != ',') || (i == 3 && *end))
                return bad(c, "bbox \"%s\" must be lon_min,lat_min,lon_max,lat_max%s", v, "");
            s = end + 1;
        }
        if (!(b[0] < b[2] && b[1] < b[3]))
            return bad(c, "bbox \"%s\" is empty (min must be below max)%s", v, "");
        memcpy(p->bbox, b, sizeof b);
        p->has_bbox = 1;
        return VG_OK;
    }
    return bad(c, "unknown key \"%s\" in [coordinates]%s", k, "");
}

static enum vg_err set_record(struct ctx *c, const char *k, const char *v)
{
    struct vg_profile *p = c->p;
    if (!strcmp(k, "source")) {
        if (vg_source_parse(v, &p->fixed_source))
            return bad(c, "source \"%s\" is unknown (logbook, intervention, partner:landlord, partner:social, partner:health, citizen, camera, police_records, calls)%s", v, "");
    } else if (!strcmp(k, "origin")) {
        if (vg_origin_parse(v, &p->fixed_origin))
            return bad(c, "origin \"%s\" is unknown (reported, discovered, camera, unknown)%s", v, "");
    } else if (!strcmp(k, "category")) {
        snprintf(p->fixed_category, sizeof p->fixed_category, "%s", v);
    } else {
        return bad(c, "unknown key \"%s\" in [record]%s", k, "");
    }
    return VG_OK;
}

static enum vg_err set_units(struct ctx *c, const char *k, const char *v)
{
    struct vg_profile *p = c->p;
    if (!strcmp(k, "temperature")) {
        if (!strcmp(v, "F")) p->temp_f = 1;
        else if (!strcmp(v, "C")) p->temp_f = 0;
        else return bad(c, "temperature unit \"%s\" must be F or C%s", v, "");
    } else if (!strcmp(k, "precipitation") || !strcmp(k, "snow")) {
        double s;
        if (!strcmp(v, "in")) s = 25.4;
        else if (!strcmp(v, "mm")) s = 1;
        else if (!strcmp(v, "tenths_mm")) s = 0.1;
        else return bad(c, "length unit \"%s\" must be in, mm or tenths_mm%s", v, "");
        if (k[0] == 'p') p->prcp_scale = s; else p->snow_scale = s;
    } else if (!strcmp(k, "wind")) {
        if (!strcmp(v, "mph")) p->wind_scale = 0.44704;
        else if (!strcmp(v, "ms")) p->wind_scale = 1;
        else if (!strcmp(v, "kmh")) p->wind_scale = 1 / 3.6;
        else return bad(c, "wind unit \"%s\" must be mph, ms or kmh%s", v, "");
    } else {
        return bad(c, "unknown key \"%s\" in [units]%s", k, "");
    }
    return VG_OK;
}

static void trim(char **s, char *end)
{
    while (**s && isspace((unsigned char)**s))
        (*s)++;
    while (end > *s && isspace((unsigned char)end[-1]))
        *--end = '\0';
}

static enum vg_err parse_line(struct ctx *c, char *line, enum section *sec)
{
    char *s = line;
    trim(&s, s + strlen(s));
    if (*s == '\0' || *s == '#' || *s == ';')
        return VG_OK;
    if (*s == '[') {
        char *e = strchr(s, ']');
        if (e == NULL || e[1])
            return bad(c, "section header \"%s\" must look like [name]%s", s, "");
        *e = '\0';
        for (size_t i = 1; i < sizeof section_names / sizeof *section_names; i++)
            if (!strcmp(s + 1, section_names[i])) {
                *sec = (enum section)i;
                return VG_OK;
            }
        return bad(c, "unknown section [%s]%s", s + 1, "");
    }
    /* maps split at the last '=' (labels may contain '='), settings at the
     * first; an inline " #" starts a comment in settings only */
    char *eq = (*sec == S_CROSSWALK || *sec == S_SOURCES || *sec == S_ORIGINS)
                   ? strrchr(s, '=') : strchr(s, '=');
    if (eq == NULL)
        return bad(c, "expected \"key = value\", found \"%s\"%s", s, "");
    *eq = '\0';
    char *k = s, *v = eq + 1;
    trim(&k, eq);
    if (*sec < S_CROSSWALK) {
        char *hash = strstr(v, " #");
        if (hash)
            *hash = '\0';
    }
    trim(&v, v + strlen(v));
    if (*k == '\0')
        return bad(c, "empty key before '=' %s%s", "", "");
    switch (*sec) {
    case S_NONE: return bad(c, "\"%s\" appears before any [section]%s", k, "");
    case S_FORMAT: return set_format(c, k, v);
    case S_TIME: return set_time(c, k, v);
    case S_COLUMNS: return set_columns(c, k, v);
    case S_COORD: return set_coord(c, k, v);
    case S_RECORD: return set_record(c, k, v);
    case S_UNITS: return set_units(c, k, v);
    case S_CROSSWALK: return map_add(c, &c->p->crosswalk, &c->p->ncrosswalk, k, v);
    case S_SOURCES: {
        enum vg_source src;
        if (vg_source_parse(v, &src))
            return bad(c, "source \"%s\" is unknown%s", v, "");
        return map_add(c, &c->p->sources, &c->p->nsources, k, v);
    }
    case S_ORIGINS: {
        enum vg_origin o;
        if (vg_origin_parse(v, &o))
            return bad(c, "origin \"%s\" is unknown%s", v, "");
        return map_add(c, &c->p->origins, &c->p->norigins, k, v);
    }
    }
    return VG_INTERNAL;
}

static enum vg_err check_profile(struct ctx *c)
{
    struct vg_profile *p = c->p;
    c->line = 0;
    if (p->kind == VG_PROFILE_WEATHER) {
        if (!p->col_name[VG_COL_DATE][0])
            return bad(c, "weather profile needs a [columns] date = ...%s%s", "", "");
    } else {
        if (!p->col_name[VG_COL_START][0])
            return bad(c, "profile needs a [columns] start = ... (occurrence time)%s%s", "", "");
        if (!p->col_name[VG_COL_CATEGORY][0] && !p->fixed_category[0] &&
            p->kind == VG_PROFILE_INCIDENTS)
            return bad(c, "profile needs a category column or a fixed [record] category%s%s", "", "");
        int has_ll = p->col_name[VG_COL_LON][0] && p->col_name[VG_COL_LAT][0];
        int has_xy = p->col_name[VG_COL_X][0] && p->col_name[VG_COL_Y][0];
        if (!has_ll && !has_xy && !p->col_name[VG_COL_PLACE][0] && p->kind == VG_PROFILE_INCIDENTS)
            return bad(c, "profile needs lon/lat or x/y columns%s%s", "", "");
        if (!has_ll && has_xy && !p->crs[0])
            return bad(c, "x/y columns need [coordinates] crs = EPSG:...%s%s", "", "");
    }
    if (!p->tz[0])
        return bad(c, "profile needs [time] timezone = Area/City (the data's local zone)%s%s", "", "");
    if (p->fmt_start.nop == 0) {
        struct vg_diag d2;
        vg_dtfmt_compile("iso", &p->fmt_start, &d2);
    }
    if (p->fmt_end.nop == 0)
        p->fmt_end = p->fmt_start;
    if (p->fmt_report.nop == 0)
        p->fmt_report = p->fmt_start;
    return VG_OK;
}

enum vg_err vg_profile_parse(const char *name, const char *text, size_t len,
                             struct vg_profile **out, struct vg_diag *d)
{
    *out = NULL;
    if (len > MAX_TEXT)
        return vg_fail(d, VG_LIMIT, name, 0, 0, "profile larger than %d bytes", MAX_TEXT);
    struct vg_profile *p = vg_calloc(1, sizeof *p);
    if (p == NULL)
        return VG_NOMEM;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->delim = ',';
    p->quote = '"';
    p->decimal = '.';
    p->header = 1;
    p->prcp_scale = p->snow_scale = p->wind_scale = 1;
    for (int i = 0; i < VG_COL__COUNT; i++)
        p->col_index[i] = -1;
    struct ctx c = {p, name, 0, d};
    enum section sec = S_NONE;
    enum vg_err e = VG_OK;
    size_t i = 0;
    char line[MAX_LINE + 1];
    while (i < len && e == VG_OK) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        c.line++;
        size_t n = j - i;
        if (n > MAX_LINE) {
            e = vg_fail(d, VG_LIMIT, name, c.line, 0, "line longer than %d bytes", MAX_LINE);
            break;
        }
        memcpy(line, text + i, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) {
            e = vg_fail(d, VG_PARSE, name, c.line, 0, "NUL byte in profile text");
            break;
        }
        e = parse_line(&c, line, &sec);
        i = j + 1;
    }
    if (e == VG_OK)
        e = check_profile(&c);
    if (e) {
        vg_profile_free(p);
        return e;
    }
    *out = p;
    return VG_OK;
}

enum vg_err vg_profile_load(const char *dir, const char *name_or_path,
                            struct vg_profile **out, struct vg_diag *d)
{
    char path[512];
    size_t nl = strlen(name_or_path);
    int is_path = strchr(name_or_path, '/') != NULL ||
                  (nl > 8 && !strcmp(name_or_path + nl - 8, ".profile"));
    if (is_path)
        snprintf(path, sizeof path, "%s", name_or_path);
    else
        snprintf(path, sizeof path, "%s/%s.profile", dir ? dir : "profiles", name_or_path);
    struct vg_buf b;
    vg_buf_init(&b, MAX_TEXT);
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e == VG_IO && !is_path)
        vg_fail(d, VG_NOTFOUND, path, 0, 0,
                "no profile named \"%s\" (looked for %s)", name_or_path, path);
    if (e == VG_OK) {
        /* name the profile after its file, without folder and suffix */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char nm[64];
        if (snprintf(nm, sizeof nm, "%s", base) >= (int)sizeof nm)
            nm[sizeof nm - 1] = '\0';
        char *dot = strstr(nm, ".profile");
        if (dot)
            *dot = '\0';
        e = vg_profile_parse(path, b.p ? b.p : "", b.len, out, d);
        if (e == VG_OK) {
            snprintf((*out)->name, sizeof (*out)->name, "%s", nm);
            if (snprintf((*out)->path, sizeof (*out)->path, "%s", path) >=
                (int)sizeof (*out)->path)
                (*out)->path[sizeof (*out)->path - 1] = '\0';
        }
    }
    vg_buf_free(&b);
    return e == VG_IO && !is_path ? VG_NOTFOUND : e;
}

enum vg_err vg_profile_bind(struct vg_profile *p, const struct vg_str *hdr,
                            size_t n, const char *file, struct vg_diag *d)
{
    for (int i = 0; i < VG_COL__COUNT; i++) {
        const char *want = p->col_name[i];
        p->col_index[i] = -1;
        if (!want[0])
            continue;
        if (want[0] == '#') {
            char *end;
            long k = strtol(want + 1, &end, 10);
            if (*end || k < 1 || (size_t)k > n)
                return vg_fail(d, VG_PARSE, file, 1, 0,
                               "profile %s: column \"%s\" for %s: the file has %zu columns",
                               p->name, want, col_keys[i], n);
            p->col_index[i] = (int)k - 1;
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            struct vg_str h = vg_str_trim(hdr[k]);
            if (vg_str_eq(h, want) || vg_str_ieq(h, want)) {
                p->col_index[i] = (int)k;
                break;
            }
        }
        if (p->col_index[i] < 0)
            return vg_fail(d, VG_PARSE, file, 1, 0,
                           "profile %s: column \"%s\" (%s) is not in the header",
                           p->name, want, col_keys[i]);
    }
    return VG_OK;
}

const char *vg_profile_map(const struct vg_map_entry *m, size_t n,
                           const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(m[i].from) == len && memcmp(m[i].from, s, len) == 0)
            return m[i].to;
    struct vg_str v = {s, len};
    for (size_t i = 0; i < n; i++)
        if (vg_str_ieq(v, m[i].from))
            return m[i].to;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].from, "*"))
            return m[i].to;
    return NULL;
}

static void map_free(struct vg_map_entry *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vg_free(m[i].from);
        vg_free(m[i].to);
    }
    vg_free(m);
}

void vg_profile_free(struct vg_profile *p)
{
    if (p == NULL)
        return;
    map_free(p->crosswalk, p->ncrosswalk);
    map_free(p->sources, p->nsources);
    map_free(p->origins, p->norigins);
    vg_free(p);
}
