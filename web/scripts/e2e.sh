#!/usr/bin/env bash
# End-to-end tests of the web interface against the real bonafides binary on a fresh database.
#
#   BONAFIDES_BIN   the binary (default ../build/src/app/bonafides, from web/); nothing C++ is built
#   BONAFIDES_URL   test a server that is already running there instead (a fresh `serve --demo`);
#                   nothing is started or stopped
#   E2E_SERVE       who serves the built pages when this script starts the binary:
#                   auto (default: the binary itself if it embeds this very dist/, else vite
#                   preview), binary, or preview (vite preview of dist/, /api proxied to the binary)
#   CHROMIUM        the browser (default /usr/bin/chromium)
# Extra arguments go to `playwright test` (e.g. a file name or --grep).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'e2e: %s\n' "$*" >&2; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Polls URL until it answers 200, for at most $2 seconds.
wait_for() {
  local url=$1 limit=$2 i=0
  while (( i < limit * 5 )); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
    i=$((i + 1))
  done
  return 1
}

server_pid=""
preview_pid=""
data_dir=""
stop() { # PID: ends a process this script started, and waits for it
  kill "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  [[ -n $preview_pid ]] && stop "$preview_pid"
  [[ -n $server_pid ]] && stop "$server_pid"
  [[ -n $data_dir ]] && rm -rf "$data_dir"
  exit "$rc"
}
trap cleanup EXIT INT TERM

if [[ ! -f dist/index.html ]]; then
  log "dist/ is missing: building the web interface"
  npm run build
fi

if [[ -n ${BONAFIDES_URL:-} ]]; then
  base=${BONAFIDES_URL%/}
  log "testing the running server at $base"
  wait_for "$base/readyz" 10 || { log "$base/readyz does not answer"; exit 1; }
else
  bin=${BONAFIDES_BIN:-../build/src/app/bonafides}
  [[ -x $bin ]] || { log "no bonafides binary at $bin (set BONAFIDES_BIN)"; exit 1; }
  data_dir=$(mktemp -d -t bonafides-e2e.XXXXXX)
  port=$(free_port)
  api="http://127.0.0.1:$port"
  log "starting $bin on $api with data in $data_dir"
  "$bin" serve --demo --data-dir "$data_dir" --listen "127.0.0.1:$port" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  if ! wait_for "$api/readyz" 20; then
    log "the server did not become ready in 20 s; its log:"
    cat "$data_dir/server.log" >&2
    exit 1
  fi
  mode=${E2E_SERVE:-auto}
  if [[ $mode == auto ]]; then
    # The binary embeds web/dist when it is built: test it directly only if what it embeds is
    # this dist/ (same index.html, so the same hashed assets); otherwise test dist/ beside it.
    if curl -fsS --max-time 2 "$api/" 2>/dev/null | cmp -s - dist/index.html; then
      mode=binary
    else
      log "the binary does not serve this dist/ (not embedded, or built from another one)"
      mode=preview
    fi
  fi
  if [[ $mode == binary ]]; then
    base=$api
    log "the binary serves the web interface itself"
  else
    vport=$(free_port)
    base="http://127.0.0.1:$vport"
    log "serving dist/ with vite preview on $base, /api proxied to $api"
    # node_modules/.bin/vite directly, not npx, so that $! is the server itself.
    BONAFIDES_API=$api node_modules/.bin/vite preview --host 127.0.0.1 --port "$vport" --strictPort >"$data_dir/preview.log" 2>&1 &
    preview_pid=$!
    wait_for "$base/" 20 || { log "vite preview did not start"; cat "$data_dir/preview.log" >&2; exit 1; }
  fi
fi

export BONAFIDES_E2E_BASE_URL=$base
status=0
npx playwright test "$@" || status=$?
# One plain closing line, whatever the runner printed.
node -e '
  const s = require("./e2e/.results/report.json").stats;
  console.log(`e2e: ${s.expected + s.flaky} passed, ${s.unexpected} failed, ${s.skipped} skipped`);
' 2>/dev/null || true
exit $status
