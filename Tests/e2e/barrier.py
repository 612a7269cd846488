# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The test side of fixtures/python/barrier.py: a TCP server that holds handlers inside until released."""

from __future__ import annotations

import socket
import time


class Barrier:
    """Handlers connect and say their request id; each stays inside until `release` answers it. `arrive(n)`
    waits until n handlers are inside at the same time (their connections are open and unanswered)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.server.getsockname()[1]
        self.inside: list[tuple[socket.socket, str]] = []

    def arrive(self, count: int, timeout: float = 60.0) -> list[str]:
        """Accepts handlers until `count` are inside; returns the request ids of those that arrived now."""
        deadline = time.monotonic() + timeout
        arrived = []
        while len(self.inside) < count:
            self.server.settimeout(max(deadline - time.monotonic(), 0.001))
            conn, _ = self.server.accept()  # socket.timeout fails the test
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            line = b""
            while not line.endswith(b"\n"):
                piece = conn.recv(128)
                assert piece, "a handler hung up before saying its request id"
                line += piece
            request_id = line.decode().strip()
            self.inside.append((conn, request_id))
            arrived.append(request_id)
        return arrived

    def release(self, answer: str = "go") -> None:
        """Lets every handler inside leave."""
        for conn, _ in self.inside:
            conn.sendall(answer.encode() + b"\n")
            conn.close()
        self.inside = []

    def close(self) -> None:
        self.release()
        self.server.close()
