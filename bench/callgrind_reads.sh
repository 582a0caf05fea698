#!/usr/bin/env bash
# Instructions per request of the three read endpoints of issue 18, under callgrind (stable on
# a shared, noisy machine, unlike wall times). Not a test; docs/performance.md "Read path,
# session 8" shows its output.
#
#   bench/callgrind_reads.sh BONAFIDES DB [N]
#
# DB is a copy of the generated database (bench_generate) with its .token and .users; the
# server writes to it. Starts `BONAFIDES serve` under valgrind --tool=callgrind, warms each
# endpoint up, zeroes the counters, sends N (default 100) requests over one keep-alive
# connection (curl), dumps and prints instructions per request for each endpoint, and the
# server's read system calls per request (/proc/PID/io syscr: pread of database pages the page
# cache missed; callgrind counts no kernel instructions). The users are
# the first N of DB.users, so two runs ask the same questions. Leaves the dumps in
# $CALLGRIND_OUT (default /tmp/callgrind-reads) for callgrind_annotate.
set -euo pipefail
bin=$1 db=$2 n=${3:-100}
out=${CALLGRIND_OUT:-/tmp/callgrind-reads}
rm -rf "$out" && mkdir -p "$out"
token=$(cat "$db.token")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
BONAFIDES_LOG_LEVEL=warn valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.%p" \
  "$bin" serve --database "sqlite:$db" --data-dir "$out/data" --listen "127.0.0.1:$port" \
  --notify-interval 0 >"$out/server.out" 2>"$out/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$base/readyz" && break
  kill -0 $pid 2>/dev/null || { cat "$out/server.err"; exit 1; }
  sleep 0.2
done
urls() {  # NAME: N urls of the endpoint
  case $1 in
    user) head -n "$n" "$db.users" | sed "s|^|$base/api/v1/credentials?user_id=|" ;;
    expiring) for _ in $(seq "$n"); do echo "$base/api/v1/credentials?expiry_status=expiring_soon"; done ;;
    summary) for _ in $(seq "$n"); do echo "$base/api/v1/credentials/summary"; done ;;
    healthz) for _ in $(seq "$n"); do echo "$base/healthz"; done ;;
  esac
}
send() { urls "$1" | sed 's|^\(.*\)$|url = "\1"\noutput = /dev/null|' | curl -s -K - -H "Authorization: Bearer $token" -w '%{http_code}\n' | sort | uniq -c | tr '\n' ' '; }
total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}'; }
for name in healthz user expiring summary; do
  send "$name" >/dev/null  # warm: statements prepared, pages cached
  callgrind_control -z $pid >/dev/null 2>&1
  reads0=$(awk '/^syscr/ {print $2}' /proc/$pid/io)
  codes=$(send "$name")
  reads1=$(awk '/^syscr/ {print $2}' /proc/$pid/io)
  callgrind_control -d "$name" $pid >/dev/null 2>&1
  sleep 0.5
  f=$(ls -t "$out"/callgrind.$pid.* | head -1)
  mv "$f" "$out/$name.out"
  ir=$(total "$out/$name.out")
  printf '%-9s %s requests (%s) %12s Ir  %10.0f Ir/request  %6.1f read syscalls/request\n' \
    "$name" "$n" "$codes" "$ir" "$(echo "$ir / $n" | bc -l)" "$(echo "($reads1 - $reads0) / $n" | bc -l)"
done
