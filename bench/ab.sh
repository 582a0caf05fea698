#!/usr/bin/env bash
# Two builds on one read, alternating (not a test): for each of ROUNDS rounds, each binary in
# turn is started fresh on DB, warmed for 3 s, then measured for BENCH_SECONDS (default 8) at 64
# connections on /healthz and on the scenario; prints req/s, the ratio to its own /healthz and
# the server's CPU milliseconds a request. A step of issue 18 is kept when B's CPU a request is
# below A's in every round: on these shared, noisy machines one run of each proves little.
#
#   bench/ab.sh A_BIN B_BIN DB [SCENARIO] [ROUNDS]
#
# SCENARIO: user (a random user's credentials, the default), expiring or summary. DB is a
# database of bench_generate with its .token and .users, at the newest schema of both binaries:
# an older binary refuses a newer schema, and a newer one would migrate it in its first round.
# AB_DATABASE (a postgresql:// URL, e.g. a copy of DB made by `bonafides copy`) is served
# instead of the SQLite file, with AB_MEDIA_KEY_FILE as its --media-key-file.
set -euo pipefail
a_bin=$(realpath "$1") b_bin=$(realpath "$2") db=$(realpath "$3")
scenario=${4:-user} rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
seconds=${BENCH_SECONDS:-8}
export BF_TOKEN=$(cat "$db.token") BF_WRK_DIR="$here/wrk"
case $scenario in
  user) load=(random_id.lua -- "$db.users" "/api/v1/credentials?user_id={id}") ;;
  expiring) load=(get.lua -- "/api/v1/credentials?expiry_status=expiring_soon") ;;
  summary) load=(get.lua -- /api/v1/credentials/summary) ;;
  *) echo "ab.sh: unknown scenario $scenario" >&2; exit 2 ;;
esac
serve_database=${AB_DATABASE:-sqlite:$db}
media_key=()
[ -n "${AB_MEDIA_KEY_FILE:-}" ] && media_key=(--media-key-file "$AB_MEDIA_KEY_FILE")
[ -z "${AB_DATABASE:-}" ] && cat "$db" >/dev/null  # warm: see bench/run.sh
clock_ticks=$(getconf CLK_TCK)
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# measure NAME SCRIPT ARGS...: one wrk run; prints "rps cpu_ms_per_request".
measure() {
  local script=$1; shift
  local before after out
  before=$(awk -v t="$clock_ticks" '{print ($14 + $15) * 1000 / t}' "/proc/$pid/stat")
  out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 10s -s "$here/wrk/$script" "http://127.0.0.1:$port" "$@" |
        sed -n 's/^RESULT //p')
  after=$(awk -v t="$clock_ticks" '{print ($14 + $15) * 1000 / t}' "/proc/$pid/stat")
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["rps"], (float(sys.argv[3])-float(sys.argv[2]))/max(r["requests"],1), r["p99_ms"])' \
    "$out" "$before" "$after"
}

run() {  # NAME BIN
  local name=$1 bin=$2
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  rm -rf "$work/data" && mkdir -p "$work/data"
  BONAFIDES_LOG_LEVEL=warn "$bin" serve --database "$serve_database" "${media_key[@]}" \
    --data-dir "$work/data" --listen "127.0.0.1:$port" --notify-interval 0 >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 2000); do curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.01; done
  local s=$seconds; seconds=3; measure "${load[@]}" >/dev/null; seconds=$s
  read -r h_rps h_cpu _ < <(measure get.lua -- /healthz)
  read -r s_rps s_cpu s_p99 < <(measure "${load[@]}")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  awk -v n="$name" -v hr="$h_rps" -v hc="$h_cpu" -v sr="$s_rps" -v sc="$s_cpu" -v p="$s_p99" 'BEGIN {
    printf "  %s  healthz %6.0f req/s %.3f ms CPU   '"$scenario"' %6.0f req/s ratio %.3f  %.3f ms CPU  p99 %.1f ms\n",
      n, hr, hc, sr, sr / hr, sc, p }'
}

for i in $(seq 1 "$rounds"); do
  echo "round $i:"
  run A "$a_bin"
  run B "$b_bin"
done
