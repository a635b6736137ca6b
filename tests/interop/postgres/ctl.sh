#!/usr/bin/env bash
# Starts or stops (fast: open connections are closed) the cluster that up.sh made in DIR.
set -euo pipefail
DIR=${1:?usage: ctl.sh DIR start|stop}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
case "${2:?usage: ctl.sh DIR start|stop}" in
  start) as_root runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w start >/dev/null ;;
  stop) as_root runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null ;;
  *) echo "usage: ctl.sh DIR start|stop" >&2; exit 2 ;;
esac
