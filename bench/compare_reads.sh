#!/usr/bin/env bash
# The answers of two builds to the same credential reads, compared byte for byte: a change to
# the read path (issue 18) must not change a response. Not a test; the lead reruns it after a
# merge.
#
#   bench/compare_reads.sh MAIN_BIN NEW_BIN DB [OUT]
#
# DB is the generated database (bench_generate) with its .token and .users; each binary serves
# its own copy of it, made under OUT (a newer binary may add a migration, after which the older
# one would refuse the database; the copies take twice the database's size). Asks each the
# same questions — the lists of the first 50 users of DB.users (and of 5 of them in every sort),
# the first pages of the expiring-soon list (following next_cursor), lists by type, approval,
# expiry status, archived, text search and limit, in each sort, and single credentials and their
# versions — saves status and body of each under OUT/main and OUT/new (default
# /tmp/compare-reads) and cmp's them. Exits 1 if any answer differs.
set -euo pipefail
main_bin=$1 new_bin=$2 db_source=$3 out=${4:-/tmp/compare-reads}
db=$db_source
rm -rf "$out" && mkdir -p "$out/main" "$out/new"
token=$(cat "$db.token")
users=$(head -n 50 "$db.users")
types=$(sqlite3 "$db" "SELECT id FROM credential_types ORDER BY id LIMIT 2")
name=$(sqlite3 "$db" "SELECT lower(substr(name, 1, 4)) FROM users WHERE id = '$(head -n 1 "$db.users")'")
sorts="expiry_date -expiry_date updated_at -updated_at user_name"

# NAME PAGES QUERY: the first PAGES pages of /api/v1/credentials?QUERY, following next_cursor.
pages() {
  local name=$1 n=$2 query=$3 cursor="" i
  for i in $(seq 1 "$n"); do
    local url="$base/api/v1/credentials?$query"
    [ -n "$cursor" ] && url="$url&cursor=$cursor"
    curl -s -o "$dir/$name.$i" -w '%{http_code}\n' -H "Authorization: Bearer $token" "$url" \
      >"$dir/$name.$i.status"
    cursor=$(jq -r '.next_cursor // empty' "$dir/$name.$i" 2>/dev/null || true)
    [ -z "$cursor" ] && break
  done
  return 0
}

get() {  # NAME PATH
  curl -s -o "$dir/$1" -w '%{http_code}\n' -H "Authorization: Bearer $token" "$base$2" \
    >"$dir/$1.status"
}

ask() {
  local u t s i=0
  for u in $users; do
    i=$((i + 1))
    pages "user-$i" 2 "user_id=$u"
    if [ $i -le 5 ]; then
      for s in $sorts; do pages "user-$i-sort$s" 2 "user_id=$u&sort=$s"; done
      pages "user-$i-archived-all" 1 "user_id=$u&archived=all"
    fi
  done
  pages expiring 3 "expiry_status=expiring_soon"
  for s in $sorts; do
    pages "expiring-sort$s" 2 "expiry_status=expiring_soon&sort=$s"
    pages "all-sort$s" 2 "sort=$s&limit=20"
    pages "pending-sort$s" 2 "approval_status=pending&sort=$s&limit=30"
    pages "expired-noexpiry-sort$s" 3 "expiry_status=expired,no_expiry&sort=$s&limit=7"
  done
  pages all 2 ""
  pages pending 3 "approval_status=pending"
  pages rejected 2 "approval_status=rejected,pending&limit=100"
  pages valid 2 "expiry_status=valid&limit=200"
  pages no-expiry 3 "expiry_status=no_expiry&limit=13"
  pages archived 2 "archived=true"
  pages archived-all 2 "archived=all&expiry_status=expiring_soon,expired"
  pages before 2 "expiring_before=2027-01-01&sort=-expiry_date"
  pages search 2 "q=$name"
  pages limit1 3 "expiry_status=expiring_soon&limit=1"
  i=0
  for t in $types; do
    i=$((i + 1))
    pages "type-$i" 2 "type_id=$t"
    pages "type-$i-soon" 2 "type_id=$t&expiry_status=expiring_soon&sort=-expiry_date"
    pages "type-$i-user" 1 "type_id=$t&user_id=$(echo "$users" | head -n 1)"
  done
  pages bad-cursor 1 "cursor=bm9wZQ"
  pages bad-sort 1 "sort=name"
  for id in $(jq -r '.items[].id' "$dir/expiring.1" | head -n 5); do
    get "credential-$id" "/api/v1/credentials/$id"
    get "versions-$id" "/api/v1/credentials/$id/versions"
  done
}

serve() {  # BIN DIR: BIN serves a copy of DB made at DIR.db
  local bin=$1 db="$2.db"
  dir=$2
  local f
  for f in "$db_source"*; do cp "$f" "$db${f#"$db_source"}"; done
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  BONAFIDES_LOG_LEVEL=warn "$bin" serve --database "sqlite:$db" --data-dir "$out/data" \
    --listen "127.0.0.1:$port" --notify-interval 0 >"$dir.server.out" 2>"$dir.server.err" &
  local pid=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$base/readyz" && break
    kill -0 $pid 2>/dev/null || { cat "$dir.server.err"; exit 1; }
    sleep 0.2
  done
  ask
  kill $pid
  wait $pid 2>/dev/null || true
  rm -f "$db"*
}

serve "$main_bin" "$out/main"
serve "$new_bin" "$out/new"

same=0 differ=0
for f in "$out"/main/*; do
  g="$out/new/${f##*/}"
  if [ -f "$g" ] && cmp -s "$f" "$g"; then
    case $f in *.status) ;; *) same=$((same + 1)) ;; esac
  else
    differ=$((differ + 1))
    echo "differs: ${f##*/}"
  fi
done
extra=$(comm -13 <(ls "$out/main") <(ls "$out/new") | wc -l)
ok=$(cat "$out"/main/*.status | grep -c '^200$' || true)
echo "$same answers alike (status and body), $differ differ, $extra only from the new binary ($ok of main's were 200)"
[ "$differ" -eq 0 ] && [ "$extra" -eq 0 ]
