#!/usr/bin/env bash
# Compile time of a catalogue declared with connkit's macros against the same data written by
# hand as plain consts (the floor), side by side in one run.
#
# For each N (connections; N/4 apps of 4 connections; one registry) it generates two crates
# under bench/target/compile/, builds their dependencies once, then times `cargo check` of each
# crate ROUNDS times, interleaved (macro, floor, macro, floor, ...), with CARGO_INCREMENTAL=0,
# and prints the median of each, their ratio, and the peak memory of rustc (GNU time's maximum
# resident set size) for the median runs.
#
#   bench/compile-time.sh                 # N = 50 200 1000, 5 rounds
#   bench/compile-time.sh "8 64" 3        # other sizes and rounds
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${1:-"50 200 1000"}
ROUNDS=${2:-5}
OUT=$ROOT/bench/target/compile
export CARGO_TARGET_DIR=$OUT/target CARGO_INCREMENTAL=0
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

manifest() { # name
  cat <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
connkit = { path = "$ROOT/runtime", default-features = false }

[workspace]
TOML
}

generate() { # n
  local n=$1 apps=$(( $1 / 4 )) a c dir
  for kind in macro floor; do
    dir=$OUT/$kind-$n
    mkdir -p "$dir/src"
    manifest "bench-$kind-$n" > "$dir/Cargo.toml"
  done
  {
    echo "#![allow(dead_code)]"
    for ((a = 0; a < apps; a++)); do
      for ((c = 0; c < 4; c++)); do
        cat <<RS
#[connkit::oauth2_connection(
    id = "app-$a-x_connection_oauth2-v$c",
    name = "OAuth2",
    description = "Connection $c of app $a",
    authorize_url = "https://auth.app$a.example/oauth/authorize",
    token_url = "https://auth.app$a.example/oauth/token",
    scopes = ["read", "write", "admin:$c"],
    auth_params = { access_type = "offline" },
)]
pub struct C${a}x$c;
RS
      done
      echo "pub const APP$a: connkit::AppDefinition = connkit::app! {"
      echo "    id: \"app-$a-x\", name: \"App $a\", description: \"App $a\", logo_url: \"https://app$a.example/logo.svg\","
      echo "    connections: [C${a}x0, C${a}x1, C${a}x2, C${a}x3],"
      echo "};"
    done
    echo -n "pub const REGISTRY: connkit::Registry = connkit::registry!["
    for ((a = 0; a < apps; a++)); do echo -n "APP$a, "; done
    echo "];"
  } > "$OUT/macro-$n/src/lib.rs"
  {
    echo "#![allow(dead_code)]"
    echo "use connkit::__private::*;"
    for ((a = 0; a < apps; a++)); do
      for ((c = 0; c < 4; c++)); do
        cat <<RS
pub const C${a}X$c: OAuth2Definition = oauth2(OAuth2Fields {
    id: "app-$a-x_connection_oauth2-v$c", name: "OAuth2", description: "Connection $c of app $a",
    authorize_url: "https://auth.app$a.example/oauth/authorize",
    token_url: "https://auth.app$a.example/oauth/token",
    scopes: &["read", "write", "admin:$c"], scope_delimiter: " ",
    client_id_env: "INTEGRATION_APP_${a}_X_CLIENT_ID", client_secret_env: "INTEGRATION_APP_${a}_X_CLIENT_SECRET",
    client_auth: ClientAuth::Body, client_key_env: "INTEGRATION_APP_${a}_X_CLIENT_KEY", pkce: true,
    auth_params: &[("access_type", "offline")], device_authorization_url: None, par_url: None,
    dpop: false,
    token_headers: &[], refresh_params: &[], redirect_to_localhost_in_development: false,
    issuer: None, require_iss: false, inputs: &[], hosts: &[], any_host: false, refresh_url: None,
    revoke_url: None, token_params: &[], token_request_format: TokenRequestFormat::Form,
    refresh_scopes: false, redirect_uri_on_refresh: false, token_path: None, token_metadata: &[],
    incremental_auth: false,
});
RS
      done
      cat <<RS
pub const APP$a: AppDefinition = app(AppFields {
    id: "app-$a-x", name: "App $a", description: "App $a", logo_url: "https://app$a.example/logo.svg",
    is_published: true, available_for_agent: true, actions: &[], triggers: &[],
    connections: &[ConnectionDefinition::OAuth2(&C${a}X0), ConnectionDefinition::OAuth2(&C${a}X1),
        ConnectionDefinition::OAuth2(&C${a}X2), ConnectionDefinition::OAuth2(&C${a}X3)],
});
RS
    done
    echo -n "pub const REGISTRY: Registry = registry(&["
    for ((a = 0; a < apps; a++)); do echo -n "APP$a, "; done
    echo -n "], &["
    # The lookup table registry! computes, written out: each app's index at the FNV-1a hash of
    # its id, linear probing, 65535 for an empty slot.
    python3 - "$apps" <<'PY'
import sys
apps = int(sys.argv[1])
slots = 1
while slots < 2 * apps:
    slots *= 2
table = [65535] * slots
for a in range(apps):
    h = 0x811C9DC5
    for b in f"app-{a}-x".encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    slot = h & (slots - 1)
    while table[slot] != 65535:
        slot = (slot + 1) & (slots - 1)
    table[slot] = a
print(", ".join(map(str, table)), end="")
PY
    echo "]);"
  } > "$OUT/floor-$n/src/lib.rs"
}

# One timed `cargo check` of a crate whose dependencies are built: seconds and peak KiB.
check() { # dir
  touch "$1/src/lib.rs"
  local stats
  stats=$( { /usr/bin/time -f "%e %M" cargo check -q --manifest-path "$1/Cargo.toml" >/dev/null; } 2>&1 | tail -n 1)
  echo "$stats"
}

median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

printf "| N connections | macro (s) | floor (s) | macro / floor | macro peak (MB) | floor peak (MB) | peak ratio |\n"
printf "|---|---|---|---|---|---|---|\n"
for n in $SIZES; do
  generate "$n"
  for kind in macro floor; do cargo check -q --manifest-path "$OUT/$kind-$n/Cargo.toml"; done
  : > "$OUT/times-$n"
  for ((r = 0; r < ROUNDS; r++)); do
    for kind in macro floor; do echo "$kind $(check "$OUT/$kind-$n")" >> "$OUT/times-$n"; done
  done
  m=$(awk '$1 == "macro" { print $2 }' "$OUT/times-$n" | median)
  f=$(awk '$1 == "floor" { print $2 }' "$OUT/times-$n" | median)
  mm=$(awk '$1 == "macro" { print $3 }' "$OUT/times-$n" | median)
  fm=$(awk '$1 == "floor" { print $3 }' "$OUT/times-$n" | median)
  printf "| %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f |\n" "$n" "$m" "$f" "$(echo "$m / $f" | bc -l)" \
    "$(echo "$mm / 1024" | bc -l)" "$(echo "$fm / 1024" | bc -l)" "$(echo "$mm / $fm" | bc -l)"
  if [ -n "${BENCH_ROWS:-}" ]; then
    printf "| cargo check, N = %s connections (s) | %.2f | hand-written floor | %.2f | %.2f |\n" \
      "$n" "$m" "$f" "$(echo "$m / $f" | bc -l)" >> "$BENCH_ROWS"
    printf "| peak memory of that check, N = %s (MB) | %.0f | hand-written floor | %.0f | %.2f |\n" \
      "$n" "$(echo "$mm / 1024" | bc -l)" "$(echo "$fm / 1024" | bc -l)" "$(echo "$mm / $fm" | bc -l)" >> "$BENCH_ROWS"
  fi
done
