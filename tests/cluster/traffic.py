#!/usr/bin/env python3
"""Steady traffic through a load balancer, for the rolling-upgrade test (rolling_upgrade_test.sh).

  traffic.py run BASE_URL TOKEN TYPE_ID STOP_FILE OUT_JSON [WORKERS]
      WORKERS threads (default 3), each on its own keep-alive connection, repeat until STOP_FILE
      exists: create a credential (POST), edit its number (PATCH), read it (GET), list the
      credentials (GET) and the credential types (GET). Every answer that is not 2xx and every
      connection error is recorded; so is every write the server acknowledged (the credential's
      id and the number it last acknowledged). OUT_JSON gets the counts, the failures and the
      acknowledged writes.
  traffic.py verify BASE_URL TOKEN TYPE_ID OUT_JSON
      Reads the list of TYPE_ID's credentials: every acknowledged write must be in it with the
      number last acknowledged, and nothing else; prints what differs, exits 1 if anything does.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta


class Client:
    def __init__(self, base, token):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.headers = {"Authorization": "Bearer " + token}
        self.conn = None

    def call(self, method, path, body=None):
        """(status, parsed JSON or None); raises on a connection error (after closing)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            res = self.conn.getresponse()
            raw = res.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        if res.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return res.status, parsed, raw[:200].decode(errors="replace")


def run(base, token, type_id, stop_file, out_json, workers):
    lock = threading.Lock()
    counts = {}
    failures = []
    acknowledged = {}  # credential id -> the number the server last acknowledged
    expiry = (date.today() + timedelta(days=400)).isoformat()

    def record(op, status, detail=""):
        with lock:
            counts[op] = counts.get(op, 0) + 1
            if status is None or not 200 <= status < 300:
                failures.append({"op": op, "status": status, "detail": detail,
                                 "at": time.strftime("%H:%M:%S") + ".%03d" % (time.time() % 1 * 1000)})

    def worker(w):
        client = Client(base, token)
        i = 0

        def step(op, method, path, body=None):
            try:
                status, parsed, text = client.call(method, path, body)
            except Exception as e:  # a connection error seen by the client
                record(op, None, repr(e))
                return None
            record(op, status, "" if 200 <= status < 300 else text)
            return parsed if 200 <= status < 300 else None

        while not os.path.exists(stop_file):
            i += 1
            number = "RU-%d-%d" % (w, i)
            created = step("POST credential", "POST", "/api/v1/credentials",
                           {"type_id": type_id, "issue_date": "2026-01-01", "expiry_date": expiry,
                            "credential_number": number})
            if created:
                cid = created["id"]
                with lock:
                    acknowledged[cid] = number
                edited = step("PATCH version", "PATCH", "/api/v1/credentials/%s/versions/1" % cid,
                              {"credential_number": number + "-E"})
                if edited:
                    with lock:
                        acknowledged[cid] = number + "-E"
                step("GET credential", "GET", "/api/v1/credentials/" + cid)
            step("GET credentials", "GET", "/api/v1/credentials?limit=20&sort=-updated_at")
            step("GET credential-types", "GET", "/api/v1/credential-types")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out_json, "w") as f:
        json.dump({"counts": counts, "failures": failures, "acknowledged": acknowledged}, f)


def verify(base, token, type_id, out_json):
    """Every acknowledged write, in the list of the type's credentials with the number last
    acknowledged; nothing else in it (every write made was acknowledged)."""
    acknowledged = json.load(open(out_json))["acknowledged"]
    client = Client(base, token)
    listed, cursor = {}, None
    while True:
        path = "/api/v1/credentials?limit=200&type_id=" + type_id
        if cursor:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        status, parsed, text = client.call("GET", path)
        if status != 200:
            print("the list answered %s: %s" % (status, text))
            return 1
        for c in parsed["items"]:
            listed[c["id"]] = c["credential_number"]
        cursor = parsed.get("next_cursor")
        if not cursor:
            break
    wrong = [(cid, number, listed.get(cid)) for cid, number in acknowledged.items()
             if listed.get(cid) != number]
    for cid, number, found in wrong[:10]:
        print("credential %s: acknowledged %s, read %s" % (cid, number, found))
    extra = set(listed) - set(acknowledged)
    if extra:
        print("%d credentials of the type were never acknowledged" % len(extra))
    return 1 if wrong or extra else 0


if __name__ == "__main__":
    if len(sys.argv) >= 7 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6],
            int(sys.argv[7]) if len(sys.argv) > 7 else 3)
    elif len(sys.argv) == 6 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))
    else:
        sys.exit(__doc__)
