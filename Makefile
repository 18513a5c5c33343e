# The two commands that matter: `make run` and `make test`. Everything installs itself.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:/usr/sbin:$(PATH)
export CARGO_TERM_COLOR := never

.PHONY: all tools build run pages-preview test test-unit test-e2e size lint bench fuzz soak clean

all: build

tools:
	@scripts/install-tools.sh

# Where the release build goes (`make build size DIST=/tmp/other` builds beside dist/).
DIST ?= dist

# The release build of the app into dist/: a first load plus chunks loaded on demand
# (scripts/build_web.py says how).
build: tools
	python3 scripts/build_web.py $(DIST)

# Starts a local mosquitto (TCP and websockets on loopback) and serves the app; prints the URL.
run: build
	cargo build --release --locked -p tablero-cli
	@scripts/run.sh

# The same, with the app under /tablero/ as a GitHub Pages project site serves it.
pages-preview: build
	cargo build --release --locked -p tablero-cli
	@PAGES_PATH=tablero scripts/run.sh

# Every test, from a fresh machine: lint, unit/property/vector/interop tests, then the
# browser end-to-end tests against the release build.
test: build size lint test-unit test-e2e

# The first-load budget (gzip -9 of dist/), exact; the budget lives in scripts/bundle_size.py.
size:
	python3 scripts/bundle_size.py --check $(DIST)

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p tablero --target wasm32-unknown-unknown --locked -- -D warnings

test-unit:
	cargo test --workspace --exclude tablero --locked
	cargo test -p tablero --lib --locked

# Browser tests (every file in tests/) share two cores: one Chromium at a time keeps them
# fast and unflaky.
test-e2e:
	cargo build -p tablero-cli --locked
	cargo test -p tablero --test '*' --locked -- --test-threads=1

# The long reliability runs (issue 12): 100 broker kill -9 cycles, a 90 s SIGSTOP, 30 s of
# network off and of frozen timers. Figures print to stdout (docs/RELIABILITY.md).
soak: build
	cargo build -p tablero-cli --locked
	TABLERO_SOAK_CYCLES=100 TABLERO_SOAK_STOP_SECS=90 TABLERO_SOAK_OFFLINE_SECS=30 \
	  TABLERO_SOAK_FREEZE_SECS=30 cargo test -p tablero --test crash --test lifecycle --locked \
	  -- --test-threads=1 --nocapture

bench: build
	@scripts/bench.sh

fuzz:
	@scripts/fuzz.sh

clean:
	cargo clean
	rm -rf dist test-artifacts
