# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Third-party HTTP/1.1 corpora (conformance/: Http11Probe, llhttp, http-desync-guardian) replayed against both
listeners of the real binary with their own runners, all six replays at once against one emulator.

Required (conformance/README.md says why each runner is called as it is): every scored Http11Probe case
passes; no 2xx or 404 for bytes llhttp rejects; no "Severe" desync-guardian shape accepted; the server
answers after every case. The runners' informational verdicts (llhttp DIFF, desync WARN/DIFF, Http11Probe
Warn) are printed, not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.emulator import FIXTURES, Emulator, base_env

HERE = Path(__file__).resolve().parent / "conformance"
CORPORA = {
    "http11probe": (["replay_http11probe.py", "http11probe-cases.json"], ["--as-2xx", "404"]),
    "llhttp": (["llhttp_corpus.py", "replay", "llhttp-request.json"], ["--add-host"]),
    "desync-guardian": (["desync_guardian_corpus.py", "replay", "desync-guardian.json"], []),
}
LISTENERS = ("invoke", "runtime")

pytestmark = pytest.mark.ours_only("Request parsing (hostile input)")


@pytest.fixture(scope="module")
def replays(rie_binary, tmp_path_factory):
    """Starts one emulator, runs the six replays concurrently, returns {(corpus, listener): (report, output)}."""
    logs = tmp_path_factory.mktemp("conformance")
    emu = Emulator(rie_binary, [str(FIXTURES / "sleeper")], logs, env=base_env())
    emu.start()
    try:
        running = {}
        for corpus, (args, options) in CORPORA.items():
            for listener in LISTENERS:
                port = emu.invoke_port if listener == "invoke" else emu.rapi_port
                report = logs / f"{corpus}-{listener}.json"
                script, *rest = args
                command = [sys.executable, str(HERE / script)]
                command += [str(HERE / a) if a.endswith(".json") else a for a in rest]
                command += ["127.0.0.1", str(port), *options, "--json", str(report)]
                running[(corpus, listener)] = (
                    subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
                    report,
                )
        results = {}
        for key, (proc, report) in running.items():
            output, _ = proc.communicate(timeout=240)
            results[key] = (json.loads(report.read_text()) if report.exists() else None, output)
        assert emu.proc is not None and emu.proc.poll() is None, "the emulator exited during the replays"
        yield results
    finally:
        emu.stop()


def summary(output: str) -> str:
    return output.strip().splitlines()[-1] if output.strip() else "(no output)"


@pytest.mark.parametrize("listener", LISTENERS)
def test_http11probe_every_scored_case_passes(replays, listener):
    report, output = replays[("http11probe", listener)]
    assert report is not None, output
    print(f"Http11Probe on {listener}: {summary(output)}")
    failed = [f"{r['id']}: expected {r['expected']}, got {r['got']}" for r in report["results"] if r["verdict"] == "Fail"]
    assert not failed, "\n".join(failed)
    assert not report["died_after"], report["died_after"]
    assert all(r["alive_after"] for r in report["results"])


@pytest.mark.parametrize("listener", LISTENERS)
def test_llhttp_rejected_bytes_are_never_served(replays, listener):
    report, output = replays[("llhttp", listener)]
    assert report is not None, output
    print(f"llhttp on {listener}: {summary(output)}")
    failed = [f"{r['file']}:{r['line']} {r['name']}: got {r['got']}" for r in report["results"] if r["verdict"] == "FAIL"]
    assert not failed, "\n".join(failed)
    assert all(r["alive"] for r in report["results"])
    assert report["tally"]["PASS"] == sum(1 for r in report["results"] if r["llhttp_error"])


@pytest.mark.parametrize("listener", LISTENERS)
def test_desync_guardian_severe_shapes_are_refused(replays, listener):
    report, output = replays[("desync-guardian", listener)]
    assert report is not None, output
    print(f"desync-guardian on {listener}: {summary(output)}")
    failed = [f"{r['tier']} {r['name']}: got {r['got']}" for r in report["results"] if r["verdict"] == "FAIL"]
    assert not failed, "\n".join(failed)
    assert all(r["alive"] for r in report["results"])
    assert any(r["tier"] == "Severe" for r in report["results"])
