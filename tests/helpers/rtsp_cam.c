/*
 * rtsp_cam.c — a test camera: serves an RTSP stream on loopback with
 * GStreamer's gst-rtsp-server (Debian libgstrtspserver-1.0-dev).
 *
 *   rtsp_cam PORT [PATTERN [WxH [FPS [audio]]]]
 *
 * serves rtsp://127.0.0.1:PORT/cam: videotestsrc (PATTERN: a videotestsrc
 * pattern name, default "white" — a bright picture so privacy masks show),
 * H.264 by x264enc (key frame every second), and with "audio" also an
 * audio track (PCMA sine) so tests can check the recorder drops it.
 * Prints "ready" on stdout when listening; runs until killed.
 * Built by the integration tests (tests/integration/video_lib.sh).
 */
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    if (argc < 2) {
        fprintf(stderr, "usage: rtsp_cam PORT [PATTERN [WxH [FPS [audio]]]]\n");
        return 2;
    }
    const char *port = argv[1];
    const char *pattern = argc > 2 ? argv[2] : "white";
    int w = 640, h = 360, fps = 25;
    if (argc > 3 && sscanf(argv[3], "%dx%d", &w, &h) != 2)
        return 2;
    if (argc > 4)
        fps = (int)strtol(argv[4], NULL, 10);
    int audio = argc > 5 && strcmp(argv[5], "audio") == 0;
    char launch[1024];
    snprintf(launch, sizeof launch,
             "( videotestsrc is-live=true pattern=%s ! "
             "video/x-raw,width=%d,height=%d,framerate=%d/1 ! "
             "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
             "bitrate=2000 ! rtph264pay name=pay0 pt=96 config-interval=1 %s )",
             pattern, w, h, fps, fps,
             audio ? "audiotestsrc is-live=true wave=sine ! audioconvert ! "
                     "audioresample ! alawenc ! rtppcmapay name=pay1 pt=8"
                   : "");
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    GstRTSPServer *server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(server, "127.0.0.1");
    gst_rtsp_server_set_service(server, port);
    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(server);
    GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, launch);
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    gst_rtsp_mount_points_add_factory(mounts, "/cam", factory);
    g_object_unref(mounts);
    if (gst_rtsp_server_attach(server, NULL) == 0) {
        fprintf(stderr, "rtsp_cam: cannot listen on port %s\n", port);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    g_main_loop_run(loop);
    return 0;
}
