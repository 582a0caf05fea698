#!/usr/bin/env bash
# A rolling restart behind a real nginx (issue #14): two `bonafides serve` nodes of one binary on
# one throwaway PostgreSQL, behind Debian's nginx configured as scripts/cluster.sh configures it
# (upstream keepalive, proxy_next_upstream). While tests/cluster/traffic.py drives steady traffic
# through nginx — creating credentials (POST), editing them (PATCH) with a token, reading one and
# the lists (GET) — node a is stopped with SIGTERM, waited for, started again and waited for
# (/readyz), then node b. Checks:
#  - the client saw no answer other than 2xx and no connection error;
#  - every write the client saw acknowledged reads back afterwards as acknowledged, and nothing
#    else was written;
#  - the migrations ran once: schema_migrations is the same before and after the restarts;
#  - nginx's error log has nothing but refused connections to a stopped node (which nginx
#    retries on the other whatever the method: nothing was sent) — no request cut short.
# It stops and starts processes on fixed ports, so ctest runs it alone (RUN_SERIAL).
# Skipped (77) where no PostgreSQL test cluster is configured (PGHOST, as pg_virtualenv sets) or
# nginx is not installed (scripts/install-deps.sh --test).
#
#   rolling_upgrade_test.sh BONAFIDES_BINARY SOURCE_DIR
# Eight client threads by default (ROLLING_WORKERS): with three, a node that closed its idle
# kept-alive connections at once on SIGTERM (before the server waited on them, src/http/server.cc
# StopIfIdle) passed 4 runs of 4; with eight it failed 5 of 6 (a POST answered 502, or a
# GET that nginx had to retry).
# ROLLING_STOP_SIGNAL=KILL stops each node with kill -9 instead of a drain: the test must then
# fail (it proves the test can see a restart that is not graceful).
set -euo pipefail
BIN=$1
SOURCE_DIR=$2
STOP_SIGNAL=${ROLLING_STOP_SIGNAL:-TERM}
if [[ -z ${PGHOST:-} ]]; then
  echo "SKIP [rolling]: no PostgreSQL test cluster (PGHOST)"
  exit 77
fi
NGINX=$(PATH=$PATH:/usr/sbin:/sbin command -v nginx || true)
if [[ -z $NGINX ]]; then
  echo "SKIP [rolling]: nginx is not installed (scripts/install-deps.sh --test)"
  exit 77
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bonafides-rolling-test.XXXXXX")
DB="bf_rolling_$$"
declare -A PID=()
TRAFFIC_PID=""
cleanup() {
  [[ -n $TRAFFIC_PID ]] && kill -KILL "$TRAFFIC_PID" 2>/dev/null
  for pid in "${PID[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [[ -f $WORK/nginx.pid ]] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null
  psql -qAt -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BONAFIDES_' || true)

fail() {
  echo "FAIL [rolling]: $*" >&2
  for f in "$WORK"/*.err "$WORK/nginx-error.log"; do
    [[ -f $f ]] && { echo "--- $(basename "$f"):"; tail -20 "$f"; }
  done >&2
  exit 1
}

psql -qAt -c "CREATE DATABASE $DB" >/dev/null || fail "cannot create database $DB"
export BONAFIDES_DATABASE="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$DB"
head -c 32 /dev/urandom >"$WORK/media.key"
export BONAFIDES_MEDIA_KEY_FILE="$WORK/media.key"

# Three free ports: the nodes restart on theirs, since nginx's upstream names them.
read -r PORT_A PORT_B PORT_LB < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
declare -A PORT=([a]=$PORT_A [b]=$PORT_B)

ready() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null; }
# start_node NAME: `serve` on the node's port, appending to its logs; returns once /readyz is 200.
start_node() {
  local name=$1
  "$BIN" serve --listen "127.0.0.1:${PORT[$name]}" --notify-interval 0 --trusted-proxy 127.0.0.1 \
    >>"$WORK/$name.out" 2>>"$WORK/$name.err" &
  PID[$name]=$!
  for _ in $(seq 1 300); do
    ready "${PORT[$name]}" && return 0
    kill -0 "${PID[$name]}" 2>/dev/null || fail "node $name exited"
    sleep 0.05
  done
  fail "node $name was not ready within 15 s"
}
# stop_node NAME: STOP_SIGNAL, then wait for the process to end (a drain takes at most the
# server's grace period, 20 s).
stop_node() {
  local name=$1 status=0
  kill "-$STOP_SIGNAL" "${PID[$name]}"
  wait "${PID[$name]}" || status=$?
  if [[ $STOP_SIGNAL == TERM ]]; then
    [[ $status -eq 0 ]] || fail "node $name exited with $status after SIGTERM"
    grep -q 'stopped' "$WORK/$name.err" || fail "node $name did not log that it stopped"
  fi
}

start_node a
start_node b
migrations=$(psql -qAt -d "$DB" -c "SELECT * FROM schema_migrations ORDER BY 1")
[[ -n $migrations ]] || fail "no migrations recorded"

BONAFIDES_ADMIN_PASSWORD=rolling-password-1 "$BIN" org create --name "Rolling Org" \
  --admin-email admin@rolling.test --admin-name "Ada Admin" >"$WORK/org.out" 2>"$WORK/org.err" ||
  fail "org create"

# nginx as scripts/cluster.sh configures it (a private instance: every path it writes is here).
user=""
[[ $(id -u) -eq 0 ]] && user="user root;"
cat >"$WORK/nginx.conf" <<NGINX
$user
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/proxy;
  fastcgi_temp_path $WORK/fastcgi;
  uwsgi_temp_path $WORK/uwsgi;
  scgi_temp_path $WORK/scgi;
  upstream bonafides {
    server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=5s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$PORT_LB;
    include $SOURCE_DIR/scripts/nginx-proxy.conf;
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;' 2>"$WORK/nginx-start.log" ||
  fail "nginx did not start: $(cat "$WORK/nginx-start.log")"
LB="http://127.0.0.1:$PORT_LB"
for _ in $(seq 1 50); do ready "$PORT_LB" && break; sleep 0.1; done
ready "$PORT_LB" || fail "nginx does not answer /readyz"

# A token and a credential type, through nginx.
code=$(curl -sS -o "$WORK/answer" -w '%{http_code}' -c "$WORK/jar" -H 'Content-Type: application/json' \
  -d '{"email":"admin@rolling.test","password":"rolling-password-1"}' "$LB/api/v1/auth/login")
[[ $code == 200 ]] || fail "sign in answered $code"
code=$(curl -sS -o "$WORK/answer" -w '%{http_code}' -b "$WORK/jar" -H 'Content-Type: application/json' \
  -d '{"name":"rolling"}' "$LB/api/v1/me/tokens")
[[ $code == 201 ]] || fail "token answered $code"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/answer")
code=$(curl -sS -o "$WORK/answer" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"Rolling licence"}' "$LB/api/v1/credential-types")
[[ $code == 201 ]] || fail "credential type answered $code"
type_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/answer")

# Steady traffic, then a rolling restart under it: a, then b.
python3 "$SOURCE_DIR/tests/cluster/traffic.py" run "$LB" "$token" "$type_id" "$WORK/stop" \
  "$WORK/traffic.json" "${ROLLING_WORKERS:-8}" 2>"$WORK/traffic.err" &
TRAFFIC_PID=$!
sleep 2
# nginx's checks are passive: a node that refused a connection is left out for fail_timeout (5 s),
# so the next node is stopped only once that has passed since the restarted one was ready (as
# docs/deployment.md tells operators); else nginx would find no live node for a moment.
for name in a b; do
  stop_node "$name"
  sleep 1  # traffic while the node is away: all of it on the other
  start_node "$name"
  sleep 6  # fail_timeout and a second: traffic on both again
done
touch "$WORK/stop"
wait "$TRAFFIC_PID" || fail "the traffic client failed: $(tail -5 "$WORK/traffic.err")"
TRAFFIC_PID=""

# What the client saw.
read -r requests failures writes < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(sum(r["counts"].values()), len(r["failures"]), len(r["acknowledged"]))' "$WORK/traffic.json")
if [[ $failures -ne 0 ]]; then
  python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["failures"][:10]: print("  ", f)' "$WORK/traffic.json" >&2
  fail "$failures of $requests requests through nginx failed during the rolling restart (stopped with SIG$STOP_SIGNAL)"
fi
(( writes >= 20 )) || fail "only $writes writes were acknowledged: the traffic was not steady"
[[ $(grep -c '"POST /api/v1/credentials ' "$WORK/nginx-access.log" || true) -ge 20 ]] ||
  fail "nginx's access log does not show the traffic"

# Every acknowledged write reads back (on whichever node nginx picks).
python3 "$SOURCE_DIR/tests/cluster/traffic.py" verify "$LB" "$token" "$type_id" "$WORK/traffic.json" \
  >"$WORK/verify.out" 2>&1 || fail "acknowledged writes do not read back: $(head -10 "$WORK/verify.out")"

# The migrations ran once: the rows (versions and when they were applied) are unchanged.
after=$(psql -qAt -d "$DB" -c "SELECT * FROM schema_migrations ORDER BY 1")
[[ $after == "$migrations" ]] || fail "schema_migrations changed during the restarts"

# nginx's error log: connections refused by a stopped node are retried on the other node for any
# method (no byte was sent); the node being marked down is a warning. Anything else — a reset, a
# connection closed before the answer, no live upstream — is a request cut short.
bad=$(grep -E '\[(error|crit|alert|emerg)\]' "$WORK/nginx-error.log" |
      grep -v 'connect() failed (111: Connection refused) while connecting to upstream' || true)
[[ -z $bad ]] || fail "nginx logged failed requests: $(echo "$bad" | head -5)"
refused=$(grep -c 'Connection refused' "$WORK/nginx-error.log" || true)

echo "PASS [rolling]: $requests requests through nginx ($writes credentials written and read back) across a rolling restart of two nodes, no errors; migrations unchanged; $refused refused connections retried by nginx"
