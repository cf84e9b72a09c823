#!/bin/sh
# video_export_retention.sh — OPJ requisition export and retention, on a
# short real recording: the export verifies offline, stays masked and
# silent, and a flipped byte or an added file is named; retention refuses
# more than 31 days and, with an injected clock, destroys what is past it
# except what a legal hold covers; the register tells all of it.
. tests/helpers/video_lib.sh
video_require
PORT=$(video_port)
cam_start "$PORT" white 320x240 25 audio
M="40,40 200,50 150,200"
$VIGIE video camera add --db "$T/db" --name mairie --url "rtsp://127.0.0.1:$PORT/cam" \
  --retention 32 2>"$T/err"; rc=$?
[ $rc = 65 ] && grep -q "one month" "$T/err" || fail "retention 32 days accepted (rc $rc)"
$VIGIE video camera add --db "$T/db" --name mairie --url "rtsp://127.0.0.1:$PORT/cam" \
  --transport udp --retention 30 >/dev/null || fail "camera add"   # RTP over UDP
$VIGIE video camera mask --db "$T/db" --name mairie --polygon "$M" >/dev/null
$VIGIE video camera set --db "$T/db" --name mairie --retention 45 2>/dev/null && fail "set retention 45 accepted"
$VIGIE video camera set --db "$T/db" --name mairie --retention 30 --viewer user:martin >/dev/null || fail "camera set"
$VIGIE video record --db "$T/db" --camera mairie --segment 2 --dir "$T/rec" \
  --duration 5 --live-every 0 --quiet || fail "record"
cam_stop
n=$(q "SELECT count(*) FROM video_segment")
first=$(q "SELECT min(start_ms)/1000 FROM video_segment")
last=$(q "SELECT (max(end_ms)+999)/1000 FROM video_segment")
echo "$n segments, $first..$last"
[ "$n" -ge 2 ] || fail "expected >= 2 segments"

# --- export ---
$VIGIE video requisition --db "$T/db" --officer "OPJ Martin" --service "SRPJ Lyon" \
  --procedure 2026/0042 --camera mairie --from "$first" --to "$last" \
  --reason "vol avec violence" --supervisor alice || fail "requisition"
$VIGIE video export --db "$T/db" --requisition 1 --out "$T/ex" || fail "export"
[ "$(stat -c %a "$T/db.ed25519.key")" = 600 ] || fail "secret key not 0600"
$VIGIE video verify "$T/ex" --pubkey "$T/db.ed25519.pub" || fail "verify clean export"
[ "$(grep -c '^file ' "$T/ex/manifest.txt")" = "$n" ] || fail "manifest lists != $n files"
for f in "$T"/ex/mairie/*.mp4; do
  [ "$(ffprobe </dev/null -v error -show_entries stream=codec_type -of csv=p=0 "$f" | tr '\n' ' ')" = "video " ] \
    || fail "$f has a non-video stream"
  $PY $HELP/video_check.py mask "$f" 320 240 "$M" || fail "exported $f not masked"
done
victim=$(ls "$T"/ex/mairie/*.mp4 | tail -1)
printf '\001' | dd of="$victim" bs=1 seek=2000 conv=notrunc 2>/dev/null
$VIGIE video verify "$T/ex" >"$T/v.out" 2>&1; rc=$?
cat "$T/v.out"
[ $rc = 65 ] || fail "verify of a tampered export returned $rc"
grep -q "^BAD mairie/$(basename "$victim"): sha256" "$T/v.out" || fail "tampered file not named"
[ "$(grep -c '^BAD' "$T/v.out")" = 1 ] || fail "only the tampered file is bad"
# a key the operator does not trust is refused even if the export is whole
$VIGIE video export --db "$T/db" --requisition 1 --out "$T/ex2" >/dev/null || fail "export 2"
echo 0000000000000000000000000000000000000000000000000000000000000001 >"$T/other.pub"
$VIGIE video verify "$T/ex2" --pubkey "$T/other.pub" >/dev/null 2>&1 && fail "wrong key accepted"
echo junk >"$T/ex2/mairie/extra.mp4"
$VIGIE video verify "$T/ex2" 2>/dev/null | grep -q "^BAD mairie/extra.mp4: not in the manifest" || fail "added file not named"

# --- retention with an injected clock, and a legal hold ---
hold_to=$((first + 1))
$VIGIE video hold add --db "$T/db" --procedure "PV 2026/77" --camera mairie \
  --from "$first" --to "$hold_to" --now "$last" || fail "hold"
$VIGIE video purge --db "$T/db" --now $((last + 29 * 86400)) | tee "$T/p1"
grep -q "^destroyed 0 segment" "$T/p1" || fail "purged before 30 days"
$VIGIE video purge --db "$T/db" --now $((last + 31 * 86400)) | tee "$T/p2"
grep -q "^destroyed $((n - 1)) segment(s); 1 expired segment(s) kept by a legal hold" "$T/p2" \
  || fail "purge at 31 days"
kept=$(q "SELECT path FROM video_segment WHERE deleted_ms=0")
[ -f "$kept" ] || fail "held segment deleted"
[ "$(q "SELECT start_ms/1000 FROM video_segment WHERE deleted_ms=0")" -le "$hold_to" ] || fail "wrong segment kept"
for f in $(q "SELECT path FROM video_segment WHERE deleted_ms<>0"); do
  [ ! -e "$f" ] && [ ! -e "${f%.mp4}.jpg" ] || fail "$f or its thumbnail still on disk"
done
[ -f "${kept%.mp4}.jpg" ] || fail "held segment's thumbnail deleted"
$VIGIE video hold release --db "$T/db" --id 1 --now $((last + 32 * 86400)) >/dev/null
$VIGIE video purge --db "$T/db" --now $((last + 32 * 86400)) | grep -q "^destroyed 1 " || fail "purge after release"
$VIGIE video register --db "$T/db" --camera mairie >"$T/reg"
cat "$T/reg"
[ "$(grep -c ' recorded ' "$T/reg")" = "$n" ] || fail "register: recorded"
[ "$(grep -c ' destroyed ' "$T/reg")" = "$n" ] || fail "register: destroyed"
[ "$(grep -c ' transmitted .*to OPJ Martin (SRPJ Lyon)' "$T/reg")" = "$((2 * n))" ] || fail "register: transmitted"
echo "video_export_retention: ok"
