#!/usr/bin/env python3
"""Fails when a source file includes across a layer boundary (docs/architecture.md, "Layers").

The rules, checked on every #include of every file under src/:
  src/core, src/domain  may not include Beast (boost/beast), sqlite3.h, libpq-fe.h, nor anything
                        of src/http, src/store, src/service, src/jobs, src/media or src/app;
  src/service           may not include src/http, src/jobs, src/app;
  src/store             may not include src/http, src/service, src/jobs, src/media, src/app;
                        and only the engines (store/sqlite, store/postgres) may include their
                        client library (sqlite3.h, libpq-fe.h).
A quoted include is resolved as the compiler does: beside the including file first, then from
src/. Run by `make test` (ctest: layers.check); prints one line a violation and exits 1.

Usage: check_layers.py [SRC_DIR]   (default: src/ next to this script's folder)
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
ENGINE_HEADERS = ("sqlite3.h", "libpq-fe.h")


def layer_of(path, src):
    """The first folder below src/ of `path` ("core", "store", ...), or None outside src/."""
    rel = os.path.relpath(path, src)
    if rel.startswith(".."):
        return None, rel
    return rel.split(os.sep)[0], rel


def forbidden(layer, rel, target_layer, target_rel, header):
    """Why `rel` may not include the header, or None."""
    external_beast = header.startswith("boost/beast")
    if layer in ("core", "domain"):
        if external_beast or header in ENGINE_HEADERS:
            return "the %s layer sees no Beast and no database client" % layer
        if target_layer in ("http", "store", "service", "jobs", "media", "app"):
            return "the %s layer may not depend on src/%s" % (layer, target_layer)
    if layer == "service" and target_layer in ("http", "jobs", "app"):
        return "services may not depend on src/%s" % target_layer
    if layer == "store":
        if target_layer in ("http", "service", "jobs", "media", "app"):
            return "the store may not depend on src/%s" % target_layer
        engine = rel.split(os.sep)[1] if rel.count(os.sep) >= 2 else ""
        if header == "sqlite3.h" and engine != "sqlite":
            return "only store/sqlite/ includes sqlite3.h"
        if header == "libpq-fe.h" and engine != "postgres":
            return "only store/postgres/ includes libpq-fe.h"
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src"))
    violations = []
    checked = 0
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".h", ".hpp", ".cc", ".cpp")):
                continue
            path = os.path.join(root, name)
            layer, rel = layer_of(path, src)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            checked += 1
            for m in INCLUDE.finditer(text):
                kind, header = m.group(1), m.group(2)
                target = None
                if kind == '"':
                    beside = os.path.normpath(os.path.join(root, header))
                    target = beside if os.path.exists(beside) else os.path.join(src, header)
                target_layer, target_rel = layer_of(target, src) if target else (None, None)
                why = forbidden(layer, rel, target_layer, target_rel, header)
                if why:
                    line = text.count("\n", 0, m.start()) + 1
                    violations.append("src/%s:%d: includes %s: %s" % (rel, line, header, why))
    for v in violations:
        print(v)
    if violations:
        print("%d layer violation(s) in %d files" % (len(violations), checked))
        return 1
    print("layers ok: %d files" % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
