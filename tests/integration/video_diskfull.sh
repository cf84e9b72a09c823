#!/bin/sh
# video_diskfull.sh — the disk fills up in the middle of a segment (a 900 KB
# tmpfs mounted in a private mount namespace with `unshare -rm`; skipped
# where namespaces are not allowed): the recorder stops with an I/O error,
# raises an alert
# (store row + stderr), removes the partial segment and leaves every
# finished segment intact (hash as indexed, fully decodable).
. tests/helpers/video_lib.sh
video_require
PORT=$(video_port)
cam_start "$PORT" snow 640x360 25   # noise: big segments, so the limit is hit
$VIGIE video camera add --db "$T/db" --name quai --url "rtsp://127.0.0.1:$PORT/cam" >/dev/null
mkdir "$T/rec" "$T/rec.after"
unshare -rm true 2>/dev/null || { echo "unshare -rm not permitted here"; exit 77; }
# noise at 640x360 is about 340 KB per 1-second segment: two fit, not three
# the tmpfs vanishes with the namespace: copy what it holds to $T/after
unshare -rm sh -c 'mount -t tmpfs -o size=900k tmpfs "$1" || exit 99
  r=$1; shift; "$@"; rc=$?; cp -a "$r/." "$r.after/"; exit $rc' sh \
  "$T/rec" $VIGIE video record --db "$T/db" --camera quai --segment 1 \
  --dir "$T/rec" --duration 20 --live-every 0 --min-free-mb 0.5 --quiet 2>"$T/err"; rc=$?
cat "$T/err"
[ $rc = 74 ] || fail "expected exit 74 (I/O error), got $rc"
grep -q "ALERT disk camera \"quai\"" "$T/err" || fail "no alert on stderr"
# the early warning came first, once: free space fell under 0.5 MB
[ "$(q "SELECT count(*) FROM video_alert WHERE kind='disk-low'")" = 1 ] || fail "no single disk-low warning"
[ "$(q "SELECT min(id) FROM video_alert WHERE kind='disk-low'")" -lt "$(q "SELECT id FROM video_alert WHERE kind='disk'")" ] || fail "warning after the failure"
[ "$(q "SELECT count(*) FROM video_alert WHERE kind='disk'")" = 1 ] || fail "no alert row"
$VIGIE video register --db "$T/db" | grep -q " alert .*disk: .*No space left" || fail "alert not in the register"
n=$(q "SELECT count(*) FROM video_segment")
echo "finished segments: $n"
[ "$n" -ge 1 ] || fail "no segment finished before the limit (limit too small?)"
A="$T/rec.after"
[ -z "$(find "$A" -name '*.part' -o -name '*.tmp')" ] || fail "partial file left behind"
[ "$(find "$A" -name '*.mp4' | wc -l)" = "$n" ] || fail "files on disk != indexed segments"
q "SELECT path, sha256, frames FROM video_segment" >"$T/segs"
while IFS='|' read -r path sha frames; do
  path="$A${path#"$T/rec"}"
  [ "$(sha256sum "$path" | cut -d' ' -f1)" = "$sha" ] || fail "finished segment $path changed"
  got=$(ffprobe </dev/null -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$path")
  [ "$got" = "$frames" ] || fail "$path decodes $got frames, store says $frames"
done <"$T/segs"
echo "video_diskfull: ok"
