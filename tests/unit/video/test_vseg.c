/* Unit tests of vseg.c and vlive.c without a camera: synthetic masked
 * frames are encoded into a segment, which is then decoded back with
 * libavformat/libavcodec (frame count, single video stream, mask pixels);
 * the live JPEG and the MJPEG part format are checked byte by byte. */
#include "../../test.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <unistd.h>

#include "base/buf.h"
#include "video/mask.h"
#include "video/vlive.h"
#include "video/vseg.h"
#include "video/vutil.h"

static AVFrame *bright_frame(int w, int h, int64_t pts)
{
    av_log_set_level(AV_LOG_QUIET); /* libx264's banner is not a result */
    AVFrame *f = av_frame_alloc();
    if (f == NULL)
        return NULL;
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    if (av_frame_get_buffer(f, 0) < 0) {
        av_frame_free(&f);
        return NULL;
    }
    for (int y = 0; y < h; y++)
        memset(f->data[0] + y * f->linesize[0], 200 + (int)(pts % 20), (size_t)w);
    for (int p = 1; p < 3; p++)
        for (int y = 0; y < h / 2; y++)
            memset(f->data[p] + y * f->linesize[p], 128, (size_t)w / 2);
    f->pts = pts;
    return f;
}

/* Decode `path`: number of streams, frames, and luma at (x, y) of frame 0. */
static int decode_count(const char *path, unsigned *nstreams, int x, int y,
                        int *luma)
{
    AVFormatContext *ic = NULL;
    int frames = 0;
    if (avformat_open_input(&ic, path, NULL, NULL) < 0)
        return -1;
    avformat_find_stream_info(ic, NULL);
    *nstreams = ic->nb_streams;
    const AVCodec *c = avcodec_find_decoder(ic->streams[0]->codecpar->codec_id);
    AVCodecContext *dc = avcodec_alloc_context3(c);
    avcodec_parameters_to_context(dc, ic->streams[0]->codecpar);
    avcodec_open2(dc, c, NULL);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int eof = 0;
    while (!eof) {
        if (av_read_frame(ic, pkt) < 0) {
            eof = 1;
            avcodec_send_packet(dc, NULL);
        } else {
            avcodec_send_packet(dc, pkt);
            av_packet_unref(pkt);
        }
        while (avcodec_receive_frame(dc, f) >= 0) {
            if (frames++ == 0)
                *luma = f->data[0][y * f->linesize[0] + x];
            av_frame_unref(f);
        }
    }
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dc);
    avformat_close_input(&ic);
    return frames;
}

TEST(vseg_segment_roundtrip)
{
    char tmp[512], fin[512], hex[65], sha[65];
    int64_t frames = 0, bytes = 0, size = 0;
    struct vg_vseg_out *s = NULL;
    struct vg_vseg_enc enc = {"ultrafast", 26, 1};
    struct vg_poly p;
    snprintf(tmp, sizeof tmp, "%s/seg.part", vg_test_tmpdir());
    snprintf(fin, sizeof fin, "%s/seg.mp4", vg_test_tmpdir());
    REQUIRE(vg_mask_parse("40,40 200,40 200,160 40,160", &p, NULL) == VG_OK);
    REQUIRE(vg_vseg_open(&s, tmp, 320, 240, (AVRational){1, 90000},
                         (AVRational){25, 1}, &enc, NULL) == VG_OK);
    for (int i = 0; i < 30; i++) {
        AVFrame *f = bright_frame(320, 240, 1000 + i * 3600);
        REQUIRE(f != NULL);
        vg_mask_apply_yuv420(f->data, f->linesize, 320, 240, &p, 1);
        CHECK(vg_vseg_write(s, f, NULL) == VG_OK);
        av_frame_free(&f);
    }
    CHECK_EQ_INT(vg_vseg_frames(s), 30);
    REQUIRE(vg_vseg_finish(s, fin, &frames, &bytes, sha, NULL) == VG_OK);
    CHECK_EQ_INT(frames, 30);
    CHECK(access(tmp, F_OK) != 0);
    REQUIRE(vg_vutil_sha256_file(fin, hex, &size, NULL) == VG_OK);
    CHECK_STR(hex, sha);
    CHECK_EQ_INT(size, bytes);
    unsigned ns = 0;
    int inside = -1, outside = -1;
    CHECK_EQ_INT(decode_count(fin, &ns, 100, 100, &inside), 30);
    CHECK_EQ_INT(ns, 1);
    CHECK(inside >= 0 && inside <= 24);
    decode_count(fin, &ns, 280, 200, &outside);
    CHECK(outside >= 180);
}

TEST(vseg_abort_removes_temp)
{
    char tmp[512];
    struct vg_vseg_out *s = NULL;
    struct vg_vseg_enc enc = {"ultrafast", 30, 1};
    av_log_set_level(AV_LOG_QUIET);
    snprintf(tmp, sizeof tmp, "%s/abort.part", vg_test_tmpdir());
    REQUIRE(vg_vseg_open(&s, tmp, 64, 48, (AVRational){1, 25},
                         (AVRational){25, 1}, &enc, NULL) == VG_OK);
    CHECK(access(tmp, F_OK) == 0);
    vg_vseg_abort(s);
    CHECK(access(tmp, F_OK) != 0);
    vg_vseg_abort(NULL);
    /* an unwritable place fails cleanly */
    CHECK(vg_vseg_open(&s, "/nonexistent-dir/x.part", 64, 48,
                       (AVRational){1, 25}, (AVRational){25, 1}, &enc,
                       NULL) == VG_IO);
}

TEST(vlive_jpeg_and_mjpeg_part)
{
    struct vg_vlive *l = NULL;
    struct vg_buf j, part;
    char dir[512];
    int64_t mt = 0;
    snprintf(dir, sizeof dir, "%s/live", vg_test_tmpdir());
    AVFrame *f = bright_frame(160, 120, 0);
    REQUIRE(f != NULL);
    REQUIRE(vg_vlive_open(&l, dir, "cam1", 160, 120, NULL) == VG_OK);
    CHECK(vg_vlive_write(l, f, NULL) == VG_OK);
    vg_buf_init(&j, VG_VLIVE_MAX_JPEG);
    CHECK(vg_vlive_latest(dir, "cam1", &j, &mt, NULL) == VG_OK);
    REQUIRE(j.len > 100);
    CHECK((unsigned char)j.p[0] == 0xFF && (unsigned char)j.p[1] == 0xD8);
    CHECK(mt > 0);
    CHECK(vg_vlive_latest(dir, "../etc", &j, &mt, NULL) == VG_USAGE);
    CHECK(vg_vlive_latest(dir, "nocam", &j, &mt, NULL) == VG_NOTFOUND);
    vg_buf_init(&part, 0);
    CHECK(vg_vlive_mjpeg_part(&part, "\xff\xd8xy", 4) == VG_OK);
    CHECK(part.len == strlen("--vigieframe\r\nContent-Type: image/jpeg\r\n"
                             "Content-Length: 4\r\n\r\n") + 4 + 2);
    CHECK(memcmp(part.p, "--vigieframe\r\nContent-Type: image/jpeg\r\n"
                 "Content-Length: 4\r\n\r\n\xff\xd8xy\r\n", part.len) == 0);
    vg_buf_free(&part);
    vg_buf_free(&j);
    vg_vlive_free(l);
    av_frame_free(&f);
}
