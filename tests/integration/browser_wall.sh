#!/bin/sh
# browser_wall.sh — the camera wall in Debian's headless chromium: a
# loopback RTSP camera recorded with live pictures, a second camera with a
# still picture, a third the operator may not see; `vigie serve`; then
# tests/browser/wall.test.js (cells = allowed cameras, pictures arrive,
# layouts, English, tablet width, no CSP violation).  Screenshots are kept
# under $BUILD/browser/.  Skips (77) when chromium or the camera helpers
# are absent.
[ -x /usr/bin/chromium ] || { echo "chromium absent (apt-get install chromium)"; exit 77; }
. tests/helpers/video_lib.sh
video_require
ROOT=${VIGIE_ROOT:-$PWD}
command -v node >/dev/null || fail "node is missing (scripts/install-deps)"
if [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
  (cd "$ROOT/tests/browser" && npm install --no-audit --no-fund --silent) || fail "npm install"
fi
SRVPID=""
trap '[ -n "$SRVPID" ] && kill "$SRVPID" 2>/dev/null; video_cleanup' EXIT INT TERM
PORT=$(video_port)
cam_start "$PORT" smpte 640x360 25
$VIGIE video camera add --db "$T/db" --name A --url "rtsp://127.0.0.1:$PORT/cam" --area centre >/dev/null || fail "camera A"
$VIGIE video camera mask --db "$T/db" --name A --polygon "100,50 300,60 250,200 120,180" >/dev/null || fail mask
$VIGIE video camera add --db "$T/db" --name C --url "rtsp://127.0.0.1:1/none" --area gare >/dev/null || fail "camera C"
$VIGIE video camera add --db "$T/db" --name B --url "rtsp://127.0.0.1:1/none" >/dev/null || fail "camera B"
$VIGIE video camera allow A --db "$T/db" --user op >/dev/null || fail "allow A"
$VIGIE video camera allow C --db "$T/db" --role operator >/dev/null || fail "allow C"
$VIGIE video camera allow B --db "$T/db" --role supervisor >/dev/null || fail "allow B"
PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$PW" >"$T/pw"
$VIGIE users add op --db "$T/db" --role operator --password-file "$T/pw" >/dev/null || fail "users add"
$VIGIE video record --db "$T/db" --camera A --segment 10 --dir "$T/rec" --duration 120 \
  --live-every 5 --quiet 2>"$T/rec.err" &
RECPID=$!
i=0; while [ $i -lt 100 ] && [ ! -f "$T/rec/live/A.jpg" ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$T/rec/live/A.jpg" ] || { cat "$T/rec.err"; fail "no live picture"; }
cp "$T/rec/live/A.jpg" "$T/rec/live/C.jpg"
cp "$T/rec/live/A.jpg" "$T/rec/live/B.jpg"
$VIGIE serve --db "$T/db" --listen 127.0.0.1:0 --web "$ROOT/web" --live-dir "$T/rec/live" >"$T/out" 2>"$T/err" &
SRVPID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server did not start"; }
mkdir -p "$ROOT/$BUILD/browser"
VIGIE_URL=$URL VIGIE_USER=op VIGIE_PASSWORD=$PW OUT="$ROOT/$BUILD/browser" \
  timeout 300 node "$ROOT/tests/browser/wall.test.js" || fail "browser test"
kill "$SRVPID"; wait "$SRVPID" 2>/dev/null; SRVPID=""
grep -E 'Sanitizer|runtime error' "$T/err" && fail "sanitizer report from the server"
# B was never streamed; A and C were, and their viewings are on the trail
grep -q '"action":"video.live.start","object":"camera:A"' "$T/db.audit" || fail "no start record for A"
grep -q '"object":"camera:B"' "$T/db.audit" && fail "camera B was requested"
echo "browser_wall: ok"
