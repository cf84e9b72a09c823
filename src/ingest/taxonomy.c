/*
 * taxonomy.c — loading and looking up categories.  Small (tens of
 * entries): lookups are linear scans over codes.
 */
#include "ingest/taxonomy.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

static int valid_code(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

enum vg_err vg_taxonomy_add(struct vg_taxonomy *t, const struct vg_category *c)
{
    struct vg_category *n = vg_reallocarray(t->cat, t->n + 1, sizeof *n);
    if (n == NULL)
        return VG_NOMEM;
    t->cat = n;
    t->cat[t->n++] = *c;
    return VG_OK;
}

static void copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

enum vg_err vg_taxonomy_load(const char *path, struct vg_taxonomy *out,
                             struct vg_diag *d)
{
    memset(out, 0, sizeof *out);
    struct vg_buf b;
    vg_buf_init(&b, 1 << 20);
    enum vg_err e = vg_buf_read_file(&b, path, d);
    size_t line = 0, i = 0;
    while (e == VG_OK && i < b.len) {
        size_t j = i;
        while (j < b.len && b.p[j] != '\n')
            j++;
        line++;
        const char *s = b.p + i;
        size_t n = j - i;
        i = j + 1;
        if (n && s[n - 1] == '\r')
            n--;
        if (n == 0 || s[0] == '#')
            continue;
        const char *f[6];
        size_t fl[6], nf = 0, k = 0;
        f[0] = s;
        while (nf < 6) {
            size_t st = k;
            while (k < n && s[k] != '\t')
                k++;
            f[nf] = s + st;
            fl[nf++] = k - st;
            if (k >= n)
                break;
            k++;
        }
        if (nf < 5) {
            e = vg_fail(d, VG_PARSE, path, line, 0,
                        "expected 5 tab-separated columns (code, label_fr, label_en, group, police_activity), found %zu", nf);
            break;
        }
        struct vg_category c;
        memset(&c, 0, sizeof c);
        copy_field(c.code, sizeof c.code, f[0], fl[0]);
        copy_field(c.label_fr, sizeof c.label_fr, f[1], fl[1]);
        copy_field(c.label_en, sizeof c.label_en, f[2], fl[2]);
        copy_field(c.group, sizeof c.group, f[3], fl[3]);
        c.police_activity = fl[4] == 1 && f[4][0] == '1';
        if (nf > 5)
            copy_field(c.police_reason, sizeof c.police_reason, f[5], fl[5]);
        if (!valid_code(c.code)) {
            e = vg_fail(d, VG_PARSE, path, line, 1,
                        "category code \"%s\" must be lower-case letters, digits and '_'", c.code);
        } else if (vg_taxonomy_find(out, c.code, strlen(c.code)) >= 0) {
            e = vg_fail(d, VG_PARSE, path, line, 1, "category code \"%s\" appears twice", c.code);
        } else {
            e = vg_taxonomy_add(out, &c);
        }
    }
    vg_buf_free(&b);
    if (e == VG_OK && out->n == 0)
        e = vg_fail(d, VG_PARSE, path, 0, 0, "no categories in the file");
    if (e)
        vg_taxonomy_free(out);
    return e;
}

int32_t vg_taxonomy_find(const struct vg_taxonomy *t, const char *code,
                         size_t len)
{
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->cat[i].code) == len && memcmp(t->cat[i].code, code, len) == 0)
            return (int32_t)i;
    return -1;
}

enum vg_err vg_taxonomy_select(const struct vg_taxonomy *t, const char *spec,
                               int32_t *out, size_t max, size_t *n,
                               struct vg_diag *d)
{
    *n = 0;
    const char *s = spec;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        int matched = 0;
        for (size_t i = 0; i < t->n; i++) {
            int hit = 0;
            if (len == 3 && !memcmp(s, "all", 3))
                hit = 1;
            else if (len > 6 && !memcmp(s, "group:", 6))
                hit = strlen(t->cat[i].group) == len - 6 &&
                      !memcmp(t->cat[i].group, s + 6, len - 6);
            else
                hit = strlen(t->cat[i].code) == len && !memcmp(t->cat[i].code, s, len);
            if (!hit)
                continue;
            matched = 1;
            size_t k = 0;
            while (k < *n && out[k] != (int32_t)i)
                k++;
            if (k < *n)
                continue;
            if (*n == max)
                return vg_fail(d, VG_LIMIT, "", 0, 0, "too many categories");
            out[(*n)++] = (int32_t)i;
        }
        if (!matched)
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "unknown category \"%.*s\" (see `vigie categories`; groups: group:persons, group:property, group:public_order)",
                           (int)len, s);
        s += len;
        if (*s == ',')
            s++;
    }
    if (*n == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "no category selected");
    return VG_OK;
}

int vg_taxonomy_police_activity(const struct vg_taxonomy *t, int32_t cat,
                                const char **reason)
{
    int yes = t && cat >= 0 && (size_t)cat < t->n && t->cat[cat].police_activity;
    if (reason)
        *reason = !yes ? NULL
                  : t->cat[cat].police_reason[0] ? t->cat[cat].police_reason
                                                 : VG_TAXONOMY_POLICE_REASON;
    return yes;
}

void vg_taxonomy_free(struct vg_taxonomy *t)
{
    if (t == NULL)
        return;
    vg_free(t->cat);
    t->cat = NULL;
    t->n = 0;
}
