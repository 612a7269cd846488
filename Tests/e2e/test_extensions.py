# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The Extensions API end to end: external extensions started from the extensions directory (a bash+curl one and
a Python one, fixtures/extensions), internal ones registered by the runtime's process (the test plays it), the
INVOKE and SHUTDOWN events, the init and invoke gates, and AWS's error answers.

Every ordering claim is proved by handshakes: the extensions write what they received to files, the emulator's
debug log says when the runtime asked for /next, and the fixtures wait on files the test creates."""

from __future__ import annotations

import json
import signal
import socket
import sys
import time
import uuid
from pathlib import Path

import pytest

from harness import expected as X
from harness import http
from harness.emulator import FIXTURES, base_env

pytestmark = pytest.mark.ours_only("Extensions API")

EXT_FIXTURES = FIXTURES / "extensions"
REGISTER = "/2020-01-01/extension/register"
EVENT_NEXT = "/2020-01-01/extension/event/next"
TRACE = "Root=1-5f35ae12-0c0fec141ab77a00bc047aa2;Parent=2be948a625588e32;Sampled=1"
NEXT_LOG = "API request - GET /2018-06-01/runtime/invocation/next"


def extensions_dir(tmp_path: Path, *names: str) -> Path:
    directory = tmp_path / "opt-extensions"
    directory.mkdir()
    for name in names:
        (directory / name).symlink_to(EXT_FIXTURES / name)
    return directory


def events(out: Path, name: str) -> list[dict]:
    path = out / f"{name}.events"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def wait_events(out: Path, name: str, count: int, timeout: float = 15.0) -> list[dict]:
    http.wait_until(lambda: len(events(out, name)) >= count, timeout, f"{count} events for {name}")
    return events(out, name)


def request_ids(emu) -> list[str]:
    return [m.group(1) for m in emu.wait_for_stdout(r"^START RequestId: (\S+)")]


@pytest.fixture
def with_extensions(start_emulator, tmp_path):
    """Factory: with_extensions(names, mode="echo", debug=False, **env) -> (emulator, handshake dir): the curl
    runtime in `mode`, and the named fixtures as the extensions directory."""

    def start(names, mode="echo", debug=False, **env):
        out = tmp_path / "handshakes"
        out.mkdir()
        directory = extensions_dir(tmp_path, *names)
        environment = base_env(AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(directory), EXT_OUT=str(out), **env)
        flags = ("--log-level", "debug") if debug else ()
        return start_emulator([str(FIXTURES / "curl-runtime"), mode], env=environment, flags=flags), out

    return start


def register(emu, name, events_=("INVOKE",), body=None, headers=None):
    hdrs = {"Lambda-Extension-Name": name} if name is not None else {}
    hdrs.update(headers or {})
    payload = body if body is not None else json.dumps({"events": list(events_)}).encode()
    return emu.rapi("POST", REGISTER, hdrs, payload)


def forbidden(response, error_type: str, message: str | None = None) -> None:
    assert response.status == 403, response
    doc = json.loads(response.body)
    assert doc["errorType"] == error_type, doc
    if message is not None:
        assert doc["errorMessage"] == message
    assert response.body.endswith(b"\n")


def test_shell_and_python_extensions_receive_invoke_and_shutdown(with_extensions):
    emu, out = with_extensions(["py-ext", "shell-ext"])
    before = int(time.time() * 1000)
    answer = emu.invoke(b'{"a":1}', headers={"X-Amzn-Trace-Id": TRACE})
    assert (answer.status, answer.body) == (200, b'{"a":1}')
    (request_id,) = request_ids(emu)
    for name in ("shell-ext", "py-ext"):
        registered = json.loads((out / f"{name}.register").read_text())
        assert registered["functionName"] == "test_function"
        assert registered["functionVersion"] == "$LATEST"
        assert "handler" in registered
        (event,) = wait_events(out, name, 1)
        assert event["eventType"] == "INVOKE"
        assert event["requestId"] == request_id
        assert event["invokedFunctionArn"] == X.DEFAULT_ARN
        assert event["tracing"] == {"type": "X-Amzn-Trace-Id", "value": TRACE}
        # The default timeout is 300 s; the deadline is stamped when the invoke became current.
        assert before + 299_000 <= event["deadlineMs"] <= int(time.time() * 1000) + 300_000
    py_event = events(out, "py-ext")[0]
    assert py_event["_contentType"] == "application/json"
    assert X.UUID_RX.match(py_event["_eventIdentifier"])
    stderr = emu.stderr()
    assert "External agent shell-ext" in stderr and "External agent py-ext" in stderr

    emu.signal(signal.SIGTERM)
    assert emu.wait(15) == 0
    for name in ("shell-ext", "py-ext"):
        shutdown = events(out, name)[-1]
        assert shutdown["eventType"] == "SHUTDOWN"
        assert shutdown["shutdownReason"] == "spindown"
        assert isinstance(shutdown["deadlineMs"], int) and shutdown["deadlineMs"] > before
        assert (out / f"{name}.shutdown").read_text().strip() == "bye"


def test_init_waits_for_every_extension_to_call_event_next(with_extensions):
    emu, out = with_extensions(["shell-ext"], debug=True, EXT_INIT_HOLD="1")
    call = emu.invoke_async(b'"first"')
    # The extension registered and holds off its first /event/next; the runtime has asked for its first event.
    http.wait_until(lambda: (out / "shell-ext.id").exists(), 15, "the extension's registration")
    http.wait_until(lambda: NEXT_LOG in emu.stderr(), 15, "the runtime's first /next")
    stderr = emu.stderr()
    assert stderr.index("External agent shell-ext") < stderr.index("Runtime started"), "runtime started before the extension registered"
    assert not call.done()
    assert "INVOKE START" not in stderr
    assert events(out, "shell-ext") == []

    (out / "shell-ext.init-release").touch()
    answer = call.result(15)
    assert (answer.status, answer.body) == (200, b'"first"')
    (event,) = wait_events(out, "shell-ext", 1)
    assert event["requestId"] == request_ids(emu)[0]


def test_invoke_is_complete_only_when_invoke_subscribers_call_event_next_again(with_extensions):
    emu, out = with_extensions(["shell-ext"], debug=True, EXT_HOLD="1")
    first = emu.invoke(b"1")
    # The caller has its response although the extension still holds event 1.
    assert (first.status, first.body) == (200, b"1")
    wait_events(out, "shell-ext", 1)
    assert not (out / "shell-ext.release-1").exists()

    second = emu.invoke_async(b"2")
    http.wait_until(lambda: emu.stderr().count(NEXT_LOG) >= 2, 15, "the runtime's second /next")
    assert not second.done()
    assert emu.stderr().count("INVOKE START") == 1
    assert len(events(out, "shell-ext")) == 1

    (out / "shell-ext.release-1").touch()
    answer = second.result(15)
    assert (answer.status, answer.body) == (200, b"2")
    first_event, second_event = wait_events(out, "shell-ext", 2)
    assert [first_event["requestId"], second_event["requestId"]] == request_ids(emu)[:2]
    (out / "shell-ext.release-2").touch()


def test_an_extension_registered_for_no_events_never_blocks(with_extensions):
    # As AWS's Lambda Web Adapter: {"events": []}, then one /event/next that never returns.
    emu, out = with_extensions(["py-ext"], EXT_EVENTS="none")
    for payload in (b"1", b"2", b"3"):
        answer = emu.invoke(payload)
        assert (answer.status, answer.body) == (200, payload)
    assert json.loads((out / "py-ext.register").read_text())["functionName"] == "test_function"
    assert events(out, "py-ext") == []
    emu.signal(signal.SIGTERM)
    assert emu.wait(15) == 0
    assert not (out / "py-ext.shutdown").exists()


def test_disabled_extensions_are_not_started_and_the_api_is_404(with_extensions):
    emu, out = with_extensions(["shell-ext"], AWS_LAMBDA_RIE_DISABLE_EXTENSIONS="true")
    refused = register(emu, "anything")
    assert (refused.status, refused.body) == (404, b"")
    answer = emu.invoke(b"1")
    assert (answer.status, answer.body) == (200, b"1")
    # Extensions start before the runtime: the invoke's completion proves it was never started.
    assert not (out / "shell-ext.register").exists()


def test_registration_errors_are_awss(manual_runtime, tmp_path):
    rt = manual_runtime(AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(extensions_dir(tmp_path)))
    emu = rt.emu
    forbidden(register(emu, None), "Extension.InvalidExtensionName", "Empty extension name")
    forbidden(register(emu, "x", body=b"{not json"), "InvalidRequestFormat")
    forbidden(register(emu, "x", body=b'{"events":["INVOKE"],"configurationKeys":["a"]}'), "InvalidRequestFormat",
              "configurationKeys are deprecated; use environment variables instead")
    forbidden(register(emu, "x", ["INVOKE", "RESTORE"]), "Extension.InvalidEventType")
    # Not a file of the extensions directory: internal, and internal extensions get no SHUTDOWN.
    forbidden(register(emu, "x", ["SHUTDOWN"]), "Extension.InvalidEventType")
    wrong = emu.rapi("GET", REGISTER)
    assert (wrong.status, wrong.header("Allow")) == (405, "POST")

    ids = []
    for i in range(10):
        answer = register(emu, f"ext-{i}")
        assert answer.status == 200, answer
        ids.append(answer.header("Lambda-Extension-Identifier"))
        assert X.UUID_RX.match(ids[-1])
        assert answer.header("Content-Type") == "application/json"
    assert len(set(ids)) == 10
    forbidden(register(emu, "ext-3"), "Extension.InvalidExtensionState", "Extension with this name already registered")
    forbidden(register(emu, "ext-10"), "Extension.TooManyExtensions", "Extension limit (10) reached")

    forbidden(emu.rapi("GET", EVENT_NEXT), "Extension.MissingExtensionIdentifier")
    forbidden(emu.rapi("GET", EVENT_NEXT, {"Lambda-Extension-Identifier": "nope"}), "Extension.InvalidExtensionIdentifier")
    unknown = str(uuid.uuid4())
    forbidden(emu.rapi("GET", EVENT_NEXT, {"Lambda-Extension-Identifier": unknown}),
              "Extension.UnknownExtensionIdentifier", f"Unknown extension {unknown}")
    forbidden(emu.rapi("POST", "/2020-01-01/extension/exit/error", {"Lambda-Extension-Identifier": ids[0]}, b"{}"),
              "Extension.MissingHeader")
    exit_error = emu.rapi("POST", "/2020-01-01/extension/exit/error",
                          {"Lambda-Extension-Identifier": ids[0], "Lambda-Extension-Function-Error-Type": "Extension.Bye"},
                          b"{}")
    assert (exit_error.status, exit_error.body) == (202, X.STATUS_OK)


def test_internal_extension_gets_invoke_and_registration_closes_after_init(manual_runtime, tmp_path):
    rt = manual_runtime(AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(extensions_dir(tmp_path)))
    emu = rt.emu
    call = emu.invoke_async(b'{"n":1}')
    emu.wait_for_runtime()
    # The runtime's process registers an internal extension, then asks for its first event.
    registered = register(emu, "in-process", ["INVOKE"])
    assert registered.status == 200
    ident = registered.header("Lambda-Extension-Identifier")
    runtime_next = emu.rapi_async("GET", "/runtime/invocation/next")
    extension_next = emu.rapi_async("GET", EVENT_NEXT, {"Lambda-Extension-Identifier": ident})
    event = runtime_next.result(15)
    request_id = event.header("Lambda-Runtime-Aws-Request-Id")
    invoke_event = extension_next.result(15)
    assert invoke_event.status == 200
    assert X.UUID_RX.match(invoke_event.header("Lambda-Extension-Event-Identifier"))
    body = json.loads(invoke_event.body)
    assert (body["eventType"], body["requestId"]) == ("INVOKE", request_id)
    assert body["tracing"]["type"] == "X-Amzn-Trace-Id"  # present even without a trace header (RIE #109)

    forbidden(register(emu, "too-late"), "Extension.RegistrationClosed", "Extension registration closed already")
    assert emu.rapi("POST", f"/runtime/invocation/{request_id}/response", None, b"ok").status == 202
    assert call.result(15).body == b"ok"


def test_extension_init_error_fails_the_init(manual_runtime, tmp_path):
    rt = manual_runtime(AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(extensions_dir(tmp_path)))
    emu = rt.emu
    call = emu.invoke_async(b"{}")
    emu.wait_for_runtime()
    ident = register(emu, "broken", ["INVOKE"]).header("Lambda-Extension-Identifier")
    reported = emu.rapi("POST", "/2020-01-01/extension/init/error",
                        {"Lambda-Extension-Identifier": ident, "Lambda-Extension-Function-Error-Type": "Extension.Broken"},
                        b'{"errorMessage":"no config"}')
    assert (reported.status, reported.body) == (202, X.STATUS_OK)
    answer = call.result(15)
    assert json.loads(answer.body)["errorType"] == "Extension.InitError"


def test_a_timeout_shuts_extensions_down_and_the_next_invoke_starts_them_again(with_extensions):
    emu, out = with_extensions(["shell-ext"], mode="sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    timed_out = emu.invoke(b"30")
    assert b"Task timed out" in timed_out.body, timed_out
    first_id = request_ids(emu)[0]
    invoke_event, shutdown = wait_events(out, "shell-ext", 2)
    assert (invoke_event["eventType"], invoke_event["requestId"]) == ("INVOKE", first_id)
    assert (shutdown["eventType"], shutdown["shutdownReason"]) == ("SHUTDOWN", "timeout")
    assert isinstance(shutdown["deadlineMs"], int)
    # A new runtime, and a new generation of the extension, which registers again and gets the next INVOKE.
    answer = emu.invoke(b"0")
    assert (answer.status, answer.body) == (200, b"0")
    third = wait_events(out, "shell-ext", 3)[2]
    assert (third["eventType"], third["requestId"]) == ("INVOKE", request_ids(emu)[1])
    assert emu.stderr().count("External agent shell-ext") == 2


def test_each_execution_environment_has_its_own_extensions(start_emulator, tmp_path):
    """--max-concurrency 2: two invokes meet at a barrier (so two environments run them at once), and each
    environment's own py-ext process gets the INVOKE of the invoke its environment ran."""
    out = tmp_path / "handshakes"
    out.mkdir()
    env = base_env(AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(extensions_dir(tmp_path, "py-ext")), EXT_OUT=str(out))
    argv = [sys.executable, "-m", "awslambdaric", "barrier.meet"]
    emu = start_emulator(argv, env=env, cwd=FIXTURES / "python", flags=("--max-concurrency", "2"))
    with socket.create_server(("127.0.0.1", 0)) as barrier:
        port = barrier.getsockname()[1]
        calls = [emu.invoke_async(json.dumps({"port": port}).encode()) for _ in range(2)]
        met = []
        for _ in range(2):
            barrier.settimeout(30)
            conn, _ = barrier.accept()
            met.append(conn)
        for conn in met:  # both handlers are inside their invoke now: release them
            conn.sendall(b"go\n")
            conn.close()
    results = [json.loads(call.result(30).body) for call in calls]
    apis = {r["runtime_api"]: r["request_id"] for r in results}
    assert len(apis) == 2
    received = wait_events(out, "py-ext", 2)
    assert {e["_runtimeApi"]: e["requestId"] for e in received} == apis
    assert emu.stderr().count("External agent py-ext") == 2


@pytest.mark.parametrize("when", ["before", "registered"])
def test_an_extension_crashing_during_init_fails_it_and_the_next_invoke_starts_afresh(with_extensions, when):
    """crash-ext exits with status 3 during its first init (before or after registering): as Lambda's
    Extension.Crash the init fails, the waiting invoke gets the error, the environment is reset, and the next
    invoke initialises again, with crash-ext (now well-behaved) and shell-ext."""
    emu, out = with_extensions(["crash-ext", "shell-ext"], EXT_CRASH=when)
    failed = emu.invoke(b'"first"')
    assert failed.status == 502, failed
    assert failed.header("X-Amz-Function-Error") == "Unhandled"
    assert failed.header("Content-Type") == "application/json"
    assert json.loads(failed.body) == {
        "errorMessage": "Extension crash-ext exited during init: exit status 3", "errorType": "Extension.Crash"}
    assert (out / "crash-ext.crashed").exists()
    stderr = emu.stderr()
    assert "Extension crash-ext crashed: exit status 3" in stderr
    assert "Reset initiated: InitError" in stderr
    assert "INVOKE START" not in stderr

    answer = emu.invoke(b'"second"')
    assert (answer.status, answer.body) == (200, b'"second"')
    second_id = request_ids(emu)[1]
    (event,) = wait_events(out, "crash-ext", 1)
    assert (event["eventType"], event["requestId"]) == ("INVOKE", second_id)
    http.wait_until(lambda: any(e.get("requestId") == second_id for e in events(out, "shell-ext")), 15,
                    "shell-ext's INVOKE of the second invoke")
    assert emu.stderr().count("Extension crash-ext crashed") == 1


def test_a_busy_extension_leaves_its_environment_leased_and_the_next_invoke_takes_an_idle_one(with_extensions):
    """--max-concurrency 2: environment 0's shell-ext holds its INVOKE event (EXT_HOLD); the first caller has its
    response, and the second invoke is served by environment 1 instead of queueing behind that extension."""
    emu, out = with_extensions(["shell-ext"], EXT_HOLD="1", AWS_LAMBDA_RIE_MAX_CONCURRENCY="2")
    first = emu.invoke(b"1")
    assert (first.status, first.body) == (200, b"1")
    wait_events(out, "shell-ext", 1)
    assert not (out / "shell-ext.release-1").exists()
    second = emu.invoke_async(b"2")
    answer = second.result(30)  # nothing released environment 0's extension
    assert (answer.status, answer.body) == (200, b"2")
    received = wait_events(out, "shell-ext", 2)
    assert {e["requestId"] for e in received} == set(request_ids(emu)[:2])
    assert emu.stderr().count("External agent shell-ext") == 2
    (out / "shell-ext.release-1").touch()


@pytest.mark.parametrize("mode,status,error_type,message", [
    ("after-event", 3, "Extension.Crash", "Extension crash-ext exited: exit status 3"),
    ("exit-error", 0, "Extension.ExitError", "Extension crash-ext exited with an error: Extension.Gone"),
])
def test_an_extension_failing_after_init_fails_the_next_invoke_and_resets(with_extensions, mode, status, error_type,
                                                                          message):
    """crash-ext gets the first INVOKE, then exits (after posting /exit/error with EXT_CRASH=exit-error): the first
    invoke succeeds; as Lambda, the next invoke gets the error and the environment is reset (runtime and
    extensions); the invoke after that initialises afresh with crash-ext (now well-behaved) running again."""
    emu, out = with_extensions(["crash-ext"], EXT_CRASH=mode)
    first = emu.invoke(b'"first"')
    assert (first.status, first.body) == (200, b'"first"')
    (event,) = wait_events(out, "crash-ext", 1)
    assert (event["eventType"], event["requestId"]) == ("INVOKE", request_ids(emu)[0])
    crashed = f"Extension crash-ext crashed: exit status {status}"
    http.wait_until(lambda: crashed in emu.stderr(), 15, "the emulator to see crash-ext exit")

    failed = emu.invoke(b'"second"')
    assert failed.status == 502, failed
    assert failed.header("X-Amz-Function-Error") == "Unhandled"
    assert failed.header("Content-Type") == "application/json"
    assert json.loads(failed.body) == {"errorMessage": message, "errorType": error_type}
    assert f"Reset initiated: {error_type}" in emu.stderr()

    answer = emu.invoke(b'"third"')
    assert (answer.status, answer.body) == (200, b'"third"')
    third_id = request_ids(emu)[2]
    second_event = wait_events(out, "crash-ext", 2)[1]
    assert (second_event["eventType"], second_event["requestId"]) == ("INVOKE", third_id)
    stderr = emu.stderr()
    assert stderr.count("External agent crash-ext") == 2
    assert stderr.count("Reset initiated") == 1
