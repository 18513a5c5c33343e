#!/usr/bin/env bash
# Installs every tool the build and the tests need that a fresh machine (Rust, Node/npm,
# Python, apt) lacks, and skips each one already present at the right version, so a warm run
# spends no time here.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
BINARYEN_VERSION=132
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '[tools] %s\n' "$*"; }

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

# 3. Trunk. It declares a newer rust-version than it needs; it builds and runs on 1.95.
have_trunk=$(trunk --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_trunk" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (have: ${have_trunk:-none}); this takes several minutes"
  cargo install --locked trunk@"$TRUNK_VERSION" --ignore-rust-version --force
fi

# 4. wasm-opt from npm binaryen (Debian's wasm-opt 108 silently breaks the app).
if ! wasm-opt --version 2>/dev/null | grep -q "version_${BINARYEN_VERSION}"; then
  say "installing npm packages (binaryen ${BINARYEN_VERSION})"
  npm ci --no-audit --no-fund
fi

# 5. Debian packages: the broker and its clients, the browser and its driver.
missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
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
say "all tools present"
