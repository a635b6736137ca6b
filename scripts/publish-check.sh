#!/usr/bin/env bash
# Publish readiness, as CI runs it:
# 1. the declared rust-version (MSRV) is the compiler everything builds with;
# 2. the dependencies' licences and bans (deny.toml), by cargo-deny;
# 3. the docs as docs.rs builds them (every feature, --cfg docsrs, nightly rustdoc);
# 4. each front end's dependencies stay behind its feature (cargo tree);
# 5. every publishable crate packaged and verified in dependency order (cargo publish --dry-run).
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. The MSRV. rust-toolchain.toml pins the compiler every other step uses; it must be the one
# Cargo.toml declares, so that every build, lint and test in CI is the MSRV build.
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)
channel=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
case "$channel" in
  "$msrv" | "$msrv".*) ;;
  *) echo "rust-toolchain.toml pins $channel, but Cargo.toml declares rust-version $msrv" >&2; exit 1 ;;
esac
rustc_version=$(rustc --version)
case "$rustc_version" in
  "rustc $msrv"[.\ ]*) ;;
  *) echo "the MSRV build needs rustc $msrv; found $rustc_version" >&2; exit 1 ;;
esac
cargo check --quiet --workspace --all-targets --all-features
echo "MSRV: the workspace builds with $rustc_version, as rust-version = \"$msrv\" declares"

# 2. Licences and bans.
command -v cargo-deny >/dev/null || cargo install cargo-deny --locked --version 0.20.2
cargo deny --all-features check --hide-inclusion-graph licenses bans

# 3. docs.rs: nightly rustdoc (the machine's nightly, or the pinned compiler told to allow its
# nightly features), every feature, --cfg docsrs.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi
RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo "${toolchain[@]}" doc --quiet -p connkit \
  --all-features --no-deps
unset RUSTC_BOOTSTRAP
# Each macro's page shows every key of its table (macros/docs/<macro>.md; the inputs' keys on
# the OAuth2 page).
for page in attr.oauth2_connection:oauth2_connection attr.oauth2_connection:inputs \
  attr.api_key_connection:api_key_connection attr.basic_auth_connection:basic_auth_connection \
  attr.key_pair_connection:key_pair_connection attr.client_credentials_connection:client_credentials_connection \
  attr.jwt_bearer_connection:jwt_bearer_connection \
  macro.app:app; do
  html="target/doc/connkit/${page%%:*}.html"
  for key in $(sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' "macros/docs/${page#*:}.md"); do
    grep -q "<code>$key</code>" "$html" || { echo "$html does not show the key \`$key\`" >&2; exit 1; }
  done
done
echo "docs: built as docs.rs builds them; each macro's page shows every key of its table"

# 4. A front end's dependencies come only with its feature.
tree() {
  # shellcheck disable=SC2068 # the flags are words
  cargo tree --quiet -p connkit -e normal --prefix none --format '{p}' $@ | cut -d' ' -f1 | sort -u
}
refuse() {
  local features=$1; shift
  local found
  # shellcheck disable=SC2086
  found=$(tree --no-default-features $features | grep -xE "$(IFS='|'; echo "$*")" || true)
  if [ -n "$found" ]; then
    echo "connkit with '${features:-no features}' depends on: $found" >&2
    exit 1
  fi
}
front_ends=(clap axum rusqlite tokio-postgres deadpool-postgres reqwest ureq rustix)
refuse "" "${front_ends[@]}" aws-lc-rs tokio
refuse "--features reqwest" clap axum rusqlite tokio-postgres ureq rustix
refuse "--features store" clap axum rusqlite tokio-postgres reqwest ureq rustix
refuse "--features sqlite" clap axum tokio-postgres reqwest ureq rustix
refuse "--features postgres" clap axum rusqlite reqwest ureq rustix
refuse "--features axum" clap rusqlite tokio-postgres reqwest ureq rustix
refuse "--features cli" axum tokio-postgres ureq
# Signing brings aws-lc-rs only: no runtime, no front end.
refuse "--features jwt" "${front_ends[@]}" tokio
echo "front ends: clap, axum, the database drivers and the HTTP adapters each come only with their feature"

# 5. Package and verify each publishable crate, in dependency order (cargo resolves each
# against the ones packaged before it).
# The verification unpacks each packaged crate into cargo's registry sources and builds it as a
# registry crate, which cargo never rebuilds for a change of content at the same version: a copy
# or a build left by an earlier run (same version, older code) would be verified instead. So the
# copies are removed, and the verification builds in a directory of its own, from nothing.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/connkit-*-[0-9]* target/publish-check
CARGO_TARGET_DIR=target/publish-check cargo publish --dry-run --workspace --locked
