#!/usr/bin/env bash
# Runs every test of the workspace against real servers on loopback: installs what is missing
# (Debian's glewlwyd, sqlite3, curl, openssl, faketime, postgresql, chromium, nodejs and npm
# through apt-get, as root or with sudo; the pinned oidc-provider and playwright-core through
# npm ci), starts oidc-provider
# on 127.0.0.1:18081 and, with its own login and consent pages, on 127.0.0.1:18082 (the browser
# tests serve the connect flow on 127.0.0.1:18095), glewlwyd on 127.0.0.1:18083 and a throwaway
# PostgreSQL cluster with TLS on 127.0.0.1:18432 (the restart test starts its own on 18433), runs
# `cargo test --workspace` with the tests that need them included (they are #[ignore]d under a
# bare `cargo test`), and stops them. Extra arguments go to `cargo test` (before its `--`).
set -euo pipefail
cd "$(dirname "$0")/.."

OIDC_PORT=18081
OIDC_INTERACTIVE_PORT=18082
WEB_PORT=18095
GLEWLWYD_PORT=18083
POSTGRES_PORT=18432
POSTGRES_RESTART_PORT=18433
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$WORK/postgres/data/postmaster.pid" ]; then
    as_root runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" \
      -D "$WORK/postgres/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  as_root rm -rf "$WORK"
}
trap cleanup EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
command -v glewlwyd >/dev/null || missing+=(glewlwyd)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || missing+=(faketime)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
(cd tests/interop/oidc-provider && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/interop/browser && npm ci --no-audit --no-fund --loglevel=error)

for port in $OIDC_PORT $OIDC_INTERACTIVE_PORT $WEB_PORT $GLEWLWYD_PORT $POSTGRES_PORT $POSTGRES_RESTART_PORT; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port on 127.0.0.1 is already in use; stop what listens there first" >&2
    exit 1
  fi
done

wait_for() { # name url log
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null "$2" && return 0
    sleep 0.1
  done
  echo "$1 did not start; its log:" >&2
  cat "$3" >&2
  exit 1
}

PORT=$OIDC_PORT node tests/interop/oidc-provider/server.mjs > "$WORK/oidc-provider.log" 2>&1 &
PIDS+=($!)
wait_for oidc-provider "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration" "$WORK/oidc-provider.log"
echo "oidc-provider up on http://127.0.0.1:$OIDC_PORT"

PORT=$OIDC_INTERACTIVE_PORT INTERACTIVE=1 ISSUER_HOST=localhost WEB_REDIRECT_URIS="http://127.0.0.1:$WEB_PORT/callback" \
  node tests/interop/oidc-provider/server.mjs > "$WORK/oidc-provider-interactive.log" 2>&1 &
PIDS+=($!)
wait_for "oidc-provider (interactive)" "http://127.0.0.1:$OIDC_INTERACTIVE_PORT/.well-known/openid-configuration" \
  "$WORK/oidc-provider-interactive.log"
echo "oidc-provider (interactive) up on http://127.0.0.1:$OIDC_INTERACTIVE_PORT"

mkdir -p "$WORK/glewlwyd"
PORT=$GLEWLWYD_PORT DIR="$WORK/glewlwyd" tests/interop/glewlwyd/up.sh
PIDS+=("$(cat "$WORK/glewlwyd/glewlwyd.pid")")

# The server runs as Debian's `postgres` user, which must be able to reach its directory.
chmod 711 "$WORK"
PORT=$POSTGRES_PORT DIR="$WORK/postgres" tests/interop/postgres/up.sh
export CONNKIT_POSTGRES="host=127.0.0.1 port=$POSTGRES_PORT user=connkit"
export CONNKIT_POSTGRES_TLS="$WORK/postgres/tls"

# The interop tests need the servers above; here they run, and one that cannot reach its server
# fails.
cargo test --workspace "$@" -- --include-ignored
