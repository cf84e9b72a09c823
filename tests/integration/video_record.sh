#!/bin/sh
# video_record.sh — record a loopback RTSP camera (video + audio track) for
# about 7 s in 2-second segments and check: segments indexed with the right
# hashes and frame counts, consecutive segments tile time exactly, no
# missing frame inside a segment, no audio stream, privacy masks black in the
# recorded segments and in the live JPEG (pixels outside stay bright).
. tests/helpers/video_lib.sh
video_require
PORT=$(video_port)
cam_start "$PORT" white 640x360 25 audio
M1="100,50 300,60 250,200 120,180"
M2="400,200 600,220 560,340 420,330"
$VIGIE video camera add --db "$T/db" --name gare --url "rtsp://127.0.0.1:$PORT/cam" \
  --lon 2.35 --lat 48.85 --area centre --viewer role:superviseur || fail "camera add"
$VIGIE video camera mask --db "$T/db" --name gare --polygon "$M1" --polygon "$M2" || fail "mask"
$VIGIE video camera list --db "$T/db" | grep -q "gare .* 2  rtsp" || fail "camera list"
$VIGIE video record --db "$T/db" --camera gare --segment 2 --dir "$T/rec" \
  --duration 7 --live-every 10 --quiet || fail "record exit $?"

n=$(q "SELECT count(*) FROM video_segment")
[ "$n" -ge 3 ] || fail "expected >= 3 segments, got $n"
[ -z "$(find "$T/rec" -name '*.part')" ] || fail "temporary file left"
# hashes, frame counts, streams
q "SELECT path, sha256, frames, start_ms, end_ms FROM video_segment ORDER BY start_ms" >"$T/segs"
while IFS='|' read -r path sha frames s e; do
  [ "$(sha256sum "$path" | cut -d' ' -f1)" = "$sha" ] || fail "sha256 of $path"
  streams=$(ffprobe </dev/null -v error -show_entries stream=codec_type -of csv=p=0 "$path" | tr '\n' ' ')
  [ "$streams" = "video " ] || fail "$path streams: '$streams' (audio must be dropped)"
  got=$(ffprobe </dev/null -v error -count_frames -select_streams v:0 \
        -show_entries stream=nb_read_frames -of csv=p=0 "$path")
  [ "$got" = "$frames" ] || fail "$path decodes $got frames, store says $frames"
  # 25 fps: the segment's frames cover exactly its time span (+-1 frame)
  span=$(( (e - s) * 25 / 1000 ))
  [ $((span - frames)) -le 1 ] && [ $((frames - span)) -le 1 ] || fail "$path: $frames frames over $((e - s)) ms"
  $PY $HELP/video_check.py pts "$path" 25 || fail "pts $path"
  $PY $HELP/video_check.py mask "$path" 640 360 "$M1" "$M2" || fail "mask $path"
  thumb="${path%.mp4}.jpg"
  $PY $HELP/video_check.py mask "$thumb" 640 360 "$M1" "$M2" || fail "thumbnail $thumb"
done <"$T/segs"
# full segments are 2 s = 50 frames; consecutive segments tile time
full=$(q "SELECT count(*) FROM video_segment WHERE frames=50")
[ "$full" -ge 2 ] || fail "expected full 50-frame segments, got $full"
gaps=$(q "SELECT count(*) FROM video_segment a JOIN video_segment b ON b.id=a.id+1 WHERE b.start_ms<>a.end_ms")
[ "$gaps" = 0 ] || fail "$gaps discontinuities between consecutive segments"
total=$(q "SELECT sum(frames) FROM video_segment")
echo "segments: $n, frames: $total"
[ "$total" -ge 125 ] || fail "only $total frames in ~7 s"
# live picture: masked too; viewing is checked and logged
[ -f "$T/rec/live/gare.jpg" ] || fail "no live picture"
$PY $HELP/video_check.py mask "$T/rec/live/gare.jpg" 640 360 "$M1" "$M2" || fail "live mask"
$VIGIE video live --db "$T/db" --dir "$T/rec/live" --camera gare --user eve \
  --role agent --out "$T/x.jpg" 2>/dev/null && fail "agent may not view"
$VIGIE video live --db "$T/db" --dir "$T/rec/live" --camera gare --user bob \
  --role superviseur --out "$T/l.jpg" || fail "supervisor view"
[ "$(q "SELECT count(*) FROM video_view WHERE who='bob'")" = 1 ] || fail "view not logged"
[ "$(q "SELECT count(*) FROM video_register WHERE action='recorded'")" = "$n" ] || fail "register"
echo "video_record: ok"
