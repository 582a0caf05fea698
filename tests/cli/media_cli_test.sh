#!/usr/bin/env bash
# Thumbnails from the built `bonafides` binary, which opens libvips only when first needed
# (src/media/vips_library.h): an idle server must not map it, and thumbnails are decoded by a
# child process (src/media/thumbnail_sandbox.h), so they do not map it either.
#
#   media_cli_test.sh CASE BONAFIDES_BINARY
#
# Reads /proc/PID/maps of the server (Linux). tests/CMakeLists.txt registers one test per case.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 CASE BONAFIDES_BINARY" >&2
  exit 2
fi
CASE=$1
BIN=$2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bonafides-media.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BONAFIDES_' || true)

fail() {
  echo "FAIL [cli.media.$CASE]: $*" >&2
  if [[ -f $WORK/server.err ]]; then echo "--- server stderr:" >&2 && tail -20 "$WORK/server.err" >&2; fi
  exit 1
}

# start_server ARGS...: `bonafides serve ARGS...` on a port the kernel picks; waits for /healthz.
start_server() {
  "$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" --notify-interval 0 "$@" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's|^Serving http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$WORK/server.out" 2>/dev/null || true)
    [[ -n $PORT ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "serve exited early"
    sleep 0.1
  done
  [[ -n $PORT ]] || fail "serve printed no 'Serving http://127.0.0.1:PORT' within 20 s"
  # Generous: on a loaded machine the first answer after drawing the demo has taken over 10 s.
  for _ in $(seq 1 300); do
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "/healthz did not answer within 30 s"
}

stop_server() {
  local status=0
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || status=$?
  SERVER_PID=
  [[ $status -eq 0 ]] || fail "serve exited with status $status after SIGTERM"
}

libvips_mapped() { grep -q 'libvips\.so' "/proc/$SERVER_PID/maps"; }

api() { curl -sS --noproxy '*' --max-time 30 -b "$WORK/cookies" -c "$WORK/cookies" "$@"; }

case_lazy_libvips() {
  # The first run draws the demo's cards with libvips: it is mapped (so the check below can fail).
  start_server --demo
  grep -q '^Demo organisation' "$WORK/server.out" || fail "serve --demo created no demo"
  libvips_mapped || fail "libvips is not mapped after drawing the demo's cards"
  stop_server

  # The second finds the demo in place: nothing to draw, libvips stays out until a thumbnail.
  start_server --demo
  sleep 0.5
  libvips_mapped && fail "an idle server has libvips mapped"
  local status
  status=$(api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"email":"manager@demo.example","password":"demo-password"}' \
    "http://127.0.0.1:$PORT/api/v1/auth/login")
  [[ $status == 200 ]] || fail "signing in as the demo's manager answered $status"
  api -o "$WORK/credentials.json" "http://127.0.0.1:$PORT/api/v1/credentials?limit=100"

  local type id seen=0
  for type in image/jpeg image/png application/pdf; do
    id=$(grep -o "\"id\":\"[0-9a-f-]*\",\"filename\":\"[^\"]*\",\"content_type\":\"$type\"" \
      "$WORK/credentials.json" | head -1 | sed 's/^"id":"\([^"]*\)".*/\1/')
    [[ -n $id ]] || fail "the demo has no $type file"
    status=$(api -o "$WORK/thumb" -w '%{http_code} %{content_type}' \
      "http://127.0.0.1:$PORT/api/v1/media/$id/thumbnail")
    [[ $status == "200 image/jpeg" ]] || fail "thumbnail of the $type file: $status"
    [[ $(head -c 3 "$WORK/thumb" | od -An -tx1 | tr -d ' \n') == ffd8ff ]] ||
      fail "the thumbnail of the $type file is not a JPEG"
    seen=$((seen + 1))
  done
  # Thumbnails are decoded by a child process (src/media/thumbnail_sandbox.h): the server itself
  # still has not mapped libvips.
  libvips_mapped && fail "the server mapped libvips for thumbnails instead of a child process"
  stop_server
  echo "cli.media.$CASE: libvips mapped for drawing the demo only; $seen thumbnails made by children"
}

if ! declare -F "case_$CASE" >/dev/null; then
  echo "FAIL [cli.media.$CASE]: no such case" >&2
  exit 1
fi
"case_$CASE"
echo "PASS [cli.media.$CASE]"
