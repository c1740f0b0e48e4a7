#!/usr/bin/env bash
# Bounded fuzzing: each cargo-fuzz target for a fixed time, from a seed corpus made of the
# shared vectors. Exits non-zero on the first crash, naming the input to replay.
#   scripts/fuzz.sh [seconds-per-target] [target ...]
#   make test-fuzz                      40 s per target (part of `make test`)
#   FUZZ_SECONDS=3600 make test-fuzz    the release run: one hour per target
# Needs the nightly toolchain and cargo-fuzz (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-${FUZZ_SECONDS:-40}}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse_xml verify_notify sign_map decrypt_refund parse_bill v3_keys v3_notify v3_verify v3_parsers v3_json)

node fuzz/seeds.mjs
cargo +nightly fuzz build --fuzz-dir fuzz
mkdir -p fuzz/logs
total=0
for t in "${targets[@]}"; do
  log="fuzz/logs/$t.log"
  echo "[fuzz] $t for ${secs}s"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak or blow-up is a crash.
  if ! cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "[fuzz] $t FAILED. Replay: cargo +nightly fuzz run --fuzz-dir fuzz $t fuzz/artifacts/$t/<crash file>" >&2
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  corpus=$(ls "fuzz/corpus/$t" | wc -l)
  echo "[fuzz] $t: ${runs:-?} executions in ${secs}s, 0 crashes, corpus ${corpus} inputs"
  total=$((total + ${runs:-0}))
done
echo "[fuzz] ${#targets[@]} targets, $total executions, 0 crashes"
