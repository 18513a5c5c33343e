#!/usr/bin/env python3
"""Streaming chart: the app's chart widget against uPlot, 6 series × 600 points at 60 points/s each.

    python3 scripts/chart-bench.py OUT.md [--quick] [--measure SECS] [--rounds N]

Measures, never asserts. Writes a Markdown section to OUT.md and the raw figures to OUT.json.
Needs the release `dist/` (`python3 scripts/build_web.py dist`), Debian's `mosquitto` and
`chromium`, and the npm packages of package.json (`npm ci`: esbuild, uplot).

- Broker: mosquitto (/usr/sbin/mosquitto) started here on free loopback ports, one TCP and one
  `protocol websockets` listener, no persistence. A publisher thread of this script (raw
  socket MQTT 3.1.1, QoS 0) sends one number per series (`bench/chart/0` … `/5`, a sine and
  a little deterministic noise) every 1/60 s, the six PUBLISH in one write.
- The app: `dist/` served with its `index.html` changed in the served copy only (no
  Content-Security-Policy, `scripts/chart-bench/probe.js` loaded before the app). The probe
  stores a configuration before the app reads it: one chart widget, 6 series on those
  topics, `max_points` 600, `window_secs` 60 (the smallest window the configuration allows:
  600 points at 60/s span its last 10 s).
- The peer: `scripts/chart-bench/peer.html` + `peer.js` (bundled by esbuild at run time with
  uPlot 1.6.32): uPlot's stream demo scene, 6 series × 600 points, one new point per series
  and the oldest dropped each animation frame, `setData` once per frame, its uPlot sized to
  the app's chart canvas (CSS px, read from the app's page in the same run); its own MQTT
  3.1.1 client receives the same messages.
- Headless Chromium (`--headless=new`) with no DevTools client, one fresh browser per page and
  round, pinned to core 0; this script (server and publisher) and mosquitto on core 1.

The probe runs its own requestAnimationFrame loop (first in every frame); per frame it takes
the time from its callback's start to a task posted from it (MessageChannel; runs after the
frame's other callbacks, style, layout and paint): the frame's main-thread work. Frames that
drew (a canvas `stroke`) are the ones counted. Also the rAF-to-rAF interval, the page's own
rAF callbacks' time (the chart's drawing in JS/wasm), and the CPU time (utime + stime from
/proc) of Chromium's renderer process and of all its processes over the measured seconds.
"""
import argparse
import json
import math
import os
import pathlib
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (scripts/benchlib.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "scripts" / "chart-bench"
NODE_BIN = ROOT / "node_modules" / ".bin"
NAME = "chart-bench"
SERIES = 6
POINTS = 600
RATE = 60  # points per second per series
WINDOW_SECS = 60  # the configuration's smallest window (config::validate::WINDOW_SECS)
PREFIX = "bench/chart/"
COLORS = ["#dc2626", "#2563eb", "#16a34a", "#ca8a04", "#9333ea", "#0891b2"]
BROWSER_CORE = benchlib.BROWSER_CORE
OTHER_CORE = benchlib.OTHER_CORE
CHROMIUM_FLAGS = benchlib.CHROMIUM_FLAGS
CLK_TCK = os.sysconf("SC_CLK_TCK")


def die(msg):
    sys.exit(f"{NAME}: {msg}")


def chart_config(ws_port):
    """One dashboard, one chart of 6 series (`src/config/model.rs`, as `write.rs` writes it)."""
    def binding(topic):
        return {"topic": topic, "scale": 1.0, "offset": 0.0, "qos": "0"}

    return {
        "version": 1,
        "connections": [{
            "id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1", "port": ws_port,
            "path": "/mqtt", "remember_password": False, "client_id": "tablero-chart-bench",
            "mqtt_version": "3.1.1", "keep_alive_secs": 30, "clean_start": True, "session_expiry_secs": 0,
        }],
        "dashboards": [{
            "id": "bench", "name": "Bench", "connection": "local",
            "widgets": [{
                "id": "stream", "title": "Stream", "type": "chart",
                "series": [{"label": f"s{i}", "binding": binding(f"{PREFIX}{i}"), "color": COLORS[i]}
                           for i in range(SERIES)],
                "window_secs": WINDOW_SECS, "max_points": POINTS, "unit": "",
            }],
        }],
    }


# ---------------------------------------------------------------------------------------------
# Broker and publisher
# ---------------------------------------------------------------------------------------------

free_port = benchlib.free_port


class Mosquitto:
    def __init__(self, tmp):
        self.lines = []
        for _ in range(5):
            self.tcp, self.ws = free_port(), free_port()
            conf = tmp / "mosquitto.conf"
            # `lo`, not 127.0.0.1: mosquitto 2.0.11 ignores the address of a websockets listener.
            conf.write_text(
                f"listener {self.tcp} 127.0.0.1\n"
                f"listener {self.ws} lo\nprotocol websockets\n"
                "allow_anonymous true\npersistence false\nlog_dest stdout\n"
                "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
            )
            conf.chmod(0o644)
            self.proc = subprocess.Popen(
                ["stdbuf", "-oL", "taskset", "-c", str(OTHER_CORE), "/usr/sbin/mosquitto", "-c", str(conf)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            )
            threading.Thread(target=self.read, daemon=True).start()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                if self.listening(self.tcp) and self.listening(self.ws):
                    return
                time.sleep(0.1)
            self.stop()
        die("mosquitto did not start:\n" + "\n".join(self.lines[-20:]))

    @staticmethod
    def listening(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


def mqtt_str(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def mqtt_packet(first, body):
    n, rem = len(body), bytearray()
    while True:
        d, n = n % 128, n // 128
        rem.append(d | (128 if n else 0))
        if not n:
            break
    return bytes([first]) + bytes(rem) + body


class Publisher(threading.Thread):
    """One number per series every 1/RATE s (the six PUBLISH in one write), QoS 0."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(mqtt_packet(0x10, mqtt_str("MQTT") + bytes([4, 0x02, 0, 0]) + mqtt_str("chart-bench-pub")))
        connack = self.sock.recv(4)
        if connack[:1] != b"\x20" or connack[3:4] != b"\x00":
            die(f"mosquitto refused the publisher: {connack!r}")
        self.stopping = threading.Event()
        self.sent = 0
        self.late = 0

    def run(self):
        step = 1 / RATE
        nxt = time.monotonic()
        n = 0
        while not self.stopping.is_set():
            t = n / RATE
            burst = b"".join(
                mqtt_packet(0x30, mqtt_str(f"{PREFIX}{s}")
                            + f"{50 + 40 * math.sin(t * 0.7 + s) + 3 * math.sin(n * 1.7 + 2 * s):.3f}".encode())
                for s in range(SERIES))
            try:
                self.sock.sendall(burst)
            except OSError:
                return
            self.sent += 1
            n += 1
            nxt += step
            wait = nxt - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -step:
                self.late += 1
                nxt = time.monotonic()

    def stop(self):
        self.stopping.set()
        self.join(timeout=2)
        try:
            self.sock.sendall(b"\xe0\x00")
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Serving the pages, reading the CPU time
# ---------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, dist, tmp, config, plan):
        self.dist = dist
        self.tmp = tmp
        self.config = config
        self.plan = plan
        self.size = None
        self.size_seen = threading.Event()
        self.result = None
        self.done = threading.Event()
        self.started = threading.Event()
        self.on_start = None
        self.on_result = None

    def index_html(self):
        html = (self.dist / "index.html").read_text()
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, flags=re.S)
        return html.replace("<head>", '<head>\n    <script src="/bench/probe.js"></script>', 1)


def handler_for(bench):
    types = {".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".html": "text/html",
             ".svg": "image/svg+xml", ".png": "image/png", ".webmanifest": "application/manifest+json"}

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
            # Cross-origin isolated: performance.now() at 5 µs rather than 100 µs.
            self.send_header("cross-origin-opener-policy", "same-origin")
            self.send_header("cross-origin-embedder-policy", "require-corp")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            path = url.path
            if path == "/bench/plan":
                page = parse_qs(url.query).get("page", ["app"])[0]
                plan = dict(bench.plan)
                if page == "app":
                    plan["config"] = bench.config
                return self.send(json.dumps(plan))
            if path == "/bench/probe.js":
                return self.send((HERE / "probe.js").read_bytes(), types[".js"])
            if path == "/bench/peer.js":
                return self.send((bench.tmp / "peer.js").read_bytes(), types[".js"])
            if path == "/bench/uPlot.min.css":
                return self.send((ROOT / "node_modules/uplot/dist/uPlot.min.css").read_bytes(), types[".css"])
            if path == "/peer/":
                return self.send((HERE / "peer.html").read_bytes(), types[".html"])
            if path == "/app/":
                return self.send(bench.index_html(), types[".html"])
            if path.startswith("/app/"):
                file = (bench.dist / path[len("/app/"):]).resolve()
                if file.is_file() and bench.dist in file.parents:
                    return self.send(file.read_bytes(), types.get(file.suffix, "application/octet-stream"))
            self.send("not found", "text/plain", 404)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            if self.path == "/bench/size":
                if bench.size is None:
                    bench.size = (body["width"], body["height"])
                    bench.size_seen.set()
            elif self.path == "/bench/start":
                if bench.on_start:
                    bench.on_start()
                bench.started.set()
            elif self.path == "/bench/result":
                if bench.on_result:
                    bench.on_result()
                bench.result = body
                bench.done.set()
            self.send("{}")

    return Handler


def descendants(pid):
    """`pid` and every process below it."""
    children = {}
    for d in pathlib.Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_times(root_pid):
    """{pid: (is_renderer, cpu seconds)} for the browser's process tree."""
    out = {}
    for pid in descendants(root_pid):
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        out[pid] = (b"--type=renderer" in cmd, (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return out


def run_page(page, url, bench, window_size, profile_dir, timeout):
    bench.result = None
    bench.done.clear()
    bench.started.clear()
    marks = {}
    browser = subprocess.Popen(
        ["taskset", "-c", str(BROWSER_CORE), "chromium", *CHROMIUM_FLAGS, f"--window-size={window_size}",
         f"--user-data-dir={profile_dir}", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    bench.on_start = lambda: marks.__setitem__("start", (time.monotonic(), cpu_times(browser.pid)))
    bench.on_result = lambda: marks.__setitem__("end", (time.monotonic(), cpu_times(browser.pid)))
    try:
        deadline = time.monotonic() + timeout
        while not bench.done.wait(0.5):
            if browser.poll() is not None:
                die(f"chromium exited ({browser.returncode}) on the {page} page: {browser.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                die(f"the {page} page reported nothing in {timeout} s"
                    f" ({'measuring' if bench.started.is_set() else 'no MQTT message yet or still warming up'})")
    finally:
        try:
            os.killpg(browser.pid, 15)
            browser.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(browser.pid, 9)
            except ProcessLookupError:
                pass
            browser.wait()
    (t0, c0), (t1, c1) = marks["start"], marks["end"]
    wall = t1 - t0
    deltas = {pid: (c1[pid][0], c1[pid][1] - c0.get(pid, (False, 0.0))[1]) for pid in c1}
    renderers = [d for r, d in deltas.values() if r]
    result = dict(bench.result)
    result["cpu"] = {
        "wall_s": wall,
        "renderer_s_per_s": (max(renderers) if renderers else 0.0) / wall,
        "renderers_s_per_s": [d / wall for d in renderers],
        "all_s_per_s": sum(d for _, d in deltas.values()) / wall,
    }
    return result


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summarize(result):
    frames = result["frames"]
    drew = [f for f in frames if f[4] > 0]
    work = [f[2] - f[1] for f in drew]
    callbacks = [f[3] for f in drew]
    intervals = [b[0] - a[0] for a, b in zip(frames, frames[1:])]
    return {
        "frames": len(frames), "frames_drawn": len(drew), "seconds": result["seconds"],
        "fps": len(frames) / result["seconds"] if result["seconds"] else None,
        "draws_per_s": len(drew) / result["seconds"] if result["seconds"] else None,
        "work_p50": pct(work, 50), "work_p95": pct(work, 95), "work_max": max(work, default=None),
        "callback_p50": pct(callbacks, 50), "callback_p95": pct(callbacks, 95),
        "interval_p50": pct(intervals, 50), "interval_p95": pct(intervals, 95),
        "intervals_over_20ms": sum(i > 20 for i in intervals),
        "messages_per_s": result["messages"] / result["seconds"] if result["seconds"] else None,
        "renderer_cpu": result["cpu"]["renderer_s_per_s"], "all_cpu": result["cpu"]["all_s_per_s"],
        "long_animation_frames": len(result["longAnimationFrames"]),
        "canvas": result["canvas"], "points": result["points"],
    }


def combine(summaries):
    """Rounds → one row: the median of each figure over the rounds."""
    keys = [k for k, v in summaries[0].items() if isinstance(v, (int, float)) and v is not None]
    out = {k: statistics.median([s[k] for s in summaries if s[k] is not None]) for k in keys}
    out["canvas"] = summaries[-1]["canvas"]
    out["points"] = [s["points"] for s in summaries]
    return out


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def write_report(args, rows, meta):
    version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    version = version.split(" built")[0]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               "unknown CPU")
    mosq = subprocess.run(["/usr/sbin/mosquitto", "-h"], capture_output=True, text=True).stdout.splitlines()
    mosq = next((line.split("version", 1)[1].strip() for line in mosq if "version" in line), "?")
    uplot = json.loads((ROOT / "node_modules/uplot/package.json").read_text())["version"]
    app, peer = rows["app"], rows["peer"]
    canvas = app["canvas"] or {}
    out = []
    w = out.append
    w("## Streaming chart: the app's chart against uPlot (headless Chromium)")
    w("")
    w(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores ({cpu}), load average"
      f" {meta['load']:.1f} at the start; {version} `--headless=new`, no DevTools client, pinned to one core;")
    w(f"mosquitto {mosq} (TCP + WebSocket listeners on loopback) and the publisher on the other core.")
    w(f"Command: `python3 scripts/chart-bench.py {' '.join(meta['argv'])}`.")
    w("")
    w(f"- Scene: uPlot's stream demo, {SERIES} series × {POINTS} points, {RATE} new points per second per series, fed"
      f" through MQTT: a publisher sends one number per series every 1/{RATE} s (QoS 0) to mosquitto;")
    w("  **both pages receive the same messages over MQTT/WebSocket** (the app through its own stack, uPlot's page"
      " through a minimal hand-written MQTT 3.1.1 client).")
    w(f"- App: the release `dist/`, one chart widget with the {SERIES} series, `max_points` {POINTS}, `window_secs`"
      f" {WINDOW_SECS} (the smallest window the configuration allows, so the {POINTS} points, {POINTS // RATE} s,"
      " fill its right sixth); it keeps every point and draws at most once per animation frame.")
    w(f"  uPlot {uplot}: `setData` once per animation frame with one new point per series (the latest received),"
      f" sized to the app's chart canvas ({canvas.get('cssWidth')}×{canvas.get('cssHeight')} CSS px, device pixel"
      " ratio 1), 2 px lines.")
    w(f"- After a {args.warmup} s warm-up from the first message (the {POINTS} points filled), {args.measure} s measured"
      f" per page; {args.rounds} round(s) of app then peer, each in a fresh browser; figures are the median over rounds.")
    w("  **Frame work**: from the start of the first animation frame callback (the probe's) to a task posted from it"
      " (after the frame's other callbacks, style, layout and paint), over the frames that drew on a canvas;")
    w("  **draw (JS)**: the page's own rAF callbacks and their microtasks in those frames; **interval**: rAF to rAF;"
      " **CPU**: utime + stime of the renderer process (and of all Chromium processes) per second.")
    w("  Frame work and intervals are wall-clock: on a busy machine they include time the core gave to other"
      " processes (and message tasks queued before the posted one); the CPU columns do not.")
    w("")
    w("| page | frames drawn/s | frame work p50 ms | frame work p95 ms | draw (JS) p50 / p95 ms | interval p50 / p95 ms |"
      " intervals > 20 ms | renderer CPU s/s | all Chromium CPU s/s | messages/s |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, r in [("app (Tablero chart)", app), (f"uPlot {uplot}", peer)]:
        w(f"| {label} | {fmt(r['draws_per_s'])} | {fmt(r['work_p50'], 2)} | {fmt(r['work_p95'], 2)} |"
          f" {fmt(r['callback_p50'], 2)} / {fmt(r['callback_p95'], 2)} | {fmt(r['interval_p50'])} / {fmt(r['interval_p95'])} |"
          f" {fmt(r['intervals_over_20ms'], 0)} | {fmt(r['renderer_cpu'], 3)} | {fmt(r['all_cpu'], 3)} |"
          f" {fmt(r['messages_per_s'], 0)} |")
    ratio = app["work_p95"] / peer["work_p95"] if app["work_p95"] and peer["work_p95"] else None
    w("")
    w(f"Points held at the end: app {', '.join(str(p) for p in app['points'])} (`data-points`, all series; full ="
      f" {SERIES * POINTS}), uPlot {', '.join(str(p) for p in peer['points'])}. Publisher: {meta['sent']:,} bursts"
      f" of {SERIES} messages, {meta['late']} late by more than a period.")
    w("")
    if ratio is None:
        w("- Target app p95 frame work ≤ 1.5× uPlot's: **not measured** (no frames drawn).")
    elif ratio <= 1.5:
        w(f"- Target app p95 frame work ≤ 1.5× uPlot's: **met** ({ratio:.2f}×).")
    else:
        w(f"- Target app p95 frame work ≤ 1.5× uPlot's: **missed** by {ratio / 1.5:.2f}× ({ratio:.2f}× of 1.5×).")
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path, help="the Markdown section; raw figures go to OUT with .json")
    ap.add_argument("--quick", action="store_true", help="a short run: 5 s measured, one round")
    ap.add_argument("--measure", type=float, help="seconds measured per page (default 20; quick 5)")
    ap.add_argument("--warmup", type=float, default=12.0,
                    help=f"seconds from the first message before measuring (default 12: {POINTS} points at {RATE}/s, and 2 s)")
    ap.add_argument("--rounds", type=int, help="rounds of app then peer (default 2; quick 1)")
    ap.add_argument("--window-size", default="1000,900",
                    help="Chromium's window (default 1000,900: two grid columns, a chart canvas of ≈480×260 CSS px)")
    ap.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist")
    args = ap.parse_args()
    argv = [str(a) for a in sys.argv[1:]]
    args.measure = args.measure or (5.0 if args.quick else 20.0)
    args.rounds = args.rounds or (1 if args.quick else 2)

    missing = []
    for tool, hint in [("chromium", "apt-get install chromium"), ("taskset", "util-linux"), ("stdbuf", "coreutils")]:
        if not shutil.which(tool):
            missing.append(f"`{tool}` not on PATH ({hint})")
    if not pathlib.Path("/usr/sbin/mosquitto").exists():
        missing.append("/usr/sbin/mosquitto missing (apt-get install mosquitto)")
    if not (args.dist / "index.html").exists():
        missing.append(f"{args.dist}/index.html missing (python3 scripts/build_web.py dist)")
    if not (NODE_BIN / "esbuild").exists() or not (ROOT / "node_modules/uplot/package.json").exists():
        missing.append("node_modules/.bin/esbuild or node_modules/uplot missing (npm ci)")
    if missing:
        die("missing:\n  " + "\n  ".join(missing))
    if len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {OTHER_CORE})
    load = os.getloadavg()[0]
    t_start = time.monotonic()

    with tempfile.TemporaryDirectory(prefix=f"{NAME}-") as tmp:
        tmp = pathlib.Path(tmp)
        r = subprocess.run([str(NODE_BIN / "esbuild"), str(HERE / "peer.js"), "--bundle", "--format=iife",
                            "--platform=browser", "--target=es2022", "--log-level=error",
                            f"--outfile={tmp / 'peer.js'}"], cwd=ROOT, capture_output=True, text=True)
        if r.returncode:
            die(f"esbuild failed:\n{r.stderr}")
        broker = Mosquitto(tmp)
        publisher = None
        server = None
        try:
            plan = {"warmupSecs": args.warmup, "measureSecs": args.measure}
            bench = Bench(args.dist.resolve(), tmp, chart_config(broker.ws), plan)
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(bench))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            http = f"http://127.0.0.1:{server.server_address[1]}"
            publisher = Publisher(broker.tcp)
            publisher.start()
            timeout = args.warmup + args.measure + 60
            results = {"app": [], "peer": []}
            for rnd in range(args.rounds):
                for page in ("app", "peer"):
                    if page == "app":
                        url = f"{http}/app/?lang=en"
                    else:
                        if not bench.size_seen.is_set():
                            die("the app's chart canvas was never laid out")
                        width, height = bench.size
                        url = f"{http}/peer/?" + urlencode({
                            "broker": f"ws://127.0.0.1:{broker.ws}/mqtt", "width": width, "height": height,
                            "series": SERIES, "points": POINTS, "prefix": PREFIX, "colors": ",".join(COLORS)})
                    print(f"{NAME}: round {rnd + 1}/{args.rounds}, {page}", file=sys.stderr)
                    results[page].append(run_page(page, url, bench, args.window_size, tmp / f"profile-{page}-{rnd}",
                                                  timeout))
        finally:
            if publisher:
                publisher.stop()
            broker.stop()
            if server:
                server.shutdown()
    meta = {"load": load, "argv": argv, "sent": publisher.sent, "late": publisher.late,
            "seconds_total": time.monotonic() - t_start, "canvas": bench.size}
    summaries = {page: [summarize(r) for r in rs] for page, rs in results.items()}
    rows = {page: combine(s) for page, s in summaries.items()}
    args.warmup = f"{args.warmup:g}"
    args.measure = f"{args.measure:g}"
    write_report(args, rows, meta)
    args.out.with_suffix(".json").write_text(json.dumps(
        {"meta": meta, "rows": rows, "rounds": summaries, "raw": results}, indent=1))
    print(f"{NAME}: {meta['seconds_total']:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
