/*
 * vseg.c — encode masked frames to H.264 and write one MP4 segment
 * durably.  Invariant: the final file name appears only after the complete
 * file (trailer included) has been fsynced; until then the data lives under
 * the temporary name given at open.  The output has exactly one stream,
 * video: audio from the camera never reaches this module.  Owns: encoder, muxer, scratch frame and
 * packet, the temporary path; all released by finish/abort.
 */
#include "video/vseg.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/fsync.h"
#include "video/vutil.h"

struct vg_vseg_out {
    AVCodecContext *enc;
    AVFormatContext *oc;
    AVStream *st;
    AVFrame *tmp;
    AVPacket *pkt;
    int64_t first_pts, last_pts, frames;
    char *tmp_path;
};

static enum vg_err av_fail(struct vg_diag *d, enum vg_err code,
                           const char *path, const char *what, int err)
{
    char msg[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(err, msg, sizeof msg);
    return vg_fail(d, code, path, 0, 0, "%s: %s", what, msg);
}

static enum vg_err open_encoder(struct vg_vseg_out *s, int w, int h,
                                AVRational tb, AVRational fps,
                                const struct vg_vseg_enc *enc,
                                struct vg_diag *d)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (codec == NULL)
        return vg_fail(d, VG_UNSUPPORTED, "", 0, 0,
                       "libavcodec has no libx264 encoder (install "
                       "libavcodec built with x264)");
    s->enc = avcodec_alloc_context3(codec);
    if (s->enc == NULL)
        return VG_NOMEM;
    s->enc->width = w;
    s->enc->height = h;
    s->enc->pix_fmt = AV_PIX_FMT_YUV420P;
    s->enc->time_base = tb;
    s->enc->framerate = fps;
    s->enc->gop_size = fps.num > 0 && fps.den > 0 ? 2 * fps.num / fps.den : 50;
    s->enc->thread_count = enc->threads;
    s->enc->color_range = AVCOL_RANGE_MPEG;
    if (s->oc->oformat->flags & AVFMT_GLOBALHEADER)
        s->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(s->enc->priv_data, "preset",
               enc->preset ? enc->preset : "veryfast", 0);
    av_opt_set_double(s->enc->priv_data, "crf", enc->crf > 0 ? enc->crf : 26,
                      0);
    int r = avcodec_open2(s->enc, codec, NULL);
    if (r < 0)
        return av_fail(d, VG_UNSUPPORTED, "", "open libx264 encoder", r);
    return VG_OK;
}

enum vg_err vg_vseg_open(struct vg_vseg_out **out, const char *tmp_path,
                         int w, int h, AVRational tb, AVRational fps,
                         const struct vg_vseg_enc *enc, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    const char *tmp = tmp_path;
    struct vg_vseg_out *s = vg_calloc(1, sizeof *s);
    *out = NULL;
    if (s == NULL)
        return VG_NOMEM;
    s->tmp_path = vg_strdup(tmp);
    s->tmp = av_frame_alloc();
    s->pkt = av_packet_alloc();
    s->first_pts = AV_NOPTS_VALUE;
    s->last_pts = AV_NOPTS_VALUE;
    if (!s->tmp_path || !s->tmp || !s->pkt) {
        e = VG_NOMEM;
        goto out;
    }
    int r = avformat_alloc_output_context2(&s->oc, NULL, "mp4", tmp);
    if (r < 0) {
        e = av_fail(d, VG_INTERNAL, tmp, "mp4 muxer", r);
        goto out;
    }
    if ((e = open_encoder(s, w, h, tb, fps, enc, d)) != VG_OK)
        goto out;
    s->st = avformat_new_stream(s->oc, NULL);
    if (s->st == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    s->st->time_base = tb;
    s->st->avg_frame_rate = fps;
    if ((r = avcodec_parameters_from_context(s->st->codecpar, s->enc)) < 0) {
        e = av_fail(d, VG_INTERNAL, tmp, "stream parameters", r);
        goto out;
    }
    if ((r = avio_open(&s->oc->pb, tmp, AVIO_FLAG_WRITE)) < 0) {
        e = av_fail(d, VG_IO, tmp, "create segment", r);
        goto out;
    }
    AVDictionary *opt = NULL;
    av_dict_set(&opt, "movflags", "+faststart", 0);
    r = avformat_write_header(s->oc, &opt);
    av_dict_free(&opt);
    if (r < 0) {
        e = av_fail(d, VG_IO, tmp, "write segment header", r);
        goto out;
    }
out:
    if (e != VG_OK)
        vg_vseg_abort(s);
    else
        *out = s;
    return e;
}

/* Move every packet the encoder has ready into the file. */
static enum vg_err drain(struct vg_vseg_out *s, struct vg_diag *d)
{
    for (;;) {
        int r = avcodec_receive_packet(s->enc, s->pkt);
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
            return VG_OK;
        if (r < 0)
            return av_fail(d, VG_INTERNAL, s->tmp_path, "encode", r);
        av_packet_rescale_ts(s->pkt, s->enc->time_base, s->st->time_base);
        s->pkt->stream_index = s->st->index;
        r = av_interleaved_write_frame(s->oc, s->pkt);
        if (r < 0)
            return av_fail(d, VG_IO, s->tmp_path, "write segment", r);
        if (s->oc->pb->error < 0)
            return av_fail(d, VG_IO, s->tmp_path, "write segment",
                           s->oc->pb->error);
    }
}

enum vg_err vg_vseg_write(struct vg_vseg_out *s, const AVFrame *f,
                          struct vg_diag *d)
{
    int r = av_frame_ref(s->tmp, f);
    if (r < 0)
        return VG_NOMEM;
    if (s->first_pts == AV_NOPTS_VALUE)
        s->first_pts = f->pts;
    int64_t pts = f->pts - s->first_pts;
    if (s->last_pts != AV_NOPTS_VALUE && pts <= s->last_pts)
        pts = s->last_pts + 1; /* cameras repeat timestamps; keep order */
    s->tmp->pts = pts;
    s->tmp->pict_type = AV_PICTURE_TYPE_NONE;
    s->last_pts = pts;
    r = avcodec_send_frame(s->enc, s->tmp);
    av_frame_unref(s->tmp);
    if (r < 0)
        return av_fail(d, VG_INTERNAL, s->tmp_path, "encode", r);
    s->frames++;
    return drain(s, d);
}

int64_t vg_vseg_frames(const struct vg_vseg_out *s)
{
    return s->frames;
}

static void release(struct vg_vseg_out *s)
{
    if (s->oc) {
        if (s->oc->pb)
            avio_closep(&s->oc->pb);
        avformat_free_context(s->oc);
    }
    avcodec_free_context(&s->enc);
    av_frame_free(&s->tmp);
    av_packet_free(&s->pkt);
    vg_free(s->tmp_path);
    vg_free(s);
}

void vg_vseg_abort(struct vg_vseg_out *s)
{
    if (s == NULL)
        return;
    if (s->oc && s->oc->pb)
        avio_closep(&s->oc->pb);
    if (s->tmp_path)
        unlink(s->tmp_path);
    release(s);
}

enum vg_err vg_vseg_finish(struct vg_vseg_out *s, const char *final_path,
                           int64_t *frames,
                           int64_t *bytes, char sha256[65], struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    int r = avcodec_send_frame(s->enc, NULL);
    if (r < 0 && r != AVERROR_EOF)
        e = av_fail(d, VG_INTERNAL, s->tmp_path, "flush encoder", r);
    if (e == VG_OK)
        e = drain(s, d);
    if (e == VG_OK && (r = av_write_trailer(s->oc)) < 0)
        e = av_fail(d, VG_IO, s->tmp_path, "write segment trailer", r);
    if (e == VG_OK && s->oc->pb->error < 0)
        e = av_fail(d, VG_IO, s->tmp_path, "write segment", s->oc->pb->error);
    if (s->oc->pb && (r = avio_closep(&s->oc->pb)) < 0 && e == VG_OK)
        e = av_fail(d, VG_IO, s->tmp_path, "close segment", r);
    if (e == VG_OK)
        e = vg_fsync_file(s->tmp_path, d);
    if (e == VG_OK)
        e = vg_vutil_sha256_file(s->tmp_path, sha256, bytes, d);
    if (e == VG_OK && rename(s->tmp_path, final_path) != 0)
        e = vg_fail(d, VG_IO, final_path, 0, 0, "rename: %s", strerror(errno));
    if (e == VG_OK)
        e = vg_fsync_parent(final_path, d);
    *frames = s->frames;
    if (e != VG_OK)
        unlink(s->tmp_path);
    release(s);
    return e;
}
