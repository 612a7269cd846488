# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Differential compatibility driver: runs every scenario of scenarios.py against AWS's aws-lambda-rie
and ours, normalises what is volatile, diffs the records and classifies each scenario as
`identical`, `deliberately different (README: <row>)` or `wrong`. Exits 1 if any is wrong.

Usage: driver.py --aws PATH --ours PATH [--only GLOB ...] [--verbose] [--rows]
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # harness
sys.path.insert(0, str(HERE))

from harness import http  # noqa: E402
from harness.emulator import FIXTURES, Emulator, base_env, free_port, pid_exists  # noqa: E402

import differences as D  # noqa: E402
import scenarios as S  # noqa: E402

UUID_RX = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BIG = 2048

# -- running one scenario against one binary --------------------------------------------------------


def response_event(label: str, request: str, r: http.Response) -> dict:
    return {
        "label": label,
        "request": request,
        "status": r.status,
        "reason": r.reason,
        "headers": [(k, v) for k, v in r.headers],
        "body": r.body,
        "trailers": [(k, v) for k, v in r.trailers],
    }


def error_event(label: str, request: str, e: BaseException) -> dict:
    return {"label": label, "request": request, "error": type(e).__name__}


class Runner:
    """Interprets one scenario's steps against one running emulator and records every exchange."""

    def __init__(self, emu: Emulator, scenario: S.Scenario):
        self.emu, self.sc = emu, scenario
        self.events: list[dict] = []
        self.pending: deque = deque()
        self.pending_next = None
        self.counts: dict[str, int] = {}
        self.last_id = ""
        self.last_body = b""
        self.runtime_seen = False

    def label(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}#{self.counts[kind]}"

    def record(self, label: str, request: str, fn) -> None:
        try:
            r = fn()
            self.events.append(response_event(label, request, r))
            return r
        except Exception as e:  # noqa: BLE001 - a failure is part of the record
            self.events.append(error_event(label, request, e))
            return None

    def run(self) -> list[dict]:
        for step in self.sc.steps:
            getattr(self, "do_" + type(step).__name__)(step)
        while self.pending:
            self.do_Await(None)
        code = self.emu.proc.poll()
        self.events.append({"label": "process", "value": "running" if code is None else f"exited {code}"})
        return self.events

    def do_Invoke(self, step: S.Invoke) -> None:
        request = f"{step.method} {step.path}"
        bg = self.emu.invoke_async(step.body, dict(step.headers), step.method, step.path, timeout=30)
        self.pending.append((self.label("invoke"), request, bg))

    def do_Await(self, _step) -> None:
        label, request, bg = self.pending.popleft()
        self.record(label, request, lambda: bg.result(40))

    def do_Next(self, _step) -> None:
        request = "GET /2018-06-01/runtime/invocation/next"
        if self.pending_next is not None:
            bg, self.pending_next = self.pending_next, None
            r = self.record(self.label("next"), request, lambda: bg.result(15))
        else:
            if not self.runtime_seen:
                try:
                    self.emu.wait_for_runtime(10)
                except TimeoutError:
                    pass
            r = self.record(self.label("next"), request, lambda: self.emu.next(timeout=15))
        self.runtime_seen = True
        if r is not None and r.status == 200:
            self.last_id = r.header("Lambda-Runtime-Aws-Request-Id") or ""
            self.last_body = r.body

    def do_Post(self, step: S.Post) -> None:
        rid = step.request_id if step.request_id is not None else self.last_id
        path = f"/2018-06-01/runtime/invocation/{rid}/{step.kind}"
        body = self.last_body if step.body == S.ECHO else step.body
        self.record(self.label("rapi"), f"POST {path}", lambda: self.emu.rapi("POST", path, dict(step.headers), body))

    def do_Raw(self, step: S.Raw) -> None:
        path = step.path.replace("{id}", self.last_id)
        self.record(
            self.label("rapi"),
            f"{step.method} {path}",
            lambda: self.emu.rapi(step.method, path, dict(step.headers), step.body),
        )

    def do_Stream(self, step: S.Stream) -> None:
        path = f"/2018-06-01/runtime/invocation/{self.last_id}/response"

        def send() -> http.Response:
            with http.Connection("127.0.0.1", self.emu.rapi_port, timeout=15) as conn:
                conn.send_request("POST", path, {**step.headers, "Transfer-Encoding": "chunked"})
                for chunk in step.chunks:
                    conn.send_chunk(chunk)
                conn.end_chunks(step.trailers)
                return conn.read_response()

        self.record(self.label("rapi"), f"POST {path} (chunked)", send)

    def do_Release(self, _step) -> None:
        if self.pending_next is None:
            self.pending_next = self.emu.rapi_async("GET", "/runtime/invocation/next", timeout=120)

    def do_KillRuntime(self, _step) -> None:
        label = self.label("kill")
        try:
            (pid,) = self.emu.children()
            self.emu.remember_process_groups()
            os.killpg(os.getpgid(pid), signal.SIGKILL)
            http.wait_until(lambda: not pid_exists(pid), 10, "the runtime to be reaped")
            self.events.append({"label": label, "value": "killed"})
        except Exception as e:  # noqa: BLE001
            self.events.append({"label": label, "value": f"failed: {e!r}"})

    def do_Signal(self, step: S.Signal) -> None:
        label = self.label("signal")
        self.emu.signal(step.signum)
        try:
            self.events.append({"label": label, "value": f"exit {self.emu.wait(10)}"})
        except subprocess.TimeoutExpired:
            self.events.append({"label": label, "value": "still running after 10 s"})


def run_cli(binary: str, args: list, timeout: float = 3.0) -> list[dict]:
    addrs = ["--runtime-api-address", f"127.0.0.1:{free_port()}"]
    addrs += ["--runtime-interface-emulator-address", f"127.0.0.1:{free_port()}"]
    p = subprocess.Popen(
        [binary, *addrs, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=base_env(),
        start_new_session=True,
    )
    try:
        out, _ = p.communicate(timeout=timeout)
        value = f"exit {p.returncode}"
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        value = f"still running after {timeout:g} s"
    return [{"label": "cli", "value": value, "body": out}]


def run_scenario(binary: str, sc: S.Scenario, workdir: Path) -> tuple[list[dict], dict]:
    """Returns (events, context for normalisation)."""
    if sc.cli is not None:
        return run_cli(binary, sc.cli), {}
    cwd = FIXTURES / "python" if sc.python_cwd else FIXTURES
    emu = Emulator(binary, sc.bootstrap, workdir, env=base_env(**sc.env), cwd=cwd)
    try:
        emu.start()
    except RuntimeError as e:
        return [{"label": "start", "value": f"failed: {e}"}], {}
    try:
        events = Runner(emu, sc).run()
    finally:
        emu.stop()
    if sc.logs:
        lines = [l for l in emu.stdout().splitlines() if l.startswith(("START ", "END ", "REPORT "))]
        events.append({"label": "log", "body": "\n".join(lines).encode()})
    ctx = {"ports": {emu.rapi_port: b"<rapi-port>", emu.invoke_port: b"<invoke-port>"}}
    return events, ctx


# -- normalisation ------------------------------------------------------------------------------------


class Normaliser:
    """Replaces volatile bytes consistently across one record: UUIDs become <uuid1>, <uuid2>... in order
    of first appearance; ports, durations and deadlines become placeholders; Date headers are dropped."""

    def __init__(self, sc: S.Scenario, ctx: dict):
        self.sc, self.ctx = sc, ctx
        self.uuids: dict[bytes, bytes] = {}
        self.timeout_ms = int(sc.env.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "300")) * 1000

    def text(self, data: bytes) -> bytes:
        def uuid(m: re.Match) -> bytes:
            return self.uuids.setdefault(m.group(0), b"<uuid%d>" % (len(self.uuids) + 1))

        data = UUID_RX.sub(uuid, data)
        for port, name in self.ctx.get("ports", {}).items():
            data = data.replace(b"127.0.0.1:%d" % port, b"127.0.0.1:" + name)
        data = re.sub(rb"(Init Duration|Billed Duration|Duration): [\d.]+ ms", rb"\1: <ms>", data)
        for rx, rep in self.sc.subs:
            data = re.sub(rx, rep, data)
        return data

    def header_value(self, name: str, value: str) -> str:
        if name == "lambda-runtime-deadline-ms" and value.isdigit():
            left = int(value) - int(time.time() * 1000)  # normalised right after the run
            ok = -60_000 < left <= self.timeout_ms + 1_000 and int(value) > 1_600_000_000_000
            return "<epoch ms within the timeout>" if ok else value
        return self.text(value.encode("latin-1")).decode("latin-1")

    def body(self, data: bytes) -> bytes:
        if len(data) > BIG:
            return b"<%d bytes sha256:%s>" % (len(data), hashlib.sha256(data).hexdigest()[:16].encode())
        return self.text(data)

    def event(self, e: dict) -> dict:
        out = dict(e)
        if "request" in e:
            out["request"] = self.text(e["request"].encode("latin-1")).decode("latin-1")
        if "headers" in e:
            hs = sorted(((k.lower(), v) for k, v in e["headers"] if k.lower() != "date"), key=lambda kv: kv[0])
            out["headers"] = [(k, self.header_value(k, v)) for k, v in hs]
        if "trailers" in e:
            out["trailers"] = [(k.lower(), self.header_value(k.lower(), v)) for k, v in e["trailers"]]
        if "body" in e:
            out["body"] = self.body(e["body"])
        return out


def normalise(events: list[dict], sc: S.Scenario, ctx: dict) -> list[dict]:
    n = Normaliser(sc, ctx)
    return [n.event(e) for e in events]


# -- diff and classification --------------------------------------------------------------------------


def diff(aws: list[dict], ours: list[dict]) -> list[tuple[str, object, object]]:
    """(field key, AWS value, our value) for every field that differs."""
    out = []
    for i in range(max(len(aws), len(ours))):
        a = aws[i] if i < len(aws) else {}
        o = ours[i] if i < len(ours) else {}
        label = a.get("label") or o.get("label")
        if a.get("label") != o.get("label"):
            out.append((f"{label}.event", a.get("label"), o.get("label")))
            continue
        for f in ("error", "status", "reason", "value", "body", "trailers"):
            if a.get(f) != o.get(f):
                out.append((f"{label}.{f}", a.get(f), o.get(f)))
        ah, oh = dict_multi(a.get("headers", [])), dict_multi(o.get("headers", []))
        for name in sorted(set(ah) | set(oh)):
            if ah.get(name) != oh.get(name):
                out.append((f"{label}.header.{name}", ah.get(name), oh.get(name)))
    return out


def dict_multi(pairs) -> dict:
    d: dict = {}
    for k, v in pairs:
        d.setdefault(k, []).append(v)
    return {k: v[0] if len(v) == 1 else v for k, v in d.items()}


def classify(sc: S.Scenario, aws: list, ours: list, diffs: list) -> tuple[str, list[str]]:
    """Returns (verdict, explanations)."""
    if not diffs:
        return "identical", []
    entries = [e for e in D.EXPECTED if fnmatch.fnmatchcase(sc.name, e.scenario)]
    entries.sort(key=lambda e: "*" not in e.allow)  # an entry allowing everything claims every difference
    claimed: dict[int, list] = {}
    problems = []
    for d in diffs:
        owner = next((i for i, e in enumerate(entries) if any(fnmatch.fnmatchcase(d[0], p) for p in e.allow)), None)
        if owner is None:
            problems.append(f"not an expected difference: {d[0]}")
        else:
            claimed.setdefault(owner, []).append(d)
    rows = []
    for i in sorted(claimed):
        e = entries[i]
        why = e.check(ours, aws, sc)
        if why:
            problems.append(f"{e.row}: {why}")
        elif e.row not in rows:
            rows.append(e.row)
    if problems:
        return "wrong", problems
    return f"deliberately different (README: {'; '.join(rows)})", []


def show(value) -> str:
    text = repr(value)
    return text if len(text) <= 400 else text[:400] + "..."


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--aws", help="AWS's aws-lambda-rie binary")
    ap.add_argument("--ours", help="our aws-lambda-rie binary")
    ap.add_argument("--only", action="append", default=[], help="run only scenarios matching this glob")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the differences of every scenario")
    ap.add_argument("--dump", action="store_true", help="print both normalised records of every scenario")
    ap.add_argument("--rows", action="store_true", help="print the README rows of deliberate differences and exit")
    args = ap.parse_args()

    if args.rows:
        for row, text in D.ROWS.items():
            print(f"| {row} | {text} |")
        return 0
    if not (args.aws and args.ours):
        ap.error("--aws and --ours are required")
    unknown_rows = {e.row for e in D.EXPECTED} - set(D.ROWS)
    assert not unknown_rows, unknown_rows

    scenarios = [s for s in S.SCENARIOS if not args.only or any(fnmatch.fnmatchcase(s.name, g) for g in args.only)]
    tally = {"identical": 0, "deliberately different": 0, "wrong": 0}
    width = max(len(s.name) for s in scenarios) + 2
    with tempfile.TemporaryDirectory(prefix="rie-compat-") as tmp:
        for sc in scenarios:
            work = Path(tmp) / sc.name
            aws_events, aws_ctx = run_scenario(args.aws, sc, work / "aws")
            aws = normalise(aws_events, sc, aws_ctx)
            our_events, our_ctx = run_scenario(args.ours, sc, work / "ours")
            ours = normalise(our_events, sc, our_ctx)
            diffs = diff(aws, ours)
            verdict, problems = classify(sc, aws, ours, diffs)
            tally["wrong" if verdict == "wrong" else verdict.split(" (")[0]] += 1
            print(f"{sc.name:<{width}} {verdict}", flush=True)
            if args.dump:
                for who, rec in (("aws", aws), ("ours", ours)):
                    for e in rec:
                        print(f"    [{who}] {show(e)}")
            if verdict == "wrong" or (args.verbose and diffs):
                for p in problems:
                    print(f"    ! {p}")
                for key, a, o in diffs:
                    print(f"    {key}\n        aws:  {show(a)}\n        ours: {show(o)}")
    print(
        f"compat: {tally['identical']} identical, {tally['deliberately different']} deliberately different, "
        f"{tally['wrong']} wrong"
    )
    # The plain closing line test-result readers understand: a scenario passes unless it is wrong.
    print(f"compat: {tally['identical'] + tally['deliberately different']} passed, {tally['wrong']} failed")
    return 1 if tally["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
