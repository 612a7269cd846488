# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The test plays the runtime: ManualRuntime drives the Runtime API of an emulator whose bootstrap
only sleeps (fixtures/sleeper).

AWS's emulator completes an invoke only when the runtime has posted its result AND called /next
again ("release"). Invocation.finish() therefore issues that /next in the background; the event it
eventually receives is handed to the next invoke() instead of being lost.
"""

from __future__ import annotations

from typing import Optional

from . import http
from .emulator import INVOKE_PATH, Emulator


class Invocation:
    """One invoke in flight: the caller's pending HTTP call and the event the runtime received."""

    def __init__(self, runtime: "ManualRuntime", call: http.Background, event: http.Response):
        self.runtime = runtime
        self.call = call
        self.event = event
        self.request_id = event.header("Lambda-Runtime-Aws-Request-Id") or ""

    @property
    def emu(self) -> Emulator:
        return self.runtime.emu

    def post(self, kind: str, body: bytes = b"", headers=None) -> http.Response:
        """POST /runtime/invocation/<id>/<kind> (kind: response or error)."""
        return self.emu.rapi("POST", f"/runtime/invocation/{self.request_id}/{kind}", headers, body)

    def respond(self, body: bytes = b"", headers=None) -> http.Response:
        return self.post("response", body, headers)

    def error(self, body: bytes = b"", headers=None) -> http.Response:
        return self.post("error", body, headers)

    def finish(self, timeout: float = 20.0) -> http.Response:
        """Releases the invoke (background /next) and returns the caller's response."""
        self.runtime.release()
        return self.call.result(timeout)


class ManualRuntime:
    def __init__(self, emu: Emulator):
        self.emu = emu
        self.pending_next: Optional[http.Background] = None

    def invoke(self, body: Optional[bytes] = b"{}", headers=None, method: str = "POST", path: str = INVOKE_PATH,
               timeout: float = 20.0) -> Invocation:
        """Starts an invoke as a caller and receives its event as the runtime."""
        call = self.emu.invoke_async(body, headers, method, path, timeout=timeout)
        if self.pending_next is None:
            self.emu.wait_for_runtime()
            event = self.emu.next(timeout=timeout)
        else:
            event = self.pending_next.result(timeout)
            self.pending_next = None
        return Invocation(self, call, event)

    def release(self) -> None:
        if self.pending_next is None:
            self.pending_next = self.emu.rapi_async("GET", "/runtime/invocation/next", timeout=120)
