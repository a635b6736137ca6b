#!/usr/bin/env bash
# Instructions per operation, connkit against oauth2-rs (and a HashMap for the registry lookup),
# counted by callgrind (repeatable on a machine without hardware counters): each operation runs
# COUNT times, and a run with count 0 (the setup alone) is subtracted. Then the same operations
# timed by criterion (medians; BENCH_SECONDS of measurement each, 3 by default), and code
# exchanges per second against a loopback token endpoint. Ratios measured side by side in one
# run.
#
#   bench/runtime.sh          # 2000 operations each
#   bench/runtime.sh 500
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-2000}
export CARGO_TARGET_DIR=$PWD/bench/target/runtime
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
cargo build -q --release --manifest-path bench/runtime/Cargo.toml
BIN=$CARGO_TARGET_DIR/release/connkit-bench-runtime

instructions() { # operation count
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$2" 2>&1 \
    | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
per_op() { # operation
  local base full
  base=$(instructions "$1" 0)
  full=$(instructions "$1" "$COUNT")
  echo $(( (full - base) / COUNT ))
}

printf "| operation | connkit (instructions) | comparison | comparison (instructions) | connkit / comparison |\n"
printf "|---|---|---|---|---|\n"
row() { # label connkit-op other-op other-label
  local c o
  c=$(per_op "$2")
  o=$(per_op "$3")
  printf "| %s | %s | %s | %s | %.2f |\n" "$1" "$c" "$4" "$o" "$(echo "$c / $o" | bc -l)"
  if [ -n "${BENCH_ROWS:-}" ]; then
    printf "| %s (instructions) | %s | %s | %s | %.2f |\n" "$1" "$c" "$4" "$o" "$(echo "$c / $o" | bc -l)" >> "$BENCH_ROWS"
  fi
}
row "authorize URL with state, PKCE and params" connkit-authorize oauth2-authorize "oauth2 5, client reused"
row "token JSON parse" connkit-token oauth2-token "oauth2 5 BasicTokenResponse via serde_json"
for apps in 10 250 1000; do
  row "Registry::connection(id), $apps apps of 4 connections" "connkit-lookup-$apps" "hashmap-lookup-$apps" "HashMap<&str, _>"
done

# The same operations timed by criterion (benches/time.rs): the median of each, in ns.
cargo bench -q --manifest-path bench/runtime/Cargo.toml --bench time -- \
  --noplot --warm-up-time 1 --measurement-time "${BENCH_SECONDS:-3}" >&2
median_ns() { # group operation
  python3 -c 'import json, sys; print("%.1f" % json.load(open(sys.argv[1]))["median"]["point_estimate"])' \
    "$CARGO_TARGET_DIR/criterion/$1/$2/new/estimates.json"
}
printf "\n| operation | connkit (ns) | comparison | comparison (ns) | connkit / comparison |\n|---|---|---|---|---|\n"
timed() { # label group connkit-op other-op other-label
  local c o
  c=$(median_ns "$2" "$3")
  o=$(median_ns "$2" "$4")
  printf "| %s | %s | %s | %s | %.2f |\n" "$1" "$c" "$5" "$o" "$(echo "$c / $o" | bc -l)"
  if [ -n "${BENCH_ROWS:-}" ]; then
    printf "| %s (ns, criterion median) | %s | %s | %s | %.2f |\n" "$1" "$c" "$5" "$o" "$(echo "$c / $o" | bc -l)" >> "$BENCH_ROWS"
  fi
}
timed "authorize URL with state, PKCE and params" authorize connkit-authorize oauth2-authorize "oauth2 5, client reused"
timed "token JSON parse" token connkit-token oauth2-token "oauth2 5 BasicTokenResponse via serde_json"
for apps in 10 250 1000; do
  timed "Registry::connection(id), $apps apps of 4 connections" "lookup-$apps" "connkit-lookup-$apps" "hashmap-lookup-$apps" "HashMap<&str, _>"
done

# Code exchanges per second against a loopback token endpoint (HTTP/1.1, keep-alive), each
# library with its own reqwest client, one after the other: a time, so the median of 5
# interleaved rounds. Higher is better.
median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
: > "$CARGO_TARGET_DIR/exchanges"
for ((r = 0; r < 5; r++)); do
  for lib in connkit oauth2; do echo "$lib $("$BIN" "$lib-exchanges" 3000)" >> "$CARGO_TARGET_DIR/exchanges"; done
done
c=$(awk '$1 == "connkit" { print $2 }' "$CARGO_TARGET_DIR/exchanges" | median)
o=$(awk '$1 == "oauth2" { print $2 }' "$CARGO_TARGET_DIR/exchanges" | median)
printf "| code exchanges per second, loopback | %s | oauth2 5 with its reqwest | %s | %.2f |\n" "$c" "$o" "$(echo "$c / $o" | bc -l)"
if [ -n "${BENCH_ROWS:-}" ]; then
  printf "| code exchanges per second, loopback (higher is better) | %s | oauth2 5 with its reqwest | %s | %.2f |\n" \
    "$c" "$o" "$(echo "$c / $o" | bc -l)" >> "$BENCH_ROWS"
fi
