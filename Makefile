# The two commands README promises:
#   make demo  — build the package and serve the debugging page under www/
#   make test  — install what is missing, then run every test (the lint gate first)
# and the fast loop of CONTRIBUTING.md:
#   make check — the lint gate, the Rust tests and the JS unit suites against a debug build
# Everything else here is a step of those. Set-up comes in layers, each installing only what
# is missing and printing one line per tool: setup-pkg (what building pkg/ needs), setup-check
# (+ the lint tools and the unit suites' needs), setup (+ browsers, PostgreSQL, nightly, …).

export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080
BIOME := node_modules/.bin/biome
# The debug build of make check: debug wasm, no wasm-opt, the same pkg/ layout.
PKG_DEV ?= node scripts/build-pkg.mjs --dev
# The JS unit suites of make check: tests/js without the load test and the packed tarball's
# (npm pack, tsc), the differential and fault suites at smaller counts (make test-js runs all of
# it at full counts).
JS_UNIT := $(filter-out load.test.mjs package.test.mjs,$(notdir $(wildcard tests/js/*.test.mjs tests/js/*.test.cjs)))
JS_UNIT_COUNTS := DIFF_SETS=100 DIFF_CASES=150 CLIENT_V2_ORDERS=100 CLIENT_V3_ORDERS=50

.PHONY: demo test check setup setup-check setup-pkg lint lint-fmt lint-biome lint-clippy pkg pkg-dev test-rust test-wasm test-js test-js-unit test-runtimes test-www test-e2e test-fuzz test-load-full test-bench-check bench clean

demo: pkg
	node www/serve.mjs --port $(PORT)

test: setup lint test-rust pkg test-wasm test-js test-runtimes test-www test-e2e test-bench-check test-fuzz
	@echo "make test: all suites passed"

check: setup-check lint test-rust pkg-dev test-js-unit
	@echo "make check: lint, Rust tests and JS unit suites passed (debug build in pkg/; make pkg for a release one)"

# Each layer's script runs the layers below it when run on its own; here make has already run
# them (SETUP_LOWER_DONE=1), so each layer runs once per make.
setup-pkg:
	@bash scripts/setup-pkg.sh

setup-check: setup-pkg
	@SETUP_LOWER_DONE=1 bash scripts/setup-check.sh

setup: setup-check
	@SETUP_LOWER_DONE=1 bash scripts/setup.sh

# The lint gate: formatting (rustfmt, Biome) and lints (clippy, Biome), never writing a file.
# clippy's too_many_lines (80, clippy.toml) is pedantic, so it is named here, for the library
# only (native and wasm32): tests are exempt. `make -k lint` runs every step past a failure.
lint: setup-check lint-fmt lint-biome lint-clippy

lint-fmt:
	cargo fmt --check

lint-biome:
	$(BIOME) ci --error-on-warnings

lint-clippy:
	cargo clippy --locked --all-features --lib -- -D warnings -W clippy::too_many_lines
	cargo clippy --locked --all-features --tests --benches --examples -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --all-features -- -D warnings -W clippy::too_many_lines

pkg: setup-pkg
	node scripts/build-pkg.mjs

pkg-dev: setup-pkg
	$(PKG_DEV)

test-rust:
	cargo test --locked --all-features

# The same Rust tests, compiled to wasm, in Node and in headless Chromium.
# WASM_BINDGEN_USE_BROWSER=1: without it the Chromium run skips every test not marked
# run_in_browser, i.e. all of them.
test-wasm:
	wasm-pack test --node -- --locked
	WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome -- --locked

test-js:
	cd tests/js && node --test --test-reporter=spec

# tests/js's fast suites (JS_UNIT above), against whatever pkg/ holds (make check builds a debug one).
test-js-unit:
	cd tests/js && $(JS_UNIT_COUNTS) node --test --test-concurrency=2 --test-reporter=dot $(JS_UNIT)

# The portable suite (tests/runtimes/suite) in Node CJS and ESM, Deno, Bun, workerd (wrangler
# dev), Chromium (the web build) and Chromium bundles made by esbuild and Vite, from the packed
# package; fails unless every runtime reports the same tests and none failed. RUNTIMES=deno
# (a prefix list) runs some only.
test-runtimes: pkg
	node tests/runtimes/run.mjs $(RUNTIMES)

# The debugging page in headless Chromium; the tests start www/serve.mjs on a free
# loopback port themselves. Screenshots land in tests/artifacts/screenshots/.
test-www:
	cd www/tests && node --test --test-reporter=spec

# The mock (pkg/cli, the package's bin) and the example merchant server, on loopback ports.
test-e2e:
	cd examples/node-server && node --test --test-reporter=spec test/*.test.mjs

# Bounded fuzzing, FUZZ_SECONDS per target (default 40; 3600 for a release).
test-fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The load test at the issue's full 1,000,000 calls per function (test-js runs 200,000).
test-load-full: pkg
	cd tests/js && LOAD_CALLS=1000000 node --test --test-reporter=spec load.test.mjs

# The benchmark's cross-checks only (every peer returns what we return); no timing.
test-bench-check:
	node --test --test-reporter=spec bench/check.mjs

# Medians and ratios against the Node SDKs (see bench/run.mjs); prints, never asserts.
bench: setup pkg
	node bench/run.mjs

clean:
	rm -rf pkg target
