# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""A small raw-socket HTTP/1.1 client that keeps what http.client hides.

It records the status line, every header line in order with its original case, the body framing
(Content-Length, chunked with each chunk's bytes, or read-to-close), and it can read a chunked body
incrementally. Requests are written exactly as given: no header is added except Host and, when a
body is given and neither framing header is, Content-Length.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional


class HTTPError(Exception):
    """The peer sent something that is not HTTP/1.1, or closed early."""


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    framing: str = ""  # "content-length", "chunked", "close", "none"
    chunks: Optional[list[bytes]] = None
    trailers: list[tuple[str, str]] = field(default_factory=list)
    interim: list[int] = field(default_factory=list)  # 1xx statuses seen before the final head

    def header(self, name: str) -> Optional[str]:
        """The value of the first header called name (case-insensitive), or None."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None

    def header_all(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    def header_names(self) -> list[str]:
        return [k.lower() for k, _ in self.headers]

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 300 else self.body[:300] + b"..."
        return f"Response({self.status} {self.reason!r}, headers={self.headers!r}, body={body!r})"


class Connection:
    """One client connection with a read buffer. Not thread-safe."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def send_request(
        self,
        method: str,
        path: str,
        headers: Optional[list[tuple[str, str]] | dict[str, str]] = None,
        body: Optional[bytes] = None,
    ) -> None:
        hdrs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        names = {k.lower() for k, _ in hdrs}
        if "host" not in names:
            hdrs.insert(0, ("Host", f"{self.host}:{self.port}"))
        if body is not None and "content-length" not in names and "transfer-encoding" not in names:
            hdrs.append(("Content-Length", str(len(body))))
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs) + "\r\n"
        data = head.encode("latin-1")
        if body:
            data += body
        self.sock.sendall(data)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_chunk(self, data: bytes) -> None:
        self.sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")

    def end_chunks(self, trailers: Optional[list[tuple[str, str]]] = None) -> None:
        t = "".join(f"{k}: {v}\r\n" for k, v in (trailers or []))
        self.sock.sendall(b"0\r\n" + t.encode("latin-1") + b"\r\n")

    # -- reading ---------------------------------------------------------------------------------
    # self.buf[self.pos:] holds received bytes not consumed yet; consumed bytes are dropped in bulk.

    def _fill(self) -> bool:
        if self.pos == len(self.buf):
            self.buf.clear()
            self.pos = 0
        elif self.pos > 65536 and self.pos * 2 > len(self.buf):
            del self.buf[: self.pos]
            self.pos = 0
        data = self.sock.recv(1 << 20)
        if not data:
            return False
        self.buf += data
        return True

    def _available(self) -> int:
        return len(self.buf) - self.pos

    def read_line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos : i])
                self.pos = i + 2
                return line
            if self._available() > 65536:
                raise HTTPError("line too long")
            if not self._fill():
                raise HTTPError(f"connection closed while reading a line (have {bytes(self.buf[self.pos:])!r})")

    def read_exact(self, n: int) -> bytes:
        while self._available() < n:
            if not self._fill():
                raise HTTPError(f"connection closed after {self._available()} of {n} bytes")
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return data

    def skip_exact(self, n: int) -> None:
        """Consumes n bytes without copying them."""
        while n > 0:
            if not self._available() and not self._fill():
                raise HTTPError(f"connection closed with {n} bytes still expected")
            take = min(n, self._available())
            self.pos += take
            n -= take

    def read_some(self) -> bytes:
        """Whatever is buffered, or the next recv; b'' at EOF."""
        if not self._available() and not self._fill():
            return b""
        data = bytes(self.buf[self.pos :])
        self.pos = len(self.buf)
        return data

    def read_head(self) -> Response:
        """Reads 1xx heads (recorded in .interim) and the final status line and headers."""
        interim: list[int] = []
        while True:
            line = self.read_line()
            parts = line.decode("latin-1").split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
                raise HTTPError(f"bad status line {line!r}")
            status = int(parts[1])
            reason = parts[2] if len(parts) > 2 else ""
            headers = self._read_fields()
            if 100 <= status < 200 and status != 101:
                interim.append(status)
                continue
            resp = Response(status, reason, headers, interim=interim)
            te = (resp.header("Transfer-Encoding") or "").lower()
            if "chunked" in te:
                resp.framing = "chunked"
            elif resp.header("Content-Length") is not None:
                resp.framing = "content-length"
            else:
                resp.framing = "close"
            return resp

    def _read_fields(self) -> list[tuple[str, str]]:
        fields = []
        while True:
            line = self.read_line()
            if not line:
                return fields
            k, _, v = line.decode("latin-1").partition(":")
            fields.append((k, v.strip(" \t")))

    def iter_chunks(self, resp: Response) -> Iterator[bytes]:
        """Yields the body of a chunked response one chunk at a time; records trailers on resp."""
        while True:
            size_line = self.read_line()
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                resp.trailers = self._read_fields()
                return
            data = self.read_exact(size)
            if self.read_exact(2) != b"\r\n":
                raise HTTPError("chunk not followed by CRLF")
            yield data

    def count_chunked_body(self, resp: Response) -> tuple[int, int]:
        """Consumes a chunked body without keeping it; returns (payload bytes, number of chunks)."""
        total = count = 0
        while True:
            size = int(self.read_line().split(b";", 1)[0].strip(), 16)
            if size == 0:
                resp.trailers = self._read_fields()
                return total, count
            self.skip_exact(size)
            if self.read_exact(2) != b"\r\n":
                raise HTTPError("chunk not followed by CRLF")
            total += size
            count += 1

    def read_body(self, resp: Response, method: str = "POST", keep_chunks: bool = True) -> Response:
        if method == "HEAD" or resp.status in (204, 304):
            resp.framing = "none"
            return resp
        if resp.framing == "chunked":
            chunks = list(self.iter_chunks(resp))
            resp.chunks = chunks if keep_chunks else None
            resp.body = b"".join(chunks)
        elif resp.framing == "content-length":
            resp.body = self.read_exact(int(resp.header("Content-Length") or "0"))
        else:
            data = bytearray()
            while True:
                chunk = self.read_some()
                if not chunk:
                    break
                data += chunk
            resp.body = bytes(data)
        return resp

    def read_response(self, method: str = "POST") -> Response:
        return self.read_body(self.read_head(), method)


def request(
    host: str,
    port: int,
    method: str,
    path: str,
    headers: Optional[list[tuple[str, str]] | dict[str, str]] = None,
    body: Optional[bytes] = None,
    timeout: float = 30.0,
) -> Response:
    """One request on a fresh connection; returns the whole response."""
    if body is None and method in ("POST", "PUT"):
        body = b""
    with Connection(host, port, timeout) as conn:
        conn.send_request(method, path, headers, body)
        return conn.read_response(method)


class Background:
    """Runs fn in a daemon thread; .result(timeout) returns its value or re-raises its exception."""

    def __init__(self, fn: Callable, *args, **kwargs):
        self._done = threading.Event()
        self._value = None
        self._error: Optional[BaseException] = None

        def run() -> None:
            try:
                self._value = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                self._error = e
            finally:
                self._done.set()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float = 30.0):
        if not self._done.wait(timeout):
            raise TimeoutError(f"background call did not finish within {timeout} s")
        if self._error is not None:
            raise self._error
        return self._value


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.02) -> None:
    """Polls predicate until it is true; raises TimeoutError naming what was awaited."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
