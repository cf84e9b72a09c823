/*
 * vlive.c — masked JPEG snapshots for the live camera wall.
 * Invariant: <dir>/<camera>.jpg is always a complete JPEG (written under a
 * temporary name and renamed).  Owns: the mjpeg encoder, a scaler converting
 * limited-range YUV to full-range (JPEG's convention, so black stays black
 * on screen), a scratch frame and packet.
 */
#include "video/vlive.h"

#include <errno.h>
#include <fcntl.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "video/vutil.h"

struct vg_vlive {
    AVCodecContext *enc;
    struct SwsContext *sws;
    AVFrame *full;
    AVPacket *pkt;
    char path[4096], tmp[4200];
};

void vg_vlive_free(struct vg_vlive *l)
{
    if (l == NULL)
        return;
    avcodec_free_context(&l->enc);
    sws_freeContext(l->sws);
    av_frame_free(&l->full);
    av_packet_free(&l->pkt);
    vg_free(l);
}

enum vg_err vg_vlive_open(struct vg_vlive **out, const char *dir,
                          const char *camera, int w, int h,
                          struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    struct vg_vlive *l = vg_calloc(1, sizeof *l);
    *out = NULL;
    if (l == NULL)
        return VG_NOMEM;
    if ((e = vg_vutil_mkdirs(dir, d)) != VG_OK)
        goto out;
    snprintf(l->path, sizeof l->path, "%s/%s.jpg", dir, camera);
    snprintf(l->tmp, sizeof l->tmp, "%s/.%s.jpg.tmp", dir, camera);
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    l->enc = codec ? avcodec_alloc_context3(codec) : NULL;
    l->full = av_frame_alloc();
    l->pkt = av_packet_alloc();
    l->sws = sws_getContext(w, h, AV_PIX_FMT_YUV420P, w, h, AV_PIX_FMT_YUVJ420P,
                            SWS_POINT, NULL, NULL, NULL);
    if (!l->enc || !l->full || !l->pkt || !l->sws) {
        e = codec ? VG_NOMEM
                  : vg_fail(d, VG_UNSUPPORTED, "", 0, 0, "no mjpeg encoder");
        goto out;
    }
    l->enc->width = w;
    l->enc->height = h;
    l->enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    l->enc->color_range = AVCOL_RANGE_JPEG;
    l->enc->time_base = (AVRational){1, 25};
    l->enc->flags |= AV_CODEC_FLAG_QSCALE;
    l->enc->global_quality = FF_QP2LAMBDA * 5;
    l->full->format = AV_PIX_FMT_YUVJ420P;
    l->full->width = w;
    l->full->height = h;
    l->full->color_range = AVCOL_RANGE_JPEG;
    if (avcodec_open2(l->enc, codec, NULL) < 0 ||
        av_frame_get_buffer(l->full, 0) < 0) {
        e = vg_fail(d, VG_INTERNAL, "", 0, 0, "cannot open mjpeg encoder");
        goto out;
    }
    /* limited-range source, full-range destination */
    const int *coefs = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(l->sws, coefs, 0, coefs, 1, 0, 1 << 16, 1 << 16);
out:
    if (e != VG_OK)
        vg_vlive_free(l);
    else
        *out = l;
    return e;
}

enum vg_err vg_vlive_encode(struct vg_vlive *l, const AVFrame *masked,
                            struct vg_buf *jpeg, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    if (av_frame_make_writable(l->full) < 0)
        return VG_NOMEM;
    sws_scale(l->sws, (const uint8_t *const *)masked->data, masked->linesize,
              0, masked->height, l->full->data, l->full->linesize);
    l->full->pts = masked->pts;
    int r = avcodec_send_frame(l->enc, l->full);
    if (r >= 0)
        r = avcodec_receive_packet(l->enc, l->pkt);
    if (r < 0)
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "jpeg encoding failed (%d)",
                       r);
    e = vg_buf_add(jpeg, l->pkt->data, (size_t)l->pkt->size);
    av_packet_unref(l->pkt);
    return e;
}

enum vg_err vg_vlive_write(struct vg_vlive *l, const AVFrame *masked,
                           struct vg_diag *d)
{
    struct vg_buf b;
    enum vg_err e;
    vg_buf_init(&b, VG_VLIVE_MAX_JPEG);
    if ((e = vg_vlive_encode(l, masked, &b, d)) != VG_OK)
        goto out;
    /* no fsync: a live picture need not survive a crash, only be whole */
    int fd = open(l->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        e = vg_fail(d, VG_IO, l->tmp, 0, 0, "create: %s", strerror(errno));
        goto out;
    }
    ssize_t w = write(fd, b.p, b.len);
    int err = errno;
    if (close(fd) != 0 || w != (ssize_t)b.len) {
        e = vg_fail(d, VG_IO, l->tmp, 0, 0, "write: %s",
                    w < 0 ? strerror(err) : "short write");
        unlink(l->tmp);
        goto out;
    }
    if (rename(l->tmp, l->path) != 0)
        e = vg_fail(d, VG_IO, l->path, 0, 0, "rename: %s", strerror(errno));
out:
    vg_buf_free(&b);
    return e;
}

enum vg_err vg_vlive_latest(const char *dir, const char *camera,
                            struct vg_buf *jpeg, int64_t *mtime_ms,
                            struct vg_diag *d)
{
    char path[4096];
    struct stat sb;
    if (!vg_vutil_safe_name(camera))
        return vg_fail(d, VG_USAGE, "", 0, 0, "bad camera name \"%.64s\"",
                       camera);
    snprintf(path, sizeof path, "%s/%s.jpg", dir, camera);
    if (stat(path, &sb) != 0)
        return vg_fail(d, VG_NOTFOUND, path, 0, 0,
                       "no live picture for camera \"%s\"", camera);
    if (mtime_ms)
        *mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 +
                    sb.st_mtim.tv_nsec / 1000000;
    vg_buf_reset(jpeg);
    return vg_buf_read_file(jpeg, path, d);
}

enum vg_err vg_vlive_mjpeg_part(struct vg_buf *out, const void *jpeg,
                                size_t n)
{
    enum vg_err e = vg_buf_printf(out,
                                  "--" VG_VLIVE_BOUNDARY "\r\n"
                                  "Content-Type: image/jpeg\r\n"
                                  "Content-Length: %zu\r\n\r\n", n);
    if (e == VG_OK)
        e = vg_buf_add(out, jpeg, n);
    if (e == VG_OK)
        e = vg_buf_adds(out, "\r\n");
    return e;
}
