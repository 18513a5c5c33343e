#!/usr/bin/env python3
"""B9, the broker view under load: 10,000 retained topics at subscribe time, then 5,000 msg/s.

    python3 scripts/explorer-bench.py [OUT.md] [--quick] [--write] [--dist DIR] [--rounds N] [--secs S]

Measures, never asserts. Writes a Markdown section to OUT.md (default
target/bench-report/explorer.md) and every raw figure to OUT.json; `--write` also puts the
section into docs/BENCHMARKS.md (in place of an older B9 section, else before the CLI section).
Needs a release build (`python3 scripts/build_web.py DIR`; `--dist DIR`, default `dist`),
esbuild (`npm ci`), Debian's `chromium` and `mosquitto`. A full run (5 rounds, 20 s of traffic)
takes ≈5 min, `--quick` (1 round, 5 s) under 1 min.

- Broker: mosquitto on free loopback ports (scripts/ingest-bench.py's runner: TCP for the
  publisher, `websockets` for the pages, no queue limit), pinned to core 1 with this script and
  the publisher.
- Before any page opens, the publisher (scripts/explorer-bench/publisher.py, the ingest
  benchmark's raw-socket publisher with other topics) sends one RETAINED message on each of
  10,000 topics `bench/dev000/t00`..`bench/dev099/t99` (100 devices × 100 topics, 16-byte
  payloads `{"s":<seq>}`); a raw TCP subscriber then receives all 10,000 back (the broker holds
  them; the time it took is the floor of (a) without a browser).
- The app: the release build served with scripts/explorer-bench/probe.js loaded first (the
  ingest benchmark's server: no Content-Security-Policy, no service worker); the probe stores a
  configuration of one MQTT 3.1.1 connection to the broker's WebSocket port and one dashboard
  with no widget. The peer: scripts/explorer-bench/peer.html + peer.js (bundled by esbuild at
  run time), the same tree and virtual list written by hand over scripts/bench-mqtt.js.
- On each page the probe opens the explorer (the app's "Explore" tab), waits for the connection,
  types `bench/#` in the filter and clicks Subscribe. (a) From the click to the frame after
  which the tree's `data-topics` (set at each paint to its number of topics) reached 10,000,
  drawn (a task posted from that frame runs after its style, layout and paint). (b) Then the
  publisher sends 5,000 msg/s (QoS 0, not retained) round robin over the 10,000 topics for 20 s:
  the frame intervals (Chromium's rAF timestamps) meanwhile, and whether the page kept up: the
  frame after the last message where the page's WebSocket has received every byte sent and the
  rows in sight show each topic's count (1 retained + the messages on it) and last payload.
- Headless Chromium (`--headless=new`) with no DevTools client, pinned to core 0, one fresh
  browser per page and round; rounds alternate app, peer. The machine may be shared: before each
  page the script waits (`--quiet`, `--quiet-wait`) for core 0 to be quiet, and reports the share
  of core 0 other processes took during each measurement (/proc/stat minus Chromium's CPU).
"""
import argparse
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (scripts/benchlib.py)

ingest = benchlib.import_script("ingest-bench")

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "scripts" / "explorer-bench"
NAME = "explorer-bench"
TOPICS = 10_000
RATE = 5_000
FILTER = "bench/#"
DEVICES = 100
PER_DEVICE = TOPICS // DEVICES
SLOW_FRAME_MS = 50.0
CATCH_UP_MS = 1000
DOCS = ROOT / "docs" / "BENCHMARKS.md"
HEADING = "## B9 — broker view: 10,000 retained topics and 5,000 msg/s"


def log(*args):
    print(f"{NAME}:", *args, file=sys.stderr, flush=True)


def die(msg):
    sys.exit(f"{NAME}: {msg}")


def topic_name(i):
    return f"bench/dev{i // PER_DEVICE:03d}/t{i % PER_DEVICE:02d}"


# --- The publisher: scripts/explorer-bench/publisher.py in its own process, core 1 ---

class Publisher(ingest.Publisher):
    def __init__(self, port):
        self.proc = ingest.start(["taskset", "-c", str(benchlib.OTHER_CORE), sys.executable, str(HERE / "publisher.py"),
                                  "127.0.0.1", str(port), str(TOPICS)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        try:
            hello = json.loads(first)
        except ValueError:
            hello = {}
        if not hello.get("ready"):
            die(f"the publisher did not start: {first!r}")
        self.packet_bytes = hello["packet_bytes"]
        self.seq = 0

    def retain(self):
        return self.ask({"cmd": "retain"})


def read_retained(port, expected, timeout=30.0):
    """A raw TCP client subscribing `bench/#`: ms until it has `expected` messages, and how many
    came retained (the others were still on their way into the broker when it subscribed)."""
    def s(x):
        b = x.encode()
        return len(b).to_bytes(2, "big") + b

    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(timeout)
    body = s("MQTT") + bytes([4, 2, 0, 0]) + s(f"{NAME}-check")
    sock.sendall(b"\x10" + bytes([len(body)]) + body)
    buf = b""
    while len(buf) < 4:
        buf += sock.recv(4 - len(buf))
    sub = b"\x00\x01" + s(FILTER) + b"\x00"
    t0 = time.perf_counter()
    sock.sendall(b"\x82" + bytes([len(sub)]) + sub)
    got, total, buf = 0, 0, b""
    deadline = time.monotonic() + timeout
    while total < expected and time.monotonic() < deadline:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        buf += chunk
        i = 0
        while len(buf) - i >= 2:
            n, mul, j = 0, 1, i + 1
            while j < len(buf):
                n += (buf[j] & 127) * mul
                mul *= 128
                if not buf[j] & 128:
                    break
                j += 1
            else:
                break
            end = j + 1 + n
            if end > len(buf):
                break
            if buf[i] >> 4 == 3:
                total += 1
                got += buf[i] & 1
            i = end
        buf = buf[i:]
    ms = (time.perf_counter() - t0) * 1000
    sock.sendall(b"\xe0\x00")
    sock.close()
    return got, ms


def core_busy(core):
    """(busy, total) jiffies of one core since boot (/proc/stat): what ran on it, whoever it was."""
    for line in pathlib.Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            v = [int(x) for x in line.split()[1:]]
            idle = v[3] + v[4]
            return sum(v[:8]) - idle, sum(v[:8])
    return 0, 0


def others_share(core0, core1, chromium_secs):
    """The share of the browser's core that went to processes other than this Chromium (the
    machine is shared): its busy time minus Chromium's CPU time, over the time elapsed."""
    busy, total = core1[0] - core0[0], core1[1] - core0[1]
    if total <= 0:
        return None
    return max(0.0, (busy / ingest.CLK_TCK - chromium_secs) / (total / ingest.CLK_TCK))


def wait_for_quiet(limit, timeout):
    """Before a page opens (no Chromium running): waits, up to `timeout` s, for a second in
    which other processes took at most `limit` of the browser's core. Returns the last second's
    share and the seconds waited."""
    t0 = time.monotonic()
    while True:
        a = core_busy(benchlib.BROWSER_CORE)
        time.sleep(1.0)
        share = others_share(a, core_busy(benchlib.BROWSER_CORE), 0.0) or 0.0
        waited = time.monotonic() - t0
        if share <= limit or waited >= timeout:
            return share, waited


# --- Pages ---

def app_config(ws_port):
    """One MQTT 3.1.1 connection to the broker's WebSocket port and one dashboard with no
    widget (as `src/config/write.rs` writes it): the explorer's subscription is the page's only one."""
    return {
        "version": 1,
        "connections": [{
            "id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1", "port": ws_port,
            "path": "/mqtt", "remember_password": False, "client_id": "tablero-explorer-bench",
            "mqtt_version": "3.1.1", "keep_alive_secs": 30, "clean_start": True, "session_expiry_secs": 0,
        }],
        "dashboards": [{"id": "bench", "name": "Bench", "connection": "local", "widgets": []}],
    }


def page_spec(kind, ws_port, tree_height=None):
    if kind == "app":
        return {"page": "app", "url": "/app/?lang=en", "appConfig": app_config(ws_port),
                "explore": "button.tab.explore",
                "filterInput": "#insight .explorer input[name=filter]",
                "subscribeButton": "#insight form.explorer-subscribe button[name=subscribe]",
                "tree": "#insight .topic-tree", "connected": "#status[data-state=connected]"}
    return {"page": "peer", "url": "/peer/",
            "peer": {"broker": f"ws://127.0.0.1:{ws_port}/mqtt", "treeHeight": tree_height},
            "explore": None, "filterInput": "form.explorer-subscribe input[name=filter]",
            "subscribeButton": "form.explorer-subscribe button[name=subscribe]",
            "tree": ".topic-tree", "connected": "#status[data-state=connected]"}


class Server(ingest.Server):
    """The ingest benchmark's server (dist/ with the probe first, no service worker, commands
    by long poll, reports by POST) serving this benchmark's probe and peer page."""

    def handler(self):
        base = super().handler()

        class Handler(base):
            def do_GET(self):
                path = urlparse(self.path).path
                if path == "/bench/probe.js":
                    return self.send((HERE / "probe.js").read_bytes(), "text/javascript")
                if path == "/peer/":
                    return self.send((HERE / "peer.html").read_bytes(), "text/html")
                return super().do_GET()

        return Handler


def bundle_peer(tmp):
    esbuild = ROOT / "node_modules/.bin/esbuild"
    if not esbuild.exists():
        die("node_modules/.bin/esbuild missing (npm ci)")
    target = tmp / "peer.js"
    subprocess.run([str(esbuild), str(HERE / "peer.js"), "--bundle", "--format=iife", "--platform=browser",
                    "--minify", "--log-level=warning", f"--outfile={target}"], check=True, cwd=ROOT)
    return target


# --- What the rows in sight must show once caught up ---

def row_topic(index):
    """The topic at row `index` of the tree with every level open: `bench`, then per device
    its row and its 100 topics; None for a level with no message of its own."""
    if index == 0:
        return None
    k = index - 1
    d, j = divmod(k, PER_DEVICE + 1)
    return None if j == 0 else d * PER_DEVICE + (j - 1)


def expected_rows(indices, retained, run):
    """{row index: [count text, payload prefix]} for the topics among `indices`."""
    out = {}
    for idx in indices:
        i = row_topic(int(idx))
        if i is None or i >= TOPICS:
            continue
        r_seq = next(s for s in range(retained["first_seq"], retained["last_seq"] + 1) if s % TOPICS == i)
        first, last = run["first_seq"], run["last_seq"]
        # Live sequence numbers s in [first, last] with s % TOPICS == i.
        lo = first + ((i - first) % TOPICS)
        n = 0 if lo > last else (last - lo) // TOPICS + 1
        seq = lo + (n - 1) * TOPICS if n else r_seq
        out[str(idx)] = [str(1 + n), f'{{"s":{seq}}}']
    return out


# --- One page, one round ---

def pct(values, p):
    return ingest.pct(values, p)


def run_page(kind, rnd, ctx):
    args, server, broker, pub, sysmon, tmp = ctx["args"], ctx["server"], ctx["broker"], ctx["pub"], ctx["sys"], ctx["tmp"]
    quiet, waited = wait_for_quiet(args.quiet, args.quiet_wait)
    if waited > 1.5:
        log(f"  waited {waited:.0f} s for core {benchlib.BROWSER_CORE} to be quieter: others took {quiet * 100:.0f} % of its last second")
    spec = page_spec(kind, broker.ws, ctx.get("tree_height"))
    url = server.load(spec)
    mark = len(broker.lines)
    browser = ingest.Browser(url, tmp / f"profile-{kind}-{rnd}")
    try:
        if not server.ready.wait(60):
            die(f"the {kind} page did not start its probe in 60 s ({server.errors})")
        prep = server.ask({"cmd": "prepare", "filter": FILTER}, timeout=90)
        if prep.get("value") != FILTER:
            die(f"the {kind} page's filter reads {prep.get('value')!r} after typing {FILTER!r}")
        if kind == "app":
            ctx["tree_height"] = prep["treeHeight"]
        time.sleep(1.0)
        # (a) Subscribe → the 10,000-topic tree drawn.
        cpu_a0, all_a0, core_a0 = browser.cpu(), browser.cpu_all(), core_busy(benchlib.BROWSER_CORE)
        sub = server.ask({"cmd": "subscribe", "need": TOPICS})
        caught = server.wait_caught(sub["id"], time.time() * 1000 + args.load_timeout * 1000)
        if not caught:
            status = server.ask({"cmd": "status"})
            die(f"the {kind} page did not draw {TOPICS:,} topics within {args.load_timeout:g} s of Subscribe: "
                f"data-topics {status['topics']}, {status['bytes']:,} WebSocket bytes\n" + "\n".join(broker.lines[-10:]))
        cpu_a1, all_a1, core_a1 = browser.cpu(), browser.cpu_all(), core_busy(benchlib.BROWSER_CORE)
        load_frames = server.ask({"cmd": "summary", "from": caught["clickAt"], "to": caught["drawnAt"]})
        click = caught["clickAt"]
        load = {
            "drawn_ms": caught["drawnAt"] - click, "wrote_ms": caught["wroteAt"] - click,
            "first_rows_ms": (caught["firstDrawnAt"] - click) if caught.get("firstDrawnAt") else None,
            "first_topics": caught.get("firstTopics"), "paints": caught["paints"],
            "last_retained_ms": caught["wsLastAt"] - click,
            "first_message_ms": (caught["wsFirstAt"] - click) if caught.get("wsFirstAt") else None,
            # The renderers' CPU from before the command to the report (a few ms either side).
            "renderer_cpu_ms": (cpu_a1 - cpu_a0) * 1000,
            # All of Chromium: the browser process and its network service (the WebSocket's
            # frames) too, all on the browser's core.
            "chromium_cpu_ms": (all_a1 - all_a0) * 1000,
            "others_on_core": others_share(core_a0, core_a1, all_a1 - all_a0),
            # The click's own task (the page's handler), and when the SUBSCRIBE left the page.
            "click_task_ms": caught["clickReturnedAt"] - click,
            "subscribe_sent_ms": (caught["wsSentAt"] - click) if caught.get("wsSentAt") else None,
            "ws_bytes": caught["wsBytes"], "ws_messages": caught["wsMessages"],
            "max_frame_ms": max(load_frames["tsIntervals"], default=None),
            "frames": len(load_frames["tsIntervals"]), "long_frames": load_frames["longFrames"],
        }
        log(f"  {kind} round {rnd + 1}: subscribe → {TOPICS:,} topics drawn {load['drawn_ms']:.0f} ms "
            f"(first message {ingest.fmt(load['first_message_ms'], 0)} ms, last retained byte at {load['last_retained_ms']:.0f} ms, "
            f"SUBSCRIBE sent {ingest.fmt(load['subscribe_sent_ms'])} ms (click task {load['click_task_ms']:.1f} ms), "
            f"renderer CPU {load['renderer_cpu_ms']:.0f} ms, all Chromium {load['chromium_cpu_ms']:.0f} ms, first rows {ingest.fmt(load['first_rows_ms'], 0)} ms, "
            f"longest frame {ingest.fmt(load['max_frame_ms'], 0)} ms, others on core {benchlib.BROWSER_CORE} "
            f"{ingest.fmt((load['others_on_core'] or 0) * 100, 0)} %)")
        time.sleep(1.0)
        # (b) 5,000 msg/s over the 10,000 topics.
        before = server.ask({"cmd": "status"})
        count = int(RATE * args.secs)
        dropped0 = sysmon.dropped()
        cpu0, all0, b0, p0 = browser.cpu(), browser.cpu_all(), broker.cpu(), pub.cpu()
        core0 = core_busy(benchlib.BROWSER_CORE)
        t0 = time.monotonic()
        run = pub.run(RATE, count)
        indices = sorted(before["rows"], key=int)
        want = expected_rows(indices, ctx["retained"], run)
        arm = server.ask({"cmd": "arm", "bytes": before["bytes"] + count * pub.packet_bytes, "rows": want})
        got = server.wait_caught(arm["id"], run["end_ms"] + args.drain_secs * 1000)
        wall = time.monotonic() - t0
        cpu1, all1, b1, p1 = browser.cpu(), browser.cpu_all(), broker.cpu(), pub.cpu()
        core1 = core_busy(benchlib.BROWSER_CORE)
        time.sleep(1.2)
        dropped1 = sysmon.dropped()
        left = None if got else server.ask({"cmd": "disarm"})
        frames = server.ask({"cmd": "summary", "from": run["start_ms"], "to": run["end_ms"]})
        after = server.ask({"cmd": "status"})
        ts = frames["tsIntervals"]
        live = {
            "sent": count, "achieved": run["achieved"], "secs": run["secs"], "max_lag_ms": run["max_lag_ms"],
            "page_rate": frames["bytes"] / pub.packet_bytes / run["secs"],
            "received": (after["bytes"] - before["bytes"]) / pub.packet_bytes,
            "caught_up": bool(got), "catch_up_ms": (got["at"] - run["end_ms"]) if got else None,
            "not_caught": left, "rows_checked": len(want),
            "intervals": ts, "callback_intervals": frames["intervals"],
            "p50_ms": pct(ts, 50), "p95_ms": pct(ts, 95), "p99_ms": pct(ts, 99), "max_ms": max(ts, default=None),
            "over_50ms": sum(i > SLOW_FRAME_MS for i in ts), "frames": len(ts),
            "p95_callback_ms": pct(frames["intervals"], 95),
            "long_frames": frames["longFrames"],
            "renderer_cpu_share": (cpu1 - cpu0) / wall, "chromium_cpu_share": (all1 - all0) / wall,
            "broker_cpu_share": (b1 - b0) / wall,
            "others_on_core": others_share(core0, core1, all1 - all0), "publisher_cpu_share": (p1 - p0) / wall,
            "broker_dropped": None if dropped0 is None or dropped1 is None else dropped1 - dropped0,
            "rows_after": after["rows"], "topics_after": after["topics"],
        }
        log(f"  {kind} round {rnd + 1}: {RATE:,} msg/s (achieved {run['achieved']:,.0f}): frame p50 {ingest.fmt(live['p50_ms'])} "
            f"p95 {ingest.fmt(live['p95_ms'])} p99 {ingest.fmt(live['p99_ms'])} max {ingest.fmt(live['max_ms'])} ms, "
            f"{live['over_50ms']} > 50 ms; "
            + (f"caught up {live['catch_up_ms']:.0f} ms after the last message" if got
               else f"NOT caught up within {args.drain_secs:g} s: {json.dumps(left)[:300]}")
            + f"; renderer CPU {live['renderer_cpu_share'] * 100:.0f} %, others on core {benchlib.BROWSER_CORE} "
            f"{ingest.fmt((live['others_on_core'] or 0) * 100, 0)} %")
        lines = broker.lines[mark:]
        events = {"connects": sum("New client connected" in line for line in lines),
                  "disconnects": [line for line in lines if re.search(r"closed its connection|disconnected|exceeded timeout|Socket error", line)][:10]}
        return {"load": load, "live": live, "broker_events": events, "prepare": prep,
                "quiet_before": quiet, "quiet_waited_s": waited}
    finally:
        browser.close()


# --- Report ---

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(rounds):
    loads = [r["load"] for r in rounds]
    lives = [r["live"] for r in rounds]
    ts = [i for r in lives for i in r["intervals"]]
    return {
        "drawn_ms": med([x["drawn_ms"] for x in loads]), "drawn_all": [x["drawn_ms"] for x in loads],
        "last_retained_ms": med([x["last_retained_ms"] for x in loads]),
        "first_rows_ms": med([x["first_rows_ms"] for x in loads]),
        "first_message_ms": med([x["first_message_ms"] for x in loads]),
        "load_cpu_ms": med([x["renderer_cpu_ms"] for x in loads]),
        "load_chromium_cpu_ms": med([x["chromium_cpu_ms"] for x in loads]),
        "subscribe_sent_ms": med([x["subscribe_sent_ms"] for x in loads]),
        "click_task_ms": med([x["click_task_ms"] for x in loads]),
        "load_max_frame_ms": med([x["max_frame_ms"] for x in loads]),
        "paints": med([x["paints"] for x in loads]),
        "p50_ms": pct(ts, 50), "p95_ms": pct(ts, 95), "p99_ms": pct(ts, 99), "max_ms": max(ts, default=None),
        "p95_rounds": [x["p95_ms"] for x in lives],
        "others_load": [x["others_on_core"] for x in loads],
        "others_live": [x["others_on_core"] for x in lives],
        "over_50ms": sum(x["over_50ms"] for x in lives), "frames": len(ts),
        "achieved": med([x["achieved"] for x in lives]), "page_rate": med([x["page_rate"] for x in lives]),
        "caught_up": all(x["caught_up"] for x in lives),
        "catch_up_ms": max((x["catch_up_ms"] for x in lives if x["catch_up_ms"] is not None), default=None),
        "renderer_cpu": med([x["renderer_cpu_share"] for x in lives]),
        "chromium_cpu": med([x["chromium_cpu_share"] for x in lives]),
        "broker_cpu": med([x["broker_cpu_share"] for x in lives]),
        "dropped": sum(x["broker_dropped"] or 0 for x in lives),
        "long_frames": sum(x["long_frames"]["count"] for x in lives),
        "connects": [r["broker_events"]["connects"] for r in rounds],
        "rows_in_sight": med([len(x["rows_after"]) for x in lives]),
        "tree_height": med([r["prepare"]["treeHeight"] for r in rounds]),
    }


def fmt(v, digits=1):
    return ingest.fmt(v, digits)


def pcts(values):
    return ", ".join("—" if v is None else f"{v * 100:.0f} %" for v in values)


def ratio(a, b):
    return a / b if a is not None and b else None


def write_report(args, results):
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip().split(" built")[0]
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    app, peer = results["summary"]["app"], results["summary"]["peer"]
    floor = results["tcp_floor"]
    out = []
    w = out.append
    w(HEADING)
    w("")
    w(f"`{results['command']}`; {results['date']}, {os.cpu_count()} cores ({cpu_model}), load average "
      f"{results['load_start']:.1f} at the start and {results['load_end']:.1f} at the end (other work shares the "
      f"machine: the app and the peer alternate, {args.rounds} round(s) each, so both see it); {chromium} "
      f"`--headless=new` with no DevTools client, pinned to core 0; {results['mosquitto']} (TCP for the publisher, "
      "WebSocket for the pages), this script and the publisher on core 1. The app: "
      f"{results['build']}.")
    w("")
    for line in [
        f"Method: before any page opens, a raw-socket publisher (scripts/explorer-bench/publisher.py) sends one retained",
        f"message on each of {TOPICS:,} topics `bench/dev000/t00`..`bench/dev099/t99` (100 devices × 100 topics, 16-byte",
        "payloads `{\"s\":<seq>}`); a raw TCP client subscribing `bench/#` gets all of them back from mosquitto in",
        f"{floor['ms']:.0f} ms (the broker alone, no browser). Each page is loaded fresh; the probe",
        "(scripts/explorer-bench/probe.js, loaded first) opens the explorer (the app's Explore tab), waits for the",
        "connection, types `bench/#` and clicks Subscribe. The app: the release build, one MQTT 3.1.1 connection and a",
        "dashboard with no widget. The peer (scripts/explorer-bench/peer.html + peer.js, over scripts/bench-mqtt.js): a",
        "bare WebSocket page doing the explorer's DOM work — a Map of topic → node (last payload as a view, count,",
        "retained flag, rate window) in a tree of levels, listed again when its shape changed, and a virtual list as the",
        "app's (28 px rows from a pool made once, as many as fit in the scroller, 7 cells written only where they",
        "changed, `data-topics` set at each paint), painted once per animation frame. Its scroller is as tall as the",
        f"app's tree in the same run ({fmt(app['tree_height'], 0)} / {fmt(peer['tree_height'], 0)} px, "
        f"{fmt(app['rows_in_sight'], 0)} / {fmt(peer['rows_in_sight'], 0)} rows in sight, app / peer; Chromium's",
        "window 1280×900).",
        "",
        f"**(a) subscribe → drawn**: from the click to the frame after which the tree's `data-topics` reached",
        f"{TOPICS:,}, drawn (a MutationObserver sees the attribute written in the page's animation-frame callback; a",
        "task posted from that frame runs after its style, layout and paint); median of the rounds, each round in",
        "brackets. **last retained received**: when the page's WebSocket got the last of those messages.",
        f"**(b)** then {RATE:,} msg/s (QoS 0, not retained) round robin over the {TOPICS:,} topics for {args.secs:g} s:",
        "the intervals between the timestamps Chromium passes to consecutive rAF callbacks (a dropped frame is a",
        "33.3 ms interval), all rounds pooled; **kept up**: the frame after the last message where the page's",
        "WebSocket has every byte sent and the rows in sight show each topic's count (1 retained + its messages) and",
        f"last payload, within {CATCH_UP_MS} ms. **CPU**: utime + stime of the renderer processes (/proc) over the",
        "run and catch-up, a share of one core.",
        f"The machine is shared: before each page opens the script waits (up to {args.quiet_wait:g} s) for a second in",
        f"which other processes took at most {args.quiet * 100:.0f} % of core 0, and says below how much of it they took",
        "during each measurement.",
        "",
    ]:
        w(line)
    w(f"| page | (a) subscribe → {TOPICS:,} drawn, ms | last retained received, ms | longest frame while loading, ms |"
      f" (b) frame p50 / p95 / p99 ms | max ms | frames > {SLOW_FRAME_MS:.0f} ms | page msg/s | kept up (catch-up ms) | renderer CPU |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for label, s in (("app (Tablero explorer)", app), ("bare WebSocket peer", peer)):
        kept = ("yes" if s["caught_up"] and (s["catch_up_ms"] or 0) <= CATCH_UP_MS else
                "late" if s["caught_up"] else "**no**")
        w(f"| {label} | {fmt(s['drawn_ms'], 0)} ({', '.join(fmt(x, 0) for x in s['drawn_all'])}) | "
          f"{fmt(s['last_retained_ms'], 0)} | {fmt(s['load_max_frame_ms'], 0)} | "
          f"{fmt(s['p50_ms'])} / {fmt(s['p95_ms'])} / {fmt(s['p99_ms'])} | {fmt(s['max_ms'])} | "
          f"{s['over_50ms']} of {s['frames']:,} | {fmt(s['page_rate'], 0)} | {kept} ({fmt(s['catch_up_ms'], 0)}) | "
          f"{fmt(s['renderer_cpu'] * 100 if s['renderer_cpu'] is not None else None, 0)} % |")
    ra, rb = ratio(app["drawn_ms"], peer["drawn_ms"]), ratio(app["p95_ms"], peer["p95_ms"])
    w(f"| **ratio app/peer** | **{fmt(ra, 2)}×** | {fmt(ratio(app['last_retained_ms'], peer['last_retained_ms']), 2)}× | | "
      f"p95 **{fmt(rb, 2)}×** | | | | | {fmt(ratio(app['renderer_cpu'], peer['renderer_cpu']), 2)}× |")
    w("")
    w(f"Publisher: {fmt(app['achieved'], 0)} / {fmt(peer['achieved'], 0)} msg/s achieved (app / peer runs, median); "
      f"mosquitto used {fmt(app['broker_cpu'] * 100, 0)} / {fmt(peer['broker_cpu'] * 100, 0)} % of its core and "
      f"dropped {app['dropped']} / {peer['dropped']} messages. Per-round p95 frame: app "
      f"{', '.join(fmt(x) for x in app['p95_rounds'])} ms, peer {', '.join(fmt(x) for x in peer['p95_rounds'])} ms. "
      f"The browser's core given to other processes (the machine is shared; /proc/stat minus Chromium's CPU), per round, "
      f"during (a): app {pcts(app['others_load'])}, peer {pcts(peer['others_load'])}; during (b): app "
      f"{pcts(app['others_live'])}, peer {pcts(peer['others_live'])}. "
      f"While loading (a), app / peer, medians: the SUBSCRIBE sent {fmt(app['subscribe_sent_ms'])} / "
      f"{fmt(peer['subscribe_sent_ms'])} ms after the click (the click's task took {fmt(app['click_task_ms'])} / "
      f"{fmt(peer['click_task_ms'])} ms), the first message back (SUBACK) at {fmt(app['first_message_ms'], 0)} / "
      f"{fmt(peer['first_message_ms'], 0)} ms, the first rows drawn at {fmt(app['first_rows_ms'], 0)} / "
      f"{fmt(peer['first_rows_ms'], 0)} ms, {fmt(app['paints'], 0)} / {fmt(peer['paints'], 0)} paints, renderer CPU "
      f"{fmt(app['load_cpu_ms'], 0)} / {fmt(peer['load_cpu_ms'], 0)} ms and all of Chromium's (browser, network service, "
      f"renderer) {fmt(app['load_chromium_cpu_ms'], 0)} / {fmt(peer['load_chromium_cpu_ms'], 0)} ms (/proc, 10 ms ticks). Raw figures (every interval, long "
      "animation frames with their scripts, the rows in sight) are in the JSON beside the report.")
    w("")
    ws = med([x["load"]["ws_messages"] for k in ("app", "peer") for x in results["rounds"][k]])
    gap_app = app["drawn_ms"] - app["last_retained_ms"] if app["drawn_ms"] is not None else None
    gap_peer = peer["drawn_ms"] - peer["last_retained_ms"] if peer["drawn_ms"] is not None else None
    w(f"Reading it: mosquitto sent the retained messages as {fmt(ws, 0)} WebSocket messages (the SUBACK included), "
      f"each a task of the page; while they came the app painted {fmt(app['paints'], 0)} times and the peer "
      f"{fmt(peer['paints'], 0)}, their longest frames {fmt(app['load_max_frame_ms'], 0)} / "
      f"{fmt(peer['load_max_frame_ms'], 0)} ms (medians): for that long neither answers input. Each drew the whole "
      f"tree {fmt(gap_app, 0)} / {fmt(gap_peer, 0)} ms after its last retained message arrived"
      + (f", so (a) is the time the page takes to take in {TOPICS:,} messages, and the ratio that of their cost per "
         "message" if gap_app is not None and gap_peer is not None and max(gap_app, gap_peer) < 34 else "")
      + f". At {RATE:,} msg/s: "
      f"p95 frame {fmt(app['p95_ms'])} / {fmt(peer['p95_ms'])} ms, {app['over_50ms']} / {peer['over_50ms']} frames "
      f"over {SLOW_FRAME_MS:.0f} ms, caught up {fmt(app['catch_up_ms'], 0)} / {fmt(peer['catch_up_ms'], 0)} ms after "
      f"the last message at worst, for {fmt(ratio(app['renderer_cpu'], peer['renderer_cpu']), 2)}× the peer's renderer CPU.")
    w("")
    text = "\n".join(out) + "\n"
    return text


def write_docs(section):
    """Puts `section` into docs/BENCHMARKS.md: in place of an older B9 section, else before the
    CLI section (`make bench` writes it there too)."""
    text = DOCS.read_text()
    start = text.find(HEADING)
    if start >= 0:
        m = re.compile(r"^#{1,2} ", re.M).search(text, start + len(HEADING))
        end = m.start() if m else len(text)
        text = text[:start] + section.rstrip("\n") + "\n\n" + text[end:]
    else:
        m = re.search(r"^# tablero CLI", text, re.M)
        at = m.start() if m else len(text)
        text = text[:at] + section.rstrip("\n") + "\n\n" + text[at:]
    DOCS.write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=pathlib.Path, default=ROOT / "target/bench-report/explorer.md",
                    help="the Markdown section to write (raw figures: same name, .json)")
    ap.add_argument("--quick", action="store_true", help="one round, 5 s of traffic")
    ap.add_argument("--write", action="store_true", help="also put the section into docs/BENCHMARKS.md")
    ap.add_argument("--rounds", type=int, help="rounds of app then peer (default 5; quick 1)")
    ap.add_argument("--secs", type=float, help=f"seconds of {RATE:,} msg/s per page (default 20; quick 5)")
    ap.add_argument("--drain-secs", type=float, default=10.0, help="how long a page may take to catch up")
    ap.add_argument("--load-timeout", type=float, default=60.0, help="how long (a) may take")
    ap.add_argument("--quiet", type=float, default=0.2,
                    help="before each page, wait for a second in which other processes took at most this share of "
                         "the browser's core (default 0.2)")
    ap.add_argument("--quiet-wait", type=float, default=120.0, help="the longest wait for that (s; then it goes on)")
    ap.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist")
    ap.add_argument("--build-note", help="what the build in --dist is, for the report (default: its path and time)")
    args = ap.parse_args()
    args.rounds = args.rounds or (1 if args.quick else 5)
    args.secs = args.secs or (5.0 if args.quick else 20.0)
    for tool, hint in (("chromium", "apt-get install chromium"), ("taskset", "util-linux"), ("stdbuf", "coreutils")):
        if not shutil.which(tool):
            die(f"{tool} missing ({hint})")
    if not (args.dist / "index.html").exists():
        die(f"{args.dist}/index.html missing (python3 scripts/build_web.py {args.dist})")
    signal.signal(signal.SIGTERM, ingest.on_signal)
    signal.signal(signal.SIGINT, ingest.on_signal)
    if len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {benchlib.OTHER_CORE})
    started = time.time()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime((args.dist / "index.html").stat().st_mtime))
    results = {"build": args.build_note or f"`{args.dist}` built {built} (this checkout's HEAD at the run: {head or '?'})",
               "command": shlex.join(["python3", "scripts/explorer-bench.py", *sys.argv[1:]]),
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
               "load_start": os.getloadavg()[0], "args": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix=f"{NAME}-") as tmp:
        tmp = pathlib.Path(tmp)
        try:
            broker = ingest.Mosquitto(tmp)
            results["mosquitto"] = broker.version
            sysmon = ingest.SysMonitor(broker.tcp)
            pub = Publisher(broker.tcp)
            retained = pub.retain()
            for _ in range(10):
                got, ms = read_retained(broker.tcp, TOPICS)
                if got == TOPICS:
                    break
                time.sleep(0.5)
            else:
                die(f"mosquitto holds {got} retained messages of {TOPICS}")
            results["retained"] = retained
            results["tcp_floor"] = {"messages": got, "ms": ms}
            log(f"{TOPICS:,} retained topics held; a TCP client gets them in {ms:.0f} ms")
            server = Server(args.dist.resolve(), {"peer": bundle_peer(tmp)})
            ctx = {"args": args, "server": server, "broker": broker, "pub": pub, "sys": sysmon, "tmp": tmp,
                   "retained": retained}
            rounds = {"app": [], "peer": []}
            for rnd in range(args.rounds):
                for kind in ("app", "peer"):
                    log(f"round {rnd + 1}/{args.rounds}: {kind}")
                    rounds[kind].append(run_page(kind, rnd, ctx))
        finally:
            ingest.stop_all()
    results["rounds"] = rounds
    results["summary"] = {k: summarize(v) for k, v in rounds.items()}
    results["load_end"] = os.getloadavg()[0]
    results["minutes"] = (time.time() - started) / 60
    section = write_report(args, results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(section)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1))
    print(section)
    if args.write:
        write_docs(section)
        log(f"wrote {DOCS.relative_to(ROOT)}")
    log(f"done in {results['minutes']:.1f} min")


if __name__ == "__main__":
    main()
