#!/bin/sh
# video_bench.sh — how many masked 720p streams one machine records in real
# time.  Usage (from the repo root, after `make`):
#     sh bench/video_bench.sh ["N1 N2 ..." [SECONDS [PRESET]]]
# A 720p25 H.264 source (ffmpeg's testsrc2, 4 Mbit/s, GOP 50, no B-frames,
# like a street camera) is generated once; then for N = 1..MAX_STREAMS, N
# recorders run side by side for SECONDS of wall time, each reading the
# source as fast as it can (file input: no pacing), decoding, burning 3
# privacy masks, encoding H.264 (libx264 PRESET, crf 26) in 10 s segments,
# writing a live JPEG every 25 frames.  All stores are prepared before the
# recorders start together.
# A recorder keeps up with a camera when it processes >= 25 frames/s, so
# the capacity is the largest N whose slowest recorder stays >= 25 fps.
# Frames counted are those in closed segments (from the store).
# The machine is shared: before each run the script samples, for 2 s while
# none of its recorders runs, how busy the CPUs already are ("others%", of
# all cores) — other people's work that the recorders compete with.
set -e
LIST=${1:-"1 2 3 4 5 6"}; SECS=${2:-12}; PRESET=${3:-veryfast}
VIGIE=${VIGIE:-$PWD/build/vigie}
W=${BENCH_DIR:-/tmp/vigie-video-bench}
mkdir -p "$W"
SRC="$W/src720.mp4"
if [ ! -f "$SRC" ]; then
  echo "generating $SRC (90 s of 720p25)..."
  ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=1280x720:rate=25 -t 90 \
    -c:v libx264 -preset veryfast -b:v 4M -g 50 -bf 0 -pix_fmt yuv420p "$SRC"
fi
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "preset $PRESET, ${SECS}s per run"
printf '%-3s %-8s %-40s %-6s %s\n' N others% "fps per recorder" total "real time?"
# percentage of all CPU time that was busy over 2 s
busy() {
  a=$(head -1 /proc/stat); sleep 2; b=$(head -1 /proc/stat)
  echo "$a" "$b" | awk '{ t1=0; for (i=2;i<=11;i++) t1+=$i; i1=$5+$6;
    t2=0; for (i=13;i<=22;i++) t2+=$i; i2=$16+$17;
    printf "%.0f", 100 * (1 - (i2-i1)/(t2-t1)) }'
}
for n in $LIST; do
  rm -rf "$W/run"; mkdir -p "$W/run"
  i=1
  while [ "$i" -le "$n" ]; do
    db="$W/run/db$i"
    $VIGIE video camera add --db "$db" --name c$i --url "$SRC" >/dev/null
    $VIGIE video camera mask --db "$db" --name c$i --polygon "100,100 400,120 380,400 90,380" \
      --polygon "800,50 1200,60 1180,300 820,280" --polygon "500,500 700,520 650,700" >/dev/null
    i=$((i + 1))
  done
  load=$(busy)
  i=1; pids=""
  while [ "$i" -le "$n" ]; do
    $VIGIE video record --db "$W/run/db$i" --camera c$i --segment 10 --dir "$W/run/rec" \
      --duration "$SECS" --live-every 25 --preset "$PRESET" --quiet &
    pids="$pids $!"; i=$((i + 1))
  done
  wait $pids
  i=1; per=""; total=0; min=999999
  while [ "$i" -le "$n" ]; do
    f=$(sqlite3 "$W/run/db$i" "SELECT coalesce(sum(frames),0) FROM video_segment")
    fps=$((f / SECS)); per="$per $fps"; total=$((total + fps))
    [ "$fps" -lt "$min" ] && min=$fps
    i=$((i + 1))
  done
  ok=no; [ "$min" -ge 25 ] && ok=yes
  printf '%-3s %-8s %-40s %-6s %s\n' "$n" "$load" "$per" "$total" "$ok"
done
rm -rf "$W/run"
