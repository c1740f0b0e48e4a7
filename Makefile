# The two commands README promises:
#   make demo  — build the package and serve the debugging page under www/
#   make test  — install what is missing, then run every test
# Everything else here is a step of those two.

export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: demo test setup pkg test-rust test-wasm test-js test-runtimes test-www test-e2e test-fuzz test-load-full test-bench-check bench clean

demo: setup pkg
	node www/serve.mjs --port $(PORT)

test: setup test-rust pkg test-wasm test-js test-runtimes test-www test-e2e test-bench-check test-fuzz
	@echo "make test: all suites passed"

setup:
	@bash scripts/setup.sh

pkg:
	node scripts/build-pkg.mjs

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
