#!/usr/bin/env bash
# The clean build of the proc-macro crate against syn alone with the same features (what every
# user's first build pays), each in an empty target directory, ROUNDS times interleaved; prints
# the medians and their ratio.
#
#   bench/macro-build.sh        # 3 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${1:-3}
OUT=$ROOT/bench/target/macro-build
mkdir -p "$OUT/syn-alone/src"
syn_line=$(grep '^syn = ' Cargo.toml)
cat > "$OUT/syn-alone/Cargo.toml" <<TOML
[package]
name = "syn-alone"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
proc-macro = true

[dependencies]
$syn_line
quote = "1"
proc-macro2 = "1"

[workspace]
TOML
echo "" > "$OUT/syn-alone/src/lib.rs"
cp Cargo.lock "$OUT/syn-alone/Cargo.lock"

build() { # what
  rm -rf "$OUT/target"
  local start end
  start=$(date +%s.%N)
  if [ "$1" = macros ]; then
    CARGO_TARGET_DIR=$OUT/target cargo build -q -p connkit-macros
  else
    CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/syn-alone/Cargo.toml"
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
: > "$OUT/times"
for ((r = 0; r < ROUNDS; r++)); do
  for what in macros syn; do echo "$what $(build $what)" >> "$OUT/times"; done
done
m=$(awk '$1 == "macros" { print $2 }' "$OUT/times" | median)
s=$(awk '$1 == "syn" { print $2 }' "$OUT/times" | median)
printf "| clean build | connkit-macros (s) | syn alone (s) | ratio |\n|---|---|---|---|\n"
printf "| dev profile, 2 jobs | %.2f | %.2f | %.2f |\n" "$m" "$s" "$(echo "$m / $s" | bc -l)"
