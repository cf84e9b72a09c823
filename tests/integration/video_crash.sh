#!/bin/sh
# video_crash.sh — the recorder killed with SIGKILL in the middle of a
# segment loses only that segment: every indexed segment is intact, the
# partial file is never indexed and is replaced when recording restarts.
# SIGTERM stops cleanly: the segment in progress is closed and indexed.
. tests/helpers/video_lib.sh
video_require
PORT=$(video_port)
cam_start "$PORT" white 320x240 25
$VIGIE video camera add --db "$T/db" --name halle --url "rtsp://127.0.0.1:$PORT/cam" >/dev/null
REC="video record --db $T/db --camera halle --segment 2 --dir $T/rec --live-every 0 --quiet"
check_all() {
  q "SELECT path, sha256, frames FROM video_segment" >"$T/segs"
  while IFS='|' read -r path sha frames; do
    [ "$(sha256sum "$path" | cut -d' ' -f1)" = "$sha" ] || fail "$path changed"
    got=$(ffprobe </dev/null -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$path")
    [ "$got" = "$frames" ] || fail "$path decodes $got frames, store says $frames"
  done <"$T/segs"
}
$VIGIE $REC & RECPID=$!
sleep 3.3
# a second recorder for the same camera is refused (lock)
$VIGIE $REC --duration 1 2>"$T/err2"; rc=$?
grep -q "already being recorded" "$T/err2" && [ $rc = 70 ] || fail "second recorder not refused (rc $rc)"
kill -KILL "$RECPID"; wait "$RECPID" 2>/dev/null; RECPID=""
n1=$(q "SELECT count(*) FROM video_segment")
echo "after SIGKILL: $n1 indexed segment(s); partial: $(find "$T/rec" -name '*.part')"
[ "$n1" -ge 1 ] || fail "no segment finished before the kill"
[ -n "$(find "$T/rec" -name '*.part')" ] || fail "expected the partial segment of the killed run"
[ "$(find "$T/rec" -name '*.mp4' | wc -l)" = "$n1" ] || fail "a partial segment got a final name"
check_all
$VIGIE $REC & RECPID=$!
sleep 3
kill -TERM "$RECPID"; wait "$RECPID"; rc=$?; RECPID=""
[ $rc = 0 ] || fail "SIGTERM: exit $rc"
n2=$(q "SELECT count(*) FROM video_segment")
echo "after restart and SIGTERM: $n2 indexed segment(s)"
[ "$n2" -ge $((n1 + 2)) ] || fail "restart recorded too little ($n1 -> $n2)"
[ -z "$(find "$T/rec" -name '*.part')" ] || fail "partial file left after a clean stop"
[ "$(q "SELECT frames < 50 FROM video_segment ORDER BY id DESC LIMIT 1")" = 1 ] || fail "last segment should be the short one closed at SIGTERM"
check_all
echo "video_crash: ok"
