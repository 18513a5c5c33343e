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
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name app "$raw"
echo "## Where the first load's bytes go"
echo
echo "Command: \`twiggy top -n 20\` on the wasm-bindgen output of the release build, before"
echo "wasm-opt (so names remain; sizes are before optimisation, larger than what ships)."
echo
echo '```'
twiggy top -n 20 "$out/app_bg.wasm" | grep -v '"function names" subsection'
echo '```'
