#!/usr/bin/env bash
# The HTTP benchmark on PostgreSQL (`make bench-pg`; not a test): the same generated database
# as bench/run.sh's, copied into PostgreSQL by `bonafides copy`, then bench/run.sh with the server
# started on the copy; its figures go to bench/results/latest-postgres.json, beside SQLite's
# latest.json. The database is BENCH_DATABASE (postgresql://…, an empty database) or, without it,
# a throwaway cluster of pg_virtualenv with the settings as shipped.
#
# Usage: bench/run_pg_http.sh BONAFIDES_BIN DATABASE
#   DATABASE: the SQLite file bench_generate made, with its side files (.token, .users, …).
# Environment: BENCH_DATABASE, BENCH_RESULTS_PG_HTTP (default
#   bench/results/latest-postgres.json), and bench/run.sh's.
set -euo pipefail

bin=$(realpath "$1")
db=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
export BENCH_RESULTS=${BENCH_RESULTS_PG_HTTP:-$here/results/latest-postgres.json}

# run_on URL: copy, then measure. The media key only has to exist: the generated data holds no
# media, and PostgreSQL serving needs --media-key-file.
run_on() {
  local url=$1 key
  key=$(mktemp)
  trap 'rm -f "$key"' RETURN
  head -c 32 /dev/urandom >"$key"
  echo "copying $db into PostgreSQL"
  "$bin" copy --from "sqlite:$db" --to "$url" | tail -3
  # Fresh statistics, as autovacuum would have them on a live database.
  psql -q "$url" -c "VACUUM ANALYZE"
  BENCH_SERVE_DATABASE=$url BENCH_MEDIA_KEY_FILE=$key "$here/run.sh" "$bin" "$db"
}

if [ -n "${BENCH_DATABASE:-}" ]; then
  run_on "$BENCH_DATABASE"
else
  command -v pg_virtualenv >/dev/null || {
    echo "run_pg_http.sh: pg_virtualenv is missing (postgresql-common)" >&2; exit 1; }
  export -f run_on
  export bin db here
  # pg_virtualenv exports PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE of its cluster.
  pg_virtualenv -t bash -c 'run_on "postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"'
fi
