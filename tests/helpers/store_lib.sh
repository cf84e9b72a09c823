# store_lib.sh — sourced by the integration scripts that use a store, so
# that each runs unchanged on SQLite and on PostgreSQL (POSIX sh).
#   VIGIE_BACKEND   sqlite (default) or postgres
#   VIGIE_PG_URL    a database of the test cluster (tests/pg/start.sh prints
#                   it; tests/run exports it); its server creates the others
# Functions:
#   vg_new_db DIR NAME   print the URL of a new, empty store: DIR/NAME.db, or
#                        a new PostgreSQL database (recorded in DIR/.pgdbs)
#   vg_drop_dbs DIR      drop the databases vg_new_db made in DIR (for traps)
#   vg_sql DB SQL        run SQL, print rows ('|' between columns)
#   vg_sqlite_only WHY   exit 77 (skip) with WHY when on PostgreSQL
: "${VIGIE_BACKEND:=sqlite}"
case "$VIGIE_BACKEND" in
  sqlite) ;;
  postgres)
    [ -n "${VIGIE_PG_URL:-}" ] || { echo "VIGIE_BACKEND=postgres needs VIGIE_PG_URL (tests/pg/start.sh)"; exit 77; }
    command -v psql >/dev/null 2>&1 || { echo "psql missing (apt-get install postgresql-client)"; exit 77; }
    # files kept beside a PostgreSQL store (audit keys, default rejects):
    # in the test cluster's directory, removed with it by tests/pg/stop.sh
    if [ -z "${VIGIE_STATE_DIR:-}" ]; then
      VIGIE_STATE_DIR=$(printf '%s\n' "$VIGIE_PG_URL" | sed -n 's/.*host=\([^&]*\).*/\1/p')/state
      export VIGIE_STATE_DIR
    fi
    mkdir -p "$VIGIE_STATE_DIR" ;;
  *) echo "VIGIE_BACKEND=$VIGIE_BACKEND: expected sqlite or postgres"; exit 1 ;;
esac

vg_new_db() {
  if [ "$VIGIE_BACKEND" = sqlite ]; then
    echo "$1/$2.db"
    return
  fi
  _n=$(printf 'vg_%s_%s_%s' "$(basename "$1" | tr -c 'a-zA-Z0-9\n' '_')" "$2" "$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')" | tr 'A-Z.-' 'a-z__')
  psql -X -q "$VIGIE_PG_URL" -c "CREATE DATABASE $_n" >&2 || exit 1
  echo "$_n" >> "$1/.pgdbs"
  printf '%s\n' "$VIGIE_PG_URL" | sed "s|^\(postgres[a-z]*://[^/]*/\)[^?]*|\1$_n|"
}

vg_drop_dbs() {
  [ "$VIGIE_BACKEND" = postgres ] && [ -f "$1/.pgdbs" ] || return 0
  while read -r _n; do
    psql -X -q "$VIGIE_PG_URL" -c "DROP DATABASE IF EXISTS $_n WITH (FORCE)" >/dev/null 2>&1
  done < "$1/.pgdbs"
  rm -f "$1/.pgdbs"
}

vg_sql() {
  case "$1" in
    postgres://*|postgresql://*) psql -X -q -At -F'|' "$1" -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
  esac
}

vg_sqlite_only() {
  [ "$VIGIE_BACKEND" = sqlite ] || { echo "SQLite only: $*"; exit 77; }
}
