#!/usr/bin/env bash
# The build layer (`make pkg` runs it before building): only what scripts/build-pkg.mjs needs.
# It runs cargo, wasm-bindgen and wasm-opt itself (not wasm-pack, which only `make test-wasm`
# uses) and bundles with the root package.json's dev dependencies. No apt-get, no browser, no
# database, no nightly toolchain. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
LAYER=pkg
. scripts/setup-lib.sh

WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
say "the build layer: the wasm32 target, wasm-bindgen-cli $WB_VERSION, wasm-opt (binaryen), the root package.json's dev dependencies"

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  have "the wasm32-unknown-unknown target (rustup)"
else
  install "the wasm32-unknown-unknown target (rustup target add)"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the crate's pinned wasm-bindgen. No --locked: its lock file names
# a crate version the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WB_VERSION" ]; then
  have "wasm-bindgen-cli $WB_VERSION"
else
  install "wasm-bindgen-cli $WB_VERSION (cargo install, a few minutes)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if command -v wasm-opt >/dev/null; then
  have "wasm-opt ($(wasm-opt --version))"
else
  install "wasm-opt (npm install -g binaryen)"
  npm install -g binaryen --no-audit --no-fund --loglevel=error
fi

npm_folder .
