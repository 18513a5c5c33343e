#!/usr/bin/env bash
# Where the first load's bytes go: twiggy on the wasm-bindgen output *before* wasm-opt (names
# are still there), as a markdown section on stdout. Used by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if ! command -v twiggy >/dev/null 2>&1; then
  cargo install --locked twiggy >&2
fi
raw=target/wasm32-unknown-unknown/release/tablero-app.wasm
out=target/bench-report/size
rm -rf "$out" && mkdir -p "$out/split"
# The first load's module as scripts/build_web.py makes it: cut at the split points (the
# linked wasm carries the relocations the splitter reads, and every chunk's code), then
# wasm-bindgen's output of the main module.
wasm-split-cli --out-name app "$raw" "$out/split" >/dev/null
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" --out-name app "$out/split/app.wasm"
echo "## Where the first load's bytes go"
echo
echo "Command: \`twiggy top -n 20\` on the wasm-bindgen output of the release build's main"
echo "module (the first load, after wasm-split-cli), before wasm-opt (so names remain; sizes are"
echo "before optimisation, larger than what ships)."
echo
echo '```'
twiggy top -n 20 "$out/app_bg.wasm" | grep -v '"function names" subsection'
echo '```'
