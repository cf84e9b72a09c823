#!/bin/sh
# live_bench.sh — camera wall latency and concurrent viewers.
# Usage (from the repo root, after `make`):
#     sh bench/live_bench.sh ["N1 N2 ..." [SECONDS [LIVE_EVERY]]]
# Starts bench/clock_cam.c (640x360 at 25 fps, the wall clock painted in
# every frame), `vigie video record --live-every LIVE_EVERY` (a masked JPEG
# every LIVE_EVERY frames), `vigie serve`; then for each N, N viewers (curl,
# spread over 4 loopback source addresses because the server allows
# max_conns/2+1 = 129 connections per address) read the camera's MJPEG for
# SECONDS while bench/live_latency.py, one more viewer, measures the
# latency from painting to the arrival of each picture.  Reports pictures
# per second delivered to the slowest/median viewer, the latency
# percentiles, and the CPU used by the server (cores, from /proc).
set -e
LIST=${1:-"0 10 50 100 200"}; SECS=${2:-10}; EVERY=${3:-1}
VIGIE=${VIGIE:-$PWD/build/vigie}
PY=/usr/bin/python3
W=$(mktemp -d)
CAM=""; REC=""; SRV=""
cleanup() { for p in $SRV $REC $CAM; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT INT TERM
cc -O1 -o "$W/clock_cam" bench/clock_cam.c \
  $(pkg-config --cflags --libs gstreamer-rtsp-server-1.0 gstreamer-app-1.0)
PORT=$(( 30000 + $$ % 20000 ))
"$W/clock_cam" "$PORT" 25 >"$W/cam.out" 2>"$W/cam.err" & CAM=$!
i=0; while [ $i -lt 50 ] && ! grep -q ready "$W/cam.out"; do sleep 0.1; i=$((i + 1)); done
$VIGIE video camera add --db "$W/db" --name clk --url "rtsp://127.0.0.1:$PORT/cam" >/dev/null
$VIGIE video camera allow clk --db "$W/db" --role operator >/dev/null
printf 'bench-password-1\n' >"$W/pw"
$VIGIE users add bench --db "$W/db" --role operator --password-file "$W/pw" >/dev/null
$VIGIE video record --db "$W/db" --camera clk --segment 60 --dir "$W/rec" --live-every "$EVERY" \
  --preset ultrafast --quiet 2>"$W/rec.err" & REC=$!
i=0; while [ $i -lt 100 ] && [ ! -f "$W/rec/live/clk.jpg" ]; do sleep 0.1; i=$((i + 1)); done
$VIGIE serve --db "$W/db" --listen 127.0.0.1:0 --live-dir "$W/rec/live" >"$W/out" 2>"$W/err" & SRV=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$W/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$W/out")
curl -s -c "$W/jar" -H 'Content-Type: application/json' \
  -d '{"user":"bench","password":"bench-password-1"}' "$URL/api/v1/login" >/dev/null
FPS=$(( 25 / EVERY )); [ "$FPS" -ge 1 ] || FPS=1
echo "nproc $(nproc); camera 640x360@25, live picture every $EVERY frame(s) = $FPS/s; ${SECS}s per run"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for n in $LIST; do
  rm -f "$W"/v.* "$W"/t.*
  t0=$(ticks "$SRV")
  j=0
  while [ $j -lt "$n" ]; do
    curl -s -b "$W/jar" --interface "127.0.0.$((2 + j % 4))" --max-time "$SECS" \
      -w '%{time_starttransfer}\n' -o "$W/v.$j" "$URL/api/v1/cameras/clk/live?fps=25" >"$W/t.$j" &
    j=$((j + 1))
  done
  lat=$($PY bench/live_latency.py "$URL" bench bench-password-1 clk $((SECS - 2)) 25 2>&1 || true)
  wait_curls=0
  while [ "$(ls "$W"/v.* 2>/dev/null | wc -l)" -lt "$n" ] && [ $wait_curls -lt 20 ]; do sleep 0.2; wait_curls=$((wait_curls + 1)); done
  sleep 2.5
  t1=$(ticks "$SRV")
  # pictures/s of each viewer from its first byte to the end of its run
  rates=$(j=0; while [ $j -lt "$n" ]; do
      [ -f "$W/v.$j" ] && echo "$(grep -c -a '^--vigieframe' "$W/v.$j") $(cat "$W/t.$j")"; j=$((j + 1)); done |
    awk -v s="$SECS" '{ printf "%.3f %s\n", $1 / (s - $2), $2 }' | sort -n |
    awk '{ a[NR] = $1; t += $1; if ($2 > w) w = $2 }
      END { if (NR) printf "min %.1f median %.1f /s, total %.0f pictures/s, last first byte after %.1f s", a[1], a[int((NR + 1) / 2)], t, w }')
  cpu=$(awk -v a="$t0" -v b="$t1" -v s="$SECS" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz / (s + 2.5) }')
  echo "N=$n viewers: ${rates:-none}; server CPU $cpu cores; latency viewer: $lat"
done
