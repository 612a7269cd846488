# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Scripts/bench's report: the Markdown table (median, and min–max over the rounds) and the targets of
issue #6, judged on the medians of the same run."""

from __future__ import annotations

import statistics
from typing import Optional

# (metric, label, unit, scale): the value shown is sample * scale
ROWS = [
    ("listen_ms", "cold start: launch → listener accepts", "ms", 1),
    ("first_invoke_ms", "cold start: launch → first invoke answered (C runtime)", "ms", 1),
    ("c_p50_us", "invoke latency p50, minimal C runtime, 100 B", "µs", 1),
    ("c_p99_us", "invoke latency p99, minimal C runtime, 100 B", "µs", 1),
    ("c_rps", "invokes/s, minimal C runtime (sequential, keep-alive)", "/s", 1),
    ("c_cpu_us", "emulator CPU per invoke, minimal C runtime", "µs", 1),
    ("ric_p50_us", "invoke latency p50, awslambdaric, 100 B", "µs", 1),
    ("ric_p99_us", "invoke latency p99, awslambdaric, 100 B", "µs", 1),
    ("ric_rps", "invokes/s, awslambdaric", "/s", 1),
    ("ric_cpu_us", "emulator CPU per invoke, awslambdaric", "µs", 1),
    ("concurrent_ok", "8 concurrent callers: answered 200", "of 8", 1),
    ("concurrent_wall_ms", "8 concurrent callers (20 ms handler): all answered after", "ms", 1),
    ("frame_delay_p50_us", "stream: per-chunk forwarding delay p50 (64 B frames, 1 ms apart)", "µs", 1),
    ("frame_delay_p99_us", "stream: per-chunk forwarding delay p99", "µs", 1),
    ("stream_4k_mib_s", "100 MiB stream throughput, 4 KiB writes", "MiB/s", 1),
    ("stream_16k_mib_s", "100 MiB stream throughput, 16 KiB writes", "MiB/s", 1),
    ("stream_64k_mib_s", "100 MiB stream throughput, 64 KiB writes", "MiB/s", 1),
    ("idle_rss_kb", "RSS idle (after the first invoke)", "MiB", 1 / 1024),
    ("stream_4k_peak_kb", "peak RSS (VmHWM), 100 MiB stream, 4 KiB writes", "MiB", 1 / 1024),
    ("stream_16k_peak_kb", "peak RSS (VmHWM), 100 MiB stream, 16 KiB writes", "MiB", 1 / 1024),
    ("stream_64k_peak_kb", "peak RSS (VmHWM), 100 MiB stream, 64 KiB writes", "MiB", 1 / 1024),
    ("big_p50_ms", "6 MB request + 6 MB response: latency p50", "ms", 1),
    ("big_peak_kb", "peak RSS (VmHWM), 6 MB request + 6 MB response", "MiB", 1 / 1024),
]

PEER_TITLES = {"ours": "ours", "aws": "AWS aws-lambda-rie", "cargo-lambda": "cargo-lambda watch",
               "floor4k": "C floor 4 KiB (reference)", "floor64k": "C floor 64 KiB (reference)"}
FLOOR_BYTES = {"floor4k": 4096, "floor64k": 65536}


def med(values: list) -> Optional[float]:
    vals = [v for v in values if v is not None]
    return round(statistics.median(vals), 1) if vals else None


def fmt(v: float) -> str:
    if float(v).is_integer() and abs(v) < 100:
        return f"{v:.0f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def cell(samples: list, scale: float, note: Optional[str]) -> str:
    vals = [v * scale for v in samples if v is not None]
    failed = len(samples) - len(vals)
    if not vals:
        return f"fails: {note}" if note else "—"
    text = fmt(statistics.median(vals))
    if len(vals) > 1:
        text += f" ({fmt(min(vals))}–{fmt(max(vals))})"
    if failed:
        text += f" [{failed} of {len(samples)} failed: {note}]"
    return text


def markdown(result: dict) -> str:
    samples, notes = result["samples"], result["notes"]
    peers = [p for p in result["binaries"] if p in samples]
    m, s = result["machine"], result["settings"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, Linux {m['kernel']}, load average at start {m['load_at_start']}.",
        f"{s['rounds']} rounds, interleaved; each cell is the median over the rounds, (min–max) after it."
        f" {s['invokes']} sequential invokes per round; {s['frames']} frames; {s['big_invokes']} 6 MB invokes.",
        "",
        "| figure | unit | " + " | ".join(PEER_TITLES.get(p, p) for p in peers) + " |",
        "|---|---|" + "---|" * len(peers),
    ]
    for metric, label, unit, scale in ROWS:
        if not any(metric in samples.get(p, {}) for p in peers):
            continue
        cells = [cell(samples[p].get(metric, []), scale, notes.get(p, {}).get(metric)) for p in peers]
        lines.append(f"| {label} | {unit} | " + " | ".join(cells) + " |")
    conc = [notes.get(p, {}).get("concurrent_ok", "—") for p in peers]
    if any("concurrent_ok" in samples.get(p, {}) for p in peers):
        lines.append("| 8 concurrent callers: what happened (last round) | | " + " | ".join(conc) + " |")
    bins = result["binaries"]
    sizes = []
    for p in peers:
        b = bins[p]
        kind = ", ".join(x for x in ("static" if b["static"] else "dynamic", "stripped" if b["stripped"] else "") if x)
        mib = b["bytes"] / 1024 / 1024
        sizes.append(f"{mib:.1f} ({kind})" if mib >= 0.1 else f"{mib:.2f} ({kind})")
    lines.append("| binary size | MiB | " + " | ".join(sizes) + " |")
    floors = [p for p in peers if p in FLOOR_BYTES]
    if floors:
        sizes_text = " / ".join(f"{FLOOR_BYTES[p] // 1024} KiB" for p in floors)
        lines += ["", "C floor (reference implementations, not competitors; `Bench/floor.c`): the same data path as ours "
                  f"— one read of at most {sizes_text} from the runtime's stream, its payload forwarded as one HTTP "
                  "chunk with one send — in ~340 lines of blocking C, a thread per connection, no logging, no "
                  "hardening: what the design allows on this machine. Not part of the targets."]
    if "client" in samples:
        c = samples["client"]
        lines += ["", "Load generator alone (same client against a trivial in-process C server): "
                  f"{fmt(med(c['c_rps']) or 0)} invokes/s (p50 {fmt(med(c['c_p50_us']) or 0)} µs), "
                  f"{fmt(med(c['stream_64k_mib_s']) or 0)} MiB/s streamed."]
    lines += ["", "Targets (issue #6), on the medians above:", ""]
    for t in result["targets"]:
        lines.append(f"- {'MET' if t['met'] else 'MISSED' if t['met'] is False else 'n/a'}: {t['target']} — {t['detail']}")
    return "\n".join(lines) + "\n"


def targets(result: dict) -> list[dict]:
    s = result["samples"]
    ours, aws, cargo = s.get("ours", {}), s.get("aws", {}), s.get("cargo-lambda", {})
    out = []

    def add(target: str, a: Optional[float], b: Optional[float], ok, detail: str) -> None:
        met = None if a is None or b is None else bool(ok(a, b))
        out.append({"target": target, "met": met, "detail": detail})

    o, w = med(ours.get("c_p50_us", [])), med(aws.get("c_p50_us", []))
    add("invoke p50 ≤ ½ AWS's", o, w, lambda a, b: a <= b / 2, f"ours {o} µs, AWS {w} µs")
    o, w = med(ours.get("c_p99_us", [])), med(aws.get("c_p99_us", []))
    add("invoke p99 ≤ ½ AWS's", o, w, lambda a, b: a <= b / 2, f"ours {o} µs, AWS {w} µs")
    o, w = med(ours.get("c_rps", [])), med(aws.get("c_rps", []))
    add("invokes/s ≥ 2× AWS's", o, w, lambda a, b: a >= 2 * b, f"ours {o}/s, AWS {w}/s")
    o = med(ours.get("frame_delay_p50_us", []))
    add("per-chunk forwarding delay p50 < 1 ms", o, 0, lambda a, b: a < 1000, f"ours {o} µs")
    floor = s.get("floor4k", {})
    for k in ("4k", "16k", "64k"):
        o, c = med(ours.get(f"stream_{k}_mib_s", [])), med(cargo.get(f"stream_{k}_mib_s", []))
        if f"stream_{k}_mib_s" in ours:
            detail = f"ours {o} MiB/s, cargo-lambda {c} MiB/s"
            f = med(floor.get(f"stream_{k}_mib_s", []))
            if f and c and o:  # what the owner-fixed 4 KiB design allows at all, measured in this run
                detail += (f"; the 4 KiB design's C floor {f} MiB/s = {round(100 * f / c)}% of cargo-lambda's, "
                           f"ours {round(100 * o / f)}% of that floor")
            add(f"100 MiB stream throughput ({k.upper().replace('K', ' KiB')} writes) ≥ cargo-lambda's", o, c,
                lambda a, b: a >= b, detail)
    peaks = [med(ours.get(f"stream_{k}_peak_kb", [])) for k in ("4k", "16k", "64k")]
    peaks = [p for p in peaks if p is not None]
    peak = max(peaks) if peaks else None
    add("peak RSS during the 100 MiB stream < 16 MB", peak, 0, lambda a, b: a * 1024 < 16e6,
        f"ours {None if peak is None else round(peak / 1024, 1)} MiB (largest over the write sizes)")
    o, w = med(ours.get("idle_rss_kb", [])), med(aws.get("idle_rss_kb", []))
    add("idle RSS below AWS's", o, w, lambda a, b: a < b, f"ours {o} kB, AWS {w} kB")
    o, w = med(ours.get("listen_ms", [])), med(aws.get("listen_ms", []))
    add("listener ready sooner than AWS's", o, w, lambda a, b: a < b, f"ours {o} ms, AWS {w} ms")
    b = result["binaries"].get("ours")
    if b:
        add("stripped static binary ≤ 16 MB", b["bytes"], 0,
            lambda a, _: a <= 16e6 and b["static"] and b["stripped"],
            f"{b['bytes']:,} bytes, static={b['static']}, stripped={b['stripped']}")
    return out
