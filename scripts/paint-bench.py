#!/usr/bin/env python3
"""A 1 MB payload on each widget of the demo dashboard: from its arrival to the paint that shows it.

    python3 scripts/paint-bench.py OUT.md [--reps N]

Measures, never asserts. Needs the release `dist/` (`python3 scripts/build_web.py dist`), the
release CLI (`cargo build --release -p tablero-cli`), node with the npm packages of
package.json (aedes, ws) and Debian's `chromium`.

- Broker: aedes over WebSocket on free loopback ports (mosquitto 2.0.11's WebSocket path takes
  seconds per 100 KB: docs/INTEROP.md). Payloads are published over TCP with `tablero pub -f`.
- The app: this script serves `dist/` with its `index.html` changed in the served copy only
  (no Content-Security-Policy, and `scripts/paint-bench/probe.js` loaded before the app).
  The probe stores the demo configuration (`src/config/demo.rs`, copied by hand into
  `demo_config` below) plus a raw text value card on `bench/raw` (the demo has none) before
  the app reads it.
- The peer, in the same run: a bare page (`scripts/paint-bench/peer.html`) with its own
  hand-written MQTT 3.1.1 client that receives the same messages and writes each payload's
  first 280 characters into a text node, with the same probe.
- Headless Chromium (`--headless=new`) with no DevTools client attached (an attached one
  slows WebSocket traffic); the probe reports each measurement by POST to this server.
  Chromium runs on core 0; this script, the broker and the publisher on core 1.

Each measured step: a small payload of the same kind first (unmeasured; the page height
"before" is taken with it shown), then the 1 MB one. Per step the probe reports the time from
the WebSocket message event that completes the payload to the DOM holding the new text (a
MutationObserver; for the chart, its `data-points` count, and its first `stroke` after the
arrival stands for the frame), to the end of the message's task, to the next animation frame
and to a task posted from that frame (after its style, layout and paint: "painted"); the main
thread's work (the message's task plus that frame's work, without the wait for the frame); the
longest task or animation frame of 50 ms or more in between (PerformanceObserver); and the page
height. The first 1 MB per widget is a warm-up, reported apart and not in the median.
"""
import argparse
import json
import os
import pathlib
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (scripts/benchlib.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "scripts" / "paint-bench"
MB = 1 << 20
FRAME_MS = 1000 / 60
BROWSER_CORE = benchlib.BROWSER_CORE
OTHER_CORE = benchlib.OTHER_CORE
CHROMIUM_FLAGS = [
    *benchlib.CHROMIUM_FLAGS,
    "--window-size=1280,900",
]


def widget(widget_id, inner):
    return f'[data-widget-id="{widget_id}"] {inner}'


def demo_config(ws_port):
    """The demo configuration of `src/config/demo.rs` (English titles), as `src/config/write.rs`
    writes it, plus a raw text value card on `bench/raw` (the demo has none)."""

    def binding(topic, json_path=None, scale=1.0):
        b = {"topic": topic, "scale": scale, "offset": 0.0, "qos": "0"}
        if json_path:
            b["json_path"] = json_path
        return b

    demo = "tablero/demo"
    return {
        "version": 1,
        "connections": [{
            "id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1", "port": ws_port,
            "path": "/mqtt", "remember_password": False, "client_id": "tablero-paint-bench",
            "mqtt_version": "3.1.1", "keep_alive_secs": 30, "clean_start": True, "session_expiry_secs": 0,
        }],
        "dashboards": [{
            "id": "demo", "name": "Demo", "connection": "local",
            "widgets": [
                {"id": "temperature", "title": "Temperature", "type": "gauge",
                 "binding": binding(f"{demo}/temperature"), "min": 0.0, "max": 40.0, "unit": "°C",
                 "decimals": 1, "bands": [{"from": 0.0, "color": "#3b82f6"}, {"from": 18.0, "color": "#16a34a"},
                                          {"from": 28.0, "color": "#dc2626"}]},
                {"id": "relay", "title": "Relay", "type": "switch", "command_topic": f"{demo}/relay/set",
                 "on_payload": "on", "off_payload": "off", "state_topic": f"{demo}/relay/state",
                 "state_on": "on", "state_off": "off", "qos": "1", "retain": False, "confirm_timeout_ms": 5000},
                {"id": "humidity", "title": "Humidity", "type": "value",
                 "binding": binding(f"{demo}/sensors", "$.humidity"), "unit": "%", "decimals": 0,
                 "stale_after_secs": 30},
                {"id": "history", "title": "Temperature and light", "type": "chart",
                 "series": [{"label": "°C", "binding": binding(f"{demo}/temperature"), "color": "#dc2626"},
                            {"label": "lux / 25", "binding": binding(f"{demo}/light", scale=1.0 / 25.0),
                             "color": "#ca8a04"}],
                 "window_secs": 300, "max_points": 2000, "unit": ""},
                {"id": "bench-raw", "title": "Raw", "type": "value", "binding": binding("bench/raw"),
                 "unit": "", "stale_after_secs": 30},
            ],
        }],
    }


def cases():
    """What each widget of the demo (and the raw text card) is sent, and what shows it."""
    x = "x" * MB

    def text(i):
        return (f"b{i}:" + x).encode()

    return [
        dict(
            key="value-number",
            widget='value "Humidity" (`$.humidity`, 0 decimals)',
            payload="JSON, the number at the path and 1 MB besides",
            topic="tablero/demo/sensors",
            selector=widget("humidity", ".value-number"),
            match="equals",
            small=lambda i: json.dumps({"humidity": 20 + i}).encode(),
            small_expect=lambda i: str(20 + i),
            big=lambda i: json.dumps({"humidity": 50 + i, "pad": x}).encode(),
            big_expect=lambda i: str(50 + i),
            peer_small=lambda i: f'{{"humidity": {20 + i}}}',
            peer_big=lambda i: f'{{"humidity": {50 + i}, ',
        ),
        dict(
            key="value-error",
            widget='value "Humidity" (`$.humidity`, 0 decimals)',
            payload="JSON, a 1 MB string at the path (error line quotes it)",
            topic="tablero/demo/sensors",
            selector=widget("humidity", ".widget-error"),
            match="includes",
            small=lambda i: json.dumps({"humidity": short(i)}).encode(),
            small_expect=lambda i: f"s{i}:aaa",
            big=lambda i: json.dumps({"humidity": f"b{i}:" + x}).encode(),
            big_expect=lambda i: f"b{i}:xxx",
            peer_small=lambda i: f"s{i}:aaa",
            peer_big=lambda i: f"b{i}:xxx",
        ),
        dict(
            key="gauge-number",
            widget='gauge "Temperature" (the chart reads the topic too)',
            # Spaces, not digits: a number text longer than 400 characters is refused unread
            # (`reading::MAX_NUMBER_CHARS`), which the gauge-error row already times.
            payload="a number followed by 1 MB of spaces",
            topic="tablero/demo/temperature",
            selector=widget("temperature", ".gauge-value"),
            match="equals",
            small=lambda i: f"{20 + i}.5".encode(),
            small_expect=lambda i: f"{20 + i}.5",
            big=lambda i: (f"{10 + i}.0" + " " * MB).encode(),
            big_expect=lambda i: f"{10 + i}.0",
            peer_small=lambda i: f"{20 + i}.5",
            peer_big=lambda i: f"{10 + i}.0",
        ),
        dict(
            key="gauge-error",
            widget='gauge "Temperature" (the chart reads the topic too)',
            payload="1 MB of text (error line quotes it)",
            topic="tablero/demo/temperature",
            selector=widget("temperature", ".widget-error"),
            match="includes",
            small=lambda i: short(i).encode(),
            small_expect=lambda i: f"s{i}:aaa",
            big=text,
            big_expect=lambda i: f"b{i}:xxx",
            peer_small=lambda i: f"s{i}:aaa",
            peer_big=lambda i: f"b{i}:xxx",
        ),
        dict(
            key="chart",
            widget='chart "Temperature and light" (its light series)',
            payload="a number followed by 1 MB of spaces (a canvas draw)",
            topic="tablero/demo/light",
            selector=widget("history", "canvas"),
            mode="canvas",
            match="includes",
            small=None,
            big=lambda i: (f"{100 * (i + 1)}.0" + " " * MB).encode(),
            big_expect=lambda i: "",
            peer_small=None,
            peer_big=lambda i: f"{100 * (i + 1)}.0",
        ),
        dict(
            key="switch",
            widget='switch "Relay" (its state topic)',
            payload="1 MB of text (label quotes it)",
            topic="tablero/demo/relay/state",
            selector=widget("relay", ".switch-label"),
            match="includes",
            small=lambda i: short(i).encode(),
            small_expect=lambda i: f"s{i}:aaa",
            big=text,
            big_expect=lambda i: f"b{i}:xxx",
            peer_small=lambda i: f"s{i}:aaa",
            peer_big=lambda i: f"b{i}:xxx",
        ),
        dict(
            key="raw-text",
            widget="value, raw text (a card added on `bench/raw`)",
            payload="1 MB of text (280 characters shown, all of it under Show all)",
            topic="bench/raw",
            selector=widget("bench-raw", ".value-number"),
            match="includes",
            small=lambda i: (f"s{i}:" + "a" * 297).encode(),
            small_expect=lambda i: f"s{i}:aaa",
            big=text,
            big_expect=lambda i: f"b{i}:xxx",
            peer_small=lambda i: f"s{i}:aaa",
            peer_big=lambda i: f"b{i}:xxx",
        ),
        dict(
            key="raw-text-3mb",
            widget="value, raw text (a card added on `bench/raw`)",
            payload="3 MB of text, as long as the hex of 1 MB (tells the hex's cost from the length's)",
            topic="bench/raw",
            selector=widget("bench-raw", ".value-number"),
            match="includes",
            small=lambda i: (f"s{i}:" + "a" * 297).encode(),
            small_expect=lambda i: f"s{i}:aaa",
            big=lambda i: (f"b{i}:" + x * 3).encode(),
            big_expect=lambda i: f"b{i}:xxx",
            peer_small=lambda i: f"s{i}:aaa",
            peer_big=lambda i: f"b{i}:xxx",
        ),
        dict(
            key="raw-binary",
            widget="value, raw text (a card added on `bench/raw`)",
            payload="1 MB, not UTF-8 (shown as hex)",
            topic="bench/raw",
            selector=widget("bench-raw", ".value-number"),
            match="includes",
            small=lambda i: b"\xff" + f"s{i}:".encode() + bytes(range(256))[:296],
            small_expect=lambda i: "ff 73 " + hexs(str(i)) + " 3a",
            big=lambda i: b"\xff" + f"b{i}:".encode() + bytes(range(256)) * (MB // 256),
            big_expect=lambda i: "ff 62 " + hexs(str(i)) + " 3a",
            peer_small=lambda i: f"s{i}:",
            peer_big=lambda i: f"b{i}:",
        ),
    ]


def short(i):
    """30 characters: longer than the 24 an error line or a label quotes, so both are cut."""
    return f"s{i}:" + "a" * (30 - len(f"s{i}:"))


def hexs(text):
    return " ".join(f"{b:02x}" for b in text.encode())


def steps_for(page, reps):
    """Every step a page goes through, in order; `measured` marks the 1 MB ones."""
    steps = []
    for case in cases():
        for rep in range(reps + 1):
            if case["small"] is not None:
                steps.append(step(page, case, rep, small=True))
            steps.append(step(page, case, rep, small=False))
    for n, s in enumerate(steps):
        s["i"] = n
    return steps


def step(page, case, rep, small):
    payload = (case["small"] if small else case["big"])(rep)
    if page == "app":
        expect = (case["small_expect"] if small else case["big_expect"])(rep)
        selector, mode, match = case["selector"], case.get("mode", "dom"), case["match"]
    else:
        expect = (case["peer_small"] if small else case["peer_big"])(rep)
        selector, mode, match = "#out", "dom", "includes"
    return {
        "case": case["key"],
        "rep": rep,
        "measured": not small and rep > 0,
        "warmup": not small and rep == 0,
        "topic": case["topic"],
        "payload": payload,
        "selector": selector,
        "mode": mode,
        "match": match,
        "expect": expect,
        "bytes": len(payload),
    }


class Bench:
    def __init__(self, dist, steps, config):
        self.dist = dist
        self.config = config
        self.steps = steps
        self.ready = {page: False for page in steps}
        self.index = {page: 0 for page in steps}
        self.results = {page: [] for page in steps}
        self.done = {page: threading.Event() for page in steps}
        self.armed = queue.Queue()
        self.errors = []
        self.lock = threading.Lock()

    def index_html(self):
        html = (self.dist / "index.html").read_text()
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, flags=re.S)
        return html.replace("<head>", '<head>\n    <script src="/bench/probe.js"></script>', 1)


def handler_for(bench):
    types = {".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".html": "text/html"}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, body, kind="application/json", status=200):
            if isinstance(body, str):
                body = body.encode()
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.send_header("cache-control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            path = url.path
            if path == "/bench/next":
                page = parse_qs(url.query).get("page", ["app"])[0]
                with bench.lock:
                    if not bench.ready[page]:
                        return self.send('{"state":"wait"}')
                    n = bench.index[page]
                    if n >= len(bench.steps[page]):
                        return self.send('{"state":"done"}')
                    s = {k: v for k, v in bench.steps[page][n].items() if k != "payload"}
                return self.send(json.dumps(s))
            if path in ("/bench/probe.js", "/bench/peer.js"):
                return self.send((HERE / path.split("/")[-1]).read_bytes(), types[".js"])
            if path == "/peer/":
                return self.send((HERE / "peer.html").read_bytes(), types[".html"])
            if path == "/bench/config":
                return self.send(json.dumps(bench.config))
            if path == "/app/":
                return self.send(bench.index_html(), types[".html"])
            if path.startswith("/app/"):
                file = (bench.dist / path[len("/app/"):]).resolve()
                if file.is_file() and bench.dist in file.parents:
                    return self.send(file.read_bytes(), types.get(file.suffix, "application/octet-stream"))
            self.send("not found", "text/plain", 404)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            if self.path == "/bench/armed":
                bench.armed.put((body["page"], body["i"]))
            elif self.path == "/bench/result":
                page = body["page"]
                with bench.lock:
                    bench.results[page].append(body)
                    bench.index[page] = body["i"] + 1
                    if bench.index[page] >= len(bench.steps[page]):
                        bench.done[page].set()
            elif self.path == "/bench/error":
                bench.errors.append(body)
                bench.done[body["page"]].set()
            self.send("{}")

    return Handler


free_port = benchlib.free_port


class Aedes:
    """aedes (scripts/brokers/aedes.js) on free loopback ports; its log lines in `lines`."""

    def __init__(self):
        self.lines = []
        for _ in range(5):
            self.tcp, self.ws = free_port(), free_port()
            self.proc = subprocess.Popen(
                ["node", str(ROOT / "scripts/brokers/aedes.js"), "--tcp", str(self.tcp), "--ws", str(self.ws)],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            first = self.proc.stdout.readline()
            if first.startswith("aedes ready"):
                threading.Thread(target=self.read, daemon=True).start()
                return
            self.proc.wait()
        sys.exit(f"paint-bench: aedes did not start: {first.strip()}")

    def read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def wait_for(self, pattern, since, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines[since:]):
                return
            time.sleep(0.05)
        sys.exit(f"paint-bench: no {pattern!r} in aedes's log:\n" + "\n".join(self.lines[-20:]))

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run_page(page, url, bench, broker, publish, profile):
    since = len(broker.lines)
    browser = subprocess.Popen(
        ["taskset", "-c", str(BROWSER_CORE), "chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile / page}", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # Connected and subscribed (the app's SUBSCRIBE after its reload names `bench/raw`).
        broker.wait_for(r"subscribed .*bench/", since)
        time.sleep(1.0)  # the first screen settles
        with bench.lock:
            bench.ready[page] = True
        while not bench.done[page].is_set():
            try:
                got, n = bench.armed.get(timeout=1)
            except queue.Empty:
                if browser.poll() is not None:
                    sys.exit(f"paint-bench: chromium exited ({browser.returncode}) on the {page} page")
                continue
            s = bench.steps[got][n]
            publish(s["topic"], s["payload"])
            print(f"{page} step {n + 1}/{len(bench.steps[got])} {s['case']} rep {s['rep']}"
                  f"{' (small)' if not s['measured'] and not s['warmup'] else ''}",
                  file=sys.stderr, end="\r")
        print(file=sys.stderr)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
    if bench.errors:
        sys.exit(f"paint-bench: the {page} page failed: {bench.errors}")


def median_max(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    return statistics.median(values), max(values)


def pair(median_and_max):
    return f"{ms(median_and_max[0])} / {ms(median_and_max[1])}"


def ratio(app, peer):
    return f"{app[0] / peer[0]:.2f}×" if app[0] and peer[0] else "n/a"


def ms(v):
    return "—" if v is None else f"{v:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist")
    ap.add_argument("--tablero", type=pathlib.Path, default=ROOT / "target/release/tablero")
    ap.add_argument("--json", type=pathlib.Path, help="also write every raw measurement here")
    ap.add_argument("--pages", default="app,peer", help="which pages to measure (for trying the harness)")
    args = ap.parse_args()
    for need, hint in [(args.dist / "index.html", "python3 scripts/build_web.py dist"),
                       (args.tablero, "cargo build --release -p tablero-cli"),
                       (ROOT / "node_modules/aedes/package.json", "scripts/install-tools.sh")]:
        if not need.exists():
            sys.exit(f"paint-bench: {need.relative_to(ROOT) if ROOT in need.parents else need} missing ({hint})")
    # This script, the broker and the publisher on one core; Chromium on the other.
    if len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {OTHER_CORE})
    args.load = os.getloadavg()[0]

    pages = args.pages.split(",")
    broker = Aedes()
    steps = {page: steps_for(page, args.reps) for page in pages}
    bench = Bench(args.dist.resolve(), steps, demo_config(broker.ws))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(bench))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    http = f"http://127.0.0.1:{server.server_address[1]}"
    ws = f"ws://127.0.0.1:{broker.ws}/mqtt"

    with tempfile.TemporaryDirectory(prefix="paint-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        file = tmp / "payload"

        def publish(topic, payload):
            file.write_bytes(payload)
            subprocess.run(
                [str(args.tablero), "pub", "-h", "127.0.0.1", "-p", str(broker.tcp), "-V", "mqttv311",
                 "-q", "0", "-t", topic, "-f", str(file)],
                check=True,
            )

        try:
            urls = {"app": f"{http}/app/?lang=en", "peer": f"{http}/peer/?broker={ws}"}
            for page in pages:
                run_page(page, urls[page], bench, broker, publish, tmp)
        finally:
            broker.stop()
            server.shutdown()

    if args.json:
        args.json.write_text(json.dumps(bench.results, indent=1))
    write_report(args, bench)


def write_report(args, bench):
    version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    aedes = json.loads((ROOT / "node_modules/aedes/package.json").read_text())["version"]
    by = {"app": {}, "peer": {}}
    for page, results in bench.results.items():
        for r in results:
            s = bench.steps[page][r["i"]]
            r.update(case=s["case"], measured=s["measured"], warmup=s["warmup"])
            by[page].setdefault(s["case"], []).append(r)

    out = []
    w = out.append
    w("## A 1 MB payload on each widget: arrival to paint (headless Chromium)")
    w("")
    w(f"`python3 scripts/paint-bench.py target/bench-report/paint.md --reps {args.reps}` (run by `make bench`);")
    w(f"{version.split(' built')[0]} `--headless=new` with no DevTools client, pinned to one core; aedes {aedes}")
    w("over WebSocket on loopback, with this script and the publisher (`tablero pub -f`) on the other core;"
      f" {os.cpu_count()} cores (load average {args.load:.1f} at the start), {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}.")
    w("The release `dist/`, served with a probe loaded before the app (`scripts/paint-bench/probe.js`);")
    w("the peer, in the same run, is a bare page with its own MQTT 3.1.1 client (a few dozen lines of")
    w("JavaScript) that writes each payload's first 280 characters into a text node.")
    w("")
    w("From the WebSocket message event that completes the payload (stamped before the page's own")
    w("handler runs): **DOM** — the new text is in the DOM (a MutationObserver; the chart: its point")
    w("count, `data-points`, its drawing being in the next frame: the first canvas `stroke` after the")
    w("arrival starts \"painted\"); **work** — the main thread's time for it: the message's task (handler and")
    w("microtasks) plus the next frame's callbacks, style, layout and paint, without the wait for that")
    w("frame; **painted** — a task posted from the next animation frame has run (includes the wait for")
    w("the frame, 0–16.7 ms, whose phase headless Chromium does not tie to the arrival). **≤ 1 frame**:")
    w("messages whose work took at most 16.7 ms (one frame budget at 60 Hz). Median / max of")
    w(f"{args.reps} messages of ≈1 MB per row, after one warm-up message (its work in its own column);")
    w("ratios are app median ÷ peer median. **Long task**: the longest task or animation frame of ≥ 50 ms")
    w("overlapping arrival→painted (0 = none). **Height**: the page's `scrollHeight` at 1280×900 with a")
    w("small payload of the same kind shown (300 characters on the raw card, 30 where an error line or")
    w("label quotes 24) → with the 1 MB one.")
    w("")
    w("| case | DOM: app | peer | ratio | work: app | peer | ratio | ≤ 1 frame | painted: app | peer | ratio | long task | warm-up work | height |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    legend = []
    for case in cases():
        key = case["key"]
        app = [r for r in by["app"].get(key, []) if r["measured"]]
        peer = [r for r in by["peer"].get(key, []) if r["measured"]]
        warm = [r for r in by["app"].get(key, []) if r["warmup"]]
        cols = []
        for field in ("arrivalToRendered", "work", "arrivalToPainted"):
            mine = median_max([r[field] for r in app])
            theirs = median_max([r[field] for r in peer])
            cols += [pair(mine), pair(theirs), ratio(mine, theirs)]
            if field == "work":
                cols.append(f"{sum(r[field] is not None and r[field] <= FRAME_MS for r in app)}/{len(app)}")
        long_task = max((r["longestTask"] for r in app), default=0)
        heights = sorted({(r["heightBefore"], r["heightAfter"]) for r in app})
        timed = sum(r["timedOut"] for r in app + peer)
        cols += [f"{long_task:.0f}", ms(warm[0]["work"]) if warm else "—",
                 ", ".join(f"{a} → {b}" for a, b in heights) or "—"]
        label = key + (f" ({timed} timed out)" if timed else "")
        w(f"| {label} | " + " | ".join(cols) + " |")
        legend.append(f"- **{key}**: {case['widget']}, `{case['topic']}`: {case['payload']}.")
    w("")
    out += legend
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
