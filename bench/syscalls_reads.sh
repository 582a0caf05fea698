#!/usr/bin/env bash
# System calls per request of a user's credentials (`strace -c -f` on the server): the kernel
# work callgrind does not count, above all the pread64 of database pages the connections' page
# caches miss. Not a test; docs/performance.md "Read path, session 8" shows its output.
#
#   bench/syscalls_reads.sh BONAFIDES DB
#
# DB is a copy of the generated database with its .token and .users. Starts `BONAFIDES serve`,
# warms it with the lists of users 1,000-5,000 (WARM=FIRST,LAST), then counts the system calls
# of the lists of users 1-200 (others than the warm ones, as wrk's random users mostly are),
# sent over one keep-alive connection, and prints the calls a request by name.
set -euo pipefail
bin=$1 db=$2
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BONAFIDES_LOG_LEVEL=warn "$bin" serve --database "sqlite:$db" --data-dir "$work/data" \
  --listen "127.0.0.1:$port" --notify-interval 0 >"$work/server.out" 2>"$work/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
token=$(cat "$db.token")
lists() {  # LINES of DB.users (sed's FIRST,LAST), as curl's config
  sed -n "${1}p" "$db.users" | while read -r u; do
    printf 'url = "http://127.0.0.1:%s/api/v1/credentials?user_id=%s"\noutput = /dev/null\n' "$port" "$u"
  done | curl -s -K - -H "Authorization: Bearer $token"
}
lists "${WARM:-1000,5000}"
strace -c -f -p $pid -o "$work/strace.txt" 2>/dev/null &
tracer=$!
sleep 1
lists 1,200
kill -INT $tracer
wait $tracer || true
awk 'NR > 2 && $4 ~ /^[0-9]+$/ { printf "%-16s %7.2f a request\n", $NF, $4 / 200 }' "$work/strace.txt"
