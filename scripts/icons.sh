#!/usr/bin/env bash
# Renders style/icon.svg to the PNG icons the web manifest lists (style/icon-192.png,
# style/icon-512.png) with headless Chromium. The PNGs are committed: run this after changing
# the SVG. (A launcher that cannot use the SVG icon uses these.)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 192 512; do
  printf '<!doctype html><style>html,body{margin:0}img{display:block;width:%spx;height:%spx}</style><img src="%s">' \
    "$size" "$size" "$PWD/style/icon.svg" > "$tmp/icon.html"
  chromium --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --hide-scrollbars \
    --window-size="$size,$size" --screenshot="$PWD/style/icon-$size.png" "file://$tmp/icon.html" 2>/dev/null
done
ls -l style/icon-*.png
