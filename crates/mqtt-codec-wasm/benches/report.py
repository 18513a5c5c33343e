#!/usr/bin/env python3
"""Turn criterion's results of `cargo bench -p mqtt-codec-wasm --bench codec` into a
markdown section for docs/BENCHMARKS.md: per case, our throughput over mqttbytes' for
decode and encode, against the targets (decode >= 1.2x, encode >= 1.0x).

Usage: python3 crates/mqtt-codec-wasm/benches/report.py OUTPUT.md [--criterion DIR]

Ratios, not absolute numbers, are reported as the verdict: both codecs run in the same
process seconds apart on the same machine, so machine speed cancels out; load from other
processes is filtered by using each benchmark's fastest sample. Only the Python standard
library is used, so the script runs wherever the benchmark does.
"""

import argparse
import datetime
import json
import os
import pathlib
import subprocess
import sys

DECODE_TARGET = 1.2
ENCODE_TARGET = 1.0
OURS = "ours"
THEIRS = "mqttbytes"


def default_criterion_dir() -> pathlib.Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return pathlib.Path(target) / "criterion"
    # benches/ -> mqtt-codec-wasm/ -> crates/ -> workspace root
    return pathlib.Path(__file__).resolve().parents[3] / "target" / "criterion"


def load(criterion: pathlib.Path) -> dict:
    """{case: {(op, impl): (seconds per iteration, bytes per iteration)}}"""
    results: dict = {}
    for estimates in sorted(criterion.glob("**/new/estimates.json")):
        new = estimates.parent
        rel = new.parent.relative_to(criterion).parts
        meta_file = new / "benchmark.json"
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
        case = meta.get("group_id", rel[0])
        function = meta.get("function_id") or "/".join(rel[1:])
        parts = function.split("/")
        if len(parts) != 2:
            continue
        op, impl = parts
        seconds = fastest_sample(new) * 1e-9
        size = (meta.get("throughput") or {}).get("Bytes")
        results.setdefault(case, {})[(op, impl)] = (seconds, size)
    return results


def fastest_sample(new: pathlib.Path) -> float:
    """Nanoseconds per iteration of the fastest sample.

    On a machine shared with builds, other processes take the cores for seconds at a
    time, which moves criterion's mean and median by tens of percent between two benches
    run one after the other. Interference only ever adds time, so the fastest of the
    samples (each the mean of many iterations) is the estimate least affected by it. Falls
    back to the median when raw samples are missing.
    """
    sample_file = new / "sample.json"
    if sample_file.exists():
        sample = json.loads(sample_file.read_text())
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"]) if n]
        if per_iter:
            return min(per_iter)
    estimates = json.loads((new / "estimates.json").read_text())
    return estimates["median"]["point_estimate"]


def rate(entry) -> str:
    seconds, size = entry
    if size:
        return f"{size / seconds / 2**20:,.0f} MiB/s"
    return f"{seconds * 1e9:,.0f} ns"


def command_output(cmd: list) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def render(results: dict) -> tuple[str, int]:
    today = datetime.date.today().isoformat()
    lines = [
        "## Codec throughput: mqtt-codec-wasm vs rumqttc mqttbytes",
        "",
        f"- Date: {today}",
        f"- Machine: `nproc` = {command_output(['nproc'])}, {cpu_model()}",
        f"- Compiler: `{command_output(['rustc', '--version'])}`",
        "- Command: `cargo bench -p mqtt-codec-wasm --bench codec`"
        " (bench profile: opt-level 3, thin LTO), then"
        " `python3 crates/mqtt-codec-wasm/benches/report.py`",
        "- Ratio = our throughput / mqttbytes' throughput on the same packet (> 1: ours is"
        " faster), from the fastest of 50 samples of each benchmark: other processes on"
        " the machine only ever add time, and move means and medians by tens of percent.",
        f"- Targets: decode >= {DECODE_TARGET}x, encode >= {ENCODE_TARGET}x.",
        "",
        "| Case | Decode ours | Decode mqttbytes | Decode ratio | Decode target |"
        " Encode ours | Encode mqttbytes | Encode ratio | Encode target |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | :---: |",
    ]
    misses = 0
    for case in sorted(results):
        row = [f"`{case}`"]
        for op, target in (("decode", DECODE_TARGET), ("encode", ENCODE_TARGET)):
            ours = results[case].get((op, OURS))
            theirs = results[case].get((op, THEIRS))
            if not ours or not theirs:
                row += ["-", "-", "-", "-"]
                continue
            ratio = theirs[0] / ours[0]
            ok = ratio >= target
            misses += not ok
            # Two decimals, unless rounding would make a miss look like a pass.
            shown = f"{ratio:.2f}" if (float(f"{ratio:.2f}") >= target) == ok else f"{ratio:.3f}"
            row += [rate(ours), rate(theirs), f"{shown}x", "pass" if ok else "**miss**"]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    verdict = "All targets met." if misses == 0 else f"{misses} target(s) missed."
    lines += [verdict, ""]
    return "\n".join(lines), misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=pathlib.Path, help="markdown file to write")
    parser.add_argument("--criterion", type=pathlib.Path, default=default_criterion_dir(),
                        help="criterion output directory (default: <target>/criterion)")
    args = parser.parse_args()
    results = load(args.criterion)
    if not results:
        print(f"no criterion results under {args.criterion}; run the benchmark first",
              file=sys.stderr)
        return 1
    text, _misses = render(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
