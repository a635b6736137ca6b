#!/usr/bin/env bash
# Every benchmark of bench/, measured in one run, printed as one table: compile time and peak
# memory against the hand-written floor, the proc-macro crate's clean build against syn alone
# and thiserror-impl (as a dependency and as a workspace member), instructions per operation
# (callgrind) and time per operation (criterion) against oauth2-rs, and code exchanges per
# second (each script's own table goes to stderr as it runs). It needs GNU time, valgrind, bc
# and python3.
#
#   bench/run.sh       # N = 50 200 1000, 3 rounds; 3 clean builds; 2000 operations
#   bench/run.sh "50 200 1000" 3 3 2000
#   BENCH_SECONDS=1 bench/run.sh    # shorter criterion measurements (3 s each by default)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p target
export BENCH_ROWS=$PWD/target/rows.md
: > "$BENCH_ROWS"
./compile-time.sh "${1:-50 200 1000}" "${2:-3}" >&2
./macro-build.sh "${3:-3}" >&2
./runtime.sh "${4:-2000}" >&2
printf "| measurement | connkit | comparison | comparison's | connkit / comparison |\n"
printf "|---|---|---|---|---|\n"
cat "$BENCH_ROWS"
