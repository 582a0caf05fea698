#!/usr/bin/env bash
# `make cluster`: Bonafides as several stateless nodes on one PostgreSQL, behind nginx, on this
# machine. A throwaway PostgreSQL cluster (pg_virtualenv, dropped on exit), NODES `bonafides
# serve` processes on 127.0.0.1:8081…, and nginx on 127.0.0.1:8080 balancing over the nodes
# whose /readyz answers 200 (this script checks every node every 2 s and takes a failing one out
# of nginx's upstream, back in when it recovers). Ctrl-C stops everything.
#
# Usage: scripts/cluster.sh BINARY          (environment: NODES, default 2; PORT, default 8080)
# See docs/deployment.md for the same set-up on real machines.
set -euo pipefail

bin=$(realpath "$1")
scripts=$(cd "$(dirname "$0")" && pwd)  # nginx-proxy.conf
nodes=${NODES:-2}
port=${PORT:-8080}

# Re-run inside a throwaway PostgreSQL cluster: pg_virtualenv exports PGHOST, PGPORT, PGUSER,
# PGPASSWORD and PGDATABASE, and drops the cluster when this script ends.
if [ -z "${BONAFIDES_CLUSTER_INNER:-}" ]; then
  export BONAFIDES_CLUSTER_INNER=1
  exec pg_virtualenv -t "$0" "$@"
fi

work=$(mktemp -d /tmp/bonafides-cluster.XXXXXX)
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping the cluster…"
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop INT TERM EXIT

database="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST:-localhost}:${PGPORT}/${PGDATABASE}"
# Media is encrypted with one key, the same file on every node.
head -c 32 /dev/urandom >"$work/media.key"
chmod 600 "$work/media.key"

ready() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/readyz" 2>/dev/null; }

start_node() {
  local n=$1 node_port=$((8080 + $1)) demo=()
  # The first node creates the demo organisation; the others start on the migrated database.
  [ "$n" = 1 ] && demo=(--demo)
  "$bin" serve --listen "127.0.0.1:$node_port" --database "$database" \
    --media-key-file "$work/media.key" --trusted-proxy 127.0.0.1 "${demo[@]}" \
    >"$work/node$n.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do
    ready "$node_port" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  echo "node $n did not become ready; its log:" >&2
  cat "$work/node$n.log" >&2
  exit 1
}

for n in $(seq 1 "$nodes"); do
  start_node "$n"
  echo "node $n: http://127.0.0.1:$((8080 + n)) (log $work/node$n.log)"
done

# nginx, as an unprivileged-looking private instance: every path it writes is under $work.
upstream() {
  echo "upstream bonafides {"
  for n in $(seq 1 "$nodes"); do
    local state=""
    [ -f "$work/down.$n" ] && state=" down"
    echo "  server 127.0.0.1:$((8080 + n)) max_fails=1 fail_timeout=5s$state;"
  done
  echo "  keepalive 32;"
  echo "}"
}
upstream >"$work/upstream.conf"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  include $work/upstream.conf;
  server {
    listen 127.0.0.1:$port;
    # Bonafides bounds bodies itself (uploads, CSV) and answers 413 with a problem document.
    include $scripts/nginx-proxy.conf;
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done

cat <<TEXT

Bonafides: $nodes nodes on one PostgreSQL, behind nginx at http://127.0.0.1:$port
Sign in as admin@demo.example with the password demo-password (manager@demo.example,
sam@demo.example and others too). Kill a node to see the others carry on; Ctrl-C stops all.

TEXT

# The health check: a node whose /readyz fails leaves nginx's upstream until it answers again.
while true; do
  changed=0
  for n in $(seq 1 "$nodes"); do
    if ready $((8080 + n)); then
      if [ -f "$work/down.$n" ]; then rm -f "$work/down.$n"; changed=1; echo "node $n is ready again"; fi
    else
      if [ ! -f "$work/down.$n" ]; then touch "$work/down.$n"; changed=1; echo "node $n is not ready: out of the balancer"; fi
    fi
  done
  if [ "$changed" = 1 ]; then
    upstream >"$work/upstream.conf"
    nginx -c "$work/nginx.conf" -p "$work" -s reload
  fi
  sleep 2
done
