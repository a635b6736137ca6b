#!/usr/bin/env bash
# The store's load test (tests/interop/tests/store_load.rs) with its figures printed: on SQLite
# and on PostgreSQL, 4 processes × 250 callers for 60 s ask for the tokens of 8 connections whose
# access tokens last 2 s, against a token endpoint that rotates refresh tokens. Starts a
# throwaway PostgreSQL cluster on 127.0.0.1:18432 and stops it afterwards. CONNKIT_LOAD_SECONDS
# shortens the runs. scripts/test.sh runs the same test (without printing the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
chmod 711 "$WORK"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
stop() {
  tests/interop/postgres/ctl.sh "$WORK/postgres" stop >/dev/null 2>&1 || true
  as_root rm -rf "$WORK"
}
trap stop EXIT
PORT=18432 DIR="$WORK/postgres" tests/interop/postgres/up.sh >/dev/null
CONNKIT_POSTGRES="host=127.0.0.1 port=18432 user=connkit" CONNKIT_POSTGRES_TLS="$WORK/postgres/tls" \
  cargo test --quiet -p connkit-interop --test store_load -- --include-ignored --nocapture 2>&1 |
  grep -E '^(sqlite|postgres):|^test result'
