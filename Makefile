# The two commands README promises:
#   make demo  — build the package and serve the debugging page under www/
#   make test  — install what is missing, then run every test
# Everything else here is a step of those two.

export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: demo test setup pkg test-rust test-wasm test-js test-bench-check bench clean

demo: setup pkg
	node www/serve.mjs --port $(PORT)

test: setup test-rust pkg test-wasm test-js test-bench-check
	@echo "make test: all suites passed"

setup:
	@bash scripts/setup.sh

pkg:
	node scripts/build-pkg.mjs

test-rust:
	cargo test --locked

# The same Rust tests, compiled to wasm, in Node and in headless Chromium.
test-wasm:
	wasm-pack test --node -- --locked
	wasm-pack test --headless --chrome -- --locked

test-js:
	cd tests/js && node --test --test-reporter=spec

# The benchmark's cross-checks only (every peer returns what we return); no timing.
test-bench-check:
	node --test --test-reporter=spec bench/check.mjs

# Medians and ratios against the Node SDKs (see bench/run.mjs); prints, never asserts.
bench: setup pkg
	node bench/run.mjs

clean:
	rm -rf pkg target
