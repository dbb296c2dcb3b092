#!/usr/bin/env bash
# Short fuzzing smoke run (about SECONDS_PER_TARGET seconds per target) plus the replay of
# every kept regression input. Meant for CI: `bash fuzz/smoke.sh` from the repository root.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain it runs through
# RUSTC_BOOTSTRAP=1 without a sanitizer. Without cargo-fuzz only the replay runs.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-20}"

cargo test --release

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz not installed: skipping the fuzzing smoke run"
  exit 0
fi
export RUSTC_BOOTSTRAP=1
# Target by target: a plain `cargo fuzz build` would also build the `snapshot_seeds` tool
# with fuzzing instrumentation, which does not link without libFuzzer's main.
for target in compile execute binary_chunk api deserialize; do
  cargo fuzz build -s none -O "$target"
done
cargo run --release --quiet --bin snapshot_seeds -- corpus/deserialize
for target in compile execute binary_chunk api deserialize; do
  mkdir -p "corpus/$target"
  if [ "$target" = compile ] || [ "$target" = execute ]; then
    cp ../tests/adversarial/*.lua "corpus/$target/" 2>/dev/null || true
  fi
  "./target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
    -dict=dict/lua.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$SECONDS_PER_TARGET" -artifact_prefix="artifacts/$target-"
done
