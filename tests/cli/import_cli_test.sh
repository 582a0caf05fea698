#!/usr/bin/env bash
# `bonafides import` from the command line: usage, the report on stdout, exit statuses, and the
# progress bar on a terminal only (shared/spec/API.md "Command line", spec/CSV.md).
#
#   import_cli_test.sh CASE BONAFIDES_BINARY
#
# tests/CMakeLists.txt registers one ctest test per case_* function.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 CASE BONAFIDES_BINARY" >&2
  exit 2
fi
CASE=$1
BIN=$2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bonafides-import-cli.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BONAFIDES_' || true)

fail() {
  echo "FAIL [cli.import.$CASE]: $*" >&2
  printf -- '--- stdout:\n%s\n--- stderr:\n%s\n' "$(cat "$WORK/out" 2>/dev/null)" "$(cat "$WORK/err" 2>/dev/null)" >&2
  exit 1
}

# expect_exit STATUS COMMAND...: stdout to $WORK/out, stderr to $WORK/err.
expect_exit() {
  local expected=$1 status=0
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || status=$?
  [[ $status -eq $expected ]] || fail "expected exit status $expected, got $status from: $*"
}

expect_match() { grep -Eq -- "$2" "$1" || fail "$3: no line of $(basename "$1") matches /$2/"; }

# A JSON field of the report on stdout.
field() { python3 -c "import json,sys; print(json.load(open('$WORK/out'))$1)"; }

# An organisation with a credential type "Forklift" (made through the API: the command line
# has no command for types), in ./data. Sets ORG.
setup_org() {
  export BONAFIDES_ADMIN_PASSWORD='correct horse battery'
  ORG=$("$BIN" org create --name Imports --admin-email admin@i.example --admin-name 'Ada Admin' --data-dir ./data 2>/dev/null)
  "$BIN" serve --data-dir ./data --listen 127.0.0.1:0 --notify-interval 0 >serve.out 2>serve.err &
  SERVER_PID=$!
  local port=
  for _ in $(seq 1 100); do
    # serve.out may not exist yet (the shell opens it in the child): not an error.
    port=$(sed -n 's|^Serving http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' serve.out 2>/dev/null || true)
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || fail "serve did not start: $(cat serve.err)"
  local url="http://127.0.0.1:$port"
  curl -fsS --noproxy '*' -c cookies -H 'Content-Type: application/json' \
    -d '{"email":"admin@i.example","password":"correct horse battery"}' "$url/api/v1/auth/login" >/dev/null
  curl -fsS --noproxy '*' -b cookies -H 'Content-Type: application/json' -d '{"name":"Forklift"}' \
    "$url/api/v1/credential-types" >/dev/null
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=
  unset BONAFIDES_ADMIN_PASSWORD
}

case_help() {
  expect_exit 0 "$BIN" --help
  expect_match "$WORK/out" '^  import( |$)' "--help lists import"
  expect_exit 0 "$BIN" import --help
  for option in FILE --org --dry-run --approve --date-format --data-dir --database; do
    expect_match "$WORK/out" "$option" "import --help mentions $option"
  done
}

case_usage() {
  local -a cases=("import" "import x.csv" "import x.csv --org" "import x.csv --org o --date-format YY.MM.DD"
    "import x.csv --org o --bogus")
  for args in "${cases[@]}"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$BIN" $args
    [[ ! -s $WORK/out ]] || fail "'bonafides $args' wrote to stdout"
  done
  expect_exit 1 "$BIN" import missing.csv --org 00000000-0000-4000-8000-000000000000 --data-dir ./data
  expect_match "$WORK/err" '^bonafides: no organisation ' "an unknown organisation"
  setup_org
  expect_exit 1 "$BIN" import missing.csv --org "$ORG" --data-dir ./data
  expect_match "$WORK/err" '^bonafides: cannot open missing.csv$' "a missing file"
}

case_run() {
  setup_org
  printf 'email,credential_type,issue_date,expiry_date,credential_number\nadmin@i.example,Forklift,1/2/2026,1/2/2031,F-1\nadmin@i.example,forklift,2026-03-01,2031-03-01,F-2\n' >ok.csv

  expect_exit 0 "$BIN" import ok.csv --org "$ORG" --data-dir ./data --dry-run --date-format DD/MM/YYYY
  [[ $(field "['created']") == 2 && $(field "['dry_run']") == True && $(field "['committed']") == False ]] ||
    fail "dry run report"
  expect_match "$WORK/err" '^dry run, nothing written: 2 rows: 2 created' "dry run summary"

  expect_exit 0 "$BIN" import ok.csv --org "$ORG" --data-dir ./data --date-format DD/MM/YYYY
  [[ $(field "['created']") == 2 && $(field "['committed']") == True ]] || fail "commit report"
  expect_match "$WORK/err" '^imported 2 rows: 2 created, 0 new versions, 0 unchanged$' "commit summary"
  # No terminal: no progress bar.
  ! grep -q $'\r' "$WORK/err" || fail "a progress bar without a terminal"

  # From standard input, again: unchanged.
  BONAFIDES_DATA_DIR=./data expect_exit 0 "$BIN" import - --org "$ORG" --date-format DD/MM/YYYY <ok.csv
  [[ $(field "['unchanged']") == 2 ]] || fail "re-import unchanged"

  # A file with errors: the report on stdout, one line on stderr, exit 1, nothing written.
  printf 'email,credential_type,issue_date,expiry_date,credential_number\nadmin@i.example,Forklift,2026-01-01,2031-01-01,F-3\nnobody@i.example,Forklift,2026-01-01,2031-01-01,F-4\n' >bad.csv
  expect_exit 1 "$BIN" import bad.csv --org "$ORG" --data-dir ./data
  [[ $(field "['errors'][0]['code']") == unknown_user && $(field "['errors'][0]['row']") == 3 ]] || fail "error report"
  expect_match "$WORK/err" '^bonafides: the file has 1 error \(listed on stdout\): nothing was imported$' "error summary"
  expect_exit 0 "$BIN" import ok.csv --org "$ORG" --data-dir ./data --date-format DD/MM/YYYY
  [[ $(field "['unchanged']") == 2 && $(field "['created']") == 0 ]] || fail "the bad file wrote something"
}

# On a terminal the import draws a progress bar on stderr: rows, rows/s, time left.
case_progress() {
  setup_org
  {
    echo 'email,credential_type,issue_date,expiry_date,credential_number'
    for i in $(seq 1 20000); do echo "admin@i.example,Forklift,2026-01-01,2031-01-01,P-$i"; done
  } >many.csv
  script -qec "'$BIN' import many.csv --org '$ORG' --data-dir ./data --dry-run 2>tty.err >/dev/null; \
               '$BIN' import many.csv --org '$ORG' --data-dir ./data --dry-run" /dev/null >tty.out 2>&1 ||
    fail "import on a terminal failed: $(cat tty.out)"
  grep -q 'rows/s' tty.out || fail "no progress bar on a terminal: $(cat -v tty.out | head -c 600)"
  grep -q 'checking' tty.out || fail "the progress bar names the phase: $(cat -v tty.out | head -c 600)"
  grep -q 'rows/s' tty.err && fail "a progress bar on a redirected stderr"
  return 0
}

"case_$CASE"
echo "ok cli.import.$CASE"
