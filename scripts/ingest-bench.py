#!/usr/bin/env python3
"""Browser ingest benchmarks B1, B2, B3, B5: the app against MQTT.js (and a bare WebSocket page).

    python3 scripts/ingest-bench.py OUT.md [--quick] [--skip-b5] [--b5-minutes N] [--only b1,b3] ...

Measures, never asserts. Writes a Markdown section to OUT.md and every raw figure to OUT.json
(same name, `.json`). Needs the release `dist/` (`python3 scripts/build_web.py dist`), the npm
packages of package.json (mqtt, esbuild: `npm ci`), Debian's `chromium` and `mosquitto`. A full
run takes ≈17 min (10 of them B5), `--quick` ≈5 min, `--skip-b5` ≈7 min.

- **B1** ingest: 50 value cards on every 10th of the 500 topics, against an MQTT.js page
  subscribed to the same 50 topics; offered rates stepped (1k..40k msg/s over all topics).
- **B2** everything on `#`: the app with a log of `#`, a chart and the 50 value cards, against a
  bare WebSocket page that only counts PUBLISH packets (the ceiling) and MQTT.js on `#`.
- **B3** publish → visible latency at 1,000 msg/s, B1's pages.
- **B5** memory of the app with B2's dashboard at 5,000 msg/s for N minutes.

Options worth knowing: `--only b1,b3` (which benchmarks), `--pages app,mqttjs` (which pages),
`--rates`/`--b1-rates`/`--step-secs` (the steps), `--frame-clock callback` (judge frames by
performance.now() in rAF callbacks instead of rAF's timestamp), `--log-lines` (the app's log),
`--screenshot FILE` (a check, not a measurement: a PNG of the app's B2 dashboard under traffic
through chromedriver; `--only none --screenshot FILE` for only that).

How:
- Broker: mosquitto on free loopback ports (a TCP listener for the publisher, a `websockets`
  one for the pages), no queue limit, `$SYS` every second (its dropped-message count says
  whether the broker kept up).
- Publisher: `scripts/ingest-bench/publisher.py`, a raw-socket MQTT 3.1.1 client (QoS 0)
  round robin over `bench/t/000`..`bench/t/499`, 64-byte JSON payloads
  `{"s":<seq>,"t":<µs since the epoch>}` padded with spaces, batched per millisecond.
- The app: `dist/` served with its `index.html` changed in the served copy only (no
  Content-Security-Policy, `scripts/ingest-bench/probe.js` loaded before the app); the probe
  stores the benchmark's configuration in localStorage before the app reads it. Peers: pages
  of their own (`scripts/ingest-bench/peer.html`) with the same probe, their JavaScript
  (`peer-mqttjs.js`, `peer-bare.js`) bundled by esbuild at run time, nothing from a CDN.
- Headless Chromium with no DevTools client (an attached one halves WebSocket throughput),
  pinned to core 0; this script, mosquitto and the publisher on core 1. The probe takes
  commands by long-polling this script's HTTP server and reports by POST.

Per page and per rate step the probe says when every watched element shows the step's last
payload for it (and the page's message count reached the number sent): "caught up"; the
frame intervals during the step (rAF to rAF); and the bytes the page's WebSocket received.
The renderer's CPU time comes from /proc (utime + stime of every `--type=renderer` process of
that Chromium) before the step and once caught up.
"""
import argparse
import atexit
import json
import math
import os
import pathlib
import queue
import re
import shutil
import signal
import socket
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
HERE = ROOT / "scripts" / "ingest-bench"
TOPICS = 500
# The 50 topics with a value card (B1, B2): every 10th.
WATCHED = list(range(0, TOPICS, 10))
# A PUBLISH as the broker forwards it: fixed header (2) + topic length (2) + `bench/t/000` (11)
# + payload (64). All topics have the same length, so bytes / 79 is the number of messages.
PACKET_BYTES = 79
FRAME_BUDGET_MS = 17.7
CATCH_UP_MS = 1000
LATENCY_TARGET_MS = 1000 / 60 + 2
BROWSER_CORE = benchlib.BROWSER_CORE
OTHER_CORE = benchlib.OTHER_CORE
CLK_TCK = os.sysconf("SC_CLK_TCK")
CHROMIUM_FLAGS = [
    *benchlib.CHROMIUM_FLAGS,
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--enable-precise-memory-info",
    "--window-size=1280,900",
]
FULL_RATES = [1000, 2000, 5000, 10000, 20000, 40000]
# B1's pages get a tenth of what is offered: it goes on to 160k offered (the publisher and
# mosquitto reach that on their core here), so that the pages, not the list of steps, find
# the limit.
B1_RATES = FULL_RATES + [80000, 160000]


def log(*args):
    print("ingest-bench:", *args, file=sys.stderr, flush=True)


# --- Processes: every one started here is ended at exit, whatever happens. ---

PROCS = []


def start(cmd, **kw):
    proc = subprocess.Popen(cmd, start_new_session=True, **kw)
    PROCS.append(proc)
    return proc


def stop(proc, timeout=10):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


@atexit.register
def stop_all():
    for proc in reversed(PROCS):
        stop(proc, timeout=5)


def on_signal(signum, _frame):
    sys.exit(f"ingest-bench: stopped by signal {signum}")


free_port = benchlib.free_port


# --- /proc ---

def children_of(pid):
    """Every descendant of `pid` (Chromium's zygotes and renderers are grandchildren)."""
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = pathlib.Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            parents[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        out += kids
        todo += kids
    return out


def cpu_secs(pid):
    """utime + stime of a process (all its threads), in seconds; 0 if it is gone."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid):
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def renderers(browser_pid):
    out = []
    for pid in children_of(browser_pid):
        try:
            cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--type=renderer" in cmdline:
            out.append(pid)
    return out


# --- The broker ---

class Mosquitto:
    """mosquitto on free loopback ports: TCP for the publisher, WebSocket for the pages."""

    def __init__(self, tmp):
        exe = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)
        if not exe:
            sys.exit("ingest-bench: mosquitto missing (apt-get install mosquitto)")
        self.version = subprocess.run([exe, "-h"], capture_output=True, text=True).stdout.split("\n")[0].strip()
        for _ in range(5):
            self.tcp, self.ws = free_port(), free_port()
            conf = tmp / "mosquitto.conf"
            # max_queued_messages 0: no limit on a client's queue, so a slow page is seen as
            # slow, not as a page the broker dropped messages for. A websockets listener's
            # address is ignored by mosquitto 2.0; an interface is not (docs/TOOLCHAIN).
            conf.write_text(
                f"listener {self.tcp} 127.0.0.1\n"
                f"listener {self.ws} lo\nprotocol websockets\n"
                "allow_anonymous true\npersistence false\nmax_queued_messages 0\n"
                "sys_interval 1\nlog_dest stdout\n"
                "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
                "log_type subscribe\nconnection_messages true\n"
            )
            self.lines = []
            self.proc = start(["taskset", "-c", str(OTHER_CORE), "stdbuf", "-oL", exe, "-c", str(conf)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            threading.Thread(target=self.read, daemon=True).start()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.proc.poll() is None:
                if self.listening():
                    self.pid = self.find_pid()
                    return
                time.sleep(0.05)
            stop(self.proc)
        sys.exit("ingest-bench: mosquitto did not start:\n" + "\n".join(self.lines[-20:]))

    def listening(self):
        for port in (self.tcp, self.ws):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return False
        return True

    def find_pid(self):
        """The broker itself (under taskset and stdbuf, which exec, it is the same pid)."""
        return self.proc.pid

    def read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def cpu(self):
        return cpu_secs(self.pid)


class SysMonitor:
    """A TCP client on `$SYS/broker/publish/messages/dropped`: whether the broker dropped any."""

    TOPICS = ["$SYS/broker/publish/messages/dropped", "$SYS/broker/messages/sent"]

    def __init__(self, port):
        self.values = {}
        self.sock = socket.create_connection(("127.0.0.1", port))

        def s(x):
            b = x.encode()
            return len(b).to_bytes(2, "big") + b

        body = s("MQTT") + bytes([4, 2, 0, 0]) + s("ingest-bench-sys")
        self.sock.sendall(b"\x10" + bytes([len(body)]) + body)
        sub = b"\x00\x01" + b"".join(s(t) + b"\x00" for t in self.TOPICS)
        self.sock.sendall(b"\x82" + bytes([len(sub)]) + sub)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while len(buf) >= 2:
                n, mul, i = 0, 1, 1
                while i < len(buf):
                    n += (buf[i] & 127) * mul
                    mul *= 128
                    if not buf[i] & 128:
                        break
                    i += 1
                else:
                    break
                end = i + 1 + n
                if end > len(buf):
                    break
                if buf[0] >> 4 == 3:
                    body = buf[i + 1:end]
                    tl = int.from_bytes(body[:2], "big")
                    topic = body[2:2 + tl].decode()
                    try:
                        self.values[topic] = int(body[2 + tl:].decode().strip())
                    except ValueError:
                        pass
                buf = buf[end:]

    def dropped(self):
        return self.values.get(self.TOPICS[0])


class Publisher:
    """scripts/ingest-bench/publisher.py in its own process, on the broker's core."""

    def __init__(self, port):
        self.proc = start(["taskset", "-c", str(OTHER_CORE), sys.executable, str(HERE / "publisher.py"),
                           "127.0.0.1", str(port), str(TOPICS)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        if not first.strip().startswith('{"ready"'):
            sys.exit(f"ingest-bench: the publisher did not start: {first!r}")
        self.seq = 0

    def ask(self, cmd):
        try:
            self.proc.stdin.write(json.dumps(cmd) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            sys.exit(f"ingest-bench: the publisher exited ({self.proc.poll()}) on {cmd['cmd']}")
        answer = json.loads(line)
        if "error" in answer:
            sys.exit(f"ingest-bench: publisher: {answer['error']}")
        self.seq = answer["last_seq"]
        return answer

    def run(self, rate, count):
        return self.ask({"cmd": "run", "rate": rate, "count": count})

    def round(self):
        return self.ask({"cmd": "round"})

    def cpu(self):
        return cpu_secs(self.proc.pid)


# --- The pages ---

def topic(i):
    return f"bench/t/{i:03d}"


def prefix(seq):
    """The start of the payload text with sequence number `seq`: what a caught-up element shows."""
    return f'{{"s":{seq},'


LOG_LINES = 100


def app_config(ws_port, with_log):
    """One connection to the broker's WebSocket port and one dashboard: 50 value cards showing
    the payload as text (no JSON path, no decimals), and for B2/B5 a log of `#` (100 lines, the
    editor's default) and a chart of `$.s` on `bench/t/000`, as `src/config/write.rs` writes it."""

    def binding(t, json_path=None):
        b = {"topic": t, "scale": 1.0, "offset": 0.0, "qos": "0"}
        if json_path:
            b["json_path"] = json_path
        return b

    widgets = [{"id": f"v{t:03d}", "title": topic(t), "type": "value", "binding": binding(topic(t)),
                "unit": "", "stale_after_secs": 0} for t in WATCHED]
    if with_log:
        widgets.insert(0, {"id": "log", "title": "All topics", "type": "log", "filter": "#", "qos": "0",
                           "lines": LOG_LINES, "format": "text"})
        # 300 points: the chart's history is full after 30 s at B5's 10 messages a second on
        # its topic, so B5's first sample (1 min) sees it full.
        widgets.insert(1, {"id": "chart", "title": "Sequence", "type": "chart",
                           "series": [{"label": "seq", "binding": binding(topic(0), "$.s"), "color": "#dc2626"}],
                           "window_secs": 60, "max_points": 300, "unit": ""})
    return {
        "version": 1,
        "connections": [{
            "id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1", "port": ws_port,
            "path": "/mqtt", "remember_password": False, "client_id": "tablero-ingest-bench",
            "mqtt_version": "3.1.1", "keep_alive_secs": 30, "clean_start": True, "session_expiry_secs": 0,
        }],
        "dashboards": [{"id": "bench", "name": "Bench", "connection": "local", "widgets": widgets}],
    }


def page_spec(kind, bench, ws_port):
    """What a page loads and what the probe watches on it.

    kind: `app`, `mqttjs` or `bare`; bench: `b1` (50 topics subscribed), `b2` (`#`)."""
    broker = f"ws://127.0.0.1:{ws_port}/mqtt"
    all_topics = bench == "b2"
    if kind == "app":
        return {
            "page": kind, "url": "/app/?lang=en",
            "appConfig": app_config(ws_port, with_log=all_topics),
            "watch": [f'[data-widget-id="v{t:03d}"] .value-number' for t in WATCHED],
            "top": '[data-widget-id="log"] .log-lines > li:first-child .log-payload' if all_topics else None,
            "countSel": '[data-widget-id="log"] .log-count' if all_topics else None,
            "counts": all_topics,
        }
    topics = [topic(t) for t in (range(TOPICS) if all_topics else WATCHED)]
    return {
        "page": kind, "url": "/peer/",
        "peer": {"broker": broker, "filters": ["#"] if all_topics else topics, "topics": topics},
        "watch": [] if kind == "bare" else [f"#t{t:03d}" for t in WATCHED],
        "top": None, "countSel": None, "counts": all_topics,
    }


class Server:
    """Serves dist/ (probe injected), the peer pages and their bundles, and talks to the probe."""

    def __init__(self, dist, bundles):
        self.dist = dist
        self.bundles = bundles
        self.spec = None
        self.queues = {}
        self.replies = {}
        self.caught = {}
        self.cond = threading.Condition()
        self.ready = threading.Event()
        self.errors = []
        self.next_id = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def index_html(self):
        """dist/index.html as served (as scripts/paint-bench.py serves it): without its
        Content-Security-Policy, the probe first. Read at each load: dist/ may be rebuilt."""
        html = (self.dist / "index.html").read_text()
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, flags=re.S)
        return html.replace("<head>", '<head><script src="/bench/probe.js"></script>', 1)

    def load(self, spec):
        """The page to serve next, with a fresh token (answers from an older page are ignored)."""
        self.spec = dict(spec, token=f"{time.time_ns()}")
        self.queues[self.spec["token"]] = queue.Queue()
        self.ready.clear()
        return self.base + spec["url"]

    def ask(self, cmd, timeout=60):
        with self.cond:
            self.next_id += 1
            cmd = dict(cmd, id=self.next_id)
        self.queues[self.spec["token"]].put(cmd)
        deadline = time.monotonic() + timeout
        with self.cond:
            while cmd["id"] not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0 or self.errors:
                    sys.exit(f"ingest-bench: no answer from the {self.spec['page']} page to {cmd['cmd']} "
                             f"({self.errors or 'timed out'})")
                self.cond.wait(left)
            reply = self.replies.pop(cmd["id"])
        if "error" in reply:
            sys.exit(f"ingest-bench: the probe failed on {cmd['cmd']}: {reply['error']}")
        return reply

    def wait_caught(self, cid, deadline_epoch_ms):
        with self.cond:
            while cid not in self.caught:
                left = deadline_epoch_ms / 1000 - time.time()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.5))
            return self.caught.pop(cid)

    def handler(self):
        server = self
        types = {".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css",
                 ".html": "text/html", ".svg": "image/svg+xml", ".png": "image/png",
                 ".webmanifest": "application/manifest+json"}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, body, kind="application/json", status=200):
                if isinstance(body, str):
                    body = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", kind)
                    self.send_header("content-length", str(len(body)))
                    self.send_header("cache-control", "no-store")
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                url = urlparse(self.path)
                path = url.path
                if path == "/bench/cmd":
                    token = parse_qs(url.query).get("token", [""])[0]
                    q = server.queues.get(token)
                    if q is None:
                        return self.send('{"cmd":"none"}')
                    try:
                        cmd = q.get(timeout=5)
                    except queue.Empty:
                        return self.send('{"cmd":"none"}')
                    return self.send(json.dumps(cmd))
                if path == "/bench/config":
                    return self.send(json.dumps(server.spec))
                if path == "/bench/probe.js":
                    return self.send((HERE / "probe.js").read_bytes(), types[".js"])
                if path == "/bench/peer.js":
                    return self.send(server.bundles[server.spec["page"]].read_bytes(), types[".js"])
                if path == "/peer/":
                    return self.send((HERE / "peer.html").read_bytes(), types[".html"])
                if path == "/app/":
                    return self.send(server.index_html(), types[".html"])
                if path == "/app/sw.js":
                    # No service worker: on a first visit it downloads every wasm chunk to cache
                    # them, in the seconds the page is measured idle and at its first steps
                    # (the app ignores a failed registration).
                    return self.send("no service worker in the benchmark", "text/plain", 404)
                if path.startswith("/app/"):
                    file = (server.dist / path[len("/app/"):]).resolve()
                    if file.is_file() and server.dist in file.parents:
                        return self.send(file.read_bytes(), types.get(file.suffix, "application/octet-stream"))
                self.send("not found", "text/plain", 404)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                with server.cond:
                    if self.path == "/bench/reply":
                        server.replies[body["id"]] = body
                    elif self.path == "/bench/caught":
                        server.caught[body["id"]] = body
                    elif self.path == "/bench/ready":
                        if server.spec and body.get("token") == server.spec["token"]:
                            server.ready.set()
                    elif self.path == "/bench/error":
                        server.errors.append(body)
                    server.cond.notify_all()
                self.send("{}")

        return Handler


def bundle_peers(tmp):
    """The peers' JavaScript, bundled now by esbuild from node_modules (nothing from a CDN)."""
    esbuild = ROOT / "node_modules/.bin/esbuild"
    if not esbuild.exists() or not (ROOT / "node_modules/mqtt/package.json").exists():
        sys.exit("ingest-bench: node_modules lacks esbuild or mqtt (npm ci)")
    if esbuild.read_bytes()[:2] == b"#!" and not shutil.which("node"):
        sys.exit("ingest-bench: node missing (esbuild's launcher is a node script)")
    out = {}
    for kind in ("mqttjs", "bare"):
        target = tmp / f"peer-{kind}.js"
        subprocess.run([str(esbuild), str(HERE / f"peer-{kind}.js"), "--bundle", "--format=iife",
                        "--platform=browser", "--minify", "--log-level=warning", f"--outfile={target}"],
                       check=True, cwd=ROOT)
        out[kind] = target
    return out


class Browser:
    """Headless Chromium on core 0 with no DevTools client, on one page."""

    def __init__(self, url, profile, extra=()):
        self.proc = start(["taskset", "-c", str(BROWSER_CORE), "chromium", *CHROMIUM_FLAGS, *extra,
                           f"--user-data-dir={profile}", url],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def renderers(self):
        return renderers(self.proc.pid)

    def cpu(self):
        return sum(cpu_secs(p) for p in self.renderers())

    def cpu_all(self):
        """Every Chromium process: the browser, its network service (the WebSocket's bytes), the
        renderers; all pinned to the browser's core."""
        return cpu_secs(self.proc.pid) + sum(cpu_secs(p) for p in children_of(self.proc.pid))

    def page_renderer(self):
        """The renderer that works (a spare one may idle beside it): the busiest."""
        pids = self.renderers()
        return max(pids, key=cpu_secs) if pids else None

    def close(self):
        stop(self.proc)


class DriverBrowser:
    """Chromium driven by chromedriver (a DevTools client: for `--screenshot` only, never for
    a measurement), through WebDriver's HTTP API."""

    def __init__(self, url, profile, extra=()):
        from urllib import request
        self.request = request
        driver = shutil.which("chromedriver")
        if not driver:
            sys.exit("ingest-bench: chromedriver missing (apt-get install chromium-driver)")
        port = free_port()
        self.proc = start(["taskset", "-c", str(BROWSER_CORE), driver, f"--port={port}"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")]
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/lib/chromium/chromium" if os.path.exists("/usr/lib/chromium/chromium") else "chromium",
            "args": [*flags, *extra, "--window-size=1280,1600", f"--user-data-dir={profile}"]}}}}
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = self.request.Request(self.base + path, data=data, method=method,
                                   headers={"content-type": "application/json"})
        with self.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def screenshot(self, file):
        import base64
        png = self.call("GET", f"/session/{self.session}/screenshot")["value"]
        pathlib.Path(file).write_bytes(base64.b64decode(png))

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        except OSError:
            pass
        stop(self.proc)


class Session:
    """One broker and publisher for the whole run; one browser per (benchmark, page)."""

    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.broker = Mosquitto(tmp)
        self.sys = SysMonitor(self.broker.tcp)
        self.pub = Publisher(self.broker.tcp)
        self.server = Server(args.dist.resolve(), bundle_peers(tmp))
        self.profiles = 0

    def open(self, kind, bench, extra=(), driven=False):
        spec = page_spec(kind, bench, self.broker.ws)
        url = self.server.load(spec)
        self.profiles += 1
        self.log_mark = len(self.broker.lines)
        browser = (DriverBrowser if driven else Browser)(url, self.tmp / f"profile-{self.profiles}", extra)
        if not self.server.ready.wait(60):
            browser.close()
            sys.exit(f"ingest-bench: the {kind} page ({bench}) did not show its watched elements in 60 s "
                     f"(is dist/ whole? probe errors: {self.server.errors})")
        self.prime(spec)
        return spec, browser

    def prime(self, spec):
        """Rounds of one message per topic until the page shows one whole round: it is
        connected and subscribed, and its elements show payloads."""
        for attempt in range(30):
            seqs = range(self.pub.seq + 1, self.pub.seq + TOPICS + 1)
            arm = self.arm(spec, seqs, TOPICS)
            self.pub.round()
            if self.server.wait_caught(arm["id"], time.time() * 1000 + 1500):
                time.sleep(1.0)  # the first screen settles
                return
            self.server.ask({"cmd": "disarm"})
        status = self.server.ask({"cmd": "status"})
        texts = status.pop("texts")
        sys.exit(f"ingest-bench: the {spec['page']} page does not show the messages (is it subscribed?): "
                 f"{json.dumps(status)}; last round {seqs[0]}..{seqs[-1]}; watched: {json.dumps(texts)[:600]}\n"
                 "broker:\n" + "\n".join(self.broker.lines[-20:]))

    def arm(self, spec, seqs, count):
        """Arms the probe for the messages `seqs` (a range): each watched element's last one."""
        first, last = seqs[0], seqs[-1]
        watch = []
        for i, t in enumerate(WATCHED if spec["watch"] else []):
            s = last - ((last - t) % TOPICS)
            if s >= first:
                watch.append([i, prefix(s)])
        cmd = {"cmd": "arm", "watch": watch,
               "top": prefix(last) if spec["top"] else None,
               "countDelta": count if spec["counts"] else None}
        return self.server.ask(cmd)

    def broker_events(self):
        """The page's connections and disconnections in mosquitto's log since it was opened."""
        lines = self.broker.lines[self.log_mark:]
        return {"connects": sum("New client connected" in line for line in lines),
                "disconnects": [line for line in lines if re.search(r"closed its connection|disconnected|exceeded timeout|Socket error", line)][:10]}

    def idle(self, browser, secs=3.0):
        """The renderer's CPU share with no traffic: what a page costs just being shown."""
        cpu0 = browser.cpu()
        time.sleep(secs)
        return (browser.cpu() - cpu0) / secs

    def steps(self, spec, browser, rates, secs, idle=None):
        """The rate steps of B1/B2 on one page; stops after a step the page did not catch up
        with in `--drain-secs` (the next, faster, would only pile up more)."""
        out = []
        for rate in rates:
            count = int(rate * secs)
            seqs = range(self.pub.seq + 1, self.pub.seq + count + 1)
            dropped0 = self.sys.dropped()
            arm = self.arm(spec, seqs, count)
            wall0 = time.monotonic()
            cpu0, broker0, pub0, all0 = browser.cpu(), self.broker.cpu(), self.pub.cpu(), browser.cpu_all()
            run = self.pub.run(rate, count)
            caught = self.server.wait_caught(arm["id"], run["end_ms"] + self.args.drain_secs * 1000)
            cpu1, broker1, pub1, all1 = browser.cpu(), self.broker.cpu(), self.pub.cpu(), browser.cpu_all()
            # CPU shares are per second of wall time between the two readings (the step and
            # its catch-up).
            wall = time.monotonic() - wall0
            if not caught:
                left = self.server.ask({"cmd": "disarm"})
            time.sleep(1.2)  # $SYS is published every second
            dropped1 = self.sys.dropped()
            summ = self.server.ask({"cmd": "summary", "from": run["start_ms"], "to": run["end_ms"]})
            received = round((summ["totalBytes"] - arm["bytes"]) / PACKET_BYTES)
            frames = summ["tsIntervals"] if self.args.frame_clock == "frame" else summ["intervals"]
            in_window = round(summ["bytes"] / PACKET_BYTES)
            catch_ms = None
            if caught:
                times = [t for t in (caught["lastWatched"], caught["topAt"], caught["countAt"]) if t]
                catch_ms = max(times) - run["end_ms"] if times else 0.0
            step = {
                "rate": rate, "count": count, "secs": run["secs"], "achieved": run["achieved"],
                "publisher_max_lag_ms": run["max_lag_ms"],
                "received": received, "received_in_step": in_window,
                # WebSocket message events in the step: more messages than events means the
                # broker put several PUBLISH packets in one WebSocket frame.
                "ws_events_in_step": summ["messages"],
                "reached_rate": in_window / run["secs"],
                # Frame intervals two ways: between the timestamps Chromium passes to consecutive
                # rAF callbacks (the frames' own times: a dropped frame is 33.3 ms, a frame is
                # never "late" by less) and between the callbacks' own start
                # (performance.now(): adds the jitter of when a callback runs in its frame,
                # behind a message task). `--frame-clock` picks the one judged.
                "p50_frame_ms": pct(frames, 50), "p95_frame_ms": pct(frames, 95),
                "max_frame_ms": max(frames, default=None), "frame_clock": self.args.frame_clock,
                "p95_frame_ts_ms": pct(summ["tsIntervals"], 95),
                "p95_frame_callback_ms": pct(summ["intervals"], 95), "frames": len(summ["intervals"]),
                "caught_up": bool(caught), "catch_up_ms": catch_ms,
                "caught_within_1s": catch_ms is not None and catch_ms <= CATCH_UP_MS,
                "not_caught": None if caught else left,
                "page_count": summ["count"],
                # Animation frames of 50 ms or more during the step (LoAF): their time in
                # scripts (by invoker), in rendering, in style and layout.
                "long_frames": summ.get("longFrames"),
                "renderer_cpu_s": cpu1 - cpu0,
                "cpu_us_per_msg": (cpu1 - cpu0) * 1e6 / received if received else None,
                # The same without what the page costs with no traffic (measured before the steps).
                "cpu_us_per_msg_above_idle":
                    (cpu1 - cpu0 - idle * wall) * 1e6 / received if received and idle is not None else None,
                "cpu_wall_secs": wall,
                "renderer_cpu_share": (cpu1 - cpu0) / wall,
                "broker_cpu_share": (broker1 - broker0) / wall,
                # All of Chromium: the browser process, its network service (the WebSocket's
                # bytes) and the renderers, all on the browser's core.
                "chromium_cpu_share": (all1 - all0) / wall,
                "publisher_cpu_share": (pub1 - pub0) / wall,
                "broker_dropped": None if dropped0 is None or dropped1 is None else dropped1 - dropped0,
            }
            step["sustained"] = bool(step["caught_within_1s"] and step["p95_frame_ms"] is not None
                                     and step["p95_frame_ms"] <= FRAME_BUDGET_MS)
            out.append(step)
            log(f"  {spec['page']:6} {rate:6}/s: achieved {run['achieved']:8.0f}/s, page {step['reached_rate']:8.0f}/s, "
                f"p95 frame {fmt(step['p95_frame_ms'])} ms, catch-up {fmt(catch_ms, 0)} ms, "
                f"CPU {fmt(step['cpu_us_per_msg'])} µs/msg, broker {step['broker_cpu_share'] * 100:.0f} % "
                f"dropped {step['broker_dropped']}")
            if not caught:
                log(f"  {spec['page']} did not catch up within {self.args.drain_secs} s: no faster steps")
                break
        return out

    def latency(self, spec, browser, rate, secs):
        self.server.ask({"cmd": "latency", "on": True})
        run = self.pub.run(rate, int(rate * secs))
        time.sleep(0.5)
        got = self.server.ask({"cmd": "latency", "on": False})
        v = got["values"]
        return {"rate": rate, "secs": run["secs"], "achieved": run["achieved"], "n": len(v),
                "superseded": got["superseded"],
                "p50_ms": pct(v, 50), "p95_ms": pct(v, 95), "p99_ms": pct(v, 99),
                "max_ms": max(v, default=None), "min_ms": min(v, default=None)}

    def memory(self, browser):
        m = self.server.ask({"cmd": "memory", "gc": True})
        pid = browser.page_renderer()
        m["rss"] = rss_bytes(pid) if pid else None
        m["at"] = time.time()
        return m


def pct(values, p):
    """The p-th percentile (nearest rank)."""
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def fmt(v, digits=1):
    return "—" if v is None else f"{v:,.{digits}f}"


# --- The benchmarks ---

def bench_steps(session, bench, kinds, rates, secs):
    """Per page: its idle renderer CPU share, then its steps."""
    out, idle = {}, {}
    for kind in [k for k in kinds if k in session.args.pages.split(",")]:
        log(f"{bench.upper()} {kind}")
        spec, browser = session.open(kind, bench)
        try:
            idle[kind] = session.idle(browser)
            log(f"  {kind} idle: renderer CPU {idle[kind] * 100:.1f} % of a core")
            out[kind] = session.steps(spec, browser, rates, secs, idle[kind])
            events = session.broker_events()
            if events["connects"] != 1:
                log(f"  {kind}: {events['connects']} connections to the broker: {events['disconnects']}")
            for step in out[kind]:
                step["page_connections"] = events["connects"]
        finally:
            browser.close()
    return out, idle


def bench_latency(session, rate, secs):
    out = {}
    for kind in [k for k in ("app", "mqttjs") if k in session.args.pages.split(",")]:
        log(f"B3 {kind}")
        spec, browser = session.open(kind, "b1")
        try:
            session.latency(spec, browser, rate, 1)  # warm-up, not counted
            out[kind] = session.latency(spec, browser, rate, secs)
            r = out[kind]
            log(f"  {kind}: n {r['n']}, p50 {fmt(r['p50_ms'])} ms, p99 {fmt(r['p99_ms'])} ms")
        finally:
            browser.close()
    return out


def bench_memory(session, rate, minutes, samples_per_mark=5):
    """The app with B2's dashboard at `rate` for `minutes`: memory after 1 min and at the end
    (and every 30 s between, in the JSON). Each mark takes `samples_per_mark` samples a second
    apart, each after `gc()` (--expose-gc), and keeps the smallest: the heap is ≈2 MB, and
    the messages in flight at the moment of a sample (garbage a collection cannot free yet)
    move a single sample by 20 %; what stays is the floor."""
    log(f"B5 app, {minutes} min at {rate}/s")
    spec, browser = session.open("app", "b2", extra=["--js-flags=--expose-gc"])
    marks_out = []
    try:
        total = minutes * 60
        count = int(rate * total)
        session.server.ask({"cmd": "record", "on": False})
        done = threading.Event()
        result = {}
        arm = session.arm(spec, range(session.pub.seq + 1, session.pub.seq + count + 1), count)

        def publish():
            result["run"] = session.pub.run(rate, count)
            done.set()

        t0 = time.time()
        threading.Thread(target=publish, daemon=True).start()
        span = samples_per_mark - 1
        marks = sorted({*range(30, int(total) + 1, 30), 60, int(total)})
        for mark in marks:
            while time.time() - t0 < mark - span - 0.5 and not done.is_set():
                time.sleep(0.2)
            taken = []
            for k in range(samples_per_mark):
                if k:
                    time.sleep(1.0)
                taken.append(session.memory(browser))
            floor = {key: min((m[key] for m in taken if m[key] is not None), default=None)
                     for key in ("usedJSHeapSize", "totalJSHeapSize", "wasmBytes", "rss")}
            floor["minute"] = (taken[-1]["at"] - t0) / 60
            floor["all"] = taken
            marks_out.append(floor)
            log(f"  {floor['minute']:.1f} min: JS heap {fmt(floor['usedJSHeapSize'] / 1e6 if floor['usedJSHeapSize'] else None, 2)} MB, "
                f"wasm {fmt(floor['wasmBytes'] / 1e6 if floor['wasmBytes'] else None, 2)} MB, "
                f"RSS {fmt(floor['rss'] / 1e6 if floor['rss'] else None, 1)} MB")
        done.wait()
        run = result["run"]
        caught = session.server.wait_caught(arm["id"], run["end_ms"] + session.args.drain_secs * 1000)
        status = session.server.ask({"cmd": "status"})
        left = None if caught else session.server.ask({"cmd": "disarm"})
        events = session.broker_events()
    finally:
        browser.close()
    one = min(marks_out, key=lambda m: abs(m["minute"] - 1))
    end = marks_out[-1]
    catch_ms = None
    if caught:
        catch_ms = max(t for t in (caught["lastWatched"], caught["topAt"], caught["countAt"]) if t) - run["end_ms"]
    return {"rate": rate, "minutes": minutes, "achieved": run["achieved"], "sent": count, "marks": marks_out,
            "at_1min": one, "at_end": end, "final_count": status["count"], "caught_up": bool(caught),
            "ws_packets": round(status["bytes"] / PACKET_BYTES), "broker_events": events, "not_caught": left,
            "catch_up_ms": catch_ms}


# --- The report ---

def summarize_b1(b1):
    app, peer = b1.get("app", []), b1.get("mqttjs", [])

    def max_sustained(steps):
        ok = [s["rate"] for s in steps if s["sustained"]]
        return max(ok) if ok else None

    ms_app, ms_peer = max_sustained(app), max_sustained(peer)
    by_app = {s["rate"]: s for s in app}
    by_peer = {s["rate"]: s for s in peer}
    common = [r for r in by_app if r in by_peer and by_app[r]["sustained"] and by_peer[r]["sustained"]]
    common_kind = "both sustained"
    if not common:
        common = [r for r in by_app if r in by_peer]
        common_kind = "both measured"
    hc = max(common) if common else None
    cpu_ratio = cpu_ratio_above_idle = None
    if hc and by_app[hc]["cpu_us_per_msg"] and by_peer[hc]["cpu_us_per_msg"]:
        cpu_ratio = by_app[hc]["cpu_us_per_msg"] / by_peer[hc]["cpu_us_per_msg"]
    if hc and by_app[hc].get("cpu_us_per_msg_above_idle") and (by_peer[hc].get("cpu_us_per_msg_above_idle") or 0) > 0:
        cpu_ratio_above_idle = by_app[hc]["cpu_us_per_msg_above_idle"] / by_peer[hc]["cpu_us_per_msg_above_idle"]
    return {"max_sustained_app": ms_app, "max_sustained_mqttjs": ms_peer,
            "ratio": ms_app / ms_peer if ms_app and ms_peer else None,
            "highest_common_rate": hc, "highest_common_kind": common_kind, "cpu_ratio": cpu_ratio,
            "cpu_ratio_above_idle": cpu_ratio_above_idle}


def write_report(args, results, started):
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip().split(" built")[0]
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    out = []
    w = out.append
    w("## Browser ingest: the app against MQTT.js (headless Chromium)")
    w("")
    w(f"`{results['command']}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
      f"{os.cpu_count()} cores ({cpu_model}), load average {results['load']:.1f} at the start; "
      f"{chromium} `--headless=new` with no DevTools client, pinned to core 0; {results['mosquitto']} "
      "(TCP for the publisher, WebSocket for the pages), this script and the publisher on core 1.")
    w("")
    mqttjs = json.loads((ROOT / "node_modules/mqtt/package.json").read_text())["version"]
    frame_words = ("the timestamps Chromium passes to consecutive rAF callbacks (each frame's own time: a dropped "
                   "frame is a 33.3 ms interval)" if args.frame_clock == "frame" else
                   "`performance.now()` at the start of consecutive rAF callbacks (includes the jitter of when a "
                   "callback runs in its frame)")
    for line in [
        "Method: a raw-socket MQTT 3.1.1 publisher (Python, QoS 0, batches per millisecond) sends round robin",
        "over 500 topics `bench/t/000`..`bench/t/499` 64-byte payloads `{\"s\":<seq>,\"t\":<µs>}` padded with",
        "spaces. The release `dist/` is served with a probe (`scripts/ingest-bench/probe.js`) loaded before the",
        "app (and without its service worker, which on a first visit downloads every wasm chunk); the probe",
        "stores the dashboard in localStorage: one MQTT 3.1.1 connection to the broker's WebSocket port,",
        f"50 value cards (every 10th topic, the payload shown as text), for B2/B5 also a log of `#` ({LOG_LINES} lines)",
        f"and a chart of `$.s` on `bench/t/000`. The peers are pages with the same probe: MQTT.js {mqttjs}",
        "(bundled by esbuild) writing each payload into its topic's text node, and a bare WebSocket page whose",
        "hand-written client only counts PUBLISH packets. Each page is loaded fresh, then rounds of one message",
        "per topic until it shows a whole round.",
        "",
        f"Per step ({args.step_secs:g} s at each offered rate): **page** — messages that reached the page's",
        "WebSocket during the step, a second; **p95 frame** — 95th percentile of the intervals between",
        f"{frame_words}, during the step; **catch-up** — from the publisher's last message to the frame where",
        "every watched element shows its topic's last payload (and, on `#`, the page's count reached the",
        f"number sent: the app's log counts every message, \"The last {LOG_LINES} of N\"; the peers count in JavaScript);",
        "**CPU/msg** — utime + stime of Chromium's renderer processes (/proc) from before the step to caught",
        "up, divided by the messages that reached the page (at low rates mostly the page's idle cost, given",
        f"above each table). A step is **sustained** when caught up within {CATCH_UP_MS} ms with p95 frame ≤",
        f"{FRAME_BUDGET_MS} ms; after a step not caught up within {args.drain_secs:g} s, faster steps are skipped.",
        "**pub** — the rate the publisher achieved; **broker** — mosquitto's CPU share of its core and the",
        "messages it dropped (`$SYS/broker/publish/messages/dropped`). Raw figures (frame intervals both",
        "ways, long animation frames, CPU of every process) are in the JSON beside this file.",
        "",
    ]:
        w(line)
    targets = []

    def saturation(steps_by_kind):
        """At the highest rate offered: did the publisher and the broker keep up?"""
        top = max((st["rate"] for k in steps_by_kind.values() for st in k), default=None)
        at = [st for k in steps_by_kind.values() for st in k if st["rate"] == top]
        if not at:
            return
        ach = min(st["achieved"] for st in at)
        cpu = max(st["broker_cpu_share"] for st in at)
        drops = [st["broker_dropped"] for st in at if st["broker_dropped"] is not None]
        chromium = max(st["chromium_cpu_share"] for st in at)
        w(f"Publisher and broker at {top:,} msg/s offered: the publisher achieved ≥ {ach:,.0f} msg/s "
          f"({'kept up' if ach >= 0.98 * top else 'saturated'}); mosquitto used ≤ {cpu * 100:.0f} % of its core "
          f"and dropped {sum(drops) if drops else '?'} messages; all of Chromium (browser, network service, "
          f"renderer, on one core) used up to {chromium * 100:.0f} % of its core (step and catch-up).")
        w("")

    def steps_table(title, steps_by_kind, kinds, idle):
        w(f"### {title}")
        w("")
        w("Renderer CPU with no traffic (the page shown, 3 s): " + ", ".join(
            f"{k} {idle[k] * 100:.1f} %" for k in kinds if k in idle) + " of a core.")
        w("")
        head = "| offered msg/s | pub msg/s | broker CPU, dropped |"
        sep = "|---:|---:|---|"
        for k in kinds:
            head += f" {k}: page msg/s | p95 frame ms | catch-up ms | CPU µs/msg |"
            sep += "---:|---:|---:|---:|"
        w(head)
        w(sep)
        rates = sorted({s["rate"] for k in kinds for s in steps_by_kind.get(k, [])})
        for r in rates:
            row = [f"{r:,}"]
            steps = {k: next((s for s in steps_by_kind.get(k, []) if s["rate"] == r), None) for k in kinds}
            first = next(s for s in steps.values() if s)
            ach = [s["achieved"] for s in steps.values() if s]
            row.append(" / ".join(f"{a:,.0f}" for a in ach))
            row.append(" / ".join(f"{s['broker_cpu_share'] * 100:.0f} %, {s['broker_dropped'] if s['broker_dropped'] is not None else '?'}"
                                  for s in steps.values() if s))
            for k in kinds:
                s = steps[k]
                if not s:
                    row += ["—"] * 4
                    continue
                mark = "" if s["sustained"] else " ✗"
                catch = fmt(s["catch_up_ms"], 0) if s["caught_up"] else f"> {args.drain_secs * 1000:,.0f}"
                row += [f"{s['reached_rate']:,.0f}{mark}", fmt(s["p95_frame_ms"]), catch, fmt(s["cpu_us_per_msg"])]
            w("| " + " | ".join(row) + " |")
        w("")
        w("(pub and broker: one figure per page, in the order of the columns; ✗: not sustained.)")
        w("")

    if "b1" in results:
        b1 = results["b1"]
        steps_table("B1: 50 value cards on 50 of the 500 topics (the app) vs MQTT.js subscribed to the same 50",
                    b1["steps"], ["app", "mqttjs"], b1["idle_cpu_share"])
        saturation(b1["steps"])
        s = b1["summary"]
        w(f"Max sustained (offered msg/s over all 500 topics; a tenth reach the page): app {fmt(s['max_sustained_app'], 0)}, "
          f"MQTT.js {fmt(s['max_sustained_mqttjs'], 0)}: **ratio {fmt(s['ratio'], 2)}×**. "
          f"CPU per message at the highest common rate ({fmt(s['highest_common_rate'], 0)} msg/s, {s['highest_common_kind']}): "
          f"**app/MQTT.js {fmt(s['cpu_ratio'], 2)}×** ({fmt(s['cpu_ratio_above_idle'], 2)}× without each page's "
          "idle CPU).")
        w("")
        top_rate = max(args.b1_rates)
        at_top = [st for k in b1["steps"].values() for st in k if st["rate"] == top_rate]
        pub_kept_up = bool(at_top) and all(st["achieved"] >= 0.98 * top_rate for st in at_top)
        capped = s["max_sustained_app"] == top_rate and s["max_sustained_mqttjs"] == top_rate
        bound = " at least: the app sustained the highest rate offered" if s["max_sustained_app"] == top_rate else ""
        if s["ratio"] is not None and s["ratio"] >= 2:
            targets.append(f"- B1 max sustained ≥ 2× MQTT.js: **met** ({s['ratio']:.2f}×{bound}).")
        elif capped:
            targets.append(f"- B1 max sustained ≥ 2× MQTT.js: not measurable — both pages sustained the highest rate offered "
                           f"({top_rate:,} msg/s; the publisher {'kept up' if pub_kept_up else 'saturated'}), "
                           "so the CPU target below applies.")
        else:
            gap = f" by {2 - s['ratio']:.2f}×" if s["ratio"] is not None else ""
            targets.append(f"- B1 max sustained ≥ 2× MQTT.js: **missed{gap}** ({fmt(s['ratio'], 2)}×{bound}).")
        if s["cpu_ratio"] is not None:
            verdict = "met" if s["cpu_ratio"] <= 0.5 else f"missed by {s['cpu_ratio'] - 0.5:.2f}×"
            targets.append(f"- B1 renderer CPU per message ≤ 0.5× MQTT.js's at the highest common rate "
                           f"({fmt(s['highest_common_rate'], 0)} msg/s): **{verdict}** ({s['cpu_ratio']:.2f}×).")

    if "b2" in results:
        b2 = results["b2"]
        steps_table("B2: everything on `#` — the app (log of `#`, chart, 50 value cards) vs the bare page and MQTT.js on `#`",
                    b2["steps"], ["app", "bare", "mqttjs"], b2["idle_cpu_share"])
        saturation(b2["steps"])
        s = b2["summary"]
        ceiling = (f" The bare page sustained the highest rate offered ({max(args.rates):,} msg/s): its ceiling is at "
                   "least that, and app/bare at most the ratio given." if s["bare"] == max(args.rates) else "")
        w(f"Max msg/s at 60 fps (sustained): app {fmt(s['app'], 0)}, bare page {fmt(s['bare'], 0)}, MQTT.js "
          f"{fmt(s['mqttjs'], 0)}: **app/bare {fmt(s['ratio_bare'], 2)}×**, app/MQTT.js {fmt(s['ratio_mqttjs'], 2)}×."
          + ceiling)
        w("")
        if s["ratio_bare"] is not None:
            verdict = "met" if s["ratio_bare"] >= 0.8 else f"missed by {0.8 - s['ratio_bare']:.2f}×"
            targets.append(f"- B2 app ≥ 0.8× the bare page's max at 60 fps: **{verdict}** ({s['ratio_bare']:.2f}×).")
        else:
            targets.append("- B2 app ≥ 0.8× the bare page's max at 60 fps: not measured (a page sustained no step).")

    if "b3" in results:
        b3 = results["b3"]
        w(f"### B3: publish → visible latency at {b3['app']['rate']:,} msg/s (50 value cards / MQTT.js text nodes)")
        w("")
        w("The payload's timestamp against the wall clock (publisher and browser share it) at the frame")
        w("that shows the payload: a MutationObserver notes each new payload text of the 50 watched")
        w("elements; the next rAF callback takes `performance.timeOrigin + performance.now()` minus the")
        w("timestamp (a text written during a frame's own rAF callbacks: at once, that frame shows it).")
        w(f"{b3['app']['secs']:.0f} s after a 1 s warm-up.")
        w("")
        w("| page | pub msg/s | payloads seen | p50 ms | p95 ms | p99 ms | max ms |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for k, name in (("app", "app"), ("mqttjs", "MQTT.js")):
            r = b3[k]
            w(f"| {name} | {r['achieved']:,.0f} | {r['n']} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | {fmt(r['p99_ms'])} | {fmt(r['max_ms'])} |")
        a, p = b3["app"], b3["mqttjs"]
        if a["p50_ms"] and p["p50_ms"]:
            w(f"| ratio app/MQTT.js | | | {a['p50_ms'] / p['p50_ms']:.2f}× | {a['p95_ms'] / p['p95_ms']:.2f}× | "
              f"{a['p99_ms'] / p['p99_ms']:.2f}× | |")
        w("")
        if a["p99_ms"] is not None:
            verdict = ("met" if a["p99_ms"] <= LATENCY_TARGET_MS
                       else f"missed by {a['p99_ms'] - LATENCY_TARGET_MS:.1f} ms")
            targets.append(f"- B3 p99 ≤ 1 frame + 2 ms ({LATENCY_TARGET_MS:.1f} ms): **{verdict}** (app {a['p99_ms']:.1f} ms, "
                           f"MQTT.js {fmt(p['p99_ms'])} ms).")

    if "b5" in results:
        b5 = results["b5"]
        w(f"### B5: memory, the app with B2's dashboard at {b5['rate']:,} msg/s for {b5['minutes']:g} min")
        w("")
        w("After `gc()` (Chromium with `--js-flags=--expose-gc --enable-precise-memory-info`): the JS heap")
        w("(`performance.memory.usedJSHeapSize`), the wasm linear memory, and the page's renderer RSS (/proc).")
        w(f"Publisher achieved {b5['achieved']:,.0f} msg/s ({b5['sent']:,} messages); the app "
          + (f"caught up {fmt(b5['catch_up_ms'], 0)} ms after the last one"
             if b5["caught_up"] else f"had not caught up {args.drain_secs:g} s after the last one")
          + f" (its log counted {fmt(b5['final_count'], 0)} messages, the first rounds included).")
        if b5["broker_events"]["connects"] != 1:
            w(f"The app connected {b5['broker_events']['connects']} times: {b5['broker_events']['disconnects']}")
        w("Each figure is the smallest of 5 samples a second apart, each after `gc()`: the messages in flight")
        w("at a sample are garbage not yet collectable, and move one sample of this ≈2 MB heap by up to 20 %.")
        w("")
        w(f"| memory | after {b5['at_1min']['minute']:.1f} min | after {b5['at_end']['minute']:.1f} min | growth |")
        w("|---|---:|---:|---:|")
        worst = None
        for key, name in (("usedJSHeapSize", "JS heap"), ("wasmBytes", "wasm memory"), ("rss", "renderer RSS")):
            a, b = b5["at_1min"].get(key), b5["at_end"].get(key)
            g = (b - a) / a * 100 if a and b is not None else None
            if g is not None and key != "wasmBytes":
                worst = g if worst is None else max(worst, g)
            w(f"| {name} | {fmt(a / 1e6 if a else None, 2)} MB | {fmt(b / 1e6 if b else None, 2)} MB | {fmt(g, 1)} % |")
        w("")
        if worst is not None:
            verdict = "met" if worst <= 5 else f"missed by {worst - 5:.1f} points"
            targets.append(f"- B5 growth ≤ 5 % (JS heap and RSS, 1 min → {b5['minutes']:g} min): **{verdict}** "
                           f"(worst {worst:.1f} %).")

    w("### Targets")
    w("")
    out += targets or ["- (no benchmark run)"]
    w("")
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1))
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path, help="the Markdown section to write (raw figures: same name, .json)")
    ap.add_argument("--quick", action="store_true", help="short steps, B5 for 2 minutes (≈5 min in all)")
    ap.add_argument("--only", default="b1,b2,b3,b5", help="which benchmarks, e.g. b1,b3")
    ap.add_argument("--skip-b5", action="store_true")
    ap.add_argument("--b5-minutes", type=float, default=None, help="B5's length (default 10; 2 with --quick)")
    ap.add_argument("--b5-rate", type=int, default=5000)
    ap.add_argument("--rates", default=None, help="B2's offered msg/s per step, comma separated (default 1k..40k)")
    ap.add_argument("--b1-rates", default=None, help="B1's (default 1k..160k)")
    ap.add_argument("--step-secs", type=float, default=None, help="seconds per step (default 5; 2 with --quick)")
    ap.add_argument("--drain-secs", type=float, default=None,
                    help="how long after a step a page may take to catch up before the faster steps are skipped")
    ap.add_argument("--b3-rate", type=int, default=1000)
    ap.add_argument("--b3-secs", type=float, default=None, help="B3's length (default 20 s; 5 with --quick)")
    ap.add_argument("--frame-clock", choices=["frame", "callback"], default="frame",
                    help="frame intervals from rAF's timestamp argument (frame) or performance.now() in the callback")
    ap.add_argument("--log-lines", type=int, default=100, help="the app's log size in B2/B5 (10..1000)")
    ap.add_argument("--pages", default="app,mqttjs,bare", help="which pages to run (for trying the harness)")
    ap.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist")
    ap.add_argument("--screenshot", type=pathlib.Path,
                    help="first, a PNG of the app's B2 dashboard under traffic (through chromedriver, a check only)")
    args = ap.parse_args()
    args.b1_rates = [int(float(r)) for r in (args.b1_rates or args.rates or "").split(",") if r] or B1_RATES
    args.rates = [int(float(r)) for r in args.rates.split(",")] if args.rates else FULL_RATES
    args.step_secs = args.step_secs or (2.0 if args.quick else 5.0)
    args.drain_secs = args.drain_secs or (5.0 if args.quick else 10.0)
    args.b3_secs = args.b3_secs or (5.0 if args.quick else 20.0)
    args.b5_minutes = args.b5_minutes or (2.0 if args.quick else 10.0)
    global LOG_LINES
    LOG_LINES = args.log_lines
    only = set(args.only.split(","))
    if args.skip_b5:
        only.discard("b5")

    for tool, hint in (("chromium", "apt-get install chromium"), ("taskset", "util-linux"),
                       ("stdbuf", "coreutils")):
        if not shutil.which(tool):
            sys.exit(f"ingest-bench: {tool} missing ({hint})")
    if not (args.dist / "index.html").exists():
        sys.exit(f"ingest-bench: {args.dist}/index.html missing (python3 scripts/build_web.py dist)")
    if len(os.sched_getaffinity(0)) < 2 or os.cpu_count() < 2:
        log("warning: fewer than 2 cores: Chromium and the broker share one")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # This script with the broker and publisher; Chromium alone on the other core.
    if len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {OTHER_CORE})

    started = time.time()
    results = {"command": "python3 scripts/ingest-bench.py " + " ".join(sys.argv[1:]),
        "load": os.getloadavg()[0], "args": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        session = Session(args, tmp)
        results["mosquitto"] = session.broker.version
        try:
            if args.screenshot:
                log(f"screenshot of the app's B2 dashboard after 2 s at 1,000 msg/s: {args.screenshot}")
                spec, browser = session.open("app", "b2", driven=True)
                try:
                    session.pub.run(1000, 2000)
                    time.sleep(0.5)
                    browser.screenshot(args.screenshot)
                    results["screenshot_status"] = session.server.ask({"cmd": "status"})
                finally:
                    browser.close()
            if "b3" in only:
                results["b3"] = bench_latency(session, args.b3_rate, args.b3_secs)
            if "b1" in only:
                steps, idle = bench_steps(session, "b1", ["app", "mqttjs"], args.b1_rates, args.step_secs)
                results["b1"] = {"steps": steps, "idle_cpu_share": idle, "summary": summarize_b1(steps)}
            if "b2" in only:
                steps, idle = bench_steps(session, "b2", ["app", "bare", "mqttjs"], args.rates, args.step_secs)

                def best(kind):
                    ok = [s["rate"] for s in steps.get(kind, []) if s["sustained"]]
                    return max(ok) if ok else None

                s = {k: best(k) for k in ("app", "bare", "mqttjs")}
                s["ratio_bare"] = s["app"] / s["bare"] if s["app"] and s["bare"] else None
                s["ratio_mqttjs"] = s["app"] / s["mqttjs"] if s["app"] and s["mqttjs"] else None
                results["b2"] = {"steps": steps, "idle_cpu_share": idle, "summary": s}
            if "b5" in only:
                results["b5"] = bench_memory(session, args.b5_rate, args.b5_minutes)
        finally:
            stop_all()
    results["minutes"] = (time.time() - started) / 60
    write_report(args, results, started)
    log(f"done in {results['minutes']:.1f} min")


if __name__ == "__main__":
    main()
