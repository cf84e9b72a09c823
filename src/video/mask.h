/*
 * mask.h — privacy masks: polygons in the camera's pixel coordinates, burnt
 * into decoded YUV 4:2:0 frames before anything else sees them.
 *
 * Text form of a polygon: "x,y x,y x,y ..." (3..VG_MASK_MAX_PTS vertices,
 * integers in 0..VG_MASK_MAX_COORD).  Fill rule: even-odd; a luma pixel is
 * masked when its centre (i+0.5, j+0.5) is inside.  A chroma sample is masked
 * when any of the four luma pixels it covers is masked (never less than the
 * luma mask: privacy errs on the side of hiding).  No heap memory.
 */
#ifndef VG_MASK_H
#define VG_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VG_MASK_MAX_PTS 64
#define VG_MASK_MAX_POLYS 32
#define VG_MASK_MAX_COORD 16384
/* Limited-range black, the value every masked sample takes. */
#define VG_MASK_Y 16
#define VG_MASK_UV 128

struct vg_poly {
    size_t n;
    int32_t x[VG_MASK_MAX_PTS], y[VG_MASK_MAX_PTS];
};

/* Parse the text form into `out`.  VG_PARSE / VG_LIMIT / VG_GEOM (fewer than
 * 3 vertices, or zero area) with the offending token in `d`. */
enum vg_err vg_mask_parse(const char *s, struct vg_poly *out,
                          struct vg_diag *d);
/* Text form of `p` into out (always terminated; truncated if cap is small). */
void vg_mask_format(const struct vg_poly *p, char *out, size_t cap);
/* Twice the signed area (shoelace), for tests and validation. */
double vg_mask_area2(const struct vg_poly *p);

/* Fill polygon `p` with `value` on a plane of w x h samples whose pixel
 * grid is the luma grid divided by 2^shift (shift 0 luma, 1 chroma 4:2:0). */
void vg_mask_fill_plane(uint8_t *plane, int linesize, int w, int h,
                        const struct vg_poly *p, int shift, uint8_t value);
/* Burn every polygon into a YUV 4:2:0 picture of luma size w x h:
 * Y = VG_MASK_Y, U = V = VG_MASK_UV inside the masks. */
void vg_mask_apply_yuv420(uint8_t *const data[3], const int linesize[3],
                          int w, int h, const struct vg_poly *polys,
                          size_t npolys);

#endif
