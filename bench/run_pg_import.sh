#!/usr/bin/env bash
# The bulk upload on PostgreSQL (`make bench-pg`; not a test): runs import_bench with
# --database, on BENCH_DATABASE or on a throwaway cluster of pg_virtualenv, and writes what it
# printed to OUTPUT and its figures to bench/results/postgres-import.json.
#
# Usage: bench/run_pg_import.sh IMPORT_BENCH DIR OUTPUT
# Environment: BENCH_ROWS (default 1000000), BENCH_DATABASE (postgresql://…; default: a
#   throwaway cluster), BENCH_RESULTS_PG (default bench/results/postgres-import.json).
set -euo pipefail

bench=$(realpath "$1")
dir=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-1000000}
results=${BENCH_RESULTS_PG:-$here/results/postgres-import.json}

if [ -n "${BENCH_DATABASE:-}" ]; then
  "$bench" --rows "$rows" --dir "$dir" --database "$BENCH_DATABASE" | tee "$out"
else
  command -v pg_virtualenv >/dev/null || {
    echo "run_pg_import.sh: pg_virtualenv is missing (postgresql-common)" >&2; exit 1; }
  # pg_virtualenv exports PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE of its cluster.
  pg_virtualenv -t -o max_wal_size=8GB -o checkpoint_timeout=30min bash -c \
    "\"$bench\" --rows $rows --dir \"$dir\" \
       --database \"postgresql://\$PGUSER:\$PGPASSWORD@\$PGHOST:\$PGPORT/\$PGDATABASE\"" | tee "$out"
fi

mkdir -p "$(dirname "$results")"
python3 - "$out" "$results" "$rows" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def seconds(name):
    m = re.search(r"^" + re.escape(name) + r"\s+([0-9.]+) s", text, re.M)
    return float(m.group(1)) if m else None
ratio = re.search(r"^commit / baseline rate: ([0-9.]+)", text, re.M)
figures = {
    "engine": "postgresql",
    "rows": int(sys.argv[3]),
    "baseline_bare_copy_s": seconds("baseline"),
    "dry_run_s": seconds("dry run"),
    "commit_s": seconds("commit"),
    "export_s": seconds("export"),
    "reimport_unchanged_s": seconds("re-import of export"),
    "import_ratio_to_bare_copy": float(ratio.group(1)) if ratio else None,
    "target": ">= 0.40",
}
figures["met"] = figures["import_ratio_to_bare_copy"] is not None and \
    figures["import_ratio_to_bare_copy"] >= 0.40
json.dump(figures, open(sys.argv[2], "w"), indent=2)
print(json.dumps(figures, indent=2))
PY
