#!/usr/bin/env bash
# Every benchmark of bench/, one after the other, each printing its table: compile time against
# the hand-written floor (sizes and rounds as bench/compile-time.sh takes them), the proc-macro
# crate's clean build against syn alone, and instructions per operation against oauth2-rs.
#
#   bench/run.sh                      # N = 50 200 1000, 3 rounds; 3 clean builds; 2000 operations
set -euo pipefail
cd "$(dirname "$0")"
echo "## Compile time"
./compile-time.sh "${1:-50 200 1000}" "${2:-3}"
echo
echo "## The proc-macro crate's clean build"
./macro-build.sh "${3:-3}"
echo
echo "## Runtime (callgrind)"
./runtime.sh "${4:-2000}"
