#!/usr/bin/env python3
"""Codec decode in the page: mqtt-codec-wasm's `js` API against mqtt-packet, in headless Chromium.

    python3 scripts/codec-page-bench.py OUT.md [--quick] [--runs N] [--mib N] [--profile]

Measures, never asserts. Writes a Markdown section to OUT.md and the raw figures to OUT.json.
Needs cargo with the wasm32-unknown-unknown target, `wasm-bindgen` (the CLI equal to the
workspace's wasm-bindgen), the npm packages of package.json (`npm ci`: binaryen's wasm-opt,
esbuild, mqtt-packet, buffer, process, events) and Debian's `chromium`.

- The codec: `scripts/codec-page-bench/wasm/` is a wrapper crate (not a workspace member, its
  own Cargo.lock copied from the workspace's) that links `mqtt-codec-wasm` with `features =
  ["js"]` into a cdylib; built with `cargo build --release --locked` (opt-level 3, LTO) into
  `$CARGO_TARGET_DIR` (default `target/bench-wasm`), then `wasm-bindgen --target web` and
  `wasm-opt -O3`. The page (`scripts/codec-page-bench/page.js`) is bundled with mqtt-packet
  by esbuild into a temporary directory.
- The stream: generated here, deterministically (a fixed seed): mostly PUBLISH (payloads
  16 B–4 KiB, log-uniform; QoS 0/1/2; text and binary), some PUBACK, PINGRESP and SUBACK; once
  as MQTT 3.1.1 and once as 5.0 with properties (PUBLISH with payload format, message expiry,
  content type, response topic, correlation data, user properties; PUBACK with a reason
  code and reason string).
- The page feeds each stream in 16 KiB chunks to both decoders, alternating, and POSTs each
  run's time to this script's server. Chromium runs `--headless=new` with no DevTools client,
  pinned to core 0; this script on core 1.
- `--profile`: a separate run with a DevTools client (node + ws, Chrome's `Profiler` domain)
  that profiles each decoder alone and prints where the time goes (self time by function);
  never part of the measured run.
"""
import argparse
import json
import os
import pathlib
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (scripts/benchlib.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "scripts" / "codec-page-bench"
NODE_BIN = ROOT / "node_modules" / ".bin"
CHUNK = 16 * 1024
SEED = 20240601
BROWSER_CORE = benchlib.BROWSER_CORE
OTHER_CORE = benchlib.OTHER_CORE
CHROMIUM_FLAGS = [
    *benchlib.CHROMIUM_FLAGS,
    "--window-size=800,600",
]
NAME = "codec-page-bench"


def die(msg):
    sys.exit(f"{NAME}: {msg}")


# ---------------------------------------------------------------------------------------------
# The recorded stream
# ---------------------------------------------------------------------------------------------

def varint(n):
    out = bytearray()
    while True:
        d = n % 128
        n //= 128
        if n:
            d |= 128
        out.append(d)
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def packet(first, body):
    return bytes([first]) + varint(len(body)) + body


WORDS = ["sensors", "building-3", "floor-2", "room-17", "temperature", "humidity", "plant", "line-4",
         "motor", "rpm", "status", "tele", "stat", "cmnd", "zigbee2mqtt", "kitchen", "lamp", "power"]


def make_stream(version, size, rng):
    """A stream of about `size` bytes and what it holds: PUBLISH (≈88 %), PUBACK, PINGRESP, SUBACK."""
    out = bytearray()
    expect = {"packets": 0, "publishes": 0, "payloadBytes": 0, "topicChars": 0,
              "kinds": {"publish": 0, "puback": 0, "pingresp": 0, "suback": 0}}
    topics = ["/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))) for _ in range(64)]
    pid = 0

    def next_pid():
        nonlocal pid
        pid = pid % 65535 + 1
        return pid

    v5 = version == 5
    while len(out) < size:
        r = rng.random()
        if r < 0.88:
            qos = rng.choices([0, 1, 2], [70, 20, 10])[0]
            retain = rng.random() < 0.1
            topic = rng.choice(topics)
            n = int(round(2 ** rng.uniform(4, 12)))  # 16 B .. 4 KiB, log-uniform
            text = rng.random() < 0.6
            if text:
                payload = (('{"v":%d,"t":"' % rng.randint(0, 10 ** 6)) + "x" * n)[:n].encode()
            else:
                payload = rng.randbytes(n)
            body = utf8(topic)
            if qos:
                body += struct.pack(">H", next_pid())
            if v5:
                props = b""
                if rng.random() < 0.7:
                    props += bytes([0x01, 1 if text else 0])
                if rng.random() < 0.5:
                    props += b"\x02" + struct.pack(">I", rng.randint(1, 3600))
                if text and rng.random() < 0.5:
                    props += b"\x03" + utf8("application/json")
                if rng.random() < 0.2:
                    props += b"\x08" + utf8("reply/" + rng.choice(topics)) + b"\x09" + utf8(rng.randbytes(8).hex())
                for _ in range(rng.choice([0, 0, 1, 2])):
                    props += b"\x26" + utf8(rng.choice(["unit", "source", "seq"])) + utf8(str(rng.randint(0, 999)))
                body += varint(len(props)) + props
            body += payload
            out += packet(0x30 | (qos << 1) | int(retain), body)
            expect["publishes"] += 1
            expect["payloadBytes"] += len(payload)
            expect["topicChars"] += len(topic)
            expect["kinds"]["publish"] += 1
        elif r < 0.94:
            body = struct.pack(">H", next_pid())
            if v5:
                form = rng.random()
                if form < 0.3:
                    body += b"\x10"  # no matching subscribers, no properties
                elif form < 0.5:
                    reason = utf8("no subscribers for this topic")
                    body += b"\x10" + varint(len(reason) + 1) + b"\x1f" + reason
            out += packet(0x40, body)
            expect["kinds"]["puback"] += 1
        elif r < 0.98:
            out += packet(0xD0, b"")
            expect["kinds"]["pingresp"] += 1
        else:
            codes = bytes(rng.choice([0, 1, 2, 0x80]) for _ in range(rng.randint(1, 8)))
            body = struct.pack(">H", next_pid()) + (b"\x00" if v5 else b"") + codes
            out += packet(0x90, body)
            expect["kinds"]["suback"] += 1
        expect["packets"] += 1
    return bytes(out), expect


# ---------------------------------------------------------------------------------------------
# Building the page
# ---------------------------------------------------------------------------------------------

def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        die(f"`{' '.join(map(str, cmd))}` failed ({r.returncode}):\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    return r


def check_tools():
    missing = []
    for tool, hint in [("cargo", "rustup"), ("wasm-bindgen", "cargo install wasm-bindgen-cli@0.2.130"),
                       ("chromium", "apt-get install chromium"), ("taskset", "apt-get install util-linux"),
                       ("node", "apt-get install nodejs")]:
        if not shutil.which(tool):
            missing.append(f"`{tool}` not on PATH ({hint})")
    for path in ["wasm-opt", "esbuild"]:
        if not (NODE_BIN / path).exists():
            missing.append(f"node_modules/.bin/{path} missing (npm ci)")
    for pkg in ["mqtt-packet", "buffer", "process", "events"]:
        if not (ROOT / "node_modules" / pkg / "package.json").exists():
            missing.append(f"node_modules/{pkg} missing (npm ci)")
    if missing:
        die("missing tools:\n  " + "\n  ".join(missing))
    want = lock_version("wasm-bindgen")
    have = run(["wasm-bindgen", "--version"]).stdout.split()[-1]
    if want != have:
        die(f"wasm-bindgen CLI {have} does not match the workspace's wasm-bindgen {want}"
            f" (cargo install wasm-bindgen-cli@{want})")


def lock_version(name, lock=ROOT / "Cargo.lock"):
    text = lock.read_text()
    marker = f'name = "{name}"\nversion = "'
    at = text.index(marker) + len(marker)
    return text[at:text.index('"', at)]


def build(tmp):
    """The codec's wasm (wasm-bindgen glue + wasm-opt -O3) and the page's bundle, into `tmp`."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target" / "bench-wasm"))
    crate = HERE / "wasm"
    t0 = time.monotonic()
    run(["cargo", "build", "--release", "--locked", "--target", "wasm32-unknown-unknown"],
        cwd=crate, env={**os.environ, "CARGO_TARGET_DIR": str(target)})
    raw = target / "wasm32-unknown-unknown" / "release" / "codec_page_bench_wasm.wasm"
    pkg = tmp / "pkg"
    run(["wasm-bindgen", "--target", "web", "--out-dir", str(pkg), str(raw)])
    bg = pkg / "codec_page_bench_wasm_bg.wasm"
    run([str(NODE_BIN / "wasm-opt"), "-O3", str(bg), "-o", str(tmp / "codec.wasm")])
    # The same with its function names kept, for the profiling run only.
    run([str(NODE_BIN / "wasm-opt"), "-O3", "-g", str(bg), "-o", str(tmp / "codec-names.wasm")])
    run([str(NODE_BIN / "esbuild"), str(HERE / "page.js"), "--bundle", "--format=iife",
         "--platform=browser", "--target=es2022", f"--inject:{HERE / 'shim.js'}",
         f"--alias:codec-page-bench-wasm={pkg / 'codec_page_bench_wasm.js'}",
         "--define:global=globalThis", "--log-level=error", f"--outfile={tmp / 'page.js'}"],
        cwd=ROOT)
    return {"seconds": time.monotonic() - t0, "wasm_bytes": (tmp / "codec.wasm").stat().st_size,
            "bundle_bytes": (tmp / "page.js").stat().st_size}


# ---------------------------------------------------------------------------------------------
# Serving and running
# ---------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, tmp, plan, streams):
        self.tmp = tmp
        self.plan = plan
        self.streams = streams
        self.results = []
        self.errors = []
        self.done = threading.Event()


def handler_for(bench):
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
            path = self.path.split("?")[0]
            if path == "/":
                return self.send((HERE / "page.html").read_bytes(), "text/html")
            if path == "/bench/page.js":
                return self.send((bench.tmp / "page.js").read_bytes(), "text/javascript")
            if path == "/bench/codec.wasm":
                wasm = "codec-names.wasm" if bench.plan.get("profile") else "codec.wasm"
                return self.send((bench.tmp / wasm).read_bytes(), "application/wasm")
            if path == "/bench/plan":
                return self.send(json.dumps(bench.plan))
            if path.startswith("/bench/stream/"):
                name = path.rsplit("/", 1)[-1]
                if name in bench.streams:
                    return self.send(bench.streams[name], "application/octet-stream")
            self.send("not found", "text/plain", 404)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            if self.path == "/bench/result":
                bench.results.append(body)
                print(f"{NAME}: {body['stream']}: {len(body['runs'])} runs", file=sys.stderr)
            elif self.path == "/bench/error":
                bench.errors.append(body)
                bench.done.set()
            elif self.path == "/bench/done":
                bench.done.set()
            self.send("{}")

    return Handler


class Browser:
    def __init__(self, url, profile_dir, extra=()):
        self.proc = subprocess.Popen(
            ["taskset", "-c", str(BROWSER_CORE), "chromium", *CHROMIUM_FLAGS, *extra,
             f"--user-data-dir={profile_dir}", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


def serve(bench):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(bench))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(bench, tmp, timeout):
    server, http = serve(bench)
    browser = Browser(http + "/", tmp / "profile")
    try:
        deadline = time.monotonic() + timeout
        while not bench.done.wait(1):
            if browser.proc.poll() is not None:
                die(f"chromium exited ({browser.proc.returncode}): {browser.proc.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                die(f"no result after {timeout} s")
    finally:
        browser.stop()
        server.shutdown()
    if bench.errors:
        die(f"the page failed: {bench.errors}")


# ---------------------------------------------------------------------------------------------
# Profiling (a separate run, with a DevTools client)
# ---------------------------------------------------------------------------------------------

def profile(bench, tmp, timeout):
    """Profiles each decoder alone over the 5.0 stream with Chrome's sampling profiler."""
    bench.plan = {**bench.plan, "runs": 0, "warmup": 0, "profile": True}
    server, http = serve(bench)
    browser = Browser(http + "/?profile", tmp / "profile-prof", ["--remote-debugging-port=0"])
    try:
        port_file = tmp / "profile-prof" / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                die("no DevToolsActivePort for the profiling run")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        r = subprocess.run(["node", str(HERE / "profile.js"), port, str(tmp / "cpuprofiles")],
                           cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if r.returncode:
            die(f"profile.js failed:\n{r.stdout}{r.stderr}")
        print(r.stdout)
        return r.stdout
    finally:
        browser.stop()
        server.shutdown()


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def summarize(results):
    rows = []
    for res in results:
        mb = res["bytes"] / 1e6
        row = {"stream": res["stream"], "bytes": res["bytes"], "chunks": res["chunks"]}
        for who in ("ours", "mqtt-packet"):
            runs = [r for r in res["runs"] if r["who"] == who and not r["warmup"]]
            ms = [r["ms"] for r in runs]
            packets = runs[0]["packets"]
            med, best = statistics.median(ms), min(ms)
            row[who] = {
                "runs_ms": ms, "median_ms": med, "best_ms": best,
                "median_mb_s": mb / (med / 1e3), "best_mb_s": mb / (best / 1e3),
                "median_packets_s": packets / (med / 1e3), "best_packets_s": packets / (best / 1e3),
                "counts": {k: runs[0][k] for k in ("packets", "publishes", "payloadBytes", "topicChars")},
                "counts_agree_across_runs": all(
                    {k: r[k] for k in ("packets", "publishes", "payloadBytes", "topicChars")}
                    == {k: runs[0][k] for k in ("packets", "publishes", "payloadBytes", "topicChars")}
                    for r in runs),
            }
        row["ratio_median"] = row["mqtt-packet"]["median_ms"] / row["ours"]["median_ms"]
        row["ratio_best"] = row["mqtt-packet"]["best_ms"] / row["ours"]["best_ms"]
        rows.append(row)
    return rows


def write_report(args, rows, expects, meta, prof):
    version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    version = version.split(" built")[0]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               "unknown CPU")
    mp = json.loads((ROOT / "node_modules/mqtt-packet/package.json").read_text())["version"]
    cmd = "python3 scripts/codec-page-bench.py " + " ".join(args.argv)
    out = []
    w = out.append
    w("## Codec in the page: mqtt-codec-wasm against mqtt-packet (headless Chromium)")
    w("")
    w(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores ({cpu}), load average"
      f" {meta['load']:.1f} at the start; {version} `--headless=new`, no DevTools client, pinned to one core.")
    w(f"Command: `{cmd}`.")
    w("")
    w(f"- One recorded stream per version, generated by the script (seed {SEED}): "
      f"{args.mib} MiB of mostly PUBLISH (payloads 16 B–4 KiB,")
    w("  log-uniform, QoS 0/1/2, text and binary), some PUBACK, PINGRESP, SUBACK; the 5.0 one with properties")
    w("  (payload format, expiry, content type, response topic, correlation data, user properties; PUBACK reason strings).")
    w(f"- In one page, fed in {CHUNK // 1024} KiB chunks to (a) our `JsStreamDecoder` (the `js` feature: plain JS objects,"
      " payloads copied")
    w(f"  out of wasm memory; opt-level 3 + LTO, `wasm-opt -O3`, {meta['wasm_bytes']:,} B) and (b) mqtt-packet {mp}'s"
      " `parser` (bundled by esbuild with npm `buffer`).")
    w(f"- Alternating runs, {args.warmup} warm-up + {args.runs} measured each; each run decodes the whole stream with a fresh"
      " decoder and per packet reads its type and, for a PUBLISH, payload and topic lengths.")
    w("- MB/s = stream bytes (10^6) / time; ratio = mqtt-packet's time ÷ ours (> 1: ours is faster).")
    w("")
    w("| stream | packets | decoder | median MB/s | best MB/s | median packets/s | best packets/s | ratio (median) | ratio (best) |")
    w("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        for who in ("ours", "mqtt-packet"):
            d = row[who]
            label = "mqtt-codec-wasm" if who == "ours" else f"mqtt-packet {mp}"
            first = who == "ours"
            stream = f"{row['stream']} ({row['bytes'] / 1e6:.2f} MB)" if first else ""
            rm = f"{row['ratio_median']:.2f}×" if first else ""
            rb = f"{row['ratio_best']:.2f}×" if first else ""
            w(f"| {stream} | {d['counts']['packets']:,} | {label} |"
              f" {d['median_mb_s']:.1f} | {d['best_mb_s']:.1f} | {d['median_packets_s'] / 1e3:,.0f} k |"
              f" {d['best_packets_s'] / 1e3:,.0f} k | {rm} | {rb} |")
    w("")
    checks = []
    ok_all = True
    for row in rows:
        e = expects[row["stream"]]
        want = {k: e[k] for k in ("packets", "publishes", "payloadBytes", "topicChars")}
        ours, theirs = row["ours"]["counts"], row["mqtt-packet"]["counts"]
        ok = ours == want and theirs == want and row["ours"]["counts_agree_across_runs"] \
            and row["mqtt-packet"]["counts_agree_across_runs"]
        ok_all &= ok
        checks.append(f"{row['stream']}: {'same' if ok else 'DIFFERENT'} — ours {ours['packets']:,} packets /"
                      f" {ours['payloadBytes']:,} payload bytes, mqtt-packet {theirs['packets']:,} /"
                      f" {theirs['payloadBytes']:,}, written {want['packets']:,} / {want['payloadBytes']:,}")
    w("Check (packets, PUBLISH count, payload bytes, topic characters, every run): " + "; ".join(checks) + ".")
    w("")
    worst = min(row["ratio_median"] for row in rows)
    for row in rows:
        r = row["ratio_median"]
        verdict = "met" if r >= 2 else f"missed by {2 / r:.2f}× ({r:.2f}× of 2×)"
        w(f"- Target ours ≥ 2× mqtt-packet, {row['stream']} (median): **{verdict}**.")
    if prof:
        w("")
        w("Where the time goes (a separate profiling run with a DevTools client, self time):")
        w("")
        w("```")
        w(prof.strip())
        w("```")
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return ok_all, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path, help="the Markdown section; raw figures go to OUT with .json")
    ap.add_argument("--quick", action="store_true", help="a short run: 1 MiB per stream, 3 runs")
    ap.add_argument("--runs", type=int, help="measured runs per decoder and stream (default 15; quick 3)")
    ap.add_argument("--warmup", type=int, help="unmeasured runs first (default 3; quick 1)")
    ap.add_argument("--mib", type=int, help="stream size in MiB per version (default 4; quick 1)")
    ap.add_argument("--profile", action="store_true",
                    help="also a separate profiling run (DevTools attached) whose summary goes in the report")
    args = ap.parse_args()
    args.argv = [str(a) for a in sys.argv[1:]]
    args.runs = args.runs or (3 if args.quick else 15)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 3)
    args.mib = args.mib or (1 if args.quick else 4)
    check_tools()
    if len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {OTHER_CORE})
    load = os.getloadavg()[0]
    t0 = time.monotonic()

    streams, expects = {}, {}
    for name, version in [("MQTT 3.1.1", 4), ("MQTT 5.0", 5)]:
        data, expect = make_stream(version, args.mib << 20, random.Random(SEED + version))
        key = "v5" if version == 5 else "v311"
        streams[key] = data
        expects[name] = {**expect, "version": version, "key": key}
    plan = {"chunk": CHUNK, "runs": args.runs, "warmup": args.warmup,
            "streams": [{"name": n, "version": e["version"], "url": f"/bench/stream/{e['key']}"}
                        for n, e in expects.items()]}

    with tempfile.TemporaryDirectory(prefix=f"{NAME}-") as tmp:
        tmp = pathlib.Path(tmp)
        meta = build(tmp)
        meta["load"] = load
        print(f"{NAME}: built in {meta['seconds']:.0f} s; wasm {meta['wasm_bytes']:,} B", file=sys.stderr)
        bench = Bench(tmp, plan, streams)
        measure(bench, tmp, timeout=600)
        rows = summarize(bench.results)
        prof = None
        if args.profile:
            prof = profile(Bench(tmp, plan, streams), tmp, timeout=600)
    meta["seconds_total"] = time.monotonic() - t0
    ok, worst = write_report(args, rows, expects, meta, prof)
    args.out.with_suffix(".json").write_text(json.dumps(
        {"meta": meta, "argv": args.argv, "expect": expects, "rows": rows, "raw": bench.results,
         "profile": prof}, indent=1))
    print(f"{NAME}: {meta['seconds_total']:.0f} s; counts {'agree' if ok else 'DISAGREE'}", file=sys.stderr)


if __name__ == "__main__":
    main()
