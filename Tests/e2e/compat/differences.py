# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Deliberate differences from AWS's aws-lambda-rie, keyed to the README compatibility-table rows.

ROWS is the list the README table is written from. EXPECTED says, per scenario (a glob on the
scenario name), which recorded fields may differ for which row, and checks that ours does the
deliberate thing (not merely something else). A scenario whose differences are all covered, and whose
checks pass, is reported as "deliberately different"; any other difference is "wrong".

Record fields are "<event>.<field>": events are invoke#N (the caller's responses), next#N (what the
runtime got from /next), rapi#N (other Runtime API answers), signal#N, kill#N, process, log, cli;
fields are status, reason, error, body, trailers, value, header.<lower-case name>.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

ROWS: dict[str, str] = {
    "Streaming responses": (
        "A /response posted with `Lambda-Runtime-Function-Response-Mode: streaming` (any letter case) is "
        "forwarded to the caller chunk by chunk as chunked HTTP, with the runtime's error trailers "
        "(`Lambda-Runtime-Function-Error-Type`/`-Body`) passed on as HTTP trailers, up to "
        "AWS_LAMBDA_RIE_MAX_STREAMED_BYTES (default 200 MiB, Lambda's limit; beyond it the stream ends with the "
        "trailer `Lambda-Runtime-Function-Error-Type: Function.ResponseSizeTooLarge`). AWS: buffered whole, "
        "trailers dropped; any mode value other than exactly `streaming` is 400 InvalidFunctionResponseMode."
    ),
    "InvokeWithResponseStream": (
        "`POST /2021-11-15/functions/{any name}/response-streaming-invocations` (boto3's "
        "`invoke_with_response_stream`) answers 200 `application/vnd.amazon.eventstream`: a `PayloadChunk` event per "
        "piece the runtime sends, as it arrives (a buffered function: one chunk with the whole body), then "
        "`InvokeComplete`: `{}`, or `ErrorCode`/`ErrorDetails` for /error results, timeouts (`Sandbox.Timedout`), "
        "crashes (`Runtime.ExitError`), init failures and the runtime's mid-stream error trailers, and `LogResult` "
        "when asked (see Log tail). The HTTP-integration prelude is passed on, as Lambda does. "
        "`X-Amz-Invocation-Type: DryRun` is 204. AWS: no such route, 404."
    ),
    "Concurrent invokes": (
        "Invokes that arrive while one is running are queued and served in order. With `--max-concurrency N` (or "
        "AWS_LAMBDA_RIE_MAX_CONCURRENCY) up to N run at once, each in its own execution environment (runtime "
        "process and Runtime API listener; environment 0 on the configured port). AWS: the emulator "
        "crashes (nil-pointer panic, exit 2) and every in-flight invoke is lost."
    ),
    "Function errors": (
        "Every function error carries `X-Amz-Function-Error: Unhandled`: results the runtime posted to /error, "
        "timeouts, runtime exits (502), init failures (502) and responses over the size limit. AWS: no such header."
    ),
    "Content-Type": (
        "The Content-Type the runtime sent with its response reaches the caller. AWS: dropped and sniffed "
        "(`text/plain; charset=utf-8` for JSON)."
    ),
    "Request size limit": (
        "A request body over 6,291,556 bytes gets 413 "
        '`{"errorMessage":...,"errorType":"RequestTooLargeException"}`. AWS: silently truncated to 6,291,556 bytes.'
    ),
    "Function name in the path": (
        "`/2015-03-31/functions/{any name}/invocations` invokes the function. AWS: only the literal "
        "name `function`; anything else is 404."
    ),
    "Trace id": (
        "`Lambda-Runtime-Trace-Id` is sent on every /next, as Lambda does: the invoke's `X-Amzn-Trace-Id`, or, "
        "without one, a new X-Ray header `Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0` "
        "(runtime clients set `_X_AMZN_TRACE_ID` from it; the Swift and Rust runtimes need it). AWS: never sent."
    ),
    "Invocation types": (
        "`X-Amz-Invocation-Type: Event` is answered 202 with an empty body at once; the invoke queues like any other "
        "and its result is logged (`Asynchronous invoke succeeded/failed ... InvokeID=`). `DryRun` is 204 and runs "
        "nothing. Any other value is real Lambda's 400 `ValidationException`. AWS: the header is ignored."
    ),
    "Executed version and request id": (
        "Invoke's answers carry `X-Amzn-RequestId` (the invoke's request id, as in START/END/REPORT) and "
        "`X-Amz-Executed-Version` (AWS_LAMBDA_FUNCTION_VERSION, `$LATEST` by default), as real Lambda's do. "
        "AWS: neither."
    ),
    "Log lines": (
        "START, END and REPORT use the invoke's one request id, and REPORT's Init Duration is the real init "
        "time, on every invoke that started a runtime (also after a timeout or crash). AWS: Init Duration is "
        "~0 ms and only on the first invoke of the process (older releases also print a different id on START)."
    ),
    "Runtime exit between invokes": (
        "A runtime that exited between invokes is started again by the next invoke, which succeeds. AWS: that "
        "invoke fails with 502 Runtime.ExitError and only the one after it re-initialises."
    ),
    "Response then exit": (
        "A runtime that posts /response and exits before calling /next: the caller gets 200 and the response. "
        "AWS: 502 with the response body."
    ),
    "Framing of buffered bodies": (
        "Buffered bodies, to the caller and on /next, always carry `Content-Length` (the body bytes are the same). "
        "AWS (Go net/http): `Content-Length` up to 2,048 bytes, `Transfer-Encoding: chunked` beyond."
    ),
    "Function URLs": (
        "`--function-url-address HOST:PORT` (or AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS) serves a Function URL: any "
        "request becomes a payload-2.0 event; buffered results become HTTP (statusCode, headers, cookies as "
        "Set-Cookie, base64 bodies); streams relay chunk by chunk, with the http-integration prelude's status, "
        "headers and cookies; function errors are 502 `{\"message\":\"Internal Server Error\"}` and a stream "
        "that fails mid-way is cut short. AWS: no such listener."
    ),
    "Log tail": (
        "`X-Amz-Log-Type: Tail` returns the invoke's execution log (its START line, the runtime's output during "
        "the invoke, END and REPORT), last 4 KB, base64: in `X-Amz-Log-Result` on Invoke (a trailer when the "
        "response streams) and as `LogResult` in InvokeWithResponseStream's `InvokeComplete`. The runtime's output "
        "still reaches the emulator's stdout unchanged. AWS: the header is ignored."
    ),
    "--help and --version": (
        "`--help` prints usage and `--version` the version, exit 0. AWS: no such flags; `--help` is taken as "
        "the bootstrap and the emulator starts serving."
    ),
    "Extensions API": (
        "External extensions in `/opt/extensions` (or AWS_LAMBDA_RIE_EXTENSIONS_DIR) start before the runtime, "
        "one set per execution environment, and internal ones register from the runtime's process; init waits "
        "until each has registered and called `/event/next`; INVOKE (with `tracing` always present) and SHUTDOWN "
        "(`spindown` on SIGTERM, `timeout`, `failure`) events; an invoke is complete once every INVOKE subscriber "
        "called `/event/next` again; an extension registered for no events (Lambda Web Adapter) never blocks; "
        "AWS_LAMBDA_RIE_DISABLE_EXTENSIONS=true turns it all off (routes 404). AWS: SHUTDOWN reason "
        "`SandboxTerminated`, no way to point at another directory."
    ),
    "Telemetry API": (
        "`PUT /2022-07-01/telemetry` (schema 2022-12-13) and `PUT /2020-08-15/logs` from a registered extension "
        "subscribe an HTTP destination (`sandbox.localdomain` is 127.0.0.1) that receives JSON-array batches of "
        "platform events (initStart, initRuntimeDone, initReport, start, runtimeDone, report) and the runtime's "
        "output lines (`function`), batched by maxItems/maxBytes/timeoutMs, flushed before SHUTDOWN; a slow or "
        "dead subscriber loses events (bounded queue), never blocks an invoke. Without an extension identifier "
        "the routes keep AWS's 202 stub. AWS: the stub only, nothing delivered."
    ),
}

# (ours events, aws events, scenario) -> None if ours does the deliberate thing, else why not.
Check = Callable[[list, list, object], Optional[str]]


@dataclass
class Expected:
    scenario: str  # glob on scenario names
    row: str  # a key of ROWS
    allow: list  # globs on field keys that may differ
    check: Check


def ev(events: list, label: str) -> dict:
    for e in events:
        if e["label"] == label:
            return e
    return {}


def header(e: dict, name: str) -> Optional[str]:
    for k, v in e.get("headers", []):
        if k == name:
            return v
    return None


def all_of(*checks: Check) -> Check:
    def run(ours, aws, sc):
        for c in checks:
            why = c(ours, aws, sc)
            if why:
                return why
        return None

    return run


def invoke_is(label: str, status: int, body: Optional[bytes] = None) -> Check:
    def run(ours, aws, sc):
        e = ev(ours, label)
        if e.get("status") != status:
            return f"ours {label} status {e.get('status')} {e.get('error', '')}, expected {status}"
        if body is not None and e.get("body") != body:
            return f"ours {label} body {e.get('body')!r}, expected {body!r}"
        return None

    return run


def is_function_error(event: dict, label: str, sc) -> bool:
    """Whether this invoke's outcome is a function error (the status line alone may say 200). Judged on our
    outcome: whether that outcome itself is right is compared with AWS's separately."""
    body = event.get("body") or b""
    return (
        label in sc.error_invokes()
        or event.get("status") == 502
        or body.startswith(b"Task timed out after ")
        or body.startswith(b'{"errorType":"Function.ResponseSizeTooLarge"')
    )


def function_error_unhandled(ours, aws, sc):
    """X-Amz-Function-Error: Unhandled exactly on the invokes whose outcome is a function error."""
    for e in ours:
        theirs = ev(aws, e["label"])
        if not e["label"].startswith("invoke#") or "status" not in theirs:
            continue
        got = header(e, "x-amz-function-error")
        want = "Unhandled" if is_function_error(e, e["label"], sc) else None
        if got != want:
            return f"ours {e['label']} X-Amz-Function-Error {got!r}, expected {want!r}"
    return None


def runtime_content_type(ours, aws, sc):
    """Where ours and AWS's Content-Type differ, ours is the one the runtime sent."""
    declared = sc.runtime_content_types()
    for e in ours:
        if not e["label"].startswith("invoke#"):
            continue
        theirs_event = ev(aws, e["label"])
        if "status" not in theirs_event:
            continue  # AWS gave no response here (it crashed): another row explains that
        got, theirs = header(e, "content-type"), header(theirs_event, "content-type")
        if got != theirs and got not in declared:
            return f"ours {e['label']} Content-Type {got!r}; the runtime sent {sorted(declared)}"
    return None


def streamed_same_body(ours, aws, sc):
    for e in ours:
        if e["label"].startswith("invoke#"):
            if header(e, "transfer-encoding") != "chunked":
                return f"ours {e['label']} is not chunked"
            if e.get("body") != ev(aws, e["label"]).get("body"):
                return f"ours {e['label']} body differs from AWS's"
    return None


def runtime_trailers_forwarded(ours, aws, sc):
    """The runtime's mid-stream error trailers reach the caller as HTTP trailers, unchanged."""
    sent = [(k.lower(), v) for step in sc.steps if hasattr(step, "trailers") for k, v in step.trailers]
    got = ev(ours, "invoke#1").get("trailers")
    return None if got == sent else f"ours trailers {got!r}, the runtime sent {sent!r}"


def event_stream_frames(body: bytes) -> list:
    """(event type, payload) of each event-stream frame, checking lengths and both CRCs; raises ValueError."""
    import struct
    import zlib

    frames, at = [], 0
    while at < len(body):
        total, headers_len, prelude_crc = struct.unpack(">III", body[at : at + 12])
        frame = body[at : at + total]
        if len(frame) != total or zlib.crc32(frame[:8]) != prelude_crc:
            raise ValueError(f"bad prelude at {at}")
        if zlib.crc32(frame[:-4]) != struct.unpack(">I", frame[-4:])[0]:
            raise ValueError(f"bad message CRC at {at}")
        headers, h = {}, frame[12 : 12 + headers_len]
        while h:
            n = h[0]
            name = h[1 : 1 + n].decode()
            if h[1 + n] != 7:
                raise ValueError(f"header {name} is not a string")
            (vlen,) = struct.unpack(">H", h[2 + n : 4 + n])
            headers[name] = h[4 + n : 4 + n + vlen].decode()
            h = h[4 + n + vlen :]
        if headers.get(":message-type") != "event":
            raise ValueError(f"frame without :message-type event: {headers}")
        frames.append((headers.get(":event-type"), frame[12 + headers_len : -4]))
        at += total
    return frames


def event_stream_of(payload: bytes) -> Check:
    """Ours answered the streaming API: 200, event stream, PayloadChunks carrying `payload`, then `{}`."""

    def run(ours, aws, sc):
        e = ev(ours, "invoke#1")
        if e.get("status") != 200 or header(e, "content-type") != "application/vnd.amazon.eventstream":
            return f"ours invoke#1 {e.get('status')} {header(e, 'content-type')!r}"
        try:
            frames = event_stream_frames(e.get("body") or b"")
        except (ValueError, IndexError) as err:
            return f"ours invoke#1 body is not an event stream: {err}"
        chunks = b"".join(p for t, p in frames if t == "PayloadChunk")
        if frames[-1:] != [("InvokeComplete", b"{}")] or chunks != payload:
            return f"ours events {frames!r}"
        return None

    return run


def request_too_large(ours, aws, sc):
    import json

    e = ev(ours, "invoke#1")
    if e.get("status") != 413:
        return f"ours status {e.get('status')}"
    try:
        doc = json.loads(e["body"])
    except (ValueError, TypeError, KeyError):
        return f"ours body is not JSON: {e.get('body')!r}"
    if set(doc) != {"errorMessage", "errorType"} or doc["errorType"] != "RequestTooLargeException":
        return f"ours body {doc!r}"
    return None


def trace_id_forwarded(ours, aws, sc):
    got = header(ev(ours, "next#1"), "lambda-runtime-trace-id")
    return None if got == "Root=1-5759e988-bd862e3fe1be46a994272793" else f"ours Lambda-Runtime-Trace-Id {got!r}"


TRACE_RX = r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"


def trace_ids_generated(ours, aws, sc):
    """Every /next carries a trace header: the invoke's own where it sent one, else a generated X-Ray header."""
    import re

    sent = {v for step in sc.steps for k, v in (getattr(step, "headers", None) or {}).items() if k.lower() == "x-amzn-trace-id"}
    for e in ours:
        if e["label"].startswith("next#") and "status" in e and e.get("status") == 200:
            got = header(e, "lambda-runtime-trace-id")
            if got is None or not (got in sent or re.fullmatch(TRACE_RX, got)):
                return f"ours {e['label']} Lambda-Runtime-Trace-Id {got!r}"
    return None


def environment_adds_trace_id(ours, aws, sc):
    """The runtime's environment is AWS's plus `_X_AMZN_TRACE_ID` (the runtime client sets it from the trace header)."""
    import json
    import re

    def doc(events):
        body = re.sub(rb"<uuid\d+>", b"<uuid>", ev(events, "invoke#1").get("body") or b"")
        try:
            return json.loads(body)
        except ValueError:
            return None

    mine, theirs = doc(ours), doc(aws)
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return "ours or AWS's invoke#1 body is not a JSON object"
    trace = mine.pop("_X_AMZN_TRACE_ID", None)
    if trace is None or not re.fullmatch(TRACE_RX, trace):
        return f"ours _X_AMZN_TRACE_ID {trace!r}"
    return None if mine == theirs else "ours environment differs from AWS's beyond _X_AMZN_TRACE_ID"


def executed_version_and_request_id(ours, aws, sc):
    """Where ours adds them, X-Amzn-RequestId is a request id and X-Amz-Executed-Version the function version."""
    version = sc.env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
    for e in ours:
        if not e["label"].startswith("invoke#"):
            continue
        rid, ver = header(e, "x-amzn-requestid"), header(e, "x-amz-executed-version")
        if rid is None and ver is None:
            continue
        if rid is None or not rid.startswith("<uuid") or ver != version:
            return f"ours {e['label']} X-Amzn-RequestId {rid!r}, X-Amz-Executed-Version {ver!r}"
    return None


def one_id_per_invoke(ours, aws, sc):
    import re

    lines = ev(ours, "log").get("body", b"").decode().splitlines()
    ids = [re.search(r"RequestId: (\S+)", l).group(1) for l in lines if "RequestId:" in l]
    groups = [ids[i : i + 3] for i in range(0, len(ids), 3)]
    if not groups or any(len(set(g)) != 1 or len(g) != 3 for g in groups):
        return f"ours START/END/REPORT ids {ids}"
    return None


def exit_zero(ours, aws, sc):
    e = ev(ours, "cli")
    return None if e.get("value") == "exit 0" and e.get("body") else f"ours cli {e.get('value')} {e.get('body')!r}"


def content_length_framing(ours, aws, sc):
    """Where framing differs, ours is Content-Length framing (and, by the general diff, the same bytes)."""
    for e in ours:
        if not (e["label"].startswith("invoke#") or e["label"].startswith("next#")):
            continue
        a = ev(aws, e["label"])
        if "status" not in a or header(e, "transfer-encoding") == header(a, "transfer-encoding"):
            continue
        if sc.name.startswith("stream-") and e["label"].startswith("invoke#"):
            continue  # a streamed response is chunked by design: the "Streaming responses" row
        # Bodies are compared by the general diff (they are not in this row's allowed fields); here only the
        # framing: a Content-Length, and no chunking.
        length = header(e, "content-length")
        if length is None or not length.isdigit() or header(e, "transfer-encoding") is not None:
            return f"ours {e['label']} Content-Length {length!r}, Transfer-Encoding {header(e, 'transfer-encoding')!r}"
    return None


def same_body_status_200(ours, aws, sc):
    for e in ours:
        if e["label"].startswith("invoke#"):
            a = ev(aws, e["label"])
            if e.get("status") != 200 or e.get("body") != a.get("body"):
                return f"ours {e['label']} {e.get('status')} {e.get('body')!r} vs AWS body {a.get('body')!r}"
    return None


CT = "invoke#*.header.content-type"
FRAMING = ["invoke#*.header.content-length", "invoke#*.header.transfer-encoding"]
BUFFERED_FRAMING = FRAMING + ["next#*.header.content-length", "next#*.header.transfer-encoding"]
FERR = "invoke#*.header.x-amz-function-error"

EXPECTED: list[Expected] = [
    Expected("*", "Content-Type", [CT], runtime_content_type),
    Expected("*", "Framing of buffered bodies", BUFFERED_FRAMING, content_length_framing),
    Expected("*", "Function errors", [FERR], function_error_unhandled),
    Expected("request-too-large", "Request size limit", ["invoke#1.*"], request_too_large),
    Expected("wrong-function-name", "Function name in the path", ["invoke#1.*"], invoke_is("invoke#1", 200, b'{"n":1}')),
    Expected("trace-id", "Trace id", ["next#1.header.lambda-runtime-trace-id"], trace_id_forwarded),
    Expected("*", "Trace id", ["next#*.header.lambda-runtime-trace-id"], trace_ids_generated),
    Expected(
        "environment", "Trace id", ["invoke#1.body", "invoke#1.header.content-length"], environment_adds_trace_id
    ),
    Expected(
        "*",
        "Executed version and request id",
        ["invoke#*.header.x-amzn-requestid", "invoke#*.header.x-amz-executed-version"],
        executed_version_and_request_id,
    ),
    Expected("stream-*", "Streaming responses", FRAMING, streamed_same_body),
    Expected("stream-error-trailers", "Streaming responses", ["invoke#1.trailers"], runtime_trailers_forwarded),
    Expected(
        "rapi-streaming-mode-upper-case",
        "Streaming responses",
        ["*"],
        all_of(
            invoke_is("invoke#1", 200, b"up"),
            lambda o, a, sc: None if ev(o, "rapi#1").get("status") == 202 else "ours rapi#1 not 202",
        ),
    ),
    Expected("invoke-with-response-stream-buffered", "InvokeWithResponseStream", ["*"], event_stream_of(b'{"n":1}')),
    Expected(
        "invoke-with-response-stream-streamed",
        "InvokeWithResponseStream",
        ["*"],
        event_stream_of(b"chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n"),
    ),
    Expected(
        "concurrent-invokes",
        "Concurrent invokes",
        ["*"],
        all_of(invoke_is("invoke#1", 200, b'{"caller":1}'), invoke_is("invoke#2", 200, b'{"caller":2}')),
    ),
    Expected("exit-between-invokes", "Runtime exit between invokes", ["invoke#2.*"], invoke_is("invoke#2", 200, b"2")),
    Expected("response-then-exit", "Response then exit", ["invoke#*.status", "invoke#*.reason"], same_body_status_200),
    Expected("log-lines", "Log lines", ["log.*"], one_id_per_invoke),
    Expected("timeout", "Log lines", ["log.*"], one_id_per_invoke),
    Expected("cli-help", "--help and --version", ["cli.*"], exit_zero),
    Expected("cli-version", "--help and --version", ["cli.*"], exit_zero),
]
