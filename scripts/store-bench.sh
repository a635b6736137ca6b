#!/usr/bin/env bash
# Measures Connections::access_token on a fresh token (median and p99): from the in-process
# cache, from an SQLite file and from PostgreSQL on loopback, side by side in one run, in release
# mode. Starts a throwaway PostgreSQL cluster on 127.0.0.1:18432 and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
chmod 711 "$WORK"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
stop() {
  as_root runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" \
    -D "$WORK/postgres/data" -m immediate stop >/dev/null 2>&1 || true
  as_root rm -rf "$WORK"
}
trap stop EXIT
PORT=18432 DIR="$WORK/postgres" tests/interop/postgres/up.sh >/dev/null
CONNKIT_POSTGRES="host=127.0.0.1 port=18432 user=connkit" \
  cargo run --quiet --release -p connkit-interop --bin store-bench
