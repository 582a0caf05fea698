#!/usr/bin/env bash
# Several nodes behind nginx (issue #14; `make bench-cluster`, not a test, never CI): the read
# scenarios of bench/run.sh through Debian's nginx with one `bonafides serve` node behind it, then
# with two, both on one PostgreSQL that holds the generated database. On a throwaway cluster of
# pg_virtualenv (settings as shipped), the database is loaded with `bonafides copy` from the
# SQLite file bench_generate made; then, for one node and for two, each scenario runs with wrk
# through nginx — /healthz (the ceiling: nginx and the node's HTTP path alone), a random user's
# credentials, the credentials expiring soon, the summary — after a warm-up run of its own. Prints
# req/s and p99 of each, and the ratio two nodes / one node, and writes
# bench/results/cluster.json.
#
# On a machine with few cores (two, shared with wrk, nginx and PostgreSQL) a second node brings no
# CPU of its own: the ratio then tells what a second node costs or saves (connections, pools,
# nginx balancing), not how the cluster scales. Run it where the nodes have cores of their own to
# see scaling.
#
# Usage: bench/run_cluster.sh BONAFIDES_BIN DATABASE
#   DATABASE: made by bench_generate, with DATABASE.token and DATABASE.users beside it.
# Environment: BENCH_SECONDS (each wrk run, default 5), BENCH_CONNECTIONS (default 64),
#   BENCH_THREADS (wrk threads, default 2), BENCH_WARMUP_SECONDS (default 2),
#   BENCH_RESULTS_CLUSTER (default bench/results/cluster.json), BENCH_NGINX_WORKERS (default
#   auto: one per core).
set -euo pipefail

bin=$(realpath "$1")
db=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
seconds=${BENCH_SECONDS:-5}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
warmup=${BENCH_WARMUP_SECONDS:-2}
results=${BENCH_RESULTS_CLUSTER:-$here/results/cluster.json}
nginx_workers=${BENCH_NGINX_WORKERS:-auto}
NGINX=$(PATH=$PATH:/usr/sbin:/sbin command -v nginx || true)
[ -n "$NGINX" ] || { echo "run_cluster.sh: nginx is missing (scripts/install-deps.sh --cluster)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "run_cluster.sh: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
for f in "$db" "$db.token" "$db.users"; do
  [ -f "$f" ] || { echo "run_cluster.sh: $f is missing (run bench_generate first)" >&2; exit 1; }
done

# Inside a throwaway PostgreSQL cluster: pg_virtualenv exports PGHOST, PGPORT, PGUSER,
# PGPASSWORD and PGDATABASE, and drops the cluster when this script ends.
if [ -z "${BONAFIDES_BENCH_CLUSTER_INNER:-}" ]; then
  command -v pg_virtualenv >/dev/null || {
    echo "run_cluster.sh: pg_virtualenv is missing (postgresql-common)" >&2; exit 1; }
  export BONAFIDES_BENCH_CLUSTER_INNER=1
  exec pg_virtualenv -t "$0" "$@"
fi

work=$(mktemp -d /tmp/bonafides-bench-cluster.XXXXXX)
pids=()
cleanup() {
  [ -f "$work/nginx.pid" ] && kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

database="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST:-localhost}:${PGPORT}/${PGDATABASE}"
echo "loading $(basename "$db") into PostgreSQL with bonafides copy…"
start=$(date +%s%N)
"$bin" copy --from "sqlite:$db" --to "$database" >"$work/copy.out" 2>"$work/copy.err" ||
  { cat "$work/copy.err" >&2; echo "run_cluster.sh: copy failed" >&2; exit 1; }
echo "  $(tail -1 "$work/copy.err") ($(( ($(date +%s%N) - start) / 1000000 )) ms)"
psql -qAt -c "ANALYZE" >/dev/null
# The generated database holds no media: any key opens it; every node is given the same one.
head -c 32 /dev/urandom >"$work/media.key"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
lb_port=$(free_port)
node_ports=("$(free_port)" "$(free_port)")
base="http://127.0.0.1:$lb_port"

start_node() {
  local n=$1 port=${node_ports[$1]}
  BONAFIDES_LOG_LEVEL=warn "$bin" serve --listen "127.0.0.1:$port" --database "$database" \
    --media-key-file "$work/media.key" --notify-interval 0 --trusted-proxy 127.0.0.1 \
    >"$work/node$n.out" 2>"$work/node$n.err" &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/node$n.err" >&2; echo "run_cluster.sh: node $n exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "run_cluster.sh: node $n not ready" >&2
  exit 1
}

# nginx as scripts/cluster.sh configures it (docs/deployment.md), but with one worker per core,
# no access log and as many kept-alive upstream connections as wrk opens, so that neither its log
# nor new upstream connections are what is measured.
upstream() {
  echo "upstream bonafides {"
  for ((n = 0; n < $1; n++)); do echo "  server 127.0.0.1:${node_ports[$n]} max_fails=1 fail_timeout=5s;"; done
  echo "  keepalive $conns;"
  echo "}"
}
user=""
[ "$(id -u)" -eq 0 ] && user="user root;"
cat >"$work/nginx.conf" <<NGINX
$user
worker_processes $nginx_workers;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  include $work/upstream.conf;
  server {
    listen 127.0.0.1:$lb_port;
    include $here/../scripts/nginx-proxy.conf;
  }
}
NGINX

export BF_TOKEN=$(cat "$db.token")
export BF_USERS="$db.users" BF_WRK_DIR="$here/wrk"
first_user=$(head -1 "$db.users")

# measure NODES NAME SCRIPT ARGS...: a warm-up run, then the measured one; its RESULT line to
# $work/NAME.nNODES.json.
measure() {
  local nodes=$1 name=$2 script=$3; shift 3
  wrk -t"$threads" -c"$conns" -d"${warmup}s" --timeout 10s -s "$here/wrk/$script" "$base" -- "$@" >/dev/null
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 10s -s "$here/wrk/$script" "$base" -- "$@" \
    >"$work/$name.n$nodes.txt"
  grep '^RESULT ' "$work/$name.n$nodes.txt" | sed 's/^RESULT //' >"$work/$name.n$nodes.json"
  python3 - "$work/$name.n$nodes.json" "$name" "$nodes" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<18} {sys.argv[3]} node(s) {r['rps']:>9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
      f"p99 {r['p99_ms']:7.2f} ms  non-2xx {r['non2xx']}  socket errors {r['socket_errors']}")
EOF
}

for nodes in 1 2; do
  start_node $((nodes - 1))
  upstream "$nodes" >"$work/upstream.conf"
  if [ "$nodes" = 1 ]; then
    "$NGINX" -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
  else
    # A reload: new workers with both nodes; the old ones finish and leave.
    "$NGINX" -c "$work/nginx.conf" -p "$work" -s reload 2>/dev/null
    sleep 1
  fi
  for _ in $(seq 1 50); do curl -fs -o /dev/null "$base/readyz" && break; sleep 0.1; done
  for path in "/api/v1/credentials?user_id=$first_user" "/api/v1/credentials?expiry_status=expiring_soon" \
              "/api/v1/credentials/summary"; do
    code=$(curl -s -o "$work/probe" -w '%{http_code}' -H "Authorization: Bearer $BF_TOKEN" "$base$path")
    [ "$code" = 200 ] || { echo "run_cluster.sh: GET $path answered $code: $(head -c 300 "$work/probe")" >&2; exit 1; }
  done
  echo "nginx with $nodes node(s), wrk $conns connections, ${seconds}s each (after ${warmup}s of warm-up):"
  measure "$nodes" healthz get.lua /healthz
  measure "$nodes" user_credentials random_id.lua "$db.users" "/api/v1/credentials?user_id={id}" 1
  measure "$nodes" expiring_soon get.lua "/api/v1/credentials?expiry_status=expiring_soon"
  measure "$nodes" summary get.lua /api/v1/credentials/summary
done
bad=$(grep -E '\[(error|crit|alert|emerg)\]' "$work/nginx-error.log" | head -5 || true)
[ -z "$bad" ] || echo "nginx's error log: $bad"

mkdir -p "$(dirname "$results")"
python3 - "$work" "$results" "$conns" "$seconds" "$(nproc)" "$(basename "$db")" <<'EOF'
import json, sys
work, out, conns, seconds, cores, db = sys.argv[1:7]
scenarios = ["healthz", "user_credentials", "expiring_soon", "summary"]
figures = {"database": db, "connections": int(conns), "seconds": int(seconds), "cores": int(cores),
           "note": ("two nodes / one node through nginx; on a machine whose cores are shared by "
                    "wrk, nginx, PostgreSQL and the nodes this is the overhead of a second node, "
                    "not the scaling"),
           "scenarios": {}}
print(f"\n{'scenario':<18} {'1 node req/s':>12} {'p99 ms':>8} {'2 nodes req/s':>14} {'p99 ms':>8} {'2/1':>6}")
for s in scenarios:
    one = json.load(open(f"{work}/{s}.n1.json"))
    two = json.load(open(f"{work}/{s}.n2.json"))
    ratio = two["rps"] / one["rps"] if one["rps"] else None
    figures["scenarios"][s] = {
        "one_node": {k: one[k] for k in ("rps", "p50_ms", "p99_ms", "non2xx", "socket_errors")},
        "two_nodes": {k: two[k] for k in ("rps", "p50_ms", "p99_ms", "non2xx", "socket_errors")},
        "ratio_two_to_one": round(ratio, 3) if ratio else None,
        "ceiling_share_one_node": round(one["rps"] / figures["scenarios"]["healthz"]["one_node"]["rps"], 3)
        if s != "healthz" else None,
    }
    print(f"{s:<18} {one['rps']:>12.0f} {one['p99_ms']:>8.2f} {two['rps']:>14.0f} {two['p99_ms']:>8.2f} "
          f"{ratio:>6.2f}")
print(f"\n{cores} cores on this machine: with few cores shared by wrk, nginx, PostgreSQL and the "
      "nodes, the ratio two/one tells the overhead of a second node, not the scaling.")
json.dump(figures, open(out, "w"), indent=2)
print(f"written to {out}")
EOF
