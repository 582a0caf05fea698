#!/usr/bin/env bash
# The HTTP benchmark (not a test): starts the real `bonafides serve` on the generated
# million-credential database, measures the time to /readyz and the idle RSS, then drives each
# scenario with wrk at 8 and 64 connections, together with the ceiling (/healthz of the same
# binary at the same concurrency); then the compliance figures of spec/REQUIREMENTS.md
# "Performance" one request at a time (wrk with one connection: a random member's compliance and
# a random group's first matrix page of 50; then BENCH_TIMED_RUNS whole compliance.csv downloads
# and as many compliance summaries, each timed by curl with the server's CPU time beside it);
# and writes bench/results/latest.json and a table.
#
# Usage: bench/run.sh BONAFIDES_BIN DATABASE [IMPORT_BENCH_OUTPUT]
#   DATABASE: made by bench_generate, with DATABASE.token, .users, .renewable, .groups and
#   .members beside it.
#   IMPORT_BENCH_OUTPUT: what import_bench printed, for the import ratio (optional).
# Environment: BENCH_SECONDS (each wrk run, default 5), BENCH_THREADS (wrk threads, default 2),
#   BENCH_RESULTS (default bench/results/latest.json), BENCH_TIMED_RUNS (compliance.csv downloads
#   and summaries, default 5 each), BENCH_TIMED_TIMEOUT (seconds one of them may take, default
#   60: one cut short counts as taking that long), BENCH_SERVE_DATABASE (what the server is
#   started on instead of sqlite:DATABASE, e.g. a postgresql:// copy of it made by `bonafides
#   copy`; bench/run_pg_http.sh does that), BENCH_MEDIA_KEY_FILE (its --media-key-file),
#   BENCH_PIN=1 (the server on CPU 1 and wrk on CPU 0, with taskset: the client's p99 without
#   the two sharing a core, issue 18). The server reads the environment too:
#   BONAFIDES_KEPT_PAGES_MB=0 keeps no list pages, so every list request is read and rendered
#   (the expiring-soon scenario asks one page again and again; kept, it is answered from memory).
set -euo pipefail

bin=$(realpath "$1")
db=$(realpath "$2")
import_log=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
seconds=${BENCH_SECONDS:-5}
threads=${BENCH_THREADS:-2}
results=${BENCH_RESULTS:-$here/results/latest.json}
command -v wrk >/dev/null || { echo "run.sh: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
timed_runs=${BENCH_TIMED_RUNS:-5}
timed_timeout=${BENCH_TIMED_TIMEOUT:-60}
for f in "$db" "$db.token" "$db.users" "$db.renewable" "$db.groups" "$db.members"; do
  [ -f "$f" ] || { echo "run.sh: $f is missing (run bench_generate first)" >&2; exit 1; }
done

# The database file into the OS page cache first, and how much of it was there. On these
# machines (Firecracker VMs) the guest page cache does not stay: a quarter of an hour after a
# whole read, half of a 1.8 GB database was gone (fincore), and the first run's random-user lists
# read their pages from disk at 0.5 ms of CPU a request, a tenth of their rate warm
# (docs/performance.md, "Read path, sessions 10 and 11"). Every run measures the warm path.
if [ -z "${BENCH_SERVE_DATABASE:-}" ]; then
  if command -v fincore >/dev/null; then
    echo "database pages in the OS cache before the run: $(fincore -nb -o RES "$db" | tr -d ' ') of $(stat -c %s "$db") bytes"
  fi
  cat "$db" >/dev/null
fi
work=$(mktemp -d)
server_pid=""
# The server drains its requests on SIGTERM; one still computing after 10 s (a scenario that
# timed out) is killed.
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export BF_TOKEN=$(cat "$db.token")
export BF_USERS="$db.users" BF_RENEWABLE="$db.renewable" BF_WRK_DIR="$here/wrk"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
figures="$work/figures.tsv"  # name, value, unit: collected here, turned into JSON at the end
: >"$figures"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$figures"; }
rss_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# The server's CPU time so far (user + system) in milliseconds: beside wall times, which on a
# shared machine include waiting for a core.
clock_ticks=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$clock_ticks" '{print ($14 + $15) * 1000 / t}' "/proc/$server_pid/stat"; }

# Start to ready: from exec to the first 200 from /readyz, polled every millisecond or so.
# The reminder scheduler is off (--notify-interval 0) so only the HTTP path is measured.
data_dir="$work/data"
mkdir -p "$data_dir"
start_ns=$(date +%s%N)
serve_database=${BENCH_SERVE_DATABASE:-sqlite:$db}
media_key=()
[ -n "${BENCH_MEDIA_KEY_FILE:-}" ] && media_key=(--media-key-file "$BENCH_MEDIA_KEY_FILE")
echo "serving $(printf '%s' "$serve_database" | sed 's|//[^@]*@|//…@|')"
server_cpu=() client_cpu=()
if [ "${BENCH_PIN:-0}" = 1 ]; then server_cpu=(taskset -c 1) client_cpu=(taskset -c 0); fi
BONAFIDES_LOG_LEVEL=warn "${server_cpu[@]}" "$bin" serve --database "$serve_database" "${media_key[@]}" --data-dir "$data_dir" \
  --listen "127.0.0.1:$port" --notify-interval 0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
ready_ns=""
for _ in $(seq 1 20000); do
  if curl -fs -o /dev/null "$base/readyz" 2>/dev/null; then ready_ns=$(date +%s%N); break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; echo "run.sh: server exited" >&2; exit 1; }
  sleep 0.001
done
[ -n "$ready_ns" ] || { echo "run.sh: server not ready" >&2; exit 1; }
ready_ms=$(( (ready_ns - start_ns) / 1000000 ))
record start_to_ready_ms "$ready_ms" ms
echo "start to /readyz: $ready_ms ms"

sleep 1
idle_kib=$(rss_kib "$server_pid" VmRSS)
record idle_rss_mib "$(awk -v k="$idle_kib" 'BEGIN{printf "%.1f", k/1024}')" MiB
idle_anon_kib=$(rss_kib "$server_pid" RssAnon)  # the rest is file-backed: the binary and its shared libraries
record idle_rss_anon_mib "$(awk -v k="$idle_anon_kib" 'BEGIN{printf "%.1f", k/1024}')" MiB
echo "idle RSS: $((idle_kib / 1024)) MiB (anonymous $((idle_anon_kib / 1024)) MiB)"

# Sanity: the token works and each scenario answers 2xx once before it is loaded.
first_user=$(head -1 "$db.users")
first_member=$(head -1 "$db.members")
for path in "/api/v1/credentials?user_id=$first_user" "/api/v1/credentials?expiry_status=expiring_soon" \
            "/api/v1/credentials/summary" "/api/v1/users/$first_member/compliance"; do
  code=$(curl -s -o "$work/probe" -w '%{http_code}' -H "Authorization: Bearer $BF_TOKEN" "$base$path")
  [ "$code" = 200 ] || { echo "run.sh: GET $path answered $code: $(head -c 300 "$work/probe")" >&2; exit 1; }
done

# The server's RSS, sampled every 100 ms while wrk runs; the largest sample is "RSS under load".
sampler() { while kill -0 "$server_pid" 2>/dev/null; do rss_kib "$server_pid" VmRSS >>"$work/rss"; sleep 0.1; done; }

# wrk NAME CONNECTIONS SCRIPT ARGS...: one run; its RESULT line goes to $work/NAME.c<N>.json,
# the server's /metrics just before and after it to NAME.c<N>.before.metrics and .after.metrics
# (report.py reads the server's own p50/p99 for the run from the difference), and the server's
# CPU milliseconds during the run to NAME.c<N>.cpu.
load() {
  local name=$1 conns=$2 script=$3; shift 3
  local t=$threads; [ "$conns" -lt "$t" ] && t=$conns
  local run="$work/$name.c$conns"
  curl -fs -o "$run.before.metrics" "$base/metrics" || rm -f "$run.before.metrics"
  local cpu_before
  cpu_before=$(cpu_ms)
  "${client_cpu[@]}" wrk -t"$t" -c"$conns" -d"${seconds}s" --timeout 10s -s "$here/wrk/$script" "$base" -- "$@" >"$run.txt"
  awk -v a="$cpu_before" -v b="$(cpu_ms)" 'BEGIN{print b - a}' >"$run.cpu"
  curl -fs -o "$run.after.metrics" "$base/metrics" || rm -f "$run.after.metrics"
  grep '^RESULT ' "$run.txt" | sed 's/^RESULT //' >"$run.json"
  local server
  server=$(python3 "$here/report.py" --server "$run.before.metrics" "$run.after.metrics" "$name")
  python3 - "$run.json" "$name" "$conns" "$server" "$(cat "$run.cpu")" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<22} c={sys.argv[3]:<3} {r['rps']:>9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
      f"p99 {r['p99_ms']:7.2f} ms  non-2xx {r['non2xx']}  socket errors {r['socket_errors']}")
cpu = f"  CPU {float(sys.argv[5]) / r['requests']:.3f} ms/request" if r["requests"] else ""
print(f"  {'':<22}   {'':<3} {'':>9} {sys.argv[4]}{cpu}")
EOF
}

sampler &
sampler_pid=$!
offset=0
for conns in 8 64; do
  echo "wrk, $conns connections, ${seconds}s each:"
  load healthz "$conns" get.lua /healthz
  load user_credentials "$conns" random_id.lua "$db.users" "/api/v1/credentials?user_id={id}" "$conns"
  load user_compliance "$conns" random_id.lua "$db.members" "/api/v1/users/{id}/compliance" "$conns"
  load expiring_soon "$conns" get.lua "/api/v1/credentials?expiry_status=expiring_soon"
  load summary "$conns" get.lua /api/v1/credentials/summary
  load add_version "$conns" add_version.lua "$offset" "$threads"
  offset=$((offset + 500000))
done

# timed NAME PATH...: BENCH_TIMED_RUNS GETs of the paths in turn, one at a time, each timed by curl
# from the request to the answer's last byte, with the server's CPU milliseconds beside it;
# records NAME.median_ms, NAME.max_ms (the figure with a target) and NAME.server_cpu_median_ms.
timed() {
  local name=$1; shift
  local paths=("$@") i path rc out ms cpu_before cpu
  echo "$name, $timed_runs requests, each timed whole:"
  : >"$work/$name.ms"
  : >"$work/$name.cpu"
  for i in $(seq 0 $((timed_runs - 1))); do
    path=${paths[$((i % ${#paths[@]}))]}
    cpu_before=$(cpu_ms)
    rc=0
    out=$(curl -s -o "$work/$name.body" -w '%{http_code} %{time_total}' --max-time "$timed_timeout" \
          -H "Authorization: Bearer $BF_TOKEN" "$base$path") || rc=$?
    cpu=$(awk -v a="$cpu_before" -v b="$(cpu_ms)" 'BEGIN{print b - a}')
    if [ "$rc" = 28 ]; then
      ms=$((timed_timeout * 1000))
      echo "  $path: cut short after $timed_timeout s"
    else
      [ "${out% *}" = 200 ] || { echo "run.sh: GET $path answered ${out% *} (curl $rc)" >&2; exit 1; }
      ms=$(awk -v s="${out#* }" 'BEGIN{printf "%.1f", s * 1000}')
      echo "  $path: $ms ms (server CPU $cpu ms), $(wc -c <"$work/$name.body") bytes"
    fi
    echo "$ms" >>"$work/$name.ms"
    echo "$cpu" >>"$work/$name.cpu"
  done
  local median='{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
  record "$name.median_ms" "$(sort -n "$work/$name.ms" | awk "$median")" ms
  record "$name.max_ms" "$(sort -n "$work/$name.ms" | tail -1)" ms
  record "$name.server_cpu_median_ms" "$(sort -n "$work/$name.cpu" | awk "$median")" ms
}

# The compliance figures, one request at a time: their targets are a request's time.
echo "compliance, one connection, ${seconds}s each:"
load user_compliance 1 random_id.lua "$db.members" "/api/v1/users/{id}/compliance" 1
# A matrix page reads its members' decisions from the node's cache (service/compliance_cache.h),
# which the writes of add_version above made stale: the first page of each group once, timed
# whole (each evaluates its whole group, as after any change in the organisation), then the
# steady state under wrk.
matrix_paths=()
while read -r group; do matrix_paths+=("/api/v1/groups/$group/compliance?limit=50"); done <"$db.groups"
timed_runs=${#matrix_paths[@]} timed group_matrix_first_page "${matrix_paths[@]}"
load group_matrix 1 random_id.lua "$db.groups" "/api/v1/groups/{id}/compliance?limit=50" 1

# The whole CSV of each group in turn (every group has 5,000 members); then the summary, last:
# one still being computed when curl gives up would slow whatever came next.
csv_paths=()
while read -r group; do csv_paths+=("/api/v1/groups/$group/compliance.csv"); done <"$db.groups"
timed compliance_csv "${csv_paths[@]}"
timed compliance_summary /api/v1/compliance/summary

kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
load_kib=$(sort -n "$work/rss" | tail -1)
peak_kib=$(rss_kib "$server_pid" VmHWM)
record load_rss_mib "$(awk -v k="$load_kib" 'BEGIN{printf "%.1f", k/1024}')" MiB
record peak_rss_mib "$(awk -v k="$peak_kib" 'BEGIN{printf "%.1f", k/1024}')" MiB

import_ratio=""
if [ -n "$import_log" ] && [ -f "$import_log" ]; then
  import_ratio=$(sed -n 's/^commit \/ baseline rate: \([0-9.]*\).*/\1/p' "$import_log" | tail -1)
fi
[ -n "$import_ratio" ] && record import_ratio_to_bare_insert "$import_ratio" ratio

mkdir -p "$(dirname "$results")"
python3 "$here/report.py" "$work" "$figures" "$results"
