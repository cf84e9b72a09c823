/*
 * vrec.h — the recorder of one camera: RTSP in (libavformat, TCP or UDP),
 * decode, burn in the privacy masks, then the masked frame — and only it —
 * goes to the H.264 segment writer (vseg.h) and to the live JPEG (vlive.h).
 * Audio is never decoded: its packets are discarded at the demuxer.
 *
 * Segments are cut at fixed media-time lengths, each starting with a key
 * frame, written durably and indexed (vstore.h).  When the camera drops, the
 * segment in progress is closed, the recorder reconnects with exponential
 * backoff and, when frames flow again, records the gap.  A write error
 * (disk full, quota, I/O) stops recording cleanly: the partial segment is
 * removed, an alert row is written and printed on stderr, finished segments
 * are untouched.
 */
#ifndef VG_VREC_H
#define VG_VREC_H

#include <sqlite3.h>

#include "base/err.h"
#include "video/vseg.h"
#include "video/vstore.h"

struct vg_vrec_opts {
    const char *dir;      /* segments go to <dir>/<camera>/<YYYY-MM-DD>/ */
    const char *live_dir; /* NULL: <dir>/live */
    int segment_s;        /* segment length in seconds (media time) */
    double duration_s;    /* stop after this wall time; <= 0: until signal */
    int live_every;       /* write live JPEG every N frames; 0: never */
    struct vg_vseg_enc enc;
    int dec_threads;      /* decoder threads (1 is best with many cameras) */
    double backoff_min_s, backoff_max_s;
    double io_timeout_s;  /* a camera silent this long is a drop */
    double min_free_mb;   /* alert "disk-low" below this free space; 0: off */
    int quiet;
};

/* Fill `o` with the defaults (60 s segments, live every 25 frames,
 * veryfast/crf 26, backoff 0.5..30 s, 5 s I/O timeout, disk-low alert
 * under 1024 MB free). */
void vg_vrec_defaults(struct vg_vrec_opts *o);

/* Record `cam` until the duration elapses or vg_vrec_request_stop() is
 * called.  Returns VG_OK on a clean stop, VG_IO after a write error
 * (alert raised), another code on a database or setup failure. */
enum vg_err vg_vrec_run(sqlite3 *db, const struct vg_vcam *cam,
                        const struct vg_vrec_opts *o, struct vg_diag *d);

/* Async-signal-safe: ask every running recorder to stop after closing its
 * current segment. */
void vg_vrec_request_stop(void);

#endif
