# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Scripts/bench's driver: runs every scenario against every peer, interleaved, for several rounds, and
prints the medians (with min–max) as a Markdown table and JSON. Started by Scripts/bench, which installs
the peers and builds the tools; see `Scripts/bench --help`.

Each scenario launches a fresh emulator (so peak-RSS figures belong to that scenario alone). Within a
round the scenarios run in turn, and for each scenario the peers run one after the other in an order
that rotates from round to round, so slow drifts of a busy machine spread over all peers.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

from peers import (BENCH_DIR, CargoLambdaPeer, Peer, RIEPeer, Running, Runtime, proc_stat_cpu, proc_status_kb,
                   wait_listening)
from report import markdown, targets

MiB = 1024 * 1024


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.tools = Path(args.tools)
        self.loadgen = str(self.tools / "loadgen")
        self.c_runtime = Runtime("c", [str(self.tools / "runtime")], retries_connect=True)
        self.py_runtime = Runtime("awslambdaric", [args.python, "-m", "awslambdaric", "bench_handler.echo"],
                                  {"PYTHONPATH": str(BENCH_DIR)})
        # samples[peer][metric] = [value per round]; notes[peer][metric] = text of the last round
        self.samples: dict[str, dict[str, list]] = {}
        self.notes: dict[str, dict[str, str]] = {}

    # -- recording ---------------------------------------------------------------------------------------

    def record(self, peer: str, metric: str, value: Any, note: Optional[str] = None) -> None:
        self.samples.setdefault(peer, {}).setdefault(metric, []).append(value)
        if note is not None:
            self.notes.setdefault(peer, {})[metric] = note

    def run_loadgen(self, *argv: str) -> dict:
        out = subprocess.run([self.loadgen, *argv], capture_output=True, text=True, timeout=300)
        try:
            return json.loads(out.stdout)
        except json.JSONDecodeError:
            return {"error": (out.stderr or out.stdout).strip()[-300:] or f"exit {out.returncode}"}

    def launch(self, peer: Peer, runtime: Runtime) -> tuple[Running, Optional[float]]:
        """Starts peer; returns it and the ms until its invoke listener accepted (None: it never did)."""
        running = peer.launch(runtime)
        ready = wait_listening(running.port)
        return running, (None if ready is None else (ready - running.started_ns) / 1e6)

    # -- scenarios -----------------------------------------------------------------------------------------

    def scenario_minimal(self, peer: Peer) -> None:
        """Cold start, idle RSS, sequential invokes, per-chunk delay and 8 concurrent callers, with the C runtime."""
        a = self.args
        running, listen_ms = self.launch(peer, self.c_runtime)
        try:
            name = peer.name
            self.record(name, "listen_ms", listen_ms)
            first = first_invoke(running.port, running.path)
            self.record(name, "first_invoke_ms", None if first is None else (first - running.started_ns) / 1e6)
            time.sleep(0.3)
            self.record(name, "idle_rss_kb", proc_status_kb(running.pid, "VmRSS"))
            cpu0 = proc_stat_cpu(running.pid)
            r = self.run_loadgen("invoke", "127.0.0.1", str(running.port), running.path, str(a.invokes), "100")
            cpu1 = proc_stat_cpu(running.pid)
            self.record_invokes(name, "c", r, cpu0, cpu1)
            body = json.dumps({"cmd": "frames", "n": a.frames, "us": 1000}, separators=(",", ":"))
            r = self.run_loadgen("stream", "127.0.0.1", str(running.port), running.path, body)
            ok = r.get("frames") == a.frames
            self.record(name, "frame_delay_p50_us", r.get("delay_p50_us") if ok else None, None if ok else str(r))
            self.record(name, "frame_delay_p99_us", r.get("delay_p99_us") if ok else None)
            body = json.dumps({"cmd": "sleep", "us": 20000}, separators=(",", ":"))
            r = self.run_loadgen("concurrent", "127.0.0.1", str(running.port), running.path, "8", body)
            time.sleep(0.2)
            alive = running.alive()
            statuses = r.get("statuses", [])
            failed = [s for s in statuses if s != 200]
            note = f"{r.get('ok', 0)}/8 answered 200 in {r.get('wall_s', 0) * 1000:.0f} ms"
            if failed:
                note += f"; others: {', '.join('connection dropped' if s < 0 else str(s) for s in sorted(set(failed)))}"
            note += "; emulator still running" if alive else f"; emulator exited ({running.proc.returncode})"
            self.record(name, "concurrent_ok", r.get("ok", 0), note)
            self.record(name, "concurrent_wall_ms", r.get("wall_s", 0) * 1000 if r.get("ok") == 8 else None)
        finally:
            running.stop()

    def record_invokes(self, name: str, kind: str, r: dict, cpu0: Optional[float], cpu1: Optional[float]) -> None:
        # awslambdaric re-serialises the JSON (a space after the colon), so only the C runtime's echo is exact
        good = "n" in r and r.get("ok") == r.get("n") and (kind == "ric" or not r.get("wrong_length"))
        note = None if good else r.get("error") or f"{r}"
        self.record(name, f"{kind}_p50_us", r.get("p50_us") if good else None, note)
        self.record(name, f"{kind}_p99_us", r.get("p99_us") if good else None)
        self.record(name, f"{kind}_rps", r.get("rps") if good else None)
        cpu = None if cpu0 is None or cpu1 is None or not good else (cpu1 - cpu0) / r["n"] * 1e6
        self.record(name, f"{kind}_cpu_us", cpu)

    def scenario_awslambdaric(self, peer: Peer) -> None:
        running, _ = self.launch(peer, self.py_runtime)
        try:
            if first_invoke(running.port, running.path, timeout=20) is None:  # the runtime's init
                why = "no answer to the first invoke"
                for h in running.helpers:
                    if h.poll() is not None:
                        why += f"; the runtime (started by the bench) exited with {h.returncode}"
                        if h.returncode == -11:
                            why += " (SIGSEGV: awslambdaric's native client crashes reading this /next answer)"
                self.record_invokes(peer.name, "ric", {"error": why}, None, None)
                return
            cpu0 = proc_stat_cpu(running.pid)
            r = self.run_loadgen("invoke", "127.0.0.1", str(running.port), running.path, str(self.args.invokes), "100")
            cpu1 = proc_stat_cpu(running.pid)
            self.record_invokes(peer.name, "ric", r, cpu0, cpu1)
        finally:
            running.stop()

    def scenario_stream(self, peer: Peer, write: int) -> None:
        running, _ = self.launch(peer, self.c_runtime)
        try:
            n = self.args.stream_mib * MiB
            body = json.dumps({"cmd": "stream", "n": n, "w": write}, separators=(",", ":"))
            r = self.run_loadgen("stream", "127.0.0.1", str(running.port), running.path, body)
            ok = r.get("status") == 200 and r.get("bytes") == n
            note = None if ok else stream_failure(r, running)
            self.record(peer.name, f"stream_{write // 1024}k_mib_s", r.get("mib_s") if ok else None, note)
            self.record(peer.name, f"stream_{write // 1024}k_peak_kb", proc_status_kb(running.pid, "VmHWM"))
        finally:
            running.stop()

    def scenario_big_payload(self, peer: Peer) -> None:
        running, _ = self.launch(peer, self.c_runtime)
        try:
            first_invoke(running.port, running.path)
            r = self.run_loadgen("invoke", "127.0.0.1", str(running.port), running.path,
                                 str(self.args.big_invokes), "6000000", "1")
            good = "n" in r and r.get("ok") == r.get("n") and not r.get("wrong_length")
            self.record(peer.name, "big_p50_ms", r["p50_us"] / 1000 if good else None, None if good else str(r))
            self.record(peer.name, "big_peak_kb", proc_status_kb(running.pid, "VmHWM"))
        finally:
            running.stop()

    def client_ceiling(self) -> None:
        r = self.run_loadgen("selftest", str(self.args.invokes), str(self.args.stream_mib * MiB), "65536")
        self.record("client", "c_rps", r.get("invoke", {}).get("rps"))
        self.record("client", "c_p50_us", r.get("invoke", {}).get("p50_us"))
        self.record("client", "stream_64k_mib_s", r.get("stream", {}).get("mib_s"))

    # -- the run ---------------------------------------------------------------------------------------------

    def run(self, peers: list[Peer]) -> None:
        a = self.args
        scenarios: list[tuple[str, str, Callable[[Peer], None]]] = [
            ("minimal", "cold start, invokes, frames, concurrency (C runtime)", self.scenario_minimal),
            ("ric", "invokes (awslambdaric)", self.scenario_awslambdaric),
            *[("stream", f"{a.stream_mib} MiB stream, {w // 1024} KiB writes",
               lambda p, w=w: self.scenario_stream(p, w)) for w in a.writes],
            ("big", "6 MB payloads", self.scenario_big_payload),
        ]
        if a.only:
            scenarios = [s for s in scenarios if s[0] in a.only.split(",")]
        for rnd in range(a.rounds):
            order = peers[rnd % len(peers):] + peers[:rnd % len(peers)]
            for _, title, scenario in scenarios:
                for peer in order:
                    log(f"round {rnd + 1}/{a.rounds}: {title}: {peer.name}")
                    scenario(peer)
            self.client_ceiling()


def first_invoke(port: int, path: str, timeout: float = 60.0) -> Optional[int]:
    """One 100-byte invoke on a new connection; the monotonic ns when its whole answer arrived."""
    body = b'{"p":"' + b"x" * 92 + b'"}'
    req = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
           "Connection: close\r\n\r\n").encode() + body
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(req)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, sep, rest = data.partition(b"\r\n\r\n")
                if sep and b"content-length:" in head.lower():
                    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                    if len(rest) >= length:
                        break
            return time.monotonic_ns() if data.startswith(b"HTTP/1.1 200") else None
    except OSError:
        return None


def stream_failure(r: dict, running: Running) -> str:
    if "error" in r:
        return f"loadgen: {r['error']}"
    text = f"status {r.get('status')}, {r.get('bytes')} bytes"
    error = re.search(r"'errorType':'([^']+)'", r.get("head", ""))
    if error:
        text = f"answers {r.get('status')} with a {r.get('bytes')}-byte {error.group(1)} error body"
        if error.group(1) == "Function.ResponseSizeTooLarge":
            text += " (it buffers the stream and caps it at 6 MB)"
    elif r.get("head") and r.get("bytes", 0) < 4096:
        text += f": {r['head']}"
    if not running.alive():
        text += f"; the emulator exited ({running.proc.returncode})"
    return text


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def binary_facts(path: str) -> dict:
    desc = subprocess.run(["file", "-L", path], capture_output=True, text=True).stdout
    return {"bytes": Path(path).stat().st_size, "static": "statically linked" in desc or "static-pie" in desc,
            "stripped": ", stripped" in desc}


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = Path("/proc/loadavg").read_text().split()[:3]
    return {"cpu": cpu, "cores": len([l for l in Path("/proc/cpuinfo").read_text().splitlines()
                                     if l.startswith("processor")]),
            "kernel": platform.release(), "load_at_start": " ".join(load)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--ours", required=True)
    p.add_argument("--aws", required=True)
    p.add_argument("--cargo-lambda", required=True)
    p.add_argument("--python", required=True, help="the venv python that has awslambdaric")
    p.add_argument("--tools", required=True, help="directory with loadgen and runtime (built by Scripts/bench)")
    p.add_argument("--out", required=True, help="directory for bench-results.{json,md} and the emulators' logs")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--rounds", type=int)
    p.add_argument("--floor", help="Bench/floor.c's binary: the C floor columns (a reference, not a peer)")
    p.add_argument("--peers", default="ours,aws,cargo-lambda,floor4k,floor64k",
                   help="floor4k, floor64k: Bench/floor.c with a 4 KiB / 64 KiB read buffer (need --floor)")
    p.add_argument("--only", metavar="minimal,ric,stream,big", help="run only these scenarios")
    p.add_argument("--extra", action="append", default=[], metavar="NAME=PATH",
                   help="another binary with aws-lambda-rie's command line (e.g. a build to compare); repeatable")
    a = p.parse_args()
    a.rounds = a.rounds or (2 if a.quick else 5)
    a.invokes = 1000 if a.quick else 5000
    a.frames = 100 if a.quick else 200
    a.stream_mib = 100
    a.writes = [4096, 65536] if a.quick else [4096, 16384, 65536]
    a.big_invokes = 3 if a.quick else 5
    out = Path(a.out)
    logdir = out / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    all_peers: dict[str, Peer] = {
        "ours": RIEPeer("ours", a.ours, out, logdir),
        "aws": RIEPeer("aws", a.aws, out, logdir),
        "cargo-lambda": CargoLambdaPeer(a.cargo_lambda, out, logdir),
    }
    if a.floor:
        for name, size in (("floor4k", 4096), ("floor64k", 65536)):
            all_peers[name] = RIEPeer(name, a.floor, out, logdir, {"FLOOR_BUFFER_BYTES": str(size)})
    for extra in a.extra:
        name, _, path = extra.partition("=")
        all_peers[name] = RIEPeer(name, path, out, logdir)
    names = [n for n in a.peers.split(",") if a.floor or n not in ("floor4k", "floor64k")]
    peers = [all_peers[n] for n in names] + [all_peers[e.partition("=")[0]] for e in a.extra]
    started = time.time()
    bench = Bench(a)
    bench.run(peers)
    result = {
        "machine": machine(),
        "settings": {"rounds": a.rounds, "invokes": a.invokes, "frames": a.frames, "stream_mib": a.stream_mib,
                     "writes": a.writes, "big_invokes": a.big_invokes, "quick": a.quick, "only": a.only},
        "binaries": {p.name: {"path": p.binary, **binary_facts(p.binary)} for p in peers},
        "samples": bench.samples,
        "notes": bench.notes,
        "seconds": round(time.time() - started, 1),
    }
    result["targets"] = targets(result)
    table = markdown(result)
    (out / "bench-results.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "bench-results.md").write_text(table)
    print(table)
    print("```json")
    print(json.dumps({"machine": result["machine"], "settings": result["settings"], "targets": result["targets"],
                      "medians": {peer: {m: median(v) for m, v in ms.items()} for peer, ms in bench.samples.items()}},
                     indent=1))
    print("```")
    log(f"wrote {out / 'bench-results.json'} and {out / 'bench-results.md'} ({result['seconds']} s)")
    return 0


def median(values: list) -> Optional[float]:
    vals = [v for v in values if v is not None]
    return round(statistics.median(vals), 3) if vals else None


if __name__ == "__main__":
    sys.exit(main())
