# video_lib.sh — shared by tests/integration/video_*.sh (sourced, POSIX sh).
# Builds the RTSP test camera (rtsp_cam.c, GStreamer's gst-rtsp-server) into
# $BUILD, starts/stops it on a loopback port, and wraps the numpy checker.
# Skips (exit 77) when GStreamer's RTSP server, ffprobe or numpy is missing.
: "${BUILD:=build}" "${VIGIE:=$PWD/$BUILD/vigie}"
PY=/usr/bin/python3
HELP=tests/helpers

video_require() {
  command -v ffprobe >/dev/null 2>&1 || { echo "ffprobe missing (apt-get install ffmpeg)"; exit 77; }
  pkg-config --exists gstreamer-rtsp-server-1.0 2>/dev/null ||
    { echo "gst-rtsp-server missing (apt-get install libgstrtspserver-1.0-dev gstreamer1.0-plugins-ugly gstreamer1.0-plugins-good)"; exit 77; }
  $PY -c 'import numpy' 2>/dev/null || { echo "python3-numpy missing"; exit 77; }
  CAMBIN=$BUILD/rtsp_cam
  if [ ! -x "$CAMBIN" ] || [ "$HELP/rtsp_cam.c" -nt "$CAMBIN" ]; then
    cc -O1 -o "$CAMBIN" "$HELP/rtsp_cam.c" \
      $(pkg-config --cflags --libs gstreamer-rtsp-server-1.0) || exit 1
  fi
  T=$(mktemp -d)
  CAMPID=""
  trap 'video_cleanup' EXIT INT TERM
}

video_cleanup() {
  [ -n "$CAMPID" ] && kill "$CAMPID" 2>/dev/null
  [ -n "${RECPID:-}" ] && kill "$RECPID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$T"
}

# A port unlikely to collide with other tests running at the same time.
video_port() {
  echo $(( 20000 + ($$ * 7 + $(date +%N | cut -c1-4 | sed 's/^0*//;s/^$/0/')) % 30000 ))
}

# cam_start PORT [PATTERN [WxH [FPS [audio]]]]  — waits until it listens.
cam_start() {
  "$CAMBIN" "$@" >"$T/cam.out" 2>"$T/cam.err" &
  CAMPID=$!
  i=0
  while [ $i -lt 50 ]; do
    grep -q ready "$T/cam.out" 2>/dev/null && return 0
    kill -0 "$CAMPID" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
  done
  echo "test camera did not start:"; cat "$T/cam.err"; exit 1
}

cam_stop() {
  [ -n "$CAMPID" ] && kill "$CAMPID" 2>/dev/null && wait "$CAMPID" 2>/dev/null
  CAMPID=""
}

fail() { echo "FAIL: $*"; exit 1; }

# q SQL — one value from the test database
q() { sqlite3 "$T/db" "$1"; }
