#!/bin/sh
# video_live.sh — the camera wall end to end: a loopback RTSP camera, the
# recorder writing masked live JPEGs, `vigie serve` streaming them.
# An operator allowed on camera A only: /cameras lists only A; B's live,
# B's snapshot and an unknown camera answer the same 403; A's snapshot is a
# JPEG whose pixels inside the mask polygons are black and outside bright
# (decoded by the ffmpeg CLI, polygons by numpy: video_check.py); a few
# seconds of A's MJPEG parse as multipart parts that are whole JPEGs
# (mjpeg_check.py), masked too; the wall stream carries A and C tagged,
# refuses a list holding B; `camera deny` applies at once to new requests
# and within 10 s to a running stream; logging out ends a running stream;
# the
# audit trail holds start/end viewing records for A and the denial for B,
# and verifies; the video register has the viewings.
. tests/helpers/video_lib.sh
video_require
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
SRVPID=""
trap '[ -n "$SRVPID" ] && kill "$SRVPID" 2>/dev/null; video_cleanup' EXIT INT TERM
PORT=$(video_port)
cam_start "$PORT" white 640x360 25
M1="100,50 300,60 250,200 120,180"
M2="400,200 600,220 560,340 420,330"
$VIGIE video camera add --db "$T/db" --name A --url "rtsp://127.0.0.1:$PORT/cam" \
  --area centre --lon 2.35 --lat 48.85 >/dev/null || fail "camera add A"
$VIGIE video camera add --db "$T/db" --name B --url "rtsp://127.0.0.1:1/none" >/dev/null || fail "camera add B"
$VIGIE video camera mask --db "$T/db" --name A --polygon "$M1" --polygon "$M2" >/dev/null || fail mask
$VIGIE video camera allow A --db "$T/db" --user op >/dev/null || fail "allow A"
$VIGIE video camera allow B --db "$T/db" --role supervisor >/dev/null || fail "allow B"
# C: allowed through the operator role; its "recorder" is a still picture
$VIGIE video camera add --db "$T/db" --name C --url "rtsp://127.0.0.1:1/none" --area gare >/dev/null || fail "camera add C"
$VIGIE video camera allow C --db "$T/db" --role operator >/dev/null || fail "allow C"
$VIGIE video camera allow B --db "$T/db" --role superviseur 2>/dev/null && fail "unknown role accepted"
$VIGIE video camera deny A --db "$T/db" --user nobody 2>/dev/null && fail "deny of a missing right succeeded"
printf 'operator-password-1\n' >"$T/pw"
$VIGIE users add op --db "$T/db" --role operator --password-file "$T/pw" >/dev/null || fail "users add"

$VIGIE video record --db "$T/db" --camera A --segment 5 --dir "$T/rec" --duration 60 \
  --live-every 5 --quiet 2>"$T/rec.err" &
RECPID=$!
i=0; while [ $i -lt 100 ] && [ ! -f "$T/rec/live/A.jpg" ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$T/rec/live/A.jpg" ] || { cat "$T/rec.err"; fail "recorder wrote no live picture"; }
cp "$T/rec/live/A.jpg" "$T/rec/live/C.jpg"

$VIGIE serve --db "$T/db" --listen 127.0.0.1:0 --web web --live-dir "$T/rec/live" >"$T/out" 2>"$T/err" &
SRVPID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server did not start"; }
API=$URL/api/v1
curl -s -c "$T/jar" -H 'Content-Type: application/json' \
  -d '{"user":"op","password":"operator-password-1"}' "$API/login" >"$T/login.json" || fail login
CSRF=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/login.json")
code() { curl -s -b "$T/jar" -o "$2" -w '%{http_code}' "$1"; }

# 1. the list holds exactly the cameras the operator may view
[ "$(code "$API/cameras" "$T/cams.json")" = 200 ] || fail "cameras: $(cat "$T/cams.json")"
names=$($PY -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["cameras"]))' "$T/cams.json")
[ "$names" = "A C" ] || fail "cameras listed: '$names', expected 'A C'"
$PY -c 'import json,sys; c=json.load(open(sys.argv[1]))["cameras"][0]; assert c["area"]=="centre" and c["stale"] is False, c' \
  "$T/cams.json" || fail "camera A entry"
# 2. refusals: not allowed, unknown, no session
for p in cameras/B/live cameras/B/snapshot cameras/nosuch/live "wall?cameras=A,B"; do
  c=$(code "$API/$p" "$T/deny.json"); [ "$c" = 403 ] || fail "GET /$p: $c $(cat "$T/deny.json")"
done
c=$(curl -s -o /dev/null -w '%{http_code}' "$API/cameras/A/snapshot"); [ "$c" = 401 ] || fail "snapshot without session: $c"
c=$(code "$API/cameras/A/live?fps=99" /dev/null); [ "$c" = 400 ] || fail "fps=99: $c"
# 3. snapshot: a masked JPEG
[ "$(code "$API/cameras/A/snapshot" "$T/snap.jpg")" = 200 ] || fail "snapshot A"
ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 "$T/snap.jpg" </dev/null >"$T/probe"
[ "$(cat "$T/probe")" = "mjpeg,640,360" ] || fail "snapshot is not a 640x360 JPEG: $(cat "$T/probe")"
$PY $HELP/video_check.py mask "$T/snap.jpg" 640 360 "$M1" "$M2" || fail "snapshot mask"
# 4. live: 3 s of MJPEG at 10 fps from a recorder writing 5 pictures/s
curl -s -b "$T/jar" --max-time 3 -D "$T/live.h" -o "$T/live.bin" "$API/cameras/A/live?fps=10"
grep -qi '^content-type: multipart/x-mixed-replace; boundary=vigieframe' "$T/live.h" || fail "live content type: $(cat "$T/live.h")"
$PY $HELP/mjpeg_check.py "$T/live.bin" vigieframe 8 "$T/parts" || fail "MJPEG parts"
last=$(ls "$T/parts" | sort -t- -k2 -n | tail -1)
for f in part-0.jpg "$last"; do
  $PY $HELP/video_check.py mask "$T/parts/$f" 640 360 "$M1" "$M2" || fail "live part $f mask"
done
# 5. the wall stream: both cameras, tagged, masked
curl -s -b "$T/jar" --max-time 2 -o "$T/wall.bin" "$API/wall?cameras=A,C&fps=5"
$PY $HELP/mjpeg_check.py "$T/wall.bin" vigieframe 5 "$T/wall" >"$T/wall.txt" || fail "wall parts: $(cat "$T/wall.txt")"
grep -qx 'cameras A C' "$T/wall.txt" || fail "wall stream cameras: $(cat "$T/wall.txt")"
$PY $HELP/video_check.py mask "$(ls "$T"/wall/A-*.jpg | tail -1)" 640 360 "$M1" "$M2" || fail "wall part mask"
# deny takes effect at the next request
$VIGIE video camera deny C --db "$T/db" --role operator >/dev/null || fail "deny C"
code "$API/cameras" "$T/cams2.json" >/dev/null
grep -q '"name":"C"' "$T/cams2.json" && fail "C still listed after deny"
c=$(code "$API/cameras/C/snapshot" /dev/null); [ "$c" = 403 ] || fail "C snapshot after deny: $c"
# 6. logging out ends a running stream (within the 1 s session re-check)
curl -s -b "$T/jar" -o "$T/live2.bin" "$API/cameras/A/live" &
CURLPID=$!
sleep 1.5
curl -s -b "$T/jar" -H "X-CSRF-Token: $CSRF" -X POST "$API/logout" >/dev/null
i=0; while [ $i -lt 40 ] && kill -0 $CURLPID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -0 $CURLPID 2>/dev/null && { kill $CURLPID; fail "stream still running 4 s after logout"; }
wait $CURLPID || fail "stream after logout did not end cleanly (curl rc $?)"
# 7. withdrawing the right ends a running stream (re-checked every 10 s)
curl -s -c "$T/jar" -H 'Content-Type: application/json' \
  -d '{"user":"op","password":"operator-password-1"}' "$API/login" >/dev/null || fail "login again"
curl -s -b "$T/jar" -o "$T/live3.bin" "$API/cameras/A/live" &
CURLPID=$!
sleep 1
$VIGIE video camera deny A --db "$T/db" --user op >/dev/null || fail "deny A"
i=0; while [ $i -lt 130 ] && kill -0 $CURLPID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -0 $CURLPID 2>/dev/null && { kill $CURLPID; fail "stream still running 13 s after deny"; }
wait $CURLPID || fail "stream after deny did not end cleanly"
# 8. the audit trail: start and end of every stream, the snapshot, the denials
sleep 0.5
kill "$SRVPID"; wait "$SRVPID" 2>/dev/null; SRVPID=""
# under `make SANITIZE=...` the server reports leaks and UB on its stderr
grep -E 'Sanitizer|runtime error' "$T/err" && fail "sanitizer report from the server"
$PY - "$T/db.audit" <<'PY' || fail "viewing records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
mine = [r for r in recs if r["user"] == "op" and r["action"].startswith("video.")]
acts = [(r["action"], r["object"]) for r in mine]
print(acts)
assert acts.count(("video.live.start", "camera:A")) == 4, acts
assert acts.count(("video.live.end", "camera:A")) == 4, acts
assert acts.count(("video.live.start", "camera:C")) == 1 and ("video.live.end", "camera:C") in acts
assert ("video.snapshot", "camera:A") in acts
assert acts.count(("video.live.denied", "camera:B")) == 3 and ("video.live.denied", "camera:nosuch") in acts
ends = [r for r in mine if r["action"] == "video.live.end"]
first = ends[0]["details"]
assert 2500 <= first["duration_ms"] <= 4500 and first["frames"] >= 8, first
assert first["from"] < first["to"]
PY
$VIGIE audit verify --db "$T/db" >/dev/null || fail "audit trail does not verify"
[ "$(q "SELECT count(*) FROM video_view v JOIN video_camera c ON c.id=v.camera_id WHERE c.name='A' AND v.who='op'")" = 5 ] \
  || fail "video_view rows: $(q 'SELECT * FROM video_view')"
[ "$(q "SELECT count(*) FROM video_register WHERE action='viewed'")" = 6 ] || fail "register viewed rows"

# 9. the crime store and the recorders' video register apart (--video-db): the
# users and the trail come from --db, the cameras and rights from --video-db
$VIGIE serve --db "$T/crime.db" --video-db "postgres:///x" --listen 127.0.0.1:0 --web web >/dev/null 2>"$T/err2" \
  && fail "a PostgreSQL --video-db was accepted"
grep -q "SQLite file" "$T/err2" || fail "--video-db refusal: $(cat "$T/err2")"
$VIGIE users add op2 --db "$T/crime.db" --role operator --password-file "$T/pw" >/dev/null || fail "users add op2"
$VIGIE video camera allow A --db "$T/db" --user op2 >/dev/null || fail "allow A op2"
$VIGIE serve --db "$T/crime.db" --video-db "$T/db" --listen 127.0.0.1:0 --web web --live-dir "$T/rec/live" \
  >"$T/out3" 2>"$T/err3" &
SRVPID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out3"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out3")
[ -n "$URL" ] || { cat "$T/err3"; fail "server with --video-db did not start"; }
curl -s -c "$T/jar" -H 'Content-Type: application/json' \
  -d '{"user":"op2","password":"operator-password-1"}' "$URL/api/v1/login" >/dev/null || fail "login op2"
[ "$(code "$URL/api/v1/cameras" "$T/cams3.json")" = 200 ] || fail "cameras with --video-db: $(cat "$T/cams3.json")"
names=$($PY -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["cameras"]))' "$T/cams3.json")
[ "$names" = "A" ] || fail "cameras listed with --video-db: '$names', expected 'A'"
[ "$(code "$URL/api/v1/cameras/A/snapshot" "$T/snap3.jpg")" = 200 ] || fail "snapshot with --video-db"
kill "$SRVPID"; wait "$SRVPID" 2>/dev/null; SRVPID=""
$PY -c 'import json,sys; a=[json.loads(l) for l in open(sys.argv[1])]; assert any(r["user"]=="op2" and r["action"]=="video.snapshot" for r in a)' \
  "$T/crime.db.audit" || fail "the viewing is not on the crime store's trail"
echo "video_live: ok"
