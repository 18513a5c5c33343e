#!/usr/bin/env bash
# Runs each cargo-fuzz target of the codec for a bounded time (`make fuzz`).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   default: 60 seconds for each of decode_raw, stream_split, round_trip, session,
#   config_import, share_link, json_reader.
#
# cargo-fuzz needs nightly-only compiler flags (sanitizers); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them, so no nightly toolchain has to be installed. The committed
# seed corpus (crates/mqtt-codec-wasm/fuzz/corpus/<target>) is read only; what the fuzzer
# finds goes to fuzz/target/corpus/<target>, so the curated seeds stay curated. A crash
# leaves its input in fuzz/artifacts/<target>/ and fails the script.
set -euo pipefail

seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(decode_raw stream_split round_trip session config_import share_link json_reader)
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_dir="$root/crates/mqtt-codec-wasm/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz not found; installing it (a few minutes, once)" >&2
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
cd "$fuzz_dir"
cargo fuzz build

failed=()
for target in "${targets[@]}"; do
  work="$fuzz_dir/target/corpus/$target"
  mkdir -p "$work"
  echo "=== $target: ${seconds}s" >&2
  if ! cargo fuzz run "$target" "$work" "$fuzz_dir/corpus/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1; then
    failed+=("$target")
  fi
done

if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz targets failed: ${failed[*]} (inputs in $fuzz_dir/artifacts/)" >&2
  exit 1
fi
echo "all fuzz targets ran ${seconds}s without a failure" >&2
