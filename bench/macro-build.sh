#!/usr/bin/env bash
# The clean build of the proc-macro crate against syn alone with the same features (what every
# user's first build pays) and against thiserror-impl (a common derive crate), each in an empty
# target directory, ROUNDS times interleaved; prints the medians and the ratios, for the build
# users get (as a dependency) and for the workspace's own build of it (as a member).
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

# Each built two ways, in an empty target directory:
# - "dependency": as users build it, a dependency of an empty crate (cargo then applies
#   [profile.dev.build-override]: no debuginfo), without incremental compilation, as for a
#   crate from a registry;
# - "member": as this workspace builds its own member (`cargo build -p`): debuginfo and
#   incremental compilation on.
mkdir -p "$OUT/user-macros/src" "$OUT/user-syn/src" "$OUT/user-thiserror/src"
user() { # dir dependency-line
  cat > "$OUT/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2

[workspace]
TOML
  echo "" > "$OUT/$1/src/lib.rs"
  cp Cargo.lock "$OUT/$1/Cargo.lock"
}
user user-macros "connkit-macros = { path = \"$ROOT/macros\" }"
user user-syn "syn-alone = { path = \"$OUT/syn-alone\" }"
user user-thiserror "thiserror-impl = \"2\""

build() { # what mode
  rm -rf "$OUT/target"
  local start end
  start=$(date +%s.%N)
  case "$2-$1" in
    member-macros) CARGO_TARGET_DIR=$OUT/target cargo build -q -p connkit-macros ;;
    member-syn) CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/syn-alone/Cargo.toml" ;;
    member-thiserror) CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/thiserror-impl/Cargo.toml" ;;
    dependency-*) CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$OUT/target cargo build -q --manifest-path "$OUT/user-$1/Cargo.toml" ;;
  esac
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
: > "$OUT/times"
for ((r = 0; r < ROUNDS; r++)); do
  for mode in dependency member; do
    for what in macros syn thiserror; do echo "$mode $what $(build $what $mode)" >> "$OUT/times"; done
  done
done
printf "| clean build, dev profile | connkit-macros (s) | syn alone (s) | thiserror-impl (s) | / syn | / thiserror-impl |\n|---|---|---|---|---|---|\n"
for mode in dependency member; do
  m=$(awk -v m=$mode '$1 == m && $2 == "macros" { print $3 }' "$OUT/times" | median)
  s=$(awk -v m=$mode '$1 == m && $2 == "syn" { print $3 }' "$OUT/times" | median)
  t=$(awk -v m=$mode '$1 == m && $2 == "thiserror" { print $3 }' "$OUT/times" | median)
  printf "| as a %s, medians of %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n" "$mode" "$ROUNDS" "$m" "$s" "$t" \
    "$(echo "$m / $s" | bc -l)" "$(echo "$m / $t" | bc -l)"
  if [ -n "${BENCH_ROWS:-}" ]; then
    printf "| clean build of connkit-macros as a %s (s) | %.2f | syn alone | %.2f | %.2f |\n" "$mode" "$m" "$s" "$(echo "$m / $s" | bc -l)" >> "$BENCH_ROWS"
    printf "| clean build of connkit-macros as a %s (s) | %.2f | thiserror-impl | %.2f | %.2f |\n" "$mode" "$m" "$t" "$(echo "$m / $t" | bc -l)" >> "$BENCH_ROWS"
  fi
done
