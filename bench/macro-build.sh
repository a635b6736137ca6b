#!/usr/bin/env bash
# The clean build of the proc-macro crate against syn alone with the same features (what every
# user's first build pays) and against thiserror-impl (a common derive crate), each in an empty
# target directory, ROUNDS times interleaved; prints the medians and the ratios.
#
#   bench/macro-build.sh        # 3 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${1:-3}
OUT=$ROOT/bench/target/macro-build
mkdir -p "$OUT/syn-alone/src" "$OUT/thiserror-impl/src"
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
cat > "$OUT/thiserror-impl/Cargo.toml" <<TOML
[package]
name = "thiserror-impl-alone"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
thiserror-impl = "2"

[workspace]
TOML
echo "" > "$OUT/thiserror-impl/src/lib.rs"
cp Cargo.lock "$OUT/thiserror-impl/Cargo.lock"

build() { # what
  rm -rf "$OUT/target"
  local start end
  start=$(date +%s.%N)
  case "$1" in
    macros) CARGO_TARGET_DIR=$OUT/target cargo build -q -p connkit-macros ;;
    syn) CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/syn-alone/Cargo.toml" ;;
    thiserror) CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/thiserror-impl/Cargo.toml" ;;
  esac
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
: > "$OUT/times"
for ((r = 0; r < ROUNDS; r++)); do
  for what in macros syn thiserror; do echo "$what $(build $what)" >> "$OUT/times"; done
done
m=$(awk '$1 == "macros" { print $2 }' "$OUT/times" | median)
s=$(awk '$1 == "syn" { print $2 }' "$OUT/times" | median)
t=$(awk '$1 == "thiserror" { print $2 }' "$OUT/times" | median)
printf "| clean build, dev profile | connkit-macros (s) | syn alone (s) | thiserror-impl (s) | / syn | / thiserror-impl |\n|---|---|---|---|---|---|\n"
printf "| medians of %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n" "$ROUNDS" "$m" "$s" "$t" "$(echo "$m / $s" | bc -l)" "$(echo "$m / $t" | bc -l)"
if [ -n "${BENCH_ROWS:-}" ]; then
  printf "| clean build of connkit-macros (s) | %.2f | syn alone | %.2f | %.2f |\n" "$m" "$s" "$(echo "$m / $s" | bc -l)" >> "$BENCH_ROWS"
  printf "| clean build of connkit-macros (s) | %.2f | thiserror-impl | %.2f | %.2f |\n" "$m" "$t" "$(echo "$m / $t" | bc -l)" >> "$BENCH_ROWS"
fi
