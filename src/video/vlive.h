/*
 * vlive.h — live view from the masked path only.
 *
 * The recorder hands every Nth masked frame to vg_vlive_write(), which
 * encodes it as JPEG (libavcodec mjpeg, full-range YUV) and atomically
 * replaces <dir>/<camera>.jpg (temp name + rename, so a reader never sees a
 * half-written picture).  The web server's camera wall reads it back with
 * vg_vlive_latest() and streams it with vg_vlive_mjpeg_part() (a
 * multipart/x-mixed-replace body part).  Viewing is logged through
 * vg_vstore_view_log() (vstore.h) when a viewer leaves.
 * There is no entry point taking an unmasked frame: the only frames that
 * reach this module come out of vg_mask_apply_yuv420() in the recorder.
 */
#ifndef VG_VLIVE_H
#define VG_VLIVE_H

#include <libavutil/frame.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define VG_VLIVE_BOUNDARY "vigieframe"
#define VG_VLIVE_CONTENT_TYPE \
    "multipart/x-mixed-replace; boundary=" VG_VLIVE_BOUNDARY
#define VG_VLIVE_MAX_JPEG (8u << 20)

struct vg_vlive;

/* A JPEG writer for frames of w x h YUV420P (limited range).  `dir` is
 * created if missing.  Owns its encoder and scaler; free with
 * vg_vlive_free(). */
enum vg_err vg_vlive_open(struct vg_vlive **out, const char *dir,
                          const char *camera, int w, int h,
                          struct vg_diag *d);
void vg_vlive_free(struct vg_vlive *l);
/* Encode a masked frame as JPEG into `jpeg` (appended). */
enum vg_err vg_vlive_encode(struct vg_vlive *l, const AVFrame *masked,
                            struct vg_buf *jpeg, struct vg_diag *d);
/* Encode and atomically replace <dir>/<camera>.jpg. */
enum vg_err vg_vlive_write(struct vg_vlive *l, const AVFrame *masked,
                           struct vg_diag *d);

/* Read the latest JPEG of `camera` into `jpeg` (reset first) and its
 * modification time (UTC ms; the caller decides whether it is too old).
 * VG_NOTFOUND if the camera has no live picture. */
enum vg_err vg_vlive_latest(const char *dir, const char *camera,
                            struct vg_buf *jpeg, int64_t *mtime_ms,
                            struct vg_diag *d);
/* Append one multipart part (boundary line, headers, JPEG bytes, CRLF) to
 * `out` for a Content-Type VG_VLIVE_CONTENT_TYPE response. */
enum vg_err vg_vlive_mjpeg_part(struct vg_buf *out, const void *jpeg,
                                size_t n);

#endif
