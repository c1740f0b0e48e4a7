#!/usr/bin/env bash
# Everything `make test` needs, in layers: the build layer (scripts/setup-pkg.sh, what `make pkg`
# installs), the fast loop's (scripts/setup-check.sh, `make check`), then the test tools below:
# wasm-pack, the nightly toolchain and cargo-fuzz, Debian's chromium, a CJK font and
# PostgreSQL, Python's cryptography, and the other npm test folders. Idempotent: each step is
# skipped when its tool is already there at the right version, and prints one line saying so.
# Nothing is downloaded outside the package registries (crates.io, npm, PyPI, Debian):
# wasm-pack's own downloads fail on this network. apt waits for a lock another process holds
# (scripts/setup-lib.sh). SKIP_BROWSER=1 leaves out chromium and the font.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SETUP_LOWER_DONE:-}" = 1 ] || bash scripts/setup-check.sh
LAYER=test
. scripts/setup-lib.sh

say "the test layer: wasm-pack, nightly + cargo-fuzz, chromium + chromium-driver, a CJK font, PostgreSQL, Python cryptography, the npm test folders"

# make test-wasm runs the Rust tests compiled to wasm with wasm-pack (make pkg does not need it).
if command -v wasm-pack >/dev/null; then
  have "wasm-pack ($(wasm-pack --version | awk '{print $2}'))"
else
  install "wasm-pack (cargo install)"
  cargo install wasm-pack --locked
fi

# Fuzzing (make test-fuzz) runs cargo-fuzz on the nightly toolchain.
if rustup toolchain list | grep -q '^nightly'; then
  have "the nightly toolchain (rustup)"
else
  install "the nightly toolchain (rustup toolchain install, minimal profile)"
  rustup toolchain install nightly --profile minimal
fi
if cargo fuzz --version >/dev/null 2>&1; then
  have "cargo-fuzz"
else
  install "cargo-fuzz (cargo install)"
  cargo install cargo-fuzz --locked
fi

if [ "${SKIP_BROWSER:-}" = 1 ]; then
  say "skip    chromium and the CJK font (SKIP_BROWSER=1)"
else
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    have "chromium and chromium-driver (Debian)"
  else
    install "chromium and chromium-driver (apt-get, Debian)"
    apt_install chromium chromium-driver
  fi
  # A CJK font, so the debugging page's Chinese labels render in headless screenshots.
  if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; then
    have "a CJK font"
  else
    install "fonts-wqy-microhei (apt-get, Debian)"
    apt_install fonts-wqy-microhei || say "no CJK font installed: screenshots will show boxes for Chinese"
  fi
fi

# PostgreSQL for the example server's shared store (examples/node-server/test/postgres.mjs
# runs its own server from these binaries: initdb into a temp folder, a loopback port).
if compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  have "PostgreSQL (Debian)"
else
  install "postgresql (apt-get, Debian, no recommends)"
  apt_install --no-install-recommends postgresql
fi

# Python `cryptography`: the independent v3 client in examples/node-server/test/v3_client.py.
if ! command -v python3 >/dev/null; then
  say "skip    Python cryptography (no python3: the Python v3 client test will skip)"
elif python3 -c 'import cryptography' 2>/dev/null; then
  have "Python cryptography"
else
  install "Python cryptography (pip)"
  python3 -m pip install --quiet cryptography || say "no cryptography: the Python v3 client test will skip"
fi

# The npm test folders, each with its own lock file. tests/runtimes holds the runtimes and
# bundlers of `make test-runtimes` (Deno, Bun, wrangler/workerd, esbuild, Vite,
# playwright-core), each shipping its binary inside an npm package.
for dir in www/tests bench examples/node-server tests/runtimes; do
  npm_folder "$dir"
done
