#!/usr/bin/env bash
# Installs what the build and tests need, idempotently: each step is skipped when its
# tool is already there at the right version. Nothing is downloaded outside the package
# registries (crates.io, npm, Debian): wasm-pack's own downloads fail on this network.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null; then
  say "cargo install wasm-pack"
  cargo install wasm-pack --locked
fi

# The CLI must equal the crate's pinned wasm-bindgen. No --locked: its lock file names
# a crate version the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# Fuzzing (make test-fuzz) runs cargo-fuzz on the nightly toolchain.
if ! rustup toolchain list | grep -q '^nightly'; then
  say "rustup toolchain install nightly"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo install cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

if ! command -v wasm-opt >/dev/null; then
  say "npm install -g binaryen (wasm-opt)"
  npm install -g binaryen --no-audit --no-fund
fi

if [ "${SKIP_BROWSER:-}" != 1 ] && { ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; }; then
  say "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# openssl: tests/js/support/tls.mjs makes the CA and certificates of the client-certificate tests.
if ! command -v openssl >/dev/null; then
  say "apt-get install openssl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openssl >/dev/null
fi

# A CJK font, so the debugging page's Chinese labels render in headless screenshots.
if [ "${SKIP_BROWSER:-}" != 1 ] && command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  say "apt-get install fonts-wqy-microhei"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq fonts-wqy-microhei >/dev/null || say "no CJK font installed: screenshots will show boxes for Chinese"
fi

# PostgreSQL for the example server's shared store (examples/node-server/test/postgres.mjs
# runs its own server from these binaries: initdb into a temp folder, a loopback port).
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  say "apt-get install postgresql"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# Python `cryptography`: the independent v3 client in examples/node-server/test/v3_client.py.
if command -v python3 >/dev/null && ! python3 -c 'import cryptography' 2>/dev/null; then
  say "pip install cryptography"
  python3 -m pip install --quiet cryptography || say "no cryptography: the Python v3 client test will skip"
fi

# npm folders with their own lock files: install only when node_modules is missing or
# older than the lock file.
for dir in tests/js www/tests bench examples/node-server; do
  [ -f "$dir/package.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    say "npm install in $dir"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
done

# The runtimes and bundlers of `make test-runtimes` (issue 14): Deno, Bun, wrangler (workerd),
# esbuild, Vite and playwright-core, pinned in tests/runtimes/package.json; each ships its
# binary inside an npm package, so nothing is downloaded from elsewhere.
if [ ! -d tests/runtimes/node_modules ] || [ tests/runtimes/package-lock.json -nt tests/runtimes/node_modules ]; then
  say "npm install in tests/runtimes"
  (cd tests/runtimes && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
fi
