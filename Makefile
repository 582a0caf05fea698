# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BIN := $(BUILD_DIR)/src/app/bonafides

.PHONY: all deps test-deps web configure build run test screenshots clean format

all: build

deps:
	@bash scripts/install-deps.sh

test-deps:
	@bash scripts/install-deps.sh --test

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
# Chromium) against the built binary, which serves the interface it embeds.
test: test-deps build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)
	@cd web && BONAFIDES_BIN=../$(BIN) E2E_SERVE=binary npm run e2e --silent

# Refreshes the screenshots in docs/ from the browser tests' latest run.
screenshots: test-deps build
	@cd web && BONAFIDES_BIN=../$(BIN) E2E_SERVE=binary npm run e2e --silent -- e2e/screens.spec.ts
	@mkdir -p docs/screenshots && cp web/e2e/screenshots/*.png docs/screenshots/

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
