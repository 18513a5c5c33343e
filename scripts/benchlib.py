"""What the browser benchmarks share (scripts/*-bench.py): where each process runs, how
Chromium is started, and a free loopback port.

Chromium runs headless on BROWSER_CORE with no DevTools client attached (an attached one
halves WebSocket throughput on these machines); the broker, the publisher and the harness run
on OTHER_CORE. The flags keep a closed network quiet (no background fetches that the machine
refuses) and give every run a fresh, default browser.
"""
import socket

BROWSER_CORE = 0
OTHER_CORE = 1
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    """A loopback port free now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_script(name):
    """Another benchmark script of scripts/ as a module (`ingest-bench` → scripts/ingest-bench.py),
    to reuse its parts (its broker runner, browser, server) rather than copy them. Loaded once;
    its `main()` is not run."""
    import importlib.util
    import pathlib
    import sys

    key = "bench_" + name.replace("-", "_")
    if key not in sys.modules:
        path = pathlib.Path(__file__).resolve().parent / f"{name}.py"
        spec = importlib.util.spec_from_file_location(key, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]
