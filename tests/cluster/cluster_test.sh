#!/usr/bin/env bash
# Several nodes on one PostgreSQL (issue #14): two real `bonafides serve` processes on one
# throwaway database, as `make cluster` runs them behind nginx. Checks what must hold for a load
# balancer to send any request to any node:
#  - both nodes started together on an empty database migrate it once (advisory lock) and serve;
#  - a session made on one node works on the other, and signing out on one ends it on both;
#  - an API token made on one works on the other, and revoking it takes effect on both;
#  - a write acknowledged by one node is read at once on the other;
#  - failed sign-ins spread over both nodes meet one shared throttle;
#  - `notify --once` run by two processes at the same instant emails each reminder once;
#  - a `notify --once` killed (-9) in the middle of a message, then a pass by another process:
#    each reminder is emailed once, the interrupted one after its lease ran out;
#  - after PostgreSQL restarts, both nodes serve again without being restarted.
# It restarts the test cluster, so ctest runs it alone (RUN_SERIAL).
# The mail server is Debian's python3 with python3-aiosmtpd (/usr/bin/python3, as the jobs tests).
# Skipped (77) where no PostgreSQL test cluster is configured (PGHOST, as pg_virtualenv sets).
#
#   cluster_test.sh BONAFIDES_BINARY SOURCE_DIR
set -euo pipefail
BIN=$1
SOURCE_DIR=$2
if [[ -z ${PGHOST:-} ]]; then
  echo "SKIP [cluster]: no PostgreSQL test cluster (PGHOST)"
  exit 77
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bonafides-cluster-test.XXXXXX")
DB="bf_cluster_$$"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  psql -qAt -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BONAFIDES_' || true)

fail() {
  echo "FAIL [cluster]: $*" >&2
  for f in "$WORK"/*.err; do [[ -f $f ]] && { echo "--- $(basename "$f"):"; tail -20 "$f"; }; done >&2
  exit 1
}

psql -qAt -c "CREATE DATABASE $DB" >/dev/null || fail "cannot create database $DB"
export BONAFIDES_DATABASE="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$DB"
head -c 32 /dev/urandom >"$WORK/media.key"
export BONAFIDES_MEDIA_KEY_FILE="$WORK/media.key"

# start_node NAME: `serve` on a port the kernel picks; prints the port once /readyz answers 200.
start_node() {
  "$BIN" serve --listen 127.0.0.1:0 --notify-interval 0 --trusted-proxy 127.0.0.1 >"$WORK/$1.out" 2>"$WORK/$1.err" &
  PIDS+=($!)
}
wait_ready() {
  local name=$1 pid=$2 port=""
  for _ in $(seq 1 150); do
    port=$(sed -n 's|^Serving http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$WORK/$name.out" 2>/dev/null || true)
    if [[ -n $port ]] && curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/readyz"; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "node $name exited"
    sleep 0.1
  done
  fail "node $name was not ready within 15 s"
}

# 1. Two nodes start at the same instant on an empty database.
start_node a
start_node b
A=$(wait_ready a "${PIDS[0]}")
B=$(wait_ready b "${PIDS[1]}")
migrations=$(find "$SOURCE_DIR/migrations/postgres" -name '[0-9]*_*.sql' | wc -l)
applied=$(psql -qAt -d "$DB" -c "SELECT count(*) FROM schema_migrations")
[[ $applied -eq $migrations ]] || fail "$applied migration rows for $migrations migrations"

BONAFIDES_ADMIN_PASSWORD=cluster-password-1 "$BIN" org create --name "Cluster Org" \
  --admin-email admin@cluster.test --admin-name "Ada Admin" >"$WORK/org.out" 2>"$WORK/org.err" ||
  fail "org create"

# call NODE_PORT METHOD PATH [BODY] [curl args...]: prints the status; the body goes to $WORK/body.
call() {
  local port=$1 method=$2 path=$3 body=${4:-}
  shift 3
  [[ $# -gt 0 ]] && shift
  local args=(-sS --max-time 10 -o "$WORK/body" -w '%{http_code}' -X "$method" "$@")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' -d "$body")
  curl "${args[@]}" "http://127.0.0.1:$port$path"
}
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/body" "$1"; }
expect() { [[ $1 == "$2" ]] || fail "$3: answered $1, expected $2: $(head -c 300 "$WORK/body")"; }

# 2. A session from node a works on node b; signing out on b ends it on a.
expect "$(call "$A" POST /api/v1/auth/login '{"email":"admin@cluster.test","password":"cluster-password-1"}' -c "$WORK/jar")" 200 "sign in on a"
expect "$(call "$B" GET /api/v1/me "" -b "$WORK/jar")" 200 "the session of a on b"
[[ $(json_field email) == admin@cluster.test ]] || fail "b answered /me for someone else"

# 3. A token from node b works on node a; a write on a is read on b at once.
expect "$(call "$B" POST /api/v1/me/tokens '{"name":"cluster"}' -b "$WORK/jar")" 201 "token on b"
token=$(json_field token)
token_id=$(json_field id)
for i in $(seq 1 20); do
  expect "$(call "$A" POST /api/v1/credential-types "{\"name\":\"Type $i\"}" -H "Authorization: Bearer $token")" 201 "write $i on a"
  expect "$(call "$B" GET "/api/v1/credential-types?q=Type%20$i" "" -H "Authorization: Bearer $token")" 200 "read $i on b"
  grep -q "\"Type $i\"" "$WORK/body" || fail "b does not see type $i written on a"
done

# 4. Revocation on one node takes effect on the other.
expect "$(call "$A" DELETE "/api/v1/me/tokens/$token_id" "" -b "$WORK/jar")" 204 "revoke the token on a"
expect "$(call "$B" GET /api/v1/me "" -H "Authorization: Bearer $token")" 401 "the revoked token on b"
expect "$(call "$B" POST /api/v1/auth/logout "" -b "$WORK/jar")" 204 "sign out on b"
expect "$(call "$A" GET /api/v1/me "" -b "$WORK/jar")" 401 "the ended session on a"

# 5. One throttle for the cluster: five wrong passwords from one client (through a proxy the
#    nodes trust), alternating nodes, then the right one.
for i in 1 2 3 4 5; do
  port=$A
  (( i % 2 == 0 )) && port=$B
  expect "$(call "$port" POST /api/v1/auth/login '{"email":"admin@cluster.test","password":"wrong password"}' -H 'X-Forwarded-For: 203.0.113.9')" 401 "wrong password $i"
done
expect "$(call "$A" POST /api/v1/auth/login '{"email":"admin@cluster.test","password":"cluster-password-1"}' -H 'X-Forwarded-For: 203.0.113.9')" 429 "the sixth try, on a"
expect "$(call "$B" POST /api/v1/auth/login '{"email":"admin@cluster.test","password":"cluster-password-1"}' -H 'X-Forwarded-For: 203.0.113.9')" 429 "the sixth try, on b"

# 6. `notify --once` from two processes at the same instant: every reminder is emailed once.
mkdir -p "$WORK/mail"
/usr/bin/python3 "$SOURCE_DIR/tests/testdata/smtp_server.py" --dir "$WORK/mail" >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [[ -s $WORK/mail/port ]] && break; sleep 0.1; done
[[ -s $WORK/mail/port ]] || fail "the test mail server did not start"
smtp_port=$(cat "$WORK/mail/port")
expect "$(call "$A" POST /api/v1/auth/login '{"email":"admin@cluster.test","password":"cluster-password-1"}' -c "$WORK/jar2" -H 'X-Forwarded-For: 192.0.2.1')" 200 "sign in again"
expect "$(call "$A" POST /api/v1/credential-types '{"name":"Reminded licence"}' -b "$WORK/jar2")" 201 "a type for reminders"
type_id=$(json_field id)
# Due today in the organisation's zone (UTC): the 7-day reminder of a credential expiring in 7 days.
expiry=$(date -u -d '+7 days' +%F)
reminded=12
for i in $(seq -w 1 $reminded); do
  node=$A
  (( 10#$i % 2 == 0 )) && node=$B
  expect "$(call "$node" POST /api/v1/credentials "{\"type_id\":\"$type_id\",\"issue_date\":\"2025-01-01\",\"expiry_date\":\"$expiry\",\"credential_number\":\"CL-$i-X\"}" -b "$WORK/jar2")" 201 "credential $i"
done
notify=("$BIN" notify --once --send-hour 0 --smtp-host 127.0.0.1 --smtp-port "$smtp_port"
        --smtp-security none --mail-from bonafides@cluster.test)
"${notify[@]}" >"$WORK/notify1.out" 2>"$WORK/notify1.err" &
n1=$!
"${notify[@]}" >"$WORK/notify2.out" 2>"$WORK/notify2.err" &
n2=$!
wait "$n1" || fail "the first notify --once failed"
wait "$n2" || fail "the second notify --once failed"
for i in $(seq -w 1 $reminded); do
  count=$(grep -l "CL-$i-X" "$WORK"/mail/*.json 2>/dev/null | wc -l)
  [[ $count -eq 1 ]] || fail "credential CL-$i-X was emailed $count times by two notify --once at once"
done

# 7. A sender killed in the middle of a pass. The mail server takes half a second over each
#    message, so the first `notify --once` (a 3 s lease) is killed -9 inside a conversation, its
#    email leased and not yet accepted by the server (which keeps nothing of a message whose
#    client hung up before its 250). Once that lease has run out, a pass by another process sends
#    the rest and the interrupted one: each exactly once, the interrupted one with its own
#    Message-ID. (A crash after the server's 250 and before the `sent` commit is the one window
#    that sends an email twice; docs/architecture.md, "Email delivery".)
mkdir -p "$WORK/mail2"
/usr/bin/python3 "$SOURCE_DIR/tests/testdata/smtp_server.py" --dir "$WORK/mail2" --delay 0.5 >"$WORK/smtp2.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [[ -s $WORK/mail2/port ]] && break; sleep 0.1; done
[[ -s $WORK/mail2/port ]] || fail "the slow test mail server did not start"
slow_port=$(cat "$WORK/mail2/port")
killed_batch=8
for i in $(seq -w 1 $killed_batch); do
  node=$A
  (( 10#$i % 2 == 0 )) && node=$B
  expect "$(call "$node" POST /api/v1/credentials "{\"type_id\":\"$type_id\",\"issue_date\":\"2025-01-01\",\"expiry_date\":\"$expiry\",\"credential_number\":\"KL-$i-X\"}" -b "$WORK/jar2")" 201 "credential KL-$i"
done
slow=("$BIN" notify --once --send-hour 0 --smtp-host 127.0.0.1 --smtp-port "$slow_port"
      --smtp-security none --mail-from bonafides@cluster.test --smtp-timeout 2)
mails() { find "$WORK/mail2" -name '*.json' | wc -l; }
leased() { psql -qAt -d "$DB" -c "SELECT count(*) FROM outbox WHERE status = 'sending'"; }
"${slow[@]}" --email-lease 3 >"$WORK/notify3.out" 2>"$WORK/notify3.err" &
n3=$!
PIDS+=($n3)
# Two messages accepted and the next one leased: kill it inside that conversation.
for _ in $(seq 1 200); do
  if (( $(mails) >= 2 )) && (( $(leased) == 1 )); then break; fi
  kill -0 "$n3" 2>/dev/null || fail "the first notify --once ended before it was killed"
  sleep 0.05
done
kill -KILL "$n3"
wait "$n3" 2>/dev/null && fail "the first notify --once was not killed"
sent_before=$(mails)
(( sent_before >= 2 && sent_before < killed_batch )) || fail "$sent_before of $killed_batch emails were sent before the kill"
interrupted=$(psql -qAt -d "$DB" -c "SELECT id || ' ' || lease_until FROM outbox WHERE status = 'sending'")
[[ -n $interrupted ]] || fail "the killed notify --once left no email leased"
interrupted_id=${interrupted%% *}
lease_until=${interrupted##* }
# Until the lease runs out (lease_until is milliseconds since the epoch), nobody else sends it.
while (( $(date +%s%3N) <= lease_until )); do sleep 0.2; done
"${slow[@]}" >"$WORK/notify4.out" 2>"$WORK/notify4.err" || fail "the second notify --once failed"
for i in $(seq -w 1 $killed_batch); do
  count=$(grep -l "KL-$i-X" "$WORK"/mail2/*.json 2>/dev/null | wc -l)
  [[ $count -eq 1 ]] || fail "credential KL-$i-X was emailed $count times around a killed notify --once"
done
count=$(grep -l "<$interrupted_id@bonafides>" "$WORK"/mail2/*.json 2>/dev/null | wc -l)
[[ $count -eq 1 ]] || fail "the interrupted email was sent $count times"
unsent=$(psql -qAt -d "$DB" -c "SELECT count(*) FROM outbox WHERE status <> 'sent'")
[[ $unsent -eq 0 ]] || fail "$unsent emails are not sent after the second pass"
attempts=$(psql -qAt -d "$DB" -c "SELECT attempts FROM outbox WHERE id = '$interrupted_id'")
[[ $attempts -eq 2 ]] || fail "the interrupted email took $attempts attempts, expected 2"

# 8. PostgreSQL restarts under the nodes: they reconnect without being restarted themselves.
if [[ -n ${PGVERSION:-} ]] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster "$PGVERSION" regress stop -m fast >"$WORK/restart.log" 2>&1 ||
    fail "cannot stop the test cluster: $(cat "$WORK/restart.log")"
  # On a loaded machine `restart` has found the old postmaster still there; start until it takes.
  started=""
  for _ in $(seq 1 40); do
    if pg_ctlcluster "$PGVERSION" regress start >>"$WORK/restart.log" 2>&1; then
      started=1
      break
    fi
    sleep 0.5
  done
  [[ -n $started ]] || fail "cannot start the test cluster again: $(cat "$WORK/restart.log")"
  for port in "$A" "$B"; do
    ok=""
    for _ in $(seq 1 100); do
      if [[ $(call "$port" POST /api/v1/auth/login '{"email":"nobody@cluster.test","password":"x"}') == 401 ]]; then
        ok=1
        break
      fi
      sleep 0.1
    done
    [[ -n $ok ]] || fail "node on $port did not serve again within 10 s of the database's restart"
  done
  restarted=" and reconnect after PostgreSQL restarted"
else
  fail "pg_ctlcluster and PGVERSION are needed to restart the test cluster"
fi

echo "PASS [cluster]: two nodes, $migrations migrations applied once, sessions, tokens, writes and the throttle shared, reminders emailed once around a killed sender$restarted"
