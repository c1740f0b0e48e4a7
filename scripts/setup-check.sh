#!/usr/bin/env bash
# The fast loop's layer (`make check`, `make lint`), on top of the build layer: the lint tools
# and what the Rust tests and the JS unit suites need. No browser, no database, no nightly
# toolchain. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SETUP_LOWER_DONE:-}" = 1 ] || bash scripts/setup-pkg.sh
LAYER=check
. scripts/setup-lib.sh

say "the check layer: rustfmt and clippy, openssl, tests/js's dev dependencies (Biome is the root package.json's)"

for component in rustfmt clippy; do
  if rustup component list --installed | grep -q "^$component"; then
    have "$component (rustup component)"
  else
    install "$component (rustup component add)"
    rustup component add "$component"
  fi
done

# openssl: tests/js/support/tls.mjs makes the CA and certificates of the client-certificate tests.
if command -v openssl >/dev/null; then
  have "openssl ($(openssl version | awk '{print $1, $2}'))"
else
  install "openssl (apt-get, Debian)"
  apt_install openssl
fi

npm_folder tests/js
