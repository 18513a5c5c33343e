#!/usr/bin/env bash
# `make bench`: measures, never asserts. Writes docs/BENCHMARKS.md from this run's figures:
# the codec against rumqttc's mqttbytes (same process, same run), `tablero bench` against
# mosquitto_pub/mosquitto_sub on one loopback broker, the release bundle size, and the time
# from a 1 MB payload's arrival to its paint on each demo widget in headless Chromium against a
# bare page in the same run (scripts/paint-bench.py); then the browser benchmarks of [Speed]:
# ingest against MQTT.js (B1 50 value cards, B2 everything on `#`, B3 latency, B5 memory over
# ten minutes: scripts/ingest-bench.py), the chart against uPlot (B4: scripts/chart-bench.py)
# and the codec in the page against mqtt-packet (B7: scripts/codec-page-bench.py), and the broker
# view with 10,000 retained topics and 5,000 msg/s against a bare WebSocket page doing the same
# DOM work (B9: scripts/explorer-bench.py). B6 is the bundle section, B8 the codec and CLI
# sections. Each browser benchmark runs headless Chromium with no DevTools client on core 0 and
# the broker and publisher on core 1.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench-report docs

cargo bench -p mqtt-codec-wasm --bench codec --locked
python3 crates/mqtt-codec-wasm/benches/report.py target/bench-report/codec.md
python3 scripts/bundle_size.py dist > target/bench-report/bundle.md
scripts/size-report.sh > target/bench-report/size.md
scripts/cli-bench.sh target/bench-report/cli.md
python3 scripts/paint-bench.py target/bench-report/paint.md
python3 scripts/ingest-bench.py target/bench-report/ingest.md
python3 scripts/chart-bench.py target/bench-report/chart.md
python3 scripts/codec-page-bench.py target/bench-report/codec-page.md
python3 scripts/explorer-bench.py target/bench-report/explorer.md

{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\`; every ratio compares against a peer measured in the same run on"
  echo "the same machine. Figures are from the last run, not targets."
  echo
  cat target/bench-report/codec.md
  echo
  echo "The misses that stay, with their profile (instructions per packet under callgrind):"
  echo "[crates/mqtt-codec-wasm/benches/PROFILE.md](../crates/mqtt-codec-wasm/benches/PROFILE.md)."
  echo
  cat target/bench-report/ingest.md
  echo
  cat target/bench-report/chart.md
  echo
  cat target/bench-report/codec-page.md
  echo
  cat target/bench-report/explorer.md
  echo
  cat target/bench-report/cli.md
  echo
  cat target/bench-report/paint.md
  echo
  cat target/bench-report/bundle.md
  echo
  cat target/bench-report/size.md
  echo
  cat docs/benchmarks/first-load.md
} > docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md"
