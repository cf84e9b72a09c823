/*
 * vseg.h — one recorded segment: an H.264 (libx264) encoder and an MP4
 * muxer with a single video stream (never audio) writing to a temporary
 * name.  vg_vseg_finish() flushes, writes the trailer (faststart), fsyncs,
 * hashes (SHA-256) and renames to the final name, then fsyncs the
 * directory; vg_vseg_abort() removes the temporary file.  So a crash or a
 * write error loses at most the segment being written and never touches a
 * finished one.
 *
 * Frames given to vg_vseg_write must be already masked YUV420P of the size
 * given at open; their pts are in `tb` units, any origin (the segment
 * rebases them so it starts at 0).  One vg_vseg owns its encoder, muxer and
 * temporary file; free it with vg_vseg_abort() or vg_vseg_finish().
 */
#ifndef VG_VSEG_H
#define VG_VSEG_H

#include <libavutil/frame.h>
#include <libavutil/rational.h>
#include <stdint.h>

#include "base/err.h"

struct vg_vseg_enc {
    const char *preset; /* x264 preset, e.g. "veryfast" */
    int crf;            /* x264 constant rate factor, e.g. 26 */
    int threads;        /* 0: libx264 chooses */
};

struct vg_vseg_out;

/* Start a segment written to `tmp_path` (the final name is chosen at
 * finish, when the segment's start time is known for sure). */
enum vg_err vg_vseg_open(struct vg_vseg_out **out, const char *tmp_path,
                         int w, int h, AVRational tb, AVRational fps,
                         const struct vg_vseg_enc *enc, struct vg_diag *d);
/* Encode and mux one masked frame (the frame is not modified). */
enum vg_err vg_vseg_write(struct vg_vseg_out *s, const AVFrame *f,
                          struct vg_diag *d);
/* Frames written so far. */
int64_t vg_vseg_frames(const struct vg_vseg_out *s);
/* Finish as described above; frees s in every case.  On success fills the
 * frame count, file size and hex SHA-256 of the final file.  On failure the
 * temporary file is removed. */
enum vg_err vg_vseg_finish(struct vg_vseg_out *s, const char *final_path,
                           int64_t *frames,
                           int64_t *bytes, char sha256[65], struct vg_diag *d);
/* Discard: free, remove the temporary file.  Accepts NULL. */
void vg_vseg_abort(struct vg_vseg_out *s);

#endif
