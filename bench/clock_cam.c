/*
 * clock_cam.c — an RTSP test camera whose every frame shows the wall clock
 * at which it was painted, for the live-view latency bench
 * (bench/live_latency.sh).  rtsp://127.0.0.1:PORT/cam, 640x360 at FPS
 * (default 25), H.264 by x264enc zerolatency/ultrafast like rtsp_cam.c.
 *
 * The top half carries 32 bars, 20 px wide each, from left to right the
 * bits (most significant first) of the CLOCK_REALTIME milliseconds modulo
 * 2^32: white (Y 235) for 1, black (Y 16) for 0.  The bottom half is grey.
 * Painted just before the frame is handed to the encoder, so the latency
 * measured from it includes encoding, RTP, the recorder, masks, JPEG, the
 * live file and the web server.
 *
 *   clock_cam PORT [FPS]     prints "ready" when listening; runs until killed.
 * Build: cc -O1 -o clock_cam bench/clock_cam.c \
 *          $(pkg-config --cflags --libs gstreamer-rtsp-server-1.0 gstreamer-app-1.0)
 */
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W 640
#define H 360

static int fps = 25;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct feed {
    int64_t next_ms;
    guint64 n;
};

static void paint(guint8 *p, int64_t ms)
{
    uint32_t v = (uint32_t)ms;
    memset(p, 128, W * H * 3 / 2);              /* grey, neutral chroma */
    for (int y = 0; y < H / 2; y++)
        for (int b = 0; b < 32; b++)
            memset(p + y * W + b * 20, (v >> (31 - b)) & 1 ? 235 : 16, 20);
}

static void need_data(GstElement *src, guint size, gpointer user)
{
    struct feed *f = user;
    (void)size;
    int64_t t = now_ms();
    if (f->next_ms == 0)
        f->next_ms = t;
    if (f->next_ms > t)
        g_usleep((gulong)(f->next_ms - t) * 1000);
    f->next_ms += 1000 / fps;
    GstBuffer *buf = gst_buffer_new_allocate(NULL, W * H * 3 / 2, NULL);
    GstMapInfo m;
    gst_buffer_map(buf, &m, GST_MAP_WRITE);
    paint(m.data, now_ms());
    gst_buffer_unmap(buf, &m);
    GST_BUFFER_PTS(buf) = gst_util_uint64_scale(f->n, GST_SECOND, (guint64)fps);
    GST_BUFFER_DURATION(buf) = gst_util_uint64_scale(1, GST_SECOND, (guint64)fps);
    f->n++;
    gst_app_src_push_buffer(GST_APP_SRC(src), buf);
}

static void configure(GstRTSPMediaFactory *fac, GstRTSPMedia *media, gpointer user)
{
    (void)fac, (void)user;
    GstElement *bin = gst_rtsp_media_get_element(media);
    GstElement *src = gst_bin_get_by_name_recurse_up(GST_BIN(bin), "src");
    struct feed *f = g_new0(struct feed, 1);
    g_object_set_data_full(G_OBJECT(media), "feed", f, g_free);
    g_signal_connect(src, "need-data", G_CALLBACK(need_data), f);
    gst_object_unref(src);
    gst_object_unref(bin);
}

int main(int argc, char **argv)
{
    char launch[1024];
    gst_init(&argc, &argv);
    if (argc < 2) {
        fprintf(stderr, "usage: clock_cam PORT [FPS]\n");
        return 2;
    }
    if (argc > 2)
        fps = (int)strtol(argv[2], NULL, 10);
    if (fps < 1 || fps > 60)
        return 2;
    snprintf(launch, sizeof launch,
             "( appsrc name=src is-live=true format=time "
             "caps=video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 ! "
             "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
             "bitrate=2000 ! rtph264pay name=pay0 pt=96 config-interval=1 )",
             W, H, fps, fps);
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    GstRTSPServer *server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(server, "127.0.0.1");
    gst_rtsp_server_set_service(server, argv[1]);
    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(server);
    GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, launch);
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    g_signal_connect(factory, "media-configure", G_CALLBACK(configure), NULL);
    gst_rtsp_mount_points_add_factory(mounts, "/cam", factory);
    g_object_unref(mounts);
    if (gst_rtsp_server_attach(server, NULL) == 0) {
        fprintf(stderr, "clock_cam: cannot listen on port %s\n", argv[1]);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    g_main_loop_run(loop);
    return 0;
}
