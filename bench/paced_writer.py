#!/usr/bin/env python3
"""A steady writer for bench/run_import_contention.sh: creates credentials at a fixed rate.

  paced_writer.py BASE_URL TOKEN TYPE_ID RATE CONNECTIONS OUT_JSON (--seconds N | --until FILE)

CONNECTIONS threads, each on its own keep-alive connection, together send RATE POSTs
/api/v1/credentials a second on a fixed schedule (open loop: a slow answer does not slow the
schedule), for N seconds or until FILE exists. A request's latency runs from the moment the
schedule meant it to be sent to its answer, so time spent queued behind a slow answer counts
(no coordinated omission). Not wrk: wrk sends as fast as answers come, and on a small machine a
writer that takes a core of its own would slow the import it is meant to observe.
OUT_JSON: {"requests","errors","seconds","p50_ms","p90_ms","p99_ms","max_ms","statuses"}.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta


def main():
    base, token, type_id, rate, conns, out = sys.argv[1:7]
    rate, conns = float(rate), int(conns)
    mode, arg = sys.argv[7], sys.argv[8]
    url = urllib.parse.urlsplit(base)
    start = time.monotonic()
    if mode == "--seconds":
        deadline = start + float(arg)
        running = lambda now: now < deadline  # noqa: E731
    else:
        running = lambda now: not os.path.exists(arg)  # noqa: E731
    lock = threading.Lock()
    latencies, statuses, errors = [], {}, []
    expiry = (date.today() + timedelta(days=400)).isoformat()

    def worker(w):
        conn = None
        interval = conns / rate
        due = start + w * (1.0 / rate)
        n = 0
        while True:
            now = time.monotonic()
            if not running(now):
                break
            if due > now:
                time.sleep(due - now)
            n += 1
            body = json.dumps({"type_id": type_id, "issue_date": "2026-01-01", "expiry_date": expiry,
                               "credential_number": "W-%d-%d" % (w, n)})
            status = None
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
                conn.request("POST", "/api/v1/credentials", body=body,
                             headers={"Authorization": "Bearer " + token,
                                      "Content-Type": "application/json"})
                res = conn.getresponse()
                text = res.read()
                status = res.status
            except Exception as e:  # noqa: BLE001 — a connection error is an error like a 5xx
                text = repr(e).encode()
                if conn is not None:
                    conn.close()
                conn = None
            elapsed = time.monotonic() - due
            with lock:
                latencies.append(elapsed * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status is None or not 200 <= status < 300:
                    errors.append("%s %s" % (status, text[:200].decode(errors="replace")))
            due += interval

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - start
    latencies.sort()

    def pct(p):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 2)

    result = {"requests": len(latencies), "errors": len(errors), "seconds": round(seconds, 2),
              "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99),
              "max_ms": round(latencies[-1], 2) if latencies else None,
              "statuses": statuses, "first_errors": errors[:5]}
    json.dump(result, open(out, "w"), indent=2)


if __name__ == "__main__":
    if len(sys.argv) != 9 or sys.argv[7] not in ("--seconds", "--until"):
        sys.exit(__doc__)
    main()
