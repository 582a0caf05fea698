#!/usr/bin/env python3
"""Turns one run of bench/run.sh into bench/results/latest.json and a table.

Usage: report.py WORK_DIR FIGURES_TSV RESULTS_JSON
       report.py --server BEFORE_METRICS AFTER_METRICS SCENARIO   (one line: the server's p50/p99)

WORK_DIR holds one <scenario>.c<connections>.json per wrk run (the RESULT line of
bench/wrk/report.lua), and beside it the server's /metrics read just before and just after that
run (<scenario>.c<connections>.before.metrics, .after.metrics); FIGURES_TSV holds name, value,
unit lines for everything else. The output is a list of {"name", "value", "unit", "target",
"met"}; target and met are null where no issue or spec sets a target. The compliance figures of
spec/REQUIREMENTS.md "Performance" are the one-connection runs (<scenario>.c1) and the
compliance_csv.* and compliance_summary.* lines of FIGURES_TSV. <scenario>.c<N>.cpu holds the
server's CPU milliseconds during a wrk run.

The server-side p50 and p99 of a run come from the difference of the two scrapes of
bonafides_http_request_duration_seconds for the scenario's route (the time from the request
header read to the handler's answer: no client, kernel or network time), interpolated linearly
inside the bucket as Prometheus's histogram_quantile does.
"""
import json
import math
import os
import re
import sys

READS = ["user_credentials", "expiring_soon", "summary"]
P99_TARGET_MS = {"user_credentials": 10.0, "expiring_soon": 10.0, "summary": 20.0}  # lists, summary (issue 18)
# spec/REQUIREMENTS.md "Performance", measured one request at a time (wrk with one connection):
# a user's compliance in server time (the /metrics difference), a matrix page of 50 as the
# client sees the whole answer; the p99 must be under the target.
COMPLIANCE = ["user_compliance", "group_matrix"]
COMPLIANCE_P99_TARGET_MS = {
    "user_compliance": ("server_p99", 2.0),
    "group_matrix": ("p99", 20.0),
}
# Timed whole by curl, several times: the slowest must be under the target.
TIMED_MAX_TARGET_MS = {"compliance_csv.max_ms": 1000.0, "compliance_summary.max_ms": 50.0}
CONNECTIONS = [8, 64, 1]
# The route template (method, route labels of /metrics) each scenario loads.
SCENARIO_ROUTES = {
    "healthz": ("GET", "/healthz"),
    "user_credentials": ("GET", "/api/v1/credentials"),
    "expiring_soon": ("GET", "/api/v1/credentials"),
    "summary": ("GET", "/api/v1/credentials/summary"),
    "add_version": ("POST", "/api/v1/credentials/{id}/versions"),
    "user_compliance": ("GET", "/api/v1/users/{id}/compliance"),
    "group_matrix": ("GET", "/api/v1/groups/{id}/compliance"),
    "compliance_summary": ("GET", "/api/v1/compliance/summary"),
}
HISTOGRAM = "bonafides_http_request_duration_seconds"

_SAMPLE = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$")
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def _unescape(value):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def parse_metrics(text):
    """The samples of a Prometheus text exposition: [(name, {label: value}, float)]."""
    samples = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = {k: _unescape(v) for k, v in _LABEL.findall(m.group(2) or "")}
        samples.append((m.group(1), labels, float(m.group(3))))
    return samples


def route_buckets(samples, method, route):
    """{le: cumulative count} of the latency histogram of `method` `route`."""
    out = {}
    for name, labels, value in samples:
        if name == HISTOGRAM + "_bucket" and labels.get("method") == method and labels.get("route") == route:
            out[float(labels["le"])] = value  # float("+Inf") is inf
    return out


def histogram_quantile(q, buckets):
    """Prometheus's histogram_quantile over {upper bound: cumulative count}: the bucket where
    the q-th observation falls, interpolated linearly inside it (from 0 for the first bucket);
    the largest finite bound when it falls in +Inf; None without observations."""
    bounds = sorted(buckets)
    if not bounds or bounds[-1] != math.inf:
        return None
    total = buckets[math.inf]
    if total <= 0:
        return None
    rank = q * total
    for i, bound in enumerate(bounds):
        if buckets[bound] >= rank:
            break
    if bound == math.inf:
        return bounds[-2] if len(bounds) > 1 else None
    if i == 0 and bound <= 0:
        return bound
    start, count = 0.0, buckets[bound]
    if i > 0:
        start = bounds[i - 1]
        count -= buckets[start]
        rank -= buckets[start]
    return start + (bound - start) * (rank / count if count > 0 else 1.0)


def server_quantiles(before_path, after_path, scenario, quantiles=(0.5, 0.99)):
    """{q: milliseconds} of the scenario's route between two scrapes, and the requests timed;
    (None, 0) when a scrape is missing or nothing was timed."""
    if scenario not in SCENARIO_ROUTES or not (os.path.exists(before_path) and os.path.exists(after_path)):
        return None, 0
    method, route = SCENARIO_ROUTES[scenario]
    with open(before_path) as f:
        before = route_buckets(parse_metrics(f.read()), method, route)
    with open(after_path) as f:
        after = route_buckets(parse_metrics(f.read()), method, route)
    if math.inf not in after:
        return None, 0
    delta = {le: n - before.get(le, 0.0) for le, n in after.items()}
    timed = int(delta[math.inf])
    if timed <= 0:
        return None, 0
    return {q: histogram_quantile(q, delta) * 1000 for q in quantiles}, timed


def server_figures(work, scenario, conns):
    prefix = os.path.join(work, f"{scenario}.c{conns}")
    return server_quantiles(prefix + ".before.metrics", prefix + ".after.metrics", scenario)


if len(sys.argv) == 5 and sys.argv[1] == "--server":
    figures, timed = server_quantiles(sys.argv[2], sys.argv[3], sys.argv[4])
    if figures:
        print(f"server p50 {figures[0.5]:7.2f} ms  p99 {figures[0.99]:7.2f} ms  ({timed} timed)")
    else:
        print("server: no figures (a /metrics scrape is missing or nothing was timed)")
    sys.exit(0)

work, figures_path, results_path = sys.argv[1:4]

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
    elif name in TIMED_MAX_TARGET_MS:
        target = TIMED_MAX_TARGET_MS[name]
        add(name, value, unit, f"< {target:g}", value < target)
    else:
        add(name, value, unit)

for conns in CONNECTIONS:
    ceiling = wrk("healthz", conns)
    for scenario in ["healthz"] + READS + COMPLIANCE + ["add_version"]:
        r = wrk(scenario, conns)
        if r is None:
            continue
        prefix = f"{scenario}.c{conns}"
        if r["requests"] == 0:
            # Nothing finished within the run: wrk's latencies are empty, not zero; a figure with
            # a target misses it.
            has_target = (scenario in P99_TARGET_MS and conns == 64) or (
                scenario in COMPLIANCE_P99_TARGET_MS and conns == 1)
            add(f"{prefix}.completed", 0, "requests", "> 0" if has_target else None,
                False if has_target else None)
            continue
        add(f"{prefix}.rps", round(r["rps"], 1), "req/s")
        add(f"{prefix}.p50", round(r["p50_ms"], 3), "ms")
        # Which of p99 and server_p99 has a target in this run, if any.
        target_figure, target = None, None
        if scenario in P99_TARGET_MS and conns == 64:
            target_figure, target = "p99", P99_TARGET_MS[scenario]
        elif scenario in COMPLIANCE_P99_TARGET_MS and conns == 1:
            target_figure, target = COMPLIANCE_P99_TARGET_MS[scenario]

        def add_latency(figure, value):
            has = figure == target_figure
            add(f"{prefix}.{figure}", round(value, 3), "ms", f"< {target:g}" if has else None,
                (value < target) if has else None)

        add_latency("p99", r["p99_ms"])
        # The same run as the server timed it.
        server, _ = server_figures(work, scenario, conns)
        if server:
            add(f"{prefix}.server_p50", round(server[0.5], 3), "ms")
            add_latency("server_p99", server[0.99])
        cpu_path = os.path.join(work, f"{prefix}.cpu")
        if os.path.exists(cpu_path):
            # The server's CPU time over the run, per completed request (both wrk's threads and
            # other processes excluded; requests cut off by the run's end included).
            with open(cpu_path) as f:
                add(f"{prefix}.server_cpu_per_request", round(float(f.read()) / r["requests"], 3), "ms")
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
print(f"{'name':<44} {'value':>12} {'unit':<9} {'target':<8} met")
for r in rows:
    print(f"{r['name']:<44} {r['value']:>12} {r['unit']:<9} {fmt(r['target']):<8} {fmt(r['met'])}")
missed = [r["name"] for r in rows if r["met"] is False]
met = [r["name"] for r in rows if r["met"] is True]
print(f"\ntargets met: {len(met)}, missed: {len(missed)}" + (f" ({', '.join(missed)})" if missed else ""))
print(f"written: {results_path}")
