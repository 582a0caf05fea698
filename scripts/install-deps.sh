#!/usr/bin/env bash
# Installs, from Debian 12 packages only, everything Bonafides needs to build, run and test.
# Idempotent: packages already present are skipped, so a second run does nothing and is quick.
set -euo pipefail

# Usage: install-deps.sh [--test|--fuzz|--bench|--cluster]   (--test adds what the tests need: Chromium for the
# browser tests and PostgreSQL for the store's second engine; --fuzz adds clang for the fuzz targets. libvips-dev brings libvips with its
# HEIF (libheif) and PDF (poppler) modules; fonts-dejavu-core gives it a font for text.) Node.js 20 comes from the machine's configured Debian repository (nodejs).
packages=(
  build-essential cmake pkg-config git ca-certificates curl
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libspdlog-dev libcli11-dev libexpected-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev python3-aiosmtpd
  libvips-dev fonts-dejavu-core
  nodejs
)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium)
  # A throwaway PostgreSQL 15 for the store's second leg: `make test` wraps ctest in pg_virtualenv
  # (postgresql-common), which starts a temporary cluster and exports PGHOST, PGPORT, ….
  packages+=(postgresql postgresql-common)
  # nginx in front of two nodes for the rolling-restart test (tests/cluster/rolling_upgrade_test.sh).
  packages+=(nginx)
fi
# --fuzz: clang and its libFuzzer runtime, for `make fuzz` only (never CI or `make test`).
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi
# --cluster: PostgreSQL and nginx for `make cluster` (several nodes behind a load balancer).
if [ "${1:-}" = "--cluster" ]; then
  packages+=(postgresql postgresql-common nginx)
fi
# --bench: wrk for the HTTP load of `make bench` (never CI or `make test`).
if [ "${1:-}" = "--bench" ]; then
  packages+=(wrk)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
