#!/usr/bin/env bash
# `bonafides notify --once` and the scheduler inside `bonafides serve`, end to end: the built
# binary, a database filled by the command line and sqlite3, and a real SMTP server
# (tests/testdata/smtp_server.py, Debian's python3-aiosmtpd).
#
#   notify_cli_test.sh CASE BONAFIDES_BINARY SOURCE_DIR
set -euo pipefail

CASE=$1
BIN=$2
SOURCE_DIR=$3
PYTHON=/usr/bin/python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bonafides-notify-cli.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BONAFIDES_' || true)

fail() {
  echo "FAIL [cli.notify.$CASE]: $*" >&2
  [[ -f out ]] && { echo "--- stdout:"; cat out; } >&2
  [[ -f err ]] && { echo "--- stderr:"; cat err; } >&2
  exit 1
}

expect_exit() {
  local expected=$1
  shift
  local status=0
  "$@" >out 2>err || status=$?
  [[ $status -eq $expected ]] || fail "expected exit status $expected, got $status from: $*"
}

# An organisation, one user and one credential of theirs expiring on $1.
seed() {
  export BONAFIDES_DATA_DIR=$WORK/data BONAFIDES_ADMIN_PASSWORD=correct-horse-battery
  ORG=$("$BIN" org create --name "Org" --admin-email admin@org.example --admin-name "Ada Admin" 2>/dev/null)
  USER=$("$BIN" user create --org "$ORG" --email holder@org.example --name "Hal Holder" --permission-set standard 2>/dev/null)
  sqlite3 "$WORK/data/bonafides.db" <<SQL
INSERT INTO credential_types (id, org_id, name, name_key, created_at, updated_at)
  VALUES ('type-1', '$ORG', 'Forklift licence', 'forklift licence', 0, 0);
INSERT INTO credentials (id, org_id, user_id, type_id, version, issue_date, expiry_date, approval_status,
                         created_at, updated_at)
  VALUES ('cred-1', '$ORG', '$USER', 'type-1', 1, '2020-01-01', '$1', 'not_required', 0, 0);
INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date, approval_status, created_at,
                                 updated_at)
  VALUES ('cred-1', 1, '2020-01-01', '$1', 'not_required', 0, 0);
SQL
}

# Starts the test SMTP server writing to $WORK/mail; sets SMTP_PORT.
start_smtp() {
  mkdir -p "$WORK/mail"
  "$PYTHON" "$SOURCE_DIR/tests/testdata/smtp_server.py" --dir "$WORK/mail" &
  PIDS+=($!)
  for _ in $(seq 100); do [[ -f $WORK/mail/port ]] && break; sleep 0.05; done
  SMTP_PORT=$(cat "$WORK/mail/port") || fail "the SMTP server did not start"
}

case_usage() {
  expect_exit 2 "$BIN" notify
  grep -q -- "--once" err || fail "should say --once is needed"
  expect_exit 2 "$BIN" notify --once --now yesterday
  grep -q "RFC 3339" err || fail "should name the format of --now"
  expect_exit 1 "$BIN" notify --once --smtp-host 127.0.0.1 --data-dir "$WORK/data"
  grep -q -- "--mail-from" err || fail "should ask for --mail-from"
  # A lease no longer than one message may take would let a second sender take a live one's email.
  expect_exit 1 "$BIN" notify --once --smtp-host 127.0.0.1 --mail-from a@b.example --smtp-timeout 30 \
    --email-lease 30 --data-dir "$WORK/data"
  grep -q -- "--email-lease (30 s) must be longer than --smtp-timeout (30 s)" err ||
    fail "should refuse a lease as short as the SMTP timeout"
  expect_exit 2 "$BIN" notify --once --email-lease 1
  expect_exit 0 "$BIN" notify --help
  grep -q -- "--smtp-security" out || fail "help should list the SMTP options"
  grep -q -- "--email-lease" out || fail "help should list --email-lease"
}

case_once() {
  seed 2027-01-10
  start_smtp
  export BONAFIDES_SMTP_HOST=127.0.0.1 BONAFIDES_SMTP_PORT=$SMTP_PORT BONAFIDES_SMTP_SECURITY=none
  export BONAFIDES_MAIL_FROM="Bonafides <noreply@org.example>" BONAFIDES_PUBLIC_URL=https://bf.example
  expect_exit 0 "$BIN" notify --once --now 2026-12-11T07:59:00Z
  grep -q "reminders: 0 in-app, 0 emails queued" out || fail "nothing is due before 08:00"
  expect_exit 0 "$BIN" notify --once --now 2026-12-11T08:00:00Z
  grep -q "reminders: 1 in-app, 1 emails queued, 0 superseded, 0 digests; emails: 1 sent, 0 to retry, 0 failed" out \
    || fail "the 30-day reminder should go out"
  expect_exit 0 "$BIN" notify --once --now 2026-12-11T09:00:00Z
  grep -q "reminders: 0 in-app, 0 emails queued, 0 superseded, 0 digests; emails: 0 sent" out || fail "never twice"
  ls "$WORK/mail"/*.json >/dev/null 2>&1 || fail "no email arrived"
  [[ $(ls "$WORK/mail"/*.json | wc -l) -eq 1 ]] || fail "expected exactly one email"
  grep -q '"subject": "Forklift licence expires in 30 days (2027-01-10)"' "$WORK/mail/0001.json" || fail "subject"
  grep -q 'https://bf.example/credentials/cred-1' "$WORK/mail/0001.json" || fail "link"
  # The option wins over the environment: another send hour finds the 7-day reminder not yet due.
  expect_exit 0 "$BIN" notify --once --now 2027-01-03T08:30:00Z --send-hour 9
  grep -q "reminders: 0 in-app" out || fail "--send-hour 9 should wait"
}

case_serve() {
  # The scheduler inside the server sends a reminder due now, within a few seconds of starting.
  seed "$(date -u -d '+7 days' +%F)"
  start_smtp
  "$BIN" serve --listen 127.0.0.1:0 --notify-interval 1 --send-hour 0 --smtp-host 127.0.0.1 \
    --smtp-port "$SMTP_PORT" --smtp-security none --mail-from noreply@org.example >out 2>err &
  PIDS+=($!)
  for _ in $(seq 200); do [[ -f $WORK/mail/0001.json ]] && break; sleep 0.05; done
  [[ -f $WORK/mail/0001.json ]] || fail "the scheduler sent nothing"
  grep -q '"subject": "Forklift licence expires in 7 days' "$WORK/mail/0001.json" || fail "subject"
  grep -q '"rcpt_tos": \["holder@org.example"\]' "$WORK/mail/0001.json" || fail "recipient"
}

"case_$CASE"
echo "ok cli.notify.$CASE"
