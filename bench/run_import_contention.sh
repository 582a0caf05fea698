#!/usr/bin/env bash
# Another organisation's writes during a big import (issue #14; `make bench-import-contention`,
# not a test, never CI), on SQLite and on PostgreSQL side by side.
#
# For each engine: an organisation of BENCH_USERS users (bench_generate, one credential each; on
# PostgreSQL loaded with `bonafides copy`), a CSV of BENCH_ROWS new credentials for it (as
# bench/import_bench.cc makes its file: users in turn, the 30 generated types, new numbers), and
# a second organisation with an administrator, a token and a credential type of its own. With the
# server running, bench/paced_writer.py creates credentials in the second organisation at
# BENCH_WRITER_RATE a second: first BENCH_SECONDS with nothing else running (the baseline), then
# for as long as the import of the CSV into the first organisation (POST
# /api/v1/credential-imports) takes. Reports the writer's p50, p99, max and errors during the
# import against its baseline, the import's time, and writes bench/results/import-contention.json.
#
# SQLite has one write lock for the whole database: while the import's write pass holds it, the
# other organisation's writes wait (the server's busy timeout), and that is what the figures show.
# On PostgreSQL nothing global serialises writers: the import's transaction locks only its rows.
#
# Usage: bench/run_import_contention.sh BONAFIDES_BIN BENCH_GENERATE
# Environment: BENCH_ROWS (rows imported, default 1000000), BENCH_USERS (default 10000),
#   BENCH_SECONDS (the baseline, default 10), BENCH_WRITER_RATE (writes a second, default 20),
#   BENCH_WRITER_CONNECTIONS (default 2), BENCH_ENGINES (default "sqlite postgresql"),
#   BENCH_RESULTS_CONTENTION (default bench/results/import-contention.json).
set -euo pipefail

bin=$(realpath "$1")
generate=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-1000000}
users=${BENCH_USERS:-10000}
seconds=${BENCH_SECONDS:-10}
rate=${BENCH_WRITER_RATE:-20}
writer_conns=${BENCH_WRITER_CONNECTIONS:-2}
engines=${BENCH_ENGINES:-sqlite postgresql}
results=${BENCH_RESULTS_CONTENTION:-$here/results/import-contention.json}
command -v sqlite3 >/dev/null || { echo "run_import_contention.sh: sqlite3 is missing" >&2; exit 1; }

# Inside a throwaway PostgreSQL cluster (settings as shipped): pg_virtualenv exports PGHOST, …
if [[ $engines == *postgresql* && -z ${BONAFIDES_BENCH_CONTENTION_INNER:-} ]]; then
  command -v pg_virtualenv >/dev/null || {
    echo "run_import_contention.sh: pg_virtualenv is missing (postgresql-common)" >&2; exit 1; }
  export BONAFIDES_BENCH_CONTENTION_INNER=1
  exec pg_virtualenv -t "$0" "$@"
fi

work=$(mktemp -d /tmp/bonafides-bench-contention.XXXXXX)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT
die() { echo "run_import_contention.sh: $*" >&2; exit 1; }

# The first organisation, and the file it imports.
echo "generating an organisation of $users users and a CSV of $rows rows…"
"$generate" --db "$work/gen.db" --users "$users" --credentials "$users" --groups 0 --members 0 \
  >"$work/generate.out" 2>&1 || { cat "$work/generate.out" >&2; die "bench_generate failed"; }
token1=$(cat "$work/gen.db.token")
sqlite3 "$work/gen.db" "SELECT email FROM users WHERE email LIKE 'user%@bench.example' AND status = 'active' ORDER BY email" >"$work/emails"
sqlite3 -separator ',' "$work/gen.db" "SELECT name, expires FROM credential_types ORDER BY name" >"$work/types"
python3 - "$work/emails" "$work/types" "$rows" "$work/import.csv" <<'EOF'
import sys
from datetime import date, timedelta
emails = open(sys.argv[1]).read().split()
types = [line.rsplit(",", 1) for line in open(sys.argv[2]).read().splitlines()]
rows, out = int(sys.argv[3]), open(sys.argv[4], "w")
out.write("email,credential_type,issue_date,expiry_date,credential_number\n")
epoch = date(2024, 1, 1)
for i in range(rows):
    name, expires = types[i % len(types)]
    issue = epoch + timedelta(days=i % 700)
    expiry = (issue + timedelta(days=1095)).isoformat() if expires == "1" else ""
    out.write(f"{emails[(i * 7919) % len(emails)]},{name},{issue.isoformat()},{expiry},IC-{i}\n")
EOF
echo "  $(wc -l <"$work/import.csv") lines, $(du -m "$work/import.csv" | cut -f1) MB"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# leg ENGINE: one engine's baseline and contention runs; figures to $work/ENGINE.*.json.
leg() {
  local engine=$1 where=() serve_extra=()
  local dir="$work/$engine"
  mkdir -p "$dir/data"
  if [ "$engine" = sqlite ]; then
    cp "$work/gen.db" "$dir/bonafides.db"
    where=(--database "sqlite:$dir/bonafides.db" --data-dir "$dir/data")
  else
    local db="bf_contention_$$" url
    psql -qAt -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    psql -qAt -c "CREATE DATABASE $db" >/dev/null
    url="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$db"
    "$bin" copy --from "sqlite:$work/gen.db" --to "$url" >"$dir/copy.out" 2>"$dir/copy.err" ||
      { cat "$dir/copy.err" >&2; die "copy to PostgreSQL failed"; }
    psql -qAt -d "$db" -c "ANALYZE" >/dev/null
    head -c 32 /dev/urandom >"$dir/media.key"
    where=(--database "$url")
    serve_extra=(--media-key-file "$dir/media.key")
  fi
  # The second organisation.
  BONAFIDES_ADMIN_PASSWORD=other-password-1 "$bin" org create "${where[@]}" --name "Other Org" \
    --admin-email admin@other.example --admin-name "Otto Other" >"$dir/org.out" 2>"$dir/org.err" ||
    { cat "$dir/org.err" >&2; die "org create failed"; }

  BONAFIDES_LOG_LEVEL=warn "$bin" serve "${where[@]}" "${serve_extra[@]}" --listen "127.0.0.1:$port" --notify-interval 0 \
    >"$dir/server.out" 2>"$dir/server.err" &
  server_pid=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/readyz" 2>/dev/null && break; sleep 0.1; done
  curl -fs -o /dev/null "$base/readyz" || { cat "$dir/server.err" >&2; die "$engine: server not ready"; }

  local code token2 type2
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -c "$dir/jar" -H 'Content-Type: application/json' \
    -d '{"email":"admin@other.example","password":"other-password-1"}' "$base/api/v1/auth/login")
  [ "$code" = 200 ] || die "$engine: sign-in to the other organisation answered $code"
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -b "$dir/jar" -H 'Content-Type: application/json' \
    -d '{"name":"writer"}' "$base/api/v1/me/tokens")
  [ "$code" = 201 ] || die "$engine: token answered $code"
  token2=$(json_field "$dir/body" token)
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Authorization: Bearer $token2" \
    -H 'Content-Type: application/json' -d '{"name":"Other licence"}' "$base/api/v1/credential-types")
  [ "$code" = 201 ] || die "$engine: credential type answered $code"
  type2=$(json_field "$dir/body" id)

  echo "$engine: the other organisation's writer, $rate writes/s on $writer_conns connections:"
  python3 "$here/paced_writer.py" "$base" "$token2" "$type2" "$rate" "$writer_conns" \
    "$work/$engine.baseline.json" --seconds "$seconds"
  report "$engine" baseline

  # The import into the first organisation, and the same writer for as long as it runs.
  rm -f "$dir/imported"
  python3 "$here/paced_writer.py" "$base" "$token2" "$type2" "$rate" "$writer_conns" \
    "$work/$engine.import.json" --until "$dir/imported" &
  local writer=$! start
  start=$(date +%s%N)
  code=$(curl -s -o "$dir/import.body" -w '%{http_code}' -H "Authorization: Bearer $token1" \
    -H 'Content-Type: text/csv' --data-binary "@$work/import.csv" "$base/api/v1/credential-imports") || true
  local import_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  touch "$dir/imported"
  wait "$writer"
  [ "$code" = 200 ] || die "$engine: the import answered $code: $(head -c 300 "$dir/import.body")"
  local created
  created=$(json_field "$dir/import.body" created)
  echo "{\"import_ms\": $import_ms, \"created\": $created}" >"$work/$engine.importrun.json"
  report "$engine" import "(import of $rows rows: $import_ms ms, $created created)"
  stop_server
  [ "$engine" = postgresql ] && psql -qAt -c "DROP DATABASE IF EXISTS bf_contention_$$" >/dev/null
  return 0
}

report() {
  python3 - "$work/$1.$2.json" "$2" "${3:-}" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<9} {r['requests']:>6} writes in {r['seconds']:6.1f} s  p50 {r['p50_ms']:8.1f} ms  "
      f"p99 {r['p99_ms']:8.1f} ms  max {r['max_ms']:8.1f} ms  errors {r['errors']} {sys.argv[3]}")
for e in r["first_errors"]:
    print("    error:", e)
EOF
}

for engine in $engines; do leg "$engine"; done

mkdir -p "$(dirname "$results")"
python3 - "$work" "$results" "$rows" "$users" "$rate" "$writer_conns" "$(nproc)" $engines <<'EOF'
import json, sys
work, out, rows, users, rate, conns, cores = sys.argv[1:8]
engines = sys.argv[8:]
figures = {"rows": int(rows), "users": int(users), "writer_rate_per_s": float(rate),
           "writer_connections": int(conns), "cores": int(cores),
           "note": ("the other organisation's credential writes (POST /api/v1/credentials) at a fixed "
                    "rate, latency from the scheduled send; baseline with nothing else running, then "
                    "during the import into the first organisation"),
           "engines": {}}
print(f"\n{'engine':<11} {'baseline p50/p99/max ms':>26} {'during import p50/p99/max ms':>30} {'errors':>7} {'p99 ratio':>9} {'import s':>9}")
for e in engines:
    base = json.load(open(f"{work}/{e}.baseline.json"))
    imp = json.load(open(f"{work}/{e}.import.json"))
    run = json.load(open(f"{work}/{e}.importrun.json"))
    keep = ("requests", "errors", "seconds", "p50_ms", "p90_ms", "p99_ms", "max_ms", "statuses")
    ratio = imp["p99_ms"] / base["p99_ms"] if base["p99_ms"] else None
    figures["engines"][e] = {"baseline": {k: base[k] for k in keep},
                             "during_import": {k: imp[k] for k in keep},
                             "p99_ratio_import_to_baseline": round(ratio, 2) if ratio else None,
                             "import_s": run["import_ms"] / 1000, "import_created": run["created"]}
    fmt = lambda r: f"{r['p50_ms']:.1f}/{r['p99_ms']:.1f}/{r['max_ms']:.1f}"  # noqa: E731
    print(f"{e:<11} {fmt(base):>26} {fmt(imp):>30} {imp['errors']:>7} {ratio:>9.1f} {run['import_ms'] / 1000:>9.1f}")
json.dump(figures, open(out, "w"), indent=2)
print(f"written to {out}")
EOF
