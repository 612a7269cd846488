# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The compat scenario table: each scenario is run against AWS's aws-lambda-rie and ours, and the
recorded wire behaviour is compared (driver.py).

A scenario names a bootstrap, the emulator's environment, and a list of steps. Steps for the caller:
Invoke (starts an invoke in the background) and Await (records the oldest pending invoke's response).
Steps for a test playing the runtime (bootstrap MANUAL): Next, Post, Raw, Stream, Release. Lifecycle:
KillRuntime, Signal. Every step's HTTP exchange is recorded (status line, headers, body); a Release's
/next is recorded by the Next that consumes it.
"""

from __future__ import annotations

import base64
import json
import sys
from dataclasses import dataclass, field
from typing import Optional, Union

E2E = __import__("pathlib").Path(__file__).resolve().parent.parent
FIXTURES = E2E / "fixtures"
CURL = str(FIXTURES / "curl-runtime")
MANUAL = [str(FIXTURES / "sleeper")]
MAX = 6291556
INVOKE = "/2015-03-31/functions/function/invocations"
STREAM_API = "/2021-11-15/functions/function/response-streaming-invocations"

# -- steps -------------------------------------------------------------------------------------------


@dataclass
class Invoke:
    body: Optional[bytes] = b"{}"
    headers: dict = field(default_factory=dict)
    method: str = "POST"
    path: str = INVOKE


@dataclass
class Await:
    pass


@dataclass
class Next:
    pass


ECHO = b"\x00<echo the event>\x00"  # as a Post body: the body of the last event the runtime received


@dataclass
class Post:
    kind: str  # "response" or "error"
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    request_id: Optional[str] = None  # default: the id of the last event received


@dataclass
class Raw:
    method: str
    path: str  # "{id}" is replaced by the last event's request id
    headers: dict = field(default_factory=dict)
    body: Optional[bytes] = None


@dataclass
class Stream:
    chunks: list
    headers: dict = field(default_factory=dict)
    trailers: list = field(default_factory=list)


@dataclass
class Release:
    """Calls /next in the background, as a runtime does after its result; AWS completes the invoke then."""


@dataclass
class KillRuntime:
    """SIGKILLs the runtime's process group and waits until the emulator has reaped it."""


@dataclass
class Signal:
    signum: int


Step = Union[Invoke, Await, Next, Post, Raw, Stream, Release, KillRuntime, Signal]


@dataclass
class Scenario:
    name: str
    bootstrap: list  # argv; MANUAL means the driver plays the runtime
    steps: list
    env: dict = field(default_factory=dict)
    python_cwd: bool = False  # run from fixtures/python (awslambdaric handlers)
    logs: bool = False  # also compare the START/END/REPORT lines
    cli: Optional[list] = None  # instead of serving: run the binary with these args, compare exit and stdout
    subs: list = field(default_factory=list)  # extra (regex bytes, replacement) normalisations

    def invoke_labels(self) -> list:
        return [f"invoke#{i + 1}" for i, s in enumerate(x for x in self.steps if isinstance(x, Invoke))]

    def error_invokes(self) -> set:
        """Labels of the invokes whose first result the runtime posted to /error."""
        if self.bootstrap in (curl("error"), py("app.raise_exception")):
            return set(self.invoke_labels())
        out, posted, current = set(), set(), 1
        for step in self.steps:
            if isinstance(step, Release):
                current += 1
            elif isinstance(step, Post) and step.request_id is None and current not in posted:
                posted.add(current)
                if step.kind == "error":
                    out.add(f"invoke#{current}")
        return out

    def runtime_content_types(self) -> set:
        """Every Content-Type the runtime sends with its results in this scenario."""
        if self.bootstrap[:1] == [CURL]:
            mode = self.bootstrap[1]
            if mode == "stream":
                return {self.env.get("STREAM_CONTENT_TYPE", "text/plain")}
            if mode in ("headers", "big"):
                return {"text/plain"}
            if mode == "error":
                return {"application/json"}
            return {self.env.get("RESPONSE_CONTENT_TYPE", "application/json")}
        if self.bootstrap[:2] == [sys.executable, "-m"]:
            return {"application/json"}
        return {
            v
            for step in self.steps
            if isinstance(step, (Post, Stream))
            for k, v in step.headers.items()
            if k.lower() == "content-type"
        }


def curl(mode: str) -> list:
    return [CURL, mode]


def py(handler: str) -> list:
    return [sys.executable, "-m", "awslambdaric", handler]


def call(body: Optional[bytes] = b"{}", **kw) -> list:
    """An invoke and its response."""
    return [Invoke(body, **kw), Await()]


def manual(*runtime: Step, invoke: Optional[Invoke] = None) -> list:
    """An invoke served by the driver as the runtime: Invoke, Next, *runtime, Release, Await."""
    return [invoke or Invoke(), Next(), *runtime, Release(), Await()]


def b64json(doc) -> str:
    return base64.b64encode(json.dumps(doc).encode()).decode()


STREAMING = {"Lambda-Runtime-Function-Response-Mode": "streaming", "Content-Type": "text/plain"}
CAUSE = {"Content-Type": "application/vnd.aws.lambda.error.cause+json"}

SCENARIOS: list[Scenario] = [
    # -- outcomes seen by the caller ---------------------------------------------------------------
    Scenario("success-json", curl("echo"), call(b'{"hello":"world"}')),
    Scenario("success-no-content-type", MANUAL, manual(Post("response", b'{"a":1}'))),
    Scenario("success-binary", MANUAL, manual(Post("response", bytes(range(256))))),
    Scenario("success-html", MANUAL, manual(Post("response", b"<html><body>hi</body></html>"))),
    # Go's net/http (AWS) frames bodies of up to 2048 bytes with Content-Length and longer ones chunked.
    Scenario("framing-2048", MANUAL, manual(Post("response", b"a" * 2048), invoke=Invoke(b"e" * 2048))),
    Scenario("framing-2049", MANUAL, manual(Post("response", b"a" * 2049), invoke=Invoke(b"e" * 2049))),
    Scenario("success-100k-buffered", MANUAL, manual(Post("response", b"a" * 100_000))),
    Scenario("empty-request-and-response", MANUAL, manual(Post("response", b""), invoke=Invoke(b""))),
    Scenario("request-at-limit", MANUAL, manual(Post("response", ECHO), invoke=Invoke(b"q" * MAX))),
    Scenario("request-too-large", curl("echo"), call(b"q" * (MAX + 1))),
    Scenario("response-at-limit", MANUAL, manual(Post("response", b"r" * MAX))),
    Scenario("response-too-large", MANUAL, manual(Post("response", b"r" * (MAX + 1)))),
    Scenario("function-error", curl("error"), call()),
    Scenario(
        "function-error-no-content-type",
        MANUAL,
        manual(Post("error", b'{"errorMessage":"m","errorType":"T"}', {"Lambda-Runtime-Function-Error-Type": "T"})),
    ),
    Scenario(
        "function-error-cause",
        MANUAL,
        manual(Post("error", b'{"errorMessage":"m","errorType":"T","stackTrace":["a"],"extra":1}', CAUSE)),
    ),
    Scenario("function-error-cause-invalid", MANUAL, manual(Post("error", b"not json", CAUSE))),
    Scenario("python-exception", py("app.raise_exception"), call(), python_cwd=True),
    Scenario(
        "timeout",
        py("app.sleep"),
        call(b'{"seconds": 5}') + call(b'{"seconds": 0}'),
        env={"AWS_LAMBDA_FUNCTION_TIMEOUT": "1"},
        python_cwd=True,
        logs=True,
    ),
    Scenario("crash-during-invoke", curl("crash"), call() + call()),
    Scenario("crash-exit-0", curl("crash"), call(), env={"EXIT_CODE": "0"}),
    Scenario("python-sys-exit", py("app.exit_during_invoke"), call(b'{"code": 3}'), python_cwd=True),
    Scenario("init-error", curl("initerror"), call() + call()),
    Scenario("init-exit", curl("initexit"), call() + call()),
    Scenario("python-init-failure", py("initfail.handler"), call(), python_cwd=True),
    Scenario("missing-bootstrap", ["/nonexistent/bootstrap", "handler"], call()),
    # -- invoke API routing and headers ---------------------------------------------------------------
    Scenario("invoke-get", MANUAL, manual(Post("response", b"ok"), invoke=Invoke(None, method="GET"))),
    Scenario("invoke-put", MANUAL, manual(Post("response", ECHO), invoke=Invoke(b"put", method="PUT"))),
    Scenario("invoke-query-string", MANUAL, manual(Post("response", b"ok"), invoke=Invoke(path=INVOKE + "?Qualifier=1"))),
    Scenario("wrong-function-name", curl("echo"), call(b'{"n":1}', path="/2015-03-31/functions/other/invocations")),
    Scenario("trailing-slash", curl("echo"), call(path=INVOKE + "/")),
    Scenario("unknown-invoke-path", curl("echo"), call(path="/foo")),
    Scenario(
        "client-context-valid",
        MANUAL,
        manual(Post("response", b"ok"), invoke=Invoke(headers={"X-Amz-Client-Context": b64json({"custom": {"a": 1}})})),
    ),
    Scenario("client-context-invalid", curl("echo"), call(headers={"X-Amz-Client-Context": "%%%"}) + call()),
    Scenario(
        "trace-id",
        MANUAL,
        manual(Post("response", b"ok"), invoke=Invoke(headers={"X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793"})),
    ),
    Scenario("tenant-id", MANUAL, manual(Post("response", b"ok"), invoke=Invoke(headers={"X-Amz-Tenant-Id": "t-1"}))),
    # -- Runtime API status codes and bodies -----------------------------------------------------------
    Scenario("rapi-202-response", MANUAL, manual(Post("response", b"ok", {"Content-Type": "application/json"}))),
    Scenario("rapi-400-invalid-request-id", MANUAL, manual(Post("response", b"x", request_id="nope"), Post("response", b"ok"))),
    Scenario("rapi-403-response-twice", MANUAL, manual(Post("response", b"a"), Post("response", b"b"))),
    Scenario("rapi-403-error-after-response", MANUAL, manual(Post("response", b"a"), Post("error", b"{}"))),
    Scenario("rapi-403-response-after-error", MANUAL, manual(Post("error", b"{}"), Post("response", b"a"))),
    Scenario(
        "rapi-403-init-error-after-next",
        MANUAL,
        manual(Raw("POST", "/2018-06-01/runtime/init/error", {}, b"{}"), Post("response", b"ok")),
    ),
    Scenario(
        "rapi-404-unknown-path",
        MANUAL,
        manual(Raw("GET", "/foo"), Raw("GET", "/2018-06-01/runtime/nope"), Post("response", b"ok")),
    ),
    Scenario(
        "rapi-405-wrong-method",
        MANUAL,
        manual(
            Raw("POST", "/2018-06-01/runtime/invocation/next", {}, b""),
            Raw("GET", "/2018-06-01/runtime/invocation/{id}/response"),
            Raw("PUT", "/2018-06-01/runtime/init/error", {}, b""),
            Post("response", b"ok"),
        ),
    ),
    Scenario("rapi-next-twice", MANUAL, manual(Next(), Post("response", b"ok"))),
    Scenario(
        "rapi-invalid-response-mode",
        MANUAL,
        manual(Post("response", b"x", {"Lambda-Runtime-Function-Response-Mode": "buffered"}), Post("response", b"y")),
        env={"AWS_LAMBDA_FUNCTION_TIMEOUT": "1"},
    ),
    Scenario(
        "rapi-stubs-and-ping",
        MANUAL,
        manual(
            Raw("PUT", "/2020-08-15/logs", {"Content-Type": "application/json"}, b"{}"),
            Raw("PUT", "/2022-07-01/telemetry", {"Content-Type": "application/json"}, b"{}"),
            Raw("GET", "/2018-06-01/ping"),
            Post("response", b"ok"),
        ),
    ),
    Scenario(
        "rapi-chunked-buffered-response",
        MANUAL,
        manual(Stream([b"alpha ", b"beta"], {"Content-Type": "text/plain"})),
    ),
    # -- streaming ----------------------------------------------------------------------------------------
    Scenario("stream-curl", curl("stream"), call(), env={"STREAM_CHUNKS": "3"}),
    Scenario("stream-sse", curl("stream"), call(), env={"STREAM_CHUNKS": "3", "STREAM_CONTENT_TYPE": "text/event-stream"}),
    Scenario("stream-manual", MANUAL, manual(Stream([b"one ", b"two ", b"three"], STREAMING))),
    Scenario(
        "rapi-streaming-mode-upper-case",
        MANUAL,
        manual(Stream([b"up"], {**STREAMING, "Lambda-Runtime-Function-Response-Mode": "Streaming"})),
        env={"AWS_LAMBDA_FUNCTION_TIMEOUT": "1"},
    ),
    Scenario(
        "stream-error-trailers",
        MANUAL,
        manual(
            Stream(
                [b"partial "],
                {**STREAMING, "Trailer": "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"},
                [
                    ("Lambda-Runtime-Function-Error-Type", "Runtime.StreamError"),
                    ("Lambda-Runtime-Function-Error-Body", b64json({"errorType": "E", "errorMessage": "m"})),
                ],
            )
        ),
    ),
    # -- InvokeWithResponseStream (AWS's emulator: 404) ------------------------------------------------------
    Scenario("invoke-with-response-stream-buffered", curl("echo"), call(b'{"n":1}', path=STREAM_API)),
    Scenario("invoke-with-response-stream-streamed", curl("stream"), call(path=STREAM_API), env={"STREAM_CHUNKS": "3"}),
    # -- lifecycle ------------------------------------------------------------------------------------------
    Scenario(
        "concurrent-invokes",
        MANUAL,
        [
            Invoke(b'{"caller":1}'),
            Next(),
            Invoke(b'{"caller":2}'),
            Post("response", ECHO),
            Release(),
            Await(),
            Next(),
            Post("response", ECHO),
            Release(),
            Await(),
        ],
    ),
    Scenario("exit-between-invokes", curl("echo"), call(b"1") + [KillRuntime()] + call(b"2") + call(b"3")),
    Scenario("response-then-exit", curl("respond-exit"), call(b'{"i":1}') + call(b'{"i":2}')),
    Scenario("log-lines", curl("echo"), call() + call(), logs=True, env={"INIT_SLEEP": "0.3"}),
    Scenario("sigterm", curl("echo"), call() + [Signal(15)]),
    Scenario("environment", py("app.env"), call(), python_cwd=True, env={"MyEnv": "4=4"}),
    Scenario(
        "context",
        py("app.context_dump"),
        call(headers={"X-Amz-Client-Context": b64json({"custom": {"foo": "bar"}, "env": {"e": "1"}})}),
        python_cwd=True,
        env={"AWS_LAMBDA_FUNCTION_TIMEOUT": "10", "AWS_LAMBDA_FUNCTION_NAME": "MyCoolName"},
        subs=[(rb'"remaining_ms": \d+', b'"remaining_ms": <ms>')],
    ),
    Scenario("cli-help", [], [], cli=["--help"]),
    Scenario("cli-version", [], [], cli=["--version"]),
    Scenario("cli-bad-log-level", [], [], cli=["--log-level", "nope", MANUAL[0]]),
]
