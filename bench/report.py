#!/usr/bin/env python3
"""Turns one run of bench/run.sh into bench/results/latest.json and a table.

Usage: report.py WORK_DIR FIGURES_TSV RESULTS_JSON

WORK_DIR holds one <scenario>.c<connections>.json per wrk run (the RESULT line of
bench/wrk/report.lua); FIGURES_TSV holds name, value, unit lines for everything else. The output
is a list of {"name", "value", "unit", "target", "met"}; target and met are null where the issue
sets no target.
"""
import json
import os
import sys

work, figures_path, results_path = sys.argv[1:4]

READS = ["user_credentials", "expiring_soon", "summary"]
P99_TARGET_MS = {"user_credentials": 10.0, "expiring_soon": 20.0, "summary": 20.0}
CONNECTIONS = [8, 64]

rows = []


def add(name, value, unit, target=None, met=None):
    rows.append({"name": name, "value": value, "unit": unit, "target": target, "met": met})


def wrk(scenario, conns):
    path = os.path.join(work, f"{scenario}.c{conns}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


for line in open(figures_path):
    name, value, unit = line.rstrip("\n").split("\t")
    value = float(value)
    if name == "start_to_ready_ms":
        add(name, value, unit, "< 200", value < 200)
    elif name == "idle_rss_mib":
        add(name, value, unit, "< 30", value < 30)
    elif name == "import_ratio_to_bare_insert":
        add(name, value, unit, ">= 0.40", value >= 0.40)
    else:
        add(name, value, unit)

for conns in CONNECTIONS:
    ceiling = wrk("healthz", conns)
    for scenario in ["healthz"] + READS + ["add_version"]:
        r = wrk(scenario, conns)
        if r is None:
            continue
        prefix = f"{scenario}.c{conns}"
        if r["requests"] == 0:
            # Nothing finished within the run: wrk's latencies are empty, not zero.
            add(f"{prefix}.completed", 0, "requests")
            continue
        add(f"{prefix}.rps", round(r["rps"], 1), "req/s")
        add(f"{prefix}.p50", round(r["p50_ms"], 3), "ms")
        p99_target = P99_TARGET_MS.get(scenario) if conns == 64 else None
        add(f"{prefix}.p99", round(r["p99_ms"], 3), "ms",
            f"< {p99_target:g}" if p99_target else None,
            (r["p99_ms"] < p99_target) if p99_target else None)
        if r["non2xx"] or r["socket_errors"]:
            add(f"{prefix}.errors", r["non2xx"] + r["socket_errors"], "requests", "0", False)
        if scenario != "healthz" and ceiling and ceiling["rps"] > 0:
            ratio = r["rps"] / ceiling["rps"]
            is_target = scenario in READS and conns == 64
            add(f"{prefix}.ratio_to_ceiling", round(ratio, 3), "ratio",
                ">= 0.50" if is_target else None, (ratio >= 0.5) if is_target else None)

with open(results_path, "w") as f:
    json.dump(rows, f, indent=2)
    f.write("\n")


def fmt(v):
    return "" if v is None else ("yes" if v is True else "NO" if v is False else str(v))


print()
print(f"{'name':<40} {'value':>12} {'unit':<9} {'target':<8} met")
for r in rows:
    print(f"{r['name']:<40} {r['value']:>12} {r['unit']:<9} {fmt(r['target']):<8} {fmt(r['met'])}")
missed = [r["name"] for r in rows if r["met"] is False]
met = [r["name"] for r in rows if r["met"] is True]
print(f"\ntargets met: {len(met)}, missed: {len(missed)}" + (f" ({', '.join(missed)})" if missed else ""))
print(f"written: {results_path}")
