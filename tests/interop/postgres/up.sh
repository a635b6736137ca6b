#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:$PORT with its files in $DIR, trusting the
# role `connkit` on loopback (tests only). Debian's server binaries run as the `postgres` user.
set -euo pipefail
: "${PORT:?}" "${DIR:?}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_root mkdir -p "$DIR"
as_root chown postgres "$DIR"
as_root runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -A trust -U connkit --no-sync >/dev/null
as_root runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null
as_root runuser -u postgres -- "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U connkit connkit
echo "PostgreSQL up on 127.0.0.1:$PORT (files in $DIR)"
