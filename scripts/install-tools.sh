#!/usr/bin/env bash
# Installs every tool the build and the tests need that a fresh machine (Rust, Node/npm,
# Python, apt) lacks, and skips each one already present at the right version, so a warm run
# spends no time here.
set -euo pipefail
cd "$(dirname "$0")/.."

BINARYEN_VERSION=132
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '[tools] %s\n' "$*"; }

# `--build-only`: just what building dist/ needs (steps 1-4), for the GitHub Pages workflow.
build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version Cargo.lock pins (the CLI and the crate must agree).
want_wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$want_wb" ]; then
  say "installing wasm-bindgen-cli $want_wb (have: ${have_wb:-none})"
  # Not --locked: its lockfile pins a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli@"$want_wb" --force
fi

# 3. wasm-split-cli, which cuts the release wasm at its `#[lazy]` split points
# (scripts/build_web.py). It prints no version: cargo's install list tells.
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v${WASM_SPLIT_VERSION}:"; then
  say "installing wasm-split-cli (wasm_split_cli_support ${WASM_SPLIT_VERSION})"
  cargo install --locked wasm_split_cli_support@"$WASM_SPLIT_VERSION" --features build-binary --force
fi

# 4. npm packages: wasm-opt from binaryen (Debian's wasm-opt 108 silently breaks the app),
# esbuild (minifies the release JavaScript and CSS), and
# the aedes broker with ws for the interop tests. `npm ls` fails when a package is missing
# or differs from package.json's exact pins.
if ! wasm-opt --version 2>/dev/null | grep -q "version_${BINARYEN_VERSION}" \
  || ! npm ls --depth=0 >/dev/null 2>&1; then
  say "installing npm packages (binaryen ${BINARYEN_VERSION}, esbuild, aedes, ws, the benchmarks' peers)"
  npm ci --no-audit --no-fund
fi

$build_only && exit 0

# 5. Debian packages: the broker and its clients, the browser and its driver, and a QR code
#    reader (the e2e suite scans the share dialog's QR code as a phone would).
missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
# Debian's python3 makes venvs only with python3-venv (which brings ensurepip).
python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# 6. amqtt (PyPI), a 3.1.1 broker for the interop tests, in a venv of its own. The copy of
# the requirements kept in the venv tells whether it holds exactly the pinned set.
AMQTT_REQUIREMENTS=scripts/brokers/amqtt-requirements.txt
if ! cmp -s "$AMQTT_REQUIREMENTS" .venv-brokers/requirements.txt; then
  say "installing amqtt into .venv-brokers ($(grep '^amqtt==' "$AMQTT_REQUIREMENTS"))"
  rm -rf .venv-brokers
  python3 -m venv .venv-brokers
  # --no-deps: the file pins every dependency, so nothing unpinned can come in.
  .venv-brokers/bin/pip install --quiet --no-deps --disable-pip-version-check \
    -r "$AMQTT_REQUIREMENTS"
  cp "$AMQTT_REQUIREMENTS" .venv-brokers/requirements.txt
fi

# 7. rumqttd (crates.io), a 5.0 broker for the interop tests, built from
# scripts/brokers/rumqttd with its own lockfile (rumqttd's own no longer builds). The stamp
# is a hash of the package, so any change to it reinstalls.
rumqttd_stamp=$(cat scripts/brokers/rumqttd/Cargo.toml scripts/brokers/rumqttd/Cargo.lock \
  scripts/brokers/rumqttd/src/*.rs | sha256sum | cut -d' ' -f1)
if [ ! -x .tools/bin/tablero-rumqttd ] \
  || [ "$(cat .tools/tablero-rumqttd.stamp 2>/dev/null)" != "$rumqttd_stamp" ]; then
  say "building rumqttd ($(awk -F'"' '/^rumqttd = /{print $2}' scripts/brokers/rumqttd/Cargo.toml)); this takes a few minutes"
  build_dir=$(mktemp -d)
  cargo install --locked --force --path scripts/brokers/rumqttd --root .tools \
    --target-dir "$build_dir"
  rm -rf "$build_dir"
  echo "$rumqttd_stamp" > .tools/tablero-rumqttd.stamp
fi
say "all tools present"
