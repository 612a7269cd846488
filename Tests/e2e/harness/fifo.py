# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The acknowledgement handshake of the streaming fixtures: a runtime blocks on a fifo until the test writes."""

from __future__ import annotations

import errno
import os
import time


def ack(fifo: str, timeout: float = 10.0) -> None:
    """Writes one line to the fifo the runtime is waiting on; fails if no reader shows up in time."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as e:
            if e.errno != errno.ENXIO or time.monotonic() > deadline:
                raise TimeoutError(f"the runtime never waited on {fifo} for an acknowledgement") from e
            time.sleep(0.005)  # polling for the reader to open its end, with a deadline
    try:
        os.write(fd, b"ack\n")
    finally:
        os.close(fd)
