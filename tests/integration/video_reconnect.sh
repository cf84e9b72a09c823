#!/bin/sh
# video_reconnect.sh — kill the camera while recording, restart it: the
# recorder closes the segment in progress, reconnects with backoff, records
# the gap in the store and resumes; segments before and after are valid.
. tests/helpers/video_lib.sh
video_require
PORT=$(video_port)
cam_start "$PORT" white 320x240 25
$VIGIE video camera add --db "$T/db" --name parc --url "rtsp://127.0.0.1:$PORT/cam" \
  --transport tcp >/dev/null || fail "camera add"
$VIGIE video record --db "$T/db" --camera parc --segment 2 --dir "$T/rec" \
  --duration 11 --timeout 2 --backoff-max 1 --live-every 0 2>"$T/rec.err" &
RECPID=$!
sleep 3.5
kill_ms=$(($(date +%s%N) / 1000000))
cam_stop
sleep 3
back_ms=$(($(date +%s%N) / 1000000))
cam_start "$PORT" white 320x240 25
wait "$RECPID"; rc=$?; RECPID=""
cat "$T/rec.err"
[ $rc = 0 ] || fail "recorder exit $rc"
echo "gaps:"; q "SELECT from_ms, to_ms, to_ms-from_ms, reason FROM video_gap"
[ "$(q "SELECT count(*) FROM video_gap")" = 1 ] || fail "expected one gap"
# the gap starts around the kill and ends after the restart
q "SELECT from_ms, to_ms FROM video_gap" | {
  IFS='|' read -r gf gt
  [ $((gf - kill_ms)) -lt 1500 ] && [ $((kill_ms - gf)) -lt 2500 ] || fail "gap starts $gf, camera killed $kill_ms"
  # (the end is the first new segment's start: within 0.5 s of the restart
  # after the anchor correction, and before the reconnect + backoff delay)
  [ "$gt" -ge $((back_ms - 500)) ] && [ $((gt - back_ms)) -lt 4000 ] || fail "gap ends $gt, camera back $back_ms"
  [ "$(q "SELECT count(*) FROM video_segment WHERE start_ms < $gt AND end_ms > $gf")" = 0 ] || fail "a segment overlaps the gap"
} || exit 1
before=$(q "SELECT count(*) FROM video_segment s, video_gap g WHERE s.end_ms <= g.from_ms")
after=$(q "SELECT count(*) FROM video_segment s, video_gap g WHERE s.start_ms >= g.to_ms")
echo "segments before gap: $before, after: $after"
[ "$before" -ge 1 ] && [ "$after" -ge 1 ] || fail "recording did not resume"
for f in $(q "SELECT path FROM video_segment"); do
  ffprobe </dev/null -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$f" >/dev/null || fail "$f unreadable"
done
[ -z "$(find "$T/rec" -name '*.part')" ] || fail "temporary file left"
$VIGIE video register --db "$T/db" --camera parc | grep -q " gap .*no recording" || fail "gap not in the register"
echo "video_reconnect: ok"
