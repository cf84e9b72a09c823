#!/bin/sh
# server_logbook.sh — the logbook form API, the review queue and the
# retention settings of `vigie serve`, over HTTP with curl, on the Chicago
# area layer (so lon/lat, no French gazetteer).  Checks: an entry with a
# planted name after "M." and a phone number is answered scrubbed ([NOM],
# [TEL]) and the planted strings are nowhere in the store (SQL, and the
# SQLite file bytes) nor in the audit trail; a DST-gap time and an unknown
# source give 400 naming the field; the entry is queued when low-confidence
# and a correction changes its category (read back through SQL); retention
# PUT by the admin is read back by GET (and `vigie retention show`), an
# analyst's PUT gets 403.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
PY=/usr/bin/python3
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
. "$ROOT/tests/helpers/store_lib.sh"
VIGIE_BACKEND=${VIGIE_BACKEND:-sqlite}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" lb) || fail "new store"
"$V" import areas --db "$DB" --layer community_areas --id-field area_numbe --name-field community \
  --pop-field TOT_POP "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail import areas
printf 'logbook-password-1\n' > "$T/pw"
for u in op:operator ana:analyst adm:admin; do
  "$V" users add "${u%%:*}" --db "$DB" --role "${u#*:}" --password-file "$T/pw" >/dev/null || fail users add
done
"$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --purge-hours 0 >"$T/out" 2>"$T/err" &
PID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server did not start"; }
A=$URL/api/v1
json() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }
login() { curl -s -c "$T/$1.jar" -H 'Content-Type: application/json' \
  -d "{\"user\":\"$1\",\"password\":\"logbook-password-1\"}" "$A/login" > "$T/$1.me" || fail "login $1"; }
for u in op ana adm; do login $u; done
csrf() { json "d['csrf']" "$T/$1.me"; }
# send USER METHOD PATH BODY -> body in $T/r.json, status printed
send() { curl -s -b "$T/$1.jar" -X "$2" -H 'Content-Type: application/json' -H "X-CSRF-Token: $(csrf "$1")" \
  -o "$T/r.json" -w '%{http_code}' --data-binary "$4" "$A/$3"; }

NAME=Zwemmerbachsky
PHONE="06 47 58 69 21"
# 1. an entry through the form API: scrubbed answer
c=$(send op POST logbook "{\"occurred_from\":\"2026-11-20T22:15\",\"source\":\"logbook\",\"origin\":\"reported\",\"lon\":-87.6298,\"lat\":41.8781,\"text\":\"Appel de M. $NAME au $PHONE pour un probleme pas clair\"}")
[ "$c" = 201 ] || fail "POST logbook: $c $(cat "$T/r.json")"
cat "$T/r.json"
txt=$(json "d['text']" "$T/r.json")
case "$txt" in *"[NOM]"*"[TEL]"*) ;; *) fail "answered text not scrubbed: $txt";; esac
grep -q -F "$NAME" "$T/r.json" && fail "the name is in the answer"
grep -q -F "$PHONE" "$T/r.json" && fail "the phone number is in the answer"
INC=$(json "d['incident_id']" "$T/r.json")
REV=$(json "d['review']" "$T/r.json")
CAT=$(json "d['category']" "$T/r.json")
echo "entry: incident $INC category $CAT review $REV"
# 2. bad input: 400 naming the field (no store change)
n0=$(vg_sql "$DB" "SELECT count(*) FROM incident")
c=$(send op POST logbook '{"occurred_from":"2026-03-29T02:30","source":"logbook","lon":-87.63,"lat":41.88,"text":"x"}')
[ "$c" = 400 ] && [ "$(json "d['field']" "$T/r.json")" = occurred_from ] || fail "DST gap time: $c $(cat "$T/r.json")"
grep -q "does not exist" "$T/r.json" || fail "DST gap reason: $(cat "$T/r.json")"
c=$(send op POST logbook '{"occurred_from":"2026-03-02T10:00","source":"martian","lon":-87.63,"lat":41.88,"text":"x"}')
[ "$c" = 400 ] && [ "$(json "d['field']" "$T/r.json")" = source ] || fail "bad source: $c $(cat "$T/r.json")"
c=$(send op POST logbook '{"occurred_from":"2026-03-02T10:00","source":"logbook","place":"Place Kleber","text":"x"}')
[ "$c" = 400 ] && [ "$(json "d['field']" "$T/r.json")" = place ] || fail "unresolvable place: $c $(cat "$T/r.json")"
[ "$(vg_sql "$DB" "SELECT count(*) FROM incident")" = "$n0" ] || fail "a refused entry was stored"
# 3. the planted strings are nowhere: store (SQL and file bytes) and audit trail
[ "$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE text LIKE '%$NAME%' OR text LIKE '%47 58%'")" = 0 ] || fail "planted text in the store"
[ "$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE text LIKE '%[NOM]%[TEL]%'")" = 1 ] || fail "scrubbed text not stored"
for f in "$DB" "$DB-wal" "$DB.audit"; do
  [ -f "$f" ] || continue
  grep -a -q -F "$NAME" "$f" && fail "name in $f"
  grep -a -q -F "$PHONE" "$f" && fail "phone in $f"
done
"$V" audit show --db "$DB" --format json > "$T/audit.json" || fail "audit show"
grep -q -F "POST /api/v1/logbook" "$T/audit.json" || fail "form post not audited"
grep -q -F "$NAME" "$T/audit.json" && fail "name in the audit trail"
grep -q -F "47 58" "$T/audit.json" && fail "phone in the audit trail"
echo "planted name and phone absent from store and audit trail"
# 4. review queue: low confidence -> pending; correction changes the category
c=$(curl -s -b "$T/ana.jar" -o "$T/q.json" -w '%{http_code}' "$A/review?status=pending")
[ "$c" = 200 ] || fail "GET review: $c"
inq=$($PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(any(r['incident_id']==$INC for r in d['rows']))" "$T/q.json")
if [ "$REV" = True ]; then [ "$inq" = True ] || fail "pending entry not in the queue"; else [ "$inq" = False ] || fail "accepted entry in the queue"; fi
c=$(curl -s -b "$T/op.jar" -o /dev/null -w '%{http_code}' "$A/review?status=pending")
[ "$c" = 403 ] || fail "operator read the review queue: $c"
if [ "$INC" != 0 ]; then
  NEW=troubles_tranquillite; [ "$CAT" = troubles_tranquillite ] && NEW=autre
  c=$(send ana POST "review/$INC" "{\"category\":\"$NEW\"}")
  [ "$c" = 200 ] || fail "review decide: $c $(cat "$T/r.json")"
  got=$(vg_sql "$DB" "SELECT c.code FROM incident i JOIN category c ON c.idx=i.cat WHERE i.id=$INC" 2>/dev/null || true)
  curl -s -b "$T/ana.jar" "$A/review?id=$INC" > "$T/one.json"
  [ "$(json "d['rows'][0]['category']" "$T/one.json")" = "$NEW" ] || fail "category after correction: $(cat "$T/one.json")"
  [ "$(json "d['rows'][0]['analyst']" "$T/one.json")" = ana ] || fail "analyst not recorded"
  echo "corrected incident $INC to $NEW (sql: ${got:-n/a})"
fi
# 5. retention: admin sets, GET returns it, analyst PUT 403, bad policy 400
c=$(send adm PUT retention '{"policy":"incident=1095,logbook=365"}')
[ "$c" = 200 ] || fail "PUT retention: $c $(cat "$T/r.json")"
curl -s -b "$T/adm.jar" "$A/retention" > "$T/ret.json"
[ "$(json "d['policy']['logbook'], d['policy']['incident']" "$T/ret.json")" = "365 1095" ] || fail "GET retention: $(cat "$T/ret.json")"
"$V" retention show --db "$DB" | grep -q "logbook *365 days" || fail "retention show disagrees"
c=$(send ana PUT retention '{"policy":"logbook=1"}'); [ "$c" = 403 ] || fail "analyst PUT retention: $c"
c=$(send adm PUT retention '{"policy":"logbook=-3"}'); [ "$c" = 400 ] || fail "bad policy: $c"
c=$(send adm PUT retention '{"policy":"incident=forever"}'); [ "$c" = 200 ] || fail "forever: $c"
curl -s -b "$T/adm.jar" "$A/retention" > "$T/ret.json"
[ "$(json "d['policy']['incident']" "$T/ret.json")" = None ] || fail "forever is not null: $(cat "$T/ret.json")"
# 6. a place name through the gazetteer given to `vigie serve --gazetteer`
#    (a second, French store: the Libourne sample gazetteer)
kill "$PID"; wait "$PID" 2>/dev/null; PID=""
DB2=$(vg_new_db "$T" lb2) || fail "new store 2"
"$V" users add op --db "$DB2" --role operator --password-file "$T/pw" >/dev/null || fail users add
"$V" serve --db "$DB2" --listen 127.0.0.1:0 --web "$ROOT/web" --purge-hours 0 \
  --gazetteer "$ROOT/data/gazetteer-libourne.csv" >"$T/out" 2>"$T/err" &
PID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server 2 did not start"; }
A=$URL/api/v1
login op
curl -s -b "$T/op.jar" "$A/places" > "$T/pl.json"
[ "$(json "'Place Abel Surchamp' in d['places'] and len(d['places'])" "$T/pl.json")" = "$(($(wc -l < "$ROOT/data/gazetteer-libourne.csv") - 1))" ] || fail "GET places: $(head -c 300 "$T/pl.json")"
c=$(send op POST logbook '{"occurred_from":"2024-06-01T22:00","source":"citizen","place":"place abel surchamp","category":"troubles_tranquillite","text":"Tapage"}')
[ "$c" = 201 ] || fail "place through the gazetteer: $c $(cat "$T/r.json")"
got=$(vg_sql "$DB2" "SELECT round(CAST(lon AS NUMERIC),4)||' '||round(CAST(lat AS NUMERIC),4) FROM incident")
[ "$got" = "-0.2436 44.9153" ] || fail "gazetteer point: $got (gazetteer says -0.24360,44.91530)"
c=$(send op POST logbook '{"occurred_from":"2024-06-01T22:00","source":"citizen","place":"Quai Nulle-Part","category":"autre"}')
[ "$c" = 400 ] && [ "$(json "d['field']" "$T/r.json")" = place ] || fail "unknown place: $c $(cat "$T/r.json")"
echo "place name resolved through --gazetteer; unknown place refused"
echo "PASS"
