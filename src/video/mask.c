/*
 * mask.c — scanline polygon fill for privacy masks.
 *
 * For each sample row the edges crossing the row's centre line are
 * intersected, the crossings sorted, and the spans between pairs filled
 * (even-odd rule).  Chroma rows cover two luma rows and chroma columns two
 * luma columns: a chroma sample is filled when any covered luma pixel is,
 * so colour never leaks at a mask's border.  Everything is clipped to the
 * plane.  No heap memory, no state.
 */
#include "video/mask.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_int(const char **p, int32_t *out)
{
    char *end;
    long v = strtol(*p, &end, 10);
    if (end == *p || v < 0 || v > VG_MASK_MAX_COORD)
        return 0;
    *out = (int32_t)v;
    *p = end;
    return 1;
}

enum vg_err vg_mask_parse(const char *s, struct vg_poly *out,
                          struct vg_diag *d)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (*p == '\0')
            break;
        if (out->n == VG_MASK_MAX_PTS)
            return vg_fail(d, VG_LIMIT, "", 0, 0,
                           "mask has more than %d vertices", VG_MASK_MAX_PTS);
        const char *tok = p;
        if (!parse_int(&p, &out->x[out->n]) || *p++ != ',' ||
            !parse_int(&p, &out->y[out->n]) ||
            (*p != '\0' && *p != ' ' && *p != ';'))
            return vg_fail(d, VG_PARSE, "", 0, (size_t)(tok - s) + 1,
                           "mask vertex \"%.20s\" is not \"x,y\" with integers "
                           "0..%d", tok, VG_MASK_MAX_COORD);
        out->n++;
    }
    if (out->n < 3)
        return vg_fail(d, VG_GEOM, "", 0, 0,
                       "mask \"%.40s\" needs at least 3 vertices, has %zu", s,
                       out->n);
    if (vg_mask_area2(out) == 0)
        return vg_fail(d, VG_GEOM, "", 0, 0, "mask \"%.40s\" has zero area", s);
    return VG_OK;
}

void vg_mask_format(const struct vg_poly *p, char *out, size_t cap)
{
    size_t off = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < p->n && off < cap; i++) {
        int w = snprintf(out + off, cap - off, "%s%d,%d", i ? " " : "",
                         (int)p->x[i], (int)p->y[i]);
        if (w < 0)
            break;
        off += (size_t)w;
    }
}

double vg_mask_area2(const struct vg_poly *p)
{
    double a = 0;
    for (size_t i = 0, j = p->n - 1; i < p->n; j = i++)
        a += (double)p->x[j] * p->y[i] - (double)p->x[i] * p->y[j];
    return a;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Crossings of the horizontal line at luma ordinate ys, sorted. */
static size_t crossings(const struct vg_poly *p, double ys, double *xs)
{
    size_t n = 0;
    for (size_t i = 0, j = p->n - 1; i < p->n; j = i++) {
        double y0 = p->y[j], y1 = p->y[i];
        if ((y0 > ys) != (y1 > ys))
            xs[n++] = p->x[j] + (ys - y0) * (p->x[i] - p->x[j]) / (y1 - y0);
    }
    qsort(xs, n, sizeof xs[0], cmp_double);
    return n;
}

/* Fill, on one row of a plane, the samples covering the luma pixels whose
 * centre lies in the spans of luma row `ly`. */
static void fill_row(uint8_t *row, int w, const struct vg_poly *p, int ly,
                     int shift, uint8_t value)
{
    double xs[VG_MASK_MAX_PTS];
    size_t n = crossings(p, ly + 0.5, xs);
    for (size_t k = 0; k + 1 < n; k += 2) {
        /* luma pixels i with i + 0.5 in [xa, xb) */
        long i0 = (long)ceil(xs[k] - 0.5), i1 = (long)ceil(xs[k + 1] - 0.5) - 1;
        if (i1 < i0)
            continue;
        long c0 = i0 >> shift, c1 = i1 >> shift;
        if (c0 < 0)
            c0 = 0;
        if (c1 >= w)
            c1 = w - 1;
        if (c1 >= c0)
            memset(row + c0, value, (size_t)(c1 - c0 + 1));
    }
}

void vg_mask_fill_plane(uint8_t *plane, int linesize, int w, int h,
                        const struct vg_poly *p, int shift, uint8_t value)
{
    if (p->n < 3)
        return;
    int32_t ymin = p->y[0], ymax = p->y[0];
    for (size_t i = 1; i < p->n; i++) {
        if (p->y[i] < ymin)
            ymin = p->y[i];
        if (p->y[i] > ymax)
            ymax = p->y[i];
    }
    int r0 = ymin >> shift, r1 = ymax >> shift;
    if (r0 < 0)
        r0 = 0;
    if (r1 >= h)
        r1 = h - 1;
    for (int r = r0; r <= r1; r++)
        for (int k = 0; k < (1 << shift); k++)
            fill_row(plane + (ptrdiff_t)r * linesize, w, p, (r << shift) + k,
                     shift, value);
}

void vg_mask_apply_yuv420(uint8_t *const data[3], const int linesize[3],
                          int w, int h, const struct vg_poly *polys,
                          size_t npolys)
{
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    for (size_t i = 0; i < npolys; i++) {
        vg_mask_fill_plane(data[0], linesize[0], w, h, &polys[i], 0, VG_MASK_Y);
        vg_mask_fill_plane(data[1], linesize[1], cw, ch, &polys[i], 1,
                           VG_MASK_UV);
        vg_mask_fill_plane(data[2], linesize[2], cw, ch, &polys[i], 1,
                           VG_MASK_UV);
    }
}
