# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BIN := $(BUILD_DIR)/src/app/bonafides

.PHONY: all deps test-deps web configure build run test test-asan test-copy-large screenshots clean format fuzz bench bench-pg bench-cluster bench-import-contention cluster

all: build

deps:
	@bash scripts/install-deps.sh

# Besides Debian's packages, the npm tools that validate and lint the OpenAPI document
# (tools/openapi; bf_api_tests' OpenApiTest runs them); npm ci only when the lockfile changed.
test-deps:
	@bash scripts/install-deps.sh --test
	@cd tools/openapi && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

# The browser interface, built into web/dist and embedded in the binary by CMake.
# npm ci runs only when the lockfile is newer than the last install.
web: deps
	@if [ -f web/package.json ]; then cd web && \
	  { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && \
	  npm run build --silent; fi

configure: deps web
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

# Serves http://127.0.0.1:8080 with SQLite under ./var, creating the demo organisation on first run.
run: build
	$(BIN) serve --demo --data-dir ./var

# Every test: the C++ suites through ctest, then the browser tests (Playwright with Debian's
# Chromium) against the built binary, which serves the interface it embeds. ctest runs inside
# pg_virtualenv (postgresql-common): a throwaway PostgreSQL cluster for the run, whose PGHOST,
# PGPORT, PGUSER, PGPASSWORD and PGDATABASE switch on the suites' PostgreSQL leg (without fsync:
# the cluster is dropped after the run).
test: test-deps build
	@pg_virtualenv -o fsync=off -o full_page_writes=off ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)
	@cd web && BONAFIDES_BIN=../$(BIN) E2E_SERVE=binary npm run e2e --silent

# Issue #14's copy round trip at scale, not part of `make test` or CI (the two copies take about
# 16 s; comparing 1,669 answers a copy takes about 3.5 min on 2 cores, 2026-12-06): bench_generate's
# organisation of COPY_LARGE_USERS users and COPY_LARGE_CREDENTIALS
# credentials (groups, requirements, exemptions) copied SQLite → PostgreSQL → SQLite; every
# table's rows, every page of the lists, the summaries and the export compared between a server
# on the original and one on each copy (CopyTest.DISABLED_GeneratedLargeDatabaseAnswersAlike in
# tests/copy/copy_test.cc). Prints how long each copy took.
COPY_LARGE_USERS ?= 10000
COPY_LARGE_CREDENTIALS ?= 100000
test-copy-large: test-deps configure
	@cmake -S . -B $(BUILD_DIR) -DBONAFIDES_BENCH=ON >/dev/null
	@cmake --build $(BUILD_DIR) --target bf_copy_tests bench_generate -j$(JOBS)
	@rm -rf $(BUILD_DIR)/copy-large && mkdir -p $(BUILD_DIR)/copy-large
	@$(BUILD_DIR)/bench/bench_generate --db $(BUILD_DIR)/copy-large/large.db \
	  --users $(COPY_LARGE_USERS) --credentials $(COPY_LARGE_CREDENTIALS)
	@BONAFIDES_COPY_LARGE_DB=$(abspath $(BUILD_DIR))/copy-large/large.db \
	  pg_virtualenv -o fsync=off -o full_page_writes=off $(BUILD_DIR)/tests/bf_copy_tests \
	  --gtest_also_run_disabled_tests --gtest_filter='CopyTest.DISABLED_GeneratedLargeDatabaseAnswersAlike'

# Several stateless nodes on one throwaway PostgreSQL behind nginx on 127.0.0.1:8080, with the
# demo organisation; Ctrl-C stops everything (scripts/cluster.sh, docs/deployment.md). NODES=3
# for three.
cluster: build
	@bash scripts/install-deps.sh --cluster
	@bash scripts/cluster.sh $(BIN)

# Every C++ test again, built with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan).
# About 25 minutes on 2 cores, so not part of `make test` or CI: run it before submitting a change
# to parsing, memory or threading code. detect_leaks stays on; a report fails the test.
test-asan: test-deps web
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBONAFIDES_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=use_tls=0:suppressions=$(CURDIR)/tests/sanitizers/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS)

# Refreshes the screenshots in docs/ from the browser tests' latest run.
screenshots: test-deps build
	@cd web && BONAFIDES_BIN=../$(BIN) E2E_SERVE=binary npm run e2e --silent -- e2e/screens.spec.ts
	@mkdir -p docs/screenshots && cp web/e2e/screenshots/*.png docs/screenshots/

# libFuzzer targets (fuzz/): built with clang into build-fuzz, each run for FUZZ_SECONDS with its
# corpus kept in build-fuzz/corpus/<target> (seeded from fuzz/seeds/<target>). Not part of
# `make test` or CI. `make fuzz FUZZ_SECONDS=600` is the run docs/security.md reports.
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/install-deps.sh --fuzz
	@cmake -S fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@for t in build-fuzz/fuzz_*; do \
	  [ -x "$$t" ] || continue; name=$$(basename $$t); mkdir -p build-fuzz/corpus/$$name; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS)s"; \
	  mkdir -p build-fuzz/artifacts; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/artifacts/$$name- build-fuzz/corpus/$$name \
	    $$( [ -d fuzz/seeds/$$name ] && echo fuzz/seeds/$$name ) || exit 1; \
	done

# The benchmarks (bench/; not tests, never in CI): a release build in build-bench, then
# 1. the bulk upload of BENCH_ROWS rows against a bare prepared-statement insert (import_bench);
# 2. a generated database of BENCH_USERS users and BENCH_CREDENTIALS credentials, the real server
#    on it under wrk (bench/run.sh, BENCH_SECONDS per run), each endpoint as a ratio to the
#    /healthz ceiling of the same run, written to bench/results/latest.json with a table;
# 3. the Google Benchmark micro-benchmarks of the hot pure code.
# See docs/performance.md.
BENCH_ROWS ?= 1000000
BENCH_USERS ?= 100000
BENCH_CREDENTIALS ?= 1000000
BENCH_SECONDS ?= 5
bench:
	@bash scripts/install-deps.sh --bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBONAFIDES_BENCH=ON -DBONAFIDES_TESTS=OFF >/dev/null
	@cmake --build build-bench --target bonafides import_bench bench_generate micro_bench -j$(JOBS)
	@build-bench/bench/import_bench --rows $(BENCH_ROWS) --dir build-bench/bench-data | tee build-bench/import_bench.txt
	@build-bench/bench/bench_generate --db build-bench/http-data/million.db \
	  --users $(BENCH_USERS) --credentials $(BENCH_CREDENTIALS)
	@build-bench/bench/micro_bench --benchmark_min_time=0.2 | tee build-bench/micro_bench.txt
	@BENCH_SECONDS=$(BENCH_SECONDS) bench/run.sh build-bench/src/app/bonafides build-bench/http-data/million.db \
	  build-bench/import_bench.txt

# PostgreSQL (issue 13), each on a throwaway cluster that pg_virtualenv starts and removes, or on
# an empty database it may fill (postgresql://…): BENCH_DATABASE for 1., BENCH_DATABASE_HTTP for 2.
# 1. the bulk upload: import_bench against a bare COPY of the same rows (settings as shipped, but
#    a max_wal_size that keeps checkpoints out of the 1M-row transaction, for both sides alike);
#    writes build-bench/import_bench_pg.txt and bench/results/postgres-import.json;
# 2. the HTTP scenarios of `make bench` on a copy of its generated database (made here if
#    missing), bench/run_pg_http.sh; writes bench/results/latest-postgres.json.
BENCH_DATABASE ?=
BENCH_DATABASE_HTTP ?=
bench-pg:
	@bash scripts/install-deps.sh --bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBONAFIDES_BENCH=ON -DBONAFIDES_TESTS=OFF >/dev/null
	@cmake --build build-bench --target bonafides import_bench bench_generate -j$(JOBS)
	@BENCH_ROWS=$(BENCH_ROWS) BENCH_DATABASE=$(BENCH_DATABASE) bench/run_pg_import.sh \
	  build-bench/bench/import_bench build-bench/bench-data-pg build-bench/import_bench_pg.txt
	@[ -f build-bench/http-data/million.db ] || build-bench/bench/bench_generate \
	  --db build-bench/http-data/million.db --users $(BENCH_USERS) --credentials $(BENCH_CREDENTIALS)
	@BENCH_SECONDS=$(BENCH_SECONDS) BENCH_DATABASE=$(BENCH_DATABASE_HTTP) bench/run_pg_http.sh \
	  build-bench/src/app/bonafides build-bench/http-data/million.db

# Several nodes (issue 14): the read scenarios of bench/run.sh through nginx with one node and with
# two on one throwaway PostgreSQL (pg_virtualenv) loaded from BENCH_DB by `bonafides copy`; made
# by bench_generate with BENCH_USERS and BENCH_CREDENTIALS when missing. Prints req/s and p99 of
# each and the ratio two/one (on 2 cores: the overhead of a second node, not scaling), writes
# bench/results/cluster.json.
BENCH_DB ?= build-bench/http-data/million.db
BENCH_CONNECTIONS ?= 64
bench-cluster:
	@bash scripts/install-deps.sh --bench
	@bash scripts/install-deps.sh --cluster
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBONAFIDES_BENCH=ON -DBONAFIDES_TESTS=OFF >/dev/null
	@cmake --build build-bench --target bonafides bench_generate -j$(JOBS)
	@[ -f $(BENCH_DB) ] || build-bench/bench/bench_generate --db $(BENCH_DB) \
	  --users $(BENCH_USERS) --credentials $(BENCH_CREDENTIALS)
	@BENCH_SECONDS=$(BENCH_SECONDS) BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) \
	  bench/run_cluster.sh build-bench/src/app/bonafides $(BENCH_DB)

# Another organisation's writer during a BENCH_ROWS-row import into the first (issue 14), on SQLite
# and on a throwaway PostgreSQL side by side: the writer's p50/p99/max and errors against its
# baseline of BENCH_CONTENTION_SECONDS with no import. Writes bench/results/import-contention.json.
BENCH_CONTENTION_USERS ?= 10000
BENCH_CONTENTION_SECONDS ?= 10
bench-import-contention:
	@bash scripts/install-deps.sh --bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBONAFIDES_BENCH=ON -DBONAFIDES_TESTS=OFF >/dev/null
	@cmake --build build-bench --target bonafides bench_generate -j$(JOBS)
	@BENCH_ROWS=$(BENCH_ROWS) BENCH_USERS=$(BENCH_CONTENTION_USERS) BENCH_SECONDS=$(BENCH_CONTENTION_SECONDS) \
	  bench/run_import_contention.sh build-bench/src/app/bonafides build-bench/bench/bench_generate

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
