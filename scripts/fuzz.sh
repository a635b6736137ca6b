#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ for SECONDS each (default 30), starting from the seeds
# in fuzz/corpus/<target> (real token responses, callbacks and names) and from what earlier runs
# added there. Prints each target's executions. A crash fails the run; libFuzzer writes the
# input to fuzz/artifacts/<target>/, and it becomes a regression test.
#
#   scripts/fuzz.sh          # 30 s per target, as CI runs it
#   scripts/fuzz.sh 3600     # a longer run: an hour per target
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
# cargo fuzz needs a nightly compiler (sanitizer and coverage flags). The machine image has one;
# where it does not, the pinned compiler is asked for its nightly features instead.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  TOOLCHAIN=(+nightly)
else
  TOOLCHAIN=()
  export RUSTC_BOOTSTRAP=1
fi

cd fuzz
for target in token_response callback rules store_record inputs; do
  mkdir -p "corpus/$target"
  # The seeds stay as committed; new inputs a run finds go to a scratch corpus.
  work=$(mktemp -d)
  cargo "${TOOLCHAIN[@]}" fuzz build -O "$target" >/dev/null 2>&1 || cargo "${TOOLCHAIN[@]}" fuzz build -O "$target"
  log=$(mktemp)
  if ! cargo "${TOOLCHAIN[@]}" fuzz run -O "$target" "$work" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  echo "fuzz target $target: $runs executions in ${SECONDS_PER_TARGET} s, no crash"
  rm -rf "$work" "$log"
done
