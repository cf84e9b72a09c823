/*
 * vrec.c — record one camera: RTSP → decode → masks → {segments,
 * thumbnails, live}.
 *
 * Invariant (privacy): the only frame handed to any output is `m` in
 * on_frame()/outputs(), after vg_mask_apply_yuv420(); unmasked pictures
 * exist only in the decoder's (or scaler's) buffers and are never written
 * or sent.  Invariant
 * (durability): a segment row is inserted only after vg_vseg_finish() has
 * renamed and fsynced its file.  Timing: segment boundaries and times come
 * from the camera's presentation timestamps, anchored to the wall clock at
 * the first frame of each connection, so consecutive segments of one
 * connection tile time exactly (end of one = start of the next).
 * Owns (per connection): demuxer, decoder, scaler, frames, packet, the open
 * segment and the live writer; all released by session_close().
 */
#include "video/vrec.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "video/mask.h"
#include "video/vlive.h"
#include "video/vutil.h"

static volatile sig_atomic_t stop_flag;

void vg_vrec_request_stop(void)
{
    stop_flag = 1;
}

void vg_vrec_defaults(struct vg_vrec_opts *o)
{
    memset(o, 0, sizeof *o);
    o->dir = "video";
    o->segment_s = 60;
    o->live_every = 25;
    o->enc.preset = "veryfast";
    o->enc.crf = 26;
    o->dec_threads = 1;
    o->backoff_min_s = 0.5;
    o->backoff_max_s = 30;
    o->io_timeout_s = 5;
    o->min_free_mb = 1024;
}

struct rec {
    sqlite3 *db;
    const struct vg_vcam *cam;
    const struct vg_vrec_opts *o;
    struct vg_poly polys[VG_MASK_MAX_POLYS];
    size_t npolys;
    int64_t deadline_ms, io_deadline_ms;
    int64_t gap_open_ms; /* start of an outage not yet recorded, 0: none */
    int64_t last_end_ms; /* wall end of the last segment closed */
    char gap_reason[320];
    char live_dir[2048];
    int done; /* duration elapsed or stop requested */
    int low_space; /* a disk-low alert is raised and not yet cleared */
    /* per connection */
    AVFormatContext *ic;
    AVCodecContext *dec;
    struct SwsContext *sws;
    AVFrame *frame, *conv;
    AVPacket *pkt;
    int vidx, w, h;
    AVRational tb, fps;
    int64_t frame_dur, pts0, wall0, last_pts, nframes, session_frames;
    int64_t session_segs; /* segments closed on this connection */
    struct vg_vlive *live;
    struct vg_vseg_out *seg;
    struct vg_buf thumb; /* JPEG of the open segment's first masked frame */
    int64_t seg_pts0;
    char seg_file[512];
};

static int should_stop(struct rec *r)
{
    if (stop_flag || r->done)
        return 1;
    if (r->deadline_ms && vg_vutil_now_ms() >= r->deadline_ms)
        r->done = 1;
    return r->done;
}

static int interrupt_cb(void *p)
{
    struct rec *r = p;
    if (should_stop(r))
        return 1;
    return r->io_deadline_ms && vg_vutil_now_ms() > r->io_deadline_ms;
}

static void arm_io(struct rec *r)
{
    r->io_deadline_ms = vg_vutil_now_ms() + (int64_t)(r->o->io_timeout_s * 1000);
}

/* Alert: one row in video_alert and one line on stderr. */
static void raise_alert(struct rec *r, const char *kind, struct vg_diag *d)
{
    char msg[600];
    struct vg_diag d2;
    vg_diag_format(d, msg, sizeof msg);
    fprintf(stderr, "vigie video record: ALERT %s camera \"%s\": %s\n", kind,
            r->cam->name, msg);
    vg_diag_clear(&d2);
    if (vg_vstore_alert_add(r->db, r->cam->id, vg_vutil_now_ms(), kind, msg,
                            &d2) != VG_OK)
        fprintf(stderr, "vigie video record: alert not stored: %s\n", d2.msg);
}

static int64_t wall_of(const struct rec *r, int64_t pts)
{
    return r->wall0 + av_rescale_q(pts - r->pts0, r->tb, (AVRational){1, 1000});
}

static enum vg_err seg_path(const struct rec *r, int64_t start_ms, char *out,
                            size_t cap, struct vg_diag *d)
{
    char t[32], dir[3072];
    vg_vutil_fmt_time(start_ms, t, sizeof t); /* 2026-11-28T10:00:00.000Z */
    snprintf(dir, sizeof dir, "%s/%s/%.10s", r->o->dir, r->cam->name, t);
    enum vg_err e = vg_vutil_mkdirs(dir, d);
    /* compact, colon-free stamp: 20261128T100000.000Z */
    char c[24];
    snprintf(c, sizeof c, "%.4s%.2s%.2sT%.2s%.2s%.6s", t, t + 5, t + 8,
             t + 11, t + 14, t + 17);
    if (e == VG_OK &&
        snprintf(out, cap, "%s/%s-%s.mp4", dir, r->cam->name, c) >= (int)cap)
        e = vg_fail(d, VG_LIMIT, dir, 0, 0, "segment path too long");
    return e;
}

/* Early warning: alert once when free space under o->dir drops below
 * o->min_free_mb, again only after it has recovered.  Never stops. */
static void check_space(struct rec *r)
{
    struct statvfs sv;
    if (r->o->min_free_mb <= 0 || statvfs(r->o->dir, &sv) != 0)
        return;
    double free_mb = (double)sv.f_bavail * sv.f_frsize / (1024.0 * 1024.0);
    if (free_mb >= r->o->min_free_mb) {
        r->low_space = 0;
        return;
    }
    if (r->low_space)
        return;
    r->low_space = 1;
    struct vg_diag d;
    vg_fail(&d, VG_IO, r->o->dir, 0, 0,
            "%.1f MB free, below the %g MB threshold: recording will stop "
            "when the disk is full", free_mb, r->o->min_free_mb);
    raise_alert(r, "disk-low", &d);
}

/* The segment is written under <dir>/<camera>/.<camera>.part and named
 * when closed, once its start time is final (see first_frame()). */
static enum vg_err seg_open(struct rec *r, int64_t pts, struct vg_diag *d)
{
    char dir[sizeof r->seg_file];
    check_space(r);
    snprintf(dir, sizeof dir, "%s/%s", r->o->dir, r->cam->name);
    enum vg_err e = vg_vutil_mkdirs(dir, d);
    if (e == VG_OK && snprintf(r->seg_file, sizeof r->seg_file, "%s/.%s.part",
                               dir, r->cam->name) >= (int)sizeof r->seg_file)
        e = vg_fail(d, VG_LIMIT, dir, 0, 0, "segment path too long");
    if (e == VG_OK)
        e = vg_vseg_open(&r->seg, r->seg_file, r->w, r->h, r->tb, r->fps, &r->o->enc,
                         d);
    if (e == VG_OK)
        r->seg_pts0 = pts;
    return e;
}

/* Close the open segment durably and index it. */
static enum vg_err seg_close(struct rec *r, struct vg_diag *d)
{
    struct vg_vseg s;
    if (r->seg == NULL)
        return VG_OK;
    memset(&s, 0, sizeof s);
    s.cam_id = r->cam->id;
    s.start_ms = wall_of(r, r->seg_pts0);
    s.end_ms = wall_of(r, r->last_pts + r->frame_dur);
    struct vg_vseg_out *out = r->seg;
    r->seg = NULL;
    enum vg_err e = seg_path(r, s.start_ms, s.path, sizeof s.path, d);
    if (e != VG_OK) {
        vg_vseg_abort(out);
        return e;
    }
    e = vg_vseg_finish(out, s.path, &s.frames, &s.bytes, s.sha256, d);
    if (e != VG_OK)
        return e;
    r->session_segs++;
    if ((e = vg_vstore_seg_add(r->db, &s, d)) != VG_OK)
        return e;
    if (r->gap_open_ms) { /* the outage ended where this segment starts */
        int64_t to = s.start_ms > r->gap_open_ms ? s.start_ms : r->gap_open_ms;
        if ((e = vg_vstore_gap_add(r->db, r->cam->id, r->gap_open_ms, to,
                                   r->gap_reason, d)) != VG_OK)
            return e;
        r->gap_open_ms = 0;
    }
    /* thumbnail after indexing: a failure here (disk full) leaves an
     * indexed, complete segment without thumbnail, never the reverse */
    if (r->thumb.len) {
        char tp[sizeof s.path];
        vg_vutil_thumb_path(s.path, tp, sizeof tp);
        if ((e = vg_vutil_write_atomic(tp, r->thumb.p, r->thumb.len, 0640,
                                       d)) != VG_OK)
            return e;
    }
    r->last_end_ms = s.end_ms;
    if (!r->o->quiet)
        fprintf(stderr, "segment %s %lld frames %lld bytes\n", s.path,
                (long long)s.frames, (long long)s.bytes);
    return VG_OK;
}

static void session_close(struct rec *r)
{
    vg_vseg_abort(r->seg);
    r->seg = NULL;
    vg_vlive_free(r->live);
    r->live = NULL;
    avcodec_free_context(&r->dec);
    avformat_close_input(&r->ic);
    sws_freeContext(r->sws);
    r->sws = NULL;
    av_frame_free(&r->frame);
    av_frame_free(&r->conv);
    av_packet_free(&r->pkt);
}

/* Connect, find the video stream, open its decoder.  Other streams (audio,
 * data) are discarded by the demuxer and never read. */
static enum vg_err session_open(struct rec *r, struct vg_diag *d)
{
    AVDictionary *opt = NULL;
    char us[32];
    int err;
    r->ic = avformat_alloc_context();
    r->frame = av_frame_alloc();
    r->pkt = av_packet_alloc();
    if (!r->ic || !r->frame || !r->pkt)
        return VG_NOMEM;
    r->ic->interrupt_callback.callback = interrupt_cb;
    r->ic->interrupt_callback.opaque = r;
    snprintf(us, sizeof us, "%lld", (long long)(r->o->io_timeout_s * 1e6));
    if (strncmp(r->cam->url, "rtsp", 4) == 0) {
        av_dict_set(&opt, "rtsp_transport", r->cam->transport, 0);
        av_dict_set(&opt, "timeout", us, 0);
    }
    av_dict_set(&opt, "analyzeduration", "1000000", 0);
    arm_io(r);
    err = avformat_open_input(&r->ic, r->cam->url, NULL, &opt);
    av_dict_free(&opt);
    if (err < 0) {
        r->ic = NULL; /* freed by avformat_open_input on failure */
        char m[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(err, m, sizeof m);
        return vg_fail(d, VG_IO, r->cam->url, 0, 0, "connect: %s", m);
    }
    arm_io(r);
    if ((err = avformat_find_stream_info(r->ic, NULL)) < 0)
        return vg_fail(d, VG_IO, r->cam->url, 0, 0, "no stream information");
    const AVCodec *codec = NULL;
    r->vidx = av_find_best_stream(r->ic, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (r->vidx < 0 || codec == NULL)
        return vg_fail(d, VG_IO, r->cam->url, 0, 0, "no decodable video stream");
    for (unsigned i = 0; i < r->ic->nb_streams; i++)
        if ((int)i != r->vidx)
            r->ic->streams[i]->discard = AVDISCARD_ALL; /* audio: never */
    AVStream *st = r->ic->streams[r->vidx];
    r->dec = avcodec_alloc_context3(codec);
    if (r->dec == NULL)
        return VG_NOMEM;
    avcodec_parameters_to_context(r->dec, st->codecpar);
    r->dec->thread_count = r->o->dec_threads;
    if (avcodec_open2(r->dec, codec, NULL) < 0)
        return vg_fail(d, VG_IO, r->cam->url, 0, 0, "cannot open decoder");
    r->tb = st->time_base;
    r->fps = av_guess_frame_rate(r->ic, st, NULL);
    if (r->fps.num <= 0 || r->fps.den <= 0)
        r->fps = (AVRational){25, 1};
    r->frame_dur = av_rescale_q(1, av_inv_q(r->fps), r->tb);
    if (r->frame_dur <= 0)
        r->frame_dur = 1;
    r->pts0 = AV_NOPTS_VALUE;
    r->w = r->dec->width;
    r->h = r->dec->height;
    return VG_OK;
}

/* The frame as writable YUV420P of the session size: either the decoded
 * frame itself or a converted copy. */
static AVFrame *as_yuv420(struct rec *r, AVFrame *f)
{
    if (f->format == AV_PIX_FMT_YUV420P && f->width == r->w &&
        f->height == r->h)
        return av_frame_make_writable(f) < 0 ? NULL : f;
    if (r->conv == NULL) {
        r->conv = av_frame_alloc();
        if (r->conv == NULL)
            return NULL;
        r->conv->format = AV_PIX_FMT_YUV420P;
        r->conv->width = r->w;
        r->conv->height = r->h;
        if (av_frame_get_buffer(r->conv, 0) < 0)
            return NULL;
    }
    r->sws = sws_getCachedContext(r->sws, f->width, f->height, f->format,
                                  r->w, r->h, AV_PIX_FMT_YUV420P,
                                  SWS_BILINEAR, NULL, NULL, NULL);
    if (r->sws == NULL || av_frame_make_writable(r->conv) < 0)
        return NULL;
    sws_scale(r->sws, (const uint8_t *const *)f->data, f->linesize, 0,
              f->height, r->conv->data, r->conv->linesize);
    return r->conv;
}

/* First frame of a connection: anchor media time to the wall clock.  The
 * outage before it, if any, is recorded when the first segment of the
 * connection is closed, once the anchor is final (seg_close()). */
static void first_frame(struct rec *r, int64_t pts)
{
    r->pts0 = pts;
    r->wall0 = vg_vutil_now_ms();
    r->last_pts = pts - r->frame_dur;
    if (r->gap_open_ms && !r->o->quiet)
        fprintf(stderr, "camera \"%s\" back after %.1f s (%s)\n",
                r->cam->name, (r->wall0 - r->gap_open_ms) / 1000.0,
                r->gap_reason);
}

/* The masked frame m goes to every output: the segment (opened and cut
 * here), the segment's thumbnail (its first frame) and the live picture. */
static enum vg_err outputs(struct rec *r, AVFrame *m, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    struct vg_diag dl;
    int64_t seg_len = av_rescale_q(r->o->segment_s, (AVRational){1, 1}, r->tb);
    if (r->seg && m->pts - r->seg_pts0 >= seg_len &&
        (e = seg_close(r, d)) != VG_OK)
        return e;
    if (r->live == NULL &&
        vg_vlive_open(&r->live, r->live_dir, r->cam->name, r->w, r->h,
                      &dl) != VG_OK && !r->o->quiet)
        fprintf(stderr, "jpeg encoder: %s\n", dl.msg);
    if (r->seg == NULL) {
        if ((e = seg_open(r, m->pts, d)) != VG_OK)
            return e;
        vg_buf_reset(&r->thumb);
        if (r->live && vg_vlive_encode(r->live, m, &r->thumb, &dl) != VG_OK)
            vg_buf_reset(&r->thumb); /* no thumbnail; recording goes on */
    }
    if ((e = vg_vseg_write(r->seg, m, d)) != VG_OK)
        return e;
    r->nframes++;
    r->session_frames++;
    if (r->live && r->o->live_every > 0 &&
        (r->nframes - 1) % r->o->live_every == 0 &&
        vg_vlive_write(r->live, m, &dl) != VG_OK && !r->o->quiet)
        fprintf(stderr, "live picture: %s\n", dl.msg);
    return VG_OK;
}

static enum vg_err on_frame(struct rec *r, AVFrame *f, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    int64_t pts = f->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE)
        pts = r->pts0 == AV_NOPTS_VALUE ? 0 : r->last_pts + r->frame_dur;
    if (r->pts0 == AV_NOPTS_VALUE)
        first_frame(r, pts);
    if (pts <= r->last_pts)
        pts = r->last_pts + 1; /* keep time monotonic on camera glitches */
    /* Frames buffered by the camera or network arrive in a burst after
     * connecting, so the first arrival is late.  A frame cannot arrive
     * before it was shot: until the first segment of this connection is
     * closed (and named), move the anchor back to the earliest arrival
     * minus media offset.  Afterwards it is frozen so segments tile. */
    if (r->session_segs == 0) {
        int64_t cand = vg_vutil_now_ms() -
                       av_rescale_q(pts - r->pts0, r->tb, (AVRational){1, 1000});
        if (cand < r->wall0)
            r->wall0 = cand;
    }
    AVFrame *m = as_yuv420(r, f);
    if (m == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "frame conversion failed");
    vg_mask_apply_yuv420(m->data, m->linesize, r->w, r->h, r->polys,
                         r->npolys);
    /* from here on only the masked frame m exists for the outputs */
    m->pts = pts;
    e = outputs(r, m, d);
    r->last_pts = pts;
    return e;
}

static enum vg_err decode_out(struct rec *r, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    while (e == VG_OK && avcodec_receive_frame(r->dec, r->frame) >= 0) {
        e = on_frame(r, r->frame, d);
        av_frame_unref(r->frame);
    }
    return e;
}

/* Read packets until the camera drops or we must stop.  VG_OK in both
 * cases (r->gap_reason says why on a drop); an error only when an output
 * failed (disk, store), which is fatal. */
static enum vg_err pump(struct rec *r, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    r->session_frames = 0;
    r->session_segs = 0;
    while (e == VG_OK && !should_stop(r)) {
        arm_io(r);
        int err = av_read_frame(r->ic, r->pkt);
        if (err < 0) {
            char m[AV_ERROR_MAX_STRING_SIZE];
            av_strerror(err, m, sizeof m);
            /* an outage already open keeps its first reason */
            if (r->gap_open_ms == 0 && err == AVERROR_EXIT)
                snprintf(r->gap_reason, sizeof r->gap_reason,
                         "camera silent for %.0f s", r->o->io_timeout_s);
            else if (r->gap_open_ms == 0)
                snprintf(r->gap_reason, sizeof r->gap_reason,
                         "camera stream ended: %s", m);
            break;
        }
        if (r->pkt->stream_index != r->vidx) {
            av_packet_unref(r->pkt); /* audio and data: dropped unread */
            continue;
        }
        err = avcodec_send_packet(r->dec, r->pkt);
        av_packet_unref(r->pkt);
        if (err < 0 && err != AVERROR(EAGAIN))
            continue; /* a corrupt packet costs a frame, not the recording */
        e = decode_out(r, d);
    }
    if (e == VG_OK && avcodec_send_packet(r->dec, NULL) >= 0)
        e = decode_out(r, d); /* frames still inside the decoder */
    if (e == VG_OK)
        e = seg_close(r, d);
    return e;
}

static void backoff_sleep(struct rec *r, double s)
{
    int64_t until = vg_vutil_now_ms() + (int64_t)(s * 1000);
    while (!should_stop(r) && vg_vutil_now_ms() < until) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static enum vg_err rec_init(struct rec *r, sqlite3 *db,
                            const struct vg_vcam *cam,
                            const struct vg_vrec_opts *o, struct vg_diag *d)
{
    memset(r, 0, sizeof *r);
    r->db = db;
    r->cam = cam;
    r->o = o;
    if (!vg_vutil_safe_name(cam->name))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "camera name \"%s\" is not usable in file names",
                       cam->name);
    if (o->segment_s < 1 || o->segment_s > 3600)
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "segment length %d s: expected 1..3600", o->segment_s);
    snprintf(r->live_dir, sizeof r->live_dir, "%s",
             o->live_dir ? o->live_dir : "");
    if (!o->live_dir)
        snprintf(r->live_dir, sizeof r->live_dir, "%s/live", o->dir);
    vg_buf_init(&r->thumb, VG_VLIVE_MAX_JPEG);
    if (o->duration_s > 0)
        r->deadline_ms = vg_vutil_now_ms() + (int64_t)(o->duration_s * 1000);
    return vg_vstore_masks(db, cam->id, r->polys, &r->npolys, d);
}

/* One recorder per camera and directory: an exclusive lock on
 * <dir>/<camera>/.lock, held (fd open) for the whole run. */
static enum vg_err lock_camera(const struct vg_vrec_opts *o,
                               const struct vg_vcam *cam, int *fd,
                               struct vg_diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", o->dir, cam->name);
    enum vg_err e = vg_vutil_mkdirs(path, d);
    if (e != VG_OK)
        return e;
    snprintf(path, sizeof path, "%s/%s/.lock", o->dir, cam->name);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (*fd < 0)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot open lock: %s",
                       strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
        return vg_fail(d, VG_STATE, path, 0, 0,
                       "camera \"%s\" is already being recorded into %s",
                       cam->name, o->dir);
    return VG_OK;
}

enum vg_err vg_vrec_run(sqlite3 *db, const struct vg_vcam *cam,
                        const struct vg_vrec_opts *o, struct vg_diag *d)
{
    int lock_fd = -1;
    struct rec *r = vg_calloc(1, sizeof *r);
    double backoff = o->backoff_min_s;
    enum vg_err e;
    if (r == NULL)
        return VG_NOMEM;
    if ((e = rec_init(r, db, cam, o, d)) != VG_OK ||
        (e = lock_camera(o, cam, &lock_fd, d)) != VG_OK)
        goto out;
    av_log_set_level(o->quiet ? AV_LOG_FATAL : AV_LOG_ERROR);
    while (!should_stop(r)) {
        struct vg_diag dc;
        vg_diag_clear(&dc);
        if (session_open(r, &dc) == VG_OK) {
            if ((e = pump(r, d)) != VG_OK) {
                raise_alert(r, e == VG_IO ? "disk" : "store", d);
                break;
            }
            if (r->session_frames > 0)
                backoff = o->backoff_min_s;
        } else if (!o->quiet) {
            fprintf(stderr, "camera \"%s\": %s\n", cam->name, dc.msg);
        }
        if (dc.code != VG_OK && r->gap_open_ms == 0)
            snprintf(r->gap_reason, sizeof r->gap_reason, "%s", dc.msg);
        session_close(r);
        if (should_stop(r))
            break;
        if (r->gap_open_ms == 0)
            r->gap_open_ms = r->last_end_ms ? r->last_end_ms : vg_vutil_now_ms();
        backoff_sleep(r, backoff);
        backoff = backoff * 2 > o->backoff_max_s ? o->backoff_max_s : backoff * 2;
    }
    session_close(r);
    if (e == VG_OK && r->gap_open_ms) {
        char why[400];
        snprintf(why, sizeof why, "%s (still down when recording stopped)",
                 r->gap_reason);
        e = vg_vstore_gap_add(db, cam->id, r->gap_open_ms, vg_vutil_now_ms(),
                              why, d);
    }
out:
    if (lock_fd >= 0)
        close(lock_fd);
    vg_buf_free(&r->thumb);
    vg_free(r);
    return e;
}
